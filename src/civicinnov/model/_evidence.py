"""Evidence scales: the Maryland Scientific Methods Scale, Nesta's Standards of Evidence, and
evaluation designs mapped to the SMS level they can reach.

- :class:`SMSLevel` rates a study's internal validity from 1 (a correlation at one point in time) to
  5 (random assignment). Source: Sherman et al., *Preventing Crime: What Works, What Doesn't, What's
  Promising* (1997), revised by Farrington et al. (2002); the method-to-level mapping follows the
  What Works Centre for Local Growth scoring guide (2016).
- :class:`NestaLevel` rates how far an intervention's evidence has come, from an account of impact
  (a theory of change) to being run at scale by others. Source: Puttick and Ludlow, *Standards of
  Evidence* (Nesta, 2012/2013), adapted from Project Oracle.
- :class:`EvaluationDesign` names the designs :mod:`civicinnov.evaluation` implements or that a
  study may report; :func:`sms_level` gives the highest SMS level the design can reach when it is
  well carried out (an evaluator may score a weak implementation lower).

Example:
    >>> sms_level(EvaluationDesign.DID)
    <SMSLevel.COMPARISON_GROUP: 3>
    >>> sms_level("rct") > sms_level("before_after")
    True
"""

from __future__ import annotations

import enum

from civicinnov.errors import ValidationError

__all__ = ["EvaluationDesign", "NestaLevel", "SMSLevel", "sms_level"]


class SMSLevel(enum.IntEnum):
    """Maryland Scientific Methods Scale, 1 (weakest) to 5 (strongest internal validity).

    1. a correlation between the programme and the outcome at one point in time, or a before/after
       comparison of treated units alone, without controls;
    2. as 1, but with adequate control variables or matching, or a clearly observed time order;
    3. a before/after comparison *with* a comparable untreated group (difference-in-differences,
       panel methods);
    4. quasi-random variation in treatment (instrumental variables, regression discontinuity);
    5. random assignment of comparable units to treatment and control.

    Example:
        >>> SMSLevel(5).name
        'RANDOMISED'
    """

    CORRELATION = 1
    CONTROLLED = 2
    COMPARISON_GROUP = 3
    QUASI_RANDOM = 4
    RANDOMISED = 5


class NestaLevel(enum.IntEnum):
    """Nesta Standards of Evidence, 1 to 5.

    1. an account of impact: what the intervention does and why it should help (a theory of change);
    2. correlation: data show change among the people served, but not that the intervention caused
       it;
    3. causation: a control group or another well-justified method shows the intervention causes
       the impact;
    4. independent replication: an independent evaluation confirms the impact, at a reasonable cost;
    5. scaled: others can run it elsewhere, at scale, with continued positive impact.

    Example:
        >>> NestaLevel.CAUSATION.value
        3
    """

    ACCOUNT_OF_IMPACT = 1
    CORRELATION = 2
    CAUSATION = 3
    INDEPENDENT_REPLICATION = 4
    SCALED = 5


class EvaluationDesign(enum.Enum):
    """An evaluation design.

    Example:
        >>> EvaluationDesign("synthetic_control")
        <EvaluationDesign.SYNTHETIC_CONTROL: 'synthetic_control'>
    """

    RCT = "rct"
    RDD = "rdd"
    IV = "iv"
    DID = "did"
    STAGGERED_DID = "staggered_did"
    EVENT_STUDY = "event_study"
    PANEL = "panel"
    MATCHING = "matching"
    SYNTHETIC_CONTROL = "synthetic_control"
    INTERRUPTED_TIME_SERIES = "interrupted_time_series"
    CROSS_SECTION_WITH_CONTROLS = "cross_section_with_controls"
    BEFORE_AFTER = "before_after"
    CROSS_SECTION = "cross_section"


_SMS: dict[EvaluationDesign, SMSLevel] = {
    EvaluationDesign.RCT: SMSLevel.RANDOMISED,
    EvaluationDesign.RDD: SMSLevel.QUASI_RANDOM,
    EvaluationDesign.IV: SMSLevel.QUASI_RANDOM,
    EvaluationDesign.DID: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.STAGGERED_DID: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.EVENT_STUDY: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.PANEL: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.MATCHING: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.SYNTHETIC_CONTROL: SMSLevel.COMPARISON_GROUP,
    EvaluationDesign.INTERRUPTED_TIME_SERIES: SMSLevel.CONTROLLED,
    EvaluationDesign.CROSS_SECTION_WITH_CONTROLS: SMSLevel.CONTROLLED,
    EvaluationDesign.BEFORE_AFTER: SMSLevel.CORRELATION,
    EvaluationDesign.CROSS_SECTION: SMSLevel.CORRELATION,
}


def sms_level(design: EvaluationDesign | str) -> SMSLevel:
    """The highest Maryland SMS level ``design`` reaches when well carried out.

    Mapping (What Works Centre for Local Growth, 2016): RCT 5; RDD and IV 4; difference-in-differences
    (2x2, staggered, event study), panel methods, matching (propensity scores) and synthetic control
    3; an interrupted time series without a comparison group, or a cross-section with controls, 2;
    a before/after comparison or a plain cross-section 1.

    Parameters:
        design: An :class:`EvaluationDesign` or its value (``"rct"``, ``"iv"``...).

    Returns:
        The SMS level, from 1 (before/after) to 5 (randomised controlled trial).

    Raises:
        ValidationError: ``design`` is not an evaluation design.

    Example:
        >>> sms_level("iv"), sms_level(EvaluationDesign.INTERRUPTED_TIME_SERIES)
        (<SMSLevel.QUASI_RANDOM: 4>, <SMSLevel.CONTROLLED: 2>)
        >>> sms_level("survey")
        Traceback (most recent call last):
        ...
        civicinnov.errors.ValidationError: design: expected an EvaluationDesign ('rct', ...), got 'survey'
    """
    if not isinstance(design, EvaluationDesign):
        try:
            design = EvaluationDesign(design)
        except ValueError:
            allowed = ", ".join(repr(d.value) for d in EvaluationDesign)
            raise ValidationError(
                f"design: expected an EvaluationDesign ({allowed}), got {design!r}"
            ) from None
    return _SMS[design]
