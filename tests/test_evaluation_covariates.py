"""Covariates, trends, event windows and seasons: textbook time series and panels with controls.

tests/data/textbook_time_series.json holds statsmodels values (``expected``) and the figures
printed in Wooldridge's *Introductory Econometrics*, ch. 10 (``published``, within half a unit of
the last printed digit), for models that :func:`interrupted_time_series` and :func:`trend` now
express with their own terms.
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from civicinnov.errors import EstimationError, PanelError, ValidationError
from civicinnov.evaluation import (
    EarlyTreatmentWarning,
    Panel,
    WarningCode,
    callaway_santanna,
    did_2x2,
    event_study,
    first_difference,
    interrupted_time_series,
    regress,
    synthetic_control,
    trend,
    twfe,
)
from civicinnov.metrics import MetricSeries
from civicinnov.periods import MONTH, QUARTER, YEAR

DATA = Path(__file__).parent / "data"
DOC = json.loads((DATA / "textbook_time_series.json").read_text())


def _columns(name: str) -> dict[str, np.ndarray]:
    with (DATA / name).open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


@cache
def values() -> dict[str, float]:
    got: dict[str, float] = {}

    def take(prefix: str, result: object, names: dict[str, str]) -> None:
        reg = result.regression if hasattr(result, "regression") else None
        for theirs, ours in names.items():
            term = result.term(ours)
            got[f"{prefix}_{theirs}"] = term.value
            got[f"{prefix}_{theirs}_se"] = term.se
        got[f"{prefix}_r2"] = reg.r2 if reg is not None else result.r2

    f = _columns("fertil3.csv")
    year = f["year"].astype(int)
    common = {"interruption": {"pill": 1963}, "events": {"ww2": (1941, 1945)}, "unit": ""}
    ex104 = interrupted_time_series(
        year, f["gfr"], model="level", controls={"pe": f["pe"]}, **common
    )
    take("fert104", ex104, {"Intercept": "const", "pe": "pe", "ww2": "ww2", "pill": "pill"})
    ex108 = interrupted_time_series(
        year, f["gfr"], model="shift", controls={"pe": f["pe"]}, **common
    )
    take("fert108", ex108, {"pe": "pe", "ww2": "ww2", "pill": "pill", "t": "t"})
    # our t counts from 0 in 1913, the book's from 1: the intercepts differ by one slope
    got["fert108_Intercept"] = ex108.term("const").value - ex108.term("t").value
    got["fert108_Intercept_se"] = float(
        np.sqrt(np.array([1.0, -1.0]) @ ex108.regression.vcov[:2, :2] @ np.array([1.0, -1.0]))
    )
    ex108q = interrupted_time_series(
        year, f["gfr"], model="shift", trend="quadratic", controls={"pe": f["pe"]}, **common
    )
    take("fert108q", ex108q, {"pe": "pe", "ww2": "ww2", "pill": "pill", "tsq": "t2"})

    b = _columns("barium.csv")
    t = b["t"].astype(int)  # months, t = 1 is February 1978
    events = {"befile6": (63, 68), "affile6": (70, 75), "afdec6": (82, 87)}
    ctrl = {k: b[k] for k in ("lchempi", "lgas", "lrtwex")}
    ex105 = interrupted_time_series(
        t, b["lchnimp"], events=events, model="level", controls=ctrl, unit=""
    )
    names = {k: k for k in ("lchempi", "lgas", "lrtwex", *events)}
    take("bar105", ex105, {"Intercept": "const", **names})
    ex1011 = interrupted_time_series(
        t, b["lchnimp"], events=events, model="level", controls=ctrl, seasonal=12, unit=""
    )
    # season k holds the months with t mod 12 == k: February is 1, December 11
    take("bar1011", ex1011, {**{k: k for k in events}, "feb": "season_1", "dec": "season_11"})

    h = _columns("hseinv.csv")
    inv = MetricSeries(
        metric_id="investment",
        place_id="us",
        period_type=YEAR,
        ordinals=h["year"].astype(int) - 1970,
        values=h["linvpc"],
        unit="",
    )
    ex107 = trend(inv, time="periods", controls={"lprice": h["lprice"]})
    take("hse107", ex107, {"lprice": "lprice", "t": "slope"})
    return got


@pytest.mark.parametrize("item", DOC["expected"], ids=lambda i: i["key"])
def test_expected(item: dict) -> None:
    got = values()[item["key"]]
    rel = 1e-6 if item["key"].endswith("_se") else 1e-8
    assert got == pytest.approx(item["value"], rel=rel, abs=1e-12)


@pytest.mark.parametrize("item", DOC["published"], ids=lambda i: i["key"])
def test_published(item: dict) -> None:
    assert abs(values()[item["key"]] - item["value"]) <= item["abs_tol"]


def test_seasonal_dummies_and_headline() -> None:
    b = _columns("barium.csv")
    r = interrupted_time_series(
        b["t"].astype(int),
        b["lchnimp"],
        events={"afdec6": (82, 87)},
        model="level",
        seasonal=12,
        unit="",
    )
    assert [x.name for x in r.terms][:2] == ["const", "afdec6"]
    assert [x.name for x in r.terms][2:] == [f"season_{k}" for k in range(1, 12)]
    assert r.estimate.name == "afdec6"
    assert r.regression is not None
    assert r.regression.n_obs == 131


def test_several_interruptions_with_slope_changes() -> None:
    per = np.arange(30)
    y = 1.0 + 0.5 * per + np.where(per >= 10, 3.0, 0) + np.where(per >= 20, (per - 20) * -1.0, 0)
    y = y + np.sin(per) * 0.01
    r = interrupted_time_series(per, y, interruption=[10, 20], unit="case")
    assert [t.name for t in r.terms] == [
        "const",
        "t",
        "post_10",
        "t_post_10",
        "post_20",
        "t_post_20",
    ]
    assert r.estimate.name == "post_10"
    assert r.estimate.value == pytest.approx(3.0, abs=0.05)
    assert r.term("t_post_20").value == pytest.approx(-1.0, abs=0.01)
    with pytest.raises(EstimationError, match="hold 10, 10, 1 observations"):
        interrupted_time_series(per[:21], y[:21], interruption=[10, 20], unit="case")
    with pytest.raises(EstimationError, match="at least one interruption"):
        interrupted_time_series(per, y, unit="case")
    with pytest.raises(EstimationError, match="end before they start"):
        interrupted_time_series(per, y, events={"x": (5, 3)}, unit="case")
    with pytest.raises(EstimationError, match="no observation falls"):
        interrupted_time_series(per, y, events={"x": (50, 53)}, unit="case")
    with pytest.raises(EstimationError, match="'segmented', 'shift' or 'level'"):
        interrupted_time_series(per, y, interruption=10, model="kinked", unit="case")
    with pytest.raises(EstimationError, match="one series"):
        interrupted_time_series(per, y, interruption=10, vcov="crv1", unit="case")


def test_trend_on_period_indices_is_exact_per_period() -> None:
    years = np.arange(2001, 2011)
    s = MetricSeries(
        metric_id="m",
        place_id="p",
        period_type=YEAR,
        ordinals=years - 1970,  # YEAR ordinals count years from 1970
        values=3.0 * (years - 2000) + np.sin(years),
        unit="incident",
    )
    by_period = trend(s, time="periods")
    by_date = trend(s)
    ref = regress(s.values, {"year": years - 2000})  # centred: well conditioned
    assert by_period.slope.magnitude == pytest.approx(ref.term("year").value, rel=1e-12)
    assert by_period.se.magnitude == pytest.approx(ref.term("year").se, rel=1e-10)
    assert by_period.r2 == pytest.approx(ref.r2, rel=1e-12)
    assert str(by_period.slope.units) == "incident / year"
    # midpoints of years are not evenly spaced (leap years): the date fit differs slightly
    assert by_date.slope.magnitude != pytest.approx(ref.term("year").value, rel=1e-9)
    assert by_period.n_obs == by_period.n == 10
    assert by_period.stderr == by_period.se
    assert [t.name for t in by_period.terms] == ["const", "slope"]
    # forecasts work on the period axis: the value on a date is the value of its period
    f = by_period.forecast(["2012-06-30"])
    expect = ref.term("const").value + ref.term("year").value * 12
    assert float(f.value.magnitude[0]) == pytest.approx(expect, rel=1e-10)


def test_trend_per_period_units() -> None:
    q = MetricSeries(
        metric_id="m",
        place_id="p",
        period_type=QUARTER,
        ordinals=np.arange(200, 208),
        values=np.arange(8) * 2.0 + np.array([0, 0.1, -0.1, 0, 0.2, 0, 0, -0.2]),
        unit="call",
    )
    t = trend(q, time="periods")
    slope_per_quarter = regress(q.values, {"q": np.arange(8)}).term("q").value
    assert str(t.slope.units) == "call / year"
    assert t.slope.magnitude == pytest.approx(4 * slope_per_quarter, rel=1e-12)
    m = MetricSeries(
        metric_id="m",
        place_id="p",
        period_type=MONTH,
        ordinals=np.arange(600, 612),
        values=np.arange(12) * 1.5,
        unit="call",
    )
    assert str(trend(m, time="periods").slope.units) == "call / month"
    assert trend(m, time="periods", per="year").slope.magnitude == pytest.approx(18.0)
    with pytest.raises(ValidationError, match="needs a MetricSeries"):
        trend(m.quantity, dates=["2020-01-01"] * 12, time="periods")
    with pytest.raises(ValidationError, match="'dates' or 'periods'"):
        trend(m, time="weeks")


def test_trend_with_controls_has_no_line_of_its_own() -> None:
    h = _columns("hseinv.csv")
    s = MetricSeries(
        metric_id="inv",
        place_id="us",
        period_type=YEAR,
        ordinals=h["year"].astype(int) - 1970,
        values=h["linvpc"],
        unit="",
    )
    t = trend(s, time="periods", controls={"lprice": h["lprice"]})
    assert t.controls == ("lprice",)
    with pytest.raises(EstimationError, match="need their values too"):
        t.forecast(["1990-01-01"])
    with pytest.raises(ValidationError, match="line's own terms"):
        trend(s, time="periods", controls={"slope": h["lprice"]})


# ---------------------------------------------------------------------- panels with controls
def _panel_with_controls(n_units: int = 40, n_periods: int = 6, seed: int = 5) -> dict:
    rng = np.random.default_rng(seed)
    u = np.repeat(np.arange(n_units), n_periods)
    t = np.tile(np.arange(2010, 2010 + n_periods), n_units)
    first = np.where(np.arange(n_units) < n_units // 2, 2013, 0)[u]
    d = ((first > 0) & (t >= first)).astype(float)
    x1 = rng.normal(size=u.size) + 0.3 * d
    x2 = rng.normal(size=u.size) + 0.1 * (t - 2010)
    y = rng.normal(size=n_units)[u] + 0.2 * (t - 2010) + 1.5 * d + 0.7 * x1 - 0.4 * x2
    y = y + rng.normal(scale=0.3, size=u.size)
    return {"u": u, "t": t, "first": first, "d": d, "x1": x1, "x2": x2, "y": y}


def test_twfe_with_time_varying_controls_equals_regress_with_absorbed_effects() -> None:
    raw = _panel_with_controls()
    p = Panel.from_arrays(
        units=raw["u"],
        periods=raw["t"],
        outcome=raw["y"],
        unit="case",
        first_treated=raw["first"],
        never=0,
        controls={"x1": raw["x1"], "x2": raw["x2"]},
    )
    r = twfe(p, controls=["x1", "x2"])
    ref = regress(
        raw["y"],
        {"treated": raw["d"], "x1": raw["x1"], "x2": raw["x2"]},
        absorb=[raw["u"], raw["t"]],
        vcov="crv1",
        clusters=raw["u"],
    )
    assert [t.name for t in r.terms] == ["treated", "x1", "x2"]
    np.testing.assert_allclose([t.value for t in r.terms], ref.coef, rtol=1e-12)
    np.testing.assert_allclose([t.se for t in r.terms], ref.se, rtol=1e-12)
    assert r.regression is not None
    assert r.regression.r2_within == pytest.approx(ref.r2_within)


def build_again(raw: dict) -> Panel:
    return Panel.from_arrays(
        units=raw["u"],
        periods=raw["t"],
        outcome=raw["y"],
        unit="case",
        first_treated=raw["first"],
        never=0,
        controls={"x1": raw["x1"], "x2": raw["x2"]},
    )


def test_first_difference_with_two_periods_equals_twfe() -> None:
    raw = _panel_with_controls(n_periods=2)
    raw["first"] = np.where(raw["first"] > 0, 2011, 0)
    raw["d"] = ((raw["first"] > 0) & (raw["t"] >= 2011)).astype(float)
    p = Panel.from_arrays(
        units=raw["u"],
        periods=raw["t"],
        outcome=raw["y"] + raw["d"],
        unit="case",
        first_treated=raw["first"],
        never=0,
        controls={"x1": raw["x1"]},
    )
    fd = first_difference(p, controls=["x1"], vcov="hc1")
    tw = twfe(p, controls=["x1"], vcov="hc1")
    assert fd.estimate.value == pytest.approx(tw.estimate.value, rel=1e-10)
    assert fd.n_obs == 40
    assert fd.estimator == "first_difference"
    assert fd.stats["n_pairs"] == 40


def test_first_difference_matches_regress_on_differences() -> None:
    raw = _panel_with_controls()
    p = Panel.from_arrays(
        units=raw["u"],
        periods=raw["t"],
        outcome=raw["y"],
        unit="case",
        first_treated=raw["first"],
        never=0,
        controls={"x1": raw["x1"], "x2": raw["x2"]},
    )
    fd = first_difference(p, controls=["x1", "x2"], period_effects=False, vcov="crv1")
    n_t = 6
    dif = {k: np.diff(raw[k].reshape(-1, n_t), axis=1).ravel() for k in ("y", "d", "x1", "x2")}
    ids = np.repeat(np.arange(40), n_t - 1)
    ref = regress(
        dif["y"],
        {"treated": dif["d"], "x1": dif["x1"], "x2": dif["x2"]},
        vcov="crv1",
        clusters=ids,
    )
    assert [t.name for t in fd.terms] == ["const", "treated", "x1", "x2"]
    np.testing.assert_allclose([t.value for t in fd.terms], ref.coef, rtol=1e-10)
    np.testing.assert_allclose([t.se for t in fd.terms], ref.se, rtol=1e-10)
    cs = Panel.from_cross_sections(
        periods=[0, 0, 1, 1],
        outcome=[1.0, 2.0, 3.0, 4.0],
        treated=[1, 0, 1, 0],
        adoption=1,
        unit="",
    )
    with pytest.raises(PanelError, match="repeated cross-sections"):
        first_difference(cs)


# ---------------------------------------------------------------------- long tables
def test_long_table_with_treatment_indicator_names_the_terms() -> None:
    raw = _panel_with_controls()
    table = {
        "city": raw["u"],
        "year": raw["t"],
        "calls": raw["y"],
        "program": raw["d"],
        "rain": raw["x1"],
    }
    p = Panel.from_long(
        table, units="city", periods="year", outcome="calls", treatment="program",
        controls=["rain"], unit="call",
    )  # fmt: skip
    assert sorted(set(p.cohort.tolist())) == [2013.0, math.inf]
    r = twfe(p, controls=["rain"])
    assert [t.name for t in r.terms] == ["program", "rain"]
    by_first = Panel.from_arrays(
        units=raw["u"], periods=raw["t"], outcome=raw["y"], unit="call",
        first_treated=raw["first"], never=0, controls={"rain": raw["x1"]},
    )  # fmt: skip
    assert r.estimate.value == pytest.approx(twfe(by_first, controls=["rain"]).estimate.value)
    with pytest.raises(PanelError, match=r"no column\(s\) \['rainfall'\]"):
        Panel.from_long(
            table, units="city", periods="year", outcome="calls", treatment="program",
            controls=["rainfall"], unit="call",
        )  # fmt: skip


def test_long_table_from_pandas() -> None:
    pd = pytest.importorskip("pandas")
    raw = _panel_with_controls()
    frame = pd.DataFrame(
        {"City": raw["u"], "Year": raw["t"], "Calls": raw["y"], "First": raw["first"]}
    )
    frame.loc[3, "Calls"] = np.nan
    p = Panel.from_long(
        frame, units="City", periods="Year", outcome="Calls", first_treated="First", never=0,
        unit="call",
    )  # fmt: skip
    assert p.n_obs == raw["y"].size - 1
    assert p.rows.n_dropped == 1


def test_treatment_that_switches_off_is_refused() -> None:
    with pytest.raises(PanelError, match=r"switches off .* unit 'b' is treated from period 2"):
        Panel.from_arrays(
            units=["a", "a", "a", "b", "b", "b"],
            periods=[1, 2, 3] * 2,
            outcome=[1.0] * 6,
            unit="",
            treatment=[0, 0, 1, 0, 1, 0],
        )
    with pytest.raises(PanelError, match="exactly one of them"):
        Panel.from_arrays(units=[1], periods=[1], outcome=[1.0], unit="")
    with pytest.raises(PanelError, match="expected 0/1"):
        Panel.from_arrays(
            units=[1, 1], periods=[1, 2], outcome=[1.0, 2.0], unit="", treatment=[0, 2]
        )


def test_treatment_that_switches_off_is_kept_when_allowed() -> None:
    raw = _panel_with_controls()
    # half of the treated units stop in the last period
    stop = (raw["first"] > 0) & (raw["u"] % 2 == 0) & (raw["t"] == raw["t"].max())
    d = raw["d"] * ~stop
    table = {"city": raw["u"], "year": raw["t"], "calls": raw["y"], "program": d}
    p = Panel.from_long(
        table, units="city", periods="year", outcome="calls", treatment="program",
        unit="call", allow_switch_off=True,
    )  # fmt: skip
    assert p.switches_off
    np.testing.assert_array_equal(p.treated_rows, d.astype(bool))
    r = twfe(p, vcov="hc1")
    ref = regress(raw["y"], {"program": d}, absorb=[raw["u"], raw["t"]], vcov="hc1")
    assert r.estimate.value == pytest.approx(ref.coef[0], rel=1e-12)
    fd = first_difference(p, vcov="hc1")
    assert fd.estimate.name == "program"
    for refused in (did_2x2, event_study, callaway_santanna):
        with pytest.raises(PanelError, match="switches off"):
            refused(p)
    with pytest.raises(EstimationError, match="switches off"):
        synthetic_control(p, treated=int(raw["u"][raw["first"] > 0][0]))
    with pytest.raises(PanelError, match="allow_switch_off=True"):
        Panel.from_long(
            table, units="city", periods="year", outcome="calls", treatment="program",
            unit="call",
        )  # fmt: skip


def test_first_treated_before_every_period_warns() -> None:
    with pytest.warns(EarlyTreatmentWarning, match="pass never=0"):
        p = Panel.from_arrays(
            units=[1, 1, 2, 2, 3, 3],
            periods=[2003, 2004] * 3,
            outcome=[1.0, 2.0, 1.0, 1.0, 0.0, 0.5],
            unit="",
            first_treated=[2004, 2004, 0, 0, 0, 0],
        )
    assert p.cohorts.tolist() == [0.0, 2004.0]


# ---------------------------------------------------------------------- degenerate designs
def test_four_cell_means_give_the_estimate_and_an_undefined_se() -> None:
    # Card & Krueger style: two units (NJ, PA) in two years, one mean each
    p = Panel.from_arrays(
        units=["NJ", "NJ", "PA", "PA"],
        periods=[1992, 1993] * 2,
        outcome=[20.44, 21.03, 23.33, 21.17],
        unit="",
        first_treated={"NJ": 1993, "PA": None},
    )
    r = did_2x2(p)
    assert r.estimate.value == pytest.approx((21.03 - 20.44) - (21.17 - 23.33))
    assert math.isnan(r.estimate.se)
    assert math.isnan(r.estimate.p_value)
    assert WarningCode.UNDEFINED_SE in r.warning_codes
    assert "fits exactly" in str(r.summary())
    tw = twfe(p)
    assert tw.estimate.value == pytest.approx(r.estimate.value)
    assert WarningCode.UNDEFINED_SE in tw.warning_codes


def test_a_single_cluster_is_refused() -> None:
    p = Panel.from_arrays(
        units=[1, 1, 2, 2, 3, 3],
        periods=[0, 1] * 3,
        outcome=[1.0, 2.5, 1.0, 1.2, 0.5, 0.9],
        unit="",
        first_treated={1: 1, 2: None, 3: None},
        clusters=["x"] * 6,
    )
    with pytest.raises(EstimationError, match="at least 2 clusters, got 1"):
        twfe(p)
