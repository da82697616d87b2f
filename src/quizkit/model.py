# The plan rules as frozen dataclasses: built from plain data, never from YAML directly.
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from quizkit import fields
from quizkit.errors import ContentError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from quizkit.errors import Path

Confidence = Literal["high", "medium", "low"]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NOT_DOCUMENTED = "not documented"
"""What a null figure says to readers unless its `none_means` says otherwise."""
_AS_OF = re.compile(r"^~?\d{4}(-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where a figure comes from: the article, a public page, or the course's own choice (no page: `url` None)."""

    id: str
    title: str
    url: str | None = None
    """None for the course's own choice (a bound for checking inputs): no page may be cited for it."""


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """A value a figure had before, so lessons can show how the rules moved."""

    value: Any
    when: str
    source: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One plan figure with its provenance."""

    id: str
    value: Any
    """The current value: a number, a flag, a list, or null where no amount is documented."""
    unit: str
    label: str
    source: str
    """Id of an entry of `Rules.sources`."""
    as_of: str
    """Year and month (`YYYY-MM`), or year (`YYYY`), the value was last confirmed; `~` marks a date
    inferred from an undated page (`~2025`)."""
    in_article: bool = False
    """True when the source article itself states this figure."""
    confidence: Confidence = "high"
    note: str = ""
    history: tuple[HistoryEntry, ...] = ()
    none_means: str = NOT_DOCUMENTED
    """What a null value says, in words for readers: `no cap` for a cap that was lifted."""
    own: bool = False
    """The course's own choice (its source has no page): a bound it sets, not a claim about Upwork."""
    stated_as: tuple[str, ...] = ()
    """Phrases (regular expressions, any case) that state this rule in words, such as `roll(s)? over`: `quizkit
    check` refuses one in what readers see unless an expression beside it reads the figure (`quizkit.stated`)."""

    @property
    def confirmed(self) -> tuple[int, int]:
        """Year and month of `as_of`; a year alone counts as its January, the oldest it can mean."""
        year, _, month = self.as_of.lstrip("~").partition("-")
        return int(year), int(month or 1)

    @property
    def needs_label(self) -> bool:
        """Whether a reader must see its month and confidence where it is used: not the article's, or not sure.

        Never for the course's own choice: a month and a confidence would dress it as a dated Upwork figure.
        """
        return not self.own and (not self.in_article or self.confidence != "high")

    @property
    def as_of_text(self) -> str:
        """`as_of` for a reader: `Oct 2025`, `2019`, or `about 2025` for a date inferred from an undated page."""
        year, _, month = self.as_of.lstrip("~").partition("-")
        text = f"{_MONTHS[int(month) - 1]} {year}" if month else year
        return f"about {text}" if self.as_of.startswith("~") else text

    @property
    def mark_text(self) -> str:
        """The marker's words where the figure is used: `Oct 2025 · medium` (pages, quizzes, plain text)."""
        return f"{self.as_of_text} · {self.confidence}"

    @property
    def mark_title(self) -> str:
        """The marker in full, its link's title: what the figure is, when confirmed, how sure, whether the article says it."""
        where = "stated in the source article" if self.in_article else "not stated in the source article"
        return f"{self.label}: last confirmed {self.as_of_text}, {self.confidence} confidence, {where}"

    def months_old(self, today: date) -> int:
        """Whole months from `as_of` to `today`."""
        year, month = self.confirmed
        return (today.year - year) * 12 + today.month - month

    @property
    def is_number(self) -> bool:
        """Whether the value is a plain number (not a flag)."""
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A membership plan; its figures live under `plan.<id>.*`."""

    id: str
    name: str


SECTION_WEIGHT_PREFIX = "PROFILE_SECTIONS."
SECTION_WEIGHT_SUFFIX = ".weight"


def section_weight_key(section_id: str) -> str:
    """How a check's `changed` names a profile section's weight: `PROFILE_SECTIONS.rate.weight`."""
    return f"{SECTION_WEIGHT_PREFIX}{section_id}{SECTION_WEIGHT_SUFFIX}"


def weight_key_section(key: str) -> str | None:
    """The section id a `section_weight_key` names (`rate`), or None when `key` is not one."""
    if key.startswith(SECTION_WEIGHT_PREFIX) and key.endswith(SECTION_WEIGHT_SUFFIX):
        return key.removeprefix(SECTION_WEIGHT_PREFIX).removesuffix(SECTION_WEIGHT_SUFFIX) or None
    return None


@dataclass(frozen=True, kw_only=True)
class ProfileSection:
    """A profile section of the activity, with why it matters to clients."""

    id: str
    name: str
    weight: int
    why: str
    bonus: str | None = None
    """Id of a figure documenting a bonus for this section, or None."""


_FIGURE_FIELDS = ("value", "unit", "label", "source", "as_of", "in_article", "confidence", "note", "history", "none_means",
                  "stated_as")
_HISTORY_FIELDS = ("value", "when", "source", "note")
_REQUIRED_PLAN_FIGURES = ("monthly_connects", "price_usd")


@dataclass(frozen=True, kw_only=True)
class Rules:
    """Every figure the course uses, with sources; the single source of truth."""

    title: str
    disclaimer: str
    sources: Mapping[str, Source]
    plans: tuple[Plan, ...]
    figures: Mapping[str, Figure]
    profile_sections: tuple[ProfileSection, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """The plain data this was built from, to hand to the browser unchanged."""

    def value(self, figure_id: str) -> Any:
        """The current value of a figure; KeyError names the unknown id."""
        try:
            return self.figures[figure_id].value
        except KeyError:
            raise KeyError(f"unknown rule '{figure_id}'") from None

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id; ValueError lists the known ones."""
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        known = ", ".join(p.id for p in self.plans)
        raise ValueError(f"unknown plan {plan_id!r} (plans: {known})")

    def values(self) -> dict[str, Any]:
        """Every figure id with its current value: what learner code sees as `RULES`."""
        return {fid: fig.value for fid, fig in self.figures.items()}

    def changed(self, values: Mapping[str, Any]) -> Rules:
        """These rules as they would be if some figures changed: what a check asks "does your code follow?" with.

        A key is a figure id, or `PROFILE_SECTIONS.<section id>.weight` (`section_weight_key`): the course's
        weights are its own design, but code that only works while they add up to 100 is wrong all the same.
        For grading only: `to_data` still gives today's rules, which is what a page must be handed.
        """
        known_weights = {section_weight_key(section.id) for section in self.profile_sections}
        unknown = sorted(set(values) - set(self.figures) - known_weights)
        if unknown:
            raise KeyError(f"unknown rule '{unknown[0]}'")
        figures = {fid: replace(fig, value=values[fid]) if fid in values else fig for fid, fig in self.figures.items()}
        sections = tuple(replace(section, weight=values.get(section_weight_key(section.id), section.weight))
                         for section in self.profile_sections)
        return replace(self, figures=figures, profile_sections=sections)

    def section_weight(self, key: str) -> int | None:
        """Today's weight for a `section_weight_key`, or None when `key` names no section's weight."""
        section_id = weight_key_section(key)
        return next((s.weight for s in self.profile_sections if s.id == section_id), None)

    def to_data(self) -> Mapping[str, Any]:
        """Plain data for JSON; `Rules.from_data` reads it back."""
        return self.data

    @classmethod
    def from_data(cls, data: object) -> Rules:
        """Validate plain data (parsed YAML or JSON) into rules."""
        root = fields.mapping(data, ())
        fields.only(root, ("schema", "title", "disclaimer", "sources", "plans", "figures", "profile_sections"), ())
        if fields.required(root, "schema", int, ()) != 1:
            raise ContentError("unsupported rules schema (expected 1)", path=("schema",))
        sources = {
            sid: _source(sid, raw, ("sources", sid))
            for sid, raw in fields.mapping(fields.required(root, "sources", dict, ()), ("sources",)).items()
        }
        figures = {
            fid: _figure(fid, raw, ("figures", fid), sources)
            for fid, raw in fields.mapping(fields.required(root, "figures", dict, ()), ("figures",)).items()
        }
        plans = tuple(_plan(raw, ("plans", i), figures) for i, raw in enumerate(fields.required(root, "plans", list, ())))
        sections = tuple(
            _section(raw, ("profile_sections", i), figures)
            for i, raw in enumerate(fields.optional(root, "profile_sections", list, (), []))
        )
        _unique([p.id for p in plans], "plans")
        _unique([s.id for s in sections], "profile_sections")
        return cls(
            title=fields.required(root, "title", str, ()),
            disclaimer=fields.required(root, "disclaimer", str, ()),
            sources=sources,
            plans=plans,
            figures=figures,
            profile_sections=sections,
            data=root,
        )


def _unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ContentError(f"duplicate id '{item}'", path=(where, i))
        seen.add(item)


def _source(sid: str, raw: object, path: Path) -> Source:
    data = fields.mapping(raw, path)
    fields.only(data, ("title", "url"), path)
    url: str | None = fields.optional(data, "url", str, path, None)
    if url is not None and not url.startswith("https://"):
        raise ContentError(f"source url must start with https://, got {url!r}", path=(*path, "url"))
    return Source(id=sid, title=fields.required(data, "title", str, path), url=url)


def _check_source(data: Mapping[str, Any], path: Path, sources: Mapping[str, Source]) -> str:
    source = fields.required(data, "source", str, path)
    if source not in sources:
        raise ContentError(f"unknown source '{source}' (sources: {', '.join(sources)})", path=(*path, "source"))
    return source


_DATED_TITLE = re.compile(r"\((?:(?P<month>[A-Z][a-z]{2})[a-z]* )?(?P<year>(?:19|20)\d{2})\)\s*$")
"""A source whose title ends with its date, `(Aug 2024)` or `(2019)`: it cannot confirm a figure after that."""


def _source_date(source: Source) -> tuple[int, int] | None:
    """Year and month a source's title dates it to (a year alone: its December, the latest it can mean), or None."""
    match = _DATED_TITLE.search(source.title)
    if match is None or (match.group("month") and match.group("month") not in _MONTHS):
        return None
    return int(match.group("year")), _MONTHS.index(match.group("month")) + 1 if match.group("month") else 12


def _check_confirmed(figure: Figure, path: Path, sources: Mapping[str, Source]) -> None:
    """A figure's `as_of` no later than the date its source's title gives: an Aug 2024 page cannot confirm Oct 2025."""
    written = _source_date(sources[figure.source])
    if written is not None and figure.confirmed > written:
        raise ContentError(f"'as_of' {figure.as_of} is later than its source '{figure.source}' "
                           f"({sources[figure.source].title}): a page cannot confirm a value after it was written; "
                           "cite a page that does, or give the month the source confirms", path=(*path, "as_of"))


def _figure(fid: str, raw: object, path: Path, sources: Mapping[str, Source]) -> Figure:
    data = fields.mapping(raw, path)
    fields.only(data, _FIGURE_FIELDS, path)
    if "value" not in data:
        raise ContentError("missing required field 'value' (use null where no amount is documented)", path=path)
    as_of = str(fields.required(data, "as_of", str, path))
    if not _AS_OF.match(as_of):
        raise ContentError(f"'as_of' must be YYYY-MM or YYYY (with ~ when inferred), got {as_of!r}",
                           path=(*path, "as_of"))
    confidence = fields.optional(data, "confidence", str, path, "high")
    if confidence not in ("high", "medium", "low"):
        raise ContentError(f"'confidence' must be high, medium or low, got {confidence!r}", path=(*path, "confidence"))
    history = []
    for i, entry in enumerate(fields.optional(data, "history", list, path, [])):
        hpath = (*path, "history", i)
        hdata = fields.mapping(entry, hpath)
        fields.only(hdata, _HISTORY_FIELDS, hpath)
        if "value" not in hdata:
            raise ContentError("missing required field 'value'", path=hpath)
        history.append(
            HistoryEntry(
                value=hdata["value"],
                when=str(fields.required(hdata, "when", str, hpath)),
                source=_check_source(hdata, hpath, sources),
                note=fields.optional(hdata, "note", str, hpath, ""),
            ),
        )
    figure = Figure(
        id=fid,
        value=data["value"],
        unit=fields.required(data, "unit", str, path),
        label=fields.required(data, "label", str, path),
        source=_check_source(data, path, sources),
        as_of=as_of,
        in_article=fields.optional(data, "in_article", bool, path, default=False),
        confidence=confidence,  # type: ignore[arg-type]
        note=fields.optional(data, "note", str, path, "").strip(),
        history=tuple(history),
        none_means=fields.optional(data, "none_means", str, path, NOT_DOCUMENTED),
        stated_as=_phrases(data, path),
        own=sources[data["source"]].url is None,
    )
    _check_confirmed(figure, path, sources)
    return figure


def _phrases(data: Mapping[str, Any], path: Path) -> tuple[str, ...]:
    """A figure's `stated_as`: each a regular expression that compiles, or the file says which one does not."""
    phrases = fields.optional(data, "stated_as", list, path, [])
    for i, phrase in enumerate(phrases):
        if not isinstance(phrase, str) or not phrase.strip():
            raise ContentError("each phrase must be non-empty text", path=(*path, "stated_as", i))
        try:
            re.compile(phrase)
        except re.error as exc:
            raise ContentError(f"phrase {phrase!r} is not a regular expression: {exc}", path=(*path, "stated_as", i)) from None
    return tuple(phrases)


def _plan(raw: object, path: Path, figures: Mapping[str, Figure]) -> Plan:
    data = fields.mapping(raw, path)
    fields.only(data, ("id", "name"), path)
    plan = Plan(id=fields.identifier(data, "id", path), name=fields.required(data, "name", str, path))
    for suffix in _REQUIRED_PLAN_FIGURES:
        fid = f"plan.{plan.id}.{suffix}"
        if fid not in figures or not figures[fid].is_number:
            raise ContentError(f"plan '{plan.id}' needs a numeric figure '{fid}'", path=path)
    return plan


def _section(raw: object, path: Path, figures: Mapping[str, Figure]) -> ProfileSection:
    data = fields.mapping(raw, path)
    fields.only(data, ("id", "name", "weight", "why", "bonus"), path)
    bonus = fields.optional(data, "bonus", str, path, None)  # type: ignore[arg-type]
    if bonus is not None and bonus not in figures:
        raise ContentError(f"unknown bonus figure '{bonus}'", path=(*path, "bonus"))
    weight = fields.required(data, "weight", int, path)
    if weight <= 0:
        raise ContentError("'weight' must be positive", path=(*path, "weight"))
    return ProfileSection(
        id=fields.identifier(data, "id", path),
        name=fields.required(data, "name", str, path),
        weight=weight,
        why=fields.required(data, "why", str, path),
        bonus=bonus,
    )


def figure_as_dict(figure: Figure) -> dict[str, Any]:
    """A figure as plain data, for the CLI's JSON output and the reference page."""
    return asdict(figure)


def stale_figures(rules: Rules, today: date, months: int = 12) -> list[Figure]:
    """Figures not confirmed within `months` months of `today`, the oldest first: what a maintainer re-checks."""
    old = [figure for figure in rules.figures.values() if figure.months_old(today) > months]
    return sorted(old, key=lambda figure: (figure.confirmed, figure.id))
