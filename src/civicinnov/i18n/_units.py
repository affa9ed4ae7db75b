"""Units written for readers in a language: ``incident/month`` in English, ``incident/mois`` in French.

A unit is first written in pint's short pretty form (``ft``, ``person/km²``, ``%``); then each
word that is not a symbol a reader of either language knows is replaced by a word: pint's ``a``
(annum) and ``d`` become ``year`` and ``day``, the civic counting units (``person``,
``household``, ``dwelling``...) and calendar words are translated (msgctxt ``unit`` in the
catalogues), and the rate scales read ``per 1,000`` / ``pour 1 000``. Symbols (``km``, ``ft``,
``kWh``, ``%``) stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from civicinnov.i18n._language import language_of
from civicinnov.i18n._translate import catalogue
from civicinnov.units import parse_unit

if TYPE_CHECKING:
    from civicinnov.units import Unit

__all__ = ["UNIT_WORDS", "unit_label"]

#: The English word for each unit word or symbol that is replaced; the catalogues translate these
#: words (msgctxt ``unit``).
UNIT_WORDS: Mapping[str, str] = {
    "person": "person",
    "household": "household",
    "incident": "incident",
    "case": "case",
    "property": "property",
    "call": "call",
    "dwelling": "dwelling",
    "business": "business",
    "a": "year",
    "year": "year",
    "month": "month",
    "week": "week",
    "d": "day",
    "day": "day",
    "per_thousand": "per 1,000",
    "per_hundred_thousand": "per 100,000",
    "dimensionless": "dimensionless",
}

_WORD = re.compile(r"[A-Za-z_]+")


def unit_label(unit: Unit | str, lang: str = "en") -> str:
    """A unit as text for a reader of ``lang``.

    Parameters:
        unit: a pint unit or unit text.
        lang: a language tag.

    Returns:
        The text; ``dimensionless`` (``sans unité``) for a dimensionless unit.

    Raises:
        UnitError: unit text pint cannot read.
        ValidationError: an unsupported language.

    Example:
        >>> unit_label("incident / month"), unit_label("incident / month", "fr")
        ('incident/month', 'incident/mois')
        >>> unit_label("dwelling", "fr"), unit_label("year"), unit_label("person / km**2", "fr")
        ('logement', 'year', 'personne/km²')
    """
    language = language_of(lang)
    parsed = parse_unit(unit, where="unit") if isinstance(unit, str) else unit
    text = f"{parsed:~P}" or "dimensionless"
    entries = catalogue(language)

    def word(match: re.Match[str]) -> str:
        english = UNIT_WORDS.get(match.group(0))
        if english is None:
            return match.group(0)
        return str(entries.get(("unit", english), english))

    return _WORD.sub(word, text)
