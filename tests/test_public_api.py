"""The public face: a small root, one face per layer, every name resolves, imports stay cheap."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import civicinnov

INIT = Path(civicinnov.__file__)
SRC = INIT.parent

#: Each layer's face: the only modules a user imports names from.
FACES = (
    "civicinnov",
    "civicinnov.errors",
    "civicinnov.units",
    "civicinnov.money",
    "civicinnov.periods",
    "civicinnov.model",
    "civicinnov.metrics",
    "civicinnov.evaluation",
    "civicinnov.network",
    "civicinnov.programme",
    "civicinnov.io",
    "civicinnov.render",
    "civicinnov.datasets",
)


def test_root_is_small_and_sorted() -> None:
    assert len(civicinnov.__all__) <= 70
    assert civicinnov.__all__ == sorted(set(civicinnov.__all__))


def test_the_stub_is_the_one_list() -> None:
    """mypy reads ``__init__.pyi``; the runtime face is built from the same imports."""
    tree = ast.parse((SRC / "__init__.pyi").read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == civicinnov._EXPORTS
    assert set(imported.values()) <= set(FACES), "the root re-exports from layer faces only"


@pytest.mark.parametrize("name", civicinnov.__all__)
def test_every_root_name_resolves_and_is_documented(name: str) -> None:
    value = getattr(civicinnov, name)
    face = importlib.import_module(civicinnov._EXPORTS[name])
    assert value is getattr(face, name)
    if face.__name__ != "civicinnov.errors":
        assert name in face.__all__, f"{name} is not on the face of {face.__name__}"
    if callable(value):
        assert value.__doc__, f"{name} has no docstring"
        assert ">>>" in value.__doc__, f"{name} has no runnable example"


@pytest.mark.parametrize("face", FACES[1:])
def test_each_face_lists_its_names_once_sorted_and_they_resolve(face: str) -> None:
    module = importlib.import_module(face)
    names = module.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), f"{face}.{name} does not resolve"


def test_no_two_public_objects_share_a_name() -> None:
    seen: dict[str, tuple[str, object]] = {}
    for face in FACES:
        module = importlib.import_module(face)
        for name in module.__all__:
            value = getattr(module, name)
            if name in seen:
                other_face, other = seen[name]
                assert value is other, f"{name} means one thing in {other_face}, another in {face}"
            else:
                seen[name] = (face, value)


def test_implementation_modules_are_private() -> None:
    """Inside each layer package, only ``__init__`` is public; the modules behind it are ``_name``."""
    public = sorted(
        str(path.relative_to(SRC))
        for package in ("model", "programme", "render")
        for path in (SRC / package).glob("*.py")
        if not path.name.startswith("_")
    )
    assert public == []


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        civicinnov.nope  # noqa: B018


def test_version() -> None:
    assert civicinnov.__version__


def test_import_is_cheap_and_builds_no_registry() -> None:
    code = (
        "import sys, json, civicinnov; "
        "print(json.dumps(sorted(m for m in ('pint', 'scipy', 'networkx', 'cattrs', "
        "'matplotlib', 'pandas', 'civicinnov.model') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_py_typed_and_the_stub_ship() -> None:
    assert (INIT.parent / "py.typed").is_file()
    assert (INIT.parent / "__init__.pyi").is_file()
