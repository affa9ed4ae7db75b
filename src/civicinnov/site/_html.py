"""The HTML around the site's content: escaping, the page frame, tables and the style sheet.

Everything that comes from the data goes through :func:`esc` (``html.escape`` with quotes), so a
name such as ``<script>`` is shown as text. The style sheet is one local file (``style.css``):
system fonts, no web fonts, no scripts, readable on a phone (a viewport meta tag, fluid widths,
tables that scroll sideways inside their own box), with colours of at least 4.5:1 contrast.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["STYLE", "esc", "page", "table"]


def esc(value: Any) -> str:
    """Text from the data, escaped for HTML (quotes too); None reads as empty.

    Parameters:
        value: Any value; it is written as ``str(value)``.

    Returns:
        The text with ``&``, ``<``, ``>``, ``"`` and ``'`` escaped; ``""`` for ``None``.

    Example:
        >>> esc('<b>"Tel Aviv"</b>')
        '&lt;b&gt;&quot;Tel Aviv&quot;&lt;/b&gt;'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    caption: str | None = None,
    empty: str = "",
    raw: bool = False,
    row_headers: bool = True,
) -> str:
    """An accessible table: ``<th scope="col">`` headers and the first cell a row header.

    Cells are escaped unless ``raw`` (the caller built the HTML). With no rows, ``empty`` is shown
    as a paragraph instead.

    Parameters:
        columns: The column headers (escaped).
        rows: The rows, one sequence of cells each; ``None`` cells are empty.
        caption: The table's caption, as HTML; ``None`` (the default) writes none.
        empty: The text shown when there are no rows; ``""`` (the default) shows nothing.
        raw: Whether cells are HTML already (not escaped); ``False`` by default.
        row_headers: Whether each row's first cell is a ``<th scope="row">``; ``True`` by default.

    Returns:
        The table inside a ``<div class="scroll">``, or the ``empty`` paragraph (or ``""``) when
        there are no rows.

    Example:
        >>> table(["City"], [["<Paris>"]])
        '<div class="scroll"><table><thead><tr><th scope="col">City</th></tr></thead><tbody><tr><th scope="row">&lt;Paris&gt;</th></tr></tbody></table></div>'
    """
    if not rows:
        return f'<p class="empty">{empty}</p>' if empty else ""
    cap = f"<caption>{caption}</caption>" if caption else ""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = ("" if cell is None else str(cell)) if raw else esc(cell)
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def page(
    *,
    lang: str,
    title: str,
    site_name: str,
    root: str,
    nav: Sequence[tuple[str, str]],
    body: str,
    skip: str,
    footer: str,
    nav_label: str,
) -> str:
    """A whole HTML page: head (charset, viewport, local style sheet), skip link, nav, main.

    ``title`` and ``site_name`` are escaped here; ``body`` is HTML built by the caller; ``nav``
    holds ``(href, label)`` pairs relative to the site's root; ``root`` is the way back to it
    (``""``, ``"../"``).

    Parameters:
        lang: The page's language tag (the ``lang`` of ``<html>``).
        title: The page title (escaped), written before the site's name in ``<title>``.
        site_name: The site's name (escaped), in the title and the header's home link.
        root: The relative way back to the site's root (``""``, ``"../"``).
        nav: ``(href, label)`` pairs for the navigation; labels are escaped.
        body: The content of ``<main>``, as HTML.
        skip: The text of the skip-to-content link.
        footer: The footer's text (escaped).
        nav_label: The navigation's accessible name (``aria-label``).

    Returns:
        The whole HTML document, ending with a newline.

    Example:
        >>> html_text = page(lang="en", title="<T>", site_name="S", root="", nav=[("index.html", "Home")],
        ...                  body="<p>x</p>", skip="Skip", footer="F", nav_label="Site")
        >>> '<html lang="en">' in html_text and "<title>&lt;T&gt; — S</title>" in html_text
        True
    """
    links = "".join(f'<li><a href="{root}{href}">{esc(label)}</a></li>' for href, label in nav)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} — {esc(site_name)}</title>\n"
        f'<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n'
        f'<a class="skip" href="#main">{esc(skip)}</a>\n'
        f'<header><p class="site"><a href="{root}index.html">{esc(site_name)}</a></p>'
        f'<nav aria-label="{esc(nav_label)}"><ul>{links}</ul></nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n<footer><p>{esc(footer)}</p></footer>\n'
        "</body>\n</html>\n"
    )


#: The site's one style sheet: system fonts, fluid layout, high contrast, printable.
STYLE = """\
:root { --ink: #1a1a1a; --muted: #4a4a4a; --link: #0b5394; --line: #d0d0d0; --bg: #ffffff;
  --panel: #f4f6f8; --warn: #8a3b00; }
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; line-height: 1.5; color: var(--ink); background: var(--bg); }
a { color: var(--link); }
a:focus, a:hover { outline: 2px solid var(--link); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header { background: var(--panel); border-bottom: 1px solid var(--line); padding: .5rem 1rem; }
header .site { margin: 0; font-weight: 700; }
header .site a { color: var(--ink); text-decoration: none; }
nav ul { list-style: none; margin: .25rem 0 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
table { border-collapse: collapse; min-width: 50%; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .95rem; }
svg.chart { width: 100%; height: auto; max-width: 48rem; display: block; }
.downloads { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; padding: 0; list-style: none; }
.empty, .nodata { color: var(--warn); font-weight: 600; }
.badge { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor;
  border-radius: .25rem; font-size: .85rem; }
.unverified { color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.cards { list-style: none; padding: 0; display: grid; gap: .5rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
ul.cards li { border: 1px solid var(--line); border-radius: .3rem; padding: .5rem .75rem; }
footer { border-top: 1px solid var(--line); color: var(--muted); padding: .5rem 1rem;
  font-size: .9rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.35rem; }
  dl.facts { grid-template-columns: 1fr; }
  th, td { padding: .25rem .4rem; }
}
@media print { header nav, .skip, .downloads { display: none; } }
"""
