from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quizkit.cli import main
from quizkit.load import DEFAULT_RULES
from tests.test_check import FILES, write_course


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return write_course(tmp_path / "course")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json_names_ids_and_files(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json", "--content", str(course))
    assert code == 0
    items = json.loads(out)
    assert {(i["kind"], i["id"]) for i in items} == {("exercise", "allowance"), ("quiz", "plans")}
    assert {i["file"] for i in items} == {str(course / "plans/allowance/exercise.yml"), str(course / "quizzes/plans.yml")}


def test_list_says_what_each_item_is_and_what_to_type(course: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner who does not use the site finds the exercise by its title, and the command to use with its id."""
    monkeypatch.chdir(course)
    code, out, _ = run(capsys, "list", "--content", str(course))
    assert code == 0
    lines = out.splitlines()
    allowance = next(line for line in lines if " allowance " in line)
    assert allowance.split()[:2] == ["exercise", "allowance"]
    assert "Allowance" in allowance, "its title"
    assert allowance.endswith(" plans/allowance/exercise.yml"), "its file, from where the learner is"
    assert [line.split()[1] for line in lines[:2]] == ["allowance", "plans"], "exercises first, then quizzes"
    assert lines[-2:] == ["Grade your code for an exercise: quizkit grade EXERCISE-ID FILE.py",
                          "Take a quiz in the terminal: quizkit quiz QUIZ-ID"]


def test_grade_exits_0_for_a_solution_and_1_for_a_wrong_one(course: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(FILES["plans/allowance/solution.py"], encoding="utf-8")
    bad.write_text(FILES["plans/allowance/wrong/basic.py"], encoding="utf-8")
    code, out, _ = run(capsys, "grade", "allowance", str(good), "--content", str(course))
    assert code == 0
    assert out.splitlines()[-1].startswith("passed: ")  # the status word first, for scripts
    code, out, _ = run(capsys, "grade", "allowance", str(bad), "--content", str(course), "--json")
    assert code == 1
    result = json.loads(out)
    assert result["status"] == "failed"
    assert [c["misconception"] for c in result["checks"] if not c["passed"]] == ["Each plan has its own figure."]


def test_grade_an_unknown_exercise_suggests_close_ids(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "grade", "alowance", str(tmp_path / "x.py"), "--content", str(course))
    assert code == 2
    assert "unknown exercise 'alowance'; did you mean allowance?" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_rules_path_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "rules", "--path")
    assert (code, out.strip()) == (0, str(DEFAULT_RULES.resolve()))
    own = tmp_path / "own.yml"
    own.write_text(DEFAULT_RULES.read_text(encoding="utf-8").replace("value: 100\n", "value: 90\n", 1), encoding="utf-8")
    code, out, _ = run(capsys, "rules", "--json", "--rules", str(own))
    assert code == 0
    assert json.loads(out)["figures"]["plan.plus.monthly_connects"]["value"] == 90


def test_rules_text_marks_figures_beyond_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "rules")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "beyond the article" not in lines["plan.plus.monthly_connects"]
    assert "beyond the article" in lines["purchase.price_per_connect_usd"]
    assert lines["rollover.cap"].split()[1:3] == ["no", "cap"], "a null in the figure's own words"
    assert lines["bonus.profile_sections"].split()[1:3] == ["not", "documented"]


def test_quiz_with_an_answers_file(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"plus": 100}), encoding="utf-8")
    code, out, _ = run(capsys, "quiz", "plans", "--answers", str(answers), "--content", str(course))
    assert code == 0
    assert out.splitlines()[-1] == "score: 1/1"
    answers.write_text(json.dumps({"plus": 90}), encoding="utf-8")
    code, out, _ = run(capsys, "quiz", "plans", "--answers", str(answers), "--content", str(course), "--json")
    assert code == 1
    assert json.loads(out)["score"] == 0


def test_quiz_in_the_terminal(course: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("100\n"))
    code, out, _ = run(capsys, "quiz", "plans", "--content", str(course))
    assert code == 0
    assert "Connects a month on Plus?" in out
    assert "score: 1/1" in out


def test_a_bad_answers_file_is_a_usage_error(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "quiz", "plans", "--answers", str(answers), "--content", str(course))
    assert code == 2
    assert "cannot read answers" in err


def test_grade_sets_the_codes_output_apart_escapes_what_a_terminal_would_act_on_and_ends_with_the_verdict_in_words(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Printed raw, this drew a passing verdict and hid the real one (ESC[8m conceals what follows).
    spoof = tmp_path / "spoof.py"
    spoof.write_text('print("PASS matches: right.")\nprint("passed\\x1b[8m")\n' + FILES["plans/allowance/wrong/basic.py"],
                     encoding="utf-8")
    code, out, _ = run(capsys, "grade", "allowance", str(spoof), "--content", str(course))
    assert code == 1
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[:3] == ["Your code printed:", "  | PASS matches: right.", "  | passed\\x1b[8m"]
    rows = [line[:4] for line in lines[3:-1] if line[:4] in ("PASS", "FAIL")]
    assert "FAIL" in rows
    assert lines[-1] == f"failed: {rows.count('PASS')} of {len(rows)} checks passed"

    broken = tmp_path / "broken.py"
    broken.write_text("def monthly_connects(plan)\n    return 1\n", encoding="utf-8")
    code, out, _ = run(capsys, "grade", "allowance", str(broken), "--content", str(course))
    assert (code, out.splitlines()[-1]) == (1, "error: your code stopped with an error before it could be checked (see above)")


def test_grade_says_once_what_a_figure_s_month_and_confidence_after_an_answer_mean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On a page the marker links to the reference page; in a terminal it could be read as part of the answer."""
    late = Path(__file__).resolve().parents[1] / "exercises" / "plans" / "balance-after" / "wrong" / "expires_a_month_late.py"
    code, out, _ = run(capsys, "grade", "balance-after", str(late))
    lines = out.splitlines()
    fail = next(line for line in lines if line.startswith("FAIL"))
    mark = fail[fail.index("(", fail.index("but the answer is")):].split(")")[0] + ")"
    assert code == 1
    assert lines[-2] == (f"Note: {mark} after an answer is the month its figure was last confirmed, and how sure the "
                         "course is of it (`quizkit rules` lists them).")
    assert lines[-1].startswith("failed:")
    code, out, _ = run(capsys, "grade", "balance-after", str(late.parent.parent / "solution.py"))
    assert code == 0
    assert "how sure the course is" not in out


def test_list_follows_the_course_order(capsys: pytest.CaptureFixture[str]) -> None:
    """Lesson 2's exercises (spending) came after lesson 4's (profile): the folders' order, not the course's."""
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    items = json.loads(out)
    lessons = [item["lesson"] for item in items if item["kind"] == "exercise"]
    assert lessons == sorted(lessons, key=["plans", "spending", "visibility", "profile"].index)
    assert [item["id"] for item in items if item["kind"] == "quiz"] == ["plans", "spending", "visibility", "profile", "final"]
