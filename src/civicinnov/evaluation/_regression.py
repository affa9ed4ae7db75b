"""One least-squares core for every estimator of the evaluation layer, and its public face :func:`regress`.

What lives here: :func:`regress` (named regressors, an intercept, absorbed fixed effects, weights,
and a variance convention chosen by name) and the :class:`RegressionResult` it returns; the
helpers the estimators share: :func:`fit_ols` (the same fit on arrays and factor codes),
:func:`demean` (absorbing one or two sets of fixed effects), :func:`factorize`,
:func:`estimate` and :func:`t_quantile`. What does not live here: designs (difference in
differences, interrupted time series, trends) — they build their regressors and call
:func:`fit_ols`.

Fixed effects are absorbed, never built as dummies: one set by (weighted) group means; two sets
in closed form on a balanced, unweighted grid (``v − v̄ᵢ − v̄ₜ + v̄``), otherwise exactly by
solving the normal equations of the smaller set after removing the larger one's means
(a T x T system, T ≤ 2,000), and by alternating projections beyond that (Guimarães & Portugal
2010; Correia 2016). The absorbed parameters are counted as the levels of both sets minus the
connected components of their bipartite graph (one for any connected panel).

Variance conventions (every one a sandwich ``B M B`` with ``B = (X'X)⁻¹``; only the middle and the
finite-sample factor differ). N rows, K = regressors + absorbed parameters, G clusters:

===================== ===================================================================
``iid``               σ̂² B, σ̂² = RSS / (N − K) (classical OLS)
``hc0``               White (1980), no factor
``hc1``               × N / (N − K) (MacKinnon & White 1985; statsmodels HC1, Stata ``robust``,
                      pyfixest ``hetero``)
``hc2``, ``hc3``      scores divided by √(1 − hᵢᵢ) and (1 − hᵢᵢ) (MacKinnon & White 1985);
                      refused with absorbed effects, whose leverage the within fit does not see
``cr0``               Liang & Zeger (1986) cluster sandwich, no factor
``crv1``              × G/(G−1) · (N−1)/(N−K′), K′ counting the regressors and the fixed effects
                      *not nested* in the clusters (fixest/pyfixest default ``ssc``; Stata
                      ``xtreg, fe vce(cluster)``)
``crv1_lsdv``         × G/(G−1) · (N−1)/(N−K), every absorbed dummy counted (Stata ``regress``
                      or ``areg`` with ``vce(cluster)``, statsmodels on the dummy fit)
``linearmodels``      × N / (N − K) (linearmodels ``PanelOLS`` default clustered)
``crv3``              leave-one-cluster-out jackknife (G−1)/G · Σ_g (β̂₋g − β̂)(β̂₋g − β̂)′, for
                      few clusters (Bell & McCaffrey 2002; MacKinnon, Nielsen & Webb 2023);
                      with absorbed effects the fixed effects stay at their full-sample
                      projection
``newey_west``        Newey & West (1987) Bartlett kernel over rows in time order, chosen lag
                      (default ⌊4(N/100)^(2/9)⌋), no factor (statsmodels ``HAC``)
``driscoll_kraay``    Driscoll & Kraay (1998): scores summed per period, then Newey–West over
                      periods (statsmodels ``hac-groupsum``), no factor
===================== ===================================================================

Cluster conventions use Student's t with G − 1 degrees of freedom, the others N − K. A model
that fits exactly (N = K) returns its coefficients with NaN standard errors and the warning
:attr:`~civicinnov.evaluation.WarningCode.UNDEFINED_SE`.

Example:
    >>> r = regress([1.0, 2.9, 5.2, 7.1, 8.8], {"x": [0, 1, 2, 3, 4]}, vcov="hc1")
    >>> [round(float(v), 3) for v in r.coef], r.names, r.convention
    ([1.04, 1.98], ('const', 'x'), 'hc1')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pint
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph
from numpy.typing import NDArray
from scipy import stats

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._results import Estimate, RegressionResult, ResultWarning, WarningCode
from civicinnov.units import as_quantity, get_registry, parse_unit

if TYPE_CHECKING:
    from civicinnov.units import Unit

__all__ = [
    "CLUSTER_CONVENTIONS",
    "CONVENTIONS",
    "RegressionResult",
    "demean",
    "estimate",
    "factorize",
    "fit_ols",
    "named_columns",
    "regress",
    "t_quantile",
]

#: Cluster-robust conventions (they need clusters and use t(G − 1)).
CLUSTER_CONVENTIONS: tuple[str, ...] = ("crv1", "crv1_lsdv", "cr0", "linearmodels", "crv3")
#: Every variance convention :func:`regress` accepts, by name.
CONVENTIONS: tuple[str, ...] = (
    "iid",
    "hc0",
    "hc1",
    "hc2",
    "hc3",
    *CLUSTER_CONVENTIONS,
    "newey_west",
    "driscoll_kraay",
)

_EXACT_LIMIT = 2000  # largest set of effects solved exactly (a dense T x T system)
_DENSE_LIMIT = 20_000_000  # largest unit-by-period weight matrix held dense (160 MB)


# ---------------------------------------------------------------------- small shared helpers
def t_quantile(level: float, df: float | None) -> float:
    """The two-sided critical value for ``level`` coverage: Student's t, or normal if ``df`` is None.

    Example:
        >>> round(t_quantile(0.95, 10), 4), round(t_quantile(0.95, None), 4)
        (2.2281, 1.96)
    """
    if df is None or not np.isfinite(df):
        return float(stats.norm.ppf(0.5 + level / 2))
    if df <= 0:
        return math.nan
    return float(stats.t.ppf(0.5 + level / 2, df))


def estimate(name: str, value: float, se: float, df: float | None, level: float) -> Estimate:
    """An :class:`~civicinnov.evaluation.Estimate` with its t (or normal) interval and p-value.

    Args:
        name: the term's name.
        value: the point estimate.
        se: its standard error (NaN when undefined: the interval and p-value are NaN too).
        df: degrees of freedom of Student's t; ``None`` for the normal distribution.
        level: coverage of the interval.

    Returns:
        The estimate with a two-sided p-value.

    Example:
        >>> e = estimate("x", 2.0, 0.5, None, 0.95)
        >>> round(e.ci_low, 3), round(e.p_value, 5)
        (1.02, 6e-05)
    """
    normal = df is None or not np.isfinite(df)
    crit = t_quantile(level, df)
    ok = se > 0 and np.isfinite(se) and np.isfinite(crit)
    if ok:
        z = abs(value) / se
        p = float(2 * (stats.norm.sf(z) if normal else stats.t.sf(z, df)))
    else:
        p = math.nan
    return Estimate(
        name=name,
        value=float(value),
        se=float(se),
        ci_low=float(value - crit * se),
        ci_high=float(value + crit * se),
        p_value=p,
    )


def factorize(values: Any, name: str) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Return the sorted distinct values of ``values`` and each row's index into them.

    Compact integer ids take a counting fast path; anything else goes through :func:`numpy.unique`.

    Raises:
        PanelError: missing ids (NaN or None), or ids mixing numbers and text.

    Example:
        >>> levels, codes = factorize(["b", "a", "b"], "units")
        >>> levels.tolist(), codes.tolist()
        (['a', 'b'], [1, 0, 1])
    """
    values = np.asarray(values)
    if values.ndim != 1:
        raise PanelError(f"{name}: expected one id per row, got shape {values.shape}")
    if values.dtype.kind in "iu" and values.size:
        lo = int(values.min())
        span = int(values.max()) - lo + 1
        if span <= max(4 * values.size, 1024):
            shifted = values - lo
            present = np.zeros(span, dtype=bool)
            present[shifted] = True
            lookup = np.cumsum(present, dtype=np.intp) - 1
            return np.flatnonzero(present).astype(values.dtype) + lo, lookup[shifted]
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise PanelError(f"{name}: expected ids, found missing (NaN) values")
    if values.dtype.kind == "O" and any(v is None for v in values.tolist()):
        raise PanelError(f"{name}: expected ids, found None")
    try:
        uniq, inv = np.unique(values, return_inverse=True)
    except TypeError as exc:
        raise PanelError(
            f"{name}: ids must be all numbers or all strings, got a mix ({exc})"
        ) from None
    return uniq, inv.astype(np.intp).reshape(-1)


def _sums(codes: NDArray[np.intp], w: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.bincount(codes, weights=w, minlength=n).astype(np.float64)
    return out


def _group_mean(
    codes: NDArray[np.intp], v: NDArray[np.float64], total: NDArray[np.float64]
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.bincount(codes, weights=v, minlength=total.shape[0]) / total
    return out


# ---------------------------------------------------------------------- absorbing fixed effects
def absorbed_dof(
    factors: Sequence[tuple[NDArray[np.intp], int]], *, connected: bool = False
) -> int:
    """The number of parameters that absorbing ``factors`` (0, 1 or 2 sets of codes) removes.

    Two sets count their levels minus the connected components of their bipartite graph (one
    component when the caller knows them ``connected``, as in a balanced panel).

    Example:
        >>> import numpy as np
        >>> absorbed_dof([(np.array([0, 0, 1, 1]), 2), (np.array([0, 1, 0, 1]), 2)])
        3
    """
    if not factors:
        return 0
    if len(factors) == 1:
        return int(factors[0][1])
    (a, na), (b, nb) = factors[0], factors[1]
    if connected:
        return int(na + nb - 1)
    graph = scipy.sparse.coo_matrix(
        (np.ones(a.shape[0]), (a, b + na)), shape=(na + nb, na + nb)
    ).tocsr()
    n_comp = int(scipy.sparse.csgraph.connected_components(graph, directed=False)[0])
    return int(na + nb - n_comp)


def demean(
    x: NDArray[np.float64],
    factors: Sequence[tuple[NDArray[np.intp], int]],
    *,
    weights: NDArray[np.float64] | None = None,
    tol: float = 1e-12,
    max_iter: int = 10_000,
    inplace: bool = False,
) -> NDArray[np.float64]:
    """Remove one or two sets of fixed effects from each column of ``x`` (shape ``(n, k)``).

    Args:
        x: the columns to transform (rows are observations).
        factors: up to two ``(codes, n_levels)`` pairs, codes in ``0..n_levels-1`` per row.
        weights: optional positive row weights (weighted means, weighted projections).
        tol: convergence tolerance of alternating projections, relative to each column's scale.
        max_iter: iteration limit of alternating projections.
        inplace: write the result into ``x`` (which must be a Fortran-ordered float array the
            caller owns) instead of a new array: no second copy of a large design.

    Returns:
        The residuals of projecting each column on the fixed effects, Fortran-ordered.

    Raises:
        EstimationError: more than two sets of effects, or projections that do not converge.

    Example:
        >>> import numpy as np
        >>> u = np.array([0, 0, 1, 1]); t = np.array([0, 1, 0, 1])
        >>> demean(np.array([[1.0], [2.0], [3.0], [5.0]]), [(u, 2), (t, 2)]).ravel().tolist()
        [0.25, -0.25, -0.25, 0.25]
    """
    n, k = x.shape
    out = x if inplace else np.empty((n, k), order="F")
    if not factors:
        if not inplace:
            out[:] = x
        return out
    if len(factors) > 2:
        raise EstimationError(
            f"absorb: at most two sets of fixed effects can be absorbed, got {len(factors)}"
        )
    w = np.ones(n) if weights is None else weights
    if len(factors) == 1:
        codes, nl = factors[0]
        total = _sums(codes, w, nl)
        for j in range(k):  # a handful of columns
            v = np.ascontiguousarray(x[:, j])
            out[:, j] = v - _group_mean(codes, v * w, total)[codes]
        return out
    (a, na), (b, nb) = factors[0], factors[1]
    if nb > na:
        (a, na), (b, nb) = (b, nb), (a, na)
    if weights is None and n == na * nb:
        key = a.astype(np.int64) * nb + b
        if key[0] == 0 and bool((np.diff(key) == 1).all()):  # a-major grid: a matrix view
            for j in range(k):
                v = np.ascontiguousarray(x[:, j]).reshape(na, nb)
                o = out[:, j].reshape(na, nb)  # a view: Fortran columns are contiguous
                col_mean = v.mean(axis=0)
                np.subtract(v, v.mean(axis=1, keepdims=True), out=o)
                o -= col_mean - col_mean.mean()
            return out
        if int(np.bincount(key, minlength=n).max()) == 1:  # balanced, any row order
            ca = np.full(na, float(nb))
            cb = np.full(nb, float(na))
            for j in range(k):
                v = np.ascontiguousarray(x[:, j])
                out[:, j] = v - _group_mean(a, v, ca)[a] - _group_mean(b, v, cb)[b] + v.mean()
            return out
    wa = _sums(a, w, na)
    wb = _sums(b, w, nb)
    if nb <= _EXACT_LIMIT:
        # exact: remove a-means, then solve (diag(W_b) − Pᵀ diag(1/W_a) P) λ = Σ_b w ṽ
        if na * nb <= _DENSE_LIMIT:  # a dense weight matrix multiplies fastest
            p: Any = np.bincount(a.astype(np.int64) * nb + b, weights=w, minlength=na * nb).reshape(
                na, nb
            )
            scaled: Any = p / wa[:, None]
            m = np.diag(wb) - p.T @ scaled
        else:
            p = scipy.sparse.csr_matrix((w, (a, b)), shape=(na, nb))
            scaled = scipy.sparse.diags(1.0 / wa) @ p
            m = np.diag(wb) - (p.T @ scaled).toarray()
        rhs = np.empty((nb, k))
        for j in range(k):
            v = np.ascontiguousarray(x[:, j])
            out[:, j] = v - _group_mean(a, v * w, wa)[a]
            rhs[:, j] = np.bincount(b, weights=out[:, j] * w, minlength=nb)
        lam = np.zeros((nb, k))
        try:
            lam[1:] = np.linalg.solve(m[1:, 1:], rhs[1:])
        except np.linalg.LinAlgError:  # disconnected groups: a minimum-norm solution
            lam = np.linalg.lstsq(m, rhs, rcond=None)[0]
        lam_bar = np.asarray(scaled @ lam)
        out -= lam[b] - lam_bar[a]
        return out
    for j in range(k):  # pragma: no cover - two sets of more than 2,000 effects each
        v = np.ascontiguousarray(x[:, j])
        scale = max(float(np.abs(v).max()), 1e-300)
        r = v - _group_mean(a, v * w, wa)[a]
        for _ in range(max_iter):
            mb = _group_mean(b, r * w, wb)
            r = r - mb[b]
            ma = _group_mean(a, r * w, wa)
            r = r - ma[a]
            if max(float(np.abs(ma).max()), float(np.abs(mb).max())) <= tol * scale:
                break
        else:
            raise EstimationError(
                f"absorbing two sets of fixed effects did not converge in {max_iter} iterations"
            )
        out[:, j] = r
    return out


def _nested(codes: NDArray[np.intp], n_levels: int, clusters: NDArray[np.intp]) -> bool:
    """True when every level of ``codes`` lies within one cluster."""
    if codes is clusters:  # clustered by this very effect
        return True
    first = np.empty(n_levels, dtype=np.intp)
    first[codes] = clusters
    return bool((first[codes] == clusters).all())


# ---------------------------------------------------------------------- the fit on arrays
def check_convention(vcov: str, allowed: tuple[str, ...] = CONVENTIONS) -> str:
    """Return ``vcov`` if it is one of ``allowed``.

    Raises:
        EstimationError: an unknown convention (the message lists the known ones).

    Example:
        >>> check_convention("hc3")
        'hc3'
    """
    if vcov not in allowed:
        raise EstimationError(f"vcov: unknown convention {vcov!r}; expected one of {list(allowed)}")
    return vcov


def _collinear(xtx: NDArray[np.float64], names: Sequence[str]) -> list[str]:
    d = np.sqrt(np.clip(np.diag(xtx), 1e-300, None))
    scaled = xtx / np.outer(d, d)
    _, r, piv = scipy.linalg.qr(scaled, pivoting=True)
    diag = np.abs(np.diag(r))
    bad = piv[diag <= 1e-10 * max(float(diag.max()), 1e-300)]
    return [names[i] for i in sorted(bad.tolist())] or list(names)


def fit_ols(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    names: Sequence[str],
    *,
    has_intercept: bool,
    factors: Sequence[tuple[NDArray[np.intp], int]] = (),
    weights: NDArray[np.float64] | None = None,
    vcov: str = "iid",
    clusters: tuple[NDArray[np.intp], int] | None = None,
    lags: int | None = None,
    time: tuple[NDArray[np.intp], int] | None = None,
    level: float = 0.95,
    outcome_unit: Unit | None = None,
    connected: bool = False,
    overwrite: bool = False,
) -> RegressionResult:
    """Least squares of ``y`` on the columns of ``x``, with absorbed effects and a named variance.

    The estimators of the evaluation layer call this directly with codes they already hold;
    :func:`regress` is the same fit for arbitrary inputs.

    Args:
        y: outcomes (n,).
        x: regressors (n, p), an intercept column included if wanted.
        names: the p regressor names.
        has_intercept: whether ``x`` holds a constant column (R² is then centred).
        factors: up to two ``(codes, n_levels)`` sets of fixed effects to absorb.
        weights: positive analytic weights (weighted least squares).
        vcov: a name in :data:`CONVENTIONS`.
        clusters: ``(codes, n_clusters)`` for cluster conventions.
        lags: the Bartlett lag of ``newey_west`` / ``driscoll_kraay``.
        time: ``(codes, n_periods)``: the period of each row, for ``newey_west`` (row order)
            and ``driscoll_kraay`` (scores summed per period).
        level: coverage of the intervals.
        outcome_unit: the outcome's unit, kept on the result.
        connected: the two sets of effects are known to form one connected group (a balanced
            panel), so their count needs no graph search.
        overwrite: ``y`` and ``x`` (Fortran-ordered) belong to the caller and may be
            overwritten by the within transformation instead of copied.

    Returns:
        The fit.

    Raises:
        EstimationError: collinear regressors (named), fewer rows than parameters, a cluster
            convention without clusters or with one cluster, HC2/HC3 with absorbed effects.

    Example:
        >>> import numpy as np
        >>> x = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
        >>> r = fit_ols(np.array([1.0, 2.0, 2.5, 4.5]), x, ["const", "x"], has_intercept=True)
        >>> round(float(r.coef[1]), 3), r.df
        (1.1, 2.0)
    """
    check_convention(vcov)
    n, p = x.shape
    if weights is not None:
        sw = np.sqrt(weights)
    centred = has_intercept or bool(factors)
    if weights is None:
        yc = y - y.mean() if centred else y
        tss = float(yc @ yc)
    else:
        ybar = float(weights @ y / weights.sum())
        tss = float(weights @ ((y - ybar) ** 2)) if centred else float(weights @ (y**2))
    if factors and overwrite and x.flags.f_contiguous and y.flags.c_contiguous:
        # the caller's own arrays: absorb the effects in place, no copy of a large design
        y_t = demean(y.reshape(n, 1), factors, weights=weights, inplace=True)[:, 0]
        x_t = demean(x, factors, weights=weights, inplace=True)
    elif factors:
        stacked = np.empty((n, p + 1), order="F")
        stacked[:, 0] = y
        stacked[:, 1:] = x
        dm = demean(stacked, factors, weights=weights, inplace=True)
        y_t, x_t = dm[:, 0], dm[:, 1:]
    else:
        y_t, x_t = y, x
    y_raw_t = y_t
    if weights is not None:
        y_t = y_t * sw
        x_t = x_t * sw[:, None]
    k_fe = absorbed_dof(factors, connected=connected)
    k_all = p + k_fe
    df_resid = n - k_all
    if p:
        xtx = x_t.T @ x_t
        try:
            bread = np.linalg.inv(xtx)
        except np.linalg.LinAlgError:
            bread = np.full((p, p), np.inf)
        if not np.all(np.isfinite(bread)) or np.linalg.cond(xtx) > 1e14:
            bad = _collinear(xtx, names)
            where = " after absorbing fixed effects" if factors else ""
            raise EstimationError(
                f"regressors are collinear{where}: {bad} add nothing the other columns do not "
                "already explain; the coefficients are not identified (drop one of them)"
            )
        coef = bread @ (x_t.T @ y_t)
        resid_t = y_t - x_t @ coef
    else:
        bread = np.zeros((0, 0))
        coef = np.zeros(0)
        resid_t = y_t
    if df_resid < 0:
        raise EstimationError(
            f"too few observations: {n} rows for {k_all} parameters; expected at least as many "
            "rows as parameters"
        )
    rss = float(resid_t @ resid_t)
    warn: list[ResultWarning] = []
    label = vcov
    n_clusters: int | None = None
    inference_df: float = float(df_resid)
    if vcov in CLUSTER_CONVENTIONS:
        if clusters is None:
            raise EstimationError(f"vcov={vcov!r}: cluster-robust SEs need clusters; give them")
        ccodes, g = clusters
        if g < 2:
            raise EstimationError(
                f"cluster-robust SEs ({vcov}) need at least 2 clusters, got {g}; use "
                "vcov='hc1' or 'iid', or give more clusters"
            )
        n_clusters = g
        inference_df = float(g - 1)
    elif vcov == "driscoll_kraay" and time is None:
        raise EstimationError("vcov='driscoll_kraay' needs the period of each row (time=)")
    if vcov in ("hc2", "hc3") and factors:
        raise EstimationError(
            f"vcov={vcov!r}: leverage-adjusted SEs are not defined here with absorbed fixed "
            "effects; use 'hc1' or a cluster convention"
        )
    if df_resid == 0 or p == 0:
        v = np.full((p, p), np.nan)
        if df_resid == 0:
            warn.append(
                ResultWarning(
                    code=WarningCode.UNDEFINED_SE,
                    message=f"{n} observations for {k_all} parameters: the model fits exactly, "
                    "so the coefficients are defined but their standard errors are not",
                )
            )
            inference_df = math.nan
    elif vcov == "iid":
        v = bread * (rss / df_resid)
    elif vcov in ("hc0", "hc1", "hc2", "hc3"):
        e = resid_t
        if vcov in ("hc2", "hc3"):
            h = np.einsum("ij,jk,ik->i", x_t, bread, x_t)
            one_minus = np.clip(1.0 - h, 1e-300, None)
            e = e / (np.sqrt(one_minus) if vcov == "hc2" else one_minus)
        xe = x_t * e[:, None]
        v = bread @ (xe.T @ xe) @ bread
        if vcov == "hc1":
            v = v * (n / df_resid)
    elif vcov in CLUSTER_CONVENTIONS:
        assert clusters is not None
        ccodes, g = clusters
        if vcov == "crv3" and factors:
            v = _crv3_refit(y, x, coef, factors, weights, ccodes, g)
        elif vcov == "crv3":
            v = _crv3(x_t, y_t, coef, ccodes, g)
        else:
            scores = np.empty((g, p))
            for j in range(p):  # a handful of regressors
                scores[:, j] = np.bincount(ccodes, weights=x_t[:, j] * resid_t, minlength=g)
            v = bread @ (scores.T @ scores) @ bread
            if vcov == "crv1":
                nested = sum(nl - 1 for codes, nl in factors if _nested(codes, nl, ccodes))
                k_fixest = k_all - nested
                v = v * (g / (g - 1) * (n - 1) / (n - k_fixest))
            elif vcov == "crv1_lsdv":
                v = v * (g / (g - 1) * (n - 1) / df_resid)
            elif vcov == "linearmodels":
                v = v * (n / df_resid)
    else:  # newey_west, driscoll_kraay
        xe = x_t * resid_t[:, None]
        if vcov == "driscoll_kraay":
            assert time is not None
            tcodes, n_t = time
            h = np.empty((n_t, p))
            for j in range(p):  # a handful of regressors
                h[:, j] = np.bincount(tcodes, weights=xe[:, j], minlength=n_t)
            n_series = n_t
        else:
            if time is not None:
                tcodes, _ = time
                if np.unique(tcodes).shape[0] != tcodes.shape[0]:
                    raise EstimationError(
                        "vcov='newey_west': a period appears on more than one row; Newey–West "
                        "needs one series in time order (use 'driscoll_kraay' for panels)"
                    )
                h = xe[np.argsort(tcodes, kind="stable")]
            else:
                h = xe
            n_series = n
        if lags is None:
            lags = math.floor(4 * (n_series / 100) ** (2 / 9))
        if lags < 0:
            raise EstimationError(f"lags: expected a lag of 0 or more, got {lags}")
        meat = h.T @ h
        for lag in range(1, min(lags, n_series - 1) + 1):  # over lags, not rows
            gam = h[lag:].T @ h[:-lag]
            meat += (1.0 - lag / (lags + 1.0)) * (gam + gam.T)
        v = bread @ meat @ bread
        label = f"{vcov}(lags={lags})"
    se = np.sqrt(np.clip(np.diag(v), 0, None)) if p else np.zeros(0)
    se = np.where(np.isnan(np.diag(v)), np.nan, se) if p else se
    crit = t_quantile(level, inference_df) if np.isfinite(inference_df) else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = coef / se
    if np.isfinite(inference_df):
        pval = 2 * stats.t.sf(np.abs(tstat), inference_df)
    else:
        pval = np.full(p, np.nan)
    pval = np.where(np.isfinite(tstat), pval, np.nan)
    # R², within R², adjusted R², F
    r2 = 1.0 - rss / tss if tss > 0 else math.nan
    r2_within = math.nan
    if factors:
        tss_w = float(y_t @ y_t)
        r2_within = 1.0 - rss / tss_w if tss_w > 0 else math.nan
    adj = (n - (1 if centred else 0)) / df_resid if df_resid > 0 else math.nan
    adj_r2 = 1.0 - (1.0 - r2) * adj
    slope = [i for i, nm in enumerate(names) if not (has_intercept and nm == "const")]
    q = len(slope)
    f_stat = f_p = math.nan
    if q and df_resid > 0 and np.isfinite(v).all():
        b = coef[slope]
        vs = v[np.ix_(slope, slope)]
        if np.linalg.matrix_rank(vs) == q:
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # a perfect fit
                f_stat = float(b @ np.linalg.solve(vs, b)) / q
            f_p = float(stats.f.sf(f_stat, q, inference_df))
    resid = resid_t if weights is None else y_raw_t - (x_t / sw[:, None]) @ coef
    return RegressionResult(
        names=tuple(names),
        coef=coef,
        se=se,
        t=tstat,
        p_value=pval,
        ci_low=coef - crit * se,
        ci_high=coef + crit * se,
        vcov=v,
        convention=label,
        ci_level=level,
        n_obs=n,
        df_resid=float(df_resid),
        df=inference_df,
        n_absorbed=k_fe,
        n_clusters=n_clusters,
        rss=rss,
        tss=tss,
        r2=r2,
        adj_r2=adj_r2,
        r2_within=r2_within,
        f_stat=f_stat,
        f_p=f_p,
        f_df=(float(q), inference_df),
        outcome_unit=outcome_unit,
        resid=resid,
        warnings=tuple(warn),
    )


def _crv3(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    coef: NDArray[np.float64],
    ccodes: NDArray[np.intp],
    g: int,
) -> NDArray[np.float64]:
    """The leave-one-cluster-out jackknife covariance (CV3 of MacKinnon, Nielsen & Webb 2023)."""
    p = x.shape[1]
    xtx = x.T @ x
    xty = x.T @ y
    xgxg = np.empty((g, p, p))
    xgyg = np.empty((g, p))
    for i in range(p):  # p(p+1)/2 group sums, not a loop over rows
        xgyg[:, i] = np.bincount(ccodes, weights=x[:, i] * y, minlength=g)
        for j in range(i, p):
            s = np.bincount(ccodes, weights=x[:, i] * x[:, j], minlength=g)
            xgxg[:, i, j] = s
            xgxg[:, j, i] = s
    lhs = xtx[None, :, :] - xgxg
    rhs = xty[None, :] - xgyg
    try:
        beta = np.linalg.solve(lhs, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        raise EstimationError(
            "vcov='crv3': leaving one cluster out leaves the regressors collinear (a cluster "
            "holds all the variation of a regressor); use 'crv1'"
        ) from None
    d = beta - coef[None, :]
    out: NDArray[np.float64] = (g - 1) / g * (d.T @ d)
    return out


def _crv3_refit(
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    coef: NDArray[np.float64],
    factors: Sequence[tuple[NDArray[np.intp], int]],
    weights: NDArray[np.float64] | None,
    ccodes: NDArray[np.intp],
    g: int,
) -> NDArray[np.float64]:
    """CV3 with absorbed effects: each leave-one-cluster-out fit absorbs its own effects.

    A loop over clusters (few, by the nature of this convention), each a vectorised fit.
    """
    p = x.shape[1]
    beta = np.empty((g, p))
    for c in range(g):
        keep = ccodes != c
        sub = []
        for codes, _ in factors:
            levels, recoded = np.unique(codes[keep], return_inverse=True)
            sub.append((recoded.astype(np.intp).reshape(-1), int(levels.shape[0])))
        stacked = np.column_stack([y[keep], x[keep]])
        w = None if weights is None else weights[keep]
        dm = demean(stacked, sub, weights=w)
        if w is not None:
            dm = dm * np.sqrt(w)[:, None]
        sol, _, rank, _ = np.linalg.lstsq(dm[:, 1:], dm[:, 0], rcond=None)
        if rank < p:
            raise EstimationError(
                "vcov='crv3': leaving one cluster out leaves the regressors collinear (a cluster "
                "holds all the variation of a regressor); use 'crv1'"
            )
        beta[c] = sol
    d = beta - coef[None, :]
    out: NDArray[np.float64] = (g - 1) / g * (d.T @ d)
    return out


# ---------------------------------------------------------------------- regress(): any input
def _column_values(value: Any, name: str, n: int | None) -> tuple[NDArray[np.float64], Any]:
    """A numeric column from an array, a quantity, a MetricSeries or a pandas Series."""
    unit = None
    if hasattr(value, "ordinals") and hasattr(value, "values") and hasattr(value, "unit"):
        unit = value.unit  # a MetricSeries: its values in its unit
        value = value.values
    elif isinstance(value, pint.Quantity):
        unit = value.units
        value = value.magnitude
    try:
        if hasattr(value, "to_numpy"):  # a pandas Series (missing values become NaN)
            value = value.to_numpy(dtype=np.float64, na_value=np.nan)
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise EstimationError(f"{name}: expected numbers per row, could not read them") from None
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        want = f"{n} values (one per row)" if n is not None else "a 1-d array"
        raise EstimationError(f"{name}: expected {want}, got shape {arr.shape}")
    return arr, unit


def named_columns(regressors: Any, n: int) -> tuple[list[str], list[NDArray[np.float64]]]:
    """Names and float columns of ``n`` rows from a mapping, a pandas DataFrame or a 2-d array.

    Mapping values may be numbers, pint quantities (their magnitudes),
    :class:`~civicinnov.metrics.MetricSeries` (their values) or pandas Series.

    Raises:
        EstimationError: a column of another length, or values that are not numbers.

    Example:
        >>> names, cols = named_columns({"rain": [1, 2]}, 2)
        >>> names, cols[0].tolist()
        (['rain'], [1.0, 2.0])
    """
    if regressors is None:
        return [], []
    if hasattr(regressors, "columns") and hasattr(regressors, "__getitem__"):  # a DataFrame
        regressors = {str(c): regressors[c] for c in regressors.columns}
    if isinstance(regressors, Mapping):
        names = [str(k) for k in regressors]
        cols = [_column_values(regressors[k], f"regressors[{k!r}]", n)[0] for k in regressors]
        return names, cols
    arr = np.asarray(regressors, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != n:
        raise EstimationError(
            f"regressors: expected {n} rows (one per outcome), got shape {arr.shape}"
        )
    return [f"x{j + 1}" for j in range(arr.shape[1])], [arr[:, j] for j in range(arr.shape[1])]


def regress(
    outcome: Any,
    regressors: Any = None,
    *,
    intercept: bool = True,
    absorb: Any = None,
    weights: Any = None,
    vcov: str = "iid",
    clusters: Any = None,
    lags: int | None = None,
    time: Any = None,
    unit: str | Unit | None = None,
    level: float = 0.95,
) -> RegressionResult:
    """Fit ``outcome`` on named regressors by (weighted) least squares, with a named variance.

    Rows with a missing (NaN) outcome, regressor or weight are left out.

    Args:
        outcome: the outcome per row: numbers, a pint quantity, a
            :class:`~civicinnov.metrics.MetricSeries` (its values and unit) or a pandas
            Series.
        regressors: a mapping of name to column (numbers, quantity, ``MetricSeries``, pandas
            Series), a pandas DataFrame (its column names become the terms), or a 2-d array
            (terms ``x1``, ``x2`` ...).
        intercept: add a constant ``const`` (dropped when effects are absorbed).
        absorb: one id column, or a sequence or mapping of up to two id columns, whose fixed
            effects are absorbed (e.g. ``{"unit": units, "year": years}``).
        weights: positive analytic weights per row (weighted least squares).
        vcov: the variance convention, one of :data:`CONVENTIONS` (see the module docstring).
        clusters: an id per row for the cluster conventions.
        lags: the Bartlett lag for ``newey_west`` and ``driscoll_kraay``.
        time: the period of each row: the order of the series for ``newey_west``, the periods
            whose scores ``driscoll_kraay`` sums.
        unit: the outcome's unit, unless ``outcome`` carries one.
        level: coverage of the confidence intervals.

    Returns:
        A :class:`RegressionResult`.

    Raises:
        EstimationError: misaligned columns, collinear regressors, an unknown convention,
            negative weights, too few rows, one cluster.
        UnitError: an unknown unit.

    Example:
        >>> units = [1, 1, 2, 2, 3, 3]; years = [0, 1] * 3
        >>> r = regress([2.0, 5.0, 2.0, 3.0, 1.0, 2.2], {"treated": [0, 1, 0, 0, 0, 0]},
        ...             absorb={"unit": units, "year": years}, vcov="hc1")
        >>> r.names, round(float(r.coef[0]), 2), r.n_absorbed
        (('treated',), 1.9, 4)
    """
    if not 0 < level < 1:
        raise EstimationError(f"level: expected a confidence level between 0 and 1, got {level}")
    y, y_unit = _column_values(outcome, "outcome", None)
    n = int(y.shape[0])
    if y_unit is not None and unit is not None:
        y = np.asarray(
            as_quantity(get_registry().Quantity(y, y_unit), unit, where="outcome").magnitude,
            dtype=np.float64,
        )
        y_unit = None
    out_unit: Unit | None
    if y_unit is not None:
        out_unit = get_registry().Unit(str(y_unit))
    elif unit is not None:
        out_unit = unit if isinstance(unit, pint.Unit) else parse_unit(unit, where="unit")
    else:
        out_unit = None
    names, cols = named_columns(regressors, n)
    if intercept and absorb is None:
        if "const" in names:
            raise EstimationError("regressors: 'const' is the intercept's name; rename the column")
        names, cols = ["const", *names], [np.ones(n), *cols]
    if len(set(names)) != len(names):
        raise EstimationError(f"regressors: names must be distinct, got {names}")
    keep = np.isfinite(y)
    for c in cols:
        keep &= np.isfinite(c)
    w = None
    if weights is not None:
        w, _ = _column_values(weights, "weights", n)
        if (w[np.isfinite(w)] < 0).any():
            raise EstimationError("weights: expected weights of 0 or more, got negative ones")
        keep &= np.isfinite(w) & (w > 0)
    id_cols: list[tuple[str, Any]] = []
    if absorb is not None:
        if isinstance(absorb, Mapping):
            id_cols = [(str(k), v) for k, v in absorb.items()]
        elif hasattr(absorb, "columns"):
            id_cols = [(str(c), absorb[c]) for c in absorb.columns]
        elif isinstance(absorb, (list, tuple)) and absorb and np.ndim(absorb[0]) == 1:
            id_cols = [(f"absorb[{i}]", v) for i, v in enumerate(absorb)]
        else:
            id_cols = [("absorb", absorb)]
    raw_ids = []
    for name, ids in id_cols:
        arr = np.asarray(ids.to_numpy() if hasattr(ids, "to_numpy") else ids)
        if arr.ndim != 1 or arr.shape[0] != n:
            raise EstimationError(f"{name}: expected {n} ids (one per row), got shape {arr.shape}")
        raw_ids.append((name, arr))
    cl_raw = None
    if clusters is not None:
        cl_raw = np.asarray(clusters.to_numpy() if hasattr(clusters, "to_numpy") else clusters)
        if cl_raw.ndim != 1 or cl_raw.shape[0] != n:
            raise EstimationError(f"clusters: expected {n} ids (one per row), got {cl_raw.shape}")
    t_raw = None
    if time is not None:
        t_raw = np.asarray(time.to_numpy() if hasattr(time, "to_numpy") else time)
        if t_raw.ndim != 1 or t_raw.shape[0] != n:
            raise EstimationError(f"time: expected {n} periods (one per row), got {t_raw.shape}")
    if not keep.all():
        y = y[keep]
        cols = [c[keep] for c in cols]
        w = None if w is None else w[keep]
        raw_ids = [(nm, a[keep]) for nm, a in raw_ids]
        cl_raw = None if cl_raw is None else cl_raw[keep]
        t_raw = None if t_raw is None else t_raw[keep]
    factors = []
    for name, arr in raw_ids:
        lv, codes = factorize(arr, name)
        factors.append((codes, int(lv.shape[0])))
    cl = None
    if cl_raw is not None:
        lv, codes = factorize(cl_raw, "clusters")
        cl = (codes, int(lv.shape[0]))
    tm = None
    if t_raw is not None:
        lv, codes = factorize(t_raw, "time")
        tm = (codes, int(lv.shape[0]))
    x = np.column_stack(cols) if cols else np.empty((y.shape[0], 0))
    if y.shape[0] == 0:
        raise EstimationError("regress: no usable rows (every row has a missing value)")
    return fit_ols(
        y,
        x,
        names,
        has_intercept=intercept and absorb is None,
        factors=factors,
        weights=w,
        vcov=vcov,
        clusters=cl,
        lags=lags,
        time=tm,
        level=level,
        outcome_unit=out_unit,
    )
