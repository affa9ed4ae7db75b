"""Portfolio documents in JSON: ``schema_version``, migrations, atomic saves, readable failures.

A document is one JSON object: the fields of a :class:`~civicinnov.portfolio.Portfolio` (``cities``,
``challenges``, ...) plus ``"schema_version"``, an integer. Paths in messages are paths into that
object, so ``$.challenges[3].metric_ids[0]`` names the first metric id of the fourth challenge.

**Versions.** This release writes :data:`SCHEMA_VERSION`. A document of an older version is passed
through the migration functions in :data:`MIGRATIONS` (``version -> function returning the document
one version up``) or, when no migration exists, refused with a
:class:`~civicinnov.errors.SchemaVersionError` that names both versions; a newer document is always
refused (this release cannot know what the newer fields mean). Version 1 is the first published
version, so there are no migrations yet.

**Reading.** Files are read as bytes and decoded as UTF-8 (a byte-order mark is allowed), through
the package's one file layer (``civicinnov.io._files``, whose :func:`parse_json`, :func:`read_json`
and :func:`write_text_atomic` this module re-exports). Text that is
not UTF-8, JSON that is truncated or malformed, ``NaN``/``Infinity`` literals (not JSON), a wrong type
in a deep field, an unknown key: each raises :class:`~civicinnov.errors.SerializationError` whose
message starts with the file name and gives the line and column, or the ``$.path``, the value found
and what was expected. Nothing is returned unless the whole document was read. By default the loaded
portfolio is then checked (:meth:`~civicinnov.portfolio.Portfolio.check`) and every integrity problem
(a dangling id, a duplicate, a date out of order) raises one
:class:`~civicinnov.errors.IntegrityError` listing them all.

Duplicate keys inside one JSON object are not detected (the last one wins, as in :func:`json.loads`).

**Writing.** :func:`save_portfolio` writes to a temporary file beside the target (the file a symbolic
link points to, when the target is a link), flushes and ``fsync``\\ s it, keeps the target's
permission bits, renames it over the target with :func:`os.replace` and ``fsync``\\ s the directory,
so an interrupted save (or a full disk) leaves either the old file or the new one, never half of one.
A read-only target is refused. Output is UTF-8, sorted by field order, with
a trailing newline.

No pickle and no ``eval``: only :func:`json.loads` ever sees the file's text.

Example:
    >>> import tempfile, pathlib
    >>> from civicinnov.portfolio import Portfolio
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.json"
    >>> save_portfolio(Portfolio(name="Demo"), path)
    >>> load_portfolio(path).name
    'Demo'
    >>> _ = path.write_text('{"schema_version": 1, "name": "Demo", "cities": [', encoding="utf-8")
    >>> load_portfolio(path)
    Traceback (most recent call last):
    ...
    civicinnov.errors.SerializationError: ...empty.json:1:50: not valid JSON (the text ends early; is the file truncated?): Expecting value
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from civicinnov.errors import SchemaVersionError, SerializationError
from civicinnov.io._files import (
    parse_json as parse_json,
    read_json as read_json,
    write_text_atomic as write_text_atomic,
)

if TYPE_CHECKING:
    import cattrs

    from civicinnov.portfolio import Portfolio

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "dumps_portfolio",
    "from_document",
    "load_portfolio",
    "loads_portfolio",
    "parse_json",
    "read_json",
    "save_portfolio",
    "to_document",
    "write_text_atomic",
]

#: The schema version this release writes and reads.
SCHEMA_VERSION = 1

#: Migrations from older schema versions: ``MIGRATIONS[n]`` turns a version-``n`` document into a
#: version-``n + 1`` one. Empty while version 1 is the only version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_converters: dict[bool, cattrs.Converter] = {}


def _converter(detailed: bool) -> cattrs.Converter:
    # One converter per process per mode; hooks are generated once. The converter is private to this
    # module and never exposed, so no caller can mutate it.
    conv = _converters.get(detailed)
    if conv is None:
        from civicinnov.io.serde import new_converter

        conv = new_converter(detailed_validation=detailed)
        _converters[detailed] = conv
    return conv


def to_document(portfolio: Portfolio) -> dict[str, Any]:
    """Return the JSON-ready document of ``portfolio``, ``schema_version`` first.

    Example:
        >>> from civicinnov.portfolio import Portfolio
        >>> doc = to_document(Portfolio(name="Demo"))
        >>> doc["schema_version"], doc["name"]
        (1, 'Demo')
    """
    body = _converter(False).unstructure(portfolio)
    return {"schema_version": SCHEMA_VERSION, **body}


def _migrate(document: dict[str, Any], source: str) -> dict[str, Any]:
    version = document.get("schema_version")
    if "schema_version" not in document:
        raise SchemaVersionError(
            f"{source}: $.schema_version: missing; expected the integer {SCHEMA_VERSION} "
            "(is this a civicinnov portfolio document?)"
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaVersionError(
            f"{source}: $.schema_version: expected an integer such as {SCHEMA_VERSION}, "
            f"got {type(version).__name__} {version!r}"
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{source}: $.schema_version: {version} is newer than this release reads "
            f"({SCHEMA_VERSION}); upgrade civicinnov to read it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaVersionError(
                f"{source}: $.schema_version: {version} is older than any version this release "
                f"can migrate (it reads {SCHEMA_VERSION}"
                + (f" and migrates from {min(MIGRATIONS)}" if MIGRATIONS else "")
                + ")"
            )
        document = step(document)
        version += 1
        document["schema_version"] = version
    return document


def from_document(document: Any, *, source: str = "<document>", check: bool = True) -> Portfolio:
    """Build a portfolio from a parsed document, migrating older versions; see the module docs.

    ``check=False`` skips :meth:`~civicinnov.portfolio.Portfolio.check` (the document's structure and
    types are still fully checked).

    Example:
        >>> from_document({"schema_version": 1, "name": "Demo"}).name
        'Demo'
        >>> from_document({"schema_version": 9, "name": "Demo"}, source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: x.json: $.schema_version: 9 is newer than this release reads (1); upgrade civicinnov to read it
    """
    from civicinnov.io.serde import structure
    from civicinnov.portfolio import Portfolio

    if not isinstance(document, dict):
        raise SerializationError(
            f"{source}: $: expected a JSON object (a portfolio document), got "
            f"{'a list' if isinstance(document, list) else type(document).__name__}"
        )
    document = _migrate(dict(document), source)
    body = {k: v for k, v in document.items() if k != "schema_version"}
    # Building tens of thousands of small frozen records triggers the cyclic garbage collector over
    # and over although none of them can form a cycle; pausing it makes large loads about a third
    # faster. It is switched back on (if it was on) whatever happens.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        portfolio = structure(body, Portfolio, converter=_converter(False), source=source)
        if check:
            portfolio.validate(source=source)
    finally:
        if was_enabled:
            gc.enable()
    return portfolio


def dumps_portfolio(portfolio: Portfolio, *, indent: int | None = 1) -> str:
    """Return the portfolio as JSON text (UTF-8 safe, trailing newline).

    Example:
        >>> from civicinnov.portfolio import Portfolio
        >>> dumps_portfolio(Portfolio(name="Demo"), indent=None)[:40]
        '{"schema_version": 1, "name": "Demo", "c'
    """
    text = json.dumps(to_document(portfolio), indent=indent, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def loads_portfolio(
    data: str | bytes, *, source: str = "<string>", check: bool = True
) -> Portfolio:
    """Parse JSON text or bytes into a portfolio; see :func:`from_document`.

    Example:
        >>> loads_portfolio('{"schema_version": 1, "name": "Demo", "cities": "x"}', source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.json: $.cities: expected a list, got str 'x'
    """
    return from_document(parse_json(data, source=source), source=source, check=check)


def save_portfolio(portfolio: Portfolio, path: str | os.PathLike[str]) -> None:
    """Write ``portfolio`` to ``path`` atomically; see the module docs.

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.portfolio import Portfolio
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.json"
        >>> save_portfolio(Portfolio(name="Demo"), path)
        >>> path.read_text(encoding="utf-8").startswith('{\\n "schema_version": 1')
        True
    """
    write_text_atomic(path, dumps_portfolio(portfolio))


def load_portfolio(path: str | os.PathLike[str], *, check: bool = True) -> Portfolio:
    """Read a portfolio document from ``path``; see :func:`from_document`.

    Example:
        >>> load_portfolio("/nonexistent/p.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: /nonexistent/p.json: cannot read the file (No such file or directory)
    """
    source = os.fspath(path)
    return from_document(read_json(path), source=source, check=check)
