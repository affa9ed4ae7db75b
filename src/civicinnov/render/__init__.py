"""Renderers of the programme report: terminal text, Markdown and JSON, in English or French.

Each renderer draws a :class:`~civicinnov.programme.ProgrammeReport` (built by
:func:`~civicinnov.programme.build_report`) and nothing else, so every format shows the same
sections (the static site, :mod:`civicinnov.site`, draws them too). Each takes ``lang=``
(``"en"``, ``"fr"``): titles and labels come from :mod:`civicinnov.i18n`'s catalogues, numbers,
money and dates are written as the language writes them. Records read by their names, with the
id beside where a command needs it. :func:`report_tables` is the one list of sections every
renderer draws; :class:`Words` writes values in a language. This package is an edge of the house:
it imports the programme layer and below.

Example:
    >>> from civicinnov.datasets import load_iteams
    >>> from civicinnov.programme import build_report
    >>> report = build_report(load_iteams())
    >>> render_text(report).splitlines()[0] == render_markdown(report).splitlines()[0][2:]
    True
"""

from civicinnov.render._common import Words
from civicinnov.render._json import render_json, report_to_data
from civicinnov.render._markdown import render_markdown
from civicinnov.render._tables import Table, report_tables
from civicinnov.render._text import render_text

__all__ = [
    "Table",
    "Words",
    "render_json",
    "render_markdown",
    "render_text",
    "report_tables",
    "report_to_data",
]
