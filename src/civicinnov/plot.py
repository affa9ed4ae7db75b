"""Charts of the library's results: turn the curve, event study, portfolio funnel, network map.

Each function takes the objects the other layers return (a
:class:`~civicinnov.metrics.series.MetricSeries` with its targets, an
:class:`~civicinnov.evaluation.results.ImpactResult`, a :class:`~civicinnov.programme.Portfolio`,
a :class:`~civicinnov.network.graph.CityNetwork`) and returns a new matplotlib
:class:`~matplotlib.figure.Figure` with its axes labelled in the data's units.

matplotlib is the optional extra ``civicinnov[plot]``. It is imported inside the functions, never
when :mod:`civicinnov` or this module is imported; without it every function raises
:class:`ImportError` saying ``install civicinnov[plot]``. Figures are built with
:class:`matplotlib.figure.Figure` and attached to an Agg canvas directly, so nothing here touches
pyplot's global state (the user's current figure, interactive mode or chosen backend). Save with
``fig.savefig(path)``; show in a notebook by leaving the figure as the cell's value.

Every drawn artist carries a *gid* (``artist.get_gid()``) naming what it shows (``"history"``,
``"forecast"``, ``"target:<id>"``, ``"estimates"``, ``"relations:<kind>"``, ...), so code and tests
can find an element without relying on drawing order.

What does not live here: the numbers. Trends, forecasts and estimates are computed by
:mod:`civicinnov.evaluation`; this module only draws them.

Example:
    >>> from civicinnov.plot import funnel
    >>> fig = funnel({"candidate": 12, "selected": 5, "piloting": 3, "scaled": 1})
    >>> [round(p.get_width()) for p in fig.axes[0].patches][:5]
    [12, 5, 0, 0, 3]
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from civicinnov.evaluation import StaggeredResult
    from civicinnov.evaluation.results import ImpactResult
    from civicinnov.metrics.definition import Direction, MetricDefinition
    from civicinnov.metrics.series import MetricSeries
    from civicinnov.metrics.target import Baseline, Target
    from civicinnov.model import InitiativeStatus
    from civicinnov.network.graph import CityNetwork, RelationKind
    from civicinnov.programme import Portfolio
    from civicinnov.units import Unit

__all__ = [
    "MISSING_MATPLOTLIB",
    "RELATION_COLOURS",
    "event_study",
    "funnel",
    "network_map",
    "turn_the_curve",
    "unit_text",
]

#: The message of the :class:`ImportError` raised when matplotlib is missing.
MISSING_MATPLOTLIB = (
    "civicinnov.plot needs matplotlib, which is not installed: install civicinnov[plot] "
    "(pip install 'civicinnov[plot]')"
)

#: One colour per relation kind (matplotlib's tab10 colours), so maps are comparable.
RELATION_COLOURS: dict[str, str] = {
    "cohort_peer": "#1f77b4",
    "partnership": "#ff7f0e",
    "exchange": "#2ca02c",
    "adoption": "#d62728",
    "intermediary": "#9467bd",
    "proximity": "#7f7f7f",
}

_EVENT_TERM = re.compile(r"^(?:event|dynamic)_(-?\d+)$")


def _new_figure(figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure on its own Agg canvas (no pyplot), with one axes."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(MISSING_MATPLOTLIB) from exc
    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def unit_text(unit: Unit | str) -> str:
    """The unit as axis-label text: pint's short pretty form, ``dimensionless`` when empty.

    Example:
        >>> unit_text("foot"), unit_text("incident / month"), unit_text("")
        ('ft', 'incident/month', 'dimensionless')
    """
    from civicinnov.units import parse_unit

    parsed = parse_unit(unit, where="unit") if isinstance(unit, str) else unit
    text = f"{parsed:~P}"
    return text or "dimensionless"


def _day(value: dt.date | str, where: str) -> float:
    from civicinnov.errors import ValidationError

    try:
        day = np.datetime64(value, "D")
    except ValueError:
        raise ValidationError(f"{where}: expected a date or ISO date text, got {value!r}") from None
    return float(day.astype(np.float64))


def _as_dates(days: Any) -> Any:
    # as the evaluation layer places a period at its midpoint: the day the half-day falls in
    return np.floor(np.asarray(days, dtype=np.float64)).astype(np.int64).astype("datetime64[D]")


def turn_the_curve(
    series: MetricSeries,
    *,
    start: dt.date | str,
    targets: Target | Iterable[Target] = (),
    baseline: Baseline | None = None,
    definition: MetricDefinition | None = None,
    direction: Direction | None = None,
    level: float = 0.95,
    max_ticks: int = 10,
) -> Figure:
    """Draw a turn-the-curve chart: history, baseline forecast, target trajectories, actuals.

    The chart of Results-Based Accountability (M. Friedman, *Trying Hard Is Not Good Enough*,
    2005), with the numbers of :func:`civicinnov.evaluation.turn_the_curve`:

    - **history**: the values of the periods that end before ``start``;
    - **baseline forecast**: the straight-line trend of the history
      (:func:`civicinnov.evaluation.trend`) projected over the whole chart, with its
      ``level`` prediction interval as a band;
    - **actual**: the values of the later periods;
    - **target trajectory**: for each target, a straight line from the baseline (``baseline``'s
      value on its ``as_of`` date; without one, the last history value at its period's midpoint)
      to the target value on its due date; target values are converted to the series' unit;
    - a vertical line at ``start``.

    Each period is placed at its midpoint; ticks carry the period labels (at most ``max_ticks``).
    The y axis reads ``<metric name> (<unit>)``, with the name from ``definition`` (else the metric
    id). With a ``direction`` (or a ``definition`` whose direction is increase or decrease), the
    title adds the turn-the-curve verdict. A disaggregated series is drawn by its totals.

    Raises:
        EstimationError: fewer than 3 history values (no trend to project).
        ValidationError: a target or baseline of another metric; a bad ``start``.
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
        >>> fig = turn_the_curve(s, start="2020-01-01", targets=[t], definition=d)
        >>> ax = fig.axes[0]
        >>> ax.get_ylabel(), ax.get_title()
        ('Murders (incident)', 'Murders in nola: turned')
        >>> [line.get_label() for line in ax.get_legend().get_lines()]
        ['history', 'baseline forecast', 'actual', 'target trajectory: murders-2023 (final)']
    """
    from civicinnov.errors import ValidationError
    from civicinnov.evaluation import midpoints, trend, turn_the_curve as ttc
    from civicinnov.units import as_quantity, get_registry

    total = series.total()
    start_day = _day(start, "start")
    from civicinnov.metrics.target import Target

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

    verdict = ""
    sense = direction if direction is not None else getattr(definition, "direction", None)
    if sense is not None and sense.sign != 0 and post.any():
        verdict = (
            ": " + ttc(total, start=_start_date(start), direction=sense, level=level).status.text
        )

    fig, ax = _new_figure((7.0, 4.2))
    (history,) = ax.plot(
        _as_dates(mids[pre]), total.values[pre], "o-", color="#1f77b4", label="history"
    )
    history.set_gid("history")
    (line,) = ax.plot(
        f_dates, forecast.value.magnitude, "--", color="#7f7f7f", label="baseline forecast"
    )
    line.set_gid("forecast")
    band = ax.fill_between(
        f_dates,
        forecast.low.magnitude,
        forecast.high.magnitude,
        color="#7f7f7f",
        alpha=0.15,
        linewidth=0,
        label=f"{level:.0%} prediction interval",
    )
    band.set_gid("forecast-interval")
    if post.any():
        (actual,) = ax.plot(
            _as_dates(mids[post]), total.values[post], "o-", color="#d62728", label="actual"
        )
        actual.set_gid("actual")
    for tgt, value, day in zip(target_list, t_values, t_days, strict=True):
        (tl,) = ax.plot(
            _as_dates(np.array([b_day, day])),
            [b_value, value],
            ":",
            marker="D",
            markevery=[1],
            color="#2ca02c",
            label=f"target trajectory: {tgt.id} ({tgt.stage.value})",
        )
        tl.set_gid(f"target:{tgt.id}")
    start_line = ax.axvline(_as_dates(np.array([start_day]))[0], color="black", linewidth=0.8)
    start_line.set_gid("start")

    shown = np.flatnonzero(present)
    step = max(1, math.ceil(len(shown) / max(1, max_ticks)))
    ticks = shown[::step]
    labels = total.period_type.labels(total.ordinals[ticks])
    ax.set_xticks(_as_dates(mids[ticks]), labels=list(labels), rotation=30, ha="right")
    name = definition.name if definition is not None else total.metric_id
    ax.set_ylabel(f"{name} ({unit_text(total.unit)})")
    ax.set_xlabel(f"period ({total.period_type.name})")
    ax.set_title(f"{name} in {total.place_id}{verdict}")
    ax.legend(loc="best", fontsize="small")
    return fig


def _start_date(start: dt.date | str) -> dt.date:
    if isinstance(start, dt.date):
        return start
    return dt.date.fromisoformat(start)


def event_study(
    result: ImpactResult | StaggeredResult,
    *,
    reference: int | None = -1,
) -> Figure:
    """Draw event-study coefficients by event time with their confidence intervals.

    ``result`` is what :func:`civicinnov.evaluation.impact.event_study` returns (terms
    ``event_<e>``), a dynamic aggregation ``callaway_santanna(...).aggregate("dynamic")`` (terms
    ``dynamic_<e>``), or a :class:`~civicinnov.evaluation.StaggeredResult`, which is
    aggregated by event time here. Points are the estimates, vertical bars their intervals at the
    result's ``ci_level``; a horizontal line marks zero and a dotted vertical line the adoption
    (between e = −1 and e = 0). ``reference`` is the omitted period the estimates are measured
    against (−1 by the convention of :func:`~civicinnov.evaluation.impact.event_study`): it is
    drawn as a hollow marker at zero unless the result estimates that period itself (as
    Callaway–Sant'Anna's aggregation does); ``None`` draws no reference marker. The y axis is
    labelled with the outcome unit.

    Raises:
        ValidationError: the result holds no event-time terms.
        ImportError: matplotlib is not installed.

    Example:
        >>> import numpy as np
        >>> from civicinnov.evaluation.impact import Panel, event_study as estimate
        >>> units = np.repeat(np.arange(6), 4); periods = np.tile(np.arange(4), 6)
        >>> y = units * 1.0 + periods * 0.5 + np.where((units < 3) & (periods >= 2), 2.0, 0.0)
        >>> y = y + np.tile([0.01, -0.01, 0.0, 0.02], 6) * units
        >>> r = estimate(Panel.from_arrays(units=units, periods=periods, outcome=y, unit="case",
        ...     first_treated={0: 2, 1: 2, 2: 2, 3: None, 4: None, 5: None}), vcov="hc1")
        >>> fig = event_study(r)
        >>> ax = fig.axes[0]
        >>> ax.get_ylabel()
        'effect on the outcome (case)'
        >>> [p.get_gid() for p in ax.lines]
        ['zero', 'adoption', 'estimates', 'reference']
        >>> ax.lines[2].get_xdata().tolist()
        [-2, 0, 1]
    """
    from civicinnov.errors import ValidationError
    from civicinnov.evaluation import StaggeredResult

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

    fig, ax = _new_figure((6.4, 4.0))
    zero = ax.axhline(0.0, color="black", linewidth=0.8)
    zero.set_gid("zero")
    adoption = ax.axvline(-0.5, color="#7f7f7f", linestyle=":", linewidth=1.0)
    adoption.set_gid("adoption")
    bars = ax.vlines(
        e, low, high, color="#1f77b4", linewidth=1.5, label=f"{result.ci_level:.0%} CI"
    )
    bars.set_gid("intervals")
    (points,) = ax.plot(e, value, "o", color="#1f77b4", label="estimate")
    points.set_gid("estimates")
    if reference is not None and reference not in set(e.tolist()):
        (ref,) = ax.plot(
            [reference],
            [0.0],
            "o",
            markerfacecolor="white",
            markeredgecolor="black",
            label=f"reference period (e = {reference})",
        )
        ref.set_gid("reference")
    lo_e = min(int(e.min()), reference if reference is not None else int(e.min()))
    hi_e = max(int(e.max()), reference if reference is not None else int(e.max()))
    if hi_e - lo_e <= 20:
        ax.set_xticks(np.arange(lo_e, hi_e + 1))
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("periods relative to adoption (event time)")
    ax.set_ylabel(f"effect on the outcome ({unit_text(result.outcome_unit)})")
    head = result.estimate
    ax.set_title(
        f"{result.estimator}: {head.name} = {head.value:.3g} {unit_text(result.outcome_unit)}"
    )
    ax.legend(loc="best", fontsize="small")
    return fig


def funnel(
    initiatives: Portfolio | Mapping[InitiativeStatus | str, int],
    *,
    title: str = "Initiatives by status",
) -> Figure:
    """Draw the initiative funnel: one horizontal bar per status, in the method's order.

    ``initiatives`` is a :class:`~civicinnov.programme.Portfolio` (its
    :meth:`~civicinnov.programme.Portfolio.funnel`) or counts by
    :class:`~civicinnov.model.InitiativeStatus` (members or their values). Every
    status gets a bar, top to bottom from ``candidate`` to ``stopped`` (missing statuses count
    0), each annotated with its count. Statuses in the portfolio (selected and not stopped) are
    drawn in one colour, candidates and stopped initiatives in others.

    Raises:
        ValidationError: an unknown status, or a count that is not a non-negative integer.
        ImportError: matplotlib is not installed.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> fig = funnel(load_iteams())
        >>> ax = fig.axes[0]
        >>> [t.get_text() for t in ax.get_yticklabels()][:3], ax.get_xlabel()
        (['candidate', 'selected', 'planned'], 'initiatives (count)')
        >>> {t.get_text(): round(p.get_width()) for t, p in zip(ax.get_yticklabels(), ax.patches)
        ...  if p.get_width()}
        {'piloting': 2, 'delivering': 14, 'handed off': 2}
    """
    from civicinnov.errors import ValidationError
    from civicinnov.model import InitiativeStatus
    from civicinnov.programme import Portfolio

    order = list(InitiativeStatus)
    if isinstance(initiatives, Portfolio):
        counts: dict[InitiativeStatus, int] = initiatives.funnel()
    else:
        counts = {}
        for key, count in initiatives.items():
            try:
                status = InitiativeStatus(key)
            except ValueError:
                raise ValidationError(
                    f"initiatives[{key!r}]: expected a status, one of "
                    f"{[s.value for s in order]}, got {key!r}"
                ) from None
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
                raise ValidationError(
                    f"initiatives[{status.value!r}]: expected a non-negative integer count, got "
                    f"{count!r}"
                )
            counts[status] = counts.get(status, 0) + int(count)
    widths = np.array([counts.get(s, 0) for s in order], dtype=np.int64)
    colours = [
        "#1f77b4" if s.is_selected else "#bdbdbd" if s is InitiativeStatus.STOPPED else "#9ecae1"
        for s in order
    ]
    fig, ax = _new_figure((6.0, 3.8))
    positions = np.arange(len(order))
    bars = ax.barh(positions, widths, color=colours, label="initiatives")
    for patch, status in zip(bars.patches, order, strict=True):
        patch.set_gid(f"status:{status.value}")
    ax.bar_label(bars, labels=[str(w) for w in widths], padding=3)
    ax.set_yticks(positions, labels=[s.value.replace("_", " ") for s in order])
    ax.invert_yaxis()
    ax.set_xlim(0, max(1, int(widths.max())) * 1.15)
    ax.set_xlabel("initiatives (count)")
    ax.set_title(f"{title} (n = {int(widths.sum())})")
    return fig


def network_map(
    network: CityNetwork | Portfolio,
    *,
    kinds: Iterable[RelationKind | str] | RelationKind | str | None = None,
    labels: bool | None = None,
    label_limit: int = 40,
) -> Figure:
    """Draw the network on a map: nodes at longitude/latitude, relations coloured by kind.

    ``network`` is a :class:`~civicinnov.network.graph.CityNetwork` or a
    :class:`~civicinnov.programme.Portfolio` (drawn through its
    :meth:`~civicinnov.programme.Portfolio.network`). ``kinds`` keeps only relations of those
    :class:`~civicinnov.network.graph.RelationKind` s (as :meth:`CityNetwork.view
    <civicinnov.network.graph.CityNetwork.view>` does). Cities are points at ``(lon, lat)``,
    organisations with coordinates are squares; nodes without coordinates and the relations that
    touch them cannot be placed and are left out (the title says how many). Each relation kind is
    one line collection in its colour (:data:`RELATION_COLOURS`), named in the legend. Node names
    are written when ``labels`` is true, or by default when at most ``label_limit`` nodes are
    drawn. The map is an equirectangular projection with the aspect set for the mean latitude.

    Raises:
        ValidationError: an unknown relation kind in ``kinds``.
        ImportError: matplotlib is not installed.

    Example:
        >>> from civicinnov.network.graph import CityNetwork, Relation
        >>> net = CityNetwork()
        >>> for cid, lat, lon in [("lyon", 45.76, 4.84), ("grenoble", 45.19, 5.72),
        ...                       ("paris", 48.86, 2.35)]:
        ...     net.add_city(cid, country="FR", lat=lat, lon=lon)
        >>> _ = net.add_relation(Relation(kind="exchange", source="lyon", target="paris"))
        >>> _ = net.add_proximity("150 km")
        >>> fig = network_map(net)
        >>> ax = fig.axes[0]
        >>> ax.get_xlabel(), ax.get_ylabel()
        ('longitude (degree)', 'latitude (degree)')
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['exchange', 'proximity', 'city']
        >>> ax.collections[-1].get_offsets().tolist()[0]
        [4.84, 45.76]
    """
    from civicinnov.network.graph import RelationKind
    from civicinnov.programme import Portfolio

    net = network.network() if isinstance(network, Portfolio) else network
    shown = net.view(kinds=kinds) if kinds is not None else net
    graph = shown.nx
    ids: list[str] = []
    lon_lat: list[tuple[float, float]] = []
    is_org: list[bool] = []
    names: list[str] = []
    for node, attrs_ in graph.nodes(data=True):
        lat, lon = attrs_.get("lat"), attrs_.get("lon")
        if lat is None or lon is None:
            continue
        ids.append(node)
        lon_lat.append((float(lon), float(lat)))
        is_org.append(attrs_.get("kind") == "organisation")
        names.append(str(attrs_.get("name") or node))
    where = {node: i for i, node in enumerate(ids)}
    coords = np.array(lon_lat, dtype=np.float64).reshape(-1, 2)
    org = np.array(is_org, dtype=bool)

    segments: dict[str, list[Any]] = {k.value: [] for k in RelationKind}
    left_out = 0
    for a, b, data in graph.edges(data=True):
        if a in where and b in where:
            segments[data["kind"]].append((coords[where[a]], coords[where[b]]))
        else:
            left_out += 1

    fig, ax = _new_figure((7.0, 5.0))
    from matplotlib.collections import LineCollection

    for kind in RelationKind:
        segs = segments[kind.value]
        if not segs:
            continue
        lines = LineCollection(
            list(segs),
            colors=RELATION_COLOURS[kind.value],
            linewidths=1.2,
            alpha=0.7,
            label=kind.value.replace("_", " "),
            zorder=1,
        )
        lines.set_gid(f"relations:{kind.value}")
        ax.add_collection(lines)
    if org.any():
        orgs = ax.scatter(
            coords[org, 0], coords[org, 1], marker="s", s=30, color="#9467bd",
            edgecolors="black", linewidths=0.5, label="organisation", zorder=2,
        )  # fmt: skip
        orgs.set_gid("organisations")
    cities = ax.scatter(
        coords[~org, 0], coords[~org, 1], s=24, color="#333333", label="city", zorder=3
    )
    cities.set_gid("cities")
    if labels is None:
        labels = len(ids) <= label_limit
    if labels:
        for (x, y), name in zip(coords, names, strict=True):
            ax.annotate(name, (x, y), xytext=(3, 3), textcoords="offset points", fontsize="x-small")
    if len(ids):
        mean_lat = float(np.clip(coords[:, 1].mean(), -80.0, 80.0))
        ax.set_aspect(1.0 / math.cos(math.radians(mean_lat)), adjustable="datalim")
        ax.autoscale_view()
    ax.set_xlabel("longitude (degree)")
    ax.set_ylabel("latitude (degree)")
    unplaced = len(graph) - len(ids)
    title = f"{len(ids)} nodes, {graph.number_of_edges() - left_out} relations"
    if unplaced:
        title += (
            f" ({unplaced} nodes without coordinates and {left_out} of their relations not shown)"
        )
    ax.set_title(title, fontsize="small")
    ax.legend(loc="best", fontsize="small")
    return fig
