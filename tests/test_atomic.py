"""Atomic output (design: nothing half-written): the target appears complete or not at all,
with ordinary permissions; an exception leaves no file and no temporary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from darkmoments import atomic
from darkmoments.atomic import atomic_path, write_text


def test_write_is_complete_and_has_umask_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "out.txt", "hello")
    finally:
        os.umask(umask)
    assert path.read_text() == "hello"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_exception_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "out.bin") as tmp:
        tmp.write_bytes(b"partial")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_or_missing_directory_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        write_text(tmp_path / "missing" / "x.txt", "x")


def test_directory_writable_by_mode_but_not_in_fact(tmp_path: Path, monkeypatch) -> None:
    """Root under /proc or a read-only mount: os.access says writable, creating a file fails.
    Both checks must try, and answer with a ValueError naming the path (CLI: exit 2)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ValueError, match=r"out = .* directory is not writable"):
        atomic.check_destination(tmp_path / "x.txt", what="out")
    with pytest.raises(ValueError, match=r"--out = .* files can be created"):
        atomic.make_directory(tmp_path / "new", what="--out")


def test_make_directory_refuses_a_file_and_an_uncreatable_path(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match=r"it is a file, allowed a directory"):
        atomic.make_directory(tmp_path / "f")
    with pytest.raises(ValueError, match=r"allowed a directory that can be created"):
        atomic.make_directory(tmp_path / "f" / "sub")
    assert atomic.make_directory(tmp_path / "a" / "b").is_dir()
