# Markup of an embedded quiz: the compiled quiz as JSON, which `assets/quiz.js` turns into a form.
"""Contract between the plugin and the quiz widget (`assets/quiz.js`).

The widget finds `.quizkit-quiz-host[data-quizkit-quiz]`, reads the JSON script in
it and builds `form.quizkit-quiz[data-quiz-id]`. The JSON is `quizkit.quiz.compile_quiz`
output (keys included: the page grades with no Python), with each question's
`section` replaced by `{"href": page-relative URL, "title": heading text}` and each of
its `figures` (markers of figures not from the article or not of high confidence) given
the `href` of the figure's entry on the reference page, which the widget links as text. With
`format: markdown` every reader text is HTML rendered at build time; otherwise it
is plain text and the widget inserts it as text.
"""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizkit.page_markdown import REFERENCE_PAGE
from quizkit.quiz import ENTRY_TEXTS

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

QUIZ_SCRIPTS = ("assets/quizkit/quiz.js",)
"""Scripts (site-relative) a page with a quiz loads, as ES modules."""
STYLESHEETS = ("assets/quizkit/quizkit.css",)
"""Stylesheets (site-relative) a page with a quiz or an exercise loads."""
ASSETS = ("quiz.js", "quizkit.css")
"""Files of `quizkit/assets/` the plugin copies into `assets/quizkit/` of the site."""


@dataclass(frozen=True)
class SectionLink:
    """Where a question sends the reader to review: a URL relative to the quiz's page."""

    href: str
    title: str


def script_json(data: object) -> str:
    """JSON safe inside `<script>`: with no `<` at all, nothing can close the element early."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _strip_paragraph(rendered: str) -> str:
    """`<p>text</p>` as `text` when it is a single paragraph, for inline places (labels, legends)."""
    inner = rendered.strip()
    if inner.startswith("<p>") and inner.endswith("</p>") and inner.count("<p>") == 1:
        return inner[3:-4]
    return inner


def render_texts(compiled: Mapping[str, Any], convert: Callable[[str], str]) -> dict[str, Any]:
    """A compiled quiz with every reader text converted from Markdown to HTML by `convert`."""
    quiz = copy.deepcopy(dict(compiled))

    def inline(text: str) -> str:
        return _strip_paragraph(convert(text)) if text else ""

    def texts(question: dict[str, Any]) -> None:
        question["text"] = inline(question["text"])
        question["explanation"] = convert(question["explanation"]) if question["explanation"] else ""
        for part, keys in ENTRY_TEXTS.items():  # the lists' texts, as the checks read them
            for entry in question.get(part, []):
                for key in keys:
                    entry[key] = inline(entry[key])
        if "feedback" in question:
            question["feedback"] = {k: inline(v) for k, v in question["feedback"].items()}

    quiz["title"] = inline(quiz["title"])
    for question in quiz["questions"]:
        texts(question)
        for variant in question.get("variants", []):
            texts(variant)
    return quiz


def quiz_payload(compiled: Mapping[str, Any], link: Callable[[str], SectionLink]) -> dict[str, Any]:
    """What a page embeds for a quiz: `compiled` with section and figure links resolved for that page.

    Only what changes is copied (the questions, their sections and figures): the variants, most of the data,
    are shared with `compiled`, which a deep copy took 60 ms a build to duplicate.
    """
    questions = []
    for question in compiled["questions"]:
        section = link(question["section"])
        figures = [{**figure, "href": link(f"{REFERENCE_PAGE}#{figure['id']}").href} for figure in question.get("figures", [])]
        questions.append({**question, "section": {"href": section.href, "title": section.title},
                          **({"figures": figures} if "figures" in question else {})})
    return {**compiled, "questions": questions}


def quiz_html(payload: Mapping[str, Any]) -> str:
    """The element the widget mounts on, holding the quiz data."""
    return (
        f'<div class="quizkit-quiz-host" data-quizkit-quiz="{html.escape(str(payload["id"]))}">'
        f'<script type="application/json" class="quizkit-data">{script_json(payload)}</script>'
        "<noscript><p>This quiz needs JavaScript.</p></noscript></div>"
    )
