"""The report's sections as tables: one list that the text and Markdown renderers both draw.

Each :class:`Table` carries its title, its columns and rows (the Markdown table) and the same rows
as ``key  value`` lines (the terminal text), built side by side from one section of the report, so
the two formats cannot drift apart: a section added here shows in both.

Example:
    >>> from civicinnov.programme import Portfolio, build_report
    >>> [t.title for t in report_tables(build_report(Portfolio()))][:2]
    ['Overview', 'Cohorts']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from civicinnov.programme import ProgrammeReport
from civicinnov.render._common import label, quantity_text, sms_key

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


def _money(totals: Sequence[Any]) -> str:
    return ", ".join(str(m) for m in totals)


def report_tables(report: ProgrammeReport) -> list[Table]:
    """Every section of ``report`` as a :class:`Table`, in the report's order.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> from civicinnov.programme import SECTIONS, build_report
        >>> tables = report_tables(build_report(load_iteams()))
        >>> {t.section for t in tables} == set(SECTIONS)
        True
    """
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

    coverage = r.funding_coverage
    money_note: tuple[str, ...] = ()
    if coverage is not None and coverage.unverified:
        n = len(coverage.unverified)
        verb = "include" if coverage.included else "leave out"
        money_note = (
            f"totals {verb} {n} unverified amount{'s' if n > 1 else ''} (see Funding coverage)",
        )
    countries = f" ({', '.join(o.countries)})" if o.countries else ""
    overview = [
        ("cities", f"{o.cities} in {len(o.countries)} countries{countries}"),
        ("cohorts", str(o.cohorts)),
        ("i-teams", str(o.iteams)),
        ("partners", str(o.partners)),
        ("challenges", str(o.challenges)),
        ("initiatives", str(o.initiatives)),
        ("observations", str(o.observations)),
        ("reported results", f"{o.claims} ({o.unverified_claims} unverified)"),
        ("unverified", f"{o.unverified_records} records (by their provenance)"),
    ]
    add("Overview", "overview", ("", ""), overview, overview)

    cohort_lines = []
    cohort_rows = []
    for c in r.cohorts:
        grants = _money(c.grants)
        where = ", ".join(c.countries) or "-"
        cohort_lines.append(
            (
                c.cohort.id,
                f"{c.announced.isoformat()}  {len(c.cities)} cities in {where}"
                + (f"  grant {grants}" if grants else ""),
            )
        )
        cohort_rows.append(
            (c.cohort.name, c.cohort.id, c.announced.isoformat(), len(c.cities), where, grants)
        )
    add(
        "Cohorts",
        "cohorts",
        ("cohort", "id", "announced", "cities", "countries", "grant"),
        cohort_rows,
        cohort_lines,
        notes=money_note,
    )

    add(
        "Rosters",
        "rosters",
        ("roster", "on", "cities"),
        [
            (ro.roster.name, ro.on.isoformat(), ", ".join(c.name for c in ro.cities))
            for ro in r.rosters
        ],
        [
            (
                f"{ro.roster.name} ({ro.on.isoformat()})",
                f"{len(ro.cities)} cities: " + ", ".join(c.id for c in ro.cities),
            )
            for ro in r.rosters
        ],
    )
    funnel = [(s.value, str(n)) for s, n in r.funnel]
    add("Initiatives by status (funnel)", "funnel", ("status", "initiatives"), funnel, funnel)
    by_kind = [(line.kind.value, _money(line.totals)) for line in r.funding_by_kind]
    add(
        "Funding by kind",
        "funding_by_kind",
        ("kind", "total"),
        by_kind,
        by_kind,
        notes=money_note,
    )

    grouped: dict[str, list[str]] = {}
    for line in r.funding_by_source_and_kind:
        assert line.source is not None
        grouped.setdefault(line.source.id, []).append(f"{line.kind.value} {_money(line.totals)}")
    add(
        "Funding by source and kind",
        "funding_by_source_and_kind",
        ("source", "kind", "total"),
        [
            (line.source.id if line.source else "", line.kind.value, _money(line.totals))
            for line in r.funding_by_source_and_kind
        ],
        [(source, "; ".join(parts)) for source, parts in grouped.items()],
        notes=money_note,
    )
    if coverage is not None:
        verb = "included" if coverage.included else "left out"
        doubtful = [
            (f"{fid.id} ({recipient.name})", f"{amount}  [unverified; {verb}]")
            for fid, recipient, amount in coverage.unverified
        ]
        summary = ("i-teams with a grant", f"{coverage.with_grant} of {coverage.iteams}")
        add(
            "Funding coverage",
            "funding_coverage",
            ("", ""),
            [summary, *doubtful],
            [summary, *doubtful],
            notes=(coverage.summary(),),
        )
    else:
        add("Funding coverage", "funding_coverage", ("", ""), [], [])
    phases = [
        ("phase not reported" if p is None else p.value, str(len(ids)))
        for p, ids in r.challenges_by_phase
    ]
    add("Challenges by phase", "challenges_by_phase", ("phase", "challenges"), phases, phases)
    domains = [(d.value, str(len(ids))) for d, ids in r.challenges_by_domain]
    add(
        "Challenges by policy domain",
        "challenges_by_domain",
        ("policy domain", "challenges"),
        domains,
        domains,
    )
    levels = [(sms_key(level), str(n)) for level, n in r.evidence_levels]
    add("Evidence levels", "evidence_levels", ("level", "initiatives"), levels, levels)

    progress_lines = []
    progress_rows = []
    for progress_line in r.progress:
        row = progress_line.row
        state = "target met" if row.met else row.status.replace("_", " ")
        latest = quantity_text(row.latest)
        target = quantity_text(row.target)
        progress_lines.append(
            (
                f"{progress_line.challenge.id} / {progress_line.metric.id}",
                state
                + f": {latest or 'no data'}"
                + (f" ({row.latest_period})" if row.latest_period else "")
                + f" vs target {target} by {row.due.isoformat()}"
                + (f", {row.fraction:.0%} of the way" if row.fraction is not None else ""),
            )
        )
        progress_rows.append(
            (
                progress_line.challenge.id,
                progress_line.metric.id,
                row.status,
                {True: "yes", False: "no", None: ""}[row.met],
                latest,
                target,
                row.due.isoformat(),
            )
        )
    add(
        "Progress against targets (computed from the records)",
        "progress",
        ("challenge", "metric", "status", "met", "latest", "target", "due"),
        progress_rows,
        progress_lines,
    )
    without = r.challenges_without_targets
    add(
        "Challenges without targets",
        "challenges_without_targets",
        ("challenge", "id"),
        [(c.name, c.id) for c in without],
        [(f"{len(without)} challenges", ", ".join(c.id for c in without))] if without else [],
    )
    add(
        "Reported results (as sources state them; not computed)",
        "reported_results",
        ("about", "statement", "verified", "sources"),
        [
            (c.about.id, c.statement, "yes" if c.verified else "no", ", ".join(c.sources))
            for c in r.reported_results
        ],
        [
            (c.about.id, c.statement + ("" if c.verified else "  [unverified]"))
            for c in r.reported_results
        ],
    )
    add(
        "Cross-border ties",
        "ties",
        ("city", "other", "kind"),
        [(t.city.id, t.other.id, label(t.kind)) for t in r.ties],
        [(t.city.id, f"{t.other.id} ({t.kind.value})") for t in r.ties],
    )
    net = r.network
    net_lines: list[tuple[str, str]] = []
    if net is not None:
        net_lines = [
            ("nodes", f"{net.cities} cities, {net.organisations} organisations"),
            ("relations", ", ".join(f"{k} {v}" for k, v in net.relations) or "none"),
        ]
        if net.cross_border_share is not None:
            net_lines.append(("cross-border", f"{net.cross_border_share:.1%} of relations"))
            net_lines.append(("brokers", ", ".join(node.id for node, _ in net.brokers)))
            net_lines.append(("communities", str(net.communities)))
    add("City network", "network", ("", ""), net_lines, net_lines)
    return out
