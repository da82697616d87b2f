"""What `plumbing.without_plumbing` blanks in a notebook cell before it is graded, where `check` does not exist."""

from __future__ import annotations

import pytest

from quizkit.notebook import check
from quizkit.plumbing import without_plumbing
from tests.conftest import EXERCISES

SOLUTION = ('def proposals_per_month(plan, required):\n'
            '    return RULES[f"plan.{plan}.monthly_connects"] // required\n')


@pytest.mark.parametrize(("cell", "graded"), [
    ('if x:\n    a = 1\nelif check("a", f):\n    print("ok")\n', "if x:\n    a = 1\n\n\n"),
    ('if x:\n    a = 1\nelif check("a", f):\n    print("ok")\nelse:\n    b = 2\n', "if x:\n    a = 1\n\n\n\n\n"),
    ('if x:\n    a = 1\nelif y:\n    b = 1\nelif check("a", f).passed:\n    print("ok")\n',
     "if x:\n    a = 1\nelif y:\n    b = 1\n\n\n"),
    ('for i in r:\n    if x:\n        a = i\n    elif check("a", f):\n        print(i)\nprint(a)\n',
     "for i in r:\n    if x:\n        a = i\n\n\nprint(a)\n"),
    ('if x:\n    a = 1\nelif (done := check("a", f)):\n    print("ok")\nprint(done)\n', "if x:\n    a = 1\n\n\n\n"),
], ids=["elif", "elif then else", "second elif", "elif in a loop", "a name the elif binds"])
def test_an_elif_that_calls_check_is_blanked_from_elif_to_the_end_of_its_chain(cell: str, graded: str) -> None:
    """`elif check(...)` stayed: the code graded, where there is no `check`, stopped with a NameError."""
    blanked = without_plumbing(cell)
    assert blanked == graded
    compile(blanked, "<cell>", "exec")


def test_an_elif_whose_test_serves_nothing_keeps_its_test() -> None:
    """Only its body is plumbing: the learner's test stays, `pass` in place of the call."""
    assert without_plumbing('if x:\n    a = 1\nelif y:\n    check("a", f)\n') == "if x:\n    a = 1\nelif y:\n    pass\n"


def test_a_cell_that_checks_itself_in_an_elif_is_graded_as_its_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZKIT_CONTENT", str(EXERCISES))
    monkeypatch.delenv("QUIZKIT_RULES", raising=False)
    cell = (f"{SOLUTION}\n\nif proposals_per_month('basic', 2) < 0:\n    print('below zero?')\n"
            "elif check('monthly-allowance', proposals_per_month).passed:\n    print('done')\n")
    result = check("monthly-allowance", cell)
    assert result.status == "passed", result.text()
