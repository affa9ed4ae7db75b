"""Renderers of the programme report: terminal text, Markdown and JSON.

Each renderer draws a :class:`~civicinnov.programme.ProgrammeReport` (built by
:func:`~civicinnov.programme.build_report`) and nothing else, so every format shows the same
sections. This package is an edge of the house: it imports the programme layer and below.

Example:
    >>> from civicinnov.datasets import load_iteams
    >>> from civicinnov.programme import build_report
    >>> report = build_report(load_iteams())
    >>> render_text(report).splitlines()[0] == render_markdown(report).splitlines()[0][2:]
    True
"""

from civicinnov.render._json import render_json, report_to_data
from civicinnov.render._markdown import render_markdown
from civicinnov.render._text import render_text

__all__ = ["render_json", "render_markdown", "render_text", "report_to_data"]
