"""Every public callable says what its parameters are, and shows itself in a runnable example.

A public callable is a function or public method reachable from a layer's face (its ``__all__``).
Those that take parameters carry a Google-style ``Parameters:`` (or ``Args:``) section. The modules
in ``NOT_YET`` are being brought to the rule; the list may only shrink.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

FACES = (
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
    "civicinnov.i18n",
    "civicinnov.plot",
    "civicinnov.site",
    "civicinnov.datasets",
)

#: Modules whose public callables do not all have their sections yet.
NOT_YET: frozenset[str] = frozenset()


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for face in FACES:
        module = importlib.import_module(face)
        for name in module.__all__:
            obj = getattr(module, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if inspect.isfunction(obj):
                yield f"{face}.{name}", obj
            elif inspect.isclass(obj) and not issubclass(obj, BaseException):
                for attr, value in vars(obj).items():
                    if inspect.isfunction(value) and not attr.startswith("_"):
                        yield f"{face}.{name}.{attr}", value


def _takes_parameters(fn: Callable[..., Any]) -> bool:
    return any(p not in ("self", "cls") for p in inspect.signature(fn).parameters)


CALLABLES = sorted(_public_callables(), key=lambda item: item[0])


@pytest.mark.parametrize(("name", "fn"), CALLABLES, ids=[n for n, _ in CALLABLES])
def test_public_callable_documents_its_parameters_and_has_an_example(
    name: str, fn: Callable[..., Any]
) -> None:
    doc = fn.__doc__ or ""
    assert ">>>" in doc, f"{name} has no runnable example"
    if fn.__module__ in NOT_YET or not _takes_parameters(fn):
        return
    assert "Parameters:" in doc or "Args:" in doc, f"{name}: no Parameters section"


def test_the_not_yet_list_only_names_modules_that_still_need_it() -> None:
    pending = {
        fn.__module__
        for _, fn in CALLABLES
        if fn.__module__ in NOT_YET
        and _takes_parameters(fn)
        and not any(s in (fn.__doc__ or "") for s in ("Parameters:", "Args:"))
    }
    assert pending == NOT_YET
