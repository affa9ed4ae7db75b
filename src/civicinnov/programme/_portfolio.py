"""The portfolio: everything one programme knows, in one frozen value that resolves and checks ids.

A :class:`Portfolio` holds the programme's records as tuples: cities, partners, cohorts, i-teams,
priority areas, challenges, ideas, initiatives, metric definitions, metric series, baselines,
targets, funding, result claims, cross-border ties, rosters, sources and provenance. Records refer
to each other by id; the portfolio is the one place that resolves those ids (:meth:`Portfolio.city`,
:meth:`Portfolio.get`, ...) and checks that they hold together (:meth:`Portfolio.check`, see
``civicinnov.programme._integrity``). Its roll-ups (funnel, funding, progress) are computed by
``civicinnov.programme._rollups``; the network and peer adapters assemble plain inputs for
:mod:`civicinnov.network`, which knows nothing of portfolios.

Example:
    >>> from civicinnov.model import City
    >>> p = Portfolio(name="Demo", cities=(City(id="mobile", name="Mobile", country="US"),))
    >>> p.city("mobile").name
    'Mobile'
    >>> p.city("mobil")
    Traceback (most recent call last):
    ...
    civicinnov.errors.UnknownIdError: no city with id 'mobil' (did you mean 'mobile'?)
    >>> p.check()
    []
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from civicinnov import _values as f
from civicinnov.errors import IntegrityError, UnknownIdError, ValidationError
from civicinnov.metrics import Baseline, MetricDefinition, MetricSeries, Milestone, Target
from civicinnov.model import (
    Challenge,
    City,
    Cohort,
    Criteria,
    GateContext,
    GateReport,
    Idea,
    Initiative,
    InitiativeStatus,
    ITeam,
    Partner,
    Phase,
    PolicyDomain,
    PriorityArea,
    SMSLevel,
    check_gate,
)
from civicinnov.money import Money
from civicinnov.network import CityNetwork, PeerRanking, Relation, RelationKind, peers
from civicinnov.programme._integrity import check_portfolio, key_text, record_key
from civicinnov.programme._records import (
    COLLECTIONS,
    Funding,
    FundingKind,
    FundingKinds,
    Problem,
    Provenance,
    ResultClaim,
    Roster,
    Source,
    Support,
    Tie,
)
from civicinnov.programme._rollups import (
    ProgressRow,
    funding_by_currency,
    funding_by_kind,
    funding_by_source,
    group_ids,
    progress_rows,
)

__all__ = ["Portfolio"]


def _tuple_of(kind: type) -> Any:
    return attrs.field(default=(), converter=f.to_tuple, validator=f.tuple_of(kind))


@attrs.frozen(kw_only=True)
class Portfolio:
    """Everything one programme knows; see the module docs.

    Example:
        >>> p = Portfolio(name="Empty")
        >>> p.funnel()[InitiativeStatus.CANDIDATE]
        0
    """

    name: str = attrs.field(default="portfolio", validator=f.text)
    cities: tuple[City, ...] = _tuple_of(City)
    partners: tuple[Partner, ...] = _tuple_of(Partner)
    cohorts: tuple[Cohort, ...] = _tuple_of(Cohort)
    iteams: tuple[ITeam, ...] = _tuple_of(ITeam)
    priority_areas: tuple[PriorityArea, ...] = _tuple_of(PriorityArea)
    challenges: tuple[Challenge, ...] = _tuple_of(Challenge)
    ideas: tuple[Idea, ...] = _tuple_of(Idea)
    initiatives: tuple[Initiative, ...] = _tuple_of(Initiative)
    metrics: tuple[MetricDefinition, ...] = _tuple_of(MetricDefinition)
    series: tuple[MetricSeries, ...] = _tuple_of(MetricSeries)
    baselines: tuple[Baseline, ...] = _tuple_of(Baseline)
    targets: tuple[Target, ...] = _tuple_of(Target)
    milestones: tuple[Milestone, ...] = _tuple_of(Milestone)
    funding: tuple[Funding, ...] = _tuple_of(Funding)
    claims: tuple[ResultClaim, ...] = _tuple_of(ResultClaim)
    ties: tuple[Tie, ...] = _tuple_of(Tie)
    supports: tuple[Support, ...] = _tuple_of(Support)
    rosters: tuple[Roster, ...] = _tuple_of(Roster)
    sources: tuple[Source, ...] = _tuple_of(Source)
    provenance: tuple[Provenance, ...] = _tuple_of(Provenance)

    # -- id resolution ------------------------------------------------------------------------

    @functools.cached_property
    def by_id(self) -> dict[str, dict[str, Any]]:
        """Every record by collection and id (the first of a duplicated id), built once.

        Example:
            >>> from civicinnov.model import City
            >>> Portfolio(cities=[City(id="a", name="A", country="US")]).by_id["cities"]["a"].name
            'A'
        """
        index: dict[str, dict[str, Any]] = {}
        for collection in COLLECTIONS:
            by_id: dict[str, Any] = {}
            for record in getattr(self, collection):
                by_id.setdefault(record.id, record)
            index[collection] = by_id
        return index

    def get(self, collection: str, record_id: str) -> Any:
        """Return the record ``record_id`` of ``collection`` (``"cities"``, ``"targets"``, ...).

        Raises :class:`~civicinnov.errors.UnknownIdError` naming the closest ids.

        Parameters:
            collection: The collection's name (``"cities"``, ``"targets"``, ...).
            record_id: The id of the record.

        Returns:
            The first record of ``collection`` with that id.

        Raises:
            UnknownIdError: ``collection`` is not a collection, or holds no record ``record_id`` (the
                message names the closest ids).

        Example:
            >>> Portfolio().get("planets", "mars")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no collection 'planets'; expected one of ...
        """
        index = self.by_id.get(collection)
        if index is None:
            raise UnknownIdError(
                f"no collection {collection!r}; expected one of {', '.join(COLLECTIONS)}"
            )
        try:
            return index[record_id]
        except (KeyError, TypeError):
            pass
        noun = COLLECTIONS[collection]
        close = difflib.get_close_matches(str(record_id), list(index), n=3)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownIdError(f"no {noun} with id {record_id!r}{hint}")

    def has(self, collection: str, record_id: str) -> bool:
        """Whether ``collection`` holds a record with ``record_id``.

        Parameters:
            collection: The collection's name (``"cities"``, ...); an unknown one holds nothing.
            record_id: The id to look for.

        Returns:
            ``True`` when the collection has a record with that id.

        Example:
            >>> Portfolio().has("cities", "mobile")
            False
        """
        return record_id in self.by_id.get(collection, {})

    def city(self, city_id: str) -> City:
        """The city ``city_id``.

        Parameters:
            city_id: The id of the city.

        Returns:
            The first city with that id.

        Raises:
            UnknownIdError: No city has that id.

        Example:
            >>> Portfolio().city("x")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no city with id 'x'
        """
        result: City = self.get("cities", city_id)
        return result

    def partner(self, partner_id: str) -> Partner:
        """The partner ``partner_id``.

        Parameters:
            partner_id: The id of the partner.

        Returns:
            The first partner with that id.

        Raises:
            UnknownIdError: No partner has that id.

        Example:
            >>> from civicinnov.model import Partner
            >>> p = Portfolio(partners=[Partner(id="bp", name="Bloomberg Philanthropies", kinds={"funder"})])
            >>> p.partner("bp").name
            'Bloomberg Philanthropies'
            >>> p.partner("pb")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no partner with id 'pb'...
        """
        result: Partner = self.get("partners", partner_id)
        return result

    def cohort(self, cohort_id: str) -> Cohort:
        """The cohort ``cohort_id``.

        Parameters:
            cohort_id: The id of the cohort.

        Returns:
            The first cohort with that id.

        Raises:
            UnknownIdError: No cohort has that id.

        Example:
            >>> from civicinnov.model import Cohort
            >>> c = Cohort(id="us-2014", name="i-teams 2014", funder_id="bp", announced="2014-12-15")
            >>> Portfolio(cohorts=[c]).cohort("us-2014").announced
            datetime.date(2014, 12, 15)
        """
        result: Cohort = self.get("cohorts", cohort_id)
        return result

    def challenge(self, challenge_id: str) -> Challenge:
        """The challenge ``challenge_id``.

        Parameters:
            challenge_id: The id of the challenge.

        Returns:
            The first challenge with that id.

        Raises:
            UnknownIdError: No challenge has that id.

        Example:
            >>> from civicinnov.model import Challenge
            >>> ch = Challenge(id="blight", city_id="mobile", statement="Reduce blight")
            >>> Portfolio(challenges=[ch]).challenge("blight").statement
            'Reduce blight'
        """
        result: Challenge = self.get("challenges", challenge_id)
        return result

    def initiative(self, initiative_id: str) -> Initiative:
        """The initiative ``initiative_id``.

        Parameters:
            initiative_id: The id of the initiative.

        Returns:
            The first initiative with that id.

        Raises:
            UnknownIdError: No initiative has that id.

        Example:
            >>> from civicinnov.model import Initiative
            >>> i = Initiative(id="map", title="Map blight", city_id="mobile", challenge_ids=["c"])
            >>> Portfolio(initiatives=[i]).initiative("map").title
            'Map blight'
        """
        result: Initiative = self.get("initiatives", initiative_id)
        return result

    def metric(self, metric_id: str) -> MetricDefinition:
        """The metric definition ``metric_id``.

        Parameters:
            metric_id: The id of the metric definition.

        Returns:
            The first metric definition with that id.

        Raises:
            UnknownIdError: No metric definition has that id.

        Example:
            >>> from civicinnov.metrics import MetricDefinition
            >>> m = MetricDefinition(id="murders", name="Murders", unit="person")
            >>> str(Portfolio(metrics=[m]).metric("murders").unit)
            'person'
        """
        result: MetricDefinition = self.get("metrics", metric_id)
        return result

    def target(self, target_id: str) -> Target:
        """The target ``target_id``.

        Parameters:
            target_id: The id of the target.

        Returns:
            The first target with that id.

        Raises:
            UnknownIdError: No target has that id.

        Example:
            >>> from civicinnov.metrics import Target
            >>> t = Target(id="t", metric_id="m", stage="final", value="5 person", due="2020-12-31")
            >>> Portfolio(targets=[t]).target("t").value
            <Quantity(5, 'person')>
        """
        result: Target = self.get("targets", target_id)
        return result

    def iteam_of(self, city_id: str) -> tuple[ITeam, ...]:
        """The i-teams of a city (a city may have had one per cohort).

        Parameters:
            city_id: The id of the city.

        Returns:
            The city's i-teams in portfolio order; empty when it has none.

        Example:
            >>> Portfolio().iteam_of("mobile")
            ()
        """
        return tuple(t for t in self.iteams if t.city_id == city_id)

    def series_of(self, metric_id: str, place_id: str | None = None) -> tuple[MetricSeries, ...]:
        """The series of a metric, optionally in one place.

        Parameters:
            metric_id: The id of the metric.
            place_id: The place the series must be for; any place when ``None``.

        Returns:
            The matching series in portfolio order; empty when there are none.

        Example:
            >>> Portfolio().series_of("murders")
            ()
        """
        return tuple(
            s
            for s in self.series
            if s.metric_id == metric_id and (place_id is None or s.place_id == place_id)
        )

    def claims_about(self, record_id: str) -> tuple[ResultClaim, ...]:
        """Result claims about a city, cohort, challenge, initiative or metric id.

        Parameters:
            record_id: The id a claim names as its city, cohort, challenge, initiative or metric.

        Returns:
            The matching claims in portfolio order; empty when there are none.

        Example:
            >>> Portfolio().claims_about("new-orleans")
            ()
        """
        return tuple(
            c
            for c in self.claims
            if record_id in (c.city_id, c.cohort_id, c.challenge_id, c.initiative_id, c.metric_id)
        )

    def provenance_of(self, collection: str, record_id: str) -> tuple[Provenance, ...]:
        """The provenance records of one record.

        Parameters:
            collection: The record's collection (``"cities"``, ...).
            record_id: The record's id.

        Returns:
            The provenance records whose ``record`` is ``collection:record_id``; empty when none.

        Example:
            >>> Portfolio().provenance_of("cities", "mobile")
            ()
        """
        key = f"{collection}:{record_id}"
        return tuple(p for p in self.provenance if p.record == key)

    # -- new portfolios from this one ------------------------------------------------------------

    def with_records(self, **records: Iterable[Any]) -> Portfolio:
        """A new portfolio with records added or replaced, collection by collection.

        Each keyword is a collection (``challenges=[...]``, ``series=[...]``, ...). A record whose
        key matches one already there replaces it in place; the others are added at the end, in
        the order given. The key is the ``id``; for ``series`` it is the metric, place and
        dimensions, for ``baselines`` the metric, place and ``as_of`` date; ``provenance`` records
        are always added. The portfolio itself is not changed (it is frozen), and the new one is
        not checked: call :meth:`check` or :meth:`validate` when you are done.

        Raises :class:`~civicinnov.errors.ValidationError` for an unknown collection, a key given
        twice in one call, or a record of the wrong type for its collection.

        Parameters:
            **records: For each collection name, the records to add or to replace by key.

        Returns:
            A new portfolio with the records merged in; the original is unchanged.

        Raises:
            ValidationError: A keyword is not a collection, or one key is given twice in one call.

        Example:
            >>> from civicinnov.model import City
            >>> p = Portfolio(cities=(City(id="mobile", name="Mobile", country="US"),))
            >>> q = p.with_records(cities=[City(id="mobile", name="Mobile, AL", country="US"),
            ...                            City(id="syracuse", name="Syracuse", country="US")])
            >>> [c.name for c in q.cities], [c.name for c in p.cities]
            (['Mobile, AL', 'Syracuse'], ['Mobile'])
            >>> p.with_records(towns=[])
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: with_records: 'towns' is not a collection; expected one of cities, partners, ...
        """
        names = [a.name for a in attrs.fields(Portfolio) if a.name != "name"]
        changes: dict[str, Any] = {}
        for collection, given in records.items():
            if collection not in names:
                close = difflib.get_close_matches(collection, names, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValidationError(
                    f"with_records: {collection!r} is not a collection{hint}; expected one of "
                    f"{', '.join(names)}"
                )
            new = tuple(given)
            key = record_key(collection)
            if key is None:
                changes[collection] = (*getattr(self, collection), *new)
                continue
            keyed: dict[Any, Any] = {}
            for i, record in enumerate(new):
                k = key(record)
                if k in keyed:
                    raise ValidationError(
                        f"with_records: {collection}[{i}]: {key_text(k)} is given twice; "
                        "expected each record once"
                    )
                keyed[k] = record
            kept = [keyed.pop(key(r), r) for r in getattr(self, collection)]
            changes[collection] = (*kept, *keyed.values())
        return attrs.evolve(self, **changes)

    # -- the method and the network -----------------------------------------------------------

    def gate_context(self, challenge_id: str) -> GateContext:
        """What the phase-gate checks of one challenge read, gathered from the portfolio.

        Ideas, initiatives and targets are the challenge's own; a target counts as *reported* when
        its city has at least one observed value of its metric. The context names a long-term owner
        only when the challenge itself carries one (a ``long_term_owner`` attribute); otherwise the
        ``long-term-owner`` criterion asks every selected initiative for its own, and the report
        names those that have none.

        Parameters:
            challenge_id: The id of the challenge.

        Returns:
            The challenge's ideas, initiatives, targets, reported target ids and long-term owner.

        Raises:
            UnknownIdError: No challenge has that id.

        Example:
            >>> Portfolio().gate_context("x")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no challenge with id 'x'
        """
        challenge = self.challenge(challenge_id)
        initiatives = tuple(i for i in self.initiatives if challenge.id in i.challenge_ids)
        wanted = {t for i in initiatives for t in i.target_ids}
        targets = tuple(t for t in self.targets if t.id in wanted)
        reported = frozenset(
            t.id
            for t in targets
            if any(
                np.any(~np.isnan(s.values))
                for s in self.series_of(t.metric_id, t.place_id or challenge.city_id)
            )
        )
        owner = getattr(challenge, "long_term_owner", None)
        return GateContext(
            ideas=tuple(i for i in self.ideas if i.challenge_id == challenge.id),
            initiatives=initiatives,
            targets=targets,
            reported_target_ids=reported,
            long_term_owner=owner if isinstance(owner, str) and owner else None,
        )

    def gate(self, challenge_id: str, *, criteria: Criteria | None = None) -> GateReport:
        """The phase-gate report of a challenge: every criterion for entering its next phase.

        ``criteria`` is passed to :func:`~civicinnov.model.check_gate`: a sequence of
        criteria for this gate, or a policy mapping phases to criteria (see
        :func:`~civicinnov.model.with_criteria`). Raises
        :class:`~civicinnov.errors.TransitionError` for a challenge in the last phase.

        Parameters:
            challenge_id: The id of the challenge.
            criteria: The criteria or phase policy for :func:`~civicinnov.model.check_gate`; the
                default criteria when ``None``.

        Returns:
            The gate report: each criterion's outcome for entering the next phase.

        Raises:
            UnknownIdError: No challenge has that id.
            TransitionError: The challenge's phase is not reported or is the last phase.
            ValidationError: An item of ``criteria`` is not a criterion, or two share an id.

        Example:
            >>> from civicinnov.model import Challenge
            >>> from civicinnov.model import Criterion
            >>> p = Portfolio(challenges=(Challenge(id="c", city_id="x", statement="S"),))
            >>> p.gate("c").to_phase.title
            'Investigate the Problem'
            >>> named = Criterion(id="named", description="a statement",
            ...                   check=lambda ch, ctx: (bool(ch.statement), "has a statement"))
            >>> p.gate("c", criteria=[named]).passed
            True
        """
        return check_gate(
            self.challenge(challenge_id), self.gate_context(challenge_id), criteria=criteria
        )

    def peers(
        self, city_id: str, *, network: CityNetwork | None = None, **options: Any
    ) -> PeerRanking:
        """Rank the cities ``city_id`` should learn from, using everything the portfolio knows.

        Gathers the portfolio's challenges and initiatives (with their evidence levels) and
        calls :func:`civicinnov.network.peers` on ``network`` (by default :meth:`network`).
        ``options`` are the other keyword arguments of :func:`~civicinnov.network.peers`
        (``domains``, ``weights``, ``limit``, ``backend``, ...); ``challenges=`` or
        ``initiatives=`` given there replace the portfolio's.

        Parameters:
            city_id: The id of the city to find peers for.
            network: The network to rank in; :meth:`network` of this portfolio when ``None``.
            **options: Further keyword arguments of :func:`~civicinnov.network.peers`.

        Returns:
            The ranking of peer cities, best first.

        Raises:
            UnknownIdError: ``city_id``, or a challenge's or initiative's city, is not in the network.
            NetworkError: ``city_id`` is an organisation, or ``kinds`` leaves no relations.
            ValidationError: An option is out of range, or a record lacks a field peers reads.
            UnitError: ``distance_scale`` is not a length.

        Example:
            >>> from civicinnov.model import Challenge
            >>> from civicinnov.model import City
            >>> p = Portfolio(
            ...     cities=[City(id=c, name=c.title(), country="US") for c in ("a", "b", "c")],
            ...     challenges=[Challenge(id=f"{c}-housing", city_id=c, statement="Homes",
            ...                           policy_domain="housing") for c in ("a", "c")])
            >>> ranking = p.peers("a")
            >>> ranking.domains, ranking.ids()
            (('housing',), ['c', 'b'])
        """
        net = self.network() if network is None else network
        records: dict[str, Any] = {"challenges": self.challenges, "initiatives": self.initiatives}
        records.update(options)
        return peers(net, city_id, **records)

    def network(self, *, proximity: str | None = None) -> CityNetwork:
        """The city network of the portfolio, every relation the record describes.

        Cities, partners as organisations, cohort ties; each :class:`Tie` as a relation of its own
        kind (``cross_border_metro``, ``border``, ``across_water``, ``cultural``), a tie to a whole
        country ending at that country's node (:func:`civicinnov.network.country_node_id`); each
        :class:`Support` as a ``support`` relation from its provider to each recipient (a cohort
        stands for its member cities, ``via`` the cohort) carrying its ``purposes``.
        ``proximity`` (a length such as ``"150 km"``) adds proximity links.

        Parameters:
            proximity: A length (``"150 km"``) within which cities are linked; no proximity links
                when ``None``.

        Returns:
            A new city network built from the portfolio's records.

        Raises:
            UnknownIdError: A cohort member, tie end or cohort funder or partner is not among the
                portfolio's cities and partners.
            NetworkError: A partner has the id of a city, or two ties between one pair share an id.
            UnitError: ``proximity`` is not a length.

        Example:
            >>> Portfolio().network().number_of_relations()
            0
            >>> from civicinnov.model import City
            >>> p = Portfolio(cities=[City(id="dunkerque", name="Dunkirk", country="FR")],
            ...               ties=[Tie(id="dk-be", city_id="dunkerque", kind="border",
            ...                         other_country="BE")])
            >>> [(r.kind.value, r.source, r.target) for r in p.network().relations()]
            [('border', 'dunkerque', 'country-be')]
        """
        builder = CityNetwork.from_records(
            cities=self.cities, cohorts=self.cohorts, partners=self.partners
        ).builder()
        relations: list[Relation] = []
        for t in self.ties:
            other = t.other_city_id
            if other is None:
                other = builder.add_country(str(t.other_country))
            relations.append(
                Relation(
                    kind=RelationKind(t.kind.value),
                    source=t.city_id,
                    target=other,
                    note=t.note,
                    id=t.id,
                )
            )
        members = self.cities_by_cohort()
        for s in self.supports:
            purposes = tuple(x.value for x in s.purposes)
            # a cohort stands for its cities; a city reached twice gets the support once
            targets: dict[str, str | None] = {}
            for recipient in s.recipient_ids:
                for city in members.get(recipient, ()):
                    targets.setdefault(city, recipient)
                if recipient not in members:
                    targets.setdefault(recipient, None)
            relations.extend(
                Relation(
                    kind=RelationKind.SUPPORT,
                    source=s.provider_id,
                    target=target,
                    via=via,
                    id=s.id,
                    purposes=purposes,
                    note=s.note,
                )
                for target, via in targets.items()
            )
        builder.add_relations(relations)
        if proximity is not None:
            builder.add_proximity(proximity)
        return builder.build()

    # -- integrity ----------------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Return every integrity problem, each with a ``$.path``; an empty list when all is well.

        Example:
            >>> from civicinnov.model import City
            >>> p = Portfolio(cities=(City(id="a", name="A", country="US"),
            ...                       City(id="a", name="A again", country="US")))
            >>> [str(x) for x in p.check()]
            ["$.cities[1].id: duplicate city id 'a' (first at $.cities[0])"]
        """
        return check_portfolio(self)

    def validate(self, *, source: str | None = None) -> Portfolio:
        """Return the portfolio, or raise :class:`~civicinnov.errors.IntegrityError` listing every
        problem :meth:`check` finds. ``source`` (a file name) starts the message.

        Parameters:
            source: A file name to start the error message with; none when ``None``.

        Returns:
            This portfolio, when :meth:`check` finds no problem.

        Raises:
            IntegrityError: :meth:`check` finds a problem; the message lists them (at most 20 shown).

        Example:
            >>> Portfolio().validate() == Portfolio()
            True
        """
        problems = self.check()
        if problems:
            lines = [str(p) for p in problems]
            head = f"{source}: " if source else ""
            if len(lines) == 1:
                message = f"{head}{lines[0]}"
            else:
                shown = "\n  ".join(lines[:20])
                more = f"\n  ... and {len(lines) - 20} more" if len(lines) > 20 else ""
                message = f"{head}{len(lines)} integrity problems:\n  {shown}{more}"
            raise IntegrityError(message, problems=lines)
        return self

    # -- roll-ups -----------------------------------------------------------------------------

    def cities_by_cohort(self) -> dict[str, tuple[str, ...]]:
        """City ids of each cohort, in the cohort's order.

        Example:
            >>> Portfolio().cities_by_cohort()
            {}
        """
        return {c.id: tuple(m.city_id for m in c.members) for c in self.cohorts}

    def countries_by_cohort(self) -> dict[str, tuple[str, ...]]:
        """Country codes of each cohort's cities, sorted, each once.

        Example:
            >>> Portfolio().countries_by_cohort()
            {}
        """
        cities = self.by_id["cities"]
        return {
            c.id: tuple(
                sorted({cities[m.city_id].country for m in c.members if m.city_id in cities})
            )
            for c in self.cohorts
        }

    def challenges_by_phase(self) -> dict[Phase | None, tuple[str, ...]]:
        """Challenge ids in each phase, every phase listed in the method's order, then (under
        ``None``, only when there are any) the challenges whose phase is not reported.

        Example:
            >>> from civicinnov.model import Phase
            >>> Portfolio().challenges_by_phase()[Phase.INVESTIGATE]
            ()
        """
        return group_ids(self.challenges, list(Phase), lambda c: c.phase)

    def challenges_by_domain(self) -> dict[PolicyDomain, tuple[str, ...]]:
        """Challenge ids by policy domain; only domains with at least one challenge.

        Example:
            >>> Portfolio().challenges_by_domain()
            {}
        """
        grouped = group_ids(self.challenges, list(PolicyDomain), lambda c: c.policy_domain)
        return {k: v for k, v in grouped.items() if v}

    def funnel(self) -> dict[InitiativeStatus, int]:
        """Number of initiatives in each status, every status listed in order (the funnel).

        Example:
            >>> sum(Portfolio().funnel().values())
            0
        """
        grouped = group_ids(self.initiatives, list(InitiativeStatus), lambda i: i.status)
        return {k: len(v) for k, v in grouped.items()}

    def funding_by_source(
        self, *, kinds: FundingKinds = None, include_unverified: bool = False
    ) -> dict[str, dict[str, Money]]:
        """Total money by source and currency, exact, from the :class:`Funding` records.

        The totals add up every kind of money (grants, local matches, secured funding,
        investments) unless ``kinds`` (a :class:`FundingKind`, its value, or several) keeps only
        some. Records whose provenance is unverified are left out unless ``include_unverified``.

        Parameters:
            kinds: A :class:`FundingKind`, its value, or several, to keep; every kind when ``None``.
            include_unverified: Count records whose provenance is unverified too (default: leave
                them out).

        Returns:
            For each source id (sorted), the total per currency code.

        Raises:
            ValidationError: An item of ``kinds`` is not a funding kind.

        Example:
            >>> from civicinnov.money import Money
            >>> p = Portfolio(funding=[
            ...     Funding(id="g", source_id="bp", recipient_id="x", kind="grant",
            ...             amount=Money.parse("$1M")),
            ...     Funding(id="i", source_id="bp", recipient_id="y", kind="investment",
            ...             amount=Money.parse("$5M"))])
            >>> print(p.funding_by_source()["bp"]["USD"])
            USD 6,000,000.00
            >>> print(p.funding_by_source(kinds=FundingKind.GRANT)["bp"]["USD"])
            USD 1,000,000.00
            >>> p.funding_by_source(kinds="loan")
            Traceback (most recent call last):
            ...
            civicinnov.errors.ValidationError: kinds: 'loan' is not a funding kind; expected one of 'grant', 'local_match', 'secured', 'investment'
        """
        return funding_by_source(self, kinds=kinds, include_unverified=include_unverified)

    def funding_by_currency(
        self, *, kinds: FundingKinds = None, include_unverified: bool = False
    ) -> dict[str, Money]:
        """Total money by currency, exact; ``kinds`` and ``include_unverified`` as in
        :meth:`funding_by_source`.

        Parameters:
            kinds: A :class:`FundingKind`, its value, or several, to keep; every kind when ``None``.
            include_unverified: Count records whose provenance is unverified too (default: leave
                them out).

        Returns:
            The total per currency code, sorted by code.

        Raises:
            ValidationError: An item of ``kinds`` is not a funding kind.

        Example:
            >>> from civicinnov.money import Money
            >>> p = Portfolio(funding=[Funding(id="m", source_id="x", recipient_id="x-team",
            ...                                kind="local_match", amount=Money.parse("$100k"))])
            >>> p.funding_by_currency(kinds=[FundingKind.GRANT]), str(p.funding_by_currency()["USD"])
            ({}, 'USD 100,000.00')
        """
        return funding_by_currency(self, kinds=kinds, include_unverified=include_unverified)

    def funding_by_kind(
        self, *, include_unverified: bool = False
    ) -> dict[FundingKind, dict[str, Money]]:
        """Total money by :class:`FundingKind` and currency, exact; only kinds with money, in the
        order of :class:`FundingKind`; ``include_unverified`` as in :meth:`funding_by_source`.

        Parameters:
            include_unverified: Count records whose provenance is unverified too (default: leave
                them out).

        Returns:
            For each funding kind with money, the total per currency code.

        Example:
            >>> from civicinnov.money import Money
            >>> p = Portfolio(funding=[Funding(id="s", source_id="state", recipient_id="x",
            ...                                kind="secured", amount=Money.parse("$750,000"))])
            >>> {k.value: str(v["USD"]) for k, v in p.funding_by_kind().items()}
            {'secured': 'USD 750,000.00'}
        """
        return funding_by_kind(self, include_unverified=include_unverified)

    def evidence_levels(self) -> dict[SMSLevel | None, int]:
        """Number of initiatives at each Maryland SMS level (``None``: not yet evaluated).

        Example:
            >>> Portfolio().evidence_levels()[None]
            0
        """
        counts: dict[SMSLevel | None, int] = dict.fromkeys(SMSLevel, 0)
        counts[None] = 0
        for initiative in self.initiatives:
            counts[initiative.evidence_level] = counts.get(initiative.evidence_level, 0) + 1
        return counts

    def unverified(self) -> list[str]:
        """Records and claims whose facts are not verified, as ``collection:id``.

        Example:
            >>> Portfolio().unverified()
            []
        """
        out = [p.record for p in self.provenance if not p.verified]
        out.extend(f"claims:{c.id}" for c in self.claims if not c.verified)
        return out

    def progress(
        self, *, as_of: dt.date | None = None, approved_only: bool = False
    ) -> list[ProgressRow]:
        """Progress of every challenge's metrics against their targets.

        Returns one row per (challenge, target) where the challenge tracks the target's metric and
        the target is for the challenge's city (or names no place), whether or not there are
        observations: a target with no observed value on or before ``as_of`` (no series, or only
        missing values) gets a row with ``latest=None`` and status ``"no_data"``. See
        :mod:`civicinnov.evaluation`. With ``approved_only``, observations under an approval
        workflow count only once approved (draft and submitted values are left out).

        Parameters:
            as_of: Count only observations whose period has ended by this date; all when ``None``.
            approved_only: Count only approved observations of series with an approval workflow.

        Returns:
            One row per challenge and target it tracks.

        Example:
            >>> from civicinnov.metrics import Target
            >>> from civicinnov.model import Challenge
            >>> p = Portfolio(
            ...     challenges=[Challenge(id="c", city_id="x", statement="S", metric_ids=["m"])],
            ...     targets=[Target(id="t", metric_id="m", stage="final", value="5 person",
            ...                     due="2020-12-31")])
            >>> [(r.target_id, r.latest, r.status) for r in p.progress()]
            [('t', None, 'no_data')]
        """
        return progress_rows(self, as_of=as_of, approved_only=approved_only)
