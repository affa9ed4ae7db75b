"""The programme report as JSON-ready data and JSON text (what ``report --format json`` prints).

Every section of :class:`~civicinnov.programme.ProgrammeReport` is a key; records appear by id (the
key a program reads) with their names beside them (``city_name``, ``about_name``...), and the
``names`` key maps every id the report uses to its name, the ``labels`` key every status, phase
and kind to its label in the report's language (``"lang"``). Money is exact text
(``"USD 750,000.00"``), quantities are text with their unit: the values stay machine-readable in
every language.

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
from civicinnov.render._common import Words, quantity_text, sms_key

__all__ = ["render_json", "report_to_data"]


def _named(named: Any) -> dict[str, str]:
    return {"id": named.id, "name": named.name}


def report_to_data(report: ProgrammeReport, *, lang: str = "en") -> dict[str, Any]:
    """The report as plain JSON-ready data: one key per section, with names and labels.

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.
        lang: the language of the names of statuses, phases and kinds (``labels``).

    Returns:
        A dict of dicts, lists, strings, numbers, booleans and None.

    Example:
        >>> from civicinnov.programme import Portfolio, build_report
        >>> sorted(report_to_data(build_report(Portfolio()))["overview"])[:3]
        ['challenges', 'cities', 'claims']
        >>> report_to_data(build_report(Portfolio()), lang="fr")["labels"]["funnel"]["handed_off"]
        'Transmise'
    """
    w = Words(lang)
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
            "latest_status": line.row.latest_status,
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
            network["border_ties"] = [
                {"from": a.id, "to": b.id, "kind": kind} for a, b, kind in net.border_ties
            ]
            network["border_tie_share"] = (
                None if net.border_tie_share is None else round(net.border_tie_share, 4)
            )
            network["cohort_cross_border_share"] = (
                None
                if net.cohort_cross_border_share is None
                else round(net.cohort_cross_border_share, 4)
            )
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
                "city_names": [city.name for city in r.cities],
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
                "city_name": t.city.name,
                "other": t.other.id,
                "other_name": t.other.name,
                "kind": t.kind.value,
                "note": t.note,
            }
            for t in report.ties
        ],
        "network": network,
        "lang": w.lang,
        "names": _names(report),
        "labels": {
            "funnel": {s.value: w.label(s) for s, _ in report.funnel},
            "funding_kind": {
                line.kind.value: w.label(line.kind) for line in report.funding_by_kind
            },
            "phase": {
                "not_reported" if p is None else p.value: (
                    w("Phase not reported") if p is None else w.label(p)
                )
                for p, _ in report.challenges_by_phase
            },
            "policy_domain": {d.value: w.label(d) for d, _ in report.challenges_by_domain},
            "evidence_level": {sms_key(lv): w.sms(lv) for lv, _ in report.evidence_levels},
            "progress": {line.row.status: w.progress(line.row.status) for line in report.progress},
            "tie_kind": {t.kind.value: w.label(t.kind) for t in report.ties},
        },
    }


def _names(report: ProgrammeReport) -> dict[str, str]:
    """Every id the report shows, with its name."""
    names: dict[str, str] = {}
    for c in report.cohorts:
        names[c.cohort.id] = c.cohort.name
        names.update((city.id, city.name) for city in c.cities)
    for r in report.rosters:
        names.update((city.id, city.name) for city in r.cities)
    for line in report.funding_by_source_and_kind:
        if line.source is not None:
            names[line.source.id] = line.source.name
    for _, challenges in report.challenges_by_phase:
        names.update((c.id, c.name) for c in challenges)
    for p in report.progress:
        names.update(((p.city.id, p.city.name), (p.metric.id, p.metric.name)))
    for claim in report.reported_results:
        names[claim.about.id] = claim.about.name
    for t in report.ties:
        names.update(((t.city.id, t.city.name), (t.other.id, t.other.name)))
    if report.network is not None:
        names.update((b.id, b.name) for b, _ in report.network.brokers)
    return dict(sorted(names.items()))


def render_json(report: ProgrammeReport, *, lang: str = "en") -> str:
    """The report as indented JSON text, ending with a newline (see :func:`report_to_data`).

    Parameters:
        report: the report built by :func:`civicinnov.programme.build_report`.
        lang: the language of the ``labels``.

    Returns:
        The JSON text.

    Raises:
        ValidationError: an unsupported language.

    Example:
        >>> import json
        >>> from civicinnov.programme import Portfolio, build_report
        >>> json.loads(render_json(build_report(Portfolio(name="P"))))["overview"]["name"]
        'P'
    """
    return json.dumps(report_to_data(report, lang=lang), indent=2, ensure_ascii=False) + "\n"
