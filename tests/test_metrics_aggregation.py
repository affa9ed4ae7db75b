"""Aggregation that follows what a metric measures, and resampling that reports its coverage.

Each of the first tests reproduces a number a city analyst got wrong before the aggregation table
(issue: "Numbers that cannot lie") and checks the right number, or the refusal, now.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st
from tests.strategies import NESTING, sorted_ordinals

from civicinnov.datasets import load_iteams
from civicinnov.errors import CivicError, SeriesError, ValidationError
from civicinnov.metrics import (
    AGGREGATION_RULES,
    Measure,
    MeasureKind,
    MetricCatalog,
    MetricDefinition,
    MetricPlan,
    MetricSeries,
    SpatialAggregation,
    Target,
    TemporalAggregation,
    aggregation_table,
    measure_of,
    missing_periods,
)
from civicinnov.periods import DAY, MONTH, QUARTER, YEAR, fiscal_year
from civicinnov.units import parse_unit

DOCS = Path(__file__).resolve().parents[1] / "docs" / "explanation" / "units-and-aggregation.md"

PERCENT = MetricDefinition(
    id="vacancy", name="Vacancy", unit="percent", measure_kind=MeasureKind.PERCENTAGE
)
POTHOLES = MetricDefinition(id="potholes", name="Potholes filled", unit="incident / month")


def _months(d: MetricDefinition, values: list[float], place: str = "p", year: int = 2024):
    return MetricSeries.from_records(
        d,
        place_id=place,
        period_type=MONTH,
        records=[(f"{year}-{m:02d}", v) for m, v in enumerate(values, start=1)],
    )


# -- the numbers of the issue -----------------------------------------------------------------


def test_monthly_40_percent_is_40_percent_for_the_quarter_not_120() -> None:
    q = _months(PERCENT, [40, 40, 40]).resample(QUARTER, PERCENT)
    assert q.values.tolist() == pytest.approx([40.0])


def test_40_and_70_percent_in_two_places_is_55_not_110() -> None:
    a = MetricSeries.from_records(PERCENT, place_id="a", period_type=YEAR, records=[("2024", 40)])
    b = MetricSeries.from_records(PERCENT, place_id="b", period_type=YEAR, records=[("2024", 70)])
    assert MetricSeries.combine([a, b], PERCENT, place_id="city").values.tolist() == [55.0]
    weighted = MetricSeries.combine([a, b], PERCENT, place_id="city", weights=[3, 1])
    assert weighted.values.tolist() == pytest.approx([(3 * 40 + 70) / 4])


def test_pothole_rate_per_month_to_a_year_is_a_day_weighted_mean_not_4020() -> None:
    values = [300.0, 310, 320, 330, 340, 350, 360, 370, 340, 330, 320, 350]
    assert sum(values) == 4020
    year = _months(POTHOLES, values).resample(YEAR, POTHOLES)
    days = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
    assert year.values[0] == pytest.approx(float(np.dot(values, days) / days.sum()))
    assert 300 < year.values[0] < 360
    assert str(year.unit) == "incident / month"


def test_sum_over_a_percentage_is_refused_with_the_reason_and_the_fix() -> None:
    with pytest.raises(ValidationError) as info:
        MetricDefinition(
            id="vacancy",
            name="Vacancy",
            unit="percent",
            measure_kind=MeasureKind.PERCENTAGE,
            temporal_aggregation=TemporalAggregation.SUM,
        )
    message = str(info.value)
    assert "temporal_aggregation: metric 'vacancy'" in message
    assert "120 %" in message  # why
    assert "use mean" in message
    assert "ratio_of_sums" in message
    assert message.endswith("got sum")
    with pytest.raises(ValidationError, match=r"spatial_aggregation: .* 110 %"):
        MetricDefinition(
            id="vacancy",
            name="Vacancy",
            unit="percent",
            measure_kind=MeasureKind.PERCENTAGE,
            spatial_aggregation=SpatialAggregation.SUM,
        )


def test_sum_of_a_per_month_rate_across_months_is_refused_but_across_places_is_fine() -> None:
    with pytest.raises(ValidationError, match=r"twelve times the rate.*unit 'pothole'|count"):
        MetricDefinition(
            id="potholes",
            name="Potholes",
            unit="incident / month",
            temporal_aggregation=TemporalAggregation.SUM,
        )
    assert POTHOLES.spatial_aggregation is SpatialAggregation.SUM


def test_average_wait_and_stock_refuse_sums_in_time() -> None:
    with pytest.raises(ValidationError, match="averages do not add up"):
        MetricDefinition(
            id="wait",
            name="Wait",
            unit="second",
            measure_kind=MeasureKind.AVERAGE,
            spatial_aggregation=SpatialAggregation.SUM,
        )
    with pytest.raises(ValidationError, match="a stock is counted again"):
        MetricDefinition(
            id="blight",
            name="Blight",
            unit="dwelling",
            measure_kind=MeasureKind.STOCK,
            temporal_aggregation=TemporalAggregation.SUM,
        )


def test_ordinal_refuses_arithmetic_and_keeps_last() -> None:
    grade = MetricDefinition(
        id="grade", name="Grade", unit="dimensionless", measure_kind=MeasureKind.ORDINAL
    )
    assert (grade.temporal_aggregation, grade.spatial_aggregation) == (
        TemporalAggregation.LAST,
        SpatialAggregation.NONE,
    )
    for how in (TemporalAggregation.SUM, TemporalAggregation.MEAN):
        with pytest.raises(ValidationError, match="order but no arithmetic"):
            MetricDefinition(
                id="grade",
                name="Grade",
                unit="dimensionless",
                measure_kind=MeasureKind.ORDINAL,
                temporal_aggregation=how,
            )


@pytest.mark.parametrize(
    ("kind", "unit", "measure"),
    [
        (MeasureKind.UNIT, "incident", Measure.COUNT),
        (MeasureKind.UNIT, "incident / month", Measure.RATE),
        (MeasureKind.UNIT, "kWh / year", Measure.RATE),
        (MeasureKind.UNIT, "person / km**2", Measure.RATIO_WITHOUT_PARTS),
        (MeasureKind.UNIT, "percent", Measure.RATIO_WITHOUT_PARTS),
        (MeasureKind.UNIT, "dimensionless", Measure.COUNT),
        (MeasureKind.STOCK, "dwelling", Measure.STOCK),
        (MeasureKind.STOCK, "incident / month", Measure.STOCK),
        (MeasureKind.AVERAGE, "second", Measure.AVERAGE),
        (MeasureKind.PERCENTAGE, "percent", Measure.PERCENTAGE),
        (MeasureKind.QUALITATIVE, "dimensionless", Measure.QUALITATIVE),
    ],
)
def test_measure_is_derived_from_kind_and_unit(
    kind: MeasureKind, unit: str, measure: Measure
) -> None:
    assert measure_of(kind, parse_unit(unit)) is measure


def test_defaults_come_from_the_table_for_every_measure() -> None:
    examples = {
        Measure.COUNT: {"unit": "incident"},
        Measure.STOCK: {"unit": "dwelling", "measure_kind": MeasureKind.STOCK},
        Measure.RATE: {"unit": "incident / month"},
        Measure.PERCENTAGE: {"unit": "percent", "measure_kind": MeasureKind.PERCENTAGE},
        Measure.RATIO_WITHOUT_PARTS: {"unit": "person / km**2"},
        Measure.AVERAGE: {"unit": "second", "measure_kind": MeasureKind.AVERAGE},
        Measure.ORDINAL: {"unit": "dimensionless", "measure_kind": MeasureKind.ORDINAL},
        Measure.NOMINAL: {"unit": "dimensionless", "measure_kind": MeasureKind.NOMINAL},
        Measure.QUALITATIVE: {"unit": "dimensionless", "measure_kind": MeasureKind.QUALITATIVE},
    }
    for measure, kwargs in examples.items():
        d = MetricDefinition(id="m", name="M", **kwargs)  # type: ignore[arg-type]
        rule = AGGREGATION_RULES[measure]
        assert d.measure is measure
        assert (d.temporal_aggregation, d.spatial_aggregation) == (rule.temporal, rule.spatial)
        assert rule.temporal in rule.temporal_allowed
        assert rule.spatial in rule.spatial_allowed
        # every choice outside the row is refused, every one inside accepted
        for how in TemporalAggregation:
            if how is TemporalAggregation.RATIO_OF_SUMS:
                continue
            if how in rule.temporal_allowed:
                MetricDefinition(id="m", name="M", temporal_aggregation=how, **kwargs)  # type: ignore[arg-type]
            else:
                with pytest.raises(ValidationError, match=re.escape(rule.refused_because[:20])):
                    MetricDefinition(id="m", name="M", temporal_aggregation=how, **kwargs)  # type: ignore[arg-type]


def test_docs_table_is_the_code_table() -> None:
    assert aggregation_table() in DOCS.read_text(encoding="utf-8")


# -- the bundled definitions -----------------------------------------------------------------


def test_bundled_percentages_and_averages_no_longer_sum_across_places() -> None:
    portfolio = load_iteams()
    metrics = {m.id: m for m in portfolio.metrics}
    for metric_id in ("memphis-retail-vacancy", "louisville-911-redirected"):
        assert metrics[metric_id].spatial_aggregation is SpatialAggregation.MEAN
    wait = metrics["atlanta-311-wait"]
    assert wait.measure is Measure.AVERAGE
    assert wait.spatial_aggregation is SpatialAggregation.MEAN
    for m in portfolio.metrics:  # every bundled definition sits in its row of the table
        rule = m.aggregation_rule
        assert m.temporal_aggregation in rule.temporal_allowed, m.id
        assert m.spatial_aggregation in rule.spatial_allowed, m.id


def test_builtin_catalogue_follows_the_table() -> None:
    for m in MetricCatalog.builtin():
        rule = m.aggregation_rule
        assert m.temporal_aggregation in rule.temporal_allowed, m.id
        assert m.spatial_aggregation in rule.spatial_allowed, m.id
    assert MetricCatalog.builtin()["blighted-properties"].measure is Measure.STOCK


# -- coverage ---------------------------------------------------------------------------------

CALLS = MetricDefinition(id="calls", name="Calls", unit="call")


def test_jan_to_jun_into_a_july_fiscal_year_says_the_year_is_partial() -> None:
    s = _months(CALLS, [1, 1, 1, 1, 1, 1])
    fy = s.resample(fiscal_year(7), CALLS)
    assert fy.labels == ["FY2024"]
    assert fy.values.tolist() == [6.0]  # kept (the default policy) ...
    assert fy.observed.tolist() == [6]
    assert fy.expected.tolist() == [12]
    assert fy.partial.tolist() == [True]
    assert fy.flags()["partial"].tolist() == [True]
    assert np.isnan(s.resample(fiscal_year(7), CALLS, require_complete=True).values).all()
    assert s.resample(fiscal_year(7), CALLS, min_coverage=0.5).values.tolist() == [6.0]
    assert np.isnan(s.resample(fiscal_year(7), CALLS, min_coverage=0.51).values).all()


def test_partial_inputs_make_partial_outputs() -> None:
    q = _months(CALLS, [1, 1, 1, 1]).resample(QUARTER, CALLS)
    assert q.partial.tolist() == [False, True]
    year = q.resample(YEAR, CALLS)
    assert year.observed.tolist() == [1]
    assert year.expected.tolist() == [4]


def test_coverage_policy_arguments_are_checked() -> None:
    s = _months(CALLS, [1])
    for bad in (1.5, -0.1, "half", True):
        with pytest.raises(ValidationError, match="min_coverage: expected a share from 0 to 1"):
            s.resample(YEAR, CALLS, min_coverage=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="give one"):
        s.resample(YEAR, CALLS, require_complete=True, min_coverage=0.5)


def test_combine_counts_places() -> None:
    a = MetricSeries.from_records(CALLS, place_id="a", period_type=YEAR, records=[("2023", 1)])
    b = MetricSeries.from_records(
        CALLS, place_id="b", period_type=YEAR, records=[("2023", 2), ("2024", 3)]
    )
    city = MetricSeries.combine([a, b], CALLS, place_id="city")
    assert city.observed.tolist() == [2, 1]
    assert city.expected.tolist() == [2, 2]
    strict = MetricSeries.combine([a, b], CALLS, place_id="city", require_complete=True)
    assert strict.values[0] == 3
    assert np.isnan(strict.values[1])


@given(st.sampled_from(NESTING), sorted_ordinals(max_size=60))
def test_coverage_counts_present_inputs_for_any_nesting(pair, ords) -> None:  # type: ignore[no-untyped-def]
    fine, coarse = pair
    s = MetricSeries.from_arrays(
        CALLS, place_id="p", period_type=fine, ordinals=ords, values=np.ones(len(ords))
    )
    out = s.resample(coarse, CALLS)
    assert out.observed.sum() == len(ords)
    # the expected count of each output period is the number of fine periods inside it
    first = fine.ordinals_of(coarse.starts(out.ordinals))
    last = fine.ordinals_of(coarse.ends(out.ordinals))
    assert out.expected.tolist() == (last - first + 1).tolist()
    assert np.all(out.values == out.observed)
    complete = s.resample(coarse, CALLS, require_complete=True)
    assert np.array_equal(np.isnan(complete.values), out.partial)


# -- statuses, approval, revisions -------------------------------------------------------------


def test_statuses_carry_into_aggregates_and_flags() -> None:
    s = MetricSeries.from_records(
        CALLS,
        place_id="p",
        period_type=MONTH,
        records=[
            {"period": "2024-01", "value": 1, "status": "final", "approval": "approved"},
            {"period": "2024-02", "value": 2, "status": "provisional", "approval": "approved"},
            {"period": "2024-03", "value": 3, "status": "final", "approval": "submitted"},
            {"period": "2024-04", "value": 4, "status": "estimated", "approval": "approved"},
        ],
    )
    assert s.flags()["provisional"].tolist() == [False, True, False, False]
    assert s.flags()["unapproved"].tolist() == [False, False, True, False]
    q = s.resample(QUARTER, CALLS)
    assert [q.status_of(0).value, q.status_of(1).value] == ["provisional", "estimated"]  # type: ignore[union-attr]
    assert q.approvals.tolist() == [2, 3]
    assert s.approved().labels == ["2024-01", "2024-02", "2024-04"]


def test_missing_reason_only_for_missing_values() -> None:
    with pytest.raises(SeriesError, match="expected a missing-value reason only where"):
        MetricSeries.from_records(
            CALLS,
            place_id="p",
            period_type=YEAR,
            records=[{"period": "2024", "value": 1, "missing_reason": "confidential"}],
        )
    s = MetricSeries.from_records(
        CALLS,
        place_id="p",
        period_type=YEAR,
        records=[{"period": "2024", "value": None, "missing_reason": "confidential"}],
    )
    assert s.missing_reasons.tolist() == [4]
    with pytest.raises(SeriesError, match=r"statuses\[0\]: expected one of 'final'"):
        MetricSeries.from_records(
            CALLS, place_id="p", period_type=YEAR, records=[{"period": "2024", "status": "ok"}]
        )


def test_update_keeps_history_instead_of_overwriting() -> None:
    sex_free = _months(CALLS, [10, 20])
    first = sex_free.update(
        _months(CALLS, [11]), recorded_by="clerk", recorded_at=dt.date(2024, 3, 1)
    )
    second = first.update(_months(CALLS, [12, 21, 30]), recorded_by="analyst")
    assert second.values.tolist() == [12.0, 21.0, 30.0]
    assert second.revisions is not None
    assert second.revisions.values.tolist() == [10.0, 11.0, 20.0]
    assert second.revisions.rows.tolist() == [0, 0, 1]
    assert second.revisions.recorded_by == (None, "clerk", None)
    assert second.recorded_by == ("analyst", "analyst", "analyst")
    assert second.flags()["has_history"].tolist() == [True, True, False]
    assert second.flags()["revised"].tolist() == [True, True, False]
    # history follows its rows through a subset
    assert second.between("2024-02-01").revisions.values.tolist() == [20.0]  # type: ignore[union-attr]


def test_update_refuses_another_series() -> None:
    other = MetricSeries.from_records(CALLS, place_id="q", period_type=MONTH, records=[])
    with pytest.raises(SeriesError, match="expected a series of 'calls' in 'p'"):
        _months(CALLS, [1]).update(other)


# -- schedule -------------------------------------------------------------------------------


def test_missing_periods_by_schedule() -> None:
    d = MetricDefinition(id="calls", name="Calls", unit="call", plan=MetricPlan(frequency=MONTH))
    s = _months(d, [1, float("nan"), 3])
    assert missing_periods(s, "2024-01-01", "2024-05-31", definition=d) == [
        "2024-02",
        "2024-04",
        "2024-05",
    ]
    # a partial period at either end is not expected
    assert (
        missing_periods(s, "2024-01-15", "2024-04-10", definition=d) == ["2024-02", "2024-03"][:1]
    )
    daily = MetricSeries.from_records(d, place_id="p", period_type=DAY, records=[("2024-03-05", 1)])
    assert missing_periods(daily, "2024-01-01", "2024-03-31", definition=d) == [
        "2024-01",
        "2024-02",
    ]


# -- crash sources ----------------------------------------------------------------------------


def test_huge_target_is_a_civic_error_not_an_overflow() -> None:
    with pytest.raises(CivicError):  # refused as too long a text, or as too large a number
        Target(id="t", metric_id="m", stage="final", value=f"{10**400} incident", due="2026-01-01")
    with pytest.raises(CivicError, match="finite number"):
        Target(id="t", metric_id="m", stage="final", value="1e400 incident", due="2026-01-01")
    homes = MetricDefinition(id="homes", name="Homes", unit="dwelling")
    assert homes.check_quantity(10**400, path="$.targets[0].value") == [
        "$.targets[0].value: expected a finite number in dwelling, got a number of 401 digits"
    ]


def test_huge_ordinal_is_a_series_error_not_an_attribute_error() -> None:
    with pytest.raises(SeriesError, match=r"ordinals\[0\]: 1000000 is outside the calendar"):
        MetricSeries(
            metric_id="m",
            place_id="p",
            period_type=YEAR,
            ordinals=[1000000],
            values=[1],
            unit="call",
        )


def test_series_equality_with_arrays_does_not_raise() -> None:
    a = _months(CALLS, [1, 2])
    b = _months(CALLS, [1, 2]).update(_months(CALLS, [1]))
    assert (a == a) is True
    assert (a == b) is False


def test_check_quantity_and_unit_report_dimension_mismatches() -> None:
    homes = MetricDefinition(id="homes", name="Homes", unit="dwelling")
    assert homes.check_quantity("6600 kg", path="$.targets[0].value") == [
        "$.targets[0].value: metric 'homes' is measured in dwelling ([dwelling]); got kilogram "
        "([mass])"
    ]
    assert homes.check_unit("km", path="$.baselines[0].value.unit")[0].startswith(
        "$.baselines[0].value.unit: metric 'homes'"
    )
    assert homes.check_quantity("12 homes") == []
    assert homes.check_unit("not a unit!", path="$.x")[0].startswith("$.x")
    series = MetricSeries(
        metric_id="homes", place_id="p", period_type=YEAR, ordinals=[54], values=[1], unit="kg"
    )
    assert series.check(homes, path="$.series[0]") == [
        "$.series[0].unit: metric 'homes' is measured in dwelling ([dwelling]); got kilogram "
        "([mass])"
    ]
    assert PERCENT.check_quantity(130)[0].endswith("got 130.0 percent")


def test_annotated_series_round_trips_through_json() -> None:
    import json

    from civicinnov.io.serde import structure, unstructure

    s = MetricSeries.from_records(
        CALLS,
        place_id="p",
        period_type=MONTH,
        records=[
            {"period": "2024-01", "value": 1, "status": "provisional", "comment": "phone count"},
            {"period": "2024-02", "value": None, "missing_reason": "not_yet_available"},
            {"period": "2024-03", "value": 3, "approval": "submitted", "source": "CAD"},
        ],
    ).update(_months(CALLS, [2]), recorded_by="analyst", recorded_at="2024-04-01T09:00:00")
    q = s.resample(QUARTER, CALLS)
    for series in (s, q):
        data = json.loads(json.dumps(unstructure(series)))
        assert structure(data, MetricSeries) == series
    plain = unstructure(_months(CALLS, [1]))
    assert "statuses" not in plain
    assert "revisions" not in plain


def test_mean_weighs_by_the_denominators_when_the_parts_are_known() -> None:
    share = MetricDefinition(
        id="share", name="Share", unit="percent", measure_kind=MeasureKind.PERCENTAGE
    )
    a = MetricSeries.from_arrays(
        share,
        place_id="a",
        period_type=YEAR,
        periods=["2024"],
        numerators=[1],
        denominators=[2],
        numerator_unit="property",
        denominator_unit="property",
    )
    b = MetricSeries.from_arrays(
        share,
        place_id="b",
        period_type=YEAR,
        periods=["2024"],
        numerators=[9],
        denominators=[98],
        numerator_unit="property",
        denominator_unit="property",
    )
    assert MetricSeries.combine([a, b], share, place_id="c").values == pytest.approx([10.0])
    months = MetricSeries.from_arrays(
        share,
        place_id="a",
        period_type=MONTH,
        periods=["2024-01", "2024-02"],
        numerators=[1, 9],
        denominators=[2, 98],
        numerator_unit="property",
        denominator_unit="property",
    )
    assert months.resample(YEAR, share).values == pytest.approx([10.0])


def test_missing_periods_on_a_fiscal_schedule() -> None:
    s = _months(CALLS, [1, 1, 1, 1, 1, 1])  # January to June 2024
    fy = fiscal_year(7)
    assert missing_periods(s, "2022-07-01", "2025-06-30", schedule=fy) == ["FY2023", "FY2025"]


def test_a_resampled_series_round_trips_through_csv_with_its_coverage() -> None:
    from civicinnov.io.csv import format_observations, parse_observations

    fy = _months(CALLS, [1, 2, 3, 4, 5, 6]).resample(fiscal_year(7), CALLS)
    text = format_observations([fy])
    assert text.splitlines()[0] == "city,metric,period,value,unit,observed,expected"
    [back] = parse_observations(text, metrics=[CALLS], fiscal_start_month=7)
    assert back == fy
    assert back.partial.tolist() == [True]


def test_unit_conversion_converts_the_revision_history_too() -> None:
    km = MetricDefinition(id="km", name="Km", unit="km")
    s = MetricSeries.from_records(km, place_id="p", period_type=YEAR, records=[("2024", 1.0)])
    s = s.update(
        MetricSeries.from_records(km, place_id="p", period_type=YEAR, records=[("2024", 2.0)])
    )
    m = s.to("m")
    assert m.values.tolist() == [2000.0]
    assert m.revisions is not None
    assert m.revisions.values.tolist() == [1000.0]


def test_update_matches_rows_by_codes_and_period() -> None:
    from civicinnov.metrics import Dimension

    sex = Dimension(id="sex", codes=("F", "M"))
    records = [
        {"period": "2024", "value": 9},
        {"period": "2024", "value": 5, "sex": "F"},
        {"period": "2024", "value": 4, "sex": "M"},
    ]
    s = MetricSeries.from_records(
        CALLS, place_id="p", period_type=YEAR, dimensions=[sex], records=records
    )
    fix = MetricSeries.from_records(
        CALLS,
        place_id="p",
        period_type=YEAR,
        dimensions=[sex],
        records=[
            {"period": "2024", "value": 6, "sex": "F"},
            {"period": "2025", "value": 1, "sex": "M"},
        ],
    )
    new = s.update(fix)
    assert list(zip(new.codes("sex"), new.labels, new.values.tolist(), strict=True)) == [
        ("_T", "2024", 9.0),
        ("F", "2024", 6.0),
        ("M", "2024", 4.0),
        ("M", "2025", 1.0),
    ]
    assert new.revisions is not None
    assert new.revisions.rows.tolist() == [1]
    assert new.revisions.values.tolist() == [5.0]


def test_coverage_between_calendar_and_fiscal_quarters_and_months() -> None:
    from civicinnov.periods import fiscal_month, fiscal_quarter

    s = _months(CALLS, [1, 1, 1, 1, 1, 1, 1, 1])  # January to August 2024
    fq = s.resample(fiscal_quarter(7), CALLS)
    assert fq.labels == ["FY2024-Q3", "FY2024-Q4", "FY2025-Q1"]
    assert fq.observed.tolist() == [3, 3, 2]
    assert fq.expected.tolist() == [3, 3, 3]
    fm = MetricSeries.from_records(
        CALLS, place_id="p", period_type=fiscal_month(7), records=[("FY2025-M01", 4)]
    )
    year = fm.resample(fiscal_year(7), CALLS)
    assert year.labels == ["FY2025"]
    assert (year.observed.tolist(), year.expected.tolist()) == ([1], [12])
