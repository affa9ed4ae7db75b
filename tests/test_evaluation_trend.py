"""OLS trend in units per time, checked against scipy.stats.linregress."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from civicinnov.errors import EstimationError, SeriesError, ValidationError
from civicinnov.evaluation import midpoints, trend
from civicinnov.metrics import MetricDefinition, MetricSeries
from civicinnov.periods import DAY, YEAR
from civicinnov.units import as_quantity


def test_matches_linregress_and_t_interval() -> None:
    from scipy import stats

    rng = np.random.default_rng(1)
    days = np.arange("2020-01-01", "2020-03-01", dtype="datetime64[D]")
    y = 3.0 + 0.5 * np.arange(len(days)) + rng.normal(0, 1, len(days))
    t = trend(as_quantity(y, "call"), dates=days, per="day")
    ref = stats.linregress(np.arange(len(days)), y)
    assert t.slope.magnitude == pytest.approx(ref.slope)
    assert t.stderr.magnitude == pytest.approx(ref.stderr)
    crit = stats.t.ppf(0.975, len(days) - 2)
    assert t.ci_low.magnitude == pytest.approx(ref.slope - crit * ref.stderr)
    assert t.intercept.magnitude == pytest.approx(ref.intercept)
    assert str(t.slope.units) == "call / day"
    per_year = trend(as_quantity(y, "call"), dates=days)
    assert per_year.slope.magnitude == pytest.approx(ref.slope * 365.25)


def test_series_uses_period_midpoints_and_skips_missing() -> None:
    d = MetricDefinition(id="m", name="M", unit="person")
    s = MetricSeries.from_records(
        d,
        place_id="p",
        period_type=YEAR,
        records=[("2020", 1), ("2021", None), ("2022", 3), ("2023", 4)],
    )
    t = trend(s)
    assert t.n == 3
    assert midpoints(s)[0] == pytest.approx(np.datetime64("2020-07-01").astype(int) + 0.5)
    assert "n=3" in str(t)


def test_bad_inputs() -> None:
    with pytest.raises(
        EstimationError, match=r"need at least 3 values that are not missing .* got 2"
    ):
        trend(
            as_quantity(np.array([1.0, np.nan, 2.0]), "call"),
            dates=["2024-01-01", "2024-01-02", "2024-01-03"],
        )
    with pytest.raises(EstimationError, match="all 3 values fall on one date"):
        trend(as_quantity(np.array([1.0, 2.0, 3.0]), "call"), dates=["2024-01-01"] * 3)
    with pytest.raises(SeriesError, match=r"dates: expected 3 dates .one per value., got 2"):
        trend(as_quantity(np.array([1.0, 2.0, 3.0]), "call"), dates=["2024-01-01", "2024-01-02"])
    with pytest.raises(
        ValidationError, match="level: expected a confidence level between 0 and 1, got 95"
    ):
        trend(as_quantity(np.array([1.0, 2.0, 3.0]), "call"), dates=["2024-01-01"] * 3, level=95)


def test_forecast_interval_widens_away_from_data() -> None:
    days = np.arange("2024-01-01", "2024-01-11", dtype="datetime64[D]")
    y = np.array([1, 3, 2, 4, 3, 5, 4, 6, 5, 7], dtype=float)
    t = trend(as_quantity(y, "call"), dates=days, per="day")
    f = t.forecast(np.array(["2024-01-06", "2024-03-01"], dtype="datetime64[D]"))
    width = f.high.magnitude - f.low.magnitude
    assert width[1] > width[0] > 0


@given(st.floats(min_value=-100, max_value=100), st.floats(min_value=-1e3, max_value=1e3))
def test_exact_line_recovered(slope: float, intercept: float) -> None:
    x = np.arange(10)
    y = intercept + slope * x
    t = trend(as_quantity(y, "m"), dates=DAY.starts(x + 19000), per="day")
    assert t.slope.magnitude == pytest.approx(slope, abs=1e-6)
    assert t.ci_low.magnitude <= t.slope.magnitude <= t.ci_high.magnitude
