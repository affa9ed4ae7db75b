"""Typed use of :mod:`civicinnov.plot` (``mypy --strict tests/typing``): each chart is a Figure."""

from __future__ import annotations

import datetime as dt

from matplotlib.figure import Figure

from civicinnov.datasets import load_iteams
from civicinnov.evaluation.impact import ImpactResult
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Target
from civicinnov.model import InitiativeStatus
from civicinnov.network.graph import RelationKind
from civicinnov.plot import event_study, funnel, network_map, turn_the_curve, unit_text


def charts(series: MetricSeries, targets: list[Target], result: ImpactResult) -> list[Figure]:
    programme = load_iteams()
    return [
        turn_the_curve(series, start=dt.date(2020, 1, 1), targets=targets),
        turn_the_curve(series, start="2020-01-01", targets=targets[0], max_ticks=6),
        event_study(result, reference=None),
        funnel(programme),
        funnel({InitiativeStatus.PILOTING: 2, "scaled": 1}, title="Pilots"),
        network_map(programme.network(), kinds=[RelationKind.EXCHANGE, "adoption"], labels=True),
    ]


label: str = unit_text("person / km**2")
