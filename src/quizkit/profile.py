# The profile analysis: how complete a profile is and what to fill in first.
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import random
    from collections.abc import Mapping

    from quizkit.model import ProfileSection, Rules

Status = Literal["complete", "update", "missing"]
STATUSES: tuple[Status, ...] = ("complete", "update", "missing")
CREDIT: Mapping[str, float] = {"complete": 1.0, "update": 0.5, "missing": 0.0}
"""Share of a section's weight it earns: a section that needs an update counts half."""


def _check_statuses(rules: Rules, statuses: Mapping[str, str]) -> None:
    known = {section.id for section in rules.profile_sections}
    for section_id, status in statuses.items():
        if section_id not in known:
            msg = f"unknown profile section {section_id!r} (sections: {', '.join(sorted(known))})"
            raise ValueError(msg)
        if status not in CREDIT:
            msg = f"status of {section_id!r} must be one of {', '.join(STATUSES)}, got {status!r}"
            raise ValueError(msg)


def completeness(rules: Rules, statuses: Mapping[str, str]) -> int:
    """Profile completeness from 0 to 100, weighting each section; absent sections count as missing."""
    _check_statuses(rules, statuses)
    total = sum(section.weight for section in rules.profile_sections)
    earned = sum(section.weight * CREDIT[statuses.get(section.id, "missing")] for section in rules.profile_sections)
    return round(100 * earned / total) if total else 0


def _unearned(section: ProfileSection, statuses: Mapping[str, str]) -> float:
    """The part of a section's weight it does not earn yet: all of it when missing, half when it needs an update."""
    return section.weight * (1 - CREDIT[statuses.get(section.id, "missing")])


def gain(rules: Rules, statuses: Mapping[str, str], section_id: str) -> float:
    """What completing one section adds to the score, before the score is rounded: its weight's missing share.

    Exact rather than the difference of two rounded scores, which can say +16 for a section of 15 points.
    """
    _check_statuses(rules, statuses)
    total = sum(section.weight for section in rules.profile_sections)
    [section] = [s for s in rules.profile_sections if s.id == section_id]
    return 100 * _unearned(section, statuses) / total if total else 0.0


def gaps(rules: Rules, statuses: Mapping[str, str]) -> list[ProfileSection]:
    """Sections to work on, the fix that adds most to the score first.

    A missing section adds its whole weight, one that needs an update half of it (the weights are the
    course's advice): an overview to update can come before missing certifications. Between equal
    gains a missing section comes first, then rules order.
    """
    _check_statuses(rules, statuses)
    todo = [s for s in rules.profile_sections if statuses.get(s.id, "missing") != "complete"]
    order = {s.id: i for i, s in enumerate(rules.profile_sections)}

    return sorted(todo, key=lambda s: (-_unearned(s, statuses), statuses.get(s.id, "missing") != "missing", order[s.id]))


def random_statuses(rng: random.Random, rules: Rules) -> dict[str, str]:
    """A random profile, for generated exercise cases."""
    return {section.id: rng.choice(STATUSES) for section in rules.profile_sections if rng.random() < 0.9}  # noqa: PLR2004
