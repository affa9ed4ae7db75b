"""Sphinx extension: draw the :mod:`civicinnov.plot` figures when the docs are built.

The PNGs go to ``docs/_build/figures/`` (inside the source tree so that MyST ``{image}``
directives can point at ``/_build/figures/<name>.png``; ``docs/_build/`` is ignored by git, so
nothing generated is committed). They are drawn on the ``builder-inited`` event, before any page
is read, from the bundled i-teams dataset (funnel, network map, in English and French) and from
small generated data (turn the curve, event study, synthetic-control gap), so the build needs no network and no files outside the repo.

Run it alone to look at the figures: ``python docs/_ext/civicinnov_figures.py [output-dir]``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from sphinx.application import Sphinx

#: Where the figures are written, relative to the docs source directory.
FIGURE_DIR = Path("_build") / "figures"


def turn_the_curve_figure() -> Figure:
    """Monthly blighted properties in a city: a rising history, then the curve turns."""
    import numpy as np

    from civicinnov.metrics.definition import Direction, MetricDefinition
    from civicinnov.metrics.series import MetricSeries
    from civicinnov.metrics.target import Baseline, Target
    from civicinnov.model import TargetStage
    from civicinnov.periods import QUARTER
    from civicinnov.plot import plot_turn_the_curve

    blight = MetricDefinition(
        id="blighted-properties",
        name="Blighted properties",
        unit="property",
        direction=Direction.DECREASE,
    )
    quarters = [f"{y}-Q{q}" for y in range(2012, 2018) for q in range(1, 5)]
    noise = np.random.default_rng(2015).normal(0.0, 25.0, len(quarters))
    level = np.where(
        np.arange(len(quarters)) < 12,
        3000 + 30 * np.arange(len(quarters)),
        3330 - 45 * (np.arange(len(quarters)) - 11),
    )
    values = np.round(level + noise)
    series = MetricSeries.from_records(
        blight,
        place_id="example-city",
        period_type=QUARTER,
        records=list(zip(quarters, values.tolist(), strict=True)),
    )
    baseline = Baseline(metric_id="blighted-properties", value="3330 property", as_of="2014-12-31")
    target = Target(
        id="blight-down-20",
        metric_id="blighted-properties",
        stage=TargetStage.FINAL,
        value="2660 property",
        due="2018-12-31",
    )
    return plot_turn_the_curve(
        series,
        start="2015-01-01",
        targets=[target],
        baseline=baseline,
        definition=blight,
        place="Example City",
    )


def event_study_figure() -> Figure:
    """Eight treated and eight comparison cities over ten periods, adoption in two waves."""
    import numpy as np

    from civicinnov.evaluation.impact import Panel, event_study as estimate
    from civicinnov.plot import plot_event_study

    n_units, n_periods = 16, 10
    units = np.repeat(np.arange(n_units), n_periods)
    periods = np.tile(np.arange(n_periods), n_units)
    first = {u: (4 if u < 4 else 6 if u < 8 else None) for u in range(n_units)}
    cohort = np.array([np.inf if first[u] is None else first[u] for u in range(n_units)])[units]
    rel = periods - np.where(np.isfinite(cohort), cohort, 0)
    effect = np.where(np.isfinite(cohort) & (rel >= 0), -2.0 - 0.8 * rel, 0.0)
    rng = np.random.default_rng(11)
    y = 40 + units * 0.5 + periods * 0.4 + effect + rng.normal(0, 0.6, units.size)
    panel = Panel.from_arrays(
        units=units, periods=periods, outcome=y, unit="incident", first_treated=first
    )
    return plot_event_study(estimate(panel, leads=4, lags=3, vcov="crv1"))


def funnel_figure() -> Figure:
    """The bundled programme's initiatives by status."""
    from civicinnov.datasets import load_iteams
    from civicinnov.plot import plot_funnel

    return plot_funnel(load_iteams(), title="i-teams initiatives by status")


def network_map_figure(lang: str = "en") -> Figure:
    """The bundled programme's network of cities on a world map, with insets where cities crowd."""
    from civicinnov.datasets import load_iteams
    from civicinnov.plot import plot_network_map

    return plot_network_map(load_iteams(), lang=lang)


def network_map_fr_figure() -> Figure:
    """The same map with its labels in French."""
    return network_map_figure("fr")


def gap_figure() -> Figure:
    """A treated city against a synthetic control made of untreated cities (generated data)."""
    import numpy as np

    from civicinnov.plot import plot_gap

    years = np.arange(2008, 2021)
    rng = np.random.default_rng(7)
    synthetic = 120 + 2.0 * (years - 2008) + rng.normal(0, 1.5, years.size)
    effect = np.where(years >= 2015, -4.0 * (years - 2014), 0.0)
    treated = synthetic + rng.normal(0, 1.5, years.size) + effect
    return plot_gap(
        periods=years,
        treated=treated,
        synthetic=synthetic,
        unit="incident / month",
        treatment_start=2015,
        place="Example City",
        outcome="Burglaries",
    )


FIGURES = {
    "turn_the_curve": turn_the_curve_figure,
    "event_study": event_study_figure,
    "funnel": funnel_figure,
    "network_map": network_map_figure,
    "network_map_fr": network_map_fr_figure,
    "gap": gap_figure,
}


def generate(directory: Path) -> list[Path]:
    """Write every figure as ``<name>.png`` into ``directory``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in FIGURES.items():
        path = directory / f"{name}.png"
        # no "Software" version stamp: the PNGs depend only on the data and the code
        make().savefig(path, dpi=100, metadata={"Software": None})
        paths.append(path)
    return paths


def _on_builder_inited(app: Sphinx) -> None:
    generate(Path(app.srcdir) / FIGURE_DIR)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension: draw the figures before the pages are read."""
    app.connect("builder-inited", _on_builder_inited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / FIGURE_DIR
    for written in generate(out):
        print(written)
