# What a site build reuses from an earlier one: the loaded course, the exported workbooks, the service worker.
"""Keep the slow, unchanged parts of a build for the next one: `mkdocs build` again, or a `mkdocs serve` rebuild.

Each entry is named by a digest of everything it is made from (the files' bytes, the rules,
quizkit's own sources: `check_cache.code_version`), so a changed lesson, exercise, quiz or
figure is never answered from the cache, and an unchanged one is never redone:

- the course (`Course.load`: YAML read, quizzes compiled with all their variants, about 1 s),
  pickled under `<cache>/course/`, keyed by every file of the content folder and the rules;
- the workbooks exported as notebooks (jupytext, a heavy import), keyed by the same digest;
- the service worker (`sw.js`: Workbox in Node, 1-2 s), keyed by every file it lists;
- the theme's templates compiled by Jinja (`TemplateCache`), keyed by their source.

The cache is the project's build cache (`.cache/quizkit/`, beside `node_modules/`); it holds
only what this project's own build wrote, so unpickling it trusts nothing a reader supplies.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from jinja2 import BytecodeCache, FileSystemBytecodeCache

from quizkit.check_cache import code_version
from quizkit.plugin import file_digests

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jinja2.bccache import Bucket

    from quizkit.course import Course

log = logging.getLogger("mkdocs.plugins.quizkit")

_SKIPPED_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache"})


def files_digest(root: Path, *extra: Path) -> str:
    """A digest of every file under `root` (names and bytes) and of the `extra` files."""
    digest = hashlib.sha256()
    paths = sorted(path for path in root.rglob("*")
                   if path.is_file() and not _SKIPPED_PARTS.intersection(path.relative_to(root).parts)
                   and path.suffix != ".pyc")
    for path in (*paths, *extra):
        digest.update(f"{path}\0{file_digests.sha256(path)}\0".encode())
    return digest.hexdigest()


def course_key(content: Path, rules: Path) -> str:
    """What `Course.load(content, rules)` depends on: the content folder, the rules file, quizkit's sources."""
    return hashlib.sha256(f"{files_digest(content, rules)}\0{code_version()}".encode()).hexdigest()[:32]


def write_atomic(target: Path, data: bytes) -> None:
    """Write `target` so that a concurrent reader sees the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    Path(temporary).replace(target)


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object kept by `write_json`; empty if it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Keep a JSON object (atomically), with the 16 most recent of its folder; a read-only cache only costs time."""
    with contextlib.suppress(OSError):
        write_atomic(path, json.dumps(data, sort_keys=True).encode())
        prune(path.parent, "", keep=path, count=16, suffix=".json")


_loaded: dict[str, bytes] = {}
"""The last course pickled in this process, by key: a `mkdocs serve` rebuild needs no disk read."""


def load_course(folder: Path | None, key: str, load: Callable[[], Course]) -> Course:
    """`load()`, or the course an earlier build loaded from the same files (a fresh copy each time).

    Args:
        folder: Where courses are kept on disk (None: in this process only).
        key: `course_key` of the content and the rules.
        load: Loads the course (`Course.load`).
    """
    data = _loaded.get(key)
    entry = folder / f"course-{key}.pickle" if folder is not None else None
    if data is None and entry is not None:
        try:
            data = entry.read_bytes()
        except OSError:
            data = None
    if data is not None:
        try:
            course: Course = pickle.loads(data)  # noqa: S301 - written by this project's own build, keyed by its code
        except Exception:  # noqa: BLE001 - a damaged or outdated entry is only recomputed
            log.debug("quizkit: unreadable course cache entry %s", entry)
        else:
            _loaded.clear()
            _loaded[key] = data
            return course
    course = load()
    data = pickle.dumps(course, protocol=pickle.HIGHEST_PROTOCOL)
    _loaded.clear()
    _loaded[key] = data
    if entry is not None and not course.problems:
        try:
            write_atomic(entry, data)
            prune(entry.parent, "course-", keep=entry)
        except OSError:
            pass  # a read-only cache only costs time
    return course


def prune(folder: Path, prefix: str, *, keep: Path, count: int = 4, suffix: str = "") -> None:
    """Keep the `count` most recently written entries named `prefix*suffix` (and `keep`)."""
    entries = sorted(folder.glob(f"{prefix}*{suffix}"), key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[count:]:
        if stale != keep:
            stale.unlink(missing_ok=True)


STAMP = ".export.json"
"""In the workbooks' output folder: the key they were exported for, and their names."""


def export_workbooks(out_dir: Path, key: str, export: Callable[[], list[Path]]) -> list[Path]:
    """`export()`, unless `out_dir` still holds the notebooks exported for `key` (the same course and code)."""
    stamp = out_dir / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        names = [str(name) for name in recorded["names"]]
        if recorded["key"] == key and all((out_dir / name).is_file() for name in names):
            return [out_dir / name for name in names]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    written = export()
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        write_atomic(stamp, json.dumps({"key": key, "names": [path.name for path in written]}).encode())
    return written


def site_digest(site_dir: Path, left_out: Iterable[str], *inputs: bytes | str) -> str:
    """A digest of every file of a built site but `left_out` (site-relative paths), and of `inputs`."""
    skipped = set(left_out)
    digest = hashlib.sha256()
    for part in inputs:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if relative in skipped or not path.is_file():
            continue
        data = path.read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:32]


def reuse_file(folder: Path | None, key: str, target: Path, make: Callable[[], Any]) -> tuple[bool, Any]:
    """Copy the file kept for `key` to `target`, or `make()` it there and keep a copy; (reused, what make returned).

    `make`'s result must be JSON-able: it is kept beside the file and returned on reuse.
    """
    entry = folder / key if folder is not None else None
    if entry is not None:
        try:
            result = json.loads((entry / "result.json").read_text(encoding="utf-8"))
            shutil.copyfile(entry / target.name, target)
        except (OSError, ValueError):
            pass
        else:
            return True, result
    result = make()
    if entry is not None:
        try:
            write_atomic(entry / target.name, target.read_bytes())
            write_atomic(entry / "result.json", json.dumps(result).encode())  # last: it marks the entry complete
            for stale in sorted((path for path in entry.parent.iterdir() if path.is_dir()),
                                key=lambda path: path.stat().st_mtime, reverse=True)[4:]:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass
    return False, result


class TemplateCache(BytecodeCache):
    """Jinja's compiled theme templates, kept between builds: MkDocs makes a new Environment for each build.

    Compiling Material's templates is about a third of a `mkdocs serve` rebuild of this course. An entry is
    Jinja's own: keyed by the template's name and file, and used only for the same source text (Jinja
    checks a checksum of it) and the same Python (it checks its magic). Kept in this process, and under
    `folder` when given (`.cache/quizkit/templates/`).
    """

    _memory: ClassVar[dict[str, bytes]] = {}

    def __init__(self, folder: Path | None) -> None:
        self.files = FileSystemBytecodeCache(str(folder)) if folder is not None else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def load_bytecode(self, bucket: Bucket) -> None:
        """The compiled template from this process, else from the folder (Jinja drops one of another source)."""
        data = self._memory.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
            if bucket.code is not None:
                return
        if self.files is not None:
            self.files.load_bytecode(bucket)
            if bucket.code is not None:
                self._memory[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a template Jinja just compiled."""
        self._memory[bucket.key] = bucket.bytecode_to_string()
        if self.files is not None:
            with contextlib.suppress(OSError):  # a read-only cache only costs time
                self.files.dump_bytecode(bucket)
