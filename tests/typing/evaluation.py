"""Typed use of the impact-evaluation API; checked by ``mypy --strict tests/typing``."""

from __future__ import annotations

import numpy as np

from civicinnov.evaluation.impact import (
    Bands,
    Estimate,
    ImpactResult,
    Panel,
    StaggeredResult,
    WarningCode,
    callaway_santanna,
    did_2x2,
    event_study,
    interrupted_time_series,
    twfe,
)
from civicinnov.model import SMSLevel

panel: Panel = Panel.from_arrays(
    units=np.repeat(np.arange(4), 3),
    periods=np.tile(np.arange(3), 4),
    outcome=np.arange(12, dtype=float),
    unit="incident",
    first_treated={0: 1, 1: 2, 2: None, 3: None},
)
result: ImpactResult = twfe(panel, vcov="crv1")
headline: Estimate = result.estimate
level: SMSLevel = result.sms_level
codes: frozenset[WarningCode] = result.warning_codes
value: float = headline.value + headline.se
events: ImpactResult = event_study(panel, reference=-1)
one_cohort: Panel = Panel.from_arrays(
    units=np.repeat(np.arange(4), 2),
    periods=np.tile(np.arange(2), 4),
    outcome=np.array([1.0, 3.0, 2.0, 3.5, 1.0, 1.5, 2.0, 2.2]),
    unit="incident",
    first_treated={0: 1, 1: 1, 2: None, 3: None},
)
two: ImpactResult = did_2x2(one_cohort.to("incident"), vcov="hc1")
staggered: StaggeredResult = callaway_santanna(panel, control="notyet")
bands: Bands = staggered.bootstrap("dynamic", iterations=99, seed=1)
adjusted: StaggeredResult = callaway_santanna(
    panel, controls=[], est_method="ipw", allow_unbalanced=True
)


def pretest(result: StaggeredResult) -> dict[str, float]:
    return result.pretest()


its: ImpactResult = interrupted_time_series(
    [1, 2, 3, 4, 5], [1.0, 2.0, 1.0, 5.0, 6.0], interruption=4, unit=""
)
summary: str = its.summary()
