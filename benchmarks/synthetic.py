"""Benchmark: civicinnov's synthetic control with placebo inference against pysyncon, in one run.

Panel: 40 units x 40 periods from a seeded two-factor model (unit levels, two common factors with
unit loadings, noise), unit 0 treated from period 31 (30 pre-periods, 10 post-periods, effect -3),
two time-varying covariates that share the units' loadings. Two specifications, each with the
placebo-in-space test over all 39 donors (40 synthetic-control fits):

- ``outcome``: every pre-period outcome is a predictor on its raw scale, V = identity (the
  specification with a unique solution). Ours: ``synthetic_control(panel)``. pysyncon:
  ``Synth().fit(X0=, X1=, Z0=, Z1=, custom_V=...)`` per fit; pysyncon divides each predictor by
  its standard deviation across units, so ``custom_V`` is the squared standard deviations of
  that fit's units, which makes its problem identical to ours.
- ``nested``: predictors are the pre-period means of the two covariates and the outcome in
  periods 10, 20 and 30, standardised, with V chosen by the nested method (Nelder-Mead from equal
  weights). Ours: ``synthetic_control(panel, predictors=[...], outcome_periods=[...])``.
  pysyncon: ``Synth().fit(X0=, X1=, Z0=, Z1=, optim_method="Nelder-Mead",
  optim_initial="equal")`` per fit.

pysyncon is driven with matrices (its fastest path, skipping ``Dataprep``) and in-process, one fit
after another, as ``PlaceboTest._single_placebo`` does inside its process pool; ours runs single
threaded too. A nested pysyncon fit takes minutes (Nelder-Mead over V with an SLSQP solve per
step), so in the ``nested`` spec only ``--nested-peer-fits`` of its 40 fits are timed (default 1,
the treated unit's, run once without warm-up) and the ratio is per fit; ``--nested-peer-fits 40``
times them all. Each side runs in its own subprocess (peak memory = growth of the max RSS during
the fits); times are the median of ``--repeat`` warm runs after a warm-up and include building the
inputs (our ``Panel.from_arrays``; the peer's DataFrames). It prints both times, the ratio
pysyncon/ours, the treated unit's pre-period RMSPE and the mean placebo pre-period RMSPE of each
(on the raw outcome), the largest difference between the two treated gap paths, and the placebo
p-values (for a partial nested peer run, over the placebos it ran).

Run (pysyncon lives only in the benchmark venv):

    python3 -m venv /work/benchvenv-synth
    /work/benchvenv-synth/bin/pip install pysyncon -e .
    /work/benchvenv-synth/bin/python benchmarks/synthetic.py [--repeat 3] [--nested-peer-fits 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

SEED = 20261202
N_UNITS, N_PERIODS, ADOPTION = 40, 40, 31
LAGS = (10, 20, 30)


def make_data() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    t = np.arange(1, N_PERIODS + 1)
    factors = np.vstack([np.linspace(0, 4, N_PERIODS), np.sin(t / 5.0)])  # (2, T)
    load = rng.uniform(0.5, 1.5, size=(N_UNITS, 2))
    level = rng.normal(50, 5, size=(N_UNITS, 1))
    y = level + 5 * load @ factors + rng.normal(scale=0.5, size=(N_UNITS, N_PERIODS))
    y[0, ADOPTION - 1 :] -= 3.0
    x1 = load[:, :1] * 10 + rng.normal(scale=0.3, size=(N_UNITS, N_PERIODS))
    x2 = load[:, 1:] * 3 + 0.1 * factors[:1] + rng.normal(scale=0.3, size=(N_UNITS, N_PERIODS))
    return {"y": y, "x1": x1, "x2": x2, "t": t}


def _rmspe(g: np.ndarray) -> float:
    return float(np.sqrt(np.mean(g * g)))


def run_ours(spec: str) -> dict[str, Any]:
    from civicinnov.evaluation import Panel, synthetic_control

    data = make_data()

    def fit() -> Any:
        y = data["y"]
        panel = Panel.from_arrays(
            units=np.repeat(np.arange(N_UNITS), N_PERIODS),
            periods=np.tile(data["t"], N_UNITS),
            outcome=y.ravel(),
            unit="",
            first_treated={u: (ADOPTION if u == 0 else None) for u in range(N_UNITS)},
            controls={"x1": data["x1"].ravel(), "x2": data["x2"].ravel()},
        )
        if spec == "outcome":
            return synthetic_control(panel, leave_one_out=False)
        return synthetic_control(
            panel, predictors=["x1", "x2"], outcome_periods=list(LAGS), leave_one_out=False
        )

    r, seconds = _timed(fit)
    assert r.placebo is not None
    pre = ADOPTION - 1
    return {
        "seconds": seconds,
        "fits": N_UNITS,
        "pre_rmspe": r.pre_rmspe,
        "placebo_pre_rmspe": float(np.mean(r.placebo.pre_rmspe)),
        "p_value": r.placebo.p_value,
        "gaps": r.gaps.tolist(),
        "pre": pre,
    }


def run_pysyncon(spec: str) -> dict[str, Any]:
    import pandas as pd
    from pysyncon import Synth

    data = make_data()
    pre = ADOPTION - 1

    def one(y: np.ndarray, x: np.ndarray, treated: int, controls: list[int]) -> np.ndarray:
        names = [f"u{c}" for c in controls]
        z0 = pd.DataFrame(y[controls, :pre].T, columns=names)
        z1 = pd.Series(y[treated, :pre], name=f"u{treated}")
        x0 = pd.DataFrame(x[:, controls], columns=names)
        x1 = pd.Series(x[:, treated], name=f"u{treated}")
        synth = Synth()
        if spec == "outcome":
            sd = np.asarray(pd.concat([x0, x1], axis=1).std(axis=1))
            synth.fit(X0=x0, X1=x1, Z0=z0, Z1=z1, custom_V=sd**2)
        else:
            synth.fit(X0=x0, X1=x1, Z0=z0, Z1=z1, optim_method="Nelder-Mead", optim_initial="equal")
        w = np.asarray(synth.W, dtype=float)
        return y[treated] - w @ y[controls]

    def fit() -> tuple[np.ndarray, np.ndarray]:
        y = data["y"]
        n_placebos = N_UNITS - 1 if spec == "outcome" else _NESTED_PEER_FITS - 1
        if spec == "outcome":
            x = y[:, :pre].T
        else:
            lags = [y[:, t - 1] for t in LAGS]
            x = np.vstack(
                [data["x1"][:, :pre].mean(axis=1), data["x2"][:, :pre].mean(axis=1), *lags]
            )
        donors = list(range(1, N_UNITS))
        treated_gap = one(y, x, 0, donors)
        placebo = np.vstack(
            [one(y, x, j, [d for d in donors if d != j]) for j in donors[:n_placebos]]
            or [np.full(N_PERIODS, np.nan)]
        )
        return treated_gap, placebo

    (gap, placebo), seconds = _timed(fit, warm=spec == "outcome")
    ratio = np.sqrt(np.mean(placebo[:, pre:] ** 2, 1)) / np.sqrt(np.mean(placebo[:, :pre] ** 2, 1))
    treated_ratio = _rmspe(gap[pre:]) / _rmspe(gap[:pre])
    n_fits = N_UNITS if spec == "outcome" else _NESTED_PEER_FITS
    return {
        "seconds": seconds,
        "fits": n_fits,
        "pre_rmspe": _rmspe(gap[:pre]),
        "placebo_pre_rmspe": float(np.mean(np.sqrt(np.mean(placebo[:, :pre] ** 2, axis=1)))),
        "p_value": (1 + int((ratio >= treated_ratio).sum())) / N_UNITS,
        "gaps": gap.tolist(),
        "pre": pre,
    }


_REPEAT = 3
_NESTED_PEER_FITS = 1


def _timed(fn: Any, *, warm: bool = True) -> tuple[Any, float]:
    if warm:
        fn()  # warm-up
    times = []
    out = None
    for _ in range(_REPEAT if warm else 1):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def child(who: str, spec: str) -> None:
    # import first, so the peak memory is what the fits add, not the libraries
    if who == "ours":
        import scipy.optimize  # noqa: F401

        import civicinnov.evaluation  # noqa: F401
    else:
        import pandas  # noqa: F401
        import pysyncon  # noqa: F401
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = run_ours(spec) if who == "ours" else run_pysyncon(spec)
    out["peak_mib"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(json.dumps(out))


def main() -> None:
    global _REPEAT, _NESTED_PEER_FITS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--nested-peer-fits",
        type=int,
        default=1,
        help="pysyncon fits timed in the nested spec (1 = the treated unit only; 40 = all)",
    )
    parser.add_argument("--child", nargs=2, metavar=("WHO", "SPEC"))
    args = parser.parse_args()
    _REPEAT = args.repeat
    _NESTED_PEER_FITS = args.nested_peer_fits
    if args.child:
        child(*args.child)
        return
    print(
        f"panel {N_UNITS} units x {N_PERIODS} periods, adoption at {ADOPTION}, placebo over "
        f"{N_UNITS - 1} donors; median of {_REPEAT} warm runs"
    )
    for spec in ("outcome", "nested"):
        res: dict[str, dict[str, Any]] = {}
        for who in ("ours", "pysyncon"):
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--repeat",
                    str(_REPEAT),
                    "--nested-peer-fits",
                    str(_NESTED_PEER_FITS),
                    "--child",
                    who,
                    spec,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                print(f"  {spec:8s} {who}: failed ({proc.stderr.strip().splitlines()[-1:]})")
                continue
            res[who] = json.loads(proc.stdout.strip().splitlines()[-1])
        for who, r in res.items():
            print(
                f"  {spec:8s} {who:9s} {r['seconds']:9.4f} s for {r['fits']:2d} fits  "
                f"peak +{r['peak_mib']:7.1f} MiB  "
                f"pre-RMSPE {r['pre_rmspe']:.6f}  mean placebo pre-RMSPE "
                f"{r['placebo_pre_rmspe']:.6f}  p = {r['p_value']:.4f}"
            )
        if len(res) == 2:
            ours, peer = res["ours"], res["pysyncon"]
            diff = float(np.max(np.abs(np.subtract(ours["gaps"], peer["gaps"]))))
            per_fit = (peer["seconds"] / peer["fits"]) / (ours["seconds"] / ours["fits"])
            print(
                f"  {spec:8s} pysyncon/ours = {per_fit:.1f}x per fit; "
                f"pre-RMSPE ours - pysyncon = {ours['pre_rmspe'] - peer['pre_rmspe']:+.2e}; "
                f"largest gap difference {diff:.2e}"
            )


if __name__ == "__main__":
    main()
