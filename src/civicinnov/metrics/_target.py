"""Baselines, targets and milestones of a metric.

- :class:`Baseline`: a value of the metric measured at a date (or over a period) before the work
  starts. A metric may have several (IATI 2.03 allows many; teams re-baseline when a definition
  changes); :func:`latest_baseline` picks the one in force at a date.
- :class:`Target`: the value a team commits to reach by a due date, ``PRELIMINARY`` when set early in
  Prepare and ``FINAL`` once agreed (the i-teams playbook sets preliminary, then final targets). A
  metric may have several targets, each with its own period, at irregular intervals.
- :class:`Milestone`: a dated step on the way, optionally with an interim value.

All three reference their metric by id and hold their values as pint quantities; the value's
dimension is checked against a definition with :meth:`Target.check` / :meth:`Baseline.check`
(:class:`~civicinnov.errors.UnitError` for a target in the wrong dimension).
Progress against targets is computed in :mod:`civicinnov.evaluation`.

Example:
    >>> import datetime as dt
    >>> from civicinnov.model import TargetStage
    >>> t = Target(id="fewer-murders-2026", metric_id="murders", stage=TargetStage.FINAL,
    ...            value="120 incident", due=dt.date(2026, 12, 31))
    >>> print(t)
    final target fewer-murders-2026: murders = 120 incident by 2026-12-31
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from civicinnov._values import check_id, enum_converter, member_of
from civicinnov.errors import CivicError, UnitError, ValidationError
from civicinnov.metrics._definition import MetricDefinition
from civicinnov.model import TargetStage
from civicinnov.periods import Period
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = ["Baseline", "Milestone", "Target", "latest_baseline"]


def _quantity(value: Any) -> Quantity:

    try:
        q = as_quantity(value, where="value")
        if getattr(q.magnitude, "ndim", 0) != 0:
            raise ValidationError(f"value: expected a single quantity, got an array {q!r}")
        finite = math.isfinite(float(q.magnitude))
    except (OverflowError, ValueError, TypeError) as exc:
        if isinstance(exc, CivicError):
            raise
        raise ValidationError(
            f"value: expected a finite number with a unit, got {str(value)[:60]!r} ({exc})"
        ) from None
    if not finite:
        raise ValidationError(f"value: expected a finite number with a unit, got {q.magnitude!r}")
    return q


def _optional_quantity(value: Any) -> Quantity | None:
    return None if value is None else _quantity(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"expected a date such as 2026-12-31, got {value!r}")


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def _slug(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_id(value, where=attribute.name)


def _check_value(definition: MetricDefinition, value: Quantity, where: str) -> None:
    if not isinstance(definition, MetricDefinition):
        raise ValidationError(f"definition: expected a MetricDefinition, got {definition!r}")
    if value.dimensionality != definition.unit.dimensionality:
        raise UnitError(
            f"{where}: metric {definition.id!r} is measured in {definition.unit} "
            f"({definition.unit.dimensionality or 'dimensionless'}); got {value.units} "
            f"({value.dimensionality or 'dimensionless'})"
        )
    definition.quantity(value, where=where)


@attrs.frozen(kw_only=True)
class Baseline:
    """The value of a metric before the work, measured on ``as_of`` (and over ``period``, if any).

    Example:
        >>> b = Baseline(metric_id="murders", value="193 incident", as_of="2011-12-31")
        >>> print(b)
        baseline murders = 193 incident as of 2011-12-31
    """

    metric_id: str = attrs.field(validator=_slug)
    value: Quantity = attrs.field(converter=_quantity)
    as_of: dt.date = attrs.field(converter=_date)
    period: Period | None = None
    place_id: str | None = None
    source: str | None = None

    def check(self, definition: MetricDefinition) -> None:
        """Raise unless the baseline fits ``definition`` (same metric, dimension, bounds).

        Parameters:
            definition: the metric definition the baseline should be a value of.

        Raises:
            ValidationError: ``definition`` is not a MetricDefinition, the baseline's metric id is
                another metric's, or a percentage baseline lies outside 0-100 %.
            UnitError: the baseline's value is of another dimension than the metric's unit.

        Example:
            >>> from civicinnov.metrics import MetricDefinition
            >>> d = MetricDefinition(id="murders", name="Murders", unit="incident")
            >>> Baseline(metric_id="murders", value="193 person", as_of="2011-12-31").check(d)
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnitError: baseline.value: metric 'murders' is measured in incident ([incident]); got person ([person])
        """
        _check_metric(self.metric_id, definition, "baseline.metric_id")
        _check_value(definition, self.value, "baseline.value")

    def __str__(self) -> str:
        return f"baseline {self.metric_id} = {_fmt(self.value)} as of {self.as_of}"


def _check_metric(metric_id: str, definition: MetricDefinition, where: str) -> None:
    if metric_id != definition.id:
        raise ValidationError(f"{where}: expected {definition.id!r}, got {metric_id!r}")


def _fmt(q: Quantity) -> str:
    return f"{q.magnitude:g} {q.units}"


def _stage(value: TargetStage | str) -> TargetStage:
    """Accept a stage's text value (``"final"``) as well as the member."""
    converted: TargetStage = enum_converter(TargetStage)(value)
    return converted


@attrs.frozen(kw_only=True)
class Target:
    """A value a metric should reach by ``due``; ``period`` is the period it is measured over.

    Raises :class:`~civicinnov.errors.IdentifierError` for a malformed id and
    :class:`~civicinnov.errors.ValidationError` for a ``period`` that ends after ``due``.

    Example:
        >>> from civicinnov.model import TargetStage
        >>> from civicinnov.periods import Period
        >>> t = Target(id="vacancy-2025", metric_id="retail-vacancy-rate",
        ...            stage=TargetStage.PRELIMINARY, value="8 percent", due="2025-12-31",
        ...            period=Period.parse("2025-Q4"))
        >>> t.value.to("dimensionless").magnitude
        0.08
    """

    id: str = attrs.field(validator=_slug)
    metric_id: str = attrs.field(validator=_slug)
    stage: TargetStage = attrs.field(converter=_stage, validator=member_of(TargetStage))
    value: Quantity = attrs.field(converter=_quantity)
    due: dt.date = attrs.field(converter=_date)
    period: Period | None = None
    place_id: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.period is not None and self.period.end > self.due:
            raise ValidationError(
                f"target {self.id!r}: period: {self.period} ends after the due date {self.due}"
            )

    def check(self, definition: MetricDefinition) -> None:
        """Raise unless the target fits ``definition``: same metric, the metric's dimension
        (:class:`~civicinnov.errors.UnitError`), 0-100 % for a percentage.

        Parameters:
            definition: the metric definition the target should be a value of.

        Raises:
            ValidationError: ``definition`` is not a MetricDefinition, the target's metric id is
                another metric's, or a percentage target lies outside 0-100 %.
            UnitError: the target's value is of another dimension than the metric's unit.

        Example:
            >>> from civicinnov.metrics import MetricDefinition
            >>> from civicinnov.model import TargetStage
            >>> d = MetricDefinition(id="processing-days", name="Days", unit="day")
            >>> Target(id="t", metric_id="processing-days", stage=TargetStage.FINAL,
            ...        value="3 km", due="2025-01-01").check(d)
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnitError: target.value: metric 'processing-days' is measured in day ([time]); got kilometer ([length])
        """
        _check_metric(self.metric_id, definition, "target.metric_id")
        _check_value(definition, self.value, "target.value")

    def __str__(self) -> str:
        return (
            f"{self.stage.value} target {self.id}: {self.metric_id} = {_fmt(self.value)} "
            f"by {self.due}"
        )


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated step towards a target; ``value`` is an optional interim value, ``reached`` the date
    it was met (``None`` while open).

    Example:
        >>> m = Milestone(id="pilot-live", target_id="fewer-murders-2026",
        ...               title="Pilot live in two districts", due="2025-06-30")
        >>> m.is_open, m.is_late(dt.date(2025, 7, 1))
        (True, True)
    """

    id: str = attrs.field(validator=_slug)
    target_id: str = attrs.field(validator=_slug)
    title: str
    due: dt.date = attrs.field(converter=_date)
    value: Quantity | None = attrs.field(default=None, converter=_optional_quantity)
    reached: dt.date | None = attrs.field(default=None, converter=_optional_date)

    @property
    def is_open(self) -> bool:
        """Whether the milestone has not been reached.

        Example:
            >>> Milestone(id="m", target_id="t", title="x", due="2025-01-01",
            ...           reached="2024-12-01").is_open
            False
        """
        return self.reached is None

    def is_late(self, today: dt.date) -> bool:
        """Whether the milestone was reached after its due date, or is open past it on ``today``.

        Parameters:
            today: the date an open milestone is judged on.

        Returns:
            ``True`` when reached after :attr:`due`, or still open and ``today`` is after it.

        Example:
            >>> Milestone(id="m", target_id="t", title="x", due="2025-01-01").is_late(
            ...     dt.date(2024, 12, 1))
            False
        """
        if self.reached is not None:
            return self.reached > self.due
        return today > self.due


def latest_baseline(baselines: Iterable[Baseline], on: dt.date | None = None) -> Baseline | None:
    """The most recent baseline measured on or before ``on`` (any date when ``on`` is ``None``).

    Parameters:
        baselines: the candidate baselines.
        on: the latest ``as_of`` date accepted; ``None`` accepts every baseline.

    Returns:
        The baseline with the latest ``as_of`` date, or ``None`` when no baseline qualifies.

    Example:
        >>> bs = [Baseline(metric_id="m", value="10 call", as_of="2020-01-01"),
        ...       Baseline(metric_id="m", value="12 call", as_of="2022-01-01")]
        >>> print(latest_baseline(bs, dt.date(2021, 6, 1)).value)
        10 call
        >>> latest_baseline(bs, dt.date(2019, 1, 1)) is None
        True
    """
    candidates = [b for b in baselines if on is None or b.as_of <= on]
    if not candidates:
        return None
    return max(candidates, key=lambda b: b.as_of)
