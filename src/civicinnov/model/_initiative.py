"""Ideas and initiatives: what a team considers, selects, plans and delivers.

- :class:`Idea` is one entry on a challenge's idea longlist, with where it came from
  (:class:`IdeaSource`): another city (``origin_city_id`` says which), research evidence, residents
  designing with the team, staff, experts, or a crowd. The method asks teams to *look elsewhere
  first*, so the source matters to the Generate -> Prepare gate.
- :class:`Initiative` is what a team delivers against one or more challenges: its owner, status
  (:class:`InitiativeStatus`, from candidate to scaled, handed off or stopped), :class:`WorkPlan`,
  target ids, and the strength of its evidence (:class:`~civicinnov.model._evidence.SMSLevel`,
  optionally :class:`~civicinnov.model._evidence.NestaLevel`).
- :class:`TargetStage` says whether a target is preliminary or final (targets themselves live in
  :mod:`civicinnov.metrics`).

Example:
    >>> import datetime as dt
    >>> idea = Idea(id="ceasefire", challenge_id="murder", title="Group violence reduction",
    ...             source=IdeaSource.OTHER_CITY, origin_city_id="boston")
    >>> plan = WorkPlan(summary="Call-ins every quarter", agreed_on=dt.date(2012, 9, 1))
    >>> init = Initiative(id="gvrs", title="Group Violence Reduction Strategy",
    ...     challenge_ids=["murder"], idea_ids=["ceasefire"], city_id="new-orleans",
    ...     status="selected", work_plan=plan, target_ids=["murders-2014"])
    >>> init.is_selected, init.work_plan.agreed
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from civicinnov import _values as f
from civicinnov.errors import ValidationError
from civicinnov.model._evidence import NestaLevel, SMSLevel

__all__ = [
    "Idea",
    "IdeaSource",
    "Initiative",
    "InitiativeStatus",
    "PlanStep",
    "TargetStage",
    "WorkPlan",
]


class TargetStage(enum.Enum):
    """How settled a target is: set early in Prepare (preliminary) or finalised before Deliver (final).

    Example:
        >>> TargetStage("final")
        <TargetStage.FINAL: 'final'>
    """

    PRELIMINARY = "preliminary"
    FINAL = "final"


class IdeaSource(enum.Enum):
    """Where an idea came from.

    ``OTHER_CITY`` and ``RESEARCH_EVIDENCE`` are ideas *looked for elsewhere* (see
    :attr:`looked_elsewhere`).

    Example:
        >>> IdeaSource.OTHER_CITY.looked_elsewhere, IdeaSource.STAFF.looked_elsewhere
        (True, False)
    """

    OTHER_CITY = "other_city"
    RESEARCH_EVIDENCE = "research_evidence"
    RESIDENT_CO_DESIGN = "resident_co_design"
    STAFF = "staff"
    EXPERT = "expert"
    CROWDSOURCED = "crowdsourced"

    @property
    def looked_elsewhere(self) -> bool:
        """Whether the idea was found by looking outside the city (another city, research).

        Example:
            >>> IdeaSource.RESEARCH_EVIDENCE.looked_elsewhere
            True
        """
        return self in (IdeaSource.OTHER_CITY, IdeaSource.RESEARCH_EVIDENCE)


def _source(value: Any) -> Any:
    return f.to_enum(IdeaSource, value)


@attrs.frozen(kw_only=True)
class Idea:
    """One idea on a challenge's longlist.

    Example:
        >>> Idea(id="i1", challenge_id="c1", title="Text reminders", source="research_evidence").source
        <IdeaSource.RESEARCH_EVIDENCE: 'research_evidence'>
        >>> Idea(id="i1", challenge_id="c1", title="X", source="dream")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Idea.source: expected IdeaSource ('other_city', ...), got 'dream'
    """

    id: str = attrs.field(validator=f.slug)
    challenge_id: str = attrs.field(validator=f.slug)
    title: str = attrs.field(validator=f.text)
    source: IdeaSource = attrs.field(converter=_source, validator=f.member_of(IdeaSource))
    origin_city_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    description: str = attrs.field(default="", validator=f.any_text)


class InitiativeStatus(enum.Enum):
    """Where an initiative stands, from candidate to scaled, handed off or stopped.

    Example:
        >>> InitiativeStatus.PILOTING.is_selected, InitiativeStatus.CANDIDATE.is_selected
        (True, False)
    """

    CANDIDATE = "candidate"
    SELECTED = "selected"
    PLANNED = "planned"
    PROTOTYPING = "prototyping"
    PILOTING = "piloting"
    DELIVERING = "delivering"
    SCALED = "scaled"
    HANDED_OFF = "handed_off"
    STOPPED = "stopped"

    @property
    def is_selected(self) -> bool:
        """Whether the initiative is in the portfolio (selected and not stopped).

        Example:
            >>> InitiativeStatus.STOPPED.is_selected
            False
        """
        return self not in (InitiativeStatus.CANDIDATE, InitiativeStatus.STOPPED)


@attrs.frozen(kw_only=True)
class PlanStep:
    """One dated step of a work plan.

    Example:
        >>> PlanStep(title="Recruit partners", due="2015-03-31").done
        False
    """

    title: str = attrs.field(validator=f.text)
    due: dt.date | None = attrs.field(default=None, converter=f.to_date, validator=f.optional_date)
    owner: str | None = attrs.field(default=None, validator=f.optional_text)
    done: bool = attrs.field(default=False, validator=f.instance_of(bool))


@attrs.frozen(kw_only=True)
class WorkPlan:
    """An initiative's work plan (the method's *initiative work plan*, step 3D).

    The plan is *agreed* once ``agreed_on`` is set (the date the owners signed it off, step 3C);
    ``agreed_by`` may name who agreed.

    Example:
        >>> WorkPlan(summary="Pilot in two districts", start="2015-01-01", end="2014-12-31")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: WorkPlan.end: 2014-12-31 is before start 2015-01-01
    """

    summary: str = attrs.field(default="", validator=f.any_text)
    start: dt.date | None = attrs.field(
        default=None, converter=f.to_date, validator=f.optional_date
    )
    end: dt.date | None = attrs.field(default=None, converter=f.to_date, validator=f.optional_date)
    steps: tuple[PlanStep, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(PlanStep)
    )
    agreed_on: dt.date | None = attrs.field(
        default=None, converter=f.to_date, validator=f.optional_date
    )
    agreed_by: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.text_tuple
    )

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValidationError(
                f"WorkPlan.end: {self.end.isoformat()} is before start {self.start.isoformat()}"
            )

    @property
    def agreed(self) -> bool:
        """Whether the plan has been agreed.

        Example:
            >>> WorkPlan().agreed
            False
        """
        return self.agreed_on is not None

    def agree(self, on: dt.date, *by: str) -> WorkPlan:
        """A copy of the plan marked agreed on ``on`` (by the names given).

        Parameters:
            on: The day the plan was agreed, a date or ISO text (``"2015-02-01"``).
            *by: Who agreed, as non-blank names; added after any already recorded.

        Returns:
            A new plan; this one is unchanged.

        Raises:
            ValidationError: ``on`` is not a date, or a name is blank.

        Example:
            >>> WorkPlan().agree(dt.date(2015, 2, 1), "Public Works").agreed_by
            ('Public Works',)
        """
        return attrs.evolve(self, agreed_on=on, agreed_by=(*self.agreed_by, *by))


def _status(value: Any) -> Any:
    return f.to_enum(InitiativeStatus, value)


def _sms(value: Any) -> Any:
    return None if value is None else f.to_enum(SMSLevel, value)


def _nesta(value: Any) -> Any:
    return None if value is None else f.to_enum(NestaLevel, value)


@attrs.frozen(kw_only=True)
class Initiative:
    """Something a team delivers against one or more challenges.

    ``owner`` is who runs it (a department, partner or person: free text); ``long_term_owner`` is
    who keeps it going after the team moves on (step 4C).

    Example:
        >>> Initiative(id="memfix", title="MEMFix", challenge_ids=["vacancy"], city_id="memphis",
        ...     status="handed_off", long_term_owner="BLDG Memphis").is_selected
        True
        >>> Initiative(id="x", title="X", challenge_ids=[], city_id="memphis")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Initiative.challenge_ids: expected at least one id, got none
    """

    id: str = attrs.field(validator=f.slug)
    title: str = attrs.field(validator=f.text)
    city_id: str = attrs.field(validator=f.slug)
    challenge_ids: tuple[str, ...] = attrs.field(
        converter=f.to_tuple, validator=f.nonempty_slug_tuple
    )
    idea_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.slug_tuple
    )
    owner: str | None = attrs.field(default=None, validator=f.optional_text)
    status: InitiativeStatus = attrs.field(
        default=InitiativeStatus.CANDIDATE,
        converter=_status,
        validator=f.member_of(InitiativeStatus),
    )
    work_plan: WorkPlan | None = attrs.field(
        default=None, validator=attrs.validators.optional(f.instance_of(WorkPlan))
    )
    target_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.slug_tuple
    )
    evidence_level: SMSLevel | None = attrs.field(
        default=None, converter=_sms, validator=attrs.validators.optional(f.member_of(SMSLevel))
    )
    nesta_level: NestaLevel | None = attrs.field(
        default=None,
        converter=_nesta,
        validator=attrs.validators.optional(f.member_of(NestaLevel)),
    )
    long_term_owner: str | None = attrs.field(default=None, validator=f.optional_text)

    @property
    def is_selected(self) -> bool:
        """Whether the initiative is in the portfolio (selected or further on, not stopped).

        Example:
            >>> Initiative(id="x", title="X", challenge_ids=["c"], city_id="y").is_selected
            False
        """
        return self.status.is_selected

    def with_status(self, status: InitiativeStatus | str) -> Initiative:
        """A copy with a new status.

        Parameters:
            status: The new status, an :class:`InitiativeStatus` or its value (``"piloting"``).

        Returns:
            A new initiative; this one is unchanged.

        Raises:
            ValidationError: ``status`` is not an initiative status.

        Example:
            >>> i = Initiative(id="x", title="X", challenge_ids=["c"], city_id="y")
            >>> i.with_status("piloting").status
            <InitiativeStatus.PILOTING: 'piloting'>
        """
        return attrs.evolve(self, status=status)

    def with_work_plan(self, plan: WorkPlan) -> Initiative:
        """A copy with ``plan`` as its work plan.

        Parameters:
            plan: The work plan, replacing any the initiative had.

        Returns:
            A new initiative; this one is unchanged.

        Raises:
            ValidationError: ``plan`` is not a :class:`WorkPlan`.

        Example:
            >>> i = Initiative(id="x", title="X", challenge_ids=["c"], city_id="y")
            >>> i.with_work_plan(WorkPlan(summary="s")).work_plan.summary
            's'
        """
        return attrs.evolve(self, work_plan=plan)

    def add_target(self, target_id: str) -> Initiative:
        """A copy with ``target_id`` added to its targets.

        Parameters:
            target_id: The id (a slug) of a target the initiative works towards.

        Returns:
            A new initiative; this one is unchanged.

        Raises:
            IdentifierError: ``target_id`` is not a slug.
            ValidationError: The initiative already lists ``target_id``.

        Example:
            >>> Initiative(id="x", title="X", challenge_ids=["c"], city_id="y").add_target(
            ...     "t1").target_ids
            ('t1',)
        """
        return attrs.evolve(self, target_ids=(*self.target_ids, target_id))
