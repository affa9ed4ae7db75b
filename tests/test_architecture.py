"""The house holds: no import circle between modules, and no module reaches into another's privates.

The layer order itself is a contract checked by import-linter in CI (``[tool.importlinter]`` in
pyproject.toml); these tests check what import-linter does not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import civicinnov

SRC = Path(civicinnov.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """Every ``civicinnov`` import in a module (type-only and function-level ones included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("civicinnov")
        ):
            found.append((node.module, tuple(a.name for a in node.names), node.lineno))
        elif isinstance(node, ast.Import):
            found.extend(
                (a.name, (), node.lineno) for a in node.names if a.name.startswith("civicinnov")
            )
    return found


def test_no_import_circle_between_modules() -> None:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for target, names, _ in _imports(path):
            # ``from pkg import submodule`` points at the submodule
            hits = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            for hit in hits or [target]:
                if hit != name:
                    graph.add_edge(name, hit)
    cycles = sorted(sorted(c) for c in nx.simple_cycles(graph))
    assert cycles == []


def test_no_module_imports_a_private_name_of_another() -> None:
    offenders = []
    for name, path in _modules().items():
        for target, names, line in _imports(path):
            private = [
                n
                for n in names
                if n.startswith("_")
                and n != "_values"
                and not (n.startswith("__") and n.endswith("__"))
            ]
            if private and target != name:
                offenders.append(f"{path.relative_to(SRC)}:{line}: {target} {private}")
    assert offenders == []
