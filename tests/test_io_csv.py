"""Observations CSV: columnar parsing into series, and every bad row with its line number."""

from __future__ import annotations

import contextlib
import pathlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from tests.portfolio_strategies import series

from civicinnov.errors import CivicError, SerializationError
from civicinnov.io.csv import (
    format_observations,
    parse_observations,
    read_observations,
    write_observations,
)
from civicinnov.metrics.definition import MeasureKind, MetricDefinition, TemporalAggregation
from civicinnov.metrics.series import MetricSeries
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
        r"already given on line 2; expected each period once$",
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
    from civicinnov.metrics.catalog import MetricCatalog

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
    from civicinnov.metrics.catalog import MetricCatalog

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
