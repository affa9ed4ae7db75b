"""Impact estimators: bad inputs, named warnings, results, unbalanced panels, options."""

from __future__ import annotations

import json

import numpy as np
import pytest

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation import (
    SE_CONVENTIONS,
    ImpactResult,
    Panel,
    WarningCode,
    callaway_santanna,
    did_2x2,
    event_study,
    interrupted_time_series,
    twfe,
)
from civicinnov.model import EvaluationDesign, SMSLevel


def staggered_panel(
    n_units: int = 60,
    n_periods: int = 8,
    cohorts: tuple[int | None, ...] = (3, 5, None),
    seed: int = 1,
    drop: float = 0.0,
) -> Panel:
    """A small synthetic staggered panel: unit and time effects, effects growing with exposure."""
    rng = np.random.default_rng(seed)
    units = np.repeat(np.arange(n_units), n_periods)
    periods = np.tile(np.arange(1, n_periods + 1), n_units)
    cohort_of = np.array([cohorts[i % len(cohorts)] or 0 for i in range(n_units)])
    g = cohort_of[units]
    exposure = np.where((g > 0) & (periods >= g), periods - g + 1, 0)
    y = rng.normal(size=n_units)[units] + 0.3 * periods + 0.5 * exposure
    y = y + rng.normal(scale=0.2, size=y.size)
    keep = rng.random(y.size) >= drop
    return Panel.from_arrays(
        units=units[keep],
        periods=periods[keep],
        outcome=y[keep],
        unit="incident",
        first_treated=g[keep],
        never=0,
    )


# ---------------------------------------------------------------- bad inputs
def test_single_cluster_is_refused() -> None:
    p = Panel.from_arrays(
        units=[1, 1, 2, 2, 3, 3],
        periods=[0, 1] * 3,
        outcome=[1.0, 3.0, 1.0, 1.2, 2.0, 2.1],
        unit="",
        first_treated={1: 1, 2: None, 3: None},
        clusters=["all"] * 6,
    )
    with pytest.raises(EstimationError, match="need at least 2 clusters, got 1"):
        twfe(p)
    assert twfe(p, vcov="iid").estimate.value == pytest.approx(1.85)


def test_cohort_without_never_treated_comparison() -> None:
    p = staggered_panel(cohorts=(3, 5))
    with pytest.raises(EstimationError, match="no never-treated units to compare with"):
        callaway_santanna(p)
    res = callaway_santanna(p, control="notyet")
    codes = {w.code for w in res.warnings}
    assert WarningCode.NO_COMPARISON_UNITS in codes
    # the last cohort has no not-yet-treated comparison from its adoption on
    assert all(not (g == 5 and t >= 5) for g, t in zip(res.groups, res.times, strict=True))
    assert res.aggregate("simple").warning_codes >= {WarningCode.NO_COMPARISON_UNITS}


def test_event_window_too_wide() -> None:
    p = staggered_panel()
    with pytest.raises(
        PanelError, match="asks for 9 leads but the data hold at most 4 pre-periods"
    ):
        event_study(p, leads=9)
    with pytest.raises(PanelError, match="asks for 9 lags but the data hold at most 5 periods"):
        event_study(p, lags=9)
    with pytest.raises(PanelError, match="reference period -7 is not observed"):
        event_study(p, reference=-7)


def test_event_window_trims_and_reports() -> None:
    p = staggered_panel()
    res = event_study(p, leads=2, lags=2)
    assert [t.name for t in res.terms] == ["event_-2", "event_0", "event_1", "event_2"]
    assert WarningCode.OUTSIDE_EVENT_WINDOW in res.warning_codes
    assert res.rows.used == res.n_obs < p.n_obs
    assert "outside the event window" in res.rows.dropped[-1][0]


def test_pre_trends_pass_on_parallel_data() -> None:
    res = event_study(staggered_panel(n_units=120))
    assert res.stats["pretrend_p"] > 0.01
    assert res.estimate.value == pytest.approx(np.mean([0.5 * (e + 1) for e in range(6)]), abs=0.2)


def test_two_by_two_bad_inputs() -> None:
    staggered = staggered_panel()
    with pytest.raises(EstimationError, match="adopt in 2 different periods"):
        did_2x2(staggered)
    no_control = staggered_panel(cohorts=(3,))
    with pytest.raises(EstimationError, match="no comparison units"):
        did_2x2(no_control)
    empty = Panel.from_cross_sections(
        periods=[1, 2, 1], outcome=[1.0, 2.0, 3.0], treated=[1, 1, 0], adoption=2, unit=""
    )
    with pytest.raises(EstimationError, match="comparison post cell is empty"):
        did_2x2(empty)
    with pytest.raises(PanelError, match=r"controls: \['x'\] are not controls"):
        did_2x2(staggered_panel(cohorts=(3, None)), controls=["x"])


def test_cross_sections_refused_by_panel_estimators() -> None:
    cs = Panel.from_cross_sections(
        periods=[1, 2, 1, 2],
        outcome=[1.0, 2.0, 3.0, 4.0],
        treated=[1, 1, 0, 0],
        adoption=2,
        unit="",
    )
    for fn in (twfe, event_study, callaway_santanna):
        with pytest.raises(PanelError, match="repeated cross-sections"):
            fn(cs)


def test_unknown_convention() -> None:
    with pytest.raises(EstimationError, match="unknown convention 'hc9'"):
        twfe(staggered_panel(), vcov="hc9")
    with pytest.raises(EstimationError, match="leverage-adjusted SEs are not defined"):
        twfe(staggered_panel(), vcov="hc3")


def test_collinear_treatment() -> None:
    # everyone treated at the same time: D is absorbed by the period effects
    p = staggered_panel(cohorts=(4,))
    with pytest.raises(EstimationError, match="collinear"):
        twfe(p)


def test_its_bad_inputs() -> None:
    with pytest.raises(PanelError, match="period 2 appears more than once"):
        interrupted_time_series([1, 2, 2, 3], [1.0, 2.0, 3.0, 4.0], interruption=3, unit="")
    with pytest.raises(EstimationError, match="1 observations before"):
        interrupted_time_series([1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0], interruption=2, unit="")
    with pytest.raises(EstimationError, match="lags: only used with vcov='newey_west'"):
        interrupted_time_series([1, 2, 3, 4, 5, 6], [1.0] * 6, interruption=4, unit="", lags=2)


# ---------------------------------------------------------------- warnings and results
def test_twfe_staggered_and_cluster_warnings() -> None:
    res = twfe(staggered_panel(n_units=20))
    assert {WarningCode.STAGGERED_TIMING, WarningCode.FEW_CLUSTERS} <= res.warning_codes
    assert res.n_clusters == 20
    assert res.design is EvaluationDesign.DID
    assert res.sms_level is SMSLevel.COMPARISON_GROUP


def test_unbalanced_twfe_matches_dummy_regression() -> None:
    p = staggered_panel(drop=0.15, seed=3)
    assert not p.is_balanced
    res = twfe(p, vcov="iid")
    # least squares with explicit dummies
    x = np.column_stack(
        [
            p.treated_rows.astype(float),
            np.eye(p.n_units)[p.unit_index],
            np.eye(p.n_periods)[p.period_index][:, 1:],
        ]
    )
    beta, *_ = np.linalg.lstsq(x, p.outcome, rcond=None)
    resid = p.outcome - x @ beta
    sigma2 = resid @ resid / (p.n_obs - x.shape[1])
    se = np.sqrt(sigma2 * np.linalg.inv(x.T @ x)[0, 0])
    assert res.estimate.value == pytest.approx(beta[0], rel=1e-8)
    assert res.estimate.se == pytest.approx(se, rel=1e-6)


def test_cs_unbalanced_panel_is_balanced_with_report() -> None:
    p = staggered_panel(drop=0.02, seed=5)
    res = callaway_santanna(p)
    assert res.rows.used < p.rows.used
    assert "not observed in every period" in res.rows.dropped[-1][0]
    assert WarningCode.ROWS_DROPPED in {w.code for w in res.warnings}


def test_cs_units_treated_in_first_period_are_dropped() -> None:
    p = staggered_panel(cohorts=(1, 4, None))
    res = callaway_santanna(p)
    assert any("treated in the first period" in why for why, _ in res.rows.dropped)
    assert set(res.groups.tolist()) == {4.0}


@pytest.mark.parametrize("control", ["never", "notyet"])
@pytest.mark.parametrize("base", ["varying", "universal"])
@pytest.mark.parametrize("anticipation", [0, 1])
def test_cs_options_recover_effect(control: str, base: str, anticipation: int) -> None:
    p = staggered_panel(n_units=300, n_periods=8, cohorts=(4, 6, None, None))
    res = callaway_santanna(p, control=control, base_period=base, anticipation=anticipation)
    dyn = res.aggregate("dynamic")
    assert dyn.term("dynamic_0").value == pytest.approx(0.5, abs=0.1)
    assert dyn.term("dynamic_1").value == pytest.approx(1.0, abs=0.1)
    if base == "universal":
        assert "dynamic_-1" not in {t.name for t in dyn.terms} or anticipation
        assert all(b == g - 1 - anticipation for g, b in zip(res.groups, res.bases, strict=True))


def test_result_summary_and_dict() -> None:
    res = twfe(staggered_panel())
    text = res.summary()
    assert text.startswith("twfe: treated = ")
    assert "Maryland SMS level 3" in text
    assert "warning staggered_timing" in text
    d = res.to_dict()
    json.dumps(d)
    assert d["outcome_unit"] == "incident"
    assert d["convention"] == "crv1"
    assert {w["code"] for w in d["warnings"]} >= {"staggered_timing"}
    cs = callaway_santanna(staggered_panel())
    json.dumps(cs.to_dict())
    assert "Callaway & Sant'Anna" in cs.summary()
    with pytest.raises(KeyError, match="no term 'nope'"):
        res.term("nope")
    with pytest.raises(KeyError, match=r"no ATT\(g=2, t=9\)"):
        cs.cell(2, 9)
    with pytest.raises(EstimationError, match="aggregate: expected one of"):
        cs.aggregate("weekly")


def test_all_conventions_by_name() -> None:
    p = staggered_panel()
    ses = {c: twfe(p, vcov=c).estimate.se for c in SE_CONVENTIONS}
    assert len(set(ses.values())) == len(SE_CONVENTIONS)
    assert ses["crv1"] > ses["cr0"]
    assert isinstance(twfe(p), ImpactResult)


def test_bootstrap_is_reproducible_with_seed() -> None:
    cs = callaway_santanna(staggered_panel())
    a = cs.bootstrap(iterations=200, seed=3)
    b = cs.bootstrap(iterations=200, seed=3)
    assert a == b
    assert a.critical_value > 1.96
    with pytest.raises(EstimationError, match="at least 2 iterations"):
        cs.bootstrap(iterations=1)


def test_its_from_metric_series_like_and_warnings() -> None:
    from civicinnov.metrics import MetricSeries
    from civicinnov.periods import YEAR

    ords = YEAR.parse_labels([str(y) for y in range(2010, 2020)])
    s = MetricSeries(
        metric_id="blight",
        place_id="akron",
        period_type=YEAR,
        ordinals=ords,
        values=[10, 11, 10, 12, np.nan, 6, 7, 6, 7, 6],
        unit="property",
    )
    res = interrupted_time_series(s, interruption=int(ords[5]), model="level", vcov="newey_west")
    assert str(res.outcome_unit) == "property"
    assert res.convention.startswith("newey_west(lags=")
    assert res.rows.dropped == (("outcome missing (NaN)", 1),)
    assert WarningCode.ROWS_DROPPED in res.warning_codes
    assert res.design is EvaluationDesign.INTERRUPTED_TIME_SERIES
    assert res.sms_level == 2


def test_pretrend_test_undefined_on_a_perfect_fit() -> None:
    units = np.repeat(np.arange(6), 4)
    periods = np.tile(np.arange(4), 6)
    p = Panel.from_arrays(
        units=units,
        periods=periods,
        outcome=units * 2.0 + periods,
        unit="",
        first_treated={0: 2, 1: 2, 2: 3, 3: None, 4: None, 5: None},
    )
    res = event_study(p, vcov="hc1")
    assert np.isnan(res.stats["pretrend_p"])
    assert WarningCode.PRE_TRENDS_FAIL not in res.warning_codes


def test_twfe_with_a_control_matches_dummy_regression() -> None:
    base = staggered_panel(drop=0.1, seed=11)
    rng = np.random.default_rng(0)
    z = rng.normal(size=base.n_obs)
    p = Panel.from_arrays(
        units=base.unit_ids[base.unit_index],
        periods=base.periods,
        outcome=base.outcome + 0.7 * z,
        unit="incident",
        first_treated=np.where(np.isfinite(base.row_cohort), base.row_cohort, 0),
        never=0,
        controls={"z": z},
    )
    res = twfe(p, controls=["z"], vcov="iid")
    x = np.column_stack(
        [
            p.treated_rows.astype(float),
            z,
            np.eye(p.n_units)[p.unit_index],
            np.eye(p.n_periods)[p.period_index][:, 1:],
        ]
    )
    beta, *_ = np.linalg.lstsq(x, p.outcome, rcond=None)
    assert res.estimate.value == pytest.approx(beta[0], rel=1e-8)
    assert res.term("z").value == pytest.approx(beta[1], rel=1e-8)


def test_event_study_empty_relative_period_and_staggered_warning() -> None:
    full = staggered_panel(cohorts=(4, None))
    gap = ~(np.isfinite(full.row_cohort) & (full.periods == 5))  # no treated row at e = 1
    p = Panel.from_arrays(
        units=full.unit_index[gap],
        periods=full.periods[gap],
        outcome=full.outcome[gap],
        unit="incident",
        first_treated=np.where(np.isfinite(full.row_cohort), full.row_cohort, 0)[gap],
        never=0,
    )
    res = event_study(p, leads=3, lags=2)
    assert WarningCode.EMPTY_CELLS in res.warning_codes
    assert "event_1" not in {t.name for t in res.terms}
    assert "event_2" in {t.name for t in res.terms}
    assert WarningCode.STAGGERED_TIMING not in res.warning_codes
    assert WarningCode.STAGGERED_TIMING in event_study(staggered_panel()).warning_codes


def test_few_treated_clusters_warning() -> None:
    p = staggered_panel(n_units=20, cohorts=(4, *([None] * 9)))
    res = did_2x2(p)
    assert {WarningCode.FEW_TREATED_CLUSTERS, WarningCode.FEW_CLUSTERS} <= res.warning_codes
    assert "2 treated cluster(s)" in str(
        next(w for w in res.warnings if w.code is WarningCode.FEW_TREATED_CLUSTERS)
    )


def test_few_treated_units_warning_under_non_cluster_conventions() -> None:
    p = staggered_panel(n_units=20, cohorts=(4, *([None] * 9)))
    res = did_2x2(p, vcov="hc1")
    assert WarningCode.FEW_TREATED_CLUSTERS not in res.warning_codes
    warning = next(w for w in res.warnings if w.code is WarningCode.FEW_TREATED_UNITS)
    assert "2 treated unit(s) (< 5) under hc1 SEs" in str(warning)
    assert WarningCode.FEW_TREATED_UNITS not in twfe(staggered_panel(), vcov="hc1").warning_codes
