"""What every analysis of the city network shares: relation-kind filters and backend options.

Public names in a private module: the analysis modules import them from here, and nothing outside
:mod:`civicinnov.network` needs them.

Example:
    >>> from civicinnov.network._graph import CityNetwork
    >>> backend_options("parallel", {"n_jobs": 2})
    {'n_jobs': 2, 'backend': 'parallel'}
    >>> restricted(CityNetwork(), None, "reach")
    Traceback (most recent call last):
    ...
    civicinnov.errors.NetworkError: reach: the relation view (kinds=all; start=open; end=open) holds no relations; expected at least one
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias

from civicinnov.errors import NetworkError
from civicinnov.network._graph import CityNetwork, RelationKind

__all__ = ["Kinds", "SpreadModel", "backend_options", "restricted"]

#: Relation kinds an analysis keeps: one kind, several, or ``None`` for all.
Kinds: TypeAlias = Iterable[RelationKind | str] | RelationKind | str | None
#: The spread models of :func:`~civicinnov.network.simulate_spread`.
SpreadModel: TypeAlias = Literal["independent_cascade", "linear_threshold"]


def restricted(network: CityNetwork, kinds: Kinds, what: str) -> CityNetwork:
    """``network`` restricted to ``kinds`` (all when ``None``), refusing a view without relations.

    Raises:
        NetworkError: the view holds no relations; the message quotes the view.

    Example:
        >>> restricted(CityNetwork(), "exchange", "brokers")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.NetworkError: brokers: the relation view (kinds=exchange; ...) holds no relations; expected at least one
    """
    net = network.view(kinds=kinds) if kinds is not None else network
    if net.number_of_relations() == 0:
        described = net.graph_attributes().get("view", "kinds=all; start=open; end=open")
        raise NetworkError(
            f"{what}: the relation view ({described}) holds no relations; expected at least one"
        )
    return net


def backend_options(backend: str | None, backend_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments that pass ``backend`` and its options on to a networkx function.

    Example:
        >>> backend_options(None, {})
        {}
    """
    kw = dict(backend_kwargs)
    if backend is not None:
        kw["backend"] = backend
    return kw
