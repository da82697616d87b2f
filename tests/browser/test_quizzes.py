# Every quiz of the course (and of the fixture course) taken in Chromium, graded against quizkit.
"""The page grades with no Python; these tests hold it to `quizkit.quiz.grade_attempt`.

Answers are computed from the quiz as quizkit compiles it (not read from the page),
typed into the form, and the page's verdicts are compared with quizkit's.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import assert_clean

from quizkit.course import Course
from quizkit.quiz import grade_attempt

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = [
    *(pytest.param(("site", quiz_id), id=f"course:{quiz_id}") for quiz_id in sorted(Course.load(ROOT / "exercises").quizzes)),
    *(pytest.param(("fixture_site", quiz_id), id=f"fixture:{quiz_id}")
      for quiz_id in sorted(Course.load(ROOT / "tests" / "fixtures" / "course" / "exercises").quizzes)),
]
Answers = dict[str, Any]


# ---------------------------------------------------------------- answers from the compiled quiz


def right_answer(question: dict[str, Any]) -> Any:
    key = question["key"]
    if question["type"] == "multiple":
        return list(key)
    if question["type"] == "numeric":
        return str(key)
    return key


def wrong_answer(question: dict[str, Any]) -> Any:
    """A wrong answer, with feedback of its own when the question has some."""
    kind, key = question["type"], question["key"]
    if kind == "single":
        others = [o for o in question["options"] if o["id"] != key]
        return max(others, key=lambda o: bool(o["feedback"]))["id"]
    if kind == "multiple":
        extra = [o["id"] for o in question["options"] if o["id"] not in key]
        return [*key, extra[0]] if extra else list(key[:-1])
    if kind == "true_false":
        return not key
    return str(key + question.get("tolerance", 0) + 1)


def random_answer(question: dict[str, Any], rng: random.Random) -> Any:
    """Right, wrong, unanswered or any choice at all."""
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.5:
        return right_answer(question)
    if roll < 0.75 or question["type"] in ("true_false", "numeric"):
        return wrong_answer(question)
    ids = [o["id"] for o in question["options"]]
    return rng.choice(ids) if question["type"] == "single" else rng.sample(ids, rng.randint(1, len(ids)))


# ---------------------------------------------------------------- the quiz in the page


class QuizPage:
    """One quiz on its page, driven like a reader would."""

    def __init__(self, page: Page, site: BuiltSite, quiz_id: str) -> None:
        self.page = page
        self.site = site
        self.quiz: dict[str, Any] = site.course.compiled_quizzes[quiz_id]
        self.url = site.url_of(site.quiz_pages()[quiz_id])
        self.form: Locator = page.locator(f'form.quizkit-quiz[data-quiz-id="{quiz_id}"]')

    def open(self) -> QuizPage:
        self.page.goto(self.url, wait_until="load")
        self.form.wait_for()
        return self

    def question(self, question_id: str) -> Locator:
        return self.form.locator(f'[data-question-id="{question_id}"]')

    def answer(self, answers: Answers) -> None:
        """Set every question's inputs to `answers` (None or missing: left blank)."""
        for question in self.quiz["questions"]:
            fieldset, answer = self.question(question["id"]), answers.get(question["id"])
            kind = question["type"]
            if kind == "numeric":
                fieldset.locator("input").fill("" if answer is None else str(answer))
                continue
            for box in fieldset.locator("input").all():
                value = box.get_attribute("value")
                if kind == "multiple":
                    box.set_checked(answer is not None and value in answer)
                elif answer is not None and value == (str(answer).lower() if kind == "true_false" else answer):
                    box.check()
            if answer is None and kind != "multiple":
                assert fieldset.locator("input:checked").count() == 0

    def submit(self) -> None:
        self.form.locator("[data-action=submit]").click()
        self.page.wait_for_function("(form) => form.querySelector('[data-role=score]').dataset.score !== undefined",
                                    arg=self.form.element_handle())

    def score(self) -> tuple[int | None, int]:
        node = self.form.locator("[data-role=score]")
        score = node.get_attribute("data-score")
        return (None if score is None else int(score)), int(node.get_attribute("data-total") or -1)

    def verdicts(self) -> dict[str, bool | None]:
        result: dict[str, bool | None] = {}
        for question in self.quiz["questions"]:
            correct = self.question(question["id"]).locator("[data-role=feedback]").get_attribute("data-correct")
            result[question["id"]] = None if correct is None else correct == "true"
        return result

    def feedback_text(self, question_id: str) -> str:
        return self.question(question_id).locator("[data-role=feedback]").inner_text()

    def inputs(self) -> Answers:
        """What the form shows, in the shape `grade_attempt` takes."""
        answers: Answers = {}
        for question in self.quiz["questions"]:
            fieldset, kind = self.question(question["id"]), question["type"]
            if kind == "numeric":
                value = fieldset.locator("input").input_value()
                if value:
                    answers[question["id"]] = value
                continue
            checked = [box.get_attribute("value") for box in fieldset.locator("input:checked").all()]
            if checked and kind == "multiple":
                answers[question["id"]] = checked
            elif checked:
                answers[question["id"]] = checked[0] == "true" if kind == "true_false" else checked[0]
        return answers

    def stored(self) -> Any:
        raw = self.page.evaluate("(key) => localStorage.getItem(key)", f"quizkit:v1:quiz:{self.quiz['id']}")
        return None if raw is None else json.loads(raw)

    def expect_same_grading(self, answers: Answers) -> None:
        """The page's score and verdicts are quizkit's for the same answers."""
        given = {k: v for k, v in answers.items() if v is not None}
        result = grade_attempt(self.quiz, given)
        assert self.score() == (result.score, result.total)
        assert self.verdicts() == {q.id: q.correct for q in result.questions}
        stored = self.stored()
        assert grade_attempt(self.quiz, stored["answers"]).score == result.score


@pytest.fixture(params=QUIZZES)
def quiz(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    site_fixture, quiz_id = request.param
    site: BuiltSite = request.getfixturevalue(site_fixture)
    return QuizPage(page, site, quiz_id).open()


# ---------------------------------------------------------------- every quiz


def test_all_right_gives_full_marks(quiz: QuizPage, traffic: Traffic) -> None:
    answers = {q["id"]: right_answer(q) for q in quiz.quiz["questions"]}
    quiz.answer(answers)
    quiz.submit()
    total = len(quiz.quiz["questions"])
    assert quiz.score() == (total, total)
    assert set(quiz.verdicts().values()) == {True}
    assert grade_attempt(quiz.quiz, answers).score == total
    assert quiz.form.locator("[data-role=score]").inner_text().startswith(f"You scored {total} out of {total}")
    assert_clean(traffic)


def test_wrong_answers_show_their_feedback_the_explanation_and_the_section(quiz: QuizPage, traffic: Traffic) -> None:
    answers = {q["id"]: wrong_answer(q) for q in quiz.quiz["questions"]}
    quiz.answer(answers)
    quiz.submit()
    result = grade_attempt(quiz.quiz, answers)
    assert quiz.score() == (0, result.total)
    for question, outcome in zip(quiz.quiz["questions"], result.questions, strict=True):
        text = quiz.feedback_text(question["id"])
        assert quiz.verdicts()[question["id"]] is False
        assert "Not quite." in text
        if quiz.quiz["format"] == "text":
            assert outcome.feedback in text
            assert " ".join(question["explanation"].split()) in " ".join(text.split())
        else:
            assert quiz.question(question["id"]).locator(".quizkit-feedback__explanation").inner_text().strip()
        link = quiz.question(question["id"]).locator(".quizkit-feedback__link a")
        href = link.get_attribute("href") or ""
        target = quiz.page.evaluate("(a) => a.href", link.element_handle())
        anchor = question["section"].partition("#")[2]
        assert href.endswith(f"#{anchor}") if anchor else "#" not in href
        assert target.startswith(quiz.site.url)
    assert_clean(traffic)


def test_reload_restores_answers_score_and_feedback(quiz: QuizPage, traffic: Traffic) -> None:
    questions = quiz.quiz["questions"]
    answers = {q["id"]: right_answer(q) if i % 2 == 0 else wrong_answer(q) for i, q in enumerate(questions)}
    quiz.answer(answers)
    quiz.submit()
    before = (quiz.score(), quiz.verdicts(), quiz.inputs())
    quiz.page.reload(wait_until="load")
    quiz.form.locator("[data-role=score][data-score]").wait_for()
    assert (quiz.score(), quiz.verdicts(), quiz.inputs()) == before
    assert_clean(traffic)


def test_retry_clears_answers_and_feedback_but_keeps_the_best_score(quiz: QuizPage, traffic: Traffic) -> None:
    total = len(quiz.quiz["questions"])
    quiz.answer({q["id"]: right_answer(q) for q in quiz.quiz["questions"]})
    quiz.submit()
    quiz.form.locator("[data-action=retry]").click()
    assert quiz.score() == (None, total)
    assert set(quiz.verdicts().values()) == {None}
    assert quiz.inputs() == {}
    assert quiz.form.locator("[data-role=feedback]:visible").count() == 0
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.inputs() == {}
    assert quiz.score() == (None, total)
    assert quiz.stored()["best"] == total
    quiz.answer({q["id"]: wrong_answer(q) for q in quiz.quiz["questions"]})
    quiz.submit()
    assert quiz.score() == (0, total)
    assert quiz.form.locator("[data-role=score]").get_attribute("data-best") == str(total)
    assert_clean(traffic)


def test_page_grading_equals_quizkit_for_mixed_attempts(quiz: QuizPage, traffic: Traffic) -> None:
    rng = random.Random(f"{quiz.quiz['id']}")
    for _ in range(4):
        answers = {q["id"]: random_answer(q, rng) for q in quiz.quiz["questions"]}
        quiz.answer(answers)
        quiz.submit()
        quiz.expect_same_grading(answers)
        quiz.form.locator("[data-action=retry]").click()  # a chosen radio button can only be cleared so
    assert_clean(traffic)


def test_answers_are_kept_before_submitting(quiz: QuizPage, traffic: Traffic) -> None:
    answers = {q["id"]: wrong_answer(q) for q in quiz.quiz["questions"]}
    quiz.answer(answers)
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.inputs() == {
        q["id"]: [o["id"] for o in q["options"] if o["id"] in answers[q["id"]]] if q["type"] == "multiple" else answers[q["id"]]
        for q in quiz.quiz["questions"]
    }
    assert quiz.score() == (None, len(answers))
    assert_clean(traffic)


# ---------------------------------------------------------------- the widget itself (fixture quizzes)


@pytest.mark.parametrize(
    "stored",
    ["{not json", "null", "[]", '"text"', '{"answers": 5, "best": "x"}',
     '{"answers": {"plus": {"x": 1}, "more": "zzz", "returned": "cancel", "invite": "yes", "price": "abc"}, "best": 99}',
     '{"answers": {"returned": ["cancel", 3], "more": ["a"]}, "submitted": "yes"}'],
)
def test_corrupt_storage_is_ignored_silently(fixture_site: BuiltSite, context: BrowserContext, page: Page,
                                             traffic: Traffic, stored: str) -> None:
    context.add_init_script(f"localStorage.setItem('quizkit:v1:quiz:fixture', {json.dumps(stored)})")
    quiz = QuizPage(page, fixture_site, "fixture").open()
    assert quiz.inputs() == {}
    assert quiz.score() == (None, 5)
    quiz.answer({q["id"]: right_answer(q) for q in quiz.quiz["questions"]})
    quiz.submit()
    assert quiz.score() == (5, 5)
    assert_clean(traffic)


def test_keyboard_only(fixture_site: BuiltSite, page: Page, traffic: Traffic) -> None:
    quiz = QuizPage(page, fixture_site, "fixture").open()
    keys = page.keyboard
    quiz.question("plus").locator("input").focus()
    keys.type("100")
    keys.press("Tab")
    keys.type("0.15")
    keys.press("Tab")  # the radio group "more": its first option (the right one)
    keys.press("Space")
    keys.press("Tab")  # checkboxes "returned": cancel, removed, declined
    keys.press("Space")
    keys.press("Tab")
    keys.press("Space")
    keys.press("Tab")
    keys.press("Tab")  # true/false: focus lands on True; ArrowDown selects False
    keys.press("ArrowDown")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "submit"
    keys.press("Enter")
    quiz.form.locator("[data-role=score][data-score]").wait_for()
    assert quiz.score() == (5, 5)
    keys.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "retry"
    keys.press("Enter")
    assert quiz.score() == (None, 5)
    assert quiz.inputs() == {}
    assert_clean(traffic)


def test_accessible_structure(fixture_site: BuiltSite, page: Page) -> None:
    quiz = QuizPage(page, fixture_site, "fixture").open()
    assert quiz.form.get_attribute("aria-labelledby")
    assert quiz.form.locator("fieldset > legend").count() == 5
    for box in quiz.form.locator("input").all():
        box_id = box.get_attribute("id")
        assert box_id
        assert quiz.form.locator(f'label[for="{box_id}"]').count() == 1
    score = quiz.form.locator("[data-role=score]")
    assert score.get_attribute("aria-live") == "polite"
    assert score.get_attribute("role") == "status"


def test_html_in_text_quizzes_shows_as_text(fixture_site: BuiltSite, page: Page, traffic: Traffic) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    quiz = QuizPage(page, fixture_site, "fixture").open()
    assert quiz.form.locator(".quizkit-quiz__title").inner_text() == "Fixture quiz <b>not bold</b>"
    assert quiz.form.locator("b, i, img, script").count() == 0
    assert quiz.question("more").locator("label", has_text="<script>").inner_text() == "<script>alert(1)</script>"
    quiz.answer({"more": "c"})
    quiz.submit()
    assert "<img src=x onerror=alert(1)>" in quiz.feedback_text("more")
    assert quiz.form.locator("img").count() == 0
    assert dialogs == []
    assert_clean(traffic)


def test_markdown_quizzes_render_their_markup(fixture_site: BuiltSite, page: Page) -> None:
    quiz = QuizPage(page, fixture_site, "fixture-md").open()
    legend = quiz.question("basic").locator("legend")
    assert legend.locator("strong").inner_text() == "Freelancer Basic"
    assert quiz.question("basic").locator("label code").inner_text() == "100"
    quiz.answer({"basic": "wrong"})
    quiz.submit()
    assert quiz.question("basic").locator(".quizkit-feedback__note em").inner_text() == "Plus"
    assert quiz.question("basic").locator(".quizkit-feedback__explanation em").inner_text() == "10"
