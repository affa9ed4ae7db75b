"""Charts a person can read: turn the curve, event study, synthetic-control gap, funnel, network map.

Each ``plot_*`` function takes what the other layers return and gives back a new matplotlib
:class:`~matplotlib.figure.Figure`, titled in words (the metric's and the place's names, not their
ids), with its unit on the axis and its labels in the language asked for (``lang="fr"``):

- :func:`plot_turn_the_curve`: history, baseline forecast, actuals and target trajectories of a
  :class:`~civicinnov.metrics.series.MetricSeries`;
- :func:`plot_event_study`: event-study coefficients with their confidence intervals;
- :func:`plot_gap`: a treated place against its synthetic control, and the gap between them;
- :func:`plot_funnel`: initiatives by status, in the method's order;
- :func:`plot_network_map`: the network on a world map (Equal Earth, Natural Earth outlines,
  great-circle ties, names that do not overlap, insets where places crowd).

The helpers they are built from are public for anyone drawing their own charts (a static site):
:func:`equal_earth`, :func:`great_circle`, :func:`country_outlines`, :func:`place_labels`,
:func:`crowded_groups`, :func:`new_figure`, :func:`locale_ticks`, :func:`caption`,
:func:`figure_svg`, and the checks :func:`clipped_texts` and :func:`overlapping_texts`. Every chart
captions itself in words (``fig.get_label()``), and :func:`figure_svg` writes that caption as the
SVG's title: a text alternative for the site.

matplotlib is the optional extra ``civicinnov[plot]``. It is imported inside the functions, never
when :mod:`civicinnov` or this package is imported; without it every chart raises
:class:`ImportError` saying ``install civicinnov[plot]``. Figures are drawn on an Agg canvas of
their own, so pyplot's global state (current figure, backend) is left alone. Every drawn artist
carries a *gid* naming what it shows (``"history"``, ``"forecast"``, ``"target:<id>"``,
``"estimates"``, ``"relations:<kind>"``, ``"label:<node id>"``...), so code and tests can find
an element without relying on drawing order.

What does not live here: the numbers. Trends, forecasts and estimates come from
:mod:`civicinnov.evaluation`; this package only draws them.

Example:
    >>> from civicinnov.plot import plot_funnel
    >>> fig = plot_funnel({"candidate": 12, "selected": 5, "piloting": 3, "scaled": 1}, lang="fr")
    >>> [round(p.get_width()) for p in fig.axes[0].patches][:5]
    [12, 5, 0, 0, 3]
    >>> fig.axes[0].get_xlabel()
    "Nombre d'initiatives"
"""

from civicinnov.plot._curve import plot_turn_the_curve as plot_turn_the_curve
from civicinnov.plot._event import plot_event_study as plot_event_study
from civicinnov.plot._figure import (
    MISSING_MATPLOTLIB as MISSING_MATPLOTLIB,
    caption as caption,
    clipped_texts as clipped_texts,
    figure_svg as figure_svg,
    locale_ticks as locale_ticks,
    new_figure as new_figure,
    overlapping_texts as overlapping_texts,
    unit_text as unit_text,
)
from civicinnov.plot._funnel import plot_funnel as plot_funnel
from civicinnov.plot._gap import (
    GapData as GapData,
    SyntheticPaths as SyntheticPaths,
    plot_gap as plot_gap,
)
from civicinnov.plot._network import (
    RELATION_COLOURS as RELATION_COLOURS,
    crowded_groups as crowded_groups,
    plot_network_map as plot_network_map,
)
from civicinnov.plot._placement import place_labels as place_labels
from civicinnov.plot._projection import (
    Country as Country,
    country_outlines as country_outlines,
    equal_earth as equal_earth,
    great_circle as great_circle,
)

__all__ = [
    "MISSING_MATPLOTLIB",
    "RELATION_COLOURS",
    "Country",
    "GapData",
    "SyntheticPaths",
    "caption",
    "clipped_texts",
    "country_outlines",
    "crowded_groups",
    "equal_earth",
    "figure_svg",
    "great_circle",
    "locale_ticks",
    "new_figure",
    "overlapping_texts",
    "place_labels",
    "plot_event_study",
    "plot_funnel",
    "plot_gap",
    "plot_network_map",
    "plot_turn_the_curve",
    "unit_text",
]
