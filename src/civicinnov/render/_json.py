"""The programme report as JSON-ready data and JSON text (what ``report --format json`` prints).

Every section of :class:`~civicinnov.programme.ProgrammeReport` is a key; records appear by id (the
key a program reads) with their names beside them. Money is exact text (``"USD 750,000.00"``),
quantities are text with their unit.

Example:
    >>> from civicinnov.datasets import load_iteams
    >>> from civicinnov.programme import build_report
    >>> data = report_to_data(build_report(load_iteams()))
    >>> data["overview"]["cities"], data["funnel"]["delivering"]
    (33, 14)
"""

from __future__ import annotations

import json
from typing import Any

from civicinnov.programme import ProgrammeReport
from civicinnov.render._common import quantity_text, sms_key

__all__ = ["render_json", "report_to_data"]


def _named(named: Any) -> dict[str, str]:
    return {"id": named.id, "name": named.name}


def report_to_data(report: ProgrammeReport) -> dict[str, Any]:
    """The report as plain JSON-ready data: one key per section.

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.

    Returns:
        A dict of dicts, lists, strings, numbers, booleans and None.

    Example:
        >>> from civicinnov.programme import Portfolio, build_report
        >>> sorted(report_to_data(build_report(Portfolio()))["overview"])[:3]
        ['challenges', 'cities', 'claims']
    """
    o = report.overview
    coverage = report.funding_coverage
    by_source_and_kind: dict[str, dict[str, dict[str, str]]] = {}
    for line in report.funding_by_source_and_kind:
        assert line.source is not None  # every line of this section has its source
        totals = {m.currency: str(m) for m in line.totals}
        by_source_and_kind.setdefault(line.source.id, {})[line.kind.value] = totals
    # the per-source totals over every kind, exact
    funding_totals: dict[str, dict[str, Any]] = {}
    for line in report.funding_by_source_and_kind:
        assert line.source is not None
        sums = funding_totals.setdefault(line.source.id, {})
        for money in line.totals:
            sums[money.currency] = (
                money if money.currency not in sums else sums[money.currency] + money
            )
    progress = [
        {
            "challenge": line.challenge.id,
            "challenge_name": line.challenge.name,
            "city": line.city.id,
            "city_name": line.city.name,
            "metric": line.metric.id,
            "metric_name": line.metric.name,
            "target": line.row.target_id,
            "target_value": quantity_text(line.row.target),
            "due": line.row.due.isoformat(),
            "baseline": quantity_text(line.row.baseline),
            "latest": quantity_text(line.row.latest),
            "latest_period": line.row.latest_period,
            "fraction": line.row.fraction,
            "status": line.row.status,
            "target_met": line.row.met,
        }
        for line in report.progress
    ]
    net = report.network
    network: dict[str, Any] | None = None
    if net is not None:
        network = {
            "cities": net.cities,
            "organisations": net.organisations,
            "relations": dict(net.relations),
        }
        if net.cross_border_share is not None:
            network["cross_border_share"] = round(net.cross_border_share, 4)
            network["cross_border_pairs"] = {f"{a}-{b}": n for a, b, n in net.cross_border_pairs}
            network["brokers"] = [
                {"node": node.id, "name": node.name, "betweenness": round(value, 4)}
                for node, value in net.brokers
            ]
            network["communities"] = net.communities
    return {
        "overview": {
            "name": o.name,
            "cities": o.cities,
            "countries": list(o.countries),
            "cohorts": o.cohorts,
            "iteams": o.iteams,
            "partners": o.partners,
            "challenges": o.challenges,
            "ideas": o.ideas,
            "initiatives": o.initiatives,
            "metrics": o.metrics,
            "observations": o.observations,
            "claims": o.claims,
            "unverified_claims": o.unverified_claims,
            "unverified_records": o.unverified_records,
        },
        "as_of": None if report.as_of is None else report.as_of.isoformat(),
        "cohorts": [
            {
                "id": c.cohort.id,
                "name": c.cohort.name,
                "announced": c.announced.isoformat(),
                "cities": [city.id for city in c.cities],
                "city_names": [city.name for city in c.cities],
                "countries": list(c.countries),
                "grants": {m.currency: str(m) for m in c.grants},
            }
            for c in report.cohorts
        ],
        "rosters": [
            {
                "id": r.roster.id,
                "name": r.roster.name,
                "on": r.on.isoformat(),
                "cities": [city.id for city in r.cities],
            }
            for r in report.rosters
        ],
        "funnel": {status.value: n for status, n in report.funnel},
        "funding": {
            source: {currency: str(total) for currency, total in sorted(sums.items())}
            for source, sums in sorted(funding_totals.items())
        },
        "funding_by_kind": {
            line.kind.value: {m.currency: str(m) for m in line.totals}
            for line in report.funding_by_kind
        },
        "funding_by_source_and_kind": dict(sorted(by_source_and_kind.items())),
        "funding_coverage": None
        if coverage is None
        else {
            "iteams": coverage.iteams,
            "iteams_with_grant": coverage.with_grant,
            "iteams_with_unverified_grant": coverage.unverified_grant,
            "unverified": [
                {"funding": fid.id, "recipient": recipient.id, "amount": str(amount)}
                for fid, recipient, amount in coverage.unverified
            ],
            "unverified_included": coverage.included,
            "summary": coverage.summary(),
        },
        # challenges whose phase no source reports are listed under "not_reported"
        "challenges_by_phase": {
            "not_reported" if phase is None else phase.value: [c.id for c in challenges]
            for phase, challenges in report.challenges_by_phase
        },
        "challenges_by_domain": {
            domain.value: [c.id for c in challenges]
            for domain, challenges in report.challenges_by_domain
        },
        "evidence_levels": {sms_key(level): n for level, n in report.evidence_levels},
        "progress": progress,
        "challenges_without_targets": [c.id for c in report.challenges_without_targets],
        "reported_results": [
            {
                "id": c.id,
                "about": c.about.id,
                "about_name": c.about.name,
                "statement": c.statement,
                "value": quantity_text(c.value),
                "amount": None if c.amount is None else str(c.amount),
                "qualifier": None if c.qualifier is None else c.qualifier.value,
                "period": c.period,
                "verified": c.verified,
                "sources": list(c.sources),
            }
            for c in report.reported_results
        ],
        "ties": [
            {
                "city": t.city.id,
                "other": t.other.id,
                "kind": t.kind.value,
                "note": t.note,
            }
            for t in report.ties
        ],
        "network": network,
    }


def render_json(report: ProgrammeReport) -> str:
    """The report as indented JSON text, ending with a newline.

    Example:
        >>> import json
        >>> from civicinnov.programme import Portfolio, build_report
        >>> json.loads(render_json(build_report(Portfolio(name="P"))))["overview"]["name"]
        'P'
    """
    return json.dumps(report_to_data(report), indent=2, ensure_ascii=False) + "\n"
