"""How far along a metric is, and whether it is on track: four views of the same question.

- :func:`progress`: baseline-aware progress ``(actual − baseline) / (target − baseline)``, raw and
  clamped to [0, 1] (Akvo RSR's definition; lesson 5 of the peer study). Defined edge cases:

  * **target equals baseline** (a hold-the-line target): raw is 1 when the actual is at the target
    or on its better side (by the metric's direction; within ``hold_tolerance`` for ``MAINTAIN`` /
    ``NONE``), else 0 with status ``REGRESSED``;
  * **missing baseline**: raw and clamped are ``NaN``, status ``NO_BASELINE`` (progress is never
    silently measured from zero);
  * **overshoot**: raw above 1, clamped 1, status ``EXCEEDED``;
  * **regress**: raw below 0, clamped 0, status ``REGRESSED``;
  * a missing actual (``NaN``) gives ``NO_DATA``.

- :func:`on_track`: the actual against the straight trajectory from the baseline (on its date) to
  the target (on its due date), with a tolerance band in progress units: on track when the actual
  progress is within ± ``tolerance`` (default 0.15) of the share of time elapsed. The default
  echoes TolaData's ±15 % band; ours is measured on the baseline-to-target distance, so it works
  for targets that go down as well as up.
- :func:`sdg_status`: the compound-annual-growth-rate status of Open SDG's ``sdg-build``
  (``sdg/ProgressMeasure.py``): method 1 without a target (observed CAGR × direction, thresholds
  0.015 / 0.005 / 0), method 2 with a target (observed CAGR ÷ required CAGR, thresholds
  0.95 / 0.6 / 0); a base value of 0 is replaced by 0.001 with a warning, as there.
- :func:`roll_up`: a parent result's progress as the weighted mean of its children's clamped
  progress, skipping children without a value (after Decidim Accountability's
  ``update_progress!``), with the weights renormalised over the children that count.
- :func:`turn_the_curve`: Results-Based Accountability's "turn the curve" (M. Friedman, *Trying Hard
  Is Not Good Enough*, 2005): the actual after a start date against the baseline forecast, the
  straight-line trend of the earlier periods extended forward (:mod:`civicinnov.evaluation`).

Each result is a frozen object holding the numbers it used, in units, and prints as one line.
:func:`progress` and :func:`on_track` are vectorised: ``actual`` may be an array (a series).

Example:
    >>> from civicinnov.metrics import Direction
    >>> from civicinnov.units import as_quantity
    >>> p = progress(as_quantity(160, "incident"), target=as_quantity(100, "incident"),
    ...              baseline=as_quantity(200, "incident"), direction=Direction.DECREASE)
    >>> print(p)
    progress 40% (raw 0.4): actual 160 incident from baseline 200 incident towards target 100 incident (decrease); in progress
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import warnings
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pint

from civicinnov.errors import CivicWarning, EstimationError, ValidationError
from civicinnov.evaluation._regression import t_quantile
from civicinnov.evaluation._trend import Trend, days_since_epoch, midpoints, trend
from civicinnov.metrics import Baseline, Direction, MetricDefinition, MetricSeries, Target
from civicinnov.periods import Frequency
from civicinnov.units import as_quantity, get_registry

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from civicinnov.units import Quantity

__all__ = [
    "OnTrack",
    "Progress",
    "ProgressStatus",
    "RollUp",
    "SDGProgress",
    "SDGStatus",
    "TrackStatus",
    "TurnStatus",
    "TurnTheCurve",
    "on_track",
    "progress",
    "roll_up",
    "sdg_status",
    "turn_the_curve",
]

_EPS = 1e-9


class _Status(enum.Enum):
    """A status whose value reads as words once underscores become spaces."""

    @property
    def text(self) -> str:
        """The status in words.

        Example:
            >>> TrackStatus.ON_TRACK.text, ProgressStatus.IN_PROGRESS.text
            ('on track', 'in progress')
        """
        return str(self.value).replace("_", " ")


class ProgressStatus(_Status):
    """Where an actual value stands between baseline and target.

    Example:
        >>> ProgressStatus("exceeded")
        <ProgressStatus.EXCEEDED: 'exceeded'>
    """

    NO_DATA = "no_data"
    NO_BASELINE = "no_baseline"
    REGRESSED = "regressed"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    EXCEEDED = "exceeded"


_PROGRESS_ORDER = tuple(ProgressStatus)


def _as_q(value: Any, unit: Any, where: str) -> Quantity:

    if isinstance(value, (Baseline, Target)):
        value = value.value

    if isinstance(value, MetricSeries):
        # A disaggregated series is judged on its total rows, never on its last breakdown row.
        value = (value.total() if value.dimensions else value).quantity
    if isinstance(value, str):
        value = as_quantity(value, where=where)
    if isinstance(value, pint.Quantity) and unit is not None and value.units == unit:
        return as_quantity(value, where=where)  # same unit: adopt without copying the array
    return as_quantity(value, unit, where=where)


def _direction(direction: Direction | None, definition: MetricDefinition | None) -> Direction:
    if direction is not None:
        if not isinstance(direction, Direction):
            raise ValidationError(f"direction: expected a Direction, got {direction!r}")
        return direction
    if definition is not None:
        return definition.direction
    return Direction.NONE


def _num(value: float) -> str:
    """A number for people: whole numbers with thousands separators, others to 4 significant
    figures without exponents (``11,450``, ``0.1235``, ``-3.5``); exponents only outside
    10⁻³..10¹².
    """
    x = float(value)
    if not math.isfinite(x) or x == 0:
        return f"{x:g}" if x != 0 else "0"
    if not 1e-3 <= abs(x) < 1e12:
        return f"{x:.4g}"
    if x == round(x) and abs(x) >= 1:
        return f"{x:,.0f}"
    decimals = max(0, 3 - math.floor(math.log10(abs(x))))
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _fmt(mag: Any, unit: Any) -> str:
    arr = np.asarray(mag, dtype=np.float64)
    if arr.ndim == 0:
        return f"{_num(float(arr))} {unit}"
    if arr.size == 0:
        return f"[] {unit}"
    if arr.size == 1:
        return f"{_num(float(arr.reshape(-1)[0]))} {unit}"
    return f"{_num(float(arr.reshape(-1)[-1]))} {unit} (latest of {arr.size})"


def _last(arr: NDArray[Any]) -> Any:
    return arr.reshape(-1)[-1] if arr.size else np.nan


@attrs.frozen(kw_only=True)
class Progress:
    """Baseline-aware progress towards a target, raw and clamped to [0, 1].

    ``raw``, ``clamped`` and ``hold`` (where the target equals the baseline) are numpy arrays (0-d
    for one value); ``codes`` index :class:`ProgressStatus` in declaration order. ``status`` is the status of the last (latest)
    value; ``statuses`` lists all.

    Example:
        >>> import numpy as np
        >>> from civicinnov.units import as_quantity
        >>> p = progress(as_quantity(np.array([10.0, 15.0, 25.0, 5.0]), "call"),
        ...              baseline=as_quantity(10, "call"), target=as_quantity(20, "call"),
        ...              direction=Direction.INCREASE)
        >>> p.raw.tolist(), p.clamped.tolist()
        ([0.0, 0.5, 1.5, -0.5], [0.0, 0.5, 1.0, 0.0])
        >>> [s.value for s in p.statuses]
        ['not_started', 'in_progress', 'exceeded', 'regressed']
    """

    raw: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    clamped: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    hold: NDArray[np.bool_] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    actual: Quantity
    baseline: Quantity | None
    target: Quantity
    direction: Direction

    @property
    def hold_target(self) -> bool:
        """Whether the target equals the baseline (a hold-the-line target) for every value.

        Example:
            >>> from civicinnov.units import as_quantity
            >>> progress(as_quantity(5, "call"), target=as_quantity(5, "call"),
            ...          baseline=as_quantity(5, "call")).hold_target
            True
        """
        return bool(self.hold.size) and bool(np.all(self.hold))

    @property
    def codes(self) -> NDArray[np.int8]:
        """The status of each value as an index into :class:`ProgressStatus` (computed on demand,
        vectorised).

        Example:
            >>> import numpy as np
            >>> from civicinnov.units import as_quantity
            >>> progress(as_quantity(np.array([0.0, 5.0]), "call"), target=as_quantity(10, "call"),
            ...          baseline=as_quantity(0, "call")).codes.tolist()
            [3, 4]
        """
        if self.baseline is None:
            code = _PROGRESS_ORDER.index(ProgressStatus.NO_BASELINE)
            return np.full(self.raw.shape, code, dtype=np.int8)
        return _progress_codes(self.raw, self.hold)

    @property
    def status(self) -> ProgressStatus:
        """Status of the last value.

        Example:
            >>> from civicinnov.units import as_quantity
            >>> progress(as_quantity(5, "call"), target=as_quantity(10, "call")).status
            <ProgressStatus.NO_BASELINE: 'no_baseline'>
        """
        return _PROGRESS_ORDER[int(_last(self.codes))]

    @property
    def statuses(self) -> list[ProgressStatus]:
        """Status of every value.

        Example:
            >>> from civicinnov.units import as_quantity
            >>> progress(as_quantity(5, "call"), target=as_quantity(10, "call"),
            ...          baseline=as_quantity(0, "call")).statuses
            [<ProgressStatus.IN_PROGRESS: 'in_progress'>]
        """
        return [_PROGRESS_ORDER[int(c)] for c in self.codes.reshape(-1)]

    def __str__(self) -> str:
        unit = self.target.units
        raw = float(_last(self.raw))
        clamped = float(_last(self.clamped))
        share = "n/a" if math.isnan(clamped) else f"{clamped:.0%}"
        base = (
            "no baseline"
            if self.baseline is None
            else f"baseline {_fmt(self.baseline.magnitude, unit)}"
        )
        hold = " (hold-the-line target)" if self.hold_target else ""
        return (
            f"progress {share} (raw {raw:.3g}): actual {_fmt(self.actual.magnitude, unit)} from "
            f"{base} towards target {_fmt(self.target.magnitude, unit)}{hold} "
            f"({self.direction.value}); {self.status.text}"
        )


def progress(
    actual: Any,
    *,
    target: Any,
    baseline: Any = None,
    direction: Direction | None = None,
    definition: MetricDefinition | None = None,
    hold_tolerance: float = 0.0,
) -> Progress:
    """Baseline-aware progress ``(actual − baseline) / (target − baseline)``, raw and clamped.

    ``actual``, ``target`` and ``baseline`` are quantities (any registry), quantity text,
    :class:`~civicinnov.metrics.Target` / :class:`~civicinnov.metrics.Baseline`
    objects or, for ``actual``, a :class:`~civicinnov.metrics.MetricSeries`; arrays broadcast.
    Everything is converted to the target's unit, so the result does not depend on units.
    ``direction`` (or the ``definition``'s) decides which side of a hold-the-line target is
    better and is checked against the target: an increasing metric with a target below its
    baseline is refused. See the module docstring for the edge cases.

    Raises :class:`~civicinnov.errors.UnitError` for values of different dimensions and
    :class:`~civicinnov.errors.ValidationError` for a target on the wrong side of the baseline.

    Parameters:
        actual: the observed value(s).
        target: the target value, or a :class:`~civicinnov.metrics.Target`.
        baseline: the baseline value, or a :class:`~civicinnov.metrics.Baseline`; ``None``
            gives ``NaN`` progress.
        direction: the metric's direction; ``None`` takes the ``definition``'s.
        definition: the metric's definition (direction, unit and bounds checks).
        hold_tolerance: for a hold-the-line target of a ``MAINTAIN`` / ``NONE`` metric, the
            accepted distance from the target as a share of its size (default 0: exact).

    Returns:
        A :class:`Progress` with raw and clamped progress in the broadcast shape.

    Raises:
        UnitError: values of different dimensions.
        ValidationError: a target on the wrong side of the baseline, a direction that is not a
            Direction, or a target outside a percentage metric's bounds.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> progress(as_quantity(3, "km"), target=as_quantity(2000, "m"),
        ...          baseline=as_quantity(1, "km")).raw.item()
        2.0
        >>> progress(as_quantity(3, "km"), target=as_quantity(2, "kg"))
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: actual: expected dimension [mass], got [length] (kilometer)
        >>> progress(as_quantity(3, "call"), target=as_quantity(2, "call"),
        ...          baseline=as_quantity(5, "call"), direction=Direction.INCREASE)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: target: 2 call is below the baseline 5 call, but the metric's direction is increase
    """
    direction = _direction(direction, definition)
    if isinstance(target, Target):
        target = target.value
    t_q = as_quantity(target, where="target")
    if definition is not None:
        t_q = definition.quantity(t_q, where="target")
    unit = t_q.units
    a_q = _as_q(actual, unit, "actual")
    b_q = None if baseline is None else _as_q(baseline, unit, "baseline")
    a = np.asarray(a_q.magnitude, dtype=np.float64)
    t = np.asarray(t_q.magnitude, dtype=np.float64)
    if b_q is None:
        shape = np.broadcast_shapes(a.shape, t.shape)
        nan = np.full(shape, np.nan)
        return Progress(
            raw=nan,
            clamped=nan.copy(),
            hold=np.zeros(shape, dtype=bool),
            actual=a_q,
            baseline=None,
            target=t_q,
            direction=direction,
        )
    b = np.asarray(b_q.magnitude, dtype=np.float64)
    _check_direction(t, b, direction, unit)
    raw, hold = _progress_arrays(a, b, t, direction, hold_tolerance)
    return Progress(
        raw=raw,
        clamped=np.clip(raw, 0.0, 1.0),
        hold=np.broadcast_to(hold, raw.shape),
        actual=a_q,
        baseline=b_q,
        target=t_q,
        direction=direction,
    )


def _check_direction(t: NDArray[Any], b: NDArray[Any], direction: Direction, unit: Any) -> None:
    sign = direction.sign
    if sign == 0:
        return
    wrong = (t - b) * sign < 0
    if np.any(wrong):
        tb, bb = np.broadcast_arrays(t, b)
        i = int(np.flatnonzero(wrong.reshape(-1))[0]) if wrong.ndim else 0
        tv, bv = float(tb.reshape(-1)[i]), float(bb.reshape(-1)[i])
        side = "below" if sign > 0 else "above"
        raise ValidationError(
            f"target: {tv:g} {unit} is {side} the baseline {bv:g} {unit}, but the metric's "
            f"direction is {direction.value}"
        )


def _progress_arrays(
    a: NDArray[np.float64],
    b: NDArray[np.float64],
    t: NDArray[np.float64],
    direction: Direction,
    hold_tolerance: float,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    span = t - b
    scale = np.maximum(np.maximum(np.abs(t), np.abs(b)), 1.0)
    hold = np.abs(span) <= _EPS * scale
    any_hold = bool(np.any(hold))
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.asarray(
            (a - b) / (np.where(hold, 1.0, span) if any_hold else span), dtype=np.float64
        )
    if any_hold:
        sign = direction.sign
        if sign == 0:
            held = np.abs(a - t) <= hold_tolerance * np.abs(t) + _EPS * scale
        else:
            held = (a - t) * sign >= -_EPS * scale
        raw = np.where(hold, np.where(held, 1.0, 0.0), raw)
        raw = np.where(np.isnan(a), np.nan, raw)
    # (t - b) / (t - b) is exactly 1 and 0 / (t - b) exactly 0 in IEEE arithmetic, so the baseline
    # maps to 0 and the target to 1 without any snapping.
    return np.asarray(raw, dtype=np.float64), np.asarray(hold)


def _progress_codes(raw: NDArray[np.float64], hold: NDArray[np.bool_]) -> NDArray[np.int8]:
    flat = np.asarray(raw, dtype=np.float64).reshape(-1)
    # REGRESSED=2, NOT_STARTED=3, IN_PROGRESS=4, ACHIEVED=5, EXCEEDED=6; NaN compares False
    codes = (flat >= 0).view(np.int8) + (flat > 0).view(np.int8)
    codes += (flat >= 1).view(np.int8)
    codes += (flat > 1).view(np.int8)
    codes += np.int8(2)
    codes[np.isnan(flat)] = np.int8(_PROGRESS_ORDER.index(ProgressStatus.NO_DATA))
    if np.any(hold):
        hold_flat = np.broadcast_to(hold, raw.shape).reshape(-1)
        codes[hold_flat & (flat < 1)] = np.int8(_PROGRESS_ORDER.index(ProgressStatus.REGRESSED))
    return codes.reshape(raw.shape)


class TrackStatus(_Status):
    """Whether the actual keeps pace with the straight trajectory from baseline to target.

    Example:
        >>> TrackStatus("behind").text
        'behind'
    """

    NO_DATA = "no_data"
    BEHIND = "behind"
    ON_TRACK = "on_track"
    AHEAD = "ahead"


_TRACK_ORDER = tuple(TrackStatus)


@attrs.frozen(kw_only=True)
class OnTrack:
    """The actual against the trajectory baseline → target on the dates ``at``.

    ``elapsed`` is the share of the time from baseline date to due date that has passed (clipped
    to [0, 1]); ``expected`` the trajectory's value then; ``gap`` = actual progress − elapsed, in
    progress units (negative = behind); ``codes`` index :class:`TrackStatus`.

    Example:
        >>> import datetime as dt
        >>> from civicinnov.model import TargetStage
        >>> from civicinnov.units import as_quantity
        >>> b = Baseline(metric_id="m", value="200 incident", as_of="2024-01-01")
        >>> t = Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="100 incident",
        ...            due="2026-01-01")
        >>> r = on_track(as_quantity(180, "incident"), at=dt.date(2025, 1, 1), baseline=b,
        ...              target=t, direction=Direction.DECREASE)
        >>> r.status, round(float(r.expected.magnitude), 1)
        (<TrackStatus.BEHIND: 'behind'>, 149.9)
    """

    at: NDArray[np.datetime64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    actual: Quantity
    expected: Quantity
    elapsed: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    gap: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    progress: Progress
    baseline_date: dt.date
    due: dt.date
    tolerance: float

    @property
    def codes(self) -> NDArray[np.int8]:
        """The status on each date as an index into :class:`TrackStatus` (computed on demand).

        Example:
            >>> from civicinnov.model import TargetStage
            >>> from civicinnov.units import as_quantity
            >>> b = Baseline(metric_id="m", value="0 call", as_of="2024-01-01")
            >>> t = Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="100 call",
            ...            due="2025-01-01")
            >>> on_track(as_quantity(90, "call"), at="2024-07-02", baseline=b, target=t).codes
            array(3, dtype=int8)
        """
        gap_flat = np.asarray(self.gap, dtype=np.float64).reshape(-1)
        # NO_DATA=0, BEHIND=1, ON_TRACK=2, AHEAD=3; NaN compares False
        codes = (gap_flat >= -self.tolerance - _EPS).view(np.int8) + np.int8(1)
        codes += (gap_flat > self.tolerance + _EPS).view(np.int8)
        codes[np.isnan(gap_flat)] = 0
        return codes.reshape(np.shape(self.gap))

    @property
    def status(self) -> TrackStatus:
        """Status on the last date.

        Example:
            >>> from civicinnov.model import TargetStage
            >>> from civicinnov.units import as_quantity
            >>> b = Baseline(metric_id="m", value="0 call", as_of="2024-01-01")
            >>> t = Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="100 call",
            ...            due="2025-01-01")
            >>> on_track(as_quantity(50, "call"), at="2024-07-02", baseline=b, target=t).status
            <TrackStatus.ON_TRACK: 'on_track'>
        """
        return _TRACK_ORDER[int(_last(self.codes))]

    @property
    def statuses(self) -> list[TrackStatus]:
        """Status on every date.

        Example:
            >>> from civicinnov.model import TargetStage
            >>> from civicinnov.units import as_quantity
            >>> import numpy as np
            >>> b = Baseline(metric_id="m", value="0 call", as_of="2024-01-01")
            >>> t = Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="100 call",
            ...            due="2025-01-01")
            >>> r = on_track(as_quantity(np.array([10.0, 90.0]), "call"),
            ...              at=["2024-07-02", "2024-07-02"], baseline=b, target=t)
            >>> [s.value for s in r.statuses]
            ['behind', 'ahead']
        """
        return [_TRACK_ORDER[int(c)] for c in self.codes.reshape(-1)]

    def __str__(self) -> str:
        unit = self.progress.target.units
        gap = float(_last(self.gap))
        at = self.at.reshape(-1)[-1] if self.at.size else "-"
        return (
            f"{self.status.text} on {at}: actual {_fmt(self.actual.magnitude, unit)} vs expected "
            f"{_fmt(self.expected.magnitude, unit)} on the line from {self.baseline_date} to "
            f"{_fmt(self.progress.target.magnitude, unit)} by {self.due} "
            f"(gap {gap:+.2f} of the way, band ±{self.tolerance:.2f})"
        )


def on_track(
    actual: Any,
    *,
    at: Any = None,
    baseline: Baseline,
    target: Target,
    direction: Direction | None = None,
    definition: MetricDefinition | None = None,
    tolerance: float = 0.15,
) -> OnTrack:
    """Compare ``actual`` on the dates ``at`` with the straight line from ``baseline`` (on its
    ``as_of`` date) to ``target`` (on its ``due`` date).

    ``actual`` is a quantity (scalar or array) with ``at`` (a date, or an array of dates), or a
    :class:`~civicinnov.metrics.MetricSeries` (``at`` defaults to each period's last day).
    The status is ``AHEAD`` / ``BEHIND`` when the actual progress differs from the share of time
    elapsed by more than ``tolerance``, else ``ON_TRACK``; for a hold-the-line target it is
    ``ON_TRACK`` while the target is held, else ``BEHIND``.

    Raises :class:`~civicinnov.errors.ValidationError` when the due date is not after the
    baseline date or ``tolerance`` is negative.

    Parameters:
        actual: the observed value(s), or a series (its totals are judged).
        at: the date of each actual value; ``None`` only with a series.
        baseline: the baseline the trajectory starts from.
        target: the target the trajectory ends at.
        direction: the metric's direction; ``None`` takes the ``definition``'s.
        definition: the metric's definition (direction and unit checks).
        tolerance: the band around the trajectory, as a share of the way from baseline to
            target (default 0.15).

    Returns:
        An :class:`OnTrack` with the status of each actual value.

    Raises:
        ValidationError: ``baseline`` or ``target`` of the wrong type, a negative
            ``tolerance``, a due date not after the baseline date, or no ``at`` for a quantity.
        UnitError: values of different dimensions.

    Example:
        >>> from civicinnov.model import TargetStage
        >>> b = Baseline(metric_id="m", value="10 percent", as_of="2024-01-01")
        >>> t = Target(id="t", metric_id="m", stage=TargetStage.FINAL, value="5 percent",
        ...            due="2024-01-01")
        >>> on_track("8 percent", at="2024-06-01", baseline=b, target=t)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: target.due: 2024-01-01 is not after the baseline date 2024-01-01; a trajectory needs time
    """
    if not isinstance(baseline, Baseline) or not isinstance(target, Target):
        raise ValidationError(
            f"baseline/target: expected Baseline and Target objects, got "
            f"{type(baseline).__name__} and {type(target).__name__}"
        )
    if tolerance < 0:
        raise ValidationError(f"tolerance: expected a non-negative band, got {tolerance!r}")
    if target.due <= baseline.as_of:
        raise ValidationError(
            f"target.due: {target.due} is not after the baseline date {baseline.as_of}; "
            "a trajectory needs time"
        )
    dates: NDArray[np.datetime64] | None = None
    if isinstance(actual, MetricSeries):
        if actual.dimensions:
            actual = actual.total()  # judge the totals, never the breakdown rows
        if at is None:
            if actual.period_type.frequency is Frequency.DAY:
                dates = actual.ordinals.view("datetime64[D]")  # a day ends on itself; no copy
            else:
                dates = actual.period_type.ends(actual.ordinals)
            at = dates
        actual = actual.quantity
    if at is None:
        raise ValidationError("at: give the date of each actual value (or pass a MetricSeries)")
    p = progress(
        actual, target=target, baseline=baseline, direction=direction, definition=definition
    )
    if dates is None:
        days = days_since_epoch(at)
        dates = np.asarray(days).astype("datetime64[D]")
    else:
        days = dates.astype(np.int64).astype(np.float64)
    b_day = float(np.datetime64(baseline.as_of, "D").astype(np.float64))
    d_day = float(np.datetime64(target.due, "D").astype(np.float64))
    elapsed = np.asarray(np.subtract(days, b_day, dtype=np.float64))
    elapsed /= d_day - b_day
    np.clip(elapsed, 0.0, 1.0, out=elapsed)
    b = float(p.baseline.magnitude) if p.baseline is not None else math.nan
    t = float(p.target.magnitude)
    expected_mag = elapsed * (t - b)
    expected_mag += b
    gap = np.where(p.raw >= 1.0, 0.0, -1.0) + 0 * elapsed if p.hold_target else p.raw - elapsed

    return OnTrack(
        at=dates,
        actual=p.actual,
        expected=get_registry().Quantity(expected_mag, p.target.units),
        elapsed=np.asarray(elapsed, dtype=np.float64),
        gap=np.asarray(gap, dtype=np.float64),
        progress=p,
        baseline_date=baseline.as_of,
        due=target.due,
        tolerance=float(tolerance),
    )


class SDGStatus(_Status):
    """Open SDG's progress statuses (``sdg-build``, ``sdg/ProgressMeasure.py``).

    Example:
        >>> SDGStatus("moderate_progress").text
        'moderate progress'
    """

    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL_PROGRESS = "substantial_progress"
    MODERATE_PROGRESS = "moderate_progress"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_AVAILABLE = "not_available"


#: Open SDG's default thresholds (high, medium, low) for method 1 (no target) and 2 (target).
SDG_THRESHOLDS: dict[int, tuple[float, float, float]] = {
    1: (0.015, 0.005, 0.0),
    2: (0.95, 0.6, 0.0),
}


@attrs.frozen(kw_only=True)
class SDGProgress:
    """An Open SDG-style progress status and the numbers behind it.

    ``method`` is 1 (no target: ``value`` is the observed compound annual growth rate signed by
    direction) or 2 (target: ``value`` is observed CAGR divided by the absolute required CAGR, signed). ``reason``
    explains a ``NOT_AVAILABLE`` status.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> r = sdg_status(as_quantity(100, "incident"), as_quantity(90, "incident"),
        ...                base_date=2015, current_date=2020, direction=Direction.DECREASE)
        >>> r.method, round(r.value, 4), r.status
        (1, 0.0209, <SDGStatus.SUBSTANTIAL_PROGRESS: 'substantial_progress'>)
    """

    status: SDGStatus
    method: int
    value: float
    observed_cagr: float
    required_cagr: float | None
    base: Quantity
    current: Quantity
    target: Quantity | None
    years: float
    target_years: float | None
    direction: Direction
    thresholds: tuple[float, float, float]
    reason: str = ""

    def __str__(self) -> str:
        unit = self.base.units
        head = f"SDG status {self.status.text} (method {self.method}"
        if math.isnan(self.value):
            head += f"; {self.reason})"
        else:
            head += f", value {self.value:.4g}; thresholds {self.thresholds})"
        tail = (
            f": {float(self.base.magnitude):.4g} → {float(self.current.magnitude):.4g} {unit} over "
            f"{self.years:.3g} years, observed CAGR {self.observed_cagr:+.3%}"
        )
        if self.target is not None and self.required_cagr is not None:
            tail += (
                f", required {self.required_cagr:+.3%} to reach {_num(self.target.magnitude)} "
                f"{unit} in {self.target_years:.3g} years"
            )
        return head + tail + f" ({self.direction.value})"


def _years(value: Any, where: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(f"{where}: expected a year or a date, got {value!r}")
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.date):
        start = dt.date(value.year, 1, 1)
        length = (dt.date(value.year + 1, 1, 1) - start).days
        return value.year + (value - start).days / length
    raise ValidationError(f"{where}: expected a year (int) or a date, got {value!r}")


def sdg_status(
    base: Any,
    current: Any,
    *,
    base_date: int | dt.date,
    current_date: int | dt.date,
    direction: Direction,
    target: Any = None,
    target_date: int | dt.date | None = None,
    thresholds: tuple[float, float, float] | None = None,
) -> SDGProgress:
    """Open SDG's compound-growth progress status for a base and a current value.

    Method 1 (no target): ``value = sign(base) × direction × ((current / base)^(1/years) − 1)``.
    Method 2 (target): ``value = sign(base) × direction × CAGR_observed / |CAGR_required|``, where
    the required rate takes the base value to the target by ``target_date``. The status is
    ``TARGET_ACHIEVED`` when the current value is at or beyond the target, else by the thresholds
    (high, medium, low): ≥ high substantial, ≥ medium moderate, ≥ low limited, below deterioration.
    Dates are years (ints) or dates (fractional years). As in ``sdg-build``: a base (or target)
    of 0 becomes 0.001 with a :class:`~civicinnov.errors.CivicWarning`; base and current of
    different signs, or less than one year apart, give ``NOT_AVAILABLE``.

    Raises :class:`~civicinnov.errors.ValidationError` for a direction other than increase or
    decrease, or method 2 without a target date.

    Parameters:
        base: the base value (a quantity or quantity text).
        current: the current value, converted to the base's unit.
        base_date: the year (or date) of the base value.
        current_date: the year (or date) of the current value.
        direction: the desired direction, increase or decrease.
        target: the target value (or a :class:`~civicinnov.metrics.Target`, whose due date is
            the default ``target_date``); ``None`` selects method 1.
        target_date: the year (or date) the target is due.
        thresholds: the (high, medium, low) thresholds; ``None`` takes Open SDG's defaults for
            the method.

    Returns:
        An :class:`SDGProgress` with the status, the value and the growth rates.

    Raises:
        ValidationError: a direction other than increase or decrease, a base that is a bare
            number, method 2 without a target date, or a date that is not a year or a date.
        UnitError: values of different dimensions.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> r = sdg_status(as_quantity(20, "percent"), as_quantity(15, "percent"),
        ...                base_date=2015, current_date=2020, direction=Direction.DECREASE,
        ...                target=as_quantity(5, "percent"), target_date=2030)
        >>> r.status, round(r.value, 3)
        (<SDGStatus.MODERATE_PROGRESS: 'moderate_progress'>, 0.633)
        >>> print(r)
        SDG status moderate progress (method 2, value 0.6334; thresholds (0.95, 0.6, 0.0)): 20 → 15 percent over 5 years, observed CAGR -5.591%, required -8.828% to reach 5 percent in 15 years (decrease)
    """
    if direction not in (Direction.INCREASE, Direction.DECREASE):
        raise ValidationError(
            f"direction: the Open SDG status needs increase or decrease, got {direction!r}"
        )
    b_q = _as_q(base, None, "base") if not isinstance(base, (int, float)) else None
    if b_q is None:
        raise ValidationError(f"base: expected a quantity, got {base!r}")
    unit = b_q.units
    c_q = _as_q(current, unit, "current")
    t_q = None
    if target is not None:
        if isinstance(target, Target):
            if target_date is None:
                target_date = target.due
            target = target.value
        t_q = as_quantity(target, unit, where="target")  # type: ignore[arg-type]
        if target_date is None:
            raise ValidationError("target_date: method 2 needs the year the target is due")
    method = 1 if t_q is None else 2
    chosen = thresholds if thresholds is not None else SDG_THRESHOLDS[method]
    b = float(b_q.magnitude)
    c = float(c_q.magnitude)
    y0 = _years(base_date, "base_date")
    years = _years(current_date, "current_date") - y0
    sign_dir = direction.sign

    def result(
        status: SDGStatus, value: float, obs: float, req: float | None, why: str = ""
    ) -> SDGProgress:
        ty = None if target_date is None or t_q is None else _years(target_date, "target_date") - y0
        return SDGProgress(
            status=status,
            method=method,
            value=value,
            observed_cagr=obs,
            required_cagr=req,
            base=b_q,
            current=c_q,
            target=t_q,
            years=years,
            target_years=ty,
            direction=direction,
            thresholds=chosen,
            reason=why,
        )

    nan = math.nan
    if t_q is not None:
        t = float(t_q.magnitude)
        if (sign_dir < 0 and c <= t) or (sign_dir > 0 and c >= t):
            return result(SDGStatus.TARGET_ACHIEVED, nan, nan, None, "target achieved")
    if b == 0:
        warnings.warn(
            "sdg_status: base value is 0; using 0.001 as Open SDG does", CivicWarning, stacklevel=2
        )
        b = 0.001
    if (b > 0 > c) or (b < 0 < c):
        return result(SDGStatus.NOT_AVAILABLE, nan, nan, None, "base and current differ in sign")
    if years < 1:
        return result(
            SDGStatus.NOT_AVAILABLE, nan, nan, None, f"only {years:.3g} years between values"
        )
    sign = -1.0 if b < 0 else 1.0
    observed = (c / b) ** (1 / years) - 1
    required = None
    if t_q is None:
        value = sign * sign_dir * observed
    else:
        assert target_date is not None
        t = float(t_q.magnitude)
        if t == 0:
            warnings.warn(
                "sdg_status: target is 0; using 0.001 as Open SDG does", CivicWarning, stacklevel=2
            )
            t = 0.001
        t_years = _years(target_date, "target_date") - y0
        if t_years <= 0 or (t / b) <= 0:
            return result(
                SDGStatus.NOT_AVAILABLE, nan, observed, None, "target cannot be reached by growth"
            )
        required = (t / b) ** (1 / t_years) - 1
        if required == 0:
            return result(SDGStatus.NOT_AVAILABLE, nan, observed, 0.0, "target equals base")
        value = sign * sign_dir * observed / abs(required)
    high, med, low = chosen
    if value >= high:
        status = SDGStatus.SUBSTANTIAL_PROGRESS
    elif value >= med:
        status = SDGStatus.MODERATE_PROGRESS
    elif value >= low:
        status = SDGStatus.LIMITED_PROGRESS
    else:
        status = SDGStatus.DETERIORATION
    return result(status, float(value), float(observed), required)


class TurnStatus(_Status):
    """Whether the curve turned: the actual after the start against the baseline forecast.

    Example:
        >>> TurnStatus("turned").text
        'turned'
    """

    TURNED = "turned"
    NO_CLEAR_CHANGE = "no_clear_change"
    WORSE = "worse"


@attrs.frozen(kw_only=True)
class TurnTheCurve:
    """The actual after ``start`` against the forecast from the pre-period trend.

    ``gap`` holds actual − forecast for each later period (in the metric's unit), ``mean_gap`` their
    mean, ``half_width`` the half-width of the ``level`` interval for that mean under the
    pre-period trend. The curve ``TURNED`` when the mean gap lies in the metric's better direction
    by more than the half-width, ``WORSE`` when in the other direction, else ``NO_CLEAR_CHANGE``.

    Example:
        >>> from civicinnov.metrics import MetricDefinition
        >>> from civicinnov.metrics import MetricSeries
        >>> from civicinnov.periods import YEAR
        >>> d = MetricDefinition(id="murders", name="Murders", unit="incident",
        ...                      direction=Direction.DECREASE)
        >>> s = MetricSeries.from_records(d, place_id="nola", period_type=YEAR, records=[
        ...     ("2015", 100), ("2016", 104), ("2017", 109), ("2018", 111), ("2019", 116),
        ...     ("2020", 101), ("2021", 96)])
        >>> r = turn_the_curve(s, start=dt.date(2020, 1, 1), direction=Direction.DECREASE)
        >>> r.status, round(float(r.mean_gap.magnitude), 1)
        (<TurnStatus.TURNED: 'turned'>, -23.1)
    """

    status: TurnStatus
    start: dt.date
    actual: Quantity
    forecast: Quantity
    gap: Quantity
    mean_gap: Quantity
    half_width: float
    level: float
    pre_trend: Trend
    direction: Direction
    labels: tuple[str, ...]

    def __str__(self) -> str:
        unit = self.mean_gap.units
        return (
            f"{self.status.text}: after {self.start} the actual is {'+' if float(self.mean_gap.magnitude) >= 0 else ''}{_num(self.mean_gap.magnitude)} "
            f"{unit} against the baseline forecast on average over {len(self.labels)} periods "
            f"(±{self.half_width:.3g} at {self.level:.0%}; pre-period {self.pre_trend}; "
            f"{self.direction.value} is better)"
        )


def turn_the_curve(
    series: MetricSeries,
    *,
    start: dt.date,
    direction: Direction | None = None,
    definition: MetricDefinition | None = None,
    level: float = 0.95,
) -> TurnTheCurve:
    """Compare the periods that begin on or after ``start`` with the baseline forecast: the
    straight-line trend (:func:`~civicinnov.evaluation`) of the periods that end
    before ``start``, extended forward.

    The interval for the mean gap is the OLS prediction interval for the mean of *m* new values
    (see :meth:`~civicinnov.evaluation.Trend.mean_gap_se`). The better side comes from
    ``direction`` (or the ``definition``'s), which must be increase or decrease.

    Raises :class:`~civicinnov.errors.EstimationError` with fewer than 3 earlier or no later
    values; :class:`~civicinnov.errors.ValidationError` for a direction without a better side.

    Parameters:
        series: the metric's series (its totals are used).
        start: the first day of the period judged; earlier periods give the forecast.
        direction: the metric's direction; ``None`` takes the ``definition``'s.
        definition: the metric's definition (for its direction).
        level: coverage of the interval for the mean gap.

    Returns:
        A :class:`TurnTheCurve` with the forecast, the mean gap, its interval and the status.

    Raises:
        EstimationError: fewer than 3 values before ``start`` or none from it on.
        ValidationError: a direction without a better side.

    Example:
        >>> from civicinnov.metrics import MetricDefinition
        >>> from civicinnov.metrics import MetricSeries
        >>> from civicinnov.periods import YEAR
        >>> d = MetricDefinition(id="calls", name="Calls", unit="call")
        >>> s = MetricSeries.from_records(d, place_id="p", period_type=YEAR,
        ...     records=[("2019", 1), ("2020", 2), ("2021", 3)])
        >>> turn_the_curve(s, start=dt.date(2021, 1, 1), direction=Direction.INCREASE)
        Traceback (most recent call last):
        ...
        civicinnov.errors.EstimationError: turn_the_curve: need at least 3 values before 2021-01-01 to forecast, got 2
    """
    direction = _direction(direction, definition)
    if direction.sign == 0:
        raise ValidationError(
            f"direction: turning the curve needs a better side (increase or decrease), got "
            f"{direction.value}"
        )
    total = series.total()
    start_day = float(np.datetime64(start, "D").astype(np.float64))
    ends = total.period_type.ends(total.ordinals).astype(np.float64)
    starts = total.period_type.starts(total.ordinals).astype(np.float64)
    present = ~np.isnan(total.values)
    pre_rows = np.flatnonzero((ends < start_day) & present)
    post_rows = np.flatnonzero((starts >= start_day) & present)
    if len(pre_rows) < 3:
        raise EstimationError(
            f"turn_the_curve: need at least 3 values before {start} to forecast, got "
            f"{len(pre_rows)}"
        )
    if len(post_rows) == 0:
        raise EstimationError(f"turn_the_curve: no values in periods starting on or after {start}")
    registry = get_registry()
    mids = midpoints(total)
    pre = trend(
        registry.Quantity(total.values[pre_rows], total.unit),
        dates=mids[pre_rows].astype("datetime64[D]"),
        level=level,
    )
    post_days = mids[post_rows]
    forecast = np.asarray(pre.value_at(post_days.astype("datetime64[D]")).magnitude)
    actual = total.values[post_rows]
    gap = actual - forecast
    mean_gap = float(gap.mean())
    half = t_quantile(level, pre.df) * pre.mean_gap_se(post_days)
    better = mean_gap * direction.sign
    if better > half:
        status = TurnStatus.TURNED
    elif better < -half:
        status = TurnStatus.WORSE
    else:
        status = TurnStatus.NO_CLEAR_CHANGE
    q = registry.Quantity
    labels = tuple(total.period_type.labels(total.ordinals[post_rows]))
    return TurnTheCurve(
        status=status,
        start=start,
        actual=q(actual, total.unit),
        forecast=q(forecast, total.unit),
        gap=q(gap, total.unit),
        mean_gap=q(mean_gap, total.unit),
        half_width=float(half),
        level=level,
        pre_trend=pre,
        direction=direction,
        labels=labels,
    )


@attrs.frozen(kw_only=True)
class RollUp:
    """A weighted roll-up of children's progress, and what it used.

    ``used`` marks the children that counted (a value that is not ``NaN`` and a positive weight);
    ``weights`` are the weights as given.

    Example:
        >>> r = roll_up([0.5, 1.0, float("nan")], weights=[1, 3, 5], ids=["a", "b", "c"])
        >>> round(r.value, 3), r.used.tolist()
        (0.875, [True, True, False])
        >>> print(r)
        roll-up 88% from 2 of 3 children (weights 1, 3; skipped without progress: c)
    """

    value: float
    values: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    weights: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    used: NDArray[np.bool_] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    ids: tuple[str, ...]

    def __str__(self) -> str:
        n, k = len(self.values), int(self.used.sum())
        share = "n/a" if math.isnan(self.value) else f"{self.value:.0%}"
        used_w = ", ".join(f"{w:g}" for w in self.weights[self.used])
        skipped = [self.ids[i] for i in np.flatnonzero(~self.used)] if self.ids else []
        tail = f"; skipped without progress: {', '.join(skipped)}" if skipped else ""
        return f"roll-up {share} from {k} of {n} children (weights {used_w or '-'}{tail})"


def roll_up(
    children: Any,
    *,
    weights: Any = None,
    ids: Any = None,
) -> RollUp:
    """Roll the progress of child results up into their parent: the weighted mean of the
    children's clamped progress, skipping children without a value.

    ``children`` is a sequence of :class:`Progress` objects (each contributes its latest clamped
    value) or an array of values in [0, 1]; ``weights`` (default: equal) must be non-negative.
    Children whose value is missing (``NaN``: no data, no baseline) are skipped and the remaining
    weights renormalised, as Decidim Accountability's ``update_progress!`` skips children without
    progress; with no child left the value is ``NaN``.

    Raises :class:`~civicinnov.errors.ValidationError` for negative weights, values outside
    [0, 1], or weights of another length.

    Parameters:
        children: the children's :class:`Progress` objects, or their values in [0, 1].
        weights: one non-negative weight per child; ``None`` weighs them equally.
        ids: one id per child, kept for the report; ``None`` for none.

    Returns:
        A :class:`RollUp` with the parent's value and the children used.

    Raises:
        ValidationError: negative or non-finite weights, values outside [0, 1], or weights or
            ids of another length than the children.

    Example:
        >>> round(roll_up([0.2, 0.4]).value, 2)
        0.3
        >>> roll_up([0.2, 1.5])
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: children[1]: expected progress between 0 and 1 (clamped), got 1.5
    """
    items = list(children) if not isinstance(children, np.ndarray) else children
    if len(items) and all(isinstance(c, Progress) for c in items):
        values = np.array([float(_last(c.clamped)) for c in items], dtype=np.float64)
    else:
        values = np.asarray(items, dtype=np.float64).reshape(-1)
    n = len(values)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64).reshape(-1)
    if len(w) != n:
        raise ValidationError(f"weights: expected {n} weights (one per child), got {len(w)}")
    if np.any(w < 0) or not np.all(np.isfinite(w)):
        i = int(np.flatnonzero((w < 0) | ~np.isfinite(w))[0])
        raise ValidationError(f"weights[{i}]: expected a non-negative weight, got {w[i]:g}")
    bad = (values < 0) | (values > 1)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValidationError(
            f"children[{i}]: expected progress between 0 and 1 (clamped), got {values[i]:g}"
        )
    used = ~np.isnan(values) & (w > 0)
    total = float(w[used].sum())
    value = float(values[used] @ w[used]) / total if total > 0 else math.nan
    names = tuple(str(x) for x in ids) if ids is not None else ()
    if names and len(names) != n:
        raise ValidationError(f"ids: expected {n} ids (one per child), got {len(names)}")
    return RollUp(value=value, values=values, weights=w, used=used, ids=names)
