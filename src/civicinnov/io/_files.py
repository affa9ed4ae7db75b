"""The one file layer: reading with the file name in every error, and atomic writing.

Every reader and writer of :mod:`civicinnov.io` goes through these functions, so they all behave
alike:

* **Reading.** :func:`read_bytes` raises :class:`~civicinnov.errors.SerializationError` naming the
  file for a missing file, a directory, a permission problem or any other operating-system error.
  :func:`decode_text` decodes UTF-8 (a leading byte-order mark is allowed) and names the line and
  column of a byte that is not UTF-8. :func:`parse_json` bounds the nesting depth *before* the
  parser sees the text (so no ``RecursionError`` can escape), refuses ``NaN``/``Infinity`` (not
  JSON) and reports the line and column of a syntax error.
* **Writing.** :func:`write_bytes_atomic` (and :func:`write_text_atomic`) write to a temporary file
  beside the *resolved* target (so saving through a symbolic link updates the file it points to
  and keeps the link), flush and ``fsync`` it, give it the target's permission bits, rename it over
  the target with :func:`os.replace` and ``fsync`` the directory. An interrupted or failed write
  (a full disk, a crash, ``kill -9``) leaves the old file intact, never a partial one; the
  temporary file is removed on every error this process sees. A read-only target is refused
  rather than replaced.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> write_text_atomic(path, '{"a": [1, 2]}')
    >>> read_json(path)
    {'a': [1, 2]}
    >>> parse_json("[" * 300 + "]" * 300, source="deep.json")
    Traceback (most recent call last):
    ...
    civicinnov.errors.SerializationError: deep.json: not readable JSON: nested 300 levels deep; this reader accepts at most 200
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from civicinnov.errors import SerializationError

__all__ = [
    "MAX_JSON_DEPTH",
    "decode_text",
    "json_depth",
    "parse_json",
    "read_bytes",
    "read_json",
    "write_bytes_atomic",
    "write_text_atomic",
]

#: The deepest nesting of arrays and objects :func:`parse_json` accepts by default.
MAX_JSON_DEPTH = 200

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_OPEN = frozenset(b"[{")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file; every failure is a :class:`SerializationError` naming the file.

    Parameters:
        path: The file to read.

    Returns:
        The file's whole content.

    Raises:
        SerializationError: the file is missing, is a directory, cannot be read.

    Example:
        >>> read_bytes("/nonexistent/x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: /nonexistent/x.json: cannot read the file (No such file or directory)
        >>> import tempfile
        >>> read_bytes(tempfile.gettempdir())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: ...: cannot read the file (Is a directory)
    """
    source = os.fspath(path)
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SerializationError(f"{source}: cannot read the file ({reason})") from None


def decode_text(data: bytes, *, source: str = "<bytes>") -> str:
    """Decode UTF-8 (with or without a byte-order mark), naming the line and column of a bad byte.

    Parameters:
        data: The bytes to decode.
        source: The name that starts the error message; ``"<bytes>"`` by default.

    Returns:
        The text, without a leading byte-order mark.

    Raises:
        SerializationError: bytes that are not UTF-8.

    Example:
        >>> decode_text(b"\\xef\\xbb\\xbfok")
        'ok'
        >>> decode_text(b"a\\nb\\xff", source="x.txt")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.txt:2:2: not UTF-8 text (byte 0xff at offset 3)
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SerializationError(
            f"{source}:{line}:{column}: not UTF-8 text "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings do not count).

    Linear in the length of the text, without recursion, so it is safe on any input; text that is
    not JSON gets a depth too (the parser then says what is wrong with it).

    Parameters:
        text: JSON text (or any text).

    Returns:
        The deepest nesting of ``[`` and ``{``: ``0`` for a scalar or empty text, ``1`` for a flat
        array or object.

    Example:
        >>> json_depth('{"a": [[1], "]]]"]}')
        3
    """
    if not text:
        return 0
    bare = _STRING.sub("", _ESCAPE.sub("", text))
    codes = np.frombuffer(bare.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = np.isin(codes, list(_OPEN)).astype(np.int64) - np.isin(codes, list(b"]}"))
    if step.size == 0:
        return 0
    return int(max(0, np.cumsum(step).max()))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value; write missing numbers as null")


def parse_json(
    data: bytes | str, *, source: str = "<string>", max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """Parse JSON text or UTF-8 bytes, raising :class:`SerializationError` with line and column.

    Parameters:
        data: JSON text, or its UTF-8 bytes (a byte-order mark is allowed).
        source: The name that starts every error message; ``"<string>"`` by default.
        max_depth: The deepest nesting of arrays and objects accepted; :data:`MAX_JSON_DEPTH`
            (200) by default.

    Returns:
        The parsed value, as :func:`json.loads` builds it.

    Raises:
        SerializationError: bytes that are not UTF-8, text that is not JSON, ``NaN`` or
            ``Infinity``, nesting deeper than ``max_depth``.

    Example:
        >>> parse_json(b'{"a": [1, 2]}')
        {'a': [1, 2]}
        >>> parse_json(b'{"a": \\xff}', source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.json:1:7: not UTF-8 text (byte 0xff at offset 6)
        >>> parse_json('{"a": NaN}', source="x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: x.json: not valid JSON: NaN is not a JSON value; write missing numbers as null
    """
    text = decode_text(data, source=source) if isinstance(data, bytes) else data
    # no text with fewer opening brackets than the bound can nest deeper: skip the scan then
    few = text.count("[") + text.count("{") <= max_depth
    depth = 0 if few else json_depth(text)
    if depth > max_depth:
        raise SerializationError(
            f"{source}: not readable JSON: nested {depth} levels deep; this reader accepts at "
            f"most {max_depth}"
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        ends_early = not exc.doc[exc.pos :].strip() or exc.msg.startswith("Unterminated string")
        hint = " (the text ends early; is the file truncated?)" if ends_early else ""
        raise SerializationError(
            f"{source}:{exc.lineno}:{exc.colno}: not valid JSON{hint}: {exc.msg}"
        ) from None
    except RecursionError:  # pragma: no cover - the depth bound above comes first
        raise SerializationError(f"{source}: not readable JSON: nested too deeply") from None
    except ValueError as exc:
        raise SerializationError(f"{source}: not valid JSON: {exc}") from None


def read_json(path: str | os.PathLike[str], *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Read and parse a JSON file; errors name the file. See :func:`parse_json`.

    Parameters:
        path: The JSON file to read; its name starts every error message.
        max_depth: The deepest nesting of arrays and objects accepted; :data:`MAX_JSON_DEPTH`
            (200) by default.

    Returns:
        The parsed value, as :func:`json.loads` builds it.

    Raises:
        SerializationError: as :func:`read_bytes` and :func:`parse_json`.

    Example:
        >>> read_json("/nonexistent/x.json")
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: /nonexistent/x.json: cannot read the file (No such file or directory)
    """
    return parse_json(read_bytes(path), source=os.fspath(path), max_depth=max_depth)


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; see the module docs.

    Parameters:
        path: The file to create or replace (through a symbolic link, the file it points to).
        data: The file's new content.

    Raises:
        SerializationError: the directory is missing or not writable, the target is a directory
            or a read-only file, the disk is full; the old file (if any) is left as it was.

    Example:
        >>> import os, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> (folder / "real.txt").write_text("old")
        3
        >>> os.symlink(folder / "real.txt", folder / "link.txt")
        >>> write_bytes_atomic(folder / "link.txt", b"new")
        >>> (folder / "link.txt").is_symlink(), (folder / "real.txt").read_text()
        (True, 'new')
        >>> os.chmod(folder / "real.txt", 0o444)
        >>> write_bytes_atomic(folder / "real.txt", b"newer")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        civicinnov.errors.SerializationError: ...real.txt: refusing to replace a read-only file (mode 0o444); make it writable to save over it
    """
    source = os.fspath(path)
    target = Path(os.path.realpath(path))
    try:
        current = os.stat(target)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise SerializationError(f"{source}: cannot write ({exc.strerror})") from None
    if current is not None:
        if stat.S_ISDIR(current.st_mode):
            raise SerializationError(f"{source}: cannot write (Is a directory)")
        if not current.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise SerializationError(
                f"{source}: refusing to replace a read-only file (mode "
                f"0o{stat.S_IMODE(current.st_mode):o}); make it writable to save over it"
            )
    mode = stat.S_IMODE(current.st_mode) if current is not None else _new_file_mode()
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise SerializationError(f"{source}: cannot write ({exc.strerror})") from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise SerializationError(
                f"{source}: cannot write ({exc.strerror or type(exc).__name__}); the previous "
                "file, if any, is unchanged"
            ) from None
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    # the rename is durable only once the directory entry is on disk; some file systems refuse
    # to fsync a directory, which changes nothing about the file itself
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`write_bytes_atomic`).

    Parameters:
        path: The file to create or replace (through a symbolic link, the file it points to).
        text: The file's new content, written as UTF-8.

    Raises:
        SerializationError: as :func:`write_bytes_atomic`.

    Example:
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> write_text_atomic(target, "hello\\n")
        >>> target.read_text()
        'hello\\n'
    """
    write_bytes_atomic(path, text.encode("utf-8"))
