"""Result objects shared by the impact estimators: estimates, warnings, row accounting, designs.

What lives here: :class:`Estimate` (one number with its standard error and interval),
:class:`ImpactResult` (what every estimator in :mod:`civicinnov.evaluation` returns),
:class:`RowReport` (how many rows an estimate used and why the others were not),
:class:`RegressionResult` (what the regression core returns),
:class:`ResultWarning` with its :class:`WarningCode`.

What does not live here: the estimators themselves (:func:`~civicinnov.evaluation.twfe`,
:func:`~civicinnov.evaluation.callaway_santanna`, :func:`~civicinnov.evaluation.regress` ...

Warnings are *codes on the result*, not Python warnings: an estimate that is defined but fragile
(few clusters, a failing pre-trend test) is returned with the code attached, so a table of many
results can be filtered by it. Nothing is emitted through :mod:`warnings`.

The design of an estimate is a :class:`civicinnov.model.EvaluationDesign`; its Maryland
Scientific Methods Scale level comes from :func:`civicinnov.model.sms_level` (a DiD,
staggered DiD or event study with a comparison group is level 3; an interrupted time series
without one is level 2).

Example:
    >>> est = Estimate(name="att", value=-0.5, se=0.2, ci_low=-0.89, ci_high=-0.11, p_value=0.012)
    >>> est.name, est.value
    ('att', -0.5)
    >>> from civicinnov.model import EvaluationDesign, sms_level
    >>> int(sms_level(EvaluationDesign.DID))
    3
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.model import EvaluationDesign, SMSLevel, sms_level
from civicinnov.units import get_registry

if TYPE_CHECKING:
    from civicinnov.units import Quantity, Unit

__all__ = [
    "Estimate",
    "ImpactResult",
    "RegressionResult",
    "ResultWarning",
    "RowReport",
    "WarningCode",
]


def _arr_eq(a: Any, b: Any) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


_cmp = attrs.cmp_using(eq=_arr_eq)


class WarningCode(enum.Enum):
    """Named reasons to read an estimate with care.

    Example:
        >>> WarningCode.FEW_CLUSTERS.value
        'few_clusters'
    """

    #: Fewer than 30 clusters: cluster-robust SEs are biased downwards.
    FEW_CLUSTERS = "few_clusters"
    #: Fewer than 5 treated clusters: cluster-robust SEs are unreliable (MacKinnon & Webb 2017).
    FEW_TREATED_CLUSTERS = "few_treated_clusters"
    #: Fewer than 5 treated units under a non-cluster convention: inference rests on a handful of
    #: treated units, whose own shocks the SEs cannot separate from the effect (Conley & Taber 2011).
    FEW_TREATED_UNITS = "few_treated_units"
    #: The joint Wald test rejects that all leads are zero.
    PRE_TRENDS_FAIL = "pre_trends_fail"
    #: A group-by-period cell holds no observations.
    EMPTY_CELLS = "empty_cells"
    #: A cohort has no comparison units for some periods; those cells are not estimated.
    NO_COMPARISON_UNITS = "no_comparison_units"
    #: Rows of the panel were not used (see :class:`RowReport`).
    ROWS_DROPPED = "rows_dropped"
    #: Treatment starts at different times: the TWFE coefficient may weight effects negatively.
    STAGGERED_TIMING = "staggered_timing"
    #: Events outside the requested window were removed from the estimation sample.
    OUTSIDE_EVENT_WINDOW = "outside_event_window"
    #: The treated unit lies outside the donors' range before adoption (synthetic control).
    POOR_PRE_FIT = "poor_pre_fit"
    #: The requested standard error is not defined for this design; it is returned as NaN (e.g. a
    #: model with as many parameters as observations, such as a 2x2 DiD on four cell means).
    UNDEFINED_SE = "undefined_se"
    #: A fitted propensity score comes too close to 1 (poor overlap); those cells are not estimated.
    POOR_OVERLAP = "poor_overlap"
    #: The comparison units' controls are collinear; those cells are not estimated.
    SINGULAR_CONTROLS = "singular_controls"


@attrs.frozen(kw_only=True)
class ResultWarning:
    """A warning attached to a result: a code to filter on and a sentence to read.

    Example:
        >>> w = ResultWarning(code=WarningCode.FEW_CLUSTERS, message="27 clusters")
        >>> str(w)
        'few_clusters: 27 clusters'
    """

    code: WarningCode
    message: str

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


@attrs.frozen(kw_only=True)
class RowReport:
    """How many rows were given, how many an estimate used, and why the others were not.

    ``dropped`` pairs a reason with a row count, in the order the reasons arose.

    Example:
        >>> r = RowReport(given=10, used=8, dropped=(("outcome missing (NaN)", 2),))
        >>> r.n_dropped
        2
        >>> print(r)
        used 8 of 10 rows; dropped 2: outcome missing (NaN)
    """

    given: int
    used: int
    dropped: tuple[tuple[str, int], ...] = ()

    @property
    def n_dropped(self) -> int:
        """Rows given but not used.

        Example:
            >>> RowReport(given=3, used=3).n_dropped
            0
        """
        return self.given - self.used

    def drop(self, reason: str, count: int) -> RowReport:
        """Return a report with ``count`` more rows dropped for ``reason`` (no-op when zero).

        Parameters:
            reason: why the rows were dropped.
            count: how many rows were dropped (zero or fewer changes nothing).

        Returns:
            A new report (this report itself when ``count`` is not positive).

        Example:
            >>> RowReport(given=5, used=5).drop("outside the event window", 2).used
            3
        """
        if count <= 0:
            return self
        return RowReport(
            given=self.given, used=self.used - count, dropped=(*self.dropped, (reason, count))
        )

    def __str__(self) -> str:
        text = f"used {self.used} of {self.given} rows"
        if self.dropped:
            parts = "; ".join(f"{n}: {why}" for why, n in self.dropped)
            text += f"; dropped {parts}"
        return text


@attrs.frozen(kw_only=True)
class Estimate:
    """One estimated number with its standard error, confidence interval and p-value.

    Magnitudes are in the outcome unit of the result that holds the estimate.

    Example:
        >>> Estimate(name="post", value=2.0, se=0.5, ci_low=1.0, ci_high=3.0, p_value=0.0001).t_stat
        4.0
    """

    name: str
    value: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def t_stat(self) -> float:
        """The estimate divided by its standard error (NaN when the SE is zero or missing).

        Example:
            >>> Estimate(name="x", value=1.0, se=0.0, ci_low=1.0, ci_high=1.0, p_value=0.0).t_stat
            nan
        """
        if not self.se or math.isnan(self.se):
            return math.nan
        return self.value / self.se

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as a plain dict.

        Example:
            >>> Estimate(name="x", value=1.0, se=0.5, ci_low=0.0, ci_high=2.0, p_value=0.05).to_dict()
            {'name': 'x', 'value': 1.0, 'se': 0.5, 'ci_low': 0.0, 'ci_high': 2.0, 'p_value': 0.05}
        """
        return attrs.asdict(self)


@attrs.frozen(kw_only=True, hash=False)
class ImpactResult:
    """What an impact estimator returns: a headline estimate, the other terms, and its context.

    Attributes:
        estimator: the estimator's name (``"did_2x2"``, ``"twfe"``, ``"event_study"``,
            ``"callaway_santanna"``, ``"interrupted_time_series"``).
        estimate: the headline estimate (an ATT, a level change).
        terms: every reported estimate (regression coefficients, event-time effects, aggregation
            components), each by name; :meth:`term` finds one.
        outcome_unit: the pint unit of every magnitude in ``estimate`` and ``terms``.
        convention: the standard-error convention (``"crv1"``, ``"iid"``, ``"newey_west(lags=1)"``...).
        ci_level: coverage of the confidence intervals.
        n_obs: observations used; n_units: distinct units; n_clusters: clusters (or None).
        design: the research design (:class:`~civicinnov.model.EvaluationDesign`);
            ``sms_level`` its Maryland SMS level.
        assumptions: what a reader must accept for the estimate to be causal.
        warnings: named warnings (see :class:`WarningCode`).
        rows: the row accounting.
        stats: other statistics (R², residual sum of squares, pre-trend test, ...).
        regression: the full regression behind a regression-based estimate (every coefficient,
            its covariance, R², F), or None.

    Example:
        >>> from civicinnov.evaluation import Panel
        >>> from civicinnov.evaluation import did_2x2
        >>> p = Panel.from_arrays(
        ...     units=[1, 1, 2, 2, 3, 3, 4, 4], periods=[0, 1] * 4,
        ...     outcome=[5.0, 3.0, 6.0, 3.5, 5.0, 5.0, 6.0, 6.5], unit="incident",
        ...     first_treated={1: 1, 2: 1, 3: None, 4: None})
        >>> r = did_2x2(p, vcov="hc1")
        >>> round(r.estimate.value, 3), str(r.outcome_unit)
        (-2.5, 'incident')
        >>> r.quantity
        <Quantity(-2.5, 'incident')>
    """

    estimator: str
    estimate: Estimate
    terms: tuple[Estimate, ...]
    outcome_unit: Unit
    convention: str
    ci_level: float
    n_obs: int
    n_units: int
    n_clusters: int | None
    design: EvaluationDesign
    assumptions: tuple[str, ...]
    warnings: tuple[ResultWarning, ...]
    rows: RowReport
    stats: Mapping[str, float] = attrs.field(factory=dict)
    regression: RegressionResult | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def sms_level(self) -> SMSLevel:
        """The Maryland SMS level the design can earn (:func:`civicinnov.model.sms_level`).

        This is a ceiling, not a verdict: a study earns it only when the design's assumptions
        hold (see ``assumptions`` and ``warnings``). A difference-in-differences with failing
        pre-trends or one treated unit is weaker evidence than its level says; record the level
        you judge the study to have earned on the initiative, not this number unread.

        Example:
            >>> from civicinnov.evaluation import interrupted_time_series
            >>> interrupted_time_series([0, 1, 2, 3], [1.0, 1.1, 3.0, 3.2], interruption=2,
            ...                         unit="case", model="level").sms_level
            <SMSLevel.CONTROLLED: 2>
        """
        return sms_level(self.design)

    @property
    def warning_codes(self) -> frozenset[WarningCode]:
        """The codes of the attached warnings.

        Example:
            >>> WarningCode("pre_trends_fail") in frozenset({WarningCode.PRE_TRENDS_FAIL})
            True
        """
        return frozenset(w.code for w in self.warnings)

    @property
    def quantity(self) -> Quantity:
        """The headline estimate as a pint quantity in the outcome unit.

        Example:
            >>> from civicinnov.units import get_registry
            >>> get_registry().Quantity(1.5, "person").units
            <Unit('person')>
        """
        return get_registry().Quantity(self.estimate.value, self.outcome_unit)

    def term(self, name: str) -> Estimate:
        """Return the term called ``name``; raise :class:`KeyError` naming the known terms.

        Parameters:
            name: the term's name (e.g. ``"post"``, ``"event_0"``).

        Returns:
            The :class:`Estimate` with that name.

        Raises:
            KeyError: no such term (the message lists the known ones).

        Example:
            >>> from civicinnov.evaluation import interrupted_time_series
            >>> r = interrupted_time_series([0, 1, 2, 3], [1.0, 1.1, 3.0, 3.2], interruption=2,
            ...                             unit="case", model="level")
            >>> round(r.term("post").value, 2)
            2.05
        """
        for est in self.terms:
            if est.name == name:
                return est
        raise KeyError(f"no term {name!r}; known terms: {[e.name for e in self.terms]}")

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values (unit as text, warnings as codes).

        Example:
            >>> from civicinnov.evaluation import interrupted_time_series
            >>> r = interrupted_time_series([0, 1, 2, 3], [1.0, 1.1, 3.0, 3.2], interruption=2,
            ...                             unit="case", model="level")
            >>> d = r.to_dict()
            >>> d["estimator"], d["outcome_unit"], d["design"], d["sms_level"]
            ('interrupted_time_series', 'case', 'interrupted_time_series', 2)
        """
        return {
            "estimator": self.estimator,
            "estimate": self.estimate.to_dict(),
            "terms": [t.to_dict() for t in self.terms],
            "outcome_unit": str(self.outcome_unit),
            "convention": self.convention,
            "ci_level": self.ci_level,
            "n_obs": self.n_obs,
            "n_units": self.n_units,
            "n_clusters": self.n_clusters,
            "design": self.design.value,
            "sms_level": int(self.sms_level),
            "assumptions": list(self.assumptions),
            "warnings": [{"code": w.code.value, "message": w.message} for w in self.warnings],
            "rows": {
                "given": self.rows.given,
                "used": self.rows.used,
                "dropped": [{"reason": r, "rows": n} for r, n in self.rows.dropped],
            },
            "stats": dict(self.stats),
        }

    def __str__(self) -> str:
        """The headline and the design on one line each (``summary()`` gives the whole screen).

        Example:
            >>> from civicinnov.evaluation import interrupted_time_series
            >>> r = interrupted_time_series([0, 1, 2, 3], [1.0, 1.1, 3.0, 3.2], interruption=2,
            ...                             unit="case", model="level")
            >>> print(r)
            interrupted_time_series: post = 2.05 case (SE 0.1118, 95% CI 1.569 to 2.531)
            design: interrupted_time_series (Maryland SMS level 2); SE convention: iid; n = 4 obs, 1 units
        """
        return "\n".join(self.summary().splitlines()[:2])

    def summary(self) -> str:
        """Return a one-screen text summary: headline, terms, design, warnings, rows.

        Example:
            >>> from civicinnov.evaluation import interrupted_time_series
            >>> r = interrupted_time_series([0, 1, 2, 3], [1.0, 1.1, 3.0, 3.2], interruption=2,
            ...                             unit="case", model="level")
            >>> print(r.summary().splitlines()[0])
            interrupted_time_series: post = 2.05 case (SE 0.1118, 95% CI 1.569 to 2.531)
        """
        e = self.estimate
        pct = f"{self.ci_level * 100:g}%"
        lines = [
            f"{self.estimator}: {e.name} = {e.value:.4g} {self.outcome_unit} "
            f"(SE {e.se:.4g}, {pct} CI {e.ci_low:.4g} to {e.ci_high:.4g})",
            f"design: {self.design.value} (Maryland SMS level {int(self.sms_level)}); SE convention: "
            f"{self.convention}; n = {self.n_obs} obs, {self.n_units} units"
            + (f", {self.n_clusters} clusters" if self.n_clusters is not None else ""),
        ]
        shown = self.terms[:20]
        if shown:
            width = max(len(t.name) for t in shown)
            lines.append(f"{'term':<{width}}  {'estimate':>11}  {'SE':>10}  {'p':>7}")
            for t in shown:
                lines.append(
                    f"{t.name:<{width}}  {t.value:>11.4g}  {t.se:>10.4g}  {t.p_value:>7.3g}"
                )
            if len(self.terms) > len(shown):
                lines.append(f"... {len(self.terms) - len(shown)} more terms")
        for key, value in self.stats.items():
            lines.append(f"{key}: {value:.6g}")
        lines.append(f"rows: {self.rows}")
        lines.extend(f"warning {w}" for w in self.warnings)
        lines.extend(f"assumes: {a}" for a in self.assumptions)
        return "\n".join(lines)


@attrs.frozen(kw_only=True, hash=False)
class RegressionResult:
    """A least-squares fit: coefficients with standard errors under a named convention.

    Attributes:
        names: the regressors, in order (``const`` for the intercept).
        coef / se / t / p_value / ci_low / ci_high: per regressor.
        vcov: the coefficients' covariance matrix under ``convention``.
        convention: the variance convention (``"hc1"``, ``"crv1"``, ``"newey_west(lags=2)"`` ...).
        ci_level: coverage of the intervals.
        n_obs: rows used; df_resid: N − K (K counts absorbed effects); df: the degrees of
            freedom of the t distribution used for inference (G − 1 for cluster conventions).
        n_absorbed: the absorbed fixed-effect parameters; n_clusters: clusters (or None).
        rss / tss: residual and total sums of squares (weighted when weights are given).
        r2, adj_r2: (adjusted) R² of the whole model; r2_within: R² after absorbing effects
            (NaN without them).
        f_stat, f_p, f_df: the Wald F test that every coefficient but the intercept is zero,
            under ``convention`` (the classical F under ``iid``).
        outcome_unit: the unit of the outcome (coefficients are in it per unit of the regressor).
        resid: residuals per row (of the full model, in the outcome's unit).
        warnings: named warnings (see :class:`~civicinnov.evaluation.WarningCode`).

    Example:
        >>> from civicinnov.evaluation import regress
        >>> r = regress([2.0, 4.1, 5.9, 8.2], {"dose": [1, 2, 3, 4]}, unit="case")
        >>> round(r.term("dose").value, 3), str(r.outcome_unit)
        (2.04, 'case')
    """

    names: tuple[str, ...]
    coef: NDArray[np.float64] = attrs.field(eq=_cmp)
    se: NDArray[np.float64] = attrs.field(eq=_cmp)
    t: NDArray[np.float64] = attrs.field(eq=_cmp)
    p_value: NDArray[np.float64] = attrs.field(eq=_cmp)
    ci_low: NDArray[np.float64] = attrs.field(eq=_cmp)
    ci_high: NDArray[np.float64] = attrs.field(eq=_cmp)
    vcov: NDArray[np.float64] = attrs.field(eq=_cmp)
    convention: str
    ci_level: float
    n_obs: int
    df_resid: float
    df: float
    n_absorbed: int
    n_clusters: int | None
    rss: float
    tss: float
    r2: float
    adj_r2: float
    r2_within: float
    f_stat: float
    f_p: float
    f_df: tuple[float, float]
    outcome_unit: Unit | None = None
    resid: NDArray[np.float64] = attrs.field(eq=_cmp, repr=False)
    warnings: tuple[ResultWarning, ...] = ()

    @property
    def terms(self) -> tuple[Estimate, ...]:
        """Every coefficient as an :class:`~civicinnov.evaluation.Estimate`.

        Example:
            >>> from civicinnov.evaluation import regress
            >>> [t.name for t in regress([1.0, 2.0, 2.5], {"x": [0, 1, 2]}).terms]
            ['const', 'x']
        """
        return tuple(
            Estimate(
                name=nm,
                value=float(self.coef[i]),
                se=float(self.se[i]),
                ci_low=float(self.ci_low[i]),
                ci_high=float(self.ci_high[i]),
                p_value=float(self.p_value[i]),
            )
            for i, nm in enumerate(self.names)
        )

    def term(self, name: str) -> Estimate:
        """Return the coefficient called ``name``.

        Parameters:
            name: the regressor's name (``"const"`` for the intercept).

        Returns:
            The :class:`Estimate` of that coefficient.

        Raises:
            KeyError: no such regressor (the message lists the known ones).

        Example:
            >>> from civicinnov.evaluation import regress
            >>> round(regress([1.0, 2.0, 2.5], {"x": [0, 1, 2]}).term("x").value, 2)
            0.75
        """
        if name not in self.names:
            raise KeyError(f"no term {name!r}; known terms: {list(self.names)}")
        return self.terms[self.names.index(name)]

    @property
    def warning_codes(self) -> frozenset[WarningCode]:
        """The codes of the attached warnings.

        Example:
            >>> from civicinnov.evaluation import regress
            >>> regress([1.0, 2.0], {"x": [0, 1]}).warning_codes
            frozenset({<WarningCode.UNDEFINED_SE: 'undefined_se'>})
        """
        return frozenset(w.code for w in self.warnings)

    def table(self) -> list[dict[str, Any]]:
        """Return one plain row per coefficient: name, estimate, se, t, p, ci_low, ci_high.

        Example:
            >>> from civicinnov.evaluation import regress
            >>> regress([1.0, 2.0, 2.5], {"x": [0, 1, 2]}).table()[1]["name"]
            'x'
        """
        return [
            {
                "name": nm,
                "estimate": float(self.coef[i]),
                "se": float(self.se[i]),
                "t": float(self.t[i]),
                "p": float(self.p_value[i]),
                "ci_low": float(self.ci_low[i]),
                "ci_high": float(self.ci_high[i]),
            }
            for i, nm in enumerate(self.names)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values (no arrays, unit as text).

        Example:
            >>> from civicinnov.evaluation import regress
            >>> d = regress([1.0, 2.0, 2.5], {"x": [0, 1, 2]}, unit="case").to_dict()
            >>> d["convention"], d["n_obs"], d["outcome_unit"], len(d["terms"])
            ('iid', 3, 'case', 2)
        """
        return {
            "terms": self.table(),
            "convention": self.convention,
            "ci_level": self.ci_level,
            "n_obs": self.n_obs,
            "df_resid": self.df_resid,
            "df": self.df,
            "n_absorbed": self.n_absorbed,
            "n_clusters": self.n_clusters,
            "rss": self.rss,
            "r2": self.r2,
            "adj_r2": self.adj_r2,
            "r2_within": self.r2_within,
            "f_stat": self.f_stat,
            "f_p": self.f_p,
            "outcome_unit": None if self.outcome_unit is None else str(self.outcome_unit),
            "warnings": [{"code": w.code.value, "message": w.message} for w in self.warnings],
        }

    def __str__(self) -> str:
        """A coefficient table with the fit statistics under it.

        Example:
            >>> from civicinnov.evaluation import regress
            >>> print(regress([1.0, 2.0, 2.5, 4.5], {"x": [0, 1, 2, 3]}, unit="case"))
            term     estimate          SE        t        p     95% CI
            const        0.85      0.3969    2.142    0.166     -0.8576 to 2.558
            x             1.1      0.2121    5.185   0.0352     0.1873 to 2.013
            n = 4, df = 2, R² = 0.9308 (adj. 0.8962), F = 26.89 (p = 0.0352); SE: iid; outcome in case
        """
        width = max(len("term"), *(len(nm) for nm in self.names)) if self.names else 4
        pct = f"{self.ci_level * 100:g}% CI"
        lines = [f"{'term':<{width}}  {'estimate':>10}  {'SE':>10}  {'t':>7}  {'p':>7}     {pct}"]
        for row in self.table():
            lines.append(
                f"{row['name']:<{width}}  {row['estimate']:>10.4g}  {row['se']:>10.4g}  "
                f"{row['t']:>7.4g}  {row['p']:>7.3g}     {row['ci_low']:.4g} to {row['ci_high']:.4g}"
            )
        tail = (
            f"n = {self.n_obs}, df = {self.df:g}, R² = {self.r2:.4g} (adj. {self.adj_r2:.4g})"
            + (f", within R² = {self.r2_within:.4g}" if np.isfinite(self.r2_within) else "")
            + (f", F = {self.f_stat:.4g} (p = {self.f_p:.3g})" if np.isfinite(self.f_stat) else "")
            + f"; SE: {self.convention}"
            + (f", {self.n_clusters} clusters" if self.n_clusters is not None else "")
            + (f"; outcome in {self.outcome_unit}" if self.outcome_unit is not None else "")
        )
        lines.append(tail)
        lines.extend(f"warning {w}" for w in self.warnings)
        return "\n".join(lines)

    def quantity(self, name: str) -> Quantity:
        """The coefficient ``name`` as a pint quantity in the outcome's unit.

        A coefficient is in outcome units per unit of its regressor; regressors' units are not
        tracked, so read it as outcome units per one of whatever the regressor counts.

        Parameters:
            name: the regressor's name.

        Returns:
            The coefficient as a scalar quantity (dimensionless when the outcome has no unit).

        Raises:
            KeyError: no such regressor.

        Example:
            >>> from civicinnov.evaluation import regress
            >>> regress([1.0, 2.0, 2.5], {"x": [0, 1, 2]}, unit="case").quantity("x").units
            <Unit('case')>
        """
        unit = self.outcome_unit if self.outcome_unit is not None else ""
        return get_registry().Quantity(self.term(name).value, unit)
