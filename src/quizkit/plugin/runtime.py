# Writes the browser runtime into the built site: Pyodide, quizkit's page modules, rules.json, the widget's scripts.
"""What exercise pages need, under `site/assets/quizkit/`.

```
assets/quizkit/
  exercise.js exercise.css    the widget (ES module; the plugin adds it to pages with exercises)
  activity.js activity.css    the activity page's widget (same worker)
  worker.js editor.js         the Python worker and the CodeMirror editor, loaded by exercise.js
  quizkit-page.zip            the quizkit modules the page imports, as .pyc, unpacked in the worker (no micropip);
                              with `pyodide_url`, the quizkit wheel instead (quizkit-<version>-py3-none-any.whl)
  rules.json                  the plan rules the grader reads
  pyodide/                    Pyodide from node_modules (unless `pyodide_url` is set):
    pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm pyodide-lock.json
    python_stdlib.zip         the lean standard library: what starts Python and usual programs import, as .pyc
    python_stdlib_full.zip    Pyodide's own zip of the whole standard library, fetched when a program needs more
    snapshot.bin.gz           a memory snapshot of Python with quizkit imported
```

Every URL the scripts request carries `?v=<build id>` (see `build_id`), so a host may cache these files for long.
The worker's config also holds `snapshotSha256`, the SHA-256 of the unzipped snapshot: the worker checks
the copy it keeps in the origin private file system against it before every use.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from quizkit.plugin import file_digests, toolchain

if TYPE_CHECKING:
    from pathlib import Path

    from quizkit.model import Rules

PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
"""The Pyodide files a page needs, besides the standard library."""
RUNTIME_DIR = "assets/quizkit"
WASM = "pyodide/pyodide.asm.wasm"
STDLIB = "pyodide/python_stdlib.zip"
"""The lean standard library (`toolchain.lean_runtime`)."""
ASKED_FOR_BY_THE_PAGE = (WASM,)
"""The largest file of a lean start (3.5 of its 5.5 MB on the wire), and the first it needs. Where Python starts lean
(off a loopback host, or on the reader's intent), the page asks for it itself (`embed.early_start`; `runtime.js` from
the config's `ask`), before the worker can: its requests went out 0.1-0.25 s later, with the link idle meanwhile.
The worker's own request shares the HTTP cache's copy as it arrives: nothing is downloaded twice. The standard
library follows the wasm, not beside it (worker.js "one file after another")."""
PAGE_PACKAGE = "quizkit-page.zip"
"""The quizkit modules the page imports, precompiled (`toolchain.lean_runtime`); the config calls it `wheel`."""


def _copy(source: Path, target: Path) -> None:
    """Copy unless the target already holds the same bytes (keeps `mkdocs serve` rebuilds quick)."""
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and file_digests.sha256(target) == file_digests.sha256(source):
        return
    file_digests.copy(source, target)


_snapshot_hashes: dict[tuple[str, int, int], str] = {}


def snapshot_sha256(snapshot: Path) -> str:
    """The SHA-256 (hex) of the gzipped snapshot's unzipped bytes: what the worker keeps, and checks before use.

    About 0.1 s (gunzip and hash); remembered per file for `mkdocs serve` rebuilds, and beside the file
    (`<name>.sha256`, with the size and time it was worked out for) for later builds: the build cache names
    each snapshot's folder by a hash of what it is made from, so another snapshot is another file.
    """
    stat = snapshot.stat()
    key = (str(snapshot), stat.st_mtime_ns, stat.st_size)
    if key not in _snapshot_hashes:
        sidecar = snapshot.with_name(snapshot.name + ".sha256")
        stamp = f"{stat.st_mtime_ns} {stat.st_size} "
        try:
            kept = sidecar.read_text(encoding="ascii")
        except OSError:
            kept = ""
        if kept.startswith(stamp) and len(kept) == len(stamp) + 64:
            _snapshot_hashes[key] = kept[len(stamp):]
        else:
            _snapshot_hashes[key] = hashlib.sha256(gzip.decompress(snapshot.read_bytes())).hexdigest()
            with contextlib.suppress(OSError):  # a read-only cache only costs time
                sidecar.write_text(stamp + _snapshot_hashes[key], encoding="ascii")
    return _snapshot_hashes[key]


def top_level_modules(archive: Path) -> list[str]:
    """The top-level module and package names a zip of Python files holds (`abc.py`, `email/...`).

    Remembered per file, as `snapshot_sha256` is: reading the names of Pyodide's 2.5 MB zip took 7-9 ms,
    which every `mkdocs serve` rebuild would otherwise pay for the same file.
    """
    stat = archive.stat()
    return list(_top_level_modules(str(archive), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _top_level_modules(archive: str, mtime_ns: int, size: int) -> tuple[str, ...]:  # noqa: ARG001 - the cache's key
    with zipfile.ZipFile(archive) as zipped:
        names = {PurePosixPath(name).parts[0] for name in zipped.namelist()}
    return tuple(sorted({name.removesuffix(".pyc").removesuffix(".py") for name in names
                         if "." not in name or name.endswith((".py", ".pyc"))}))


def _write_pyodide(out: Path, cache: toolchain.Cache, node_modules: Path, wheel: Path) -> dict[str, Any]:
    """Copy Pyodide and make the fast-start files; the worker's config for them."""
    pyodide = node_modules / "pyodide"
    for name in PYODIDE_FILES:
        _copy(pyodide / name, out / "pyodide" / name)
    lean = toolchain.lean_runtime(cache, node_modules, wheel)
    _copy(lean / "stdlib.zip", out / STDLIB)
    _copy(pyodide / "python_stdlib.zip", out / "pyodide" / "python_stdlib_full.zip")
    _copy(lean / PAGE_PACKAGE, out / PAGE_PACKAGE)
    snapshot = toolchain.memory_snapshot(cache, node_modules, lean / "stdlib.zip", lean / PAGE_PACKAGE)
    _copy(snapshot, out / "pyodide" / "snapshot.bin.gz")
    return {
        "pyodide": "pyodide/pyodide.mjs",
        "indexURL": "pyodide/",
        "asm": "pyodide/pyodide.asm.mjs",
        "wasm": WASM,
        "lock": "pyodide/pyodide-lock.json",
        "stdlib": STDLIB,
        "stdlibFull": "pyodide/python_stdlib_full.zip",
        "stdlibFullHolds": top_level_modules(pyodide / "python_stdlib.zip"),
        "snapshot": "pyodide/snapshot.bin.gz",
        "snapshotSha256": snapshot_sha256(snapshot),
        "wheel": PAGE_PACKAGE,
    }


WIRE_SHAPE_POINTS = 16
"""Points of a file's wire shape (`wire_shape`): its sixteenths."""
COMPRESSED_ON_THE_WIRE = ("wasm", "asm", "lock")
"""Config keys of the large files a host gzips (wasm, JavaScript, JSON; not the zips): those the link meter sizes."""


def wire_shape(path: Path, points: int = WIRE_SHAPE_POINTS) -> list[float]:
    """How much of the file's gzip stream has been sent once each `points`-th of the file has been read.

    The link meter (worker.js, link-meter.js) sees a compressed file decoded, and counts its bytes on the wire
    as the answer's Content-Length in proportion. But files do not compress evenly: the first quarter of
    Pyodide's wasm (its code) takes 0.30 MB of gzip where a proportion says 0.39, so a 50 Mbit/s link read
    about 62 on its first 1.5 MB, and now and then 80 or more, enough to download the memory snapshot. With
    this shape (gzip level 6, what hosts use; another compressor's differs by little), the share is read off
    the curve. `shape[i]` is the share sent after `i / points` of the file: 0 at first, 1 at the end.
    """
    data = path.read_bytes()
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    sent, shape = 0, [0.0]
    for i in range(1, points + 1):
        sent += len(compressor.compress(data[(i - 1) * len(data) // points:i * len(data) // points]))
        shape.append(sent + len(compressor.copy().flush(zlib.Z_SYNC_FLUSH)))
    total = sent + len(compressor.flush())
    return [round(min(1.0, at / total), 4) for at in shape[:-1]] + [1.0]


def _wire_shapes(out: Path, config: dict[str, Any], cache: toolchain.Cache) -> dict[str, list[float]]:
    """`wire_shape` of each large compressed file, kept in the build cache by the file's contents (0.3 s to make)."""
    shapes = {}
    for key in COMPRESSED_ON_THE_WIRE:
        path = out / config[key].split("?", 1)[0]

        def make(folder: Path, path: Path = path) -> None:
            (folder / "shape.json").write_text(json.dumps(wire_shape(path)), encoding="utf-8")

        key_digest = "shape-" + toolchain.digest(file_digests.sha256(path), str(WIRE_SHAPE_POINTS), "gzip-6")
        shapes[key] = json.loads(cache.get("shape.json", key_digest, make).read_text(encoding="utf-8"))
    return shapes


VERSIONED = frozenset({"pyodide", "asm", "wasm", "lock", "stdlib", "stdlibFull", "snapshot"})
"""Config entries that are URLs of files the site serves (with `?v=`); `indexURL` is a folder."""
SCRIPTS = ("exercise.js", "worker.js", "editor.js", "activity.js")
STYLES = ("exercise.css", "activity.css")
WIDGETS = ("exercise.js", "activity.js", *STYLES)
"""The widgets themselves (28 KB gzipped): kept with the course, so that offline, before Python ever ran in this
browser, an exercise still mounts, shows its code, hints and Reset, and says Python is missing (session 33: it
showed its markup unstyled, every button off, and "it needs JavaScript")."""


@dataclass(frozen=True)
class RuntimeFiles:
    """What `write_runtime` wrote, for the service worker (site-relative paths)."""

    paths: tuple[str, ...]
    """The runtime's files that are not precached with the course (pages without Python never fetch them)."""
    widgets: dict[str, str]
    """The widgets' files, precached with the course: site-relative path -> the `v` pages ask for them with."""
    kept: tuple[str, ...]
    """URLs (with `?v=`) the service worker keeps once a page has used Python. Not the memory snapshot:
    the worker keeps its own copy, unzipped (see worker.js)."""


_build_ids: dict[tuple[object, ...], str] = {}


def build_id(rules: Rules, *, pyodide_url: str = "") -> str:
    """The version of the runtime a site build writes: a hash of everything the runtime is made from.

    The quizkit sources, the widgets' sources, `package-lock.json` (Pyodide, CodeMirror) and the
    rules; not bytecode caches (importing the page's `sitecustomize.py` in a test writes one beside
    it). Every URL of the runtime carries it (`?v=<build id>`), and so does each exercise's markup:
    a page then asks for its own build's files even while the browser still holds an `exercise.js`
    of an earlier build. A `pyodide_url` option is part of it too (the worker's config holds it).
    """
    project = toolchain.PACKAGE_DIR.parent.parent
    files = [*toolchain._package_files(),  # noqa: SLF001 - the wheel's own file list
             *(path for folder in (toolchain.ASSETS_DIR, toolchain.ACTIVITY_DIR) if folder.is_dir()
               for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts),
             *(path for path in (project / "package-lock.json",) if path.is_file())]
    rules_text = json.dumps(rules.to_data(), ensure_ascii=False, sort_keys=True)
    key = (rules_text, pyodide_url, *sorted((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files))
    if key not in _build_ids:
        _build_ids.clear()
        _build_ids[key] = toolchain.digest(toolchain.tree_digest(project, files), rules_text,
                                           *([f"pyodide_url={pyodide_url}"] if pyodide_url else []))
    return _build_ids[key]


def write_runtime(site_dir: Path, rules: Rules, *, pyodide_url: str = "") -> RuntimeFiles:
    """Write what exercise pages need under `site_dir/assets/quizkit/`.

    Args:
        site_dir: The built site.
        rules: The plan rules, written as `rules.json` for the grader in the browser.
        pyodide_url: Load Pyodide from this URL (a folder holding `pyodide.mjs`, e.g. a CDN)
            instead of serving it from the site. It must be Pyodide 314: the wheel runs on its Python.

    Returns:
        The files written and the URLs a service worker may keep for offline use.

    Raises:
        RuntimeBuildError: A tool is missing or failed; the message says what to do.
    """
    node_modules = toolchain.find_node_modules()
    cache = toolchain.Cache.beside(node_modules)
    out = site_dir / RUNTIME_DIR
    out.mkdir(parents=True, exist_ok=True)

    rules_json = out / "rules.json"
    rules_json.write_text(json.dumps(rules.to_data(), ensure_ascii=False, sort_keys=True), encoding="utf-8")
    wheel = toolchain.build_wheel(cache)

    if pyodide_url:
        base = pyodide_url if pyodide_url.endswith("/") else pyodide_url + "/"
        stale = out / "pyodide"
        if stale.is_dir():
            shutil.rmtree(stale)
        # Another host's Pyodide: no precompiled files made with it here; the page installs the wheel.
        config: dict[str, Any] = {"pyodide": base + "pyodide.mjs", "indexURL": base, "stdlib": "", "snapshot": "",
                                  "wheel": toolchain.wheel_name()}
        _copy(wheel, out / config["wheel"])
    else:
        config = _write_pyodide(out, cache, node_modules, wheel)

    build = build_id(rules, pyodide_url=pyodide_url)
    version = f"?v={build}"
    served = {key: value for key, value in config.items() if value and key in VERSIONED and not pyodide_url}
    config |= {key: value + version for key, value in served.items()}
    config["ask"] = [config[key] for key in served if config[key].split("?", 1)[0] in ASKED_FOR_BY_THE_PAGE]
    package = config["wheel"]
    config |= {"wheel": package + version, "rules": "rules.json" + version, "build": build}
    # Bytes of each file the worker fetches: the page says how much Python costs, the bar follows bytes.
    # (Not the full standard library: fetched only when a program imports a module the lean zip leaves out.)
    config["sizes"] = {key: (out / config[key].split("?", 1)[0]).stat().st_size for key in (*served, "wheel", "rules")
                       if key != "stdlibFull"}
    if served:
        config["shapes"] = _wire_shapes(out, config, cache)
    bundle = toolchain.bundle_scripts(cache, node_modules, {"QUIZKIT_CONFIG": config, "QUIZKIT_BUILD": build})
    for name in SCRIPTS:
        _copy(bundle / name, out / name)
    _copy(toolchain.ASSETS_DIR / "exercise.css", out / "exercise.css")
    _copy(toolchain.ACTIVITY_DIR / "activity.css", out / "activity.css")

    files = [name for name in (*SCRIPTS, *STYLES, package, "rules.json", *served.values()) if name not in WIDGETS]
    kept = [name for name in files if name != served.get("snapshot")]
    return RuntimeFiles(paths=tuple(f"{RUNTIME_DIR}/{name}" for name in files),
                        widgets={f"{RUNTIME_DIR}/{name}": build for name in WIDGETS},
                        kept=tuple(f"{RUNTIME_DIR}/{name}{version}" for name in kept))
