"""Benchmark the metrics pipeline on 1,000,000 daily observations against hand-written numpy.

One run times, over ``--repeat`` rounds (the two sides alternate, so both see the same load):

- **civicinnov**: build a :class:`~civicinnov.metrics.series.MetricSeries` from the dates and values
  (ordinals, order checks, unit), resample it to months by the metric's temporal aggregation, then
  compute baseline-aware progress, on-track status against the baseline -> target trajectory, and
  the OLS trend with its 95 % interval, each over all 1,000,000 daily values;
- **numpy**: the same numbers written directly: month ids with ``astype('datetime64[M]')``, group
  sums with ``np.add.reduceat``, the progress and on-track formulas on arrays, and OLS by hand.

It checks that both give the same numbers, then prints both times (best and median) and the ratio:
the median, over rounds, of ours / numpy timed back to back in the same round, which is robust to
other load on the machine (target: civicinnov <= 1.5x numpy). No Python loop over observations on
either side.

Run from the repository root::

    .venv/bin/python benchmarks/metrics.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from civicinnov.evaluation import on_track, trend
from civicinnov.metrics.definition import Direction, MetricDefinition
from civicinnov.metrics.series import MetricSeries
from civicinnov.metrics.target import Baseline, Target
from civicinnov.model import TargetStage
from civicinnov.periods import DAY, MONTH
from civicinnov.units import as_quantity, get_registry

N = 1_000_000
START = np.datetime64("1990-01-01", "D")
BASE_DATE = dt.date(1990, 1, 1)
DUE = dt.date(4000, 1, 1)


def make_data(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    days = START + np.arange(N)
    values = rng.poisson(40.0, N).astype(np.float64) - np.arange(N) * 1e-5
    values[rng.random(N) < 0.01] = np.nan  # 1 % missing
    return days, values


DEFINITION = MetricDefinition(
    id="calls-redirected",
    name="Calls redirected",
    unit="call",
    direction=Direction.DECREASE,
)
BASELINE = Baseline(metric_id="calls-redirected", value="50 call", as_of=BASE_DATE)
TARGET = Target(
    id="halve-calls",
    metric_id="calls-redirected",
    stage=TargetStage.FINAL,
    value="25 call",
    due=DUE,
)


def ours(days: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    series = MetricSeries.from_arrays(
        DEFINITION, place_id="city", period_type=DAY, dates=days, values=values
    )
    monthly = series.resample(MONTH, DEFINITION)
    track = on_track(series, baseline=BASELINE, target=TARGET, definition=DEFINITION)
    p = track.progress
    t = trend(series, per="day")
    return {
        "monthly": monthly.values,
        "raw": p.raw,
        "clamped": p.clamped,
        "gap": track.gap,
        "slope": float(t.slope.magnitude),
        "ci": (float(t.ci_low.magnitude), float(t.ci_high.magnitude)),
    }


def by_hand(days: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    # monthly sums, skipping missing values (a month of all-missing days would be NaN)
    months = days.astype("datetime64[M]").astype(np.int64)
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    present = ~np.isnan(values)
    sums = np.add.reduceat(np.where(present, values, 0.0), starts)
    counts = np.add.reduceat(present.astype(np.int64), starts)
    sums[counts == 0] = np.nan
    # progress towards the target and the straight trajectory
    b, tgt = 50.0, 25.0
    raw = (values - b) / (tgt - b)
    clamped = np.clip(raw, 0.0, 1.0)
    ends = days.astype(np.int64).astype(np.float64)  # a day's period ends on the day
    b_day = float(np.datetime64(BASE_DATE, "D").astype(np.int64))
    d_day = float(np.datetime64(DUE, "D").astype(np.int64))
    elapsed = np.clip((ends - b_day) / (d_day - b_day), 0.0, 1.0)
    gap = raw - elapsed
    # OLS trend per day with a t interval, missing values dropped
    x = days.astype(np.int64).astype(np.float64)[present]
    y = values[present]
    xc = x - x.mean()
    sxx = xc @ xc
    slope = (xc @ (y - y.mean())) / sxx
    resid = y - y.mean() - slope * xc
    se = np.sqrt((resid @ resid) / (len(y) - 2) / sxx)
    crit = stats.t.ppf(0.975, len(y) - 2)
    return {
        "monthly": sums,
        "raw": raw,
        "clamped": clamped,
        "gap": gap,
        "slope": float(slope),
        "ci": (float(slope - crit * se), float(slope + crit * se)),
    }


def interleaved(
    repeat: int, first: Callable[[], Any], second: Callable[[], Any]
) -> tuple[list[float], Any, list[float], Any]:
    """Times of two functions over ``repeat`` rounds, run back to back in each round so that a
    round's pair sees the same machine load."""
    times: list[list[float]] = [[], []]
    results: list[Any] = [None, None]
    for _ in range(repeat):
        for i, func in enumerate((first, second)):
            start = time.perf_counter()
            results[i] = func()
            times[i].append(time.perf_counter() - start)
    return times[0], results[0], times[1], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    get_registry()  # build the unit registry once, outside the timings
    as_quantity(1, "call")
    days, values = make_data()
    ours(days[:1000], values[:1000])  # warm up imports and caches
    t_ours, r_ours, t_np, r_np = interleaved(
        args.repeat, lambda: ours(days, values), lambda: by_hand(days, values)
    )
    for key in ("monthly", "raw", "clamped", "gap"):
        np.testing.assert_allclose(r_ours[key], r_np[key], rtol=1e-9, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(r_ours["slope"], r_np["slope"], rtol=1e-9)
    np.testing.assert_allclose(r_ours["ci"], r_np["ci"], rtol=1e-9)
    ratio = statistics.median(a / b for a, b in zip(t_ours, t_np, strict=True))
    print(f"metrics pipeline on {N:,} daily observations ({len(r_np['monthly']):,} months)")
    print("  resample to months + progress + on-track + trend; results identical: yes")
    for name, times in (("civicinnov", t_ours), ("numpy", t_np)):
        print(
            f"  {name:<11} best {min(times) * 1e3:7.1f} ms   median "
            f"{statistics.median(times) * 1e3:7.1f} ms   ({args.repeat} rounds)"
        )
    verdict = "meets" if ratio <= 1.5 else "MISSES"
    print(f"  ratio       {ratio:.2f}x median of paired rounds ({verdict} the <= 1.5x target)")


if __name__ == "__main__":
    main()
