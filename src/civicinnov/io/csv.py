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
:class:`~civicinnov.metrics.MetricSeries` per (city, metric); within a series every row is
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
import json
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from civicinnov._values import is_slug
from civicinnov.errors import CivicError, SerializationError, ValidationError
from civicinnov.io.json import write_text_atomic
from civicinnov.metrics import ApprovalState, MetricCatalog, MissingReason, ObservationStatus
from civicinnov.periods import parse_period
from civicinnov.units import format_unit, get_registry, parse_unit

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from civicinnov.metrics import MetricCatalog, MetricDefinition, MetricSeries
    from civicinnov.periods import PeriodType

__all__ = [
    "COLUMN_TYPES",
    "OBSERVATIONS_SCHEMA_RESOURCE",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESERVED_COLUMNS",
    "check_observations",
    "format_observations",
    "observations_schema",
    "parse_observations",
    "read_observations",
    "write_observations",
]

#: The columns every observations file has.
REQUIRED_COLUMNS: tuple[str, ...] = ("city", "metric", "period", "value", "unit")
#: The columns a file may have, with a meaning of their own (never a dimension).
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "numerator",
    "denominator",
    "numerator_unit",
    "denominator_unit",
    "narrative",
    "status",
    "missing_reason",
    "approval",
    "comment",
    "source",
    "recorded_by",
    "recorded_at",
    "version",
    "observed",
    "expected",
)
#: Every column name the reader gives a meaning; any other column is a dimension.
RESERVED_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
#: How the reader reads each reserved column (Table Schema types); the shipped schema
#: (:func:`observations_schema`) is checked against it in the tests.
COLUMN_TYPES: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(RESERVED_COLUMNS, "string"),
        "value": "number",
        "numerator": "number",
        "denominator": "number",
        "version": "integer",
        "observed": "integer",
        "expected": "integer",
    }
)
#: The package resource holding the Frictionless Table Schema of the format.
OBSERVATIONS_SCHEMA_RESOURCE = "observations.schema.json"
_MAX_SHOWN = 20
#: At most this many problems of one kind are listed (then a count of the others), so that a
#: hostile file of a million bad rows does not build a million messages.
_MAX_LISTED = 10_000


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


class _Lines:
    """The line on which each data row starts, counted by the :mod:`csv` module itself (so a
    quoted field spanning lines, or a cell holding ``\x0c``, ``\u2028``, ``\x85`` or ``\x1e``,
    never shifts the numbers), worked out only when a problem needs one. ``direct`` marks text
    whose rows are its ``\n``-separated lines, where row ``k`` of the text is on line ``k + 1``.
    """

    def __init__(
        self, text: str, delimiter: str, kept: NDArray[np.int64], *, direct: bool = False
    ) -> None:
        self._text, self._delimiter, self._kept = text, delimiter, kept
        self._direct = direct
        self._starts: list[int] | None = None

    def __getitem__(self, row: Any) -> int:
        if self._direct:
            return int(self._kept[int(row)]) + 1
        if self._starts is None:
            starts: list[int] = []
            reader = _csv.reader(io.StringIO(self._text, newline=""), delimiter=self._delimiter)
            previous = 0
            for _ in reader:
                starts.append(previous + 1)
                previous = reader.line_num
            self._starts = starts
        return self._starts[int(self._kept[int(row)])]


def _check_delimiter(delimiter: object) -> str:
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValidationError(
            f"delimiter: expected one character such as ',' or ';' (not a quote or a line "
            f"break), got {delimiter!r}"
        )
    return delimiter


def _split(
    text: str, delimiter: str, source: str, problems: _Problems
) -> tuple[list[str], list[Sequence[str]], int, _Lines]:
    """Header, columns (sequences of cells), the number of data rows and each row's line number.

    The rows are those the :mod:`csv` module reads (``newline=''``, strict quoting), so a file
    reads the same with and without a quote; line numbers are the module's own. Blank lines
    carry no row. A row with the wrong number of cells is reported to ``problems`` and left out,
    so the other rows are still checked.
    """
    if '"' in text or "\r" in text or "\0" in text:
        return _split_rows(text, delimiter, source, problems)
    # Without a quote, a carriage return or a NUL, the csv module's rows are exactly the text's
    # "\n"-separated lines cut at the delimiter (a test holds the two readings equal), and row k
    # is on line k + 1; splitting them directly is several times faster.
    lines = text.split("\n")
    if max(map(len, lines)) > _csv.field_size_limit():  # the csv module refuses such a cell
        return _split_rows(text, delimiter, source, problems)
    blank = [i for i, line in enumerate(lines) if not line] if "" in lines else []
    keep = np.arange(len(lines), dtype=np.int64)
    if blank:
        keep = np.setdiff1d(keep, np.asarray(blank, dtype=np.int64))
        lines = [lines[i] for i in keep.tolist()]
    if not lines:
        raise SerializationError(
            f"{source}: the file is empty; expected a header row with the columns "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    header = _header(lines[0].split(delimiter))
    width = len(header)
    counter = operator.methodcaller("count", delimiter)
    lengths = np.fromiter(map(counter, lines), dtype=np.int64, count=len(lines))[1:] + 1
    data_keep = keep[1:]
    bad = np.flatnonzero(lengths != width)
    _report_widths(bad, lengths, width, _Lines(text, delimiter, data_keep, direct=True), problems)
    data = lines[1:]
    if len(bad):
        good = np.flatnonzero(lengths == width)
        data = [data[i] for i in good.tolist()]
        data_keep = data_keep[good]
    n = len(data)
    columns: list[Sequence[str]]
    if not n:
        columns = [[] for _ in header]
    else:
        flat = delimiter.join(data).split(delimiter)
        columns = [flat[j::width] for j in range(width)]
    return header, columns, n, _Lines(text, delimiter, data_keep, direct=True)


def _header(cells: list[str]) -> list[str]:
    header = [h.strip() for h in cells]
    if header and header[0].startswith("\ufeff"):  # a byte-order mark read as text
        header[0] = header[0][1:].strip()
    return header


def _report_widths(
    bad: NDArray[np.intp],
    lengths: NDArray[np.int64],
    width: int,
    lines: _Lines,
    problems: _Problems,
) -> None:
    for i in bad[:_MAX_LISTED].tolist():
        problems.add(lines[i], f"expected {width} cells (as in the header), got {int(lengths[i])}")
    if len(bad) > _MAX_LISTED:
        problems.add(None, f"... and {len(bad) - _MAX_LISTED} more rows with the wrong width")


def _split_rows(
    text: str, delimiter: str, source: str, problems: _Problems
) -> tuple[list[str], list[Sequence[str]], int, _Lines]:
    """:func:`_split` for any text, through the :mod:`csv` module."""
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except _csv.Error as exc:
        raise SerializationError(f"{source}:{reader.line_num}: not readable CSV ({exc})") from None
    lengths_all = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    blank = lengths_all == 0
    if np.any(blank):  # blank lines (a trailing newline, an empty line) carry no row
        keep = np.flatnonzero(~blank)
        rows = [rows[i] for i in keep.tolist()]
        lengths_all = lengths_all[keep]
    else:
        keep = np.arange(len(rows), dtype=np.int64)
    if not rows:
        raise SerializationError(
            f"{source}: the file is empty; expected a header row with the columns "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    header = _header(rows[0])
    width = len(header)
    lengths = lengths_all[1:]
    data_keep = keep[1:]
    bad = np.flatnonzero(lengths != width)
    _report_widths(bad, lengths, width, _Lines(text, delimiter, data_keep), problems)
    data = rows[1:]
    if len(bad):
        good = np.flatnonzero(lengths == width)
        data = [data[i] for i in good.tolist()]
        data_keep = data_keep[good]
    n = len(data)
    columns: list[Sequence[str]]
    if not n:
        columns = [[] for _ in header]
    else:
        columns = [list(map(operator.itemgetter(j), data)) for j in range(width)]
    return header, columns, n, _Lines(text, delimiter, data_keep)


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
    column: Sequence[str], lines: _Lines, problems: _Problems, name: str = "value"
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
            problems.add(lines[row], f"{name}: {cell!r} is not a number")
            continue
        if number != number or number in (float("inf"), float("-inf")):  # noqa: PLR0124 - a NaN test
            problems.add(
                lines[row],
                f"{name}: {cell!r} is not a finite number; leave the cell empty for a missing "
                "value",
            )
            continue
        values[row] = number
    return values


def _parse_codes(
    column: Sequence[str], enum_type: Any, name: str, lines: _Lines, problems: _Problems
) -> NDArray[np.int8]:
    """One int8 code per row (0 for an empty cell), each distinct cell looked up once."""
    texts, codes = _factorize(column)
    first = _first_rows(codes, len(texts))
    lookup = np.zeros(len(texts), dtype=np.int8)
    for i, text in enumerate(texts):
        try:
            lookup[i] = enum_type.codes([text.strip()], where=name)[0]
        except CivicError:
            allowed = ", ".join(repr(m.value) for m in enum_type)
            problems.add(
                lines[first[i]], f"{name}: expected one of {allowed} or empty, got {text!r}"
            )
    return lookup[codes]


def _parse_counts(
    column: Sequence[str], name: str, lines: _Lines, problems: _Problems, *, least: int
) -> NDArray[np.int64]:
    """One integer per row (-1 for an empty cell), each distinct cell parsed once."""
    texts, codes = _factorize(column)
    first = _first_rows(codes, len(texts))
    lookup = np.full(len(texts), -1, dtype=np.int64)
    for i, text in enumerate(texts):
        cell = text.strip()
        if not cell:
            continue
        if not cell.isdigit() or len(cell) > 9 or int(cell) < least:
            problems.add(
                lines[first[i]], f"{name}: expected a whole number from {least}, got {text!r}"
            )
            continue
        lookup[i] = int(cell)
    return lookup[codes]


def _texts_of(column: Sequence[str]) -> list[str | None]:
    return [c if c else None for c in column]


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
    checks units, values and period types against it; a metric id it does not hold is an error.

    Parameters:
        text: The CSV text, or its bytes (UTF-8; a byte-order mark is allowed).
        source: The name that starts every problem's location; ``"<string>"`` by default.
        metrics: Metric definitions (or a mapping from id to definition) that fix each metric's
            unit; ``None`` (the default) takes each series' unit from its first row.
        fiscal_start_month: The month (1-12) fiscal years start in, needed to read ``FY`` period
            ids; ``None`` (the default) refuses them.
        delimiter: The one character between cells; ``","`` by default.

    Returns:
        One series per (city, metric), rows sorted by dimension codes then period.

    Raises:
        SerializationError: The text has problems (a missing column, a bad number, unit or
            period, ...); one error lists every problem with its line.
        ValidationError: ``delimiter`` is not one character (or is a quote or line break), or
            ``text`` is neither text nor bytes.

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
    from civicinnov.metrics import (  # noqa: PLC0415 - loaded on use
        ApprovalState,
        Dimension,
        MetricSeries,
        MissingReason,
        ObservationStatus,
        Revisions,
        check_timestamps,
    )

    delimiter = _check_delimiter(delimiter)
    if isinstance(text, bytes):
        text = _decode(text, source)
    elif isinstance(text, str) and text.startswith("\ufeff"):
        text = text[1:]
    if not isinstance(text, str):
        raise ValidationError(f"text: expected CSV text or bytes, got {type(text).__name__}")
    problems = _Problems(source)
    header, columns, n, lines = _split(text, delimiter, source, problems)
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
    dim_names = [h for h in header if h not in RESERVED_COLUMNS]
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
                lines[first_city[i]], f"city: {name!r} is not an id slug (e.g. 'new-orleans')"
            )
    for i, name in enumerate(metric_ids):
        if not is_slug(name):
            problems.add(
                lines[first_metric[i]], f"metric: {name!r} is not an id slug (e.g. 'murders')"
            )
        elif definitions is not None and name not in definitions:
            problems.add(lines[first_metric[i]], _unknown_metric(name, definitions))

    values = _parse_values(col["value"], lines, problems)

    # optional columns: ratio parts, narratives, statuses and history
    nums = dens = None
    if "numerator" in col or "denominator" in col:
        empty = [""] * n
        nums = _parse_values(col.get("numerator", empty), lines, problems, "numerator")
        dens = _parse_values(col.get("denominator", empty), lines, problems, "denominator")
        zero = np.flatnonzero(dens == 0)
        for row in zero[:_MAX_LISTED].tolist():
            problems.add(lines[row], "denominator: 0; expected a non-zero denominator or empty")
    code_columns: dict[str, NDArray[np.int8]] = {}
    for column_name, field, enum_type in (
        ("status", "statuses", ObservationStatus),
        ("missing_reason", "missing_reasons", MissingReason),
        ("approval", "approvals", ApprovalState),
    ):
        if column_name in col:
            code_columns[field] = _parse_codes(
                col[column_name], enum_type, column_name, lines, problems
            )
    if "missing_reason" in col:
        given = code_columns["missing_reasons"] != 0
        for row in np.flatnonzero(given & ~np.isnan(values))[:_MAX_LISTED].tolist():
            problems.add(
                lines[row],
                f"missing_reason: {col['missing_reason'][row]!r} given for the value "
                f"{col['value'][row]!r}; expected a reason only where the value is empty",
            )
    if "recorded_at" in col:
        stamps, stamp_codes = _factorize(col["recorded_at"])
        first_stamp = _first_rows(stamp_codes, len(stamps))
        for i, stamp in enumerate(stamps):
            try:
                check_timestamps([stamp], "recorded_at")
            except CivicError:
                problems.add(
                    lines[first_stamp[i]],
                    f"recorded_at: expected an ISO 8601 date or time such as "
                    f"2024-03-05T10:00:00+00:00, got {stamp!r}",
                )
    versions = (
        np.maximum(_parse_counts(col["version"], "version", lines, problems, least=1), 1)
        if "version" in col
        else np.ones(n, dtype=np.int64)
    )
    observed = expected = None
    if "observed" in col or "expected" in col:
        empty = [""] * n
        observed = _parse_counts(col.get("observed", empty), "observed", lines, problems, least=0)
        expected = _parse_counts(col.get("expected", empty), "expected", lines, problems, least=0)
        bad = ((observed < 0) != (expected < 0)) | ((expected >= 0) & (observed > expected))
        for row in np.flatnonzero(bad)[:_MAX_LISTED].tolist():
            problems.add(
                lines[row],
                f"observed/expected: expected both empty or 0 <= observed <= expected, got "
                f"{col.get('observed', empty)[row]!r} of {col.get('expected', empty)[row]!r}",
            )

    # periods: parse each distinct id once
    labels, label_codes = _factorize(col["period"])
    first_label = _first_rows(label_codes, len(labels))
    label_types: list[PeriodType | None] = []
    label_ordinals = np.zeros(len(labels), dtype=np.int64)

    for i, label in enumerate(labels):
        try:
            period = parse_period(label.strip(), fiscal_start_month=fiscal_start_month)
            if period.type is None:
                raise CivicError(f"{label!r} is a date range, not a period of one type")  # noqa: TRY301 - the error is raised where the bad value is found
            label_types.append(period.type)
            label_ordinals[i] = period.type.ordinal_of(period.start)
        except CivicError as exc:
            label_types.append(None)
            problems.add(lines[first_label[i]], f"period: {exc}")
    ordinals = label_ordinals[label_codes]

    # units: parse each distinct text once; None for an empty cell or text that is not a unit
    units, unit_failed, unit_texts, unit_codes = _parse_units(col["unit"], "unit", lines, problems)

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

    # group rows by (city, metric), then codes, then period, then version
    group = city_codes * max(len(metric_ids), 1) + metric_codes
    keys: list[NDArray[np.int64]] = [versions, ordinals, *reversed(dim_codes), group]
    order = np.lexsort(keys)
    sorted_group = group[order]

    # each row's period type: an index into type_list, -1 for a period id that was refused
    type_index: dict[PeriodType, int] = {}
    label_type = np.array(
        [-1 if t is None else type_index.setdefault(t, len(type_index)) for t in label_types],
        dtype=np.int64,
    )
    type_list = list(type_index)
    s_type = label_type[label_codes[order]]

    # the same observation (group, codes, period type and period) on adjacent sorted rows: an
    # earlier version is history; the same version twice is a duplicate
    superseded = np.zeros(n, dtype=bool)
    if n > 1:
        same = np.diff(sorted_group) == 0
        same &= np.diff(ordinals[order]) == 0
        same &= np.diff(s_type) == 0
        same &= s_type[1:] >= 0
        for codes in dim_codes:
            same &= np.diff(codes[order]) == 0
        s_versions = versions[order]
        duplicate = same & (np.diff(s_versions) == 0)
        for i in np.flatnonzero(duplicate)[:_MAX_LISTED]:
            a, b = sorted((lines[order[i]], lines[order[i + 1]]))
            again = "" if "version" not in col else f" (version {int(s_versions[i])})"
            problems.add(
                b,
                f"period {col['period'][order[i + 1]]!r} of metric "
                f"{col['metric'][order[i + 1]]!r} in {col['city'][order[i + 1]]!r} is already "
                f"given on line {a}{again}; expected each period once (give a higher version "
                "to revise a value)",
            )
        superseded[:-1] = same & ~duplicate

    # every group's period type, unit and conversion, vectorised over the sorted rows
    boundaries = np.flatnonzero(np.diff(sorted_group)) + 1
    starts = np.concatenate(([0], boundaries)) if n else np.zeros(0, np.int64)
    ends = np.concatenate((boundaries, [n])) if n else np.zeros(0, np.int64)
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
    for g in np.flatnonzero((t_min != t_max) & (t_max >= 0))[:_MAX_LISTED].tolist():
        rows = order[starts[g] : ends[g]]
        first = int(first_rows[g])
        group_types = s_type[starts[g] : ends[g]]
        kinds = sorted(str(type_list[int(k)]) for k in np.unique(group_types[group_types >= 0]))
        period_ids = [labels[int(k)] for k in np.unique(label_codes[rows[group_types >= 0]])[:3]]
        problems.add(
            lines[first],
            f"series {metric_ids[int(metric_codes[first])]!r} in "
            f"{cities[int(city_codes[first])]!r} mixes period types ({', '.join(kinds)}; e.g. "
            f"{', '.join(period_ids)}); expected one period type per series",
        )

    s_unit = unit_codes[order]
    targets: list[Any]
    if definitions is None:
        for code in range(len(units)):
            if units[code] is None and not unit_failed[code]:
                row = int(_first_rows(unit_codes, len(units))[code])
                problems.add(
                    lines[row],
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
    factors = _factors(
        s_unit,
        s_key,
        units,
        unit_failed,
        unit_texts,
        targets,
        order,
        lines,
        problems,
        describe=lambda row, target: f"the unit of metric {metric_ids[int(metric_codes[row])]!r}",
    )
    with np.errstate(over="ignore", invalid="ignore"):
        s_values = values[order] * factors if n else values
    overflow = np.flatnonzero(np.isinf(s_values))
    for i in overflow[:_MAX_LISTED].tolist():
        problems.add(
            lines[order[i]],
            f"value: {col['value'][order[i]]!r} {col['unit'][order[i]]} is too large to convert "
            "to the series' unit (the result is not a finite number)",
        )
    s_ordinals = ordinals[order]

    # ratio parts: each row's part units converted to the group's (the definition's ratio units,
    # else the first row's)
    s_nums = s_dens = None
    part_units: list[tuple[Any, Any]] = [(None, None)] * n_groups
    if nums is not None and dens is not None:
        converted = []
        for part, column_name in ((nums, "numerator_unit"), (dens, "denominator_unit")):
            part_cells = col.get(column_name, [""] * n)
            p_units, p_failed, p_texts, p_codes = _parse_units(
                part_cells, column_name, lines, problems
            )
            if definitions is not None:
                part_targets = [
                    getattr(definitions[m].ratio, column_name)
                    if m in definitions and definitions[m].ratio is not None
                    else None
                    for m in metric_ids
                ]
                p_key = metric_codes[first_rows]
            else:
                has = np.array([u is not None for u in p_units], dtype=bool)
                cand = np.where(has[p_codes[order]], order, n) if n else np.zeros(0, np.int64)
                first_with = np.minimum.reduceat(cand, starts) if n else cand
                p_key = np.where(
                    first_with < n, p_codes[np.minimum(first_with, max(n - 1, 0))], len(p_units)
                )
                part_targets = [*p_units, None]
            has_part = ~np.isnan(part[order])
            f = _factors(
                p_codes[order],
                np.repeat(p_key, lengths) if n else np.zeros(0, np.int64),
                p_units,
                p_failed,
                p_texts,
                part_targets,
                order,
                lines,
                problems,
                describe=lambda row, target, c=column_name: f"the {c} of the series",
                needed=has_part,
            )
            converted.append((part[order] * np.where(has_part, f, 1.0), part_targets, p_key))
        (s_nums, num_targets, num_key), (s_dens, den_targets, den_key) = converted
        part_units = [
            (num_targets[int(num_key[g])], den_targets[int(den_key[g])]) for g in range(n_groups)
        ]
    s_values.flags.writeable = False  # slices are then taken by the series without a copy
    s_ordinals.flags.writeable = False
    extras_sorted: dict[str, Any] = {k: v[order] for k, v in code_columns.items()}
    text_columns = {
        "narratives": "narrative",
        "comments": "comment",
        "sources": "source",
        "recorded_by": "recorded_by",
        "recorded_at": "recorded_at",
    }

    # with problems found, no series is built (their fields may be wrong), but every group's values
    # are still checked against its definition
    build = not problems.found
    series: list[MetricSeries] = []
    has_dims = bool(dimensions)
    for g in range(n_groups):
        lo, hi = int(starts[g]), int(ends[g])
        first = int(first_rows[g])
        city = cities[int(city_codes[first])]
        metric = metric_ids[int(metric_codes[first])]
        definition = definitions.get(metric) if definitions is not None else None
        current = np.flatnonzero(~superseded[lo:hi]) + lo
        try:
            if definition is not None and t_min[g] < len(type_list):
                _check_schedule(definition, type_list[int(t_min[g])], city)
            group_values = s_values[lo:hi]
            kwargs: dict[str, Any] = {}
            if s_nums is not None and s_dens is not None:
                g_nums, g_dens = s_nums[lo:hi], s_dens[lo:hi]
                if np.any(~np.isnan(g_nums) | ~np.isnan(g_dens)):
                    group_values = _values_from_parts(
                        group_values,
                        g_nums,
                        g_dens,
                        part_units[g],
                        targets[int(group_key[g])],
                        lambda i, rows=order[lo:hi]: lines[rows[i]],
                    )
                    kwargs.update(
                        numerators=g_nums[current - lo],
                        denominators=g_dens[current - lo],
                        numerator_unit=part_units[g][0],
                        denominator_unit=part_units[g][1],
                    )
            vals = group_values if len(current) == hi - lo else group_values[current - lo]
            if definition is not None:
                definition.check_bounds(vals, where=f"series {metric!r} in {city!r}: values")
            if not build:
                continue
            rows = order[current]
            if has_dims:
                cats = np.stack([c[rows] for c in dim_codes], axis=1)
                used = [j for j in range(len(dimensions)) if np.any(cats[:, j] != 0)]
                if used:
                    kwargs["dimensions"] = tuple(dimensions[j] for j in used)
                    kwargs["categories"] = cats[:, used]
            for field, codes in extras_sorted.items():
                kwargs[field] = codes[current]
            for field, column_name in text_columns.items():
                if column_name in col:
                    text_cells = col[column_name]
                    texts = [text_cells[r] or None for r in rows.tolist()]
                    if any(t is not None for t in texts):
                        kwargs[field] = texts
            if observed is not None and expected is not None:
                g_obs, g_exp = observed[rows], expected[rows]
                if np.any(g_exp >= 0):
                    if np.any(g_exp < 0):
                        raise SerializationError(
                            f"series {metric!r} in {city!r}: observed/expected: give them on "
                            "every row of a series or on none"
                        )
                    kwargs.update(observed=g_obs, expected=g_exp)
            if len(current) != hi - lo:
                kwargs["revisions"] = _history(
                    lo, hi, superseded, group_values, order, code_columns, col, Revisions
                )
            series.append(
                MetricSeries(
                    metric_id=metric,
                    place_id=city,
                    period_type=type_list[int(t_min[g])],
                    ordinals=s_ordinals[current] if len(current) != hi - lo else s_ordinals[lo:hi],
                    values=vals,
                    unit=targets[int(group_key[g])],
                    **kwargs,
                )
            )
        except CivicError as exc:
            problems.add(lines[first], str(exc))
    problems.raise_if_any()
    return series


def _parse_units(
    column: Sequence[str], name: str, lines: _Lines, problems: _Problems
) -> tuple[list[Any], NDArray[np.bool_], list[str], NDArray[np.int64]]:
    """Each distinct unit text parsed once: the units (None for an empty or refused cell), which
    failed, the texts and each row's index into them.
    """
    unit_texts, unit_codes = _factorize(column)
    first_unit = _first_rows(unit_codes, len(unit_texts))
    units: list[Any] = []
    failed = np.zeros(len(unit_texts), dtype=bool)
    for i, utext in enumerate(unit_texts):
        if not utext.strip():
            units.append(None)
            continue
        try:
            units.append(parse_unit(utext, where=name))
        except CivicError as exc:
            units.append(None)
            failed[i] = True
            count = int(np.count_nonzero(unit_codes == i))
            also = f" (and {count - 1} more rows)" if count > 1 else ""
            problems.add(lines[first_unit[i]], f"{exc}{also}")
    return units, failed, unit_texts, unit_codes


def _factors(
    s_unit: NDArray[np.int64],
    s_key: NDArray[np.int64],
    units: list[Any],
    unit_failed: NDArray[np.bool_],
    unit_texts: list[str],
    targets: list[Any],
    order: NDArray[np.int64],
    lines: _Lines,
    problems: _Problems,
    *,
    describe: Any,
    needed: NDArray[np.bool_] | None = None,
) -> NDArray[np.float64]:
    """The factor that converts each sorted row's unit to its group's target unit; NaN where the
    unit was refused or cannot be converted (reported once per distinct pair).
    """
    width_key = max(len(targets), 1)
    pair = s_unit * width_key + s_key
    pairs, pair_of_row = np.unique(pair, return_inverse=True)
    factors = np.ones(len(pairs), dtype=np.float64)
    for i, code in enumerate(pairs.tolist()):
        unit, target = units[code // width_key], targets[code % width_key]
        rows_of_pair = pair_of_row == i
        if needed is not None and not np.any(needed & rows_of_pair):
            continue  # no row of this pair carries the number the unit is for
        if unit_failed[code // width_key] or target is None:
            factors[i] = np.nan  # refused above; the value is not checked against bounds
            continue
        if unit is None or unit == target:
            continue
        factor = _convert_factor(unit, target)
        if factor is None:
            factors[i] = np.nan
            row = int(order[rows_of_pair].min())
            problems.add(
                lines[row],
                f"unit: {unit_texts[code // width_key]!r} cannot be converted to "
                f"{str(target)!r}, {describe(row, target)}",
            )
        else:
            factors[i] = factor
    return factors[pair_of_row] if len(pair_of_row) else np.ones(0)


def _values_from_parts(
    values: NDArray[np.float64],
    nums: NDArray[np.float64],
    dens: NDArray[np.float64],
    part_units: tuple[Any, Any],
    unit: Any,
    line_of: Any,
) -> NDArray[np.float64]:
    """Values computed from the ratio parts where the value cell is empty, and checked against
    them where both are given.
    """
    num_unit, den_unit = part_units
    if num_unit is None or den_unit is None or unit is None:
        raise SerializationError(
            "numerator_unit/denominator_unit: give them (columns numerator_unit and "
            "denominator_unit), or a ratio metric definition"
        )
    factor = _convert_factor(num_unit / den_unit, unit)
    if factor is None:
        raise SerializationError(
            f"numerator/denominator: {num_unit} / {den_unit} cannot be converted to the "
            f"series' unit {unit}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = nums * factor / dens
    both = np.isfinite(values) & np.isfinite(implied)
    bad = both & ~np.isclose(values, implied, rtol=1e-6, atol=1e-12)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise SerializationError(
            f"line {line_of(i)}: value {values[i]:g} disagrees with numerator / denominator "
            f"{nums[i]:g} / {dens[i]:g} = {implied[i]:g}; leave the value empty or make them agree"
        )
    out = np.where(np.isnan(values) & np.isfinite(implied), implied, values)
    out.flags.writeable = False
    return out


def _check_schedule(definition: MetricDefinition, period_type: PeriodType, city: str) -> None:
    schedule = definition.reporting_frequency
    if schedule is not None and not period_type.nests_in(schedule):
        raise SerializationError(
            f"series {definition.id!r} in {city!r}: period: metric {definition.id!r} is "
            f"reported by {schedule.name}; expected {schedule.name} periods (or shorter ones "
            f"that fall within one), got {period_type.name} periods"
        )


def _history(
    lo: int,
    hi: int,
    superseded: NDArray[np.bool_],
    group_values: NDArray[np.float64],
    order: NDArray[np.int64],
    code_columns: Mapping[str, NDArray[np.int8]],
    col: Mapping[str, Sequence[str]],
    revisions_type: Any,
) -> Any:
    """The revisions of one group: its superseded sorted rows, each pointing at the current row
    of its observation (the last row of its run).
    """
    old = superseded[lo:hi]
    current_index = np.cumsum(~old) - 1  # position among current rows, for current rows
    # a superseded row belongs to the next current row
    next_current = np.flatnonzero(~old)
    owner = next_current[np.searchsorted(next_current, np.flatnonzero(old))]
    rows = order[lo:hi][old]

    def texts(name: str) -> list[str | None]:
        cells = col.get(name)
        return [None] * len(rows) if cells is None else [cells[r] or None for r in rows.tolist()]

    statuses = code_columns.get("statuses")
    return revisions_type(
        rows=current_index[owner],
        values=group_values[old],
        statuses=np.zeros(len(rows), np.int8) if statuses is None else statuses[rows],
        recorded_at=texts("recorded_at"),
        recorded_by=texts("recorded_by"),
        comments=texts("comment"),
    )


def _unknown_metric(name: str, definitions: Mapping[str, MetricDefinition]) -> str:
    close = difflib.get_close_matches(name, list(definitions), n=3)
    if close:
        return f"metric: {name!r} has no definition; did you mean {' or '.join(map(repr, close))}?"
    return (
        f"metric: {name!r} has no definition; none of the {len(definitions)} metric(s) given has "
        "a similar id"
    )


def _convert_factor(unit: Any, target: Any) -> float | None:

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

    Parameters:
        path: The CSV file; its name starts every problem's location.
        metrics: Metric definitions (or a mapping from id to definition) that fix each metric's
            unit; ``None`` (the default) takes each series' unit from its first row.
        fiscal_start_month: The month (1-12) fiscal years start in, needed to read ``FY`` period
            ids; ``None`` (the default) refuses them.
        delimiter: The one character between cells; ``","`` by default.

    Returns:
        One series per (city, metric), as :func:`parse_observations` returns them.

    Raises:
        SerializationError: The file cannot be read, or its text has problems (one error lists
            every problem with its line).
        ValidationError: ``delimiter`` is not one character (or is a quote or line break).

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

    Everything a series holds is written, or the series is refused: ratio parts go to the
    ``numerator``, ``denominator``, ``numerator_unit`` and ``denominator_unit`` columns,
    narratives to ``narrative``, statuses, approvals, comments, sources, recorders and coverage to
    their columns, and each earlier value of a row (its revisions) to a row of its own with a
    lower ``version``. Columns no series uses are left out. Numbers are written in Python's
    shortest round-trip form, so reading the text back gives the same values. Fiscal-year series
    are written with ``FY`` ids; read them back with the same ``fiscal_start_month``.

    Parameters:
        series: The series to write.

    Returns:
        The CSV text: a header row, then one row per observation (and per earlier revision),
        each line ending with ``"\\n"``.

    Raises:
        SerializationError: what a CSV row cannot hold: a series without observations, a value
            that is not finite (such as ``inf``), a dimension whose id is a reserved column name,
            or text that CSV cannot carry (a lone surrogate).

    Example:
        >>> from civicinnov.metrics import MetricSeries
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
    used: set[str] = set()
    for s in items:
        where = f"series {s.metric_id!r} in {s.place_id!r}"
        if len(s) == 0:
            raise SerializationError(
                f"{where}: has no observations, and a CSV file holds observations only; leave it "
                "out, or save it in a portfolio document"
            )
        for name, arr in (
            ("values", s.values),
            ("numerators", s.numerators),
            ("denominators", s.denominators),
        ):
            if arr is not None and np.any(np.isinf(arr)):
                i = int(np.flatnonzero(np.isinf(arr))[0])
                raise SerializationError(
                    f"{where}: {name}[{i}]: {arr[i]} is not a finite number and cannot be written "
                    "(a reader would refuse it)"
                )
        if s.revisions is not None and np.any(np.isinf(s.revisions.values)):
            raise SerializationError(f"{where}: revisions: a value is not a finite number")
        for d in s.dimensions:
            if d.id in RESERVED_COLUMNS:
                raise SerializationError(
                    f"{where}: dimension {d.id!r} has the name of a reserved column "
                    f"({', '.join(RESERVED_COLUMNS)}); rename the dimension"
                )
            if d.id not in dim_ids:
                dim_ids.append(d.id)
        used.update(_used_columns(s))
    optional = [c for c in OPTIONAL_COLUMNS if c in used]
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\n")
    writer.writerow([*REQUIRED_COLUMNS, *optional, *dim_ids])
    rows = [row for s in items for row in _rows_of(s, optional, dim_ids)]
    writer.writerows(rows)
    text = out.getvalue()
    if "\r" in text:  # the csv writer quotes a lone \r only when it ends its own lines
        out = io.StringIO()
        quoting = _csv.writer(out, lineterminator="\r\n")
        lines = [text.split("\n", 1)[0] + "\n"]
        for row in rows:
            quoting.writerow(row)
            lines.append(out.getvalue()[:-2] + "\n")
            out.seek(0)
            out.truncate()
        text = "".join(lines)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SerializationError(
            f"observations: text {exc.object[exc.start : exc.end]!r} cannot be written as UTF-8 "
            "(a lone surrogate); fix the text before saving"
        ) from None
    return text


def _used_columns(s: MetricSeries) -> set[str]:
    used: set[str] = set()
    if s.numerators is not None:
        used.update(("numerator", "denominator", "numerator_unit", "denominator_unit"))
    for field, column in (
        ("narratives", "narrative"),
        ("statuses", "status"),
        ("missing_reasons", "missing_reason"),
        ("approvals", "approval"),
        ("comments", "comment"),
        ("sources", "source"),
        ("recorded_by", "recorded_by"),
        ("recorded_at", "recorded_at"),
        ("observed", "observed"),
        ("expected", "expected"),
    ):
        if getattr(s, field) is not None:
            used.add(column)
    if s.revisions is not None and len(s.revisions):
        used.update(("version", "status", "recorded_at", "recorded_by", "comment"))
    return used


#: The columns an earlier value (a revision row) repeats from its current row.
_KEY_COLUMNS = ("city", "metric", "period", "unit", "numerator_unit", "denominator_unit")


def _number_cells(arr: NDArray[np.float64]) -> list[str]:
    return ["" if v != v else repr(v) for v in arr.tolist()]  # noqa: PLR0124 - a NaN test


def _rows_of(s: MetricSeries, optional: list[str], dim_ids: list[str]) -> list[list[str]]:
    """The CSV rows of one series: its rows, then the earlier values of each (lower versions)."""
    n = len(s)
    blank = [""] * n
    unit = format_unit(s.unit)
    cells: dict[str, list[str]] = {
        "city": [s.place_id] * n,
        "metric": [s.metric_id] * n,
        "period": s.labels,
        "value": _number_cells(s.values),
        "unit": [unit] * n,
    }
    if s.numerators is not None and s.denominators is not None:
        assert s.numerator_unit is not None  # the series holds units exactly with its parts
        assert s.denominator_unit is not None
        cells["numerator"] = _number_cells(s.numerators)
        cells["denominator"] = _number_cells(s.denominators)
        cells["numerator_unit"] = [format_unit(s.numerator_unit)] * n
        cells["denominator_unit"] = [format_unit(s.denominator_unit)] * n
    for field, column, enum_type in (
        ("statuses", "status", ObservationStatus),
        ("missing_reasons", "missing_reason", MissingReason),
        ("approvals", "approval", ApprovalState),
    ):
        codes = getattr(s, field)
        if codes is not None:
            names = np.asarray(["", *(m.value for m in enum_type)], dtype=object)
            cells[column] = names[codes.astype(np.intp)].tolist()
    for field, column in (
        ("narratives", "narrative"),
        ("comments", "comment"),
        ("sources", "source"),
        ("recorded_by", "recorded_by"),
        ("recorded_at", "recorded_at"),
    ):
        texts = getattr(s, field)
        if texts is not None:
            cells[column] = ["" if t is None else t for t in texts]
    if s.observed is not None and s.expected is not None:
        cells["observed"] = [str(v) for v in s.observed.tolist()]
        cells["expected"] = [str(v) for v in s.expected.tolist()]
    history = s.revisions if s.revisions is not None and len(s.revisions) else None
    if history is not None:
        earlier = np.bincount(history.rows, minlength=n)
        cells["version"] = [str(k + 1) for k in earlier.tolist()]
    for d in s.dimensions:
        cells[d.id] = [("" if c == "_T" else c) for c in s.codes(d.id)]
    columns = [*REQUIRED_COLUMNS, *optional, *dim_ids]
    table = [cells.get(c, blank) for c in columns]
    rows = [list(r) for r in zip(*table, strict=True)]
    if history is not None:
        rank = np.zeros(len(history), dtype=np.int64)  # each revision's version: 1, 2, ...
        seen: dict[int, int] = {}
        for i, r in enumerate(history.rows.tolist()):
            seen[r] = seen.get(r, 0) + 1
            rank[i] = seen[r]
        status_names = ["", *(m.value for m in ObservationStatus)]
        for i, r in enumerate(history.rows.tolist()):
            row = [""] * len(columns)
            for j, c in enumerate(columns):
                if c in _KEY_COLUMNS or c in dim_ids:
                    row[j] = table[j][r]
            row[columns.index("value")] = _number_cells(history.values[i : i + 1])[0]
            row[columns.index("version")] = str(int(rank[i]))
            row[columns.index("status")] = status_names[int(history.statuses[i])]
            row[columns.index("recorded_at")] = history.recorded_at[i] or ""
            row[columns.index("recorded_by")] = history.recorded_by[i] or ""
            row[columns.index("comment")] = history.comments[i] or ""
            rows.append(row)
    return rows


def write_observations(path: str | os.PathLike[str], series: Iterable[MetricSeries]) -> None:
    """Write ``series`` to an observations CSV file atomically; see :func:`format_observations`.

    Parameters:
        path: The file to write (created or replaced atomically).
        series: The series to write, one or more rows each.

    Raises:
        SerializationError: A series cannot be held by a CSV row (see
            :func:`format_observations`), or the file cannot be written.

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.metrics import MetricSeries
        >>> from civicinnov.periods import YEAR
        >>> s = MetricSeries.from_records("murders", place_id="nola", period_type=YEAR,
        ...                               records=[("2012", 193)], unit="incident")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "obs.csv"
        >>> write_observations(path, [s])
        >>> read_observations(path)[0].values.tolist()
        [193.0]
    """
    write_text_atomic(path, format_observations(series))


def check_observations(
    path_or_text: str | bytes | os.PathLike[str],
    *,
    catalog: MetricCatalog | None = None,
    definitions: Iterable[MetricDefinition] | Mapping[str, MetricDefinition] | None = None,
    fiscal_start_month: int | None = None,
    delimiter: str = ",",
) -> list[str]:
    """Check an observations file against metric definitions and return every problem found,
    each with its file and line (an empty list: the file is fine).

    Every row is checked: an unknown metric id (with the closest known ids), a unit of the wrong
    dimension for its metric, a period of a type the metric is not reported by (its
    :attr:`~civicinnov.metrics.MetricDefinition.reporting_frequency`), a percentage
    outside 0-100 %, plus everything :func:`parse_observations` checks. The definitions are
    ``catalog`` (by default the built-in catalogue with its installed plug-ins,
    :meth:`MetricCatalog.default() <civicinnov.metrics.MetricCatalog.default>`) and
    ``definitions`` (such as a portfolio's metrics), which take precedence.

    ``path_or_text`` is a path, bytes, or CSV text (a string holding a line break).

    Parameters:
        path_or_text: A path, bytes, or CSV text (a string holding a line break).
        catalog: The base definitions; ``None`` (the default) uses
            :meth:`MetricCatalog.default() <civicinnov.metrics.MetricCatalog.default>`.
        definitions: More definitions (or a mapping from id to definition), taking precedence
            over ``catalog``; ``None`` (the default) adds none.
        fiscal_start_month: The month (1-12) fiscal years start in, needed to read ``FY`` period
            ids; ``None`` (the default) reports them as problems.
        delimiter: The one character between cells; ``","`` by default.

    Returns:
        Every problem found, each naming the file (``<string>`` for text or bytes) and, where
        it has one, the line; an empty list when the file is fine.

    Raises:
        SerializationError: only when the file cannot be read at all.
        ValidationError: a bad ``delimiter``.

    Example:
        >>> text = '''city,metric,period,value,unit
        ... nola,murders,2012,193,kg
        ... nola,muders,2013,150,incident
        ... '''
        >>> for problem in check_observations(text):
        ...     print(problem)
        <string>:2: unit: 'kg' cannot be converted to 'incident', the unit of metric 'murders'
        <string>:3: metric: 'muders' has no definition; did you mean 'murders'?
    """
    known: dict[str, MetricDefinition] = {}
    base = MetricCatalog.default() if catalog is None else catalog
    known.update({d.id: d for d in base})
    if definitions is not None:
        given = _definitions(definitions)
        assert given is not None
        known.update(given)
    source = "<string>"
    data: str | bytes
    if isinstance(path_or_text, (bytes, bytearray)):
        data = bytes(path_or_text)
    elif isinstance(path_or_text, str) and ("\n" in path_or_text or "\r" in path_or_text):
        data = path_or_text
    else:
        source = os.fspath(path_or_text)
        try:
            data = Path(path_or_text).read_bytes()
        except OSError as exc:
            raise SerializationError(f"{source}: cannot read the file ({exc.strerror})") from None
    try:
        parse_observations(
            data,
            source=source,
            metrics=known,
            fiscal_start_month=fiscal_start_month,
            delimiter=delimiter,
        )
    except SerializationError as exc:
        return list(exc.problems) if exc.problems else [str(exc)]
    return []


def observations_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the observations format, shipped with the package.

    It lists every column the reader knows (:data:`RESERVED_COLUMNS`) with its type, meaning and
    constraints; other columns are dimensions.

    Example:
        >>> schema = observations_schema()
        >>> [f["name"] for f in schema["fields"]][:5]
        ['city', 'metric', 'period', 'value', 'unit']
    """
    from importlib import resources  # noqa: PLC0415 - only when asked for

    text = (
        resources.files("civicinnov.io").joinpath(OBSERVATIONS_SCHEMA_RESOURCE).read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema
