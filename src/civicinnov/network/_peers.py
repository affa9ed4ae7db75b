"""Peers: which cities a team should learn from, with every component of the score kept.

:func:`peers` takes plain inputs: the network, and the challenges and initiatives of every city as
records or mappings (their ``city_id``, ``policy_domain``, ``challenge_ids`` and
``evidence_level``). It knows nothing of the programme layer; :meth:`Portfolio.peers
<civicinnov.programme.Portfolio.peers>` gathers those records from a portfolio and calls it.

Example:
    >>> from civicinnov.network import CityNetworkBuilder, Relation
    >>> b = CityNetworkBuilder()
    >>> for cid in "abc":
    ...     b.add_city(cid)
    >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="c"))
    >>> chs = [{"id": "x1", "city_id": "a", "policy_domain": "housing"},
    ...        {"id": "x2", "city_id": "b", "policy_domain": "housing"}]
    >>> peers(b.build(), "a", challenges=chs).ids()
    ['b', 'c']
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import networkx as nx
import numpy as np

from civicinnov.errors import NetworkError, ValidationError
from civicinnov.network._common import Kinds, call_networkx, restricted
from civicinnov.network._graph import EARTH_RADIUS_KM, CityNetwork
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from civicinnov.units import Quantity

__all__ = [
    "ChallengeRecord",
    "InitiativeRecord",
    "Peer",
    "PeerRanking",
    "PeerWeights",
    "peers",
]


#: A challenge as :func:`peers` reads it: any record or mapping with ``id``, ``city_id`` and
#: ``policy_domain`` (a :class:`~civicinnov.model.Challenge` qualifies).
ChallengeRecord: TypeAlias = Any
#: An initiative as :func:`peers` reads it: any record or mapping with ``city_id``,
#: ``challenge_ids`` and ``evidence_level`` (an SMS level 1-5 or ``None``; an
#: :class:`~civicinnov.model.Initiative` qualifies).
InitiativeRecord: TypeAlias = Any


def _field(record: Any, name: str, where: str) -> Any:
    if isinstance(record, Mapping):
        if name not in record:
            raise ValidationError(f"{where}: field {name!r} missing; got keys {sorted(record)}")
        return record[name]
    try:
        return getattr(record, name)
    except AttributeError:
        raise ValidationError(
            f"{where}: {type(record).__name__} has no {name!r}; expected a record or mapping "
            f"with it"
        ) from None


def _level(value: Any, where: str) -> float:
    if value is None:
        return 0.0
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            f"{where}: evidence_level {value!r}; expected an SMS level 1-5 or None"
        ) from None
    if not 1 <= level <= 5:
        raise ValidationError(f"{where}: evidence_level {value!r}; expected an SMS level 1-5")
    return float(level)


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

        Parameters:
            peer: A peer, usually one of this ranking's :attr:`peers`; a missing component counts
                as 0.

        Returns:
            For each weighted component, in the order of the weights, its share of the score.

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
    return float(as_quantity(text, dimension="[length]", where="distance_scale").m_as("km"))


def _domain_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def peers(
    network: CityNetwork,
    city_id: str,
    *,
    domains: Iterable[Any] | Any | None = None,
    challenges: Iterable[ChallengeRecord] = (),
    initiatives: Iterable[InitiativeRecord] = (),
    weights: PeerWeights | None = None,
    kinds: Kinds = None,
    max_hops: int = 3,
    distance_scale: Quantity | str = "500 km",
    limit: int | None = 10,
    backend: str | None = None,
    **backend_kwargs: Any,
) -> PeerRanking:
    """Rank the cities ``city_id`` should learn from, for some policy domains.

    The score is the weighted mean of the components described in :class:`PeerWeights`; the
    result keeps each component so the ranking can be explained. Without challenges only the
    network, size and geography components can be non-zero: the result's ``notes`` say so (and
    :meth:`PeerRanking.explain` prints them), as they do when the domains to look for are unknown
    or no initiative has an evidence level. Ties are broken by the order cities were added.

    Parameters:
        network: The city network.
        city_id: The city looking for peers.
        domains: :class:`civicinnov.model.PolicyDomain` members (or their values) to
            look for; by default the domains of the city's own ``challenges``.
        challenges: What every city works on: records or mappings with ``id``, ``city_id`` and
            ``policy_domain`` (e.g. :class:`~civicinnov.model.Challenge`).
        initiatives: Records or mappings with ``city_id``, ``challenge_ids`` and
            ``evidence_level`` (an SMS level 1-5 or ``None``; e.g.
            :class:`~civicinnov.model.Initiative`).
        weights: The weight of each component (default :class:`PeerWeights`).
        kinds: Only relations of these kinds count as network ties.
        max_hops: Network distance is cut off here (``network`` is 0 beyond it).
        distance_scale: The length over which the geography component falls by a factor e.
        limit: At most this many peers (``None``: every city).
        backend: Passed to :func:`networkx.single_source_shortest_path_length`, with
            ``backend_kwargs``, so a networkx backend (nx-parallel, nx-cugraph) can run it.
        **backend_kwargs: Options of that backend.

    Returns:
        PeerRanking: the ranked peers, the domains looked for, the weights and notes.

    Raises:
        UnknownIdError: ``city_id``, or a challenge's or initiative's city, is not in the network.
        NetworkError: ``city_id`` is an organisation, or ``kinds`` leaves no relations.
        ValidationError: a record without a field :func:`peers` reads, an evidence level outside
            1-5, ``max_hops`` below 1, ``limit`` below 1.
        UnitError: ``distance_scale`` is not a length.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for cid, pop in [("a", 100_000), ("b", 120_000), ("c", 1_000_000)]:
        ...     b.add_city(cid, population=pop)
        >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="c"))
        >>> chs = [NS(id="x1", city_id="a", policy_domain="housing"),
        ...        NS(id="x2", city_id="b", policy_domain="housing")]
        >>> ranking = peers(b.build(), "a", challenges=chs)
        >>> ranking.ids()
        ['b', 'c']
        >>> round(ranking.peers[0].components["domain"], 2), ranking.peers[1].hops
        (1.0, 1)
    """
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
    net = restricted(network, kinds, "peers") if kinds is not None else network
    network.check_nodes([city_id], where="peers")
    if network.nx.nodes[city_id]["kind"] != "city":
        raise NetworkError(f"peers: {city_id!r} is an organisation; expected a city")
    arrays = net.node_arrays()
    ids = arrays.ids
    index = arrays.index
    n = len(ids)
    me = index[city_id]

    ch_rows = [
        (
            _field(c, "id", f"peers: challenges[{k}]"),
            _field(c, "city_id", f"peers: challenges[{k}]"),
            _domain_value(_field(c, "policy_domain", f"peers: challenges[{k}]")),
        )
        for k, c in enumerate(challenges)
    ]
    in_rows = [
        (
            _field(i, "city_id", f"peers: initiatives[{k}]"),
            tuple(_field(i, "challenge_ids", f"peers: initiatives[{k}]")),
            _level(
                _field(i, "evidence_level", f"peers: initiatives[{k}]"), f"peers: initiatives[{k}]"
            ),
        )
        for k, i in enumerate(initiatives)
    ]
    n_ch, n_in = len(ch_rows), len(in_rows)
    ch_city = np.fromiter((index.get(c[1], -1) for c in ch_rows), np.int64, n_ch)
    in_city = np.fromiter((index.get(i[0], -1) for i in in_rows), np.int64, n_in)
    if (ch_city < 0).any() or (in_city < 0).any():
        unknown = [ch_rows[i][1] for i in np.flatnonzero(ch_city < 0).tolist()]
        unknown += [in_rows[i][0] for i in np.flatnonzero(in_city < 0).tolist()]
        network.check_nodes(unknown, where="peers: challenges/initiatives")
    ch_dom = [c[2] for c in ch_rows]
    domain_of = dict(zip((c[0] for c in ch_rows), ch_dom, strict=True))
    if domains is None:
        query = sorted({d for d, i in zip(ch_dom, ch_city.tolist(), strict=True) if i == me})
    elif isinstance(domains, (str, bytes)) or hasattr(domains, "value"):
        query = [_domain_value(domains)]
    else:
        query = sorted({_domain_value(d) for d in domains})
    qset = set(query)
    notes: list[str] = []
    if not ch_rows:
        notes.append(
            "no challenges given, so domain, challenges and evidence are 0 for every city and the "
            "ranking rests on network, size and geography alone; pass challenges= "
            "and initiatives= (Portfolio.peers does) to rank by what cities work on"
        )
    else:
        if not qset:
            notes.append(
                f"{city_id!r} has no challenges and no domains= was given, so domain is 0 for "
                "every city and challenges and evidence count every domain; pass domains= to "
                "rank by a policy domain"
            )
        if not in_rows:
            notes.append(
                "no initiatives given, so evidence is 0 for every city; pass initiatives= "
                "(Portfolio.peers does) to count evidence levels"
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
            level if not qset or any(domain_of.get(cid) in qset for cid in ids) else 0.0
            for _, ids, level in in_rows
        ),
        np.float64,
        n_in,
    )
    evidence = np.zeros(n, dtype=np.float64)
    np.maximum.at(evidence, in_city, levels / 5.0)

    comp: dict[str, NDArray[np.float64]] = {}
    comp["domain"] = covered / len(qset) if qset else np.zeros(n)
    comp["challenges"] = 1.0 - np.exp2(-counts)
    lengths = call_networkx(
        "peers",
        nx.single_source_shortest_path_length,
        net.nx,
        city_id,
        cutoff=max_hops,
        backend=backend,
        backend_kwargs=backend_kwargs,
    )
    hops = np.full(n, -1, dtype=np.int64)
    if lengths:
        reached = np.fromiter((index[k] for k in lengths), np.int64, len(lengths))
        hops[reached] = np.fromiter(lengths.values(), np.int64, len(lengths))
    comp["network"] = np.where(hops > 0, 1.0 / np.maximum(hops, 1), 0.0)
    pop = arrays.population
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(pop, pop[me]) / np.maximum(pop, pop[me])
    comp["size"] = np.where(np.isfinite(ratio) & (pop > 0) & (pop[me] > 0), ratio, 0.0)
    # great-circle distance from the chord between unit vectors (cached per network)
    xyz = arrays.xyz
    chord = np.sqrt(np.square(xyz - xyz[me]).sum(axis=1))
    dist = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2.0, 1.0))
    comp["geography"] = np.where(np.isfinite(dist), np.exp(-dist / scale_km), 0.0)
    comp["evidence"] = evidence
    if not (pop[me] > 0):
        notes.append(
            f"{city_id!r} has no population, so size is 0 for every city; give cities a "
            "population to compare sizes"
        )
    if in_rows and not np.any(levels > 0):
        notes.append(
            "no initiative has an evidence level, so evidence is 0 for every city; set "
            "Initiative.evidence_level to rank by the strength of evidence"
        )

    w = weights.as_dict()
    total = sum(w.values())
    score: NDArray[np.float64] = np.asarray(sum(w[k] * comp[k] for k in w) / total)
    candidate = arrays.is_city.copy()
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
