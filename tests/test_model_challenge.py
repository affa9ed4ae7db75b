"""Tests for civicinnov.model: priority areas, challenges and their named changes."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from tests.strategies import challenges

from civicinnov.errors import IdentifierError, TransitionError, ValidationError
from civicinnov.model import (
    Challenge,
    ChallengeStatus,
    ContributingIssue,
    Phase,
    PhaseChange,
    PolicyDomain,
    PriorityArea,
)


def make(**kw: object) -> Challenge:
    fields: dict[str, object] = {"id": "murder", "city_id": "new-orleans", "statement": "Murders"}
    fields.update(kw)
    return Challenge(**fields)  # type: ignore[arg-type]


def test_defaults() -> None:
    ch = make()
    assert ch.status is ChallengeStatus.PRELIMINARY
    assert ch.phase is Phase.GETTING_STARTED
    assert ch.policy_domain is PolicyDomain.OTHER
    assert ch.priority_area_id is None
    assert ch.contributing_issues == ()
    assert ch.metric_ids == ()
    assert ch.history == ()


def test_priority_area() -> None:
    pa = PriorityArea(
        id="vacancy", city_id="memphis", name="Vacant property", policy_domain="housing"
    )
    assert pa.policy_domain is PolicyDomain.HOUSING
    with pytest.raises(
        ValidationError, match=r"PriorityArea.policy_domain: expected PolicyDomain \(.*got 'crime'"
    ):
        PriorityArea(id="x", city_id="y", name="Z", policy_domain="crime")  # type: ignore[arg-type]
    with pytest.raises(IdentifierError, match=r"PriorityArea.city_id: expected a slug .*'Memphis'"):
        PriorityArea(id="x", city_id="Memphis", name="Z")


def test_named_changes_return_new_objects() -> None:
    ch = make()
    issue = ContributingIssue(
        id="groups", statement="Group violence", evidence=["audit", "focus groups"]
    )
    ch2 = ch.add_contributing_issue(issue).add_metric("murders").finalise()
    assert ch.contributing_issues == ()
    assert ch2.contributing_issues == (issue,)
    assert ch2.contributing_issue("groups") is issue
    assert ch2.contributing_issue("other") is None
    assert ch2.metric_ids == ("murders",)
    assert ch2.status is ChallengeStatus.FINAL
    assert ch2.retire().status is ChallengeStatus.RETIRED
    assert ch2.with_status("preliminary").status is ChallengeStatus.PRELIMINARY
    assert ch2.with_statement("Reduce murders").statement == "Reduce murders"


def test_duplicate_contributing_issue() -> None:
    issue = ContributingIssue(id="groups", statement="S")
    with pytest.raises(
        ValidationError,
        match=r"Challenge.contributing_issues\[1\]: id 'groups' appears twice in challenge 'murder'",
    ):
        make(contributing_issues=[issue, issue])


def test_duplicate_and_malformed_metric_ids() -> None:
    with pytest.raises(
        ValidationError, match=r"Challenge.metric_ids\[1\]: 'murders' appears twice"
    ):
        make().add_metric("murders").add_metric("murders")
    with pytest.raises(
        IdentifierError, match=r"Challenge.metric_ids\[0\]: expected a slug .*'Murders'"
    ):
        make(metric_ids=["Murders"])


def test_bad_status_and_phase() -> None:
    with pytest.raises(
        ValidationError, match=r"Challenge.status: expected ChallengeStatus .*'done'"
    ):
        make(status="done")
    with pytest.raises(ValidationError, match=r"Challenge.phase: expected Phase .*'ideation'"):
        make(phase="ideation")


def test_blank_statement() -> None:
    with pytest.raises(
        ValidationError, match=r"Challenge.statement: expected non-blank text, got ''"
    ):
        make(statement="")


def test_contributing_issue_validation() -> None:
    with pytest.raises(IdentifierError, match=r"ContributingIssue.id: expected a slug"):
        ContributingIssue(id="Root Cause", statement="S")
    with pytest.raises(
        ValidationError, match=r"ContributingIssue.evidence\[1\]: expected non-blank text, got ''"
    ):
        ContributingIssue(id="r", statement="S", evidence=["ok", ""])
    with pytest.raises(
        ValidationError, match=r"Challenge.contributing_issues\[0\]: expected ContributingIssue"
    ):
        make(contributing_issues=["groups"])


def test_history_must_agree_with_phase() -> None:
    change = PhaseChange(
        from_phase=Phase.GETTING_STARTED, to_phase=Phase.INVESTIGATE, on=dt.date(2012, 1, 1)
    )
    assert make(phase=Phase.INVESTIGATE, history=[change]).history == (change,)
    with pytest.raises(
        ValidationError,
        match=r"Challenge.phase: 'generate', but the last history entry moved the challenge 'murder' to 'investigate'",
    ):
        make(phase=Phase.GENERATE, history=[change])


def test_history_must_be_continuous_and_dated_in_order() -> None:
    a = PhaseChange(from_phase="getting_started", to_phase="investigate", on=dt.date(2012, 5, 1))
    b = PhaseChange(from_phase="generate", to_phase="prepare", on=dt.date(2012, 6, 1))
    with pytest.raises(
        ValidationError,
        match=r"Challenge.history\[1\]: starts from 'generate' but the previous change ended in 'investigate'",
    ):
        make(phase="prepare", history=[a, b])
    c = PhaseChange(from_phase="investigate", to_phase="generate", on=dt.date(2012, 4, 1))
    with pytest.raises(
        ValidationError,
        match=r"Challenge.history\[1\]: dated 2012-04-01, before the previous change on 2012-05-01",
    ):
        make(phase="generate", history=[a, c])


def test_phase_change_refuses_backwards_and_skips() -> None:
    with pytest.raises(TransitionError, match=r"from 'generate' to 'investigate' goes backwards"):
        PhaseChange(from_phase="generate", to_phase="investigate", on=dt.date(2012, 1, 1))
    with pytest.raises(
        TransitionError,
        match=r"from 'investigate' to 'prepare' skips a phase; expected the next phase, 'generate'",
    ):
        PhaseChange(from_phase="investigate", to_phase="prepare", on=dt.date(2012, 1, 1))


@given(challenges())
def test_generated_challenges_are_consistent(ch: Challenge) -> None:
    assert len(ch.history) == ch.phase.rank
    assert attrs.evolve(ch) == ch
    assert hash(attrs.evolve(ch)) == hash(ch)
