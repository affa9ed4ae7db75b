"""Hypothesis properties of the regression core and the estimators built on it, with covariates.

For :func:`regress`, :func:`did_2x2` and :func:`twfe` with time-varying controls,
:func:`first_difference` and :func:`interrupted_time_series` with controls and seasons:

- adding a constant to the outcome leaves every effect (and SE) unchanged;
- scaling the outcome by k scales the estimates by k and the SEs by |k|;
- permuting the rows, or relabelling the units, changes nothing;
- converting the outcome's unit converts the result's unit and its magnitudes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from civicinnov.evaluation import (
    VCOV_CONVENTIONS,
    ImpactResult,
    Panel,
    did_2x2,
    first_difference,
    interrupted_time_series,
    regress,
    twfe,
)
from civicinnov.units import get_registry

SETTINGS = settings(max_examples=20, deadline=None)


@dataclass
class Data:
    units: np.ndarray
    periods: np.ndarray
    first: np.ndarray  # per row, 0 = never
    x1: np.ndarray
    x2: np.ndarray
    y: np.ndarray


@st.composite
def panels(draw: st.DrawFn) -> Data:
    n_units = draw(st.integers(8, 16))
    n_periods = draw(st.integers(3, 6))
    adopt = draw(st.integers(2, n_periods))
    n_treated = draw(st.integers(3, n_units - 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    units = np.repeat(np.arange(n_units), n_periods)
    periods = np.tile(np.arange(1, n_periods + 1), n_units)
    first = np.where(np.arange(n_units) < n_treated, adopt, 0)[units]
    x1 = rng.normal(size=units.size)
    x2 = rng.normal(size=units.size) + 0.2 * periods
    y = rng.normal(size=n_units)[units] + periods + 0.5 * x1 + rng.normal(size=units.size) * 2
    y = y + np.where((first > 0) & (periods >= first), 1.5, 0.0)
    return Data(units=units, periods=periods, first=first, x1=x1, x2=x2, y=y)


def build(
    d: Data, y: np.ndarray | None = None, unit: str = "incident", ids: object = None
) -> Panel:
    return Panel.from_arrays(
        units=d.units if ids is None else ids,
        periods=d.periods,
        outcome=d.y if y is None else y,
        unit=unit,
        first_treated=d.first,
        never=0,
        controls={"x1": d.x1, "x2": d.x2},
    )


def effects(p: Panel) -> list[tuple[str, float, float]]:
    """Every (name, estimate, SE) of the covariate-adjusted panel estimators (no intercepts)."""
    out: list[tuple[str, float, float]] = []

    def add(prefix: str, res: ImpactResult) -> None:
        out.extend((f"{prefix}:{t.name}", t.value, t.se) for t in res.terms if t.name != "const")

    two_periods = p.select((p.periods == p.period_values[0]) | (p.periods == p.period_values[-1]))
    add("did", did_2x2(two_periods, controls=["x1", "x2"]))
    add("twfe", twfe(p, controls=["x1", "x2"]))
    add("twfe_dk", twfe(p, controls=["x1"], vcov="driscoll_kraay"))
    add("fd", first_difference(p, controls=["x1", "x2"]))
    return out


def close(
    a: list[tuple[str, float, float]], b: list[tuple[str, float, float]], k: float = 1.0
) -> None:
    assert [n for n, *_ in a] == [n for n, *_ in b]
    va, vb = np.array([v for _, v, _ in a]), np.array([v for _, v, _ in b])
    sa, sb = np.array([s for *_, s in a]), np.array([s for *_, s in b])
    scale = max(1.0, float(np.abs(va).max())) * abs(k)
    np.testing.assert_allclose(vb, k * va, rtol=1e-7, atol=1e-9 * scale)
    np.testing.assert_allclose(sb, abs(k) * sa, rtol=1e-6, atol=1e-9 * scale)


@SETTINGS
@given(d=panels(), c=st.floats(-1e3, 1e3))
def test_adding_a_constant_changes_no_effect(d: Data, c: float) -> None:
    close(effects(build(d)), effects(build(d, d.y + c)))


@SETTINGS
@given(d=panels(), k=st.sampled_from([-3.0, -0.5, 0.001, 2.0, 1000.0]))
def test_scaling_scales_estimates_and_ses(d: Data, k: float) -> None:
    close(effects(build(d)), effects(build(d, d.y * k)), k=k)


@SETTINGS
@given(d=panels(), seed=st.integers(0, 1000))
def test_row_order_and_unit_labels_change_nothing(d: Data, seed: int) -> None:
    rng = np.random.default_rng(seed)
    order = rng.permutation(d.units.size)
    shuffled = Data(
        units=d.units[order],
        periods=d.periods[order],
        first=d.first[order],
        x1=d.x1[order],
        x2=d.x2[order],
        y=d.y[order],
    )
    names = np.array([f"city-{i}" for i in rng.permutation(d.units.max() + 1)], dtype=object)
    close(effects(build(d)), effects(build(shuffled, ids=names[shuffled.units])))


@SETTINGS
@given(d=panels())
def test_converting_the_outcome_unit_converts_the_result(d: Data) -> None:
    p_km = build(d, unit="km")
    p_m = p_km.to("m")
    for fn in (twfe, first_difference):
        r_km, r_m = fn(p_km, controls=["x1"]), fn(p_m, controls=["x1"])
        assert str(r_m.outcome_unit) == "meter"
        assert r_m.quantity.to("km").magnitude == pytest.approx(
            r_km.estimate.value, rel=1e-9, abs=1e-9
        )
        assert r_m.estimate.se == pytest.approx(1000 * r_km.estimate.se, rel=1e-9)


# ---------------------------------------------------------------------- regress
@SETTINGS
@given(
    d=panels(),
    vcov=st.sampled_from(VCOV_CONVENTIONS),
    absorb=st.booleans(),
    weighted=st.booleans(),
    c=st.floats(-1e3, 1e3),
    k=st.sampled_from([-2.0, 0.01, 7.0]),
)
def test_regress_constant_scale_and_order(
    d: Data, vcov: str, absorb: bool, weighted: bool, c: float, k: float
) -> None:
    if absorb and vcov in ("hc2", "hc3"):
        absorb = False  # leverage is not defined with absorbed effects (refused, tested elsewhere)
    kw = {
        "vcov": vcov,
        "clusters": d.units,
        "time": d.periods if vcov == "driscoll_kraay" else None,
        "absorb": [d.units, d.periods] if absorb else None,
        "weights": 1.0 + (d.x1 > 0) if weighted else None,
    }
    if vcov == "newey_west":  # one series: the rows of the first unit, in time order
        first_unit = d.units == 0
        d = Data(
            **{f: getattr(d, f)[first_unit] for f in ("units", "periods", "first", "x1", "x2", "y")}
        )
        kw.update(clusters=None, absorb=None, weights=None, time=d.periods)
    x = {"x1": d.x1, "x2": d.x2}
    base = regress(d.y, x, **kw)
    shifted = regress(d.y + c, x, **kw)
    scaled = regress(d.y * k, x, **kw)
    slopes = [i for i, n in enumerate(base.names) if n != "const"]
    tol = 1e-7 * (1 + abs(c) + float(np.abs(d.y).max()))
    np.testing.assert_allclose(shifted.coef[slopes], base.coef[slopes], rtol=1e-7, atol=tol)
    np.testing.assert_allclose(shifted.se, base.se, rtol=1e-6, atol=tol)
    np.testing.assert_allclose(scaled.coef, k * base.coef, rtol=1e-7, atol=tol * abs(k))
    np.testing.assert_allclose(scaled.se, abs(k) * base.se, rtol=1e-6, atol=tol * abs(k))
    order = np.random.default_rng(int(abs(c) * 1000) % 2**32).permutation(d.y.size)
    perm = {
        key: (value[order] if isinstance(value, np.ndarray) else value)
        for key, value in kw.items()
        if key != "absorb"
    }
    perm["absorb"] = [d.units[order], d.periods[order]] if kw["absorb"] is not None else None
    shuffled = regress(d.y[order], {"x1": d.x1[order], "x2": d.x2[order]}, **perm)
    np.testing.assert_allclose(shuffled.coef, base.coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(shuffled.se, base.se, rtol=1e-6, atol=1e-9)
    km = regress(get_registry().Quantity(d.y, "km"), x, **kw)
    m = regress(get_registry().Quantity(d.y * 1000, "m"), x, **kw)
    assert str(m.outcome_unit) == "meter"
    np.testing.assert_allclose(m.coef, 1000 * km.coef, rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------- ITS with controls
@SETTINGS
@given(
    y=st.lists(st.floats(-100, 100), min_size=24, max_size=40),
    c=st.floats(-1e3, 1e3),
    k=st.sampled_from([-2.0, 0.5, 10.0]),
    seed=st.integers(0, 1000),
)
def test_its_with_controls_and_seasons_invariances(
    y: list[float], c: float, k: float, seed: int
) -> None:
    arr = np.array(y)
    n = arr.size
    periods = np.arange(600, 600 + n)  # months
    ctrl = np.random.default_rng(seed).normal(size=n)

    def its(v: np.ndarray, unit: str = "", order: np.ndarray | None = None) -> ImpactResult:
        o = np.arange(n) if order is None else order
        return interrupted_time_series(
            periods[o],
            v[o],
            interruption=600 + n // 2,
            events={"strike": (603, 605)},
            controls={"rain": ctrl[o]},
            seasonal=4,
            unit=unit,
            vcov="hc1",
        )

    def slopes(r: ImpactResult) -> tuple[np.ndarray, np.ndarray]:
        kept = [t for t in r.terms if t.name != "const"]
        return np.array([t.value for t in kept]), np.array([t.se for t in kept])

    b, s = slopes(its(arr))
    b2, s2 = slopes(its(arr + c))
    b3, s3 = slopes(its(arr * k))
    b4, _s4 = slopes(its(arr, order=np.random.default_rng(seed).permutation(n)))
    tol = 1e-7 * (1 + abs(c) + float(np.abs(arr).max()))
    np.testing.assert_allclose(b2, b, atol=tol)
    np.testing.assert_allclose(s2, s, atol=tol)
    np.testing.assert_allclose(b3, k * b, atol=tol * abs(k))
    np.testing.assert_allclose(s3, abs(k) * s, atol=tol * abs(k))
    np.testing.assert_allclose(b4, b, atol=tol)
    km, m = its(arr, "km"), its(arr * 1000, "m")
    assert m.quantity.to("km").magnitude == pytest.approx(km.estimate.value, rel=1e-7, abs=tol)
