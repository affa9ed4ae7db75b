"""civicinnov: typed models of city-government innovation, the Innovation Teams way.

The public face of the library. Every name in ``__all__`` can be imported from here::

    from civicinnov import Period, as_quantity

Importing ``civicinnov`` is cheap: it loads none of pint, scipy, networkx or cattrs and builds no unit
registry. Each public name is imported from its module the first time it is used.

Example:
    >>> import civicinnov
    >>> civicinnov.Period.parse("2024-Q1").days
    91
    >>> "Period" in dir(civicinnov)
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from civicinnov.errors import (
        CatalogError as CatalogError,
        CivicError as CivicError,
        CivicWarning as CivicWarning,
        ConflictingMetricError as ConflictingMetricError,
        DisaggregationError as DisaggregationError,
        DuplicateMetricError as DuplicateMetricError,
        EstimationError as EstimationError,
        GateError as GateError,
        IdentifierError as IdentifierError,
        IntegrityError as IntegrityError,
        MoneyError as MoneyError,
        NetworkError as NetworkError,
        PanelError as PanelError,
        PeriodError as PeriodError,
        PluginError as PluginError,
        SchemaVersionError as SchemaVersionError,
        SerializationError as SerializationError,
        SeriesError as SeriesError,
        TransitionError as TransitionError,
        UnitError as UnitError,
        UnknownIdError as UnknownIdError,
        ValidationError as ValidationError,
    )
    from civicinnov.evaluation.progress import (
        OnTrack as OnTrack,
        Progress as Progress,
        ProgressStatus as ProgressStatus,
        RollUp as RollUp,
        SDGProgress as SDGProgress,
        SDGStatus as SDGStatus,
        TrackStatus as TrackStatus,
        TurnStatus as TurnStatus,
        TurnTheCurve as TurnTheCurve,
        on_track as on_track,
        progress as progress,
        roll_up as roll_up,
        sdg_status as sdg_status,
        turn_the_curve as turn_the_curve,
    )
    from civicinnov.evaluation.trend import (
        Forecast as Forecast,
        Trend as Trend,
        trend as trend,
    )
    from civicinnov.metrics.catalog import (
        MetricCatalog as MetricCatalog,
        builtin_definitions as builtin_definitions,
    )
    from civicinnov.metrics.definition import (
        Accountability as Accountability,
        Direction as Direction,
        LogicModelStage as LogicModelStage,
        MeasureKind as MeasureKind,
        MetricDefinition as MetricDefinition,
        MetricPlan as MetricPlan,
        MissingDataPolicy as MissingDataPolicy,
        ProximityMetricDefinition as ProximityMetricDefinition,
        Ratio as Ratio,
        RBAQuadrant as RBAQuadrant,
        Reference as Reference,
        SpatialAggregation as SpatialAggregation,
        TemporalAggregation as TemporalAggregation,
    )
    from civicinnov.metrics.series import (
        TOTAL as TOTAL,
        Dimension as Dimension,
        MetricSeries as MetricSeries,
    )
    from civicinnov.metrics.target import (
        Baseline as Baseline,
        Milestone as Milestone,
        Target as Target,
        latest_baseline as latest_baseline,
    )
    from civicinnov.model.challenge import (
        Challenge as Challenge,
        ChallengeStatus as ChallengeStatus,
        ContributingIssue as ContributingIssue,
        PolicyDomain as PolicyDomain,
        PriorityArea as PriorityArea,
    )
    from civicinnov.model.city import (
        City as City,
        Location as Location,
    )
    from civicinnov.model.evidence import (
        EvaluationDesign as EvaluationDesign,
        NestaLevel as NestaLevel,
        SMSLevel as SMSLevel,
        sms_level as sms_level,
    )
    from civicinnov.model.initiative import (
        Idea as Idea,
        IdeaSource as IdeaSource,
        Initiative as Initiative,
        InitiativeStatus as InitiativeStatus,
        PlanStep as PlanStep,
        TargetStage as TargetStage,
        WorkPlan as WorkPlan,
    )
    from civicinnov.model.methodology import (
        STEPS as STEPS,
        Criterion as Criterion,
        CriterionResult as CriterionResult,
        GateContext as GateContext,
        GateReport as GateReport,
        Phase as Phase,
        PhaseChange as PhaseChange,
        Step as Step,
        advance as advance,
        check_gate as check_gate,
        default_criteria as default_criteria,
        idea_longlist as idea_longlist,
    )
    from civicinnov.model.programme import (
        Cohort as Cohort,
        CohortMember as CohortMember,
        ITeam as ITeam,
        Member as Member,
        Partner as Partner,
        PartnerKind as PartnerKind,
        Role as Role,
    )
    from civicinnov.money import (
        Money as Money,
        Rate as Rate,
        RateTable as RateTable,
    )
    from civicinnov.network.analysis import (
        Broker as Broker,
        Communities as Communities,
        CrossBorderTies as CrossBorderTies,
        Diffusion as Diffusion,
        Peer as Peer,
        PeerRanking as PeerRanking,
        PeerWeights as PeerWeights,
        Reach as Reach,
        SeedSelection as SeedSelection,
        Spread as Spread,
        brokers as brokers,
        communities as communities,
        cross_border_ties as cross_border_ties,
        diffusion as diffusion,
        peers as peers,
        reach as reach,
        select_seeds as select_seeds,
        simulate_spread as simulate_spread,
    )
    from civicinnov.network.graph import (
        Adoption as Adoption,
        CityNetwork as CityNetwork,
        NodeKind as NodeKind,
        Relation as Relation,
        RelationKind as RelationKind,
        haversine_km as haversine_km,
        proximity_pairs as proximity_pairs,
    )
    from civicinnov.periods import (
        DAY as DAY,
        HALF as HALF,
        MONTH as MONTH,
        QUARTER as QUARTER,
        WEEK as WEEK,
        YEAR as YEAR,
        Frequency as Frequency,
        Period as Period,
        PeriodType as PeriodType,
        fiscal_year as fiscal_year,
        parse_period as parse_period,
    )
    from civicinnov.units import (
        as_quantity as as_quantity,
        define_units as define_units,
        get_registry as get_registry,
        parse_unit as parse_unit,
    )

#: Where each public name lives. ``tests/test_public_api.py`` checks this against the imports above.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "CatalogError",
            "CivicError",
            "CivicWarning",
            "ConflictingMetricError",
            "DisaggregationError",
            "DuplicateMetricError",
            "EstimationError",
            "GateError",
            "IdentifierError",
            "IntegrityError",
            "MoneyError",
            "NetworkError",
            "PanelError",
            "PeriodError",
            "PluginError",
            "SchemaVersionError",
            "SerializationError",
            "SeriesError",
            "TransitionError",
            "UnitError",
            "UnknownIdError",
            "ValidationError",
        ],
        "civicinnov.errors",
    ),
    **dict.fromkeys(
        [
            "DAY",
            "HALF",
            "MONTH",
            "QUARTER",
            "WEEK",
            "YEAR",
            "Frequency",
            "Period",
            "PeriodType",
            "fiscal_year",
            "parse_period",
        ],
        "civicinnov.periods",
    ),
    **dict.fromkeys(
        ["as_quantity", "define_units", "get_registry", "parse_unit"], "civicinnov.units"
    ),
    **dict.fromkeys(["Money", "Rate", "RateTable"], "civicinnov.money"),
    **dict.fromkeys(
        [
            "Adoption",
            "CityNetwork",
            "NodeKind",
            "Relation",
            "RelationKind",
            "haversine_km",
            "proximity_pairs",
        ],
        "civicinnov.network.graph",
    ),
    **dict.fromkeys(
        [
            "Broker",
            "Communities",
            "CrossBorderTies",
            "Diffusion",
            "Peer",
            "PeerRanking",
            "PeerWeights",
            "Reach",
            "SeedSelection",
            "Spread",
            "brokers",
            "communities",
            "cross_border_ties",
            "diffusion",
            "peers",
            "reach",
            "select_seeds",
            "simulate_spread",
        ],
        "civicinnov.network.analysis",
    ),
    **dict.fromkeys(
        [
            "Accountability",
            "Direction",
            "LogicModelStage",
            "MeasureKind",
            "MetricDefinition",
            "MetricPlan",
            "MissingDataPolicy",
            "ProximityMetricDefinition",
            "RBAQuadrant",
            "Ratio",
            "Reference",
            "SpatialAggregation",
            "TemporalAggregation",
        ],
        "civicinnov.metrics.definition",
    ),
    **dict.fromkeys(["MetricCatalog", "builtin_definitions"], "civicinnov.metrics.catalog"),
    **dict.fromkeys(["TOTAL", "Dimension", "MetricSeries"], "civicinnov.metrics.series"),
    **dict.fromkeys(
        ["Baseline", "Milestone", "Target", "latest_baseline"], "civicinnov.metrics.target"
    ),
    **dict.fromkeys(
        [
            "OnTrack",
            "Progress",
            "ProgressStatus",
            "RollUp",
            "SDGProgress",
            "SDGStatus",
            "TrackStatus",
            "TurnStatus",
            "TurnTheCurve",
            "on_track",
            "progress",
            "roll_up",
            "sdg_status",
            "turn_the_curve",
        ],
        "civicinnov.evaluation.progress",
    ),
    **dict.fromkeys(["Forecast", "Trend", "trend"], "civicinnov.evaluation.trend"),
    **dict.fromkeys(["City", "Location"], "civicinnov.model.city"),
    **dict.fromkeys(
        ["Cohort", "CohortMember", "ITeam", "Member", "Partner", "PartnerKind", "Role"],
        "civicinnov.model.programme",
    ),
    **dict.fromkeys(
        ["Challenge", "ChallengeStatus", "ContributingIssue", "PolicyDomain", "PriorityArea"],
        "civicinnov.model.challenge",
    ),
    **dict.fromkeys(
        [
            "Idea",
            "IdeaSource",
            "Initiative",
            "InitiativeStatus",
            "PlanStep",
            "TargetStage",
            "WorkPlan",
        ],
        "civicinnov.model.initiative",
    ),
    **dict.fromkeys(
        ["EvaluationDesign", "NestaLevel", "SMSLevel", "sms_level"], "civicinnov.model.evidence"
    ),
    **dict.fromkeys(
        [
            "STEPS",
            "Criterion",
            "CriterionResult",
            "GateContext",
            "GateReport",
            "Phase",
            "PhaseChange",
            "Step",
            "advance",
            "check_gate",
            "default_criteria",
            "idea_longlist",
        ],
        "civicinnov.model.methodology",
    ),
}

__all__ = [
    "DAY",
    "HALF",
    "MONTH",
    "QUARTER",
    "STEPS",
    "TOTAL",
    "WEEK",
    "YEAR",
    "Accountability",
    "Adoption",
    "Baseline",
    "Broker",
    "CatalogError",
    "Challenge",
    "ChallengeStatus",
    "City",
    "CityNetwork",
    "CivicError",
    "CivicWarning",
    "Cohort",
    "CohortMember",
    "Communities",
    "ConflictingMetricError",
    "ContributingIssue",
    "Criterion",
    "CriterionResult",
    "CrossBorderTies",
    "Diffusion",
    "Dimension",
    "Direction",
    "DisaggregationError",
    "DuplicateMetricError",
    "EstimationError",
    "EvaluationDesign",
    "Forecast",
    "Frequency",
    "GateContext",
    "GateError",
    "GateReport",
    "ITeam",
    "Idea",
    "IdeaSource",
    "IdentifierError",
    "Initiative",
    "InitiativeStatus",
    "IntegrityError",
    "Location",
    "LogicModelStage",
    "MeasureKind",
    "Member",
    "MetricCatalog",
    "MetricDefinition",
    "MetricPlan",
    "MetricSeries",
    "Milestone",
    "MissingDataPolicy",
    "Money",
    "MoneyError",
    "NestaLevel",
    "NetworkError",
    "NodeKind",
    "OnTrack",
    "PanelError",
    "Partner",
    "PartnerKind",
    "Peer",
    "PeerRanking",
    "PeerWeights",
    "Period",
    "PeriodError",
    "PeriodType",
    "Phase",
    "PhaseChange",
    "PlanStep",
    "PluginError",
    "PolicyDomain",
    "PriorityArea",
    "Progress",
    "ProgressStatus",
    "ProximityMetricDefinition",
    "RBAQuadrant",
    "Rate",
    "RateTable",
    "Ratio",
    "Reach",
    "Reference",
    "Relation",
    "RelationKind",
    "Role",
    "RollUp",
    "SDGProgress",
    "SDGStatus",
    "SMSLevel",
    "SchemaVersionError",
    "SeedSelection",
    "SerializationError",
    "SeriesError",
    "SpatialAggregation",
    "Spread",
    "Step",
    "Target",
    "TargetStage",
    "TemporalAggregation",
    "TrackStatus",
    "TransitionError",
    "Trend",
    "TurnStatus",
    "TurnTheCurve",
    "UnitError",
    "UnknownIdError",
    "ValidationError",
    "WorkPlan",
    "advance",
    "as_quantity",
    "brokers",
    "builtin_definitions",
    "check_gate",
    "communities",
    "cross_border_ties",
    "default_criteria",
    "define_units",
    "diffusion",
    "fiscal_year",
    "get_registry",
    "haversine_km",
    "idea_longlist",
    "latest_baseline",
    "on_track",
    "parse_period",
    "parse_unit",
    "peers",
    "progress",
    "proximity_pairs",
    "reach",
    "roll_up",
    "sdg_status",
    "select_seeds",
    "simulate_spread",
    "sms_level",
    "trend",
    "turn_the_curve",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        if name == "__version__":
            from importlib.metadata import version

            return version("civicinnov")
        raise AttributeError(f"module 'civicinnov' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
