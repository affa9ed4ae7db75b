"""Evaluation: progress against targets, trends, and estimates of impact.

This is the layer's face: import everything from here (``from civicinnov.evaluation import
twfe``); the modules behind it are private.

- **Progress** (:func:`progress`, :func:`on_track`, :func:`sdg_status`, :func:`turn_the_curve`,
  :func:`roll_up`): baseline-aware progress against targets, on-track status, the Open SDG-style
  growth status, and "turn the curve" against a baseline forecast.
- **Trend** (:func:`trend`): a least-squares trend in units per time (on dates or on evenly
  spaced periods), with its interval and forecasts.
- **Regression** (:func:`regress`, :class:`RegressionResult`): the one least-squares core every
  estimator uses — named regressors, absorbed fixed effects, weights, and the variance
  conventions of :data:`VCOV_CONVENTIONS` by name.
- **Impact** on a :class:`Panel`: :func:`did_2x2`, :func:`twfe`, :func:`first_difference`,
  :func:`event_study`, :func:`callaway_santanna`; on one series:
  :func:`interrupted_time_series`; one treated place against donors: :func:`synthetic_control`
  and :func:`synthetic_did`. Each returns an :class:`ImpactResult` (or a
  :class:`StaggeredResult`) with its outcome unit, SE convention, Maryland SMS level,
  assumptions and named warnings (:class:`WarningCode`).

Nothing here imports the network layer or the programme layer.

Example:
    >>> from civicinnov.evaluation import Panel, twfe
    >>> p = Panel.from_arrays(units=[1, 1, 2, 2, 3, 3], periods=[0, 1] * 3,
    ...     outcome=[2.0, 5.0, 2.0, 3.0, 1.0, 2.2], unit="case",
    ...     first_treated={1: 1, 2: None, 3: None})
    >>> r = twfe(p, vcov="hc1")
    >>> r.quantity.units, r.sms_level
    (<Unit('case')>, <SMSLevel.COMPARISON_GROUP: 3>)
"""

from __future__ import annotations

from civicinnov.evaluation._did import did_2x2, event_study, first_difference, twfe
from civicinnov.evaluation._its import interrupted_time_series
from civicinnov.evaluation._panel import EarlyTreatmentWarning, Panel
from civicinnov.evaluation._progress import (
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
from civicinnov.evaluation._regression import CONVENTIONS, RegressionResult, regress
from civicinnov.evaluation._results import (
    Estimate,
    ImpactResult,
    ResultWarning,
    RowReport,
    WarningCode,
)
from civicinnov.evaluation._staggered import Bands, StaggeredResult, callaway_santanna
from civicinnov.evaluation._synthetic import (
    LeaveOneOut,
    PlaceboTest,
    SyntheticControlResult,
    SyntheticDiDResult,
    synthetic_control,
    synthetic_did,
)
from civicinnov.evaluation._trend import Forecast, Trend, midpoints, trend

#: Every variance convention :func:`regress` and the estimators accept, by name.
VCOV_CONVENTIONS: tuple[str, ...] = CONVENTIONS

#: The standard-error conventions whose finite-sample factors the panel reference cases pin
#: (every panel estimator accepts them; :data:`VCOV_CONVENTIONS` lists every name accepted).
SE_CONVENTIONS: tuple[str, ...] = ("crv1", "crv1_lsdv", "cr0", "linearmodels", "iid", "hc1")

__all__ = [
    "SE_CONVENTIONS",
    "VCOV_CONVENTIONS",
    "Bands",
    "EarlyTreatmentWarning",
    "Estimate",
    "Forecast",
    "ImpactResult",
    "LeaveOneOut",
    "OnTrack",
    "Panel",
    "PlaceboTest",
    "Progress",
    "ProgressStatus",
    "RegressionResult",
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
    "first_difference",
    "interrupted_time_series",
    "midpoints",
    "on_track",
    "progress",
    "regress",
    "roll_up",
    "sdg_status",
    "synthetic_control",
    "synthetic_did",
    "trend",
    "turn_the_curve",
    "twfe",
]
