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
from civicinnov.io.csv import check_observations
from civicinnov.metrics import (
    AGGREGATION_RULES,
    AggregationRule,
    ApprovalState,
    Baseline,
    Direction,
    MeasureKind,
    MetricCatalog,
    MetricDefinition,
    MetricSeries,
    ObservationStatus,
    Ratio,
    Revisions,
    SpatialAggregation,
    Target,
    TemporalAggregation,
    missing_periods,
)
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

# aggregation by measure, coverage, statuses, revisions, schedules, checks
rule: AggregationRule = AGGREGATION_RULES[murders.measure]
strict_year: MetricSeries = series.resample(YEAR, murders, require_complete=True)
share: NDArray[np.float64] = yearly.coverage
partial: NDArray[np.bool_] = yearly.partial
flags: dict[str, NDArray[np.bool_]] = series.flags()
revised: MetricSeries = series.update(
    series, recorded_by="analyst", recorded_at=dt.date(2024, 4, 1)
)
history: Revisions | None = revised.revisions
first_status: ObservationStatus | None = revised.status_of(0)
approved_only: MetricSeries = revised.approved(ApprovalState.SUBMITTED)
gaps: list[str] = missing_periods(series, "2024-01-01", "2024-06-30", schedule=MONTH)
unit_problems: list[str] = murders.check_unit("kg", path="$.metrics[0].unit")
value_problems: list[str] = murders.check_quantity("3 incident", path="$.targets[0].value")
series_problems: list[str] = series.check(murders, path="$.series[0]")
csv_problems: list[str] = check_observations(
    "city,metric,period,value,unit\n", definitions=[murders]
)
