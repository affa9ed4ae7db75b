"""Older import path of the city network's graph types; import them from :mod:`civicinnov.network`.

Kept so that code written against ``civicinnov.network.graph`` keeps importing; every name here is
the object :mod:`civicinnov.network` exports.
"""

from civicinnov.network._graph import (
    EARTH_RADIUS_KM as EARTH_RADIUS_KM,
    Adoption as Adoption,
    CityNetwork as CityNetwork,
    CityNetworkBuilder as CityNetworkBuilder,
    NodeArrays as NodeArrays,
    NodeKind as NodeKind,
    Relation as Relation,
    RelationKind as RelationKind,
    haversine_km as haversine_km,
    proximity_pairs as proximity_pairs,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "Adoption",
    "CityNetwork",
    "CityNetworkBuilder",
    "NodeArrays",
    "NodeKind",
    "Relation",
    "RelationKind",
    "haversine_km",
    "proximity_pairs",
]
