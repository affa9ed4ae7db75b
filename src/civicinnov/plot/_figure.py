"""What every chart shares: a figure on its own Agg canvas, unit text, and the checks a reader needs.

- :func:`new_figure` builds a :class:`~matplotlib.figure.Figure` attached to an Agg canvas without
  pyplot, so a user's notebook or application settings are left alone.
- :func:`unit_text` writes a unit as axis text, in a language.
- :func:`clipped_texts` lists the text a reader would not see whole (outside the figure), and
  :func:`overlapping_texts` the texts drawn over each other: the tests of every chart use them, and
  so can anyone who draws their own.
- :func:`figure_svg` writes a figure as SVG text with no date or random ids, so the same data give
  the same file (for a static site and its tests).

matplotlib is imported inside the functions: the optional extra ``civicinnov[plot]``.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from typing import TYPE_CHECKING, cast

from civicinnov.i18n import format_number, unit_label

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from civicinnov.units import Unit

__all__ = [
    "MISSING_MATPLOTLIB",
    "caption",
    "clipped_texts",
    "figure_svg",
    "locale_ticks",
    "new_figure",
    "overlapping_texts",
    "unit_text",
]

#: The message of the :class:`ImportError` raised when matplotlib is missing.
MISSING_MATPLOTLIB = (
    "civicinnov.plot needs matplotlib, which is not installed: install civicinnov[plot] "
    "(pip install 'civicinnov[plot]')"
)


def new_figure(figsize: tuple[float, float], *, constrained: bool = True) -> Figure:
    """A figure on its own Agg canvas (no pyplot state is touched).

    Parameters:
        figsize: width and height in inches.
        constrained: use matplotlib's constrained layout (axes, labels and titles kept inside).

    Returns:
        The empty figure.

    Raises:
        ImportError: matplotlib is not installed (the message says how to install it).

    Example:
        >>> new_figure((4.0, 3.0)).get_size_inches().tolist()
        [4.0, 3.0]
    """
    try:  # the plot extra, loaded on use
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(MISSING_MATPLOTLIB) from exc
    fig = Figure(figsize=figsize, layout="constrained" if constrained else None)
    FigureCanvasAgg(fig)
    return fig


def caption(fig: Figure, *parts: str) -> str:
    """Give a figure a one-paragraph text alternative, kept as its label (``fig.get_label()``).

    Every chart of this package captions itself in words (its title, then what it shows), and
    :func:`figure_svg` writes the caption as the SVG's title, so a screen reader can say what the
    chart is.

    Parameters:
        fig: the figure.
        *parts: sentences or phrases; line breaks become spaces, and the parts are joined as
            sentences.

    Returns:
        The caption.

    Example:
        >>> fig = new_figure((2.0, 1.0))
        >>> caption(fig, "Murders — New Orleans\\nThe curve turned", "7 years")
        'Murders — New Orleans. The curve turned. 7 years.'
        >>> fig.get_label()
        'Murders — New Orleans. The curve turned. 7 years.'
    """
    sentences = []
    for part in parts:
        for line in part.split("\n"):
            words = re.sub(r"[ \t\r\f\v]+", " ", line).strip(" ")  # no-break spaces stay
            if words:
                sentences.append(words if words.endswith((".", "?", "!")) else words + ".")
    text = " ".join(sentences)
    fig.set_label(text)
    return text


def unit_text(unit: Unit | str, lang: str = "en") -> str:
    """The unit as axis-label text in ``lang`` (:func:`civicinnov.i18n.unit_label`).

    Parameters:
        unit: a pint unit or unit text.
        lang: a language tag.

    Returns:
        pint's short pretty form with unit words in ``lang``; ``dimensionless`` when empty.

    Raises:
        UnitError: unit text pint cannot read.

    Example:
        >>> unit_text("foot"), unit_text("incident / month"), unit_text("")
        ('ft', 'incident/month', 'dimensionless')
        >>> unit_text("dwelling / month", "fr")
        'logement/mois'
    """
    return unit_label(unit, lang)


def locale_ticks(axis: Axis, lang: str) -> None:
    """Write an axis' tick numbers as ``lang`` writes numbers (``3 800`` and ``0,25`` in French).

    The decimals follow the spacing of the ticks, so 0.25-steps keep two decimals and 1,000-steps
    none.

    Parameters:
        axis: ``ax.xaxis`` or ``ax.yaxis``.
        lang: a language tag.

    Example:
        >>> fig = new_figure((3.0, 2.0))
        >>> ax = fig.add_subplot()
        >>> _ = ax.plot([0, 1], [0.0, 2500.5])
        >>> locale_ticks(ax.yaxis, "fr")
        >>> fig.canvas.draw()
        >>> [t.get_text().replace("\\u202f", " ") for t in ax.get_yticklabels()][2:4]
        ['500', '1 000']
    """
    from matplotlib.ticker import FuncFormatter  # the plot extra, loaded on use

    def text(value: float, _position: int | None) -> str:
        ticks = sorted(axis.get_majorticklocs())
        steps = [b - a for a, b in itertools.pairwise(ticks) if b > a]
        step = min(steps) if steps else 1.0
        decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
        return format_number(0.0 if abs(value) < step * 1e-9 else value, lang, decimals=decimals)

    axis.set_major_formatter(FuncFormatter(text))


def _visible_texts(fig: Figure) -> list[Text]:
    """The texts a draw shows: visible, not empty, and not the labels of ticks out of view."""
    fig.canvas.draw()
    hidden: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            room = (high - low) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - room <= tick.get_loc() <= high + room:
                    hidden.update((id(tick.label1), id(tick.label2)))
    found = [
        t
        for t in fig.findobj(lambda a: type(a).__name__ in ("Text", "Annotation"))
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden  # type: ignore[attr-defined]
    ]
    return cast("list[Text]", found)


def clipped_texts(fig: Figure, *, tolerance: float = 0.5) -> list[Text]:
    """The texts of a figure that are not wholly inside it once drawn (a clipped label, a title).

    Parameters:
        fig: the figure; it is drawn first, so the layout is final.
        tolerance: pixels a text may overhang (rounding).

    Returns:
        The visible, non-empty text artists whose window extent leaves the figure's; empty when
        every text can be read whole.

    Example:
        >>> fig = new_figure((3.0, 2.0), constrained=False)
        >>> ax = fig.add_subplot(xticks=[], yticks=[])
        >>> _ = ax.set_ylabel("a label far longer than the height of this small figure")
        >>> [t.get_text()[:7] for t in clipped_texts(fig)]
        ['a label']
    """
    box = fig.bbox
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    out = []
    for text in _visible_texts(fig):
        ext = text.get_window_extent(renderer)
        if (
            ext.x0 < box.x0 - tolerance
            or ext.y0 < box.y0 - tolerance
            or ext.x1 > box.x1 + tolerance
            or ext.y1 > box.y1 + tolerance
        ):
            out.append(text)
    return out


def overlapping_texts(fig: Figure, *, gids: str | None = None) -> list[tuple[Text, Text]]:
    """Pairs of texts drawn over each other.

    Parameters:
        fig: the figure; it is drawn first.
        gids: only texts whose gid starts with this (``"label:"`` for a map's place names).

    Returns:
        The pairs whose window extents overlap.

    Example:
        >>> fig = new_figure((3.0, 2.0))
        >>> ax = fig.add_subplot()
        >>> a, b = ax.text(0.5, 0.5, "Basel"), ax.text(0.5, 0.5, "Mulhouse")
        >>> [(p.get_text(), q.get_text()) for p, q in overlapping_texts(fig)]
        [('Basel', 'Mulhouse')]
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [
        t for t in _visible_texts(fig) if gids is None or str(t.get_gid() or "").startswith(gids)
    ]
    boxes = [t.get_window_extent(renderer) for t in texts]
    return [
        (texts[i], texts[j])
        for i, j in itertools.combinations(range(len(texts)), 2)
        if boxes[i].overlaps(boxes[j])
    ]


def figure_svg(fig: Figure, *, title: str | None = None) -> str:
    """The figure as SVG text, the same bytes for the same figure (no date, fixed ids).

    Text stays text (``svg.fonttype: none``), so it can be searched, read aloud and scaled.
    A figure with a layout engine (constrained layout) is drawn once and its layout then kept
    fixed, so writing it again gives the same bytes.

    Parameters:
        fig: the figure.
        title: the SVG's ``<title>`` (a text alternative for screen readers); by default the
            figure's caption (:func:`caption`, which every chart of this package sets), if any.

    Returns:
        The SVG document.

    Example:
        >>> fig = new_figure((2.0, 1.0))
        >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
        >>> svg = figure_svg(fig, title="A rising line")
        >>> svg.startswith("<?xml"), "<dc:title>A rising line</dc:title>" in svg, svg == figure_svg(fig, title="A rising line")
        (True, True, True)
    """
    import matplotlib  # the optional plot extra, imported only when a figure is written

    if fig.get_layout_engine() is not None:
        fig.canvas.draw()
        fig.set_layout_engine("none")
    buffer = io.StringIO()
    metadata: dict[str, str | None] = {"Date": None, "Creator": None}
    if title is None:
        title = str(fig.get_label()) or None
    if title is not None:
        metadata["Title"] = title
    with matplotlib.rc_context({"svg.hashsalt": "civicinnov", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata=metadata)
    return buffer.getvalue()
