"""The lesson workbooks: in step with the exercises, safe to render offline, and gradable in a real kernel.

Each workbook runs in a Jupyter kernel (nbclient) twice: with the reference solutions in
place of the starters, where every check must pass, and as written, where every check
must fail. A last cell prints the grades `check` kept, as JSON.

`UPDATE_WORKBOOKS=1` rewrites the workbooks' exercise cells from the exercises first
(prompt, starter and grading call), then checks them as usual.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest

from quizkit import workbooks
from quizkit.course import Course
from quizkit.exercise import LESSONS
from tests.conftest import EXERCISES, ROOT

LESSON_PAGES = ROOT / "docs" / "lessons"
WORKBOOKS = workbooks.paths(EXERCISES)
RESULTS_MARK = "QUIZKIT-RESULTS "
REPORT_CELL = (
    "import json\n"
    "from quizkit.notebook import results\n"
    f"print({RESULTS_MARK!r} + json.dumps({{k: g.to_data() for k, g in results().items()}}))"
)


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = Course.load(EXERCISES)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    return loaded


def lesson_order(path: Path) -> list[str]:
    page = LESSON_PAGES / f"{path.stem}.md"
    return workbooks.lesson_order(page.read_text(encoding="utf-8")) if page.is_file() else []


def section_ids(notebook: Any) -> list[str]:
    marks = (workbooks.marker(cell) for cell in notebook.cells)
    return list(dict.fromkeys(mark[0] for mark in marks if mark))


# ---------------------------------------------------------------- structure


def test_there_is_one_workbook_per_lesson_area() -> None:
    areas = [workbooks.lesson(workbooks.read(path)) for path in WORKBOOKS]
    assert sorted(areas) == sorted(LESSONS)


def test_each_workbook_is_named_after_its_lesson_page() -> None:
    pages = sorted(path.stem for path in LESSON_PAGES.glob("*.md"))
    assert [path.stem for path in WORKBOOKS] == pages


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_is_in_step_with_the_exercises(path: Path, course: Course) -> None:
    order = lesson_order(path)
    if os.environ.get("UPDATE_WORKBOOKS") == "1":
        workbooks.write(workbooks.update(workbooks.read(path), course, order), path)
    problems = workbooks.problems(workbooks.read(path), course, order)
    assert not problems, f"{path.name} (UPDATE_WORKBOOKS=1 rewrites it):\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_each_exercise_brings_its_hints_folded_to_open_one_at_a_time(path: Path, course: Course) -> None:
    """A reader stuck in Jupyter has what the page gives: the hints, in order, each behind its own summary."""
    prompts = [(workbooks.marker(cell), cell.source) for cell in workbooks.read(path).cells
               if (workbooks.marker(cell) or ("", ""))[1] == "prompt"]
    assert prompts
    for (exercise_id, _), source in prompts:
        hints = course.exercise(exercise_id).hints
        assert hints, exercise_id
        folded = re.findall(r"<details><summary>Hint (\d+)</summary>\n\n(.*?)\n\n</details>", source, re.DOTALL)
        assert [int(number) for number, _ in folded] == list(range(1, len(hints) + 1))
        assert source.index("<details>") > source.index("\n\n"), "after the prompt, not before"


def _course_with_plus(tmp_path: Path, connects: int) -> Course:
    import yaml

    from quizkit.load import DEFAULT_RULES

    data = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    data["figures"]["plan.plus.monthly_connects"]["value"] = connects
    rules = tmp_path / "rules.yml"
    rules.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Course.load(EXERCISES, rules)


def test_a_figure_change_needs_no_workbook_edit_and_reaches_the_exported_notebooks(tmp_path: Path) -> None:
    changed = _course_with_plus(tmp_path, 80)
    plans = next(path for path in WORKBOOKS if workbooks.lesson(workbooks.read(path)) == "plans")
    assert workbooks.problems(workbooks.read(plans), changed, lesson_order(plans)) == []
    exported = workbooks.export(EXERCISES, tmp_path / "out", changed)
    prompts = [cell.source for path in exported for cell in nbformat.reads(path.read_text(encoding="utf-8"), 4).cells
               if (workbooks.marker(cell) or ("", ""))[1] == "prompt"]
    assert any("Freelancer Plus credits\n80 Connects" in prompt for prompt in prompts)
    assert not any("Freelancer Plus credits\n100 Connects" in prompt for prompt in prompts)
    late = changed.rules.figures["refill.late_start_day"]
    assert late.needs_label
    assert any(f"({late.as_of_text} · {late.confidence})" in prompt for prompt in prompts), "a figure shows its month"


def test_a_prompt_cell_with_other_words_is_out_of_step(course: Course) -> None:
    plans = next(path for path in WORKBOOKS if workbooks.lesson(workbooks.read(path)) == "plans")
    notebook = workbooks.read(plans)
    cell = next(cell for cell in notebook.cells if workbooks.marker(cell) == ("monthly-allowance", "prompt"))
    cell.source = cell.source.replace("Before you look at jobs", "Before you look at anything")
    assert [str(p) for p in workbooks.problems(notebook, course, lesson_order(plans))] == [
        f"cell {notebook.cells.index(cell)}: the prompt cell of 'monthly-allowance' differs from the exercise"]


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_holds_the_exercises_its_lesson_page_embeds(path: Path) -> None:
    assert section_ids(workbooks.read(path)) == lesson_order(path)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_opens_with_a_title_and_imports_the_notebook_api(path: Path) -> None:
    cells = workbooks.read(path).cells
    assert cells[0].cell_type == "markdown"
    assert cells[0].source.startswith("# ")
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    assert "from quizkit.notebook import PLANS, PROFILE_SECTIONS, RULES, check" in code


def _own_cells(path: Path) -> list[Any]:
    """The workbook's own cells (not an exercise's section)."""
    return [cell for cell in workbooks.read(path).cells if workbooks.marker(cell) is None]


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_says_how_to_run_it_and_that_the_exercises_are_optional(path: Path) -> None:
    own = _own_cells(path)
    intro = next(cell.source for cell in own if workbooks.shared_role(cell) == "guide")
    closing = own[-1].source
    assert "pip install -e . notebook" in intro, "the intro says how to install what check() needs"
    assert (ROOT / "pyproject.toml").is_file(), "`pip install -e .` in the course's folder installs quizkit"
    assert "exercises/workbooks" in intro
    assert "%env QUIZKIT_CONTENT=" in intro
    assert "optional" in intro
    assert closing.startswith("## What next")
    assert re.search(r"the exercises are optional,\s+and the (activity and the )?quiz do(es)? not need them", closing), closing


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_the_figures_are_shown_with_their_markers(path: Path) -> None:
    code = [cell.source for cell in _own_cells(path) if cell.cell_type == "code"]
    figures = [source for source in code if "show_figures(" in source]
    assert len(figures) == 1, "one cell shows the lesson's figures with show_figures"
    assert not any("RULES[" in source for source in code), "a figure printed bare shows no month nor confidence"


def _workbook_course(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the course's content and lesson pages; the copy of the plans workbook."""
    import shutil

    shutil.copytree(EXERCISES, tmp_path / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(LESSON_PAGES, tmp_path / "docs" / "lessons")
    plans = next(path for path in WORKBOOKS if workbooks.lesson(workbooks.read(path)) == "plans")
    return tmp_path / "exercises", tmp_path / "exercises" / "workbooks" / plans.name


def test_the_content_check_reports_a_workbook_out_of_step_at_its_line(tmp_path: Path) -> None:
    from quizkit.course import check_course

    content, plans = _workbook_course(tmp_path)
    lines = plans.read_text(encoding="utf-8").splitlines(keepends=True)
    index = lines.index('check("next-refill", next_refill)\n')
    lines[index] = 'check("next-refil", next_refill)\n'
    plans.write_text("".join(lines), encoding="utf-8")
    problems = check_course(Course.load(content))
    assert [str(p) for p in problems] == [
        f"{plans}:{index}: workbook: the check cell of 'next-refill' differs from the exercise ({workbooks.FIX})"]
    assert lines[index - 1].startswith("# %% quizkit=")


def test_a_workbook_that_is_not_utf8_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    content, plans = _workbook_course(tmp_path)
    plans.write_bytes(b"# %%\nprint('caf\xe9')\n")
    [problem] = workbooks.content_problems(Course.load(content))
    assert (problem.file, problem.line) == (str(plans), 1)
    assert problem.message.startswith("workbook: cannot be read as a jupytext percent file: ")


def test_the_content_check_names_a_workbook_without_its_section(tmp_path: Path) -> None:
    content, plans = _workbook_course(tmp_path)
    notebook = workbooks.read(plans)
    notebook.cells = [cell for cell in notebook.cells if (workbooks.marker(cell) or ("",))[0] != "balance-after"]
    workbooks.write(notebook, plans)
    problems = workbooks.content_problems(Course.load(content))
    assert [(p.file, p.line) for p in problems] == [(str(plans), 1)]
    assert "'balance-after' needs exactly one prompt, starter and check cell" in problems[0].message


def test_without_jupytext_the_content_check_skips_the_workbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from quizkit.course import workbook_problems

    content, plans = _workbook_course(tmp_path)
    plans.write_text(plans.read_text(encoding="utf-8").replace('check("next-refill"', 'check("next-refil"'),
                     encoding="utf-8")
    loaded = Course.load(content)
    assert workbook_problems(loaded)
    import quizkit

    monkeypatch.delitem(sys.modules, "quizkit.workbooks")
    monkeypatch.delattr(quizkit, "workbooks")
    monkeypatch.setitem(sys.modules, "jupytext", None)  # `import jupytext` raises ImportError, as where it is not installed
    assert workbook_problems(loaded) == []


def test_cell_lines_are_the_lines_of_the_cell_markers() -> None:
    text = "# ---\n# jupyter: {}\n# ---\n\n# %% [markdown]\n# # Title\n\n# %%\nx = 1\n# %%% not a marker\n"
    assert workbooks.cell_lines(text) == [5, 8]


class _Resources(HTMLParser):
    """Every URL a page would fetch by itself: src, href of stylesheets and scripts, srcset."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("src") is not None:
            self.urls.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.urls.append(values["href"] or "")


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_exported_notebook_is_clean_and_renders_without_other_hosts(path: Path, tmp_path: Path) -> None:
    from mkdocs_jupyter.convert import nb2html

    text = workbooks.to_ipynb(path)
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert "widgets" not in notebook.metadata
    assert "jupytext" not in notebook.metadata
    assert notebook.metadata.kernelspec.name == "python3"
    assert all(not cell.get("outputs") for cell in notebook.cells)
    assert text == workbooks.to_ipynb(path), "export is not reproducible"
    ipynb = tmp_path / f"{path.stem}.ipynb"
    ipynb.write_text(text, encoding="utf-8")
    # As mkdocs-jupyter renders it in the site, with the options the site must use.
    page = nb2html(str(ipynb), execute=False, include_requirejs=False, custom_mathjax_url="")
    parser = _Resources()
    parser.feed(page)
    assert not [url for url in parser.urls if re.match(r"(?i)^(https?:)?//", url)]
    assert not re.search(r'class="[^"]*\b(jp-Mermaid|mermaid)\b', page), "a mermaid diagram loads mermaid from a CDN"
    assert 'type="application/vnd.jupyter.widget' not in page


# ---------------------------------------------------------------- execution


def run(notebook: Any, folder: Path) -> tuple[Any, dict[str, dict[str, Any]]]:
    """Execute a notebook in a fresh kernel with `folder` as cwd; the grades `check` kept."""
    from nbclient import NotebookClient

    notebook.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    client = NotebookClient(notebook, timeout=120, startup_timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    lines = [line for output in notebook.cells[-1].outputs if output.output_type == "stream"
             for line in output.text.splitlines() if line.startswith(RESULTS_MARK)]
    assert len(lines) == 1, notebook.cells[-1].outputs
    return notebook, json.loads(lines[0].removeprefix(RESULTS_MARK))


def check_cell_html(notebook: Any, exercise_id: str) -> str:
    cell = next(cell for cell in notebook.cells if workbooks.marker(cell) == (exercise_id, "check"))
    shown = [output for output in cell.outputs if output.output_type == "execute_result"]
    assert len(shown) == 1, cell.outputs
    assert "text/plain" in shown[0].data
    return str(shown[0].data["text/html"])


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel finds the content as a reader's would: from its folder, not an env var."""
    monkeypatch.delenv("QUIZKIT_CONTENT", raising=False)
    monkeypatch.delenv("QUIZKIT_RULES", raising=False)
    monkeypatch.setenv("QUIZKIT_RAISE_INTERNAL", "1")


@pytest.mark.usefixtures("kernel_env")
@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_passes_with_the_reference_solutions(path: Path, course: Course) -> None:
    notebook = workbooks.read(path)
    for cell in notebook.cells:
        mark = workbooks.marker(cell)
        if mark and mark[1] == "starter":
            cell.source = course.exercise(mark[0]).solution
    ids = section_ids(notebook)
    executed, grades = run(notebook, path.parent)
    assert list(grades) == ids
    for exercise_id, grade in grades.items():
        failing = [c for c in grade["checks"] if not c["passed"]]
        assert grade["status"] == "passed", (exercise_id, grade["error"] or failing or grade["internal"])
        html = check_cell_html(executed, exercise_id)
        assert 'data-status="passed"' in html
        assert html.count("<strong>PASS</strong>") == len(course.exercise(exercise_id).checks)


@pytest.mark.usefixtures("kernel_env")
@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_workbook_fails_with_the_starters(path: Path) -> None:
    notebook = workbooks.read(path)
    ids = section_ids(notebook)
    executed, grades = run(notebook, path.parent)
    assert list(grades) == ids
    for exercise_id, grade in grades.items():
        assert grade["status"] == "failed", (exercise_id, grade)
        assert 'data-status="failed"' in check_cell_html(executed, exercise_id)
    rules = Course.load(EXERCISES).rules
    [figures] = [cell for cell in executed.cells if "show_figures(" in cell.source]
    printed = "".join(output.text for output in figures.outputs if output.output_type == "stream")
    shown = dict(line.split(maxsplit=1) for line in printed.splitlines() if line.split()[0] in rules.figures)
    assert shown, printed
    for figure_id, text in shown.items():
        figure = rules.figures[figure_id]
        assert text.endswith(f"({figure.mark_text})") == figure.needs_label, (figure_id, text)
        assert (figure.value is None) == text.startswith(f"None: {figure.none_means}"), (figure_id, text)


# ---------------------------------------------------------------- the site recipe

SITE_HOOK = """\
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from quizkit import workbooks


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps the notebooks it includes
def on_files(files, config):
    out = Path(config.config_file_path).parent / ".cache" / "quizkit"
    for path in workbooks.export(Path({content!r}), out / "workbooks"):
        files.append(File(f"workbooks/{{path.name}}", src_dir=str(out), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files
"""
SITE_OVERRIDE = """\
{% extends "base.html" %}
{% block content %}
{% if page.nb_url %}
<a href="{{ page.nb_url }}" class="md-content__button md-icon" title="Download this workbook (.ipynb)" download>
{% include ".icons/material/download.svg" %}</a>
{% endif %}
{{ super() }}
{% endblock content %}
"""
SITE_CONFIG = """\
site_name: Workbooks
theme: {name: material, font: false, custom_dir: overrides}
hooks: [hooks.py]
plugins:
  - mkdocs-jupyter:
      include: ["workbooks/*.ipynb"]
      execute: false
      include_source: true
      include_requirejs: false
      custom_mathjax_url: ""
      cache: false
"""


def test_the_site_recipe_renders_each_workbook_with_its_ipynb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the quizkit plugin must do (here as a hook): export, add the files, let mkdocs-jupyter render them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[Workbook 1](workbooks/01-connects-and-plans.ipynb)\n",
                                                encoding="utf-8")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text(SITE_OVERRIDE, encoding="utf-8")
    (tmp_path / "hooks.py").write_text(SITE_HOOK.format(content=str(EXERCISES)), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    build(load_config(str(tmp_path / "mkdocs.yml")))
    site = tmp_path / "site"
    assert 'href="workbooks/01-connects-and-plans/"' in (site / "index.html").read_text(encoding="utf-8")
    for path in WORKBOOKS:
        page = (site / "workbooks" / path.stem / "index.html").read_text(encoding="utf-8")
        download = site / "workbooks" / path.stem / f"{path.stem}.ipynb"
        assert f'href="{path.stem}.ipynb"' in page
        assert download.read_text(encoding="utf-8") == workbooks.to_ipynb(path)
        title = workbooks.read(path).cells[0].source.splitlines()[0].removeprefix("# ")
        assert f"<title>{title} - Workbooks</title>" in page
        parser = _Resources()
        parser.feed(page)
        assert not [url for url in parser.urls if re.match(r"(?i)^(https?:)?//", url)]


def test_the_converters_styles_leave_the_page_and_its_scripts_for_other_hosts_go() -> None:
    """Each workbook page carried JupyterLab's 0.6 MB of CSS (90 KB gzipped), the same in every page."""
    from quizkit.plugin.workbook_pages import split_styles

    converted = ('<style type="text/css">\n.a{color:red}\n</style><p>text</p><style>\n  .b{}\n</style>'
                 '<script src=""> </script><script type="text/x-mathjax-config">\ninit_mathjax = 1\n</script>'
                 '<script type="module">\nconst m = await import("https://cdnjs.cloudflare.com/mermaid.mjs")\n</script>'
                 '<script>copy()</script>\n<style>\n[\'pre { line-height: 125%; }\']\n</style>')
    html, css = split_styles(converted)
    assert html == "<p>text</p><script>copy()</script>\n"
    assert css == ".a{color:red}\n.b{}\n", "a Python list's repr is not CSS"
    with pytest.raises(ValueError, match="Mermaid diagram"):
        split_styles('<div class="jp-Mermaid"><pre class="mermaid">graph TD</pre></div>')


# ---------------------------------------------------------------- the primer, for readers new to Python or to notebooks

PRIMER = EXERCISES / workbooks.WORKBOOK_DIR / "primer.md"


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.stem)
def test_each_workbook_opens_with_the_primer_folded_right_after_its_title(path: Path) -> None:
    """A reader new to Python met `def` and `return` with no word on them, and had to guess what `check` printed."""
    cells = workbooks.read(path).cells
    primers = [index for index, cell in enumerate(cells) if workbooks.is_primer(cell)]
    assert primers == [1], "one primer, before the first code cell"
    primer = cells[1]
    assert (primer.cell_type, primer.source) == ("markdown", PRIMER.read_text(encoding="utf-8").strip("\n"))
    assert primer.source.startswith("<details><summary>"), "folded: a reader who knows Python skips it"
    assert primer.source.endswith("</details>")
    for words in ("Shift+Enter", "`def ", "`return ", "check", "hints", "skip"):
        assert words in primer.source, words
    assert len(primer.source.split()) < 320, "short"


def test_the_primer_names_each_result_check_can_print() -> None:
    """The primer's *passed*, *failed*... are the words a grade's first line shows (a fault of ours aside)."""
    from typing import get_args

    from quizkit.grader import Status
    from quizkit.notebook import NotebookGrade

    shown = {NotebookGrade(exercise="x", status=status).headline.split(": ", 1)[1].split(" (")[0]
             for status in get_args(Status) if status != "internal_error"}
    assert set(re.findall(r"\*([a-z_]+)\*", PRIMER.read_text(encoding="utf-8"))) == shown


def test_the_primer_comes_from_one_file_and_reaches_every_workbook_and_download(tmp_path: Path) -> None:
    content, plans = _workbook_course(tmp_path)
    primer = content / workbooks.WORKBOOK_DIR / "primer.md"
    primer.write_text(primer.read_text(encoding="utf-8").replace("Read this first.", "Start here."), encoding="utf-8")
    course = Course.load(content)
    problems = workbooks.content_problems(course)
    line = workbooks.cell_lines(plans.read_text(encoding="utf-8"))[1]
    assert len(problems) == len(WORKBOOKS)
    [mine] = [problem for problem in problems if problem.file == str(plans)]
    assert mine.line == line, "at the primer cell's marker"
    assert all("the primer cell differs from workbooks/primer.md" in p.message for p in problems)
    exported = nbformat.reads(workbooks.to_ipynb(plans, course), 4)
    assert "Start here." in exported.cells[1].source, "the download has the primer of this build"

    notebook = workbooks.read(plans)
    notebook.cells = [cell for cell in notebook.cells if not workbooks.is_primer(cell)]
    assert [str(p) for p in workbooks.problems(notebook, course)] == [
        "needs the primer (workbooks/primer.md) as its cell 1, right after the title cell; found it nowhere"]
    updated = workbooks.update(notebook, course)
    assert [index for index, cell in enumerate(updated.cells) if workbooks.is_primer(cell)] == [1]
    assert workbooks.problems(updated, course) == []


def test_the_guide_comes_from_one_file_and_follows_the_primer_in_every_workbook(tmp_path: Path) -> None:
    """How a workbook works and how to run it: written four times by hand before, now one file."""
    for path in WORKBOOKS:
        roles = [workbooks.shared_role(cell) for cell in workbooks.read(path).cells[:4]]
        assert roles == ["", "primer", "guide", ""], path.name
    content, plans = _workbook_course(tmp_path)
    guide = content / workbooks.WORKBOOK_DIR / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("Shift+Enter", "Ctrl+Enter"), encoding="utf-8")
    course = Course.load(content)
    problems = workbooks.content_problems(course)
    assert len(problems) == len(WORKBOOKS)
    assert all("the guide cell differs from workbooks/guide.md" in p.message for p in problems)
    exported = nbformat.reads(workbooks.to_ipynb(plans, course), 4)
    assert "Ctrl+Enter" in exported.cells[2].source, "the download has the guide of this build"

    notebook = workbooks.read(plans)
    notebook.cells[1], notebook.cells[2] = notebook.cells[2], notebook.cells[1]
    assert [str(p) for p in workbooks.problems(notebook, course)] == [
        "needs the primer and the guide right after the title cell, in that order"]
    assert workbooks.problems(workbooks.update(notebook, course), course) == []
