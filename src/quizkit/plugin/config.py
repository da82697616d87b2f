# Configuration of the quizkit MkDocs plugin (`plugins: [quizkit: {...}]` in mkdocs.yml).
from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from quizkit.load import DEFAULT_RULES


class QuizkitConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the `quizkit` plugin; paths are relative to mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Whether the plugin does anything; off, `{{ ... }}` markers stay as written."""

    # Content
    rules = c.File(exists=True, default=str(DEFAULT_RULES))
    """The plan rules file (YAML); by default the one shipped with quizkit."""
    content = c.Dir(exists=True, default="exercises")
    """The content folder: exercises in `<area>/<id>/exercise.yml`, quizzes in `quizzes/*.yml`."""

    # Browser runtime
    pyodide_url = c.Type(str, default="")
    """Where pages load Pyodide from; empty (the default) serves it from the site itself."""

    # Progress and offline use
    read_seconds = c.Type(int, default=20)
    """A lesson counts as read once its end has been on screen and the page has been open this long (seconds)."""
    offline = c.Type(bool, default=True)
    """Write a service worker (`sw.js`, Workbox) that keeps the whole course, Python included, for offline use.
    Never under `mkdocs serve`, whose pages change as you edit them: there `sw.js` retires any earlier worker."""
    offline_isolation = c.Type(bool, default=True)
    """The service worker adds the cross-origin isolation headers (COOP/COEP) the host did not send, so
    runaway Python can be interrupted in place on hosts like GitHub Pages (from the second page load on)."""

    # SCORM package (`quizkit export scorm`; the plugin itself ignores it)
    scorm = c.Type(dict, default={})
    """`mastery_score` (0-100) and `score` (a quiz id, default `final`, or `all`) of the SCORM package."""
