"""The profile-analysis activity in a real browser (Chromium): the analysis in Pyodide against CPython's and the CLI's.

Runs on the real course (the `site` fixture of `conftest.py`), each test in a fresh
browser context (empty cache and storage, requests to other hosts aborted), but for the refused inputs
and files, which leave their page as they found it and share one; every test ends with no foreign
request, no console error and no page error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import assert_clean, in_each_scheme, python_ready, save_data, switch_scheme
from tests.browser.test_accessibility import serious

from quizkit.analysis import ProfileInputError, analyse, number_fields, read_profile, report_markdown
from quizkit.cli import main as cli
from quizkit.load import load_rules, read_yaml

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route
    from tests.browser.conftest import BuiltSite, Traffic

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "exercises" / "profiles" / "example.yml"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RULES = load_rules()
KEY = "quizkit:v1:/:activity"
FIELDS = [field.name for field in number_fields(RULES)]
TODAY = "2026-11-26"


def example() -> dict[str, Any]:
    data = read_yaml(EXAMPLE).data
    assert isinstance(data, dict)
    assert data["today"] == TODAY, "the comparison fixes the page's clock to the example's day"
    return data


def form_profile(data: dict[str, Any]) -> dict[str, Any]:
    """What the form holds for a profile file: every field but `today`."""
    return {key: value for key, value in data.items() if key != "today"}


class Activity:
    """The activity page of a test, with helpers that act as a reader would."""

    def __init__(self, page: Page, site: BuiltSite) -> None:
        self.page = page
        self.site = site
        pages = site.activity_pages()
        assert len(pages) == 1, f"one page of the course holds the activity, not {pages}"
        self.url = site.url_of(pages[0])

    @property
    def root(self) -> Locator:
        return self.page.locator("[data-quizkit-activity]")

    def open(self, *, wait_ready: bool = True) -> Activity:
        if self.page.url.split("#")[0] == self.url:
            self.page.reload()
        else:
            self.page.goto(self.url)
        self.page.locator("[data-quizkit-activity][data-mounted]").wait_for(state="attached")
        if wait_ready:
            python_ready(self.page)
        return self

    def control(self, name: str) -> Locator:
        return self.root.locator(f'[name="{name}"]')

    def error(self, name: str) -> Locator:
        return self.root.locator(f'[data-error-for="{name}"]')

    def fill(self, profile: dict[str, Any]) -> None:
        for section_id, status in profile["sections"].items():
            self.root.locator(f'input[name="sections.{section_id}"][value="{status}"]').check()
        self.control("plan").select_option(profile["plan"])
        for name in FIELDS:
            if name in profile:
                self.control(name).fill(str(profile[name]))

    def values(self) -> dict[str, Any]:
        return dict(self.page.evaluate("window.quizkit.activity.values()"))

    def runs(self) -> int:
        return int(self.root.get_attribute("data-runs") or 0)

    def analyse(self, timeout_s: float = 30) -> str:
        """Press Analyse and wait until that analysis ends; the widget's state (done, refused, error)."""
        before = self.runs()
        self.root.locator("[data-action=analyse]").click()
        self.wait_runs(before + 1, timeout_s)
        return str(self.root.get_attribute("data-state"))

    def wait_runs(self, count: int, timeout_s: float = 30) -> None:
        self.page.wait_for_function("([el, n]) => Number(el.dataset.runs || 0) >= n",
                                    arg=[self.root.element_handle(), count], timeout=timeout_s * 1000)

    def shown(self) -> dict[str, Any]:
        """The numbers the results show, read from the page."""
        return dict(self.page.evaluate("""(root) => {
            const one = (key) => root.querySelector(`[data-result="${key}"]`);
            const num = (text) => Number(text.replace(/[,$]/g, ""));
            const rows = (key) => [...one(key).tBodies[0].rows].map((row) => [...row.cells].map((c) => c.textContent));
            return {
                completeness: Number(one("completeness").dataset.value),
                completeness_text: one("completeness").textContent,
                gaps: [...root.querySelectorAll("[data-result=gaps] li")].map((li) => li.dataset.section),
                gap_texts: [...root.querySelectorAll("[data-result=gaps] li")].map((li) => li.textContent),
                need: num(one("need").textContent),
                allowance: num(one("allowance").textContent),
                allowance_text: one("allowance").parentElement.textContent,
                shortfall: num(one("shortfall").textContent),
                affordable: one("affordable") ? num(one("affordable").textContent) : null,
                next_refill: one("next-refill").textContent,
                // Each row: its month (0 for "Now", the rest of this cycle), then its numbers; its label apart.
                projection: [...one("projection").tBodies[0].rows].map((row) =>
                    [Number(row.dataset.month), ...[...row.cells].slice(1).map((c) => num(c.textContent))]),
                projection_labels: rows("projection").map((cells) => cells[0]),
                chart_values: [...root.querySelectorAll("[data-result=chart] [data-month]")].map((g) =>
                    Object.fromEntries([...g.querySelectorAll("[data-kind]")].map((row) =>
                        [row.dataset.kind, row.querySelector(".quizkit-chart__value").textContent]))),
                chart_desc: document.getElementById(one("chart").getAttribute("aria-describedby")).textContent,
                cheapest: one("advice").dataset.cheapest,
                summary: one("advice").textContent,
                // A cost ends with the month and confidence of the least sure figure behind it: "$22.39 (Jan 2026 · low)".
                options: Object.fromEntries([...one("options").tBodies[0].rows].map((row) =>
                    [row.dataset.plan, [...row.cells].slice(1).map((c) => num(c.textContent.replace(/ [(].*[)]$/, "")))])),
                option_marks: Object.fromEntries([...one("options").tBodies[0].rows].map((row) =>
                    [row.dataset.plan, row.cells[3].querySelector("small")?.textContent ?? ""])),
                prices: one("prices").textContent,
            };
        }""", self.root.element_handle()))


@pytest.fixture
def activity(page: Page, site: BuiltSite, traffic: Traffic) -> Iterator[Activity]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield Activity(page, site)
    assert_clean(traffic)
    assert dialogs == [], "dialogs opened"


def shared_activity(module_context: BrowserContext, site: BuiltSite, today: str | None = None) -> Iterator[Activity]:
    """The activity on a page of the module's shared context, the example analysed (on `today`, if given)."""
    page = module_context.new_page()
    if today:
        page.clock.set_fixed_time(f"{today}T12:00:00")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    activity = Activity(page, site).open()
    activity.fill(example())
    assert activity.analyse() == "done"
    yield activity
    page.close()
    assert dialogs == [], "dialogs opened"


SHARED = pytest.mark.xdist_group("activity-shared")
"""Tests on a shared activity (the fixtures below): in one process, so each fixture's page and Python start once."""


@pytest.fixture(scope="module")
def activity_for_form_refusals(module_context: BrowserContext, site: BuiltSite) -> Iterator[Activity]:
    yield from shared_activity(module_context, site)


@pytest.fixture(scope="module")
def activity_for_analysis_refusals(module_context: BrowserContext, site: BuiltSite) -> Iterator[Activity]:
    yield from shared_activity(module_context, site)


@pytest.fixture(scope="module")
def analysed_activity(module_context: BrowserContext, site: BuiltSite) -> Iterator[Activity]:
    """For tests that each fill in a profile (from a cleared form, where they leave sections out), analyse it and
    read what the page shows: one page and one Python for all of them, dated TODAY."""
    yield from shared_activity(module_context, site, today=TODAY)


@pytest.fixture(scope="module")
def activity_for_imports(module_context: BrowserContext, site: BuiltSite) -> Iterator[Activity]:
    yield from shared_activity(module_context, site)


def expected_analysis(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    """`quizkit profile example.yml --json` and its Markdown report, checked against the API."""
    capsys.readouterr()
    assert cli(["profile", str(EXAMPLE), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    profile = read_profile(RULES, example())
    assert result == json.loads(json.dumps(analyse(RULES, profile))), "the CLI and the API agree"
    assert cli(["profile", str(EXAMPLE)]) == 0
    report = capsys.readouterr().out
    assert report == report_markdown(RULES, profile, result)
    return result, report


# ---------------------------------------------------------------- the analysis


def test_the_pages_analysis_equals_the_clis(activity: Activity, capsys: pytest.CaptureFixture[str]) -> None:
    """The example profile, typed into the form: every number shown is the CLI's (same function, CPython)."""
    expected, report = expected_analysis(capsys)
    activity.page.clock.set_fixed_time(f"{TODAY}T12:00:00")
    activity.open()
    activity.fill(example())
    assert activity.analyse() == "done"
    assert activity.page.evaluate("window.quizkit.runtime.spare") is None, "the analysis runs no reader's code: no spare Python"
    shown = activity.shown()
    assert shown["completeness"] == expected["completeness"]
    assert shown["completeness_text"] == f"{expected['completeness']}%"
    assert shown["gaps"] == [gap["id"] for gap in expected["gaps"]]
    for text, gap in zip(shown["gap_texts"], expected["gaps"], strict=True):
        assert gap["name"] in text
        assert gap["why"] in text
        assert gap["adds_text"] in text, "what fixing it adds, as the report says"
        assert ("documented to earn" in text) == (gap["bonus_connects"] is not None), "bonus amounts only where documented"
    budget = expected["budget"]
    assert (shown["need"], shown["allowance"], shown["shortfall"]) == (budget["need"], budget["allowance"], budget["shortfall"])
    assert shown["allowance_text"] == f"{budget['allowance']} (credited each month). {budget['allowance_note']}", "its note"
    assert shown["affordable"] == budget["proposals_affordable_now"]
    assert shown["next_refill"] == budget["next_refill_text"]
    assert shown["projection"] == [[m["month"], m["granted"], m["expired"], m["spent"], m["shortfall"], m["balance"]]
                                   for m in expected["projection"]]
    assert shown["projection_labels"] == [m["label"] for m in expected["projection"]], "each row dated, as in the report"
    now, *months = expected["projection"]
    assert now["month"] == 0, "the rest of this billing cycle comes first"
    assert shown["chart_values"][0] == {"opening": str(example()["balance"]), "spent": str(now["spent"]),
                                        "balance": str(now["balance"]),
                                        **({"short": str(now["shortfall"])} if now["shortfall"] else {})}, \
        "the chart starts with the balance now, and what is spent of it before the refill"
    for values, month in zip(shown["chart_values"][1:], months, strict=True):
        marks = {"credited": month["granted"], "expired": month["expired"], "spent": month["spent"],
                 "short": month["shortfall"], "balance": month["balance"]}
        assert values == {kind: str(n) for kind, n in marks.items() if n or kind in {"credited", "spent", "balance"}}
    assert all(f"month {m['month']}: {m['balance']}" in shown["chart_desc"] for m in months)
    assert f"Until your next refill ({months[0]['starts_text']}) you would spend {now['spent']}" in shown["chart_desc"]
    advice = expected["advice"]
    assert shown["cheapest"] == advice["cheapest"]
    assert shown["summary"] == advice["summary"]
    assert shown["options"] == {o["plan"]: [o["included"], o["to_buy"], o["monthly_usd"]] for o in advice["options"]}
    assert shown["option_marks"] == {o["plan"]: f"({o['mark']})" if o["mark"] else "" for o in advice["options"]}
    assert shown["option_marks"]["plus"] == f"({RULES.figures['plan.plus.price_usd'].mark_text})", "the low price, marked"
    for figure in advice["figures"]:
        assert f"{figure['label']}: " in shown["prices"]
        assert f"{figure['value_text']} ({figure['when']}; {figure['source']})" in shown["prices"], "the report's words"
    announced = activity.root.locator("[data-role=announce]")
    announced.filter(has_text="Analysis ready").wait_for(state="attached")
    assert f"{expected['completeness']}% complete" in announced.text_content()

    with activity.page.expect_download() as download:
        activity.root.locator("[data-action=export-markdown]").click()
    assert download.value.suggested_filename == "connects-analysis.txt"
    assert Path(download.value.path()).read_text(encoding="utf-8") == report, "the exported report is the CLI's"


@SHARED
def test_the_chart_reads_without_colour(analysed_activity: Activity) -> None:
    activity = analysed_activity
    activity.fill({**example(), "balance": 300, "plan": "plus", "months": 8})
    assert activity.analyse() == "done"
    chart = activity.root.locator("[data-result=chart]")
    assert chart.get_attribute("role") == "img"
    assert chart.get_attribute("aria-label") == "Projected Connects balance, month by month"
    description = activity.root.locator(f"#{chart.get_attribute('aria-describedby')}")
    assert description.text_content().startswith("You start with 300 Connects."), "described in words, on screen too"
    assert chart.locator("[data-month]").count() == 9, "now, then 8 months"
    headings = chart.locator(".quizkit-chart__heading").all_text_contents()
    assert headings[0] == "Now"
    assert [re.sub(r" \(\d+ [A-Z][a-z]+ \d{4}\)( ⚠ short)?$", "", h) for h in headings[1:]] == [f"Month {m}" for m in range(1, 9)], \
        "each month with the date it starts"
    # Every bar is named in words: nothing is told by colour alone.
    labels = set(chart.locator(".quizkit-chart__label").all_text_contents())
    assert labels >= {"In your balance", "Credited", "Spent", "Left"}
    table = activity.root.locator("table[data-result=projection]")
    assert table.locator("caption").count() == 1
    assert table.locator("thead th[scope=col]").count() == 6


@SHARED
def test_heavy_boosting_gets_the_reports_note_with_a_link_to_lesson_3(analysed_activity: Activity) -> None:
    activity = analysed_activity
    data = {**example(), "proposals_per_month": 10, "boosts_per_month": 10, "boost_bid": 30}
    activity.fill(data)
    assert activity.analyse() == "done"
    expected = analyse(RULES, read_profile(RULES, {**form_profile(data), "today": TODAY}))["advice"]
    note = activity.root.locator("[data-result=boost-advice]")
    assert note.text_content() == expected["boost_note"], "the report's words"
    link = note.locator("a")
    assert link.text_content() == expected["boost_link_text"]
    assert (link.get_attribute("href") or "").endswith("lessons/03-proposal-visibility/#boost-worth-it")
    activity.fill(example())
    assert activity.analyse() == "done"
    assert activity.root.locator("[data-result=boost-advice]").count() == 0, "none when boosts are a small share"


# ---------------------------------------------------------------- bad input


BAD = [
    ("balance", "-5", "Cannot be negative."),
    ("billing_day", "0", "Enter a number from 1 to 31."),
    ("billing_day", "32", "Enter a number from 1 to 31."),
    ("proposals_per_month", "", "Enter a number."),
    ("boost_bid", "2.5", "Enter a whole number."),
    ("connects_per_proposal", "60",
     "Enter a number from 0 to 50: 50 is the course's own limit, to catch typing mistakes (Upwork publishes no maximum)."),
    ("boost_bid", "250", "Enter a number from 0 to 200: 200 is the course's own limit, to catch typing mistakes."),
]


def assert_refused(activity: Activity, name: str, message: str, source: str) -> None:
    error = activity.error(name)
    assert error.text_content() == message
    assert error.get_attribute("data-source") == source
    control = activity.control(name).first
    assert control.get_attribute("aria-invalid") == "true"
    assert str(error.get_attribute("id")) in (control.get_attribute("aria-describedby") or "").split()
    assert activity.root.locator("[data-role=results]").is_hidden(), "no results for refused input"
    assert activity.root.locator("[data-error-for=form]").text_content().endswith("see the messages next to the fields.")


@SHARED
@pytest.mark.parametrize(("name", "value", "message"), BAD, ids=[f"{n}={v!r}" for n, v, _ in BAD])
def test_bad_input_is_refused_next_to_its_field_by_the_form(activity_for_form_refusals: Activity, name: str, value: str,
                                                           message: str) -> None:
    """On one page for every value: each test starts from the example analysed, and ends there."""
    activity = activity_for_form_refusals
    activity.fill(example())
    assert activity.root.get_attribute("data-state") == "done"
    activity.control(name).fill(value)
    assert activity.analyse() == "refused"
    assert_refused(activity, name, message, "form")
    assert activity.page.evaluate("document.activeElement.name") == name, "the first field to fix has the focus"
    others = activity.root.locator("[data-error-for]:not([data-error-for=form]):not(:empty)")
    assert others.count() == 1
    activity.control(name).fill(str(example()[name]))
    assert activity.error(name).text_content() == "", "the message goes once the field is fixed"
    assert activity.control(name).get_attribute("aria-invalid") is None
    assert activity.analyse() == "done"


@SHARED
@pytest.mark.parametrize(("name", "value", "message"), BAD, ids=[f"{n}={v!r}" for n, v, _ in BAD])
def test_bad_input_is_refused_the_same_way_by_the_analysis(activity_for_analysis_refusals: Activity, name: str, value: str,
                                                          message: str) -> None:
    """With the form's constraints removed, Python's own checks refuse the value, shown the same way (one page for
    every value: each test types the example again, then its value)."""
    activity = activity_for_analysis_refusals
    activity.fill(example())
    activity.root.locator("input, select").evaluate_all("""(controls) => controls.forEach((c) => {
        ['min', 'max', 'required'].forEach((a) => c.removeAttribute(a));
        if (c.type === 'number') c.step = 'any';  // without the attribute, a number input still steps by 1
    })""")
    activity.control(name).fill(value)
    assert activity.analyse() == "refused"
    assert_refused(activity, name, message, "analysis")


@SHARED
def test_a_missing_section_and_a_boost_count_above_the_proposals_are_refused(analysed_activity: Activity) -> None:
    activity = analysed_activity
    activity.root.locator("[data-action=clear]").click()  # no section chosen: the one left out stays so
    profile = example()
    activity.fill({**profile, "sections": {k: v for k, v in profile["sections"].items() if k != "portfolio"}})
    assert activity.analyse() == "refused"
    assert activity.error("sections.portfolio").text_content() == "Choose one: complete, needs an update or missing."
    assert activity.control("sections.portfolio").first.get_attribute("aria-invalid") == "true"
    activity.root.locator('input[name="sections.portfolio"][value="missing"]').check()
    assert activity.error("sections.portfolio").text_content() == ""
    activity.control("boosts_per_month").fill("13")
    assert activity.analyse() == "refused"
    assert_refused(activity, "boosts_per_month", "You cannot boost more proposals than you send.", "analysis")


# ---------------------------------------------------------------- storage, files, print


def test_answers_and_results_survive_a_reload(activity: Activity) -> None:
    activity.open()
    activity.fill(example())
    assert activity.analyse() == "done"
    stored = json.loads(activity.page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert stored["profile"] == form_profile(example())
    assert stored["analysed"] is True
    activity.open(wait_ready=False)
    assert activity.values() == form_profile(example())
    activity.wait_runs(1)
    assert activity.root.get_attribute("data-state") == "done", "the analysis is shown again"
    assert activity.shown()["completeness"] == 62


@pytest.mark.parametrize("stored", [
    "{not json",
    "[]",
    "null",
    '{"version": 1, "profile": "x"}',
    '{"version": 1, "profile": {"plan": "gold", "balance": "x", "billing_day": [40], "sections": {"photo": "great", "x": "complete"}}}',
])
def test_corrupt_storage_is_ignored(activity: Activity, stored: str) -> None:
    save_data(activity.page)  # the form reads what is stored: no analysis runs, Python need not start
    activity.page.goto(activity.site.url)
    activity.page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, stored])
    activity.open(wait_ready=False)
    values = activity.values()
    assert values["sections"] == {}
    assert values["plan"] == ""
    assert values["balance"] == ""
    assert values["billing_day"] == ""
    assert values["months"] == 6
    assert activity.root.locator("[data-error-for]:not(:empty)").count() == 0
    assert activity.root.locator("[data-role=results]").is_hidden()


def test_a_saved_value_the_form_refuses_comes_back_with_its_message(activity: Activity) -> None:
    """Out of range or not whole: kept, in its field, with the form's message; never silently dropped."""
    save_data(activity.page)  # the form refuses them itself: Python need not start
    activity.page.goto(activity.site.url)
    stored = {"version": 1, "profile": {"plan": "gold", "balance": -4, "billing_day": 40, "boost_bid": 2.5}}
    activity.page.evaluate("([key, value]) => localStorage.setItem(key, value)", [KEY, json.dumps(stored)])
    activity.open(wait_ready=False)
    values = activity.values()
    assert (values["balance"], values["billing_day"], values["boost_bid"], values["plan"]) == (-4, 40, 2.5, "")
    assert activity.error("balance").text_content() == "Cannot be negative."
    assert activity.error("billing_day").text_content() == "Enter a number from 1 to 31."
    assert activity.error("boost_bid").text_content() == "Enter a whole number."
    assert activity.control("balance").get_attribute("aria-invalid") == "true"
    assert activity.error("form").text_content().startswith("3 answers you saved need your attention")
    assert activity.error("plan").text_content() == "", "a field left empty is not flagged"
    activity.control("balance").fill("4")
    assert activity.error("balance").text_content() == "", "the message goes once the field is fixed"


def test_export_json_then_import_it_in_a_fresh_browser(activity: Activity, browser: Browser, traffic: Traffic,
                                                       tmp_path: Path) -> None:
    save_data(activity.page)  # the answers are exported by the page itself: Python starts in the fresh browser only
    activity.open(wait_ready=False)
    profile = {**form_profile(example()), "balance": 57, "months": 9}
    activity.fill(profile)
    with activity.page.expect_download() as download:
        activity.root.locator("[data-action=export-json]").click()
    assert download.value.suggested_filename == "connects-activity.json"
    exported = tmp_path / "answers.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data == profile
    read_profile(RULES, data)  # `quizkit profile` reads the same file

    fresh = browser.new_context()
    traffic.record(fresh)
    try:
        page = fresh.new_page()
        other = Activity(page, activity.site).open()
        assert other.values()["plan"] == ""
        other.root.locator("[data-action=import]").set_input_files(exported)
        other.root.locator("[data-role=notice]").filter(has_text="imported").wait_for()
        assert other.values() == profile
        assert json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))["profile"] == profile
        assert other.analyse() == "done"
        assert other.shown()["projection"][-1][0] == 9
    finally:
        fresh.close()


def test_a_profile_file_of_the_cli_imports_too(activity: Activity, tmp_path: Path) -> None:
    partial = {k: v for k, v in example().items() if k not in {"boosts_per_month", "boost_bid", "months"}}
    partial["sections"] = {"photo": "complete"}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(partial), encoding="utf-8")
    save_data(activity.page)  # files are read by the page itself: Python need not start
    activity.open(wait_ready=False)
    activity.root.locator("[data-action=import]").set_input_files(path)
    activity.root.locator("[data-role=notice]").filter(has_text="imported").wait_for()
    values = activity.values()
    assert values["sections"] == {s.id: ("complete" if s.id == "photo" else "missing") for s in RULES.profile_sections}
    assert (values["boosts_per_month"], values["boost_bid"], values["months"]) == (0, 0, 6)


def cli_problem(change: dict[str, Any]) -> str:
    """What `quizkit profile` says of a file with this one bad field: the page's import must say the same."""
    with pytest.raises(ProfileInputError) as caught:
        read_profile(RULES, {**example(), **change})
    [name] = caught.value.errors
    return caught.value.problem(name)


BAD_FIELDS = [{"balance": -3}, {"billing_day": 32}, {"plan": "gold"}, {"sections": {"tattoos": "complete"}},
              {"sections": {**example()["sections"], "portfolio": "done"}}, {"colour": "red"}]
"""One bad field each: the page's import names it as the form does and by its key, in `quizkit profile`'s words."""


@SHARED
@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "not JSON"),
    ("[1, 2, 3]", "does not hold a profile"),
    *((json.dumps({**form_profile(example()), **change}), cli_problem(change)) for change in BAD_FIELDS),
])
def test_a_bad_import_file_is_refused_and_changes_nothing(activity_for_imports: Activity, tmp_path: Path, content: str,
                                                         words: str) -> None:
    """One page for every file: a refused file changes nothing, so each test finds the page as the last left it."""
    activity = activity_for_imports
    mine = {**form_profile(example()), "balance": 11}
    activity.fill(mine)
    assert activity.analyse() == "done"
    stored = activity.page.evaluate(f"localStorage.getItem('{KEY}')")
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    activity.root.locator("[data-action=import]").set_input_files(path)
    notice = activity.root.locator("[data-role=notice][data-status=error]").filter(has_text=words)
    notice.wait_for()  # this file's notice, not the one the test before left
    text = notice.text_content()
    assert "“bad.json” was not imported, and your answers are unchanged" in text
    assert words in text
    assert activity.values() == mine
    assert activity.page.evaluate(f"localStorage.getItem('{KEY}')") == stored
    assert activity.root.locator("[data-role=results]").is_visible(), "the results stay"


def test_file_names_are_shown_as_text(activity: Activity, tmp_path: Path) -> None:
    path = tmp_path / "<img src=x onerror=alert(1)>.json"
    path.write_text("nope", encoding="utf-8")
    save_data(activity.page)  # files are read by the page itself: Python need not start
    activity.open(wait_ready=False)
    activity.root.locator("[data-action=import]").set_input_files(path)
    notice = activity.root.locator("[data-role=notice]")
    notice.filter(has_text="was not imported").wait_for()
    assert "<img src=x onerror=alert(1)>.json" in notice.text_content()
    assert activity.root.locator("img").count() == 0


def test_clear_can_be_undone(activity: Activity) -> None:
    save_data(activity.page)  # no analysis: Python need not start
    activity.open(wait_ready=False)
    activity.fill(example())
    activity.root.locator("[data-action=clear]").click()
    assert activity.values()["sections"] == {}
    activity.root.locator("[data-action=undo]").click()
    assert activity.values() == form_profile(example())


@SHARED
def test_the_results_print_alone(analysed_activity: Activity) -> None:
    activity = analysed_activity
    activity.fill(example())
    assert activity.analyse() == "done"
    activity.page.emulate_media(media="print")
    try:
        assert activity.root.locator("[data-role=results]").is_visible()
        assert activity.root.locator("[data-result=chart]").is_visible()
        assert activity.root.locator("[data-result=about]").is_visible(), "the date and the rules' version are printed"
        assert activity.root.locator("[data-result=inputs]").is_visible(), "and the reader's answers"
        for hidden in ("[data-role=form]", ".quizkit-activity__files", ".quizkit-activity__runtime"):
            assert activity.root.locator(hidden).is_hidden(), hidden
    finally:
        activity.page.emulate_media(media="screen")  # the page as the next test expects it
    assert activity.root.locator("[data-role=form]").is_visible()


# ---------------------------------------------------------------- keyboard, screen reader, axe


def test_the_activity_can_be_done_with_the_keyboard_only(activity: Activity) -> None:
    activity.open()
    keyboard = activity.page.keyboard
    first_radio = activity.root.locator("input[type=radio]").first
    for _ in range(80):  # from the top of the page: the skip link, the header, the intro's links
        keyboard.press("Tab")
        if first_radio.evaluate("(el) => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first section")
    statuses = ["complete", "update", "missing"]
    for section in RULES.profile_sections:
        status = example()["sections"][section.id]
        focused = activity.page.evaluate("document.activeElement.name")
        assert focused == f"sections.{section.id}"
        steps = statuses.index(status)
        if steps == 0:
            keyboard.press("Space")
        for _ in range(steps):
            keyboard.press("ArrowRight")
        keyboard.press("Tab")
    assert activity.page.evaluate("document.activeElement.name") == "plan"
    keyboard.type(RULES.plan(example()["plan"]).name)
    for name in FIELDS:
        keyboard.press("Tab")
        assert activity.page.evaluate("document.activeElement.name") == name
        keyboard.press("Control+A")
        keyboard.type(str(example()[name]))
    before = activity.runs()
    keyboard.press("Enter")  # submits the form from its last field
    activity.wait_runs(before + 1)
    assert activity.root.get_attribute("data-state") == "done"
    assert activity.values() == form_profile(example())
    assert activity.shown()["completeness"] == 62
    for _ in range(40):  # past the results' tables and source links: the files come after the results
        keyboard.press("Tab")
        if activity.page.evaluate("document.activeElement.dataset.action") == "export-markdown":
            break
    else:
        pytest.fail("Tab never reached the report's download button")
    with activity.page.expect_download() as download:
        keyboard.press("Enter")
    assert download.value.suggested_filename == "connects-analysis.txt"


@SHARED
def test_every_control_has_a_label_and_the_runtime_status_shows(analysed_activity: Activity) -> None:
    activity = analysed_activity
    unlabelled = activity.root.locator("input, select").evaluate_all(
        "(controls) => controls.filter((c) => !c.labels || c.labels.length === 0).map((c) => c.name || c.id)")
    assert unlabelled == []
    groups = activity.root.locator("fieldset").evaluate_all("(sets) => sets.filter((f) => !f.querySelector(':scope > legend')).length")
    assert groups == 0
    status = activity.root.locator("[data-role=runtime-status]")
    assert status.get_attribute("role") == "status"
    assert status.text_content().startswith("Python is ready")
    assert activity.root.locator("[data-role=announce]").get_attribute("aria-live") == "polite"


def _axe(page: Page) -> list[str]:
    """axe-core's serious and critical violations in the activity: every rule in the light scheme, then the
    colour rules in the dark one (the markup is the same in both)."""
    found = []
    for scheme, rules in in_each_scheme(page):
        found += [f"{scheme}: {violation}" for violation in serious(page, "[data-quizkit-activity]", rules)]
    switch_scheme(page, "light")
    return found


@SHARED
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by `npm ci` (make deps)")
def test_axe_finds_nothing_serious_on_the_results_and_the_errors(analysed_activity: Activity) -> None:
    activity = analysed_activity
    activity.fill(example())
    assert activity.analyse() == "done"
    assert _axe(activity.page) == []
    activity.control("billing_day").fill("32")
    activity.control("balance").fill("-1")
    assert activity.analyse() == "refused"
    assert _axe(activity.page) == []


def test_the_page_loads_the_runtime_and_nothing_else_for_the_activity(activity: Activity, traffic: Traffic) -> None:
    activity.open()
    own = [url.removeprefix(activity.site.url) for url in traffic.requests if url.startswith(activity.site.url)]
    assert any(re.match(r"assets/quizkit/activity\.js", url) for url in own)
    assert any("worker.js" in url for url in own)
    assert not any("editor.js" in url or "exercise.js" in url for url in own), "no code editor on the activity page"


def test_a_script_of_another_build_hands_over_to_the_pages_build(activity: Activity, traffic: Traffic) -> None:
    """A browser may hold `activity.js` of an earlier build: it loads the page's build, which runs once."""

    def older_page(route: Route) -> None:
        response = route.fetch()
        body = re.sub(r'data-quizkit-build="[^"]+"', 'data-quizkit-build="0123456789abcdef"', response.text())
        route.fulfill(response=response, body=body)

    activity.page.route(activity.url, older_page)
    save_data(activity.page)  # which script runs is the question, not Python
    activity.open(wait_ready=False)
    assert any(url.endswith("activity.js?v=0123456789abcdef") for url in traffic.requests)
    assert activity.page.locator("[data-quizkit-activity][data-mounted]").count() == 1
    activity.fill(example())
    assert activity.analyse() == "done"
