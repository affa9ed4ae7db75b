"""The JSON Schema of a portfolio document, and a small validator for the part of JSON Schema it uses.

The schema (JSON Schema draft 2020-12) is **generated** from the attrs classes the document is made
of, by :func:`portfolio_schema`, with the same rules as the converter in :mod:`civicinnov.io.serde`:
each class is an object in ``$defs`` with ``additionalProperties: false``, its fields without a
default are ``required``, optional fields accept ``null``, enums list their values, quantities are
``{"value", "unit"}`` objects, money is ``{"amount", "currency"}``, dates are ISO text. A copy ships
with the package as ``portfolio.schema.json`` (:func:`load_schema`); a test keeps it equal to the
generated one, and the documentation publishes it.

The schema checks shape and types. What it cannot say (unit text pint understands, ids that
resolve, dates in order) is checked when the document is loaded.

:func:`validate` implements the keywords the schema uses (``type``, ``properties``, ``required``,
``additionalProperties``, ``items``, ``enum``, ``pattern``, ``anyOf``, ``$ref`` to ``#/$defs/...``,
``const``, ``minimum``) and returns every violation with its ``$.path``; it is enough to check
documents against this schema without a JSON Schema library.

Example:
    >>> schema = load_schema()
    >>> schema["$defs"]["City"]["required"]
    ['id', 'name', 'country']
    >>> validate({"schema_version": 2, "cities": [{"id": "mobile"}]}, schema)
    ["$.cities[0]: missing required property 'name'", "$.cities[0]: missing required property 'country'"]
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import json
import re
import types
import typing
from importlib import resources
from typing import Any, get_args, get_origin

import attrs
import numpy as np

from civicinnov._values import PartialDate
from civicinnov.io.json import SCHEMA_VERSION
from civicinnov.io.serde import resolve_class, root_of
from civicinnov.periods import PeriodType
from civicinnov.programme import Portfolio

__all__ = ["SCHEMA_ID", "SCHEMA_RESOURCE", "load_schema", "portfolio_schema", "validate"]

#: The ``$id`` of the published schema.
SCHEMA_ID = "https://civicinnov.invalid/schema/portfolio/1.json"
#: The file name of the shipped schema inside :mod:`civicinnov.io`.
SCHEMA_RESOURCE = "portfolio.schema.json"

_NUMBER: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]
}
_DATE: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_PARTIAL_DATE: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
_DECIMAL: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "pattern": r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"},
        {"type": "integer"},
    ]
}


def portfolio_schema() -> dict[str, Any]:
    """Generate the JSON Schema of a portfolio document.

    Example:
        >>> s = portfolio_schema()
        >>> s["properties"]["schema_version"]
        {'const': 2}
        >>> s["$defs"]["Quantity"]["required"]
        ['value', 'unit']
    """
    defs: dict[str, Any] = {
        "Quantity": {
            "type": "object",
            "properties": {
                "value": {
                    "anyOf": [
                        *_NUMBER["anyOf"],
                        {
                            "type": "array",
                            "items": {"anyOf": [{"type": "number"}, {"type": "null"}]},
                        },
                    ]
                },
                "unit": {"type": "string"},
            },
            "required": ["value", "unit"],
            "additionalProperties": False,
        },
    }

    def ref(name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def of(t: Any) -> dict[str, Any]:
        import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

        origin = get_origin(t)
        args = get_args(t)
        if origin in (typing.Union, types.UnionType):
            options = [of(a) for a in args if a is not type(None)]
            inner = options[0] if len(options) == 1 else {"anyOf": options}
            if type(None) in args:
                return {"anyOf": [inner, {"type": "null"}]}
            return inner
        if t is str:
            return {"type": "string"}
        if t is bool:
            return {"type": "boolean"}
        if t is int:
            return {"type": "integer"}
        if t is float:
            return dict(_NUMBER)
        if t is dt.date:
            return dict(_DATE)
        if t is PartialDate:
            return dict(_PARTIAL_DATE)
        if t is decimal.Decimal:
            return dict(_DECIMAL)
        if t is pint.Quantity or origin is pint.Quantity:
            return ref("Quantity")
        if t is pint.Unit or origin is pint.Unit:
            return {"type": "string"}
        if t is PeriodType:
            return {
                "type": "string",
                "pattern": r"^(day|week|month|quarter|half|year|fiscal_(year|quarter|month):([1-9]|1[0-2]))$",
            }
        if t is np.ndarray or origin is np.ndarray:
            item: dict[str, Any] = {"anyOf": [{"type": "number"}, {"type": "null"}]}
            dtype_args = get_args(args[1]) if len(args) == 2 else ()
            if dtype_args and dtype_args[0] is np.int64:
                item = {
                    "anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}}]
                }
            return {"type": "array", "items": item}
        if origin in (tuple, frozenset) and args:
            return {"type": "array", "items": of(args[0])}
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return {"enum": [m.value for m in t]}
        if isinstance(t, type) and attrs.has(t):
            name = t.__name__
            if name not in defs:
                defs[name] = {}  # placeholder against recursion
                resolve_class(t)
                properties: dict[str, Any] = {}
                required: list[str] = []
                for field in attrs.fields(t):
                    if not field.init:
                        continue
                    properties[field.alias or field.name] = of(field.type)
                    if field.default is attrs.NOTHING:
                        required.append(field.alias or field.name)

                if root_of(t) is t:
                    properties = {
                        "class": {
                            "type": "string",
                            "description": "module:QualName of an extension subclass; its extra "
                            "fields are then allowed",
                        },
                        **properties,
                    }
                definition: dict[str, Any] = {
                    "type": "object",
                    "description": (t.__doc__ or "").strip().splitlines()[0] if t.__doc__ else "",
                    "properties": properties,
                    "required": required,
                    "additionalProperties": root_of(t) is t,
                }
                defs[name] = definition
            return ref(name)
        raise TypeError(f"no JSON Schema for {t!r}")  # pragma: no cover - a new field type

    top = of(Portfolio)
    body = defs.pop("Portfolio")
    assert top == ref("Portfolio")
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "civicinnov portfolio document",
        "description": "Everything one public-innovation programme knows: cities, cohorts, "
        "i-teams, challenges, initiatives, metrics, series, targets, funding, claims and sources.",
        "type": "object",
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "units": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": "pint definition lines of the units the document uses that pint "
                "and civicinnov do not define (a new base unit or a scaled unit)",
            },
            "plugins": {
                "type": "array",
                "items": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": "the plug-in packages whose metric classes the document holds",
            },
            **body["properties"],
        },
        "required": ["schema_version", *body["required"]],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }
    return schema


@functools.cache
def _shipped_text() -> str:
    return resources.files("civicinnov.io").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The JSON Schema shipped with the package (a fresh copy each call).

    Example:
        >>> load_schema()["$id"]
        'https://civicinnov.invalid/schema/portfolio/1.json'
    """
    result: dict[str, Any] = json.loads(_shipped_text())
    return result


def dumps_schema(schema: dict[str, Any] | None = None) -> str:
    """The schema as the JSON text that ships (two-space indent, trailing newline).

    Parameters:
        schema: The schema to write; ``None`` (the default) writes :func:`portfolio_schema`, the
            one this release generates.

    Returns:
        The schema as JSON text with a two-space indent and a trailing newline.

    Example:
        >>> dumps_schema().startswith('{\\n  "$schema"')
        True
    """
    return json.dumps(schema if schema is not None else portfolio_schema(), indent=2) + "\n"


def _type_ok(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unsupported type {name!r}")  # pragma: no cover


def _json_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    return "number"


def validate(document: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Check ``document`` against ``schema`` (the shipped one by default); every violation, with
    its ``$.path``. An empty list means the document conforms.

    Parameters:
        document: The parsed JSON document to check.
        schema: The schema to check against; ``None`` (the default) uses :func:`load_schema`.
            Only these keywords are understood (``$ref`` into ``$defs``,
            ``anyOf``, ``const``, ``enum``, ``type``, ``pattern``, ``minimum``, ``properties``,
            ``required``, ``additionalProperties``, ``items``).

    Returns:
        Every violation as ``$.path: message``; an empty list when the document conforms.

    Example:
        >>> validate({"schema_version": 2, "name": 3})
        ['$.name: expected string, got integer 3']
    """
    root = schema if schema is not None else load_schema()
    defs = root.get("$defs", {})
    problems: list[str] = []
    patterns: dict[str, re.Pattern[str]] = {}

    def check(value: Any, node: dict[str, Any], path: str) -> list[str]:
        found: list[str] = []
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/$defs/")
            return check(value, defs[name], path)
        if "anyOf" in node:
            options = node["anyOf"]
            if value is not None:
                options = [o for o in options if o != {"type": "null"}]
            if len(options) == 1:
                return check(value, options[0], path)
            attempts = [check(value, option, path) for option in options]
            if all(attempts):
                best = min(attempts, key=len)
                if len(best) == 1 and all(len(a) == 1 for a in attempts):
                    expected = " or ".join(_describe(option, defs) for option in node["anyOf"])
                    return [f"{path}: expected {expected}, got {_short(value)}"]
                return best
            return []
        if "const" in node and value != node["const"]:
            return [f"{path}: expected {node['const']!r}, got {_short(value)}"]
        if "enum" in node and value not in node["enum"]:
            allowed = ", ".join(repr(v) for v in node["enum"])
            return [f"{path}: expected one of {allowed}, got {_short(value)}"]
        kind = node.get("type")
        if kind is not None and not _type_ok(value, kind):
            return [f"{path}: expected {kind}, got {_short(value)}"]
        if "pattern" in node and isinstance(value, str):
            pattern = patterns.setdefault(node["pattern"], re.compile(node["pattern"]))
            if pattern.search(value) is None:
                found.append(f"{path}: {value!r} does not match {node['pattern']}")
        if "minimum" in node and isinstance(value, (int, float)) and value < node["minimum"]:
            found.append(f"{path}: {value!r} is below the minimum {node['minimum']}")
        if isinstance(value, dict):
            properties = node.get("properties", {})
            for name in node.get("required", []):
                if name not in value:
                    found.append(f"{path}: missing required property {name!r}")
            for key, item in value.items():
                if key in properties:
                    found.extend(check(item, properties[key], f"{path}.{key}"))
                elif node.get("additionalProperties", True) is False:
                    found.append(f"{path}: unexpected property {key!r}")
        if isinstance(value, list) and "items" in node:
            for i, item in enumerate(value):
                found.extend(check(item, node["items"], f"{path}[{i}]"))
        return found

    problems.extend(check(document, root, "$"))
    return problems


def _describe(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in node:
        return str(node["$ref"]).removeprefix("#/$defs/")
    if "type" in node:
        return str(node["type"])
    if "enum" in node:
        return "one of " + ", ".join(repr(v) for v in node["enum"])
    return "a value"


def _short(value: Any) -> str:
    text = repr(value)
    if len(text) > 50:
        text = text[:47] + "..."
    return f"{_json_name(value)} {text}"
