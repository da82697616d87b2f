# Rule values and embed markers in a page's Markdown, with the line of every problem.
"""What the plugin does to a page's Markdown before MkDocs converts it, and what `quizkit check` reads of a lesson.

- `{{ expression }}` becomes the rendered value of a rule expression;
- a line holding only `{{ quiz("id") }}`, `{{ exercise("id") }}`, `{{ activity() }}` or
  `{{ progress() }}` becomes a token in a paragraph of its own, which the plugin later
  swaps for the widget's HTML (the activity and the progress table take no id: there is
  one of each, and a page holds it once);
- a figure that is not the article's, or not of high confidence, is followed the first time a
  section shows it by a compact marker, its month and confidence, linked to its entry on the
  reference page (text, not colour: `(Oct 2025 · medium)`);
- the first exercise of a page gets a folded primer just before it (what `def`, `return`,
  indentation, `print`, `RULES`, `if`, `//`, dictionaries and loops are), so a reader new to Python is not left guessing;
- fenced code blocks are left exactly as written.

Problems are collected with their line, never raised, so a page reports all of them. The module is
the standard library and core only: `quizkit check` (`course.check_course`) runs it on the lessons
without MkDocs, so an author learns of a bad expression or a figure lost in a link before building.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from quizkit.expressions import TEMPLATE, ExpressionError, evaluate, figure_to_mark, render
from quizkit.fences import fence_lines

if TYPE_CHECKING:
    from collections.abc import Callable

    from quizkit.model import Figure, Rules

EmbedKind = Literal["quiz", "exercise", "activity", "progress"]

REFERENCE_PAGE = "reference/rules.md"
"""Where the plugin writes the rules' reference page among the docs (`nav` can name it like any page);
the figure markers link to it."""

SINGLE_KINDS: tuple[EmbedKind, ...] = ("activity", "progress")
"""Embeds that take no id and appear at most once in a page."""

_EMBED = re.compile(
    r"""^(?P<indent>[ \t]*)\{\{\s*(?P<kind>quiz|exercise|activity|progress)\(\s*"""
    r"""(?:(?P<quote>["'])(?P<id>[^"']*)(?P=quote))?\s*\)\s*\}\}\s*$""",
)
_EMBED_CALL = re.compile(r"^(quiz|exercise|activity|progress)\s*\(")
_HEADING = re.compile(r"^#{1,6}\s")

PRIMER = """??? tip "New to Python? What this exercise's code means (1 minute)"
    - **`def name(inputs):`** defines a *function*: a named recipe that takes inputs. The
      exercise calls your function with its own test cases, so you only write the recipe.
    - **Indentation**: the lines that belong to the function start with four spaces more than
      the `def` line. A line that lost its spaces is no longer part of the function.
    - **`return value`** hands the answer back to whoever called the function. Without it the
      function gives back `None` ("nothing").
    - **`print(value)`** only shows a value in the output below the editor, for you to look at;
      the checks read what you `return`, not what you print.
    - **`RULES["plan.basic.monthly_connects"]`** reads one plan figure from the course's rules
      (the same figures the lesson shows), so your code stays right when Upwork changes one.
      **`RULES[f"plan.{plan}.monthly_connects"]`** is the same with the plan's id put in: in an
      `f"..."` string, `{plan}` is replaced by the value of `plan` (`"basic"` or `"plus"`).
    - **`if balance >= 9:`** runs the indented lines below it only when the test is true;
      **`else:`** runs its own lines otherwise.
    - **`28 // 9`** divides and drops the remainder (`3`): whole proposals. `/` would keep a
      fraction, and `%` gives the remainder alone.
    - **`job["connects"]`** reads the value stored under `"connects"` in the dictionary `job`;
      **`job.get("bid", 0)`** does the same but gives `0` when there is no such key.
    - **`for job in jobs:`** runs its indented lines once for each item of the list `jobs`.
      **`max(0, x)`** is the larger of the two, **`min(a, b)`** the smaller, and **`sum(...)`** adds up
      numbers.
    - **Run** shows what your code prints; **Check** calls your function on test cases. Every
      exercise may be skipped: the lesson and its quiz stand without it.
"""
"""Markdown of the folded primer set before the first exercise of a page (pymdownx.details): what the exercises use."""


@dataclass(frozen=True, kw_only=True)
class Embed:
    """A quiz, exercise, activity or progress marker found in a page."""

    kind: EmbedKind
    id: str
    """The quiz's or exercise's id; empty for the activity and the progress table."""
    line: int
    """Line of the marker in the Markdown given to `process` (1-based)."""
    token: str
    """The text that stands in for the widget until the HTML is ready."""


@dataclass(frozen=True)
class LineProblem:
    """Something wrong on one line of a page."""

    line: int
    message: str


@dataclass(kw_only=True)
class Processed:
    """A page's Markdown after substitution, with its embeds and problems."""

    markdown: str
    embeds: list[Embed] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)


def embed_token(index: int, nonce: str) -> str:
    """A word Markdown leaves alone (no punctuation, no underscores) that marks embed `index`."""
    return f"quizkitembed{nonce}x{index}"


def process(
    markdown: str,
    rules: Rules,
    *,
    find: Callable[[EmbedKind, str], str | None],
    nonce: str,
    page: str | None = None,
) -> Processed:
    """Substitute rule expressions and replace embed markers by tokens.

    Parameters:
        markdown: The page's Markdown (front matter already removed).
        rules: The rules expressions are evaluated against.
        find: Returns None when a quiz or exercise id exists, else the error message.
        nonce: Makes the tokens of this page unlikely to appear in its text.
        page: The page's path among the docs (`lessons/01-x.md`): the figure markers link from it
            to the reference page. Without it the Markdown is a fragment, not a page: no figure
            markers and no primer.

    Returns:
        The new Markdown, the embeds in page order and every problem with its line.
    """
    lines = markdown.split("\n")
    fenced = fence_lines(lines)
    result = Processed(markdown="")
    out: list[str] = []
    marks = _Marks(rules, posixpath.relpath(REFERENCE_PAGE, posixpath.dirname(page))) if page is not None else None
    for index, line in enumerate(lines):
        number = index + 1
        if index in fenced:
            out.append(line)
            continue
        if _HEADING.match(line) and marks is not None:
            marks.shown.clear()
            out.append(_substitute(line, number, rules, result.problems, None))
            continue
        embed = _EMBED.match(line)
        if embed:
            kind = _KINDS[embed.group("kind")]
            item_id = embed.group("id") or ""
            error = _embed_error(kind, embed.group("quote") is not None, result.embeds) or find(kind, item_id)
            if error:
                result.problems.append(LineProblem(number, error))
                out.append(line)
                continue
            token = embed_token(len(result.embeds), nonce)
            if page is not None and kind == "exercise" and not any(item.kind == "exercise" for item in result.embeds):
                indent = embed.group("indent")
                out.extend(("", *(indent + primer if primer else "" for primer in PRIMER.split("\n"))))
            result.embeds.append(Embed(kind=kind, id=item_id, line=number, token=token))
            out.extend(("", embed.group("indent") + token, ""))
            continue
        out.append(_substitute(line, number, rules, result.problems, marks))
    result.markdown = "\n".join(out)
    return result


_KINDS: dict[str, EmbedKind] = {"quiz": "quiz", "exercise": "exercise", "activity": "activity", "progress": "progress"}


def fill_fragment(markdown: str, rules: Rules, reference: str) -> str:
    """A fragment's `{{ expressions }}` filled in as a page's are: an exercise's prompt, or one of its hints.

    Each figure that needs its month and confidence gets its marker the first time the fragment shows
    it, linked to `reference` (the reference page's URL, relative to the page the fragment goes into):
    a hint is read on its own, so it marks its figures again. Fenced code is left as written.

    Raises:
        ExpressionError: an expression that cannot be evaluated (`quizkit check` reports it with its file and line,
            through `fragment_problems`).
    """
    filled, problems = _filled_fragment(markdown, rules, reference)
    if problems:
        raise ExpressionError(f"line {problems[0].line}: {problems[0].message}")
    return filled


def fragment_problems(markdown: str, rules: Rules) -> list[LineProblem]:
    """What `fill_fragment` would refuse in a fragment, each problem at its line: what `quizkit check` reports."""
    return _filled_fragment(markdown, rules, REFERENCE_PAGE)[1]


def _filled_fragment(markdown: str, rules: Rules, reference: str) -> tuple[str, list[LineProblem]]:
    lines = markdown.split("\n")
    fenced = fence_lines(lines)
    marks = _Marks(rules, reference)
    problems: list[LineProblem] = []
    out = [line if index in fenced else _substitute(line, index + 1, rules, problems, marks) for index, line in enumerate(lines)]
    return "\n".join(out), problems


def _embed_error(kind: EmbedKind, has_id: bool, before: list[Embed]) -> str | None:
    """What is wrong with the form of an embed marker, before its id is looked up."""
    if kind in SINGLE_KINDS:
        if has_id:
            return f"{{{{ {kind}() }}}} takes no id"
        if any(item.kind == kind for item in before):
            return f"{{{{ {kind}() }}}} can appear only once in a page"
    elif not has_id:
        return f'{{{{ {kind}("id") }}}} needs the id of the {kind} in quotes'
    return None


@dataclass
class _Marks:
    """Which labelled figures the current section has already marked, and where the reference page is."""

    rules: Rules
    reference: str
    """The reference page, relative to the page being processed."""
    shown: set[str] = field(default_factory=set)

    def after(self, expression: str, text: str, line: str, start: int) -> str:
        """Markers for the labelled figures `expression` reads, shown once a section; empty when none fits.

        No marker goes into a heading (it would join the anchor), an admonition's title, inline
        code or a link's text (links do not nest). A numeric figure is marked only where a number is shown (not after
        "returns" chosen by comparing it); a yes/no or listed rule wherever the text states it.
        """
        if line.lstrip().startswith(("!!!", "???")) or _in_link_text(line, start) or line[:start].count("`") % 2:
            return ""
        figure = figure_to_mark(expression, text, self.rules, self.shown)  # one marker a value: the first figure it shows
        return f" {figure_marker(figure, self.reference)}" if figure else ""

    def lost_in_link(self, expression: str, text: str, line: str, start: int) -> Figure | None:
        """The figure `expression` shows inside a link's text that needs a marker this section has not shown yet.

        No marker can go there, so the reader would see the figure without its month and confidence.
        """
        if not _in_link_text(line, start):
            return None
        return figure_to_mark(expression, text, self.rules, set(self.shown))


def _in_link_text(line: str, start: int) -> bool:
    """Whether `start` in `line` is inside a link's text: more `[` than `]` before it."""
    before = line[:start]
    return before.count("[") > before.count("]")


def figure_marker(figure: Figure, reference: str) -> str:
    """The compact marker of a figure: `(Oct 2025 · medium)`, linked to its entry on the reference page."""
    title = figure.mark_title.replace('"', "'").replace("[", "(").replace("]", ")")
    return f'<small class="quizkit-figure-mark">([{figure.mark_text}]({reference}#{figure.id} "{title}"))</small>'


def _substitute(line: str, number: int, rules: Rules, problems: list[LineProblem], marks: _Marks | None) -> str:
    def replace(match: re.Match[str]) -> str:
        expression = match.group(1)
        if _EMBED_CALL.match(expression):
            problems.append(LineProblem(number, f"{{{{ {expression} }}}} must stand alone on its own line"))
            return match.group(0)
        try:
            text = render(evaluate(expression, rules))
        except (ExpressionError, ArithmeticError, TypeError) as exc:
            problems.append(LineProblem(number, f"in {{{{ {expression} }}}}: {exc}"))
            return match.group(0)
        if marks and (lost := marks.lost_in_link(expression, text, line, match.start())):
            problems.append(LineProblem(number, f"{{{{ {expression} }}}} shows '{lost.label}' inside a link's text, where its "
                                                "month and confidence cannot follow it: move the figure out of the link"))
        return text + (marks.after(expression, text, line, match.start()) if marks else "")

    return TEMPLATE.sub(replace, line)
