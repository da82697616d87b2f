# Build-time tools of the browser runtime: the quizkit wheel, esbuild bundles, Node steps, a content cache.
"""Everything here runs offline with what `make` installed: pip, Node and node_modules.

Outputs are cached under `.cache/quizkit/` beside `node_modules/`, keyed by a hash
of their inputs, so a rebuild (`mkdocs serve`) only redoes what changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from quizkit.errors import QuizkitError
from quizkit.load import DEFAULT_RULES, load_rules
from quizkit.plugin import file_digests

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""`src/quizkit`: the package the wheel is built from."""
ASSETS_DIR = PACKAGE_DIR / "assets" / "exercise"
ACTIVITY_DIR = PACKAGE_DIR / "assets" / "activity"
"""The activity page's widget: bundled with the exercise runtime, whose worker it uses."""
SNAPSHOT_FORMAT = ASSETS_DIR / "snapshot-format.mjs"
"""The memory snapshot's stored format: the build writes it, the worker reads it."""
SOURCE_DATE_EPOCH = "315532800"
"""1980-01-01: the earliest date a zip (wheel) can hold; fixed so wheels are reproducible."""
_COMMAND_TIMEOUT_S = 300


class RuntimeBuildError(QuizkitError):
    """The browser runtime could not be built; the message says what to do."""


def find_node_modules() -> Path:
    """`node_modules/` of the project (`QUIZKIT_NODE_MODULES` overrides the search)."""
    candidates = [Path(os.environ["QUIZKIT_NODE_MODULES"])] if os.environ.get("QUIZKIT_NODE_MODULES") else []
    candidates += [PACKAGE_DIR.parent.parent / "node_modules", Path.cwd() / "node_modules"]
    for candidate in candidates:
        if (candidate / "pyodide" / "pyodide.mjs").is_file():
            return candidate.resolve()
    raise RuntimeBuildError("node_modules/ with pyodide not found: run `npm ci` in the project (`make site` does it)")


def node_executable() -> str:
    """The `node` command, or a clear error."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError("Node.js is needed to build the exercise runtime: install `node` (>= 18)")
    return node


def digest(*parts: bytes | str) -> str:
    """A short hex hash of some inputs."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()[:16]


def tree_digest(root: Path, paths: Iterable[Path]) -> str:
    """Hash of files (names relative to `root`, and contents)."""
    parts: list[bytes | str] = []
    for path in sorted(paths):
        parts += [path.relative_to(root).as_posix(), file_digests.sha256(path)]
    return digest(*parts)


def run(command: list[str], *, what: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
    """Run a build command; a failure becomes a `RuntimeBuildError` with its output."""
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=cwd,  # noqa: S603 - our own tools
                       timeout=_COMMAND_TIMEOUT_S)
    except subprocess.CalledProcessError as exc:
        output = (exc.stderr or exc.stdout or "").strip()[-3000:]
        raise RuntimeBuildError(f"{what} failed:\n{output}") from None
    except subprocess.TimeoutExpired:
        raise RuntimeBuildError(f"{what} took more than {_COMMAND_TIMEOUT_S} s") from None


class Cache:
    """A folder of build outputs named by the hash of their inputs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def beside(cls, node_modules: Path) -> Cache:
        """The project's cache: `.cache/quizkit/` next to `node_modules/` (`QUIZKIT_CACHE` overrides it)."""
        override = os.environ.get("QUIZKIT_CACHE")
        return cls(Path(override) if override else node_modules.parent / ".cache" / "quizkit")

    KEEP = 3
    """Entries kept per kind (`wheel-`, `snapshot-`, ...): the most recently used ones."""

    def get(self, name: str, key: str, make: Callable[[Path], None]) -> Path:
        """The cached `name` for `key`, made by `make(folder)` (which writes `folder/name`) when missing."""
        folder = self.root / key
        target = folder / name
        if target.exists():
            folder.touch()
            return target
        self._make(folder, target, key, make)
        self._prune(key.partition("-")[0])
        return target

    def _prune(self, kind: str) -> None:
        entries = [path for path in self.root.glob(f"{kind}-*") if path.is_dir() and "." not in path.name]
        for stale in sorted(entries, key=lambda path: path.stat().st_mtime, reverse=True)[self.KEEP:]:
            shutil.rmtree(stale, ignore_errors=True)

    def _make(self, folder: Path, target: Path, key: str, make: Callable[[Path], None]) -> None:
        name = target.name
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=self.root))
        try:
            make(work)
            if not (work / name).exists():
                raise RuntimeBuildError(f"building {name} produced nothing")
            folder.mkdir(exist_ok=True)
            try:
                (work / name).replace(target)  # atomic: concurrent builds end with the same file
            except OSError:
                # A folder cannot replace one that is not empty: a concurrent build of the same key made it first.
                if not target.is_dir():
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- the wheel


def _package_files() -> list[Path]:
    """The package's files the wheel holds: not the browser's sources (`assets/`) nor bytecode.

    A walk rather than `rglob`, which took 5-8 ms of every build (it is asked for by the wheel and the build id).
    """
    skip = {"__pycache__", "assets"}
    files = []
    for folder, folders, names in os.walk(PACKAGE_DIR):
        folders[:] = [name for name in folders if name not in skip]
        files += [Path(folder, name) for name in names if name not in skip and not name.endswith(".pyc")]
    return files


def build_wheel(cache: Cache) -> Path:
    """The quizkit wheel (`py3-none-any`), built offline with `pip wheel` from a clean copy of the sources.

    pyodide-build cannot run offline (it downloads a cross-build environment), and a
    pure-Python wheel needs none: Pyodide installs it with `unpackArchive`.
    """
    project = PACKAGE_DIR.parent.parent
    pyproject = project / "pyproject.toml"
    if not pyproject.is_file():
        raise RuntimeBuildError(f"cannot build the quizkit wheel: {pyproject} not found (install quizkit from its sources)")
    files = _package_files()
    key = "wheel-" + digest(file_digests.sha256(pyproject), tree_digest(PACKAGE_DIR, files))

    def make(out: Path) -> None:
        source = out / "src-copy"
        for path in files:
            target = source / "src" / "quizkit" / path.relative_to(PACKAGE_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        shutil.copyfile(pyproject, source / "pyproject.toml")
        readme = project / "README.md"
        readme_text = readme.read_text(encoding="utf-8") if readme.is_file() else "quizkit\n"
        (source / "README.md").write_text(readme_text, encoding="utf-8")
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(out), str(source)],
            what="building the quizkit wheel (pip wheel)", env=env)
        (wheel,) = out.glob("quizkit-*.whl")
        wheel.rename(out / "quizkit.whl")

    return cache.get("quizkit.whl", key, make)


def wheel_name() -> str:
    """The standard file name of the wheel, from the installed version."""
    from importlib.metadata import version  # noqa: PLC0415 - build time only

    return f"quizkit-{version('quizkit')}-py3-none-any.whl"


# ---------------------------------------------------------------- JavaScript


def bundle_sources() -> list[Path]:
    """The files the bundles are made from: the exercise runtime's modules and the activity's.

    Their bytes are the bundles' cache key, so a module missing here (the worker's snapshot-format.mjs is
    not a `.js`) would leave a stale bundle.
    """
    return sorted([*ASSETS_DIR.glob("*.js"), *ASSETS_DIR.glob("*.mjs"), *ACTIVITY_DIR.glob("*.js")])


def bundle_scripts(cache: Cache, node_modules: Path, defines: dict[str, object]) -> Path:
    """Bundle (esbuild) the widget, the worker and the editor (CodeMirror) into a cached folder.

    Returns:
        A folder holding `exercise.js`, `worker.js`, `editor.js` and `activity.js` (ES modules).
    """
    esbuild = node_modules / ".bin" / "esbuild"
    if not esbuild.exists():
        raise RuntimeBuildError("esbuild not found in node_modules/.bin: run `npm ci` (`make site` does it)")
    lock = node_modules.parent / "package-lock.json"
    define_args = [f"--define:{name}={json.dumps(value, sort_keys=True)}" for name, value in sorted(defines.items())]
    key = "js-" + digest(tree_digest(PACKAGE_DIR, bundle_sources()), file_digests.sha256(lock) if lock.is_file() else "",
                         *define_args)

    def make(out: Path) -> None:
        bundle = out / "bundle"
        entries = [f"{name}={ASSETS_DIR / name}.js" for name in ("exercise", "worker", "editor")]
        entries.append(f"activity={ACTIVITY_DIR / 'activity.js'}")  # named entries: all land in `bundle/`
        run([str(esbuild), *entries, "--bundle", "--format=esm", "--minify", "--target=es2022", "--legal-comments=none",
             "--log-level=error", f"--outdir={bundle}", *define_args],
            what="bundling the exercise scripts (esbuild)", env={**os.environ, "NODE_PATH": str(node_modules)})

    return cache.get("bundle", key, make)


def pyodide_version(node_modules: Path) -> str:
    """The version of the npm package `pyodide`."""
    data = json.loads((node_modules / "pyodide" / "package.json").read_text(encoding="utf-8"))
    return str(data["version"])


def _warm_up_rules() -> bytes:
    """The rules quizkit ships, as the Node steps warm up under (JSON); parsed once per file version."""
    return _rules_json(file_digests.sha256(DEFAULT_RULES))


@functools.lru_cache(maxsize=2)
def _rules_json(rules_sha256: str) -> bytes:  # noqa: ARG001 - the cache's key
    return json.dumps(load_rules().to_data(), ensure_ascii=False, sort_keys=True).encode()


def lean_runtime(cache: Cache, node_modules: Path, wheel: Path) -> Path:
    """A folder with what the page's Python imports, precompiled to `.pyc` by Pyodide itself (in Node).

    `stdlib.zip`: what Python's start imports from the standard library, asyncio left for first use
    (`lazy_asyncio`): 0.8 MB. `quizkit-page.zip`: the quizkit modules the page imports, and the rest of
    the standard library that quizkit and a learner's usual program import (0.7 MB); it arrives while
    Python starts. All of the standard library precompiled is 4.5 MB; the rest comes from Pyodide's own zip
    when a program needs it (`quizkit.stdlib_on_demand`). Python starts about 2x faster from `.pyc`. What
    is imported is found by starting Python, then importing and warming quizkit up, so both depend on the wheel.
    """
    from quizkit.plugin import lazy_asyncio  # noqa: PLC0415 - it imports this module

    script = ASSETS_DIR / "build" / "prepare-runtime.mjs"
    warm_up_rules = _warm_up_rules()
    key = "lean-" + digest(pyodide_version(node_modules), script.read_bytes(), *(m.read_bytes() for m in lazy_asyncio.ADDED),
                           Path(lazy_asyncio.__file__).read_bytes(), file_digests.sha256(wheel), warm_up_rules)

    def make(out: Path) -> None:
        rules_json = out / "warm-up-rules.json"
        rules_json.write_bytes(warm_up_rules)
        stdlib = out / "python_stdlib_deferring.zip"
        lazy_asyncio.write_deferring_stdlib(node_modules / "pyodide" / "python_stdlib.zip", stdlib)
        run([node_executable(), str(script), "stdlib", str(node_modules / "pyodide"), str(stdlib), str(wheel),
             str(rules_json), str(out / "lean")],
            what="precompiling the Python standard library and quizkit (Node + Pyodide)")
        stdlib.unlink()

    return cache.get("lean", key, make)


def memory_snapshot(cache: Cache, node_modules: Path, stdlib: Path, package: Path) -> Path:
    """A gzipped memory snapshot of Pyodide with quizkit imported, made in Node: Python starts about 4x faster.

    Warmed up under the rules quizkit ships, not the course's: the worker loads the course's rules after every
    start (`load_rules`), so one snapshot serves every course with its own rules file (a new snapshot takes
    about 3 s to make). A change to the rules quizkit ships changes the wheel, and so the snapshot.
    """
    script = ASSETS_DIR / "build" / "prepare-runtime.mjs"
    warm_up_rules = _warm_up_rules()
    key = "snapshot-" + digest(pyodide_version(node_modules), script.read_bytes(), SNAPSHOT_FORMAT.read_bytes(),
                               file_digests.sha256(stdlib), file_digests.sha256(package), warm_up_rules)

    def make(out: Path) -> None:
        rules_json = out / "warm-up-rules.json"
        rules_json.write_bytes(warm_up_rules)
        run([node_executable(), str(script), "snapshot", str(node_modules / "pyodide"), str(stdlib), str(package),
             str(rules_json), str(out / "snapshot.bin.gz")],
            what="making the Python memory snapshot (Node + Pyodide)")

    return cache.get("snapshot.bin.gz", key, make)
