"""The report's sections as tables: one list that the text, Markdown and site renderers all draw.

Each :class:`Table` carries its section's key, its title, its columns and rows (the Markdown and
HTML table) and the same facts as ``key  value`` lines (the terminal text), built side by side
from one section of the report, so the formats cannot drift apart: a section added here shows in
every one. Records read by their names ("Tel Aviv-Yafo", "Handed off", "Getting started"); the
id stays beside a name where a user needs it to type a command (a cohort, a challenge).

Example:
    >>> from civicinnov.programme import Portfolio, build_report
    >>> [t.title for t in report_tables(build_report(Portfolio()))][:2]
    ['Overview', 'Cohorts']
    >>> [t.title for t in report_tables(build_report(Portfolio()), lang="fr")][:2]
    ["Vue d'ensemble", 'Cohortes']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from civicinnov.metrics import ObservationStatus
from civicinnov.network import RelationKind
from civicinnov.programme import ProgrammeReport
from civicinnov.render._common import Words

__all__ = ["Table", "report_tables"]


@attrs.frozen(kw_only=True)
class Table:
    """One section of the report as a table and as ``key  value`` lines.

    Example:
        >>> Table(title="T", section="t", columns=("a", "b"), rows=(("1", "2"),),
        ...       lines=(("1", "2"),)).columns
        ('a', 'b')
    """

    title: str
    section: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    lines: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()


def report_tables(report: ProgrammeReport, *, lang: str = "en") -> list[Table]:
    """Every section of ``report`` as a :class:`Table`, in the report's order, in ``lang``.

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.
        lang: the language of titles, labels, numbers, money and dates (``"en"``, ``"fr"``).

    Returns:
        One table per section of :data:`civicinnov.programme.SECTIONS`.

    Raises:
        ValidationError: an unsupported language.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> from civicinnov.programme import SECTIONS, build_report
        >>> tables = report_tables(build_report(load_iteams()))
        >>> [t.section for t in tables] == list(SECTIONS)
        True
    """
    w = Words(lang)
    r = report
    o = r.overview
    out: list[Table] = []

    def add(
        title: str,
        section: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        lines: Sequence[tuple[str, str]],
        notes: Sequence[str] = (),
    ) -> None:
        out.append(
            Table(
                title=title,
                section=section,
                columns=tuple(columns),
                rows=tuple(tuple(row) for row in rows),
                lines=tuple(lines),
                notes=tuple(notes),
            )
        )

    def cities(count: int) -> str:
        return w.plural("{count} city", "{count} cities", count)

    coverage = r.funding_coverage
    money_note: tuple[str, ...] = ()
    if coverage is not None and coverage.unverified:
        message = (
            "Totals include unverified amounts: {count} (see Funding coverage)"
            if coverage.included
            else "Totals leave out unverified amounts: {count} (see Funding coverage)"
        )
        money_note = (w(message, count=len(coverage.unverified)),)
    countries = f" ({', '.join(o.countries)})" if o.countries else ""
    overview = [
        (
            w("Cities"),
            w(
                "{cities} in {countries}",
                cities=cities(o.cities),
                countries=w.plural("{count} country", "{count} countries", len(o.countries)),
            )
            + countries,
        ),
        (w("Cohorts"), w.number(o.cohorts)),
        (w("i-teams"), w.number(o.iteams)),
        (w("Partners"), w.number(o.partners)),
        (w("Challenges"), w.number(o.challenges)),
        (w("Initiatives"), w.number(o.initiatives)),
        (w("Observations"), w.number(o.observations)),
        (
            w("Reported results"),
            f"{w.number(o.claims)} ("
            + w.plural(
                "{count} result not verified", "{count} results not verified", o.unverified_claims
            )
            + ")",
        ),
        (w("Unverified"), w("{count} records, by their provenance", count=o.unverified_records)),
    ]
    add(w("Overview"), "overview", (w("Summary"), w("Value")), overview, overview)

    cohort_lines = []
    cohort_rows = []
    for c in r.cohorts:
        grants = w.money(c.grants)
        where = ", ".join(c.countries) or "-"
        cohort_lines.append(
            (
                w("{name} ({id})", name=c.cohort.name, id=c.cohort.id),
                f"{w.date(c.announced)} · {cities(len(c.cities))} · {where}"
                + (f" · {w('Grant')} {grants}" if grants else ""),
            )
        )
        cohort_rows.append(
            (c.cohort.name, c.cohort.id, w.date(c.announced), len(c.cities), where, grants)
        )
    add(
        w("Cohorts"),
        "cohorts",
        (w("Cohort"), w("Id"), w("Announced"), w("Cities"), w("Countries"), w("Grant")),
        cohort_rows,
        cohort_lines,
        notes=money_note,
    )

    add(
        w("Rosters"),
        "rosters",
        (w("Name"), w("Date"), w("Cities")),
        [(ro.roster.name, w.date(ro.on), ", ".join(c.name for c in ro.cities)) for ro in r.rosters],
        [
            (
                f"{ro.roster.name} ({w.date(ro.on)})",
                f"{cities(len(ro.cities))}: " + ", ".join(c.name for c in ro.cities),
            )
            for ro in r.rosters
        ],
    )
    funnel = [(w.label(s), w.number(n)) for s, n in r.funnel]
    add(w("Initiatives by status"), "funnel", (w("Status"), w("Initiatives")), funnel, funnel)
    by_kind = [(w.label(line.kind), w.money(line.totals)) for line in r.funding_by_kind]
    add(
        w("Funding by kind"),
        "funding_by_kind",
        (w("Kind"), w("Total")),
        by_kind,
        by_kind,
        notes=money_note,
    )

    grouped: dict[str, list[str]] = {}
    for line in r.funding_by_source_and_kind:
        source = line.source.name if line.source else ""
        grouped.setdefault(source, []).append(f"{w.label(line.kind)} {w.money(line.totals)}")
    add(
        w("Funding by source and kind"),
        "funding_by_source_and_kind",
        (w("Source"), w("Kind"), w("Total")),
        [
            (line.source.name if line.source else "", w.label(line.kind), w.money(line.totals))
            for line in r.funding_by_source_and_kind
        ],
        [(source, "; ".join(parts)) for source, parts in grouped.items()],
        notes=money_note,
    )
    if coverage is not None:
        verb = (
            w("Unverified, included in the totals")
            if coverage.included
            else w("Unverified, left out of the totals")
        )
        doubtful = [
            (f"{recipient.name} ({fid.id})", f"{w.money(amount)}  [{verb}]")
            for fid, recipient, amount in coverage.unverified
        ]
        summary = (
            w("i-teams with a grant"),
            w("{count} of {total}", count=coverage.with_grant, total=coverage.iteams),
        )
        note = w(
            "{with_grant} of {iteams} i-teams report a grant",
            with_grant=coverage.with_grant,
            iteams=coverage.iteams,
        )
        if coverage.unverified_grant:
            note += " " + w("({count} unverified)", count=coverage.unverified_grant)
        if coverage.unverified:
            note += w(
                "; unverified amounts included in the totals"
                if coverage.included
                else "; unverified amounts left out of the totals"
            )
        add(
            w("Funding coverage"),
            "funding_coverage",
            (w("Summary"), w("Value")),
            [summary, *doubtful],
            [summary, *doubtful],
            notes=(note,),
        )
    else:
        add(w("Funding coverage"), "funding_coverage", (w("Summary"), w("Value")), [], [])
    phases = [
        (w("Phase not reported") if p is None else w.label(p), w.number(len(ids)))
        for p, ids in r.challenges_by_phase
    ]
    add(
        w("Challenges by phase"),
        "challenges_by_phase",
        (w("Phase"), w("Challenges")),
        phases,
        phases,
    )
    domains = [(w.label(d), w.number(len(ids))) for d, ids in r.challenges_by_domain]
    add(
        w("Challenges by policy domain"),
        "challenges_by_domain",
        (w("Policy domain"), w("Challenges")),
        domains,
        domains,
    )
    levels = [(w.sms(level), w.number(n)) for level, n in r.evidence_levels]
    add(
        w("Evidence levels"),
        "evidence_levels",
        (w("Evidence level"), w("Initiatives")),
        levels,
        levels,
    )

    progress_lines = []
    progress_rows = []
    for progress_line in r.progress:
        row = progress_line.row
        state = w("Target met") if row.met else w.progress(row.status)
        latest = w.quantity(row.latest)
        target = w.quantity(row.target)
        target_text = w("Target {value} by {date}", value=target, date=w.date(row.due))
        if latest is None:
            value = f"{state} · {target_text}"
        else:
            flag = ""
            if row.latest_status in ("provisional", "estimated"):
                flag = f" [{w.label(ObservationStatus(row.latest_status))}]"
            value = (
                f"{state}: {latest}{flag}"
                + (f" ({row.latest_period})" if row.latest_period else "")
                + f" · {target_text}"
            )
        if row.fraction is not None:
            value += " · " + w("{share} of the way", share=w.percent(row.fraction))
        progress_lines.append((f"{progress_line.city.name} — {progress_line.metric.name}", value))
        progress_rows.append(
            (
                progress_line.challenge.name,
                progress_line.city.name,
                progress_line.metric.name,
                w.progress(row.status),
                w.yes_no(row.met),
                latest or w("No data"),
                target,
                w.date(row.due),
            )
        )
    add(
        w("Progress against targets"),
        "progress",
        (
            w("Challenge"),
            w("City"),
            w("Metric"),
            w("Status"),
            w("Target met"),
            w("Latest value"),
            w("Target"),
            w("Due"),
        ),
        progress_rows,
        progress_lines,
        [w("Computed from the records")] if r.progress else [],
    )
    without = r.challenges_without_targets
    add(
        w("Challenges without targets"),
        "challenges_without_targets",
        (w("Challenge"), w("Id")),
        [(c.name, c.id) for c in without],
        [(c.id, c.name) for c in without],
    )

    def about(named: Any) -> str:
        # the report names claims about no city or cohort "the programme", in English
        return w("Programme") if named.id == "programme" else str(named.name)

    add(
        w("Reported results"),
        "reported_results",
        (w("About"), w("Statement"), w("Verified"), w("Sources")),
        [
            (
                c.about.name,
                c.statement,
                w.yes_no(c.verified),
                ", ".join(c.sources) or w("No source"),
            )
            for c in r.reported_results
        ],
        [
            (about(c.about), c.statement + ("" if c.verified else f"  [{w('Unverified')}]"))
            for c in r.reported_results
        ],
        [w("As the sources state them; not computed")] if r.reported_results else [],
    )
    add(
        w("Cross-border ties"),
        "ties",
        (w("City"), w("Other side"), w("Kind")),
        [(t.city.name, t.other.name, w.label(t.kind)) for t in r.ties],
        [(t.city.name, f"{t.other.name} ({w.label(t.kind)})") for t in r.ties],
    )
    net = r.network
    net_lines: list[tuple[str, str]] = []
    if net is not None:
        net_lines = [
            (
                w("Nodes"),
                f"{cities(net.cities)}, "
                + w.plural("{count} organisation", "{count} organisations", net.organisations),
            ),
            (
                w("Relations"),
                ", ".join(f"{w.label(_relation_kind(k))} {w.number(v)}" for k, v in net.relations)
                or w("None"),
            ),
        ]
        if net.cross_border_share is not None:
            net_lines.append(
                (w("Share of relations across borders"), w.percent(net.cross_border_share))
            )
            net_lines.append(
                (
                    w("Ties across borders the sources describe"),
                    ", ".join(
                        f"{a.name}–{b.name} ({w.label(_relation_kind(k))})"
                        for a, b, k in net.border_ties
                    )
                    or w("None"),
                )
            )
            if net.border_tie_share is not None:
                net_lines.append(
                    (w("Share of relations that are such ties"), w.percent(net.border_tie_share))
                )
            if net.cohort_cross_border_share is not None:
                net_lines.append(
                    (
                        w("Same-cohort links across borders"),
                        w.percent(net.cohort_cross_border_share),
                    )
                )
            net_lines.append((w("Brokers"), ", ".join(node.name for node, _ in net.brokers)))
            net_lines.append((w("Communities"), w.number(net.communities or 0)))
    add(w("City network"), "network", (w("Summary"), w("Value")), net_lines, net_lines)
    return out


def _relation_kind(value: str) -> RelationKind:
    return RelationKind(value)
