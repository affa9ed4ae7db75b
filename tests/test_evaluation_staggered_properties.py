"""Hypothesis properties of Callaway & Sant'Anna with covariates (``dr``, ``ipw``, ``reg``, ``dr_imp``).

- adding a constant to every outcome leaves every ATT(g,t), aggregation and SE unchanged;
- scaling outcomes by k scales every ATT by k and every SE by |k|;
- permuting the rows or relabelling the unit ids changes nothing;
- rescaling or shifting a covariate changes nothing (an intercept is always included).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings, strategies as st

from civicinnov.evaluation.impact import Panel, StaggeredResult, callaway_santanna


@dataclass
class Raw:
    units: np.ndarray
    periods: np.ndarray
    y: np.ndarray
    x: np.ndarray
    first: np.ndarray  # per row, 0 = never


@st.composite
def covariate_panels(draw: st.DrawFn) -> Raw:
    """Staggered panels of 40-70 units with a time-varying covariate that shifts both the
    chance of treatment and the outcome's trend (so every method has work to do)."""
    n_units = draw(st.integers(40, 70))
    n_periods = draw(st.integers(3, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    level = rng.normal(size=n_units)
    cohorts = np.array([2, n_periods, 0])
    lean = np.clip(0.33 + 0.1 * level, 0.1, 0.6)  # units higher on x lean towards treatment
    pick = rng.random(n_units)
    g_unit = np.where(pick < lean / 2, cohorts[0], np.where(pick < lean, cohorts[1], 0))
    g_unit[:6] = [cohorts[0], cohorts[0], cohorts[1], cohorts[1], 0, 0]
    units = np.repeat(np.arange(n_units), n_periods)
    periods = np.tile(np.arange(1, n_periods + 1), n_units)
    x = level[units] + rng.normal(scale=0.5, size=units.size)
    first = g_unit[units]
    treated = (first > 0) & (periods >= first)
    y = rng.normal(size=n_units)[units] + periods * (1 + 0.5 * level[units]) + 2.0 * treated
    y = y + rng.normal(size=units.size)
    return Raw(units=units, periods=periods, y=y, x=x, first=first)


def build(
    raw: Raw, y: np.ndarray | None = None, x: np.ndarray | None = None, ids: object = None
) -> Panel:
    return Panel.from_arrays(
        units=raw.units if ids is None else ids,
        periods=raw.periods,
        outcome=raw.y if y is None else y,
        unit="incident",
        first_treated=raw.first,
        never=0,
        controls={"x": raw.x if x is None else x},
    )


def estimates(p: Panel, method: str, control: str) -> list[tuple[str, float, float]]:
    """Every (name, estimate, SE) of the cells and the four aggregations."""
    res: StaggeredResult = callaway_santanna(p, controls=["x"], est_method=method, control=control)
    out = [(c.name, c.value, c.se) for c in res.cells]
    for kind in ("simple", "dynamic", "group", "calendar"):
        agg = res.aggregate(kind)
        out.extend((f"{kind}:{t.name}", t.value, t.se) for t in agg.terms)
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


SETTINGS = settings(max_examples=12, deadline=None)
METHODS = st.sampled_from(["dr", "ipw", "reg", "dr_imp"])
CONTROLS = st.sampled_from(["never", "notyet"])


@SETTINGS
@given(raw=covariate_panels(), c=st.floats(-1e3, 1e3), method=METHODS, control=CONTROLS)
def test_adding_a_constant_changes_no_att(raw: Raw, c: float, method: str, control: str) -> None:
    base = estimates(build(raw), method, control)
    close(base, estimates(build(raw, y=raw.y + c), method, control))


@SETTINGS
@given(
    raw=covariate_panels(),
    k=st.sampled_from([-3.0, -0.5, 0.001, 2.0, 1000.0]),
    method=METHODS,
    control=CONTROLS,
)
def test_scaling_scales_atts_and_ses(raw: Raw, k: float, method: str, control: str) -> None:
    base = estimates(build(raw), method, control)
    close(base, estimates(build(raw, y=raw.y * k), method, control), k=k)


@SETTINGS
@given(raw=covariate_panels(), seed=st.integers(0, 1000), method=METHODS, control=CONTROLS)
def test_row_order_and_unit_labels_change_nothing(
    raw: Raw, seed: int, method: str, control: str
) -> None:
    rng = np.random.default_rng(seed)
    order = rng.permutation(raw.units.size)
    shuffled = Raw(
        units=raw.units[order],
        periods=raw.periods[order],
        y=raw.y[order],
        x=raw.x[order],
        first=raw.first[order],
    )
    base = estimates(build(raw), method, control)
    close(base, estimates(build(shuffled), method, control))
    relabel = rng.permutation(int(raw.units.max()) + 1)
    labels = np.array([f"city-{v:03d}" for v in relabel[raw.units]], dtype=object)
    close(base, estimates(build(raw, ids=labels), method, control))


@SETTINGS
@given(
    raw=covariate_panels(),
    a=st.floats(-50, 50),
    b=st.sampled_from([-4.0, 0.01, 3.0]),
    method=METHODS,
)
def test_affine_covariate_changes_nothing(raw: Raw, a: float, b: float, method: str) -> None:
    base = estimates(build(raw), method, "never")
    close(base, estimates(build(raw, x=a + b * raw.x), method, "never"))
