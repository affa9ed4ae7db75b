"""Hostile period ids, type codes and ordinals: only PeriodError (a CivicError) ever escapes.

Period ids arrive from CSV cells and JSON fields. The parser reads at most 64 characters with
anchored patterns, and every period stays within the years 1 to 9999 (an ordinal such as 1000000
in a document used to surface as an AttributeError deep inside a report).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from civicinnov.errors import CivicError, PeriodError
from civicinnov.periods import (
    DAY,
    MONTH,
    QUARTER,
    WEEK,
    YEAR,
    Period,
    PeriodType,
    fiscal_month,
    fiscal_quarter,
    fiscal_year,
    parse_period,
    parse_period_type,
)

ALL_TYPES = [
    DAY,
    WEEK,
    MONTH,
    QUARTER,
    YEAR,
    *(make(m) for make in (fiscal_year, fiscal_quarter, fiscal_month) for m in (1, 4, 7, 10, 12)),
]


@pytest.mark.parametrize("pt", ALL_TYPES, ids=lambda pt: pt.code)
@pytest.mark.parametrize("ordinal", [3 * 10**6, -(10**6), 10**12, -(2**62)])
def test_an_ordinal_beyond_the_calendar_is_a_period_error(pt: PeriodType, ordinal: int) -> None:
    with pytest.raises(PeriodError, match="outside the years 1 to 9999"):
        pt.period(ordinal)
    with pytest.raises(PeriodError, match="outside the years 1 to 9999"):
        pt.label(ordinal)


def test_a_non_integer_ordinal_is_a_period_error() -> None:
    with pytest.raises(PeriodError, match=r"expected an integer month ordinal, got float 1\.5"):
        MONTH.bounds(1.5)  # type: ignore[arg-type]
    with pytest.raises(PeriodError, match="expected an integer year ordinal, got bool True"):
        YEAR.label(True)


def test_the_edges_of_the_calendar() -> None:
    assert parse_period("0001-01-01").start == dt.date(1, 1, 1)
    assert parse_period("9999-Q4").end == dt.date(9999, 12, 31)
    assert parse_period("FY9999-M12", fiscal_start_month=7).end == dt.date(9999, 6, 30)
    assert parse_period("FY0001-M07", fiscal_start_month=7).start == dt.date(1, 1, 1)
    with pytest.raises(PeriodError, match=r"'FY0001-M06': .* outside the years 1 to 9999"):
        parse_period("FY0001-M06", fiscal_start_month=7)
    with pytest.raises(PeriodError, match="period id '0000': year 0 is out of range"):
        parse_period("0000")


def test_long_text_is_refused_unread() -> None:
    with pytest.raises(PeriodError, match="period id of 1000000 characters; expected at most 64"):
        parse_period("2024" * 250_000)


@pytest.mark.parametrize(
    "value", [np.datetime64("NaT"), np.datetime64("-2000-01-01"), np.datetime64("12000-01-01")]
)
def test_dates_outside_the_calendar_are_refused(value: np.datetime64) -> None:
    with pytest.raises(PeriodError, match="expected a date within the years 1 to 9999"):
        Period(start=value, end=value)


def test_parse_labels_refuses_bad_items_with_period_errors() -> None:
    with pytest.raises(PeriodError, match="is not a period id"):
        MONTH.parse_labels(["2024-01", "2024-1"])
    with pytest.raises(
        PeriodError, match="is a quarter id; expected a fiscal quarter from July id"
    ):
        fiscal_quarter(7).parse_labels(["2024-Q1"])
    assert fiscal_quarter(7).parse_labels(["FY2024-Q1"]).tolist() == [
        fiscal_quarter(7).ordinal_of(dt.date(2023, 7, 1))
    ]


_ID_PIECES = st.sampled_from(
    ["FY", "20", "24", "-", "Q", "M", "W", "H", "0", "1", "9", "/", "13", "00", " ", "\n", "٣"]
)


@given(st.lists(_ID_PIECES, max_size=12).map("".join), st.none() | st.integers(-2, 14))
@settings(max_examples=800, deadline=None)
def test_text_built_from_id_pieces_raises_only_period_errors(
    text: str, start_month: int | None
) -> None:
    try:
        period = parse_period(text, fiscal_start_month=start_month)
    except PeriodError:
        return
    assert period.start <= period.end
    if period.type is not None:
        assert parse_period(period.id, fiscal_start_month=start_month) == period


@given(st.text(max_size=80), st.none() | st.integers(1, 12))
@settings(max_examples=500, deadline=None)
def test_arbitrary_text_raises_only_civic_errors(text: str, start_month: int | None) -> None:
    for attempt in (
        lambda: Period.parse(text, fiscal_start_month=start_month),
        lambda: parse_period_type(text),
        lambda: MONTH.parse_label(text),
    ):
        try:
            attempt()
        except CivicError:
            continue


@given(st.sampled_from(ALL_TYPES), st.integers(min_value=-(2**63), max_value=2**63 - 1))
@settings(max_examples=500, deadline=None)
def test_any_int64_ordinal_is_a_period_or_a_period_error(pt: PeriodType, ordinal: int) -> None:
    try:
        period = pt.period(ordinal)
    except PeriodError:
        return
    assert pt.parse_label(period.id) == ordinal
