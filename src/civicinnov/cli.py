"""The ``civicinnov`` command: report on a programme, publish its site, validate files, check a
gate, rank peers, export the bundled programme.

This module parses arguments and calls the library; what a report holds is
:class:`civicinnov.programme.ProgrammeReport`, how it reads is :mod:`civicinnov.render`, the site
is :func:`civicinnov.site.build_site`.

Sub-commands:

``civicinnov report [FILE] [--format text|json|markdown] [--as-of DATE] [--lang en|fr]``
    The programme report (:func:`civicinnov.programme.build_report`, drawn by
    :mod:`civicinnov.render`): the programme overview (cities, countries, cohorts), the initiative
    funnel, funding by kind (grants, local matches, secured funding, investments) and by source and
    kind, challenges by phase and policy domain, evidence levels, progress of every challenge's
    metrics against its targets, reported results (kept apart from computed progress), cross-border
    ties and a summary of the city network, by name, in English or French. Without ``FILE``, the
    bundled i-teams programme, ``iteams`` (:func:`civicinnov.datasets.load_iteams`).
``civicinnov site FILE OUTDIR [--lang en|fr] [--force] [--observations CSV]``
    The programme's static website in ``OUTDIR`` (:func:`civicinnov.site.build_site`). A folder
    that is not empty is refused unless ``--force``; other files in it are never deleted.
``civicinnov export [FILE] OUT [--observations CSV]``
    The programme (default: the bundled ``iteams``) as a JSON document to edit and load again;
    ``OUT`` may be ``-`` (standard output).

``civicinnov validate FILE...``
    Every problem in each portfolio document (``.json``) or observations file (``.csv``), one per
    line with its path or line number. Exit status 1 if any file has a problem.
``civicinnov gate FILE CHALLENGE_ID``
    The phase-gate report of one challenge: every criterion for entering its next phase. Exit
    status 1 if a criterion fails.
``civicinnov peers FILE CITY_ID [--limit N] [--domains D,...] [--weights NAME=W,...]``
    The cities ``CITY_ID`` should learn from, with the reasons, ranked on the portfolio's network,
    challenges, initiatives and evidence levels (:meth:`civicinnov.programme.Portfolio.peers`),
    for the policy domains given or those of the city's challenges, with the components weighted
    as given (:class:`civicinnov.network.PeerWeights`).
``civicinnov --version``
    The installed version.

``report``, ``site`` and ``export`` take ``--observations CSV`` (repeatable): the series of an
observations file (:func:`civicinnov.io.csv.read_observations`, checked against the programme's
metrics) are added to the programme first.

``FILE`` may be ``-`` (standard input) or ``iteams``: the bundled programme, unless a file named
``iteams`` exists in the current folder, which is then read instead (and the command says so on
standard error). An id that is not in the programme (a city, a challenge) is reported with the
closest ids (``did you mean 'mobile'?``).

Exit status: 0 success, 1 a problem found or an error in the input or output (the message goes
to standard error, never a traceback; a full disk reads "no space left on device"), 2 a usage
error (with a one-line hint). Long work on a large file reports its stages on standard error when
that is a terminal, and stays quiet when piped.

Example:
    >>> main(["validate", "iteams"])
    iteams: ok
    0
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import errno
import importlib
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from civicinnov.datasets import load_iteams
from civicinnov.errors import (
    CivicError,
    CivicWarning,
    PluginError,
    SerializationError,
    ValidationError,
)
from civicinnov.i18n import SUPPORTED_LANGUAGES, language_of
from civicinnov.io.csv import check_observations, read_observations
from civicinnov.io.json import (
    dumps_portfolio,
    from_document,
    parse_json,
    read_json,
    write_text_atomic,
)
from civicinnov.metrics import MetricCatalog, MetricDefinition
from civicinnov.model import PolicyDomain
from civicinnov.network import PeerWeights
from civicinnov.programme import Portfolio, build_report
from civicinnov.render import render_json, render_markdown, render_text
from civicinnov.site import build_site

__all__ = ["build_parser", "main"]

_PROG = "civicinnov"
_BUNDLED = "iteams"
_FILE_HELP = (
    "a portfolio JSON file, '-' for standard input, or iteams (the bundled Bloomberg "
    "Philanthropies i-teams programme; a local file named iteams is read first)"
)
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


def _load(
    name: str,
    progress: _Progress | None = None,
    *,
    check: bool = True,
    stderr: TextIO | None = None,
) -> Portfolio:
    if name == _BUNDLED:
        if not os.path.isfile(name):
            return load_iteams()
        if stderr is not None:
            stderr.write(
                f"{_PROG}: reading the local file './{name}', not the bundled programme of the "
                "same name (rename the file to read the bundled one)\n"
            )
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


def _with_observations(portfolio: Portfolio, paths: Sequence[str] | None) -> Portfolio:
    """The portfolio with the series of observations CSV files added (or replacing theirs)."""
    if not paths:
        return portfolio
    series = []
    for path in paths:
        series.extend(read_observations(path, metrics=portfolio.metrics))
    return portfolio.with_records(series=series).validate(source=", ".join(paths))


# -- report ---------------------------------------------------------------------------------------


def _cmd_report(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    name = args.file or _BUNDLED
    progress = _Progress(stderr, _size(name) > _LARGE)
    portfolio = _with_observations(_load(name, progress, stderr=stderr), args.observations)
    progress.stage("computing the report")
    report = build_report(portfolio, as_of=args.as_of)
    progress.done()
    render = {"json": render_json, "markdown": render_markdown}.get(args.format, render_text)
    stdout.write(render(report, lang=args.lang))
    return 0


# -- site / export --------------------------------------------------------------------------------


def _cmd_site(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    progress = _Progress(stderr, _size(args.file) > _LARGE)
    portfolio = _with_observations(_load(args.file, progress, stderr=stderr), args.observations)
    progress.stage("writing the site")
    site = build_site(portfolio, args.outdir, lang=args.lang, force=args.force)
    progress.done()
    stdout.write(
        f"{_PROG}: wrote {len(site.pages)} pages and {len(site.files)} files to {args.outdir}; "
        f"open {os.path.join(args.outdir, 'index.html')}\n"
    )
    return 0


def _cmd_export(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if args.out is None:
        file, out = _BUNDLED, args.first
    else:
        file, out = args.first, args.out
    portfolio = _load(file, _Progress(stderr, _size(file) > _LARGE), stderr=stderr)
    portfolio = _with_observations(portfolio, args.observations)
    text = dumps_portfolio(portfolio, indent=2)
    if out == "-":
        stdout.write(text)
    elif os.path.exists(out) and not os.path.isfile(out):
        # a device or a pipe (/dev/stdout): write into it, never replace it with a file
        try:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, out) from None
    else:
        write_text_atomic(out, text)
        stderr.write(f"{_PROG}: wrote {portfolio.name!r} to {out}\n")
    return 0


# -- validate / gate / peers ----------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    failed = 0
    definitions: list[MetricDefinition] = []
    if args.portfolio is not None:
        definitions.extend(_load(args.portfolio, None, check=False, stderr=stderr).metrics)
    # Observations are checked against the metrics of the portfolios named with them as well:
    # `validate programme.json obs.csv` checks obs.csv against programme.json's definitions.
    csv_files = [n for n in args.files if n.lower().endswith(".csv")]
    loaded: dict[str, Portfolio | SerializationError] = {}
    for name in args.files:
        if name.lower().endswith(".csv"):
            continue
        try:
            document = _load(name, None, check=False, stderr=stderr)
        except SerializationError as exc:
            loaded[name] = exc
            continue
        loaded[name] = document
        if csv_files:
            definitions.extend(document.metrics)
    for name in args.files:
        progress = _Progress(stderr, _size(name) > _LARGE)
        problems: list[str]
        try:
            if name.lower().endswith(".csv"):
                progress.stage(f"checking {name} against the metric definitions")
                # every row against the built-in catalogue, installed plug-ins and the documents'
                problems = check_observations(name, definitions=definitions)
            else:
                portfolio = loaded[name]
                if isinstance(portfolio, SerializationError):
                    raise portfolio
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


def _load_plugins(modules: Sequence[str], stderr: TextIO) -> None:
    """Installed ``civicinnov.metrics`` plug-ins, then every ``--plugin`` module, before any file
    is read, so their units and metric classes are known.
    """
    with warnings.catch_warnings():  # the same problem goes to standard error, once
        warnings.simplefilter("ignore", CivicWarning)
        errors = MetricCatalog().load_plugins()
    for error in errors:
        stderr.write(f"{_PROG}: warning: {error}\n")
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise PluginError(
                f"--plugin {module}: cannot import it ({exc}); is the package installed?"
            ) from None


def _cmd_gate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    portfolio = _load(args.file, _Progress(stderr, _size(args.file) > _LARGE), stderr=stderr)
    report = portfolio.gate(args.challenge_id)
    stdout.write(str(report) + "\n")
    return 0 if report.passed else 1


def _cmd_peers(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    portfolio = _load(args.file, _Progress(stderr, _size(args.file) > _LARGE), stderr=stderr)
    portfolio.city(args.city_id)  # an unknown city: the same "did you mean" as every lookup
    ranking = portfolio.peers(
        args.city_id, limit=args.limit, domains=args.domains, weights=args.weights
    )
    stdout.write(ranking.explain() + "\n")
    return 0


def _domains(text: str) -> tuple[str, ...]:
    known = [d.value for d in PolicyDomain]
    out = []
    for item in (part.strip() for part in text.split(",")):
        if item not in known:
            close = difflib.get_close_matches(item, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise argparse.ArgumentTypeError(
                f"{item!r} is not a policy domain{hint}; expected some of {', '.join(known)}"
            )
        out.append(item)
    return tuple(out)


def _weights(text: str) -> PeerWeights:
    names = list(PeerWeights().as_dict())
    values: dict[str, float] = {}
    for item in (part.strip() for part in text.split(",")):
        name, sep, number = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise argparse.ArgumentTypeError(
                f"{item!r}{hint}: expected NAME=WEIGHT with NAME one of {', '.join(names)}"
            )
        try:
            values[name] = float(number)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{item!r}: the weight {number!r} is not a number"
            ) from None
    try:
        return PeerWeights(**values)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("PeerWeights.", "")) from None


def _lang(text: str) -> str:
    try:
        language_of(text)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(SUPPORTED_LANGUAGES)}, got {text!r}"
        ) from None
    return text


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
    from civicinnov import __version__  # noqa: PLC0415 - read from the installed metadata, on demand

    epilog = (
        "FILE may be iteams, the bundled Bloomberg Philanthropies i-teams programme "
        "(33 cities, 2011-2017), e.g. 'civicinnov report iteams --lang fr'."
    )
    parser = _Parser(
        prog=_PROG,
        description="Report on, publish, validate and analyse i-team programme portfolios.",
        epilog=epilog,
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {__version__}")
    parser.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first, for the units and metric classes it registers (repeatable); "
        "installed civicinnov.metrics plug-ins are loaded anyway",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    lang_help = f"language of the output: {' or '.join(SUPPORTED_LANGUAGES)} (default en)"
    report = sub.add_parser(
        "report",
        help="programme overview, funnel, funding, progress and network",
        description="The programme report, by name, in English or French.",
        epilog=epilog,
    )
    report.add_argument("file", nargs="?", metavar="FILE", help=_FILE_HELP + "; iteams by default")
    report.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    report.add_argument(
        "--as-of", type=_date, default=None, metavar="DATE", help="progress as of this date"
    )
    report.add_argument("--lang", type=_lang, default="en", metavar="LANG", help=lang_help)
    report.add_argument(
        "--observations",
        action="append",
        metavar="CSV",
        help="an observations CSV file (city, metric, period, value, unit) whose series are "
        "added to the programme; may be given more than once",
    )
    report.set_defaults(run=_cmd_report)
    site = sub.add_parser(
        "site",
        help="write the programme's static website to a folder",
        description="Write a static, self-contained website of the programme into OUTDIR.",
        epilog=epilog,
    )
    site.add_argument("file", metavar="FILE", help=_FILE_HELP)
    site.add_argument("outdir", metavar="OUTDIR", help="the folder to write (created if missing)")
    site.add_argument("--lang", type=_lang, default="en", metavar="LANG", help=lang_help)
    site.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty (its other files are kept)",
    )
    site.add_argument(
        "--observations",
        action="append",
        metavar="CSV",
        help="an observations CSV file (city, metric, period, value, unit) whose series are "
        "added to the programme; may be given more than once",
    )
    site.set_defaults(run=_cmd_site)
    export = sub.add_parser(
        "export",
        help="write a programme (default: iteams) as a JSON document to edit",
        description="Write a programme as a JSON document you can edit and load again.",
        epilog=epilog,
    )
    export.add_argument("first", metavar="[FILE]", help=_FILE_HELP + "; iteams by default")
    export.add_argument("out", nargs="?", metavar="OUT", help="the JSON file to write, or '-'")
    export.add_argument(
        "--observations",
        action="append",
        metavar="CSV",
        help="an observations CSV file (city, metric, period, value, unit) whose series are "
        "added to the programme; may be given more than once",
    )
    export.set_defaults(run=_cmd_export)
    validate = sub.add_parser(
        "validate", help="list every problem in portfolio or CSV files", epilog=epilog
    )
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help=_FILE_HELP + ", or an observations CSV file"
    )
    validate.add_argument(
        "--portfolio",
        metavar="DOC",
        default=None,
        help="check CSV rows against this portfolio's metric definitions too (besides the "
        "built-in catalogue and installed plug-ins)",
    )
    validate.set_defaults(run=_cmd_validate)
    gate = sub.add_parser("gate", help="the phase-gate report of one challenge", epilog=epilog)
    gate.add_argument("file", metavar="FILE", help=_FILE_HELP)
    gate.add_argument("challenge_id", metavar="CHALLENGE_ID")
    gate.set_defaults(run=_cmd_gate)
    peers = sub.add_parser("peers", help="cities a city should learn from", epilog=epilog)
    peers.add_argument("file", metavar="FILE", help=_FILE_HELP)
    peers.add_argument("city_id", metavar="CITY_ID")
    peers.add_argument("--limit", type=_positive, default=10, metavar="N")
    peers.add_argument(
        "--domains",
        type=_domains,
        default=None,
        metavar="D,...",
        help="policy domains to look for (default: those of the city's challenges)",
    )
    peers.add_argument(
        "--weights",
        type=_weights,
        default=None,
        metavar="NAME=W,...",
        help="weights of the score's parts, e.g. domain=3,network=2,geography=0 "
        "(parts: " + ", ".join(PeerWeights().as_dict()) + ")",
    )
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
        _load_plugins(args.plugin, err)
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
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            return 1
        where = exc.filename if exc.filename else "standard output"
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOSPC:
            reason = "no space left on device"
        err.write(f"{_PROG}: error: cannot write {where}: {reason}\n")
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
