"""The ``civicinnov`` command: report on a programme, validate files, check a gate, rank peers.

This module parses arguments and calls the library; what a report holds is
:class:`civicinnov.programme.ProgrammeReport`, how it reads is :mod:`civicinnov.render`.

Sub-commands:

``civicinnov report [FILE] [--format text|json|markdown] [--as-of DATE]``
    The programme report (:func:`civicinnov.programme.build_report`, drawn by
    :mod:`civicinnov.render`): the programme overview (cities, countries, cohorts), the initiative funnel, funding by kind
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
    challenges, initiatives and evidence levels (:meth:`civicinnov.programme.Portfolio.peers`).

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
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from civicinnov.datasets import load_iteams
from civicinnov.errors import CivicError, SerializationError
from civicinnov.io.csv import read_observations
from civicinnov.io.json import from_document, parse_json, read_json
from civicinnov.programme import Portfolio, build_report
from civicinnov.render import render_json, render_markdown, render_text

__all__ = ["build_parser", "main"]

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

    def __init__(self, stream: TextIO, enabled: bool) -> None:  # noqa: FBT001 - a private helper flag
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
    if name == _BUNDLED:
        return load_iteams()
    if progress is not None:
        progress.stage(f"reading {name}")
    if name == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        document = read_json(name)
        if progress is not None:
            progress.stage(f"checking {name}")
        return from_document(document, source=name, check=check)
    document = parse_json(data, source=source)
    return from_document(document, source=source, check=check)


# -- report ---------------------------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    name = args.file or _BUNDLED
    progress = _Progress(stderr, _size(name) > _LARGE)
    portfolio = _load(name, progress)
    progress.stage("computing the report")
    report = build_report(portfolio, as_of=args.as_of)
    progress.done()
    render = {"json": render_json, "markdown": render_markdown}.get(args.format, render_text)
    stdout.write(render(report))
    return 0


# -- validate / gate / peers ----------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    failed = 0
    for name in args.files:
        progress = _Progress(stderr, _size(name) > _LARGE)
        problems: list[str]
        try:
            if name.lower().endswith(".csv"):
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
