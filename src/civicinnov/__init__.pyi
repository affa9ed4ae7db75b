# The public face of civicinnov: the names a newcomer needs first, each from its layer's face.
#
# This stub is the one list of the root's names. mypy reads it; at run time ``__init__.py`` reads
# the same imports to resolve each name lazily on first use (the scientific-python SPEC 1 pattern),
# so ``import civicinnov`` loads none of pint, scipy, networkx or cattrs. Everything else is
# imported from its subpackage: ``civicinnov.model``, ``civicinnov.metrics``,
# ``civicinnov.evaluation``, ``civicinnov.network``, ``civicinnov.programme``, ``civicinnov.io``,
# ``civicinnov.render``.

from civicinnov.datasets import load_iteams as load_iteams
from civicinnov.errors import (
    CivicError as CivicError,
    IntegrityError as IntegrityError,
    UnitError as UnitError,
    UnknownIdError as UnknownIdError,
    ValidationError as ValidationError,
)
from civicinnov.evaluation import (
    ImpactResult as ImpactResult,
    Panel as Panel,
    callaway_santanna as callaway_santanna,
    did_2x2 as did_2x2,
    event_study as event_study,
    interrupted_time_series as interrupted_time_series,
    on_track as on_track,
    progress as progress,
    roll_up as roll_up,
    synthetic_control as synthetic_control,
    synthetic_did as synthetic_did,
    trend as trend,
    turn_the_curve as turn_the_curve,
    twfe as twfe,
)
from civicinnov.io import (
    load_portfolio as load_portfolio,
    read_observations as read_observations,
    save_portfolio as save_portfolio,
    write_observations as write_observations,
)
from civicinnov.metrics import (
    Baseline as Baseline,
    Direction as Direction,
    MetricCatalog as MetricCatalog,
    MetricDefinition as MetricDefinition,
    MetricSeries as MetricSeries,
    Milestone as Milestone,
    Target as Target,
)
from civicinnov.model import (
    Challenge as Challenge,
    City as City,
    Cohort as Cohort,
    ContributingIssue as ContributingIssue,
    GateContext as GateContext,
    Idea as Idea,
    Initiative as Initiative,
    InitiativeStatus as InitiativeStatus,
    ITeam as ITeam,
    Partner as Partner,
    Phase as Phase,
    PriorityArea as PriorityArea,
    SMSLevel as SMSLevel,
    advance as advance,
    check_gate as check_gate,
)
from civicinnov.money import Money as Money
from civicinnov.network import (
    CityNetwork as CityNetwork,
    brokers as brokers,
    communities as communities,
    peers as peers,
)
from civicinnov.periods import (
    Period as Period,
    PeriodType as PeriodType,
    fiscal_year as fiscal_year,
    parse_period as parse_period,
)
from civicinnov.programme import (
    Funding as Funding,
    FundingKind as FundingKind,
    Portfolio as Portfolio,
    ResultClaim as ResultClaim,
    Source as Source,
    build_report as build_report,
)
from civicinnov.units import (
    as_quantity as as_quantity,
    get_registry as get_registry,
    parse_unit as parse_unit,
    register_units as register_units,
)

__version__: str
