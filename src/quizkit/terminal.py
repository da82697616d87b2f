# Text for a terminal: what learner code made is shown, never acted on.
"""One escaping for every place that prints learner text to a terminal (`quizkit grade`, a notebook's text).

A learner's output, an exception's text or a value in a message may hold characters a terminal acts on
(`ESC[6A` moves the cursor up, `ESC[8m` conceals what follows): printed raw, they could draw a verdict and
hide the real one. Standard library only.
"""

from __future__ import annotations


def visible(text: str) -> str:
    r"""`text` with every character a terminal would act on rather than show written as an escape (`\x1b`).

    Line breaks and tabs stay: they only lay the text out.
    """
    return "".join(char if char.isprintable() or char in "\n\t" else repr(char)[1:-1] for char in text)
