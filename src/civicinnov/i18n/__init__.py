"""Reports and sites in English and French: message catalogues, labels and locale formatting.

- :func:`translator` returns a :class:`Translator` for a language tag (``"en"``, ``"fr"``,
  ``"fr-CA"``): call it with a message id of :data:`MESSAGES` (``_("Cohorts")``), ask it for a
  plural of :data:`PLURALS` or for the :meth:`~Translator.label` of an enum member.
- :func:`label` names a member of one of :data:`LABELLED_ENUMS` (phases, initiative statuses,
  progress and track statuses, evidence levels, funding and tie kinds, relation kinds...):
  ``label(Phase.GETTING_STARTED, "fr")`` is ``"Lancement"``.
- :func:`unit_label` writes a unit for a reader (``incident/mois``).
- :func:`format_number`, :func:`format_percent`, :func:`format_money` and :func:`format_date`
  write values as the language does, with Babel's CLDR data: ``11 450``, ``1 400 000,00 $US``,
  ``11 juillet 2017`` in French; ``11,450``, ``US$1,400,000.00``, ``July 11, 2017`` in English.

The catalogues are gettext ``.po`` files in ``civicinnov/i18n/locale/<lang>/LC_MESSAGES/``;
English is the source language. The wording of the method follows the French public-innovation
vocabulary (*enquêter*, *faire émerger des idées*, *mise en œuvre*, *expérimentation*). Babel is a
runtime dependency imported on first use; an unknown language raises
:class:`~civicinnov.errors.ValidationError` listing :data:`SUPPORTED_LANGUAGES`.

Example:
    >>> from civicinnov.i18n import format_money, label, translator
    >>> from civicinnov.model import Phase
    >>> from civicinnov.money import Money
    >>> _ = translator("fr")
    >>> _("Funding"), label(Phase.DELIVER, "fr")
    ('Financement', 'Mettre en œuvre et ajuster')
    >>> format_money(Money.parse("$1.4 million"), "en")
    'US$1,400,000.00'
"""

from civicinnov.i18n._format import (
    Precision as Precision,
    format_date as format_date,
    format_money as format_money,
    format_number as format_number,
    format_percent as format_percent,
)
from civicinnov.i18n._labels import (
    ENGLISH_LABELS as ENGLISH_LABELS,
    LABELLED_ENUMS as LABELLED_ENUMS,
)
from civicinnov.i18n._language import (
    SUPPORTED_LANGUAGES as SUPPORTED_LANGUAGES,
    babel_locale as babel_locale,
    language_of as language_of,
)
from civicinnov.i18n._messages import MESSAGES as MESSAGES, PLURALS as PLURALS
from civicinnov.i18n._translate import (
    Translator as Translator,
    catalogue as catalogue,
    label as label,
    translator as translator,
)
from civicinnov.i18n._units import UNIT_WORDS as UNIT_WORDS, unit_label as unit_label

__all__ = [
    "ENGLISH_LABELS",
    "LABELLED_ENUMS",
    "MESSAGES",
    "PLURALS",
    "SUPPORTED_LANGUAGES",
    "UNIT_WORDS",
    "Precision",
    "Translator",
    "babel_locale",
    "catalogue",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "label",
    "language_of",
    "translator",
    "unit_label",
]
