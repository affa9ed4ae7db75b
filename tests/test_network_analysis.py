"""Analyses: peers, brokers, communities, reach, cross-border ties, diffusion, spread and seeds."""

from __future__ import annotations

import math
from datetime import date
from types import SimpleNamespace
from typing import Any

import attrs
import numpy as np
import pytest

from civicinnov.errors import NetworkError, UnitError, UnknownIdError, ValidationError
from civicinnov.model import SMSLevel
from civicinnov.network import (
    BLOCK_RUNS,
    CityNetwork,
    CityNetworkBuilder,
    PeerWeights,
    Relation,
    SpreadWorlds,
    brokers,
    communities,
    cross_border_ties,
    diffusion,
    peers,
    reach,
    select_seeds,
    simulate_spread,
)

NS = SimpleNamespace


def small() -> CityNetwork:
    """Two cohorts joined through one US-FR partnership, plus a funder linking everyone."""
    net = CityNetworkBuilder()
    cities = [
        ("atlanta", "US", 500_000, 33.75, -84.39),
        ("peoria", "US", 110_000, 40.69, -89.59),
        ("syracuse", "US", 145_000, 43.05, -76.15),
        ("lille", "FR", 235_000, 50.63, 3.06),
        ("roubaix", "FR", 98_000, 50.69, 3.18),
        ("nantes", "FR", 320_000, 47.22, -1.55),
    ]
    for cid, country, pop, lat, lon in cities:
        net.add_city(cid, country=country, population=pop, lat=lat, lon=lon)
    ties = [
        ("atlanta", "peoria"),
        ("peoria", "syracuse"),
        ("atlanta", "syracuse"),
        ("syracuse", "lille"),
        ("lille", "roubaix"),
        ("roubaix", "nantes"),
        ("lille", "nantes"),
    ]
    net.add_relations([Relation(kind="exchange", source=a, target=b) for a, b in ties])
    return net.build()


def test_peers_components_and_ranking() -> None:
    net = small()
    challenges = [
        NS(id="c1", city_id="syracuse", policy_domain="infrastructure"),
        NS(id="c2", city_id="lille", policy_domain="infrastructure"),
        NS(id="c3", city_id="lille", policy_domain="housing"),
        NS(id="c4", city_id="nantes", policy_domain="infrastructure"),
        NS(id="c5", city_id="nantes", policy_domain="infrastructure"),
    ]
    initiatives = [
        NS(city_id="nantes", challenge_ids=("c4",), evidence_level=SMSLevel(4)),
        NS(city_id="lille", challenge_ids=("c3",), evidence_level=SMSLevel(5)),  # other domain
    ]
    ranking = peers(net, "syracuse", challenges=challenges, initiatives=initiatives, limit=None)
    assert ranking.domains == ("infrastructure",)
    by_id = {p.city_id: p for p in ranking.peers}
    nantes = by_id["nantes"]
    assert nantes.components["domain"] == 1.0
    assert nantes.components["challenges"] == 0.75  # two challenges: 1 - 2**-2
    assert nantes.components["evidence"] == pytest.approx(0.8)
    assert nantes.hops == 2
    assert nantes.components["network"] == 0.5
    assert by_id["lille"].components["evidence"] == 0.0  # its evidence is about housing
    assert by_id["lille"].hops == 1
    assert by_id["peoria"].components["size"] == pytest.approx(110 / 145)
    assert by_id["atlanta"].components["geography"] == pytest.approx(
        math.exp(-by_id["atlanta"].distance_km / 500)
    )
    w = PeerWeights().as_dict()
    expected = sum(w[k] * nantes.components[k] for k in w) / sum(w.values())
    assert nantes.score == pytest.approx(expected)
    scores = [p.score for p in ranking.peers]
    assert scores == sorted(scores, reverse=True)
    assert [p.rank for p in ranking.peers] == [1, 2, 3, 4, 5]
    assert "syracuse" not in ranking.ids()
    assert ranking.explain().splitlines()[1].startswith("  1. ")


def test_peers_from_a_portfolio_match_explicit_records() -> None:
    from civicinnov.datasets import load_iteams

    programme = load_iteams()
    net = programme.network()
    explicit = peers(
        net, "detroit", challenges=programme.challenges, initiatives=programme.initiatives
    )
    assert programme.peers("detroit") == explicit
    assert programme.peers("detroit", network=net, limit=2).ids() == explicit.ids()[:2]
    assert explicit.domains == ("public_safety",)
    assert explicit.ids()[0] == "new-orleans"
    # the bundle has no populations and no evidence levels, and the ranking says so
    assert [n.split(",")[0] for n in explicit.notes] == [
        "'detroit' has no population",
        "no initiative has an evidence level",
    ]
    # explicit records take precedence over the portfolio's
    only_housing = [c for c in programme.challenges if c.policy_domain.value == "housing"]
    mixed = programme.peers("boston", challenges=only_housing)
    assert mixed.domains == ("housing",)
    assert all(p.components["challenges"] == 0.0 for p in mixed.peers)


def test_peers_without_domain_information_say_so() -> None:
    net = small()
    bare = peers(net, "syracuse")
    assert len(bare.notes) == 1
    assert bare.notes[0].startswith(
        "no challenges given, so domain, challenges and evidence are 0 for every city"
    )
    assert "pass challenges= and initiatives= (Portfolio.peers does)" in bare.notes[0]
    assert bare.explain().splitlines()[1] == f"  note: {bare.notes[0]}"
    challenges = [NS(id="c1", city_id="lille", policy_domain="housing")]
    no_query = peers(net, "syracuse", challenges=challenges)
    assert no_query.notes == (
        "'syracuse' has no challenges and no domains= was given, so domain is 0 for every city "
        "and challenges and evidence count every domain; pass domains= to rank by a policy domain",
        "no initiatives given, so evidence is 0 for every city; pass initiatives= "
        "(Portfolio.peers does) to count evidence levels",
    )
    asked = peers(net, "syracuse", challenges=challenges, domains="housing", initiatives=[])
    assert asked.notes == (no_query.notes[1],)


def test_explain_shows_raw_and_weighted_components() -> None:
    net = small()
    challenges = [
        NS(id="c1", city_id="syracuse", policy_domain="infrastructure"),
        NS(id="c4", city_id="nantes", policy_domain="infrastructure"),
    ]
    initiatives = [NS(city_id="nantes", challenge_ids=("c4",), evidence_level=SMSLevel(4))]
    ranking = peers(net, "syracuse", challenges=challenges, initiatives=initiatives, limit=None)
    nantes = next(p for p in ranking.peers if p.city_id == "nantes")
    parts = ranking.contributions(nantes)
    assert sum(parts.values()) == pytest.approx(nantes.score)
    assert parts["domain"] == pytest.approx(3 * 1.0 / 10)
    assert parts["evidence"] == pytest.approx(2 * 0.8 / 10)
    lines = ranking.explain().splitlines()
    row = lines.index(next(line for line in lines if ". nantes: " in line))
    assert lines[row].endswith(
        "(raw: domain 1.00, challenges 0.50, network 0.50, size 0.45, geography 0.00, "
        "evidence 0.80)"
    )
    assert lines[row + 1] == (
        "     weighted: domain 0.300 + challenges 0.050 + network 0.100 + size 0.045 + "
        "evidence 0.160"
    )


def test_peer_weights_change_the_order() -> None:
    net = small()
    only_size = PeerWeights(domain=0, challenges=0, network=0, size=1, geography=0, evidence=0)
    assert peers(net, "peoria", weights=only_size).ids()[0] == "roubaix"  # 98k vs 110k
    only_geo = PeerWeights(domain=0, challenges=0, network=0, size=0, geography=1, evidence=0)
    assert peers(net, "lille", weights=only_geo, limit=1).ids() == ["roubaix"]
    with pytest.raises(ValidationError, match="every weight is 0"):
        PeerWeights(domain=0, challenges=0, network=0, size=0, geography=0, evidence=0)


def test_peers_explicit_domains_and_bad_inputs() -> None:
    builder = small().builder()
    builder.add_organisation("funder")
    net = builder.build()
    challenges = [NS(id="c1", city_id="nantes", policy_domain="housing")]
    ranking = peers(net, "atlanta", domains=["housing"], challenges=challenges, limit=1)
    assert ranking.ids() == ["nantes"]
    with pytest.raises(UnknownIdError, match="peers: unknown id"):
        peers(net, "gotham")
    with pytest.raises(UnknownIdError, match=r"challenges/initiatives: unknown id\(s\) 'ghost'"):
        peers(net, "atlanta", challenges=[NS(id="x", city_id="ghost", policy_domain="housing")])
    with pytest.raises(NetworkError, match="'funder' is an organisation; expected a city"):
        peers(net, "funder")
    with pytest.raises(UnitError, match="distance_scale"):
        peers(net, "atlanta", distance_scale="3 kg")
    with pytest.raises(ValidationError, match=r"challenges\[0\]: field 'policy_domain' missing"):
        peers(net, "atlanta", challenges=[{"id": "x", "city_id": "nantes"}])
    with pytest.raises(ValidationError, match=r"initiatives\[0\]: evidence_level 7"):
        peers(
            net,
            "atlanta",
            initiatives=[{"city_id": "nantes", "challenge_ids": [], "evidence_level": 7}],
        )
    with pytest.raises(NetworkError, match=r"peers: the relation view \(kinds=partnership"):
        peers(net, "atlanta", kinds="partnership")


def test_brokers_betweenness_and_bridging() -> None:
    net = small()
    top = brokers(net)
    assert [b.node_id for b in top[:2]] == ["syracuse", "lille"]
    syr = top[0]
    assert syr.bridging_groups == 1
    assert syr.foreign_share == pytest.approx(1 / 3)
    assert syr.groups == ("US",)
    assert top[0].betweenness > top[2].betweenness
    assert len(brokers(net, limit=2)) == 2
    with pytest.raises(ValidationError, match="by must be 'country' or 'cohort', got 'city'"):
        brokers(net, by="city")  # type: ignore[arg-type]


def test_brokers_by_cohort_with_an_intermediary() -> None:
    net = CityNetworkBuilder()
    for c in "abcd":
        net.add_city(c)
    net.add_organisation("hub")
    cohorts = [
        NS(id="k1", funder_id="hub", partner_ids=(), announced=date(2014, 1, 1),
           members=[NS(city_id=c, joined=date(2014, 1, 1)) for c in "ab"]),
        NS(id="k2", funder_id="hub", partner_ids=(), announced=date(2016, 1, 1),
           members=[NS(city_id=c, joined=date(2016, 1, 1)) for c in "cd"]),
    ]  # fmt: skip
    for cohort in cohorts:
        net.add_cohort(cohort)
    net = net.build()
    top = brokers(net, by="cohort")[0]
    assert top.node_id == "hub"
    assert top.kind == "organisation"
    assert top.bridging_groups == 2
    assert top.foreign_share == 1.0


def test_communities_are_seeded_and_reproducible() -> None:
    rng = np.random.default_rng(5)
    net = CityNetworkBuilder()
    for i in range(60):
        net.add_city(f"c{i}")
    block = np.arange(60) // 20
    rels = []
    for i in range(60):
        for j in range(i + 1, 60):
            p = 0.4 if block[i] == block[j] else 0.01
            if rng.random() < p:
                rels.append(Relation(kind="exchange", source=f"c{i}", target=f"c{j}"))
    net.add_relations(rels)
    net = net.build()
    first = communities(net, seed=3)
    again = communities(net, seed=3)
    assert first == again
    assert len(first.groups) == 3
    assert sorted(len(g) for g in first.groups) == [20, 20, 20]
    assert first.modularity > 0.4
    members = first.membership()
    assert len({members[f"c{i}"] for i in range(20)}) == 1


def test_reach_and_cross_border() -> None:
    net = small()
    r = reach(net, "atlanta", 2)
    assert r.nodes == {"atlanta": 0, "peoria": 1, "syracuse": 1, "lille": 2}
    assert r.by_step() == (2, 1)
    assert reach(net, "atlanta", 0).size == 0
    with pytest.raises(ValidationError, match="k must be an int >= 0, got -1"):
        reach(net, "atlanta", -1)
    with pytest.raises(UnknownIdError, match="reach: unknown id"):
        reach(net, "gotham", 1)
    ties = cross_border_ties(net)
    assert [(t.source, t.target) for t in ties.ties] == [("syracuse", "lille")]
    assert dict(ties.by_pair) == {("FR", "US"): 1}
    assert ties.share == pytest.approx(1 / 7)


@pytest.mark.parametrize(
    "call",
    [
        lambda n: brokers(n, kinds="adoption"),
        lambda n: communities(n, kinds="adoption"),
        lambda n: reach(n, "atlanta", 2, kinds="adoption"),
        lambda n: cross_border_ties(n, kinds="adoption"),
        lambda n: simulate_spread(n, ["atlanta"], kinds="adoption"),
        lambda n: select_seeds(n, 1, kinds="adoption"),
        lambda n: peers(n, "atlanta", kinds="adoption"),
    ],
)
def test_empty_relation_view_is_refused(call: object) -> None:
    with pytest.raises(
        NetworkError,
        match=r"the relation view \(kinds=adoption; start=open; end=open\) holds no relations",
    ):
        call(small())  # type: ignore[operator]


def test_diffusion_tree_generations_lags() -> None:
    net = CityNetworkBuilder()
    for c in ("nyc", "nola", "memphis", "atlanta", "jc", "lv"):
        net.add_city(c)
    rec = net.record_adoption
    rec("stat", "nola", date(2012, 1, 1), source_id="nyc")  # nyc: a source with no date
    rec("stat", "memphis", date(2013, 1, 1), source_id="nola")
    rec("stat", "atlanta", date(2013, 7, 1), source_id="memphis")
    rec("stat", "jc", date(2014, 1, 1))
    with pytest.raises(NetworkError, match="before 'jc' adopted it on 2014-01-01"):
        rec("stat", "atlanta", date(2013, 7, 1), source_id="jc")
    net = net.build()
    d = diffusion(net, "stat")
    assert d.roots == ("nyc", "jc")
    assert d.unsourced == ("jc",)
    assert d.parent["atlanta"] == "memphis"
    assert d.generations() == (("nyc", "jc"), ("nola",), ("memphis",), ("atlanta",))
    assert d.lag_days["memphis"] == 366
    assert d.lag_days["nola"] is None
    assert d.median_lag_days() == pytest.approx((366 + 181) / 2)
    assert sorted(d.tree().edges) == [("memphis", "atlanta"), ("nola", "memphis"), ("nyc", "nola")]
    with pytest.raises(
        UnknownIdError, match="no adoption of practice 'other' is recorded; known practices: stat"
    ):
        diffusion(net, "other")


def test_diffusion_prefers_the_earliest_source() -> None:
    net = CityNetworkBuilder()
    for c in "abc":
        net.add_city(c)
    net.record_adoption("p", "a", date(2015, 1, 1))
    net.record_adoption("p", "b", date(2014, 1, 1))
    net.record_adoption("p", "c", date(2016, 1, 1), source_id="a")
    net.record_adoption("p", "c", date(2016, 1, 1), source_id="b")
    net = net.build()
    d = diffusion(net, "p")
    assert d.parent["c"] == "b"
    assert d.lag_days["c"] == 730


def star(n_leaves: int) -> CityNetwork:
    net = CityNetworkBuilder()
    net.add_city("hub")
    for i in range(n_leaves):
        net.add_city(f"leaf{i}")
    net.add_relations(
        [Relation(kind="exchange", source="hub", target=f"leaf{i}") for i in range(n_leaves)]
    )
    return net.build()


def test_independent_cascade_matches_theory() -> None:
    # from the hub of a star, every leaf is reached independently with probability p
    s = simulate_spread(star(20), ["hub"], p=0.3, runs=4000, seed=11)
    assert abs(s.mean - (1 + 20 * 0.3)) < 4 * s.stderr
    assert s.activation[0] == 1.0
    assert np.all(np.abs(s.activation[1:] - 0.3) < 0.05)
    # from a leaf: the hub with p, then each other leaf with p**2
    s = simulate_spread(star(20), ["leaf0"], p=0.5, runs=4000, seed=12)
    assert abs(s.mean - (1 + 0.5 + 19 * 0.25)) < 4 * s.stderr


def reference_ic(net: CityNetwork, seeds: list[str], p: float, runs: int, seed: int) -> np.ndarray:
    """A plain loop-over-nodes independent cascade, for comparison."""
    rng = np.random.default_rng(seed)
    g = net.nx
    sizes = []
    for _ in range(runs):
        active = set(seeds)
        frontier = list(seeds)
        while frontier:
            nxt = []
            for u in frontier:
                for v in g.adj[u]:
                    if v not in active and rng.random() < p:
                        active.add(v)
                        nxt.append(v)
            frontier = nxt
        sizes.append(len(active))
    return np.array(sizes, dtype=float)


def test_independent_cascade_agrees_with_a_reference_loop() -> None:
    rng = np.random.default_rng(1)
    net = CityNetworkBuilder()
    for i in range(80):
        net.add_city(f"c{i}")
    pairs = {tuple(sorted(rng.choice(80, 2, replace=False).tolist())) for _ in range(240)}
    net.add_relations([Relation(kind="exchange", source=f"c{a}", target=f"c{b}") for a, b in pairs])
    net = net.build()
    ours = simulate_spread(net, ["c0", "c1"], p=0.2, runs=3000, seed=2)
    ref = reference_ic(net, ["c0", "c1"], 0.2, 3000, 3)
    se = math.sqrt(ours.stderr**2 + ref.std(ddof=1) ** 2 / ref.size)
    assert abs(ours.mean - ref.mean()) < 4 * se


def test_linear_threshold_matches_theory() -> None:
    # path a - c - b seeded at a: c (two neighbours) activates with probability 1/2; b (one
    # neighbour) then always follows. Expected spread 1 + 1/2 + 1/2.
    net = CityNetworkBuilder()
    for c in "acb":
        net.add_city(c)
    net.add_relations([Relation(kind="exchange", source="a", target="c"),
                       Relation(kind="exchange", source="c", target="b")])  # fmt: skip
    net = net.build()
    s = simulate_spread(net, ["a"], model="linear_threshold", runs=4000, seed=4)
    assert abs(s.mean - 2.0) < 4 * s.stderr
    assert abs(s.activation[1] - 0.5) < 0.05


def test_spread_is_reproducible_by_seed_and_validated() -> None:
    net = star(10)
    a = simulate_spread(net, ["hub"], p=0.3, runs=200, seed=7)
    b = simulate_spread(net, ["hub"], p=0.3, runs=200, seed=7)
    c = simulate_spread(net, ["hub"], p=0.3, runs=200, seed=8)
    assert a == b
    assert a != c
    with pytest.raises(ValidationError, match="p: expected a probability in"):
        simulate_spread(net, ["hub"], p=1.5)
    with pytest.raises(ValidationError, match="runs: expected an int >= 1, got 0"):
        simulate_spread(net, ["hub"], runs=0)
    with pytest.raises(ValidationError, match="'sir' is not a spread model"):
        simulate_spread(net, ["hub"], model="sir")  # type: ignore[arg-type]
    with pytest.raises(UnknownIdError, match=r"simulate_spread: seeds: unknown id\(s\) 'nowhere'"):
        simulate_spread(net, ["hub", "nowhere"])


def plain_greedy(net: CityNetwork, k: int, p: float, runs: int, seed: int) -> list[str]:
    """Greedy without laziness: every remaining city, every round, on the same worlds."""
    worlds = SpreadWorlds.sample(net, p=p, runs=runs, seed=seed)
    chosen: list[str] = []
    for _ in range(k):
        best, best_val = "", -1.0
        for c in net.cities():
            if c in chosen:
                continue
            val = worlds.spread([*chosen, c])
            if val > best_val:
                best, best_val = c, val
        chosen.append(best)
    return chosen


def test_celf_equals_plain_greedy() -> None:
    rng = np.random.default_rng(9)
    net = CityNetworkBuilder()
    for i in range(25):
        net.add_city(f"c{i}")
    pairs = {tuple(sorted(rng.choice(25, 2, replace=False).tolist())) for _ in range(40)}
    net.add_relations([Relation(kind="exchange", source=f"c{a}", target=f"c{b}") for a, b in pairs])
    net = net.build()
    chosen = select_seeds(net, 3, p=0.3, runs=100, seed=5)
    assert list(chosen.seeds) == plain_greedy(net, 3, 0.3, 100, 5)
    assert chosen.evaluations < 25 * 3
    worlds = SpreadWorlds.sample(net, p=0.3, runs=100, seed=5)
    assert chosen.spread == pytest.approx(worlds.spread(chosen.seeds))
    # the worlds are independent cascades: their mean agrees with the simulation
    simulated = simulate_spread(net, list(chosen.seeds), p=0.3, runs=4000, seed=5)
    many = SpreadWorlds.sample(net, p=0.3, runs=4000, seed=6).spread(chosen.seeds)
    assert abs(many - simulated.mean) < 4 * simulated.stderr
    assert list(chosen.gains) == sorted(chosen.gains, reverse=True)


def test_select_seeds_bad_inputs() -> None:
    net = star(3)
    with pytest.raises(ValidationError, match=r"k must be an int in \[1, 4\], got 5"):
        select_seeds(net, 5)
    with pytest.raises(UnknownIdError, match="candidates: unknown id"):
        select_seeds(net, 1, candidates=["ghost"])
    assert select_seeds(net, 1, candidates=["leaf0", "hub"], p=1.0, runs=3).seeds == ("hub",)


def test_every_analysis_on_the_bundled_programme() -> None:
    """Each analysis on the bundled programme, with the values the record implies."""
    from civicinnov.datasets import load_iteams

    programme = load_iteams()
    net = programme.network(proximity="300 km")
    assert len(net.cities()) == len(programme.cities) == 33
    city = net.cities()[0]
    assert city == "atlanta"
    ranking = peers(net, city, challenges=programme.challenges, initiatives=programme.initiatives)
    # Atlanta's cohort partners of 2011 come first
    assert ranking.ids()[:3] == ["louisville", "memphis", "new-orleans"]
    top = brokers(net, limit=3)
    assert [b.node_id for b in top] == [
        "bloomberg-center-for-public-innovation",
        "bloomberg-philanthropies",
        "dunkerque",
    ]
    assert top[0].betweenness == pytest.approx(0.3198, abs=5e-5)
    by_cohort = brokers(net, by="cohort", limit=1)[0]
    assert (by_cohort.node_id, by_cohort.bridging_groups) == (
        "bloomberg-center-for-public-innovation",
        4,
    )
    assert len(communities(net).groups) == 5
    assert reach(net, city, 2).size == 33
    ties = cross_border_ties(net)
    assert ties.by_pair[("BE", "FR")] == 1  # Dunkirk and Belgium
    assert ties.by_pair[("CH", "DE")] == 2  # Basel and Freiburg: the tri-city leg and proximity
    assert ties.share == pytest.approx(0.261, abs=5e-4)
    spread = simulate_spread(net, [city], runs=100, seed=1)
    assert spread.mean == pytest.approx(1.77)
    assert select_seeds(net, 2, runs=20).seeds == ("boston", "beer-sheva")


def test_backend_is_passed_through_to_networkx() -> None:
    net = small()
    assert reach(net, "atlanta", 3, backend="networkx") == reach(net, "atlanta", 3)
    assert reach(net, "atlanta", 3, backend="networkx").nodes == reach(net, "atlanta", 3).nodes
    assert brokers(net, backend="networkx") == brokers(net)
    assert communities(net, backend="networkx") == communities(net)
    assert peers(net, "lille", backend="networkx") == peers(net, "lille")


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda net, **kw: reach(net, "atlanta", 3, **kw), "reach"),
        (lambda net, **kw: brokers(net, **kw), "brokers"),
        (lambda net, **kw: communities(net, **kw), "communities"),
        (lambda net, **kw: peers(net, "lille", **kw), "peers"),
    ],
)
def test_a_backend_that_is_not_installed_is_refused_by_name(call: Any, what: str) -> None:
    with pytest.raises(NetworkError) as caught:
        call(small(), backend="no-such-backend")
    message = str(caught.value)
    assert message.startswith(f"{what}: the networkx backend 'no-such-backend' is not installed")
    assert "installed: " in message
    assert isinstance(caught.value.__cause__, ImportError)


def test_a_backend_without_the_algorithm_is_refused_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import networkx as nx

    def not_there(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("`louvain_communities' is not implemented by 'gpu' backend.")

    monkeypatch.setattr(nx.community, "louvain_communities", not_there)
    with pytest.raises(NetworkError) as caught:
        communities(small(), backend="gpu")
    assert str(caught.value).startswith(
        "communities: the networkx backend 'gpu' does not implement "
    )
    assert "config.backend_priority" in str(caught.value)
    with pytest.raises(NotImplementedError):  # no backend named: networkx's own error, untouched
        communities(small())


def test_an_installed_backend_that_does_not_load_is_refused_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import networkx as nx

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ImportError("cannot import name '_rescale_e'")

    monkeypatch.setitem(nx.utils.backends.backends, "gpu", None)
    monkeypatch.setattr(nx, "betweenness_centrality", broken)
    with pytest.raises(NetworkError) as caught:
        brokers(small(), backend="gpu")
    assert str(caught.value) == (
        f"brokers: the networkx backend 'gpu' is installed but does not load with networkx "
        f"{nx.__version__}: cannot import name '_rescale_e'"
    )


def test_peers_notes_are_absent_when_population_and_evidence_are_known() -> None:
    from civicinnov.datasets import load_iteams

    programme = load_iteams()
    rated = [
        attrs.evolve(i, evidence_level=3) if i.city_id == "new-orleans" else i
        for i in programme.initiatives
    ]
    cities = [
        attrs.evolve(c, population="383997 people") if c.id == "detroit" else c
        for c in programme.cities
    ]
    richer = programme.with_records(initiatives=rated, cities=cities)
    ranking = richer.peers("detroit")
    assert ranking.notes == ()
    assert ranking.peers[0].components["evidence"] > 0


def test_peers_take_plain_mappings_as_well_as_records() -> None:
    net = small()
    records: dict[str, list[Any]] = {
        "challenges": [
            NS(id="c1", city_id="syracuse", policy_domain="infrastructure"),
            NS(id="c4", city_id="nantes", policy_domain="infrastructure"),
        ],
        "initiatives": [NS(city_id="nantes", challenge_ids=("c4",), evidence_level=4)],
    }
    plain = {name: [dict(vars(r)) for r in rows] for name, rows in records.items()}
    assert peers(net, "syracuse", **plain) == peers(net, "syracuse", **records)
    assert peers(net, "syracuse", **plain).peers[0].components["evidence"] == pytest.approx(0.8)


def test_network_layer_imports_nothing_from_the_programme_layer() -> None:
    import ast
    import pathlib

    import civicinnov.network as package

    folder = pathlib.Path(package.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(
                    ("civicinnov.programme", "civicinnov.programme", "civicinnov.io")
                ), f"{path.name} imports {node.module}"
                assert not (
                    node.module.startswith("civicinnov.network.")
                    and any(a.name.startswith("_") for a in node.names)
                ), f"{path.name} imports a private name from {node.module}"


# -- backends: what is passed on must reach networkx --------------------------------------------


@pytest.fixture
def recorded_backends(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Wrap the networkx functions the analyses call so each call records its ``backend``."""
    import networkx as nx

    calls: list[tuple[str, object]] = []

    def recording(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, kwargs.get("backend")))
            kwargs.pop("backend", None)
            kwargs.pop("n_jobs", None)
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        nx,
        "single_source_shortest_path_length",
        recording("shortest_paths", nx.single_source_shortest_path_length),
    )
    monkeypatch.setattr(
        nx, "betweenness_centrality", recording("betweenness", nx.betweenness_centrality)
    )
    monkeypatch.setattr(
        nx.community,
        "louvain_communities",
        recording("louvain", nx.community.louvain_communities),
    )
    return calls


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda net: peers(net, "lille", backend="fake", n_jobs=2), "shortest_paths"),
        (lambda net: brokers(net, backend="fake", n_jobs=2), "betweenness"),
        (lambda net: communities(net, backend="fake", n_jobs=2), "louvain"),
        (lambda net: reach(net, "lille", 2, backend="fake", n_jobs=2), "shortest_paths"),
    ],
)
def test_backend_reaches_networkx(
    recorded_backends: list[tuple[str, object]], call: Any, expected: str
) -> None:
    call(small())
    assert (expected, "fake") in recorded_backends


def test_no_backend_is_passed_when_none_is_asked(
    recorded_backends: list[tuple[str, object]],
) -> None:
    net = small()
    peers(net, "lille")
    brokers(net)
    communities(net)
    assert recorded_backends
    assert all(backend is None for _, backend in recorded_backends)


def _nx_parallel() -> Any:
    """nx-parallel, or a skip; a failure where CI installs it (``CIVICINNOV_REQUIRE_NX_PARALLEL=1``)."""
    import os

    import networkx as nx

    try:
        import nx_parallel
    except ImportError as exc:  # not installed, or a release built for another networkx
        why = f"nx-parallel does not load with networkx {nx.__version__}: {exc}"
        if os.environ.get("CIVICINNOV_REQUIRE_NX_PARALLEL") == "1":
            pytest.fail(why)
        pytest.skip(f"{why} (pip install 'civicinnov[parallel]')")
    return nx_parallel


_ON_NETWORKX = [
    (lambda net, **kw: brokers(net, k=8, seed=1, **kw), "betweenness_centrality"),
    (lambda net, **kw: brokers(net, by="cohort", **kw), "betweenness_centrality"),
    (lambda net, **kw: communities(net, seed=2, **kw), "community.louvain_communities"),
    (lambda net, **kw: reach(net, "detroit", 2, **kw), "single_source_shortest_path_length"),
    (lambda net, **kw: peers(net, "detroit", **kw), "single_source_shortest_path_length"),
]


def _same_answers(parallel: Any, serial: Any) -> None:
    if isinstance(serial, tuple):  # brokers: the same ranking; scores equal up to float rounding
        assert [attrs.evolve(b, betweenness=0.0) for b in parallel] == [
            attrs.evolve(b, betweenness=0.0) for b in serial
        ]
        assert [b.betweenness for b in parallel] == pytest.approx(
            [b.betweenness for b in serial], rel=1e-12, abs=1e-15
        )
    else:
        assert parallel == serial


@pytest.mark.parametrize(("call", "uses"), _ON_NETWORKX)
def test_the_parallel_backend_gives_the_same_answers(
    call: Any, uses: str, caplog: pytest.LogCaptureFixture
) -> None:
    import functools
    import logging

    import networkx as nx

    _nx_parallel()
    from civicinnov.datasets import load_iteams

    net = load_iteams().network(proximity="300 km")
    serial = call(net)
    function = functools.reduce(getattr, uses.split("."), nx)
    if "parallel" in function.backends:
        with caplog.at_level(logging.DEBUG, logger="networkx"):
            parallel = call(net, backend="parallel")
        # again: networkx reuses its converted copy of the frozen graph, and its warning that a
        # graph changed by hand makes that copy stale does not apply (warnings are errors here)
        assert call(net, backend="parallel") == parallel
        assert any(
            "parallel" in r.getMessage() and function.name in r.getMessage() for r in caplog.records
        ), "networkx did not dispatch to nx-parallel"
        _same_answers(parallel, serial)
    else:  # named but unable: refused, with the way to let networkx run the rest
        with pytest.raises(NetworkError, match=f"'parallel' does not implement {function.name}"):
            call(net, backend="parallel")


def test_nx_parallel_on_two_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    import networkx as nx

    _nx_parallel()
    from civicinnov.datasets import load_iteams

    net = load_iteams().network(proximity="300 km")
    serial = brokers(net)
    monkeypatch.setattr(nx.config.backends.parallel, "active", True)
    monkeypatch.setattr(nx.config.backends.parallel, "n_jobs", 2)
    _same_answers(brokers(net, backend="parallel"), serial)


@pytest.mark.parametrize(("call", "uses"), _ON_NETWORKX)
def test_backend_priority_runs_on_nx_parallel_where_it_can(
    call: Any, uses: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import logging

    import networkx as nx

    _nx_parallel()
    from civicinnov.datasets import load_iteams

    net = load_iteams().network(proximity="300 km")
    serial = call(net)
    monkeypatch.setattr(nx.config.backend_priority, "algos", ["parallel"])
    with caplog.at_level(logging.DEBUG, logger="networkx"):
        parallel = call(net)
    _same_answers(parallel, serial)
    function = functools.reduce(getattr, uses.split("."), nx)
    used = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("Using backend 'parallel'") and function.name in r.getMessage()
    ]
    assert bool(used) == ("parallel" in function.backends)


# -- Monte Carlo on an executor -------------------------------------------------------------------


def _ring(n: int) -> CityNetwork:
    """A ring with chords: every city tied to the next, and to the one seven further on."""
    b = CityNetworkBuilder()
    for i in range(n):
        b.add_city(f"c{i}")
    b.add_relations(
        [Relation(kind="exchange", source=f"c{i}", target=f"c{(i + 1) % n}") for i in range(n)]
        + [Relation(kind="partnership", source=f"c{i}", target=f"c{(i + 7) % n}") for i in range(n)]
    )
    return b.build()


@pytest.mark.parametrize("model", ["independent_cascade", "linear_threshold"])
def test_spread_on_an_executor_is_identical_to_the_serial_run(model: str) -> None:
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    net = _ring(40)
    runs = 3 * BLOCK_RUNS + 7  # several blocks, the last one short
    serial = simulate_spread(net, ["c0", "c13"], model=model, p=0.3, runs=runs, seed=5)  # type: ignore[arg-type]
    with ThreadPoolExecutor(3) as threads:
        threaded = simulate_spread(
            net,
            ["c0", "c13"],
            model=model,
            p=0.3,
            runs=runs,
            seed=5,
            executor=threads,  # type: ignore[arg-type]
        )
    with ProcessPoolExecutor(2, mp_context=_spawn()) as processes:
        in_processes = simulate_spread(
            net,
            ["c0", "c13"],
            model=model,
            p=0.3,
            runs=runs,
            seed=5,
            executor=processes,  # type: ignore[arg-type]
        )
    assert threaded == serial
    assert in_processes == serial
    assert np.array_equal(in_processes.activation, serial.activation)
    other = simulate_spread(net, ["c0", "c13"], model=model, p=0.3, runs=runs, seed=6)  # type: ignore[arg-type]
    assert not np.array_equal(other.sizes, serial.sizes)


def test_seed_selection_on_an_executor_is_identical() -> None:
    from concurrent.futures import ThreadPoolExecutor

    net = _ring(30)
    serial = select_seeds(net, 3, p=0.2, runs=60, seed=3)
    with ThreadPoolExecutor(2) as pool:
        assert select_seeds(net, 3, p=0.2, runs=60, seed=3, executor=pool) == serial
    assert serial.evaluations < serial.greedy_evaluations == 30 + 29 + 28


def _spawn() -> Any:
    import multiprocessing

    return multiprocessing.get_context("spawn")


def test_workers_is_a_process_pool_with_the_serial_result() -> None:
    net = _ring(30)
    runs = 2 * BLOCK_RUNS + 3
    serial = simulate_spread(net, ["c0"], p=0.3, runs=runs, seed=2)
    assert simulate_spread(net, ["c0"], p=0.3, runs=runs, seed=2, workers=2) == serial
    from concurrent.futures import ThreadPoolExecutor

    with (
        ThreadPoolExecutor(1) as pool,
        pytest.raises(ValidationError, match="give executor= or workers=, not both"),
    ):
        simulate_spread(net, ["c0"], runs=10, executor=pool, workers=2)
    with pytest.raises(ValidationError, match="workers: expected a whole number of at least 1"):
        simulate_spread(net, ["c0"], runs=10, workers=0)
