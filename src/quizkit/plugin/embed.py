# Markup of an embedded exercise: the page's JavaScript builds the widget from it.
"""Contract between the plugin (which calls `exercise_html`) and the exercise widget.

The widget (`assets/exercise.js`) finds `.quizkit-exercise[data-exercise-id]` and
reads the exercise data from the JSON script inside it.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizkit.exercise import Exercise

EXERCISE_SCRIPTS = ("assets/quizkit/exercise.js",)
"""Scripts (site-relative) a page with an exercise loads, as ES modules."""


def _json_for_script(data: object) -> str:
    """JSON safe inside <script>: no `</` can close the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def exercise_html(exercise: Exercise) -> str:
    """The placeholder the widget mounts on, with the exercise's data."""
    return (
        f'<div class="quizkit-exercise" data-exercise-id="{html.escape(exercise.id)}">'
        f'<script type="application/json" class="quizkit-data">{_json_for_script(exercise.to_data())}</script>'
        f"<noscript>This exercise needs JavaScript.</noscript></div>"
    )
