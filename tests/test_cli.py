"""The civicinnov command: reports, site, export, validate, gate, peers; exit codes; no tracebacks."""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
import subprocess
import sys

import pytest

from civicinnov.cli import main
from civicinnov.datasets import iteams_bytes

Run = tuple[int, str, str]


def run(*argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bundled(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "iteams.json"
    path.write_bytes(iteams_bytes())
    return path


def test_report_defaults_to_the_bundled_programme() -> None:
    code, out, err = run("report")
    assert code == 0
    assert err == ""
    assert out.startswith("Bloomberg Philanthropies Innovation Teams")
    for heading in (
        "Overview",
        "Cohorts",
        "Initiatives by status",
        "Funding by kind",
        "Funding by source and kind",
        "Progress against targets",
        "Reported results",
        "Cross-border ties",
        "City network",
    ):
        assert f"\n{heading}\n" in out
    # names for people, with the id where a command needs it
    assert (
        "French cohort with La 27e Région (La Transfo) (france-2017)                "
        "July 11, 2017 · 5 cities · FR · Grant US$1,400,000.00" in out
    )
    assert (
        "Atlanta — Unsheltered people moved into housing  Target met: 1,022 person (2013) · "
        "Target 800 person by December 31, 2013" in out
    )
    assert "Tel Aviv-Yafo" in out
    assert re.search(r"\n  Handed off +2\n", out)
    for slug in ("tel-aviv,", "handed_off", "getting_started", "no data: no data"):
        assert slug not in out


def test_report_shows_funding_by_kind_not_one_mixed_total() -> None:
    """Grants, local matches, secured money and the university investment are shown apart."""
    code, out, _ = run("report")
    assert code == 0
    by_kind = out.split("\nFunding by kind\n")[1].split("\n\n")[0].splitlines()
    assert by_kind == [
        "  Grant            US$25,100,000.00",
        "  Local match      US$4,000,000.00",
        "  Secured funding  US$750,000.00",
        "  Investment       US$43,000,000.00",
        "  Totals leave out unverified amounts: 1 (see Funding coverage)",
    ]
    assert (
        "  Bloomberg Philanthropies  Grant US$25,100,000.00; Investment US$43,000,000.00\n" in out
    )
    assert "74,100,000.00" not in out  # the old mixed total of grants and the investment
    code, out, _ = run("report", "--format", "markdown")
    assert "| Bloomberg Philanthropies | Investment | US$43,000,000.00 |" in out
    assert "| Local match | US$4,000,000.00 |" in out


def test_report_json(bundled: pathlib.Path) -> None:
    code, out, _ = run("report", str(bundled), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["overview"]["cities"] == 33
    assert data["funnel"]["piloting"] == 2
    assert data["funding"]["new-york-state"] == {"USD": "USD 750,000.00"}
    assert data["funding_by_kind"]["investment"] == {"USD": "USD 43,000,000.00"}
    assert data["funding_by_source_and_kind"]["bloomberg-philanthropies"] == {
        "grant": {"USD": "USD 25,100,000.00"},
        "investment": {"USD": "USD 43,000,000.00"},
    }
    assert data["progress"][0]["status"] == "no_baseline"
    assert data["progress"][0]["target_met"] is True
    assert "partnership" not in data["network"]["relations"]
    assert data["network"]["relations"]["cross_border_metro"] == 3
    assert data["network"]["relations"]["border"] == 3
    assert data["network"]["relations"]["across_water"] == 1
    assert any(not c["verified"] for c in data["reported_results"])


def test_report_markdown() -> None:
    code, out, _ = run("report", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Bloomberg Philanthropies")
    assert "## Initiatives by status" in out
    assert "| Delivering | 14 |" in out


def test_report_as_of_date() -> None:
    code, out, _ = run("report", "--format", "json", "--as-of", "2012-12-31")
    assert code == 0
    assert json.loads(out)["progress"][0]["status"] == "no_data"


def test_report_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(iteams_bytes())))
    code, out, _ = run("report", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["overview"]["cohorts"] == 4


def test_validate_ok(bundled: pathlib.Path) -> None:
    assert run("validate", str(bundled)) == (0, f"{bundled}: ok\n", "")


def test_validate_lists_every_problem_and_exits_1(tmp_path: pathlib.Path) -> None:
    doc = json.loads(iteams_bytes())
    doc["initiatives"][0]["challenge_ids"] = ["nola-murderz"]
    doc["targets"][0]["metric_id"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run("validate", str(path))
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    assert (
        f"{path}: $.initiatives[0].challenge_ids[0]: 'nola-murderz' is not the id of any "
        "challenge (did you mean 'nola-murders'?)" in lines
    )
    assert f"{path}: $.targets[0].metric_id: 'nobody' is not the id of any metric" in lines


def test_validate_structural_problems(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 1, "cities": [{"id": 1}]}', encoding="utf-8")
    code, out, _ = run("validate", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}: $.cities[0].id: expected a string, got int 1",
        f"{path}: $.cities[0].name: required field missing",
        f"{path}: $.cities[0].country: required field missing",
    ]


def test_validate_csv_and_several_files(tmp_path: pathlib.Path, bundled: pathlib.Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("city,metric,period,value,unit\na,murders,2020,1,incident\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("city,metric,period,value,unit\na,murders,2020,x,incident\n", encoding="utf-8")
    code, out, _ = run("validate", str(good), str(bundled), str(bad))
    assert code == 1
    assert out.splitlines() == [
        f"{good}: ok",
        f"{bundled}: ok",
        f"{bad}:2: value: 'x' is not a number",
    ]


def test_validate_truncated_and_non_utf8(tmp_path: pathlib.Path) -> None:
    truncated = tmp_path / "t.json"
    truncated.write_bytes(iteams_bytes()[:100])
    latin = tmp_path / "l.json"
    latin.write_bytes(b'{"name": "R\xe9gion"}')
    code, out, _ = run("validate", str(truncated), str(latin))
    assert code == 1
    assert "t.json:" in out
    assert "not valid JSON (the text ends early; is the file truncated?)" in out
    assert "l.json:1:12: not UTF-8 text (byte 0xe9 at offset 11)" in out


def test_gate_report(bundled: pathlib.Path) -> None:
    # no source reports the phase of a bundled challenge, so there is no gate to check
    code, out, err = run("gate", str(bundled), "atlanta-unsheltered")
    assert code == 1
    assert out == ""
    assert "no source reports which phase it is in" in err


def test_gate_unknown_challenge(bundled: pathlib.Path) -> None:
    assert run("gate", str(bundled), "nope") == (
        1,
        "",
        "civicinnov: error: no challenge with id 'nope'\n",
    )


def test_peers(bundled: pathlib.Path) -> None:
    code, out, _ = run("peers", str(bundled), "mulhouse", "--limit", "2")
    assert code == 0
    assert out.startswith("peers of mulhouse")
    lines = out.strip().splitlines()
    # mulhouse has no challenge in the records: the output says so rather than ranking silently
    assert lines[1].startswith("  note: 'mulhouse' has no challenges and no domains= was given")
    assert [line[:5] for line in lines[-4:]] == ["  1. ", "     ", "  2. ", "     "]


def test_peers_uses_the_portfolios_challenges_and_initiatives(bundled: pathlib.Path) -> None:
    code, out, _ = run("peers", str(bundled), "detroit", "--limit", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("peers of detroit (domains: public_safety);")
    # the portfolio's challenges and initiatives are used: no note says they are missing
    assert "no challenges given" not in out
    assert "no initiatives given" not in out
    ranked = [line for line in lines if not line.lstrip().startswith("note:")]
    assert ranked[1].startswith("  1. new-orleans: 0.455 (raw: domain 1.00, challenges 0.50")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["gate", "x.json"], "the following arguments are required: CHALLENGE_ID"),
        (["report", "--format", "yaml"], "argument --format: invalid choice: 'yaml'"),
        (["report", "--as-of", "yesterday"], "expected a date such as 2017-07-11, got 'yesterday'"),
        (["peers", "f", "c", "--limit", "0"], "expected a positive whole number, got '0'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], hint: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("civicinnov: usage error: ")
    assert hint in err
    assert "--help" in err


def test_missing_file_is_an_error_not_a_traceback() -> None:
    code, out, err = run("report", "/nonexistent/p.json")
    assert (code, out) == (1, "")
    assert (
        err
        == "civicinnov: error: /nonexistent/p.json: cannot read the file (No such file or directory)\n"
    )


def test_integrity_error_on_report(tmp_path: pathlib.Path) -> None:
    doc = json.loads(iteams_bytes())
    doc["claims"][0]["source_ids"] = ["nowhere"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run("report", str(path))
    assert code == 1
    assert err.startswith(f"civicinnov: error: {path}: $.claims[0].source_ids[0]: 'nowhere'")
    assert "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "report" in capsys.readouterr().out


def test_progress_is_quiet_when_not_a_terminal(tmp_path: pathlib.Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(iteams_bytes())
    code, _, err = run("validate", str(big))
    assert code == 0
    assert err == ""


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch, bundled: pathlib.Path) -> None:
    import civicinnov.cli as cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli, "_LARGE", 0)
    out, err = io.StringIO(), Tty()
    assert main(["validate", str(bundled)], stdout=out, stderr=err) == 0
    assert "civicinnov: checking" in err.getvalue()


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "civicinnov", "report", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["overview"]["cohorts"] == 4


def test_report_on_an_empty_portfolio(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"schema_version": 1, "name": "Empty"}', encoding="utf-8")
    code, out, _ = run("report", str(path))
    assert code == 0
    assert "  Cities            0 cities in 0 countries\n" in out
    assert "Progress against targets\n  (none)" in out


def test_text_and_markdown_show_the_same_sections() -> None:
    """One report model, two renderers: every text heading is a Markdown heading, in order."""
    _, text, _ = run("report")
    _, markdown, _ = run("report", "--format", "markdown")
    text_lines = text.splitlines()
    text_headings = [
        line
        for i, line in enumerate(text_lines[2:], 2)
        if line and not line.startswith(" ") and text_lines[i - 1] == ""
    ]
    md_headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert text_headings == md_headings
    assert len(md_headings) == 15


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from civicinnov import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"civicinnov {__version__}\n"


def test_every_help_names_the_bundled_programme(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ([], ["report"], ["site"], ["export"], ["validate"], ["gate"], ["peers"]):
        assert main([*command, "--help"]) == 0
        text = " ".join(capsys.readouterr().out.split())
        assert re.search(r"iteams,? \(?the bundled", text), command


def test_export_writes_an_editable_document_that_loads_again(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "programme.json"
    code, _, err = run("export", str(out))
    assert code == 0
    assert str(out) in err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] >= 2
    assert run("validate", str(out))[0] == 0
    code, text, _ = run("export", str(out), "-")
    assert code == 0
    assert json.loads(text) == data


def test_a_local_file_named_iteams_is_read_first(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "iteams").write_text('{"schema_version": 1, "name": "Mine"}', encoding="utf-8")
    code, out, err = run("report", "iteams")
    assert code == 0
    assert out.startswith("Mine\n")
    assert "reading the local file './iteams', not the bundled programme" in err
    (tmp_path / "iteams").unlink()
    code, out, err = run("report", "iteams")
    assert out.startswith("Bloomberg Philanthropies")
    assert err == ""


def test_peers_domains_weights_and_did_you_mean(bundled: pathlib.Path) -> None:
    code, out, _ = run(
        "peers",
        str(bundled),
        "detroit",
        "--domains",
        "housing",
        "--weights",
        "geography=0",
        "--limit",
        "1",
    )
    assert code == 0
    assert "(domains: housing)" in out
    assert "geography=0" in out
    code, _, err = run("peers", str(bundled), "mulhous")
    assert code == 1
    assert "did you mean 'mulhouse'" in err
    code, _, err = run("peers", str(bundled), "detroit", "--domains", "housin")
    assert code == 2
    assert "did you mean 'housing'" in err
    code, _, err = run("peers", str(bundled), "detroit", "--weights", "geografy=1")
    assert code == 2
    assert "did you mean 'geography'" in err


def test_report_in_french() -> None:
    code, out, _ = run("report", "--lang", "fr")
    assert code == 0
    plain = out.replace("\u202f", " ").replace("\xa0", " ")
    assert "11 juillet 2017" in plain
    assert "1 400 000,00 $US" in plain
    assert "\nCohortes\n" in out
    code, _, err = run("report", "--lang", "de")
    assert code == 2
    assert "expected one of en, fr, got 'de'" in err


@pytest.mark.skipif(not pathlib.Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_reported_plainly() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        err = io.StringIO()
        code = main(["report"], stdout=full, stderr=err)
        with contextlib.suppress(OSError):
            full.close()
    assert code == 1
    assert "no space left on device" in err.getvalue()
    assert "internal error" not in err.getvalue()
    code, _, err_text = run("export", "/dev/full")
    assert code == 1
    assert "cannot write /dev/full: no space left on device" in err_text
    assert pathlib.Path("/dev/full").is_char_device()  # written into, never replaced


def test_a_broken_pipe_ends_quietly() -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    assert main(["report"], stdout=Closed(), stderr=err) == 1
    assert err.getvalue() == ""


def test_observations_are_added_to_report_and_site(tmp_path: pathlib.Path) -> None:
    csv_file = tmp_path / "obs.csv"
    csv_file.write_text(
        "city,metric,period,value,unit\n"
        "mobile,mobile-blighted-homes,2016-01,2100,dwelling\n"
        "mobile,mobile-blighted-homes,2016-02,2080,dwelling\n",
        encoding="utf-8",
    )
    code, out, _ = run("report", "--observations", str(csv_file), "--format", "json")
    assert code == 0
    assert json.loads(out)["overview"]["observations"] == 1 + 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "city,metric,period,value,unit\nmobile,mobile-blight,2016-01,5,dwelling\n",
        encoding="utf-8",
    )
    code, _, err = run("site", "iteams", str(tmp_path / "s"), "--observations", str(bad))
    assert code == 1
    assert "did you mean 'mobile-blighted-homes'" in err


def test_validate_checks_csv_rows_against_the_documents_definitions(tmp_path: pathlib.Path) -> None:
    """An unknown metric, a wrong unit and an undeclared unit are each reported with their line."""
    csv_file = tmp_path / "obs.csv"
    csv_file.write_text(
        "city,metric,period,value,unit\n"
        "nola,murders,2012,193,kg\n"
        "nola,muders,2013,150,incident\n"
        "nola,murders,2014,150,nothing_known\n",
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(csv_file))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(
        "obs.csv:2: unit: 'kg' cannot be converted to 'incident', the unit of metric 'murders'"
    )
    assert lines[1].endswith(
        "obs.csv:3: metric: 'muders' has no definition; did you mean 'murders'?"
    )
    assert "obs.csv:4: unit: 'nothing_known'" in out
    assert "register_units" in out


def test_a_plugin_that_cannot_be_imported_is_named() -> None:
    code, _, err = run("--plugin", "civicinnov_no_such_plugin", "validate", "iteams")
    assert code == 1
    assert "--plugin civicinnov_no_such_plugin: cannot import it" in err
