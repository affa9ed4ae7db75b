"""Reporting periods: date ranges, period types, fiscal years and ISO-like period ids.

A :class:`Period` is a range of whole days, ``start`` to ``end`` inclusive. Most periods belong to a
:class:`PeriodType` and then have a short id:

- ``DAY``: ``2024-03-15`` (an ISO 8601 date);
- ``WEEK``: ``2024-W05`` (an ISO 8601 week, Monday to Sunday);
- ``MONTH``: ``2024-03``; ``QUARTER``: ``2024-Q1``; ``HALF``: ``2024-H2``; ``YEAR``: ``2024``;
- a fiscal year: ``FY2025``, named by the calendar year in which it *ends*; the start month is part of
  the type (``fiscal_year(7)`` runs July to June);
- a fiscal quarter ``FY2025-Q1`` and a fiscal month ``FY2025-M01``, counted from the start of the
  fiscal year (:func:`fiscal_quarter`, :func:`fiscal_month`): with a July start, ``FY2025-Q1`` is
  July to September 2024 and ``FY2025-M12`` is June 2025;
- any other range has no type and the id of an ISO 8601 interval, ``2024-01-10/2024-02-20``.

**Fiscal naming.** A fiscal year is named by the calendar year in which it ends (the convention of
US states and cities with a July start, and of the US federal government with an October start):
with ``start_month=7``, ``FY2025`` runs from 1 July 2024 to 30 June 2025. A fiscal year that starts
in January is the calendar year, so ``FY2024`` is ``2024``. Fiscal quarters and months belong to the
fiscal year that holds them. A fiscal id means nothing without its start month, so parsing one needs
``fiscal_start_month``.

**Between calendars.** Periods of one type can be mapped onto a coarser type that holds them whole
(:meth:`PeriodType.convert`, checked by :meth:`PeriodType.nests_in`): months to any fiscal quarter or
year, calendar quarters to fiscal years that start in January, April, July or October.
:meth:`PeriodType.expected_counts` says how many periods of a finer type each period holds (12
months in any fiscal year, 28 to 31 days in a month), which is what resampling divides by to report
coverage; :meth:`Period.split` lists them; :meth:`Period.as_type` names the same days as a period of
another type (``2024-Q3`` is ``FY2025-Q1`` with a July start).

Period ids and type codes are parsed with anchored patterns on text of at most 64 characters, and
every date stays within the years 1 to 9999; anything else raises
:class:`~civicinnov.errors.PeriodError`.

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
    >>> [str(m) for m in Period.parse("FY2025-Q1", fiscal_start_month=7).split(MONTH)]
    ['2024-07', '2024-08', '2024-09']
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
    "fiscal_month",
    "fiscal_quarter",
    "fiscal_year",
    "parse_period",
    "parse_period_type",
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
    FISCAL_QUARTER = "fiscal_quarter"
    FISCAL_MONTH = "fiscal_month"


_MONTH_SPAN = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF: 6,
    Frequency.YEAR: 12,
    Frequency.FISCAL_YEAR: 12,
    Frequency.FISCAL_QUARTER: 3,
    Frequency.FISCAL_MONTH: 1,
}
_FISCAL = frozenset({Frequency.FISCAL_YEAR, Frequency.FISCAL_QUARTER, Frequency.FISCAL_MONTH})
# how long a period is, for is_finer_than: fiscal and calendar periods of one length rank alike
_ORDER = {
    Frequency.DAY: 0,
    Frequency.WEEK: 1,
    Frequency.MONTH: 2,
    Frequency.FISCAL_MONTH: 2,
    Frequency.QUARTER: 3,
    Frequency.FISCAL_QUARTER: 3,
    Frequency.HALF: 4,
    Frequency.YEAR: 5,
    Frequency.FISCAL_YEAR: 5,
}
_MIN_DAY = np.datetime64("0001-01-01", "D")
_MAX_DAY = np.datetime64("9999-12-31", "D")
_MAX_ID_TEXT = 64


def _check_start_month(instance: Any, attribute: Any, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise PeriodError(f"start_month: expected a month number from 1 to 12, got {value!r}")
    if value != 1 and instance.frequency not in _FISCAL:
        raise PeriodError(
            f"start_month: only fiscal periods have a start month; got {value!r} for "
            f"{instance.frequency.value}"
        )


@attrs.frozen(kw_only=True)
class PeriodType:
    """A kind of reporting period: day, ISO week, month, quarter, half, year, or fiscal year,
    quarter or month.

    Use the module constants (:data:`MONTH`, :data:`QUARTER`, ...) and :func:`fiscal_year`,
    :func:`fiscal_quarter`, :func:`fiscal_month`.

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
            >>> fiscal_year(7).name, fiscal_quarter(10).name
            ('fiscal year from July', 'fiscal quarter from October')
        """
        if self.frequency in _FISCAL:
            kind = self.frequency.value.replace("_", " ")
            return f"{kind} from {dt.date(2000, self.start_month, 1):%B}"
        return str(self.frequency.value)

    @property
    def code(self) -> str:
        """The type's code in files: ``"month"``, ``"quarter"``, ... or ``"fiscal_year:7"``.

        :func:`parse_period_type` reads it back.

        Example:
            >>> MONTH.code, fiscal_quarter(7).code
            ('month', 'fiscal_quarter:7')
            >>> parse_period_type(fiscal_quarter(7).code) == fiscal_quarter(7)
            True
        """
        if self.frequency in _FISCAL:
            return f"{self.frequency.value}:{self.start_month}"
        return str(self.frequency.value)

    # -- vectorised conversions --------------------------------------------------------------

    def ordinals_of(self, dates: ArrayLike) -> NDArray[np.int64]:
        """Return the ordinal of the period holding each date (``datetime64[D]`` or ISO text).

        Parameters:
            dates: Dates as ``datetime64[D]`` values or ISO text (``"2024-03-15"``), any shape.

        Returns:
            The period ordinals, ``int64``, one per date in the shape of ``dates``.

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

        Parameters:
            ordinals: Period ordinals of this type, any shape.

        Returns:
            The first day of each period, ``datetime64[D]``, in the shape of ``ordinals``.

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

        Parameters:
            ordinals: Period ordinals of this type, any shape.

        Returns:
            The last day of each period, ``datetime64[D]``, in the shape of ``ordinals``.

        Example:
            >>> print(QUARTER.ends([QUARTER.ordinal_of(dt.date(2024, 1, 1))])[0])
            2024-03-31
        """
        ords = np.asarray(ordinals, dtype=np.int64)
        return self.starts(ords + 1) - np.timedelta64(1, "D")

    def convert(self, ordinals: ArrayLike, coarser: PeriodType) -> NDArray[np.int64]:
        """Map ordinals of this type to the ordinals of ``coarser`` periods holding them.

        Raises :class:`~civicinnov.errors.PeriodError` unless this type nests in ``coarser``.

        Parameters:
            ordinals: Period ordinals of this type, any shape.
            coarser: The period type to map onto; each period of this type must lie within one of
                its periods.

        Returns:
            The ``coarser`` ordinals, ``int64``, in the shape of ``ordinals`` (the same ordinals
            when ``coarser`` is this type).

        Raises:
            PeriodError: This type does not nest in ``coarser`` (weeks into months, say).

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

        Parameters:
            coarser: The period type that would hold this type's periods.

        Returns:
            ``True`` when every period of this type lies within one period of ``coarser`` (always
            for days, and for a type and itself).

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

        Parameters:
            other: The period type to compare with.

        Returns:
            ``True`` when this type's periods are shorter; fiscal and calendar types of one length
            (a fiscal quarter and a quarter) are neither finer nor coarser than each other.

        Example:
            >>> MONTH.is_finer_than(YEAR), YEAR.is_finer_than(MONTH)
            (True, False)
        """
        return _ORDER[self.frequency] < _ORDER[other.frequency]

    def expected_counts(self, ordinals: ArrayLike, finer: PeriodType) -> NDArray[np.int64]:
        """How many periods of ``finer`` each period of this type holds (vectorised).

        This is the denominator of resampling coverage: a fiscal year holds 12 calendar months
        whatever its start month, a quarter 90 to 92 days. ``finer`` must nest in this type.

        Parameters:
            ordinals: Ordinals of periods of this type.
            finer: A period type that nests in this one.

        Returns:
            The number of ``finer`` periods in each period.

        Raises:
            PeriodError: ``finer`` does not nest in this type (weeks in months, say).

        Example:
            >>> fy = fiscal_year(7)
            >>> fy.expected_counts([fy.parse_label("FY2024")], MONTH).tolist()
            [12]
            >>> MONTH.expected_counts(MONTH.parse_labels(["2024-02", "2023-02"]), DAY).tolist()
            [29, 28]
            >>> fiscal_quarter(7).expected_counts([0], fiscal_month(7)).tolist()
            [3]
        """
        if not finer.nests_in(self):
            raise PeriodError(
                f"cannot count {finer.name} periods in {self.name} periods: a {finer.name} does "
                f"not always fall within one {self.name}"
            )
        ords = np.asarray(ordinals, dtype=np.int64)
        if finer.frequency in _MONTH_SPAN and self.frequency in _MONTH_SPAN:
            ratio = _MONTH_SPAN[self.frequency] // _MONTH_SPAN[finer.frequency]
            return np.full(ords.shape, ratio, dtype=np.int64)
        first = finer.ordinals_of(self.starts(ords))
        last = finer.ordinals_of(self.ends(ords))
        counts: NDArray[np.int64] = last - first + 1
        return counts

    # -- one period at a time ----------------------------------------------------------------

    def ordinal_of(self, day: dt.date) -> int:
        """Return the ordinal of the period holding ``day``.

        Parameters:
            day: A date.

        Returns:
            The ordinal of the period of this type that holds ``day``.

        Example:
            >>> MONTH.ordinal_of(dt.date(1970, 3, 5))
            2
        """
        return int(self.ordinals_of(np.datetime64(day, "D"))[()])

    def period(self, ordinal: int) -> Period:
        """Return the :class:`Period` with the given ordinal.

        Parameters:
            ordinal: A period ordinal of this type (an integer).

        Returns:
            The period, typed with this period type.

        Raises:
            PeriodError: ``ordinal`` is not an integer, or the period does not lie within the years
                1 to 9999.

        Example:
            >>> HALF.period(HALF.ordinal_of(dt.date(2024, 8, 1))).id
            '2024-H2'
        """
        start, end = self.bounds(ordinal)
        return Period(start=start, end=end, type=self)

    def bounds(self, ordinal: int) -> tuple[dt.date, dt.date]:
        """Return the first and last day of the period with the given ordinal.

        Raises :class:`~civicinnov.errors.PeriodError` for a period that does not lie within the
        years 1 to 9999.

        Parameters:
            ordinal: A period ordinal of this type (an integer).

        Returns:
            The first and last day of the period, both included.

        Raises:
            PeriodError: ``ordinal`` is not an integer, or the period does not lie within the years
                1 to 9999.

        Example:
            >>> YEAR.bounds(0)
            (datetime.date(1970, 1, 1), datetime.date(1970, 12, 31))
        """
        ordinal = self._ordinal(ordinal)
        start, end = self.starts(ordinal)[()], self.ends(ordinal)[()]
        if start < _MIN_DAY or end > _MAX_DAY:
            raise PeriodError(
                f"the {self.name} with ordinal {ordinal} runs {start}..{end}, outside the "
                "years 1 to 9999"
            )
        return _as_date(start), _as_date(end)

    def _ordinal(self, ordinal: Any) -> int:
        if isinstance(ordinal, bool | np.bool_) or not isinstance(ordinal, int | np.integer):
            raise PeriodError(
                f"expected an integer {self.name} ordinal, got {type(ordinal).__name__} "
                f"{ordinal!r:.60}"
            )
        if not -(10**7) <= int(ordinal) <= 10**7:  # far beyond the years 1 to 9999 of any type
            raise PeriodError(
                f"{self.name} ordinal {int(ordinal)} lies outside the years 1 to 9999"
            )
        return int(ordinal)

    def _start_date(self, ordinal: Any) -> dt.date:
        ordinal = self._ordinal(ordinal)
        start = self.starts(ordinal)[()]
        if not _MIN_DAY <= start <= _MAX_DAY:
            raise PeriodError(
                f"the {self.name} with ordinal {ordinal} starts on {start}, outside the years 1 "
                "to 9999"
            )
        return _as_date(start)

    def label(self, ordinal: int) -> str:
        """Return the id of the period with the given ordinal.

        Parameters:
            ordinal: A period ordinal of this type (an integer).

        Returns:
            The period id, such as ``2024-W05``, ``2024-Q1`` or ``FY2025-M01``.

        Raises:
            PeriodError: ``ordinal`` is not an integer, or the period starts outside the years 1 to
                9999.

        Example:
            >>> WEEK.label(WEEK.ordinal_of(dt.date(2024, 1, 31)))
            '2024-W05'
        """
        start = self._start_date(ordinal)
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
        ordinal = int(ordinal)
        if freq is Frequency.FISCAL_QUARTER:
            return f"FY{ordinal // 4 + _EPOCH_YEAR:04d}-Q{ordinal % 4 + 1}"
        if freq is Frequency.FISCAL_MONTH:
            return f"FY{ordinal // 12 + _EPOCH_YEAR:04d}-M{ordinal % 12 + 1:02d}"
        return f"FY{ordinal + _EPOCH_YEAR:04d}"

    def labels(self, ordinals: ArrayLike) -> list[str]:
        """Return the ids of many periods.

        Parameters:
            ordinals: Period ordinals of this type, any shape (flattened).

        Returns:
            The period ids, in the order of the flattened ordinals.

        Raises:
            PeriodError: A period starts outside the years 1 to 9999.

        Example:
            >>> MONTH.labels(MONTH.ordinals_of(["2024-01-05", "2024-02-05"]))
            ['2024-01', '2024-02']
        """
        return [self.label(int(o)) for o in np.asarray(ordinals, dtype=np.int64).ravel()]

    def parse_label(self, text: str) -> int:
        """Return the ordinal of the period whose id is ``text``; the id must be of this type.

        Parameters:
            text: A period id of this type; a fiscal id is read with this type's start month.

        Returns:
            The ordinal of the period.

        Raises:
            PeriodError: ``text`` is not a period id, or is the id of a period of another type.

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

        Parameters:
            texts: Period ids of this type, any shape (flattened).

        Returns:
            The ordinals, ``int64``, in the order of the flattened ids.

        Raises:
            PeriodError: An id is not a period id of this type.

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
    Frequency.FISCAL_QUARTER: "FY2025-Q1",
    Frequency.FISCAL_MONTH: "FY2025-M01",
}


def fiscal_year(start_month: int) -> PeriodType:
    """Return the fiscal-year period type that starts in ``start_month`` (1 = January).

    A fiscal year is named by the calendar year in which it ends, so with ``start_month=7`` the id
    ``FY2025`` covers July 2024 to June 2025. ``fiscal_year(1)`` is the calendar year, with
    ``FY`` ids.

    Parameters:
        start_month: The first month of the fiscal year (1 = January).

    Returns:
        The period type.

    Raises:
        PeriodError: ``start_month`` is not an integer from 1 to 12.

    Example:
        >>> fy = fiscal_year(4)
        >>> p = fy.period(fy.ordinal_of(dt.date(2024, 4, 1)))
        >>> print(p.id, p.start, p.end)
        FY2025 2024-04-01 2025-03-31
    """
    return PeriodType(frequency=Frequency.FISCAL_YEAR, start_month=start_month)


def fiscal_quarter(start_month: int) -> PeriodType:
    """Return the fiscal-quarter period type of fiscal years that start in ``start_month``.

    Quarters are numbered from the start of the fiscal year and belong to it: with
    ``start_month=7``, ``FY2025-Q1`` is July to September 2024 and ``FY2025-Q4`` is April to June
    2025. ``fiscal_quarter(1)`` covers the calendar quarters.

    Parameters:
        start_month: The first month of the fiscal year (1 = January).

    Returns:
        The period type.

    Example:
        >>> fq = fiscal_quarter(7)
        >>> p = fq.period(fq.ordinal_of(dt.date(2024, 8, 15)))
        >>> print(p.id, p.start, p.end)
        FY2025-Q1 2024-07-01 2024-09-30
    """
    return PeriodType(frequency=Frequency.FISCAL_QUARTER, start_month=start_month)


def fiscal_month(start_month: int) -> PeriodType:
    """Return the fiscal-month period type of fiscal years that start in ``start_month``.

    Months are numbered from the start of the fiscal year: with ``start_month=7``, ``FY2025-M01``
    is July 2024 and ``FY2025-M12`` is June 2025. A fiscal month is a calendar month with
    another name, so the two convert both ways.

    Parameters:
        start_month: The first month of the fiscal year (1 = January).

    Returns:
        The period type.

    Example:
        >>> fm = fiscal_month(7)
        >>> fm.label(fm.ordinal_of(dt.date(2025, 6, 30)))
        'FY2025-M12'
        >>> MONTH.labels(fm.convert(fm.parse_labels(["FY2025-M01"]), MONTH))
        ['2024-07']
    """
    return PeriodType(frequency=Frequency.FISCAL_MONTH, start_month=start_month)


def parse_period_type(text: str, *, where: str = "period_type") -> PeriodType:
    """Read a period type code: ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"half"``,
    ``"year"``, or ``"fiscal_year:7"``, ``"fiscal_quarter:7"``, ``"fiscal_month:7"`` (start month
    1 to 12). :attr:`PeriodType.code` writes them.

    Parameters:
        text: The code.
        where: Where the code came from, for the message.

    Returns:
        The period type.

    Raises:
        PeriodError: The text is not a code.

    Example:
        >>> parse_period_type("fiscal_month:10").name
        'fiscal month from October'
        >>> parse_period_type("fiscal_year")
        Traceback (most recent call last):
        ...
        civicinnov.errors.PeriodError: period_type: expected 'day', 'week', 'month', 'quarter', 'half', 'year', 'fiscal_year:<1-12>', 'fiscal_quarter:<1-12>' or 'fiscal_month:<1-12>', got 'fiscal_year'
    """
    expected = (
        "expected 'day', 'week', 'month', 'quarter', 'half', 'year', 'fiscal_year:<1-12>', "
        "'fiscal_quarter:<1-12>' or 'fiscal_month:<1-12>'"
    )
    if not isinstance(text, str):
        raise PeriodError(f"{where}: {expected}, got {type(text).__name__} {text!r:.60}")
    match = _TYPE_CODE.fullmatch(text) if len(text) <= _MAX_ID_TEXT else None
    if match is None:
        raise PeriodError(f"{where}: {expected}, got {text!r:.80}")
    frequency = Frequency(match["frequency"])
    if frequency in _FISCAL:
        if match["month"] is None:
            raise PeriodError(f"{where}: {expected}, got {text!r}")
        return PeriodType(frequency=frequency, start_month=int(match["month"]))
    if match["month"] is not None:
        raise PeriodError(f"{where}: {expected}, got {text!r}")
    return PeriodType(frequency=frequency)


_TYPE_CODE = re.compile(
    r"(?P<frequency>day|week|month|quarter|half|year|fiscal_year|fiscal_quarter|fiscal_month)"
    r"(?::(?P<month>[1-9]|1[0-2]))?"
)


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
        day = value.astype("datetime64[D]")
        if np.isnat(day) or not _MIN_DAY <= day <= _MAX_DAY:
            raise PeriodError(f"expected a date within the years 1 to 9999, got {value!r}")
        return _as_date(day)
    raise PeriodError(f"expected a date, got {type(value).__name__} {value!r:.60}")


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

        Parameters:
            day: The date to look for.

        Returns:
            ``True`` when ``start <= day <= end``.

        Example:
            >>> Period.parse("2024-Q1").contains(dt.date(2024, 3, 31))
            True
        """
        return day in self

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        Parameters:
            other: Another period.

        Returns:
            ``True`` when the periods share a day (ends are included, so periods that meet on one
            day overlap).

        Example:
            >>> Period.parse("2024-Q1").overlaps(Period.parse("2024-03"))
            True
        """
        return self.start <= other.end and other.start <= self.end

    def split(self, finer: PeriodType) -> tuple[Period, ...]:
        """The periods of type ``finer`` that make up this period, in order.

        Parameters:
            finer: A period type that nests in this period's type (for a typed period), or any
                type whose periods lie wholly within this range (for a plain range).

        Returns:
            The periods, from first to last.

        Raises:
            PeriodError: ``finer`` periods do not tile this period exactly.

        Example:
            >>> [p.id for p in Period.parse("FY2025-Q4", fiscal_start_month=7).split(MONTH)]
            ['2025-04', '2025-05', '2025-06']
            >>> len(Period.parse("2024").split(DAY))
            366
        """
        if not isinstance(finer, PeriodType):
            raise PeriodError(f"split: expected a PeriodType, got {type(finer).__name__}")
        first, last = finer.ordinal_of(self.start), finer.ordinal_of(self.end)
        if finer.bounds(first)[0] != self.start or finer.bounds(last)[1] != self.end:
            raise PeriodError(
                f"{self.id} is not a whole number of {finer.name} periods; expected a type whose "
                "periods nest in it"
            )
        return tuple(finer.period(o) for o in range(first, last + 1))

    def as_type(self, period_type: PeriodType) -> Period:
        """The same days as one period of ``period_type`` (``2024-Q3`` as ``FY2025-Q1``).

        Parameters:
            period_type: The type to name the period by.

        Returns:
            A period of ``period_type`` with the same start and end.

        Raises:
            PeriodError: These days are not exactly one period of ``period_type``.

        Example:
            >>> Period.parse("2024-Q3").as_type(fiscal_quarter(7)).id
            'FY2025-Q1'
            >>> Period.parse("2024-Q3").as_type(fiscal_quarter(8))
            Traceback (most recent call last):
            ...
            civicinnov.errors.PeriodError: 2024-07-01..2024-09-30 is not one fiscal quarter from August period; expected 2024-05-01..2024-07-31
        """
        if not isinstance(period_type, PeriodType):
            raise PeriodError(f"as_type: expected a PeriodType, got {type(period_type).__name__}")
        return Period(start=self.start, end=self.end, type=period_type)

    @classmethod
    def parse(cls, text: str, *, fiscal_start_month: int | None = None) -> Period:
        """Parse a period id; see :func:`parse_period`.

        Parameters:
            text: The period id, at most 64 characters.
            fiscal_start_month: The first month of the fiscal year (1 to 12), needed for fiscal ids.

        Returns:
            The period.

        Raises:
            PeriodError: As :func:`parse_period` raises it.

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
    (re.compile(r"^FY(\d{4})-Q([1-4])$"), Frequency.FISCAL_QUARTER),
    (re.compile(r"^FY(\d{4})-M(\d{2})$"), Frequency.FISCAL_MONTH),
)


def parse_period(text: str, *, fiscal_start_month: int | None = None) -> Period:
    """Parse a period id (``2024-03-15``, ``2024-W05``, ``2024-03``, ``2024-Q1``, ``2024-H1``,
    ``2024``, ``FY2025``, ``FY2025-Q1``, ``FY2025-M01``) or an ISO interval ``start/end`` into a
    :class:`Period`.

    A fiscal id needs ``fiscal_start_month``, because ``FY2025`` means different months in
    different cities. Text longer than 64 characters is refused without being read.

    Parameters:
        text: The period id.
        fiscal_start_month: The first month of the fiscal year, for fiscal ids (1 to 12).

    Returns:
        The period.

    Raises:
        PeriodError: The text is not a period id, names a day that does not exist, lies outside
            the years 1 to 9999, or is a fiscal id without ``fiscal_start_month``.

    Example:
        >>> parse_period("2024-Q2").start
        datetime.date(2024, 4, 1)
        >>> p = parse_period("FY2025-M12", fiscal_start_month=7)
        >>> print(p.start, p.end, p.type.name)
        2025-06-01 2025-06-30 fiscal month from July
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
        raise PeriodError(f"expected a period id string, got {type(text).__name__} {text!r:.60}")
    if len(text) > _MAX_ID_TEXT:
        raise PeriodError(
            f"period id of {len(text)} characters; expected at most {_MAX_ID_TEXT}, such as "
            "'2024-03' or 'FY2025-Q1'"
        )
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
            kind = freq.value.replace("_", " ")
            raise PeriodError(
                f"period id {text!r} is a {kind}; give fiscal_start_month (e.g. 7 for July to June)"
            )
        fiscal = PeriodType(frequency=freq, start_month=fiscal_start_month)
        ordinal = year - _EPOCH_YEAR
        if freq is Frequency.FISCAL_QUARTER:
            ordinal = ordinal * 4 + int(match.group(2)) - 1
        elif freq is Frequency.FISCAL_MONTH:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise PeriodError(
                    f"period id {text!r}: fiscal month {month} is not between 1 and 12"
                )
            ordinal = ordinal * 12 + month - 1
        try:
            return fiscal.period(ordinal)
        except PeriodError as exc:
            raise PeriodError(f"period id {text!r}: {exc}") from None
    raise PeriodError(
        f"{text!r} is not a period id; expected one of '2024-03-15', '2024-W05', '2024-03', "
        "'2024-Q1', '2024-H1', '2024', 'FY2025', 'FY2025-Q1', 'FY2025-M01' or 'start/end'"
    )
