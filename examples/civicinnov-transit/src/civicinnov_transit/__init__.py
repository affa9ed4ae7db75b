"""civicinnov-transit: an example civicinnov plug-in with transit metric definitions.

It shows the three things an extension of civicinnov's metrics does:

- subclass :class:`~civicinnov.metrics.MetricDefinition` with extra, validated fields
  (:class:`~civicinnov_transit.definition.TransitMetricDefinition`);
- register a catalogue through the ``civicinnov.metrics`` entry point
  (:func:`~civicinnov_transit.catalog.definitions`);
- round-trip the definitions through civicinnov's JSON, with nothing but civicinnov's public API.

Example:
    >>> import civicinnov_transit
    >>> len(civicinnov_transit.definitions())
    7
"""

from __future__ import annotations

from civicinnov_transit.catalog import definitions
from civicinnov_transit.definition import GTFS_ROUTE_TYPES, TransitMetricDefinition, TransitMode

__all__ = ["GTFS_ROUTE_TYPES", "TransitMetricDefinition", "TransitMode", "definitions"]
