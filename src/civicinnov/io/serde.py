"""The package-owned cattrs converter: how civicinnov values become JSON-ready data and back.

:func:`new_converter` builds a fresh :class:`cattrs.Converter` each time it is called (there is no
shared, mutable module-level converter; callers may add hooks to their own copy). It is strict:

- ``str``, ``int``, ``bool`` and ``float`` fields accept only their own JSON type: ``"false"`` is not
  ``False``, ``"12"`` is not ``12``, ``true`` is not ``1``. A ``float`` field accepts a JSON integer.
  Non-finite floats are written as the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``, because
  JSON has no literal for them.
- keys that a class does not declare are refused (``forbid_extra_keys``);
- a tuple, a frozenset or an array must arrive as a JSON list (a string is not a list of letters).

How each kind of value is written:

=====================  ==================================================================
Python                 JSON
=====================  ==================================================================
``datetime.date``      ISO text, ``"2017-07-11"``
``PartialDate``        ISO text at its precision, ``"2017"``, ``"2017-07"`` or ``"2017-07-11"``
``decimal.Decimal``    text, ``"1400000.00"`` (exact; the exponent is kept)
``Money``              ``{"amount": "750000", "currency": "USD"}``
pint ``Quantity``      ``{"value": 150, "unit": "foot"}``; the magnitude keeps its JSON type
pint ``Unit``          text in pint's default long form, ``"person / kilometer ** 2"``
``PeriodType``         ``"month"``, ``"quarter"``, ... or ``"fiscal_year:7"`` (July start)
``Period``             ``{"start": "2024-01-01", "end": "2024-03-31", "type": "quarter"}``
enums                  their value (``"final"``, ``3``)
``frozenset``          a list, sorted so that files are stable
numpy array            a list; in a float array ``null`` stands for NaN (a missing value)
=====================  ==================================================================

Quantities are stored as an object rather than as text such as ``"150 ft"``: the number keeps its
exact JSON form, no number is re-parsed out of text, and the JSON Schema can check each part.

**Subclasses.** Extension packages subclass some classes (chiefly ``MetricDefinition``) and add
fields. Such a class is a *polymorphic root*: an instance of a subclass is written with its extra
fields and a ``"class"`` key naming it as ``"module:QualName"``; reading looks the name up among the
subclasses that are *already imported* (nothing is imported because a file says so) and refuses a
name it does not know, telling the user which package to import.

**Errors.** :func:`structure` turns cattrs' exception groups into one
:class:`~civicinnov.errors.SerializationError` whose ``problems`` list every failure with its path,
for example ``$.challenges[3].metric_ids[0]: expected a string, got int 7``. Errors raised by attrs
validators (which run after the fields are structured) keep their own message, at the path of the
object that refused them.

What does not live here: files, ``schema_version`` and migrations (:mod:`civicinnov.io.json`), CSV
(:mod:`civicinnov.io.csv`).

Example:
    >>> import datetime as dt
    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class Visit:
    ...     city: str
    ...     on: dt.date
    ...     confirmed: bool
    >>> conv = new_converter()
    >>> conv.unstructure(Visit(city="mobile", on=dt.date(2017, 7, 11), confirmed=True))
    {'city': 'mobile', 'on': '2017-07-11', 'confirmed': True}
    >>> structure({"city": "mobile", "on": "2017-07-11", "confirmed": "false"}, Visit)
    Traceback (most recent call last):
    ...
    civicinnov.errors.SerializationError: document: $.confirmed: expected a boolean, got str 'false'
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import sys
import types
import typing
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from civicinnov._values import PartialDate
from civicinnov.errors import CivicError, SerializationError
from civicinnov.metrics import MetricSeries
from civicinnov.periods import PeriodType, parse_period_type
from civicinnov.units import format_unit, get_registry, parse_unit

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "POLYMORPHIC_ROOTS",
    "TYPE_NAMESPACE",
    "all_subclasses",
    "class_tag",
    "errors_of",
    "new_converter",
    "normalize_tag",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: Names that string annotations may use without importing them at run time (modules import them
#: under ``TYPE_CHECKING`` only): ``Quantity``, ``Unit``, ``UnitRegistry``, ``NDArray``,
#: ``ArrayLike``. Filled lazily on first use.
TYPE_NAMESPACE: dict[str, Any] = {}

#: Dotted names of the classes whose subclasses are written with a ``"class"`` tag.
POLYMORPHIC_ROOTS: tuple[str, ...] = ("civicinnov.metrics:MetricDefinition",)

_CLASS_KEY = "class"
_FINITE_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class _MismatchError(TypeError):
    """A value of the wrong JSON type; the message is shown to the user as is.

    ``sub`` is a path below the value being structured (``".value"``, ``"[3]"``) that is appended to
    the path in the message.
    """

    def __init__(self, message: str, *, sub: str = "") -> None:
        super().__init__(message)
        self.sub = sub


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{_json_type(value)} {text}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


# -- primitives ---------------------------------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _MismatchError(f"expected a string, got {_describe(value)}")
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _MismatchError(f"expected a boolean, got {_describe(value)}")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _MismatchError(f"expected an integer, got {_describe(value)}")
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool):
        raise _MismatchError(f"expected a number, got {_describe(value)}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value in _FINITE_SPECIAL:
        return _FINITE_SPECIAL[value]
    raise _MismatchError(f"expected a number, got {_describe(value)}")


def _unstructure_float(value: float) -> float | str:
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def _structure_date(value: Any, _: Any) -> dt.date:
    if not isinstance(value, str):
        raise _MismatchError(f"expected an ISO date such as '2017-07-11', got {_describe(value)}")
    try:
        if len(value) != 10:
            raise ValueError(value)  # noqa: TRY301 - the error is raised where the bad value is found
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _MismatchError(
            f"expected an ISO date such as '2017-07-11', got {_describe(value)}"
        ) from None


def _structure_partial_date(value: Any, _: Any) -> PartialDate:
    if not isinstance(value, str):
        raise _MismatchError(
            f"expected a date such as '2017', '2017-07' or '2017-07-11', got {_describe(value)}"
        )
    try:
        return PartialDate.parse(value, where="date")
    except CivicError:
        raise _MismatchError(
            f"expected a date such as '2017', '2017-07' or '2017-07-11', got {_describe(value)}"
        ) from None


def _structure_decimal(value: Any, _: Any) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _MismatchError(
            f"expected a decimal number as text such as '1400000', got {_describe(value)}"
        )
    try:
        result = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise _MismatchError(
            f"expected a decimal number as text such as '1400000', got {_describe(value)}"
        ) from None
    if not result.is_finite():
        raise _MismatchError(f"expected a finite decimal number, got {_describe(value)}")
    return result


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    if type(value) is str or type(value) is int:
        member = cls._value2member_map_.get(value)
        if member is not None:
            return member
    try:
        if isinstance(value, (bool, dict, list)):
            raise ValueError(value)  # noqa: TRY004,TRY301 - a ValueError subclass is what callers catch here
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cls)
        raise _MismatchError(
            f"expected one of {allowed} ({cls.__name__}), got {_describe(value)}"
        ) from None


def _sort_key(item: Any) -> Any:
    if isinstance(item, enum.Enum):
        return (0, str(item.value))
    return (1, str(item))


# -- pint -----------------------------------------------------------------------------------------


def _is_quantity_type(t: Any) -> bool:
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    return t is pint.Quantity or get_origin(t) is pint.Quantity


def _is_unit_type(t: Any) -> bool:
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    return t is pint.Unit or get_origin(t) is pint.Unit


def _unit_text(unit: Any) -> str:
    return format_unit(unit)


def _structure_unit(value: Any, _: Any) -> Any:

    if not isinstance(value, str):
        raise _MismatchError(f"expected unit text such as 'foot', got {_describe(value)}")
    return parse_unit(value, where="unit")


def _unstructure_quantity(q: Any) -> dict[str, Any]:
    magnitude = q.magnitude
    if isinstance(magnitude, np.ndarray):
        value: Any = _unstructure_array(magnitude)
    elif isinstance(magnitude, np.generic):
        value = magnitude.item()
    elif isinstance(magnitude, decimal.Decimal):
        value = str(magnitude)
    else:
        value = magnitude
    if isinstance(value, float):
        value = _unstructure_float(value)
    return {"value": value, "unit": _unit_text(q.units)}


def _structure_quantity(value: Any, _: Any) -> Any:

    if not isinstance(value, dict):
        raise _MismatchError(
            f"expected a quantity such as {{'value': 150, 'unit': 'foot'}}, got {_describe(value)}"
        )
    extra = sorted(set(value) - {"value", "unit"})
    if extra or "value" not in value or "unit" not in value:
        raise _MismatchError(
            "expected a quantity with exactly the keys 'value' and 'unit', got keys "
            f"{sorted(value)}"
        )
    raw, unit_text = value["value"], value["unit"]
    if not isinstance(unit_text, str):
        raise _MismatchError(
            f"expected unit text such as 'foot', got {_describe(unit_text)}", sub=".unit"
        )
    try:
        unit = parse_unit(unit_text, where="unit")
    except CivicError as exc:
        raise _MismatchError(str(exc).removeprefix("unit: "), sub=".unit") from None
    magnitude: Any
    if isinstance(raw, list):
        magnitude = _structure_float_array(raw)
    elif isinstance(raw, bool):
        raise _MismatchError(f"expected a number, got {_describe(raw)}", sub=".value")
    elif isinstance(raw, (int, float)):
        magnitude = raw
    elif isinstance(raw, str) and raw in _FINITE_SPECIAL:
        magnitude = _FINITE_SPECIAL[raw]
    else:
        raise _MismatchError(f"expected a number, got {_describe(raw)}", sub=".value")
    return get_registry().Quantity(magnitude, unit)


# -- numpy ----------------------------------------------------------------------------------------


def _is_array_type(t: Any) -> bool:
    return t is np.ndarray or get_origin(t) is np.ndarray


def _array_dtype(t: Any) -> Any:
    args = get_args(t)
    if len(args) == 2:
        inner = get_args(args[1])
        if inner and isinstance(inner[0], type) and issubclass(inner[0], np.generic):
            return np.dtype(inner[0])
    return None


def _unstructure_array(array: Any) -> list[Any]:
    arr = np.asarray(array)
    if arr.dtype.kind == "f":
        obj = arr.astype(object)
        obj[np.isnan(arr)] = None
        result: list[Any] = obj.tolist()
        return result
    plain: list[Any] = arr.tolist()
    return plain


def _first_bad(value: list[Any], ok: Callable[[Any], bool]) -> tuple[str, Any] | None:
    """The sub-path and value of the first element of a (nested) list that ``ok`` refuses."""
    for index, item in enumerate(value):
        if isinstance(item, list):
            inner = _first_bad(item, ok)
            if inner is not None:
                return f"[{index}]{inner[0]}", inner[1]
        elif not ok(item):
            return f"[{index}]", item
    return None


def _is_number(item: Any) -> bool:
    return not isinstance(item, bool) and isinstance(item, (int, float))


def _structure_float_array(value: list[Any]) -> Any:
    try:
        probe = np.array(value)
    except ValueError:
        raise _MismatchError("expected a rectangular list of numbers or null") from None
    if probe.dtype.kind in "iuf" or (probe.dtype.kind == "f" and probe.size == 0):
        return probe.astype(np.float64)
    if probe.dtype.kind == "O":
        bad = _first_bad(value, lambda v: v is None or _is_number(v))
        if bad is None:
            try:
                return np.array(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise _MismatchError("expected a rectangular list of numbers or null") from None
    else:
        bad = _first_bad(value, _is_number)
    if bad is None:  # pragma: no cover - numpy gave a kind we do not read
        raise _MismatchError("expected a list of numbers or null")
    raise _MismatchError(f"expected a number or null, got {_describe(bad[1])}", sub=bad[0])


def _structure_array(value: Any, t: Any) -> Any:
    if not isinstance(value, list):
        raise _MismatchError(f"expected a list, got {_describe(value)}")
    dtype = _array_dtype(t)
    if dtype is None or dtype.kind == "f":
        arr = _structure_float_array(value)
        return arr if dtype is None else arr.astype(dtype, copy=False)
    try:
        probe = np.array(value)
    except ValueError:
        raise _MismatchError("expected a rectangular list") from None
    if dtype.kind in "iu":
        if probe.size and probe.dtype.kind not in "iu":
            bad = _first_bad(value, lambda v: not isinstance(v, bool) and isinstance(v, int))
            found = _describe(bad[1]) if bad else f"elements of type {probe.dtype}"
            raise _MismatchError(f"expected an integer, got {found}", sub=bad[0] if bad else "")
        try:
            return probe.astype(dtype) if probe.size else np.zeros(probe.shape, dtype=dtype)
        except OverflowError:  # pragma: no cover
            raise _MismatchError(f"an integer does not fit in {dtype}") from None
    if dtype.kind == "b":
        if probe.size and probe.dtype.kind != "b":
            bad = _first_bad(value, lambda v: isinstance(v, bool))
            found = _describe(bad[1]) if bad else f"elements of type {probe.dtype}"
            raise _MismatchError(f"expected a boolean, got {found}", sub=bad[0] if bad else "")
        return probe.astype(dtype)
    if dtype.kind in "UO":
        bad = _first_bad(value, lambda v: isinstance(v, str))
        if bad is not None:
            raise _MismatchError(f"expected a string, got {_describe(bad[1])}", sub=bad[0])
        return np.array(value, dtype=dtype)
    raise _MismatchError(f"arrays of {dtype} cannot be read from JSON")  # pragma: no cover


# -- periods --------------------------------------------------------------------------------------


def _unstructure_period_type(pt: Any) -> str:
    return str(pt.code)


def _structure_period_type(value: Any, _: Any) -> Any:

    try:
        return parse_period_type(value)
    except CivicError as exc:
        raise _MismatchError(str(exc).removeprefix("period_type: ")) from None


# -- collections ----------------------------------------------------------------------------------


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_frozenset(t: Any) -> bool:
    return get_origin(t) is frozenset or t is frozenset


def _list_hook(
    converter: cattrs.Converter, t: Any, finish: Callable[[list[Any]], Any]
) -> Callable[[Any, Any], Any]:
    from cattrs.errors import IterableValidationError, IterableValidationNote  # noqa: PLC0415 - cattrs loads when a document is read or written

    args = get_args(t)
    elem_type = args[0] if args else Any
    handler = converter.get_structure_hook(elem_type)
    detailed = converter.detailed_validation

    only_strings = elem_type is str

    def structure_list(value: Any, _: Any) -> Any:
        if not isinstance(value, list):
            raise _MismatchError(f"expected a list, got {_describe(value)}")
        if only_strings and all(type(item) is str for item in value):
            return finish(value)  # the common case (lists of ids), without a call per item
        if not detailed:
            return finish([handler(item, elem_type) for item in value])
        errors: list[Exception] = []
        result: list[Any] = []
        for index, item in enumerate(value):
            try:
                result.append(handler(item, elem_type))
            except Exception as exc:
                note = IterableValidationNote(f"Structuring {t} @ index {index}", index, elem_type)
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return finish(result)

    return structure_list


# -- attrs classes and polymorphic roots ----------------------------------------------------------


def _type_namespace() -> dict[str, Any]:
    if not TYPE_NAMESPACE:
        import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

        TYPE_NAMESPACE.update(
            {
                "Quantity": pint.Quantity,
                "Unit": pint.Unit,
                "UnitRegistry": pint.UnitRegistry,
                "NDArray": NDArray,
                "ArrayLike": ArrayLike,
            }
        )
    return TYPE_NAMESPACE


def resolve_class(cls: type) -> None:
    """Resolve string annotations; each class's own module is its global namespace, and the names
    that modules import only for type checking (:data:`TYPE_NAMESPACE`) are supplied as locals.

    Parameters:
        cls: An attrs class; its fields' ``type`` is replaced by the resolved annotation.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Reading:
        ...     amount: "Quantity"
        >>> resolve_class(Reading)
        >>> attrs.fields(Reading).amount.type.__name__
        'Quantity'
    """
    attrs.resolve_types(cls, localns=_type_namespace())


def class_tag(cls: type) -> str:
    """The ``"class"`` tag written for an instance of a subclass of a polymorphic root.

    A class of civicinnov's own is named by the face it is imported from
    (``civicinnov.metrics:ProximityMetricDefinition``), not by the private module that defines it,
    so moving code between modules never changes a document.

    Parameters:
        cls: The class to name.

    Returns:
        ``"module:QualName"``, the module shortened to its layer's face for civicinnov's own
        classes (see :func:`normalize_tag`).

    Example:
        >>> class_tag(int)
        'builtins:int'
        >>> from civicinnov.metrics import ProximityMetricDefinition
        >>> class_tag(ProximityMetricDefinition)
        'civicinnov.metrics:ProximityMetricDefinition'
    """
    return normalize_tag(f"{cls.__module__}:{cls.__qualname__}")


def normalize_tag(tag: str) -> str:
    """A ``"class"`` tag as this release writes it: civicinnov's own classes by their layer's face.

    Tags written before the layers had faces (``civicinnov.metrics.definition:...``) read as today's.

    Parameters:
        tag: A ``"module:QualName"`` tag as read from a document.

    Returns:
        The tag with a civicinnov module deeper than its layer (``civicinnov.metrics.definition``)
        cut to the layer's face (``civicinnov.metrics``); any other tag unchanged.

    Example:
        >>> normalize_tag("civicinnov.metrics.definition:ProximityMetricDefinition")
        'civicinnov.metrics:ProximityMetricDefinition'
        >>> normalize_tag("civicinnov_transit.metrics:TransitMetric")
        'civicinnov_transit.metrics:TransitMetric'
    """
    module, sep, qualname = tag.partition(":")
    parts = module.split(".")
    if parts[0] == "civicinnov" and len(parts) > 2:
        module = ".".join(parts[:2])
    return f"{module}{sep}{qualname}"


def _roots() -> list[type]:
    roots = []
    for dotted in POLYMORPHIC_ROOTS:
        module_name, _, qualname = dotted.partition(":")
        module = sys.modules.get(module_name)
        root = getattr(module, qualname, None) if module is not None else None
        if isinstance(root, type):
            roots.append(root)
    return roots


def all_subclasses(cls: type) -> Iterable[type]:
    """Every subclass of ``cls``, at any depth, that is not a stale slotted twin.

    For a slotted class attrs builds a new class and leaves the one the ``class`` statement made to
    the garbage collector; until it is collected, that stale twin is still a subclass, has the
    same ``module:QualName`` and only the fields of its base. A twin does not own
    ``__attrs_attrs__``; it is skipped when a class with its tag that does own them exists.

    Parameters:
        cls: The class whose loaded subclasses are wanted.

    Returns:
        The subclasses, depth first.

    Example:
        >>> from civicinnov.metrics import MetricDefinition, ProximityMetricDefinition
        >>> ProximityMetricDefinition in list(all_subclasses(MetricDefinition))
        True
    """
    found: list[type] = []
    stack: list[type] = list(reversed(cls.__subclasses__()))
    while stack:
        sub = stack.pop()
        found.append(sub)
        stack.extend(reversed(sub.__subclasses__()))
    owners = {class_tag(c) for c in found if "__attrs_attrs__" in c.__dict__}
    for sub in found:
        if "__attrs_attrs__" in sub.__dict__ or class_tag(sub) not in owners:
            yield sub


def _bound(cls: type) -> Any:
    """The object named by ``cls``'s module and qualified name, or None (a class made in a
    function, or a module that is gone).
    """
    target: Any = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _subclass_by_tag(declared: type, tag: str) -> type | None:
    """The class among ``declared`` and its loaded subclasses whose tag is ``tag``; when several
    share it, the one bound at its module's name wins, then the one defined last.
    """
    tag = normalize_tag(tag)
    matches: list[type] = [c for c in (declared, *all_subclasses(declared)) if class_tag(c) == tag]
    if len(matches) <= 1:
        return matches[0] if matches else None
    return next((c for c in matches if _bound(c) is c), matches[-1])


def root_of(t: Any) -> type | None:
    """The polymorphic root (one of :data:`POLYMORPHIC_ROOTS`, once loaded) that ``t`` derives from.

    Parameters:
        t: A type annotation or class.

    Returns:
        The root class ``t`` is (or is a subclass of); ``None`` for anything else, including a
        value that is not a class.

    Example:
        >>> from civicinnov.metrics import MetricDefinition, ProximityMetricDefinition
        >>> root_of(ProximityMetricDefinition) is MetricDefinition, root_of(int)
        (True, None)
    """
    if not isinstance(t, type):
        return None
    for root in _roots():
        if issubclass(t, root):
            return root
    return None


def _is_root(t: Any) -> bool:
    return root_of(t) is t


def _add_polymorphic_hooks(converter: cattrs.Converter) -> None:
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn  # noqa: PLC0415 - cattrs loads when a document is read or written

    unstructure_cache: dict[type, Callable[[Any], dict[str, Any]]] = {}
    structure_cache: dict[type, Callable[[Any, Any], Any]] = {}

    def plain_unstructure(cls: type) -> Callable[[Any], dict[str, Any]]:
        fn = unstructure_cache.get(cls)
        if fn is None:
            resolve_class(cls)
            fn = make_dict_unstructure_fn(cls, converter)
            unstructure_cache[cls] = fn
        return fn

    def plain_structure(cls: type) -> Callable[[Any, Any], Any]:
        fn = structure_cache.get(cls)
        if fn is None:
            resolve_class(cls)
            fn = make_dict_structure_fn(cls, converter)
            structure_cache[cls] = fn
        return fn

    def unstructure_factory(declared: Any) -> Callable[[Any], Any]:
        def unstructure_polymorphic(obj: Any) -> Any:
            cls = type(obj)
            data = plain_unstructure(cls)(obj)
            if _is_root(cls):
                return data
            return {_CLASS_KEY: class_tag(cls), **data}

        return unstructure_polymorphic

    def structure_factory(declared: Any) -> Callable[[Any, Any], Any]:
        def structure_polymorphic(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _MismatchError(f"expected an object, got {_describe(value)}")
            tag = value.get(_CLASS_KEY)
            if tag is None:
                if not _is_root(declared):
                    raise _MismatchError(
                        f"expected a {_CLASS_KEY!r} key naming {class_tag(declared)}, found none"
                    )
                return plain_structure(declared)(value, declared)
            if not isinstance(tag, str):
                raise _MismatchError(f"expected text, got {_describe(tag)}", sub=f".{_CLASS_KEY}")
            match = _subclass_by_tag(declared, tag)
            if match is None:
                module = tag.partition(":")[0]
                raise _MismatchError(
                    f"{tag!r} is not a loaded subclass of {declared.__name__}; "
                    f"import {module!r} before loading this document",
                    sub=f".{_CLASS_KEY}",
                )
            rest = {k: v for k, v in value.items() if k != _CLASS_KEY}
            return plain_structure(match)(rest, match)

        return structure_polymorphic

    converter.register_unstructure_hook_factory(
        lambda t: root_of(t) is not None, unstructure_factory
    )
    converter.register_structure_hook_factory(lambda t: root_of(t) is not None, structure_factory)


def _is_plain_attrs(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t) and root_of(t) is None


def _is_optional(t: Any) -> bool:
    origin = get_origin(t)
    return (origin is typing.Union or origin is types.UnionType) and type(None) in get_args(t)


def new_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """Return a new strict converter for civicinnov values.

    ``detailed_validation=False`` gives a faster converter whose errors carry no path; the loaders use
    it first and fall back to a detailed one to explain a failure.

    Parameters:
        detailed_validation: Whether errors carry the path of every problem; ``True`` by default.

    Returns:
        A fresh :class:`cattrs.Converter` that forbids unknown keys and reads and writes dates,
        partial dates, decimals, enums, quantities and units as civicinnov documents hold them.

    Example:
        >>> from decimal import Decimal
        >>> conv = new_converter()
        >>> conv.unstructure(Decimal("1400000.00"))
        '1400000.00'
        >>> conv.structure("1400000.00", Decimal)
        Decimal('1400000.00')
        >>> conv.structure(3, float)
        3.0
    """
    import cattrs  # noqa: PLC0415 - cattrs loads when a document is read or written
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn  # noqa: PLC0415 - cattrs loads when a document is read or written

    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed_validation)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_unstructure_hook(float, _unstructure_float)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(PartialDate, _structure_partial_date)
    converter.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    converter.register_structure_hook(decimal.Decimal, _structure_decimal)
    converter.register_unstructure_hook(decimal.Decimal, str)
    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    converter.register_unstructure_hook_func(_is_quantity_type, _unstructure_quantity)
    converter.register_structure_hook_func(_is_quantity_type, _structure_quantity)
    converter.register_unstructure_hook_func(_is_unit_type, _unit_text)
    converter.register_structure_hook_func(_is_unit_type, _structure_unit)
    converter.register_unstructure_hook(pint.Quantity, _unstructure_quantity)
    converter.register_unstructure_hook(pint.Unit, _unit_text)
    converter.register_unstructure_hook_func(_is_array_type, _unstructure_array)
    converter.register_structure_hook_func(_is_array_type, _structure_array)

    converter.register_unstructure_hook(PeriodType, _unstructure_period_type)
    converter.register_structure_hook(PeriodType, _structure_period_type)

    converter.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _list_hook(converter, t, tuple)
    )
    converter.register_structure_hook_factory(
        _is_frozenset, lambda t: _list_hook(converter, t, frozenset)
    )
    converter.register_unstructure_hook_factory(
        _is_frozenset,
        lambda t: lambda value: [converter.unstructure(v) for v in sorted(value, key=_sort_key)],
    )

    def attrs_structure_factory(t: Any) -> Callable[[Any, Any], Any]:
        resolve_class(t)
        inner = make_dict_structure_fn(t, converter)

        def structure_attrs(value: Any, cls: Any) -> Any:
            if not isinstance(value, dict):
                raise _MismatchError(f"expected an object, got {_describe(value)}")
            return inner(value, cls)

        return structure_attrs

    def attrs_unstructure_factory(t: Any) -> Callable[[Any], Any]:
        resolve_class(t)

        inner = make_dict_unstructure_fn(t, converter)
        if isinstance(t, type) and issubclass(t, MetricSeries):
            # a series writes its per-row annotations (statuses, coverage, ...) only when present
            optional = MetricSeries.OPTIONAL_FIELDS

            def unstructure_series(value: Any) -> Any:
                data = inner(value)
                for name in optional:
                    if data.get(name, 0) is None:
                        del data[name]
                return data

            return unstructure_series
        return inner

    converter.register_structure_hook_factory(_is_plain_attrs, attrs_structure_factory)
    converter.register_unstructure_hook_factory(_is_plain_attrs, attrs_unstructure_factory)
    _add_polymorphic_hooks(converter)
    return converter


# -- error translation ----------------------------------------------------------------------------


def _format_exception(exc: BaseException, t: Any) -> str:
    from cattrs.errors import ForbiddenExtraKeysError  # noqa: PLC0415 - cattrs loads when a document is read or written

    if isinstance(exc, _MismatchError):
        return f"{exc.sub}\t{exc}" if exc.sub else str(exc)
    if isinstance(exc, CivicError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = ", ".join(repr(k) for k in sorted(exc.extra_fields))
        return f"unknown key(s) {extra}; expected only the fields of {exc.cl.__name__}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, (ValueError, TypeError)) and exc.args and t is None:
        return str(exc.args[0])
    if isinstance(exc, (ValueError, TypeError)) and exc.args:
        name = getattr(t, "__name__", None) or repr(t)
        return f"invalid value for {name}: {exc.args[0]}"
    return f"{type(exc).__name__}: {exc}"


def _rewrite(line: str) -> str:
    message, sep, path = line.rpartition(" @ ")
    if not sep:
        return line
    sub, tab, rest = message.partition("\t")
    if tab:
        return f"{path}{sub}: {rest}"
    return f"{path}: {message}"


def errors_of(exc: BaseException) -> list[str]:
    """Turn an exception raised while structuring into ``$.path: message`` lines.

    Parameters:
        exc: The exception a converter raised (a cattrs validation error, or any other).

    Returns:
        One ``$.path: message`` line per problem the exception holds.

    Example:
        >>> conv = new_converter()
        >>> try:
        ...     conv.structure(["a", 2], tuple[str, ...])
        ... except Exception as exc:
        ...     print(errors_of(exc))
        ['$[1]: expected a string, got int 2']
    """
    import cattrs  # noqa: PLC0415 - cattrs loads when a document is read or written

    if isinstance(exc, cattrs.BaseValidationError):
        return [_rewrite(line) for line in cattrs.transform_error(exc, "$", _format_exception)]
    return [_rewrite(f"{_format_exception(exc, None)} @ $")]


def structure(
    data: Any,
    cls: type[T],
    *,
    converter: cattrs.Converter | None = None,
    source: str = "document",
) -> T:
    """Structure ``data`` into ``cls``, raising one :class:`SerializationError` listing every problem.

    ``source`` (a file name) starts the message. With a converter built with
    ``detailed_validation=False`` the call is fast; on failure it is repeated with a detailed
    converter to find every path.

    Parameters:
        data: JSON-ready data (dicts, lists, strings, numbers, booleans, ``None``).
        cls: The type to build.
        converter: The converter to use; ``None`` (the default) builds one with
            :func:`new_converter`.
        source: The name that starts the error message; ``"document"`` by default.

    Returns:
        The value of type ``cls`` built from ``data``.

    Raises:
        SerializationError: ``data`` does not fit ``cls`` (every problem is listed in
            ``problems``), or is nested too deeply.

    Example:
        >>> structure(["a", "b"], tuple[str, ...])
        ('a', 'b')
        >>> structure("ab", tuple[str, ...], source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.json: $: expected a list, got str 'ab'
    """
    conv = converter if converter is not None else new_converter()
    try:
        return conv.structure(data, cls)
    except RecursionError:
        raise SerializationError(f"{source}: the document is nested too deeply") from None
    except Exception as exc:
        if not conv.detailed_validation:
            return structure(data, cls, converter=new_converter(), source=source)
        problems = errors_of(exc)
    raise SerializationError(_summary(source, problems), problems=problems) from None


def _summary(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    shown = "\n  ".join(problems[:20])
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    return f"{source}: {len(problems)} problems:\n  {shown}{more}"


def unstructure(value: Any, *, converter: cattrs.Converter | None = None) -> Any:
    """Return ``value`` as JSON-ready data (dicts, lists, strings, numbers, booleans, ``None``).

    Parameters:
        value: The value to turn into data (an attrs record, a quantity, a date, ...).
        converter: The converter to use; ``None`` (the default) builds one with
            :func:`new_converter`.

    Returns:
        The JSON-ready data.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> unstructure(as_quantity(150, "ft"))
        {'value': 150, 'unit': 'foot'}
    """
    conv = converter if converter is not None else new_converter()
    return conv.unstructure(value)
