"""Metrics: how a metric is defined, the catalogue of known metrics, observation series, targets.

- :mod:`civicinnov.metrics.definition`: :class:`~civicinnov.metrics.definition.MetricDefinition` and
  its enums (direction, measure kind, aggregation in time and in space, RBA quadrant, ...).
- :mod:`civicinnov.metrics.catalog`: :class:`~civicinnov.metrics.catalog.MetricCatalog`, the
  built-in ISO 37120 and i-team metrics, and plug-in catalogues found through entry points.
- :mod:`civicinnov.metrics.series`: :class:`~civicinnov.metrics.series.MetricSeries`, numpy-backed
  observations of one metric in one place, with resampling and combining.
- :mod:`civicinnov.metrics.target`: baselines, targets and milestones.

Progress, on-track status and trends live one layer up, in :mod:`civicinnov.evaluation`.

Import from ``civicinnov.metrics``; the modules behind it are implementation.
"""

from civicinnov.metrics.catalog import (
    ENTRY_POINT_GROUP,
    MetricCatalog,
    builtin_definitions,
)
from civicinnov.metrics.definition import (
    Accountability,
    Direction,
    LogicModelStage,
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
)
from civicinnov.metrics.series import (
    TOTAL,
    Dimension,
    MetricSeries,
)
from civicinnov.metrics.target import (
    Baseline,
    Milestone,
    Target,
    latest_baseline,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "TOTAL",
    "Accountability",
    "Baseline",
    "Dimension",
    "Direction",
    "LogicModelStage",
    "MeasureKind",
    "MetricCatalog",
    "MetricDefinition",
    "MetricPlan",
    "MetricSeries",
    "Milestone",
    "MissingDataPolicy",
    "ProximityMetricDefinition",
    "RBAQuadrant",
    "Ratio",
    "Reference",
    "SpatialAggregation",
    "Target",
    "TemporalAggregation",
    "builtin_definitions",
    "latest_baseline",
]
