"""Reading and writing a :class:`~civicinnov.network.graph.CityNetwork`.

* Node-link JSON is the canonical, lossless format: :func:`to_node_link` / :func:`from_node_link`
  (a dict), :func:`dumps` / :func:`loads` (text), :func:`write_json` / :func:`read_json` (files). The
  document carries ``schema_version`` and ``format``; the graph part is networkx's node-link data
  (:func:`networkx.node_link_data`) with the endpoint fields named ``end_a``/``end_b`` so that they
  never collide with the ``source``/``target`` edge attributes that keep a relation's direction.
* GraphML (:func:`write_graphml`, :func:`read_graphml`) is an exchange format for yEd, Gephi and
  Cytoscape; every attribute is a scalar, so it round-trips. GEXF (:func:`write_gexf`) is an export
  for Gephi only: the format has no graph attributes, and networkx reads a GEXF multigraph back
  with numbered edge ids in place of relation keys, so there is no reader here.
* Plain networkx: :func:`to_networkx` returns a copy of the multigraph and
  :meth:`CityNetwork.from_nx <civicinnov.network.graph.CityNetwork.from_nx>` wraps one back.

Example:
    >>> from civicinnov.network.graph import CityNetwork, Relation
    >>> net = CityNetwork()
    >>> net.add_city("a", country="US"); net.add_city("b", country="FR")
    >>> _ = net.add_relation(Relation(kind="partnership", source="a", target="b"))
    >>> loads(dumps(net)) == net
    True
"""

from __future__ import annotations

import json
import os
from typing import Any

import networkx as nx
from networkx import MultiGraph

from civicinnov.errors import (
    CivicError,
    SchemaVersionError,
    SerializationError,
)
from civicinnov.network.graph import CityNetwork

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "dumps",
    "from_node_link",
    "loads",
    "read_graphml",
    "read_json",
    "to_networkx",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_json",
]

#: The version of the node-link document this release writes and reads.
SCHEMA_VERSION = 1
#: The ``format`` field of a city-network document.
FORMAT = "civicinnov.city_network"

_LINK_NAMES: dict[str, str] = {"source": "end_a", "target": "end_b", "name": "id", "key": "key"}


def to_node_link(network: CityNetwork) -> dict[str, Any]:
    """The network as a JSON-ready node-link document.

    Example:
        >>> doc = to_node_link(CityNetwork())
        >>> doc["schema_version"], doc["format"], doc["graph"]["multigraph"]
        (1, 'civicinnov.city_network', True)
    """
    data = nx.node_link_data(network.nx, edges="edges", **_LINK_NAMES)
    return {"schema_version": SCHEMA_VERSION, "format": FORMAT, "graph": data}


def from_node_link(document: Any) -> CityNetwork:
    """Rebuild a network from :func:`to_node_link` output, checking it on the way.

    Raises:
        SchemaVersionError: a ``schema_version`` other than :data:`SCHEMA_VERSION`.
        SerializationError: anything else wrong with the document; the message gives the path.

    Example:
        >>> from_node_link({"schema_version": 9, "format": FORMAT, "graph": {}})
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: $.schema_version: this release reads version 1, got 9
    """
    if not isinstance(document, dict):
        raise SerializationError(f"$: expected a JSON object, got {type(document).__name__}")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"$.schema_version: this release reads version {SCHEMA_VERSION}, got {version!r}"
        )
    if document.get("format") != FORMAT:
        raise SerializationError(f"$.format: expected {FORMAT!r}, got {document.get('format')!r}")
    extra = sorted(set(document) - {"schema_version", "format", "graph"})
    if extra:
        raise SerializationError(f"$: unexpected field(s) {', '.join(map(repr, extra))}")
    data = document.get("graph")
    if not isinstance(data, dict) or data.get("multigraph") is not True or data.get("directed"):
        raise SerializationError(
            "$.graph: expected an undirected multigraph in node-link form "
            "(multigraph: true, directed: false)"
        )
    try:
        graph = nx.node_link_graph(data, edges="edges", **_LINK_NAMES)
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise SerializationError(f"$.graph: not node-link data ({exc!r})") from None
    return _wrap(graph, "$.graph")


def _wrap(graph: Any, where: str) -> CityNetwork:
    try:
        return CityNetwork.from_nx(graph)
    except CivicError as exc:
        raise SerializationError(f"{where}: {exc}") from None


def dumps(network: CityNetwork, *, indent: int | None = None) -> str:
    """The network as node-link JSON text (keys sorted, so equal networks give equal text).

    Example:
        >>> dumps(CityNetwork())[:40]
        '{"format": "civicinnov.city_network", "g'
    """
    return json.dumps(to_node_link(network), indent=indent, sort_keys=True, allow_nan=False)


def loads(text: str | bytes) -> CityNetwork:
    """Read a network from node-link JSON text.

    Raises:
        SerializationError: text that is not JSON or not a city-network document.

    Example:
        >>> loads("[1, 2]")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: $: expected a JSON object, got list
    """
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise SerializationError(f"$: not JSON ({exc})") from None
    return from_node_link(document)


def write_json(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write node-link JSON to ``path`` (UTF-8).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.json"
        >>> write_json(CityNetwork(), p); read_json(p) == CityNetwork()
        True
    """
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(network, indent=1))


def read_json(path: str | os.PathLike[str]) -> CityNetwork:
    """Read node-link JSON written by :func:`write_json`.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.json"
        >>> _ = p.write_text("{}")
        >>> read_json(p)
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: $.schema_version: this release reads version 1, got None
    """
    with open(path, encoding="utf-8") as fh:
        return loads(fh.read())


def to_networkx(network: CityNetwork) -> MultiGraph[str]:
    """A plain networkx copy of the network's multigraph.

    Example:
        >>> type(to_networkx(CityNetwork())).__name__
        'MultiGraph'
    """
    g: MultiGraph[str] = nx.MultiGraph(network.nx)
    g.graph = dict(network.nx.graph)
    return g


def write_graphml(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write GraphML (for yEd, Gephi, Cytoscape); attributes keep their scalar types.

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.network.graph import Relation
        >>> net = CityNetwork(); net.add_city("a", lat=1.0, lon=2.0); net.add_city("b")
        >>> _ = net.add_relation(Relation(kind="exchange", source="b", target="a"))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
        >>> write_graphml(net, p)
        >>> read_graphml(p) == net
        True
    """
    nx.write_graphml(network.nx, path)


def read_graphml(path: str | os.PathLike[str]) -> CityNetwork:
    """Read GraphML written by :func:`write_graphml`.

    Raises:
        SerializationError: a file that is not GraphML or breaks the network's conventions.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.graphml"
        >>> _ = p.write_text("not xml")
        >>> read_graphml(p)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: ...bad.graphml: not GraphML (...)
    """
    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except Exception as exc:  # the XML parser and networkx raise several unrelated types
        raise SerializationError(f"{os.fspath(path)}: not GraphML ({exc!r})") from None
    for extra in ("node_default", "edge_default"):
        graph.graph.pop(extra, None)
    return _wrap(graph, os.fspath(path))


def write_gexf(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write GEXF 1.2 (Gephi).

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.network.graph import Relation
        >>> net = CityNetwork(); net.add_city("a"); net.add_city("b")
        >>> _ = net.add_relation(Relation(kind="exchange", source="a", target="b"))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.gexf"
        >>> write_gexf(net, p)
        >>> import networkx as nx
        >>> sorted(nx.read_gexf(p).edges(data="kind"))
        [('a', 'b', 'exchange')]
    """
    nx.write_gexf(network.nx, path)
