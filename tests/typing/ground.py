"""Public-API usage of the ground floor (units, money, periods) that must pass ``mypy --strict``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pint
from numpy.typing import NDArray

from civicinnov.money import MAX_AMOUNT, Money
from civicinnov.periods import (
    MONTH,
    Period,
    PeriodType,
    fiscal_month,
    fiscal_quarter,
    fiscal_year,
    parse_period,
    parse_period_type,
)
from civicinnov.units import (
    UnitDefinition,
    check_unit_definition,
    define_units,
    format_unit,
    parse_unit,
    unit_definitions,
)

text: str = format_unit(parse_unit("m**(1/3)", where="$.metrics[0].unit"))
definition: UnitDefinition = check_unit_definition("lane = [lane]", where="$.units[0]")
line: str = definition.text
ours = define_units(pint.UnitRegistry())
again = define_units(["lane = [lane]"], registry=ours, where="$.units")
needed: tuple[str, ...] = unit_definitions("km")

grant: Money = Money.of("1.4e6", "USD", where="$.grant")
parsed: Money = Money.parse("$1.4 million", where="obs.csv line 2")
limit: Decimal = MAX_AMOUNT

fq: PeriodType = fiscal_quarter(7)
fm: PeriodType = fiscal_month(7)
q1: Period = parse_period("FY2025-Q1", fiscal_start_month=7)
months: tuple[Period, ...] = q1.split(MONTH)
renamed: Period = q1.as_type(fq)
counts: NDArray[np.int64] = fiscal_year(7).expected_counts([54], MONTH)
code: str = fq.code
back: PeriodType = parse_period_type(code)
day: dt.date = q1.start
