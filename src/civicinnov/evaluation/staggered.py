"""Staggered adoption: Callaway & Sant'Anna (2021) group-time effects and their aggregations.

What lives here: :func:`callaway_santanna`, returning a :class:`StaggeredResult` that holds every
ATT(g,t) with its influence function, aggregates them (:meth:`StaggeredResult.aggregate`:
``simple``, ``dynamic``, ``group``, ``calendar``) and draws uniform bands by the multiplier
bootstrap (:meth:`StaggeredResult.bootstrap`).

Method (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2), without covariates, panel data):

- ATT(g,t) = mean(Y_t − Y_b | G = g) − mean(Y_t − Y_b | comparison), where the base period b
  is ``g − 1 − anticipation`` for post cells (t ≥ g) and, with ``base_period="varying"``, the
  previous period t − 1 for pre cells (``"universal"`` uses ``g − 1 − anticipation`` for all).
  The cell at the universal base itself is the normalisation and is not reported.
- Comparison units: never treated (``control="never"``), or never treated plus units not yet
  treated by max(t, b) + anticipation (``control="notyet"``), as in R ``did``.
- Cell SE from the influence function IF_i = D_i(ΔY_i − m₁)/p − (1 − D_i)(ΔY_i − m₀)/(1 − p):
  se = √(Σ IF_i²)/n_gt, over the units of cohort g and the comparison units.
- Aggregations follow R ``did::aggte``: *simple* weights post cells by P(G = g); *dynamic*
  averages cells by event time e = t − g with P(G = g) weights, its overall value the mean over
  e ≥ 0; *group* averages each cohort's post cells, its overall value P(G = g)-weighted;
  *calendar* averages the cohorts treated by t, its overall value the mean over t. Their SEs
  include the influence function of the estimated weights P(G = g).
- The multiplier bootstrap uses Mammen (1993) weights and, as R ``did``, scales by the
  interquartile range; its uniform critical value gives simultaneous bands.

Units first treated in or before the first period (+ anticipation) have no pre-period and are
dropped (counted in ``rows``), as R ``did`` does; units not observed in every period are dropped
too (the panel is balanced first). All arithmetic is vectorised over units; the loop runs over
the cells (cohorts × periods).

Example:
    >>> import numpy as np
    >>> from civicinnov.evaluation.panel import Panel
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

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import EstimationError, PanelError
from civicinnov.evaluation._linear import estimate
from civicinnov.evaluation.panel import Panel
from civicinnov.evaluation.results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.model import EvaluationDesign, SMSLevel

__all__ = ["Bands", "StaggeredResult", "callaway_santanna"]

_ASSUME = (
    "parallel trends conditional on cohort: without treatment, each cohort's average outcome "
    "would have moved like the comparison units'",
    "limited anticipation: outcomes do not react earlier than the anticipation periods allow",
    "irreversible treatment: once treated, a unit stays treated",
    "no spillovers: one unit's treatment does not change another unit's outcome",
)

_AGGREGATIONS = ("simple", "dynamic", "group", "calendar")


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
        >>> from civicinnov.evaluation.panel import Panel
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

    @property
    def n_units(self) -> int:
        """Units used.

        Example:
            >>> import numpy as np
            >>> int(np.zeros((5, 2)).shape[0])
            5
        """
        return int(self.influence.shape[0])

    @property
    def cells(self) -> tuple[Estimate, ...]:
        """Every ATT(g,t) as an :class:`Estimate` named ``att_g<g>_t<t>`` (normal intervals).

        Example:
            >>> from civicinnov.evaluation.results import Estimate
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
            >>> from civicinnov.evaluation.panel import Panel
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
        :attr:`ImpactResult.sms_level <civicinnov.evaluation.results.ImpactResult.sms_level>`.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation.panel import Panel
            >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
            ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
            ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
            >>> callaway_santanna(p).sms_level
            <SMSLevel.COMPARISON_GROUP: 3>
        """
        from civicinnov.model import sms_level

        return sms_level(self.design)

    def cell(self, group: int, time: int) -> Estimate:
        """Return ATT(g = ``group``, t = ``time``); raise :class:`KeyError` if not estimated.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation.panel import Panel
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

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation.panel import Panel
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
            n_obs=n * self.n_periods,
            n_units=n,
            n_clusters=None,
            design=EvaluationDesign.STAGGERED_DID,
            assumptions=_ASSUME,
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
    ) -> Bands:
        """Uniform confidence bands by the multiplier bootstrap (Mammen weights, seeded).

        ``kind`` is ``"cells"`` (every ATT(g,t)) or an aggregation (its components and overall
        effect). Following
        R ``did::mboot``, the bootstrap SE is the IQR of the draws over 1.349, and the critical
        value the ``level`` quantile of the largest studentised deviation.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation.panel import Panel
            >>> units = np.repeat(np.arange(40), 2); periods = np.tile([1, 2], 40)
            >>> y = np.random.default_rng(0).normal(size=80) + (units < 10) * (periods == 2)
            >>> p = Panel.from_arrays(units=units, periods=periods, outcome=y, unit="",
            ...     first_treated={u: (2 if u < 10 else None) for u in range(40)})
            >>> b = callaway_santanna(p).bootstrap(iterations=200, seed=7)
            >>> b.names, b.critical_value > 1.5
            (('att_g2_t2',), True)
        """
        from scipy import stats

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
        rng = np.random.default_rng(seed)
        s5 = np.sqrt(5.0)
        p_low = (s5 + 1) / (2 * s5)
        lo, hi = (1 - s5) / 2, (1 + s5) / 2
        draws = np.empty((iterations, ifs.shape[1]))
        chunk = max(1, min(iterations, 20_000_000 // max(n, 1)))
        for start in range(0, iterations, chunk):  # bounded memory; vectorised within a chunk
            m = min(chunk, iterations - start)
            xi = np.where(rng.random((m, n)) < p_low, lo, hi)
            draws[start : start + m] = (xi @ ifs) / np.sqrt(n)
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

    def summary(self) -> str:
        """A one-screen table of the cells.

        Example:
            >>> import numpy as np
            >>> from civicinnov.evaluation.panel import Panel
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
            >>> from civicinnov.evaluation.panel import Panel
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


def callaway_santanna(
    panel: Panel,
    *,
    control: str = "never",
    base_period: str = "varying",
    anticipation: int = 0,
    level: float = 0.95,
) -> StaggeredResult:
    """Estimate every ATT(g,t) of a staggered-adoption panel (Callaway & Sant'Anna 2021).

    Args:
        panel: a panel with treatment timing per unit; periods must be consecutive ordinals
            for "g − 1" to mean the period before adoption.
        control: ``"never"`` (never-treated units) or ``"notyet"`` (never or not yet treated).
        base_period: ``"varying"`` or ``"universal"``.
        anticipation: periods before adoption in which units may already react.
        level: confidence level of the cell intervals.

    Raises:
        PanelError: repeated cross-sections; periods that are not consecutive.
        EstimationError: no treated cohorts, no never-treated units with ``control="never"``.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation.panel import Panel
        >>> p = Panel.from_arrays(units=np.repeat([1, 2, 3, 4], 2), periods=[1, 2] * 4,
        ...     outcome=[1.0, 3.0, 1.0, 2.5, 1.0, 1.5, 2.0, 2.4], unit="",
        ...     first_treated={1: 2, 2: 2, 3: None, 4: None})
        >>> r = callaway_santanna(p)
        >>> [(c.name, round(c.value, 2)) for c in r.cells]
        [('att_g2_t2', 1.3)]
    """
    if panel.cross_section:
        raise PanelError(
            "callaway_santanna: needs a panel (units observed in every period), got repeated "
            "cross-sections"
        )
    if control not in ("never", "notyet"):
        raise EstimationError(f"control: expected 'never' or 'notyet', got {control!r}")
    if base_period not in ("varying", "universal"):
        raise EstimationError(
            f"base_period: expected 'varying' or 'universal', got {base_period!r}"
        )
    if anticipation < 0:
        raise EstimationError(f"anticipation: expected 0 or more periods, got {anticipation}")
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
    n_incomplete = int((~complete).sum())
    if n_incomplete:
        rows = rows.drop(
            "units not observed in every period (the estimator balances the panel)",
            int(counts[~complete].sum()),
        )
    early = np.isfinite(cohort) & (cohort <= pv[0] + anticipation)
    if (early & complete).any():
        rows = rows.drop(
            "units treated in the first period (no pre-period to compare with)",
            int((early & complete).sum()) * n_t,
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
    yt = np.empty((n_t, n))
    row_ok = rank[panel.unit_index] >= 0
    yt[panel.period_index[row_ok], rank[panel.unit_index[row_ok]]] = panel.outcome[row_ok]
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
    k = 0
    for gi, g in enumerate(glist):  # cohorts x periods; each step works on contiguous slices
        s_g, e_g = int(start[gi]), int(stop[gi])
        n_g = e_g - s_g
        base_post = int(np.flatnonzero(pv + anticipation < g)[-1])
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
            if n_c == 0:
                skipped.append(f"g={int(g)}, t={int(pv[j])}")
                continue
            yj, yb = yt[j], yt[b]
            dyg = yj[s_g:e_g] - yb[s_g:e_g]
            m1 = float(dyg.mean())
            dycs = [yj[a:z] - yb[a:z] for a, z in spans]
            m0 = float(sum(float(d.sum()) for d in dycs) / n_c)
            row = inf_t[k]
            row[s_g:e_g] = (dyg - m1) * (n / n_g)
            for (a, z), d in zip(spans, dycs, strict=True):
                row[a:z] = (d - m0) * (-n / n_c)
            groups.append(float(g))
            times.append(int(pv[j]))
            bases.append(int(pv[b]))
            atts.append(m1 - m0)
            k += 1
    if skipped:
        warnings.append(
            ResultWarning(
                code=WarningCode.NO_COMPARISON_UNITS,
                message=f"no comparison units for {len(skipped)} cells ({', '.join(skipped[:5])}"
                f"{'...' if len(skipped) > 5 else ''}); not estimated",
            )
        )
    if not atts:
        raise EstimationError("callaway_santanna: no cell has comparison units")
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
    )
