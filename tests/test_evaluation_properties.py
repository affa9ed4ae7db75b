"""Hypothesis properties of the impact estimators.

- adding a constant to every outcome leaves every effect unchanged;
- scaling outcomes by k scales estimates by k and SEs by |k|;
- permuting the rows or relabelling the unit ids changes nothing;
- converting the outcome's unit converts the result's unit (and its magnitudes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from civicinnov.evaluation import (
    ImpactResult,
    Panel,
    callaway_santanna,
    did_2x2,
    event_study,
    interrupted_time_series,
    twfe,
)


@dataclass
class Raw:
    units: np.ndarray
    periods: np.ndarray
    y: np.ndarray
    first: np.ndarray  # per row, 0 = never


@st.composite
def raw_panels(draw: st.DrawFn) -> Raw:
    n_units = draw(st.integers(6, 14))
    n_periods = draw(st.integers(3, 5))
    # two cohorts and never-treated units, each at least two units
    g_late = n_periods
    g_early = draw(st.integers(2, n_periods))
    extra = draw(
        st.lists(st.sampled_from([g_early, g_late, 0]), min_size=n_units - 6, max_size=n_units - 6)
    )
    pattern = [g_early, g_early, g_late, g_late, 0, 0, *extra]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    units = np.repeat(np.arange(n_units), n_periods)
    periods = np.tile(np.arange(1, n_periods + 1), n_units)
    first = np.array(pattern)[units]
    y = rng.normal(size=units.size) * 3 + rng.normal(size=n_units)[units] + periods
    return Raw(units=units, periods=periods, y=y, first=first)


def build(
    raw: Raw, y: np.ndarray | None = None, unit: str = "incident", ids: object = None
) -> Panel:
    return Panel.from_arrays(
        units=raw.units if ids is None else ids,
        periods=raw.periods,
        outcome=raw.y if y is None else y,
        unit=unit,
        first_treated=raw.first,
        never=0,
    )


def all_estimates(p: Panel) -> list[tuple[str, float, float]]:
    """Every (name, estimate, SE) of TWFE, the event study, CS cells and aggregations."""
    out: list[tuple[str, float, float]] = []

    def add(prefix: str, res: ImpactResult) -> None:
        out.extend((f"{prefix}:{t.name}", t.value, t.se) for t in (res.estimate, *res.terms))

    add("twfe", twfe(p))
    add("es", event_study(p))
    cs = callaway_santanna(p)
    out.extend((c.name, c.value, c.se) for c in cs.cells)
    for kind in ("simple", "dynamic", "group", "calendar"):
        add(kind, cs.aggregate(kind))
    return out


def close(
    a: list[tuple[str, float, float]], b: list[tuple[str, float, float]], k: float = 1.0
) -> None:
    assert [n for n, *_ in a] == [n for n, *_ in b]
    va, vb = np.array([v for _, v, _ in a]), np.array([v for _, v, _ in b])
    sa, sb = np.array([s for *_, s in a]), np.array([s for *_, s in b])
    scale = max(1.0, float(np.abs(va).max()) * abs(k))
    np.testing.assert_allclose(vb, k * va, rtol=1e-7, atol=1e-9 * scale)
    np.testing.assert_allclose(sb, abs(k) * sa, rtol=1e-6, atol=1e-9 * scale)


SETTINGS = settings(max_examples=15)


@SETTINGS
@given(raw=raw_panels(), c=st.floats(-1e3, 1e3))
def test_adding_a_constant_changes_no_effect(raw: Raw, c: float) -> None:
    base = all_estimates(build(raw))
    shifted = all_estimates(build(raw, raw.y + c))
    # intercept-like terms are absent: every reported term is a difference, so k = 1
    close(base, shifted)


@SETTINGS
@given(raw=raw_panels(), k=st.sampled_from([-3.0, -0.5, 0.001, 2.0, 1000.0]))
def test_scaling_scales_estimates_and_ses(raw: Raw, k: float) -> None:
    close(all_estimates(build(raw)), all_estimates(build(raw, raw.y * k)), k=k)


@SETTINGS
@given(raw=raw_panels(), seed=st.integers(0, 1000))
def test_row_order_and_unit_labels_change_nothing(raw: Raw, seed: int) -> None:
    rng = np.random.default_rng(seed)
    order = rng.permutation(raw.units.size)
    shuffled = Raw(
        units=raw.units[order], periods=raw.periods[order], y=raw.y[order], first=raw.first[order]
    )
    # relabel ids with strings in a scrambled order
    names = np.array([f"city-{i}" for i in rng.permutation(raw.units.max() + 1)], dtype=object)
    a = all_estimates(build(raw))
    b = all_estimates(build(shuffled, ids=names[shuffled.units]))
    close(a, b)


@SETTINGS
@given(raw=raw_panels())
def test_converting_the_outcome_unit_converts_the_result(raw: Raw) -> None:
    p_km = build(raw, unit="km")
    p_m = p_km.to("m")
    for fn in (twfe, event_study):
        r_km, r_m = fn(p_km), fn(p_m)
        assert str(r_m.outcome_unit) == "meter"
        assert r_m.quantity.to("km").magnitude == pytest.approx(
            r_km.estimate.value, rel=1e-9, abs=1e-9
        )
        assert r_m.estimate.se == pytest.approx(1000 * r_km.estimate.se, rel=1e-9)
    agg_km = callaway_santanna(p_km).aggregate("simple")
    agg_m = callaway_santanna(p_m).aggregate("simple")
    assert agg_m.quantity.to("km").magnitude == pytest.approx(
        agg_km.estimate.value, rel=1e-9, abs=1e-9
    )


@SETTINGS
@given(
    y=st.lists(st.floats(-100, 100), min_size=8, max_size=20),
    c=st.floats(-1e3, 1e3),
    k=st.sampled_from([-2.0, 0.5, 10.0]),
)
def test_two_by_two_and_its_invariances(y: list[float], c: float, k: float) -> None:
    arr = np.array(y)
    n = arr.size
    periods = np.arange(n)
    treated = np.arange(n) % 2
    interruption = n // 2

    def did(v: np.ndarray) -> tuple[float, float]:
        p = Panel.from_cross_sections(
            periods=(periods >= interruption).astype(int),
            outcome=v,
            treated=treated,
            adoption=1,
            unit="",
        )
        r = did_2x2(p, vcov="hc1")
        return r.estimate.value, r.estimate.se

    def its(v: np.ndarray) -> tuple[float, float]:
        r = interrupted_time_series(
            periods, v, interruption=interruption, unit="", vcov="newey_west", lags=1
        )
        return r.estimate.value, r.estimate.se

    for fn in (did, its):
        b, s = fn(arr)
        b2, s2 = fn(arr + c)
        b3, s3 = fn(arr * k)
        scale = 1e-7 * (1 + abs(c) + float(np.abs(arr).max()))
        assert b2 == pytest.approx(b, abs=scale)
        assert s2 == pytest.approx(s, abs=scale)
        assert b3 == pytest.approx(k * b, abs=scale * abs(k))
        assert s3 == pytest.approx(abs(k) * s, abs=scale * abs(k))
