"""Build the static site of a programme: overview, challenges, metric pages, network and claims.

:func:`build_site` writes a folder that works from ``file://`` and from any static host: plain
HTML pages, one local style sheet, charts as inline SVG (drawn by :mod:`civicinnov.site._svg`,
so the ``plot`` extra is not needed), and beside each metric chart its data as CSV and the metric
as JSON. Nothing on a page asks for anything outside the folder: no scripts, no fonts, no CDN;
links to sources' web pages are ordinary links a reader may follow.

Pages (``OUTDIR/...``):

- ``index.html``: the programme overview: every section of the report
  (:func:`civicinnov.render.report_tables`, the same sections as the text, Markdown and JSON
  reports), the cities on a map, the funnel as a chart, funding with what it covers, and links to
  every challenge and metric page;
- ``challenges/<challenge id>.html``: its priority area, contributing issues, phase and dated
  history, initiatives with their evidence levels, metrics and claims;
- ``metrics/<metric id>/<place id>.html`` (with ``.csv`` and ``.json``): the turn-the-curve chart
  with each target's trajectory and its on-track band, progress to each target, the observations
  (with their notes, statuses and sources where the series has them), coverage, and the
  metric's definition;
- ``network.html``: the network on a map, brokers, communities, cross-border ties;
- ``claims.html``: every reported result with its sources and whether it is verified.

Missing data is shown, never hidden: a metric without observations reads "No data", a place
without coordinates is listed under the map, a claim without a source says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import pathlib
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import attrs
import numpy as np

from civicinnov.errors import ValidationError
from civicinnov.evaluation import midpoints
from civicinnov.metrics import Baseline, MetricDefinition, MetricSeries, Target, latest_baseline
from civicinnov.network import communities, cross_border_ties
from civicinnov.programme import Portfolio, ProgressRow, build_report
from civicinnov.render import Words, report_tables
from civicinnov.site._html import STYLE, esc, page, table
from civicinnov.site._svg import MapFrame, bar_chart, curve_chart, map_chart
from civicinnov.units import format_unit

__all__ = ["SiteSummary", "build_site"]

_EPOCH = dt.date(1970, 1, 1).toordinal()
_TOLERANCE = 0.15  # the on-track band: ±15% of the baseline-to-target distance (on_track's default)
_RELATION_COLOURS = {
    "partnership": "#0b5394",
    "peer_exchange": "#38761d",
    "mentorship": "#8a3b00",
    "membership": "#6b6b6b",
}


@attrs.frozen(kw_only=True)
class SiteSummary:
    """What :func:`build_site` wrote: the folder, its pages and its data files.

    Example:
        >>> SiteSummary(outdir=pathlib.Path("site"), pages=("index.html",), files=()).pages
        ('index.html',)
    """

    outdir: pathlib.Path
    pages: tuple[str, ...]
    files: tuple[str, ...]


def _day(value: dt.date) -> float:
    return float(value.toordinal() - _EPOCH)


def _slug_path(*parts: str) -> str:
    return "/".join(quote(p, safe="") for p in parts)


class _Site:
    def __init__(self, portfolio: Portfolio, outdir: pathlib.Path, lang: str) -> None:
        self.p = portfolio
        self.out = outdir
        self.w = Words(lang)
        self.lang = lang
        self.pages: list[str] = []
        self.files: list[str] = []
        self.by_id = portfolio.by_id
        self.report = build_report(portfolio)
        self.progress = [line.row for line in self.report.progress]
        self.net = portfolio.network()
        self._labels: dict[tuple[str, bytes], list[str]] = {}
        # indexes, so that each page finds its records without scanning every record
        self.targets: dict[tuple[str, str | None], list[Target]] = {}
        for tg in portfolio.targets:
            self.targets.setdefault((tg.metric_id, tg.place_id), []).append(tg)
        self.baselines: dict[tuple[str, str | None], list[Baseline]] = {}
        for bl in portfolio.baselines:
            self.baselines.setdefault((bl.metric_id, bl.place_id), []).append(bl)
        self.rows: dict[tuple[str, str], list[ProgressRow]] = {}
        for row in self.progress:
            self.rows.setdefault((row.metric_id, row.city_id), []).append(row)
        self.claims_by: dict[str, list[Any]] = {}
        for cl in portfolio.claims:
            for key in {cl.challenge_id, cl.metric_id} - {None}:
                self.claims_by.setdefault(str(key), []).append(cl)
        self.initiatives_by: dict[str, list[Any]] = {}
        for ini in portfolio.initiatives:
            for cid in ini.challenge_ids:
                self.initiatives_by.setdefault(cid, []).append(ini)
        self.series_keys = self.series_pages()
        self.series_by: dict[tuple[str, str], list[tuple[str, MetricSeries]]] = {}
        for key, ser in self.series_keys:
            self.series_by.setdefault((ser.metric_id, ser.place_id), []).append((key, ser))
        self.measured = {ser.metric_id for ser in portfolio.series}
        located = [c for c in portfolio.cities if c.location is not None]
        self.frame = MapFrame([(c.location.lon, c.location.lat) for c in located if c.location])
        self.land = self.frame.land()

    # -- helpers ------------------------------------------------------------------------------

    def name(self, record_id: str | None) -> str:
        if record_id is None:
            return ""
        for collection in ("cities", "partners", "cohorts", "iteams", "challenges", "metrics"):
            record = self.by_id[collection].get(record_id)
            if record is not None:
                text = getattr(record, "name", None) or getattr(record, "statement", None)
                return str(text) if text else record_id
        return record_id

    def write(self, rel: str, text: str, *, page_file: bool = True) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        (self.pages if page_file else self.files).append(rel)

    def page(self, rel: str, title: str, body: str) -> None:
        w = self.w
        root = "../" * rel.count("/")
        nav = [
            ("index.html", w("Overview")),
            ("index.html#challenges", w("Challenges")),
            ("index.html#metrics", w("Metrics")),
            ("network.html", w("Network")),
            ("claims.html", w("Reported claims")),
        ]
        self.write(
            rel,
            page(
                lang=w.language,
                title=title,
                site_name=self.p.name,
                root=root,
                nav=nav,
                body=body,
                skip=w("Skip to content"),
                footer=w("Made with civicinnov"),
                nav_label=w("Contents"),
            ),
        )

    def labels(self, s: MetricSeries) -> list[str]:
        """The period labels of a series, computed once for each set of periods."""
        key = (s.period_type.code, np.asarray(s.ordinals).tobytes())
        labels = self._labels.get(key)
        if labels is None:
            labels = self._labels[key] = list(s.labels)
        return labels

    @staticmethod
    def metric_href(metric_id: str, place_id: str) -> str:
        return "metrics/" + _slug_path(metric_id, place_id) + ".html"

    def facts(self, pairs: Iterable[tuple[str, str]]) -> str:
        items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
        return f'<dl class="facts">{items}</dl>'

    # -- the map ------------------------------------------------------------------------------

    def city_map(self, ident: str, *, ties: bool, root: str) -> str:  # noqa: ARG002 - one signature for every page writer
        w = self.w
        places = []
        missing = []
        for c in self.p.cities:
            if c.location is None:
                missing.append(c.name)
                continue
            places.append((c.location.lon, c.location.lat, esc(c.name), None))
        arcs: list[tuple[float, float, float, float, str]] = []
        if ties:
            net = self.net
            coords = {
                n: (float(d["lon"]), float(d["lat"]))
                for n, d in net.nx.nodes(data=True)
                if d.get("lon") is not None and d.get("lat") is not None
            }
            for relation in net.relations():
                a, b = coords.get(relation.source), coords.get(relation.target)
                if a and b:
                    colour = _RELATION_COLOURS.get(relation.kind.value, "#6b6b6b")
                    arcs.append((a[0], a[1], b[0], b[1], colour))
        title = esc(w("The network on a map") if ties else w("Cities"))
        desc = esc(
            w.plural("{count} city", "{count} cities", len(places))
            + (", " + w.plural("{count} tie", "{count} ties", len(arcs)) if ties else "")
            + (
                ": " + ", ".join(n for *_, n, _ in [(0, 0, p[2], None) for p in places][:40])
                if places
                else ""
            )
        )
        svg = map_chart(
            ident=ident,
            title=title,
            desc=desc,
            frame=self.frame,
            land=self.land,
            places=places,
            ties=arcs,
        )
        note = ""
        if missing:
            note = (
                '<p class="nodata">'
                + esc(
                    w.plural(
                        "{count} place not shown (no coordinates)",
                        "{count} places not shown (no coordinates)",
                        len(missing),
                    )
                )
                + ": "
                + esc(", ".join(missing))
                + "</p>"
            )
        if not places:
            return f'<p class="nodata">{esc(w("No coordinates"))}</p>' + note
        return f"<figure>{svg}<figcaption>{title}</figcaption></figure>{note}"

    # -- pages --------------------------------------------------------------------------------

    def overview(self) -> None:
        w = self.w
        p = self.p
        report = self.report
        parts = [f"<h1>{esc(p.name)}</h1>"]
        parts.append(f'<section id="map"><h2>{esc(w("Cities"))}</h2>')
        parts.append(self.city_map("overview-map", ties=False, root=""))
        parts.append("</section>")
        for t in report_tables(report, lang=self.lang):
            parts.append(f'<section id="{t.section}"><h2>{esc(t.title)}</h2>')
            if t.section == "funnel":
                total = sum(n for _, n in report.funnel)
                parts.append(
                    "<figure>"
                    + bar_chart(
                        ident="funnel-chart",
                        title=esc(w("Initiatives by status")),
                        desc=esc(
                            "; ".join(f"{w.label(s)}: {w.number(n)}" for s, n in report.funnel)
                        ),
                        bars=[(esc(w.label(s)), n, esc(w.number(n))) for s, n in report.funnel],
                    )
                    + f"<figcaption>{esc(w.plural('{count} initiative in all', '{count} initiatives in all', total))}</figcaption></figure>"
                )
            parts.append(
                table(t.columns, t.rows, empty=w("None"))
                if t.section not in ("overview", "network")
                else self.facts((k, esc(v)) for k, v in t.lines)
                if t.lines
                else f'<p class="empty">{esc(w("None"))}</p>'
            )
            parts.extend(f"<p>{esc(n)}</p>" for n in t.notes)
            if t.section == "funding_by_source_and_kind":
                parts.append(f"<h3>{esc(w('What the funding covers'))}</h3>")
                parts.append(
                    table(
                        [
                            w("Source"),
                            w("Recipient"),
                            w("Kind"),
                            w("Amount"),
                            w("Purpose"),
                            w("Date"),
                        ],
                        [
                            (
                                self.name(f.source_id),
                                self.name(f.recipient_id),
                                w.label(f.kind),
                                w.money(f.amount),
                                f.purpose or w("Unknown"),
                                w.date(f.on),
                            )
                            for f in p.funding
                        ],
                        empty=w("None"),
                    )
                )
            if t.section == "network":
                parts.append(f'<p><a href="network.html">{esc(w("Network"))}</a></p>')
            if t.section == "reported_results":
                parts.append(f'<p><a href="claims.html">{esc(w("Reported claims"))}</a></p>')
            parts.append("</section>")
        parts.append(f'<section id="challenges"><h2>{esc(w("Challenges"))}</h2>')
        rows = [
            (
                f'<a href="challenges/{_slug_path(c.id)}.html">{esc(c.statement)}</a>',
                esc(self.name(c.city_id)),
                esc(w("Phase not reported") if c.phase is None else w.label(c.phase)),
                f"<code>{esc(c.id)}</code>",
            )
            for c in p.challenges
        ]
        parts.append(
            table([w("Challenge"), w("City"), w("Phase"), w("Id")], rows, raw=True, empty=w("None"))
        )
        parts.append("</section>")
        parts.append(f'<section id="metrics"><h2>{esc(w("Metrics by place"))}</h2>')
        metric_rows = []
        for key, s in self.series_keys:
            metric_rows.append(
                (
                    f'<a href="{key}">{esc(self.name(s.metric_id))}</a>',
                    esc(self.name(s.place_id)),
                    esc(w.number(int(np.isfinite(s.values).sum()))),
                )
            )
        parts.append(
            table(
                [w("Metric"), w("Place"), w("Observations")],
                metric_rows,
                raw=True,
                empty=w("No data"),
            )
        )
        parts.append("</section>")
        self.page("index.html", w("Programme overview"), "\n".join(parts))

    def series_pages(self) -> list[tuple[str, MetricSeries]]:
        seen: dict[str, int] = {}
        out = []
        for s in self.p.series:
            key = self.metric_href(s.metric_id, s.place_id)
            if key in seen:
                seen[key] += 1
                key = key[: -len(".html")] + f"-{seen[key]}.html"
            else:
                seen[key] = 1
            out.append((key, s))
        return out

    def challenge(self, c: Any) -> None:
        w = self.w
        area = self.by_id["priority_areas"].get(c.priority_area_id) if c.priority_area_id else None
        since = max((h.on for h in c.history if h.to_phase is c.phase), default=None)
        phase = esc(w("Phase not reported") if c.phase is None else w.label(c.phase)) + (
            " (" + esc(w("Phase since {date}", date=w.date(since))) + ")" if since else ""
        )
        parts = [
            f"<h1>{esc(c.statement)}</h1>",
            self.facts(
                [
                    (w("City"), esc(self.name(c.city_id))),
                    (w("Priority area"), esc(area.name) if area else esc(w("Unknown"))),
                    (w("Policy domain"), esc(w.label(c.policy_domain))),
                    (w("Status"), esc(w.label(c.status))),
                    (w("Phase"), phase),
                    (w("Id"), f"<code>{esc(c.id)}</code>"),
                ]
            ),
            f"<h2>{esc(w('Contributing issues'))}</h2>",
        ]
        if c.contributing_issues:
            parts.append(
                "<ul>"
                + "".join(f"<li>{esc(i.statement)}</li>" for i in c.contributing_issues)
                + "</ul>"
            )
        else:
            parts.append(f'<p class="empty">{esc(w("None"))}</p>')
        parts.append(f"<h2>{esc(w('Phase history'))}</h2>")
        parts.append(
            table(
                [w("Date"), w("From"), w("To"), w("Notes")],
                [
                    (w.date(h.on), w.label(h.from_phase), w.label(h.to_phase), h.note)
                    for h in c.history
                ],
                empty=w("None"),
            )
        )
        initiatives = self.initiatives_by.get(c.id, [])
        parts.append(f"<h2>{esc(w('Initiatives'))}</h2>")
        parts.append(
            table(
                [w("Initiative"), w("Status"), w("Evidence level")],
                [(i.title, w.label(i.status), w.sms(i.evidence_level)) for i in initiatives],
                empty=w("None"),
            )
        )
        parts.append(f"<h2>{esc(w('Metrics'))}</h2>")
        links = []
        for metric_id in c.metric_ids:
            for key, s in self.series_by.get((metric_id, c.city_id), []):
                links.append(
                    f'<li><a href="../{key}">{esc(self.name(s.metric_id))} — {esc(self.name(s.place_id))}</a></li>'
                )
        missing = [m for m in c.metric_ids if m not in self.measured]
        links.extend(
            f'<li>{esc(self.name(m))}: <span class="nodata">{esc(w("No data"))}</span></li>'
            for m in missing
        )
        parts.append(
            "<ul>" + "".join(links) + "</ul>" if links else f'<p class="empty">{esc(w("None"))}</p>'
        )
        claims = self.claims_by.get(c.id, [])
        parts.append(f"<h2>{esc(w('Reported claims'))}</h2>")
        parts.append(self.claims_table(claims, root="../"))
        self.page(f"challenges/{_slug_path(c.id)}.html", c.statement, "\n".join(parts))

    def claims_table(self, claims: Sequence[Any], *, root: str) -> str:  # noqa: ARG002 - one signature for every page writer
        w = self.w
        rows = []
        for cl in claims:
            sources = []
            for sid in cl.source_ids:
                src = self.by_id["sources"].get(sid)
                if src is None:
                    sources.append(esc(sid))
                    continue
                text = esc(src.title) + (f" ({esc(src.publisher)})" if src.publisher else "")
                if src.published:
                    text += ", " + esc(w.date(src.published))
                if src.url:
                    text = f'<a href="{esc(src.url)}" rel="noopener noreferrer">{text}</a>'
                sources.append(text)
            verified = (
                esc(w("Verified"))
                if cl.verified
                else f'<span class="unverified">{esc(w("Not verified"))}</span>'
            )
            about = self.name(cl.city_id or cl.cohort_id) or w("Programme")
            rows.append(
                (
                    esc(about),
                    esc(cl.statement),
                    esc(w.quantity(cl.value) or ""),
                    esc("" if cl.period is None else cl.period.id),
                    verified,
                    "<br>".join(sources)
                    or f'<span class="nodata">{esc(w("Source not given"))}</span>',
                )
            )
        return table(
            [w("About"), w("Statement"), w("Value"), w("Period"), w("Verified"), w("Sources")],
            rows,
            raw=True,
            empty=w("None"),
        )

    def metric(self, key: str, s: MetricSeries) -> None:
        w = self.w
        definition: MetricDefinition | None = self.by_id["metrics"].get(s.metric_id)
        metric_name = self.name(s.metric_id)
        place_name = self.name(s.place_id)
        title = w("{metric} — {place}", metric=metric_name, place=place_name)
        total = s.total() if s.dimensions else s
        values = np.asarray(total.values, dtype=np.float64)
        labels = self.labels(total)
        finite = np.isfinite(values)
        targets = [
            *self.targets.get((s.metric_id, None), []),
            *self.targets.get((s.metric_id, s.place_id), []),
        ]
        baselines = [
            *self.baselines.get((s.metric_id, None), []),
            *self.baselines.get((s.metric_id, s.place_id), []),
        ]
        rows = self.rows.get((s.metric_id, s.place_id), [])
        base = key[: -len(".html")]
        name = base.rsplit("/", 1)[-1]
        parts = [f"<h1>{esc(title)}</h1>"]
        if not finite.any():
            parts.append(f'<p class="nodata">{esc(w("No data"))}</p>')
        else:
            parts.append(self.curve(s, total, values, labels, targets, baselines, title))
        parts.append(
            '<ul class="downloads">'
            f'<li><a href="{name}.csv" download>{esc(w("Download the data (CSV)"))}</a></li>'
            f'<li><a href="{name}.json" download>{esc(w("Download the metric (JSON)"))}</a></li>'
            "</ul>"
        )
        parts.append(f"<h2>{esc(w('Progress to target'))}</h2>")
        parts.append(self.progress_table(rows, targets))
        parts.append(f"<h2>{esc(w('Observations'))}</h2>")
        observed = int(finite.sum())
        if len(values):
            parts.append(
                "<p>"
                + esc(
                    w(
                        "Coverage: {share} of periods observed",
                        share=w.percent(observed / len(values)),
                    )
                )
                + " · "
                + esc(w.plural("{count} observation", "{count} observations", observed))
                + "</p>"
            )
        columns = [w("Period"), w("Value")]
        extra: list[tuple[str, Any]] = []
        narratives = getattr(total, "narratives", None)
        if narratives is not None and any(narratives):
            extra.append((w("Notes"), narratives))
        for attr, heading in (("statuses", "Status"), ("sources", "Sources")):
            data = getattr(total, attr, None)
            if data is not None and len(data) == len(values):
                extra.append((w(heading), data))
        columns += [h for h, _ in extra]
        unit = w.unit(s.unit)
        no_data = w("No data")
        obs_rows = []
        for i, label in enumerate(labels):
            value = f"{w.number(values[i])} {unit}".rstrip() if finite[i] else no_data
            obs_rows.append([label, value, *[_cell(data[i]) for _, data in extra]])
        parts.append(table(columns, obs_rows, empty=w("No data")))
        parts.append(f"<h2>{esc(w('Definition'))}</h2>")
        parts.append(self.definition(definition, s))
        claims = self.claims_by.get(s.metric_id, [])
        if claims:
            parts.append(f"<h2>{esc(w('Reported claims'))}</h2>")
            parts.append(self.claims_table(claims, root="../../"))
        self.page(key, title, "\n".join(parts))
        self.write(f"{base}.csv", _csv(total, labels, values), page_file=False)
        self.write(f"{base}.json", _metric_json(definition, s, targets, baselines), page_file=False)

    def curve(
        self,
        s: MetricSeries,
        total: MetricSeries,
        values: Any,
        labels: Sequence[str],
        targets: Sequence[Target],
        baselines: Sequence[Baseline],
        title: str,
    ) -> str:
        w = self.w
        x = midpoints(total)
        x_labels = [(float(x[i]), esc(labels[i])) for i in range(len(labels))]
        lines = []
        band = None
        finite = np.isfinite(values)
        for t in targets:
            try:
                goal = float(t.value.to(s.unit).magnitude)
            except Exception:  # a target in another unit cannot be drawn on this axis
                continue
            # the trajectory runs from the latest baseline; without one, only the target is drawn
            b = latest_baseline(baselines)
            start: tuple[float, float] | None = None
            if b is not None:
                try:
                    start = (_day(b.as_of), float(b.value.to(s.unit).magnitude))
                except Exception:  # same: a baseline in an incompatible unit
                    start = None
            due = _day(t.due)
            text = esc(w("Target {value} by {date}", value=w.quantity(t.value), date=w.date(t.due)))
            if start is None or due <= start[0]:
                lines.append((due, goal, due, goal, text))
                continue
            lines.append((start[0], start[1], due, goal, text))
            if band is None:
                band = (start[0], start[1], due, goal, abs(goal - start[1]) * _TOLERANCE)
        latest = int(np.flatnonzero(finite)[-1])
        desc = w("{metric} — {place}", metric=self.name(s.metric_id), place=self.name(s.place_id))
        desc += ": " + ", ".join(
            f"{labels[i]} {w.number(values[i])}" for i in np.flatnonzero(finite)[-12:]
        )
        desc += ". " + w("Latest observation") + f": {labels[latest]}, "
        desc += f"{w.number(values[latest])} {w.unit(s.unit)}".rstrip()
        for *_, text in lines:
            desc += ". " + text
        svg = curve_chart(
            ident="curve",
            title=esc(title),
            desc=esc(desc),
            x=x,
            y=values,
            x_labels=x_labels,
            number=lambda v: esc(w.number(v)),
            targets=lines,
            band=band,
            y_label=esc(self.unit_text(s.unit)),
        )
        legend = [esc(w("Actual"))]
        if lines:
            legend.append(esc(w("Target")))
        if band is not None:
            legend.append(esc(w("On-track band")))
        return f"<figure>{svg}<figcaption>{esc(w('Turn the curve'))}: {' · '.join(legend)}</figcaption></figure>"

    def unit_text(self, unit: Any) -> str:
        return self.w.unit(unit)

    def progress_table(self, rows: Sequence[ProgressRow], targets: Sequence[Target]) -> str:
        w = self.w
        if not targets:
            return f'<p class="empty">{esc(w("None"))}</p>'
        by_target = {r.target_id: r for r in rows}
        out = []
        for t in targets:
            r = by_target.get(t.id)
            out.append(
                (
                    w.quantity(t.value),
                    w.label(t.stage),
                    w.date(t.due),
                    w.quantity(r.baseline) if r and r.baseline is not None else w("No data"),
                    w.quantity(r.latest) if r and r.latest is not None else w("No data"),
                    w.percent(r.fraction) if r and r.fraction is not None else "",
                    w.progress(r.status) if r else w("No data"),
                    w.yes_no(r.met) if r else "",
                )
            )
        return table(
            [
                w("Target"),
                w("Stage"),
                w("Due"),
                w("Baseline"),
                w("Latest value"),
                w("Progress"),
                w("Status"),
                w("Target met"),
            ],
            out,
        )

    def definition(self, d: MetricDefinition | None, s: MetricSeries) -> str:
        w = self.w
        if d is None:
            return f'<p class="nodata">{esc(w("Unknown"))}</p>'
        facts = [
            (w("Name"), esc(d.name)),
            (w("Id"), f"<code>{esc(d.id)}</code>"),
            (w("Definition"), esc(d.description) or esc(w("Unknown"))),
            (w("Unit"), esc(self.unit_text(d.unit))),
            (w("Direction"), esc(w.label(d.direction))),
            (w("Kind"), esc(w.label(d.measure_kind))),
            (w("Aggregation"), esc(d.temporal_aggregation.value.replace("_", " "))),
            (w("Period"), esc(w.label(s.period_type.frequency))),
        ]
        return self.facts(facts)

    def network(self) -> None:
        w = self.w
        p = self.p
        parts = [f"<h1>{esc(w('Network'))}</h1>"]
        parts.append(self.city_map("network-map", ties=True, root=""))
        net = self.net
        parts.append(f"<h2>{esc(w('Brokers'))}</h2>")
        if net.number_of_relations():
            parts.append(
                table(
                    [w("Name"), w("Betweenness")],
                    [
                        (node.name, w.number(round(value, 3)))
                        for node, value in (
                            self.report.network.brokers if self.report.network else ()
                        )
                    ],
                    empty=w("None"),
                )
            )
            groups = communities(net).groups
            parts.append(f"<h2>{esc(w('Communities'))}</h2>")
            parts.append(
                table(
                    [w("Community"), w("Cities")],
                    [
                        (str(i + 1), ", ".join(self.name(n) for n in sorted(g)))
                        for i, g in enumerate(groups)
                    ],
                    empty=w("None"),
                )
            )
            ties = cross_border_ties(net)
            parts.append(f"<h2>{esc(w('Cross-border ties'))}</h2>")
            parts.append(
                "<p>"
                + esc(w("Share of relations across borders"))
                + ": "
                + esc(w.percent(ties.share))
                + "</p>"
            )
            parts.append(
                table(
                    [w("From"), w("To"), w("Relations")],
                    [(a, b, w.number(n)) for (a, b), n in ties.by_pair.items()],
                    empty=w("None"),
                )
            )
            parts.append(f"<h2>{esc(w('Ties across borders the sources describe'))}</h2>")
            parts.append(
                "<p>"
                + esc(w("Share of relations that are such ties"))
                + ": "
                + esc(w.percent(ties.described_share))
                + (
                    ""
                    if ties.cohort_share is None
                    else "; "
                    + esc(w("Same-cohort links across borders"))
                    + ": "
                    + esc(w.percent(ties.cohort_share))
                )
                + "</p>"
            )
            parts.append(
                table(
                    [w("From"), w("To"), w("Kind")],
                    [
                        (
                            str(net.nx.nodes[r.source].get("country"))
                            if net.nx.nodes[r.source]["kind"] == "country"
                            else self.name(r.source),
                            str(net.nx.nodes[r.target].get("country"))
                            if net.nx.nodes[r.target]["kind"] == "country"
                            else self.name(r.target),
                            w.label(r.kind),
                        )
                        for r in ties.described
                    ],
                    empty=w("None"),
                )
            )
        else:
            parts.append(f'<p class="empty">{esc(w("None"))}</p>')
        parts.append(f"<h2>{esc(w('Cross-border ties'))} — {esc(w('Cities'))}</h2>")
        parts.append(
            table(
                [w("City"), w("Other side"), w("Kind"), w("Notes")],
                [
                    (self.name(t.city_id), self.name(t.other), w.label(t.kind), t.note)
                    for t in p.ties
                ],
                empty=w("None"),
            )
        )
        self.page("network.html", w("Network"), "\n".join(parts))

    def claims(self) -> None:
        w = self.w
        parts = [f"<h1>{esc(w('Reported claims'))}</h1>"]
        parts.append(f"<p>{esc(w('As the sources state them; not computed'))}</p>")
        parts.append(self.claims_table(self.p.claims, root=""))
        self.page("claims.html", w("Reported claims"), "\n".join(parts))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _csv(s: MetricSeries, labels: Sequence[str], values: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["metric_id", "place_id", "period", "value", "unit"])
    unit = _unit_text(s.unit)
    shown = ["" if v != v else repr(float(v)) for v in values.tolist()]  # noqa: PLR0124 - a NaN test
    writer.writerows(
        [s.metric_id, s.place_id, label, value, unit]
        for label, value in zip(labels, shown, strict=True)
    )
    return buffer.getvalue()


@functools.cache
def _unit_text(unit: Any) -> str:
    """A unit as the observations CSV writes it (``""`` for a pure number)."""
    return "" if str(unit) == "dimensionless" else format_unit(unit)


@functools.cache
def _unit_str(unit: Any) -> str:
    return str(unit)


def _metric_json(
    d: MetricDefinition | None,
    s: MetricSeries,
    targets: Sequence[Target],
    baselines: Sequence[Baseline],
) -> str:
    def q(value: Any) -> dict[str, Any]:
        return {"value": float(value.magnitude), "unit": _unit_str(value.units)}

    data: dict[str, Any] = {
        "metric": None
        if d is None
        else {
            "id": d.id,
            "name": d.name,
            "description": d.description,
            "unit": _unit_str(d.unit),
            "direction": d.direction.value,
            "measure_kind": d.measure_kind.value,
            "temporal_aggregation": d.temporal_aggregation.value,
        },
        "place_id": s.place_id,
        "period_type": s.period_type.code,
        "unit": _unit_str(s.unit),
        "targets": [
            {"id": t.id, "stage": t.stage.value, "due": t.due.isoformat(), **q(t.value)}
            for t in targets
        ],
        "baselines": [{"as_of": b.as_of.isoformat(), **q(b.value)} for b in baselines],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _check_outdir(outdir: pathlib.Path, force: bool) -> None:  # noqa: FBT001 - a private helper flag
    if outdir.exists() and not outdir.is_dir():
        raise ValidationError(f"outdir: {str(outdir)!r} exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not force:
        raise ValidationError(
            f"outdir: {str(outdir)!r} is not empty; choose an empty or new folder, or write into "
            "it anyway with --force (force=True in Python): the site's files are replaced, "
            "other files are kept"
        )


def build_site(
    portfolio: Portfolio,
    outdir: str | os.PathLike[str],
    *,
    lang: str = "en",
    force: bool = False,
) -> SiteSummary:
    """Write the static site of ``portfolio`` into ``outdir`` (see the module docs for its pages).

    Parameters:
        portfolio: the programme.
        outdir: the folder to write; created if missing.
        lang: the language of the pages (``"en"``, ``"fr"``, optionally with a region).
        force: write into a folder that is not empty. The site's own files are overwritten;
            other files are never deleted.

    Returns:
        A :class:`SiteSummary` listing the pages and data files written (relative paths).

    Raises:
        ValidationError: an unsupported ``lang`` (checked before anything is written), or an
            ``outdir`` that is a file or a folder that is not empty without ``force``.
        OSError: the folder cannot be written (no space left, no permission).

    Example:
        >>> import tempfile
        >>> from civicinnov.datasets import load_iteams
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     site = build_site(load_iteams(), tmp, lang="fr")
        ...     ("index.html" in site.pages, "network.html" in site.pages)
        (True, True)
    """
    words = Words(lang)  # an unknown language fails here, before the folder is touched
    del words
    out = pathlib.Path(outdir)
    _check_outdir(out, force)
    out.mkdir(parents=True, exist_ok=True)
    site = _Site(portfolio, out, lang)
    site.write("style.css", STYLE, page_file=False)
    site.overview()
    for challenge in portfolio.challenges:
        site.challenge(challenge)
    for key, series in site.series_keys:
        site.metric(key, series)
    site.network()
    site.claims()
    return SiteSummary(outdir=out, pages=tuple(site.pages), files=tuple(site.files))
