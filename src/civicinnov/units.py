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
:func:`as_quantity`, which also checks their dimension.

**Unit text** is read by :func:`parse_unit` with a small grammar of its own, checked *before* pint
sees anything, so that no text can make it compute for long or build a huge number. The limits
(also in the documentation page on units):

- at most 200 characters, 64 tokens and 4 levels of parentheses;
- unit names, ``*``, ``/``, ``per``, juxtaposition (``kg m``), parentheses, powers written ``**`` or
  ``^`` or as superscripts (``m²``), and the words ``square``/``sq``/``cubic``/``squared``/``cubed``;
- an exponent is a number literal (``2``, ``-1``, ``0.5``) or a fraction in parentheses
  (``(1/3)``), never an expression, and is at most 12 in size with a denominator of at most 12; one
  exponent per factor (``m**2**3`` is refused);
- no number other than a leading ``1`` (``1 / s``): ``"1e5 person"`` is a quantity, not a unit;
- the unit that results has every exponent within the same bounds (``m**12 * m`` is refused).

:func:`format_unit` writes the canonical text of a unit (``"person / kilometer ** 2"``) and refuses
a unit that :func:`parse_unit` could not read back, so what is written can always be read.

**Definitions** of new units (for documents and plug-ins that declare their own) are checked by
:func:`check_unit_definition` and applied by :func:`define_units` or, for every registry civicinnov
uses, :func:`register_units`. Only two simple forms are accepted, each with an optional symbol and
aliases: a new base unit ``name = [dimension]``, and a scaled unit ``name = number * unit`` (or
``name = number`` for a dimensionless scale); an existing unit is never redefined. A definition that
says again what the registry already means is accepted and changes nothing.
:func:`unit_definitions` gives back the definition lines a unit depends on, so that a document saved
with a registered unit can carry it.

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
import math
import numbers
import re
import threading
import weakref
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

import attrs
import numpy as np

from civicinnov.errors import CivicError, UnitError

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
    "MAX_UNIT_EXPONENT",
    "UnitDefinition",
    "as_quantity",
    "check_dimension",
    "check_unit_definition",
    "define_units",
    "format_unit",
    "get_registry",
    "parse_unit",
    "register_units",
    "registry_key",
    "underlying_registry",
    "unit_definitions",
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

#: The largest size of an exponent in unit text and in a unit (``m**12`` is the most there is).
MAX_UNIT_EXPONENT = 12
_MAX_DENOMINATOR = 12
_MAX_UNIT_TEXT = 200
_MAX_TOKENS = 64
_MAX_DEPTH = 4
_MAX_QUANTITY_TEXT = 250
_MAX_DEFINITION_TEXT = 200
_MAX_DEFINITIONS = 1000
_MAX_ALIASES = 8
_CACHE_SIZE = 4096

_extra_units: list[str] = []
_defined: weakref.WeakSet[Any] = weakref.WeakSet()
_define_lock = threading.Lock()
_parsed: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
_known_definitions: dict[str, UnitDefinition] = {}


# -- registries ------------------------------------------------------------------------------------


@overload
def define_units(lines: UnitRegistry, /) -> UnitRegistry: ...


@overload
def define_units(
    lines: str | Iterable[str], /, *, registry: UnitRegistry | None = None, where: str = "units"
) -> UnitRegistry: ...


def define_units(
    lines: Any, /, *, registry: UnitRegistry | None = None, where: str = "units"
) -> UnitRegistry:
    """Define unit definition lines in a registry (the application registry by default).

    Each line is checked by :func:`check_unit_definition` first, all of them before any is
    defined, so a refused list changes nothing; the :class:`~civicinnov.errors.UnitError` lists
    every problem, each under ``where[i]``. A line may use a unit an earlier line defines. A line
    that says what the registry already means is accepted and changes nothing. Returns the registry.

    Given a pint registry instead of lines, defines civicinnov's civic units (and those added by
    :func:`register_units`) in it, idempotently: a unit name the registry already knows is
    skipped, so calling this twice, or on a registry that defines ``person`` itself, changes nothing.

    Parameters:
        lines: One definition line, an iterable of them, or a pint registry.
        registry: Where to define the lines; pint's application registry when ``None``.
        where: The place the lines came from, for messages (``"$.units"``).

    Returns:
        The registry the lines were defined in.

    Raises:
        UnitError: A line is not one of the accepted forms, or redefines a known unit.

    Example:
        >>> import pint
        >>> ureg = define_units(pint.UnitRegistry())
        >>> ureg.Quantity(3, "households").dimensionality
        <UnitsContainer({'[household]': 1})>
        >>> define_units(ureg) is ureg
        True
        >>> _ = define_units(["lane = [lane] = _ = lanes", "lane_pair = 2 * lane"], registry=ureg)
        >>> ureg.Quantity(3, "lane_pair").to("lanes")
        <Quantity(6, 'lane')>
        >>> define_units(["mile = [mile]"], registry=ureg, where="$.units")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: $.units[0]: 'mile = [mile]' redefines 'mile', which already ...
    """
    if _is_registry(lines):
        return _define_civic_units(lines)
    target = get_registry() if registry is None else registry
    if isinstance(lines, str):
        lines = [lines]
    elif not isinstance(lines, Iterable):
        raise UnitError(
            f"{where}: expected unit definition lines, got {type(lines).__name__} {lines!r}"
        )
    definitions = _check_all(lines, registry=target, where=where)
    _apply(definitions, target, where=where)
    return target


def _is_registry(value: Any) -> bool:
    return not isinstance(value, str) and callable(getattr(value, "define", None))


def _define_civic_units(registry: UnitRegistry) -> UnitRegistry:
    target = underlying_registry(registry)
    if _is_defined(target):
        return registry
    with _define_lock:
        if _is_defined(target):
            return registry
        for definition in (*CIVIC_UNITS, *_extra_units):
            name = definition.split("=", 1)[0].strip()
            if not target.parse_unit_name(name, case_sensitive=True):
                target.define(definition)
        _forget_parsed(target)
        with contextlib.suppress(TypeError):  # every supported pint registry is weak-referenceable
            _defined.add(target)
    return registry


def register_units(*definitions: str) -> None:
    """Add unit definitions that civicinnov defines in every registry it uses.

    For packages that extend civicinnov with units of their own (``trip``, ``boarding``). Each line
    is checked by :func:`check_unit_definition` (a new base unit or a scaled unit, no redefinition)
    and defined at once in the application registry; like the civic units, each is then defined
    idempotently in any other registry civicinnov is given. Saving a document that uses a
    registered unit can write its definition (see :func:`unit_definitions`).

    Parameters:
        definitions: Definition lines in pint syntax, such as ``"trip = [trip] = _ = trips"``.

    Raises:
        UnitError: A line is not an accepted definition or redefines a known unit.

    Example:
        >>> register_units("boarding = [boarding] = _ = boardings")
        >>> as_quantity(1200, "boardings / day").dimensionality
        <UnitsContainer({'[boarding]': 1, '[time]': -1})>
    """
    registry = get_registry()
    checked = _check_all(definitions, registry=registry, where="register_units")
    with _define_lock:
        for definition in checked:
            if definition.text not in _extra_units:
                _extra_units.append(definition.text)
        _defined.clear()
    _apply(checked, registry, where="register_units")
    get_registry()


def get_registry() -> UnitRegistry:
    """Return pint's application registry, with civicinnov's civic units defined in it.

    The registry is looked up at each call, so a program that calls ``pint.set_application_registry``
    sees civicinnov follow it.

    Returns:
        pint's application registry.

    Example:
        >>> ureg = get_registry()
        >>> str(ureg.Quantity(12, "incidents").units)
        'incident'
    """
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    registry: UnitRegistry = pint.get_application_registry()  # type: ignore[no-untyped-call]
    return _define_civic_units(registry)


def underlying_registry(registry: Any) -> Any:
    """Return the registry behind pint's application-registry wrapper (or ``registry`` itself).

    Units and quantities belong to the underlying registry, so identity checks compare with it.

    Parameters:
        registry: A pint registry or pint's application registry.

    Returns:
        The registry that units made through ``registry`` belong to.

    Example:
        >>> unit = parse_unit("km")
        >>> unit._REGISTRY is underlying_registry(get_registry())
        True
    """
    get = getattr(registry, "get", None)
    if callable(get) and type(registry).__name__ == "ApplicationRegistry":
        return get()
    return registry


# -- unit text -------------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    |(?P<power>\*\*|\^)
    |(?P<times>[*×·⋅])
    |(?P<divide>/)
    |(?P<open>\()
    |(?P<close>\))
    |(?P<sign>[-+−])
    |(?P<super>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)
    |(?P<name>(?:(?![⁰¹²³⁴⁵⁶⁷⁸⁹])[^\W\d])(?:(?![⁰¹²³⁴⁵⁶⁷⁸⁹])\w)*|%|‰|°|Ω|Å)
    """,
    re.VERBOSE,
)
_SYMBOL_NAMES = {"%": "percent", "‰": "permille", "°": "degree", "Ω": "ohm", "Å": "angstrom"}
_POSTFIX_POWERS = {"squared": 2, "cubed": 3}
_PREFIX_POWERS = {"square": 2, "sq": 2, "cubic": 3}
_KEYWORDS = frozenset({"per", *_POSTFIX_POWERS, *_PREFIX_POWERS})
_NAME = re.compile(r"(?:(?![⁰¹²³⁴⁵⁶⁷⁸⁹])[^\W\d])(?:(?![⁰¹²³⁴⁵⁶⁷⁸⁹])\w)*")
_EXPONENT_LITERAL = re.compile(r"[-+]?[0-9]{1,7}(?:\.[0-9]{1,7})?(?:/[0-9]{1,7})?")
_DIMENSIONLESS_TEXT = frozenset({"", "1", "dimensionless"})


class _RefusedError(Exception):
    """Internal: unit text outside the grammar; the parser turns it into a UnitError."""


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _RefusedError(
                f"has {text[position]!r} at character {position + 1}, which is not part of a "
                "unit (expected unit names, '*', '/', '**', parentheses and exponents)"
            )
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append((kind, match.group(), position + 1))
            if len(tokens) > _MAX_TOKENS:
                raise _RefusedError(f"has more than {_MAX_TOKENS} parts; expected a shorter unit")
        position = match.end()
    return tokens


class _UnitParser:
    """A recursive-descent reader of unit text into {unit name: exponent}, with every bound checked."""

    def __init__(self, text: str, tokens: list[tuple[str, str, int]], resolve: Any) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.resolve = resolve

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> dict[str, Fraction]:
        result = self.expression()
        token = self.peek()
        if token is not None:
            raise _RefusedError(f"has an unexpected {token[1]!r} at character {token[2]}")
        return result

    def expression(self) -> dict[str, Fraction]:
        result = self.term()
        while (token := self.peek()) is not None:
            kind, value, _ = token
            if kind == "times":
                self.take()
                _combine(result, self.term(), 1)
            elif kind == "divide" or (kind == "name" and value == "per"):
                self.take()
                _combine(result, self.term(), -1)
            elif kind in ("name", "open", "number"):  # juxtaposition multiplies, as in pint
                _combine(result, self.term(), 1)
            else:
                break
        return result

    def term(self) -> dict[str, Fraction]:
        token = self.peek()
        if token is not None and token[0] == "name" and token[1] in _PREFIX_POWERS:
            self.take()
            return _power(self.factor(), Fraction(_PREFIX_POWERS[token[1]]))
        return self.factor()

    def factor(self) -> dict[str, Fraction]:
        base = self.atom()
        token = self.peek()
        exponent: Fraction | None = None
        if token is not None and token[0] == "power":
            self.take()
            exponent = self.exponent(token[2])
        elif token is not None and token[0] == "super":
            self.take()
            exponent = _exponent_value(token[1].translate(_SUPERSCRIPTS), self.text)
        elif token is not None and token[0] == "name" and token[1] in _POSTFIX_POWERS:
            self.take()
            exponent = Fraction(_POSTFIX_POWERS[token[1]])
        if exponent is None:
            return base
        after = self.peek()
        if after is not None and after[0] in ("power", "super"):
            raise _RefusedError(
                f"raises a power to a power at character {after[2]}; expected one exponent per "
                "unit, such as 'm**6'"
            )
        return _power(base, exponent)

    def atom(self) -> dict[str, Fraction]:
        token = self.peek()
        if token is None:
            raise _RefusedError("ends where a unit name was expected")
        kind, value, position = self.take()
        if kind == "name" and value not in _KEYWORDS:
            return {self.resolve(_SYMBOL_NAMES.get(value, value)): Fraction(1)}
        if kind == "open":
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise _RefusedError(
                    f"nests parentheses more than {_MAX_DEPTH} deep at character {position}"
                )
            inner = self.expression()
            closing = self.peek()
            if closing is None or closing[0] != "close":
                raise _RefusedError(f"has an unclosed '(' at character {position}")
            self.take()
            self.depth -= 1
            return inner
        if kind == "number" and value == "1":
            return {}
        if kind == "number":
            raise _RefusedError(
                f"holds the number {value} at character {position}; a unit may not hold a number "
                "(a quantity such as '1e5 person' is not a unit; write a scale as a unit such as "
                "'per_hundred_thousand')"
            )
        raise _RefusedError(f"has {value!r} at character {position} where a unit name was expected")

    def exponent(self, position: int) -> Fraction:
        token = self.peek()
        if token is None:
            raise _RefusedError(
                f"ends after the '**' at character {position}; expected an exponent"
            )
        if token[0] == "open":
            self.take()
            parts = []
            while (inner := self.peek()) is not None and inner[0] != "close":
                parts.append(self.take())
                if len(parts) > 4:
                    break
            shape = "".join(kind[0] for kind, _, _ in parts)
            literal = "".join(value for _, value, _ in parts)
            if self.peek() is None or shape not in ("n", "sn", "ndn", "sndn"):
                raise _RefusedError(
                    f"has an exponent that is an expression at character {token[2]}; expected a "
                    f"number such as 2 or a fraction such as (1/2), at most {MAX_UNIT_EXPONENT} "
                    "in size"
                )
            self.take()
            return _exponent_value(literal, self.text)
        sign = ""
        if token[0] == "sign":
            sign = self.take()[1]
            token = self.peek()
        if token is None or token[0] != "number":
            raise _RefusedError(
                f"has an exponent that is not a number at character {position}; expected a "
                f"number such as 2 or a fraction such as (1/2), at most {MAX_UNIT_EXPONENT} "
                "in size"
            )
        self.take()
        return _exponent_value(sign + token[1], self.text)


def _exponent_value(literal: str, text: str) -> Fraction:
    literal = literal.replace("−", "-")
    if not _EXPONENT_LITERAL.fullmatch(literal):
        raise _RefusedError(
            f"has an exponent of {literal}; expected at most {MAX_UNIT_EXPONENT} in size, a "
            f"whole number or a fraction with a denominator of at most {_MAX_DENOMINATOR}"
        )
    try:
        value = Fraction(literal)
    except (ValueError, ZeroDivisionError):
        raise _RefusedError(f"has an exponent of {literal}, which is not a number") from None
    if abs(value) > MAX_UNIT_EXPONENT or value.denominator > _MAX_DENOMINATOR:
        raise _RefusedError(
            f"has an exponent of {literal}; expected at most {MAX_UNIT_EXPONENT} in size, a whole "
            f"number or a fraction with a denominator of at most {_MAX_DENOMINATOR}"
        )
    return value


def _combine(into: dict[str, Fraction], other: dict[str, Fraction], sign: int) -> None:
    for name, exponent in other.items():
        into[name] = into.get(name, Fraction(0)) + sign * exponent


def _power(base: dict[str, Fraction], exponent: Fraction) -> dict[str, Fraction]:
    return {name: value * exponent for name, value in base.items()}


def _unknown_unit(name: str, text: str | None = None) -> str:
    example = name if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,63}", name) else "pothole"
    return (
        f"{text if text is not None else name!r} is not a unit pint understands: {name!r} is not "
        f"defined here; define it with civicinnov.units.register_units('{example} = "
        f"[{example}]') or declare it in the document's units section"
    )


def parse_unit(text: str, *, where: str = "unit") -> Unit:
    """Parse unit text such as ``"person / km**2"`` into a unit of the application registry.

    The text is read by civicinnov's own bounded grammar (see the module documentation) before
    pint resolves the unit names, so hostile text fails at once instead of running for long.

    Parameters:
        text: Unit text; ``""``, ``"1"`` and ``"dimensionless"`` are the dimensionless unit.
        where: Where the text came from (``"$.metrics[0].unit"``, ``"obs.csv line 4"``), for the
            message.

    Returns:
        A unit of the application registry.

    Raises:
        UnitError: The text is not a unit, is out of bounds (over 200 characters, 64 tokens or 4
            levels of parentheses, an exponent above 12 in size or that is an expression), holds a
            number, or names a unit this registry does not know.

    Example:
        >>> parse_unit("person / km**2")
        <Unit('person / kilometer ** 2')>
        >>> parse_unit("m**1000000")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: unit: 'm**1000000' has an exponent of 1000000; expected at most 12 ...
        >>> parse_unit("sinkhole", where="$.metrics[0].unit")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: $.metrics[0].unit: 'sinkhole' is not a unit pint understands: 'sinkhole' is not defined here; define it with civicinnov.units.register_units('sinkhole = [sinkhole]') or declare it in the document's units section
    """
    if not isinstance(text, str):
        raise UnitError(f"{where}: expected unit text, got {type(text).__name__} {text!r:.80}")
    if len(text) > _MAX_UNIT_TEXT + 50:
        raise UnitError(
            f"{where}: unit text of {len(text)} characters; expected at most {_MAX_UNIT_TEXT}"
        )
    stripped = text.strip()
    if len(stripped) > _MAX_UNIT_TEXT:
        raise UnitError(
            f"{where}: unit text of {len(stripped)} characters; expected at most {_MAX_UNIT_TEXT}"
        )
    registry = get_registry()
    if stripped in _DIMENSIONLESS_TEXT:
        dimensionless: Unit = registry.dimensionless
        return dimensionless
    target = underlying_registry(registry)
    cache = _parsed.get(target)
    if cache is not None and (hit := cache.get(stripped)) is not None:
        unit: Unit = hit
        return unit

    def resolve(name: str) -> str:
        try:
            canonical: str = target.get_name(name, case_sensitive=True)
        except Exception:  # pint raises UndefinedUnitError, or others for odd names
            raise UnitError(f"{where}: {_unknown_unit(name, text)}") from None
        if not canonical or not _NAME.fullmatch(canonical):  # pragma: no cover - pint's names
            raise UnitError(f"{where}: {_unknown_unit(name, text)}")
        return canonical

    try:
        # as pint does, the degree sign is the word 'degree' ('°C' is 'degreeC', degree Celsius)
        readable = stripped.replace("°", "degree")
        exponents = _UnitParser(stripped, _tokens(readable), resolve).parse()
    except _RefusedError as exc:
        raise UnitError(f"{where}: {text!r} {exc}") from None
    exponents = {name: value for name, value in exponents.items() if value != 0}
    for name, value in exponents.items():
        if abs(value) > MAX_UNIT_EXPONENT or value.denominator > _MAX_DENOMINATOR:
            raise UnitError(
                f"{where}: {text!r} comes to {name} ** {_exponent_text(value)}; expected every "
                f"exponent at most {MAX_UNIT_EXPONENT} in size with a denominator of at most "
                f"{_MAX_DENOMINATOR}"
            )
    try:
        unit = _build_unit(target, exponents)
    except Exception as exc:  # pint refuses some combinations (offset units); keep it a UnitError
        raise UnitError(f"{where}: {text!r} is not a unit pint can build ({exc})") from None
    if cache is None:
        cache = {}
        with contextlib.suppress(TypeError):
            _parsed[target] = cache
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[stripped] = unit
    return unit


def _build_unit(target: Any, exponents: dict[str, Fraction]) -> Unit:
    from pint.util import UnitsContainer  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    container = UnitsContainer(
        {
            name: int(value) if value.denominator == 1 else float(value)
            for name, value in exponents.items()
        }
    )
    unit: Unit = target.Unit(container)
    return unit


def _forget_parsed(target: Any) -> None:
    cache = _parsed.get(target)
    if cache is not None:
        cache.clear()


def _exponent_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"({value.numerator}/{value.denominator})"


def format_unit(unit: Unit, *, where: str = "unit") -> str:
    """Write the canonical text of ``unit``, which :func:`parse_unit` reads back to an equal unit.

    The text uses pint's full names, ``*`` and ``/`` (``"kilogram * meter / second ** 2"``,
    ``"1 / second"``, ``"dimensionless"``); a fractional exponent is written as a fraction in
    parentheses (``"meter ** (1/3)"``). A unit that could not be read back (an exponent above 12 in
    size, as arithmetic on units can make) is refused rather than written.

    Parameters:
        unit: A pint unit of any registry.
        where: Where the unit is being written, for the message.

    Returns:
        The unit's text.

    Raises:
        UnitError: ``unit`` is not a pint unit, or has an exponent outside the bounds of
            :func:`parse_unit`.

    Example:
        >>> format_unit(parse_unit("kg*m/s^2"))
        'kilogram * meter / second ** 2'
        >>> format_unit(parse_unit("m**(1/3)"))
        'meter ** (1/3)'
        >>> format_unit(parse_unit("m**6") ** 6)
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: unit: meter ** 36 has an exponent of 36; expected at most 12 ...
    """
    items = getattr(unit, "_units", None)
    if items is None or not hasattr(unit, "dimensionality"):
        raise UnitError(f"{where}: expected a pint unit, got {type(unit).__name__} {unit!r:.80}")
    numerator: list[str] = []
    denominator: list[str] = []
    for name, raw in items.items():
        value = Fraction(raw).limit_denominator(_MAX_DENOMINATOR)
        if (
            abs(value) > MAX_UNIT_EXPONENT
            or not math.isclose(float(value), float(raw), rel_tol=1e-12, abs_tol=1e-12)
            or value == 0
        ):
            raise UnitError(
                f"{where}: {name} ** {raw:g} has an exponent of {raw:g}; expected at most "
                f"{MAX_UNIT_EXPONENT} in size, a whole number or a fraction with a denominator of "
                f"at most {_MAX_DENOMINATOR}, so that the unit can be read back"
            )
        if not _NAME.fullmatch(name) or name in _KEYWORDS:
            raise UnitError(f"{where}: the unit name {name!r} cannot be written as unit text")
        size = abs(value)
        term = name if size == 1 else f"{name} ** {_exponent_text(size)}"
        (numerator if value > 0 else denominator).append(term)
    if not numerator and not denominator:
        return "dimensionless"
    return " / ".join([" * ".join(numerator) or "1", *denominator])


# -- unit definitions ------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
_DIMENSION = re.compile(r"\[([A-Za-z][A-Za-z0-9_]{0,63})\]")
_FACTOR = re.compile(r"([0-9]{1,20}(?:\.[0-9]{1,20})?(?:[eE][-+]?[0-9]{1,2})?)")
_SCALED = re.compile(
    rf"{_FACTOR.pattern}(?:\s*\*\s*|\s+)({_IDENTIFIER.pattern})|{_FACTOR.pattern}|"
    rf"({_IDENTIFIER.pattern})"
)


def _names_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _check_name(value: Any, where: str) -> None:
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value) or value in _KEYWORDS:
        raise UnitError(
            f"{where}: expected a name such as 'pothole' (ASCII letters, digits and '_', "
            f"starting with a letter), got {value!r:.80}"
        )


@attrs.frozen(kw_only=True)
class UnitDefinition:
    """A checked unit definition: a new base unit, or a number times a known unit.

    Made by :func:`check_unit_definition`; ``text`` is the canonical pint definition line.

    Attributes:
        name: The unit's name.
        dimension: The new base dimension (``"[pothole]"``), or ``None`` for a scaled unit.
        factor: The scale (``"1e-3"``) of a scaled unit, as written; ``None`` for a base unit.
        unit: The unit a scaled unit is a multiple of (``None`` for a base unit or a
            dimensionless scale).
        symbol: The unit's symbol, or ``None``.
        aliases: Other names of the unit.

    Example:
        >>> d = check_unit_definition("crew_shift = 8 * hour = _ = crew_shifts")
        >>> d.name, d.factor, d.unit, d.aliases
        ('crew_shift', '8', 'hour', ('crew_shifts',))
        >>> d.text
        'crew_shift = 8 * hour = _ = crew_shifts'
    """

    name: str = attrs.field(validator=lambda i, a, v: _check_name(v, f"UnitDefinition.{a.name}"))
    dimension: str | None = None
    factor: str | None = None
    unit: str | None = None
    symbol: str | None = None
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names_tuple)

    def __attrs_post_init__(self) -> None:
        if (self.dimension is None) == (self.factor is None) or (
            self.dimension is not None and self.unit is not None
        ):
            raise UnitError(
                "UnitDefinition: expected a dimension or a factor (with an optional unit), "
                f"got dimension={self.dimension!r}, factor={self.factor!r}, unit={self.unit!r}"
            )
        if self.dimension is not None and not _DIMENSION.fullmatch(self.dimension):
            raise UnitError(
                "UnitDefinition.dimension: expected a dimension such as '[pothole]', got "
                f"{self.dimension!r:.80}"
            )
        if self.factor is not None and not _FACTOR.fullmatch(self.factor):
            raise UnitError(
                "UnitDefinition.factor: expected a positive number such as '8' or '1e-3', got "
                f"{self.factor!r:.80}"
            )
        if self.unit is not None:
            _check_name(self.unit, "UnitDefinition.unit")
        if self.symbol is not None:
            _check_name(self.symbol, "UnitDefinition.symbol")
        for i, alias in enumerate(self.aliases):
            _check_name(alias, f"UnitDefinition.aliases[{i}]")

    @property
    def text(self) -> str:
        """The definition as one pint definition line.

        Example:
            >>> check_unit_definition("pothole=[pothole]=_=potholes").text
            'pothole = [pothole] = _ = potholes'
        """
        if self.dimension is not None:
            value = self.dimension
        elif self.unit is None:
            value = str(self.factor)
        else:
            value = f"{self.factor} * {self.unit}"
        parts = [self.name, value]
        if self.symbol is not None or self.aliases:
            parts.extend([self.symbol or "_", *self.aliases])
        return " = ".join(parts)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the definition introduces: the name, the symbol and the aliases.

        Example:
            >>> check_unit_definition("lane = [lane] = ln = lanes").names
            ('lane', 'ln', 'lanes')
        """
        symbol = () if self.symbol is None else (self.symbol,)
        return (self.name, *symbol, *self.aliases)


def check_unit_definition(
    line: str, *, registry: UnitRegistry | None = None, where: str = "units"
) -> UnitDefinition:
    """Check one pint unit definition line for a document or plug-in that declares its own units.

    Accepted, each optionally followed by ``= symbol`` (``_`` for none) and ``= alias`` parts:

    - ``name = [dimension]``: a new base unit of a new dimension;
    - ``name = number * unit`` (or ``number unit``, or ``unit``): a multiple of a unit the registry
      knows;
    - ``name = number``: a dimensionless scale (``per_thousand = 1e-3``).

    Names are ASCII identifiers. Nothing else is accepted: no expressions, offsets, prefixes or
    directives. A definition may not redefine a unit, symbol, alias or dimension the registry
    already knows with another meaning; one that repeats what the registry already means is
    accepted (defining it again changes nothing).

    Parameters:
        line: The definition line.
        registry: The registry it will be defined in; the application registry when ``None``.
        where: Where the line came from (``"$.units[2]"``), for the message.

    Returns:
        The checked :class:`UnitDefinition`.

    Raises:
        UnitError: The line is not one of the accepted forms, or redefines something known.

    Example:
        >>> check_unit_definition("pothole = [pothole] = _ = potholes").dimension
        '[pothole]'
        >>> check_unit_definition("meter = [length]")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: units: 'meter = [length]' redefines 'meter', which already means meter ([length]); choose a new name
        >>> check_unit_definition("big = 10**10 * meter", where="$.units[0]")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: $.units[0]: 'big = 10**10 * meter' is not a definition ...
    """
    target = get_registry() if registry is None else registry
    return _check_definition(line, underlying_registry(target), where=where, pending={})


def _check_definition(
    line: Any, target: Any, *, where: str, pending: dict[str, UnitDefinition]
) -> UnitDefinition:
    if not isinstance(line, str):
        raise UnitError(
            f"{where}: expected a unit definition line such as 'pothole = [pothole]', got "
            f"{type(line).__name__} {line!r:.80}"
        )
    if len(line) > _MAX_DEFINITION_TEXT:
        raise UnitError(
            f"{where}: a unit definition of {len(line)} characters; expected at most "
            f"{_MAX_DEFINITION_TEXT}"
        )
    shape = (
        "is not a definition civicinnov accepts; expected 'name = [dimension]', "
        "'name = number * unit' or 'name = number', optionally followed by '= symbol' and "
        "'= alias' parts (such as 'pothole = [pothole] = _ = potholes')"
    )
    parts = [part.strip() for part in line.split("=")]
    if not 2 <= len(parts) <= 3 + _MAX_ALIASES:
        raise UnitError(f"{where}: {line!r} {shape}")
    name, value, *rest = parts
    symbol = rest[0] if rest and rest[0] != "_" else None
    aliases = tuple(rest[1:])
    for part in (name, *aliases, *([symbol] if symbol is not None else [])):
        if not _IDENTIFIER.fullmatch(part) or part in _KEYWORDS:
            raise UnitError(f"{where}: {line!r} has the name {part!r}; {shape}")
    if rest and not rest[0]:
        raise UnitError(f"{where}: {line!r} has an empty symbol; write '_' for none")
    definition: UnitDefinition
    dimension = _DIMENSION.fullmatch(value)
    scaled = None if dimension else _SCALED.fullmatch(value)
    if dimension is not None:
        definition = UnitDefinition(name=name, dimension=value, symbol=symbol, aliases=aliases)
    elif scaled is not None:
        factor = scaled.group(1) or scaled.group(3) or "1"
        unit = scaled.group(2) or scaled.group(4)
        number = float(factor)
        if not math.isfinite(number) or number <= 0:
            raise UnitError(
                f"{where}: {line!r} has the factor {factor}; expected a positive number"
            )
        definition = UnitDefinition(
            name=name, factor=factor, unit=unit, symbol=symbol, aliases=aliases
        )
    else:
        raise UnitError(f"{where}: {line!r} {shape}")
    names = definition.names
    if len(set(names)) != len(names):
        raise UnitError(f"{where}: {line!r} gives the same name twice")
    if definition.unit is not None and definition.unit not in pending:
        _known_name(target, definition.unit, where=where, line=line, resolve_only=True)
    for each in names:
        earlier = pending.get(each)
        if earlier is not None and earlier.text != definition.text:
            raise UnitError(
                f"{where}: {line!r} defines {each!r} again; an earlier line defines it as "
                f"{earlier.text!r}"
            )
        existing = _known_name(target, each, where=where, line=line)
        if existing is not None and not (
            _may_repeat(target, existing) and _means_the_same(target, existing, definition, pending)
        ):
            raise UnitError(
                f"{where}: {line!r} redefines {each!r}, which already means "
                f"{_describe_unit(target, existing)}; choose a new name"
            )
    if definition.dimension is not None and not _known_name(target, name, where=where, line=line):
        owner = _dimension_owner(target, definition.dimension) or next(
            (
                other.name
                for other in pending.values()
                if other.dimension == definition.dimension and other.name != name
            ),
            None,
        )
        if owner is not None:
            raise UnitError(
                f"{where}: {line!r} gives a new base unit the dimension {definition.dimension}, "
                f"which is already the dimension of {owner!r}; use a new dimension, or write "
                f"'{name} = 1 * {owner}' for another name of the same unit"
            )
    return definition


def _known_name(
    target: Any, name: str, *, where: str, line: str, resolve_only: bool = False
) -> str | None:
    try:
        found = target.parse_unit_name(name, case_sensitive=True)
    except (
        Exception
    ):  # pragma: no cover - pint raises only for odd names, which are not identifiers
        found = ()
    if not found:
        if resolve_only:
            raise UnitError(f"{where}: {line!r} uses {_unknown_unit(name)}")
        return None
    prefix, unit, _suffix = found[0]
    return f"{prefix}{unit}"


_PINT_DIMENSIONS = frozenset(
    {
        "[length]",
        "[time]",
        "[current]",
        "[luminosity]",
        "[mass]",
        "[substance]",
        "[temperature]",
        "[printing_unit]",
    }
)
_CIVIC_NAMES = frozenset(d.split("=", 1)[0].strip() for d in CIVIC_UNITS)


def _may_repeat(target: Any, existing: str) -> bool:
    """Whether a definition may repeat the known unit ``existing`` (pint's own units: never)."""
    if existing in _known_definitions or existing in _CIVIC_NAMES:
        return True
    try:
        dimensions = set(target.Quantity(1, existing).dimensionality)
    except Exception:  # pragma: no cover - a name pint resolved always makes a quantity
        return False
    return bool(dimensions) and not dimensions & _PINT_DIMENSIONS


def _means_the_same(
    target: Any, existing: str, definition: UnitDefinition, pending: dict[str, UnitDefinition]
) -> bool:
    try:
        quantity = target.Quantity(1, existing)
        if definition.dimension is not None:
            base = quantity.to_base_units()
            return bool(
                dict(base.dimensionality) == {definition.dimension: 1}
                and math.isclose(float(base.magnitude), 1.0, rel_tol=1e-12)
                and str(base.units) == existing
            )
        other = definition.unit or "dimensionless"
        converted = float(quantity.to(other).magnitude)
        return math.isclose(converted, float(str(definition.factor)), rel_tol=1e-12)
    except Exception:  # a dimension mismatch or an offset unit: not the same meaning
        return False


def _describe_unit(target: Any, name: str) -> str:
    try:
        dimensionality = target.Quantity(1, name).dimensionality
    except Exception:  # pragma: no cover - a name pint resolved always makes a quantity
        return name
    return f"{name} ({_format_dim(dimensionality)})"


def _dimension_owner(target: Any, dimension: str) -> str | None:
    if dimension not in getattr(target, "_dimensions", {}):
        return None
    try:
        unit = min(str(u) for u in target.get_compatible_units(dimension))
        return str(target.Quantity(1, unit).to_base_units().units)
    except Exception:  # pragma: no cover - a dimension without units: name the dimension itself
        return dimension


def _check_all(lines: Iterable[Any], *, registry: Any, where: str) -> list[UnitDefinition]:
    target = underlying_registry(registry)
    pending: dict[str, UnitDefinition] = {}
    checked: list[UnitDefinition] = []
    problems: list[str] = []
    for i, line in enumerate(lines):
        if i >= _MAX_DEFINITIONS:
            problems.append(f"{where}: more than {_MAX_DEFINITIONS} unit definitions")
            break
        try:
            definition = _check_definition(line, target, where=f"{where}[{i}]", pending=pending)
        except UnitError as exc:
            problems.append(str(exc))
            continue
        checked.append(definition)
        for each in definition.names:
            pending[each] = definition
    if problems:
        message = (
            problems[0]
            if len(problems) == 1
            else (f"{where}: {len(problems)} unit definitions refused: " + "; ".join(problems))
        )
        raise UnitError(message, problems=problems)
    return checked


def _apply(definitions: list[UnitDefinition], registry: Any, *, where: str) -> None:
    target = underlying_registry(registry)
    with _define_lock:
        for definition in definitions:
            if not target.parse_unit_name(definition.name, case_sensitive=True):
                try:
                    target.define(definition.text)
                except Exception as exc:  # pragma: no cover - the check accepts only what pint can
                    raise UnitError(f"{where}: pint refused {definition.text!r} ({exc})") from None
            _known_definitions.setdefault(definition.name, definition)
        _forget_parsed(target)


def unit_definitions(unit: Unit | str) -> tuple[str, ...]:
    """Return the definition lines, added through :func:`register_units` or :func:`define_units`,
    that ``unit`` needs, each unit before those defined from it.

    A document that uses such a unit writes these lines, so that it loads where the unit was never
    registered. Units pint or civicinnov define themselves need no line.

    Parameters:
        unit: A unit or unit text.

    Returns:
        The definition lines, in the order they must be defined.

    Example:
        >>> register_units("graffiti_report = [graffiti_report]", "graffiti_sweep = 40 * graffiti_report")
        >>> unit_definitions("graffiti_sweep / week")
        ('graffiti_report = [graffiti_report]', 'graffiti_sweep = 40 * graffiti_report')
        >>> unit_definitions("km")
        ()
    """
    parsed = parse_unit(unit) if isinstance(unit, str) else unit
    target = underlying_registry(get_registry())
    lines: list[str] = []

    def visit(name: str, depth: int) -> None:
        found = target.parse_unit_name(name, case_sensitive=True)
        base = found[0][1] if found else name
        definition = _known_definitions.get(base)
        if definition is None or definition.text in lines or depth > _MAX_DEFINITIONS:
            return
        if definition.unit is not None:
            visit(definition.unit, depth + 1)
        lines.append(definition.text)

    for name in getattr(parsed, "_units", {}):
        visit(name, 0)
    return tuple(lines)


# -- quantities ------------------------------------------------------------------------------------


def check_dimension(
    quantity: Quantity, dimension: str | Unit | Quantity, *, where: str = "value"
) -> None:
    """Raise :class:`~civicinnov.errors.UnitError` unless ``quantity`` has ``dimension``.

    ``dimension`` is a dimension such as ``"[length]"``, a unit (``"km"``) or a quantity whose
    dimension is wanted. The message names both dimensions.

    Parameters:
        quantity: The quantity to check.
        dimension: The dimension wanted, as dimension text, a unit or a quantity.
        where: Where the quantity came from, for the message.

    Raises:
        UnitError: The dimensions differ, or an argument is not a quantity or a dimension.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> check_dimension(as_quantity(3, "km"), "[length]")
        >>> check_dimension(as_quantity(3, "kg"), "[length]", where="distance")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: distance: expected dimension [length], got [mass] (kilogram)
    """
    expected = _dimensionality(dimension, where=where)
    actual = getattr(quantity, "dimensionality", None)
    if actual is None or not hasattr(quantity, "units"):
        raise UnitError(
            f"{where}: expected a quantity, got {type(quantity).__name__} {quantity!r:.80}"
        )
    if actual != expected:
        raise UnitError(
            f"{where}: expected dimension {_format_dim(expected)}, got "
            f"{_format_dim(actual)} ({quantity.units})"
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

    Parameters:
        value: A number (``int``, ``float``, ``Decimal``, ``Fraction``, numpy number), a numeric
            array or sequence, a pint quantity, or quantity text.
        unit: The unit of a plain number, or the unit to convert a quantity to.
        dimension: The dimension the result must have.
        where: Where the value came from, for messages.

    Returns:
        A quantity of the application registry.

    Raises:
        UnitError: For every bad argument: a value that is not a number, an array that is not
            numeric, unit text that is not a unit, a wrong dimension, a conversion pint refuses.

    Example:
        >>> import pint
        >>> foreign = pint.UnitRegistry().Quantity(2.5, "km")
        >>> as_quantity(foreign, "m")
        <Quantity(2500.0, 'meter')>
        >>> as_quantity(3, "kg", dimension="[length]", where="radius")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: radius: expected dimension [length], got [mass] (kilogram)
        >>> as_quantity(object(), "kg", where="weight")
        Traceback (most recent call last):
        ...
        civicinnov.errors.UnitError: weight: expected a number or an array of numbers, got object ...
    """
    try:
        return _as_quantity(value, unit, dimension=dimension, where=where)
    except CivicError:
        raise
    except Exception as exc:  # pint and numpy raise many types for odd arguments; keep one
        raise UnitError(
            f"{where}: cannot make a quantity of {type(value).__name__} {value!r:.80} in "
            f"{unit!r:.80} ({type(exc).__name__}: {exc!s:.200})"
        ) from None


def _as_quantity(value: Any, unit: Any, *, dimension: Any, where: str) -> Quantity:
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    registry = get_registry()
    if unit is not None and not isinstance(unit, (str, pint.Unit)):
        raise UnitError(
            f"{where}: expected unit text or a pint unit, got {type(unit).__name__} {unit!r:.80}"
        )
    quantity: Quantity
    if isinstance(value, pint.Quantity):
        if value._REGISTRY is underlying_registry(registry) or value._REGISTRY is registry:
            quantity = value
        else:
            units: Any = value.units
            text = format_unit(units, where=where)
            quantity = registry.Quantity(value.magnitude, parse_unit(text, where=where))
        if unit is not None:
            target = _unit_of(unit, where=where)
            check_dimension(quantity, target, where=where)
            quantity = quantity.to(target)
    elif isinstance(value, str):
        if unit is not None:
            raise UnitError(f"{where}: give either quantity text or a unit, not both")
        quantity = _parse_quantity_text(value, where=where)
    else:
        if unit is None:
            raise UnitError(f"{where}: {value!r:.80} has no unit; expected a quantity or a unit")
        magnitude = _magnitude(value, where=where)
        quantity = registry.Quantity(magnitude, _unit_of(unit, where=where))
    if dimension is not None:
        check_dimension(quantity, dimension, where=where)
    return quantity


def _unit_of(unit: Any, *, where: str) -> Unit:
    import pint  # noqa: PLC0415 - pint loads on first use, so importing civicinnov stays cheap

    if isinstance(unit, pint.Unit):
        if unit._REGISTRY is underlying_registry(get_registry()):
            return unit
        return parse_unit(format_unit(unit, where=where), where=where)
    return parse_unit(unit, where=where)


def _magnitude(value: Any, *, where: str) -> Any:
    if isinstance(value, (bool, np.bool_)):
        raise UnitError(f"{where}: expected a number, got bool {value!r}")
    if isinstance(value, (int, float, Decimal, Fraction, np.integer, np.floating)):
        return value
    if isinstance(value, numbers.Complex):
        raise UnitError(f"{where}: expected a real number, got {type(value).__name__} {value!r}")
    if isinstance(value, (np.ndarray, list, tuple)):
        array = value if isinstance(value, np.ndarray) else np.asarray(value)
        if array.dtype.kind in "iuf":
            return array
        raise UnitError(
            f"{where}: expected an array of numbers, got an array of {array.dtype} "
            f"({array.dtype.kind!r} kind)"
        )
    raise UnitError(
        f"{where}: expected a number or an array of numbers, got {type(value).__name__} "
        f"{value!r:.80}"
    )


_QUANTITY_TEXT = re.compile(
    r"\s*([-+]?(?:[0-9][0-9_,]*\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*(.*)$", re.S
)


def _parse_quantity_text(text: str, *, where: str) -> Quantity:
    if len(text) > _MAX_QUANTITY_TEXT:
        raise UnitError(
            f"{where}: quantity text of {len(text)} characters; expected at most "
            f"{_MAX_QUANTITY_TEXT}"
        )
    match = _QUANTITY_TEXT.match(text)
    if match is None:
        raise UnitError(f"{where}: {text!r} is not a quantity such as '150 ft'")
    number = match.group(1).replace(",", "").replace("_", "")
    magnitude: float | int
    try:
        magnitude = float(number) if any(c in number for c in ".eE") else int(number)
    except ValueError:
        raise UnitError(f"{where}: {text!r} is not a quantity such as '150 ft'") from None
    if isinstance(magnitude, float) and not math.isfinite(magnitude):
        raise UnitError(
            f"{where}: {text!r} has a number too large for a float; expected a finite number"
        )
    return get_registry().Quantity(magnitude, parse_unit(match.group(2) or "", where=where))


def _dimensionality(dimension: Any, *, where: str = "dimension") -> Any:
    registry = get_registry()
    if isinstance(dimension, str):
        if dimension.startswith("["):
            if len(dimension) > _MAX_UNIT_TEXT or not _DIMENSION_TEXT.fullmatch(dimension):
                raise UnitError(
                    f"{where}: expected a dimension such as '[length]' or '[length] / [time]' "
                    f"(exponents of at most two digits), got {dimension!r:.80}"
                )
            return registry.get_dimensionality(dimension)
        return parse_unit(dimension, where=where).dimensionality
    result = getattr(dimension, "dimensionality", None)
    if result is None:
        raise UnitError(
            f"{where}: expected a dimension, a unit or a quantity, got "
            f"{type(dimension).__name__} {dimension!r:.80}"
        )
    return result


_DIMENSION_FACTOR = r"\[[A-Za-z_][A-Za-z0-9_]{0,63}\](?:\s*(?:\*\*|\^)\s*-?[0-9]{1,2})?"
_DIMENSION_TEXT = re.compile(rf"{_DIMENSION_FACTOR}(?:\s*[*/]\s*{_DIMENSION_FACTOR}){{0,15}}")


def _format_dim(dimensionality: Any) -> str:
    text = str(dimensionality)
    return "dimensionless" if text in ("", "dimensionless") else text


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
    return underlying_registry(get_registry())
