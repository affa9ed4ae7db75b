"""Hypothesis strategies for portfolios and the records only a portfolio holds.

``portfolios()`` draws any structurally valid portfolio (references need not resolve), for lossless
round-trip properties; ``consistent_portfolios()`` draws one whose references all resolve, so
``check()`` finds nothing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import strategies as st
from tests.strategies import (
    challenges,
    cities,
    cohorts,
    dates,
    ideas,
    initiatives,
    iteams,
    money,
    partial_dates,
    partners,
    priority_areas,
    slugs,
    texts,
    unreported_challenges,
)

from civicinnov.metrics.definition import Direction, MeasureKind, MetricDefinition
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Baseline, Milestone, Target
from civicinnov.model import (
    ISO_3166_ALPHA2,
    Challenge,
    Cohort,
    CohortMember,
    Initiative,
    ITeam,
    TargetStage,
)
from civicinnov.periods import MONTH, QUARTER, YEAR, Period
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
    "claims",
    "consistent_portfolios",
    "fundings",
    "metric_definitions",
    "portfolios",
    "series",
    "sources",
    "targets",
    "ties",
]

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
