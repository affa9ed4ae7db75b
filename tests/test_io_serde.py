"""The converter's polymorphic reading: which subclass a ``"class"`` tag names, and its errors."""

from __future__ import annotations

import gc
import sys
import textwrap
import types
from collections.abc import Iterator

import attrs
import pytest

from civicinnov.errors import SerializationError
from civicinnov.io.serde import class_tag, structure, unstructure
from civicinnov.metrics import MetricDefinition


@pytest.fixture
def no_gc() -> Iterator[None]:
    """Keep the stale twin of a slotted attrs class alive, as a real program may for a while."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.usefixtures("no_gc")
def test_slotted_subclass_is_read_back_while_its_stale_twin_is_alive() -> None:
    @attrs.frozen(kw_only=True)
    class Sub(MetricDefinition):
        extra: int = 1

    twins = [c for c in MetricDefinition.__subclasses__() if c.__qualname__ == Sub.__qualname__]
    assert len(twins) == 2  # the class statement's class is still there, uncollected
    metric = Sub(id="m", name="M", unit="person", extra=7)
    again = structure(unstructure(metric), MetricDefinition)
    assert type(again) is Sub
    assert again == metric


@pytest.fixture
def plugin_module() -> Iterator[types.ModuleType]:
    """A module (as a plug-in's would be) that defines the same tag twice; the name keeps the
    second class."""
    name = "f1_twice_defined_plugin"
    module = types.ModuleType(name)
    sys.modules[name] = module
    code = textwrap.dedent(
        """
        import attrs
        from civicinnov.metrics import MetricDefinition

        @attrs.frozen(kw_only=True)
        class Lane(MetricDefinition):
            width: int = 1

        FIRST = Lane

        @attrs.frozen(kw_only=True)
        class Lane(MetricDefinition):
            width: int = 1
            kind: str = "painted"
        """
    )
    try:
        exec(compile(code, name, "exec"), module.__dict__)
        yield module
    finally:
        del sys.modules[name]


def test_the_class_bound_at_the_module_name_wins_over_an_older_one(
    plugin_module: types.ModuleType,
) -> None:
    first, bound = plugin_module.FIRST, plugin_module.Lane
    assert first is not bound
    assert class_tag(first) == class_tag(bound)
    metric = bound(id="m", name="M", unit="km", width=2, kind="protected")
    again = structure(unstructure(metric), MetricDefinition)
    assert type(again) is bound
    assert again == metric


def test_unknown_class_tag_error_has_the_class_key_in_its_path() -> None:
    data = {"class": "evil.module:Thing", "id": "m"}
    with pytest.raises(
        SerializationError,
        match=r"^x\.json: \$\.class: 'evil\.module:Thing' is not a loaded subclass of "
        r"MetricDefinition; import 'evil\.module' before loading this document$",
    ):
        structure(data, MetricDefinition, source="x.json")


def test_class_tag_that_is_not_text_error_has_the_class_key_in_its_path() -> None:
    with pytest.raises(SerializationError, match=r"^x\.json: \$\.class: expected text, got int 3$"):
        structure({"class": 3, "id": "m"}, MetricDefinition, source="x.json")
