"""Units of measure: pint's application registry, civic counting units, and the boundary checks.

civicinnov keeps one registry, pint's *application registry*, reached through :func:`get_registry` at
call time. It never builds a private ``UnitRegistry`` and never calls ``set_application_registry``: a
program that sets its own application registry gets civicinnov's quantities in that registry.

Civic units are counting units with a dimension of their own, so that "people" and "households" never
add up by accident. They are defined once per registry, idempotently (a unit the registry already
knows is left alone):

=============  ===============  ============================================
unit           dimension        also spelled
=============  ===============  ============================================
``person``     ``[person]``     ``people``, ``persons``
``household``  ``[household]``  ``households``
``incident``   ``[incident]``   ``incidents``
``case``       ``[case]``       ``cases``
``property``   ``[property]``   ``properties``
``call``       ``[call]``       ``calls``
``dwelling``   ``[dwelling]``   ``dwellings``, ``home``, ``homes``
``business``   ``[business]``   ``businesses``
=============  ===============  ============================================

Two dimensionless scales join pint's own ``percent``: ``per_thousand`` (10⁻³) and
``per_hundred_thousand`` (10⁻⁵), for rates such as murders per 100,000 residents.

Quantities from another registry (a user's own ``UnitRegistry``) are adopted at the boundary by
:func:`as_quantity`, which also checks their dimension. Unit text is parsed by :func:`parse_unit`,
which refuses absurd expressions (very long text, huge exponents) before pint sees them.

Example:
    >>> from civicinnov.units import as_quantity
    >>> q = as_quantity(2_000, "homes")
    >>> q
    <Quantity(2000, 'dwelling')>
    >>> as_quantity(150, "ft", dimension="[length]").to("m").round(2)
    <Quantity(45.72, 'meter')>
"""

from __future__ import annotations

import contextlib
import re
import threading
import weakref
from typing import TYPE_CHECKING, Any

from civicinnov.errors import UnitError

if TYPE_CHECKING:
    from typing import TypeAlias

    import pint

    #: A pint quantity of any magnitude type (a number or a numpy array).
    Quantity: TypeAlias = pint.Quantity[Any]
    #: A pint unit.
    Unit: TypeAlias = pint.Unit
    #: A pint unit registry.
    UnitRegistry: TypeAlias = pint.UnitRegistry[Any]

__all__ = [
    "CIVIC_UNITS",
    "as_quantity",
    "check_dimension",
    "define_units",
    "get_registry",
    "parse_unit",
    "register_units",
    "registry_key",
]

#: The civic unit definitions, in pint's definition syntax (``name = [dimension] = symbol = alias``).
CIVIC_UNITS: tuple[str, ...] = (
    "person = [person] = _ = people = persons",
    "household = [household] = _ = households",
    "incident = [incident] = _ = incidents",
    "case = [case] = _ = cases",
    "property = [property] = _ = properties",
    "call = [call] = _ = calls",
    "dwelling = [dwelling] = _ = dwellings = home = homes",
    "business = [business] = _ = businesses",
    "per_thousand = 1e-3 = _ = per_mille_rate",
    "per_hundred_thousand = 1e-5 = _ = per_100k",
)

_MAX_UNIT_TEXT = 200
_EXPONENT = re.compile(r"(\*\*|\^)\s*\(?\s*[-+]?\s*(\d+(?:\.\d*)?)")
_MAX_EXPONENT = 12.0

_extra_units: list[str] = []
_defined: weakref.WeakSet[Any] = weakref.WeakSet()
_define_lock = threading.Lock()


def define_units(registry: UnitRegistry) -> UnitRegistry:
    """Define civicinnov's civic units in ``registry`` and return it.

    Idempotent: a unit name the registry already knows is skipped, so calling this twice, or on a
    registry that defines ``person`` itself, changes nothing and logs no redefinition.

    Example:
        >>> import pint
        >>> ureg = define_units(pint.UnitRegistry())
        >>> ureg.Quantity(3, "households").dimensionality
        <UnitsContainer({'[household]': 1})>
        >>> define_units(ureg) is ureg
        True
    """
    target = _underlying(registry)
    if _is_defined(target):
        return registry
    with _define_lock:
        if _is_defined(target):
            return registry
        for definition in (*CIVIC_UNITS, *_extra_units):
            name = definition.split("=", 1)[0].strip()
            if not target.parse_unit_name(name, case_sensitive=True):
                target.define(definition)
        with contextlib.suppress(TypeError):  # every supported pint registry is weak-referenceable
            _defined.add(target)
    return registry


def register_units(*definitions: str) -> None:
    """Add unit definitions (pint syntax) that civicinnov defines in every registry it uses.

    For packages that extend civicinnov with units of their own (``trip``, ``boarding``). Like the
    civic units, each is defined idempotently: a name the registry already knows is left alone.

    Example:
        >>> register_units("boarding = [boarding] = _ = boardings")
        >>> as_quantity(1200, "boardings / day").dimensionality
        <UnitsContainer({'[boarding]': 1, '[time]': -1})>
    """
    for definition in definitions:
        if not isinstance(definition, str) or "=" not in definition:
            raise UnitError(
                f"register_units: expected a pint definition such as 'trip = [trip]', "
                f"got {definition!r}"
            )
    with _define_lock:
        for definition in definitions:
            if definition not in _extra_units:
                _extra_units.append(definition)
        _defined.clear()
    get_registry()


def get_registry() -> UnitRegistry:
    """Return pint's application registry, with civicinnov's civic units defined in it.

    The registry is looked up at each call, so a program that calls ``pint.set_application_registry``
    sees civicinnov follow it.

    Example:
        >>> ureg = get_registry()
        >>> str(ureg.Quantity(12, "incidents").units)
        'incident'
    """
    import pint

    registry: UnitRegistry = pint.get_application_registry()  # type: ignore[no-untyped-call]
    return define_units(registry)


def parse_unit(text: str, *, where: str = "unit") -> Unit:
    """Parse unit text such as ``"person / km**2"`` into a unit of the application registry.

    Raises :class:`~civicinnov.errors.UnitError` for text that is not a unit, that carries a
    number (``"1e5 person"`` is a quantity, not a unit), that is longer than 200 characters, or that
    raises a unit to a power above 12 in size; ``where`` names the field in the message.

    Example:
        >>> parse_unit("person / km**2")
        <Unit('person / kilometer ** 2')>
        >>> parse_unit("m**1000000")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: unit: 'm**1000000' has an exponent of 1000000; expected at most 12 in size
    """
    if not isinstance(text, str):
        raise UnitError(f"{where}: expected unit text, got {type(text).__name__} {text!r}")
    stripped = text.strip()
    if len(stripped) > _MAX_UNIT_TEXT:
        raise UnitError(
            f"{where}: unit text of {len(stripped)} characters; expected at most {_MAX_UNIT_TEXT}"
        )
    for match in _EXPONENT.finditer(stripped):
        if float(match.group(2)) > _MAX_EXPONENT:
            raise UnitError(
                f"{where}: {text!r} has an exponent of {match.group(2)}; "
                f"expected at most {_MAX_EXPONENT:g} in size"
            )
    registry = get_registry()
    try:
        if stripped in ("", "1", "dimensionless"):
            return registry.dimensionless
        parsed = registry.parse_expression(stripped)
    except Exception as exc:  # pint raises many unrelated types for bad text
        raise UnitError(f"{where}: {text!r} is not a unit pint understands ({exc})") from None
    if isinstance(parsed, (int, float)):
        raise UnitError(f"{where}: {text!r} is a number, not a unit")
    if parsed.magnitude != 1:
        raise UnitError(
            f"{where}: {text!r} carries the factor {parsed.magnitude!r}; a unit may not hold a "
            "number (write the scale as a unit such as 'per_hundred_thousand')"
        )
    unit: Unit = parsed.units  # type: ignore[assignment]
    return unit


def check_dimension(
    quantity: Quantity, dimension: str | Unit | Quantity, *, where: str = "value"
) -> None:
    """Raise :class:`~civicinnov.errors.UnitError` unless ``quantity`` has ``dimension``.

    ``dimension`` is a dimension such as ``"[length]"``, a unit (``"km"``) or a quantity whose
    dimension is wanted. The message names both dimensions.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> check_dimension(as_quantity(3, "km"), "[length]")
        >>> check_dimension(as_quantity(3, "kg"), "[length]", where="distance")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: distance: expected dimension [length], got [mass] (kilogram)
    """
    expected = _dimensionality(dimension)
    if quantity.dimensionality != expected:
        raise UnitError(
            f"{where}: expected dimension {_format_dim(expected)}, got "
            f"{_format_dim(quantity.dimensionality)} ({quantity.units})"
        )


def as_quantity(
    value: Any,
    unit: str | Unit | None = None,
    *,
    dimension: str | Unit | None = None,
    where: str = "value",
) -> Quantity:
    """Return ``value`` as a quantity of the application registry, checking its dimension.

    ``value`` may be a number or numpy array with ``unit`` given, a quantity of this or another
    registry (adopted by its unit's name; when ``unit`` is also given the quantity is converted to
    it), or quantity text such as ``"150 ft"``. ``dimension`` (``"[length]"`` or a unit) adds a check.

    Example:
        >>> import pint
        >>> foreign = pint.UnitRegistry().Quantity(2.5, "km")
        >>> as_quantity(foreign, "m")
        <Quantity(2500.0, 'meter')>
        >>> as_quantity(3, "kg", dimension="[length]", where="radius")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: radius: expected dimension [length], got [mass] (kilogram)
    """
    import pint

    registry = get_registry()
    quantity: Quantity
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is _underlying(registry) or value._REGISTRY is registry:
            quantity = value
        else:
            quantity = registry.Quantity(value.magnitude, parse_unit(str(value.units), where=where))
        if unit is not None:
            target = unit if isinstance(unit, pint.Unit) else parse_unit(unit, where=where)
            check_dimension(quantity, target, where=where)
            quantity = quantity.to(target)
    elif isinstance(value, str):
        if unit is not None:
            raise UnitError(f"{where}: give either quantity text or a unit, not both")
        quantity = _parse_quantity_text(value, where=where)
    else:
        if unit is None:
            raise UnitError(f"{where}: {value!r} has no unit; expected a quantity or a unit")
        parsed = unit if isinstance(unit, pint.Unit) else parse_unit(unit, where=where)
        if isinstance(value, bool):
            raise UnitError(f"{where}: expected a number, got bool {value!r}")
        quantity = registry.Quantity(value, parsed)
    if dimension is not None:
        check_dimension(quantity, dimension, where=where)
    return quantity


def _parse_quantity_text(text: str, *, where: str) -> Quantity:
    match = re.match(r"\s*([-+]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)$", text)
    if match is None:
        raise UnitError(f"{where}: {text!r} is not a quantity such as '150 ft'")
    number = match.group(1).replace(",", "").replace("_", "")
    magnitude: float | int = float(number) if any(c in number for c in ".eE") else int(number)
    return get_registry().Quantity(magnitude, parse_unit(match.group(2) or "", where=where))


def _dimensionality(dimension: Any) -> Any:
    registry = get_registry()
    if isinstance(dimension, str):
        if dimension.startswith("["):
            return registry.get_dimensionality(dimension)
        return parse_unit(dimension).dimensionality
    return dimension.dimensionality


def _format_dim(dimensionality: Any) -> str:
    text = str(dimensionality)
    return "dimensionless" if text in ("", "dimensionless") else text


def _underlying(registry: Any) -> Any:
    get = getattr(registry, "get", None)
    if callable(get) and type(registry).__name__ == "ApplicationRegistry":
        return get()
    return registry


def _is_defined(registry: Any) -> bool:
    try:
        return registry in _defined
    except TypeError:  # pragma: no cover
        return False


def registry_key() -> Any:
    """The unit registry in force, as the key of a per-registry cache.

    pint's application registry is a wrapper; this is the registry behind it, so a cache keyed on
    it hands out quantities of the registry in force after ``set_application_registry``.

    Example:
        >>> registry_key() is registry_key()
        True
    """
    return _underlying(get_registry())
