"""Benchmark: build the static site of a generated programme of 1,000 cities x 10 metrics.

The programme (``tests/site_portfolios.py``) has 1,000 cities, one challenge each tracking 10
monthly metrics over 36 months (10,000 series, 360,000 observation slots), a baseline and a target
per city and metric. The script times :func:`civicinnov.site.build_site` into a fresh folder and
prints the time, the pages and files written, and pages per second (target: under a minute).

Run: ``.venv/bin/python benchmarks/site.py [--cities 1000] [--metrics 10] [--months 36] [--lang en]``
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
import time

# the generator is shared with the site's tests
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))

from civicinnov.site import build_site
from site_portfolios import generated_portfolio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=1000)
    parser.add_argument("--metrics", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    start = time.perf_counter()
    portfolio = generated_portfolio(args.cities, args.metrics, args.months)
    made = time.perf_counter() - start
    print(
        f"programme: {len(portfolio.cities)} cities, {len(portfolio.metrics)} metrics, "
        f"{len(portfolio.series)} series (generated in {made:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        site = build_site(portfolio, pathlib.Path(tmp) / "site", lang=args.lang)
        took = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (pathlib.Path(tmp) / "site").rglob("*") if p.is_file())
    pages = len(site.pages)
    print(
        f"site ({args.lang}): {pages} pages and {len(site.files)} data files, {size / 1e6:.0f} MB"
    )
    print(f"time: {took:.1f} s, {pages / took:.0f} pages per second (target: under 60 s)")
    return 0 if took < 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
