"""The programme report as one frozen value: every section, computed once, drawn by every renderer.

:func:`build_report` reads a :class:`~civicinnov.programme.Portfolio` and returns a
:class:`ProgrammeReport`. The text, Markdown and JSON renderers (:mod:`civicinnov.render`) draw the
same report, so every format shows the same sections, in the same order (:data:`SECTIONS`):

====================================  =============================================================
section                               what it holds
====================================  =============================================================
``overview``                          counts of every kind of record, countries, unverified
                                      records and unverified results (counted apart)
``cohorts``                           each cohort: announced, cities, countries, its grants
``rosters``                           cities in some state on one date, as a source lists them
``funnel``                            initiatives by status, every status in order
``funding_by_kind``                   exact totals per funding kind and currency
``funding_by_source_and_kind``        exact totals per source, kind and currency
``funding_coverage``                  what the totals cover: i-teams that report a grant, and
                                      the unverified amounts left out (or included)
``challenges_by_phase``               challenges in each phase of the method, then those whose
                                      phase is not reported (``None``)
``challenges_by_domain``              challenges by policy domain
``evidence_levels``                   initiatives at each Maryland SMS level (or none yet)
``progress``                          every challenge metric against every target
``challenges_without_targets``        challenges that track no target yet
``reported_results``                  claims as sources state them, kept apart from progress
``ties``                              cross-border ties
``network``                           the city network: nodes, relations, brokers, communities
====================================  =============================================================

Records are shown by name, each with its id beside it (:class:`Named`), so a reader sees
"Tel Aviv-Yafo" and a user can still type ``tel-aviv`` in a command.

Money whose provenance is unverified is left out of every total (cohort grants and the funding
sections) unless ``build_report(..., include_unverified=True)``; either way the
``funding_coverage`` section lists those amounts, so nothing doubtful is summed silently.

Example:
    >>> from civicinnov.model import City
    >>> from civicinnov.programme import Portfolio
    >>> report = build_report(Portfolio(name="Demo", cities=[City(id="a", name="A", country="US")]))
    >>> report.overview.cities, report.overview.countries
    (1, ('US',))
    >>> [name for name, _ in report.sections()][:3]
    ['overview', 'cohorts', 'rosters']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from civicinnov.model import InitiativeStatus, Phase, PolicyDomain, SMSLevel
from civicinnov.money import Money
from civicinnov.network import brokers, communities, cross_border_ties
from civicinnov.programme._portfolio import Portfolio
from civicinnov.programme._records import FundingKind, Qualifier, TieKind, unverified_ids
from civicinnov.programme._rollups import ProgressRow, funding_coverage

__all__ = [
    "SECTIONS",
    "ClaimLine",
    "CohortLine",
    "CoverageLine",
    "FundingLine",
    "Named",
    "NetworkSummary",
    "Overview",
    "ProgrammeReport",
    "ProgressLine",
    "RosterLine",
    "TieLine",
    "build_report",
]

#: The report's sections, in the order every renderer shows them.
SECTIONS: tuple[str, ...] = (
    "overview",
    "cohorts",
    "rosters",
    "funnel",
    "funding_by_kind",
    "funding_by_source_and_kind",
    "funding_coverage",
    "challenges_by_phase",
    "challenges_by_domain",
    "evidence_levels",
    "progress",
    "challenges_without_targets",
    "reported_results",
    "ties",
    "network",
)


@attrs.frozen
class Named:
    """A record as a person reads it (its name) with the id a command needs.

    Example:
        >>> print(Named("tel-aviv", "Tel Aviv-Yafo"))
        Tel Aviv-Yafo
    """

    id: str
    name: str

    def __str__(self) -> str:
        return self.name


@attrs.frozen(kw_only=True)
class Overview:
    """How many records of each kind the programme holds.

    ``unverified_records`` counts the records whose provenance says they are not verified (a
    record with several such notes counts once); ``unverified_claims`` counts the reported results
    that are not verified. The two are kept apart: one is about the record, the other about what a
    source claims.

    Example:
        >>> Overview(name="P").cities
        0
    """

    name: str
    cities: int = 0
    countries: tuple[str, ...] = ()
    cohorts: int = 0
    iteams: int = 0
    partners: int = 0
    challenges: int = 0
    ideas: int = 0
    initiatives: int = 0
    metrics: int = 0
    observations: int = 0
    claims: int = 0
    unverified_records: int = 0
    unverified_claims: int = 0


@attrs.frozen(kw_only=True)
class CohortLine:
    """One cohort: when it was announced, its cities and countries, and its grants by currency.

    Example:
        >>> CohortLine(cohort=Named("c", "C"), announced=dt.date(2014, 1, 1)).grants
        ()
    """

    cohort: Named
    announced: dt.date
    cities: tuple[Named, ...] = ()
    countries: tuple[str, ...] = ()
    grants: tuple[Money, ...] = ()


@attrs.frozen(kw_only=True)
class RosterLine:
    """The cities a roster lists on its date.

    Example:
        >>> RosterLine(roster=Named("r", "R"), on=dt.date(2017, 7, 11)).cities
        ()
    """

    roster: Named
    on: dt.date
    cities: tuple[Named, ...] = ()


@attrs.frozen(kw_only=True)
class FundingLine:
    """Exact totals (one per currency) of one funding kind, from one source or from all.

    Example:
        >>> FundingLine(kind=FundingKind.GRANT, totals=(Money.parse("$1M"),)).source is None
        True
    """

    kind: FundingKind
    totals: tuple[Money, ...]
    source: Named | None = None


@attrs.frozen(kw_only=True)
class CoverageLine:
    """What the funding totals cover: how many i-teams report a grant, and the unverified amounts.

    ``unverified`` lists each unverified funding record (its id, recipient and amount);
    ``included`` says whether they were added into the totals (False: left out, the default).

    Example:
        >>> line = CoverageLine(iteams=31, with_grant=9, unverified_grant=1,
        ...                     unverified=((Named("g", "g"), Named("chicago", "Chicago"),
        ...                                  Money.parse("$6M")),))
        >>> line.summary()
        '9 of 31 i-teams report a grant (1 unverified); unverified amounts left out of the totals'
    """

    iteams: int
    with_grant: int
    unverified_grant: int = 0
    unverified: tuple[tuple[Named, Named, Money], ...] = ()
    included: bool = False

    def summary(self) -> str:
        """The coverage in one line, as every renderer shows it.

        Example:
            >>> CoverageLine(iteams=2, with_grant=0).summary()
            '0 of 2 i-teams report a grant'
        """
        text = f"{self.with_grant} of {self.iteams} i-teams report a grant"
        if self.unverified_grant:
            text += f" ({self.unverified_grant} unverified)"
        if self.unverified:
            text += "; unverified amounts " + (
                "included in the totals" if self.included else "left out of the totals"
            )
        return text


@attrs.frozen(kw_only=True)
class ProgressLine:
    """One row of progress against a target, with the names a reader needs.

    Example:
        >>> from civicinnov.units import as_quantity
        >>> row = ProgressRow(challenge_id="c", city_id="x", metric_id="m", target_id="t",
        ...                   target=as_quantity(5, "person"), due=dt.date(2020, 1, 1),
        ...                   baseline=None, latest=None, latest_period=None, fraction=None,
        ...                   status="no_data")
        >>> ProgressLine(row=row, challenge=Named("c", "C"), city=Named("x", "X"),
        ...              metric=Named("m", "M")).row.status
        'no_data'
    """

    row: ProgressRow
    challenge: Named
    city: Named
    metric: Named


@attrs.frozen(kw_only=True)
class ClaimLine:
    """A result as a source states it: what it is about, the statement, its number (a quantity in
    ``value`` or money in ``amount``, hedged by ``qualifier``), its sources.

    Example:
        >>> ClaimLine(id="c", about=Named("p", "the programme"), statement="S",
        ...           verified=False).verified
        False
    """

    id: str
    about: Named
    statement: str
    verified: bool
    value: Any = None
    period: str | None = None
    sources: tuple[str, ...] = ()
    amount: Money | None = None
    qualifier: Qualifier | None = None


@attrs.frozen(kw_only=True)
class TieLine:
    """A cross-border tie: the programme city, the other end, and the kind of tie.

    Example:
        >>> TieLine(city=Named("d", "Dunkirk"), other=Named("BE", "BE"), kind=TieKind.BORDER).kind
        <TieKind.BORDER: 'border'>
    """

    city: Named
    other: Named
    kind: TieKind
    note: str | None = None


@attrs.frozen(kw_only=True)
class NetworkSummary:
    """The city network in a few numbers: nodes, relations by kind, and, with relations, the
    cross-border share, the three strongest brokers and the number of communities.

    ``border_ties`` are the ties the sources describe as crossing a border (from, to, kind; a
    country end is named by its code) and ``border_tie_share`` their share of the relations;
    ``cohort_cross_border_share`` is, apart, the share of same-cohort links joining two countries.

    Example:
        >>> NetworkSummary(cities=2, organisations=0).border_ties
        ()
    """

    cities: int
    organisations: int
    relations: tuple[tuple[str, int], ...] = ()
    cross_border_share: float | None = None
    cross_border_pairs: tuple[tuple[str, str, int], ...] = ()
    brokers: tuple[tuple[Named, float], ...] = ()
    communities: int | None = None
    border_ties: tuple[tuple[Named, Named, str], ...] = ()
    border_tie_share: float | None = None
    cohort_cross_border_share: float | None = None


@attrs.frozen(kw_only=True)
class ProgrammeReport:
    """Every section of the programme report, computed once (see the module docs).

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> build_report(Portfolio(name="Empty")).funnel[0]
        (<InitiativeStatus.CANDIDATE: 'candidate'>, 0)
    """

    overview: Overview
    as_of: dt.date | None = None
    cohorts: tuple[CohortLine, ...] = ()
    rosters: tuple[RosterLine, ...] = ()
    funnel: tuple[tuple[InitiativeStatus, int], ...] = ()
    funding_by_kind: tuple[FundingLine, ...] = ()
    funding_by_source_and_kind: tuple[FundingLine, ...] = ()
    funding_coverage: CoverageLine | None = None
    challenges_by_phase: tuple[tuple[Phase | None, tuple[Named, ...]], ...] = ()
    challenges_by_domain: tuple[tuple[PolicyDomain, tuple[Named, ...]], ...] = ()
    evidence_levels: tuple[tuple[SMSLevel | None, int], ...] = ()
    progress: tuple[ProgressLine, ...] = ()
    challenges_without_targets: tuple[Named, ...] = ()
    reported_results: tuple[ClaimLine, ...] = ()
    ties: tuple[TieLine, ...] = ()
    network: NetworkSummary | None = None

    def sections(self) -> tuple[tuple[str, Any], ...]:
        """Each section's name and value, in :data:`SECTIONS` order.

        Example:
            >>> from civicinnov.programme import Portfolio
            >>> len(build_report(Portfolio()).sections()) == len(SECTIONS)
            True
        """
        return tuple((name, getattr(self, name)) for name in SECTIONS)


def build_report(
    portfolio: Portfolio, *, as_of: dt.date | None = None, include_unverified: bool = False
) -> ProgrammeReport:
    """The :class:`ProgrammeReport` of ``portfolio``, with progress as of ``as_of`` (default: all
    observations).

    Parameters:
        portfolio: the programme to report on.
        as_of: count only observations whose period has ended by this date.
        include_unverified: add money whose provenance is unverified into the totals (default:
            leave it out; the ``funding_coverage`` section lists it either way).

    Returns:
        The frozen report; render it with :mod:`civicinnov.render`.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> report = build_report(load_iteams())
        >>> report.overview.cities, dict(report.funnel)[InitiativeStatus.DELIVERING]
        (33, 14)
    """
    p = portfolio
    names = _Names(p)
    overview = Overview(
        name=p.name,
        cities=len(p.cities),
        countries=tuple(sorted({c.country for c in p.cities})),
        cohorts=len(p.cohorts),
        iteams=len(p.iteams),
        partners=len(p.partners),
        challenges=len(p.challenges),
        ideas=len(p.ideas),
        initiatives=len(p.initiatives),
        metrics=len(p.metrics),
        observations=int(sum(len(s) for s in p.series)),
        claims=len(p.claims),
        unverified_records=len({prov.record for prov in p.provenance if not prov.verified}),
        unverified_claims=sum(not c.verified for c in p.claims),
    )
    doubtful = frozenset() if include_unverified else unverified_ids(p, "funding")
    countries = p.countries_by_cohort()
    cohorts = tuple(
        CohortLine(
            cohort=Named(c.id, c.name),
            announced=c.announced,
            cities=tuple(names.city(m.city_id) for m in c.members),
            countries=countries[c.id],
            grants=_totals(
                fu.amount
                for fu in p.funding
                if fu.cohort_id == c.id and fu.kind is FundingKind.GRANT and fu.id not in doubtful
            ),
        )
        for c in p.cohorts
    )
    rosters = tuple(
        RosterLine(roster=Named(r.id, r.name), on=r.on, cities=tuple(map(names.city, r.city_ids)))
        for r in p.rosters
    )
    by_kind = p.funding_by_kind(include_unverified=include_unverified)
    funding_by_kind = tuple(
        FundingLine(kind=kind, totals=tuple(totals.values())) for kind, totals in by_kind.items()
    )
    by_source: list[FundingLine] = []
    for kind in by_kind:
        for source, totals in p.funding_by_source(
            kinds=kind, include_unverified=include_unverified
        ).items():
            by_source.append(
                FundingLine(kind=kind, totals=tuple(totals.values()), source=names.any(source))
            )
    order = {k: i for i, k in enumerate(FundingKind)}
    by_source.sort(key=lambda line: (line.source.id if line.source else "", order[line.kind]))
    coverage = funding_coverage(p)
    funding_ids = p.by_id["funding"]
    coverage_line = CoverageLine(
        iteams=len(coverage.iteams),
        with_grant=len(coverage.with_grant),
        unverified_grant=len(coverage.unverified_grant),
        unverified=tuple(
            (
                Named(fid, fid),
                names.any(funding_ids[fid].recipient_id),
                funding_ids[fid].amount,
            )
            for fid in coverage.unverified_funding
        ),
        included=include_unverified,
    )
    rows = p.progress(as_of=as_of)
    progress = tuple(
        ProgressLine(
            row=row,
            challenge=names.challenge(row.challenge_id),
            city=names.city(row.city_id),
            metric=names.metric(row.metric_id),
        )
        for row in rows
    )
    tracked = {row.challenge_id for row in rows}
    claims = tuple(
        ClaimLine(
            id=c.id,
            about=(
                names.city(c.city_id)
                if c.city_id
                else names.any(c.cohort_id)
                if c.cohort_id
                else Named("programme", "the programme")
            ),
            statement=c.statement,
            verified=c.verified,
            value=c.value,
            period=None if c.period is None else c.period.id,
            sources=c.source_ids,
            amount=c.amount,
            qualifier=c.qualifier,
        )
        for c in p.claims
    )
    ties = tuple(
        TieLine(city=names.city(t.city_id), other=names.any(t.other), kind=t.kind, note=t.note)
        for t in p.ties
    )
    return ProgrammeReport(
        overview=overview,
        as_of=as_of,
        cohorts=cohorts,
        rosters=rosters,
        funnel=tuple(p.funnel().items()),
        funding_by_kind=funding_by_kind,
        funding_by_source_and_kind=tuple(by_source),
        funding_coverage=coverage_line,
        challenges_by_phase=tuple(
            (k, tuple(map(names.challenge, v))) for k, v in p.challenges_by_phase().items()
        ),
        challenges_by_domain=tuple(
            (k, tuple(map(names.challenge, v))) for k, v in p.challenges_by_domain().items()
        ),
        evidence_levels=tuple(p.evidence_levels().items()),
        progress=progress,
        challenges_without_targets=tuple(
            names.challenge(c.id) for c in p.challenges if c.id not in tracked
        ),
        reported_results=claims,
        ties=ties,
        network=_network_summary(p, names),
    )


def _totals(amounts: Any) -> tuple[Money, ...]:
    totals: dict[str, Money] = {}
    for amount in amounts:
        previous = totals.get(amount.currency)
        totals[amount.currency] = amount if previous is None else previous + amount
    return tuple(totals[k] for k in sorted(totals))


class _Names:
    """Names of records by id, falling back to the id for what the portfolio does not hold."""

    def __init__(self, p: Portfolio) -> None:
        self.by_id = p.by_id

    def _get(self, collection: str, record_id: str) -> Named:
        record = self.by_id[collection].get(record_id)
        name = getattr(record, "name", None) or getattr(record, "statement", None)
        return Named(record_id, name if isinstance(name, str) else record_id)

    def city(self, city_id: str) -> Named:
        return self._get("cities", city_id)

    def challenge(self, challenge_id: str) -> Named:
        return self._get("challenges", challenge_id)

    def metric(self, metric_id: str) -> Named:
        return self._get("metrics", metric_id)

    def any(self, record_id: str) -> Named:
        for collection in ("cities", "partners", "cohorts", "iteams"):
            if record_id in self.by_id[collection]:
                return self._get(collection, record_id)
        return Named(record_id, record_id)


def _network_summary(p: Portfolio, names: _Names) -> NetworkSummary | None:
    if not p.cities:
        return None
    net = p.network()
    counts: dict[str, int] = {}
    for relation in net.relations():
        counts[relation.kind.value] = counts.get(relation.kind.value, 0) + 1
    summary = NetworkSummary(
        cities=len(net.cities()),
        organisations=len(net.organisations()),
        relations=tuple(sorted(counts.items())),
    )
    if not net.number_of_relations():
        return summary
    ties = cross_border_ties(net)

    def end(node_id: str) -> Named:
        data = net.nx.nodes[node_id]
        if data["kind"] == "country":
            return Named(node_id, str(data["country"]))
        return names.any(node_id)

    return attrs.evolve(
        summary,
        border_ties=tuple((end(r.source), end(r.target), r.kind.value) for r in ties.described),
        border_tie_share=ties.described_share,
        cohort_cross_border_share=ties.cohort_share,
        cross_border_share=ties.share,
        cross_border_pairs=tuple((a, b, n) for (a, b), n in ties.by_pair.items()),
        brokers=tuple((names.any(b.node_id), b.betweenness) for b in brokers(net, limit=3)),
        communities=len(communities(net).groups),
    )
