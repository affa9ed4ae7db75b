"""Money: an exact decimal amount in one ISO 4217 currency, and explicit, dated exchange rates.

:class:`Money` holds a :class:`~decimal.Decimal` amount and an upper-case ISO 4217 code checked
against a built-in table of codes (:data:`ISO_4217`). Arithmetic is exact and stays within one
currency:

- ``+``, ``-``, negation and comparisons need the same currency on both sides; mixing currencies
  raises :class:`~civicinnov.errors.MoneyError` naming both codes;
- ``*`` and ``/`` take a plain number (``int`` or ``Decimal``); ``/`` refuses a quotient that does not
  terminate (``USD 100 / 3``) instead of rounding it silently: use :meth:`Money.allocate` or
  :meth:`Money.rounded` for that;
- ``sum()`` works, because ``0 + money`` is ``money``; :meth:`Money.zero` gives a typed zero;
- no result is ever rounded: every operation runs with 100 significant digits and raises
  :class:`~civicinnov.errors.MoneyError` if an exact result would need more.

**Bounds.** An amount is at most 10¹⁸ in size (:data:`MAX_AMOUNT`) with at most 20 decimal
places (:data:`MAX_DECIMAL_PLACES`), so at most 39 significant digits; trailing zeros beyond
20 places are dropped. Everything else is refused where it enters (construction, :meth:`Money.parse`,
the result of an operation) with a :class:`~civicinnov.errors.MoneyError` that names where the
amount came from and states the range: an amount such as ``"1e-999999999"`` would otherwise take
gigabytes to write out. Within the bounds, formatting, rounding (to between -18 and 20 places),
allocating (into at most 100,000 parts) and parsing back always work. Factors, divisors and
exchange rates are numbers of at most 40 significant digits between 10⁻⁴⁰ and 10⁴⁰ in size.

**Floats** are converted through their shortest decimal text (``0.1`` becomes ``Decimal("0.1")``),
which is what the writer of the literal meant; ``nan`` and infinities are refused, as are ``bool``.

There are no implicit exchange rates. :meth:`Money.convert` only uses a :class:`RateTable` the
caller supplies, made of dated :class:`Rate` entries; the rate used is the latest one on or before
the conversion date.

:meth:`Money.parse` reads amounts as they are written in press releases and reports: ``"$1.4
million"``, ``"€750,000"``, ``"USD 43M"``, ``"US$81 million"``, ``"£2.5bn"``, ``"1.65M USD"``,
``"$400k"``. :meth:`Money.format` (also ``str()``) writes ``"USD 1,400,000.00"``: the code, a space,
the amount with thousands separators and at least the currency's minor-unit decimals (more when the
amount has more, so nothing is lost), and ``parse(format(m)) == m`` always holds.

What does not live here: fetching rates, currency symbols for display in other locales, inflation.

Example:
    >>> from decimal import Decimal
    >>> grant = Money.parse("$1.4 million")
    >>> grant
    Money(amount=Decimal('1400000'), currency='USD')
    >>> print(grant + Money.parse("USD 250k"))
    USD 1,650,000.00
    >>> print(sum([Money.parse("€750,000"), Money.parse("€1.2M")]))
    EUR 1,950,000.00
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import itertools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, SupportsIndex

import attrs

from civicinnov.errors import MoneyError

__all__ = [
    "ISO_4217",
    "MAX_AMOUNT",
    "MAX_DECIMAL_PLACES",
    "Money",
    "Rate",
    "RateTable",
    "check_currency",
]


def _codes(text: str) -> list[str]:
    return text.split()


#: Active ISO 4217 alphabetic codes (including funds codes, precious metals and the X-codes).
ISO_4217: frozenset[str] = frozenset(
    _codes(
        """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK
    MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
    PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB
    TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
    XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL
    """
    )
)

# Minor-unit decimals where they differ from 2 (ISO 4217 table A.1); X-codes without one use 0.
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        _codes("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"), 0
    ),
    **dict.fromkeys(_codes("XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX"), 0),
    **dict.fromkeys(_codes("BHD IQD JOD KWD LYD OMR TND"), 3),
    **dict.fromkeys(_codes("CLF UYW"), 4),
}

_PRECISION = 100
_CONTEXT = decimal.Context(
    prec=_PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


#: The largest size of an amount (10¹⁸); larger amounts are refused.
MAX_AMOUNT: Decimal = Decimal(10) ** 18
#: The most decimal places an amount may have (trailing zeros beyond them are dropped).
MAX_DECIMAL_PLACES = 20
_MAX_NUMBER_TEXT = 100
_MAX_FACTOR_DIGITS = 40
_MAX_FACTOR_EXPONENT = 40
_MAX_PARTS = 100_000
_MIN_PLACES = -18
_SMALLEST = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
_RANGE = (
    f"expected an amount of at most 10^18 in size with at most {MAX_DECIMAL_PLACES} decimal places"
)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _to_decimal(value: Any, *, where: str) -> Decimal:
    """Turn an int, Decimal, decimal text or float (via its shortest text) into a finite Decimal.

    Text longer than 100 characters and integers beyond 10^40 are refused before conversion.
    """
    if isinstance(value, bool):
        raise MoneyError(f"{where}: expected a number, got bool {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        if value.bit_length() > 133:  # beyond 10^40: refused without converting
            raise MoneyError(f"{where}: {_show(value)} is too large; {_RANGE}")
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value)) if value == value else Decimal("NaN")  # noqa: PLR0124 - a NaN test
    elif isinstance(value, str):
        if len(value) > _MAX_NUMBER_TEXT:
            raise MoneyError(
                f"{where}: a number written in {len(value)} characters; expected at most "
                f"{_MAX_NUMBER_TEXT}"
            )
        try:
            result = Decimal(value.strip().replace("_", ""))
        except decimal.InvalidOperation:
            raise MoneyError(
                f"{where}: expected a decimal number such as '1400000.00', got {value!r}"
            ) from None
    else:
        raise MoneyError(
            f"{where}: expected an int, Decimal or decimal text, got {type(value).__name__} "
            f"{_show(value)}"
        )
    if not result.is_finite():
        raise MoneyError(f"{where}: expected a finite number, got {_show(value)}")
    return result


def _bounded_amount(value: Decimal, *, where: str, given: Any) -> Decimal:
    """Check ``value`` against the bounds of an amount; drop trailing zeros beyond 20 places."""
    if not value:
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)  # finite by construction
        return value if -MAX_DECIMAL_PLACES <= exponent <= 0 else Decimal(0)
    if value.adjusted() > 18 or (value.adjusted() == 18 and value.copy_abs() > MAX_AMOUNT):
        raise MoneyError(f"{where}: {_show(given)} is too large; {_RANGE}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction
    if exponent < -MAX_DECIMAL_PLACES:
        if value.adjusted() < -MAX_DECIMAL_PLACES:
            raise MoneyError(f"{where}: {_show(given)} is too small to hold; {_RANGE}")
        try:
            value = value.quantize(_SMALLEST, context=_CONTEXT)
        except decimal.Inexact:
            raise MoneyError(
                f"{where}: {_show(given)} has {-exponent} decimal places; {_RANGE}"
            ) from None
    return value


def _amount_at(value: Any, *, where: str) -> Decimal:
    return _bounded_amount(_to_decimal(value, where=where), where=where, given=value)


def _amount(value: Any) -> Decimal:
    return _amount_at(value, where="Money.amount")


def _number(value: Any, *, where: str) -> Decimal:
    """A factor, divisor or rate: finite, at most 40 significant digits, within 10^±40."""
    result = _to_decimal(value, where=where)
    if result and (
        len(result.as_tuple().digits) > _MAX_FACTOR_DIGITS
        or abs(result.adjusted()) > _MAX_FACTOR_EXPONENT
    ):
        raise MoneyError(
            f"{where}: {_show(value)} is out of range; expected a number of at most "
            f"{_MAX_FACTOR_DIGITS} significant digits between 10^-{_MAX_FACTOR_EXPONENT} and "
            f"10^{_MAX_FACTOR_EXPONENT} in size"
        )
    return result


def _currency(value: Any) -> str:
    return value.strip().upper() if isinstance(value, str) else value


def _check_currency(instance: Any, attribute: Any, value: Any) -> None:
    where = f"{type(instance).__name__}.{attribute.name}"
    check_currency(value, where=where)


def check_currency(code: Any, *, where: str = "currency") -> str:
    """Return ``code`` if it is an upper-case ISO 4217 code, else raise MoneyError.

    Parameters:
        code: The value to check; it must already be upper case (``"usd"`` is refused).
        where: Where the code came from, for the message.

    Returns:
        ``code``, unchanged.

    Raises:
        MoneyError: ``code`` is not a string among the ISO 4217 codes.

    Example:
        >>> check_currency("EUR")
        'EUR'
        >>> check_currency("EURO")
        Traceback (most recent call last):
        ...
        civicinnov.errors.MoneyError: currency: expected an ISO 4217 code such as 'USD', got 'EURO'
    """
    if not isinstance(code, str) or code not in ISO_4217:
        raise MoneyError(f"{where}: expected an ISO 4217 code such as 'USD', got {code!r}")
    return code


def _exact(operation: Callable[[], str], func: Any, *args: Any) -> Decimal:
    try:
        result: Decimal = func(*args)
    except decimal.Inexact:
        raise MoneyError(
            f"{operation()} has no exact decimal result within {_PRECISION} digits; "
            "use Money.allocate() or Money.rounded() to choose how to round"
        ) from None
    except (decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow) as exc:
        raise MoneyError(f"{operation()} is undefined ({type(exc).__name__})") from None
    return result


@attrs.frozen(kw_only=True, eq=True, order=False)
class Money:
    """An exact amount of one currency.

    ``amount`` accepts an ``int``, a ``Decimal``, decimal text, or a float (converted through its
    shortest text). ``currency`` is an ISO 4217 code; lower case is upper-cased.

    Example:
        >>> m = Money(amount="4.8e6", currency="usd")
        >>> m.currency, m.amount == Decimal(4_800_000)
        ('USD', True)
        >>> print(m / 2, -m, m * Decimal("0.5") == m / 2)
        USD 2,400,000.00 USD -4,800,000.00 True
        >>> m + Money(amount=1, currency="EUR")
        Traceback (most recent call last):
        ...
        civicinnov.errors.MoneyError: cannot add USD and EUR: amounts in different currencies ...
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(converter=_currency, validator=_check_currency)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        """A zero amount of ``currency`` (a start value for sums of one currency).

        Parameters:
            currency: An ISO 4217 code (surrounding spaces and lower case are accepted).

        Returns:
            An amount of zero in that currency.

        Raises:
            MoneyError: ``currency`` is not an ISO 4217 code.

        Example:
            >>> print(sum([Money(amount=5, currency="GBP")], Money.zero("GBP")))
            GBP 5.00
        """
        return cls(amount=Decimal(0), currency=currency)

    @classmethod
    def of(
        cls, amount: int | str | Decimal | float, currency: str, *, where: str = "Money.amount"
    ) -> Money:
        """Shorthand for ``Money(amount=amount, currency=currency)``, naming ``where`` in errors.

        Parameters:
            amount: The amount (``int``, ``Decimal``, decimal text or ``float``).
            currency: An ISO 4217 code.
            where: Where the amount came from (``"$.funding[0].amount"``), for messages.

        Returns:
            The amount of money.

        Raises:
            MoneyError: The amount is not a finite number within the bounds, or the currency is
                not an ISO 4217 code.

        Example:
            >>> Money.of("2.5", "CAD")
            Money(amount=Decimal('2.5'), currency='CAD')
            >>> Money.of("1e-999999999", "USD", where="$.grant.amount")
            Traceback (most recent call last):
            ...
            civicinnov.errors.MoneyError: $.grant.amount: '1e-999999999' is too small to hold; expected an amount of at most 10^18 in size with at most 20 decimal places
        """
        value = _amount_at(amount, where=where)
        code = check_currency(_currency(currency), where=f"{where} currency")
        return cls(amount=value, currency=code)

    @classmethod
    def parse(cls, text: str, *, dollar: str = "USD", where: str = "Money.parse") -> Money:
        """Read an amount as written in reports: ``"$1.4 million"``, ``"€750,000"``, ``"USD 43M"``.

        Understood, in any combination:

        - a currency symbol before the number: ``$`` (``dollar``, USD by default), ``US$``,
          ``C$``/``CA$`` (CAD), ``A$``/``AU$`` (AUD), ``NZ$``, ``HK$``, ``R$`` (BRL), ``€``, ``£``,
          ``¥`` (JPY), ``₹`` (INR), ``₪`` (ILS); or an ISO code before or after the number;
        - a number with optional thousands commas and decimals, and a sign (``-`` or ``−``);
        - a scale word or letter: ``thousand``/``k``, ``million``/``M``/``m``/``mn``,
          ``billion``/``bn``/``B``, ``trillion``/``tn``.

        Raises MoneyError for text without a currency, with two different currencies, longer than
        100 characters, outside the bounds of an amount, or that is not an amount at all; the
        message starts with ``where``.

        Parameters:
            text: The amount as written, at most 100 characters.
            dollar: The ISO 4217 code a bare ``$`` stands for (``"USD"`` by default).
            where: Where the text came from; every message starts with it.

        Returns:
            The amount, exact.

        Raises:
            MoneyError: The text has no currency or two different ones, is longer than 100 characters,
                is outside the bounds of an amount or is not an amount; or a bare ``$`` is read and
                ``dollar`` is not an ISO 4217 code.

        Example:
            >>> [str(Money.parse(t)) for t in ("US$81 million", "£2.5bn", "1.65M USD", "$400k")]
            ['USD 81,000,000.00', 'GBP 2,500,000,000.00', 'USD 1,650,000.00', 'USD 400,000.00']
            >>> Money.parse("₪4.5 million").currency
            'ILS'
            >>> Money.parse("1,000")
            Traceback (most recent call last):
            ...
            civicinnov.errors.MoneyError: Money.parse: no currency in '1,000'; expected a symbol ...
        """
        return _parse(text, dollar=dollar, where=where)

    # -- arithmetic -------------------------------------------------------------------------
    def _same(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise MoneyError(
                f"cannot {verb} {self.currency} and {other.currency}: amounts in different "
                "currencies do not mix; convert one with Money.convert() and a RateTable"
            )

    def __add__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "add")
            return Money(
                amount=_exact(lambda: f"{self} + {other}", _CONTEXT.add, self.amount, other.amount),
                currency=self.currency,
            )
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __radd__(self, other: object) -> Money:
        return self.__add__(other)

    def __sub__(self, other: object) -> Money:
        if isinstance(other, Money):
            self._same(other, "subtract")
            return Money(
                amount=_exact(
                    lambda: f"{self} - {other}", _CONTEXT.subtract, self.amount, other.amount
                ),
                currency=self.currency,
            )
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __rsub__(self, other: object) -> Money:
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return -self
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(amount=self.amount.copy_negate(), currency=self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(amount=self.amount.copy_abs(), currency=self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, Money):
            raise MoneyError(f"cannot multiply {self} by {factor}: money times money is not money")
        if not isinstance(factor, int | Decimal | float):
            return NotImplemented
        number = _number(factor, where="factor")
        return Money(
            amount=_exact(lambda: f"{self} * {factor}", _CONTEXT.multiply, self.amount, number),
            currency=self.currency,
        )

    def __rmul__(self, factor: object) -> Money:
        return self.__mul__(factor)

    def __truediv__(self, divisor: object) -> Money:
        if isinstance(divisor, Money):
            raise MoneyError(
                f"cannot divide {self} by {divisor}: use ratio() for the ratio of two amounts"
            )
        if not isinstance(divisor, int | Decimal | float):
            return NotImplemented
        number = _number(divisor, where="divisor")
        return Money(
            amount=_exact(lambda: f"{self} / {divisor}", _CONTEXT.divide, self.amount, number),
            currency=self.currency,
        )

    def ratio(self, other: Money) -> Decimal:
        """The exact ratio of two amounts of the same currency (a plain Decimal).

        Parameters:
            other: The amount to divide by, in this amount's currency.

        Returns:
            This amount divided by ``other``, exact.

        Raises:
            MoneyError: The currencies differ, ``other`` is zero, or the ratio has no exact decimal
                within the working precision.

        Example:
            >>> Money.of(300, "USD").ratio(Money.of(1200, "USD"))
            Decimal('0.25')
        """
        self._same(other, "divide")
        return _exact(lambda: f"{self} / {other}", _CONTEXT.divide, self.amount, other.amount)

    def _compare(self, other: object) -> int | None:
        if not isinstance(other, Money):
            return None
        self._same(other, "compare")
        return (self.amount > other.amount) - (self.amount < other.amount)

    def __lt__(self, other: object) -> bool:
        c = self._compare(other)
        return NotImplemented if c is None else c < 0

    def __le__(self, other: object) -> bool:
        c = self._compare(other)
        return NotImplemented if c is None else c <= 0

    def __gt__(self, other: object) -> bool:
        c = self._compare(other)
        return NotImplemented if c is None else c > 0

    def __ge__(self, other: object) -> bool:
        c = self._compare(other)
        return NotImplemented if c is None else c >= 0

    def __bool__(self) -> bool:
        return bool(self.amount)

    # -- rounding ---------------------------------------------------------------------------
    @property
    def minor_units(self) -> int:
        """Decimals of the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD).

        Example:
            >>> Money.of(1, "JPY").minor_units
            0
        """
        return _MINOR_UNITS.get(self.currency, 2)

    def rounded(self, places: SupportsIndex | None = None) -> Money:
        """Round half-to-even to ``places`` decimals (the currency's minor units by default).

        ``places`` is between -18 and 20.

        Parameters:
            places: Decimals to keep, from -18 to 20 (negative rounds to tens, hundreds...);
                ``None`` keeps the currency's minor units.

        Returns:
            The rounded amount, in the same currency.

        Raises:
            MoneyError: ``places`` is not a whole number from -18 to 20.

        Example:
            >>> print(Money.of("2.675", "USD").rounded())
            USD 2.68
            >>> print(Money.of("1234.5", "USD").rounded(-3))
            USD 1,000.00
        """
        digits = self.minor_units if places is None else _places(places)
        quantum = Decimal(1).scaleb(-digits)
        context = decimal.Context(prec=_PRECISION, rounding=decimal.ROUND_HALF_EVEN)
        value = self.amount.quantize(quantum, context=context)
        if digits < 0:
            value = value.quantize(Decimal(1), context=context)
        return Money(amount=value, currency=self.currency)

    def allocate(self, parts: int) -> tuple[Money, ...]:
        """Split into ``parts`` amounts of whole minor units that add up exactly to this amount.

        The first amounts get one minor unit more when the split is uneven. The amount must be a
        whole number of minor units; ``parts`` is at most 100,000.

        Parameters:
            parts: How many amounts, from 1 to 100,000.

        Returns:
            ``parts`` amounts in this currency, larger ones first, that sum to this amount.

        Raises:
            MoneyError: ``parts`` is not an integer from 1 to 100,000, or this amount is not a whole
                number of minor units.

        Example:
            >>> [str(m) for m in Money.of(100, "USD").allocate(3)]
            ['USD 33.34', 'USD 33.33', 'USD 33.33']
        """
        if isinstance(parts, bool) or not isinstance(parts, int) or not 1 <= parts <= _MAX_PARTS:
            raise MoneyError(
                f"allocate: expected a number of parts from 1 to {_MAX_PARTS:,}, got {parts!r}"
            )
        minor = self.minor_units
        units = self.amount.scaleb(minor, context=_CONTEXT)
        if units != units.to_integral_value():
            raise MoneyError(
                f"allocate: {self} is not a whole number of minor units; round it first"
            )
        total = int(units)
        base, extra = divmod(abs(total), parts)
        sign = -1 if total < 0 else 1
        quantum = Decimal(1).scaleb(-minor)

        def piece(units: int) -> Money:
            amount = Decimal(sign * units).scaleb(-minor, context=_CONTEXT)
            return Money(amount=amount.quantize(quantum, context=_CONTEXT), currency=self.currency)

        larger = (piece(base + 1),) * extra if extra else ()
        return larger + (piece(base),) * (parts - extra)

    # -- conversion -------------------------------------------------------------------------
    def convert(self, to: str, rates: RateTable, on: dt.date) -> Money:
        """Convert to currency ``to`` with the latest rate in ``rates`` on or before ``on``.

        There is no implicit rate: a missing rate raises MoneyError. Converting to the same
        currency returns the amount unchanged. The result is exact (not rounded).

        Parameters:
            to: The target ISO 4217 code (surrounding spaces and lower case are accepted).
            rates: The table to take the rate from.
            on: The date of the conversion; the latest rate dated on or before it is used.

        Returns:
            The amount in currency ``to``, exact; this amount itself when ``to`` is its currency.

        Raises:
            MoneyError: ``to`` is not an ISO 4217 code, or ``rates`` has no rate for the pair on or
                before ``on``.

        Example:
            >>> table = RateTable.of(("USD", "EUR", "2024-01-01", "0.9"))
            >>> print(Money.of(100, "USD").convert("EUR", table, dt.date(2024, 6, 30)))
            EUR 90.00
            >>> Money.of(100, "USD").convert("EUR", table, dt.date(2023, 6, 30))
            Traceback (most recent call last):
            ...
            civicinnov.errors.MoneyError: no USD->EUR rate on or before 2023-06-30; the table has ...
        """
        target = check_currency(_currency(to), where="to")
        if target == self.currency:
            return self
        rate = rates.lookup(self.currency, target, on)
        return Money(
            amount=_exact(
                lambda: f"{self} * {rate.rate}", _CONTEXT.multiply, self.amount, rate.rate
            ),
            currency=target,
        )

    # -- text -------------------------------------------------------------------------------
    def format(self) -> str:
        """Write ``"USD 1,400,000.00"``; :meth:`parse` reads it back to an equal amount.

        At least the currency's minor-unit decimals are shown, more when the amount has more.

        Example:
            >>> Money.of("1400000", "USD").format()
            'USD 1,400,000.00'
            >>> Money.of("0.125", "EUR").format(), Money.of(5000, "JPY").format()
            ('EUR 0.125', 'JPY 5,000')
        """
        amount = self.amount
        minor = self.minor_units
        exponent = amount.as_tuple().exponent
        assert isinstance(exponent, int)  # finite by construction
        if exponent > -minor:
            amount = amount.quantize(Decimal(1).scaleb(-minor), context=_CONTEXT)
        return f"{self.currency} {amount:,f}"

    def __str__(self) -> str:
        return self.format()


# -- parsing --------------------------------------------------------------------------------

_SYMBOLS: dict[str, str | None] = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "R$": "BRL",
    "$": None,  # the caller's dollar
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₪": "ILS",
}
_SCALES: dict[str, int] = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "mm": 6,
    "million": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
    "tn": 12,
    "trillion": 12,
}
_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_MONEY_RE = re.compile(
    rf"""^\s*
    (?P<sign1>[-−])?\s*
    (?:(?P<symbol>{_SYMBOL_RE})|(?P<code1>[A-Za-z]{{3}})(?=[\s\d.\-−]))?\s*
    (?P<sign2>[-−])?\s*
    (?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)
    (?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|mm|tn|k|m|b)(?![A-Za-z]))?
    (?:\s+(?P<code2>[A-Za-z]{{3}}))?
    \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_MAX_TEXT = 100


def _places(places: Any) -> int:
    if isinstance(places, bool) or not hasattr(places, "__index__"):
        raise MoneyError(f"rounded: expected a whole number of places, got {_show(places)}")
    digits = int(places.__index__())
    if not _MIN_PLACES <= digits <= MAX_DECIMAL_PLACES:
        raise MoneyError(
            f"rounded: expected places from {_MIN_PLACES} to {MAX_DECIMAL_PLACES}, got {digits}"
        )
    return digits


def _parse(text: str, *, dollar: str, where: str) -> Money:
    if not isinstance(text, str):
        raise MoneyError(f"{where}: expected text, got {type(text).__name__} {_show(text)}")
    if len(text) > _MAX_TEXT:
        raise MoneyError(
            f"{where}: text of {len(text)} characters is not an amount; expected at most "
            f"{_MAX_TEXT}"
        )
    match = _MONEY_RE.match(text)
    if match is None:
        raise MoneyError(
            f"{where}: {text!r} is not an amount; expected e.g. '$1.4 million', '€750,000', "
            "'USD 43M' or 'USD 1,400,000.00'"
        )
    if match["sign1"] and match["sign2"]:
        raise MoneyError(f"{where}: {text!r} has two signs")
    codes: list[str] = []
    if match["symbol"]:
        symbol = match["symbol"].upper()
        mapped = _SYMBOLS[symbol]
        codes.append(check_currency(dollar.upper(), where="dollar") if mapped is None else mapped)
    for group in ("code1", "code2"):
        if match[group]:
            code = match[group].upper()
            check_currency(code, where=f"{where}: currency in {text!r}")
            codes.append(code)
    if not codes:
        raise MoneyError(
            f"{where}: no currency in {text!r}; expected a symbol such as '$' or an ISO 4217 "
            f"code such as 'USD {text.strip()}'"
        )
    if len(set(codes)) > 1:
        raise MoneyError(f"{where}: {text!r} names two currencies, {codes[0]} and {codes[1]}")
    amount = Decimal(match["number"].replace(",", ""))
    if match["scale"]:
        amount = amount.scaleb(_SCALES[match["scale"].lower()], context=_CONTEXT)
    amount = _bounded_amount(amount, where=where, given=text)
    if amount.as_tuple().exponent > 0:  # type: ignore[operator]
        amount = amount.quantize(Decimal(1), context=_CONTEXT)
    if match["sign1"] or match["sign2"]:
        amount = amount.copy_negate()
    return Money(amount=amount, currency=codes[0])


# -- exchange rates -------------------------------------------------------------------------


def _rate_value(value: Any) -> Decimal:
    return _number(value, where="Rate.rate")


def _positive(instance: Any, attribute: Any, value: Decimal) -> None:
    if value <= 0:
        raise MoneyError(f"Rate.rate: expected a positive rate, got {value}")


def _date(value: Any) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise MoneyError(
                f"Rate.on: expected an ISO date such as '2024-01-31', got {value!r}"
            ) from None
    return value  # type: ignore[no-any-return]


def _is_date(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise MoneyError(
            f"Rate.{attribute.name}: expected a date, got {type(value).__name__} {value!r}"
        )


@attrs.frozen(kw_only=True)
class Rate:
    """One exchange rate: 1 unit of ``source`` buys ``rate`` units of ``target``, from date ``on``.

    Example:
        >>> Rate(source="GBP", target="USD", on="2024-01-01", rate="1.27")
        Rate(source='GBP', target='USD', on=datetime.date(2024, 1, 1), rate=Decimal('1.27'))
    """

    source: str = attrs.field(converter=_currency, validator=_check_currency)
    target: str = attrs.field(converter=_currency, validator=_check_currency)
    on: dt.date = attrs.field(converter=_date, validator=_is_date)
    rate: Decimal = attrs.field(converter=_rate_value, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if self.source == self.target:
            raise MoneyError(f"Rate: source and target are both {self.source}; expected two codes")


def _rates(value: Iterable[Rate]) -> tuple[Rate, ...]:
    rates = tuple(value)
    if all(isinstance(r, Rate) for r in rates):
        rates = tuple(sorted(rates, key=lambda r: (r.source, r.target, r.on)))
    return rates


def _check_rates(instance: Any, attribute: Any, value: tuple[Rate, ...]) -> None:
    for i, rate in enumerate(value):
        if not isinstance(rate, Rate):
            raise MoneyError(f"RateTable.rates[{i}]: expected a Rate, got {type(rate).__name__}")
    for a, b in itertools.pairwise(value):
        if (a.source, a.target, a.on) == (b.source, b.target, b.on) and a.rate != b.rate:
            raise MoneyError(
                f"RateTable.rates: two {a.source}->{a.target} rates on {a.on.isoformat()} "
                f"({a.rate} and {b.rate}); expected one rate per pair and date"
            )


@attrs.frozen(kw_only=True)
class RateTable:
    """Dated exchange rates the caller supplies; the only way :class:`Money` converts.

    Rates are directional: a USD->EUR rate does not imply a EUR->USD one (add both if needed).

    Example:
        >>> table = RateTable.of(
        ...     ("USD", "EUR", "2024-01-01", "0.90"), ("USD", "EUR", "2024-07-01", "0.92")
        ... )
        >>> table.lookup("USD", "EUR", dt.date(2024, 8, 1)).rate
        Decimal('0.92')
    """

    rates: tuple[Rate, ...] = attrs.field(converter=_rates, validator=_check_rates)

    @classmethod
    def of(cls, *rows: tuple[str, str, dt.date | str, Decimal | str | int]) -> RateTable:
        """Build a table from ``(source, target, date, rate)`` rows.

        Parameters:
            *rows: ``(source, target, date, rate)`` rows: two ISO 4217 codes, the date the rate holds
                from (a date or ISO text) and the positive rate (1 ``source`` buys ``rate`` ``target``).

        Returns:
            The table, its rates sorted by source, target and date.

        Raises:
            MoneyError: A code is not ISO 4217, a date is not a date, a rate is not positive, a row's
                source and target are the same, or two rows give one pair and date different rates.

        Example:
            >>> len(RateTable.of(("GBP", "USD", "2024-01-01", "1.27")).rates)
            1
        """
        return cls(rates=[Rate(source=s, target=t, on=d, rate=r) for s, t, d, r in rows])

    def lookup(self, source: str, target: str, on: dt.date) -> Rate:
        """The latest ``source``->``target`` rate dated on or before ``on``; MoneyError if none.

        Parameters:
            source: The ISO 4217 code converted from.
            target: The ISO 4217 code converted to.
            on: The date the rate is needed for.

        Returns:
            The rate with the latest date on or before ``on`` (rates are directional: only
            ``source``->``target`` rows count).

        Raises:
            MoneyError: The table has no ``source``->``target`` rate dated on or before ``on``.

        Example:
            >>> RateTable.of(("GBP", "USD", "2024-01-01", "1.27")).lookup("GBP", "USD",
            ...     dt.date(2025, 1, 1)).on
            datetime.date(2024, 1, 1)
        """
        pair = [r for r in self.rates if r.source == source and r.target == target]
        index = bisect.bisect_right([r.on for r in pair], on)
        if index == 0:
            if pair:
                detail = f"the table has {source}->{target} from {pair[0].on.isoformat()}"
            else:
                detail = f"the table has no {source}->{target} rates"
            raise MoneyError(f"no {source}->{target} rate on or before {on.isoformat()}; {detail}")
        return pair[index - 1]
