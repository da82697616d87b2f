"""Loading content fails loudly and safely: every bad file gives `file:line: message`, never a traceback or a stall."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizkit import load
from quizkit.cli import main
from quizkit.errors import ContentError
from quizkit.load import Document, exercise_folders, load_exercise, quiz_files, read_yaml
from tests.test_check import FILES, write_course

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "exercises"
QUIZKIT = [sys.executable, "-m", "quizkit.cli"]

# Both loaders when PyYAML has libyaml: they must agree on data, lines and refusals.
LOADERS = sorted({load._Loader, load.LOADER}, key=lambda loader: loader.__name__)


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(load, "LOADER", request.param)
    return request.param  # type: ignore[no-any-return]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        read_yaml(path)
    return str(caught.value)


BOMB = "\n".join(
    [f'l0: &l0 [{", ".join(["lol"] * 9)}]']
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
) + "\n"
"""The "billion laughs": 9 levels of 9 aliases, 9**9 strings once expanded."""
DEEP_FLOW = "a: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "".join(" " * i + "k:\n" for i in range(5000)) + " " * 5000 + "k: 1\n"


# ---------------------------------------------------------------- read_yaml, one case each


def test_a_valid_file_gives_its_data_and_lines(tmp_path: Path, loader: type) -> None:
    doc = read_yaml(write(tmp_path / "ok.yml", "a: 1\nb:\n  - x\n  - {c: 2026-01-02}\n"))
    assert doc.data == {"a": 1, "b": ["x", {"c": "2026-01-02"}]}  # dates stay text
    assert doc.line(("b",)) == 2
    assert doc.line(("b", 1, "c")) == 4
    assert read_yaml(write(tmp_path / "empty.yml", "")).data is None


def test_a_yaml_file_that_is_not_utf8_names_the_byte_and_line(tmp_path: Path, loader: type) -> None:
    path = write(tmp_path / "latin1.yml", b"id: x\ntitle: Caf\xe9 plans\n")
    message = refused(path)
    assert message == f"{path}:2: not UTF-8 text (byte 0xe9 at line 2, column 11): save the file as UTF-8"


def test_a_python_file_of_an_exercise_that_is_not_utf8_names_that_file(tmp_path: Path) -> None:
    root = write_course(tmp_path)
    starter = write(root / "plans/allowance/starter.py", b"def monthly_connects(plan):\n    return 0  # \xff\n")
    with pytest.raises(ContentError) as caught:
        load_exercise(root / "plans/allowance")
    assert str(caught.value).startswith(f"{starter}:2: not UTF-8 text (byte 0xff at line 2")


@pytest.mark.parametrize("text", [DEEP_FLOW, DEEP_BLOCK, "- " * 5000 + "x\n"], ids=["flow", "block mapping", "block list"])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, loader: type, text: str) -> None:
    path = write(tmp_path / "deep.yml", text)
    line = 1 if not text.startswith("k:") else load.MAX_DEPTH + 1  # where the first mapping too deep starts
    assert refused(path) == f"{path}:{line}: nested too deeply (more than {load.MAX_DEPTH} levels of lists and mappings)"


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path, loader: type) -> None:
    depth = load.MAX_DEPTH - 1  # the document's own mapping is one level
    doc = read_yaml(write(tmp_path / "ok.yml", "a: " + "[" * depth + "1" + "]" * depth + "\n"))
    assert doc.line(("a", *[0] * depth)) == 1
    with pytest.raises(ContentError, match="nested too deeply"):
        read_yaml(write(tmp_path / "deeper.yml", "a: " + "[" * (depth + 1) + "1" + "]" * (depth + 1) + "\n"))


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: 1\nb: &x 2\n", "a: 1\nb: *x\n"], ids=["alias", "anchor", "undefined"])
def test_anchors_and_aliases_are_refused(tmp_path: Path, loader: type, text: str) -> None:
    path = write(tmp_path / "alias.yml", text)
    line = 1 if text.startswith("a: &") else 2
    assert refused(path) == f"{path}:{line}: YAML aliases (&anchor / *alias) are not allowed"


def test_a_key_that_is_a_list_or_a_mapping_is_refused_at_its_line(tmp_path: Path, loader: type) -> None:
    """`? [a, b]` is valid YAML; it ended in "unhashable type: 'list'" while its lines were counted."""
    path = write(tmp_path / "keys.yml", "plan: basic\n? [a, b]\n: 1\n")
    assert refused(path) == f"{path}:2: a key must be a name, not a list or a mapping"


def test_an_integer_too_long_for_python_is_refused_at_its_line(tmp_path: Path, loader: type) -> None:
    """Python makes no int of more than 4300 digits from text: a ValueError escaped, with its traceback."""
    path = write(tmp_path / "long.yml", "plan: basic\nbalance: " + "9" * 5000 + "\n")
    assert refused(path) == f"{path}:2: the number is too long (5000 characters)"
    assert read_yaml(write(tmp_path / "ok.yml", "balance: " + "9" * 400 + "\n")).data == {"balance": int("9" * 400)}


def test_an_alias_bomb_fails_fast(tmp_path: Path, loader: type) -> None:
    path = write(tmp_path / "bomb.yml", BOMB)
    started = time.perf_counter()
    assert refused(path) == f"{path}:1: YAML aliases (&anchor / *alias) are not allowed"
    assert time.perf_counter() - started < 2  # a correctness bound: expanding it would never finish


@pytest.mark.parametrize(("text", "line", "first"), [
    ("id: a\ntitle: A\nid: b\n", 3, 1),
    ("checks:\n  - {id: x, kind: defines, id: y}\n", 2, 2),
    ("a:\n  b: 1\n  c: 2\n  b: 3\n", 4, 2),
], ids=["top level", "flow", "nested"])
def test_duplicate_keys_are_refused_with_both_lines(tmp_path: Path, loader: type, text: str, line: int, first: int) -> None:
    path = write(tmp_path / "dup.yml", text)
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}: duplicate key '\w+' \(first at line {first}\)", refused(path))


def test_a_control_character_is_refused_with_its_line(tmp_path: Path, loader: type) -> None:
    path = write(tmp_path / "ctrl.yml", "a: 1\nb: caf\u00e9 \x07\n")
    assert re.fullmatch(rf"{re.escape(str(path))}:2: YAML error: character #x0007 is not allowed in YAML text \(.*\)", refused(path))


def test_a_syntax_error_keeps_its_line(tmp_path: Path, loader: type) -> None:
    path = write(tmp_path / "bad.yml", "a: 1\nb: [1, 2\nc: 3\n")
    assert re.match(rf"{re.escape(str(path))}:3: YAML error: .*expected ',' or '\]'", refused(path))


@pytest.mark.parametrize(("text", "line", "hint"), [
    ("plan: basic\n\tbalance: 24\n", 2, "indent with spaces: YAML does not allow tabs there"),
    ("plan: basic\nbalance: 10\n  billing_day: 3\n", 3, ("check this line and the one before: each field is "
     "“name: value” on a line of its own, indented like its neighbours, and a value that holds “: ” needs quotes")),
    ("plan basic\nbalance: 3\n", 2, "check this line and the one before"),
    ("a: 1\nb: [1, 2\nc: 3\n", 3, "close the list with “]” and put commas between its items"),
], ids=["tab", "indented", "no colon", "unclosed list"])
def test_a_syntax_error_ends_with_a_plain_hint(tmp_path: Path, loader: type, text: str, line: int, hint: str) -> None:
    """PyYAML's words ("mapping values are not allowed in this context") name the parser's state: a hint says what to change."""
    path = write(tmp_path / "bad.yml", text)
    message = refused(path)
    assert message.startswith(f"{path}:{line}: YAML error: ")
    assert f"; {hint}" in message


def test_both_loaders_read_the_real_course_alike() -> None:
    files = [load.DEFAULT_RULES, COURSE / "profiles/example.yml", *quiz_files(COURSE),
             *(folder / "exercise.yml" for folder in exercise_folders(COURSE))]
    assert len(files) > 10
    for path in files:
        read: list[Document] = []
        for loader in LOADERS:
            original, load.LOADER = load.LOADER, loader
            try:
                read.append(read_yaml(path))
            finally:
                load.LOADER = original
        assert all(doc.data == read[0].data and doc.lines == read[0].lines for doc in read), path


# ---------------------------------------------------------------- through the command line


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "QUIZKIT_CONTENT"}
    return subprocess.run([*QUIZKIT, *args], capture_output=True, text=True, check=False, cwd=cwd,
                          env={**environ, **(env or {})}, timeout=60)


END = FILES["plans/allowance/exercise.yml"].count("\n") + 1
"""The line just past the good exercise.yml, where the bad additions start."""
BAD_EXERCISE_YML = {
    "not utf-8": (FILES["plans/allowance/exercise.yml"].replace("title: Allowance", "title: Caf\xe9").encode("latin-1"),
                  2, "not UTF-8 text (byte 0xe9 at line 2"),
    "deep": (FILES["plans/allowance/exercise.yml"].replace("lesson: plans", "lesson: " + "[" * 5000 + "]" * 5000).encode(),
             3, "nested too deeply"),
    "alias bomb": ((FILES["plans/allowance/exercise.yml"] + BOMB).encode(), END, "YAML aliases (&anchor / *alias) are not allowed"),
    "duplicate key": ((FILES["plans/allowance/exercise.yml"] + "title: Again\n").encode(), END,
                      "duplicate key 'title' (first at line 2)"),
}


@pytest.mark.parametrize("case", list(BAD_EXERCISE_YML))
def test_check_reports_a_bad_exercise_file_without_a_traceback(case: str, tmp_path: Path) -> None:
    data, line, message = BAD_EXERCISE_YML[case]
    root = write_course(tmp_path)
    path = write(root / "plans/allowance/exercise.yml", data)
    started = time.perf_counter()
    done = run("check", "--content", str(root))
    elapsed = time.perf_counter() - started
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{path}:{line}: {message}" in done.stderr
    if case == "alias bomb":
        assert elapsed < 10  # no stall (generous: it includes starting Python)


def test_check_reports_a_non_utf8_python_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_course(tmp_path)
    solution = write(root / "plans/allowance/solution.py", b"# \xe9\n" + FILES["plans/allowance/solution.py"].encode())
    assert main(["check", "--content", str(root)]) == 1
    assert f"{solution}:1: not UTF-8 text (byte 0xe9 at line 1, column 3)" in capsys.readouterr().err


def test_check_reports_a_bad_quiz_and_a_bad_rules_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_course(tmp_path / "course")
    quiz = write(root / "quizzes/plans.yml", FILES["quizzes/plans.yml"] + "id: again\n")
    assert main(["check", "--content", str(root)]) == 1
    assert f"{quiz}:11: duplicate key 'id' (first at line 1)" in capsys.readouterr().err
    rules = write(tmp_path / "rules.yml", load.DEFAULT_RULES.read_text(encoding="utf-8") + "title: again\n")
    assert main(["check", "--content", str(write_course(tmp_path / "good")), "--rules", str(rules)]) == 1
    assert re.search(rf"{re.escape(str(rules))}:\d+: duplicate key 'title' \(first at line \d+\)", capsys.readouterr().err)


@pytest.mark.parametrize(("text", "message"), [
    (b"plan: basic\nplan: plus\n", "2: duplicate key 'plan' (first at line 1)"),
    (b"plan: &p basic\nbalance: *p\n", "1: YAML aliases (&anchor / *alias) are not allowed"),
    (b"plan: basic\nnote: \xff\n", "2: not UTF-8 text (byte 0xff at line 2, column 7)"),
    (BOMB.encode(), "1: YAML aliases (&anchor / *alias) are not allowed"),
], ids=["duplicate", "alias", "not utf-8", "alias bomb"])
def test_profile_reports_a_bad_file_without_a_traceback(tmp_path: Path, text: bytes, message: str) -> None:
    path = write(tmp_path / "profile.yml", text)
    done = run("profile", str(path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{path}:{message}")


# ---------------------------------------------------------------- finding the course


def test_outside_a_course_the_cli_says_where_it_looked(tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text("x = 1\n", encoding="utf-8")
    for args in (["grade", "x", "mine.py"], ["list"], ["check"], ["quiz", "plans"]):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert f"not found from {tmp_path.resolve()}" in done.stderr
        assert "--content PATH" in done.stderr
        assert "QUIZKIT_CONTENT" in done.stderr
        assert "known:" not in done.stderr


def test_the_cli_finds_the_course_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = write_course(tmp_path / "course" / "exercises")
    monkeypatch.delenv("QUIZKIT_CONTENT", raising=False)
    monkeypatch.chdir(root / "plans" / "allowance")
    assert main(["list", "--json"]) == 0
    assert f"{root.resolve() / 'plans/allowance/exercise.yml'}" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path / "course")
    assert main(["grade", "allowance", "exercises/plans/allowance/solution.py"]) == 0


def test_the_cli_follows_quizkit_content(tmp_path: Path) -> None:
    root = write_course(tmp_path / "course" / "exercises")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run("list", cwd=elsewhere, env={"QUIZKIT_CONTENT": str(root)})
    assert done.returncode == 0, done.stderr
    assert "allowance" in done.stdout
    done = run("list", cwd=elsewhere, env={"QUIZKIT_CONTENT": str(elsewhere)})
    assert done.returncode == 2
    assert "QUIZKIT_CONTENT is set to" in done.stderr
    assert "--content PATH" in done.stderr


def test_a_content_option_without_content_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["list", "--content", str(tmp_path)])
    assert caught.value.code == 2
    assert f"--content {tmp_path}: that folder holds no exercise.yml files" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["list", "--content", str(tmp_path / "nope")])
    assert "no such folder" in capsys.readouterr().err
