"""Labels that do not overlap: a greedy placement of point labels on a drawn axes.

Each label in turn (the order given: put the most important first) tries positions around its
point (right, above-right, above-left, left, below-right, below-left, above, below; then the same
farther out) and takes the first one whose box stays inside the axes and overlaps no label
already placed, no other point's marker and no box to avoid (a legend). A label placed at a
farther distance gets a thin leader line to its point. A label with no free position is left out
and reported, so a crowded area can get an inset instead. This is the
classic greedy point-feature labelling (Christensen, Marks and Shieber, "An empirical study of
algorithms for point-feature label placement", *ACM Transactions on Graphics* 14(3), 1995, the
"greedy" baseline), with the common eight-position model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation

__all__ = ["place_labels"]

# (dx, dy) in points for a unit offset, with the text alignment that keeps the text away from
# its point.
_POSITIONS: tuple[
    tuple[float, float, Literal["left", "center", "right"], Literal["bottom", "center", "top"]],
    ...,
] = (
    (1.0, 0.0, "left", "center"),
    (0.8, 0.8, "left", "bottom"),
    (-0.8, 0.8, "right", "bottom"),
    (-1.0, 0.0, "right", "center"),
    (0.8, -0.8, "left", "top"),
    (-0.8, -0.8, "right", "top"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
)


def place_labels(
    ax: Axes,
    x: ArrayLike,
    y: ArrayLike,
    texts: Sequence[str],
    *,
    gids: Sequence[str] | None = None,
    fontsize: float | str = "x-small",
    marker_size: float = 6.0,
    offsets: Sequence[float] = (4.0, 11.0),
    avoid: Sequence[Any] = (),
    **text_kw: Any,
) -> list[Annotation | None]:
    """Write a label beside each point where it overlaps nothing; leave out the ones that cannot fit.

    Call it once the axes' limits and aspect are final (it applies the aspect itself).

    Parameters:
        ax: the axes the points are drawn on.
        x, y: the points, in data coordinates.
        texts: one label per point, in order of importance.
        gids: one gid per label (for finding it later), default ``label:<i>``.
        fontsize: the labels' font size.
        marker_size: the side of each point's marker, in points, that labels keep clear of.
        offsets: distances from the point to try, in points, nearest first.
        avoid: display-coordinate boxes (:class:`~matplotlib.transforms.Bbox`) to keep clear of,
            such as a legend's window extent.
        **text_kw: passed to :meth:`~matplotlib.axes.Axes.annotate` (colour, weight...).

    Returns:
        One entry per point: the placed :class:`~matplotlib.text.Annotation`, or ``None`` when no
        position was free.

    Example:
        >>> from civicinnov.plot import new_figure, overlapping_texts
        >>> fig = new_figure((3.0, 2.0))
        >>> ax = fig.add_subplot()
        >>> _ = ax.set(xlim=(0, 10), ylim=(0, 10))
        >>> placed = place_labels(ax, [5, 5.1, 5.2], [5, 5, 5], ["Mulhouse", "Basel", "Freiburg"])
        >>> [p is not None for p in placed], overlapping_texts(fig, gids="label:")
        ([True, True, True], [])
    """
    fig = ax.get_figure()
    assert fig is not None  # an axes is always on a figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    if fig.get_layout_engine() is not None:
        fig.canvas.draw()  # settle the layout before measuring
    ax.apply_aspect()
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    ys = np.asarray(y, dtype=np.float64).reshape(-1)
    points = ax.transData.transform(np.column_stack([xs, ys]))
    px = fig.dpi / 72.0
    half = marker_size * px / 2.0
    markers = np.column_stack([points - half, points + half])  # x0, y0, x1, y1
    frame = ax.get_window_extent(renderer)
    existing = [t.get_window_extent(renderer) for t in ax.texts if t.get_visible() and t.get_text()]
    placed = np.array([[b.x0, b.y0, b.x1, b.y1] for b in existing], dtype=np.float64).reshape(-1, 4)
    blocked = np.array([[b.x0, b.y0, b.x1, b.y1] for b in avoid], dtype=np.float64).reshape(-1, 4)
    names = list(gids) if gids is not None else [f"label:{i}" for i in range(len(texts))]
    out: list[Annotation | None] = []
    # every candidate position as (distance, dx, dy, horizontal share, vertical share), in order
    shares = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}
    cands = np.array(
        [(d, dx, dy, shares[ha], shares[va]) for d in offsets for dx, dy, ha, va in _POSITIONS]
    )
    aligns = [(ha, va) for _d in offsets for _dx, _dy, ha, va in _POSITIONS]
    pad = 1.0  # pixels of safety around each computed box
    for i, text in enumerate(texts):
        others = np.delete(markers, i, axis=0)
        obstacles = np.concatenate([placed, others, blocked])
        note = ax.annotate(
            text,
            (xs[i], ys[i]),
            xytext=(0.0, 0.0),
            textcoords="offset points",
            fontsize=fontsize,
            annotation_clip=False,
            ha="left",
            va="bottom",
            **text_kw,
        )
        note.set_gid(names[i])
        # measure once, then place every candidate box by arithmetic
        box0 = note.get_window_extent(renderer)
        w, h = box0.width, box0.height
        lx, ly = box0.x0 - points[i, 0], box0.y0 - points[i, 1]
        ax_ = points[i, 0] + cands[:, 1] * cands[:, 0] * px + lx - cands[:, 3] * w
        ay_ = points[i, 1] + cands[:, 2] * cands[:, 0] * px + ly - cands[:, 4] * h
        boxes = np.column_stack([ax_ - pad, ay_ - pad, ax_ + w + pad, ay_ + h + pad])
        inside = (
            (boxes[:, 0] >= frame.x0 - pad)
            & (boxes[:, 1] >= frame.y0 - pad)
            & (boxes[:, 2] <= frame.x1 + pad)
            & (boxes[:, 3] <= frame.y1 + pad)
        )
        hits = (
            (obstacles[None, :, 0] < boxes[:, None, 2])
            & (obstacles[None, :, 2] > boxes[:, None, 0])
            & (obstacles[None, :, 1] < boxes[:, None, 3])
            & (obstacles[None, :, 3] > boxes[:, None, 1])
        ).any(axis=1)
        free = np.flatnonzero(inside & ~hits)
        found = bool(free.size)
        if found:
            k = int(free[0])
            distance = float(cands[k, 0])
            note.xyann = (cands[k, 1] * distance, cands[k, 2] * distance)
            note.set_horizontalalignment(aligns[k][0])
            note.set_verticalalignment(aligns[k][1])
            real = note.get_window_extent(renderer)
            placed = np.vstack([placed, [real.x0, real.y0, real.x1, real.y1]])
        if found:
            if distance > offsets[0]:
                # far from its point: a thin leader line from the point to the label's anchor
                dx_, dy_ = note.xyann
                anchor = points[i] + np.array([dx_, dy_]) * px
                start = points[i] + (anchor - points[i]) * (
                    half / max(np.hypot(*(anchor - points[i])), 1e-9)
                )
                ends = ax.transData.inverted().transform(np.vstack([start, anchor]))
                (leader,) = ax.plot(
                    ends[:, 0],
                    ends[:, 1],
                    "-",
                    color="#777777",
                    linewidth=0.4,
                    zorder=note.get_zorder(),
                    scalex=False,
                    scaley=False,
                )
                leader.set_gid(f"leader:{names[i]}")
            out.append(note)
        else:
            note.remove()
            out.append(None)
    return out
