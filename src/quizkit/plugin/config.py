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
