# SHA-256 of files, remembered by their stat: a warm build reads an unchanged file for no cache key.
"""The digests the build's cache keys are made of, read once per changed file rather than once per key and build.

Every build keys what it keeps (the course, the wheel, the lean runtime, the memory snapshot, the wire shapes,
the build id) by the bytes those are made of: about 30 MB, Pyodide's wasm among them, several files hashed for
more than one key. A file whose path, size, modification time, change time and inode are all as they were when
it was hashed has the same bytes (the change time moves on every write and no tool can set it back), so its
digest is remembered, in this process and in the build cache (`file-digests.json`) for the next build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MEMO_FILE = "file-digests.json"
KEEP = 4096
"""Digests kept in the build cache: the most recently used (a course and its runtime use about 700)."""

_Stamp = tuple[int, int, int, int]
_STAMP_FIELDS = 4


def _stamp(path: Path) -> _Stamp:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


class _Memo:
    """Path -> (stamp, digest), most recently used last; and where it is kept between builds."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[_Stamp, str]] = {}
        self.store: Path | None = None
        self.changed = False

    def use_store(self, folder: Path | None) -> None:
        if folder == self.store:
            return
        self.store = folder
        if folder is None:
            return
        try:
            kept = json.loads((folder / MEMO_FILE).read_text(encoding="utf-8"))
            entries = {str(path): (tuple(stamp), str(digest)) for path, (stamp, digest) in kept.items()
                       if len(stamp) == _STAMP_FIELDS}
        except (OSError, ValueError, TypeError, AttributeError):  # missing or damaged: it only costs time
            return
        for path, entry in entries.items():
            self.entries.setdefault(path, entry)  # type: ignore[arg-type]

    def sha256(self, path: Path) -> str:
        key, stamp = str(path), _stamp(path)
        kept = self.entries.pop(key, None)
        if kept is not None and kept[0] == stamp:
            self.entries[key] = kept  # last: most recently used
            return kept[1]
        with path.open("rb") as source:
            digest = hashlib.file_digest(source, "sha256").hexdigest()
        self.remember(path, stamp, digest)
        return digest

    def remember(self, path: Path, stamp: _Stamp, digest: str) -> None:
        self.entries[str(path)], self.changed = (stamp, digest), True

    def save(self) -> None:
        if self.store is None or not self.changed:
            return
        from quizkit.plugin.build_cache import write_atomic  # noqa: PLC0415 - build_cache imports this module

        recent = dict(list(self.entries.items())[-KEEP:])
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            write_atomic(self.store / MEMO_FILE, json.dumps(recent).encode())
            self.changed = False


_memo = _Memo()
"""One per process, as the build cache is one per project."""


def use_store(folder: Path | None) -> None:
    """Remember digests in `folder` (the build cache) across builds; None: in this process only."""
    _memo.use_store(folder)


def sha256(path: Path) -> str:
    """The hex SHA-256 of the file's bytes."""
    return _memo.sha256(path)


def copy(source: Path, target: Path) -> None:
    """Copy `source` to `target` and remember the copy's digest as the source's: the copy is not read again."""
    digest = _memo.sha256(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    _memo.remember(target, _stamp(target), digest)


def save() -> None:
    """Write the remembered digests to the store (atomically), if any is new."""
    _memo.save()
