"""Typed use of the metrics and progress API; checked by ``mypy --strict tests/typing``."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
from numpy.typing import NDArray

from civicinnov.evaluation import (
    OnTrack,
    Progress,
    ProgressStatus,
    SDGProgress,
    TrackStatus,
    Trend,
    TurnTheCurve,
    on_track,
    progress,
    sdg_status,
    trend,
    turn_the_curve,
)
from civicinnov.metrics.catalog import MetricCatalog
from civicinnov.metrics.definition import (
    Direction,
    MeasureKind,
    MetricDefinition,
    Ratio,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Baseline, Target
from civicinnov.model import TargetStage
from civicinnov.periods import MONTH, YEAR


@attrs.frozen(kw_only=True)
class TransitMetric(MetricDefinition):
    mode: str = "bus"


trips = TransitMetric(id="trips", name="Trips", unit="person", mode="tram")
rate = MetricDefinition(
    id="vacancy",
    name="Vacancy",
    unit="percent",
    measure_kind=MeasureKind.PERCENTAGE,
    temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
    spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
    ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
)
catalog = MetricCatalog.builtin()
catalog.register(trips)
murders: MetricDefinition = catalog["murders"]

series = MetricSeries.from_records(
    murders,
    place_id="nola",
    period_type=MONTH,
    records=[("2024-01", 16), ("2024-02", 14), ("2024-03", 12)],
)
ordinals: NDArray[np.int64] = series.ordinals
values: NDArray[np.float64] = series.values
labels: list[str] = series.labels
yearly: MetricSeries = series.resample(YEAR, murders)

base = Baseline(metric_id="murders", value="16 incident", as_of=dt.date(2023, 12, 31))
goal = Target(
    id="fewer", metric_id="murders", stage=TargetStage.FINAL, value="8 incident", due="2025-12-31"
)
p: Progress = progress(series, baseline=base, target=goal, definition=murders)
status: ProgressStatus = p.status
track: OnTrack = on_track(series, baseline=base, target=goal, definition=murders)
track_status: TrackStatus = track.status
t: Trend = trend(series)
sdg: SDGProgress = sdg_status(
    base.value, goal.value, base_date=2015, current_date=2020, direction=Direction.DECREASE
)
curve: TurnTheCurve | None = None
if len(series) > 10:
    curve = turn_the_curve(series, start=dt.date(2024, 2, 1), direction=Direction.DECREASE)
