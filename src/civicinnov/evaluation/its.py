"""Interrupted time series: one series, a known interruption, a level shift and a slope change.

What lives here: :func:`interrupted_time_series`. It needs no comparison group, so its design is
weaker (Maryland SMS level 2) than the difference-in-differences designs of
:mod:`civicinnov.evaluation.did`.

Models (Wagner et al. 2002, "Segmented regression analysis of interrupted time series studies"):

- ``"level"``: ``y = β0 + β1·post``: the two segment means; ``post`` is their difference.
- ``"segmented"`` (default): ``y = β0 + β1·t + β2·post + β3·t_post`` with ``t`` counted from the
  first period, ``post = 1[period ≥ interruption]`` and ``t_post = (period − interruption)·post``:
  ``post`` is the level change at the interruption, ``t_post`` the change in slope.

Standard errors: ``"iid"`` (classical OLS), ``"hc1"``, or ``"newey_west"``: the Newey & West
(1987) HAC estimator with the Bartlett kernel, ``lags`` chosen by the caller (default
⌊4(n/100)^(2/9)⌋, Newey & West 1994) and no small-sample adjustment (as statsmodels
``cov_type='HAC'``); intervals use t(n − k).

``stats`` also hold the residual sum of squares with and without the break and the BIC as R's
``strucchange::breakpoints`` reports it: n·log(RSS/n) + n·(1 + log 2π) + k·log n, where k counts
the coefficients, the error variance and (with the break) the break date.

Example:
    >>> r = interrupted_time_series([1, 2, 3, 4, 5, 6], [10.0, 10.5, 11.2, 7.0, 7.4, 8.1],
    ...                             interruption=4, unit="incident", model="level")
    >>> round(r.estimate.value, 3), str(r.outcome_unit)
    (-3.067, 'incident')
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._linear import check_convention, estimate, ols
from civicinnov.evaluation.results import (
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.model import EvaluationDesign

if TYPE_CHECKING:
    from civicinnov.units import Unit

__all__ = ["interrupted_time_series"]

_ASSUME = (
    "without the interruption the pre-interruption level and trend would have continued",
    "nothing else that moves the outcome changed at the interruption",
)


def interrupted_time_series(
    periods: Any,
    outcome: Any = None,
    *,
    interruption: int,
    unit: str | Unit | None = None,
    model: str = "segmented",
    vcov: str = "iid",
    lags: int | None = None,
    level: float = 0.95,
) -> ImpactResult:
    """Estimate the change in level (and slope) of one series at a known interruption.

    Args:
        periods: integer period ordinals, or a :class:`~civicinnov.metrics.series.MetricSeries`
            (then leave ``outcome`` and ``unit`` out).
        outcome: values (array with ``unit``, or a quantity).
        interruption: the first period of the post-interruption segment.
        unit: the outcome unit.
        model: ``"segmented"`` (level and slope change) or ``"level"`` (two segment means).
        vcov: ``"iid"``, ``"hc1"`` or ``"newey_west"``.
        lags: the Newey–West lag (only with ``vcov="newey_west"``).
        level: confidence level.

    Raises:
        PanelError: duplicate periods, mismatched lengths, non-integer periods.
        EstimationError: fewer than two usable observations on either side.

    Example:
        >>> r = interrupted_time_series(list(range(8)), [1.0, 2.1, 2.9, 4.0, 2.0, 3.1, 3.9, 5.2],
        ...                             interruption=4, unit="", vcov="newey_west", lags=1)
        >>> [t.name for t in r.terms], r.convention
        (['const', 't', 'post', 't_post'], 'newey_west(lags=1)')
        >>> round(r.estimate.value, 2)
        -2.96
    """
    from civicinnov.evaluation.panel import _outcome, _periods

    if outcome is None and hasattr(periods, "ordinals"):
        series = periods
        periods, outcome, unit = series.ordinals, series.values, series.unit
    check_convention(vcov, ("iid", "hc1", "newey_west"))
    if model not in ("segmented", "level"):
        raise EstimationError(f"model: expected 'segmented' or 'level', got {model!r}")
    if lags is not None and vcov != "newey_west":
        raise EstimationError(f"lags: only used with vcov='newey_west', got vcov={vcov!r}")
    y, out_unit = _outcome(outcome, unit)
    per = _periods(periods, y.shape[0])
    order = np.argsort(per, kind="stable")
    per, y = per[order], y[order]
    if (np.diff(per) == 0).any():
        dup = int(per[1:][np.diff(per) == 0][0])
        raise PanelError(f"periods: period {dup} appears more than once; expected one value each")
    keep = np.isfinite(y)
    rows = RowReport(given=int(y.shape[0]), used=int(y.shape[0])).drop(
        "outcome missing (NaN)", int((~keep).sum())
    )
    per, y = per[keep], y[keep]
    post = per >= interruption
    n_pre, n_post = int((~post).sum()), int(post.sum())
    if n_pre < 2 or n_post < 2:
        raise EstimationError(
            f"interrupted_time_series: {n_pre} observations before and {n_post} from the "
            f"interruption {interruption}; expected at least 2 on each side"
        )
    n = int(y.shape[0])
    t = (per - per[0]).astype(np.float64)
    postf = post.astype(np.float64)
    ones = np.ones(n)
    if model == "level":
        names = ["const", "post"]
        x = np.column_stack([ones, postf])
        x0 = ones[:, None]
    else:
        names = ["const", "t", "post", "t_post"]
        x = np.column_stack([ones, t, postf, (per - interruption) * postf])
        x0 = np.column_stack([ones, t])
    if vcov == "newey_west" and lags is None:
        lags = math.floor(4 * (n / 100) ** (2 / 9))
    fit = ols(y, x, vcov=vcov, nw_lags=lags or 0)
    se = np.sqrt(np.clip(np.diag(fit.vcov), 0, None))
    terms = tuple(
        estimate(nm, float(b), float(s), fit.df, level)
        for nm, b, s in zip(names, fit.coef, se, strict=True)
    )
    b0 = np.linalg.lstsq(x0, y, rcond=None)[0]
    rss0 = float(((y - x0 @ b0) ** 2).sum())
    tss = float(((y - y.mean()) ** 2).sum())

    def bic(rss: float, k: int) -> float:
        if rss <= 0:  # a perfect fit: the likelihood is unbounded
            return -math.inf
        return n * math.log(rss / n) + n * (1 + math.log(2 * math.pi)) + k * math.log(n)

    stats = {
        "r2": 1 - fit.rss / tss if tss > 0 else float("nan"),
        "rss": fit.rss,
        "rss_no_break": rss0,
        "bic": bic(fit.rss, x.shape[1] + 2),
        "bic_no_break": bic(rss0, x0.shape[1] + 1),
        "mean_pre": float(y[~post].mean()),
        "mean_post": float(y[post].mean()),
    }
    warnings = (
        (ResultWarning(code=WarningCode.ROWS_DROPPED, message=str(rows)),) if rows.n_dropped else ()
    )
    return ImpactResult(
        estimator="interrupted_time_series",
        estimate=terms[names.index("post")],
        terms=terms,
        outcome_unit=out_unit,
        convention=f"newey_west(lags={lags})" if vcov == "newey_west" else vcov,
        ci_level=level,
        n_obs=n,
        n_units=1,
        n_clusters=None,
        design=EvaluationDesign.INTERRUPTED_TIME_SERIES,
        assumptions=_ASSUME,
        warnings=warnings,
        rows=rows,
        stats=stats,
    )
