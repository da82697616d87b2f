"""The course structure, the Progress page and the service worker as the plugin writes them (no browser).

Builds of `tests/fixtures/course` (see `test_plugin.py`), some with one change each.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from quizkit.course import Course
from quizkit.plugin.progress import Item, Lesson, Structure, plain_text, quiz_item
from quizkit.plugin.runtime import build_id
from tests.test_plugin import build_course, copy_course, line_of

if TYPE_CHECKING:
    from pathlib import Path

COURSE_JSON = re.compile(r'<script type="application/json" id="quizkit-course">(.*?)</script>', re.DOTALL)
MANIFEST = re.compile(r'\{"revision":(?:"[0-9a-f]+"|null),"url":"([^"]+)"\}')


def course_json(page: Path) -> dict[str, Any]:
    found = COURSE_JSON.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1, page
    return dict(json.loads(found[0]))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("progress")
    return build_course(copy_course(tmp), tmp / "site")


def test_every_page_embeds_the_course_and_loads_the_progress_script(built: Path) -> None:
    pages = [path for path in built.rglob("*.html") if path.name != "404.html"]
    assert len(pages) >= 5
    builds = set()
    for page in pages:
        data = course_json(page)
        builds.add(data["build"])
        depth = len(page.relative_to(built).parts) - 1
        assert data["base"] == ("/".join([".."] * depth) or ".")
        text = page.read_text(encoding="utf-8")
        prefix = "../" * depth
        assert re.search(rf'<script type="module" src="{re.escape(prefix)}assets/quizkit/progress\.js\?v=[0-9a-f]{{10}}">', text)
        assert re.search(rf'<link rel="stylesheet" href="{re.escape(prefix)}assets/quizkit/progress\.css\?v=[0-9a-f]{{10}}">', text)
    assert len(builds) == 1, "one build id for the whole site"
    for name in ("progress.js", "progress-page.js", "offline.js", "progress.css"):
        assert (built / "assets" / "quizkit" / name).is_file()


def test_the_lessons_are_the_pages_that_embed_something_in_nav_order(built: Path) -> None:
    data = course_json(built / "index.html")
    assert data["course"] == "Quizkit fixture course"
    assert data["schema"] == 1
    assert data["progress"] == "progress/"
    assert data["offline"] is True
    assert data["readSeconds"] == 20
    lessons = data["lessons"]
    assert [lesson["url"] for lesson in lessons] == ["lessons/plans/", "quiz/"]
    plans, quiz = lessons
    assert plans["exercises"] == [{"id": "fixture-allowance", "title": plans["exercises"][0]["title"]}]
    assert plans["quizzes"] == []
    assert [q["id"] for q in quiz["quizzes"]] == ["fixture", "fixture-md"]
    assert quiz["quizzes"][0]["questions"] == 5
    assert data["items"] == {"exercises": ["fixture-allowance"],
                             "quizzes": {q["id"]: q["key"] for q in quiz["quizzes"]}}
    assert course_json(built / "lessons" / "plans" / "index.html")["page"] == "lessons/plans/"


def test_the_progress_page_reads_before_any_script_runs(built: Path) -> None:
    text = (built / "progress" / "index.html").read_text(encoding="utf-8")
    assert 'data-quizkit-progress="' in text
    assert '<tr data-lesson="lessons/plans/"><th scope="row"><a href="../lessons/plans/">Plans</a>' in text
    assert '<td data-cell="exercises">0 of 1</td><td data-cell="quizzes">none</td>' in text
    assert '<label for="qk-progress-import">Import progress from a file</label>' in text
    assert "<dialog" in text
    assert "quizkitembed" not in text


def test_front_matter_adds_or_removes_a_lesson(tmp_path: Path) -> None:
    course = copy_course(tmp_path)
    plain = course / "docs" / "plain.md"
    plain.write_text("---\nprogress: true\n---\n" + plain.read_text())
    quiz = course / "docs" / "quiz.md"
    quiz.write_text("---\nprogress: false\n---\n" + quiz.read_text())
    site = build_course(course, tmp_path / "site")
    data = course_json(site / "index.html")
    assert [lesson["url"] for lesson in data["lessons"]] == ["lessons/plans/", "plain/"]
    assert set(data["items"]["quizzes"]) == {"fixture", "fixture-md"}, "a quiz outside the lessons is still known"


def test_a_new_quiz_key_changes_the_grading_hash_and_the_build() -> None:
    base = Structure(course="c", lessons=(Lesson(url="a/", title="A"),))
    compiled = {"title": "**Quiz** <b>one</b>", "questions": [{"id": "q", "type": "numeric", "key": 10, "tolerance": 0}]}
    item = quiz_item("q", compiled)
    assert item.title == "Quiz one"
    assert item.questions == 1
    changed = quiz_item("q", {**compiled, "questions": [{**compiled["questions"][0], "key": 11}]})
    assert changed.key != item.key
    retitled = quiz_item("q", {**compiled, "title": "Quiz two"})
    assert retitled.key == item.key, "a new title is not a new quiz"
    with_quiz = Structure(course="c", lessons=(Lesson(url="a/", title="A", quizzes=(item,)),))
    assert len({base.build, with_quiz.build, Structure(course="c", lessons=(Lesson(url="a/", title="A"),)).build}) == 2
    assert plain_text("`code` &amp; **bold**") == "code & bold"
    assert Item(id="e", title="E").questions == 0


@pytest.mark.parametrize(("text", "message"), [
    ('{{ progress("x") }}', "{{ progress() }} takes no id"),
    ("{{ progress() }}\n\n{{ progress() }}", "{{ progress() }} can appear only once in a page"),
])
def test_a_misused_progress_embed_stops_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str,
                                                   message: str) -> None:
    course = copy_course(tmp_path)
    page = course / "docs" / "plain.md"
    page.write_text(page.read_text() + "\n" + text + "\n")
    line = line_of(page, text.splitlines()[-1]) if "x" in text else len(page.read_text().splitlines())
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build_course(course, tmp_path / "site")
    assert f"docs/plain.md:{line}: {message}" in caplog.text


def test_bad_progress_front_matter_stops_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    course = copy_course(tmp_path)
    plain = course / "docs" / "plain.md"
    plain.write_text("---\nprogress: maybe\n---\n" + plain.read_text())
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build_course(course, tmp_path / "site")
    assert "docs/plain.md:1: front matter 'progress' must be true or false" in caplog.text


# ---------------------------------------------------------------- the service worker


RUNTIME_LIST = re.compile(r'(\["assets/quizkit/[^\]]*\])')


def runtime_list(site_dir: Path) -> list[str]:
    """The runtime URLs (site-relative, with `?v=`) the site's `sw.js` keeps once Python is used."""
    match = RUNTIME_LIST.search((site_dir / "sw.js").read_text(encoding="utf-8"))
    assert match, "sw.js names the runtime's files"
    return list(json.loads(match.group(1)))


def test_the_service_worker_precaches_the_course_and_keeps_python_apart(built: Path) -> None:
    worker = (built / "sw.js").read_text(encoding="utf-8")
    assert "__QUIZKIT_BUILD__" not in worker
    assert "__QUIZKIT_RUNTIME__" not in worker
    assert "self.__WB_MANIFEST" not in worker
    urls = set(MANIFEST.findall(worker))
    files = {path.relative_to(built).as_posix() for path in built.rglob("*") if path.is_file()}
    runtime = {name for name in files if name.startswith("assets/quizkit/pyodide/")
               or name.endswith((".whl", "quizkit-page.zip")) or name in {f"assets/quizkit/{name}" for name in (
                   "worker.js", "editor.js", "rules.json")}}
    widgets = {f"assets/quizkit/{name}" for name in ("exercise.js", "activity.js", "exercise.css", "activity.css")}
    assert widgets <= urls, "the widgets are precached with the course: offline, an exercise mounts before Python ran"
    expected = {name for name in files
                if not name.endswith(".map") and not name.startswith(("sitemap.xml", "assets/javascripts/lunr/"))
                and name != "sw.js"} - runtime
    assert urls == expected, "the install precaches every file but the runtime's"
    for name in ("index.html", "progress/index.html", "404.html", "search/search_index.json", "assets/quizkit/quiz.js"):
        assert name in urls, name

    kept = runtime_list(built)
    build = build_id(Course.load(built.parent / "course" / "exercises").rules)
    assert {url.partition("?")[0] for url in kept} == runtime - {"assets/quizkit/pyodide/snapshot.bin.gz"}, (
        "Python is kept whole once used, but the snapshot, which the Python worker keeps itself")
    assert all(url.endswith(f"?v={build}") for url in kept), "under the URLs the pages and the Python worker ask for"


def test_a_changed_page_changes_the_workers_build_and_only_that_revision(tmp_path: Path) -> None:
    course = copy_course(tmp_path)
    first = build_course(course, tmp_path / "one")
    plain = course / "docs" / "plain.md"
    plain.write_text(plain.read_text().replace("A page with", "A rebuilt page with"))
    second = build_course(course, tmp_path / "two")

    def revisions(site: Path) -> dict[str, str]:
        text = (site / "sw.js").read_text(encoding="utf-8")
        return {url: rev for rev, url in re.findall(r'\{"revision":("?[0-9a-f]*"?|null),"url":"([^"]+)"\}', text)}

    def build(site: Path) -> str:
        found = re.findall(r'"([0-9a-f]{16})"', (site / "sw.js").read_text(encoding="utf-8"))
        assert found
        return found[0]

    one, two = revisions(first), revisions(second)
    assert set(one) == set(two)
    assert {url for url in one if one[url] != two[url]} == {"plain/index.html", "search/search_index.json"}
    assert build(first) != build(second)


def test_offline_off_leaves_a_worker_that_retires_the_old_one(tmp_path: Path) -> None:
    course = copy_course(tmp_path)
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("      content: exercises\n", "      content: exercises\n      offline: false\n"))
    site = build_course(course, tmp_path / "site")
    assert course_json(site / "index.html")["offline"] is False
    worker = (site / "sw.js").read_text(encoding="utf-8")
    assert "registration.unregister()" in worker
    assert "precache" in worker


def test_mkdocs_serve_keeps_no_offline_copy(tmp_path: Path) -> None:
    course = copy_course(tmp_path)
    config = load_config(str(course / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()  # as `mkdocs serve` does: a later build in this process keeps its offline copy
    assert course_json(tmp_path / "site" / "index.html")["offline"] is False
    assert "registration.unregister()" in (tmp_path / "site" / "sw.js").read_text(encoding="utf-8")
