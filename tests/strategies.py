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
from hypothesis import strategies as st

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
    WorkPlan,
)
from civicinnov.money import ISO_4217, Money

__all__ = [
    "amounts",
    "challenges",
    "cities",
    "city_ids",
    "cohorts",
    "contributing_issues",
    "currencies",
    "dates",
    "ideas",
    "initiatives",
    "iteams",
    "locations",
    "money",
    "partners",
    "period_ids",
    "priority_areas",
    "slugs",
    "texts",
    "work_plans",
]

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
