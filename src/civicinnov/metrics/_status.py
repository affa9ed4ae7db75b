"""What is known about each observation: status, missing-value reason, approval, revisions.

Statistical offices and results platforms give every data value a little more than a number:
SDMX an observation status (``OBS_STATUS``: provisional, estimated, ...), DHIS2 a comment, who
stored it and when, an audit trail of earlier values and an approval workflow, Akvo RSR an update
that is drafted, submitted and approved. civicinnov keeps the same facts about the rows of a
:class:`~civicinnov.metrics.MetricSeries`, **vectorised**: one small-integer code per row
for the status, the missing-value reason and the approval state (``0`` = not given), text tuples
for comments, sources and recorders, and one :class:`Revisions` table of earlier values.

- :class:`ObservationStatus`: ``final``, ``revised``, ``provisional``, ``estimated``,
  ``missing``; the codes are ordered so that an aggregate takes the largest code of its inputs
  (a quarter with one provisional month is provisional).
- :class:`MissingReason`: why a value is absent (after SDMX's missing-value codes).
- :class:`ApprovalState`: ``draft`` → ``submitted`` → ``approved``; an aggregate takes the
  smallest state of its inputs (a quarter is approved only when every month is).
- :class:`Revisions`: earlier values of rows, oldest first, each with its status and who replaced
  it when.

What does not live here: the series and its update operation
(:meth:`~civicinnov.metrics.MetricSeries.update`).

Example:
    >>> ObservationStatus.PROVISIONAL.code, ObservationStatus.from_code(4)
    (3, <ObservationStatus.ESTIMATED: 'estimated'>)
    >>> ApprovalState.APPROVED > ApprovalState.DRAFT
    True
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from civicinnov.errors import SeriesError, ValidationError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ApprovalState",
    "MissingReason",
    "ObservationStatus",
    "Revisions",
    "check_timestamps",
    "code_array",
]


class _Coded(enum.Enum):
    """An enum whose members have a small-integer code (1, 2, ...; 0 means "not given")."""

    @property
    def code(self) -> int:
        """The member's code: its position in the enum, from 1.

        Example:
            >>> ObservationStatus.FINAL.code
            1
        """
        return list(type(self)).index(self) + 1

    @classmethod
    def from_code(cls, code: int) -> Any:
        """The member with ``code``, ``None`` for 0.

        Example:
            >>> MissingReason.from_code(0) is None
            True
        """
        if code == 0:
            return None
        members = list(cls)
        if not 0 < code <= len(members):
            raise ValidationError(
                f"{cls.__name__}: expected a code from 0 to {len(members)}, got {code}"
            )
        return members[code - 1]

    @classmethod
    def codes(cls, values: Iterable[Any], *, where: str) -> NDArray[np.int8]:
        """Codes of ``values`` (members, their text, or ``None``/``""`` for 0), as int8.

        Example:
            >>> ObservationStatus.codes(["final", None, "estimated"], where="status").tolist()
            [1, 0, 4]
        """
        lookup: dict[Any, int] = {None: 0, "": 0}
        for member in cls:
            lookup[member] = lookup[member.value] = member.code
        out = []
        for i, v in enumerate(values):
            try:
                out.append(lookup[v])
            except (KeyError, TypeError):
                allowed = ", ".join(repr(m.value) for m in cls)
                raise ValidationError(
                    f"{where}[{i}]: expected one of {allowed} or empty, got {v!r}"
                ) from None
        return np.asarray(out, dtype=np.int8)


class ObservationStatus(_Coded):
    """The status of an observed value (after SDMX ``OBS_STATUS``), ordered from the most to the
    least settled: an aggregate takes the largest code among its inputs.

    Example:
        >>> ObservationStatus("provisional").code
        3
    """

    FINAL = "final"
    REVISED = "revised"
    PROVISIONAL = "provisional"
    ESTIMATED = "estimated"
    MISSING = "missing"


class MissingReason(_Coded):
    """Why a value is missing (after SDMX's missing-value observation statuses and DHIS2's
    comments on absent values).

    Example:
        >>> MissingReason("not_yet_available").code
        2
    """

    NOT_COLLECTED = "not_collected"
    NOT_YET_AVAILABLE = "not_yet_available"
    NOT_APPLICABLE = "not_applicable"
    CONFIDENTIAL = "confidential"
    UNRELIABLE = "unreliable"


class ApprovalState(_Coded):
    """Where a value is in the approval workflow (after DHIS2 data approval and Akvo RSR
    updates): drafted, submitted for review, approved. States compare in workflow order.

    Example:
        >>> ApprovalState.SUBMITTED < ApprovalState.APPROVED
        True
    """

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ApprovalState):
            return NotImplemented
        return self.code < other.code

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, ApprovalState):
            return NotImplemented
        return self.code > other.code


def code_array(value: Any, enum_type: type[_Coded], name: str) -> NDArray[np.int8] | None:
    """Normalise ``value`` (``None``, int codes, members or their text) to a read-only int8 array
    of codes of ``enum_type``; raise :class:`~civicinnov.errors.SeriesError` for a bad code.

    Example:
        >>> code_array(["final", "provisional"], ObservationStatus, "statuses").tolist()
        [1, 3]
    """
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.dtype == np.int8 and not value.flags.writeable:
        arr = value
    else:
        raw = np.asarray(value)
        if raw.dtype.kind in "iu":
            arr = raw.astype(np.int8).reshape(-1)
            if raw.size and (raw.min() < 0 or raw.max() > len(enum_type)):
                arr = np.full(1, -1, np.int8)  # reported below
        else:
            try:
                arr = enum_type.codes(raw.reshape(-1).tolist(), where=name)
            except ValidationError as exc:
                raise SeriesError(str(exc)) from None
        arr.flags.writeable = False
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) > len(enum_type)):
        raise SeriesError(
            f"{name}: expected codes 0 to {len(enum_type)} of {enum_type.__name__}, got "
            f"{np.asarray(value).reshape(-1).tolist()[:5]}"
        )
    return arr


def check_timestamps(value: Any, name: str) -> tuple[str | None, ...] | None:
    """Normalise ``value`` (dates, datetimes or ISO 8601 text, ``None`` for unknown) to a tuple
    of ISO text; raise :class:`~civicinnov.errors.SeriesError` for text that is not ISO 8601.

    Parameters:
        value: an iterable of timestamps, or ``None``.
        name: the field named in error messages (items are named ``name[i]``).

    Returns:
        A tuple of ISO 8601 text or ``None`` per item (empty text becomes ``None``), or ``None``
        when ``value`` is ``None``.

    Raises:
        SeriesError: an item that is not a date, datetime or ISO 8601 text.

    Example:
        >>> check_timestamps([dt.date(2024, 2, 1), None, "2024-03-05T10:00:00+00:00"], "at")
        ('2024-02-01', None, '2024-03-05T10:00:00+00:00')
    """
    if value is None:
        return None
    items = tuple(value)
    checked: dict[Any, str | None] = {None: None, "": None}
    try:
        distinct = set(items)
    except TypeError:  # something unhashable: found and reported below
        distinct = set()
        for i, item in enumerate(items):
            _timestamp(item, f"{name}[{i}]")
    for item in distinct - {None, ""}:  # each distinct value once
        checked[item] = _timestamp(item, f"{name}[{items.index(item)}]")
    if all(checked[k] is k for k in distinct if k is not None and k != ""):
        return items if "" not in distinct else tuple(None if t == "" else t for t in items)
    return tuple(map(checked.__getitem__, items))


def _timestamp(item: Any, where: str) -> str:
    if isinstance(item, (dt.date, dt.datetime)):
        return item.isoformat()
    if isinstance(item, str) and len(item) <= 40:
        try:
            (dt.datetime if "T" in item or " " in item else dt.date).fromisoformat(item)
        except ValueError:
            raise SeriesError(
                f"{where}: expected an ISO 8601 date or time such as "
                f"2024-03-05T10:00:00+00:00, got {item!r}"
            ) from None
        return item
    raise SeriesError(
        f"{where}: expected an ISO 8601 date or time, got {type(item).__name__} {str(item)[:40]!r}"
    )


def _ints(value: Any) -> NDArray[np.int64]:
    arr = np.array(value, dtype=np.int64).reshape(-1)
    arr.flags.writeable = False
    return arr


def _floats(value: Any) -> NDArray[np.float64]:
    arr = np.array(value, dtype=np.float64).reshape(-1)
    arr.flags.writeable = False
    return arr


def _statuses(value: Any) -> NDArray[np.int8]:
    arr = code_array(value, ObservationStatus, "revisions.statuses")
    assert arr is not None
    return arr


def _texts(value: Any) -> tuple[str | None, ...]:
    texts = tuple(value)
    if set(map(type, texts)) <= {str, type(None)}:
        return texts
    return tuple(None if v is None else str(v) for v in texts)


def _times(value: Any) -> tuple[str | None, ...]:
    out = check_timestamps(value, "revisions.recorded_at")
    assert out is not None
    return out


def _eq_arrays() -> Any:
    return attrs.cmp_using(eq=lambda a, b: a.shape == b.shape and np.array_equal(a, b, True))  # noqa: FBT003 - a private helper flag


@attrs.frozen(kw_only=True, hash=False)
class Revisions:
    """Earlier values of the rows of a series, oldest first: for each, the row it belonged to
    (an index into the series), the value, its status, when it was recorded and by whom, and a
    comment. The current value stays in the series; this table only grows.

    Example:
        >>> r = Revisions(rows=[0], values=[10.0], statuses=["provisional"],
        ...               recorded_at=["2024-02-01"], recorded_by=["clerk"], comments=[None])
        >>> len(r), r.for_row(0).values.tolist()
        (1, [10.0])
    """

    rows: NDArray[np.int64] = attrs.field(converter=_ints, eq=_eq_arrays())
    values: NDArray[np.float64] = attrs.field(converter=_floats, eq=_eq_arrays())
    statuses: NDArray[np.int8] = attrs.field(converter=_statuses, eq=_eq_arrays())
    recorded_at: tuple[str | None, ...] = attrs.field(converter=_times)
    recorded_by: tuple[str | None, ...] = attrs.field(converter=_texts)
    comments: tuple[str | None, ...] = attrs.field(converter=_texts)

    def __attrs_post_init__(self) -> None:
        n = len(self.rows)
        for name in ("values", "statuses", "recorded_at", "recorded_by", "comments"):
            if len(getattr(self, name)) != n:
                raise SeriesError(
                    f"revisions.{name}: expected {n} entries (one per revision), got "
                    f"{len(getattr(self, name))}"
                )
        if n and int(self.rows.min()) < 0:
            raise SeriesError(f"revisions.rows: expected row indexes >= 0, got {self.rows.min()}")

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def empty(cls) -> Revisions:
        """A table with no revisions.

        Example:
            >>> len(Revisions.empty())
            0
        """
        return cls(rows=[], values=[], statuses=[], recorded_at=(), recorded_by=(), comments=())

    def take(self, keep: ArrayLike, new_index: ArrayLike) -> Revisions:
        """The revisions of the rows ``keep`` (a boolean mask over the series rows), renumbered by
        ``new_index`` (each old row's new index).

        Parameters:
            keep: a boolean mask over the series' rows; revisions of rows where it is true are kept.
            new_index: for each old row, its index in the new series.

        Returns:
            A new :class:`Revisions` with the kept revisions, their rows renumbered.

        Example:
            >>> r = Revisions(rows=[0, 1], values=[1.0, 2.0], statuses=[0, 0],
            ...               recorded_at=[None, None], recorded_by=[None, None],
            ...               comments=[None, None])
            >>> r.take([False, True], [0, 0]).rows.tolist()
            [0]
        """
        mask = np.asarray(keep, dtype=bool)[self.rows]
        index = np.asarray(new_index, dtype=np.int64)
        picked = np.flatnonzero(mask)
        return Revisions(
            rows=index[self.rows[picked]],
            values=self.values[picked],
            statuses=self.statuses[picked],
            recorded_at=[self.recorded_at[i] for i in picked.tolist()],
            recorded_by=[self.recorded_by[i] for i in picked.tolist()],
            comments=[self.comments[i] for i in picked.tolist()],
        )

    def for_row(self, row: int) -> Revisions:
        """The revisions of one row, oldest first.

        Parameters:
            row: the index of the series row.

        Returns:
            A new :class:`Revisions` (empty when the row has none), its rows keeping ``row``.

        Example:
            >>> len(Revisions.empty().for_row(3))
            0
        """
        mask = np.zeros(int(self.rows.max()) + 1 if len(self) else 1, dtype=bool)
        if row < len(mask):
            mask[row] = True
        return self.take(mask, np.arange(len(mask)))

    @classmethod
    def concat(cls, parts: Sequence[Revisions]) -> Revisions:
        """One table of ``parts`` in order (rows already renumbered).

        Example:
            >>> len(Revisions.concat([Revisions.empty(), Revisions.empty()]))
            0
        """
        if not parts:
            return cls.empty()
        return cls(
            rows=np.concatenate([p.rows for p in parts]),
            values=np.concatenate([p.values for p in parts]),
            statuses=np.concatenate([p.statuses for p in parts]),
            recorded_at=[t for p in parts for t in p.recorded_at],
            recorded_by=[t for p in parts for t in p.recorded_by],
            comments=[t for p in parts for t in p.comments],
        )
