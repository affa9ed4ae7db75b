"""Files and documents: portfolio JSON with its schema, observations CSV, the cattrs converter.

Import from ``civicinnov.io``:

- portfolio documents: :func:`load_portfolio`, :func:`save_portfolio`, :func:`loads_portfolio`,
  :func:`dumps_portfolio` (JSON with a ``schema_version``, migrations, atomic saves), and
  :func:`load_schema` (the published JSON Schema);
- observations: :func:`read_observations`, :func:`parse_observations`, :func:`write_observations`;
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
from civicinnov.io.schema import load_schema
from civicinnov.io.serde import new_converter

__all__ = [
    "SCHEMA_VERSION",
    "dumps_portfolio",
    "from_document",
    "load_portfolio",
    "load_schema",
    "loads_portfolio",
    "new_converter",
    "parse_observations",
    "read_observations",
    "save_portfolio",
    "to_document",
    "write_observations",
]
