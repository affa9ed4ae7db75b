"""Tests for civicinnov.model: ideas, work plans, initiatives, statuses."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from tests.strategies import ideas, initiatives, work_plans

from civicinnov.errors import IdentifierError, ValidationError
from civicinnov.model import (
    Idea,
    IdeaSource,
    Initiative,
    InitiativeStatus,
    NestaLevel,
    PlanStep,
    SMSLevel,
    TargetStage,
    WorkPlan,
)


def make(**kw: object) -> Initiative:
    fields: dict[str, object] = {
        "id": "memfix",
        "title": "MEMFix",
        "city_id": "memphis",
        "challenge_ids": ["vacancy"],
    }
    fields.update(kw)
    return Initiative(**fields)  # type: ignore[arg-type]


def test_target_stage_kept() -> None:
    assert TargetStage("preliminary") is TargetStage.PRELIMINARY
    assert [s.value for s in TargetStage] == ["preliminary", "final"]


def test_idea_sources() -> None:
    idea = Idea(
        id="i", challenge_id="c", title="Ceasefire", source="other_city", origin_city_id="boston"
    )
    assert idea.source is IdeaSource.OTHER_CITY
    assert idea.source.looked_elsewhere
    assert IdeaSource.RESEARCH_EVIDENCE.looked_elsewhere
    assert not any(
        s.looked_elsewhere
        for s in (
            IdeaSource.RESIDENT_CO_DESIGN,
            IdeaSource.STAFF,
            IdeaSource.EXPERT,
            IdeaSource.CROWDSOURCED,
        )
    )


def test_idea_bad_inputs() -> None:
    with pytest.raises(
        ValidationError, match=r"Idea.source: expected IdeaSource \('other_city', .*got 'dream'"
    ):
        Idea(id="i", challenge_id="c", title="T", source="dream")  # type: ignore[arg-type]
    with pytest.raises(IdentifierError, match=r"Idea.origin_city_id: expected a slug .*'Boston'"):
        Idea(id="i", challenge_id="c", title="T", source="other_city", origin_city_id="Boston")
    with pytest.raises(ValidationError, match=r"Idea.title: expected non-blank text"):
        Idea(id="i", challenge_id="c", title="  ", source="staff")


def test_initiative_defaults_and_changes() -> None:
    init = make()
    assert init.status is InitiativeStatus.CANDIDATE
    assert not init.is_selected
    changed = init.with_status("delivering").with_work_plan(WorkPlan(summary="s")).add_target("t1")
    assert changed.is_selected
    assert changed.target_ids == ("t1",)
    assert changed.work_plan == WorkPlan(summary="s")
    assert init.target_ids == ()


@pytest.mark.parametrize(
    ("status", "selected"),
    [
        (InitiativeStatus.CANDIDATE, False),
        (InitiativeStatus.SELECTED, True),
        (InitiativeStatus.PLANNED, True),
        (InitiativeStatus.PROTOTYPING, True),
        (InitiativeStatus.PILOTING, True),
        (InitiativeStatus.DELIVERING, True),
        (InitiativeStatus.SCALED, True),
        (InitiativeStatus.HANDED_OFF, True),
        (InitiativeStatus.STOPPED, False),
    ],
)
def test_selected_statuses(status: InitiativeStatus, selected: bool) -> None:
    assert make(status=status).is_selected is selected


def test_evidence_levels_accept_numbers() -> None:
    init = make(evidence_level=3, nesta_level=2)
    assert init.evidence_level is SMSLevel.COMPARISON_GROUP
    assert init.nesta_level is NestaLevel.CORRELATION
    with pytest.raises(
        ValidationError,
        match=r"Initiative.evidence_level: expected SMSLevel \(1, 2, 3, 4, 5\), got 7",
    ):
        make(evidence_level=7)


def test_initiative_bad_inputs() -> None:
    with pytest.raises(
        ValidationError, match=r"Initiative.challenge_ids: expected at least one id, got none"
    ):
        make(challenge_ids=[])
    with pytest.raises(ValidationError, match=r"Initiative.target_ids\[1\]: 't' appears twice"):
        make(target_ids=["t", "t"])
    with pytest.raises(
        ValidationError, match=r"Initiative.status: expected InitiativeStatus .*'done'"
    ):
        make(status="done")
    with pytest.raises(ValidationError, match=r"Initiative.work_plan: expected WorkPlan, got str"):
        make(work_plan="plan")
    with pytest.raises(IdentifierError, match=r"Initiative.idea_ids\[0\]: expected a slug"):
        make(idea_ids=["Idea 1"])


def test_work_plan() -> None:
    plan = WorkPlan(
        summary="Pilot",
        start="2015-01-01",
        end="2015-12-31",
        steps=[PlanStep(title="Recruit", due="2015-02-01", owner="Parks")],
    )
    assert not plan.agreed
    agreed = plan.agree(dt.date(2015, 1, 15), "Parks", "Mayor's office")
    assert agreed.agreed
    assert agreed.agreed_by == ("Parks", "Mayor's office")
    assert agreed.steps[0].due == dt.date(2015, 2, 1)


def test_work_plan_bad_inputs() -> None:
    with pytest.raises(
        ValidationError, match=r"WorkPlan.end: 2014-12-31 is before start 2015-01-01"
    ):
        WorkPlan(start="2015-01-01", end="2014-12-31")
    with pytest.raises(ValidationError, match=r"WorkPlan.agreed_on: expected a date .*'soon'"):
        WorkPlan(agreed_on="soon")
    with pytest.raises(ValidationError, match=r"WorkPlan.steps\[0\]: expected PlanStep, got str"):
        WorkPlan(steps=["do it"])
    with pytest.raises(ValidationError, match=r"PlanStep.done: expected bool, got str 'yes'"):
        PlanStep(title="x", done="yes")  # type: ignore[arg-type]


@given(ideas(), initiatives(), work_plans())
def test_generated_objects_rebuild(idea: Idea, init: Initiative, plan: WorkPlan) -> None:
    assert attrs.evolve(idea) == idea
    assert attrs.evolve(init) == init
    assert attrs.evolve(plan) == plan
