"""The figures: what each one draws (lines, points, labels, legends), never pixels."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from civicinnov.errors import UnitError, ValidationError
from civicinnov.evaluation import midpoints, turn_the_curve as ttc_numbers
from civicinnov.evaluation.impact import Panel, callaway_santanna, event_study, twfe
from civicinnov.metrics.definition import Direction, MetricDefinition
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Baseline, Target
from civicinnov.model import InitiativeStatus, TargetStage
from civicinnov.network.graph import CityNetwork, Relation, RelationKind
from civicinnov.periods import MONTH, YEAR
from civicinnov.programme import Portfolio

plot = pytest.importorskip("civicinnov.plot")

from matplotlib.collections import LineCollection, PathCollection, PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def by_gid(ax, gid):  # type: ignore[no-untyped-def]
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist {gid!r}, found {len(found)}"
    return found[0]


def render(fig: Figure) -> None:
    fig.canvas.draw()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def legend_texts(ax) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ------------------------------------------------------------------ turn the curve
MURDERS = MetricDefinition(
    id="murders", name="Murders", unit="incident", direction=Direction.DECREASE
)
RECORDS = [
    ("2015", 100),
    ("2016", 104),
    ("2017", 109),
    ("2018", 111),
    ("2019", 116),
    ("2020", 101),
    ("2021", 96),
]


@pytest.fixture
def murders() -> MetricSeries:
    return MetricSeries.from_records(MURDERS, place_id="nola", period_type=YEAR, records=RECORDS)


def target(value: str = "80 incident", due: str = "2023-12-31", **kw: object) -> Target:
    fields: dict[str, object] = {"id": "murders-2023", "metric_id": "murders", "value": value}
    fields.update(stage=TargetStage.FINAL, due=due)
    fields.update(kw)
    return Target(**fields)  # type: ignore[arg-type]


def test_turn_the_curve_draws_history_forecast_actual_and_target(murders: MetricSeries) -> None:
    fig = plot.turn_the_curve(murders, start=date(2020, 1, 1), targets=target(), definition=MURDERS)
    assert isinstance(fig, Figure)
    render(fig)
    ax = fig.axes[0]
    mids = midpoints(murders).astype(np.int64).astype("datetime64[D]")

    history = by_gid(ax, "history")
    assert history.get_xdata().tolist() == mids[:5].tolist()
    assert history.get_ydata().tolist() == [100, 104, 109, 111, 116]
    actual = by_gid(ax, "actual")
    assert actual.get_xdata().tolist() == mids[5:].tolist()
    assert actual.get_ydata().tolist() == [101, 96]

    # the forecast is the pre-period trend: at the later periods it equals the numbers layer's
    numbers = ttc_numbers(murders, start=date(2020, 1, 1), direction=Direction.DECREASE)
    forecast = by_gid(ax, "forecast")
    fx = np.asarray(forecast.get_xdata())
    fy = np.asarray(forecast.get_ydata(), dtype=float)
    at = np.isin(fx, mids[5:])
    np.testing.assert_allclose(fy[at], numbers.forecast.magnitude)
    assert fx.max() == np.datetime64("2023-12-31")  # projected to the target's due date
    assert isinstance(by_gid(ax, "forecast-interval"), PolyCollection)

    trajectory = by_gid(ax, "target:murders-2023")
    # from the last history value (2019, at its midpoint) to the target on its due date
    assert trajectory.get_xdata().tolist() == [mids[4], np.datetime64("2023-12-31")]
    assert list(trajectory.get_ydata()) == [116.0, 80.0]
    assert by_gid(ax, "start").get_xdata()[0] == np.datetime64("2020-01-01")

    assert ax.get_ylabel() == "Murders (incident)"
    assert ax.get_xlabel() == "period (year)"
    assert ax.get_title() == "Murders in nola: turned"
    assert [t.get_text() for t in ax.get_xticklabels()] == [r[0] for r in RECORDS]
    assert legend_texts(ax) == [
        "history",
        "baseline forecast",
        "95% prediction interval",
        "actual",
        "target trajectory: murders-2023 (final)",
    ]


def test_turn_the_curve_converts_targets_and_baseline_to_the_series_unit() -> None:
    d = MetricDefinition(id="distance", name="Distance to blight", unit="foot")
    s = MetricSeries.from_records(
        d,
        place_id="mobile",
        period_type=MONTH,
        records=[(f"2016-{m:02d}", 300.0 + 10 * m) for m in range(1, 13)],
    )
    t = Target(
        id="far",
        metric_id="distance",
        stage=TargetStage.PRELIMINARY,
        value="150 m",
        due="2017-06-30",
    )
    b = Baseline(metric_id="distance", value="100 m", as_of="2016-06-30")
    fig = plot.turn_the_curve(s, start="2016-07-01", targets=[t], baseline=b, max_ticks=4)
    ax = fig.axes[0]
    y = by_gid(ax, "target:far").get_ydata()
    np.testing.assert_allclose(y, [100 / 0.3048, 150 / 0.3048])
    assert by_gid(ax, "target:far").get_xdata()[0] == np.datetime64("2016-06-30")
    assert ax.get_ylabel() == "distance (ft)"  # no definition: the metric id
    assert ax.get_xlabel() == "period (month)"
    assert ax.get_title() == "distance in mobile"  # no direction: no verdict
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2016-01",
        "2016-04",
        "2016-07",
        "2016-10",
    ]
    render(fig)


def test_turn_the_curve_with_no_later_values_and_no_targets(murders: MetricSeries) -> None:
    fig = plot.turn_the_curve(murders, start="2030-01-01", direction=Direction.DECREASE)
    ax = fig.axes[0]
    assert [a.get_gid() for a in ax.lines] == ["history", "forecast", "start"]
    assert ax.get_title() == "murders in nola"


def test_turn_the_curve_bad_inputs(murders: MetricSeries) -> None:
    with pytest.raises(
        ValidationError,
        match=r"targets\[0\]\.metric_id: expected the series' metric 'murders', got 'calls'",
    ):
        plot.turn_the_curve(murders, start="2020-01-01", targets=[target(metric_id="calls")])
    with pytest.raises(
        ValidationError, match=r"baseline\.metric_id: expected .*'murders', got 'calls'"
    ):
        plot.turn_the_curve(
            murders,
            start="2020-01-01",
            baseline=Baseline(metric_id="calls", value="1 call", as_of="2019-01-01"),
        )
    with pytest.raises(UnitError, match=r"targets\[0\]\.value"):
        plot.turn_the_curve(murders, start="2020-01-01", targets=[target(value="3 km")])
    with pytest.raises(
        ValidationError, match=r"start: expected a date or ISO date text, got 'soon'"
    ):
        plot.turn_the_curve(murders, start="soon")
    from civicinnov.errors import EstimationError

    with pytest.raises(EstimationError):
        plot.turn_the_curve(murders, start="2017-01-01")


# ------------------------------------------------------------------ event study
def staggered_panel() -> Panel:
    units = np.repeat(np.arange(8), 6)
    periods = np.tile(np.arange(6), 8)
    first = {0: 2, 1: 2, 2: 3, 3: 3, 4: None, 5: None, 6: None, 7: None}
    cohort = np.array([np.inf if first[u] is None else first[u] for u in range(8)])[units]
    rng = np.random.default_rng(7)
    y = units * 1.0 + periods * 0.3 + np.where(periods >= cohort, 1.5, 0.0)
    y = y + rng.normal(0, 0.05, y.size)
    return Panel.from_arrays(
        units=units, periods=periods, outcome=y, unit="case", first_treated=first
    )


def test_event_study_draws_each_coefficient_with_its_interval() -> None:
    r = event_study(staggered_panel(), leads=2, lags=2, vcov="hc1")
    fig = plot.event_study(r)
    render(fig)
    ax = fig.axes[0]
    terms = {int(t.name.split("_")[1]): t for t in r.terms}
    es = sorted(terms)
    points = by_gid(ax, "estimates")
    assert points.get_xdata().tolist() == es == [-2, 0, 1, 2]
    np.testing.assert_allclose(points.get_ydata(), [terms[e].value for e in es])
    bars = by_gid(ax, "intervals")
    assert isinstance(bars, LineCollection)
    segs = bars.get_segments()
    assert [s[0][0] for s in segs] == es
    np.testing.assert_allclose([s[0][1] for s in segs], [terms[e].ci_low for e in es])
    np.testing.assert_allclose([s[1][1] for s in segs], [terms[e].ci_high for e in es])
    ref = by_gid(ax, "reference")
    assert list(ref.get_xdata()) == [-1]
    assert list(ref.get_ydata()) == [0.0]
    assert list(by_gid(ax, "zero").get_ydata()) == [0, 0]
    assert ax.get_ylabel() == "effect on the outcome (case)"
    assert ax.get_xlabel() == "periods relative to adoption (event time)"
    assert ax.get_title().startswith("event_study: post_average = ")
    assert legend_texts(ax) == ["95% CI", "estimate", "reference period (e = -1)"]
    assert [int(t) for t in ax.get_xticks()] == [-2, -1, 0, 1, 2]


def test_event_study_accepts_staggered_results_without_a_reference_marker() -> None:
    cs = callaway_santanna(staggered_panel())
    fig = plot.event_study(cs)
    ax = fig.axes[0]
    dynamic = cs.aggregate("dynamic")
    es = sorted(int(t.name.split("_")[1]) for t in dynamic.terms if t.name != "dynamic_overall")
    assert by_gid(ax, "estimates").get_xdata().tolist() == es
    assert -1 in es  # estimated, so not drawn as an omitted reference
    assert "reference" not in [a.get_gid() for a in ax.lines]
    assert ax.get_title().startswith("callaway_santanna: dynamic_overall = ")
    # the aggregated ImpactResult draws the same
    again = plot.event_study(dynamic, reference=None).axes[0]
    assert (
        by_gid(again, "estimates").get_ydata().tolist()
        == by_gid(ax, "estimates").get_ydata().tolist()
    )


def test_event_study_refuses_results_without_event_terms() -> None:
    r = twfe(staggered_panel(), vcov="hc1")
    with pytest.raises(
        ValidationError, match=r"result\.terms: expected event-time terms .* from estimator 'twfe'"
    ):
        plot.event_study(r)


# ------------------------------------------------------------------ funnel
def test_funnel_from_counts_in_the_method_order() -> None:
    fig = plot.funnel({"scaled": 1, InitiativeStatus.CANDIDATE: 12, "selected": 5, "stopped": 2})
    render(fig)
    ax = fig.axes[0]
    order = [s.value for s in InitiativeStatus]
    assert [p.get_gid() for p in ax.patches] == [f"status:{s}" for s in order]
    widths = {s: p.get_width() for s, p in zip(order, ax.patches, strict=True)}
    assert widths == {
        "candidate": 12, "selected": 5, "planned": 0, "prototyping": 0, "piloting": 0,
        "delivering": 0, "scaled": 1, "handed_off": 0, "stopped": 2,
    }  # fmt: skip
    assert [t.get_text() for t in ax.get_yticklabels()] == [s.replace("_", " ") for s in order]
    assert ax.yaxis_inverted()  # candidate on top
    assert [t.get_text() for t in ax.texts] == ["12", "5", "0", "0", "0", "0", "1", "0", "2"]
    assert ax.get_xlabel() == "initiatives (count)"
    assert ax.get_title() == "Initiatives by status (n = 20)"


def test_funnel_from_a_portfolio() -> None:
    from civicinnov.datasets import load_iteams

    p = load_iteams()
    ax = plot.funnel(p, title="i-teams").axes[0]
    counts = p.funnel()
    assert [p.get_width() for p in ax.patches] == [counts[s] for s in InitiativeStatus]
    assert ax.get_title() == f"i-teams (n = {len(p.initiatives)})"
    assert sum(plot.funnel(Portfolio()).axes[0].patches[i].get_width() for i in range(9)) == 0


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"sleeping": 1}, r"initiatives\['sleeping'\]: expected a status, one of \['candidate'"),
        (
            {"piloting": -1},
            r"initiatives\['piloting'\]: expected a non-negative integer count, got -1",
        ),
        ({"piloting": 1.5}, r"expected a non-negative integer count, got 1.5"),
        ({"piloting": True}, r"expected a non-negative integer count, got True"),
    ],
)
def test_funnel_bad_counts(counts: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        plot.funnel(counts)  # type: ignore[arg-type]


# ------------------------------------------------------------------ network map
CITIES = [
    ("lyon", "Lyon", 45.76, 4.84),
    ("grenoble", "Grenoble", 45.19, 5.72),
    ("paris", "Paris", 48.86, 2.35),
    ("lille", "Lille", 50.63, 3.06),
]


def small_network() -> CityNetwork:
    net = CityNetwork()
    for cid, name, lat, lon in CITIES:
        net.add_city(cid, name=name, country="FR", lat=lat, lon=lon)
    net.add_organisation("la27e", name="La 27e Region")
    net.add_relation(Relation(kind="exchange", source="lyon", target="paris", on=date(2017, 3, 1)))
    net.add_relation(Relation(kind="partnership", source="paris", target="lille"))
    net.add_relation(Relation(kind="intermediary", source="la27e", target="paris"))
    net.add_proximity("150 km")
    return net


def test_network_map_places_cities_at_their_coordinates_and_colours_kinds() -> None:
    fig = plot.network_map(small_network())
    render(fig)
    ax = fig.axes[0]
    cities = by_gid(ax, "cities")
    assert isinstance(cities, PathCollection)
    assert cities.get_offsets().tolist() == [[lon, lat] for _, _, lat, lon in CITIES]
    exchange = by_gid(ax, "relations:exchange")
    assert [s.tolist() for s in exchange.get_segments()] == [[[4.84, 45.76], [2.35, 48.86]]]
    assert by_gid(ax, "relations:partnership").get_segments()[0].tolist() == [
        [2.35, 48.86],
        [3.06, 50.63],
    ]
    assert len(by_gid(ax, "relations:proximity").get_segments()) == 1  # lyon-grenoble
    colours = {
        a.get_gid(): tuple(np.round(a.get_colors()[0][:3], 3))
        for a in ax.collections
        if str(a.get_gid()).startswith("relations:")
    }
    assert len(set(colours.values())) == len(colours) == 3
    # the organisation has no coordinates: it and its relation are left out, and the title says so
    assert "relations:intermediary" not in colours
    assert (
        ax.get_title()
        == "4 nodes, 3 relations (1 nodes without coordinates and 1 of their relations not shown)"
    )
    assert legend_texts(ax) == ["partnership", "exchange", "proximity", "city"]
    assert sorted(t.get_text() for t in ax.texts) == ["Grenoble", "Lille", "Lyon", "Paris"]
    assert ax.get_xlabel() == "longitude (degree)"
    assert ax.get_ylabel() == "latitude (degree)"


def test_network_map_kinds_labels_and_organisations_with_coordinates() -> None:
    net = small_network()
    net.add_organisation("hub", name="Hub")
    net.nx.nodes["hub"]["lat"], net.nx.nodes["hub"]["lon"] = 47.0, 3.0
    ax = plot.network_map(net, kinds=[RelationKind.PROXIMITY, "exchange"], labels=False).axes[0]
    assert [a.get_gid() for a in ax.collections] == [
        "relations:exchange",
        "relations:proximity",
        "organisations",
        "cities",
    ]
    assert by_gid(ax, "organisations").get_offsets().tolist() == [[3.0, 47.0]]
    assert len(ax.texts) == 0
    assert not plot.network_map(net, label_limit=2).axes[0].texts
    with pytest.raises(
        ValidationError, match="kind: 'nope' is not a relation kind; expected one of"
    ):
        plot.network_map(net, kinds=["nope"])


def test_network_map_of_the_bundled_portfolio() -> None:
    from civicinnov.datasets import load_iteams

    p = load_iteams()
    ax = plot.network_map(p).axes[0]
    net = p.network()
    placed = {n: d for n, d in net.nx.nodes(data=True) if "lat" in d and "lon" in d}
    offsets = np.concatenate(
        [c.get_offsets() for c in ax.collections if c.get_gid() in ("cities", "organisations")]
    )
    assert sorted(map(tuple, offsets.tolist())) == sorted(
        (d["lon"], d["lat"]) for d in placed.values()
    )
    kinds = {a.get_gid() for a in ax.collections if str(a.get_gid()).startswith("relations:")}
    assert "relations:cohort_peer" in kinds


# ------------------------------------------------------------------ cost at import, no matplotlib
def test_importing_does_not_import_matplotlib_until_a_function_is_called() -> None:
    code = (
        "import sys, civicinnov, civicinnov.plot\n"
        "before = 'matplotlib' in sys.modules\n"
        "civicinnov.plot.funnel({'candidate': 1})\n"
        "print(before, 'matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "False"]


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"install civicinnov\[plot\]"):
        plot.funnel({"candidate": 1})


def test_figures_leave_pyplot_state_alone() -> None:
    import matplotlib

    backend = matplotlib.get_backend()
    plot.funnel({"candidate": 1})
    assert matplotlib.get_backend() == backend
    assert (
        "matplotlib.pyplot" not in sys.modules
        or not __import__("matplotlib.pyplot").pyplot.get_fignums()
    )


def test_the_docs_extension_draws_the_four_figures(tmp_path: Path) -> None:
    path = Path(__file__).parent.parent / "docs" / "_ext" / "civicinnov_figures.py"
    spec = importlib.util.spec_from_file_location("civicinnov_figures", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path / "figures")
    assert [p.name for p in written] == [
        "turn_the_curve.png",
        "event_study.png",
        "funnel.png",
        "network_map.png",
    ]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)


def test_event_study_long_windows_get_integer_ticks_not_one_per_period() -> None:
    import attrs

    from civicinnov.evaluation.results import Estimate

    r = event_study(staggered_panel(), leads=2, lags=2, vcov="hc1")
    terms = tuple(
        Estimate(name=f"event_{e}", value=0.1 * e, se=0.1, ci_low=0.1 * e - 0.2,
                 ci_high=0.1 * e + 0.2, p_value=0.5)
        for e in range(-15, 16) if e != -1
    )  # fmt: skip
    ax = plot.event_study(attrs.evolve(r, terms=terms)).axes[0]
    assert by_gid(ax, "estimates").get_xdata().tolist() == [e for e in range(-15, 16) if e != -1]
    ticks = ax.get_xticks()
    assert len(ticks) < 31
    assert all(float(t).is_integer() for t in ticks)
