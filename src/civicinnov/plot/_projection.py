"""Map geometry in numpy: the Equal Earth projection, great-circle arcs and the country outlines.

- :func:`equal_earth` projects longitude/latitude (degrees) to map coordinates in kilometres
  (Šavrič, Patterson and Jenny, "The Equal Earth map projection", *International Journal of
  Geographical Information Science* 33(3), 2019, doi:10.1080/13658816.2018.1504949): equal-area,
  with straight parallels, so a map of cities on three continents keeps their areas and reads
  like a world map.
- :func:`great_circle` samples the shortest path on the sphere between pairs of points, all pairs
  at once (spherical linear interpolation of unit vectors).
- :func:`country_outlines` reads the shipped Natural Earth 1:110m countries (public domain;
  ``civicinnov/_geodata/README.md``) once, through :mod:`importlib.resources`.

Nothing here needs matplotlib.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from civicinnov.errors import ValidationError
from civicinnov.network import EARTH_RADIUS_KM

__all__ = ["Country", "country_outlines", "equal_earth", "great_circle"]

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = np.sqrt(3.0) / 2.0


def _degrees(values: ArrayLike, where: str, bound: float) -> NDArray[np.float64]:
    arr = np.asarray(values, dtype=np.float64)
    finite = arr[np.isfinite(arr)]
    if finite.size and np.abs(finite).max() > bound:
        worst = float(finite[np.argmax(np.abs(finite))])
        raise ValidationError(f"{where}: expected degrees within ±{bound:g}, got {worst:g}")
    return arr


def equal_earth(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Project longitudes and latitudes (degrees) with Equal Earth; x and y in kilometres.

    Parameters:
        lon: longitudes in degrees, −180 to 180 (any shape; NaN passes through).
        lat: latitudes in degrees, −90 to 90 (broadcast against ``lon``).

    Returns:
        ``(x, y)`` arrays: kilometres east of the central meridian (Greenwich) and north of
        the equator, on a sphere of the IUGG mean radius
        (:data:`civicinnov.network.graph.EARTH_RADIUS_KM`, the one network distances use).

    Raises:
        ValidationError: a longitude beyond ±180° or a latitude beyond ±90°.

    Example:
        >>> x, y = equal_earth([180.0, 0.0], [0.0, 90.0])  # the map's edge and its pole
        >>> (x / EARTH_RADIUS_KM).round(5).tolist(), (y / EARTH_RADIUS_KM).round(5).tolist()
        ([2.70663, 0.0], [0.0, 1.31736])
    """
    lam = np.radians(_degrees(lon, "lon", 180.0))
    phi = np.radians(_degrees(lat, "lat", 90.0))
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2.0 * np.sqrt(3.0) * lam * np.cos(theta)
    x = x / (3.0 * (9.0 * _A4 * t6 * t2 + 7.0 * _A3 * t6 + 3.0 * _A2 * t2 + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x * EARTH_RADIUS_KM, y * EARTH_RADIUS_KM


def great_circle(
    lon1: ArrayLike,
    lat1: ArrayLike,
    lon2: ArrayLike,
    lat2: ArrayLike,
    *,
    samples: int = 48,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sample the great-circle arcs between pairs of points, all pairs at once.

    Parameters:
        lon1, lat1: the starts, degrees (1-D, one per arc).
        lon2, lat2: the ends, degrees (same length).
        samples: points per arc, ends included (at least 2).

    Returns:
        ``(lon, lat)`` arrays of shape ``(arcs, samples)``, degrees, longitudes in −180..180.
        Coincident ends give a constant arc; antipodal ends (no unique shortest path) go by the
        straight line in longitude and latitude.

    Raises:
        ValidationError: ``samples`` below 2, arrays of different lengths, or out-of-range
            degrees.

    Example:
        >>> lon, lat = great_circle([-74.0], [40.7], [2.35], [48.86], samples=3)
        >>> lon.round(1).tolist(), lat.round(1).tolist()  # New York to Paris, over the Atlantic
        ([[-74.0, -39.0, 2.3]], [[40.7, 51.6, 48.9]])
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise ValidationError(f"samples: expected an integer of at least 2, got {samples!r}")
    lo1 = np.radians(_degrees(lon1, "lon1", 180.0)).reshape(-1)
    la1 = np.radians(_degrees(lat1, "lat1", 90.0)).reshape(-1)
    lo2 = np.radians(_degrees(lon2, "lon2", 180.0)).reshape(-1)
    la2 = np.radians(_degrees(lat2, "lat2", 90.0)).reshape(-1)
    if not lo1.size == la1.size == lo2.size == la2.size:
        raise ValidationError(
            "lon1, lat1, lon2, lat2: expected arrays of one length, got "
            f"{lo1.size}, {la1.size}, {lo2.size}, {la2.size}"
        )
    p = np.stack([np.cos(la1) * np.cos(lo1), np.cos(la1) * np.sin(lo1), np.sin(la1)], axis=-1)
    q = np.stack([np.cos(la2) * np.cos(lo2), np.cos(la2) * np.sin(lo2), np.sin(la2)], axis=-1)
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", p, q), -1.0, 1.0))[:, None, None]
    t = np.linspace(0.0, 1.0, samples)[None, :, None]
    sin_omega = np.sin(omega)
    usable = sin_omega > 1e-9
    safe = np.where(usable, sin_omega, 1.0)
    slerp = (np.sin((1.0 - t) * omega) * p[:, None, :] + np.sin(t * omega) * q[:, None, :]) / safe
    linear = (1.0 - t) * p[:, None, :] + t * q[:, None, :]
    points = np.where(usable, slerp, linear)
    lon = np.degrees(np.arctan2(points[..., 1], points[..., 0]))
    lat = np.degrees(np.arctan2(points[..., 2], np.hypot(points[..., 0], points[..., 1])))
    antipodal = (~usable[:, 0, 0]) & (omega[:, 0, 0] > 1.0)
    if antipodal.any():
        straight = np.linspace(0.0, 1.0, samples)[None, :]
        d1, d2 = np.degrees(np.stack([lo1, la1])), np.degrees(np.stack([lo2, la2]))
        lon[antipodal] = (d1[0, antipodal, None] * (1 - straight)) + d2[
            0, antipodal, None
        ] * straight
        lat[antipodal] = (d1[1, antipodal, None] * (1 - straight)) + d2[
            1, antipodal, None
        ] * straight
    return lon, lat


@attrs.frozen(kw_only=True)
class Country:
    """One country's outline: its name, ISO 3166-1 alpha-3 code and rings of (lon, lat) degrees.

    Example:
        >>> france = next(c for c in country_outlines() if c.iso_a3 == "FRA")
        >>> france.name, france.rings[0].shape[1]
        ('France', 2)
    """

    name: str
    iso_a3: str
    rings: tuple[NDArray[np.float64], ...] = attrs.field(eq=False)


@functools.cache
def country_outlines() -> tuple[Country, ...]:
    """The shipped country outlines (Natural Earth 1:110m admin-0 countries, public domain).

    Read once from ``civicinnov/_geodata/countries.json`` and kept; see the README beside it for
    the source, the licence and the simplification.

    Returns:
        The countries, sorted by name.

    Example:
        >>> countries = country_outlines()
        >>> len(countries) > 170, sorted(c.iso_a3 for c in countries if c.name in ("Israel", "Switzerland"))
        (True, ['CHE', 'ISR'])
    """
    path = resources.files("civicinnov._geodata").joinpath("countries.json")
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    scale = float(document["scale"])
    out = []
    for item in document["countries"]:
        rings = tuple(
            np.asarray(ring, dtype=np.float64).reshape(-1, 2) / scale for ring in item["rings"]
        )
        out.append(Country(name=str(item["name"]), iso_a3=str(item["iso_a3"]), rings=rings))
    return tuple(out)
