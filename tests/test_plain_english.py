# Plain English: idioms a reader of English as a second language may not know, in any text the course shows.
"""The course's readers work on Upwork from many countries and often read English as a second language.

An idiom means something other than its words: "the head start" (the time you gain by being early), "a fit on
paper" (in writing only), "outbid for good" (for ever, not "for a good reason"), "keep up with them", "where
Connects pay off", "go further", "pick up later", "steps back". Each was in a lesson, a quiz or the home page;
the texts now say what they mean in plain words. `quizkit check` refuses them in the texts it reads
(`quizkit.stated`); this test reads every file a reader's text comes from, a quiz's `let` values included. YAML
comments (`#`) are for authors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizkit.stated import IDIOMS

ROOT = Path(__file__).resolve().parent.parent

READER_TEXTS = sorted([*ROOT.glob("docs/*.md"), *ROOT.glob("docs/lessons/*.md"), *ROOT.glob("exercises/quizzes/*.yml"),
                       *ROOT.glob("exercises/*/*/prompt.md"), *ROOT.glob("exercises/*/*/exercise.yml")])


def idioms_in(text: str, *, yaml: bool = False) -> list[tuple[int, str]]:
    """(line, idiom) for each idiom of `IDIOMS` in `text`; in YAML, comment lines are left out."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if yaml and line.lstrip().startswith("#"):
            continue
        found += [(number, idiom) for idiom in IDIOMS if re.search(rf"\b{idiom}\b", line, re.IGNORECASE)]
    return found


def test_idioms_are_found_by_word_and_not_inside_other_words() -> None:
    assert idioms_in("Waiting gives away the head start.\nA perfect fit On Paper.") == [(1, "head start"), (2, "on paper")]
    assert idioms_in("Pick a job.\nUpdate your profile for goodwill.") == []
    assert idioms_in("# a head start, for authors\ntext: plain", yaml=True) == []
    assert idioms_in("# The head start", yaml=False) == [(1, "head start")]


@pytest.mark.parametrize("path", READER_TEXTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_text_a_reader_sees_uses_an_idiom(path: Path) -> None:
    assert idioms_in(path.read_text(encoding="utf-8"), yaml=path.suffix == ".yml") == []
