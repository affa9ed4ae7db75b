"""Former module path of Estimate, ImpactResult, ResultWarning ..., kept so existing imports work.

The names live in the private module ``civicinnov.evaluation._results`` and are re-exported from
:mod:`civicinnov.evaluation`; import them from there.

Example:
    >>> from civicinnov.evaluation.results import Estimate
    >>> from civicinnov import evaluation
    >>> Estimate is evaluation.Estimate
    True
"""

from __future__ import annotations

from civicinnov.evaluation._results import (
    Estimate as Estimate,
    ImpactResult as ImpactResult,
    ResultWarning as ResultWarning,
    RowReport as RowReport,
    WarningCode as WarningCode,
)

__all__ = [
    "Estimate",
    "ImpactResult",
    "ResultWarning",
    "RowReport",
    "WarningCode",
]
