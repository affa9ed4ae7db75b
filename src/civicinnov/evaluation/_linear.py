"""Least squares with named variance conventions, and the two-way within transformation.

Private helpers for :mod:`civicinnov.evaluation.did` and :mod:`civicinnov.evaluation.its`.

Variance conventions (one sandwich, different finite-sample factors; see the module docstring of
:mod:`civicinnov.evaluation.did` for their sources):

============== ====================================================================
``iid``        σ̂² (X'X)⁻¹ with σ̂² = RSS / (N − K_all)
``hc1``        White (1980) sandwich × N / (N − K_all), absorbed fixed effects counted
               (statsmodels HC1; pyfixest "hetero" on a fixed-effects fit)
``cr0``        Liang & Zeger (1986) cluster sandwich, no factor
``crv1``       × G/(G−1) · (N−1)/(N−K) with K counting regressors and the fixed
               effects not nested in the clusters (fixest/pyfixest default)
``crv1_lsdv``  × G/(G−1) · (N−1)/(N−K_all), every dummy counted (statsmodels LSDV,
               linearmodels ``group_debias=True``)
``linearmodels`` × N/(N−K_all) (linearmodels PanelOLS default clustered)
``newey_west`` Newey & West (1987) Bartlett-kernel HAC with a chosen lag, no factor
============== ====================================================================
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import EstimationError
from civicinnov.evaluation.results import Estimate

CLUSTER_CONVENTIONS = ("crv1", "crv1_lsdv", "cr0", "linearmodels")
CONVENTIONS = (*CLUSTER_CONVENTIONS, "iid", "hc1")


@attrs.frozen(kw_only=True, eq=False)
class Fit:
    """A least-squares fit: coefficients, covariance, residuals and degrees of freedom."""

    coef: NDArray[np.float64]
    vcov: NDArray[np.float64]
    resid: NDArray[np.float64]
    df: float
    rss: float
    n: int


def check_convention(vcov: str, allowed: tuple[str, ...] = CONVENTIONS) -> str:
    if vcov not in allowed:
        raise EstimationError(f"vcov: unknown convention {vcov!r}; expected one of {list(allowed)}")
    return vcov


def ols(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    *,
    vcov: str,
    k_fe: int = 0,
    k_fe_fixest: int = 0,
    clusters: NDArray[np.intp] | None = None,
    n_clusters: int = 0,
    nw_lags: int = 0,
) -> Fit:
    """OLS of ``y`` on ``x`` (already within-transformed when fixed effects are absorbed).

    ``k_fe`` is the number of absorbed fixed-effect parameters (all counted); ``k_fe_fixest``
    the number fixest counts (fixed effects nested in the clusters left out).
    """
    n, p = x.shape
    xtx = x.T @ x
    try:
        bread = np.linalg.inv(xtx)
    except np.linalg.LinAlgError:
        raise EstimationError(
            "regressors are collinear (after absorbing fixed effects); the effect is not identified"
        ) from None
    if not np.all(np.isfinite(bread)) or np.linalg.cond(xtx) > 1e14:
        raise EstimationError(
            "regressors are collinear (after absorbing fixed effects); the effect is not identified"
        )
    coef = bread @ (x.T @ y)
    resid = y - x @ coef
    rss = float(resid @ resid)
    k_all = p + k_fe
    if n - k_all <= 0:
        raise EstimationError(
            f"too few observations: {n} rows for {k_all} parameters; expected more rows than "
            "parameters"
        )
    if vcov == "iid":
        v = bread * (rss / (n - k_all))
        df = float(n - k_all)
    elif vcov == "hc1":
        xe = x * resid[:, None]
        v = bread @ (xe.T @ xe) @ bread * (n / (n - k_all))
        df = float(n - k_all)
    elif vcov == "newey_west":
        xe = x * resid[:, None]
        meat: NDArray[np.float64] = xe.T @ xe
        for lag in range(1, nw_lags + 1):
            w = 1.0 - lag / (nw_lags + 1.0)
            gam = xe[lag:].T @ xe[:-lag]
            meat += w * (gam + gam.T)
        v = bread @ meat @ bread
        df = float(n - k_all)
    else:
        if clusters is None:  # pragma: no cover - guarded by callers
            raise EstimationError("cluster-robust SEs need clusters")
        if n_clusters < 2:
            raise EstimationError(
                f"cluster-robust SEs ({vcov}) need at least 2 clusters, got {n_clusters}; use "
                "vcov='hc1' or 'iid', or give more clusters"
            )
        scores = np.empty((n_clusters, p))
        for j in range(p):  # a handful of regressors
            scores[:, j] = np.bincount(clusters, weights=x[:, j] * resid, minlength=n_clusters)
        cmeat = scores.T @ scores
        g = n_clusters
        if vcov == "cr0":
            factor = 1.0
        elif vcov == "crv1":
            factor = g / (g - 1) * (n - 1) / (n - (p + k_fe_fixest))
        elif vcov == "crv1_lsdv":
            factor = g / (g - 1) * (n - 1) / (n - k_all)
        else:  # linearmodels
            factor = n / (n - k_all)
        v = bread @ cmeat @ bread * factor
        df = float(g - 1)
    return Fit(coef=coef, vcov=v, resid=resid, df=df, rss=rss, n=n)


def estimate(name: str, value: float, se: float, df: float | None, level: float) -> Estimate:
    """An :class:`Estimate` with a t (``df`` given) or normal interval and two-sided p-value."""
    from scipy import stats

    dist: Any = stats.norm if df is None or not np.isfinite(df) else stats.t(df)
    crit = float(dist.ppf(0.5 + level / 2))
    ok = se > 0 and np.isfinite(se)
    p = float(2 * dist.sf(abs(value) / se)) if ok else float("nan")
    return Estimate(
        name=name,
        value=float(value),
        se=float(se),
        ci_low=float(value - crit * se),
        ci_high=float(value + crit * se),
        p_value=p,
    )


def group_mean(
    idx: NDArray[np.intp], v: NDArray[np.float64], counts: NDArray[np.float64]
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.bincount(idx, weights=v, minlength=counts.shape[0]) / counts
    return out


def within(
    cols: list[NDArray[np.float64]],
    uidx: NDArray[np.intp],
    tidx: NDArray[np.intp],
    n_u: int,
    n_t: int,
    *,
    balanced: bool,
    tol: float = 1e-11,
    max_iter: int = 10_000,
) -> NDArray[np.float64]:
    """Remove unit and period effects from each of the columns ``cols`` (1-d, length n).

    Balanced panels use the closed form ``v - v̄_i - v̄_t + v̄`` (on a matrix view when the rows
    are sorted by unit, then period). Unbalanced panels with up to
    2,000 periods are solved exactly: after removing unit means, the period effects solve the
    ``T x T`` normal equations ``(diag(n_t) − Pᵀ diag(1/n_i) P) λ = Σ_t ṽ`` (P the unit-by-period
    presence matrix; one period fixed at zero), so no iteration is needed. Otherwise the two
    projections alternate (Guimarães & Portugal 2010; Correia 2016) until the group means of
    the residual are below ``tol`` times the column's scale. Columns come back in Fortran
    order, so each is contiguous.
    """
    cu = np.bincount(uidx, minlength=n_u).astype(np.float64)
    ct = np.bincount(tidx, minlength=n_t).astype(np.float64)
    k = len(cols)
    out = np.empty((k, cols[0].shape[0]))
    if balanced:
        n = cols[0].shape[0]
        key = uidx * n_t + tidx
        if key[0] == 0 and bool((np.diff(key) == 1).all()):  # unit-major rows: use a matrix view
            for j in range(k):
                v = np.ascontiguousarray(cols[j]).reshape(n_u, n_t)
                m = v - v.mean(axis=1, keepdims=True)
                m -= v.mean(axis=0, keepdims=True) - v.mean()
                out[j] = m.reshape(n)
            return out.T
        for j in range(k):  # a handful of columns
            v = np.ascontiguousarray(cols[j])
            out[j] = v - group_mean(uidx, v, cu)[uidx] - group_mean(tidx, v, ct)[tidx] + v.mean()
        return out.T
    if n_t <= 2000:
        presence = np.zeros((n_u, n_t))
        presence[uidx, tidx] = 1.0
        m = np.diag(ct) - (presence / cu[:, None]).T @ presence
        rhs = np.empty((n_t, k))
        for j in range(k):
            v = np.ascontiguousarray(cols[j])
            out[j] = v - group_mean(uidx, v, cu)[uidx]
            rhs[:, j] = np.bincount(tidx, weights=out[j], minlength=n_t)
        lam = np.zeros((n_t, k))
        try:
            lam[1:] = np.linalg.solve(m[1:, 1:], rhs[1:])
        except np.linalg.LinAlgError:
            lam[1:] = np.linalg.lstsq(m[1:, 1:], rhs[1:], rcond=None)[0]
        lam_bar = (presence @ lam) / cu[:, None]
        for j in range(k):
            out[j] -= lam[tidx, j] - lam_bar[uidx, j]
        return out.T
    for j in range(k):  # pragma: no cover - panels with more than 2,000 periods
        v = np.ascontiguousarray(cols[j])
        scale = max(float(np.abs(v).max()), 1e-300)
        w = v - group_mean(uidx, v, cu)[uidx]
        for _ in range(max_iter):
            pm = group_mean(tidx, w, ct)
            w = w - pm[tidx]
            mu = group_mean(uidx, w, cu)
            w = w - mu[uidx]
            if max(float(np.abs(mu).max()), float(np.abs(pm).max())) <= tol * scale:
                break
        else:
            raise EstimationError(
                f"absorbing unit and period effects did not converge in {max_iter} iterations"
            )
        out[j] = w
    return out.T
