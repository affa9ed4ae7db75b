"""How much does ``import civicinnov`` cost? (issue: foundation; target ratio <= 1.15)

Runs fresh interpreters, each timing one import with ``time.perf_counter`` inside the process, and
prints the median of each next to:

1. the import of civicinnov's six runtime dependencies alone (attrs, cattrs, networkx, numpy, pint,
   scipy), the comparison the issue asks for; and
2. numpy and attrs alone, the two dependencies the domain model needs, next to importing
   civicinnov *and* using its model (the import itself loads no dependency at all).

It also checks, in the same fresh process, that importing civicinnov built no pint unit registry.

Run: ``.venv/bin/python benchmarks/import_time.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TIMER = """
import time, sys, json
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
extra = {{}}
if {check_registry}:
    pint = sys.modules.get("pint")
    built = False
    if pint is not None:
        app = pint.get_application_registry()
        built = type(app.get()).__name__ != "LazyRegistry"
    extra = {{"pint_imported": pint is not None, "registry_built": built,
              "heavy_modules": sorted(m for m in ("scipy", "networkx", "cattrs", "pint", "matplotlib", "pandas") if m in sys.modules)}}
print(json.dumps({{"seconds": t1 - t0, **extra}}))
"""

CASES = {
    "civicinnov": ("import civicinnov", True),
    "civicinnov + first use of the model": (
        "from civicinnov import City, Challenge, Phase, Money, Initiative, check_gate",
        False,
    ),
    "runtime deps (attrs, cattrs, networkx, numpy, pint, scipy)": (
        "import attrs, cattrs, networkx, numpy, pint, scipy, scipy.stats, scipy.sparse",
        False,
    ),
    "numpy and attrs alone": ("import numpy, attrs", False),
}


def measure(imports: str, check: bool, runs: int) -> tuple[float, dict[str, object]]:
    times: list[float] = []
    last: dict[str, object] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", TIMER.format(imports=imports, check_registry=check)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        last = json.loads(out)
        times.append(float(last["seconds"]))  # type: ignore[arg-type]
    return statistics.median(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = {name: measure(code, check, args.runs) for name, (code, check) in CASES.items()}
    ours, info = results["civicinnov"]
    print(f"median of {args.runs} fresh interpreters ({sys.version.split()[0]})")
    for name, (seconds, _) in results.items():
        print(f"  {name:<60} {seconds * 1000:8.1f} ms")
    deps = results["runtime deps (attrs, cattrs, networkx, numpy, pint, scipy)"][0]
    model = results["civicinnov + first use of the model"][0]
    numpy_attrs = results["numpy and attrs alone"][0]
    print(f"ratio import civicinnov / runtime deps alone: {ours / deps:.2f}  (target <= 1.15)")
    print(f"ratio civicinnov + model / numpy and attrs alone: {model / numpy_attrs:.2f}")
    print(f"pint imported by `import civicinnov`: {info['pint_imported']}")
    print(f"unit registry built by `import civicinnov`: {info['registry_built']}")
    print(f"heavy modules loaded by `import civicinnov`: {info['heavy_modules'] or 'none'}")


if __name__ == "__main__":
    main()
