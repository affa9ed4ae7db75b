"""The turn-the-curve chart: history, the baseline forecast, actuals and target trajectories."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from civicinnov.errors import ValidationError
from civicinnov.evaluation import TurnStatus, midpoints, trend, turn_the_curve
from civicinnov.i18n import format_date, format_number, format_percent, translator
from civicinnov.metrics import Baseline, Direction, MetricDefinition, MetricSeries, Target
from civicinnov.plot._figure import caption, locale_ticks, new_figure, unit_text
from civicinnov.units import as_quantity, get_registry

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["humanise", "plot_turn_the_curve"]


def humanise(identifier: str) -> str:
    """An id as words, for when no name is given: ``"new-orleans"`` → ``"New Orleans"``.

    Parameters:
        identifier: a slug id.

    Returns:
        Its words, each capitalised.

    Example:
        >>> humanise("new-orleans"), humanise("blighted_properties")
        ('New Orleans', 'Blighted Properties')
    """
    return " ".join(w[:1].upper() + w[1:] for w in identifier.replace("_", "-").split("-") if w)


def _day(value: dt.date | str, where: str) -> float:
    try:
        day = np.datetime64(value, "D")
    except ValueError:
        raise ValidationError(f"{where}: expected a date or ISO date text, got {value!r}") from None
    return float(day.astype(np.float64))


def _as_dates(days: Any) -> Any:
    # as the evaluation layer places a period at its midpoint: the day the half-day falls in
    return np.floor(np.asarray(days, dtype=np.float64)).astype(np.int64).astype("datetime64[D]")


def plot_turn_the_curve(
    series: MetricSeries,
    *,
    start: dt.date | str,
    targets: Target | Iterable[Target] = (),
    baseline: Baseline | None = None,
    definition: MetricDefinition | None = None,
    direction: Direction | None = None,
    place: str | None = None,
    level: float = 0.95,
    max_ticks: int = 10,
    lang: str = "en",
) -> Figure:
    """Draw a turn-the-curve chart: history, baseline forecast, target trajectories, actuals.

    The chart of Results-Based Accountability (M. Friedman, *Trying Hard Is Not Good Enough*,
    2005), with the numbers of :func:`civicinnov.evaluation.progress.turn_the_curve`:

    - **history**: the values of the periods that end before ``start``;
    - **baseline forecast**: the straight-line trend of the history
      (:func:`civicinnov.evaluation.trend.trend`) projected over the whole chart, with its
      ``level`` prediction interval as a band;
    - **actual**: the values of the later periods;
    - **target trajectory**: for each target, a straight line from the baseline (``baseline``'s
      value on its ``as_of`` date; without one, the last history value at its period's midpoint)
      to the target value on its due date; target values are converted to the series' unit;
    - a vertical line at ``start``.

    Each period is placed at its midpoint; ticks carry the period labels (at most ``max_ticks``).
    The title is the metric's name and the place's name (``definition.name`` and ``place``;
    without them, their ids in words); with a ``direction`` (or a ``definition`` whose direction
    is increase or decrease) and later values, a second line gives the verdict. The y axis reads
    ``<metric> (<unit>)``, wrapped to fit. Labels are in ``lang``; numbers and dates are written
    as that language writes them. A disaggregated series is drawn by its totals.

    Parameters:
        series: the metric's values in one place.
        start: when the work started (the first day of "after").
        targets: targets of the same metric.
        baseline: the baseline the trajectories start from.
        definition: the metric's definition (its name and direction).
        direction: the desired direction, if not the definition's.
        place: the place's name, for the title.
        level: the prediction interval's level.
        max_ticks: the most period labels on the x axis.
        lang: the language of the labels.

    Returns:
        The figure, with one axes.

    Raises:
        EstimationError: fewer than 3 history values (no trend to project).
        ValidationError: a target or baseline of another metric; a bad ``start``; an unknown
            language.
        UnitError: a target or baseline whose unit cannot be converted to the series' unit.
        ImportError: matplotlib is not installed.

    Example:
        >>> from civicinnov.metrics.definition import Direction, MetricDefinition
        >>> from civicinnov.metrics.series import MetricSeries
        >>> from civicinnov.metrics.target import Target
        >>> from civicinnov.model import TargetStage
        >>> from civicinnov.periods import YEAR
        >>> d = MetricDefinition(id="murders", name="Murders", unit="incident",
        ...                      direction=Direction.DECREASE)
        >>> s = MetricSeries.from_records(d, place_id="nola", period_type=YEAR, records=[
        ...     ("2015", 100), ("2016", 104), ("2017", 109), ("2018", 111), ("2019", 116),
        ...     ("2020", 101), ("2021", 96)])
        >>> t = Target(id="murders-2023", metric_id="murders", stage=TargetStage.FINAL,
        ...            value="80 incident", due="2023-12-31")
        >>> fig = plot_turn_the_curve(s, start="2020-01-01", targets=[t], definition=d,
        ...                           place="New Orleans")
        >>> ax = fig.axes[0]
        >>> ax.get_ylabel(), ax.get_title()
        ('Murders (incident)', 'Murders — New Orleans\\nThe curve turned')
        >>> [line.get_label() for line in ax.get_legend().get_lines()]
        ['History', 'Baseline forecast', 'Actual', 'Target (final): 80 incident by December 31, 2023']
    """
    _ = translator(lang)
    total = series.total()
    start_day = _day(start, "start")
    target_list: list[Target] = [targets] if isinstance(targets, Target) else list(targets)
    for i, tgt in enumerate(target_list):
        if tgt.metric_id != total.metric_id:
            raise ValidationError(
                f"targets[{i}].metric_id: expected the series' metric {total.metric_id!r}, got "
                f"{tgt.metric_id!r} (target {tgt.id!r})"
            )
    if baseline is not None and baseline.metric_id != total.metric_id:
        raise ValidationError(
            f"baseline.metric_id: expected the series' metric {total.metric_id!r}, got "
            f"{baseline.metric_id!r}"
        )
    mids = midpoints(total)
    ends = total.period_type.ends(total.ordinals).astype(np.float64)
    present = ~np.isnan(total.values)
    pre = (ends < start_day) & present
    post = ~(ends < start_day) & present
    registry = get_registry()
    fit = trend(
        registry.Quantity(total.values[pre], total.unit),
        dates=_as_dates(mids[pre]),
        level=level,
    )
    t_values = np.array(
        [
            as_quantity(t.value, total.unit, where=f"targets[{i}].value").magnitude
            for i, t in enumerate(target_list)
        ],
        dtype=np.float64,
    )
    t_days = np.array([_day(t.due, f"targets[{i}].due") for i, t in enumerate(target_list)])
    if baseline is not None:
        b_value = float(as_quantity(baseline.value, total.unit, where="baseline.value").magnitude)
        b_day = _day(baseline.as_of, "baseline.as_of")
    else:
        last = np.flatnonzero(pre)[-1]
        b_value, b_day = float(total.values[last]), float(mids[last])
    first_day = float(mids[pre][0])
    f_days = np.unique(np.concatenate([mids[mids >= first_day], t_days, [start_day]]))
    forecast = fit.forecast(_as_dates(f_days))
    f_dates = forecast.dates

    verdict: TurnStatus | None = None
    sense = direction if direction is not None else getattr(definition, "direction", None)
    if sense is not None and sense.sign != 0 and post.any():
        start_date = start if isinstance(start, dt.date) else dt.date.fromisoformat(start)
        verdict = turn_the_curve(total, start=start_date, direction=sense, level=level).status

    unit = unit_text(total.unit, lang)
    fig = new_figure((7.0, 4.4))
    ax = fig.add_subplot()
    (history,) = ax.plot(
        _as_dates(mids[pre]), total.values[pre], "o-", color="#0072B2", label=_("History")
    )
    history.set_gid("history")
    (line,) = ax.plot(
        f_dates, forecast.value.magnitude, "--", color="#777777", label=_("Baseline forecast")
    )
    line.set_gid("forecast")
    band = ax.fill_between(
        f_dates,
        forecast.low.magnitude,
        forecast.high.magnitude,
        color="#777777",
        alpha=0.15,
        linewidth=0,
        label=_("{level} prediction interval", level=format_percent(level, lang)),
    )
    band.set_gid("forecast-interval")
    if post.any():
        (actual,) = ax.plot(
            _as_dates(mids[post]), total.values[post], "o-", color="#D55E00", label=_("Actual")
        )
        actual.set_gid("actual")
    for tgt, value, day in zip(target_list, t_values, t_days, strict=True):
        text = _(
            "Target ({stage}): {value} by {date}",
            stage=_.label(tgt.stage).lower(),
            value=_("{value} {unit}", value=format_number(float(value), lang), unit=unit),
            date=format_date(tgt.due, lang),
        )
        (tl,) = ax.plot(
            _as_dates(np.array([b_day, day])),
            [b_value, value],
            ":",
            marker="D",
            markevery=[1],
            color="#009E73",
            label=text,
        )
        tl.set_gid(f"target:{tgt.id}")
    start_line = ax.axvline(_as_dates(np.array([start_day]))[0], color="black", linewidth=0.8)
    start_line.set_gid("start")

    shown = np.flatnonzero(present)
    step = max(1, math.ceil(len(shown) / max(1, max_ticks)))
    ticks = shown[::step]
    labels = total.period_type.labels(total.ordinals[ticks])
    ax.set_xticks(_as_dates(mids[ticks]), labels=list(labels), rotation=30, ha="right")
    name = definition.name if definition is not None else humanise(total.metric_id)
    where = place if place is not None else humanise(total.place_id)
    locale_ticks(ax.yaxis, lang)
    ax.set_ylabel(textwrap.fill(f"{name} ({unit})", width=36))
    ax.set_xlabel(_.label(total.period_type.frequency))
    title = textwrap.fill(_("{metric} — {place}", metric=name, place=where), width=70)
    if verdict is not None:
        title += "\n" + _.label(verdict)
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    observed = total.period_type.labels(total.ordinals[shown[[0, -1]]])
    last = float(total.values[shown[-1]])
    caption(
        fig,
        title,
        _("{label}: {value}", label=_.label(total.period_type.frequency),
          value=_("{low} to {high}", low=str(observed[0]), high=str(observed[1]))),
        _("{label}: {value}", label=_("Latest value"),
          value=_("{value} {unit}", value=format_number(last, lang), unit=unit)),
        *(str(t.get_label()) for t in ax.lines if str(t.get_gid()).startswith("target:")),
    )  # fmt: skip
    return fig
