"""The charts: what each one draws (lines, points, labels, legends), in words, readable, in two languages."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from civicinnov.errors import EstimationError, UnitError, ValidationError
from civicinnov.evaluation import (
    Panel,
    callaway_santanna,
    event_study,
    midpoints,
    turn_the_curve as ttc_numbers,
    twfe,
)
from civicinnov.metrics import Baseline, Direction, MetricDefinition, MetricSeries, Target
from civicinnov.model import InitiativeStatus, TargetStage
from civicinnov.network import (
    EARTH_RADIUS_KM,
    CityNetwork,
    CityNetworkBuilder,
    Relation,
    RelationKind,
)
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


def readable(fig: Figure) -> None:
    """The image test: drawn whole, no text outside the figure, no two labels over each other."""
    render(fig)
    assert [t.get_text() for t in plot.clipped_texts(fig)] == []
    assert [
        (a.get_text(), b.get_text()) for a, b in plot.overlapping_texts(fig, gids="label:")
    ] == []


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
    fig = plot.plot_turn_the_curve(
        murders, start=date(2020, 1, 1), targets=target(), definition=MURDERS, place="New Orleans"
    )
    assert isinstance(fig, Figure)
    readable(fig)
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
    assert ax.get_xlabel() == "Year"
    assert ax.get_title() == "Murders — New Orleans\nThe curve turned"
    assert "nola" not in ax.get_title()
    assert fig.get_label() == (
        "Murders — New Orleans. The curve turned. Year: 2015 to 2021. Latest value: 96 incident. "
        "Target (final): 80 incident by December 31, 2023."
    )
    assert [t.get_text() for t in ax.get_xticklabels()] == [r[0] for r in RECORDS]
    assert legend_texts(ax) == [
        "History",
        "Baseline forecast",
        "95% prediction interval",
        "Actual",
        "Target (final): 80 incident by December 31, 2023",
    ]


def test_turn_the_curve_in_french(murders: MetricSeries) -> None:
    fig = plot.plot_turn_the_curve(
        murders, start="2020-01-01", targets=target(value="11450 incident"), definition=MURDERS,
        place="La Nouvelle-Orléans", lang="fr",
    )  # fmt: skip
    readable(fig)
    ax = fig.axes[0]
    assert ax.get_title() == "Murders — La Nouvelle-Orléans\nLa courbe s'est infléchie"
    assert ax.get_xlabel() == "Année"
    assert legend_texts(ax)[:4] == [
        "Historique",
        "Prévision tendancielle",
        "Intervalle de prévision à 95\xa0%",
        "Réalisé",
    ]
    assert legend_texts(ax)[4] == "Cible (définitive)\xa0: 11\u202f450 incident au 31 décembre 2023"


def test_turn_the_curve_keeps_a_long_unit_label_inside_the_figure() -> None:
    d = MetricDefinition(
        id="vacant-lots",
        name="Vacant and blighted residential lots awaiting demolition or rehabilitation",
        unit="property / month",
    )
    s = MetricSeries.from_records(
        d, place_id="mobile", period_type=MONTH,
        records=[(f"2016-{m:02d}", 300.0 + 10 * m) for m in range(1, 13)],
    )  # fmt: skip
    fig = plot.plot_turn_the_curve(s, start="2016-07-01", definition=d)
    readable(fig)
    label = fig.axes[0].get_ylabel()
    assert "property/month" in label.replace("\n", " ")
    assert "\n" in label  # wrapped rather than cut off
    assert fig.get_size_inches().tolist() == [7.0, 4.4]


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
    fig = plot.plot_turn_the_curve(s, start="2016-07-01", targets=[t], baseline=b, max_ticks=4)
    ax = fig.axes[0]
    y = by_gid(ax, "target:far").get_ydata()
    np.testing.assert_allclose(y, [100 / 0.3048, 150 / 0.3048])
    assert by_gid(ax, "target:far").get_xdata()[0] == np.datetime64("2016-06-30")
    # no definition, no place name: the ids in words, never the raw slugs
    assert ax.get_ylabel() == "Distance (ft)"
    assert ax.get_xlabel() == "Month"
    assert ax.get_title() == "Distance — Mobile"  # no direction: no verdict
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "2016-01",
        "2016-04",
        "2016-07",
        "2016-10",
    ]
    readable(fig)


def test_turn_the_curve_with_no_later_values_and_no_targets(murders: MetricSeries) -> None:
    fig = plot.plot_turn_the_curve(murders, start="2030-01-01", direction=Direction.DECREASE)
    ax = fig.axes[0]
    assert [a.get_gid() for a in ax.lines] == ["history", "forecast", "start"]
    assert ax.get_title() == "Murders — Nola"


def test_turn_the_curve_bad_inputs(murders: MetricSeries) -> None:
    with pytest.raises(
        ValidationError,
        match=r"targets\[0\]\.metric_id: expected the series' metric 'murders', got 'calls'",
    ):
        plot.plot_turn_the_curve(murders, start="2020-01-01", targets=[target(metric_id="calls")])
    with pytest.raises(
        ValidationError, match=r"baseline\.metric_id: expected .*'murders', got 'calls'"
    ):
        plot.plot_turn_the_curve(
            murders,
            start="2020-01-01",
            baseline=Baseline(metric_id="calls", value="1 call", as_of="2019-01-01"),
        )
    with pytest.raises(UnitError, match=r"targets\[0\]\.value"):
        plot.plot_turn_the_curve(murders, start="2020-01-01", targets=[target(value="3 km")])
    with pytest.raises(
        ValidationError, match=r"start: expected a date or ISO date text, got 'soon'"
    ):
        plot.plot_turn_the_curve(murders, start="soon")
    with pytest.raises(EstimationError):
        plot.plot_turn_the_curve(murders, start="2017-01-01")
    with pytest.raises(ValidationError, match="supported languages en, fr"):
        plot.plot_turn_the_curve(murders, start="2020-01-01", lang="de")


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
    fig = plot.plot_event_study(r)
    readable(fig)
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
    assert ax.get_ylabel() == "Effect on the outcome (case)"
    assert ax.get_xlabel() == "Periods relative to adoption"
    head = r.estimate
    first, second = ax.get_title().split("\n", 1)
    assert first == "Effect by period relative to adoption (Event study)"
    assert second.replace("\n", " ") == (
        f"Average effect after adoption: {float(f'{head.value:.3g}'):g} case (95% confidence "
        f"interval {float(f'{head.ci_low:.3g}'):g} to {float(f'{head.ci_high:.3g}'):g})"
    )
    assert "post_average" not in ax.get_title()
    assert "event_study" not in ax.get_title()
    assert legend_texts(ax) == ["95% confidence interval", "Estimate", "Reference period (e = -1)"]
    assert [int(t) for t in ax.get_xticks()] == [-2, -1, 0, 1, 2]


def test_event_study_in_french_writes_numbers_the_french_way() -> None:
    r = event_study(staggered_panel(), leads=2, lags=2, vcov="hc1")
    ax = plot.plot_event_study(r, lang="fr").axes[0]
    assert ax.get_xlabel() == "Périodes depuis l'adoption"
    assert ax.get_title().startswith("Effet selon le délai depuis l'adoption (Étude d'événement)\n")
    assert "Effet moyen après l'adoption\xa0: 1,47 cas\n" in ax.get_title()
    assert ax.get_ylabel() == "Effet sur le résultat (cas)"  # the unit in French too
    assert legend_texts(ax)[0] == "Intervalle de confiance à 95\xa0%"


def test_event_study_accepts_staggered_results_without_a_reference_marker() -> None:
    cs = callaway_santanna(staggered_panel())
    fig = plot.plot_event_study(cs)
    readable(fig)
    ax = fig.axes[0]
    dynamic = cs.aggregate("dynamic")
    es = sorted(int(t.name.split("_")[1]) for t in dynamic.terms if t.name != "dynamic_overall")
    assert by_gid(ax, "estimates").get_xdata().tolist() == es
    assert -1 in es  # estimated, so not drawn as an omitted reference
    assert "reference" not in [a.get_gid() for a in ax.lines]
    assert ax.get_title().startswith(
        "Effect by period relative to adoption (Callaway and Sant'Anna)\n"
        "Average effect over the periods after adoption: "
    )
    again = plot.plot_event_study(dynamic, reference=None).axes[0]
    assert (
        by_gid(again, "estimates").get_ydata().tolist()
        == by_gid(ax, "estimates").get_ydata().tolist()
    )


def test_event_study_refuses_results_without_event_terms() -> None:
    r = twfe(staggered_panel(), vcov="hc1")
    with pytest.raises(
        ValidationError, match=r"result\.terms: expected event-time terms .* from estimator 'twfe'"
    ):
        plot.plot_event_study(r)


def test_event_study_long_windows_get_integer_ticks_not_one_per_period() -> None:
    from civicinnov.evaluation import Estimate

    r = event_study(staggered_panel(), leads=2, lags=2, vcov="hc1")
    terms = tuple(
        Estimate(name=f"event_{e}", value=0.1 * e, se=0.1, ci_low=0.1 * e - 0.2,
                 ci_high=0.1 * e + 0.2, p_value=0.5)
        for e in range(-15, 16) if e != -1
    )  # fmt: skip
    ax = plot.plot_event_study(attrs.evolve(r, terms=terms)).axes[0]
    assert by_gid(ax, "estimates").get_xdata().tolist() == [e for e in range(-15, 16) if e != -1]
    ticks = ax.get_xticks()
    assert len(ticks) < 31
    assert all(float(t).is_integer() for t in ticks)


# ------------------------------------------------------------------ synthetic-control gap
@attrs.frozen
class Fit:
    periods: object
    treated: object
    synthetic: object
    gap: object
    unit: object
    treatment_start: object


YEARS = [2012, 2013, 2014, 2015, 2016, 2017]
TREATED = [10.0, 11.0, 12.0, 10.0, 9.0, 8.0]
SYNTH = [10.2, 10.8, 12.1, 13.0, 13.5, 14.0]


def test_gap_plot_from_a_result_object() -> None:
    fit = Fit(YEARS, TREATED, SYNTH, None, "incident", 2015)
    assert isinstance(fit, plot.GapData)
    fig = plot.plot_gap(fit, place="Mulhouse", outcome="Burglaries")
    readable(fig)
    top, bottom = fig.axes
    assert by_gid(top, "treated").get_ydata().tolist() == TREATED
    assert by_gid(top, "synthetic").get_ydata().tolist() == SYNTH
    np.testing.assert_allclose(by_gid(bottom, "gap").get_ydata(), np.subtract(TREATED, SYNTH))
    assert by_gid(top, "treatment-start").get_xdata()[0] == 2015
    assert by_gid(bottom, "treatment-start").get_xdata()[0] == 2015
    assert top.get_title() == "Mulhouse and its synthetic control"
    assert bottom.get_title() == "Gap: Mulhouse minus its synthetic control"
    assert top.get_ylabel() == bottom.get_ylabel() == "Burglaries (incident)"
    assert legend_texts(top) == ["Mulhouse", "Synthetic control", "Treatment starts"]


def test_gap_plot_takes_a_given_gap_quantities_dates_and_period_labels() -> None:
    from civicinnov.units import get_registry

    q = get_registry().Quantity
    fit = Fit(
        [date(2016, m, 1) for m in range(1, 7)],
        q(np.array(TREATED), "call"),
        q(np.array(SYNTH), "call"),
        [0.0, 0.0, 0.0, -1.0, -2.0, -3.0],
        None,
        date(2016, 4, 1),
    )
    fig = plot.plot_gap(fit, lang="fr")
    readable(fig)
    top, bottom = fig.axes
    assert by_gid(bottom, "gap").get_ydata().tolist() == [0.0, 0.0, 0.0, -1.0, -2.0, -3.0]
    assert top.get_ylabel() == "appel"  # the unit in French
    assert top.get_title() == "Traité et son contrôle synthétique"
    quarters = ["2016-Q1", "2016-Q2", "2016-Q3", "2016-Q4", "2017-Q1", "2017-Q2"]
    fig = plot.plot_gap(
        periods=quarters, treated=TREATED, synthetic=SYNTH, unit="case", treatment_start="2016-Q4"
    )
    readable(fig)
    bottom = fig.axes[1]
    assert by_gid(bottom, "treatment-start").get_xdata()[0] == 2.5
    assert [t.get_text() for t in bottom.get_xticklabels()] == quarters


@attrs.frozen
class EvaluationFit:
    """The shape of the evaluation layer's synthetic-control results."""

    treated: tuple[int, ...]  # the treated unit's ids, not its outcome
    adoption: int
    periods: np.ndarray
    treated_path: np.ndarray
    synthetic_path: np.ndarray
    gap: object
    outcome_unit: object


def test_gap_plot_reads_the_evaluation_results_by_their_paths() -> None:
    from civicinnov.units import get_registry

    q = get_registry().Quantity
    gap = np.subtract(TREATED, SYNTH) + 0.5  # as a shifted (SDID) gap: drawn as given
    fit = EvaluationFit(
        treated=(0,), adoption=2015, periods=np.array(YEARS), treated_path=np.array(TREATED),
        synthetic_path=np.array(SYNTH), gap=q(gap, "incident"),
        outcome_unit=get_registry().Unit("incident"),
    )  # fmt: skip
    assert isinstance(fit, plot.SyntheticPaths)
    fig = plot.plot_gap(fit, place="Mulhouse")
    readable(fig)
    top, bottom = fig.axes
    assert by_gid(top, "treated").get_ydata().tolist() == TREATED
    assert by_gid(top, "synthetic").get_ydata().tolist() == SYNTH
    np.testing.assert_allclose(by_gid(bottom, "gap").get_ydata(), gap)
    assert by_gid(top, "treatment-start").get_xdata()[0] == 2015
    assert top.get_ylabel() == "incident"


@pytest.mark.parametrize("estimator", ["synthetic_control", "synthetic_did"])
def test_gap_plot_of_the_evaluation_layers_synthetic_controls(estimator: str) -> None:
    import civicinnov.evaluation as evaluation

    rng = np.random.default_rng(3)
    units = np.repeat(np.arange(6), 10)
    periods = np.tile(np.arange(2010, 2020), 6)
    y = 10 + units * 0.5 + 0.3 * (periods - 2010) + rng.normal(0, 0.1, 60)
    y = y + np.where((units == 0) & (periods >= 2016), -2.0, 0.0)
    panel = Panel.from_arrays(
        units=units, periods=periods, outcome=y, unit="incident",
        first_treated={0: 2016, 1: None, 2: None, 3: None, 4: None, 5: None},
    )  # fmt: skip
    result = getattr(evaluation, estimator)(panel)
    assert isinstance(result, plot.SyntheticPaths)
    fig = plot.plot_gap(result, place="Mulhouse", lang="fr")
    readable(fig)
    top, bottom = fig.axes
    # drawn by its paths, never by `treated` (the treated unit's ids)
    np.testing.assert_allclose(by_gid(top, "treated").get_ydata(), result.treated_path)
    np.testing.assert_allclose(by_gid(top, "synthetic").get_ydata(), result.synthetic_path)
    np.testing.assert_allclose(by_gid(bottom, "gap").get_ydata(), result.gap.magnitude)
    assert by_gid(bottom, "treatment-start").get_xdata()[0] == 2016
    assert top.get_ylabel() == "incident"
    assert top.get_title() == "Mulhouse et son contrôle synthétique"


def test_gap_plot_bad_inputs() -> None:
    with pytest.raises(ValidationError, match="expected treated, treatment_start"):
        plot.plot_gap(periods=YEARS, synthetic=SYNTH)
    with pytest.raises(
        ValidationError, match=r"expected one length, got \{'periods': 6, 'treated': 5"
    ):
        plot.plot_gap(periods=YEARS, treated=TREATED[:5], synthetic=SYNTH, treatment_start=2015)
    with pytest.raises(ValidationError, match="treated: expected numbers"):
        plot.plot_gap(periods=YEARS, treated=["a"] * 6, synthetic=SYNTH, treatment_start=2015)
    with pytest.raises(ValidationError, match="treatment_start: expected one of the periods"):
        plot.plot_gap(periods=["a", "b"], treated=[1, 2], synthetic=[1, 2], treatment_start="c")


# ------------------------------------------------------------------ funnel
def test_funnel_from_counts_in_the_method_order() -> None:
    fig = plot.plot_funnel(
        {"scaled": 1, InitiativeStatus.CANDIDATE: 12, "selected": 5, "stopped": 2}
    )
    readable(fig)
    ax = fig.axes[0]
    order = [s.value for s in InitiativeStatus]
    assert [p.get_gid() for p in ax.patches] == [f"status:{s}" for s in order]
    widths = {s: p.get_width() for s, p in zip(order, ax.patches, strict=True)}
    assert widths == {
        "candidate": 12, "selected": 5, "planned": 0, "prototyping": 0, "piloting": 0,
        "delivering": 0, "scaled": 1, "handed_off": 0, "stopped": 2,
    }  # fmt: skip
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Candidate", "Selected", "Planned", "Prototyping", "Piloting", "Delivering", "Scaled",
        "Handed off", "Stopped",
    ]  # fmt: skip
    assert ax.yaxis_inverted()  # candidate on top
    assert [t.get_text() for t in ax.texts] == ["12", "5", "0", "0", "0", "0", "1", "0", "2"]
    assert ax.get_xlabel() == "Number of initiatives"
    assert ax.get_title() == "Initiatives by status\n20 initiatives in all"


def test_funnel_in_french_from_a_portfolio() -> None:
    from civicinnov.datasets import load_iteams

    p = load_iteams()
    fig = plot.plot_funnel(p, title="Équipes d'innovation", lang="fr")
    readable(fig)
    ax = fig.axes[0]
    counts = p.funnel()
    assert [p.get_width() for p in ax.patches] == [counts[s] for s in InitiativeStatus]
    assert ax.get_title() == f"Équipes d'innovation\n{len(p.initiatives)} initiatives au total"
    assert [t.get_text() for t in ax.get_yticklabels()][-2:] == ["Transmise", "Arrêtée"]
    assert ax.get_xlabel() == "Nombre d'initiatives"
    one = plot.plot_funnel({"scaled": 1}, lang="fr").axes[0]
    assert one.get_title().endswith("\n1 initiative au total")
    assert sum(plot.plot_funnel(Portfolio()).axes[0].patches[i].get_width() for i in range(9)) == 0


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
        plot.plot_funnel(counts)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the map
CITIES = [
    ("lyon", "Lyon", 45.76, 4.84),
    ("grenoble", "Grenoble", 45.19, 5.72),
    ("paris", "Paris", 48.86, 2.35),
    ("lille", "Lille", 50.63, 3.06),
]


def small_network() -> CityNetwork:
    net = CityNetworkBuilder()
    for cid, name, lat, lon in CITIES:
        net.add_city(cid, name=name, country="FR", lat=lat, lon=lon)
    net.add_organisation("la27e", name="La 27e Region")
    net.add_relation(Relation(kind="exchange", source="lyon", target="paris", on=date(2017, 3, 1)))
    net.add_relation(Relation(kind="partnership", source="paris", target="lille"))
    net.add_relation(Relation(kind="intermediary", source="la27e", target="paris"))
    net.add_proximity("150 km")
    return net.build()


def test_network_map_projects_places_and_draws_great_circle_ties() -> None:
    fig = plot.plot_network_map(small_network(), insets=())
    readable(fig)
    ax = fig.axes[0]
    assert len(fig.axes) == 1
    cities = by_gid(ax, "cities")
    assert isinstance(cities, PathCollection)
    lon = np.array([c[3] for c in CITIES])
    lat = np.array([c[2] for c in CITIES])
    x, y = plot.equal_earth(lon, lat)
    np.testing.assert_allclose(cities.get_offsets(), np.column_stack([x, y]))
    exchange = by_gid(ax, "relations:exchange")
    (arc,) = exchange.get_segments()
    # a great-circle arc from Lyon to Paris: its ends are the projected cities
    np.testing.assert_allclose(arc[0], [x[0], y[0]], atol=1e-6)
    np.testing.assert_allclose(arc[-1], [x[2], y[2]], atol=1e-6)
    assert len(arc) > 2
    assert len(by_gid(ax, "relations:proximity").get_segments()) == 1  # lyon-grenoble
    colours = {
        a.get_gid(): tuple(np.round(a.get_colors()[0][:3], 3))
        for a in ax.collections
        if str(a.get_gid()).startswith("relations:")
    }
    assert len(set(colours.values())) == len(colours) == 3
    # the organisation has no coordinates: it and its relation are left out, and a note says so
    assert "relations:intermediary" not in colours
    assert by_gid(ax, "unplaced").get_text() == "1 place not shown (no coordinates)"
    assert ax.get_title(loc="left") == "Network of cities"
    assert legend_texts(ax) == ["Partnership", "Exchange", "Proximity", "City"]
    assert sorted(t.get_text() for t in ax.texts if str(t.get_gid()).startswith("label:")) == [
        "Grenoble", "Lille", "Lyon", "Paris",
    ]  # fmt: skip
    assert isinstance(by_gid(ax, "countries"), PolyCollection)


def test_network_map_in_french() -> None:
    ax = plot.plot_network_map(small_network(), lang="fr", insets=()).axes[0]
    assert ax.get_title(loc="left") == "Réseau de villes"
    assert legend_texts(ax) == ["Partenariat", "Échange", "Proximité", "Ville"]
    assert by_gid(ax, "unplaced").get_text() == "1 lieu absent de la carte (sans coordonnées)"


def test_network_map_kinds_labels_and_organisations_with_coordinates() -> None:
    builder = small_network().builder()
    builder.add_organisation("hub", name="Hub", lat=47.0, lon=3.0)
    net = builder.build()
    fig = plot.plot_network_map(
        net, kinds=[RelationKind.PROXIMITY, "exchange"], labels=False, insets=()
    )
    ax = fig.axes[0]
    assert [a.get_gid() for a in ax.collections] == [
        "sea",
        "countries",
        "relations:exchange",
        "relations:proximity",
        "organisations",
        "cities",
    ]
    x, y = plot.equal_earth(3.0, 47.0)
    np.testing.assert_allclose(by_gid(ax, "organisations").get_offsets(), [[x, y]])
    assert not [t for t in ax.texts if str(t.get_gid()).startswith("label:")]
    few = plot.plot_network_map(net, label_limit=2, insets=()).axes[0]
    assert not [t for t in few.texts if str(t.get_gid()).startswith("label:")]
    with pytest.raises(
        ValidationError, match="kinds: 'nope' is not a relation kind; expected one of"
    ):
        plot.plot_network_map(net, kinds=["nope"])
    with pytest.raises(
        ValidationError, match=r"insets\[0\]: expected ids of drawn places .*\['la27e'\]"
    ):
        plot.plot_network_map(net, insets=[["lyon", "la27e"]])


@pytest.fixture(scope="module")
def bundled_map() -> Figure:
    from civicinnov.datasets import load_iteams

    return plot.plot_network_map(load_iteams())


def test_the_bundled_map_zooms_on_the_rhine_and_the_israeli_cities(bundled_map: Figure) -> None:
    readable(bundled_map)
    main, *insets = bundled_map.axes
    named = {ax.get_title(): sorted(t.get_text() for t in ax.texts) for ax in insets}
    assert named["Detail A"] == ["Basel", "Freiburg im Breisgau", "Mulhouse"]
    assert named["Detail B"] == ["Be'er Sheva", "Jerusalem", "Tel Aviv-Yafo"]
    # the 40 km ties of the tri-city (all three legs) are long enough to see in their inset
    rhine = insets[0]
    ties = by_gid(rhine, "relations:cross_border_metro").get_segments()
    assert len(ties) == 3
    frame = rhine.get_window_extent()
    for seg in ties:
        ends = rhine.transData.transform(seg[[0, -1]])
        assert np.hypot(*(ends[1] - ends[0])) > 0.2 * frame.width
    # on the map, each inset is a lettered frame and its places are not named twice
    letters = sorted(
        t.get_text() for t in main.texts if str(t.get_gid()).startswith("inset-letter:")
    )
    assert letters == ["A", "B", "C"][: len(insets)]
    main_names = {t.get_text() for t in main.texts if str(t.get_gid()).startswith("label:")}
    assert "Mulhouse" not in main_names
    assert {"Paris", "Chicago", "Seattle", "Anchorage"} <= main_names


def test_the_bundled_map_names_every_place_once(bundled_map: Figure) -> None:
    from civicinnov.datasets import load_iteams

    net = load_iteams().network().nx
    placed = {d["name"] for _, d in net.nodes(data=True) if d.get("lat") is not None}
    names = [
        t.get_text()
        for ax in bundled_map.axes
        for t in ax.texts
        if str(t.get_gid()).startswith("label:")
    ]
    assert sorted(names) == sorted(placed)


def test_a_map_of_nothing_is_the_world_with_a_note() -> None:
    builder = CityNetworkBuilder()
    builder.add_organisation("la27e", name="La 27e Région")
    fig = plot.plot_network_map(builder.build())
    readable(fig)
    ax = fig.axes[0]
    assert by_gid(ax, "unplaced").get_text() == "1 place not shown (no coordinates)"
    x0, x1 = ax.get_xlim()
    assert x1 - x0 >= 2 * 17_000  # the whole width of the world


# ------------------------------------------------------------------ geometry
def test_equal_earth_matches_the_published_extent() -> None:
    # Šavrič et al. (2019): the map spans 2.70663 R across half its width and 1.31736 R up
    x, y = plot.equal_earth([180.0, -180.0, 0.0], [0.0, 0.0, -90.0])
    r = EARTH_RADIUS_KM
    np.testing.assert_allclose(x / r, [2.70663, -2.70663, 0.0], atol=1e-5)
    np.testing.assert_allclose(y / r, [0.0, 0.0, -1.31736], atol=1e-5)
    with pytest.raises(ValidationError, match=r"lat: expected degrees within ±90, got 91"):
        plot.equal_earth(0.0, 91.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-179.0, 179.0), st.floats(-85.0, 85.0),
            st.floats(-179.0, 179.0), st.floats(-85.0, 85.0),
        ),
        min_size=1, max_size=5,
    )
)  # fmt: skip
def test_great_circle_arcs_are_the_shortest_path(points: list[tuple[float, ...]]) -> None:
    a = np.array(points)
    lon, lat = plot.great_circle(a[:, 0], a[:, 1], a[:, 2], a[:, 3], samples=9)

    def unit(lo: np.ndarray, la: np.ndarray) -> np.ndarray:
        lo, la = np.radians(lo), np.radians(la)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], -1)

    v = unit(lon, lat)
    start, end = unit(a[:, 0], a[:, 1]), unit(a[:, 2], a[:, 3])
    np.testing.assert_allclose(v[:, 0], start, atol=1e-9)
    np.testing.assert_allclose(v[:, -1], end, atol=1e-9)
    # equal steps along the arc, and the steps add up to the direct angle
    steps = np.arccos(np.clip(np.einsum("ijk,ijk->ij", v[:, 1:], v[:, :-1]), -1, 1))
    direct = np.arccos(np.clip(np.einsum("ij,ij->i", start, end), -1, 1))
    np.testing.assert_allclose(steps.sum(axis=1), direct, atol=1e-6)
    np.testing.assert_allclose(steps, np.repeat(direct[:, None] / 8, 8, axis=1), atol=1e-6)


def test_arcs_across_the_date_line_are_split_not_drawn_across_the_map() -> None:
    builder = CityNetworkBuilder()
    builder.add_city("anchorage", name="Anchorage", lat=61.22, lon=-149.9)
    builder.add_city("tokyo", name="Tokyo", lat=35.68, lon=139.69)
    builder.add_relation(Relation(kind="exchange", source="anchorage", target="tokyo"))
    ax = plot.plot_network_map(builder.build()).axes[0]
    segments = by_gid(ax, "relations:exchange").get_segments()
    assert len(segments) == 2
    for seg in segments:
        assert np.abs(np.diff(seg[:, 0])).max() < 2000.0  # no jump across the map


def test_the_shipped_outlines_are_small_and_say_where_they_come_from() -> None:
    import civicinnov._geodata as geodata

    here = Path(geodata.__file__).parent
    assert (here / "countries.json").stat().st_size < 300_000
    readme = (here / "README.md").read_text()
    assert "Natural Earth" in readme
    assert "public domain" in readme
    countries = plot.country_outlines()
    assert {"FRA", "DEU", "CHE", "ISR", "USA"} <= {c.iso_a3 for c in countries}
    france = next(c for c in countries if c.iso_a3 == "FRA")
    paris = (2.35, 48.86)
    from matplotlib.path import Path as MplPath

    assert any(MplPath(r).contains_point(paris) for r in france.rings)


# ------------------------------------------------------------------ label placement
def test_labels_avoid_each_other_markers_and_the_frame() -> None:
    fig = plot.new_figure((3.0, 3.0), constrained=False)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set(xlim=(0, 10), ylim=(0, 10))
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0.5, 9.5, 25), rng.uniform(0.5, 9.5, 25)
    ax.scatter(x, y, s=10)
    placed = plot.place_labels(ax, x, y, [f"City {i}" for i in range(25)])
    kept = [p for p in placed if p is not None]
    assert 5 < len(kept) <= 25
    assert plot.overlapping_texts(fig, gids="label:") == []
    frame = ax.get_window_extent()
    renderer = fig.canvas.get_renderer()
    for note in kept:
        box = note.get_window_extent(renderer)
        assert frame.x0 <= box.x0
        assert box.x1 <= frame.x1
        assert frame.y0 <= box.y0
        assert box.y1 <= frame.y1
    # a label with no room at all is left out, not drawn over the others
    crowded = plot.place_labels(ax, [5.0] * 40, [5.0] * 40, ["Somewhere long"] * 40)
    assert None in crowded
    assert plot.overlapping_texts(fig, gids="label:") == []


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 10.0), st.text("abcXYZ ", min_size=1, max_size=14)),
        min_size=1, max_size=30,
    ),
    st.sampled_from(["x-small", "small", "large"]),
)  # fmt: skip
def test_placed_labels_never_overlap_and_stay_in_the_axes(
    points: list[tuple[float, float, str]], fontsize: str
) -> None:
    fig = plot.new_figure((4.0, 3.0), constrained=False)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set(xlim=(-0.5, 10.5), ylim=(-0.5, 10.5))
    x, y, names = zip(*points, strict=True)
    placed = plot.place_labels(ax, x, y, list(names), fontsize=fontsize)
    assert len(placed) == len(points)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [p.get_window_extent(renderer) for p in placed if p is not None]
    for box in boxes:
        assert frame.x0 - 1 <= box.x0
        assert box.x1 <= frame.x1 + 1
        assert frame.y0 - 1 <= box.y0
        assert box.y1 <= frame.y1 + 1
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].overlaps(boxes[b])
    # A label alone always finds room; with others, their markers may surround it (a wide label
    # in a corner beside two points), and it is then left out rather than drawn over them.
    if len(points) == 1:
        assert placed[0] is not None or not names[0].strip()


def test_crowded_groups_do_not_chain() -> None:
    # points 1 apart in a line: single linkage would chain them all; complete linkage does not
    x = np.arange(10.0)
    groups = plot.crowded_groups(x, np.zeros(10), within=2.5, limit=10)
    assert all(len(g) <= 3 for g in groups)
    assert sorted(i for g in groups for i in g) == sorted({i for g in groups for i in g})


# ------------------------------------------------------------------ every chart is readable
def _charts() -> dict[str, Callable[[str], Figure]]:
    from civicinnov.datasets import load_iteams

    series = MetricSeries.from_records(MURDERS, place_id="nola", period_type=YEAR, records=RECORDS)
    result = event_study(staggered_panel(), leads=2, lags=2, vcov="hc1")
    return {
        "turn_the_curve": lambda lang: plot.plot_turn_the_curve(
            series, start="2020-01-01", targets=target(), definition=MURDERS, lang=lang
        ),
        "event_study": lambda lang: plot.plot_event_study(result, lang=lang),
        "gap": lambda lang: plot.plot_gap(
            periods=YEARS,
            treated=TREATED,
            synthetic=SYNTH,
            unit="incident",
            treatment_start=2015,
            lang=lang,
        ),
        "funnel": lambda lang: plot.plot_funnel(load_iteams(), lang=lang),
        "network_map": lambda lang: plot.plot_network_map(small_network(), lang=lang),
    }


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(_charts()))
def test_every_chart_is_readable_in_every_language(name: str, lang: str) -> None:
    fig = _charts()[name](lang)
    width, height = fig.get_size_inches()
    assert 5.0 <= width <= 12.0
    assert 3.0 <= height <= 10.0
    readable(fig)
    svg = plot.figure_svg(fig, title=name)
    assert svg == plot.figure_svg(fig, title=name)  # the same bytes every time
    assert "<text" in svg  # text stays text in the SVG
    # every chart captions itself in words, in its language, and the SVG carries the caption
    text = fig.get_label()
    assert len(text) > 20
    assert text.endswith(".")
    assert "_" not in text  # no ids or enum values
    if lang == "fr":
        assert " : " not in text.replace("\xa0:", "")  # French colons take a no-break space
    default = plot.figure_svg(fig)
    from xml.sax.saxutils import escape

    assert f"<dc:title>{escape(text)}</dc:title>" in default


# ------------------------------------------------------------------ cost at import, no matplotlib
def test_importing_does_not_import_matplotlib_until_a_function_is_called() -> None:
    code = (
        "import sys, civicinnov, civicinnov.plot\n"
        "before = 'matplotlib' in sys.modules\n"
        "civicinnov.plot.plot_funnel({'candidate': 1})\n"
        "print(before, 'matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "False"]


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"install civicinnov\[plot\]"):
        plot.plot_funnel({"candidate": 1})


def test_figures_leave_pyplot_state_alone() -> None:
    import matplotlib

    backend = matplotlib.get_backend()
    plot.plot_funnel({"candidate": 1})
    assert matplotlib.get_backend() == backend
    assert (
        "matplotlib.pyplot" not in sys.modules
        or not __import__("matplotlib.pyplot").pyplot.get_fignums()
    )


def test_the_docs_extension_draws_the_figures(tmp_path: Path) -> None:
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
        "network_map_fr.png",
        "gap.png",
    ]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)


def test_tick_numbers_are_written_as_the_language_writes_them() -> None:
    fig = plot.plot_gap(
        periods=YEARS, treated=[t * 1000 for t in TREATED], synthetic=[s * 1000 for s in SYNTH],
        unit="call", treatment_start=2015, lang="fr",
    )  # fmt: skip
    fig.canvas.draw()
    top = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("\u202f" in t for t in top), top  # 11 000, grouped the French way
    assert not any("," in t for t in top), top
    fig = plot.plot_gap(
        periods=YEARS, treated=[t / 100 for t in TREATED], synthetic=[s / 100 for s in SYNTH],
        unit="call", treatment_start=2015, lang="fr",
    )  # fmt: skip
    fig.canvas.draw()
    small = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("," in t for t in small), small  # 0,10: a decimal comma
    english = plot.plot_gap(
        periods=YEARS, treated=[t * 1000 for t in TREATED], synthetic=[s * 1000 for s in SYNTH],
        unit="call", treatment_start=2015,
    )  # fmt: skip
    english.canvas.draw()
    assert any("," in t.get_text() for t in english.axes[0].get_yticklabels())  # 11,000
