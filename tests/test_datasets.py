"""The bundled i-teams data set: the programme's public facts, each sourced, and the published schema."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import attrs
import pytest

from civicinnov.datasets import iteams_bytes, load_iteams
from civicinnov.errors import TransitionError
from civicinnov.io.schema import dumps_schema, load_schema, portfolio_schema, validate
from civicinnov.metrics import builtin_definitions
from civicinnov.model import DatePrecision, InitiativeStatus, PartialDate, PartnerKind, Phase, Role
from civicinnov.money import Money
from civicinnov.programme import (
    FundingKind,
    Portfolio,
    Provenance,
    Qualifier,
    TieKind,
    build_report,
    check_source_dates,
    funding_coverage,
)
from civicinnov.programme._records import COLLECTIONS as _COLLECTIONS
from civicinnov.render import render_text

USD = "USD"


@pytest.fixture(scope="module")
def p() -> Portfolio:
    return load_iteams()


def test_loads_cleanly_and_is_cached(p: Portfolio) -> None:
    assert p.check() == []
    assert load_iteams() is p


def test_pioneer_cohort(p: Portfolio) -> None:
    cohort = p.cohort("pioneer-2011")
    assert cohort.announced.isoformat() == "2011-07-14"
    assert cohort.city_ids == ("atlanta", "chicago", "louisville", "memphis", "new-orleans")


def test_2014_and_2017_rounds(p: Portfolio) -> None:
    round2 = p.cohort("round2-2014")
    assert len(round2.city_ids) == 14
    assert {"rochester", "jerusalem", "tel-aviv", "mobile", "syracuse"} <= set(round2.city_ids)
    assert round2.member("long-beach") is not None
    assert round2.member("long-beach").joined.isoformat() == "2015-05-18"  # type: ignore[union-attr]
    baltimore = p.cohort("round3-2017").member("baltimore")
    assert baltimore is not None
    assert str(baltimore.joined_reported) == "2017-08"  # "formed in August 2017": no day
    round3 = p.cohort("round3-2017")
    assert round3.announced.isoformat() == "2017-01-12"
    assert set(round3.city_ids) == {
        "anchorage",
        "austin",
        "baltimore",
        "detroit",
        "durham",
        "beer-sheva",
        "toronto",
    }
    assert p.countries_by_cohort()["round3-2017"] == ("CA", "IL", "US")


def test_french_cohort_with_la_27e_region(p: Portfolio) -> None:
    france = p.cohort("france-2017")
    assert france.partner_ids == ("la-27e-region",)
    [grant] = [f for f in p.funding if f.cohort_id == "france-2017"]
    assert grant.amount == Money(amount=Decimal("1400000"), currency=USD)
    assert grant.recipient_id == "la-27e-region"  # one grant to the partner, not one per city
    assert {"paris", "mulhouse", "dunkerque", "occitanie"} <= set(france.city_ids)
    assert p.partner("la-27e-region").country == "FR"
    about = {c.id: c for c in p.claims_about("france-2017")}
    assert "france-six-more" in about
    assert (
        "training, technical support and peer-to-peer learning" in about["france-grant"].statement
    )
    [toulouse] = p.provenance_of("cities", "toulouse")
    assert toulouse.verified is False


def test_twenty_cities_operating_in_july_2017(p: Portfolio) -> None:
    [roster] = p.rosters
    assert roster.on.isoformat() == "2017-07-11"
    assert len(roster.city_ids) == 20
    assert "rochester" not in roster.city_ids
    assert {p.city(c).country for c in roster.city_ids} == {"US", "IL", "CA"}


def test_city_coordinates_and_countries(p: Portfolio) -> None:
    mobile = p.city("mobile")
    assert mobile.country == "US"
    assert mobile.location is not None
    assert (mobile.location.lat, mobile.location.lon) == pytest.approx((30.69, -88.04), abs=0.05)
    assert p.city("tel-aviv").country == "IL"
    assert p.city("toronto").country == "CA"
    assert all(c.location is not None for c in p.cities)


def test_worked_examples(p: Portfolio) -> None:
    tel_aviv = [c for c in p.challenges if c.city_id == "tel-aviv"]
    assert {c.policy_domain.value for c in tel_aviv} == {"cost_of_living", "social_inclusion"}
    synagogues = p.initiative("tel-aviv-synagogue-centres")
    assert synagogues.status is InitiativeStatus.PILOTING
    assert p.initiative("tel-aviv-childcare-mandates").challenge_ids == ("tel-aviv-young-families",)
    blight = p.challenge("mobile-blight")
    near = p.metric("mobile-homes-near-blight")
    assert near.id in blight.metric_ids
    assert "150 ft" in near.name
    near_claims = [c for c in p.claims_about("mobile-homes-near-blight") if c.value is not None]
    assert sorted(int(c.value.magnitude) for c in near_claims) == [13000, 13188]  # type: ignore[union-attr]
    assert p.challenge("detroit-gun-violence").policy_domain.value == "public_safety"
    assert p.challenge("boston-affordable-housing").policy_domain.value == "housing"


def test_syracuse_state_funding(p: Portfolio) -> None:
    assert p.funding_by_source()["new-york-state"] == {
        USD: Money(amount=Decimal("750000"), currency=USD)
    }


def test_related_institutions(p: Portfolio) -> None:
    assert p.partner("cities-of-service").kinds
    bcpi = [f for f in p.funding if f.recipient_id == "bloomberg-center-for-public-innovation"]
    assert [f.amount for f in bcpi] == [Money(amount=Decimal("43000000"), currency=USD)]


def test_pioneer_headline_results_are_sourced_claims(p: Portfolio) -> None:
    pioneers = set(p.cohort("pioneer-2011").city_ids)
    cities_with_claims = {c.city_id for c in p.claims if c.city_id in pioneers}
    assert cities_with_claims == pioneers
    nola = next(c for c in p.claims if c.id == "nola-murders-2013")
    assert nola.value is not None
    assert nola.value.magnitude == -19
    assert nola.verified
    assert all(c.source_ids for c in p.claims)


def test_cross_border_ties(p: Portfolio) -> None:
    ties = {(t.city_id, t.other) for t in p.ties}
    assert ties == {
        ("mulhouse", "basel"),
        ("mulhouse", "freiburg"),
        ("basel", "freiburg"),
        ("dunkerque", "BE"),
        ("dunkerque", "GB"),
        ("occitanie", "ES"),
        ("occitanie", "AD"),
    }
    assert {t.kind for t in p.ties if "basel" in (t.city_id, t.other)} == {
        TieKind.CROSS_BORDER_METRO
    }
    assert all(
        prov.source_ids == ("citylab-2017-france",)
        for prov in p.provenance
        if prov.collection == "ties"
    )


def test_the_ties_enter_the_network_with_their_own_kinds(p: Portfolio) -> None:
    network = p.network()
    described = {
        (r.kind.value, frozenset((r.source, r.target)))
        for r in network.relations()
        if r.kind.cross_border
    }
    assert described == {
        ("cross_border_metro", frozenset({"mulhouse", "basel"})),
        ("cross_border_metro", frozenset({"mulhouse", "freiburg"})),
        ("cross_border_metro", frozenset({"basel", "freiburg"})),
        ("border", frozenset({"dunkerque", "country-be"})),
        ("across_water", frozenset({"dunkerque", "country-gb"})),
        ("border", frozenset({"occitanie", "country-es"})),
        ("border", frozenset({"occitanie", "country-ad"})),
    }
    assert not [r for r in network.relations() if r.kind.value == "partnership"]
    assert network.countries() == ["country-be", "country-gb", "country-es", "country-ad"]
    assert not set(network.countries()) & set(network.cities())
    assert len(network.cities()) == len(p.cities)
    assert network.node("country-gb")["country"] == "GB"


def test_support_is_data_with_its_purposes(p: Portfolio) -> None:
    network = p.network()
    support = [r for r in network.relations() if r.kind.value == "support"]
    la27 = {r.target: r for r in support if r.source == "la-27e-region"}
    assert set(la27) == set(p.cohort("france-2017").city_ids)
    assert {r.purposes for r in la27.values()} == {
        ("training", "technical_assistance", "peer_learning")
    }
    assert {r.via for r in la27.values()} == {"france-2017"}
    bcpi = [r for r in support if r.source == "bloomberg-center-for-public-innovation"]
    hosted = {r.target for r in bcpi if r.purposes == ("hosting",)}
    assert "cities-of-service" in hosted
    assert set(p.cohort("round2-2014").city_ids) <= hosted
    # the centre's offer goes to US city officials, not to the i-teams abroad
    served = {r.target for r in bcpi if "training" in r.purposes}
    assert served
    assert {p.city(c).country for c in served} == {"US"}
    assert "tel-aviv" in hosted
    offered = {x for r in bcpi for x in r.purposes}
    assert offered == {
        "hosting",
        "training",
        "technical_assistance",
        "fellowships",
        "grants",
        "research",
        "student_placement",
    }
    assert PartnerKind.NETWORK in p.partner("cities-of-service").kinds
    size = next(c for c in p.claims if c.id == "cities-of-service-size")
    assert size.value is not None
    assert size.value.magnitude == 300


def test_every_record_has_provenance_and_every_source_is_used(p: Portfolio) -> None:
    covered = {prov.record for prov in p.provenance}
    for collection in _COLLECTIONS:
        if collection in ("claims", "rosters", "sources"):
            continue  # these carry their sources themselves
        for record in getattr(p, collection):
            assert f"{collection}:{record.id}" in covered, f"{collection}:{record.id}"
    used = {s for prov in p.provenance for s in prov.source_ids}
    used |= {s for c in p.claims for s in c.source_ids}
    used |= {s for r in p.rosters for s in r.source_ids}
    assert used == {s.id for s in p.sources}


def test_computed_progress_is_apart_from_claims(p: Portfolio) -> None:
    [row] = p.progress()
    assert (row.challenge_id, row.status, row.met) == ("atlanta-unsheltered", "no_baseline", True)


# -- every fact as its source has it ------------------------------------------------------------------


def _sources_of(p: Portfolio, collection: str, record_id: str) -> set[str]:
    return {s for prov in p.provenance_of(collection, record_id) for s in prov.source_ids}


def test_facts_point_at_the_source_that_states_them(p: Portfolio) -> None:
    # Tel Aviv's older residents are in the CityLab article, not in the funder's release
    assert _sources_of(p, "priority_areas", "tel-aviv-older-residents") == {"citylab-2017-france"}
    # Amanda Daflos as the Los Angeles director comes from the note on the Johns Hopkins centre
    (team,) = p.iteam_of("los-angeles")
    assert team.director is not None
    assert team.director.name == "Amanda Daflos"
    assert "bcpi-launch" in _sources_of(p, "iteams", "los-angeles-iteam")
    assert _sources_of(p, "priority_areas", "los-angeles-revitalisation") == {"la2050-iteam-job"}
    # the US$1.4 million grant is in the funder's release and is not in doubt
    [grant] = p.provenance_of("funding", "france-2017-grant")
    assert (grant.source_ids, grant.verified) == (("bp-2017-france",), True)
    # the pioneer round's US$24 million is from the 2011 reports, not a 2014 article
    assert set(p.get("claims", "pioneer-total-grant").source_ids) == {
        "lpm-2011-louisville",
        "bayoubuzz-2011-nola",
    }
    assert p.initiative("memfix").long_term_owner == "BLDG Memphis"


def test_no_dated_fact_rests_only_on_earlier_sources(p: Portfolio) -> None:
    """Walks every dated record: a fact dated D needs a source that may be published on or after D."""
    assert check_source_dates(p) == []
    # the check bites: Long Beach began work in May 2015, after the December 2014 release
    only_the_release = [
        Provenance(record=prov.record, source_ids=("bp-2014-12-cities",), verified=True)
        if prov.record == "cohorts:round2-2014"
        else prov
        for prov in p.provenance
    ]
    broken = attrs.evolve(p, provenance=only_the_release)
    assert [str(x) for x in check_source_dates(broken)] == [
        "$.cohorts[1].members[4].joined: dated 2015-05-18, but every source (bp-2014-12-cities, "
        "published 2014-12-15) was published before it"
    ]


def test_no_challenge_claims_a_phase_no_source_reports(p: Portfolio) -> None:
    assert [c.id for c in p.challenges if c.phase is not None] == []
    assert p.challenges_by_phase()[None] == tuple(c.id for c in p.challenges)
    assert all(p.challenges_by_phase()[phase] == () for phase in Phase)
    # Tel Aviv's loneliness challenge is piloting ideas; nothing says it is delivering
    elders = p.challenge("tel-aviv-lonely-elders")
    assert elders.phase is not Phase.DELIVER
    with pytest.raises(TransitionError, match="no source reports which phase it is in"):
        p.gate("tel-aviv-lonely-elders")
    for challenge in p.challenges:
        notes = " ".join(prov.note or "" for prov in p.provenance_of("challenges", challenge.id))
        assert "no source reports the phase" in notes, challenge.id


def test_reports_to_only_where_a_source_says(p: Portfolio) -> None:
    said = {t.id: t.reports_to for t in p.iteams if t.reports_to is not None}
    assert said == {"memphis-iteam": Role.MAYOR, "syracuse-iteam": Role.MAYOR}
    for team_id in said:
        [prov] = p.provenance_of("iteams", team_id)
        assert prov.note is not None
        assert "reporting line" in prov.note
    (occitanie,) = p.iteam_of("occitanie")
    assert occitanie.reports_to is None  # a region's team does not report to a mayor


def test_dates_keep_the_precision_their_source_gives(p: Portfolio) -> None:
    published = {s.id: s.published for s in p.sources}
    assert str(published["citylab-2017-france"]) == "2017-07"
    assert published["citylab-2017-france"].precision is DatePrecision.MONTH  # type: ignore[union-attr]
    assert str(published["citiscope-atlanta"]) == "2014"
    assert str(published["bcpi-launch"]) == "2021"
    toulouse = p.cohort("france-2017").member("toulouse")
    assert toulouse is not None
    assert toulouse.joined_reported == PartialDate(year=2017, month=7)
    # a day on the first of a month is how a guessed day looks: none is left in the record
    days = [d for d in published.values() if d is not None and d.precision is DatePrecision.DAY]
    assert [str(d) for d in days if d.day == 1] == []
    for cohort in p.cohorts:
        for member in cohort.members:
            if member.joined.day == 1 and member.joined != cohort.announced:
                assert member.joined_reported is not None, member.city_id


def test_scope_is_stated_truthfully(p: Portfolio) -> None:
    assert "July 2017" in p.name
    assert "2021" in p.name
    end_of_scope = PartialDate(year=2017, month=7)
    later = {
        s.id
        for s in p.sources
        if s.published is not None and end_of_scope.certainly_before(s.published)
    }
    assert later == {"bcpi-launch"}
    sources = {s.id: s for s in p.sources}

    def after_scope(source_id: str) -> bool:
        published = sources[source_id].published
        return published is not None and end_of_scope.certainly_before(published)

    only_later = {prov.record for prov in p.provenance if all(map(after_scope, prov.source_ids))}
    only_later |= {f"claims:{c.id}" for c in p.claims if all(map(after_scope, c.source_ids))}
    # the records the module docs name as resting only on the 2021 note, and no others
    assert only_later == {
        "partners:bloomberg-center-for-public-innovation",
        "partners:johns-hopkins-university",
        "funding:bcpi-investment",
        "claims:cities-of-service-size",
        "supports:bcpi-hosting",
        "supports:bcpi-city-support",
    }


def test_every_claim_with_a_number_holds_it(p: Portfolio) -> None:
    import re

    without = [
        c.id
        for c in p.claims
        if re.search(r"\d", c.statement) and c.value is None and c.amount is None
    ]
    assert without == []
    extra = p.get("claims", "programme-additional-funding-2017")
    assert extra.amount == Money(amount=Decimal("81000000"), currency=USD)
    communities = p.get("claims", "cities-of-service-size")
    assert communities.value is not None
    assert communities.value.magnitude == 300
    assert communities.qualifier is Qualifier.NEARLY
    assert p.get("claims", "mobile-blighted-2017").qualifier is Qualifier.MORE_THAN
    assert p.get("claims", "mobile-blight-lost-value").amount == Money(
        amount=Decimal("83000000"), currency=USD
    )


def test_unverified_money_is_not_summed_silently(p: Portfolio) -> None:
    [chicago] = p.provenance_of("funding", "chicago-iteam-grant")
    assert chicago.verified is False
    grants = p.funding_by_kind()[FundingKind.GRANT][USD]
    assert grants == Money(amount=Decimal("25100000"), currency=USD)
    with_doubtful = p.funding_by_kind(include_unverified=True)[FundingKind.GRANT][USD]
    assert with_doubtful.amount - grants.amount == Decimal("6000000")
    coverage = funding_coverage(p)
    assert coverage.summary() == "9 of 31 i-teams report a grant (1 unverified)"
    assert coverage.unverified_funding == ("chicago-iteam-grant",)
    pioneer_grants = {c.cohort.id: c.grants for c in build_report(p).cohorts}["pioneer-2011"]
    assert pioneer_grants == (Money(amount=Decimal("13800000"), currency=USD),)


def test_report_counts_unverified_records_and_results_apart(p: Portfolio) -> None:
    report = build_report(p)
    unverified_records = {prov.record for prov in p.provenance if not prov.verified}
    assert report.overview.unverified_records == len(unverified_records)
    assert report.overview.unverified_claims == sum(not c.verified for c in p.claims) == 2
    assert "funding:chicago-iteam-grant" in unverified_records
    text = render_text(report)
    assert "  Reported results  27 (2 results not verified)\n" in text
    assert "9 of 31 i-teams report a grant (1 unverified); unverified amounts left out" in text
    assert re.search(r"\n  Phase not reported +13\n", text)
    assert text.count("Totals leave out unverified amounts: 1 (see Funding coverage)") == 3
    included = render_text(build_report(p, include_unverified=True))
    assert "unverified amounts included in the totals" in included


def test_catalogue_metrics_say_only_what_sources_give() -> None:
    by_id = {d.id: d for d in builtin_definitions()}
    texts = " ".join(
        f"{by_id[m].name} {by_id[m].description}"
        for m in (
            "low-severity-911-calls-redirected",
            "licence-processing-days",
            "unsheltered-people-housed",
        )
    )
    for unsourced in ("nurse line", "311", "working days", "chronically homeless"):
        assert unsourced not in texts.lower()
    assert "unsheltered" in by_id["unsheltered-people-housed"].description


# -- the published schema -----------------------------------------------------------------------------


def test_shipped_schema_is_the_generated_one() -> None:
    assert load_schema() == portfolio_schema()
    assert dumps_schema(load_schema()) == dumps_schema()


def test_bundled_data_conforms_to_the_schema() -> None:
    assert validate(json.loads(iteams_bytes())) == []


def test_schema_validator_reports_every_violation() -> None:
    doc = json.loads(iteams_bytes())
    doc["cities"][0]["location"]["lat"] = "north"
    doc["funding"][0]["amount"] = {"amount": "1"}
    doc["extra"] = True
    assert validate(doc) == [
        "$.cities[0].location.lat: expected number or one of 'NaN', 'Infinity', '-Infinity', got "
        "string 'north'",
        "$.funding[0].amount: missing required property 'currency'",
        "$: unexpected property 'extra'",
    ]


def test_schema_allows_extension_subclass_fields() -> None:
    doc = {
        "schema_version": 2,
        "metrics": [
            {"class": "pkg:Transit", "id": "m", "name": "M", "unit": "person", "mode": "tram"}
        ],
    }
    assert validate(doc) == []


def test_load_iteams_follows_a_switched_application_registry(p: Portfolio) -> None:
    """After ``pint.set_application_registry`` the bundled programme's units are the new ones."""
    import pint

    from civicinnov.units import as_quantity

    original = pint.get_application_registry().get()
    before = p.metric("mobile-homes-near-blight").unit
    try:
        pint.set_application_registry(pint.UnitRegistry())
        switched = load_iteams()
        assert switched is not p
        assert switched is load_iteams()
        unit = switched.metric("mobile-homes-near-blight").unit
        assert unit._REGISTRY is pint.get_application_registry().get()
        assert unit._REGISTRY is not before._REGISTRY
        # operating with a quantity of the registry now in force works (no "different registries")
        total = as_quantity(5, "dwelling") + 1 * unit
        assert total.magnitude == 6
        assert [row.status for row in switched.progress()] == [row.status for row in p.progress()]
    finally:
        pint.set_application_registry(original)
    assert load_iteams() is p


def test_homes_near_blight_carries_its_distance(p: Portfolio) -> None:
    from civicinnov.metrics import ProximityMetricDefinition

    metric = p.metric("mobile-homes-near-blight")
    assert isinstance(metric, ProximityMetricDefinition)
    assert metric.distance.to("ft").magnitude == pytest.approx(150)
    assert metric.distance.to("m").magnitude == pytest.approx(45.72)
    assert metric.near == "blighted property"
