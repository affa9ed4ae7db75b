"""The city network: who learns from whom, who connects whom, and how a practice spreads.

This package is the network layer's face: import every name from here. It sits above
:mod:`civicinnov.metrics` and beside :mod:`civicinnov.evaluation` (neither imports the other), and
imports nothing from the programme layer: analyses take plain records, and
:class:`~civicinnov.programme.Portfolio` assembles them. Its modules, grouped as networkx groups
its algorithms:

* the graph (``_graph``): the frozen :class:`CityNetwork`, its :class:`CityNetworkBuilder`, the
  relation kinds and records (:class:`Relation`, :class:`Adoption`), and the great-circle helpers
  used for proximity links;
* peers (``_peers``): :func:`peers`, with :class:`PeerWeights`, :class:`Peer` and
  :class:`PeerRanking`;
* structure (``_structure``): :func:`brokers`, :func:`communities`, :func:`reach` and
  :func:`cross_border_ties`;
* diffusion (``_diffusion``): the observed :func:`diffusion` of a practice, :func:`simulate_spread`
  and :func:`select_seeds` (with :class:`SpreadWorlds`).

Files (node-link JSON, GraphML, GEXF) are read and written by :mod:`civicinnov.io`. This package
imports networkx (and, inside the spread analyses, scipy); ``import civicinnov`` does not.

Example:
    >>> from civicinnov.network import CityNetworkBuilder, Relation, reach
    >>> b = CityNetworkBuilder()
    >>> for c in "abc":
    ...     b.add_city(c)
    >>> _ = b.add_relations([Relation(kind="exchange", source="a", target="b"),
    ...                      Relation(kind="exchange", source="b", target="c")])
    >>> reach(b.build(), "a", 1).nodes
    {'a': 0, 'b': 1}
"""

from civicinnov.network._common import Kinds as Kinds, SpreadModel as SpreadModel
from civicinnov.network._diffusion import (
    BLOCK_RUNS as BLOCK_RUNS,
    Diffusion as Diffusion,
    SeedSelection as SeedSelection,
    Spread as Spread,
    SpreadWorlds as SpreadWorlds,
    diffusion as diffusion,
    select_seeds as select_seeds,
    simulate_spread as simulate_spread,
)
from civicinnov.network._graph import (
    EARTH_RADIUS_KM as EARTH_RADIUS_KM,
    Adoption as Adoption,
    CityNetwork as CityNetwork,
    CityNetworkBuilder as CityNetworkBuilder,
    NodeArrays as NodeArrays,
    NodeKind as NodeKind,
    Relation as Relation,
    RelationKind as RelationKind,
    country_node_id as country_node_id,
    haversine_km as haversine_km,
    proximity_pairs as proximity_pairs,
)
from civicinnov.network._peers import (
    ChallengeRecord as ChallengeRecord,
    InitiativeRecord as InitiativeRecord,
    Peer as Peer,
    PeerRanking as PeerRanking,
    PeerWeights as PeerWeights,
    peers as peers,
)
from civicinnov.network._structure import (
    Broker as Broker,
    Communities as Communities,
    CrossBorderTies as CrossBorderTies,
    Reach as Reach,
    brokers as brokers,
    communities as communities,
    cross_border_ties as cross_border_ties,
    reach as reach,
)

__all__ = [
    "BLOCK_RUNS",
    "EARTH_RADIUS_KM",
    "Adoption",
    "Broker",
    "ChallengeRecord",
    "CityNetwork",
    "CityNetworkBuilder",
    "Communities",
    "CrossBorderTies",
    "Diffusion",
    "InitiativeRecord",
    "Kinds",
    "NodeArrays",
    "NodeKind",
    "Peer",
    "PeerRanking",
    "PeerWeights",
    "Reach",
    "Relation",
    "RelationKind",
    "SeedSelection",
    "Spread",
    "SpreadModel",
    "SpreadWorlds",
    "brokers",
    "communities",
    "country_node_id",
    "cross_border_ties",
    "diffusion",
    "haversine_km",
    "peers",
    "proximity_pairs",
    "reach",
    "select_seeds",
    "simulate_spread",
]
