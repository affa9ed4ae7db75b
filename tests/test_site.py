"""The static site: pages, names not ids, languages, escaping, missing data, links, downloads."""

from __future__ import annotations

import csv
import json
import pathlib
import re

import attrs
import pytest
from tests.site_checks import check_site, parse_page
from tests.site_portfolios import generated_portfolio

from civicinnov.cli import main
from civicinnov.datasets import load_iteams
from civicinnov.errors import ValidationError
from civicinnov.model import City
from civicinnov.programme import SECTIONS, Portfolio, ResultClaim
from civicinnov.site import build_site


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def iteams_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("iteams") / "site"
    build_site(load_iteams(), out)
    return out


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("generated") / "site"
    build_site(generated_portfolio(24, 3, 24), out, lang="fr")
    return out


def test_pages_of_the_bundled_programme(iteams_site: pathlib.Path) -> None:
    p = load_iteams()
    assert (iteams_site / "index.html").is_file()
    assert (iteams_site / "network.html").is_file()
    assert (iteams_site / "claims.html").is_file()
    assert (iteams_site / "style.css").is_file()
    for challenge in p.challenges:
        assert (iteams_site / "challenges" / f"{challenge.id}.html").is_file()
    for series in p.series:
        base = iteams_site / "metrics" / series.metric_id / series.place_id
        assert base.with_suffix(".html").is_file()
        assert base.with_suffix(".csv").is_file()
        assert base.with_suffix(".json").is_file()


@pytest.mark.parametrize("which", ["iteams_site", "generated_site"])
def test_links_resources_headings_and_charts_hold(
    which: str, request: pytest.FixtureRequest
) -> None:
    root: pathlib.Path = request.getfixturevalue(which)
    assert check_site(root) == []


def test_the_checks_bite(tmp_path: pathlib.Path) -> None:
    """The site checker finds a broken link, an outside request and a skipped heading level."""
    page = tmp_path / "index.html"
    page.write_text(
        '<html><head><meta name="viewport" content="x">'
        '<link rel="stylesheet" href="https://cdn.example/x.css"></head><body>'
        '<h1>t</h1><h3>x</h3><a href="nowhere.html">x</a><table><tr><th>a</th></tr></table>'
        "<svg></svg></body></html>",
        encoding="utf-8",
    )
    problems = "\n".join(check_site(tmp_path))
    for expected in (
        "no lang",
        "leaves the folder",
        "h1 is followed by h3",
        "broken link",
        "without scope",
        "SVG without",
    ):
        assert expected in problems


def test_overview_shows_every_report_section_by_name(iteams_site: pathlib.Path) -> None:
    html = (iteams_site / "index.html").read_text(encoding="utf-8")
    ids = parse_page(iteams_site / "index.html").ids
    assert set(SECTIONS) <= ids
    assert "Tel Aviv-Yafo" in html
    assert "Handed off" in html
    assert "Getting started" in html or "Deliver and adapt" in html
    assert ">handed_off<" not in html
    assert ">tel-aviv<" not in html
    # the funnel and the map are charts with text alternatives
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'id="funnel-chart"' in html
    assert 'id="overview-map"' in html
    # funding with what it covers
    assert "What the funding covers" in html
    assert "infrastructure technology identified by the i-team" in html


def test_french_site_writes_numbers_money_and_dates_as_french(tmp_path: pathlib.Path) -> None:
    build_site(load_iteams(), tmp_path / "fr", lang="fr")
    html = _plain((tmp_path / "fr" / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="fr">' in html
    assert "11 juillet 2017" in html
    assert "1 400 000,00 $US" in html
    assert "Cohortes" in html
    assert "Transmise" in html
    metric = _plain(
        (tmp_path / "fr" / "metrics" / "atlanta-people-housed" / "atlanta.html").read_text(
            encoding="utf-8"
        )
    )
    assert "1 022" in metric
    assert "Télécharger" in metric


def test_metric_page_has_chart_progress_observations_definition_and_downloads(
    generated_site: pathlib.Path,
) -> None:
    page = generated_site / "metrics" / "metric-0" / "city-0.html"
    html = page.read_text(encoding="utf-8")
    info = parse_page(page)
    assert info.svgs == 1
    assert 'class="band"' in html
    assert 'class="target"' in html
    assert 'href="city-0.csv"' in html
    assert 'href="city-0.json"' in html
    rows = list(csv.reader((page.parent / "city-0.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["metric_id", "place_id", "period", "value", "unit"]
    assert len(rows) == 1 + 24
    assert rows[1][:3] == ["metric-0", "city-0", "2016-01"]
    metric = json.loads((page.parent / "city-0.json").read_text(encoding="utf-8"))
    assert metric["metric"]["id"] == "metric-0"
    assert metric["targets"][0]["due"] == "2019-12-31"
    assert "Couverture" in html  # coverage, in French
    assert "How many things of kind 0 happen each month" in html  # the definition


def test_missing_data_is_shown_not_hidden(generated_site: pathlib.Path) -> None:
    # series 10 (city 3, metric 1) has no observations: the page says so and has no chart
    empty = generated_site / "metrics" / "metric-1" / "city-3.html"
    html = empty.read_text(encoding="utf-8")
    assert 'class="nodata">Pas de données<' in html
    assert "<svg" not in html
    # city 6 has no coordinates: the overview says which places the map leaves out
    index = (generated_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"lieux? non représentés? \(sans coordonnées\)", index) or "City 6" in index
    assert "City 6" in index.split('id="map"')[1].split("</section>")[0]


def test_data_is_escaped(generated_site: pathlib.Path) -> None:
    index = (generated_site / "index.html").read_text(encoding="utf-8")
    assert "City &lt;3&gt; &amp; Co" in index
    assert "City <3>" not in index


def test_claims_show_their_sources_and_whether_verified(tmp_path: pathlib.Path) -> None:
    p = load_iteams()
    claim = ResultClaim(id="odd", statement="A claim", source_ids=("not-listed",), verified=False)
    p = attrs.evolve(p, claims=(*p.claims, claim))
    build_site(p, tmp_path / "s")
    html = (tmp_path / "s" / "claims.html").read_text(encoding="utf-8")
    assert "Not verified" in html
    assert "Verified" in html
    assert "not-listed" in html  # a source the programme does not list is named by its id
    assert 'rel="noopener noreferrer"' in html  # sources' web pages are plain links


def test_a_programme_without_observations_or_coordinates(tmp_path: pathlib.Path) -> None:
    p = Portfolio(name="Bare", cities=[City(id="a", name="Aville", country="FR")])
    site = build_site(p, tmp_path / "bare")
    assert "index.html" in site.pages
    html = (tmp_path / "bare" / "index.html").read_text(encoding="utf-8")
    assert "No coordinates" in html
    assert "Aville" in html
    assert check_site(tmp_path / "bare") == []


def test_refuses_a_folder_that_is_not_empty_and_never_deletes(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"is not empty.*--force"):
        build_site(load_iteams(), out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    build_site(load_iteams(), out, force=True)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "index.html").is_file()
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="not a folder"):
        build_site(load_iteams(), afile, force=True)


def test_unknown_language_writes_nothing(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValidationError, match="en, fr"):
        build_site(load_iteams(), tmp_path / "de", lang="de")
    assert not (tmp_path / "de").exists()


def test_site_command(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["site", "iteams", str(tmp_path / "s"), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "index.html" in out
    assert "pages" in out
    assert main(["site", "iteams", str(tmp_path / "s")]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert main(["site", "iteams", str(tmp_path / "s"), "--force"]) == 0
    assert main(["site", "iteams", str(tmp_path / "t"), "--lang", "de"]) == 2
    assert "expected one of en, fr" in capsys.readouterr().err


def test_without_a_baseline_only_the_target_is_drawn(iteams_site: pathlib.Path) -> None:
    """Atlanta's target has no baseline: no trajectory and no on-track band are made up."""
    html = (iteams_site / "metrics" / "atlanta-people-housed" / "atlanta.html").read_text(
        encoding="utf-8"
    )
    assert 'class="target"' in html
    assert 'class="band"' not in html


def test_the_network_page_names_the_ties_across_borders(iteams_site: pathlib.Path) -> None:
    page = (iteams_site / "network.html").read_text(encoding="utf-8")
    assert "Ties across borders the sources describe" in page
    assert "Same-cohort links across borders" in page
    for cells in (
        '<th scope="row">Mulhouse</th><td>Basel</td>',
        '<th scope="row">Basel</th><td>Freiburg im Breisgau</td>',
        '<th scope="row">Dunkerque (Dunkirk)</th><td>BE</td>',
        '<th scope="row">Région Occitanie</th><td>ES</td>',
    ):
        assert cells in page, cells
