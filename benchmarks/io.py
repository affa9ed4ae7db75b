"""Benchmark: load a large portfolio and its observations, against bare parsing of the same files.

Generates 1,000 cities, 10,000 challenges, 40,000 initiatives (and their cohorts, i-teams and
metrics) as a portfolio JSON document, plus 1,000,000 observations (1,000 cities x 10 metrics x
100 months) as CSV. Then times

- **ours**: ``load_portfolio`` (parse, structure with the strict converter, every integrity check)
  plus ``read_observations`` (parse, validate and group into 10,000 columnar series);
- **bare**: ``json.load`` of the same document plus reading the CSV rows with the ``csv`` module;

and prints both and their ratio (target: ours <= 2x bare), as medians over rounds that alternate the
two sides. Saving is timed too, for information.

Run: ``.venv/bin/python benchmarks/io.py [--scale 0.1]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import pathlib
import statistics
import sys
import tempfile
import time

import numpy as np

from civicinnov.io.csv import read_observations
from civicinnov.io.json import load_portfolio, save_portfolio
from civicinnov.metrics.definition import Direction, MetricDefinition
from civicinnov.model import (
    Challenge,
    City,
    Cohort,
    CohortMember,
    Initiative,
    InitiativeStatus,
    ITeam,
    Location,
    Partner,
    PolicyDomain,
)
from civicinnov.money import Money
from civicinnov.periods import MONTH
from civicinnov.programme import Portfolio


def build(n_cities: int, n_challenges: int, n_initiatives: int, n_metrics: int) -> Portfolio:
    rng = np.random.default_rng(7)
    domains = list(PolicyDomain)
    statuses = list(InitiativeStatus)
    cities = tuple(
        City(
            id=f"city-{i}",
            name=f"City {i}",
            country="US" if i % 3 else "FR",
            region=f"Region {i % 50}",
            population=int(rng.integers(50_000, 5_000_000)),
            location=Location(lat=float(rng.uniform(-60, 60)), lon=float(rng.uniform(-170, 170))),
        )
        for i in range(n_cities)
    )
    cohorts = tuple(
        Cohort(
            id=f"cohort-{k}",
            name=f"Cohort {k}",
            funder_id="funder",
            announced=dt.date(2011 + k, 1, 1),
            members=tuple(
                CohortMember(city_id=c.id, joined=dt.date(2011 + k, 2, 1)) for c in cities[k::10]
            ),
        )
        for k in range(10)
    )
    iteams = tuple(
        ITeam(
            id=f"team-{i}",
            city_id=c.id,
            cohort_id=f"cohort-{i % 10}",
            grant=Money.parse(f"${int(rng.integers(1, 50)) * 100}k"),
        )
        for i, c in enumerate(cities)
    )
    metrics = tuple(
        MetricDefinition(
            id=f"metric-{m}", name=f"Metric {m}", unit="incident", direction=Direction.DECREASE
        )
        for m in range(n_metrics)
    )
    challenges = tuple(
        Challenge(
            id=f"challenge-{j}",
            city_id=f"city-{j % n_cities}",
            statement=f"Challenge {j}",
            policy_domain=domains[j % len(domains)],
            metric_ids=(f"metric-{j % n_metrics}",),
        )
        for j in range(n_challenges)
    )
    initiatives = tuple(
        Initiative(
            id=f"initiative-{k}",
            title=f"Initiative {k}",
            city_id=f"city-{(k // 4) % n_cities}",
            challenge_ids=(f"challenge-{k // 4}",),
            status=statuses[k % len(statuses)],
        )
        for k in range(n_initiatives)
    )
    return Portfolio(
        name="Benchmark",
        cities=cities,
        partners=(Partner(id="funder", name="Funder", kinds={"funder"}),),
        cohorts=cohorts,
        iteams=iteams,
        challenges=challenges,
        initiatives=initiatives,
        metrics=metrics,
    )


def write_observations_csv(path: pathlib.Path, n_cities: int, n_metrics: int, n_months: int) -> int:
    rng = np.random.default_rng(11)
    labels = MONTH.labels(np.arange(600, 600 + n_months))
    values = rng.integers(0, 500, size=n_cities * n_metrics * n_months)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("city,metric,period,value,unit\n")
        k = 0
        for c in range(n_cities):
            for m in range(n_metrics):
                prefix = f"city-{c},metric-{m},"
                fh.write(
                    "".join(
                        f"{prefix}{label},{values[k + i]},incident\n"
                        for i, label in enumerate(labels)
                    )
                )
                k += n_months
                rows += n_months
    return rows


def best_of(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink everything (e.g. 0.1)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n_cities = max(10, int(1000 * args.scale))
    n_challenges = max(10, int(10_000 * args.scale))
    n_initiatives = max(10, int(40_000 * args.scale))
    n_metrics, n_months = 10, 100

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="civicinnov-bench-"))
    doc_path, csv_path = tmp / "portfolio.json", tmp / "observations.csv"

    t0 = time.perf_counter()
    portfolio = build(n_cities, n_challenges, n_initiatives, n_metrics)
    t_build = time.perf_counter() - t0
    t_save = best_of(lambda: save_portfolio(portfolio, doc_path), 1)
    rows = write_observations_csv(csv_path, n_cities, n_metrics, n_months)

    metrics = portfolio.metrics

    def ours() -> None:
        loaded = load_portfolio(doc_path)
        series = read_observations(csv_path, metrics=metrics)
        assert len(loaded.initiatives) == n_initiatives
        assert sum(len(s) for s in series) == rows

    def ours_json() -> None:
        load_portfolio(doc_path)

    def ours_csv() -> None:
        read_observations(csv_path, metrics=metrics)

    def bare_json() -> None:
        with doc_path.open("rb") as fh:
            json.load(fh)

    def bare_csv() -> None:
        with csv_path.open(newline="", encoding="utf-8") as fh:
            data = list(csv.reader(fh))
        assert len(data) == rows + 1

    def bare() -> None:
        bare_json()
        bare_csv()

    def paired(a: object, b: object) -> tuple[float, float, float]:
        """Alternate a and b (order flipped each round); medians of the times and of the per-round
        ratios, so a burst of load on a shared machine hits both sides of a round alike."""
        ta, tb, ratios = [], [], []
        for r in range(args.repeat):
            first, second = (a, b) if r % 2 == 0 else (b, a)
            t1 = best_of(first, 1)
            t2 = best_of(second, 1)
            x, y = (t1, t2) if r % 2 == 0 else (t2, t1)
            ta.append(x)
            tb.append(y)
            ratios.append(x / y)
        return statistics.median(ta), statistics.median(tb), statistics.median(ratios)

    results = [
        ("portfolio JSON (+ checks)", *paired(ours_json, bare_json)),
        ("observations CSV", *paired(ours_csv, bare_csv)),
        ("full load", *paired(ours, bare)),
    ]

    size_mb = doc_path.stat().st_size / 1e6
    csv_mb = csv_path.stat().st_size / 1e6
    print(f"civicinnov io benchmark (python {sys.version.split()[0]})")
    print(
        f"portfolio: {n_cities:,} cities, {n_challenges:,} challenges, {n_initiatives:,} "
        f"initiatives -> {size_mb:.1f} MB JSON (build {t_build:.2f} s, save {t_save:.2f} s)"
    )
    print(f"observations: {rows:,} rows -> {csv_mb:.1f} MB CSV, {n_cities * n_metrics:,} series")
    print(f"{'':28}{'ours':>10}{'bare':>10}{'ratio':>8}   (medians of {args.repeat} paired rounds)")
    for label, a, b, ratio in results:
        print(f"{label:28}{a:>9.2f}s{b:>9.2f}s{ratio:>7.2f}x")
    ratio = results[-1][3]
    verdict = "meets" if ratio <= 2 else "MISSES"
    print(f"full load with validation / bare parsing = {ratio:.2f}x ({verdict} the 2x target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
