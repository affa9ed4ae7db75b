"""attrs validators and converters shared by the model classes (private).

Messages name ``Class.field``, the value given and what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from civicinnov.errors import ValidationError
from civicinnov.model.ids import check_id


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
    """attrs converter: ISO date text to a date; anything else is left for the validator."""
    if isinstance(value, str):
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
