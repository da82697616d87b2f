"""`quizkit check` on broken content: each kind of mistake fails with its file and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from quizkit.cli import main

EXERCISE_YML = dedent("""\
    id: allowance
    title: Allowance
    lesson: plans
    prompt: prompt.md
    starter: starter.py
    solution: solution.py
    hints:
      - Look in RULES.
    checks:
      - id: defines
        kind: defines
        name: monthly_connects
      - id: matches
        kind: function
        function: monthly_connects
        reference: monthly_connects
        cases: [[basic], [plus]]
      - id: reads
        kind: reads_rules
        figures: [plan.basic.monthly_connects, plan.plus.monthly_connects]
    wrong:
      - file: wrong/basic.py
        fails: matches
        message: Each plan has its own figure.
    """)
QUIZ_YML = dedent("""\
    id: plans
    title: Plans
    lesson: lessons/plans.md
    questions:
      - id: plus
        type: numeric
        text: Connects a month on Plus?
        answer: {expr: plan.plus.monthly_connects}
        explanation: Plus gives {{ plan.plus.monthly_connects }}.
        section: lessons/plans.md#plans
    """)
FILES = {
    "plans/allowance/exercise.yml": EXERCISE_YML,
    "plans/allowance/prompt.md": "Write `monthly_connects(plan)`.\n",
    "plans/allowance/starter.py": "def monthly_connects(plan):\n    return 0\n",
    "plans/allowance/solution.py": 'def monthly_connects(plan):\n    return RULES[f"plan.{plan}.monthly_connects"]\n',
    "plans/allowance/wrong/basic.py": 'def monthly_connects(plan):\n    return RULES["plan.basic.monthly_connects"]\n',
    "quizzes/plans.yml": QUIZ_YML,
}


def write_course(root: Path, **changes: str) -> Path:
    """Write the small good course, with some files replaced (`path__with__slashes=text`)."""
    files = {**FILES, **{key.replace("__", "/"): text for key, text in changes.items()}}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--content", str(root)])
    return code, [line for line in capsys.readouterr().err.splitlines() if not line.endswith("problem(s) found")]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_good_course_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(write_course(tmp_path), capsys) == (0, [])


def test_the_real_course_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0, capsys.readouterr().err


BROKEN = {
    "yaml error": ("plans/allowance/exercise.yml", lambda t: t.replace("lesson: plans", "lesson: [plans"), "prompt: prompt.md",
                   r"YAML error: (did not find )?expected ',' or '\]'.* \(while parsing a flow sequence on line 3\)"),
    "unknown field": ("plans/allowance/exercise.yml", lambda t: t.replace("lesson: plans", "lesson: plans\nlevel: 3"), "level: 3",
                      r"unknown field 'level'"),
    "solution fails": ("plans/allowance/solution.py", lambda t: "def monthly_connects(plan):\n    return 1\n", "solution: solution.py",
                       r"the solution does not pass: matches: monthly_connects\('basic'\) returned 1"),
    "starter passes": ("plans/allowance/starter.py", lambda t: FILES["plans/allowance/solution.py"], "starter: starter.py",
                       r"the starter passes every check"),
    "wrong attempt passes": ("plans/allowance/wrong/basic.py", lambda t: FILES["plans/allowance/solution.py"], "- file: wrong/basic.py",
                             r"known-wrong attempt wrong/basic.py passes every check"),
    "wrong for another reason": ("plans/allowance/wrong/basic.py", lambda t: "x = 1\n", "- file: wrong/basic.py",
                                 r"should fail 'matches' but fails for another reason \(defines, matches, reads\)"),
    "literal key": ("quizzes/plans.yml", lambda t: t.replace("{expr: plan.plus.monthly_connects}", "80"), "answer: 80",
                    r"literal key 80 is the former value of plan.plus.monthly_connects"),
    "unresolved reference": ("quizzes/plans.yml", lambda t: t.replace("{{ plan.plus.monthly_connects }}", "{{ plan.plus.monthly }}"),
                             "explanation:", r"unknown rule 'plan.plus.monthly'"),
    "mistake that gives the key": ("quizzes/plans.yml", lambda t: t.replace(
        "    section: lessons/plans.md#plans",
        "    mistakes:\n      - answer: {expr: plan.plus.monthly_connects}\n        feedback: You added twice.\n"
        "    section: lessons/plans.md#plans"), "- answer: {expr: plan.plus.monthly_connects}",
        r"this mistake gives 100, the key: a reader who makes it would be told they are right"),
    "figure in words in a hint": ("plans/allowance/exercise.yml", lambda t: t.replace("- Look in RULES.", "- Basic gives ten Connects."),
                                  "ten Connects", (r"types a plan figure: 'ten Connects' is the figure plan.basic.monthly_connects: "
                                                   r"write \{\{ plan.basic.monthly_connects \}\} .*or \{\{ scenario\(10\) \}\} \(in digits\)")),
    "a year in an explanation": ("quizzes/plans.yml", lambda t: t.replace("Plus gives {{ plan.plus.monthly_connects }}.",
                                                                          "Plus gives {{ plan.plus.monthly_connects }}; each lasts a year."),
                                 "explanation:", r"types a plan figure: 'a year' is the figure expiry.months"),
    "cents in a question": ("quizzes/plans.yml", lambda t: t.replace("Connects a month on Plus?", "Connects a month on Plus, at 15 cents?"),
                            "text:", r"types a plan figure: '15 cents' is the figure purchase.price_per_connect_usd"),
    "figure in an exercise's title": ("plans/allowance/exercise.yml", lambda t: t.replace("title: Allowance", "title: Plus's 100 Connects"),
                                      "title:", r"types a plan figure: '100' is the figure plan.plus.monthly_connects"),
    "figure in a quiz's title": ("quizzes/plans.yml", lambda t: t.replace("title: Plans", "title: Basic's ten Connects"),
                                 "title:", r"types a plan figure: 'ten Connects' is the figure plan.basic.monthly_connects"),
    "unknown reference in a check": ("plans/allowance/exercise.yml", lambda t: t.replace("reference: monthly_connects", "reference: nope"),
                                     "reference: nope", r"unknown reference 'nope'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_kind_of_broken_content_fails_with_file_and_line(case: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    name, change, needle, message = BROKEN[case]
    broken = change(FILES[name])
    root = write_course(tmp_path, **{name.replace("/", "__"): broken})
    yml = name if name.endswith(".yml") else "plans/allowance/exercise.yml"
    line = line_of((root / yml).read_text(encoding="utf-8"), needle)
    code, lines = check(root, capsys)
    assert code == 1
    assert len(lines) == 1, lines
    assert re.match(rf"{re.escape(str(root / yml))}:{line}: .*{message}", lines[0]), lines[0]


ENDLESS = "def monthly_connects(plan):\n    while True:\n        pass\n"
LIMIT = "did not finish within 0.5 s, the exercise's time limit (`timeout_s`): does it loop for ever?"


@pytest.mark.parametrize(("name", "needle", "who"), [
    ("plans/allowance/solution.py", "solution: solution.py", "the solution"),
    ("plans/allowance/starter.py", "starter: starter.py", "the starter"),
    ("plans/allowance/wrong/basic.py", "- file: wrong/basic.py", "known-wrong attempt wrong/basic.py"),
])
def test_author_code_that_never_ends_fails_with_its_line(name: str, needle: str, who: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The check grades author code in its own interpreter: code that loops is interrupted at the exercise's time limit
    and named, where it used to hang the check and the build (and the page, which grades the starter ahead of the reader)."""
    yml = EXERCISE_YML.replace("solution: solution.py\n", "solution: solution.py\ntimeout_s: 0.5\n")
    root = write_course(tmp_path, **{"plans__allowance__exercise.yml": yml, name.replace("/", "__"): ENDLESS})
    code, lines = check(root, capsys)
    assert code == 1
    assert lines == [f"{root / 'plans/allowance/exercise.yml'}:{line_of(yml, needle)}: {who} {LIMIT}"]


def test_duplicate_ids_are_reported_with_the_second_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_course(tmp_path)
    copy = root / "spending" / "allowance-again"
    for name, text in FILES.items():
        if name.startswith("plans/allowance/"):
            (copy / name.removeprefix("plans/allowance/")).parent.mkdir(parents=True, exist_ok=True)
            (copy / name.removeprefix("plans/allowance/")).write_text(text, encoding="utf-8")
    code, lines = check(root, capsys)
    assert code == 1
    first = root / "plans/allowance/exercise.yml"
    assert lines == [f"{copy / 'exercise.yml'}:1: duplicate exercise id 'allowance' (first defined in {first})"]


def test_problems_are_all_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_course(tmp_path, **{
        "plans__allowance__starter.py": FILES["plans/allowance/solution.py"],
        "quizzes__plans.yml": QUIZ_YML.replace("{expr: plan.plus.monthly_connects}", "100"),
    })
    code, lines = check(root, capsys)
    assert code == 1
    assert len(lines) == 2


def test_content_errors_never_show_a_traceback(tmp_path: Path) -> None:
    root = write_course(tmp_path, **{"quizzes__plans.yml": "id: [\n"})
    done = subprocess.run([sys.executable, "-m", "quizkit.cli", "check", "--content", str(root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{root / 'quizzes/plans.yml'}:" in done.stderr


def test_a_broken_rules_file_fails_check_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text("schema: 1\ntitle: x\n", encoding="utf-8")
    assert main(["check", "--content", str(write_course(tmp_path / "c")), "--rules", str(rules)]) == 1
    assert f"{rules}:1: missing required field 'sources'" in capsys.readouterr().err


LESSON = dedent("""\
    ---
    title: Plans
    ---
    # Plans

    Plus gives {{ plan.plus.monthly_connects }} Connects a month.

    Basic gives {{ plan.basic.monthly_connecs }}.

    {{ quiz("plan") }}

    {{ exercise("allowance") }}

    ## Invites

    A [reply costs {{ invites.reply_cost }} Connects](https://example.org).
    """)


def test_check_reads_the_lessons_as_the_build_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Expressions, embed markers and figure markers in `docs/` fail `quizkit check` at their line, not only the build."""
    content = write_course(tmp_path / "exercises")
    lesson = tmp_path / "docs" / "lessons" / "plans.md"
    lesson.parent.mkdir(parents=True)
    lesson.write_text(LESSON, encoding="utf-8")
    code, lines = check(content, capsys)
    assert code == 1
    where = f"{lesson}:"
    assert lines == [
        (f"{where}{line_of(LESSON, 'monthly_connecs')}: in {{{{ plan.basic.monthly_connecs }}}}: unknown rule "
        "'plan.basic.monthly_connecs' (did you mean one of: plan.basic.monthly_connects, plan.basic.price_usd, "
        "plan.plus.monthly_connects, plan.plus.price_usd, plan.plus.tools?)"),
        f"{where}{line_of(LESSON, 'quiz(')}: unknown quiz 'plan'; did you mean plans?",
        (f"{where}{line_of(LESSON, 'reply_cost')}: {{{{ invites.reply_cost }}}} shows 'Connects needed to reply to a "
        "client's invitation' inside a link's text, where its month and confidence cannot follow it: move the figure "
        "out of the link"),
    ]
