"""The city network: who learns from whom, who connects whom, and how a practice spreads.

* :mod:`civicinnov.network.graph` holds :class:`~civicinnov.network.graph.CityNetwork`, the typed
  relation kinds and the record types (:class:`~civicinnov.network.graph.Relation`,
  :class:`~civicinnov.network.graph.Adoption`), plus the great-circle helpers used for proximity links.
* :mod:`civicinnov.network.analysis` holds the analyses: peers, brokers, communities, reach,
  cross-border ties, the diffusion of a practice, simulated spread and seed selection.
* :mod:`civicinnov.network.io` reads and writes node-link JSON, GraphML and GEXF.

This package imports networkx (and, inside functions, scipy); ``import civicinnov`` does not import it.
"""

from civicinnov.network.analysis import (
    Broker,
    Communities,
    CrossBorderTies,
    Diffusion,
    Peer,
    PeerRanking,
    PeerWeights,
    Reach,
    SeedSelection,
    Spread,
    brokers,
    communities,
    cross_border_ties,
    diffusion,
    peers,
    reach,
    select_seeds,
    simulate_spread,
)
from civicinnov.network.graph import (
    EARTH_RADIUS_KM,
    Adoption,
    CityNetwork,
    NodeKind,
    Relation,
    RelationKind,
    haversine_km,
    proximity_pairs,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "Adoption",
    "Broker",
    "CityNetwork",
    "Communities",
    "CrossBorderTies",
    "Diffusion",
    "NodeKind",
    "Peer",
    "PeerRanking",
    "PeerWeights",
    "Reach",
    "Relation",
    "RelationKind",
    "SeedSelection",
    "Spread",
    "brokers",
    "communities",
    "cross_border_ties",
    "diffusion",
    "haversine_km",
    "peers",
    "proximity_pairs",
    "reach",
    "select_seeds",
    "simulate_spread",
]
