"""Renderers: the same sections in every format (text, Markdown, JSON, site), names not ids, French."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

from civicinnov.datasets import load_iteams
from civicinnov.errors import ValidationError
from civicinnov.programme import SECTIONS, build_report
from civicinnov.render import Words, render_json, render_markdown, render_text, report_tables
from civicinnov.site import build_site


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return build_report(load_iteams())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_format_shows_the_same_sections(report, lang: str, tmp_path: pathlib.Path) -> None:  # type: ignore[no-untyped-def]
    titles = [t.title for t in report_tables(report, lang=lang)]
    assert [t.section for t in report_tables(report, lang=lang)] == list(SECTIONS)
    text = render_text(report, lang=lang).splitlines()
    text_titles = [
        line
        for i, line in enumerate(text[2:], 2)
        if line and not line.startswith(" ") and text[i - 1] == ""
    ]
    markdown = [
        line[3:]
        for line in render_markdown(report, lang=lang).splitlines()
        if line.startswith("## ")
    ]
    data = json.loads(render_json(report, lang=lang))
    build_site(load_iteams(), tmp_path / "site", lang=lang)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    site_sections = [s for s in re.findall(r'<section id="([a-z_]+)">', index) if s in SECTIONS]
    site_titles = [
        re.search(rf'<section id="{s}"><h2>([^<]*)</h2>', index).group(1)  # type: ignore[union-attr]
        for s in site_sections
    ]
    assert text_titles == titles
    assert markdown == titles
    assert site_sections == list(SECTIONS)
    assert [t.replace("&#x27;", "'") for t in site_titles] == titles
    assert set(SECTIONS) <= set(data)
    assert data["lang"] == lang


def test_names_not_ids_in_every_format(report) -> None:  # type: ignore[no-untyped-def]
    text = render_text(report)
    markdown = render_markdown(report)
    for out in (text, markdown):
        assert "Tel Aviv-Yafo" in out
        assert "Handed off" in out
        assert "handed_off" not in out
        assert "| tel-aviv " not in out
    data = json.loads(render_json(report))
    assert data["names"]["tel-aviv"] == "Tel Aviv-Yafo"
    assert data["labels"]["funnel"]["handed_off"] == "Handed off"
    assert data["ties"][0]["city_name"] == "Mulhouse"
    # the id is kept where a command needs it: cohorts and challenges without targets
    assert "(france-2017)" in text
    assert "nola-murders" in text


def test_french_numbers_money_and_dates(report) -> None:  # type: ignore[no-untyped-def]
    text = render_text(report, lang="fr").replace("\u202f", " ").replace("\xa0", " ")
    assert "11 juillet 2017" in text
    assert "1 400 000,00 $US" in text
    assert "Transmise" in text
    assert "1 022 personne" in text or "1 022 person" in text


def test_progress_line_without_data_reads_plainly() -> None:
    report = build_report(load_iteams(), as_of=__import__("datetime").date(2012, 12, 31))
    text = render_text(report)
    line = next(line for line in text.splitlines() if "Unsheltered people" in line)
    assert "No data · Target 800 person by December 31, 2013" in line
    assert "no data: no data" not in text.lower()


def test_words() -> None:
    w = Words("fr")
    assert w.number(11450).replace("\u202f", " ") == "11 450"
    assert w.number(0.25) == "0,25"
    assert w.percent(0.5).replace("\u202f", " ") == "50 %"
    assert Words("en").yes_no(None) == ""
    with pytest.raises(ValidationError, match="en, fr"):
        Words("de")


def test_a_provisional_latest_value_is_flagged_in_the_report() -> None:
    import attrs

    from civicinnov.datasets import load_iteams
    from civicinnov.programme import build_report
    from civicinnov.render import render_json, render_text

    p = load_iteams()
    [row] = p.progress()
    series = [s for s in p.series if s.metric_id == row.metric_id]
    flagged = [attrs.evolve(s, statuses=["provisional"] * len(s)) for s in series]
    q = attrs.evolve(p, series=tuple(flagged) + tuple(s for s in p.series if s not in series))
    report = build_report(q)
    assert "[Provisional]" in render_text(report)
    assert "[Provisoire]" in render_text(report, lang="fr")
    assert '"latest_status": "provisional"' in render_json(report)
    assert "[Provisional]" not in render_text(build_report(p))
