"""A minimal site for the exercise widget tests: every exercise on a page, served on localhost.

Built with the real runtime (`write_runtime`) and markup (`exercise_html`), but
without MkDocs, so the widget can be tested on its own. Pages hold a plain
document and the module script, as the plugin writes them.
"""

from __future__ import annotations

import functools
import html
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from quizkit.plugin.embed import EXERCISE_SCRIPTS, EXERCISE_STYLES, exercise_html
from quizkit.plugin.runtime import write_runtime

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from quizkit.course import Course
    from quizkit.exercise import Exercise

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{styles}</head>
<body><main><h1>{title}</h1>{body}</main>
{scripts}</body></html>
"""


def page_html(title: str, exercises: list[Exercise], course: Course, depth: int = 0) -> str:
    """A page embedding `exercises`, with asset links relative to a page `depth` folders deep."""
    up = "../" * depth
    return PAGE.format(
        title=html.escape(title),
        styles="".join(f'<link rel="stylesheet" href="{up}{href}">' for href in EXERCISE_STYLES),
        body="".join(exercise_html(exercise, rules=course.rules) for exercise in exercises),
        scripts="".join(f'<script type="module" src="{up}{src}"></script>' for src in EXERCISE_SCRIPTS),
    )


def build(site: Path, course: Course) -> None:
    """Runtime, one page per exercise (`exercises/<id>.html`), a page with all of them, a page with none."""
    write_runtime(site, course.rules)
    (site / "exercises").mkdir(exist_ok=True)
    for exercise in course.exercises.values():
        (site / "exercises" / f"{exercise.id}.html").write_text(page_html(exercise.title, [exercise], course, 1), encoding="utf-8")
    (site / "all.html").write_text(page_html("All exercises", list(course.exercises.values()), course), encoding="utf-8")
    (site / "index.html").write_text(PAGE.format(title="Lesson", styles="", body="<p>No exercise here.</p>", scripts=""),
                                     encoding="utf-8")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        del format, args


@functools.cache
def _handler(directory: str) -> type[SimpleHTTPRequestHandler]:
    return type("Handler", (_QuietHandler,), {"__init__": functools.partialmethod(_QuietHandler.__init__, directory=directory)})


def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free localhost port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
