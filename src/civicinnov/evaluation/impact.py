"""Did the initiative move the metric? The impact estimators in one place.

This module is the public face of the impact evaluation: it gathers the estimators and their
result types from the modules that implement them, so a user imports from one place:

- :class:`~civicinnov.evaluation.panel.Panel`: the input (from arrays, from
  :class:`~civicinnov.metrics.series.MetricSeries`, or repeated cross-sections);
- :func:`did_2x2`, :func:`twfe`, :func:`event_study` (:mod:`civicinnov.evaluation.did`);
- :func:`callaway_santanna` and :class:`StaggeredResult` (:mod:`civicinnov.evaluation._staggered`);
- :func:`interrupted_time_series` (:mod:`civicinnov.evaluation.its`);
- :class:`ImpactResult`, :class:`Estimate`, :class:`WarningCode`
  (:mod:`civicinnov.evaluation.results`).

Each estimate carries its outcome unit, its SE under a named convention, its confidence
interval, the design's Maryland SMS level, its assumptions and named warnings; the four reference
cases of the test suite (Callaway & Sant'Anna's mpdta, *The Effect*'s organ donations,
Wooldridge's Example 13.3, the Nile) reproduce the published figures.

Example:
    >>> from civicinnov.evaluation.impact import Panel, twfe
    >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
    ...     outcome=[2.0, 5.0, 2.0, 3.0, 1.0, 2.2], unit="case",
    ...     first_treated={1: 1, 2: None, 3: None})
    >>> r = twfe(p, vcov="hc1")
    >>> r.quantity.units, r.sms_level
    (<Unit('case')>, <SMSLevel.COMPARISON_GROUP: 3>)
"""

from __future__ import annotations

from civicinnov.evaluation._linear import CONVENTIONS
from civicinnov.evaluation._staggered import Bands, StaggeredResult, callaway_santanna
from civicinnov.evaluation.did import did_2x2, event_study, twfe
from civicinnov.evaluation.its import interrupted_time_series
from civicinnov.evaluation.panel import Panel
from civicinnov.evaluation.results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)

#: The standard-error conventions the panel estimators accept by name.
SE_CONVENTIONS: tuple[str, ...] = CONVENTIONS

__all__ = [
    "SE_CONVENTIONS",
    "Bands",
    "Estimate",
    "ImpactResult",
    "Panel",
    "ResultWarning",
    "RowReport",
    "StaggeredResult",
    "WarningCode",
    "callaway_santanna",
    "did_2x2",
    "event_study",
    "interrupted_time_series",
    "twfe",
]
