"""The one home of value rules: ids, dates, enum converters and the attrs validators every layer shares.

Every record in civicinnov refers to others by id, never by object. An id is a *slug*: a lower-case
letter, then lower-case letters, digits, ``-`` or ``_`` (``new-orleans``, ``nola_2011``), at most
100 characters -- the same rule for a city, a metric definition, a network node or a target.

Dates are ISO ``YYYY-MM-DD`` text or :class:`datetime.date` values (never a ``datetime``); one
converter (:func:`to_date`) and one parser (:func:`parse_date`) serve every layer, so a bad date
reads the same everywhere. A date a source gives only to the month or the year ("July 2017") is a
:class:`PartialDate`, which keeps its precision instead of guessing a day.

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

import calendar
import datetime as dt
import enum
import math
import re
from collections.abc import Iterable
from typing import Any

import attrs

from civicinnov.errors import IdentifierError, ValidationError

__all__ = [
    "MAX_ID_LENGTH",
    "SLUG_PATTERN",
    "DatePrecision",
    "PartialDate",
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
    "optional_partial_date",
    "optional_slug",
    "optional_text",
    "parse_date",
    "slug",
    "slug_tuple",
    "text",
    "text_tuple",
    "to_date",
    "to_enum",
    "to_partial_date",
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

    Parameters:
        value: Anything.

    Returns:
        ``True`` when ``value`` is a string of at most 100 characters matching :data:`SLUG_PATTERN`.

    Example:
        >>> is_slug("memphis"), is_slug("Memphis"), is_slug("2011-cohort")
        (True, False, False)
    """
    return (
        isinstance(value, str) and len(value) <= MAX_ID_LENGTH and bool(SLUG_PATTERN.match(value))
    )


def check_id(value: object, *, where: str) -> str:
    """Return ``value`` if it is a slug, else raise IdentifierError naming ``where`` and the value.

    Parameters:
        value: The id to check.
        where: Where the id came from (``"City.id"``, ``"$.cities[0].id"``), for the message.

    Returns:
        ``value``, unchanged.

    Raises:
        IdentifierError: ``value`` is not a slug.

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

    Parameters:
        value: ISO ``YYYY-MM-DD`` text (at most 32 characters) or a :class:`datetime.date`.
        where: Where the value came from, for the message.

    Returns:
        The date.

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
    """``Class.field`` for messages.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.

    Returns:
        ``Class.field``, such as ``"City.id"``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class City:
        ...     id: str
        >>> where(City("memphis"), attrs.fields(City).id)
        'City.id'
    """
    return f"{type(instance).__name__}.{attribute.name}"


def slug(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a slug.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        IdentifierError: ``value`` is not a slug.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class City:
        ...     id: str = attrs.field(validator=slug)
        >>> City("Memphis")
        Traceback (most recent call last):
        ...
        civicinnov.errors.IdentifierError: City.id: expected a slug (...), got 'Memphis'
    """
    check_id(value, where=where(instance, attribute))


def optional_slug(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a slug or None.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        IdentifierError: ``value`` is neither ``None`` nor a slug.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Challenge:
        ...     area_id: str | None = attrs.field(default=None, validator=optional_slug)
        >>> Challenge().area_id is None, Challenge("safety").area_id
        (True, 'safety')
    """
    if value is not None:
        check_id(value, where=where(instance, attribute))


def slug_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a tuple of distinct slugs.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value, an iterable of ids.

    Raises:
        IdentifierError: An item is not a slug; the message names it ``Class.field[i]``.
        ValidationError: An id appears twice.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Challenge:
        ...     metric_ids: tuple[str, ...] = attrs.field(validator=slug_tuple)
        >>> Challenge(("murders", "murders"))
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Challenge.metric_ids[1]: 'murders' appears twice; expected distinct ids
    """
    name = where(instance, attribute)
    seen: set[str] = set()
    for i, item in enumerate(value):
        check_id(item, where=f"{name}[{i}]")
        if item in seen:
            raise ValidationError(f"{name}[{i}]: {item!r} appears twice; expected distinct ids")
        seen.add(item)


def nonempty_slug_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a non-empty tuple of distinct slugs.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value, an iterable of ids.

    Raises:
        IdentifierError: An item is not a slug.
        ValidationError: ``value`` is empty, or an id appears twice.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Initiative:
        ...     challenge_ids: tuple[str, ...] = attrs.field(validator=nonempty_slug_tuple)
        >>> Initiative(())
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Initiative.challenge_ids: expected at least one id, got none
    """
    if not value:
        raise ValidationError(f"{where(instance, attribute)}: expected at least one id, got none")
    slug_tuple(instance, attribute, value)


def to_tuple(value: Any) -> tuple[Any, ...]:
    """Attrs converter: any iterable (but not a string) to a tuple.

    Parameters:
        value: The value to convert.

    Returns:
        A one-item tuple for a string or bytes, a tuple of the items for any other iterable, and
        anything else unchanged (for the validator to refuse).

    Example:
        >>> to_tuple(["a", "b"]), to_tuple("a"), to_tuple(3)
        (('a', 'b'), ('a',), 3)
    """
    if isinstance(value, str | bytes):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return value  # type: ignore[no-any-return]


def text(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a non-blank string.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is not a string, or is empty or only white space.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Idea:
        ...     title: str = attrs.field(validator=text)
        >>> Idea("  ")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Idea.title: expected non-blank text, got '  '
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{where(instance, attribute)}: expected non-blank text, got {value!r}"
        )


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a non-blank string or None.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is neither ``None`` nor non-blank text.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Idea:
        ...     owner: str | None = attrs.field(default=None, validator=optional_text)
        >>> Idea().owner is None, Idea("Public Works").owner
        (True, 'Public Works')
    """
    if value is not None:
        text(instance, attribute, value)


def any_text(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a string (possibly empty).

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is not a string.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Plan:
        ...     summary: str = attrs.field(validator=any_text)
        >>> Plan("").summary
        ''
        >>> Plan(None)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Plan.summary: expected text, got NoneType None
    """
    if not isinstance(value, str):
        raise ValidationError(
            f"{where(instance, attribute)}: expected text, got {type(value).__name__} {value!r}"
        )


def text_tuple(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a tuple of non-blank strings.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value, an iterable of strings.

    Raises:
        ValidationError: An item is not a string or is blank; the message names it
            ``Class.field[i]``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Issue:
        ...     evidence: tuple[str, ...] = attrs.field(validator=text_tuple)
        >>> Issue(("311 data", ""))
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Issue.evidence[1]: expected non-blank text, got ''
    """
    name = where(instance, attribute)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{name}[{i}]: expected non-blank text, got {item!r}")


def to_date(value: Any) -> Any:
    """Attrs converter: ISO date text to a date; anything else is left for the validator.

    Parameters:
        value: The value to convert.

    Returns:
        The date for ISO text of at most 32 characters that :meth:`datetime.date.fromisoformat`
        reads; anything else unchanged.

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
    """Attrs validator: a date (not a datetime).

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is not a :class:`datetime.date`, or is a
            :class:`datetime.datetime`.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Change:
        ...     on: dt.date = attrs.field(converter=to_date, validator=date)
        >>> Change("2015-03-01").on
        datetime.date(2015, 3, 1)
        >>> Change(dt.datetime(2015, 3, 1))
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Change.on: expected a date such as 2024-01-31, got datetime datetime.datetime(2015, 3, 1, 0, 0)
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(
            f"{where(instance, attribute)}: expected a date such as 2024-01-31, "
            f"got {type(value).__name__} {value!r}"
        )


def optional_date(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a date or None.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is neither ``None`` nor a date (a ``datetime`` is refused).

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Plan:
        ...     due: dt.date | None = attrs.field(default=None, converter=to_date, validator=optional_date)
        >>> Plan().due is None, Plan("2015-06-30").due
        (True, datetime.date(2015, 6, 30))
    """
    if value is not None:
        date(instance, attribute, value)


def instance_of(*types: type) -> Any:
    """Attrs validator factory: ``isinstance`` with a readable message.

    Parameters:
        *types: The accepted types.

    Returns:
        An attrs validator that raises :class:`~civicinnov.errors.ValidationError` naming
        ``Class.field``, the accepted types and the value when the value is none of ``types``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Step:
        ...     done: bool = attrs.field(validator=instance_of(bool))
        >>> Step("yes")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Step.done: expected bool, got str 'yes'
    """
    expected = " or ".join(t.__name__ for t in types)

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, types):
            raise ValidationError(
                f"{where(instance, attribute)}: expected {expected}, "
                f"got {type(value).__name__} {value!r}"
            )

    return check


def tuple_of(*types: type) -> Any:
    """Attrs validator factory: every item of a tuple is an instance of ``types``.

    Parameters:
        *types: The accepted item types.

    Returns:
        An attrs validator that raises :class:`~civicinnov.errors.ValidationError` when the value is
        not a tuple, or an item (named ``Class.field[i]``) is none of ``types``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Plan:
        ...     steps: tuple[str, ...] = attrs.field(validator=tuple_of(str))
        >>> Plan(("survey", 3))
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Plan.steps[1]: expected str, got int 3
    """
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
    """Convert an enum value (e.g. ``"final"``) to its member; anything else passes unchanged.

    Parameters:
        enum_type: The enum class.
        value: A member, or a member's value.

    Returns:
        The member whose value is ``value``; a member of ``enum_type``, a ``bool``, or a value
        that is no member's, unchanged.

    Example:
        >>> to_enum(DatePrecision, "month"), to_enum(DatePrecision, "week")
        (<DatePrecision.MONTH: 'month'>, 'week')
    """
    if isinstance(value, (enum_type, bool)):
        return value
    try:
        return enum_type(value)
    except (ValueError, TypeError):
        return value  # the member_of validator reports it, naming the field


def enum_converter(enum_type: Any) -> Any:
    """Attrs converter: the enum's value (e.g. ``"final"``) to its member; members pass through.

    Parameters:
        enum_type: The enum class.

    Returns:
        A one-argument converter that does what :func:`to_enum` does for ``enum_type``.

    Example:
        >>> convert = enum_converter(DatePrecision)
        >>> convert("year"), convert(DatePrecision.DAY), convert("week")
        (<DatePrecision.YEAR: 'year'>, <DatePrecision.DAY: 'day'>, 'week')
    """

    def convert(value: Any) -> Any:
        if isinstance(value, (enum_type, bool)):
            return value
        try:
            return enum_type(value)
        except (ValueError, TypeError):
            return value  # the member_of validator reports it, naming the field

    return convert


def member_of(enum_type: Any) -> Any:
    """Attrs validator factory: a member of ``enum_type``; the message lists the allowed values.

    Parameters:
        enum_type: The enum class.

    Returns:
        An attrs validator that raises :class:`~civicinnov.errors.ValidationError` naming
        ``Class.field`` and the allowed values when the value is not a member of ``enum_type``.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Source:
        ...     precision: DatePrecision = attrs.field(
        ...         converter=enum_converter(DatePrecision), validator=member_of(DatePrecision))
        >>> Source("week")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Source.precision: expected DatePrecision ('year', 'month', 'day'), got 'week'
    """

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if not isinstance(value, enum_type):
            allowed = ", ".join(repr(m.value) for m in enum_type)
            raise ValidationError(
                f"{where(instance, attribute)}: expected {enum_type.__name__} ({allowed}), "
                f"got {value!r}"
            )

    return check


def finite(value: float) -> bool:
    """Whether a float is finite.

    Parameters:
        value: A float.

    Returns:
        ``True`` unless ``value`` is NaN or infinite.

    Example:
        >>> finite(1.5), finite(float("nan")), finite(float("inf"))
        (True, False, False)
    """
    return math.isfinite(value)


class DatePrecision(enum.Enum):
    """How much of a date a source gives: the year, the month or the day.

    Example:
        >>> DatePrecision("month")
        <DatePrecision.MONTH: 'month'>
    """

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_partial(instance: PartialDate, attribute: Any, value: Any) -> None:
    if instance.month is None and instance.day is not None:
        raise ValidationError(
            f"PartialDate: a day ({instance.day}) without a month; expected a year, a year and "
            "month, or a full date"
        )
    try:
        dt.date(instance.year, instance.month or 1, instance.day or 1)
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValidationError(
            f"PartialDate: year={instance.year!r}, month={instance.month!r}, "
            f"day={instance.day!r} is not a date ({exc}); expected e.g. 2017, 2017-07 or 2017-07-11"
        ) from None


def _int_or_none(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(
            f"PartialDate.{attribute.name}: expected an integer or None, "
            f"got {type(value).__name__} {value!r}"
        )


@attrs.frozen(kw_only=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day, as its source gives it.

    A press report of "July 2017" is ``PartialDate(year=2017, month=7)``, not the first of July.
    Its ISO text keeps the precision: ``2017``, ``2017-07`` or ``2017-07-11``.

    Comparison: two partial dates are *equal* only when they hold the same parts (``2017-07`` is
    not ``2017-07-01``). There is no ``<``: whether one partial date comes before another may be
    unknown, so ask :meth:`certainly_before` (every day it may be is before every day the other may
    be) or :meth:`may_be_before`. :attr:`sort_key` orders partial dates for display (by first
    possible day, then last), which is not a claim about which came first.

    Example:
        >>> july = PartialDate.parse("2017-07")
        >>> july.precision.value, july.earliest, july.latest
        ('month', datetime.date(2017, 7, 1), datetime.date(2017, 7, 31))
        >>> str(july), july.certainly_before(dt.date(2017, 8, 1)), july.contains(dt.date(2017, 7, 11))
        ('2017-07', True, True)
        >>> PartialDate.parse("2017-02-30", where="$.joined")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: $.joined: year=2017, month=2, day=30 is not a date ...
    """

    year: int = attrs.field(validator=_int_or_none)
    month: int | None = attrs.field(default=None, validator=_int_or_none)
    day: int | None = attrs.field(default=None, validator=[_int_or_none, _check_partial])

    @classmethod
    def parse(cls, value: object, *, where: str = "PartialDate") -> PartialDate:
        """A partial date from ISO text (``2017``, ``2017-07``, ``2017-07-11``), a
        :class:`datetime.date` (day precision) or a :class:`PartialDate`.

        Parameters:
            value: the text or date.
            where: named in the error message.

        Returns:
            The partial date.

        Raises:
            ValidationError: anything else, naming ``where``.

        Example:
            >>> PartialDate.parse(dt.date(2011, 7, 14)).precision
            <DatePrecision.DAY: 'day'>
            >>> PartialDate.parse("July 2017", where="$.sources[1].published")
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: $.sources[1].published: expected a date such as 2017, 2017-07 or 2017-07-11, got str 'July 2017'
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return cls(year=value.year, month=value.month, day=value.day)
        if isinstance(value, str) and len(value) <= 10:
            match = _PARTIAL_DATE.match(value)
            if match:
                year, month, day = match.groups()
                try:
                    return cls(
                        year=int(year),
                        month=None if month is None else int(month),
                        day=None if day is None else int(day),
                    )
                except ValidationError as exc:
                    raise ValidationError(
                        f"{where}: {str(exc).removeprefix('PartialDate: ')}"
                    ) from None
        shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "..."
        raise ValidationError(
            f"{where}: expected a date such as 2017, 2017-07 or 2017-07-11, "
            f"got {type(value).__name__} {shown!r}"
        )

    @property
    def precision(self) -> DatePrecision:
        """Whether the year, the month or the day is known.

        Example:
            >>> PartialDate(year=2021).precision
            <DatePrecision.YEAR: 'year'>
        """
        if self.month is None:
            return DatePrecision.YEAR
        return DatePrecision.MONTH if self.day is None else DatePrecision.DAY

    @property
    def earliest(self) -> dt.date:
        """The first day it may be.

        Example:
            >>> PartialDate(year=2021).earliest
            datetime.date(2021, 1, 1)
        """
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day it may be.

        Example:
            >>> PartialDate(year=2016, month=2).latest
            datetime.date(2016, 2, 29)
        """
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        """A key that orders partial dates for display: first possible day, then last.

        Example:
            >>> [str(d) for d in sorted(map(PartialDate.parse, ["2017-07-11", "2017", "2017-07"]),
            ...                         key=lambda d: d.sort_key)]
            ['2017', '2017-07', '2017-07-11']
        """
        return (self.earliest, self.latest)

    def isoformat(self) -> str:
        """ISO text at the known precision: ``2017``, ``2017-07`` or ``2017-07-11``.

        Example:
            >>> PartialDate(year=2017, month=7).isoformat()
            '2017-07'
        """
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` is one of the days it may be.

        Parameters:
            day: A date.

        Returns:
            ``True`` when ``day`` lies between :attr:`earliest` and :attr:`latest`, both included.

        Example:
            >>> PartialDate(year=2017).contains(dt.date(2017, 12, 31))
            True
        """
        return self.earliest <= day <= self.latest

    def certainly_before(self, other: PartialDate | dt.date) -> bool:
        """Whether every day this may be comes before every day ``other`` may be.

        Parameters:
            other: A partial date, or a date (one day).

        Returns:
            ``True`` when this one's :attr:`latest` day is before ``other``'s first possible day.

        Example:
            >>> PartialDate(year=2017).certainly_before(PartialDate(year=2017, month=7))
            False
            >>> PartialDate(year=2014).certainly_before(dt.date(2015, 1, 1))
            True
        """
        first = other.earliest if isinstance(other, PartialDate) else other
        return self.latest < first

    def may_be_before(self, other: PartialDate | dt.date) -> bool:
        """Whether some day this may be comes before some day ``other`` may be.

        Parameters:
            other: A partial date, or a date (one day).

        Returns:
            ``True`` when this one's :attr:`earliest` day is before ``other``'s last possible day.

        Example:
            >>> PartialDate(year=2017).may_be_before(PartialDate(year=2017, month=7))
            True
            >>> PartialDate(year=2021).may_be_before(dt.date(2017, 7, 11))
            False
        """
        last = other.latest if isinstance(other, PartialDate) else other
        return self.earliest < last


def to_partial_date(value: Any) -> Any:
    """Attrs converter: ISO text or a date to a :class:`PartialDate`; anything else (and text that
    is not a date) is left for the validator.

    Parameters:
        value: The value to convert.

    Returns:
        A :class:`PartialDate` for what :meth:`PartialDate.parse` reads; ``None``, a partial
        date, and anything it does not read, unchanged.

    Example:
        >>> to_partial_date("2017-07"), to_partial_date("soon")
        (PartialDate(year=2017, month=7, day=None), 'soon')
    """
    if value is None or isinstance(value, PartialDate):
        return value
    try:
        return PartialDate.parse(value)
    except ValidationError:
        return value


def optional_partial_date(instance: Any, attribute: Any, value: Any) -> None:
    """Attrs validator: a :class:`PartialDate` or None.

    Parameters:
        instance: The attrs instance being checked; its class names the field in the message.
        attribute: The attrs attribute being checked; its name names the field in the message.
        value: The field's value.

    Raises:
        ValidationError: ``value`` is neither ``None`` nor a :class:`PartialDate`.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Member:
        ...     reported: PartialDate | None = attrs.field(
        ...         default=None, converter=to_partial_date, validator=optional_partial_date)
        >>> str(Member("2017-07").reported)
        '2017-07'
        >>> Member("July 2017")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Member.reported: expected a date such as 2017, 2017-07 or 2017-07-11, got str 'July 2017'
    """
    if value is not None and not isinstance(value, PartialDate):
        raise ValidationError(
            f"{where(instance, attribute)}: expected a date such as 2017, 2017-07 or 2017-07-11, "
            f"got {type(value).__name__} {value!r}"
        )
