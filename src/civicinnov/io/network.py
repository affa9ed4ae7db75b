"""City networks in files: node-link JSON (lossless), GraphML (exchange) and GEXF (Gephi export).

* Node-link JSON is the canonical, lossless format: :func:`to_node_link` / :func:`from_node_link`
  (a dict), :func:`dumps_network` / :func:`loads_network` (text), :func:`write_network_json` /
  :func:`read_network_json` (files). The document carries ``schema_version``
  (:data:`NETWORK_SCHEMA_VERSION`) and ``format`` (:data:`NETWORK_FORMAT`); the graph part is
  networkx's node-link data (:func:`networkx.node_link_data`) with the endpoint fields named
  ``end_a``/``end_b`` so that they never collide with the ``source``/``target`` edge attributes
  that keep a relation's direction.
* GraphML (:func:`write_graphml`, :func:`read_graphml`) is an exchange format for yEd, Gephi and
  Cytoscape; every attribute is a scalar, so it round-trips. GEXF (:func:`write_gexf`) is an export
  for Gephi only: the format has no graph attributes, and networkx reads a GEXF multigraph back
  with numbered edge ids in place of relation keys, so there is no reader here.
* Plain networkx: :func:`to_networkx` returns a writable copy of the multigraph and
  :meth:`CityNetwork.from_nx <civicinnov.network.CityNetwork.from_nx>` wraps one back.

**Reading hostile files.** Every reader raises only :class:`~civicinnov.errors.CivicError`
(:class:`~civicinnov.errors.SerializationError`), whose message starts with the file name (or the
``source`` given) and names the place inside the document: a ``$.graph.nodes[3].id`` path in JSON,
an element such as ``/graphml/graph/node[4]`` in GraphML. Files go through the package's one file
layer (``civicinnov.io._files``): a missing file, a directory, bytes that are not UTF-8 (a BOM is
fine), nesting deeper than the format needs (bounded before the JSON parser runs), ``NaN``: each
is such an error. A node-link document is checked whole before anything is built, and every
problem found is listed (:attr:`~civicinnov.errors.CivicError.problems`): nodes or edges that are
not objects, attributes that are not JSON scalars (lists, objects, non-finite numbers), unknown
ends, and **duplicate** node ids or relations (the same key between the same two nodes), which are
reported rather than merged. GraphML with a document type declaration (entities) is refused.

**Writing** is atomic: the text is written beside the target and renamed over it, so a crash or a
full disk leaves the previous file intact.

Example:
    >>> from civicinnov.network import CityNetworkBuilder, Relation
    >>> b = CityNetworkBuilder()
    >>> b.add_city("a", country="US"); b.add_city("b", country="FR")
    >>> _ = b.add_relation(Relation(kind="partnership", source="a", target="b"))
    >>> net = b.build()
    >>> loads_network(dumps_network(net)) == net
    True
    >>> loads_network('{"schema_version": 1, "format": "civicinnov.city_network", "graph": '
    ...               '{"directed": false, "multigraph": true, "graph": {}, "nodes": ["x"], '
    ...               '"edges": []}}', source="net.json")
    Traceback (most recent call last):
    ...
    civicinnov.errors.SerializationError: net.json: $.graph.nodes[0]: expected an object, got str 'x'
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx
from networkx import MultiGraph

from civicinnov.errors import CivicError, SchemaVersionError, SerializationError
from civicinnov.io._files import (
    decode_text,
    parse_json,
    read_bytes,
    write_bytes_atomic,
    write_text_atomic,
)
from civicinnov.network import CityNetwork, Relation

__all__ = [
    "NETWORK_FORMAT",
    "NETWORK_SCHEMA_VERSION",
    "dumps_network",
    "from_node_link",
    "loads_network",
    "read_graphml",
    "read_network_json",
    "to_networkx",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_network_json",
]

#: The version of the node-link document this release writes and reads.
NETWORK_SCHEMA_VERSION = 1
#: The ``format`` field of a city-network document.
NETWORK_FORMAT = "civicinnov.city_network"

#: A node-link document nests four levels (document, graph, node list, node); a little slack.
_MAX_DEPTH = 8
#: Problems listed in full in one error's ``problems``; the message shows the first few.
_MAX_PROBLEMS = 100
_SHOWN = 5

_LINK_NAMES: dict[str, str] = {"source": "end_a", "target": "end_b", "name": "id", "key": "key"}
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")


def to_node_link(network: CityNetwork) -> dict[str, Any]:
    """The network as a JSON-ready node-link document.

    Parameters:
        network: The city network to write out.

    Returns:
        A dict with ``schema_version``, ``format`` (:data:`NETWORK_FORMAT`) and ``graph``, the
        multigraph in networkx's node-link form (links under ``edges``).

    Example:
        >>> doc = to_node_link(CityNetwork())
        >>> doc["schema_version"], doc["format"], doc["graph"]["multigraph"]
        (1, 'civicinnov.city_network', True)
    """
    data = nx.node_link_data(network.nx, edges="edges", **_LINK_NAMES)
    return {"schema_version": NETWORK_SCHEMA_VERSION, "format": NETWORK_FORMAT, "graph": data}


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _scalar_problem(value: Any, where: str) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where}: {value!r}; expected a finite number"
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return f"{where}: expected a JSON scalar (text, a finite number or a boolean), got {_describe(value)}"
    return None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, problem: str | None) -> None:
        if problem is not None and len(self.items) < _MAX_PROBLEMS:
            self.items.append(problem)

    @property
    def full(self) -> bool:
        return len(self.items) >= _MAX_PROBLEMS


def _check_nodes(nodes: list[Any], problems: _Problems) -> dict[str, int]:
    first_at: dict[str, int] = {}
    for k, node in enumerate(nodes):
        where = f"$.graph.nodes[{k}]"
        if problems.full:
            break
        if not isinstance(node, dict):
            problems.add(f"{where}: expected an object, got {_describe(node)}")
            continue
        node_id = node.get("id")
        if not isinstance(node_id, str) or not _SLUG.match(node_id):
            problems.add(
                f"{where}.id: {node_id!r} is not an id; expected a slug such as 'new-orleans'"
            )
            continue
        if node_id in first_at:
            problems.add(
                f"{where}.id: {node_id!r} appears again (first at "
                f"$.graph.nodes[{first_at[node_id]}]); duplicate nodes are not merged"
            )
            continue
        first_at[node_id] = k
        if node.get("kind") not in ("city", "organisation", "country"):
            problems.add(
                f"{where}.kind: {node.get('kind')!r}; expected 'city', 'organisation' or 'country'"
            )
        for name, value in node.items():
            problems.add(_scalar_problem(value, f"{where}.{name}"))
    return first_at


def _check_edges(edges: list[Any], nodes: Mapping[str, int], problems: _Problems) -> None:
    first_at: dict[tuple[str, str, str], int] = {}
    for k, edge in enumerate(edges):
        where = f"$.graph.edges[{k}]"
        if problems.full:
            break
        if not isinstance(edge, dict):
            problems.add(f"{where}: expected an object, got {_describe(edge)}")
            continue
        bad = [_scalar_problem(v, f"{where}.{name}") for name, v in edge.items()]
        if any(bad):
            for problem in bad:
                problems.add(problem)
            continue
        ends = []
        for name in ("end_a", "end_b"):
            end = edge.get(name)
            if not isinstance(end, str) or end not in nodes:
                problems.add(f"{where}.{name}: {end!r} is not the id of a node in $.graph.nodes")
            else:
                ends.append(end)
        key = edge.get("key")
        if not isinstance(key, str):
            problems.add(f"{where}.key: expected text such as 'exchange:-', got {_describe(key)}")
        attributes = {n: v for n, v in edge.items() if n not in ("end_a", "end_b", "key")}
        try:
            relation = Relation.from_attributes(attributes)
        except CivicError as exc:
            problems.add(f"{where}: {exc}")
            continue
        if len(ends) != 2 or not isinstance(key, str):
            continue
        if {relation.source, relation.target} != set(ends):
            problems.add(
                f"{where}: source/target {relation.source!r}, {relation.target!r} are not its ends "
                f"{ends[0]!r}, {ends[1]!r}"
            )
            continue
        a, b = sorted(ends)
        if (a, b, key) in first_at:
            problems.add(
                f"{where}: relation {key!r} between {a!r} and {b!r} appears again (first at "
                f"$.graph.edges[{first_at[(a, b, key)]}]); duplicate relations are not merged"
            )
            continue
        first_at[(a, b, key)] = k


def _raise(problems: list[str], source: str) -> None:
    listed = [f"{source}: {p}" for p in problems]
    if len(listed) == 1:
        raise SerializationError(listed[0], problems=listed)
    more = f"; and {len(listed) - _SHOWN} more" if len(listed) > _SHOWN else ""
    raise SerializationError(
        f"{source}: {len(listed)} problems: " + "; ".join(problems[:_SHOWN]) + more,
        problems=listed,
    )


def from_node_link(document: Any, *, source: str = "<document>") -> CityNetwork:
    """Rebuild a network from :func:`to_node_link` output, checking all of it first.

    Parameters:
        document: The parsed JSON value, as :func:`to_node_link` writes it.
        source: The name that starts every error message; ``"<document>"`` by default.

    Returns:
        The network the document describes.

    Raises:
        SchemaVersionError: a ``schema_version`` other than :data:`NETWORK_SCHEMA_VERSION`.
        SerializationError: anything else wrong with the document; the message starts with
            ``source`` and gives the ``$.path`` of every problem (all are in ``problems``).

    Example:
        >>> from_node_link({"schema_version": 9, "format": NETWORK_FORMAT, "graph": {}})
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: <document>: $.schema_version: this release reads version 1, got 9
    """
    if not isinstance(document, dict):
        raise SerializationError(f"{source}: $: expected a JSON object, got {_describe(document)}")
    version = document.get("schema_version")
    if isinstance(version, bool) or version != NETWORK_SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{source}: $.schema_version: this release reads version {NETWORK_SCHEMA_VERSION}, "
            f"got {version!r}"
        )
    if document.get("format") != NETWORK_FORMAT:
        raise SerializationError(
            f"{source}: $.format: expected {NETWORK_FORMAT!r}, got {document.get('format')!r}"
        )
    extra = sorted(set(document) - {"schema_version", "format", "graph"})
    if extra:
        raise SerializationError(f"{source}: $: unexpected field(s) {', '.join(map(repr, extra))}")
    data = document.get("graph")
    if not isinstance(data, dict) or data.get("multigraph") is not True or data.get("directed"):
        raise SerializationError(
            f"{source}: $.graph: expected an undirected multigraph in node-link form "
            "(multigraph: true, directed: false)"
        )
    problems = _Problems()
    extra = sorted(set(data) - {"directed", "multigraph", "graph", "nodes", "edges"})
    if extra:
        problems.add(f"$.graph: unexpected field(s) {', '.join(map(repr, extra))}")
    attributes = data.get("graph", {})
    nodes = data.get("nodes", [])
    edges = data.get("edges", [])
    if not isinstance(attributes, dict):
        problems.add(f"$.graph.graph: expected an object, got {_describe(attributes)}")
    else:
        for name, value in attributes.items():
            problems.add(_scalar_problem(value, f"$.graph.graph.{name}"))
    for name, value in (("nodes", nodes), ("edges", edges)):
        if not isinstance(value, list):
            problems.add(f"$.graph.{name}: expected a list, got {_describe(value)}")
    if problems.items:
        _raise(problems.items, source)
    known = _check_nodes(nodes, problems)
    _check_edges(edges, known, problems)
    if problems.items:
        _raise(problems.items, source)
    graph: MultiGraph[str] = nx.MultiGraph()
    graph.graph.update(attributes)
    graph.add_nodes_from((n["id"], {k: v for k, v in n.items() if k != "id"}) for n in nodes)
    loose: Any = graph  # the stubs do not describe (u, v, key, data) tuples
    loose.add_edges_from(
        (
            e["end_a"],
            e["end_b"],
            e["key"],
            {k: v for k, v in e.items() if k not in ("end_a", "end_b", "key")},
        )
        for e in edges
    )
    return _wrap(graph, f"{source}: $.graph")


def _wrap(graph: Any, where: str) -> CityNetwork:
    try:
        return CityNetwork.from_nx(graph)
    except CivicError as exc:
        raise SerializationError(f"{where}: {exc}") from None


def dumps_network(network: CityNetwork, *, indent: int | None = None) -> str:
    """The network as node-link JSON text (keys sorted, so equal networks give equal text).

    Parameters:
        network: The city network to write out.
        indent: Spaces per nesting level; ``None`` (the default) writes one line.

    Returns:
        The node-link document as JSON text, keys sorted.

    Example:
        >>> dumps_network(CityNetwork())[:40]
        '{"format": "civicinnov.city_network", "g'
    """
    return json.dumps(to_node_link(network), indent=indent, sort_keys=True, allow_nan=False)


def loads_network(text: str | bytes, *, source: str = "<string>") -> CityNetwork:
    """Read a network from node-link JSON text or UTF-8 bytes.

    Parameters:
        text: The JSON text, or its UTF-8 bytes.
        source: The name that starts every error message; ``"<string>"`` by default.

    Returns:
        The network the document describes.

    Raises:
        SchemaVersionError: a document of another schema version.
        SerializationError: text that is not JSON or not a city-network document.

    Example:
        >>> loads_network("[1, 2]")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: <string>: $: expected a JSON object, got list [1, 2]
        >>> loads_network("[" * 5000 + "]" * 5000, source="deep.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: deep.json: not readable JSON: nested 5000 levels deep; this reader accepts at most 8
    """
    return from_node_link(parse_json(text, source=source, max_depth=_MAX_DEPTH), source=source)


def write_network_json(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write node-link JSON to ``path`` (UTF-8, atomically).

    Parameters:
        network: The city network to write out.
        path: The file to write (created or replaced atomically).

    Raises:
        SerializationError: the file cannot be written (the previous one is then unchanged).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.json"
        >>> write_network_json(CityNetwork(), p); read_network_json(p) == CityNetwork()
        True
    """
    write_text_atomic(path, dumps_network(network, indent=1) + "\n")


def read_network_json(path: str | os.PathLike[str]) -> CityNetwork:
    """Read node-link JSON written by :func:`write_network_json`.

    Parameters:
        path: The JSON file to read; its name starts every error message.

    Returns:
        The network the file describes.

    Raises:
        SchemaVersionError: a document of another schema version.
        SerializationError: a file that cannot be read or is not a city-network document; the
            message names the file and the path inside it.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.json"
        >>> _ = p.write_text("{}")
        >>> read_network_json(p)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: ...net.json: $.schema_version: this release reads version 1, got None
    """
    return loads_network(read_bytes(path), source=os.fspath(path))


def to_networkx(network: CityNetwork) -> MultiGraph[str]:
    """A plain, writable networkx copy of the network's multigraph.

    Parameters:
        network: The city network to copy.

    Returns:
        A new :class:`networkx.MultiGraph` with the network's nodes, relations and graph
        attributes; changing it leaves ``network`` as it was.

    Example:
        >>> g = to_networkx(CityNetwork()); g.add_node("x")
        >>> type(g).__name__, g.number_of_nodes()
        ('MultiGraph', 1)
    """
    g: MultiGraph[str] = nx.MultiGraph(network.nx)
    g.graph = dict(network.nx.graph)
    return g


def write_graphml(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write GraphML (for yEd, Gephi, Cytoscape) atomically; attributes keep their scalar types.

    Parameters:
        network: The city network to write out.
        path: The file to write (created or replaced atomically).

    Raises:
        SerializationError: the file cannot be written (the previous one is then unchanged).

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder(); b.add_city("a", lat=1.0, lon=2.0); b.add_city("b")
        >>> _ = b.add_relation(Relation(kind="exchange", source="b", target="a"))
        >>> net = b.build()
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.graphml"
        >>> write_graphml(net, p)
        >>> read_graphml(p) == net
        True
    """
    buffer = io.BytesIO()
    nx.write_graphml(network.nx, buffer)
    write_bytes_atomic(path, buffer.getvalue())


_GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def _graphml_duplicates(root: Any) -> list[str]:
    problems: list[str] = []
    for g_pos, graph in enumerate(root.iter(f"{_GRAPHML_NS}graph"), start=1):
        seen_nodes: dict[str, int] = {}
        seen_edges: dict[tuple[str, str, str], int] = {}
        node_pos = edge_pos = 0
        for child in graph:
            if child.tag == f"{_GRAPHML_NS}node":
                node_pos += 1
                node_id = child.get("id")
                where = f"/graphml/graph[{g_pos}]/node[{node_pos}]"
                if node_id in seen_nodes:
                    problems.append(
                        f"{where}: node {node_id!r} appears again (first at node"
                        f"[{seen_nodes[node_id]}]); duplicate nodes are not merged"
                    )
                elif node_id is not None:
                    seen_nodes[node_id] = node_pos
            elif child.tag == f"{_GRAPHML_NS}edge":
                edge_pos += 1
                a, b = sorted((child.get("source") or "", child.get("target") or ""))
                edge_id = child.get("id")
                if edge_id is None:
                    continue
                where = f"/graphml/graph[{g_pos}]/edge[{edge_pos}]"
                if (a, b, edge_id) in seen_edges:
                    problems.append(
                        f"{where}: relation {edge_id!r} between {a!r} and {b!r} appears again "
                        f"(first at edge[{seen_edges[(a, b, edge_id)]}]); duplicate relations "
                        "are not merged"
                    )
                else:
                    seen_edges[(a, b, edge_id)] = edge_pos
    return problems


def read_graphml(path: str | os.PathLike[str]) -> CityNetwork:
    """Read GraphML written by :func:`write_graphml`.

    Parameters:
        path: The GraphML file to read; its name starts every error message.

    Returns:
        The network the file describes.

    Raises:
        SerializationError: a file that cannot be read, is not GraphML, declares a document type
            (entities are refused), repeats a node or relation, or breaks the network's
            conventions; the message names the file and the element.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.graphml"
        >>> _ = p.write_text("not xml")
        >>> read_graphml(p)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: ...bad.graphml: not GraphML (...)
    """
    from xml.etree import ElementTree  # noqa: PLC0415 - only GraphML reading parses XML

    source = os.fspath(path)
    data = read_bytes(path)
    text = decode_text(data, source=source)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise SerializationError(
            f"{source}: a document type declaration is not accepted in GraphML (entities could "
            "expand without bound); expected plain GraphML as write_graphml writes it"
        )
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise SerializationError(f"{source}: not GraphML ({exc})") from None
    duplicates = _graphml_duplicates(root)
    if duplicates:
        _raise(duplicates, source)
    try:
        graph = nx.parse_graphml(text, force_multigraph=True)
    except Exception as exc:  # networkx raises several unrelated types on malformed GraphML
        raise SerializationError(f"{source}: not GraphML ({exc!r})") from None
    for extra in ("node_default", "edge_default"):
        graph.graph.pop(extra, None)
    if graph.is_directed():
        raise SerializationError(
            f"{source}: /graphml/graph[1]: edgedefault is 'directed'; expected an undirected "
            "graph as write_graphml writes it"
        )
    return _wrap(graph, source)


def write_gexf(network: CityNetwork, path: str | os.PathLike[str]) -> None:
    """Write GEXF 1.2 (Gephi) atomically.

    Parameters:
        network: The city network to write out.
        path: The file to write (created or replaced atomically).

    Raises:
        SerializationError: the file cannot be written (the previous one is then unchanged).

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
        >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.gexf"
        >>> write_gexf(b.build(), p)
        >>> import networkx as nx
        >>> sorted(nx.read_gexf(p).edges(data="kind"))
        [('a', 'b', 'exchange')]
    """
    buffer = io.BytesIO()
    nx.write_gexf(network.nx, buffer)
    write_bytes_atomic(path, buffer.getvalue())
