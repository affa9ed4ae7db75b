"""Portfolio, files and the command: public-API usage that must pass ``mypy --strict``."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from typing import Any, assert_type

from civicinnov.cli import main
from civicinnov.datasets import load_iteams
from civicinnov.errors import IntegrityError, SerializationError
from civicinnov.io.csv import parse_observations
from civicinnov.io.json import dumps_portfolio, load_portfolio, loads_portfolio, save_portfolio
from civicinnov.io.schema import load_schema, validate
from civicinnov.io.serde import new_converter, structure
from civicinnov.metrics.series import MetricSeries
from civicinnov.model import City
from civicinnov.money import Money
from civicinnov.programme import (
    Funding,
    FundingKind,
    Portfolio,
    Problem,
    ProgrammeReport,
    ProgressRow,
    ResultClaim,
    Tie,
    TieKind,
    build_report,
)
from civicinnov.render import render_json, render_markdown, render_text, report_to_data

p: Portfolio = load_iteams()
mobile: City = p.city("mobile")
problems: list[Problem] = p.check()
paths: list[str] = [x.path for x in problems]
totals: dict[str, dict[str, Money]] = p.funding_by_source()
amount: Decimal = totals["new-york-state"]["USD"].amount
rows: list[ProgressRow] = p.progress(as_of=dt.date(2017, 7, 11))
claims: tuple[ResultClaim, ...] = p.claims_about("new-orleans")
tie = Tie(id="t", city_id="mulhouse", other_country="CH", kind=TieKind.BORDER)
checked: Portfolio = p.validate(source="iteams.json")

text: str = dumps_portfolio(p)
again: Portfolio = loads_portfolio(text, source="x.json", check=False)
_path = tempfile.mkdtemp() + "/p.json"
save_portfolio(p, _path)
loaded: Portfolio = load_portfolio(_path)
series: list[MetricSeries] = parse_observations("city,metric,period,value,unit\n", source="o.csv")
violations: list[str] = validate({"schema_version": 2}, load_schema())
ids: tuple[str, ...] = structure(["a"], tuple[str, ...], converter=new_converter())
status: int = main(["validate", "iteams"])
report = build_report(p, as_of=dt.date(2017, 7, 11))
assert_type(report, ProgrammeReport)
assert_type(render_text(report), str)
assert_type(render_markdown(report), str)
assert_type(render_json(report), str)
assert_type(report_to_data(report), dict[str, Any])
assert_type(p.progress(), list[ProgressRow])
assert_type(p.progress()[0].fraction, float | None)
assert_type(p.funding_by_kind(), dict[FundingKind, dict[str, Money]])
assert_type(p.funding, tuple[Funding, ...])
assert_type(p.check(), list[Problem])
assert_type(p.peers("mobile").ids(), list[str])


def _expected_errors() -> None:
    """Each line must stay a type error: mypy --strict reports an unused ignore, so a public
    signature that loosens to Any fails this file. (Never called; only type-checked.)"""
    p.progress(as_of="2017-07-11")  # type: ignore[arg-type]
    build_report("iteams")  # type: ignore[arg-type]
    Funding(id="x", source_id="a", recipient_id="b", kind=FundingKind.GRANT, amount=5)  # type: ignore[arg-type]


try:
    loads_portfolio("{}")
except SerializationError as exc:
    lines: tuple[str, ...] = exc.problems
except IntegrityError:
    pass

# what the sources leave unknown stays typed as unknown
from civicinnov.model import DatePrecision, PartialDate  # noqa: E402
from civicinnov.programme import FundingCoverage, funding_coverage  # noqa: E402

published: PartialDate | None = p.sources[0].published
if published is not None:
    precision: DatePrecision = published.precision
    earliest: dt.date = published.earliest
    before: bool = published.certainly_before(dt.date(2017, 7, 11))
coverage: FundingCoverage = funding_coverage(p)
covered: str = coverage.summary()
grants: dict[str, Money] = p.funding_by_currency(kinds="grant", include_unverified=True)
