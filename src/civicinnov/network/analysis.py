"""Analyses of a :class:`~civicinnov.network.graph.CityNetwork`, each returning a typed, explained result.

* :func:`peers`: which cities a team should learn from, with the score broken down by component and
  weights the caller can change (:class:`PeerWeights`).
* :func:`brokers`: which cities or organisations hold the network together (betweenness, and bridging
  across countries or cohorts).
* :func:`communities`: seeded, reproducible Louvain communities.
* :func:`reach`: who is within ``k`` steps of a city.
* :func:`cross_border_ties`: relations between cities or organisations of different countries.
* :func:`diffusion`: how one practice travelled, from adoption records.
* :func:`simulate_spread` and :func:`select_seeds`: Monte Carlo independent cascade and linear
  threshold spread, and the choice of seed cities by lazy greedy (CELF).

Every analysis accepts ``kinds`` (restrict to some relation kinds, through
:meth:`~civicinnov.network.graph.CityNetwork.view`) and refuses a view without relations with a
:class:`~civicinnov.errors.NetworkError`. Analyses built on networkx algorithms pass ``backend=`` and
``**backend_kwargs`` to them, so a networkx backend can take over at scale; the spread simulations run
on a scipy sparse adjacency matrix instead, vectorised over Monte Carlo runs.

Rankings are invariant under renaming nodes: ties are broken by the order nodes were added, never by
their ids.

Example:
    >>> from civicinnov.network.graph import CityNetwork, Relation
    >>> net = CityNetwork()
    >>> for c in ("a", "b", "c", "d"):
    ...     net.add_city(c, country="US" if c < "c" else "FR")
    >>> _ = net.add_relations([Relation(kind="exchange", source=s, target=t)
    ...                        for s, t in [("a", "b"), ("b", "c"), ("c", "d")]])
    >>> [b.node_id for b in brokers(net)[:2]]
    ['b', 'c']
    >>> reach(net, "a", 2).nodes
    {'a': 0, 'b': 1, 'c': 2}
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs
import networkx as nx
import numpy as np

from civicinnov.errors import NetworkError, UnknownIdError, ValidationError
from civicinnov.network.graph import EARTH_RADIUS_KM, CityNetwork, Relation, RelationKind

if TYPE_CHECKING:
    from networkx import DiGraph
    from numpy.typing import NDArray

    from civicinnov.programme import Portfolio
    from civicinnov.units import Quantity

__all__ = [
    "Broker",
    "Communities",
    "CrossBorderTies",
    "Diffusion",
    "Peer",
    "PeerRanking",
    "PeerWeights",
    "Reach",
    "SeedSelection",
    "Spread",
    "brokers",
    "communities",
    "cross_border_ties",
    "diffusion",
    "peers",
    "reach",
    "select_seeds",
    "simulate_spread",
]

Kinds = Iterable[RelationKind | str] | RelationKind | str | None
SpreadModel = Literal["independent_cascade", "linear_threshold"]


def _restricted(network: CityNetwork, kinds: Kinds, what: str) -> CityNetwork:
    net = network.view(kinds=kinds) if kinds is not None else network
    if net.number_of_relations() == 0:
        described = net.graph_attributes().get("view", "kinds=all; start=open; end=open")
        raise NetworkError(
            f"{what}: the relation view ({described}) holds no relations; expected at least one"
        )
    return net


def _dispatch(backend: str | None, backend_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    kw = dict(backend_kwargs)
    if backend is not None:
        kw["backend"] = backend
    return kw


def _position(network: CityNetwork) -> dict[str, int]:
    index: dict[str, int] = network._arrays()["index"]
    return index


# --- peers ----------------------------------------------------------------------------------------


class _ChallengeLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def city_id(self) -> str: ...
    @property
    def policy_domain(self) -> Any: ...


class _InitiativeLike(Protocol):
    @property
    def city_id(self) -> str: ...
    @property
    def challenge_ids(self) -> Iterable[str]: ...
    @property
    def evidence_level(self) -> Any: ...


def _nonnegative(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValidationError(
            f"PeerWeights.{attribute.name}: expected a finite number >= 0, got {value!r}"
        )
    if not math.isfinite(value):
        raise ValidationError(
            f"PeerWeights.{attribute.name}: expected a finite number, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class PeerWeights:
    """How much each component counts in a peer score (relative weights, each >= 0, not all 0).

    Components, each scaled to [0, 1]:

    * ``domain``: share of the query's policy domains the candidate also works on;
    * ``challenges``: ``1 - 2**-n`` for the candidate's ``n`` challenges in those domains;
    * ``network``: ``1 / hops`` along the network (0 beyond ``max_hops``);
    * ``size``: population ratio, smaller over larger (0 when either is unknown);
    * ``geography``: ``exp(-distance / distance_scale)`` (0 without coordinates);
    * ``evidence``: the best SMS level (1-5) among the candidate's initiatives on those
      challenges, over 5.

    Example:
        >>> PeerWeights(geography=0).geography
        0
        >>> PeerWeights(domain=-1)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: PeerWeights.domain: expected a finite number >= 0, got -1
    """

    domain: float = attrs.field(default=3.0, validator=_nonnegative)
    challenges: float = attrs.field(default=1.0, validator=_nonnegative)
    network: float = attrs.field(default=2.0, validator=_nonnegative)
    size: float = attrs.field(default=1.0, validator=_nonnegative)
    geography: float = attrs.field(default=1.0, validator=_nonnegative)
    evidence: float = attrs.field(default=2.0, validator=_nonnegative)

    def __attrs_post_init__(self) -> None:
        if sum(self.as_dict().values()) <= 0:
            raise ValidationError("PeerWeights: every weight is 0; expected at least one above 0")

    def as_dict(self) -> dict[str, float]:
        """The weights by component name.

        Example:
            >>> list(PeerWeights().as_dict())
            ['domain', 'challenges', 'network', 'size', 'geography', 'evidence']
        """
        return {a.name: float(getattr(self, a.name)) for a in attrs.fields(PeerWeights)}


@attrs.frozen(kw_only=True)
class Peer:
    """One candidate peer: its rank, total score and the score's components (each in [0, 1]).

    Example:
        >>> p = Peer(city_id="b", rank=1, score=0.5, components={"domain": 1.0}, hops=None,
        ...          distance_km=None)
        >>> p.components["domain"]
        1.0
    """

    city_id: str
    rank: int
    score: float
    components: Mapping[str, float] = attrs.field(eq=False, hash=False)
    hops: int | None
    distance_km: float | None


@attrs.frozen(kw_only=True)
class PeerRanking:
    """The result of :func:`peers`: the query, the ranked candidates, and notes on the query.

    ``notes`` say what the ranking could not use, such as no challenges at all (then it rests on
    network, size and geography only) or no initiatives (no evidence levels).

    Example:
        >>> r = PeerRanking(city_id="a", domains=(), weights=PeerWeights(), peers=())
        >>> r.explain()
        'peers of a (domains: any); weights domain=3, challenges=1, network=2, size=1, geography=1, evidence=2'
    """

    city_id: str
    domains: tuple[str, ...]
    weights: PeerWeights
    peers: tuple[Peer, ...]
    notes: tuple[str, ...] = ()

    def ids(self) -> list[str]:
        """The ranked city ids.

        Example:
            >>> PeerRanking(city_id="a", domains=(), weights=PeerWeights(), peers=()).ids()
            []
        """
        return [p.city_id for p in self.peers]

    def contributions(self, peer: Peer) -> dict[str, float]:
        """What each component adds to ``peer``'s score: weight times raw value over the sum of
        the weights. The contributions add up to the score.

        Example:
            >>> r = PeerRanking(city_id="a", domains=(), weights=PeerWeights(), peers=())
            >>> p = Peer(city_id="b", rank=1, score=0.4, hops=1, distance_km=None,
            ...          components={"domain": 1.0, "challenges": 1.0, "network": 1.0, "size": 0.0,
            ...                      "geography": 0.0, "evidence": 0.0})
            >>> {k: round(v, 3) for k, v in r.contributions(p).items() if v}
            {'domain': 0.3, 'challenges': 0.1, 'network': 0.2}
        """
        w = self.weights.as_dict()
        total = sum(w.values())
        return {k: w[k] * float(peer.components.get(k, 0.0)) / total for k in w}

    def explain(self) -> str:
        """A plain-text table: the weights and any notes, then two lines per peer.

        The first line gives the peer's score and its *raw* components (each between 0 and 1);
        the second its *weighted* contributions (:meth:`contributions`; those that round to 0.000
        are left out), which add up to the score.

        Example:
            >>> r = PeerRanking(city_id="a", domains=("housing",), weights=PeerWeights(),
            ...                 peers=(Peer(city_id="b", rank=1, score=0.4, hops=1,
            ...                             distance_km=None, components={"domain": 1.0,
            ...                             "challenges": 1.0, "network": 1.0, "size": 0.0,
            ...                             "geography": 0.0, "evidence": 0.0}),))
            >>> print(r.explain())
            peers of a (domains: housing); weights domain=3, challenges=1, network=2, size=1, geography=1, evidence=2
              1. b: 0.400 (raw: domain 1.00, challenges 1.00, network 1.00, size 0.00, geography 0.00, evidence 0.00)
                 weighted: domain 0.300 + challenges 0.100 + network 0.200
        """
        w = self.weights.as_dict()
        head = (
            f"peers of {self.city_id} (domains: {', '.join(self.domains) or 'any'}); weights "
            + ", ".join(f"{k}={v:g}" for k, v in w.items())
        )
        lines = [head, *(f"  note: {note}" for note in self.notes)]
        for p in self.peers:
            parts = ", ".join(f"{k} {p.components[k]:.2f}" for k in w)
            lines.append(f"{p.rank:>3}. {p.city_id}: {p.score:.3f} (raw: {parts})")
            added = [f"{k} {v:.3f}" for k, v in self.contributions(p).items() if v >= 0.0005]
            lines.append("     weighted: " + (" + ".join(added) or "0"))
        return "\n".join(lines)


@functools.lru_cache(maxsize=32)
def _km_of_text(text: str) -> float:
    from civicinnov.units import as_quantity

    return float(as_quantity(text, dimension="[length]", where="distance_scale").m_as("km"))


def _domain_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def peers(
    network: CityNetwork,
    city_id: str,
    *,
    domains: Iterable[Any] | Any | None = None,
    challenges: Iterable[_ChallengeLike] | None = None,
    initiatives: Iterable[_InitiativeLike] | None = None,
    portfolio: Portfolio | None = None,
    weights: PeerWeights | None = None,
    kinds: Kinds = None,
    max_hops: int = 3,
    distance_scale: Quantity | str = "500 km",
    limit: int | None = 10,
    backend: str | None = None,
    **backend_kwargs: Any,
) -> PeerRanking:
    """Rank the cities ``city_id`` should learn from, for some policy domains.

    ``domains`` are :class:`civicinnov.model.PolicyDomain` members (or their values);
    without them the domains of the city's own ``challenges`` are used. ``challenges``
    (:class:`~civicinnov.model.Challenge`: ``id``, ``city_id``, ``policy_domain``) and
    ``initiatives`` (:class:`~civicinnov.model.Initiative`: ``city_id``,
    ``challenge_ids``, ``evidence_level``) describe what every city works on. ``portfolio`` (a
    :class:`~civicinnov.programme.Portfolio`) supplies both, with the initiatives' evidence levels;
    ``challenges=`` or ``initiatives=`` given as well take precedence over the portfolio's.
    Without any of them only the network, size and geography components can be non-zero: the
    result's ``notes`` say so (and :meth:`PeerRanking.explain` prints them), as they do when the
    domains to look for are unknown or no initiative is given. The score is the weighted mean of
    the components described in :class:`PeerWeights`; the result keeps each component so the
    ranking can be explained. Network distance comes from
    :func:`networkx.single_source_shortest_path_length` (cut off at ``max_hops``; ``backend`` and
    ``backend_kwargs`` are passed to it). Ties are broken by the order cities were added.

    Raises:
        UnknownIdError: ``city_id``, or a challenge's or initiative's city, is not in the network.
        NetworkError: ``city_id`` is an organisation, or ``kinds`` leaves no relations.
        UnitError: ``distance_scale`` is not a length.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for cid, pop in [("a", 100_000), ("b", 120_000), ("c", 1_000_000)]:
        ...     net.add_city(cid, population=pop)
        >>> _ = net.add_relation(Relation(kind="exchange", source="a", target="c"))
        >>> chs = [NS(id="x1", city_id="a", policy_domain="housing"),
        ...        NS(id="x2", city_id="b", policy_domain="housing")]
        >>> ranking = peers(net, "a", challenges=chs)
        >>> ranking.ids()
        ['b', 'c']
        >>> round(ranking.peers[0].components["domain"], 2), ranking.peers[1].hops
        (1.0, 1)
    """
    from civicinnov.units import as_quantity

    if not isinstance(max_hops, int) or isinstance(max_hops, bool) or max_hops < 1:
        raise ValidationError(f"peers: max_hops must be an int >= 1, got {max_hops!r}")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValidationError(f"peers: limit must be an int >= 1 or None, got {limit!r}")
    scale_km = (
        _km_of_text(distance_scale)
        if isinstance(distance_scale, str)
        else float(
            as_quantity(distance_scale, dimension="[length]", where="distance_scale").m_as("km")
        )
    )
    if not scale_km > 0:
        raise ValidationError(f"peers: distance_scale must be above 0 km, got {scale_km!r} km")
    weights = weights if weights is not None else PeerWeights()
    net = _restricted(network, kinds, "peers") if kinds is not None else network
    network._require([city_id], "peers")
    if network.nx.nodes[city_id]["kind"] != "city":
        raise NetworkError(f"peers: {city_id!r} is an organisation; expected a city")
    arrays = net._arrays()
    ids: list[str] = arrays["ids"]
    index: dict[str, int] = arrays["index"]
    n = len(ids)
    me = index[city_id]

    if challenges is None:
        challenges = portfolio.challenges if portfolio is not None else ()
    if initiatives is None:
        initiatives = portfolio.initiatives if portfolio is not None else ()
    challenge_list = list(challenges)
    initiative_list = list(initiatives)
    n_ch, n_in = len(challenge_list), len(initiative_list)
    ch_city = np.fromiter((index.get(c.city_id, -1) for c in challenge_list), np.int64, n_ch)
    in_city = np.fromiter((index.get(i.city_id, -1) for i in initiative_list), np.int64, n_in)
    if (ch_city < 0).any() or (in_city < 0).any():
        unknown = [challenge_list[i].city_id for i in np.flatnonzero(ch_city < 0).tolist()]
        unknown += [initiative_list[i].city_id for i in np.flatnonzero(in_city < 0).tolist()]
        network._require(unknown, "peers: challenges/initiatives")
    ch_dom = [_domain_value(c.policy_domain) for c in challenge_list]
    domain_of = dict(zip((c.id for c in challenge_list), ch_dom, strict=True))
    if domains is None:
        query = sorted({d for d, i in zip(ch_dom, ch_city.tolist(), strict=True) if i == me})
    elif isinstance(domains, (str, bytes)) or hasattr(domains, "value"):
        query = [_domain_value(domains)]
    else:
        query = sorted({_domain_value(d) for d in domains})
    qset = set(query)
    notes: list[str] = []
    if not challenge_list:
        notes.append(
            "no challenges given, so domain, challenges and evidence are 0 for every city and the "
            "ranking rests on network, size and geography alone; pass portfolio= (or challenges= "
            "and initiatives=) to rank by what cities work on"
        )
    else:
        if not qset:
            notes.append(
                f"{city_id!r} has no challenges and no domains= was given, so domain is 0 for "
                "every city and challenges and evidence count every domain; pass domains= to "
                "rank by a policy domain"
            )
        if not initiative_list:
            notes.append(
                "no initiatives given, so evidence is 0 for every city; pass portfolio= (or "
                "initiatives=) to count evidence levels"
            )

    # per-city tallies over the challenge and initiative records, vectorised with bincount
    codes = {d: k for k, d in enumerate(dict.fromkeys(ch_dom))}
    ch_code = np.fromiter((codes[d] for d in ch_dom), np.int64, n_ch)
    relevant = np.fromiter((d in qset for d in ch_dom), bool, n_ch) if qset else np.ones(n_ch, bool)
    counts = np.bincount(ch_city[relevant], minlength=n).astype(np.float64)
    pairs = np.unique(ch_city[relevant] * max(len(codes), 1) + ch_code[relevant])
    covered = np.bincount(pairs // max(len(codes), 1), minlength=n).astype(np.float64)
    levels = np.fromiter(
        (
            float(int(i.evidence_level))
            if i.evidence_level is not None
            and (not qset or any(domain_of.get(cid) in qset for cid in i.challenge_ids))
            else 0.0
            for i in initiative_list
        ),
        np.float64,
        n_in,
    )
    evidence = np.zeros(n, dtype=np.float64)
    np.maximum.at(evidence, in_city, levels / 5.0)

    comp: dict[str, NDArray[np.float64]] = {}
    comp["domain"] = covered / len(qset) if qset else np.zeros(n)
    comp["challenges"] = 1.0 - np.exp2(-counts)
    lengths = nx.single_source_shortest_path_length(
        net.nx, city_id, cutoff=max_hops, **_dispatch(backend, backend_kwargs)
    )
    hops = np.full(n, -1, dtype=np.int64)
    if lengths:
        reached = np.fromiter((index[k] for k in lengths), np.int64, len(lengths))
        hops[reached] = np.fromiter(lengths.values(), np.int64, len(lengths))
    comp["network"] = np.where(hops > 0, 1.0 / np.maximum(hops, 1), 0.0)
    pop = arrays["population"]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(pop, pop[me]) / np.maximum(pop, pop[me])
    comp["size"] = np.where(np.isfinite(ratio) & (pop > 0) & (pop[me] > 0), ratio, 0.0)
    # great-circle distance from the chord between unit vectors (cached per network)
    xyz = arrays["xyz"]
    chord = np.sqrt(np.square(xyz - xyz[me]).sum(axis=1))
    dist = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))
    comp["geography"] = np.where(np.isfinite(dist), np.exp(-dist / scale_km), 0.0)
    comp["evidence"] = evidence
    if not (pop[me] > 0):
        notes.append(
            f"{city_id!r} has no population, so size is 0 for every city; give cities a "
            "population to compare sizes"
        )
    if initiative_list and not np.any(levels > 0):
        notes.append(
            "no initiative has an evidence level, so evidence is 0 for every city; set "
            "Initiative.evidence_level to rank by the strength of evidence"
        )

    w = weights.as_dict()
    total = sum(w.values())
    score: NDArray[np.float64] = np.asarray(sum(w[k] * comp[k] for k in w) / total)
    candidate = arrays["is_city"].copy()
    candidate[me] = False
    cand = np.flatnonzero(candidate)
    if limit is not None and limit < cand.size:
        # keep every candidate scoring at least the limit-th best (ties included), then sort those
        cutoff = np.partition(score[cand], cand.size - limit)[cand.size - limit]
        cand = cand[score[cand] >= cutoff]
    order = cand[np.lexsort((cand, -score[cand]))]
    if limit is not None:
        order = order[:limit]
    result = []
    for rank, i in enumerate(order.tolist(), start=1):
        result.append(
            Peer(
                city_id=ids[i],
                rank=rank,
                score=float(score[i]),
                components={k: float(comp[k][i]) for k in w},
                hops=int(hops[i]) if hops[i] >= 0 else None,
                distance_km=float(dist[i]) if math.isfinite(dist[i]) else None,
            )
        )
    return PeerRanking(
        city_id=city_id,
        domains=tuple(query),
        weights=weights,
        peers=tuple(result),
        notes=tuple(notes),
    )


# --- brokers, communities, reach, cross-border ties -------------------------------------------


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

    Raises:
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``by`` is neither ``"country"`` nor ``"cohort"``.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> net.add_city("a", country="US"); net.add_city("b", country="FR")
        >>> net.add_organisation("hub")
        >>> _ = net.add_relations([Relation(kind="intermediary", source="hub", target=c) for c in "ab"])
        >>> top = brokers(net)[0]
        >>> top.node_id, top.betweenness, top.bridging_groups
        ('hub', 1.0, 2)
    """
    if by not in ("country", "cohort"):
        raise ValidationError(f"brokers: by must be 'country' or 'cohort', got {by!r}")
    net = _restricted(network, kinds, "brokers")
    g = net.nx
    bc: dict[str, float] = nx.betweenness_centrality(
        g, k=k, normalized=True, seed=seed, **_dispatch(backend, backend_kwargs)
    )
    position = _position(net)
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

    Raises:
        NetworkError: ``kinds`` leaves no relations.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for c in "abcdef":
        ...     net.add_city(c)
        >>> pairs = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
        >>> _ = net.add_relations([Relation(kind="exchange", source=s, target=t) for s, t in pairs])
        >>> communities(net, seed=1).groups
        (('a', 'b', 'c'), ('d', 'e', 'f'))
    """
    net = _restricted(network, kinds, "communities")
    g = net.nx
    found = nx.community.louvain_communities(
        g, weight="weight", resolution=resolution, seed=seed, **_dispatch(backend, backend_kwargs)
    )
    position = _position(net)
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

    Raises:
        UnknownIdError: ``city_id`` is not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``k`` is not an int >= 0.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for c in "abc":
        ...     net.add_city(c)
        >>> _ = net.add_relation(Relation(kind="exchange", source="a", target="b"))
        >>> reach(net, "a", 5).size
        1
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValidationError(f"reach: k must be an int >= 0, got {k!r}")
    network._require([city_id], "reach")
    net = _restricted(network, kinds, "reach")
    lengths = nx.single_source_shortest_path_length(
        net.nx, city_id, cutoff=k, **_dispatch(backend, backend_kwargs)
    )
    position = _position(net)
    ordered = sorted(lengths, key=lambda n: (lengths[n], position[n]))
    return Reach(city_id=city_id, k=k, nodes={n: int(lengths[n]) for n in ordered})


@attrs.frozen(kw_only=True)
class CrossBorderTies:
    """Relations whose two ends have different (known) countries.

    ``by_pair`` counts them per sorted country pair; ``share`` is their share of the relations whose
    two ends both have a country.

    Example:
        >>> CrossBorderTies(ties=(), by_pair={}, share=0.0).share
        0.0
    """

    ties: tuple[Relation, ...]
    by_pair: Mapping[tuple[str, str], int] = attrs.field(eq=False, hash=False)
    share: float


def cross_border_ties(network: CityNetwork, *, kinds: Kinds = None) -> CrossBorderTies:
    """The relations that cross a national border, counted per country pair.

    Raises:
        NetworkError: ``kinds`` leaves no relations.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> net.add_city("syracuse", country="US"); net.add_city("lille", country="FR")
        >>> net.add_city("albany", country="US")
        >>> _ = net.add_relations([Relation(kind="partnership", source="syracuse", target="lille"),
        ...                        Relation(kind="exchange", source="syracuse", target="albany")])
        >>> ties = cross_border_ties(net)
        >>> dict(ties.by_pair), ties.share
        ({('FR', 'US'): 1}, 0.5)
    """
    net = _restricted(network, kinds, "cross_border_ties")
    g = net.nx
    ties = []
    pairs: dict[tuple[str, str], int] = {}
    known = 0
    for u, v, data in g.edges(data=True):
        cu, cv = g.nodes[u].get("country"), g.nodes[v].get("country")
        if not cu or not cv:
            continue
        known += 1
        if cu != cv:
            ties.append(Relation.from_attributes(data))
            pair = (min(cu, cv), max(cu, cv))
            pairs[pair] = pairs.get(pair, 0) + 1
    return CrossBorderTies(
        ties=tuple(ties),
        by_pair=dict(sorted(pairs.items())),
        share=len(ties) / known if known else 0.0,
    )


# --- diffusion of a practice ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Diffusion:
    """How one practice travelled, from adoption records.

    ``parent`` maps each city to the city it learned the practice from (``None`` for roots); when a
    city names several sources, the one that adopted earliest counts (undated sources, known only
    as sources, first; then insertion order). ``generation`` is the depth in that tree (roots 0).
    ``lag_days`` is the days between the parent's adoption and the city's (``None`` when either is
    undated). ``unsourced`` lists the cities that adopted with no recorded source; ``roots`` adds the
    sources that have no adoption date of their own.

    Example:
        >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None}, generation={"a": 0},
        ...               lag_days={"a": None}, unsourced=(), roots=("a",))
        >>> d.generations()
        (('a',),)
    """

    practice_id: str
    adopted_on: Mapping[str, date] = attrs.field(eq=False, hash=False)
    parent: Mapping[str, str | None] = attrs.field(eq=False, hash=False)
    generation: Mapping[str, int] = attrs.field(eq=False, hash=False)
    lag_days: Mapping[str, int | None] = attrs.field(eq=False, hash=False)
    unsourced: tuple[str, ...]
    roots: tuple[str, ...]

    def tree(self) -> DiGraph[str]:
        """The diffusion tree as a networkx DiGraph (parent to child; node attribute ``on``).

        Example:
            >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None, "b": "a"},
            ...               generation={"a": 0, "b": 1}, lag_days={"a": None, "b": None},
            ...               unsourced=(), roots=("a",))
            >>> list(d.tree().edges)
            [('a', 'b')]
        """
        t: DiGraph[str] = nx.DiGraph()
        for node in self.parent:
            on = self.adopted_on.get(node)
            t.add_node(node, **({"on": on.isoformat()} if on is not None else {}))
        t.add_edges_from((p, c) for c, p in self.parent.items() if p is not None)
        return t

    def generations(self) -> tuple[tuple[str, ...], ...]:
        """Cities by generation: roots first, then those who learned from them, and so on.

        Example:
            >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None, "b": "a"},
            ...               generation={"a": 0, "b": 1}, lag_days={"a": None, "b": None},
            ...               unsourced=(), roots=("a",))
            >>> d.generations()
            (('a',), ('b',))
        """
        if not self.generation:
            return ()
        top = max(self.generation.values())
        return tuple(
            tuple(n for n, g in self.generation.items() if g == level) for level in range(top + 1)
        )

    def median_lag_days(self) -> float | None:
        """The median of the known lags in days, or ``None`` when no lag is known.

        Example:
            >>> Diffusion(practice_id="x", adopted_on={}, parent={}, generation={},
            ...           lag_days={"a": 10, "b": 30, "c": None}, unsourced=(),
            ...           roots=()).median_lag_days()
            20.0
        """
        lags = [v for v in self.lag_days.values() if v is not None]
        return float(np.median(lags)) if lags else None


def diffusion(network: CityNetwork, practice_id: str) -> Diffusion:
    """Reconstruct how ``practice_id`` spread: tree, generations, time to adopt, unsourced adopters.

    Raises:
        UnknownIdError: no adoption of ``practice_id`` is recorded.

    Example:
        >>> from datetime import date
        >>> from civicinnov.network.graph import CityNetwork
        >>> net = CityNetwork()
        >>> for c in ("nola", "memphis", "atlanta", "jersey"):
        ...     net.add_city(c)
        >>> net.record_adoption("blight-stat", "nola", date(2012, 1, 1))
        >>> _ = net.record_adoption("blight-stat", "memphis", date(2013, 1, 1), source_id="nola")
        >>> _ = net.record_adoption("blight-stat", "atlanta", date(2013, 7, 1), source_id="memphis")
        >>> net.record_adoption("blight-stat", "jersey", date(2014, 1, 1))
        >>> d = diffusion(net, "blight-stat")
        >>> d.generations()
        (('nola', 'jersey'), ('memphis',), ('atlanta',))
        >>> d.lag_days["atlanta"], d.unsourced
        (181, ('nola', 'jersey'))
    """
    dg = network.adoption_graph(practice_id)
    if dg.number_of_nodes() == 0:
        raise UnknownIdError(
            f"diffusion: no adoption of practice {practice_id!r} is recorded; known practices: "
            f"{', '.join(network.practices()) or 'none'}"
        )
    position = _position(network)
    on = {n: date.fromisoformat(d["on"]) for n, d in dg.nodes(data=True) if "on" in d}
    parent: dict[str, str | None] = {}
    for node in dg.nodes:
        sources = list(dg.predecessors(node))
        if not sources:
            parent[node] = None
            continue
        parent[node] = min(
            sources,
            key=lambda s: (s in on, on.get(s, date.min), position[s]),
        )
    generation: dict[str, int] = {}
    for node in nx.topological_sort(dg):
        p = parent[node]
        generation[node] = 0 if p is None else generation[p] + 1
    ordered = sorted(
        dg.nodes,
        key=lambda n: (generation[n], on.get(n, date.min), position[n]),
    )
    lag: dict[str, int | None] = {}
    for node in ordered:
        p = parent[node]
        lag[node] = (on[node] - on[p]).days if p is not None and p in on and node in on else None
    roots = tuple(n for n in ordered if parent[n] is None)
    return Diffusion(
        practice_id=practice_id,
        adopted_on={n: on[n] for n in ordered if n in on},
        parent={n: parent[n] for n in ordered},
        generation={n: generation[n] for n in ordered},
        lag_days=lag,
        unsourced=tuple(n for n in roots if n in on),
        roots=roots,
    )


# --- simulated spread -----------------------------------------------------------------------------

_CHUNK_CELLS = 8_000_000


@attrs.frozen(kw_only=True)
class Spread:
    """The outcome of :func:`simulate_spread`: final spread per run and per-node activation rates.

    Example:
        >>> import numpy as np
        >>> s = Spread(model="independent_cascade", seeds=("a",), runs=2,
        ...            sizes=np.array([1, 3]), node_ids=("a", "b", "c"),
        ...            activation=np.array([1.0, 0.5, 0.5]))
        >>> s.mean, s.stderr
        (2.0, 1.0)
    """

    model: str
    seeds: tuple[str, ...]
    runs: int
    sizes: NDArray[np.int64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    node_ids: tuple[str, ...]
    activation: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))

    __hash__ = None  # type: ignore[assignment]  # holds arrays

    @property
    def mean(self) -> float:
        """The expected number of active nodes at the end (seeds included).

        Example:
            >>> import numpy as np
            >>> Spread(model="m", seeds=(), runs=1, sizes=np.array([4]), node_ids=(),
            ...        activation=np.zeros(0)).mean
            4.0
        """
        return float(self.sizes.mean())

    @property
    def std(self) -> float:
        """The standard deviation of the spread across runs (ddof=1; 0 for one run).

        Example:
            >>> import numpy as np
            >>> Spread(model="m", seeds=(), runs=2, sizes=np.array([1, 3]), node_ids=(),
            ...        activation=np.zeros(0)).std
            1.4142135623730951
        """
        return float(self.sizes.std(ddof=1)) if self.sizes.size > 1 else 0.0

    @property
    def stderr(self) -> float:
        """The Monte Carlo standard error of :attr:`mean`.

        Example:
            >>> import numpy as np
            >>> round(Spread(model="m", seeds=(), runs=4, sizes=np.array([1, 1, 3, 3]),
            ...              node_ids=(), activation=np.zeros(0)).stderr, 6)
            0.57735
        """
        return self.std / math.sqrt(self.sizes.size) if self.sizes.size else 0.0


def _check_model(model: str) -> None:
    if model not in ("independent_cascade", "linear_threshold"):
        raise ValidationError(
            f"model: {model!r} is not a spread model; expected 'independent_cascade' or "
            "'linear_threshold'"
        )


def _simulate(
    adj: Any,
    seed_idx: NDArray[np.intp],
    *,
    model: str,
    p: float,
    runs: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Vectorised Monte Carlo over runs; returns (spread per run, activations per node)."""
    from scipy import sparse

    n = adj.shape[0]
    sizes = np.empty(runs, dtype=np.int64)
    hits = np.zeros(n, dtype=np.float64)
    if model == "independent_cascade":
        # one edge u-v fires with probability p; several newly active neighbours of v in the same
        # step fail together with probability (1-p)^c, so a log-space sparse product sums them.
        trans = adj * math.log1p(-p) if p < 1 else adj * -np.inf
    else:
        deg = np.asarray(adj.sum(axis=0)).ravel()
        inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
        trans = adj @ sparse.diags(inv)  # column v scaled by 1/deg(v): Kempe's uniform weights
    trans = sparse.csr_matrix(trans.T)
    chunk = max(1, min(runs, _CHUNK_CELLS // max(n, 1)))
    for start in range(0, runs, chunk):
        r = min(chunk, runs - start)
        active = np.zeros((n, r), dtype=bool)
        active[seed_idx, :] = True
        theta = rng.random((n, r)) if model == "linear_threshold" else None
        pressure = np.zeros((n, r), dtype=np.float64) if theta is not None else None
        rows = np.repeat(seed_idx, r)
        cols = np.tile(np.arange(r), seed_idx.size)
        while rows.size:
            frontier = sparse.csr_matrix(
                (np.ones(rows.size), (rows, cols)), shape=(n, r), dtype=np.float64
            )
            hit = (trans @ frontier).tocoo()
            hr, hc, hv = hit.row, hit.col, hit.data
            fresh = ~active[hr, hc]
            hr, hc, hv = hr[fresh], hc[fresh], hv[fresh]
            if theta is None:
                fire = rng.random(hr.size) < -np.expm1(hv)
            else:
                assert pressure is not None
                pressure[hr, hc] += hv
                fire = pressure[hr, hc] >= theta[hr, hc]
            rows, cols = hr[fire], hc[fire]
            active[rows, cols] = True
        sizes[start : start + r] = active.sum(axis=0)
        hits += active.sum(axis=1)
    return sizes, hits / runs


def _spread_inputs(
    network: CityNetwork, seeds: Iterable[str], kinds: Kinds, what: str
) -> tuple[CityNetwork, NDArray[np.intp], tuple[str, ...]]:
    seed_list = list(dict.fromkeys(seeds))
    network._require(seed_list, f"{what}: seeds")
    net = _restricted(network, kinds, what)
    index = _position(net)
    return net, np.array([index[s] for s in seed_list], dtype=np.intp), tuple(seed_list)


def _check_spread_args(p: float, runs: int) -> None:
    if not (isinstance(p, (int, float)) and 0.0 <= p <= 1.0):
        raise ValidationError(f"p: expected a probability in [0, 1], got {p!r}")
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise ValidationError(f"runs: expected an int >= 1, got {runs!r}")


def simulate_spread(
    network: CityNetwork,
    seeds: Iterable[str],
    *,
    model: SpreadModel = "independent_cascade",
    p: float = 0.05,
    runs: int = 1000,
    seed: int | np.random.Generator | None = 0,
    kinds: Kinds = None,
) -> Spread:
    """Monte Carlo spread of a practice from ``seeds`` over the network's ties.

    ``independent_cascade`` (Kempe, Kleinberg & Tardos 2003, KDD): a newly active node gets one
    chance to activate each neighbour, with probability ``p``. ``linear_threshold`` (same paper):
    each node draws a threshold uniformly in [0, 1] per run and activates once the share of its
    neighbours that are active reaches it (``p`` is unused). Every relation is a two-way tie;
    parallel relations count once. Runs are simulated together on a scipy sparse adjacency matrix
    (one sparse product per step for all runs), reproducibly for a given ``seed``.

    Raises:
        UnknownIdError: a seed that is not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``p`` outside [0, 1], ``runs`` below 1, an unknown ``model``.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for c in "abc":
        ...     net.add_city(c)
        >>> _ = net.add_relations([Relation(kind="exchange", source="a", target=t) for t in "bc"])
        >>> simulate_spread(net, ["a"], p=1.0, runs=10).mean
        3.0
        >>> simulate_spread(net, ["a"], p=0.0, runs=10).mean
        1.0
    """
    _check_model(model)
    _check_spread_args(p, runs)
    net, seed_idx, seed_ids = _spread_inputs(network, seeds, kinds, "simulate_spread")
    rng = np.random.default_rng(seed)
    sizes, activation = _simulate(net._csr(), seed_idx, model=model, p=p, runs=runs, rng=rng)
    return Spread(
        model=model,
        seeds=seed_ids,
        runs=runs,
        sizes=sizes,
        node_ids=tuple(net.nodes()),
        activation=activation,
    )


@attrs.frozen(kw_only=True)
class SeedSelection:
    """The seeds chosen by :func:`select_seeds`, each with its marginal gain in expected spread.

    Example:
        >>> SeedSelection(seeds=("a",), gains=(3.0,), spread=3.0, evaluations=4).spread
        3.0
    """

    seeds: tuple[str, ...]
    gains: tuple[float, ...]
    spread: float
    evaluations: int


def select_seeds(
    network: CityNetwork,
    k: int,
    *,
    model: SpreadModel = "independent_cascade",
    p: float = 0.05,
    runs: int = 200,
    seed: int = 0,
    candidates: Sequence[str] | None = None,
    kinds: Kinds = None,
) -> SeedSelection:
    """Choose ``k`` seed cities that maximise expected spread: greedy with lazy evaluation (CELF).

    CELF (Leskovec et al. 2007, "Cost-effective outbreak detection in networks", KDD) keeps every
    candidate's last marginal gain in a priority queue and recomputes only the top one, which is
    valid because expected spread is submodular (Kempe et al. 2003). Each spread is estimated by
    :func:`simulate_spread` with ``runs`` runs and the same random numbers (``seed``) for every
    evaluation, so comparisons between seed sets are not blurred by sampling noise. Candidates
    default to every city; ties go to the city added first.

    Raises:
        UnknownIdError: a candidate not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``k`` not between 1 and the number of candidates.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for c in "abcdefg":
        ...     net.add_city(c)
        >>> star = [("a", t) for t in "bcd"] + [("e", "f"), ("f", "g")]
        >>> _ = net.add_relations([Relation(kind="exchange", source=s, target=t) for s, t in star])
        >>> chosen = select_seeds(net, 2, p=1.0, runs=5)
        >>> chosen.seeds, chosen.gains, chosen.spread
        (('a', 'e'), (4.0, 3.0), 7.0)
    """
    _check_model(model)
    _check_spread_args(p, runs)
    net = _restricted(network, kinds, "select_seeds")
    index = _position(net)
    if candidates is None:
        pool = net.cities()
    else:
        pool = list(dict.fromkeys(candidates))
        network._require(pool, "select_seeds: candidates")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= len(pool):
        raise ValidationError(f"select_seeds: k must be an int in [1, {len(pool)}], got {k!r}")
    adj = net._csr()
    evaluations = 0

    def spread_of(chosen: list[str]) -> float:
        nonlocal evaluations
        evaluations += 1
        idx = np.array([index[c] for c in chosen], dtype=np.intp)
        rng = np.random.default_rng(seed)
        sizes, _ = _simulate(adj, idx, model=model, p=p, runs=runs, rng=rng)
        return float(sizes.mean())

    heap: list[tuple[float, int, str, int]] = []
    for c in pool:
        heap.append((-spread_of([c]), index[c], c, 0))
    heapq.heapify(heap)
    chosen: list[str] = []
    gains: list[float] = []
    current = 0.0
    while len(chosen) < k:
        neg_gain, pos, node, round_seen = heapq.heappop(heap)
        if round_seen == len(chosen):
            chosen.append(node)
            gains.append(-neg_gain)
            current += -neg_gain
            continue
        gain = spread_of([*chosen, node]) - current
        heapq.heappush(heap, (-gain, pos, node, len(chosen)))
    return SeedSelection(
        seeds=tuple(chosen),
        gains=tuple(gains),
        spread=current,
        evaluations=evaluations,
    )
