"""Files and documents: portfolio JSON with its schema, observations CSV, the cattrs converter.

Import from ``civicinnov.io``:

- portfolio documents: :func:`load_portfolio`, :func:`save_portfolio`, :func:`loads_portfolio`,
  :func:`dumps_portfolio` (JSON with a ``schema_version``, migrations, atomic saves), and
  :func:`load_schema` (the published JSON Schema);
- observations: :func:`read_observations`, :func:`parse_observations`, :func:`write_observations`;
- the city network as files: :func:`read_network_json`, :func:`write_network_json`,
  :func:`loads_network`, :func:`dumps_network` (node-link JSON), :func:`read_graphml`,
  :func:`write_graphml` and :func:`write_gexf`, all through one file layer (atomic writes that keep
  a symlink and the file's mode, and errors that name the file and the ``$.path``);
- the package-owned cattrs converter: :func:`new_converter`.

This package is an edge of the house: it reads and writes files for every layer below it.

Example:
    >>> from civicinnov.programme import Portfolio
    >>> loads_portfolio(dumps_portfolio(Portfolio(name="Demo"))).name
    'Demo'
"""

from civicinnov.io.csv import parse_observations, read_observations, write_observations
from civicinnov.io.json import (
    SCHEMA_VERSION,
    dumps_portfolio,
    from_document,
    load_portfolio,
    loads_portfolio,
    save_portfolio,
    to_document,
)
from civicinnov.io.network import (
    NETWORK_FORMAT,
    NETWORK_SCHEMA_VERSION,
    dumps_network,
    from_node_link,
    loads_network,
    read_graphml,
    read_network_json,
    to_networkx,
    to_node_link,
    write_gexf,
    write_graphml,
    write_network_json,
)
from civicinnov.io.schema import load_schema
from civicinnov.io.serde import new_converter

__all__ = [
    "NETWORK_FORMAT",
    "NETWORK_SCHEMA_VERSION",
    "SCHEMA_VERSION",
    "dumps_network",
    "dumps_portfolio",
    "from_document",
    "from_node_link",
    "load_portfolio",
    "load_schema",
    "loads_network",
    "loads_portfolio",
    "new_converter",
    "parse_observations",
    "read_graphml",
    "read_network_json",
    "read_observations",
    "save_portfolio",
    "to_document",
    "to_networkx",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_network_json",
    "write_observations",
]
