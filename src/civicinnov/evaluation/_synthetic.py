"""Synthetic control and synthetic difference-in-differences: one place changed, the rest did not.

What lives here: :func:`synthetic_control` with :class:`SyntheticControlResult` (and its
:class:`PlaceboTest` and :class:`LeaveOneOut`), and :func:`synthetic_did` with
:class:`SyntheticDiDResult`. Both read a :class:`~civicinnov.evaluation.Panel` in which one
unit (or a block of units sharing one adoption period) is treated and the never-treated units are
the donor pool, and both return an :class:`~civicinnov.evaluation.ImpactResult` subclass,
so they sit in a table of estimates like every other estimator. What does not live here: the
regression-based designs (:mod:`civicinnov.evaluation`, :mod:`~civicinnov.evaluation`).

Methods:
- **Synthetic control** (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010, *JASA*
  105(490):493-505). Donor weights ``w`` on the simplex minimise ``(X1 - X0 w)' V (X1 - X0 w)``.
  Without named predictors, ``X`` is every pre-period outcome on its raw scale and ``V`` the
  identity (the outcome-only variant, whose solution is unique). With named predictors (pre-period
  means of the panel's controls and chosen pre-period outcomes), each predictor is divided by its
  standard deviation across the units and ``V`` is diagonal, either given or chosen by the nested
  method: the ``V`` whose weights best reproduce the pre-period outcomes (as R ``Synth`` does).
  Inference is by placebos in space (Abadie et al. 2010, §2.4): every donor in turn is treated as
  if it had changed, with the others as its donors; the p-value is the share of units whose
  post/pre RMSPE ratio is at least the treated unit's (Abadie, Diamond & Hainmueller 2015).
  Leave-one-out refits drop, one at a time, each donor with positive weight.
- **Synthetic difference-in-differences** (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021,
  *AER* 111(12):4088-4118, Algorithm 1), following the reference R package ``synthdid``: unit
  weights with an intercept and ridge penalty ``ζ_ω = (N_tr T_post)^{1/4} σ̂`` (σ̂ the standard
  deviation of the donors' pre-period first differences), time weights with an intercept and an
  infinitesimal penalty, each found by Frank-Wolfe with exact line search, a first round of at
  most 100 iterations, sparsification (weights below a quarter of the largest set to zero) and a
  second round of at most 10,000 iterations that stops when the objective falls by less than
  ``(1e-5 σ̂)²``. Standard errors: placebo (Algorithm 4, the only one defined for one treated
  unit) or fixed-weights jackknife (Algorithm 3, undefined for one treated unit).

Solvers. The simplex-constrained least squares of synthetic control is solved exactly:
minimising ``‖C w‖²`` over the simplex (``C`` the weighted predictor discrepancies) is equivalent
to the non-negative least squares ``min_{u ≥ 0} ‖C u‖² + (1'u − 1)²`` with ``w = u / 1'u``, which
:func:`scipy.optimize.nnls` (Lawson-Hanson active set) solves to floating-point accuracy; the
result reports the largest violation of the optimality (KKT) conditions across its fits as its
``tolerance``. The nested ``V`` is searched by Nelder-Mead (:func:`scipy.optimize.minimize`,
``xatol=1e-6``, ``fatol=1e-10``) from equal weights and from the best single-predictor ``V``;
as with every implementation, it need not find the unique global optimum.

Choices, written down:

- The treated units are the panel's units with a first treated period (or those named by
  ``treated=``); they must share one adoption period. With several, their outcomes (and
  predictors) are averaged into one treated series. Donors are the never-treated units (or those
  named by ``donors=``); units treated at another time are never donors.
- The panel must be balanced over the treated and donor units; a missing outcome is an error,
  not a drop.
- Placebo and leave-one-out refits run one exact solve per donor (a loop over fits, each of them
  vectorised); synthetic DiD's placebo replications are batched into one Frank-Wolfe run.
- Warnings: ``POOR_PRE_FIT`` when the treated unit lies outside the donors' range in some
  pre-period (no weighted average of donors can reproduce it there; for synthetic DiD, paths are
  compared net of each unit's pre-period mean, which its intercept absorbs); ``UNDEFINED_SE``
  when the requested standard error is not defined for the design (jackknife with one treated
  unit).

Example:
    >>> import numpy as np
    >>> from civicinnov.evaluation import Panel
    >>> t = np.arange(2000, 2010)
    >>> paths = {"a": 10 + 0.5 * (t - 2000), "b": 12 + 0.1 * (t - 2000), "c": 8 + 0.9 * (t - 2000)}
    >>> paths["city"] = 0.5 * paths["a"] + 0.5 * paths["b"] - 2.0 * (t >= 2006)
    >>> p = Panel.from_arrays(units=np.repeat(list(paths), t.size), periods=np.tile(t, 4),
    ...     outcome=np.concatenate(list(paths.values())), unit="incident",
    ...     first_treated={"a": None, "b": None, "c": None, "city": 2006})
    >>> r = synthetic_control(p)
    >>> round(r.estimate.value, 6), sorted((k, round(w, 6)) for k, w in r.donor_weights().items())
    (-2.0, [('a', 0.5), ('b', 0.5)])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import EstimationError
from civicinnov.evaluation._panel import Panel
from civicinnov.evaluation._results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.model import EvaluationDesign
from civicinnov.units import get_registry

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = [
    "LeaveOneOut",
    "PlaceboTest",
    "SyntheticControlResult",
    "SyntheticDiDResult",
    "synthetic_control",
    "synthetic_did",
]

FloatArray = NDArray[np.float64]

_SC_ASSUMPTIONS = (
    "without the change, the treated unit's outcome would have followed the weighted average of "
    "its donors, as it did before the change",
    "no spillovers: the change did not reach the donor units",
    "no anticipation: outcomes did not react before the adoption period",
    "no other shock hit the treated unit or the donors alone after adoption",
)
_SDID_ASSUMPTIONS = (
    "without the change, the treated unit's outcome would have moved in parallel (up to a "
    "constant) with the unit-weighted donors, from the time-weighted pre-period to the "
    "post-period",
    "no spillovers: the change did not reach the donor units",
    "no anticipation: outcomes did not react before the adoption period",
)

_NNLS_SOLVER = (
    "scipy.optimize.nnls (Lawson-Hanson active set) on the exact NNLS reformulation of the "
    "simplex-constrained least squares"
)


def _arr_eq(a: Any, b: Any) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True))


_cmp = attrs.cmp_using(eq=_arr_eq)


def _py(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


# ---------------------------------------------------------------------- result types
@attrs.frozen(kw_only=True, hash=False)
class PlaceboTest:
    """Placebos in space: every donor treated in turn as if it had changed.

    Attributes:
        units: the placebo units (every donor).
        gaps: ``(n_placebos, n_periods)`` gap of each placebo against its own synthetic control.
        pre_rmspe / post_rmspe: root mean squared gap before and from adoption, per placebo.
        ratio: ``post_rmspe / pre_rmspe`` per placebo.
        treated_ratio: the same ratio for the treated unit.
        rank: the treated unit's rank among all ratios (1 = largest).
        p_value: ``rank / (n_placebos + 1)``, the permutation p-value.

    Example:
        >>> t = PlaceboTest(units=np.array(["a", "b"]), gaps=np.zeros((2, 3)),
        ...     pre_rmspe=np.array([1.0, 2.0]), post_rmspe=np.array([1.0, 2.0]),
        ...     ratio=np.array([1.0, 1.0]), treated_ratio=5.0, rank=1, p_value=1 / 3)
        >>> t.n_placebos
        2
    """

    units: NDArray[Any] = attrs.field(eq=_cmp)
    gaps: FloatArray = attrs.field(eq=_cmp)
    pre_rmspe: FloatArray = attrs.field(eq=_cmp)
    post_rmspe: FloatArray = attrs.field(eq=_cmp)
    ratio: FloatArray = attrs.field(eq=_cmp)
    treated_ratio: float
    rank: int
    p_value: float

    @property
    def n_placebos(self) -> int:
        """How many placebo fits were run.

        Example:
            >>> PlaceboTest(units=np.array([1]), gaps=np.zeros((1, 2)), pre_rmspe=np.ones(1),
            ...     post_rmspe=np.ones(1), ratio=np.ones(1), treated_ratio=1.0, rank=1,
            ...     p_value=1.0).n_placebos
            1
        """
        return int(self.units.shape[0])


@attrs.frozen(kw_only=True, hash=False)
class LeaveOneOut:
    """Refits of a synthetic control, each without one of the donors that had positive weight.

    Attributes:
        dropped: the donor left out of each refit.
        gaps: ``(n_refits, n_periods)`` gap of the treated unit in each refit.
        pre_rmspe: pre-period RMSPE of each refit.
        mean_post_gap: mean gap from adoption in each refit.

    Example:
        >>> loo = LeaveOneOut(dropped=np.array(["a"]), gaps=np.array([[0.0, -1.0]]),
        ...     pre_rmspe=np.array([0.0]), mean_post_gap=np.array([-1.0]))
        >>> loo.dropped.tolist()
        ['a']
    """

    dropped: NDArray[Any] = attrs.field(eq=_cmp)
    gaps: FloatArray = attrs.field(eq=_cmp)
    pre_rmspe: FloatArray = attrs.field(eq=_cmp)
    mean_post_gap: FloatArray = attrs.field(eq=_cmp)


@attrs.frozen(kw_only=True, hash=False)
class SyntheticControlResult(ImpactResult):
    """A synthetic control: donor weights, the treated and synthetic paths, the gap, inference.

    The headline ``estimate`` is the mean gap from the adoption period on; its ``p_value`` is the
    placebo permutation p-value (its SE and interval are NaN: synthetic control has no sampling
    standard error). ``terms`` hold the gap of every post period (``gap_<period>``).

    Attributes:
        treated: the treated unit ids (averaged into one series when several).
        adoption: the first treated period.
        periods: every period of the panel, in order.
        donors / unit_weights: the donor pool and each donor's weight (on the simplex).
        treated_path / synthetic_path: outcome magnitudes of the treated unit and its synthetic
            control in every period, in ``outcome_unit``.
        predictor_names / predictor_weights: the predictors and the diagonal of ``V``.
        pre_rmspe / post_rmspe: root mean squared gap before and from adoption.
        placebo: placebos in space (None when not run); leave_one_out: donor-dropping refits.
        solver / tolerance: how the weights were found and the largest KKT violation of the
            simplex least squares over every fit (0 means exactly optimal).

    Example:
        >>> from civicinnov.evaluation import Panel
        >>> p = Panel.from_arrays(units=["x"] * 3 + ["y"] * 3 + ["z"] * 3, periods=[1, 2, 3] * 3,
        ...     outcome=[1.0, 2.0, 5.0, 0.0, 1.0, 2.0, 2.0, 3.0, 4.0], unit="case",
        ...     first_treated={"x": 3, "y": None, "z": None})
        >>> r = synthetic_control(p)
        >>> r.gap.magnitude.round(6).tolist(), str(r.gap.units)
        ([0.0, 0.0, 2.0], 'case')
    """

    treated: tuple[Any, ...]
    adoption: int
    periods: NDArray[np.int64] = attrs.field(eq=_cmp)
    donors: NDArray[Any] = attrs.field(eq=_cmp)
    unit_weights: FloatArray = attrs.field(eq=_cmp)
    treated_path: FloatArray = attrs.field(eq=_cmp)
    synthetic_path: FloatArray = attrs.field(eq=_cmp)
    predictor_names: tuple[str, ...]
    predictor_weights: FloatArray = attrs.field(eq=_cmp)
    pre_rmspe: float
    post_rmspe: float
    placebo: PlaceboTest | None
    leave_one_out: LeaveOneOut | None
    solver: str
    tolerance: float

    @property
    def gaps(self) -> FloatArray:
        """Treated minus synthetic outcome in every period (magnitudes in ``outcome_unit``).

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_control(p, placebo=False).gaps.tolist()
            [0.0, 2.0]
        """
        out: FloatArray = self.treated_path - self.synthetic_path
        return out

    @property
    def gap(self) -> Quantity:
        """The gap in every period as one pint quantity (see :attr:`gaps`, :attr:`periods`).

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0], unit="km", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_control(p, placebo=False).gap.to("m").magnitude.tolist()
            [0.0, 2000.0]
        """
        return _quantity(self.gaps, self)

    def donor_weights(self, *, threshold: float = 1e-10) -> dict[Any, float]:
        """Return the donors with weight above ``threshold``, largest first.

        Parameters:
            threshold: donors with a weight at or below this are left out.

        Returns:
            A dict of donor unit id to weight.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[2.5, 3.0, 2.0, 1.0, 4.0, 1.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> {k: round(w, 9) for k, w in synthetic_control(p, placebo=False).donor_weights().items()}
            {2: 0.75, 3: 0.25}
        """
        return _donor_weights(self.donors, self.unit_weights, threshold)

    def gap_table(self) -> tuple[tuple[int, float, float, float], ...]:
        """Return ``(period, treated, synthetic, gap)`` for every period, for a table or a plot.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_control(p, placebo=False).gap_table()[-1]
            (1, 3.0, 1.0, 2.0)
        """
        return _gap_table(self.periods, self.treated_path, self.synthetic_path)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values, with weights, paths and placebos.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> d = synthetic_control(p).to_dict()
            >>> d["estimator"], d["unit_weights"], d["placebo"]["p_value"]
            ('synthetic_control', {'2': 0.5, '3': 0.5}, 0.3333333333333333)
        """
        out = super().to_dict()
        out.update(_path_dict(self))
        out.update(
            {
                "predictor_names": list(self.predictor_names),
                "predictor_weights": self.predictor_weights.tolist(),
                "pre_rmspe": self.pre_rmspe,
                "post_rmspe": self.post_rmspe,
                "placebo": None
                if self.placebo is None
                else {
                    "units": [str(_py(u)) for u in self.placebo.units],
                    "ratio": self.placebo.ratio.tolist(),
                    "pre_rmspe": self.placebo.pre_rmspe.tolist(),
                    "treated_ratio": self.placebo.treated_ratio,
                    "rank": self.placebo.rank,
                    "p_value": self.placebo.p_value,
                },
                "leave_one_out": None
                if self.leave_one_out is None
                else {
                    "dropped": [str(_py(u)) for u in self.leave_one_out.dropped],
                    "mean_post_gap": self.leave_one_out.mean_post_gap.tolist(),
                },
            }
        )
        return out

    def summary(self) -> str:
        """Return a one-screen summary: headline, fit, weights, inference, gaps, assumptions.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0], unit="case", first_treated={1: 1, 2: None, 3: None})
            >>> print(synthetic_control(p).summary().splitlines()[0])
            synthetic_control: mean post-adoption gap = 2 case (placebo p = 0.3333, rank 1 of 3)
        """
        e = self.estimate
        if self.placebo is None:
            inference = "no placebo inference"
        else:
            inference = (
                f"placebo p = {self.placebo.p_value:.4g}, rank {self.placebo.rank} of "
                f"{self.placebo.n_placebos + 1}"
            )
        treated = ", ".join(str(_py(u)) for u in self.treated)
        lines = [
            f"{self.estimator}: mean post-adoption gap = {e.value:.4g} {self.outcome_unit} "
            f"({inference})",
            f"design: {self.design.value} (Maryland SMS level {int(self.sms_level)}); "
            f"treated: {treated} from {self.adoption}; {self.donors.shape[0]} donors; "
            f"pre-period RMSPE {self.pre_rmspe:.4g}",
        ]
        weights = self.donor_weights(threshold=5e-4)
        lines.append("weights: " + ", ".join(f"{_py(k)} {v:.3f}" for k, v in weights.items()))
        if self.predictor_names:
            lines.append(
                "predictor weights (V): "
                + ", ".join(
                    f"{n} {v:.3g}"
                    for n, v in zip(self.predictor_names, self.predictor_weights, strict=True)
                )
            )
        lines.append(f"{'period':>8}  {'treated':>10}  {'synthetic':>10}  {'gap':>10}")
        for period, y1, y0, g in self.gap_table():
            lines.append(f"{period:>8}  {y1:>10.4g}  {y0:>10.4g}  {g:>10.4g}")
        lines.append(f"solver: {self.solver}; largest KKT violation {self.tolerance:.2g}")
        lines.append(f"rows: {self.rows}")
        lines.extend(f"warning {w}" for w in self.warnings)
        lines.extend(f"assumes: {a}" for a in self.assumptions)
        return "\n".join(lines)


@attrs.frozen(kw_only=True, hash=False)
class SyntheticDiDResult(ImpactResult):
    """A synthetic difference-in-differences estimate with its unit and time weights.

    The headline ``estimate`` is the SDID average effect on the treated (Arkhangelsky et al.
    2021), with a placebo or jackknife SE and a normal interval. ``terms`` hold the effect of
    every post period (``effect_<period>``), whose mean is the estimate.

    Attributes:
        treated / adoption / periods / donors: as in :class:`SyntheticControlResult`.
        unit_weights: ω, one per donor (on the simplex); time_weights: λ, one per pre-period.
        treated_path: the treated outcome; synthetic_path: the ω-weighted donors shifted by the
            λ-weighted pre-period difference, so the post-period gaps are the period effects.
        noise_level / zeta_omega / zeta_lambda: σ̂ and the two ridge penalties.
        se_method / replications: ``"placebo"`` or ``"jackknife"`` and the placebo draws.
        solver / tolerance: the Frank-Wolfe settings; ``tolerance`` is its stopping threshold
            on the decrease of the objective (``min_decrease²``).

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> rng = np.random.default_rng(0)
        >>> y = rng.normal(size=(6, 8)).cumsum(axis=1)
        >>> y[0, 5:] -= 3.0
        >>> p = Panel.from_arrays(units=np.repeat(np.arange(6), 8), periods=np.tile(np.arange(8), 6),
        ...     outcome=y.ravel(), unit="case", first_treated={0: 5, 1: None, 2: None, 3: None,
        ...     4: None, 5: None})
        >>> r = synthetic_did(p, replications=50, seed=1)
        >>> round(float(r.unit_weights.sum()), 12), round(float(r.time_weights.sum()), 12)
        (1.0, 1.0)
        >>> bool(np.isclose(r.gaps[5:].mean(), r.estimate.value))
        True
    """

    treated: tuple[Any, ...]
    adoption: int
    periods: NDArray[np.int64] = attrs.field(eq=_cmp)
    donors: NDArray[Any] = attrs.field(eq=_cmp)
    unit_weights: FloatArray = attrs.field(eq=_cmp)
    time_weights: FloatArray = attrs.field(eq=_cmp)
    treated_path: FloatArray = attrs.field(eq=_cmp)
    synthetic_path: FloatArray = attrs.field(eq=_cmp)
    noise_level: float
    zeta_omega: float
    zeta_lambda: float
    se_method: str
    replications: int | None
    solver: str
    tolerance: float

    @property
    def gaps(self) -> FloatArray:
        """Treated minus (shifted) synthetic outcome per period; post-period gaps are effects.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[5.0, 8.0, 1.0, 2.0, 2.0, 3.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_did(p, se="jackknife").gaps.round(9).tolist()
            [0.0, 2.0]
        """
        out: FloatArray = self.treated_path - self.synthetic_path
        return out

    @property
    def gap(self) -> Quantity:
        """The gaps as one pint quantity in the outcome unit.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[5.0, 8.0, 1.0, 2.0, 2.0, 3.0], unit="case", first_treated={1: 1, 2: None, 3: None})
            >>> str(synthetic_did(p, se="jackknife").gap.units)
            'case'
        """
        return _quantity(self.gaps, self)

    def donor_weights(self, *, threshold: float = 1e-10) -> dict[Any, float]:
        """Return the donors with unit weight above ``threshold``, largest first.

        Parameters:
            threshold: donors with a unit weight at or below this are left out.

        Returns:
            A dict of donor unit id to unit weight.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[5.0, 8.0, 1.0, 2.0, 2.0, 3.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_did(p, se="jackknife").donor_weights()
            {2: 0.5, 3: 0.5}
        """
        return _donor_weights(self.donors, self.unit_weights, threshold)

    def gap_table(self) -> tuple[tuple[int, float, float, float], ...]:
        """Return ``(period, treated, synthetic, gap)`` for every period.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[5.0, 8.0, 1.0, 2.0, 2.0, 3.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> synthetic_did(p, se="jackknife").gap_table()[1]
            (1, 8.0, 6.0, 2.0)
        """
        return _gap_table(self.periods, self.treated_path, self.synthetic_path)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready values, with both weight vectors and the paths.

        Example:
            >>> from civicinnov.evaluation import Panel
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
            ...     outcome=[5.0, 8.0, 1.0, 2.0, 2.0, 3.0], unit="", first_treated={1: 1, 2: None, 3: None})
            >>> d = synthetic_did(p, se="jackknife").to_dict()
            >>> d["estimator"], d["time_weights"]
            ('synthetic_did', {'0': 1.0})
        """
        out = super().to_dict()
        out.update(_path_dict(self))
        pre = self.periods[self.periods < self.adoption]
        out.update(
            {
                "time_weights": {
                    str(int(t)): float(w) for t, w in zip(pre, self.time_weights, strict=True)
                },
                "noise_level": self.noise_level,
                "zeta_omega": self.zeta_omega,
                "zeta_lambda": self.zeta_lambda,
                "se_method": self.se_method,
                "replications": self.replications,
            }
        )
        return out


def _quantity(values: FloatArray, result: ImpactResult) -> Quantity:

    return get_registry().Quantity(values, result.outcome_unit)


def _donor_weights(donors: NDArray[Any], weights: FloatArray, threshold: float) -> dict[Any, float]:
    order = np.argsort(-weights, kind="stable")
    return {_py(donors[i]): float(weights[i]) for i in order.tolist() if weights[i] > threshold}


def _gap_table(
    periods: NDArray[np.int64], y1: FloatArray, y0: FloatArray
) -> tuple[tuple[int, float, float, float], ...]:
    return tuple(
        (int(t), float(a), float(b), float(a - b))
        for t, a, b in zip(periods.tolist(), y1.tolist(), y0.tolist(), strict=True)
    )


def _path_dict(r: SyntheticControlResult | SyntheticDiDResult) -> dict[str, Any]:
    return {
        "treated": [str(_py(u)) for u in r.treated],
        "adoption": r.adoption,
        "periods": r.periods.tolist(),
        "unit_weights": {
            str(_py(d)): float(w) for d, w in zip(r.donors, r.unit_weights, strict=True)
        },
        "treated_path": r.treated_path.tolist(),
        "synthetic_path": r.synthetic_path.tolist(),
        "gaps": r.gaps.tolist(),
        "solver": r.solver,
        "tolerance": r.tolerance,
    }


# ---------------------------------------------------------------------- the design
@attrs.frozen(kw_only=True, hash=False)
class _Design:
    """The wide form of a one-treated-block panel: donors first, then the treated mean."""

    y0: FloatArray  # (n_donors, n_periods)
    y1: FloatArray  # (n_periods,) mean of the treated units
    y_treated: FloatArray  # (n_treated, n_periods)
    donors: NDArray[Any]
    treated: tuple[Any, ...]
    donor_rows: NDArray[np.intp]
    treated_rows: NDArray[np.intp]
    periods: NDArray[np.int64]
    adoption: int
    n_pre: int
    rows: RowReport


def _as_ids(value: Any) -> list[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        return [value]
    return list(value)


def _design(panel: Panel, treated: Any, donors: Any, fn: str) -> _Design:
    if panel.cross_section:
        raise EstimationError(
            f"{fn}: expected a panel of units followed over periods, got repeated cross-sections"
        )
    if panel.switches_off:
        raise EstimationError(
            f"{fn}: treatment switches off for some units; expected treatment that stays on once "
            "it starts"
        )
    ids = panel.unit_ids
    known = {_py(u): i for i, u in enumerate(ids.tolist())}
    if treated is None:
        t_rows = np.flatnonzero(np.isfinite(panel.cohort))
        if t_rows.size == 0:
            raise EstimationError(
                f"{fn}: no treated unit; expected a unit with a first treated period in the panel "
                "(first_treated) or treated=<unit id>"
            )
    else:
        wanted = _as_ids(treated)
        missing = [u for u in wanted if u not in known]
        if missing or not wanted:
            raise EstimationError(
                f"{fn}: treated unit(s) {missing or wanted!r} not in the panel; expected ids among "
                f"{[_py(u) for u in ids[:10].tolist()]}{' ...' if ids.size > 10 else ''}"
            )
        t_rows = np.array([known[u] for u in wanted], dtype=np.intp)
        never = [_py(ids[i]) for i in t_rows.tolist() if not np.isfinite(panel.cohort[i])]
        if never:
            raise EstimationError(
                f"{fn}: treated unit(s) {never!r} have no first treated period in the panel; "
                "give it in first_treated when building the panel"
            )
    adoptions = np.unique(panel.cohort[t_rows])
    if adoptions.size > 1:
        raise EstimationError(
            f"{fn}: the treated units adopt in {adoptions.size} different periods "
            f"{[int(a) for a in adoptions.tolist()]}; expected one adoption period (estimate each "
            "treated unit on its own, or use callaway_santanna for staggered adoption)"
        )
    adoption = int(adoptions[0])
    never_rows = np.flatnonzero(~np.isfinite(panel.cohort))
    if donors is None:
        d_rows = np.setdiff1d(never_rows, t_rows)
    else:
        wanted = _as_ids(donors)
        missing = [u for u in wanted if u not in known]
        if missing:
            raise EstimationError(
                f"{fn}: donor(s) {missing[:10]!r} not in the panel; expected ids of never-treated "
                "units"
            )
        d_rows = np.unique(np.array([known[u] for u in wanted], dtype=np.intp))
        bad = [_py(ids[i]) for i in d_rows.tolist() if np.isfinite(panel.cohort[i])]
        if bad:
            raise EstimationError(
                f"{fn}: donor(s) {bad[:10]!r} are treated in the panel; expected never-treated "
                "units only"
            )
    if d_rows.size < 2:
        raise EstimationError(
            f"{fn}: the donor pool has {d_rows.size} unit(s); expected at least 2 never-treated "
            "units to build a comparison from"
        )
    periods = panel.period_values
    n_pre = int((periods < adoption).sum())
    if n_pre == 0:
        raise EstimationError(
            f"{fn}: no period before adoption ({adoption}); expected at least one pre-period "
            f"(panel periods {int(periods[0])}..{int(periods[-1])})"
        )
    if n_pre == periods.size:
        raise EstimationError(
            f"{fn}: no period at or after adoption ({adoption}); expected at least one post-period "
            f"(panel periods {int(periods[0])}..{int(periods[-1])})"
        )
    wide = panel.balanced_outcome()
    used = np.concatenate([d_rows, t_rows])
    holes = np.isnan(wide[used])
    if holes.any():
        r, c = np.argwhere(holes)[0]
        raise EstimationError(
            f"{fn}: expected a balanced panel over the treated and donor units; unit "
            f"{_py(ids[used[r]])!r} has no outcome in period {int(periods[c])} "
            f"({int(holes.sum())} missing cells in all)"
        )
    in_use = np.zeros(panel.n_units, dtype=bool)
    in_use[used] = True
    unit_rows = np.bincount(panel.unit_index, minlength=panel.n_units)
    treated_elsewhere = np.isfinite(panel.cohort) & ~in_use
    rows = panel.rows.drop(
        "unit treated at another time (never a donor)", int(unit_rows[treated_elsewhere].sum())
    )
    rows = rows.drop(
        "never-treated unit outside the donor pool",
        int(unit_rows[~np.isfinite(panel.cohort) & ~in_use].sum()),
    )
    y_t = wide[t_rows]
    return _Design(
        y0=wide[d_rows],
        y1=y_t.mean(axis=0),
        y_treated=y_t,
        donors=ids[d_rows],
        treated=tuple(_py(u) for u in ids[t_rows].tolist()),
        donor_rows=d_rows,
        treated_rows=t_rows,
        periods=periods,
        adoption=adoption,
        n_pre=n_pre,
        rows=rows,
    )


# ---------------------------------------------------------------------- exact simplex LS
def _simplex_ls(
    a: FloatArray, b: FloatArray, v: FloatArray | None = None
) -> tuple[FloatArray, float]:
    """Minimise ``Σ_k v_k (a w − b)_k²`` over the simplex, exactly; return ``(w, kkt violation)``.

    With ``C = diag(√v)(a − b 1')``, the objective is ``‖C w‖²`` on the simplex. Writing
    ``u = s w`` (``s ≥ 0``), ``min_{u ≥ 0} ‖C u‖² + (1'u − 1)²`` equals
    ``min_w q/(1 + q)`` with ``q = ‖C w‖²``, increasing in ``q``; so ``w = u/1'u`` of the NNLS
    solution is the simplex solution.
    """
    from scipy.optimize import nnls  # noqa: PLC0415 - scipy is heavy; import when a fit is run

    c = a - b[:, None]
    if v is not None:
        c = c * np.sqrt(v)[:, None]
    n = c.shape[1]
    scale = float(np.sqrt((c * c).sum(axis=0).max()))
    if scale == 0.0 or not math.isfinite(scale):
        return np.full(n, 1.0 / n), 0.0
    c = c / scale
    e = np.vstack([c, np.ones((1, n))])
    f = np.zeros(c.shape[0] + 1)
    f[-1] = 1.0
    u, _ = nnls(e, f, maxiter=max(50 * n, 1000))
    w: FloatArray = u / u.sum()
    g = c.T @ (c @ w)
    kkt = max(float(w @ g - g.min()), 0.0)
    return w, kkt


# ---------------------------------------------------------------------- synthetic control
@attrs.frozen(kw_only=True)
class _Spec:
    predictors: tuple[str, ...]
    outcome_periods: tuple[int, ...]
    v: Literal["nested", "equal"] | FloatArray | None


@attrs.frozen(kw_only=True, hash=False)
class _Fit:
    weights: FloatArray
    v: FloatArray
    kkt: float


def _fit(
    x1: FloatArray | None,
    x0: FloatArray | None,
    z1: FloatArray,
    z0: FloatArray,
    v: Literal["nested", "equal"] | FloatArray | None,
) -> _Fit:
    """Weights for one treated series: ``x`` predictors (k,) / (k, J), ``z`` pre outcomes."""
    if x1 is None or x0 is None:  # outcome-only, V = identity
        w, kkt = _simplex_ls(z0, z1)
        return _Fit(weights=w, v=np.ones(z1.shape[0]), kkt=kkt)
    k = x1.shape[0]
    both = np.column_stack([x0, x1])
    sd = both.std(axis=1, ddof=1)
    sd = np.where(sd > 0, sd, 1.0)
    xs1, xs0 = x1 / sd, x0 / sd[:, None]
    if isinstance(v, np.ndarray):
        w, kkt = _simplex_ls(xs0, xs1, v)
        return _Fit(weights=w, v=v, kkt=kkt)
    if v == "equal" or k == 1:
        vv = np.full(k, 1.0 / k)
        w, kkt = _simplex_ls(xs0, xs1, vv)
        return _Fit(weights=w, v=vv, kkt=kkt)
    return _nested(xs1, xs0, z1, z0)


def _nested(xs1: FloatArray, xs0: FloatArray, z1: FloatArray, z0: FloatArray) -> _Fit:
    from scipy.optimize import minimize  # noqa: PLC0415 - scipy is heavy; import when a fit is run

    k = xs1.shape[0]

    def to_v(theta: FloatArray) -> FloatArray:
        a = np.abs(theta)
        s = a.sum()
        return a / s if s > 0 else np.full(k, 1.0 / k)

    def loss(theta: FloatArray) -> float:
        w, _ = _simplex_ls(xs0, xs1, to_v(theta))
        r = z1 - z0 @ w
        return float(r @ r) / int(r.shape[0])

    equal = np.full(k, 1.0 / k)
    corners = 0.1 * equal + 0.9 * np.eye(k)
    corner_losses = [loss(c) for c in corners]
    starts = [equal, corners[int(np.argmin(corner_losses))]]
    best: tuple[float, FloatArray] = (math.inf, equal)
    for start in starts:
        res = minimize(
            loss,
            start,
            method="Nelder-Mead",
            options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 400 * k, "maxfev": 400 * k},
        )
        if float(res.fun) < best[0]:
            best = (float(res.fun), np.asarray(res.x, dtype=np.float64))
    vv = to_v(best[1])
    w, kkt = _simplex_ls(xs0, xs1, vv)
    return _Fit(weights=w, v=vv, kkt=kkt)


def _controls_wide(panel: Panel, names: tuple[str, ...]) -> FloatArray:
    """Per control, an ``(n_units, n_periods)`` matrix (NaN where a row is missing)."""
    missing = [n for n in names if n not in panel.control_names]
    if missing:
        raise EstimationError(
            f"synthetic_control: predictors {missing!r} are not controls of the panel; expected "
            f"names among {list(panel.control_names)}"
        )
    cols = [panel.control_names.index(n) for n in names]
    out = np.full((len(names), panel.n_units, panel.n_periods), np.nan)
    out[:, panel.unit_index, panel.period_index] = panel.controls[:, cols].T
    return out


def _predictors(panel: Panel, d: _Design, spec: _Spec) -> tuple[FloatArray | None, tuple[str, ...]]:
    """The predictor matrix ``(k, n_units_used)`` over [donors..., treated mean], and its names."""
    if not spec.predictors and not spec.outcome_periods:
        return None, ()
    blocks: list[FloatArray] = []
    names: list[str] = []
    pre = slice(0, d.n_pre)
    if spec.predictors:
        wide = _controls_wide(panel, spec.predictors)
        means = np.nanmean(wide[:, :, pre], axis=2)  # (k, n_units)
        rows_used = np.concatenate([d.donor_rows, d.treated_rows])
        if np.isnan(means[:, rows_used]).any():
            raise EstimationError(
                "synthetic_control: a predictor has no value in any pre-period for some unit; "
                "expected every predictor observed before adoption"
            )
        blocks.append(
            np.column_stack([means[:, d.donor_rows], means[:, d.treated_rows].mean(axis=1)])
        )
        names.extend(spec.predictors)
    if spec.outcome_periods:
        idx = []
        for t in spec.outcome_periods:
            hit = np.flatnonzero(d.periods == t)
            if hit.size == 0 or t >= d.adoption:
                raise EstimationError(
                    f"synthetic_control: outcome_periods: {t} is not a pre-adoption period of the "
                    f"panel; expected periods before {d.adoption}"
                )
            idx.append(int(hit[0]))
        blocks.append(np.column_stack([d.y0[:, idx].T, d.y1[idx]]))
        names.extend(f"outcome_{t}" for t in spec.outcome_periods)
    return np.vstack(blocks), tuple(names)


def _gaps_for(
    y1: FloatArray,
    y0: FloatArray,
    x: FloatArray | None,
    n_pre: int,
    v: Literal["nested", "equal"] | FloatArray | None,
) -> tuple[_Fit, FloatArray]:
    """Fit one treated series ``y1`` against donors ``y0`` (J, T); ``x`` is (k, J+1)."""
    x1, x0 = (None, None) if x is None else (x[:, -1], x[:, :-1])
    fit = _fit(x1, x0, y1[:n_pre], y0[:, :n_pre].T, v)
    return fit, y1 - fit.weights @ y0


def _rmspe(g: FloatArray) -> float:
    return float(np.sqrt(np.mean(g * g))) if g.size else math.nan


def synthetic_control(
    panel: Panel,
    *,
    treated: Any = None,
    donors: Sequence[Any] | None = None,
    predictors: Sequence[str] | None = None,
    outcome_periods: Sequence[int] | None = None,
    v: Literal["nested", "equal"] | Sequence[float] | NDArray[np.float64] | None = None,
    placebo: bool = True,
    leave_one_out: bool = True,
) -> SyntheticControlResult:
    """Build a synthetic control for one treated unit (or block) from the donor pool.

    Abadie, Diamond & Hainmueller (2010): donor weights on the simplex make the weighted donors
    resemble the treated unit before adoption; the gap afterwards is the estimated effect. See
    the module docstring for the predictors, the choice of ``V``, the exact solver and the
    placebo inference.

    Parameters:
        panel: a balanced panel; the treated units have a first treated period, the donors none.
        treated: a unit id or a list of ids (default: every unit with a first treated period).
        donors: restrict the donor pool to these never-treated units (default: all of them).
        predictors: names of the panel's controls whose pre-period means are matched.
        outcome_periods: pre-period outcomes matched as predictors (e.g. ``[1975, 1980, 1988]``).
            Without ``predictors`` and ``outcome_periods``, every pre-period outcome is matched
            on its raw scale with ``V`` the identity.
        v: the predictor weights: ``"nested"`` (default with predictors) chooses them to fit
            the pre-period outcomes, ``"equal"`` weights the standardised predictors equally, or
            one non-negative weight per predictor.
        placebo: run the placebo-in-space test over every donor (its p-value is the
            estimate's ``p_value``).
        leave_one_out: refit without each donor that has positive weight.

    Returns:
        SyntheticControlResult: the mean post-adoption gap as ``estimate``, the weights, paths,
        gaps (``.gap`` in the outcome unit), RMSPEs, placebo and leave-one-out results.

    Raises:
        EstimationError: no treated unit or one not in the panel, treated units adopting at
            different times, fewer than two donors, no pre- or no post-period, a missing outcome,
            unknown predictors, more predictors than pre-periods with ``v="nested"``, a ``v``
            of the wrong length or with negative entries.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> rng = np.random.default_rng(3)
        >>> y = 50 + rng.normal(size=(8, 12)).cumsum(axis=1)
        >>> y[0] = 0.6 * y[1] + 0.4 * y[2]
        >>> y[0, 9:] -= 5.0
        >>> p = Panel.from_arrays(units=np.repeat(np.arange(8), 12),
        ...     periods=np.tile(np.arange(2010, 2022), 8), outcome=y.ravel(), unit="incident",
        ...     first_treated={u: (2019 if u == 0 else None) for u in range(8)})
        >>> r = synthetic_control(p)
        >>> {k: round(w, 6) for k, w in r.donor_weights().items()}
        {1: 0.6, 2: 0.4}
        >>> round(r.estimate.value, 6), r.placebo.rank, round(r.estimate.p_value, 3)
        (-5.0, 1, 0.125)
    """
    d = _design(panel, treated, donors, "synthetic_control")
    spec = _Spec(
        predictors=tuple(predictors or ()),
        outcome_periods=tuple(int(t) for t in (outcome_periods or ())),
        v=None,
    )
    x, names = _predictors(panel, d, spec)
    vspec: Literal["nested", "equal"] | FloatArray | None
    if v is None:
        vspec = None if x is None else "nested"
    elif isinstance(v, str):
        if v not in ("nested", "equal"):
            raise EstimationError(
                f"synthetic_control: v: expected 'nested', 'equal' or one weight per predictor, "
                f"got {v!r}"
            )
        vspec = v
    else:
        vv = np.asarray(v, dtype=np.float64)
        k = d.n_pre if x is None else x.shape[0]
        if vv.shape != (k,) or not np.isfinite(vv).all() or (vv < 0).any() or vv.sum() <= 0:
            raise EstimationError(
                f"synthetic_control: v: expected {k} non-negative weights (one per predictor), "
                f"got shape {vv.shape} with values {vv[:5].tolist()}"
            )
        vspec = vv
    if x is None and vspec is not None:
        # V over the pre-period outcomes themselves: treat them as named predictors
        x = np.column_stack([d.y0[:, : d.n_pre].T, d.y1[: d.n_pre]])
        names = tuple(f"outcome_{int(t)}" for t in d.periods[: d.n_pre])
    if isinstance(vspec, str) and vspec == "nested" and x is not None and x.shape[0] > d.n_pre:
        raise EstimationError(
            f"synthetic_control: {x.shape[0]} predictors but only {d.n_pre} pre-periods; the "
            "nested choice of V needs at least as many pre-period outcomes as predictors "
            "(give fewer predictors or v=)"
        )
    fit, gaps = _gaps_for(d.y1, d.y0, x, d.n_pre, vspec)
    n_pre = d.n_pre
    pre_rmspe, post_rmspe = _rmspe(gaps[:n_pre]), _rmspe(gaps[n_pre:])
    kkt = fit.kkt
    n_donors = d.donors.shape[0]

    placebo_test: PlaceboTest | None = None
    if placebo:
        p_gaps = np.empty((n_donors, gaps.shape[0]))
        for j in range(n_donors):
            others = np.delete(np.arange(n_donors), j)
            xp = None if x is None else np.column_stack([x[:, others], x[:, j]])
            pf, p_gaps[j] = _gaps_for(d.y0[j], d.y0[others], xp, n_pre, vspec)
            kkt = max(kkt, pf.kkt)
        p_pre = np.sqrt(np.mean(p_gaps[:, :n_pre] ** 2, axis=1))
        p_post = np.sqrt(np.mean(p_gaps[:, n_pre:] ** 2, axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = p_post / p_pre
            treated_ratio = post_rmspe / pre_rmspe if pre_rmspe > 0 else math.inf
        rank = 1 + int((ratios >= treated_ratio).sum())
        placebo_test = PlaceboTest(
            units=d.donors,
            gaps=p_gaps,
            pre_rmspe=p_pre,
            post_rmspe=p_post,
            ratio=ratios,
            treated_ratio=float(treated_ratio),
            rank=rank,
            p_value=rank / (n_donors + 1),
        )

    loo: LeaveOneOut | None = None
    if leave_one_out:
        keep = np.flatnonzero(fit.weights > 1e-8)
        l_gaps = np.empty((keep.size, gaps.shape[0]))
        for i, j in enumerate(keep.tolist()):
            others = np.delete(np.arange(n_donors), j)
            xl = None if x is None else x[:, np.append(others, n_donors)]
            lf, l_gaps[i] = _gaps_for(d.y1, d.y0[others], xl, n_pre, vspec)
            kkt = max(kkt, lf.kkt)
        loo = LeaveOneOut(
            dropped=d.donors[keep],
            gaps=l_gaps,
            pre_rmspe=np.sqrt(np.mean(l_gaps[:, :n_pre] ** 2, axis=1)),
            mean_post_gap=l_gaps[:, n_pre:].mean(axis=1),
        )

    warnings = _pre_fit_warning(d)
    att = float(gaps[n_pre:].mean())
    p_value = placebo_test.p_value if placebo_test is not None else math.nan
    head = Estimate(
        name="mean_post_gap",
        value=att,
        se=math.nan,
        ci_low=math.nan,
        ci_high=math.nan,
        p_value=p_value,
    )
    terms = tuple(
        Estimate(
            name=f"gap_{int(t)}",
            value=float(g),
            se=math.nan,
            ci_low=math.nan,
            ci_high=math.nan,
            p_value=math.nan,
        )
        for t, g in zip(d.periods[n_pre:], gaps[n_pre:], strict=True)
    )
    stats: dict[str, float] = {"pre_rmspe": pre_rmspe, "post_rmspe": post_rmspe}
    if placebo_test is not None:
        stats["rmspe_ratio"] = placebo_test.treated_ratio
        stats["placebo_rank"] = float(placebo_test.rank)
    solver = _NNLS_SOLVER
    if isinstance(vspec, str) and vspec == "nested":
        solver += "; V by Nelder-Mead (scipy.optimize.minimize, xatol=1e-6, fatol=1e-10)"
    convention = (
        f"placebo in space (permutation over {n_donors} donors; no SE)"
        if placebo
        else "none (no placebo inference)"
    )
    return SyntheticControlResult(
        estimator="synthetic_control",
        estimate=head,
        terms=terms,
        outcome_unit=panel.outcome_unit,
        convention=convention,
        ci_level=math.nan,
        n_obs=d.rows.used,
        n_units=n_donors + len(d.treated),
        n_clusters=None,
        design=EvaluationDesign.SYNTHETIC_CONTROL,
        assumptions=_SC_ASSUMPTIONS,
        warnings=warnings,
        rows=d.rows,
        stats=stats,
        treated=d.treated,
        adoption=d.adoption,
        periods=d.periods,
        donors=d.donors,
        unit_weights=fit.weights,
        treated_path=d.y1,
        synthetic_path=fit.weights @ d.y0,
        predictor_names=names,
        predictor_weights=fit.v if x is not None else np.ones(0),
        pre_rmspe=pre_rmspe,
        post_rmspe=post_rmspe,
        placebo=placebo_test,
        leave_one_out=loo,
        solver=solver,
        tolerance=kkt,
    )


def _pre_fit_warning(d: _Design, *, centred: bool = False) -> tuple[ResultWarning, ...]:
    """``POOR_PRE_FIT`` when the treated path leaves the donors' range before adoption.

    ``centred`` compares paths net of each unit's pre-period mean: synthetic DiD's intercept
    absorbs a difference in level, not in shape.
    """
    pre0 = d.y0[:, : d.n_pre]
    pre1 = d.y1[: d.n_pre]
    if centred:
        pre0 = pre0 - pre0.mean(axis=1, keepdims=True)
        pre1 = pre1 - pre1.mean()
    outside = (pre1 > pre0.max(axis=0)) | (pre1 < pre0.min(axis=0))
    if not outside.any():
        return ()
    shown = [int(t) for t in d.periods[: d.n_pre][outside][:5].tolist()]
    what = "net of its pre-period mean, " if centred else ""
    return (
        ResultWarning(
            code=WarningCode.POOR_PRE_FIT,
            message=(
                f"the treated unit, {what}lies outside the donors' range in "
                f"{int(outside.sum())} of {d.n_pre} pre-periods (e.g. {shown}); no weighted "
                "average of donors can reproduce it there"
            ),
        ),
    )


# ---------------------------------------------------------------------- synthetic DiD
def _fw_step(a: FloatArray, x: FloatArray, ax: FloatArray, b: FloatArray, eta: float) -> FloatArray:
    """One Frank-Wolfe step with exact line search for ``‖A x − b‖² + η‖x‖²`` on the simplex.

    Batched: ``a`` is ``(B, m, n)``, ``x`` ``(B, n)``, ``ax = A x`` and ``b`` ``(B, m)``
    (R ``synthdid::fw.step``).
    """
    half_grad = np.matmul((ax - b)[:, None, :], a)[:, 0, :] + eta * x
    i = np.argmin(half_grad, axis=1)
    rows = np.arange(x.shape[0])
    dx = -x
    dx[rows, i] += 1.0
    d_err = a[rows, :, i] - ax
    denom = (d_err * d_err).sum(axis=1) + eta * (dx * dx).sum(axis=1)
    num = -(half_grad * dx).sum(axis=1)
    moving = denom > 0
    step = np.where(moving, num / np.where(moving, denom, 1.0), 0.0)
    step = np.clip(step, 0.0, 1.0)
    out: FloatArray = x + step[:, None] * dx
    return out


def _sc_weight_fw(
    y: FloatArray, zeta: float, x: FloatArray, min_decrease: float, max_iter: int
) -> FloatArray:
    """Frank-Wolfe for SDID weights with an intercept (R ``synthdid::sc.weight.fw``), batched.

    ``y`` is ``(B, m, n + 1)``: fit the last column from the first ``n`` with weights on the
    simplex; columns are centred over rows (the intercept). Stops each problem when its
    objective falls by no more than ``min_decrease²``, or after ``max_iter`` iterations.
    """
    if y.shape[0] == 1:
        return _sc_weight_fw_one(y[0], zeta, x[0], min_decrease, max_iter)[None, :]
    y = y - y.mean(axis=1, keepdims=True)
    m = y.shape[1]
    a, b = y[:, :, :-1], y[:, :, -1]
    eta = m * zeta * zeta
    out = x.copy()
    idx = np.arange(x.shape[0])
    x_act = x
    ax = np.matmul(a, x[:, :, None])[:, :, 0]
    prev = np.full(x.shape[0], np.nan)
    t = 0
    while t < max_iter and idx.size:
        t += 1
        x_act = _fw_step(a, x_act, ax, b, eta)
        ax = np.matmul(a, x_act[:, :, None])[:, :, 0]
        err = ax - b
        val = zeta * zeta * (x_act * x_act).sum(axis=1) + (err * err).sum(axis=1) / m
        if t >= 2:
            going = prev - val > min_decrease * min_decrease
            if not going.all():
                out[idx[~going]] = x_act[~going]
                idx, a, b, x_act = idx[going], a[going], b[going], x_act[going]
                ax, val = ax[going], val[going]
        prev = val
    out[idx] = x_act
    return out


def _sc_weight_fw_one(
    y: FloatArray, zeta: float, x: FloatArray, min_decrease: float, max_iter: int
) -> FloatArray:
    """:func:`_sc_weight_fw` for one problem (``y`` is ``(m, n + 1)``), on 1-d arrays.

    The same steps and stopping rule as the batched solver, without its batch bookkeeping, which
    dominates the cost of a single fit's (up to 10,000) iterations.
    """
    y = y - y.mean(axis=0)
    m = y.shape[0]
    a = np.ascontiguousarray(y[:, :-1])
    at = np.ascontiguousarray(a.T)
    b = y[:, -1]
    eta = m * zeta * zeta
    z2 = zeta * zeta
    md2 = min_decrease * min_decrease
    ax = a @ x
    prev = math.nan
    for t in range(1, max_iter + 1):
        half_grad = (ax - b) @ a + eta * x
        i = int(half_grad.argmin())
        dx = -x
        dx[i] += 1.0
        d_err = at[i] - ax
        denom = float(d_err @ d_err) + eta * float(dx @ dx)
        if denom > 0:
            step = min(1.0, max(0.0, -float(half_grad @ dx) / denom))
            x = x + step * dx
            ax = a @ x
        err = ax - b
        val = z2 * float(x @ x) + float(err @ err) / m
        if t >= 2 and not prev - val > md2:
            break
        prev = val
    return x


def _sparsify(w: FloatArray) -> FloatArray:
    w = np.where(w <= w.max(axis=1, keepdims=True) / 4, 0.0, w)
    out: FloatArray = w / w.sum(axis=1, keepdims=True)
    return out


@attrs.frozen(kw_only=True)
class _SdidOpts:
    zeta_omega: float
    zeta_lambda: float
    min_decrease: float
    max_iter: int = 10_000
    max_iter_pre_sparsify: int = 100


def _sdid_weights(
    y: FloatArray, n0: int, t0: int, opts: _SdidOpts, omega: FloatArray, lam: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Batched SDID unit and time weights; ``y`` is ``(B, N, T)`` with donors in rows ``:n0``."""
    # collapsed form: donors x pre-periods, with post-period means and treated means appended
    top = np.concatenate([y[:, :n0, :t0], y[:, :n0, t0:].mean(axis=2, keepdims=True)], axis=2)
    bottom = np.concatenate(
        [
            y[:, n0:, :t0].mean(axis=1, keepdims=True),
            y[:, n0:, t0:].mean(axis=(1, 2))[:, None, None],
        ],
        axis=2,
    )
    yc = np.concatenate([top, bottom], axis=1)  # (B, n0 + 1, t0 + 1)
    lam = _sc_weight_fw(
        yc[:, :n0, :], opts.zeta_lambda, lam, opts.min_decrease, opts.max_iter_pre_sparsify
    )
    lam = _sc_weight_fw(
        yc[:, :n0, :], opts.zeta_lambda, _sparsify(lam), opts.min_decrease, opts.max_iter
    )
    yt = np.swapaxes(yc[:, :, :t0], 1, 2)  # (B, t0, n0 + 1)
    omega = _sc_weight_fw(yt, opts.zeta_omega, omega, opts.min_decrease, opts.max_iter_pre_sparsify)
    omega = _sc_weight_fw(yt, opts.zeta_omega, _sparsify(omega), opts.min_decrease, opts.max_iter)
    return omega, lam


def _fw_gram(
    g: FloatArray,
    c: FloatArray,
    bb: FloatArray,
    mask: NDArray[np.bool_],
    x: FloatArray,
    m: int,
    zeta: float,
    min_decrease: float,
    max_iter: int,
) -> FloatArray:
    """Batched Frank-Wolfe for problems whose columns are subsets of one matrix ``A``.

    Problem ``r`` is ``min ‖A_r x − b_r‖²/m + ζ²‖x‖²`` over the simplex on the columns
    ``mask[r]`` of ``A``, given through ``g = A'A``, ``c[r] = A'b_r`` and ``bb[r] = b_r'b_r``;
    ``x`` is ``(B, n)``, zero off the mask. The steps, line search and stopping rule are those of
    :func:`_sc_weight_fw`; each iteration is one matrix product over the whole batch.
    """
    gd = np.diag(g)
    eta = m * zeta * zeta
    z2 = zeta * zeta
    md2 = min_decrease * min_decrease
    out = x.copy()
    idx = np.arange(x.shape[0])
    gx = x @ g
    prev = np.full(x.shape[0], np.nan)
    t = 0
    while t < max_iter and idx.size:
        t += 1
        half_grad = gx - c + eta * x
        i = np.where(mask, half_grad, np.inf).argmin(axis=1)
        rows = np.arange(idx.size)
        dx = -x
        dx[rows, i] += 1.0
        d_err2 = gd[i] - 2.0 * gx[rows, i] + (x * gx).sum(axis=1)
        denom = d_err2 + eta * (dx * dx).sum(axis=1)
        num = -(half_grad * dx).sum(axis=1)
        moving = denom > 0
        step = np.clip(np.where(moving, num / np.where(moving, denom, 1.0), 0.0), 0.0, 1.0)
        x = x + step[:, None] * dx
        gx = x @ g
        val = z2 * (x * x).sum(axis=1) + ((x * gx).sum(axis=1) - 2.0 * (c * x).sum(axis=1) + bb) / m
        if t >= 2:
            going = prev - val > md2
            if not going.all():
                out[idx[~going]] = x[~going]
                idx, x, gx, c, bb = idx[going], x[going], gx[going], c[going], bb[going]
                mask, val = mask[going], val[going]
        prev = val
    out[idx] = x
    return out


def _placebo_taus(
    y0: FloatArray,
    perm: NDArray[np.intp],
    n1: int,
    t0: int,
    opts: _SdidOpts,
    omega: FloatArray,
    lam: FloatArray,
) -> FloatArray:
    """SDID estimates of placebo draws (Algorithm 4): donors ``perm[r, -n1:]`` play the treated.

    Each draw refits both weights from the original ones (ω restricted to the draw's controls
    and renormalised, λ as estimated), as R ``synthdid``'s ``placebo_se`` does.
    """
    reps, n0 = perm.shape
    n_co = n0 - n1
    rows = np.arange(reps)[:, None]
    ctrl, trt = perm[:, :n_co], perm[:, n_co:]
    # time weights: rows are the draw's controls (pre-periods and post-period mean)
    yc = y0[ctrl]  # (R, n_co, T)
    top = np.concatenate([yc[:, :, :t0], yc[:, :, t0:].mean(axis=2, keepdims=True)], axis=2)
    la = _sc_weight_fw(
        top,
        opts.zeta_lambda,
        np.tile(lam, (reps, 1)),
        opts.min_decrease,
        opts.max_iter_pre_sparsify,
    )
    la = _sc_weight_fw(top, opts.zeta_lambda, _sparsify(la), opts.min_decrease, opts.max_iter)
    # unit weights: columns are donors' pre-period paths, centred over time (the intercept)
    pre = y0[:, :t0].T
    ac = pre - pre.mean(axis=0)
    g = ac.T @ ac
    c = g[:, trt].mean(axis=2).T  # (R, n0): A'b with b the draw's treated mean
    bb = g[trt[:, :, None], trt[:, None, :]].mean(axis=(1, 2))
    mask = np.zeros((reps, n0), dtype=bool)
    mask[rows, ctrl] = True
    w = np.zeros((reps, n0))
    w0 = omega[ctrl]
    sums = w0.sum(axis=1, keepdims=True)
    w[rows, ctrl] = np.where(sums > 0, w0 / np.where(sums > 0, sums, 1.0), 1.0 / n_co)
    om = _fw_gram(
        g, c, bb, mask, w, t0, opts.zeta_omega, opts.min_decrease, opts.max_iter_pre_sparsify
    )
    om = _fw_gram(
        g, c, bb, mask, _sparsify(om), t0, opts.zeta_omega, opts.min_decrease, opts.max_iter
    )
    t1 = y0.shape[1] - t0
    col = np.concatenate([-la, np.full((reps, t1), 1.0 / t1)], axis=1)  # (R, T)
    s = col @ y0.T  # (R, n0): each donor's post mean minus its λ-weighted pre-period
    out: FloatArray = s[rows, trt].mean(axis=1) - (om * s).sum(axis=1)
    return out


def _sdid_tau(y: FloatArray, n0: int, t0: int, omega: FloatArray, lam: FloatArray) -> FloatArray:
    """``(−ω, 1/N1)' Y (−λ, 1/T1)`` for a batch ``y`` ``(B, N, T)``."""
    n1, t1 = y.shape[1] - n0, y.shape[2] - t0
    row = np.concatenate([-omega, np.full((y.shape[0], n1), 1.0 / n1)], axis=1)
    col = np.concatenate([-lam, np.full((y.shape[0], t1), 1.0 / t1)], axis=1)
    out: FloatArray = np.einsum("bn,bnt,bt->b", row, y, col)
    return out


def synthetic_did(
    panel: Panel,
    *,
    treated: Any = None,
    donors: Sequence[Any] | None = None,
    se: Literal["placebo", "jackknife"] = "placebo",
    replications: int = 200,
    seed: int | None = 0,
    level: float = 0.95,
) -> SyntheticDiDResult:
    """Estimate the synthetic difference-in-differences effect of one treated unit (or block).

    Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021), Algorithm 1, with the defaults of the
    reference R package ``synthdid`` (``synthdid_estimate``): see the module docstring for the
    weights, penalties and solver. On California's Proposition 99 it gives −15.604 packs per
    capita, the figure the R documentation prints.

    Parameters:
        panel: a balanced panel; the treated units share one first treated period.
        treated: a unit id or a list of ids (default: every unit with a first treated period).
        donors: restrict the control units to these never-treated units (default: all).
        se: ``"placebo"`` (Algorithm 4: donors reassigned as treated at random, weights refitted;
            needs more donors than treated units) or ``"jackknife"`` (Algorithm 3, fixed
            weights; undefined, and returned as NaN with ``UNDEFINED_SE``, for one treated unit
            or one donor with positive weight).
        replications: placebo draws (R's default, 200).
        seed: seed of the placebo draws (``None`` for fresh randomness).
        level: confidence level of the normal interval.

    Returns:
        SyntheticDiDResult: the effect, its SE, normal interval and p-value, the unit and time
        weights, the per-period effects and the paths.

    Raises:
        EstimationError: as :func:`synthetic_control` for the design; an unknown ``se``;
            ``replications`` below 2; placebo SEs with no more donors than treated units.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation import Panel
        >>> rng = np.random.default_rng(5)
        >>> y = 20 + rng.normal(size=(10, 10)).cumsum(axis=1)
        >>> y[0, 7:] += 4.0
        >>> p = Panel.from_arrays(units=np.repeat(np.arange(10), 10),
        ...     periods=np.tile(np.arange(10), 10), outcome=y.ravel(), unit="household",
        ...     first_treated={u: (7 if u == 0 else None) for u in range(10)})
        >>> r = synthetic_did(p, replications=100, seed=2)
        >>> r.estimate.name, r.se_method, str(r.outcome_unit)
        ('att', 'placebo', 'household')
    """
    if se not in ("placebo", "jackknife"):
        raise EstimationError(f"synthetic_did: se: expected 'placebo' or 'jackknife', got {se!r}")
    if replications < 2:
        raise EstimationError(
            f"synthetic_did: replications: expected at least 2 placebo draws, got {replications}"
        )
    d = _design(panel, treated, donors, "synthetic_did")
    n0, t0 = d.y0.shape[0], d.n_pre
    n1 = len(d.treated)
    y = np.vstack([d.y0, d.y_treated])  # (N, T)
    t_total = y.shape[1]
    diffs = np.diff(y[:n0, :t0], axis=1)
    noise = float(diffs.std(ddof=1)) if diffs.size > 1 else 0.0
    eta_omega = (n1 * (t_total - t0)) ** 0.25
    opts = _SdidOpts(
        zeta_omega=eta_omega * noise,
        zeta_lambda=1e-6 * noise,
        min_decrease=1e-5 * noise,
    )
    omega0 = np.full((1, n0), 1.0 / n0)
    lam0 = np.full((1, t0), 1.0 / t0)
    omega_b, lam_b = _sdid_weights(y[None], n0, t0, opts, omega0, lam0)
    omega, lam = omega_b[0], lam_b[0]
    tau = float(_sdid_tau(y[None], n0, t0, omega_b, lam_b)[0])

    warnings: list[ResultWarning] = []
    reps: int | None = None
    if se == "placebo":
        if n0 <= n1:
            raise EstimationError(
                f"synthetic_did: placebo SEs need more donors ({n0}) than treated units ({n1}); "
                "use se='jackknife'"
            )
        rng = np.random.default_rng(seed)
        perm = rng.permuted(np.tile(np.arange(n0), (replications, 1)), axis=1)
        taus = _placebo_taus(d.y0, perm, n1, t0, opts, omega, lam)
        se_value = float(math.sqrt((replications - 1) / replications) * taus.std(ddof=1))
        reps = replications
        convention = f"placebo (Arkhangelsky et al. 2021, Algorithm 4; {replications} draws)"
    else:
        convention = "jackknife (Arkhangelsky et al. 2021, Algorithm 3; fixed weights)"
        if n1 == 1 or int((omega != 0).sum()) == 1:
            se_value = math.nan
            warnings.append(
                ResultWarning(
                    code=WarningCode.UNDEFINED_SE,
                    message=(
                        "the jackknife SE is not defined with one treated unit or one donor of "
                        "positive weight; use se='placebo'"
                    ),
                )
            )
        else:
            se_value = _jackknife(y, n0, t0, omega, lam)
    warnings.extend(_pre_fit_warning(d, centred=True))

    z = NormalDist().inv_cdf(0.5 + level / 2)
    if math.isfinite(se_value) and se_value > 0:
        p_value = math.erfc(abs(tau) / se_value / math.sqrt(2.0))
    else:
        p_value = math.nan
    head = Estimate(
        name="att",
        value=tau,
        se=se_value,
        ci_low=tau - z * se_value,
        ci_high=tau + z * se_value,
        p_value=p_value,
    )
    # the synthetic path: ω-weighted donors shifted by the λ-weighted pre-period difference
    y1 = d.y1
    sc = omega @ d.y0
    shift = float((y1[:t0] - sc[:t0]) @ lam)
    synthetic = sc + shift
    effects = y1[t0:] - synthetic[t0:]
    nan = math.nan
    terms = tuple(
        Estimate(
            name=f"effect_{int(t)}", value=float(e), se=nan, ci_low=nan, ci_high=nan, p_value=nan
        )
        for t, e in zip(d.periods[t0:], effects, strict=True)
    )
    return SyntheticDiDResult(
        estimator="synthetic_did",
        estimate=head,
        terms=terms,
        outcome_unit=panel.outcome_unit,
        convention=convention,
        ci_level=level,
        n_obs=d.rows.used,
        n_units=n0 + n1,
        n_clusters=None,
        design=EvaluationDesign.SYNTHETIC_CONTROL,
        assumptions=_SDID_ASSUMPTIONS,
        warnings=tuple(warnings),
        rows=d.rows,
        stats={"noise_level": noise, "zeta_omega": opts.zeta_omega},
        treated=d.treated,
        adoption=d.adoption,
        periods=d.periods,
        donors=d.donors,
        unit_weights=omega,
        time_weights=lam,
        treated_path=y1,
        synthetic_path=synthetic,
        noise_level=noise,
        zeta_omega=opts.zeta_omega,
        zeta_lambda=opts.zeta_lambda,
        se_method=se,
        replications=reps,
        solver=(
            "Frank-Wolfe with exact line search (R synthdid sc.weight.fw): 100 iterations, "
            "sparsify, then up to 10000"
        ),
        tolerance=opts.min_decrease**2,
    )


def _jackknife(y: FloatArray, n0: int, t0: int, omega: FloatArray, lam: FloatArray) -> float:
    """Fixed-weights jackknife SE (Algorithm 3), all leave-one-unit-out estimates at once."""
    n = y.shape[0]
    n1 = n - n0
    t1 = y.shape[1] - t0
    col = np.concatenate([-lam, np.full(t1, 1.0 / t1)])
    s = y @ col  # per unit, post mean minus λ-weighted pre
    treated_mean = s[n0:].mean()
    synth = omega @ s[:n0]
    # dropping donor i: ω renormalised without it
    rest = 1.0 - omega
    with np.errstate(divide="ignore", invalid="ignore"):
        drop_donor = treated_mean - (synth - omega * s[:n0]) / rest
    # dropping treated unit i: the treated mean without it
    drop_treated = (s[n0:].sum() - s[n0:]) / (n1 - 1) - synth
    u = np.concatenate([drop_donor, drop_treated])
    return float(math.sqrt((n - 1) / n * (n - 1) * u.var(ddof=1)))
