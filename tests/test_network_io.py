"""Reading and writing city networks: node-link JSON, GraphML, GEXF, plain networkx."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from civicinnov.errors import SchemaVersionError, SerializationError
from civicinnov.network.graph import CityNetwork, Relation
from civicinnov.network.io import (
    SCHEMA_VERSION,
    dumps,
    from_node_link,
    loads,
    read_graphml,
    read_json,
    to_networkx,
    to_node_link,
    write_gexf,
    write_graphml,
    write_json,
)


def sample() -> CityNetwork:
    net = CityNetwork()
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
    return net


def test_node_link_document_shape_and_round_trip(tmp_path: Path) -> None:
    net = sample()
    doc = to_node_link(net)
    assert doc["schema_version"] == SCHEMA_VERSION
    edge = next(e for e in doc["graph"]["edges"] if e["kind"] == "adoption")
    assert (edge["source"], edge["target"]) == ("lille", "syracuse")  # direction kept
    assert {"end_a", "end_b", "key"} <= set(edge)
    assert loads(dumps(net)) == net
    write_json(net, tmp_path / "n.json")
    back = read_json(tmp_path / "n.json")
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
    with pytest.raises(SerializationError, match=r"\$: not JSON"):
        loads("{")
    bad = json.loads(json.dumps(good))
    bad["graph"]["nodes"][0]["kind"] = "planet"
    with pytest.raises(SerializationError, match=r"\$.graph: node 'lille': kind 'planet'"):
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
