"""Portfolio documents: lossless round-trips, every bad input with its type and message, atomic saves."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import pathlib

import attrs
import pytest
from hypothesis import given, settings, strategies as st
from tests.strategies import consistent_portfolios, portfolios

from civicinnov.datasets import iteams_bytes, load_iteams
from civicinnov.errors import (
    CivicError,
    IntegrityError,
    PluginError,
    SchemaVersionError,
    SerializationError,
)
from civicinnov.io import json as cjson
from civicinnov.io.json import (
    SCHEMA_VERSION,
    dumps_portfolio,
    from_document,
    load_portfolio,
    loads_portfolio,
    save_portfolio,
    to_document,
)
from civicinnov.io.serde import new_converter, structure
from civicinnov.metrics import MetricDefinition
from civicinnov.programme import Portfolio


def _doc() -> dict[str, object]:
    return json.loads(iteams_bytes())


# -- round trips ------------------------------------------------------------------------------------


@settings(max_examples=60)
@given(portfolios())
def test_round_trip_is_lossless(portfolio: Portfolio) -> None:
    text = dumps_portfolio(portfolio)
    again = loads_portfolio(text, check=False)
    assert again == portfolio
    assert dumps_portfolio(again) == text


@settings(max_examples=30)
@given(consistent_portfolios())
def test_consistent_portfolios_round_trip_with_checks(portfolio: Portfolio) -> None:
    assert portfolio.check() == []
    assert loads_portfolio(dumps_portfolio(portfolio)) == portfolio


def test_bundled_document_round_trips_byte_for_byte() -> None:
    assert dumps_portfolio(load_iteams()).encode("utf-8") == iteams_bytes()


def test_document_starts_with_schema_version() -> None:
    doc = to_document(Portfolio(name="x"))
    assert next(iter(doc)) == "schema_version"
    assert doc["schema_version"] == SCHEMA_VERSION


@attrs.frozen(kw_only=True)
class TransitMetric(MetricDefinition):
    """An extension package's metric definition with an extra field."""

    mode: str = "bus"


def test_metric_definition_subclass_round_trips_with_its_extra_field() -> None:
    metric = TransitMetric(id="boardings", name="Boardings", unit="person", mode="tram")
    portfolio = Portfolio(metrics=(metric,))
    doc = to_document(portfolio)
    assert doc["metrics"][0]["class"] == "tests.test_io_json:TransitMetric"
    assert doc["metrics"][0]["mode"] == "tram"
    again = from_document(json.loads(json.dumps(doc)))
    assert type(again.metrics[0]) is TransitMetric
    assert again == portfolio


def test_unknown_subclass_tag_is_refused_without_importing_anything() -> None:
    doc = {"schema_version": 1, "metrics": [{"class": "evil.module:Thing", "id": "m"}]}
    with pytest.raises(
        SerializationError,
        match=r"\$\.metrics\[0\]\.class: 'evil\.module:Thing' "
        r"is not a loaded subclass of MetricDefinition; import 'evil\.module'",
    ):
        from_document(doc, source="x.json")


def test_converter_is_new_each_time() -> None:
    assert new_converter() is not new_converter()


# -- bad input: each with its type and message ----------------------------------------------------


def test_truncated_json_names_file_line_and_column(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(iteams_bytes()[:500])
    with pytest.raises(
        SerializationError,
        match=r"p\.json:\d+:\d+: not valid JSON \(the text ends "
        r"early; is the file truncated\?\)",
    ):
        load_portfolio(path)


def test_malformed_json_in_the_middle() -> None:
    with pytest.raises(
        SerializationError, match=r"^x\.json:2:3: not valid JSON: Expecting property"
    ):
        loads_portfolio('{"schema_version": 1,\n  ,}', source="x.json")


def test_not_utf8(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"schema_version": 1, "name": "Région"}'.encode("latin-1"))
    with pytest.raises(SerializationError, match=r"latin1\.json:1:33: not UTF-8 text \(byte 0xe9"):
        load_portfolio(path)


def test_nan_literal_is_refused() -> None:
    with pytest.raises(SerializationError, match="NaN is not a JSON value"):
        loads_portfolio('{"schema_version": 1, "name": NaN}', source="x.json")


def test_wrong_type_in_a_deep_field() -> None:
    doc = _doc()
    doc["challenges"][3]["metric_ids"][0] = 7  # type: ignore[index]
    with pytest.raises(SerializationError) as info:
        from_document(doc, source="p.json")
    assert str(info.value) == "p.json: $.challenges[3].metric_ids[0]: expected a string, got int 7"


def test_string_false_is_not_a_boolean() -> None:
    doc = _doc()
    doc["claims"][0]["verified"] = "false"  # type: ignore[index]
    with pytest.raises(
        SerializationError,
        match=r"\$\.claims\[0\]\.verified: expected a boolean, "
        r"got str 'false'",
    ):
        from_document(doc, source="p.json")


def test_unknown_key() -> None:
    doc = _doc()
    doc["cities"][2]["mayor"] = "Greg Fischer"  # type: ignore[index]
    with pytest.raises(
        SerializationError,
        match=r"p\.json: \$\.cities\[2\]: unknown key\(s\) "
        r"'mayor'; expected only the fields of City",
    ):
        from_document(doc, source="p.json")


def test_unknown_top_level_key() -> None:
    with pytest.raises(SerializationError, match=r"\$: unknown key\(s\) 'citys'"):
        from_document({"schema_version": 1, "citys": []}, source="p.json")


def test_validator_message_keeps_its_path() -> None:
    doc = _doc()
    doc["cities"][0]["id"] = "Atlanta GA"  # type: ignore[index]
    with pytest.raises(
        SerializationError,
        match=r"\$\.cities\[0\]: City\.id: expected a slug .*"
        r"got 'Atlanta GA'",
    ):
        from_document(doc, source="p.json")


def test_every_problem_is_listed() -> None:
    doc = _doc()
    doc["cities"][0]["country"] = 1  # type: ignore[index]
    doc["cohorts"][1]["announced"] = "15 Dec 2014"  # type: ignore[index]
    with pytest.raises(SerializationError) as info:
        from_document(doc, source="p.json")
    assert info.value.problems == (
        "$.cities[0].country: expected a string, got int 1",
        "$.cohorts[1].announced: expected an ISO date such as '2017-07-11', got str '15 Dec 2014'",
    )
    assert str(info.value).startswith("p.json: 2 problems:")


def test_absurd_unit_expression() -> None:
    doc = _doc()
    doc["targets"][0]["value"]["unit"] = "person**99999999"  # type: ignore[index]
    with pytest.raises(
        SerializationError,
        match=r"\$\.targets\[0\]\.value\.unit: 'person\*\*"
        r"99999999' has an exponent of 99999999; expected at most 12 in size",
    ):
        from_document(doc, source="p.json")


def test_dangling_id_is_an_integrity_error_naming_file_and_path() -> None:
    doc = _doc()
    doc["initiatives"][7]["target_ids"] = ["atlanta-housed-8000"]  # type: ignore[index]
    with pytest.raises(
        IntegrityError,
        match=r"^p\.json: \$\.initiatives\[7\]\.target_ids\[0\]: "
        r"'atlanta-housed-8000' is not the id of any target \(did you mean "
        r"'atlanta-housed-800'\?\)",
    ):
        from_document(doc, source="p.json")
    # check=False reads it, so tools can show the problems themselves
    assert from_document(doc, check=False).check()


def test_newer_schema_version_is_refused() -> None:
    with pytest.raises(
        SchemaVersionError,
        match=r"x\.json: \$\.schema_version: 3 is newer than "
        r"this release reads \(2\); upgrade civicinnov",
    ):
        from_document({"schema_version": 3}, source="x.json")


def test_older_schema_version_without_migration_is_refused() -> None:
    with pytest.raises(
        SchemaVersionError,
        match=r"\$\.schema_version: 0 is older than any version "
        r"this release can migrate \(it reads 2 and migrates from 1\)",
    ):
        from_document({"schema_version": 0}, source="x.json")


def test_older_schema_version_is_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    def rename(doc: dict[str, object]) -> dict[str, object]:
        doc["name"] = doc.pop("title")
        return doc

    monkeypatch.setitem(cjson.MIGRATIONS, 0, rename)
    assert from_document({"schema_version": 0, "title": "Old"}).name == "Old"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, r"\$\.schema_version: missing; expected the integer 2"),
        (
            {"schema_version": "1"},
            r"\$\.schema_version: expected an integer such as 2, got str '1'",
        ),
        ({"schema_version": True}, r"expected an integer such as 2, got bool True"),
    ],
)
def test_bad_schema_version(doc: dict[str, object], message: str) -> None:
    with pytest.raises(SchemaVersionError, match=message):
        from_document(doc)


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(
        SerializationError,
        match=r"x\.json: \$: expected a JSON object \(a "
        r"portfolio document\), got a list",
    ):
        loads_portfolio("[]", source="x.json")


def test_missing_file() -> None:
    with pytest.raises(SerializationError, match=r"nope\.json: cannot read the file"):
        load_portfolio("nope.json")


def test_structure_names_the_source() -> None:
    with pytest.raises(SerializationError, match=r"^f\.json: \$: expected a list, got int 3$"):
        structure(3, tuple[str, ...], source="f.json")


# -- atomic saves -----------------------------------------------------------------------------------


def test_save_then_load(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "iteams.json"
    save_portfolio(load_iteams(), path)
    assert load_portfolio(path) == load_iteams()
    assert [p.name for p in tmp_path.iterdir()] == ["iteams.json"]


def test_interrupted_save_leaves_the_old_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.json"
    save_portfolio(Portfolio(name="Old"), path)
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(
        SerializationError, match=r"p\.json: cannot write \(No space left on device\)"
    ):
        save_portfolio(Portfolio(name="New"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_interrupt_during_write_leaves_no_temporary_file(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.json"

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_portfolio(Portfolio(name="New"), path)
    assert list(tmp_path.iterdir()) == []


def test_save_into_missing_directory(tmp_path: pathlib.Path) -> None:
    with pytest.raises(SerializationError, match=r"cannot write"):
        save_portfolio(Portfolio(), tmp_path / "no" / "p.json")


# -- fuzzing: malformed documents raise CivicError subclasses only ------------------------------------

_BASE = json.loads(
    dumps_portfolio(
        Portfolio(
            name="Fuzz",
            cities=load_iteams().cities[:3],
            cohorts=load_iteams().cohorts[:1],
            challenges=load_iteams().challenges[:2],
            initiatives=load_iteams().initiatives[:2],
            metrics=load_iteams().metrics[:2],
            series=load_iteams().series,
            targets=load_iteams().targets,
            claims=load_iteams().claims[:2],
            funding=load_iteams().funding[:1],
            ties=load_iteams().ties[:2],
        )
    )
)

_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


_ALL_PATHS = _paths(_BASE)


@settings(max_examples=200)
@given(st.sampled_from(_ALL_PATHS[1:]), _junk, st.sampled_from(["replace", "delete", "add"]))
def test_fuzz_mutated_documents_raise_civic_errors_only(
    path: tuple[object, ...], junk: object, how: str
) -> None:
    doc = copy.deepcopy(_BASE)
    parent: object = doc
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    last = path[-1]
    if how == "replace":
        parent[last] = junk  # type: ignore[index]
    elif how == "delete":
        del parent[last]  # type: ignore[attr-defined]
    elif isinstance(parent, dict):
        parent["zz-extra"] = junk
    else:
        parent.append(junk)  # type: ignore[attr-defined]
    with contextlib.suppress(CivicError):
        from_document(doc, source="fuzz.json")


@settings(max_examples=200)
@given(
    st.binary(max_size=64) | st.integers(0, len(iteams_bytes())).map(lambda n: iteams_bytes()[:n])
)
def test_fuzz_bytes_raise_civic_errors_only(data: bytes) -> None:
    with contextlib.suppress(CivicError):
        loads_portfolio(data, source="fuzz.json")


def test_deeply_nested_document() -> None:
    with pytest.raises(SerializationError, match=r"fuzz\.json"):
        loads_portfolio("[" * 100_000 + "]" * 100_000, source="fuzz.json")


def test_garbage_collector_is_restored_after_a_failed_load() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(SerializationError):
        from_document({"schema_version": 1, "cities": "x"})
    assert gc.isenabled()
    gc.disable()
    try:
        from_document({"schema_version": 1})
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_version_1_money_becomes_funding_records() -> None:
    """Schema 1 kept grants on cohorts and i-teams; schema 2 has one store, the funding records."""
    doc = {
        "schema_version": 1,
        "partners": [{"id": "bp", "name": "BP", "kinds": ["funder"]}],
        "cities": [{"id": "x", "name": "X", "country": "US"}],
        "cohorts": [
            {
                "id": "c",
                "name": "C",
                "funder_id": "bp",
                "announced": "2014-01-01",
                "grant": {"amount": "1000", "currency": "USD"},
                "members": [{"city_id": "x", "joined": "2014-01-01"}],
            }
        ],
        "iteams": [
            {
                "id": "x-team",
                "city_id": "x",
                "cohort_id": "c",
                "grant": {"amount": "200", "currency": "USD"},
                "local_match": {"amount": "50", "currency": "USD"},
            }
        ],
    }
    p = from_document(doc, source="old.json")
    assert [
        (f.id, f.source_id, f.recipient_id, f.kind.value, str(f.amount), f.cohort_id)
        for f in p.funding
    ] == [
        ("c-x-grant", "bp", "x", "grant", "USD 1,000.00", "c"),
        ("x-team-grant", "bp", "x", "grant", "USD 200.00", "c"),
        ("x-team-local-match", "x", "x-team", "local_match", "USD 50.00", None),
    ]
    assert to_document(p)["schema_version"] == 2


def test_a_document_carries_the_units_it_uses(tmp_path: pathlib.Path) -> None:
    """A unit registered in one process is written into the document and defined on reading
    elsewhere, where nobody registered it."""
    import subprocess
    import sys

    path = tmp_path / "potholes.json"
    make = (
        "from civicinnov.units import register_units\n"
        "register_units('pothole = [pothole]')\n"
        "from civicinnov.metrics import MetricDefinition\n"
        "from civicinnov.programme import Portfolio\n"
        "from civicinnov.io import save_portfolio\n"
        "m = MetricDefinition(id='potholes', name='Potholes', unit='pothole / month')\n"
        f"save_portfolio(Portfolio(name='P', metrics=[m]), {str(path)!r})\n"
    )
    subprocess.run([sys.executable, "-c", make], check=True)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["units"] == ["pothole = [pothole]"]
    read = (
        "from civicinnov.io import load_portfolio\n"
        f"p = load_portfolio({str(path)!r})\n"
        "print(p.metric('potholes').unit)\n"
    )
    out = subprocess.run([sys.executable, "-c", read], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "pothole / month"


def test_a_bad_units_section_is_refused_with_its_path() -> None:
    with pytest.raises(Exception, match=r"x\.json: \$\.units") as info:
        from_document({"schema_version": 2, "units": ["meter = 2 * meter"]}, source="x.json")
    assert isinstance(info.value, CivicError)
    with pytest.raises(SerializationError, match=r"x\.json: \$\.units: expected a list"):
        from_document({"schema_version": 2, "units": "pothole = [pothole]"}, source="x.json")


def test_a_missing_plugin_is_named() -> None:
    with pytest.raises(
        PluginError, match=r"needs the plug-in 'civicinnov_nowhere', which is not installed"
    ):
        from_document({"schema_version": 2, "plugins": ["civicinnov_nowhere"]}, source="x.json")
