"""The city network: cities and organisations joined by typed, dated relations.

A :class:`CityNetwork` is a frozen value that composes (does not subclass) a networkx
:class:`~networkx.MultiGraph` and exposes it, frozen, as :attr:`CityNetwork.nx`. It is made by
:meth:`CityNetwork.from_records`, :meth:`CityNetwork.from_nx` or a :class:`CityNetworkBuilder`
(the one writable form, which checks every node and relation as it is added). Because a network
never changes once built, the arrays the analyses read (node positions, coordinates, the sparse
adjacency matrix) are computed once per network and can never describe an older graph.

Why an undirected multigraph: four of the six relation kinds are symmetric (two cities in one cohort,
a partnership, an exchange, two cities close to each other), and the analyses (betweenness,
communities, reach) treat every tie as a channel that carries knowledge both ways. The two directed
kinds, :attr:`RelationKind.ADOPTION` (a practice travelled from ``source`` to ``target``) and
:attr:`RelationKind.INTERMEDIARY` (an organisation links to a city), keep their direction in the edge
attributes ``source`` and ``target``; :meth:`CityNetwork.adoption_graph` turns adoption edges into a
:class:`~networkx.DiGraph`. Parallel edges are distinct relations, told apart by their key.

Graph rules (see DESIGN.md): node ids are slugs (``^[a-z][a-z0-9_-]*$``); every node, edge and graph
attribute is a JSON scalar (dates are ISO-8601 text, sets of ids are space-separated text); the units
of numeric attributes live in the graph attributes (``distance_unit`` is ``"kilometer"``,
``population_unit`` is ``"person"``).

Node attributes: ``kind`` (``"city"`` or ``"organisation"``), ``name``, ``country`` (ISO 3166-1
alpha-2), ``region``, ``population`` (persons), ``lat``/``lon`` (degrees), ``cohorts`` (space-separated
cohort ids), ``partner_kinds`` (organisations: space-separated :class:`PartnerKind` values) and one
``adopted:<practice_id>`` attribute (ISO date) per practice the city adopted.

Edge attributes: ``kind``, ``source``, ``target``, ``weight`` (dimensionless, default 1), and when set
``on``/``until`` (ISO dates), ``practice_id``, ``via`` (the cohort or organisation behind the tie),
``distance`` (kilometres, proximity links), ``note`` and ``id``.

What does not live here: the analyses (peers, structure and diffusion, in the sibling modules) and
file formats (:mod:`civicinnov.io`).

Example:
    >>> from datetime import date
    >>> b = CityNetworkBuilder()
    >>> for cid, lat, lon in [("lyon", 45.76, 4.84), ("grenoble", 45.19, 5.72), ("paris", 48.86, 2.35)]:
    ...     b.add_city(cid, country="FR", lat=lat, lon=lon)
    >>> b.add_relation(Relation(kind=RelationKind.EXCHANGE, source="lyon", target="paris",
    ...                         on=date(2017, 3, 1)))
    'exchange:2017-03-01'
    >>> b.add_proximity("150 km")
    1
    >>> net = b.build()
    >>> sorted(net.neighbours("lyon"))
    ['grenoble', 'paris']
    >>> net.view(kinds=[RelationKind.PROXIMITY]).number_of_relations()
    1
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import networkx as nx
import numpy as np
from networkx import DiGraph, MultiGraph

from civicinnov.errors import (
    CivicError,
    IdentifierError,
    NetworkError,
    UnknownIdError,
    ValidationError,
)
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from civicinnov.units import Quantity

__all__ = [
    "EARTH_RADIUS_KM",
    "Adoption",
    "CityNetwork",
    "CityNetworkBuilder",
    "NodeArrays",
    "NodeKind",
    "Relation",
    "RelationKind",
    "haversine_km",
    "proximity_pairs",
]

#: Mean Earth radius (IUGG), in kilometres, used for every great-circle distance in this package.
EARTH_RADIUS_KM = 6371.0088

_EVENT_KINDS = frozenset({"exchange", "adoption"})
_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
_ADOPTED = "adopted:"


def _check_slug(value: object, where: str) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise IdentifierError(
            f"{where}: {value!r} is not an id; expected a slug such as 'new-orleans' "
            "(lower-case letters, digits, '-' and '_', starting with a letter)"
        )
    return value


class RelationKind(enum.Enum):
    """The kinds of tie between two nodes of a :class:`CityNetwork`.

    ``COHORT_PEER``: two cities in the same cohort (derived from membership). ``PARTNERSHIP``: a
    standing agreement, e.g. a cross-border pact. ``EXCHANGE``: a visit, a convening, advice.
    ``ADOPTION``: directed and dated; ``target`` adopted practice ``practice_id`` from ``source``.
    ``INTERMEDIARY``: directed; an organisation (``source``) links to a city (``target``).
    ``PROXIMITY``: two cities within a distance of each other (computed from coordinates).
    The cross-border kinds (:attr:`cross_border`) keep how a place is tied across a border:
    ``CROSS_BORDER_METRO`` (cities of one urban area astride a border), ``BORDER`` (a place next
    to another country), ``ACROSS_WATER`` (within reach across a strait or sea), ``CULTURAL`` (a
    language or culture shared across a border); their other end is a city or a country node.
    ``SUPPORT``: directed; an organisation (``source``) serves a node (``target``) for the
    relation's ``purposes``.

    Example:
        >>> RelationKind("adoption").directed
        True
        >>> RelationKind.EXCHANGE.directed
        False
    """

    COHORT_PEER = "cohort_peer"
    PARTNERSHIP = "partnership"
    EXCHANGE = "exchange"
    ADOPTION = "adoption"
    INTERMEDIARY = "intermediary"
    PROXIMITY = "proximity"
    CROSS_BORDER_METRO = "cross_border_metro"
    BORDER = "border"
    ACROSS_WATER = "across_water"
    CULTURAL = "cultural"
    SUPPORT = "support"

    @property
    def cross_border(self) -> bool:
        """Whether the kind is a tie across a national border as a source describes it.

        Example:
            >>> RelationKind.BORDER.cross_border, RelationKind.PARTNERSHIP.cross_border
            (True, False)
        """
        return self in _CROSS_BORDER_KINDS

    @property
    def directed(self) -> bool:
        """Whether the relation has a direction (``source`` to ``target``).

        Example:
            >>> RelationKind.INTERMEDIARY.directed
            True
        """
        return self in (RelationKind.ADOPTION, RelationKind.INTERMEDIARY, RelationKind.SUPPORT)

    @property
    def cities_only(self) -> bool:
        """Whether both ends must be cities (cohort peers, adoption, proximity).

        Example:
            >>> RelationKind.PARTNERSHIP.cities_only
            False
        """
        return self in (RelationKind.COHORT_PEER, RelationKind.ADOPTION, RelationKind.PROXIMITY)


_CROSS_BORDER_KINDS = frozenset(
    {
        RelationKind.CROSS_BORDER_METRO,
        RelationKind.BORDER,
        RelationKind.ACROSS_WATER,
        RelationKind.CULTURAL,
    }
)


class NodeKind(enum.Enum):
    """What a node of a :class:`CityNetwork` stands for.

    A ``COUNTRY`` node stands for a whole country at the other end of a cross-border tie; its id
    is :func:`country_node_id` of the ISO code (``"country-be"``) and it is not a city.

    Example:
        >>> NodeKind("organisation")
        <NodeKind.ORGANISATION: 'organisation'>
    """

    CITY = "city"
    ORGANISATION = "organisation"
    COUNTRY = "country"


_NODE_KINDS = frozenset(k.value for k in NodeKind)


def country_node_id(code: str) -> str:
    """The node id of a country: ``country-`` and its ISO 3166-1 alpha-2 code in lower case.

    Parameters:
        code: The country's ISO 3166-1 alpha-2 code, in either case.

    Returns:
        The node id, such as ``country-be``.

    Raises:
        ValidationError: a code that is not two ASCII letters.

    Example:
        >>> country_node_id("BE")
        'country-be'
    """
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValidationError(
            f"country code {code!r}; expected an ISO 3166-1 alpha-2 code such as 'BE'"
        )
    return f"country-{code.lower()}"


def _to_kind(value: RelationKind | str) -> RelationKind:
    if isinstance(value, RelationKind):
        return value
    try:
        return RelationKind(value)
    except ValueError:
        known = ", ".join(k.value for k in RelationKind)
        raise ValidationError(
            f"kind: {value!r} is not a relation kind; expected one of {known}"
        ) from None


def _slug_field(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_slug(value, attribute.name)


def _optional_slug(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _check_slug(value, attribute.name)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    return tuple(value)


def _slug_tuple(instance: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    for item in value:
        _check_slug(item, attribute.name)


def _optional_date(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, date):
        raise ValidationError(
            f"{attribute.name}: expected a datetime.date, got {type(value).__name__} {value!r}"
        )


@attrs.frozen(kw_only=True)
class Relation:
    """One tie between two nodes: its kind, ends, dates and what it is about.

    ``source``/``target`` matter for directed kinds (``ADOPTION``: the practice went from ``source``
    to ``target``; ``INTERMEDIARY``: organisation ``source`` links city ``target``); for symmetric
    kinds their order carries no meaning. A relation is active from ``on`` to ``until`` (inclusive;
    either may be open). ``key`` tells parallel relations between the same pair apart.
    ``purposes`` (slugs such as ``"training"``) say what a ``SUPPORT`` relation is for; they are
    stored as one space-separated attribute.

    Raises:
        NetworkError: a relation from a node to itself (no relation kind allows self-loops).
        ValidationError: an adoption without ``practice_id`` or ``on``; ``until`` before ``on``; a
            weight that is not a positive finite number.

    Example:
        >>> from datetime import date
        >>> r = Relation(kind="adoption", source="chicago", target="memphis",
        ...              practice_id="blight-index", on=date(2015, 6, 1))
        >>> r.key
        'adoption:blight-index'
        >>> Relation(kind="exchange", source="memphis", target="memphis")
        Traceback (most recent call last):
        ...
        civicinnov.errors.NetworkError: exchange relation from 'memphis' to itself; expected two different node ids
    """

    kind: RelationKind = attrs.field(converter=_to_kind)
    source: str = attrs.field(validator=_slug_field)
    target: str = attrs.field(validator=_slug_field)
    on: date | None = attrs.field(default=None, validator=_optional_date)
    until: date | None = attrs.field(default=None, validator=_optional_date)
    practice_id: str | None = attrs.field(default=None, validator=_optional_slug)
    via: str | None = attrs.field(default=None, validator=_optional_slug)
    weight: float = 1.0
    distance_km: float | None = None
    note: str | None = None
    id: str | None = attrs.field(default=None, validator=_optional_slug)
    purposes: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple, validator=_slug_tuple)
    # derived once, when the relation is made: a network of a million relations reads them often
    _key: str = attrs.field(init=False, eq=False, hash=False, repr=False)
    _items: tuple[tuple[str, Any], ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise NetworkError(
                f"{self.kind.value} relation from {self.source!r} to itself; "
                "expected two different node ids"
            )
        if self.kind is RelationKind.ADOPTION and (self.practice_id is None or self.on is None):
            raise ValidationError(
                f"adoption {self.source!r} -> {self.target!r}: practice_id and on are required; "
                f"got practice_id={self.practice_id!r}, on={self.on!r}"
            )
        if self.on is not None and self.until is not None and self.until < self.on:
            raise ValidationError(
                f"{self.kind.value} relation {self.source!r} - {self.target!r}: until "
                f"{self.until.isoformat()} is before on {self.on.isoformat()}"
            )
        if (
            isinstance(self.weight, bool)
            or not isinstance(self.weight, (int, float))
            or not math.isfinite(self.weight)
            or self.weight <= 0
        ):
            raise ValidationError(
                f"{self.kind.value} relation {self.source!r} - {self.target!r}: weight must be a "
                f"positive finite number, got {self.weight!r}"
            )
        object.__setattr__(self, "_key", self._make_key())
        object.__setattr__(self, "_items", tuple(self._make_attributes().items()))

    @property
    def key(self) -> str:
        """The edge key: ``<kind>:<id | practice_id | via | on | "-">``.

        Example:
            >>> Relation(kind="cohort_peer", source="a", target="b", via="cohort-2014").key
            'cohort_peer:cohort-2014'
        """
        return self._key

    def _make_key(self) -> str:
        tag: str
        if self.id is not None:
            tag = self.id
        elif self.kind is RelationKind.ADOPTION and self.practice_id is not None:
            tag = self.practice_id
        elif self.via is not None:
            tag = self.via
        elif self.on is not None:
            tag = self.on.isoformat()
        else:
            tag = "-"
        return f"{self.kind.value}:{tag}"

    def attributes(self) -> dict[str, Any]:
        """The edge attributes stored in the graph (JSON scalars only).

        Example:
            >>> Relation(kind="partnership", source="a", target="b").attributes()
            {'kind': 'partnership', 'source': 'a', 'target': 'b', 'weight': 1.0}
        """
        return dict(self._items)

    def _make_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind.value,
            "source": self.source,
            "target": self.target,
            "weight": float(self.weight),
        }
        if self.on is not None:
            out["on"] = self.on.isoformat()
        if self.until is not None:
            out["until"] = self.until.isoformat()
        if self.practice_id is not None:
            out["practice_id"] = self.practice_id
        if self.via is not None:
            out["via"] = self.via
        if self.distance_km is not None:
            out["distance"] = float(self.distance_km)
        if self.note is not None:
            out["note"] = self.note
        if self.id is not None:
            out["id"] = self.id
        if self.purposes:
            out["purposes"] = " ".join(self.purposes)
        return out

    @classmethod
    def from_attributes(cls, data: Mapping[str, Any]) -> Relation:
        """Rebuild a relation from stored edge attributes (the inverse of :meth:`attributes`).

        Raises:
            ValidationError: a missing ``kind``/``source``/``target``, an attribute of the wrong
                type (text expected, or a finite number for ``weight`` and ``distance``), or any
                value the relation itself refuses.

        Example:
            >>> r = Relation(kind="exchange", source="a", target="b", note="site visit")
            >>> Relation.from_attributes(r.attributes()) == r
            True
            >>> Relation.from_attributes({"kind": "exchange", "source": "a", "target": "b",
            ...                           "weight": [1]})
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: attribute 'weight' is list [1]; expected a finite number
        """
        missing = [name for name in ("kind", "source", "target") if name not in data]
        if missing:
            raise ValidationError(
                f"attribute(s) {', '.join(map(repr, missing))} missing; expected kind, source "
                "and target"
            )
        for name in (
            "kind",
            "source",
            "target",
            "on",
            "until",
            "practice_id",
            "via",
            "note",
            "id",
            "purposes",
        ):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise ValidationError(
                    f"attribute {name!r} is {type(value).__name__} {value!r}; expected text"
                )
        for name in ("weight", "distance"):
            value = data.get(name)
            if name in data and (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ValidationError(
                    f"attribute {name!r} is {type(value).__name__} {value!r}; expected a finite "
                    "number"
                )
        on = data.get("on")
        until = data.get("until")
        distance = data.get("distance")
        return cls(
            kind=data["kind"],
            source=data["source"],
            target=data["target"],
            on=_parse_date(on, "on") if on is not None else None,
            until=_parse_date(until, "until") if until is not None else None,
            practice_id=data.get("practice_id"),
            via=data.get("via"),
            weight=float(data.get("weight", 1.0)),
            distance_km=float(distance) if distance is not None else None,
            note=data.get("note"),
            id=data.get("id"),
            purposes=tuple(str(data.get("purposes") or "").split()),
        )


def _parse_date(text: object, where: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValidationError(
            f"{where}: {text!r} is not an ISO date such as '2016-03-01'"
        ) from None


@attrs.frozen(kw_only=True)
class Adoption:
    """A city adopted a practice on a date, learning it from ``source_id`` when that is recorded.

    Example:
        >>> from datetime import date
        >>> Adoption(practice_id="memfix", city_id="memphis", on=date(2013, 4, 1)).source_id is None
        True
    """

    practice_id: str = attrs.field(validator=_slug_field)
    city_id: str = attrs.field(validator=_slug_field)
    on: date = attrs.field(validator=attrs.validators.instance_of(date))
    source_id: str | None = attrs.field(default=None, validator=_optional_slug)


# --- records from civicinnov.model, described structurally so this module does not depend on them


class _LocationLike(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


class _CityLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def region(self) -> str | None: ...
    @property
    def population(self) -> Any: ...
    @property
    def location(self) -> _LocationLike | None: ...


class _PartnerLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kinds(self) -> Iterable[Any]: ...
    @property
    def country(self) -> str | None: ...


class _MemberLike(Protocol):
    @property
    def city_id(self) -> str: ...
    @property
    def joined(self) -> date: ...


class _CohortLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def funder_id(self) -> str | None: ...
    @property
    def partner_ids(self) -> Iterable[str]: ...
    @property
    def announced(self) -> date: ...
    @property
    def members(self) -> Iterable[_MemberLike]: ...


# --- great-circle geometry ----------------------------------------------------------------------


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in kilometres between points given in degrees (vectorised).

    The haversine formula (Sinnott 1984, *Sky and Telescope* 68:159) on a sphere of radius
    :data:`EARTH_RADIUS_KM`.

    Parameters:
        lat1: Latitudes of the first points in degrees (a number or an array).
        lon1: Longitudes of the first points in degrees.
        lat2: Latitudes of the second points in degrees (broadcast against the first).
        lon2: Longitudes of the second points in degrees.

    Returns:
        The distances in kilometres, one per broadcast pair of points.

    Example:
        >>> float(haversine_km(48.8566, 2.3522, 51.5072, -0.1276).round(1))  # Paris - London
        343.5
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    l1 = np.radians(np.asarray(lon1, dtype=np.float64))
    l2 = np.radians(np.asarray(lon2, dtype=np.float64))
    return _haversine(p1, l1, np.cos(p1), p2, l2, np.cos(p2))


def _haversine(
    p1: NDArray[np.float64],
    l1: NDArray[np.float64],
    cos1: NDArray[np.float64],
    p2: NDArray[np.float64],
    l2: NDArray[np.float64],
    cos2: NDArray[np.float64],
) -> NDArray[np.float64]:
    # the one haversine computation, from radians and cosines of the latitudes (which callers
    # with many pairs per point compute once per point): the same operations in the same order,
    # so every caller gets bit-identical distances
    # (in place where it can be: this runs over millions of pairs)
    a = np.array(np.subtract(p2, p1), dtype=np.float64)
    a *= 0.5
    np.sin(a, out=a)
    a *= a
    b = np.array(np.subtract(l2, l1), dtype=np.float64)
    b *= 0.5
    np.sin(b, out=b)
    b *= b
    b *= cos1
    b *= cos2
    a += b
    np.clip(a, 0.0, 1.0, out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    a *= 2.0 * EARTH_RADIUS_KM
    out: NDArray[np.float64] = a
    return out


def _check_coordinates(
    lat: NDArray[np.float64], lon: NDArray[np.float64], ids: Iterable[str] | None = None
) -> None:
    bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0))
    if bad.any():
        names = list(ids) if ids is not None else [f"#{i}" for i in range(lat.size)]
        shown = [
            f"{names[i]} ({float(lat[i])!r}, {float(lon[i])!r})"
            for i in np.flatnonzero(bad)[:10].tolist()
        ]
        raise ValidationError(
            f"coordinates out of range for {int(bad.sum())} point(s): {', '.join(shown)}; "
            "expected latitude in [-90, 90] and longitude in [-180, 180] degrees"
        )


def proximity_pairs(
    lat: ArrayLike, lon: ArrayLike, within_km: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """All pairs ``i < j`` of points at most ``within_km`` apart on the sphere, with their distances.

    A k-d tree (:class:`scipy.spatial.cKDTree`) over the points as 3-D unit vectors finds the
    candidate pairs whose chord is at most ``2 sin(d / 2R)`` (widened by a relative 1e-9 so that
    rounding never drops a true pair); each candidate is then kept only if its haversine distance
    (:func:`haversine_km`) is at most ``within_km``. The result is therefore exactly the set an
    all-pairs haversine comparison gives, at a fraction of the cost. Pairs are sorted by ``(i, j)``.

    Parameters:
        lat: Latitudes of the points in degrees.
        lon: Longitudes of the points in degrees, one per latitude.
        within_km: The largest distance in kilometres, finite and >= 0.

    Returns:
        The first indices, the second indices and the distances in kilometres of the pairs.

    Raises:
        ValidationError: ``lat`` and ``lon`` differ in length, a coordinate is out of range or not
            finite, or ``within_km`` is negative or not finite.

    Example:
        >>> i, j, d = proximity_pairs([45.76, 45.19, 48.86], [4.84, 5.72, 2.35], 100.0)
        >>> i.tolist(), j.tolist(), d.round(1).tolist()
        ([0], [1], [93.4])
    """
    from scipy.spatial import cKDTree  # noqa: PLC0415 - scipy is heavy: loaded when this analysis runs

    la = np.asarray(lat, dtype=np.float64).ravel()
    lo = np.asarray(lon, dtype=np.float64).ravel()
    if la.shape != lo.shape:
        raise ValidationError(
            f"lat and lon differ in length: {la.size} and {lo.size}; expected one of each per point"
        )
    _check_coordinates(la, lo)
    if not (math.isfinite(within_km) and within_km >= 0):
        raise ValidationError(f"within: expected a finite distance >= 0 km, got {within_km!r}")
    empty_i = np.empty(0, dtype=np.intp)
    if la.size < 2:
        return empty_i, empty_i.copy(), np.empty(0, dtype=np.float64)
    phi = np.radians(la)
    lam = np.radians(lo)
    cos_phi = np.cos(phi)
    xyz = np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))
    theta = min(within_km / EARTH_RADIUS_KM, math.pi)
    chord = 2.0 * math.sin(theta / 2.0) * (1.0 + 1e-9) + 1e-12
    tree = cKDTree(xyz)
    pairs = tree.query_pairs(chord, output_type="ndarray")  # each pair once, i < j
    if pairs.size == 0:
        return empty_i, empty_i.copy(), np.empty(0, dtype=np.float64)
    # sort by (i, j) through one integer key, built and sorted in place (this runs over millions
    # of pairs: every temporary is a pass over memory), then compute distances in that order
    n = la.size
    key = pairs[:, 0].astype(np.int64)
    key *= n
    key += pairs[:, 1]
    del pairs
    key.sort()
    i, j = np.divmod(key, n)
    del key
    # one contiguous gather per quantity and end: strided columns slow every ufunc after them
    dist = _haversine(phi[i], lam[i], cos_phi[i], phi[j], lam[j], cos_phi[j])
    keep = dist <= within_km
    if not keep.all():  # the chord test admits a few pairs just beyond the distance
        i, j, dist = i[keep], j[keep], dist[keep]
    return i.astype(np.intp, copy=False), j.astype(np.intp, copy=False), dist


# --- the network ----------------------------------------------------------------------------------

_GRAPH_DEFAULTS: dict[str, Any] = {
    "civicinnov": "city_network",
    "distance_unit": "kilometer",
    "population_unit": "person",
    "weight_unit": "dimensionless",
}


def _kinds_of(kinds: Iterable[RelationKind | str] | RelationKind | str | None) -> set[str] | None:
    if kinds is None:
        return None
    if isinstance(kinds, (RelationKind, str)):
        kinds = [kinds]
    return {_to_kind(k).value for k in kinds}


def _check_scalar(value: object, name: str, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise NetworkError(f"{where} is {value!r}; expected a finite number")
    if value is not None and not isinstance(value, (str, int, float, bool)):
        raise NetworkError(
            f"{where} is {type(value).__name__} {value!r}; expected a JSON scalar (text, a finite "
            "number or a boolean)"
        )


def _check_node_numbers(node: str, data: Mapping[str, Any]) -> None:
    for name in ("lat", "lon", "population"):
        value = data.get(name)
        if name in data and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise NetworkError(
                f"node {node!r}: attribute {name!r} is {type(value).__name__} {value!r}; "
                "expected a number"
            )
    if ("lat" in data) != ("lon" in data):
        raise NetworkError(f"node {node!r}: lat and lon go together; got only one of them")
    if "lat" in data:
        try:
            _check_coordinates(
                np.array([data["lat"]], dtype=np.float64),
                np.array([data["lon"]], dtype=np.float64),
                [node],
            )
        except ValidationError as exc:
            raise NetworkError(f"node {node!r}: {exc}") from None


@attrs.frozen(kw_only=True)
class NodeArrays:
    """Per-node arrays of a :class:`CityNetwork`, in node order (see :meth:`CityNetwork.node_arrays`).

    ``ids`` and ``index`` (id to position) give the order; ``is_city``, ``lat``, ``lon`` (degrees,
    NaN when unknown), ``population`` (persons, NaN when unknown) and ``xyz`` (unit vectors on the
    sphere, NaN without coordinates) are read-only numpy arrays.

    Example:
        >>> arrays = CityNetwork().node_arrays()
        >>> arrays.ids, arrays.xyz.shape
        ((), (0, 3))
    """

    ids: tuple[str, ...]
    index: Mapping[str, int] = attrs.field(eq=False)
    is_city: NDArray[np.bool_] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    lat: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    lon: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    population: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    xyz: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))

    __hash__ = None  # type: ignore[assignment]  # holds arrays

    @classmethod
    def of(cls, g: nx.MultiGraph[str]) -> NodeArrays:
        """The arrays of a network's graph (as :meth:`CityNetwork.node_arrays` caches them).

        Example:
            >>> NodeArrays.of(CityNetwork().nx).ids
            ()
        """
        ids = tuple(g.nodes)
        data = [g.nodes[n] for n in ids]
        nan = float("nan")
        n = len(ids)
        is_city = np.fromiter((d["kind"] == "city" for d in data), bool, n)
        lat = np.fromiter((d.get("lat", nan) for d in data), np.float64, n)
        lon = np.fromiter((d.get("lon", nan) for d in data), np.float64, n)
        population = np.fromiter((d.get("population", nan) for d in data), np.float64, n)
        phi = np.radians(lat)
        lam = np.radians(lon)
        xyz = np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
        for arr in (is_city, lat, lon, population, xyz):
            arr.flags.writeable = False
        return cls(
            ids=ids,
            index=MappingProxyType({node: i for i, node in enumerate(ids)}),
            is_city=is_city,
            lat=lat,
            lon=lon,
            population=population,
            xyz=xyz,
        )


def _require(g: nx.MultiGraph[str], ids: Iterable[str], where: str) -> None:
    missing = [i for i in dict.fromkeys(ids) if i not in g]
    if missing:
        raise UnknownIdError(
            f"{where}: unknown id(s) {', '.join(map(repr, missing))}; expected nodes of the "
            f"network ({g.number_of_nodes()} nodes)"
        )


def _require_cities(g: nx.MultiGraph[str], ids: Iterable[str], where: str) -> None:
    ids = list(ids)
    _require(g, ids, where)
    not_cities = [i for i in ids if g.nodes[i].get("kind") != "city"]
    if not_cities:
        raise NetworkError(
            f"{where}: {', '.join(map(repr, not_cities))} are organisations; expected cities"
        )


def _insert_edges(
    g: nx.MultiGraph[str], edges: Iterable[tuple[str, str, str, dict[str, Any]]]
) -> None:
    """Insert checked ``(u, v, key, data)`` edges into ``g``'s adjacency, keeping ``data`` as is.

    This writes networkx's documented dict-of-dict-of-dict-of-dict multigraph structure directly
    (``G._adj[u][v][key] = data``, one key dict shared by both ends), which is what
    :meth:`networkx.MultiGraph.add_edge` does minus its per-edge checks and the copy of ``data``;
    every edge given here has been checked by the caller (known ends, no self-loop, new key).
    """
    adj: dict[str, dict[str, dict[str, dict[str, Any]]]] = g._adj  # type: ignore[attr-defined]
    for u, v, key, data in edges:
        adj_u = adj[u]
        keydict = adj_u.get(v)
        if keydict is None:
            keydict = {}
            adj_u[v] = keydict
            adj[v][u] = keydict
        keydict[key] = data


class CityNetworkBuilder:
    """A writable network under construction; :meth:`build` returns the frozen :class:`CityNetwork`.

    Add nodes with :meth:`add_city`, :meth:`add_city_record` and :meth:`add_organisation`, then
    relations with :meth:`add_relation` / :meth:`add_relations`, :meth:`add_cohort`,
    :meth:`record_adoption` and :meth:`add_proximity`. Every check of the network's rules happens
    here, as things are added. :meth:`build` is cheap (no copy): the builder hands its graph to the
    network and copies it only if it is changed again afterwards, so one builder can build several
    networks, each independent of the later changes.

    Example:
        >>> b = CityNetworkBuilder()
        >>> b.add_city("a", country="US"); b.add_city("b", country="FR")
        >>> b.add_relation(Relation(kind="partnership", source="a", target="b"))
        'partnership:-'
        >>> first = b.build()
        >>> b.add_city("c")
        >>> len(first), len(b.build())
        (2, 3)
    """

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __init__(self, network: CityNetwork | None = None) -> None:
        if network is None:
            self._g: nx.MultiGraph[str] = nx.MultiGraph()
            self._g.graph.update(_GRAPH_DEFAULTS)
            self._shared = False
        else:
            self._g = network.nx
            self._shared = True

    def _writable(self) -> None:
        if self._shared:
            # the graph belongs to a built network too: change a copy (attribute dicts copied)
            g: nx.MultiGraph[str] = nx.MultiGraph()
            g.graph.update(self._g.graph)
            g.add_nodes_from((n, dict(d)) for n, d in self._g.nodes(data=True))
            _insert_edges(
                g, ((u, v, k, dict(d)) for u, v, k, d in self._g.edges(keys=True, data=True))
            )
            self._g = g
            self._shared = False

    def build(self) -> CityNetwork:
        """The frozen network holding everything added so far.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a")
            >>> b.build().nodes()
            ['a']
        """
        self._shared = True
        return CityNetwork._of_graph(self._g)

    def __len__(self) -> int:
        return self._g.number_of_nodes()

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._g

    def __repr__(self) -> str:
        return (
            f"<CityNetworkBuilder: {self._g.number_of_nodes()} nodes, "
            f"{self._g.number_of_edges()} relations>"
        )

    def node(self, node_id: str) -> dict[str, Any]:
        """A copy of a node's attributes, as added so far.

        Parameters:
            node_id: The id of the node.

        Returns:
            A new dict of the node's attributes (``kind`` first); changing it changes nothing.

        Raises:
            UnknownIdError: an unknown id.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a", country="US")
            >>> b.node("a")
            {'kind': 'city', 'country': 'US'}
        """
        _require(self._g, [node_id], "node")
        return dict(self._g.nodes[node_id])

    # -- nodes ------------------------------------------------------------------------------------

    def _add_node(self, node_id: str, kind: NodeKind, attributes: dict[str, Any]) -> None:
        self._writable()
        _check_slug(node_id, f"{kind.value} id")
        if node_id in self._g:
            raise NetworkError(f"node {node_id!r} is already in the network; expected a new id")
        data = {"kind": kind.value}
        data.update({k: v for k, v in attributes.items() if v is not None})
        self._g.add_node(node_id, **data)

    def add_city(
        self,
        city_id: str,
        *,
        name: str | None = None,
        country: str | None = None,
        region: str | None = None,
        population: Quantity | float | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> None:
        """Add a city node. ``population`` is a number of persons or a quantity in ``person``.

        Parameters:
            city_id: The id of the new node, a slug such as ``"new-orleans"``.
            name: The city's name; not stored when ``None``.
            country: The country code; not stored when ``None``.
            region: The region; not stored when ``None``.
            population: A number of persons or a quantity in ``person``; not stored when ``None``.
            lat: The latitude in degrees; give both ``lat`` and ``lon`` or neither.
            lon: The longitude in degrees.

        Raises:
            IdentifierError: ``city_id`` is not a slug.
            NetworkError: the id is already in the network.
            ValidationError: coordinates out of range or only one of ``lat``/``lon`` given.
            UnitError: a population quantity that is not a number of persons.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_city("memphis", country="US", population=633_000, lat=35.15, lon=-90.05)
            >>> net.node("memphis")["population"]
            633000.0
            >>> net.add_city("nowhere", lat=95.0, lon=0.0)
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: coordinates out of range for 1 point(s): nowhere (95.0, 0.0); expected latitude in [-90, 90] and longitude in [-180, 180] degrees
        """
        if (lat is None) != (lon is None):
            raise ValidationError(
                f"city {city_id!r}: give both lat and lon or neither; got lat={lat!r}, lon={lon!r}"
            )
        if lat is not None and lon is not None:
            _check_coordinates(
                np.array([lat], dtype=np.float64), np.array([lon], dtype=np.float64), [city_id]
            )
        pop: float | None = None
        if population is not None:
            if isinstance(population, (int, float)) and not isinstance(population, bool):
                pop = float(population)
            else:
                pop = float(
                    as_quantity(
                        population, "person", where=f"city {city_id!r}: population"
                    ).magnitude
                )
        attributes = {
            "name": name,
            "country": country,
            "region": region,
            "population": pop,
            "lat": None if lat is None else float(lat),
            "lon": None if lon is None else float(lon),
        }
        self._add_node(city_id, NodeKind.CITY, attributes)

    def add_city_record(self, city: _CityLike) -> None:
        """Add a :class:`civicinnov.model.City` as a city node.

        Parameters:
            city: A city record (``id``, ``name``, ``country``, ``region``, ``population`` and
                ``location`` with ``lat``/``lon``, or ``None``).

        Raises:
            IdentifierError: the city's id is not a slug.
            NetworkError: the id is already in the network.
            ValidationError: coordinates out of range.
            UnitError: a population quantity that is not a number of persons.

        Example:
            >>> from types import SimpleNamespace as NS
            >>> net = CityNetworkBuilder()
            >>> net.add_city_record(NS(id="lyon", name="Lyon", country="FR", region=None,
            ...                        population=None, location=NS(lat=45.76, lon=4.84)))
            >>> net.node("lyon")["lat"]
            45.76
        """
        loc = city.location
        self.add_city(
            city.id,
            name=city.name,
            country=city.country,
            region=city.region,
            population=city.population,
            lat=None if loc is None else loc.lat,
            lon=None if loc is None else loc.lon,
        )

    def add_organisation(
        self,
        org_id: str,
        *,
        name: str | None = None,
        partner_kinds: Iterable[str] = (),
        country: str | None = None,
        lat: float | None = None,
        lon: float | None = None,
    ) -> None:
        """Add an organisation node (a funder, a national partner, a university centre...).

        ``partner_kinds`` are :class:`civicinnov.model.PartnerKind` values, stored as
        space-separated text; ``lat``/``lon`` place an organisation on a map when it has a seat.

        Parameters:
            org_id: The id of the new node, a slug.
            name: The organisation's name; not stored when ``None``.
            partner_kinds: Its partner kinds (values or members); not stored when empty.
            country: The country code of its seat; not stored when ``None``.
            lat: The latitude of its seat in degrees; not stored when ``None``.
            lon: The longitude of its seat in degrees; not stored when ``None``.

        Raises:
            IdentifierError: ``org_id`` is not a slug.
            NetworkError: the id is already in the network.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_organisation("la-27e-region", partner_kinds=["national_partner"], country="FR")
            >>> net.node("la-27e-region")["kind"]
            'organisation'
        """
        kinds = " ".join(sorted(str(getattr(k, "value", k)) for k in partner_kinds)) or None
        self._add_node(
            org_id,
            NodeKind.ORGANISATION,
            {"name": name, "partner_kinds": kinds, "country": country, "lat": lat, "lon": lon},
        )

    def add_country(self, code: str, *, name: str | None = None) -> str:
        """Add a node for a whole country (if absent) and return its id, :func:`country_node_id`.

        The node's ``country`` attribute is the code, so ties to it count as crossing a border;
        its ``name`` is ``name``, or the code when no name is given.

        Parameters:
            code: The country's ISO 3166-1 alpha-2 code.
            name: The country's name for labels; the code when None.

        Returns:
            The country's node id.

        Raises:
            ValidationError: a code that is not two ASCII letters.
            NetworkError: the id is already taken by a node of another kind.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_country("BE", name="Belgium")
            'country-be'
            >>> net.node("country-be")
            {'kind': 'country', 'name': 'Belgium', 'country': 'BE'}
        """
        node_id = country_node_id(code)
        existing = self._g.nodes.get(node_id)
        if existing is not None:
            if existing["kind"] != NodeKind.COUNTRY.value:
                raise NetworkError(
                    f"node {node_id!r} is already in the network as a {existing['kind']}; "
                    "expected a country node"
                )
            return node_id
        upper = code.upper()
        self._add_node(node_id, NodeKind.COUNTRY, {"name": name or upper, "country": upper})
        return node_id

    def add_cohort(self, cohort: _CohortLike, *, intermediaries: bool = True) -> int:
        """Record a cohort: member cities become ``COHORT_PEER`` pairs; returns relations added.

        Each member's ``cohorts`` attribute gains the cohort id. With ``intermediaries`` the
        cohort's funder and partners that are organisation nodes link to every member.

        Parameters:
            cohort: A cohort record (``id``, ``funder_id``, ``partner_ids`` and ``members`` with
                ``city_id`` and ``joined``).
            intermediaries: Link the funder and partners to every member (the default); when
                false, only the member pairs are linked.

        Returns:
            The number of relations added.

        Raises:
            IdentifierError: the cohort id is not a slug.
            UnknownIdError: members not in the network, or (with ``intermediaries``) a funder or
                partner id that is not an organisation node; all offending ids are named.
            NetworkError: a member is an organisation, or a relation is already there.

        Example:
            >>> from types import SimpleNamespace as NS
            >>> from datetime import date
            >>> net = CityNetworkBuilder()
            >>> for c in ("a", "b", "c"):
            ...     net.add_city(c)
            >>> cohort = NS(id="k1", funder_id=None, partner_ids=(), announced=date(2016, 1, 1),
            ...             members=[NS(city_id=c, joined=date(2016, 1, 1)) for c in "abc"])
            >>> net.add_cohort(cohort)
            3
            >>> net.node("a")["cohorts"]
            'k1'
        """
        self._writable()
        _check_slug(cohort.id, "cohort id")
        members = sorted(cohort.members, key=lambda m: m.joined)
        ids = [m.city_id for m in members]
        _require_cities(self._g, ids, f"cohort {cohort.id!r} members")
        orgs: list[str] = []
        if intermediaries:
            orgs = [o for o in (cohort.funder_id, *cohort.partner_ids) if o is not None]
            missing = [o for o in orgs if self._g.nodes.get(o, {}).get("kind") != "organisation"]
            if missing:
                raise UnknownIdError(
                    f"cohort {cohort.id!r}: funder/partner id(s) {', '.join(map(repr, missing))} "
                    "are not organisations in the network; expected them among the partners"
                )
        for cid in ids:
            current = set(str(self._g.nodes[cid].get("cohorts", "")).split())
            current.add(cohort.id)
            self._g.nodes[cid]["cohorts"] = " ".join(sorted(current))
        added = 0
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                ma, mb = members[a], members[b]
                if ma.city_id == mb.city_id:
                    continue
                self.add_relation(
                    Relation(
                        kind=RelationKind.COHORT_PEER,
                        source=ma.city_id,
                        target=mb.city_id,
                        on=max(ma.joined, mb.joined),
                        via=cohort.id,
                    )
                )
                added += 1
        for org in dict.fromkeys(orgs):
            for m in members:
                self.add_relation(
                    Relation(
                        kind=RelationKind.INTERMEDIARY,
                        source=org,
                        target=m.city_id,
                        on=m.joined,
                        via=cohort.id,
                    )
                )
                added += 1
        return added

    # -- relations -------------------------------------------------------------------------------

    def add_relation(self, relation: Relation) -> str:
        """Add one relation and return its edge key.

        Parameters:
            relation: The relation to add.

        Returns:
            Its edge key, ``kind:id`` (``kind:-`` without an id).

        Raises:
            UnknownIdError: an end that is not a node (both ends are named if both are unknown).
            NetworkError: an end of the wrong node kind, an identical key already present between
                the pair, or an adoption that contradicts recorded adoption dates.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_city("a")
            >>> net.add_relation(Relation(kind="exchange", source="a", target="zz"))
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: exchange relation: unknown id(s) 'zz'; expected nodes of the network (1 nodes)
        """
        self._writable()
        kind = relation.kind
        _require(self._g, (relation.source, relation.target), f"{kind.value} relation")
        if kind.cities_only:
            _require_cities(self._g, (relation.source, relation.target), f"{kind.value} relation")
        elif kind is RelationKind.INTERMEDIARY:
            src = self._g.nodes[relation.source]["kind"]
            tgt = self._g.nodes[relation.target]["kind"]
            if src != "organisation" or tgt != "city":
                raise NetworkError(
                    f"intermediary relation {relation.source!r} -> {relation.target!r}: expected an "
                    f"organisation linking a city, got {src} -> {tgt}"
                )
        elif kind is RelationKind.SUPPORT:
            src = self._g.nodes[relation.source]["kind"]
            if src != "organisation":
                raise NetworkError(
                    f"support relation {relation.source!r} -> {relation.target!r}: expected an "
                    f"organisation as the source, got {src}"
                )
        key = relation.key
        if self._g.has_edge(relation.source, relation.target, key):
            raise NetworkError(
                f"relation {key!r} between {relation.source!r} and {relation.target!r} is already "
                "in the network; give it a distinct id"
            )
        if kind is RelationKind.ADOPTION:
            assert relation.practice_id is not None
            assert relation.on is not None
            self._check_adoption(
                relation.practice_id, relation.target, relation.on, relation.source
            )
            self._set_adopted(relation.practice_id, relation.target, relation.on)
        self._g.add_edge(relation.source, relation.target, key=key, **relation.attributes())
        return key

    def add_relations(self, relations: Iterable[Relation]) -> list[str]:
        """Add several relations in order; returns their keys.

        Example:
            >>> net = CityNetworkBuilder()
            >>> for c in "abc":
            ...     net.add_city(c)
            >>> net.add_relations([Relation(kind="exchange", source="a", target=t) for t in "bc"])
            ['exchange:-', 'exchange:-']
            >>> net.add_relations([Relation(kind="exchange", source="a", target="b", id="x"),
            ...                    Relation(kind="exchange", source="b", target="a", id="x")])
            Traceback (most recent call last):
            ...
            civicinnov.errors.NetworkError: relation 'exchange:x' between 'b' and 'a' is already in the network; give it a distinct id

        Relations other than adoptions are checked together and inserted in one pass (the checks
        are those of :meth:`add_relation`; nothing is added when one fails), so adding a million
        relations costs about what :meth:`networkx.MultiGraph.add_edges_from` costs.

        Parameters:
            relations: The relations to add, in order.

        Returns:
            Their edge keys, in order.

        Raises:
            UnknownIdError: ends that are not nodes (all of them are named).
            NetworkError: as :meth:`add_relation`.
        """
        batch = list(relations)
        if any(r.kind is RelationKind.ADOPTION for r in batch):
            # adoptions are checked against each other in order (dates, cycles)
            return [self.add_relation(r) for r in batch]
        self._writable()
        g = self._g
        node_data: dict[str, dict[str, Any]] = g._node  # type: ignore[attr-defined]
        missing = [end for r in batch for end in (r.source, r.target) if end not in node_data]
        if missing:
            _require(g, missing, "relations")
        cities = {n for n, d in node_data.items() if d["kind"] == "city"}
        adj: dict[str, dict[str, dict[str, dict[str, Any]]]] = g._adj  # type: ignore[attr-defined]
        cohort, proximity = RelationKind.COHORT_PEER, RelationKind.PROXIMITY
        intermediary, support = RelationKind.INTERMEDIARY, RelationKind.SUPPORT
        added: list[tuple[str, str, str]] = []
        try:
            # checked and inserted in one pass (see _insert_edges); undone if any relation fails
            for r in batch:
                u, v, kind = r.source, r.target, r.kind
                if kind is cohort or kind is proximity:
                    if u not in cities or v not in cities:
                        _require_cities(g, (u, v), f"{kind.value} relation")
                elif kind is intermediary and (u in cities or v not in cities):
                    raise NetworkError(
                        f"intermediary relation {u!r} -> {v!r}: expected an organisation linking "
                        f"a city, got {node_data[u]['kind']} -> {node_data[v]['kind']}"
                    )
                elif kind is support and node_data[u]["kind"] != "organisation":
                    raise NetworkError(
                        f"support relation {u!r} -> {v!r}: expected an organisation as the "
                        f"source, got {node_data[u]['kind']}"
                    )
                key = r._key
                adj_u = adj[u]
                keydict = adj_u.get(v)
                if keydict is None:
                    keydict = {}
                    adj_u[v] = keydict
                    adj[v][u] = keydict
                elif key in keydict:
                    raise NetworkError(
                        f"relation {key!r} between {u!r} and {v!r} is already in the network; "
                        "give it a distinct id"
                    )
                keydict[key] = dict(r._items)
                added.append((u, v, key))
        except CivicError:
            for u, v, key in added:
                keydict = adj[u][v]
                del keydict[key]
                if not keydict:
                    del adj[u][v]
                    del adj[v][u]
            raise
        return [a[2] for a in added]

    def _check_adoption(self, practice: str, adopter: str, on: date, source: str | None) -> None:
        attr = _ADOPTED + practice
        known = self._g.nodes[adopter].get(attr)
        if known is not None and known != on.isoformat():
            raise NetworkError(
                f"practice {practice!r}: {adopter!r} is recorded as adopting on {known}; "
                f"a second record dated {on.isoformat()} contradicts it"
            )
        # downstream: cities that already learned it from the adopter must not predate it
        for _, other, data in self._g.edges(adopter, data=True):
            if (
                data.get("kind") == "adoption"
                and data.get("practice_id") == practice
                and data.get("source") == adopter
                and data.get("on", "9999") < on.isoformat()
            ):
                raise NetworkError(
                    f"practice {practice!r}: {other!r} adopted it from {adopter!r} on "
                    f"{data['on']}, before {adopter!r} adopted it on {on.isoformat()}"
                )
        if source is None:
            return
        src_on = self._g.nodes[source].get(attr)
        if src_on is not None and src_on > on.isoformat():
            raise NetworkError(
                f"practice {practice!r}: {adopter!r} adopted it from {source!r} on "
                f"{on.isoformat()}, before {source!r} adopted it on {src_on}; expected the source "
                "to adopt first"
            )
        if self._adoption_path(practice, adopter, source):
            raise NetworkError(
                f"practice {practice!r}: {source!r} already learned it (directly or not) from "
                f"{adopter!r}; an adoption from {source!r} to {adopter!r} would close a cycle"
            )

    def _adoption_path(self, practice: str, start: str, goal: str) -> bool:
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            for _, other, data in self._g.edges(node, data=True):
                if (
                    data.get("kind") == "adoption"
                    and data.get("practice_id") == practice
                    and data.get("source") == node
                    and other not in seen
                ):
                    if other == goal:
                        return True
                    seen.add(other)
                    stack.append(other)
        return False

    def _set_adopted(self, practice: str, city: str, on: date) -> None:
        self._g.nodes[city][_ADOPTED + practice] = on.isoformat()

    def record_adoption(
        self, practice_id: str, city_id: str, on: date, *, source_id: str | None = None
    ) -> str | None:
        """Record that ``city_id`` adopted ``practice_id`` on ``on``, from ``source_id`` if known.

        With a source an ``ADOPTION`` relation is added (its key is returned); without one only the
        city's ``adopted:<practice_id>`` attribute is set and ``None`` is returned.

        Parameters:
            practice_id: The id of the practice, a slug.
            city_id: The adopting city.
            on: The adoption date.
            source_id: The node the city learned it from; no relation is added when ``None``.

        Returns:
            The key of the adoption relation, or ``None`` without a source.

        Raises:
            IdentifierError: ``practice_id`` is not a slug.
            UnknownIdError: an unknown city id.
            NetworkError: an adoption dated before the source adopted the practice, a second
                adoption date for the same city, or an adoption that would close a cycle.

        Example:
            >>> from datetime import date
            >>> net = CityNetworkBuilder()
            >>> for c in ("nyc", "memphis"):
            ...     net.add_city(c)
            >>> net.record_adoption("memfix", "nyc", date(2014, 5, 1))
            >>> net.record_adoption("memfix", "memphis", date(2013, 1, 1), source_id="nyc")
            Traceback (most recent call last):
            ...
            civicinnov.errors.NetworkError: practice 'memfix': 'memphis' adopted it from 'nyc' on 2013-01-01, before 'nyc' adopted it on 2014-05-01; expected the source to adopt first
        """
        _check_slug(practice_id, "practice_id")
        if source_id is not None:
            return self.add_relation(
                Relation(
                    kind=RelationKind.ADOPTION,
                    source=source_id,
                    target=city_id,
                    on=on,
                    practice_id=practice_id,
                )
            )
        self._writable()
        _require_cities(self._g, [city_id], f"adoption of {practice_id!r}")
        self._check_adoption(practice_id, city_id, on, None)
        self._set_adopted(practice_id, city_id, on)
        return None

    def add_proximity(self, within: Quantity | str) -> int:
        """Link every pair of cities with coordinates at most ``within`` apart; returns links added.

        ``within`` is a length (a pint quantity or text such as ``"100 km"``). Existing proximity
        links are replaced. Each link carries its great-circle ``distance`` in kilometres. Pairs are
        found by :func:`proximity_pairs` (a k-d tree plus an exact haversine check).

        Parameters:
            within: The largest distance, a length (``"100 km"`` or a pint quantity).

        Returns:
            The number of proximity links added.

        Raises:
            UnitError: ``within`` is not a length.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_city("a", lat=0.0, lon=0.0)
            >>> net.add_city("b", lat=0.0, lon=1.0)
            >>> net.add_proximity("112 km"), net.add_proximity("110 km")
            (1, 0)
            >>> net.add_proximity(3)
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnitError: within: 3 has no unit; expected a quantity or a unit
        """
        km = float(as_quantity(within, dimension="[length]", where="within").m_as("km"))
        self._writable()
        self.remove_relations(kinds=[RelationKind.PROXIMITY])
        ids = [n for n, d in self._g.nodes(data=True) if d["kind"] == "city" and "lat" in d]
        if not ids:
            return 0
        lat = np.fromiter((self._g.nodes[n]["lat"] for n in ids), np.float64, len(ids))
        lon = np.fromiter((self._g.nodes[n]["lon"] for n in ids), np.float64, len(ids))
        i, j, dist = proximity_pairs(lat, lon, km)
        kind = RelationKind.PROXIMITY.value
        key = kind + ":-"
        _insert_edges(
            self._g,
            (
                (
                    ids[a],
                    ids[b],
                    key,
                    {
                        "kind": kind,
                        "source": ids[a],
                        "target": ids[b],
                        "weight": 1.0,
                        "distance": d,
                    },
                )
                for a, b, d in zip(i.tolist(), j.tolist(), dist.tolist(), strict=True)
            ),
        )
        return int(i.size)

    def remove_relation(self, a: str, b: str, key: str) -> None:
        """Remove the relation with edge ``key`` between ``a`` and ``b``.

        Removing an adoption relation keeps the adopter's adoption date (it becomes an adoption
        without a recorded source).

        Parameters:
            a: One end of the relation.
            b: The other end.
            key: The relation's edge key (``kind:id``, as :meth:`add_relation` returns).

        Raises:
            UnknownIdError: no such relation.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_city("a"); net.add_city("b")
            >>> key = net.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> net.remove_relation("a", "b", key)
            >>> net.remove_relation("a", "b", key)
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no relation 'exchange:-' between 'a' and 'b'
        """
        self._writable()
        if not self._g.has_edge(a, b, key):
            raise UnknownIdError(f"no relation {key!r} between {a!r} and {b!r}")
        self._g.remove_edge(a, b, key)

    def remove_relations(
        self,
        *,
        kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
        practice_id: str | None = None,
    ) -> int:
        """Remove every relation of the given kinds (and practice); returns how many were removed.

        Parameters:
            kinds: Relation kinds to remove (one, several or their values); every kind when
                ``None``.
            practice_id: Remove only relations about this practice; any when ``None``.

        Returns:
            The number of relations removed.

        Raises:
            ValidationError: A kind in ``kinds`` is not a relation kind.

        Example:
            >>> net = CityNetworkBuilder()
            >>> net.add_city("a"); net.add_city("b")
            >>> _ = net.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> net.remove_relations(kinds="exchange")
            1
        """
        self._writable()
        wanted = _kinds_of(kinds)
        doomed = [
            (u, v, k)
            for u, v, k, d in self._g.edges(keys=True, data=True)
            if (wanted is None or d["kind"] in wanted)
            and (practice_id is None or d.get("practice_id") == practice_id)
        ]
        self._g.remove_edges_from(doomed)
        return len(doomed)


class CityNetwork:
    """Cities (and optionally organisations) joined by typed relations: a frozen value.

    Build one with :meth:`from_records` (cities, cohorts, partners, relations, adoptions), with a
    :class:`CityNetworkBuilder` (node by node, relation by relation), or from a networkx graph
    (:meth:`from_nx`). Once built a network never changes: :attr:`nx` is a frozen networkx
    :class:`~networkx.MultiGraph` (adding or removing a node or an edge raises
    :class:`networkx.NetworkXError`), so the arrays the analyses read (:meth:`node_arrays`,
    :meth:`adjacency`, :meth:`tie_pairs`) are computed once, on first use, and can never go stale.
    :meth:`view` and :meth:`relabel` return new networks; :meth:`builder` starts an editable copy.
    Nodes keep the order they were added in; rankings break ties by that order.

    ``CityNetwork()`` is the empty network.

    Example:
        >>> b = CityNetworkBuilder()
        >>> b.add_city("a", country="US")
        >>> b.add_city("b", country="FR")
        >>> _ = b.add_relation(Relation(kind="partnership", source="a", target="b"))
        >>> net = b.build()
        >>> net.nx.number_of_edges(), net.graph_attributes()["distance_unit"]
        (1, 'kilometer')
        >>> net.nx.add_edge("a", "b")
        Traceback (most recent call last):
        ...
        networkx.exception.NetworkXError: Frozen graph can't be modified
    """

    __slots__ = ("_cache", "_g")

    def __init__(self) -> None:
        g: nx.MultiGraph[str] = nx.MultiGraph()
        g.graph.update(_GRAPH_DEFAULTS)
        self._g: nx.MultiGraph[str] = nx.freeze(g)
        self._cache: dict[str, Any] = {}

    @classmethod
    def _of_graph(cls, g: nx.MultiGraph[str]) -> CityNetwork:
        out = cls.__new__(cls)
        out._g = nx.freeze(g)
        out._cache = {}
        return out

    def __hash__(self) -> int:
        return hash(_graph_signature(self._g))

    def builder(self) -> CityNetworkBuilder:
        """A :class:`CityNetworkBuilder` starting from this network (this network is unchanged).

        Example:
            >>> b = CityNetwork().builder(); b.add_city("a")
            >>> b.build().nodes(), CityNetwork().nodes()
            (['a'], [])
        """
        return CityNetworkBuilder(self)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_records(
        cls,
        *,
        cities: Iterable[_CityLike] = (),
        cohorts: Iterable[_CohortLike] = (),
        partners: Iterable[_PartnerLike] | None = None,
        relations: Iterable[Relation] = (),
        adoptions: Iterable[Adoption] = (),
        proximity: Quantity | str | None = None,
    ) -> CityNetwork:
        """Build a network from the domain records.

        ``cities`` are :class:`civicinnov.model.City` objects (id, name, country, region,
        population, location); ``partners`` :class:`~civicinnov.model.Partner` objects,
        which become organisation nodes; ``cohorts`` :class:`~civicinnov.model.Cohort`
        objects: every pair of members becomes a ``COHORT_PEER`` relation (dated the later of the two
        join dates, ``via`` the cohort) and, when ``partners`` is given, the cohort's funder and
        partners are linked to each member by an ``INTERMEDIARY`` relation (dated the join date).
        ``relations`` and ``adoptions`` are then added in order, adoptions sorted by date.
        ``proximity`` (a length) adds proximity links last.

        Raises:
            UnknownIdError: a cohort member, relation end or adoption naming a city not given, or a
                cohort funder/partner not among ``partners`` (when ``partners`` is given).

        Example:
            >>> from types import SimpleNamespace as NS
            >>> from datetime import date
            >>> cities = [NS(id=c, name=c.title(), country="US", region=None, population=None,
            ...              location=None) for c in ("atlanta", "peoria", "syracuse")]
            >>> cohort = NS(id="c2014", funder_id="bloomberg", partner_ids=(), announced=date(2014, 6, 1),
            ...             members=[NS(city_id="atlanta", joined=date(2014, 6, 1)),
            ...                      NS(city_id="peoria", joined=date(2015, 1, 1))])
            >>> funder = NS(id="bloomberg", name="Bloomberg Philanthropies", kinds=(), country="US")
            >>> net = CityNetwork.from_records(cities=cities, cohorts=[cohort], partners=[funder])
            >>> [(r.kind.value, r.source, r.target) for r in net.relations()]
            [('cohort_peer', 'atlanta', 'peoria'), ('intermediary', 'bloomberg', 'atlanta'), ('intermediary', 'bloomberg', 'peoria')]
        """
        net = CityNetworkBuilder()
        for city in cities:
            net.add_city_record(city)
        partner_list = list(partners) if partners is not None else None
        for partner in partner_list or ():
            kinds = sorted(getattr(k, "value", k) for k in partner.kinds)
            net.add_organisation(
                partner.id, name=partner.name, partner_kinds=kinds, country=partner.country
            )
        for cohort in cohorts:
            net.add_cohort(cohort, intermediaries=partner_list is not None)
        net.add_relations(relations)
        for adoption in sorted(adoptions, key=lambda a: a.on):
            net.record_adoption(
                adoption.practice_id, adoption.city_id, adoption.on, source_id=adoption.source_id
            )
        if proximity is not None:
            net.add_proximity(proximity)
        return net.build()

    @classmethod
    def from_nx(cls, graph: nx.Graph[Any]) -> CityNetwork:
        """A network holding a copy of a networkx graph, after checking its conventions.

        Accepts any networkx graph whose nodes are slug strings with a ``kind`` attribute and whose
        edges carry at least ``kind``, ``source`` and ``target`` (as :meth:`Relation.attributes`
        writes them); plain graphs read from GraphML or node-link JSON qualify. Every node, edge
        and graph attribute must be a JSON scalar (text, a finite number, a boolean).

        Raises:
            NetworkError: a node, edge or attribute that does not follow the conventions; the
                message names it.

        Example:
            >>> b = CityNetworkBuilder()
            >>> b.add_city("a")
            >>> b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> net = b.build()
            >>> CityNetwork.from_nx(net.nx) == net
            True
            >>> import networkx as nx
            >>> g = nx.MultiGraph(); g.add_node("a", kind="city", tags=["x"])
            >>> CityNetwork.from_nx(g)
            Traceback (most recent call last):
            ...
            civicinnov.errors.NetworkError: node 'a': attribute 'tags' is list ['x']; expected a JSON scalar (text, a finite number or a boolean)
        """
        g: nx.MultiGraph[str] = nx.MultiGraph()
        g.graph.update(_GRAPH_DEFAULTS)
        for name, value in graph.graph.items():
            if name != "view":
                _check_scalar(value, f"graph attribute {name!r}", f"graph: attribute {name!r}")
                g.graph[name] = value
        for node, data in graph.nodes(data=True):
            _check_slug(node, "node id")
            kind = data.get("kind")
            if kind not in _NODE_KINDS:
                raise NetworkError(
                    f"node {node!r}: kind {kind!r}; expected 'city', 'organisation' or 'country'"
                )
            for name, value in data.items():
                _check_scalar(value, name, f"node {node!r}: attribute {name!r}")
            _check_node_numbers(node, data)
            g.add_node(node)
            g.nodes[node].update(data)  # update, not **data: any attribute name is allowed
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]]
        if graph.is_multigraph():
            edges = graph.edges(keys=True, data=True)  # type: ignore[call-overload]
        else:
            edges = ((u, v, None, d) for u, v, d in graph.edges(data=True))
        for u, v, key, data in edges:
            where = f"edge {u!r} - {v!r}"
            for name, value in data.items():
                _check_scalar(value, name, f"{where}: attribute {name!r}")
            try:
                relation = Relation.from_attributes(data)
            except CivicError as exc:
                raise NetworkError(f"{where}: {exc}") from None
            if {relation.source, relation.target} != {u, v}:
                raise NetworkError(
                    f"{where}: its source/target attributes name "
                    f"{relation.source!r} and {relation.target!r}"
                )
            if key is not None and not isinstance(key, str):
                raise NetworkError(f"{where}: key {key!r}; expected text")
            new_key = key if key is not None else relation.key
            if g.has_edge(u, v, new_key):
                raise NetworkError(
                    f"{where}: relation {new_key!r} appears twice; expected distinct keys"
                )
            g.add_edge(u, v, key=new_key)
            g.edges[u, v, new_key].update(data)
        return cls._of_graph(g)

    # -- queries -------------------------------------------------------------------------------

    @property
    def nx(self) -> MultiGraph[str]:
        """The network's networkx multigraph, frozen (:func:`networkx.freeze`).

        Read it with any networkx function; adding or removing nodes or edges raises
        :class:`networkx.NetworkXError`. Its attribute dictionaries are the network's own: treat
        them as read-only too. For a graph to change, take a copy
        (``networkx.MultiGraph(net.nx)``) or start a :meth:`builder`.

        Example:
            >>> CityNetwork().nx.is_multigraph(), nx.is_frozen(CityNetwork().nx)
            (True, True)
        """
        return self._g

    def graph_attributes(self) -> dict[str, Any]:
        """A copy of the graph attributes (units of numeric attributes, the view description).

        Example:
            >>> CityNetwork().graph_attributes()["population_unit"]
            'person'
        """
        return dict(self._g.graph)

    def check_nodes(self, ids: Iterable[str], *, where: str = "nodes") -> None:
        """Raise :class:`~civicinnov.errors.UnknownIdError` naming every id not in the network.

        ``where`` starts the message (the analysis or argument that was given the ids).

        Parameters:
            ids: The node ids to check.
            where: The start of the error message (default ``"nodes"``).

        Raises:
            UnknownIdError: an id is not a node of the network (every such id is named).

        Example:
            >>> CityNetwork().check_nodes(["x"], where="reach")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: reach: unknown id(s) 'x'; expected nodes of the network (0 nodes)
        """
        _require(self._g, ids, where)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._g

    def __len__(self) -> int:
        return self._g.number_of_nodes()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CityNetwork):
            return NotImplemented
        return _graph_signature(self._g) == _graph_signature(other._g)

    def __repr__(self) -> str:
        countries = len(self.countries())
        shown = f"{countries} countries, " if countries else ""
        return (
            f"<CityNetwork: {len(self.cities())} cities, {len(self.organisations())} "
            f"organisations, {shown}{self._g.number_of_edges()} relations>"
        )

    def nodes(self) -> list[str]:
        """All node ids, in the order they were added.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("b"); b.add_city("a")
            >>> b.build().nodes()
            ['b', 'a']
        """
        return list(self._g.nodes)

    def cities(self) -> list[str]:
        """The ids of the city nodes, in the order they were added.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_organisation("o")
            >>> b.build().cities()
            ['a']
        """
        return [n for n, d in self._g.nodes(data=True) if d["kind"] == "city"]

    def countries(self) -> list[str]:
        """The ids of the country nodes (ends of ties to a whole country), in the order added.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); _ = b.add_country("ES")
            >>> b.build().countries(), b.build().cities()
            (['country-es'], ['a'])
        """
        return [n for n, d in self._g.nodes(data=True) if d["kind"] == "country"]

    def organisations(self) -> list[str]:
        """The ids of the organisation nodes, in the order they were added.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_organisation("o")
            >>> b.build().organisations()
            ['o']
        """
        return [n for n, d in self._g.nodes(data=True) if d["kind"] == "organisation"]

    def node(self, node_id: str) -> dict[str, Any]:
        """A copy of a node's attributes.

        Parameters:
            node_id: The id of the node.

        Returns:
            A new dict of the node's attributes (``kind`` first); changing it changes nothing.

        Raises:
            UnknownIdError: an unknown id.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a", country="US")
            >>> b.build().node("a")
            {'kind': 'city', 'country': 'US'}
        """
        _require(self._g, [node_id], "node")
        return dict(self._g.nodes[node_id])

    def number_of_relations(self) -> int:
        """How many relations (edges) the network holds.

        Example:
            >>> CityNetwork().number_of_relations()
            0
        """
        # networkx counts a multigraph's edges by summing its degrees, a pass over every node in
        # Python; the network is frozen, so it is counted once
        cached: int | None = self._cache.get("relations")
        if cached is None:
            cached = self._g.number_of_edges()
            self._cache["relations"] = cached
        return cached

    def relations(
        self,
        *,
        kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
        node: str | None = None,
        practice_id: str | None = None,
    ) -> list[Relation]:
        """The relations, optionally only of some kinds, touching ``node``, or about a practice.

        Parameters:
            kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.
            node: Only relations with this node at one end; every relation when ``None``.
            practice_id: Only relations about this practice; any when ``None``.

        Returns:
            The matching relations, in the order of the network's edges.

        Raises:
            UnknownIdError: ``node`` is not in the network.
            ValidationError: A kind in ``kinds`` is not a relation kind.

        Example:
            >>> b = CityNetworkBuilder()
            >>> for c in "abc":
            ...     b.add_city(c)
            >>> _ = b.add_relations([Relation(kind="exchange", source="a", target="b"),
            ...                      Relation(kind="partnership", source="b", target="c")])
            >>> [r.target for r in b.build().relations(node="c")]
            ['c']
        """
        wanted = _kinds_of(kinds)
        if node is not None:
            _require(self._g, [node], "relations")
            edges = self._g.edges(node, data=True)
        else:
            edges = self._g.edges(data=True)
        return [
            Relation.from_attributes(d)
            for _, _, d in edges
            if (wanted is None or d["kind"] in wanted)
            and (practice_id is None or d.get("practice_id") == practice_id)
        ]

    def neighbours(
        self,
        node_id: str,
        *,
        kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
    ) -> list[str]:
        """The nodes tied to ``node_id`` (by relations of ``kinds``, if given), in insertion order.

        Parameters:
            node_id: The id of the node.
            kinds: Count only ties of these kinds (one, several or their values); every kind when
                ``None``.

        Returns:
            The ids of the neighbouring nodes, each once.

        Raises:
            UnknownIdError: ``node_id`` is not in the network.
            ValidationError: A kind in ``kinds`` is not a relation kind.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> net = b.build()
            >>> net.neighbours("b"), net.neighbours("b", kinds=["partnership"])
            (['a'], [])
        """
        _require(self._g, [node_id], "neighbours")
        wanted = _kinds_of(kinds)
        out = []
        for other, keyed in self._g.adj[node_id].items():
            if wanted is None or any(d["kind"] in wanted for d in keyed.values()):
                out.append(other)
        return out

    def adopted_on(self, practice_id: str) -> dict[str, date]:
        """The cities recorded as adopting ``practice_id``, with their adoption dates.

        Parameters:
            practice_id: The id of the practice.

        Returns:
            Each adopting city's id with its adoption date, in node order; empty when none.

        Example:
            >>> from datetime import date
            >>> b = CityNetworkBuilder(); b.add_city("a")
            >>> b.record_adoption("x", "a", date(2020, 1, 2))
            >>> b.build().adopted_on("x")
            {'a': datetime.date(2020, 1, 2)}
        """
        attr = _ADOPTED + practice_id
        return {n: date.fromisoformat(d[attr]) for n, d in self._g.nodes(data=True) if attr in d}

    def adoption_graph(self, practice_id: str) -> DiGraph[str]:
        """A directed graph of the adoption relations of one practice (source to adopter).

        Every city with a recorded adoption date is a node (attribute ``on``), as is every source.

        Parameters:
            practice_id: The id of the practice, a slug.

        Returns:
            A new directed graph; empty when no adoption of the practice is recorded.

        Raises:
            IdentifierError: ``practice_id`` is not a slug.

        Example:
            >>> from datetime import date
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> b.record_adoption("x", "a", date(2020, 1, 1))
            >>> _ = b.record_adoption("x", "b", date(2020, 6, 1), source_id="a")
            >>> list(b.build().adoption_graph("x").edges(data="on"))
            [('a', 'b', '2020-06-01')]
        """
        _check_slug(practice_id, "practice_id")
        dg: nx.DiGraph[str] = nx.DiGraph()
        attr = _ADOPTED + practice_id
        for n, d in self._g.nodes(data=True):
            if attr in d:
                dg.add_node(n, on=d[attr])
        for _, _, d in self._g.edges(data=True):
            if d["kind"] == "adoption" and d.get("practice_id") == practice_id:
                for end in (d["source"], d["target"]):
                    if end not in dg:
                        on = self._g.nodes[end].get(attr)
                        dg.add_node(end, **({"on": on} if on is not None else {}))
                dg.add_edge(d["source"], d["target"], on=d["on"])
        return dg

    def practices(self) -> list[str]:
        """The ids of the practices with any recorded adoption, sorted.

        Example:
            >>> from datetime import date
            >>> b = CityNetworkBuilder(); b.add_city("a")
            >>> b.record_adoption("x", "a", date(2020, 1, 1))
            >>> b.build().practices()
            ['x']
        """
        found: set[str] = set()
        for _, data in self._g.nodes(data=True):
            found.update(k[len(_ADOPTED) :] for k in data if k.startswith(_ADOPTED))
        for _, _, e in self._g.edges(data=True):
            if "practice_id" in e:
                found.add(e["practice_id"])
        return sorted(found)

    # -- views ------------------------------------------------------------------------

    def view(
        self,
        *,
        kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
        start: date | None = None,
        end: date | None = None,
        include_undated: bool = True,
    ) -> CityNetwork:
        """A network with every node and only the relations of ``kinds`` active in a range.

        A relation is kept when its active span (``on`` to ``until``, either open) overlaps
        ``start``..``end`` (inclusive). Exchanges and adoptions are events: without ``until`` they
        are active on their ``on`` day only; the other kinds hold from ``on`` until ``until`` (open
        when absent). Relations with no date (proximity, most partnerships) are
        kept unless ``include_undated`` is false. Its graph attribute ``view`` describes the restriction, and the
        analyses quote it when a view holds no relations.

        Parameters:
            kinds: Relation kinds to keep (one, several or their values); every kind when ``None``.
            start: The first day of the range; open when ``None``.
            end: The last day of the range; open when ``None``.
            include_undated: Keep relations with no date (the default); when false they are kept
                only if the range is open at both ends.

        Returns:
            A new network with every node and the kept relations.

        Raises:
            ValidationError: ``end`` is before ``start``, or a kind in ``kinds`` is not a relation
                kind.

        Example:
            >>> from datetime import date
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b",
            ...                             on=date(2016, 5, 1)))
            >>> net = b.build()
            >>> net.view(start=date(2017, 1, 1)).number_of_relations()
            0
            >>> net.view(start=date(2017, 1, 1)).graph_attributes()["view"]
            'kinds=all; start=2017-01-01; end=open'
        """
        wanted = _kinds_of(kinds)
        lo = start.isoformat() if start is not None else None
        hi = end.isoformat() if end is not None else None
        if lo is not None and hi is not None and hi < lo:
            raise ValidationError(f"view: end {hi} is before start {lo}")

        def keep(d: Mapping[str, Any]) -> bool:
            if wanted is not None and d["kind"] not in wanted:
                return False
            on = d.get("on")
            until = d.get("until")
            if until is None and d["kind"] in _EVENT_KINDS:
                until = on
            if on is None and until is None:
                return include_undated or (lo is None and hi is None)
            if hi is not None and on is not None and on > hi:
                return False
            return not (lo is not None and until is not None and until < lo)

        g: nx.MultiGraph[str] = nx.MultiGraph()
        g.graph.update(self._g.graph)
        g.graph["view"] = (
            f"kinds={','.join(sorted(wanted)) if wanted is not None else 'all'}; "
            f"start={lo or 'open'}; end={hi or 'open'}"
        )
        g.add_nodes_from(self._g.nodes(data=True))
        loose: Any = g
        loose.add_edges_from(
            (u, v, k, d) for u, v, k, d in self._g.edges(keys=True, data=True) if keep(d)
        )
        return CityNetwork._of_graph(g)

    def relabel(self, mapping: Mapping[str, str] | Callable[[str], str]) -> CityNetwork:
        """A copy with node ids renamed (node order, attributes and relation keys kept).

        ``source``/``target`` edge attributes are renamed too, so directions survive.

        Parameters:
            mapping: Old id to new id (ids not in it keep theirs), or a function of the old id.

        Returns:
            A new network with the renamed nodes; this one is unchanged.

        Raises:
            NetworkError: two nodes mapped to one id.
            IdentifierError: a new id that is not a slug.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> b.build().relabel({"a": "x"}).relations()[0].source
            'x'
        """
        fn: Callable[[str], str]
        if callable(mapping):
            fn = mapping
        else:
            table = dict(mapping)

            def fn(n: str) -> str:
                return table.get(n, n)

        new_ids = {n: _check_slug(fn(n), "new id") for n in self._g.nodes}
        if len(set(new_ids.values())) != len(new_ids):
            raise NetworkError("relabel: two nodes would share one id; expected a one-to-one map")
        g: nx.MultiGraph[str] = nx.MultiGraph()
        g.graph.update(self._g.graph)
        g.add_nodes_from((new_ids[n], dict(d)) for n, d in self._g.nodes(data=True))
        for u, v, k, d in self._g.edges(keys=True, data=True):
            data = dict(d)
            data["source"] = new_ids[d["source"]]
            data["target"] = new_ids[d["target"]]
            g.add_edge(new_ids[u], new_ids[v], key=k, **data)
        return CityNetwork._of_graph(g)

    # -- arrays for the analyses (computed once per network, read-only) ---------------------------

    def node_arrays(self) -> NodeArrays:
        """Per-node arrays in node order (ids, positions, coordinates, population), computed once.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a", lat=0.0, lon=0.0); b.add_organisation("o")
            >>> arrays = b.build().node_arrays()
            >>> arrays.ids, arrays.index["o"], arrays.is_city.tolist(), arrays.xyz[0].tolist()
            (('a', 'o'), 1, [True, False], [1.0, 0.0, 0.0])
        """
        cached: NodeArrays | None = self._cache.get("arrays")
        if cached is None:
            cached = NodeArrays.of(self._g)
            self._cache["arrays"] = cached
        return cached

    def tie_pairs(self) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        """The distinct ties as node positions ``(i, j)``, ``i < j``, sorted; computed once.

        Parallel relations between one pair count once. Positions index :meth:`node_arrays`.

        Example:
            >>> b = CityNetworkBuilder()
            >>> for c in "abc":
            ...     b.add_city(c)
            >>> _ = b.add_relations([Relation(kind="exchange", source="c", target="a"),
            ...                      Relation(kind="partnership", source="a", target="c")])
            >>> [x.tolist() for x in b.build().tie_pairs()]
            [[0], [2]]
        """
        cached: tuple[NDArray[np.int32], NDArray[np.int32]] | None = self._cache.get("pairs")
        if cached is None:
            index = self.node_arrays().index
            m = self._g.number_of_edges()
            ends = np.fromiter(
                (index[x] for u, v in self._g.edges() for x in (u, v)), np.int64, 2 * m
            ).reshape(m, 2)
            ends.sort(axis=1)
            n = max(len(index), 1)
            codes = np.unique(ends[:, 0] * n + ends[:, 1])
            i = (codes // n).astype(np.int32)
            j = (codes % n).astype(np.int32)
            i.flags.writeable = False
            j.flags.writeable = False
            cached = (i, j)
            self._cache["pairs"] = cached
        return cached

    def adjacency(self) -> Any:
        """The symmetric 0/1 adjacency matrix (scipy CSR, node order), computed once.

        Parallel relations count once; the matrix's arrays are read-only.

        Example:
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> b.build().adjacency().toarray().tolist()
            [[0.0, 1.0], [1.0, 0.0]]
        """
        cached = self._cache.get("csr")
        if cached is None:
            from scipy import sparse  # noqa: PLC0415 - scipy is heavy; only the spread analyses need it

            i, j = self.tie_pairs()
            n = len(self.node_arrays().ids)
            rows = np.concatenate((i, j))
            cols = np.concatenate((j, i))
            cached = sparse.csr_matrix(
                (np.ones(rows.size, dtype=np.float64), (rows, cols)), shape=(n, n)
            )
            for arr in (cached.data, cached.indices, cached.indptr):
                arr.flags.writeable = False
            self._cache["csr"] = cached
        return cached


def _graph_signature(g: nx.MultiGraph[str]) -> tuple[Any, ...]:
    nodes = sorted((n, tuple(sorted(d.items()))) for n, d in g.nodes(data=True))
    edges = sorted(
        (tuple(sorted((u, v))), k, tuple(sorted(d.items())))
        for u, v, k, d in g.edges(keys=True, data=True)
    )
    graph = tuple(sorted((k, v) for k, v in g.graph.items()))
    return (nodes, edges, graph)
