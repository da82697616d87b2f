# The SCORM package of the course in a real SCORM 1.2 runtime (scorm-again) in Chromium.
"""An LMS page of the test provides `window.API` (scorm-again's Scorm12API, from node_modules)
and opens the package's SCO (`scorm.html`) in a frame, as an LMS does; the course shows in the
launcher's own frame. A reader passes an exercise, takes the final quiz and closes; the runtime
holds the status, the score and the suspend data. A second browser (empty localStorage) opens
the course with that suspend data and finds the progress back.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.browser.conftest import BuiltSite, assert_clean, editor_of, python_ready
from tests.browser.test_quizzes import QuizPage, wrong_answer

from quizkit.course import Course
from quizkit.export.scorm import ADLCP_NS, export_scorm
from quizkit.quiz import grade_attempt
from quizkit.serve import make_server

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Frame, Page
    from tests.browser.conftest import Traffic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("scorm")]  # one package build per run

ROOT = Path(__file__).resolve().parents[2]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.js"
MASTERY = 80
TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
LMS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm12.js"></script>
<script>
window.lms = {
  log: [], calls: [], finished: false,
  open(values) {
    const api = new Scorm12API({ autocommit: false, logLevel: 4 });
    api.loadFromFlattenedJSON(values, "");
    api.on("LMSSetValue.cmi.*", (element, value) => lms.log.push([element, value]));
    for (const call of ["LMSInitialize", "LMSCommit", "LMSFinish"]) api.on(call, () => lms.calls.push(call));
    api.on("LMSFinish", () => { lms.finished = true; });
    window.API = api;
    document.getElementById("sco").src = "pkg/scorm.html";
  },
  close() { document.getElementById("sco").src = "about:blank"; },
  last(element) {
    const found = lms.log.filter(([e]) => e === element);
    return found.length ? found[found.length - 1][1] : null;
  },
  cmi() {
    const c = window.API.cmi;
    return { status: c.core.lesson_status, raw: c.core.score.raw, min: c.core.score.min, max: c.core.score.max,
             suspend: c.suspend_data };
  },
};
</script></head>
<body><iframe id="sco" title="course" style="width: 1280px; height: 900px; border: 0"></iframe></body></html>
"""


@dataclass(frozen=True)
class Lms:
    """The LMS site of the test: `lms.html`, scorm-again, and the unpacked package under `pkg/`."""

    url: str
    package: Path
    site: BuiltSite
    """The unpacked package as a site (quiz and exercise pages, the compiled course)."""


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lms]:
    folder = tmp_path_factory.mktemp("lms")
    package = folder / "course-scorm12.zip"
    export_scorm(ROOT / "mkdocs.yml", package, mastery_score=MASTERY)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder / "pkg")
    (folder / "lms.html").write_text(LMS_PAGE, encoding="utf-8")
    shutil.copyfile(SCORM_AGAIN, folder / "scorm12.js")
    server = make_server(folder, "127.0.0.1", 0, quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, name="serve lms", daemon=True)
    thread.start()
    try:
        yield Lms(url=url, package=package, site=BuiltSite(dir=folder / "pkg", url=url + "pkg/",
                                                           course=Course.load(ROOT / "exercises")))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def mastery_in_manifest(lms: Lms) -> str:
    """What an LMS reads from the manifest into cmi.student_data.mastery_score."""
    manifest = ET.fromstring((lms.site.dir / "imsmanifest.xml").read_bytes())
    return next((node.text or "" for node in manifest.iter(f"{{{ADLCP_NS}}}masteryscore")), "")


def launch(page: Page, lms: Lms, values: dict[str, str]) -> Frame:
    """Open the LMS page, start a SCORM session with `values`, and return the course's frame once it has loaded."""
    page.goto(lms.url + "lms.html")
    page.evaluate("(values) => lms.open(values)", values)
    page.wait_for_function("() => lms.calls.includes('LMSInitialize')")
    launcher = page.frame_locator("#sco")
    launcher.locator("#quizkit-scorm-frame").wait_for(state="attached")
    frame = next(f for f in page.frames if f.url.endswith("/pkg/scorm.html")).child_frames[0]
    frame.wait_for_url("**/pkg/index.html")
    frame.wait_for_load_state("load")
    return frame


def wait_reported(page: Page, element: str, value: str) -> None:
    page.wait_for_function("([element, value]) => lms.last(element) === value", arg=[element, value])


def stored(frame: Frame, key: str) -> Any:
    raw = frame.evaluate("(key) => localStorage.getItem(key)", key)
    return None if raw is None else json.loads(raw)


def pass_exercise(frame: Frame, lms: Lms, exercise_id: str) -> None:
    """Open the exercise's page in the course frame, write the solution, Check; Python runs in the package."""
    frame.goto(lms.site.url_of(lms.site.exercise_pages()[exercise_id]))
    root = frame.locator(f'.quizkit-exercise[data-exercise-id="{exercise_id}"]')
    root.locator("[data-role=verdict]").wait_for(state="attached")
    frame.wait_for_function("() => window.quizkit && window.quizkit.ready")
    editor_of(frame, exercise_id)  # comes while Python starts
    python_ready(frame)
    solution = lms.site.course.exercises[exercise_id].solution
    frame.evaluate("([id, code]) => window.quizkit.exercise(id).setCode(code)", [exercise_id, solution])
    root.locator("[data-action=check]").click()
    verdict = root.locator("[data-role=verdict]")
    frame.wait_for_function("(el) => el.dataset.status && el.dataset.status !== 'running'", arg=verdict.element_handle(),
                            timeout=30_000)
    assert verdict.get_attribute("data-status") == "passed"


SUSPEND_TRIM = """(scorm) => {
    const big = { "quiz:final": { answers: {}, submitted: true, best: 9, seed: 7, missed: [{ id: "x", text: "y".repeat(3000) }] },
                  "activity": { version: 1, profile: { note: "z".repeat(3000) }, analysed: true } };
    for (let i = 0; i < 12; i++) big[`exercise:e${i}`] = { code: "x = 1; ".repeat(200), status: "passed", solved: true };
    return scorm.suspendData(big, 4096);
}"""


def test_a_reader_in_an_lms_passes_closes_and_continues_in_another_browser(  # noqa: PLR0915 - one reader's story
        lms: Lms, page: Page, context: BrowserContext, browser: Browser, traffic: Traffic) -> None:
    traffic.allow(lms.url)
    mastery = mastery_in_manifest(lms)
    assert mastery == str(MASTERY), "the package's manifest holds the mastery score"
    first = {"cmi.core.student_id": "reader-1", "cmi.core.student_name": "Reader, A", "cmi.core.lesson_mode": "normal",
             "cmi.student_data.mastery_score": mastery}
    frame = launch(page, lms, first)
    wait_reported(page, "cmi.core.lesson_status", "incomplete")

    exercise_id = next(iter(lms.site.exercise_pages()))
    pass_exercise(frame, lms, exercise_id)
    page.wait_for_function("(id) => (lms.last('cmi.suspend_data') || '').includes(`exercise:${id}`)", arg=exercise_id)
    assert page.evaluate("() => lms.last('cmi.core.lesson_status')") == "incomplete", "the final quiz is not taken yet"

    quiz = QuizPage(frame, lms.site, "final").open()  # type: ignore[arg-type]
    answers = quiz.rights()
    missed = quiz.shown()[0]
    answers[missed["id"]] = wrong_answer(missed)
    quiz.answer(answers)
    quiz.submit()
    result = grade_attempt(quiz.quiz, answers, seed=quiz.seed)
    assert quiz.score() == (result.score, result.total)
    raw = round(100 * result.score / result.total)
    assert raw >= MASTERY
    wait_reported(page, "cmi.core.score.raw", str(raw))
    wait_reported(page, "cmi.core.lesson_status", "passed")

    page.evaluate("() => lms.close()")  # the LMS takes the SCO's frame away, as when the reader closes it
    page.wait_for_function("() => lms.finished")
    cmi = page.evaluate("() => lms.cmi()")
    assert cmi["status"] == "passed"
    assert (cmi["raw"], cmi["min"], cmi["max"]) == (str(raw), "0", "100")
    assert TIMESPAN.match(page.evaluate("() => lms.last('cmi.core.session_time')"))
    assert page.evaluate("() => lms.last('cmi.core.exit')") == "suspend"
    suspend = cmi["suspend"]
    assert 0 < len(suspend) <= 4096
    saved = json.loads(suspend)["p"]
    assert saved[f"exercise:{exercise_id}"]["status"] == "passed"
    assert saved["quiz:final"]["best"] == result.score
    calls = page.evaluate("() => lms.calls")
    assert calls[0] == "LMSInitialize"
    assert calls[-1] == "LMSFinish"
    assert calls.count("LMSFinish") == 1

    # Another device: a new browser profile (empty localStorage), the LMS hands the suspend data back.
    other = browser.new_context(service_workers="block")
    try:
        traffic.record(other)
        again = other.new_page()
        frame = launch(again, lms, {**first, "cmi.suspend_data": suspend, "cmi.core.entry": "resume",
                                    "cmi.core.lesson_status": "passed", "cmi.core.score.raw": str(raw)})
        assert again.evaluate("() => document.getElementById('sco').contentWindow.quizkitScorm.restored") is True
        assert stored(frame, f"quizkit:v1:/pkg/:exercise:{exercise_id}")["status"] == "passed"
        assert stored(frame, "quizkit:v1:/pkg/:quiz:final")["best"] == result.score
        wait_reported(again, "cmi.core.lesson_status", "passed")
        assert again.evaluate("() => lms.last('cmi.core.score.raw')") == str(raw)

        quiz = QuizPage(frame, lms.site, "final").open()  # type: ignore[arg-type]
        assert quiz.stored()["best"] == result.score
        frame.goto(lms.site.url_of(lms.site.exercise_pages()[exercise_id]))
        verdict = frame.locator(f'.quizkit-exercise[data-exercise-id="{exercise_id}"] [data-role=verdict]')
        frame.wait_for_function("(el) => el.dataset.status === 'passed'", arg=verdict.element_handle())
        marks = frame.evaluate("() => window.quizkit.progress.states().map((s) => s.state)")
        assert "complete" in marks or "started" in marks

        trimmed = again.evaluate(f"() => ({SUSPEND_TRIM})(document.getElementById('sco').contentWindow.quizkitScorm)")
        assert len(trimmed) <= 4096, "a large progress is trimmed to what SCORM 1.2 holds"
        kept = json.loads(trimmed)["p"]
        assert kept["quiz:final"]["best"] == 9
        assert all(kept[f"exercise:e{i}"]["solved"] is True for i in range(12))
        assert kept["activity"]["analysed"] is True
    finally:
        other.close()
    assert_clean(traffic)


def test_outside_an_lms_the_launcher_opens_the_plain_site(lms: Lms, page: Page, traffic: Traffic) -> None:
    traffic.allow(lms.url)
    page.goto(lms.site.url + "scorm.html")
    page.wait_for_url("**/pkg/index.html")
    page.wait_for_load_state("load")
    assert page.locator("#quizkit-course").count() == 1, "the course's own home page"
    assert not [url for url in traffic.requests if "scorm12" in url], "no LMS runtime was reached for"
    assert_clean(traffic)
