"""Priority areas and challenges: what the mayor wants changed, framed so a team can work on it.

- :class:`PriorityArea` is one of the mayor's priority areas (playbook step 0B), in a
  :class:`PolicyDomain`.
- :class:`Challenge` is a problem within a priority area: a statement, a status (preliminary while
  the team investigates, final once settled, or retired), its :class:`ContributingIssue` s (the
  method's word for root causes, each with its evidence), the ids of the metrics chosen for it, and
  where it stands in the method (``phase``, with a dated ``history`` of
  :class:`~civicinnov.model.PhaseChange` entries).

A new challenge starts in *Getting Started*. A challenge recorded from a source that does not say
which phase it reached has ``phase=None`` ("not reported"): reports show it as such, and the gates
(:func:`~civicinnov.model.check_gate`, :func:`~civicinnov.model.advance`) refuse to move it until
someone records the phase it stands in. A default phase is never presented as a reported one.

Challenges change through named methods that return new objects (:meth:`Challenge.with_status`,
:meth:`Challenge.finalise`, :meth:`Challenge.add_contributing_issue`, :meth:`Challenge.add_metric`,
:meth:`Challenge.retire`); phases change only through :func:`civicinnov.model.advance`,
which checks the method's gates.

Example:
    >>> ch = Challenge(id="murder", city_id="new-orleans", priority_area_id="public-safety",
    ...                statement="Reduce murders", policy_domain=PolicyDomain.PUBLIC_SAFETY)
    >>> ch = ch.add_contributing_issue(ContributingIssue(id="groups",
    ...     statement="A few groups drive most killings", evidence=["NOPD data audit"]))
    >>> ch = ch.add_metric("murders").finalise()
    >>> ch.status, ch.metric_ids
    (<ChallengeStatus.FINAL: 'final'>, ('murders',))
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from civicinnov import _values as f
from civicinnov.errors import ValidationError
from civicinnov.model._phase import Phase, PhaseChange

__all__ = [
    "Challenge",
    "ChallengeStatus",
    "ContributingIssue",
    "PolicyDomain",
    "PriorityArea",
]


class PolicyDomain(enum.Enum):
    """The policy field a priority area or challenge belongs to.

    Example:
        >>> PolicyDomain("blight_and_vacancy")
        <PolicyDomain.BLIGHT_AND_VACANCY: 'blight_and_vacancy'>
    """

    PUBLIC_SAFETY = "public_safety"
    HOUSING = "housing"
    BLIGHT_AND_VACANCY = "blight_and_vacancy"
    ECONOMIC_DEVELOPMENT = "economic_development"
    INFRASTRUCTURE = "infrastructure"
    HOMELESSNESS = "homelessness"
    CUSTOMER_SERVICE = "customer_service"
    HEALTH = "health"
    EDUCATION = "education"
    TRANSPORT = "transport"
    ENVIRONMENT = "environment"
    SOCIAL_INCLUSION = "social_inclusion"
    COST_OF_LIVING = "cost_of_living"
    OTHER = "other"


def _domain(value: Any) -> Any:
    return f.to_enum(PolicyDomain, value)


@attrs.frozen(kw_only=True)
class PriorityArea:
    """One of the mayor's priority areas in a city.

    Example:
        >>> PriorityArea(id="handgun-violence", city_id="memphis", name="Handgun violence",
        ...              policy_domain="public_safety").policy_domain
        <PolicyDomain.PUBLIC_SAFETY: 'public_safety'>
    """

    id: str = attrs.field(validator=f.slug)
    city_id: str = attrs.field(validator=f.slug)
    name: str = attrs.field(validator=f.text)
    policy_domain: PolicyDomain = attrs.field(
        default=PolicyDomain.OTHER, converter=_domain, validator=f.member_of(PolicyDomain)
    )


class ChallengeStatus(enum.Enum):
    """A challenge is preliminary while investigated (1B), final once settled (1D), or retired.

    Example:
        >>> ChallengeStatus("retired")
        <ChallengeStatus.RETIRED: 'retired'>
    """

    PRELIMINARY = "preliminary"
    FINAL = "final"
    RETIRED = "retired"


def _status(value: Any) -> Any:
    return f.to_enum(ChallengeStatus, value)


@attrs.frozen(kw_only=True)
class ContributingIssue:
    """A driver of a challenge (the playbook's *contributing issue*), with the evidence for it.

    ``evidence`` holds short free-text references (a data analysis, interviews, a report).

    Example:
        >>> ContributingIssue(id="vacant-lots", statement="Vacant lots attract dumping",
        ...                   evidence="311 complaints 2014").evidence
        ('311 complaints 2014',)
    """

    id: str = attrs.field(validator=f.slug)
    statement: str = attrs.field(validator=f.text)
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.text_tuple
    )


def _check_issues(instance: Any, attribute: Any, value: Any) -> None:
    f.tuple_of(ContributingIssue)(instance, attribute, value)
    seen: set[str] = set()
    for i, issue in enumerate(value):
        if issue.id in seen:
            raise ValidationError(
                f"Challenge.contributing_issues[{i}]: id {issue.id!r} appears twice in challenge "
                f"{instance.id!r}; expected distinct ids"
            )
        seen.add(issue.id)


def _phase(value: Any) -> Any:
    return None if value is None else f.to_enum(Phase, value)


def _optional_phase(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        f.member_of(Phase)(instance, attribute, value)


def _check_history(instance: Any, attribute: Any, value: Any) -> None:
    f.tuple_of(PhaseChange)(instance, attribute, value)
    for i in range(1, len(value)):
        before, after = value[i - 1], value[i]
        if after.from_phase is not before.to_phase:
            raise ValidationError(
                f"Challenge.history[{i}]: starts from {after.from_phase.value!r} but the previous "
                f"change ended in {before.to_phase.value!r}; expected a continuous history"
            )
        if after.on < before.on:
            raise ValidationError(
                f"Challenge.history[{i}]: dated {after.on.isoformat()}, before the previous change "
                f"on {before.on.isoformat()}; expected dates in order"
            )


@attrs.frozen(kw_only=True)
class Challenge:
    """A challenge a team works on, and where it stands in the method.

    ``phase`` is where the challenge stands, or None when no source reports it (see the module
    docs); a history needs a phase.

    Example:
        >>> Challenge(id="c1", city_id="mobile", statement="Reduce blight").phase
        <Phase.GETTING_STARTED: 'getting_started'>
        >>> Challenge(id="c1", city_id="mobile", statement="Reduce blight", phase=None).phase is None
        True
        >>> Challenge(id="c1", city_id="mobile", statement="Reduce blight", metric_ids=["Blight"])
        Traceback (most recent call last):
        ...
        civicinnov.errors.IdentifierError: Challenge.metric_ids[0]: expected a slug (...), got 'Blight'
    """

    id: str = attrs.field(validator=f.slug)
    city_id: str = attrs.field(validator=f.slug)
    priority_area_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    statement: str = attrs.field(validator=f.text)
    status: ChallengeStatus = attrs.field(
        default=ChallengeStatus.PRELIMINARY,
        converter=_status,
        validator=f.member_of(ChallengeStatus),
    )
    contributing_issues: tuple[ContributingIssue, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=_check_issues
    )
    metric_ids: tuple[str, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.slug_tuple
    )
    policy_domain: PolicyDomain = attrs.field(
        default=PolicyDomain.OTHER, converter=_domain, validator=f.member_of(PolicyDomain)
    )
    phase: Phase | None = attrs.field(
        default=Phase.GETTING_STARTED,
        converter=_phase,
        validator=_optional_phase,
    )
    history: tuple[PhaseChange, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=_check_history
    )

    def __attrs_post_init__(self) -> None:
        if self.history and self.history[-1].to_phase is not self.phase:
            shown = "not reported (None)" if self.phase is None else repr(self.phase.value)
            raise ValidationError(
                f"Challenge.phase: {shown}, but the last history entry moved the "
                f"challenge {self.id!r} to {self.history[-1].to_phase.value!r}; expected them "
                "to agree"
            )

    def with_status(self, status: ChallengeStatus | str) -> Challenge:
        """A copy with a new status.

        Parameters:
            status: The new status, a :class:`ChallengeStatus` or its value (``"final"``).

        Returns:
            A new challenge; this one is unchanged.

        Raises:
            ValidationError: ``status`` is not a challenge status.

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").with_status("final").status
            <ChallengeStatus.FINAL: 'final'>
        """
        return attrs.evolve(self, status=status)

    def finalise(self) -> Challenge:
        """A copy marked final (playbook step 1D).

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").finalise().status.value
            'final'
        """
        return self.with_status(ChallengeStatus.FINAL)

    def retire(self) -> Challenge:
        """A copy marked retired: dropped, or handed on; it no longer changes phase.

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").retire().status.value
            'retired'
        """
        return self.with_status(ChallengeStatus.RETIRED)

    def with_statement(self, statement: str) -> Challenge:
        """A copy with a reworded statement.

        Parameters:
            statement: The new statement, non-blank text.

        Returns:
            A new challenge; this one is unchanged.

        Raises:
            ValidationError: ``statement`` is not non-blank text.

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").with_statement("T").statement
            'T'
        """
        return attrs.evolve(self, statement=statement)

    def add_contributing_issue(self, issue: ContributingIssue) -> Challenge:
        """A copy with ``issue`` added (its id must be new to the challenge).

        Parameters:
            issue: The contributing issue to add, after those already there.

        Returns:
            A new challenge; this one is unchanged.

        Raises:
            ValidationError: ``issue`` is not a :class:`ContributingIssue`, or the challenge already
                has an issue with its id.

        Example:
            >>> ch = Challenge(id="c", city_id="x", statement="S")
            >>> issue = ContributingIssue(id="i", statement="Why")
            >>> ch.add_contributing_issue(issue).add_contributing_issue(issue)
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: Challenge.contributing_issues[1]: id 'i' appears twice ...
        """
        return attrs.evolve(self, contributing_issues=(*self.contributing_issues, issue))

    def add_metric(self, metric_id: str) -> Challenge:
        """A copy with ``metric_id`` added to its metrics (playbook step 1E).

        Parameters:
            metric_id: The id (a slug) of a metric definition that measures the challenge.

        Returns:
            A new challenge; this one is unchanged.

        Raises:
            IdentifierError: ``metric_id`` is not a slug.
            ValidationError: The challenge already lists ``metric_id``.

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").add_metric("murders").metric_ids
            ('murders',)
        """
        return attrs.evolve(self, metric_ids=(*self.metric_ids, metric_id))

    def contributing_issue(self, issue_id: str) -> ContributingIssue | None:
        """The contributing issue with ``issue_id``, or None.

        Parameters:
            issue_id: The id of the contributing issue.

        Returns:
            The issue with that id, or ``None`` when the challenge has none.

        Example:
            >>> Challenge(id="c", city_id="x", statement="S").contributing_issue("i") is None
            True
        """
        for issue in self.contributing_issues:
            if issue.id == issue_id:
                return issue
        return None
