"""The public face: every exported name resolves, imports stay cheap, packaging ships py.typed."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import civicinnov

INIT = Path(civicinnov.__file__)


def test_all_matches_the_export_table() -> None:
    # ruff's RUF022 keeps __all__ sorted (isort style); here we check it lists each export once.
    assert len(civicinnov.__all__) == len(set(civicinnov.__all__))
    assert set(civicinnov.__all__) == set(civicinnov._EXPORTS)


def test_type_checking_imports_match_the_export_table() -> None:
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If))
    imported = {
        alias.asname or alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == civicinnov._EXPORTS


@pytest.mark.parametrize("name", civicinnov.__all__)
def test_every_public_name_resolves_and_is_documented(name: str) -> None:
    value = getattr(civicinnov, name)
    module = civicinnov._EXPORTS[name]
    assert value is getattr(sys.modules[module], name)
    if callable(value) and not isinstance(value, type(civicinnov.DAY)):
        assert value.__doc__, f"{name} has no docstring"
        assert ">>>" in value.__doc__, f"{name} has no runnable example"


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        civicinnov.nope  # noqa: B018


def test_version() -> None:
    assert civicinnov.__version__


def test_import_is_cheap_and_builds_no_registry() -> None:
    code = (
        "import sys, json, civicinnov; "
        "print(json.dumps(sorted(m for m in ('pint', 'scipy', 'networkx', 'cattrs', "
        "'matplotlib', 'pandas') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_py_typed_ships() -> None:
    assert (INIT.parent / "py.typed").is_file()
