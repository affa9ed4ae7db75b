"""Tests for civicinnov.model: ids, countries, population as a quantity, locations."""

from __future__ import annotations

import attrs
import pint
import pytest
from hypothesis import given
from tests.strategies import cities

from civicinnov._values import check_id, is_slug
from civicinnov.errors import IdentifierError, UnitError, ValidationError
from civicinnov.model import ISO_3166_ALPHA2, City, Location, check_country
from civicinnov.units import as_quantity, get_registry


def make(**kw: object) -> City:
    fields: dict[str, object] = {"id": "memphis", "name": "Memphis", "country": "US"}
    fields.update(kw)
    return City(**fields)  # type: ignore[arg-type]


def test_city_minimal_and_full() -> None:
    city = make(region="Tennessee", population=633_104, location=Location(lat=35.15, lon=-90.05))
    assert city.population == as_quantity(633_104, "person")
    assert city.people == 633_104
    assert make().population is None
    assert make().people is None


def test_city_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make().name = "Other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "bad", ["Memphis", "memphis tn", "1memphis", "", "-x", "mémphis", "a" * 101]
)
def test_malformed_id(bad: str) -> None:
    with pytest.raises(IdentifierError, match=rf"City.id: expected a slug .*got {bad!r}"):
        make(id=bad)


def test_non_string_id() -> None:
    with pytest.raises(IdentifierError, match=r"City.id: expected a slug .*got 7"):
        make(id=7)


def test_slug_helpers() -> None:
    assert is_slug("new_orleans-2011")
    assert not is_slug("New")
    assert not is_slug(None)
    assert check_id("a", where="x") == "a"


@pytest.mark.parametrize("bad", ["USA", "XX", "", "U", 1])
def test_bad_country(bad: object) -> None:
    with pytest.raises(
        ValidationError, match=r"City.country: expected an ISO 3166-1 alpha-2 code .*got"
    ):
        make(country=bad)


def test_country_is_upper_cased_and_table_complete() -> None:
    assert make(country=" gb ").country == "GB"
    assert len(ISO_3166_ALPHA2) == 250  # 249 assigned codes plus XK
    assert {"US", "GB", "IL", "FR", "CA", "MX", "AU", "NZ", "XK"} <= ISO_3166_ALPHA2
    assert check_country("FR") == "FR"


@pytest.mark.parametrize("value", [633_104, "633104 people", as_quantity(633_104, "person")])
def test_population_inputs(value: object) -> None:
    assert make(population=value).population == as_quantity(633_104, "person")


def test_population_from_foreign_registry_is_adopted() -> None:
    foreign = pint.UnitRegistry()
    foreign.define("person = [person] = _ = people")
    city = make(population=foreign.Quantity(1000, "person"))
    assert city.population is not None
    assert city.population._REGISTRY is get_registry() or city.population == as_quantity(
        1000, "person"
    )


def test_population_wrong_unit_names_both_dimensions() -> None:
    with pytest.raises(
        UnitError,
        match=r"City.population: expected dimension \[person\], got \[household\] \(household\)",
    ):
        make(population=as_quantity(5, "household"))
    with pytest.raises(UnitError, match=r"expected dimension \[person\], got \[length\]"):
        make(population="5 km")


def test_negative_population() -> None:
    with pytest.raises(
        ValidationError,
        match=r"City.population: expected a non-negative, finite number of people, got -5 person",
    ):
        make(population=-5)


def test_population_not_a_number() -> None:
    with pytest.raises(ValidationError, match=r"City.population: expected a number of people"):
        make(population=[5])
    with pytest.raises(ValidationError, match=r"City.population: .*got bool True"):
        make(population=True)


def test_blank_name_and_region() -> None:
    with pytest.raises(ValidationError, match=r"City.name: expected non-blank text, got ' '"):
        make(name=" ")
    with pytest.raises(ValidationError, match=r"City.region: expected non-blank text, got ''"):
        make(region="")


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (91, 0, r"Location.lat: expected degrees between -90 and 90, got 91.0"),
        (-90.5, 0, r"Location.lat: expected degrees between -90 and 90, got -90.5"),
        (0, 180.1, r"Location.lon: expected degrees between -180 and 180, got 180.1"),
        (float("nan"), 0, r"Location.lat: expected degrees between -90 and 90, got nan"),
        ("35", 0, r"Location.lat: expected a number of degrees, got str '35'"),
        (True, 0, r"Location.lat: expected a number of degrees, got bool True"),
    ],
)
def test_bad_location(lat: object, lon: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Location(lat=lat, lon=lon)  # type: ignore[arg-type]


def test_location_edges() -> None:
    assert Location(lat=90, lon=-180) == Location(lat=90.0, lon=-180.0)


def test_location_must_be_a_location() -> None:
    with pytest.raises(ValidationError, match=r"City.location: expected Location, got tuple"):
        make(location=(35.1, -90.0))


@given(cities())
def test_generated_cities_rebuild_equal(city: City) -> None:
    assert attrs.evolve(city) == city
    assert hash(attrs.evolve(city)) == hash(city)
