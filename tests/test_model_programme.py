"""Tests for civicinnov.model: partners, cohorts and their members, i-teams."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from tests.strategies import cohorts, iteams, partners

from civicinnov.errors import IdentifierError, MoneyError, ValidationError
from civicinnov.model import (
    Cohort,
    CohortMember,
    ITeam,
    Member,
    Partner,
    PartnerKind,
    Role,
)
from civicinnov.money import Money

ANNOUNCED = dt.date(2011, 7, 14)


def cohort(**kw: object) -> Cohort:
    fields: dict[str, object] = {
        "id": "us-2011",
        "name": "Mayors Project",
        "funder_id": "bloomberg",
        "announced": ANNOUNCED,
    }
    fields.update(kw)
    return Cohort(**fields)  # type: ignore[arg-type]


def test_partner_kinds() -> None:
    p = Partner(id="bennett-midland", name="Bennett Midland", kinds=["technical_assistance"])
    assert p.kinds == frozenset({PartnerKind.TECHNICAL_ASSISTANCE})
    assert not p.is_funder
    funder = Partner(id="bp", name="BP", kinds=PartnerKind.FUNDER, country="us")
    assert funder.is_funder
    assert funder.country == "US"


def test_partner_bad_inputs() -> None:
    with pytest.raises(ValidationError, match=r"Partner.kinds: expected at least one PartnerKind"):
        Partner(id="p", name="P", kinds=frozenset())
    with pytest.raises(
        ValidationError, match=r"Partner.kinds: expected PartnerKind values .*'bank'"
    ):
        Partner(id="p", name="P", kinds=["bank"])
    with pytest.raises(ValidationError, match=r"Partner.country: expected an ISO 3166-1 .*'UK'"):
        Partner(id="p", name="P", kinds=["funder"], country="UK")
    with pytest.raises(IdentifierError, match=r"Partner.id: expected a slug .*'Living Cities'"):
        Partner(id="Living Cities", name="P", kinds=["network"])


def test_cohort_members_and_city_ids() -> None:
    c = cohort(
        members=[
            CohortMember(city_id="atlanta", joined=ANNOUNCED),
            CohortMember(city_id="memphis", joined="2011-08-01"),
        ],
        partner_ids=["bennett-midland"],
    )
    assert c.city_ids == ("atlanta", "memphis")
    assert c.member("memphis") == CohortMember(city_id="memphis", joined=dt.date(2011, 8, 1))
    assert c.member("chicago") is None
    assert (
        c.with_member(CohortMember(city_id="chicago", joined=ANNOUNCED)).city_ids[-1] == "chicago"
    )
    assert c.partner_ids == ("bennett-midland",)


def test_join_before_announcement_names_city_and_both_dates() -> None:
    with pytest.raises(
        ValidationError,
        match=(
            r"Cohort.members\[1\]: city 'memphis' joined 2011-07-13, before cohort 'us-2011' "
            r"was announced on 2011-07-14; expected a join date on or after the announcement"
        ),
    ):
        cohort(
            members=[
                CohortMember(city_id="atlanta", joined=ANNOUNCED),
                CohortMember(city_id="memphis", joined=dt.date(2011, 7, 13)),
            ]
        )


def test_duplicate_member_city() -> None:
    with pytest.raises(
        ValidationError,
        match=r"Cohort.members\[1\]: city 'atlanta' is already a member \(members\[0\]\)",
    ):
        cohort(
            members=[
                CohortMember(city_id="atlanta", joined=ANNOUNCED),
                CohortMember(city_id="atlanta", joined=dt.date(2012, 1, 1)),
            ]
        )


def test_cohort_bad_inputs() -> None:
    with pytest.raises(ValidationError, match=r"Cohort.announced: expected a date .*'July 2011'"):
        cohort(announced="July 2011")
    with pytest.raises(ValidationError, match=r"Cohort.announced: expected a date .*datetime"):
        cohort(announced=dt.datetime(2011, 7, 14))
    with pytest.raises(TypeError, match="grant"):
        cohort(grant=Money.of(1, "USD"))  # money lives in Funding records, not on a cohort
    with pytest.raises(IdentifierError, match=r"Cohort.funder_id: expected a slug"):
        cohort(funder_id="Bloomberg")
    with pytest.raises(IdentifierError, match=r"Cohort.partner_ids\[1\]: expected a slug"):
        cohort(partner_ids=["a", "B"])
    with pytest.raises(ValidationError, match=r"Cohort.partner_ids\[1\]: 'a' appears twice"):
        cohort(partner_ids=["a", "a"])
    with pytest.raises(
        ValidationError, match=r"Cohort.members\[0\]: expected CohortMember, got str"
    ):
        cohort(members=["atlanta"])
    with pytest.raises(
        IdentifierError, match=r"CohortMember.city_id: expected a slug .*'New York'"
    ):
        CohortMember(city_id="New York", joined=ANNOUNCED)


def test_member_and_role() -> None:
    assert Member(name="A", role="performance_manager").role is Role.PERFORMANCE_MANAGER
    with pytest.raises(
        ValidationError, match=r"Member.role: expected Role \('mayor', .*got 'boss'"
    ):
        Member(name="A", role="boss")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"Member.name: expected non-blank text"):
        Member(name="", role=Role.FELLOW)


def test_iteam() -> None:
    team = ITeam(
        id="nola-idt",
        city_id="new-orleans",
        cohort_id="us-2011",
        members=[Member(name="D", role=Role.DIRECTOR), Member(name="F", role="fellow")],
        reports_to="mayor",
    )
    assert team.director == Member(name="D", role=Role.DIRECTOR)
    assert team.size == 2
    assert team.reports_to is Role.MAYOR
    assert ITeam(id="t", city_id="c").cohort_id is None
    assert ITeam(id="t", city_id="c").reports_to is None  # unknown stays unknown, not "mayor"


def test_iteam_bad_inputs() -> None:
    with pytest.raises(ValidationError, match=r"ITeam.members\[0\]: expected Member, got str"):
        ITeam(id="t", city_id="c", members=["Jane"])
    with pytest.raises(IdentifierError, match=r"ITeam.cohort_id: expected a slug"):
        ITeam(id="t", city_id="c", cohort_id="2014")
    with pytest.raises(MoneyError, match=r"cannot add USD and EUR"):
        _ = Money.of(1, "USD") + Money.of(1, "EUR")


@given(cohorts())
def test_generated_cohorts_are_consistent(c: Cohort) -> None:
    assert len(set(c.city_ids)) == len(c.city_ids)
    assert all(m.joined >= c.announced for m in c.members)
    assert attrs.evolve(c) == c


@given(partners, iteams)
def test_generated_partners_and_teams_rebuild(p: Partner, t: ITeam) -> None:
    assert attrs.evolve(p) == p
    assert attrs.evolve(t) == t
