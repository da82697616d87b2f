# The `{{ activity() }}` embed: the marker in Markdown, and the form's markup and course data (no browser).
from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from quizkit import profile
from quizkit.analysis import FIELD_LABELS, MAX_JOB_CONNECTS, PLAN_LABEL, STATUS_LABELS, number_fields
from quizkit.model import Rules
from quizkit.page_markdown import process
from quizkit.plugin.activity import STORAGE_KEY, activity_data, activity_html
from quizkit.plugin.runtime import build_id

ASSETS = Path(__file__).resolve().parent.parent / "src" / "quizkit" / "assets" / "activity"
DATA = re.compile(r'<script type="application/json" class="quizkit-activity-data">(.*?)</script>', re.DOTALL)


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def find(self, tag: str, **where: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag and all(attrs.get(k) == v for k, v in where.items())]


def found(kind: str, item_id: str) -> str | None:
    del kind, item_id
    return None


@pytest.mark.parametrize(("markdown", "problem"), [
    ("{{ activity() }}", None),
    ("  {{activity( )}}  ", None),
    ('{{ activity("x") }}', "{{ activity() }} takes no id"),
    ("{{ activity() }}\n\n{{ activity() }}", "{{ activity() }} can appear only once in a page"),
    ("{{ quiz() }}", '{{ quiz("id") }} needs the id of the quiz in quotes'),
    ("Text {{ activity() }} inline", "{{ activity() }} must stand alone on its own line"),
])
def test_the_marker(rules: Rules, markdown: str, problem: str | None) -> None:
    processed = process(markdown, rules, find=found, nonce="n")
    assert [p.message for p in processed.problems] == ([problem] if problem else [])
    if problem is None:
        assert [(e.kind, e.id) for e in processed.embeds] == [("activity", "")]


def test_the_data_holds_the_sections_plans_and_bounds_of_the_rules(rules: Rules) -> None:
    data = json.loads(DATA.findall(activity_html(rules))[0])
    assert data == json.loads(json.dumps(activity_data(rules)))
    assert data["storage_key"] == STORAGE_KEY == "activity"
    assert [(s["id"], s["name"], s["why"]) for s in data["sections"]] == [(s.id, s.name, s.why) for s in rules.profile_sections]
    assert [s["id"] for s in data["statuses"]] == list(profile.STATUSES)
    assert [p["id"] for p in data["plans"]] == [p.id for p in rules.plans]
    assert [(f["name"], f["low"], f["high"], f["default"]) for f in data["fields"]] == [
        (f.name, f.low, f.high, f.default) for f in number_fields(rules)]


def test_the_form_is_labelled_and_constrained(rules: Rules) -> None:
    page = Elements(activity_html(rules))
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    labels = {attrs["for"] for attrs in page.find("label") if "for" in attrs}
    for section in rules.profile_sections:
        radios = page.find("input", type="radio", name=f"sections.{section.id}")
        assert [r["value"] for r in radios] == list(profile.STATUSES)
        assert all("required" in r and r["aria-describedby"] == f"qk-activity-error-sections-{section.id}" for r in radios)
        assert page.find("p", **{"data-error-for": f"sections.{section.id}"})
    for field in number_fields(rules):
        (attrs,) = page.find("input", name=field.name)
        assert (attrs["type"], attrs["min"], attrs["max"], attrs["step"]) == ("number", str(field.low), str(field.high), "1")
        assert "required" in attrs
        assert attrs["id"] in labels
        assert attrs.get("value", "") == ("" if field.default is None else str(field.default))
        assert set(attrs["aria-describedby"].split()) <= ids
        assert f"qk-activity-error-{field.name}" in attrs["aria-describedby"].split()
    (plan,) = page.find("select", name="plan")
    assert plan["id"] in labels
    assert [o["value"] for o in page.find("option")] == ["", *(p.id for p in rules.plans)]
    assert len(page.find("fieldset")) == 1 + len(rules.profile_sections) + 3
    assert page.find("div", **{"data-role": "announce", "aria-live": "polite"})
    assert page.find("div", **{"data-quizkit-build": build_id(rules)}), "the markup names the runtime's build"


def test_the_markup_escapes_the_course_text(rules: Rules) -> None:
    import dataclasses

    section = dataclasses.replace(rules.profile_sections[0], name="<b>Photo</b>", why="</script><script>alert(1)</script>")
    html = activity_html(dataclasses.replace(rules, profile_sections=(section, *rules.profile_sections[1:])))
    assert "<b>Photo</b>" not in html
    assert "<script>alert(1)</script>" not in html
    assert json.loads(DATA.findall(html)[0])["sections"][0]["why"] == "</script><script>alert(1)</script>"


def test_nothing_about_sections_is_written_in_the_javascript(rules: Rules) -> None:
    scripts = "\n".join(path.read_text(encoding="utf-8") for path in ASSETS.glob("*.js"))
    tag_names = {"title"}  # an id that is also an SVG element the chart creates
    for section in rules.profile_sections:
        assert section.name not in scripts
        assert f"sections.{section.id}" not in scripts
        if section.id not in tag_names:
            assert f'"{section.id}"' not in scripts
            assert f"'{section.id}'" not in scripts
    for plan in rules.plans:
        assert f'"{plan.id}"' not in scripts


def test_the_form_and_the_report_use_the_same_words(rules: Rules) -> None:
    """Labels and status names come from quizkit.analysis, which writes the report with them too."""
    data = activity_data(rules)
    assert [f["label"] for f in data["fields"]] == [FIELD_LABELS[f.name] for f in number_fields(rules)]
    assert {s["id"]: s["label"] for s in data["statuses"]} == STATUS_LABELS
    page = activity_html(rules)
    assert f'<label for="qk-activity-plan">{PLAN_LABEL}</label>' in page


def test_the_files_come_after_the_results_and_wait_for_an_analysis(rules: Rules) -> None:
    page = activity_html(rules)
    assert page.index('data-role="results"') < page.index('class="quizkit-activity__files"'), "save and print after the results"
    tags = Elements(page)
    for action in ("export-markdown", "print"):
        [button] = tags.find("button", **{"data-action": action})
        assert "hidden" in button, f"{action} is hidden until there is an analysis"
        assert "disabled" not in button
    assert "once you select Analyse" in page
    assert "quizkit profile" not in page, "no command-line words on the page"


def test_the_billing_day_help_says_when_late_cycles_renew_from_the_rules(rules: Rules) -> None:
    """Lesson 1's rule, read from the rules with its month and confidence: no help text contradicts a lesson."""
    data = copy.deepcopy(dict(rules.to_data()))
    data["figures"]["refill.late_start_day"]["value"] = 25
    late = Rules.from_data(data).figures["refill.late_start_day"]
    help_text = next(field["help"] for field in activity_data(Rules.from_data(data))["fields"] if field["name"] == "billing_day")
    assert f"or on the 1st when it is the 25th ({late.as_of_text} · {late.confidence}) or later." in help_text


def test_the_connects_per_job_field_says_its_limit_is_the_courses_not_dated_like_an_upwork_figure(rules: Rules) -> None:
    """The upper bound is the course's own, above the exercises' (`proposal.required_max`, source `course`), since
    users reported jobs asking more: the help says so in words, and shows no "(Jan 2026 · low)", which would dress it
    as a dated Upwork figure."""
    field = next(f for f in activity_data(rules)["fields"] if f["name"] == "connects_per_proposal")
    bound = rules.figures["proposal.required_max"]
    assert bound.source == "course"
    assert field["high"] == MAX_JOB_CONNECTS > bound.value
    assert field["help"].endswith(f"From {field['low']} to {field['high']}: {field['high']} is the course's own limit, "
                                  "to catch typing mistakes (Upwork publishes no maximum).")
    assert field["high_note"] in field["help"], "the page's message for a number past it says the same"
    assert bound.mark_text not in field["help"]


def test_every_field_but_the_billing_day_says_its_limit_is_the_courses(rules: Rules) -> None:
    for field in activity_data(rules)["fields"]:
        assert ("course's own limit" in field["help"]) == (field["name"] != "billing_day"), field["name"]


def test_the_plan_help_gives_each_allowance_with_its_note(rules: Rules) -> None:
    """Basic's 10 a month is conditional on one Upwork page (the rules' note): the form says so where it gives the 10."""
    page = activity_html(rules)
    help_text = page[page.index('id="qk-activity-help-plan"'):]
    help_text = help_text[:help_text.index("</p>")]
    for plan in rules.plans:
        figure = rules.figures[f"plan.{plan.id}.monthly_connects"]
        assert figure.note
        assert f"{plan.name}: {figure.value} Connects a month. {escape(figure.note)}" in help_text


def test_the_file_buttons_name_no_file_format(rules: Rules) -> None:
    """"Markdown" and "JSON" mean nothing to many readers: the buttons say what they give."""
    page = activity_html(rules)
    assert ">Download the report (text file)</button>" in page
    assert ">Save my answers to a file</button>" in page
    assert "Markdown" not in page
    assert "(JSON)" not in page


def test_the_data_carries_the_links_the_results_use(rules: Rules) -> None:
    assert activity_data(rules)["links"] == {}
    links = {"boost_worth_it": "../lessons/03-proposal-visibility/#boost-worth-it"}
    assert json.loads(DATA.findall(activity_html(rules, links=links))[0])["links"] == links
