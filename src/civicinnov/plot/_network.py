"""The network on a world map: Equal Earth, country outlines, great-circle ties, insets where cities crowd.

A place is drawn where it is (its ``lat``/``lon`` node attributes, projected with Equal Earth);
relations are great-circle arcs, one line collection per relation kind; names are placed so
that they do not overlap (:func:`~civicinnov.plot.place_labels`). Where places crowd (closer than
a small share of the map's width, such as Mulhouse, Basel and Freiburg, or Tel Aviv, Jerusalem and
Be'er Sheva on a map from Seattle to Israel), a lettered frame on the map points to a zoomed
inset below it, where those places and their ties are drawn at their own scale.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from civicinnov.errors import ValidationError
from civicinnov.i18n import translator
from civicinnov.network import CityNetwork, NodeKind, RelationKind
from civicinnov.plot._figure import caption, new_figure
from civicinnov.plot._placement import place_labels
from civicinnov.plot._projection import country_outlines, equal_earth, great_circle
from civicinnov.programme import Portfolio

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["RELATION_COLOURS", "crowded_groups", "plot_network_map"]

#: One colour per relation kind (Okabe–Ito colours, colour-blind-safe, then darker shades of
#: them for the later kinds), so maps are comparable.
RELATION_COLOURS: dict[str, str] = {
    "cohort_peer": "#0072B2",
    "partnership": "#E69F00",
    "exchange": "#009E73",
    "adoption": "#D55E00",
    "intermediary": "#CC79A7",
    "proximity": "#777777",
    "cross_border_metro": "#56B4E9",
    "border": "#000000",
    "across_water": "#1F5F8B",
    "cultural": "#A89A00",
    "support": "#7A4E8F",
}

_LAND, _BORDER, _SEA = "#e8e6e1", "#ffffff", "#f2f6f9"


def crowded_groups(
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    within: float,
    limit: int = 3,
) -> list[list[int]]:
    """Groups of points closer than ``within`` to each other, the most crowded first.

    Complete-linkage clustering (every pair in a group is closer than ``within``, so groups do
    not chain across a continent), keeping groups of at least two points that are not all at one
    spot, ranked by their number of points, then by points per unit of spread.

    Parameters:
        x, y: the points, in map units.
        within: the largest distance between two points of a group, in map units.
        limit: at most this many groups.

    Returns:
        The groups, as lists of point indices, most crowded first.

    Example:
        >>> import numpy as np
        >>> crowded_groups(np.array([0.0, 1.0, 2.0, 100.0, 101.0]), np.zeros(5), within=5.0)
        [[0, 1, 2], [3, 4]]
        >>> crowded_groups(np.array([0.0, 0.0, 50.0]), np.zeros(3), within=5.0)  # one spot
        []
    """
    if len(x) < 2:
        return []
    from scipy.cluster.hierarchy import fcluster, linkage  # noqa: PLC0415 - scipy is heavy: loaded on use

    points = np.column_stack([x, y])
    tree = linkage(points, method="complete")
    labels = fcluster(tree, t=within, criterion="distance")
    groups = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        span = points[members].max(axis=0) - points[members].min(axis=0)
        spread = float(np.hypot(*span))
        if spread == 0.0:
            continue  # all at one spot: a zoom shows nothing more
        groups.append((len(members), len(members) / spread, members.tolist()))
    groups.sort(key=lambda g: (-g[0], -g[1]))
    return [members for _, _, members in groups[:limit]]


def _kinds(kinds: Iterable[RelationKind | str] | RelationKind | str | None) -> list[RelationKind]:
    if kinds is None:
        return list(RelationKind)
    items = [kinds] if isinstance(kinds, (str, RelationKind)) else list(kinds)
    out = []
    for item in items:
        try:
            out.append(RelationKind(item))
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in RelationKind)
            raise ValidationError(
                f"kinds: {item!r} is not a relation kind; expected one of {allowed}"
            ) from None
    return sorted(set(out), key=list(RelationKind).index)


def _arcs(
    lon: NDArray[np.float64], lat: NDArray[np.float64], pairs: NDArray[np.int64]
) -> list[NDArray[np.float64]]:
    """Projected great-circle arcs, split where they cross the map's edge (±180°)."""
    if not len(pairs):
        return []
    arc_lon, arc_lat = great_circle(
        lon[pairs[:, 0]], lat[pairs[:, 0]], lon[pairs[:, 1]], lat[pairs[:, 1]]
    )
    ax_, ay_ = equal_earth(arc_lon, arc_lat)
    jumps = np.abs(np.diff(arc_lon, axis=1)) > 180.0
    out: list[NDArray[np.float64]] = []
    for k in range(len(pairs)):
        xy = np.column_stack([ax_[k], ay_[k]])
        cuts = np.flatnonzero(jumps[k]) + 1
        out.extend(piece for piece in np.split(xy, cuts) if len(piece) > 1)
    return out


def _fit(ax: Axes, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Widen the extent to the axes' shape, so one kilometre is as long across as up."""
    pos = ax.get_position()
    fw, fh = cast(
        "Figure", ax.figure
    ).get_size_inches()  # our axes sit on a Figure, never a SubFigure
    shape = (pos.width * fw) / (pos.height * fh)
    x0, x1, y0, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < shape:
        w = h * shape
    else:
        h = w / shape
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    # keep the frame on the globe where it can: slide it back from beyond the poles and the edge
    ex, ey = float(equal_earth(180.0, 0.0)[0]), float(equal_earth(0.0, 90.0)[1])
    if h < 2.0 * ey:
        cy = min(max(cy, -ey + h / 2.0), ey - h / 2.0)
    if w < 2.0 * ex:
        cx = min(max(cx, -ex + w / 2.0), ex - w / 2.0)
    return cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0


def _draw_base(ax: Axes, box: tuple[float, float, float, float]) -> None:
    from matplotlib.collections import PolyCollection  # noqa: PLC0415 - the plot extra, loaded on use

    x0, x1, y0, y1 = _fit(ax, box)
    rings = []
    for country in country_outlines():
        for ring in country.rings:
            rx, ry = equal_earth(ring[:, 0], ring[:, 1])
            if rx.max() < x0 or rx.min() > x1 or ry.max() < y0 or ry.min() > y1:
                continue
            rings.append(np.column_stack([rx, ry]))
    # the globe's outline: the map's edge meridians
    lat = np.linspace(-90.0, 90.0, 181)
    ex, ey = equal_earth(np.full_like(lat, 180.0), lat)
    globe = np.concatenate([np.column_stack([ex, ey]), np.column_stack([-ex, ey])[::-1]])
    sea = PolyCollection([globe], facecolors=_SEA, edgecolors="#c8d3dc", linewidths=0.6, zorder=0)
    sea.set_gid("sea")
    ax.add_collection(sea, autolim=False)
    land = PolyCollection(rings, facecolors=_LAND, edgecolors=_BORDER, linewidths=0.5, zorder=0.5)
    land.set_gid("countries")
    ax.add_collection(land, autolim=False)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9aa5ad")
        spine.set_linewidth(0.6)


def _extent(
    x: NDArray[np.float64], y: NDArray[np.float64], *, pad: float, minimum: float
) -> tuple[float, float, float, float]:
    if not len(x):
        ex, ey = float(equal_earth(180.0, 0.0)[0]), float(equal_earth(0.0, 90.0)[1])
        return -ex, ex, -ey, ey
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    w = max(x1 - x0, minimum)
    h = max(y1 - y0, minimum)
    cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    w, h = w * (1.0 + 2.0 * pad), h * (1.0 + 2.0 * pad)
    return cx - w / 2.0, cx + w / 2.0, cy - h / 2.0, cy + h / 2.0


def plot_network_map(
    network: CityNetwork | Portfolio,
    *,
    kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
    labels: bool | None = None,
    label_limit: int = 60,
    insets: Sequence[Sequence[str]] | None = None,
    max_insets: int = 3,
    crowding: float = 0.025,
    title: str | None = None,
    lang: str = "en",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Draw the network on a world map, with zoomed insets where places crowd.

    ``network`` is a :class:`~civicinnov.network.CityNetwork` or a
    :class:`~civicinnov.programme.Portfolio` (drawn through its
    :meth:`~civicinnov.programme.Portfolio.network`). The map is the Equal Earth projection
    (:func:`~civicinnov.plot.equal_earth`) over the shipped Natural Earth country outlines,
    framed on the places drawn. Cities are dots, organisations with coordinates squares; places
    without coordinates cannot be drawn and are counted in a note beside the title. Each relation
    is a great-circle arc, one line collection per :class:`~civicinnov.network.RelationKind`
    in its colour (:data:`RELATION_COLOURS`), named in the legend in ``lang``.

    Names are placed greedily so that none overlaps another or a marker
    (:func:`~civicinnov.plot.place_labels`); a name with no free place is left out. Where places
    crowd (groups whose points are all within ``crowding`` × the map's width of each other, at
    most ``max_insets``, most crowded first), the map shows a lettered frame, and a panel below
    it draws that group zoomed, with its names and ties.

    Parameters:
        network: the network or the programme.
        kinds: only relations of these kinds (as :meth:`CityNetwork.view
            <civicinnov.network.CityNetwork.view>`); default all.
        labels: write place names on the map (default: when at most ``label_limit`` places
            are drawn); the insets always name their places.
        label_limit: the most places named by default.
        insets: node ids of each inset, instead of the crowded groups found; ``()`` for none.
        max_insets: the most insets found automatically.
        crowding: the share of the map's width under which places count as crowded.
        title: the title; default "Network of cities" in ``lang``.
        lang: the language of the title, legend and notes (``"en"``, ``"fr"``).
        figsize: width and height in inches; default 10 inches wide and as tall as the map's
            extent and the insets need.

    Returns:
        The figure: ``fig.axes[0]`` is the map, then one axes per inset.

    Raises:
        ValidationError: an unknown relation kind, an unknown language, or an inset naming a
            node that is not drawn.
        ImportError: matplotlib is not installed.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> net = CityNetworkBuilder()
        >>> for cid, name, lat, lon in [("mulhouse", "Mulhouse", 47.75, 7.34),
        ...         ("basel", "Basel", 47.56, 7.59), ("freiburg", "Freiburg", 47.99, 7.85),
        ...         ("paris", "Paris", 48.86, 2.35), ("boston", "Boston", 42.36, -71.06)]:
        ...     net.add_city(cid, name=name, lat=lat, lon=lon)
        >>> for a, b in [("mulhouse", "basel"), ("basel", "freiburg"), ("paris", "boston")]:
        ...     _ = net.add_relation(Relation(kind="partnership", source=a, target=b))
        >>> fig = plot_network_map(net.build(), lang="fr")
        >>> main, inset = fig.axes
        >>> [t.get_text() for t in main.get_legend().get_texts()]
        ['Partenariat', 'Ville']
        >>> inset.get_title(), sorted(t.get_text() for t in inset.texts)
        ('Détail A', ['Basel', 'Freiburg', 'Mulhouse'])
    """
    _ = translator(lang)
    chosen = _kinds(kinds)
    net = network.network() if isinstance(network, Portfolio) else network
    shown = net.view(kinds=chosen) if kinds is not None else net
    graph = shown.nx

    ids: list[str] = []
    lon_lat: list[tuple[float, float]] = []
    is_org: list[bool] = []
    names: list[str] = []
    for node, data in graph.nodes(data=True):
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            continue
        ids.append(str(node))
        lon_lat.append((float(lon), float(lat)))
        is_org.append(data.get("kind") == "organisation")
        names.append(str(data.get("name") or node))
    where = {node: i for i, node in enumerate(ids)}
    coords = np.array(lon_lat, dtype=np.float64).reshape(-1, 2)
    org = np.array(is_org, dtype=bool)
    px, py = equal_earth(coords[:, 0], coords[:, 1])

    by_kind: dict[RelationKind, list[tuple[int, int]]] = {k: [] for k in RelationKind}
    for a, b, data in graph.edges(data=True):
        if a in where and b in where:
            by_kind[RelationKind(data["kind"])].append((where[a], where[b]))
    ends_ = np.array([p for pairs in by_kind.values() for p in pairs], dtype=np.int64).reshape(
        -1, 2
    )
    degree = np.bincount(ends_.ravel(), minlength=len(ids)).astype(np.float64)

    box = _extent(px, py, pad=0.06, minimum=600.0)
    width = box[1] - box[0]
    if insets is None:
        groups = crowded_groups(px, py, within=crowding * width, limit=max_insets)
    else:
        groups = []
        for k, wanted in enumerate(insets):
            missing = [m for m in wanted if m not in where]
            if missing:
                raise ValidationError(
                    f"insets[{k}]: expected ids of drawn places (with coordinates), got "
                    f"{missing}; drawn: {sorted(where)}"
                )
            groups.append([where[m] for m in wanted])
    letters = string.ascii_uppercase
    n_insets = min(len(groups), len(letters))
    groups = groups[:n_insets]

    # the plot extra, loaded on use
    from matplotlib.collections import LineCollection  # noqa: PLC0415 - the optional plot extra, loaded when a chart is drawn
    from matplotlib.lines import Line2D  # noqa: PLC0415 - the optional plot extra, loaded when a chart is drawn
    from matplotlib.patches import Rectangle  # noqa: PLC0415 - the optional plot extra, loaded when a chart is drawn

    # inches: the map as tall as its extent asks (within bounds), a title band, the insets' row
    width_in = 10.0 if figsize is None else float(figsize[0])
    map_in = min(max(0.98 * width_in * (box[3] - box[2]) / width, 0.3 * width_in), 0.6 * width_in)
    inset_in = 0.26 * width_in if n_insets else 0.0
    legend_in = 0.35
    height_in = map_in + 0.45 + legend_in + (inset_in + 0.45 if n_insets else 0.1)
    if figsize is not None:
        scale = float(figsize[1]) / height_in
        map_in, inset_in, height_in = map_in * scale, inset_in * scale, float(figsize[1])
    fig = new_figure((width_in, height_in), constrained=False)
    map_bottom = ((inset_in + 0.45) if n_insets else 0.1) / height_in + legend_in / height_in
    ax = fig.add_axes((0.01, map_bottom, 0.98, map_in / height_in))
    ax.set_gid("map")
    _draw_base(ax, box)

    def draw_ties(target: Axes, members: set[int] | None, scale: float) -> list[Any]:
        handles = []
        for kind in chosen:
            pairs = [
                p for p in by_kind[kind] if members is None or (p[0] in members and p[1] in members)
            ]
            if not pairs:
                continue
            segs = _arcs(coords[:, 0], coords[:, 1], np.array(pairs, dtype=np.int64))
            faint = kind is RelationKind.COHORT_PEER and len(pairs) > 20
            lines = LineCollection(
                segs,
                colors=RELATION_COLOURS[kind.value],
                linewidths=(0.6 if faint else 1.3) * scale,
                alpha=0.35 if faint else 0.85,
                zorder=1,
                label=_.label(kind),
            )
            lines.set_gid(f"relations:{kind.value}")
            target.add_collection(lines, autolim=False)
            handles.append(lines)
        return handles

    def draw_places(target: Axes, members: NDArray[np.int64]) -> None:
        sel_org = members[org[members]]
        sel_city = members[~org[members]]
        if len(sel_org):
            orgs = target.scatter(
                px[sel_org], py[sel_org], marker="s", s=26, color="#6a3d9a",
                edgecolors="white", linewidths=0.5, zorder=3, label=_.label(NodeKind.ORGANISATION),
            )  # fmt: skip
            orgs.set_gid("organisations")
        cities = target.scatter(
            px[sel_city], py[sel_city], s=22, color="#222222", edgecolors="white",
            linewidths=0.6, zorder=3, label=_.label(NodeKind.CITY),
        )  # fmt: skip
        cities.set_gid("cities")

    everyone = np.arange(len(ids), dtype=np.int64)
    draw_ties(ax, None, 1.0)
    draw_places(ax, everyone)
    handles, texts = ax.get_legend_handles_labels()
    legend_handles = [
        Line2D([], [], color=cast(Any, h.get_colors()[0]), linewidth=2.0)
        if isinstance(h, LineCollection)
        else h
        for h in handles
    ]
    ax.legend(
        legend_handles, texts, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(texts),
        fontsize="small", frameon=False,
    )  # fmt: skip

    in_inset: set[int] = set()
    letter_of: dict[int, str] = {}
    for k, members in enumerate(groups):
        letter = letters[k]
        gx, gy = px[members], py[members]
        frame_pad = max(0.012 * width, 0.15 * float(np.ptp(gx)), 0.15 * float(np.ptp(gy)))
        x0, y0 = gx.min() - frame_pad, gy.min() - frame_pad
        rect = Rectangle(
            (x0, y0), float(np.ptp(gx)) + 2 * frame_pad, float(np.ptp(gy)) + 2 * frame_pad,
            fill=False, edgecolor="#333333", linewidth=0.8, zorder=4,
        )  # fmt: skip
        rect.set_gid(f"inset-frame:{letter}")
        ax.add_patch(rect)
        in_inset.update(members)
        letter_of[members[0]] = letter

    fig.canvas.draw()
    if labels is None:
        labels = len(ids) <= label_limit
    if labels or groups:
        # on the map: each place outside an inset by its name; each inset by its letter
        # the most crowded places choose first (they have the fewest free positions), then the
        # most connected
        near = np.hypot(px[:, None] - px[None, :], py[:, None] - py[None, :]) < 0.04 * width
        crowd = near.sum(axis=1)
        order = sorted(range(len(ids)), key=lambda i: (-crowd[i], -degree[i], names[i]))
        shown_ix = [i for i in order if i not in in_inset] if labels else []
        lettered = [members[0] for members in groups]
        texts_ = [names[i] for i in shown_ix] + [letter_of[i] for i in lettered]
        gids = [f"label:{ids[i]}" for i in shown_ix] + [
            f"inset-letter:{letter_of[i]}" for i in lettered
        ]
        ix = shown_ix + lettered
        place_labels(
            ax, px[ix], py[ix], texts_, gids=gids, marker_size=5.5,
            offsets=(4.0, 11.0, 18.0),
        )  # fmt: skip
        for note in ax.texts:
            if str(note.get_gid()).startswith("inset-letter:"):
                note.set_fontweight("bold")
                note.set_fontsize("small")

    ax.set_title(
        title if title is not None else _("Network of cities"), fontsize="medium", loc="left"
    )
    unplaced = len(graph) - len(ids)
    if unplaced:
        note = ax.text(
            1.0, 1.01, _.plural(
                "{count} place not shown (no coordinates)",
                "{count} places not shown (no coordinates)",
                unplaced,
            ),
            transform=ax.transAxes, ha="right", va="bottom", fontsize="x-small", color="#555555",
        )  # fmt: skip
        note.set_gid("unplaced")

    # the insets, in a row under the map
    details: list[str] = []
    gap = 0.02
    panel_w = (0.98 - gap * (n_insets - 1)) / max(n_insets, 1)
    for k, members in enumerate(groups):
        letter = letters[k]
        inset = fig.add_axes(
            (0.01 + k * (panel_w + gap), 0.1 / height_in, panel_w, inset_in / height_in)
        )
        inset.set_gid(f"inset:{letter}")
        gx, gy = px[members], py[members]
        span = max(float(np.ptp(gx)), float(np.ptp(gy)), 20.0)
        sub = _extent(gx, gy, pad=0.35, minimum=span)
        _draw_base(inset, sub)
        draw_ties(inset, set(members), 1.4)
        draw_places(inset, np.array(members, dtype=np.int64))
        inset.set_title(_("Detail {letter}", letter=letter), fontsize="small")
        details.append(
            _(
                "{label}: {value}",
                label=inset.get_title(),
                value=", ".join(names[i] for i in members),
            )
        )
        inner = sorted(members, key=lambda i: -degree[i])
        place_labels(
            inset, px[inner], py[inner], [names[i] for i in inner],
            gids=[f"label:{ids[i]}" for i in inner], marker_size=7.0, fontsize="small",
        )  # fmt: skip
    n_cities = int((~org).sum())
    n_ties = sum(len(by_kind[k]) for k in chosen)
    caption(
        fig,
        ax.get_title(loc="left"),
        _.plural("{count} city", "{count} cities", n_cities)
        + (
            ", " + _.plural("{count} organisation", "{count} organisations", int(org.sum()))
            if org.any()
            else ""
        )
        + ", "
        + _.plural("{count} tie", "{count} ties", n_ties)
        + " ("
        + ", ".join(_.label(k) for k in chosen if by_kind[k])
        + ")",
        *([t.get_text() for t in ax.texts if t.get_gid() == "unplaced"]),
        *details,
    )
    return fig
