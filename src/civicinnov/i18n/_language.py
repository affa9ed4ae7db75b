"""Which languages the catalogues speak, and how a language tag is read.

A tag is a language the catalogues have (``"en"``, ``"fr"``), optionally with a region
(``"fr-CA"``, ``"en_GB"``): the language picks the messages, the whole tag picks how numbers,
money and dates are written (Babel's CLDR data). Anything else is refused with the list of
languages there are.
"""

from __future__ import annotations

import re
from typing import Any

from civicinnov.errors import ValidationError

__all__ = ["SUPPORTED_LANGUAGES", "babel_locale", "language_of"]

#: The languages with a message catalogue, English (the source language) first.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr")

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


def _split(lang: Any, where: str) -> tuple[str, str | None]:
    match = _TAG.match(lang) if isinstance(lang, str) and len(lang) <= 16 else None
    if match is None or match.group(1).lower() not in SUPPORTED_LANGUAGES:
        raise ValidationError(
            f"{where}: expected one of the supported languages "
            f"{', '.join(SUPPORTED_LANGUAGES)} (optionally with a region, as in 'fr-CA'), "
            f"got {lang!r}"
        )
    region = match.group(2)
    return match.group(1).lower(), region.upper() if region else None


def language_of(lang: Any, *, where: str = "lang") -> str:
    """The catalogue language of a tag: ``"fr"`` for ``"fr"``, ``"fr-CA"`` or ``"FR_fr"``.

    Parameters:
        lang: a language tag.
        where: how to name the argument in an error message.

    Returns:
        One of :data:`SUPPORTED_LANGUAGES`.

    Raises:
        ValidationError: the tag is not a supported language (the message lists them).

    Example:
        >>> language_of("fr-CA"), language_of("EN")
        ('fr', 'en')
        >>> language_of("de")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: lang: expected one of the supported languages en, fr (optionally with a region, as in 'fr-CA'), got 'de'
    """
    return _split(lang, where)[0]


def babel_locale(lang: Any, *, where: str = "lang") -> str:
    """The Babel locale identifier a tag formats with: ``"fr"``, ``"fr_CA"``, ``"en_GB"``.

    Parameters:
        lang: a language tag.
        where: how to name the argument in an error message.

    Returns:
        The identifier, for ``babel.Locale.parse``.

    Raises:
        ValidationError: the tag is not a supported language, or Babel has no data for its
            region.

    Example:
        >>> babel_locale("fr-ca"), babel_locale("en")
        ('fr_CA', 'en')
    """
    language, region = _split(lang, where)
    if region is None:
        return language
    import babel.localedata  # Babel on first use, so `import civicinnov` stays cheap

    ident = f"{language}_{region}"
    if not babel.localedata.exists(ident):
        raise ValidationError(
            f"{where}: Babel has no locale data for {lang!r}; expected a language of "
            f"{', '.join(SUPPORTED_LANGUAGES)} with a region it knows, such as 'fr-CA'"
        )
    return ident
