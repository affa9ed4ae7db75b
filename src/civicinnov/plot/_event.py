"""The event-study chart: coefficients by event time with their confidence intervals."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

import numpy as np

from civicinnov.errors import ValidationError
from civicinnov.evaluation import ImpactResult, StaggeredResult
from civicinnov.i18n import Translator, format_number, format_percent, translator
from civicinnov.model import EvaluationDesign
from civicinnov.plot._figure import caption, locale_ticks, new_figure, unit_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_event_study"]

_EVENT_TERM = re.compile(r"^(?:event|dynamic)_(-?\d+)$")


def _method(estimator: str, _: Translator) -> str:
    """An estimator's name in words."""
    if estimator == "callaway_santanna":
        return _("Callaway and Sant'Anna")
    try:
        return _.label(EvaluationDesign(estimator))
    except ValueError:
        return estimator.replace("_", " ")


def _headline(name: str, _: Translator) -> str:
    if name == "post_average":
        return _("Average effect after adoption")
    if name == "dynamic_overall":
        return _("Average effect over the periods after adoption")
    return _("Estimate")


def plot_event_study(
    result: ImpactResult | StaggeredResult,
    *,
    reference: int | None = -1,
    lang: str = "en",
) -> Figure:
    """Draw event-study coefficients by event time with their confidence intervals.

    ``result`` is what :func:`civicinnov.evaluation.impact.event_study` returns (terms
    ``event_<e>``), a dynamic aggregation ``callaway_santanna(...).aggregate("dynamic")`` (terms
    ``dynamic_<e>``), or a :class:`~civicinnov.evaluation.staggered.StaggeredResult`, which is
    aggregated by event time here. Points are the estimates, vertical bars their intervals at the
    result's ``ci_level``; a horizontal line marks zero and a dotted vertical line the adoption
    (between e = −1 and e = 0). ``reference`` is the omitted period the estimates are measured
    against (−1 by the convention of :func:`~civicinnov.evaluation.impact.event_study`): it is
    drawn as a hollow marker at zero unless the result estimates that period itself (as
    Callaway–Sant'Anna's aggregation does); ``None`` draws no reference marker.

    The title says in words what is drawn and by which method, and its second line gives the
    headline estimate with its unit and interval ("Average effect after adoption: −756 dwelling
    (95% confidence interval −900 to −612)"); the y axis carries the outcome's unit.

    Parameters:
        result: the estimates.
        reference: the omitted event time, or ``None``.
        lang: the language of the labels (numbers are written as it writes them).

    Returns:
        The figure, with one axes.

    Raises:
        ValidationError: the result holds no event-time terms; an unknown language.
        ImportError: matplotlib is not installed.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation.impact import Panel, event_study as estimate
        >>> units = np.repeat(np.arange(6), 4); periods = np.tile(np.arange(4), 6)
        >>> y = units * 1.0 + periods * 0.5 + np.where((units < 3) & (periods >= 2), 2.0, 0.0)
        >>> y = y + np.tile([0.01, -0.01, 0.0, 0.02], 6) * units
        >>> r = estimate(Panel.from_arrays(units=units, periods=periods, outcome=y, unit="case",
        ...     first_treated={0: 2, 1: 2, 2: 2, 3: None, 4: None, 5: None}), vcov="hc1")
        >>> fig = plot_event_study(r)
        >>> ax = fig.axes[0]
        >>> ax.get_ylabel()
        'Effect on the outcome (case)'
        >>> ax.get_title().splitlines()[0]
        'Effect by period relative to adoption (Event study)'
        >>> [p.get_gid() for p in ax.lines]
        ['zero', 'adoption', 'estimates', 'reference']
        >>> ax.lines[2].get_xdata().tolist()
        [-2, 0, 1]
    """
    _ = translator(lang)
    if isinstance(result, StaggeredResult):
        result = result.aggregate("dynamic")
    rows = []
    for term in result.terms:
        match = _EVENT_TERM.match(term.name)
        if match:
            rows.append((int(match.group(1)), term.value, term.ci_low, term.ci_high))
    if not rows:
        raise ValidationError(
            "result.terms: expected event-time terms named event_<e> or dynamic_<e> (from "
            "event_study() or callaway_santanna(...).aggregate('dynamic')), got "
            f"{[t.name for t in result.terms]} from estimator {result.estimator!r}"
        )
    data = np.array(sorted(rows), dtype=np.float64)
    e = data[:, 0].astype(np.int64)
    value, low, high = data[:, 1], data[:, 2], data[:, 3]
    unit = unit_text(result.outcome_unit, lang)
    level = format_percent(result.ci_level, lang)

    fig = new_figure((6.6, 4.2))
    ax = fig.add_subplot()
    zero = ax.axhline(0.0, color="black", linewidth=0.8)
    zero.set_gid("zero")
    adoption = ax.axvline(-0.5, color="#777777", linestyle=":", linewidth=1.0)
    adoption.set_gid("adoption")
    bars = ax.vlines(
        e,
        low,
        high,
        color="#0072B2",
        linewidth=1.5,
        label=_("{level} confidence interval", level=level),
    )
    bars.set_gid("intervals")
    (points,) = ax.plot(e, value, "o", color="#0072B2", label=_("Estimate"))
    points.set_gid("estimates")
    if reference is not None and reference not in set(e.tolist()):
        (ref,) = ax.plot(
            [reference],
            [0.0],
            "o",
            markerfacecolor="white",
            markeredgecolor="black",
            label=_("Reference period (e = {e})", e=str(reference)),
        )
        ref.set_gid("reference")
    lo_e = min(int(e.min()), reference if reference is not None else int(e.min()))
    hi_e = max(int(e.max()), reference if reference is not None else int(e.max()))
    if hi_e - lo_e <= 20:
        ax.set_xticks(np.arange(lo_e, hi_e + 1))
    else:
        from matplotlib.ticker import MaxNLocator  # the plot extra, loaded on use

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    locale_ticks(ax.yaxis, lang)
    ax.set_xlabel(_("Periods relative to adoption"))
    ax.set_ylabel(textwrap.fill(_("Effect on the outcome ({unit})", unit=unit), width=40))
    head = result.estimate
    first = _(
        "Effect by period relative to adoption ({method})", method=_method(result.estimator, _)
    )
    second = _(
        "{estimate}: {value} {unit} ({level} confidence interval {low} to {high})",
        estimate=_headline(head.name, _),
        value=format_number(float(f"{head.value:.3g}"), lang),
        unit=unit,
        level=level,
        low=format_number(float(f"{head.ci_low:.3g}"), lang),
        high=format_number(float(f"{head.ci_high:.3g}"), lang),
    )
    if len(second) > 60 and " (" in second:
        # the interval on its own line rather than cut mid-phrase
        head_text, _sep, rest = second.partition(" (")
        second = head_text + "\n(" + rest
    lines = [textwrap.fill(line, width=70) for line in second.split("\n")]
    ax.set_title("\n".join([first, *lines]), fontsize="medium")
    caption(fig, first, second.replace("\n", " "))
    ax.legend(loc="best", fontsize="small")
    return fig
