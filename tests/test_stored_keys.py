# Two courses on one origin keep apart in localStorage (progress.js, progress-page.js, exercise/store.js), run in Node.
"""GitHub Pages project sites (user.github.io/a/ and user.github.io/b/) share one origin, so one localStorage.
Each course keys its entries by its site's path; a course never prunes, erases or exports another's. Entries
of builds before the path was in the keys (`quizkit:v1:<name>`) move under the path of the course their meta
names, once, losing nothing; another course leaves them alone. Exported files keep the keys without the path,
so a file imports into a copy of the course at any path, as files made before this change do."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from quizkit.plugin.toolchain import ASSETS_DIR, PACKAGE_DIR

pytestmark = pytest.mark.node

PROGRESS = PACKAGE_DIR / "assets" / "progress"
STORE = ASSETS_DIR / "store.js"

SCRIPT = """
const [progressUrl, pageUrl, storeUrl] = process.argv.slice(1);
class Store {
  constructor() { this.m = new Map(); this.quota = Infinity; this.refused = false; }
  get length() { return this.m.size; }
  key(i) { return [...this.m.keys()][i] ?? null; }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) {
    const used = [...this.m].reduce((n, [key, value]) => n + key.length + value.length, 0);
    if (used + k.length + String(v).length > this.quota) throw new DOMException("full", "QuotaExceededError");
    this.m.set(k, String(v));
  }
  removeItem(k) { this.m.delete(k); }
}
const store = new Store();
let pageCourse = null; // the #quizkit-course of the page the widgets' module sees
globalThis.window = {
  get localStorage() { if (store.refused) throw new DOMException("denied", "SecurityError"); return store; },
  addEventListener() {}, location: { href: "https://user.github.io/a/lessons/one/" },
};
globalThis.document = {
  readyState: "loading", addEventListener() {}, dispatchEvent() {},
  getElementById: (id) => (id === "quizkit-course" && pageCourse ? { textContent: JSON.stringify(pageCourse) } : null),
};
globalThis.CustomEvent = class { constructor(type, options) { this.type = type; this.detail = options?.detail; } };
const P = await import(progressUrl);
const PP = await import(pageUrl);

const course = (name, scope, build, exercises, quizzes, lessons) => ({
  course: name, scope, build, items: { exercises, quizzes },
  lessons: lessons.map((url) => ({ url, title: url, activity: false, exercises: [], quizzes: [] })),
});
const A = course("Course A", "/a/", "a1", ["ex1"], { q1: "h1" }, ["lessons/a/"]);
const B = course("Course B", "/b/", "b1", ["other"], { final: "h2" }, ["lessons/b/"]);
const api = (c) => ({ course: c, keys: () => P.ownKeys(c), readJson: (k) => JSON.parse(store.getItem(k)), schema: 1,
                      prefix: P.prefixOf(c), filePrefix: "quizkit:v1:" });
const dump = () => Object.fromEntries([...store.m].sort());
const set = (entries) => { for (const [k, v] of Object.entries(entries)) store.setItem(k, JSON.stringify(v)); };
const out = {};

// A reader of course A before keys held the site's path: its entries, with a meta that names it.
const legacy = {
  "quizkit:v1:exercise:ex1": { code: "my work on A", status: "failed" },
  "quizkit:v1:quiz:q1": { answers: { x: "a" }, submitted: true, best: 3 },
  "quizkit:v1:read": { version: 1, pages: { "lessons/a/": "2026-01-01" } },
  "quizkit:v1:activity": { version: 1, profile: { plan: "basic" }, analysed: true },
  "quizkit:v1:meta": { schema: 1, course: "Course A", build: "a0", quizzes: { q1: "h1" }, seen: ["a0"] },
};
set(legacy);
// The widgets' store on a page of A, before progress.js has run there: it reads A's entry where it was.
pageCourse = { course: "Course A", base: "../.." };
const storeA = await import(storeUrl + "?a");
out.prefixA = storeA.coursePrefix();
out.readBeforeMove = storeA.readEntry("exercise:ex1");
pageCourse = { course: "Course B", base: "../.." };
window.location.href = "https://user.github.io/b/lessons/one/";
const storeB = await import(storeUrl + "?b");
out.readByB = storeB.readEntry("exercise:ex1");

P.migrate(B); // the reader opens course B first: A's entries are not B's to move or prune
out.afterB = dump();
P.migrate(A); // then course A: its entries move under /a/, whole
out.afterA = dump();
out.statesA = P.states(A).map((s) => [s.read]);
out.readAfterMove = storeA.readEntry("exercise:ex1");

// Both courses in use, each with a new build, opened in turn: neither prunes the other.
out.writtenByB = storeB.writeEntry("exercise:other", { code: "B's code" });
P.markRead(B, "lessons/b/");
const A2 = { ...A, build: "a2" };
const B2 = { ...B, build: "b2" };
P.migrate(A2);
P.migrate(B2);
P.migrate(A2, { force: true });
out.afterBoth = dump();
out.ownA = P.ownKeys(A).sort();
out.ownB = P.ownKeys(B).sort();

// Export of A: only A's entries, keyed as files were before (no site path); the file reads back as A's.
const exported = PP.exportData(api(A));
out.exportedKeys = Object.keys(exported.data);
out.exportedCourse = exported.course;
out.exportedCode = exported.data["quizkit:v1:exercise:ex1"]?.code;
out.readBack = Object.keys(PP.readFile(api(A), JSON.stringify(exported)).file?.data ?? {});
out.readByB2 = PP.readFile(api(B), JSON.stringify(exported)).problems;
// A copy of course A elsewhere on the origin (another path, same name) reads the same file.
out.readByCopy = Object.keys(PP.readFile(api({ ...A, scope: "/a-copy/" }), JSON.stringify(exported)).file?.data ?? {});

// A full storage: the widget's save says it failed; a refused storage too; a save that works says so.
store.quota = 0;
out.fullSave = storeA.writeEntry("exercise:ex1", { code: "x".repeat(100) });
store.quota = Infinity;
store.refused = true;
out.refusedSave = storeA.writeEntry("exercise:ex1", { code: "y" });
out.refusedRead = storeA.readEntry("exercise:ex1");
store.refused = false;
out.goodSave = storeA.writeEntry("exercise:ex1", { code: "z" });

// A move that does not fit changes nothing, and is tried again on the next page.
store.m.clear();
set(legacy);
store.quota = [...store.m].reduce((n, [k, v]) => n + k.length + v.length, 0) + 10;
P.migrate(A);
out.fullMove = dump();
store.quota = Infinity;
P.migrate(A);
out.retriedMove = Object.keys(dump());
console.log(JSON.stringify(out));
"""

LEGACY = {
    "quizkit:v1:exercise:ex1": {"code": "my work on A", "status": "failed"},
    "quizkit:v1:quiz:q1": {"answers": {"x": "a"}, "submitted": True, "best": 3},
    "quizkit:v1:read": {"version": 1, "pages": {"lessons/a/": "2026-01-01"}},
    "quizkit:v1:activity": {"version": 1, "profile": {"plan": "basic"}, "analysed": True},
}


def _parsed(entries: dict[str, str]) -> dict[str, Any]:
    return {key: json.loads(value) for key, value in entries.items()}


@pytest.fixture(scope="module")
def seen() -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, (PROGRESS / "progress.js").as_uri(),
                           (PROGRESS / "progress-page.js").as_uri(), STORE.as_uri()],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


def test_the_widgets_key_their_entries_by_the_site_path(seen: dict[str, Any]) -> None:
    assert seen["prefixA"] == "quizkit:v1:/a/:"


def test_another_course_on_the_origin_leaves_the_entries_of_an_older_build_alone(seen: dict[str, Any]) -> None:
    after = _parsed(seen["afterB"])
    assert {key: value for key, value in after.items() if key != "quizkit:v1:meta"} == {
        **LEGACY, "quizkit:v1:/b/:meta": after["quizkit:v1:/b/:meta"]}
    assert after["quizkit:v1:meta"]["course"] == "Course A", "A's meta too: A takes its entries later"
    assert after["quizkit:v1:/b/:meta"]["course"] == "Course B"
    assert seen["readByB"] is None, "B's widgets do not read A's entries"


def test_the_entries_of_an_older_build_move_under_their_course_path_whole(seen: dict[str, Any]) -> None:
    assert seen["readBeforeMove"] == json.dumps(LEGACY["quizkit:v1:exercise:ex1"], separators=(",", ":")), \
        "read where it was before progress.js moved it"
    after = _parsed(seen["afterA"])
    moved = {key.replace("quizkit:v1:/a/:", "quizkit:v1:"): value for key, value in after.items() if key.startswith("quizkit:v1:/a/:")}
    assert {key: value for key, value in moved.items() if key != "quizkit:v1:meta"} == LEGACY
    assert not [key for key in after if key.startswith("quizkit:v1:") and not key.startswith("quizkit:v1:/")], "none left behind"
    assert after["quizkit:v1:/b/:meta"]["course"] == "Course B"
    assert seen["statesA"] == [[True]]
    assert seen["readAfterMove"] == seen["readBeforeMove"]


def test_two_courses_in_turn_never_prune_each_other(seen: dict[str, Any]) -> None:
    assert seen["writtenByB"] is True
    after = _parsed(seen["afterBoth"])
    assert after["quizkit:v1:/a/:exercise:ex1"] == LEGACY["quizkit:v1:exercise:ex1"]
    assert after["quizkit:v1:/a/:quiz:q1"] == LEGACY["quizkit:v1:quiz:q1"]
    assert after["quizkit:v1:/a/:read"] == LEGACY["quizkit:v1:read"]
    assert after["quizkit:v1:/b/:exercise:other"] == {"code": "B's code"}
    assert list(after["quizkit:v1:/b/:read"]["pages"]) == ["lessons/b/"]
    assert after["quizkit:v1:/a/:meta"]["build"] == "a2"
    assert after["quizkit:v1:/b/:meta"]["build"] == "b2"
    assert all(key.startswith("quizkit:v1:/a/:") for key in seen["ownA"]), "what A's reset erases"
    assert all(key.startswith("quizkit:v1:/b/:") for key in seen["ownB"])


def test_an_export_holds_only_the_course_entries_keyed_without_the_path(seen: dict[str, Any]) -> None:
    assert seen["exportedKeys"] == ["quizkit:v1:activity", "quizkit:v1:exercise:ex1", "quizkit:v1:quiz:q1", "quizkit:v1:read"]
    assert seen["exportedCourse"] == "Course A"
    assert seen["exportedCode"] == "my work on A"
    assert seen["readBack"] == seen["exportedKeys"]
    assert seen["readByCopy"] == seen["exportedKeys"], "a copy of the course at another path imports it"
    assert seen["readByB2"] == ["it holds the progress of “Course A”, not of “Course B”."]


def test_a_save_says_whether_it_was_kept(seen: dict[str, Any]) -> None:
    assert (seen["fullSave"], seen["refusedSave"], seen["goodSave"]) == (False, False, True)
    assert seen["refusedRead"] is None


def test_a_move_that_does_not_fit_changes_nothing_and_is_tried_again(seen: dict[str, Any]) -> None:
    assert _parsed(seen["fullMove"]) == {**LEGACY, "quizkit:v1:meta": _parsed(seen["fullMove"])["quizkit:v1:meta"]}
    assert sorted(seen["retriedMove"]) == sorted(key.replace("quizkit:v1:", "quizkit:v1:/a/:") for key in [*LEGACY, "quizkit:v1:meta"])
