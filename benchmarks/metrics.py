"""Benchmark the metrics pipeline on 1,000,000 daily observations against hand-written numpy.

One run times, over ``--repeat`` rounds (the two sides alternate, so both see the same load):

- **civicinnov**: build a :class:`~civicinnov.metrics.MetricSeries` from the dates, values
  and observation statuses (10 % provisional), resample it to months by the metric's temporal
  aggregation (with each month's coverage and status), then
  compute baseline-aware progress, on-track status against the baseline -> target trajectory, and
  the OLS trend with its 95 % interval, each over all 1,000,000 daily values;
- **numpy**: the same numbers written directly: month ids with ``astype('datetime64[M]')``, group
  sums, counts of present days, days per month and the largest status code with ``reduceat``, the
  progress and on-track formulas on arrays, and OLS by hand.

A second measurement, for information, times ``MetricSeries.update`` with 10 % of the days
revised (the revision history kept) against building the series alone.

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
from civicinnov.metrics import Baseline, Direction, MetricDefinition, MetricSeries, Target
from civicinnov.model import TargetStage
from civicinnov.periods import DAY, MONTH
from civicinnov.units import as_quantity, get_registry

N = 1_000_000
START = np.datetime64("1990-01-01", "D")
BASE_DATE = dt.date(1990, 1, 1)
DUE = dt.date(4000, 1, 1)


def make_data(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    days = START + np.arange(N)
    values = rng.poisson(40.0, N).astype(np.float64) - np.arange(N) * 1e-5
    values[rng.random(N) < 0.01] = np.nan  # 1 % missing
    statuses = np.where(rng.random(N) < 0.1, 3, 1).astype(np.int8)  # 10 % provisional, else final
    return days, values, statuses


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


def ours(days: np.ndarray, values: np.ndarray, statuses: np.ndarray) -> dict[str, Any]:
    series = MetricSeries.from_arrays(
        DEFINITION, place_id="city", period_type=DAY, dates=days, values=values, statuses=statuses
    )
    monthly = series.resample(MONTH, DEFINITION)
    track = on_track(series, baseline=BASELINE, target=TARGET, definition=DEFINITION)
    p = track.progress
    t = trend(series, per="day")
    return {
        "monthly": monthly.values,
        "observed": monthly.observed,
        "expected": monthly.expected,
        "status": monthly.statuses,
        "raw": p.raw,
        "clamped": p.clamped,
        "gap": track.gap,
        "slope": float(t.slope.magnitude),
        "ci": (float(t.ci_low.magnitude), float(t.ci_high.magnitude)),
    }


def by_hand(days: np.ndarray, values: np.ndarray, statuses: np.ndarray) -> dict[str, Any]:
    # monthly sums, skipping missing values (a month of all-missing days would be NaN)
    months = days.astype("datetime64[M]").astype(np.int64)
    starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    present = ~np.isnan(values)
    sums = np.add.reduceat(np.where(present, values, 0.0), starts)
    counts = np.add.reduceat(present.astype(np.int64), starts)
    sums[counts == 0] = np.nan
    # coverage: present days of the days in each month; status: the largest code present
    month_ids = months[starts]
    first_day = month_ids.astype("datetime64[M]").astype("datetime64[D]")
    days_in = ((month_ids + 1).astype("datetime64[M]").astype("datetime64[D]") - first_day).astype(
        np.int64
    )
    status = np.maximum.reduceat(np.where(present, statuses, 0).astype(np.int8), starts)
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
        "observed": counts,
        "expected": days_in,
        "status": status,
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
    days, values, statuses = make_data()
    ours(days[:1000], values[:1000], statuses[:1000])  # warm up imports and caches
    t_ours, r_ours, t_np, r_np = interleaved(
        args.repeat,
        lambda: ours(days, values, statuses),
        lambda: by_hand(days, values, statuses),
    )
    for key in ("observed", "expected", "status"):
        np.testing.assert_array_equal(r_ours[key], r_np[key])
    for key in ("monthly", "raw", "clamped", "gap"):
        np.testing.assert_allclose(r_ours[key], r_np[key], rtol=1e-9, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(r_ours["slope"], r_np["slope"], rtol=1e-9)
    np.testing.assert_allclose(r_ours["ci"], r_np["ci"], rtol=1e-9)
    ratio = statistics.median(a / b for a, b in zip(t_ours, t_np, strict=True))
    print(f"metrics pipeline on {N:,} daily observations ({len(r_np['monthly']):,} months)")
    print(
        "  resample to months (with coverage and statuses) + progress + on-track + trend; "
        "results identical: yes"
    )
    for name, times in (("civicinnov", t_ours), ("numpy", t_np)):
        print(
            f"  {name:<11} best {min(times) * 1e3:7.1f} ms   median "
            f"{statistics.median(times) * 1e3:7.1f} ms   ({args.repeat} rounds)"
        )
    verdict = "meets" if ratio <= 1.5 else "MISSES"
    print(f"  ratio       {ratio:.2f}x median of paired rounds ({verdict} the <= 1.5x target)")
    revision_cost(days, values, statuses, max(3, args.repeat // 3))


def revision_cost(days: np.ndarray, values: np.ndarray, statuses: np.ndarray, repeat: int) -> None:
    """Time ``update`` with 10 % of the days revised against building the series alone."""
    rng = np.random.default_rng(3)
    rows = np.sort(rng.choice(N, size=N // 10, replace=False))
    base = MetricSeries.from_arrays(
        DEFINITION, place_id="city", period_type=DAY, dates=days, values=values, statuses=statuses
    )
    fix = MetricSeries.from_arrays(
        DEFINITION,
        place_id="city",
        period_type=DAY,
        dates=days[rows],
        values=np.nan_to_num(values[rows]) + 1.0,
        statuses=np.full(len(rows), 2, np.int8),
    )
    t_build, t_update = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        MetricSeries.from_arrays(
            DEFINITION,
            place_id="city",
            period_type=DAY,
            dates=days,
            values=values,
            statuses=statuses,
        )
        t_build.append(time.perf_counter() - start)
        start = time.perf_counter()
        revised = base.update(fix, recorded_by="analyst", recorded_at="2024-03-01")
        t_update.append(time.perf_counter() - start)
    assert revised.revisions is not None
    assert len(revised.revisions) == len(rows)
    print(
        f"  10 % revised: update (history kept) median {statistics.median(t_update) * 1e3:7.1f} ms"
        f" vs building the series {statistics.median(t_build) * 1e3:7.1f} ms"
    )


if __name__ == "__main__":
    main()
