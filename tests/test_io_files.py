"""The one file layer: readers name the file, writers are atomic and durable."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from civicinnov.errors import SerializationError
from civicinnov.io._files import (
    json_depth,
    parse_json,
    read_bytes,
    write_bytes_atomic,
    write_text_atomic,
)
from civicinnov.io.json import load_portfolio, save_portfolio
from civicinnov.programme import Portfolio


def test_the_directory_is_synced_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_text_atomic(tmp_path / "a.txt", "hello")
    assert events == ["fsync file", "replace", "fsync dir"]


def test_portfolio_saves_go_through_the_file_layer(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    save_portfolio(Portfolio(name="Old"), real)
    os.chmod(real, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_portfolio(Portfolio(name="New"), link)
    assert link.is_symlink()
    assert load_portfolio(real).name == "New"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    os.chmod(real, 0o400)
    with pytest.raises(SerializationError, match="refusing to replace a read-only file"):
        save_portfolio(Portfolio(name="Newer"), link)
    assert load_portfolio(real).name == "New"


def test_a_new_file_gets_the_default_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_bytes_atomic(tmp_path / "b.bin", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "b.bin").stat().st_mode) == 0o644


def test_writing_over_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(SerializationError, match=r"d: cannot write \(Is a directory\)"):
        write_text_atomic(tmp_path / "d", "x")


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SerializationError, match=r"nope\.json: cannot read the file"):
        read_bytes(tmp_path / "nope.json")
    with pytest.raises(SerializationError, match="Is a directory"):
        read_bytes(tmp_path)


def test_depth_ignores_brackets_in_strings_and_escapes() -> None:
    assert json_depth('["[[[", "\\\\", "\\"[["]') == 1
    assert json_depth("") == 0
    assert json_depth('{"a": {"b": [1, {"c": []}]}}') == 5


def test_depth_is_bounded_before_parsing_without_recursion_errors() -> None:
    with pytest.raises(SerializationError, match="nested 100000 levels deep"):
        parse_json("[" * 100_000 + "]" * 100_000, source="x")
    assert parse_json("[" * 200 + "]" * 200, source="x") is not None
    with pytest.raises(SerializationError, match="at most 3"):
        parse_json("[[[[]]]]", source="x", max_depth=3)


@given(st.text(alphabet='[]{}"\\ab,:1', max_size=60))
def test_depth_never_fails_and_parse_raises_only_serialization_errors(text: str) -> None:
    assert json_depth(text) >= 0
    with contextlib.suppress(SerializationError):
        parse_json(text, source="fuzz")
