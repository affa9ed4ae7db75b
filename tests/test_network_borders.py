"""Ties across borders as the sources describe them, country nodes and support relations."""

from __future__ import annotations

import pathlib

import pytest

from civicinnov.datasets import load_iteams
from civicinnov.errors import NetworkError, ValidationError
from civicinnov.io.network import read_graphml, read_network_json, write_graphml, write_network_json
from civicinnov.network import (
    CityNetwork,
    CityNetworkBuilder,
    NodeKind,
    Relation,
    RelationKind,
    country_node_id,
    cross_border_ties,
)
from civicinnov.programme import build_report
from civicinnov.render import render_json, render_text


def _net() -> CityNetwork:
    b = CityNetworkBuilder()
    b.add_city("mulhouse", country="FR")
    b.add_city("paris", country="FR")
    b.add_city("basel", country="CH")
    b.add_city("boston", country="US")
    be = b.add_country("BE")
    b.add_relations(
        [
            Relation(kind="cross_border_metro", source="mulhouse", target="basel"),
            Relation(kind="border", source="mulhouse", target=be),
            Relation(kind="cohort_peer", source="paris", target="boston", via="k"),
            Relation(kind="cohort_peer", source="paris", target="mulhouse", via="k"),
            Relation(kind="exchange", source="paris", target="basel"),
        ]
    )
    return b.build()


def test_country_nodes_are_not_cities() -> None:
    net = _net()
    assert net.countries() == ["country-be"]
    assert "country-be" not in net.cities()
    assert net.node("country-be") == {
        "kind": NodeKind.COUNTRY.value,
        "name": "BE",
        "country": "BE",
    }
    assert country_node_id("gb") == "country-gb"
    with pytest.raises(ValidationError, match="alpha-2"):
        country_node_id("GBR")


def test_adding_a_country_twice_returns_the_same_node_and_a_clash_is_refused() -> None:
    b = CityNetworkBuilder()
    assert b.add_country("ES") == b.add_country("ES") == "country-es"
    b.add_city("country-fr")
    with pytest.raises(NetworkError, match="as a city"):
        b.add_country("FR")


def test_described_ties_and_cohort_links_are_counted_apart() -> None:
    ties = cross_border_ties(_net())
    assert [(r.kind, r.target) for r in ties.described] == [
        (RelationKind.CROSS_BORDER_METRO, "basel"),
        (RelationKind.BORDER, "country-be"),
    ]
    assert ties.described_share == pytest.approx(2 / 5)
    assert ties.cohort_share == pytest.approx(1 / 2)
    # every crossing (described, cohort, exchange) still counts in the overall share
    assert ties.share == pytest.approx(4 / 5)


def test_no_cohort_links_gives_no_cohort_share() -> None:
    b = CityNetworkBuilder()
    b.add_city("a", country="FR")
    b.add_city("b", country="DE")
    b.add_relation(Relation(kind="cultural", source="a", target="b"))
    ties = cross_border_ties(b.build())
    assert ties.cohort_share is None
    assert ties.described_share == 1.0


def test_cross_border_kinds_are_undirected_and_not_cities_only() -> None:
    kinds = [k for k in RelationKind if k.cross_border]
    assert {k.value for k in kinds} == {"cross_border_metro", "border", "across_water", "cultural"}
    assert not any(k.directed or k.cities_only for k in kinds)
    assert RelationKind.SUPPORT.directed
    assert not RelationKind.SUPPORT.cross_border


def test_support_comes_from_an_organisation_and_keeps_its_purposes() -> None:
    b = CityNetworkBuilder()
    b.add_organisation("centre")
    b.add_city("a")
    b.add_city("b")
    r = Relation(kind="support", source="centre", target="a", purposes=("training", "grants"))
    assert r.attributes()["purposes"] == "training grants"
    assert Relation.from_attributes(r.attributes()) == r
    b.add_relation(r)
    bad = Relation(kind="support", source="a", target="b", purposes=("training",))
    with pytest.raises(NetworkError, match="expected an organisation as the source, got city"):
        b.add_relation(bad)
    with pytest.raises(NetworkError, match="expected an organisation as the source, got city"):
        b.add_relations([bad])
    with pytest.raises(ValidationError):
        Relation(kind="support", source="centre", target="a", purposes=("Not a slug",))
    net = b.build()
    assert CityNetwork.from_nx(net.nx) == net


def test_the_report_names_the_real_cross_border_ties() -> None:
    report = build_report(load_iteams())
    net = report.network
    assert net is not None
    named = {(a.name, b.name, kind) for a, b, kind in net.border_ties}
    assert ("Mulhouse", "Basel", "cross_border_metro") in named
    assert ("Basel", "Freiburg im Breisgau", "cross_border_metro") in named
    assert ("Dunkerque (Dunkirk)", "BE", "border") in named
    assert ("Dunkerque (Dunkirk)", "GB", "across_water") in named
    assert ("Région Occitanie", "AD", "border") in named
    assert len(named) == 7
    assert net.border_tie_share is not None
    assert net.cohort_cross_border_share is not None
    assert net.border_tie_share != net.cohort_cross_border_share
    text = render_text(report)
    assert "Mulhouse–Basel" in text
    assert "Dunkerque (Dunkirk)–BE" in text
    assert "Same-cohort links across borders" in text
    data = render_json(report)
    assert '"border_ties"' in data
    assert '"to": "country-ad"' in data


def test_country_nodes_and_purposes_survive_the_network_files(tmp_path: pathlib.Path) -> None:
    net = load_iteams().network()
    assert net.countries()
    assert CityNetwork.from_nx(net.nx) == net
    path = tmp_path / "iteams.json"
    write_network_json(net, path)
    assert read_network_json(path) == net
    graphml = tmp_path / "iteams.graphml"
    write_graphml(net, graphml)
    back = read_graphml(graphml)
    assert back == net
    support = [r for r in back.relations() if r.kind is RelationKind.SUPPORT]
    assert ("training", "technical_assistance", "peer_learning") in {r.purposes for r in support}
