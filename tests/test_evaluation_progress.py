"""Progress, on-track status, Open SDG status and turn-the-curve."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, strategies as st
from tests.strategies import LENGTH_UNITS, baseline_target

from civicinnov.errors import CivicWarning, EstimationError, UnitError, ValidationError
from civicinnov.evaluation import (
    ProgressStatus,
    SDGStatus,
    TrackStatus,
    TurnStatus,
    on_track,
    progress,
    sdg_status,
    turn_the_curve,
)
from civicinnov.metrics import (
    Baseline,
    Direction,
    MetricCatalog,
    MetricDefinition,
    MetricSeries,
    Target,
)
from civicinnov.model import TargetStage
from civicinnov.periods import MONTH, YEAR
from civicinnov.units import as_quantity


def q(value: float | list[float], unit: str = "incident"):  # type: ignore[no-untyped-def]
    return as_quantity(np.asarray(value, dtype=float) if isinstance(value, list) else value, unit)


def test_raw_and_clamped_overshoot_and_regress() -> None:
    p = progress(
        q([200, 150, 100, 50, 250]), baseline=q(200), target=q(100), direction=Direction.DECREASE
    )
    assert p.raw.tolist() == [0.0, 0.5, 1.0, 1.5, -0.5]
    assert p.clamped.tolist() == [0.0, 0.5, 1.0, 1.0, 0.0]  # the clamp is min(max(raw, 0), 1)
    assert [s.value for s in p.statuses] == [
        "not_started",
        "in_progress",
        "achieved",
        "exceeded",
        "regressed",
    ]
    assert p.status is ProgressStatus.REGRESSED


def test_missing_baseline_and_missing_actual() -> None:
    p = progress(q(150), target=q(100))
    assert np.isnan(p.raw)
    assert np.isnan(p.clamped)
    assert p.status is ProgressStatus.NO_BASELINE
    assert "no baseline" in str(p)
    p = progress(q([np.nan]), baseline=q(200), target=q(100))
    assert p.status is ProgressStatus.NO_DATA


def test_target_equals_baseline_is_a_hold_target() -> None:
    p = progress(q([10, 12, 8]), baseline=q(10), target=q(10), direction=Direction.DECREASE)
    assert p.raw.tolist() == [1.0, 0.0, 1.0]
    assert [s.value for s in p.statuses] == ["achieved", "regressed", "achieved"]
    assert p.hold_target
    assert "hold-the-line" in str(p)
    m = progress(
        q([10, 10.4]),
        baseline=q(10),
        target=q(10),
        direction=Direction.MAINTAIN,
        hold_tolerance=0.05,
    )
    assert m.raw.tolist() == [1.0, 1.0]


def test_mixing_incompatible_units() -> None:
    with pytest.raises(
        UnitError, match=r"baseline: expected dimension \[incident\], got \[person\]"
    ):
        progress(q(150), baseline=q(200, "person"), target=q(100))


def test_target_on_wrong_side_for_direction() -> None:
    with pytest.raises(
        ValidationError,
        match="target: 300 incident is above the baseline 200 incident, but the metric's direction is decrease",
    ):
        progress(q(150), baseline=q(200), target=q(300), direction=Direction.DECREASE)


def test_definition_checks_target_dimension_and_direction() -> None:
    murders = MetricCatalog.builtin()["murders"]
    with pytest.raises(UnitError, match="target: metric 'murders' is measured in incident"):
        progress(q(150), baseline=q(200), target=q(100, "person"), definition=murders)
    assert (
        progress(q(150), baseline=q(200), target=q(100), definition=murders).direction
        is Direction.DECREASE
    )


def test_progress_accepts_targets_baselines_and_series() -> None:
    d = MetricDefinition(id="calls", name="Calls", unit="call", direction=Direction.INCREASE)
    s = MetricSeries.from_records(
        d, place_id="p", period_type=YEAR, records=[("2023", 5), ("2024", 15)]
    )
    b = Baseline(metric_id="calls", value="0 call", as_of="2022-12-31")
    t = Target(
        id="t", metric_id="calls", stage=TargetStage.FINAL, value="20 call", due="2025-12-31"
    )
    p = progress(s, baseline=b, target=t, definition=d)
    assert p.raw.tolist() == [0.25, 0.75]
    assert str(p) == (
        "progress 75% (raw 0.75): actual 15 call (latest of 2) from baseline 0 call towards "
        "target 20 call (increase); in progress"
    )


@given(baseline_target(), st.floats(min_value=-1e4, max_value=1e4), st.sampled_from(LENGTH_UNITS))
def test_progress_invariant_under_unit_conversion(bt: tuple, actual: float, unit: str) -> None:
    direction, baseline, target = bt
    ref = progress(
        q(actual, "m"), baseline=q(baseline, "m"), target=q(target, "m"), direction=direction
    )
    conv = progress(
        q(actual, "m").to(unit),
        baseline=q(baseline, "m").to(unit),
        target=q(target, "m").to(unit),
        direction=direction,
    )
    assert float(conv.raw) == pytest.approx(float(ref.raw), rel=1e-6, abs=1e-6)
    assert float(conv.clamped) == pytest.approx(float(ref.clamped), rel=1e-6, abs=1e-6)


@given(baseline_target())
def test_baseline_maps_to_zero_and_target_to_one(bt: tuple) -> None:
    direction, baseline, target = bt
    p = progress(q([baseline, target]), baseline=q(baseline), target=q(target), direction=direction)
    assert p.raw.tolist() == [0.0, 1.0]
    assert list(p.statuses) == [ProgressStatus.NOT_STARTED, ProgressStatus.ACHIEVED]


def _bt() -> tuple[Baseline, Target]:
    b = Baseline(metric_id="m", value="200 incident", as_of="2024-01-01")
    t = Target(
        id="t", metric_id="m", stage=TargetStage.FINAL, value="100 incident", due="2026-01-01"
    )
    return b, t


def test_on_track_band() -> None:
    b, t = _bt()
    at = np.array(["2025-01-01"] * 3, dtype="datetime64[D]")
    r = on_track(q([190, 150, 110]), at=at, baseline=b, target=t, direction=Direction.DECREASE)
    assert [s.value for s in r.statuses] == ["behind", "on_track", "ahead"]
    assert r.elapsed[0] == pytest.approx(366 / 731)
    assert r.expected.magnitude[0] == pytest.approx(200 - 100 * 366 / 731)
    assert str(r).startswith("ahead on 2025-01-01: actual 110 incident (latest of 3) vs expected")
    narrow = on_track(q(150), at=dt.date(2025, 1, 1), baseline=b, target=t, tolerance=0.0)
    assert narrow.status is TrackStatus.BEHIND  # 0.5 of the way vs 0.5007 of the time


def test_on_track_from_series_and_bad_inputs() -> None:
    b, t = _bt()
    d = MetricDefinition(id="m", name="M", unit="incident", direction=Direction.DECREASE)
    s = MetricSeries.from_records(
        d, place_id="p", period_type=YEAR, records=[("2024", 160), ("2025", None)]
    )
    r = on_track(s, baseline=b, target=t, definition=d)
    assert [x.value for x in r.statuses] == ["on_track", "no_data"]
    with pytest.raises(ValidationError, match=r"tolerance: expected a non-negative band, got -0.1"):
        on_track(s, baseline=b, target=t, tolerance=-0.1)
    with pytest.raises(ValidationError, match="at: give the date of each actual value"):
        on_track(q(1), baseline=b, target=t)


def test_sdg_method_1_thresholds() -> None:
    def status(current: float) -> SDGStatus:
        return sdg_status(
            q(100), q(current), base_date=2015, current_date=2020, direction=Direction.INCREASE
        ).status

    assert status(100 * 1.02**5) is SDGStatus.SUBSTANTIAL_PROGRESS
    assert status(100 * 1.01**5) is SDGStatus.MODERATE_PROGRESS
    assert status(100 * 1.001**5) is SDGStatus.LIMITED_PROGRESS
    assert status(90) is SDGStatus.DETERIORATION


def test_sdg_method_2_and_edge_cases() -> None:
    r = sdg_status(
        q(100),
        q(40),
        base_date=2015,
        current_date=2020,
        direction=Direction.DECREASE,
        target=q(50),
        target_date=2030,
    )
    assert r.status is SDGStatus.TARGET_ACHIEVED
    r = sdg_status(q(100), q(-5), base_date=2015, current_date=2020, direction=Direction.DECREASE)
    assert r.status is SDGStatus.NOT_AVAILABLE
    assert r.reason == "base and current differ in sign"
    with pytest.warns(CivicWarning, match="base value is 0; using 0.001"):
        r = sdg_status(q(0), q(5), base_date=2015, current_date=2020, direction=Direction.INCREASE)
    assert r.status is SDGStatus.SUBSTANTIAL_PROGRESS
    r = sdg_status(
        q(100),
        q(90),
        base_date=dt.date(2020, 1, 1),
        current_date=dt.date(2020, 6, 1),
        direction=Direction.DECREASE,
    )
    assert r.status is SDGStatus.NOT_AVAILABLE
    with pytest.raises(ValidationError, match="the Open SDG status needs increase or decrease"):
        sdg_status(q(1), q(2), base_date=2015, current_date=2020, direction=Direction.NONE)
    with pytest.raises(ValidationError, match="target_date: method 2 needs the year"):
        sdg_status(
            q(1), q(2), base_date=2015, current_date=2020, direction=Direction.INCREASE, target=q(3)
        )
    with pytest.raises(UnitError, match="current: expected dimension"):
        sdg_status(
            q(1), q(2, "person"), base_date=2015, current_date=2020, direction=Direction.INCREASE
        )


def test_sdg_reproduces_sdg_build_formula() -> None:
    # sdg-build, methodology 2: sign * direction * cagr_o / |cagr_r| with direction -1 for "negative".
    cagr_o = (15 / 20) ** (1 / 5) - 1
    cagr_r = (5 / 20) ** (1 / 15) - 1
    expected = -1 * cagr_o / abs(cagr_r)
    r = sdg_status(
        q(20, "percent"),
        q(15, "percent"),
        base_date=2015,
        current_date=2020,
        direction=Direction.DECREASE,
        target=q(5, "percent"),
        target_date=2030,
    )
    assert r.value == pytest.approx(expected)


def _turn_series(post: list[float]) -> MetricSeries:
    d = MetricDefinition(
        id="murders", name="Murders", unit="incident", direction=Direction.DECREASE
    )
    pre = [100 + 2 * i + (1 if i % 2 else -1) for i in range(24)]
    values = pre + post
    ords = MONTH.parse_labels(["2022-01"])[0] + np.arange(len(values))
    return MetricSeries.from_arrays(
        d, place_id="p", period_type=MONTH, ordinals=ords, values=values
    )


def test_turn_the_curve_statuses() -> None:
    start = dt.date(2024, 1, 1)
    forecast_like = [148 + 2 * i for i in range(6)]
    assert (
        turn_the_curve(
            _turn_series([v - 20 for v in forecast_like]), start=start, direction=Direction.DECREASE
        ).status
        is TurnStatus.TURNED
    )
    assert (
        turn_the_curve(
            _turn_series(forecast_like), start=start, direction=Direction.DECREASE
        ).status
        is TurnStatus.NO_CLEAR_CHANGE
    )
    r = turn_the_curve(
        _turn_series([v + 20 for v in forecast_like]), start=start, direction=Direction.DECREASE
    )
    assert r.status is TurnStatus.WORSE
    assert r.labels[0] == "2024-01"
    assert len(r.labels) == 6
    assert r.mean_gap.magnitude == pytest.approx(20, abs=0.5)
    assert str(r).startswith("worse: after 2024-01-01 the actual is +")


def test_turn_the_curve_bad_inputs() -> None:
    s = _turn_series([150.0])
    with pytest.raises(ValidationError, match=r"needs a better side .* got none"):
        turn_the_curve(s, start=dt.date(2024, 1, 1), direction=Direction.NONE)
    with pytest.raises(
        EstimationError, match="no values in periods starting on or after 2030-01-01"
    ):
        turn_the_curve(s, start=dt.date(2030, 1, 1), direction=Direction.DECREASE)


def test_roll_up_weighted_and_skips_unset_children() -> None:
    from civicinnov.evaluation import roll_up

    children = [
        progress(q(150), baseline=q(200), target=q(100)),  # 0.5
        progress(q(50), baseline=q(200), target=q(100)),  # overshoot: clamped 1.0
        progress(q(150), target=q(100)),  # no baseline: skipped
    ]
    r = roll_up(children, weights=[1, 3, 10], ids=["a", "b", "c"])
    assert r.value == pytest.approx(0.875)
    assert r.used.tolist() == [True, True, False]
    assert str(r) == "roll-up 88% from 2 of 3 children (weights 1, 3; skipped without progress: c)"
    assert np.isnan(roll_up([np.nan]).value)
    with pytest.raises(
        ValidationError, match=r"weights: expected 2 weights \(one per child\), got 1"
    ):
        roll_up([0.1, 0.2], weights=[1])
    with pytest.raises(
        ValidationError, match=r"weights\[0\]: expected a non-negative weight, got -1"
    ):
        roll_up([0.1], weights=[-1])


def test_progress_accepts_quantity_text_for_every_argument() -> None:
    p = progress("160 incident", target="100 incident", baseline="200 incident")
    assert p.raw == pytest.approx(0.4)


def test_progress_and_on_track_judge_the_totals_of_a_disaggregated_series() -> None:
    from civicinnov.metrics import Dimension

    d = MetricDefinition(id="housed", name="Housed", unit="person", direction=Direction.INCREASE)
    s = MetricSeries.from_records(
        d,
        place_id="p",
        period_type=YEAR,
        dimensions=[Dimension(id="sex", codes=("F", "M"))],
        records=[
            {"period": "2024", "value": 5, "sex": "F"},
            {"period": "2024", "value": 4, "sex": "M"},
            {"period": "2024", "value": 9},
        ],
    )
    p = progress(s, target=as_quantity(10, "person"), baseline=as_quantity(0, "person"))
    assert np.asarray(p.raw).tolist() == [pytest.approx(0.9)]
    track = on_track(
        s,
        target=Target(
            id="t", metric_id="housed", stage="final", value="10 person", due="2025-12-31"
        ),
        baseline=Baseline(metric_id="housed", value="0 person", as_of="2023-12-31"),
    )
    assert np.asarray(track.actual.magnitude).tolist() == [9.0]
