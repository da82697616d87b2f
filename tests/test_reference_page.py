# The rules reference page (`quizkit.plugin.reference_page`): what a reader sees of each figure, in words.
from __future__ import annotations

import copy

from quizkit.model import Rules
from quizkit.plugin.reference_page import reference_markdown


def entry(text: str, figure_id: str) -> list[str]:
    """The lines of one figure's entry on the page, from its heading to the next."""
    start = text.index(f"{{ #{figure_id} }}")
    return text[start:text.index("\n### ", start)].split("\n")


def test_as_of_reads_like_the_markers(rules: Rules) -> None:
    """"~2025" and "2025-10" are the rules file's notation: the page says "about 2025" and "Oct 2025", as markers do."""
    text = reference_markdown(rules)
    for figure in rules.figures.values():
        assert f"- **As of:** {figure.as_of_text}" in entry(text + "\n### ", figure.id), figure.id
    assert "- **As of:** about 2025" in entry(text, "plan.basic.monthly_connects")
    assert "- **As of:** Oct 2025" in entry(text, "expiry.months")
    assert "**As of:** ~" not in text


def test_outcome_ids_are_shown_in_words_with_the_id_the_exercises_use(rules: Rules) -> None:
    text = reference_markdown(rules)
    value = next(line for line in entry(text, "returns.returned_reasons") if line.startswith("- **Value:**"))
    assert value == ("- **Value:** the client cancels the job before any contract (`client_cancelled_before_contract`); "
                     "Upwork removes the job post for breaking its terms (`removed_by_upwork`)")
    data = copy.deepcopy(dict(rules.to_data()))
    data["figures"]["returns.kept_reasons"]["value"] = ["declined", "client_ghosted"]
    changed = reference_markdown(Rules.from_data(data))
    value = next(line for line in entry(changed, "returns.kept_reasons") if line.startswith("- **Value:**"))
    assert value == "- **Value:** the client declines your proposal (`declined`); client ghosted (`client_ghosted`)"
    tools = next(line for line in entry(text, "plan.plus.tools") if line.startswith("- **Value:**"))
    assert "`" not in tools, "words are not code"


def test_a_bound_the_course_sets_lists_no_earlier_upwork_values_as_its_history(rules: Rules) -> None:
    """Upwork's reported ranges are not earlier values of the course's own bound: the note gives them, not a history."""
    for figure in rules.figures.values():
        if figure.source == "course":
            assert not figure.history, figure.id
            assert "| When | Value |" not in "\n".join(entry(reference_markdown(rules), figure.id))
