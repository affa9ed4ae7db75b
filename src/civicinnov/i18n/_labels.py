"""The English label of every member of every enum a report, a site or a chart shows.

English is the source language: these labels are the message ids of the catalogues, with the
enum's class name as the gettext context (``msgctxt "Phase"``, ``msgid "Getting started"``), so two
enums may label members alike ("No data") and still be translated apart.

What does not live here: the translations (``locale/<lang>/LC_MESSAGES/civicinnov.po``) and the
lookup (:mod:`civicinnov.i18n._translate`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from civicinnov.evaluation import (
    ProgressStatus,
    SDGStatus,
    TrackStatus,
    TurnStatus,
    WarningCode,
)
from civicinnov.metrics import (
    Accountability,
    Direction,
    LogicModelStage,
    MeasureKind,
    MissingDataPolicy,
    ObservationStatus,
    RBAQuadrant,
    SpatialAggregation,
    TemporalAggregation,
)
from civicinnov.model import (
    ChallengeStatus,
    EvaluationDesign,
    IdeaSource,
    InitiativeStatus,
    NestaLevel,
    PartnerKind,
    Phase,
    PolicyDomain,
    Role,
    SMSLevel,
    TargetStage,
)
from civicinnov.network import NodeKind, RelationKind
from civicinnov.periods import Frequency
from civicinnov.programme import FundingKind, SupportPurpose, TieKind

__all__ = ["ENGLISH_LABELS", "LABELLED_ENUMS"]

#: English labels by enum class, then by member *name* (names, not values: members of two
#: ``IntEnum`` s with equal values are equal, so they cannot share one dictionary).
ENGLISH_LABELS: Mapping[type[enum.Enum], Mapping[str, str]] = {
    Phase: {
        "GETTING_STARTED": "Getting started",
        "INVESTIGATE": "Investigate the problem",
        "GENERATE": "Generate new ideas",
        "PREPARE": "Prepare to deliver",
        "DELIVER": "Deliver and adapt",
        "COMPLETE": "Complete",
    },
    InitiativeStatus: {
        "CANDIDATE": "Candidate",
        "SELECTED": "Selected",
        "PLANNED": "Planned",
        "PROTOTYPING": "Prototyping",
        "PILOTING": "Piloting",
        "DELIVERING": "Delivering",
        "SCALED": "Scaled",
        "HANDED_OFF": "Handed off",
        "STOPPED": "Stopped",
    },
    TargetStage: {"PRELIMINARY": "Preliminary", "FINAL": "Final"},
    IdeaSource: {
        "OTHER_CITY": "Another city",
        "RESEARCH_EVIDENCE": "Research evidence",
        "RESIDENT_CO_DESIGN": "Co-design with residents",
        "STAFF": "City staff",
        "EXPERT": "Expert",
        "CROWDSOURCED": "Crowdsourced",
    },
    ChallengeStatus: {"PRELIMINARY": "Preliminary", "FINAL": "Final", "RETIRED": "Retired"},
    PolicyDomain: {
        "PUBLIC_SAFETY": "Public safety",
        "HOUSING": "Housing",
        "BLIGHT_AND_VACANCY": "Blight and vacancy",
        "ECONOMIC_DEVELOPMENT": "Economic development",
        "INFRASTRUCTURE": "Infrastructure",
        "HOMELESSNESS": "Homelessness",
        "CUSTOMER_SERVICE": "Customer service",
        "HEALTH": "Health",
        "EDUCATION": "Education",
        "TRANSPORT": "Transport",
        "ENVIRONMENT": "Environment",
        "SOCIAL_INCLUSION": "Social inclusion",
        "COST_OF_LIVING": "Cost of living",
        "OTHER": "Other",
    },
    PartnerKind: {
        "FUNDER": "Funder",
        "NATIONAL_PARTNER": "National partner",
        "TECHNICAL_ASSISTANCE": "Technical assistance",
        "KNOWLEDGE_PARTNER": "Knowledge partner",
        "NETWORK": "Network",
        "UNIVERSITY": "University",
        "OTHER": "Other",
    },
    Role: {
        "MAYOR": "Mayor",
        "CITY_MANAGER": "City manager",
        "CHIEF_OF_STAFF": "Chief of staff",
        "DIRECTOR": "Director",
        "DEPUTY_DIRECTOR": "Deputy director",
        "PROJECT_MANAGER": "Project manager",
        "JUNIOR_PROJECT_MANAGER": "Junior project manager",
        "PERFORMANCE_MANAGER": "Performance manager",
        "DATA_ANALYST": "Data analyst",
        "RESEARCHER": "Researcher",
        "DESIGNER": "Designer",
        "PROGRAMMER": "Programmer",
        "FELLOW": "Fellow",
        "FACULTY_FELLOW": "Faculty fellow",
        "OTHER": "Other",
    },
    SMSLevel: {
        "CORRELATION": "Level 1: correlation",
        "CONTROLLED": "Level 2: with controls",
        "COMPARISON_GROUP": "Level 3: comparison group",
        "QUASI_RANDOM": "Level 4: quasi-random",
        "RANDOMISED": "Level 5: randomised",
    },
    NestaLevel: {
        "ACCOUNT_OF_IMPACT": "Level 1: account of impact",
        "CORRELATION": "Level 2: correlation",
        "CAUSATION": "Level 3: causation",
        "INDEPENDENT_REPLICATION": "Level 4: independent replication",
        "SCALED": "Level 5: scaled",
    },
    EvaluationDesign: {
        "RCT": "Randomised controlled trial",
        "RDD": "Regression discontinuity",
        "IV": "Instrumental variables",
        "DID": "Difference-in-differences",
        "STAGGERED_DID": "Staggered difference-in-differences",
        "EVENT_STUDY": "Event study",
        "PANEL": "Panel regression",
        "MATCHING": "Matching",
        "SYNTHETIC_CONTROL": "Synthetic control",
        "INTERRUPTED_TIME_SERIES": "Interrupted time series",
        "CROSS_SECTION_WITH_CONTROLS": "Cross-section with controls",
        "BEFORE_AFTER": "Before and after",
        "CROSS_SECTION": "Cross-section",
    },
    ProgressStatus: {
        "NO_DATA": "No data",
        "NO_BASELINE": "No baseline",
        "REGRESSED": "Regressed",
        "NOT_STARTED": "Not started",
        "IN_PROGRESS": "In progress",
        "ACHIEVED": "Achieved",
        "EXCEEDED": "Exceeded",
    },
    TrackStatus: {
        "NO_DATA": "No data",
        "BEHIND": "Behind",
        "ON_TRACK": "On track",
        "AHEAD": "Ahead",
    },
    SDGStatus: {
        "TARGET_ACHIEVED": "Target achieved",
        "SUBSTANTIAL_PROGRESS": "Substantial progress",
        "MODERATE_PROGRESS": "Moderate progress",
        "LIMITED_PROGRESS": "Limited progress",
        "DETERIORATION": "Deterioration",
        "NOT_AVAILABLE": "Not available",
    },
    TurnStatus: {
        "TURNED": "The curve turned",
        "NO_CLEAR_CHANGE": "No clear change",
        "WORSE": "Worse than the trend",
    },
    Direction: {
        "INCREASE": "Increase",
        "DECREASE": "Decrease",
        "MAINTAIN": "Maintain",
        "NONE": "No direction",
    },
    ObservationStatus: {
        "FINAL": "Final",
        "REVISED": "Revised",
        "PROVISIONAL": "Provisional",
        "ESTIMATED": "Estimated",
        "MISSING": "Missing",
    },
    MeasureKind: {
        "UNIT": "Amount",
        "STOCK": "Stock on a date",
        "AVERAGE": "Average",
        "PERCENTAGE": "Percentage",
        "NOMINAL": "Category",
        "ORDINAL": "Ordered category",
        "QUALITATIVE": "Qualitative",
    },
    RBAQuadrant: {
        "QUANTITY_OF_EFFORT": "How much did we do?",
        "QUALITY_OF_EFFORT": "How well did we do it?",
        "QUANTITY_OF_EFFECT": "Is anyone better off? (number)",
        "QUALITY_OF_EFFECT": "Is anyone better off? (share)",
    },
    LogicModelStage: {
        "INPUT": "Input",
        "ACTIVITY": "Activity",
        "OUTPUT": "Output",
        "OUTCOME": "Outcome",
        "IMPACT": "Impact",
    },
    Accountability: {"POPULATION": "Population", "PERFORMANCE": "Performance"},
    RelationKind: {
        "COHORT_PEER": "Cohort peer",
        "PARTNERSHIP": "Partnership",
        "EXCHANGE": "Exchange",
        "ADOPTION": "Adoption",
        "INTERMEDIARY": "Intermediary",
        "PROXIMITY": "Proximity",
        "CROSS_BORDER_METRO": "Cross-border metropolitan area",
        "BORDER": "Border",
        "ACROSS_WATER": "Across the water",
        "CULTURAL": "Shared culture",
        "SUPPORT": "Support",
    },
    NodeKind: {"CITY": "City", "ORGANISATION": "Organisation", "COUNTRY": "Country"},
    SupportPurpose: {
        "HOSTING": "Hosting",
        "TRAINING": "Training",
        "TECHNICAL_ASSISTANCE": "Technical assistance",
        "FELLOWSHIPS": "Fellowships",
        "GRANTS": "Grants",
        "RESEARCH": "Research on impact",
        "STUDENT_PLACEMENT": "Student placements",
        "PEER_LEARNING": "Peer-to-peer learning",
    },
    FundingKind: {
        "GRANT": "Grant",
        "LOCAL_MATCH": "Local match",
        "SECURED": "Secured funding",
        "INVESTMENT": "Investment",
    },
    TieKind: {
        "CROSS_BORDER_METRO": "Cross-border metropolitan area",
        "BORDER": "Border",
        "ACROSS_WATER": "Across the water",
        "CULTURAL": "Shared culture",
    },
    TemporalAggregation: {
        "SUM": "Sum",
        "MEAN": "Mean",
        "LAST": "Last value",
        "FIRST": "First value",
        "MIN": "Minimum",
        "MAX": "Maximum",
        "RATIO_OF_SUMS": "Ratio of sums",
        "NONE": "Not aggregated",
    },
    SpatialAggregation: {
        "SUM": "Sum",
        "MEAN": "Mean",
        "RATIO_OF_SUMS": "Ratio of sums",
        "NONE": "Not aggregated",
    },
    MissingDataPolicy: {
        "NEVER_SKIP": "Never skip",
        "SKIP_IF_ANY_MISSING": "Skip if any value is missing",
        "SKIP_IF_ALL_MISSING": "Skip if all values are missing",
    },
    WarningCode: {
        "FEW_CLUSTERS": "Few clusters",
        "FEW_TREATED_CLUSTERS": "Few treated clusters",
        "FEW_TREATED_UNITS": "Few treated units",
        "PRE_TRENDS_FAIL": "Pre-trends differ",
        "EMPTY_CELLS": "Empty cells",
        "NO_COMPARISON_UNITS": "No comparison units",
        "ROWS_DROPPED": "Rows dropped",
        "STAGGERED_TIMING": "Staggered timing",
        "OUTSIDE_EVENT_WINDOW": "Outside the event window",
        "POOR_PRE_FIT": "Poor fit before adoption",
        "UNDEFINED_SE": "Standard error undefined",
        "POOR_OVERLAP": "Poor overlap",
        "SINGULAR_CONTROLS": "Collinear controls",
    },
    Frequency: {
        "DAY": "Day",
        "WEEK": "Week",
        "MONTH": "Month",
        "QUARTER": "Quarter",
        "HALF": "Half-year",
        "YEAR": "Year",
        "FISCAL_YEAR": "Fiscal year",
        "FISCAL_QUARTER": "Fiscal quarter",
        "FISCAL_MONTH": "Fiscal month",
    },
}

#: Every enum :func:`~civicinnov.i18n.label` knows, in a stable order.
LABELLED_ENUMS: tuple[type[enum.Enum], ...] = tuple(ENGLISH_LABELS)
