"""Interrupted time series: one series, known interruptions, level shifts and slope changes.

What lives here: :func:`interrupted_time_series`. It needs no comparison group, so its design is
weaker (Maryland SMS level 2) than the difference-in-differences designs.

Models (Wagner et al. 2002, "Segmented regression analysis of interrupted time series studies";
Bernal, Cummins & Gasparrini 2017 for seasonality and controls):

- ``"level"``: ``y = β0 + Σ_k βk·post_k``: segment means; ``post`` is their difference.
- ``"segmented"`` (default): ``y = β0 + trend terms + Σ_k (βk·post_k + γk·t_post_k)`` with ``t``
  counted from the first period, ``post_k = 1[period ≥ interruption_k]`` and
  ``t_post_k = (period − interruption_k)·post_k``: ``post_k`` is the level change at the k-th
  interruption, ``t_post_k`` the change in slope. ``trend="quadratic"`` adds ``t2 = t²``.
- ``"shift"``: the trend terms and a level change at each interruption, no change of slope
  (``gfr ~ t + pill + ...`` in Wooldridge's *Introductory Econometrics*, Example 10.8).
- ``events`` adds a dummy per temporary window (a war, six months around a ruling: Wooldridge's
  Example 10.5, ``befile6``, ``affile6``, ``afdec6``).
- ``seasonal=s`` adds dummies ``season_1 .. season_{s−1}`` for ``period mod s`` (season 0 is the
  reference; monthly ordinals of :mod:`civicinnov.periods` count from January 1970, so
  ``seasonal=12`` gives calendar months).
- ``controls`` adds named covariates (e.g. ``gfr ~ pe + ww2 + pill + t``: Wooldridge,
  *Introductory Econometrics*, Example 10.4, with ``ww2`` and ``pill`` as interruptions).

With one interruption the terms are ``post`` and ``t_post``; with several, ``post_<period>`` and
``t_post_<period>``; interruptions given as ``{name: period}`` and events are named by their
keys (slope terms ``t_<name>``). The headline estimate is the level change at the first
interruption, or the first event's coefficient when there are only events.

Standard errors: any convention of :func:`~civicinnov.evaluation.regress` that needs no
clusters; ``"newey_west"`` with ``lags`` chosen by the caller (default ⌊4(n/100)^(2/9)⌋, Newey &
West 1994) and no small-sample adjustment (as statsmodels ``cov_type='HAC'``); intervals use
t(n − k).

``stats`` also hold the residual sum of squares with and without the breaks and the BIC as R's
``strucchange::breakpoints`` reports it: n·log(RSS/n) + n·(1 + log 2π) + k·log n, where k counts
the coefficients, the error variance and the break dates.

Example:
    >>> r = interrupted_time_series([1, 2, 3, 4, 5, 6], [10.0, 10.5, 11.2, 7.0, 7.4, 8.1],
    ...                             interruption=4, unit="incident", model="level")
    >>> round(r.estimate.value, 3), str(r.outcome_unit)
    (-3.067, 'incident')
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._panel import outcome_values, period_ordinals
from civicinnov.evaluation._regression import (
    CLUSTER_CONVENTIONS,
    CONVENTIONS,
    fit_ols,
    named_columns,
)
from civicinnov.evaluation._results import ImpactResult, ResultWarning, RowReport, WarningCode
from civicinnov.model import EvaluationDesign

if TYPE_CHECKING:
    from civicinnov.units import Unit

__all__ = ["interrupted_time_series"]

_ASSUME = (
    "without the interruption the pre-interruption level and trend would have continued",
    "nothing else that moves the outcome changed at the interruption",
)
_SERIES_CONVENTIONS = tuple(
    c for c in CONVENTIONS if c not in (*CLUSTER_CONVENTIONS, "driscoll_kraay")
)


def _control_matrix(
    controls: Any, n: int, order: NDArray[np.intp]
) -> tuple[list[str], NDArray[np.float64]]:
    names, cols = named_columns(controls, n)
    if not cols:
        return [], np.empty((n, 0))
    return names, np.column_stack(cols)[order]


def interrupted_time_series(
    periods: Any,
    outcome: Any = None,
    *,
    interruption: int | Sequence[int] | Mapping[str, int] | None = None,
    events: Mapping[str, tuple[int, int]] | None = None,
    unit: str | Unit | None = None,
    model: str = "segmented",
    trend: str = "linear",
    seasonal: int | None = None,
    controls: Any = None,
    vcov: str = "iid",
    lags: int | None = None,
    level: float = 0.95,
) -> ImpactResult:
    """Estimate the change in level (and slope) of one series at known interruptions.

    Args:
        periods: integer period ordinals, or a :class:`~civicinnov.metrics.MetricSeries`
            (then leave ``outcome`` and ``unit`` out).
        outcome: values (array with ``unit``, or a quantity).
        interruption: the first period of the post-interruption segment, or several such
            periods (one level change, and with ``"segmented"`` one slope change, each), or a
            mapping of a name to such a period (the level term takes the name, the slope term
            ``t_<name>``).
        events: temporary events: a name mapped to the first and last period of a window
            (``{"ww2": (1941, 1945)}``); each adds a dummy that is 1 inside its window.
        unit: the outcome unit.
        model: ``"segmented"`` (trend, level and slope changes), ``"shift"`` (trend and level
            changes) or ``"level"`` (no trend: segment means).
        trend: the underlying trend of ``"segmented"`` and ``"shift"``: ``"linear"`` or
            ``"quadratic"``.
        seasonal: the number of seasons (12 for months, 4 for quarters): season dummies.
        controls: covariates: a mapping of name to values per period (arrays, quantities,
            :class:`~civicinnov.metrics.MetricSeries`, pandas Series) in the order of
            ``periods``, or a pandas DataFrame; the terms take their names.
        vcov: a convention without clusters: ``"iid"``, ``"hc0"`` – ``"hc3"``, ``"newey_west"``.
        lags: the Newey–West lag (only with ``vcov="newey_west"``).
        level: confidence level.

    Returns:
        An :class:`~civicinnov.evaluation.ImpactResult`; ``regression`` holds the whole fit.

    Raises:
        PanelError: duplicate periods, mismatched lengths, non-integer periods.
        EstimationError: neither interruptions nor events, an event window that ends before it
            starts, fewer than two usable observations in a segment, an unknown model, trend or
            convention, collinear terms.

    Example:
        >>> r = interrupted_time_series(list(range(8)), [1.0, 2.1, 2.9, 4.0, 2.0, 3.1, 3.9, 5.2],
        ...                             interruption=4, unit="", vcov="newey_west", lags=1)
        >>> [t.name for t in r.terms], r.convention
        (['const', 't', 'post', 't_post'], 'newey_west(lags=1)')
        >>> round(r.estimate.value, 2)
        -2.96
    """
    if outcome is None and hasattr(periods, "ordinals"):
        series = periods
        periods, outcome, unit = series.ordinals, series.values, series.unit
    if vcov not in _SERIES_CONVENTIONS:
        raise EstimationError(
            f"vcov: unknown convention {vcov!r} for one series; expected one of "
            f"{list(_SERIES_CONVENTIONS)}"
        )
    if model not in ("segmented", "shift", "level"):
        raise EstimationError(f"model: expected 'segmented', 'shift' or 'level', got {model!r}")
    if trend not in ("linear", "quadratic"):
        raise EstimationError(f"trend: expected 'linear' or 'quadratic', got {trend!r}")
    if lags is not None and vcov != "newey_west":
        raise EstimationError(f"lags: only used with vcov='newey_west', got vcov={vcov!r}")
    if seasonal is not None and (isinstance(seasonal, bool) or seasonal < 2):
        raise EstimationError(
            f"seasonal: expected a number of seasons of 2 or more, got {seasonal}"
        )
    named: dict[int, str] = {}
    if isinstance(interruption, Mapping):
        named = {int(v): str(k) for k, v in interruption.items()}
        breaks = sorted(named)
    elif interruption is None:
        breaks = []
    else:
        breaks = sorted({int(b) for b in np.atleast_1d(np.asarray(interruption)).tolist()})
    windows = {str(k): (int(v[0]), int(v[1])) for k, v in (events or {}).items()}
    if not breaks and not windows:
        raise EstimationError(
            "interruption: expected at least one interruption period or one event window"
        )
    bad = [k for k, (lo, hi) in windows.items() if hi < lo]
    if bad:
        raise EstimationError(
            f"events: the windows of {bad} end before they start; expected (first, last) periods"
        )
    y, out_unit = outcome_values(outcome, unit)
    per = period_ordinals(periods, y.shape[0])
    order = np.argsort(per, kind="stable")
    per, y = per[order], y[order]
    if (np.diff(per) == 0).any():
        dup = int(per[1:][np.diff(per) == 0][0])
        raise PanelError(f"periods: period {dup} appears more than once; expected one value each")
    ctrl_names, ctrl = _control_matrix(controls, int(y.shape[0]), order)
    keep = np.isfinite(y)
    rows = RowReport(given=int(y.shape[0]), used=int(y.shape[0])).drop(
        "outcome missing (NaN)", int((~keep).sum())
    )
    if ctrl.shape[1]:
        ok = np.isfinite(ctrl).all(axis=1)
        rows = rows.drop("a control missing (NaN)", int((keep & ~ok).sum()))
        keep &= ok
    per, y, ctrl = per[keep], y[keep], ctrl[keep]
    bounds = [-math.inf, *breaks, math.inf]
    seg_sizes = [int(((per >= lo) & (per < hi)).sum()) for lo, hi in itertools.pairwise(bounds)]
    if windows:
        empty = [k for k, (lo, hi) in windows.items() if not ((per >= lo) & (per <= hi)).any()]
        if empty:
            raise EstimationError(
                f"events: no observation falls in the windows of {empty}; expected periods the "
                "series holds"
            )
    if min(seg_sizes) < 2 and len(breaks) == 1:
        raise EstimationError(
            f"interrupted_time_series: {seg_sizes[0]} observations before and {seg_sizes[1]} "
            f"from the interruption {breaks[0]}; expected at least 2 on each side"
        )
    if min(seg_sizes) < 2:
        shown = ", ".join(str(k) for k in seg_sizes)
        raise EstimationError(
            f"interrupted_time_series: the segments around the interruption(s) {breaks} hold "
            f"{shown} observations; expected at least 2 in each"
        )
    n = int(y.shape[0])
    t = (per - per[0]).astype(np.float64)
    ones = np.ones(n)
    base_names, base = ["const"], [ones]
    if model != "level":
        base_names.append("t")
        base.append(t)
        if trend == "quadratic":
            base_names.append("t2")
            base.append(t**2)
    if seasonal is not None:
        season = np.mod(per, seasonal)
        for k in range(1, seasonal):
            if (season == k).any():
                base_names.append(f"season_{k}")
                base.append((season == k).astype(np.float64))
    base_names += ctrl_names
    base += [ctrl[:, j] for j in range(ctrl.shape[1])]
    one = len(breaks) == 1
    brk_names: list[str] = []
    brk: list[NDArray[np.float64]] = []
    for b in breaks:
        post = (per >= b).astype(np.float64)
        label = named.get(b) or ("post" if one else f"post_{b}")
        brk_names.append(label)
        brk.append(post)
        if model == "segmented":
            brk_names.append(f"t_{label}")
            brk.append((per - b) * post)
    for name, (lo, hi) in windows.items():
        brk_names.append(name)
        brk.append(((per >= lo) & (per <= hi)).astype(np.float64))
    # order: const, trend terms, break terms, seasons, controls (the textbook layout)
    trend_names = [nm for nm in base_names if nm in ("const", "t", "t2")]
    other_names = [nm for nm in base_names if nm not in ("const", "t", "t2")]
    names = [*trend_names, *brk_names, *other_names]
    columns = dict(zip(base_names, base, strict=True)) | dict(zip(brk_names, brk, strict=True))
    if len(set(names)) != len(names):
        raise EstimationError(f"controls: a control's name clashes with a model term: {names}")
    x = np.column_stack([columns[nm] for nm in names])
    if vcov == "newey_west" and lags is None:
        lags = math.floor(4 * (n / 100) ** (2 / 9))
    fit = fit_ols(
        y, x, names, has_intercept=True, vcov=vcov, lags=lags, level=level, outcome_unit=out_unit
    )
    names0 = [nm for nm in names if nm not in brk_names]
    x0 = np.column_stack([columns[nm] for nm in names0])
    rss0 = fit_ols(y, x0, names0, has_intercept=True).rss  # the same model without the breaks
    tss = float(((y - y.mean()) ** 2).sum())

    def bic(rss: float, k: int) -> float:
        if rss <= 0:  # a perfect fit: the likelihood is unbounded
            return -math.inf
        return n * math.log(rss / n) + n * (1 + math.log(2 * math.pi)) + k * math.log(n)

    first_post = per >= breaks[0] if breaks else per > per.max()
    stats = {
        "r2": 1 - fit.rss / tss if tss > 0 else float("nan"),
        "rss": fit.rss,
        "rss_no_break": rss0,
        "bic": bic(fit.rss, x.shape[1] + 1 + len(breaks)),
        "bic_no_break": bic(rss0, x0.shape[1] + 1),
    }
    if breaks:
        stats["mean_pre"] = float(y[~first_post].mean())
        stats["mean_post"] = float(y[first_post].mean())
    warnings: list[ResultWarning] = list(fit.warnings)
    if rows.n_dropped:
        warnings.insert(0, ResultWarning(code=WarningCode.ROWS_DROPPED, message=str(rows)))
    return ImpactResult(
        estimator="interrupted_time_series",
        estimate=fit.term(brk_names[0]),  # the first interruption, else the first event
        terms=fit.terms,
        outcome_unit=out_unit,
        convention=fit.convention,
        ci_level=level,
        n_obs=n,
        n_units=1,
        n_clusters=None,
        design=EvaluationDesign.INTERRUPTED_TIME_SERIES,
        assumptions=_ASSUME,
        warnings=tuple(warnings),
        rows=rows,
        stats=stats,
        regression=fit,
    )
