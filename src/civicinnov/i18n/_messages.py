"""The message ids: every sentence, heading and phrase a report, a site or a chart writes.

English is the source language, so a message id is its English text. Fields are written
``{name}`` (:meth:`str.format` fields, filled by the caller); a translation keeps the same fields.
A message that depends on a count is a pair in :data:`PLURALS` (singular, plural), chosen by the
language's plural rule.

To add a message: add it here and its translation to every ``locale/<lang>/LC_MESSAGES/
civicinnov.po``; ``tests/test_i18n.py`` fails until both are there.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "PLURALS"]

#: Every message id, grouped by where it is shown.
MESSAGES: tuple[str, ...] = (
    # the programme and its sections
    "Programme",
    "Overview",
    "Cohorts",
    "Cohort",
    "Cities",
    "City",
    "Partners",
    "Partner",
    "Organisations",
    "Funding",
    "What the funding covers",
    "Priority areas",
    "Priority area",
    "Challenges",
    "Challenge",
    "Challenges by phase",
    "Contributing issues",
    "Phase",
    "Phase history",
    "Initiatives",
    "Initiative",
    "Initiatives by status",
    "Evidence",
    "Evidence level",
    "Metrics",
    "Metric",
    "Place",
    "Targets",
    "Target",
    "Baseline",
    "Progress",
    "Progress to target",
    "On-track band",
    "Observations",
    "Coverage",
    "Sources",
    "Source",
    "Definition",
    "Network",
    "Brokers",
    "Communities",
    "Cross-border ties",
    "Claims",
    "Reported claims",
    "Results",
    "Peers",
    "Summary",
    "Contents",
    "Notes",
    # table headers and fields
    "Name",
    "Id",
    "Country",
    "Population",
    "Amount",
    "Kind",
    "Status",
    "Value",
    "Period",
    "Unit",
    "Direction",
    "Date",
    "Due",
    "Stage",
    "From",
    "To",
    "Total",
    "Recipient",
    "Purpose",
    "Joined",
    "Verified",
    "Not verified",
    "Yes",
    "No",
    # states and notes
    "No data",
    "No source",
    "No coordinates",
    "Not shown on the map: no coordinates",
    "Unknown",
    "Download the data (CSV)",
    "Download the metric (JSON)",
    "Back to the overview",
    "Language",
    "Made with civicinnov",
    "{name} ({id})",
    "{value} {unit}",
    "{low} to {high}",
    "{count} of {total}",
    # turn the curve
    "Turn the curve",
    "{metric} — {place}",
    "History",
    "Baseline forecast",
    "{level} prediction interval",
    "Actual",
    "Target ({stage}): {value} by {date}",
    "Start",
    # event study and evaluation results
    "Event study",
    "Callaway and Sant'Anna",
    "Effect by period relative to adoption",
    "Effect by period relative to adoption ({method})",
    "Average effect after adoption",
    "Average effect over the periods after adoption",
    "Estimate",
    "{estimate}: {value} {unit} ({level} confidence interval {low} to {high})",
    "Periods relative to adoption",
    "Effect on the outcome ({unit})",
    "{level} confidence interval",
    "Reference period (e = {e})",
    # synthetic control
    "Synthetic control",
    "Treated",
    "Gap",
    "{place} and its synthetic control",
    "Gap: {place} minus its synthetic control",
    "Treatment starts",
    # the funnel
    "Number of initiatives",
    # the network map
    "Network of cities",
    "Detail {letter}",
)

#: Messages that depend on a count: (singular, plural) ids, each with a ``{count}`` field.
PLURALS: tuple[tuple[str, str], ...] = (
    ("{count} city", "{count} cities"),
    ("{count} initiative", "{count} initiatives"),
    ("{count} challenge", "{count} challenges"),
    ("{count} metric", "{count} metrics"),
    ("{count} observation", "{count} observations"),
    ("{count} tie", "{count} ties"),
    ("{count} place not shown (no coordinates)", "{count} places not shown (no coordinates)"),
    ("{count} initiative in all", "{count} initiatives in all"),
)
