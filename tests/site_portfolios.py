"""Generated programmes for the site's tests and benchmark: many cities, monthly metrics, targets.

``generated_portfolio(n_cities, n_metrics, n_months)`` builds a programme whose cities lie around
the world (every seventh without coordinates), each with one challenge tracking every metric, a
monthly series per city and metric (every eleventh series empty: no observations), a baseline and
a target per metric, ties between neighbouring cities, and claims (every fifth unverified, some
citing a source the programme does not list).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from civicinnov.metrics import Baseline, Direction, MetricDefinition, MetricSeries, Target
from civicinnov.model import (
    Challenge,
    City,
    Cohort,
    CohortMember,
    Initiative,
    InitiativeStatus,
    ITeam,
    Location,
    Partner,
    PolicyDomain,
    TargetStage,
)
from civicinnov.money import Money
from civicinnov.periods import MONTH
from civicinnov.programme import Funding, FundingKind, Portfolio, ResultClaim, Source


def generated_portfolio(n_cities: int, n_metrics: int = 3, n_months: int = 36) -> Portfolio:
    rng = np.random.default_rng(11)
    domains = list(PolicyDomain)
    statuses = list(InitiativeStatus)
    cities = tuple(
        City(
            id=f"city-{i}",
            name=f"City <{i}> & Co" if i == 3 else f"City {i}",
            country=("US", "FR", "DE", "IL", "CA")[i % 5],
            population=int(rng.integers(50_000, 5_000_000)),
            location=None
            if i % 7 == 6
            else Location(lat=float(rng.uniform(-50, 65)), lon=float(rng.uniform(-160, 170))),
        )
        for i in range(n_cities)
    )
    metrics = tuple(
        MetricDefinition(
            id=f"metric-{m}",
            name=f"Metric {m}",
            unit=("incident", "dwelling", "percent")[m % 3],
            direction=Direction.DECREASE if m % 2 == 0 else Direction.INCREASE,
            description=f"How many things of kind {m} happen each month",
        )
        for m in range(n_metrics)
    )
    start = 2016 * 12  # January 2016 as a month ordinal
    ordinals = np.arange(start - 1970 * 12, start - 1970 * 12 + n_months)
    series = []
    baselines = []
    targets = []
    for i, city in enumerate(cities):
        for m, metric in enumerate(metrics):
            k = i * n_metrics + m
            if k % 11 == 10:
                values = np.full(n_months, np.nan)
            else:
                level = 60.0 if metric.unit == "percent" else float(rng.integers(50, 500))
                drift = -0.01 if metric.direction is Direction.DECREASE else 0.01
                values = level * (1 + drift * np.arange(n_months)) + rng.normal(0, 3, n_months)
                values = np.clip(values, 0, 100 if str(metric.unit) == "percent" else None)
                values[rng.random(n_months) < 0.05] = np.nan
            series.append(
                MetricSeries.from_arrays(
                    metric, place_id=city.id, period_type=MONTH, ordinals=ordinals, values=values
                )
            )
            base = 60.0 if str(metric.unit) == "percent" else 300.0
            goal = base * (0.8 if metric.direction is Direction.DECREASE else 1.2)
            baselines.append(
                Baseline(
                    metric_id=metric.id,
                    value=f"{base} {metric.unit}",
                    as_of="2016-01-01",
                    place_id=city.id,
                )
            )
            targets.append(
                Target(
                    id=f"target-{i}-{m}",
                    metric_id=metric.id,
                    stage=TargetStage.FINAL,
                    value=f"{min(goal, 100) if str(metric.unit) == 'percent' else goal} {metric.unit}",
                    due="2019-12-31",
                    place_id=city.id,
                )
            )
    challenges = tuple(
        Challenge(
            id=f"challenge-{i}",
            city_id=c.id,
            statement=f"Challenge of {c.name}",
            policy_domain=domains[i % len(domains)],
            metric_ids=tuple(m.id for m in metrics),
        )
        for i, c in enumerate(cities)
    )
    initiatives = tuple(
        Initiative(
            id=f"initiative-{i}",
            title=f"Initiative {i}",
            city_id=c.id,
            challenge_ids=(f"challenge-{i}",),
            status=statuses[i % len(statuses)],
            target_ids=tuple(f"target-{i}-{m}" for m in range(n_metrics)),
        )
        for i, c in enumerate(cities)
    )
    # cohorts of ten cities, as programmes run them
    cohorts = tuple(
        Cohort(
            id=f"cohort-{k}",
            name=f"Cohort {k}",
            funder_id="funder",
            announced=dt.date(2015, 6, 1),
            members=tuple(
                CohortMember(city_id=c.id, joined=dt.date(2015, 7, 1))
                for c in cities[k * 10 : k * 10 + 10]
            ),
        )
        for k in range((n_cities + 9) // 10)
    )
    iteams = tuple(
        ITeam(id=f"team-{i}", city_id=c.id, cohort_id=f"cohort-{i // 10}")
        for i, c in enumerate(cities)
    )
    sources = (Source(id="annual-report", title="Annual report", publisher="Funder"),)
    claims = tuple(
        ResultClaim(
            id=f"claim-{i}",
            statement=f"{c.name} did better",
            source_ids=("annual-report",),
            verified=i % 5 != 0,
            city_id=c.id,
            metric_id="metric-0",
        )
        for i, c in enumerate(cities[:20])
    )
    funding = (
        Funding(
            id="grant-1",
            source_id="funder",
            recipient_id=cities[0].id,
            kind=FundingKind.GRANT,
            amount=Money.parse("$1.4 million"),
            cohort_id="cohort-0",
            purpose="an innovation team for three years",
        ),
    )
    return Portfolio(
        name="Generated programme",
        cities=cities,
        partners=(Partner(id="funder", name="Funder", kinds={"funder"}),),
        cohorts=cohorts,
        iteams=iteams,
        challenges=challenges,
        initiatives=initiatives,
        metrics=metrics,
        series=tuple(series),
        baselines=tuple(baselines),
        targets=tuple(targets),
        claims=claims,
        sources=sources,
        funding=funding,
    )
