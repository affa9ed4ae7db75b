"""The programme report as terminal text: a title, then each section as aligned ``key  value`` lines.

Example:
    >>> from civicinnov.datasets import load_iteams
    >>> from civicinnov.programme import build_report
    >>> print(render_text(build_report(load_iteams())).splitlines()[0])
    Bloomberg Philanthropies Innovation Teams (public facts 2011 to July 2017; JHU centre 2021)
"""

from __future__ import annotations

from civicinnov.programme import ProgrammeReport
from civicinnov.render._common import Words
from civicinnov.render._tables import report_tables

__all__ = ["render_text"]


def render_text(report: ProgrammeReport, *, lang: str = "en") -> str:
    """The report as readable terminal text, every section of the report in order.

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.
        lang: the language (``"en"``, ``"fr"``, optionally with a region such as ``"fr-CA"``).

    Returns:
        The text, ending with a newline; an empty section reads ``(none)`` in ``lang``.

    Raises:
        ValidationError: an unsupported language.

    Example:
        >>> from civicinnov.programme import Portfolio, build_report
        >>> print(render_text(build_report(Portfolio(name="Empty"))).splitlines()[4])
          Cities            0 cities in 0 countries
        >>> print(render_text(build_report(Portfolio(name="Vide")), lang="fr").splitlines()[3])
        Vue d'ensemble
    """
    none = f"({Words(lang)('None').lower()})"
    name = report.overview.name
    out = [name, "=" * len(name), ""]
    for table in report_tables(report, lang=lang):
        out.append(table.title)
        width = max((len(k) for k, _ in table.lines), default=0)
        out.extend(f"  {k.ljust(width)}  {v}".rstrip() for k, v in table.lines)
        if not table.lines:
            out.append(f"  {none}")
        out.extend(f"  {note}" for note in table.notes)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
