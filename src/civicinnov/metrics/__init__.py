"""Metrics: how a metric is defined, the catalogue of known metrics, observation series, targets.

- :mod:`civicinnov.metrics.definition`: :class:`~civicinnov.metrics.definition.MetricDefinition` and
  its enums (direction, measure kind, aggregation in time and in space, RBA quadrant, ...).
- :mod:`civicinnov.metrics.catalog`: :class:`~civicinnov.metrics.catalog.MetricCatalog`, the
  built-in ISO 37120 and i-team metrics, and plug-in catalogues found through entry points.
- :mod:`civicinnov.metrics.series`: :class:`~civicinnov.metrics.series.MetricSeries`, numpy-backed
  observations of one metric in one place, with resampling and combining.
- :mod:`civicinnov.metrics.target`: baselines, targets and milestones.

Progress, on-track status and trends live one layer up, in :mod:`civicinnov.evaluation`.
"""
