"""The programme report as Markdown: a heading per section and a table under each.

Example:
    >>> from civicinnov.datasets import load_iteams
    >>> from civicinnov.programme import build_report
    >>> print(render_markdown(build_report(load_iteams())).splitlines()[0])
    # Bloomberg Philanthropies Innovation Teams (public facts 2011 to July 2017; JHU centre 2021)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from civicinnov.programme import ProgrammeReport
from civicinnov.render._common import Words
from civicinnov.render._tables import report_tables

__all__ = ["render_markdown"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def render_markdown(report: ProgrammeReport, *, lang: str = "en") -> str:
    """The report as Markdown, with the same sections as the text report.

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.
        lang: the language (``"en"``, ``"fr"``, optionally with a region).

    Returns:
        Markdown text: ``#`` the programme's name, ``##`` each section, a table or "(none)".

    Raises:
        ValidationError: an unsupported language.

    Example:
        >>> from civicinnov.programme import Portfolio, build_report
        >>> "## Cross-border ties" in render_markdown(build_report(Portfolio()))
        True
        >>> "## Liens transfrontaliers" in render_markdown(build_report(Portfolio()), lang="fr")
        True
    """
    none = f"({Words(lang)('None').lower()})"
    out = [f"# {report.overview.name}", ""]
    for table in report_tables(report, lang=lang):
        out += [f"## {table.title}", ""]
        if table.rows:
            out += _table(table.columns, table.rows)
        else:
            out.append(none)
        out.extend(["", *table.notes] if table.notes else [])
        out.append("")
    return "\n".join(out).rstrip() + "\n"
