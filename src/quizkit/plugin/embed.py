# Markup of an embedded exercise: the one template of the widget; the page's JavaScript brings it to life.
"""Contract between the plugin (which calls `exercise_html`) and the exercise widget.

The widget (`assets/quizkit/exercise.js`, an ES module) finds
`.quizkit-exercise[data-exercise-id]`, reads the exercise data from the JSON
script inside it and mounts the editor where the starter code is shown. The
prompt and the hints are Markdown, rendered here at build time. The markup is a
single line (newlines become `&#10;`), so it survives being placed in Markdown.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING

import markdown  # type: ignore[import-untyped]

from quizkit.expressions import substitute
from quizkit.page_markdown import fill_fragment
from quizkit.plugin.runtime import build_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from quizkit.exercise import Exercise
    from quizkit.model import Rules

EXERCISE_SCRIPTS = ("assets/quizkit/exercise.js",)
"""Scripts (site-relative) a page with an exercise loads, as ES modules (`<script type="module">`)."""

EXERCISE_STYLES = ("assets/quizkit/exercise.css",)
"""Stylesheets (site-relative) of the widget; the script adds them itself when a page lacks them."""

_MARKDOWN_EXTENSIONS = ("fenced_code", "tables", "sane_lists", "smarty")
_BUTTONS = (
    ("run", "Run", "Run your code (Ctrl+Enter)"),
    ("check", "Check", "Check your code against the exercise (Ctrl+Shift+Enter)"),
    ("stop", "Stop", "Stop your running code"),
    ("hint", "Hint", "Show the next hint"),
    ("reset", "Reset", "Replace your code by the starter code (you can undo)"),
    ("solution", "Show solution", "Show the reference solution"),
)
_SOLUTION_ATTRIBUTES = ' hidden aria-expanded="false"'
_EARLY_START = """<script>/* quizkit: start Python while the page is still loading */(() => {
if (window.quizkitEarly || typeof Worker !== "function") return;
__POLICY__
const build = __BUILD__, v = "?v=" + build;
if (startPolicy(undefined, undefined, keptHere(build)) !== "now") return;
const early = window.quizkitEarly = { build, messages: [] };
try {
  const url = new URL("worker.js" + v, new URL(__BASE__, document.baseURI));
  const askedAt = performance.timeOrigin + performance.now();
  if (!withSnapshot()) askEarly(__ASK__.map((name) => new URL(name + v, url)));
  const lean = keptHere(build) ? "quizkit-python-lean-keep" : "quizkit-python-lean-choose-keep";
  early.worker = new Worker(url, { type: "module", name: withSnapshot() ? "quizkit-python" : lean });
  early.spawnedAt = performance.now();
  early.worker.onmessage = (event) => early.messages.push(event.data);
  early.worker.onerror = () => early.messages.push({ type: "status", state: "error",
    detail: "Python could not start: the worker failed to load", progress: 0 });
  early.interrupt = self.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null;
  early.worker.postMessage({ type: "init", interrupt: early.interrupt && early.interrupt.buffer, askedAt });
} catch { window.quizkitEarly = null; }
})();</script>"""
_POLICY_FILE = Path(__file__).resolve().parent.parent / "assets" / "exercise" / "start-policy.js"
"""The rule of when Python may start, written once: the page's module imports it, the head script inlines it."""


def _one_script(code: str) -> str:
    """Lines of script joined into one: each line must end its statement (no `//` comments)."""
    return "".join(line.strip() for line in code.splitlines())


def _start_policy() -> str:
    """The code of `start-policy.js` between its markers, as plain statements for the head script."""
    code = _POLICY_FILE.read_text(encoding="utf-8").split("// inline-start\n", 1)[1].split("// inline-end", 1)[0]
    return code.replace("export function ", "function ")


_EARLY_START = _one_script(_EARLY_START).replace("__POLICY__", _one_script(_start_policy()))


def early_start(runtime_url: str, build: str, ask: Sequence[str] = ()) -> str:
    """A script for the top of `<head>` that starts the Python worker before anything else loads.

    Parser-inserted scripts after a stylesheet wait for it; this one comes first, so the worker
    (and its downloads) start while the page's CSS and scripts are still arriving: Python is ready
    about 0.1 s sooner than when the widget's markup started it. `exercise.js` and `activity.js` take
    the worker over (`window.quizkitEarly`) when it comes from their own build. Only on a fast link
    (`startPolicy` of assets/exercise/start-policy.js, inlined): elsewhere Python waits for the page's load
    (a first visit from a loopback host) or for the reader.

    Args:
        runtime_url: The folder of `worker.js`, relative to the page (e.g. `../../assets/quizkit/`).
        build: The runtime's build id (`runtime.build_id`).
        ask: Files of the runtime (relative to its folder) the script asks for itself when Python starts lean
            (`runtime.ASKED_FOR_BY_THE_PAGE`; none when Pyodide comes from another host), with `askEarly`
            of start-policy.js, inlined like the rule.
    """
    return (_EARLY_START.replace("__BUILD__", _json_for_script(build)).replace("__BASE__", _json_for_script(runtime_url))
            .replace("__ASK__", _json_for_script(list(ask))))


def _json_for_script(data: object) -> str:
    """JSON safe inside <script>: no `</` can close the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def exercise_json(exercise: Exercise) -> str:
    """The exercise as the page holds it (inside `<script>`) and hands it, as text, to Python in the worker.

    The text goes to `quizkit.browser.grade_json` untouched: JavaScript never parses and re-serialises
    it, so numbers keep their type (`1.0` stays a float).
    """
    return _json_for_script(exercise.to_data())


def render_markdown(text: str, rules: Rules | None = None, reference: str | None = None) -> str:
    """Markdown to HTML, with `{{ rule expressions }}` filled in when `rules` are given.

    With `reference` (the rules' reference page, relative to the page the text goes into), a figure
    not from the article or not of high confidence shows its month and confidence, as in a lesson.
    """
    if rules is not None:
        text = substitute(text, rules) if reference is None else fill_fragment(text, rules, reference)
    return str(markdown.markdown(text, extensions=list(_MARKDOWN_EXTENSIONS), output_format="html"))


def _one_line(markup: str) -> str:
    return markup.replace("\r", "").replace("\n", "&#10;")


def exercise_html(exercise: Exercise, *, rules: Rules | None = None, build: str | None = None,
                  reference: str | None = None) -> str:
    """The exercise widget's markup, with the exercise's data for the script.

    Args:
        exercise: The exercise to embed.
        rules: When given, `{{ expressions }}` in the prompt and hints are replaced by rule values,
            and the markup names the runtime's build (the plugin passes them).
        build: That build id (default: `build_id(rules)`, a site with Pyodide of its own).
        reference: The rules' reference page, relative to the exercise's page: figures in the prompt and
            hints that need it then show their month and confidence, linked to their entry there.

    Returns:
        One line of HTML: the buttons start disabled until the script mounts the widget.
    """
    ident, title = html.escape(exercise.id), html.escape(exercise.title)
    marker = f' data-quizkit-build="{build or build_id(rules)}"' if rules is not None else ""
    buttons = "".join(
        f'<button type="button" class="quizkit-button" data-action="{action}" title="{html.escape(title)}"'
        f'{_SOLUTION_ATTRIBUTES if action == "solution" else ""} disabled>{label}</button>'
        for action, label, title in _BUTTONS
    )
    hints = "".join(f"<li hidden>{render_markdown(hint, rules, reference)}</li>" for hint in exercise.hints)
    parts = (
        (f'<div class="quizkit-exercise" id="exercise-{ident}" data-exercise-id="{ident}" '
         f'data-lesson="{html.escape(exercise.lesson)}"{marker}>'),
        f'<script type="application/json" class="quizkit-data">{exercise_json(exercise)}</script>',
        '<div class="quizkit-exercise__head"><span class="quizkit-exercise__label">Exercise</span>',
        f'<span class="quizkit-exercise__title">{title}</span></div>',
        f'<div class="quizkit-exercise__prompt">{render_markdown(exercise.prompt, rules, reference)}</div>',
        f'<div class="quizkit-exercise__editor" data-role="editor"><pre><code>{html.escape(exercise.starter)}</code></pre></div>',
        # Tab indents in the editor (WCAG 2.1.2: a reader who must press more than Tab to leave is told how).
        f'<p class="quizkit-exercise__keys" id="keys-{ident}">Tab indents your code. To leave it, press Esc, then Tab.</p>',
        f'<div class="quizkit-exercise__toolbar" role="toolbar" aria-label="Exercise: {title}">{buttons}</div>',
        '<div class="quizkit-exercise__status"><p data-role="runtime-status" role="status">',
        "This exercise runs Python in your browser: it needs JavaScript.</p>",
        '<progress data-role="runtime-progress" max="1" value="0" aria-hidden="true" hidden></progress></div>',
        '<p data-role="notice" aria-live="polite"></p>',
        '<ol class="quizkit-exercise__hints" data-role="hints" aria-live="polite" aria-label="Hints" hidden>',
        f"{hints}</ol>",
        '<div data-role="verdict" data-status="loading" aria-live="polite" aria-atomic="true"></div>',
        '<pre data-role="output" tabindex="0" aria-label="Output of your code" hidden></pre>',
        '<div class="quizkit-exercise__solution" data-role="solution" hidden>',
        "<p>A reference solution (yours can differ and still be right):</p><pre><code></code></pre></div>",
        "</div>",
    )
    return _one_line("".join(parts))
