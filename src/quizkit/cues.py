# Stem cues: a key that alone repeats the stem's words.
"""A single-choice key that is the only option sharing a phrase with its stem.

Item-writing guidance calls it a clang association: the stem says "your few proposals to jobs you
fit closely brought two interviews" and the key says "apply only to jobs you fit closely". A reader
who matches words, not ideas, picks the key. `quizkit check` refuses a question whose key alone
repeats a phrase of its stem (three words in a row, not all of them little words) in most of its
variants; a phrase that a distractor repeats too cues nothing, nor does one that only a distractor repeats
as often as only the key does. Standard library only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from quizkit.errors import ContentError

if TYPE_CHECKING:
    from collections.abc import Mapping

ECHO_WORDS = 3
"""Words in a row that make a phrase: two ("your balance") are too common to cue anything."""
_LITTLE = frozenset((
    "a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "by", "for", "from", "with", "as", "is", "are",
    "was", "be", "been", "it", "its", "this", "that", "these", "those", "you", "your", "yours", "they", "their",
    "them", "he", "she", "his", "her", "we", "our", "us", "i", "my", "me", "not", "no", "so", "if", "then", "than",
    "when", "while",
))
"""Words that do not make a phrase on their own: "and you are" cues nothing."""
_WORD = re.compile(r"\b[a-z][a-z']*\b")


def phrases(text: str) -> set[tuple[str, ...]]:
    """The phrases of `text` a reader could match: `ECHO_WORDS` words in a row, not all of them little ones.

    Numbers are left out ("the 17th of" is a date, not words), and case does not count.
    """
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + ECHO_WORDS]) for i in range(len(words) - ECHO_WORDS + 1)
            if not set(words[i:i + ECHO_WORDS]) <= _LITTLE}


def echoes(question: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(a stem phrase only the key repeats, one only a distractor repeats) in one variant; None where there is none."""
    stem = phrases(str(question.get("text", "")))
    shared = {option["id"]: phrases(str(option["text"])) & stem for option in question.get("options") or []}
    key = question.get("key")
    others = set().union(*(found for oid, found in shared.items() if oid != key))
    by_key = sorted(shared.get(key, set()) - others)
    by_other = sorted(others - shared.get(key, set()))
    return (" ".join(by_key[0]) if by_key else None), (" ".join(by_other[0]) if by_other else None)


def echo_problems(compiled: Mapping[str, Any]) -> list[ContentError]:
    """Single-choice questions where picking the option that alone repeats the stem's words finds the key.

    A reader with that strategy wins in the variants where only the key repeats a phrase of the stem, and loses
    where only a distractor does: a question fails when the wins outnumber the losses by more than half its variants.
    """
    problems = []
    for i, question in enumerate(compiled["questions"]):
        if question["type"] != "single":
            continue
        shown = question.get("variants") or [question]
        found = [echoes({**question, **{k: variant[k] for k in ("text", "options", "key") if k in variant}})
                 for variant in shown]
        wins = [by_key for by_key, _ in found if by_key]
        losses = [by_other for _, by_other in found if by_other]
        if (len(wins) - len(losses)) * 2 > len(shown):
            problems.append(ContentError(
                f"the key is the only option that repeats the stem's words ('{wins[0]}'): a reader could pick it by "
                "its words alone; reword the key, or let a distractor use the same words", path=("questions", i)))
    return problems
