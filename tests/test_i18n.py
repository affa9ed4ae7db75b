"""Message catalogues, labels and locale formatting: every label in both languages, Babel's output."""

from __future__ import annotations

import datetime as dt
import enum
import string
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, strategies as st

from civicinnov import i18n
from civicinnov.errors import CivicError, ValidationError
from civicinnov.evaluation.progress import ProgressStatus, SDGStatus, TrackStatus, TurnStatus
from civicinnov.i18n import (
    ENGLISH_LABELS,
    LABELLED_ENUMS,
    MESSAGES,
    PLURALS,
    SUPPORTED_LANGUAGES,
    UNIT_WORDS,
    catalogue,
    format_date,
    format_money,
    format_number,
    format_percent,
    label,
    translator,
    unit_label,
)
from civicinnov.model import InitiativeStatus, NestaLevel, Phase, SMSLevel
from civicinnov.money import Money
from civicinnov.network.graph import RelationKind
from civicinnov.programme import FundingKind, TieKind

NNBSP, NBSP = "\u202f", "\xa0"


def spaces(text: str) -> str:
    """French output with its no-break spaces as plain spaces, for readable expectations."""
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# ------------------------------------------------------------------ completeness
def test_the_labels_cover_the_enums_a_report_shows() -> None:
    wanted = {
        Phase, InitiativeStatus, ProgressStatus, TrackStatus, SDGStatus, TurnStatus, SMSLevel,
        NestaLevel, FundingKind, TieKind, RelationKind,
    }  # fmt: skip
    assert wanted <= set(LABELLED_ENUMS)


@pytest.mark.parametrize("cls", LABELLED_ENUMS, ids=lambda c: c.__name__)
def test_every_member_of_every_labelled_enum_has_a_label_in_every_language(
    cls: type[enum.Enum],
) -> None:
    assert set(ENGLISH_LABELS[cls]) == {m.name for m in cls}
    for member in cls:
        english = label(member, "en")
        assert english
        assert english[0].isupper() or english[0].isdigit(), english
        for lang in SUPPORTED_LANGUAGES[1:]:
            translated = label(member, lang)
            assert (cls.__name__, english) in catalogue(lang), f"{lang}: {cls.__name__}.{english}"
            assert translated.strip()


@pytest.mark.parametrize("cls", LABELLED_ENUMS, ids=lambda c: c.__name__)
def test_labels_tell_the_members_of_one_enum_apart(cls: type[enum.Enum]) -> None:
    for lang in SUPPORTED_LANGUAGES:
        labels = [label(m, lang) for m in cls]
        assert len(set(labels)) == len(labels), (lang, labels)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES[1:])
def test_every_message_has_a_translation_with_the_same_fields(lang: str) -> None:
    entries = catalogue(lang)
    for msgid in MESSAGES:
        assert (None, msgid) in entries, f"{lang}: no translation of {msgid!r}"
        assert fields(str(entries[(None, msgid)])) == fields(msgid), msgid
    for pair in PLURALS:
        assert (None, pair) in entries, f"{lang}: no translation of {pair!r}"
        forms = entries[(None, pair)]
        assert isinstance(forms, tuple)
        assert len(forms) == 2
        assert all(fields(f) == fields(pair[1]) == fields(pair[0]) for f in forms)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES[1:])
def test_the_catalogue_holds_nothing_the_program_does_not_ask_for(lang: str) -> None:
    known: set[object] = {(None, m) for m in MESSAGES} | {(None, p) for p in PLURALS}
    known |= {("unit", word) for word in UNIT_WORDS.values()}
    known |= {
        (cls.__name__, text) for cls, labels in ENGLISH_LABELS.items() for text in labels.values()
    }
    assert set(catalogue(lang)) - known == set()


def test_message_ids_are_unique_and_english_is_their_own_text() -> None:
    assert len(set(MESSAGES)) == len(MESSAGES)
    assert len(set(PLURALS)) == len(PLURALS)
    en = translator("en")
    for msgid in MESSAGES:
        assert en(msgid, **dict.fromkeys(fields(msgid), "x")) == msgid.format(
            **dict.fromkeys(fields(msgid), "x")
        )


# ------------------------------------------------------------------ the words
def test_the_method_in_french() -> None:
    assert [label(p, "fr") for p in Phase][:5] == [
        "Lancement",
        "Enquêter sur le problème",
        "Faire émerger de nouvelles idées",
        "Préparer la mise en œuvre",
        "Mettre en œuvre et ajuster",
    ]
    assert [label(p) for p in Phase][:5] == [
        "Getting started",
        "Investigate the problem",
        "Generate new ideas",
        "Prepare to deliver",
        "Deliver and adapt",
    ]
    assert label(InitiativeStatus.HANDED_OFF) == "Handed off"
    assert label(InitiativeStatus.PILOTING, "fr") == "En expérimentation"
    assert label(TrackStatus.ON_TRACK, "fr") == "Dans les temps"


def test_two_enums_may_share_an_english_label_and_keep_their_own_translation() -> None:
    # IntEnum members with equal values are equal: the labels must still differ
    assert SMSLevel.CORRELATION == NestaLevel.ACCOUNT_OF_IMPACT
    assert label(SMSLevel.CORRELATION) != label(NestaLevel.ACCOUNT_OF_IMPACT)
    assert label(ProgressStatus.NO_DATA, "fr") == label(TrackStatus.NO_DATA, "fr")


def test_translator_messages_fields_and_plurals() -> None:
    fr = translator("fr")
    assert fr("Challenges by phase") == "Défis par phase"
    assert spaces(fr("{count} of {total}", count=11450, total=20000)) == "11 450 sur 20 000"
    assert translator("en")("{count} of {total}", count=11450, total=20000) == "11,450 of 20,000"
    # French: 0 and 1 are singular; English: only 1
    assert [fr.plural("{count} city", "{count} cities", n) for n in (0, 1, 2)] == [
        "0 ville",
        "1 ville",
        "2 villes",
    ]
    en = translator("en")
    assert [en.plural("{count} city", "{count} cities", n) for n in (0, 1, 2)] == [
        "0 cities",
        "1 city",
        "2 cities",
    ]
    assert fr.lang == "fr"
    assert fr.language == "fr"
    assert translator("fr") is fr


def test_translators_are_strict() -> None:
    fr = translator("fr")
    with pytest.raises(ValidationError, match=r"message 'Nope' is not in the catalogue"):
        fr("Nope")
    with pytest.raises(ValidationError, match=r"plural message .* is not in the catalogue"):
        fr.plural("{count} cat", "{count} cats", 2)
    with pytest.raises(
        ValidationError, match=r"expected the fields \['metric', 'place'\], missing \['place'\]"
    ):
        fr("{metric} — {place}", metric="Meurtres")

    class Colour(enum.Enum):
        RED = "red"

    with pytest.raises(
        ValidationError,
        match=r"expected a member of one of the labelled enums \(Phase, .*got Colour",
    ):
        label(Colour.RED)
    with pytest.raises(ValidationError, match="got str 'deliver'"):
        label("deliver")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["de", "english", "", "fr-XX-YY", None, 3, "f" * 100])
def test_unknown_languages_are_refused_with_the_list(bad: object) -> None:
    for call in (
        lambda: translator(bad),  # type: ignore[arg-type]
        lambda: label(Phase.DELIVER, bad),  # type: ignore[arg-type]
        lambda: format_number(1, bad),  # type: ignore[arg-type]
        lambda: format_date("2017", bad),  # type: ignore[arg-type]
    ):
        with pytest.raises(
            ValidationError, match=r"expected one of the supported languages en, fr"
        ) as info:
            call()
        assert isinstance(info.value, CivicError)
        assert isinstance(info.value, ValueError)


def test_regions_choose_the_formatting_and_unknown_regions_are_refused() -> None:
    assert translator("fr-CA").language == "fr"
    assert translator("fr-CA")("Cohorts") == "Cohortes"
    assert format_number(11450, "fr-CA") == f"11{NBSP}450"  # Canada: a no-break space
    assert format_date(dt.date(2017, 7, 11), "en-GB") == "11 July 2017"
    with pytest.raises(ValidationError, match=r"Babel has no locale data for 'fr-ZZ'"):
        translator("fr-ZZ")


# ------------------------------------------------------------------ formatting
def test_numbers() -> None:
    assert format_number(11450, "en") == "11,450"
    assert format_number(11450, "fr") == f"11{NNBSP}450"
    assert format_number(np.int64(11450), "en") == "11,450"
    assert format_number(np.float64(0.125), "fr") == "0,125"
    assert format_number(Decimal("1234.5"), "en") == "1,234.5"
    assert format_number(1234.5678, "en", decimals=2) == "1,234.57"
    assert format_number(3, "fr", decimals=0) == "3"
    assert format_number(float("nan"), "fr") == "NaN"
    with pytest.raises(ValidationError, match="value: expected a number, got str '3'"):
        format_number("3", "en")
    with pytest.raises(ValidationError, match="expected a number, got bool"):
        format_number(True, "en")
    with pytest.raises(ValidationError, match="decimals: expected a non-negative integer"):
        format_number(3, "en", decimals=-1)


def test_percentages() -> None:
    assert format_percent(0.456, "en") == "46%"
    assert format_percent(0.456, "fr") == f"46{NBSP}%"
    assert format_percent(0.4567, "fr", decimals=1) == f"45,7{NBSP}%"
    with pytest.raises(ValidationError, match="decimals"):
        format_percent(0.5, "en", decimals=-2)


def test_money() -> None:
    grant = Money.parse("$1.4 million")
    assert format_money(grant, "en") == "US$1,400,000.00"
    assert format_money(grant, "fr") == f"1{NNBSP}400{NNBSP}000,00{NBSP}$US"
    assert format_money(Money(amount="750000", currency="EUR"), "fr") == f"750{NNBSP}000,00{NBSP}€"
    assert format_money(Money(amount="750000", currency="EUR"), "en") == "€750,000.00"
    assert format_money(Money(amount="-5", currency="USD"), "en") == "-US$5.00"
    # nothing is rounded away
    assert format_money(Money(amount="0.125", currency="USD"), "en") == "US$0.125"
    assert format_money(Money(amount="12", currency="ILS"), "en") == "₪12.00"
    with pytest.raises(
        ValidationError, match=r"money: expected a civicinnov\.money\.Money, got int 3"
    ):
        format_money(3, "en")  # type: ignore[arg-type]


def test_dates_with_their_precision() -> None:
    day = dt.date(2017, 7, 11)
    assert format_date(day, "fr") == "11 juillet 2017"
    assert format_date(day, "en") == "July 11, 2017"
    assert format_date(dt.datetime(2017, 7, 11, 9, 30), "en") == "July 11, 2017"
    assert format_date(day, "fr", precision="month") == "juillet 2017"
    assert format_date(day, "en", precision="month") == "July 2017"
    assert format_date(day, "fr", precision="year") == "2017"
    assert format_date("2017-07", "fr") == "juillet 2017"
    assert format_date("2017", "en") == "2017"
    assert format_date("2017-07-11", "en") == "July 11, 2017"
    assert format_date("2017-07-11", "en", precision="year") == "2017"
    with pytest.raises(
        ValidationError, match="precision: expected one of day, month, year, got 'week'"
    ):
        format_date(day, "en", precision="week")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"date: expected a date or ISO text .* got 'July'"):
        format_date("July", "en")
    with pytest.raises(ValidationError, match=r"'2017-02-30' is not a calendar date"):
        format_date("2017-02-30", "en")
    with pytest.raises(
        ValidationError, match=r"expected a datetime.date, a partial date or ISO text, got int"
    ):
        format_date(2017, "en")  # type: ignore[arg-type]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_month_and_year_precision_keep_only_what_is_known(day: dt.date) -> None:
    for lang in SUPPORTED_LANGUAGES:
        assert format_date(day, lang, precision="year") == str(day.year)
        month = format_date(day, lang, precision="month")
        assert month == format_date(day.replace(day=1), lang, precision="month")
        assert str(day.year) in month
        assert month in format_date(day, lang) or lang == "en"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_numbers_read_back(n: int) -> None:
    assert int(format_number(n, "en").replace(",", "")) == n
    assert int(format_number(n, "fr").replace(NNBSP, "").replace("\u2212", "-")) == n


def test_importing_i18n_does_not_import_babel() -> None:
    code = "import sys, civicinnov.i18n; print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_face_lists_its_names() -> None:
    assert len(set(i18n.__all__)) == len(i18n.__all__)
    for name in i18n.__all__:
        assert getattr(i18n, name) is not None


def test_units_in_words_for_each_language() -> None:
    for lang in SUPPORTED_LANGUAGES[1:]:
        for word in set(UNIT_WORDS.values()):
            assert ("unit", word) in catalogue(lang), f"{lang}: no translation of the unit {word!r}"
    assert unit_label("incident / month") == "incident/month"
    assert unit_label("incident / month", "fr") == "incident/mois"
    assert unit_label("year") == "year"  # not pint's "a"
    assert unit_label("call / d", "fr") == "appel/jour"
    assert unit_label("household", "fr") == "ménage"
    assert unit_label("foot", "fr") == "ft"  # symbols stay
    assert unit_label("", "fr") == "sans unité"
    assert unit_label("percent", "fr") == "%"


def test_a_member_added_without_a_label_is_named_in_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(ENGLISH_LABELS[Phase], "COMPLETE")  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match=r"Phase\.COMPLETE has no label yet"):
        label(Phase.COMPLETE, "fr")


def test_partial_dates_are_written_to_the_precision_their_source_gives() -> None:
    from civicinnov._values import PartialDate

    assert format_date(PartialDate.parse("2017-07"), "fr") == "juillet 2017"
    assert format_date(PartialDate.parse("2017"), "en") == "2017"
    assert format_date(PartialDate.parse("2017-07-11"), "en") == "July 11, 2017"
    assert format_date(PartialDate.parse("2017-07-11"), "fr", precision="month") == "juillet 2017"
