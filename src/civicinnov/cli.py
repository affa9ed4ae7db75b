"""The ``civicinnov`` command: report on a programme, validate files, check a gate, rank peers.

Sub-commands:

``civicinnov report [FILE] [--format text|json|markdown] [--as-of DATE]``
    The programme overview (cities, countries, cohorts), the initiative funnel, funding by kind
    (grants, local matches, secured funding, investments) and by source and kind, challenges by phase and policy domain, evidence levels, progress of every challenge's
    metrics against its targets, reported results (kept apart from computed progress), cross-border
    ties and a summary of the city network. Without ``FILE``, the bundled i-teams programme
    (:func:`civicinnov.datasets.load_iteams`).
``civicinnov validate FILE...``
    Every problem in each portfolio document (``.json``) or observations file (``.csv``), one per
    line with its path or line number. Exit status 1 if any file has a problem.
``civicinnov gate FILE CHALLENGE_ID``
    The phase-gate report of one challenge: every criterion for entering its next phase. Exit
    status 1 if a criterion fails.
``civicinnov peers FILE CITY_ID [--limit N]``
    The cities ``CITY_ID`` should learn from, with the reasons, ranked on the portfolio's network,
    challenges, initiatives and evidence levels (:meth:`civicinnov.portfolio.Portfolio.peers`).

``FILE`` may be ``-`` (standard input) or ``iteams`` (the bundled programme).

Exit status: 0 success, 1 a problem found or an error in the input (the message goes to standard
error, never a traceback), 2 a usage error (with a one-line hint). Long work on a large file
reports its stages on standard error when that is a terminal, and stays quiet when piped.

Example:
    >>> main(["validate", "iteams"])
    iteams: ok
    0
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from civicinnov.errors import CivicError

if TYPE_CHECKING:
    from civicinnov.portfolio import Portfolio

__all__ = ["build_parser", "main", "render_markdown", "render_text", "report_data"]

_PROG = "civicinnov"
_BUNDLED = "iteams"
_LARGE = 5_000_000  # bytes: show progress on a terminal above this size


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (try '{self.prog} --help')")


class _Progress:
    """Stage messages on standard error, only when it is a terminal and the work is large."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.start = time.monotonic()
        self.shown = False

    def stage(self, text: str) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.start
            self.stream.write(f"\r\x1b[K{_PROG}: {text} ({elapsed:.1f} s)")
            self.stream.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0


def _load(name: str, progress: _Progress | None = None, *, check: bool = True) -> Portfolio:
    from civicinnov.io.json import from_document, parse_json

    if name == _BUNDLED:
        from civicinnov.datasets import load_iteams

        return load_iteams()
    if progress is not None:
        progress.stage(f"reading {name}")
    if name == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        from civicinnov.io.json import read_json

        document = read_json(name)
        if progress is not None:
            progress.stage(f"checking {name}")
        return from_document(document, source=name, check=check)
    document = parse_json(data, source=source)
    return from_document(document, source=source, check=check)


# -- report ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.value if hasattr(value, "value") else str(value)


def _quantity(q: Any) -> str | None:
    if q is None:
        return None
    magnitude = q.magnitude
    number = f"{magnitude:,.6g}" if isinstance(magnitude, float) else f"{magnitude:,}"
    unit = format(q.units, "~D") or ""
    return f"{number} {unit}".strip()


def report_data(portfolio: Portfolio, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """The report as JSON-ready data (what ``--format json`` prints).

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> data = report_data(load_iteams())
        >>> data["overview"]["cities"], data["funnel"]["delivering"]
        (33, 14)
    """
    p = portfolio
    countries = sorted({c.country for c in p.cities})
    overview = {
        "name": p.name,
        "cities": len(p.cities),
        "countries": countries,
        "cohorts": len(p.cohorts),
        "iteams": len(p.iteams),
        "partners": len(p.partners),
        "challenges": len(p.challenges),
        "ideas": len(p.ideas),
        "initiatives": len(p.initiatives),
        "metrics": len(p.metrics),
        "observations": int(sum(len(s) for s in p.series)),
        "claims": len(p.claims),
        "unverified": len(p.unverified()),
    }
    by_cohort = p.cities_by_cohort()
    countries_by_cohort = p.countries_by_cohort()
    cohorts = [
        {
            "id": c.id,
            "name": c.name,
            "announced": c.announced.isoformat(),
            "cities": list(by_cohort[c.id]),
            "countries": list(countries_by_cohort[c.id]),
            "grant": None if c.grant is None else str(c.grant),
        }
        for c in p.cohorts
    ]
    funding = {
        source: {currency: str(total) for currency, total in totals.items()}
        for source, totals in p.funding_by_source().items()
    }
    funding_by_kind = {
        kind.value: {currency: str(total) for currency, total in totals.items()}
        for kind, totals in p.funding_by_kind().items()
    }
    funding_by_source_and_kind: dict[str, dict[str, dict[str, str]]] = {}
    for kind in p.funding_by_kind():
        for source, totals in p.funding_by_source(kinds=kind).items():
            funding_by_source_and_kind.setdefault(source, {})[kind.value] = {
                currency: str(total) for currency, total in totals.items()
            }
    funding_by_source_and_kind = dict(sorted(funding_by_source_and_kind.items()))
    progress = [
        {
            "challenge": row.challenge_id,
            "city": row.city_id,
            "metric": row.metric_id,
            "target": row.target_id,
            "target_value": _quantity(row.target),
            "due": row.due.isoformat(),
            "baseline": _quantity(row.baseline),
            "latest": _quantity(row.latest),
            "latest_period": row.latest_period,
            "fraction": row.fraction,
            "status": row.status,
            "target_met": row.met,
        }
        for row in p.progress(as_of=as_of)
    ]
    tracked = {row["challenge"] for row in progress}
    claims = [
        {
            "id": c.id,
            "about": c.city_id or c.cohort_id or "programme",
            "statement": c.statement,
            "value": _quantity(c.value),
            "period": None if c.period is None else c.period.id,
            "verified": c.verified,
            "sources": list(c.source_ids),
        }
        for c in p.claims
    ]
    data: dict[str, Any] = {
        "overview": overview,
        "cohorts": cohorts,
        "rosters": [
            {"id": r.id, "name": r.name, "on": r.on.isoformat(), "cities": list(r.city_ids)}
            for r in p.rosters
        ],
        "funnel": {k.value: v for k, v in p.funnel().items()},
        "funding": funding,
        "funding_by_kind": funding_by_kind,
        "funding_by_source_and_kind": funding_by_source_and_kind,
        "challenges_by_phase": {k.value: list(v) for k, v in p.challenges_by_phase().items()},
        "challenges_by_domain": {k.value: list(v) for k, v in p.challenges_by_domain().items()},
        "evidence_levels": {
            ("none" if k is None else f"sms-{int(k)}"): v for k, v in p.evidence_levels().items()
        },
        "progress": progress,
        "challenges_without_targets": [c.id for c in p.challenges if c.id not in tracked],
        "reported_results": claims,
        "ties": [
            {"city": t.city_id, "other": t.other, "kind": t.kind.value, "note": t.note}
            for t in p.ties
        ],
        "network": _network_summary(p),
    }
    return data


def _network_summary(p: Portfolio) -> dict[str, Any] | None:
    try:
        from civicinnov.network import analysis
    except ImportError:  # pragma: no cover - the network package ships with civicinnov
        return None
    if not p.cities:
        return None
    net = p.network()
    relations: dict[str, int] = {}
    for relation in net.relations():
        relations[relation.kind.value] = relations.get(relation.kind.value, 0) + 1
    summary: dict[str, Any] = {
        "cities": len(net.cities()),
        "organisations": len(net.organisations()),
        "relations": dict(sorted(relations.items())),
    }
    if net.number_of_relations():
        ties = analysis.cross_border_ties(net)
        summary["cross_border_share"] = round(ties.share, 4)
        summary["cross_border_pairs"] = {f"{a}-{b}": n for (a, b), n in ties.by_pair.items()}
        summary["brokers"] = [
            {"node": b.node_id, "betweenness": round(b.betweenness, 4)}
            for b in analysis.brokers(net, limit=3)
        ]
        summary["communities"] = len(analysis.communities(net).groups)
    return summary


def _rows(title: str, rows: list[tuple[str, str]], out: list[str]) -> None:
    out.append(title)
    width = max((len(k) for k, _ in rows), default=0)
    out.extend(f"  {k.ljust(width)}  {v}" for k, v in rows)
    if not rows:
        out.append("  (none)")
    out.append("")


def render_text(data: dict[str, Any]) -> str:
    """The report as readable terminal text.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> print(render_text(report_data(load_iteams())).splitlines()[0])
        Bloomberg Philanthropies Innovation Teams (public facts to July 2017)
    """
    o = data["overview"]
    out = [o["name"], "=" * len(o["name"]), ""]
    _rows(
        "Overview",
        [
            (
                "cities",
                f"{o['cities']} in {len(o['countries'])} countries"
                + (f" ({', '.join(o['countries'])})" if o["countries"] else ""),
            ),
            ("cohorts", str(o["cohorts"])),
            ("i-teams", str(o["iteams"])),
            ("partners", str(o["partners"])),
            ("challenges", str(o["challenges"])),
            ("initiatives", str(o["initiatives"])),
            ("observations", str(o["observations"])),
            ("reported results", f"{o['claims']} ({o['unverified']} facts unverified)"),
        ],
        out,
    )
    _rows(
        "Cohorts",
        [
            (
                c["id"],
                f"{c['announced']}  {len(c['cities'])} cities in {', '.join(c['countries']) or '-'}"
                + (f"  grant {c['grant']}" if c["grant"] else ""),
            )
            for c in data["cohorts"]
        ],
        out,
    )
    for r in data["rosters"]:
        _rows(
            f"{r['name']} ({r['on']})",
            [(f"{len(r['cities'])} cities", ", ".join(r["cities"]))],
            out,
        )
    _rows("Initiatives by status (funnel)", [(k, str(v)) for k, v in data["funnel"].items()], out)
    _rows(
        "Funding by kind",
        [(kind, ", ".join(totals.values())) for kind, totals in data["funding_by_kind"].items()],
        out,
    )
    _rows(
        "Funding by source and kind",
        [
            (
                src,
                "; ".join(
                    f"{kind} {', '.join(totals.values())}" for kind, totals in by_kind.items()
                ),
            )
            for src, by_kind in data["funding_by_source_and_kind"].items()
        ],
        out,
    )
    _rows(
        "Challenges by phase",
        [(k, str(len(v))) for k, v in data["challenges_by_phase"].items()],
        out,
    )
    _rows(
        "Challenges by policy domain",
        [(k, str(len(v))) for k, v in data["challenges_by_domain"].items()],
        out,
    )
    _rows("Evidence levels", [(k, str(v)) for k, v in data["evidence_levels"].items()], out)
    _rows(
        "Progress against targets (computed from the records)",
        [
            (
                f"{r['challenge']} / {r['metric']}",
                ("target met" if r["target_met"] else r["status"].replace("_", " "))
                + f": {r['latest'] or 'no data'}"
                + (f" ({r['latest_period']})" if r["latest_period"] else "")
                + f" vs target {r['target_value']} by {r['due']}"
                + (f", {r['fraction']:.0%} of the way" if r["fraction"] is not None else ""),
            )
            for r in data["progress"]
        ],
        out,
    )
    if data["challenges_without_targets"]:
        out.append(
            f"  {len(data['challenges_without_targets'])} challenges have no target yet: "
            + ", ".join(data["challenges_without_targets"])
        )
        out.append("")
    _rows(
        "Reported results (as sources state them; not computed)",
        [
            (
                c["about"],
                c["statement"] + ("" if c["verified"] else "  [unverified]"),
            )
            for c in data["reported_results"]
        ],
        out,
    )
    _rows(
        "Cross-border ties",
        [(t["city"], f"{t['other']} ({t['kind']})") for t in data["ties"]],
        out,
    )
    net = data["network"]
    if net is not None:
        rows = [
            ("nodes", f"{net['cities']} cities, {net['organisations']} organisations"),
            ("relations", ", ".join(f"{k} {v}" for k, v in net["relations"].items()) or "none"),
        ]
        if "cross_border_share" in net:
            rows.append(("cross-border", f"{net['cross_border_share']:.1%} of relations"))
            rows.append(("brokers", ", ".join(b["node"] for b in net["brokers"])))
            rows.append(("communities", str(net["communities"])))
        _rows("City network", rows, out)
    return "\n".join(out).rstrip() + "\n"


def render_markdown(data: dict[str, Any]) -> str:
    """The report as Markdown (headings and tables).

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> print(render_markdown(report_data(load_iteams())).splitlines()[0])
        # Bloomberg Philanthropies Innovation Teams (public facts to July 2017)
    """

    def table(head: Sequence[str], rows: list[Sequence[Any]]) -> list[str]:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in rows:
            cells = [str(c).replace("|", "\\|") if c is not None else "" for c in row]
            lines.append("| " + " | ".join(cells) + " |")
        return [*lines, ""]

    o = data["overview"]
    out = [f"# {o['name']}", ""]
    out += ["## Overview", ""]
    out += table(
        ["", ""],
        [
            ["cities", f"{o['cities']} in {len(o['countries'])} countries"],
            ["cohorts", o["cohorts"]],
            ["i-teams", o["iteams"]],
            ["challenges", o["challenges"]],
            ["initiatives", o["initiatives"]],
            ["reported results", o["claims"]],
        ],
    )
    out += ["## Cohorts", ""]
    out += table(
        ["cohort", "announced", "cities", "countries", "grant"],
        [
            [c["id"], c["announced"], len(c["cities"]), ", ".join(c["countries"]), c["grant"]]
            for c in data["cohorts"]
        ],
    )
    out += ["## Funnel", ""]
    out += table(["status", "initiatives"], [[k, v] for k, v in data["funnel"].items()])
    out += ["## Funding by kind", ""]
    out += table(
        ["kind", "total"],
        [[k, ", ".join(v.values())] for k, v in data["funding_by_kind"].items()],
    )
    out += ["## Funding by source and kind", ""]
    out += table(
        ["source", "kind", "total"],
        [
            [src, kind, ", ".join(totals.values())]
            for src, by_kind in data["funding_by_source_and_kind"].items()
            for kind, totals in by_kind.items()
        ],
    )
    out += ["## Progress against targets", ""]
    out += table(
        ["challenge", "metric", "status", "met", "latest", "target", "due"],
        [
            [
                r["challenge"],
                r["metric"],
                r["status"],
                {True: "yes", False: "no", None: ""}[r["target_met"]],
                r["latest"],
                r["target_value"],
                r["due"],
            ]
            for r in data["progress"]
        ],
    )
    out += ["## Reported results", ""]
    out += table(
        ["about", "statement", "verified"],
        [
            [c["about"], c["statement"], "yes" if c["verified"] else "no"]
            for c in data["reported_results"]
        ],
    )
    out += ["## Cross-border ties", ""]
    out += table(
        ["city", "other", "kind"], [[t["city"], t["other"], t["kind"]] for t in data["ties"]]
    )
    net = data["network"]
    if net is not None:
        out += ["## City network", ""]
        out += table(["kind", "relations"], [[k, v] for k, v in net["relations"].items()])
    return "\n".join(out).rstrip() + "\n"


def _cmd_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    name = args.file or _BUNDLED
    progress = _Progress(stderr, _size(name) > _LARGE)
    portfolio = _load(name, progress)
    progress.stage("computing the report")
    data = report_data(portfolio, as_of=args.as_of)
    progress.done()
    if args.format == "json":
        stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        stdout.write(render_markdown(data))
    else:
        stdout.write(render_text(data))
    return 0


# -- validate / gate / peers ----------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from civicinnov.errors import SerializationError

    failed = 0
    for name in args.files:
        progress = _Progress(stderr, _size(name) > _LARGE)
        problems: list[str]
        try:
            if name.lower().endswith(".csv"):
                from civicinnov.io.csv import read_observations

                progress.stage(f"reading {name}")
                read_observations(name)
                problems = []
            else:
                portfolio = _load(name, progress, check=False)
                progress.stage(f"checking {name}")
                problems = [f"{name}: {p}" for p in portfolio.check()]
        except SerializationError as exc:
            problems = list(exc.problems)
            if problems and not all(p.startswith(name) for p in problems):
                problems = [p if p.startswith(name) else f"{name}: {p}" for p in problems]
        finally:
            progress.done()
        if problems:
            failed += 1
            for line in problems:
                stdout.write(line + "\n")
        else:
            stdout.write(f"{name}: ok\n")
    return 1 if failed else 0


def _cmd_gate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    portfolio = _load(args.file, _Progress(stderr, _size(args.file) > _LARGE))
    report = portfolio.gate(args.challenge_id)
    stdout.write(str(report) + "\n")
    return 0 if report.passed else 1


def _cmd_peers(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    portfolio = _load(args.file, _Progress(stderr, _size(args.file) > _LARGE))
    ranking = portfolio.peers(args.city_id, limit=args.limit)
    stdout.write(ranking.explain() + "\n")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2017-07-11, got {text!r}"
        ) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``civicinnov`` command.

    Example:
        >>> build_parser().parse_args(["report", "--format", "json"]).format
        'json'
    """
    parser = _Parser(
        prog=_PROG,
        description="Report on, validate and analyse i-team programme portfolios.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    report = sub.add_parser(
        "report", help="programme overview, funnel, funding, progress and network"
    )
    report.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="portfolio JSON ('-' for standard input); the bundled i-teams programme by default",
    )
    report.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    report.add_argument(
        "--as-of", type=_date, default=None, metavar="DATE", help="progress as of this date"
    )
    report.set_defaults(run=_cmd_report)
    validate = sub.add_parser("validate", help="list every problem in portfolio or CSV files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=_cmd_validate)
    gate = sub.add_parser("gate", help="the phase-gate report of one challenge")
    gate.add_argument("file", metavar="FILE")
    gate.add_argument("challenge_id", metavar="CHALLENGE_ID")
    gate.set_defaults(run=_cmd_gate)
    peers = sub.add_parser("peers", help="cities a city should learn from")
    peers.add_argument("file", metavar="FILE")
    peers.add_argument("city_id", metavar="CITY_ID")
    peers.add_argument("--limit", type=_positive, default=10, metavar="N")
    peers.set_defaults(run=_cmd_peers)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Example:
        >>> main(["gate"])
        2
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
        run: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.run
        return run(args, out, err)
    except _UsageError as exc:
        err.write(f"{_PROG}: usage error: {exc}\n")
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except CivicError as exc:
        err.write(f"{_PROG}: error: {exc}\n")
        return 1
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        err.write(f"{_PROG}: interrupted\n")
        return 130
    except Exception as exc:  # never a traceback to the user
        if os.environ.get("CIVICINNOV_DEBUG"):
            raise
        err.write(
            f"{_PROG}: internal error: {type(exc).__name__}: {exc} "
            "(set CIVICINNOV_DEBUG=1 for a traceback, and please report it)\n"
        )
        return 1
