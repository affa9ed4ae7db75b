"""Hypothesis strategies for metrics tests: definitions, daily series, baselines and targets.

Kept apart from ``tests/strategies.py`` (the model objects); import as
``from tests.metric_strategies import ...``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from civicinnov.metrics.definition import (
    Direction,
    MeasureKind,
    MetricDefinition,
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
