"""The regression core against statsmodels and pyfixest, and its refusals.

The peer values in tests/data/regression_peers.json were computed once (statsmodels 0.15.0,
pyfixest 0.60.0) on the deterministic, unbalanced panel built by :func:`make_data`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from civicinnov.errors import EstimationError
from civicinnov.evaluation import (
    VCOV_CONVENTIONS,
    RegressionResult,
    WarningCode,
    _regression as core,
    regress,
)

PEERS = json.loads((Path(__file__).parent / "data" / "regression_peers.json").read_text())["values"]
SE_TOL = 1e-6  # pyfixest demeans iteratively (to 1e-8); our two-way demeaning is exact


def make_data() -> dict[str, np.ndarray]:
    n_u, n_t = 12, 6
    u = np.repeat(np.arange(n_u), n_t)
    t = np.tile(np.arange(n_t), n_u)
    i = np.arange(u.size, dtype=float)
    x1 = np.sin(i * 1.3) + 0.1 * t
    x2 = np.cos(i * 0.7) ** 2 + 0.05 * u
    d = ((u < 5) & (t >= 3)).astype(float)
    y = 0.3 * u - 0.2 * t + 0.8 * x1 - 0.5 * x2 + 1.5 * d + np.sin(i * 2.9) * 0.7
    w = 1.0 + (i % 5) / 4.0
    keep = (i % 7) != 3  # unbalanced
    cl = u // 2  # six clusters of two units
    cols = {"u": u, "t": t, "x1": x1, "x2": x2, "d": d, "y": y, "w": w, "cl": cl}
    return {k: v[keep] for k, v in cols.items()}


D = make_data()
X = {"x1": D["x1"], "x2": D["x2"], "d": D["d"]}
AB = {"u": D["u"], "t": D["t"]}


def close(got: object, key: str, rel: float = 1e-9) -> None:
    np.testing.assert_allclose(np.asarray(got), np.asarray(PEERS[key]), rtol=rel, atol=0)


@pytest.mark.parametrize(
    ("ours", "key"),
    [
        ("iid", "ols_nonrobust_se"),
        ("hc0", "ols_HC0_se"),
        ("hc1", "ols_HC1_se"),
        ("hc2", "ols_HC2_se"),
        ("hc3", "ols_HC3_se"),
    ],
)
def test_heteroskedasticity_conventions_match_statsmodels(ours: str, key: str) -> None:
    close(regress(D["y"], X, vcov=ours).se, key)


def test_ols_fit_statistics_match_statsmodels() -> None:
    r = regress(D["y"], X)
    assert r.names == ("const", "x1", "x2", "d")
    close(r.coef, "ols_coef")
    close(r.r2, "ols_r2")
    close(r.adj_r2, "ols_adj_r2")
    close(r.f_stat, "ols_f")
    close(r.f_p, "ols_f_p", rel=1e-8)
    assert r.n_obs == D["y"].size
    assert r.df == r.df_resid == D["y"].size - 4


def test_weighted_least_squares_matches_statsmodels() -> None:
    r = regress(D["y"], X, weights=D["w"], vcov="hc1")
    close(r.coef, "wls_coef")
    close(r.se, "wls_hc1_se")
    close(r.r2, "wls_r2")


def test_newey_west_and_driscoll_kraay_match_statsmodels() -> None:
    nw = regress(D["y"], X, vcov="newey_west", lags=2)
    close(nw.se, "ols_hac2_se")
    assert nw.convention == "newey_west(lags=2)"
    dk = regress(D["y"], X, vcov="driscoll_kraay", lags=1, time=D["t"])
    close(dk.se, "ols_dk1_se")
    # Newey–West over a panel's repeated periods is refused, not silently wrong
    with pytest.raises(EstimationError, match="driscoll_kraay"):
        regress(D["y"], X, vcov="newey_west", time=D["t"])
    with pytest.raises(EstimationError, match="needs the period of each row"):
        regress(D["y"], X, vcov="driscoll_kraay")


def test_two_way_fixed_effects_match_pyfixest() -> None:
    r = regress(D["y"], X, absorb=AB, vcov="crv1", clusters=D["u"])
    assert r.names == ("x1", "x2", "d")
    close(r.coef, "fe2_coef")
    close(r.se, "fe2_crv1_u_se", SE_TOL)
    close(r.r2, "fe2_r2")
    close(r.r2_within, "fe2_r2_within")
    close(r.adj_r2, "fe2_adj_r2")
    assert r.n_absorbed == 12 + 6 - 1
    close(regress(D["y"], X, absorb=AB).se, "fe2_iid_se", SE_TOL)
    close(regress(D["y"], X, absorb=AB, vcov="hc1").se, "fe2_hetero_se", SE_TOL)
    # clusters of two units: the unit effects are nested in them, the period effects are not
    close(regress(D["y"], X, absorb=AB, vcov="crv1", clusters=D["cl"]).se, "fe2_crv1_cl_se", SE_TOL)


def test_weighted_two_way_fixed_effects_match_pyfixest() -> None:
    r = regress(D["y"], X, absorb=AB, vcov="crv1", clusters=D["u"], weights=D["w"])
    close(r.coef, "fe2w_coef")
    close(r.se, "fe2w_crv1_u_se", SE_TOL)


def test_one_way_fixed_effects_match_pyfixest() -> None:
    r = regress(D["y"], X, absorb={"u": D["u"]}, vcov="crv1", clusters=D["u"])
    close(r.coef, "fe1_coef")
    close(r.se, "fe1_crv1_u_se")
    close(regress(D["y"], X, absorb=D["u"], vcov="crv1", clusters=D["cl"]).se, "fe1_crv1_cl_se")


def test_crv3_is_the_jackknife_and_pyfixest_differs_by_its_factor() -> None:
    g, n = 6, D["y"].size
    ols = regress(D["y"], X, vcov="crv3", clusters=D["cl"])
    close(ols.se * np.sqrt((g / (g - 1)) ** 2 * (n - 1) / (n - 4)), "ols_crv3_cl_se")
    # by hand: leave each cluster out, refit, (G-1)/G times the sum of squared deviations
    xm = np.column_stack([np.ones(n), D["x1"], D["x2"], D["d"]])
    full = np.linalg.lstsq(xm, D["y"], rcond=None)[0]
    loo = np.array(
        [np.linalg.lstsq(xm[D["cl"] != c], D["y"][D["cl"] != c], rcond=None)[0] for c in range(g)]
    )
    dev = loo - full
    np.testing.assert_allclose(ols.vcov, (g - 1) / g * dev.T @ dev, rtol=1e-10)
    # with absorbed effects each leave-one-out fit absorbs its own: K = 3 + 6 periods (fixest)
    fe = regress(D["y"], X, absorb=AB, vcov="crv3", clusters=D["cl"])
    close(fe.se * np.sqrt((g / (g - 1)) ** 2 * (n - 1) / (n - 9)), "fe2_crv3_cl_se", SE_TOL)
    assert ols.df == g - 1


def test_ols_crv1_matches_pyfixest() -> None:
    close(regress(D["y"], X, vcov="crv1", clusters=D["cl"]).se, "ols_crv1_cl_se")


def test_every_convention_by_name_gives_a_distinct_se() -> None:
    ses = {}
    for c in VCOV_CONVENTIONS:
        r = regress(D["y"], X, vcov=c, clusters=D["cl"], time=D["t"] if "kraay" in c else None)
        ses[c] = r.term("d").se
        assert r.convention.startswith(c)
    # without absorbed effects fixest's K and the dummy count agree
    assert ses.pop("crv1_lsdv") == ses["crv1"]
    assert len(set(ses.values())) == len(VCOV_CONVENTIONS) - 1


def test_balanced_exact_and_iterative_demeaning_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    u = np.repeat(np.arange(30), 8)
    t = np.tile(np.arange(8), 30)
    x = rng.normal(size=u.size)
    y = u * 0.1 + t * 0.3 + 2 * x + rng.normal(size=u.size)
    balanced = regress(y, {"x": x}, absorb=[u, t])  # closed form on the grid
    shuffled = np.random.default_rng(4).permutation(u.size)
    any_order = regress(y[shuffled], {"x": x[shuffled]}, absorb=[u[shuffled], t[shuffled]])
    weighted = regress(y, {"x": x}, absorb=[u, t], weights=np.ones(u.size))  # the T x T solve
    monkeypatch.setattr(core, "_EXACT_LIMIT", 1)  # force alternating projections
    iterative = regress(y, {"x": x}, absorb=[u, t], weights=np.ones(u.size))
    for other in (any_order, weighted, iterative):
        np.testing.assert_allclose(other.coef, balanced.coef, rtol=1e-9)
        np.testing.assert_allclose(other.se, balanced.se, rtol=1e-8)
    # the dummy-variable regression gives the same coefficient
    dummies = np.column_stack([x, np.eye(30)[u], np.eye(8)[t][:, 1:]])
    lsdv = np.linalg.lstsq(dummies, y, rcond=None)[0]
    assert balanced.coef[0] == pytest.approx(lsdv[0], rel=1e-10)


def test_disconnected_effects_are_counted_by_components() -> None:
    # two groups of units that never share a period: 4 units + 4 periods - 2 components
    u = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    t = np.array([0, 1, 0, 1, 2, 3, 2, 3])
    assert core.absorbed_dof([(u, 4), (t, 4)]) == 6


def test_exactly_identified_model_has_undefined_ses() -> None:
    r = regress([1.0, 3.0], {"x": [0.0, 1.0]})
    assert r.coef.tolist() == pytest.approx([1.0, 2.0])
    assert np.isnan(r.se).all()
    assert r.warning_codes == {WarningCode.UNDEFINED_SE}
    assert np.isnan(r.p_value).all()


def test_refusals_name_what_was_wrong() -> None:
    with pytest.raises(EstimationError, match=r"collinear: \['x2'\]|collinear: \['x1', 'x2'\]"):
        regress([1.0, 2.0, 3.0, 5.0], {"x1": [1.0, 2, 3, 4], "x2": [2.0, 4, 6, 8]})
    with pytest.raises(EstimationError, match="at least 2 clusters, got 1"):
        regress(D["y"], X, vcov="crv1", clusters=np.zeros(D["y"].size))
    with pytest.raises(EstimationError, match="need clusters"):
        regress(D["y"], X, vcov="crv1")
    with pytest.raises(EstimationError, match="leverage-adjusted"):
        regress(D["y"], X, vcov="hc2", absorb=D["u"])
    with pytest.raises(EstimationError, match="unknown convention 'hc4'"):
        regress(D["y"], X, vcov="hc4")
    with pytest.raises(EstimationError, match="negative"):
        regress([1.0, 2.0, 3.0], {"x": [0, 1, 3]}, weights=[1, -1, 1])
    with pytest.raises(EstimationError, match="expected 3 values"):
        regress([1.0, 2.0, 3.0], {"x": [0, 1]})
    with pytest.raises(EstimationError, match="at most two sets"):
        regress(D["y"], X, absorb=[D["u"], D["t"], D["cl"]])
    with pytest.raises(EstimationError, match="expected numbers per row"):
        regress([1.0, 2.0, 3.0], {"x": ["a", "b", "c"]})
    with pytest.raises(EstimationError, match="'const' is the intercept"):
        regress([1.0, 2.0, 3.0], {"const": [1.0, 1.0, 1.0]})


def test_missing_rows_and_zero_weights_are_left_out() -> None:
    y = np.array([1.0, 2.0, np.nan, 4.1, 5.0, 6.2])
    x = np.array([0.0, 1.0, 2.0, 3.0, np.nan, 5.0])
    r = regress(y, {"x": x})
    ref = regress(y[[0, 1, 3, 5]], {"x": x[[0, 1, 3, 5]]})
    assert r.n_obs == 4
    np.testing.assert_allclose(r.coef, ref.coef)
    w = regress(y, {"x": x}, weights=[1.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    assert w.n_obs == 3


def test_inputs_as_quantities_and_series_keep_the_unit() -> None:
    from civicinnov.metrics import MetricSeries
    from civicinnov.periods import YEAR
    from civicinnov.units import get_registry

    q = get_registry().Quantity(np.array([10.0, 12.0, 15.0, 15.5, 18.0]), "incident")
    r = regress(q, {"x": [0, 1, 2, 3, 4]})
    assert str(r.outcome_unit) == "incident"
    assert r.quantity("x").units == get_registry().Unit("incident")
    s = MetricSeries(
        metric_id="m",
        place_id="p",
        period_type=YEAR,
        ordinals=[2019, 2020, 2021, 2022, 2023],
        values=[10.0, 12.0, 15.0, 15.5, 18.0],
        unit="incident",
    )
    rain = MetricSeries(
        metric_id="rain",
        place_id="p",
        period_type=YEAR,
        ordinals=[2019, 2020, 2021, 2022, 2023],
        values=[0.0, 1.0, 2.0, 3.0, 4.0],
        unit="mm",
    )
    via_series = regress(s, {"x": rain})
    np.testing.assert_allclose(via_series.coef, r.coef)
    converted = regress(q, {"x": [0, 1, 2, 3, 4]}, unit="kiloincident")
    assert converted.coef[1] == pytest.approx(r.coef[1] / 1000)


def test_pandas_columns_name_the_terms() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"Price": D["x1"], "Rain fall": D["x2"]})
    r = regress(pd.Series(D["y"]), frame, absorb=pd.DataFrame({"u": D["u"]}))
    with pytest.raises(EstimationError, match="expected numbers per row"):
        regress(pd.Series(D["y"]), {"town": pd.Series(["a"] * D["y"].size)})
    assert r.names == ("Price", "Rain fall")
    ref = regress(D["y"], {"Price": D["x1"], "Rain fall": D["x2"]}, absorb=D["u"])
    np.testing.assert_allclose(r.coef, ref.coef)


def test_result_table_dict_and_text() -> None:
    r = regress(D["y"], X, vcov="hc1", unit="case")
    assert isinstance(r, RegressionResult)
    rows = r.table()
    assert [row["name"] for row in rows] == ["const", "x1", "x2", "d"]
    assert rows[3]["estimate"] == r.term("d").value
    assert rows[3]["ci_low"] < rows[3]["estimate"] < rows[3]["ci_high"]
    d = r.to_dict()
    json.dumps(d)
    assert d["convention"] == "hc1"
    assert d["outcome_unit"] == "case"
    text = str(r)
    assert "x2" in text
    assert "R²" in text
    assert "hc1" in text
    with pytest.raises(KeyError, match="known terms"):
        r.term("nope")
    # an intercept-only model has no F test
    assert np.isnan(regress(D["y"]).f_stat)
