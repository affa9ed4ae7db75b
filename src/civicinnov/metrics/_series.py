"""Observations of one metric in one place: :class:`MetricSeries`, numpy arrays with one unit.

A series holds, row by row, a period ordinal of one :class:`~civicinnov.periods.PeriodType` and a
value (``NaN`` marks a missing value); one unit covers the whole array, so a series of a million
observations is a handful of arrays, not a million quantities. Optional parts:

- **ratio parts**: ``numerators`` and ``denominators`` (each with its own unit) for ratio metrics,
  so aggregates are computed as Σnumerator / Σdenominator, never as the mean of ratios (the mistake
  Akvo RSR, DevResults and LogAlto users report; DHIS2 aggregates the parts of an indicator);
- **disaggregation**: closed :class:`Dimension` code lists (after SDMX and DHIS2 category combos)
  with the reserved code ``"_T"`` (:data:`TOTAL`) for the total; rows are grouped by their codes
  and, within a group, in increasing period order;
- **narratives**: text per row, which qualitative observations carry instead of a number.

Operations return new series: :meth:`MetricSeries.to` (unit conversion), :meth:`~MetricSeries.resample`
(to a coarser period type, by the definition's temporal aggregation), :meth:`~MetricSeries.combine`
(several places into one, by the spatial aggregation), :meth:`~MetricSeries.check_totals`
(disaggregates add up to their total, for additive metrics). Every operation is vectorised with
numpy (``ufunc.reduceat`` over sorted groups, ``np.unique`` + ``np.bincount``); none loops over
observations in Python.

Missing data in an aggregate follows :class:`~civicinnov.metrics.MissingDataPolicy`: a
period counts as missing when its value is ``NaN`` *or* when it has no row at all (a month with
observations for 20 of its 31 days has 11 missing days).

Example:
    >>> from civicinnov.metrics import MetricDefinition, Direction
    >>> from civicinnov.periods import MONTH, QUARTER
    >>> calls = MetricDefinition(id="calls", name="Calls", unit="call")
    >>> s = MetricSeries.from_records(calls, place_id="nola", period_type=MONTH,
    ...     records=[("2024-01", 10), ("2024-02", 12), ("2024-03", 8), ("2024-04", 5)])
    >>> q = s.resample(QUARTER, calls)
    >>> q.labels, q.values.tolist(), str(q.unit)
    (['2024-Q1', '2024-Q2'], [30.0, 5.0], 'call')
    >>> q.observed.tolist(), q.expected.tolist(), q.partial.tolist()
    ([3, 1], [3, 3], [False, True])
    >>> s.resample(QUARTER, calls, require_complete=True).values.tolist()
    [30.0, nan]
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from civicinnov._values import check_id
from civicinnov.errors import (
    CivicError,
    DisaggregationError,
    SeriesError,
    UnitError,
    ValidationError,
)
from civicinnov.metrics._definition import (
    MeasureKind,
    MetricDefinition,
    MissingDataPolicy,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.metrics._status import (
    ApprovalState,
    MissingReason,
    ObservationStatus,
    Revisions,
    check_timestamps,
    code_array,
)
from civicinnov.periods import DAY, Period, PeriodType
from civicinnov.units import as_quantity, get_registry, parse_unit, registry_key

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from civicinnov.units import Quantity, Unit

__all__ = ["TOTAL", "Dimension", "MetricSeries", "missing_periods"]

#: The per-row text fields that describe an observation (None where not given).
_TEXT_FIELDS = ("comments", "sources", "recorded_by", "recorded_at")
#: The ordinal of 0002-01-01 as a DAY, the first day a series may hold.
_FIRST_DAY = -718_797

#: Every optional per-row field (one entry per row when given).
_ROW_FIELDS = (
    "statuses",
    "missing_reasons",
    "approvals",
    "comments",
    "sources",
    "recorded_by",
    "recorded_at",
    "observed",
    "expected",
)

#: Record keys of :meth:`MetricSeries.from_records` and the series field each fills.
_RECORD_ANNOTATIONS = {
    "status": "statuses",
    "missing_reason": "missing_reasons",
    "approval": "approvals",
    "comment": "comments",
    "source": "sources",
    "recorded_by": "recorded_by",
    "recorded_at": "recorded_at",
}
#: The per-row code fields (int8 codes, 0 = not given) and their enums.
_CODE_FIELDS = (
    ("statuses", ObservationStatus),
    ("missing_reasons", MissingReason),
    ("approvals", ApprovalState),
)

#: The reserved code for "all values of this dimension" (SDMX ``_T``).
TOTAL = "_T"

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")


def _check_codes(
    instance: Dimension, attribute: attrs.Attribute[Any], value: tuple[str, ...]
) -> None:
    if not value:
        raise DisaggregationError(f"dimension {instance.id!r}: codes: expected at least one code")
    for code in value:
        if code == TOTAL:
            raise DisaggregationError(
                f"dimension {instance.id!r}: codes: {TOTAL!r} is reserved for the total and is "
                "always allowed; do not list it"
            )
        if not isinstance(code, str) or _CODE.match(code) is None:
            raise DisaggregationError(
                f"dimension {instance.id!r}: codes: expected codes of letters, digits, '_', '.', "
                f"'+', '-' (such as 'F' or 'Y15T24'), got {code!r}"
            )
    if len(set(value)) != len(value):
        dupes = sorted({c for c in value if value.count(c) > 1})
        raise DisaggregationError(f"dimension {instance.id!r}: codes: duplicated {dupes}")


def _to_codes(value: Iterable[str]) -> tuple[str, ...]:
    """Normalise a dimension's codes (any iterable of text) to a tuple."""
    return tuple(value)


@attrs.frozen(kw_only=True)
class Dimension:
    """A disaggregation dimension with a closed list of codes; :data:`TOTAL` (``"_T"``) is implied.

    Example:
        >>> sex = Dimension(id="sex", codes=("F", "M"))
        >>> sex.all_codes
        ('_T', 'F', 'M')
        >>> sex.index(["M", "_T", "F"]).tolist()
        [2, 0, 1]
        >>> sex.index(["X"])
        Traceback (most recent call last):
        ...
        civicinnov.errors.DisaggregationError: sex: 'X' is not a code of dimension 'sex'; expected one of '_T', 'F', 'M'
    """

    id: str = attrs.field(validator=lambda i, a, v: check_id(v, where="dimension.id"))
    codes: tuple[str, ...] = attrs.field(converter=_to_codes, validator=_check_codes)
    name: str | None = None

    @property
    def all_codes(self) -> tuple[str, ...]:
        """The total code followed by the dimension's own codes; a row's category is an index here.

        Example:
            >>> Dimension(id="age", codes=("Y0T17", "Y18T64")).all_codes[0]
            '_T'
        """
        return (TOTAL, *self.codes)

    def index(self, codes: ArrayLike) -> NDArray[np.int64]:
        """Return the position of each code in :attr:`all_codes` (0 is the total), vectorised.

        Raises :class:`~civicinnov.errors.DisaggregationError` for a code outside the closed set.

        Parameters:
            codes: the codes to look up (any array-like; read as text and flattened).

        Returns:
            A 1-d ``int64`` array with each code's position in :attr:`all_codes` (0 for ``'_T'``).

        Raises:
            DisaggregationError: a code outside the dimension's closed set.

        Example:
            >>> Dimension(id="sex", codes=("F", "M")).index(np.array(["F", "F"])).tolist()
            [1, 1]
        """
        known = np.asarray(self.all_codes)
        order = np.argsort(known)
        given = np.asarray(codes).astype(str).reshape(-1)
        pos = np.searchsorted(known, given, sorter=order)
        pos = np.clip(pos, 0, len(known) - 1)
        found = order[pos]
        bad = known[found] != given
        if np.any(bad):
            wrong = str(given[np.flatnonzero(bad)[0]])
            allowed = ", ".join(repr(c) for c in self.all_codes)
            raise DisaggregationError(
                f"{self.id}: {wrong!r} is not a code of dimension {self.id!r}; expected one of "
                f"{allowed}"
            )
        return found.astype(np.int64)


def _readonly(array: NDArray[Any]) -> NDArray[Any]:
    array.flags.writeable = False
    return array


def _ints(value: Any) -> NDArray[np.int64]:
    if isinstance(value, np.ndarray) and value.dtype == np.int64 and not value.flags.writeable:
        return value
    try:
        arr = np.array(value, dtype=np.int64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"ordinals: expected integer period ordinals, got {exc}") from None
    return _readonly(arr)


def _floats(value: Any, name: str = "values") -> NDArray[np.float64]:
    if isinstance(value, np.ndarray) and value.dtype == np.float64 and not value.flags.writeable:
        return value
    try:
        arr = np.array(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"{name}: expected numbers (NaN for missing), got {exc}") from None
    return _readonly(arr)


def _optional_numerators(value: Any) -> NDArray[np.float64] | None:
    return None if value is None else _floats(value, "numerators")


def _optional_denominators(value: Any) -> NDArray[np.float64] | None:
    return None if value is None else _floats(value, "denominators")


def _dimensions(value: Iterable[Dimension]) -> tuple[Dimension, ...]:
    return tuple(value)


def _categories(value: Any) -> NDArray[np.int64] | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.dtype == np.int64 and not value.flags.writeable:
        return value
    arr = np.array(value, dtype=np.int64)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    return _readonly(arr)


def _unit(value: Any) -> Unit:
    """Normalise ``value`` to a unit of the application registry.

    A unit that already belongs to that registry is returned as it is (parsing its text again costs
    about 100 µs per series); a unit of another registry is re-created from its text, and text is
    parsed.
    """
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    if isinstance(value, pint.Unit):
        if value._REGISTRY is registry_key():
            return value
        return parse_unit(str(value), where="unit")
    return parse_unit(value, where="unit")


def _optional_unit(value: Any) -> Unit | None:
    return None if value is None else _unit(value)


# Per-row annotations normalise "nothing given on any row" to None, so that a series reads back
# from a file (where an empty column is no column) equal to the series written.


def _narratives(value: Any) -> tuple[str | None, ...] | None:
    if value is None:
        return None
    texts = tuple(value)
    return texts if len(texts) == 0 or texts.count(None) != len(texts) else None


def _texts(value: Any) -> tuple[str | None, ...] | None:
    if value is None:
        return None
    texts = tuple(value)
    if not set(map(type, texts)) <= {str, type(None)}:
        texts = tuple(None if v is None else str(v) for v in texts)
    return _narratives(texts)


def _some(codes: NDArray[np.int8] | None) -> NDArray[np.int8] | None:
    return None if codes is None or (len(codes) and not codes.any()) else codes


def _status_codes(value: Any) -> NDArray[np.int8] | None:
    return _some(code_array(value, ObservationStatus, "statuses"))


def _reason_codes(value: Any) -> NDArray[np.int8] | None:
    return _some(code_array(value, MissingReason, "missing_reasons"))


def _approval_codes(value: Any) -> NDArray[np.int8] | None:
    return _some(code_array(value, ApprovalState, "approvals"))


def _timestamps(value: Any) -> tuple[str | None, ...] | None:
    return _narratives(check_timestamps(value, "recorded_at"))


def _optional_counts(value: Any) -> NDArray[np.int64] | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.dtype == np.int64 and not value.flags.writeable:
        return value
    return _ints(value)


def _array_eq() -> Any:
    return attrs.cmp_using(
        eq=lambda a, b: (
            a is b
            or (
                a is not None
                and b is not None
                and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=True)
            )
        )
    )


def _factor(from_unit: Unit, to_unit: Unit, *, where: str) -> float:

    if from_unit == to_unit:
        return 1.0
    try:
        return float(get_registry().Quantity(1.0, from_unit).to(to_unit).magnitude)
    except Exception:
        raise UnitError(
            f"{where}: cannot convert {from_unit} ({from_unit.dimensionality or 'dimensionless'}) "
            f"to {to_unit} ({to_unit.dimensionality or 'dimensionless'})"
        ) from None


@attrs.frozen(kw_only=True, hash=False)
class MetricSeries:
    """Observations of one metric in one place: period ordinals, values and one unit.

    Rows are grouped by disaggregation codes (when there are dimensions) and within a group sorted
    by period, each period at most once. ``categories`` has one column per dimension holding
    indexes into :attr:`Dimension.all_codes` (0 = total). The arrays are read-only; the series is
    unhashable (it holds arrays) and compares arrays element-wise, ``NaN`` equal to ``NaN``.

    Build series with :meth:`from_records` (lists of ``(period id, value)``) or
    :meth:`from_arrays` (the fast path); the constructor takes arrays as they are stored.

    Raises :class:`~civicinnov.errors.SeriesError` for arrays of different lengths, periods out of
    order or duplicated, or a zero denominator; :class:`~civicinnov.errors.DisaggregationError` for
    a category outside its dimension.

    Example:
        >>> from civicinnov.periods import MONTH
        >>> s = MetricSeries(metric_id="murders", place_id="new-orleans", period_type=MONTH,
        ...                  ordinals=MONTH.parse_labels(["2024-01", "2024-02"]),
        ...                  values=[14, 11], unit="incident")
        >>> s.quantity
        <Quantity([14. 11.], 'incident')>
        >>> MetricSeries(metric_id="murders", place_id="new-orleans", period_type=MONTH,
        ...              ordinals=[650, 649], values=[1, 2], unit="incident")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SeriesError: series 'murders' in 'new-orleans': ordinals[1]: observations out of period order: 2024-03 then 2024-02; expected increasing periods
    """

    #: The fields a document or file writes only when they hold something (annotations added
    #: after the first document format; older documents load without them).
    OPTIONAL_FIELDS: ClassVar[tuple[str, ...]] = (
        "statuses",
        "missing_reasons",
        "approvals",
        "comments",
        "sources",
        "recorded_by",
        "recorded_at",
        "revisions",
        "observed",
        "expected",
    )

    metric_id: str = attrs.field(validator=lambda i, a, v: check_id(v, where="metric_id"))
    place_id: str = attrs.field(validator=lambda i, a, v: check_id(v, where="place_id"))
    period_type: PeriodType
    ordinals: NDArray[np.int64] = attrs.field(converter=_ints, eq=_array_eq())
    values: NDArray[np.float64] = attrs.field(converter=_floats, eq=_array_eq())
    unit: Unit = attrs.field(converter=_unit)
    numerators: NDArray[np.float64] | None = attrs.field(
        default=None, converter=_optional_numerators, eq=_array_eq()
    )
    denominators: NDArray[np.float64] | None = attrs.field(
        default=None, converter=_optional_denominators, eq=_array_eq()
    )
    numerator_unit: Unit | None = attrs.field(default=None, converter=_optional_unit)
    denominator_unit: Unit | None = attrs.field(default=None, converter=_optional_unit)
    dimensions: tuple[Dimension, ...] = attrs.field(default=(), converter=_dimensions)
    categories: NDArray[np.int64] | None = attrs.field(
        default=None, converter=_categories, eq=_array_eq()
    )
    narratives: tuple[str | None, ...] | None = attrs.field(default=None, converter=_narratives)
    statuses: NDArray[np.int8] | None = attrs.field(
        default=None, converter=_status_codes, eq=_array_eq()
    )
    missing_reasons: NDArray[np.int8] | None = attrs.field(
        default=None, converter=_reason_codes, eq=_array_eq()
    )
    approvals: NDArray[np.int8] | None = attrs.field(
        default=None, converter=_approval_codes, eq=_array_eq()
    )
    comments: tuple[str | None, ...] | None = attrs.field(default=None, converter=_texts)
    sources: tuple[str | None, ...] | None = attrs.field(default=None, converter=_texts)
    recorded_by: tuple[str | None, ...] | None = attrs.field(default=None, converter=_texts)
    recorded_at: tuple[str | None, ...] | None = attrs.field(default=None, converter=_timestamps)
    revisions: Revisions | None = None
    observed: NDArray[np.int64] | None = attrs.field(
        default=None, converter=_optional_counts, eq=_array_eq()
    )
    expected: NDArray[np.int64] | None = attrs.field(
        default=None, converter=_optional_counts, eq=_array_eq()
    )

    def __attrs_post_init__(self) -> None:
        n = len(self.ordinals)
        where = self._where
        if not isinstance(self.period_type, PeriodType):
            raise SeriesError(
                f"{where}: period_type: expected a PeriodType, got {self.period_type!r}"
            )
        if len(self.values) != n:
            raise SeriesError(
                f"{where}: values: expected {n} values (one per ordinal), got {len(self.values)}"
            )
        self._check_parts(n)
        self._check_categories(n)
        if self.narratives is not None and len(self.narratives) != n:
            raise SeriesError(
                f"{where}: narratives: expected {n} narratives (one per ordinal), got "
                f"{len(self.narratives)}"
            )
        self._check_ordinal_range()
        self._check_annotations(n)
        self._check_order()

    def _check_ordinal_range(self) -> None:
        if not len(self.ordinals):
            return
        lo, hi = _calendar_range(self.period_type)
        if lo <= int(self.ordinals.min()) and int(self.ordinals.max()) <= hi:
            return
        bad = (self.ordinals < lo) | (self.ordinals > hi)
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            raise SeriesError(
                f"{self._where}: ordinals[{i}]: {int(self.ordinals[i])} is outside the calendar; "
                f"expected a {self.period_type.name} ordinal from {lo} "
                f"({self.period_type.label(lo)}) to {hi} ({self.period_type.label(hi)})"
            )

    def _check_annotations(self, n: int) -> None:
        where = self._where
        for name in _ROW_FIELDS:
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise SeriesError(
                    f"{where}: {name}: expected {n} entries (one per ordinal), got {len(value)}"
                )
        if self.missing_reasons is not None:
            bad = (self.missing_reasons != 0) & ~np.isnan(self.values)
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                reason = MissingReason.from_code(int(self.missing_reasons[i]))
                raise SeriesError(
                    f"{where}: missing_reasons[{i}]: {reason.value!r} given for the value "
                    f"{self.values[i]:g} in {self.period_type.label(int(self.ordinals[i]))}; "
                    "expected a missing-value reason only where the value is missing"
                )
        if (self.observed is None) != (self.expected is None):
            raise SeriesError(f"{where}: observed and expected: give both or neither")
        if self.observed is not None and self.expected is not None:
            bad = (self.observed < 0) | (self.observed > self.expected)
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                raise SeriesError(
                    f"{where}: observed[{i}]: expected 0 to {int(self.expected[i])} present "
                    f"input periods, got {int(self.observed[i])}"
                )
        if self.revisions is not None:
            if not isinstance(self.revisions, Revisions):
                raise SeriesError(f"{where}: revisions: expected Revisions, got {self.revisions!r}")
            if len(self.revisions) and int(self.revisions.rows.max()) >= n:
                raise SeriesError(
                    f"{where}: revisions.rows: expected row indexes below {n}, got "
                    f"{int(self.revisions.rows.max())}"
                )

    @property
    def _where(self) -> str:
        return f"series {self.metric_id!r} in {self.place_id!r}"

    def _check_parts(self, n: int) -> None:
        where = self._where
        nums, dens = self.numerators, self.denominators
        if (nums is None) != (dens is None):
            raise SeriesError(f"{where}: numerators and denominators: give both or neither")
        if (nums is None) != (self.numerator_unit is None) or (dens is None) != (
            self.denominator_unit is None
        ):
            raise SeriesError(
                f"{where}: numerator_unit/denominator_unit: expected units exactly when "
                "numerators/denominators are given"
            )
        if nums is None or dens is None:
            return
        for name, arr in (("numerators", nums), ("denominators", dens)):
            if len(arr) != n:
                raise SeriesError(f"{where}: {name}: expected {n} values, got {len(arr)}")
        zero = dens == 0
        if np.any(zero):
            i = int(np.flatnonzero(zero)[0])
            raise SeriesError(
                f"{where}: denominators[{i}]: zero denominator in period "
                f"{self.period_type.label(int(self.ordinals[i]))} (numerator {nums[i]:g}); "
                "expected a non-zero denominator or NaN for missing"
            )

    def _check_categories(self, n: int) -> None:
        where = self._where
        cats, dims = self.categories, self.dimensions
        if not dims:
            if cats is not None and cats.shape[1] != 0:
                raise DisaggregationError(f"{where}: categories given without dimensions")
            return
        for dim in dims:
            if not isinstance(dim, Dimension):
                raise DisaggregationError(f"{where}: dimensions: expected Dimension, got {dim!r}")
        if cats is None or cats.shape != (n, len(dims)):
            shape = None if cats is None else cats.shape
            raise DisaggregationError(
                f"{where}: categories: expected shape ({n}, {len(dims)}), got {shape}"
            )
        sizes = np.array([len(d.all_codes) for d in dims])
        bad = (cats < 0) | (cats >= sizes)
        if np.any(bad):
            row, col = (int(x[0]) for x in np.nonzero(bad))
            raise DisaggregationError(
                f"{where}: categories[{row}, {col}]: {int(cats[row, col])} is outside dimension "
                f"{dims[col].id!r} (codes 0..{sizes[col] - 1} for {dims[col].all_codes})"
            )

    def _key(self) -> NDArray[np.int64]:
        """One int64 per row encoding the disaggregation codes (0 without dimensions)."""
        return _encode(self.categories, self.dimensions, len(self.ordinals))

    def _check_order(self) -> None:
        n = len(self.ordinals)
        if n < 2:
            return
        do = np.diff(self.ordinals)
        if not self.dimensions:
            if bool((do > 0).all()):
                return
            dk = np.zeros_like(do)
            bad = do <= 0
        else:
            dk = np.diff(self._key())
            bad = (dk < 0) | ((dk == 0) & (do <= 0))
            if not np.any(bad):
                return
        i = int(np.flatnonzero(bad)[0])
        label = self.period_type.label
        a, b = int(self.ordinals[i]), int(self.ordinals[i + 1])
        if dk[i] < 0:
            raise SeriesError(
                f"{self._where}: categories[{i + 1}]: rows not grouped by disaggregation codes; "
                "expected rows sorted by codes then period (use MetricSeries.from_records or "
                "from_arrays, which sort)"
            )
        if a == b:
            raise SeriesError(
                f"{self._where}: ordinals[{i + 1}]: period {label(a)} is duplicated; expected "
                "each period at most once" + self._codes_suffix(i)
            )
        raise SeriesError(
            f"{self._where}: ordinals[{i + 1}]: observations out of period order: {label(a)} "
            f"then {label(b)}; expected increasing periods" + self._codes_suffix(i)
        )

    def _codes_suffix(self, row: int) -> str:
        if not self.dimensions or self.categories is None:
            return ""
        codes = ", ".join(
            f"{d.id}={d.all_codes[int(c)]}"
            for d, c in zip(self.dimensions, self.categories[row], strict=True)
        )
        return f" (for {codes})"

    # -- views ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ordinals)

    @property
    def quantity(self) -> Quantity:
        """The values as one pint quantity over the array.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> MetricSeries(metric_id="m", place_id="p", period_type=YEAR, ordinals=[54],
            ...              values=[1.5], unit="km").quantity.to("m")
            <Quantity([1500.], 'meter')>
        """
        return get_registry().Quantity(self.values, self.unit)

    @property
    def periods(self) -> list[Period]:
        """The :class:`~civicinnov.periods.Period` of each row.

        Example:
            >>> from civicinnov.periods import QUARTER
            >>> s = MetricSeries(metric_id="m", place_id="p", period_type=QUARTER,
            ...                  ordinals=[216], values=[1.0], unit="call")
            >>> s.periods[0].start
            datetime.date(2024, 1, 1)
        """
        return [self.period_type.period(int(o)) for o in self.ordinals]

    @property
    def labels(self) -> list[str]:
        """The period id of each row (``'2024-03'``, ``'2024-Q1'``, ...).

        Example:
            >>> from civicinnov.periods import QUARTER
            >>> MetricSeries(metric_id="m", place_id="p", period_type=QUARTER,
            ...              ordinals=[216, 217], values=[1, 2], unit="call").labels
            ['2024-Q1', '2024-Q2']
        """
        return self.period_type.labels(self.ordinals)

    def codes(self, dimension: str) -> list[str]:
        """The code of each row in ``dimension`` (``'_T'`` for the total).

        Parameters:
            dimension: the id of one of the series' dimensions.

        Returns:
            A list with one code per row.

        Raises:
            DisaggregationError: the series has no dimension with that id.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="housed", name="Housed", unit="person")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=YEAR,
            ...     dimensions=[Dimension(id="sex", codes=("F", "M"))],
            ...     records=[{"period": "2024", "value": 5, "sex": "F"},
            ...              {"period": "2024", "value": 9}])
            >>> s.codes("sex"), s.values.tolist()
            (['_T', 'F'], [9.0, 5.0])
        """
        j = self._dimension_index(dimension)
        assert self.categories is not None
        all_codes = np.asarray(self.dimensions[j].all_codes)
        return [str(c) for c in all_codes[self.categories[:, j]]]

    def _dimension_index(self, dimension: str) -> int:
        for j, dim in enumerate(self.dimensions):
            if dim.id == dimension:
                return j
        known = [d.id for d in self.dimensions]
        raise DisaggregationError(
            f"{self._where}: no dimension {dimension!r}; the series has {known}"
        )

    # -- builders ---------------------------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        metric: MetricDefinition | str,
        *,
        place_id: str,
        period_type: PeriodType,
        ordinals: ArrayLike | None = None,
        periods: ArrayLike | None = None,
        dates: ArrayLike | None = None,
        values: ArrayLike | None = None,
        unit: str | Unit | None = None,
        numerators: ArrayLike | None = None,
        denominators: ArrayLike | None = None,
        numerator_unit: str | Unit | None = None,
        denominator_unit: str | Unit | None = None,
        dimensions: Sequence[Dimension] = (),
        disaggregation: Mapping[str, ArrayLike] | None = None,
        narratives: Sequence[str | None] | None = None,
        statuses: ArrayLike | None = None,
        missing_reasons: ArrayLike | None = None,
        approvals: ArrayLike | None = None,
        comments: Sequence[str | None] | None = None,
        sources: Sequence[str | None] | None = None,
        recorded_by: Sequence[str | None] | None = None,
        recorded_at: Sequence[Any] | None = None,
    ) -> MetricSeries:
        """Build a series from arrays: the fast path, with no Python loop over observations.

        Give the periods as ``ordinals``, as period ids (``periods``) or as dates (``dates``, each
        mapped to the period holding it). With a :class:`MetricDefinition` as ``metric``, the unit
        defaults to the metric's, values are checked against it (dimension, 0-100 % for
        percentages), and a ratio metric's values are computed from ``numerators`` /
        ``denominators`` when not given. ``disaggregation`` maps a dimension id to each row's code
        (rows without the dimension use ``'_T'``). Rows are sorted by codes (stable) so each
        group's periods stay in the order given; out-of-order or duplicated periods raise.
        ``statuses``, ``missing_reasons`` and ``approvals`` take members, their text or codes;
        ``comments``, ``sources``, ``recorded_by`` and ``recorded_at`` take text per row (see
        ``civicinnov.metrics._status``).

        Example:
            >>> import numpy as np
            >>> from civicinnov.periods import DAY, MONTH
            >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
            >>> days = np.arange("2024-01-01", "2024-03-01", dtype="datetime64[D]")
            >>> s = MetricSeries.from_arrays(d, place_id="p", period_type=DAY, dates=days,
            ...                              values=np.ones(len(days)))
            >>> s.resample(MONTH, d).values.tolist()
            [31.0, 29.0]
        """
        definition = metric if isinstance(metric, MetricDefinition) else None
        metric_id = metric.id if isinstance(metric, MetricDefinition) else metric
        where = f"series {metric_id!r} in {place_id!r}"
        ords = _ordinals_from(period_type, ordinals, periods, dates, where=where)
        n = len(ords)
        if unit is None:
            if definition is None:
                raise UnitError(f"{where}: unit: give a unit, or a MetricDefinition as metric")
            unit = definition.unit
        target_unit = _unit(unit)
        if definition is not None:
            _factor(target_unit, definition.unit, where=f"{where}: unit")
        nums = dens = None
        num_unit = den_unit = None
        if numerators is not None or denominators is not None:
            if numerators is None or denominators is None:
                raise SeriesError(f"{where}: numerators and denominators: give both or neither")
            nums = _floats(numerators, "numerators")
            dens = _floats(denominators, "denominators")
            ratio = definition.ratio if definition is not None else None
            if numerator_unit is None and ratio is not None:
                numerator_unit = ratio.numerator_unit
            if denominator_unit is None and ratio is not None:
                denominator_unit = ratio.denominator_unit
            if numerator_unit is None or denominator_unit is None:
                raise UnitError(
                    f"{where}: numerator_unit/denominator_unit: give them, or a ratio "
                    "MetricDefinition as metric"
                )
            num_unit, den_unit = _unit(numerator_unit), _unit(denominator_unit)
        if values is None:
            if nums is not None and dens is not None and num_unit is not None:
                assert den_unit is not None
                if len(nums) == len(dens) == n:
                    with np.errstate(divide="ignore", invalid="ignore"):
                        factor = _factor(num_unit / den_unit, target_unit, where=f"{where}: unit")
                        vals = np.where(dens == 0, np.nan, nums * factor / dens)
                else:
                    vals = np.full(n, np.nan)
            elif definition is not None and definition.measure_kind is MeasureKind.QUALITATIVE:
                vals = np.full(n, np.nan)
            else:
                raise SeriesError(
                    f"{where}: values: expected values (or numerators and denominators)"
                )
        else:
            vals = np.array(values, dtype=np.float64).reshape(-1)
            if nums is not None and dens is not None and num_unit is not None:
                assert den_unit is not None
                _check_parts_agree(
                    vals, nums, dens, _factor(num_unit / den_unit, target_unit, where=where), where
                )
        if definition is not None:
            definition.check_bounds(
                vals * _factor(target_unit, definition.unit, where=where), where=f"{where}: values"
            )
        cats = None
        if dimensions:
            cats = np.zeros((n, len(dimensions)), dtype=np.int64)
            given = dict(disaggregation or {})
            for j, dim in enumerate(dimensions):
                if dim.id in given:
                    codes = np.asarray(given.pop(dim.id)).astype(str).reshape(-1)
                    if len(codes) != n:
                        raise SeriesError(
                            f"{where}: disaggregation[{dim.id!r}]: expected {n} codes, got "
                            f"{len(codes)}"
                        )
                    cats[:, j] = dim.index(codes)
            if given:
                raise DisaggregationError(
                    f"{where}: disaggregation: {sorted(given)} are not dimensions of the series; "
                    f"expected some of {[d.id for d in dimensions]}"
                )
        elif disaggregation:
            raise DisaggregationError(
                f"{where}: disaggregation: {sorted(disaggregation)} given without dimensions"
            )
        notes = None if narratives is None else tuple(narratives)
        extra: dict[str, Any] = {
            "statuses": _status_codes(statuses),
            "missing_reasons": _reason_codes(missing_reasons),
            "approvals": _approval_codes(approvals),
            "comments": _texts(comments),
            "sources": _texts(sources),
            "recorded_by": _texts(recorded_by),
            "recorded_at": _timestamps(recorded_at),
        }
        if cats is not None and n > 1:
            order = np.argsort(_encode(cats, tuple(dimensions), n), kind="stable")
            if np.any(np.diff(order) != 1):
                ords, vals, cats = ords[order], vals[order], cats[order]
                if nums is not None and dens is not None and len(nums) == len(dens) == n:
                    nums, dens = nums[order], dens[order]
                if notes is not None and len(notes) == n:
                    notes = tuple(notes[int(i)] for i in order)
                for name, value in extra.items():
                    if value is not None and len(value) == n:
                        extra[name] = (
                            _readonly(value[order])
                            if isinstance(value, np.ndarray)
                            else tuple(value[int(i)] for i in order)
                        )
        return cls(
            metric_id=metric_id,
            place_id=place_id,
            period_type=period_type,
            ordinals=_readonly(np.ascontiguousarray(ords, dtype=np.int64)),
            values=_readonly(np.ascontiguousarray(vals, dtype=np.float64)),
            unit=target_unit,
            numerators=nums,
            denominators=dens,
            numerator_unit=num_unit,
            denominator_unit=den_unit,
            dimensions=tuple(dimensions),
            categories=cats,
            narratives=notes,
            **extra,
        )

    @classmethod
    def from_records(
        cls,
        metric: MetricDefinition | str,
        *,
        place_id: str,
        period_type: PeriodType,
        records: Iterable[tuple[str, Any] | Mapping[str, Any]],
        unit: str | Unit | None = None,
        dimensions: Sequence[Dimension] = (),
    ) -> MetricSeries:
        """Build a series from records: ``(period id, value)`` pairs or mappings.

        A mapping has ``period`` and any of ``value``, ``numerator``, ``denominator``,
        ``narrative``, ``status``, ``missing_reason``, ``approval``, ``comment``, ``source``,
        ``recorded_by``, ``recorded_at``, plus one key per dimension id (missing dimension =
        ``'_T'``). A value may be
        a number, ``None`` (missing), a quantity (converted to the series unit) or, for a
        qualitative metric, text (the narrative).

        Example:
            >>> from civicinnov.periods import YEAR
            >>> from civicinnov.metrics import MeasureKind, TemporalAggregation
            >>> story = MetricDefinition(id="resident-voice", name="Resident voice",
            ...     unit="dimensionless", measure_kind=MeasureKind.QUALITATIVE,
            ...     temporal_aggregation=TemporalAggregation.LAST,
            ...     spatial_aggregation=SpatialAggregation.NONE)
            >>> s = MetricSeries.from_records(story, place_id="p", period_type=YEAR,
            ...     records=[("2023", "Residents doubt the plan"), ("2024", "Trust is growing")])
            >>> s.narratives
            ('Residents doubt the plan', 'Trust is growing')
        """
        import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

        definition = metric if isinstance(metric, MetricDefinition) else None
        metric_id = metric.id if isinstance(metric, MetricDefinition) else metric
        where = f"series {metric_id!r} in {place_id!r}"
        target_unit = _unit(unit) if unit is not None else (definition.unit if definition else None)
        periods: list[str] = []
        values: list[float] = []
        nums: list[float] = []
        dens: list[float] = []
        codes: dict[str, list[str]] = {d.id: [] for d in dimensions}
        annotations: dict[str, list[Any]] = {key: [] for key in _RECORD_ANNOTATIONS}
        notes: list[str | None] = []
        has_parts = has_notes = False
        for i, record in enumerate(records):
            if isinstance(record, Mapping):
                unknown = set(record) - {"period", "value", "numerator", "denominator", "narrative"}
                unknown -= set(codes) | set(_RECORD_ANNOTATIONS)
                if unknown:
                    raise SeriesError(
                        f"{where}: records[{i}]: unknown keys {sorted(unknown)}; expected period, "
                        f"value, numerator, denominator, narrative, "
                        f"{', '.join(_RECORD_ANNOTATIONS)} or a dimension id {sorted(codes)}"
                    )
                if "period" not in record:
                    raise SeriesError(f"{where}: records[{i}]: missing 'period'")
                period, value = record["period"], record.get("value")
                num, den = record.get("numerator"), record.get("denominator")
                note = record.get("narrative")
                for dim_id, column in codes.items():
                    column.append(str(record.get(dim_id, TOTAL)))
                for key, entries in annotations.items():
                    entries.append(record.get(key))
            else:
                try:
                    period, value = record
                except (TypeError, ValueError):
                    raise SeriesError(
                        f"{where}: records[{i}]: expected (period id, value) or a mapping, got "
                        f"{record!r}"
                    ) from None
                num = den = note = None
                for column in codes.values():
                    column.append(TOTAL)
                for entries in annotations.values():
                    entries.append(None)
            if isinstance(value, str):
                if note is not None:
                    raise SeriesError(f"{where}: records[{i}]: text value and narrative both given")
                if (
                    definition is not None
                    and definition.measure_kind is not MeasureKind.QUALITATIVE
                ):
                    raise SeriesError(
                        f"{where}: records[{i}].value: metric {metric_id!r} is "
                        f"{definition.measure_kind.value}; expected a number, got text {value!r}"
                    )
                value, note = None, value
            if isinstance(value, pint.Quantity):
                if target_unit is None:
                    target_unit = _unit(str(value.units))

                value = float(
                    as_quantity(value, target_unit, where=f"{where}: records[{i}].value").magnitude
                )
            periods.append(str(period))
            values.append(_number(value, where=f"{where}: records[{i}].value"))
            nums.append(_number(num, where=f"{where}: records[{i}].numerator"))
            dens.append(_number(den, where=f"{where}: records[{i}].denominator"))
            has_parts = has_parts or num is not None or den is not None
            notes.append(None if note is None else str(note))
            has_notes = has_notes or note is not None
        if target_unit is None:
            raise UnitError(f"{where}: unit: give a unit, or a MetricDefinition as metric")
        computed = has_parts and all(math.isnan(v) for v in values)
        return cls.from_arrays(
            metric,
            place_id=place_id,
            period_type=period_type,
            periods=np.asarray(periods, dtype=object),
            values=None if computed else np.asarray(values),
            unit=target_unit,
            numerators=np.asarray(nums) if has_parts else None,
            denominators=np.asarray(dens) if has_parts else None,
            dimensions=dimensions,
            disaggregation={k: np.asarray(v) for k, v in codes.items()} if dimensions else None,
            narratives=notes if has_notes else None,
            **{  # type: ignore[arg-type]
                _RECORD_ANNOTATIONS[key]: column
                for key, column in annotations.items()
                if any(v is not None for v in column)
            },
        )

    # -- operations -------------------------------------------------------------------------

    def to(self, unit: str | Unit) -> MetricSeries:
        """Return the series with its values converted to ``unit`` (ratio parts keep their units).

        Raises :class:`~civicinnov.errors.UnitError` for a unit of another dimension.

        Parameters:
            unit: the new unit, as text or a pint unit.

        Returns:
            The converted series (this series itself when the unit is unchanged); its revisions are
            converted too.

        Raises:
            UnitError: an unreadable unit, or a unit of another dimension.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> s = MetricSeries(metric_id="m", place_id="p", period_type=YEAR, ordinals=[54],
            ...                  values=[2.0], unit="km")
            >>> s.to("m").values.tolist()
            [2000.0]
            >>> s.to("kg")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnitError: series 'm' in 'p': unit: cannot convert kilometer ([length]) to kilogram ([mass])
        """
        target = _unit(unit)
        factor = _factor(self.unit, target, where=f"{self._where}: unit")
        if factor == 1.0 and target == self.unit:
            return self
        revisions = self.revisions
        if revisions is not None and len(revisions):  # earlier values are in the unit too
            revisions = attrs.evolve(revisions, values=revisions.values * factor)
        return attrs.evolve(
            self, values=_readonly(self.values * factor), unit=target, revisions=revisions
        )

    def resample(
        self,
        period_type: PeriodType,
        definition: MetricDefinition,
        *,
        policy: MissingDataPolicy | None = None,
        require_complete: bool = False,
        min_coverage: float | None = None,
    ) -> MetricSeries:
        """Roll the series up to a coarser ``period_type`` by the definition's temporal aggregation.

        - ``SUM``/``MIN``/``MAX``/``FIRST``/``LAST`` of the values present;
        - ``MEAN`` weighted by the length of each input period in days (so a rate per month over
          a year is the rate over the year's days, and 40 % each month is 40 % for the quarter),
          or by the denominators when the series carries them;
        - a cumulative metric takes the ``LAST`` value;
        - ``RATIO_OF_SUMS`` divides the summed numerators by the summed denominators (the series
          must carry them) — never the mean of the ratios.

        **Coverage.** Every output row records how many of its expected input periods were present
        (:attr:`observed`, :attr:`expected`, :attr:`coverage`; an input that was itself partial
        does not count as present). What happens to a partial period is a policy: by default it
        keeps its value and is flagged (:attr:`partial`, ``flags()["partial"]``);
        ``require_complete=True`` makes it missing, ``min_coverage=0.75`` makes it missing below
        three quarters of its inputs. ``policy`` (default: the definition's ``missing_data``) also
        applies: ``SKIP_IF_ANY_MISSING`` is ``require_complete``. A fine period counts as missing
        if its value is ``NaN`` or it has no row.

        Statuses and approvals carry over: an output row takes the largest status code of its
        present inputs (one provisional month makes the quarter provisional) and the smallest
        approval state. Comments, sources, recorders and revisions stay with the observations.

        Raises :class:`~civicinnov.errors.PeriodError` if the period types do not nest,
        :class:`~civicinnov.errors.SeriesError` for a metric that cannot be resampled,
        :class:`~civicinnov.errors.ValidationError` for a ``min_coverage`` outside 0-1.

        Parameters:
            period_type: the coarser period type to roll up to (it must nest the series' own).
            definition: the series' metric definition (gives the temporal aggregation and, by
                default, the missing-data policy).
            policy: the missing-data policy; ``None`` takes the definition's ``missing_data``.
            require_complete: make every partial output period missing.
            min_coverage: the least share (0-1) of input periods an output period needs to keep
                its value; ``None`` sets no threshold.

        Returns:
            A new series by ``period_type`` with coverage recorded per row.

        Raises:
            PeriodError: the period types do not nest.
            SeriesError: the definition is of another metric, or its temporal aggregation is
                ``none``.
            ValidationError: ``definition`` is not a MetricDefinition, or ``min_coverage`` (or
                ``require_complete``) is out of range.
            UnitError: the definition's unit is of another dimension than the series'.

        Example:
            >>> from civicinnov.periods import MONTH, YEAR
            >>> from civicinnov.metrics import Ratio
            >>> rate = MetricDefinition(id="vacancy", name="Vacancy", unit="percent",
            ...     temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
            ...     spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
            ...     ratio=Ratio(numerator_unit="property", denominator_unit="property",
            ...                 scale="percent"))
            >>> s = MetricSeries.from_records(rate, place_id="p", period_type=MONTH, records=[
            ...     {"period": "2024-01", "numerator": 1, "denominator": 10},
            ...     {"period": "2024-02", "numerator": 9, "denominator": 90}])
            >>> s.values.tolist(), s.resample(YEAR, rate).values.tolist()
            ([10.0, 10.0], [10.0])
        """
        self._check_definition(definition)
        how = definition.effective_temporal_aggregation
        if how is TemporalAggregation.NONE:
            raise SeriesError(
                f"{self._where}: metric {definition.id!r} declares temporal aggregation 'none'; "
                "it cannot be resampled"
            )
        policy = definition.missing_data if policy is None else policy
        threshold = _threshold(require_complete, min_coverage)
        coarse = self.period_type.convert(self.ordinals, period_type)
        n = len(coarse)
        if n == 0:
            return attrs.evolve(self, period_type=period_type)
        key = self._key()
        change = np.empty(n, dtype=bool)
        change[0] = True
        np.not_equal(coarse[1:], coarse[:-1], out=change[1:])
        if self.dimensions:
            change[1:] |= key[1:] != key[:-1]
        starts = np.flatnonzero(change)
        new_ords = coarse[starts]
        expected = period_type.expected_counts(new_ords, self.period_type)
        weights = None
        if how is TemporalAggregation.MEAN:
            if self.denominators is not None:  # the parts are known: weigh by the denominator
                weights = np.nan_to_num(self.denominators)
            else:
                pt = self.period_type
                days = (pt.ends(self.ordinals) - pt.starts(self.ordinals)).astype(np.int64) + 1
                weights = days.astype(np.float64)
        return self._reduce(
            starts,
            expected,
            how,
            policy,
            definition,
            new_ords,
            period_type,
            weights=weights,
            threshold=threshold,
        )

    def _check_definition(self, definition: MetricDefinition) -> None:
        if not isinstance(definition, MetricDefinition):
            raise ValidationError(f"definition: expected a MetricDefinition, got {definition!r}")
        if definition.id != self.metric_id:
            raise SeriesError(
                f"{self._where}: definition: expected the definition of {self.metric_id!r}, got "
                f"{definition.id!r}"
            )
        _factor(self.unit, definition.unit, where=f"{self._where}: unit")

    def _reduce(
        self,
        starts: NDArray[np.intp],
        expected: NDArray[np.int64] | int,
        how: TemporalAggregation | SpatialAggregation,
        policy: MissingDataPolicy,
        definition: MetricDefinition,
        new_ords: NDArray[np.int64],
        period_type: PeriodType,
        *,
        weights: NDArray[np.float64] | None = None,
        threshold: float | None = None,
    ) -> MetricSeries:
        values, nums, dens = self.values, self.numerators, self.denominators
        n = len(values)
        qualitative = definition.measure_kind is MeasureKind.QUALITATIVE
        name = how.value
        parts = nums is not None and dens is not None
        if name == "ratio_of_sums":
            if nums is None or dens is None:
                raise SeriesError(
                    f"{self._where}: metric {definition.id!r} aggregates as ratio_of_sums; the "
                    "series needs numerators and denominators (the mean of ratios is not used)"
                )
            present = ~(np.isnan(nums) | np.isnan(dens))
        elif qualitative and self.narratives is not None:
            present = np.fromiter((t is not None for t in self.narratives), bool, count=n)
        else:
            present = ~np.isnan(values)
        count = np.add.reduceat(present.view(np.int8), starts, dtype=np.int64)
        complete = count
        if self.observed is not None:  # a partial input is present but not complete
            partial_in = present & self.partial
            complete = count - np.add.reduceat(partial_in.view(np.int8), starts, dtype=np.int64)
        pick: NDArray[np.intp] | None = None
        new_nums = new_dens = None
        if name == "mean" and weights is not None:
            w = np.where(present, weights, 0.0)
            total = np.add.reduceat(w * np.where(present, values, 0.0), starts)
            weight = np.add.reduceat(w, starts)
            result = total / np.where(weight > 0, weight, 1.0)
            result[count == 0] = np.nan
        elif name in ("sum", "mean"):
            total = np.add.reduceat(np.where(present, values, 0.0), starts)
            result = total if name == "sum" else total / np.maximum(count, 1)
            if name == "sum" and policy is MissingDataPolicy.NEVER_SKIP:
                pass
            else:
                result[count == 0] = np.nan
        elif name == "ratio_of_sums":
            assert nums is not None
            assert dens is not None
            new_nums = np.add.reduceat(np.where(present, nums, 0.0), starts)
            new_dens = np.add.reduceat(np.where(present, dens, 0.0), starts)
            assert self.numerator_unit is not None
            assert self.denominator_unit is not None
            factor = _factor(
                self.numerator_unit / self.denominator_unit, self.unit, where=self._where
            )
            empty = (count == 0) | (new_dens == 0)
            new_nums[empty] = np.nan
            new_dens[empty] = np.nan
            with np.errstate(divide="ignore", invalid="ignore"):
                result = new_nums * factor / new_dens
        elif name in ("last", "first"):
            index = np.arange(n, dtype=np.intp)
            if name == "last":
                chosen = np.maximum.reduceat(np.where(present, index, -1), starts)
            else:
                chosen = np.minimum.reduceat(np.where(present, index, n), starts)
            found = count > 0
            pick = np.where(found, chosen, 0)
            result = np.where(found, values[pick], np.nan)
            if parts and nums is not None and dens is not None:
                new_nums = np.where(found, nums[pick], np.nan)
                new_dens = np.where(found, dens[pick], np.nan)
        elif name in ("min", "max"):
            ufunc = np.fmin if name == "min" else np.fmax
            result = ufunc.reduceat(values, starts)
        else:  # pragma: no cover - enums are exhausted above
            raise SeriesError(f"{self._where}: unknown aggregation {name!r}")
        expected_arr = np.broadcast_to(np.asarray(expected, dtype=np.int64), count.shape).copy()
        if policy is MissingDataPolicy.SKIP_IF_ANY_MISSING:
            threshold = 1.0
        if threshold is not None:
            incomplete = complete < threshold * expected_arr
            result[incomplete] = np.nan
            if new_nums is not None and new_dens is not None:
                new_nums[incomplete] = np.nan
                new_dens[incomplete] = np.nan
        narratives = None
        if self.narratives is not None and pick is not None:
            found_rows = count > 0
            narratives = tuple(
                self.narratives[int(p)] if ok else None
                for p, ok in zip(pick, found_rows, strict=True)
            )
        keep_parts = new_nums is not None
        statuses = approvals = None
        if self.statuses is not None:
            codes = np.where(present, self.statuses, 0).astype(np.int8)
            statuses = _readonly(np.maximum.reduceat(codes, starts).astype(np.int8))
        if self.approvals is not None:
            states = np.where(present, self.approvals, 127).astype(np.int8)
            low = np.minimum.reduceat(states, starts).astype(np.int8)
            approvals = _readonly(np.where(low == 127, 0, low).astype(np.int8))
        return MetricSeries(
            metric_id=self.metric_id,
            place_id=self.place_id,
            period_type=period_type,
            ordinals=_readonly(np.ascontiguousarray(new_ords, dtype=np.int64)),
            values=_readonly(np.ascontiguousarray(result, dtype=np.float64)),
            unit=self.unit,
            numerators=_readonly(new_nums) if keep_parts and new_nums is not None else None,
            denominators=_readonly(new_dens) if keep_parts and new_dens is not None else None,
            numerator_unit=self.numerator_unit if keep_parts else None,
            denominator_unit=self.denominator_unit if keep_parts else None,
            dimensions=self.dimensions,
            categories=None if self.categories is None else _readonly(self.categories[starts]),
            narratives=narratives,
            statuses=statuses,
            approvals=approvals,
            observed=_readonly(np.minimum(complete, expected_arr).astype(np.int64)),
            expected=_readonly(expected_arr),
        )

    @classmethod
    def combine(
        cls,
        series: Sequence[MetricSeries],
        definition: MetricDefinition,
        *,
        place_id: str,
        policy: MissingDataPolicy | None = None,
        weights: Sequence[float] | None = None,
        require_complete: bool = False,
        min_coverage: float | None = None,
    ) -> MetricSeries:
        """Combine the series of several places into one, by the definition's spatial aggregation.

        ``SUM`` and ``MEAN`` work on the values (``MEAN`` weighted by ``weights``, one per series,
        such as each place's population, when given, else by the denominators when the series
        carry them); ``RATIO_OF_SUMS`` adds numerators and
        denominators across places and divides (a city-wide vacancy rate is total vacant over total
        properties, not the mean of district rates). Values are converted to the first series'
        unit; a place without a row for a period counts as missing under ``policy``. Coverage is
        counted in places: each output row says how many of the series had a value
        (:attr:`observed` of :attr:`expected`), and ``require_complete``/``min_coverage`` decide
        as in :meth:`resample`.

        Raises :class:`~civicinnov.errors.SeriesError` for series of different metrics or period
        types, :class:`~civicinnov.errors.UnitError` for incompatible units,
        :class:`~civicinnov.errors.ValidationError` for weights that are not one positive finite
        number per series.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
            >>> a = MetricSeries.from_records(d, place_id="east", period_type=YEAR,
            ...                               records=[("2023", 5), ("2024", 7)])
            >>> b = MetricSeries.from_records(d, place_id="west", period_type=YEAR,
            ...                               records=[("2024", 3)])
            >>> MetricSeries.combine([a, b], d, place_id="city").values.tolist()
            [5.0, 10.0]
        """
        if not series:
            raise SeriesError("combine: expected at least one series, got none")
        first = series[0]
        first._check_definition(definition)
        how = definition.spatial_aggregation
        if how is SpatialAggregation.NONE:
            raise SeriesError(
                f"combine: metric {definition.id!r} declares spatial aggregation 'none'; its "
                "places cannot be combined"
            )
        for i, other in enumerate(series):
            if other.metric_id != first.metric_id or other.period_type != first.period_type:
                raise SeriesError(
                    f"combine: series[{i}] is {other.metric_id!r} by {other.period_type.name}; "
                    f"expected {first.metric_id!r} by {first.period_type.name}"
                )
            if other.dimensions != first.dimensions:
                raise DisaggregationError(
                    f"combine: series[{i}] ({other.place_id!r}) has dimensions "
                    f"{[d.id for d in other.dimensions]}; expected those of series[0] "
                    f"{[d.id for d in first.dimensions]}"
                )
        ords = np.concatenate([s.ordinals for s in series])
        vals = np.concatenate(
            [
                s.values * _factor(s.unit, first.unit, where=f"combine: series[{i}]")
                for i, s in enumerate(series)
            ]
        )
        nums = dens = None
        if all(s.numerators is not None for s in series):
            assert first.numerator_unit is not None
            assert first.denominator_unit is not None
            fnu, fdu = first.numerator_unit, first.denominator_unit
            nums = np.concatenate(
                [
                    s.numerators * _factor(s.numerator_unit, fnu, where="combine")  # type: ignore[operator, arg-type]
                    for s in series
                ]
            )
            dens = np.concatenate(
                [
                    s.denominators * _factor(s.denominator_unit, fdu, where="combine")  # type: ignore[operator, arg-type]
                    for s in series
                ]
            )
        threshold = _threshold(require_complete, min_coverage)
        row_weights = None
        if weights is not None:
            w = np.asarray(weights, dtype=np.float64).reshape(-1)
            if len(w) != len(series) or not np.all(np.isfinite(w)) or np.any(w <= 0):
                raise ValidationError(
                    f"combine: weights: expected {len(series)} positive finite numbers (one per "
                    f"series), got {list(weights)[:5]}"
                )
            row_weights = np.repeat(w, [len(s) for s in series])
        annotations: dict[str, Any] = {}
        for name in ("statuses", "approvals"):
            if any(getattr(s, name) is not None for s in series):
                annotations[name] = np.concatenate(
                    [
                        getattr(s, name)
                        if getattr(s, name) is not None
                        else np.zeros(len(s), dtype=np.int8)
                        for s in series
                    ]
                )
        if any(s.observed is not None for s in series):
            annotations["observed"] = np.concatenate(
                [
                    s.observed if s.observed is not None else np.ones(len(s), np.int64)
                    for s in series
                ]
            )
            annotations["expected"] = np.concatenate(
                [
                    s.expected if s.expected is not None else np.ones(len(s), np.int64)
                    for s in series
                ]
            )
        cats = None
        if first.dimensions:
            cats = np.concatenate([s.categories for s in series if s.categories is not None])
        key = _encode(cats, first.dimensions, len(ords))
        order = np.lexsort((ords, key))
        ords, vals, key = ords[order], vals[order], key[order]
        if cats is not None:
            cats = cats[order]
        if nums is not None and dens is not None:
            nums, dens = nums[order], dens[order]
        annotations = {k: v[order] for k, v in annotations.items()}
        if row_weights is not None:
            row_weights = row_weights[order]
        elif dens is not None and how is SpatialAggregation.MEAN:
            row_weights = np.nan_to_num(dens)  # the parts are known: weigh by the denominator
        n = len(ords)
        change = np.ones(n, dtype=bool)
        if n > 1:
            change[1:] = (ords[1:] != ords[:-1]) | (key[1:] != key[:-1])
        starts = np.flatnonzero(change)
        # the stacked rows only need distinct increasing ordinals: days from 0001 onwards hold
        # millions of rows whatever the series' own period type
        stacked = MetricSeries(
            metric_id=first.metric_id,
            place_id=place_id,
            period_type=DAY,
            ordinals=np.arange(n) + _FIRST_DAY,
            values=vals,
            unit=first.unit,
            numerators=nums,
            denominators=dens,
            numerator_unit=first.numerator_unit if nums is not None else None,
            denominator_unit=first.denominator_unit if nums is not None else None,
            **annotations,
        )
        reduced = stacked._reduce(
            starts,
            len(series),
            how,
            definition.missing_data if policy is None else policy,
            definition,
            ords[starts],
            first.period_type,
            weights=row_weights,
            threshold=threshold,
        )
        if cats is None:
            return reduced
        return attrs.evolve(reduced, dimensions=first.dimensions, categories=cats[starts])

    def total(self) -> MetricSeries:
        """The rows that are totals in every dimension, as a series without dimensions.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="housed", name="Housed", unit="person")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=YEAR,
            ...     dimensions=[Dimension(id="sex", codes=("F", "M"))],
            ...     records=[{"period": "2024", "value": 5, "sex": "F"},
            ...              {"period": "2024", "value": 9}])
            >>> s.total().values.tolist()
            [9.0]
        """
        if not self.dimensions or self.categories is None:
            return self
        rows = np.flatnonzero(np.all(self.categories == 0, axis=1))
        return self._subset(rows, keep_dimensions=False)

    def select(self, **codes: str) -> MetricSeries:
        """The rows with the given code in each named dimension (others unconstrained).

        Parameters:
            **codes: a code for each constrained dimension, by dimension id (``sex="F"``).

        Returns:
            A new series with the matching rows.

        Raises:
            DisaggregationError: an unknown dimension, or a code outside its dimension.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="housed", name="Housed", unit="person")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=YEAR,
            ...     dimensions=[Dimension(id="sex", codes=("F", "M"))],
            ...     records=[{"period": "2024", "value": 5, "sex": "F"},
            ...              {"period": "2024", "value": 9}])
            >>> s.select(sex="F").values.tolist()
            [5.0]
        """
        mask = np.ones(len(self), dtype=bool)
        for dim_id, code in codes.items():
            j = self._dimension_index(dim_id)
            assert self.categories is not None
            index = int(self.dimensions[j].index([code])[0])
            mask &= self.categories[:, j] == index
        return self._subset(np.flatnonzero(mask), keep_dimensions=True)

    def between(self, start: Any = None, end: Any = None) -> MetricSeries:
        """The rows whose period lies wholly within ``start`` to ``end`` (inclusive dates; ISO
        text or :class:`datetime.date`; ``None`` leaves that side open).

        Parameters:
            start: the first day (inclusive), or ``None`` for no lower bound.
            end: the last day (inclusive), or ``None`` for no upper bound.

        Returns:
            A new series with the rows whose periods start on or after ``start`` and end on or
            before ``end``.

        Raises:
            ValidationError: a bound that is not a date.

        Example:
            >>> from civicinnov.periods import QUARTER
            >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=QUARTER,
            ...     records=[("2023-Q4", 7), ("2024-Q1", 5), ("2024-Q2", 4)])
            >>> s.between("2024-01-01").labels
            ['2024-Q1', '2024-Q2']
            >>> s.between(end="2024-03-31").values.tolist()
            [7.0, 5.0]
        """
        mask = np.ones(len(self), dtype=bool)
        if start is not None:
            first = np.datetime64(_to_day(start, "start"), "D")
            mask &= self.period_type.starts(self.ordinals) >= first
        if end is not None:
            last = np.datetime64(_to_day(end, "end"), "D")
            mask &= self.period_type.ends(self.ordinals) <= last
        return self._subset(np.flatnonzero(mask), keep_dimensions=True)

    def _subset(self, rows: NDArray[np.intp], *, keep_dimensions: bool) -> MetricSeries:
        def take(arr: NDArray[Any] | None) -> NDArray[Any] | None:
            return None if arr is None else _readonly(arr[rows])

        def pick(texts: tuple[str | None, ...] | None) -> tuple[str | None, ...] | None:
            return None if texts is None else tuple(texts[int(r)] for r in rows)

        revisions = None
        if self.revisions is not None:
            keep = np.zeros(len(self), dtype=bool)
            keep[rows] = True
            new_index = np.zeros(len(self), dtype=np.int64)
            new_index[rows] = np.arange(len(rows))
            revisions = self.revisions.take(keep, new_index)
        return attrs.evolve(
            self,
            ordinals=take(self.ordinals),
            values=take(self.values),
            numerators=take(self.numerators),
            denominators=take(self.denominators),
            dimensions=self.dimensions if keep_dimensions else (),
            categories=take(self.categories) if keep_dimensions else None,
            narratives=pick(self.narratives),
            statuses=take(self.statuses),
            missing_reasons=take(self.missing_reasons),
            approvals=take(self.approvals),
            comments=pick(self.comments),
            sources=pick(self.sources),
            recorded_by=pick(self.recorded_by),
            recorded_at=pick(self.recorded_at),
            revisions=revisions,
            observed=take(self.observed),
            expected=take(self.expected),
        )

    # -- coverage, statuses and approval -----------------------------------------------------

    @property
    def coverage(self) -> NDArray[np.float64]:
        """For each row, the share of its expected input periods (or places) that were present:
        ``observed / expected`` for a resampled or combined series, 1 for an observed one.

        Example:
            >>> from civicinnov.periods import MONTH, fiscal_year
            >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=MONTH,
            ...     records=[(f"2024-0{m}", 1) for m in range(1, 7)])
            >>> fy = s.resample(fiscal_year(7), d)
            >>> fy.labels, fy.observed.tolist(), fy.expected.tolist(), fy.coverage.tolist()
            (['FY2024'], [6], [12], [0.5])
        """
        if self.observed is None or self.expected is None:
            return np.ones(len(self))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, 0.0)

    @property
    def partial(self) -> NDArray[np.bool_]:
        """Whether each row was aggregated from fewer inputs than its period (or places) expects.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> MetricSeries(metric_id="m", place_id="p", period_type=YEAR, ordinals=[54],
            ...              values=[3.0], unit="call", observed=[6], expected=[12]).partial
            array([ True])
        """
        if self.observed is None or self.expected is None:
            return np.zeros(len(self), dtype=bool)
        return self.observed < self.expected

    def status_of(self, row: int) -> ObservationStatus | None:
        """The status of row ``row`` (``None`` when not given).

        Parameters:
            row: the row index.

        Returns:
            The row's :class:`ObservationStatus`, or ``None`` when the series has no statuses.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> MetricSeries(metric_id="m", place_id="p", period_type=YEAR, ordinals=[54],
            ...              values=[3.0], unit="call", statuses=["estimated"]).status_of(0)
            <ObservationStatus.ESTIMATED: 'estimated'>
        """
        if self.statuses is None:
            return None
        found: ObservationStatus | None = ObservationStatus.from_code(int(self.statuses[row]))
        return found

    def flags(self) -> dict[str, NDArray[np.bool_]]:
        """Boolean masks over the rows that a report should flag beside the value:

        - ``provisional``, ``estimated``, ``revised``: the row's status;
        - ``partial``: aggregated from fewer inputs than expected (see :attr:`coverage`);
        - ``unapproved``: an approval state is given and is not ``approved``;
        - ``has_history``: the row has earlier values in :attr:`revisions`.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> s = MetricSeries(metric_id="m", place_id="p", period_type=YEAR,
            ...                  ordinals=[54, 55], values=[3.0, 4.0], unit="call",
            ...                  statuses=["final", "provisional"])
            >>> s.flags()["provisional"].tolist()
            [False, True]
        """  # noqa: D415 - the summary ends in a code span
        n = len(self)
        codes = self.statuses if self.statuses is not None else np.zeros(n, dtype=np.int8)
        approvals = self.approvals
        unapproved = (
            np.zeros(n, dtype=bool)
            if approvals is None
            else (approvals != ApprovalState.APPROVED.code)
        )
        history = np.zeros(n, dtype=bool)
        if self.revisions is not None and len(self.revisions):
            history[self.revisions.rows] = True
        return {
            "provisional": codes == ObservationStatus.PROVISIONAL.code,
            "estimated": codes == ObservationStatus.ESTIMATED.code,
            "revised": codes == ObservationStatus.REVISED.code,
            "partial": self.partial,
            "unapproved": unapproved,
            "has_history": history,
        }

    def approved(self, at_least: ApprovalState = ApprovalState.APPROVED) -> MetricSeries:
        """The rows whose approval state is at least ``at_least``; a series without approval
        states (no workflow) is returned whole, and a row without a state does not pass.

        Parameters:
            at_least: the lowest approval state kept (default ``APPROVED``).

        Returns:
            A new series with the passing rows, or this series when it has no approval states.

        Raises:
            ValidationError: ``at_least`` is not an :class:`ApprovalState` (when the series has
                approval states).

        Example:
            >>> from civicinnov.periods import YEAR
            >>> s = MetricSeries(metric_id="m", place_id="p", period_type=YEAR,
            ...                  ordinals=[54, 55], values=[3.0, 4.0], unit="call",
            ...                  approvals=["approved", "submitted"])
            >>> s.approved().labels, s.approved(ApprovalState.SUBMITTED).labels
            (['2024'], ['2024', '2025'])
        """
        if self.approvals is None:
            return self
        if not isinstance(at_least, ApprovalState):
            raise ValidationError(f"at_least: expected an ApprovalState, got {at_least!r}")
        rows = np.flatnonzero(self.approvals >= at_least.code)
        return self._subset(rows, keep_dimensions=True)

    def update(
        self,
        incoming: MetricSeries,
        *,
        recorded_at: Any = None,
        recorded_by: str | None = None,
    ) -> MetricSeries:
        """Return the series with the rows of ``incoming`` applied: a row for a period (and codes)
        already held replaces it and the value it replaces moves to :attr:`revisions` (with its
        status, recorder, time and comment), so nothing is overwritten; other rows are added.

        A replaced row without a status in ``incoming`` becomes ``revised``. ``recorded_at`` and
        ``recorded_by`` fill the rows of ``incoming`` that do not say when or by whom they were
        recorded. Vectorised: rows are matched with one ``searchsorted``.

        Raises :class:`~civicinnov.errors.SeriesError` for a series of another metric, place,
        period type or dimensions, or when one of the two has ratio parts and the other not;
        :class:`~civicinnov.errors.UnitError` for a unit of another dimension.

        Parameters:
            incoming: a series of the same metric, place, period type and dimensions; it is
                converted to this series' unit.
            recorded_at: when the incoming rows were recorded (date, datetime or ISO 8601 text),
                for rows that do not say; ``None`` leaves them unknown.
            recorded_by: who recorded the incoming rows, for rows that do not say.

        Returns:
            A new series with the rows of both and the replaced values in :attr:`revisions`.

        Raises:
            SeriesError: ``incoming`` is not a matching series, only one of the two has ratio parts,
                or ``recorded_at`` is not ISO 8601.
            UnitError: ``incoming`` is in a unit of another dimension.

        Example:
            >>> from civicinnov.periods import MONTH
            >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=MONTH, records=[
            ...     {"period": "2024-01", "value": 10, "status": "provisional"}])
            >>> fix = MetricSeries.from_records(d, place_id="p", period_type=MONTH, records=[
            ...     ("2024-01", 12), ("2024-02", 9)])
            >>> new = s.update(fix, recorded_by="analyst", recorded_at="2024-03-01")
            >>> new.values.tolist(), new.status_of(0), new.revisions.values.tolist()
            ([12.0, 9.0], <ObservationStatus.REVISED: 'revised'>, [10.0])
        """
        where = f"{self._where}: update"
        if not isinstance(incoming, MetricSeries):
            raise SeriesError(f"{where}: expected a MetricSeries, got {incoming!r}")
        same = (
            incoming.metric_id == self.metric_id
            and incoming.place_id == self.place_id
            and incoming.period_type == self.period_type
            and incoming.dimensions == self.dimensions
        )
        if not same:
            raise SeriesError(
                f"{where}: expected a series of {self.metric_id!r} in {self.place_id!r} by "
                f"{self.period_type.name} with the same dimensions, got {incoming.metric_id!r} in "
                f"{incoming.place_id!r} by {incoming.period_type.name}"
            )
        if (self.numerators is None) != (incoming.numerators is None):
            raise SeriesError(
                f"{where}: one series has numerators and denominators and the other not; "
                "expected both with or both without ratio parts"
            )
        inc = incoming.to(self.unit)
        n_old, n_new = len(self), len(inc)
        fill_at = check_timestamps([recorded_at], "recorded_at")
        stamp = None if fill_at is None else fill_at[0]
        # combined sort keys: codes, then period
        lo = int(min(self.ordinals.min(initial=0), inc.ordinals.min(initial=0)))
        hi = int(max(self.ordinals.max(initial=0), inc.ordinals.max(initial=0)))
        span = hi - lo + 1
        old_key = self._key() * span + (self.ordinals - lo)
        new_key = inc._key() * span + (inc.ordinals - lo)
        pos = np.searchsorted(old_key, new_key)
        hit = pos < n_old
        hit[hit] = old_key[pos[hit]] == new_key[hit]
        replaced = pos[hit]
        # the history: earlier revisions, then the values replaced now
        old_status = self._codes("statuses")
        parts = [self.revisions] if self.revisions is not None else []
        if len(replaced):
            parts.append(
                Revisions(
                    rows=replaced,
                    values=self.values[replaced],
                    statuses=old_status[replaced],
                    recorded_at=self._text_at("recorded_at", replaced),
                    recorded_by=self._text_at("recorded_by", replaced),
                    comments=self._text_at("comments", replaced),
                )
            )
        # the merged rows: old rows (some replaced), then new rows, sorted by key
        added = np.flatnonzero(~hit)
        order: NDArray[np.intp] | slice = slice(None)  # no row added: the order stands
        where_now: NDArray[np.int64] | None = None
        if len(added):
            merged_key = np.concatenate((old_key, new_key[added]))
            order = np.argsort(merged_key, kind="stable")
            where_now = np.empty(len(order), dtype=np.int64)
            where_now[order] = np.arange(len(order))

        def merge(old: NDArray[Any], new: NDArray[Any]) -> NDArray[Any]:
            out = old.copy()
            out[replaced] = new[hit]
            if len(added):
                out = np.concatenate((out, new[added]))[order]
            return _readonly(out)

        def merge_text(name: str, fill: str | None = None) -> tuple[str | None, ...] | None:
            old_t, new_t = getattr(self, name), getattr(inc, name)
            if old_t is None and new_t is None and fill is None:
                return None
            old_arr = np.empty(n_old, dtype=object)
            new_arr = np.empty(n_new, dtype=object)
            if old_t is not None:
                old_arr[:] = old_t
            if new_t is not None:
                new_arr[:] = new_t
            if fill is not None:
                new_arr[new_arr == np.array(None)] = fill
            old_arr[replaced] = new_arr[hit]
            if len(added):
                old_arr = np.concatenate((old_arr, new_arr[added]))[order]
            merged: list[str | None] = old_arr.tolist()
            return tuple(merged)

        new_status = inc._codes("statuses").copy()
        new_status[hit & (new_status == 0)] = ObservationStatus.REVISED.code
        fields: dict[str, Any] = {
            "ordinals": merge(self.ordinals, inc.ordinals),
            "values": merge(self.values, inc.values),
            "statuses": merge(old_status, new_status),
        }
        if self.missing_reasons is not None or inc.missing_reasons is not None:
            fields["missing_reasons"] = merge(
                self._codes("missing_reasons"), inc._codes("missing_reasons")
            )
        if self.approvals is not None or inc.approvals is not None:
            fields["approvals"] = merge(self._codes("approvals"), inc._codes("approvals"))
        if self.numerators is not None and inc.numerators is not None:
            assert self.denominators is not None
            assert inc.denominators is not None
            assert self.numerator_unit is not None
            assert self.denominator_unit is not None
            assert inc.numerator_unit is not None
            assert inc.denominator_unit is not None
            fn = _factor(inc.numerator_unit, self.numerator_unit, where=where)
            fd = _factor(inc.denominator_unit, self.denominator_unit, where=where)
            fields["numerators"] = merge(self.numerators, inc.numerators * fn)
            fields["denominators"] = merge(self.denominators, inc.denominators * fd)
        if self.categories is not None and inc.categories is not None:
            cats = self.categories.copy()
            cats[replaced] = inc.categories[hit]
            if len(added):
                cats = np.concatenate((cats, inc.categories[added]))[order]
            fields["categories"] = _readonly(cats)
        for name in ("narratives", "comments", "sources"):
            fields[name] = merge_text(name)
        fields["recorded_by"] = merge_text("recorded_by", recorded_by)
        fields["recorded_at"] = merge_text("recorded_at", stamp)
        history = Revisions.concat(parts) if len(parts) != 1 else parts[0]
        if len(history) and where_now is not None:
            history = attrs.evolve(history, rows=where_now[history.rows])
        fields["revisions"] = history if (len(history) or self.revisions is not None) else None
        return attrs.evolve(self, **fields)

    def check(self, definition: MetricDefinition, *, path: str = "$") -> list[str]:
        """The problems of this series as observations of ``definition``, each naming ``path``:
        another metric id, a unit (or ratio part unit) of another dimension, values outside a
        percentage's 0-100 %, infinite values. Never raises for a bad series; an empty list
        means it is fine.

        Parameters:
            definition: the metric definition the series should hold observations of.
            path: the place named in each problem (default ``"$"``).

        Returns:
            A list of problem messages; empty when the series fits.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="homes", name="Homes", unit="dwelling")
            >>> s = MetricSeries(metric_id="homes", place_id="p", period_type=YEAR,
            ...                  ordinals=[54], values=[3.0], unit="meter")
            >>> s.check(d, path="$.series[2]")
            ["$.series[2].unit: metric 'homes' is measured in dwelling ([dwelling]); got meter ([length])"]
        """
        problems: list[str] = []
        if definition.id != self.metric_id:
            problems.append(
                f"{path}.metric_id: expected {definition.id!r} (the definition given), got "
                f"{self.metric_id!r}"
            )
        unit_problems = definition.check_unit(self.unit, path=f"{path}.unit")
        problems += unit_problems
        ratio = definition.ratio
        if ratio is not None and self.numerator_unit is not None:
            for name, unit, want in (
                ("numerator_unit", self.numerator_unit, ratio.numerator_unit),
                ("denominator_unit", self.denominator_unit, ratio.denominator_unit),
            ):
                if unit is not None and unit.dimensionality != want.dimensionality:
                    problems.append(
                        f"{path}.{name}: metric {definition.id!r} has the {name[:-5]} "
                        f"in {want} ({want.dimensionality or 'dimensionless'}); got {unit} "
                        f"({unit.dimensionality or 'dimensionless'})"
                    )
        if np.any(np.isinf(self.values)):
            i = int(np.flatnonzero(np.isinf(self.values))[0])
            problems.append(f"{path}.values[{i}]: expected a finite number, got {self.values[i]}")
        elif not unit_problems:
            try:
                factor = _factor(self.unit, definition.unit, where=f"{path}.unit")
                definition.check_bounds(self.values * factor, where=f"{path}.values")
            except CivicError as exc:
                problems.append(str(exc))
        return problems

    def _codes(self, name: str) -> NDArray[np.int8]:
        value: NDArray[np.int8] | None = getattr(self, name)
        return value if value is not None else np.zeros(len(self), dtype=np.int8)

    def _text_at(self, name: str, rows: NDArray[np.intp]) -> list[str | None]:
        texts: tuple[str | None, ...] | None = getattr(self, name)
        if texts is None:
            return [None] * len(rows)
        return [texts[int(r)] for r in rows]

    def check_totals(
        self, definition: MetricDefinition, *, rtol: float = 1e-9, atol: float = 0.0
    ) -> None:
        """Check that, for an additive metric, the disaggregates of each dimension add up to the
        total (``'_T'``) row with the same other codes and period.

        Slices where a disaggregate or the total is missing (``NaN``) are not compared. Raises
        :class:`~civicinnov.errors.DisaggregationError` listing every mismatch in ``problems``;
        :class:`~civicinnov.errors.ValidationError` for a metric that is not additive (the parts of
        a percentage do not add up to anything).

        Parameters:
            definition: the series' metric definition (it must be additive).
            rtol: relative tolerance of the comparison, as a share of the total.
            atol: absolute tolerance of the comparison, in the series' unit.

        Raises:
            DisaggregationError: some totals differ from the sum of their parts (all listed in
                ``problems``).
            ValidationError: the metric is not additive, or ``definition`` is not a
                MetricDefinition.
            SeriesError: the definition is of another metric.
            UnitError: the definition's unit is of another dimension than the series'.

        Example:
            >>> from civicinnov.periods import YEAR
            >>> d = MetricDefinition(id="housed", name="Housed", unit="person")
            >>> sex = Dimension(id="sex", codes=("F", "M"))
            >>> s = MetricSeries.from_records(d, place_id="p", period_type=YEAR, dimensions=[sex],
            ...     records=[{"period": "2024", "value": 9}, {"period": "2024", "value": 5, "sex": "F"},
            ...              {"period": "2024", "value": 3, "sex": "M"}])
            >>> s.check_totals(d)
            Traceback (most recent call last):
            ...
            civicinnov.errors.DisaggregationError: series 'housed' in 'p': 1 disaggregation total does not add up; first: 2024 (sex): parts add up to 8 person, total is 9 person
        """
        self._check_definition(definition)
        if not definition.is_additive:
            raise ValidationError(
                f"{self._where}: metric {definition.id!r} is not additive (ratio, percentage, "
                "cumulative or not summed); its disaggregates need not add up to the total"
            )
        if not self.dimensions or self.categories is None or len(self) == 0:
            return
        cats, vals, ords = self.categories, self.values, self.ordinals
        span = int(ords.max() - ords.min()) + 1
        problems: list[str] = []
        for j, dim in enumerate(self.dimensions):
            others = cats.copy()
            others[:, j] = 0
            key = _encode(others, self.dimensions, len(ords)) * span + (ords - ords.min())
            is_total = cats[:, j] == 0
            part_keys, inverse = np.unique(key[~is_total], return_inverse=True)
            part_vals = vals[~is_total]
            sums = np.bincount(inverse, weights=np.nan_to_num(part_vals), minlength=len(part_keys))
            nan_parts = np.bincount(inverse, weights=np.isnan(part_vals), minlength=len(part_keys))
            total_rows = np.flatnonzero(is_total)
            pos = np.searchsorted(part_keys, key[total_rows])
            pos_ok = pos < len(part_keys)
            matched = np.zeros(len(total_rows), dtype=bool)
            matched[pos_ok] = part_keys[pos[pos_ok]] == key[total_rows[pos_ok]]
            rows = total_rows[matched]
            p = pos[matched]
            totals = vals[rows]
            ok = np.isnan(totals) | (nan_parts[p] > 0)
            ok |= np.abs(sums[p] - totals) <= atol + rtol * np.abs(totals)
            for r, s in zip(rows[~ok], sums[p][~ok], strict=True):
                problems.append(
                    f"{self.period_type.label(int(ords[r]))} ({dim.id}"
                    + "".join(
                        f", {d.id}={d.all_codes[int(c)]}"
                        for k, (d, c) in enumerate(zip(self.dimensions, cats[r], strict=True))
                        if k != j and c != 0
                    )
                    + f"): parts add up to {s:g} {self.unit}, total is {vals[r]:g} {self.unit}"
                )
        if problems:
            noun = "total does" if len(problems) == 1 else "totals do"
            raise DisaggregationError(
                f"{self._where}: {len(problems)} disaggregation {noun} not add up; first: "
                f"{problems[0]}",
                problems=problems,
            )


_RANGES: dict[PeriodType, tuple[int, int]] = {}


def _calendar_range(period_type: PeriodType) -> tuple[int, int]:
    """The first and last ordinals of ``period_type`` whose periods lie within years 2-9998."""
    found = _RANGES.get(period_type)
    if found is None:
        found = (
            period_type.ordinal_of(dt.date(2, 1, 1)),
            period_type.ordinal_of(dt.date(9998, 12, 31)),
        )
        _RANGES[period_type] = found
    return found


def _threshold(require_complete: bool, min_coverage: float | None) -> float | None:  # noqa: FBT001 - a private helper flag
    """The smallest share of expected inputs a period needs to keep its value (None: any)."""
    if not isinstance(require_complete, bool):
        raise ValidationError(f"require_complete: expected True or False, got {require_complete!r}")
    if min_coverage is not None:
        if (
            isinstance(min_coverage, bool)
            or not isinstance(min_coverage, (int, float))
            or not 0.0 <= float(min_coverage) <= 1.0
        ):
            raise ValidationError(
                f"min_coverage: expected a share from 0 to 1 (such as 0.75), got {min_coverage!r}"
            )
        if require_complete:
            raise ValidationError(
                "require_complete and min_coverage: give one (require_complete is "
                "min_coverage=1), got both"
            )
        return float(min_coverage)
    return 1.0 if require_complete else None


def _encode(
    categories: NDArray[np.int64] | None, dimensions: tuple[Dimension, ...], n: int
) -> NDArray[np.int64]:
    if categories is None or not dimensions:
        return np.zeros(n, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    for j, dim in enumerate(dimensions):
        key = key * len(dim.all_codes) + categories[:, j]
    return key


def _check_parts_agree(
    vals: NDArray[np.float64],
    nums: NDArray[np.float64],
    dens: NDArray[np.float64],
    factor: float,
    where: str,
) -> None:
    if not len(vals) == len(nums) == len(dens):
        return  # the constructor reports the lengths
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = nums * factor / dens
    both = np.isfinite(vals) & np.isfinite(implied)
    bad = both & ~np.isclose(vals, implied, rtol=1e-6, atol=1e-12)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise SeriesError(
            f"{where}: values[{i}]: {vals[i]:g} disagrees with numerator / denominator "
            f"{nums[i]:g} / {dens[i]:g} = {implied[i]:g}; give one or make them agree"
        )


def _number(value: Any, *, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SeriesError(
            f"{where}: expected a number or None, got {type(value).__name__} {value!r}"
        )
    return float(value)


def _ordinals_from(
    period_type: PeriodType,
    ordinals: ArrayLike | None,
    periods: ArrayLike | None,
    dates: ArrayLike | None,
    *,
    where: str,
) -> NDArray[np.int64]:
    given = [
        name
        for name, v in (("ordinals", ordinals), ("periods", periods), ("dates", dates))
        if v is not None
    ]
    if len(given) != 1:
        raise SeriesError(f"{where}: give exactly one of ordinals, periods or dates, got {given}")
    if ordinals is not None:
        return _ints(ordinals)
    if periods is not None:
        return period_type.parse_labels(periods)
    assert dates is not None
    return period_type.ordinals_of(dates)


def _to_day(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"{where}: expected a date such as 2024-01-01, got {value!r}")


def missing_periods(
    series: MetricSeries,
    start: Any,
    end: Any,
    *,
    schedule: PeriodType | None = None,
    definition: MetricDefinition | None = None,
) -> list[str]:
    """The ids of the periods between ``start`` and ``end`` (inclusive dates) that the metric's
    reporting schedule expects and the series does not report.

    The schedule is ``schedule``, else the definition's reporting frequency
    (:attr:`MetricDefinition.reporting_frequency`, the plan's ``frequency``), else the series'
    own period type. A scheduled period counts as reported when the series' total rows hold a
    value (or narrative) for it or, for a series finer than the schedule, for any part of it.
    Only periods wholly within ``start``-``end`` are expected.

    Raises :class:`~civicinnov.errors.PeriodError` when the series' periods do not nest in the
    schedule's (a yearly series cannot show which months were reported);
    :class:`~civicinnov.errors.ValidationError` for a bad date.

    Parameters:
        series: the reported series (its total rows are read).
        start: the first day of the window (date or ISO text, inclusive).
        end: the last day of the window (date or ISO text, inclusive).
        schedule: the reporting period type; ``None`` takes it from ``definition`` or the series.
        definition: the metric definition whose reporting frequency is the schedule.

    Returns:
        The labels of the expected, unreported periods, in order (empty when none).

    Raises:
        PeriodError: the series' period type does not nest in the schedule's.
        ValidationError: a bad date, or a schedule that is not a PeriodType.

    Example:
        >>> from civicinnov.metrics import MetricPlan
        >>> from civicinnov.periods import MONTH, QUARTER
        >>> d = MetricDefinition(id="calls", name="Calls", unit="call",
        ...                      plan=MetricPlan(frequency=MONTH))
        >>> s = MetricSeries.from_records(d, place_id="p", period_type=MONTH,
        ...     records=[("2024-01", 5), ("2024-02", None), ("2024-04", 3)])
        >>> missing_periods(s, "2024-01-01", "2024-06-30", definition=d)
        ['2024-02', '2024-03', '2024-05', '2024-06']
        >>> missing_periods(s, "2024-01-01", "2024-06-30", schedule=QUARTER)
        []
    """
    if schedule is None and definition is not None:
        schedule = definition.reporting_frequency
    if schedule is None:
        schedule = series.period_type
    if not isinstance(schedule, PeriodType):
        raise ValidationError(f"schedule: expected a PeriodType, got {schedule!r}")
    first_day = _to_day(start, "start")
    last_day = _to_day(end, "end")
    first = schedule.ordinal_of(first_day)
    if schedule.bounds(first)[0] < first_day:
        first += 1
    last = schedule.ordinal_of(last_day)
    if schedule.bounds(last)[1] > last_day:
        last -= 1
    if last < first:
        return []
    totals = series.total()
    present = ~np.isnan(totals.values)
    if totals.narratives is not None:
        present |= np.array([t is not None for t in totals.narratives], dtype=bool)
    reported = totals.period_type.convert(totals.ordinals[present], schedule)
    expected = np.arange(first, last + 1, dtype=np.int64)
    missing = expected[~np.isin(expected, reported)]
    return schedule.labels(missing)
