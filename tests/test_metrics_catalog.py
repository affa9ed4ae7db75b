"""MetricCatalog: built-ins, registration errors, reference lookup, plug-in discovery."""

from __future__ import annotations

import importlib.metadata
from typing import Any

import attrs
import pytest

import civicinnov.metrics as catalog_module
from civicinnov.errors import (
    CivicWarning,
    ConflictingMetricError,
    DuplicateMetricError,
    PluginError,
    UnknownIdError,
)
from civicinnov.metrics import (
    ENTRY_POINT_GROUP,
    MetricCatalog,
    MetricDefinition,
    ProximityMetricDefinition,
    Reference,
    builtin_definitions,
)

ITEAM_IDS = {
    "murders",
    "retail-vacancy-rate",
    "low-severity-911-calls-redirected",
    "licence-processing-days",
    "unsheltered-people-housed",
    "blighted-properties",
    "homes-near-blight",
}


def test_builtins_cover_iso_and_iteams() -> None:
    cat = MetricCatalog.builtin()
    iso = cat.with_vocabulary("iso37120")
    assert len(iso) >= 20
    assert set(cat.ids) >= ITEAM_IDS
    for d in iso:
        ref = d.reference("iso37120")
        assert ref is not None
        assert ref.code[0].isdigit()
        assert d.description  # our own words, present for every entry
    ratios = [d for d in iso if d.is_ratio]
    assert len(ratios) >= 18


def test_builtin_units_and_ratios() -> None:
    cat = MetricCatalog.builtin()
    assert cat["homicide-rate"].ratio_factor == pytest.approx(1e5)
    assert cat["unemployment-rate"].ratio_factor == pytest.approx(100)
    assert cat["under-five-mortality"].ratio_factor == pytest.approx(1000)
    near = cat["homes-near-blight"]
    assert isinstance(near, ProximityMetricDefinition)
    assert near.distance.to("ft").magnitude == pytest.approx(150)
    assert cat["unsheltered-people-housed"].cumulative


def test_lookup_by_reference_code() -> None:
    cat = MetricCatalog.builtin()
    assert cat.by_reference("iso37120", "5.1").id == "unemployment-rate"
    assert cat.by_reference("sdg", "16.1.1").id == "homicide-rate"
    with pytest.raises(UnknownIdError, match=r"no metric in the catalogue has reference sdg:99"):
        cat.by_reference("sdg", "99")


def test_unknown_id_suggests() -> None:
    with pytest.raises(
        UnknownIdError, match="'murder' is not in the catalogue; did you mean 'murders'"
    ):
        MetricCatalog.builtin().get("murder")
    assert isinstance(UnknownIdError("x"), LookupError)


def test_duplicate_and_conflict() -> None:
    cat = MetricCatalog()
    d = MetricDefinition(id="calls", name="Calls", unit="call")
    cat.register(d)
    with pytest.raises(
        DuplicateMetricError, match=r"'calls' is already registered .*exist_ok=True"
    ):
        cat.register(d)
    assert cat.register(d, exist_ok=True) is d
    changed = attrs.evolve(d, name="All calls")
    with pytest.raises(
        ConflictingMetricError, match=r"different definition .name: Calls -> All calls"
    ):
        cat.register(changed)
    cat.register(changed, replace=True)
    assert cat["calls"].name == "All calls"


def test_reference_conflict() -> None:
    cat = MetricCatalog.builtin()
    clash = MetricDefinition(
        id="my-homicides",
        name="Homicides",
        unit="incident",
        references=[Reference(vocabulary="iso37120", code="14.2")],
    )
    with pytest.raises(
        ConflictingMetricError,
        match=r"'my-homicides': reference iso37120:14.2 already belongs to metric 'homicide-rate'",
    ):
        cat.register(clash)
    assert "my-homicides" not in cat


def test_register_refuses_non_definition() -> None:
    with pytest.raises(ValueError, match="definition: expected a MetricDefinition, got dict"):
        MetricCatalog().register({"id": "x"})  # type: ignore[arg-type]


class FakeEntryPoint:
    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.value = f"{name}_pkg.metrics:definitions"
        self._loader = loader

    def load(self) -> Any:
        return self._loader()


def _trips() -> list[MetricDefinition]:
    return [MetricDefinition(id="bus-trips", name="Bus trips", unit="person")]


def _broken_import() -> Any:
    raise ModuleNotFoundError("No module named 'broken_pkg'")


def test_plugins_discovered_through_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake_entry_points(*, group: str) -> list[FakeEntryPoint]:
        seen.append(group)
        return [
            FakeEntryPoint("good", lambda: _trips),
            FakeEntryPoint("broken", _broken_import),
            FakeEntryPoint("single", lambda: MetricDefinition(id="one", name="One", unit="call")),
        ]

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    with pytest.warns(
        CivicWarning,
        match=r"metric plug-in 'broken' \(broken_pkg.metrics:definitions\) was not loaded: ModuleNotFoundError",
    ):
        cat = MetricCatalog.default()
    assert seen == [ENTRY_POINT_GROUP]
    assert "bus-trips" in cat
    assert "one" in cat
    assert "murders" in cat
    (err,) = cat.plugin_errors
    assert isinstance(err, PluginError)
    assert isinstance(err, ImportError)
    assert isinstance(err.__cause__, ModuleNotFoundError)


def test_plugin_is_all_or_nothing_and_bad_returns_reported() -> None:
    cat = MetricCatalog.builtin()
    mixed = [
        MetricDefinition(id="fine-metric", name="Fine", unit="call"),
        attrs.evolve(cat["murders"], name="Killings"),  # conflicts with the built-in
    ]
    eps = [
        FakeEntryPoint("mixed", lambda: lambda: mixed),
        FakeEntryPoint("text", lambda: "not definitions"),
        FakeEntryPoint("items", lambda: [1, 2]),
        FakeEntryPoint("ok", lambda: _trips),
    ]
    with pytest.warns(CivicWarning) as record:
        errors = cat.load_plugins(eps)
    assert len(record) == 3
    messages = [str(e) for e in errors]
    assert "ConflictingMetricError: metric 'murders' is already registered" in messages[0]
    assert "TypeError: expected definitions" in messages[1]
    assert "item 0 is int, not a MetricDefinition" in messages[2]
    assert "fine-metric" not in cat
    assert "bus-trips" in cat
    assert cat["murders"].name == "Murders"


def test_plugin_reloading_same_definitions_is_fine() -> None:
    cat = MetricCatalog()
    assert cat.load_plugins([FakeEntryPoint("a", lambda: _trips)]) == ()
    assert cat.load_plugins([FakeEntryPoint("a", lambda: _trips)]) == ()
    assert cat.ids == ("bus-trips",)


def test_builtin_definitions_are_cached() -> None:
    assert builtin_definitions() is catalog_module.builtin_definitions()


def test_documented_catalogue_table_lists_every_builtin() -> None:
    from pathlib import Path

    page = Path(__file__).parents[1] / "docs" / "reference" / "metrics.md"
    rows = [line for line in page.read_text().splitlines() if line.startswith("| `")]
    documented = [row.split("`")[1] for row in rows]
    assert documented == [d.id for d in builtin_definitions()]


def test_builtin_definitions_follow_a_switched_application_registry() -> None:
    import pint

    from civicinnov.metrics import builtin_definitions

    original = pint.get_application_registry().get()
    first = builtin_definitions()
    try:
        pint.set_application_registry(pint.UnitRegistry())
        switched = builtin_definitions()
        assert switched is not first
        assert switched[0].unit._REGISTRY is pint.get_application_registry().get()
    finally:
        pint.set_application_registry(original)
    assert builtin_definitions() is first
