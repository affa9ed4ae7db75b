"""The one home of value rules: ids, dates, enum converters and the attrs validators every layer shares.

Every record in civicinnov refers to others by id, never by object. An id is a *slug*: a lower-case
letter, then lower-case letters, digits, ``-`` or ``_`` (``new-orleans``, ``nola_2011``), at most
100 characters -- the same rule for a city, a metric definition, a network node or a target.

Dates are ISO ``YYYY-MM-DD`` text or :class:`datetime.date` values (never a ``datetime``); one
converter (:func:`to_date`) and one parser (:func:`parse_date`) serve every layer, so a bad date
reads the same everywhere.

The attrs validators here name ``Class.field``, the value given and what was expected. This module
sits on the ground floor: it imports nothing of civicinnov but :mod:`civicinnov.errors`.

What does not live here: resolving ids to objects (that is :class:`civicinnov.programme.Portfolio`'s
job) and unit or money rules (:mod:`civicinnov.units`, :mod:`civicinnov.money`).

Example:
    >>> check_id("new-orleans", where="City.id")
    'new-orleans'
    >>> check_id("New Orleans", where="City.id")
    Traceback (most recent call last):
    ...
    civicinnov.errors.IdentifierError: City.id: expected a slug (a lower-case letter, then ...
    >>> parse_date("2017-07-11", where="$.cities[0].joined")
    datetime.date(2017, 7, 11)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from civicinnov.errors import IdentifierError, ValidationError

__all__ = [
    "MAX_ID_LENGTH",
    "SLUG_PATTERN",
    "any_text",
    "check_id",
    "date",
    "enum_converter",
    "finite",
    "instance_of",
    "is_slug",
    "member_of",
    "nonempty_slug_tuple",
    "optional_date",
    "optional_slug",
    "optional_text",
    "parse_date",
    "slug",
    "slug_tuple",
    "text",
    "text_tuple",
    "to_date",
    "to_enum",
    "to_tuple",
    "tuple_of",
    "where",
]


#: The pattern every id matches.
SLUG_PATTERN: re.Pattern[str] = re.compile(r"^[a-z][a-z0-9_-]*$")
#: The longest id accepted anywhere in civicinnov.
MAX_ID_LENGTH = 100


def is_slug(value: object) -> bool:
    """Whether ``value`` is a valid id slug.

    Example:
        >>> is_slug("memphis"), is_slug("Memphis"), is_slug("2011-cohort")
        (True, False, False)
    """
    return (
        isinstance(value, str) and len(value) <= MAX_ID_LENGTH and bool(SLUG_PATTERN.match(value))
    )


def check_id(value: object, *, where: str) -> str:
    """Return ``value`` if it is a slug, else raise IdentifierError naming ``where`` and the value.

    Example:
        >>> check_id("us-2014", where="Cohort.id")
        'us-2014'
    """
    if not is_slug(value):
        raise IdentifierError(
            f"{where}: expected a slug (a lower-case letter, then lower-case letters, digits, "
            f"'-' or '_', at most {MAX_ID_LENGTH} characters, e.g. 'new-orleans'), got {value!r}"
        )
    return value  # type: ignore[return-value]


def parse_date(value: object, *, where: str) -> dt.date:
    """An ISO ``YYYY-MM-DD`` text or a date as a :class:`datetime.date`; anything else raises.

    Raises:
        ValidationError: naming ``where``, what was expected and what was given (a ``datetime`` is
            refused too: a record's date has no time of day).

    Example:
        >>> parse_date(dt.date(2024, 1, 31), where="x")
        datetime.date(2024, 1, 31)
        >>> parse_date("31/01/2024", where="$.on")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: $.on: expected a date such as 2024-01-31, got str '31/01/2024'
    """
    if isinstance(value, str) and len(value) <= 32:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "..."
    raise ValidationError(
        f"{where}: expected a date such as 2024-01-31, got {type(value).__name__} {shown!r}"
    )


def where(instance: Any, attribute: Any) -> str:
    """``Class.field`` for messages."""
    return f"{type(instance).__name__}.{attribute.name}"


def slug(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a slug."""
    check_id(value, where=where(instance, attribute))


def optional_slug(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a slug or None."""
    if value is not None:
        check_id(value, where=where(instance, attribute))


def slug_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a tuple of distinct slugs."""
    name = where(instance, attribute)
    seen: set[str] = set()
    for i, item in enumerate(value):
        check_id(item, where=f"{name}[{i}]")
        if item in seen:
            raise ValidationError(f"{name}[{i}]: {item!r} appears twice; expected distinct ids")
        seen.add(item)


def nonempty_slug_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a non-empty tuple of distinct slugs."""
    if not value:
        raise ValidationError(f"{where(instance, attribute)}: expected at least one id, got none")
    slug_tuple(instance, attribute, value)


def to_tuple(value: Any) -> tuple[Any, ...]:
    """attrs converter: any iterable (but not a string) to a tuple."""
    if isinstance(value, str | bytes):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return value  # type: ignore[no-any-return]


def text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{where(instance, attribute)}: expected non-blank text, got {value!r}"
        )


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a non-blank string or None."""
    if value is not None:
        text(instance, attribute, value)


def any_text(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a string (possibly empty)."""
    if not isinstance(value, str):
        raise ValidationError(
            f"{where(instance, attribute)}: expected text, got {type(value).__name__} {value!r}"
        )


def text_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a tuple of non-blank strings."""
    name = where(instance, attribute)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{name}[{i}]: expected non-blank text, got {item!r}")


def to_date(value: Any) -> Any:
    """attrs converter: ISO date text to a date; anything else is left for the validator.

    Example:
        >>> to_date("2024-01-31"), to_date("soon")
        (datetime.date(2024, 1, 31), 'soon')
    """
    if isinstance(value, str) and len(value) <= 32:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def date(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a date (not a datetime)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(
            f"{where(instance, attribute)}: expected a date such as 2024-01-31, "
            f"got {type(value).__name__} {value!r}"
        )


def optional_date(instance: Any, attribute: Any, value: Any) -> None:
    """attrs validator: a date or None."""
    if value is not None:
        date(instance, attribute, value)


def instance_of(*types: type) -> Any:
    """attrs validator factory: ``isinstance`` with a readable message."""
    expected = " or ".join(t.__name__ for t in types)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, types):
            raise ValidationError(
                f"{where(instance, attribute)}: expected {expected}, "
                f"got {type(value).__name__} {value!r}"
            )

    return check


def tuple_of(*types: type) -> Any:
    """attrs validator factory: every item of a tuple is an instance of ``types``."""
    expected = " or ".join(t.__name__ for t in types)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        name = where(instance, attribute)
        if not isinstance(value, tuple):
            raise ValidationError(f"{name}: expected a tuple, got {type(value).__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, types):
                raise ValidationError(
                    f"{name}[{i}]: expected {expected}, got {type(item).__name__} {item!r}"
                )

    return check


def to_enum(enum_type: Any, value: Any) -> Any:
    """Convert an enum value (e.g. ``"final"``) to its member; anything else passes unchanged."""
    if isinstance(value, (enum_type, bool)):
        return value
    try:
        return enum_type(value)
    except (ValueError, TypeError):
        return value  # the member_of validator reports it, naming the field


def enum_converter(enum_type: Any) -> Any:
    """attrs converter: the enum's value (e.g. ``"final"``) to its member; members pass through."""

    def convert(value: Any) -> Any:
        if isinstance(value, (enum_type, bool)):
            return value
        try:
            return enum_type(value)
        except (ValueError, TypeError):
            return value  # the member_of validator reports it, naming the field

    return convert


def member_of(enum_type: Any) -> Any:
    """attrs validator factory: a member of ``enum_type``; the message lists the allowed values."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(repr(m.value) for m in enum_type)
            raise ValidationError(
                f"{where(instance, attribute)}: expected {enum_type.__name__} ({allowed}), "
                f"got {value!r}"
            )

    return check


def finite(value: float) -> bool:
    """Whether a float is finite."""
    return math.isfinite(value)
