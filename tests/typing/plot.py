"""Typed use of :mod:`civicinnov.plot` (``mypy --strict tests/typing``): each chart is a Figure."""

from __future__ import annotations

import datetime as dt

import numpy as np
from matplotlib.figure import Figure

from civicinnov.datasets import load_iteams
from civicinnov.evaluation.impact import ImpactResult
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Target
from civicinnov.model import InitiativeStatus
from civicinnov.network.graph import RelationKind
from civicinnov.plot import (
    clipped_texts,
    equal_earth,
    figure_svg,
    plot_event_study,
    plot_funnel,
    plot_gap,
    plot_network_map,
    plot_turn_the_curve,
    unit_text,
)


def charts(series: MetricSeries, targets: list[Target], result: ImpactResult) -> list[Figure]:
    programme = load_iteams()
    return [
        plot_turn_the_curve(series, start=dt.date(2020, 1, 1), targets=targets, place="Mobile"),
        plot_turn_the_curve(series, start="2020-01-01", targets=targets[0], max_ticks=6, lang="fr"),
        plot_event_study(result, reference=None, lang="fr"),
        plot_funnel(programme),
        plot_funnel({InitiativeStatus.PILOTING: 2, "scaled": 1}, title="Pilots"),
        plot_network_map(
            programme.network(), kinds=[RelationKind.EXCHANGE, "adoption"], labels=True
        ),
        plot_network_map(programme, insets=[["mulhouse", "basel"]], lang="fr"),
        plot_gap(
            periods=[1, 2, 3],
            treated=[1.0, 2.0, 3.0],
            synthetic=[1.0, 2.0, 2.5],
            unit="case",
            treatment_start=3,
        ),
    ]


label: str = unit_text("person / km**2")
svg: str = figure_svg(plot_funnel({"scaled": 1}), title="Funnel")
clipped: bool = bool(clipped_texts(plot_funnel({"scaled": 1})))
x, y = equal_earth(np.array([2.35]), np.array([48.86]))
