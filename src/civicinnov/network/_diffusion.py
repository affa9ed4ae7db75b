"""Diffusion: how a practice travelled (observed) and how it could spread (simulated).

* :func:`diffusion`: the observed diffusion tree of one practice, from adoption records
  (generations, lags, adopters without a recorded source).
* :func:`simulate_spread`: Monte Carlo independent cascade and linear threshold spread.
* :func:`select_seeds`: the seed cities that maximise expected spread, by lazy greedy (CELF).

The simulations run on arrays the network computes once (:meth:`CityNetwork.tie_pairs
<civicinnov.network.CityNetwork.tie_pairs>`, :meth:`CityNetwork.adjacency
<civicinnov.network.CityNetwork.adjacency>`); since a network is frozen, they always describe the
network they are given. Monte Carlo runs come in blocks with their own random streams, so an
``executor`` can run the blocks anywhere and the answer for a given ``seed`` stays the same.

Example:
    >>> from civicinnov.network import CityNetworkBuilder, Relation
    >>> b = CityNetworkBuilder()
    >>> for c in "abc":
    ...     b.add_city(c)
    >>> _ = b.add_relations([Relation(kind="exchange", source="a", target=t) for t in "bc"])
    >>> net = b.build()
    >>> simulate_spread(b.build(), ["b"], p=1.0, runs=4).sizes.tolist()
    [3, 3, 3, 3]
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
import networkx as nx
import numpy as np

from civicinnov.errors import NetworkError, UnknownIdError, ValidationError
from civicinnov.network._common import Kinds, SpreadModel, restricted
from civicinnov.network._graph import CityNetwork

if TYPE_CHECKING:
    from networkx import DiGraph
    from numpy.typing import NDArray

__all__ = [
    "BLOCK_RUNS",
    "Diffusion",
    "SeedSelection",
    "Spread",
    "SpreadWorlds",
    "diffusion",
    "select_seeds",
    "simulate_spread",
]


@attrs.frozen(kw_only=True)
class Diffusion:
    """How one practice travelled, from adoption records.

    ``parent`` maps each city to the city it learned the practice from (``None`` for roots); when a
    city names several sources, the one that adopted earliest counts (undated sources, known only
    as sources, first; then insertion order). ``generation`` is the depth in that tree (roots 0).
    ``lag_days`` is the days between the parent's adoption and the city's (``None`` when either is
    undated). ``unsourced`` lists the cities that adopted with no recorded source; ``roots`` adds the
    sources that have no adoption date of their own.

    Example:
        >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None}, generation={"a": 0},
        ...               lag_days={"a": None}, unsourced=(), roots=("a",))
        >>> d.generations()
        (('a',),)
    """

    practice_id: str
    adopted_on: Mapping[str, date] = attrs.field(eq=False, hash=False)
    parent: Mapping[str, str | None] = attrs.field(eq=False, hash=False)
    generation: Mapping[str, int] = attrs.field(eq=False, hash=False)
    lag_days: Mapping[str, int | None] = attrs.field(eq=False, hash=False)
    unsourced: tuple[str, ...]
    roots: tuple[str, ...]

    def tree(self) -> DiGraph[str]:
        """The diffusion tree as a networkx DiGraph (parent to child; node attribute ``on``).

        Example:
            >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None, "b": "a"},
            ...               generation={"a": 0, "b": 1}, lag_days={"a": None, "b": None},
            ...               unsourced=(), roots=("a",))
            >>> list(d.tree().edges)
            [('a', 'b')]
        """
        t: DiGraph[str] = nx.DiGraph()
        for node in self.parent:
            on = self.adopted_on.get(node)
            t.add_node(node, **({"on": on.isoformat()} if on is not None else {}))
        t.add_edges_from((p, c) for c, p in self.parent.items() if p is not None)
        return t

    def generations(self) -> tuple[tuple[str, ...], ...]:
        """Cities by generation: roots first, then those who learned from them, and so on.

        Example:
            >>> d = Diffusion(practice_id="x", adopted_on={}, parent={"a": None, "b": "a"},
            ...               generation={"a": 0, "b": 1}, lag_days={"a": None, "b": None},
            ...               unsourced=(), roots=("a",))
            >>> d.generations()
            (('a',), ('b',))
        """
        if not self.generation:
            return ()
        top = max(self.generation.values())
        return tuple(
            tuple(n for n, g in self.generation.items() if g == level) for level in range(top + 1)
        )

    def median_lag_days(self) -> float | None:
        """The median of the known lags in days, or ``None`` when no lag is known.

        Example:
            >>> Diffusion(practice_id="x", adopted_on={}, parent={}, generation={},
            ...           lag_days={"a": 10, "b": 30, "c": None}, unsourced=(),
            ...           roots=()).median_lag_days()
            20.0
        """
        lags = [v for v in self.lag_days.values() if v is not None]
        return float(np.median(lags)) if lags else None


def diffusion(
    network: CityNetwork,
    practice_id: str,
    *,
    adoptions: Iterable[tuple[str, str, str, date | None]] = (),
) -> Diffusion:
    """Reconstruct how ``practice_id`` spread: tree, generations, time to adopt, unsourced adopters.

    Adoptions come from the network's ``adoption`` relations and, with ``adoptions``, from plain
    observations ``(city_id, from_city_id, practice_id, on)`` — where a record says one city's idea
    came from another, possibly without a date (``on`` ``None``; such a city has no lag).
    :func:`civicinnov.programme.observed_adoptions` gives them for a portfolio's ideas
    (``[a.as_tuple() for a in observed_adoptions(p)]``). Observations of other practices are
    ignored; a date the network already records for a city wins over an observation's.

    Parameters:
        network: The city network holding the adoption records.
        practice_id: The id of the practice.
        adoptions: Observed adoptions ``(city_id, from_city_id, practice_id, on)``, ``on`` a
            date or None; those of other practices are ignored.

    Returns:
        Each adopter's source, generation and lag, ordered by generation, then adoption date.

    Raises:
        UnknownIdError: no adoption of ``practice_id`` is recorded or observed, or an observation
            naming a city that is not in the network.
        NetworkError: observations that form a cycle (a city learning, through others, from
            itself).
        ValidationError: an observation that is not four values, or a city learning from itself.

    Example:
        >>> from datetime import date
        >>> from civicinnov.network import CityNetworkBuilder
        >>> b = CityNetworkBuilder()
        >>> for c in ("nola", "memphis", "atlanta", "jersey"):
        ...     b.add_city(c)
        >>> b.record_adoption("blight-stat", "nola", date(2012, 1, 1))
        >>> _ = b.record_adoption("blight-stat", "memphis", date(2013, 1, 1), source_id="nola")
        >>> _ = b.record_adoption("blight-stat", "atlanta", date(2013, 7, 1), source_id="memphis")
        >>> b.record_adoption("blight-stat", "jersey", date(2014, 1, 1))
        >>> net = b.build()
        >>> d = diffusion(net, "blight-stat")
        >>> d.generations()
        (('nola', 'jersey'), ('memphis',), ('atlanta',))
        >>> d.lag_days["atlanta"], d.unsourced
        (181, ('nola', 'jersey'))
        >>> seen = [("jersey", "atlanta", "blight-stat", None)]
        >>> diffusion(net, "blight-stat", adoptions=seen).parent["jersey"]
        'atlanta'
    """
    dg = network.adoption_graph(practice_id)
    _observe(network, dg, practice_id, adoptions)
    if dg.number_of_nodes() == 0:
        raise UnknownIdError(
            f"diffusion: no adoption of practice {practice_id!r} is recorded; known practices: "
            f"{', '.join(network.practices()) or 'none'}"
        )
    position = network.node_arrays().index
    on = {n: date.fromisoformat(d["on"]) for n, d in dg.nodes(data=True) if "on" in d}
    parent: dict[str, str | None] = {}
    for node in dg.nodes:
        sources = list(dg.predecessors(node))
        if not sources:
            parent[node] = None
            continue
        parent[node] = min(
            sources,
            key=lambda s: (s in on, on.get(s, date.min), position[s]),
        )
    generation: dict[str, int] = {}
    try:
        topo = list(nx.topological_sort(dg))
    except nx.NetworkXUnfeasible:
        cycle = " -> ".join(u for u, _ in nx.find_cycle(dg))
        raise NetworkError(
            f"diffusion of {practice_id!r}: the adoptions form a cycle ({cycle}); expected each "
            "city to learn the practice from cities that had it before"
        ) from None
    for node in topo:
        p = parent[node]
        generation[node] = 0 if p is None else generation[p] + 1
    ordered = sorted(
        dg.nodes,
        key=lambda n: (generation[n], on.get(n, date.min), position[n]),
    )
    lag: dict[str, int | None] = {}
    for node in ordered:
        p = parent[node]
        lag[node] = (on[node] - on[p]).days if p is not None and p in on and node in on else None
    roots = tuple(n for n in ordered if parent[n] is None)
    return Diffusion(
        practice_id=practice_id,
        adopted_on={n: on[n] for n in ordered if n in on},
        parent={n: parent[n] for n in ordered},
        generation={n: generation[n] for n in ordered},
        lag_days=lag,
        unsourced=tuple(n for n in roots if n in on),
        roots=roots,
    )


def _observe(
    network: CityNetwork,
    dg: DiGraph[str],
    practice_id: str,
    adoptions: Iterable[tuple[str, str, str, date | None]],
) -> None:
    """Add the observed adoptions of ``practice_id`` to the adoption graph ``dg``."""
    mine: list[tuple[str, str, date | None]] = []
    for k, item in enumerate(adoptions):
        if not isinstance(item, tuple) or len(item) != 4:
            raise ValidationError(
                f"diffusion: adoptions[{k}] is {item!r}; expected (city_id, from_city_id, "
                "practice_id, date or None)"
            )
        city, origin, practice, on = item
        if on is not None and not isinstance(on, date):
            raise ValidationError(
                f"diffusion: adoptions[{k}] date {on!r}; expected a datetime.date or None"
            )
        if city == origin:
            raise ValidationError(
                f"diffusion: adoptions[{k}] has {city!r} learning from itself; expected two "
                "different cities"
            )
        if practice == practice_id:
            mine.append((city, origin, on))
    network.check_nodes(
        dict.fromkeys(end for city, origin, _ in mine for end in (city, origin)),
        where="diffusion adoptions",
    )
    for city, origin, on in mine:
        for end in (origin, city):
            if end not in dg:
                dg.add_node(end)
        if on is not None and "on" not in dg.nodes[city]:
            dg.nodes[city]["on"] = on.isoformat()
        dg.add_edge(origin, city)


@attrs.frozen(kw_only=True)
class Spread:
    """The outcome of :func:`simulate_spread`: final spread per run and per-node activation rates.

    Example:
        >>> import numpy as np
        >>> s = Spread(model="independent_cascade", seeds=("a",), runs=2,
        ...            sizes=np.array([1, 3]), node_ids=("a", "b", "c"),
        ...            activation=np.array([1.0, 0.5, 0.5]))
        >>> s.mean, s.stderr
        (2.0, 1.0)
    """

    model: str
    seeds: tuple[str, ...]
    runs: int
    sizes: NDArray[np.int64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    node_ids: tuple[str, ...]
    activation: NDArray[np.float64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))

    __hash__ = None  # type: ignore[assignment]  # holds arrays

    @property
    def mean(self) -> float:
        """The expected number of active nodes at the end (seeds included).

        Example:
            >>> import numpy as np
            >>> Spread(model="m", seeds=(), runs=1, sizes=np.array([4]), node_ids=(),
            ...        activation=np.zeros(0)).mean
            4.0
        """
        return float(self.sizes.mean())

    @property
    def std(self) -> float:
        """The standard deviation of the spread across runs (ddof=1; 0 for one run).

        Example:
            >>> import numpy as np
            >>> Spread(model="m", seeds=(), runs=2, sizes=np.array([1, 3]), node_ids=(),
            ...        activation=np.zeros(0)).std
            1.4142135623730951
        """
        return float(self.sizes.std(ddof=1)) if self.sizes.size > 1 else 0.0

    @property
    def stderr(self) -> float:
        """The Monte Carlo standard error of :attr:`mean`.

        Example:
            >>> import numpy as np
            >>> round(Spread(model="m", seeds=(), runs=4, sizes=np.array([1, 1, 3, 3]),
            ...              node_ids=(), activation=np.zeros(0)).stderr, 6)
            0.57735
        """
        return self.std / math.sqrt(self.sizes.size) if self.sizes.size else 0.0


def _check_model(model: str) -> None:
    if model not in ("independent_cascade", "linear_threshold"):
        raise ValidationError(
            f"model: {model!r} is not a spread model; expected 'independent_cascade' or "
            "'linear_threshold'"
        )


def _check_spread_args(p: float, runs: int) -> None:
    if not (isinstance(p, (int, float)) and 0.0 <= p <= 1.0):
        raise ValidationError(f"p: expected a probability in [0, 1], got {p!r}")
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1:
        raise ValidationError(f"runs: expected an int >= 1, got {runs!r}")


_GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(counter: NDArray[np.uint64], key: np.uint64) -> NDArray[np.uint64]:
    """Output number ``counter + 1`` of the SplitMix64 generator seeded with ``key``.

    SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators",
    OOPSLA) adds a fixed odd constant to its state and mixes; computing the mix of
    ``key + (counter + 1) * gamma`` gives its output for any position directly, so a draw can be
    made for exactly the (run, node) pairs a simulation reads, in any order, and always agree.
    """
    z = (counter + np.uint64(1)) * _GOLDEN_GAMMA + key
    z ^= z >> np.uint64(30)
    z *= np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(27)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z


def _lt_block(
    n: int,
    adjacency: tuple[NDArray[np.int32], NDArray[np.int32]],
    seed_idx: NDArray[np.intp],
    runs: int,
    seed_seq: np.random.SeedSequence,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Linear threshold for one block of runs: (spread per run, activation counts per node).

    Simulated in its live-edge form (Kempe, Kleinberg & Tardos 2003, Theorem 4.6): with uniform
    weights ``1/deg(v)`` each node listens to exactly one neighbour, drawn uniformly, and becomes
    active once that neighbour is. The draw of node ``v`` in run ``r`` is a fixed function of the
    block's key and ``(r, v)`` (:func:`_splitmix64`, scaled to ``deg(v)`` by a multiply-shift), so
    it is made only when a neighbour of ``v`` becomes active and is the same whenever it is read;
    the runs of the block advance together, step by step, along the ties out of the newly active
    nodes.
    """
    indptr, indices = adjacency
    rng = np.random.default_rng(seed_seq)
    key = np.uint64(rng.integers(0, 2**63))
    starts = indptr.astype(np.int64)
    degree = np.diff(starts)
    active = np.zeros(runs * n, dtype=bool)
    frontier = (np.arange(runs, dtype=np.int64)[:, None] * n + seed_idx[None, :]).ravel()
    frontier = np.unique(frontier)
    active[frontier] = True
    reached = [frontier]
    while frontier.size:
        node = frontier % n
        count = degree[node]
        # the ties out of the frontier, laid end to end: each one's place in ``indices`` is its
        # place in this list shifted by its row's start, and its listener's place in the block is
        # that neighbour plus the run's offset
        shift = np.repeat(starts[node] - (np.cumsum(count) - count), count)
        shift += np.arange(shift.size)
        listener = indices[shift].astype(np.int64)
        flat = np.repeat(frontier - node, count)
        flat += listener
        bits = _splitmix64(flat.astype(np.uint64), key) >> np.uint64(32)
        choice = (bits * degree[listener].astype(np.uint64)) >> np.uint64(32)
        heard = indices[starts[listener] + choice.astype(np.int64)]
        # each node listens to one neighbour, so no node is found twice
        hit = np.flatnonzero(heard == np.repeat(node, count))
        frontier = flat[hit[~active[flat[hit]]]]
        active[frontier] = True
        reached.append(frontier)
    return _tally(reached, runs, n)


def _tally(
    reached: list[NDArray[np.int64]], runs: int, n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(spread per run, activations per node) from the block positions activated, each once.

    Counting the activated positions costs what the cascades reached, not a pass over the
    block's ``runs * n`` flags.
    """
    flat = np.concatenate(reached)
    sizes = np.bincount(flat // n, minlength=runs).astype(np.int64)
    hits = np.bincount(flat % n, minlength=n).astype(np.int64)
    return sizes, hits


def _open_ties(
    n_ties: int, runs: int, p: float, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Which ties are open in each of ``runs`` runs: (run of each open tie, tie index), by run."""
    slots = _successes(runs * n_ties, p, rng)
    bounds = np.searchsorted(slots, np.arange(runs + 1, dtype=np.int64) * n_ties)
    run = np.repeat(np.arange(runs, dtype=np.int64), np.diff(bounds))
    return run, slots - run * n_ties


def _ic_labels(
    n: int,
    ties: tuple[NDArray[np.int32], NDArray[np.int32]],
    runs: int,
    p: float,
    seed_seq: np.random.SeedSequence,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Connected components of the open ties, for one block of runs: (labels, component sizes).

    ``labels`` has one row per run (component ids are unique across the block's runs).
    """
    from scipy import sparse  # noqa: PLC0415 - scipy is heavy; only the spread analyses need it
    from scipy.sparse import csgraph  # noqa: PLC0415 - scipy is heavy: loaded when this analysis runs

    rng = np.random.default_rng(seed_seq)
    i, j = ties
    run, tie = _open_ties(i.size, runs, p, rng)
    offset = run * n
    rows = i[tie] + offset  # ties are sorted by i, so rows are sorted within and across runs
    cols = j[tie] + offset
    size = runs * n
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=size), out=indptr[1:])
    graph = sparse.csr_matrix((np.ones(rows.size), cols, indptr), shape=(size, size))
    _, labels = csgraph.connected_components(graph, directed=True, connection="weak")
    labels = labels.astype(np.int64)
    return labels.reshape(runs, n), np.bincount(labels)


def _distinct_sizes(labels: NDArray[np.int64], sizes: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per row: the summed sizes of the distinct components in that row of ``labels``."""
    ordered = np.sort(labels, axis=1)
    first = np.ones(ordered.shape, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    out: NDArray[np.int64] = (sizes[ordered] * first).sum(axis=1)
    return out


def _successes(total: int, p: float, rng: np.random.Generator) -> NDArray[np.int64]:
    """The positions in ``range(total)`` of independent Bernoulli(``p``) successes, sorted.

    The gaps between successes are geometric, drawn as ``floor(E / -log(1 - p)) + 1`` from
    standard exponentials ``E`` (for ``p < 1/3`` the very draws
    :meth:`numpy.random.Generator.geometric` makes, one array call instead of one call per
    draw), so the cost grows with the number of successes, not with ``total``.
    """
    if total == 0 or p <= 0.0:
        return np.empty(0, dtype=np.int64)
    if p >= 1.0:
        return np.arange(total, dtype=np.int64)
    # floor(E / -log(1 - p)) + 1 for E ~ Exp(1) is Geometric(p) exactly, and the ziggurat
    # exponential is cheaper than numpy's geometric; for tiny p the quotient could leave int64
    scale = -1.0 / math.log1p(-p) if p > 1e-9 else None
    parts = []
    last = -1
    while last < total - 1:
        left = total - 1 - last
        want = int(left * p + 6.0 * math.sqrt(left * p) + 16)
        if scale is None:
            pos = np.cumsum(rng.geometric(p, want))
        else:
            gaps = rng.standard_exponential(want)
            gaps *= scale
            pos = gaps.astype(np.int64)
            pos += 1
            np.cumsum(pos, out=pos)
        pos += last
        last = int(pos[-1])
        parts.append(pos[: np.searchsorted(pos, total)])
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _ic_block(
    n: int,
    adjacency: tuple[NDArray[np.int32], NDArray[np.int32]],
    seed_idx: NDArray[np.intp],
    runs: int,
    p: float,
    seed_seq: np.random.SeedSequence,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Independent cascade for one block of runs: (spread per run, activation counts per node).

    All runs advance together, one step at a time: the arcs out of every newly active node (of
    every run) are laid end to end and the ones that fire are picked by :func:`_successes`, so
    the work is proportional to the nodes the cascades reach and the arcs that fire, as in a
    compiled event loop, but in a handful of array operations per step.
    """
    indptr, indices = adjacency
    rng = np.random.default_rng(seed_seq)
    starts = indptr.astype(np.int64)
    degree = np.diff(starts)
    active = np.zeros(runs * n, dtype=bool)
    owner = np.empty(runs * n, dtype=np.int64)  # read only where just written
    frontier = (np.arange(runs, dtype=np.int64)[:, None] * n + seed_idx[None, :]).ravel()
    active[frontier] = True
    reached = [frontier]
    while frontier.size:
        node = frontier % n
        count = degree[node]
        ends = np.cumsum(count)
        fired = _successes(int(ends[-1]), p, rng)
        # how many fired ties leave each frontier node (fired and ends are both sorted); a fired
        # tie's place in ``indices`` is its place in the row plus the row's start, and its target
        # in the block is that neighbour plus the run's offset
        per_node = np.diff(np.searchsorted(fired, ends), prepend=0)
        fired += np.repeat(starts[node] - (ends - count), per_node)
        target = indices[fired] + np.repeat(frontier - node, per_node)
        target = target[~active[target]]
        owner[target] = np.arange(target.size)
        frontier = target[owner[target] == np.arange(target.size)]  # each new node once
        active[frontier] = True
        reached.append(frontier)
    return _tally(reached, runs, n)


def _run_block(task: tuple[Any, ...]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Run one block of Monte Carlo runs (a module-level function, so processes can run it)."""
    model, n, data, seed_idx, runs, p, seed_seq = task
    if model == "independent_cascade":
        return _ic_block(n, data, seed_idx, runs, p, seed_seq)
    return _lt_block(n, data, seed_idx, runs, seed_seq)


#: Runs per block: the unit of work handed to an executor and the unit of random streams, so the
#: answer for a given ``seed`` does not depend on how (or whether) the blocks run in parallel.
BLOCK_RUNS = 50


def _block_streams(
    seed: int | np.random.Generator | None, runs: int
) -> list[tuple[int, np.random.SeedSequence]]:
    if isinstance(seed, np.random.Generator):
        root = np.random.SeedSequence(int(seed.integers(2**63)))
    else:
        root = np.random.SeedSequence(seed)
    counts = [min(BLOCK_RUNS, runs - start) for start in range(0, runs, BLOCK_RUNS)]
    return list(zip(counts, root.spawn(len(counts)), strict=True))


def _map(executor: Executor | None, tasks: list[tuple[Any, ...]]) -> list[Any]:
    if executor is None:
        return [_run_block(t) for t in tasks]
    return list(executor.map(_run_block, tasks))


def _spread_inputs(
    network: CityNetwork, seeds: Iterable[str], kinds: Kinds, what: str
) -> tuple[CityNetwork, NDArray[np.intp], tuple[str, ...]]:
    seed_list = list(dict.fromkeys(seeds))
    network.check_nodes(seed_list, where=f"{what}: seeds")
    net = restricted(network, kinds, what)
    index = net.node_arrays().index
    return net, np.array([index[s] for s in seed_list], dtype=np.intp), tuple(seed_list)


def simulate_spread(
    network: CityNetwork,
    seeds: Iterable[str],
    *,
    model: SpreadModel = "independent_cascade",
    p: float = 0.05,
    runs: int = 1000,
    seed: int | np.random.Generator | None = 0,
    kinds: Kinds = None,
    executor: Executor | None = None,
    workers: int | None = None,
) -> Spread:
    """Monte Carlo spread of a practice from ``seeds`` over the network's ties.

    ``independent_cascade`` (Kempe, Kleinberg & Tardos 2003, KDD): a newly active node gets one
    chance to activate each neighbour, with probability ``p``. All runs of a block advance
    together, step by step: the ties out of every newly active node are laid end to end and the
    ones that fire are found by skipping geometrically over those that do not, so the work grows
    with the size of the cascades, not with ``runs`` times the size of the network.
    ``linear_threshold`` (same paper): each node draws a threshold uniformly in [0, 1] per run and
    activates once the share of its neighbours that are active reaches it (``p`` is unused). It is
    simulated in the equivalent live-edge form the paper proves (each node listens to one
    neighbour drawn uniformly, and adopts once that neighbour has), again all runs of a block at
    once and with work proportional to the cascades. Every relation is a two-way tie; parallel
    relations count once.

    Runs are grouped in blocks of :data:`BLOCK_RUNS`, each with its own random stream spawned
    from ``seed`` (:class:`numpy.random.SeedSequence`), so the result for a given ``seed`` is the
    same whether the blocks run one after another or on an ``executor``.

    Parameters:
        network: The city network.
        seeds: The ids of the nodes active at the start.
        model: ``"independent_cascade"`` or ``"linear_threshold"``.
        p: The probability that a tie passes the practice on (independent cascade).
        runs: The number of Monte Carlo runs.
        seed: Seeds the random streams (an int, a :class:`numpy.random.Generator`, or ``None``
            for fresh entropy).
        kinds: Only relations of these kinds are ties.
        executor: A :class:`concurrent.futures.Executor` that runs the blocks (a thread or
            process pool, or the executor of a dask.distributed or Ray client to run them on
            other machines); ``None`` runs them here, one after another.
        workers: Run the blocks on a process pool of this many workers (a shorthand for
            ``executor=ProcessPoolExecutor(workers)``; not with ``executor``).

    Returns:
        Spread: the final number of active nodes per run and each node's activation rate.

    Raises:
        UnknownIdError: a seed that is not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``p`` outside [0, 1], ``runs`` below 1, an unknown ``model``.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for c in "abc":
        ...     b.add_city(c)
        >>> _ = b.add_relations([Relation(kind="exchange", source="a", target=t) for t in "bc"])
        >>> net = b.build()
        >>> net = b.build()
        >>> simulate_spread(net, ["a"], p=1.0, runs=10).mean
        3.0
        >>> simulate_spread(net, ["a"], p=0.0, runs=10).mean
        1.0
        >>> from concurrent.futures import ThreadPoolExecutor
        >>> with ThreadPoolExecutor(2) as pool:
        ...     parallel = simulate_spread(net, ["a"], p=0.5, runs=100, executor=pool)
        >>> parallel == simulate_spread(net, ["a"], p=0.5, runs=100)
        True
    """
    _check_model(model)
    _check_spread_args(p, runs)
    net, seed_idx, seed_ids = _spread_inputs(network, seeds, kinds, "simulate_spread")
    n = len(net.node_arrays().ids)
    adj = net.adjacency()
    data = (adj.indptr, adj.indices)
    tasks = [
        (model, n, data, seed_idx, count, float(p), stream)
        for count, stream in _block_streams(seed, runs)
    ]
    if workers is not None:
        if executor is not None:
            raise ValidationError("simulate_spread: give executor= or workers=, not both")
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValidationError(
                f"simulate_spread: workers: expected a whole number of at least 1, got {workers!r}"
            )
        # spawned, not forked: a forked copy of a process with threads can deadlock
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = _map(pool, tasks)
    else:
        results = _map(executor, tasks)
    sizes = np.concatenate([r[0] for r in results])
    hits = np.sum([r[1] for r in results], axis=0)
    return Spread(
        model=model,
        seeds=seed_ids,
        runs=runs,
        sizes=sizes,
        node_ids=tuple(net.nodes()),
        activation=hits / runs,
    )


@attrs.frozen(kw_only=True)
class SpreadWorlds:
    """Sampled "worlds" of the independent cascade, to compare seed sets on the same randomness.

    On an undirected network a cascade with one chance per tie reaches exactly the nodes joined to
    a seed by open ties, each tie open with probability ``p`` independently (the live-edge form of
    Kempe, Kleinberg & Tardos 2003; for one chance per tie it is bond percolation: Grassberger
    1983, *Math. Biosci.* 63:157; Newman 2002, *Phys. Rev. E* 66:016128). Each world samples its
    open ties once and keeps the connected components
    (:func:`scipy.sparse.csgraph.connected_components`); the spread of any seed set in that world is
    then the size of the components its seeds fall in. :func:`select_seeds` evaluates every
    candidate set on the same worlds (common random numbers).

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for c in "abcd":
        ...     b.add_city(c)
        >>> _ = b.add_relations([Relation(kind="exchange", source="a", target=t) for t in "bc"])
        >>> worlds = SpreadWorlds.sample(b.build(), p=1.0, runs=5)
        >>> worlds.spread(["a"]), worlds.spread(["b", "d"])
        (3.0, 4.0)
    """

    node_ids: tuple[str, ...]
    labels: NDArray[np.int64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))
    sizes: NDArray[np.int64] = attrs.field(eq=attrs.cmp_using(eq=np.array_equal))

    __hash__ = None  # type: ignore[assignment]  # holds arrays

    @classmethod
    def sample(
        cls,
        network: CityNetwork,
        *,
        p: float = 0.05,
        runs: int = 200,
        seed: int | np.random.Generator | None = 0,
        kinds: Kinds = None,
        executor: Executor | None = None,
    ) -> SpreadWorlds:
        """Sample ``runs`` worlds (blocks of :data:`BLOCK_RUNS` with their own streams).

        Parameters:
            network: The city network.
            p: The probability that a tie is open in a world.
            runs: The number of worlds.
            seed: Seeds the random streams (an int, a :class:`numpy.random.Generator`, or ``None``
                for fresh entropy).
            kinds: Only relations of these kinds are ties; every kind when ``None``.
            executor: A :class:`concurrent.futures.Executor` that samples the blocks; ``None``
                samples them here, one after another.

        Returns:
            The worlds: each node's component label and each component's size, per world.

        Raises:
            NetworkError: ``kinds`` leaves no relations.
            ValidationError: ``p`` outside [0, 1], ``runs`` below 1, or a kind in ``kinds`` is not
                a relation kind.

        Example:
            >>> from civicinnov.network import CityNetworkBuilder, Relation
            >>> b = CityNetworkBuilder(); b.add_city("a"); b.add_city("b")
            >>> _ = b.add_relation(Relation(kind="exchange", source="a", target="b"))
            >>> SpreadWorlds.sample(b.build(), p=0.0, runs=3).labels.shape
            (3, 2)
        """
        _check_spread_args(p, runs)
        net = restricted(network, kinds, "SpreadWorlds")
        n = len(net.node_arrays().ids)
        ties = net.tie_pairs()
        tasks = [(n, ties, count, float(p), s) for count, s in _block_streams(seed, runs)]
        blocks = (
            [_labels_task(task) for task in tasks]
            if executor is None
            else list(executor.map(_labels_task, tasks))
        )
        shift = np.cumsum([0] + [b[1].size for b in blocks[:-1]])
        labels = np.concatenate([b[0] + s for b, s in zip(blocks, shift, strict=True)])
        sizes = np.concatenate([b[1] for b in blocks])
        labels.flags.writeable = False
        sizes.flags.writeable = False
        return cls(node_ids=net.node_arrays().ids, labels=labels, sizes=sizes)

    def _positions(self, seeds: Iterable[str]) -> list[int]:
        index = {n: i for i, n in enumerate(self.node_ids)}
        wanted = list(dict.fromkeys(seeds))
        missing = [s for s in wanted if s not in index]
        if missing:
            raise UnknownIdError(
                f"SpreadWorlds: unknown id(s) {', '.join(map(repr, missing))}; expected nodes of "
                "the network the worlds were sampled on"
            )
        return [index[s] for s in wanted]

    def spread(self, seeds: Iterable[str]) -> float:
        """The mean number of nodes the cascade from ``seeds`` reaches, over the worlds.

        Parameters:
            seeds: The ids of the nodes active at the start (a repeated id counts once).

        Returns:
            The mean spread over the worlds; 0.0 for no seeds.

        Raises:
            UnknownIdError: a seed that is not a node.

        Example:
            >>> import numpy as np
            >>> w = SpreadWorlds(node_ids=("a", "b"), labels=np.array([[0, 0], [1, 2]]),
            ...                  sizes=np.array([2, 1, 1]))
            >>> w.spread(["a"])
            1.5
        """
        return self.spread_at(self._positions(seeds))

    def spread_at(self, positions: Sequence[int]) -> float:
        """:meth:`spread` for seeds given by their positions in :attr:`node_ids`.

        Parameters:
            positions: The positions of the seeds in :attr:`node_ids` (a repeat counts once).

        Returns:
            The mean spread over the worlds; 0.0 for no positions.

        Example:
            >>> import numpy as np
            >>> w = SpreadWorlds(node_ids=("a", "b"), labels=np.array([[0, 1]]), sizes=np.array([1, 1]))
            >>> w.spread_at([0, 1])
            2.0
        """
        if not positions:
            return 0.0
        return float(_distinct_sizes(self.labels[:, list(positions)], self.sizes).mean())

    def singles(self, positions: Sequence[int]) -> NDArray[np.float64]:
        """The spread of each position alone, for many positions at once.

        Parameters:
            positions: Positions in :attr:`node_ids`.

        Returns:
            For each position, the mean spread over the worlds with that node as the only seed.

        Example:
            >>> import numpy as np
            >>> w = SpreadWorlds(node_ids=("a", "b"), labels=np.array([[0, 1]]), sizes=np.array([1, 1]))
            >>> w.singles([0, 1]).tolist()
            [1.0, 1.0]
        """
        out: NDArray[np.float64] = self.sizes[self.labels[:, list(positions)]].mean(axis=0)
        return out


@attrs.frozen(kw_only=True)
class SeedSelection:
    """The seeds chosen by :func:`select_seeds`, each with its marginal gain in expected spread.

    ``evaluations`` counts the spread estimates CELF made; ``greedy_evaluations`` the estimates a
    plain greedy search would have made for the same seeds (every remaining candidate, every round).

    Example:
        >>> SeedSelection(seeds=("a",), gains=(3.0,), spread=3.0, evaluations=4).spread
        3.0
    """

    seeds: tuple[str, ...]
    gains: tuple[float, ...]
    spread: float
    evaluations: int
    greedy_evaluations: int = 0


def select_seeds(
    network: CityNetwork,
    k: int,
    *,
    model: SpreadModel = "independent_cascade",
    p: float = 0.05,
    runs: int = 200,
    seed: int = 0,
    candidates: Sequence[str] | None = None,
    kinds: Kinds = None,
    executor: Executor | None = None,
) -> SeedSelection:
    """Choose ``k`` seed cities that maximise expected spread: greedy with lazy evaluation (CELF).

    CELF (Leskovec et al. 2007, "Cost-effective outbreak detection in networks", KDD) keeps every
    candidate's last marginal gain in a priority queue and recomputes only the top one, which is
    valid because expected spread is submodular (Kempe et al. 2003). Every evaluation uses the
    same ``runs`` random worlds (common random numbers, from ``seed``), so comparisons between seed
    sets are not blurred by sampling noise. For the independent cascade those worlds are sampled
    once as :class:`SpreadWorlds` (the open ties of each run) and a seed set's spread is read
    from their connected components, so the first round scores every candidate in one array
    operation; for the linear threshold each evaluation re-runs the
    simulation with the same random numbers (every node's draw of the neighbour it listens to is a
    fixed function of the run and the node). Candidates default to every city; ties go to the
    city added first.

    Parameters:
        network: The city network.
        k: How many seeds to choose.
        model: ``"independent_cascade"`` or ``"linear_threshold"``.
        p: The probability that a tie passes the practice on (independent cascade).
        runs: The Monte Carlo runs behind each spread estimate.
        seed: Seeds the random worlds.
        candidates: The ids to choose from (default: every city).
        kinds: Only relations of these kinds are ties.
        executor: Runs the blocks of runs (see :func:`simulate_spread`).

    Returns:
        SeedSelection: the seeds, their marginal gains, the expected spread and how many
        evaluations CELF made (and plain greedy would have made).

    Raises:
        UnknownIdError: a candidate not in the network.
        NetworkError: ``kinds`` leaves no relations.
        ValidationError: ``k`` not between 1 and the number of candidates.

    Example:
        >>> from civicinnov.network import CityNetworkBuilder, Relation
        >>> b = CityNetworkBuilder()
        >>> for c in "abcdefg":
        ...     b.add_city(c)
        >>> star = [("a", t) for t in "bcd"] + [("e", "f"), ("f", "g")]
        >>> _ = b.add_relations([Relation(kind="exchange", source=s, target=t) for s, t in star])
        >>> net = b.build()
        >>> chosen = select_seeds(b.build(), 2, p=1.0, runs=5)
        >>> chosen.seeds, chosen.gains, chosen.spread
        (('a', 'e'), (4.0, 3.0), 7.0)
        >>> chosen.evaluations < chosen.greedy_evaluations
        True
    """
    _check_model(model)
    _check_spread_args(p, runs)
    net = restricted(network, kinds, "select_seeds")
    index = net.node_arrays().index
    if candidates is None:
        pool = net.cities()
    else:
        pool = list(dict.fromkeys(candidates))
        network.check_nodes(pool, where="select_seeds: candidates")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= len(pool):
        raise ValidationError(f"select_seeds: k must be an int in [1, {len(pool)}], got {k!r}")
    n = len(net.node_arrays().ids)
    pool_idx = np.array([index[c] for c in pool], dtype=np.intp)
    evaluations = 0
    spread_of: Callable[[list[int]], float]
    if model == "independent_cascade":
        worlds = SpreadWorlds.sample(net, p=p, runs=runs, seed=seed, executor=executor)
        single = worlds.singles(pool_idx.tolist())  # every candidate alone, at once
        spread_of = worlds.spread_at

    else:
        adj = net.adjacency()
        data = (adj.indptr, adj.indices)

        def spread_of(chosen: list[int]) -> float:
            idx = np.array(chosen, dtype=np.intp)
            tasks = [
                ("linear_threshold", n, data, idx, count, float(p), s)
                for count, s in _block_streams(seed, runs)
            ]
            return float(np.concatenate([r[0] for r in _map(executor, tasks)]).mean())

        single = np.array([spread_of([int(c)]) for c in pool_idx])
    evaluations += len(pool)
    heap: list[tuple[float, int, int, int]] = [
        (-float(v), int(c), int(c), 0) for v, c in zip(single.tolist(), pool_idx, strict=True)
    ]
    heapq.heapify(heap)
    chosen: list[int] = []
    gains: list[float] = []
    current = 0.0
    while len(chosen) < k:
        neg_gain, pos, node, round_seen = heapq.heappop(heap)
        if round_seen == len(chosen):
            chosen.append(node)
            gains.append(-neg_gain)
            current += -neg_gain
            continue
        gain = spread_of([*chosen, node]) - current
        evaluations += 1
        heapq.heappush(heap, (-gain, pos, node, len(chosen)))
    ids = net.node_arrays().ids
    return SeedSelection(
        seeds=tuple(ids[c] for c in chosen),
        gains=tuple(gains),
        spread=current,
        evaluations=evaluations,
        greedy_evaluations=sum(len(pool) - t for t in range(k)),
    )


def _labels_task(task: tuple[Any, ...]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    n, ties, runs, p, seed_seq = task
    return _ic_labels(n, ties, runs, p, seed_seq)
