"""The method as rules: the gate before each phase, its report, and ``advance``.

The Innovation Delivery method (Bloomberg Philanthropies, *Transform Your City Through Innovation*,
2014) runs a challenge through a preparatory phase and four numbered steps. Here they are the
ordered :class:`Phase` values, plus ``COMPLETE`` for a challenge whose delivery is done:

=====================  ==========================  ================================================
Phase                  playbook                    the gate to enter the *next* phase asks for
=====================  ==========================  ================================================
``GETTING_STARTED``    Getting Started             a priority area chosen by the mayor
``INVESTIGATE``        1. Investigate the Problem  a final challenge, with >= 1 contributing issue
                                                   and >= 1 metric
``GENERATE``           2. Generate New Ideas       an idea longlist with >= 1 idea looked for
                                                   elsewhere (another city or research evidence)
``PREPARE``            3. Prepare to Deliver       >= 1 selected initiative, each with an agreed
                                                   work plan and a final target
``DELIVER``            4. Deliver and Adapt        results reported against every target, and a
                                                   long-term owner
``COMPLETE``           (delivery done)             --
=====================  ==========================  ================================================

The playbook does not spell out its gates; the default criteria (:data:`DEFAULT_CRITERIA`) are
inferred from the closing steps of each phase, and the method is a default, not a cage: every
function takes ``criteria=`` to use your own :class:`Criterion` objects instead. A sequence
replaces the criteria of the next gate; a mapping from the phase being entered to its criteria is
a policy for every gate. To change one criterion and keep the rest, build the policy with
:func:`with_criteria`, which replaces (or adds) criteria *by id* and drops the ones you name:

    >>> stricter = with_criteria(Phase.PREPARE, idea_longlist(5))
    >>> [c.id for c in stricter[Phase.PREPARE]]
    ['idea-longlist', 'looked-elsewhere']
    >>> generating = Challenge(id="c", city_id="x", statement="S", phase=Phase.GENERATE)
    >>> print(check_gate(generating, GateContext(), criteria=stricter).results[0])
    [FAILS] idea-longlist: 0 idea(s) on the longlist; expected at least 5 (step 2B)

:func:`check_gate` evaluates *every* criterion of the next gate and returns a :class:`GateReport`
(what holds, what does not, and why). :func:`advance` returns a new challenge one phase further on
with a dated :class:`PhaseChange` in its history, or raises :class:`~civicinnov.errors.GateError`
carrying the report. Moving backwards or skipping a phase raises
:class:`~civicinnov.errors.TransitionError`.

Gate checks read a :class:`GateContext`: the ideas, initiatives and targets around the challenge,
which targets have results reported, and an optional long-term owner. Targets only need an ``id``
and a ``stage`` (:class:`TargetLike`), so this module does not depend on :mod:`civicinnov.metrics`.

The phases, their order and the playbook's steps live in ``civicinnov.model._phase``.

Example:
    >>> import datetime as dt
    >>> ch = Challenge(id="murder", city_id="new-orleans", statement="Reduce murders",
    ...                priority_area_id="public-safety")
    >>> ch = advance(ch, GateContext(), on=dt.date(2012, 5, 1))
    >>> ch.phase, ch.history[-1].on
    (<Phase.INVESTIGATE: 'investigate'>, datetime.date(2012, 5, 1))
    >>> report = check_gate(ch, GateContext())
    >>> report.failing_ids
    ('challenge-final', 'contributing-issues', 'metrics')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import attrs

from civicinnov import _values as f
from civicinnov.errors import GateError, TransitionError, ValidationError
from civicinnov.model._challenge import Challenge, ChallengeStatus
from civicinnov.model._initiative import Idea, Initiative, TargetStage
from civicinnov.model._phase import Phase, PhaseChange, phase_of

__all__ = [
    "DEFAULT_CRITERIA",
    "Criterion",
    "CriterionResult",
    "GateContext",
    "GateReport",
    "TargetLike",
    "advance",
    "check_gate",
    "default_criteria",
    "idea_longlist",
    "with_criteria",
]


# -- gate context, criteria and reports --------------------------------------------------------


@runtime_checkable
class TargetLike(Protocol):
    """What a gate needs to know of a target: its id and its stage (``metrics.Target`` fits).

    Example:
        >>> @attrs.frozen
        ... class T:
        ...     id: str
        ...     stage: TargetStage
        >>> isinstance(T("t1", TargetStage.FINAL), TargetLike)
        True
    """

    @property
    def id(self) -> str:
        """The target's id."""
        ...

    @property
    def stage(self) -> TargetStage:
        """Preliminary or final."""
        ...


def _check_targets(instance: Any, attribute: Any, value: tuple[Any, ...]) -> None:
    for i, target in enumerate(value):
        if not isinstance(target, TargetLike) or not isinstance(target.stage, TargetStage):
            raise ValidationError(
                f"GateContext.targets[{i}]: expected an object with an id and a TargetStage "
                f"stage, got {type(target).__name__} {target!r}"
            )


def _frozenset(value: Any) -> Any:
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value) if isinstance(value, Iterable) else value


@attrs.frozen(kw_only=True)
class GateContext:
    """What the gate checks read besides the challenge itself.

    ``ideas`` and ``initiatives`` may include those of other challenges: the checks keep the ones
    that belong to the challenge (``Idea.challenge_id``, ``Initiative.challenge_ids``).
    ``targets`` resolve the initiatives' ``target_ids``; ``reported_target_ids`` says which targets
    have results reported against them; ``long_term_owner`` names who keeps the work of the whole
    challenge going. Without it, the ``long-term-owner`` criterion asks every selected initiative
    for its own ``long_term_owner`` and names those that have none.

    Example:
        >>> ctx = GateContext(ideas=[Idea(id="i", challenge_id="c", title="T", source="staff")])
        >>> len(ctx.ideas_for("c")), len(ctx.ideas_for("d"))
        (1, 0)
    """

    ideas: tuple[Idea, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Idea)
    )
    initiatives: tuple[Initiative, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=f.tuple_of(Initiative)
    )
    targets: tuple[TargetLike, ...] = attrs.field(
        default=(), converter=f.to_tuple, validator=_check_targets
    )
    reported_target_ids: frozenset[str] = attrs.field(factory=frozenset, converter=_frozenset)
    long_term_owner: str | None = attrs.field(default=None, validator=f.optional_text)

    def ideas_for(self, challenge_id: str) -> tuple[Idea, ...]:
        """The ideas on ``challenge_id``'s longlist.

        Parameters:
            challenge_id: The id of the challenge.

        Returns:
            The context's ideas whose ``challenge_id`` is ``challenge_id``, in context order.

        Example:
            >>> GateContext().ideas_for("c")
            ()
        """
        return tuple(i for i in self.ideas if i.challenge_id == challenge_id)

    def initiatives_for(self, challenge_id: str) -> tuple[Initiative, ...]:
        """The initiatives that work on ``challenge_id``.

        Parameters:
            challenge_id: The id of the challenge.

        Returns:
            The context's initiatives that list ``challenge_id`` among their ``challenge_ids``, in
            context order.

        Example:
            >>> init = Initiative(id="i", title="I", city_id="x", challenge_ids=["c", "d"])
            >>> [i.id for i in GateContext(initiatives=[init]).initiatives_for("d")]
            ['i']
        """
        return tuple(i for i in self.initiatives if challenge_id in i.challenge_ids)

    def selected_for(self, challenge_id: str) -> tuple[Initiative, ...]:
        """The selected (not candidate, not stopped) initiatives that work on ``challenge_id``.

        Parameters:
            challenge_id: The id of the challenge.

        Returns:
            The initiatives of :meth:`initiatives_for` whose status is selected or further on.

        Example:
            >>> init = Initiative(id="i", title="I", city_id="x", challenge_ids=["c"])
            >>> GateContext(initiatives=[init]).selected_for("c")
            ()
        """
        return tuple(i for i in self.initiatives_for(challenge_id) if i.is_selected)

    def target(self, target_id: str) -> TargetLike | None:
        """The target with ``target_id``, or None.

        Parameters:
            target_id: The id of a target.

        Returns:
            The first of the context's targets with that id, or ``None`` when there is none.

        Example:
            >>> GateContext().target("t1") is None
            True
        """
        for t in self.targets:
            if t.id == target_id:
                return t
        return None


#: A gate check: given the challenge and its context, does the criterion hold, and why (not)?
CheckFunction = Callable[["Challenge", GateContext], tuple[bool, str]]


@attrs.frozen(kw_only=True)
class Criterion:
    """One condition for entering a phase: an id, a description, and a check.

    ``check(challenge, context)`` returns ``(holds, reason)``; the reason explains the verdict
    either way. ``step`` optionally names the playbook step it comes from (``"1D"``).

    Example:
        >>> has_statement = Criterion(id="statement", description="the challenge has a statement",
        ...     check=lambda ch, ctx: (bool(ch.statement), f"statement: {ch.statement!r}"))
        >>> from civicinnov.model import Challenge
        >>> has_statement.evaluate(Challenge(id="c", city_id="x", statement="S"), GateContext()).holds
        True
    """

    id: str = attrs.field(validator=f.slug)
    description: str = attrs.field(validator=f.text)
    check: CheckFunction = attrs.field(eq=False)
    step: str | None = attrs.field(default=None)

    @check.validator
    def _callable(self, attribute: Any, value: Any) -> None:  # noqa: ARG002 - an attrs validator signature
        if not callable(value):
            raise ValidationError(
                f"Criterion.check: expected a function (challenge, context) -> (holds, reason), "
                f"got {type(value).__name__} {value!r}"
            )

    def evaluate(self, challenge: Challenge, context: GateContext) -> CriterionResult:
        """Run the check and wrap its verdict in a :class:`CriterionResult`.

        Parameters:
            challenge: The challenge the gate is checked for.
            context: What the check reads besides the challenge.

        Returns:
            The verdict, with this criterion's id and description and the check's reason.

        Raises:
            ValidationError: The check returned something other than a ``(bool, str)`` pair.

        Example:
            >>> from civicinnov.model import Challenge
            >>> crit = default_criteria(Phase.INVESTIGATE)[0]
            >>> crit.evaluate(Challenge(id="c", city_id="x", statement="S"), GateContext()).holds
            False
        """
        verdict = self.check(challenge, context)
        if (
            not isinstance(verdict, tuple)
            or len(verdict) != 2
            or not isinstance(verdict[0], bool)
            or not isinstance(verdict[1], str)
        ):
            raise ValidationError(
                f"Criterion {self.id!r}: check returned {verdict!r}; expected (holds: bool, "
                "reason: str)"
            )
        return CriterionResult(
            criterion_id=self.id, description=self.description, holds=verdict[0], reason=verdict[1]
        )


@attrs.frozen(kw_only=True)
class CriterionResult:
    """The verdict of one criterion.

    Example:
        >>> CriterionResult(criterion_id="metrics", description="d", holds=False, reason="none")
        CriterionResult(criterion_id='metrics', description='d', holds=False, reason='none')
    """

    criterion_id: str
    description: str
    holds: bool
    reason: str

    def __str__(self) -> str:
        mark = "holds" if self.holds else "FAILS"
        return f"[{mark}] {self.criterion_id}: {self.reason}"


@attrs.frozen(kw_only=True)
class GateReport:
    """Every criterion of one gate, for one challenge, with its verdict and reason.

    Example:
        >>> from civicinnov.model import Challenge
        >>> report = check_gate(Challenge(id="c", city_id="x", statement="S"), GateContext())
        >>> report.passed, report.to_phase
        (False, <Phase.INVESTIGATE: 'investigate'>)
        >>> print(report)
        gate Getting Started -> Investigate the Problem for challenge 'c': the 1 criterion fails
          [FAILS] priority-area-chosen: no priority area is set; expected the id of the ...
    """

    challenge_id: str
    from_phase: Phase
    to_phase: Phase
    results: tuple[CriterionResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every criterion holds.

        Example:
            >>> from civicinnov.model import Challenge
            >>> check_gate(Challenge(id="c", city_id="x", statement="S"), criteria=[]).passed
            True
        """
        return all(r.holds for r in self.results)

    @property
    def failures(self) -> tuple[CriterionResult, ...]:
        """The criteria that do not hold.

        Example:
            >>> from civicinnov.model import Challenge
            >>> ch = Challenge(id="c", city_id="x", statement="S")
            >>> [r.criterion_id for r in check_gate(ch).failures]
            ['priority-area-chosen']
        """
        return tuple(r for r in self.results if not r.holds)

    @property
    def failing_ids(self) -> tuple[str, ...]:
        """The ids of the criteria that do not hold, in criterion order.

        Example:
            >>> from civicinnov.model import Challenge
            >>> check_gate(Challenge(id="c", city_id="x", statement="S", priority_area_id="p")
            ...            ).failing_ids
            ()
        """
        return tuple(r.criterion_id for r in self.failures)

    def __str__(self) -> str:
        head = (
            f"gate {self.from_phase.title} -> {self.to_phase.title} for challenge "
            f"{self.challenge_id!r}: "
        )
        n = len(self.results)
        if self.passed:
            head += (
                "the 1 criterion holds"
                if n == 1
                else "no criteria to check"
                if n == 0
                else f"all {n} criteria hold"
            )
        else:
            head += (
                "the 1 criterion fails" if n == 1 else f"{len(self.failures)} of {n} criteria fail"
            )
        return "\n".join([head, *(f"  {r}" for r in self.results)])


# -- default criteria --------------------------------------------------------------------------


def _priority_area_chosen(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    if ch.priority_area_id is None:
        return False, (
            "no priority area is set; expected the id of the mayor's priority area this "
            "challenge belongs to (step 0B)"
        )
    return True, f"priority area {ch.priority_area_id!r}"


def _challenge_final(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:

    if ch.status is ChallengeStatus.FINAL:
        return True, "the challenge is final"
    return False, f"status is {ch.status.value!r}; expected 'final' (step 1D)"


def _contributing_issues(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    n = len(ch.contributing_issues)
    if n:
        return True, f"{n} contributing issue(s)"
    return False, "no contributing issues; expected at least one (step 1D)"


def _metrics(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    n = len(ch.metric_ids)
    if n:
        return True, f"{n} metric(s): {', '.join(ch.metric_ids)}"
    return False, "no metric selected; expected at least one metric id (step 1E)"


def idea_longlist(minimum: int = 1) -> Criterion:
    """The criterion "the challenge's idea longlist has at least ``minimum`` ideas".

    The default gate uses ``minimum=1``; pass your own to demand a longer list.

    Parameters:
        minimum: The fewest ideas the longlist may hold, a positive integer (1 by default).

    Returns:
        The criterion, with id ``idea-longlist`` and step ``2B``.

    Raises:
        ValidationError: ``minimum`` is not a positive integer.

    Example:
        >>> idea_longlist(10).description
        'an idea longlist of at least 10 idea(s) (step 2B)'
    """
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ValidationError(f"idea_longlist: expected a positive minimum, got {minimum!r}")

    def check(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
        n = len(ctx.ideas_for(ch.id))
        if n >= minimum:
            return True, f"{n} idea(s) on the longlist"
        return False, f"{n} idea(s) on the longlist; expected at least {minimum} (step 2B)"

    return Criterion(
        id="idea-longlist",
        description=f"an idea longlist of at least {minimum} idea(s) (step 2B)",
        check=check,
        step="2B",
    )


def _looked_elsewhere(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    found = [i.id for i in ctx.ideas_for(ch.id) if i.source.looked_elsewhere]
    if found:
        return True, f"looked elsewhere: {', '.join(found)}"
    return False, (
        "no idea comes from another city or from research evidence; expected at least one "
        "(step 2A, look elsewhere first)"
    )


def _initiatives_selected(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    selected = ctx.selected_for(ch.id)
    if selected:
        return True, f"{len(selected)} selected initiative(s): {', '.join(i.id for i in selected)}"
    return False, "no selected initiative; expected at least one (step 3A)"


def _work_plans_agreed(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    selected = ctx.selected_for(ch.id)
    missing = [i.id for i in selected if i.work_plan is None or not i.work_plan.agreed]
    if missing:
        return False, (
            f"no agreed work plan for initiative(s) {', '.join(missing)}; expected a work plan "
            "with an agreed_on date for each selected initiative (steps 3C, 3D)"
        )
    if not selected:
        return True, "no selected initiatives to check"
    return True, "every selected initiative has an agreed work plan"


def _final_targets(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    problems: list[str] = []
    selected = ctx.selected_for(ch.id)
    if not selected:
        return True, "no selected initiatives to check"
    for init in selected:
        targets = [ctx.target(t) for t in init.target_ids]
        unknown = [t for t, found in zip(init.target_ids, targets, strict=True) if found is None]
        if any(t is not None and t.stage is TargetStage.FINAL for t in targets):
            continue
        detail = "no targets" if not init.target_ids else "no final target"
        if unknown:
            detail += f" (unknown target id(s): {', '.join(unknown)})"
        problems.append(f"{init.id}: {detail}")
    if problems:
        return False, (
            "; ".join(problems) + "; expected at least one final target per selected initiative "
            "(step 3E)"
        )
    return True, "every selected initiative has a final target"


def _challenge_target_ids(ch: Challenge, ctx: GateContext) -> list[str]:
    ids: list[str] = []
    for init in ctx.selected_for(ch.id):
        ids.extend(t for t in init.target_ids if t not in ids)
    return ids


def _results_reported(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    ids = _challenge_target_ids(ch, ctx)
    if not ids:
        return False, "the selected initiatives have no targets to report results against"
    missing = [t for t in ids if t not in ctx.reported_target_ids]
    if missing:
        return False, (
            f"no results reported against target(s) {', '.join(missing)}; expected results for "
            "every target of the selected initiatives (step 4A)"
        )
    return True, f"results reported against all {len(ids)} target(s)"


def _long_term_owner(ch: Challenge, ctx: GateContext) -> tuple[bool, str]:
    if ctx.long_term_owner is not None:
        return True, f"long-term owner: {ctx.long_term_owner}"
    selected = ctx.selected_for(ch.id)
    if not selected:
        return False, "no long-term owner given and no selected initiatives (step 4C)"
    missing = [i.id for i in selected if i.long_term_owner is None]
    if missing:
        return False, (
            f"no long-term owner for initiative(s) {', '.join(missing)}; name the department "
            "that will keep each selected initiative going (its long_term_owner), or one owner "
            "for the whole challenge (step 4C)"
        )
    return True, "every selected initiative has a long-term owner"


#: The default criteria, keyed by the phase they guard entry to.
DEFAULT_CRITERIA: Mapping[Phase, tuple[Criterion, ...]] = {
    Phase.INVESTIGATE: (
        Criterion(
            id="priority-area-chosen",
            description="the mayor has chosen the priority area (step 0B)",
            check=_priority_area_chosen,
            step="0B",
        ),
    ),
    Phase.GENERATE: (
        Criterion(
            id="challenge-final",
            description="the challenge is final (step 1D)",
            check=_challenge_final,
            step="1D",
        ),
        Criterion(
            id="contributing-issues",
            description="at least one contributing issue (step 1D)",
            check=_contributing_issues,
            step="1D",
        ),
        Criterion(
            id="metrics",
            description="at least one metric (step 1E)",
            check=_metrics,
            step="1E",
        ),
    ),
    Phase.PREPARE: (
        idea_longlist(1),
        Criterion(
            id="looked-elsewhere",
            description="at least one idea from another city or research evidence (step 2A)",
            check=_looked_elsewhere,
            step="2A",
        ),
    ),
    Phase.DELIVER: (
        Criterion(
            id="initiatives-selected",
            description="at least one selected initiative (step 3A)",
            check=_initiatives_selected,
            step="3A",
        ),
        Criterion(
            id="work-plans-agreed",
            description="every selected initiative has an agreed work plan (steps 3C-3D)",
            check=_work_plans_agreed,
            step="3D",
        ),
        Criterion(
            id="final-targets",
            description="every selected initiative has a final target (step 3E)",
            check=_final_targets,
            step="3E",
        ),
    ),
    Phase.COMPLETE: (
        Criterion(
            id="results-reported",
            description="results reported against every target (step 4A)",
            check=_results_reported,
            step="4A",
        ),
        Criterion(
            id="long-term-owner",
            description="a long-term owner keeps the work going (step 4C)",
            check=_long_term_owner,
            step="4C",
        ),
    ),
}


def default_criteria(to_phase: Phase | str) -> tuple[Criterion, ...]:
    """The default criteria for entering ``to_phase``.

    Parameters:
        to_phase: The phase being entered, a :class:`Phase` or its value (``"generate"``).

    Returns:
        The criteria of :data:`DEFAULT_CRITERIA` for that phase; empty for a phase no gate enters
        (``getting_started``) and for a value that is not a phase.

    Example:
        >>> [c.id for c in default_criteria("generate")]
        ['challenge-final', 'contributing-issues', 'metrics']
    """
    return DEFAULT_CRITERIA.get(phase_of(to_phase), ())


Criteria = Sequence[Criterion] | Mapping[Phase, Sequence[Criterion]]


def with_criteria(
    phase: Phase | str,
    *criteria: Criterion,
    without: Iterable[str] = (),
    base: Mapping[Phase, Sequence[Criterion]] | None = None,
) -> dict[Phase, tuple[Criterion, ...]]:
    """A gate policy: the default criteria, with some criteria of one gate replaced or added by id.

    ``phase`` is the phase whose entry gate changes. Each of ``criteria`` whose id matches one of
    that gate's criteria takes its place (same position); the others are added at the end.
    ``without`` names criteria of that gate to drop. Every other gate keeps its criteria. The
    result maps *every* gated phase to its criteria, so it can be passed as ``criteria=`` to
    :func:`check_gate`, :func:`advance` or :meth:`civicinnov.programme.Portfolio.gate` whatever
    phase the challenge is in. ``base`` starts from another policy instead of
    :data:`DEFAULT_CRITERIA`, so calls chain to change several gates.

    Raises :class:`~civicinnov.errors.ValidationError` for a phase no gate enters
    (``getting_started``), anything other than a :class:`Criterion`, an id given twice, or an id in
    ``without`` that the gate does not have.

    Parameters:
        phase: The phase whose entry gate changes, a :class:`Phase` or its value.
        *criteria: Criteria that replace the gate's criterion of the same id, or are added after
            its criteria.
        without: Ids of the gate's criteria to drop (one id as a string is accepted).
        base: The policy to start from; :data:`DEFAULT_CRITERIA` when ``None``.

    Returns:
        A new policy mapping every phase a gate enters to its criteria; ``base`` is unchanged.

    Raises:
        ValidationError: ``phase`` is not a phase some gate enters, an item of ``criteria`` is not
            a :class:`Criterion`, an id is given twice or both given and in ``without``, or an id in
            ``without`` is not one of the gate's criteria.

    Example:
        >>> policy = with_criteria(Phase.PREPARE, idea_longlist(10))
        >>> [(c.id, c.description) for c in policy[Phase.PREPARE]]  # doctest: +NORMALIZE_WHITESPACE
        [('idea-longlist', 'an idea longlist of at least 10 idea(s) (step 2B)'),
         ('looked-elsewhere', 'at least one idea from another city or research evidence (step 2A)')]
        >>> policy[Phase.GENERATE] == default_criteria(Phase.GENERATE)
        True
        >>> strict = with_criteria("complete", without=["long-term-owner"], base=policy)
        >>> [c.id for c in strict[Phase.COMPLETE]], len(strict[Phase.PREPARE])
        (['results-reported'], 2)
        >>> with_criteria(Phase.COMPLETE, without=["owner"])
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: with_criteria: without: 'owner' is not a criterion of the gate into 'complete'; expected one of 'results-reported', 'long-term-owner'
    """
    wanted = phase_of(phase)
    gated = [p for p in Phase if p.previous is not None]
    if wanted not in gated:
        allowed = ", ".join(repr(p.value) for p in gated)
        raise ValidationError(
            f"with_criteria: phase: expected a phase some gate enters ({allowed}), got {phase!r}"
        )
    source = DEFAULT_CRITERIA if base is None else base
    policy: dict[Phase, tuple[Criterion, ...]] = {p: tuple(source.get(p, ())) for p in gated}
    given: dict[str, Criterion] = {}
    for i, c in enumerate(criteria):
        if not isinstance(c, Criterion):
            raise ValidationError(
                f"with_criteria: criteria[{i}]: expected a Criterion, got {type(c).__name__} {c!r}"
            )
        if c.id in given:
            raise ValidationError(
                f"with_criteria: criteria[{i}]: id {c.id!r} is given twice; expected distinct ids"
            )
        given[c.id] = c
    drop = [without] if isinstance(without, str) else list(without)
    both = [name for name in drop if name in given]
    if both:
        raise ValidationError(
            f"with_criteria: {', '.join(repr(b) for b in both)} is both given and in without; "
            "expected a criterion to be either replaced or dropped"
        )
    current = policy[wanted]
    known = [c.id for c in current]
    for name in drop:
        if name not in known:
            expected = ", ".join(repr(k) for k in known) or "none: the gate has no criteria"
            raise ValidationError(
                f"with_criteria: without: {name!r} is not a criterion of the gate into "
                f"{wanted.value!r}; expected one of {expected}"
            )
    kept = [given.pop(c.id, c) for c in current if c.id not in drop]
    policy[wanted] = (*kept, *given.values())
    return policy


def _criteria_for(to_phase: Phase, criteria: Criteria | None) -> tuple[Criterion, ...]:
    if criteria is None:
        chosen: tuple[Criterion, ...] = default_criteria(to_phase)
    elif isinstance(criteria, Mapping):
        chosen = tuple(criteria.get(to_phase, ()))
    else:
        chosen = tuple(criteria)
    seen: set[str] = set()
    for i, c in enumerate(chosen):
        if not isinstance(c, Criterion):
            raise ValidationError(
                f"criteria[{i}]: expected a Criterion, got {type(c).__name__} {c!r}"
            )
        if c.id in seen:
            raise ValidationError(
                f"criteria[{i}]: id {c.id!r} appears twice; expected distinct ids"
            )
        seen.add(c.id)
    return chosen


def check_gate(
    challenge: Challenge,
    context: GateContext | None = None,
    criteria: Criteria | None = None,
) -> GateReport:
    """Check every criterion for moving ``challenge`` into the phase after its current one.

    ``criteria`` replaces the defaults: a sequence of :class:`Criterion` for this gate, or a
    mapping from the phase being entered to its criteria (build one with :func:`with_criteria` to
    replace or add single criteria by id and keep the other defaults). All criteria are
    evaluated, so the report lists every failure, not just the first.

    Parameters:
        challenge: The challenge; its ``phase`` says which gate is checked (the one into the next
            phase).
        context: What the checks read besides the challenge; an empty :class:`GateContext` when
            ``None``.
        criteria: The criteria of this gate, or a mapping from the phase entered to its criteria;
            :func:`default_criteria` when ``None``.

    Returns:
        The report of every criterion, passed or not.

    Raises:
        TransitionError: The challenge's phase is not reported (``None``) or is the last phase.
        ValidationError: An item of the criteria is not a :class:`Criterion`, two share an id, or a
            check returned something other than a ``(bool, str)`` pair.

    Example:
        >>> from civicinnov.model import Challenge, ChallengeStatus
        >>> ch = Challenge(id="c", city_id="x", statement="S", phase=Phase.INVESTIGATE,
        ...                status=ChallengeStatus.FINAL, metric_ids=["murders"])
        >>> report = check_gate(ch, GateContext())
        >>> [(r.criterion_id, r.holds) for r in report.results]
        [('challenge-final', True), ('contributing-issues', False), ('metrics', True)]
    """
    from_phase = _reported_phase(challenge)
    to_phase = from_phase.next
    if to_phase is None:
        raise TransitionError(
            f"challenge {challenge.id!r} is already {from_phase.value!r}; there is no gate "
            "after the last phase"
        )
    ctx = GateContext() if context is None else context
    results = tuple(c.evaluate(challenge, ctx) for c in _criteria_for(to_phase, criteria))
    return GateReport(
        challenge_id=challenge.id, from_phase=from_phase, to_phase=to_phase, results=results
    )


def _reported_phase(challenge: Challenge) -> Phase:
    """The challenge's phase; a phase that is not reported (None) has no gate to check."""
    if challenge.phase is None:
        raise TransitionError(
            f"challenge {challenge.id!r}: no source reports which phase it is in, so there is no "
            "next gate to check; record the phase it stands in (the challenge's 'phase')"
        )
    return challenge.phase


def advance(
    challenge: Challenge,
    context: GateContext | None,
    on: dt.date,
    note: str = "",
    criteria: Criteria | None = None,
    *,
    to: Phase | str | None = None,
) -> Challenge:
    """Move ``challenge`` into the next phase if every gate criterion holds.

    Returns a new challenge with ``phase`` advanced and a :class:`PhaseChange` dated ``on``
    appended to its history; ``context=None`` means an empty :class:`GateContext`. Raises :class:`~civicinnov.errors.GateError` (its ``report`` holds
    the full :class:`GateReport`, its ``problems`` one line per failing criterion) when any
    criterion fails, and :class:`~civicinnov.errors.TransitionError` when ``to`` is not the next
    phase (backwards or skipping), the challenge is retired or complete, or ``on`` is before the
    last change.

    Parameters:
        challenge: The challenge to move; it is not changed.
        context: What the checks read besides the challenge; an empty :class:`GateContext` when
            ``None``.
        on: The date of the move (a :class:`datetime.date`, not a ``datetime``); not before the
            last change in the history.
        note: Free text kept on the :class:`PhaseChange` (empty by default).
        criteria: As in :func:`check_gate`; the default criteria when ``None``.
        to: The phase the caller means to enter, checked to be the next one; ``None`` skips that
            check.

    Returns:
        A new challenge in the next phase, with the change appended to its history.

    Raises:
        ValidationError: ``on`` is not a date, ``note`` is not text, or the criteria are not valid
            (as in :func:`check_gate`).
        TransitionError: The phase is not reported, the challenge is retired or in the last phase,
            ``to`` is not the next phase, or ``on`` is before the last change.
        GateError: A criterion fails; ``report`` holds the full :class:`GateReport`.

    Example:
        >>> from civicinnov.model import Challenge
        >>> ch = Challenge(id="c", city_id="x", statement="S", phase=Phase.INVESTIGATE)
        >>> advance(ch, GateContext(), on=dt.date(2015, 3, 1))
        Traceback (most recent call last):
        ...
        civicinnov.errors.GateError: challenge 'c' cannot enter Generate New Ideas: 3 of 3 criteria fail:
          - challenge-final: status is 'preliminary'; expected 'final' (step 1D)
          - contributing-issues: no contributing issues; expected at least one (step 1D)
          - metrics: no metric selected; expected at least one metric id (step 1E)
        >>> advance(ch, GateContext(), on=dt.date(2015, 3, 1), to=Phase.GETTING_STARTED)
        Traceback (most recent call last):
        ...
        civicinnov.errors.TransitionError: challenge 'c' cannot move back from Investigate the Problem to Getting Started; phases only move forward
    """
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValidationError(f"advance: on: expected a date, got {type(on).__name__} {on!r}")
    current = _reported_phase(challenge)
    if challenge.status is ChallengeStatus.RETIRED:
        raise TransitionError(
            f"challenge {challenge.id!r} is retired; a retired challenge does not change phase"
        )
    nxt = current.next
    if to is not None:
        wanted = phase_of(to)
        if not isinstance(wanted, Phase):
            allowed = ", ".join(repr(p.value) for p in Phase)
            raise TransitionError(f"advance: to: expected a Phase ({allowed}), got {to!r}")
        if wanted <= current:
            verb = "stay in" if wanted is current else "move back from"
            target = "" if wanted is current else f" to {wanted.title}"
            raise TransitionError(
                f"challenge {challenge.id!r} cannot {verb} {current.title}{target}; phases only "
                "move forward"
            )
        if wanted is not nxt:
            raise TransitionError(
                f"challenge {challenge.id!r} cannot skip from {current.title} to {wanted.title}; "
                f"the next phase is {nxt.title if nxt else None} (advance one gate at a time)"
            )
    if nxt is None:
        raise TransitionError(
            f"challenge {challenge.id!r} is already {current.value!r}; there is no next phase"
        )
    if challenge.history and on < challenge.history[-1].on:
        raise TransitionError(
            f"challenge {challenge.id!r}: change dated {on.isoformat()} is before the last change "
            f"on {challenge.history[-1].on.isoformat()}; expected a date on or after it"
        )
    report = check_gate(challenge, context, criteria)
    if not report.passed:
        lines = [f"{r.criterion_id}: {r.reason}" for r in report.failures]
        count = (
            "the 1 criterion fails"
            if len(report.results) == 1
            else f"{len(lines)} of {len(report.results)} criteria fail"
        )
        message = f"challenge {challenge.id!r} cannot enter {nxt.title}: {count}:\n" + "\n".join(
            f"  - {line}" for line in lines
        )
        raise GateError(message, report=report, problems=lines)
    change = PhaseChange(from_phase=current, to_phase=nxt, on=on, note=note)
    return attrs.evolve(challenge, phase=nxt, history=(*challenge.history, change))
