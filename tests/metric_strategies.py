"""Hypothesis strategies for metrics tests: definitions, daily series, baselines and targets.

Kept apart from ``tests/strategies.py`` (the model objects); import as
``from tests.metric_strategies import ...``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import strategies as st

from civicinnov.metrics import (
    ApprovalState,
    Direction,
    MeasureKind,
    MetricDefinition,
    MetricSeries,
    MissingReason,
    ObservationStatus,
    Ratio,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.periods import DAY, MONTH, QUARTER, WEEK, YEAR, PeriodType, fiscal_year

CALLS = MetricDefinition(id="calls", name="Calls", unit="call")
VACANCY = MetricDefinition(
    id="vacancy",
    name="Vacancy",
    unit="percent",
    measure_kind=MeasureKind.PERCENTAGE,
    temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
    spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
    ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
)

#: Pairs of (fine, coarse) period types where the fine type nests in the coarse one.
NESTING: list[tuple[PeriodType, PeriodType]] = [
    (DAY, WEEK),
    (DAY, MONTH),
    (DAY, YEAR),
    (DAY, fiscal_year(7)),
    (MONTH, QUARTER),
    (MONTH, YEAR),
    (MONTH, fiscal_year(4)),
    (QUARTER, YEAR),
]

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
magnitudes = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).filter(
    lambda x: abs(x) > 1e-3 or x == 0
)


@st.composite
def sorted_ordinals(draw: st.DrawFn, *, max_size: int = 200) -> np.ndarray:
    """Strictly increasing period ordinals with gaps."""
    start = draw(st.integers(min_value=0, max_value=20_000))
    steps = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=max_size))
    return start + np.cumsum(np.asarray(steps, dtype=np.int64)) - steps[0]


@st.composite
def sum_series_data(draw: st.DrawFn) -> tuple[PeriodType, PeriodType, np.ndarray, np.ndarray]:
    """A fine and a coarse period type, sorted ordinals and values (some NaN)."""
    fine, coarse = draw(st.sampled_from(NESTING))
    ords = draw(sorted_ordinals())
    values = draw(
        st.lists(
            st.one_of(st.floats(min_value=0, max_value=1e6), st.just(float("nan"))),
            min_size=len(ords),
            max_size=len(ords),
        )
    )
    return fine, coarse, ords, np.asarray(values, dtype=np.float64)


@st.composite
def ratio_series_data(
    draw: st.DrawFn,
) -> tuple[PeriodType, PeriodType, np.ndarray, np.ndarray, np.ndarray]:
    """Nesting period types, ordinals, numerators and positive denominators."""
    fine, coarse = draw(st.sampled_from(NESTING))
    ords = draw(sorted_ordinals())
    n = len(ords)
    dens = draw(st.lists(st.integers(min_value=1, max_value=1000), min_size=n, max_size=n))
    fractions = draw(st.lists(st.floats(min_value=0, max_value=1), min_size=n, max_size=n))
    dens_a = np.asarray(dens, dtype=np.float64)
    nums_a = np.floor(np.asarray(fractions) * dens_a)
    return fine, coarse, ords, nums_a, dens_a


#: Length units with exact-ish factors between them, for unit-invariance properties.
LENGTH_UNITS = ["meter", "kilometer", "foot", "mile", "centimeter"]


@st.composite
def baseline_target(draw: st.DrawFn) -> tuple[Direction, float, float]:
    """A direction with a baseline and a target consistent with it (target != baseline)."""
    direction = draw(st.sampled_from(list(Direction)))
    baseline = draw(magnitudes)
    delta = draw(st.floats(min_value=0.01, max_value=1e4))
    if direction is Direction.DECREASE:
        target = baseline - delta
    elif direction is Direction.INCREASE:
        target = baseline + delta
    else:
        target = baseline + draw(st.sampled_from([-1, 1])) * delta
    return direction, baseline, target


_NOTE = st.none() | st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and t)
_STAMP = st.none() | st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)).map(
    dt.date.isoformat
)


@st.composite
def annotated_series(draw: st.DrawFn, *, ratio: bool = False) -> MetricSeries:
    """A monthly series whose rows carry statuses, approvals, notes and sometimes revisions (and,
    with ``ratio``, numerators and denominators of the ``VACANCY`` metric)."""
    n = draw(st.integers(min_value=1, max_value=8))
    ords = 600 + np.cumsum(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    values = draw(st.lists(st.floats(0, 100) | st.just(float("nan")), min_size=n, max_size=n))
    nan = np.isnan(np.asarray(values, dtype=float))
    kwargs: dict[str, object] = {}
    for name, field in (("status", "statuses"), ("approval", "approvals")):
        if draw(st.booleans()):
            enum_type = ObservationStatus if name == "status" else ApprovalState
            kwargs[field] = draw(
                st.lists(st.none() | st.sampled_from(list(enum_type)), min_size=n, max_size=n)
            )
    if draw(st.booleans()):
        reasons = draw(
            st.lists(st.none() | st.sampled_from(list(MissingReason)), min_size=n, max_size=n)
        )
        kwargs["missing_reasons"] = [r if m else None for r, m in zip(reasons, nan, strict=True)]
    for field, strategy in (
        ("comments", _NOTE),
        ("sources", _NOTE),
        ("recorded_by", _NOTE),
        ("recorded_at", _STAMP),
    ):
        if draw(st.booleans()):
            kwargs[field] = draw(st.lists(strategy, min_size=n, max_size=n))
    metric = VACANCY if ratio else CALLS
    if ratio:
        dens = np.asarray(draw(st.lists(st.integers(1, 500), min_size=n, max_size=n)), float)
        nums = np.floor(np.asarray(values, dtype=float) / 100 * dens)
        nums[nan] = np.nan
        s = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords,
            numerators=nums,
            denominators=dens,
            **kwargs,  # type: ignore[arg-type]
        )
    else:
        s = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords,
            values=values,
            **kwargs,  # type: ignore[arg-type]
        )
    if draw(st.booleans()) and not ratio:
        k = draw(st.integers(1, n))
        fix = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords[:k],
            values=draw(st.lists(st.floats(0, 100), min_size=k, max_size=k)),
        )
        s = s.update(fix, recorded_by=draw(_NOTE), recorded_at=draw(_STAMP))
    return s
