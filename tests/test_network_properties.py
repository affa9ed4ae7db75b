"""Hypothesis properties of the city network: lossless round-trips, relabelling invariance of every
ranking, and reach that only grows with k."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from civicinnov.io.network import dumps_network, from_node_link, loads_network, to_node_link
from civicinnov.network import (
    CityNetwork,
    CityNetworkBuilder,
    Relation,
    brokers,
    communities,
    cross_border_ties,
    diffusion,
    peers,
    reach,
    select_seeds,
    simulate_spread,
)

KINDS = ["exchange", "partnership", "cohort_peer"]
COUNTRIES = ["US", "FR", "GB"]
DOMAINS = ["housing", "health", "transport"]


@st.composite
def networks(draw: st.DrawFn) -> tuple[CityNetwork, list[Any]]:
    """A random network with cities (some with coordinates), an organisation, typed relations, one
    practice's adoptions, and the challenges/initiatives used by ``peers``."""
    n = draw(st.integers(3, 10))
    net = CityNetworkBuilder()
    for i in range(n):
        located = draw(st.booleans())
        net.add_city(
            f"c{i}",
            name=draw(st.sampled_from(["Lyon", "Peoria", "Säo Paulo", None])),
            country=draw(st.sampled_from(COUNTRIES)),
            population=draw(st.one_of(st.none(), st.integers(1_000, 5_000_000))),
            lat=draw(st.floats(-60, 60)) if located else None,
            lon=draw(st.floats(-180, 180)) if located else None,
        )
    net.add_organisation("org", partner_kinds=["funder"], country="US")
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1),
                st.integers(0, n - 1),
                st.sampled_from(KINDS),
                st.one_of(st.none(), st.dates(date(2010, 1, 1), date(2020, 1, 1))),
            ),
            max_size=25,
        )
    )
    seen: set[tuple[str, str, str]] = set()
    for a, b, kind, on in pairs:
        if a == b:
            continue
        rel = Relation(kind=kind, source=f"c{a}", target=f"c{b}", on=on)
        if (rel.source, rel.target, rel.key) not in seen and (
            rel.target,
            rel.source,
            rel.key,
        ) not in seen:
            seen.add((rel.source, rel.target, rel.key))
            net.add_relation(rel)
    for i in draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True)):
        net.add_relation(Relation(kind="intermediary", source="org", target=f"c{i}"))
    order = draw(st.permutations(range(n)))[: draw(st.integers(0, n))]
    start = date(2012, 1, 1)
    for step, i in enumerate(order):
        on = start + timedelta(days=30 * step)
        source = (
            f"c{order[draw(st.integers(0, step - 1))]}" if step and draw(st.booleans()) else None
        )
        net.record_adoption("practice-x", f"c{i}", on, source_id=source)
    if draw(st.booleans()):
        net.add_proximity("2000 km")
    challenges = [
        type("Ch", (), {"id": f"ch{k}", "city_id": f"c{i}", "policy_domain": d})()
        for k, (i, d) in enumerate(
            draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(DOMAINS)), max_size=8))
        )
    ]
    return net.build(), challenges


def shuffled_names(net: CityNetwork, data: st.DataObject) -> dict[str, str]:
    ids = net.nodes()
    names = data.draw(st.permutations([f"n{k:02d}" for k in range(len(ids))]))
    return dict(zip(ids, names, strict=True))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks())
def test_node_link_round_trip(built: tuple[CityNetwork, list[Any]]) -> None:
    net, _ = built
    assert loads_network(dumps_network(net)) == net
    assert from_node_link(json.loads(json.dumps(to_node_link(net)))) == net
    assert loads_network(dumps_network(net)).relations() == net.relations()
    assert dumps_network(loads_network(dumps_network(net))) == dumps_network(net)


@SETTINGS
@given(networks(), st.data())
def test_rankings_are_invariant_under_relabelling(
    built: tuple[CityNetwork, list[Any]], data: st.DataObject
) -> None:
    net, challenges = built
    mapping = shuffled_names(net, data)
    other = net.relabel(mapping)
    moved = [
        type(
            "Ch", (), {"id": c.id, "city_id": mapping[c.city_id], "policy_domain": c.policy_domain}
        )()
        for c in challenges
    ]
    city = net.cities()[0]
    ours = peers(net, city, challenges=challenges, limit=None)
    theirs = peers(other, mapping[city], challenges=moved, limit=None)
    assert [mapping[p] for p in ours.ids()] == theirs.ids()
    assert [p.score for p in ours.peers] == [p.score for p in theirs.peers]
    if net.number_of_relations() == 0:
        return
    ranked, ranked_other = brokers(net), brokers(other)
    assert [(mapping[b.node_id], b.bridging_groups) for b in ranked] == [
        (b.node_id, b.bridging_groups) for b in ranked_other
    ]
    assert [b.betweenness for b in ranked] == pytest.approx([b.betweenness for b in ranked_other])
    ours_c = communities(net, seed=2)
    theirs_c = communities(other, seed=2)
    assert [tuple(mapping[n] for n in g) for g in ours_c.groups] == list(theirs_c.groups)
    assert [(mapping[k], v) for k, v in reach(net, city, 2).nodes.items()] == list(
        reach(other, mapping[city], 2).nodes.items()
    )
    a = simulate_spread(net, [city], p=0.4, runs=20, seed=1)
    b = simulate_spread(other, [mapping[city]], p=0.4, runs=20, seed=1)
    assert a.sizes.tolist() == b.sizes.tolist()
    chosen = select_seeds(net, 2, p=0.4, runs=10, seed=1)
    assert [mapping[s] for s in chosen.seeds] == list(
        select_seeds(other, 2, p=0.4, runs=10, seed=1).seeds
    )
    assert cross_border_ties(net).by_pair == cross_border_ties(other).by_pair
    if net.adopted_on("practice-x"):
        d1, d2 = diffusion(net, "practice-x"), diffusion(other, "practice-x")
        assert [tuple(mapping[n] for n in g) for g in d1.generations()] == list(d2.generations())


@SETTINGS
@given(networks())
def test_reach_grows_with_k(built: tuple[CityNetwork, list[Any]]) -> None:
    net, _ = built
    if net.number_of_relations() == 0:
        return
    city = net.cities()[0]
    previous: set[str] = set()
    for k in range(6):
        now = set(reach(net, city, k).nodes)
        assert previous <= now
        previous = now
    assert previous <= set(nx.node_connected_component(net.nx, city))
