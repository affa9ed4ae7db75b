"""Numbers, money, percentages and dates written the way a language writes them (Babel, CLDR).

Babel is imported inside each function, on first use, so importing the library stays cheap.
Amounts of money use an unambiguous currency sign because a programme spans countries: English
writes ``US$1,400,000.00`` (not ``$``), French ``1 400 000,00 $US``. Dates known only to the
month or the year are written as such (``juillet 2017``, ``2017``).

What does not live here: the messages (:mod:`civicinnov.i18n._translate`), units.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any, Literal

import numpy as np

from civicinnov._values import PartialDate
from civicinnov.errors import ValidationError
from civicinnov.i18n._language import babel_locale
from civicinnov.money import Money

__all__ = ["Precision", "format_date", "format_money", "format_number", "format_percent"]

#: How much of a date is known: the day, the month or the year.
Precision = Literal["day", "month", "year"]

_PRECISIONS: tuple[str, ...] = ("day", "month", "year")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _real(value: Any, where: str) -> float | Decimal | int:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValidationError(f"{where}: expected a number, got {type(value).__name__} {value!r}")
    return value


def format_number(value: Any, lang: str, *, decimals: int | None = None) -> str:
    """A number as the language writes it: ``11,450`` in English, ``11 450`` in French.

    Parameters:
        value: an ``int``, ``float``, :class:`~decimal.Decimal` or numpy number.
        lang: a language tag (``"en"``, ``"fr"``, ``"fr-CA"``...).
        decimals: exactly this many decimals; by default up to three, trailing zeros dropped.

    Returns:
        The text. French groups thousands with a narrow no-break space (U+202F), as CLDR does.
        ``nan`` is written ``NaN`` and infinities ``∞``.

    Raises:
        ValidationError: ``value`` is not a number, ``decimals`` is negative, or ``lang`` is
            not a supported language.

    Example:
        >>> format_number(11450, "en"), format_number(11450, "fr").replace("\\u202f", " ")
        ('11,450', '11 450')
        >>> format_number(0.5, "fr"), format_number(2.0, "en", decimals=2)
        ('0,5', '2.00')
    """
    import babel.numbers  # Babel on first use, so `import civicinnov` stays cheap

    number = _real(value, "value")
    locale = babel_locale(lang)
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0
    ):
        raise ValidationError(f"decimals: expected a non-negative integer, got {decimals!r}")
    if isinstance(number, float) and math.isnan(number):
        return "NaN"
    if decimals is None:
        return babel.numbers.format_decimal(number, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel.numbers.format_decimal(number, format=pattern, locale=locale)


def format_percent(value: Any, lang: str, *, decimals: int = 0) -> str:
    """A fraction as a percentage: 0.456 is ``46%`` in English, ``46 %`` in French.

    Parameters:
        value: the fraction (1 is 100 %).
        lang: a language tag.
        decimals: decimals of the percentage.

    Returns:
        The text.

    Raises:
        ValidationError: ``value`` is not a number or ``lang`` is not supported.

    Example:
        >>> format_percent(0.456, "en"), format_percent(0.95, "fr").replace("\\xa0", " ")
        ('46%', '95 %')
        >>> format_percent(0.9512, "en", decimals=1)
        '95.1%'
    """
    import babel  # Babel on first use, so `import civicinnov` stays cheap
    import babel.numbers  # (same)

    number = _real(value, "value")
    locale = babel_locale(lang)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValidationError(f"decimals: expected a non-negative integer, got {decimals!r}")
    # the locale's own pattern (French puts a space before %), with the decimals asked for
    pattern = babel.Locale.parse(locale).percent_formats[None].pattern
    digits = "0." + "0" * decimals if decimals else "0"
    pattern = re.sub(r"0(?:\.[0#]*)?", digits, pattern, count=1)
    return babel.numbers.format_percent(number, format=pattern, locale=locale)


def format_money(money: Money, lang: str) -> str:
    """An amount of money as the language writes it, with an unambiguous currency sign.

    Parameters:
        money: a :class:`~civicinnov.money.Money`.
        lang: a language tag.

    Returns:
        The text, with at least the currency's minor-unit decimals (more when the amount has
        more: nothing is rounded away). Where the language's sign for the currency is a bare
        ``$`` (as English writes US dollars), the international sign is used (``US$``).

    Raises:
        ValidationError: ``money`` is not a Money, or ``lang`` is not supported.

    Example:
        >>> from civicinnov.money import Money
        >>> format_money(Money.parse("$1.4 million"), "en")
        'US$1,400,000.00'
        >>> format_money(Money.parse("$1.4 million"), "fr").replace("\\u202f", " ").replace("\\xa0", " ")
        '1 400 000,00 $US'
        >>> format_money(Money(amount="750000", currency="EUR"), "en")
        '€750,000.00'
    """
    import babel.numbers  # Babel on first use, so `import civicinnov` stays cheap

    if not isinstance(money, Money):
        raise ValidationError(
            f"money: expected a civicinnov.money.Money, got {type(money).__name__} {money!r}"
        )
    locale = babel_locale(lang)
    text = babel.numbers.format_currency(
        money.amount, money.currency, locale=locale, decimal_quantization=False
    )
    symbol = babel.numbers.get_currency_symbol(money.currency, locale=locale)
    if symbol == "$":
        wide = babel.numbers.get_currency_symbol(money.currency, locale="en_001")
        if wide != "$" and text.count("$") == 1:
            text = text.replace("$", wide)
    return text


def _date_and_precision(value: Any, precision: Any) -> tuple[dt.date, str]:
    inferred = "day"
    if isinstance(value, PartialDate):
        inferred = str(value.precision.value)
        value = value.earliest
    elif isinstance(value, str):
        match = _ISO.match(value.strip()) if len(value) <= 20 else None
        if match is None:
            raise ValidationError(
                f"date: expected a date or ISO text such as '2017-07-11', '2017-07' or '2017', "
                f"got {value!r}"
            )
        year, month, day = match.groups()
        inferred = "day" if day else "month" if month else "year"
        try:
            value = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(f"date: {match.group(0)!r} is not a calendar date") from None
    elif isinstance(value, dt.datetime):
        value = value.date()
    elif not isinstance(value, dt.date):
        raise ValidationError(
            f"date: expected a datetime.date, a partial date or ISO text, got "
            f"{type(value).__name__} {value!r}"
        )
    if precision is None:
        precision = inferred
    if precision not in _PRECISIONS:
        raise ValidationError(
            f"precision: expected one of {', '.join(_PRECISIONS)}, got {precision!r}"
        )
    return value, str(precision)


def format_date(value: dt.date | str, lang: str, *, precision: Precision | None = None) -> str:
    """A date as the language writes it: ``July 11, 2017``, ``11 juillet 2017``.

    Parameters:
        value: a :class:`datetime.date` (or datetime), a partial date (known to the year, month
            or day, as sources give it), or ISO text ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        lang: a language tag.
        precision: ``"day"``, ``"month"`` (``July 2017``) or ``"year"`` (``2017``); by default
            the day for a date, and what the partial date or the ISO text gives.

    Returns:
        The text.

    Raises:
        ValidationError: a value that is not a date, a bad precision, or an unsupported
            ``lang``.

    Example:
        >>> import datetime as dt
        >>> format_date(dt.date(2017, 7, 11), "fr"), format_date(dt.date(2017, 7, 11), "en")
        ('11 juillet 2017', 'July 11, 2017')
        >>> format_date("2017-07", "fr"), format_date(dt.date(2017, 7, 11), "en", precision="year")
        ('juillet 2017', '2017')
    """
    import babel.dates  # Babel on first use, so `import civicinnov` stays cheap

    day, level = _date_and_precision(value, precision)
    locale = babel_locale(lang)
    if level == "day":
        return babel.dates.format_date(day, format="long", locale=locale)
    if level == "month":
        return babel.dates.format_skeleton("yMMMM", day, locale=locale)
    return babel.dates.format_skeleton("y", day, locale=locale)
