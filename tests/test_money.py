"""Tests for civicinnov.money: exact arithmetic, currency mixing, parsing, formatting, rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from tests.strategies import amounts, currencies, money

from civicinnov.errors import CivicError, MoneyError
from civicinnov.money import ISO_4217, Money, Rate, RateTable

USD = "USD"


def usd(amount: str | int) -> Money:
    return Money(amount=Decimal(amount), currency=USD)


# -- construction ------------------------------------------------------------------------------


def test_money_is_frozen_and_hashable() -> None:
    m = usd(5)
    with pytest.raises(AttributeError):
        m.amount = Decimal(6)  # type: ignore[misc]
    assert hash(m) == hash(usd(5))
    assert {m, usd("5.00")} == {m}


@pytest.mark.parametrize("amount", [5, "5", Decimal("5"), "5.00", 5.0])
def test_amount_inputs(amount: object) -> None:
    assert Money(amount=amount, currency="usd") == usd(5)  # type: ignore[arg-type]


def test_float_is_converted_through_its_shortest_text() -> None:
    assert Money(amount=0.1, currency=USD).amount == Decimal("0.1")
    assert Money(amount=0.1, currency=USD) * 3 == usd(0) + Money.of("0.3", USD)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "NaN", "Infinity"])
def test_non_finite_amounts_are_refused(bad: object) -> None:
    with pytest.raises(MoneyError, match=r"Money.amount: expected a finite number"):
        Money(amount=bad, currency=USD)  # type: ignore[arg-type]


def test_bool_and_junk_amounts_are_refused() -> None:
    with pytest.raises(MoneyError, match=r"Money.amount: expected a number, got bool True"):
        Money(amount=True, currency=USD)
    with pytest.raises(MoneyError, match=r"Money.amount: expected a decimal number .*'12 dollars'"):
        Money(amount="12 dollars", currency=USD)  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match=r"expected an int, Decimal or decimal text, got list"):
        Money(amount=[1], currency=USD)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["EURO", "XYZ", "", "US", 840])
def test_unknown_currency_is_refused(code: object) -> None:
    with pytest.raises(
        MoneyError, match=r"Money.currency: expected an ISO 4217 code such as 'USD'"
    ):
        Money(amount=1, currency=code)  # type: ignore[arg-type]


def test_currency_is_upper_cased() -> None:
    assert Money(amount=1, currency=" eur ").currency == "EUR"


def test_iso_table_has_the_programme_currencies() -> None:
    assert {"USD", "EUR", "GBP", "ILS", "CAD", "MXN", "AUD", "NZD", "JPY"} <= ISO_4217
    assert all(len(c) == 3 and c.isupper() for c in ISO_4217)


def test_money_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(amount=1, currency="ZZZ")
    assert issubclass(MoneyError, CivicError)


# -- arithmetic ----------------------------------------------------------------------------------


def test_arithmetic_within_a_currency() -> None:
    a, b = usd("1.10"), usd("2.20")
    assert a + b == usd("3.30")
    assert b - a == usd("1.10")
    assert -a == usd("-1.10")
    assert abs(-a) == a
    assert +a is a
    assert a * 3 == usd("3.30")
    assert 3 * a == usd("3.30")
    assert a * Decimal("0.5") == usd("0.55")
    assert b / 2 == a
    assert b / Decimal("0.5") == usd("4.40")
    assert b.ratio(a) == 2
    assert a < b
    assert a <= b
    assert b > a
    assert b >= a
    assert a <= usd("1.1")


def test_sum_works_with_zero_start_and_typed_zero() -> None:
    items = [usd(1), usd(2), usd(3)]
    assert sum(items) == usd(6)
    assert sum(items, Money.zero(USD)) == usd(6)
    assert sum([], Money.zero("EUR")) == Money.zero("EUR")
    assert 0 - usd(2) == usd(-2)
    assert usd(2) - 0 == usd(2)


@pytest.mark.parametrize(
    ("op", "verb"),
    [
        (lambda a, b: a + b, "add"),
        (lambda a, b: a - b, "subtract"),
        (lambda a, b: a < b, "compare"),
        (lambda a, b: a >= b, "compare"),
        (lambda a, b: a.ratio(b), "divide"),
    ],
)
def test_mixing_currencies_raises_naming_both(op: object, verb: str) -> None:
    with pytest.raises(MoneyError, match=rf"cannot {verb} USD and EUR: amounts in different"):
        op(usd(1), Money(amount=1, currency="EUR"))  # type: ignore[operator]


def test_sum_of_mixed_currencies_raises() -> None:
    with pytest.raises(MoneyError, match="cannot add USD and GBP"):
        sum([usd(1), Money.of(1, "GBP")])


def test_different_currencies_are_unequal_not_an_error() -> None:
    assert usd(1) != Money.of(1, "EUR")


def test_money_times_money_and_money_over_money_raise() -> None:
    with pytest.raises(MoneyError, match="money times money is not money"):
        usd(2) * usd(3)
    with pytest.raises(MoneyError, match=r"use ratio\(\)"):
        usd(2) / usd(3)


def test_adding_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        usd(2) + 5
    with pytest.raises(TypeError):
        usd(2) * "3"  # type: ignore[operator]


def test_inexact_division_refuses_to_round() -> None:
    with pytest.raises(MoneyError, match=r"USD 100.00 / 3 has no exact decimal result .*allocate"):
        usd(100) / 3


def test_division_by_zero() -> None:
    with pytest.raises(MoneyError, match=r"USD 1.00 / 0 is undefined \(DivisionByZero\)"):
        usd(1) / 0


def test_rounding_and_allocation() -> None:
    assert usd("2.675").rounded() == usd("2.68")
    assert usd("2.665").rounded() == usd("2.66")  # half to even
    assert Money.of("1234.5", "JPY").rounded() == Money.of(1234, "JPY")
    parts = usd(100).allocate(3)
    assert parts == (usd("33.34"), usd("33.33"), usd("33.33"))
    assert sum(parts) == usd(100)
    neg = usd(-1).allocate(3)
    assert sum(neg) == usd(-1)
    with pytest.raises(MoneyError, match="not a whole number of minor units"):
        usd("0.001").allocate(2)
    with pytest.raises(MoneyError, match="expected a number of parts from 1 to 100,000, got 0"):
        usd(1).allocate(0)


def test_minor_units() -> None:
    assert usd(1).minor_units == 2
    assert Money.of(1, "JPY").minor_units == 0
    assert Money.of(1, "KWD").minor_units == 3


@given(money(USD), money(USD), money(USD))
def test_addition_is_exact_and_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)
    assert (a + b).amount == a.amount + b.amount  # no rounding for these magnitudes
    assert (a + b) - b == a


@given(money(USD), st.integers(min_value=-50, max_value=50))
def test_multiplication_is_exact_and_distributes(a: Money, k: int) -> None:
    assert a * k == sum([a] * abs(k), Money.zero(USD)) * (1 if k >= 0 else -1)
    if k:
        assert (a * k) / k == a


@given(st.lists(money("EUR"), max_size=8))
def test_sum_matches_decimal_sum(items: list[Money]) -> None:
    total = sum(items, Money.zero("EUR"))
    assert total.amount == sum((m.amount for m in items), Decimal(0))


@given(money(USD), st.integers(min_value=1, max_value=50))
def test_allocate_adds_up(m: Money, parts: int) -> None:
    whole = m.rounded()
    assert sum(whole.allocate(parts), Money.zero(USD)) == whole


# -- parsing and formatting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$1.4 million", "1400000", "USD"),
        ("€750,000", "750000", "EUR"),
        ("USD 43M", "43000000", "USD"),
        ("US$81 million", "81000000", "USD"),
        ("£2.5bn", "2500000000", "GBP"),
        ("1.65M USD", "1650000", "USD"),
        ("$400k", "400000", "USD"),
        ("₪4.5 million", "4500000", "ILS"),
        ("C$3 million", "3000000", "CAD"),
        ("CA$250,000", "250000", "CAD"),
        ("$1.2 billion", "1200000000", "USD"),
        ("$2.5B", "2500000000", "USD"),
        ("$42 thousand", "42000", "USD"),
        ("USD 1,400,000.00", "1400000", "USD"),
        ("usd 5", "5", "USD"),
        ("-$5", "-5", "USD"),
        ("USD -1,250.50", "-1250.50", "USD"),
        ("5 MXN", "5", "MXN"),
        ("£5m", "5000000", "GBP"),
        ("$ 45 million", "45000000", "USD"),
        ("EUR 0.125", "0.125", "EUR"),
    ],
)
def test_parse_report_style_amounts(text: str, amount: str, currency: str) -> None:
    assert Money.parse(text) == Money(amount=Decimal(amount), currency=currency)


def test_parse_dollar_can_mean_another_dollar() -> None:
    assert Money.parse("$5", dollar="AUD") == Money.of(5, "AUD")
    assert Money.parse("US$5", dollar="AUD") == Money.of(5, "USD")


def test_parse_scaled_amounts_keep_a_plain_exponent() -> None:
    assert Money.parse("$1.4 million").amount.as_tuple().exponent == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,000", r"no currency in '1,000'; expected a symbol such as '\$' or an ISO 4217 code"),
        ("lots of money", r"'lots of money' is not an amount; expected e.g. '\$1.4 million'"),
        ("", r"'' is not an amount"),
        ("$", r"'\$' is not an amount"),
        ("USD 5 EUR", r"'USD 5 EUR' names two currencies, USD and EUR"),
        ("$5 EUR", r"names two currencies, USD and EUR"),
        ("ZZZ 5", r"currency in 'ZZZ 5': expected an ISO 4217 code such as 'USD', got 'ZZZ'"),
        ("-USD -5", r"has two signs"),
        ("$1,00,000", r"is not an amount"),
        ("$" + "9" * 200, r"text of 201 characters is not an amount; expected at most 100"),
    ],
)
def test_parse_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(MoneyError, match=message):
        Money.parse(text)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(MoneyError, match="expected text, got int 5"):
        Money.parse(5)  # type: ignore[arg-type]


def test_format() -> None:
    assert usd(1_400_000).format() == "USD 1,400,000.00"
    assert str(usd("-0.5")) == "USD -0.50"
    assert str(Money.of("0.125", "EUR")) == "EUR 0.125"
    assert str(Money.of(5000, "JPY")) == "JPY 5,000"
    assert str(Money.of("1.5", "KWD")) == "KWD 1.500"
    assert str(Money.parse("$1.4 million")) == "USD 1,400,000.00"


@given(money())
def test_parse_format_round_trip(m: Money) -> None:
    assert Money.parse(m.format()) == m


@given(amounts, currencies)
def test_parse_format_round_trip_keeps_currency(amount: Decimal, currency: str) -> None:
    m = Money(amount=amount, currency=currency)
    back = Money.parse(str(m))
    assert back.currency == currency
    assert back.amount == amount


# -- conversion --------------------------------------------------------------------------------


@pytest.fixture
def table() -> RateTable:
    return RateTable.of(
        ("USD", "EUR", "2024-01-01", "0.90"),
        ("USD", "EUR", "2024-07-01", "0.92"),
        ("GBP", "USD", dt.date(2023, 1, 1), "1.25"),
    )


def test_convert_uses_latest_rate_on_or_before(table: RateTable) -> None:
    assert usd(100).convert("EUR", table, dt.date(2024, 6, 30)) == Money.of(90, "EUR")
    assert usd(100).convert("EUR", table, dt.date(2024, 7, 1)) == Money.of(92, "EUR")
    assert usd(100).convert("eur", table, dt.date(2030, 1, 1)) == Money.of(92, "EUR")


def test_convert_same_currency_is_identity(table: RateTable) -> None:
    m = usd(7)
    assert m.convert("USD", table, dt.date(2000, 1, 1)) is m


def test_convert_without_rate_raises(table: RateTable) -> None:
    with pytest.raises(
        MoneyError, match=r"no USD->EUR rate on or before 2023-12-31; the table has "
    ):
        usd(1).convert("EUR", table, dt.date(2023, 12, 31))
    with pytest.raises(MoneyError, match=r"no EUR->USD rate .* the table has no EUR->USD rates"):
        Money.of(1, "EUR").convert("USD", table, dt.date(2025, 1, 1))
    with pytest.raises(MoneyError, match=r"to: expected an ISO 4217 code"):
        usd(1).convert("DOLLARS", table, dt.date(2025, 1, 1))


def test_rate_validation() -> None:
    with pytest.raises(MoneyError, match=r"Rate.rate: expected a positive rate, got 0"):
        Rate(source="USD", target="EUR", on=dt.date(2024, 1, 1), rate=Decimal(0))
    with pytest.raises(MoneyError, match=r"source and target are both USD"):
        Rate(source="USD", target="USD", on=dt.date(2024, 1, 1), rate=Decimal(1))
    with pytest.raises(MoneyError, match=r"Rate.on: expected an ISO date .*'Jan 2024'"):
        Rate(source="USD", target="EUR", on="Jan 2024", rate=Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match=r"Rate.on: expected a date, got datetime"):
        Rate(source="USD", target="EUR", on=dt.datetime(2024, 1, 1), rate=Decimal(1))
    with pytest.raises(MoneyError, match=r"Rate.target: expected an ISO 4217 code"):
        Rate(source="USD", target="EURO", on=dt.date(2024, 1, 1), rate=Decimal(1))


def test_rate_table_refuses_conflicting_rates() -> None:
    with pytest.raises(MoneyError, match=r"two USD->EUR rates on 2024-01-01 \(0.9 and 0.8\)"):
        RateTable.of(("USD", "EUR", "2024-01-01", "0.9"), ("USD", "EUR", "2024-01-01", "0.8"))
    with pytest.raises(MoneyError, match=r"RateTable.rates\[0\]: expected a Rate, got tuple"):
        RateTable(rates=[("USD", "EUR", "2024-01-01", "0.9")])  # type: ignore[list-item]


@given(money(USD), st.decimals(min_value="0.01", max_value="100", places=4))
def test_conversion_is_exact(m: Money, rate: Decimal) -> None:
    table = RateTable.of(("USD", "EUR", "2020-01-01", rate))
    assert m.convert("EUR", table, dt.date(2021, 1, 1)).amount == m.amount * rate
