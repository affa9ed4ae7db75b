"""The covariate case of tests/data/cases2.json (``mpdta_cs_covariates``), value by value.

Callaway & Sant'Anna on mpdta with ``lpop`` as the covariate (R ``did``'s ``xformla = ~lpop``):
every ATT(g,t) and its analytic SE for the doubly robust, IPW and outcome-regression estimators,
against never- and not-yet-treated comparison units; the four aggregations; the Wald pre-test.
Every ``expected[]`` value must fall within ``abs_tol + rel_tol * |value|`` and every
``published[]`` value within its ``abs_tol`` (R prints multiplier-bootstrap SEs, which are
random: they are compared with the analytic SE within their band, and with our seeded bootstrap).
The ``prop99_synth`` case of the same file is a synthetic-control case, tested with that
estimator.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from civicinnov.evaluation.impact import Panel, StaggeredResult, callaway_santanna

DATA = Path(__file__).parent / "data"
CASE_ID = "mpdta_cs_covariates"
METHODS = ("dr", "ipw", "reg")
CONTROLS = {"never": "", "notyet": "nyt_"}


def _case() -> dict:
    doc = json.loads((DATA / "cases2.json").read_text())
    return next(c for c in doc["cases"] if c["id"] == CASE_ID)


CASE = _case()


@cache
def mpdta_panel() -> Panel:
    with (DATA / "mpdta.csv").open(newline="") as fh:
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


@cache
def fit(method: str, control: str) -> StaggeredResult:
    return callaway_santanna(mpdta_panel(), controls=["lpop"], est_method=method, control=control)


@cache
def values() -> dict[str, float]:
    got: dict[str, float] = {}
    for method in METHODS:
        for control, tag in CONTROLS.items():
            prefix = f"{method}_{tag}"
            res = fit(method, control)
            for cell in res.cells:
                got[prefix + cell.name] = cell.value
                got[f"{prefix}{cell.name}_se"] = cell.se
            for kind in ("simple", "dynamic", "group", "calendar"):
                for term in res.aggregate(kind).terms:
                    got[prefix + term.name] = term.value
                    got[f"{prefix}{term.name}_se"] = term.se
            test = res.pretest()
            got[f"{prefix}pretest_W"] = test["wald"]
            got[f"{prefix}pretest_pvalue"] = test["p_value"]
    return got


def _params(kind: str) -> list[object]:
    return [pytest.param(item, id=item["key"]) for item in CASE[kind]]


def test_case_covers_every_method_and_comparison() -> None:
    keys = {item["key"] for item in CASE["expected"]}
    assert len(keys) == 372
    assert keys <= set(values())


@pytest.mark.parametrize("item", _params("expected"))
def test_expected(item: dict) -> None:
    got = values()
    assert item["key"] in got, f"no value computed for {item['key']}"
    tol = item.get("abs_tol", 0.0) + item.get("rel_tol", 0.0) * abs(item["value"])
    assert abs(got[item["key"]] - item["value"]) <= tol, (got[item["key"]], item["value"])


@pytest.mark.parametrize("item", _params("published"))
def test_published(item: dict) -> None:
    got = values()
    assert abs(got[item["key"]] - item["value"]) <= item["abs_tol"], (
        got[item["key"]],
        item["printed"],
    )


def test_expected_to_1e8_where_the_peers_agree() -> None:
    """The peers agree to 1.6e-14; the cells and aggregations match them to 1e-8 relative."""
    got = values()
    for item in CASE["expected"]:
        if not item["key"].endswith("pvalue"):
            assert got[item["key"]] == pytest.approx(item["value"], rel=1e-8, abs=1e-12), item


def test_covariates_change_the_estimates() -> None:
    """Conditioning on lpop moves every method away from the unconditional estimate."""
    plain = callaway_santanna(mpdta_panel())
    for method in METHODS:
        cond = fit(method, "never")
        assert cond.control_names == ("lpop",)
        assert np.max(np.abs(cond.att - plain.att)) > 1e-4


def test_methods_differ_but_agree_without_covariates() -> None:
    dr, ipw, reg = (fit(m, "never").att for m in METHODS)
    assert np.max(np.abs(dr - ipw)) > 1e-4
    assert np.max(np.abs(dr - reg)) > 1e-4
    plain = [callaway_santanna(mpdta_panel(), est_method=m).att for m in METHODS]
    np.testing.assert_array_equal(plain[0], plain[1])
    np.testing.assert_array_equal(plain[0], plain[2])


@pytest.mark.parametrize("method", METHODS)
def test_bootstrap_se_within_published_band(method: str) -> None:
    """R prints multiplier-bootstrap SEs for the cells; ours, seeded, fall in the same band."""
    res = fit(method, "never")
    bands = res.bootstrap(iterations=1000, seed=20240612)
    published = {p["key"]: p for p in CASE["published"]}
    checked = 0
    for name, se in zip(bands.names, bands.se, strict=True):
        item = published.get(f"{method}_{name}_se")
        if item is not None and item["abs_tol"] >= 0.005:
            assert abs(se - item["value"]) <= item["abs_tol"], (name, se, item["value"])
            checked += 1
    assert checked == (12 if method == "dr" else 0)
    assert np.all(bands.lower <= bands.estimates)
    assert bands.critical_value > 1.96


def test_pretest_matches_r_rounding() -> None:
    """R prints round(p, 5); the unrounded p-value rounds to the printed one."""
    assert round(fit("dr", "never").pretest()["p_value"], 5) == 0.23267
    assert fit("dr", "never").pretest()["df"] == 5.0
