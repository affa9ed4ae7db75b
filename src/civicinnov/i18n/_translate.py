"""Translators: messages and enum labels in a language, read from gettext catalogues.

The catalogues are gettext ``.po`` files shipped in the package
(``civicinnov/i18n/locale/<lang>/LC_MESSAGES/civicinnov.po``), read once per language with Babel
(``babel.messages.pofile``) and kept. English is the source language: its messages are their own
ids (:mod:`civicinnov.i18n._messages`), its enum labels are in :mod:`civicinnov.i18n._labels`.

A translator is strict: a message id that is not in :data:`~civicinnov.i18n.MESSAGES` (or a
plural pair not in :data:`~civicinnov.i18n.PLURALS`), or an enum with no labels, raises a
:class:`~civicinnov.errors.ValidationError`, so a renderer's missing message is found by its tests
rather than shown to a reader in the wrong language.
"""

from __future__ import annotations

import enum
import functools
import string
from collections.abc import Mapping
from importlib import resources
from typing import Any

import attrs

from civicinnov.errors import ValidationError
from civicinnov.i18n._format import format_number
from civicinnov.i18n._labels import ENGLISH_LABELS, LABELLED_ENUMS
from civicinnov.i18n._language import SUPPORTED_LANGUAGES, babel_locale, language_of
from civicinnov.i18n._messages import MESSAGES, PLURALS

__all__ = ["Translator", "catalogue", "label", "translator"]

_KNOWN = frozenset(MESSAGES)
_KNOWN_PLURALS = frozenset(PLURALS)
_Key = tuple[str | None, str | tuple[str, str]]


@functools.cache
def catalogue(language: str) -> Mapping[_Key, str | tuple[str, ...]]:
    """The translations of one catalogue language, keyed by ``(context, id)``.

    Plural entries are keyed by ``(None, (singular, plural))`` and hold one string per plural
    form. English, the source language, has an empty catalogue. Untranslated and fuzzy entries
    are left out.

    Parameters:
        language: one of :data:`~civicinnov.i18n.SUPPORTED_LANGUAGES` (no region).

    Returns:
        A read-only mapping, read once and kept.

    Raises:
        ValidationError: ``language`` is not a catalogue language.

    Example:
        >>> catalogue("fr")[("Phase", "Deliver and adapt")]
        'Mettre en œuvre et ajuster'
        >>> len(catalogue("en"))
        0
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValidationError(
            f"language: expected one of {', '.join(SUPPORTED_LANGUAGES)}, got {language!r}"
        )
    if language == SUPPORTED_LANGUAGES[0]:
        return {}
    from babel.messages.pofile import read_po  # Babel on first use: `import civicinnov` is cheap

    path = resources.files("civicinnov.i18n").joinpath(
        "locale", language, "LC_MESSAGES", "civicinnov.po"
    )
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=language, domain="civicinnov")
    entries: dict[_Key, str | tuple[str, ...]] = {}
    for message in parsed:
        if not message.id or message.fuzzy:
            continue
        text = message.string
        if isinstance(text, tuple):
            if all(text):
                entries[(message.context, (str(message.id[0]), str(message.id[1])))] = tuple(
                    str(t) for t in text
                )
        elif text:
            entries[(message.context, str(message.id))] = str(text)
    return entries


def _fill(template: str, fields: Mapping[str, Any], lang: str, msgid: str) -> str:
    wanted = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = sorted(wanted - set(fields))
    if missing:
        raise ValidationError(
            f"message {msgid!r}: expected the fields {sorted(wanted)}, missing {missing}"
        )
    shown = {
        name: format_number(value, lang)
        if not isinstance(value, bool) and isinstance(value, int | float)
        else value
        for name, value in fields.items()
    }
    return template.format(**shown)


@attrs.frozen(kw_only=True)
class Translator:
    """Messages, labels and numbers in one language; call it with a message id.

    Build one with :func:`translator`. Calling it returns the message in its language with the
    ``{fields}`` filled in; ``int`` and ``float`` fields are written as the language writes
    numbers. :meth:`plural` picks the form by the language's plural rule (French treats 0 and 1
    as singular), :meth:`label` names an enum member.

    Attributes:
        lang: the tag it was built from, normalised (``"fr"``, ``"fr_CA"``).
        language: the catalogue language (``"fr"``).

    Example:
        >>> from civicinnov.model import InitiativeStatus
        >>> _ = translator("fr")
        >>> _("Cohorts"), _.label(InitiativeStatus.HANDED_OFF)
        ('Cohortes', 'Transmise')
        >>> _.plural("{count} city", "{count} cities", 0), _.plural("{count} city", "{count} cities", 2)
        ('0 ville', '2 villes')
        >>> translator("en")("{metric} — {place}", metric="Murders", place="New Orleans")
        'Murders — New Orleans'
    """

    lang: str
    language: str

    def __call__(self, msgid: str, /, **fields: Any) -> str:
        """The message ``msgid`` in this language, with its fields filled in.

        Parameters:
            msgid: a message id of :data:`~civicinnov.i18n.MESSAGES`.
            **fields: values for the message's ``{fields}``.

        Returns:
            The text.

        Raises:
            ValidationError: an unknown message id or a missing field.

        Example:
            >>> translator("fr")("{level} confidence interval", level="95 %")
            'Intervalle de confiance à 95 %'
        """
        if msgid not in _KNOWN:
            raise ValidationError(
                f"message {msgid!r} is not in the catalogue; add it to civicinnov.i18n's "
                "MESSAGES and translate it in every locale/<lang>/LC_MESSAGES/civicinnov.po"
            )
        text = catalogue(self.language).get((None, msgid), msgid)
        return _fill(str(text), fields, self.lang, msgid)

    def plural(self, singular: str, plural: str, count: int, /, **fields: Any) -> str:
        """The singular or plural message for ``count``, with ``{count}`` and the fields filled.

        Parameters:
            singular: the singular id of a pair in :data:`~civicinnov.i18n.PLURALS`.
            plural: its plural id.
            count: the number the message counts.
            **fields: values for the other ``{fields}``.

        Returns:
            The text.

        Raises:
            ValidationError: an unknown pair or a missing field.

        Example:
            >>> translator("en").plural("{count} tie", "{count} ties", 1)
            '1 tie'
        """
        pair = (singular, plural)
        if pair not in _KNOWN_PLURALS:
            raise ValidationError(
                f"plural message {pair!r} is not in the catalogue; add it to civicinnov.i18n's "
                "PLURALS and translate it in every locale/<lang>/LC_MESSAGES/civicinnov.po"
            )
        import babel  # Babel on first use, so `import civicinnov` stays cheap

        one = babel.Locale.parse(self.language).plural_form(abs(count)) == "one"
        forms = catalogue(self.language).get((None, pair), pair)
        template = forms[0] if one else forms[-1]
        return _fill(str(template), {**fields, "count": count}, self.lang, singular)

    def label(self, member: enum.Enum) -> str:
        """The label of an enum member (a phase, a status, a kind...) in this language.

        Parameters:
            member: a member of one of :data:`~civicinnov.i18n.LABELLED_ENUMS`.

        Returns:
            The label.

        Raises:
            ValidationError: ``member`` is not a member of a labelled enum.

        Example:
            >>> from civicinnov.model import Phase
            >>> translator("en").label(Phase.GETTING_STARTED)
            'Getting started'
        """
        labels = ENGLISH_LABELS.get(type(member)) if isinstance(member, enum.Enum) else None
        if labels is None:
            names = ", ".join(cls.__name__ for cls in LABELLED_ENUMS)
            raise ValidationError(
                f"member: expected a member of one of the labelled enums ({names}), got "
                f"{type(member).__name__} {member!r}"
            )
        english = labels.get(member.name)
        if english is None:
            raise ValidationError(
                f"member: {type(member).__name__}.{member.name} has no label yet; add it to "
                "civicinnov.i18n's ENGLISH_LABELS and translate it in every catalogue"
            )
        return str(catalogue(self.language).get((type(member).__name__, english), english))


@functools.cache
def _translator(lang: str) -> Translator:
    return Translator(lang=babel_locale(lang), language=language_of(lang))


def translator(lang: str) -> Translator:
    """The :class:`Translator` of a language tag (built once per tag, then reused).

    Parameters:
        lang: ``"en"``, ``"fr"``, or one of them with a region (``"fr-CA"``): the language picks
            the messages, the region how numbers and dates are written.

    Returns:
        The translator.

    Raises:
        ValidationError: an unsupported language; the message lists the supported ones.

    Example:
        >>> _ = translator("fr")
        >>> _("Challenges by phase")
        'Défis par phase'
        >>> translator("es")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: lang: expected one of the supported languages en, fr (optionally with a region, as in 'fr-CA'), got 'es'
    """
    language_of(lang)  # check before caching: only valid tags are kept
    return _translator(lang)


def label(member: enum.Enum, lang: str = "en") -> str:
    """The label of an enum member in a language: ``Handed off``, ``Transmise``.

    Parameters:
        member: a member of one of :data:`~civicinnov.i18n.LABELLED_ENUMS`.
        lang: a language tag.

    Returns:
        The label.

    Raises:
        ValidationError: an unsupported language, or an enum without labels.

    Example:
        >>> from civicinnov.model import Phase
        >>> label(Phase.INVESTIGATE), label(Phase.INVESTIGATE, "fr")
        ('Investigate the problem', 'Enquêter sur le problème')
    """
    return translator(lang).label(member)
