"""Roll-ups of a programme: progress of every challenge against its targets, and exact funding sums.

The :class:`~civicinnov.programme.Portfolio` methods of the same names call these functions; they
live apart so the aggregate stays a short list of what a programme holds and how to find it.

Funding sums are exact :class:`~civicinnov.money.Money` per currency: amounts in different
currencies are never added and no exchange rate is assumed.

Unverified amounts are left out by default. A funding record is unverified when its provenance
says so (:func:`~civicinnov.programme._records.unverified_ids`); every funding roll-up takes
``include_unverified=`` (default False), so a figure from a doubtful copy is never summed
silently. :func:`funding_coverage` says what the sums cover: how many i-teams report a grant, and
which amounts are unverified ("9 of 31 i-teams report a grant; 1 of them unverified").

:func:`observed_adoptions` lists, as plain records, where an idea came from another city (an
:class:`~civicinnov.model.Idea` with an ``origin_city_id``): the input for observed diffusion.

Example:
    >>> from civicinnov.money import Money
    >>> from civicinnov.programme import Funding, Portfolio
    >>> p = Portfolio(funding=[Funding(id="g", source_id="bp", recipient_id="x", kind="grant",
    ...                                amount=Money.parse("$1M"))])
    >>> print(funding_by_currency(p)["USD"])
    USD 1,000,000.00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import numpy as np

from civicinnov.evaluation import ProgressStatus, progress
from civicinnov.metrics import latest_baseline
from civicinnov.money import Money
from civicinnov.programme._records import (
    FundingKind,
    FundingKinds,
    Records,
    funding_kinds,
    unverified_ids,
)
from civicinnov.units import as_quantity

if TYPE_CHECKING:
    from civicinnov.units import Quantity

__all__ = [
    "FundingCoverage",
    "ObservedAdoption",
    "ProgressRow",
    "funding_by_currency",
    "funding_by_kind",
    "funding_by_source",
    "funding_coverage",
    "group_ids",
    "observed_adoptions",
    "progress_rows",
]

R = TypeVar("R")


@attrs.frozen(kw_only=True)
class ProgressRow:
    """Progress of one challenge metric against one target, computed from the records.

    ``latest`` is the last observed value (in the target's unit) on or before the report date,
    ``baseline`` the baseline in force; ``fraction`` is the raw baseline-aware progress
    ``(latest - baseline) / (target - baseline)`` of :func:`civicinnov.evaluation`
    (1.0 = reached), ``None`` without a baseline or an observation; ``status`` is its
    :class:`~civicinnov.evaluation.ProgressStatus` value (``"in_progress"``,
    ``"no_baseline"``, ...). ``met`` says whether the latest value is at or beyond the target in the
    metric's direction (``None`` without data or without a direction).

    Example:
        >>> from civicinnov.units import as_quantity
        >>> row = ProgressRow(challenge_id="c", city_id="x", metric_id="m", target_id="t",
        ...                   target=as_quantity(800, "person"), due=dt.date(2013, 12, 31),
        ...                   baseline=None, latest=as_quantity(1022, "person"),
        ...                   latest_period="2013", fraction=None, status="no_baseline", met=True)
        >>> row.met
        True
    """

    challenge_id: str
    city_id: str
    metric_id: str
    target_id: str
    target: Quantity
    due: dt.date
    baseline: Quantity | None
    latest: Quantity | None
    latest_period: str | None
    fraction: float | None
    status: str
    met: bool | None = None
    #: The status of the latest observation (``"provisional"``, ``"estimated"``, ...), when the
    #: series records one; reports flag a provisional or estimated latest value.
    latest_status: str | None = None


def progress_rows(
    p: Records, *, as_of: dt.date | None = None, approved_only: bool = False
) -> list[ProgressRow]:
    """Progress of every challenge's metrics against their targets; see :meth:`Portfolio.progress`.

    An observation counts on ``as_of`` when its period has *ended* by then (a month of July counts
    on 31 July, not on 1 July). With ``approved_only``, a series that carries approval states counts
    only its approved rows (a series without a workflow counts whole).

    Parameters:
        p: the programme's records.
        as_of: count only periods that have ended by this date (default: every period).
        approved_only: count only approved observations.

    Returns:
        One row per challenge metric and target.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> progress_rows(Portfolio())
        []
    """
    rows: list[ProgressRow] = []
    metrics = p.by_id["metrics"]
    cutoff = None if as_of is None else np.datetime64(as_of, "D")
    # targets, baselines and series by metric, so a large programme is not scanned per challenge
    targets_of: dict[tuple[str, str | None], list[Any]] = {}
    for t in p.targets:
        targets_of.setdefault((t.metric_id, t.place_id), []).append(t)
    baselines_of: dict[tuple[str, str | None], list[Any]] = {}
    for b in p.baselines:
        baselines_of.setdefault((b.metric_id, b.place_id), []).append(b)
    series_at: dict[tuple[str, str], list[Any]] = {}
    for s in p.series:
        series_at.setdefault((s.metric_id, s.place_id), []).append(
            s.approved() if approved_only else s
        )
    for ch in p.challenges:
        for metric_id in ch.metric_ids:
            targets = [
                *targets_of.get((metric_id, None), ()),
                *targets_of.get((metric_id, ch.city_id), ()),
            ]
            if not targets:
                continue
            definition = metrics.get(metric_id)
            latest_value: float | None = None
            latest_unit: Any = None
            latest_period: str | None = None
            latest_status: str | None = None
            for s in series_at.get((metric_id, ch.city_id), ()):
                values = s.values
                if s.dimensions and s.categories is not None:
                    values = np.where(np.all(s.categories == 0, axis=1), values, np.nan)
                usable = ~np.isnan(values)
                if cutoff is not None:
                    usable &= s.period_type.ends(s.ordinals) <= cutoff
                hits = np.flatnonzero(usable)
                if len(hits):
                    last = int(hits[-1])
                    latest_value, latest_unit = float(values[last]), s.unit
                    latest_period = s.period_type.label(int(s.ordinals[last]))
                    status = s.status_of(last)
                    latest_status = None if status is None else status.value
            baseline = latest_baseline(
                [
                    *baselines_of.get((metric_id, None), ()),
                    *baselines_of.get((metric_id, ch.city_id), ()),
                ],
                as_of,
            )
            for target in sorted(targets, key=lambda t: (t.due, t.id)):
                unit = target.value.units
                latest = (
                    None
                    if latest_value is None
                    else as_quantity(latest_value, latest_unit).to(unit)
                )
                base = baseline.value.to(unit) if baseline is not None else None
                fraction: float | None = None
                status = ProgressStatus.NO_DATA
                if latest is not None:
                    result = progress(
                        latest, target=target.value, baseline=base, definition=definition
                    )
                    raw = float(result.raw.reshape(-1)[-1]) if result.raw.size else float("nan")
                    fraction = None if np.isnan(raw) else raw
                    status = result.status
                met: bool | None = None
                sign = definition.direction.sign if definition is not None else 0
                if latest is not None and sign:
                    met = sign * (float(latest.magnitude) - float(target.value.magnitude)) >= 0
                rows.append(
                    ProgressRow(
                        challenge_id=ch.id,
                        city_id=ch.city_id,
                        metric_id=metric_id,
                        target_id=target.id,
                        target=target.value,
                        due=target.due,
                        baseline=base,
                        latest=latest,
                        latest_period=latest_period,
                        latest_status=latest_status,
                        fraction=fraction,
                        status=status.value,
                        met=met,
                    )
                )
    return rows


def group_ids(
    records: Iterable[R], keys: list[Any], key: Callable[[R], Any]
) -> dict[Any, tuple[str, ...]]:
    """Ids of ``records`` grouped by ``key``, every key of ``keys`` listed first, in order.

    Example:
        >>> from civicinnov.model import Phase
        >>> group_ids([], [Phase.INVESTIGATE], lambda r: r.phase)
        {<Phase.INVESTIGATE: 'investigate'>: ()}
    """
    grouped: dict[Any, list[str]] = {k: [] for k in keys}
    for record in records:
        grouped.setdefault(key(record), []).append(record.id)  # type: ignore[attr-defined]
    return {k: tuple(v) for k, v in grouped.items()}


def _amounts(
    p: Records,
    kinds: FundingKinds,
    include_unverified: bool,  # noqa: FBT001 - a private helper flag
) -> Iterator[tuple[str, FundingKind, Money]]:
    wanted = funding_kinds(kinds)
    doubtful = frozenset() if include_unverified else unverified_ids(p, "funding")
    for record in p.funding:
        if (wanted is None or record.kind in wanted) and record.id not in doubtful:
            yield record.source_id, record.kind, record.amount


def _add(totals: dict[str, Money], amount: Money) -> None:
    previous = totals.get(amount.currency)
    totals[amount.currency] = amount if previous is None else previous + amount


def funding_by_source(
    p: Records, *, kinds: FundingKinds = None, include_unverified: bool = False
) -> dict[str, dict[str, Money]]:
    """Total money by source and currency, exact, sources sorted; ``kinds`` keeps some kinds only,
    unverified amounts are left out unless ``include_unverified``.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> funding_by_source(Portfolio())
        {}
    """
    totals: dict[str, dict[str, Money]] = {}
    for source, _, amount in _amounts(p, kinds, include_unverified):
        _add(totals.setdefault(source, {}), amount)
    return {k: dict(sorted(v.items())) for k, v in sorted(totals.items(), key=lambda kv: kv[0])}


def funding_by_currency(
    p: Records, *, kinds: FundingKinds = None, include_unverified: bool = False
) -> dict[str, Money]:
    """Total money by currency, exact; ``kinds`` keeps some kinds only, unverified amounts are
    left out unless ``include_unverified``.

    Example:
        >>> from civicinnov.money import Money
        >>> from civicinnov.programme import Funding, Portfolio, Provenance
        >>> p = Portfolio(
        ...     funding=[Funding(id="g", source_id="bp", recipient_id="x", kind="grant",
        ...                      amount=Money.parse("$6M"))],
        ...     provenance=[Provenance(record="funding:g", source_ids=["op-ed"], verified=False)])
        >>> funding_by_currency(p), str(funding_by_currency(p, include_unverified=True)["USD"])
        ({}, 'USD 6,000,000.00')
    """
    totals: dict[str, Money] = {}
    for _, _, amount in _amounts(p, kinds, include_unverified):
        _add(totals, amount)
    return dict(sorted(totals.items()))


def funding_by_kind(
    p: Records, *, include_unverified: bool = False
) -> dict[FundingKind, dict[str, Money]]:
    """Total money by :class:`FundingKind` and currency, exact; only kinds with money, in order;
    unverified amounts are left out unless ``include_unverified``.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> funding_by_kind(Portfolio())
        {}
    """
    totals: dict[FundingKind, dict[str, Money]] = {}
    for _, kind, amount in _amounts(p, None, include_unverified):
        _add(totals.setdefault(kind, {}), amount)
    return {k: dict(sorted(totals[k].items())) for k in FundingKind if k in totals}


@attrs.frozen(kw_only=True)
class FundingCoverage:
    """What the funding roll-ups cover: which i-teams report a grant, and which amounts are
    unverified (left out of the totals unless asked for).

    An i-team *reports a grant* when a :attr:`FundingKind.GRANT` record names its city or the team
    itself as recipient. ``unverified_funding`` lists every funding record whose provenance says it
    is not verified, whatever its kind.

    Example:
        >>> c = FundingCoverage(iteams=("a-team", "b-team"), with_grant=("a-team",),
        ...                     unverified_grant=(), unverified_funding=())
        >>> c.summary()
        '1 of 2 i-teams report a grant'
    """

    iteams: tuple[str, ...]
    with_grant: tuple[str, ...]
    unverified_grant: tuple[str, ...]
    unverified_funding: tuple[str, ...]

    def summary(self) -> str:
        """One line: "9 of 31 i-teams report a grant (1 unverified)".

        Example:
            >>> FundingCoverage(iteams=("a", "b"), with_grant=("a", "b"), unverified_grant=("b",),
            ...                 unverified_funding=("b-grant",)).summary()
            '2 of 2 i-teams report a grant (1 unverified)'
        """
        text = f"{len(self.with_grant)} of {len(self.iteams)} i-teams report a grant"
        if self.unverified_grant:
            text += f" ({len(self.unverified_grant)} unverified)"
        return text


def funding_coverage(p: Records) -> FundingCoverage:
    """Which i-teams report a grant and which funding records are unverified.

    An i-team whose every grant is unverified is in both ``with_grant`` and ``unverified_grant``.

    Parameters:
        p: The programme's records (a :class:`Portfolio` or the like).

    Returns:
        The ids of every i-team, of those with a grant, of those whose grants are all unverified,
        and of every unverified funding record, each in record order.

    Example:
        >>> from civicinnov.datasets import load_iteams
        >>> coverage = funding_coverage(load_iteams())
        >>> coverage.summary(), coverage.unverified_grant
        ('9 of 31 i-teams report a grant (1 unverified)', ('chicago-iteam',))
    """
    doubtful = unverified_ids(p, "funding")
    grants: dict[str, list[bool]] = {}
    for record in p.funding:
        if record.kind is FundingKind.GRANT:
            grants.setdefault(record.recipient_id, []).append(record.id not in doubtful)
    with_grant: list[str] = []
    unverified: list[str] = []
    for team in p.iteams:
        verified = grants.get(team.id, []) + grants.get(team.city_id, [])
        if verified:
            with_grant.append(team.id)
            if not any(verified):
                unverified.append(team.id)
    return FundingCoverage(
        iteams=tuple(t.id for t in p.iteams),
        with_grant=tuple(with_grant),
        unverified_grant=tuple(unverified),
        unverified_funding=tuple(r.id for r in p.funding if r.id in doubtful),
    )


@attrs.frozen(kw_only=True)
class ObservedAdoption:
    """One observed adoption: ``city_id`` took up idea ``idea_id`` from ``origin_city_id``.

    ``initiative_ids`` are the adopting city's initiatives that carry the idea. Plain ids only,
    so a diffusion analysis can take it without knowing portfolios.

    Example:
        >>> ObservedAdoption(idea_id="stat", city_id="memphis", origin_city_id="baltimore",
        ...                  initiative_ids=()).origin_city_id
        'baltimore'
    """

    idea_id: str
    city_id: str
    origin_city_id: str
    initiative_ids: tuple[str, ...] = ()

    def as_tuple(self) -> tuple[str, str, str, None]:
        """The observation as :func:`civicinnov.network.diffusion` takes it: (city, from city,
        practice, date); the practice is the idea and the date is unknown (ideas carry none).

        Example:
            >>> ObservedAdoption(idea_id="stat", city_id="memphis",
            ...                  origin_city_id="baltimore").as_tuple()
            ('memphis', 'baltimore', 'stat', None)
        """
        return (self.city_id, self.origin_city_id, self.idea_id, None)


def observed_adoptions(p: Records) -> tuple[ObservedAdoption, ...]:
    """Every idea the record says came from another city, as :class:`ObservedAdoption` values.

    The adopting city is the city of the challenge the idea answers; ideas without an origin city,
    with an origin that is the adopting city itself, or whose challenge is unknown are left out.

    Parameters:
        p: The programme's records (a :class:`Portfolio` or the like).

    Returns:
        One adoption per idea taken from another city, in the order of the ideas.

    Example:
        >>> from civicinnov.model import Challenge, Idea
        >>> from civicinnov.programme import Portfolio
        >>> p = Portfolio(
        ...     challenges=[Challenge(id="blight", city_id="mobile", statement="Reduce blight")],
        ...     ideas=[Idea(id="blight-index", challenge_id="blight", title="Blight index",
        ...                 source="other_city", origin_city_id="new-orleans")])
        >>> [(a.origin_city_id, a.city_id) for a in observed_adoptions(p)]
        [('new-orleans', 'mobile')]
    """
    challenges = p.by_id["challenges"]
    out: list[ObservedAdoption] = []
    for idea in p.ideas:
        challenge = challenges.get(idea.challenge_id)
        if idea.origin_city_id is None or challenge is None:
            continue
        if idea.origin_city_id == challenge.city_id:
            continue
        out.append(
            ObservedAdoption(
                idea_id=idea.id,
                city_id=challenge.city_id,
                origin_city_id=idea.origin_city_id,
                initiative_ids=tuple(i.id for i in p.initiatives if idea.id in i.idea_ids),
            )
        )
    return tuple(out)
