"""Typed usage of money and the domain model that must pass ``mypy --strict``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from civicinnov.errors import GateError, MoneyError
from civicinnov.model import (
    Challenge,
    ChallengeStatus,
    City,
    Cohort,
    CohortMember,
    ContributingIssue,
    Criterion,
    EvaluationDesign,
    GateContext,
    GateReport,
    Idea,
    IdeaSource,
    Initiative,
    ITeam,
    Location,
    Member,
    Partner,
    PartnerKind,
    Phase,
    Role,
    SMSLevel,
    TargetStage,
    WorkPlan,
    advance,
    check_gate,
    sms_level,
)
from civicinnov.money import Money, RateTable

grant: Money = Money.parse("$1.4 million")
total: Money = sum([grant, Money.of(Decimal("250000"), "USD")], Money.zero("USD"))
amount: Decimal = total.amount
text: str = total.format()
rates = RateTable.of(("USD", "EUR", "2024-01-01", "0.9"))
euros: Money = grant.convert("EUR", rates, dt.date(2024, 6, 1))
try:
    grant + euros
except MoneyError as exc:
    message: str = exc.message

city = City(
    id="mobile",
    name="Mobile",
    country="US",
    population=187_041,
    location=Location(lat=30.69, lon=-88.04),
)
people: int | None = city.people
funder = Partner(id="bloomberg", name="Bloomberg Philanthropies", kinds={PartnerKind.FUNDER})
cohort = Cohort(
    id="us-2014",
    name="i-teams 2014",
    funder_id=funder.id,
    announced=dt.date(2014, 12, 9),
    members=[CohortMember(city_id=city.id, joined=dt.date(2015, 1, 1))],
)
ids: tuple[str, ...] = cohort.city_ids
team = ITeam(
    id="mobile-iteam",
    city_id=city.id,
    cohort_id=cohort.id,
    members=[Member(name="Director", role=Role.DIRECTOR)],
    reports_to=Role.MAYOR,
)

challenge = Challenge(
    id="blight", city_id=city.id, statement="Reduce blight", priority_area_id="neighbourhoods"
)
challenge = (
    challenge.add_contributing_issue(
        ContributingIssue(id="owners", statement="Absent owners", evidence=("tax records",))
    )
    .add_metric("blighted-properties")
    .with_status(ChallengeStatus.FINAL)
)
idea = Idea(
    id="blight-app",
    challenge_id=challenge.id,
    title="Blight app",
    source=IdeaSource.OTHER_CITY,
    origin_city_id="new-orleans",
)
initiative = Initiative(
    id="blight-index",
    title="Blight index",
    city_id=city.id,
    challenge_ids=(challenge.id,),
    work_plan=WorkPlan().agree(dt.date(2015, 6, 1)),
)
level: SMSLevel = sms_level(EvaluationDesign.DID)
stage: TargetStage = TargetStage.FINAL

context = GateContext(ideas=(idea,), initiatives=(initiative,))
report: GateReport = check_gate(challenge, context)
failing: tuple[str, ...] = report.failing_ids
custom = Criterion(id="always", description="always holds", check=lambda ch, ctx: (True, "ok"))
try:
    moved: Challenge = advance(challenge, context, on=dt.date(2015, 2, 1), criteria=[custom])
    phase: Phase | None = moved.phase  # None: not reported
except GateError as err:
    print(err.report)
