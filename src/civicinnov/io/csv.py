"""Observations in CSV: one row per (city, metric, period[, dimension codes]), read into series.

The file has a header row. Five columns are required, in any order:

==========  =====================================================================================
column      meaning
==========  =====================================================================================
``city``    the place id (a slug, usually a city id)
``metric``  the metric id (a slug)
``period``  a period id: ``2024-03-15``, ``2024-W05``, ``2024-03``, ``2024-Q1``, ``2024-H1``,
            ``2024``, or ``FY2025`` (with ``fiscal_start_month``)
``value``   a number; an empty cell is a missing value (``NaN``)
``unit``    unit text pint understands (``incident``, ``percent``, ``person / km**2``); may be
            empty only when the metric's definition is given, whose unit is then used
==========  =====================================================================================

Every other column is a **disaggregation dimension** (``sex``, ``ward``): its cells are codes, and
an empty cell means the total (``_T``). Rows are grouped into one
:class:`~civicinnov.metrics.series.MetricSeries` per (city, metric); within a series every row is
converted to one unit (the definition's unit when ``metrics`` is given, else the unit of the
group's first row), and the rows are sorted by codes then period.

Parsing is columnar: the text is split into columns once, numbers are converted by numpy in one
call, unit text and period ids are parsed once per *distinct* value, and rows are grouped with
``numpy.lexsort``. A file with no double quote is split directly; a file with quoted fields goes
through :mod:`csv`.

Every problem raises :class:`~civicinnov.errors.SerializationError` naming the file and line (the
header is line 1): a missing column, a row with the wrong number of cells, a non-numeric value, a
bad or absurd unit, a unit of the wrong dimension for its metric, an unknown period id, a series
that mixes period types, a period given twice, a percentage outside 0-100 %. One read reports
every problem in the file, in line order, whichever check finds it (a cell that one check refuses
is left out of the checks that depend on it, so it is not reported twice); the message lists up to
20 problems and ``problems`` holds them all. Only a missing or repeated required column stops the
reading at the header.

Example:
    >>> text = '''city,metric,period,value,unit
    ... mobile,blighted-homes,2016,2000,home
    ... mobile,blighted-homes,2017,1500,home
    ... '''
    >>> [s] = parse_observations(text)
    >>> s.place_id, s.labels, s.values.tolist(), str(s.unit)
    ('mobile', ['2016', '2017'], [2000.0, 1500.0], 'dwelling')
    >>> parse_observations(text.replace("1500", "about 1500"), source="obs.csv")
    Traceback (most recent call last):
    ...
    civicinnov.errors.SerializationError: obs.csv:3: value: 'about 1500' is not a number
"""

from __future__ import annotations

import csv as _csv
import difflib
import io
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from civicinnov.errors import CivicError, SerializationError
from civicinnov.units import format_unit

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from civicinnov.metrics.definition import MetricDefinition
    from civicinnov.metrics.series import MetricSeries
    from civicinnov.periods import PeriodType

__all__ = [
    "REQUIRED_COLUMNS",
    "parse_observations",
    "read_observations",
    "write_observations",
]

#: The columns every observations file has.
REQUIRED_COLUMNS: tuple[str, ...] = ("city", "metric", "period", "value", "unit")
_MAX_SHOWN = 20


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[int, str]] = []

    def add(self, line: int | None, message: str) -> None:
        where = f"{self.source}:{line}" if line is not None else self.source
        self.found.append((line if line is not None else 1 << 62, f"{where}: {message}"))

    def raise_if_any(self) -> None:
        if not self.found:
            return
        self.items = [text for _, text in sorted(self.found, key=lambda item: item[0])]
        if len(self.items) == 1:
            raise SerializationError(self.items[0])
        shown = "\n  ".join(self.items[:_MAX_SHOWN])
        more = (
            f"\n  ... and {len(self.items) - _MAX_SHOWN} more"
            if len(self.items) > _MAX_SHOWN
            else ""
        )
        raise SerializationError(
            f"{self.source}: {len(self.items)} problems:\n  {shown}{more}", problems=self.items
        )


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SerializationError(
            f"{source}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def _split(
    text: str, delimiter: str, source: str, problems: _Problems
) -> tuple[list[str], list[Sequence[str]], int, NDArray[np.int64]]:
    """Header, columns (sequences of cells), the number of data rows and each row's line number.

    Text without double quotes is split column-wise in a few C-level calls (count the delimiters per
    line, join the lines, split once, slice every ``width``-th cell); quoted text goes through
    :mod:`csv`. A row with the wrong number of cells is reported to ``problems`` and left out, so
    the other rows are still checked.
    """
    rows: list[list[str]] | None = None
    lines: list[str] = []
    if '"' in text:
        rows = list(_csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
        blank = [i for i, r in enumerate(rows) if not r or r == [""]]
    else:
        lines = text.splitlines()
        blank = [i for i, line in enumerate(lines) if not line] if "" in lines else []
    count = len(rows) if rows is not None else len(lines)
    if blank:  # blank lines (a trailing newline, an empty line) carry no row
        keep = np.setdiff1d(np.arange(count), np.asarray(blank, dtype=np.int64))
        if rows is not None:
            rows = [rows[i] for i in keep.tolist()]
        else:
            lines = [lines[i] for i in keep.tolist()]
        line_numbers = keep.astype(np.int64) + 1
    else:
        line_numbers = np.arange(1, count + 1, dtype=np.int64)
    if not len(line_numbers):
        raise SerializationError(
            f"{source}: the file is empty; expected a header row with the columns "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    if rows is not None:
        header = [h.strip() for h in rows[0]]
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))[1:]
    else:
        header = [h.strip() for h in lines[0].split(delimiter)]
        counter = operator.methodcaller("count", delimiter)
        lengths = np.fromiter(map(counter, lines), dtype=np.int64, count=len(lines))[1:] + 1
    width = len(header)
    n = len(line_numbers) - 1
    bad = np.flatnonzero(lengths != width)
    for i in bad[:_MAX_SHOWN].tolist():
        problems.add(
            int(line_numbers[i + 1]),
            f"expected {width} cells (as in the header), got {int(lengths[i])}",
        )
    if len(bad) > _MAX_SHOWN:
        problems.add(None, f"... and {len(bad) - _MAX_SHOWN} more rows with the wrong width")
    if len(bad):
        keep = np.flatnonzero(lengths == width)
        if rows is not None:
            rows = [rows[0], *(rows[i + 1] for i in keep.tolist())]
        else:
            lines = [lines[0], *(lines[i + 1] for i in keep.tolist())]
        line_numbers = np.concatenate((line_numbers[:1], line_numbers[keep + 1]))
        n = len(keep)
    columns: list[Sequence[str]]
    if not n:
        columns = [[] for _ in header]
    elif rows is not None:
        columns = list(zip(*rows[1:], strict=True))
    else:
        flat = delimiter.join(lines[1:]).split(delimiter)
        columns = [flat[j::width] for j in range(width)]
    return header, columns, n, line_numbers[1:]


def _factorize(column: Sequence[str]) -> tuple[list[str], NDArray[np.int64]]:
    uniques = list(dict.fromkeys(column))
    lookup = {u: i for i, u in enumerate(uniques)}
    codes = np.fromiter(map(lookup.__getitem__, column), dtype=np.int64, count=len(column))
    return uniques, codes


def _first_rows(codes: NDArray[np.int64], k: int) -> NDArray[np.int64]:
    """Index of the first row holding each code 0..k-1."""
    first = np.full(k, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def _parse_values(
    column: Sequence[str], lines: NDArray[np.int64], problems: _Problems
) -> NDArray[np.float64]:
    n = len(column)
    try:  # the common case: every cell a finite number, converted in one C loop
        values = np.fromiter(map(float, column), dtype=np.float64, count=n)
        if np.isfinite(values).all():
            return values
    except ValueError:
        pass
    # the slow path, only for files with empty, non-numeric or non-finite cells
    values = np.full(n, np.nan)
    for row, cell in enumerate(column):
        text = cell.strip()
        if not text:
            continue  # an empty cell is a missing value
        try:
            number = float(text)
        except ValueError:
            problems.add(int(lines[row]), f"value: {cell!r} is not a number")
            continue
        if number != number or number in (float("inf"), float("-inf")):
            problems.add(
                int(lines[row]),
                f"value: {cell!r} is not a finite number; leave the cell empty for a missing value",
            )
            continue
        values[row] = number
    return values


def parse_observations(
    text: str | bytes,
    *,
    source: str = "<string>",
    metrics: Mapping[str, MetricDefinition] | Iterable[MetricDefinition] | None = None,
    fiscal_start_month: int | None = None,
    delimiter: str = ",",
) -> list[MetricSeries]:
    """Parse observations CSV text into one series per (city, metric); see the module docs.

    ``metrics`` (definitions, or a mapping from id to definition) fixes each metric's unit and
    checks units and values against it; a metric id it does not hold is an error.

    Example:
        >>> rows = '''city,metric,period,value,unit,sex
        ... nola,victims,2013,100,person,
        ... nola,victims,2013,80,person,M
        ... nola,victims,2013,20,person,F
        ... '''
        >>> [s] = parse_observations(rows)
        >>> s.codes("sex"), s.values.tolist()
        (['_T', 'F', 'M'], [100.0, 20.0, 80.0])
    """
    from civicinnov._values import is_slug
    from civicinnov.metrics.series import Dimension, MetricSeries

    if isinstance(text, bytes):
        text = _decode(text, source)
    problems = _Problems(source)
    try:
        header, columns, n, lines = _split(text, delimiter, source, problems)
    except _csv.Error as exc:
        raise SerializationError(f"{source}: not readable CSV ({exc})") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if missing or duplicated:  # without its columns no row can be checked
        if missing:
            problems.add(
                1,
                f"missing column(s) {', '.join(missing)}; expected a header with "
                f"{', '.join(REQUIRED_COLUMNS)} (and optional dimension columns), got "
                f"{', '.join(header)}",
            )
        if duplicated:
            problems.add(1, f"column(s) {', '.join(duplicated)} appear more than once")
        problems.raise_if_any()
    col = {h: columns[i] for i, h in enumerate(header)}
    dim_names = [h for h in header if h not in REQUIRED_COLUMNS]
    for d in dim_names:
        if not is_slug(d):
            problems.add(1, f"dimension column {d!r}: expected a slug such as 'sex' or 'ward'")
    definitions = _definitions(metrics)

    # Every check below runs whatever the others found, so that one read reports every problem in
    # the file; a row a check has refused is left out of the checks that depend on that cell.
    cities, city_codes = _factorize(col["city"])
    metric_ids, metric_codes = _factorize(col["metric"])
    first_city = _first_rows(city_codes, len(cities))
    first_metric = _first_rows(metric_codes, len(metric_ids))
    for i, name in enumerate(cities):
        if not is_slug(name):
            problems.add(
                int(lines[first_city[i]]), f"city: {name!r} is not an id slug (e.g. 'new-orleans')"
            )
    for i, name in enumerate(metric_ids):
        if not is_slug(name):
            problems.add(
                int(lines[first_metric[i]]), f"metric: {name!r} is not an id slug (e.g. 'murders')"
            )
        elif definitions is not None and name not in definitions:
            problems.add(int(lines[first_metric[i]]), _unknown_metric(name, definitions))

    values = _parse_values(col["value"], lines, problems)

    # periods: parse each distinct id once
    labels, label_codes = _factorize(col["period"])
    first_label = _first_rows(label_codes, len(labels))
    label_types: list[PeriodType | None] = []
    label_ordinals = np.zeros(len(labels), dtype=np.int64)
    from civicinnov.periods import parse_period

    for i, label in enumerate(labels):
        try:
            period = parse_period(label.strip(), fiscal_start_month=fiscal_start_month)
            if period.type is None:
                raise CivicError(f"{label!r} is a date range, not a period of one type")
            label_types.append(period.type)
            label_ordinals[i] = period.type.ordinal_of(period.start)
        except CivicError as exc:
            label_types.append(None)
            problems.add(int(lines[first_label[i]]), f"period: {exc}")
    ordinals = label_ordinals[label_codes]

    # units: parse each distinct text once; None for an empty cell or text that is not a unit
    unit_texts, unit_codes = _factorize(col["unit"])
    first_unit = _first_rows(unit_codes, len(unit_texts))
    units: list[Any] = []
    unit_failed = np.zeros(len(unit_texts), dtype=bool)
    from civicinnov.units import parse_unit

    for i, utext in enumerate(unit_texts):
        if not utext.strip():
            units.append(None)
            continue
        try:
            units.append(parse_unit(utext, where="unit"))
        except CivicError as exc:
            units.append(None)
            unit_failed[i] = True
            count = int(np.count_nonzero(unit_codes == i))
            also = f" (and {count - 1} more rows)" if count > 1 else ""
            problems.add(int(lines[first_unit[i]]), f"{exc}{also}")

    # dimensions (a column whose codes are refused still separates rows, for the duplicate check)
    dim_codes: list[NDArray[np.int64]] = []
    dimensions: list[Dimension | None] = []
    for d in dim_names:
        cells = [c.strip() for c in col[d]]
        cells = [c if c else "_T" for c in cells]
        codes_sorted = sorted({c for c in cells if c != "_T"})
        if not codes_sorted:
            continue  # an empty column: every row is the total
        dimension: Dimension | None
        try:
            dimension = Dimension(id=d, codes=codes_sorted)
        except CivicError as exc:
            problems.add(1, f"dimension column {d!r}: {exc}")
            dimension = None
        lookup = {c: j for j, c in enumerate(("_T", *codes_sorted))}
        dim_codes.append(np.fromiter(map(lookup.__getitem__, cells), np.int64, count=n))
        dimensions.append(dimension)

    # group rows by (city, metric), then codes, then period
    group = city_codes * max(len(metric_ids), 1) + metric_codes
    keys: list[NDArray[np.int64]] = [ordinals, *reversed(dim_codes), group]
    order = np.lexsort(keys)
    sorted_group = group[order]
    boundaries = np.flatnonzero(np.diff(sorted_group)) + 1
    starts = np.concatenate(([0], boundaries)) if n else np.zeros(0, np.int64)
    ends = np.concatenate((boundaries, [n])) if n else np.zeros(0, np.int64)

    # each row's period type: an index into type_list, -1 for a period id that was refused
    type_index: dict[PeriodType, int] = {}
    label_type = np.array(
        [-1 if t is None else type_index.setdefault(t, len(type_index)) for t in label_types],
        dtype=np.int64,
    )
    type_list = list(type_index)
    s_type = label_type[label_codes[order]]

    # duplicates: same group, codes, period type and period on adjacent sorted rows
    if n > 1:
        same = np.diff(sorted_group) == 0
        same &= np.diff(ordinals[order]) == 0
        same &= np.diff(s_type) == 0
        same &= s_type[1:] >= 0
        for codes in dim_codes:
            same &= np.diff(codes[order]) == 0
        for i in np.flatnonzero(same)[:_MAX_SHOWN]:
            a, b = sorted((int(lines[order[i]]), int(lines[order[i + 1]])))
            problems.add(
                b,
                f"period {col['period'][order[i + 1]]!r} of metric "
                f"{col['metric'][order[i + 1]]!r} in {col['city'][order[i + 1]]!r} is already "
                f"given on line {a}; expected each period once",
            )

    # every group's period type, unit and conversion, vectorised over the sorted rows
    n_groups = len(starts)
    lengths = ends - starts
    no_type = len(type_list)  # larger than every type index: refused periods do not count
    first_rows = np.minimum.reduceat(order, starts) if n else np.zeros(0, np.int64)
    t_min = (
        np.minimum.reduceat(np.where(s_type < 0, no_type, s_type), starts)
        if n
        else np.zeros(0, np.int64)
    )
    t_max = np.maximum.reduceat(s_type, starts) if n else np.zeros(0, np.int64)
    for g in np.flatnonzero((t_min != t_max) & (t_max >= 0))[:_MAX_SHOWN].tolist():
        rows = order[starts[g] : ends[g]]
        first = int(first_rows[g])
        group_types = s_type[starts[g] : ends[g]]
        kinds = sorted(str(type_list[int(k)]) for k in np.unique(group_types[group_types >= 0]))
        period_ids = [labels[int(k)] for k in np.unique(label_codes[rows[group_types >= 0]])[:3]]
        problems.add(
            int(lines[first]),
            f"series {metric_ids[int(metric_codes[first])]!r} in "
            f"{cities[int(city_codes[first])]!r} mixes period types ({', '.join(kinds)}; e.g. "
            f"{', '.join(period_ids)}); expected one period type per series",
        )

    s_unit = unit_codes[order]
    targets: list[Any]
    if definitions is None:
        for code in range(len(units)):
            if units[code] is None and not unit_failed[code]:
                row = int(first_unit[code])
                problems.add(
                    int(lines[row]),
                    f"unit: empty for metric {metric_ids[int(metric_codes[row])]!r}, which has no "
                    "definition; expected unit text",
                )
        # each group's unit is that of its first row (in the file) with a unit; None if none has
        has_unit = np.array([u is not None for u in units], dtype=bool)
        candidate = np.where(has_unit[s_unit], order, n) if n else np.zeros(0, np.int64)
        first_with_unit = np.minimum.reduceat(candidate, starts) if n else candidate
        group_key = np.where(
            first_with_unit < n, unit_codes[np.minimum(first_with_unit, max(n - 1, 0))], len(units)
        )
        targets = [*units, None]
    else:
        group_key = metric_codes[first_rows]
        targets = [definitions[m].unit if m in definitions else None for m in metric_ids]
    s_key = np.repeat(group_key, lengths) if n else np.zeros(0, np.int64)
    width_key = max(len(targets), 1)
    pair = s_unit * width_key + s_key
    pairs, pair_of_row = np.unique(pair, return_inverse=True)
    factors = np.ones(len(pairs), dtype=np.float64)
    for i, code in enumerate(pairs.tolist()):
        unit, target = units[code // width_key], targets[code % width_key]
        if unit_failed[code // width_key] or target is None:
            factors[i] = np.nan  # refused above; the value is not checked against bounds
            continue
        if unit is None or unit == target:
            continue
        factor = _convert_factor(unit, target)
        if factor is None:
            factors[i] = np.nan
            row = int(order[pair_of_row == i].min())
            problems.add(
                int(lines[row]),
                f"unit: {unit_texts[code // width_key]!r} cannot be converted to "
                f"{str(target)!r}, the unit of metric {metric_ids[int(metric_codes[row])]!r}",
            )
        else:
            factors[i] = factor
    s_values = values[order] * factors[pair_of_row] if n else values
    s_ordinals = ordinals[order]
    s_values.flags.writeable = False  # slices are then taken by the series without a copy
    s_ordinals.flags.writeable = False

    # with problems found, no series is built (their fields may be wrong), but every group's values
    # are still checked against its definition's bounds
    build = not problems.found
    series: list[MetricSeries] = []
    has_dims = bool(dimensions)
    for g in range(n_groups):
        lo, hi = int(starts[g]), int(ends[g])
        first = int(first_rows[g])
        city = cities[int(city_codes[first])]
        metric = metric_ids[int(metric_codes[first])]
        vals = s_values[lo:hi]
        try:
            if build:
                kwargs: dict[str, Any] = {}
                if has_dims:
                    rows = order[lo:hi]
                    cats = np.stack([c[rows] for c in dim_codes], axis=1)
                    used = [j for j in range(len(dimensions)) if np.any(cats[:, j] != 0)]
                    if used:
                        kwargs["dimensions"] = tuple(dimensions[j] for j in used)
                        kwargs["categories"] = cats[:, used]
                series.append(
                    MetricSeries(
                        metric_id=metric,
                        place_id=city,
                        period_type=type_list[int(t_min[g])],
                        ordinals=s_ordinals[lo:hi],
                        values=vals,
                        unit=targets[int(group_key[g])],
                        **kwargs,
                    )
                )
            definition = definitions.get(metric) if definitions is not None else None
            if definition is not None:
                definition.check_bounds(vals, where=f"series {metric!r} in {city!r}: values")
        except CivicError as exc:
            problems.add(int(lines[first]), str(exc))
    problems.raise_if_any()
    return series


def _unknown_metric(name: str, definitions: Mapping[str, MetricDefinition]) -> str:
    close = difflib.get_close_matches(name, list(definitions), n=3)
    if close:
        return f"metric: {name!r} has no definition; did you mean {' or '.join(map(repr, close))}?"
    return (
        f"metric: {name!r} has no definition; none of the {len(definitions)} metric(s) given has "
        "a similar id"
    )


def _convert_factor(unit: Any, target: Any) -> float | None:
    from civicinnov.units import get_registry

    try:
        return float(get_registry().Quantity(1.0, unit).to(target).magnitude)
    except Exception:
        return None


def _definitions(
    metrics: Mapping[str, MetricDefinition] | Iterable[MetricDefinition] | None,
) -> dict[str, MetricDefinition] | None:
    if metrics is None:
        return None
    if isinstance(metrics, Mapping):
        return dict(metrics)
    return {m.id: m for m in metrics}


def read_observations(
    path: str | os.PathLike[str],
    *,
    metrics: Mapping[str, MetricDefinition] | Iterable[MetricDefinition] | None = None,
    fiscal_start_month: int | None = None,
    delimiter: str = ",",
) -> list[MetricSeries]:
    """Read an observations CSV file; see :func:`parse_observations`.

    Example:
        >>> read_observations("/nonexistent/obs.csv")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: /nonexistent/obs.csv: cannot read the file (No such file or directory)
    """
    source = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SerializationError(f"{source}: cannot read the file ({exc.strerror})") from None
    return parse_observations(
        data,
        source=source,
        metrics=metrics,
        fiscal_start_month=fiscal_start_month,
        delimiter=delimiter,
    )


def format_observations(series: Iterable[MetricSeries]) -> str:
    """Return observations CSV text for ``series`` (missing values as empty cells).

    Numbers are written in Python's shortest round-trip form, so reading the text back gives the
    same values. Fiscal-year series are written with ``FY`` ids; read them back with the same
    ``fiscal_start_month``.

    Example:
        >>> from civicinnov.metrics.series import MetricSeries
        >>> from civicinnov.periods import YEAR
        >>> s = MetricSeries.from_records("murders", place_id="nola", period_type=YEAR,
        ...                               records=[("2012", 193), ("2013", None)], unit="incident")
        >>> print(format_observations([s]), end="")
        city,metric,period,value,unit
        nola,murders,2012,193.0,incident
        nola,murders,2013,,incident
    """
    items = list(series)
    dim_ids: list[str] = []
    for s in items:
        for d in s.dimensions:
            if d.id not in dim_ids:
                dim_ids.append(d.id)
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow([*REQUIRED_COLUMNS, *dim_ids])
    for s in items:
        labels = s.labels
        values = ["" if v != v else repr(v) for v in s.values.tolist()]
        unit = format_unit(s.unit)
        codes = {d.id: s.codes(d.id) for d in s.dimensions}
        blanks = [""] * len(labels)
        dim_cols = [
            [("" if c == "_T" else c) for c in codes[d]] if d in codes else blanks for d in dim_ids
        ]
        for i in range(len(labels)):
            writer.writerow(
                [s.place_id, s.metric_id, labels[i], values[i], unit, *(c[i] for c in dim_cols)]
            )
    return out.getvalue()


def write_observations(path: str | os.PathLike[str], series: Iterable[MetricSeries]) -> None:
    """Write ``series`` to an observations CSV file atomically; see :func:`format_observations`.

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.metrics.series import MetricSeries
        >>> from civicinnov.periods import YEAR
        >>> s = MetricSeries.from_records("murders", place_id="nola", period_type=YEAR,
        ...                               records=[("2012", 193)], unit="incident")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "obs.csv"
        >>> write_observations(path, [s])
        >>> read_observations(path)[0].values.tolist()
        [193.0]
    """
    from civicinnov.io.json import write_text_atomic

    write_text_atomic(path, format_observations(series))
