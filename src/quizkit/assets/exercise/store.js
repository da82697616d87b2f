// What the reader did with an exercise, kept in localStorage: code, last verdict, hints, failures.
//
// Key: quizkit:v1:<site path>:exercise:<id> (`readEntry`); value: JSON {code, status, hintsShown, failures, solved,
// starterHash, checkedHash}.
// `checkedHash` is the hash of the code the last Check graded: a restored verdict is said only of that code.
// Anything unreadable is ignored; a storage that refuses writes (private mode, full, blocked) is tolerated, and
// `save` says so: the widget tells the reader their code is not kept.
// `load` sets `starterChanged` (not stored) when the reader's own code was saved against another starter.
// Each save dispatches `quizkit:saved` on document (the progress marks follow it).

const SCHEMA_PREFIX = "quizkit:v1:";
const STATUSES = new Set(["passed", "failed", "error", "timeout", "stopped"]);
const HASH = /^[0-9a-f]{8}$/;

/** A short, stable hash of a text (FNV-1a, 32 bits, hex). */
export function textHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let scope = null;

/**
 * This course's keys: the site's path on its origin comes after the schema (`quizkit:v1:/a/:` on
 * user.github.io/a/), so two courses on one origin never read, overwrite or prune each other's entries.
 * progress.js (`prefixOf`) keeps the same keys, from the same course data.
 */
export function coursePrefix() {
  if (scope === null) {
    let course = {};
    try {
      course = JSON.parse(document.getElementById("quizkit-course")?.textContent ?? "{}") ?? {};
    } catch {
      // no course data: the site's root is taken as the page's origin root
    }
    const base = typeof course.base === "string" ? course.base : "/";
    const path = new URL(base.endsWith("/") ? base : `${base}/`, window.location.href).pathname;
    scope = { prefix: `${SCHEMA_PREFIX}${path}:`, course: course.course };
  }
  return scope.prefix;
}

/**
 * The stored text of this course's entry `name` ("exercise:<id>", "activity"), or null. Before keys held the
 * site's path they were `quizkit:v1:<name>`: such an entry is read while the meta stored with it names this
 * course (progress.js moves it under this course's path on the first page it runs on).
 */
export function readEntry(name) {
  const store = storage();
  if (!store) return null;
  const own = store.getItem(coursePrefix() + name);
  if (own !== null) return own;
  let meta = null;
  try {
    meta = JSON.parse(store.getItem(`${SCHEMA_PREFIX}meta`) ?? "null");
  } catch {
    return null;
  }
  const ours = typeof scope.course === "string" && meta?.course === scope.course;
  return ours ? store.getItem(SCHEMA_PREFIX + name) : null;
}

/**
 * Store `value` as this course's entry `name`; whether it was stored. False when the storage is full or
 * refused (site data blocked): the widget then says its work is not kept, rather than lose it on the next visit.
 */
export function writeEntry(name, value) {
  const key = coursePrefix() + name;
  try {
    const store = storage();
    if (!store) return false;
    store.setItem(key, JSON.stringify(value));
  } catch {
    return false;
  }
  document.dispatchEvent(new CustomEvent("quizkit:saved", { detail: { key } }));
  return true;
}

/**
 * Run `flush` as the reader leaves the page (a link, a reload, another tab or app): the widgets save a while
 * after each key, and a page closed within that wait lost the last edits. `pagehide` ends the page; a hidden
 * page may be discarded without one (phones), so a hidden page flushes too.
 */
export function onLeave(flush) {
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
}

const count = (value) => (Number.isInteger(value) && value >= 0 ? value : 0);

/**
 * The saved state of an exercise, checked field by field, or a fresh one.
 * A saved code that is still the old starter follows a changed starter.
 */
export function load(id, starter) {
  const fresh = { code: starter, status: "", hintsShown: 0, failures: 0, solved: false, starterHash: textHash(starter), checkedHash: "" };
  let raw;
  try {
    raw = JSON.parse(readEntry(`exercise:${id}`) ?? "null");
  } catch {
    return fresh;
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return fresh;
  const state = { ...fresh };
  if (typeof raw.code === "string") {
    const untouched = typeof raw.starterHash === "string" && textHash(raw.code) === raw.starterHash;
    if (!(untouched && raw.starterHash !== fresh.starterHash)) {
      state.code = raw.code;
      state.starterChanged = typeof raw.starterHash === "string" && raw.starterHash !== fresh.starterHash && raw.code !== starter;
    }
  }
  if (STATUSES.has(raw.status)) state.status = raw.status;
  if (typeof raw.checkedHash === "string" && HASH.test(raw.checkedHash)) state.checkedHash = raw.checkedHash;
  state.hintsShown = count(raw.hintsShown);
  state.failures = count(raw.failures);
  state.solved = raw.solved === true || state.status === "passed";
  return state;
}

/** Store the exercise's state; whether it was stored (see `writeEntry`). */
export function save(id, state) {
  return writeEntry(`exercise:${id}`, state);
}
