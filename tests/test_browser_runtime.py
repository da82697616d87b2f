"""The build side of the browser exercises: the widget's markup, the runtime written into a site, `quizkit.browser`."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from quizkit import browser, stdlib_on_demand
from quizkit.course import Course
from quizkit.grader import grade
from quizkit.plugin import runtime, toolchain
from quizkit.plugin.embed import EXERCISE_SCRIPTS, EXERCISE_STYLES, exercise_html
from quizkit.plugin.runtime import PAGE_PACKAGE, PYODIDE_FILES, build_id, write_runtime

if TYPE_CHECKING:
    from quizkit.model import Rules

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT / "exercises")
EXERCISE = next(iter(COURSE.exercises.values()))


# ---------------------------------------------------------------- quizkit.browser (what the worker calls)


@pytest.fixture
def loaded(rules: Rules) -> None:
    browser.load_rules(json.dumps(rules.to_data()))


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("exercise", COURSE.exercises.values(), ids=lambda e: e.id)
def test_grade_json_is_grade_as_json(exercise: object) -> None:
    for source in (exercise.solution, exercise.starter, *(w.source for w in exercise.wrong)):  # type: ignore[attr-defined]
        data = json.loads(browser.grade_json(json.dumps(exercise.to_data()), source))  # type: ignore[attr-defined]
        assert data.pop("restart") is False
        assert data == json.loads(json.dumps(grade(exercise, source, COURSE.rules).to_data(), default=str))  # type: ignore[arg-type]


@pytest.mark.usefixtures("loaded")
def test_run_json_reports_output_and_faults() -> None:
    assert json.loads(browser.run_json("print('hi')")) == {"output": "hi\n", "error": None, "status": "ran", "restart": False}
    fault = json.loads(browser.run_json("x = 1\nprint(x / 0)\n"))
    assert fault["status"] == "error"
    assert fault["error"]["line"] == 2


@pytest.mark.usefixtures("loaded")
@pytest.mark.parametrize("attack", ["import json\njson.dumps = None\njson.loads = None\n",
                                    "import random\nrandom.Random = None\n",
                                    "import sys\nsys.modules['copy'] = None\n"])
def test_learner_code_cannot_break_later_answers(attack: str) -> None:
    json.loads(browser.run_json(attack))
    assert json.loads(browser.run_json("print(1)"))["output"] == "1\n"
    data = json.loads(browser.grade_json(json.dumps(EXERCISE.to_data()), EXERCISE.solution))
    assert data["status"] == "passed"


def test_faults_of_ours_become_internal_error_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(browser._state, "rules", None)
    assert json.loads(browser.run_json("print(1)"))["status"] == "internal_error"
    assert json.loads(browser.grade_json("{not json", ""))["status"] == "internal_error"


# ---------------------------------------------------------------- the markup


def test_markup_holds_the_stable_hooks() -> None:
    markup = exercise_html(EXERCISE, rules=COURSE.rules)
    assert markup.startswith(f'<div class="quizkit-exercise" id="exercise-{EXERCISE.id}" data-exercise-id="{EXERCISE.id}"')
    for action in ("run", "check", "hint", "reset", "solution", "stop"):
        assert f'data-action="{action}"' in markup
    for role in ("output", "verdict", "runtime-status"):
        assert f'data-role="{role}"' in markup
    assert 'data-status="loading"' in markup
    assert EXERCISE_SCRIPTS == ("assets/quizkit/exercise.js",)
    assert EXERCISE_STYLES == ("assets/quizkit/exercise.css",)


def test_markup_is_one_line_and_its_data_reads_back() -> None:
    markup = exercise_html(EXERCISE)
    assert "\n" not in markup
    data = re.search(r'<script type="application/json" class="quizkit-data">(.*?)</script>', markup)
    assert data is not None
    assert json.loads(data.group(1)) == json.loads(json.dumps(EXERCISE.to_data()))


def test_markup_cannot_be_broken_by_content() -> None:
    hostile = replace(EXERCISE, title="<b>x</b>", prompt="Use `</script>` <img src=x onerror=alert(1)>",
                      starter="print('</script><script>alert(1)</script>')\n\n\n")
    markup = exercise_html(hostile, rules=COURSE.rules)
    assert markup.count("</script>") == 1, "the data's (Python starts from the page's head)"
    assert "<b>x</b>" not in markup
    assert "&#10;&#10;" in markup, "blank lines of code survive as character references"


def test_prompt_and_hints_are_rendered_markdown_with_rule_values() -> None:
    rich = replace(EXERCISE, prompt="**Basic** gets {{ plan.basic.monthly_connects }} Connects.", hints=("Try `RULES`.",))
    markup = exercise_html(rich, rules=COURSE.rules)
    assert f"<strong>Basic</strong> gets {COURSE.rules.value('plan.basic.monthly_connects')} Connects." in markup
    assert "<li hidden><p>Try <code>RULES</code>.</p></li>" in markup


# ---------------------------------------------------------------- the runtime written into a site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    write_runtime(site, COURSE.rules)
    return site / "assets" / "quizkit"


@pytest.mark.node
def test_runtime_holds_what_pages_need(site: Path) -> None:
    names = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    pyodide = {name for name in names if name.startswith("pyodide/")}
    assert pyodide == {f"pyodide/{name}" for name in (*PYODIDE_FILES, "python_stdlib.zip", "python_stdlib_full.zip",
                                                       "snapshot.bin.gz")}
    assert {"exercise.js", "exercise.css", "worker.js", "editor.js", "rules.json", PAGE_PACKAGE} <= names
    assert not [name for name in names if name.endswith(".whl")], "the page's modules, not the wheel"
    assert json.loads((site / "rules.json").read_text(encoding="utf-8")) == json.loads(json.dumps(COURSE.rules.to_data()))
    with zipfile.ZipFile(site / PAGE_PACKAGE) as archive:
        modules = set(archive.namelist())
    # What the page imports (found at build time by importing quizkit.browser), precompiled; nothing it never runs.
    assert {"quizkit/__init__.pyc", "quizkit/browser.pyc", "quizkit/grader.pyc", "quizkit/integrity.pyc",
            "quizkit/stdlib_on_demand.pyc", "quizkit/analysis.pyc"} <= modules
    assert {name for name in modules if not name.endswith(".pyc")} == {"dataclass-code.marshal"}  # page_dataclasses.py
    assert not {"quizkit/cli.pyc", "quizkit/serve.pyc", "quizkit/notebook.pyc", "quizkit/load.pyc"} & modules
    assert not [name for name in modules if name.startswith(("quizkit/plugin/", "quizkit/export/", "quizkit/assets/"))]


@pytest.mark.node
def test_pages_name_the_build_the_runtime_serves(site: Path) -> None:
    build = build_id(COURSE.rules)
    assert f'data-quizkit-build="{build}"' in exercise_html(EXERCISE, rules=COURSE.rules)
    assert f"?v={build}" in (site / "worker.js").read_text(encoding="utf-8")
    assert build in (site / "exercise.js").read_text(encoding="utf-8")
    changed = replace(COURSE.rules, data={**COURSE.rules.data, "title": "Another course"})
    assert build_id(changed) != build


@pytest.mark.node
def test_the_page_gets_a_lean_precompiled_stdlib_and_the_full_one_aside(site: Path) -> None:
    with zipfile.ZipFile(site / "pyodide" / "python_stdlib.zip") as archive:
        at_start = set(archive.namelist())
    with zipfile.ZipFile(site / PAGE_PACKAGE) as archive:
        later = {name for name in archive.namelist() if not name.startswith("quizkit/")}
    with zipfile.ZipFile(site / "pyodide" / "python_stdlib_full.zip") as archive:
        full = set(archive.namelist())
    lean = at_start | later
    assert not at_start & later
    assert "json/__init__.pyc" in lean
    assert "json/__init__.py" not in lean
    # What quizkit's grader and runner import, found by importing them at build time; what learners import.
    assert {"difflib.pyc", "traceback.pyc", "dataclasses.pyc", "codeop.pyc", "statistics.pyc", "decimal.pyc",
            "fractions.pyc", "calendar.pyc", "encodings/latin_1.pyc", "asyncio/__init__.pyc"} <= lean
    # Python's start imports only the first zip; asyncio, with what it imports, arrives with quizkit's modules.
    assert {"sitecustomize.pyc", "pyodide/__init__.pyc", "pyodide/webloop.pyc", "encodings/__init__.pyc"} <= at_start
    assert {"asyncio/__init__.pyc", "asyncio/base_events.pyc", "concurrent/futures/__init__.pyc", "statistics.pyc"} <= later
    # Pyodide's package loader waits too (sitecustomize.py), and what it imports comes later.
    assert "pyodide/_package_loader.pyc" in at_start, "a package's modules stay in its zip"
    assert {"shutil.pyc", "tempfile.pyc", "zipfile/__init__.pyc", "pathlib/__init__.pyc"} <= later
    # A package's modules are all in one zip: Python looks for them where it found the package.
    def packages(names: set[str]) -> set[str]:
        return {name.split("/")[0] for name in names if "/" in name}

    assert packages(at_start)
    assert not packages(at_start) & packages(later)
    # What neither needs comes from the full zip, the day a program imports it.
    assert not {name for name in lean if name.startswith(("xml/", "unittest/", "email/", "tkinter/"))}
    assert {"xml/dom/minidom.py", "unittest/__init__.py", "encodings/cp850.py"} <= full
    # The page's own: quizkit's import runs with page_dataclasses, and the code it serves.
    assert {"page_dataclasses.pyc", "dataclass-code.marshal"} <= later
    lean -= {"sitecustomize.pyc", "page_dataclasses.pyc", "dataclass-code.marshal"}
    assert {name[:-1] for name in lean} <= full, "every lean module is in the full zip too"
    assert (site / "pyodide" / "python_stdlib.zip").stat().st_size < 1_000_000, "what every Python start waits for"
    assert (site / PAGE_PACKAGE).stat().st_size < 1_000_000


@pytest.mark.node
def test_a_lean_start_imports_asyncio_on_first_use_with_pyodide_s_event_loop(site: Path) -> None:
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run([node, str(ROOT / "tests" / "node" / "lean_start.mjs"),
                             str(toolchain.find_node_modules() / "pyodide"), str(site / "pyodide" / "python_stdlib.zip"),
                             str(site / PAGE_PACKAGE), str(site / "rules.json")],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout)
    assert seen["atStart"] == "Deferred", "Python started without loading asyncio"
    assert seen["loaderAtStart"] == ["Deferred", "/lib/python3.14/site-packages"], "nor Pyodide's package loader"
    assert seen["unpacked"] == "unpacked", "the package loader works once loaded (pyodide.unpackArchive)"
    assert seen["loaderAfter"] == "module"
    assert seen["run"]["error"] is None
    assert seen["run"]["output"] == "WebLoop coroutine\n", "a learner's asyncio, with Pyodide's event loop"
    assert seen["awaited"] == 42
    assert (seen["loop"], seen["after"]) == ("WebLoop", "module")
    # Every dataclass quizkit makes as it is imported got the build's code; none was compiled again.
    assert seen["served"] == seen["dataclassesMade"] == len(seen["dataclassSources"]) >= 20
    assert seen["dataclassesHooked"] is False, "dataclasses is as Python made it once quizkit is imported"


def test_a_bytecode_cache_beside_the_widgets_sources_leaves_the_build_id_alone() -> None:
    # A test that imports the page's sitecustomize.py writes one; the build id then changed between two
    # builds of another test running alongside (pages re-rendered, the service worker rewritten).
    before = build_id(COURSE.rules)
    cache = toolchain.ASSETS_DIR / "build" / "__pycache__" / "quizkit-test.cpython-311.pyc"
    created = not cache.parent.exists()
    cache.parent.mkdir(exist_ok=True)
    try:
        cache.write_bytes(b"bytecode")
        assert build_id(COURSE.rules) == before
    finally:
        cache.unlink()
        if created:
            cache.parent.rmdir()


@pytest.mark.node
def test_worker_is_configured_with_versioned_urls(site: Path) -> None:
    worker = (site / "worker.js").read_text(encoding="utf-8")
    assert re.search(r"snapshot\.bin\.gz\?v=[0-9a-f]{16}", worker)
    assert "cdn.jsdelivr" not in worker


def test_a_file_s_wire_shape_follows_its_gzip_stream(tmp_path: Path) -> None:
    """The link meter counts a compressed file's bytes on the wire by its shape: a first half of zeros sends almost
    nothing of the stream, and the rest all of it."""
    uneven = tmp_path / "uneven.bin"
    uneven.write_bytes(bytes(500_000) + random.Random(1).randbytes(500_000))
    shape = runtime.wire_shape(uneven, points=4)
    assert shape[0] == 0.0
    assert shape[-1] == 1.0
    assert shape == sorted(shape)
    assert shape[2] < 0.01, "half the file, zeros: a few hundred bytes of gzip"
    assert shape[3] == pytest.approx(0.5, abs=0.02), "a quarter of random bytes: half the stream"


@pytest.mark.node
def test_the_worker_knows_how_its_large_files_compress(site: Path) -> None:
    """Pyodide's wasm sends less than its share of the stream first (its code compresses better than its data):
    counted in proportion, the link read 25 % faster than it was over the first 1.5 MB (worker.js "-choose")."""
    worker = (site / "worker.js").read_text(encoding="utf-8")
    literal = re.search(r"shapes:(\{[^}]*\})", worker).group(1)  # minified: {wasm:[0,.0467,...],...}
    shapes = json.loads(re.sub(r"([\[,])\.", r"\g<1>0.", re.sub(r"([{,])(\w+):", r'\1"\2":', literal)))
    assert set(shapes) == set(runtime.COMPRESSED_ON_THE_WIRE)
    assert shapes["wasm"] == runtime.wire_shape(site / "pyodide" / "pyodide.asm.wasm")
    assert shapes["wasm"][4] < 0.22, "a quarter of the wasm: about a fifth of its gzip stream"


@pytest.mark.node
def test_a_pyodide_url_replaces_the_copy(tmp_path: Path) -> None:
    write_runtime(tmp_path, COURSE.rules, pyodide_url="https://example.org/pyodide/v314.0.7/full")
    out = tmp_path / "assets" / "quizkit"
    assert not (out / "pyodide").exists()
    worker = (out / "worker.js").read_text(encoding="utf-8")
    assert "https://example.org/pyodide/v314.0.7/full/pyodide.mjs" in worker
    build = build_id(COURSE.rules, pyodide_url="https://example.org/pyodide/v314.0.7/full")
    assert build != build_id(COURSE.rules), "another Pyodide, another build: no page keeps the old worker"
    assert f"rules.json?v={build}" in worker
    assert (out / toolchain.wheel_name()).is_file(), "the wheel: nothing is precompiled for another host's Pyodide"


@pytest.mark.node
def test_wheel_build_is_reproducible() -> None:
    cache = toolchain.Cache.beside(toolchain.find_node_modules())
    assert toolchain.build_wheel(cache).read_bytes() == toolchain.build_wheel(cache).read_bytes()


def test_every_module_the_bundles_import_is_in_their_cache_key() -> None:
    """A module the bundles import but the key leaves out would be bundled stale after it changes."""
    sources = set(toolchain.bundle_sources())
    assert toolchain.SNAPSHOT_FORMAT in sources
    imported = set()
    for source in sources:
        for name in re.findall(r'^import [^;]*? from "(\.{1,2}/[^"]+)";', source.read_text(encoding="utf-8"), re.MULTILINE):
            imported.add((source.parent / name).resolve())
    assert toolchain.SNAPSHOT_FORMAT in imported
    assert len(imported) > 5
    assert imported <= sources, sorted(str(path) for path in imported - sources)


def test_a_cached_folder_made_twice_at_once_is_kept_once(tmp_path: Path) -> None:
    """Two builds of the same key (pytest's workers, on a cold cache) each make the folder: the second finds
    the first one's in place, with the same content. Replacing it failed with "Directory not empty"."""
    cache = toolchain.Cache(tmp_path / "cache")
    builds = []

    def make(out: Path) -> None:
        builds.append(out)
        (out / "lean").mkdir()
        (out / "lean" / "stdlib.zip").write_bytes(b"same")
        if len(builds) == 1:  # the other build finishes meanwhile
            cache.get("lean", "lean-k", make)

    target = cache.get("lean", "lean-k", make)
    assert (target / "stdlib.zip").read_bytes() == b"same"
    assert len(builds) == 2
    assert sorted(path.name for path in cache.root.iterdir()) == ["lean-k"], "no work folder left behind"


def test_the_full_zip_is_fetched_only_for_modules_it_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker gives the finder the full zip's top-level names (the runtime's config): a standard-library
    name Pyodide ships apart (`_hashlib`, which `hashlib` tries) does not download 2.5 MB to be missed."""
    holds = runtime.top_level_modules(toolchain.find_node_modules() / "pyodide" / "python_stdlib.zip")
    assert {"xml", "encodings", "hashlib", "unittest", "_colorize"} <= set(holds)
    assert not {"_hashlib", "_sqlite3", "sys"} & set(holds)
    monkeypatch.setitem(stdlib_on_demand._state, "holds", frozenset(holds))
    assert stdlib_on_demand._standard("xml.dom.minidom")
    assert stdlib_on_demand._standard("encodings.cp850")
    assert not stdlib_on_demand._standard("_hashlib")
    assert not stdlib_on_demand._standard("numpy")
    monkeypatch.setitem(stdlib_on_demand._state, "holds", None)  # a page that did not say: any standard name
    assert stdlib_on_demand._standard("_hashlib")
