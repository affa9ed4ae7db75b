"""Hostile unit text, unit definitions and quantity arguments: every one fails fast with UnitError.

Each bad input a probe of the loaders found has a regression test here that checks the error type
and what the message says; hypothesis then throws arbitrary text at the parser and asserts that
only a CivicError ever escapes, and that every unit that parses is written back to equal text.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pint
import pytest
from hypothesis import given, settings, strategies as st
from pint import Quantity

from civicinnov.errors import CivicError, SerializationError, UnitError
from civicinnov.io.csv import parse_observations
from civicinnov.io.serde import structure, unstructure
from civicinnov.units import (
    MAX_UNIT_EXPONENT,
    UnitDefinition,
    as_quantity,
    check_dimension,
    check_unit_definition,
    define_units,
    format_unit,
    get_registry,
    parse_unit,
    register_units,
    unit_definitions,
)

# -- the inputs the probe found --------------------------------------------------------------------


def test_a_tower_of_powers_is_refused_at_once() -> None:
    # pint evaluated 9**9**9 (a number with 370 million digits) and never returned.
    with pytest.raises(UnitError, match=r"^unit: '9\*\*9\*\*9' holds the number 9 at character 1"):
        parse_unit("9**9**9")


def test_python_integer_limit_is_a_unit_error_not_a_bare_value_error() -> None:
    with pytest.raises(UnitError, match=r"'2\*\*2\*\*2\*\*2\*\*2' holds the number 2") as info:
        parse_unit("2**2**2**2**2", where="obs.csv line 4")
    assert type(info.value) is UnitError
    assert str(info.value).startswith("obs.csv line 4: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("meter ** (10**10)", r"has an exponent that is an expression at character 10"),
        ("m**(6*6)", r"has an exponent that is an expression at character 4"),
        ("m⁹⁹", r"has an exponent of 99; expected at most 12"),
        ("m**13", r"has an exponent of 13; expected at most 12"),
        ("m**-13", r"has an exponent of -13; expected at most 12"),
        ("m**0.333", r"exponent of 0.333; .* denominator of at most 12"),
        ("m**(1/13)", r"exponent of 1/13; .* denominator of at most 12"),
        ("m**(1/0)", r"exponent of 1/0, which is not a number"),
        ("m**1e999999999", r"exponent of 1e999999999; expected at most 12"),
        ("m**99999999999999999999", r"exponent of 99999999999999999999; expected at most 12"),
        ("m**meter", r"exponent that is not a number"),
        ("m**", r"ends after the '\*\*' at character 2"),
        ("m**2**3", r"raises a power to a power at character 5"),
        ("m²**2", r"raises a power to a power at character 3"),
        ("(((((m)))))", r"nests parentheses more than 4 deep"),
        ("(m", r"unclosed '\('"),
        ("m)", r"unexpected '\)' at character 2"),
        ("m*" * 40 + "m", r"has more than 64 parts"),
        ("m" + " * m" * 12, r"comes to meter \*\* 13; expected every exponent at most 12"),
        ("(m**12)**2", r"comes to meter \*\* 24"),
        ("(m**(1/12))**(1/12)", r"comes to meter \*\* \(1/144\)"),
        ("m; import os", r"has ';' at character 2, which is not part of a unit"),
        ("__import__('os')", r"has \"'\" at character 12, which is not part of a unit"),
        ("[length]", r"has '\[' at character 1"),
        ("1e5 person", r"holds the number 1e5 at character 1; a unit may not hold a number"),
        ("2 * m", r"holds the number 2 at character 1"),
        ("x" * 201, r"unit text of 201 characters; expected at most 200"),
        ("per", r"has 'per' at character 1 where a unit name was expected"),
    ],
)
def test_unit_text_out_of_bounds_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message) as info:
        parse_unit(text, where="$.metrics[0].unit")
    assert str(info.value).startswith("$.metrics[0].unit: ")


def test_a_very_long_text_is_refused_before_it_is_even_stripped() -> None:
    with pytest.raises(UnitError, match="unit text of 1000000 characters; expected at most 200"):
        parse_unit(" " * 1_000_000)


def test_the_exponent_bound_is_the_documented_one() -> None:
    assert MAX_UNIT_EXPONENT == 12
    assert parse_unit("m**12") == parse_unit("m**6") ** 2
    assert parse_unit("m**-12") == 1 / parse_unit("m**12")
    assert parse_unit("m**(1/12)") ** 12 == parse_unit("m")
    assert parse_unit("(m**6)**2") == parse_unit("m**12")


def test_the_unknown_unit_error_says_how_to_define_it() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("sinkhole / month", where="$.metrics[0].unit")
    assert str(info.value) == (
        "$.metrics[0].unit: 'sinkhole / month' is not a unit pint understands: 'sinkhole' is not "
        "defined here; define it with civicinnov.units.register_units('sinkhole = [sinkhole]') or "
        "declare it in the document's units section"
    )


# -- what pint's own text forms still mean --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("m²", "meter ** 2"),
        ("m⁻¹", "1 / meter"),
        ("kg m/s²", "kilogram * meter / second ** 2"),
        ("kg·m", "kilogram * meter"),
        ("meter per second", "meter / second"),
        ("square meter", "meter ** 2"),
        ("sq km", "kilometer ** 2"),
        ("cubic meter", "meter ** 3"),
        ("meter squared", "meter ** 2"),
        ("meter cubed", "meter ** 3"),
        ("m^-1", "1 / meter"),
        ("m ** -2", "1 / meter ** 2"),
        ("m**(-1/2)", "1 / meter ** (1/2)"),
        ("m**0.5", "meter ** (1/2)"),
        ("%", "percent"),
        ("°C", "degree_Celsius"),
        ("° / s", "degree / second"),
        ("µm", "micrometer"),
        ("‰", "permille"),
        ("1/s", "1 / second"),
        ("1 / (person * day)", "1 / person / day"),
        ("incident / person * per_hundred_thousand", "incident * per_hundred_thousand / person"),
        ("m/m", "dimensionless"),
        ("", "dimensionless"),
        ("1", "dimensionless"),
    ],
)
def test_ordinary_unit_text_reads_as_pint_reads_it(text: str, same_as: str) -> None:
    unit = parse_unit(text)
    assert format_unit(unit) == same_as
    assert parse_unit(same_as) == unit
    if text not in ("", "1", "‰") and "per " not in text and "squared" not in text:
        assert unit == get_registry().parse_units(text)


# -- writer and reader agree -----------------------------------------------------------------------


def test_a_unit_made_by_arithmetic_beyond_the_bound_is_refused_by_the_writer() -> None:
    # (m**6)**6 used to be written as 'meter ** 36', which the reader then refused.
    big = parse_unit("m**6") ** 6
    with pytest.raises(UnitError, match=r"^\$.x.unit: meter \*\* 36 has an exponent of 36"):
        format_unit(big, where="$.x.unit")


def test_a_fractional_exponent_is_written_exactly() -> None:
    # pint's own 'D' format writes 'meter ** 0.333333', which reads back as another unit.
    unit = parse_unit("m**(1/3)")
    assert format(unit, "D") == "meter ** 0.333333"
    assert format_unit(unit) == "meter ** (1/3)"
    assert parse_unit(format_unit(unit)) == unit


def test_format_unit_refuses_what_is_not_a_unit() -> None:
    with pytest.raises(UnitError, match="expected a pint unit, got str"):
        format_unit("meter")  # type: ignore[arg-type]


def test_a_unit_of_another_registry_is_written_by_its_names() -> None:
    theirs = pint.UnitRegistry()
    theirs.formatter.default_format = "~P"
    assert format_unit(theirs.Unit("km / h")) == "kilometer / hour"


_NAMES = st.sampled_from(
    ["meter", "km", "second", "hour", "person", "households", "incident", "kg", "percent", "day"]
)
_EXPONENTS = st.sampled_from(["", "**2", "**-1", "^3", "²", "**(1/2)", "**(-2/3)", "**0.5"])


@st.composite
def unit_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(_NAMES, _EXPONENTS), min_size=1, max_size=5))
    ops = draw(st.lists(st.sampled_from([" * ", " / ", " ", "·"]), min_size=4, max_size=4))
    text = parts[0][0] + parts[0][1]
    for op, (name, exponent) in zip(ops, parts[1:], strict=False):
        text += op + name + exponent
    return text


@given(unit_texts())
@settings(max_examples=200, deadline=None)
def test_every_unit_that_parses_is_written_and_read_back_equal(text: str) -> None:
    try:
        unit = parse_unit(text)
    except UnitError:
        return  # the sum of exponents can leave the bound; refused, as the reader would
    written = format_unit(unit)
    assert parse_unit(written) == unit
    assert format_unit(parse_unit(written)) == written


@given(st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_arbitrary_text_raises_only_civic_errors(text: str) -> None:
    try:
        unit = parse_unit(text)
    except CivicError:
        return
    assert parse_unit(format_unit(unit)) == unit


_UNIT_ALPHABET = st.sampled_from(
    [*list("m*/^()0123456789-+. ²³⁻⁹e"), "**", "kg", "s", "per", "meter", "1", "(1/2)"]
)


@given(st.lists(_UNIT_ALPHABET, max_size=40).map("".join))
@settings(max_examples=600, deadline=None)
def test_text_built_from_unit_pieces_raises_only_civic_errors(text: str) -> None:
    try:
        unit = parse_unit(text)
    except CivicError:
        return
    for exponent in unit._units.values():
        assert abs(exponent) <= MAX_UNIT_EXPONENT
    assert parse_unit(format_unit(unit)) == unit


# -- as_quantity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        (object(), "kg", r"expected a number or an array of numbers, got object"),
        ("3 m", 5, r"expected unit text or a pint unit, got int 5"),
        (3, 5, r"expected unit text or a pint unit, got int 5"),
        (3 + 1j, "m", r"expected a real number, got complex"),
        (np.array(["a", "b"]), "m", r"expected an array of numbers, got an array of <U1"),
        ([1, "x"], "m", r"expected an array of numbers"),
        (np.True_, "m", r"expected a number, got bool"),
        ("1e999 m", None, r"has a number too large for a float; expected a finite number"),
        ("9" * 300 + " m", None, r"quantity text of 302 characters; expected at most 250"),
        ("3 m**(6*6)", None, r"exponent that is an expression"),
        ("3 sinkhole", None, r"'sinkhole' is not defined here"),
        ("five m", None, r"'five m' is not a quantity such as '150 ft'"),
    ],
)
def test_as_quantity_raises_unit_errors_for_bad_arguments(
    value: object, unit: object, message: str
) -> None:
    with pytest.raises(UnitError, match=message) as info:
        as_quantity(value, unit, where="$.baseline")  # type: ignore[arg-type]
    assert str(info.value).startswith("$.baseline: ")


def test_as_quantity_turns_pint_errors_into_unit_errors() -> None:
    # pint refuses to convert a product with an offset unit (OffsetUnitCalculusError)
    warm = as_quantity(3, "degC * m")
    with pytest.raises(
        UnitError, match=r"^t: cannot make a quantity of Quantity .* in 'degF \* m'"
    ):
        as_quantity(warm, "degF * m", where="t")


def test_as_quantity_refuses_a_bad_dimension_argument() -> None:
    with pytest.raises(UnitError, match=r"expected a dimension such as '\[length\]' .* got '\[le"):
        as_quantity(3, "m", dimension="[length]]")
    with pytest.raises(
        UnitError, match=r"expected a dimension such as .* got '\[length\]\*\*9\*\*9"
    ):
        as_quantity(3, "m", dimension="[length]**9**9**9")
    check_dimension(as_quantity(3, "m/s"), "[length] / [time]")
    check_dimension(as_quantity(3, "m**2"), "[length]**2")
    with pytest.raises(UnitError, match="expected a dimension, a unit or a quantity, got int"):
        as_quantity(3, "m", dimension=5)  # type: ignore[arg-type]
    with pytest.raises(UnitError, match="expected a quantity, got int"):
        check_dimension(3, "[length]")  # type: ignore[arg-type]


def test_as_quantity_accepts_numbers_of_every_plain_kind() -> None:

    for value in (3, 3.0, Decimal("3"), Fraction(3), np.int64(3), np.float32(3)):
        assert as_quantity(value, "m").to("cm").magnitude == 300
    assert as_quantity([1, 2], "m").magnitude.tolist() == [1, 2]


def test_a_foreign_quantity_beyond_the_bound_is_refused() -> None:
    foreign = pint.UnitRegistry().Quantity(1, "m ** 13")
    with pytest.raises(UnitError, match="meter \\*\\* 13 has an exponent of 13"):
        as_quantity(foreign)


# -- unit definitions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("gully = [gully]", "gully = [gully]"),
        ("gully_b=[gully_b]=_=gullies_b", "gully_b = [gully_b] = _ = gullies_b"),
        ("crate = 12 * kg = cr", "crate = 12 * kg = cr"),
        ("crate_b = 12 kg", "crate_b = 12 * kg"),
        ("crate_c = kg", "crate_c = 1 * kg"),
        ("per_ten_thousand = 1e-4 = _ = per_10k", "per_ten_thousand = 1e-4 = _ = per_10k"),
    ],
)
def test_simple_definitions_are_accepted_and_written_canonically(line: str, text: str) -> None:
    definition = check_unit_definition(line)
    assert isinstance(definition, UnitDefinition)
    assert definition.text == text
    assert check_unit_definition(definition.text) == definition


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("meter = [length]", r"redefines 'meter', which already means meter \(\[length\]\)"),
        ("m = [thing]", r"redefines 'm', which already means meter"),
        ("second = 2 * second", r"redefines 'second'"),
        ("person = [people]", r"redefines 'person', which already means person \(\[person\]\)"),
        ("widget = [length]", r"dimension \[length\], which is already the dimension of 'meter'"),
        ("widget = 10**10 * meter", r"is not a definition civicinnov accepts"),
        ("widget = 9**9**9", r"is not a definition civicinnov accepts"),
        ("widget = meter / second", r"is not a definition civicinnov accepts"),
        ("widget = 2 * meter * second", r"is not a definition civicinnov accepts"),
        ("widget = [length] * 2", r"is not a definition civicinnov accepts"),
        ("widget = 0 * meter", r"has the factor 0; expected a positive number"),
        ("widget = 1e999 * meter", r"is not a definition civicinnov accepts"),
        ("widget = 2 * splodge", r"uses 'splodge' is not a unit pint understands"),
        ("widget = [widget]; offset: 3", r"is not a definition civicinnov accepts"),
        ("@defaults", r"is not a definition civicinnov accepts"),
        ("widget", r"'widget' is not a definition civicinnov accepts"),
        ("2widget = [widget]", r"has the name '2widget'"),
        ("per = [per]", r"has the name 'per'"),
        ("widget = [widget] = = w", r"has the name ''"),
        ("widget = [widget] = w = w", r"gives the same name twice"),
        ("widget = [widget] = _ = meter", r"redefines 'meter'"),
        ("w" * 201 + " = [w]", r"a unit definition of 207 characters; expected at most 200"),
    ],
)
def test_definitions_that_redefine_or_compute_are_refused(line: str, message: str) -> None:
    with pytest.raises(UnitError, match=message) as info:
        check_unit_definition(line, where="$.units[3]")
    assert str(info.value).startswith("$.units[3]: ")


def test_check_unit_definition_refuses_what_is_not_text() -> None:
    with pytest.raises(UnitError, match=r"expected a unit definition line .* got int 3"):
        check_unit_definition(3)  # type: ignore[arg-type]


def test_define_units_checks_every_line_before_defining_any() -> None:
    registry = define_units(pint.UnitRegistry())
    lines = ["culvert = [culvert]", "meter = [length]", "drain = 2 * sewerpipe"]
    with pytest.raises(UnitError) as info:
        define_units(lines, registry=registry, where="$.units")
    assert info.value.problems[0].startswith("$.units[1]: 'meter = [length]' redefines 'meter'")
    assert info.value.problems[1].startswith("$.units[2]: 'drain = 2 * sewerpipe' uses")
    assert str(info.value).startswith("$.units: 2 unit definitions refused: ")
    assert not registry.parse_unit_name("culvert")


def test_define_units_lets_a_line_use_an_earlier_one_and_is_idempotent() -> None:
    registry = define_units(pint.UnitRegistry())
    lines = ["culvert = [culvert] = _ = culverts", "culvert_pair = 2 * culvert"]
    assert define_units(lines, registry=registry) is registry
    assert define_units(lines, registry=registry) is registry
    assert registry.Quantity(3, "culvert_pair").to("culverts").magnitude == 6
    with pytest.raises(UnitError, match=r"redefines 'culvert_pair', which already means"):
        define_units(["culvert_pair = 3 * culvert"], registry=registry)


def test_a_definition_in_one_batch_may_not_contradict_another() -> None:
    registry = define_units(pint.UnitRegistry())
    with pytest.raises(UnitError, match=r"defines 'grate' again; an earlier line defines it as"):
        define_units(["grate = [grate]", "grate = 2 * meter"], registry=registry)
    with pytest.raises(UnitError, match=r"which is already the dimension of 'grate_a'"):
        define_units(["grate_a = [grille]", "grate_b = [grille]"], registry=registry)


def test_define_units_refuses_a_non_iterable() -> None:
    with pytest.raises(UnitError, match="expected unit definition lines, got int 3"):
        define_units(3)  # type: ignore[call-overload]


def test_define_units_accepts_one_line_and_the_application_registry() -> None:
    define_units("hydrant_check = [hydrant_check]")
    assert parse_unit("hydrant_check / week").dimensionality == get_registry().get_dimensionality(
        "[hydrant_check] / [time]"
    )


def test_a_users_own_counting_unit_may_be_declared_again() -> None:
    registry = pint.UnitRegistry()
    registry.define("pothole = [pothole] = _ = potholes")
    define_units(["pothole = [pothole] = _ = potholes"], registry=registry)
    with pytest.raises(UnitError, match="redefines 'pothole'"):
        define_units(["pothole = [hole]"], registry=registry)


def test_register_units_records_definitions_a_document_can_carry() -> None:
    register_units("streetlight = [streetlight] = _ = streetlights", "lamp_row = 10 * streetlight")
    assert unit_definitions("lamp_row / km") == (
        "streetlight = [streetlight] = _ = streetlights",
        "lamp_row = 10 * streetlight",
    )
    assert unit_definitions(parse_unit("kilostreetlight")) == (
        "streetlight = [streetlight] = _ = streetlights",
    )
    assert unit_definitions("person / km**2") == ()
    with pytest.raises(UnitError, match="redefines 'lamp_row'"):
        register_units("lamp_row = 11 * streetlight")
    other = define_units(pint.UnitRegistry())
    assert other.Quantity(1, "lamp_row").to("streetlight").magnitude == 10


def test_every_unit_name_symbol_and_alias_pint_defines_reads_as_pint_reads_it() -> None:
    registry = get_registry().get()
    for name, definition in registry._units.items():
        try:
            unit = registry.Unit(name)
        except Exception:  # a constant such as 'R_', which is not a unit
            continue
        assert parse_unit(format_unit(unit)) == unit, name
        for spelling in (definition.symbol, *definition.aliases):
            if not spelling:
                continue
            try:
                expected = registry.parse_units(spelling)
            except Exception:  # a spelling pint itself cannot read
                continue
            assert parse_unit(spelling) == expected, spelling


def test_a_unit_definition_value_checks_its_own_shape() -> None:
    with pytest.raises(UnitError, match=r"UnitDefinition.name: expected a name such as 'pothole'"):
        UnitDefinition(name="x; import os", dimension="[x]")
    with pytest.raises(UnitError, match="UnitDefinition: expected a dimension or a factor"):
        UnitDefinition(name="x", dimension="[x]", factor="2", unit="m")
    with pytest.raises(UnitError, match=r"UnitDefinition.dimension: expected a dimension such as"):
        UnitDefinition(name="x", dimension="[x]**9")
    with pytest.raises(UnitError, match=r"UnitDefinition.factor: expected a positive number"):
        UnitDefinition(name="x", factor="9**9", unit="m")
    with pytest.raises(UnitError, match=r"UnitDefinition.aliases\[0\]: expected a name"):
        UnitDefinition(name="x", dimension="[x]", aliases=("a b",))


# -- through the loaders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit", ["9**9**9", "2**2**2**2**2", "meter ** (10**10)", "m**(6*6)", "m⁹⁹"]
)
def test_a_hostile_unit_cell_is_reported_with_its_line_and_the_read_goes_on(unit: str) -> None:

    text = (
        "city,metric,period,value,unit\n"
        f"mobile,blight,2016,1,{unit}\n"
        "mobile,blight,2017,2,furlongz\n"
    )
    with pytest.raises(SerializationError) as info:
        parse_observations(text, source="obs.csv")
    assert info.value.problems[0].startswith(f"obs.csv:2: unit: {unit!r} ")
    assert info.value.problems[1].startswith("obs.csv:3: unit: 'furlongz' is not a unit")


def test_a_hostile_unit_field_in_a_document_is_a_serialization_error() -> None:

    with pytest.raises(SerializationError, match=r"\$.unit: '9\*\*9\*\*9' holds the number 9"):
        structure({"value": 1, "unit": "9**9**9"}, Quantity)


def test_a_unit_made_by_arithmetic_is_saved_as_text_that_loads() -> None:

    area = as_quantity(3, "km") * as_quantity(2, "km") / as_quantity(1, "person")
    saved = unstructure(area)
    assert saved == {"value": 6, "unit": "kilometer ** 2 / person"}
    assert structure(saved, Quantity) == area
    root = as_quantity(8, "m**(1/3)")
    assert structure(unstructure(root), Quantity) == root
