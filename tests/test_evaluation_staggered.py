"""Callaway & Sant'Anna with covariates: peers on options the reference case does not reach,
bad inputs, named warnings, and the result's bookkeeping.

``tv_panel`` is a seeded synthetic panel whose two covariates vary over time (mpdta's ``lpop``
does not), so base-period and earlier-period conventions matter; the pinned values were computed
by csdid 0.4.3 (``ATTgt(..., xformla="~ x + z", control_group=[...], anticipation=...)
.fit(est_method=..., base_period=..., bstrap=False)`` and ``aggte("simple")``) on the same data.
"""

from __future__ import annotations

import numpy as np
import pytest

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation import Panel, WarningCode, callaway_santanna


def tv_panel_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261202)
    n, periods_n = 150, 6
    unit = np.repeat(np.arange(n), periods_n)
    period = np.tile(np.arange(1, periods_n + 1), n)
    g_unit = rng.choice([3, 4, 5, 0], size=n, p=[0.25, 0.25, 0.2, 0.3])
    lvl = rng.normal(size=n) + 0.5 * (g_unit > 0)
    x = (
        lvl[unit]
        + 0.3 * period * rng.normal(size=n)[unit] / periods_n
        + rng.normal(scale=0.4, size=n * periods_n)
    )
    z = rng.binomial(1, 0.4, size=n)[unit].astype(float) + 0.1 * rng.normal(size=n * periods_n)
    g = g_unit[unit]
    treated = (g > 0) & (period >= g)
    y = (
        lvl[unit]
        + 0.2 * period
        + 0.3 * x * period / periods_n
        + 0.5 * z
        + 1.0 * treated * (period - g + 1)
        + rng.normal(size=n * periods_n)
    )
    return {"unit": unit, "period": period, "y": y, "g": g, "x": x, "z": z}


def tv_panel(**arrays: np.ndarray) -> Panel:
    d = {**tv_panel_arrays(), **arrays}
    return Panel.from_arrays(
        units=d["unit"],
        periods=d["period"],
        outcome=d["y"],
        unit="incident",
        first_treated=d["g"],
        never=0,
        controls={"x": d["x"], "z": d["z"]},
    )


# method, control, base period, anticipation, simple ATT, simple SE, [(g, t, att, se), ...]
CSDID_TV = [
    ("dr", "never", "varying", 0, 2.2826338480242656, 0.17490934089228585,
     [(3, 2, -0.4405498552537812, 0.3052166028369189),
      (5, 6, 2.153072157271743, 0.4053242287605566)]),
    ("ipw", "notyet", "universal", 0, 2.2669128585653455, 0.1713456571212899,
     [(3, 1, 0.5226209031202989, 0.25433298380184116),
      (5, 6, 2.1669634198806844, 0.42221976287595436)]),
    ("reg", "never", "universal", 0, 2.310024578186216, 0.1683809688496652,
     [(3, 1, 0.4498838164257964, 0.31061537115675686),
      (5, 6, 2.2140122692365476, 0.37437622269039683)]),
    ("dr", "notyet", "varying", 1, 2.085910246619986, 0.1880769202329442,
     [(3, 2, -0.5224799566894459, 0.25446503316832286),
      (5, 6, 2.465107767814606, 0.3266608263152314)]),
    ("ipw", "never", "varying", 0, 2.2888034698143263, 0.1718121407816645,
     [(3, 2, -0.464901422873765, 0.3016389367859861),
      (5, 6, 2.1669634198806844, 0.42221976287595436)]),
    ("reg", "notyet", "varying", 0, 2.2899166643531235, 0.16588255595446633,
     [(3, 2, -0.5231759326411639, 0.254656659963276),
      (5, 6, 2.2140122692365476, 0.37437622269039683)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "control", "base", "anticipation", "att", "se", "cells"), CSDID_TV
)
def test_time_varying_covariates_match_csdid(
    method: str,
    control: str,
    base: str,
    anticipation: int,
    att: float,
    se: float,
    cells: list[tuple[int, int, float, float]],
) -> None:
    """Covariates are read in the earlier of each cell's two periods, as R did and csdid do
    (the universal base's pre-treatment cell (3, 1) reads them in period 1, not 2)."""
    res = callaway_santanna(
        tv_panel(),
        controls=["x", "z"],
        est_method=method,
        control=control,
        base_period=base,
        anticipation=anticipation,
    )
    simple = res.aggregate("simple").estimate
    assert simple.value == pytest.approx(att, rel=1e-8)
    assert simple.se == pytest.approx(se, rel=1e-8)
    for g, t, cell_att, cell_se in cells:
        got = res.cell(g, t)
        assert got.value == pytest.approx(cell_att, rel=1e-8)
        assert got.se == pytest.approx(cell_se, rel=1e-8)


def test_base_period_covariates_differ_from_current_period() -> None:
    """Reading the controls in period t instead of the base period would change the pre cells."""
    d = tv_panel_arrays()
    lagged = callaway_santanna(tv_panel(), controls=["x", "z"], base_period="universal")
    shifted = d["x"].reshape(150, 6)
    shifted = np.roll(shifted, -1, axis=1).ravel()  # period t now holds x of t + 1
    moved = callaway_santanna(tv_panel(x=shifted), controls=["x", "z"], base_period="universal")
    assert not np.allclose(lagged.att, moved.att)


def test_nuisance_estimation_effect_is_in_the_se() -> None:
    """The SEs include the logit's and the regression's estimation effect: dropping either term
    would move the DR SE of the pinned cell away from csdid's."""
    res = callaway_santanna(tv_panel(), controls=["x", "z"], est_method="dr")
    assert res.cell(3, 2).se == pytest.approx(0.3052166028369189, rel=1e-10)
    # influence functions have mean zero (the scores of both fits are zero at the estimates)
    assert np.abs(res.influence.mean(axis=0)).max() < 1e-10


# ---------------------------------------------------------------- bad inputs
def test_unknown_or_repeated_control_is_refused() -> None:
    with pytest.raises(PanelError, match=r"controls: expected distinct names .*\['x', 'z'\]"):
        callaway_santanna(tv_panel(), controls=["w"])
    with pytest.raises(PanelError, match="got \\['x', 'x'\\]"):
        callaway_santanna(tv_panel(), controls=["x", "x"])


def test_unknown_est_method_is_refused() -> None:
    with pytest.raises(EstimationError, match=r"est_method: expected one of .*got 'aipw'"):
        callaway_santanna(tv_panel(), controls=["x"], est_method="aipw")


def test_perfect_separation_skips_cells_with_a_named_warning() -> None:
    """A covariate that separates cohort 3 from everyone else leaves no overlap for its cells."""
    d = tv_panel_arrays()
    x = np.where(d["g"] == 3, 10.0, 0.0) + 0.01 * d["x"]
    res = callaway_santanna(tv_panel(x=x), controls=["x"], est_method="dr")
    assert WarningCode.POOR_OVERLAP in {w.code for w in res.warnings}
    assert 3.0 not in set(res.groups.tolist())
    assert {4.0, 5.0} <= set(res.groups.tolist())
    reg = callaway_santanna(tv_panel(x=x), controls=["x"], est_method="reg")
    assert 3.0 in set(reg.groups.tolist())  # regression needs no overlap


def test_collinear_controls_skip_cells_with_a_named_warning() -> None:
    d = tv_panel_arrays()
    z = np.where(d["g"] == 0, 1.0, d["z"])  # constant among never-treated units: the intercept
    with pytest.raises(EstimationError, match="no cell could be estimated"):
        callaway_santanna(tv_panel(z=z), controls=["z"], est_method="reg")
    # not-yet-treated comparisons include treated-later units, whose z varies; the last cells
    # compare with never-treated units only
    res = callaway_santanna(tv_panel(z=z), controls=["z"], est_method="reg", control="notyet")
    warned = [w for w in res.warnings if w.code is WarningCode.SINGULAR_CONTROLS]
    assert len(warned) == 1
    assert "collinear" in warned[0].message
    assert "g=4, t=5" in warned[0].message
    assert (4, 4) in set(zip(res.groups.astype(int).tolist(), res.times.tolist(), strict=True))


# ---------------------------------------------------------------- results
def test_result_records_method_and_controls() -> None:
    res = callaway_santanna(tv_panel(), controls=["x", "z"], est_method="ipw")
    assert res.est_method == "ipw"
    assert res.control_names == ("x", "z")
    data = res.to_dict()
    assert data["est_method"] == "ipw"
    assert data["controls"] == ["x", "z"]
    assert "est_method=ipw, controls=x, z" in res.summary()
    assert res.aggregate("group").quantity.units == res.outcome_unit


def test_without_controls_every_method_is_the_difference_in_means() -> None:
    base = callaway_santanna(tv_panel())
    for method in ("dr", "ipw", "reg"):
        res = callaway_santanna(tv_panel(), est_method=method, controls=[])
        np.testing.assert_array_equal(res.att, base.att)
        np.testing.assert_array_equal(res.se, base.se)


def test_bootstrap_with_covariates() -> None:
    res = callaway_santanna(tv_panel(), controls=["x", "z"])
    bands = res.bootstrap("dynamic", iterations=400, seed=11)
    assert bands.names[-1] == "dynamic_overall"
    agg = res.aggregate("dynamic")
    analytic = np.array([t.se for t in agg.terms])
    np.testing.assert_allclose(bands.se, analytic, rtol=0.25)
    assert bands.critical_value > 1.96


def test_pretest_with_covariates() -> None:
    res = callaway_santanna(tv_panel(), controls=["x", "z"])
    test = res.pretest()
    assert test["df"] == float(np.sum(res.groups > res.times))
    assert 0.0 <= test["p_value"] <= 1.0
    post_only = callaway_santanna(tv_panel(), controls=["x", "z"], base_period="universal")
    assert post_only.pretest()["df"] == 6.0  # cells (3,1), (4,1), (4,2), (5,1), (5,2), (5,3)


# ---------------------------------------------------------------- unbalanced panels
def unbalanced_panel() -> Panel:
    """``tv_panel`` with 12% of its rows removed at random."""
    d = tv_panel_arrays()
    keep = np.random.default_rng(7).random(d["y"].size) >= 0.12
    d = {k: v[keep] for k, v in d.items()}
    return Panel.from_arrays(
        units=d["unit"],
        periods=d["period"],
        outcome=d["y"],
        unit="incident",
        first_treated=d["g"],
        never=0,
        controls={"x": d["x"], "z": d["z"]},
    )


# csdid 0.4.3 with allow_unbalanced_panel=True: method, control, base, with ~x + z, simple ATT,
# simple SE, dynamic overall ATT, its SE, one cell (g, t, att, se)
CSDID_UNBALANCED = [
    ("ipw", "notyet", "varying", True, 2.3489511657919038, 0.184141903476743,
     2.706904725108706, 0.18882262129520372, (3, 4, 2.463867233327534, 0.3049475437306126)),
    ("reg", "never", "universal", True, 2.284808341589792, 0.1875897861418915,
     2.604761655994319, 0.19952995792752365, (3, 4, 2.590969557723831, 0.3546661612379757)),
    ("dr", "never", "varying", False, 2.4152836531985478, 0.17795716355018618,
     2.7920772907726192, 0.19001753817842454, (3, 4, 2.4930878034181707, 0.3441774573397467)),
    ("reg", "notyet", "varying", False, 2.4123127693933895, 0.17840141530045095,
     2.7897478477890294, 0.18753787536252922, (3, 4, 2.4586423472555716, 0.30174001601978173)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "control", "base", "with_x", "att", "se", "dyn", "dyn_se", "cell"),
    CSDID_UNBALANCED,
)
def test_unbalanced_panel_matches_csdid(
    method: str,
    control: str,
    base: str,
    with_x: bool,
    att: float,
    se: float,
    dyn: float,
    dyn_se: float,
    cell: tuple[int, int, float, float],
) -> None:
    res = callaway_santanna(
        unbalanced_panel(),
        controls=["x", "z"] if with_x else None,
        est_method=method,
        control=control,
        base_period=base,
        allow_unbalanced=True,
    )
    simple, dynamic = res.aggregate("simple").estimate, res.aggregate("dynamic").estimate
    assert simple.value == pytest.approx(att, rel=1e-9)
    assert simple.se == pytest.approx(se, rel=1e-9)
    assert dynamic.value == pytest.approx(dyn, rel=1e-9)
    assert dynamic.se == pytest.approx(dyn_se, rel=1e-9)
    g, t, cell_att, cell_se = cell
    assert res.cell(g, t).value == pytest.approx(cell_att, rel=1e-9)
    assert res.cell(g, t).se == pytest.approx(cell_se, rel=1e-9)


# The doubly robust cells against moderndid 0.2.0's drdid_rc (R DRDID's locally efficient
# repeated-cross-section estimator) on each cell's rows, its influence function summed by unit
# and scaled as R did does. csdid 0.4.3 flips the sign of the pre-period outcome-regression
# estimation effect there, so its DR SEs differ (by up to 4% here); R's published code is followed.
MODERNDID_DR_RC = [
    (3, 4, 2.590799322342662, 0.3390636263150945),
    (4, 3, -0.2626885509682422, 0.3382713726298135),
    (5, 6, 1.75674841505085, 0.5042687517530969),
]


@pytest.mark.parametrize(("g", "t", "att", "se"), MODERNDID_DR_RC)
def test_unbalanced_doubly_robust_cells_match_drdid_rc(
    g: int, t: int, att: float, se: float
) -> None:
    res = callaway_santanna(unbalanced_panel(), controls=["x", "z"], allow_unbalanced=True)
    assert res.cell(g, t).value == pytest.approx(att, rel=1e-9)
    assert res.cell(g, t).se == pytest.approx(se, rel=1e-9)


def test_unbalanced_panel_keeps_every_unit() -> None:
    panel = unbalanced_panel()
    kept = callaway_santanna(panel, controls=["x"], allow_unbalanced=True)
    dropped = callaway_santanna(panel, controls=["x"])
    assert kept.n_units == panel.n_units > dropped.n_units
    assert kept.rows.used == panel.n_obs
    assert WarningCode.ROWS_DROPPED in {w.code for w in dropped.warnings}
    assert WarningCode.ROWS_DROPPED not in {w.code for w in kept.warnings}
    assert not np.allclose(kept.att, dropped.att)


def test_allow_unbalanced_leaves_a_balanced_panel_alone() -> None:
    for names in (None, ["x", "z"]):
        default = callaway_santanna(tv_panel(), controls=names)
        allowed = callaway_santanna(tv_panel(), controls=names, allow_unbalanced=True)
        np.testing.assert_array_equal(default.att, allowed.att)
        np.testing.assert_array_equal(default.se, allowed.se)


def test_unbalanced_cell_without_rows_is_skipped_with_a_warning() -> None:
    """Cohort 4 is never seen in period 3, its base period: its post cells cannot be estimated."""
    d = tv_panel_arrays()
    keep = ~((d["g"] == 4) & (d["period"] == 3)) & (
        np.random.default_rng(7).random(d["y"].size) >= 0.05
    )
    d = {k: v[keep] for k, v in d.items()}
    panel = Panel.from_arrays(
        units=d["unit"], periods=d["period"], outcome=d["y"], unit="", first_treated=d["g"],
        never=0, controls={"x": d["x"], "z": d["z"]},
    )  # fmt: skip
    res = callaway_santanna(panel, controls=["x"], allow_unbalanced=True)
    warned = [w for w in res.warnings if w.code is WarningCode.EMPTY_CELLS]
    assert len(warned) == 1
    assert "g=4, t=4" in warned[0].message
    with pytest.raises(KeyError):
        res.cell(4, 5)
    assert res.cell(3, 4).se > 0


# ---------------------------------------------------------------- improved doubly robust
# moderndid 0.2.0's drdid_imp_panel (R DRDID's improved, locally efficient DR) on each mpdta cell
# with ~lpop, its influence function scaled as R did does: (g, t, att, se). The ATT is
# insensitive to the tilting fit to first order, so it agrees to rounding; the SE inherits the
# peers' optimiser tolerance (their trust-region fit stops near 1e-8), so it agrees to 1e-7.
MODERNDID_DR_IMP = [
    (2004, 2004, -0.014532924270596773, 0.02212644808832815),
    (2004, 2007, -0.10690927679907355, 0.03288630044925066),
    (2006, 2005, -0.006266952592821849, 0.018480996133752193),
    (2007, 2007, -0.02878205246057224, 0.016233328649397673),
]


def mpdta_with_lpop() -> Panel:
    import csv
    from pathlib import Path

    with (Path(__file__).parent / "data" / "mpdta.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    d = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    return Panel.from_arrays(
        units=d["countyreal"].astype(int),
        periods=d["year"].astype(int),
        outcome=d["lemp"],
        unit="",
        first_treated=d["first_treat"],
        never=0,
        controls={"lpop": d["lpop"]},
    )


def test_improved_dr_matches_drdid_imp_panel() -> None:
    res = callaway_santanna(mpdta_with_lpop(), controls=["lpop"], est_method="dr_imp")
    assert res.est_method == "dr_imp"
    for g, t, att, se in MODERNDID_DR_IMP:
        assert res.cell(g, t).value == pytest.approx(att, rel=1e-11)
        assert res.cell(g, t).se == pytest.approx(se, rel=1e-7)
    traditional = callaway_santanna(mpdta_with_lpop(), controls=["lpop"])
    assert np.max(np.abs(res.att - traditional.att)) > 1e-6  # a different estimator


def test_tilted_propensity_score_balances_the_covariates() -> None:
    """The calibration condition of inverse probability tilting: the comparison units' odds
    weights reproduce the treated units' covariate totals."""
    from civicinnov.evaluation._staggered import _calibrated_ps, _logit

    rng = np.random.default_rng(5)
    x = np.column_stack([np.ones(400), rng.normal(size=400), rng.normal(size=400)])
    d = (rng.random(400) < 1 / (1 + np.exp(-0.5 - x[:, 1]))).astype(float)
    _, start, converged = _logit(x, d)
    assert converged
    ps = _calibrated_ps(x, d, start)
    assert ps is not None
    odds = ps / (1 - ps)
    np.testing.assert_allclose(((1 - d) * odds) @ x, d @ x, rtol=1e-10)


def test_improved_dr_needs_a_balanced_panel() -> None:
    with pytest.raises(EstimationError, match="'dr_imp' needs a balanced panel"):
        callaway_santanna(
            unbalanced_panel(), controls=["x"], est_method="dr_imp", allow_unbalanced=True
        )
    # a balanced panel is fine with the flag set
    callaway_santanna(tv_panel(), controls=["x"], est_method="dr_imp", allow_unbalanced=True)


def test_assumptions_name_the_controls() -> None:
    res = callaway_santanna(tv_panel(), controls=["x", "z"])
    agg = res.aggregate("simple")
    assert agg.assumptions == res.assumptions
    assert "conditional on cohort and on x, z" in agg.assumptions[0]
    assert agg.assumptions[1].startswith("overlap")
    plain = callaway_santanna(tv_panel()).aggregate("simple")
    assert not any(a.startswith("overlap") for a in plain.assumptions)


def test_aggregate_counts_the_rows_used() -> None:
    panel = unbalanced_panel()
    kept = callaway_santanna(panel, allow_unbalanced=True).aggregate("simple")
    assert kept.n_obs == panel.n_obs
    balanced = callaway_santanna(panel).aggregate("simple")
    assert balanced.n_obs == balanced.n_units * 6 < panel.n_obs


def test_comparison_units_with_extreme_scores_are_trimmed_as_drdid_does() -> None:
    """One comparison unit shares its covariate value with 300 treated units: its propensity score
    is 300/301 ≈ 0.9967, above DRDID's trimming level 0.995 (but below the 0.999 overlap limit),
    so it gets no weight. Values from csdid 0.4.3 (which trims as R does) on the same data."""
    rng = np.random.default_rng(99)
    x_unit = np.r_[np.ones(301), np.zeros(300)]
    g_unit = np.r_[np.full(300, 2), 0, np.full(100, 2), np.zeros(200, dtype=int)]
    unit = np.repeat(np.arange(601), 2)
    period = np.tile([1, 2], 601)
    x, g = x_unit[unit], g_unit[unit]
    y = rng.normal(size=601)[unit] + 0.5 * period * x + 1.0 * ((g == 2) & (period == 2))
    y = y + rng.normal(size=1202)
    panel = Panel.from_arrays(
        units=unit, periods=period, outcome=y, unit="", first_treated=g, never=0,
        controls={"x": x},
    )  # fmt: skip
    for method, att, se in [
        ("dr", 2.5347073578793657, 0.08579931896024698),
        ("ipw", 1.3079431592571813, 0.11815902687237999),
        ("reg", 2.534707357879366, 0.08579931896024698),
    ]:
        cell = callaway_santanna(panel, controls=["x"], est_method=method).cell(2, 2)
        assert cell.value == pytest.approx(att, rel=1e-10)
        assert cell.se == pytest.approx(se, rel=1e-10)


def test_bootstrap_bands_are_the_same_with_an_executor() -> None:
    """Each block of draws has its own seed spawned from the caller's, so a pool of threads or
    processes gives the bands of the serial run."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    units = np.repeat(np.arange(40), 3)
    periods = np.tile([1, 2, 3], 40)
    rng = np.random.default_rng(5)
    y = rng.normal(size=units.size) + (units < 20) * (periods >= 2) * 1.5
    p = Panel.from_arrays(
        units=units, periods=periods, outcome=y, unit="",
        first_treated={u: (2 if u < 20 else None) for u in range(40)},
    )  # fmt: skip
    res = callaway_santanna(p)
    serial = res.bootstrap("dynamic", iterations=600, seed=7)
    with ThreadPoolExecutor(2) as pool:
        threaded = res.bootstrap("dynamic", iterations=600, seed=7, executor=pool)
    with ProcessPoolExecutor(2) as pool:
        forked = res.bootstrap("dynamic", iterations=600, seed=7, executor=pool)
    for other in (threaded, forked):
        np.testing.assert_array_equal(other.se, serial.se)
        assert other.critical_value == serial.critical_value
    assert res.bootstrap("dynamic", iterations=600, seed=8).critical_value != serial.critical_value
