# Lesson workbooks: jupytext files in `exercises/workbooks/`, kept in step with the exercises.
"""Read, check, update and export the course's notebook workbooks.

A workbook is a jupytext percent-format file, `exercises/workbooks/NN-lesson.py`. Its
header names the lesson area it covers (`quizkit: {lesson: plans}`). For each exercise
of that area it holds three cells marked in their metadata with
`quizkit: {exercise: <id>, role: prompt|starter|check}`:

- `prompt`: Markdown, the exercise's title and `prompt.md` with `{{ expressions }}`
  filled in from the rules, as the page renders it;
- `starter`: the exercise's `starter.py`;
- `check`: the one-line grading call, `check("<id>", <functions>)`.

Right after its title cell, each workbook holds the primer, `workbooks/primer.md`, marked
`quizkit: {role: primer}`: a folded page for readers new to Python or to notebooks (how to
run a cell, `def` and `return` in a line each, what `check` prints); then the guide,
`workbooks/guide.md` (`role: guide`): how a workbook works and how to run it on one's own
computer. One file each for every workbook, kept in step as the sections are.

The exercise folder stays the single source of truth: `problems` reports every cell
that differs from it, and `update` rewrites those cells (and adds or removes whole
sections). The site shows workbooks as `.ipynb` files made by `export`, which rewrites
the exercise cells from the course first: a figure changed in the rules reaches the
downloaded notebooks at the next build, with no hand edit. A stored prompt cell is in step
when it matches the prompt with any value in place of each `{{ expression }}`, so a rules
change does not make the stored files wrong.

Build time only: jupytext and nbformat (installed with mkdocs-jupyter) are imported here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import jupytext  # type: ignore[import-untyped]
import nbformat

from quizkit.errors import ContentProblem
from quizkit.exercise import LESSONS
from quizkit.expressions import TEMPLATE, ExpressionError, substitute
from quizkit.notebook import check_call

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from quizkit.course import Course
    from quizkit.exercise import Exercise
    from quizkit.model import Rules

WORKBOOK_DIR = "workbooks"
"""The folder of the workbooks, inside the content folder."""
FORMAT = "py:percent"

PRIMER_FILE = "primer.md"
"""The primer for readers new to Python or to notebooks, in the workbooks' folder: one text for every workbook."""
PRIMER_ROLE = "primer"
PRIMER_AT = 1
"""The primer's cell: right after the title, before the first cell to run."""
SHARED: tuple[tuple[str, str], ...] = ((PRIMER_ROLE, PRIMER_FILE), ("guide", "guide.md"))
"""The cells every workbook holds right after its title cell, in this order, each from one file of the workbooks' folder:
the primer, then how a workbook works and how to run it on one's own computer (written four times by hand before)."""

Role = Literal["prompt", "starter", "check"]
ROLES: tuple[Role, ...] = ("prompt", "starter", "check")

_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker")


def paths(content: Path) -> list[Path]:
    """Every workbook of a content folder, in order."""
    return sorted((content / WORKBOOK_DIR).glob("*.py"))


def read(path: Path) -> Any:
    """A workbook as a notebook (`nbformat.NotebookNode`)."""
    return jupytext.read(path, fmt=FORMAT)


def write(notebook: Any, path: Path) -> None:
    """Write a notebook back as a jupytext percent file."""
    jupytext.write(notebook, path, fmt=FORMAT)


def lesson(notebook: Any) -> str:
    """The lesson area a workbook covers (its header's `quizkit.lesson`), or ''."""
    return str(notebook.metadata.get("quizkit", {}).get("lesson", ""))


def marker(cell: Any) -> tuple[str, str] | None:
    """`(exercise id, role)` of a section cell, or None for the workbook's own cells and the shared ones."""
    mark = cell.metadata.get("quizkit")
    if not isinstance(mark, dict) or shared_role(cell):
        return None
    return str(mark.get("exercise", "")), str(mark.get("role", ""))


def shared_role(cell: Any) -> str:
    """The role of a shared cell (`quizkit: {role: primer}`, no exercise; see `SHARED`), else ""."""
    mark = cell.metadata.get("quizkit")
    if not isinstance(mark, dict) or "exercise" in mark:
        return ""
    role = mark.get("role")
    return next((shared for shared, _ in SHARED if shared == role), "")


def is_primer(cell: Any) -> bool:
    """Whether `cell` is the primer (`quizkit: {role: primer}`, no exercise)."""
    return shared_role(cell) == PRIMER_ROLE


def shared_cells(content: Path) -> list[Any]:
    """The shared cells of the workbooks of a content folder, in order: those whose file it has."""
    cells = []
    for role, name in SHARED:
        path = content / WORKBOOK_DIR / name
        if path.is_file():
            text = path.read_text(encoding="utf-8").strip("\n")
            cells.append(nbformat.v4.new_markdown_cell(text, metadata={"quizkit": {"role": role}}))  # type: ignore[no-untyped-call]
    return cells


def primer(content: Path) -> Any | None:
    """The primer cell of the workbooks of a content folder, or None where it has no `primer.md`."""
    return next((cell for cell in shared_cells(content) if is_primer(cell)), None)


def _shared_problems(notebook: Any, expected: list[Any]) -> list[Problem]:
    """A shared cell missing, twice, out of its place right after the title, or with other words than its file."""
    roles = [cell.metadata["quizkit"]["role"] for cell in expected]
    at = {role: [index for index, cell in enumerate(notebook.cells) if shared_role(cell) == role] for role, _ in SHARED}
    found: list[Problem] = []
    for role, name in SHARED:
        where = f"{WORKBOOK_DIR}/{name}"
        if role not in roles:
            found.extend(Problem(index, f"a {role} cell, but there is no {where}") for index in at[role])
        elif len(at[role]) != 1:
            wanted = roles.index(role) + 1
            after = "right after the title cell" if wanted == 1 else f"after the {roles[wanted - 2]}"
            found.append(Problem(None, f"needs the {role} ({where}) as its cell {wanted}, {after}; "
                                       f"found it {'at ' + ', '.join(map(str, at[role])) if at[role] else 'nowhere'}"))
    if found:
        return found
    if [at[role][0] for role in roles] != list(range(1, len(roles) + 1)):
        return [Problem(None, f"needs the {' and the '.join(roles)} right after the title cell, in that order")]
    for index, (role, model) in enumerate(zip(roles, expected, strict=True), 1):
        cell = notebook.cells[index]
        if (cell.cell_type, cell.source) != (model.cell_type, model.source):
            found.append(Problem(index, f"the {role} cell differs from {WORKBOOK_DIR}/{dict(SHARED)[role]}"))
    return found


def _prompt(exercise: Exercise, fill: Callable[[str], str]) -> str:
    """The prompt cell's text: the title, the prompt, then each hint folded, to open one at a time as on the page."""
    hints = "".join(f"\n\n<details><summary>Hint {number}</summary>\n\n{fill(hint).strip()}\n\n</details>"
                    for number, hint in enumerate(exercise.hints, 1))
    return f"## {exercise.title}\n\n{fill(exercise.prompt).strip()}{hints}"


def expected_cells(exercise: Exercise, rules: Rules) -> dict[Role, Any]:
    """The three cells of an exercise's section, by role."""
    prompt = _prompt(exercise, lambda text: substitute(text, rules, labelled=True))
    sources: dict[Role, str] = {"prompt": prompt, "starter": exercise.starter.strip("\n"), "check": check_call(exercise)}
    cells: dict[Role, Any] = {}
    for role, source in sources.items():
        make = nbformat.v4.new_markdown_cell if role == "prompt" else nbformat.v4.new_code_cell
        cells[role] = make(source, metadata={"quizkit": {"exercise": exercise.id, "role": role}})  # type: ignore[no-untyped-call]
    return cells


def prompt_pattern(exercise: Exercise) -> re.Pattern[str]:
    """The prompt cell of an exercise under any rules: each `{{ expression }}` stands for one value."""
    raw = _prompt(exercise, lambda text: text)
    parts = TEMPLATE.split(raw)[::2]  # the text between expressions (split also yields each expression)
    return re.compile("[^\n]*?".join(re.escape(part) for part in parts) + r"\Z")


def _in_step(cell: Any, expected: Any, role: Role, exercise: Exercise) -> bool:
    if cell.cell_type != expected.cell_type:
        return False
    if role == "prompt":
        return bool(prompt_pattern(exercise).match(cell.source))
    return bool(cell.source == expected.source)


_EXERCISE_MARKER = re.compile(r"""\{\{\s*exercise\(\s*["']([^"']+)["']\s*\)\s*\}\}""")


def lesson_order(markdown: str) -> list[str]:
    """Ids of the exercises a lesson page embeds (`{{ exercise("id") }}`), in page order."""
    return list(dict.fromkeys(_EXERCISE_MARKER.findall(markdown)))


def page_order(course: Course, path: Path) -> list[str]:
    """The exercise ids of the lesson page a workbook is named after (`docs/lessons/<stem>.md` beside the content)."""
    page = course.root.parent / "docs" / "lessons" / f"{path.stem}.md"
    return lesson_order(page.read_text(encoding="utf-8")) if page.is_file() else []


def _exercises(notebook: Any, course: Course, order: Sequence[str]) -> list[Exercise]:
    """The exercises of the workbook's area: those in `order` first, in that order, then the others."""
    area = lesson(notebook)
    mine = [exercise for exercise in course.exercises.values() if exercise.lesson == area]
    rank = {exercise_id: index for index, exercise_id in enumerate(order)}
    return sorted(mine, key=lambda exercise: rank.get(exercise.id, len(rank)))


@dataclass(frozen=True)
class Problem:
    """One way a workbook is out of step with the course."""

    cell: int | None
    """Index of the cell at fault, or None for the whole workbook."""
    message: str

    def __str__(self) -> str:
        return f"cell {self.cell}: {self.message}" if self.cell is not None else self.message


def problems(notebook: Any, course: Course, order: Sequence[str] = ()) -> list[Problem]:
    """Everything in a workbook that differs from the course's exercises.

    Args:
        notebook: The workbook, as `read` gives it.
        course: The course whose exercises it must hold.
        order: Exercise ids in the order of the lesson page (see `lesson_order`);
            sections must follow it. Empty (no lesson page): any order will do.

    Returns:
        The problems, empty when the workbook is in step.
    """
    area = lesson(notebook)
    if area not in LESSONS:
        return [Problem(None, f"the header's quizkit.lesson must be one of {', '.join(LESSONS)}, got {area!r}")]
    found: list[Problem] = []
    exercises = _exercises(notebook, course, order)
    wanted = {exercise.id: exercise for exercise in exercises}
    seen: dict[str, list[str]] = {}
    for index, cell in enumerate(notebook.cells):
        mark = marker(cell)
        if mark is None:
            continue
        exercise_id, role = mark
        if exercise_id not in wanted:
            found.append(Problem(index, f"a section cell for {exercise_id!r}, which is not an exercise of '{area}'"))
            continue
        if role not in ROLES:
            found.append(Problem(index, f"unknown role {role!r} (roles: {', '.join(ROLES)})"))
            continue
        seen.setdefault(exercise_id, []).append(role)
        try:
            expected = expected_cells(wanted[exercise_id], course.rules)[role]
        except ExpressionError:
            continue  # the exercise's own text is refused at its line (`course.expressions_in_exercise`)
        if not _in_step(cell, expected, role, wanted[exercise_id]):  # type: ignore[arg-type] # role checked above
            found.append(Problem(index, f"the {role} cell of {exercise_id!r} differs from the exercise"))
    found.extend(Problem(None, f"{exercise_id!r} needs exactly one prompt, starter and check cell, in that order "
                               f"(found: {', '.join(seen.get(exercise_id, [])) or 'none'})")
                 for exercise_id in wanted if seen.get(exercise_id) != list(ROLES))
    if order and list(seen) != [exercise.id for exercise in exercises if exercise.id in seen]:
        found.append(Problem(None, f"sections are in the order {', '.join(seen)}; the lesson's order is "
                                   f"{', '.join(exercise.id for exercise in exercises)}"))
    found.extend(_shared_problems(notebook, shared_cells(course.root)))
    if "widgets" in notebook.metadata:
        found.append(Problem(None, "widget metadata pulls scripts from other hosts: remove metadata.widgets"))
    return found


_CELL_MARKER = re.compile(r"^# %%(?:[ \t]|$)", re.MULTILINE)
FIX = "UPDATE_WORKBOOKS=1 pytest tests/test_workbooks.py rewrites the exercise cells"
"""How a workbook out of step is put back in step, for the problems `quizkit check` reports."""


def cell_lines(text: str) -> list[int]:
    """The line (from 1) of each cell's `# %%` marker in a percent-format workbook's text."""
    return [text.count("\n", 0, match.start()) + 1 for match in _CELL_MARKER.finditer(text)]


def content_problems(course: Course) -> list[ContentProblem]:
    """Every workbook of the course out of step with its exercises, as `file:line: message` (`quizkit check`).

    A problem of one cell is reported at the line of its `# %%` marker, one of the whole workbook
    at line 1.
    """
    found = []
    for path in paths(course.root):
        try:
            text = path.read_text(encoding="utf-8")
            notebook = jupytext.reads(text, fmt=FORMAT)  # the text just read: the file once
        except Exception as exc:  # noqa: BLE001 - jupytext and nbformat raise many kinds for a damaged file
            found.append(ContentProblem(f"workbook: cannot be read as a jupytext percent file: {exc}", str(path), 1))
            continue
        lines = cell_lines(text)
        if len(lines) != len(notebook.cells):
            lines = []
        for problem in problems(notebook, course, page_order(course, path)):
            line = lines[problem.cell] if problem.cell is not None and problem.cell < len(lines) else 1
            found.append(ContentProblem(f"workbook: {problem.message} ({FIX})", str(path), line))
    return found


def update(notebook: Any, course: Course, order: Sequence[str] = ()) -> Any:
    """The workbook with its sections rewritten from the exercises, in the lesson's order.

    A section is an exercise's three cells with the workbook's own cells just before
    it; it moves as a whole. Cells before the first section and after the last stay
    there. Sections of exercises no longer in the area go; new ones take their place in
    the lesson's order. The shared cells (`SHARED`) are put right after the title cell, as their files say them.
    """
    exercises = _exercises(notebook, course, order)
    wanted = {exercise.id: list(expected_cells(exercise, course.rules).values()) for exercise in exercises}
    head: list[Any] | None = None
    leading: dict[str, list[Any]] = {}
    pending: list[Any] = []
    for cell in (cell for cell in notebook.cells if not shared_role(cell)):
        mark = marker(cell)
        if mark is None:
            pending.append(cell)
            continue
        if head is None:
            head, pending = pending, []
        if mark[0] in wanted:  # the cells of a section that goes are kept with the next one
            leading.setdefault(mark[0], []).extend(pending)
            pending = []
    if head is None:  # no section yet: they go before the last cell
        head, pending = pending[:-1], pending[-1:]
    cells = list(head)
    for exercise in exercises:
        cells.extend(leading.get(exercise.id, []))
        cells.extend(wanted[exercise.id])
    cells.extend(pending)
    cells[1:1] = shared_cells(course.root)
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)
    return notebook


def to_ipynb(path: Path, course: Course | None = None) -> str:
    """A workbook as `.ipynb` JSON, for download: stable cell ids, no jupytext bookkeeping.

    With `course`, the exercise cells are first rewritten from it (`update`, in the order of the
    lesson page beside the content folder), so the figures are the rules' of this build.
    """
    notebook = read(path)
    if course is not None:
        notebook = update(notebook, course, page_order(course, path))
    notebook.metadata.pop("jupytext", None)
    notebook.metadata.pop("widgets", None)
    for index, cell in enumerate(notebook.cells):
        for key in _JUPYTEXT_CELL_KEYS:
            cell.metadata.pop(key, None)
        mark = marker(cell)
        cell.id = f"{mark[0]}-{mark[1]}" if mark else f"cell-{index}"
    nbformat.validate(notebook)
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def export(content: Path, out_dir: Path, course: Course | None = None) -> list[Path]:
    """Write every workbook of `content` as `out_dir/<name>.ipynb`; the paths written, in order.

    With `course` (the build's), exercise cells come from its exercises and rules (`to_ipynb`).
    Files whose text would not change are left alone, so their times (and caches keyed
    on them) survive rebuilds.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in paths(content):
        target = out_dir / f"{source.stem}.ipynb"
        text = to_ipynb(source, course)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
