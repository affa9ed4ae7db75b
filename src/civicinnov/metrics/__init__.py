"""Metrics: how a metric is defined, the catalogue of known metrics, observation series, targets.

- ``_definition``: :class:`MetricDefinition` and its enums (direction, measure kind, aggregation in time and in space, RBA quadrant, ...), and
  the one table of how each measure aggregates (``AGGREGATION_RULES``).
- ``_catalog``: :class:`MetricCatalog`, the
  built-in ISO 37120 and i-team metrics, and plug-in catalogues found through entry points.
- ``_series``: :class:`MetricSeries`, numpy-backed
  observations of one metric in one place, with resampling and combining (and their coverage),
  updates that keep a revision history, and the periods a reporting schedule misses.
- ``_status``: observation status, missing-value reason, approval state and
  revisions, stored as codes beside the values.
- ``_target``: baselines, targets and milestones.

Progress, on-track status and trends live one layer up, in :mod:`civicinnov.evaluation`.

Import from ``civicinnov.metrics``; the private modules behind it (named above) are implementation.
"""

from civicinnov.metrics._catalog import (
    ENTRY_POINT_GROUP,
    MetricCatalog,
    builtin_definitions,
)
from civicinnov.metrics._definition import (
    AGGREGATION_RULES,
    Accountability,
    AggregationRule,
    Direction,
    LogicModelStage,
    Measure,
    MeasureKind,
    MetricDefinition,
    MetricPlan,
    MissingDataPolicy,
    ProximityMetricDefinition,
    Ratio,
    RBAQuadrant,
    Reference,
    SpatialAggregation,
    TemporalAggregation,
    aggregation_table,
    measure_of,
)
from civicinnov.metrics._series import (
    TOTAL,
    Dimension,
    MetricSeries,
    missing_periods,
)
from civicinnov.metrics._status import (
    ApprovalState,
    MissingReason,
    ObservationStatus,
    Revisions,
    check_timestamps,
)
from civicinnov.metrics._target import (
    Baseline,
    Milestone,
    Target,
    latest_baseline,
)

__all__ = [
    "AGGREGATION_RULES",
    "ENTRY_POINT_GROUP",
    "TOTAL",
    "Accountability",
    "AggregationRule",
    "ApprovalState",
    "Baseline",
    "Dimension",
    "Direction",
    "LogicModelStage",
    "Measure",
    "MeasureKind",
    "MetricCatalog",
    "MetricDefinition",
    "MetricPlan",
    "MetricSeries",
    "Milestone",
    "MissingDataPolicy",
    "MissingReason",
    "ObservationStatus",
    "ProximityMetricDefinition",
    "RBAQuadrant",
    "Ratio",
    "Reference",
    "Revisions",
    "SpatialAggregation",
    "Target",
    "TemporalAggregation",
    "aggregation_table",
    "builtin_definitions",
    "check_timestamps",
    "latest_baseline",
    "measure_of",
    "missing_periods",
]
