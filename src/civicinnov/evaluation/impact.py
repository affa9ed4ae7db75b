"""The impact estimators' former home, kept so that existing imports keep working.

Everything here is re-exported from :mod:`civicinnov.evaluation`; import from there.

Example:
    >>> from civicinnov.evaluation.impact import twfe
    >>> from civicinnov import evaluation
    >>> twfe is evaluation.twfe
    True
"""

from __future__ import annotations

from civicinnov.evaluation import (
    SE_CONVENTIONS,
    Bands,
    Estimate,
    ImpactResult,
    Panel,
    ResultWarning,
    RowReport,
    StaggeredResult,
    WarningCode,
    callaway_santanna,
    did_2x2,
    event_study,
    interrupted_time_series,
    twfe,
)

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
