"""Tests for civicinnov.periods: period types, ids, fiscal years and vectorised ordinals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, strategies as st

from civicinnov.errors import PeriodError, ValidationError
from civicinnov.io.serde import structure, unstructure
from civicinnov.periods import (
    DAY,
    HALF,
    MONTH,
    QUARTER,
    WEEK,
    YEAR,
    Frequency,
    Period,
    PeriodType,
    fiscal_month,
    fiscal_quarter,
    fiscal_year,
    parse_period,
    parse_period_type,
)

TYPES = [DAY, WEEK, MONTH, QUARTER, HALF, YEAR, *(fiscal_year(m) for m in range(1, 13))]
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
period_types = st.sampled_from(TYPES)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-03-15", "2024-03-15", "2024-03-15"),
        ("2024-W01", "2024-01-01", "2024-01-07"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2024-Q4", "2024-10-01", "2024-12-31"),
        ("2024-H1", "2024-01-01", "2024-06-30"),
        ("2024", "2024-01-01", "2024-12-31"),
        ("2024-01-10/2024-02-20", "2024-01-10", "2024-02-20"),
    ],
)
def test_parse_period(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.id == text


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        (7, "2024-07-01", "2025-06-30"),
        (4, "2024-04-01", "2025-03-31"),
        (10, "2024-10-01", "2025-09-30"),
        (1, "2025-01-01", "2025-12-31"),
    ],
)
def test_fiscal_year_is_named_by_its_end(month: int, start: str, end: str) -> None:
    period = parse_period("FY2025", fiscal_start_month=month)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.type == fiscal_year(month)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "month 13 is not between 1 and 12"),
        ("2024-02-30", "day is out of range"),
        ("2024-W60", "period id '2024-W60'"),
        ("Q1 2024", "is not a period id"),
        ("FY2025", "give fiscal_start_month"),
        ("2024-02-01/2024-01-01", "is before start"),
    ],
)
def test_bad_period_ids(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_period_error_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse_period(2024)  # type: ignore[arg-type]


def test_typed_period_must_cover_its_whole_period() -> None:
    with pytest.raises(
        PeriodError, match=r"is not one month period; expected 2024-01-01\.\.2024-01-31"
    ):
        Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 30), type=MONTH)


def test_start_month_only_for_fiscal_years() -> None:
    with pytest.raises(PeriodError, match="only fiscal periods have a start month"):
        PeriodType(frequency=Frequency.YEAR, start_month=4)
    with pytest.raises(PeriodError, match="expected a month number from 1 to 12, got 13"):
        fiscal_year(13)


def test_periods_sort_by_start() -> None:
    periods = [parse_period(t) for t in ["2024-Q2", "2023", "2024-01"]]
    assert [p.id for p in sorted(periods)] == ["2023", "2024-01", "2024-Q2"]


def test_containment_and_overlap() -> None:
    q1 = parse_period("2024-Q1")
    assert dt.date(2024, 2, 29) in q1
    assert dt.date(2024, 4, 1) not in q1
    assert q1.overlaps(parse_period("2024-03"))
    assert not q1.overlaps(parse_period("2024-04"))


def test_resampling_rules() -> None:
    assert MONTH.nests_in(QUARTER)
    assert QUARTER.nests_in(fiscal_year(10))
    assert not QUARTER.nests_in(fiscal_year(2))
    assert not WEEK.nests_in(MONTH)
    with pytest.raises(PeriodError, match="cannot resample week periods to month periods"):
        WEEK.convert([0], MONTH)


@given(period_types, dates)
def test_period_ids_round_trip(ptype: PeriodType, day: dt.date) -> None:
    period = ptype.period(ptype.ordinal_of(day))
    assert day in period
    again = parse_period(period.id, fiscal_start_month=ptype.start_month)
    assert again == period
    assert ptype.parse_label(period.id) == ptype.ordinal_of(day)


@given(period_types, dates)
def test_consecutive_ordinals_are_adjacent_periods(ptype: PeriodType, day: dt.date) -> None:
    ordinal = ptype.ordinal_of(day)
    assert ptype.starts(ordinal + 1)[()] == ptype.ends(ordinal)[()] + np.timedelta64(1, "D")


@given(st.lists(dates, min_size=1, max_size=50), period_types, period_types)
def test_convert_matches_direct_ordinals(
    days: list[dt.date], fine: PeriodType, coarse: PeriodType
) -> None:
    arr = np.array(days, dtype="datetime64[D]")
    if fine.nests_in(coarse):
        np.testing.assert_array_equal(
            fine.convert(fine.ordinals_of(arr), coarse), coarse.ordinals_of(arr)
        )


def test_vectorised_labels() -> None:
    ords = MONTH.parse_labels(np.array(["2024-01", "2024-12"]))
    assert MONTH.labels(ords) == ["2024-01", "2024-12"]
    assert QUARTER.parse_labels(["2024-Q1", "2024-Q4"]).tolist() == [216, 219]
    assert DAY.parse_labels(["1970-01-02"]).tolist() == [1]


# -- fiscal calendars ------------------------------------------------------------------------------

FISCAL_TYPES = [
    make(m) for make in (fiscal_year, fiscal_quarter, fiscal_month) for m in range(1, 13)
]


@pytest.mark.parametrize(
    ("text", "start_month", "start", "end"),
    [
        ("FY2025-Q1", 7, "2024-07-01", "2024-09-30"),
        ("FY2025-Q4", 7, "2025-04-01", "2025-06-30"),
        ("FY2025-Q1", 10, "2024-10-01", "2024-12-31"),
        ("FY2025-Q1", 2, "2024-02-01", "2024-04-30"),
        ("FY2024-Q1", 1, "2024-01-01", "2024-03-31"),
        ("FY2025-M01", 7, "2024-07-01", "2024-07-31"),
        ("FY2025-M12", 7, "2025-06-01", "2025-06-30"),
        ("FY2024-M08", 7, "2024-02-01", "2024-02-29"),
        ("FY2025-M01", 1, "2025-01-01", "2025-01-31"),
        ("FY2025", 4, "2024-04-01", "2025-03-31"),
    ],
)
def test_fiscal_quarters_and_months(text: str, start_month: int, start: str, end: str) -> None:
    period = parse_period(text, fiscal_start_month=start_month)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.id == text
    assert period.type is not None
    assert period.type.start_month == start_month
    assert period.days == (period.end - period.start).days + 1


def test_a_fiscal_year_is_named_by_the_year_it_ends_in() -> None:
    for make in (fiscal_year, fiscal_quarter, fiscal_month):
        for start_month in range(1, 13):
            pt = make(start_month)
            last_day = pt.period(pt.ordinal_of(dt.date(2025, start_month, 1)) - 1).end
            assert pt.label(pt.ordinal_of(last_day)).startswith(f"FY{last_day.year}")


@given(st.sampled_from(FISCAL_TYPES), dates)
def test_fiscal_ids_round_trip(pt: PeriodType, day: dt.date) -> None:
    ordinal = pt.ordinal_of(day)
    period = pt.period(ordinal)
    assert period.start <= day <= period.end
    parsed = parse_period(period.id, fiscal_start_month=pt.start_month)
    assert parsed == period
    assert pt.parse_label(period.id) == ordinal
    assert parse_period_type(pt.code) == pt


@given(st.sampled_from(FISCAL_TYPES), st.lists(dates, min_size=1, max_size=30))
def test_fiscal_ordinals_are_vectorised_and_consecutive(
    pt: PeriodType, days: list[dt.date]
) -> None:
    array = np.array(days, dtype="datetime64[D]")
    ordinals = pt.ordinals_of(array)
    assert ordinals.tolist() == [pt.ordinal_of(d) for d in days]
    starts, ends = pt.starts(ordinals), pt.ends(ordinals)
    assert np.all(starts <= array)
    assert np.all(array <= ends)
    assert np.all(pt.starts(ordinals + 1) == ends + np.timedelta64(1, "D"))
    assert pt.parse_labels(pt.labels(ordinals)).tolist() == ordinals.tolist()


def test_months_convert_to_fiscal_quarters_and_back_to_months() -> None:
    months = MONTH.parse_labels(["2024-06", "2024-07", "2024-08", "2024-09", "2024-10"])
    fq = fiscal_quarter(7)
    assert fq.labels(MONTH.convert(months, fq)) == [
        "FY2024-Q4",
        "FY2025-Q1",
        "FY2025-Q1",
        "FY2025-Q1",
        "FY2025-Q2",
    ]
    fm = fiscal_month(7)
    assert fm.labels(MONTH.convert(months, fm)) == [
        "FY2024-M12",
        "FY2025-M01",
        "FY2025-M02",
        "FY2025-M03",
        "FY2025-M04",
    ]
    assert fm.convert(MONTH.convert(months, fm), MONTH).tolist() == months.tolist()
    # calendar and fiscal quarters name the same three months when the year starts in July
    quarters = QUARTER.parse_labels(["2024-Q3", "2024-Q4"])
    assert fq.labels(QUARTER.convert(quarters, fq)) == ["FY2025-Q1", "FY2025-Q2"]
    assert QUARTER.labels(fq.convert(QUARTER.convert(quarters, fq), QUARTER)) == [
        "2024-Q3",
        "2024-Q4",
    ]
    assert fiscal_quarter(7).labels(fiscal_month(7).convert([0, 2, 3], fiscal_quarter(7))) == [
        "FY1970-Q1",
        "FY1970-Q1",
        "FY1970-Q2",
    ]


@pytest.mark.parametrize(
    ("finer", "coarser", "nests"),
    [
        (MONTH, fiscal_quarter(2), True),
        (fiscal_month(2), QUARTER, True),
        (QUARTER, fiscal_quarter(7), True),
        (QUARTER, fiscal_quarter(2), False),
        (fiscal_quarter(2), YEAR, False),
        (fiscal_quarter(7), YEAR, True),
        (fiscal_quarter(7), fiscal_year(7), True),
        (fiscal_quarter(7), fiscal_year(8), False),
        (fiscal_quarter(7), HALF, True),
        (WEEK, fiscal_month(7), False),
        (DAY, fiscal_quarter(11), True),
    ],
)
def test_which_fiscal_periods_nest(finer: PeriodType, coarser: PeriodType, nests: bool) -> None:
    assert finer.nests_in(coarser) is nests
    if not nests:
        with pytest.raises(PeriodError, match="does not always fall within one"):
            finer.convert([0], coarser)


def test_is_finer_than_ranks_fiscal_periods_by_length() -> None:
    assert MONTH.is_finer_than(fiscal_quarter(7))
    assert fiscal_month(7).is_finer_than(QUARTER)
    assert fiscal_quarter(7).is_finer_than(fiscal_year(7))
    assert not fiscal_month(7).is_finer_than(MONTH)
    assert not MONTH.is_finer_than(fiscal_month(7))
    assert not YEAR.is_finer_than(fiscal_year(7))


def test_expected_counts_give_the_coverage_of_a_partial_fiscal_year() -> None:
    # Jan-Jun 2024 resampled to a July fiscal year: all six months fall in FY2024, of 12 expected.
    fy = fiscal_year(7)
    months = MONTH.parse_labels([f"2024-{m:02d}" for m in range(1, 7)])
    years, present = np.unique(MONTH.convert(months, fy), return_counts=True)
    expected = fy.expected_counts(years, MONTH)
    assert fy.labels(years) == ["FY2024"]
    assert present.tolist() == [6]
    assert expected.tolist() == [12]
    assert fy.expected_counts(years, fiscal_quarter(7)).tolist() == [4]
    assert fy.expected_counts(years, QUARTER).tolist() == [4]
    assert fy.expected_counts(years, DAY).tolist() == [366]  # July 2023 to June 2024
    assert fiscal_quarter(7).expected_counts(
        fiscal_quarter(7).parse_labels(["FY2024-Q3", "FY2025-Q1"]), DAY
    ).tolist() == [91, 92]
    with pytest.raises(PeriodError, match="cannot count week periods in month periods"):
        MONTH.expected_counts([0], WEEK)
    with pytest.raises(PeriodError, match="cannot count quarter periods in fiscal year from"):
        fiscal_year(8).expected_counts([0], QUARTER)


def test_split_lists_the_calendar_months_of_a_fiscal_quarter() -> None:
    q = parse_period("FY2025-Q3", fiscal_start_month=7)
    assert [p.id for p in q.split(MONTH)] == ["2025-01", "2025-02", "2025-03"]
    assert [p.id for p in q.split(fiscal_month(7))] == ["FY2025-M07", "FY2025-M08", "FY2025-M09"]
    assert len(parse_period("2024-02").split(DAY)) == 29
    with pytest.raises(PeriodError, match="is not a whole number of quarter periods"):
        parse_period("FY2025-Q1", fiscal_start_month=8).split(QUARTER)
    with pytest.raises(PeriodError, match="split: expected a PeriodType, got str"):
        q.split("month")  # type: ignore[arg-type]


def test_as_type_names_the_same_days_in_another_calendar() -> None:
    assert parse_period("2024-07").as_type(fiscal_month(7)).id == "FY2025-M01"
    assert parse_period("FY2025-M01", fiscal_start_month=7).as_type(MONTH).id == "2024-07"
    assert parse_period("2024").as_type(fiscal_year(1)).id == "FY2024"
    with pytest.raises(
        PeriodError, match="is not one fiscal quarter from August period; expected 2024-02-01"
    ):
        parse_period("2024-Q2").as_type(fiscal_quarter(7)).as_type(fiscal_quarter(8))


@pytest.mark.parametrize(
    ("text", "start_month", "message"),
    [
        ("FY2025-Q1", None, r"'FY2025-Q1' is a fiscal quarter; give fiscal_start_month"),
        ("FY2025-M01", None, r"'FY2025-M01' is a fiscal month; give fiscal_start_month"),
        ("FY2025-Q5", 7, r"'FY2025-Q5' is not a period id; expected one of .*'FY2025-Q1'"),
        ("FY2025-M13", 7, r"period id 'FY2025-M13': fiscal month 13 is not between 1 and 12"),
        ("FY2025-M00", 7, r"fiscal month 0 is not between 1 and 12"),
        ("FY2025-M1", 7, r"is not a period id"),
        ("FY0001", 7, r"'FY0001': the fiscal year from July .* outside the years 1 to 9999"),
        ("FY0001-Q1", 7, r"outside the years 1 to 9999"),
        ("FY2025-Q1", 13, r"start_month: expected a month number from 1 to 12, got 13"),
    ],
)
def test_bad_fiscal_ids(text: str, start_month: int | None, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text, fiscal_start_month=start_month)


@pytest.mark.parametrize(
    "code",
    ["fiscal_year", "fiscal_quarter:0", "fiscal_month:13", "month:7", "Month", "", "x" * 100, 7],
)
def test_bad_period_type_codes(code: object) -> None:
    with pytest.raises(PeriodError, match=r"^\$.metrics\[0\].period_type: expected 'day'"):
        parse_period_type(code, where="$.metrics[0].period_type")  # type: ignore[arg-type]


def test_period_type_codes_round_trip() -> None:
    for pt in [*TYPES, *FISCAL_TYPES]:
        assert parse_period_type(pt.code) == pt
    assert fiscal_quarter(7).code == "fiscal_quarter:7"


def test_fiscal_period_types_round_trip_through_documents() -> None:
    for pt in (fiscal_quarter(7), fiscal_month(10), fiscal_year(4), MONTH):
        assert structure(unstructure(pt), PeriodType) == pt
