"""Tests for civicinnov.periods: period types, ids, fiscal years and vectorised ordinals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, strategies as st

from civicinnov.errors import PeriodError, ValidationError
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
    fiscal_year,
    parse_period,
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
    with pytest.raises(PeriodError, match="only fiscal years have a start month"):
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
