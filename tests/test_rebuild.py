# Rebuilds reuse what did not change and redo what did: `mkdocs serve` rebuilds and later `mkdocs build`s.
"""The plugin keeps the slow parts of a build (`quizkit.plugin.build_cache`): the loaded course, the content
check, the exported workbooks, the service worker, the compiled theme templates. These tests build copies
of `tests/fixtures/course` twice, with one thing changed in between, and check both halves of the promise:
the change IS in the rebuilt site, and what it does not touch is reused, not redone.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from quizkit.course import Course
from quizkit.load import DEFAULT_RULES, load_rules
from quizkit.plugin import build_cache, embed, plugin, toolchain, workbook_pages
from quizkit.plugin.runtime import build_id
from tests.test_plugin import copy_course, quizzes_in

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
SERVE_URL = "http://127.0.0.1:8000/"


class Counts:
    """How often the slow steps ran: loading the course, checking it, writing the service worker."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loads = 0
        self.checks = 0
        self.service_workers = 0
        load, check, run = Course.load.__func__, plugin.check_course, toolchain.run  # type: ignore[attr-defined]

        def counted_load(cls: type[Course], *args: Any, **kwargs: Any) -> Course:
            self.loads += 1
            return load(cls, *args, **kwargs)  # type: ignore[no-any-return]

        def counted_check(*args: Any, **kwargs: Any) -> Any:
            self.checks += 1
            return check(*args, **kwargs)

        def counted_run(command: list[str], **kwargs: Any) -> None:
            self.service_workers += any(part.endswith("build-sw.mjs") for part in command)
            run(command, **kwargs)

        monkeypatch.setattr(Course, "load", classmethod(counted_load))
        monkeypatch.setattr(plugin, "check_course", counted_check)
        monkeypatch.setattr(toolchain, "run", counted_run)

    def reset(self) -> None:
        self.loads = self.checks = self.service_workers = 0


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counts:
    return Counts(monkeypatch)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return copy_course(tmp_path)


@pytest.fixture
def serve(course: Path, tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """Build like `mkdocs serve` does: the plugin started once for `serve`, a fresh config for every rebuild."""
    config_file, site = str(course / "mkdocs.yml"), tmp_path / "site"
    first = load_config(config_file, site_dir=str(site), strict=True)
    first.plugins.on_startup(command="serve", dirty=False)

    def rebuild() -> Path:
        build(load_config(config_file, site_dir=str(site), strict=True), serve_url=SERVE_URL, dirty=False)
        return site

    try:
        yield rebuild
    finally:
        first.plugins.on_shutdown()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- under `mkdocs serve`


def test_an_edited_lesson_is_rebuilt_and_the_course_is_reused(course: Path, serve: Callable[[], Path], counts: Counts) -> None:
    site = serve()
    assert "Basic gives 10 Connects, Plus 100." in page(site, "lessons/plans")
    counts.reset()
    edit(course / "docs" / "lessons" / "plans.md", "## Buying Connects", "A new sentence.\n\n## Buying Connects")
    site = serve()
    assert "<p>A new sentence.</p>" in page(site, "lessons/plans")
    assert counts.loads == 0, "the course (exercises, quizzes, rules) did not change: it is not loaded again"
    assert counts.checks == 1, "a lesson is checked for typed figures: the check runs again"
    counts.reset()
    serve()
    assert (counts.loads, counts.checks) == (0, 0), "nothing changed: nothing is loaded or checked again"


def test_a_lesson_that_types_a_figure_stops_the_rebuild(
    course: Path, serve: Callable[[], Path], caplog: pytest.LogCaptureFixture,
) -> None:
    serve()
    edit(course / "docs" / "lessons" / "plans.md", "One Connect costs", "Plus gives 100 Connects a month. One Connect costs")
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        serve()
    assert "docs/lessons/plans.md:9: types a plan figure: '100' is the figure plan.plus.monthly_connects" in caplog.text


def test_a_changed_rules_figure_reaches_pages_and_keys(course: Path, tmp_path: Path, counts: Counts) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    edit(course / "mkdocs.yml", "content: exercises", f"content: exercises\n      rules: {rules}")
    config_file, site = str(course / "mkdocs.yml"), tmp_path / "site"
    first = load_config(config_file, site_dir=str(site), strict=True)
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        build(first, serve_url=SERVE_URL)
        by_id = {q["id"]: q for q in quizzes_in(site / "quiz" / "index.html")["fixture"]["questions"]}
        assert by_id["plus"]["key"] == 100
        assert f'data-quizkit-build="{build_id(load_rules(rules))}"' in page(site, "lessons/plans")
        counts.reset()
        edit(rules, "plan.plus.monthly_connects:\n    value: 100\n", "plan.plus.monthly_connects:\n    value: 80\n")
        build(load_config(config_file, site_dir=str(site), strict=True), serve_url=SERVE_URL)
    finally:
        first.plugins.on_shutdown()
    assert counts.loads == 1, "the rules changed: the course is loaded (and its quizzes compiled) again"
    assert "Basic gives 10 Connects, Plus 80." in page(site, "lessons/plans")
    by_id = {q["id"]: q for q in quizzes_in(site / "quiz" / "index.html")["fixture"]["questions"]}
    assert by_id["plus"]["key"] == 80
    assert f'data-quizkit-build="{build_id(load_rules(rules))}"' in page(site, "lessons/plans"), "the exercise names the new runtime"


def test_an_edited_quiz_is_recompiled(course: Path, serve: Callable[[], Path], counts: Counts) -> None:
    site = serve()
    questions = quizzes_in(site / "quiz" / "index.html")["fixture"]["questions"]
    assert questions
    text = (course / "exercises" / "quizzes" / "fixture.yml").read_text(encoding="utf-8")
    stem = next(q for q in questions if q["id"] == "plus")["text"]
    assert stem in text
    counts.reset()
    edit(course / "exercises" / "quizzes" / "fixture.yml", stem, stem + " (edited)")
    site = serve()
    assert counts.loads == 1
    rebuilt = {q["id"]: q for q in quizzes_in(site / "quiz" / "index.html")["fixture"]["questions"]}
    assert rebuilt["plus"]["text"] == stem + " (edited)"


def test_an_edited_theme_template_is_compiled_again(course: Path, tmp_path: Path, serve: Callable[[], Path]) -> None:
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    edit(course / "mkdocs.yml", f"custom_dir: {ROOT / 'overrides'}", f"custom_dir: {overrides}")
    assert "quizkit-test-marker" not in page(serve(), "plain")
    edit(overrides / "main.html", "{% block content %}", "{% block content %}<p>quizkit-test-marker</p>")
    assert "<p>quizkit-test-marker</p>" in page(serve(), "plain")


# ---------------------------------------------------------------- later `mkdocs build`s (another process)


def test_a_later_build_reads_the_course_from_the_cache(
    course: Path, tmp_path: Path, counts: Counts, monkeypatch: pytest.MonkeyPatch,
) -> None:
    config_file = str(course / "mkdocs.yml")
    config = load_config(config_file, site_dir=str(tmp_path / "one"), strict=True)
    build(config)
    first = page(tmp_path / "one", "quiz"), page(tmp_path / "one", "lessons/plans")
    build_cache._loaded.clear()  # as in a new process
    config.plugins["quizkit"].widgets_for = ""  # type: ignore[attr-defined]
    widgets: list[str] = []
    exercise_html = embed.exercise_html

    def counted(exercise: Any, **kwargs: Any) -> str:
        widgets.append(exercise.id)
        return exercise_html(exercise, **kwargs)

    monkeypatch.setattr(embed, "exercise_html", counted)
    counts.reset()
    build(load_config(config_file, site_dir=str(tmp_path / "two"), strict=True))
    assert (counts.loads, counts.checks, counts.service_workers, widgets) == (0, 0, 0, [])
    assert (page(tmp_path / "two", "quiz"), page(tmp_path / "two", "lessons/plans")) == first
    assert (tmp_path / "two" / "sw.js").read_bytes() == (tmp_path / "one" / "sw.js").read_bytes()


def test_the_service_worker_is_written_again_when_a_page_changes(course: Path, tmp_path: Path, counts: Counts) -> None:
    config_file = str(course / "mkdocs.yml")
    build(load_config(config_file, site_dir=str(tmp_path / "one"), strict=True))
    words = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex)  # no digits: not a typed figure
    edit(course / "docs" / "plain.md", "A page with", f"A changed page ({words}) with")  # a site no earlier run built
    counts.reset()
    build(load_config(config_file, site_dir=str(tmp_path / "two"), strict=True))
    assert counts.service_workers == 1
    assert f"A changed page ({words}) with" in page(tmp_path / "two", "plain")
    before, after = ((tmp_path / name / "sw.js").read_text(encoding="utf-8") for name in ("one", "two"))
    assert before != after, "the precache lists the page's new revision"


# ---------------------------------------------------------------- the caches on their own


def test_workbooks_are_exported_again_only_for_another_course(tmp_path: Path) -> None:
    exported: list[str] = []

    def export(text: str) -> Callable[[], list[Path]]:
        def write() -> list[Path]:
            exported.append(text)
            (tmp_path / "01-a.ipynb").write_text(text, encoding="utf-8")
            return [tmp_path / "01-a.ipynb"]
        return write

    assert build_cache.export_workbooks(tmp_path, "key-1", export("one")) == [tmp_path / "01-a.ipynb"]
    assert build_cache.export_workbooks(tmp_path, "key-1", export("two")) == [tmp_path / "01-a.ipynb"]
    assert exported == ["one"]
    build_cache.export_workbooks(tmp_path, "key-2", export("three"))
    assert exported == ["one", "three"]
    (tmp_path / "01-a.ipynb").unlink()
    build_cache.export_workbooks(tmp_path, "key-2", export("four"))
    assert exported == ["one", "three", "four"], "a notebook that went missing is exported again"


def test_the_course_key_follows_every_content_file_and_the_rules(tmp_path: Path) -> None:
    content = tmp_path / "exercises"
    shutil.copytree(ROOT / "tests" / "fixtures" / "course" / "exercises", content)
    rules = tmp_path / "rules.yml"
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    keys = {build_cache.course_key(content, rules)}
    (content / "plans" / "fixture-allowance" / "solution.py").write_text("# changed\n", encoding="utf-8")
    keys.add(build_cache.course_key(content, rules))
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    keys.add(build_cache.course_key(content, rules))
    (content / "plans" / "__pycache__").mkdir()
    (content / "plans" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    keys.add(build_cache.course_key(content, rules))
    assert len(keys) == 3, "each edit makes another key; compiled Python files do not"


def test_a_damaged_course_entry_is_loaded_again(tmp_path: Path) -> None:
    loads: list[int] = []

    def load() -> Course:
        loads.append(1)
        return Course.load(ROOT / "tests" / "fixtures" / "course" / "exercises")

    build_cache._loaded.clear()  # as in a new process
    first = build_cache.load_course(tmp_path, "k", load)
    build_cache._loaded.clear()
    again = build_cache.load_course(tmp_path, "k", load)
    assert len(loads) == 1
    assert again.compiled_quizzes == first.compiled_quizzes
    assert again is not first, "each build gets its own copy"
    (tmp_path / "course-k.pickle").write_bytes(b"not a pickle")
    build_cache._loaded.clear()
    build_cache.load_course(tmp_path, "k", load)
    assert len(loads) == 2


# ---------------------------------------------------------------- the workbooks' pages (the real course)


def test_workbook_pages_are_rendered_again_only_for_a_changed_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    for folder in ("docs", "exercises"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    rules = tmp_path / "rules.yml"
    rules.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (project / "mkdocs.yml").write_text(config_text.replace("  - quizkit\n", f"  - quizkit:\n      rules: {rules}\n"), encoding="utf-8")
    converted: list[str] = []
    convert = workbook_pages._convert

    def counted(notebook: Path) -> workbook_pages.Rendered:
        converted.append(notebook.name)
        return convert(notebook)

    monkeypatch.setattr(workbook_pages, "_convert", counted)
    monkeypatch.setattr(plugin, "_cache_root", lambda: tmp_path / "cache")  # no rendering kept by an earlier run
    config_file, site = str(project / "mkdocs.yml"), tmp_path / "site"
    first = load_config(config_file, site_dir=str(site), strict=True)
    first.plugins.on_startup(command="serve", dirty=False)
    exported = project / ".cache" / "quizkit" / "workbooks"
    try:
        build(first, serve_url=SERVE_URL)
        name = "01-connects-and-plans"
        text = page(site, f"workbooks/{name}")
        assert 'class="jp-Notebook' in text, "mkdocs-jupyter's converter made the page"
        # Its 0.6 MB of CSS, once for every workbook rather than inline in each page; no script for another host.
        links = re.findall(r'<link rel="stylesheet" href="../../(assets/stylesheets/workbook-([0-9a-f]{16})\.css)\?v=\2">', text)
        assert len(links) == 1, "the shared stylesheet, versioned by its digest"
        stylesheet = site / links[0][0]
        assert ".jupyter-wrapper" in stylesheet.read_text(encoding="utf-8")
        assert len(text) < 200_000, "the page no longer carries the converter's CSS"
        assert "jupyter-wrapper{" not in text
        assert "cdnjs" not in text
        assert "text/x-mathjax-config" not in text
        assert {link for other in exported.glob("*.ipynb")
                for link in re.findall(r"workbook-[0-9a-f]{16}\.css", page(site, f"workbooks/{other.stem}"))} == \
            {stylesheet.name}, "one stylesheet for every workbook"
        assert f'<a href="{name}.ipynb" class="md-content__button md-icon"' in text, "the download link, beside the page"
        assert (site / "workbooks" / name / f"{name}.ipynb").read_bytes() == (exported / f"{name}.ipynb").read_bytes()
        assert "Freelancer Plus credits\\n100 Connects" in (exported / f"{name}.ipynb").read_text(encoding="utf-8")
        before = {path.name: path.read_bytes() for path in exported.glob("*.ipynb")}
        assert sorted(converted) == sorted(before), "a first build renders every workbook"
        converted.clear()
        edit(rules, "plan.plus.monthly_connects:\n    value: 100\n", "plan.plus.monthly_connects:\n    value: 80\n")
        build(load_config(config_file, site_dir=str(site), strict=True), serve_url=SERVE_URL)
    finally:
        first.plugins.on_shutdown()
    changed = {path.name for path in exported.glob("*.ipynb") if path.read_bytes() != before[path.name]}
    assert f"{name}.ipynb" in changed
    assert sorted(converted) == sorted(changed), "only the notebooks the figure changed are rendered again"
    assert "Freelancer Plus credits\n80 Connects" in html.unescape(page(site, f"workbooks/{name}"))
    assert len(changed) < len(before), "some workbooks do not show this figure: they are reused"
