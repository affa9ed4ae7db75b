"""Cities: who the innovation work happens in, where they are, how many people live there.

A :class:`City` has a slug id, a name, an ISO 3166-1 alpha-2 country code (checked against the
built-in table :data:`ISO_3166_ALPHA2`; ``XK`` for Kosovo is accepted too, as most data sets use
it), an optional first-level administrative region (state, province, district: free text), an
optional population as a pint quantity in ``person``, and an optional :class:`Location`.

Population is given as a number of people (``population=390_000``), as quantity text
(``"390000 people"``) or as a pint quantity of any registry; it is stored as a quantity of the
application registry in ``person``. A quantity of another dimension raises
:class:`~civicinnov.errors.UnitError` naming both dimensions; a negative count raises
:class:`~civicinnov.errors.ValidationError`.

What does not live here: relations between cities (:mod:`civicinnov.network`), programme
membership (:mod:`civicinnov.model._programme`).

Example:
    >>> nola = City(id="new-orleans", name="New Orleans", country="us", region="Louisiana",
    ...             population=383_997, location=Location(lat=29.95, lon=-90.07))
    >>> nola.country, nola.population
    ('US', <Quantity(383997, 'person')>)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs

from civicinnov import _values as f
from civicinnov.errors import ValidationError
from civicinnov.units import as_quantity, check_dimension

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = ["ISO_3166_ALPHA2", "City", "Location", "check_country"]

#: ISO 3166-1 alpha-2 country codes (officially assigned), plus ``XK`` (Kosovo, user-assigned).
ISO_3166_ALPHA2: frozenset[str] = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW XK
    """.split()  # noqa: SIM905 - a table reads better as text
)


def check_country(code: object, *, where: str = "country") -> str:
    """Return ``code`` if it is an upper-case ISO 3166-1 alpha-2 code, else raise ValidationError.

    Parameters:
        code: The value to check; it must already be upper case (``"gb"`` is refused).
        where: Where the code came from, for the message.

    Returns:
        ``code``, unchanged.

    Raises:
        ValidationError: ``code`` is not a string among the ISO 3166-1 alpha-2 codes.

    Example:
        >>> check_country("IL")
        'IL'
        >>> check_country("USA", where="City.country")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: City.country: expected an ISO 3166-1 alpha-2 code ...
    """
    if not isinstance(code, str) or code not in ISO_3166_ALPHA2:
        raise ValidationError(
            f"{where}: expected an ISO 3166-1 alpha-2 code such as 'US' or 'GB', got {code!r}"
        )
    return code


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _country(instance: Any, attribute: Any, value: Any) -> None:
    check_country(value, where=f.where(instance, attribute))


def _optional_country(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        _country(instance, attribute, value)


def _to_float(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _coordinate(limit: float) -> Any:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        name = f.where(instance, attribute)
        if not isinstance(value, float):
            raise ValidationError(
                f"{name}: expected a number of degrees, got {type(value).__name__} {value!r}"
            )
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise ValidationError(
                f"{name}: expected degrees between {-limit:g} and {limit:g}, got {value!r}"
            )

    return check


@attrs.frozen(kw_only=True)
class Location:
    """A point on the globe in decimal degrees (WGS 84): latitude in [-90, 90], longitude in
    [-180, 180].

    Example:
        >>> Location(lat=35.15, lon=-90.05)
        Location(lat=35.15, lon=-90.05)
        >>> Location(lat=95, lon=0)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Location.lat: expected degrees between -90 and 90, got 95.0
    """

    lat: float = attrs.field(converter=_to_float, validator=_coordinate(90.0))
    lon: float = attrs.field(converter=_to_float, validator=_coordinate(180.0))


def _population(value: Any) -> Any:
    """Adopt a population into the application registry; numbers count people."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return as_quantity(value, "person", where="City.population")
    if isinstance(value, str) or hasattr(value, "dimensionality"):
        return as_quantity(value, where="City.population")
    return value


def _check_population(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    name = f.where(instance, attribute)
    if not hasattr(value, "dimensionality"):
        raise ValidationError(
            f"{name}: expected a number of people or a quantity in person, "
            f"got {type(value).__name__} {value!r}"
        )
    check_dimension(value, "[person]", where=name)
    magnitude = value.magnitude
    if isinstance(magnitude, bool) or not isinstance(magnitude, int | float):
        raise ValidationError(f"{name}: expected one number of people, got {magnitude!r}")
    if not math.isfinite(magnitude) or magnitude < 0:
        raise ValidationError(
            f"{name}: expected a non-negative, finite number of people, got {value}"
        )


@attrs.frozen(kw_only=True)
class City:
    """A city (or other local government) doing innovation work.

    Example:
        >>> City(id="tel-aviv", name="Tel Aviv-Yafo", country="IL").region is None
        True
        >>> City(id="Tel Aviv", name="Tel Aviv-Yafo", country="IL")
        Traceback (most recent call last):
        ...
        civicinnov.errors.IdentifierError: City.id: expected a slug (...), got 'Tel Aviv'
        >>> City(id="x", name="X", country="US", population=-5)
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: City.population: expected a non-negative, finite ...
    """

    id: str = attrs.field(validator=f.slug)
    name: str = attrs.field(validator=f.text)
    country: str = attrs.field(converter=_upper, validator=_country)
    region: str | None = attrs.field(default=None, validator=f.optional_text)
    population: Quantity | None = attrs.field(
        default=None, converter=_population, validator=_check_population
    )
    location: Location | None = attrs.field(
        default=None, validator=attrs.validators.optional(f.instance_of(Location))
    )

    @property
    def people(self) -> int | None:
        """The population as a whole number of people, or None when unknown.

        Example:
            >>> City(id="mobile", name="Mobile", country="US", population="187041 people").people
            187041
        """
        if self.population is None:
            return None
        return round(float(self.population.to("person").magnitude))
