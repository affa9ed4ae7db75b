"""Portfolio: id resolution, every integrity problem with its path, roll-ups, claims kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings, strategies as st
from tests.strategies import consistent_portfolios

from civicinnov.errors import IntegrityError, TransitionError, UnknownIdError, ValidationError
from civicinnov.io import from_document, to_document
from civicinnov.metrics import (
    Baseline,
    Direction,
    MetricDefinition,
    MetricSeries,
    Milestone,
    Target,
)
from civicinnov.model import (
    Challenge,
    City,
    Cohort,
    CohortMember,
    Idea,
    Initiative,
    InitiativeStatus,
    ITeam,
    Partner,
    PartnerKind,
    Phase,
    PhaseChange,
    PolicyDomain,
    PriorityArea,
    TargetStage,
    advance,
)
from civicinnov.money import Money
from civicinnov.periods import YEAR, Period
from civicinnov.programme import (
    Funding,
    FundingKind,
    Portfolio,
    Provenance,
    Qualifier,
    ResultClaim,
    Source,
    Support,
    Tie,
    TieKind,
    build_report,
    check_source_dates,
    funding_coverage,
    observed_adoptions,
)

D = dt.date


def usd(text: str) -> Money:
    return Money.parse(text)


def base() -> Portfolio:
    """A small, consistent portfolio."""
    return Portfolio(
        name="Test",
        cities=(
            City(id="mobile", name="Mobile", country="US"),
            City(id="syracuse", name="Syracuse", country="US"),
            City(id="paris", name="Paris", country="FR"),
        ),
        partners=(
            Partner(id="funder", name="Funder", kinds={PartnerKind.FUNDER}),
            Partner(id="state", name="State", kinds={PartnerKind.FUNDER}),
        ),
        cohorts=(
            Cohort(
                id="us-2014",
                name="US 2014",
                funder_id="funder",
                announced=D(2014, 12, 15),
                members=(
                    CohortMember(city_id="mobile", joined=D(2014, 12, 15)),
                    CohortMember(city_id="syracuse", joined=D(2015, 1, 5)),
                ),
            ),
            Cohort(
                id="fr-2017",
                name="France",
                funder_id="funder",
                announced=D(2017, 7, 11),
                members=(CohortMember(city_id="paris", joined=D(2017, 7, 11)),),
            ),
        ),
        iteams=(
            ITeam(id="mobile-team", city_id="mobile", cohort_id="us-2014"),
            ITeam(id="syr-team", city_id="syracuse", cohort_id="us-2014"),
        ),
        priority_areas=(
            PriorityArea(
                id="blight", city_id="mobile", name="Blight", policy_domain="blight_and_vacancy"
            ),
        ),
        challenges=(
            Challenge(
                id="mobile-blight",
                city_id="mobile",
                priority_area_id="blight",
                statement="Blight",
                policy_domain=PolicyDomain.BLIGHT_AND_VACANCY,
                metric_ids=("blighted",),
                phase=Phase.INVESTIGATE,
                history=(
                    PhaseChange(
                        from_phase=Phase.GETTING_STARTED,
                        to_phase=Phase.INVESTIGATE,
                        on=D(2015, 3, 1),
                    ),
                ),
            ),
            Challenge(
                id="syr-pipes",
                city_id="syracuse",
                statement="Pipes",
                policy_domain=PolicyDomain.INFRASTRUCTURE,
            ),
        ),
        ideas=(Idea(id="inventory", challenge_id="mobile-blight", title="Map it", source="staff"),),
        initiatives=(
            Initiative(
                id="map-blight",
                title="Map blight",
                city_id="mobile",
                challenge_ids=("mobile-blight",),
                idea_ids=("inventory",),
                target_ids=("half-blight",),
                status=InitiativeStatus.DELIVERING,
                evidence_level=2,
            ),
            Initiative(
                id="fix-pipes",
                title="Fix pipes",
                city_id="syracuse",
                challenge_ids=("syr-pipes",),
                status=InitiativeStatus.PILOTING,
            ),
        ),
        metrics=(
            MetricDefinition(
                id="blighted", name="Blighted homes", unit="dwelling", direction=Direction.DECREASE
            ),
        ),
        series=(
            MetricSeries.from_records(
                "blighted",
                place_id="mobile",
                period_type=YEAR,
                records=[("2015", 2000), ("2016", 1600), ("2017", 1500)],
                unit="dwelling",
            ),
        ),
        baselines=(
            Baseline(
                metric_id="blighted", value="2000 dwelling", as_of="2015-12-31", place_id="mobile"
            ),
        ),
        targets=(
            Target(
                id="half-blight",
                metric_id="blighted",
                stage=TargetStage.FINAL,
                value="1000 dwelling",
                due="2019-12-31",
                place_id="mobile",
            ),
        ),
        milestones=(
            Milestone(id="m1", target_id="half-blight", title="Three quarters", due="2017-12-31"),
        ),
        funding=(
            Funding(
                id="fr-2017-grant",
                source_id="funder",
                recipient_id="paris",
                kind=FundingKind.GRANT,
                amount=usd("$1.4 million"),
                cohort_id="fr-2017",
            ),
            Funding(
                id="mobile-team-grant",
                source_id="funder",
                recipient_id="mobile",
                kind=FundingKind.GRANT,
                amount=usd("$1.65M"),
                cohort_id="us-2014",
            ),
            Funding(
                id="syr-team-grant",
                source_id="funder",
                recipient_id="syracuse",
                kind=FundingKind.GRANT,
                amount=usd("$1.35M"),
                cohort_id="us-2014",
            ),
            Funding(
                id="syr-team-local-match",
                source_id="syracuse",
                recipient_id="syr-team",
                kind=FundingKind.LOCAL_MATCH,
                amount=usd("$100k"),
            ),
            Funding(
                id="state-money",
                source_id="state",
                recipient_id="syracuse",
                kind=FundingKind.SECURED,
                amount=usd("$750,000"),
            ),
        ),
        claims=(
            ResultClaim(
                id="halved",
                statement="Blight nearly halved",
                source_ids=("s1",),
                verified=True,
                city_id="mobile",
                value="-45 percent",
            ),
        ),
        ties=(Tie(id="paris-gb", city_id="paris", other_country="GB", kind=TieKind.BORDER),),
        sources=(Source(id="s1", title="A report"),),
        provenance=(Provenance(record="cities:mobile", source_ids=("s1",), verified=True),),
    )


def paths(p: Portfolio) -> list[str]:
    return [str(x) for x in p.check()]


def test_base_is_consistent() -> None:
    assert base().check() == []
    assert base().validate() == base()


@settings(max_examples=30)
@given(consistent_portfolios())
def test_generated_consistent_portfolios_check_clean(p: Portfolio) -> None:
    assert p.check() == []


# -- resolution -------------------------------------------------------------------------------------


def test_resolution_and_suggestions() -> None:
    p = base()
    assert p.city("mobile").name == "Mobile"
    assert p.challenge("mobile-blight").city_id == "mobile"
    assert p.target("half-blight").value.magnitude == 1000
    assert p.get("funding", "syr-team-grant").amount == usd("$1.35M")
    with pytest.raises(
        UnknownIdError,
        match=r"^no challenge with id 'mobile-blite' \(did you mean "
        r"'mobile-blight'\?\)$",
    ):
        p.challenge("mobile-blite")
    with pytest.raises(LookupError):
        p.metric("nothing")


def test_lookups() -> None:
    p = base()
    assert [t.id for t in p.iteam_of("syracuse")] == ["syr-team"]
    assert len(p.series_of("blighted", "mobile")) == 1
    assert [c.id for c in p.claims_about("mobile")] == ["halved"]
    assert len(p.provenance_of("cities", "mobile")) == 1


# -- check(): every problem with a path -----------------------------------------------------------


def test_duplicate_ids() -> None:
    p = attrs.evolve(base(), cities=(*base().cities, City(id="mobile", name="Again", country="US")))
    assert paths(p) == ["$.cities[3].id: duplicate city id 'mobile' (first at $.cities[0])"]


def test_dangling_references_all_reported() -> None:
    p = base()
    bad_initiative = attrs.evolve(p.initiatives[0], target_ids=("half-blight", "nope"))
    bad_challenge = attrs.evolve(p.challenges[1], metric_ids=("pipes-broken",))
    p = attrs.evolve(
        p,
        initiatives=(bad_initiative, p.initiatives[1]),
        challenges=(p.challenges[0], bad_challenge),
        claims=(attrs.evolve(p.claims[0], source_ids=("s2",)),),
    )
    assert paths(p) == [
        "$.challenges[1].metric_ids[0]: 'pipes-broken' is not the id of any metric",
        "$.initiatives[0].target_ids[1]: 'nope' is not the id of any target",
        "$.claims[0].source_ids[0]: 's2' is not the id of any source",
    ]


def test_cohort_member_and_funder_must_resolve() -> None:
    p = base()
    cohort = attrs.evolve(
        p.cohorts[1],
        funder_id="nobody",
        members=(CohortMember(city_id="lyon", joined=D(2017, 7, 11)),),
    )
    p = attrs.evolve(p, cohorts=(p.cohorts[0], cohort))
    assert paths(p) == [
        "$.cohorts[1].funder_id: 'nobody' is not the id of any partner",
        "$.cohorts[1].members[0].city_id: 'lyon' is not the id of any city",
    ]


def test_cross_city_references() -> None:
    p = base()
    ini = attrs.evolve(p.initiatives[1], challenge_ids=("syr-pipes", "mobile-blight"))
    p = attrs.evolve(p, initiatives=(p.initiatives[0], ini))
    assert paths(p) == [
        "$.initiatives[1].challenge_ids[1]: challenge 'mobile-blight' belongs to 'mobile', but "
        "the initiative belongs to 'syracuse'"
    ]


def test_idea_must_answer_one_of_the_initiatives_challenges() -> None:
    p = base()
    ini = attrs.evolve(p.initiatives[1], idea_ids=("inventory",))
    p = attrs.evolve(p, initiatives=(p.initiatives[0], ini))
    assert paths(p) == [
        "$.initiatives[1].idea_ids[0]: idea 'inventory' answers challenge 'mobile-blight', which "
        "is not among the initiative's challenge_ids"
    ]


def test_orphans() -> None:
    p = base()
    stray = Target(
        id="stray",
        metric_id="other",
        stage=TargetStage.PRELIMINARY,
        value="1 incident",
        due="2020-01-01",
    )
    team = ITeam(id="paris-team", city_id="paris", cohort_id="us-2014")
    p = attrs.evolve(
        p,
        metrics=(*p.metrics, MetricDefinition(id="other", name="Other", unit="incident")),
        targets=(*p.targets, stray),
        baselines=(
            *p.baselines,
            Baseline(metric_id="other", value="1 incident", as_of="2014-01-01"),
        ),
        iteams=(*p.iteams, team),
    )
    assert paths(p) == [
        "$.targets[1]: target 'stray' is an orphan: no initiative lists it and no challenge "
        "tracks its metric 'other'",
        "$.baselines[1]: baseline of 'other' is an orphan: no challenge tracks that metric",
        "$.iteams[2].cohort_id: the i-team's city 'paris' is not a member of cohort 'us-2014'",
    ]


def test_dates_out_of_order() -> None:
    p = base()
    early = PhaseChange(
        from_phase=Phase.GETTING_STARTED, to_phase=Phase.INVESTIGATE, on=D(2014, 3, 1)
    )
    challenge = attrs.evolve(p.challenges[0], history=(early,))
    target = attrs.evolve(p.targets[0], due=D(2015, 6, 30))
    milestone = attrs.evolve(p.milestones[0], due=D(2016, 1, 1))
    p = attrs.evolve(
        p, challenges=(challenge, p.challenges[1]), targets=(target,), milestones=(milestone,)
    )
    assert paths(p) == [
        "$.challenges[0].history[0].on: 2014-03-01 is before 'mobile' joined its first cohort "
        "(2014-12-15)",
        "$.targets[0].due: 2015-06-30 is before the baseline of 'blighted' (2015-12-31); expected "
        "a target due after its baseline",
        "$.milestones[0].due: 2016-01-01 is after the due date of target 'half-blight' (2015-06-30)",
    ]


def test_provenance_must_resolve() -> None:
    p = attrs.evolve(
        base(),
        provenance=(
            Provenance(record="cities:lyon", source_ids=("s1",), verified=True),
            Provenance(record="planets:mars", source_ids=("s1",), verified=True),
        ),
    )
    assert paths(p) == [
        "$.provenance[0].record: 'lyon' is not the id of any city",
        "$.provenance[1].record: 'planets' is not a collection; expected one of cities, partners, "
        "cohorts, iteams, priority_areas, challenges, ideas, initiatives, metrics, targets, "
        "milestones, funding, claims, ties, supports, rosters, sources",
    ]


def test_validate_raises_with_every_problem() -> None:
    p = attrs.evolve(base(), cities=base().cities[:1])
    with pytest.raises(IntegrityError) as info:
        p.validate(source="p.json")
    assert str(info.value).startswith(f"p.json: {len(info.value.problems)} integrity problems:")
    assert "$.cohorts[0].members[1].city_id: 'syracuse' is not the id of any city" in (
        info.value.problems
    )


def test_cycles_are_reported_once_with_the_loop() -> None:
    from civicinnov.programme._integrity import _find_cycles

    edges = {
        "initiatives:a": [("initiatives:b", "$.initiatives[0].depends_on[0]")],
        "initiatives:b": [("initiatives:a", "$.initiatives[1].depends_on[0]")],
        "initiatives:c": [("initiatives:a", "$.initiatives[2].depends_on[0]")],
    }
    assert [str(p) for p in _find_cycles(edges)] == [
        "$.initiatives[1].depends_on[0]: references form a cycle: initiatives:a -> "
        "initiatives:b -> initiatives:a"
    ]


# -- records ----------------------------------------------------------------------------------------


def test_tie_needs_exactly_one_other_end() -> None:
    with pytest.raises(
        ValidationError,
        match=r"Tie: expected exactly one of other_city_id and "
        r"other_country, got other_city_id='basel', other_country='CH'",
    ):
        Tie(id="t", city_id="mulhouse", other_city_id="basel", other_country="CH", kind="border")
    with pytest.raises(
        ValidationError, match=r"Tie\.other_country: expected an ISO 3166-1 alpha-2"
    ):
        Tie(id="t", city_id="mulhouse", other_country="Switzerland", kind="border")


def test_provenance_record_format() -> None:
    with pytest.raises(ValidationError, match=r"Provenance\.record: expected '<collection>:<id>'"):
        Provenance(record="mobile", source_ids=("s1",), verified=True)


def test_claim_needs_a_source() -> None:
    with pytest.raises(ValidationError, match=r"ResultClaim\.source_ids: expected at least one id"):
        ResultClaim(id="c", statement="x", source_ids=(), verified=True)


def test_claim_value_is_a_quantity() -> None:
    c = ResultClaim(id="c", statement="x", source_ids=("s",), verified=True, value="-19 percent")
    assert c.value.to("dimensionless").magnitude == pytest.approx(-0.19)


# -- roll-ups ---------------------------------------------------------------------------------------


def test_cities_and_countries_by_cohort() -> None:
    p = base()
    assert p.cities_by_cohort() == {"us-2014": ("mobile", "syracuse"), "fr-2017": ("paris",)}
    assert p.countries_by_cohort() == {"us-2014": ("US",), "fr-2017": ("FR",)}


def test_challenges_by_phase_and_domain() -> None:
    p = base()
    by_phase = p.challenges_by_phase()
    assert list(by_phase) == list(Phase)
    assert by_phase[Phase.INVESTIGATE] == ("mobile-blight",)
    assert by_phase[Phase.GETTING_STARTED] == ("syr-pipes",)
    assert p.challenges_by_domain() == {
        PolicyDomain.BLIGHT_AND_VACANCY: ("mobile-blight",),
        PolicyDomain.INFRASTRUCTURE: ("syr-pipes",),
    }


def test_funnel_lists_every_status_in_order() -> None:
    funnel = base().funnel()
    assert list(funnel) == list(InitiativeStatus)
    assert funnel[InitiativeStatus.DELIVERING] == 1
    assert funnel[InitiativeStatus.PILOTING] == 1
    assert sum(funnel.values()) == 2


def test_funding_by_source_is_exact() -> None:
    p = base()
    assert p.funding_by_source() == {
        "funder": {"USD": Money(amount=Decimal("4400000"), currency="USD")},
        "state": {"USD": Money(amount=Decimal("750000"), currency="USD")},
        "syracuse": {"USD": Money(amount=Decimal("100000"), currency="USD")},
    }
    euro = Funding(
        id="eu", source_id="funder", recipient_id="paris", kind="grant", amount=Money.parse("€250k")
    )
    totals = attrs.evolve(p, funding=(*p.funding, euro)).funding_by_currency()
    assert totals == {
        "EUR": Money(amount=Decimal("250000"), currency="EUR"),
        "USD": Money(amount=Decimal("5250000"), currency="USD"),
    }


def test_evidence_levels() -> None:
    levels = base().evidence_levels()
    assert levels[None] == 1
    assert sum(levels.values()) == 2
    assert [int(k) for k in levels if k is not None] == [1, 2, 3, 4, 5]


def test_progress_against_targets_from_records() -> None:
    [row] = base().progress()
    assert (row.challenge_id, row.metric_id, row.target_id) == (
        "mobile-blight",
        "blighted",
        "half-blight",
    )
    assert row.latest is not None
    assert row.latest.magnitude == 1500
    assert row.latest_period == "2017"
    assert row.fraction == pytest.approx(0.5)
    assert row.status == "in_progress"
    assert row.met is False
    [early] = base().progress(as_of=D(2016, 12, 31))
    assert early.latest_period == "2016"
    assert early.fraction == pytest.approx(0.4)


def test_claims_are_not_mixed_into_progress() -> None:
    p = base()
    without = attrs.evolve(p, claims=())
    assert p.progress() == without.progress()


def test_unverified() -> None:
    p = attrs.evolve(
        base(),
        claims=(attrs.evolve(base().claims[0], verified=False),),
        provenance=(Provenance(record="cities:paris", source_ids=("s1",), verified=False),),
    )
    assert p.unverified() == ["cities:paris", "claims:halved"]


# -- gates and network --------------------------------------------------------------------------------


def test_gate_report_uses_the_portfolio() -> None:
    report = base().gate("mobile-blight")
    assert report.to_phase is Phase.GENERATE
    assert not report.passed
    assert "contributing-issues" in report.failing_ids


def test_gate_context_collects_the_challenges_records() -> None:
    ctx = base().gate_context("mobile-blight")
    assert [i.id for i in ctx.ideas] == ["inventory"]
    assert [i.id for i in ctx.initiatives] == ["map-blight"]
    assert ctx.reported_target_ids == frozenset({"half-blight"})


def test_network_has_cities_partners_and_ties() -> None:
    p = base()
    basel = City(id="basel", name="Basel", country="CH")
    tie = Tie(
        id="paris-basel", city_id="paris", other_city_id="basel", kind=TieKind.CROSS_BORDER_METRO
    )
    net = attrs.evolve(p, cities=(*p.cities, basel), ties=(*p.ties, tie)).network()
    assert set(net.cities()) == {"mobile", "syracuse", "paris", "basel"}
    assert set(net.organisations()) == {"funder", "state"}
    kinds = sorted({r.kind.value for r in net.relations()})
    assert kinds == ["border", "cohort_peer", "cross_border_metro", "intermediary"]
    assert net.countries() == ["country-gb"]
    assert "country-gb" not in net.cities()
    border = next(r for r in net.relations() if r.kind.value == "border")
    assert (border.source, border.target, border.id) == ("paris", "country-gb", "paris-gb")


def test_support_enters_the_network_per_city_of_a_cohort_with_its_purposes() -> None:
    p = base()
    support = Support(
        id="state-help",
        provider_id="state",
        recipient_ids=(p.cohorts[0].id, "funder"),
        purposes=("training", "grants"),
        source_ids=(p.sources[0].id,),
    )
    q = attrs.evolve(p, supports=(support,))
    assert q.check() == []
    rels = [r for r in q.network().relations() if r.kind.value == "support"]
    members = set(p.cohorts[0].city_ids)
    assert {r.target for r in rels} == members | {"funder"}
    assert all(r.source == "state" and r.purposes == ("training", "grants") for r in rels)
    assert {r.via for r in rels if r.target in members} == {p.cohorts[0].id}
    assert next(r for r in rels if r.target == "funder").via is None


def test_support_records_are_checked() -> None:
    p = base()
    bad = Support(
        id="x",
        provider_id="mobile",
        recipient_ids=("nowhere", "mobile"),
        purposes=("training",),
        source_ids=("no-source",),
    )
    messages = [str(x) for x in attrs.evolve(p, supports=(bad,)).check()]
    assert "$.supports[0].provider_id: 'mobile' is not the id of any partner" in messages
    assert any(m.startswith("$.supports[0].recipient_ids[0]: 'nowhere'") for m in messages)
    assert any(m.startswith("$.supports[0].source_ids[0]: 'no-source'") for m in messages)
    assert (
        "$.supports[0].recipient_ids: 'mobile' supports itself; expected recipients other "
        "than the provider" in messages
    )
    with pytest.raises(ValidationError, match="listed twice"):
        Support(
            id="y",
            provider_id="a",
            recipient_ids=("b",),
            purposes=("grants", "grants"),
            source_ids=("s",),
        )
    with pytest.raises(ValidationError, match="SupportPurpose"):
        Support(
            id="y", provider_id="a", recipient_ids=("b",), purposes=("lunch",), source_ids=("s",)
        )


# -- fixes: owners, gate criteria, funding kinds, with_records, progress rows ---------------------


def delivering() -> Portfolio:
    """base(), with mobile-blight in Deliver, results reported and two selected initiatives."""
    p = base()
    challenge = attrs.evolve(p.challenge("mobile-blight"), phase=Phase.DELIVER, history=())
    owned = attrs.evolve(p.initiative("map-blight"), long_term_owner="Neighborhood Development")
    second = Initiative(
        id="landlords",
        title="Help landlords",
        city_id="mobile",
        challenge_ids=("mobile-blight",),
        target_ids=("half-blight",),
        status=InitiativeStatus.DELIVERING,
    )
    return p.with_records(challenges=[challenge], initiatives=[owned, second])


def test_gate_context_does_not_lend_one_initiatives_owner_to_the_others() -> None:
    p = delivering()
    ctx = p.gate_context("mobile-blight")
    assert ctx.long_term_owner is None
    report = p.gate("mobile-blight")
    assert report.failing_ids == ("long-term-owner",)
    [owner] = report.failures
    assert owner.reason == (
        "no long-term owner for initiative(s) landlords; name the department that will keep "
        "each selected initiative going (its long_term_owner), or one owner for the whole "
        "challenge (step 4C)"
    )
    both = p.with_records(
        initiatives=[attrs.evolve(p.initiative("landlords"), long_term_owner="Housing")]
    )
    assert both.gate("mobile-blight").passed


def test_gate_context_uses_the_challenges_own_owner_when_the_model_has_one() -> None:
    @attrs.frozen(kw_only=True)
    class OwnedChallenge(Challenge):  # type: ignore[misc]
        long_term_owner: str | None = None

    p = delivering()
    old = p.challenge("mobile-blight")
    fields = {a.name: getattr(old, a.name) for a in attrs.fields(Challenge)}
    owned = OwnedChallenge(**fields, long_term_owner="Planning Department")
    q = p.with_records(challenges=[owned])
    assert q.gate_context("mobile-blight").long_term_owner == "Planning Department"
    assert q.gate("mobile-blight").passed


def test_gate_takes_criteria() -> None:
    from civicinnov.model import Criterion, with_criteria

    p = delivering()
    lenient = with_criteria(Phase.COMPLETE, without=["long-term-owner"])
    assert p.gate("mobile-blight", criteria=lenient).passed
    named = Criterion(id="named", description="named", check=lambda ch, ctx: (False, "never named"))
    report = p.gate("mobile-blight", criteria=[named])
    assert [str(r) for r in report.results] == ["[FAILS] named: never named"]
    with pytest.raises(ValidationError, match=r"criteria\[0\]: expected a Criterion, got str"):
        p.gate("mobile-blight", criteria=["named"])  # type: ignore[list-item]


def test_funding_filters_by_kind() -> None:
    p = base()
    usd_total = Money(amount=Decimal("4400000"), currency="USD")
    assert p.funding_by_source(kinds=FundingKind.GRANT) == {"funder": {"USD": usd_total}}
    assert p.funding_by_source(kinds=["local_match", FundingKind.SECURED]) == {
        "state": {"USD": Money(amount=Decimal("750000"), currency="USD")},
        "syracuse": {"USD": Money(amount=Decimal("100000"), currency="USD")},
    }
    assert p.funding_by_currency(kinds="grant") == {"USD": usd_total}
    assert p.funding_by_currency(kinds=[]) == {}
    assert p.funding_by_kind() == {
        FundingKind.GRANT: {"USD": usd_total},
        FundingKind.LOCAL_MATCH: {"USD": Money(amount=Decimal("100000"), currency="USD")},
        FundingKind.SECURED: {"USD": Money(amount=Decimal("750000"), currency="USD")},
    }
    with pytest.raises(
        ValidationError,
        match=r"^kinds: 'iteam_grant' is not a funding kind; expected one of 'grant', "
        r"'local_match', 'secured', 'investment'$",
    ):
        p.funding_by_source(kinds="iteam_grant")
    with pytest.raises(ValidationError, match=r"^kinds: 3 is not a funding kind"):
        p.funding_by_currency(kinds=[3])  # type: ignore[list-item]


def test_with_records_replaces_by_id_and_appends_the_rest() -> None:
    p = base()
    renamed = City(id="syracuse", name="Syracuse, NY", country="US")
    lyon = City(id="lyon", name="Lyon", country="FR")
    q = p.with_records(cities=[lyon, renamed])
    assert [c.id for c in q.cities] == ["mobile", "syracuse", "paris", "lyon"]
    assert q.city("syracuse").name == "Syracuse, NY"
    assert p.city("syracuse").name == "Syracuse"  # the original is unchanged
    assert q.with_records() == q
    assert p.with_records(series=[], targets=[]) == p


def test_with_records_keys_series_and_baselines_and_appends_provenance() -> None:
    p = base()
    newer = MetricSeries.from_records(
        "blighted", place_id="mobile", period_type=YEAR, records=[("2018", 1200)], unit="dwelling"
    )
    same_day = Baseline(
        metric_id="blighted", value="2100 dwelling", as_of="2015-12-31", place_id="mobile"
    )
    later = Baseline(
        metric_id="blighted", value="1900 dwelling", as_of="2016-12-31", place_id="mobile"
    )
    prov = Provenance(record="cities:mobile", source_ids=("s1",), verified=False)
    q = p.with_records(series=[newer], baselines=[same_day, later], provenance=[prov])
    assert len(q.series) == 1
    assert list(q.series[0].labels) == ["2018"]
    assert [b.value.magnitude for b in q.baselines] == [2100, 1900]
    assert len(q.provenance) == 2
    assert q.check() == []


def test_with_records_errors() -> None:
    p = base()
    with pytest.raises(
        ValidationError,
        match=r"^with_records: 'citys' is not a collection \(did you mean 'cities'\?\); "
        r"expected one of cities, partners, ",
    ):
        p.with_records(citys=[])
    twice = City(id="lyon", name="Lyon", country="FR")
    with pytest.raises(
        ValidationError, match=r"^with_records: cities\[1\]: id 'lyon' is given twice"
    ):
        p.with_records(cities=[twice, twice])
    b = Baseline(metric_id="blighted", value="1 dwelling", as_of="2015-12-31", place_id="mobile")
    with pytest.raises(
        ValidationError,
        match=r"baselines\[1\]: the baseline of 'blighted' in 'mobile' as of 2015-12-31 is "
        r"given twice",
    ):
        p.with_records(baselines=[b, b])
    with pytest.raises(ValidationError, match=r"Portfolio.cities\[3\]: expected City, got str"):
        p.with_records(cities=["lyon"])


def test_progress_has_a_no_data_row_for_a_target_without_series() -> None:
    no_series = attrs.evolve(base(), series=())
    [row] = no_series.progress()
    assert (row.target_id, row.latest, row.latest_period, row.status, row.met) == (
        "half-blight",
        None,
        None,
        "no_data",
        None,
    )


def _one_metric(values: list[float], target: str, *, direction: str = "decrease") -> Portfolio:
    from civicinnov.periods import MONTH

    series = MetricSeries.from_arrays(
        "m",
        place_id="x",
        period_type=MONTH,
        periods=[f"2017-{k:02d}" for k in range(1, len(values) + 1)],
        values=values,
        unit="person",
    )
    return Portfolio(
        metrics=[MetricDefinition(id="m", name="M", unit="person", direction=Direction(direction))],
        challenges=[Challenge(id="c", city_id="x", statement="S", metric_ids=["m"])],
        series=[series],
        targets=[Target(id="t", metric_id="m", stage="final", value=target, due="2018-12-31")],
    )


def test_progress_as_of_counts_a_period_once_it_has_ended() -> None:
    """A month counts on its last day, not its first: July is not yet observed on 15 July."""
    p = _one_metric([10.0] * 6 + [4.0], "5 person")
    [mid_july] = p.progress(as_of=D(2017, 7, 15))
    assert mid_july.latest_period == "2017-06"
    assert mid_july.latest is not None
    assert mid_july.latest.magnitude == 10
    [end_july] = p.progress(as_of=D(2017, 7, 31))
    assert end_july.latest_period == "2017-07"
    [first_july] = p.progress(as_of=D(2017, 7, 1))
    assert first_july.latest_period == "2017-06"


@pytest.mark.parametrize(
    ("direction", "latest", "met"),
    [
        ("decrease", 5.0, True),  # exactly at the target is met
        ("decrease", 5.5, False),
        ("decrease", 4.5, True),
        ("increase", 5.0, True),
        ("increase", 4.5, False),
    ],
)
def test_target_met_at_or_beyond_the_target(direction: str, latest: float, met: bool) -> None:
    [row] = _one_metric([latest], "5 person", direction=direction).progress()
    assert row.met is met


def test_check_compares_every_quantity_with_its_metric() -> None:
    """A target in kg, a baseline in km and a series in kg on a metric counted in dwellings."""
    p = base()
    metric_id = "blighted"
    unit = str(p.metric(metric_id).unit)
    wrong = attrs.evolve(
        p,
        targets=tuple(
            attrs.evolve(t, value="6600 kg") if t.metric_id == metric_id else t for t in p.targets
        ),
        baselines=tuple(
            attrs.evolve(b, value="13188 km") if b.metric_id == metric_id else b
            for b in p.baselines
        ),
        series=tuple(
            attrs.evolve(s, unit="kg") if s.metric_id == metric_id else s for s in p.series
        ),
    )
    problems = [str(x) for x in wrong.check()]
    assert any(
        x.startswith(
            "$.targets[0].value: the target is in kg ([mass]) but metric 'blighted' is "
            f"measured in {unit}"
        )
        for x in problems
    ), problems
    assert any(
        x.startswith("$.baselines[0].value: the baseline is in km ([length])") for x in problems
    )
    assert any(x.startswith("$.series[0].unit: the series is in kg") for x in problems)
    with pytest.raises(IntegrityError, match="3 integrity problems"):
        wrong.validate()


@settings(max_examples=15, deadline=None)
@given(consistent_portfolios(), st.sampled_from(["kg", "km", "s", "person", "dwelling", "percent"]))
def test_what_check_accepts_every_report_renders(p: Portfolio, unit: str) -> None:
    """Any portfolio that check() accepts -- here with a unit swapped in -- renders every format."""
    from civicinnov.programme import build_report
    from civicinnov.render import render_json, render_markdown, render_text

    swapped = attrs.evolve(
        p,
        targets=tuple(attrs.evolve(t, value=f"{t.value.magnitude} {unit}") for t in p.targets),
        series=tuple(attrs.evolve(s, unit=unit) for s in p.series),
    )
    if swapped.check():
        return
    report = build_report(swapped)
    assert render_text(report)
    assert render_markdown(report)
    assert render_json(report)


def test_a_partner_may_not_share_a_city_id() -> None:
    p = base()
    clash = attrs.evolve(
        p, partners=(*p.partners, Partner(id="mobile", name="M", kinds={"funder"}))
    )
    assert [str(x) for x in clash.check()] == [
        "$.partners[2].id: 'mobile' is also the id of a city ($.cities[0]); expected partner ids "
        "distinct from city ids, as both are nodes of the city network"
    ]


# -- unknown is unknown: unreported phases, unverified money, observed adoptions ------------------


def _two_teams(*, chicago_verified: bool) -> Portfolio:
    return Portfolio(
        cities=[
            City(id="chicago", name="Chicago", country="US"),
            City(id="memphis", name="Memphis", country="US"),
        ],
        partners=[Partner(id="bp", name="BP", kinds=["funder"])],
        iteams=[
            ITeam(id="chicago-team", city_id="chicago"),
            ITeam(id="memphis-team", city_id="memphis"),
        ],
        sources=[Source(id="op-ed", title="An op-ed copy")],
        funding=[
            Funding(
                id="chi", source_id="bp", recipient_id="chicago", kind="grant", amount=usd("$6M")
            ),
            Funding(
                id="mem",
                source_id="bp",
                recipient_id="memphis-team",
                kind="grant",
                amount=usd("$4.8M"),
            ),
            Funding(
                id="mem-match",
                source_id="memphis",
                recipient_id="memphis-team",
                kind="local_match",
                amount=usd("$1.6M"),
            ),
        ],
        provenance=[
            Provenance(record="funding:chi", source_ids=["op-ed"], verified=chicago_verified)
        ],
    )


def test_unverified_money_is_left_out_unless_asked_for() -> None:
    p = _two_teams(chicago_verified=False)
    assert p.check() == []
    assert p.funding_by_currency(kinds="grant") == {"USD": usd("$4.8M")}
    assert p.funding_by_currency(kinds="grant", include_unverified=True) == {"USD": usd("$10.8M")}
    assert p.funding_by_source()["bp"] == {"USD": usd("$4.8M")}
    assert p.funding_by_kind()[FundingKind.GRANT] == {"USD": usd("$4.8M")}
    assert p.funding_by_kind(include_unverified=True)[FundingKind.GRANT] == {"USD": usd("$10.8M")}
    verified = _two_teams(chicago_verified=True)
    assert verified.funding_by_currency(kinds="grant") == {"USD": usd("$10.8M")}


def test_funding_coverage_counts_teams_with_a_grant_to_the_city_or_the_team() -> None:
    coverage = funding_coverage(_two_teams(chicago_verified=False))
    assert coverage.with_grant == ("chicago-team", "memphis-team")
    assert coverage.unverified_grant == ("chicago-team",)
    assert coverage.unverified_funding == ("chi",)
    assert coverage.summary() == "2 of 2 i-teams report a grant (1 unverified)"
    clean = funding_coverage(_two_teams(chicago_verified=True))
    assert clean.unverified_grant == ()
    assert clean.summary() == "2 of 2 i-teams report a grant"
    # a local match is not a grant
    only_match = attrs.evolve(
        _two_teams(chicago_verified=True),
        funding=[f for f in _two_teams(chicago_verified=True).funding if f.kind.value != "grant"],
    )
    assert funding_coverage(only_match).summary() == "0 of 2 i-teams report a grant"
    report = build_report(_two_teams(chicago_verified=False))
    assert report.funding_coverage is not None
    assert [(f.id, r.id, str(m)) for f, r, m in report.funding_coverage.unverified] == [
        ("chi", "chicago", "USD 6,000,000.00")
    ]
    assert report.overview.unverified_records == 1
    assert report.overview.unverified_claims == 0


def test_an_unreported_phase_is_shown_as_such_and_has_no_gate() -> None:
    p = base().with_records(
        challenges=[attrs.evolve(base().challenge("mobile-blight"), phase=None, history=())]
    )
    assert p.check() == []
    assert p.challenges_by_phase()[None] == ("mobile-blight",)
    report = build_report(p)
    assert report.challenges_by_phase[-1][0] is None
    assert [c.id for c in report.challenges_by_phase[-1][1]] == ["mobile-blight"]
    with pytest.raises(TransitionError, match="no source reports which phase it is in"):
        p.gate("mobile-blight")
    with pytest.raises(TransitionError, match="no source reports which phase it is in"):
        advance(p.challenge("mobile-blight"), None, on=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="not reported"):
        attrs.evolve(
            p.challenge("mobile-blight"),
            history=[
                PhaseChange(from_phase="getting_started", to_phase="investigate", on="2015-01-01")
            ],
        )
    # a challenge without a phase key in a document still starts at the beginning
    doc = to_document(p)
    del doc["challenges"][0]["phase"]
    assert from_document(doc).challenge("mobile-blight").phase is Phase.GETTING_STARTED
    assert from_document(to_document(p)).challenge("mobile-blight").phase is None


def test_source_dates_bound_what_a_source_can_report() -> None:
    cohort = Cohort(id="c", name="C", funder_id="bp", announced="2017-07-11")
    claim = ResultClaim(
        id="r",
        statement="Murders fell in 2013",
        source_ids=["s"],
        verified=True,
        period=Period.parse("2013"),
    )

    def with_source(published: object) -> Portfolio:
        return Portfolio(
            cohorts=[cohort],
            claims=[claim],
            sources=[Source(id="s", title="S", published=published)],
            provenance=[Provenance(record="cohorts:c", source_ids=["s"], verified=True)],
        )

    assert check_source_dates(with_source(None)) == []  # undated: may be late enough
    assert check_source_dates(with_source("2017-07")) == []  # the same month may be after
    assert check_source_dates(with_source("2017")) == []
    assert [x.path for x in check_source_dates(with_source("2017-06"))] == [
        "$.cohorts[0].announced"
    ]
    assert [x.path for x in check_source_dates(with_source("2012"))] == [
        "$.cohorts[0].announced",
        "$.claims[0].period",
    ]
    # one late-enough source among several is enough
    two = with_source("2012").with_records(
        sources=[Source(id="later", title="L", published="2018")],
        provenance=[Provenance(record="cohorts:c", source_ids=["later"], verified=True)],
    )
    assert [x.path for x in check_source_dates(two)] == ["$.claims[0].period"]


def test_observed_adoptions_come_from_ideas_with_an_origin_city() -> None:
    p = base()
    mobile = p.challenge("mobile-blight")
    p = p.with_records(
        ideas=[
            Idea(
                id="from-syracuse",
                challenge_id=mobile.id,
                title="Pothole app",
                source="other_city",
                origin_city_id="syracuse",
            ),
            Idea(
                id="home-grown",
                challenge_id=mobile.id,
                title="Own idea",
                source="other_city",
                origin_city_id="mobile",
            ),
            Idea(id="no-origin", challenge_id=mobile.id, title="Staff idea", source="staff"),
        ]
    )
    assert [(a.idea_id, a.origin_city_id, a.city_id) for a in observed_adoptions(p)] == [
        ("from-syracuse", "syracuse", "mobile")
    ]
    ghost = p.with_records(
        ideas=[
            Idea(
                id="ghost",
                challenge_id=mobile.id,
                title="G",
                source="other_city",
                origin_city_id="atlantis",
            )
        ]
    )
    assert any(".origin_city_id" in x.path and "atlantis" in x.message for x in ghost.check())


def test_claims_hold_money_and_a_hedge() -> None:
    claim = ResultClaim(
        id="c",
        statement="Nearly 300 communities",
        source_ids=["s"],
        verified=True,
        value="300 dimensionless",
        qualifier="nearly",
        amount=usd("$43M"),
    )
    assert claim.qualifier is Qualifier.NEARLY
    line = build_report(Portfolio(claims=[claim])).reported_results[0]
    assert (line.qualifier, str(line.amount)) == (Qualifier.NEARLY, "USD 43,000,000.00")
    with pytest.raises(ValidationError, match=r"ResultClaim\.amount: expected Money"):
        ResultClaim(id="c", statement="S", source_ids=["s"], verified=True, amount="$43M")
    with pytest.raises(ValidationError, match=r"ResultClaim\.qualifier: expected Qualifier"):
        ResultClaim(id="c", statement="S", source_ids=["s"], verified=True, qualifier="roughly")


def test_a_claim_holds_one_figure_so_portfolios_compare() -> None:
    import numpy as np

    from civicinnov.units import as_quantity

    with pytest.raises(ValidationError, match="expected one reported figure, got an array of 2"):
        ResultClaim(
            id="c", statement="S", source_ids=("s",), verified=True,
            value=as_quantity(np.array([1.0, 2.0]), "person"),
        )  # fmt: skip
    claim = ResultClaim(id="c", statement="S", source_ids=("s",), verified=True, value="3 person")
    assert Portfolio(claims=(claim,)) == Portfolio(claims=(claim,))


def test_progress_can_be_restricted_to_approved_observations() -> None:
    p = _one_metric([10.0, 4.0], "5 person")
    [s] = p.series
    annotated = attrs.evolve(s, approvals=["approved", "submitted"])
    q = attrs.evolve(p, series=(annotated,))
    [everything] = q.progress()
    [approved] = q.progress(approved_only=True)
    assert everything.latest_period == "2017-02"
    assert approved.latest_period == "2017-01"
