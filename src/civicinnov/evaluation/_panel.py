"""The evaluation panel: outcomes of many units over periods, with each unit's treatment timing.

What lives here: :class:`Panel`, the one input of the impact estimators in
:mod:`civicinnov.evaluation`, and its constructors :meth:`Panel.from_arrays` (plain arrays),
:meth:`Panel.from_series` (a list of :class:`~civicinnov.metrics.MetricSeries`, one per
place) and :meth:`Panel.from_cross_sections` (repeated cross-sections for a 2x2 comparison).

A panel holds magnitudes in one pint unit, integer period ordinals (years, or the ordinals of
:mod:`civicinnov.periods`), and for every unit the first period in which it is treated, or
*never*. Timing is per unit: a unit whose rows disagree on it is refused.

Choices, written down:

- Unit ids are data labels (ints or strings, e.g. county FIPS codes or state names), not
  civicinnov slugs, so they are not checked against the slug pattern; ids from
  :meth:`Panel.from_series` are place ids, which are slugs already.
- Never treated is stored as ``+inf`` in :attr:`Panel.cohort`.
- Rows whose outcome or a control is missing (NaN) are dropped and counted in :attr:`Panel.rows`
  with their reason; nothing else is dropped here. Duplicate ``(unit, period)`` rows, timing that
  varies within a unit, and outcomes in different units are errors, not drops.
- Clusters default to units.

Example:
    >>> p = Panel.from_arrays(
    ...     units=["a", "a", "b", "b"], periods=[2020, 2021, 2020, 2021],
    ...     outcome=[3.0, 1.0, 2.0, float("nan")], unit="incident",
    ...     first_treated={"a": 2021, "b": None})
    >>> p.n_units, p.n_obs, p.is_balanced
    (2, 3, False)
    >>> print(p.rows)
    used 3 of 4 rows; dropped 1: outcome missing (NaN)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import attrs
import numpy as np
import pint
from numpy.typing import NDArray

from civicinnov.errors import CivicWarning, PanelError, UnitError
from civicinnov.evaluation._regression import factorize
from civicinnov.evaluation._results import RowReport
from civicinnov.units import as_quantity, get_registry, parse_unit

if TYPE_CHECKING:
    from civicinnov.units import Quantity, Unit

#: A boolean array (one flag per row); named so the documentation reads it as one word.
BoolArray: TypeAlias = NDArray[np.bool_]

__all__ = [
    "EarlyTreatmentWarning",
    "Panel",
    "column",
    "outcome_values",
    "period_ordinals",
]

_NEVER = np.inf


class EarlyTreatmentWarning(CivicWarning):
    """A first treated period comes before every observed period.

    Such units are treated throughout the data, so they can serve neither as a comparison nor
    as a cohort with a pre-period. Most often it is R's ``did`` convention of ``0`` for *never
    treated* read without ``never=0``.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     _ = Panel.from_arrays(units=[1, 1, 2, 2], periods=[2003, 2004] * 2,
        ...         outcome=[1.0, 2.0, 1.0, 1.0], unit="", first_treated=[2004, 2004, 0, 0])
        >>> caught[0].category.__name__
        'EarlyTreatmentWarning'
    """


def _arr_eq(a: Any, b: Any) -> bool:
    return bool(np.array_equal(a, b))


_cmp = attrs.cmp_using(eq=_arr_eq)


@attrs.frozen(kw_only=True, hash=False)
class Panel:
    """Outcomes of units over periods, with each unit's first treated period (or never).

    Build one with :meth:`from_arrays`, :meth:`from_series` or :meth:`from_cross_sections`; the
    fields are the normalised, validated form the estimators read.

    Attributes:
        unit_ids: the distinct unit labels, sorted; ``unit_index`` points into it per row.
        period_values: the distinct period ordinals, sorted; ``period_index`` points into it.
        outcome: outcome magnitudes per row, in ``outcome_unit``.
        cohort: per unit, the first treated period ordinal, ``inf`` when never treated.
        control_names / controls: names and an ``(n_obs, k)`` array of control variables.
        cluster_index / n_clusters: cluster of each row (units unless given).
        cross_section: True when every row is its own unit (repeated cross-sections).
        treatment_name: the name of the treatment term in regressions (the treatment column's
            name when built by :meth:`from_long`).
        treatment: the row treatment indicator when it switches off for some unit (kept only
            with ``allow_switch_off=True``; None otherwise, when it follows from ``cohort``).
        rows: row accounting (given, used, dropped with reasons).

    Example:
        >>> p = Panel.from_arrays(units=[7, 7, 9, 9], periods=[1, 2, 1, 2],
        ...                       outcome=[1.0, 2.0, 1.5, 1.5], unit="case",
        ...                       first_treated={7: 2, 9: None})
        >>> p.cohorts.tolist(), p.treated_rows.tolist()
        ([2.0], [False, True, False, False])
    """

    unit_ids: NDArray[Any] = attrs.field(eq=_cmp)
    period_values: NDArray[np.int64] = attrs.field(eq=_cmp)
    unit_index: NDArray[np.intp] = attrs.field(eq=_cmp)
    period_index: NDArray[np.intp] = attrs.field(eq=_cmp)
    outcome: NDArray[np.float64] = attrs.field(eq=_cmp)
    outcome_unit: Unit
    cohort: NDArray[np.float64] = attrs.field(eq=_cmp)
    control_names: tuple[str, ...] = ()
    controls: NDArray[np.float64] = attrs.field(eq=_cmp)
    cluster_index: NDArray[np.intp] = attrs.field(eq=_cmp)
    n_clusters: int
    cross_section: bool = False
    rows: RowReport
    metric_id: str | None = None
    treatment_name: str = "treated"
    treatment: BoolArray | None = attrs.field(default=None, eq=_cmp)

    # ------------------------------------------------------------------ derived views
    @property
    def n_obs(self) -> int:
        """Rows used.

        Example:
            >>> Panel.from_arrays(units=[1], periods=[1], outcome=[0.0], unit="",
            ...                   first_treated={1: None}).n_obs
            1
        """
        return int(self.outcome.shape[0])

    @property
    def n_units(self) -> int:
        """Distinct units.

        Example:
            >>> Panel.from_arrays(units=[1, 2], periods=[1, 1], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: None, 2: None}).n_units
            2
        """
        return int(self.unit_ids.shape[0])

    @property
    def n_periods(self) -> int:
        """Distinct periods.

        Example:
            >>> Panel.from_arrays(units=[1, 1], periods=[1, 2], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: None}).n_periods
            2
        """
        return int(self.period_values.shape[0])

    @property
    def is_balanced(self) -> bool:
        """True when every unit is observed in every period.

        Example:
            >>> Panel.from_arrays(units=[1, 1], periods=[1, 2], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: None}).is_balanced
            True
        """
        return (not self.cross_section) and self.n_obs == self.n_units * self.n_periods

    @property
    def periods(self) -> NDArray[np.int64]:
        """The period ordinal of each row.

        Example:
            >>> Panel.from_arrays(units=[1, 1], periods=[5, 3], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: None}).periods.tolist()
            [5, 3]
        """
        return self.period_values[self.period_index]

    @property
    def row_cohort(self) -> NDArray[np.float64]:
        """The first treated period of each row's unit (``inf`` when never treated).

        Example:
            >>> Panel.from_arrays(units=[1, 2], periods=[1, 1], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: 3, 2: None}).row_cohort.tolist()
            [3.0, inf]
        """
        return self.cohort[self.unit_index]

    @property
    def treated_rows(self) -> BoolArray:
        """Rows of treated units at or after their first treated period (or, when treatment
        switches off, the rows whose indicator is on).

        Example:
            >>> Panel.from_arrays(units=[1, 1], periods=[1, 2], outcome=[0.0, 1.0], unit="",
            ...                   first_treated={1: 2}).treated_rows.tolist()
            [False, True]
        """
        if self.treatment is not None:
            return self.treatment
        out: BoolArray = self.periods >= self.row_cohort
        return out

    @property
    def switches_off(self) -> bool:
        """True when some unit's treatment switches off after it started.

        Example:
            >>> Panel.from_arrays(units=[1, 1, 1], periods=[1, 2, 3], outcome=[0.0, 1.0, 0.5],
            ...                   unit="", treatment=[0, 1, 0], allow_switch_off=True).switches_off
            True
        """
        return self.treatment is not None

    @property
    def cohorts(self) -> NDArray[np.float64]:
        """The distinct first treated periods (never treated excluded), sorted.

        Example:
            >>> Panel.from_arrays(units=[1, 2, 3], periods=[1, 1, 1], outcome=[0.0, 1.0, 2.0],
            ...                   unit="", first_treated={1: 3, 2: None, 3: 2}).cohorts.tolist()
            [2.0, 3.0]
        """
        c = self.cohort[np.isfinite(self.cohort)]
        out: NDArray[np.float64] = np.unique(c)
        return out

    @property
    def quantity(self) -> Quantity:
        """The outcomes as one pint quantity over the array.

        Example:
            >>> Panel.from_arrays(units=[1], periods=[1], outcome=[2.0], unit="km",
            ...                   first_treated={1: None}).quantity
            <Quantity([2.], 'kilometer')>
        """
        return get_registry().Quantity(self.outcome, self.outcome_unit)

    def to(self, unit: str | Unit) -> Panel:
        """Return the same panel with outcomes converted to ``unit`` (dimension checked).

        Parameters:
            unit: the new outcome unit, as text or a pint unit.

        Returns:
            A new panel whose outcomes are in ``unit``.

        Raises:
            UnitError: an unreadable unit, or a unit of another dimension than the outcome's.

        Example:
            >>> p = Panel.from_arrays(units=[1], periods=[1], outcome=[2.0], unit="km",
            ...                       first_treated={1: None})
            >>> p.to("m").outcome.tolist()
            [2000.0]
        """
        converted = as_quantity(self.quantity, unit, where="outcome")
        return attrs.evolve(
            self,
            outcome=np.asarray(converted.magnitude, dtype=np.float64),
            outcome_unit=cast("Unit", converted.units),
        )

    def balanced_outcome(self) -> NDArray[np.float64]:
        """Return outcomes as a ``(n_units, n_periods)`` matrix, NaN where a row is missing.

        Example:
            >>> p = Panel.from_arrays(units=[1, 1, 2], periods=[1, 2, 2], outcome=[1.0, 2.0, 3.0],
            ...                       unit="", first_treated={1: None, 2: None})
            >>> p.balanced_outcome().tolist()
            [[1.0, 2.0], [nan, 3.0]]
        """
        y = np.full((self.n_units, self.n_periods), np.nan)
        y[self.unit_index, self.period_index] = self.outcome
        return y

    def select(self, keep: BoolArray) -> Panel:
        """Return the panel restricted to the rows where ``keep`` is true, re-indexed.

        The row report is kept as given (callers that drop rows record why).

        Parameters:
            keep: a boolean mask with one entry per row.

        Returns:
            A new panel holding the kept rows, units, periods and clusters renumbered.

        Example:
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2], periods=[1, 2, 1, 2],
            ...                       outcome=[1.0, 2.0, 3.0, 4.0], unit="",
            ...                       first_treated={1: 2, 2: None})
            >>> q = p.select(p.unit_index == 1)
            >>> q.unit_ids.tolist(), q.outcome.tolist()
            ([2], [3.0, 4.0])
        """
        uk, uidx = factorize(self.unit_index[keep], "units")
        pk, pidx = factorize(self.period_index[keep], "periods")
        ck, cidx = factorize(self.cluster_index[keep], "clusters")
        clustered_by_unit = self.cluster_index is self.unit_index
        return attrs.evolve(
            self,
            unit_ids=self.unit_ids[uk],
            period_values=self.period_values[pk],
            unit_index=uidx,
            period_index=pidx,
            outcome=self.outcome[keep],
            cohort=self.cohort[uk],
            controls=self.controls[keep],
            treatment=None if self.treatment is None else self.treatment[keep],
            cluster_index=uidx if clustered_by_unit else cidx,
            n_clusters=int(uk.shape[0]) if clustered_by_unit else int(ck.shape[0]),
        )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_long(
        cls,
        table: Any,
        *,
        units: str,
        periods: str,
        outcome: str,
        first_treated: str | None = None,
        treatment: str | None = None,
        never: Any = None,
        controls: Sequence[str] = (),
        clusters: str | None = None,
        unit: str | Unit | None = None,
        metric_id: str | None = None,
        allow_switch_off: bool = False,
    ) -> Panel:
        """Build a panel from a long table: one row per unit and period, columns by name.

        ``table`` is a pandas DataFrame or a mapping of column name to row-aligned values
        (plain arrays). Treatment timing comes from a column of first treated periods or from a
        0/1 treatment indicator column; terms of the estimators take the column names (the
        controls keep theirs, the treatment term is called like the ``treatment`` column).

        Args:
            table: the long table.
            units: the column of unit ids.
            periods: the column of integer period ordinals (e.g. years).
            outcome: the outcome column.
            first_treated: the column of each row's unit's first treated period (NaN or
                ``never`` for never treated).
            treatment: instead, the column of a 0/1 treatment indicator (see
                :meth:`from_arrays`).
            never: the value that marks never treated in ``first_treated`` (e.g. 0).
            controls: columns of time-varying controls.
            clusters: the column of cluster ids (default: units).
            unit: the outcome's unit.
            metric_id: the metric the outcome measures, if known.
            allow_switch_off: keep a treatment indicator that switches off (see
                :meth:`from_arrays`).

        Returns:
            The panel.

        Raises:
            PanelError: a column missing from the table, and everything :meth:`from_arrays`
                refuses.

        Example:
            >>> table = {"city": ["a", "a", "b", "b"], "year": [2020, 2021, 2020, 2021],
            ...          "calls": [5.0, 3.0, 6.0, 6.5], "program": [0, 1, 0, 0],
            ...          "rain": [1.0, 2.0, 1.5, 1.0]}
            >>> p = Panel.from_long(table, units="city", periods="year", outcome="calls",
            ...                     treatment="program", controls=["rain"], unit="call")
            >>> p.cohort.tolist(), p.control_names, p.treatment_name
            ([2021.0, inf], ('rain',), 'program')
        """
        wanted = [units, periods, outcome, *controls]
        wanted += [c for c in (first_treated, treatment, clusters) if c is not None]
        have = [str(c) for c in table.columns] if hasattr(table, "columns") else list(table)
        missing = [c for c in wanted if c not in have]
        if missing:
            raise PanelError(
                f"table: no column(s) {missing}; expected them among the columns {have[:20]}"
            )
        panel = cls.from_arrays(
            units=column(table[units], f"table[{units!r}]", len(table[units])),
            periods=table[periods],
            outcome=_numbers(table[outcome]),
            unit=unit,
            first_treated=None if first_treated is None else _numbers(table[first_treated]),
            treatment=None if treatment is None else _numbers(table[treatment]),
            never=never,
            controls={c: _numbers(table[c]) for c in controls},
            clusters=None if clusters is None else table[clusters],
            metric_id=metric_id,
            allow_switch_off=allow_switch_off,
        )
        return panel if treatment is None else attrs.evolve(panel, treatment_name=treatment)

    @classmethod
    def from_arrays(
        cls,
        *,
        units: Any,
        periods: Any,
        outcome: Any,
        first_treated: Mapping[Any, Any] | Any = None,
        unit: str | Unit | None = None,
        never: Any = None,
        controls: Mapping[str, Any] | None = None,
        clusters: Any = None,
        metric_id: str | None = None,
        treatment: Any = None,
        allow_switch_off: bool = False,
    ) -> Panel:
        """Build a panel from row-aligned arrays.

        Args:
            units: a unit id per row (ints or strings).
            periods: an integer period ordinal per row (years, or :mod:`civicinnov.periods`
                ordinals).
            outcome: outcome per row: an array with ``unit``, or a pint quantity over an array.
            first_treated: either a mapping from every unit id to its first treated period
                (``None`` = never), or a row-aligned array of it (NaN, or the ``never`` value,
                meaning never treated; e.g. ``never=0`` for the R ``did`` convention).
            unit: the outcome's unit (text or pint unit); required unless ``outcome`` is a
                quantity.
            never: the value that marks never treated in a row-aligned ``first_treated``.
            controls: name to row-aligned array of a control variable.
            clusters: a cluster id per row (default: the unit).
            metric_id: the metric the outcome measures, if known.
            treatment: instead of ``first_treated``, a row-aligned 0/1 treatment indicator; each
                unit's first treated period is the first period where it is 1. Treatment that
                switches off again is refused: most estimators here assume that a unit, once
                treated, stays treated.
            allow_switch_off: keep a ``treatment`` that switches off (for :func:`twfe` and
                :func:`first_difference`, which use the indicator row by row; the estimators
                that need adoption dates refuse such a panel).

        Raises:
            PanelError: neither or both of ``first_treated`` and ``treatment``, treatment that
                switches off, mismatched lengths, non-integer periods, duplicate ``(unit, period)``
                rows, timing that varies within a unit, a unit missing from ``first_treated``.
            UnitError: no unit, an unknown unit, or outcomes in mixed units.

        Example:
            >>> p = Panel.from_arrays(units=[1, 1, 2, 2], periods=[2003, 2004] * 2,
            ...                       outcome=[1.0, 2.0, 1.0, 1.0], unit="person",
            ...                       first_treated=[2004, 2004, 0, 0], never=0)
            >>> p.cohort.tolist()
            [2004.0, inf]
        """
        y, out_unit = outcome_values(outcome, unit)
        n = y.shape[0]
        unit_arr = column(units, "units", n)
        per = period_ordinals(periods, n)
        uniq, uidx = factorize(unit_arr, "units")
        pvals, pidx = factorize(per, "periods")
        _check_duplicates(uidx, pidx, uniq, pvals)
        if (first_treated is None) == (treatment is None):
            raise PanelError(
                "first_treated / treatment: expected exactly one of them (the first treated "
                "period of each unit, or a 0/1 treatment indicator per row)"
            )
        switching: BoolArray | None = None
        if treatment is not None:
            cohort, switching = cohorts_from_indicator(
                treatment, uidx, pidx, uniq, pvals, n, allow_switch_off=allow_switch_off
            )
        else:
            cohort = _timing(first_treated, uniq, uidx, unit_arr, never, n)
        early = np.isfinite(cohort) & (cohort < float(pvals.min()))
        if early.any():
            shown = sorted({int(c) for c in cohort[early][:50].tolist()})[:5]
            warnings.warn(
                f"first_treated: {int(early.sum())} unit(s) have a first treated period {shown} "
                f"before the first observed period {int(pvals.min())}, so they are treated "
                "throughout the data; if that value means 'never treated' (R's did convention "
                "of 0), pass never=0",
                EarlyTreatmentWarning,
                stacklevel=2,
            )
        ctrl_names, ctrl = _controls(controls, n)
        if clusters is None:
            cidx, n_clusters = uidx, int(uniq.shape[0])
        else:
            cl, cidx = factorize(column(clusters, "clusters", n), "clusters")
            n_clusters = int(cl.shape[0])
        keep = np.isfinite(y)
        report = RowReport(given=n, used=n).drop("outcome missing (NaN)", int(n - keep.sum()))
        if ctrl.shape[1]:
            ok_ctrl = np.isfinite(ctrl).all(axis=1)
            report = report.drop("a control missing (NaN)", int((keep & ~ok_ctrl).sum()))
            keep &= ok_ctrl
        if not keep.all():
            y, uidx, pidx, ctrl, cidx = y[keep], uidx[keep], pidx[keep], ctrl[keep], cidx[keep]
            switching = None if switching is None else switching[keep]
            # re-index so that every unit, period and cluster in the panel has a row
            uk, uidx = factorize(uidx, "units")
            uniq, cohort = uniq[uk], cohort[uk]
            pk, pidx = factorize(pidx, "periods")
            pvals = pvals[pk]
            if clusters is None:
                cidx, n_clusters = uidx, int(uniq.shape[0])
            else:
                ck, cidx = factorize(cidx, "clusters")
                n_clusters = int(ck.shape[0])
        if y.shape[0] == 0:
            raise PanelError(f"panel: no usable rows ({report})")
        return cls(
            unit_ids=uniq,
            period_values=pvals.astype(np.int64),
            unit_index=uidx.astype(np.intp, copy=False),
            period_index=pidx.astype(np.intp, copy=False),
            outcome=y,
            outcome_unit=out_unit,
            cohort=cohort,
            control_names=ctrl_names,
            controls=ctrl,
            cluster_index=uidx if cidx is uidx else cidx.astype(np.intp, copy=False),
            n_clusters=n_clusters,
            rows=report,
            metric_id=metric_id,
            treatment=switching,
        )

    @classmethod
    def from_cross_sections(  # noqa: D417 - the parameters are described in the class docstring
        cls,
        *,
        periods: Any,
        outcome: Any,
        treated: Any,
        adoption: int,
        unit: str | Unit | None = None,
        controls: Mapping[str, Any] | None = None,
        clusters: Any = None,
    ) -> Panel:
        """Build a panel of repeated cross-sections (each row its own unit) for a 2x2 DiD.

        Args:
            periods: period ordinal per row (e.g. the year of a house sale).
            outcome: outcome per row (array with ``unit``, or a quantity).
            treated: per row, whether the row belongs to the treated group (e.g. near the site).
            adoption: the first period in which the treated group is treated.
            unit, controls, clusters: as in :meth:`from_arrays`.

        Example:
            >>> p = Panel.from_cross_sections(periods=[1978, 1981, 1978, 1981],
            ...                               outcome=[60.0, 70.0, 80.0, 100.0],
            ...                               treated=[1, 1, 0, 0], adoption=1981, unit="")
            >>> p.cross_section, p.n_units
            (True, 4)
        """
        y, _ = outcome_values(outcome, unit)
        n = y.shape[0]
        tr = column(treated, "treated", n)
        if tr.dtype.kind not in "biuf" or not np.isin(tr, (0, 1)).all():
            raise PanelError(
                f"treated: expected 0/1 or booleans per row, got values {np.unique(tr)[:5].tolist()}"
            )
        ft = np.where(tr.astype(bool), float(adoption), np.nan)
        panel = cls.from_arrays(
            units=np.arange(n),
            periods=periods,
            outcome=outcome,
            unit=unit,
            first_treated=ft,
            controls=controls,
            clusters=clusters,
        )
        return attrs.evolve(panel, cross_section=True)

    @classmethod
    def from_series(
        cls,
        series: Sequence[Any],
        *,
        first_treated: Mapping[str, Any],
        controls: Mapping[str, Sequence[Any]] | None = None,
    ) -> Panel:
        """Build a panel from one :class:`~civicinnov.metrics.MetricSeries` per place.

        Every series must measure the same metric, at the same period type, in the same unit;
        ``first_treated`` maps every place id to its first treated period ordinal (``None`` =
        never treated). ``controls`` maps a control name to one series per input series, in the
        same order, each on the same ordinals as its outcome series.

        Raises:
            PanelError: no series, mixed metrics or period types, a place given twice, a place
                missing from ``first_treated``, misaligned controls.
            UnitError: series in different units.

        Example:
            >>> import numpy as np
            >>> from types import SimpleNamespace as S
            >>> from civicinnov.units import parse_unit
            >>> mk = lambda place, vals: S(metric_id="blight", place_id=place, period_type="YEAR",
            ...     ordinals=np.array([2020, 2021]), values=np.array(vals), unit=parse_unit("property"))
            >>> p = Panel.from_series([mk("akron", [9.0, 7.0]), mk("boise", [8.0, 8.0])],
            ...                       first_treated={"akron": 2021, "boise": None})
            >>> p.unit_ids.tolist(), str(p.outcome_unit), p.metric_id
            (['akron', 'boise'], 'property', 'blight')
        """
        if not series:
            raise PanelError("series: expected at least one MetricSeries, got none")
        first = series[0]
        problems: list[str] = []
        places: list[str] = []
        for i, s in enumerate(series):
            if s.metric_id != first.metric_id:
                problems.append(
                    f"series[{i}].metric_id: expected {first.metric_id!r} like series[0], "
                    f"got {s.metric_id!r}"
                )
            if s.period_type != first.period_type:
                problems.append(
                    f"series[{i}].period_type: expected {first.period_type!r} like series[0], "
                    f"got {s.period_type!r}"
                )
            if s.unit != first.unit:
                raise UnitError(
                    f"series[{i}].unit: outcomes in mixed units: series[0] is in {first.unit!s}, "
                    f"series[{i}] ({s.place_id}) in {s.unit!s}; convert them to one unit first"
                )
            if s.place_id in places:
                problems.append(f"series[{i}].place_id: place {s.place_id!r} given twice")
            places.append(s.place_id)
        missing = [p for p in places if p not in first_treated]
        if missing:
            problems.append(
                f"first_treated: no timing for places {missing[:10]}; give a period or None "
                "(never treated) for every place"
            )
        if problems:
            raise PanelError(f"cannot build a panel: {problems[0]}", problems=problems)
        lengths = np.array([len(s.ordinals) for s in series])
        units = np.repeat(np.array(places, dtype=object), lengths)
        periods = np.concatenate([np.asarray(s.ordinals) for s in series])
        values = np.concatenate([np.asarray(s.values, dtype=np.float64) for s in series])
        ctrl: dict[str, NDArray[np.float64]] = {}
        for name, cs in (controls or {}).items():
            if len(cs) != len(series):
                raise PanelError(
                    f"controls[{name!r}]: expected one series per outcome series "
                    f"({len(series)}), got {len(cs)}"
                )
            for i, (c, s) in enumerate(zip(cs, series, strict=True)):
                if not np.array_equal(np.asarray(c.ordinals), np.asarray(s.ordinals)):
                    raise PanelError(
                        f"controls[{name!r}][{i}].ordinals: expected the periods of the outcome "
                        f"series for {s.place_id!r}"
                    )
            ctrl[name] = np.concatenate([np.asarray(c.values, dtype=np.float64) for c in cs])
        return cls.from_arrays(
            units=units,
            periods=periods,
            outcome=values,
            unit=first.unit,
            first_treated=dict(first_treated),
            controls=ctrl,
            metric_id=first.metric_id,
        )


# ---------------------------------------------------------------------- helpers
def outcome_values(outcome: Any, unit: Any) -> tuple[NDArray[np.float64], Unit]:
    """Outcome magnitudes as floats and their unit, from numbers with ``unit`` or a quantity.

    Raises:
        UnitError: no unit, an unknown unit, or outcomes in mixed units.
        PanelError: values that are not numbers, or not one-dimensional.

    Example:
        >>> y, u = outcome_values([1, 2], "case")
        >>> y.tolist(), str(u)
        ([1.0, 2.0], 'case')
    """
    if isinstance(outcome, pint.Quantity):
        q = as_quantity(outcome, unit, where="outcome")
        return np.atleast_1d(np.asarray(q.magnitude, dtype=np.float64)), cast("Unit", q.units)
    if (
        isinstance(outcome, (list, tuple))
        and outcome
        and any(isinstance(v, pint.Quantity) for v in outcome)
    ):
        qs = [as_quantity(v, where=f"outcome[{i}]") for i, v in enumerate(outcome)]
        kinds = sorted({str(q.units) for q in qs})
        if len(kinds) > 1:
            raise UnitError(
                f"outcome: outcomes in mixed units {kinds}; expected one unit for the whole panel "
                "(convert them first)"
            )
        return outcome_values(
            np.array([q.magnitude for q in qs], dtype=np.float64), unit or qs[0].units
        )
    if unit is None:
        raise UnitError(
            "outcome: no unit given; pass unit= (e.g. 'incident', '' for a pure number)"
        )
    u = unit if isinstance(unit, pint.Unit) else parse_unit(unit, where="unit")
    try:
        y = np.asarray(outcome, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise PanelError(f"outcome: expected numbers, could not read them ({exc})") from None
    if y.ndim != 1:
        raise PanelError(f"outcome: expected a 1-d array, got shape {y.shape}")
    return y, u


def column(values: Any, name: str, n: int) -> NDArray[Any]:
    """``values`` as a 1-d array of ``n`` rows.

    Raises:
        PanelError: another shape.

    Example:
        >>> column([3, 4], "units", 2).tolist()
        [3, 4]
    """
    if hasattr(values, "to_numpy"):  # a pandas Series
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise PanelError(
            f"{name}: expected one value per row ({n} rows, like outcome), got shape {arr.shape}"
        )
    return arr


def period_ordinals(periods: Any, n: int) -> NDArray[np.int64]:
    """Integer period ordinals (years, or :mod:`civicinnov.periods` ordinals), one per row.

    Raises:
        PanelError: another length, or values that are not whole numbers.

    Example:
        >>> period_ordinals([2020.0, 2021.0], 2).tolist()
        [2020, 2021]
    """
    per = column(periods, "periods", n)
    if per.dtype.kind in "iu":
        return per.astype(np.int64)
    if per.dtype.kind == "f" and np.isfinite(per).all() and (per == np.round(per)).all():
        return per.astype(np.int64)
    raise PanelError(
        "periods: expected integer period ordinals (e.g. years, or civicinnov.periods ordinals), "
        f"got dtype {per.dtype} with values {per[:3].tolist()}"
    )


def _check_duplicates(
    uidx: NDArray[np.intp], pidx: NDArray[np.intp], uniq: NDArray[Any], pvals: NDArray[Any]
) -> None:
    n_p = max(int(pvals.shape[0]), 1)
    key = uidx.astype(np.int64) * n_p + pidx
    if int(uniq.shape[0]) * n_p <= 50_000_000:
        counts = np.bincount(key, minlength=0)
        dup = np.flatnonzero(counts > 1)
        n_dup = int((counts[dup] - 1).sum())
    else:  # pragma: no cover - only very large sparse id spaces
        srt = np.sort(key)
        same = srt[1:] == srt[:-1]
        dup = np.unique(srt[1:][same])
        n_dup = int(same.sum())
    if dup.size:
        k = int(dup[0])
        raise PanelError(
            f"panel: {n_dup} duplicate (unit, period) rows; expected at most one row per unit and "
            f"period, e.g. unit {_py(uniq[k // n_p])!r} in period {int(pvals[k % n_p])} appears "
            "more than once (aggregate or disaggregate before building the panel)"
        )


def cohorts_from_indicator(
    treatment: Any,
    uidx: NDArray[np.intp],
    pidx: NDArray[np.intp],
    uniq: NDArray[Any],
    pvals: NDArray[Any],
    n: int,
    *,
    allow_switch_off: bool = False,
) -> tuple[NDArray[np.float64], BoolArray | None]:
    """Each unit's first treated period from a 0/1 indicator per row (``inf`` when never 1).

    Returns:
        The first treated periods, and the indicator itself when it switches off for some unit
        (only with ``allow_switch_off``; None otherwise).

    Raises:
        PanelError: values other than 0/1 or missing, or treatment that switches off (unless
            allowed).

    Example:
        >>> import numpy as np
        >>> u = np.array([0, 0, 1, 1]); t = np.array([0, 1, 0, 1])
        >>> cohort, _ = cohorts_from_indicator([0, 1, 0, 0], u, t, np.array(["a", "b"]),
        ...                                    np.array([7, 8]), 4)
        >>> cohort.tolist()
        [8.0, inf]
    """
    d = column(treatment, "treatment", n)
    if d.dtype.kind == "b":
        d = d.astype(np.int8)
    try:
        df = d.astype(np.float64)
    except (TypeError, ValueError):
        raise PanelError(f"treatment: expected 0/1 per row, got dtype {d.dtype}") from None
    if not np.isin(df, (0.0, 1.0)).all():
        bad = np.unique(df[~np.isin(df, (0.0, 1.0))])[:5].tolist()
        raise PanelError(f"treatment: expected 0/1 (or booleans) per row, got values {bad}")
    n_u = int(uniq.shape[0])
    on = df == 1.0
    first = np.full(n_u, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, uidx[on], pidx[on])
    ever = first < np.iinfo(np.int64).max
    should = ever[uidx] & (pidx >= np.where(ever, first, 0)[uidx])
    off = should & ~on
    cohort = np.full(n_u, _NEVER)
    cohort[ever] = pvals[first[ever]].astype(np.float64)
    if off.any() and allow_switch_off:
        return cohort, on
    if off.any():
        row = int(np.flatnonzero(off)[0])
        u = uidx[row]
        raise PanelError(
            f"treatment: switches off for {int(np.unique(uidx[off]).size)} unit(s), e.g. unit "
            f"{_py(uniq[u])!r} is treated from period {int(pvals[first[u]])} but not in period "
            f"{int(pvals[pidx[row]])}; these estimators assume that a unit, once treated, stays "
            "treated (code the first treated period, drop the later rows, or pass "
            "allow_switch_off=True for twfe and first_difference)"
        )
    return cohort, None


def _timing(
    first_treated: Any,
    uniq: NDArray[Any],
    uidx: NDArray[np.intp],
    unit_arr: NDArray[Any],
    never: Any,
    n: int,
) -> NDArray[np.float64]:
    if isinstance(first_treated, Mapping):
        keys = set(first_treated)
        missing = [u for u in uniq.tolist() if u not in keys]
        if missing:
            raise PanelError(
                f"first_treated: no timing for units {missing[:10]}"
                f"{' and more' if len(missing) > 10 else ''}; give a period or None (never "
                "treated) for every unit"
            )
        cohort = np.array(
            [_never_to_inf(first_treated[u], never) for u in uniq.tolist()], dtype=np.float64
        )
        return cohort  # noqa: RET504 - named for the reader
    ft = column(first_treated, "first_treated", n)
    if ft.dtype.kind == "O":
        ft = np.array([np.nan if v is None else v for v in ft], dtype=np.float64)
    if ft.dtype.kind in "iu":
        # integers: check consistency in the integer domain, convert only one value per unit
        per_unit = np.empty(int(uniq.shape[0]), dtype=ft.dtype)
        per_unit[uidx] = ft
        if bool((ft == per_unit[uidx]).all()):
            cohort = per_unit.astype(np.float64)
            if never is not None:
                cohort[cohort == float(never)] = _NEVER
            return cohort
    try:
        ftf = ft.astype(np.float64)
    except (TypeError, ValueError):
        raise PanelError(
            f"first_treated: expected period ordinals per row, got dtype {ft.dtype}"
        ) from None
    if never is not None:
        ftf = np.where(ftf == float(never), np.nan, ftf)
    ftf = np.where(np.isnan(ftf), _NEVER, ftf)
    cohort = np.empty(int(uniq.shape[0]), dtype=np.float64)
    cohort[uidx] = ftf
    bad = ftf != cohort[uidx]
    if bad.any():
        u = uidx[np.flatnonzero(bad)[0]]
        seen = np.unique(ftf[uidx == u])
        shown = ["never" if np.isinf(v) else int(v) for v in seen.tolist()]
        raise PanelError(
            f"first_treated: treatment timing varies within unit {_py(uniq[u])!r} (rows say {shown}); "
            f"expected one first treated period per unit ({int(np.unique(uidx[bad]).size)} units "
            "disagree)"
        )
    return cohort


def _numbers(values: Any) -> Any:
    """A pandas column as a float array (missing values as NaN); anything else unchanged."""
    if hasattr(values, "to_numpy"):
        try:
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            return values.to_numpy()
    return values


def _py(value: Any) -> Any:
    """A numpy scalar as the plain Python value, so messages read ``'x'`` not ``np.str_('x')``."""
    return value.item() if isinstance(value, np.generic) else value


def _never_to_inf(value: Any, never: Any) -> float:
    if value is None or (never is not None and value == never):
        return _NEVER
    v = float(value)
    return _NEVER if np.isnan(v) else v


def _controls(
    controls: Mapping[str, Any] | None, n: int
) -> tuple[tuple[str, ...], NDArray[np.float64]]:
    if not controls:
        return (), np.empty((n, 0))
    names = tuple(controls)
    cols = []
    for name in names:
        try:
            col = np.asarray(controls[name], dtype=np.float64)
        except (TypeError, ValueError):
            raise PanelError(f"controls[{name!r}]: expected numbers per row") from None
        if col.ndim != 1 or col.shape[0] != n:
            raise PanelError(
                f"controls[{name!r}]: expected one value per row ({n} rows), got shape {col.shape}"
            )
        cols.append(col)
    out = np.empty((n, len(cols)), order="F")  # column-major: each control is contiguous
    for j, col in enumerate(cols):
        out[:, j] = col
    return names, out
