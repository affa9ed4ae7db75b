"""Evaluation: progress against targets, trends, and estimates of impact.

- :mod:`civicinnov.evaluation.progress`: baseline-aware progress, on-track status, the Open SDG-style
  growth status, and "turn the curve" against a baseline forecast.
- :mod:`civicinnov.evaluation.trend`: a least-squares trend in units per time, with its interval.
- impact estimators: 2x2 DiD, TWFE, event studies, Callaway & Sant'Anna, ITS.
- one treated place: synthetic control and synthetic difference-in-differences.

Import from ``civicinnov.evaluation``; the modules behind it are implementation.
"""

from civicinnov.evaluation._synthetic import (
    LeaveOneOut,
    PlaceboTest,
    SyntheticControlResult,
    SyntheticDiDResult,
    synthetic_control,
    synthetic_did,
)
from civicinnov.evaluation.impact import (
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
from civicinnov.evaluation.progress import (
    OnTrack,
    Progress,
    ProgressStatus,
    RollUp,
    SDGProgress,
    SDGStatus,
    TrackStatus,
    TurnStatus,
    TurnTheCurve,
    on_track,
    progress,
    roll_up,
    sdg_status,
    turn_the_curve,
)
from civicinnov.evaluation.trend import (
    Forecast,
    Trend,
    midpoints,
    trend,
)

__all__ = [
    "SE_CONVENTIONS",
    "Bands",
    "Estimate",
    "Forecast",
    "ImpactResult",
    "LeaveOneOut",
    "OnTrack",
    "Panel",
    "PlaceboTest",
    "Progress",
    "ProgressStatus",
    "ResultWarning",
    "RollUp",
    "RowReport",
    "SDGProgress",
    "SDGStatus",
    "StaggeredResult",
    "SyntheticControlResult",
    "SyntheticDiDResult",
    "TrackStatus",
    "Trend",
    "TurnStatus",
    "TurnTheCurve",
    "WarningCode",
    "callaway_santanna",
    "did_2x2",
    "event_study",
    "interrupted_time_series",
    "midpoints",
    "on_track",
    "progress",
    "roll_up",
    "sdg_status",
    "synthetic_control",
    "synthetic_did",
    "trend",
    "turn_the_curve",
    "twfe",
]
