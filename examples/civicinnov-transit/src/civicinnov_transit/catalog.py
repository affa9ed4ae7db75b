"""The transit metric catalogue this package contributes to civicinnov.

:func:`definitions` returns the definitions; ``pyproject.toml`` names it in the
``civicinnov.metrics`` entry-point group, so once the package is installed
:meth:`civicinnov.metrics.MetricCatalog.default` (or ``load_plugins``) registers them next
to civicinnov's built-ins. Ids start with ``transit-`` so they cannot clash with built-in ids.

The descriptions are ours. Units civicinnov (and pint) do not have — a *trip*, a *boarding* — are
counted as pint's dimensionless ``count`` or as ``person``; see the README.

Example:
    >>> from civicinnov.metrics import MetricCatalog
    >>> catalog = MetricCatalog(definitions())
    >>> catalog["transit-bus-speed"].unit
    <Unit('kilometer / hour')>
"""

from __future__ import annotations

from civicinnov.metrics import (
    Accountability,
    Direction,
    LogicModelStage,
    MeasureKind,
    Ratio,
    RBAQuadrant,
    SpatialAggregation,
    TemporalAggregation,
)

from civicinnov_transit.definition import TransitMetricDefinition, TransitMode

__all__ = ["definitions"]


def definitions() -> tuple[TransitMetricDefinition, ...]:
    """The transit metric definitions, a new tuple of frozen values on each call.

    This is the entry point's target: civicinnov calls it with no arguments.

    Example:
        >>> [d.id for d in definitions()]  # doctest: +NORMALIZE_WHITESPACE
        ['transit-on-time-performance', 'transit-weekday-boardings', 'transit-bus-speed',
         'transit-ferry-headway', 'transit-fare-capped-trips', 'transit-frequent-access',
         'transit-bike-share-trips']
    """
    bus, rail, ferry = TransitMode.BUS, TransitMode.RAIL, TransitMode.FERRY
    return (
        TransitMetricDefinition(
            id="transit-on-time-performance",
            name="Bus on-time performance",
            description="Bus trips that left each timepoint no more than one minute early or "
            "five minutes late, as a share of the trips scheduled (a ratio; periods and routes "
            "combine as the ratio of summed trips).",
            unit="percent",
            measure_kind=MeasureKind.PERCENTAGE,
            direction=Direction.INCREASE,
            temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
            spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
            ratio=Ratio(numerator_unit="count", denominator_unit="count", scale="percent"),
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFORT,
            logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=bus,
            gtfs_route_types=[3, 11],
        ),
        TransitMetricDefinition(
            id="transit-weekday-boardings",
            name="Average weekday rail boardings",
            description="Passenger boardings on an average weekday (each boarding counts, so one "
            "rider who transfers is counted twice); lines add up, periods average.",
            unit="person / day",
            direction=Direction.INCREASE,
            temporal_aggregation=TemporalAggregation.MEAN,
            spatial_aggregation=SpatialAggregation.SUM,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT,
            logic_model_stage=LogicModelStage.OUTCOME,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=rail,
            gtfs_route_types=[0, 1, 2],
        ),
        TransitMetricDefinition(
            id="transit-bus-speed",
            name="Average bus speed",
            description="Scheduled route length divided by the observed end-to-end running time, "
            "averaged over trips.",
            unit="km / h",
            direction=Direction.INCREASE,
            temporal_aggregation=TemporalAggregation.MEAN,
            spatial_aggregation=SpatialAggregation.MEAN,
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFORT,
            logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=bus,
            gtfs_route_types=[3],
        ),
        TransitMetricDefinition(
            id="transit-ferry-headway",
            name="Peak ferry headway",
            description="Scheduled minutes between consecutive departures in the morning peak; "
            "shorter is better.",
            unit="minute",
            direction=Direction.DECREASE,
            temporal_aggregation=TemporalAggregation.MEAN,
            spatial_aggregation=SpatialAggregation.MEAN,
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFORT,
            logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=ferry,
            gtfs_route_types=[4],
        ),
        TransitMetricDefinition(
            id="transit-fare-capped-trips",
            name="Trips made free by the fare cap",
            description="Bus trips that cost the rider nothing because the daily or weekly fare "
            "cap had been reached, counted since the cap started (a running total).",
            unit="count",
            direction=Direction.INCREASE,
            cumulative=True,
            temporal_aggregation=TemporalAggregation.LAST,
            spatial_aggregation=SpatialAggregation.SUM,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT,
            logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=bus,
            gtfs_route_types=[3, 11],
        ),
        TransitMetricDefinition(
            id="transit-frequent-access",
            name="Residents within 400 m of frequent bus service",
            description="Residents who live within the catchment walking distance of a stop "
            "served at least every 15 minutes, as a share of all residents.",
            unit="percent",
            measure_kind=MeasureKind.PERCENTAGE,
            direction=Direction.INCREASE,
            temporal_aggregation=TemporalAggregation.LAST,
            spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
            ratio=Ratio(numerator_unit="person", denominator_unit="person", scale="percent"),
            rba_quadrant=RBAQuadrant.QUALITY_OF_EFFECT,
            logic_model_stage=LogicModelStage.OUTCOME,
            accountability=Accountability.POPULATION,
            theme="transport",
            mode=bus,
            gtfs_route_types=[3],
            catchment="400 m",
        ),
        TransitMetricDefinition(
            id="transit-bike-share-trips",
            name="Bike-share trips per day",
            description="Bike-share rentals that lasted at least one minute, per day; docks "
            "add up across areas, days average within a period.",
            unit="count / day",
            direction=Direction.INCREASE,
            temporal_aggregation=TemporalAggregation.MEAN,
            spatial_aggregation=SpatialAggregation.SUM,
            rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFORT,
            logic_model_stage=LogicModelStage.OUTPUT,
            accountability=Accountability.PERFORMANCE,
            theme="transport",
            mode=TransitMode.BIKE_SHARE,
        ),
    )
