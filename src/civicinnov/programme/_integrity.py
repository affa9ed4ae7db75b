"""Integrity checks of a programme: every problem, each with its ``$.path``.

:func:`check_portfolio` walks a :class:`~civicinnov.programme.Portfolio` once and returns every
problem it finds, not the first: duplicate ids, references that resolve to nothing (or to the
wrong kind of record), orphans (a target or baseline no challenge or initiative uses; an i-team
whose city is not in its cohort), cycles in the references, and dates out of order (a member
joining before its cohort was announced, a challenge's first phase change before its city joined a
cohort, a target due before its baseline, a milestone after its target, phase changes out of order).

Example:
    >>> from civicinnov.model import City
    >>> from civicinnov.programme import Portfolio
    >>> p = Portfolio(cities=(City(id="a", name="A", country="US"),
    ...                       City(id="a", name="A again", country="US")))
    >>> [str(x) for x in check_portfolio(p)]
    ["$.cities[1].id: duplicate city id 'a' (first at $.cities[0])"]
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from civicinnov.metrics import latest_baseline
from civicinnov.programme._records import COLLECTIONS, Problem, Records

__all__ = ["check_portfolio", "dims_key", "key_text", "record_key"]


def check_portfolio(portfolio: Records) -> list[Problem]:
    """Every integrity problem of ``portfolio``; an empty list when all is well.

    Parameters:
        portfolio: The programme's records (a :class:`Portfolio` or the like) to check.

    Returns:
        Every problem found, each with its ``$.path``, grouped by check in this order: duplicates,
        unknown references, orphans, dates, reference cycles, units against their metrics.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> check_portfolio(Portfolio())
        []
    """
    return list(_Checker(portfolio).run())


class _Checker:
    """Walks a portfolio once and yields every problem."""

    def __init__(self, portfolio: Records) -> None:
        self.p = portfolio
        self.index = portfolio.by_id

    def run(self) -> Iterator[Problem]:
        yield from self.duplicates()
        yield from self.references()
        yield from self.orphans()
        yield from self.dates()
        yield from self.cycles()
        yield from self.units()

    # duplicates ---------------------------------------------------------------------------------

    def duplicates(self) -> Iterator[Problem]:
        for collection, noun in COLLECTIONS.items():
            first: dict[str, int] = {}
            for i, record in enumerate(getattr(self.p, collection)):
                if record.id in first:
                    yield Problem(
                        path=f"$.{collection}[{i}].id",
                        message=f"duplicate {noun} id {record.id!r} "
                        f"(first at $.{collection}[{first[record.id]}])",
                    )
                else:
                    first[record.id] = i
        # Cities and partners are the nodes of one city network: an id names one of them only.
        city_at = {c.id: i for i, c in enumerate(self.p.cities)}
        for i, partner in enumerate(self.p.partners):
            if partner.id in city_at:
                yield Problem(
                    path=f"$.partners[{i}].id",
                    message=f"{partner.id!r} is also the id of a city ($.cities["
                    f"{city_at[partner.id]}]); expected partner ids distinct from city ids, as "
                    "both are nodes of the city network",
                )
        firsts: dict[tuple[str, str | None, dt.date], int] = {}
        for i, b in enumerate(self.p.baselines):
            bkey = (b.metric_id, b.place_id, b.as_of)
            if bkey in firsts:
                yield Problem(
                    path=f"$.baselines[{i}]",
                    message=f"a second baseline of {b.metric_id!r} in {b.place_id!r} as of "
                    f"{b.as_of.isoformat()} (first at $.baselines[{firsts[bkey]}])",
                )
            else:
                firsts[bkey] = i
        seen: dict[tuple[str, str, str], int] = {}
        for i, s in enumerate(self.p.series):
            key = (s.metric_id, s.place_id, dims_key(s))
            if key in seen:
                yield Problem(
                    path=f"$.series[{i}]",
                    message=f"a second series of metric {s.metric_id!r} in {s.place_id!r} "
                    f"(first at $.series[{seen[key]}]); expected one series per metric and place",
                )
            else:
                seen[key] = i

    # references ---------------------------------------------------------------------------------

    def ref(self, path: str, value: str | None, *collections: str) -> Iterable[Problem]:
        if value is None:
            return ()
        index = self.index
        for c in collections:
            if value in index[c]:
                return ()
        return (self.missing(path, value, collections),)

    def missing(self, path: str, value: str, collections: tuple[str, ...]) -> Problem:
        nouns = " or ".join(COLLECTIONS[c] for c in collections)
        known: list[str] = []
        for c in collections:
            known.extend(self.index[c])
        close = difflib.get_close_matches(value, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return Problem(path=path, message=f"{value!r} is not the id of any {nouns}{hint}")

    def refs(self, path: str, values: Iterable[str], *collections: str) -> Iterator[Problem]:
        for j, value in enumerate(values):
            yield from self.ref(f"{path}[{j}]", value, *collections)

    def references(self) -> Iterator[Problem]:
        p = self.p
        for i, cohort in enumerate(p.cohorts):
            at = f"$.cohorts[{i}]"
            yield from self.ref(f"{at}.funder_id", cohort.funder_id, "partners")
            yield from self.refs(f"{at}.partner_ids", cohort.partner_ids, "partners")
            for j, member in enumerate(cohort.members):
                yield from self.ref(f"{at}.members[{j}].city_id", member.city_id, "cities")
        for i, team in enumerate(p.iteams):
            at = f"$.iteams[{i}]"
            yield from self.ref(f"{at}.city_id", team.city_id, "cities")
            yield from self.ref(f"{at}.cohort_id", team.cohort_id, "cohorts")
        for i, pa in enumerate(p.priority_areas):
            yield from self.ref(f"$.priority_areas[{i}].city_id", pa.city_id, "cities")
        for i, ch in enumerate(p.challenges):
            at = f"$.challenges[{i}]"
            yield from self.ref(f"{at}.city_id", ch.city_id, "cities")
            yield from self.ref(f"{at}.priority_area_id", ch.priority_area_id, "priority_areas")
            area = self.index["priority_areas"].get(ch.priority_area_id or "")
            if area is not None and area.city_id != ch.city_id:
                yield Problem(
                    path=f"{at}.priority_area_id",
                    message=f"priority area {area.id!r} belongs to {area.city_id!r}, but the "
                    f"challenge belongs to {ch.city_id!r}",
                )
            yield from self.refs(f"{at}.metric_ids", ch.metric_ids, "metrics")
        for i, idea in enumerate(p.ideas):
            at = f"$.ideas[{i}]"
            yield from self.ref(f"{at}.challenge_id", idea.challenge_id, "challenges")
            yield from self.ref(f"{at}.origin_city_id", idea.origin_city_id, "cities")
        for i, ini in enumerate(p.initiatives):
            at = f"$.initiatives[{i}]"
            yield from self.ref(f"{at}.city_id", ini.city_id, "cities")
            yield from self.refs(f"{at}.challenge_ids", ini.challenge_ids, "challenges")
            yield from self.refs(f"{at}.idea_ids", ini.idea_ids, "ideas")
            yield from self.refs(f"{at}.target_ids", ini.target_ids, "targets")
            for j, cid in enumerate(ini.challenge_ids):
                owner = self.index["challenges"].get(cid)
                if owner is not None and owner.city_id != ini.city_id:
                    yield Problem(
                        path=f"{at}.challenge_ids[{j}]",
                        message=f"challenge {cid!r} belongs to {owner.city_id!r}, but the "
                        f"initiative belongs to {ini.city_id!r}",
                    )
            for j, iid in enumerate(ini.idea_ids):
                answer = self.index["ideas"].get(iid)
                if answer is not None and answer.challenge_id not in ini.challenge_ids:
                    yield Problem(
                        path=f"{at}.idea_ids[{j}]",
                        message=f"idea {iid!r} answers challenge {answer.challenge_id!r}, which "
                        "is not among the initiative's challenge_ids",
                    )
        for i, s in enumerate(p.series):
            yield from self.ref(f"$.series[{i}].metric_id", s.metric_id, "metrics")
            yield from self.ref(f"$.series[{i}].place_id", s.place_id, "cities")
        for name in ("baselines", "targets"):
            for i, record in enumerate(getattr(p, name)):
                yield from self.ref(f"$.{name}[{i}].metric_id", record.metric_id, "metrics")
                place = getattr(record, "place_id", None)
                yield from self.ref(f"$.{name}[{i}].place_id", place, "cities")
        for i, m in enumerate(p.milestones):
            yield from self.ref(f"$.milestones[{i}].target_id", m.target_id, "targets")
        for i, r in enumerate(p.rosters):
            yield from self.refs(f"$.rosters[{i}].city_ids", r.city_ids, "cities")
            yield from self.refs(f"$.rosters[{i}].source_ids", r.source_ids, "sources")
        for i, fu in enumerate(p.funding):
            at = f"$.funding[{i}]"
            yield from self.ref(f"{at}.source_id", fu.source_id, "partners", "cities")
            yield from self.ref(
                f"{at}.recipient_id", fu.recipient_id, "cities", "partners", "iteams"
            )
            yield from self.ref(f"{at}.cohort_id", fu.cohort_id, "cohorts")
        for i, c in enumerate(p.claims):
            at = f"$.claims[{i}]"
            yield from self.refs(f"{at}.source_ids", c.source_ids, "sources")
            yield from self.ref(f"{at}.city_id", c.city_id, "cities")
            yield from self.ref(f"{at}.cohort_id", c.cohort_id, "cohorts")
            yield from self.ref(f"{at}.challenge_id", c.challenge_id, "challenges")
            yield from self.ref(f"{at}.initiative_id", c.initiative_id, "initiatives")
            yield from self.ref(f"{at}.metric_id", c.metric_id, "metrics")
        for i, tie in enumerate(p.ties):
            yield from self.ref(f"$.ties[{i}].city_id", tie.city_id, "cities")
            yield from self.ref(f"$.ties[{i}].other_city_id", tie.other_city_id, "cities")
        for i, sup in enumerate(p.supports):
            at = f"$.supports[{i}]"
            yield from self.ref(f"{at}.provider_id", sup.provider_id, "partners")
            yield from self.refs(
                f"{at}.recipient_ids", sup.recipient_ids, "cities", "partners", "cohorts"
            )
            yield from self.refs(f"{at}.source_ids", sup.source_ids, "sources")
            if sup.provider_id in sup.recipient_ids:
                yield Problem(
                    path=f"{at}.recipient_ids",
                    message=f"{sup.provider_id!r} supports itself; expected recipients other "
                    "than the provider",
                )
        for i, prov in enumerate(p.provenance):
            at = f"$.provenance[{i}]"
            if prov.collection not in COLLECTIONS:
                yield Problem(
                    path=f"{at}.record",
                    message=f"{prov.collection!r} is not a collection; expected one of "
                    f"{', '.join(COLLECTIONS)}",
                )
            else:
                yield from self.ref(f"{at}.record", prov.record_id, prov.collection)
            yield from self.refs(f"{at}.source_ids", prov.source_ids, "sources")

    # orphans ------------------------------------------------------------------------------------

    def orphans(self) -> Iterator[Problem]:
        p = self.p
        tracked = {m for ch in p.challenges for m in ch.metric_ids}
        targeted = {t for ini in p.initiatives for t in ini.target_ids}
        for i, t in enumerate(p.targets):
            if t.id not in targeted and t.metric_id not in tracked:
                yield Problem(
                    path=f"$.targets[{i}]",
                    message=f"target {t.id!r} is an orphan: no initiative lists it and no "
                    f"challenge tracks its metric {t.metric_id!r}",
                )
        for i, b in enumerate(p.baselines):
            if b.metric_id not in tracked:
                yield Problem(
                    path=f"$.baselines[{i}]",
                    message=f"baseline of {b.metric_id!r} is an orphan: no challenge tracks "
                    "that metric",
                )
        cohorts = self.index["cohorts"]
        for i, team in enumerate(p.iteams):
            cohort = cohorts.get(team.cohort_id or "")
            if cohort is not None and team.city_id not in cohort.city_ids:
                yield Problem(
                    path=f"$.iteams[{i}].cohort_id",
                    message=f"the i-team's city {team.city_id!r} is not a member of cohort "
                    f"{cohort.id!r}",
                )

    # dates --------------------------------------------------------------------------------------

    def dates(self) -> Iterator[Problem]:
        p = self.p
        for i, cohort in enumerate(p.cohorts):
            for j, member in enumerate(cohort.members):
                if member.joined < cohort.announced:
                    yield Problem(
                        path=f"$.cohorts[{i}].members[{j}].joined",
                        message=f"{member.joined.isoformat()} is before the cohort was "
                        f"announced ({cohort.announced.isoformat()})",
                    )
        joined: dict[str, dt.date] = {}
        for cohort in p.cohorts:
            for member in cohort.members:
                if member.city_id not in joined or member.joined < joined[member.city_id]:
                    joined[member.city_id] = member.joined
        for i, ch in enumerate(p.challenges):
            first = joined.get(ch.city_id)
            if ch.history and first is not None and ch.history[0].on < first:
                yield Problem(
                    path=f"$.challenges[{i}].history[0].on",
                    message=f"{ch.history[0].on.isoformat()} is before {ch.city_id!r} joined its "
                    f"first cohort ({first.isoformat()})",
                )
        for i, ch in enumerate(p.challenges):
            previous: dt.date | None = None
            for j, change in enumerate(ch.history):
                if previous is not None and change.on < previous:
                    yield Problem(
                        path=f"$.challenges[{i}].history[{j}].on",
                        message=f"{change.on.isoformat()} is before the previous phase change "
                        f"({previous.isoformat()}); expected the history in date order",
                    )
                previous = change.on
        for i, t in enumerate(p.targets):
            in_force = latest_baseline(
                b for b in p.baselines if b.metric_id == t.metric_id and b.place_id == t.place_id
            )
            if in_force is not None and t.due < in_force.as_of:
                yield Problem(
                    path=f"$.targets[{i}].due",
                    message=f"{t.due.isoformat()} is before the baseline of {t.metric_id!r} "
                    f"({in_force.as_of.isoformat()}); expected a target due after its baseline",
                )
        targets = self.index["targets"]
        for i, m in enumerate(p.milestones):
            target = targets.get(m.target_id)
            if target is not None and m.due > target.due:
                yield Problem(
                    path=f"$.milestones[{i}].due",
                    message=f"{m.due.isoformat()} is after the due date of target "
                    f"{target.id!r} ({target.due.isoformat()})",
                )

    # cycles -------------------------------------------------------------------------------------

    def cycles(self) -> Iterator[Problem]:
        # challenge -> contributing issue -> initiative -> target -> metric, and the reverse links a
        # record may hold (an idea answering a challenge, an initiative listing ideas). Every edge
        # follows a reference by id; a cycle means some record (indirectly) refers to itself.
        # The model's own references always point down one fixed order of collections
        # (initiatives -> ideas -> challenges -> metrics; initiatives -> targets -> metrics), so
        # they cannot close a loop; only references between records of one collection (a
        # ``depends_on`` or ``parent_id`` some class may carry) can, and only then is the search run.
        extras = list(_extra_edges(self.p))
        if not extras:
            return
        edges: dict[str, list[tuple[str, str]]] = {}

        def add(a: str, b: str, path: str) -> None:
            edges.setdefault(a, []).append((b, path))

        p = self.p
        for i, ch in enumerate(p.challenges):
            for j, m in enumerate(ch.metric_ids):
                add(f"challenges:{ch.id}", f"metrics:{m}", f"$.challenges[{i}].metric_ids[{j}]")
        for i, ini in enumerate(p.initiatives):
            for j, c in enumerate(ini.challenge_ids):
                add(
                    f"initiatives:{ini.id}",
                    f"challenges:{c}",
                    f"$.initiatives[{i}].challenge_ids[{j}]",
                )
            for j, t in enumerate(ini.target_ids):
                add(f"initiatives:{ini.id}", f"targets:{t}", f"$.initiatives[{i}].target_ids[{j}]")
            for j, d in enumerate(ini.idea_ids):
                add(f"initiatives:{ini.id}", f"ideas:{d}", f"$.initiatives[{i}].idea_ids[{j}]")

        for i, idea in enumerate(p.ideas):
            add(f"ideas:{idea.id}", f"challenges:{idea.challenge_id}", f"$.ideas[{i}].challenge_id")
        for i, target in enumerate(p.targets):
            add(f"targets:{target.id}", f"metrics:{target.metric_id}", f"$.targets[{i}].metric_id")
        for extra in extras:
            add(*extra)
        yield from _find_cycles(edges)

    # units -------------------------------------------------------------------------------------

    def units(self) -> Iterator[Problem]:
        """Every quantity against its metric: baselines, targets, milestones, series (and a ratio
        series' numerator and denominator), claims. A value in ``km`` for a metric counted in
        ``dwelling`` is refused here, so no report meets it later.
        """
        metrics = self.index["metrics"]
        p = self.p

        def check(path: str, metric_id: str | None, unit: Any, what: str) -> Iterator[Problem]:
            metric = metrics.get(metric_id) if metric_id is not None else None
            if metric is None or unit is None:
                return
            expected = _dimensionality(metric.unit)
            given = _dimensionality(unit)
            if expected is None or given is None or expected == given:
                return
            yield Problem(
                path=path,
                message=f"{what} is in {_unit_text(unit)} ({_dim_text(given)}) but metric "
                f"{metric_id!r} is measured in {_unit_text(metric.unit)} ({_dim_text(expected)}); "
                "expected a value in a unit of the same dimension",
            )

        for i, b in enumerate(p.baselines):
            yield from check(f"$.baselines[{i}].value", b.metric_id, b.value.units, "the baseline")
        for i, t in enumerate(p.targets):
            yield from check(f"$.targets[{i}].value", t.metric_id, t.value.units, "the target")
        targets = self.index["targets"]
        for i, m in enumerate(p.milestones):
            target = targets.get(m.target_id)
            if m.value is not None and target is not None:
                yield from check(
                    f"$.milestones[{i}].value", target.metric_id, m.value.units, "the milestone"
                )
        for i, s in enumerate(p.series):
            metric = metrics.get(s.metric_id)
            yield from check(f"$.series[{i}].unit", s.metric_id, s.unit, "the series")
            ratio = getattr(metric, "ratio", None)
            if ratio is None:
                continue
            for part in ("numerator", "denominator"):
                given = getattr(s, f"{part}_unit", None)
                wanted = getattr(ratio, f"{part}_unit", None)
                if given is None or wanted is None:
                    continue
                if _dimensionality(given) != _dimensionality(wanted):
                    yield Problem(
                        path=f"$.series[{i}].{part}_unit",
                        message=f"the {part} is in {_unit_text(given)} but metric {s.metric_id!r} "
                        f"counts its {part} in {_unit_text(wanted)}; expected a unit of the same "
                        "dimension",
                    )
        for i, c in enumerate(p.claims):
            # A claim may state a relative change ("murders fell 19%"): no dimension is fine.
            if c.value is not None and not c.value.dimensionless:
                yield from check(f"$.claims[{i}].value", c.metric_id, c.value.units, "the claim")


def _dimensionality(unit: Any) -> Any:
    try:
        return unit.dimensionality
    except AttributeError:
        return None


def _unit_text(unit: Any) -> str:
    text = format(unit, "~D") if hasattr(unit, "dimensionality") else str(unit)
    return text or "dimensionless"


def _dim_text(dim: Any) -> str:
    text = str(dim)
    return "no dimension" if text == "dimensionless" else text


def _extra_edges(p: Records) -> Iterator[tuple[str, str, str]]:
    """Edges from optional self-references some model classes may carry (``depends_on``)."""
    for collection in ("challenges", "initiatives", "partners"):
        for i, record in enumerate(getattr(p, collection)):
            for attr in ("depends_on", "parent_id"):
                value = getattr(record, attr, None)
                if value is None:
                    continue
                values = (value,) if isinstance(value, str) else tuple(value)
                for j, v in enumerate(values):
                    suffix = f"[{j}]" if not isinstance(value, str) else ""
                    yield (
                        f"{collection}:{record.id}",
                        f"{collection}:{v}",
                        f"$.{collection}[{i}].{attr}{suffix}",
                    )


def _find_cycles(edges: Mapping[str, list[tuple[str, str]]]) -> Iterator[Problem]:
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if colour.get(start, white) != white:
            continue
        stack: list[tuple[str, Iterator[tuple[str, str]]]] = [(start, iter(edges.get(start, ())))]
        trail: list[tuple[str, str]] = [(start, "")]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            step = next(children, None)
            if step is None:
                colour[node] = black
                stack.pop()
                trail.pop()
                continue
            child, path = step
            state = colour.get(child, white)
            if state == grey:
                names = [n for n, _ in trail]
                loop = names[names.index(child) :]
                key = frozenset(loop)
                if key not in reported:
                    reported.add(key)
                    yield Problem(
                        path=path,
                        message="references form a cycle: " + " -> ".join([*loop, child]),
                    )
            elif state == white:
                colour[child] = grey
                stack.append((child, iter(edges.get(child, ()))))
                trail.append((child, path))


def record_key(collection: str) -> Callable[[Any], Any] | None:
    """How :meth:`Portfolio.with_records` matches a new record to an old one (None: never)."""
    if collection == "series":
        return lambda s: (
            "series",
            getattr(s, "metric_id", None),
            getattr(s, "place_id", None),
            dims_key(s),
        )
    if collection == "baselines":
        return lambda b: (
            "baseline",
            getattr(b, "metric_id", None),
            getattr(b, "place_id", None),
            getattr(b, "as_of", None),
        )
    if collection == "provenance":
        return None
    return lambda r: getattr(r, "id", None)


def key_text(key: Any) -> str:
    if isinstance(key, tuple):
        what, metric, place = key[:3]
        return f"the {what} of {metric!r} in {place!r}" + (
            f" as of {key[3].isoformat()}" if what == "baseline" and key[3] is not None else ""
        )
    return f"id {key!r}"


def dims_key(series: Any) -> str:
    dims = getattr(series, "dimensions", None)
    if not dims:
        return ""
    try:
        return repr(sorted(dims))
    except TypeError:
        return repr(dims)
