"""Staggered adoption: Callaway & Sant'Anna (2021) group-time effects and their aggregations.

What lives here: :func:`callaway_santanna`, returning a :class:`StaggeredResult` that holds every
ATT(g,t) with its influence function, aggregates them (:meth:`StaggeredResult.aggregate`:
``simple``, ``dynamic``, ``group``, ``calendar``), tests the pre-treatment cells
(:meth:`StaggeredResult.pretest`) and draws uniform bands by the multiplier bootstrap
(:meth:`StaggeredResult.bootstrap`). What does not: the regression estimators (TWFE, event
study) live in :mod:`civicinnov.evaluation`.

Method (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2), panel data):

- ATT(g,t) compares the change Y_t − Y_b of cohort g with that of the comparison units, where
  the base period b is ``g − 1 − anticipation`` for post cells (t ≥ g) and, with
  ``base_period="varying"``, the previous period t − 1 for pre cells (``"universal"`` uses
  ``g − 1 − anticipation`` for all). The cell at the universal base itself is the normalisation
  and is not reported.
- Comparison units: never treated (``control="never"``), or never treated plus units not yet
  treated by max(t, b) + anticipation (``control="notyet"``), as in R ``did``.
- Without covariates the cell is mean(ΔY | G = g) − mean(ΔY | comparison), with influence
  function IF_i = D_i(ΔY_i − m₁)/p − (1 − D_i)(ΔY_i − m₀)/(1 − p), se = √(Σ IF_i²)/n_gt.
- With covariates (parallel trends conditional on them; read in the earlier of the cell's two
  periods, as R ``did`` reads them) the cell is one of Sant'Anna & Zhao's (2020, *J.
  Econometrics* 219(1)) panel estimators as R ``DRDID`` computes them: ``"dr"``
  (``drdid_panel``, the R default: logit propensity score by maximum likelihood, Newton–IRLS
  here, and OLS of ΔY on the covariates among the comparison units), ``"ipw"``
  (``std_ipw_did_panel``), ``"reg"`` (``reg_did_panel``) or ``"dr_imp"``
  (``drdid_imp_panel``: propensity score by inverse probability tilting, odds-weighted OLS).
  Their influence functions carry the estimation effect of each fitted nuisance model, so the
  SEs of cells and aggregations are those of R ``did``. DRDID's safeguards are kept: scores
  capped at 1 − 1e-6, comparison units trimmed at 0.995; as R ``did``, a cell whose largest
  fitted score reaches 0.999 or whose comparison units' covariates are collinear is skipped
  with a named warning.
- Unbalanced panels (``allow_unbalanced=True``, R's ``allow_unbalanced_panel=TRUE``): each
  cell takes every row of its two periods and the repeated-cross-section estimators
  (``drdid_rc``, ``std_ipw_did_rc``, ``reg_did_rc``; covariates per row), and each unit's
  influence is the sum over its rows.
- Aggregations follow R ``did::aggte``: *simple* weights post cells by P(G = g); *dynamic*
  averages cells by event time e = t − g with P(G = g) weights, its overall value the mean over
  e ≥ 0; *group* averages each cohort's post cells, its overall value P(G = g)-weighted;
  *calendar* averages the cohorts treated by t, its overall value the mean over t. Their SEs
  include the influence function of the estimated weights P(G = g).
- The multiplier bootstrap uses Mammen (1993) weights and, as R ``did``, scales by the
  interquartile range; its uniform critical value gives simultaneous bands.

Units first treated in or before the first period (+ anticipation) have no pre-period and are
dropped (counted in ``rows``), as R ``did`` does; by default units not observed in every period
are dropped too (the panel is balanced first). All arithmetic is vectorised over units; the loop
runs over the cells (cohorts × periods), and a cohort's post-treatment cells share one fit of
the nuisance models.

Example:
    >>> import numpy as np
    >>> from civicinnov.evaluation import Panel
    >>> units = np.repeat(np.arange(8), 3); periods = np.tile([1, 2, 3], 8)
    >>> ft = {0: 2, 1: 2, 2: 3, 3: 3, 4: None, 5: None, 6: None, 7: None}
    >>> y = units + 0.1 * periods + np.where(
    ...     [ft[u] is not None and p >= ft[u] for u, p in zip(units, periods)], 1.0, 0.0)
    >>> y = y + np.tile([0.0, 0.05, -0.05], 8) * (units % 3)
    >>> res = callaway_santanna(Panel.from_arrays(units=units, periods=periods, outcome=y,
    ...                                           unit="", first_treated=ft))
    >>> [c.name for c in res.cells]
    ['att_g2_t2', 'att_g2_t3', 'att_g3_t2', 'att_g3_t3']
    >>> round(res.aggregate("simple").estimate.value, 3)
    1.0
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._panel import Panel
from civicinnov.evaluation._regression import estimate
from civicinnov.evaluation._results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.model import EvaluationDesign, SMSLevel, sms_level

__all__ = ["Bands", "StaggeredResult", "callaway_santanna"]

_ASSUME = (
    "parallel trends conditional on cohort: without treatment, each cohort's average outcome "
    "would have moved like the comparison units'",
    "limited anticipation: outcomes do not react earlier than the anticipation periods allow",
    "irreversible treatment: once treated, a unit stays treated",
    "no spillovers: one unit's treatment does not change another unit's outcome",
)

_AGGREGATIONS = ("simple", "dynamic", "group", "calendar")
_EPS = float(np.finfo(np.float64).eps)


def _eq(a: Any, b: Any) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


_cmp = attrs.cmp_using(eq=_eq)


@attrs.frozen(kw_only=True, hash=False)
class Bands:
    """Simultaneous confidence bands from the multiplier bootstrap.

    ``lower``/``upper`` = estimate ∓ ``critical_value``·``se`` hold jointly for all ``names``
    at ``level``; ``se`` is the bootstrap SE (IQR-based, as R ``did``).

    Example:
        >>> b = Bands(names=("a",), estimates=np.array([1.0]), se=np.array([0.1]),
        ...           critical_value=2.0, level=0.95, iterations=10, seed=1)
        >>> b.lower.tolist(), b.upper.tolist()
        ([0.8], [1.2])
    """

    names: tuple[str, ...]
    estimates: NDArray[np.float64] = attrs.field(eq=_cmp)
    se: NDArray[np.float64] = attrs.field(eq=_cmp)
    critical_value: float
    level: float
    iterations: int
    seed: int | None

    @property
    def lower(self) -> NDArray[np.float64]:
        """Lower band.

        Example:
            >>> Bands(names=("a",), estimates=np.array([0.0]), se=np.array([1.0]),
            ...       critical_value=1.0, level=0.9, iterations=1, seed=None).lower.tolist()
            [-1.0]
        """
        out: NDArray[np.float64] = self.estimates - self.critical_value * self.se
        return out

    @property
    def upper(self) -> NDArray[np.float64]:
        """Upper band.

        Example:
            >>> Bands(names=("a",), estimates=np.array([0.0]), se=np.array([1.0]),
            ...       critical_value=1.0, level=0.9, iterations=1, seed=None).upper.tolist()
            [1.0]
        """
        out: NDArray[np.float64] = self.estimates + self.critical_value * self.se
        return out


#: Bootstrap iterations drawn together (one seed each, spawned from the caller's seed).
BOOTSTRAP_BLOCK = 250


def mammen_draws(
    influence: NDArray[np.float64], size: int, seed: np.random.SeedSequence
) -> NDArray[np.float64]:
    """``size`` multiplier-bootstrap draws of the estimates' deviations, with Mammen's two-point
    weights (mean 0, variance 1), from the ``(n_units, n_estimates)`` influence functions.

    Parameters:
        influence: the influence functions, one row per unit.
        size: the number of draws.
        seed: the seed of this block of draws.

    Returns:
        A ``(size, n_estimates)`` array: ``Σ_i ξ_i IF_i / √n`` per draw.

    Example:
        >>> import numpy as np
        >>> d = mammen_draws(np.ones((4, 2)), 3, np.random.SeedSequence(1))
        >>> d.shape
        (3, 2)
    """
    n = influence.shape[0]
    rng = np.random.default_rng(seed)
    s5 = np.sqrt(5.0)
    p_low = (s5 + 1) / (2 * s5)
    lo, hi = (1 - s5) / 2, (1 + s5) / 2
    xi = np.where(rng.random((size, n)) < p_low, lo, hi)
    out: NDArray[np.float64] = (xi @ influence) / np.sqrt(n)
    return out


@attrs.frozen(kw_only=True, hash=False)
class StaggeredResult:
    """Every ATT(g,t) of a staggered-adoption panel, with influence functions for inference.

    Attributes:
        groups / times / bases: per cell, the cohort g, the period t and the base period b.
        att / se: per cell, the estimate and its analytic SE (outcome units).
        influence: ``(n_units, n_cells)`` influence functions, scaled so that
            se = √(Σ_i IF_i²)/n (the R ``did`` convention).
        unit_cohort: first treated period of each unit used (``inf`` = never).
        control / base_period / anticipation: the options used.
        outcome_unit, rows, warnings, ci_level: as in :class:`ImpactResult`.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
        ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="", first_treated={1: 2,
        ...     2: 2, 3: None, 4: None})
        >>> r = callaway_santanna(p)
        >>> r.cell(2, 2).value
        1.3
    """

    groups: NDArray[np.float64] = attrs.field(eq=_cmp)
    times: NDArray[np.int64] = attrs.field(eq=_cmp)
    bases: NDArray[np.int64] = attrs.field(eq=_cmp)
    att: NDArray[np.float64] = attrs.field(eq=_cmp)
    se: NDArray[np.float64] = attrs.field(eq=_cmp)
    influence: NDArray[np.float64] = attrs.field(eq=_cmp, repr=False)
    unit_cohort: NDArray[np.float64] = attrs.field(eq=_cmp, repr=False)
    control: str
    base_period: str
    anticipation: int
    outcome_unit: Any
    ci_level: float
    rows: RowReport
    warnings: tuple[ResultWarning, ...]
    n_periods: int
    est_method: str = "dr"
    control_names: tuple[str, ...] = ()

    @property
    def n_units(self) -> int:
        """Units used: the treated cohorts' units and their comparison units.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4, 5], 2), periods=[1, 2] * 5,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4, 1.0, 1.2], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None, 5: None})
            >>> callaway_santanna(p).n_units
            5
        """
        return int(self.influence.shape[0])

    @property
    def cells(self) -> tuple[Estimate, ...]:
        """Every ATT(g,t) as an :class:`Estimate` named ``att_g<g>_t<t>`` (normal intervals).

        Example:
            >>> from civicinnov.evaluation import Estimate
            >>> Estimate  # doctest: +ELLIPSIS
            <class '...Estimate'>
        """
        return tuple(
            estimate(f"att_g{int(g)}_t{int(t)}", float(a), float(s), None, self.ci_level)
            for g, t, a, s in zip(self.groups, self.times, self.att, self.se, strict=True)
        )

    @property
    def design(self) -> EvaluationDesign:
        """The design: staggered-adoption difference-in-differences.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> r = callaway_santanna(p)
            >>> r.design.value, int(r.sms_level)
            ('staggered_did', 3)
        """
        return EvaluationDesign.STAGGERED_DID

    @property
    def sms_level(self) -> SMSLevel:
        """The Maryland SMS level the design can earn: a ceiling, as for
        :attr:`ImpactResult.sms_level <civicinnov.evaluation.ImpactResult.sms_level>`.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> callaway_santanna(p).sms_level
            <SMSLevel.COMPARISON_GROUP: 3>
        """
        return sms_level(self.design)

    @property
    def assumptions(self) -> tuple[str, ...]:
        """What a reader must accept for the cells to be causal; with controls, parallel trends
        are conditional on them and the comparison units must overlap the cohort on them.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> callaway_santanna(p).assumptions[0].startswith("parallel trends conditional on")
            True
        """
        if not self.control_names:
            return _ASSUME
        names = ", ".join(self.control_names)
        return (
            f"parallel trends conditional on cohort and on {names}: without treatment, each "
            "cohort's average outcome would have moved like that of comparison units with the "
            "same controls",
            f"overlap: every treated unit has comparison units alike in {names} (propensity "
            "scores bounded away from 1)",
            *_ASSUME[1:],
        )

    def cell(self, group: int, time: int) -> Estimate:
        """Return ATT(g = ``group``, t = ``time``); raise :class:`KeyError` if not estimated.

        Parameters:
            group: the cohort's first treated period.
            time: the period.

        Returns:
            The :class:`Estimate` named ``att_g<group>_t<time>``.

        Raises:
            KeyError: that cell was not estimated.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> callaway_santanna(p).cell(2, 2).name
            'att_g2_t2'
        """
        hit = np.flatnonzero((self.groups == group) & (self.times == time))
        if hit.size == 0:
            raise KeyError(f"no ATT(g={group}, t={time}) was estimated")
        return self.cells[int(hit[0])]

    # ------------------------------------------------------------------ aggregation
    def _weights_if(
        self, cell_groups: NDArray[np.float64], pg: NDArray[np.float64], a: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """``wif @ a`` of R ``did``: the influence of estimating the weights P(G = g), per unit.

        For weights w_k = pg_k / S over the kept cells k (S = Σ pg_k), the weights' influence
        function is (1[G_i = g_k] − pg_k)/S − Σ_k'(1[G_i = g_k'] − pg_k')·pg_k/S²; its product
        with ``a`` is formed per cohort, never as an ``n x k`` matrix.
        """
        total = float(pg.sum())
        glist, inv = np.unique(cell_groups, return_inverse=True)
        a_by_g = np.bincount(inv, weights=a, minlength=glist.size)  # Σ a_k over cells of g
        n_by_g = np.bincount(inv, minlength=glist.size).astype(np.float64)
        pos = np.searchsorted(glist, self.unit_cohort)
        pos_ok = (pos < glist.size) & (glist[np.minimum(pos, glist.size - 1)] == self.unit_cohort)
        u = np.where(pos_ok, a_by_g[np.minimum(pos, glist.size - 1)], 0.0)
        v = np.where(pos_ok, n_by_g[np.minimum(pos, glist.size - 1)], 0.0)
        pa = float(pg @ a)
        out: NDArray[np.float64] = (u - pa) / total - (v - pg.sum()) * pa / total**2
        return out

    def _combine(self, idx: NDArray[np.intp], w: NDArray[np.float64]) -> NDArray[np.float64]:
        """Σ_k w_k IF_k over the cells ``idx``, per unit."""
        inf_t = self.influence.T  # (cells x units), contiguous
        if idx.size * 4 > inf_t.shape[0]:
            full = np.zeros(inf_t.shape[0])
            full[idx] = w
            out: NDArray[np.float64] = full @ inf_t
            return out
        return w @ inf_t[idx]

    def _cell_pg(self) -> NDArray[np.float64]:
        """P(G = g) of each cell's cohort among the units used."""
        cohorts, counts = np.unique(self.unit_cohort, return_counts=True)
        share = counts / self.unit_cohort.shape[0]
        out: NDArray[np.float64] = share[np.searchsorted(cohorts, self.groups)]
        return out

    def _components(
        self, kind: str
    ) -> tuple[list[str], NDArray[np.float64], NDArray[np.float64], str, Any]:
        """Component names, estimates, influence functions (n x k), overall name, overall rule."""
        if kind not in _AGGREGATIONS:
            raise EstimationError(f"aggregate: expected one of {list(_AGGREGATIONS)}, got {kind!r}")
        g, t, att = self.groups, self.times, self.att
        pg = self._cell_pg()
        post = g <= t

        def weighted(keep: NDArray[np.bool_]) -> tuple[float, NDArray[np.float64]]:
            idx = np.flatnonzero(keep)
            w_raw = pg[idx]
            w = w_raw / w_raw.sum()
            value = float(w @ att[idx])
            return value, self._combine(idx, w) + self._weights_if(g[idx], w_raw, att[idx])

        names: list[str] = []
        rule: Any
        vals: list[float] = []
        ifs: list[NDArray[np.float64]] = []
        if kind == "simple":
            if not post.any():
                raise EstimationError("aggregate: no post-treatment cells to aggregate")
            v, f = weighted(post)
            return ["simple_overall"], np.array([v]), f[:, None], "simple_overall", None
        if kind == "dynamic":
            ev = (t - g).astype(np.int64)
            keys = np.unique(ev)
            for e in keys:
                v, f = weighted(ev == e)
                names.append(f"dynamic_{int(e)}")
                vals.append(v)
                ifs.append(f)
            rule = keys >= 0
        elif kind == "group":
            kept = []
            for gg in np.unique(g):
                idx = np.flatnonzero((g == gg) & post)
                if idx.size == 0:
                    continue
                names.append(f"group_{int(gg)}")
                vals.append(float(att[idx].mean()))
                ifs.append(self._combine(idx, np.full(idx.size, 1.0 / idx.size)))
                kept.append(gg)
            rule = ("group", np.array(kept))
        else:
            tl = np.unique(t[t >= g.min()])
            for tt in tl:
                keep = (t == tt) & post
                if not keep.any():
                    continue
                v, f = weighted(keep)
                names.append(f"calendar_{int(tt)}")
                vals.append(v)
                ifs.append(f)
            rule = np.ones(len(names), dtype=bool)
        if not names:
            raise EstimationError(f"aggregate: no cells for the {kind} aggregation")
        return names, np.array(vals), np.column_stack(ifs), f"{kind}_overall", rule

    def _overall(
        self, kind: str, vals: NDArray[np.float64], ifs: NDArray[np.float64], rule: Any
    ) -> tuple[float, NDArray[np.float64]]:
        if kind == "group":
            glist = rule[1]
            cohorts, counts = np.unique(self.unit_cohort, return_counts=True)
            pgg = (counts / self.unit_cohort.shape[0])[np.searchsorted(cohorts, glist)]
            w = pgg / pgg.sum()
            return float(w @ vals), ifs @ w + self._weights_if(glist, pgg, vals)
        sel = np.asarray(rule, dtype=bool)
        if not sel.any():
            raise EstimationError(f"aggregate: no post-treatment components for {kind}")
        k = int(sel.sum())
        return float(vals[sel].mean()), ifs[:, sel].sum(axis=1) / k

    def aggregate(self, kind: str = "simple") -> ImpactResult:
        """Aggregate the ATT(g,t) cells as R ``did::aggte`` does, with analytic SEs.

        ``kind`` is ``"simple"``, ``"dynamic"`` (event time), ``"group"`` or ``"calendar"``. The
        headline ``estimate`` is the overall effect (``<kind>_overall``); ``terms`` hold the
        components named ``dynamic_<e>``, ``group_<g>`` or ``calendar_<t>`` followed by the
        overall effect. Intervals are normal.

        Parameters:
            kind: the aggregation (default ``"simple"``).

        Returns:
            An :class:`ImpactResult` with the aggregated effects.

        Raises:
            EstimationError: an unknown ``kind``, or no post-treatment cells to aggregate.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> agg = callaway_santanna(p).aggregate("dynamic")
            >>> [t.name for t in agg.terms]
            ['dynamic_0', 'dynamic_overall']
        """
        names, vals, ifs, overall_name, rule = self._components(kind)
        n = self.n_units
        if kind == "simple":
            ov, oif = float(vals[0]), ifs[:, 0]
            comps: list[Estimate] = []
        else:
            ov, oif = self._overall(kind, vals, ifs, rule)
            ses = np.sqrt((ifs**2).sum(axis=0)) / n
            comps = [
                estimate(nm, float(v), float(s), None, self.ci_level)
                for nm, v, s in zip(names, vals, ses, strict=True)
            ]
        head = estimate(overall_name, ov, float(np.sqrt(oif @ oif) / n), None, self.ci_level)
        return ImpactResult(
            estimator="callaway_santanna",
            estimate=head,
            terms=(*comps, head),
            outcome_unit=self.outcome_unit,
            convention=f"influence function ({kind} aggregation, estimated weights included)",
            ci_level=self.ci_level,
            n_obs=self.rows.used,
            n_units=n,
            n_clusters=None,
            design=EvaluationDesign.STAGGERED_DID,
            assumptions=self.assumptions,
            warnings=self.warnings,
            rows=self.rows,
            stats={"cells": float(self.att.shape[0])},
        )

    def bootstrap(
        self,
        kind: str = "cells",
        *,
        iterations: int = 999,
        seed: int | None = None,
        level: float | None = None,
        executor: Executor | None = None,
    ) -> Bands:
        """Uniform confidence bands by the multiplier bootstrap (Mammen weights, seeded).

        ``kind`` is ``"cells"`` (every ATT(g,t)) or an aggregation (its components and overall
        effect). Following
        R ``did::mboot``, the bootstrap SE is the IQR of the draws over 1.349, and the critical
        value the ``level`` quantile of the largest studentised deviation.

        Parameters:
            kind: ``"cells"`` or an aggregation kind, as for :meth:`aggregate`.
            iterations: the number of bootstrap draws (at least 2).
            seed: the seed of the random generator; ``None`` draws fresh entropy.
            level: coverage of the bands; ``None`` takes the result's ``ci_level``.
            executor: a :class:`concurrent.futures.Executor` (a process pool, or a dask or Ray
                client's executor) that draws the blocks of ``BOOTSTRAP_BLOCK`` iterations in
                parallel. Each block has its own seed spawned from ``seed``, so the bands are the
                same with or without an executor.

        Returns:
            The :class:`Bands` of the chosen estimates.

        Raises:
            EstimationError: fewer than 2 iterations, an unknown ``kind``, or no post-treatment
                cells to aggregate.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> units = np.repeat(np.arange(40), 2); periods = np.tile([1, 2], 40)
            >>> y = np.random.default_rng(0).normal(size=80) + (units < 10) * (periods == 2)
            >>> p = Panel.from_arrays(units=units, periods=periods, outcome=y, unit="",
            ...     first_treated={u: (2 if u < 10 else None) for u in range(40)})
            >>> b = callaway_santanna(p).bootstrap(iterations=200, seed=7)
            >>> b.names, b.critical_value > 1.5
            (('att_g2_t2',), True)
        """
        from scipy import stats  # noqa: PLC0415 - scipy is heavy: loaded when this analysis runs

        level = self.ci_level if level is None else level
        if kind == "cells":
            names = [c.name for c in self.cells]
            vals, ifs = self.att, self.influence
        else:
            names, vals, ifs, overall_name, rule = self._components(kind)
            if kind != "simple":
                ov, oif = self._overall(kind, vals, ifs, rule)
                names = [*names, overall_name]
                vals = np.append(vals, ov)
                ifs = np.column_stack([ifs, oif])
        if iterations < 2:
            raise EstimationError(f"bootstrap: expected at least 2 iterations, got {iterations}")
        n = ifs.shape[0]
        sizes = [
            min(BOOTSTRAP_BLOCK, iterations - s) for s in range(0, iterations, BOOTSTRAP_BLOCK)
        ]
        seeds = np.random.SeedSequence(seed).spawn(len(sizes))
        args = [np.asarray(ifs, dtype=np.float64)] * len(sizes)
        blocks = (
            map(mammen_draws, args, sizes, seeds)
            if executor is None
            else executor.map(mammen_draws, args, sizes, seeds)
        )
        draws = np.concatenate(list(blocks), axis=0)
        q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
        sigma = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
        ok = sigma > 0
        t_max = np.max(np.abs(draws[:, ok] / sigma[ok]), axis=1) if ok.any() else np.zeros(1)
        crit = float(np.quantile(t_max, level))
        return Bands(
            names=tuple(names),
            estimates=np.asarray(vals, dtype=np.float64),
            se=sigma / np.sqrt(n),
            critical_value=crit,
            level=level,
            iterations=iterations,
            seed=seed,
        )

    def pretest(self) -> dict[str, float]:
        """Wald pre-test of parallel trends over the pre-treatment cells, as R ``did::att_gt``.

        W = n·a′V⁻¹a, with ``a`` the ATT(g,t) of the cells with t < g and V = IF′IF/n their
        analytic covariance; under parallel trends W is χ² with as many degrees of freedom as
        cells. Cells with a (near) zero SE are left out, as in R.

        Returns:
            dict: ``wald`` (W), ``df`` (cells tested) and ``p_value`` (unrounded; R prints
            it rounded to 5 decimals).

        Raises:
            EstimationError: no pre-treatment cells, or their covariance is singular.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> rng = np.random.default_rng(0)
            >>> units = np.repeat(np.arange(60), 4); periods = np.tile([1, 2, 3, 4], 60)
            >>> p = Panel.from_arrays(units=units, periods=periods, outcome=rng.normal(size=240),
            ...     unit="", first_treated={u: (4 if u < 20 else None) for u in range(60)})
            >>> t = callaway_santanna(p).pretest()
            >>> t["df"], 0.0 < t["p_value"] < 1.0
            (2.0, True)
        """
        from scipy import stats  # noqa: PLC0415 - scipy is heavy: loaded when this analysis runs

        pre = np.flatnonzero((self.groups > self.times) & (self.se > np.sqrt(_EPS) * 10))
        if pre.size == 0:
            raise EstimationError("pretest: no pre-treatment cells with a positive SE to test")
        n = self.n_units
        ifs = self.influence[:, pre]
        cov = ifs.T @ ifs / n
        if 1.0 / np.linalg.cond(cov, 1) <= _EPS:
            raise EstimationError(
                f"pretest: the covariance of the {pre.size} pre-treatment cells is singular"
            )
        a = self.att[pre]
        wald = float(n * a @ np.linalg.solve(cov, a))
        return {
            "wald": wald,
            "df": float(pre.size),
            "p_value": float(stats.chi2.sf(wald, pre.size)),
        }

    def summary(self) -> str:
        """A one-screen table of the cells.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="case",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> print(callaway_santanna(p).summary().splitlines()[0])
            Callaway & Sant'Anna ATT(g,t): 1 cells, 4 units, control=never, base=varying, anticipation=0 (case)
        """
        lines = [
            f"Callaway & Sant'Anna ATT(g,t): {self.att.shape[0]} cells, {self.n_units} units, "
            f"control={self.control}, base={self.base_period}, anticipation={self.anticipation} "
            f"({self.outcome_unit})"
        ]
        if self.control_names:
            lines.append(f"est_method={self.est_method}, controls={', '.join(self.control_names)}")
        for c in self.cells[:30]:
            lines.append(f"{c.name:<22} {c.value:>11.4g}  SE {c.se:.4g}")
        if len(self.cells) > 30:
            lines.append(f"... {len(self.cells) - 30} more cells")
        lines.append(f"rows: {self.rows}")
        lines.extend(f"warning {w}" for w in self.warnings)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The cells and options as plain values.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> callaway_santanna(p).to_dict()["cells"][0]["name"]
            'att_g2_t2'
        """
        return {
            "estimator": "callaway_santanna",
            "control": self.control,
            "base_period": self.base_period,
            "anticipation": self.anticipation,
            "est_method": self.est_method,
            "controls": list(self.control_names),
            "outcome_unit": str(self.outcome_unit),
            "cells": [
                {**c.to_dict(), "group": int(g), "time": int(t), "base": int(b)}
                for c, g, t, b in zip(self.cells, self.groups, self.times, self.bases, strict=True)
            ],
            "rows": {
                "given": self.rows.given,
                "used": self.rows.used,
                "dropped": [{"reason": r, "rows": k} for r, k in self.rows.dropped],
            },
            "warnings": [{"code": w.code.value, "message": w.message} for w in self.warnings],
        }


# ---------------------------------------------------------------------- covariates
_PS_CAP = 1.0 - 1e-6  # DRDID caps fitted propensity scores here before dividing by 1 - ps
_TRIM = 0.995  # DRDID trims comparison units whose propensity score reaches this level
_OVERLAP = 0.999  # R did skips a cell whose largest fitted propensity reaches this level
_EST_METHODS = ("dr", "ipw", "reg", "dr_imp")


def _expit(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    """The logistic function (scipy's ``expit``: one pass, no overflow)."""
    from scipy.special import expit  # noqa: PLC0415 - scipy loads lazily: only covariate fits need it

    out: NDArray[np.float64] = expit(eta)
    return out


def _logit(
    x: NDArray[np.float64], d: NDArray[np.float64], start: NDArray[np.float64] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Maximum-likelihood logit of ``d`` on ``x`` (first column the intercept) by Newton–IRLS.

    Returns the fitted probabilities, the coefficients and whether Newton's method converged.
    It starts from ``start`` (a neighbouring cell's fit) or the intercept-only fit, and stops
    once a step is below 1e-7 relative to the coefficients; Newton's method converges
    quadratically, so the error left after that step is of the order of its square (1e-14), as
    exact as the peers' fits.
    """
    if start is None:
        beta = np.zeros(x.shape[1])
        p1 = float(d.mean())
        beta[0] = np.log(p1 / (1.0 - p1))
    else:
        beta = start.copy()
    converged = False
    for _ in range(100):
        p = _expit(x @ beta)
        hess = x.T @ (x * (p * (1.0 - p))[:, None])
        step = np.linalg.solve(hess, x.T @ (d - p))
        beta = beta + step
        if float(np.max(np.abs(step))) <= 1e-7 * (1.0 + float(np.max(np.abs(beta)))):
            converged = True
            break
    return _expit(x @ beta), beta, converged


@attrs.frozen(kw_only=True, hash=False)
class _Nuisance:
    """Everything a cell's estimator needs that does not depend on the outcome: computed once
    per (covariates, treated) design and reused by the cells sharing it (the post-treatment
    cells of a cohort share their base period). Arrays a method does not need are empty.

    With n₁ cell units, D the treated indicator and X the covariates (intercept first):
    ``ols_inv`` = (X_c′X_c)⁻¹ over the comparison units; ``w_c`` the normalised IPW weights of
    the comparison units, trimmed (DRDID: ps·(1 − D)/(1 − ps), 0 where ps ≥ 0.995); ``m_t`` and
    ``m_c`` the means of the treated and comparison weights; ``ps_score`` = D − ps and
    ``ps_lin`` = (X′WX/n₁)⁻¹ (the logit's asymptotically linear representation); ``ols_dir``
    = X·(X_c′X_c/n₁)⁻¹·M, where M is the derivative of the ATT with respect to the regression
    coefficients (per unit: the regression's estimation effect is the OLS score times it).
    """

    ols_inv: NDArray[np.float64]
    ols_dir: NDArray[np.float64]
    w_c: NDArray[np.float64]
    m_t: float
    m_c: float
    ps_score: NDArray[np.float64]
    ps_lin: NDArray[np.float64]
    ols_w: NDArray[np.float64]  # weights of the comparison units' regression (dr_imp only)
    coef: NDArray[np.float64] | None  # the logit's coefficients (a start for the next cell)


def _inverse(gram: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """The inverse of a Gram matrix, or None when its 1-norm condition number exceeds 1/eps
    (R ``did`` skips such cells: ``rcond(X'X) < .Machine$double.eps``).
    """
    try:
        inv = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        return None
    if np.abs(gram).sum(axis=0).max() * np.abs(inv).sum(axis=0).max() * _EPS > 1.0:
        return None
    out: NDArray[np.float64] = inv.astype(np.float64, copy=False)
    return out


def _calibrated_ps(
    x: NDArray[np.float64], d: NDArray[np.float64], start: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """Propensity scores by inverse probability tilting (Graham, Pinto & Egel 2012; the
    calibrated score of Tan 2020), as R ``DRDID::pscore.cal``: the minimiser of the convex loss
    mean((1 − D)·exp(Xγ) − D·Xγ), whose first-order condition makes the comparison units' odds
    weights reproduce the treated units' covariate totals. Newton's method with backtracking
    from the logit's coefficients; None when it does not converge.
    """
    n1 = int(d.shape[0])
    ctrl = 1.0 - d
    target = (d @ x) / n1

    def loss(g: NDArray[np.float64]) -> float:
        xg = np.minimum(x @ g, 700.0)
        return float(ctrl @ np.exp(xg) - d @ xg) / n1

    gamma = start.copy()
    for _ in range(100):
        e = ctrl * np.exp(np.minimum(x @ gamma, 700.0))
        grad = (e @ x) / n1 - target
        hess = (x.T * e) @ x / n1
        try:
            step = -np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None
        if float(np.max(np.abs(step))) <= 1e-7 * (1.0 + float(np.max(np.abs(gamma)))):
            return _expit(x @ (gamma + step))  # near the minimum: the full Newton step
        f0, slope, size = loss(gamma), float(grad @ step), 1.0
        while loss(gamma + size * step) > f0 + 1e-4 * size * slope and size > 1e-10:
            size /= 2.0  # far from it: backtrack until the loss falls enough (Armijo)
        gamma = gamma + size * step
    return None


def _nuisance(
    x: NDArray[np.float64],
    n_g: int,
    est_method: str,
    start: NDArray[np.float64] | None,
) -> tuple[_Nuisance | None, str]:
    """Fit the propensity score and the comparison units' regression design for one cell whose
    first ``n_g`` units are treated; say why not (``"overlap"``, ``"singular"``) if they fail.
    """
    n1 = x.shape[0]
    d = np.zeros(n1)
    d[:n_g] = 1.0
    empty: NDArray[np.float64] = np.empty(0)
    ols_inv: NDArray[np.float64] = empty
    ols_dir, w_c, ps_score, ps_lin, ols_w = empty, empty, empty, empty, empty
    m_t, m_c, coef = n_g / n1, 0.0, None
    if est_method in ("ipw", "dr", "dr_imp"):
        try:
            fitted, coef, converged = _logit(x, d, start)
        except np.linalg.LinAlgError:
            converged = False
        if not converged and start is not None:  # a poor start: begin afresh
            try:
                fitted, coef, converged = _logit(x, d)
            except np.linalg.LinAlgError:
                converged = False
        if not converged or float(fitted.max()) >= _OVERLAP:
            return None, "overlap"
        ps = np.minimum(fitted, _PS_CAP)
        w_c = np.where(ps < _TRIM, ps / (1.0 - ps), 0.0)
        w_c[:n_g] = 0.0
        m_c = float(w_c.sum()) / n1
        ps_score = d - ps
        info = (x.T * (ps * (1.0 - ps))) @ x
        ps_lin = np.linalg.inv(info) * n1
    if est_method == "dr_imp" and coef is not None:
        tilted = _calibrated_ps(x, d, coef)
        if tilted is None:
            return None, "overlap"
        ps = np.minimum(tilted, _PS_CAP)
        ols_w = ps / (1.0 - ps)
        w_c = np.where(ps < _TRIM, ols_w, 0.0)
        w_c[:n_g] = 0.0
        inv = _inverse((x[n_g:].T * ols_w[n_g:]) @ x[n_g:])
        if inv is None:
            return None, "singular"
        ols_inv = inv
    if est_method in ("reg", "dr"):
        xc = x[n_g:]  # the comparison units follow the treated ones
        gram = xc.T @ xc
        inv = _inverse(gram)
        if inv is None:
            return None, "singular"
        ols_inv = inv
        m1 = x[:n_g].sum(axis=0) / n1  # mean of D·X
        if est_method == "reg":
            direction = m1 / m_t
        else:
            m3 = (w_c @ x) / n1
            direction = m3 / m_c - m1 / m_t
        ols_dir = x @ (ols_inv @ direction) * n1
    return (
        _Nuisance(
            ols_inv=ols_inv,
            ols_dir=ols_dir,
            w_c=w_c,
            m_t=m_t,
            m_c=m_c,
            ps_score=ps_score,
            ps_lin=ps_lin,
            ols_w=ols_w,
            coef=coef,
        ),
        "",
    )


def _cell_with_covariates(
    x: NDArray[np.float64], n_g: int, dy: NDArray[np.float64], nu: _Nuisance, est_method: str
) -> tuple[float, NDArray[np.float64]]:
    """One ATT(g,t) with covariates and its influence function over the cell's units (the
    first ``n_g`` treated, the rest comparison units).

    The panel estimators of Sant'Anna & Zhao (2020) as R ``DRDID`` computes them (unit
    weights 1): ``reg`` = ``reg_did_panel``, ``ipw`` = ``std_ipw_did_panel`` (normalised
    weights), ``dr`` = ``drdid_panel`` (locally efficient doubly robust). The influence function
    includes the estimation effect of the logit and of the outcome regression; it is returned on
    the cell's scale (se = √(Σ IF²)/n₁).
    """
    n1 = dy.shape[0]
    if est_method == "dr_imp":  # improved DR: weighted regression, no estimation effect
        beta = nu.ols_inv @ ((nu.ols_w[n_g:] * dy[n_g:]) @ x[n_g:])
        resid = dy - x @ beta
        att = float(resid[:n_g].sum() - nu.w_c @ resid) / n_g
        inf_imp: NDArray[np.float64] = -nu.w_c * resid / nu.m_t
        inf_imp[:n_g] += (resid[:n_g] - att) / nu.m_t
        return att, inf_imp
    if est_method == "ipw":
        y_eff = dy
    else:  # the change net of the comparison units' regression on the covariates
        beta = nu.ols_inv @ (dy[n_g:] @ x[n_g:])
        y_eff = dy - x @ beta
    eta_t = float(y_eff[:n_g].sum()) / n_g
    inf = np.empty(n1)
    if est_method == "reg":
        # ATT = mean over the treated of (change − fitted change)
        inf[:n_g] = (y_eff[:n_g] - eta_t) / nu.m_t
        inf[n_g:] = -y_eff[n_g:] * nu.ols_dir[n_g:]
        return eta_t, inf
    w_c = nu.w_c
    eta_c = float(w_c @ y_eff) / (nu.m_c * n1)
    r_c = w_c * (y_eff - eta_c)
    est_ps = nu.ps_score * (x @ (nu.ps_lin @ ((r_c @ x) / n1)))
    inf = -(r_c + est_ps) / nu.m_c
    inf[:n_g] += (y_eff[:n_g] - eta_t) / nu.m_t
    if est_method == "dr":
        inf[n_g:] += y_eff[n_g:] * nu.ols_dir[n_g:]
    return eta_t - eta_c, inf


def _ols_lin(
    x: NDArray[np.float64], mask: NDArray[np.float64], resid: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """The asymptotically linear representation of an OLS fit on the rows ``mask``, as the pair
    (per-row score weight ``mask·resid``, (X′diag(mask)X/n)⁻¹): its product with a direction v is
    ``score · (X @ (inv @ v))``. None when the design is singular.
    """
    gram = (x.T * mask) @ x / x.shape[0]
    if np.linalg.cond(gram, 1) * _EPS > 1.0:
        return None
    return mask * resid, np.linalg.inv(gram).astype(np.float64, copy=False)


def _apply(
    lin: tuple[NDArray[np.float64], NDArray[np.float64]],
    x: NDArray[np.float64],
    v: NDArray[np.float64],
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = lin[0] * (x @ (lin[1] @ v))
    return out


def _fit_subset(
    x: NDArray[np.float64], y: NDArray[np.float64], mask: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """Fitted values, on every row, of the OLS regression of ``y`` on ``x`` over ``mask`` rows."""
    xm = x[mask > 0]
    gram = xm.T @ xm
    if np.linalg.cond(gram, 1) * _EPS > 1.0:
        return None
    out: NDArray[np.float64] = x @ np.linalg.solve(gram, xm.T @ y[mask > 0])
    return out


def _cell_rc(
    x: NDArray[np.float64],
    d: NDArray[np.float64],
    post: NDArray[np.float64],
    y: NDArray[np.float64],
    est_method: str,
) -> tuple[float, NDArray[np.float64]] | str:
    """One ATT(g,t) from the rows of two periods, units not necessarily seen in both: the
    repeated-cross-section estimators of Sant'Anna & Zhao (2020) as R ``DRDID`` computes them
    (``drdid_rc``, ``std_ipw_did_rc``, ``reg_did_rc``; unit weights 1), which R ``did`` uses for
    unbalanced panels. Returns the ATT and the influence function per row (cell scale), or why
    the cell cannot be estimated (``"overlap"``, ``"singular"``).
    """
    n = int(d.shape[0])
    pre = 1.0 - post
    ctrl = 1.0 - d
    empty: NDArray[np.float64] = np.empty(0)
    ps, w_c_pre, w_c_post, ps_lin = empty, empty, empty, empty
    keep = np.ones(n)
    if est_method in ("dr", "ipw"):
        try:
            fitted, _, converged = _logit(x, d)
        except np.linalg.LinAlgError:
            return "overlap"
        if not converged or float(fitted.max()) >= _OVERLAP:
            return "overlap"
        ps = np.minimum(fitted, _PS_CAP)
        keep = np.where((d == 1) | (ps < _TRIM), 1.0, 0.0)
        odds = keep * ps * ctrl / (1.0 - ps)
        w_c_pre, w_c_post = odds * pre, odds * post
        info = (x.T * (ps * (1.0 - ps))) @ x
        ps_lin = np.linalg.inv(info).astype(np.float64, copy=False) * n

    def mean(v: NDArray[np.float64]) -> float:
        return float(v.sum()) / n

    def cmean(v: NDArray[np.float64]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = (v @ x) / n
        return out

    if est_method == "ipw":
        w_t_pre, w_t_post = keep * d * pre, keep * d * post
        att_parts = []
        inf = np.zeros(n)
        for w, sign in ((w_t_post, 1.0), (w_t_pre, -1.0), (w_c_post, -1.0), (w_c_pre, 1.0)):
            m = mean(w)
            a = float(w @ y) / (n * m)
            att_parts.append(sign * a)
            inf += sign * (w * y / m - w * a / m)
        att_c_pre = float(w_c_pre @ y) / (n * mean(w_c_pre))
        att_c_post = float(w_c_post @ y) / (n * mean(w_c_post))
        m2 = cmean(w_c_post * (y - att_c_post)) / mean(w_c_post) - cmean(
            w_c_pre * (y - att_c_pre)
        ) / mean(w_c_pre)
        inf -= (d - ps) * (x @ (ps_lin @ m2))
        return float(sum(att_parts)), inf
    out_c_pre = _fit_subset(x, y, ctrl * pre)
    out_c_post = _fit_subset(x, y, ctrl * post)
    if out_c_pre is None or out_c_post is None:
        return "singular"
    lin_pre = _ols_lin(x, ctrl * pre, y - out_c_pre)
    lin_post = _ols_lin(x, ctrl * post, y - out_c_post)
    if lin_pre is None or lin_post is None:
        return "singular"
    if est_method == "reg":
        w_t_pre, w_t_post = d * pre, d * post
        m_pre, m_post, m_d = mean(w_t_pre), mean(w_t_post), mean(d)
        e_pre = float(w_t_pre @ y) / (n * m_pre)
        e_post = float(w_t_post @ y) / (n * m_post)
        gap = out_c_post - out_c_pre
        e_c = float(d @ gap) / (n * m_d)
        inf_treat = w_t_post * (y - e_post) / m_post - w_t_pre * (y - e_pre) / m_pre
        m1 = cmean(d)
        inf_control = (d * (gap - e_c) + _apply(lin_post, x, m1) - _apply(lin_pre, x, m1)) / m_d
        return (e_post - e_pre) - e_c, inf_treat - inf_control
    # doubly robust (locally efficient)
    out_t_pre = _fit_subset(x, y, d * pre)
    out_t_post = _fit_subset(x, y, d * post)
    if out_t_pre is None or out_t_post is None:
        return "singular"
    lin_t_pre = _ols_lin(x, d * pre, y - out_t_pre)
    lin_t_post = _ols_lin(x, d * post, y - out_t_post)
    if lin_t_pre is None or lin_t_post is None:
        return "singular"
    out_c = post * out_c_post + pre * out_c_pre
    r = y - out_c
    w_t_pre, w_t_post = keep * d * pre, keep * d * post
    w_d, w_dt1, w_dt0 = keep * d, keep * d * post, keep * d * pre
    m_tpre, m_tpost = mean(w_t_pre), mean(w_t_post)
    m_cpre, m_cpost = mean(w_c_pre), mean(w_c_post)
    m_d, m_dt1, m_dt0 = mean(w_d), mean(w_dt1), mean(w_dt0)
    gap_post, gap_pre = out_t_post - out_c_post, out_t_pre - out_c_pre
    a_tpre = float(w_t_pre @ r) / (n * m_tpre)
    a_tpost = float(w_t_post @ r) / (n * m_tpost)
    a_cpre = float(w_c_pre @ r) / (n * m_cpre)
    a_cpost = float(w_c_post @ r) / (n * m_cpost)
    a_dpost = float(w_d @ gap_post) / (n * m_d)
    a_dt1 = float(w_dt1 @ gap_post) / (n * m_dt1)
    a_dpre = float(w_d @ gap_pre) / (n * m_d)
    a_dt0 = float(w_dt0 @ gap_pre) / (n * m_dt0)
    att = (a_tpost - a_tpre) - (a_cpost - a_cpre) + (a_dpost - a_dt1) - (a_dpre - a_dt0)
    inf_t = w_t_post * (r - a_tpost) / m_tpost - w_t_pre * (r - a_tpre) / m_tpre
    inf_t += _apply(lin_post, x, -cmean(w_t_post) / m_tpost)
    inf_t += _apply(lin_pre, x, -cmean(w_t_pre) / m_tpre)
    inf_c = w_c_post * (r - a_cpost) / m_cpost - w_c_pre * (r - a_cpre) / m_cpre
    m2 = cmean(w_c_post * (r - a_cpost)) / m_cpost - cmean(w_c_pre * (r - a_cpre)) / m_cpre
    inf_c += (d - ps) * (x @ (ps_lin @ m2))
    inf_c += _apply(lin_post, x, -cmean(w_c_post) / m_cpost)
    inf_c += _apply(lin_pre, x, -cmean(w_c_pre) / m_cpre)
    inf_eff = (
        w_d * (gap_post - a_dpost) / m_d
        - w_dt1 * (gap_post - a_dt1) / m_dt1
        - w_d * (gap_pre - a_dpre) / m_d
        + w_dt0 * (gap_pre - a_dt0) / m_dt0
    )
    mom_post = cmean(w_d / m_d - w_dt1 / m_dt1)
    mom_pre = cmean(w_d / m_d - w_dt0 / m_dt0)
    inf_or = (
        _apply(lin_t_post, x, mom_post)
        - _apply(lin_post, x, mom_post)
        - _apply(lin_t_pre, x, mom_pre)
        + _apply(lin_pre, x, mom_pre)
    )
    return att, inf_t - inf_c + inf_eff + inf_or


def _unit_major(panel: Panel) -> bool:
    """True when the panel's rows are every unit's periods in order, units in label order (the
    usual layout of a balanced panel), so that its columns reshape to units x periods.
    """
    n_u, n_t = panel.n_units, panel.n_periods
    if panel.n_obs != n_u * n_t:
        return False
    units = panel.unit_index.reshape(n_u, n_t)
    periods = panel.period_index.reshape(n_u, n_t)
    return bool((units == np.arange(n_u)[:, None]).all() and (periods == np.arange(n_t)).all())


def _period_major(
    values: NDArray[np.float64], order: NDArray[np.intp], n_t: int
) -> NDArray[np.float64]:
    """``(periods, units)`` from a unit-major column, units taken in ``order``."""
    out: NDArray[np.float64] = np.ascontiguousarray(values.reshape(-1, n_t)[order].T)
    return out


def _covariate_matrix(
    panel: Panel, names: tuple[str, ...], flat: NDArray[np.intp], row_ok: NDArray[np.bool_], n: int
) -> NDArray[np.float64]:
    """``(k, periods, units)``: the named controls per period and unit (``flat`` = each used
    row's position in a period-major ``periods x units`` array).
    """
    xt = np.empty((len(names), panel.n_periods * n))
    for c, name in enumerate(names):  # one contiguous scatter per control
        col = panel.controls[:, panel.control_names.index(name)]
        xt[c, flat] = col[row_ok]
    return xt.reshape(len(names), panel.n_periods, n)


def callaway_santanna(
    panel: Panel,
    *,
    controls: tuple[str, ...] | list[str] | None = None,
    est_method: str = "dr",
    control: str = "never",
    base_period: str = "varying",
    anticipation: int = 0,
    allow_unbalanced: bool = False,
    level: float = 0.95,
) -> StaggeredResult:
    """Estimate every ATT(g,t) of a staggered-adoption panel (Callaway & Sant'Anna 2021).

    Without ``controls`` each cell is the difference in mean outcome changes. With ``controls``
    (parallel trends conditional on covariates, R ``did``'s ``xformla = ~ x1 + x2``) each cell
    is one of the panel estimators of Sant'Anna & Zhao (2020) on Y_t − Y_b, with an intercept
    and the named controls taken, per unit, in the earlier of the cell's two periods (the base
    period, except for pre-treatment cells under ``base_period="universal"``), as R ``did``
    takes them:

    - ``est_method="dr"`` (the default, R ``DRDID::drdid_panel``): locally efficient doubly
      robust: a logit propensity score by maximum likelihood and a linear regression of the
      change on the controls among the comparison units, with normalised weights;
    - ``"ipw"`` (``std_ipw_did_panel``): normalised (Hájek) inverse-probability weighting;
    - ``"reg"`` (``reg_did_panel``): outcome regression;
    - ``"dr_imp"`` (``drdid_imp_panel``, what R ``did`` runs with
      ``est_method = DRDID::drdid_imp_panel``): the improved, locally efficient doubly robust
      estimator: the propensity score by inverse probability tilting (``pscore.cal``, fitted
      here by Newton's method to convergence) and the regression weighted by its odds, which
      makes the estimate insensitive to the nuisance fits to first order, so its influence
      function needs no estimation-effect terms. Balanced panels only.

    Influence functions include the estimation effect of the logit and of the regression, so
    the analytic SEs and every aggregation match R ``did``. As R ``did``, comparison units whose
    propensity score reaches 0.995 are trimmed, scores are capped at 1 − 1e-6, and a cell whose
    largest score reaches 0.999 (poor overlap) or whose comparison controls are collinear is not
    estimated (a named warning says which).

    Args:
        panel: a panel with treatment timing per unit; periods must be consecutive ordinals
            for "g − 1" to mean the period before adoption.
        controls: names of the panel's controls to condition on (default: none).
        est_method: ``"dr"``, ``"ipw"``, ``"reg"`` or ``"dr_imp"``; without controls all
            equal the difference in means.
        control: ``"never"`` (never-treated units) or ``"notyet"`` (never or not yet treated).
        base_period: ``"varying"`` or ``"universal"``.
        anticipation: periods before adoption in which units may already react.
        allow_unbalanced: keep units not observed in every period (R ``did``'s
            ``allow_unbalanced_panel=TRUE``). By default such units are dropped (the panel is
            balanced first, and ``rows`` says how many rows went). When set and the panel is
            unbalanced, each cell uses every row of its two periods with the
            repeated-cross-section estimators (``drdid_rc``, ``std_ipw_did_rc``,
            ``reg_did_rc``; controls read in each row's own period), and the influence function
            sums each unit's rows, as R ``did`` does. A balanced panel is unaffected.
        level: confidence level of the cell intervals.

    Returns:
        StaggeredResult: every ATT(g,t) with its influence function.

    Raises:
        PanelError: repeated cross-sections; periods that are not consecutive; an unknown
            control name.
        EstimationError: no treated cohorts, no never-treated units with ``control="never"``,
            an unknown option.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
        ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
        ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
        >>> r = callaway_santanna(p)
        >>> [(c.name, round(c.value, 2)) for c in r.cells]
        [('att_g2_t2', 1.3)]

        With a covariate, doubly robust:

        >>> rng = np.random.default_rng(1)
        >>> n = 200; units = np.repeat(np.arange(n), 3); periods = np.tile([1, 2, 3], n)
        >>> size = np.repeat(rng.normal(size=n), 3)
        >>> ft = {u: (2 if u % 3 == 0 else 3 if u % 3 == 1 else None) for u in range(n)}
        >>> treated = np.array([ft[u] is not None and t >= ft[u] for u, t in zip(units, periods)])
        >>> y = 0.5 * size * periods + 2.0 * treated + rng.normal(scale=0.1, size=3 * n)
        >>> p = Panel.from_arrays(units=units, periods=periods, outcome=y, unit="",
        ...     first_treated=ft, controls={"size": size})
        >>> r = callaway_santanna(p, controls=["size"])
        >>> round(r.aggregate("simple").estimate.value, 1), r.est_method
        (2.0, 'dr')
    """
    if panel.cross_section:
        raise PanelError(
            "callaway_santanna: needs a panel (units observed in every period), got repeated "
            "cross-sections"
        )
    if panel.switches_off:
        raise PanelError(
            "callaway_santanna: treatment switches off for some units; staggered adoption needs "
            "treatment that stays on once it starts (use twfe or first_difference, which read "
            "treatment row by row)"
        )
    if control not in ("never", "notyet"):
        raise EstimationError(f"control: expected 'never' or 'notyet', got {control!r}")
    if base_period not in ("varying", "universal"):
        raise EstimationError(
            f"base_period: expected 'varying' or 'universal', got {base_period!r}"
        )
    if est_method not in _EST_METHODS:
        raise EstimationError(
            f"est_method: expected one of {list(_EST_METHODS)}, got {est_method!r}"
        )
    if anticipation < 0:
        raise EstimationError(f"anticipation: expected 0 or more periods, got {anticipation}")
    names = tuple(controls or ())
    unknown = [nm for nm in names if nm not in panel.control_names]
    if unknown or len(set(names)) != len(names):
        raise PanelError(
            f"controls: expected distinct names among the panel's controls "
            f"{list(panel.control_names)}, got {list(names)}"
        )
    pv = panel.period_values
    if pv.size > 1 and not (np.diff(pv) == 1).all():
        raise PanelError(
            "callaway_santanna: periods must be consecutive ordinals (no gaps), got "
            f"{pv[:8].tolist()}{'...' if pv.size > 8 else ''}"
        )
    if pv.size < 2:
        raise PanelError("callaway_santanna: needs at least two periods")
    rows = panel.rows
    warnings: list[ResultWarning] = []
    n_t = int(pv.size)
    # outcomes as a (periods x units) matrix: each period a contiguous row
    counts = np.bincount(panel.unit_index, minlength=panel.n_units)
    complete = counts == n_t
    cohort = panel.cohort.copy()
    early = np.isfinite(cohort) & (cohort <= pv[0] + anticipation)
    unbalanced = allow_unbalanced and not bool(complete[~early].all())
    if unbalanced and est_method == "dr_imp":
        raise EstimationError(
            "est_method: 'dr_imp' needs a balanced panel; with allow_unbalanced=True on an "
            "unbalanced panel, expected 'dr', 'ipw' or 'reg'"
        )
    if unbalanced:
        complete = np.ones_like(complete)
    n_incomplete = int((~complete).sum())
    if n_incomplete:
        rows = rows.drop(
            "units not observed in every period (the estimator balances the panel)",
            int(counts[~complete].sum()),
        )
    if (early & complete).any():
        rows = rows.drop(
            "units treated in the first period (no pre-period to compare with)",
            int(counts[early & complete].sum()),
        )
    # units treated only after the last period are never treated within the window
    late = np.isfinite(cohort) & (cohort > pv[-1] + anticipation)
    cohort[late] = np.inf
    keep = complete & ~early
    # units sorted by cohort (never treated last), so every cohort is a contiguous slice
    kept = np.flatnonzero(keep)
    order = kept[np.argsort(cohort[kept], kind="stable")]
    rank = np.full(panel.n_units, -1, dtype=np.intp)
    rank[order] = np.arange(order.size)
    cohort = cohort[order]
    n = int(order.size)
    seen = np.empty((0, 0), dtype=bool)
    if not unbalanced and _unit_major(panel):  # rows already unit by unit: gather, no scatter
        yt = _period_major(panel.outcome, order, n_t)
        xt = None
        if names:
            xt = np.empty((len(names), n_t, n))
            for c, name in enumerate(names):
                col = panel.controls[:, panel.control_names.index(name)]
                xt[c] = _period_major(col, order, n_t)
    else:
        y_flat = np.full(n_t * n, np.nan) if unbalanced else np.empty(n_t * n)
        row_ok = rank[panel.unit_index] >= 0
        flat = panel.period_index[row_ok] * n + rank[panel.unit_index[row_ok]]
        y_flat[flat] = panel.outcome[row_ok]
        yt = y_flat.reshape(n_t, n)
        if unbalanced:
            seen = ~np.isnan(yt)
        xt = _covariate_matrix(panel, names, flat, row_ok, n) if names else None
    glist = np.unique(cohort[np.isfinite(cohort)])
    if glist.size == 0:
        raise EstimationError("callaway_santanna: no treated cohorts left to estimate")
    start = np.searchsorted(cohort, glist, side="left")
    stop = np.searchsorted(cohort, glist, side="right")
    never_start = int(np.searchsorted(cohort, np.inf, side="left"))
    if control == "never" and never_start == n:
        raise EstimationError(
            "callaway_santanna: no never-treated units to compare with; use control='notyet'"
        )
    t_range = range(1, n_t) if base_period == "varying" else range(n_t)
    max_cells = glist.size * len(t_range)
    inf_t = np.zeros((max_cells, n))  # one row per cell: the influence function over units
    groups: list[float] = []
    times: list[int] = []
    bases: list[int] = []
    atts: list[float] = []
    skipped: list[str] = []
    failed: dict[str, list[str]] = {"overlap": [], "singular": [], "empty": []}
    k = 0
    for gi, g in enumerate(glist):  # cohorts x periods; each step works on contiguous slices
        s_g, e_g = int(start[gi]), int(stop[gi])
        n_g = e_g - s_g
        base_post = int(np.flatnonzero(pv + anticipation < g)[-1])
        post_fit: tuple[Any, NDArray[np.float64], _Nuisance | None, str] = (
            None,
            np.empty((0, 0)),
            None,
            "",
        )
        ps_start: NDArray[np.float64] | None = None  # the cohort's last logit starts the next
        for j in t_range:
            is_post = pv[j] >= g
            b = base_post if (is_post or base_period == "universal") else j - 1
            if j == b:
                continue
            if control == "never":
                spans = [(never_start, n)]
            else:
                lo = int(np.searchsorted(cohort, pv[max(j, b)] + anticipation, side="right"))
                spans = (
                    [(lo, n)] if lo >= e_g else [(lo, s_g), (e_g, n)] if lo < s_g else [(e_g, n)]
                )
                spans = [(a, z) for a, z in spans if z > a]
            n_c = sum(z - a for a, z in spans)
            cell_name = f"g={int(g)}, t={int(pv[j])}"
            if n_c == 0:
                skipped.append(cell_name)
                continue
            yj, yb = yt[j], yt[b]
            row = inf_t[k]
            if unbalanced:
                cell_units = np.concatenate([np.arange(a, z) for a, z in [(s_g, e_g), *spans]])
                treated = np.zeros(cell_units.size)
                treated[:n_g] = 1.0
                at_t, at_b = seen[j, cell_units], seen[b, cell_units]
                u_t, u_b = cell_units[at_t], cell_units[at_b]
                d_rows = np.concatenate([treated[at_t], treated[at_b]])
                n_rows, n_post = d_rows.size, u_t.size
                n_treat_post, n_treat_pre = int(treated[at_t].sum()), int(treated[at_b].sum())
                if min(n_treat_post, n_post - n_treat_post, n_treat_pre) == 0 or (
                    n_rows - n_post == n_treat_pre
                ):
                    failed["empty"].append(cell_name)
                    continue
                x_rows = np.empty((n_rows, 1 + (0 if xt is None else xt.shape[0])))
                x_rows[:, 0] = 1.0
                if xt is not None:
                    x_rows[:n_post, 1:] = xt[:, j, u_t].T
                    x_rows[n_post:, 1:] = xt[:, b, u_b].T
                post_rows = np.zeros(n_rows)
                post_rows[:n_post] = 1.0
                y_rows = np.concatenate([yj[u_t], yb[u_b]])
                got = _cell_rc(x_rows, d_rows, post_rows, y_rows, est_method)
                if isinstance(got, str):
                    failed[got].append(cell_name)
                    continue
                att, inf = got
                inf *= n / n_rows
                row[u_t] = inf[:n_post]
                row[u_b] += inf[n_post:]  # a unit seen in both periods sums its two rows
            elif xt is None:
                dyg = yj[s_g:e_g] - yb[s_g:e_g]
                m1 = float(dyg.mean())
                dycs = [yj[a:z] - yb[a:z] for a, z in spans]
                m0 = float(sum(float(d.sum()) for d in dycs) / n_c)
                row[s_g:e_g] = (dyg - m1) * (n / n_g)
                for (a, z), d in zip(spans, dycs, strict=True):
                    row[a:z] = (d - m0) * (-n / n_c)
                att = m1 - m0
            else:
                # the cell's units: cohort g first, then the comparison spans
                cell_spans = [(s_g, e_g), *spans]
                n1 = n_g + n_c
                # controls from the earlier of the two periods (R did's convention); post cells
                # share the base period and, with never-treated units, the whole fit
                key = (min(j, b), tuple(spans))
                if post_fit[0] == key:
                    _, x_cell, nu, why = post_fit
                else:
                    xe = xt[:, min(j, b)]
                    x_cell = np.empty((1 + xe.shape[0], n1))  # transposed: rows contiguous
                    x_cell[0] = 1.0
                    np.concatenate([xe[:, a:z] for a, z in cell_spans], axis=1, out=x_cell[1:])
                    x_cell = x_cell.T
                    nu, why = _nuisance(x_cell, n_g, est_method, ps_start)
                    if is_post:
                        post_fit = (key, x_cell, nu, why)
                if nu is None:
                    failed[why].append(cell_name)
                    continue
                ps_start = nu.coef
                dy = np.concatenate([yj[a:z] - yb[a:z] for a, z in cell_spans])
                att, inf = _cell_with_covariates(x_cell, n_g, dy, nu, est_method)
                inf *= n / n1
                at = 0
                for a, z in cell_spans:
                    row[a:z] = inf[at : at + z - a]
                    at += z - a
            groups.append(float(g))
            times.append(int(pv[j]))
            bases.append(int(pv[b]))
            atts.append(att)
            k += 1
    if skipped:
        warnings.append(
            ResultWarning(
                code=WarningCode.NO_COMPARISON_UNITS,
                message=f"no comparison units for {len(skipped)} cells ({', '.join(skipped[:5])}"
                f"{'...' if len(skipped) > 5 else ''}); not estimated",
            )
        )
    for why, code, text in (
        (
            "overlap",
            WarningCode.POOR_OVERLAP,
            "a propensity score reaches 0.999 (or the logit does not converge)",
        ),
        ("singular", WarningCode.SINGULAR_CONTROLS, "the comparison units' controls are collinear"),
        (
            "empty",
            WarningCode.EMPTY_CELLS,
            "the cohort or its comparison units have no rows in one of the two periods",
        ),
    ):
        cells = failed[why]
        if cells:
            warnings.append(
                ResultWarning(
                    code=code,
                    message=f"{text} in {len(cells)} cells ({', '.join(cells[:5])}"
                    f"{'...' if len(cells) > 5 else ''}); not estimated",
                )
            )
    if not atts:
        raise EstimationError("callaway_santanna: no cell could be estimated")
    inf_t = inf_t[:k]
    se = np.sqrt(np.einsum("kn,kn->k", inf_t, inf_t)) / n
    influence = inf_t.T
    if rows.n_dropped:
        warnings.insert(0, ResultWarning(code=WarningCode.ROWS_DROPPED, message=str(rows)))
    return StaggeredResult(
        groups=np.array(groups),
        times=np.array(times, dtype=np.int64),
        bases=np.array(bases, dtype=np.int64),
        att=np.array(atts),
        se=se,
        influence=influence,
        unit_cohort=cohort,
        control=control,
        base_period=base_period,
        anticipation=anticipation,
        outcome_unit=panel.outcome_unit,
        ci_level=level,
        rows=rows,
        warnings=tuple(warnings),
        n_periods=n_t,
        est_method=est_method,
        control_names=names,
    )
