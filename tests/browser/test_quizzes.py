# Every quiz of the course (and of the fixture course) taken in Chromium, graded against quizkit.
"""The page grades with no Python; these tests hold it to `quizkit.quiz.grade_attempt`.

Answers are computed from the quiz as quizkit compiles it and presents it for the page's
seed (`quizkit.quiz.presented`: the variant drawn and the order shown), never read from
the page; they are typed into the form, and the page's verdicts are compared with quizkit's.
"""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from tests.browser.conftest import SCHEMES, assert_clean, in_each_scheme, save_data, switch_scheme
from tests.browser.test_accessibility import serious

from quizkit.course import Course
from quizkit.quiz import grade_attempt, presented

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MISSED_TEXT = 160
"""quiz.js `MISSED_TEXT`: the most of a missed question's words the Progress page lists."""


@functools.cache
def _course(site_fixture: str) -> Course:
    return Course.load(ROOT / "exercises" if site_fixture == "site" else ROOT / "tests" / "fixtures" / "course" / "exercises")


QUIZZES = [
    *(pytest.param(("site", quiz_id), id=f"course:{quiz_id}") for quiz_id in sorted(_course("site").quizzes)),
    *(pytest.param(("fixture_site", quiz_id), id=f"fixture:{quiz_id}") for quiz_id in sorted(_course("fixture_site").quizzes)),
]


def _question_types(param: Any) -> set[str]:
    """The question types of the quiz a `QUIZZES` entry names."""
    site_fixture, quiz_id = param.values[0]
    return {question["type"] for question in _course(site_fixture).compiled_quizzes[quiz_id]["questions"]}


def _covering_every_type(quizzes: list[Any]) -> list[Any]:
    """The fewest quizzes (greedy) that hold every question type between them: the widget's own behaviour
    (what a reload keeps, what Retry clears) is per question type, not per quiz."""
    types = [_question_types(param) for param in quizzes]
    chosen: list[Any] = []
    missing = set().union(*types)
    while missing:
        best = max(range(len(quizzes)), key=lambda i: len(types[i] & missing))
        chosen.append(quizzes[best])
        missing -= types[best]
    return chosen


WIDGET_QUIZZES = _covering_every_type(QUIZZES)


def _quiz_with(kind: str) -> str:
    """The first of the course's quizzes that holds a question of this type."""
    return next(quiz_id for quiz_id, compiled in sorted(_course("site").compiled_quizzes.items())
                if any(question["type"] == kind for question in compiled["questions"]))
DATA = re.compile(r'<script type="application/json" class="quizkit-data">(.*?)</script>', re.DOTALL)
Answers = dict[str, Any]


# ---------------------------------------------------------------- answers from the quiz as quizkit presents it


def right_answer(question: dict[str, Any]) -> Any:
    key = question["key"]
    if question["type"] in ("multiple", "order"):
        return list(key)
    if question["type"] == "match":
        return dict(key)
    if question["type"] == "numeric":
        return str(key)
    return key


def wrong_answer(question: dict[str, Any]) -> Any:  # noqa: PLR0911 - one return per type
    """A wrong answer, with feedback of its own when the question has some (a numeric question's known mistake)."""
    kind, key = question["type"], question["key"]
    if kind == "single":
        others = [o for o in question["options"] if o["id"] != key]
        return max(others, key=lambda o: bool(o["feedback"]))["id"]
    if kind == "multiple":
        extra = [o["id"] for o in question["options"] if o["id"] not in key and not o.get("pin")]
        return [*key, extra[0]] if extra else list(key[:-1])
    if kind == "true_false":
        return not key
    if kind == "match":
        choices = [c["id"] for c in question["choices"]]
        return {item: choices[(choices.index(choice) + 1) % len(choices)] for item, choice in key.items()}
    if kind == "order":
        return [*key[1:], key[0]]
    if question.get("mistakes"):
        return str(question["mistakes"][-1]["value"])  # a known mistake: its own feedback names it
    return str(key + question.get("tolerance", 0) + 1)


def random_answer(question: dict[str, Any], rng: random.Random) -> Any:
    """Right, wrong, unanswered or any choice at all."""
    roll = rng.random()
    if roll < 0.25:
        return None
    if roll < 0.5:
        return right_answer(question)
    if roll < 0.75 or question["type"] not in ("single", "multiple"):
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

    def open(self, query: str = "") -> QuizPage:
        self.page.goto(self.url + query, wait_until="load")
        self.form.wait_for()
        return self

    @property
    def seed(self) -> int:
        return int(self.form.get_attribute("data-seed") or "-1")

    def shown(self) -> list[dict[str, Any]]:
        """The questions as quizkit presents them for the page's current seed."""
        return presented(self.quiz, self.seed)

    def rights(self) -> Answers:
        return {q["id"]: right_answer(q) for q in self.shown()}

    def wrongs(self) -> Answers:
        return {q["id"]: wrong_answer(q) for q in self.shown()}

    def question(self, question_id: str) -> Locator:
        return self.form.locator(f'[data-question-id="{question_id}"]')

    def set_order(self, fieldset: Locator, target: list[str]) -> None:
        """Move items with their buttons until the list reads `target`.

        A reader who wants the order shown must still move something for it to count as an answer, and
        the seeded start can equal `target` (a wrong answer, say): then one item goes down and back up.
        """
        if [li.get_attribute("data-item-id") for li in fieldset.locator("li[data-item-id]").all()] == target:
            fieldset.locator(f'li[data-item-id="{target[0]}"] [data-move=down]').click()
        for place, item_id in enumerate(target):
            while True:
                ids = [li.get_attribute("data-item-id") for li in fieldset.locator("li[data-item-id]").all()]
                if ids.index(item_id) == place:
                    break
                fieldset.locator(f'li[data-item-id="{item_id}"] [data-move=up]').click()

    def controls(self) -> dict[str, dict[str, Any]]:
        """Each question's controls as the form shows them, read in one call: whether it is shown (Review mode hides
        the questions it does not ask), its inputs' values and checked states, its selects, its list's order."""
        return dict(self.form.evaluate("""(form) => Object.fromEntries([...form.querySelectorAll("[data-question-id]")]
            .map((fieldset) => [fieldset.dataset.questionId, {
                shown: fieldset.checkVisibility(),
                inputs: [...fieldset.querySelectorAll("input")].map((input) => [input.value, input.checked]),
                selects: [...fieldset.querySelectorAll("select")].map((select) => [select.dataset.itemId, select.value]),
                order: [...fieldset.querySelectorAll("li[data-item-id]")].map((li) => li.dataset.itemId),
                touched: fieldset.dataset.touched === "true",
            }]))"""))

    def answer(self, answers: Answers) -> None:
        """Set every question's controls to `answers` (None or missing: left blank), with a click, a choice or
        typing for each control that has to change (the form's state is read first, in one call)."""
        controls = self.controls()
        for question in self.quiz["questions"]:
            fieldset, answer, kind = self.question(question["id"]), answers.get(question["id"]), question["type"]
            shown = controls[question["id"]]
            if not shown["shown"]:  # not asked in Review mode
                continue
            if kind == "numeric":
                fieldset.locator("input").fill("" if answer is None else str(answer))
            elif kind == "match":
                for item_id, _ in shown["selects"]:
                    select = fieldset.locator(f'select[data-item-id="{item_id}"]')
                    select.select_option("" if answer is None else answer.get(item_id, ""))
            elif kind == "order":
                if answer is not None:
                    self.set_order(fieldset, answer)
            elif kind == "multiple":
                for value, checked in shown["inputs"]:
                    if checked != (answer is not None and value in answer):
                        fieldset.locator(f'input[value="{value}"]').set_checked(not checked)
            elif answer is not None:
                fieldset.locator(f'input[value="{str(answer).lower() if kind == "true_false" else answer}"]').check()
            else:
                assert not any(checked for _, checked in shown["inputs"]), f"{question['id']}: a choice left from before"

    def submit(self) -> None:
        self.form.locator("[data-action=submit]").click()
        self.page.wait_for_function("(form) => form.querySelector('[data-role=score]').dataset.score !== undefined",
                                    arg=self.form.element_handle())

    def score(self) -> tuple[int | None, int]:
        node = self.form.locator("[data-role=score]")
        score = node.get_attribute("data-score")
        return (None if score is None else int(score)), int(node.get_attribute("data-total") or -1)

    def verdicts(self) -> dict[str, bool | None]:
        """Each question's verdict as its feedback shows it (None: not graded), read in one call."""
        correct: dict[str, str | None] = self.form.evaluate("""(form, ids) => Object.fromEntries(ids.map((id) => [id,
            form.querySelector(`[data-question-id="${id}"] [data-role=feedback]`).getAttribute("data-correct")]))""",
            [question["id"] for question in self.quiz["questions"]])
        return {id_: None if value is None else value == "true" for id_, value in correct.items()}

    def feedback_text(self, question_id: str) -> str:
        return self.question(question_id).locator("[data-role=feedback]").inner_text()

    def inputs(self) -> Answers:
        """What the form shows, in the shape `grade_attempt` takes."""
        answers: Answers = {}
        controls = self.controls()
        for question in self.quiz["questions"]:
            shown, kind = controls[question["id"]], question["type"]
            checked = [value for value, on in shown["inputs"] if on]
            if kind == "numeric":
                if shown["inputs"][0][0]:
                    answers[question["id"]] = shown["inputs"][0][0]
            elif kind == "match":
                if any(value for _, value in shown["selects"]):
                    answers[question["id"]] = {item: value for item, value in shown["selects"] if value}
            elif kind == "order":
                if shown["touched"]:
                    answers[question["id"]] = shown["order"]
            elif checked and kind == "multiple":
                answers[question["id"]] = checked
            elif checked:
                answers[question["id"]] = checked[0] == "true" if kind == "true_false" else checked[0]
        return answers

    def stored(self) -> Any:
        """The quiz's stored entry, parsed: under the course's prefix, which holds its site's path (`/`, or `/pkg/`)."""
        key = f"quizkit:v1:{urlsplit(self.site.url).path}:quiz:{self.quiz['id']}"
        raw = self.page.evaluate("(key) => localStorage.getItem(key)", key)
        return None if raw is None else json.loads(raw)

    def expect_same_grading(self, answers: Answers) -> None:
        """The page's score and verdicts are quizkit's for the same answers and the page's seed."""
        given = {k: v for k, v in answers.items() if v is not None}
        result = grade_attempt(self.quiz, given, seed=self.seed)
        assert self.score() == (result.score, result.total)
        assert self.verdicts() == {q.id: q.correct for q in result.questions}
        stored = self.stored()
        assert stored["seed"] == self.seed
        assert grade_attempt(self.quiz, stored["answers"], seed=stored["seed"]).score == result.score


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page whose exercises wait for the reader (Save-Data): quizzes need no Python (keys are computed at build
    time), and on localhost the lessons that hold them would start it at once (a third of this module's time)."""
    return save_data(context.new_page())


def _opened(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    site_fixture, quiz_id = request.param
    site: BuiltSite = request.getfixturevalue(site_fixture)
    return QuizPage(page, site, quiz_id).open()


@pytest.fixture(params=QUIZZES)
def quiz(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    """Each quiz of the course and of the fixture course, opened: for what depends on a quiz's questions."""
    return _opened(request, page)


@pytest.fixture(params=WIDGET_QUIZZES)
def widget_quiz(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    """The quizzes that hold every question type between them, opened: for what the widget does with any quiz."""
    return _opened(request, page)


def with_seed(context: BrowserContext, quiz_id: str, seed: int) -> None:
    """Pages of this context start the quiz as a reader whose attempt has `seed`."""
    context.add_init_script(f"""if (!sessionStorage.getItem("seeded:{quiz_id}")) {{
        sessionStorage.setItem("seeded:{quiz_id}", "1");
        localStorage.setItem("quizkit:v1:/:quiz:{quiz_id}", JSON.stringify({{answers: {{}}, seed: {seed}}}));
    }}""")


# ---------------------------------------------------------------- every quiz


def test_all_right_gives_full_marks(quiz: QuizPage, traffic: Traffic) -> None:
    answers = quiz.rights()
    quiz.answer(answers)
    quiz.submit()
    total = len(quiz.quiz["questions"])
    assert quiz.score() == (total, total)
    assert set(quiz.verdicts().values()) == {True}
    assert grade_attempt(quiz.quiz, answers, seed=quiz.seed).score == total
    assert quiz.form.locator("[data-role=score]").inner_text().startswith(f"You scored {total} out of {total}")
    assert_clean(traffic)


def test_the_page_shows_the_variant_and_order_quizkit_draws_for_its_seed(quiz: QuizPage, traffic: Traffic) -> None:
    assert 0 <= quiz.seed <= 0xFFFFFFFF
    for shown in quiz.shown():
        fieldset = quiz.question(shown["id"])
        variant = fieldset.get_attribute("data-variant")
        assert variant == (None if shown["variant"] is None else str(shown["variant"]))
        if shown["type"] in ("single", "multiple"):
            assert [i.get_attribute("value") for i in fieldset.locator("input").all()] == [o["id"] for o in shown["options"]]
        if shown["type"] in ("match", "order"):
            assert fieldset.get_attribute("data-question-type") == shown["type"]
            got = [e.get_attribute("data-item-id") for e in fieldset.locator("[data-item-id]").all()]
            assert got == [item["id"] for item in shown["items"]]
        if quiz.quiz["format"] == "text":
            assert fieldset.locator(".quizkit-question__text").inner_text() == shown["text"]
    assert_clean(traffic)


def test_wrong_answers_show_their_feedback_the_explanation_and_the_section(quiz: QuizPage, traffic: Traffic) -> None:
    answers = quiz.wrongs()
    quiz.answer(answers)
    quiz.submit()
    result = grade_attempt(quiz.quiz, answers, seed=quiz.seed)
    shown = {q["id"]: q for q in quiz.shown()}
    assert quiz.score() == (0, result.total)
    for outcome in result.questions:
        question = shown[outcome.id]
        text = quiz.feedback_text(outcome.id)
        assert quiz.verdicts()[outcome.id] is False
        assert "Not quite." in text
        if quiz.quiz["format"] == "text":
            assert " ".join(outcome.feedback.split()) in " ".join(text.split())
            assert " ".join(question["explanation"].split()) in " ".join(text.split())
            if question.get("mistakes"):
                named = question["mistakes"][-1]["feedback"]
                assert " ".join(named.split()) in " ".join(text.split()), "the mistake made is named"
                assert question["feedback"]["incorrect"] not in text, "in place of the general advice"
        else:
            assert quiz.question(outcome.id).locator(".quizkit-feedback__explanation").inner_text().strip()
        link = quiz.question(outcome.id).locator(".quizkit-feedback__link a")
        href = link.get_attribute("href") or ""
        target = quiz.page.evaluate("(a) => a.href", link.element_handle())
        anchor = question["section"].partition("#")[2]
        assert href.endswith(f"#{anchor}") if anchor else "#" not in href
        assert target.startswith(quiz.site.url)
    assert_clean(traffic)


def _numeric_count(param: Any) -> int:
    site_fixture, quiz_id = param.values[0]
    return sum(q["type"] == "numeric" for q in _course(site_fixture).compiled_quizzes[quiz_id]["questions"])


@pytest.fixture(params=[max(QUIZZES, key=_numeric_count)])
def numeric_quiz(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    """The quiz with the most numeric questions, opened."""
    return _opened(request, page)


def test_a_typed_number_is_read_with_its_currency_and_a_number_it_cannot_read_is_said_so(numeric_quiz: QuizPage,
                                                                                          traffic: Traffic) -> None:
    """As quizkit reads answers (`grade_attempt`): "US$ 12.5 " is 12.5; "1,5000" is not a number, and the reader is
    told why."""
    quiz = numeric_quiz
    first, second, third = [q for q in quiz.shown() if q["type"] == "numeric"][:3]
    whole, _, decimals = f"{float(quiz.rights()[third['id']]):g}".partition(".")
    assert len(decimals) <= 2, "a decimal comma is read before one or two digits"
    comma = f"{whole},{decimals or '0'}"  # "26,0", "1,2"
    answers = {first["id"]: f" US$ {quiz.rights()[first['id']]} ", second["id"]: "1,5000", third["id"]: comma}
    quiz.answer(answers)
    quiz.submit()
    assert quiz.verdicts()[first["id"]] is True
    assert quiz.verdicts()[third["id"]] is True, f"{comma!r}: a decimal comma, as a phone's keypad types it"
    graded = {q.id: q for q in grade_attempt(quiz.quiz, answers, seed=quiz.seed).questions}
    assert (graded[first["id"]].correct, graded[second["id"]].answered) == (True, False)
    text = quiz.feedback_text(second["id"])
    assert "Not read as a number." in text
    assert "“1,5000” is not a number the quiz can read" in text
    assert_clean(traffic)


OWN_WORDS_UNITS = {"day of the month", "days"}
"""The units a reader may type with the number ("29th", "20 days"): the quiz below holds both."""


def _units(param: Any) -> set[str]:
    site_fixture, quiz_id = param.values[0]
    return {q.get("unit", "") for q in _course(site_fixture).compiled_quizzes[quiz_id]["questions"] if q["type"] == "numeric"}


@pytest.fixture(params=[max((param for param in QUIZZES if _units(param) >= OWN_WORDS_UNITS), key=_numeric_count)])
def units_quiz(request: pytest.FixtureRequest, page: Page) -> QuizPage:
    """The quiz with the most numeric questions among those that ask for a day of the month and a number of days."""
    return _opened(request, page)


def _in_its_own_words(question: dict[str, Any], key: Any) -> str:
    """A right numeric answer as a reader may type it after reading the stem: "29th", "20 days", "2 proposals"."""
    unit = question.get("unit", "")
    if unit == "day of the month":
        day = int(float(key))
        return f"{day}{'th' if 11 <= day % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"
    return f"{key} {unit}" if unit and unit != "USD" else f"${key}"


def test_a_typed_number_is_read_in_its_question_s_own_words(units_quiz: QuizPage, traffic: Traffic) -> None:
    """An ordinal day and the question's own unit are read, as quizkit reads them (`grade_attempt`)."""
    quiz = units_quiz
    numeric = [q for q in quiz.shown() if q["type"] == "numeric"]
    assert {q.get("unit") for q in numeric} >= OWN_WORDS_UNITS
    answers = {q["id"]: _in_its_own_words(q, quiz.rights()[q["id"]]) for q in numeric}
    quiz.answer(answers)
    quiz.submit()
    graded = {q.id: q.correct for q in grade_attempt(quiz.quiz, answers, seed=quiz.seed).questions}
    assert {qid: quiz.verdicts()[qid] for qid in answers} == {qid: graded[qid] for qid in answers} == dict.fromkeys(answers, True)
    assert_clean(traffic)


def test_reload_keeps_the_seed_answers_score_and_feedback(widget_quiz: QuizPage, traffic: Traffic) -> None:
    quiz = widget_quiz
    shown = quiz.shown()
    answers = {q["id"]: right_answer(q) if i % 2 == 0 else wrong_answer(q) for i, q in enumerate(shown)}
    quiz.answer(answers)
    quiz.submit()
    before = (quiz.seed, quiz.score(), quiz.verdicts(), quiz.inputs())
    quiz.page.reload(wait_until="load")
    quiz.form.locator("[data-role=score][data-score]").wait_for()
    assert (quiz.seed, quiz.score(), quiz.verdicts(), quiz.inputs()) == before
    assert quiz.form.locator("[data-role=notice]").is_hidden()
    assert_clean(traffic)


def test_a_graded_attempt_stays_as_graded_until_a_new_one(widget_quiz: QuizPage, traffic: Traffic) -> None:
    """Session 33's phone review: an answer changed after Check kept its old verdict, and a reload graded the
    change as if checked ("You scored 11 out of 11" beside "Review the 11 questions you missed")."""
    quiz = widget_quiz
    quiz.answer(quiz.wrongs())
    quiz.submit()
    graded = (quiz.score(), quiz.verdicts(), quiz.inputs())
    fieldsets = quiz.form.locator("fieldset[data-question-id]")
    disabled = "(sets) => sets.map((set) => set.disabled)"
    assert fieldsets.evaluate_all(disabled) == [True] * len(quiz.shown())
    assert quiz.form.locator("fieldset[data-question-id] input").first.is_disabled()
    assert quiz.form.locator("[data-action=submit]").is_disabled()
    assert quiz.form.locator("[data-action=retry]").evaluate("(button) => button === document.activeElement")
    quiz.page.reload(wait_until="load")
    quiz.form.locator("[data-role=score][data-score]").wait_for()
    assert (quiz.score(), quiz.verdicts(), quiz.inputs()) == graded
    assert quiz.form.locator("[data-action=submit]").is_disabled()
    quiz.form.locator("[data-action=retry]").click()
    assert not quiz.form.locator("[data-action=submit]").is_disabled()
    assert fieldsets.evaluate_all(disabled) == [False] * len(quiz.shown())
    quiz.answer(quiz.rights())
    quiz.submit()
    assert quiz.score() == (len(quiz.shown()), len(quiz.shown()))
    assert_clean(traffic)


def test_a_missed_question_is_listed_in_words_cut_at_a_word_s_end(quiz: QuizPage, traffic: Traffic) -> None:
    """Session 33's phone review: the Progress page listed missed questions cut mid-word ("…about to expi")."""
    quiz.answer(quiz.wrongs())
    quiz.submit()
    texts = {q["id"]: " ".join(quiz.question(q["id"]).locator(".quizkit-question__text").inner_text().split())
             for q in quiz.shown()}
    missed = quiz.stored()["missed"]
    assert missed, "every answer was wrong"
    for item in missed:
        full, said = texts[item["id"]], item["text"]
        if said == full:
            continue
        assert said.endswith("…"), said
        assert len(said) <= MISSED_TEXT, said
        assert full.startswith(said[:-1]), said
        assert full[len(said) - 1] in " ,;:.", f"cut mid-word: {said!r} of {full!r}"
    assert_clean(traffic)


def test_retry_draws_a_new_seed_clears_answers_and_keeps_the_best_score(widget_quiz: QuizPage, traffic: Traffic) -> None:
    quiz = widget_quiz
    total = len(quiz.quiz["questions"])
    first = quiz.seed
    quiz.answer(quiz.rights())
    quiz.submit()
    quiz.form.locator("[data-action=retry]").click()
    assert quiz.seed != first
    assert quiz.score() == (None, total)
    assert set(quiz.verdicts().values()) == {None}
    assert quiz.inputs() == {}
    assert quiz.form.locator("[data-role=feedback]:visible").count() == 0
    second = quiz.seed
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.seed == second, "the new attempt's seed is kept across reloads"
    assert quiz.inputs() == {}
    assert quiz.score() == (None, total)
    assert quiz.stored()["best"] == total
    quiz.answer(quiz.wrongs())
    quiz.submit()
    assert quiz.score() == (0, total)
    assert quiz.form.locator("[data-role=score]").get_attribute("data-best") == str(total)
    assert_clean(traffic)


def test_page_grading_equals_quizkit_for_mixed_attempts(quiz: QuizPage, traffic: Traffic) -> None:
    rng = random.Random(f"{quiz.quiz['id']}")
    seeds = set()
    for _ in range(4):
        seeds.add(quiz.seed)
        answers = {q["id"]: random_answer(q, rng) for q in quiz.shown()}
        quiz.answer(answers)
        quiz.submit()
        quiz.expect_same_grading(answers)
        quiz.form.locator("[data-action=retry]").click()  # a new attempt, with a new seed
    assert len(seeds) == 4
    assert_clean(traffic)


def test_answers_are_kept_before_submitting(widget_quiz: QuizPage, traffic: Traffic) -> None:
    quiz = widget_quiz
    answers = quiz.wrongs()
    quiz.answer(answers)
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    expected = {}
    for q in quiz.shown():
        answer = answers[q["id"]]
        expected[q["id"]] = [o["id"] for o in q["options"] if o["id"] in answer] if q["type"] == "multiple" else answer
    assert quiz.inputs() == expected
    assert quiz.score() == (None, len(answers))
    assert_clean(traffic)


# ---------------------------------------------------------------- seeds and variants


def test_every_variant_key_in_the_page_is_quizkits(site: BuiltSite) -> None:
    """The keys the page compares with are the ones quizkit computed, variant by variant."""
    checked = 0
    for quiz_id, page in site.quiz_pages().items():
        embedded = {json.loads(raw)["id"]: json.loads(raw) for raw in DATA.findall((site.dir / page).read_text())}
        for mine, theirs in zip(embedded[quiz_id]["questions"], site.course.compiled_quizzes[quiz_id]["questions"],
                                strict=True):
            assert mine["key"] == theirs["key"]
            assert [v["key"] for v in mine.get("variants", [])] == [v["key"] for v in theirs.get("variants", [])]
            assert [v["text"] for v in mine.get("variants", [])] == [v["text"] for v in theirs.get("variants", [])]
            checked += len(theirs.get("variants", []))
    assert checked >= 20 * 10


@pytest.mark.parametrize("seed", [0, 1, 77, 2024, 65535, 4294967295])
def test_right_answers_of_any_seed_score_full_marks(site: BuiltSite, context: BrowserContext, page: Page,
                                                    traffic: Traffic, seed: int) -> None:
    with_seed(context, "final", seed)
    quiz = QuizPage(page, site, "final").open()
    assert quiz.seed == seed
    quiz.answer(quiz.rights())
    quiz.submit()
    total = len(quiz.quiz["questions"])
    assert quiz.score() == (total, total)
    variants = {q["id"]: q["variant"] for q in quiz.shown() if q["variant"] is not None}
    assert {k: int(quiz.question(k).get_attribute("data-variant") or -1) for k in variants} == variants
    assert_clean(traffic)


# ---------------------------------------------------------------- matching and ordering


def test_match_and_order_by_keyboard_only(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    quiz = QuizPage(page, site, _quiz_with("match")).open()
    keys = page.keyboard
    match = next(q for q in quiz.shown() if q["type"] == "match")
    fieldset = quiz.question(match["id"])
    choices = [c["id"] for c in match["choices"]]
    fieldset.locator("select").first.focus()
    for item in match["items"]:  # shown order: each select in turn, by Tab
        assert page.evaluate("document.activeElement.dataset.itemId") == item["id"]
        for _ in range(choices.index(match["key"][item["id"]]) + 1):
            keys.press("ArrowDown")
        keys.press("Tab")
    assert quiz.inputs()[match["id"]] == match["key"]

    quiz = QuizPage(page, site, _quiz_with("order")).open()
    order = next(q for q in quiz.shown() if q["type"] == "order")
    fieldset = quiz.question(order["id"])
    for place, item_id in enumerate(order["key"]):
        ids = [li.get_attribute("data-item-id") for li in fieldset.locator("li").all()]
        fieldset.locator(f'li[data-item-id="{item_id}"] [data-move=up]').focus()
        for _ in range(ids.index(item_id) - place):
            keys.press("Enter")
            assert page.evaluate("document.activeElement.closest('li').dataset.itemId") == item_id, "focus moves with it"
        status = fieldset.locator("[data-role=order-status]").inner_text()
        if ids.index(item_id) != place:
            assert status.endswith(f"is now {['1st', '2nd', '3rd', '4th'][place]} of {len(ids)}.")
    assert quiz.inputs()[order["id"]] == order["key"]
    assert_clean(traffic)


def test_match_and_order_controls_are_named_for_screen_readers(site: BuiltSite, page: Page) -> None:
    quiz = QuizPage(page, site, _quiz_with("match")).open()
    for select in quiz.form.locator("[data-question-type=match] select").all():
        label = quiz.form.locator(f'label[for="{select.get_attribute("id")}"]')
        assert label.count() == 1
        assert label.inner_text().strip()
    quiz = QuizPage(page, site, _quiz_with("order")).open()
    order = quiz.form.locator("[data-question-type=order]")
    assert order.locator("legend").count() == 1
    for li in order.locator("li").all():
        text = li.locator(".quizkit-order__text").inner_text()
        assert li.get_by_role("button", name=f"Move up: {text}").count() == 1
        assert li.get_by_role("button", name=f"Move down: {text}").count() == 1
    assert order.locator("[data-role=order-status]").get_attribute("aria-live") == "polite"


def test_order_by_touch(site: BuiltSite, browser: Any, traffic: Traffic) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844},
                                  service_workers="block")
    traffic.record(context)
    page = save_data(context.new_page())  # the quiz needs no Python: the lesson's exercises wait
    quiz = QuizPage(page, site, _quiz_with("order")).open()
    order = next(q for q in quiz.shown() if q["type"] == "order")
    fieldset = quiz.question(order["id"])
    for place, item_id in enumerate(order["key"]):
        while [li.get_attribute("data-item-id") for li in fieldset.locator("li").all()].index(item_id) != place:
            fieldset.locator(f'li[data-item-id="{item_id}"] [data-move=up]').tap()
    quiz.submit()
    assert quiz.verdicts()[order["id"]] is True
    context.close()
    assert_clean(traffic)


# ---------------------------------------------------------------- review of missed questions


def test_review_asks_only_the_missed_questions_with_new_numbers(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    quiz = QuizPage(page, site, "final").open()
    shown = quiz.shown()
    missed = [q["id"] for q in shown[::3]]
    quiz.answer({q["id"]: wrong_answer(q) if q["id"] in missed else right_answer(q) for q in shown})
    quiz.submit()
    assert [m["id"] for m in quiz.stored()["missed"]] == missed
    review = quiz.form.locator("[data-action=review]")
    assert review.inner_text() == f"Review the {len(missed)} questions you missed"
    first_seed = quiz.seed
    review.click()
    assert quiz.form.get_attribute("data-mode") == "review"
    assert quiz.seed != first_seed
    visible = [f.get_attribute("data-question-id") for f in quiz.form.locator("[data-question-id]:visible").all()]
    assert visible == missed
    assert quiz.score() == (None, len(missed))
    again = {q["id"]: q for q in quiz.shown()}
    fixed = missed[1:]
    quiz.answer({qid: right_answer(again[qid]) if qid in fixed else wrong_answer(again[qid]) for qid in missed})
    quiz.submit()
    assert quiz.score() == (len(fixed), len(missed))
    assert [m["id"] for m in quiz.stored()["missed"]] == missed[:1]
    assert quiz.stored()["best"] == len(shown) - len(missed), "a review does not change the best score"
    quiz.page.reload(wait_until="load")
    quiz.form.locator("[data-role=score][data-score]").wait_for()
    assert quiz.score() == (len(fixed), len(missed)), "review mode survives a reload"
    quiz.form.locator("[data-action=retry]").click()
    assert quiz.form.get_attribute("data-mode") == "quiz"
    assert quiz.form.locator("[data-question-id]:visible").count() == len(shown)
    assert_clean(traffic)


def test_the_progress_page_lists_missed_questions_and_opens_review(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    quiz = QuizPage(page, site, "spending").open()
    shown = quiz.shown()
    missed = [q["id"] for q in shown if q["type"] in ("numeric", "match")]
    quiz.answer({q["id"]: wrong_answer(q) if q["id"] in missed else right_answer(q) for q in shown})
    quiz.submit()
    page.goto(site.url + "progress/", wait_until="load")
    review = page.locator("[data-role=review]")
    review.locator("a[data-question]").first.wait_for()
    links = review.locator("a[data-question]")
    assert [a.get_attribute("data-question") for a in links.all()] == missed
    first = links.first.get_attribute("href") or ""
    assert first.endswith(f"#quizkit-spending-{missed[0]}")
    review.locator('a[data-action=review][data-quiz="spending"]').click()
    quiz.form.wait_for()
    page.wait_for_function("() => document.querySelector('form[data-quiz-id=spending]')?.dataset.mode === 'review'")
    visible = [f.get_attribute("data-question-id") for f in quiz.form.locator("[data-question-id]:visible").all()]
    assert visible == missed
    assert_clean(traffic)


# ---------------------------------------------------------------- saved answers of another version


def test_saved_answers_that_no_longer_fit_are_dropped_with_a_notice(site: BuiltSite, context: BrowserContext, page: Page,
                                                                    traffic: Traffic) -> None:
    compiled = site.course.compiled_quizzes["plans"]
    by_id = {q["id"]: q for q in compiled["questions"]}
    fixed = next(q for q in compiled["questions"] if q["type"] == "single" and not q.get("variants"))
    parameterised = next(q for q in compiled["questions"] if q["type"] == "numeric" and q.get("variants"))
    # What an earlier version stored: no seed, and an answer to a question that now has variants.
    old = {"answers": {fixed["id"]: fixed["key"], parameterised["id"]: "10", "where-to-check": "not a list"},
           "submitted": True, "best": 4}
    context.add_init_script(f"""if (!sessionStorage.getItem("old")) {{ sessionStorage.setItem("old", "1");
        localStorage.setItem("quizkit:v1:/:quiz:plans", {json.dumps(json.dumps(old))}); }}""")
    quiz = QuizPage(page, site, "plans").open()
    notice = quiz.form.locator("[data-role=notice]")
    position = list(by_id).index(parameterised["id"]) + 1
    assert notice.is_visible()
    assert f"question {position} no longer fit" in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    assert quiz.inputs() == {fixed["id"]: fixed["key"]}, "what still fits is restored"
    assert quiz.score() == (None, len(compiled["questions"])), "feedback for a half-dropped attempt is not shown"
    assert quiz.stored()["best"] == 4
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.form.locator("[data-role=notice]").is_hidden(), "said once"
    assert quiz.inputs() == {fixed["id"]: fixed["key"]}
    quiz.answer(quiz.rights())
    quiz.submit()
    assert quiz.score() == (len(compiled["questions"]),) * 2
    assert_clean(traffic)


def test_a_saved_answer_to_other_words_is_dropped_with_a_notice(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    """A build that rewrote a question under the same id (and variant) graded the reader's saved answer against words
    they never read: each answer is now saved with a fingerprint of the question as shown, and kept only for it."""
    quiz = QuizPage(page, site, "plans").open()
    shown = quiz.shown()
    first, second = shown[0]["id"], shown[1]["id"]
    rights = quiz.rights()
    quiz.answer({first: rights[first], second: rights[second]})
    page.wait_for_function("(key) => Object.keys(JSON.parse(localStorage.getItem(key) || '{}').words ?? {}).length === 2",
                           arg=f"quizkit:v1:{urlsplit(site.url).path}:quiz:plans")
    stored = quiz.stored()
    assert set(stored["words"]) == {first, second}
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.inputs() == {first: rights[first], second: rights[second]}, "the same words: kept"
    assert quiz.form.locator("[data-role=notice]").is_hidden()

    stored["words"][second] = "0"  # what a build with other words for that question saved
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [f"quizkit:v1:{urlsplit(site.url).path}:quiz:plans", json.dumps(stored)])
    quiz.page.reload(wait_until="load")
    quiz.form.wait_for()
    assert quiz.inputs() == {first: rights[first]}, "only the answer given to these words"
    position = [q["id"] for q in quiz.quiz["questions"]].index(second) + 1
    assert f"question {position} no longer fit" in quiz.form.locator("[data-role=notice]").inner_text()
    assert_clean(traffic)


# ---------------------------------------------------------------- the widget itself (fixture quizzes)


@pytest.mark.parametrize(
    "stored",
    ["{not json", "null", "[]", '"text"', '{"answers": 5, "best": "x"}',
     '{"answers": {"plus": {"x": 1}, "more": "zzz", "returned": "cancel", "invite": "yes", "price": "abc"}, "best": 99}',
     '{"answers": {"returned": ["cancel", 3], "more": ["a"]}, "submitted": "yes", "seed": -4, "missed": 3}'],
)
def test_corrupt_storage_is_ignored_silently(fixture_site: BuiltSite, context: BrowserContext, page: Page,
                                             traffic: Traffic, stored: str) -> None:
    context.add_init_script(f"localStorage.setItem('quizkit:v1:/:quiz:fixture', {json.dumps(stored)})")
    quiz = QuizPage(page, fixture_site, "fixture").open()
    assert quiz.inputs() == {}
    assert quiz.score() == (None, 5)
    assert quiz.form.locator("[data-role=notice]").is_hidden()
    quiz.answer(quiz.rights())
    quiz.submit()
    assert quiz.score() == (5, 5)
    assert_clean(traffic)


def _keyboard_seed(compiled: dict[str, Any]) -> int:
    """A seed whose first option of "more" is the right one and whose first two "returned" options are the right ones."""
    for seed in range(10_000):
        shown = {q["id"]: q for q in presented(compiled, seed)}
        more, returned = shown["more"], shown["returned"]
        if more["options"][0]["id"] == more["key"] and {o["id"] for o in returned["options"][:2]} == set(returned["key"]):
            return seed
    raise AssertionError("no such seed")


def test_keyboard_only(fixture_site: BuiltSite, context: BrowserContext, page: Page, traffic: Traffic) -> None:
    with_seed(context, "fixture", _keyboard_seed(fixture_site.course.compiled_quizzes["fixture"]))
    quiz = QuizPage(page, fixture_site, "fixture").open()
    keys = page.keyboard
    quiz.question("plus").locator("input").focus()
    keys.type("100")
    keys.press("Tab")
    keys.type("0.15")
    keys.press("Tab")  # the radio group "more": its first option (the right one for this seed)
    keys.press("Space")
    keys.press("Tab")  # checkboxes "returned": the two right ones come first for this seed
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
    # The answers are locked once graded: focus goes from the locked Check button to the next step
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
    assert quiz.question("returned").inner_text().lower().count("select all that apply") == 1


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
    quiz.answer({"basic": "wrong", "plus": "110"})
    quiz.submit()
    assert quiz.question("basic").locator(".quizkit-feedback__note em").inner_text() == "Plus"
    assert quiz.question("basic").locator(".quizkit-feedback__explanation em").inner_text() == "10"
    assert quiz.question("plus").locator(".quizkit-feedback__note em").inner_text() == "already", "a mistake's feedback too"


# ---------------------------------------------------------------- look: cards at phone and desktop widths


LAYOUT = """(form) => {
  const problems = [];
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`horizontal scroll: ${doc.scrollWidth} > ${doc.clientWidth}`);
  const box = (el) => el.getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const formBox = box(form);
  for (const fieldset of form.querySelectorAll("[data-question-id]:not([hidden])")) {
    const card = box(fieldset);
    const id = fieldset.dataset.questionId;
    if (!inside(card, formBox)) problems.push(`${id}: card outside the quiz`);
    const legend = box(fieldset.querySelector("legend"));
    const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
    if (legend.top < card.top + border + 1) problems.push(`${id}: title on the border line`);
    if (!inside(legend, card)) problems.push(`${id}: title outside its card`);
    const parts = [...fieldset.querySelectorAll(
      "legend, .quizkit-question__hint, .quizkit-option, .quizkit-match__row, .quizkit-order__item, .quizkit-number, .quizkit-feedback:not([hidden])")];
    for (const part of parts) {
      if (!inside(box(part), card)) problems.push(`${id}: ${part.className || part.tagName} outside its card`);
    }
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        if (parts[i].contains(parts[j]) || parts[j].contains(parts[i])) continue;
        if (overlap(box(parts[i]), box(parts[j]))) problems.push(`${id}: ${parts[i].className} overlaps ${parts[j].className}`);
      }
    }
    for (const control of fieldset.querySelectorAll("input, select, button, label")) {
      if (!inside(box(control), card)) problems.push(`${id}: a ${control.tagName} outside its card`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("quiz_id", ["plans", "spending", "final"])
def test_cards_fit_at_phone_and_desktop_widths(site: BuiltSite, page: Page, traffic: Traffic, width: int, quiz_id: str) -> None:
    """In both colour schemes, before and after the feedback shows (one load: the schemes differ in colours only)."""
    page.set_viewport_size({"width": width, "height": 900})
    quiz = QuizPage(page, site, quiz_id).open()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES["light"]
    for submitted in (False, True):
        if submitted:
            quiz.answer(quiz.wrongs())
            quiz.submit()
        for scheme in SCHEMES:
            switch_scheme(page, scheme)
            assert quiz.page.evaluate(LAYOUT, quiz.form.element_handle()) == [], f"{scheme}, feedback shown: {submitted}"
            card = quiz.form.locator("[data-question-id]").first
            assert card.evaluate("(el) => getComputedStyle(el).boxShadow") != "none", "questions are cards"
    assert_clean(traffic)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")
def test_match_order_and_review_pass_axe(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    """Every rule in the light scheme, the colour rules in the dark one (same load: the markup is the same)."""
    found = []
    for quiz_id in ("spending", "plans"):
        quiz = QuizPage(page, site, quiz_id).open()
        quiz.answer(quiz.wrongs())
        quiz.submit()
        quiz.form.locator("[data-action=review]").click()
        for _, rules in in_each_scheme(page):
            found += serious(page, "form.quizkit-quiz", rules)
    assert found == []
    assert_clean(traffic)


# ---------------------------------------------------------------- figure markers


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")
def test_figure_markers_link_to_the_reference_entry_and_pass_axe(site: BuiltSite, page: Page, traffic: Traffic) -> None:
    quiz = QuizPage(page, site, "profile").open()
    marked = {place: [(q["id"], f) for q in quiz.quiz["questions"] for f in q["figures"] if f["place"] == place]
              for place in ("question", "answer")}
    assert marked["question"], "profile shows a labelled figure in a stem"
    assert marked["answer"], "and one only in an explanation"
    question_id, figure = marked["question"][0]
    link = quiz.question(question_id).locator(f'legend .quizkit-figure-mark[data-figure-id="{figure["id"]}"] a')
    assert link.inner_text() == figure["text"]
    assert link.get_attribute("title") == figure["title"]
    quiz.answer(quiz.wrongs())
    quiz.submit()
    answer_id, later = marked["answer"][0]
    after = quiz.question(answer_id).locator(f'.quizkit-feedback__figures [data-figure-id="{later["id"]}"] a')
    assert after.inner_text() == later["text"]
    assert later["label"] in quiz.question(answer_id).locator(".quizkit-feedback__figures").inner_text()
    # Under the pointer, as a feedback link can land after Submit: Material's hover colour failed contrast there.
    page.locator("form.quizkit-quiz .quizkit-feedback__link a").first.hover()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run("form.quizkit-quiz", {resultTypes: ["violations"]}))
        .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" "))}`)""")
    assert found == []
    href = link.evaluate("(a) => a.href")
    assert href.split("#")[1] == figure["id"]
    page.goto(href, wait_until="load")
    assert page.locator(f'[id="{figure["id"]}"]').count() == 1, "the marker lands on the figure's reference entry"
    assert_clean(traffic)
