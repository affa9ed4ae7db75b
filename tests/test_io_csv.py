"""Observations CSV: columnar parsing into series, and every bad row with its line number."""

from __future__ import annotations

import contextlib
import pathlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from tests.strategies import CALLS as CALLS_DEF, VACANCY, annotated_series, series

from civicinnov.errors import CivicError, SerializationError, ValidationError
from civicinnov.io.csv import (
    COLUMN_TYPES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RESERVED_COLUMNS,
    check_observations,
    format_observations,
    observations_schema,
    parse_observations,
    read_observations,
    write_observations,
)
from civicinnov.metrics import (
    ApprovalState,
    Dimension,
    MeasureKind,
    MetricDefinition,
    MetricPlan,
    MetricSeries,
    MissingReason,
    ObservationStatus,
    Ratio,
    TemporalAggregation,
)
from civicinnov.periods import MONTH, QUARTER, YEAR, fiscal_year

HEADER = "city,metric,period,value,unit\n"


def test_rows_become_one_series_per_city_and_metric() -> None:
    text = HEADER + (
        "mobile,blight,2017,1500,home\n"
        "syracuse,breaks,2016-Q2,90,incident\n"
        "mobile,blight,2016,2000,home\n"
        "syracuse,breaks,2016-Q1,100,incident\n"
    )
    out = parse_observations(text)
    assert [(s.place_id, s.metric_id) for s in out] == [
        ("mobile", "blight"),
        ("syracuse", "breaks"),
    ]
    mobile, syracuse = out
    assert mobile.period_type == YEAR
    assert mobile.labels == ["2016", "2017"]
    assert mobile.values.tolist() == [2000.0, 1500.0]
    assert str(mobile.unit) == "dwelling"
    assert syracuse.period_type == QUARTER
    assert syracuse.values.tolist() == [100.0, 90.0]


def test_empty_value_is_missing() -> None:
    [s] = parse_observations(HEADER + "a,m,2020,,incident\na,m,2021,3,incident\n")
    assert np.isnan(s.values[0])
    assert s.values[1] == 3.0


def test_units_are_converted_to_the_first_rows_unit() -> None:
    [s] = parse_observations(HEADER + "a,d,2020,1.5,km\na,d,2021,500,m\n")
    assert str(s.unit) == "kilometer"
    assert s.values.tolist() == [1.5, 0.5]


def test_definition_fixes_the_unit_and_fills_an_empty_unit_cell() -> None:
    d = MetricDefinition(id="d", name="Distance", unit="m")
    [s] = parse_observations(HEADER + "a,d,2020,1.5,km\na,d,2021,500,\n", metrics=[d])
    assert str(s.unit) == "meter"
    assert s.values.tolist() == [1500.0, 500.0]


def test_dimension_columns_disaggregate() -> None:
    text = "city,metric,period,value,unit,sex\n" + (
        "a,v,2013,100,person,\na,v,2013,80,person,M\na,v,2013,20,person,F\na,v,2014,90,person,\n"
    )
    [s] = parse_observations(text)
    assert [d.id for d in s.dimensions] == ["sex"]
    assert s.codes("sex") == ["_T", "_T", "F", "M"]
    assert s.labels == ["2013", "2014", "2013", "2013"]
    assert s.total().values.tolist() == [100.0, 90.0]


def test_quoted_fields_and_other_column_order() -> None:
    text = 'unit,value,period,metric,city\n"incident","1,5",2020,m,a\n'
    with pytest.raises(SerializationError, match=r"^obs\.csv:2: value: '1,5' is not a number$"):
        parse_observations(text, source="obs.csv")
    [s] = parse_observations('unit,value,period,metric,city\n"incident","15",2020,m,a\n')
    assert s.values.tolist() == [15.0]


def test_fiscal_years_need_a_start_month() -> None:
    [s] = parse_observations(HEADER + "a,m,FY2025,3,incident\n", fiscal_start_month=7)
    assert s.period_type == fiscal_year(7)
    with pytest.raises(
        SerializationError, match=r"obs\.csv:2: period: period id 'FY2025' is a fiscal"
    ):
        parse_observations(HEADER + "a,m,FY2025,3,incident\n", source="obs.csv")


def test_bytes_with_bom_are_read() -> None:
    [s] = parse_observations(("\ufeff" + HEADER + "a,m,2020,1,incident\n").encode("utf-8"))
    assert s.values.tolist() == [1.0]


# -- bad input: type and message with the line number ---------------------------------------------


def test_bad_unit_names_line_and_value() -> None:
    text = HEADER + "a,m,2020,1,incident\na,m,2021,1,furlongz\n"
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:3: unit: 'furlongz' is not a unit pint "
        r"understands",
    ):
        parse_observations(text, source="obs.csv")


def test_absurd_unit_expression() -> None:
    with pytest.raises(
        SerializationError,
        match=r"obs\.csv:2: unit: 'm\*\*1000000' has an exponent "
        r"of 1000000; expected at most 12 in size",
    ):
        parse_observations(HEADER + "a,m,2020,1,m**1000000\n", source="obs.csv")


def test_bad_unit_repeated_is_reported_once_with_a_count() -> None:
    with pytest.raises(SerializationError, match=r"obs\.csv:2: unit: 'zz' .* \(and 2 more rows\)"):
        parse_observations(
            HEADER + "a,m,2020,1,zz\n" * 1 + "a,m,2021,1,zz\na,m,2022,1,zz\n", source="obs.csv"
        )


def test_non_numeric_value() -> None:
    with pytest.raises(
        SerializationError, match=r"^obs\.csv:2: value: 'about 12' is not a number$"
    ):
        parse_observations(HEADER + "a,m,2020,about 12,incident\n", source="obs.csv")


def test_infinite_value() -> None:
    with pytest.raises(
        SerializationError,
        match=r"obs\.csv:2: value: 'inf' is not a finite number; "
        r"leave the cell empty for a missing value",
    ):
        parse_observations(HEADER + "a,m,2020,inf,incident\n", source="obs.csv")


def test_every_bad_row_is_listed_in_line_order() -> None:
    text = HEADER + "a,m,2020,x,incident\nB,m,2021,1,incident\na,m,2022-13,1,incident\n"
    with pytest.raises(SerializationError) as info:
        parse_observations(text, source="obs.csv")
    assert [p.split(":")[1] for p in info.value.problems] == ["2", "3", "4"]
    assert str(info.value).startswith("obs.csv: 3 problems:")


def test_wrong_number_of_cells() -> None:
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:3: expected 5 cells \(as in the "
        r"header\), got 4$",
    ):
        parse_observations(HEADER + "a,m,2020,1,incident\na,m,2021,1\n", source="obs.csv")


def test_missing_column() -> None:
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:1: missing column\(s\) unit; expected "
        r"a header with city, metric, period, value, unit",
    ):
        parse_observations("city,metric,period,value\na,m,2020,1\n", source="obs.csv")


def test_empty_file() -> None:
    with pytest.raises(SerializationError, match=r"^obs\.csv: the file is empty"):
        parse_observations("", source="obs.csv")


def test_duplicated_period() -> None:
    text = HEADER + "a,m,2020,1,incident\na,m,2021,1,incident\na,m,2020,2,incident\n"
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:4: period '2020' of metric 'm' in 'a' is "
        r"already given on line 2; expected each period once \(give a higher version to revise a "
        r"value\)$",
    ):
        parse_observations(text, source="obs.csv")


def test_mixed_period_types() -> None:
    with pytest.raises(
        SerializationError, match=r"obs\.csv:2: series 'm' in 'a' mixes period types"
    ):
        parse_observations(
            HEADER + "a,m,2020,1,incident\na,m,2021-Q1,1,incident\n", source="obs.csv"
        )


def test_unit_of_the_wrong_dimension() -> None:
    with pytest.raises(
        SerializationError,
        match=r"obs\.csv:3: unit: 'kg' cannot be converted to "
        r"'meter', the unit of metric 'd'",
    ):
        parse_observations(HEADER + "a,d,2020,1,m\na,d,2021,1,kg\n", source="obs.csv")


def test_metric_without_definition() -> None:
    d = MetricDefinition(id="d", name="Distance", unit="m")
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:2: metric: 'x' has no definition; none of the 1 metric\(s\) given has "
        r"a similar id$",
    ):
        parse_observations(HEADER + "a,x,2020,1,m\n", source="obs.csv", metrics={"d": d})


def test_unknown_metric_suggests_the_closest_ids_rather_than_listing_them_all() -> None:
    from civicinnov.metrics import MetricCatalog

    catalog = MetricCatalog.builtin()
    assert len(catalog.ids) > 3
    with pytest.raises(
        SerializationError,
        match=r"^obs\.csv:2: metric: 'murder' has no definition; did you mean 'murders'\?$",
    ):
        parse_observations(
            HEADER + "nola,murder,2020,1,incident\n",
            source="obs.csv",
            metrics={m: catalog[m] for m in catalog.ids},
        )


def test_empty_unit_without_definition() -> None:
    with pytest.raises(
        SerializationError,
        match=r"obs\.csv:2: unit: empty for metric 'm', which "
        r"has no definition",
    ):
        parse_observations(HEADER + "a,m,2020,1,\n", source="obs.csv")


def test_not_utf8(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes((HEADER + "montréal,m,2020,1,incident\n").encode("latin-1"))
    with pytest.raises(SerializationError, match=r"obs\.csv:2: not UTF-8 text \(byte 0xe9"):
        read_observations(path)


def test_missing_file() -> None:
    with pytest.raises(SerializationError, match=r"nope\.csv: cannot read the file"):
        read_observations("nope.csv")


def test_write_is_atomic_and_reads_back(tmp_path: pathlib.Path) -> None:
    [s] = parse_observations(HEADER + "a,m,2020,1.25,incident\n")
    path = tmp_path / "obs.csv"
    write_observations(path, [s])
    assert read_observations(path) == [s]
    assert [p.name for p in tmp_path.iterdir()] == ["obs.csv"]


# -- round trip and fuzzing -------------------------------------------------------------------------


@settings(max_examples=50)
@given(st.lists(series(), max_size=4, unique_by=lambda s: (s.metric_id, s.place_id)))
def test_format_then_parse_gives_the_same_series(items: list[MetricSeries]) -> None:
    items = [s for s in items if len(s)]
    again = parse_observations(format_observations(items))
    assert sorted(again, key=lambda s: (s.place_id, s.metric_id)) == sorted(
        items, key=lambda s: (s.place_id, s.metric_id)
    )


def test_format_writes_dimensions() -> None:
    text = "city,metric,period,value,unit,sex\na,v,2013,100,person,\na,v,2013,80,person,M\n"
    assert parse_observations(format_observations(parse_observations(text))) == parse_observations(
        text
    )


_TOKENS = st.sampled_from(
    [
        "a",
        "b",
        ",",
        "m",
        "1",
        "2",
        "-",
        "Q",
        "\n",
        '"',
        "x",
        " ",
        ".",
        "km",
        "incident",
        "2020",
        "M",
    ]
)


@settings(max_examples=200)
@given(st.lists(_TOKENS, max_size=40).map("".join))
def test_fuzz_raises_civic_errors_only(body: str) -> None:
    with contextlib.suppress(CivicError):
        parse_observations(HEADER + body, source="fuzz.csv")


def test_many_rows_vectorised() -> None:
    n = 20_000
    cities = np.repeat([f"c{i}" for i in range(20)], n // 20)
    months = np.tile(MONTH.labels(np.arange(600, 600 + n // 20)), 20)
    lines = [f"{c},m,{p},{i},incident" for i, (c, p) in enumerate(zip(cities, months, strict=True))]
    out = parse_observations(HEADER + "\n".join(lines) + "\n")
    assert len(out) == 20
    assert sum(len(s) for s in out) == n


def test_fast_construction_equals_the_constructor() -> None:
    text = "city,metric,period,value,unit,sex\n" + (
        "a,v,2013,100,person,\na,v,2013,80,person,M\na,v,2014,,person,\n"
    )
    for s in parse_observations(text) + parse_observations(HEADER + "b,w,2020-03,1.5,km\n"):
        rebuilt = MetricSeries(
            metric_id=s.metric_id,
            place_id=s.place_id,
            period_type=s.period_type,
            ordinals=s.ordinals,
            values=s.values,
            unit=str(s.unit),
            dimensions=s.dimensions,
            categories=s.categories,
        )
        assert rebuilt == s
        assert not s.values.flags.writeable


def test_out_of_order_rows_are_sorted_not_refused() -> None:
    [s] = parse_observations(HEADER + "a,m,2021,2,incident\na,m,2019,1,incident\n")
    assert s.labels == ["2019", "2021"]


# -- one read reports every problem, whichever checks find them ----------------------------------


def _problems(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(SerializationError) as info:
        parse_observations(text, source="obs.csv", **kwargs)  # type: ignore[arg-type]
    return info.value.problems


def test_unit_problem_is_reported_next_to_a_period_problem() -> None:
    from civicinnov.metrics import MetricCatalog

    murders = MetricCatalog.builtin()["murders"]
    text = (
        HEADER + "nola,murders,2015,150,incident\nnola,murders,2016,3,kg\nnola,murders,2016-Q5,1,\n"
    )
    problems = _problems(text, metrics=[murders])
    assert len(problems) == 2
    assert problems[0] == (
        "obs.csv:3: unit: 'kg' cannot be converted to 'incident', the unit of metric 'murders'"
    )
    assert problems[1].startswith("obs.csv:4: period: ")
    assert "2016-Q5" in problems[1]


def test_every_stage_reports_its_problems_in_one_read_in_line_order() -> None:
    d = MetricDefinition(id="dist", name="Distance", unit="m")
    text = HEADER + (
        "a,dist,2020,1,m\n"  # 2: fine
        "a,dist,2021,1,kg\n"  # 3: unit of the wrong dimension
        "a,dist,2020,5,m\n"  # 4: 2020 again
        "a,dist,2022,x,m\n"  # 5: not a number
        "a,dist,2023,1\n"  # 6: a cell short
        "a,dits,2020,1,m\n"  # 7: unknown metric
        "b,dist,2020,1,wombats\n"  # 8: not a unit
        "c,dist,2020,1,m\n"  # 9: fine, but its series mixes period types with line 10
        "c,dist,2020-Q1,1,m\n"  # 10
        "d,dist,2020-Q5,1,m\n"  # 11: no such period
    )
    problems = _problems(text, metrics=[d])
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 11]
    assert "'kg' cannot be converted to 'meter'" in problems[0]
    assert "period '2020' of metric 'dist' in 'a' is already given on line 2" in problems[1]
    assert "value: 'x' is not a number" in problems[2]
    assert "expected 5 cells (as in the header), got 4" in problems[3]
    assert "metric: 'dits' has no definition; did you mean 'dist'?" in problems[4]
    assert "'wombats' is not a unit pint understands" in problems[5]
    assert "series 'dist' in 'c' mixes period types" in problems[6]
    assert "period: " in problems[7]


def test_a_refused_unit_does_not_also_count_as_empty_or_unconvertible() -> None:
    text = HEADER + "a,m,2020,1,bogus-unit\na,m,2021,1,incident\na,m,2022,1,incident\n"
    problems = _problems(text)
    assert len(problems) == 1
    assert problems[0].startswith("obs.csv:2: unit: 'bogus-unit' is not a unit pint understands")


def test_a_refused_period_does_not_also_count_as_a_duplicate_or_a_mixed_type() -> None:
    text = HEADER + "a,m,2020-Q5,1,incident\na,m,2020-Q6,1,incident\na,m,2021,1,incident\n"
    problems = _problems(text)
    assert [int(p.split(":")[1]) for p in problems] == [2, 3]
    assert all(": period: " in p for p in problems)


def test_percentage_bounds_are_checked_even_when_another_row_has_a_problem() -> None:
    share = MetricDefinition(
        id="share",
        name="Share",
        unit="percent",
        measure_kind=MeasureKind.PERCENTAGE,
        temporal_aggregation=TemporalAggregation.LAST,
    )
    text = HEADER + "a,share,2020,120,percent\nb,share,2020,x,percent\n"
    problems = _problems(text, metrics=[share])
    assert len(problems) == 2
    assert problems[0] == (
        "obs.csv:2: series 'share' in 'a': values[0]: metric 'share' is a percentage; "
        "expected values from 0 to 100 percent, got 120.0 percent"
    )
    assert problems[1] == "obs.csv:3: value: 'x' is not a number"


def test_a_refused_dimension_column_is_reported_with_the_other_problems() -> None:
    text = (
        "city,metric,period,value,unit,sex\na,m,2020,1,incident,F\na,m,2020,x,incident,bad code\n"
    )
    problems = _problems(text)
    assert len(problems) == 2
    assert problems[0].startswith("obs.csv:1: dimension column 'sex': ")
    assert "'bad code'" in problems[0]
    assert problems[1] == "obs.csv:3: value: 'x' is not a number"


# -- an exchange format: ratio parts, reserved columns, statuses, history ------------------------

RATE = MetricDefinition(
    id="vacancy",
    name="Vacancy",
    unit="percent",
    measure_kind=MeasureKind.PERCENTAGE,
    ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
)


def test_ratio_parts_round_trip_and_can_be_resampled_after_reading() -> None:
    s = MetricSeries.from_records(
        RATE,
        place_id="memphis",
        period_type=MONTH,
        records=[
            {"period": "2024-01", "numerator": 1, "denominator": 10},
            {"period": "2024-02", "numerator": 9, "denominator": 90},
        ],
    )
    text = format_observations([s])
    assert text.splitlines()[0] == (
        "city,metric,period,value,unit,numerator,denominator,numerator_unit,denominator_unit"
    )
    [back] = parse_observations(text, metrics=[RATE])
    assert back == s
    assert back.resample(YEAR, RATE).values.tolist() == [10.0]
    # without definitions the units come from the file
    [plain] = parse_observations(text)
    assert plain.numerators.tolist() == [1.0, 9.0]
    assert str(plain.numerator_unit) == "property"


def test_value_is_computed_from_the_parts_and_checked_against_them() -> None:
    head = "city,metric,period,value,unit,numerator,denominator\n"
    [s] = parse_observations(head + "m,vacancy,2024,,percent,3,12\n", metrics=[RATE])
    assert s.values.tolist() == [25.0]
    with pytest.raises(SerializationError, match=r"value 30 disagrees with numerator"):
        parse_observations(head + "m,vacancy,2024,30,percent,3,12\n", metrics=[RATE])
    with pytest.raises(SerializationError, match=r"obs.csv:2: denominator: 0"):
        parse_observations(head + "m,vacancy,2024,,percent,3,0\n", metrics=[RATE], source="obs.csv")


def test_reserved_column_names_never_become_dimensions() -> None:
    head = "city,metric,period,value,unit,numerator,denominator,status,ward\n"
    [s] = parse_observations(head + "m,vacancy,2024,,percent,3,12,final,W1\n", metrics=[RATE])
    assert [d.id for d in s.dimensions] == ["ward"]
    assert s.status_of(0) is ObservationStatus.FINAL
    bad = MetricSeries.from_arrays(
        CALLS_DEF,
        place_id="p",
        period_type=YEAR,
        periods=["2024"],
        values=[1.0],
        dimensions=[Dimension(id="status", codes=("A",))],
        disaggregation={"status": ["A"]},
    )
    with pytest.raises(SerializationError, match="dimension 'status' has the name of a reserved"):
        format_observations([bad])


def test_statuses_and_revisions_round_trip_through_csv() -> None:
    s = MetricSeries.from_records(
        CALLS_DEF,
        place_id="p",
        period_type=MONTH,
        records=[
            {"period": "2024-01", "value": 10, "status": "provisional", "comment": "a, b"},
            {"period": "2024-02", "value": None, "missing_reason": "not_yet_available"},
        ],
    )
    s = s.update(
        MetricSeries.from_records(
            CALLS_DEF, place_id="p", period_type=MONTH, records=[("2024-01", 12)]
        ),
        recorded_by="analyst",
        recorded_at="2024-03-01",
    )
    text = format_observations([s])
    assert "version" in text.splitlines()[0]
    [back] = parse_observations(text, metrics=[CALLS_DEF])
    assert back == s
    assert back.revisions is not None
    assert back.revisions.values.tolist() == [10.0]


def test_narratives_and_empty_series_are_written_or_refused_never_dropped() -> None:
    story = MetricDefinition(
        id="voice", name="Voice", unit="dimensionless", measure_kind=MeasureKind.QUALITATIVE
    )
    s = MetricSeries.from_records(
        story,
        place_id="p",
        period_type=YEAR,
        records=[("2023", "Residents, worried"), ("2024", "Better")],
    )
    [back] = parse_observations(format_observations([s]), metrics=[story])
    assert back.narratives == ("Residents, worried", "Better")
    empty = MetricSeries.from_records(CALLS_DEF, place_id="p", period_type=YEAR, records=[])
    with pytest.raises(SerializationError, match="has no observations"):
        format_observations([empty])


def test_infinite_values_are_refused_on_writing_and_overflowing_conversions_on_reading() -> None:
    s = MetricSeries(
        metric_id="d", place_id="p", period_type=YEAR, ordinals=[54], values=[np.inf], unit="m"
    )
    with pytest.raises(SerializationError, match=r"values\[0\]: inf is not a finite number"):
        format_observations([s])
    text = HEADER + "a,d,2020,1,m\na,d,2021,1e308,km\n"
    with pytest.raises(SerializationError, match=r":3: value: '1e308' km is too large"):
        parse_observations(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(annotated_series(), min_size=1, max_size=1)
    | st.lists(annotated_series(ratio=True), min_size=1, max_size=1)
)
def test_everything_that_loads_saves_and_reloads_equal(items: list[MetricSeries]) -> None:
    metrics = [CALLS_DEF, VACANCY]
    first = parse_observations(format_observations(items), metrics=metrics)
    assert first == items
    assert parse_observations(format_observations(first), metrics=metrics) == first


# -- bad inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("odd", ["\x0c", "\u2028", "\x85", "\x1e", "\x0b", "\x1c", "\u2029"])
def test_line_numbers_do_not_drift_on_odd_characters(odd: str) -> None:
    text = HEADER + f"a,m,2020,1,incident{odd}x\na,m,2021,oops,incident\n"
    with pytest.raises(SerializationError) as plain:
        parse_observations(text, source="obs.csv")
    assert ":3: value: 'oops' is not a number" in str(plain.value)
    # the same file with a quote somewhere reads the same way
    quoted = HEADER + f'a,m,2020,1,incident{odd}x\na,m,2021,oops,"incident"\n'
    with pytest.raises(SerializationError) as with_quote:
        parse_observations(quoted, source="obs.csv")
    assert ":3: value: 'oops' is not a number" in str(with_quote.value)


def test_quoted_line_break_counts_for_the_next_line_numbers() -> None:
    text = "city,metric,period,value,unit,comment\n" + (
        'a,m,2020,1,incident,"two\nlines"\na,m,2021,oops,incident,\n'
    )
    with pytest.raises(SerializationError, match=r"^obs\.csv:4: value: 'oops'"):
        parse_observations(text, source="obs.csv")


def test_text_starting_with_a_bom_is_read() -> None:
    [s] = parse_observations("\ufeff" + HEADER + "a,m,2020,1,incident\n")
    assert s.values.tolist() == [1.0]


@pytest.mark.parametrize("delimiter", ["", ";;", '"', "\n", 1])
def test_bad_delimiter_is_a_validation_error(delimiter: object) -> None:
    with pytest.raises(ValidationError, match="delimiter: expected one character"):
        parse_observations(HEADER, delimiter=delimiter)  # type: ignore[arg-type]


def test_semicolon_delimiter() -> None:
    [s] = parse_observations(HEADER.replace(",", ";") + "a;m;2020;1.5;incident\n", delimiter=";")
    assert s.values.tolist() == [1.5]


# -- checking a file against metric definitions ----------------------------------------------------


def test_check_observations_reports_every_row_problem_with_line_numbers(
    tmp_path: pathlib.Path,
) -> None:
    monthly = MetricDefinition(
        id="calls-answered", name="Calls", unit="call", plan=MetricPlan(frequency=MONTH)
    )
    text = HEADER + (
        "nola,murders,2012,193,kg\n"
        "nola,muders,2013,150,incident\n"
        "nola,calls-answered,2024,100,call\n"
        "nola,murders,2014,oops,incident\n"
    )
    path = tmp_path / "obs.csv"
    path.write_text(text, encoding="utf-8")
    problems = check_observations(path, definitions=[monthly])
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
        f"{path}:5",
    ]
    assert "'kg' cannot be converted to 'incident'" in problems[0]
    assert "did you mean 'murders'?" in problems[1]
    assert "is reported by month" in problems[2]
    assert "'oops' is not a number" in problems[3]
    assert check_observations(HEADER + "nola,murders,2012,193,incident\n") == []


# -- the shipped Table Schema is the reader's format -----------------------------------------------


def test_shipped_schema_lists_every_column_the_reader_knows_with_its_type() -> None:
    schema = observations_schema()
    fields = {f["name"]: f for f in schema["fields"]}
    assert tuple(fields) == RESERVED_COLUMNS
    assert {name: f["type"] for name, f in fields.items()} == dict(COLUMN_TYPES)
    for name in REQUIRED_COLUMNS[:3]:
        assert fields[name]["constraints"]["required"] is True
    for name, enum_type in (
        ("status", ObservationStatus),
        ("missing_reason", MissingReason),
        ("approval", ApprovalState),
    ):
        assert fields[name]["constraints"]["enum"] == [m.value for m in enum_type]
    assert schema["missingValues"] == [""]


@pytest.mark.parametrize("column", [c for c in OPTIONAL_COLUMNS if COLUMN_TYPES[c] != "string"])
def test_the_reader_refuses_text_in_a_number_or_integer_column(column: str) -> None:
    text = f"city,metric,period,value,unit,{column}\na,m,2020,,incident,abc\n"
    with pytest.raises(
        SerializationError,
        match=f"{column}: 'abc' is not a number|{column}: expected a whole number",
    ):
        parse_observations(text)


@pytest.mark.parametrize("column", [c for c in OPTIONAL_COLUMNS if COLUMN_TYPES[c] == "string"])
def test_the_reader_takes_every_string_column_as_a_column_not_a_dimension(column: str) -> None:
    text = f"city,metric,period,value,unit,{column}\na,m,2020,1,incident,\n"
    [s] = parse_observations(text)
    assert s.dimensions == ()


@given(
    st.lists(
        st.lists(
            st.text(alphabet=",a1 \x0c\u2028\x85\x1e\t;é", max_size=4), min_size=1, max_size=4
        ),
        max_size=6,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_the_direct_split_reads_what_the_csv_module_reads(
    rows: list[list[str]], delimiter: str
) -> None:
    from civicinnov.io.csv import _Problems, _split, _split_rows

    text = "\n".join(delimiter.join(r) for r in rows)
    if not text.strip("\n"):
        return
    fast = _split(text, delimiter, "f", fast_problems := _Problems("f"))
    slow = _split_rows(text, delimiter, "f", slow_problems := _Problems("f"))
    assert fast[0] == slow[0]
    assert [list(c) for c in fast[1]] == [list(c) for c in slow[1]]
    assert fast[2] == slow[2]
    assert [fast[3][i] for i in range(fast[2])] == [slow[3][i] for i in range(slow[2])]
    assert fast_problems.found == slow_problems.found


_WIDE = (
    "city,metric,period,value,unit,numerator,denominator,numerator_unit,denominator_unit,"
    "status,missing_reason,approval,recorded_at,version,observed,expected,narrative\n"
)
_CELLS = st.sampled_from(
    ["", "a", "m", "1", "0", "-1", "2", "2020", "2020-Q1", "final", "draft", "confidential",
     "incident", "km", "percent", "2024-01-01", "x y", "1e308", "nan", '"', "\r", "\x0c"]
)  # fmt: skip


@settings(max_examples=200)
@given(st.lists(st.lists(_CELLS, min_size=17, max_size=17), max_size=5))
def test_fuzz_every_column_raises_civic_errors_only(rows: list[list[str]]) -> None:
    body = "".join(",".join(r) + "\n" for r in rows)
    with contextlib.suppress(CivicError):
        parse_observations(_WIDE + body, source="fuzz.csv")
    with contextlib.suppress(CivicError):
        parse_observations(_WIDE + body, source="fuzz.csv", metrics=[CALLS_DEF, VACANCY])
    for problem in check_observations(_WIDE + "a,calls,2020,1,call" + "," * 12 + "\n" + body):
        assert problem.startswith("<string>")


def test_check_observations_lists_every_problem_not_the_first_twenty() -> None:
    rows = "".join(
        f"a,murders,{2000 + i},1,incident\na,murders,{2000 + i},2,incident\n" for i in range(30)
    )
    problems = check_observations(HEADER + rows)
    assert len(problems) == 30
    assert all("is already given on line" in p for p in problems)
