"""The programme layer: the aggregate of one programme, its integrity checks, roll-ups and report.

Import from ``civicinnov.programme``. It sits above the analytic wings (:mod:`civicinnov.evaluation`
and :mod:`civicinnov.network`) and below the edges (files, renderers, plots, the command line).

==================  ===================================================================
module (private)    what lives there
==================  ===================================================================
``_records``        sources, provenance, result claims, funding, ties, rosters, problems
``_portfolio``      :class:`Portfolio`: the records, id resolution, the gate, network and
                    peer adapters
``_integrity``      :func:`check_portfolio`: every problem with its ``$.path``
``_rollups``        progress against targets, exact funding sums (unverified amounts left
                    out unless asked for) and what they cover, observed adoptions
``_report``         :class:`ProgrammeReport`: the frozen report model every renderer draws
==================  ===================================================================

Example:
    >>> from civicinnov.model import City
    >>> p = Portfolio(name="Demo", cities=[City(id="mobile", name="Mobile", country="US")])
    >>> build_report(p).overview.cities
    1
"""

from civicinnov.programme._integrity import check_portfolio
from civicinnov.programme._portfolio import Portfolio
from civicinnov.programme._records import (
    Funding,
    FundingKind,
    Problem,
    Provenance,
    Qualifier,
    ResultClaim,
    Roster,
    Source,
    Support,
    SupportPurpose,
    Tie,
    TieKind,
    check_source_dates,
)
from civicinnov.programme._report import SECTIONS, Named, ProgrammeReport, build_report
from civicinnov.programme._rollups import (
    FundingCoverage,
    ObservedAdoption,
    ProgressRow,
    funding_coverage,
    observed_adoptions,
)

__all__ = [
    "SECTIONS",
    "Funding",
    "FundingCoverage",
    "FundingKind",
    "Named",
    "ObservedAdoption",
    "Portfolio",
    "Problem",
    "ProgrammeReport",
    "ProgressRow",
    "Provenance",
    "Qualifier",
    "ResultClaim",
    "Roster",
    "Source",
    "Support",
    "SupportPurpose",
    "Tie",
    "TieKind",
    "build_report",
    "check_portfolio",
    "check_source_dates",
    "funding_coverage",
    "observed_adoptions",
]
