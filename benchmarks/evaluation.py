"""Benchmark: civicinnov's TWFE and Callaway-Sant'Anna against pyfixest and csdid, in one run.

Generates the synthetic panel of the reference README (20,000 units x 120 periods = 2.4M rows;
cohorts adopting at periods 30, 50, 70 and 90 with 20% of units each, 20% never treated; unit and
period effects; effects growing with time since adoption; seeded) and an unbalanced copy with 10%
of the rows removed at random. Then, each in its own subprocess (so peak memory is measured per
estimator), it times a warm fit (median of 3 after one warm-up):

- TWFE with unit-clustered CRV1 SEs: ours vs ``pyfixest.feols("y ~ d | unit + period",
  vcov={"CRV1": "unit"})`` on the balanced and the unbalanced panel, and with two time-varying
  covariates (``y ~ d + x1 + x2 | unit + period``; the covariates are added by
  :func:`add_covariates` and shift the outcome);
- the same balanced TWFE as the fastest route the reference lists: the panel demeaned by hand
  (numpy, balanced only) and ``statsmodels.OLS(...).fit(cov_type="cluster")``, demeaning
  included in the time; its SEs count no absorbed effects, so they differ slightly;
- Callaway-Sant'Anna, never-treated controls, all ATT(g,t) cells, simple aggregation, analytic
  SEs: ours vs ``csdid`` (``ATTgt(...).fit(est_method="dr", bstrap=False).aggte("simple")``).

Times include building the input from arrays (our ``Panel.from_arrays``; the peers' DataFrame
is built outside the timing, which favours them). It prints each time, the ratio peer/ours, the
largest relative difference between the estimates (and SEs), and the peak memory each fit adds
(ru_maxrss after the fits minus before them).

Run (the peers live only in the benchmark venv):

    python3 -m venv /work/benchvenv-eval
    /work/benchvenv-eval/bin/pip install pyfixest csdid statsmodels -e .
    /work/benchvenv-eval/bin/python benchmarks/evaluation.py [--units 20000 --periods 120]

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
from typing import Any

import numpy as np

SEED = 20240915
COHORTS = (30, 50, 70, 90)


def make_panel(n_units: int, n_periods: int, drop: float = 0.0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    unit = np.repeat(np.arange(n_units, dtype=np.int64), n_periods)
    period = np.tile(np.arange(1, n_periods + 1, dtype=np.int64), n_units)
    # 20% per cohort, 20% never treated (0)
    assign = rng.permutation(np.resize(np.array((*COHORTS, 0)), n_units))
    g = assign[unit]
    unit_fe = rng.normal(size=n_units)[unit]
    time_fe = np.cumsum(rng.normal(scale=0.1, size=n_periods))[period - 1]
    exposure = np.where((g > 0) & (period >= g), period - g + 1, 0)
    y = unit_fe + time_fe + 0.05 * exposure + rng.normal(size=unit.size)
    d = ((g > 0) & (period >= g)).astype(np.float64)
    data = {"unit": unit, "period": period, "y": y, "g": g, "d": d}
    if drop:
        keep = np.random.default_rng(SEED + 1).random(unit.size) >= drop
        data = {k: v[keep] for k, v in data.items()}
    return data


def add_covariates(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Two time-varying covariates (seeded), one correlated with treatment, both in the outcome."""
    rng = np.random.default_rng(SEED + 2)
    n = data["y"].size
    x1 = rng.normal(size=n) + 0.3 * data["d"]
    x2 = rng.normal(size=n) + 0.01 * data["period"]
    return {**data, "x1": x1, "x2": x2, "y": data["y"] + 0.5 * x1 - 0.2 * x2}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    out = fn()  # warm-up (imports, JIT compilation, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


# ------------------------------------------------------------------ single jobs (subprocess)
def job(name: str, n_units: int, n_periods: int) -> dict[str, Any]:
    unbalanced = name.endswith("_unbalanced")
    data = make_panel(n_units, n_periods, drop=0.1 if unbalanced else 0.0)
    covariates = name.endswith("_cov")
    if covariates:
        data = add_covariates(data)
    if name.startswith("ours"):
        from civicinnov.evaluation import Panel, callaway_santanna, twfe

        def build() -> Any:
            return Panel.from_arrays(
                units=data["unit"],
                periods=data["period"],
                outcome=data["y"],
                unit="",
                first_treated=data["g"],
                never=0,
                controls={"x1": data["x1"], "x2": data["x2"]} if covariates else None,
            )

        if "twfe" in name:

            def run() -> Any:
                r = twfe(build(), vcov="crv1", controls=["x1", "x2"] if covariates else None)
                return {
                    "att": [t.value for t in r.terms],
                    "se": [t.se for t in r.terms],
                }
        else:

            def run() -> Any:
                cs = callaway_santanna(build(), control="never")
                agg = cs.aggregate("simple")
                return {
                    "att": agg.estimate.value,
                    "se": agg.estimate.se,
                    "cells": cs.att.tolist(),
                    "cell_se": cs.se.tolist(),
                }
    elif name.startswith("pyfixest"):
        import pandas as pd
        import pyfixest as pf

        df = pd.DataFrame(data)

        formula = "y ~ d + x1 + x2 | unit + period" if covariates else "y ~ d | unit + period"

        def run() -> Any:
            fit = pf.feols(formula, data=df, vcov={"CRV1": "unit"})
            return {"att": fit.coef().tolist(), "se": fit.se().tolist()}
    elif name.startswith("statsmodels"):
        import statsmodels.api as sm

        # the fastest route the reference lists: demean by hand (balanced panels only, rows in
        # unit-period order), then OLS with unit-clustered SEs; the demeaning is timed too
        units = int(data["unit"].max()) + 1

        def demeaned(v: np.ndarray) -> np.ndarray:
            m = v.reshape(units, -1)
            return (m - m.mean(axis=1, keepdims=True) - m.mean(axis=0) + m.mean()).ravel()

        def run() -> Any:
            fit = sm.OLS(demeaned(data["y"]), demeaned(data["d"])).fit(
                cov_type="cluster", cov_kwds={"groups": data["unit"]}
            )
            return {"att": fit.params.tolist(), "se": fit.bse.tolist()}
    elif name.startswith("csdid"):
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
                control_group=["nevertreated"],
            ).fit(est_method="dr", bstrap=False)
            cells = np.asarray(att.results["att"], dtype=float).tolist()
            cell_se = np.asarray(att.results["se"], dtype=float).tolist()
            agg = att.aggte(typec="simple", bstrap=False)
            res = agg.atte
            return {
                "att": float(res["overall_att"]),
                "se": float(res["overall_se"]),
                "cells": cells,
                "cell_se": cell_se,
            }
    else:  # pragma: no cover
        raise SystemExit(f"unknown job {name}")
    before = _maxrss_mb()
    with contextlib.redirect_stdout(io.StringIO()):  # csdid prints its tables
        seconds, out = _time(run)
    return {"seconds": seconds, "peak_mb": _maxrss_mb() - before, **out}


def run_job(name: str, n_units: int, n_periods: int) -> dict[str, Any] | str:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--job",
            name,
            "--units",
            str(n_units),
            "--periods",
            str(n_periods),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return last
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _first(v: Any) -> float:
    return float(np.atleast_1d(np.asarray(v, float))[0])


def rel_diff(a: Any, b: Any) -> float:
    x, y = np.atleast_1d(np.asarray(a, float)), np.atleast_1d(np.asarray(b, float))
    if x.shape != y.shape:
        return float("nan")
    return float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-300)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=20_000)
    ap.add_argument("--periods", type=int, default=120)
    ap.add_argument("--job")
    args = ap.parse_args()
    if args.job:
        print(json.dumps(job(args.job, args.units, args.periods)))
        return
    print(
        f"synthetic panel: {args.units} units x {args.periods} periods "
        f"({args.units * args.periods:,} rows), cohorts {COHORTS} + never, seed {SEED}; "
        f"unbalanced copy drops 10% of rows. Median of 3 warm fits."
    )
    comparisons = [
        ("TWFE CRV1 (balanced)", "ours_twfe", "pyfixest_twfe", 3.0),
        (
            "TWFE CRV1 (balanced), statsmodels on hand-demeaned data",
            "ours_twfe",
            "statsmodels_twfe",
            1.0,
        ),
        ("TWFE CRV1 (unbalanced)", "ours_twfe_unbalanced", "pyfixest_twfe_unbalanced", 1.0),
        ("TWFE CRV1, two covariates (balanced)", "ours_twfe_cov", "pyfixest_twfe_cov", 3.0),
        ("Callaway-Sant'Anna, all cells + simple, analytic SE", "ours_cs", "csdid_cs", 10.0),
    ]
    for title, ours_name, peer_name, target in comparisons:
        ours = run_job(ours_name, args.units, args.periods)
        peer = run_job(peer_name, args.units, args.periods)
        print(f"\n== {title}")
        if isinstance(ours, str):
            print(f"  ours FAILED: {ours}")
            continue
        print(
            f"  ours      {ours['seconds']:8.3f} s   peak +{ours['peak_mb']:7.1f} MB   "
            f"att {_first(ours['att']):.10f}  se {_first(ours['se']):.10f}"
        )
        if isinstance(peer, str):
            print(f"  NOTE: peer {peer_name.split('_')[0]} not run ({peer}); only ours was timed")
            continue
        ratio = peer["seconds"] / ours["seconds"]
        print(
            f"  {peer_name.split('_')[0]:<9} {peer['seconds']:8.3f} s   peak +{peer['peak_mb']:7.1f} MB   "
            f"att {_first(peer['att']):.10f}  se {_first(peer['se']):.10f}"
        )
        print(
            f"  speed-up (peer / ours): {ratio:.2f}x   target >= {target:g}x   "
            f"{'MET' if ratio >= target else 'NOT MET'}"
        )
        diffs = [rel_diff(ours["att"], peer["att"]), rel_diff(ours["se"], peer["se"])]
        if "cells" in ours and "cells" in peer:
            diffs += [
                rel_diff(ours["cells"], peer["cells"]),
                rel_diff(ours["cell_se"], peer["cell_se"]),
            ]
        print(
            f"  largest relative difference: estimates {max(diffs[0], diffs[2] if len(diffs) > 2 else 0):.2e}, "
            f"SEs {max(diffs[1], diffs[3] if len(diffs) > 3 else 0):.2e}"
        )
        print(f"  peak memory ours/peer: {ours['peak_mb']:.0f} MB / {peer['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
