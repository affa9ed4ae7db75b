"""The structure of the city network: brokers, communities, reach and cross-border ties.

* :func:`brokers`: which cities or organisations hold the network together (betweenness, and
  bridging across countries or cohorts).
* :func:`communities`: seeded, reproducible Louvain communities.
* :func:`reach`: who is within ``k`` steps of a city.
* :func:`cross_border_ties`: relations between cities or organisations of different countries.

Every analysis accepts ``kinds`` (restrict to some relation kinds, through
:meth:`~civicinnov.network.CityNetwork.view`) and refuses a view without relations with a
:class:`~civicinnov.errors.NetworkError`. Those built on networkx algorithms pass ``backend=`` and
``**backend_kwargs`` to them, so a networkx backend (nx-parallel on many cores, nx-cugraph on a GPU)
can take over at scale. Rankings are invariant under renaming nodes: ties are broken by the order
nodes were added, never by their ids.

Example:
    >>> from civicinnov.network import CityNetworkBuilder, Relation
    >>> b = CityNetworkBuilder()
    >>> for c in ("a", "b", "c", "d"):
    ...     b.add_city(c, country="US" if c < "c" else "FR")
    >>> _ = b.add_relations([Relation(kind="exchange", source=s, target=t)
    ...                      for s, t in [("a", "b"), ("b", "c"), ("c", "d")]])
    >>> net = b.build()
    >>> net = b.build()
    >>> [x.node_id for x in brokers(net)[:2]]
    ['b', 'c']
    >>> reach(net, "a", 2).nodes
    {'a': 0, 'b': 1, 'c': 2}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import networkx as nx
import numpy as np

from civicinnov.errors import ValidationError
from civicinnov.network._common import Kinds, call_networkx, restricted
from civicinnov.network._graph import CityNetwork, Relation, RelationKind

__all__ = [
    "Broker",
    "Communities",
    "CrossBorderTies",
    "Reach",
    "brokers",
    "communities",
    "cross_border_ties",
    "reach",
]


@attrs.frozen(kw_only=True)
class Broker:
    """A node's brokerage: betweenness and how many other groups its ties reach.

    ``bridging_groups`` counts the distinct groups (countries or cohorts) among its neighbours that
    it does not belong to; ``foreign_share`` is the share of its neighbours (of known group) that
    share no group with it.

    Example:
        >>> Broker(node_id="b", kind="city", rank=1, betweenness=0.5, bridging_groups=1,
        ...        foreign_share=0.5, groups=("US",)).bridging_groups
        1
    """

    node_id: str
    kind: str
    rank: int
    betweenness: float
    bridging_groups: int
    foreign_share: float
    groups: tuple[str, ...]


def _groups(data: Mapping[str, Any], by: str) -> frozenset[str]:
    if by == "country":
        country = data.get("country")
        return frozenset([country]) if country else frozenset()
    return frozenset(str(data.get("cohorts", "")).split())


def brokers(
    network: CityNetwork,
    *,
    by: Literal["country", "cohort"] = "country",
    kinds: Kinds = None,
    k: int | None = None,
    seed: int = 0,
    limit: int | None = None,
    backend: str | None = None,
    **backend_kwargs: Any,
) -> tuple[Broker, ...]:
    """Rank nodes by how much they hold the network together.

    Betweenness centrality (Brandes 2001, *J. Math. Sociol.* 25:163; normalised) comes from
    :func:`networkx.betweenness_centrality` (``k`` samples with ``seed`` for large networks;
    ``backend``/``backend_kwargs`` are passed on); bridging counts the countries or cohorts (``by``)
    a node's ties reach beyond its own (see :class:`Broker`). Ranked by betweenness, then bridging
    groups, then insertion order.

    Parameters:
        network: The city network.
        by: The groups a bridging tie crosses: ``"country"`` (the default) or ``"cohort"``.
        kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.
        k: The number of sampled source nodes for betweenness; every node when ``None``.
        seed: The seed of that sampling (only used with ``k``).
        limit: The number of brokers to return at most; all when ``None``.
        backend: The networkx backend to run on (``"parallel"``, ...); networkx's default when
            ``None``.
        **backend_kwargs: Further options for that backend, passed on to networkx.

    Returns:
        Every node as a :class:`Broker`, best first, ranked from 1.

    Raises:
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``by`` is neither ``"country"`` nor ``"cohort"``, or a kind in ``kinds`` is
            not a relation kind.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> b.add_city("a", country="US"); b.add_city("b", country="FR")
        >>> b.add_organisation("hub")
        >>> _ = b.add_relations([Relation(kind="intermediary", source="hub", target=c) for c in "ab"])
        >>> net = b.build()
        >>> top = brokers(net)[0]
        >>> top.node_id, top.betweenness, top.bridging_groups
        ('hub', 1.0, 2)
    """
    if by not in ("country", "cohort"):
        raise ValidationError(f"brokers: by must be 'country' or 'cohort', got {by!r}")
    net = restricted(network, kinds, "brokers")
    g = net.nx
    bc: dict[str, float] = call_networkx(
        "brokers",
        nx.betweenness_centrality,
        g,
        k=k,
        normalized=True,
        seed=seed,
        backend=backend,
        backend_kwargs=backend_kwargs,
    )
    position = net.node_arrays().index
    rows = []
    for node, data in g.nodes(data=True):
        own = _groups(data, by)
        foreign: set[str] = set()
        known = outside = 0
        for other in g.adj[node]:
            theirs = _groups(g.nodes[other], by)
            if not theirs:
                continue
            known += 1
            if not (theirs & own):
                outside += 1
            foreign.update(theirs - own)
        rows.append(
            (
                -round(float(bc[node]), 12),  # ranks ignore float noise from edge order
                -len(foreign),
                position[node],
                node,
                data["kind"],
                len(foreign),
                outside / known if known else 0.0,
                tuple(sorted(own)),
            )
        )
    rows.sort()
    if limit is not None:
        rows = rows[:limit]
    return tuple(
        Broker(
            node_id=r[3],
            kind=r[4],
            rank=i,
            betweenness=float(bc[r[3]]),
            bridging_groups=r[5],
            foreign_share=r[6],
            groups=r[7],
        )
        for i, r in enumerate(rows, start=1)
    )


@attrs.frozen(kw_only=True)
class Communities:
    """Communities found by :func:`communities`: groups of node ids, and the partition's modularity.

    Groups are ordered largest first (ties: the group whose first member was added earliest), and
    members in insertion order.

    Example:
        >>> c = Communities(groups=(("a", "b"), ("c",)), modularity=0.1, seed=0, resolution=1.0)
        >>> c.membership()
        {'a': 0, 'b': 0, 'c': 1}
    """

    groups: tuple[tuple[str, ...], ...]
    modularity: float
    seed: int
    resolution: float

    def membership(self) -> dict[str, int]:
        """Node id to the index of its group.

        Example:
            >>> Communities(groups=(("x",),), modularity=0.0, seed=0, resolution=1.0).membership()
            {'x': 0}
        """
        return {n: i for i, grp in enumerate(self.groups) for n in grp}


def communities(
    network: CityNetwork,
    *,
    kinds: Kinds = None,
    seed: int = 0,
    resolution: float = 1.0,
    backend: str | None = None,
    **backend_kwargs: Any,
) -> Communities:
    """Louvain communities (Blondel et al. 2008, *J. Stat. Mech.* P10008), reproducible by ``seed``.

    Calls :func:`networkx.community.louvain_communities` (parallel relations add their weights) with
    ``backend``/``backend_kwargs``, and :func:`networkx.community.modularity`. The same network and
    seed always give the same groups.

    Parameters:
        network: The city network.
        kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.
        seed: The seed of the Louvain method; the same seed gives the same groups.
        resolution: The Louvain resolution: above 1 favours smaller communities, below 1 larger.
        backend: The networkx backend to run on (``"parallel"``, ...); networkx's default when
            ``None``.
        **backend_kwargs: Further options for that backend, passed on to networkx.

    Returns:
        The groups, largest first, with the partition's modularity, seed and resolution.

    Raises:
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: A kind in ``kinds`` is not a relation kind.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for c in "abcdef":
        ...     b.add_city(c)
        >>> pairs = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
        >>> _ = b.add_relations([Relation(kind="exchange", source=s, target=t) for s, t in pairs])
        >>> net = b.build()
        >>> communities(net, seed=1).groups
        (('a', 'b', 'c'), ('d', 'e', 'f'))
    """
    net = restricted(network, kinds, "communities")
    g = net.nx
    found = call_networkx(
        "communities",
        nx.community.louvain_communities,
        g,
        weight="weight",
        resolution=resolution,
        seed=seed,
        backend=backend,
        backend_kwargs=backend_kwargs,
    )
    position = net.node_arrays().index
    groups = [sorted(grp, key=position.__getitem__) for grp in found]
    groups.sort(key=lambda grp: (-len(grp), position[grp[0]]))
    q = nx.community.modularity(g, [set(grp) for grp in groups], weight="weight")
    return Communities(
        groups=tuple(tuple(grp) for grp in groups),
        modularity=float(q),
        seed=seed,
        resolution=float(resolution),
    )


@attrs.frozen(kw_only=True)
class Reach:
    """Who is within ``k`` steps of a city: node id to its number of steps (the city itself at 0).

    Example:
        >>> r = Reach(city_id="a", k=1, nodes={"a": 0, "b": 1})
        >>> r.size, r.by_step()
        (1, (1,))
    """

    city_id: str
    k: int
    nodes: Mapping[str, int] = attrs.field(eq=False, hash=False)

    @property
    def size(self) -> int:
        """How many other nodes are within reach.

        Example:
            >>> Reach(city_id="a", k=2, nodes={"a": 0}).size
            0
        """
        return len(self.nodes) - 1

    def by_step(self) -> tuple[int, ...]:
        """How many nodes are exactly 1, 2, ..., k steps away.

        Example:
            >>> Reach(city_id="a", k=2, nodes={"a": 0, "b": 1, "c": 2, "d": 2}).by_step()
            (1, 2)
        """
        counts = np.bincount(
            np.fromiter(self.nodes.values(), np.int64, len(self.nodes)), minlength=self.k + 1
        )
        return tuple(int(c) for c in counts[1 : self.k + 1])


def reach(
    network: CityNetwork,
    city_id: str,
    k: int,
    *,
    kinds: Kinds = None,
    backend: str | None = None,
    **backend_kwargs: Any,
) -> Reach:
    """The nodes within ``k`` steps of ``city_id`` (every relation is a two-way tie).

    Uses :func:`networkx.single_source_shortest_path_length` with ``cutoff=k``; ``backend`` and
    ``backend_kwargs`` are passed on. The set only grows with ``k``.

    Parameters:
        network: The city network.
        city_id: The node to start from.
        k: The largest number of steps, an int >= 0.
        kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.
        backend: The networkx backend to run on (``"parallel"``, ...); networkx's default when
            ``None``.
        **backend_kwargs: Further options for that backend, passed on to networkx.

    Returns:
        Each node within reach with its number of steps, nearest first (``city_id`` at 0).

    Raises:
        UnknownIdError: ``city_id`` is not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``k`` is not an int >= 0, or a kind in ``kinds`` is not a relation kind.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for c in "abc":
        ...     b.add_city(c)
        >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
        >>> net = b.build()
        >>> reach(net, "a", 5).size
        1
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValidationError(f"reach: k must be an int >= 0, got {k!r}")
    network.check_nodes([city_id], where="reach")
    net = restricted(network, kinds, "reach")
    lengths = call_networkx(
        "reach",
        nx.single_source_shortest_path_length,
        net.nx,
        city_id,
        cutoff=k,
        backend=backend,
        backend_kwargs=backend_kwargs,
    )
    position = net.node_arrays().index
    ordered = sorted(lengths, key=lambda n: (lengths[n], position[n]))
    return Reach(city_id=city_id, k=k, nodes={n: int(lengths[n]) for n in ordered})


@attrs.frozen(kw_only=True)
class CrossBorderTies:
    """Relations whose two ends have different (known) countries.

    ``by_pair`` counts them per sorted country pair; ``share`` is their share of the relations whose
    two ends both have a country. Two kinds of border crossing are told apart:
    ``described`` are the ties a source describes as crossing a border (relations of a
    :attr:`RelationKind.cross_border` kind: a tri-city, a town by a border, a region's
    neighbours), and ``described_share`` their share of the same relations; ``cohort_share`` is
    the share of same-cohort links (``cohort_peer``) that join cities of two countries, or
    ``None`` when there are no such links.

    Example:
        >>> CrossBorderTies(ties=(), by_pair={}, share=0.0).described_share
        0.0
    """

    ties: tuple[Relation, ...]
    by_pair: Mapping[tuple[str, str], int] = attrs.field(eq=False, hash=False)
    share: float
    described: tuple[Relation, ...] = ()
    described_share: float = 0.0
    cohort_share: float | None = None


def cross_border_ties(network: CityNetwork, *, kinds: Kinds = None) -> CrossBorderTies:
    """The relations that cross a national border, counted per country pair.

    Parameters:
        network: The city network.
        kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.

    Returns:
        The crossing relations, their count per sorted country pair, and their share of the
        relations whose two ends both have a country (0.0 when there are none).

    Raises:
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: A kind in ``kinds`` is not a relation kind.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> b.add_city("syracuse", country="US"); b.add_city("lille", country="FR")
        >>> b.add_city("albany", country="US")
        >>> _ = b.add_relations([Relation(kind="partnership", source="syracuse", target="lille"),
        ...                        Relation(kind="exchange", source="syracuse", target="albany")])
        >>> net = b.build()
        >>> ties = cross_border_ties(net)
        >>> dict(ties.by_pair), ties.share
        ({('FR', 'US'): 1}, 0.5)
        >>> b.add_city("basel", country="CH")
        >>> _ = b.add_relation(Relation(kind="cross_border_metro", source="lille", target="basel"))
        >>> ties = cross_border_ties(b.build())
        >>> [(r.source, r.target) for r in ties.described], round(ties.described_share, 3)
        ([('lille', 'basel')], 0.333)
    """
    net = restricted(network, kinds, "cross_border_ties")
    g = net.nx
    ties = []
    pairs: dict[tuple[str, str], int] = {}
    known = 0
    described: list[Relation] = []
    cohort_links = cohort_crossing = 0
    described_kinds = {k.value for k in RelationKind if k.cross_border}
    for u, v, data in g.edges(data=True):
        cu, cv = g.nodes[u].get("country"), g.nodes[v].get("country")
        if not cu or not cv:
            continue
        known += 1
        kind = data["kind"]
        if kind == RelationKind.COHORT_PEER.value:
            cohort_links += 1
            cohort_crossing += cu != cv
        if cu != cv:
            relation = Relation.from_attributes(data)
            ties.append(relation)
            if kind in described_kinds:
                described.append(relation)
            pair = (min(cu, cv), max(cu, cv))
            pairs[pair] = pairs.get(pair, 0) + 1
    return CrossBorderTies(
        ties=tuple(ties),
        by_pair=dict(sorted(pairs.items())),
        share=len(ties) / known if known else 0.0,
        described=tuple(described),
        described_share=len(described) / known if known else 0.0,
        cohort_share=cohort_crossing / cohort_links if cohort_links else None,
    )
