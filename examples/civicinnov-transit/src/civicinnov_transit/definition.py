"""Transit metric definitions: :class:`TransitMode` and :class:`TransitMetricDefinition`.

:class:`TransitMetricDefinition` is a subclass of civicinnov's
:class:`~civicinnov.metrics.MetricDefinition` with three extra fields:

- ``mode`` (required): the :class:`TransitMode` the metric is about;
- ``gtfs_route_types``: the GTFS ``routes.txt`` ``route_type`` codes the metric is computed over
  (``3`` is bus, ``4`` ferry, ...); each code must belong to ``mode``. Bike share is described by
  GBFS feeds, not GTFS routes, so a bike-share metric has no route types;
- ``catchment``: a walking distance that is part of the definition (such as "within 400 m of a
  frequent stop"), a pint length.

Every check of the base class still runs: the subclass calls ``super().__attrs_post_init__()`` before
its own cross-field check. Bad values raise civicinnov's own errors
(:class:`~civicinnov.errors.ValidationError`, :class:`~civicinnov.errors.UnitError`), naming the field.

Because the class subclasses ``MetricDefinition``, civicinnov's JSON converter writes an instance
with a ``"class"`` tag (``"civicinnov_transit.definition:TransitMetricDefinition"``) and its extra
fields, and reads it back as the subclass, provided this module is imported first.

Example:
    >>> d = TransitMetricDefinition(id="ferry-boardings", name="Ferry boardings",
    ...                             unit="person", mode="ferry", gtfs_route_types=[4])
    >>> d.mode, sorted(d.gtfs_route_types)
    (<TransitMode.FERRY: 'ferry'>, [4])
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
from civicinnov.errors import ValidationError
from civicinnov.metrics import MetricDefinition
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = ["GTFS_ROUTE_TYPES", "TransitMetricDefinition", "TransitMode"]


class TransitMode(enum.Enum):
    """A way of travelling that a transit metric is about.

    Example:
        >>> TransitMode("bike-share")
        <TransitMode.BIKE_SHARE: 'bike-share'>
        >>> sorted(TransitMode.RAIL.route_types)
        [0, 1, 2, 5, 7, 12]
    """

    BUS = "bus"
    RAIL = "rail"
    FERRY = "ferry"
    BIKE_SHARE = "bike-share"

    @property
    def route_types(self) -> frozenset[int]:
        """The GTFS ``route_type`` codes of this mode (empty for bike share, which GBFS describes).

        Example:
            >>> sorted(TransitMode.BUS.route_types)
            [3, 11]
        """
        return frozenset(code for code, mode in GTFS_ROUTE_TYPES.items() if mode is self)


#: The basic GTFS ``route_type`` codes (GTFS Schedule reference, ``routes.txt``) and the mode each
#: belongs to here. Code 6 (aerial lift) has no mode in this package and is refused.
GTFS_ROUTE_TYPES: dict[int, TransitMode] = {
    0: TransitMode.RAIL,  # tram, streetcar, light rail
    1: TransitMode.RAIL,  # subway, metro
    2: TransitMode.RAIL,  # intercity or long-distance rail
    3: TransitMode.BUS,
    4: TransitMode.FERRY,
    5: TransitMode.RAIL,  # cable tram
    7: TransitMode.RAIL,  # funicular
    11: TransitMode.BUS,  # trolleybus
    12: TransitMode.RAIL,  # monorail
}

_MODES = ", ".join(repr(m.value) for m in TransitMode)


def _to_mode(value: Any) -> Any:
    # Normalise only: text naming a mode becomes the member; anything else is left for the
    # validator to refuse with a message.
    if isinstance(value, str):
        try:
            return TransitMode(value)
        except ValueError:
            return value
    return value


def _check_mode(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, TransitMode):
        raise ValidationError(f"mode: expected one of {_MODES} (TransitMode), got {value!r}")


def _to_route_types(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
        return frozenset(value)
    return value


def _check_route_types(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset):
        raise ValidationError(
            f"gtfs_route_types: expected a collection of GTFS route_type codes such as [3], "
            f"got {value!r}"
        )
    for code in sorted(value, key=repr):
        if isinstance(code, bool) or not isinstance(code, int) or code not in GTFS_ROUTE_TYPES:
            known = ", ".join(str(c) for c in GTFS_ROUTE_TYPES)
            raise ValidationError(
                f"gtfs_route_types: expected GTFS route_type codes ({known}), got {code!r}"
            )


def _to_catchment(value: Any) -> Quantity | None:
    # The same normalisation civicinnov's ProximityMetricDefinition uses for its distance: text,
    # a number with unit or a quantity of any registry becomes a length of the application
    # registry (as_quantity raises UnitError for a wrong dimension).
    if value is None:
        return None
    return as_quantity(value, dimension="[length]", where="catchment")


def _check_catchment(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not float(value.magnitude) > 0:
        raise ValidationError(f"catchment: expected a positive distance, got {value:~P}")


@attrs.frozen(kw_only=True)
class TransitMetricDefinition(MetricDefinition):
    """A civicinnov metric definition for public transport, with a mode, GTFS route types and an
    optional walking catchment.

    ``mode`` accepts a :class:`TransitMode` or its value (``"bus"``); ``gtfs_route_types`` any
    iterable of codes; ``catchment`` a length as text (``"400 m"``) or a quantity.

    Raises :class:`~civicinnov.errors.ValidationError` for an unknown mode, a code that is not a
    GTFS route type or belongs to another mode, or a catchment that is not positive, and
    :class:`~civicinnov.errors.UnitError` for a catchment that is not a length.

    Example:
        >>> d = TransitMetricDefinition(id="stop-access", name="Residents near a stop",
        ...     unit="person", mode="bus", gtfs_route_types=[3], catchment="400 m")
        >>> round(d.catchment.to("ft").magnitude)
        1312
        >>> TransitMetricDefinition(id="x", name="X", unit="person", mode="ferry",
        ...                         gtfs_route_types=[3])
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: gtfs_route_types: metric 'x' is about ferry; expected route types of ferry (4), got 3 (bus)
    """

    mode: TransitMode = attrs.field(converter=_to_mode, validator=_check_mode)
    gtfs_route_types: frozenset[int] = attrs.field(
        factory=frozenset, converter=_to_route_types, validator=_check_route_types
    )
    catchment: Quantity | None = attrs.field(
        default=None, converter=_to_catchment, validator=_check_catchment
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        for code in sorted(self.gtfs_route_types):
            if GTFS_ROUTE_TYPES[code] is not self.mode:
                allowed = ", ".join(str(c) for c in sorted(self.mode.route_types)) or "none"
                raise ValidationError(
                    f"gtfs_route_types: metric {self.id!r} is about {self.mode.value}; expected "
                    f"route types of {self.mode.value} ({allowed}), got {code} "
                    f"({GTFS_ROUTE_TYPES[code].value})"
                )
