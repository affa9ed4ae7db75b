"""The programme's own records: sources, provenance, result claims, funding, ties and rosters.

These are the records that only a programme needs, beside the domain model of
:mod:`civicinnov.model`:

- :class:`Source` (where a fact comes from) and :class:`Provenance` (which sources back a record,
  and whether the fact is verified);
- :class:`ResultClaim`: a headline result *as reported* ("murders down 19% in 2013"), with its
  sources and a verified flag, kept apart from what the records compute; a claim with a number
  holds it as a quantity (``value``) or as :class:`~civicinnov.money.Money` (``amount``), and a
  :class:`Qualifier` when the source hedges it ("nearly 300", "more than 15,000");
- :class:`Funding`: every amount of money -- a cohort's grant, an i-team's grant, a city's local
  match, secured funding, an investment -- is one funding record with a :class:`FundingKind`;
- :class:`Tie`: a tie between a city and a place across a border; :class:`Roster`: the cities in
  some state on one date, as a source lists them;
- :class:`Problem`: one integrity problem with its ``$.path``.

A source's ``published`` date is a :class:`~civicinnov.model.PartialDate`: "July 2017" stays a
month, never a guessed first of July. :func:`check_source_dates` applies the one date rule sources
obey: a dated fact cannot rest only on documents published before it happened. A :class:`Funding` record is *unverified* when its
provenance says so (:func:`unverified_ids`); a record without provenance is the user's own and is
taken as given.

What does not live here: the :class:`~civicinnov.programme.Portfolio` that holds and resolves them,
its checks and roll-ups.

Example:
    >>> from civicinnov.money import Money
    >>> Funding(id="fr-grant", source_id="bloomberg", recipient_id="la-27e-region",
    ...         kind="grant", amount=Money.parse("$1.4 million")).kind
    <FundingKind.GRANT: 'grant'>
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from civicinnov import _values as f
from civicinnov.errors import ValidationError
from civicinnov.metrics import Baseline, MetricSeries, Milestone, Target
from civicinnov.model import (
    Challenge,
    City,
    Cohort,
    Idea,
    Initiative,
    ITeam,
    Partner,
    PriorityArea,
    check_country,
)
from civicinnov.money import Money
from civicinnov.periods import Period
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = [
    "COLLECTIONS",
    "Funding",
    "FundingKind",
    "FundingKinds",
    "Problem",
    "Provenance",
    "Qualifier",
    "Records",
    "ResultClaim",
    "Roster",
    "Source",
    "Tie",
    "TieKind",
    "check_source_dates",
    "funding_kinds",
    "unverified_ids",
]


def _opt_quantity(value: Any) -> Any:
    if value is None:
        return None
    quantity = as_quantity(value, where="ResultClaim.value")
    if getattr(quantity.magnitude, "ndim", 0):
        # a claim states one figure; an array would also make == between portfolios ambiguous
        raise ValidationError(
            f"ResultClaim.value: expected one reported figure, got an array of "
            f"{quantity.magnitude.size} values"
        )
    return quantity


@attrs.frozen(kw_only=True)
class Source:
    """A published source of facts: a press release, an article, a report.

    ``published`` is the publication date at the precision known (``"2017-07"`` for an article
    of July 2017), or None when it is not known.

    Example:
        >>> Source(id="s8", title="Seven new cities join the i-teams programme",
        ...        publisher="Bloomberg Philanthropies", published=dt.date(2017, 1, 12)).published
        PartialDate(year=2017, month=1, day=12)
        >>> str(Source(id="citylab", title="An article", published="2017-07").published)
        '2017-07'
    """

    id: str = attrs.field(validator=f.slug)
    title: str = attrs.field(validator=f.text)
    publisher: str | None = attrs.field(default=None, validator=f.optional_text)
    published: f.PartialDate | None = attrs.field(
        default=None, converter=f.to_partial_date, validator=f.optional_partial_date
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


class Qualifier(enum.Enum):
    """How a source hedges a reported number ("nearly 300", "more than 15,000", "up to $500,000").

    Example:
        >>> Qualifier("nearly").value
        'nearly'
    """

    #: Roughly the number, either side.
    ABOUT = "about"
    #: A little below the number.
    NEARLY = "nearly"
    #: Above the number ("over", "more than").
    MORE_THAN = "more_than"
    #: At most the number ("up to").
    UP_TO = "up_to"


def _qualifier(value: Any) -> Any:
    return None if value is None else f.enum_converter(Qualifier)(value)


def _optional_qualifier(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        f.member_of(Qualifier)(instance, attribute, value)


def _optional_money(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not isinstance(value, Money):
        raise ValidationError(
            f"{f.where(instance, attribute)}: expected Money or None, "
            f"got {type(value).__name__} {value!r}"
        )


@attrs.frozen(kw_only=True)
class ResultClaim:
    """A headline result as a city or the programme reported it, with its sources.

    A claim is what someone *said* happened ("murders fell 19% in 2013 against 2012"), not a figure
    computed from series; reports show claims apart from computed progress. ``value`` is the
    reported figure as a quantity (``-19 percent``, ``1022 person``) when there is one, ``amount``
    the reported sum of money (``US$81 million``); ``qualifier`` says how the source hedges the
    number ("nearly", "more than"; None: stated plainly); ``period`` the time it refers to.

    Example:
        >>> from civicinnov.periods import Period
        >>> c = ResultClaim(id="nola-murders-2013", statement="Murders fell 19% in 2013 from 2012",
        ...                 city_id="new-orleans", value="-19 percent",
        ...                 period=Period.parse("2013"), source_ids=("s5",), verified=True)
        >>> c.value
        <Quantity(-19, 'percent')>
        >>> from civicinnov.money import Money
        >>> print(ResultClaim(id="extra", statement="US$81 million secured", source_ids=("s1",),
        ...                   verified=True, amount=Money.parse("$81 million")).amount)
        USD 81,000,000.00
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
    amount: Money | None = attrs.field(default=None, validator=_optional_money)
    qualifier: Qualifier | None = attrs.field(
        default=None, converter=_qualifier, validator=_optional_qualifier
    )


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


#: What ``kinds=`` of the funding roll-ups accepts: one kind (or its value), several, or None (all).
FundingKinds = FundingKind | str | Iterable[FundingKind | str] | None


def funding_kinds(kinds: FundingKinds) -> frozenset[FundingKind] | None:
    """The set of :class:`FundingKind` that ``kinds`` names (None: every kind).

    Raises:
        ValidationError: a value that is not a funding kind, listing the kinds.

    Example:
        >>> sorted(k.value for k in funding_kinds(["grant", FundingKind.LOCAL_MATCH]))
        ['grant', 'local_match']
    """
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


def _nonnegative_money(instance: Any, attribute: Any, value: Any) -> None:
    name = f.where(instance, attribute)
    if not isinstance(value, Money):
        raise ValidationError(f"{name}: expected Money, got {type(value).__name__} {value!r}")
    if value.amount < 0:
        raise ValidationError(f"{name}: expected a non-negative amount, got {value}")


@attrs.frozen(kw_only=True)
class Funding:
    """Money from a source (a partner or a city) to a recipient (a city, a partner or an i-team).

    ``cohort_id`` names the cohort a grant belongs to, when it does.

    Every amount of money a programme knows is one funding record: a cohort's grant (from the
    funder to the partner that runs the cohort, or to a city), an i-team's grant (from the funder to
    the city), a city's local match (from the city to its i-team), secured funding and investments.
    Record each amount once; the roll-ups sum these records and nothing else.

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
    amount: Money = attrs.field(validator=_nonnegative_money)
    cohort_id: str | None = attrs.field(default=None, validator=f.optional_slug)
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


class SupportPurpose(enum.Enum):
    """What an organisation does for the programmes, organisations or cities it supports.

    Example:
        >>> SupportPurpose("peer_learning")
        <SupportPurpose.PEER_LEARNING: 'peer_learning'>
    """

    #: It houses another programme or network (a centre hosting Innovation Teams).
    HOSTING = "hosting"
    #: Courses and coaching for city staff.
    TRAINING = "training"
    #: Technical assistance or technical support on the work itself.
    TECHNICAL_ASSISTANCE = "technical_assistance"
    #: Fellowships for people working in or with city halls.
    FELLOWSHIPS = "fellowships"
    #: Money given to the recipients.
    GRANTS = "grants"
    #: Research on what the work achieves.
    RESEARCH = "research"
    #: Students placed in city halls.
    STUDENT_PLACEMENT = "student_placement"
    #: Recipients learning from one another.
    PEER_LEARNING = "peer_learning"


def _purposes(value: Any) -> Any:
    convert = f.enum_converter(SupportPurpose)
    return tuple(convert(v) for v in f.to_tuple(value))


def _check_purposes(instance: Any, attribute: Any, value: Any) -> None:
    f.tuple_of(SupportPurpose)(instance, attribute, value)
    if not value:
        raise ValidationError(
            f"{f.where(instance, attribute)}: expected at least one SupportPurpose "
            f"({', '.join(p.value for p in SupportPurpose)}), got none"
        )
    if len(set(value)) != len(value):
        raise ValidationError(
            f"{f.where(instance, attribute)}: a purpose is listed twice in "
            f"{[p.value for p in value]}; expected each once"
        )


@attrs.frozen(kw_only=True)
class Support:
    """An organisation supporting cities, cohorts or other organisations, and for what.

    ``provider_id`` names a partner; each of ``recipient_ids`` a city, a partner or a cohort (a
    cohort stands for all its member cities); ``purposes`` says what the support is, as data.

    Example:
        >>> s = Support(id="la-27e-support", provider_id="la-27e-region",
        ...             recipient_ids=("france-2017",),
        ...             purposes=("training", "technical_assistance", "peer_learning"),
        ...             source_ids=("bp-2017-france",))
        >>> [p.value for p in s.purposes]
        ['training', 'technical_assistance', 'peer_learning']
        >>> Support(id="x", provider_id="a", recipient_ids=("b",), purposes=(), source_ids=("s",))
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: Support.purposes: expected at least one SupportPurpose ...
    """

    id: str = attrs.field(validator=f.slug)
    provider_id: str = attrs.field(validator=f.slug)
    recipient_ids: tuple[str, ...] = attrs.field(
        converter=f.to_tuple, validator=f.nonempty_slug_tuple
    )
    purposes: tuple[SupportPurpose, ...] = attrs.field(
        converter=_purposes, validator=_check_purposes
    )
    source_ids: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.nonempty_slug_tuple)
    note: str | None = attrs.field(default=None, validator=f.optional_text)


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


#: Collections whose records have an ``id``, and the singular noun used in messages.
COLLECTIONS: dict[str, str] = {
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
    "supports": "support",
    "rosters": "roster",
    "sources": "source",
}


def unverified_ids(records: Records, collection: str) -> frozenset[str]:
    """Ids of the records of ``collection`` whose provenance says they are not verified.

    A record with several provenance entries is unverified when any of them is; a record with no
    provenance is not listed (it is the user's own record, taken as given).

    Example:
        >>> from civicinnov.programme import Portfolio, Provenance
        >>> p = Portfolio(provenance=[Provenance(record="funding:g", source_ids=("s",),
        ...                                      verified=False)])
        >>> sorted(unverified_ids(p, "funding"))
        ['g']
    """
    return frozenset(
        prov.record_id
        for prov in records.provenance
        if prov.collection == collection and not prov.verified
    )


def _dated_facts(records: Records) -> Iterator[tuple[str, dt.date, tuple[str, ...]]]:
    """Every dated fact: its ``$.path``, the first day it can have happened, its source ids."""

    def backing(collection: str, record_id: str) -> tuple[str, ...]:
        key = f"{collection}:{record_id}"
        return tuple(
            s for prov in records.provenance if prov.record == key for s in prov.source_ids
        )

    for i, cohort in enumerate(records.cohorts):
        sources = backing("cohorts", cohort.id)
        yield f"$.cohorts[{i}].announced", cohort.announced, sources
        for j, member in enumerate(cohort.members):
            reported = member.joined_reported
            day = member.joined if reported is None else reported.earliest
            yield f"$.cohorts[{i}].members[{j}].joined", day, sources
    for i, roster in enumerate(records.rosters):
        yield f"$.rosters[{i}].on", roster.on, roster.source_ids
    for i, claim in enumerate(records.claims):
        if claim.period is not None:
            yield f"$.claims[{i}].period", claim.period.start, claim.source_ids
    for i, funding in enumerate(records.funding):
        if funding.on is not None:
            yield f"$.funding[{i}].on", funding.on, backing("funding", funding.id)
    for i, challenge in enumerate(records.challenges):
        for j, change in enumerate(challenge.history):
            yield (
                f"$.challenges[{i}].history[{j}].on",
                change.on,
                backing("challenges", challenge.id),
            )


def check_source_dates(records: Records) -> list[Problem]:
    """Dated facts that rest only on documents published before the fact happened.

    The rule: a fact dated D (a cohort's announcement, a member's joining, a roster's date, the
    start of a reported result's period, a funding date, a phase change) needs at least one
    source that may have been published on or after D. A source whose ``published`` date is
    unknown, or only partly known, counts as possibly late enough (it is compared by the last day
    it may be). A later source reporting an earlier fact is fine: that is how history is written.

    Parameters:
        records: the programme (a :class:`~civicinnov.programme.Portfolio`).

    Returns:
        One :class:`Problem` per offending fact, with its ``$.path``; empty when all is well.

    Example:
        >>> from civicinnov.model import Cohort
        >>> from civicinnov.programme import Portfolio, Provenance, Source
        >>> p = Portfolio(
        ...     cohorts=[Cohort(id="c", name="C", funder_id="bp", announced="2017-07-11")],
        ...     sources=[Source(id="old", title="An older release", published="2017-01")],
        ...     provenance=[Provenance(record="cohorts:c", source_ids=["old"], verified=True)])
        >>> [str(problem) for problem in check_source_dates(p)]
        ['$.cohorts[0].announced: dated 2017-07-11, but every source (old, published 2017-01) was published before it']
    """
    sources = records.by_id["sources"]
    problems: list[Problem] = []
    for path, day, source_ids in _dated_facts(records):
        known: list[Source] = [sources[s] for s in source_ids if s in sources]
        dates = [s.published for s in known if s.published is not None]
        if not source_ids or len(dates) < len(source_ids):
            continue  # a missing or undated source may be late enough
        if all(d.certainly_before(day) for d in dates):
            shown = ", ".join(f"{s.id}, published {s.published}" for s in known)
            problems.append(
                Problem(
                    path=path,
                    message=f"dated {day.isoformat()}, but every source ({shown}) was published "
                    "before it",
                )
            )
    return problems


class Records(Protocol):
    """What the integrity checks and roll-ups read of a programme (a
    :class:`~civicinnov.programme.Portfolio` fits), so they need not import the aggregate.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> def cities(records: Records) -> int:
        ...     return len(records.cities)
        >>> cities(Portfolio())
        0
    """

    @property
    def cities(self) -> tuple[City, ...]: ...
    @property
    def partners(self) -> tuple[Partner, ...]: ...
    @property
    def cohorts(self) -> tuple[Cohort, ...]: ...
    @property
    def iteams(self) -> tuple[ITeam, ...]: ...
    @property
    def priority_areas(self) -> tuple[PriorityArea, ...]: ...
    @property
    def challenges(self) -> tuple[Challenge, ...]: ...
    @property
    def ideas(self) -> tuple[Idea, ...]: ...
    @property
    def initiatives(self) -> tuple[Initiative, ...]: ...
    @property
    def series(self) -> tuple[MetricSeries, ...]: ...
    @property
    def baselines(self) -> tuple[Baseline, ...]: ...
    @property
    def targets(self) -> tuple[Target, ...]: ...
    @property
    def milestones(self) -> tuple[Milestone, ...]: ...
    @property
    def funding(self) -> tuple[Funding, ...]: ...
    @property
    def claims(self) -> tuple[ResultClaim, ...]: ...
    @property
    def ties(self) -> tuple[Tie, ...]: ...
    @property
    def supports(self) -> tuple[Support, ...]: ...
    @property
    def rosters(self) -> tuple[Roster, ...]: ...
    @property
    def provenance(self) -> tuple[Provenance, ...]: ...
    @property
    def by_id(self) -> Mapping[str, Mapping[str, Any]]: ...
    def series_of(
        self, metric_id: str, place_id: str | None = None
    ) -> tuple[MetricSeries, ...]: ...
