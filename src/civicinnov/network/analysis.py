"""Older import path of the network analyses; import them from :mod:`civicinnov.network`.

Kept so that code written against ``civicinnov.network.analysis`` keeps importing; every name here
is the object :mod:`civicinnov.network` exports.
"""

from civicinnov.network._diffusion import (
    Diffusion as Diffusion,
    SeedSelection as SeedSelection,
    Spread as Spread,
    diffusion as diffusion,
    select_seeds as select_seeds,
    simulate_spread as simulate_spread,
)
from civicinnov.network._peers import (
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
