"""Hypothesis strategies for civicinnov's model objects, shared by every test module.

Import as ``from tests.strategies import cities, challenges, ...`` (pytest runs from the repository
root with ``python -m pytest``). Every strategy builds *valid* objects; tests that need invalid
input build it by hand.
"""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import attrs
import numpy as np
from hypothesis import strategies as st

from civicinnov.metrics import (
    ApprovalState,
    Baseline,
    Direction,
    MeasureKind,
    MetricDefinition,
    MetricSeries,
    Milestone,
    MissingReason,
    ObservationStatus,
    Ratio,
    SpatialAggregation,
    Target,
    TemporalAggregation,
)
from civicinnov.model import (
    ISO_3166_ALPHA2,
    Challenge,
    ChallengeStatus,
    City,
    Cohort,
    CohortMember,
    ContributingIssue,
    DatePrecision,
    Idea,
    IdeaSource,
    Initiative,
    InitiativeStatus,
    ITeam,
    Location,
    Member,
    NestaLevel,
    PartialDate,
    Partner,
    PartnerKind,
    Phase,
    PhaseChange,
    PlanStep,
    PolicyDomain,
    PriorityArea,
    Role,
    SMSLevel,
    TargetStage,
    WorkPlan,
)
from civicinnov.money import ISO_4217, Money
from civicinnov.periods import DAY, MONTH, QUARTER, WEEK, YEAR, Period, PeriodType, fiscal_year
from civicinnov.programme import (
    Funding,
    FundingKind,
    Portfolio,
    Provenance,
    Qualifier,
    ResultClaim,
    Roster,
    Source,
    Tie,
    TieKind,
)

__all__ = [
    "amounts",
    "challenges",
    "cities",
    "city_ids",
    "claims",
    "cohorts",
    "consistent_portfolios",
    "contributing_issues",
    "currencies",
    "dates",
    "fundings",
    "ideas",
    "initiatives",
    "iteams",
    "locations",
    "metric_definitions",
    "money",
    "partners",
    "period_ids",
    "portfolios",
    "priority_areas",
    "series",
    "slugs",
    "sources",
    "targets",
    "texts",
    "ties",
    "work_plans",
]


# -- from strategies.py ------------------------------------------------------------

_FIRST = string.ascii_lowercase
_REST = string.ascii_lowercase + string.digits + "-_"

#: Valid id slugs.
slugs = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_FIRST),
    st.text(alphabet=_REST, max_size=15),
)
city_ids = slugs
#: Non-blank short text.
texts = st.text(
    alphabet=string.ascii_letters + string.digits + " .,'-", min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
#: Dates in the programme's era.
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))

_CODES = sorted(ISO_4217)
#: ISO 4217 codes.
currencies = st.sampled_from(_CODES)
#: Exact amounts with up to 4 decimals and 15 integer digits, both signs.
amounts = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4, allow_nan=False
)


@st.composite
def money(draw: st.DrawFn, currency: str | None = None, *, nonnegative: bool = False) -> Money:
    """Money in ``currency`` (any ISO 4217 code by default)."""
    amount = draw(amounts)
    if nonnegative:
        amount = abs(amount)
    return Money(amount=amount, currency=currency or draw(currencies))


locations = st.builds(
    Location,
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
)


@st.composite
def cities(draw: st.DrawFn, id: str | None = None) -> City:
    """A valid city; population is a count of people or None."""
    return City(
        id=id or draw(city_ids),
        name=draw(texts),
        country=draw(st.sampled_from(sorted(ISO_3166_ALPHA2))),
        region=draw(st.none() | texts),
        population=draw(st.none() | st.integers(min_value=0, max_value=40_000_000)),
        location=draw(st.none() | locations),
    )


partners = st.builds(
    Partner,
    id=slugs,
    name=texts,
    kinds=st.frozensets(st.sampled_from(PartnerKind), min_size=1),
    country=st.none() | st.sampled_from(sorted(ISO_3166_ALPHA2)),
)


@st.composite
def cohorts(draw: st.DrawFn, max_members: int = 6) -> Cohort:
    """A valid cohort: distinct member cities, each joining on or after the announcement."""
    announced = draw(dates)
    ids = draw(st.lists(city_ids, unique=True, max_size=max_members))
    members = []
    for c in ids:
        joined = announced + dt.timedelta(days=draw(st.integers(min_value=0, max_value=400)))
        reported = draw(st.sampled_from([None, "year", "month"]))
        members.append(
            CohortMember(
                city_id=c,
                joined=joined,
                joined_reported=None
                if reported is None
                else PartialDate(
                    year=joined.year, month=joined.month if reported == "month" else None
                ),
            )
        )
    return Cohort(
        id=draw(slugs),
        name=draw(texts),
        funder_id=draw(slugs),
        partner_ids=draw(st.lists(slugs, unique=True, max_size=3)),
        announced=announced,
        members=members,
    )


members = st.builds(Member, name=texts, role=st.sampled_from(Role))

iteams = st.builds(
    ITeam,
    id=slugs,
    city_id=city_ids,
    cohort_id=st.none() | slugs,
    members=st.lists(members, max_size=6).map(tuple),
    reports_to=st.sampled_from([None, Role.MAYOR, Role.CITY_MANAGER]),
)

priority_areas = st.builds(
    PriorityArea,
    id=slugs,
    city_id=city_ids,
    name=texts,
    policy_domain=st.sampled_from(PolicyDomain),
)

contributing_issues = st.builds(
    ContributingIssue, id=slugs, statement=texts, evidence=st.lists(texts, max_size=3).map(tuple)
)


@st.composite
def challenges(draw: st.DrawFn, id: str | None = None, phase: Phase | None = None) -> Challenge:
    """A valid challenge, with a consistent, dated history up to its phase."""
    target = phase if phase is not None else draw(st.sampled_from(Phase))
    start = draw(dates)
    history = []
    current = Phase.GETTING_STARTED
    day = start
    while current is not target:
        nxt = current.next
        assert nxt is not None
        day = day + dt.timedelta(days=draw(st.integers(min_value=0, max_value=200)))
        history.append(PhaseChange(from_phase=current, to_phase=nxt, on=day, note=draw(texts)))
        current = nxt
    issues = draw(st.lists(contributing_issues, unique_by=lambda i: i.id, max_size=3))
    return Challenge(
        id=id or draw(slugs),
        city_id=draw(city_ids),
        priority_area_id=draw(st.none() | slugs),
        statement=draw(texts),
        status=draw(st.sampled_from(ChallengeStatus)),
        contributing_issues=issues,
        metric_ids=draw(st.lists(slugs, unique=True, max_size=3)),
        policy_domain=draw(st.sampled_from(PolicyDomain)),
        phase=target,
        history=history,
    )


@st.composite
def unreported_challenges(draw: st.DrawFn, id: str | None = None) -> Challenge:
    """A valid challenge whose phase no source reports (``phase=None``, no history)."""
    return attrs.evolve(draw(challenges(id=id)), phase=None, history=())


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """A date known to the year, the month or the day."""
    day = draw(dates)
    precision = draw(st.sampled_from(DatePrecision))
    if precision is DatePrecision.YEAR:
        return PartialDate(year=day.year)
    if precision is DatePrecision.MONTH:
        return PartialDate(year=day.year, month=day.month)
    return PartialDate(year=day.year, month=day.month, day=day.day)


@st.composite
def ideas(draw: st.DrawFn, challenge_id: str | None = None) -> Idea:
    """An idea on ``challenge_id``'s longlist (a random challenge by default)."""
    source = draw(st.sampled_from(IdeaSource))
    return Idea(
        id=draw(slugs),
        challenge_id=challenge_id or draw(slugs),
        title=draw(texts),
        source=source,
        origin_city_id=draw(st.none() | city_ids) if source is IdeaSource.OTHER_CITY else None,
    )


plan_steps = st.builds(
    PlanStep, title=texts, due=st.none() | dates, owner=st.none() | texts, done=st.booleans()
)


@st.composite
def work_plans(draw: st.DrawFn, agreed: bool | None = None) -> WorkPlan:
    """A work plan; ``agreed`` forces it agreed (True) or not (False)."""
    start = draw(st.none() | dates)
    end = None if start is None else start + dt.timedelta(days=draw(st.integers(0, 900)))
    is_agreed = draw(st.booleans()) if agreed is None else agreed
    return WorkPlan(
        summary=draw(st.text(max_size=30)),
        start=start,
        end=end,
        steps=draw(st.lists(plan_steps, max_size=3)),
        agreed_on=draw(dates) if is_agreed else None,
        agreed_by=draw(st.lists(texts, max_size=2)) if is_agreed else (),
    )


@st.composite
def initiatives(draw: st.DrawFn, challenge_id: str | None = None) -> Initiative:
    """An initiative working on ``challenge_id`` (and maybe others)."""
    challenge_ids = (
        [challenge_id]
        if challenge_id
        else draw(st.lists(slugs, unique=True, min_size=1, max_size=2))
    )
    return Initiative(
        id=draw(slugs),
        title=draw(texts),
        city_id=draw(city_ids),
        challenge_ids=challenge_ids,
        idea_ids=draw(st.lists(slugs, unique=True, max_size=3)),
        owner=draw(st.none() | texts),
        status=draw(st.sampled_from(InitiativeStatus)),
        work_plan=draw(st.none() | work_plans()),
        target_ids=draw(st.lists(slugs, unique=True, max_size=3)),
        evidence_level=draw(st.none() | st.sampled_from(SMSLevel)),
        nesta_level=draw(st.none() | st.sampled_from(NestaLevel)),
        long_term_owner=draw(st.none() | texts),
    )


@st.composite
def period_ids(draw: st.DrawFn) -> str:
    """Period ids of every calendar type: 2024-03-15, 2024-W05, 2024-03, 2024-Q1, 2024-H2, 2024.

    (Fiscal years, ``FY2025``, need a start month to parse; see :func:`fiscal_period_ids`.)
    """
    year = draw(st.integers(min_value=1990, max_value=2060))
    kind = draw(st.sampled_from(["day", "week", "month", "quarter", "half", "year"]))
    if kind == "day":
        day = draw(st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)))
        return day.isoformat()
    if kind == "week":
        weeks = dt.date(year, 12, 28).isocalendar()[1]
        return f"{year}-W{draw(st.integers(1, weeks)):02d}"
    if kind == "month":
        return f"{year}-{draw(st.integers(1, 12)):02d}"
    if kind == "quarter":
        return f"{year}-Q{draw(st.integers(1, 4))}"
    if kind == "half":
        return f"{year}-H{draw(st.integers(1, 2))}"
    return str(year)


def fiscal_period_ids() -> st.SearchStrategy[tuple[str, int]]:
    """``(id, start_month)`` pairs such as ``("FY2025", 7)``."""
    return st.tuples(
        st.integers(min_value=1990, max_value=2060).map(lambda y: f"FY{y}"),
        st.integers(min_value=1, max_value=12),
    )


# -- from metric_strategies.py ------------------------------------------------------------

CALLS = MetricDefinition(id="calls", name="Calls", unit="call")
VACANCY = MetricDefinition(
    id="vacancy",
    name="Vacancy",
    unit="percent",
    measure_kind=MeasureKind.PERCENTAGE,
    temporal_aggregation=TemporalAggregation.RATIO_OF_SUMS,
    spatial_aggregation=SpatialAggregation.RATIO_OF_SUMS,
    ratio=Ratio(numerator_unit="property", denominator_unit="property", scale="percent"),
)

#: Pairs of (fine, coarse) period types where the fine type nests in the coarse one.
NESTING: list[tuple[PeriodType, PeriodType]] = [
    (DAY, WEEK),
    (DAY, MONTH),
    (DAY, YEAR),
    (DAY, fiscal_year(7)),
    (MONTH, QUARTER),
    (MONTH, YEAR),
    (MONTH, fiscal_year(4)),
    (QUARTER, YEAR),
]

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
magnitudes = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).filter(
    lambda x: abs(x) > 1e-3 or x == 0
)


@st.composite
def sorted_ordinals(draw: st.DrawFn, *, max_size: int = 200) -> np.ndarray:
    """Strictly increasing period ordinals with gaps."""
    start = draw(st.integers(min_value=0, max_value=20_000))
    steps = draw(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=max_size))
    return start + np.cumsum(np.asarray(steps, dtype=np.int64)) - steps[0]


@st.composite
def sum_series_data(draw: st.DrawFn) -> tuple[PeriodType, PeriodType, np.ndarray, np.ndarray]:
    """A fine and a coarse period type, sorted ordinals and values (some NaN)."""
    fine, coarse = draw(st.sampled_from(NESTING))
    ords = draw(sorted_ordinals())
    values = draw(
        st.lists(
            st.one_of(st.floats(min_value=0, max_value=1e6), st.just(float("nan"))),
            min_size=len(ords),
            max_size=len(ords),
        )
    )
    return fine, coarse, ords, np.asarray(values, dtype=np.float64)


@st.composite
def ratio_series_data(
    draw: st.DrawFn,
) -> tuple[PeriodType, PeriodType, np.ndarray, np.ndarray, np.ndarray]:
    """Nesting period types, ordinals, numerators and positive denominators."""
    fine, coarse = draw(st.sampled_from(NESTING))
    ords = draw(sorted_ordinals())
    n = len(ords)
    dens = draw(st.lists(st.integers(min_value=1, max_value=1000), min_size=n, max_size=n))
    fractions = draw(st.lists(st.floats(min_value=0, max_value=1), min_size=n, max_size=n))
    dens_a = np.asarray(dens, dtype=np.float64)
    nums_a = np.floor(np.asarray(fractions) * dens_a)
    return fine, coarse, ords, nums_a, dens_a


#: Length units with exact-ish factors between them, for unit-invariance properties.
LENGTH_UNITS = ["meter", "kilometer", "foot", "mile", "centimeter"]


@st.composite
def baseline_target(draw: st.DrawFn) -> tuple[Direction, float, float]:
    """A direction with a baseline and a target consistent with it (target != baseline)."""
    direction = draw(st.sampled_from(list(Direction)))
    baseline = draw(magnitudes)
    delta = draw(st.floats(min_value=0.01, max_value=1e4))
    if direction is Direction.DECREASE:
        target = baseline - delta
    elif direction is Direction.INCREASE:
        target = baseline + delta
    else:
        target = baseline + draw(st.sampled_from([-1, 1])) * delta
    return direction, baseline, target


_NOTE = st.none() | st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and t)
_STAMP = st.none() | st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)).map(
    dt.date.isoformat
)


@st.composite
def annotated_series(draw: st.DrawFn, *, ratio: bool = False) -> MetricSeries:
    """A monthly series whose rows carry statuses, approvals, notes and sometimes revisions (and,
    with ``ratio``, numerators and denominators of the ``VACANCY`` metric)."""
    n = draw(st.integers(min_value=1, max_value=8))
    ords = 600 + np.cumsum(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    values = draw(st.lists(st.floats(0, 100) | st.just(float("nan")), min_size=n, max_size=n))
    nan = np.isnan(np.asarray(values, dtype=float))
    kwargs: dict[str, object] = {}
    for name, field in (("status", "statuses"), ("approval", "approvals")):
        if draw(st.booleans()):
            enum_type = ObservationStatus if name == "status" else ApprovalState
            kwargs[field] = draw(
                st.lists(st.none() | st.sampled_from(list(enum_type)), min_size=n, max_size=n)
            )
    if draw(st.booleans()):
        reasons = draw(
            st.lists(st.none() | st.sampled_from(list(MissingReason)), min_size=n, max_size=n)
        )
        kwargs["missing_reasons"] = [r if m else None for r, m in zip(reasons, nan, strict=True)]
    for field, strategy in (
        ("comments", _NOTE),
        ("sources", _NOTE),
        ("recorded_by", _NOTE),
        ("recorded_at", _STAMP),
    ):
        if draw(st.booleans()):
            kwargs[field] = draw(st.lists(strategy, min_size=n, max_size=n))
    metric = VACANCY if ratio else CALLS
    if ratio:
        dens = np.asarray(draw(st.lists(st.integers(1, 500), min_size=n, max_size=n)), float)
        nums = np.floor(np.asarray(values, dtype=float) / 100 * dens)
        nums[nan] = np.nan
        s = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords,
            numerators=nums,
            denominators=dens,
            **kwargs,  # type: ignore[arg-type]
        )
    else:
        s = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords,
            values=values,
            **kwargs,  # type: ignore[arg-type]
        )
    if draw(st.booleans()) and not ratio:
        k = draw(st.integers(1, n))
        fix = MetricSeries.from_arrays(
            metric,
            place_id="p",
            period_type=MONTH,
            ordinals=ords[:k],
            values=draw(st.lists(st.floats(0, 100), min_size=k, max_size=k)),
        )
        s = s.update(fix, recorded_by=draw(_NOTE), recorded_at=draw(_STAMP))
    return s


# -- from portfolio_strategies.py ------------------------------------------------------------

_UNITS = ["incident", "person", "percent", "day", "dwelling", "kilometer", "second"]
_COUNTRIES = sorted(ISO_3166_ALPHA2)
_finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)

sources = st.builds(
    Source,
    id=slugs,
    title=texts,
    publisher=st.none() | texts,
    published=st.none() | dates | partial_dates(),
    url=st.none() | texts,
)

metric_definitions = st.builds(
    MetricDefinition,
    id=slugs,
    name=texts,
    unit=st.sampled_from(_UNITS),
    description=st.text(max_size=20),
    direction=st.sampled_from(Direction),
    measure_kind=st.just(MeasureKind.UNIT),
)


def _quantities(unit: str | None = None) -> st.SearchStrategy[str]:
    units = st.just(unit) if unit else st.sampled_from(_UNITS)
    return st.builds(lambda v, u: f"{v!r} {u}", _finite, units)


@st.composite
def series(
    draw: st.DrawFn,
    metric_id: str | None = None,
    place_id: str | None = None,
    unit: str | None = None,
) -> MetricSeries:
    """A series of 0-12 periods of one type, with NaN for some missing values."""
    period_type = draw(st.sampled_from([MONTH, QUARTER, YEAR]))
    start = draw(st.integers(min_value=400, max_value=700))
    n = draw(st.integers(min_value=0, max_value=12))
    steps = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=n, max_size=n))
    ordinals = start + np.cumsum(np.asarray(steps, dtype=np.int64))
    values = draw(st.lists(st.none() | _finite, min_size=n, max_size=n))
    return MetricSeries(
        metric_id=metric_id or draw(slugs),
        place_id=place_id or draw(slugs),
        period_type=period_type,
        ordinals=ordinals,
        values=np.array([np.nan if v is None else v for v in values], dtype=np.float64),
        unit=unit or draw(st.sampled_from(_UNITS)),
    )


@st.composite
def targets(draw: st.DrawFn, metric_id: str | None = None) -> Target:
    due = draw(dates)
    return Target(
        id=draw(slugs),
        metric_id=metric_id or draw(slugs),
        stage=draw(st.sampled_from(TargetStage)),
        value=draw(_quantities()),
        due=due,
        period=draw(st.none() | st.just(Period.parse(str(due.year - 1)))),
        place_id=draw(st.none() | slugs),
        note=draw(st.none() | texts),
    )


baselines = st.builds(
    Baseline,
    metric_id=slugs,
    value=_quantities(),
    as_of=dates,
    period=st.none() | st.just(Period.parse("2014-Q2")),
    place_id=st.none() | slugs,
    source=st.none() | texts,
)

milestones = st.builds(
    Milestone,
    id=slugs,
    target_id=slugs,
    title=texts,
    due=dates,
    value=st.none() | _quantities(),
    reached=st.none() | dates,
)

fundings = st.builds(
    Funding,
    id=slugs,
    source_id=slugs,
    recipient_id=slugs,
    kind=st.sampled_from(FundingKind),
    amount=money(nonnegative=True),
    purpose=st.none() | texts,
    on=st.none() | dates,
)

claims = st.builds(
    ResultClaim,
    id=slugs,
    statement=texts,
    source_ids=st.lists(slugs, min_size=1, max_size=2, unique=True),
    verified=st.booleans(),
    city_id=st.none() | slugs,
    cohort_id=st.none() | slugs,
    challenge_id=st.none() | slugs,
    initiative_id=st.none() | slugs,
    metric_id=st.none() | slugs,
    value=st.none() | _quantities(),
    period=st.none() | st.just(Period.parse("2013")),
    note=st.none() | texts,
    amount=st.none() | money(nonnegative=True),
    qualifier=st.none() | st.sampled_from(Qualifier),
)


@st.composite
def ties(draw: st.DrawFn) -> Tie:
    to_city = draw(st.booleans())
    return Tie(
        id=draw(slugs),
        city_id=draw(slugs),
        kind=draw(st.sampled_from(TieKind)),
        other_city_id=draw(slugs) if to_city else None,
        other_country=None if to_city else draw(st.sampled_from(_COUNTRIES)),
        note=draw(st.none() | texts),
    )


rosters = st.builds(
    Roster,
    id=slugs,
    name=texts,
    on=dates,
    city_ids=st.lists(slugs, unique=True, max_size=4),
    source_ids=st.lists(slugs, unique=True, min_size=1, max_size=2),
    verified=st.booleans(),
)

provenances = st.builds(
    Provenance,
    record=st.builds(lambda c, i: f"{c}:{i}", st.sampled_from(["cities", "cohorts"]), slugs),
    source_ids=st.lists(slugs, unique=True, min_size=1, max_size=2),
    verified=st.booleans(),
    note=st.none() | texts,
)


def _lists(
    strategy: st.SearchStrategy[object], max_size: int = 3
) -> st.SearchStrategy[list[object]]:
    return st.lists(strategy, max_size=max_size)


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    """Any structurally valid portfolio; ids need not resolve."""
    return Portfolio(
        name=draw(texts),
        cities=draw(_lists(cities())),
        partners=draw(_lists(partners)),
        cohorts=draw(_lists(cohorts(max_members=3))),
        iteams=draw(_lists(iteams)),
        priority_areas=draw(_lists(priority_areas)),
        challenges=draw(_lists(challenges() | unreported_challenges(), 2)),
        ideas=draw(_lists(ideas())),
        initiatives=draw(_lists(initiatives(), 2)),
        metrics=draw(_lists(metric_definitions)),
        series=draw(_lists(series(), 2)),
        baselines=draw(_lists(baselines)),
        targets=draw(_lists(targets())),
        milestones=draw(_lists(milestones)),
        funding=draw(_lists(fundings)),
        claims=draw(_lists(claims)),
        ties=draw(_lists(ties())),
        rosters=draw(_lists(rosters)),
        sources=draw(_lists(sources)),
        provenance=draw(_lists(provenances)),
    )


@st.composite
def consistent_portfolios(draw: st.DrawFn) -> Portfolio:
    """A small portfolio whose every reference resolves and whose dates hold together."""
    city_ids = draw(st.lists(slugs, unique=True, min_size=2, max_size=4))
    the_cities = [draw(cities(id=c)) for c in city_ids]
    funder = draw(partners.filter(lambda partner: partner.id not in city_ids))
    announced = draw(dates)
    cohort = Cohort(
        id="cohort-a",
        name="Cohort A",
        funder_id=funder.id,
        announced=announced,
        members=[
            CohortMember(city_id=c, joined=announced + dt.timedelta(days=i))
            for i, c in enumerate(city_ids)
        ],
    )
    teams = [ITeam(id=f"{c}-team", city_id=c, cohort_id=cohort.id) for c in city_ids]
    grants = [
        Funding(
            id=f"{team.id}-grant",
            source_id=funder.id,
            recipient_id=team.city_id,
            kind=FundingKind.GRANT,
            amount=amount,
            cohort_id=cohort.id,
        )
        for team in teams
        if (amount := draw(st.none() | money("USD", nonnegative=True))) is not None
    ]
    metric = draw(metric_definitions)
    home = city_ids[0]
    challenge = Challenge(
        id="challenge-a", city_id=home, statement="Do better", metric_ids=(metric.id,)
    )
    target = Target(
        id="target-a",
        metric_id=metric.id,
        stage=TargetStage.FINAL,
        value=f"10 {metric.unit:D}",
        due=dt.date(2030, 1, 1),
    )
    initiative = Initiative(
        id="initiative-a",
        title="Try something",
        city_id=home,
        challenge_ids=(challenge.id,),
        target_ids=(target.id,),
    )
    source = Source(id="source-a", title="A report")
    return Portfolio(
        name="Consistent",
        cities=the_cities,
        partners=[funder],
        cohorts=[cohort],
        iteams=teams,
        funding=grants,
        challenges=[challenge],
        initiatives=[initiative],
        metrics=[metric],
        series=[draw(series(metric_id=metric.id, place_id=home, unit=f"{metric.unit:D}"))],
        targets=[target],
        claims=[
            ResultClaim(
                id="claim-a",
                statement="It worked",
                source_ids=(source.id,),
                verified=False,
                city_id=home,
            )
        ],
        sources=[source],
        provenance=[Provenance(record=f"cities:{home}", source_ids=(source.id,), verified=True)],
    )
