"""Reading and writing city networks: node-link JSON, GraphML, GEXF, plain networkx."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from civicinnov.errors import CivicError, SchemaVersionError, SerializationError
from civicinnov.io.network import (
    NETWORK_SCHEMA_VERSION,
    dumps_network,
    from_node_link,
    loads_network,
    read_graphml,
    read_network_json,
    to_networkx,
    to_node_link,
    write_gexf,
    write_graphml,
    write_network_json,
)
from civicinnov.network import CityNetwork, CityNetworkBuilder, Relation


def sample() -> CityNetwork:
    net = CityNetworkBuilder()
    net.add_city("lille", name="Lille", country="FR", population=235_000, lat=50.63, lon=3.06)
    net.add_city("roubaix", name="Roubaix", country="FR", lat=50.69, lon=3.18)
    net.add_city("syracuse", name="Syracuse", country="US")
    net.add_organisation("la-27e-region", partner_kinds=["national_partner"], country="FR")
    net.add_relations(
        [
            Relation(kind="partnership", source="syracuse", target="lille", on=date(2018, 5, 1)),
            Relation(kind="exchange", source="lille", target="roubaix", note="site visit"),
            Relation(kind="exchange", source="roubaix", target="lille", id="second"),
            Relation(kind="intermediary", source="la-27e-region", target="lille", via="fr-2017"),
        ]
    )
    net.record_adoption("open-data", "lille", date(2016, 1, 1))
    net.record_adoption("open-data", "syracuse", date(2017, 2, 1), source_id="lille")
    net.add_proximity("20 km")
    return net.build()


def test_node_link_document_shape_and_round_trip(tmp_path: Path) -> None:
    net = sample()
    doc = to_node_link(net)
    assert doc["schema_version"] == NETWORK_SCHEMA_VERSION
    edge = next(e for e in doc["graph"]["edges"] if e["kind"] == "adoption")
    assert (edge["source"], edge["target"]) == ("lille", "syracuse")  # direction kept
    assert {"end_a", "end_b", "key"} <= set(edge)
    assert loads_network(dumps_network(net)) == net
    write_network_json(net, tmp_path / "n.json")
    back = read_network_json(tmp_path / "n.json")
    assert back == net
    assert back.relations(kinds="adoption") == net.relations(kinds="adoption")
    assert back.adopted_on("open-data") == net.adopted_on("open-data")


def test_graphml_round_trip_and_gexf_export(tmp_path: Path) -> None:
    net = sample()
    write_graphml(net, tmp_path / "n.graphml")
    assert read_graphml(tmp_path / "n.graphml") == net
    write_gexf(net, tmp_path / "n.gexf")
    g = nx.read_gexf(tmp_path / "n.gexf")
    assert g.number_of_nodes() == 4
    assert g.number_of_edges() == net.number_of_relations()
    assert g.nodes["lille"]["population"] == 235_000.0


def test_plain_networkx() -> None:
    net = sample()
    g = to_networkx(net)
    assert type(g) is nx.MultiGraph
    g.add_node("extra", kind="city")
    assert "extra" not in net
    assert CityNetwork.from_nx(to_networkx(net)) == net


def test_bad_documents() -> None:
    good = to_node_link(sample())
    with pytest.raises(
        SchemaVersionError, match=r"\$.schema_version: this release reads version 1, got 2"
    ):
        from_node_link({**good, "schema_version": 2})
    with pytest.raises(
        SerializationError, match=r"\$.format: expected 'civicinnov.city_network', got 'x'"
    ):
        from_node_link({**good, "format": "x"})
    with pytest.raises(SerializationError, match=r"\$: unexpected field\(s\) 'extra'"):
        from_node_link({**good, "extra": 1})
    with pytest.raises(SerializationError, match=r"\$.graph: expected an undirected multigraph"):
        from_node_link({**good, "graph": {**good["graph"], "directed": True}})
    with pytest.raises(SerializationError, match=r"<string>:1:2: not valid JSON"):
        loads_network("{")
    bad = json.loads(json.dumps(good))
    bad["graph"]["nodes"][0]["kind"] = "planet"
    with pytest.raises(SerializationError, match=r"<document>: \$.graph.nodes\[0\].kind: 'planet'"):
        from_node_link(bad)
    bad = json.loads(json.dumps(good))
    bad["graph"]["nodes"][0]["id"] = "Not A Slug"
    with pytest.raises(SerializationError, match="not an id"):
        from_node_link(bad)


def test_bad_graphml(tmp_path: Path) -> None:
    path = tmp_path / "x.graphml"
    path.write_text("<nope")
    with pytest.raises(SerializationError, match=r"x\.graphml: not GraphML"):
        read_graphml(path)


# -- hostile input: only CivicError, naming the file and the place inside it --------------------


def document() -> dict[str, Any]:
    return json.loads(dumps_network(sample()))


def write_doc(tmp_path: Path, doc: Any, name: str = "net.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_node_that_is_not_an_object(tmp_path: Path) -> None:
    doc = document()
    doc["graph"]["nodes"] = ["x"]
    with pytest.raises(
        SerializationError,
        match=r"net\.json: 13 problems: \$\.graph\.nodes\[0\]: expected an object, got str 'x'",
    ):
        read_network_json(write_doc(tmp_path, doc))


def test_an_edge_weight_that_is_a_list(tmp_path: Path) -> None:
    doc = document()
    doc["graph"]["edges"][1]["weight"] = [1]
    with pytest.raises(
        SerializationError,
        match=r"net\.json: \$\.graph\.edges\[1\]\.weight: expected a JSON scalar .* got list \[1\]",
    ):
        read_network_json(write_doc(tmp_path, doc))


def test_deep_nesting_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(SerializationError, match=r"deep\.json: not readable JSON: nested 5000"):
        read_network_json(path)
    path.write_text("[" * 200_000)
    with pytest.raises(SerializationError, match=r"deep\.json"):
        read_network_json(path)


def test_nan_and_list_attributes_are_refused(tmp_path: Path) -> None:
    text = dumps_network(sample()).replace('"population": 235000.0', '"population": NaN')
    path = tmp_path / "nan.json"
    path.write_text(text)
    with pytest.raises(SerializationError, match=r"nan\.json: not valid JSON: NaN"):
        read_network_json(path)
    doc = document()
    doc["graph"]["nodes"][0]["population"] = float("inf")
    with pytest.raises(SerializationError, match=r"nodes\[0\]\.population: inf; expected a finite"):
        from_node_link(doc)
    doc = document()
    doc["graph"]["nodes"][1]["tags"] = ["a", "b"]
    doc["graph"]["graph"]["owners"] = {"x": 1}
    with pytest.raises(SerializationError, match=r"\$\.graph\.graph\.owners: expected a JSON"):
        from_node_link(doc)


def test_duplicate_nodes_and_relations_are_reported_not_merged(tmp_path: Path) -> None:
    doc = document()
    doc["graph"]["nodes"].append(dict(doc["graph"]["nodes"][0]))
    doc["graph"]["edges"].append(dict(doc["graph"]["edges"][0]))
    doc["graph"]["edges"].append(dict(doc["graph"]["edges"][2]))
    with pytest.raises(SerializationError) as caught:
        read_network_json(write_doc(tmp_path, doc, "dup.json"))
    problems = caught.value.problems
    assert len(problems) == 3
    assert all(p.startswith(f"{tmp_path / 'dup.json'}: $.graph.") for p in problems)
    assert "nodes[4].id: 'lille' appears again (first at $.graph.nodes[0])" in problems[0]
    assert "duplicate relations are not merged" in problems[1]
    assert "3 problems" in str(caught.value)


def test_every_problem_is_listed() -> None:
    doc = document()
    doc["graph"]["nodes"][0]["id"] = "Not A Slug"
    doc["graph"]["nodes"][1]["kind"] = "planet"
    doc["graph"]["edges"][0]["end_b"] = "nowhere"
    with pytest.raises(SerializationError) as caught:
        from_node_link(doc, source="x.json")
    where = [p.split(": ")[1] for p in caught.value.problems]
    assert where[:2] == ["$.graph.nodes[0].id", "$.graph.nodes[1].kind"]
    assert "$.graph.edges[0].end_b" in where  # 'nowhere'
    assert all(p.startswith("x.json: $.graph.") for p in caught.value.problems)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / "missing.json", "No such file or directory"),
        (lambda p: p, "Is a directory"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, make: Any, reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(SerializationError, match=f"{path}: cannot read the file \\({reason}\\)"):
        read_network_json(path)
    with pytest.raises(SerializationError, match=f"{path}: cannot read the file \\({reason}\\)"):
        read_graphml(path)


def test_not_utf8_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{\n  "a": "\xe9"}')
    with pytest.raises(SerializationError, match=r"latin\.json:2:9: not UTF-8 text"):
        read_network_json(path)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_network(sample()).encode())
    assert read_network_json(path) == sample()


def test_graphml_duplicates_and_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.graphml"
    write_graphml(sample(), path)
    text = path.read_text()
    node = text[text.index("<node") : text.index("</node>") + len("</node>")]
    path.write_text(text.replace(node, node + node, 1))
    with pytest.raises(
        SerializationError, match=r"n\.graphml: /graphml/graph\[1\]/node\[2\]: node"
    ):
        read_graphml(path)
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>'
    )
    with pytest.raises(SerializationError, match="document type declaration"):
        read_graphml(path)


# -- fuzzing: mutated documents raise CivicError and nothing else --------------------------------

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    doc = document()
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if not path:
            doc = draw(_JSON_VALUES) if action == "replace" else doc
            continue
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if action == "replace":
            parent[last] = draw(_JSON_VALUES)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[last], allow_nan=True)))
        else:
            parent[draw(st.text(max_size=6))] = parent[last]
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_fuzz_mutated_documents_raise_civic_errors_only(doc: Any) -> None:
    with contextlib.suppress(CivicError):
        from_node_link(doc, source="fuzz.json")
    text = json.dumps(doc, allow_nan=True)
    with contextlib.suppress(CivicError):
        loads_network(text, source="fuzz.json")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fuzz_damaged_text_raises_civic_errors_only(data: st.DataObject) -> None:
    text = dumps_network(sample()).encode()
    cut = data.draw(st.integers(0, len(text)))
    junk = data.draw(st.binary(max_size=8))
    damaged = text[:cut] + junk + text[cut + data.draw(st.integers(0, 8)) :]
    with contextlib.suppress(CivicError):
        loads_network(damaged, source="fuzz.json")


# -- writing: atomic, through the one file layer ---------------------------------------------------


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "net.json"
    write_network_json(sample(), path)
    before = path.read_bytes()
    real_write = os.write

    def full_disk(fd: int, data: Any) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    for writer in (write_network_json, write_graphml, write_gexf):
        with pytest.raises(SerializationError, match=r"net\.json: cannot write \(No space left"):
            writer(CityNetwork(), path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_saving_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    write_network_json(CityNetwork(), real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_network_json(sample(), link)
    assert link.is_symlink()
    assert read_network_json(real) == sample()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_read_only_file_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    write_graphml(CityNetwork(), path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    with pytest.raises(SerializationError, match=r"refusing to replace a read-only file"):
        write_graphml(sample(), path)
    assert path.read_bytes() == before


_KILL_SCRIPT = """
import sys
from civicinnov.io.network import read_network_json, write_network_json
from civicinnov.network import CityNetworkBuilder, Relation
b = CityNetworkBuilder()
for i in range(400):
    b.add_city(f"c{i}", name="x" * 200, lat=float(i % 80), lon=float(i % 170))
b.add_relations([Relation(kind="exchange", source=f"c{i}", target=f"c{i + 1}") for i in range(399)])
net = b.build()
print("ready", flush=True)
while True:
    write_network_json(net, sys.argv[1])
"""


def test_kill_9_during_writes_never_leaves_a_partial_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    path = tmp_path / "net.json"
    write_network_json(sample(), path)
    for attempt in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILL_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 * (attempt + 1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        net = read_network_json(path)  # the old network or the new one, whole
        assert len(net) in (len(sample()), 400)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "net.json"]
    assert all(name.startswith(".net.json.") for name in leftovers)  # only killed temporaries
