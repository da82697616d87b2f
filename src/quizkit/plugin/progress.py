# The course structure every page embeds for the progress script, and the markup of the Progress page.
"""Contract between the plugin and `assets/quizkit/progress.js` (on every page).

Every page holds `<script type="application/json" id="quizkit-course">` with the
course structure: the lessons in navigation order, each with the exercises and
quizzes its Markdown embeds, plus where this page sits (`page`, `base`). The
script reads the reader's saved work from localStorage (the widgets' keys,
`quizkit:v1:<site path>:...`, the path found from `base`), marks each lesson in the
navigation, records read lessons, keeps stored data in step with the build (see
`SCHEMA`) and fills the Progress
page (`{{ progress() }}`), whose table is rendered here so it reads before any
script runs.

A lesson is a page of the navigation that embeds an exercise, a quiz or the
activity; front matter `progress: true` adds a page without embeds (a reading
lesson), `progress: false` leaves one out.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quizkit.plugin.quiz_embed import script_json

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

SCHEMA = 1
"""Version of everything quizkit stores in the browser: keys start with `quizkit:v1:` (then the site's
path on its origin, so two courses on one origin keep apart), and exported files carry `"version": 1`.
Keys of an older schema are dropped when a page loads (there is no older schema to migrate from yet);
keys of a newer one are left alone."""
PROGRESS_SCRIPTS = ("assets/quizkit/progress.js",)
"""Scripts (site-relative, ES modules) of every page: progress marks and the offline service worker."""
PROGRESS_STYLES = ("assets/quizkit/progress.css",)
"""Stylesheets (site-relative) of every page."""
ASSETS = ("progress.js", "progress-page.js", "offline.js", "progress.css")
"""Files of `quizkit/assets/progress/` copied into `assets/quizkit/` of the site. `progress.js` loads
`progress-page.js` on the Progress page only, and `offline.js` (the service worker's registration)
once the page has loaded; both with its own `?v=`."""
READ_SECONDS = 20
"""Default of the plugin option `read_seconds`."""
_TAGS = re.compile(r"<[^>]+>")
STEPS_TEXT = ("A step is one thing to do in a lesson: reading it, taking each of its quizzes, and on the activity's "
              "page running the analysis. Exercises are optional: the table counts the ones you passed, but a lesson "
              "is complete without them.")
"""What the Progress page counts as a step (`states()` in progress.js counts the same)."""
PROGRESS_LINK_TEXT = "Your progress"


@dataclass(frozen=True, kw_only=True)
class Item:
    """An exercise or a quiz of a lesson, as the progress script counts it."""

    id: str
    title: str
    questions: int = 0
    """For a quiz: how many questions (the best score's maximum)."""
    key: str = ""
    """For a quiz: a hash of what grading depends on; saved answers are not trusted across a change."""


@dataclass(frozen=True, kw_only=True)
class Lesson:
    """A page whose progress the course tracks."""

    url: str
    """Site-relative URL, as MkDocs gives it (`lessons/01-connects-and-plans/`; `""` for the home page)."""
    title: str
    exercises: tuple[Item, ...] = ()
    quizzes: tuple[Item, ...] = ()
    activity: bool = False

    def to_data(self) -> dict[str, Any]:
        """The lesson as JSON data."""
        return {
            "url": self.url, "title": self.title, "activity": self.activity,
            "exercises": [{"id": e.id, "title": e.title} for e in self.exercises],
            "quizzes": [{"id": q.id, "title": q.title, "questions": q.questions, "key": q.key} for q in self.quizzes],
        }


@dataclass(frozen=True, kw_only=True)
class Structure:
    """The course as the progress script sees it."""

    course: str
    """Names the course in exported files: a file of another course is refused on import."""
    lessons: tuple[Lesson, ...]
    exercise_ids: tuple[str, ...] = ()
    """Every exercise of the course (saved work of any other is dropped once per build)."""
    quiz_keys: tuple[tuple[str, str], ...] = ()
    """Every quiz of the course with the hash of its grading."""
    progress_url: str | None = None
    """Site-relative URL of the Progress page, if the course has one."""
    read_seconds: int = READ_SECONDS
    offline: bool = True
    """Whether pages register the service worker (`sw.js` at the site root)."""
    build: str = field(init=False)
    """Hash of the structure: stored data of another build is brought in step once."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "build", hashlib.sha256(json.dumps(self._data(), sort_keys=True).encode()).hexdigest()[:16])

    def _data(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "course": self.course, "lessons": [lesson.to_data() for lesson in self.lessons],
                "items": {"exercises": list(self.exercise_ids), "quizzes": dict(self.quiz_keys)}}

    def lesson_end_html(self, *, page_url: str, href: str) -> str:
        """The link to the Progress page at the end of a lesson (`""` on a page that is no lesson).

        Called by the theme (`overrides/main.html`, block `content`), which knows the page.

        Args:
            page_url: The page's site-relative URL.
            href: The Progress page's URL relative to the page.

        Returns:
            HTML for the end of the lesson's article.
        """
        if self.progress_url is None or page_url == self.progress_url \
                or not any(lesson.url == page_url for lesson in self.lessons):
            return ""
        return (f'<nav class="quizkit-lesson-end" aria-label="{PROGRESS_LINK_TEXT}" data-quizkit-progress-link>'
                f'<a href="{html.escape(href)}">{PROGRESS_LINK_TEXT}</a>: what you have done in each lesson '
                "and what to do next.</nav>")

    def page_data(self, *, page_url: str, base: str) -> dict[str, Any]:
        """What one page embeds: the structure, where the page is, and where the site root is from it."""
        return {**self._data(), "build": self.build, "page": page_url, "base": base, "progress": self.progress_url,
                "readSeconds": self.read_seconds, "offline": self.offline}


def assets_version(folder: Path, *others: Path) -> str:
    """A hash of the progress assets in `folder` and of `others` (the quiz's), for their URLs (`?v=`)."""
    sha = hashlib.sha256()
    for path in (*(folder / name for name in ASSETS), *others):
        sha.update(path.read_bytes())
    return sha.hexdigest()[:10]


def plain_text(text: str) -> str:
    """A title without Markdown emphasis or HTML tags, for tables and links."""
    return html.unescape(_TAGS.sub("", text)).replace("**", "").replace("`", "").strip()


def quiz_item(quiz_id: str, compiled: Mapping[str, Any]) -> Item:
    """A quiz of a lesson, with the hash of its grading (question ids, types, keys, options, tolerances)."""
    grading = [[q["id"], q["type"], q.get("key"), q.get("tolerance"), [o["id"] for o in q.get("options", [])]]
               for q in compiled["questions"]]
    key = hashlib.sha256(json.dumps(grading, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return Item(id=quiz_id, title=plain_text(str(compiled["title"])), questions=len(compiled["questions"]), key=key)


def course_json(structure: Structure, *, page_url: str, base: str) -> str:
    """The `<script>` every page holds for `progress.js`."""
    data = script_json(structure.page_data(page_url=page_url, base=base))
    return f'<script type="application/json" id="quizkit-course">{data}</script>'


def _attributes(values: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in values)


def steps(lesson: Lesson) -> int:
    """How many steps a lesson has: reading it, each quiz, the activity (`states()` in progress.js).

    Not its exercises: they are optional (the home page says nothing later depends on them), so a reader
    who does not write Python can complete every lesson.
    """
    return 1 + len(lesson.quizzes) + int(lesson.activity)


def _bar(total: int, *, label: str, role: str) -> str:
    """A progress bar at 0 of `total` steps (ARIA's progressbar: a fill measurable by layout, the same in every browser).

    progress-page.js sets its value, its words (`aria-valuetext`) and the fill's width.
    """
    text = f'0 of {total} step{"" if total == 1 else "s"}'
    return (f'<span class="quizkit-progress__bar" data-role="{role}" role="progressbar" aria-label="{html.escape(label)}" '
            f'aria-valuemin="0" aria-valuemax="{total}" aria-valuenow="0" aria-valuetext="{text}">'
            '<span class="quizkit-progress__fill"></span></span>')


def progress_html(structure: Structure, *, link: Mapping[str, str]) -> str:
    """The Progress page's widget: a table of the lessons that the script fills in, and the data buttons.

    Args:
        structure: The course.
        link: Lesson URL (site-relative) -> its URL relative to the Progress page.

    Returns:
        HTML for `on_post_page` to put in the `{{ progress() }}` slot.
    """
    rows = []
    for lesson in structure.lessons:
        href = html.escape(link.get(lesson.url, lesson.url))
        exercises = f"0 of {len(lesson.exercises)}" if lesson.exercises else "none"
        quizzes = "not taken" if lesson.quizzes else "none"
        rows.append(
            f'<tr data-lesson="{html.escape(lesson.url)}">'
            f'<th scope="row"><a href="{href}">{html.escape(lesson.title)}</a>'
            '<span class="quizkit-progress__compact" data-cell="compact">Not started</span>'
            f"{_bar(steps(lesson), label=f'Steps done in {plain_text(lesson.title)}', role='bar')}</th>"
            '<td data-cell="read">no</td>'
            f'<td data-cell="exercises">{exercises}</td>'
            f'<td data-cell="quizzes">{quizzes}</td>'
            '<td data-cell="state">Not started</td></tr>'
        )
    table = (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="quizkit-progress__table">'
        '<caption>Your progress, lesson by lesson</caption>'
        '<thead><tr><th scope="col">Lesson</th><th scope="col">Read</th><th scope="col">Exercises passed (optional)</th>'
        '<th scope="col">Quiz best score</th><th scope="col">State</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div></div>'
    )
    dialog = (
        '<dialog class="quizkit-progress__dialog" data-role="confirm-reset" aria-labelledby="qk-reset-title" '
        'aria-describedby="qk-reset-text">'
        '<h2 id="qk-reset-title">Erase all your progress?</h2>'
        '<p id="qk-reset-text">This erases, in this browser, the code of every exercise and its verdicts, your quiz '
        'answers and best scores, your activity answers and the lessons marked as read. It cannot be undone: '
        'export your progress first to keep a copy.</p>'
        '<div class="quizkit-progress__buttons">'
        '<button type="button" class="quizkit-action" data-action="cancel-reset" autofocus>Cancel</button> '
        '<button type="button" class="quizkit-action quizkit-action--primary" data-action="confirm-reset">'
        'Erase all progress</button>'
        '</div></dialog>'
    )
    return (
        f'<div class="quizkit-progress"{_attributes([("data-quizkit-progress", structure.build)])}>'
        '<p class="quizkit-progress__summary" data-role="summary">'
        'Your progress is read from this browser; it needs JavaScript.</p>'
        f"{_bar(sum(steps(lesson) for lesson in structure.lessons), label='Steps done in the whole course', role='course-bar')}"
        f'<p class="quizkit-progress__steps" data-role="steps">{STEPS_TEXT}</p>'
        '<p class="quizkit-progress__next" data-role="next" hidden></p>'
        f"{table}"
        '<h2 id="your-data">Your data</h2>'
        '<p>Everything you do in the course is kept in this browser only. Export it to a file to keep a copy or to '
        'continue in another browser, then import that file there.</p>'
        '<div class="quizkit-progress__buttons">'
        '<button type="button" class="quizkit-action" data-action="export" disabled>Export progress</button> '
        '<button type="button" class="quizkit-action" data-action="reset" disabled>Reset all progress…</button>'
        '</div>'
        '<div class="quizkit-progress__import">'
        '<label for="qk-progress-import">Import progress from a file</label> '
        '<input id="qk-progress-import" type="file" accept=".json,application/json" data-action="import" '
        'aria-describedby="qk-progress-import-help" disabled>'
        '<p id="qk-progress-import-help" class="quizkit-progress__help">A file made with “Export progress”. It replaces '
        'the progress in this browser; a file that is not a progress file of this course changes nothing.</p>'
        '</div>'
        '<p class="quizkit-progress__notice" data-role="notice" role="status" aria-live="polite"></p>'
        '<p class="quizkit-progress__offline" data-role="offline"></p>'
        f"{dialog}</div>"
    )
