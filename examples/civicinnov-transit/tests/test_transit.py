"""Tests of the civicinnov-transit example plug-in.

They need the package *installed* (``pip install -e examples/civicinnov-transit``): the entry-point
tests read the installed distribution's metadata.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import attrs
import pytest
from civicinnov.errors import (
    IdentifierError,
    SerializationError,
    UnitError,
    ValidationError,
)
from civicinnov.io.json import dumps_portfolio, load_portfolio, loads_portfolio, save_portfolio
from civicinnov.io.serde import structure, unstructure
from civicinnov.metrics import (
    ENTRY_POINT_GROUP,
    MeasureKind,
    MetricCatalog,
    MetricDefinition,
    builtin_definitions,
)
from civicinnov.programme import Portfolio
from civicinnov.units import get_registry
from hypothesis import given, strategies as st

from civicinnov_transit import (
    GTFS_ROUTE_TYPES,
    TransitMetricDefinition,
    TransitMode,
    definitions,
)

IDS = [d.id for d in definitions()]


def make(**changes: object) -> TransitMetricDefinition:
    fields: dict[str, object] = {"id": "t", "name": "T", "unit": "person", "mode": "bus"}
    fields.update(changes)
    return TransitMetricDefinition(**fields)  # type: ignore[arg-type]


# -- the entry point -------------------------------------------------------------------------------


def test_entry_point_is_installed() -> None:
    eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert "transit" in eps
    assert eps["transit"].value == "civicinnov_transit.catalog:definitions"
    assert eps["transit"].load() is definitions


def test_default_catalog_discovers_the_plugin() -> None:
    catalog = MetricCatalog.default()  # filterwarnings=error: a failing plug-in would raise here
    assert catalog.plugin_errors == ()
    for metric_id in IDS:
        assert isinstance(catalog[metric_id], TransitMetricDefinition)
    assert len(catalog) == len(builtin_definitions()) + len(IDS)
    assert catalog["transit-frequent-access"].catchment == get_registry().Quantity(400, "m")


def test_load_plugins_twice_is_harmless() -> None:
    catalog = MetricCatalog()
    assert catalog.load_plugins() == ()
    assert catalog.load_plugins() == ()  # same definitions again: exist_ok
    assert set(IDS) <= set(catalog.ids)


def test_definitions_are_equal_across_calls_and_hashable() -> None:
    assert definitions() == definitions()
    assert len({hash(d) for d in definitions()}) == len(IDS)


# -- validation ------------------------------------------------------------------------------------


def test_mode_accepts_member_or_value() -> None:
    assert make(mode=TransitMode.RAIL).mode is TransitMode.RAIL
    assert make(mode="bike-share").mode is TransitMode.BIKE_SHARE


@pytest.mark.parametrize("mode", ["tram", None, 3, "BUS"])
def test_unknown_mode(mode: object) -> None:
    with pytest.raises(
        ValidationError,
        match=r"^mode: expected one of 'bus', 'rail', 'ferry', 'bike-share' \(TransitMode\), got ",
    ):
        make(mode=mode)


def test_mode_is_required() -> None:
    with pytest.raises(TypeError, match="mode"):
        TransitMetricDefinition(id="t", name="T", unit="person")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("codes", "shown"), [([6], "6"), ([3, 99], "99"), (["3"], "'3'"), ([True], "True")]
)
def test_unknown_route_type(codes: list[object], shown: str) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"^gtfs_route_types: expected GTFS route_type codes \(0, 1, 2, 3, 4, 5, 7, 11, 12\), got {shown}$",
    ):
        make(gtfs_route_types=codes)


def test_route_types_not_a_collection() -> None:
    with pytest.raises(
        ValidationError, match=r"^gtfs_route_types: expected a collection .* got '3'$"
    ):
        make(gtfs_route_types="3")


def test_route_type_of_another_mode() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^gtfs_route_types: metric 't' is about rail; expected route types of rail "
        r"\(0, 1, 2, 5, 7, 12\), got 3 \(bus\)$",
    ):
        make(mode="rail", gtfs_route_types=[1, 3])


def test_bike_share_has_no_route_types() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^gtfs_route_types: metric 't' is about bike-share; expected route types of "
        r"bike-share \(none\), got 3 \(bus\)$",
    ):
        make(mode="bike-share", gtfs_route_types=[3])


def test_catchment_must_be_a_length() -> None:
    with pytest.raises(UnitError, match=r"^catchment: expected dimension \[length\], got "):
        make(catchment="5 minute")


@pytest.mark.parametrize("distance", ["0 m", "-400 m"])
def test_catchment_must_be_positive(distance: str) -> None:
    with pytest.raises(ValidationError, match=r"^catchment: expected a positive distance, got "):
        make(catchment=distance)


def test_base_class_checks_still_run() -> None:
    with pytest.raises(
        IdentifierError, match=r"^TransitMetricDefinition.id: expected a slug .* got 'Bus Speed'$"
    ):
        make(id="Bus Speed")
    with pytest.raises(
        UnitError, match=r"^unit: metric 't' is a percentage; expected a dimensionless"
    ):
        make(unit="km / h", measure_kind=MeasureKind.PERCENTAGE)


def test_frozen() -> None:
    d = definitions()[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        d.mode = TransitMode.RAIL  # type: ignore[misc]
    assert attrs.evolve(d, gtfs_route_types=[3]).gtfs_route_types == frozenset({3})
    with pytest.raises(ValidationError, match="route types of bus"):
        attrs.evolve(d, gtfs_route_types=[4])


def test_registered_subclass_conflicts_like_any_definition() -> None:
    catalog = MetricCatalog(definitions())
    changed = attrs.evolve(catalog["transit-bus-speed"], gtfs_route_types=[3, 11])
    with pytest.raises(Exception, match=r"gtfs_route_types: frozenset\(\{3\}\) -> "):
        catalog.register(changed)


# -- JSON round trip -------------------------------------------------------------------------------


def test_serde_round_trip_keeps_subclass_and_extra_fields() -> None:
    data = unstructure(definitions())
    assert all(
        item["class"] == "civicinnov_transit.definition:TransitMetricDefinition" for item in data
    )
    access = data[IDS.index("transit-frequent-access")]
    assert access["mode"] == "bus"
    assert access["gtfs_route_types"] == [3]
    assert access["catchment"] == {"value": 400, "unit": "meter"}
    back = structure(json.loads(json.dumps(data)), tuple[MetricDefinition, ...])
    assert back == definitions()
    assert all(type(d) is TransitMetricDefinition for d in back)


def test_portfolio_document_round_trip(tmp_path: Path) -> None:
    portfolio = Portfolio(name="Transit", metrics=definitions())
    assert loads_portfolio(dumps_portfolio(portfolio)) == portfolio
    path = tmp_path / "transit.json"
    save_portfolio(portfolio, path)
    loaded = load_portfolio(path)
    assert loaded.metrics == definitions()
    assert isinstance(loaded.metrics[0], TransitMetricDefinition)


def test_document_with_unknown_mode_names_the_path() -> None:
    document = json.loads(dumps_portfolio(Portfolio(name="Transit", metrics=definitions()[:1])))
    document["metrics"][0]["mode"] = "tram"
    with pytest.raises(
        SerializationError,
        match=r"\$\.metrics\[0\]\.mode: expected one of 'bus', 'rail', 'ferry', 'bike-share' "
        r"\(TransitMode\), got str 'tram'",
    ):
        loads_portfolio(json.dumps(document), source="t.json")


def test_document_with_text_route_type_is_refused() -> None:
    document = json.loads(dumps_portfolio(Portfolio(name="Transit", metrics=definitions()[:1])))
    document["metrics"][0]["gtfs_route_types"] = ["3"]
    with pytest.raises(
        SerializationError,
        match=r"\$\.metrics\[0\]\.gtfs_route_types\[0\]: expected an integer, got str '3'",
    ):
        loads_portfolio(json.dumps(document), source="t.json")


_LOAD = """
import sys
from civicinnov.io.json import load_portfolio
print("loaded:", type(load_portfolio(sys.argv[1]).metrics[0]).__name__)
"""


def test_a_fresh_process_loads_the_plugin_the_document_names(tmp_path: Path) -> None:
    """The document names its plug-in; the installed entry point is loaded before reading, so a
    process that never imported civicinnov_transit reads the subclass back."""
    path = tmp_path / "transit.json"
    save_portfolio(Portfolio(name="Transit", metrics=definitions()), path)
    assert json.loads(path.read_text(encoding="utf-8"))["plugins"] == ["civicinnov_transit"]
    out = subprocess.run(
        [sys.executable, "-c", _LOAD, str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "loaded: TransitMetricDefinition"


transit_definitions = st.builds(
    lambda mode, pick, unit, km, cumulative: TransitMetricDefinition(
        id="generated",
        name="Generated",
        unit=unit,
        mode=mode,
        gtfs_route_types=[c for c in sorted(mode.route_types) if pick & (1 << c)],
        catchment=None if km is None else get_registry().Quantity(km, "km"),
        cumulative=cumulative,
    ),
    st.sampled_from(TransitMode),
    st.integers(0, 2**13 - 1),
    st.sampled_from(["person / day", "km / h", "minute", "count", "count / day"]),
    st.none() | st.floats(min_value=0.01, max_value=50, allow_nan=False),
    st.booleans(),
)


@given(transit_definitions)
def test_round_trip_property(definition: TransitMetricDefinition) -> None:
    text = dumps_portfolio(Portfolio(name="P", metrics=(definition,)))
    assert loads_portfolio(text).metrics == (definition,)


# -- units -----------------------------------------------------------------------------------------


def test_units_convert() -> None:
    catalog = MetricCatalog(definitions())
    speed = catalog["transit-bus-speed"].quantity(18)
    assert speed.to("m / s").magnitude == pytest.approx(5.0)
    assert speed.to("mph").magnitude == pytest.approx(11.18468, rel=1e-6)
    headway = catalog["transit-ferry-headway"].quantity("0.25 hour")
    assert headway.to("minute").magnitude == pytest.approx(15.0)
    boardings = catalog["transit-weekday-boardings"].quantity(1000)
    assert boardings.to("person / week").magnitude == pytest.approx(7000.0)
    share = catalog["transit-on-time-performance"].quantity(0.82 * get_registry().dimensionless)
    assert share.to("percent").magnitude == pytest.approx(82.0)
    assert catalog["transit-frequent-access"].catchment.to("ft").magnitude == pytest.approx(
        1312.3359, rel=1e-6
    )


def test_wrong_unit_is_refused() -> None:
    with pytest.raises(
        UnitError, match=r"^boardings: metric 'transit-bus-speed' is measured in kilometer / hour"
    ):
        definitions()[2].quantity("3 person", where="boardings")


def test_percentage_bounds_apply_to_subclass() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^value: metric 'transit-on-time-performance' is a percentage; expected values from 0 to 100",
    ):
        definitions()[0].quantity(130)


def test_route_type_table_matches_modes() -> None:
    assert set().union(*(m.route_types for m in TransitMode)) == set(GTFS_ROUTE_TYPES)
    assert TransitMode.BIKE_SHARE.route_types == frozenset()


def test_published_schema_accepts_plugin_definitions() -> None:
    from civicinnov.io.schema import validate

    document = json.loads(dumps_portfolio(Portfolio(name="Transit", metrics=definitions())))
    assert validate(document) == []
