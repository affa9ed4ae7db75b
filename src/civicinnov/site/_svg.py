"""Charts of the site as hand-written SVG: the curve of a metric, bars, and a map of places.

The site draws its own charts rather than asking matplotlib: they need no optional extra, take a
fraction of a millisecond each (a site of ten thousand metric pages builds in seconds), give the
same bytes for the same data, and carry their text alternative in the SVG itself (``<title>`` and
``<desc>``, referenced by ``aria-labelledby``). Every text in a chart comes from the caller
already escaped for HTML; numbers on the axes are written by the caller's
:class:`~civicinnov.render.Words`.

What does not live here: the numbers (trends and progress come from :mod:`civicinnov.evaluation`)
and the page around a chart (:mod:`civicinnov.site._build`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from civicinnov.plot import country_outlines, equal_earth, great_circle

__all__ = ["MapFrame", "bar_chart", "curve_chart", "map_chart", "nice_ticks"]

#: Colours with at least 4.5:1 contrast on white (WCAG AA), distinguishable without hue alone.
INK = "#1a1a1a"
GRID = "#d0d0d0"
LINE = "#0b5394"
TARGET = "#8a3b00"
BAND = "#b7d7a8"
FORECAST = "#6b6b6b"
LAND = "#e8e8e3"
COAST = "#a0a09a"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low`` to ``high`` (about ``count`` of them).

    Parameters:
        low: The lowest value to cover.
        high: The highest value to cover; when not above ``low``, ``low + 1`` is used.
        count: About how many intervals to make; ``5`` by default.

    Returns:
        Ticks a step of 1, 2, 2.5 or 5 times a power of ten apart, from at or below ``low`` to at
        or above ``high`` (at most 50); ``[0.0]`` when ``low`` or ``high`` is not finite.

    Example:
        >>> nice_ticks(0, 97)
        [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    """
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks: list[float] = []
    value = start
    while value < high + step * 0.999 and len(ticks) < 50:
        ticks.append(float(round(value, 10)))
        value += step
    return ticks


def _svg_open(width: int, height: int, ident: str, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart" id="{ident}">'
        f'<title id="{ident}-t">{title}</title><desc id="{ident}-d">{desc}</desc>'
    )


def curve_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    x_labels: Sequence[tuple[float, str]],
    number: Callable[[float], str],
    targets: Sequence[tuple[float, float, float, float, str]] = (),
    band: tuple[float, float, float, float, float] | None = None,
    forecast: tuple[float, float, float, float] | None = None,
    y_label: str = "",
) -> str:
    """A line chart of a metric over time with its targets, on-track band and trend.

    ``x`` are days (any origin), ``y`` values; ``targets`` are lines ``(x0, y0, x1, y1, label)``
    from a baseline to a target; ``band`` is ``(x0, y0, x1, y1, half_width)``: the on-track band
    around the trajectory; ``forecast`` a dashed line ``(x0, y0, x1, y1)``.

    Parameters:
        ident: The chart's ``id`` (its title and description ids derive from it).
        title: The chart's title, already escaped.
        desc: The chart's text alternative, already escaped.
        x: The days of the values.
        y: The values; a value that is not finite breaks the line.
        x_labels: ``(day, text)`` labels under the axis, written only where they have room.
        number: Writes a tick value on the vertical axis.
        targets: Target lines; none by default.
        band: The on-track band; ``None`` (the default) draws none.
        forecast: The dashed trend line; ``None`` (the default) draws none.
        y_label: The vertical axis's label, already escaped; ``""`` (the default) writes none.

    Returns:
        The chart as one ``<svg>`` element (640 by 320); only its title and description when
        there is nothing to draw.

    Example:
        >>> import numpy as np
        >>> svg = curve_chart(ident="c", title="T", desc="D", x=np.array([0.0, 1.0]),
        ...                   y=np.array([1.0, 2.0]), x_labels=[(0.0, "2020")], number=str)
        >>> svg.startswith("<svg") and "<title id=\\"c-t\\">T</title>" in svg
        True
    """
    width, height = 640, 320
    left, right, top, bottom = 64, 16, 16, 40
    xs = [float(v) for v in x]
    ys = [float(v) for v in y if math.isfinite(float(v))]
    for x0, y0, x1, y1, _ in targets:
        xs += [x0, x1]
        ys += [y0, y1]
    if band is not None:
        xs += [band[0], band[2]]
        ys += [band[1] - band[4], band[1] + band[4], band[3] - band[4], band[3] + band[4]]
    if forecast is not None:
        xs += [forecast[0], forecast[2]]
        ys += [forecast[1], forecast[3]]
    out = [_svg_open(width, height, ident, title, desc)]
    if not xs or not ys:
        out.append("</svg>")
        return "".join(out)
    x_low, x_high = min(xs), max(xs)
    if x_high <= x_low:
        x_low, x_high = x_low - 1, x_high + 1
    ticks = nice_ticks(min(0.0, min(ys)) if min(ys) >= 0 else min(ys), max(ys))  # noqa: PLW3301 - reads as the clamp it is
    y_low, y_high = ticks[0], ticks[-1]
    if y_high <= y_low:
        y_high = y_low + 1

    def px(v: float) -> float:
        return left + (v - x_low) / (x_high - x_low) * (width - left - right)

    def py(v: float) -> float:
        return top + (y_high - v) / (y_high - y_low) * (height - top - bottom)

    out.append('<g class="axes" font-size="12" fill="' + INK + '">')
    for tick in ticks:
        yy = py(tick)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{number(tick)}</text>'
        )
    last_right = -1e9
    for value, text in x_labels:  # greedy: a label is written only where it has room
        xx = px(value)
        half = 3.6 * len(text) + 4
        if xx - half < last_right or xx + half > width:
            continue
        last_right = xx + half
        out.append(
            f'<text x="{xx:.1f}" y="{height - bottom + 18}" text-anchor="middle">{text}</text>'
        )
    if y_label:
        out.append(
            f'<text x="14" y="{top + (height - top - bottom) / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {top + (height - top - bottom) / 2:.1f})">{y_label}</text>'
        )
    out.append("</g>")
    if band is not None:
        x0, y0, x1, y1, half = band
        pts = [(x0, y0 + half), (x1, y1 + half), (x1, y1 - half), (x0, y0 - half)]
        out.append(
            '<polygon class="band" fill="'
            + BAND
            + '" fill-opacity="0.6" points="'
            + " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in pts)
            + '"/>'
        )
    if forecast is not None:
        x0, y0, x1, y1 = forecast
        out.append(
            f'<line class="forecast" x1="{px(x0):.1f}" y1="{py(y0):.1f}" x2="{px(x1):.1f}" '
            f'y2="{py(y1):.1f}" stroke="{FORECAST}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for x0, y0, x1, y1, text in targets:
        out.append(
            f'<line class="target" x1="{px(x0):.1f}" y1="{py(y0):.1f}" x2="{px(x1):.1f}" '
            f'y2="{py(y1):.1f}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="2 3"/>'
            f'<circle cx="{px(x1):.1f}" cy="{py(y1):.1f}" r="5" fill="{TARGET}">'
            f"<title>{text}</title></circle>"
        )
    finite = [(px(a), py(b)) for a, b in zip(x, y, strict=True) if math.isfinite(float(b))]
    # the line breaks where a value is missing, so a gap is not drawn as a measurement
    runs: list[list[tuple[float, float]]] = [[]]
    for a, b in zip(x, y, strict=True):
        if math.isfinite(float(b)):
            runs[-1].append((px(a), py(b)))
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) > 1:
            out.append(
                f'<polyline class="observed" fill="none" stroke="{LINE}" stroke-width="2.5" '
                'points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in run) + '"/>'
            )
    if len(finite) <= 120:  # a dot per value while they can be told apart
        out.extend(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{LINE}"/>' for a, b in finite)
    out.append("</svg>")
    return "".join(out)


def bar_chart(*, ident: str, title: str, desc: str, bars: Sequence[tuple[str, float, str]]) -> str:
    """Horizontal bars: ``(label, value, value text)`` each, labels already escaped.

    Parameters:
        ident: The chart's ``id`` (its title and description ids derive from it).
        title: The chart's title, already escaped.
        desc: The chart's text alternative, already escaped.
        bars: ``(label, value, value text)`` per bar, top to bottom; lengths are scaled to the
            largest value.

    Returns:
        The chart as one ``<svg>`` element, 640 wide, one 28-pixel row per bar.

    Example:
        >>> "<rect" in bar_chart(ident="f", title="T", desc="D", bars=[("a", 2, "2")])
        True
    """
    row = 28
    label_width, width = 200, 640
    height = row * len(bars) + 16
    top = max((v for _, v, _ in bars), default=0) or 1
    out = [_svg_open(width, height, ident, title, desc), f'<g font-size="13" fill="{INK}">']
    for i, (text, value, shown) in enumerate(bars):
        y = 8 + i * row
        w = (width - label_width - 60) * value / top
        out.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end">{text}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{LINE}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{y + 18}">{shown}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)


class MapFrame:
    """Where a set of places lies on the Equal Earth projection, and how it maps to pixels.

    Parameters:
        lonlat: ``(lon, lat)`` in degrees of the places to frame, with a margin; when empty,
            the world from 170° W to 170° E and 60° S to 75° N.
        width: The width in pixels; ``720`` by default (the height follows the places' shape,
            between 240 and 560).

    Example:
        >>> frame = MapFrame([(2.35, 48.86), (-71.06, 42.36)])
        >>> 0 <= frame.point(2.35, 48.86)[0] <= frame.width
        True
    """

    def __init__(self, lonlat: Sequence[tuple[float, float]], width: int = 720) -> None:
        if lonlat:
            xs, ys = equal_earth(np.array([p[0] for p in lonlat]), np.array([p[1] for p in lonlat]))
        else:
            xs, ys = equal_earth(np.array([-170.0, 170.0]), np.array([-60.0, 75.0]))
        x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        pad_x = max((x1 - x0) * 0.08, 0.05)
        pad_y = max((y1 - y0) * 0.12, 0.05)
        self.x0, self.x1 = x0 - pad_x, x1 + pad_x
        self.y0, self.y1 = y0 - pad_y, y1 + pad_y
        self.width = width
        aspect = (self.y1 - self.y0) / (self.x1 - self.x0)
        self.height = int(min(max(width * aspect, 240), 560))
        # keep the scale equal on both axes: widen whichever side is short
        scale = min(width / (self.x1 - self.x0), self.height / (self.y1 - self.y0))
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        self.x0, self.x1 = cx - width / scale / 2, cx + width / scale / 2
        self.y0, self.y1 = cy - self.height / scale / 2, cy + self.height / scale / 2
        self.scale = scale

    def points(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Pixel coordinates of many points, as an ``(n, 2)`` array.

        Parameters:
            lon: Longitudes in degrees.
            lat: Latitudes in degrees, one per longitude.

        Returns:
            The ``(n, 2)`` array of ``x, y`` pixels, ``y`` growing downwards.

        Example:
            >>> frame = MapFrame([(2.35, 48.86), (-71.06, 42.36)])
            >>> frame.points(np.array([2.35, -71.06]), np.array([48.86, 42.36])).shape
            (2, 2)
        """
        x, y = equal_earth(lon, lat)
        return np.column_stack(((x - self.x0) * self.scale, (self.y1 - y) * self.scale))

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel coordinates of one point.

        Parameters:
            lon: The longitude in degrees.
            lat: The latitude in degrees.

        Returns:
            The ``(x, y)`` pixel, ``y`` growing downwards.

        Example:
            >>> frame = MapFrame([(2.35, 48.86), (-71.06, 42.36)])
            >>> paris, boston = frame.point(2.35, 48.86), frame.point(-71.06, 42.36)
            >>> boston[0] < paris[0], paris[1] < boston[1]
            (True, True)
        """
        p = self.points(np.array([lon]), np.array([lat]))[0]
        return float(p[0]), float(p[1])

    def land(self) -> str:
        """The country outlines inside the frame, as one SVG path.

        Returns:
            One ``<path class="land">`` element holding every outline ring that reaches into
            the frame.

        Example:
            >>> MapFrame([(2.35, 48.86), (7.34, 47.75)]).land().startswith('<path class="land"')
            True
        """
        parts = []
        for country in country_outlines():
            for ring in country.rings:
                p = self.points(ring[:, 0], ring[:, 1])
                if (
                    p[:, 0].max() < 0
                    or p[:, 0].min() > self.width
                    or p[:, 1].max() < 0
                    or p[:, 1].min() > self.height
                ):
                    continue
                parts.append("M" + "L".join(f"{a:.1f} {b:.1f}" for a, b in p) + "Z")
        return (
            f'<path class="land" d="{"".join(parts)}" fill="{LAND}" stroke="{COAST}" '
            'stroke-width="0.6"/>'
        )


def map_chart(
    *,
    ident: str,
    title: str,
    desc: str,
    frame: MapFrame,
    land: str,
    places: Sequence[tuple[float, float, str, str | None]],
    ties: Sequence[tuple[float, float, float, float, str]] = (),
    label_limit: int = 40,
) -> str:
    """A map: ``places`` are ``(lon, lat, name, href)`` (escaped), ``ties`` great-circle arcs
    ``(lon0, lat0, lon1, lat1, colour)``. Names are written when there are few places.

    Parameters:
        ident: The chart's ``id`` (its title and description ids derive from it).
        title: The chart's title, already escaped.
        desc: The chart's text alternative, already escaped.
        frame: Where the places lie and the chart's size.
        land: The land as SVG (usually ``frame.land()``); ``""`` draws none.
        places: ``(lon, lat, name, href)`` per place; a place with an ``href`` is a link.
        ties: ``(lon0, lat0, lon1, lat1, colour)`` per arc; none by default.
        label_limit: Names are written only when there are at most this many places (``40`` by
            default), and only where they do not overlap an earlier one.

    Returns:
        The map as one ``<svg>`` element the size of ``frame``.

    Example:
        >>> frame = MapFrame([(2.35, 48.86), (7.34, 47.75)])
        >>> svg = map_chart(ident="m", title="T", desc="D", frame=frame, land="",
        ...                 places=[(2.35, 48.86, "Paris", None), (7.34, 47.75, "Mulhouse", None)])
        >>> svg.count("<circle")
        2
    """
    out = [
        _svg_open(frame.width, frame.height, ident, title, desc),
        f'<rect width="{frame.width}" height="{frame.height}" fill="#f4f8fb"/>',
        land,
    ]
    if ties:
        ends = np.array([t[:4] for t in ties], dtype=np.float64)
        lon, lat = great_circle(ends[:, 0], ends[:, 1], ends[:, 2], ends[:, 3], samples=16)
        arcs = frame.points(lon.ravel(), lat.ravel()).reshape(len(ties), -1, 2)
        for arc, tie in zip(arcs, ties, strict=True):
            out.append(
                f'<polyline fill="none" stroke="{tie[4]}" stroke-width="1.2" stroke-opacity="0.7" '
                'points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in arc) + '"/>'
            )
    named = len(places) <= label_limit
    taken: list[tuple[float, float, float, float]] = []
    for place_lon, place_lat, name, href in places:
        x, y = frame.point(place_lon, place_lat)
        dot = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}" stroke="#fff"><title>{name}</title></circle>'
        label = ""
        if named:
            w = 6.5 * len(name)
            box = (x + 6, y - 12, x + 6 + w, y + 2)
            if box[2] > frame.width:
                box = (x - 6 - w, y - 12, x - 6, y + 2)
            if not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken
            ):
                taken.append(box)
                label = (
                    f'<text x="{box[0]:.1f}" y="{y - 1:.1f}" font-size="11" fill="{INK}" '
                    f'stroke="#fff" stroke-width="3" paint-order="stroke">{name}</text>'
                )
        item = dot + label
        out.append(f'<a href="{href}">{item}</a>' if href else item)
    out.append("</svg>")
    return "".join(out)
