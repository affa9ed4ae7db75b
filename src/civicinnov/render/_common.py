"""What every renderer shares: how a number, a quantity, money, a date and a label read in a language.

:class:`Words` holds one language (``"en"``, ``"fr"``, optionally with a region) and writes values
as that language does, through :mod:`civicinnov.i18n` (Babel's CLDR data): ``11,450 dwelling`` and
``US$1,400,000.00`` in English, ``11 450 logement`` and ``1 400 000,00 $US`` in French.

Example:
    >>> from civicinnov.units import as_quantity
    >>> Words("en").quantity(as_quantity(11450, "dwelling"))
    '11,450 dwelling'
    >>> Words("fr").number(11450).replace("\\u202f", " ")
    '11 450'
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from typing import Any

from civicinnov.evaluation import ProgressStatus
from civicinnov.i18n import (
    Translator,
    babel_locale,
    format_date,
    format_money,
    translator,
    unit_label,
)
from civicinnov.model import SMSLevel
from civicinnov.money import Money

__all__ = ["Words", "quantity_text", "sms_key"]


@functools.cache
def _symbols(locale: str) -> tuple[str, str]:
    import babel.numbers  # noqa: PLC0415 - Babel on first use, so `import civicinnov` stays cheap

    return (
        babel.numbers.get_group_symbol(locale),
        babel.numbers.get_decimal_symbol(locale),
    )


class Words:
    """Values written in one language: numbers, quantities, money, dates, labels and messages.

    Numbers are written with the language's group and decimal signs (looked up once per locale,
    so a site of ten thousand pages formats quickly); at most ``6`` significant digits.

    Parameters:
        lang: a language tag (``"en"``, ``"fr"``, ``"fr-CA"``).

    Raises:
        ValidationError: an unsupported language (the message lists the supported ones).

    Example:
        >>> from civicinnov.model import Phase
        >>> w = Words("fr")
        >>> w.label(Phase.GETTING_STARTED), w("Funding")
        ('Lancement', 'Financement')
        >>> import datetime as dt
        >>> w.date(dt.date(2017, 7, 11))
        '11 juillet 2017'
    """

    def __init__(self, lang: str = "en") -> None:
        self._: Translator = translator(lang)
        self.lang = lang
        self.language = self._.language
        self._group, self._decimal = _symbols(babel_locale(lang))
        self._messages: dict[str, str] = {}
        self._units: dict[Any, str] = {}
        self._dates: dict[Any, str] = {}

    def __call__(self, msgid: str, /, **fields: Any) -> str:
        """The message ``msgid`` in this language (see :class:`civicinnov.i18n.Translator`).

        Example:
            >>> Words("en")("Cohorts")
            'Cohorts'
        """
        if fields:
            return self._(msgid, **fields)
        text = self._messages.get(msgid)
        if text is None:
            text = self._messages[msgid] = self._(msgid)
        return text

    def unit(self, unit: Any) -> str:
        """A unit as a reader of this language reads it (``incident/mois``), or ``""`` for none.

        Parameters:
            unit: A pint unit or unit text.

        Returns:
            The unit's label in this language; ``""`` for a dimensionless unit.

        Raises:
            UnitError: unit text pint cannot read.

        Example:
            >>> Words("fr").unit("incident / month")
            'incident/mois'
        """
        text = self._units.get(unit)
        if text is None:
            text = unit_label(unit, self.lang)
            if text in ("dimensionless", "sans unité"):
                text = ""
            self._units[unit] = text
        return text

    def plural(self, singular: str, plural: str, count: int, /, **fields: Any) -> str:
        """The singular or plural message for ``count``.

        Parameters:
            singular: The singular message id of a pair in :data:`~civicinnov.i18n.PLURALS`.
            plural: Its plural message id.
            count: The number the message counts (also filled in as ``{count}``).
            fields: Values for the message's other ``{placeholders}``.

        Returns:
            The translated message in the form this language uses for ``count``.

        Raises:
            ValidationError: an unknown pair, or a placeholder without a value.

        Example:
            >>> Words("fr").plural("{count} city", "{count} cities", 2)
            '2 villes'
        """
        return self._.plural(singular, plural, count, **fields)

    def label(self, member: enum.Enum) -> str:
        """An enum member's label in this language (``Handed off``, ``Transmise``).

        Parameters:
            member: A member of one of :data:`~civicinnov.i18n.LABELLED_ENUMS`.

        Returns:
            The member's label in this language.

        Raises:
            ValidationError: ``member`` is not a member of a labelled enum.

        Example:
            >>> from civicinnov.model import InitiativeStatus
            >>> Words("en").label(InitiativeStatus.HANDED_OFF)
            'Handed off'
        """
        return self._.label(member)

    def number(self, value: Any, decimals: int | None = None) -> str:
        """A number as the language writes it (``11,450``; ``0.25``; ``11 450``; ``0,25``).

        Parameters:
            value: Anything :class:`float` accepts (an int, a float, a numpy scalar).
            decimals: Exactly this many decimals; ``None`` (the default) writes a whole number without
                decimals and any other with one decimal from 100 up, two from 1, three from 0.01
                and six below, trailing zeros dropped.

        Returns:
            The number with this language's group and decimal signs; ``NaN``, ``∞`` or ``-∞`` for a
            value that is not finite.

        Example:
            >>> Words("en").number(1234.5), Words("en").number(3, decimals=1)
            ('1,234.5', '3.0')
        """
        number = float(value)
        if number != number:  # noqa: PLR0124 - a NaN test
            return "NaN"
        if number in (float("inf"), float("-inf")):
            return "∞" if number > 0 else "-∞"
        if decimals is None:
            if number == int(number) and abs(number) < 1e15:
                text = f"{int(number):,}"
            else:
                text = f"{number:,.{_places(number)}f}".rstrip("0").rstrip(".")
        else:
            text = f"{number:,.{decimals}f}"
        return text.replace(",", "\x00").replace(".", self._decimal).replace("\x00", self._group)

    def percent(self, share: float) -> str:
        """A share as a whole percentage (``57%``, ``57 %``).

        Parameters:
            share: A share (``0.573`` for 57.3 %).

        Returns:
            The share times 100, rounded to a whole number, with this language's percent sign.

        Example:
            >>> Words("en").percent(0.573)
            '57%'
        """
        space = "\u202f" if self.language == "fr" else ""
        return f"{round(share * 100):d}{space}%"

    def quantity(self, q: Any) -> str | None:
        """A quantity as ``11,450 dwelling`` in this language (None stays None).

        Parameters:
            q: A pint quantity, or ``None``.

        Returns:
            The magnitude as :meth:`number` writes it and the unit as :meth:`unit` writes it (the
            number alone for a dimensionless quantity); ``None`` for ``None``.

        Example:
            >>> Words("en").quantity(None) is None
            True
        """
        if q is None:
            return None
        unit = self.unit(q.units)
        number = self.number(q.magnitude)
        return f"{number} {unit}" if unit else number

    def money(self, totals: Money | Iterable[Money]) -> str:
        """Amounts of money in this language, one per currency, joined by commas.

        Parameters:
            totals: One amount of money, or an iterable of them (usually one per currency).

        Returns:
            Each amount as :func:`civicinnov.i18n.format_money` writes it, joined by ``", "``.

        Raises:
            ValidationError: an item is not a :class:`~civicinnov.money.Money`.

        Example:
            >>> Words("en").money(Money.parse("$1.4 million"))
            'US$1,400,000.00'
        """
        items = [totals] if isinstance(totals, Money) else list(totals)
        return ", ".join(format_money(m, self.lang) for m in items)

    def date(self, value: dt.date | str | None) -> str:
        """A date as the language writes it (``July 11, 2017``); ``""`` for None.

        Parameters:
            value: A :class:`datetime.date`, a partial-date text (``"2017"``, ``"2017-07"``,
                ``"2017-07-11"``), or ``None``.

        Returns:
            The date as :func:`civicinnov.i18n.format_date` writes it in this language; ``""`` for
            ``None``.

        Raises:
            ValidationError: a value that is not a date.

        Example:
            >>> Words("en").date("2017-07")
            'July 2017'
        """
        if value is None:
            return ""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = format_date(value, self.lang)
        return text

    def yes_no(self, value: bool | None) -> str:  # noqa: FBT001 - a private helper flag
        """``Yes``, ``No`` or ``""`` (unknown) in this language.

        Parameters:
            value: The answer; ``None`` when unknown.

        Returns:
            The translated ``Yes`` or ``No``; ``""`` for ``None``.

        Example:
            >>> Words("fr").yes_no(True)
            'Oui'
        """
        return "" if value is None else self("Yes") if value else self("No")

    def progress(self, status: str) -> str:
        """A progress status value (``"no_data"``) as its label (``No data``).

        Parameters:
            status: The value of a :class:`~civicinnov.evaluation.ProgressStatus` member.

        Returns:
            The status's label in this language.

        Example:
            >>> Words("en").progress("in_progress")
            'In progress'
        """
        return self.label(ProgressStatus(status))

    def sms(self, level: SMSLevel | None) -> str:
        """An evidence level's label, or "Not evaluated yet".

        Parameters:
            level: An evidence level, or ``None`` before any evaluation.

        Returns:
            The level's label in this language, or the translated ``Not evaluated yet`` for ``None``.

        Example:
            >>> Words("en").sms(None)
            'Not evaluated yet'
        """
        return self("Not evaluated yet") if level is None else self.label(level)


def _places(number: float) -> int:
    """Decimals that keep about four significant digits (at least one, at most six)."""
    magnitude = abs(number)
    if magnitude >= 100:
        return 1
    if magnitude >= 1:
        return 2
    return 3 if magnitude >= 0.01 else 6


def quantity_text(q: Any) -> str | None:
    """A quantity as ``"11,450 dwelling"`` for JSON (English digits, pint's unit text).

    Parameters:
        q: A pint quantity, or ``None``.

    Returns:
        The magnitude with comma groups (a float to six significant digits) and pint's short unit
        text (``km``); ``None`` for ``None``.

    Example:
        >>> quantity_text(None) is None
        True
    """
    if q is None:
        return None
    magnitude = q.magnitude
    number = f"{magnitude:,.6g}" if isinstance(magnitude, float) else f"{magnitude:,}"
    unit = format(q.units, "~D") or ""
    return f"{number} {unit}".strip()


def sms_key(level: SMSLevel | None) -> str:
    """The key of an evidence level in JSON reports: ``sms-3``, or ``none`` before any evaluation.

    Parameters:
        level: An evidence level, or ``None`` before any evaluation.

    Returns:
        ``"sms-<level>"``, or ``"none"`` for ``None``.

    Example:
        >>> sms_key(None), sms_key(SMSLevel(3))
        ('none', 'sms-3')
    """
    return "none" if level is None else f"sms-{int(level)}"
