"""The initiative funnel: one bar per status, in the method's order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from civicinnov.errors import ValidationError
from civicinnov.i18n import format_number, translator
from civicinnov.model import InitiativeStatus
from civicinnov.plot._figure import caption, locale_ticks, new_figure
from civicinnov.programme import Portfolio

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_funnel"]


def plot_funnel(
    initiatives: Portfolio | Mapping[InitiativeStatus | str, int],
    *,
    title: str | None = None,
    lang: str = "en",
) -> Figure:
    """Draw the initiative funnel: one horizontal bar per status, in the method's order.

    ``initiatives`` is a :class:`~civicinnov.programme.Portfolio` (its
    :meth:`~civicinnov.programme.Portfolio.funnel`) or counts by
    :class:`~civicinnov.model.InitiativeStatus` (members or their values). Every
    status gets a bar, top to bottom from candidate to stopped (missing statuses count 0), named
    in ``lang`` and annotated with its count. Statuses in the portfolio (selected and not
    stopped) are drawn in one colour, candidates and stopped initiatives in others. The title
    says how many initiatives there are in all.

    Parameters:
        initiatives: the programme, or counts by status.
        title: the title's first line; default "Initiatives by status" in ``lang``.
        lang: the language of the labels.

    Returns:
        The figure, with one axes.

    Raises:
        ValidationError: an unknown status, a count that is not a non-negative integer, or an
            unknown language.
        ImportError: matplotlib is not installed.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> fig = plot_funnel(load_iteams())
        >>> ax = fig.axes[0]
        >>> [t.get_text() for t in ax.get_yticklabels()][:3], ax.get_xlabel()
        (['Candidate', 'Selected', 'Planned'], 'Number of initiatives')
        >>> {t.get_text(): round(p.get_width()) for t, p in zip(ax.get_yticklabels(), ax.patches)
        ...  if p.get_width()}
        {'Piloting': 2, 'Delivering': 14, 'Handed off': 2}
        >>> ax.get_title()
        'Initiatives by status\\n18 initiatives in all'
    """
    _ = translator(lang)
    order = list(InitiativeStatus)
    if isinstance(initiatives, Portfolio):
        counts: dict[InitiativeStatus, int] = initiatives.funnel()
    else:
        counts = {}
        for key, count in initiatives.items():
            try:
                status = InitiativeStatus(key)
            except ValueError:
                raise ValidationError(
                    f"initiatives[{key!r}]: expected a status, one of "
                    f"{[s.value for s in order]}, got {key!r}"
                ) from None
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
                raise ValidationError(
                    f"initiatives[{status.value!r}]: expected a non-negative integer count, got "
                    f"{count!r}"
                )
            counts[status] = counts.get(status, 0) + int(count)
    widths = np.array([counts.get(s, 0) for s in order], dtype=np.int64)
    colours = [
        "#0072B2" if s.is_selected else "#bdbdbd" if s is InitiativeStatus.STOPPED else "#9ecae1"
        for s in order
    ]
    fig = new_figure((6.4, 4.0))
    ax = fig.add_subplot()
    positions = np.arange(len(order))
    bars = ax.barh(positions, widths, color=colours, label=_("Initiatives"))
    for patch, status in zip(bars.patches, order, strict=True):
        patch.set_gid(f"status:{status.value}")
    ax.bar_label(bars, labels=[format_number(int(w), lang) for w in widths], padding=3)
    ax.set_yticks(positions, labels=[_.label(s) for s in order])
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, int(widths.max())) * 1.15)
    locale_ticks(ax.xaxis, lang)
    ax.set_xlabel(_("Number of initiatives"))
    total = int(widths.sum())
    head = title if title is not None else _("Initiatives by status")
    ax.set_title(
        head + "\n" + _.plural("{count} initiative in all", "{count} initiatives in all", total)
    )
    caption(
        fig,
        ax.get_title(),
        ", ".join(
            _("{label}: {value}", label=_.label(s), value=format_number(int(w), lang))
            for s, w in zip(order, widths, strict=True)
            if w
        ),
    )
    return fig
