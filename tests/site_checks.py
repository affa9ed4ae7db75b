"""Checks of a built site shared by the site's tests: links, requests, headings, charts."""

from __future__ import annotations

import html.parser
import pathlib
from urllib.parse import unquote, urlsplit


class PageParser(html.parser.HTMLParser):
    """The links, resources, headings, images and table headers of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.headings: list[int] = []
        self.ids: set[str] = set()
        self.svgs = 0
        self.svg_titles = 0
        self.svg_descs = 0
        self.th_without_scope = 0
        self.imgs_without_alt = 0
        self.html_lang: str | None = None
        self.viewport = False
        self._in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = True
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "link" and a.get("href"):
            self.resources.append(str(a["href"]))
        if tag in ("img", "script", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.resources.append(str(a["src"]))
        if tag == "img" and not a.get("alt"):
            self.imgs_without_alt += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self._in_svg:
            self.headings.append(int(tag[1]))
        if tag == "th" and a.get("scope") not in ("col", "row"):
            self.th_without_scope += 1
        if tag == "svg":
            self.svgs += 1
            self._in_svg += 1
        if self._in_svg and tag == "title":
            self.svg_titles += 1
        if self._in_svg and tag == "desc":
            self.svg_descs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg -= 1


def parse_page(path: pathlib.Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_site(root: pathlib.Path) -> list[str]:
    """Every problem of the site in ``root``: a link or resource that leaves the folder or does
    not resolve, a missing anchor, a heading that skips a level, a table header without a scope,
    an SVG without a title and a description, a page without a language or a viewport."""
    problems: list[str] = []
    pages = sorted(root.rglob("*.html"))
    parsed = {p: parse_page(p) for p in pages}
    for page, info in parsed.items():
        rel = page.relative_to(root)
        if not info.html_lang:
            problems.append(f"{rel}: no lang on <html>")
        if not info.viewport:
            problems.append(f"{rel}: no viewport meta")
        if not info.headings or info.headings[0] != 1 or info.headings.count(1) != 1:
            problems.append(f"{rel}: expected exactly one h1, first: {info.headings[:3]}")
        for before, after in zip(info.headings, info.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{rel}: heading h{before} is followed by h{after}")
        if info.th_without_scope:
            problems.append(f"{rel}: {info.th_without_scope} <th> without scope")
        if info.imgs_without_alt:
            problems.append(f"{rel}: {info.imgs_without_alt} <img> without alt")
        if info.svg_titles < info.svgs or info.svg_descs < info.svgs:
            problems.append(f"{rel}: an SVG without <title> or <desc>")
        for resource in info.resources:
            parts = urlsplit(resource)
            if parts.scheme or parts.netloc:
                problems.append(f"{rel}: a request leaves the folder: {resource}")
            elif not (page.parent / unquote(parts.path)).resolve().is_file():
                problems.append(f"{rel}: missing resource {resource}")
        for link in info.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # an ordinary link a reader may follow; nothing is fetched on load
            if parts.scheme or parts.netloc:
                problems.append(f"{rel}: unexpected link {link}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                problems.append(f"{rel}: broken link {link}")
                continue
            if not target.is_relative_to(root.resolve()):
                problems.append(f"{rel}: link leaves the site {link}")
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_page(target).ids
                if parts.fragment not in ids:
                    problems.append(f"{rel}: no anchor #{parts.fragment} in {target.name}")
    return problems
