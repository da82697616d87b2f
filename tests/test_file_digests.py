"""The build's file digests: remembered by stat, never stale when a file's bytes change."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

import pytest

from quizkit.plugin import file_digests

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new build process would: nothing remembered, no store."""
    monkeypatch.setattr(file_digests, "_memo", file_digests._Memo())  # the process's memo


def _unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, hashing a file's bytes fails the test: a digest must come from the memo."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was read again")
    monkeypatch.setattr(file_digests.hashlib, "file_digest", refuse)


def test_the_digest_is_the_files_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"wasm bytes")
    assert file_digests.sha256(path) == hashlib.sha256(b"wasm bytes").hexdigest()


def test_an_unchanged_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"one")
    first = file_digests.sha256(path)
    _unread(monkeypatch)
    assert file_digests.sha256(path) == first


def test_new_bytes_of_the_same_size_and_time_are_read(tmp_path: Path) -> None:
    """The change time moves on every write: a file rewritten with its old size and mtime is hashed again."""
    path = tmp_path / "rules.yml"
    path.write_bytes(b"monthly_connects: 10")
    before = path.stat()
    file_digests.sha256(path)
    path.write_bytes(b"monthly_connects: 80")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert file_digests.sha256(path) == hashlib.sha256(b"monthly_connects: 80").hexdigest()


def test_a_later_build_reuses_the_kept_digests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, store = tmp_path / "a.bin", tmp_path / "cache"
    store.mkdir()
    path.write_bytes(b"snapshot")
    file_digests.use_store(store)
    digest = file_digests.sha256(path)
    file_digests.save()
    monkeypatch.setattr(file_digests, "_memo", file_digests._Memo())  # a new process
    file_digests.use_store(store)
    _unread(monkeypatch)
    assert file_digests.sha256(path) == digest


@pytest.mark.parametrize("kept", [b"{not json", b"[1, 2]", b'{"a": 3}', b'{"a": [[1, 2], "x"]}', b"\xff\xfe"])
def test_a_damaged_store_only_costs_time(tmp_path: Path, kept: bytes) -> None:
    path, store = tmp_path / "a", tmp_path / "cache"
    store.mkdir()
    (store / file_digests.MEMO_FILE).write_bytes(kept.replace(b'"a"', f'"{path}"'.encode()))
    path.write_bytes(b"x")
    file_digests.use_store(store)
    assert file_digests.sha256(path) == hashlib.sha256(b"x").hexdigest()
    file_digests.save()
    assert str(path) in (store / file_digests.MEMO_FILE).read_text(encoding="utf-8")


def test_a_copy_is_known_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "pyodide.asm.wasm", tmp_path / "site" / "pyodide.asm.wasm"
    source.write_bytes(b"\0asm")
    file_digests.copy(source, target)
    assert target.read_bytes() == b"\0asm"
    _unread(monkeypatch)
    assert file_digests.sha256(target) == file_digests.sha256(source)
