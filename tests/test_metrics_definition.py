"""MetricDefinition: fields, cross-field checks, subclassing, bounds."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

from civicinnov.errors import IdentifierError, UnitError, ValidationError
from civicinnov.metrics.definition import (
    Direction,
    MeasureKind,
    MetricDefinition,
    MetricPlan,
    ProximityMetricDefinition,
    Ratio,
    RBAQuadrant,
    Reference,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.periods import MONTH
from civicinnov.units import as_quantity


def _rate(**kw: object) -> MetricDefinition:
    fields: dict[str, object] = {
        "id": "rate",
        "name": "Rate",
        "unit": "percent",
        "measure_kind": MeasureKind.PERCENTAGE,
        "temporal_aggregation": TemporalAggregation.RATIO_OF_SUMS,
        "spatial_aggregation": SpatialAggregation.RATIO_OF_SUMS,
        "ratio": Ratio(numerator_unit="person", denominator_unit="person", scale="percent"),
    }
    fields.update(kw)
    return MetricDefinition(**fields)  # type: ignore[arg-type]


def test_full_definition_keeps_every_field() -> None:
    d = MetricDefinition(
        id="murders",
        name="Murders",
        description="Murders recorded",
        unit="incident",
        direction=Direction.DECREASE,
        rba_quadrant=RBAQuadrant.QUANTITY_OF_EFFECT,
        references=[Reference(vocabulary="iso37120", code="14.2")],
        plan=MetricPlan(data_source="police", frequency=MONTH, owner="NOPD", limitations="lag"),
        theme="safety",
        core=True,
    )
    assert d.references == (Reference(vocabulary="iso37120", code="14.2"),)
    assert d.plan is not None
    assert d.plan.frequency == MONTH
    assert d.is_additive
    assert hash(d) == hash(attrs.evolve(d))


def test_bad_id_names_field() -> None:
    with pytest.raises(
        IdentifierError, match=r"^MetricDefinition.id: expected a slug .* got 'Bad Id'"
    ):
        MetricDefinition(id="Bad Id", name="x", unit="call")


def test_one_id_rule_for_every_record() -> None:
    """An id too long for a City is too long for a MetricDefinition (one rule, one length)."""
    from civicinnov.model import City

    long_id = "a" * 101
    with pytest.raises(IdentifierError, match="at most 100 characters"):
        MetricDefinition(id=long_id, name="x", unit="call")
    with pytest.raises(IdentifierError, match="at most 100 characters"):
        City(id=long_id, name="x", country="US")
    ok = "a" * 100
    assert MetricDefinition(id=ok, name="x", unit="call").id == ok


def test_unknown_unit_is_unit_error() -> None:
    with pytest.raises(UnitError, match="'furlongs per blorp' is not a unit"):
        MetricDefinition(id="x", name="x", unit="furlongs per blorp")


def test_percentage_needs_dimensionless_unit() -> None:
    with pytest.raises(
        UnitError, match=r"is a percentage; expected a dimensionless unit .* got person"
    ):
        MetricDefinition(
            id="x",
            name="x",
            unit="person",
            measure_kind=MeasureKind.PERCENTAGE,
            temporal_aggregation=TemporalAggregation.LAST,
        )


def test_ratio_refuses_mean_over_time_and_space() -> None:
    with pytest.raises(ValidationError, match=r"temporal_aggregation: .* is a ratio; .* got mean"):
        _rate(temporal_aggregation=TemporalAggregation.MEAN)
    with pytest.raises(ValidationError, match=r"spatial_aggregation: .* is a ratio; .* got sum"):
        _rate(spatial_aggregation=SpatialAggregation.SUM)


def test_ratio_of_sums_needs_ratio() -> None:
    with pytest.raises(ValidationError, match=r"ratio_of_sums needs a ratio .* got ratio=None"):
        MetricDefinition(
            id="x",
            name="x",
            unit="percent",
            spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
        )


def test_ratio_unit_dimension_checked() -> None:
    with pytest.raises(UnitError, match=r"unit: metric 'rate' is the ratio incident / person"):
        _rate(
            unit="percent",
            measure_kind=MeasureKind.UNIT,
            ratio=Ratio(numerator_unit="incident", denominator_unit="person"),
        )


def test_scale_must_be_dimensionless() -> None:
    with pytest.raises(UnitError, match=r"scale: expected a dimensionless scale .* got person"):
        Ratio(numerator_unit="call", denominator_unit="call", scale="person")


def test_ratio_factor_is_the_scale() -> None:
    assert _rate().ratio_factor == pytest.approx(100.0)
    per100k = MetricDefinition(
        id="h",
        name="h",
        unit="incident * per_hundred_thousand / person",
        temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
        spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
        ratio=Ratio(numerator_unit="incident", denominator_unit="person", scale="per_100k"),
    )
    assert per100k.ratio_factor == pytest.approx(1e5)
    assert np.isnan(MetricDefinition(id="c", name="c", unit="call").ratio_factor)


def test_nominal_cannot_be_summed() -> None:
    with pytest.raises(
        ValidationError, match="is nominal; its values cannot be summed or averaged"
    ):
        MetricDefinition(id="x", name="x", unit="dimensionless", measure_kind=MeasureKind.NOMINAL)


def test_enum_fields_typed() -> None:
    with pytest.raises(
        ValidationError, match=r"direction: expected a Direction member .* got 'up'"
    ):
        MetricDefinition(id="x", name="x", unit="call", direction="up")  # type: ignore[arg-type]


def test_percentage_above_100_is_refused() -> None:
    d = _rate()
    with pytest.raises(
        ValidationError, match=r"target: metric 'rate' is a percentage; .* got 130.0"
    ):
        d.quantity(130, where="target")
    assert d.quantity(as_quantity(0.5, "dimensionless")).magnitude == pytest.approx(50)


def test_quantity_in_wrong_dimension() -> None:
    d = MetricDefinition(id="days", name="Days", unit="day")
    with pytest.raises(
        UnitError, match=r"x: metric 'days' is measured in day \(\[time\]\); got meter"
    ):
        d.quantity(as_quantity(3, "m"), where="x")


def test_subclass_with_extra_fields() -> None:
    @attrs.frozen(kw_only=True)
    class TransitMetric(MetricDefinition):
        mode: str = "bus"
        operator: str

    t = TransitMetric(id="trips", name="Trips", unit="person", operator="rta")
    assert (t.mode, t.operator, t.unit) == ("bus", "rta", as_quantity(1, "person").units)
    assert isinstance(attrs.evolve(t, mode="tram"), TransitMetric)
    with pytest.raises(ValidationError, match="ratio_of_sums needs a ratio"):
        TransitMetric(
            id="trips",
            name="Trips",
            unit="person",
            operator="rta",
            spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
        )


def test_proximity_distance_is_a_length() -> None:
    d = ProximityMetricDefinition(
        id="homes-near-blight", name="Homes", unit="dwelling", distance="150 ft", near="blight"
    )
    assert d.distance.to("m").magnitude == pytest.approx(45.72)
    with pytest.raises(UnitError, match=r"distance: expected dimension \[length\], got \[time\]"):
        attrs.evolve(d, distance="3 s")


def test_cumulative_rolls_up_last() -> None:
    d = MetricDefinition(id="x", name="x", unit="person", cumulative=True)
    assert d.effective_temporal_aggregation is TemporalAggregation.LAST
    assert not d.is_additive


def test_a_ratio_defaults_to_ratio_of_sums_in_time_and_space() -> None:
    rate = MetricDefinition(
        id="burglary-rate",
        name="Burglaries per 100,000 residents",
        unit="incident * per_hundred_thousand / person",
        ratio=Ratio(
            numerator_unit="incident", denominator_unit="person", scale="per_hundred_thousand"
        ),
    )
    assert rate.temporal_aggregation is TemporalAggregation.RATIO_OF_SUMS
    assert rate.spatial_aggregation is SpatialAggregation.RATIO_OF_SUMS
    plain = MetricDefinition(id="calls", name="Calls", unit="call")
    assert plain.temporal_aggregation is TemporalAggregation.SUM
    assert plain.spatial_aggregation is SpatialAggregation.SUM
