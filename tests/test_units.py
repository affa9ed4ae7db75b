"""Tests for civicinnov.units: the application registry, civic units, boundary adoption."""

from __future__ import annotations

import logging

import numpy as np
import pint
import pytest

from civicinnov.errors import CivicError, UnitError
from civicinnov.units import (
    CIVIC_UNITS,
    as_quantity,
    check_dimension,
    define_units,
    get_registry,
    parse_unit,
)


def test_registry_is_pints_application_registry() -> None:
    assert get_registry() is pint.get_application_registry()


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("person", "[person]"),
        ("people", "[person]"),
        ("households", "[household]"),
        ("incident", "[incident]"),
        ("cases", "[case]"),
        ("properties", "[property]"),
        ("calls", "[call]"),
        ("homes", "[dwelling]"),
        ("businesses", "[business]"),
    ],
)
def test_civic_units_have_their_own_dimension(text: str, dimension: str) -> None:
    assert parse_unit(text).dimensionality == get_registry().get_dimensionality(dimension)


def test_people_and_households_do_not_add() -> None:
    with pytest.raises(pint.DimensionalityError):
        as_quantity(3, "person") + as_quantity(2, "household")


def test_rate_scales_are_dimensionless() -> None:
    # 12 murders per 100,000 residents is 12e-5 incidents per person.
    rate = as_quantity(12, "incident / person * per_hundred_thousand")
    assert rate.to("incident / person").magnitude == pytest.approx(12e-5)
    assert as_quantity(1, "per_thousand").to("percent").magnitude == pytest.approx(0.1)


def test_define_units_is_idempotent_and_silent(caplog: pytest.LogCaptureFixture) -> None:
    registry = pint.UnitRegistry()
    with caplog.at_level(logging.DEBUG, logger="pint"):
        define_units(registry)
        define_units(registry)
    assert not [r for r in caplog.records if "Redefining" in r.getMessage()]
    assert registry.Quantity(1, "household").dimensionality == registry.get_dimensionality(
        "[household]"
    )


def test_define_units_keeps_a_registrys_own_person() -> None:
    registry = pint.UnitRegistry()
    registry.define("person = [human]")
    define_units(registry)
    assert registry.Quantity(1, "person").dimensionality == registry.get_dimensionality("[human]")
    assert len(CIVIC_UNITS) >= 8


def test_foreign_quantity_is_adopted_and_converted() -> None:
    foreign = pint.UnitRegistry().Quantity(np.array([1.0, 2.0]), "mile")
    adopted = as_quantity(foreign, "km")
    assert adopted._REGISTRY is get_registry().get()
    np.testing.assert_allclose(adopted.magnitude, [1.609344, 3.218688])


def test_foreign_quantity_of_the_wrong_dimension_names_both() -> None:
    foreign = pint.UnitRegistry().Quantity(5, "kilogram")
    with pytest.raises(
        UnitError, match=r"distance: expected dimension \[length\], got \[mass\] \(kilogram\)"
    ):
        as_quantity(foreign, dimension="[length]", where="distance")


def test_conversion_to_an_incompatible_unit_names_both_dimensions() -> None:
    with pytest.raises(UnitError, match=r"expected dimension \[length\], got \[person\]"):
        as_quantity(as_quantity(3, "person"), "km")


def test_quantity_text() -> None:
    assert as_quantity("150 ft", dimension="[length]").to("m").magnitude == pytest.approx(45.72)
    assert as_quantity("13,188 homes").magnitude == 13188


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (3, None, "has no unit"),
        (True, "person", "expected a number, got bool"),
        ("3 km", "m", "either quantity text or a unit"),
        ("many people", None, "is not a quantity"),
    ],
)
def test_bad_quantities(value: object, unit: str | None, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        as_quantity(value, unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("m**1000000", "exponent of 1000000"),
        ("m ^ 99", "exponent of 99"),
        ("x" * 300, "300 characters"),
        ("flibbertigibbet", "is not a unit pint understands"),
        ("1e5 person", "holds the number 1e5"),
        ("3", "holds the number 3"),
    ],
)
def test_bad_unit_text(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        parse_unit(text)


def test_unit_error_is_a_civic_error_and_a_value_error() -> None:
    with pytest.raises(CivicError):
        parse_unit(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="expected unit text, got int"):
        parse_unit(42)  # type: ignore[arg-type]


def test_check_dimension_accepts_units_and_quantities() -> None:
    check_dimension(as_quantity(3, "mile"), "km")
    check_dimension(as_quantity(3, "mile"), as_quantity(1, "m"))
    with pytest.raises(UnitError, match=r"expected dimension \[length\]"):
        check_dimension(as_quantity(3, "s"), as_quantity(1, "m"))


def test_dimensionless_unit_text() -> None:
    assert parse_unit("").dimensionless
    assert parse_unit("dimensionless").dimensionless


def test_register_units_reaches_every_registry() -> None:
    from civicinnov.units import register_units

    register_units("trip = [trip] = _ = trips")
    assert as_quantity(3, "trips").dimensionality == get_registry().get_dimensionality("[trip]")
    other = define_units(pint.UnitRegistry())
    assert other.Quantity(1, "trip").dimensionality == other.get_dimensionality("[trip]")
    with pytest.raises(UnitError, match="'trip' is not a definition civicinnov accepts"):
        register_units("trip")
