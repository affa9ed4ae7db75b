"""What every analysis of the city network shares: relation-kind filters and the networkx call.

Public names in a private module: the analysis modules import them from here, and nothing outside
:mod:`civicinnov.network` needs them.

Example:
    >>> from civicinnov.network._graph import CityNetwork
    >>> import networkx as nx
    >>> call_networkx("reach", nx.single_source_shortest_path_length, nx.path_graph(3), 0,
    ...               backend=None, backend_kwargs={})
    {0: 0, 1: 1, 2: 2}
    >>> restricted(CityNetwork(), None, "reach")
    Traceback (most recent call last):
    ...
    civicinnov.errors.NetworkError: reach: the relation view (kinds=all; start=open; end=open) holds no relations; expected at least one
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypeAlias, TypeVar

from civicinnov.errors import NetworkError
from civicinnov.network._graph import CityNetwork, RelationKind

__all__ = ["Kinds", "SpreadModel", "call_networkx", "restricted"]

_T = TypeVar("_T")

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


def call_networkx(
    what: str,
    function: Callable[..., _T],
    /,
    *args: Any,
    backend: str | None,
    backend_kwargs: Mapping[str, Any],
    **kwargs: Any,
) -> _T:
    """Call a networkx ``function``, on ``backend`` with its options when one is named.

    Without a backend networkx chooses as it is configured (its ``backend_priority`` included).
    A named backend that is not installed, does not load, or does not implement ``function`` is
    refused with a :class:`~civicinnov.errors.NetworkError` that says so and what to do, instead of
    networkx's ``ImportError`` or ``NotImplementedError``.

    Parameters:
        what: The analysis, named in errors.
        function: The networkx function (looked up when the analysis runs).
        *args: Its positional arguments.
        backend: The networkx backend to run it (``"parallel"``, ``"cugraph"``), or ``None``.
        backend_kwargs: That backend's options, passed on as keyword arguments.
        **kwargs: The function's own keyword arguments.

    Returns:
        What ``function`` returns.

    Raises:
        NetworkError: ``backend`` cannot run ``function``.

    Example:
        >>> import networkx as nx
        >>> call_networkx("brokers", nx.betweenness_centrality, nx.path_graph(3),
        ...               backend="no-such-backend", backend_kwargs={})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.NetworkError: brokers: the networkx backend 'no-such-backend' is not installed (installed: ...)
    """
    options = {**kwargs, **backend_kwargs}
    with warnings.catch_warnings():
        # networkx keeps a backend's copy of a graph on the graph and warns, on reuse, that the
        # copy is stale if the graph was changed by hand; a city network's graph is frozen
        warnings.filterwarnings("ignore", _CACHE_WARNING, UserWarning)
        if backend is None:
            return function(*args, **options)
        try:
            return function(*args, backend=backend, **options)
        except NotImplementedError as exc:
            raise _unable(what, backend, function) from exc
        except ImportError as exc:
            raise _not_loaded(what, backend, exc) from exc


_CACHE_WARNING = "Note: conversions to backend graphs are saved to cache"


def _unable(what: str, backend: str, function: Callable[..., Any]) -> NetworkError:
    name = getattr(function, "name", getattr(function, "__name__", repr(function)))
    return NetworkError(
        f"{what}: the networkx backend {backend!r} does not implement {name}; run it without "
        f"backend=, or add {backend!r} to networkx's config.backend_priority so that networkx "
        "uses it where it can and runs the rest itself"
    )


def _not_loaded(what: str, backend: str, exc: ImportError) -> NetworkError:
    import networkx as nx  # noqa: PLC0415 - only this error message needs the backend list

    installed = sorted(getattr(nx.utils.backends, "backends", {}))
    if backend not in installed:
        return NetworkError(
            f"{what}: the networkx backend {backend!r} is not installed (installed: "
            f"{', '.join(installed) or 'none'})"
        )
    return NetworkError(
        f"{what}: the networkx backend {backend!r} is installed but does not load with "
        f"networkx {nx.__version__}: {exc}"
    )
