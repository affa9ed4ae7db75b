"""Amounts at and beyond the bounds: refused at once where they enter, handled fully within them.

The probe of the loaders found amounts that made formatting raise ``decimal.InvalidOperation``
(``1e98``), take 34 s and 8.8 GB (``1e-999999999``) or run out of memory
(``1e-999999999999999999``). Each has a regression test; hypothesis then checks that every amount
that is accepted formats, rounds, allocates and parses back equal, and that arbitrary text raises
nothing but a CivicError.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from civicinnov.errors import CivicError, MoneyError, SerializationError
from civicinnov.io.serde import structure
from civicinnov.money import ISO_4217, MAX_AMOUNT, MAX_DECIMAL_PLACES, Money, Rate, RateTable

RANGE = r"expected an amount of at most 10\^18 in size with at most 20 decimal places"


# -- the inputs the probe found --------------------------------------------------------------------


def test_a_huge_amount_is_refused_at_construction_not_when_written() -> None:
    # str(Money.of("1e98", "USD")) used to raise decimal.InvalidOperation
    with pytest.raises(MoneyError, match=rf"^\$.grant.amount: '1e98' is too large; {RANGE}$"):
        Money.of("1e98", "USD", where="$.grant.amount")
    with pytest.raises(MoneyError, match=r"^Money.amount: Decimal\('1E\+98'\) is too large"):
        Money(amount=Decimal("1e98"), currency="USD")


@pytest.mark.parametrize("text", ["1e-999999999", "1e-999999999999999999", "-1E-21"])
def test_a_vanishing_amount_is_refused_at_once(text: str) -> None:
    with pytest.raises(
        MoneyError, match=rf"^\$.funding\[0\].amount: '{text}' is too small to hold; "
    ):
        Money.of(text, "USD", where="$.funding[0].amount")


def test_amounts_with_too_many_places_are_refused_and_trailing_zeros_dropped() -> None:
    with pytest.raises(
        MoneyError, match=rf"'0.123456789012345678901' has 21 decimal places; {RANGE}"
    ):
        Money.of("0.123456789012345678901", "USD")
    padded = Money.of("1." + "0" * 40, "USD")
    assert padded == Money.of(1, "USD")
    assert padded.amount.as_tuple().exponent == -MAX_DECIMAL_PLACES
    assert Money.of("0E-999999999", "USD").amount == 0
    assert Money.of("0E+999999999", "USD").amount.as_tuple().exponent == 0


def test_the_bounds_themselves_are_accepted_and_work() -> None:
    for text in ("1e18", "-1e18", "1e-20", "-999999999999999999.99999999999999999999"):
        m = Money.of(text, "USD")
        assert Money.parse(str(m)) == m
        r = m.rounded()
        assert sum(r.allocate(7)) == r
    assert Money.of(MAX_AMOUNT, "EUR").rounded(-18) == Money.of(MAX_AMOUNT, "EUR")
    # negation and abs are exact (unary minus on a Decimal used to round to 28 digits)
    long = Money.of("-999999999999999999.99999999999999999999", "USD")
    assert (-long).amount == Decimal("999999999999999999.99999999999999999999")
    assert abs(long) == -long
    assert Money.parse("-USD 999999999999999999.99999999999999999999") == long
    with pytest.raises(MoneyError, match="is too large"):
        Money.of(10**18 + 1, "USD")


def test_giant_integers_and_long_text_are_refused_before_conversion() -> None:
    with pytest.raises(
        MoneyError, match=r"^Money.amount: 1000000000000000000000000000000000000000000"
    ):
        Money.of(10**4000, "USD")
    with pytest.raises(
        MoneyError, match="a number written in 101 characters; expected at most 100"
    ):
        Money.of("1" * 101, "USD")


def test_parse_refuses_an_amount_outside_the_bounds_naming_where() -> None:
    with pytest.raises(
        MoneyError, match=rf"^obs.csv line 4: 'USD 2,000,000 tn' is too large; {RANGE}"
    ):
        Money.parse("USD 2,000,000 tn", where="obs.csv line 4")
    with pytest.raises(MoneyError, match=r"^obs.csv line 4: '9{95}' is too large|^obs.csv"):
        Money.parse("$" + "9" * 95 + "tn", where="obs.csv line 4")
    assert Money.parse("USD 1,000,000 tn") == Money.of(MAX_AMOUNT, "USD")


def test_arithmetic_that_leaves_the_bounds_is_a_money_error() -> None:
    big = Money.of(MAX_AMOUNT, "USD")
    with pytest.raises(MoneyError, match="is too large"):
        big + Money.of(1, "USD")
    with pytest.raises(MoneyError, match="is too large"):
        big * 2
    with pytest.raises(MoneyError, match="is too small to hold"):
        Money.of("1e-20", "USD") * Decimal("0.1")
    with pytest.raises(MoneyError, match=r"factor: Decimal\('1E-999999999'\) is out of range"):
        big * Decimal("1e-999999999")
    with pytest.raises(MoneyError, match=r"divisor: Decimal\('1E-41'\) is out of range"):
        big / Decimal("1e-41")
    with pytest.raises(
        MoneyError, match=r"factor: Decimal\('1\.0+\.\.\. is out of range; expected a number"
    ):
        big * Decimal("1." + "0" * 50)


def test_rounding_places_and_allocation_parts_are_bounded() -> None:
    m = Money.of("1.5", "USD")
    with pytest.raises(MoneyError, match="rounded: expected places from -18 to 20, got 1000000000"):
        m.rounded(10**9)
    with pytest.raises(MoneyError, match="rounded: expected places from -18 to 20, got -19"):
        m.rounded(-19)
    with pytest.raises(MoneyError, match=r"rounded: expected a whole number of places, got 1\.5"):
        m.rounded(1.5)  # type: ignore[arg-type]
    with pytest.raises(
        MoneyError, match="expected a number of parts from 1 to 100,000, got 1000000000"
    ):
        m.allocate(10**9)
    assert len(Money.of(1000, "USD").allocate(100_000)) == 100_000


def test_exchange_rates_are_bounded() -> None:
    with pytest.raises(MoneyError, match=r"^Rate.rate: '1e-999999999' is out of range"):
        Rate(source="USD", target="EUR", on="2024-01-01", rate="1e-999999999")
    table = RateTable.of(("USD", "EUR", "2024-01-01", "1e40"))
    with pytest.raises(MoneyError, match="is too large"):
        Money.of(1, "USD").convert("EUR", table, dt.date(2024, 2, 1))


# -- properties ------------------------------------------------------------------------------------


@st.composite
def bounded_money(draw: st.DrawFn) -> Money:
    places = draw(st.integers(min_value=0, max_value=MAX_DECIMAL_PLACES))
    amount = draw(
        st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=places, allow_nan=False)
        | st.sampled_from([MAX_AMOUNT, -MAX_AMOUNT, Decimal("1e-20"), Decimal("-0.5")])
    )
    return Money.of(amount, draw(st.sampled_from(sorted(ISO_4217))))


@given(bounded_money(), st.integers(min_value=1, max_value=50))
@settings(max_examples=300, deadline=None)
def test_every_money_formats_rounds_allocates_and_parses_back(m: Money, parts: int) -> None:
    assert Money.parse(str(m)) == m
    rounded = m.rounded()
    assert Money.parse(rounded.format()) == rounded
    pieces = rounded.allocate(parts)
    assert sum(pieces, Money.zero(m.currency)) == rounded
    assert max(pieces) - min(pieces) <= Money.of(Decimal(1).scaleb(-m.minor_units), m.currency)
    for places in (-18, -3, 0, 2, 20):
        assert Money.parse(str(m.rounded(places))) == m.rounded(places)


_NUMBER_TEXT = st.from_regex(r"\A[-+]?[0-9]{0,45}(\.[0-9]{0,45})?([eE][-+]?[0-9]{1,25})?\Z")


@given(_NUMBER_TEXT)
@settings(max_examples=400, deadline=None)
def test_any_decimal_text_is_either_refused_or_fully_usable(text: str) -> None:
    try:
        m = Money.of(text, "JPY")
    except MoneyError:
        return
    assert Money.parse(str(m)) == m
    assert sum(m.rounded().allocate(3)) == m.rounded()


@given(st.text(max_size=120))
@settings(max_examples=400, deadline=None)
def test_arbitrary_text_raises_only_civic_errors(text: str) -> None:
    for attempt in (lambda: Money.parse(text), lambda: Money.of(text, "USD")):
        try:
            m = attempt()
        except CivicError:
            continue
        assert Money.parse(str(m)) == m


_MONEY_PIECES = st.sampled_from(
    ["$", "US$", "€", "USD", " ", "-", "1", "9", "0", ",", ".", "000", "k", "m", "bn", "tn", "e"]
)


@given(st.lists(_MONEY_PIECES, max_size=40).map("".join))
@settings(max_examples=600, deadline=None)
def test_text_built_from_amount_pieces_raises_only_civic_errors(text: str) -> None:
    try:
        m = Money.parse(text)
    except CivicError:
        return
    assert Money.parse(str(m)) == m


@pytest.mark.parametrize("amount", ["1e-999999999", "1e-999999999999999999", "1e98"])
def test_a_hostile_amount_in_a_document_is_refused_on_loading(amount: str) -> None:

    with pytest.raises(
        SerializationError, match=r"Money.amount: Decimal\('1E.*'\) is too (small|large)"
    ):
        structure({"amount": amount, "currency": "USD"}, Money)
