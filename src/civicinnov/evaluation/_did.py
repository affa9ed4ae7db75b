"""Difference-in-differences: the 2x2 comparison, two-way fixed effects, and the event study.

What lives here: :func:`did_2x2`, :func:`twfe` and :func:`event_study`, each taking a
:class:`~civicinnov.evaluation.Panel` and returning an
:class:`~civicinnov.evaluation.ImpactResult`. Staggered adoption with heterogeneous
effects is :func:`~civicinnov.evaluation.callaway_santanna`; a single series is :func:`~civicinnov.evaluation.interrupted_time_series`.

Methods and conventions:

- **2x2 DiD** (Card & Krueger 1994; Wooldridge, *Introductory Econometrics*, §13.2): the
  regression ``y ~ 1 + treated + post + treated·post (+ controls)``; without controls its
  interaction equals the difference of the four cell means, also reported as ``att_2x2_means``.
  Works on panels and on repeated cross-sections.
- **TWFE** ``y_it = α_i + λ_t + β·D_it (+ controls)``: unit and period effects are absorbed by the
  within transformation, in closed form on balanced panels and by alternating projections on
  unbalanced ones (Guimarães & Portugal 2010; Correia 2016), so no dummy matrix is ever built.
- **Event study**: TWFE with one dummy per period relative to adoption for treated units,
  one reference period left out (default −1), and a joint Wald test that the leads are zero.
- **Standard errors**: ``crv1`` (default on panels) is the cluster-robust sandwich with the
  fixest/pyfixest small-sample factor G/(G−1)·(N−1)/(N−K), K counting the regressors and the
  fixed effects *not nested* in the clusters (Bergé 2018, fixest ``ssc()`` defaults);
  ``crv1_lsdv`` counts every dummy (statsmodels on the dummy-variable fit); ``linearmodels``
  uses N/(N−K_all) (linearmodels PanelOLS default); ``cr0`` has no factor; ``iid`` is the
  classical OLS SE with N−K_all degrees of freedom; ``hc1`` is White's SE with the HC1 factor
  (MacKinnon & White 1985). Clustered intervals and p-values use t(G−1); others t(N−K_all).

The absorbed fixed effects are counted as n_units + n_periods − 1, which assumes the panel is
connected (every unit shares a period with the rest), as it is in any DiD design.

Example:
    >>> from civicinnov.evaluation import Panel
    >>> p = Panel.from_arrays(
    ...     units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3, outcome=[2.0, 5.0, 2.0, 3.0, 1.0, 2.2],
    ...     unit="case", first_treated={1: 1, 2: None, 3: None})
    >>> round(twfe(p, vcov="hc1").estimate.value, 2)
    1.9
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats as st

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._panel import Panel
from civicinnov.evaluation._regression import (
    CLUSTER_CONVENTIONS,
    RegressionResult,
    check_convention,
    estimate,
    fit_ols,
)
from civicinnov.evaluation._results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.model import EvaluationDesign

__all__ = ["did_2x2", "event_study", "first_difference", "twfe"]

FEW_CLUSTERS = 30
FEW_TREATED_CLUSTERS = 5

_PARALLEL = (
    "parallel trends: without the initiative, treated and comparison units' outcomes would have "
    "changed by the same amount"
)
_NO_ANTICIPATION = "no anticipation: outcomes do not react before treatment starts"
_SUTVA = "no spillovers: one unit's treatment does not change another unit's outcome"


def did_2x2(
    panel: Panel,
    *,
    controls: tuple[str, ...] | list[str] | None = None,
    vcov: str | None = None,
    level: float = 0.95,
) -> ImpactResult:
    """Estimate a 2x2 difference-in-differences: treated vs comparison, before vs after.

    The treated group is every unit with a first treated period; all must share one adoption
    period, which splits the periods into *pre* and *post*. The estimate is the interaction of
    ``y ~ 1 + treated + post + treated·post (+ controls)``; ``terms`` hold all coefficients
    (``const``, ``treated``, ``post``, ``treated_post`` and the controls) and ``stats`` the four
    cell means, their difference ``att_2x2_means`` and ``r2``.

    Args:
        panel: a panel or repeated cross-sections.
        controls: names of the panel's controls to include (default: none).
        vcov: ``"iid"``, ``"hc1"`` or a cluster convention (``"crv1"`` ...); default ``"crv1"``
            by the panel's clusters for panels and ``"hc1"`` for repeated cross-sections.
        level: confidence level of the intervals.

    Raises:
        EstimationError: no treated or no comparison units, more than one adoption period, an
            empty cell, a single cluster with a cluster convention.

    Example:
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_cross_sections(periods=[0, 0, 1, 1, 0, 0, 1, 1],
        ...     outcome=[10.0, 12.0, 15.0, 17.0, 11.0, 11.0, 12.0, 13.0],
        ...     treated=[1, 1, 1, 1, 0, 0, 0, 0], adoption=1, unit="dwelling")
        >>> r = did_2x2(p, vcov="iid")
        >>> r.estimate.value, r.stats["att_2x2_means"]
        (3.5, 3.5)
    """
    vcov = check_convention(vcov or ("hc1" if panel.cross_section else "crv1"))
    _require_adoption(panel, "did_2x2")
    use = _control_columns(panel, controls)
    cohorts = panel.cohorts
    if cohorts.size == 0:
        raise EstimationError("did_2x2: no treated units; expected some units with a first_treated")
    if cohorts.size > 1:
        raise EstimationError(
            f"did_2x2: treated units adopt in {cohorts.size} different periods "
            f"{[int(c) for c in cohorts[:6]]}; a 2x2 comparison needs one adoption period (use "
            "callaway_santanna or twfe for staggered adoption)"
        )
    if np.isfinite(panel.cohort).all():
        raise EstimationError("did_2x2: no comparison units; every unit is treated")
    group = np.isfinite(panel.row_cohort).astype(np.float64)
    post = (panel.periods >= cohorts[0]).astype(np.float64)
    cells = {}
    for name, g, t in (
        ("mean_treated_pre", 1, 0),
        ("mean_treated_post", 1, 1),
        ("mean_comparison_pre", 0, 0),
        ("mean_comparison_post", 0, 1),
    ):
        mask = (group == g) & (post == t)
        if not mask.any():
            raise EstimationError(
                f"did_2x2: the {name.removeprefix('mean_').replace('_', ' ')} cell is empty; "
                "expected observations in all four group-by-period cells"
            )
        cells[name] = float(panel.outcome[mask].mean())
    means_att = (cells["mean_treated_post"] - cells["mean_treated_pre"]) - (
        cells["mean_comparison_post"] - cells["mean_comparison_pre"]
    )
    names = ["const", "treated", "post", "treated_post", *use]
    x = np.column_stack(
        [
            np.ones_like(group),
            group,
            post,
            group * post,
            *(panel.controls[:, i] for i in _idx(panel, use)),
        ]
    )
    y = panel.outcome
    fit = _fit(panel, y, x, names, vcov, level, has_intercept=True)
    terms = list(fit.terms)
    stats = {"r2": fit.r2, **cells}
    stats["att_2x2_means"] = means_att
    warnings = _cluster_warnings(panel, vcov, group * post > 0)
    return _result(
        "did_2x2",
        terms[3],
        tuple(terms),
        panel,
        fit,
        vcov,
        level,
        EvaluationDesign.DID,
        (_PARALLEL, _NO_ANTICIPATION, _SUTVA),
        warnings,
        panel.rows,
        stats,
    )


def twfe(
    panel: Panel,
    *,
    controls: tuple[str, ...] | list[str] | None = None,
    vcov: str = "crv1",
    level: float = 0.95,
) -> ImpactResult:
    """Estimate the two-way fixed effects DiD coefficient of the treatment indicator.

    ``D_it = 1`` from a unit's first treated period on. Unit and period effects are absorbed
    (closed form when balanced, alternating projections otherwise). With more than one adoption
    period the result carries :attr:`WarningCode.STAGGERED_TIMING`: the coefficient is then a
    weighted average of 2x2 comparisons, some using already-treated units as controls
    (Goodman-Bacon 2021); prefer :func:`~civicinnov.evaluation.callaway_santanna`.

    ``stats`` hold ``r2`` (of the full model) and ``r2_within``.

    Parameters:
        panel: the panel of units observed over periods.
        controls: names of the panel's control columns to include; ``None`` for none.
        vcov: the variance convention (default ``"crv1"``, clustered by the panel's clusters).
        level: coverage of the confidence intervals.

    Returns:
        An :class:`ImpactResult` whose headline is the treatment coefficient.

    Raises:
        PanelError: repeated cross-sections (no unit effects to absorb); a control the panel
            does not hold.
        EstimationError: no variation in treatment after absorbing effects, a single cluster,
            an unknown variance convention.

    Example:
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
        ...     outcome=[2.0, 5.0, 2.0, 3.0, 1.0, 2.2], unit="case",
        ...     first_treated={1: 1, 2: None, 3: None})
        >>> r = twfe(p, vcov="iid")
        >>> round(r.estimate.value, 2), r.convention
        (1.9, 'iid')
    """
    vcov = check_convention(vcov)
    _require_panel(panel, "twfe")
    use = _control_columns(panel, controls)
    d = panel.treated_rows.astype(np.float64)
    cols = [
        panel.outcome,
        d,
        *(np.ascontiguousarray(panel.controls[:, i]) for i in _idx(panel, use)),
    ]
    names = [panel.treatment_name, *use]
    fit, terms, stats = _fe_fit(panel, cols, names, vcov, level)
    warnings = _cluster_warnings(panel, vcov, d > 0)
    if panel.cohorts.size > 1:
        warnings.append(
            ResultWarning(
                code=WarningCode.STAGGERED_TIMING,
                message=f"{panel.cohorts.size} adoption periods: the TWFE coefficient mixes "
                "comparisons with already-treated units and can weight effects negatively "
                "(Goodman-Bacon 2021); see callaway_santanna",
            )
        )
    assumptions = (_PARALLEL, _NO_ANTICIPATION, _SUTVA) + (
        ("homogeneous effects: the effect is the same across cohorts and over time",)
        if panel.cohorts.size > 1
        else ()
    )
    return _result(
        "twfe",
        terms[0],
        tuple(terms),
        panel,
        fit,
        vcov,
        level,
        EvaluationDesign.DID,
        assumptions,
        warnings,
        panel.rows,
        stats,
    )


def event_study(
    panel: Panel,
    *,
    leads: int | None = None,
    lags: int | None = None,
    reference: int = -1,
    vcov: str = "crv1",
    level: float = 0.95,
    pretrend_alpha: float = 0.05,
) -> ImpactResult:
    """Estimate leads and lags of adoption in a TWFE regression, with a joint pre-trend test.

    For treated units, one dummy per relative period ``e = period − first treated period`` in
    ``[−leads, lags]`` except ``reference``; never-treated units carry no dummies. Treated rows
    outside the window are left out of the estimation sample and counted in ``rows``. Terms are
    named ``event_<e>`` (``event_-3``, ``event_0``...). The headline estimate ``post_average``
    is the mean of the ``e ≥ 0`` coefficients (its SE from the full covariance). ``stats`` hold
    the joint Wald test that all leads are zero (``pretrend_f``, ``pretrend_df1``,
    ``pretrend_df2``, ``pretrend_p``; an F test with the inference degrees of freedom, NaN when
    the leads' covariance is singular); when
    ``pretrend_p < pretrend_alpha`` the result carries :attr:`WarningCode.PRE_TRENDS_FAIL`.

    Parameters:
        panel: the panel, with one adoption period per unit.
        leads: the number of pre-adoption periods in the window; ``None`` takes all the data hold.
        lags: the number of post-adoption periods in the window; ``None`` takes all the data hold.
        reference: the relative period left out as the comparison (default ``-1``).
        vcov: the variance convention (default ``"crv1"``, clustered by the panel's clusters).
        level: coverage of the confidence intervals.
        pretrend_alpha: significance level of the pre-trend test that triggers the warning.

    Returns:
        An :class:`ImpactResult` with the ``event_<e>`` terms and the ``post_average`` headline.

    Raises:
        PanelError: the window asks for more leads or lags than the data hold, or the
            reference period is never observed; repeated cross-sections; treatment that
            switches off.
        EstimationError: no treated units, collinear dummies, a single cluster, an unknown
            variance convention.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> units = np.repeat(np.arange(6), 4); periods = np.tile(np.arange(4), 6)
        >>> ft = {0: 2, 1: 2, 2: 2, 3: None, 4: None, 5: None}
        >>> y = units * 1.0 + periods * 0.5 + np.where((units < 3) & (periods >= 2), 2.0, 0.0)
        >>> y = y + np.tile([0.01, -0.01, 0.0, 0.02], 6) * units
        >>> r = event_study(Panel.from_arrays(units=units, periods=periods, outcome=y,
        ...                                   unit="", first_treated=ft), vcov="hc1")
        >>> [t.name for t in r.terms]
        ['event_-2', 'event_0', 'event_1']
        >>> round(r.estimate.value, 2)
        1.94
    """
    vcov = check_convention(vcov)
    _require_panel(panel, "event_study")
    _require_adoption(panel, "event_study")
    cohort = panel.row_cohort
    treated_unit = np.isfinite(cohort)
    if not treated_unit.any():
        raise EstimationError("event_study: no treated units; expected some with first_treated")
    rel = np.where(treated_unit, panel.periods - np.where(treated_unit, cohort, 0), 0).astype(
        np.int64
    )
    rel_t = rel[treated_unit]
    lo_avail, hi_avail = int(rel_t.min()), int(rel_t.max())
    if leads is not None and -leads < lo_avail:
        raise PanelError(
            f"event_study: the window asks for {leads} leads but the data hold at most "
            f"{-lo_avail} pre-periods before adoption; ask for at most {-lo_avail} leads"
        )
    if lags is not None and lags > hi_avail:
        raise PanelError(
            f"event_study: the window asks for {lags} lags but the data hold at most {hi_avail} "
            f"periods after adoption; ask for at most {hi_avail} lags"
        )
    lo = -leads if leads is not None else lo_avail
    hi = lags if lags is not None else hi_avail
    if not (lo <= reference <= hi) or not (rel_t == reference).any():
        raise PanelError(
            f"event_study: reference period {reference} is not observed for treated units in the "
            f"window [{lo}, {hi}]; choose a relative period the data hold"
        )
    inside = ~treated_unit | ((rel >= lo) & (rel <= hi))
    warnings: list[ResultWarning] = []
    rows = panel.rows
    sub = panel
    if not inside.all():
        n_out = int((~inside).sum())
        rows = rows.drop(f"treated rows outside the event window [{lo}, {hi}]", n_out)
        warnings.append(
            ResultWarning(
                code=WarningCode.OUTSIDE_EVENT_WINDOW,
                message=f"{n_out} treated rows outside [{lo}, {hi}] left out",
            )
        )
        sub = panel.select(inside)
        rel, treated_unit = rel[inside], treated_unit[inside]
    present = np.unique(rel[treated_unit])
    wanted = [e for e in range(lo, hi + 1) if e != reference]
    empty = [e for e in wanted if e not in set(present.tolist())]
    if empty:
        warnings.append(
            ResultWarning(
                code=WarningCode.EMPTY_CELLS,
                message=f"no treated observations at relative periods {empty}; not estimated",
            )
        )
    es = [e for e in wanted if e not in empty]
    dummies = [((rel == e) & treated_unit).astype(np.float64) for e in es]
    cols = [sub.outcome, *dummies]
    names = [f"event_{e}" for e in es]
    fit, terms, stats = _fe_fit(sub, cols, names, vcov, level)
    es_arr = np.array(es)
    post = es_arr >= 0
    a = post / max(int(post.sum()), 1)
    post_avg = float(a @ fit.coef)
    post_se = float(np.sqrt(a @ fit.vcov @ a))
    headline = estimate("post_average", post_avg, post_se, fit.df, level)
    pre = np.flatnonzero(es_arr < 0)
    if pre.size:
        b = fit.coef[pre]
        vpre = fit.vcov[np.ix_(pre, pre)]
        q = int(pre.size)
        if np.linalg.matrix_rank(vpre) < q:  # e.g. a perfect fit: the test is undefined
            f_stat = p_val = float("nan")
        else:
            f_stat = float(b @ np.linalg.solve(vpre, b)) / q
            p_val = float(st.f.sf(f_stat, q, fit.df))
        stats.update(
            pretrend_f=f_stat, pretrend_df1=float(q), pretrend_df2=fit.df, pretrend_p=p_val
        )
        if p_val < pretrend_alpha:
            warnings.append(
                ResultWarning(
                    code=WarningCode.PRE_TRENDS_FAIL,
                    message=f"joint test that the {q} leads are zero rejects (F = {f_stat:.3g}, "
                    f"p = {p_val:.3g} < {pretrend_alpha})",
                )
            )
    if sub.cohorts.size > 1:
        warnings.append(
            ResultWarning(
                code=WarningCode.STAGGERED_TIMING,
                message=f"{sub.cohorts.size} adoption periods: with effects that differ by cohort, "
                "TWFE leads and lags mix effects from other periods (Sun & Abraham 2021); see "
                "callaway_santanna(...).aggregate('dynamic')",
            )
        )
    warnings = _cluster_warnings(sub, vcov, (panel.treated_rows[inside])) + warnings
    return _result(
        "event_study",
        headline,
        tuple(terms),
        sub,
        fit,
        vcov,
        level,
        EvaluationDesign.EVENT_STUDY,
        (_PARALLEL, _NO_ANTICIPATION, _SUTVA),
        warnings,
        rows,
        stats,
    )


def first_difference(
    panel: Panel,
    *,
    controls: tuple[str, ...] | list[str] | None = None,
    period_effects: bool = True,
    vcov: str = "crv1",
    level: float = 0.95,
) -> ImpactResult:
    """Estimate the treatment effect from first differences of the panel.

    Each unit's outcome, treatment indicator and controls are differenced between consecutive
    observed periods (``Δy_it = y_it − y_i,t−1``; a pair is formed only where a unit is seen in
    two adjacent periods of the panel), which removes the unit effects; period effects are
    absorbed from the differences (or an intercept is fitted with ``period_effects=False``).
    The coefficient of the differenced treatment indicator is the effect (Wooldridge,
    *Econometric Analysis of Cross Section and Panel Data*, 2nd ed., §10.6). With two periods
    it equals the TWFE estimate; with more it weighs the periods differently, and its errors are
    serially uncorrelated when the levels' errors are a random walk.

    Terms are named after the treatment and the controls (the coefficients of the levels
    model). ``stats`` hold ``r2`` (of the differenced model) and ``n_pairs``.

    Args:
        panel: a panel (not repeated cross-sections).
        controls: names of the panel's time-varying controls to include.
        period_effects: absorb a fixed effect per period (default) instead of one intercept.
        vcov: a variance convention (default ``crv1`` by the panel's clusters).
        level: confidence level.

    Returns:
        An :class:`~civicinnov.evaluation.ImpactResult` (estimator ``first_difference``).

    Raises:
        PanelError: repeated cross-sections; no unit observed in two adjacent periods.
        EstimationError: no change in treatment, collinear controls, a single cluster.

    Example:
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
        ...     outcome=[2.0, 5.0, 2.0, 3.0, 1.0, 2.2], unit="case",
        ...     first_treated={1: 1, 2: None, 3: None})
        >>> r = first_difference(p, vcov="hc1")
        >>> round(r.estimate.value, 2), r.estimate.name, r.n_obs
        (1.9, 'treated', 3)
    """
    vcov = check_convention(vcov)
    _require_panel(panel, "first_difference")
    use = _control_columns(panel, controls)
    order = np.lexsort((panel.period_index, panel.unit_index))
    u, t = panel.unit_index[order], panel.period_index[order]
    pair = (u[1:] == u[:-1]) & (t[1:] == t[:-1] + 1)
    if not pair.any():
        raise PanelError(
            "first_difference: no unit is observed in two adjacent periods; expected panel rows "
            "of the same unit in consecutive periods"
        )
    later, earlier = order[1:][pair], order[:-1][pair]
    d = panel.treated_rows.astype(np.float64)
    dy = panel.outcome[later] - panel.outcome[earlier]
    cols = [d[later] - d[earlier]]
    idx = _idx(panel, use)
    cols += [panel.controls[later, i] - panel.controls[earlier, i] for i in idx]
    names = [panel.treatment_name, *use]
    if not period_effects:
        cols.insert(0, np.ones(dy.shape[0]))
        names.insert(0, "const")
    sub = panel.select(np.isin(np.arange(panel.n_obs), later))
    # the differenced rows, in the order of ``later`` (``select`` keeps row order)
    rank = np.empty(panel.n_obs, dtype=np.intp)
    rank[np.sort(later)] = np.arange(later.shape[0])
    pos = rank[later]
    dy_s, x_s = np.empty_like(dy), np.empty((dy.shape[0], len(cols)))
    dy_s[pos] = dy
    x_s[pos] = np.column_stack(cols)
    fit = fit_ols(
        dy_s,
        x_s,
        names,
        has_intercept=not period_effects,
        factors=[(sub.period_index, sub.n_periods)] if period_effects else [],
        vcov=vcov,
        clusters=(sub.cluster_index, sub.n_clusters),
        time=(sub.period_index, sub.n_periods),
        level=level,
        outcome_unit=panel.outcome_unit,
    )
    terms = fit.terms
    head = terms[names.index(panel.treatment_name)]
    rows = panel.rows  # the first row of each unit is used as the base of a difference
    warnings = _cluster_warnings(panel, vcov, panel.treated_rows)
    return _result(
        "first_difference",
        head,
        terms,
        sub,
        fit,
        vcov,
        level,
        EvaluationDesign.DID,
        (_PARALLEL, _NO_ANTICIPATION, _SUTVA),
        warnings,
        rows,
        {"r2": fit.r2, "n_pairs": float(later.shape[0])},
    )


# ---------------------------------------------------------------------- helpers
def _require_adoption(panel: Panel, name: str) -> None:
    if panel.switches_off:
        raise PanelError(
            f"{name}: treatment switches off for some units, but this estimator needs one "
            "adoption period per unit; use twfe or first_difference, which read the treatment "
            "indicator row by row"
        )


def _require_panel(panel: Panel, name: str) -> None:
    if panel.cross_section:
        raise PanelError(
            f"{name}: needs a panel (units observed repeatedly), got repeated cross-sections; "
            "use did_2x2"
        )


def _control_columns(panel: Panel, controls: Any) -> list[str]:
    use = list(controls or ())
    unknown = [c for c in use if c not in panel.control_names]
    if unknown:
        raise PanelError(
            f"controls: {unknown} are not controls of the panel; expected some of "
            f"{list(panel.control_names)}"
        )
    return use


def _idx(panel: Panel, use: list[str]) -> list[int]:
    return [panel.control_names.index(c) for c in use]


def _fit(
    panel: Panel,
    y: NDArray[np.float64],
    x: NDArray[np.float64],
    names: list[str],
    vcov: str,
    level: float,
    *,
    has_intercept: bool,
    absorb: bool = False,
    overwrite: bool = False,
) -> RegressionResult:
    """The regression core on the panel's rows: clusters, periods and effects from the panel."""
    factors = (
        [(panel.unit_index, panel.n_units), (panel.period_index, panel.n_periods)] if absorb else []
    )
    clusters = (panel.cluster_index, panel.n_clusters) if vcov in CLUSTER_CONVENTIONS else None
    return fit_ols(
        y,
        x,
        names,
        has_intercept=has_intercept,
        factors=factors,
        vcov=vcov,
        clusters=clusters,
        time=(panel.period_index, panel.n_periods),
        level=level,
        outcome_unit=panel.outcome_unit,
        connected=panel.is_balanced,
        overwrite=overwrite,
    )


def _fe_fit(
    panel: Panel, cols: list[NDArray[np.float64]], names: list[str], vcov: str, level: float
) -> tuple[RegressionResult, list[Estimate], dict[str, float]]:
    """Absorb unit and period effects from ``cols`` = [y, x...] and fit."""
    x = np.empty((cols[0].shape[0], len(cols) - 1), order="F")  # columns contiguous
    for j, col in enumerate(cols[1:]):
        x[:, j] = col
    y = np.array(cols[0], dtype=np.float64)  # a copy: the fit transforms it in place
    fit = _fit(panel, y, x, names, vcov, level, has_intercept=False, absorb=True, overwrite=True)
    return fit, list(fit.terms), {"r2": fit.r2, "r2_within": fit.r2_within}


def _cluster_warnings(panel: Panel, vcov: str, treated: NDArray[np.bool_]) -> list[ResultWarning]:
    out: list[ResultWarning] = []
    if vcov not in CLUSTER_CONVENTIONS:
        n_treated = int(np.count_nonzero(panel.cohort <= panel.period_values[-1]))
        if 0 < n_treated < FEW_TREATED_CLUSTERS:
            out.append(
                ResultWarning(
                    code=WarningCode.FEW_TREATED_UNITS,
                    message=f"{n_treated} treated unit(s) (< {FEW_TREATED_CLUSTERS}) under "
                    f"{vcov} SEs: the estimate rests on a handful of treated units whose own "
                    "shocks the SEs cannot separate from the effect (Conley & Taber 2011)",
                )
            )
        return out
    g = panel.n_clusters
    if g < FEW_CLUSTERS:
        out.append(
            ResultWarning(
                code=WarningCode.FEW_CLUSTERS,
                message=f"{g} clusters (< {FEW_CLUSTERS}): cluster-robust SEs may be too small",
            )
        )
    if panel.cluster_index is panel.unit_index:  # clusters are units: count treated units
        g_t = int(np.count_nonzero(panel.cohort <= panel.period_values[-1]))
    else:
        g_t = int(np.count_nonzero(np.bincount(panel.cluster_index[treated], minlength=g)))
    if g_t < FEW_TREATED_CLUSTERS:
        out.append(
            ResultWarning(
                code=WarningCode.FEW_TREATED_CLUSTERS,
                message=f"{g_t} treated cluster(s) (< {FEW_TREATED_CLUSTERS}): cluster-robust SEs "
                "are unreliable (MacKinnon & Webb 2017); consider a wild cluster bootstrap",
            )
        )
    return out


def _result(
    estimator: str,
    headline: Estimate,
    terms: tuple[Estimate, ...],
    panel: Panel,
    fit: RegressionResult,
    vcov: str,
    level: float,
    design: EvaluationDesign,
    assumptions: tuple[str, ...],
    warnings: list[ResultWarning],
    rows: RowReport,
    stats: dict[str, float],
) -> ImpactResult:
    if rows.n_dropped:
        warnings = [
            ResultWarning(code=WarningCode.ROWS_DROPPED, message=str(rows)),
            *warnings,
        ]
    warnings = [*fit.warnings, *warnings]
    return ImpactResult(
        estimator=estimator,
        estimate=headline,
        terms=terms,
        outcome_unit=panel.outcome_unit,
        convention=fit.convention,
        ci_level=level,
        n_obs=fit.n_obs,
        n_units=panel.n_units,
        n_clusters=panel.n_clusters if vcov in CLUSTER_CONVENTIONS else None,
        design=design,
        assumptions=assumptions,
        warnings=tuple(warnings),
        rows=rows,
        stats=stats,
        regression=fit,
    )
