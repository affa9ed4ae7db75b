"""The bundled i-teams data set: the programme's public facts, each sourced, and the published schema."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from civicinnov.datasets import iteams_bytes, load_iteams
from civicinnov.io.schema import dumps_schema, load_schema, portfolio_schema, validate
from civicinnov.model import InitiativeStatus
from civicinnov.money import Money
from civicinnov.programme import Portfolio, TieKind
from civicinnov.programme._records import COLLECTIONS as _COLLECTIONS

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
        ("dunkerque", "BE"),
        ("dunkerque", "GB"),
        ("occitanie", "ES"),
        ("occitanie", "AD"),
    }
    assert {t.kind for t in p.ties if t.city_id == "mulhouse"} == {TieKind.CROSS_BORDER_METRO}
    network = p.network()
    partnerships = [r for r in network.relations() if r.kind.value == "partnership"]
    assert {(r.source, r.target) for r in partnerships} == {
        ("mulhouse", "basel"),
        ("mulhouse", "freiburg"),
    }


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
    from civicinnov.metrics.definition import ProximityMetricDefinition

    metric = p.metric("mobile-homes-near-blight")
    assert isinstance(metric, ProximityMetricDefinition)
    assert metric.distance.to("ft").magnitude == pytest.approx(150)
    assert metric.distance.to("m").magnitude == pytest.approx(45.72)
    assert metric.near == "blighted property"
