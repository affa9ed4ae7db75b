"""Benchmark: civicinnov's Callaway & Sant'Anna with covariates against csdid, in one run.

The synthetic panel of ``benchmarks/evaluation.py`` (20,000 units x 120 periods = 2.4M rows;
cohorts adopting at periods 30, 50, 70 and 90 with 20% of units each, 20% never treated; unit and
period effects; effects growing with time since adoption; seeded), with two time-varying
covariates: ``x1`` (a persistent unit level plus period noise) and ``x2`` (a slow trend that
differs between units plus noise). The outcome's trend depends on ``x1``, so parallel trends hold
only conditionally, and cohort membership leans on ``x1`` (overlap stays wide).

Callaway & Sant'Anna, doubly robust (``est_method="dr"``, R ``did``'s default, covariates at the
base period), never-treated comparison units, every ATT(g,t) cell and the simple aggregation with
analytic SEs: ours (``callaway_santanna(panel, controls=["x1", "x2"]).aggregate("simple")``) vs
``csdid`` (``ATTgt(..., xformla="~ x1 + x2").fit(est_method="dr", bstrap=False)`` then
``aggte("simple")``). Each fit runs in its own subprocess so that peak memory is measured per
estimator; each times a warm fit (median of ``--repeat`` after one warm-up). Our time includes
building the ``Panel`` from arrays; the peer's DataFrame is built outside its timing, which
favours the peer. It prints both times, the ratio peer/ours, the largest relative difference of
the cells, their SEs and the simple aggregation, and the peak memory each fit adds (ru_maxrss
after the fits minus before them).

Run (the peer lives only in the benchmark venv):

    python3 -m venv /work/benchvenv-cs
    /work/benchvenv-cs/bin/pip install csdid -e .
    /work/benchvenv-cs/bin/python benchmarks/evaluation_cs.py [--units 20000 --periods 120]

A peer that cannot be imported is reported and skipped; ours is timed anyway.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from typing import Any

import numpy as np

SEED = 20240915
COHORTS = (30, 50, 70, 90)


def make_panel(n_units: int, n_periods: int) -> dict[str, np.ndarray]:
    """The panel of ``benchmarks/evaluation.py`` (same seed and design) plus two covariates."""
    rng = np.random.default_rng(SEED)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(1, n_periods + 1, dtype=np.int64), n_units)
    assign = rng.permutation(np.resize(np.array((*COHORTS, 0)), n_units))
    unit_fe = rng.normal(size=n_units)
    time_fe = np.cumsum(rng.normal(scale=0.1, size=n_periods))
    crng = np.random.default_rng(SEED + 2)
    level = crng.normal(size=n_units) + 0.3 * (assign > 0)  # treated units lean higher on x1
    slope = crng.normal(scale=0.01, size=n_units)
    x1 = level[unit] + crng.normal(scale=0.2, size=unit.size)
    x2 = slope[unit] * period + crng.normal(scale=0.5, size=unit.size)
    g = assign[unit]
    exposure = np.where((g > 0) & (period >= g), period - g + 1, 0)
    y = (
        unit_fe[unit]
        + time_fe[period - 1]
        + 0.01 * period * level[unit]  # trends differ with x1: parallel only given x1
        + 0.2 * x2
        + 0.05 * exposure
        + rng.normal(size=unit.size)
    )
    return {"unit": unit, "period": period, "y": y, "g": g, "x1": x1, "x2": x2}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time(fn: Any, repeat: int) -> tuple[float, Any]:
    out = fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def job(name: str, n_units: int, n_periods: int, repeat: int) -> dict[str, Any]:
    data = make_panel(n_units, n_periods)
    if name == "ours":
        from civicinnov.evaluation.impact import Panel, callaway_santanna

        def run() -> Any:
            panel = Panel.from_arrays(
                units=data["unit"],
                periods=data["period"],
                outcome=data["y"],
                unit="",
                first_treated=data["g"],
                never=0,
                controls={"x1": data["x1"], "x2": data["x2"]},
            )
            cs = callaway_santanna(panel, controls=["x1", "x2"], est_method="dr")
            agg = cs.aggregate("simple")
            return {
                "att": agg.estimate.value,
                "se": agg.estimate.se,
                "cells": cs.att.tolist(),
                "cell_se": cs.se.tolist(),
            }
    elif name == "csdid":
        import pandas as pd
        from csdid.att_gt import ATTgt

        df = pd.DataFrame(data)

        def run() -> Any:
            att = ATTgt(
                yname="y",
                tname="period",
                idname="unit",
                gname="g",
                data=df,
                xformla="~ x1 + x2",
                control_group=["nevertreated"],
            ).fit(est_method="dr", bstrap=False)
            cells = np.asarray(att.results["att"], dtype=float).tolist()
            cell_se = np.asarray(att.results["se"], dtype=float).tolist()
            res = att.aggte(typec="simple", bstrap=False).atte
            return {
                "att": float(res["overall_att"]),
                "se": float(res["overall_se"]),
                "cells": cells,
                "cell_se": cell_se,
            }
    else:  # pragma: no cover
        raise SystemExit(f"unknown job {name}")
    before = _maxrss_mb()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the peer's deprecation chatter
        seconds, out = _time(run, repeat)
    return {"seconds": seconds, "peak_mb": _maxrss_mb() - before, **out}


def run_job(name: str, n_units: int, n_periods: int, repeat: int) -> dict[str, Any] | str:
    cmd = [sys.executable, __file__, "--job", name, "--units", str(n_units)]
    cmd += ["--periods", str(n_periods), "--repeat", str(repeat)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return (proc.stderr.strip().splitlines() or ["failed"])[-1]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def rel_diff(a: Any, b: Any) -> float:
    x, y = np.atleast_1d(np.asarray(a, float)), np.atleast_1d(np.asarray(b, float))
    if x.shape != y.shape:
        return float("nan")
    return float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-300)))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--units", type=int, default=20_000)
    ap.add_argument("--periods", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--job")
    args = ap.parse_args()
    if args.job:
        print(json.dumps(job(args.job, args.units, args.periods, args.repeat)))
        return
    print(
        f"synthetic panel: {args.units} units x {args.periods} periods "
        f"({args.units * args.periods:,} rows), cohorts {COHORTS} + never, covariates x1 x2, "
        f"seed {SEED}. Median of {args.repeat} warm fits."
    )
    print("\n== Callaway-Sant'Anna doubly robust, ~x1 + x2, all cells + simple, analytic SE")
    ours = run_job("ours", args.units, args.periods, args.repeat)
    if isinstance(ours, str):
        print(f"  ours FAILED: {ours}")
        return
    print(
        f"  ours      {ours['seconds']:8.3f} s   peak +{ours['peak_mb']:7.1f} MB   "
        f"{len(ours['cells'])} cells   simple att {ours['att']:.10f}  se {ours['se']:.10f}"
    )
    peer = run_job("csdid", args.units, args.periods, args.repeat)
    if isinstance(peer, str):
        print(f"  NOTE: peer csdid not run ({peer}); only ours was timed")
        return
    print(
        f"  csdid     {peer['seconds']:8.3f} s   peak +{peer['peak_mb']:7.1f} MB   "
        f"{len(peer['cells'])} cells   simple att {peer['att']:.10f}  se {peer['se']:.10f}"
    )
    ratio = peer["seconds"] / ours["seconds"]
    print(
        f"  speed-up (csdid / ours): {ratio:.1f}x   target >= 10x   "
        f"{'MET' if ratio >= 10 else 'NOT MET'}"
    )
    cells = rel_diff(ours["cells"], peer["cells"])
    cell_se = rel_diff(ours["cell_se"], peer["cell_se"])
    simple = max(rel_diff(ours["att"], peer["att"]), rel_diff(ours["se"], peer["se"]))
    print(
        f"  largest relative difference: cells {cells:.2e}, cell SEs {cell_se:.2e}, "
        f"simple att/se {simple:.2e}   (target 1e-8: "
        f"{'MET' if max(cells, cell_se, simple) <= 1e-8 else 'NOT MET'})"
    )
    print(f"  peak memory ours / csdid: {ours['peak_mb']:.0f} MB / {peer['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
