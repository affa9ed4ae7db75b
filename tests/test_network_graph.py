"""CityNetwork: building, relations, views, proximity links and every bad input the issue names."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import pytest

from civicinnov.errors import (
    IdentifierError,
    NetworkError,
    UnitError,
    UnknownIdError,
    ValidationError,
)
from civicinnov.model import City, Cohort, CohortMember, Location, Partner, PartnerKind
from civicinnov.network import (
    Adoption,
    CityNetwork,
    CityNetworkBuilder,
    Relation,
    RelationKind,
    haversine_km,
    proximity_pairs,
)
from civicinnov.units import as_quantity


def programme() -> CityNetwork:
    cities = [
        City(
            id="atlanta",
            name="Atlanta",
            country="US",
            population=498_000,
            location=Location(lat=33.749, lon=-84.388),
        ),
        City(
            id="peoria",
            name="Peoria",
            country="US",
            population=113_000,
            location=Location(lat=40.694, lon=-89.589),
        ),
        City(
            id="syracuse",
            name="Syracuse",
            country="US",
            population=as_quantity(148, "kiloperson"),
            location=Location(lat=43.049, lon=-76.147),
        ),
        City(id="lille", name="Lille", country="FR", location=Location(lat=50.63, lon=3.06)),
        City(id="roubaix", name="Roubaix", country="FR", location=Location(lat=50.69, lon=3.18)),
    ]
    partners = [
        Partner(id="bloomberg", name="Bloomberg Philanthropies", kinds={PartnerKind.FUNDER}),
        Partner(
            id="la-27e-region",
            name="La 27e Region",
            kinds={PartnerKind.NATIONAL_PARTNER},
            country="FR",
        ),
    ]
    cohorts = [
        Cohort(
            id="us-2014",
            name="US 2014",
            funder_id="bloomberg",
            announced=date(2014, 6, 1),
            members=[
                CohortMember(city_id="atlanta", joined=date(2014, 6, 1)),
                CohortMember(city_id="peoria", joined=date(2014, 6, 1)),
                CohortMember(city_id="syracuse", joined=date(2015, 1, 15)),
            ],
        ),
        Cohort(
            id="fr-2017",
            name="France 2017",
            funder_id="bloomberg",
            partner_ids=("la-27e-region",),
            announced=date(2017, 1, 1),
            members=[
                CohortMember(city_id="lille", joined=date(2017, 1, 1)),
                CohortMember(city_id="roubaix", joined=date(2017, 1, 1)),
            ],
        ),
    ]
    relations = [
        Relation(kind="exchange", source="syracuse", target="atlanta", on=date(2016, 3, 1)),
        Relation(kind="partnership", source="syracuse", target="lille", on=date(2018, 5, 1)),
    ]
    adoptions = [
        Adoption(
            practice_id="pothole-map", city_id="peoria", on=date(2016, 9, 1), source_id="syracuse"
        ),
        Adoption(practice_id="pothole-map", city_id="syracuse", on=date(2015, 9, 1)),
    ]
    return CityNetwork.from_records(
        cities=cities,
        cohorts=cohorts,
        partners=partners,
        relations=relations,
        adoptions=adoptions,
        proximity="50 km",
    )


def test_from_records_builds_every_relation_kind() -> None:
    net = programme()
    counts: dict[str, int] = {}
    for r in net.relations():
        counts[r.kind.value] = counts.get(r.kind.value, 0) + 1
    assert counts == {
        "cohort_peer": 4,  # 3 pairs in us-2014 + 1 in fr-2017
        "intermediary": 7,  # bloomberg x 5 members + la-27e-region x 2
        "exchange": 1,
        "partnership": 1,
        "adoption": 1,
        "proximity": 1,  # lille - roubaix
    }
    assert net.cities() == ["atlanta", "peoria", "syracuse", "lille", "roubaix"]
    assert net.organisations() == ["bloomberg", "la-27e-region"]
    assert net.node("syracuse")["population"] == 148_000.0
    assert net.node("syracuse")["cohorts"] == "us-2014"
    assert net.node("la-27e-region")["partner_kinds"] == "national_partner"
    peer = net.relations(kinds="cohort_peer", node="syracuse")[0]
    assert peer.on == date(2015, 1, 15)  # the later join date
    assert peer.via == "us-2014"
    (adoption,) = net.relations(kinds=RelationKind.ADOPTION)
    assert (adoption.source, adoption.target) == ("syracuse", "peoria")
    assert net.adopted_on("pothole-map") == {
        "peoria": date(2016, 9, 1),
        "syracuse": date(2015, 9, 1),
    }
    assert net.graph_attributes()["distance_unit"] == "kilometer"
    assert isinstance(net.nx, nx.MultiGraph)


def test_attributes_are_json_scalars() -> None:
    net = programme()
    scalars = (str, int, float, bool)
    for _, data in net.nx.nodes(data=True):
        assert all(isinstance(v, scalars) for v in data.values())
    for _, _, data in net.nx.edges(data=True):
        assert all(isinstance(v, scalars) for v in data.values())
    assert all(isinstance(v, scalars) for v in net.nx.graph.values())


def test_unknown_city_in_cohort_names_the_ids() -> None:
    net = CityNetworkBuilder()
    net.add_city("a")
    cohort = Cohort(
        id="k",
        name="K",
        funder_id="f",
        announced=date(2014, 1, 1),
        members=[
            CohortMember(city_id="a", joined=date(2014, 1, 1)),
            CohortMember(city_id="ghost", joined=date(2014, 1, 1)),
            CohortMember(city_id="phantom", joined=date(2014, 1, 1)),
        ],
    )
    with pytest.raises(
        UnknownIdError, match=r"cohort 'k' members: unknown id\(s\) 'ghost', 'phantom'"
    ):
        net.add_cohort(cohort, intermediaries=False)


def test_unknown_funder_when_partners_given() -> None:
    cities = [City(id="a", name="A", country="US")]
    cohort = Cohort(
        id="k",
        name="K",
        funder_id="nobody",
        announced=date(2014, 1, 1),
        members=[CohortMember(city_id="a", joined=date(2014, 1, 1))],
    )
    with pytest.raises(UnknownIdError, match=r"funder/partner id.*'nobody'"):
        CityNetwork.from_records(cities=cities, cohorts=[cohort], partners=[])
    # without partners, organisations are not modelled and the funder is not needed
    net = CityNetwork.from_records(cities=cities, cohorts=[cohort])
    assert net.organisations() == []


def test_unknown_ids_in_relation() -> None:
    net = CityNetworkBuilder()
    net.add_city("a")
    with pytest.raises(UnknownIdError, match=r"unknown id\(s\) 'x', 'y'"):
        net.add_relation(Relation(kind="exchange", source="x", target="y"))
    with pytest.raises(UnknownIdError, match="'nowhere'"):
        net.record_adoption("p", "nowhere", date(2020, 1, 1))
    with pytest.raises(UnknownIdError, match="'zz'"):
        net.node("zz")


@pytest.mark.parametrize("kind", list(RelationKind))
def test_self_loops_are_refused_for_every_kind(kind: RelationKind) -> None:
    with pytest.raises(NetworkError, match=f"{kind.value} relation from 'a' to itself"):
        Relation(kind=kind, source="a", target="a", practice_id="p", on=date(2020, 1, 1))


def test_adoption_before_source_adopted() -> None:
    net = CityNetworkBuilder()
    for c in ("a", "b", "c"):
        net.add_city(c)
    net.record_adoption("p", "a", date(2015, 1, 1))
    with pytest.raises(
        NetworkError,
        match="'b' adopted it from 'a' on 2014-01-01, before 'a' adopted it on 2015-01-01",
    ):
        net.record_adoption("p", "b", date(2014, 1, 1), source_id="a")
    # a downstream adoption that would predate the new adopter's own adoption
    net.record_adoption("p", "b", date(2016, 1, 1), source_id="a")
    net2 = CityNetworkBuilder()
    for c in ("a", "b", "c"):
        net2.add_city(c)
    net2.record_adoption("p", "c", date(2014, 1, 1), source_id="b")
    with pytest.raises(NetworkError, match="'c' adopted it from 'b' on 2014-01-01, before 'b'"):
        net2.record_adoption("p", "b", date(2015, 1, 1))


def test_adoption_conflicting_dates_and_cycles() -> None:
    net = CityNetworkBuilder()
    for c in ("a", "b", "c"):
        net.add_city(c)
    net.record_adoption("p", "a", date(2015, 1, 1))
    with pytest.raises(NetworkError, match="'a' is recorded as adopting on 2015-01-01"):
        net.record_adoption("p", "a", date(2016, 1, 1))
    net.record_adoption("p", "b", date(2015, 1, 1), source_id="a")
    net.record_adoption("p", "c", date(2015, 1, 1), source_id="b")
    with pytest.raises(
        NetworkError,
        match=r"'c' already learned it \(directly or not\) from 'a'; an adoption from 'c' to 'a' would",
    ):
        net.record_adoption("p", "a", date(2015, 1, 1), source_id="c")


def test_relation_field_validation() -> None:
    with pytest.raises(ValidationError, match="practice_id and on are required"):
        Relation(kind="adoption", source="a", target="b")
    with pytest.raises(ValidationError, match="until 2019-01-01 is before on 2020-01-01"):
        Relation(
            kind="partnership", source="a", target="b", on=date(2020, 1, 1), until=date(2019, 1, 1)
        )
    with pytest.raises(ValidationError, match="weight must be a positive finite number, got -1"):
        Relation(kind="exchange", source="a", target="b", weight=-1)
    with pytest.raises(ValidationError, match="'friendship' is not a relation kind"):
        Relation(kind="friendship", source="a", target="b")
    with pytest.raises(IdentifierError, match="source: 'New York' is not an id"):
        Relation(kind="exchange", source="New York", target="b")


def test_wrong_node_kinds_for_a_relation() -> None:
    net = CityNetworkBuilder()
    net.add_city("a")
    net.add_city("b")
    net.add_organisation("org")
    with pytest.raises(
        NetworkError, match="cohort_peer relation: 'org' are organisations; expected cities"
    ):
        net.add_relation(Relation(kind="cohort_peer", source="a", target="org"))
    with pytest.raises(
        NetworkError, match="expected an organisation linking a city, got city -> city"
    ):
        net.add_relation(Relation(kind="intermediary", source="a", target="b"))
    net.add_relation(Relation(kind="partnership", source="org", target="a"))


def test_duplicates_are_refused() -> None:
    net = CityNetworkBuilder()
    net.add_city("a")
    net.add_city("b")
    with pytest.raises(NetworkError, match="node 'a' is already in the network"):
        net.add_city("a")
    net.add_relation(Relation(kind="exchange", source="a", target="b"))
    with pytest.raises(NetworkError, match="relation 'exchange:-' between 'b' and 'a' is already"):
        net.add_relation(Relation(kind="exchange", source="b", target="a"))
    net.add_relation(Relation(kind="exchange", source="b", target="a", id="second-visit"))
    assert net.build().number_of_relations() == 2


def test_coordinates_out_of_range() -> None:
    net = CityNetworkBuilder()
    with pytest.raises(ValidationError, match=r"nowhere \(0.0, 200.0\)"):
        net.add_city("nowhere", lat=0.0, lon=200.0)
    with pytest.raises(ValidationError, match="give both lat and lon"):
        net.add_city("half", lat=1.0)
    with pytest.raises(ValidationError, match=r"2 point\(s\): #1 \(91.0, 0.0\), #2 \(nan, 0.0\)"):
        proximity_pairs([0.0, 91.0, float("nan")], [0.0, 0.0, 0.0], 10.0)


def test_distance_without_a_length_unit() -> None:
    net = CityNetworkBuilder()
    net.add_city("a", lat=0.0, lon=0.0)
    with pytest.raises(UnitError, match="within: 100 has no unit"):
        net.add_proximity(100)  # type: ignore[arg-type]
    with pytest.raises(UnitError, match=r"within: expected dimension \[length\], got \[mass\]"):
        net.add_proximity("100 kg")
    with pytest.raises(UnitError, match="population"):
        net.add_city("b", population=as_quantity(3, "km"))


def test_proximity_links_replace_and_carry_distance() -> None:
    net = CityNetworkBuilder()
    net.add_city("a", lat=0.0, lon=0.0)
    net.add_city("b", lat=0.0, lon=0.5)
    net.add_city("c", lat=0.0, lon=1.5)
    net.add_city("d")  # no coordinates: never linked
    assert net.add_proximity(as_quantity(60, "mile")) == 1
    (link,) = net.build().relations(kinds="proximity")
    assert link.distance_km == pytest.approx(55.6, abs=0.1)
    assert net.add_proximity("200 km") == 3
    assert len(net.build().relations(kinds="proximity")) == 3


def test_proximity_pairs_match_all_pairs_haversine() -> None:
    rng = np.random.default_rng(3)
    # clustered points, some across the antimeridian and near a pole
    lat = np.concatenate(
        [rng.normal(50, 1, 300), rng.uniform(-90, 90, 100), rng.normal(89.5, 0.3, 50)]
    )
    lon = np.concatenate(
        [rng.normal(3, 1, 300), rng.uniform(-180, 180, 100), rng.uniform(-180, 180, 50)]
    )
    lat = np.clip(lat, -90, 90)
    lon = np.concatenate([lon[:350], np.where(lon[350:] > 0, 179.9, -179.9)])
    for within in (0.0, 25.0, 100.0, 1000.0):
        i, j, d = proximity_pairs(lat, lon, within)
        ii, jj = np.triu_indices(lat.size, k=1)
        dd = haversine_km(lat[ii], lon[ii], lat[jj], lon[jj])
        keep = dd <= within
        assert np.array_equal(i, ii[keep])
        assert np.array_equal(j, jj[keep])
        assert np.array_equal(d, dd[keep])


def test_proximity_pairs_exact_on_the_boundary() -> None:
    lat = np.zeros(3)
    lon = np.array([0.0, 1.0, 2.0])
    d01 = float(haversine_km(0.0, 0.0, 0.0, 1.0))
    i, j, _ = proximity_pairs(lat, lon, d01)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 2)]
    i, _, _ = proximity_pairs(lat, lon, np.nextafter(d01, 0))
    assert i.size == 0


def test_views_by_kind_and_date() -> None:
    net = programme()
    exchange = net.view(kinds=["exchange"])
    assert exchange.number_of_relations() == 1
    assert len(exchange) == len(net)
    # before 2017: us-2014 peers, their intermediary links, the 2016 exchange and the adoption, and
    # proximity (undated)
    early = net.view(end=date(2016, 12, 31))
    kinds = sorted({r.kind.value for r in early.relations()})
    assert kinds == ["adoption", "cohort_peer", "exchange", "intermediary", "proximity"]
    assert not early.relations(kinds="partnership")
    # exchanges are events: a view starting after the visit drops it; a partnership holds on
    late = net.view(start=date(2019, 1, 1), include_undated=False)
    assert {r.kind.value for r in late.relations()} == {
        "cohort_peer",
        "intermediary",
        "partnership",
    }
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        exchange.nx.add_node("new")
    writable = exchange.builder()
    writable.add_city("new")
    assert "new" in writable
    assert "new" in writable.build()
    assert "new" not in exchange
    assert "new" not in net
    with pytest.raises(ValidationError, match="end 2010-01-01 is before start 2011-01-01"):
        net.view(start=date(2011, 1, 1), end=date(2010, 1, 1))


def test_remove_and_query_relations() -> None:
    built = programme()
    assert sorted(built.neighbours("lille")) == [
        "bloomberg",
        "la-27e-region",
        "roubaix",
        "syracuse",
    ]
    assert built.neighbours("lille", kinds="partnership") == ["syracuse"]
    net = built.builder()
    key = net.add_relation(Relation(kind="exchange", source="lille", target="roubaix", id="visit"))
    net.remove_relation("roubaix", "lille", key)
    with pytest.raises(
        UnknownIdError, match="no relation 'exchange:visit' between 'lille' and 'roubaix'"
    ):
        net.remove_relation("lille", "roubaix", key)
    assert net.remove_relations(kinds="intermediary") == 7
    assert net.remove_relations(practice_id="pothole-map") == 1
    # the adoption date stays: peoria now adopted without a recorded source
    after = net.build()
    assert after.adopted_on("pothole-map")["peoria"] == date(2016, 9, 1)
    assert after.practices() == ["pothole-map"]
    # the network the builder started from is unchanged
    assert built.number_of_relations() == after.number_of_relations() + 8


def test_relabel_keeps_directions_and_order() -> None:
    net = programme()
    renamed = net.relabel(lambda n: "x-" + n)
    (adoption,) = renamed.relations(kinds="adoption")
    assert (adoption.source, adoption.target) == ("x-syracuse", "x-peoria")
    assert renamed.nodes() == ["x-" + n for n in net.nodes()]
    assert renamed.relabel(lambda n: n[2:]) == net
    with pytest.raises(NetworkError, match="two nodes would share one id"):
        net.relabel(lambda n: "same")


def test_from_nx_checks_conventions() -> None:
    g: nx.MultiGraph[str] = nx.MultiGraph()
    g.add_node("a", kind="planet")
    with pytest.raises(
        NetworkError, match="node 'a': kind 'planet'; expected 'city', 'organisation' or 'country'"
    ):
        CityNetwork.from_nx(g)
    g = nx.MultiGraph()
    g.add_node("a", kind="city")
    g.add_node("b", kind="city")
    g.add_edge("a", "b", weight=1.0)
    with pytest.raises(
        NetworkError, match=r"edge 'a' - 'b': attribute\(s\) 'kind', 'source', 'target' missing"
    ):
        CityNetwork.from_nx(g)
    plain = nx.Graph()
    plain.add_node("a", kind="city")
    plain.add_node("b", kind="city")
    plain.add_edge("a", "b", kind="exchange", source="a", target="b")
    net = CityNetwork.from_nx(plain)
    assert net.relations()[0].key == "exchange:-"


def test_adoption_graph_is_directed() -> None:
    net = programme()
    dg = net.adoption_graph("pothole-map")
    assert list(dg.edges) == [("syracuse", "peoria")]
    assert dg.nodes["syracuse"]["on"] == "2015-09-01"


def test_a_built_network_is_frozen_and_its_caches_never_go_stale() -> None:
    """The old bug: mutating ``net.nx`` after an analysis ran gave answers from a stale matrix."""
    from civicinnov.network import reach, simulate_spread

    b = CityNetworkBuilder()
    for c in "abc":
        b.add_city(c)
    b.add_relation(Relation(kind="exchange", source="a", target="b"))
    net = b.build()
    assert simulate_spread(net, ["a"], p=1.0, runs=3).mean == 2.0  # caches built here
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        net.nx.add_edge("b", "c", key="exchange:-", kind="exchange", source="b", target="c")
    with pytest.raises(nx.NetworkXError, match="Frozen graph"):
        net.nx.remove_node("b")
    # the only way to a changed network is a new one, whose caches are its own
    b.add_relation(Relation(kind="exchange", source="b", target="c"))
    bigger = b.build()
    assert reach(bigger, "a", 5).size == 2
    assert simulate_spread(bigger, ["a"], p=1.0, runs=3).mean == 3.0
    # and the first network still answers for itself, consistently
    assert reach(net, "a", 5).size == 1
    assert simulate_spread(net, ["a"], p=1.0, runs=3).mean == 2.0
    assert net.number_of_relations() == 1


def test_arrays_are_computed_once_and_read_only() -> None:
    net = programme()
    assert net.node_arrays() is net.node_arrays()
    assert net.adjacency() is net.adjacency()
    assert net.tie_pairs() is net.tie_pairs()
    with pytest.raises(ValueError, match="read-only"):
        net.node_arrays().lat[0] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        net.adjacency().data[0] = 5.0
    i, j = net.tie_pairs()
    assert (i < j).all()
    assert i.size == len({frozenset(e) for e in net.nx.edges()})


def test_builder_changes_after_build_do_not_reach_the_network() -> None:
    b = CityNetworkBuilder()
    b.add_city("a")
    b.add_city("b")
    first = b.build()
    b.add_relation(Relation(kind="exchange", source="a", target="b"))
    b.record_adoption("p", "a", date(2020, 1, 1))
    second = b.build()
    assert first.number_of_relations() == 0
    assert first.practices() == []
    assert second.number_of_relations() == 1
    assert second.practices() == ["p"]


def test_bulk_relations_check_everything_before_adding() -> None:
    b = CityNetworkBuilder()
    for c in "ab":
        b.add_city(c)
    b.add_organisation("org")
    good = Relation(kind="exchange", source="a", target="b")
    with pytest.raises(UnknownIdError, match=r"unknown id\(s\) 'zz'"):
        b.add_relations([good, Relation(kind="exchange", source="a", target="zz")])
    with pytest.raises(NetworkError, match="'org' are organisations"):
        b.add_relations([good, Relation(kind="proximity", source="a", target="org")])
    with pytest.raises(NetworkError, match="expected an organisation linking a city"):
        b.add_relations([good, Relation(kind="intermediary", source="a", target="org")])
    with pytest.raises(NetworkError, match="already in the network"):
        b.add_relations([good, Relation(kind="exchange", source="b", target="a")])
    assert b.build().number_of_relations() == 0  # nothing was added by the failed batches
    assert b.add_relations([good]) == ["exchange:-"]
    with pytest.raises(NetworkError, match="already in the network"):
        b.add_relations([Relation(kind="exchange", source="b", target="a")])
    bulk = b.build()
    one_by_one = CityNetworkBuilder()
    for c in "ab":
        one_by_one.add_city(c)
    one_by_one.add_organisation("org")
    one_by_one.add_relation(good)
    assert bulk == one_by_one.build()


def test_from_nx_refuses_what_a_file_could_smuggle_in() -> None:
    g: nx.MultiGraph[str] = nx.MultiGraph()
    g.add_node("a", kind="city", tags=["x"])
    with pytest.raises(NetworkError, match="node 'a': attribute 'tags' is list"):
        CityNetwork.from_nx(g)
    g = nx.MultiGraph()
    g.add_node("a", kind="city", lat=float("nan"), lon=0.0)
    with pytest.raises(NetworkError, match="expected a finite number"):
        CityNetwork.from_nx(g)
    g = nx.MultiGraph()
    g.add_node("a", kind="city", lat="north", lon=0.0)
    with pytest.raises(NetworkError, match="attribute 'lat' is str 'north'; expected a number"):
        CityNetwork.from_nx(g)
    g = nx.MultiGraph()
    g.add_node("a", kind="city")
    g.add_node("b", kind="city")
    g.add_edge("a", "b", kind="exchange", source="a", target="b", weight=[1])
    with pytest.raises(NetworkError, match="attribute 'weight' is list"):
        CityNetwork.from_nx(g)
    g = nx.MultiGraph()
    g.add_node("a", kind="city")
    g.nodes["a"]["node_for_adding"] = "x"  # an attribute named like a networkx parameter
    assert CityNetwork.from_nx(g).node("a")["node_for_adding"] == "x"
