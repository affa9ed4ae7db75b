"""civicinnov: typed models of city-government innovation, the Innovation Teams way.

The house, one floor on another; an import only points down (checked in CI by import-linter)::

    cli · render · plot · datasets · io          the edges: files, reports, people
    programme                                    the aggregate: records, Portfolio, checks,
                                                 roll-ups, the report model
    evaluation   ·   network                     the analytic wings; neither imports the other
    metrics                                      definitions, catalogue, series, targets
    model                                        cities, programmes, challenges, initiatives,
                                                 the method's phases and gates, evidence
    errors · units · money · periods · _values   the ground floor

This package is the newcomer's face: the few dozen names needed first, listed once in
``__init__.pyi`` and each imported from its layer's face the first time it is used, so
``import civicinnov`` loads none of pint, scipy, networkx or cattrs and builds no unit registry.
Everything else comes from its subpackage (``from civicinnov.model import Step``).

Example:
    >>> import civicinnov
    >>> civicinnov.Period.parse("2024-Q1").days
    91
    >>> "Portfolio" in civicinnov.__all__, "Step" in civicinnov.__all__
    (True, False)
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any


def _exports() -> dict[str, str]:
    # The one list of the root's names is the stub beside this file (read by mypy as well).
    tree = ast.parse((Path(__file__).parent / "__init__.pyi").read_text(encoding="utf-8"))
    return {
        alias.asname or alias.name: str(node.module)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


_EXPORTS: dict[str, str] = _exports()
__all__ = sorted(_EXPORTS)  # noqa: PLE0605 - the one list is the stub, read at import


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        if name == "__version__":
            from importlib.metadata import version  # noqa: PLC0415 - only when asked for

            return version("civicinnov")
        raise AttributeError(f"module 'civicinnov' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
