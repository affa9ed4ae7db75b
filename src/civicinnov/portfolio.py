"""The portfolio: everything one programme knows, in one frozen value that resolves and checks ids.

A :class:`Portfolio` holds the programme's records as tuples: cities, partners, cohorts, i-teams,
priority areas, challenges, ideas, initiatives, metric definitions, metric series, baselines,
targets, funding, result claims, cross-border ties, sources and provenance. Records refer to each
other by id; the portfolio is the one place that resolves those ids (:meth:`Portfolio.city`,
:meth:`Portfolio.get`, ...) and checks that they hold together (:meth:`Portfolio.check`).

Records that only the portfolio needs live here too:

- :class:`Source` (where a fact comes from) and :class:`Provenance` (which sources back a record,
  and whether the fact is verified);
- :class:`ResultClaim`: a headline result *as reported* ("murders down 19% in 2013"), with its
  sources and a verified flag. Claims are kept beside what the records compute and are never mixed
  into computed figures;
- :class:`Funding`: money secured, from a source to a recipient, as exact :class:`~civicinnov.money.Money`;
- :class:`Tie`: a tie between a city and a place across a border (another city or a country), which
  the city network can turn into edges.

**Checks.** :meth:`Portfolio.check` returns *every* problem, each with a ``$.path`` into the
portfolio's JSON document: duplicate ids, references that resolve to nothing (or to the wrong kind
of record), orphans (a target or baseline no challenge or initiative uses; an i-team whose city is
not in its cohort), cycles in the references, and dates out of order (a member joining before its
cohort was announced, a challenge's first phase change before its city joined a cohort, a target due
before its baseline, a milestone after its target, phase changes out of order).

**Roll-ups** give the programme's key facts as the programme reports them: cities and countries by
cohort, challenges by phase and by policy domain, initiatives by status (the funnel), funding by
source and currency (exact sums, no exchange rates), evidence levels, and progress of each
challenge's metrics against its targets.

What does not live here: reading and writing files (:mod:`civicinnov.io`), statistics
(:mod:`civicinnov.evaluation`), the network (:mod:`civicinnov.network`).

Example:
    >>> from civicinnov.model.city import City
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
import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import numpy as np

from civicinnov.errors import IntegrityError, UnknownIdError, ValidationError
from civicinnov.metrics.definition import MetricDefinition
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Baseline, Milestone, Target, latest_baseline
from civicinnov.model import _fields as f
from civicinnov.model.challenge import Challenge, PolicyDomain, PriorityArea
from civicinnov.model.city import City, check_country
from civicinnov.model.evidence import SMSLevel
from civicinnov.model.initiative import Idea, Initiative, InitiativeStatus
from civicinnov.model.methodology import Phase
from civicinnov.model.programme import Cohort, ITeam, Partner
from civicinnov.money import Money
from civicinnov.periods import Period

if TYPE_CHECKING:
    from civicinnov.model.methodology import Criteria, GateContext, GateReport
    from civicinnov.network.analysis import PeerRanking
    from civicinnov.network.graph import CityNetwork
    from civicinnov.units import Quantity

__all__ = [
    "Funding",
    "FundingKind",
    "Portfolio",
    "Problem",
    "ProgressRow",
    "Provenance",
    "ResultClaim",
    "Roster",
    "Source",
    "Tie",
    "TieKind",
]

R = TypeVar("R")


def _opt_quantity(value: Any) -> Any:
    if value is None:
        return None
    from civicinnov.units import as_quantity

    return as_quantity(value, where="ResultClaim.value")


@attrs.frozen(kw_only=True)
class Source:
    """A published source of facts: a press release, an article, a report.

    Example:
        >>> Source(id="s8", title="Seven new cities join the i-teams programme",
        ...        publisher="Bloomberg Philanthropies", published=dt.date(2017, 1, 12)).id
        's8'
    """

    id: str = attrs.field(validator=f.slug)
    title: str = attrs.field(validator=f.text)
    publisher: str | None = attrs.field(default=None, validator=f.optional_text)
    published: dt.date | None = attrs.field(
        default=None, converter=f.to_date, validator=f.optional_date
    )
    url: str | None = attrs.field(default=None, validator=f.optional_text)


@attrs.frozen(kw_only=True)
class Provenance:
    """Which sources back one record, and whether the fact is verified.

    ``record`` names the record as ``"<collection>:<id>"``, for instance ``"cities:mobile"`` or
    ``"cohorts:france-2017"``. ``verified`` is False when sources disagree or only a low-quality copy
    was found; ``note`` says why.

    Example:
        >>> Provenance(record="cities:mobile", source_ids=("s7",), verified=True).collection
        'cities'
    """

    record: str = attrs.field(validator=f.text)
    source_ids: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.nonempty_slug_tuple)
    verified: bool = attrs.field(validator=f.instance_of(bool))
    note: str | None = attrs.field(default=None, validator=f.optional_text)

    def __attrs_post_init__(self) -> None:
        collection, sep, record_id = self.record.partition(":")
        if not sep or not collection or not record_id:
            raise ValidationError(
                f"Provenance.record: expected '<collection>:<id>' such as 'cities:mobile', "
                f"got {self.record!r}"
            )

    @property
    def collection(self) -> str:
        """The collection part of ``record`` (``"cities"``)."""
        return self.record.partition(":")[0]

    @property
    def record_id(self) -> str:
        """The id part of ``record`` (``"mobile"``).

        Example:
            >>> Provenance(record="cities:mobile", source_ids=("s7",), verified=True).record_id
            'mobile'
        """
        return self.record.partition(":")[2]


@attrs.frozen(kw_only=True)
class ResultClaim:
    """A headline result as a city or the programme reported it, with its sources.

    A claim is what someone *said* happened ("murders fell 19% in 2013 against 2012"), not a figure
    computed from series; reports show claims apart from computed progress. ``value`` is the
    reported figure as a quantity (``-19 percent``, ``1022 person``) when there is one; ``period``
    the time it refers to.

    Example:
        >>> from civicinnov.periods import Period
        >>> c = ResultClaim(id="nola-murders-2013", statement="Murders fell 19% in 2013 from 2012",
        ...                 city_id="new-orleans", value="-19 percent",
        ...                 period=Period.parse("2013"), source_ids=("s5",), verified=True)
        >>> c.value
        <Quantity(-19, 'percent')>
    """

    id: str = attrs.field(validator=f.slug)
    statement: str = attrs.field(validator=f.text)
    source_ids: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.nonempty_slug_tuple)
    verified: bool = attrs.field(validator=f.instance_of(bool))
    city_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    cohort_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    challenge_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    initiative_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    metric_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    value: Quantity | None = attrs.field(default=None, converter=_opt_quantity)
    period: Period | None = attrs.field(default=None)
    note: str | None = attrs.field(default=None, validator=f.optional_text)


class FundingKind(enum.Enum):
    """What a funding record is.

    Example:
        >>> FundingKind("grant")
        <FundingKind.GRANT: 'grant'>
    """

    #: A grant from a funder to a city or an organisation.
    GRANT = "grant"
    #: Money a city adds to a grant.
    LOCAL_MATCH = "local_match"
    #: Further public or private money a city secured for its work.
    SECURED = "secured"
    #: An investment in an institution (a centre, a network).
    INVESTMENT = "investment"


def _funding_kind(value: Any) -> Any:
    return f.enum_converter(FundingKind)(value)


_LINE_KINDS: dict[str, FundingKind] = {
    "cohort_grant": FundingKind.GRANT,
    "iteam_grant": FundingKind.GRANT,
    "local_match": FundingKind.LOCAL_MATCH,
}

_Kinds = FundingKind | str | Iterable[FundingKind | str] | None


def _funding_kinds(kinds: _Kinds) -> frozenset[FundingKind] | None:
    if kinds is None:
        return None
    items = [kinds] if isinstance(kinds, (str, FundingKind)) else list(kinds)
    out: set[FundingKind] = set()
    for item in items:
        try:
            out.add(FundingKind(item))
        except ValueError:
            allowed = ", ".join(repr(k.value) for k in FundingKind)
            raise ValidationError(
                f"kinds: {item!r} is not a funding kind; expected one of {allowed}"
            ) from None
    return frozenset(out)


@attrs.frozen(kw_only=True)
class Funding:
    """Money from a source (a partner or a city) to a recipient (a city or a partner).

    Record each amount once: the funding roll-up sums these records together with i-team and cohort
    grants, so a grant recorded both on the i-team and here counts twice.

    Example:
        >>> from civicinnov.money import Money
        >>> Funding(id="syr-state", source_id="new-york-state", recipient_id="syracuse",
        ...         kind=FundingKind.SECURED, amount=Money.parse("$750,000")).amount.currency
        'USD'
    """

    id: str = attrs.field(validator=f.slug)
    source_id: str = attrs.field(validator=f.slug)
    recipient_id: str = attrs.field(validator=f.slug)
    kind: FundingKind = attrs.field(converter=_funding_kind, validator=f.member_of(FundingKind))
    amount: Money = attrs.field(validator=f.instance_of(Money))
    purpose: str | None = attrs.field(default=None, validator=f.optional_text)
    on: dt.date | None = attrs.field(default=None, converter=f.to_date, validator=f.optional_date)


class TieKind(enum.Enum):
    """How a city is tied to a place across a border.

    Example:
        >>> TieKind("cross_border_metro").value
        'cross_border_metro'
    """

    #: Cities that form one cross-border urban area (Mulhouse, Basel, Freiburg).
    CROSS_BORDER_METRO = "cross_border_metro"
    #: A city or region next to another country (Dunkirk and Belgium).
    BORDER = "border"
    #: A city within sight or easy reach of another country across water (Dunkirk and Britain).
    ACROSS_WATER = "across_water"
    #: A shared language or culture across a border (Occitanie and Catalonia).
    CULTURAL = "cultural"


def _tie_kind(value: Any) -> Any:
    return f.enum_converter(TieKind)(value)


@attrs.frozen(kw_only=True)
class Tie:
    """A tie between a programme city and a place across a border: a city, or a whole country.

    Exactly one of ``other_city_id`` and ``other_country`` is given.

    Example:
        >>> Tie(id="dunkirk-be", city_id="dunkerque", other_country="BE", kind=TieKind.BORDER).other
        'BE'
    """

    id: str = attrs.field(validator=f.slug)
    city_id: str = attrs.field(validator=f.slug)
    kind: TieKind = attrs.field(converter=_tie_kind, validator=f.member_of(TieKind))
    other_city_id: str | None = attrs.field(default=None, validator=f.optional_slug)
    other_country: str | None = attrs.field(default=None)
    note: str | None = attrs.field(default=None, validator=f.optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.other_city_id is None) == (self.other_country is None):
            raise ValidationError(
                "Tie: expected exactly one of other_city_id and other_country, got "
                f"other_city_id={self.other_city_id!r}, other_country={self.other_country!r}"
            )
        if self.other_country is not None:
            check_country(self.other_country, where="Tie.other_country")

    @property
    def other(self) -> str:
        """The other end: a city id or a country code."""
        return self.other_city_id if self.other_city_id is not None else str(self.other_country)


@attrs.frozen(kw_only=True)
class Roster:
    """The cities in some state on one date, as a source lists them.

    For instance the 20 cities whose grant-funded i-teams were operating on 11 July 2017.

    Example:
        >>> r = Roster(id="operating-2017-07", name="i-teams operating", on="2017-07-11",
        ...            city_ids=("mobile", "syracuse"), source_ids=("s1",), verified=True)
        >>> len(r.city_ids)
        2
    """

    id: str = attrs.field(validator=f.slug)
    name: str = attrs.field(validator=f.text)
    on: dt.date = attrs.field(converter=f.to_date, validator=f.date)
    city_ids: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.slug_tuple)
    source_ids: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.nonempty_slug_tuple)
    verified: bool = attrs.field(validator=f.instance_of(bool))


@attrs.frozen(kw_only=True)
class ProgressRow:
    """Progress of one challenge metric against one target, computed from the records.

    ``latest`` is the last observed value (in the target's unit) on or before the report date,
    ``baseline`` the baseline in force; ``fraction`` is the raw baseline-aware progress
    ``(latest - baseline) / (target - baseline)`` of :func:`civicinnov.evaluation.progress`
    (1.0 = reached), ``None`` without a baseline or an observation; ``status`` is its
    :class:`~civicinnov.evaluation.ProgressStatus` value (``"in_progress"``,
    ``"no_baseline"``, ...). ``met`` says whether the latest value is at or beyond the target in the
    metric's direction (``None`` without data or without a direction).

    Example:
        >>> from civicinnov.units import as_quantity
        >>> row = ProgressRow(challenge_id="c", city_id="x", metric_id="m", target_id="t",
        ...                   target=as_quantity(800, "person"), due=dt.date(2013, 12, 31),
        ...                   baseline=None, latest=as_quantity(1022, "person"),
        ...                   latest_period="2013", fraction=None, status="no_baseline", met=True)
        >>> row.met
        True
    """

    challenge_id: str
    city_id: str
    metric_id: str
    target_id: str
    target: Quantity
    due: dt.date
    baseline: Quantity | None
    latest: Quantity | None
    latest_period: str | None
    fraction: float | None
    status: str
    met: bool | None = None


@attrs.frozen(kw_only=True)
class Problem:
    """One integrity problem: where (a ``$.path``) and what.

    Example:
        >>> print(Problem(path="$.cities[2].id", message="duplicate id 'mobile'"))
        $.cities[2].id: duplicate id 'mobile'
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _tuple_of(kind: type) -> Any:
    return attrs.field(default=(), converter=f.to_tuple, validator=f.tuple_of(kind))


#: Collections whose records have an ``id``, and the singular noun used in messages.
_COLLECTIONS: dict[str, str] = {
    "cities": "city",
    "partners": "partner",
    "cohorts": "cohort",
    "iteams": "i-team",
    "priority_areas": "priority area",
    "challenges": "challenge",
    "ideas": "idea",
    "initiatives": "initiative",
    "metrics": "metric",
    "targets": "target",
    "milestones": "milestone",
    "funding": "funding record",
    "claims": "result claim",
    "ties": "tie",
    "rosters": "roster",
    "sources": "source",
}


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
    rosters: tuple[Roster, ...] = _tuple_of(Roster)
    sources: tuple[Source, ...] = _tuple_of(Source)
    provenance: tuple[Provenance, ...] = _tuple_of(Provenance)

    # -- id resolution ------------------------------------------------------------------------

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        index: dict[str, dict[str, Any]] = {}
        for collection in _COLLECTIONS:
            by_id: dict[str, Any] = {}
            for record in getattr(self, collection):
                by_id.setdefault(record.id, record)
            index[collection] = by_id
        return index

    def get(self, collection: str, record_id: str) -> Any:
        """Return the record ``record_id`` of ``collection`` (``"cities"``, ``"targets"``, ...).

        Raises :class:`~civicinnov.errors.UnknownIdError` naming the closest ids.

        Example:
            >>> Portfolio().get("planets", "mars")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no collection 'planets'; expected one of ...
        """
        index = self._index.get(collection)
        if index is None:
            raise UnknownIdError(
                f"no collection {collection!r}; expected one of {', '.join(_COLLECTIONS)}"
            )
        try:
            return index[record_id]
        except (KeyError, TypeError):
            pass
        noun = _COLLECTIONS[collection]
        close = difflib.get_close_matches(str(record_id), list(index), n=3)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        raise UnknownIdError(f"no {noun} with id {record_id!r}{hint}")

    def has(self, collection: str, record_id: str) -> bool:
        """Whether ``collection`` holds a record with ``record_id``.

        Example:
            >>> Portfolio().has("cities", "mobile")
            False
        """
        return record_id in self._index.get(collection, {})

    def city(self, city_id: str) -> City:
        """The city ``city_id``.

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

        Example:
            >>> Portfolio().has("partners", "x")
            False
        """
        result: Partner = self.get("partners", partner_id)
        return result

    def cohort(self, cohort_id: str) -> Cohort:
        """The cohort ``cohort_id``.

        Example:
            >>> Portfolio().has("cohorts", "x")
            False
        """
        result: Cohort = self.get("cohorts", cohort_id)
        return result

    def challenge(self, challenge_id: str) -> Challenge:
        """The challenge ``challenge_id``.

        Example:
            >>> Portfolio().has("challenges", "x")
            False
        """
        result: Challenge = self.get("challenges", challenge_id)
        return result

    def initiative(self, initiative_id: str) -> Initiative:
        """The initiative ``initiative_id``.

        Example:
            >>> Portfolio().has("initiatives", "x")
            False
        """
        result: Initiative = self.get("initiatives", initiative_id)
        return result

    def metric(self, metric_id: str) -> MetricDefinition:
        """The metric definition ``metric_id``.

        Example:
            >>> Portfolio().has("metrics", "x")
            False
        """
        result: MetricDefinition = self.get("metrics", metric_id)
        return result

    def target(self, target_id: str) -> Target:
        """The target ``target_id``.

        Example:
            >>> Portfolio().has("targets", "x")
            False
        """
        result: Target = self.get("targets", target_id)
        return result

    def iteam_of(self, city_id: str) -> tuple[ITeam, ...]:
        """The i-teams of a city (a city may have had one per cohort).

        Example:
            >>> Portfolio().iteam_of("mobile")
            ()
        """
        return tuple(t for t in self.iteams if t.city_id == city_id)

    def series_of(self, metric_id: str, place_id: str | None = None) -> tuple[MetricSeries, ...]:
        """The series of a metric, optionally in one place.

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

        Example:
            >>> from civicinnov.model.city import City
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
            key = _record_key(collection)
            if key is None:
                changes[collection] = (*getattr(self, collection), *new)
                continue
            keyed: dict[Any, Any] = {}
            for i, record in enumerate(new):
                k = key(record)
                if k in keyed:
                    raise ValidationError(
                        f"with_records: {collection}[{i}]: {_key_text(k)} is given twice; "
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

        Example:
            >>> Portfolio().gate_context("x")
            Traceback (most recent call last):
            ...
            civicinnov.errors.UnknownIdError: no challenge with id 'x'
        """
        from civicinnov.model.methodology import GateContext

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

        ``criteria`` is passed to :func:`~civicinnov.model.methodology.check_gate`: a sequence of
        criteria for this gate, or a policy mapping phases to criteria (see
        :func:`~civicinnov.model.methodology.with_criteria`). Raises
        :class:`~civicinnov.errors.TransitionError` for a challenge in the last phase.

        Example:
            >>> from civicinnov.model.challenge import Challenge
            >>> from civicinnov.model.methodology import Criterion
            >>> p = Portfolio(challenges=(Challenge(id="c", city_id="x", statement="S"),))
            >>> p.gate("c").to_phase.title
            'Investigate the Problem'
            >>> named = Criterion(id="named", description="a statement",
            ...                   check=lambda ch, ctx: (bool(ch.statement), "has a statement"))
            >>> p.gate("c", criteria=[named]).passed
            True
        """
        from civicinnov.model.methodology import check_gate

        return check_gate(
            self.challenge(challenge_id), self.gate_context(challenge_id), criteria=criteria
        )

    def peers(
        self, city_id: str, *, network: CityNetwork | None = None, **options: Any
    ) -> PeerRanking:
        """Rank the cities ``city_id`` should learn from, using everything the portfolio knows.

        Calls :func:`civicinnov.network.analysis.peers` on ``network`` (by default
        :meth:`network`) with ``portfolio=self``, so the challenges, initiatives and their evidence
        levels come from the portfolio. ``options`` are the other keyword arguments of
        :func:`~civicinnov.network.analysis.peers` (``domains``, ``weights``, ``limit``, ...).

        Example:
            >>> from civicinnov.model.challenge import Challenge
            >>> from civicinnov.model.city import City
            >>> p = Portfolio(
            ...     cities=[City(id=c, name=c.title(), country="US") for c in ("a", "b", "c")],
            ...     challenges=[Challenge(id=f"{c}-housing", city_id=c, statement="Homes",
            ...                           policy_domain="housing") for c in ("a", "c")])
            >>> ranking = p.peers("a")
            >>> ranking.domains, ranking.ids()
            (('housing',), ['c', 'b'])
        """
        from civicinnov.network.analysis import peers

        net = self.network() if network is None else network
        return peers(net, city_id, portfolio=self, **options)

    def network(self, *, proximity: str | None = None) -> CityNetwork:
        """The city network of the portfolio: cities, partners as organisations, cohort ties, and a
        partnership relation for each city-to-city :class:`Tie`.

        ``proximity`` (a length such as ``"150 km"``) adds proximity links. Ties to a whole country
        are not relations between nodes; they stay in :attr:`ties`.

        Example:
            >>> Portfolio().network().number_of_relations()
            0
        """
        from civicinnov.network.graph import CityNetwork, Relation, RelationKind

        relations = [
            Relation(
                kind=RelationKind.PARTNERSHIP,
                source=t.city_id,
                target=t.other_city_id,
                note=t.note or t.kind.value,
                id=t.id,
            )
            for t in self.ties
            if t.other_city_id is not None
        ]
        return CityNetwork.from_records(
            cities=self.cities,
            cohorts=self.cohorts,
            partners=self.partners,
            relations=relations,
            proximity=proximity,
        )

    # -- integrity ----------------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Return every integrity problem, each with a ``$.path``; an empty list when all is well.

        Example:
            >>> from civicinnov.model.city import City
            >>> p = Portfolio(cities=(City(id="a", name="A", country="US"),
            ...                       City(id="a", name="A again", country="US")))
            >>> [str(x) for x in p.check()]
            ["$.cities[1].id: duplicate city id 'a' (first at $.cities[0])"]
        """
        return list(_Checker(self).run())

    def validate(self, *, source: str | None = None) -> Portfolio:
        """Return the portfolio, or raise :class:`~civicinnov.errors.IntegrityError` listing every
        problem :meth:`check` finds. ``source`` (a file name) starts the message.

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
        cities = self._index["cities"]
        return {
            c.id: tuple(
                sorted({cities[m.city_id].country for m in c.members if m.city_id in cities})
            )
            for c in self.cohorts
        }

    def challenges_by_phase(self) -> dict[Phase, tuple[str, ...]]:
        """Challenge ids in each phase, every phase listed in the method's order.

        Example:
            >>> from civicinnov.model.methodology import Phase
            >>> Portfolio().challenges_by_phase()[Phase.INVESTIGATE]
            ()
        """
        return _group(self.challenges, list(Phase), lambda c: c.phase)

    def challenges_by_domain(self) -> dict[PolicyDomain, tuple[str, ...]]:
        """Challenge ids by policy domain; only domains with at least one challenge.

        Example:
            >>> Portfolio().challenges_by_domain()
            {}
        """
        grouped = _group(self.challenges, list(PolicyDomain), lambda c: c.policy_domain)
        return {k: v for k, v in grouped.items() if v}

    def funnel(self) -> dict[InitiativeStatus, int]:
        """Number of initiatives in each status, every status listed in order (the funnel).

        Example:
            >>> sum(Portfolio().funnel().values())
            0
        """
        grouped = _group(self.initiatives, list(InitiativeStatus), lambda i: i.status)
        return {k: len(v) for k, v in grouped.items()}

    def funding_lines(self) -> list[tuple[str, str, str, Money]]:
        """Every amount of money the portfolio records, as ``(source_id, recipient_id, kind, amount)``.

        Kinds: ``"cohort_grant"`` (a cohort's grant, to its first partner or the cohort),
        ``"iteam_grant"`` (from the cohort's funder to the city), ``"local_match"`` (from the city to
        its i-team) and the :class:`FundingKind` values of :class:`Funding` records.
        :meth:`funding_kind` maps each line kind to its :class:`FundingKind`.

        Example:
            >>> Portfolio().funding_lines()
            []
        """
        lines: list[tuple[str, str, str, Money]] = []
        cohorts = self._index["cohorts"]
        for cohort in self.cohorts:
            if cohort.grant is not None:
                recipient = cohort.partner_ids[0] if cohort.partner_ids else cohort.id
                lines.append((cohort.funder_id, recipient, "cohort_grant", cohort.grant))
        for team in self.iteams:
            team_cohort = cohorts.get(team.cohort_id or "")
            funder = team_cohort.funder_id if team_cohort is not None else team.city_id
            if team.grant is not None:
                lines.append((funder, team.city_id, "iteam_grant", team.grant))
            if team.local_match is not None:
                lines.append((team.city_id, team.id, "local_match", team.local_match))
        for record in self.funding:
            lines.append((record.source_id, record.recipient_id, record.kind.value, record.amount))
        return lines

    @staticmethod
    def funding_kind(line_kind: str) -> FundingKind:
        """The :class:`FundingKind` of a :meth:`funding_lines` kind: cohort and i-team grants are
        grants.

        Example:
            >>> Portfolio.funding_kind("iteam_grant"), Portfolio.funding_kind("secured")
            (<FundingKind.GRANT: 'grant'>, <FundingKind.SECURED: 'secured'>)
        """
        return _LINE_KINDS.get(line_kind) or FundingKind(line_kind)

    def _funding_amounts(self, kinds: _Kinds) -> Iterator[tuple[str, FundingKind, Money]]:
        wanted = _funding_kinds(kinds)
        for source, _, line_kind, amount in self.funding_lines():
            kind = self.funding_kind(line_kind)
            if wanted is None or kind in wanted:
                yield source, kind, amount

    def funding_by_source(self, *, kinds: _Kinds = None) -> dict[str, dict[str, Money]]:
        """Total money by source and currency, exact; see :meth:`funding_lines`.

        The totals add up every kind of money (grants, local matches, secured funding,
        investments) unless ``kinds`` (a :class:`FundingKind`, its value, or several) keeps only
        some; cohort and i-team grants count as :attr:`FundingKind.GRANT`.

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
        totals: dict[str, dict[str, Money]] = {}
        for source, _, amount in self._funding_amounts(kinds):
            by_currency = totals.setdefault(source, {})
            previous = by_currency.get(amount.currency)
            by_currency[amount.currency] = amount if previous is None else previous + amount
        return {k: dict(sorted(v.items())) for k, v in sorted(totals.items(), key=lambda kv: kv[0])}

    def funding_by_currency(self, *, kinds: _Kinds = None) -> dict[str, Money]:
        """Total money by currency, exact; ``kinds`` keeps only some kinds of money, as in
        :meth:`funding_by_source`.

        Example:
            >>> Portfolio().funding_by_currency(kinds=[FundingKind.GRANT, "local_match"])
            {}
        """
        totals: dict[str, Money] = {}
        for _, _, amount in self._funding_amounts(kinds):
            previous = totals.get(amount.currency)
            totals[amount.currency] = amount if previous is None else previous + amount
        return dict(sorted(totals.items()))

    def funding_by_kind(self) -> dict[FundingKind, dict[str, Money]]:
        """Total money by :class:`FundingKind` and currency, exact; only kinds with money, in the
        order of :class:`FundingKind`.

        Example:
            >>> from civicinnov.money import Money
            >>> p = Portfolio(funding=[Funding(id="s", source_id="state", recipient_id="x",
            ...                                kind="secured", amount=Money.parse("$750,000"))])
            >>> {k.value: str(v["USD"]) for k, v in p.funding_by_kind().items()}
            {'secured': 'USD 750,000.00'}
        """
        totals: dict[FundingKind, dict[str, Money]] = {}
        for _, kind, amount in self._funding_amounts(None):
            by_currency = totals.setdefault(kind, {})
            previous = by_currency.get(amount.currency)
            by_currency[amount.currency] = amount if previous is None else previous + amount
        return {k: dict(sorted(totals[k].items())) for k in FundingKind if k in totals}

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

    def progress(self, *, as_of: dt.date | None = None) -> list[ProgressRow]:
        """Progress of every challenge's metrics against their targets.

        Returns one row per (challenge, target) where the challenge tracks the target's metric and
        the target is for the challenge's city (or names no place), whether or not there are
        observations: a target with no observed value on or before ``as_of`` (no series, or only
        missing values) gets a row with ``latest=None`` and status ``"no_data"``. See
        :mod:`civicinnov.evaluation`.

        Example:
            >>> from civicinnov.metrics.target import Target
            >>> from civicinnov.model.challenge import Challenge
            >>> p = Portfolio(
            ...     challenges=[Challenge(id="c", city_id="x", statement="S", metric_ids=["m"])],
            ...     targets=[Target(id="t", metric_id="m", stage="final", value="5 person",
            ...                     due="2020-12-31")])
            >>> [(r.target_id, r.latest, r.status) for r in p.progress()]
            [('t', None, 'no_data')]
        """
        return _progress(self, as_of=as_of)


def _progress(p: Portfolio, *, as_of: dt.date | None) -> list[ProgressRow]:
    from civicinnov.evaluation import ProgressStatus, progress
    from civicinnov.units import as_quantity

    rows: list[ProgressRow] = []
    metrics = p._index["metrics"]
    cutoff = None if as_of is None else np.datetime64(as_of, "D")
    for ch in p.challenges:
        for metric_id in ch.metric_ids:
            targets = [
                t
                for t in p.targets
                if t.metric_id == metric_id and t.place_id in (None, ch.city_id)
            ]
            if not targets:
                continue
            definition = metrics.get(metric_id)
            latest_value: float | None = None
            latest_unit: Any = None
            latest_period: str | None = None
            for s in p.series_of(metric_id, ch.city_id):
                values = s.values
                if s.dimensions and s.categories is not None:
                    values = np.where(np.all(s.categories == 0, axis=1), values, np.nan)
                usable = ~np.isnan(values)
                if cutoff is not None:
                    usable &= s.period_type.ends(s.ordinals) <= cutoff
                hits = np.flatnonzero(usable)
                if len(hits):
                    last = int(hits[-1])
                    latest_value, latest_unit = float(values[last]), s.unit
                    latest_period = s.period_type.label(int(s.ordinals[last]))
            baseline = latest_baseline(
                (
                    b
                    for b in p.baselines
                    if b.metric_id == metric_id and b.place_id in (None, ch.city_id)
                ),
                as_of,
            )
            for target in sorted(targets, key=lambda t: (t.due, t.id)):
                unit = target.value.units
                latest = (
                    None
                    if latest_value is None
                    else as_quantity(latest_value, latest_unit).to(unit)
                )
                base = baseline.value.to(unit) if baseline is not None else None
                fraction: float | None = None
                status = ProgressStatus.NO_DATA
                if latest is not None:
                    result = progress(
                        latest, target=target.value, baseline=base, definition=definition
                    )
                    raw = float(result.raw.reshape(-1)[-1]) if result.raw.size else float("nan")
                    fraction = None if np.isnan(raw) else raw
                    status = result.status
                met: bool | None = None
                sign = definition.direction.sign if definition is not None else 0
                if latest is not None and sign:
                    met = sign * (float(latest.magnitude) - float(target.value.magnitude)) >= 0
                rows.append(
                    ProgressRow(
                        challenge_id=ch.id,
                        city_id=ch.city_id,
                        metric_id=metric_id,
                        target_id=target.id,
                        target=target.value,
                        due=target.due,
                        baseline=base,
                        latest=latest,
                        latest_period=latest_period,
                        fraction=fraction,
                        status=status.value,
                        met=met,
                    )
                )
    return rows


def _group(
    records: Iterable[R], keys: list[Any], key: Callable[[R], Any]
) -> dict[Any, tuple[str, ...]]:
    grouped: dict[Any, list[str]] = {k: [] for k in keys}
    for record in records:
        grouped.setdefault(key(record), []).append(record.id)  # type: ignore[attr-defined]
    return {k: tuple(v) for k, v in grouped.items()}


# -- the checker ------------------------------------------------------------------------------------


class _Checker:
    """Walks a portfolio once and yields every problem."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.p = portfolio
        self.index = portfolio._index

    def run(self) -> Iterator[Problem]:
        yield from self.duplicates()
        yield from self.references()
        yield from self.orphans()
        yield from self.dates()
        yield from self.cycles()

    # duplicates ---------------------------------------------------------------------------------

    def duplicates(self) -> Iterator[Problem]:
        for collection, noun in _COLLECTIONS.items():
            first: dict[str, int] = {}
            for i, record in enumerate(getattr(self.p, collection)):
                if record.id in first:
                    yield Problem(
                        path=f"$.{collection}[{i}].id",
                        message=f"duplicate {noun} id {record.id!r} "
                        f"(first at $.{collection}[{first[record.id]}])",
                    )
                else:
                    first[record.id] = i
        firsts: dict[tuple[str, str | None, dt.date], int] = {}
        for i, b in enumerate(self.p.baselines):
            bkey = (b.metric_id, b.place_id, b.as_of)
            if bkey in firsts:
                yield Problem(
                    path=f"$.baselines[{i}]",
                    message=f"a second baseline of {b.metric_id!r} in {b.place_id!r} as of "
                    f"{b.as_of.isoformat()} (first at $.baselines[{firsts[bkey]}])",
                )
            else:
                firsts[bkey] = i
        seen: dict[tuple[str, str, str], int] = {}
        for i, s in enumerate(self.p.series):
            key = (s.metric_id, s.place_id, _dims_key(s))
            if key in seen:
                yield Problem(
                    path=f"$.series[{i}]",
                    message=f"a second series of metric {s.metric_id!r} in {s.place_id!r} "
                    f"(first at $.series[{seen[key]}]); expected one series per metric and place",
                )
            else:
                seen[key] = i

    # references ---------------------------------------------------------------------------------

    def ref(self, path: str, value: str | None, *collections: str) -> Iterable[Problem]:
        if value is None:
            return ()
        index = self.index
        for c in collections:
            if value in index[c]:
                return ()
        return (self.missing(path, value, collections),)

    def missing(self, path: str, value: str, collections: tuple[str, ...]) -> Problem:
        nouns = " or ".join(_COLLECTIONS[c] for c in collections)
        known: list[str] = []
        for c in collections:
            known.extend(self.index[c])
        close = difflib.get_close_matches(value, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Problem(path=path, message=f"{value!r} is not the id of any {nouns}{hint}")

    def refs(self, path: str, values: Iterable[str], *collections: str) -> Iterator[Problem]:
        for j, value in enumerate(values):
            yield from self.ref(f"{path}[{j}]", value, *collections)

    def references(self) -> Iterator[Problem]:
        p = self.p
        for i, cohort in enumerate(p.cohorts):
            at = f"$.cohorts[{i}]"
            yield from self.ref(f"{at}.funder_id", cohort.funder_id, "partners")
            yield from self.refs(f"{at}.partner_ids", cohort.partner_ids, "partners")
            for j, member in enumerate(cohort.members):
                yield from self.ref(f"{at}.members[{j}].city_id", member.city_id, "cities")
        for i, team in enumerate(p.iteams):
            at = f"$.iteams[{i}]"
            yield from self.ref(f"{at}.city_id", team.city_id, "cities")
            yield from self.ref(f"{at}.cohort_id", team.cohort_id, "cohorts")
        for i, pa in enumerate(p.priority_areas):
            yield from self.ref(f"$.priority_areas[{i}].city_id", pa.city_id, "cities")
        for i, ch in enumerate(p.challenges):
            at = f"$.challenges[{i}]"
            yield from self.ref(f"{at}.city_id", ch.city_id, "cities")
            yield from self.ref(f"{at}.priority_area_id", ch.priority_area_id, "priority_areas")
            area = self.index["priority_areas"].get(ch.priority_area_id or "")
            if area is not None and area.city_id != ch.city_id:
                yield Problem(
                    path=f"{at}.priority_area_id",
                    message=f"priority area {area.id!r} belongs to {area.city_id!r}, but the "
                    f"challenge belongs to {ch.city_id!r}",
                )
            yield from self.refs(f"{at}.metric_ids", ch.metric_ids, "metrics")
        for i, idea in enumerate(p.ideas):
            at = f"$.ideas[{i}]"
            yield from self.ref(f"{at}.challenge_id", idea.challenge_id, "challenges")
            yield from self.ref(f"{at}.origin_city_id", idea.origin_city_id, "cities")
        for i, ini in enumerate(p.initiatives):
            at = f"$.initiatives[{i}]"
            yield from self.ref(f"{at}.city_id", ini.city_id, "cities")
            yield from self.refs(f"{at}.challenge_ids", ini.challenge_ids, "challenges")
            yield from self.refs(f"{at}.idea_ids", ini.idea_ids, "ideas")
            yield from self.refs(f"{at}.target_ids", ini.target_ids, "targets")
            for j, cid in enumerate(ini.challenge_ids):
                owner = self.index["challenges"].get(cid)
                if owner is not None and owner.city_id != ini.city_id:
                    yield Problem(
                        path=f"{at}.challenge_ids[{j}]",
                        message=f"challenge {cid!r} belongs to {owner.city_id!r}, but the "
                        f"initiative belongs to {ini.city_id!r}",
                    )
            for j, iid in enumerate(ini.idea_ids):
                answer = self.index["ideas"].get(iid)
                if answer is not None and answer.challenge_id not in ini.challenge_ids:
                    yield Problem(
                        path=f"{at}.idea_ids[{j}]",
                        message=f"idea {iid!r} answers challenge {answer.challenge_id!r}, which "
                        "is not among the initiative's challenge_ids",
                    )
        for i, s in enumerate(p.series):
            yield from self.ref(f"$.series[{i}].metric_id", s.metric_id, "metrics")
            yield from self.ref(f"$.series[{i}].place_id", s.place_id, "cities")
        for name in ("baselines", "targets"):
            for i, record in enumerate(getattr(p, name)):
                yield from self.ref(f"$.{name}[{i}].metric_id", record.metric_id, "metrics")
                place = getattr(record, "place_id", None)
                yield from self.ref(f"$.{name}[{i}].place_id", place, "cities")
        for i, m in enumerate(p.milestones):
            yield from self.ref(f"$.milestones[{i}].target_id", m.target_id, "targets")
        for i, r in enumerate(p.rosters):
            yield from self.refs(f"$.rosters[{i}].city_ids", r.city_ids, "cities")
            yield from self.refs(f"$.rosters[{i}].source_ids", r.source_ids, "sources")
        for i, fu in enumerate(p.funding):
            at = f"$.funding[{i}]"
            yield from self.ref(f"{at}.source_id", fu.source_id, "partners", "cities")
            yield from self.ref(
                f"{at}.recipient_id", fu.recipient_id, "cities", "partners", "iteams"
            )
        for i, c in enumerate(p.claims):
            at = f"$.claims[{i}]"
            yield from self.refs(f"{at}.source_ids", c.source_ids, "sources")
            yield from self.ref(f"{at}.city_id", c.city_id, "cities")
            yield from self.ref(f"{at}.cohort_id", c.cohort_id, "cohorts")
            yield from self.ref(f"{at}.challenge_id", c.challenge_id, "challenges")
            yield from self.ref(f"{at}.initiative_id", c.initiative_id, "initiatives")
            yield from self.ref(f"{at}.metric_id", c.metric_id, "metrics")
        for i, tie in enumerate(p.ties):
            yield from self.ref(f"$.ties[{i}].city_id", tie.city_id, "cities")
            yield from self.ref(f"$.ties[{i}].other_city_id", tie.other_city_id, "cities")
        for i, prov in enumerate(p.provenance):
            at = f"$.provenance[{i}]"
            if prov.collection not in _COLLECTIONS:
                yield Problem(
                    path=f"{at}.record",
                    message=f"{prov.collection!r} is not a collection; expected one of "
                    f"{', '.join(_COLLECTIONS)}",
                )
            else:
                yield from self.ref(f"{at}.record", prov.record_id, prov.collection)
            yield from self.refs(f"{at}.source_ids", prov.source_ids, "sources")

    # orphans ------------------------------------------------------------------------------------

    def orphans(self) -> Iterator[Problem]:
        p = self.p
        tracked = {m for ch in p.challenges for m in ch.metric_ids}
        targeted = {t for ini in p.initiatives for t in ini.target_ids}
        for i, t in enumerate(p.targets):
            if t.id not in targeted and t.metric_id not in tracked:
                yield Problem(
                    path=f"$.targets[{i}]",
                    message=f"target {t.id!r} is an orphan: no initiative lists it and no "
                    f"challenge tracks its metric {t.metric_id!r}",
                )
        for i, b in enumerate(p.baselines):
            if b.metric_id not in tracked:
                yield Problem(
                    path=f"$.baselines[{i}]",
                    message=f"baseline of {b.metric_id!r} is an orphan: no challenge tracks "
                    "that metric",
                )
        cohorts = self.index["cohorts"]
        for i, team in enumerate(p.iteams):
            cohort = cohorts.get(team.cohort_id or "")
            if cohort is not None and team.city_id not in cohort.city_ids:
                yield Problem(
                    path=f"$.iteams[{i}].cohort_id",
                    message=f"the i-team's city {team.city_id!r} is not a member of cohort "
                    f"{cohort.id!r}",
                )

    # dates --------------------------------------------------------------------------------------

    def dates(self) -> Iterator[Problem]:
        p = self.p
        for i, cohort in enumerate(p.cohorts):
            for j, member in enumerate(cohort.members):
                if member.joined < cohort.announced:
                    yield Problem(
                        path=f"$.cohorts[{i}].members[{j}].joined",
                        message=f"{member.joined.isoformat()} is before the cohort was "
                        f"announced ({cohort.announced.isoformat()})",
                    )
        joined: dict[str, dt.date] = {}
        for cohort in p.cohorts:
            for member in cohort.members:
                if member.city_id not in joined or member.joined < joined[member.city_id]:
                    joined[member.city_id] = member.joined
        for i, ch in enumerate(p.challenges):
            first = joined.get(ch.city_id)
            if ch.history and first is not None and ch.history[0].on < first:
                yield Problem(
                    path=f"$.challenges[{i}].history[0].on",
                    message=f"{ch.history[0].on.isoformat()} is before {ch.city_id!r} joined its "
                    f"first cohort ({first.isoformat()})",
                )
        for i, ch in enumerate(p.challenges):
            previous: dt.date | None = None
            for j, change in enumerate(ch.history):
                if previous is not None and change.on < previous:
                    yield Problem(
                        path=f"$.challenges[{i}].history[{j}].on",
                        message=f"{change.on.isoformat()} is before the previous phase change "
                        f"({previous.isoformat()}); expected the history in date order",
                    )
                previous = change.on
        for i, t in enumerate(p.targets):
            in_force = latest_baseline(
                b for b in p.baselines if b.metric_id == t.metric_id and b.place_id == t.place_id
            )
            if in_force is not None and t.due < in_force.as_of:
                yield Problem(
                    path=f"$.targets[{i}].due",
                    message=f"{t.due.isoformat()} is before the baseline of {t.metric_id!r} "
                    f"({in_force.as_of.isoformat()}); expected a target due after its baseline",
                )
        targets = self.index["targets"]
        for i, m in enumerate(p.milestones):
            target = targets.get(m.target_id)
            if target is not None and m.due > target.due:
                yield Problem(
                    path=f"$.milestones[{i}].due",
                    message=f"{m.due.isoformat()} is after the due date of target "
                    f"{target.id!r} ({target.due.isoformat()})",
                )

    # cycles -------------------------------------------------------------------------------------

    def cycles(self) -> Iterator[Problem]:
        # challenge -> contributing issue -> initiative -> target -> metric, and the reverse links a
        # record may hold (an idea answering a challenge, an initiative listing ideas). Every edge
        # follows a reference by id; a cycle means some record (indirectly) refers to itself.
        # The model's own references always point down one fixed order of collections
        # (initiatives -> ideas -> challenges -> metrics; initiatives -> targets -> metrics), so
        # they cannot close a loop; only references between records of one collection (a
        # ``depends_on`` or ``parent_id`` some class may carry) can, and only then is the search run.
        extras = list(_extra_edges(self.p))
        if not extras:
            return
        edges: dict[str, list[tuple[str, str]]] = {}

        def add(a: str, b: str, path: str) -> None:
            edges.setdefault(a, []).append((b, path))

        p = self.p
        for i, ch in enumerate(p.challenges):
            for j, m in enumerate(ch.metric_ids):
                add(f"challenges:{ch.id}", f"metrics:{m}", f"$.challenges[{i}].metric_ids[{j}]")
        for i, ini in enumerate(p.initiatives):
            for j, c in enumerate(ini.challenge_ids):
                add(
                    f"initiatives:{ini.id}",
                    f"challenges:{c}",
                    f"$.initiatives[{i}].challenge_ids[{j}]",
                )
            for j, t in enumerate(ini.target_ids):
                add(f"initiatives:{ini.id}", f"targets:{t}", f"$.initiatives[{i}].target_ids[{j}]")
            for j, d in enumerate(ini.idea_ids):
                add(f"initiatives:{ini.id}", f"ideas:{d}", f"$.initiatives[{i}].idea_ids[{j}]")

        for i, idea in enumerate(p.ideas):
            add(f"ideas:{idea.id}", f"challenges:{idea.challenge_id}", f"$.ideas[{i}].challenge_id")
        for i, target in enumerate(p.targets):
            add(f"targets:{target.id}", f"metrics:{target.metric_id}", f"$.targets[{i}].metric_id")
        for extra in extras:
            add(*extra)
        yield from _find_cycles(edges)


def _extra_edges(p: Portfolio) -> Iterator[tuple[str, str, str]]:
    """Edges from optional self-references some model classes may carry (``depends_on``)."""
    for collection in ("challenges", "initiatives", "partners"):
        for i, record in enumerate(getattr(p, collection)):
            for attr in ("depends_on", "parent_id"):
                value = getattr(record, attr, None)
                if value is None:
                    continue
                values = (value,) if isinstance(value, str) else tuple(value)
                for j, v in enumerate(values):
                    suffix = f"[{j}]" if not isinstance(value, str) else ""
                    yield (
                        f"{collection}:{record.id}",
                        f"{collection}:{v}",
                        f"$.{collection}[{i}].{attr}{suffix}",
                    )


def _find_cycles(edges: Mapping[str, list[tuple[str, str]]]) -> Iterator[Problem]:
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if colour.get(start, white) != white:
            continue
        stack: list[tuple[str, Iterator[tuple[str, str]]]] = [(start, iter(edges.get(start, ())))]
        trail: list[tuple[str, str]] = [(start, "")]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            step = next(children, None)
            if step is None:
                colour[node] = black
                stack.pop()
                trail.pop()
                continue
            child, path = step
            state = colour.get(child, white)
            if state == grey:
                names = [n for n, _ in trail]
                loop = names[names.index(child) :]
                key = frozenset(loop)
                if key not in reported:
                    reported.add(key)
                    yield Problem(
                        path=path,
                        message="references form a cycle: " + " -> ".join([*loop, child]),
                    )
            elif state == white:
                colour[child] = grey
                stack.append((child, iter(edges.get(child, ()))))
                trail.append((child, path))


def _record_key(collection: str) -> Callable[[Any], Any] | None:
    """How :meth:`Portfolio.with_records` matches a new record to an old one (None: never)."""
    if collection == "series":
        return lambda s: (
            "series",
            getattr(s, "metric_id", None),
            getattr(s, "place_id", None),
            _dims_key(s),
        )
    if collection == "baselines":
        return lambda b: (
            "baseline",
            getattr(b, "metric_id", None),
            getattr(b, "place_id", None),
            getattr(b, "as_of", None),
        )
    if collection == "provenance":
        return None
    return lambda r: getattr(r, "id", None)


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        what, metric, place = key[:3]
        return f"the {what} of {metric!r} in {place!r}" + (
            f" as of {key[3].isoformat()}" if what == "baseline" and key[3] is not None else ""
        )
    return f"id {key!r}"


def _dims_key(series: Any) -> str:
    dims = getattr(series, "dimensions", None)
    if not dims:
        return ""
    try:
        return repr(sorted(dims))
    except TypeError:
        return repr(dims)
