"""Course progress in a real browser (Chromium): marks in the navigation, read marks, the Progress page, export,
import, reset, and stored data kept in step with the build.

Runs on the real course (the `site` fixture of `conftest.py`), each test in a fresh browser
context (empty storage, service workers blocked, requests to other hosts aborted); every test
ends with no foreign request, no console error and no page error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import assert_clean, check_passes, editor_of, python_ready, reach_for, save_data

from quizkit.quiz import presented

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

PREFIX = "quizkit:v1:/:"
"""The course's prefix in localStorage: it holds the site's path (the test site is at the origin's root)."""
FILE = "quizkit:v1:"
"""How a progress file keys the same entries: without the path, so a file imports into the course at any path."""
LESSON_1 = "lessons/01-connects-and-plans/"
LESSON_2 = "lessons/02-connects-required/"


def right_answer(question: dict[str, Any]) -> Any:
    key = question["key"]
    if question["type"] == "multiple":
        return list(key)
    return str(key).lower() if question["type"] == "true_false" else key


class Reader:
    """A reader of the course in one browser context, with the steps the progress counts."""

    def __init__(self, page: Page, site: BuiltSite) -> None:
        self.page = page
        self.site = site

    def open(self, url: str) -> Reader:
        self.page.goto(self.site.url + url, wait_until="load")
        self.page.wait_for_function("() => window.quizkit && window.quizkit.progress")
        return self

    def go(self, url: str) -> Reader:
        """On the page `url`, as a reader who is there already stays: no reload (it would start Python again)."""
        return self if self.page.url.split("#")[0] == self.site.url + url else self.open(url)

    def open_progress(self) -> Locator:
        self.open("progress/")
        root = self.page.locator("[data-quizkit-progress][data-mounted]")
        root.wait_for()
        return root

    def pass_exercise(self, exercise_id: str, code: str | None = None) -> None:
        """Open the exercise's page, put the solution (or `code`) in, Check: passed."""
        exercise = self.site.course.exercise(exercise_id)
        self.go(self.site.url_of(self.site.exercise_pages()[exercise_id]).removeprefix(self.site.url))
        root = editor_of(self.page, exercise_id)
        python_ready(self.page)
        self.page.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [exercise_id, code or exercise.solution])
        check_passes(root)

    def take_quiz(self, quiz_id: str, right: int | None = None) -> None:
        """Answer the first `right` questions right (all by default), leave the rest blank, submit."""
        quiz = self.site.course.compiled_quizzes[quiz_id]
        self.go(self.site.url_of(self.site.quiz_pages()[quiz_id]).removeprefix(self.site.url))
        form = self.page.locator(f'form.quizkit-quiz[data-quiz-id="{quiz_id}"]')
        # The questions as shown for this attempt's seed: its variants, whose keys differ from one seed to another.
        for question in presented(quiz, int(form.get_attribute("data-seed") or 0))[:right]:
            fieldset = form.locator(f'[data-question-id="{question["id"]}"]')
            answer = right_answer(question)
            if question["type"] == "numeric":
                fieldset.locator("input").fill(str(answer))
            else:
                for value in answer if isinstance(answer, list) else [answer]:
                    fieldset.locator(f'input[value="{value}"]').check()
        form.locator("[data-action=submit]").click()
        form.locator("[data-role=score][data-score]").wait_for()

    def stored(self) -> dict[str, Any]:
        """Every quizkit key of localStorage, parsed."""
        raw = self.page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
            .filter((k) => k.startsWith("quizkit:")).map((k) => [k, localStorage.getItem(k)]))""")
        return {key: json.loads(value) for key, value in raw.items()}

    def store(self, data: dict[str, Any]) -> None:
        self.page.evaluate("(data) => { for (const [k, v] of Object.entries(data)) localStorage.setItem(k, JSON.stringify(v)); }",
                           data)

    def marks(self) -> dict[str, str]:
        """Navigation link text -> its mark's words ("" for none)."""
        marks = {}
        for link in self.page.locator(".md-nav--primary a.md-nav__link").all():
            if link.locator("xpath=ancestor::nav[contains(@class, 'md-nav--secondary')]").count():
                continue
            title = link.locator(".md-ellipsis").inner_text().strip()
            mark = link.locator(".quizkit-mark")
            marks[title] = mark.locator(".quizkit-visually-hidden").inner_text().strip() if mark.count() else ""
        return marks

    def mark(self, title: str) -> Locator:
        """The words of the mark after the navigation link `title`, for `expect(...)`, which waits for them.

        The page redraws the marks 50 ms after a widget's `quizkit:saved` (progress.js batches saves), so a
        mark read at once, right after a verdict or a click, may still show the state before it.
        """
        link = self.page.locator(".md-nav--primary a.md-nav__link").filter(has=self.page.get_by_text(title, exact=True))
        return link.locator(".quizkit-mark .quizkit-visually-hidden")

    def table(self, root: Locator) -> dict[str, dict[str, str]]:
        rows = {}
        for row in root.locator("tr[data-lesson]").all():
            cells = {str(c.get_attribute("data-cell")): c.inner_text().strip() for c in row.locator("td[data-cell]").all()}
            rows[str(row.get_attribute("data-lesson"))] = cells
        return rows


@pytest.fixture
def reader(page: Page, site: BuiltSite, traffic: Traffic) -> Iterator[Reader]:
    reader = Reader(page, site)
    yield reader
    assert_clean(traffic)


def lesson_title(site: BuiltSite, url: str) -> str:
    return next(lesson["title"] for lesson in course_data(site)["lessons"] if lesson["url"] == url)


def course_data(site: BuiltSite) -> dict[str, Any]:
    text = (site.dir / "index.html").read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="quizkit-course">') + len('<script type="application/json" id="quizkit-course">')
    return dict(json.loads(text[start:text.index("</script>", start)]))


def steps_in(site: BuiltSite) -> int:
    """Steps the course counts: reading each lesson, each quiz, the analysis; exercises are optional."""
    return sum(1 + len(lesson["quizzes"]) + lesson["activity"] for lesson in course_data(site)["lessons"])


# ---------------------------------------------------------------- the structure and the marks


def test_every_lesson_is_known_with_its_exercises_and_quiz(site: BuiltSite) -> None:
    lessons = {lesson["url"]: lesson for lesson in course_data(site)["lessons"]}
    assert list(lessons) == [LESSON_1, LESSON_2, "lessons/03-proposal-visibility/", "lessons/04-profile-activity/",
                             "activity/", "final-quiz/"]
    exercise_pages = site.exercise_pages()
    for url, lesson in lessons.items():
        page = url + "index.html"
        assert [e["id"] for e in lesson["exercises"]] == [e for e, p in exercise_pages.items() if p == page]
        assert [q["id"] for q in lesson["quizzes"]] == [q for q, p in site.quiz_pages().items() if p == page]
    assert lessons["activity/"]["activity"] is True
    assert lessons[LESSON_1]["quizzes"][0]["questions"] == len(site.course.compiled_quizzes["plans"]["questions"])


def test_marks_and_the_progress_page_follow_what_the_reader_does(reader: Reader, site: BuiltSite) -> None:
    root = reader.open_progress()
    summary = root.locator("[data-role=summary]")
    assert summary.get_attribute("data-percent") == "0"
    assert root.locator("[data-role=next]").get_attribute("data-next") == LESSON_1
    assert set(reader.marks().values()) == {""}

    lessons = course_data(site)["lessons"]
    exercises = len(lessons[0]["exercises"])
    steps = 1 + len(lessons[0]["quizzes"])  # read, the quiz: exercises are optional
    reader.open(LESSON_1)
    reader.page.locator("[data-action=toggle-read]").click()
    title = lesson_title(site, LESSON_1)
    expect(reader.mark(title)).to_have_text(f"(in progress: 1 of {steps} steps done)")
    assert reader.page.locator("[data-quizkit-read][data-read=true]").inner_text().startswith("✓ You have read this lesson.")
    reader.pass_exercise(lessons[0]["exercises"][0]["id"])  # one of them: exercises are optional
    reader.take_quiz("plans", right=5)
    reader.page.wait_for_function("() => document.querySelector('.md-nav--primary [data-quizkit-mark=complete]')")
    assert reader.marks()[title] == "(completed)", "the mark follows the quiz at once, on the same page"
    assert reader.page.locator(".md-nav--primary a.md-nav__link:has([data-quizkit-mark=complete])").count() == 1

    root = reader.open_progress()
    questions = len(site.course.compiled_quizzes["plans"]["questions"])
    assert reader.table(root)[LESSON_1] == {"read": "yes", "exercises": f"1 of {exercises}", "quizzes": f"5 of {questions}",
                                            "state": "Complete"}, "complete without every exercise: they are optional"
    assert reader.table(root)[LESSON_2] == {"read": "no", "exercises": f"0 of {len(lessons[1]['exercises'])}", "quizzes": "not taken",
                                            "state": "Not started"}
    total = steps_in(site)
    assert summary.get_attribute("data-percent") == str(100 * steps // total)
    assert summary.inner_text() == f"{100 * steps // total}% of the course done: {steps} steps of {total}, 1 lesson of 6 complete."
    assert root.locator("[data-role=next]").inner_text() == f"Next: Read {lesson_title(site, LESSON_2)}."
    assert reader.marks()[title] == "(completed)"


def test_a_lesson_counts_as_read_once_its_end_was_seen_for_a_while(reader: Reader, site: BuiltSite) -> None:
    save_data(reader.page)  # no exercise is run: Python need not start
    control = reader.page.locator("[data-quizkit-read]")
    reader.page.clock.install()
    reader.open("final-quiz/")
    assert not control.is_visible() or not control.evaluate("(el) => el.getBoundingClientRect().top < innerHeight")
    reader.page.clock.run_for(60_000)
    assert control.get_attribute("data-read") == "false", "the end was never on screen"
    control.scroll_into_view_if_needed()
    reader.page.locator("[data-quizkit-read][data-read=true]").wait_for(timeout=5_000)  # open 60 s, then the end seen

    reader.open("lessons/03-proposal-visibility/")
    control.scroll_into_view_if_needed()
    reader.page.clock.run_for(5_000)
    assert control.get_attribute("data-read") == "false", "a glance is not a read"
    reader.page.clock.run_for(course_data(site)["readSeconds"] * 1000)
    reader.page.locator("[data-quizkit-read][data-read=true]").wait_for(timeout=5_000)
    pages = reader.stored()[PREFIX + "read"]["pages"]
    assert set(pages) == {"final-quiz/", "lessons/03-proposal-visibility/"}


def test_the_read_mark_can_be_undone_and_non_lessons_have_none(reader: Reader) -> None:
    save_data(reader.page)  # no exercise is run: Python need not start
    reader.open(LESSON_1)
    button = reader.page.locator("[data-action=toggle-read]")
    button.click()
    assert button.inner_text() == "Mark as not read"
    button.click()
    assert button.inner_text() == "Mark this lesson as read"
    assert reader.stored()[PREFIX + "read"]["pages"] == {}
    for url in ("", "reference/rules/", "progress/"):
        reader.open(url)
        assert reader.page.locator("[data-quizkit-read]").count() == 0, url


def every_step_done(site: BuiltSite) -> dict[str, Any]:
    """What the widgets store once every lesson is read, every quiz taken and the analysis run: no exercise passed."""
    lessons = course_data(site)["lessons"]
    done: dict[str, Any] = {PREFIX + "read": {"version": 1, "pages": dict.fromkeys((lesson["url"] for lesson in lessons),
                                                                               "2026-01-01T00:00:00Z")},
                            PREFIX + "activity": ACTIVITY}
    for quiz in (quiz for lesson in lessons for quiz in lesson["quizzes"]):
        done[PREFIX + f"quiz:{quiz['id']}"] = {"answers": {}, "submitted": True, "best": quiz["questions"]}
    return done


def passed(site: BuiltSite, exercise_id: str) -> dict[str, Any]:
    """The stored entry of an exercise passed with its solution (exercise/store.js)."""
    return {PREFIX + f"exercise:{exercise_id}": {"code": site.course.exercise(exercise_id).solution, "status": "passed",
                                                 "solved": True}}


def test_once_every_step_is_done_the_next_step_offers_an_optional_exercise(reader: Reader, site: BuiltSite) -> None:
    """Exercises are optional, so the next step offers one only once every step is done, the first not passed in
    course order, with a link to it in its lesson; with every exercise passed too, the course is complete."""
    save_data(reader.page)  # no exercise is run: Python need not start
    lessons = course_data(site)["lessons"]
    exercises = [(exercise, lesson) for lesson in lessons for exercise in lesson["exercises"]]
    reader.open("")
    reader.store(every_step_done(site))
    root = reader.open_progress()
    next_step = root.locator("[data-role=next]")
    assert root.locator("[data-role=summary]").get_attribute("data-percent") == "100"
    assert {row["state"] for row in reader.table(root).values()} == {"Complete"}
    exercise, lesson = exercises[0]
    assert next_step.inner_text() == f"Next: If you like, pass the optional exercise “{exercise['title']}” in {lesson['title']}."
    assert next_step.get_attribute("data-next") == lesson["url"]

    # Every exercise passed but the last: that one is offered, and its link leads to it, not passed.
    for done, _ in exercises[:-1]:
        reader.store(passed(site, done["id"]))
    reader.open_progress()
    (exercise, lesson), (other, _) = exercises[-1], exercises[-2]
    assert next_step.inner_text() == f"Next: If you like, pass the optional exercise “{exercise['title']}” in {lesson['title']}."
    assert other in lesson["exercises"], "a passed exercise on the same lesson, to tell the two apart"
    next_step.get_by_role("link", name=lesson["title"]).click()
    reader.page.wait_for_url(site.url + lesson["url"] + f"#exercise-{exercise['id']}")
    offered, done_before = (reader.page.locator(f'.quizkit-exercise[data-exercise-id="{e["id"]}"][data-mounted]')
                            for e in (exercise, other))
    offered.wait_for(state="attached")  # its verdict comes from what is stored as it mounts
    done_before.wait_for(state="attached")
    expect(offered).to_be_in_viewport()  # the link goes to the exercise, not to the top of its lesson
    assert offered.locator(".quizkit-exercise__title").inner_text() == exercise["title"]
    assert offered.locator("[data-role=verdict]").get_attribute("data-status") != "passed"
    assert done_before.locator("[data-role=verdict]").get_attribute("data-status") == "passed"

    reader.store(passed(site, exercise["id"]))
    reader.open_progress()
    assert next_step.inner_text() == "You have completed the whole course. Well done!"
    assert next_step.get_attribute("data-next") == ""
    assert next_step.locator("a").count() == 0


def test_a_page_of_quizzes_only_is_offered_to_answer_not_to_read(reader: Reader, site: BuiltSite) -> None:
    """The final quiz holds no lesson to read: its next step says to open it and answer, not "Read Final quiz"."""
    save_data(reader.page)  # no exercise is run: Python need not start
    lessons = course_data(site)["lessons"]
    [final] = [lesson for lesson in lessons if lesson["quizzes"] and not lesson["exercises"] and not lesson["activity"]]
    done = every_step_done(site)
    done[PREFIX + "read"]["pages"].pop(final["url"])
    for quiz in final["quizzes"]:
        done.pop(PREFIX + f"quiz:{quiz['id']}")
    reader.open("")
    reader.store(done)
    next_step = reader.open_progress().locator("[data-role=next]")
    assert next_step.inner_text() == f"Next: Open {final['title']} and answer its questions."
    assert next_step.get_attribute("data-next") == final["url"]


# ---------------------------------------------------------------- export, import, reset


def export(reader: Reader, tmp_path: Path) -> Path:
    root = reader.open_progress()
    with reader.page.expect_download() as download:
        root.locator("[data-action=export]").click()
    assert download.value.suggested_filename.startswith("connects-learning-hub-progress-")
    path = tmp_path / "progress.json"
    download.value.save_as(path)
    return path


ACTIVITY = {"version": 1, "analysed": True, "profile": {"sections": {"photo": "complete"}, "plan": "basic", "balance": 40}}


def test_export_then_import_in_a_fresh_browser_restores_everything(reader: Reader, browser: Browser, site: BuiltSite,
                                                                   traffic: Traffic, tmp_path: Path) -> None:
    reader.pass_exercise("monthly-allowance")
    mine = site.course.exercise("next-refill").wrong[0].source + "\n# my own attempt\n"
    reader.page.evaluate("(code) => window.quizkit.exercise('next-refill').setCode(code)", mine)
    reader.page.locator('[data-exercise-id="next-refill"] [data-action=check]').click()
    reader.page.locator('[data-exercise-id="next-refill"] [data-role=verdict][data-status=failed]').wait_for(timeout=20_000)
    reader.take_quiz("plans", right=3)
    reader.page.locator("[data-action=toggle-read]").click()
    reader.store({PREFIX + "activity": ACTIVITY})
    before = {key: value for key, value in reader.stored().items() if key != PREFIX + "meta"}
    path = export(reader, tmp_path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["format"] == "quizkit-progress"
    assert exported["version"] == 1
    assert exported["course"] == "Connects Learning Hub"
    assert exported["data"] == {FILE + key.removeprefix(PREFIX): value for key, value in before.items()}
    assert exported["data"][FILE + "exercise:next-refill"]["code"] == mine

    fresh = browser.new_context(service_workers="block")
    traffic.record(fresh)
    try:
        other = Reader(fresh.new_page(), site)
        root = other.open_progress()
        assert root.locator("[data-role=summary]").get_attribute("data-percent") == "0"
        root.locator("[data-action=import]").set_input_files(path)
        root.locator("[data-role=notice]").filter(has_text="was imported").wait_for()
        assert {k: v for k, v in other.stored().items() if k != PREFIX + "meta"} == before
        lesson = course_data(site)["lessons"][0]
        assert other.table(root)[LESSON_1]["exercises"] == f"1 of {len(lesson['exercises'])}"
        assert other.marks()[lesson_title(site, LESSON_1)] == "(completed)"  # read and the quiz; exercises are optional

        save_data(other.page)  # what was imported shows before Python starts: it need not
        other.open(LESSON_1)
        reach_for(other.page)
        widget = editor_of(other.page, "next-refill")
        assert other.page.evaluate("window.quizkit.exercise('next-refill').getCode()") == mine
        assert widget.locator("[data-role=verdict]").get_attribute("data-status") == "failed"
        assert other.page.locator('[data-exercise-id="monthly-allowance"] [data-role=verdict]').get_attribute("data-status") == "passed"
        score = other.page.locator('form.quizkit-quiz[data-quiz-id="plans"] [data-role=score]')
        assert score.get_attribute("data-score") == "3"
    finally:
        fresh.close()


def _other_course(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "course": "Another course"}


def _newer(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "version": 2}


def _bad_entry(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "data": {**data["data"], FILE + "exercise:monthly-allowance": {"code": 42}}}


def _unknown_entry(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "data": {**data["data"], "quizkit:v1:settings": {"theme": "dark"}}}


def _not_ours(data: dict[str, Any]) -> dict[str, Any]:
    return {"profile": data}


@pytest.mark.parametrize(("change", "words"), [
    (lambda _: "{not json", "it is not a JSON file."),
    (lambda _: [1, 2], "it is not a progress file"),
    (_not_ours, "it is not a progress file"),
    (_other_course, "it holds the progress of “Another course”, not of “Connects Learning Hub”."),
    (_newer, "newer version of the course"),
    (_bad_entry, "the code of the exercise “monthly-allowance” is not text"),
    (_unknown_entry, "an entry quizkit does not know (quizkit:v1:settings)"),
], ids=["not-json", "array", "foreign-json", "other-course", "newer-version", "bad-entry", "unknown-entry"])
def test_a_bad_or_foreign_file_is_refused_and_changes_nothing(reader: Reader, tmp_path: Path, change: Any, words: str) -> None:
    save_data(reader.page)  # no exercise is run: Python need not start
    reader.open(LESSON_1)
    reader.page.locator("[data-action=toggle-read]").click()
    reader.store({PREFIX + "quiz:plans": {"answers": {}, "submitted": True, "best": 2}, PREFIX + "activity": ACTIVITY})
    good = json.loads(export(reader, tmp_path).read_text(encoding="utf-8"))
    bad = change(good)
    path = tmp_path / "bad.json"
    path.write_text(bad if isinstance(bad, str) else json.dumps(bad), encoding="utf-8")
    before = reader.stored()
    root = reader.open_progress()
    root.locator("[data-action=import]").set_input_files(path)
    notice = root.locator("[data-role=notice][data-status=error]")
    notice.wait_for()
    assert notice.inner_text().startswith("“bad.json” was not imported, and your progress is unchanged: ")
    assert words in notice.inner_text()
    assert reader.stored() == before


def test_reset_erases_everything_only_once_confirmed(reader: Reader) -> None:
    save_data(reader.page)  # no exercise is run: Python need not start
    reader.open(LESSON_1)
    reader.page.locator("[data-action=toggle-read]").click()
    reader.store({PREFIX + "quiz:plans": {"answers": {}, "submitted": True, "best": 2}, PREFIX + "activity": ACTIVITY})
    before = reader.stored()
    root = reader.open_progress()
    dialog = root.locator("dialog[data-role=confirm-reset]")
    root.locator("[data-action=reset]").click()
    assert dialog.is_visible()
    dialog.locator("[data-action=cancel-reset]").click()
    assert not dialog.is_visible()
    assert reader.stored() == before
    root.locator("[data-action=reset]").click()
    reader.page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert reader.stored() == before
    root.locator("[data-action=reset]").click()
    dialog.locator("[data-action=confirm-reset]").click()
    root.locator("[data-role=notice]").filter(has_text="was erased").wait_for()
    assert set(reader.stored()) == {PREFIX + "meta"}
    assert root.locator("[data-role=summary]").get_attribute("data-percent") == "0"
    assert set(reader.marks().values()) == {""}


# ---------------------------------------------------------------- stored data of other builds


def test_data_of_an_older_build_is_migrated_or_dropped(reader: Reader, site: BuiltSite) -> None:
    save_data(reader.page)  # no exercise is run: Python need not start
    reader.open("reference/rules/")
    plans = site.course.compiled_quizzes["plans"]
    older = {
        "quizkit:v0:quiz:plans": {"best": 3},  # an older schema: dropped
        "quizkit:v2:quiz:plans": {"best": 3},  # a newer one: not ours to touch
        PREFIX + "exercise:retired-exercise": {"code": "x = 1\n", "status": "passed"},
        PREFIX + "quiz:retired-quiz": {"answers": {}, "submitted": True, "best": 1},
        PREFIX + "quiz:plans": {"answers": {plans["questions"][0]["id"]: "no-such-option"}, "submitted": True, "best": 4},
        PREFIX + "quiz:spending": {"answers": {}, "submitted": True, "best": 2},
        PREFIX + "read": {"version": 1, "pages": {LESSON_1: "2026-01-01T00:00:00Z", "lessons/retired/": "2026-01-01T00:00:00Z"}},
        PREFIX + "meta": {"schema": 1, "build": "older", "quizzes": {"plans": "changed-keys",
                                                                     "spending": course_data(site)["items"]["quizzes"]["spending"]}},
    }
    reader.store(older)
    reader.open("")
    stored = reader.stored()
    assert "quizkit:v0:quiz:plans" not in stored
    assert stored["quizkit:v2:quiz:plans"] == {"best": 3}
    assert PREFIX + "exercise:retired-exercise" not in stored
    assert PREFIX + "quiz:retired-quiz" not in stored
    assert stored[PREFIX + "quiz:plans"]["submitted"] is False, "its questions changed: the old feedback is not shown"
    assert stored[PREFIX + "quiz:plans"]["best"] == 4
    assert stored[PREFIX + "quiz:spending"]["submitted"] is True, "unchanged quiz"
    assert stored[PREFIX + "read"]["pages"] == {LESSON_1: "2026-01-01T00:00:00Z"}
    assert stored[PREFIX + "meta"]["build"] == course_data(site)["build"]
    assert stored[PREFIX + "meta"]["seen"][:2] == [course_data(site)["build"], "older"]

    # A page of a build seen before (an old copy still open somewhere) changes nothing.
    reader.store({PREFIX + "exercise:retired-exercise": {"code": "x = 1\n"},
                  PREFIX + "meta": {**stored[PREFIX + "meta"], "build": "newer", "seen": ["newer", course_data(site)["build"]]}})
    reader.open("")
    assert PREFIX + "exercise:retired-exercise" in reader.stored()

    root = reader.open_progress()
    assert reader.table(root)[LESSON_1]["quizzes"] == f"4 of {len(plans['questions'])}"


def test_an_exercise_whose_starter_changed_says_so(reader: Reader, site: BuiltSite) -> None:
    exercise = site.course.exercise("monthly-allowance")
    save_data(reader.page)  # the notice comes from what is stored: Python need not start
    reader.open("")
    reader.store({PREFIX + "exercise:monthly-allowance": {"code": "# my code\n", "starterHash": "0badc0de"},
                  PREFIX + "exercise:next-refill": {"code": "# the old starter\n", "starterHash": "0badc0de"}})
    reader.open(LESSON_1)
    reach_for(reader.page)
    mine = editor_of(reader.page, "monthly-allowance")
    assert mine.get_attribute("data-starter-changed") == "true"
    assert "The starter code of this exercise has changed since you saved your code." in mine.locator("[data-role=notice]").inner_text()
    assert reader.page.evaluate("window.quizkit.exercise('monthly-allowance').getCode()") == "# my code\n"
    # Saved code that was the starter then (its hash matches): it follows the new starter, nothing to say.
    old = reader.page.evaluate("""() => { let h = 0x811c9dc5; const t = "# the old starter\\n";
        for (let i = 0; i < t.length; i++) { h ^= t.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
        return h.toString(16).padStart(8, "0"); }""")
    reader.store({PREFIX + "exercise:next-refill": {"code": "# the old starter\n", "starterHash": old}})
    reader.open(LESSON_1)
    reach_for(reader.page)
    other = editor_of(reader.page, "next-refill")
    assert other.get_attribute("data-starter-changed") is None
    assert reader.page.evaluate("window.quizkit.exercise('next-refill').getCode()") == site.course.exercise("next-refill").starter
    assert exercise.starter != "# my code\n"
