# The quizkit MkDocs plugin end to end: fixture courses built with `mkdocs build --strict`.
"""Builds of `tests/fixtures/course` (a small course using every feature), of copies
with one content mistake each (the build must stop naming the file and the line),
and of a copy whose rules changed (pages and quiz keys must follow).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from quizkit.course import Course
from quizkit.load import DEFAULT_RULES
from quizkit.page_markdown import process
from quizkit.plugin.reference_page import reference_markdown
from quizkit.plugin.runtime import ASKED_FOR_BY_THE_PAGE, build_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.model import Rules

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "course"
QUIZ_DATA = re.compile(r'<script type="application/json" class="quizkit-data">(.*?)</script>', re.DOTALL)


def copy_course(tmp_path: Path) -> Path:
    """A copy of the fixture course that tests may edit; the theme overrides stay the real ones."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURE, course)
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")))
    return course


def build_course(course: Path, site: Path) -> Path:
    """`mkdocs build --strict` of a course folder into `site`."""
    build(load_config(str(course / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` containing `text`."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def quizzes_in(page: Path) -> dict[str, dict[str, Any]]:
    """The quiz data embedded in a built page, by quiz id."""
    found = [json.loads(raw) for raw in QUIZ_DATA.findall(page.read_text())]
    return {quiz["id"]: quiz for quiz in found if "questions" in quiz}


def quizkit_tags(page: Path) -> list[str]:
    """The widgets' script and stylesheet tags of a page (the progress script and stylesheet are on every page)."""
    tags = re.findall(r'<(?:script|link)[^>]*(?:src|href)="[^"]*assets/quizkit/[^"]*"[^>]*>', page.read_text())
    return [tag for tag in tags if "assets/quizkit/progress." not in tag]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("plugin")
    return build_course(copy_course(tmp), tmp / "site")


@pytest.fixture(scope="module")
def fixture_course() -> Course:
    return Course.load(FIXTURE / "exercises")


# ---------------------------------------------------------------- the good course


def test_rule_values_fill_the_text_but_not_fenced_code(built: Path) -> None:
    text = (built / "index.html").read_text()
    assert "Freelancer Plus gives 100 Connects a month,\n90 more than Basic." in text
    assert "{{ plan.not_a_rule }}" in text
    assert '{{ quiz("not-embedded-in-a-fence") }}' in text
    assert 'One Connect costs $0.15 <small class="quizkit-figure-mark">' in (built / "lessons" / "plans" / "index.html").read_text()


def test_quiz_keys_are_compiled_by_quizkit_and_links_are_page_relative(built: Path, fixture_course: Course) -> None:
    embedded = quizzes_in(built / "quiz" / "index.html")
    assert set(embedded) == {"fixture", "fixture-md"}
    compiled = fixture_course.compiled_quizzes["fixture"]
    page = embedded["fixture"]
    assert [(q["id"], q["key"]) for q in page["questions"]] == [(q["id"], q["key"]) for q in compiled["questions"]]
    sections = {q["id"]: q["section"] for q in page["questions"]}
    assert sections["plus"] == {"href": "../lessons/plans/#monthly-connects", "title": "Monthly Connects"}
    assert sections["price"] == {"href": "../lessons/plans/#buying-connects", "title": "Buying Connects"}
    assert sections["returned"] == {"href": "../lessons/plans/", "title": "Plans"}


def test_text_quizzes_keep_html_as_text_and_markdown_quizzes_are_rendered(built: Path) -> None:
    raw = (built / "quiz" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in raw
    assert "<b>not bold</b>" not in raw
    embedded = quizzes_in(built / "quiz" / "index.html")
    text_quiz, md_quiz = embedded["fixture"], embedded["fixture-md"]
    assert text_quiz["format"] == "text"
    assert text_quiz["title"] == "Fixture quiz <b>not bold</b>"
    assert md_quiz["format"] == "markdown"
    question = md_quiz["questions"][0]
    assert question["text"] == "How many Connects does <strong>Freelancer Basic</strong> give each month?"
    assert question["explanation"] == "<p>Basic gives <em>10</em> Connects.</p>"
    assert [o["text"] for o in question["options"]] == ["<strong>10</strong>", "<code>100</code>"]
    assert md_quiz["questions"][1]["mistakes"] == [{"value": 110, "feedback": "Plus's figure <em>already</em> counts Basic's."}]


def test_scripts_only_where_something_is_embedded(built: Path, fixture_course: Course) -> None:
    version = re.search(r"quizkit\.css\?v=([0-9a-f]{10})", (built / "quiz" / "index.html").read_text())
    assert version, "the widgets' assets carry a hash of their content"
    assert quizkit_tags(built / "quiz" / "index.html") == [
        f'<link rel="stylesheet" href="../assets/quizkit/quizkit.css?v={version[1]}">',
        f'<script type="module" blocking="render" src="../assets/quizkit/quiz.js?v={version[1]}">',
    ]
    build = build_id(fixture_course.rules)
    exercise_page = quizkit_tags(built / "lessons" / "plans" / "index.html")
    assert f'<script type="module" blocking="render" src="../../assets/quizkit/exercise.js?v={build}">' in exercise_page
    assert f'<link rel="stylesheet" href="../../assets/quizkit/exercise.css?v={build}">' in exercise_page
    assert not any("quiz.js" in tag for tag in exercise_page)
    for page in ("index.html", "plain/index.html", "reference/rules/index.html"):
        assert quizkit_tags(built / page) == [], page
        assert "pyodide" not in (built / page).read_text()
        assert "quizkitEarly" not in (built / page).read_text(), "no Python where nothing needs it"


def test_pages_with_python_start_it_before_anything_else_loads(built: Path, fixture_course: Course) -> None:
    text = (built / "lessons" / "plans" / "index.html").read_text()
    head = text[text.index("<head>"):text.index("</head>")]
    scripts = re.findall(r"<script>(.*?)</script>", head)
    assert scripts, "a classic inline script in the head"
    start = scripts[0]
    assert head.index(start) < head.index("<link"), "before the first stylesheet, which would hold it back"
    assert f'"{build_id(fixture_course.rules)}"' in start, "it starts this build's worker"
    assert '"../../assets/quizkit/"' in start, "from the runtime's folder, relative to the page"
    assert text.count("quizkit: start Python") == 1, "once per page, not once per exercise"
    assert f"askEarly({json.dumps(list(ASKED_FOR_BY_THE_PAGE))}.map(" in start, "asks for Python's largest file itself"
    assert (built / "assets" / "quizkit" / "quiz.js").is_file()
    assert (built / "assets" / "quizkit" / "quizkit.css").is_file()


def test_no_classic_script_holds_back_the_first_paint(built: Path) -> None:
    """Material's script is deferred by the theme override: without it the parser waited for its download
    at the end of every page, and the first paint with it (Lighthouse, lesson 1: 2.1 s -> 1.4 s)."""
    for page in ("index.html", "lessons/plans/index.html", "quiz/index.html"):
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", (built / page).read_text())
        assert any("assets/javascripts/bundle." in tag for tag in tags), page
        blocking = [tag for tag in tags if " defer" not in tag and 'type="module"' not in tag]
        assert blocking == [], page


def test_the_widgets_script_runs_before_materials(built: Path) -> None:
    """Modules and deferred scripts run in the page's order once it is parsed: the exercise script comes in
    the head, so the widgets mount before Material's script takes its 0.2 s of main thread (an exercise in
    view, and Python's start on a slow link, came 0.25-0.3 s later on lesson 1 with the script after it)."""
    text = (built / "lessons" / "plans" / "index.html").read_text()
    head = text[:text.index("</head>")]
    assert "assets/quizkit/exercise.js?v=" in head
    assert text.index("assets/quizkit/exercise.js?v=") < text.index("assets/javascripts/bundle.")


def test_every_table_without_a_class_is_in_a_wrapper_of_its_own(built: Path) -> None:
    """Material's script re-inserts such tables; in the article itself that restyled all of it (plugin/tables.py)."""
    reference = (built / "reference" / "rules" / "index.html").read_text()
    article = reference[reference.index("<article"):reference.index("</article>")]
    opening = re.findall(r"(.{0,40})<table\b([^>]*)>", article)
    assert opening, "the reference page holds tables"
    for before, attributes in opening:
        assert "class=" in attributes or before.endswith('<div class="quizkit-table">'), (before, attributes)


def test_exercise_is_embedded_with_its_data(built: Path) -> None:
    text = (built / "lessons" / "plans" / "index.html").read_text()
    assert 'class="quizkit-exercise" id="exercise-fixture-allowance" data-exercise-id="fixture-allowance"' in text  # a link can go to it
    assert "quizkitembed" not in text
    assert "quizkit-slot" not in text


def test_figures_in_an_exercise_show_their_month_and_confidence_linked_to_the_reference_page(built: Path, rules: Rules) -> None:
    """As in a lesson: once in the prompt, and again in a hint, which is read on its own; none after the article's figures."""
    page = built / "lessons" / "plans" / "index.html"
    text = page.read_text()
    exercise = text[text.index('data-exercise-id="fixture-allowance"'):]
    exercise = exercise[:exercise.index('class="quizkit-exercise__solution"')]
    price = rules.figures["plan.plus.price_usd"]
    marks = re.findall(r'<small class="quizkit-figure-mark">\(<a href="([^"]+)"[^>]*>([^<]+)</a>\)</small>', exercise)
    assert marks == [("../../reference/rules/#plan.plus.price_usd", f"{price.as_of_text} · {price.confidence}")] * 2
    assert 'id="plan.plus.price_usd"' in (page.parent / "../../reference/rules/index.html").read_text()
    assert "gives 100 Connects.</p>" in exercise, "the article's own figure carries no marker"


def test_reference_page_is_generated_from_the_rules(built: Path, rules: Rules) -> None:
    text = (built / "reference" / "rules" / "index.html").read_text()
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    assert " ".join(rules.disclaimer.split()) in words
    for figure in rules.figures.values():
        assert f'id="{figure.id}"' in text
        assert figure.label in words
        assert f"As of: {figure.as_of_text}" in words
    plus = text[text.index('id="plan.plus.price_usd"'):text.index('id="refill.day_of_cycle"')]
    assert "$19.99" in plus
    assert "GoLance: Upwork fees explained (2026)" in plus
    assert "https://golance.com/blogs/upwork-fees-explained-2026" in plus
    assert "<td>$14.99</td>" in plus
    assert "Confidence:</strong> low" in plus


def test_a_null_figure_reads_in_its_own_words_on_the_reference_page(rules: Rules) -> None:
    """No "null" for readers: a lifted cap reads "no cap", an amount nobody publishes "not documented"."""
    text = reference_markdown(rules, admonition=True, attr_list=True)
    entry = {fid: text[text.index(f"#{fid} }}"):] for fid in ("rollover.cap", "bonus.profile_sections")}
    assert entry["rollover.cap"].split("\n")[2] == "- **Value:** no cap"
    assert "| ~2025 | no cap |" in entry["rollover.cap"]
    assert entry["bonus.profile_sections"].split("\n")[2] == "- **Value:** not documented"
    assert "null" not in text


def test_a_bound_the_course_sets_itself_cites_no_upwork_page(rules: Rules) -> None:
    """A figure the course chose (a bound for checking inputs) names the course as its source, unlinked."""
    text = reference_markdown(rules, admonition=True, attr_list=True)
    entry = text[text.index("#proposal.required_max }"):].split("\n")
    source = next(line for line in entry if line.startswith("- **Source:**"))
    assert source == f"- **Source:** {rules.sources['course'].title}"
    assert rules.sources[rules.figures["proposal.required_max"].source].url is None


def test_reference_markdown_without_optional_extensions(rules: Rules) -> None:
    text = reference_markdown(rules, admonition=False, attr_list=False)
    assert "!!!" not in text
    assert "{ #" not in text
    assert "> **Not affiliated with Upwork.**" in text


def test_changing_a_rule_changes_every_page_and_key(tmp_path: Path) -> None:
    course = copy_course(tmp_path)
    rules = tmp_path / "rules.yml"
    text = DEFAULT_RULES.read_text()
    before = "plan.plus.monthly_connects:\n    value: 100\n"
    assert before in text
    rules.write_text(text.replace(before, "plan.plus.monthly_connects:\n    value: 80\n"))
    config = course / "mkdocs.yml"
    config.write_text(config.read_text().replace("content: exercises", f"content: exercises\n      rules: {rules}"))
    site = build_course(course, tmp_path / "site")
    assert "Freelancer Plus gives 80 Connects a month,\n70 more than Basic." in (site / "index.html").read_text()
    quiz = quizzes_in(site / "quiz" / "index.html")["fixture"]
    by_id = {q["id"]: q for q in quiz["questions"]}
    assert by_id["plus"]["key"] == 80
    assert [o["text"] for o in by_id["more"]["options"]][:2] == ["70", "80"]
    reference = (site / "reference" / "rules" / "index.html").read_text()
    plus = reference[reference.index('id="plan.plus.monthly_connects"'):reference.index('id="plan.plus.price_usd"')]
    assert "<strong>Value:</strong> 80" in plus


# ---------------------------------------------------------------- content mistakes stop the build


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(course: Path) -> None:
        file = course / path
        text = file.read_text()
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1))
    return change


QUIZ = "exercises/quizzes/fixture.yml"
EXERCISE = "exercises/plans/fixture-allowance/exercise.yml"
READS = "  - id: reads-rules\n    kind: reads_rules\n    figures: [plan.plus.monthly_connects]\n    changed: {{{}}}\n"
MISTAKES = {
    "quiz key contradicts the rules": (
        _replace(QUIZ, "answer: {expr: plan.plus.monthly_connects}", "answer: 80\n    about: plan.plus.monthly_connects"),
        QUIZ, "answer: 80", "literal key 80 contradicts rule plan.plus.monthly_connects = 100"),
    "quiz key types a plan figure by hand": (
        _replace(QUIZ, "answer: {expr: plan.plus.monthly_connects}", "answer: 100"),
        QUIZ, "answer: 100", "literal key 100 is the plan figure plan.plus.monthly_connects"),
    "a figure's month and confidence typed by hand": (
        _replace("docs/lessons/plans.md", "Plus {{ plan.plus.monthly_connects }}.", "Plus 2 more (Oct 2025 · medium)."),
        "docs/lessons/plans.md", "Plus 2 more", "types a figure's month and confidence by hand, '(Oct 2025 · medium)'"),
    "quiz key expression is unknown": (
        _replace(QUIZ, "answer: {expr: plan.plus.monthly_connects}", "answer: {expr: plan.plus.monthly}"),
        QUIZ, "answer: {expr: plan.plus.monthly}", "unknown rule 'plan.plus.monthly'"),
    "unknown quiz id in a page": (
        _replace("docs/quiz.md", '{{ quiz("fixture") }}', '{{ quiz("fixtrue") }}'),
        "docs/quiz.md", 'quiz("fixtrue")', "unknown quiz 'fixtrue'; did you mean fixture"),
    "unknown exercise id in a page": (
        _replace("docs/lessons/plans.md", 'exercise("fixture-allowance")', 'exercise("fixture-allowances")'),
        "docs/lessons/plans.md", "fixture-allowances", "unknown exercise 'fixture-allowances'; did you mean fixture-allowance"),
    "unresolved rule reference after front matter": (
        _replace("docs/index.md", "{{ plan.plus.monthly_connects }} Connects", "{{ plan.nope }} Connects"),
        "docs/index.md", "plan.nope", "unknown rule 'plan.nope'"),
    "embed that does not stand alone": (
        _replace("docs/plain.md", "A page with", 'A page {{ quiz("fixture") }} with'),
        "docs/plain.md", "A page", 'quiz("fixture") }} must stand alone on its own line'),
    "quiz section names no page": (
        _replace(QUIZ, "section: lessons/plans.md#buying-connects", "section: lessons/plan.md#buying-connects"),
        QUIZ, "lessons/plan.md#", "section 'lessons/plan.md#buying-connects' is not a page of the site"),
    "quiz section names no heading": (
        _replace(QUIZ, "section: lessons/plans.md#buying-connects", "section: lessons/plans.md#buying"),
        QUIZ, "lessons/plans.md#buying\n", "lessons/plans.md has no heading or anchor '#buying'"),
    "changed figure that is not a rule": (
        _replace(EXERCISE, "    cases: [[basic], [plus]]\n", "    cases: [[basic], [plus]]\n" + READS.format("plan.gold.monthly_connects: 5")),
        EXERCISE, "    changed: {", "changed: unknown rule 'plan.gold.monthly_connects'"),
    "changed figure of another kind": (
        _replace(EXERCISE, "    cases: [[basic], [plus]]\n", "    cases: [[basic], [plus]]\n" + READS.format("plan.plus.monthly_connects: [1]")),
        EXERCISE, "    changed: {", "changed: plan.plus.monthly_connects is a number, not a list"),
    "changed figures that change no answer": (
        _replace(EXERCISE, "    cases: [[basic], [plus]]\n", "    cases: [[basic], [plus]]\n" + READS.format("purchase.price_per_connect_usd: 1.0")),
        EXERCISE, "    changed: {", "changed: these figures give today's answer to every call"),
    "two checks with changed figures": (
        _replace(EXERCISE, "    cases: [[basic], [plus]]\n", "    cases: [[basic], [plus]]\n"
                 + READS.format("plan.plus.monthly_connects: 120") + READS.replace("reads-rules", "reads-again").format(
                     "plan.basic.monthly_connects: 15")),
        EXERCISE, "    changed: {plan.basic", "changed: only one check of an exercise may run it again under other figures"),
    "exercise solution fails": (
        _replace("exercises/plans/fixture-allowance/solution.py", 'RULES[f"plan.{plan}.monthly_connects"]', "10"),
        "exercises/plans/fixture-allowance/exercise.yml", "solution:", "the solution does not pass"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_content_mistakes_stop_the_build_with_file_and_line(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    change, file, marker, message = MISTAKES[name]
    course = copy_course(tmp_path)
    change(course)
    marker_line = marker.rstrip("\n")
    line = line_of(course / file, marker_line)
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build_course(course, tmp_path / "site")
    assert f"{file}:{line}: " in caplog.text
    assert message in caplog.text
    assert not (tmp_path / "site" / "quiz" / "index.html").exists()


def test_a_quiz_no_page_embeds_fails_the_strict_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    course = copy_course(tmp_path)
    _replace("docs/quiz.md", '{{ quiz("fixture-md") }}', "")(course)
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(Abort, match="strict mode"):
        build_course(course, tmp_path / "site")
    assert "quiz 'fixture-md' (exercises/quizzes/fixture-md.yml) is not embedded in any page" in caplog.text


# ---------------------------------------------------------------- the Markdown pass on its own


def _find(kind: str, item: str) -> str | None:
    return None if item == "known" else f"unknown {kind} '{item}'"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("{{ plan.basic.monthly_connects }}", "10"),
        ("a {{plan.plus.monthly_connects}} b {{ usd(plan.plus.price_usd) }}", "a 100 b $19.99"),
        ("```\n{{ plan.nope }}\n```", "```\n{{ plan.nope }}\n```"),
        ("````md\n```\n{{ plan.nope }}\n```\n````\n{{ refill.day_of_cycle }}", "````md\n```\n{{ plan.nope }}\n```\n````\n1"),
        ("~~~\n{{ plan.nope }}\n```\n~~~\n{{ refill.day_of_cycle }}", "~~~\n{{ plan.nope }}\n```\n~~~\n1"),
        ("    ```python\n    {{ plan.nope }}\n    ```", "    ```python\n    {{ plan.nope }}\n    ```"),
        ("`{{ plan.basic.monthly_connects }}`", "`10`"),
    ],
)
def test_substitution_skips_fenced_code(rules: Rules, markdown: str, expected: str) -> None:
    result = process(markdown, rules, find=_find, nonce="n")
    assert result.problems == []
    assert result.markdown == expected


def test_embeds_become_tokens_in_their_own_paragraph(rules: Rules) -> None:
    result = process('Text\n    {{ quiz("known") }}\n{{exercise(\'known\')}}', rules, find=_find, nonce="n")
    assert [(e.kind, e.id, e.line) for e in result.embeds] == [("quiz", "known", 2), ("exercise", "known", 3)]
    assert result.markdown == "Text\n\n    quizkitembednx0\n\n\nquizkitembednx1\n"


def test_every_problem_of_a_page_is_reported_with_its_line(rules: Rules) -> None:
    result = process('ok\n{{ plan.nope }} and {{ 1 / 0 }}\n{{ quiz("other") }}\n{{ __import__("os") }}',
                     rules, find=_find, nonce="n")
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (2, "in {{ plan.nope }}"), (2, "in {{ 1 / 0 }}"), (3, "unknown quiz 'other'"), (4, 'in {{ __import__("os") }}'),
    ]
