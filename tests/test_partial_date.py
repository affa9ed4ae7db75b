"""PartialDate: a date known to the year, the month or the day, and what a record does with it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from tests.strategies import dates, partial_dates

from civicinnov.errors import SerializationError, ValidationError
from civicinnov.io import new_converter
from civicinnov.io.serde import structure
from civicinnov.model import CohortMember, DatePrecision, PartialDate
from civicinnov.programme import Source


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2017", DatePrecision.YEAR, dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2017-07", DatePrecision.MONTH, dt.date(2017, 7, 1), dt.date(2017, 7, 31)),
        ("2016-02", DatePrecision.MONTH, dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2017-07-11", DatePrecision.DAY, dt.date(2017, 7, 11), dt.date(2017, 7, 11)),
    ],
)
def test_parse_keeps_the_precision(
    text: str, precision: DatePrecision, earliest: dt.date, latest: dt.date
) -> None:
    d = PartialDate.parse(text)
    assert (d.precision, d.earliest, d.latest, str(d)) == (precision, earliest, latest, text)


@pytest.mark.parametrize(
    "bad",
    ["July 2017", "2017-7", "2017-13", "2017-02-30", "17", "2017-07-11T00:00", "", 2017, None],
)
def test_parse_refuses_what_is_not_a_date(bad: object) -> None:
    with pytest.raises(ValidationError, match=r"^\$\.published: "):
        PartialDate.parse(bad, where="$.published")


def test_a_day_needs_a_month() -> None:
    with pytest.raises(ValidationError, match=r"a day .* without a month"):
        PartialDate(year=2017, day=11)
    with pytest.raises(ValidationError, match="expected an integer"):
        PartialDate(year=2017, month=True)


def test_a_month_is_not_its_first_day() -> None:
    assert PartialDate.parse("2017-07") != PartialDate.parse("2017-07-01")
    assert PartialDate.parse(dt.date(2017, 7, 1)) == PartialDate.parse("2017-07-01")
    with pytest.raises(TypeError):
        PartialDate.parse("2017") < PartialDate.parse("2018")  # type: ignore[operator]  # noqa: B015


def test_before_is_certain_or_possible() -> None:
    year, july, day = map(PartialDate.parse, ("2017", "2017-07", "2017-07-11"))
    assert not year.certainly_before(july)
    assert year.may_be_before(july)
    assert july.may_be_before(day)
    assert not day.may_be_before(july.earliest)
    assert PartialDate.parse("2017-06").certainly_before(july)
    assert july.certainly_before(dt.date(2017, 8, 1))
    assert not july.certainly_before(dt.date(2017, 7, 31))


@given(partial_dates())
def test_iso_text_round_trips(d: PartialDate) -> None:
    assert PartialDate.parse(d.isoformat()) == d
    assert d.earliest <= d.latest
    assert d.contains(d.earliest)
    assert d.contains(d.latest)


@given(partial_dates(), partial_dates())
def test_certainly_before_is_a_strict_order(a: PartialDate, b: PartialDate) -> None:
    assert not (a.certainly_before(b) and b.certainly_before(a))
    if a.certainly_before(b):
        assert a.may_be_before(b)
        assert a.sort_key < b.sort_key
    assert a.certainly_before(b) == (a.latest < b.earliest)


@given(partial_dates(), dates)
def test_contains_matches_the_bounds(d: PartialDate, day: dt.date) -> None:
    assert d.contains(day) == (not d.certainly_before(day) and not day < d.earliest)


@given(partial_dates())
def test_serde_writes_iso_text_at_its_precision(d: PartialDate) -> None:
    conv = new_converter()
    source = Source(id="s", title="T", published=d)
    data = conv.unstructure(source)
    assert data["published"] == d.isoformat()
    assert conv.structure(data, Source) == source


def test_serde_reads_old_day_dates_and_refuses_junk() -> None:
    conv = new_converter()
    old = conv.structure({"id": "s", "title": "T", "published": "2017-07-11"}, Source)
    assert old.published == PartialDate(year=2017, month=7, day=11)
    with pytest.raises(SerializationError, match=r"\$\.published: expected a date such as '2017'"):
        structure({"id": "s", "title": "T", "published": "July 2017"}, Source)
    with pytest.raises(SerializationError, match=r"\$\.published: expected a date such as '2017'"):
        structure({"id": "s", "title": "T", "published": 2017}, Source)


def test_a_member_joining_in_a_reported_month() -> None:
    m = CohortMember(city_id="toulouse", joined="2017-07-11", joined_reported="2017-07")
    assert m.joined_reported == PartialDate(year=2017, month=7)
    with pytest.raises(ValidationError, match="expected joined to be one of the days 2017-07"):
        CohortMember(city_id="toulouse", joined="2017-08-01", joined_reported="2017-07")
    with pytest.raises(ValidationError, match="expected a date such as 2017"):
        CohortMember(city_id="toulouse", joined="2017-07-11", joined_reported="mid-2017")
