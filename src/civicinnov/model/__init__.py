"""The i-team domain model: cities, programmes, challenges, ideas, initiatives, the method, evidence.

This package is the model layer's face: import from ``civicinnov.model``, not from its private
modules. It sits above the ground floor (errors, units, money, periods, value rules) and below
metrics; it imports nothing from the layers above.

============================  ===============================================================
module (private)              what lives there
============================  ===============================================================
``_city``                     :class:`City`, :class:`Location`, ISO 3166 country codes
``_programme``                partners, cohorts, i-teams, members and roles
``_challenge``                priority areas, challenges and their contributing issues
``_initiative``               ideas, initiatives, work plans
``_evidence``                 evaluation designs and the SMS and Nesta evidence scales
``_phase``                    the method's vocabulary: :class:`Phase`, :class:`PhaseChange`,
                              the playbook's :data:`STEPS`
``_gates``                    the gate engine: criteria, :class:`GateReport`, :func:`advance`
(``civicinnov._values``)      :class:`PartialDate` and :class:`DatePrecision`: dates known to
                              the year, the month or the day
============================  ===============================================================

Example:
    >>> from civicinnov.model import Challenge, GateContext, Phase, check_gate
    >>> ch = Challenge(id="blight", city_id="mobile", statement="Reduce blight", phase=Phase.INVESTIGATE)
    >>> check_gate(ch, GateContext()).failing_ids
    ('challenge-final', 'contributing-issues', 'metrics')
"""

from civicinnov._values import DatePrecision, PartialDate
from civicinnov.model._challenge import (
    Challenge,
    ChallengeStatus,
    ContributingIssue,
    PolicyDomain,
    PriorityArea,
)
from civicinnov.model._city import ISO_3166_ALPHA2, City, Location, check_country
from civicinnov.model._evidence import EvaluationDesign, NestaLevel, SMSLevel, sms_level
from civicinnov.model._gates import (
    DEFAULT_CRITERIA,
    Criteria,
    Criterion,
    CriterionResult,
    GateContext,
    GateReport,
    TargetLike,
    advance,
    check_gate,
    default_criteria,
    idea_longlist,
    with_criteria,
)
from civicinnov.model._initiative import (
    Idea,
    IdeaSource,
    Initiative,
    InitiativeStatus,
    PlanStep,
    TargetStage,
    WorkPlan,
)
from civicinnov.model._phase import STEPS, Phase, PhaseChange, Step, steps
from civicinnov.model._programme import (
    Cohort,
    CohortMember,
    ITeam,
    Member,
    Partner,
    PartnerKind,
    Role,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "ISO_3166_ALPHA2",
    "STEPS",
    "Challenge",
    "ChallengeStatus",
    "City",
    "Cohort",
    "CohortMember",
    "ContributingIssue",
    "Criteria",
    "Criterion",
    "CriterionResult",
    "DatePrecision",
    "EvaluationDesign",
    "GateContext",
    "GateReport",
    "ITeam",
    "Idea",
    "IdeaSource",
    "Initiative",
    "InitiativeStatus",
    "Location",
    "Member",
    "NestaLevel",
    "PartialDate",
    "Partner",
    "PartnerKind",
    "Phase",
    "PhaseChange",
    "PlanStep",
    "PolicyDomain",
    "PriorityArea",
    "Role",
    "SMSLevel",
    "Step",
    "TargetLike",
    "TargetStage",
    "WorkPlan",
    "advance",
    "check_country",
    "check_gate",
    "default_criteria",
    "idea_longlist",
    "sms_level",
    "steps",
    "with_criteria",
]
