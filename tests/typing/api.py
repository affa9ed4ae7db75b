"""Public-API usage that must pass ``mypy --strict`` (run by CI: ``mypy --strict tests/typing``)."""

from __future__ import annotations

import datetime as dt

import civicinnov
from civicinnov import (
    CivicError,
    Period,
    PeriodType,
    UnitError,
    as_quantity,
    fiscal_year,
    get_registry,
    parse_period,
    parse_unit,
)
from civicinnov.periods import MONTH, QUARTER

q1: Period = parse_period("2024-Q1")
days: int = q1.days
start: dt.date = q1.start
fy: PeriodType = fiscal_year(7)
label: str = fy.label(fy.ordinal_of(dt.date(2024, 7, 1)))
months = MONTH.ordinals_of(["2024-01-15", "2024-02-15"])
quarters = MONTH.convert(months, QUARTER)
distance = as_quantity(150, "ft", dimension="[length]")
unit = parse_unit("person / km**2")
registry = get_registry()
version: str = civicinnov.__version__

try:
    as_quantity(3, "kg", dimension="[length]")
except UnitError as exc:
    problems: tuple[str, ...] = exc.problems
except CivicError:
    pass
