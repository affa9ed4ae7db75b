"""Portfolio documents in JSON: ``schema_version``, migrations, atomic saves, readable failures.

A document is one JSON object: the fields of a :class:`~civicinnov.programme.Portfolio` (``cities``,
``challenges``, ...) plus ``"schema_version"``, an integer. Paths in messages are paths into that
object, so ``$.challenges[3].metric_ids[0]`` names the first metric id of the fourth challenge.

**Versions.** This release writes :data:`SCHEMA_VERSION`. A document of an older version is passed
through the migration functions in :data:`MIGRATIONS` (``version -> function returning the document
one version up``) or, when no migration exists, refused with a
:class:`~civicinnov.errors.SchemaVersionError` that names both versions; a newer document is always
refused (this release cannot know what the newer fields mean). Version 2 holds every amount of money
as a ``funding`` record: a version-1 document's ``cohorts[].grant``, ``iteams[].grant`` and
``iteams[].local_match`` become funding records when it is read: a cohort's grant goes to its first
partner (``<cohort>-grant``) or, for a cohort without partners, to each member city, as version 1
meant it (``<cohort>-<city>-grant``); ``<iteam>-grant`` and ``<iteam>-local-match`` follow.

**Reading.** Files are read as bytes and decoded as UTF-8 (a byte-order mark is allowed), through
the package's one file layer (``civicinnov.io._files``, whose :func:`parse_json`, :func:`read_json`
and :func:`write_text_atomic` this module re-exports). Text that is
not UTF-8, JSON that is truncated or malformed, ``NaN``/``Infinity`` literals (not JSON), a wrong type
in a deep field, an unknown key: each raises :class:`~civicinnov.errors.SerializationError` whose
message starts with the file name and gives the line and column, or the ``$.path``, the value found
and what was expected. Nothing is returned unless the whole document was read. By default the loaded
portfolio is then checked (:meth:`~civicinnov.programme.Portfolio.check`) and every integrity problem
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
    >>> from civicinnov.programme import Portfolio
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
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import attrs

from civicinnov.errors import PluginError, SchemaVersionError, SerializationError
from civicinnov.io._files import (
    parse_json as parse_json,  # noqa: PLC0414 - explicit re-export
    read_json as read_json,  # noqa: PLC0414 - explicit re-export
    write_text_atomic as write_text_atomic,  # noqa: PLC0414 - explicit re-export
)
from civicinnov.io.serde import all_subclasses, new_converter, structure
from civicinnov.metrics import ENTRY_POINT_GROUP, MetricDefinition
from civicinnov.programme import Portfolio
from civicinnov.units import define_units, unit_definitions

if TYPE_CHECKING:
    import cattrs

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
SCHEMA_VERSION = 2


def _money_to_funding(document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2: cohort and i-team grants and local matches become funding records."""
    doc = dict(document)
    funding = list(doc.get("funding") or [])
    cohorts = [dict(c) if isinstance(c, dict) else c for c in doc.get("cohorts") or []]
    funders: dict[Any, Any] = {}
    for cohort in cohorts:
        if not isinstance(cohort, dict):
            continue
        funders[cohort.get("id")] = cohort.get("funder_id")
        grant = cohort.pop("grant", None)
        if grant is not None:
            # A cohort run by a partner got one grant (to the partner); otherwise version 1 meant
            # the same grant per member city.
            partners = cohort.get("partner_ids") or []
            members = [m.get("city_id") for m in cohort.get("members") or [] if isinstance(m, dict)]
            recipients = (
                [(f"{cohort.get('id')}-grant", partners[0])]
                if partners
                else [(f"{cohort.get('id')}-{city}-grant", city) for city in members]
            )
            funding.extend(
                {
                    "id": record_id,
                    "source_id": cohort.get("funder_id"),
                    "recipient_id": recipient,
                    "kind": "grant",
                    "amount": grant,
                    "cohort_id": cohort.get("id"),
                }
                for record_id, recipient in recipients
            )
    iteams = [dict(t) if isinstance(t, dict) else t for t in doc.get("iteams") or []]
    for team in iteams:
        if not isinstance(team, dict):
            continue
        grant = team.pop("grant", None)
        match = team.pop("local_match", None)
        city = team.get("city_id")
        if grant is not None:
            cohort_id = team.get("cohort_id")
            funding.append(
                {
                    "id": f"{team.get('id')}-grant",
                    "source_id": funders.get(cohort_id) or city,
                    "recipient_id": city,
                    "kind": "grant",
                    "amount": grant,
                    "cohort_id": cohort_id,
                }
            )
        if match is not None:
            funding.append(
                {
                    "id": f"{team.get('id')}-local-match",
                    "source_id": city,
                    "recipient_id": team.get("id"),
                    "kind": "local_match",
                    "amount": match,
                }
            )
    if "cohorts" in doc:
        doc["cohorts"] = cohorts
    if "iteams" in doc:
        doc["iteams"] = iteams
    if funding:
        doc["funding"] = funding
    return doc


#: Migrations from older schema versions: ``MIGRATIONS[n]`` turns a version-``n`` document into a
#: version-``n + 1`` one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _money_to_funding}

_converters: dict[bool, cattrs.Converter] = {}


def _converter(detailed: bool) -> cattrs.Converter:  # noqa: FBT001 - a private helper flag
    # One converter per process per mode; hooks are generated once. The converter is private to this
    # module and never exposed, so no caller can mutate it.
    conv = _converters.get(detailed)
    if conv is None:
        conv = new_converter(detailed_validation=detailed)
        _converters[detailed] = conv
    return conv


def to_document(portfolio: Portfolio) -> dict[str, Any]:
    """Return the JSON-ready document of ``portfolio``, ``schema_version`` first.

    A portfolio that uses units added with :func:`civicinnov.units.register_units` carries their
    definitions in ``units``, and one that holds metric classes from plug-in packages names those
    packages in ``plugins``, so the document loads elsewhere (see :func:`from_document`).

    Parameters:
        portfolio: The portfolio to write out.

    Returns:
        A dict of JSON values: ``schema_version``, then ``units`` and ``plugins`` when needed,
        then the portfolio's fields.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> doc = to_document(Portfolio(name="Demo"))
        >>> doc["schema_version"], doc["name"], "units" in doc
        (2, 'Demo', False)
    """
    body = _converter(False).unstructure(portfolio)  # noqa: FBT003 - a private helper flag
    head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    lines = _unit_lines(portfolio)
    if lines:
        head["units"] = list(lines)
    plugins = _plugins_used(portfolio)
    if plugins:
        head["plugins"] = list(plugins)
    return {**head, **body}


#: At most this many unit definitions or plug-in names in one document.
MAX_REQUIREMENTS = 1_000


def _walk_units(value: Any, out: set[Any], depth: int = 0) -> None:
    if depth > 6 or value is None or isinstance(value, str | int | float | bool):
        return
    if hasattr(value, "dimensionality"):
        out.add(getattr(value, "units", value))
        return
    if isinstance(value, tuple | list):
        for item in value:
            _walk_units(item, out, depth + 1)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _walk_units(getattr(value, field.name), out, depth + 1)


def _unit_lines(portfolio: Portfolio) -> tuple[str, ...]:
    used: set[Any] = set()
    for field in attrs.fields(Portfolio):
        if field.name != "series":
            _walk_units(getattr(portfolio, field.name), used)
    for series in portfolio.series:  # a series' unit, not each of its values
        used.update(u for u in (series.unit, series.numerator_unit, series.denominator_unit) if u)
    lines: list[str] = []
    for unit in sorted(used, key=str):
        lines.extend(line for line in unit_definitions(unit) if line not in lines)
    return tuple(lines)


def _plugins_used(portfolio: Portfolio) -> tuple[str, ...]:
    modules = {type(m).__module__.partition(".")[0] for m in portfolio.metrics}
    return tuple(sorted(m for m in modules if m != "civicinnov"))


def _text_list(document: dict[str, Any], key: str, source: str) -> list[str]:
    value = document.get(key, [])
    if not isinstance(value, list) or len(value) > MAX_REQUIREMENTS:
        raise SerializationError(
            f"{source}: $.{key}: expected a list of at most {MAX_REQUIREMENTS:,} texts, got "
            f"{type(value).__name__}" + (f" of {len(value):,}" if isinstance(value, list) else "")
        )
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item or len(item) > 200:
            raise SerializationError(
                f"{source}: $.{key}[{i}]: expected a non-empty text of at most 200 characters, "
                f"got {type(item).__name__} {str(item)[:40]!r}"
            )
    return value


def _apply_requirements(document: dict[str, Any], source: str) -> None:
    """Load the plug-ins a document names and define its units, before any record is built."""
    for i, name in enumerate(_text_list(document, "plugins", source)):
        _require_plugin(name, f"{source}: $.plugins[{i}]")
    lines = _text_list(document, "units", source)
    if lines:
        define_units(lines, where=f"{source}: $.units")


def _loaded_metric_packages() -> set[str]:
    return {c.__module__.partition(".")[0] for c in all_subclasses(MetricDefinition)}


def _require_plugin(name: str, where: str) -> None:
    """A plug-in a document needs: already imported, or an installed ``civicinnov.metrics`` entry
    point of that package, which is loaded. Nothing is imported only because a file names it.
    """
    if name in sys.modules or name in _loaded_metric_packages():
        return
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.value.partition(":")[0].partition(".")[0] == name or ep.name == name:
            try:
                ep.load()
            except Exception as exc:  # a broken plug-in is the user's to fix; say which
                raise PluginError(f"{where}: plug-in {name!r} failed to load: {exc}") from None
            return
    raise PluginError(
        f"{where}: this document needs the plug-in {name!r}, which is not installed; install the "
        f"package that provides it (its civicinnov.metrics entry point), or import it first "
        f"(civicinnov --plugin {name} ...)"
    )


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

    ``check=False`` skips :meth:`~civicinnov.programme.Portfolio.check` (the document's structure and
    types are still fully checked).

    Parameters:
        document: The parsed JSON value; it must be an object (a dict).
        source: The file name (or other origin) that starts every error message.
        check: Whether to run the portfolio's integrity check; ``True`` by default.

    Returns:
        The portfolio the document describes, at the current schema version.

    Raises:
        SerializationError: The document is not an object, a field has the wrong type or shape,
            a key is unknown, or its ``units``/``plugins`` list is malformed.
        SchemaVersionError: ``schema_version`` is missing, not an integer, newer than
            :data:`SCHEMA_VERSION`, or older than any migration in :data:`MIGRATIONS`.
        PluginError: A plug-in the document names is not installed or fails to load.
        UnitError: A unit definition in the document's ``units`` is refused.
        IntegrityError: With ``check``, the portfolio has integrity problems (all listed).

    Example:
        >>> from_document({"schema_version": 1, "name": "Demo"}).name
        'Demo'
        >>> from_document({"schema_version": 9, "name": "Demo"}, source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SchemaVersionError: x.json: $.schema_version: 9 is newer than this release reads (2); upgrade civicinnov to read it
    """
    if not isinstance(document, dict):
        raise SerializationError(
            f"{source}: $: expected a JSON object (a portfolio document), got "
            f"{'a list' if isinstance(document, list) else type(document).__name__}"
        )
    document = _migrate(dict(document), source)
    _apply_requirements(document, source)
    body = {k: v for k, v in document.items() if k not in ("schema_version", "units", "plugins")}
    # Building tens of thousands of small frozen records triggers the cyclic garbage collector over
    # and over although none of them can form a cycle; pausing it makes large loads about a third
    # faster. It is switched back on (if it was on) whatever happens.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        portfolio = structure(body, Portfolio, converter=_converter(False), source=source)  # noqa: FBT003 - a private helper flag
        if check:
            portfolio.validate(source=source)
    finally:
        if was_enabled:
            gc.enable()
    return portfolio


def dumps_portfolio(portfolio: Portfolio, *, indent: int | None = 1) -> str:
    """Return the portfolio as JSON text (UTF-8 safe, trailing newline).

    Parameters:
        portfolio: The portfolio to write out (as :func:`to_document` describes it).
        indent: Spaces per nesting level; ``1`` by default, ``None`` for a single line.

    Returns:
        The JSON text, non-ASCII characters kept as they are, ending with a newline.

    Example:
        >>> from civicinnov.programme import Portfolio
        >>> dumps_portfolio(Portfolio(name="Demo"), indent=None)[:40]
        '{"schema_version": 2, "name": "Demo", "c'
    """
    text = json.dumps(to_document(portfolio), indent=indent, ensure_ascii=False, allow_nan=False)
    return text + "\n"


def loads_portfolio(
    data: str | bytes, *, source: str = "<string>", check: bool = True
) -> Portfolio:
    """Parse JSON text or bytes into a portfolio; see :func:`from_document`.

    Parameters:
        data: The JSON text, or its bytes (UTF-8, a byte-order mark allowed).
        source: The name that starts every error message; ``"<string>"`` by default.
        check: Whether to run the portfolio's integrity check; ``True`` by default.

    Returns:
        The portfolio the text describes.

    Raises:
        SerializationError: The bytes are not UTF-8, the text is not valid JSON (or is nested too
            deeply), or the document does not describe a portfolio.
        SchemaVersionError: The document's ``schema_version`` cannot be read by this release.
        PluginError: A plug-in the document names is not installed or fails to load.
        UnitError: A unit definition in the document's ``units`` is refused.
        IntegrityError: With ``check``, the portfolio has integrity problems (all listed).

    Example:
        >>> loads_portfolio('{"schema_version": 1, "name": "Demo", "cities": "x"}', source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.json: $.cities: expected a list, got str 'x'
    """
    return from_document(parse_json(data, source=source), source=source, check=check)


def save_portfolio(portfolio: Portfolio, path: str | os.PathLike[str]) -> None:
    """Write ``portfolio`` to ``path`` atomically; see the module docs.

    Parameters:
        portfolio: The portfolio to save.
        path: The file to write (created or replaced; a symbolic link's target is written).

    Raises:
        SerializationError: The file cannot be written (a read-only target, a directory, a
            missing parent directory or another operating-system error).

    Example:
        >>> import tempfile, pathlib
        >>> from civicinnov.programme import Portfolio
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.json"
        >>> save_portfolio(Portfolio(name="Demo"), path)
        >>> path.read_text(encoding="utf-8").startswith('{\\n "schema_version": 2')
        True
    """
    write_text_atomic(path, dumps_portfolio(portfolio))


def load_portfolio(path: str | os.PathLike[str], *, check: bool = True) -> Portfolio:
    """Read a portfolio document from ``path``; see :func:`from_document`.

    Parameters:
        path: The JSON file to read; its name starts every error message.
        check: Whether to run the portfolio's integrity check; ``True`` by default.

    Returns:
        The portfolio the file describes.

    Raises:
        SerializationError: The file cannot be read, is not UTF-8 or valid JSON, or does not
            describe a portfolio.
        SchemaVersionError: The document's ``schema_version`` cannot be read by this release.
        PluginError: A plug-in the document names is not installed or fails to load.
        UnitError: A unit definition in the document's ``units`` is refused.
        IntegrityError: With ``check``, the portfolio has integrity problems (all listed).

    Example:
        >>> load_portfolio("/nonexistent/p.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: /nonexistent/p.json: cannot read the file (No such file or directory)
    """
    source = os.fspath(path)
    return from_document(read_json(path), source=source, check=check)
