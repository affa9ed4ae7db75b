"""Reporting periods: date ranges, period types, fiscal years and ISO-like period ids.

A :class:`Period` is a range of whole days, ``start`` to ``end`` inclusive. Most periods belong to a
:class:`PeriodType` and then have a short id:

- ``DAY``: ``2024-03-15`` (an ISO 8601 date);
- ``WEEK``: ``2024-W05`` (an ISO 8601 week, Monday to Sunday);
- ``MONTH``: ``2024-03``; ``QUARTER``: ``2024-Q1``; ``HALF``: ``2024-H2``; ``YEAR``: ``2024``;
- a fiscal year: ``FY2025``, named by the calendar year in which it *ends*; the start month is part of
  the type (``fiscal_year(7)`` runs July to June);
- any other range has no type and the id of an ISO 8601 interval, ``2024-01-10/2024-02-20``.

For bulk work a period type turns numpy ``datetime64[D]`` arrays into integer *ordinals* (one per
period, consecutive periods differ by one) and back, with no Python loop; metric series store their
periods that way.

What does not live here: calendars of holidays, time zones (periods are dates, not instants), and
the mapping of observations onto periods (see :mod:`civicinnov.metrics`).

Example:
    >>> from civicinnov.periods import Period, fiscal_year
    >>> q = Period.parse("2024-Q1")
    >>> q.start, q.end
    (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    >>> fy = Period.parse("FY2025", fiscal_start_month=7)
    >>> print(fy.start, fy.end, fy.id)
    2024-07-01 2025-06-30 FY2025
    >>> fiscal_year(7).label(fiscal_year(7).ordinal_of(fy.start))
    'FY2025'
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from civicinnov.errors import PeriodError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DAY",
    "HALF",
    "MONTH",
    "QUARTER",
    "WEEK",
    "YEAR",
    "Frequency",
    "Period",
    "PeriodType",
    "fiscal_year",
    "parse_period",
]

_EPOCH_YEAR = 1970


class Frequency(enum.Enum):
    """How often a period type repeats.

    Example:
        >>> Frequency("quarter")
        <Frequency.QUARTER: 'quarter'>
    """

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"


_MONTH_SPAN = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF: 6,
    Frequency.YEAR: 12,
    Frequency.FISCAL_YEAR: 12,
}
_ORDER = {f: i for i, f in enumerate(Frequency)}


def _check_start_month(instance: Any, attribute: Any, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise PeriodError(f"start_month: expected a month number from 1 to 12, got {value!r}")
    if value != 1 and instance.frequency is not Frequency.FISCAL_YEAR:
        raise PeriodError(
            f"start_month: only fiscal years have a start month; got {value!r} for "
            f"{instance.frequency.value}"
        )


@attrs.frozen(kw_only=True)
class PeriodType:
    """A kind of reporting period: day, ISO week, month, quarter, half, year or fiscal year.

    Use the module constants (:data:`MONTH`, :data:`QUARTER`, ...) and :func:`fiscal_year`.

    Example:
        >>> import numpy as np
        >>> days = np.array(["2024-01-31", "2024-02-01", "2024-04-01"], dtype="datetime64[D]")
        >>> ords = QUARTER.ordinals_of(days)
        >>> [QUARTER.label(o) for o in ords]
        ['2024-Q1', '2024-Q1', '2024-Q2']
        >>> MONTH.nests_in(fiscal_year(4)), WEEK.nests_in(MONTH)
        (True, False)
    """

    frequency: Frequency
    start_month: int = attrs.field(default=1, validator=_check_start_month)

    @property
    def name(self) -> str:
        """A short readable name, such as ``'quarter'`` or ``'fiscal year from July'``.

        Example:
            >>> fiscal_year(7).name
            'fiscal year from July'
        """
        if self.frequency is Frequency.FISCAL_YEAR:
            return f"fiscal year from {dt.date(2000, self.start_month, 1):%B}"
        return str(self.frequency.value)

    # -- vectorised conversions --------------------------------------------------------------

    def ordinals_of(self, dates: ArrayLike) -> NDArray[np.int64]:
        """Return the ordinal of the period holding each date (``datetime64[D]`` or ISO text).

        Example:
            >>> YEAR.ordinals_of(["1970-06-01", "2024-12-31"]).tolist()
            [0, 54]
        """
        days = np.asarray(dates, dtype="datetime64[D]")
        if self.frequency is Frequency.DAY:
            return days.astype(np.int64)
        if self.frequency is Frequency.WEEK:
            return (days.astype(np.int64) + 3) // 7
        months = days.astype("datetime64[M]").astype(np.int64)
        return self._ordinals_of_months(months)

    def _ordinals_of_months(self, months: NDArray[np.int64]) -> NDArray[np.int64]:
        span = _MONTH_SPAN[self.frequency]
        offset = (13 - self.start_month) % 12
        result: NDArray[np.int64] = (months + offset) // span
        return result

    def starts(self, ordinals: ArrayLike) -> NDArray[np.datetime64]:
        """Return the first day of each period, as ``datetime64[D]``.

        Example:
            >>> print(MONTH.starts([MONTH.ordinal_of(dt.date(2024, 2, 10))])[0])
            2024-02-01
        """
        ords = np.asarray(ordinals, dtype=np.int64)
        if self.frequency is Frequency.DAY:
            return ords.astype("datetime64[D]")
        if self.frequency is Frequency.WEEK:
            return (ords * 7 - 3).astype("datetime64[D]")
        span = _MONTH_SPAN[self.frequency]
        offset = (13 - self.start_month) % 12
        months = ords * span - offset
        return months.astype("datetime64[M]").astype("datetime64[D]")

    def ends(self, ordinals: ArrayLike) -> NDArray[np.datetime64]:
        """Return the last day of each period, as ``datetime64[D]``.

        Example:
            >>> print(QUARTER.ends([QUARTER.ordinal_of(dt.date(2024, 1, 1))])[0])
            2024-03-31
        """
        ords = np.asarray(ordinals, dtype=np.int64)
        return self.starts(ords + 1) - np.timedelta64(1, "D")

    def convert(self, ordinals: ArrayLike, coarser: PeriodType) -> NDArray[np.int64]:
        """Map ordinals of this type to the ordinals of ``coarser`` periods holding them.

        Raises :class:`~civicinnov.errors.PeriodError` unless this type nests in ``coarser``.

        Example:
            >>> m = MONTH.ordinals_of(["2024-06-01", "2024-07-01"])
            >>> [fiscal_year(7).label(o) for o in MONTH.convert(m, fiscal_year(7))]
            ['FY2024', 'FY2025']
        """
        if not self.nests_in(coarser):
            raise PeriodError(
                f"cannot resample {self.name} periods to {coarser.name} periods: "
                f"a {self.name} does not always fall within one {coarser.name}"
            )
        ords = np.asarray(ordinals, dtype=np.int64)
        if self == coarser:
            return ords
        if self.frequency in _MONTH_SPAN and coarser.frequency in _MONTH_SPAN:
            span = _MONTH_SPAN[self.frequency]
            offset = (13 - self.start_month) % 12
            return coarser._ordinals_of_months(ords * span - offset)
        return coarser.ordinals_of(self.starts(ords))

    def nests_in(self, coarser: PeriodType) -> bool:
        """Whether every period of this type lies wholly within one period of ``coarser``.

        Example:
            >>> QUARTER.nests_in(fiscal_year(7)), QUARTER.nests_in(fiscal_year(8))
            (True, False)
        """
        if self == coarser or self.frequency is Frequency.DAY:
            return True
        if self.frequency not in _MONTH_SPAN or coarser.frequency not in _MONTH_SPAN:
            return False
        span, coarse_span = _MONTH_SPAN[self.frequency], _MONTH_SPAN[coarser.frequency]
        offset = (13 - self.start_month) % 12
        coarse_offset = (13 - coarser.start_month) % 12
        return coarse_span % span == 0 and (coarse_offset - offset) % span == 0

    def is_finer_than(self, other: PeriodType) -> bool:
        """Whether periods of this type are shorter than periods of ``other``.

        Example:
            >>> MONTH.is_finer_than(YEAR), YEAR.is_finer_than(MONTH)
            (True, False)
        """
        return _ORDER[self.frequency] < _ORDER[other.frequency] and not (
            self.frequency is Frequency.YEAR and other.frequency is Frequency.FISCAL_YEAR
        )

    # -- one period at a time ----------------------------------------------------------------

    def ordinal_of(self, day: dt.date) -> int:
        """Return the ordinal of the period holding ``day``.

        Example:
            >>> MONTH.ordinal_of(dt.date(1970, 3, 5))
            2
        """
        return int(self.ordinals_of(np.datetime64(day, "D"))[()])

    def period(self, ordinal: int) -> Period:
        """Return the :class:`Period` with the given ordinal.

        Example:
            >>> HALF.period(HALF.ordinal_of(dt.date(2024, 8, 1))).id
            '2024-H2'
        """
        start, end = self.bounds(ordinal)
        return Period(start=start, end=end, type=self)

    def bounds(self, ordinal: int) -> tuple[dt.date, dt.date]:
        """Return the first and last day of the period with the given ordinal.

        Example:
            >>> YEAR.bounds(0)
            (datetime.date(1970, 1, 1), datetime.date(1970, 12, 31))
        """
        return _as_date(self.starts(ordinal)[()]), _as_date(self.ends(ordinal)[()])

    def label(self, ordinal: int) -> str:
        """Return the id of the period with the given ordinal.

        Example:
            >>> WEEK.label(WEEK.ordinal_of(dt.date(2024, 1, 31)))
            '2024-W05'
        """
        start = _as_date(self.starts(int(ordinal))[()])
        freq = self.frequency
        if freq is Frequency.DAY:
            return start.isoformat()
        if freq is Frequency.WEEK:
            year, week, _ = start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        if freq is Frequency.MONTH:
            return f"{start.year:04d}-{start.month:02d}"
        if freq is Frequency.QUARTER:
            return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
        if freq is Frequency.HALF:
            return f"{start.year:04d}-H{(start.month - 1) // 6 + 1}"
        if freq is Frequency.YEAR:
            return f"{start.year:04d}"
        return f"FY{int(ordinal) + _EPOCH_YEAR:04d}"

    def labels(self, ordinals: ArrayLike) -> list[str]:
        """Return the ids of many periods.

        Example:
            >>> MONTH.labels(MONTH.ordinals_of(["2024-01-05", "2024-02-05"]))
            ['2024-01', '2024-02']
        """
        return [self.label(int(o)) for o in np.asarray(ordinals, dtype=np.int64).ravel()]

    def parse_label(self, text: str) -> int:
        """Return the ordinal of the period whose id is ``text``; the id must be of this type.

        Example:
            >>> QUARTER.label(QUARTER.parse_label("2024-Q3"))
            '2024-Q3'
            >>> QUARTER.parse_label("2024-03")
            Traceback (most recent call last):
            ...
            civicinnov.errors.PeriodError: period id '2024-03' is a month id; expected a quarter id such as '2024-Q1'
        """
        period = parse_period(text, fiscal_start_month=self.start_month)
        if period.type != self:
            kind = period.type.name if period.type is not None else "date range"
            raise PeriodError(
                f"period id {text!r} is a {kind} id; expected a {self.name} id such as "
                f"{_EXAMPLES[self.frequency]!r}"
            )
        return self.ordinal_of(period.start)

    def parse_labels(self, texts: ArrayLike) -> NDArray[np.int64]:
        """Return the ordinals of many period ids of this type.

        Example:
            >>> MONTH.parse_labels(["1970-01", "1970-03"]).tolist()
            [0, 2]
        """
        items = np.asarray(texts, dtype=object).ravel()
        if self.frequency is Frequency.DAY:
            try:
                return np.asarray(items.astype(str), dtype="datetime64[D]").astype(np.int64)
            except ValueError:
                pass
        if self.frequency is Frequency.MONTH:
            try:
                months = np.asarray(items.astype(str), dtype="datetime64[M]")
                if all(len(str(t)) == 7 for t in items[:1]):
                    return months.astype(np.int64)
            except ValueError:
                pass
        return np.fromiter(
            (self.parse_label(str(t)) for t in items), dtype=np.int64, count=len(items)
        )

    def __str__(self) -> str:
        return self.name


def _as_date(value: Any) -> dt.date:
    result: dt.date = np.datetime64(value, "D").astype(dt.date)
    return result


DAY = PeriodType(frequency=Frequency.DAY)
WEEK = PeriodType(frequency=Frequency.WEEK)
MONTH = PeriodType(frequency=Frequency.MONTH)
QUARTER = PeriodType(frequency=Frequency.QUARTER)
HALF = PeriodType(frequency=Frequency.HALF)
YEAR = PeriodType(frequency=Frequency.YEAR)

_EXAMPLES = {
    Frequency.DAY: "2024-03-15",
    Frequency.WEEK: "2024-W05",
    Frequency.MONTH: "2024-03",
    Frequency.QUARTER: "2024-Q1",
    Frequency.HALF: "2024-H1",
    Frequency.YEAR: "2024",
    Frequency.FISCAL_YEAR: "FY2025",
}


def fiscal_year(start_month: int) -> PeriodType:
    """Return the fiscal-year period type that starts in ``start_month`` (1 = January).

    A fiscal year is named by the calendar year in which it ends, so with ``start_month=7`` the id
    ``FY2025`` covers July 2024 to June 2025. ``fiscal_year(1)`` is the calendar year, with
    ``FY`` ids.

    Example:
        >>> fy = fiscal_year(4)
        >>> p = fy.period(fy.ordinal_of(dt.date(2024, 4, 1)))
        >>> print(p.id, p.start, p.end)
        FY2025 2024-04-01 2025-03-31
    """
    return PeriodType(frequency=Frequency.FISCAL_YEAR, start_month=start_month)


def _check_end(instance: Period, attribute: Any, value: dt.date) -> None:
    if value < instance.start:
        raise PeriodError(f"end: {value.isoformat()} is before start {instance.start.isoformat()}")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PeriodError(f"expected an ISO date such as '2024-03-15', got {value!r}") from None
    if isinstance(value, np.datetime64):
        result: dt.date = value.astype("datetime64[D]").astype(dt.date)
        return result
    raise PeriodError(f"expected a date, got {type(value).__name__} {value!r}")


@attrs.frozen(kw_only=True, order=True)
class Period:
    """A range of whole days, ``start`` to ``end`` inclusive, optionally of a :class:`PeriodType`.

    Periods sort by start, then end. ``str(period)`` is its id.

    Example:
        >>> p = Period.parse("2024-03")
        >>> p.days, p.id, str(p)
        (31, '2024-03', '2024-03')
        >>> Period(start=dt.date(2024, 1, 10), end=dt.date(2024, 2, 20)).id
        '2024-01-10/2024-02-20'
        >>> Period(start=dt.date(2024, 2, 1), end=dt.date(2024, 1, 1))
        Traceback (most recent call last):
        ...
        civicinnov.errors.PeriodError: end: 2024-01-01 is before start 2024-02-01
    """

    start: dt.date = attrs.field(converter=_to_date)
    end: dt.date = attrs.field(converter=_to_date, validator=_check_end)
    type: PeriodType | None = attrs.field(default=None, order=False, eq=True)

    def __attrs_post_init__(self) -> None:
        if self.type is not None:
            ordinal = self.type.ordinal_of(self.start)
            expected = self.type.bounds(ordinal)
            if (self.start, self.end) != expected:
                raise PeriodError(
                    f"{self.start.isoformat()}..{self.end.isoformat()} is not one {self.type.name} "
                    f"period; expected {expected[0].isoformat()}..{expected[1].isoformat()}"
                )

    @property
    def id(self) -> str:
        """The period's id (``2024-Q1``, ``FY2025``, or ``start/end`` for a plain range).

        Example:
            >>> Period.parse("2024-W05").id
            '2024-W05'
        """
        if self.type is None:
            return f"{self.start.isoformat()}/{self.end.isoformat()}"
        return self.type.label(self.type.ordinal_of(self.start))

    @property
    def days(self) -> int:
        """Number of days in the period, counting both ends.

        Example:
            >>> Period.parse("2024").days
            366
        """
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= _to_date(day) <= self.end

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls within the period.

        Example:
            >>> Period.parse("2024-Q1").contains(dt.date(2024, 3, 31))
            True
        """
        return day in self

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        Example:
            >>> Period.parse("2024-Q1").overlaps(Period.parse("2024-03"))
            True
        """
        return self.start <= other.end and other.start <= self.end

    @classmethod
    def parse(cls, text: str, *, fiscal_start_month: int | None = None) -> Period:
        """Parse a period id; see :func:`parse_period`.

        Example:
            >>> Period.parse("2023-H1").end
            datetime.date(2023, 6, 30)
        """
        return parse_period(text, fiscal_start_month=fiscal_start_month)

    def __str__(self) -> str:
        return self.id


_PATTERNS: tuple[tuple[re.Pattern[str], Frequency], ...] = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), Frequency.DAY),
    (re.compile(r"^(\d{4})-W(\d{2})$"), Frequency.WEEK),
    (re.compile(r"^(\d{4})-(\d{2})$"), Frequency.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), Frequency.QUARTER),
    (re.compile(r"^(\d{4})-H([12])$"), Frequency.HALF),
    (re.compile(r"^(\d{4})$"), Frequency.YEAR),
    (re.compile(r"^FY(\d{4})$"), Frequency.FISCAL_YEAR),
)


def parse_period(text: str, *, fiscal_start_month: int | None = None) -> Period:
    """Parse a period id (``2024-03-15``, ``2024-W05``, ``2024-03``, ``2024-Q1``, ``2024-H1``,
    ``2024``, ``FY2025``) or an ISO interval ``start/end`` into a :class:`Period`.

    A fiscal-year id needs ``fiscal_start_month``, because ``FY2025`` means different months in
    different cities.

    Example:
        >>> parse_period("2024-Q2").start
        datetime.date(2024, 4, 1)
        >>> parse_period("FY2025")
        Traceback (most recent call last):
        ...
        civicinnov.errors.PeriodError: period id 'FY2025' is a fiscal year; give fiscal_start_month (e.g. 7 for July to June)
        >>> parse_period("2024-13")
        Traceback (most recent call last):
        ...
        civicinnov.errors.PeriodError: period id '2024-13': month 13 is not between 1 and 12
    """
    if not isinstance(text, str):
        raise PeriodError(f"expected a period id string, got {type(text).__name__} {text!r}")
    raw = text.strip()
    if "/" in raw:
        first, _, last = raw.partition("/")
        return Period(start=_to_date(first), end=_to_date(last))
    for pattern, freq in _PATTERNS:
        match = pattern.match(raw)
        if match is None:
            continue
        year = int(match.group(1))
        try:
            if freq is Frequency.DAY:
                day = dt.date(year, int(match.group(2)), int(match.group(3)))
                return DAY.period(DAY.ordinal_of(day))
            if freq is Frequency.WEEK:
                monday = dt.date.fromisocalendar(year, int(match.group(2)), 1)
                return WEEK.period(WEEK.ordinal_of(monday))
            if freq is Frequency.MONTH:
                month = int(match.group(2))
                if not 1 <= month <= 12:
                    raise PeriodError(f"period id {text!r}: month {month} is not between 1 and 12")
                return MONTH.period(MONTH.ordinal_of(dt.date(year, month, 1)))
            if freq is Frequency.QUARTER:
                month = (int(match.group(2)) - 1) * 3 + 1
                return QUARTER.period(QUARTER.ordinal_of(dt.date(year, month, 1)))
            if freq is Frequency.HALF:
                month = (int(match.group(2)) - 1) * 6 + 1
                return HALF.period(HALF.ordinal_of(dt.date(year, month, 1)))
            if freq is Frequency.YEAR:
                return YEAR.period(YEAR.ordinal_of(dt.date(year, 1, 1)))
        except ValueError as exc:
            if isinstance(exc, PeriodError):
                raise
            raise PeriodError(f"period id {text!r}: {exc}") from None
        if fiscal_start_month is None:
            raise PeriodError(
                f"period id {text!r} is a fiscal year; give fiscal_start_month "
                "(e.g. 7 for July to June)"
            )
        fy = fiscal_year(fiscal_start_month)
        return fy.period(year - _EPOCH_YEAR)
    raise PeriodError(
        f"{text!r} is not a period id; expected one of '2024-03-15', '2024-W05', '2024-03', "
        "'2024-Q1', '2024-H1', '2024', 'FY2025' or 'start/end'"
    )
