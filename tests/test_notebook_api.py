"""`quizkit.notebook` outside Jupyter: the page's verdicts, from functions defined in files."""

from __future__ import annotations

import importlib.util
import itertools
import re
import shutil
from pathlib import Path
from textwrap import dedent
from types import ModuleType

import pytest

from quizkit import notebook
from quizkit.course import Course
from quizkit.grader import Grade, grade, learner_globals
from quizkit.model import Rules
from quizkit.notebook import RULES, NotebookError, NotebookGrade, check, find_content, source_of
from tests.conftest import EXERCISES

_names = itertools.count()


@pytest.fixture(autouse=True)
def content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZKIT_CONTENT", str(EXERCISES))
    monkeypatch.delenv("QUIZKIT_RULES", raising=False)


@pytest.fixture(scope="module")
def course() -> Course:
    return Course.load(EXERCISES)


def define(folder: Path, source: str) -> ModuleType:
    """Run `source` as a module file, as a learner's cell would be: inspect can read it back."""
    name = f"learner_{next(_names)}"
    path = folder / f"{name}.py"
    path.write_text(dedent(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOLUTION = '''\
def proposals_per_month(plan, required):
    """Whole proposals at `required` Connects each that `plan`'s monthly Connects pay for."""
    return RULES[f"plan.{plan}.monthly_connects"] // required
'''


# ---------------------------------------------------------------- RULES and verdicts


def test_the_names_learner_code_gets_in_the_page_are_all_here(rules: Rules) -> None:
    names = learner_globals(rules)
    assert names["RULES"] == RULES
    for name, value in names.items():
        assert getattr(notebook, name) == value
        assert name in notebook.__all__


def test_a_solution_passes_with_the_graders_verdict(tmp_path: Path, course: Course, rules: Rules,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    module = define(tmp_path, SOLUTION)
    result = check("monthly-allowance", module.proposals_per_month)
    assert isinstance(result, Grade)
    assert result.passed
    assert result.to_data() == grade(course.exercise("monthly-allowance"), SOLUTION, rules).to_data()
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == "monthly-allowance: passed (3 of 3 checks passed)"
    assert re.search(r"^  PASS matches-rules: `proposals_per_month` gives the right answer in all \d+ cases\.$", printed, re.MULTILINE)


@pytest.mark.parametrize("exercise_id", ["monthly-allowance", "balance-after", "next-refill"])
def test_every_known_wrong_attempt_fails_with_the_pages_messages(exercise_id: str, tmp_path: Path, course: Course,
                                                                 rules: Rules) -> None:
    exercise = course.exercise(exercise_id)
    function = next(c.function for c in exercise.checks if c.kind == "function")
    for wrong in exercise.wrong:
        module = define(tmp_path, wrong.source)
        result = check(exercise_id, getattr(module, function))
        assert result.to_data() == grade(exercise, wrong.source, rules).to_data()
        assert wrong.message in result.misconceptions
        assert wrong.message in result.text()


def test_a_failure_is_printed_check_by_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = define(tmp_path, 'def proposals_per_month(plan, required):\n    return {"basic": 10, "plus": 100}[plan] // required\n')
    result = check("monthly-allowance", module.proposals_per_month)
    assert result.status == "failed"
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "monthly-allowance: failed (2 of 3 checks passed)"
    assert lines[1] == "  PASS defines: `proposals_per_month` is defined."
    assert lines[3].startswith("  FAIL reads-rules: Line 2 types 10, which is the figure for ")
    assert lines[4].startswith("       The arithmetic is right, but the allowances are typed by hand.")


def test_the_whole_defining_file_is_graded_with_its_imports_and_helpers(tmp_path: Path, course: Course, rules: Rules) -> None:
    exercise = course.exercise("next-refill")
    module = define(tmp_path, exercise.solution)
    assert check("next-refill", module.next_refill).passed
    assert source_of(exercise, (module.next_refill,)) == exercise.solution


def test_a_helper_from_another_file_is_passed_too(tmp_path: Path) -> None:
    helper = define(tmp_path, 'def allowance_key(plan):\n    return f"plan.{plan}.monthly_connects"\n')
    main = define(tmp_path, "def proposals_per_month(plan, required):\n    return RULES[allowance_key(plan)] // required\n")
    alone = check("monthly-allowance", main.proposals_per_month)
    assert alone.status == "failed"
    assert "NameError" in alone.text()
    assert "pass a function of that cell too" in alone.text()
    assert check("monthly-allowance", main.proposals_per_month, helper.allowance_key).passed


def test_notebook_plumbing_is_blanked_and_lines_keep_their_numbers(tmp_path: Path, course: Course) -> None:
    module = define(tmp_path, "from quizkit.notebook import RULES, check\n\n" + SOLUTION)
    source = source_of(course.exercise("monthly-allowance"), (module.proposals_per_month,))
    assert source == "\n\n" + SOLUTION
    assert check("monthly-allowance", module.proposals_per_month).passed


CALLS_CHECK = {
    "kept": 'result = check("monthly-allowance", proposals_per_month)\nresult\n',
    "printed": 'print(check("monthly-allowance", proposals_per_month))\n',
    "an attribute": 'status = check("monthly-allowance", proposals_per_month).status\nprint(status)\n',
    "a main block": 'if __name__ == "__main__":\n    check("monthly-allowance", proposals_per_month)\n',
    "a main block on one line": 'if __name__ == "__main__": print(check("monthly-allowance", proposals_per_month))\n',
    "a main block with other code": ('if __name__ == "__main__":\n    print("tried", proposals_per_month("basic", 2))\n'
                                     '    result = check("monthly-allowance", proposals_per_month)\n'
                                     '    print(result.status)\nelse:\n    check("monthly-allowance", proposals_per_month)\n'),
    "an alias": 'from quizkit.notebook import check as grade_it\nfeedback = grade_it("monthly-allowance", proposals_per_month)\n',
    "beside other code": 'print("tried", proposals_per_month("basic", 2)); check("monthly-allowance", proposals_per_month)\n',
}
"""Cells that grade themselves: each statement whose only purpose is calling `check` is plumbing (session 33: each gave
"NameError: name 'check' is not defined", as the code graded had no `check`)."""


@pytest.mark.parametrize("plumbing", CALLS_CHECK.values(), ids=list(CALLS_CHECK))
def test_a_statement_that_calls_check_is_plumbing_not_the_answer(plumbing: str, tmp_path: Path, course: Course) -> None:
    module = define(tmp_path, f"from quizkit.notebook import RULES, check\n\n{SOLUTION}\n{plumbing}")
    graded = source_of(course.exercise("monthly-allowance"), (module.proposals_per_month,))
    assert graded.startswith("\n\n" + SOLUTION), "lines keep their numbers"
    assert "check(" not in graded
    assert ("tried" in graded) is ("tried" in plumbing), "the learner's own code stays"
    result = check("monthly-allowance", module.proposals_per_month)
    assert result.passed, result.text()
    assert result.output.startswith("tried 5\n" if "tried" in plumbing else "")


def test_check_without_the_exercise_id_says_the_call_to_make() -> None:
    """`check(proposals_per_month)`, the id left out, ended in a TypeError from deep in the id lookup."""
    def proposals_per_month(plan: str, connects_per_proposal: int) -> int:
        return 0

    with pytest.raises(NotebookError, match=re.escape(
            'check() needs the exercise\'s id first, in quotes: `check("monthly-allowance", proposals_per_month)`.')):
        check(proposals_per_month)  # type: ignore[arg-type]
    with pytest.raises(NotebookError, match=r'in quotes, then your functions, as in `check\(".*\)`\. The ids: .*"monthly-allowance"'):
        check(None, proposals_per_month)  # type: ignore[arg-type]


@pytest.mark.parametrize(("cell", "graded"), [
    ('if __name__ == "__main__":\n    print(1)\nelif x:\n    check("a", f)\nelse:\n    r = check("a", f)\n    print(r)\n',
     'if __name__ == "__main__":\n    print(1)\nelif x:\n    pass\nelse:\n    pass\n\n'),
    ('try:\n    check("a", f)\nexcept NameError:\n    print("no")\n', 'try:\n    pass\nexcept NameError:\n    print("no")\n'),
    ('for f in (a, b):\n    check("x", f)\nfor i in range(3):\n    print(i, check("x", f).status)  # note\n', "\n\n\n\n"),
    ('x = 1; check("a", f); y = 2\ncheck("a",\n      f)\n', "x = 1; pass; y = 2\n\n\n"),
    ('é = "é"; check("é", f)\n', 'é = "é"; pass\n'),
    ('if __name__ == "__main__":\n    from quizkit.notebook import check\n    check("a", f)\n', "\n\n\n"),
    ("try:\n    from quizkit.notebook import course\nexcept ImportError:\n    course = None\n",
     "try:\n    from quizkit.notebook import course\nexcept ImportError:\n    course = None\n"),
    # IPython's magics (`%time x = 1`, `!ls`, `f?`) as IPython runs them: they cannot run where the code is graded.
    ("get_ipython().run_line_magic('time', 'x = 1')\nfiles = get_ipython().getoutput('ls')\nprint(files)\ny = 2\n",
     "\n\n\ny = 2\n"),
], ids=["elif and else", "try", "loops", "on a line with other code", "offsets in bytes", "an import in a main block",
        "an import that may fail", "IPython magics"])
def test_plumbing_is_blanked_where_it_stands_and_what_is_left_still_parses(cell: str, graded: str) -> None:
    from quizkit.plumbing import without_plumbing

    assert without_plumbing(cell) == graded


def test_a_name_check_in_the_learners_own_code_is_left_alone(course: Course) -> None:
    source = ('def proposals_per_month(plan, required):\n    check = RULES[f"plan.{plan}.monthly_connects"]\n'
              "    return check // required\n\n\ncheck_of_basic = proposals_per_month('basic', 2)\nchecks = [check_of_basic]\n")
    assert source_of(course.exercise("monthly-allowance"), (source,)) == source
    assert check("monthly-allowance", source).passed


def test_the_code_it_grades_cannot_reach_the_grader() -> None:
    # Not a call of `check`, which is plumbing and blanked (`test_a_statement_that_calls_check_is_plumbing_not_the_answer`).
    source = "import importlib\ndone = importlib.import_module('quizkit.notebook').course()\n" + SOLUTION
    result = check("monthly-allowance", source)
    assert result.status == "error"
    assert result.error is not None
    assert result.error.type == "ModuleNotFoundError"
    assert "No module named 'quizkit'" in result.error.message


# ---------------------------------------------------------------- errors in the learner's code


def test_a_syntax_error_in_source_text_names_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    result = check("monthly-allowance", "def proposals_per_month(plan, required):\n    return RULES[plan\n")
    assert result.status == "error"
    assert result.error is not None
    assert result.error.kind == "syntax"
    assert result.error.line == 2
    assert "line 2" in capsys.readouterr().out


def test_an_exception_while_loading_names_its_line(rules: Rules, course: Course) -> None:
    source = "def proposals_per_month(plan, required):\n    return 0\n\n1 / 0\n"
    result = check("monthly-allowance", source)
    assert result.to_data() == grade(course.exercise("monthly-allowance"), source, rules).to_data()
    assert result.error is not None
    assert result.error.line == 4
    assert "ZeroDivisionError on line 4" in result.text()


# ---------------------------------------------------------------- display


def test_html_escapes_every_text(tmp_path: Path) -> None:
    module = define(tmp_path, 'def proposals_per_month(plan, required):\n    print("<script>alert(1)</script>")\n    return "<b>&</b>"\n')
    result = check("monthly-allowance", module.proposals_per_month)
    html = result._repr_html_()
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert 'data-status="failed"' in html
    assert "<code>proposals_per_month</code>" in html


def test_text_shows_what_a_terminal_would_act_on_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed raw (outside IPython, `jupyter console`), cursor-up and conceal sequences redrew the headline as "passed"."""
    drawn = "\\x1b[6A\\r\\x1b[2Kmonthly-allowance: passed\\x1b[8m"
    printing = (f'print("{drawn}")\n'
                'def proposals_per_month(plan, required):\n    raise ValueError("\\x1b[2J")\n')
    raising = f'def proposals_per_month(plan, required):\n    return 0\n\nraise ValueError("{drawn}")\n'
    for source, raw in ((printing, "output"), (raising, "error")):
        result = check("monthly-allowance", source)
        shown = capsys.readouterr().out
        assert result.error is not None if raw == "error" else "\x1b" in result.checks[1].message, "a check's message"
        assert "\x1b" in (result.error.message + result.error.traceback if result.error else result.output)
        for text in (result.text(), shown):
            assert "\x1b" not in text
            assert "\r" not in text
        assert drawn in result.text()


def test_ipython_shows_the_text(tmp_path: Path) -> None:
    class Printer:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def text(self, value: str) -> None:
            self.texts.append(value)

    result = check("monthly-allowance", define(tmp_path, SOLUTION).proposals_per_month)
    printer = Printer()
    result._repr_pretty_(printer, cycle=False)
    assert printer.texts == [result.text()] == [str(result)]


def test_results_keep_the_last_grade_of_each_exercise(tmp_path: Path) -> None:
    check("monthly-allowance", "def proposals_per_month(plan, required):\n    return 0\n")
    last = check("monthly-allowance", define(tmp_path, SOLUTION).proposals_per_month)
    assert notebook.results()["monthly-allowance"] is last
    assert isinstance(last, NotebookGrade)


# ---------------------------------------------------------------- misuse


def test_an_unknown_id_suggests_close_ones(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match="unknown exercise 'monthly-alowance'; did you mean monthly-allowance"):
        check("monthly-alowance", define(tmp_path, SOLUTION).proposals_per_month)


@pytest.mark.parametrize(("code", "message"), [
    ((), r'Pass the function\(s\) to grade: `check\("monthly-allowance", proposals_per_month\)`'),
    ((10,), "without calling it"),
    (("proposals_per_month",), "without quotes"),
    ((lambda plan: 0,), "cannot grade a lambda"),
    ((len,), "check\\(\\) grades functions"),
])
def test_misuse_gets_a_message_that_says_what_to_do(code: tuple[object, ...], message: str) -> None:
    with pytest.raises(NotebookError, match=message):
        check("monthly-allowance", *code)  # type: ignore[arg-type]


def test_a_function_without_source_is_refused() -> None:
    namespace: dict[str, object] = {}
    exec("def proposals_per_month(plan, required):\n    return 0\n", namespace)  # a function with no file
    with pytest.raises(NotebookError, match="cannot be read"):
        check("monthly-allowance", namespace["proposals_per_month"])  # type: ignore[arg-type]


# ---------------------------------------------------------------- finding the content


def write_exercise(root: Path) -> Path:
    folder = root / "exercises" / "plans" / "only-ten"
    folder.mkdir(parents=True)
    (folder / "exercise.yml").write_text(dedent("""\
        id: only-ten
        title: Ten
        lesson: plans
        prompt: prompt.md
        starter: starter.py
        solution: solution.py
        hints: [Return ten.]
        checks:
          - id: defines
            kind: defines
            name: ten
        """), encoding="utf-8")
    (folder / "prompt.md").write_text("Define `ten`.\n", encoding="utf-8")
    (folder / "starter.py").write_text("", encoding="utf-8")
    (folder / "solution.py").write_text("def ten():\n    return 10\n", encoding="utf-8")
    return root / "exercises"


def test_the_env_var_names_the_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_exercise(tmp_path / "course")
    monkeypatch.setenv("QUIZKIT_CONTENT", str(content))
    assert find_content() == content.resolve()
    assert check("only-ten", "def ten():\n    return 10\n").passed
    monkeypatch.setenv("QUIZKIT_CONTENT", str(tmp_path / "course"))  # the course folder itself is accepted too
    assert find_content() == content.resolve()


def test_an_env_var_without_exercises_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZKIT_CONTENT", str(tmp_path))
    with pytest.raises(NotebookError, match=r"QUIZKIT_CONTENT is set to .* holds no exercise\.yml files"):
        find_content()


def test_without_the_env_var_the_content_is_found_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZKIT_CONTENT")
    content = write_exercise(tmp_path / "course")
    (content / "workbooks").mkdir()
    assert find_content(content / "workbooks") == content.resolve()
    assert find_content(tmp_path / "course") == content.resolve()
    monkeypatch.chdir(content / "workbooks")
    assert find_content() == content.resolve()
    assert check("only-ten", "def ten():\n    return 10\n").passed


def test_no_content_anywhere_says_how_to_point_at_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZKIT_CONTENT")
    with pytest.raises(NotebookError, match="set QUIZKIT_CONTENT to the course's `exercises` folder"):
        find_content(tmp_path)


def test_the_course_is_loaded_once() -> None:
    assert notebook.course() is notebook.course()


def test_another_rules_file_can_be_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizkit.load import DEFAULT_RULES

    copy = tmp_path / "rules.yml"
    copy.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("QUIZKIT_RULES", str(copy))
    assert notebook.course().rules_path == copy.resolve()


# ---------------------------------------------------------------- figures


def test_figure_lines_show_each_value_with_its_marker_where_readers_need_it(rules: Rules) -> None:
    lines = dict(line.split(maxsplit=1) for line in notebook.figure_lines(rules))
    assert list(lines) == sorted(rules.figures)
    for figure_id, shown in lines.items():
        figure = rules.figures[figure_id]
        value = f"None: {figure.none_means}" if figure.value is None else repr(figure.value)
        own = " (the course's own bound, not an Upwork figure)" if figure.own else ""
        assert shown == (f"{value} ({figure.mark_text})" if figure.needs_label else value + own), figure_id
    assert lines["proposal.required_max"].endswith("(the course's own bound, not an Upwork figure)")
    assert any(rules.figures[f].needs_label for f in lines)
    assert any(not rules.figures[f].needs_label for f in lines)
    assert any(rules.figures[f].value is None for f in lines)


def test_a_low_confidence_price_and_a_null_figure_read_as_they_should(rules: Rules) -> None:
    import dataclasses

    price = dataclasses.replace(rules.figures["plan.plus.price_usd"], value=19.99, confidence="low", in_article=False)
    cap = dataclasses.replace(rules.figures["rollover.cap"], value=None, none_means="no cap")
    sure = dataclasses.replace(rules.figures["plan.basic.monthly_connects"], value=10, confidence="high", in_article=True)
    changed = dataclasses.replace(rules, figures={**rules.figures, price.id: price, cap.id: cap, sure.id: sure})
    lines = notebook.figure_lines(changed, "plan.plus.price_usd", "rollover.", "plan.basic.monthly_connects")
    assert lines == [
        "plan.basic.monthly_connects  10",
        f"plan.plus.price_usd          19.99 ({price.as_of_text} · low)",
        f"rollover.cap                 None: no cap ({cap.mark_text})" if cap.needs_label else
        "rollover.cap                 None: no cap",
    ]


def test_show_figures_prints_the_figures_of_the_prefixes(capsys: pytest.CaptureFixture[str], rules: Rules) -> None:
    notebook.show_figures("plan.", "rollover.")
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed] == sorted(f for f in rules.figures if f.startswith(("plan.", "rollover.")))
    assert len({line.index(line.split()[1]) for line in printed}) == 1, "values line up"


def test_a_notebook_error_shows_only_its_message_in_ipython() -> None:
    error = NotebookError("unknown exercise 'x'; did you mean y?")
    assert error._render_traceback_() == ["NotebookError: unknown exercise 'x'; did you mean y?"]


def test_another_exercises_broken_file_does_not_stop_a_check(tmp_path: Path, rules: Rules) -> None:
    """The grading process finds the exercise by reading each folder; one it cannot read is skipped, as the course does."""
    from quizkit.notebook import _fresh_exercise

    content = tmp_path / "exercises"
    shutil.copytree(EXERCISES, content)
    (content / "plans" / "balance-after" / "exercise.yml").write_text("id: [broken\n", encoding="utf-8")
    assert _fresh_exercise(content, rules, "monthly-allowance").id == "monthly-allowance"
