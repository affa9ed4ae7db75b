"""Portfolio, files and the command: public-API usage that must pass ``mypy --strict``."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal

from civicinnov.cli import main, report_data
from civicinnov.datasets import load_iteams
from civicinnov.errors import IntegrityError, SerializationError
from civicinnov.io.csv import parse_observations
from civicinnov.io.json import dumps_portfolio, load_portfolio, loads_portfolio, save_portfolio
from civicinnov.io.schema import load_schema, validate
from civicinnov.io.serde import new_converter, structure
from civicinnov.metrics.series import MetricSeries
from civicinnov.model import City
from civicinnov.money import Money
from civicinnov.portfolio import Portfolio, Problem, ProgressRow, ResultClaim, Tie, TieKind

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
violations: list[str] = validate({"schema_version": 1}, load_schema())
ids: tuple[str, ...] = structure(["a"], tuple[str, ...], converter=new_converter())
status: int = main(["validate", "iteams"])
data = report_data(p)

try:
    loads_portfolio("{}")
except SerializationError as exc:
    lines: tuple[str, ...] = exc.problems
except IntegrityError:
    pass
