"""MetricSeries: building, validation, conversion, resampling, combining, disaggregation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from tests.strategies import CALLS, VACANCY, ratio_series_data, sum_series_data

from civicinnov.errors import (
    DisaggregationError,
    PeriodError,
    SeriesError,
    UnitError,
    ValidationError,
)
from civicinnov.metrics import (
    TOTAL,
    Dimension,
    MeasureKind,
    MetricDefinition,
    MetricSeries,
    MissingDataPolicy,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.periods import DAY, MONTH, QUARTER, WEEK, YEAR
from civicinnov.units import as_quantity

SEX = Dimension(id="sex", codes=("F", "M"))
AGE = Dimension(id="age", codes=("Y0T17", "Y18T64", "Y65T99"))


def monthly(records: list[tuple[str, float | None]], d: MetricDefinition = CALLS) -> MetricSeries:
    return MetricSeries.from_records(d, place_id="p", period_type=MONTH, records=records)


def test_attributes_for_panels() -> None:
    s = monthly([("2024-01", 1), ("2024-02", None)])
    assert s.metric_id == "calls"
    assert s.place_id == "p"
    assert s.period_type == MONTH
    assert s.ordinals.dtype == np.int64
    assert s.values.dtype == np.float64
    assert str(s.unit) == "call"
    assert s.labels == ["2024-01", "2024-02"]
    assert s.periods[1].id == "2024-02"
    assert np.isnan(s.values[1])
    assert not s.values.flags.writeable
    with pytest.raises(TypeError):
        hash(s)
    assert s == monthly([("2024-01", 1), ("2024-02", None)])


def test_out_of_order_is_refused() -> None:
    with pytest.raises(
        SeriesError,
        match=r"series 'calls' in 'p': ordinals\[1\]: observations out of period order: "
        r"2024-03 then 2024-01; expected increasing periods",
    ):
        monthly([("2024-03", 1), ("2024-01", 2)])


def test_duplicate_period_is_refused() -> None:
    with pytest.raises(SeriesError, match=r"ordinals\[1\]: period 2024-02 is duplicated"):
        monthly([("2024-02", 1), ("2024-02", 2)])


def test_duplicate_within_disaggregate_names_codes() -> None:
    with pytest.raises(SeriesError, match=r"period 2024 is duplicated; .*\(for sex=F\)"):
        MetricSeries.from_records(
            CALLS,
            place_id="p",
            period_type=YEAR,
            dimensions=[SEX],
            records=[
                {"period": "2024", "value": 1, "sex": "F"},
                {"period": "2024", "value": 2, "sex": "F"},
            ],
        )


def test_value_outside_dimension() -> None:
    with pytest.raises(
        DisaggregationError,
        match=r"sex: 'X' is not a code of dimension 'sex'; expected one of '_T', 'F', 'M'",
    ):
        MetricSeries.from_records(
            CALLS, place_id="p", period_type=YEAR, dimensions=[SEX],
            records=[{"period": "2024", "value": 1, "sex": "X"}],
        )  # fmt: skip


def test_unknown_dimension_key() -> None:
    with pytest.raises(SeriesError, match=r"records\[0\]: unknown keys \['colour'\]"):
        MetricSeries.from_records(
            CALLS, place_id="p", period_type=YEAR, dimensions=[SEX],
            records=[{"period": "2024", "value": 1, "colour": "red"}],
        )  # fmt: skip


def test_dimension_codes_closed_and_total_reserved() -> None:
    with pytest.raises(DisaggregationError, match="'_T' is reserved for the total"):
        Dimension(id="sex", codes=("F", "_T"))
    with pytest.raises(DisaggregationError, match=r"codes: duplicated \['F'\]"):
        Dimension(id="sex", codes=("F", "F"))
    assert SEX.all_codes[0] == TOTAL


def test_zero_denominator_is_refused() -> None:
    with pytest.raises(
        SeriesError,
        match=r"denominators\[1\]: zero denominator in period 2024-02 \(numerator 3\)",
    ):
        MetricSeries.from_records(
            VACANCY, place_id="p", period_type=MONTH,
            records=[{"period": "2024-01", "numerator": 1, "denominator": 10},
                     {"period": "2024-02", "numerator": 3, "denominator": 0}],
        )  # fmt: skip


def test_percentage_above_100_is_refused() -> None:
    with pytest.raises(
        ValidationError,
        match=r"values\[1\]: metric 'vacancy' is a percentage; expected values from 0 to 100 "
        r"percent, got 130.0 percent",
    ):
        MetricSeries.from_records(
            VACANCY, place_id="p", period_type=MONTH, records=[("2024-01", 5), ("2024-02", 130)]
        )


def test_incompatible_unit_is_refused() -> None:
    with pytest.raises(UnitError, match=r"unit: cannot convert person \(\[person\]\) to call"):
        MetricSeries.from_records(
            CALLS, place_id="p", period_type=YEAR, records=[("2024", 1)], unit="person"
        )
    with pytest.raises(UnitError, match=r"records\[0\].value: expected dimension \[call\]"):
        monthly([("2024-01", as_quantity(3, "kg"))])  # type: ignore[list-item]
    s = monthly([("2024-01", 3)])
    with pytest.raises(UnitError, match=r"cannot convert call \(\[call\]\) to meter"):
        s.to("m")


def test_text_value_for_numeric_metric() -> None:
    with pytest.raises(
        SeriesError, match="metric 'calls' is unit; expected a number, got text 'lots'"
    ):
        monthly([("2024-01", "lots")])  # type: ignore[list-item]


def test_lengths_must_match() -> None:
    with pytest.raises(SeriesError, match=r"values: expected 2 values .one per ordinal., got 1"):
        MetricSeries(
            metric_id="m",
            place_id="p",
            period_type=YEAR,
            ordinals=[1, 2],
            values=[1.0],
            unit="call",
        )


def test_quantities_in_records_are_converted() -> None:
    d = MetricDefinition(
        id="dist", name="Distance", unit="km", temporal_aggregation=TemporalAggregation.SUM
    )
    s = MetricSeries.from_records(
        d, place_id="p", period_type=YEAR, records=[("2024", as_quantity(1500, "m"))]
    )
    assert s.values.tolist() == [1.5]
    assert s.to("m").quantity.magnitude.tolist() == [1500.0]


def test_from_arrays_dates_and_sorting_by_codes() -> None:
    s = MetricSeries.from_arrays(
        CALLS, place_id="p", period_type=YEAR,
        periods=["2023", "2023", "2024", "2024"], values=[3, 1, 4, 2],
        dimensions=[SEX], disaggregation={"sex": ["_T", "F", "_T", "F"]},
    )  # fmt: skip
    assert s.codes("sex") == ["_T", "_T", "F", "F"]
    assert s.values.tolist() == [3, 4, 1, 2]
    assert s.total().labels == ["2023", "2024"]
    assert s.select(sex="F").values.tolist() == [1, 2]


def test_resample_sum_mean_last_first_min_max() -> None:
    s = monthly([("2024-01", 1), ("2024-02", 5), ("2024-03", 3), ("2024-05", None), ("2024-06", 2)])
    results = {}
    for how in ("sum", "mean", "last", "first", "min", "max"):
        d = MetricDefinition(
            id="calls", name="Calls", unit="call", temporal_aggregation=TemporalAggregation(how)
        )
        results[how] = s.resample(QUARTER, d).values.tolist()
    # the mean in time weighs each month by its days: (31*1 + 29*5 + 31*3) / 91
    assert results["mean"] == pytest.approx([(31 * 1 + 29 * 5 + 31 * 3) / 91, 2])
    del results["mean"]
    assert results == {
        "sum": [9, 2],
        "last": [3, 2],
        "first": [1, 2],
        "min": [1, 2],
        "max": [5, 2],
    }


def test_cumulative_takes_last() -> None:
    d = MetricDefinition(id="calls", name="Calls", unit="call", cumulative=True)
    s = monthly([("2024-01", 10), ("2024-02", 25), ("2024-03", 31)], d)
    assert s.resample(QUARTER, d).values.tolist() == [31]


def test_missing_data_policies() -> None:
    s = monthly([("2024-01", 1), ("2024-02", None), ("2024-04", None), ("2024-05", None)])
    assert s.resample(QUARTER, CALLS, policy=MissingDataPolicy.NEVER_SKIP).values.tolist() == [1, 0]
    skip_all = s.resample(QUARTER, CALLS, policy=MissingDataPolicy.SKIP_IF_ALL_MISSING).values
    assert skip_all[0] == 1
    assert np.isnan(skip_all[1])
    skip_any = s.resample(QUARTER, CALLS, policy=MissingDataPolicy.SKIP_IF_ANY_MISSING).values
    assert np.isnan(skip_any).all()
    full = monthly([("2024-01", 1), ("2024-02", 2), ("2024-03", 3)])
    assert full.resample(
        QUARTER, CALLS, policy=MissingDataPolicy.SKIP_IF_ANY_MISSING
    ).values.tolist() == [6]


def test_resample_needs_nesting_and_aggregation() -> None:
    s = MetricSeries.from_records(CALLS, place_id="p", period_type=WEEK, records=[("2024-W05", 1)])
    with pytest.raises(PeriodError, match="cannot resample week periods to month periods"):
        s.resample(MONTH, CALLS)
    none = MetricDefinition(
        id="calls", name="Calls", unit="call",
        temporal_aggregation=TemporalAggregation.NONE, spatial_aggregation=SpatialAggregation.NONE,
    )  # fmt: skip
    with pytest.raises(SeriesError, match="declares temporal aggregation 'none'"):
        monthly([("2024-01", 1)]).resample(YEAR, none)


def test_resample_wrong_definition() -> None:
    with pytest.raises(
        SeriesError, match="definition: expected the definition of 'calls', got 'vacancy'"
    ):
        monthly([("2024-01", 1)]).resample(YEAR, VACANCY)


def test_ratio_without_parts_cannot_be_resampled() -> None:
    s = MetricSeries.from_records(
        VACANCY, place_id="p", period_type=MONTH, records=[("2024-01", 5)]
    )
    with pytest.raises(
        SeriesError, match="aggregates as ratio_of_sums; the series needs numerators"
    ):
        s.resample(YEAR, VACANCY)


def test_ratio_resample_is_not_mean_of_ratios() -> None:
    s = MetricSeries.from_records(
        VACANCY, place_id="p", period_type=MONTH,
        records=[{"period": "2024-01", "numerator": 1, "denominator": 2},
                 {"period": "2024-02", "numerator": 1, "denominator": 98}],
    )  # fmt: skip
    assert s.values.tolist() == pytest.approx([50.0, 1.0204082])
    year = s.resample(YEAR, VACANCY)
    assert year.values.tolist() == pytest.approx([2.0])  # 2 / 100, not (50 + 1.02) / 2
    assert year.numerators is not None
    assert year.numerators.tolist() == [2.0]


def test_qualitative_narratives_resample_last() -> None:
    story = MetricDefinition(
        id="voice", name="Voice", unit="dimensionless", measure_kind=MeasureKind.QUALITATIVE,
        temporal_aggregation=TemporalAggregation.LAST, spatial_aggregation=SpatialAggregation.NONE,
    )  # fmt: skip
    s = MetricSeries.from_records(
        story, place_id="p", period_type=MONTH,
        records=[("2024-01", "Doubtful"), ("2024-02", "Warming"), ("2024-04", "Supportive")],
    )  # fmt: skip
    assert np.isnan(s.values).all()
    q = s.resample(QUARTER, story)
    assert q.narratives == ("Warming", "Supportive")


def test_combine_places() -> None:
    a = MetricSeries.from_records(
        CALLS, place_id="east", period_type=YEAR, records=[("2023", 5), ("2024", 7)]
    )
    b = MetricSeries.from_records(CALLS, place_id="west", period_type=YEAR, records=[("2024", 3)])
    both = MetricSeries.combine([a, b], CALLS, place_id="city")
    assert both.place_id == "city"
    assert both.values.tolist() == [5, 10]
    strict = MetricSeries.combine(
        [a, b], CALLS, place_id="city", policy=MissingDataPolicy.SKIP_IF_ANY_MISSING
    )
    assert np.isnan(strict.values[0])
    assert strict.values[1] == 10


def test_combine_ratio_of_sums_and_units() -> None:
    a = MetricSeries.from_records(
        VACANCY, place_id="a", period_type=YEAR,
        records=[{"period": "2024", "numerator": 1, "denominator": 2}],
    )  # fmt: skip
    b = MetricSeries.from_records(
        VACANCY, place_id="b", period_type=YEAR,
        records=[{"period": "2024", "numerator": 9, "denominator": 98}],
    )  # fmt: skip
    assert MetricSeries.combine([a, b], VACANCY, place_id="c").values.tolist() == pytest.approx(
        [10.0]
    )
    km = MetricDefinition(id="len", name="Length", unit="km")
    x = MetricSeries.from_records(km, place_id="x", period_type=YEAR, records=[("2024", 1)])
    y = MetricSeries.from_records(
        km, place_id="y", period_type=YEAR, records=[("2024", 500)], unit="m"
    )
    assert MetricSeries.combine([x, y], km, place_id="z").values.tolist() == [1.5]


def test_combine_refuses_mismatch() -> None:
    a = monthly([("2024-01", 1)])
    b = MetricSeries.from_records(CALLS, place_id="q", period_type=YEAR, records=[("2024", 1)])
    with pytest.raises(
        SeriesError, match=r"combine: series\[1\] is 'calls' by year; expected 'calls' by month"
    ):
        MetricSeries.combine([a, b], CALLS, place_id="c")
    with pytest.raises(SeriesError, match="expected at least one series"):
        MetricSeries.combine([], CALLS, place_id="c")


def test_check_totals() -> None:
    records = [
        {"period": "2023", "value": 8},
        {"period": "2023", "value": 5, "sex": "F"},
        {"period": "2023", "value": 2, "sex": "M"},
        {"period": "2024", "value": 10},
        {"period": "2024", "value": 4, "sex": "F"},
        {"period": "2024", "value": 6, "sex": "M"},
        {"period": "2024", "value": 3, "sex": "F", "age": "Y0T17"},
        {"period": "2024", "value": 1, "sex": "F", "age": "Y18T64"},
        {"period": "2024", "value": 0, "sex": "F", "age": "Y65T99"},
    ]
    s = MetricSeries.from_records(
        CALLS, place_id="p", period_type=YEAR, dimensions=[SEX, AGE], records=records
    )
    with pytest.raises(
        DisaggregationError,
        match=r"1 disaggregation total does not add up; first: 2023 \(sex\): parts add up to 7 call, total is 8 call",
    ) as info:
        s.check_totals(CALLS)
    assert len(info.value.problems) == 1
    good = [r for r in records if r["period"] == "2024"]
    MetricSeries.from_records(
        CALLS, place_id="p", period_type=YEAR, dimensions=[SEX, AGE], records=good
    ).check_totals(CALLS)


def test_check_totals_only_for_additive() -> None:
    s = MetricSeries.from_records(VACANCY, place_id="p", period_type=YEAR, records=[("2024", 3)])
    with pytest.raises(ValidationError, match="'vacancy' is not additive"):
        s.check_totals(VACANCY)


def test_resample_keeps_disaggregation() -> None:
    s = MetricSeries.from_records(
        CALLS, place_id="p", period_type=MONTH, dimensions=[SEX],
        records=[{"period": "2024-01", "value": 1, "sex": "F"}, {"period": "2024-02", "value": 2, "sex": "F"},
                 {"period": "2024-01", "value": 5}, {"period": "2024-02", "value": 5}],
    )  # fmt: skip
    q = s.resample(QUARTER, CALLS)
    assert q.codes("sex") == ["_T", "F"]
    assert q.values.tolist() == [10, 3]


# -- properties ------------------------------------------------------------------------------


@given(sum_series_data())
def test_resampling_a_sum_metric_preserves_the_total(data: tuple) -> None:
    fine, coarse, ords, values = data
    s = MetricSeries.from_arrays(
        CALLS, place_id="p", period_type=fine, ordinals=ords, values=values
    )
    r = s.resample(coarse, CALLS, policy=MissingDataPolicy.NEVER_SKIP)
    assert np.nansum(r.values) == pytest.approx(np.nansum(values), rel=1e-9, abs=1e-6)
    assert np.all(np.diff(r.ordinals) > 0)


@given(ratio_series_data())
def test_ratio_of_sums_resampling_equals_recomputing(data: tuple) -> None:
    fine, coarse, ords, nums, dens = data
    s = MetricSeries.from_arrays(
        VACANCY, place_id="p", period_type=fine, ordinals=ords, numerators=nums, denominators=dens
    )
    r = s.resample(coarse, VACANCY)
    groups = fine.convert(ords, coarse)
    for ordinal, value in zip(r.ordinals, r.values, strict=True):
        mask = groups == ordinal
        assert value == pytest.approx(nums[mask].sum() / dens[mask].sum() * 100, rel=1e-9)


def test_daily_to_month_counts_absent_days_as_missing() -> None:
    days = np.arange("2024-01-01", "2024-01-21", dtype="datetime64[D]")
    s = MetricSeries.from_arrays(
        CALLS, place_id="p", period_type=DAY, dates=days, values=np.ones(20)
    )
    assert np.isnan(
        s.resample(MONTH, CALLS, policy=MissingDataPolicy.SKIP_IF_ANY_MISSING).values[0]
    )
    assert s.resample(MONTH, CALLS).values.tolist() == [20]


def test_values_must_agree_with_ratio_parts() -> None:
    with pytest.raises(
        SeriesError,
        match=r"values\[0\]: 12 disagrees with numerator / denominator 1 / 10 = 10; give one",
    ):
        MetricSeries.from_records(
            VACANCY,
            place_id="p",
            period_type=YEAR,
            records=[{"period": "2024", "value": 12, "numerator": 1, "denominator": 10}],
        )
    ok = MetricSeries.from_records(
        VACANCY,
        place_id="p",
        period_type=YEAR,
        records=[{"period": "2024", "value": 10, "numerator": 1, "denominator": 10}],
    )
    assert ok.values.tolist() == [10.0]


def test_combine_refuses_incompatible_units() -> None:
    a = MetricSeries.from_records(CALLS, place_id="a", period_type=YEAR, records=[("2024", 1)])
    b = MetricSeries(
        metric_id="calls",
        place_id="b",
        period_type=YEAR,
        ordinals=[54],
        values=[1.0],
        unit="person",
    )
    with pytest.raises(
        UnitError, match=r"combine: series\[1\]: cannot convert person \(\[person\]\) to call"
    ):
        MetricSeries.combine([a, b], CALLS, place_id="c")


def test_check_totals_in_a_nested_dimension_names_other_codes() -> None:
    records = [
        {"period": "2024", "value": 4, "sex": "F"},
        {"period": "2024", "value": 3, "sex": "F", "age": "Y0T17"},
        {"period": "2024", "value": 2, "sex": "F", "age": "Y18T64"},
    ]
    s = MetricSeries.from_records(
        CALLS, place_id="p", period_type=YEAR, dimensions=[SEX, AGE], records=records
    )
    with pytest.raises(
        DisaggregationError,
        match=r"first: 2024 \(age, sex=F\): parts add up to 5 call, total is 4 call",
    ):
        s.check_totals(CALLS)


# -- the unit converter ---------------------------------------------------------------------------


def test_a_unit_of_the_application_registry_is_kept_as_given_not_parsed_again() -> None:
    from civicinnov.units import parse_unit

    unit = parse_unit("person / km**2")
    s = MetricSeries(
        metric_id="density",
        place_id="nola",
        period_type=YEAR,
        ordinals=[0],
        values=[1.0],
        unit=unit,
    )
    assert s.unit is unit


def test_a_unit_of_another_registry_is_adopted_into_the_application_registry() -> None:
    import pint

    from civicinnov.units import get_registry

    foreign = pint.UnitRegistry().Unit("km / hour")
    s = MetricSeries(
        metric_id="speed",
        place_id="nola",
        period_type=YEAR,
        ordinals=[0],
        values=[1.0],
        unit=foreign,
    )
    assert s.unit is not foreign
    assert s.unit == get_registry().Unit("kilometer / hour")
    assert get_registry().Quantity(1.0, s.unit).to("m/s").magnitude == pytest.approx(1 / 3.6)


def test_dimension_codes_accept_any_iterable_of_text() -> None:
    assert Dimension(id="sex", codes=["F", "M"]).codes == ("F", "M")
    assert Dimension(id="ward", codes=(c for c in "AB")).codes == ("A", "B")
    with pytest.raises(
        DisaggregationError, match=r"^dimension 'sex': codes: expected at least one"
    ):
        Dimension(id="sex", codes=[])


def test_between_selects_whole_periods_and_refuses_bad_dates() -> None:
    from civicinnov.errors import ValidationError
    from civicinnov.metrics import MetricDefinition, MetricSeries
    from civicinnov.periods import QUARTER

    d = MetricDefinition(id="calls", name="Calls", unit="call")
    s = MetricSeries.from_records(
        d,
        place_id="p",
        period_type=QUARTER,
        records=[("2023-Q4", 7), ("2024-Q1", 5), ("2024-Q2", 4)],
    )
    assert s.between("2024-02-01", "2024-06-30").labels == ["2024-Q2"]
    assert s.between().labels == s.labels
    with pytest.raises(
        ValidationError, match="start: expected a date such as 2024-01-01, got 'soon'"
    ):
        s.between("soon")
