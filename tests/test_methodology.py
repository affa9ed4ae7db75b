"""Tests for civicinnov.model: phases, steps, gate criteria, reports, transitions."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, strategies as st
from tests.strategies import challenges, ideas, initiatives

from civicinnov.errors import GateError, TransitionError, ValidationError
from civicinnov.model import (
    DEFAULT_CRITERIA,
    STEPS,
    Challenge,
    ChallengeStatus,
    ContributingIssue,
    Criterion,
    GateContext,
    GateReport,
    Idea,
    IdeaSource,
    Initiative,
    InitiativeStatus,
    Phase,
    PhaseChange,
    TargetLike,
    TargetStage,
    WorkPlan,
    advance,
    check_gate,
    default_criteria,
    idea_longlist,
    steps,
    with_criteria,
)

DAY = dt.date(2015, 1, 5)


@attrs.frozen
class Target:
    """A stand-in for metrics.Target: only what the gates read."""

    id: str
    stage: TargetStage


def challenge(**kw: object) -> Challenge:
    fields: dict[str, object] = {"id": "c", "city_id": "mobile", "statement": "Reduce blight"}
    fields.update(kw)
    return Challenge(**fields)  # type: ignore[arg-type]


def ready_context() -> GateContext:
    """A context in which every default gate passes for challenge 'c'."""
    plan = WorkPlan(summary="Pilot", agreed_on=DAY)
    return GateContext(
        ideas=[
            Idea(
                id="i1",
                challenge_id="c",
                title="Blight app",
                source=IdeaSource.OTHER_CITY,
                origin_city_id="nola",
            ),
            Idea(id="i2", challenge_id="c", title="Staff idea", source="staff"),
        ],
        initiatives=[
            Initiative(
                id="blight-index",
                title="Blight index",
                city_id="mobile",
                challenge_ids=["c"],
                status="delivering",
                work_plan=plan,
                target_ids=["t1", "t0"],
                long_term_owner="Code enforcement",
            )
        ],
        targets=[Target("t0", TargetStage.PRELIMINARY), Target("t1", TargetStage.FINAL)],
        reported_target_ids={"t0", "t1"},
    )


def full_challenge() -> Challenge:
    return challenge(
        priority_area_id="blight",
        status=ChallengeStatus.FINAL,
        contributing_issues=[ContributingIssue(id="owners", statement="Absent owners")],
        metric_ids=["blighted-properties"],
    )


# -- phases and steps -------------------------------------------------------------------------


def test_phases_are_ordered() -> None:
    order = list(Phase)
    assert order == sorted(order)
    assert [p.rank for p in order] == [0, 1, 2, 3, 4, 5]
    assert Phase.GETTING_STARTED < Phase.INVESTIGATE < Phase.GENERATE < Phase.PREPARE
    assert Phase.PREPARE < Phase.DELIVER < Phase.COMPLETE
    assert Phase.COMPLETE.next is None
    assert Phase.GETTING_STARTED.previous is None
    assert Phase.INVESTIGATE.previous is Phase.GETTING_STARTED
    assert Phase.COMPLETE.number is None
    assert Phase.INVESTIGATE.title == "Investigate the Problem"
    assert Phase.DELIVER >= Phase.DELIVER
    assert Phase.DELIVER <= Phase.DELIVER
    assert Phase.COMPLETE > Phase.DELIVER


def test_phase_comparison_with_other_types_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Phase.DELIVER < 3  # type: ignore[operator]


def test_playbook_steps() -> None:
    counts = {p: len(steps(p)) for p in Phase}
    assert counts == {
        Phase.GETTING_STARTED: 5,
        Phase.INVESTIGATE: 5,
        Phase.GENERATE: 4,
        Phase.PREPARE: 6,
        Phase.DELIVER: 3,
        Phase.COMPLETE: 0,
    }
    codes = [s.code for s in STEPS]
    assert codes[:3] == ["0A", "0B", "0C"]
    assert codes[-1] == "4C"
    assert len(set(codes)) == len(codes)
    assert [s.code for s in steps("prepare")] == ["3A", "3B", "3C", "3D", "3E", "3F"]
    step_3e = next(s for s in STEPS if s.code == "3E")
    assert "final targets" in step_3e.produces


def test_every_default_criterion_cites_a_playbook_step() -> None:
    codes = {s.code for s in STEPS}
    for phase, criteria in DEFAULT_CRITERIA.items():
        assert criteria, phase
        for c in criteria:
            assert c.step in codes


def test_default_criteria_cover_the_issue() -> None:
    ids = {p: [c.id for c in default_criteria(p)] for p in Phase}
    assert ids[Phase.GETTING_STARTED] == []
    assert ids[Phase.INVESTIGATE] == ["priority-area-chosen"]
    assert ids[Phase.GENERATE] == ["challenge-final", "contributing-issues", "metrics"]
    assert ids[Phase.PREPARE] == ["idea-longlist", "looked-elsewhere"]
    assert ids[Phase.DELIVER] == ["initiatives-selected", "work-plans-agreed", "final-targets"]
    assert ids[Phase.COMPLETE] == ["results-reported", "long-term-owner"]


# -- advancing ----------------------------------------------------------------------------------


def test_advance_through_every_phase_with_history() -> None:
    ch = full_challenge()
    ctx = ready_context()
    for i, nxt in enumerate(list(Phase)[1:]):
        ch = advance(ch, ctx, on=DAY + dt.timedelta(days=30 * i), note=f"gate {i}")
        assert ch.phase is nxt
    assert len(ch.history) == 5
    assert ch.history[0] == PhaseChange(
        from_phase=Phase.GETTING_STARTED, to_phase=Phase.INVESTIGATE, on=DAY, note="gate 0"
    )
    assert [h.to_phase for h in ch.history] == list(Phase)[1:]


def test_advance_returns_a_new_object() -> None:
    ch = full_challenge()
    moved = advance(ch, ready_context(), on=DAY)
    assert ch.phase is Phase.GETTING_STARTED
    assert ch.history == ()
    assert moved.phase is Phase.INVESTIGATE


def test_gate_error_carries_full_report_and_lists_each_failure() -> None:
    ch = challenge(
        phase=Phase.INVESTIGATE,
        history=[PhaseChange(from_phase="getting_started", to_phase="investigate", on=DAY)],
    )
    with pytest.raises(GateError) as info:
        advance(ch, GateContext(), on=DAY)
    err = info.value
    assert isinstance(err.report, GateReport)
    assert err.report.failing_ids == ("challenge-final", "contributing-issues", "metrics")
    assert len(err.report.results) == 3
    message = str(err)
    assert message.startswith(
        "challenge 'c' cannot enter Generate New Ideas: 3 of 3 criteria fail:"
    )
    assert "challenge-final: status is 'preliminary'; expected 'final' (step 1D)" in message
    assert "contributing-issues: no contributing issues" in message
    assert "metrics: no metric selected" in message
    assert err.problems == tuple(f"{r.criterion_id}: {r.reason}" for r in err.report.failures)


def test_gate_error_lists_only_failures_but_report_keeps_all() -> None:
    ch = challenge(
        phase="investigate",
        status="final",
        metric_ids=["m"],
        history=[PhaseChange(from_phase="getting_started", to_phase="investigate", on=DAY)],
    )
    with pytest.raises(
        GateError, match=r"1 of 3 criteria fail:\n  - contributing-issues: "
    ) as info:
        advance(ch, GateContext(), on=DAY)
    assert "challenge-final" not in str(info.value)
    assert [r.holds for r in info.value.report.results] == [True, False, True]


@pytest.mark.parametrize(
    ("phase", "context_change", "failing"),
    [
        (Phase.GETTING_STARTED, {}, ()),
        (Phase.GENERATE, {"ideas": []}, ("idea-longlist", "looked-elsewhere")),
        (
            Phase.GENERATE,
            {"ideas": [Idea(id="x", challenge_id="c", title="T", source="expert")]},
            ("looked-elsewhere",),
        ),
        (
            Phase.GENERATE,
            {"ideas": [Idea(id="x", challenge_id="other", title="T", source="other_city")]},
            ("idea-longlist", "looked-elsewhere"),
        ),
        (Phase.PREPARE, {"initiatives": []}, ("initiatives-selected",)),
        (Phase.PREPARE, {"targets": []}, ("final-targets",)),
        (Phase.PREPARE, {"targets": [Target("t1", TargetStage.PRELIMINARY)]}, ("final-targets",)),
        (Phase.DELIVER, {"reported_target_ids": {"t1"}}, ("results-reported",)),
        (Phase.DELIVER, {"reported_target_ids": set()}, ("results-reported",)),
    ],
)
def test_gate_failures(
    phase: Phase, context_change: dict[str, object], failing: tuple[str, ...]
) -> None:
    ch = attrs.evolve(full_challenge(), phase=phase, history=())
    ctx = attrs.evolve(ready_context(), **context_change)
    assert check_gate(ch, ctx).failing_ids == failing


def test_prepare_gate_needs_agreed_work_plans() -> None:
    ctx = ready_context()
    unplanned = attrs.evolve(ctx.initiatives[0], id="second", work_plan=WorkPlan(summary="draft"))
    no_plan = attrs.evolve(ctx.initiatives[0], id="third", work_plan=None)
    ctx = attrs.evolve(ctx, initiatives=(*ctx.initiatives, unplanned, no_plan))
    report = check_gate(attrs.evolve(full_challenge(), phase=Phase.PREPARE), ctx)
    assert report.failing_ids == ("work-plans-agreed",)
    assert "second, third" in report.failures[0].reason


def test_final_target_reason_names_unknown_targets() -> None:
    ctx = ready_context()
    init = attrs.evolve(ctx.initiatives[0], target_ids=("ghost",))
    report = check_gate(
        attrs.evolve(full_challenge(), phase=Phase.PREPARE), attrs.evolve(ctx, initiatives=[init])
    )
    assert report.failures[0].reason.startswith(
        "blight-index: no final target (unknown target id(s): ghost)"
    )


def test_stopped_and_candidate_initiatives_are_not_selected() -> None:
    ctx = ready_context()
    inits = [attrs.evolve(ctx.initiatives[0], status=s) for s in ("stopped", "candidate")]
    report = check_gate(
        attrs.evolve(full_challenge(), phase=Phase.PREPARE), attrs.evolve(ctx, initiatives=inits)
    )
    assert report.failing_ids == ("initiatives-selected",)


def test_long_term_owner_from_context_or_initiatives() -> None:
    ch = attrs.evolve(full_challenge(), phase=Phase.DELIVER)
    ctx = ready_context()
    ownerless = attrs.evolve(
        ctx, initiatives=[attrs.evolve(ctx.initiatives[0], long_term_owner=None)]
    )
    assert check_gate(ch, ownerless).failing_ids == ("long-term-owner",)
    assert check_gate(ch, attrs.evolve(ownerless, long_term_owner="Parks")).passed
    empty = GateContext(long_term_owner=None)
    assert check_gate(ch, empty).failing_ids == ("results-reported", "long-term-owner")


def test_backwards_move_raises_transition_error() -> None:
    ch = attrs.evolve(full_challenge(), phase=Phase.PREPARE)
    with pytest.raises(
        TransitionError,
        match=r"challenge 'c' cannot move back from Prepare to Deliver to Investigate the Problem; phases only move forward",
    ):
        advance(ch, ready_context(), on=DAY, to=Phase.INVESTIGATE)
    with pytest.raises(
        TransitionError, match=r"cannot stay in Prepare to Deliver; phases only move forward"
    ):
        advance(ch, ready_context(), on=DAY, to="prepare")


def test_skipping_a_phase_raises_transition_error() -> None:
    ch = full_challenge()
    with pytest.raises(
        TransitionError,
        match=r"cannot skip from Getting Started to Generate New Ideas; the next phase is Investigate the Problem",
    ):
        advance(ch, ready_context(), on=DAY, to=Phase.GENERATE)


def test_explicit_next_phase_is_allowed() -> None:
    assert (
        advance(full_challenge(), ready_context(), on=DAY, to="investigate").phase
        is Phase.INVESTIGATE
    )


def test_bad_target_phase() -> None:
    with pytest.raises(
        TransitionError, match=r"to: expected a Phase \('getting_started', .*'ideation'"
    ):
        advance(full_challenge(), ready_context(), on=DAY, to="ideation")


def test_complete_and_retired_challenges_do_not_move() -> None:
    done = attrs.evolve(full_challenge(), phase=Phase.COMPLETE)
    with pytest.raises(
        TransitionError, match=r"challenge 'c' is already 'complete'; there is no next phase"
    ):
        advance(done, ready_context(), on=DAY)
    with pytest.raises(
        TransitionError, match=r"already 'complete'; there is no gate after the last phase"
    ):
        check_gate(done, ready_context())
    with pytest.raises(TransitionError, match=r"challenge 'c' is retired"):
        advance(full_challenge().retire(), ready_context(), on=DAY)


def test_change_dated_before_last_change() -> None:
    moved = advance(full_challenge(), ready_context(), on=DAY)
    with pytest.raises(
        TransitionError, match=r"change dated 2015-01-04 is before the last change on 2015-01-05"
    ):
        advance(moved, ready_context(), on=DAY - dt.timedelta(days=1))


def test_advance_needs_a_date() -> None:
    with pytest.raises(ValidationError, match=r"advance: on: expected a date, got NoneType None"):
        advance(full_challenge(), ready_context(), on=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"advance: on: expected a date, got str"):
        advance(full_challenge(), ready_context(), on="2015-01-01")  # type: ignore[arg-type]


# -- custom criteria ------------------------------------------------------------------------------


def test_custom_criteria_replace_the_defaults() -> None:
    needs_domain = Criterion(
        id="domain-known",
        description="policy domain is not OTHER",
        check=lambda ch, ctx: (
            ch.policy_domain.value != "other",
            f"domain {ch.policy_domain.value}",
        ),
    )
    ch = challenge()  # no priority area: the default gate would fail
    with pytest.raises(GateError, match=r"domain-known: domain other"):
        advance(ch, GateContext(), on=DAY, criteria=[needs_domain])
    assert advance(ch, GateContext(), on=DAY, criteria=[]).phase is Phase.INVESTIGATE
    by_phase = {Phase.INVESTIGATE: [needs_domain]}
    assert check_gate(ch, GateContext(), by_phase).failing_ids == ("domain-known",)
    assert check_gate(attrs.evolve(ch, phase="investigate"), GateContext(), by_phase).results == ()


def test_longer_longlist_criterion() -> None:
    ch = attrs.evolve(full_challenge(), phase=Phase.GENERATE)
    report = check_gate(ch, ready_context(), [idea_longlist(3)])
    assert report.failing_ids == ("idea-longlist",)
    assert report.failures[0].reason == "2 idea(s) on the longlist; expected at least 3 (step 2B)"
    with pytest.raises(ValidationError, match=r"idea_longlist: expected a positive minimum, got 0"):
        idea_longlist(0)


def test_bad_criteria() -> None:
    always = Criterion(id="a", description="d", check=lambda ch, ctx: (True, "ok"))
    with pytest.raises(ValidationError, match=r"criteria\[1\]: id 'a' appears twice"):
        check_gate(challenge(), GateContext(), [always, always])
    with pytest.raises(ValidationError, match=r"criteria\[0\]: expected a Criterion, got str"):
        check_gate(challenge(), GateContext(), ["a"])  # type: ignore[list-item]
    wrong = Criterion(id="w", description="d", check=lambda ch, ctx: True)  # type: ignore[arg-type,return-value]
    with pytest.raises(
        ValidationError, match=r"Criterion 'w': check returned True; expected \(holds: bool"
    ):
        check_gate(challenge(), GateContext(), [wrong])
    with pytest.raises(ValidationError, match=r"Criterion.check: expected a function"):
        Criterion(id="x", description="d", check="yes")  # type: ignore[arg-type]


def test_context_validation() -> None:
    with pytest.raises(
        ValidationError,
        match=r"GateContext.targets\[0\]: expected an object with an id and a TargetStage",
    ):
        GateContext(targets=["t1"])
    with pytest.raises(ValidationError, match=r"GateContext.targets\[0\]"):
        GateContext(targets=[Target("t1", "final")])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"GateContext.ideas\[0\]: expected Idea, got str"):
        GateContext(ideas=["idea"])
    assert isinstance(Target("t", TargetStage.FINAL), TargetLike)
    assert GateContext(reported_target_ids="t1").reported_target_ids == frozenset({"t1"})


def test_report_text() -> None:
    report = check_gate(attrs.evolve(full_challenge(), phase=Phase.DELIVER), ready_context())
    assert report.passed
    assert str(report).splitlines()[0] == (
        "gate Deliver and Adapt -> Complete for challenge 'c': all 2 criteria hold"
    )
    assert str(report.results[0]).startswith("[holds] results-reported: ")


# -- properties -----------------------------------------------------------------------------------

OPEN_PHASES = [p for p in Phase if p is not Phase.COMPLETE]
TARGET_IDS = ["t1", "t2", "t3"]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Challenge, GateContext]:
    ch = draw(challenges(id="c", phase=draw(st.sampled_from(OPEN_PHASES))))
    idea_list = [
        draw(ideas(challenge_id=cid))
        for cid in draw(st.lists(st.sampled_from(["c", "other"]), max_size=4))
    ]
    inits = []
    for cid in draw(st.lists(st.sampled_from(["c", "other"]), max_size=3)):
        init = draw(initiatives(challenge_id=cid))
        targets = draw(st.lists(st.sampled_from([*TARGET_IDS, "ghost"]), unique=True, max_size=3))
        inits.append(attrs.evolve(init, target_ids=targets))
    targets = [
        Target(t, draw(st.sampled_from(TargetStage)))
        for t in draw(st.lists(st.sampled_from(TARGET_IDS), unique=True))
    ]
    ctx = GateContext(
        ideas=idea_list,
        initiatives=inits,
        targets=targets,
        reported_target_ids=draw(st.frozensets(st.sampled_from([*TARGET_IDS, "ghost"]))),
        long_term_owner=draw(st.none() | st.just("Parks department")),
    )
    return ch, ctx


def expected_failures(ch: Challenge, ctx: GateContext) -> list[str]:
    """The default gate, written out independently of the library."""
    nxt = ch.phase.next
    failing: list[str] = []
    ch_ideas = [i for i in ctx.ideas if i.challenge_id == ch.id]
    selected = [
        i
        for i in ctx.initiatives
        if ch.id in i.challenge_ids
        and i.status not in (InitiativeStatus.CANDIDATE, InitiativeStatus.STOPPED)
    ]
    stages = {t.id: t.stage for t in ctx.targets}
    if nxt is Phase.INVESTIGATE and ch.priority_area_id is None:
        failing.append("priority-area-chosen")
    if nxt is Phase.GENERATE:
        if ch.status is not ChallengeStatus.FINAL:
            failing.append("challenge-final")
        if not ch.contributing_issues:
            failing.append("contributing-issues")
        if not ch.metric_ids:
            failing.append("metrics")
    if nxt is Phase.PREPARE:
        if not ch_ideas:
            failing.append("idea-longlist")
        if not any(
            i.source in (IdeaSource.OTHER_CITY, IdeaSource.RESEARCH_EVIDENCE) for i in ch_ideas
        ):
            failing.append("looked-elsewhere")
    if nxt is Phase.DELIVER:
        if not selected:
            failing.append("initiatives-selected")
        if any(i.work_plan is None or i.work_plan.agreed_on is None for i in selected):
            failing.append("work-plans-agreed")
        if any(not any(stages.get(t) is TargetStage.FINAL for t in i.target_ids) for i in selected):
            failing.append("final-targets")
    if nxt is Phase.COMPLETE:
        target_ids = {t for i in selected for t in i.target_ids}
        if not target_ids or not target_ids <= ctx.reported_target_ids:
            failing.append("results-reported")
        if ctx.long_term_owner is None and (
            not selected or any(i.long_term_owner is None for i in selected)
        ):
            failing.append("long-term-owner")
    return failing


@given(scenarios())
def test_report_lists_exactly_the_failing_default_criteria(
    scenario: tuple[Challenge, GateContext],
) -> None:
    ch, ctx = scenario
    report = check_gate(ch, ctx)
    assert list(report.failing_ids) == expected_failures(ch, ctx)
    assert [r.criterion_id for r in report.results] == [
        c.id for c in default_criteria(report.to_phase)
    ]
    assert report.passed is (not report.failing_ids)
    if ch.status is ChallengeStatus.RETIRED:
        return
    last = ch.history[-1].on if ch.history else DAY
    if report.passed:
        moved = advance(ch, ctx, on=last)
        assert moved.phase is report.to_phase
        assert moved.history[-1] == PhaseChange(
            from_phase=ch.phase, to_phase=report.to_phase, on=last
        )
    else:
        with pytest.raises(GateError) as info:
            advance(ch, ctx, on=last)
        assert info.value.report == report
        assert len(info.value.problems) == len(report.failing_ids)


@given(st.lists(st.booleans(), max_size=8), st.sampled_from(OPEN_PHASES))
def test_report_lists_exactly_the_failing_custom_criteria(
    verdicts: list[bool], phase: Phase
) -> None:
    criteria = [
        Criterion(id=f"c{i}", description=f"criterion {i}", check=lambda ch, ctx, v=v: (v, str(v)))
        for i, v in enumerate(verdicts)
    ]
    report = check_gate(challenge(phase=phase), GateContext(), criteria)
    assert report.failing_ids == tuple(f"c{i}" for i, v in enumerate(verdicts) if not v)
    assert len(report.results) == len(verdicts)


# -- with_criteria: replace or add single criteria by id ------------------------------------------


def test_with_criteria_replaces_by_id_in_place_and_keeps_other_gates() -> None:
    policy = with_criteria(Phase.PREPARE, idea_longlist(3))
    assert [c.id for c in policy[Phase.PREPARE]] == ["idea-longlist", "looked-elsewhere"]
    assert policy[Phase.PREPARE][0].description.startswith("an idea longlist of at least 3")
    assert policy[Phase.PREPARE][1] is DEFAULT_CRITERIA[Phase.PREPARE][1]
    for phase in (Phase.INVESTIGATE, Phase.GENERATE, Phase.DELIVER, Phase.COMPLETE):
        assert policy[phase] == DEFAULT_CRITERIA[phase]
    assert Phase.GETTING_STARTED not in policy
    # the policy works whatever gate the challenge is at
    ch = attrs.evolve(full_challenge(), phase=Phase.GENERATE)
    report = check_gate(ch, ready_context(), criteria=policy)
    assert report.failing_ids == ("idea-longlist",)
    assert report.failures[0].reason == ("2 idea(s) on the longlist; expected at least 3 (step 2B)")
    assert check_gate(attrs.evolve(ch, phase=Phase.DELIVER), ready_context(), policy).passed
    assert DEFAULT_CRITERIA[Phase.PREPARE][0].description.startswith(
        "an idea longlist of at least 1"
    )  # the defaults are untouched


def test_with_criteria_adds_new_ids_at_the_end_drops_and_chains() -> None:
    extra = Criterion(id="residents", description="d", check=lambda ch, ctx: (False, "none"))
    added = with_criteria("complete", extra)
    assert [c.id for c in added[Phase.COMPLETE]] == [
        "results-reported",
        "long-term-owner",
        "residents",
    ]
    chained = with_criteria(Phase.PREPARE, without="looked-elsewhere", base=added)
    assert [c.id for c in chained[Phase.PREPARE]] == ["idea-longlist"]
    assert chained[Phase.COMPLETE] == added[Phase.COMPLETE]
    ch = attrs.evolve(full_challenge(), phase=Phase.DELIVER)
    assert check_gate(ch, ready_context(), criteria=chained).failing_ids == ("residents",)
    with pytest.raises(GateError, match="residents: none"):
        advance(ch, ready_context(), on=DAY, criteria=chained)


def test_with_criteria_errors() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^with_criteria: phase: expected a phase some gate enters \('investigate', "
        r"'generate', 'prepare', 'deliver', 'complete'\), got 'getting_started'$",
    ):
        with_criteria("getting_started")
    with pytest.raises(ValidationError, match=r"got 'finished'$"):
        with_criteria("finished")
    with pytest.raises(
        ValidationError, match=r"^with_criteria: criteria\[0\]: expected a Criterion, got str"
    ):
        with_criteria(Phase.PREPARE, "idea-longlist")  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=r"^with_criteria: criteria\[1\]: id 'idea-longlist' is given twice; expected "
        r"distinct ids$",
    ):
        with_criteria(Phase.PREPARE, idea_longlist(2), idea_longlist(3))
    with pytest.raises(
        ValidationError,
        match=r"^with_criteria: without: 'long-term-owners' is not a criterion of the gate into "
        r"'complete'; expected one of 'results-reported', 'long-term-owner'$",
    ):
        with_criteria(Phase.COMPLETE, without=["long-term-owners"])
    with pytest.raises(
        ValidationError,
        match=r"^with_criteria: 'idea-longlist' is both given and in without; expected a "
        r"criterion to be either replaced or dropped$",
    ):
        with_criteria(Phase.PREPARE, idea_longlist(2), without=["idea-longlist"])
