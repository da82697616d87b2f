// Course progress on every page: completion marks in the navigation, read marks, stored data kept in step
// with the build. Small on purpose: no Python, no widgets; the Progress page's part and the service
// worker's registration are loaded only when needed.
//
// Contract (quizkit/plugin/progress.py): `<script type="application/json" id="quizkit-course">` holds the
// lessons in navigation order with their exercises and quizzes, this page's URL and the site root.
// What it reads is what the widgets store, in localStorage, under the course's prefix `quizkit:v1:<site path>:`
// (the site's path on its origin, `/` or `/a/`: two courses on one origin, such as user.github.io/a/ and
// user.github.io/b/, never read, prune or erase each other's entries):
//   <prefix>exercise:<id>  {code, status, solved, ...}   passed = solved or status "passed"
//   <prefix>quiz:<id>      {answers, submitted, best}   taken = best is a whole number
//   <prefix>activity       {version, profile, analysed, refused?} done = analysed
// and what it stores itself:
//   <prefix>read           {version: 1, pages: {<lesson url>: <ISO date>}}
//   <prefix>meta           {schema, course, build, quizzes: {<id>: <grading hash>}, seen: [<builds>]}
// Builds before the site's path was in the keys stored `quizkit:v1:<name>`: `adopt` moves those entries
// under the path of the course their meta names, once (exported files still use those keys: progress-page.js).
//
// Read marks: a lesson counts as read once the end of its text has been on screen and the page has
// been visible for `readSeconds` (20 s by default), or when the reader presses "Mark as read".
//
// Hooks: `window.quizkit.progress` ({course, states(), refresh(), markRead(url, read)}); widgets
// dispatch `quizkit:saved` on document after saving, and the marks follow at once.

const SCHEMA = 1;
const SCHEMA_PREFIX = `quizkit:v${SCHEMA}:`;
const SEEN_BUILDS = 20;
const version = new URL(import.meta.url).search; // "?v=<hash of the progress assets>"

// ---------------------------------------------------------------- storage

export const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readJson(key) {
  try {
    const raw = storage()?.getItem(key);
    return raw === null || raw === undefined ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function writeJson(key, value) {
  try {
    storage()?.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // full or refused: progress works for this visit only
  }
}

function remove(key) {
  try {
    storage()?.removeItem(key);
  } catch {
    // refused: nothing to remove
  }
}

const PROBE_KEY = "quizkit:probe"; // written and removed at once, to learn whether there is room

/** Whether a storage error means "full" (each browser names it its own way). */
const isQuotaError = (error) => error instanceof DOMException
  && (error.name === "QuotaExceededError" || error.name === "NS_ERROR_DOM_QUOTA_REACHED" || error.code === 22 || error.code === 1014);

/** What an entry costs against the storage quota, in characters (browsers count keys and values). */
const cost = (key, text) => key.length + text.length;

/**
 * Replace the entries under `oldKeys` by `entries` ({key: JSON value}), all or nothing.
 *
 * First the size: what the new entries need beyond what the old ones free must be free now (a probe
 * of that many characters is written and removed), else nothing is touched. Then the old entries
 * are removed and the new ones written; if any write fails, what was written is removed and the old
 * entries are put back exactly (their stored text, not a re-serialised copy).
 *
 * @returns {{ok: true} | {ok: false, reason: "full" | "refused", needed?: number, restored: boolean}}
 *   `needed`: characters missing (the size check refused); `restored`: false only if putting the
 *   old entries back failed too.
 */
export function replaceEntries(oldKeys, entries) {
  const store = storage();
  if (!store) return { ok: false, reason: "refused", restored: true };
  const before = new Map();
  for (const key of oldKeys) {
    const text = store.getItem(key);
    if (text !== null) before.set(key, text);
  }
  const after = Object.entries(entries).map(([key, value]) => [key, JSON.stringify(value)]);
  const freed = [...before].reduce((n, [key, text]) => n + cost(key, text), 0);
  const needed = after.reduce((n, [key, text]) => n + cost(key, text), 0) - freed;
  if (needed > 0) {
    try {
      store.setItem(PROBE_KEY, "0".repeat(Math.max(0, needed - PROBE_KEY.length)));
    } catch (error) {
      return { ok: false, reason: isQuotaError(error) ? "full" : "refused", needed, restored: true };
    } finally {
      try {
        store.removeItem(PROBE_KEY);
      } catch {
        // nothing was written
      }
    }
  }
  try {
    for (const key of before.keys()) store.removeItem(key);
    for (const [key, text] of after) store.setItem(key, text);
    return { ok: true };
  } catch (error) {
    let restored = true;
    for (const [key] of after) {
      try {
        store.removeItem(key);
      } catch {
        restored = false;
      }
    }
    for (const [key, text] of before) {
      try {
        store.setItem(key, text);
      } catch {
        restored = false;
      }
    }
    return { ok: false, reason: isQuotaError(error) ? "full" : "refused", restored };
  }
}

/** The course's prefix in localStorage: `quizkit:v1:<site path>:` (`course.scope`: the path of its root). */
export const prefixOf = (course) => `${SCHEMA_PREFIX}${course.scope}:`;

/** The keys of one course (see the top of this file). */
function keysOf(course) {
  const prefix = prefixOf(course);
  return {
    prefix, read: `${prefix}read`, meta: `${prefix}meta`, activity: `${prefix}activity`, quiz: `${prefix}quiz:`, exercise: `${prefix}exercise:`,
  };
}

/** A key of a build before keys held the site's path (`quizkit:v1:exercise:<id>`): a path starts with "/". */
const isUnscoped = (key) => key.startsWith(SCHEMA_PREFIX) && !key.startsWith("/", SCHEMA_PREFIX.length);

/** Whether the entries stored before keys held the site's path are this course's: their meta names it. */
function unscopedAreOurs(course) {
  const meta = readJson(`${SCHEMA_PREFIX}meta`);
  return isObject(meta) && typeof course.course === "string" && meta.course === course.course;
}

/** Every localStorage key quizkit wrote (any schema, any course). */
function quizkitKeys() {
  const store = storage();
  if (!store) return [];
  const keys = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith("quizkit:")) keys.push(key);
  }
  return keys;
}

/** The keys of this course's entries, and those stored before keys held the site's path if they are its own. */
export function ownKeys(course) {
  const { prefix } = keysOf(course);
  const ours = unscopedAreOurs(course);
  return quizkitKeys().filter((key) => key.startsWith(prefix) || (ours && isUnscoped(key)));
}

function readMarks(course) {
  const raw = readJson(keysOf(course).read);
  const pages = {};
  if (isObject(raw) && raw.version === 1 && isObject(raw.pages)) {
    for (const [url, when] of Object.entries(raw.pages)) if (typeof when === "string") pages[url] = when;
  }
  return pages;
}

// ---------------------------------------------------------------- keeping stored data in step with the build

/**
 * Entries stored before keys held the site's path (`quizkit:v1:<name>`) move under this course's prefix,
 * once (while the course has no meta of its own), and only when the meta stored with them names this course:
 * another course's are left where they are, for it to take. An entry this course has already is kept (it is
 * newer). All or nothing (`replaceEntries`); false when the storage refused the move (tried again next page).
 */
export function adopt(course) {
  const keys = keysOf(course);
  const store = storage();
  if (!store || readJson(keys.meta) !== null || !unscopedAreOurs(course)) return true;
  const old = quizkitKeys().filter(isUnscoped);
  const entries = {};
  for (const key of old) {
    const target = keys.prefix + key.slice(SCHEMA_PREFIX.length);
    const value = readJson(key);
    if (value !== null && store.getItem(target) === null) entries[target] = value;
  }
  return replaceEntries(old, entries).ok;
}

/**
 * Once per build: keys of an older schema are dropped (keys of a newer one are left alone); exercises
 * and quizzes the course no longer has, and read marks of pages it no longer tracks, are dropped; a quiz
 * whose grading changed keeps its answers and best score but not its "submitted" feedback. A build seen
 * before (an older copy of the site) changes nothing, so two builds open side by side do not undo each other.
 * Only this course's entries are looked at (its prefix): another course's on the same origin are not its to prune.
 */
export function migrate(course, { force = false, previous } = {}) {
  if (!storage()) return;
  for (const key of quizkitKeys()) {
    const match = /^quizkit:v(\d+):/.exec(key);
    if (match && Number(match[1]) < SCHEMA) remove(key);
  }
  if (!adopt(course)) return;
  const keys = keysOf(course);
  const given = previous === undefined ? readJson(keys.meta) : previous; // read after `adopt`, which may have moved it
  const meta = isObject(given) ? given : {};
  const seen = Array.isArray(meta.seen) ? meta.seen.filter((b) => typeof b === "string") : [];
  if (!force && (meta.build === course.build || seen.includes(course.build))) return;
  const quizzes = course.items.quizzes;
  const exercises = new Set(course.items.exercises);
  const oldKeys = isObject(meta.quizzes) ? meta.quizzes : {};
  for (const key of quizkitKeys()) {
    if (key.startsWith(keys.exercise) && !exercises.has(key.slice(keys.exercise.length))) remove(key);
    if (!key.startsWith(keys.quiz)) continue;
    const id = key.slice(keys.quiz.length);
    if (!Object.hasOwn(quizzes, id)) {
      remove(key);
      continue;
    }
    const stored = readJson(key);
    if (isObject(stored) && typeof oldKeys[id] === "string" && oldKeys[id] !== quizzes[id] && stored.submitted) {
      writeJson(key, { ...stored, submitted: false }); // its feedback was for other questions
    }
  }
  const tracked = new Set(course.lessons.map((lesson) => lesson.url));
  const marks = readMarks(course);
  const kept = Object.fromEntries(Object.entries(marks).filter(([url]) => tracked.has(url)));
  if (Object.keys(kept).length !== Object.keys(marks).length) writeJson(keys.read, { version: 1, pages: kept });
  const builds = [...new Set([course.build, ...(typeof meta.build === "string" ? [meta.build] : []), ...seen])];
  writeJson(keys.meta, { schema: SCHEMA, course: course.course, build: course.build, quizzes, seen: builds.slice(0, SEEN_BUILDS) });
}

// ---------------------------------------------------------------- where the reader is

function exercisePassed(course, id) {
  const raw = readJson(keysOf(course).exercise + id);
  return isObject(raw) && (raw.solved === true || raw.status === "passed");
}

function quizBest(course, quiz) {
  const raw = readJson(keysOf(course).quiz + quiz.id);
  const best = isObject(raw) ? raw.best : null;
  return Number.isInteger(best) && best >= 0 && best <= quiz.questions ? best : null;
}

function activityDone(course) {
  const raw = readJson(keysOf(course).activity);
  return isObject(raw) && raw.analysed === true;
}

/** Each lesson's steps (read, each exercise, each quiz, the activity) and how many are done. */
export function states(course) {
  const marks = readMarks(course);
  return course.lessons.map((lesson) => {
    const exercises = lesson.exercises.map((e) => ({ ...e, passed: exercisePassed(course, e.id) }));
    const quizzes = lesson.quizzes.map((q) => ({ ...q, best: quizBest(course, q) }));
    const activity = lesson.activity ? activityDone(course) : null;
    const read = Object.hasOwn(marks, lesson.url);
    // Exercises are optional (progress.py steps): listed with what was passed, never a step a lesson needs.
    const steps = [read, ...quizzes.map((q) => q.best !== null)];
    if (lesson.activity) steps.push(activity);
    const done = steps.filter(Boolean).length;
    const state = done === 0 ? "new" : done === steps.length ? "complete" : "started";
    return { lesson, read, exercises, quizzes, activity, done, total: steps.length, state };
  });
}

export function markRead(course, url, read = true) {
  const pages = readMarks(course);
  if (read) pages[url] = new Date().toISOString();
  else delete pages[url];
  const key = keysOf(course).read;
  writeJson(key, { version: 1, pages });
  document.dispatchEvent(new CustomEvent("quizkit:saved", { detail: { key } }));
}

// ---------------------------------------------------------------- the page

function readCourse() {
  const node = document.getElementById("quizkit-course");
  if (!node) return null;
  try {
    const course = JSON.parse(node.textContent);
    course.root = new URL(course.base.endsWith("/") ? course.base : `${course.base}/`, window.location.href);
    course.scope = course.root.pathname; // the widgets key their entries by the same path (exercise/store.js, quiz.js)
    return course;
  } catch {
    return null;
  }
}

/** A URL without hash, query or trailing index.html, to compare links with lessons. */
function normal(href) {
  const url = new URL(href, window.location.href);
  url.hash = "";
  url.search = "";
  return url.href.replace(/index\.html$/, "");
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const MARKS = {
  complete: { icon: "✓", text: () => " (completed)" },
  started: { icon: "◐", text: (s) => ` (in progress: ${s.done} of ${s.total} steps done)` },
};

/** A mark after each lesson's link in the navigation: a symbol, and words for screen readers. */
function markNavigation(course, all) {
  const byUrl = new Map(all.map((s) => [normal(new URL(s.lesson.url, course.root)), s]));
  for (const link of document.querySelectorAll(".md-nav--primary a.md-nav__link[href]")) {
    if (link.closest(".md-nav--secondary")) continue;
    const state = byUrl.get(normal(link.href));
    const old = link.querySelector(":scope > .quizkit-mark");
    const mark = state && MARKS[state.state];
    if (!mark) {
      old?.remove();
      continue;
    }
    const node = element("span", { class: "quizkit-mark", "data-quizkit-mark": state.state },
      element("span", { "aria-hidden": "true", class: "quizkit-mark__icon" }, mark.icon),
      element("span", { class: "quizkit-visually-hidden" }, mark.text(state)));
    if (old) old.replaceWith(node);
    else link.append(node);
  }
  // The current lesson: on narrow screens Material shows a label that opens its table of contents in
  // place of its link. That label gets the same mark, before the contents icon (a class of its own, so
  // `.quizkit-mark` still finds one mark per lesson).
  for (const label of document.querySelectorAll('.md-nav--primary label.md-nav__link[for="__toc"]')) {
    const link = label.parentElement?.querySelector(":scope > a.md-nav__link[href]");
    const state = link && byUrl.get(normal(link.href));
    const mark = state && MARKS[state.state];
    const old = label.querySelector(":scope > .quizkit-toc-mark");
    if (!mark) {
      old?.remove();
      continue;
    }
    const node = element("span", { class: "quizkit-toc-mark", "data-quizkit-mark": state.state },
      element("span", { "aria-hidden": "true", class: "quizkit-mark__icon" }, mark.icon),
      element("span", { class: "quizkit-visually-hidden" }, mark.text(state)));
    if (old) old.replaceWith(node);
    else label.insertBefore(node, label.querySelector(":scope > .md-nav__icon"));
  }
}

/** On a lesson: the "read" control at the end of its text, and the automatic read mark. */
function trackReading(course, lesson, api) {
  const article = document.querySelector("article.md-content__inner") ?? document.querySelector(".md-content");
  if (!article || article.querySelector("[data-quizkit-read]")) return;
  const status = element("span", { "data-role": "read-status" });
  const button = element("button", { type: "button", class: "quizkit-action", "data-action": "toggle-read" });
  const box = element("div", { class: "quizkit-read", "data-quizkit-read": "" }, status, " ", button);
  article.append(box);
  let automatic = true;
  const show = () => {
    const read = Object.hasOwn(readMarks(course), lesson.url);
    box.dataset.read = String(read);
    status.textContent = read ? "✓ You have read this lesson." : "";
    button.textContent = read ? "Mark as not read" : "Mark this lesson as read";
    return read;
  };
  button.addEventListener("click", () => {
    const read = !show();
    automatic = false; // the reader decides for this visit
    api.markRead(lesson.url, read);
    status.setAttribute("role", "status");
    show();
  });
  document.addEventListener("quizkit:saved", show);
  if (show()) return;

  let endSeen = false;
  let seconds = 0;
  const check = () => {
    if (!automatic || Object.hasOwn(readMarks(course), lesson.url)) {
      clearInterval(timer);
      show();
      return;
    }
    if (endSeen && seconds >= course.readSeconds) {
      clearInterval(timer);
      api.markRead(lesson.url, true);
      show();
    }
  };
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") seconds += 1;
    check();
  }, 1000);
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        endSeen = true;
        observer.disconnect();
        check();
      }
    });
    observer.observe(box);
  } else {
    endSeen = true;
  }
}

function start() {
  const course = readCourse();
  if (!course) return;
  migrate(course);
  const api = (window.quizkit ??= {});
  const progress = {
    course,
    states: () => states(course),
    markRead: (url, read) => markRead(course, url, read),
    refresh: () => {},
    migrate: (options) => migrate(course, options),
    keys: () => ownKeys(course),
    readJson,
    writeJson,
    remove,
    replaceEntries,
    schema: SCHEMA,
    prefix: prefixOf(course),
    filePrefix: SCHEMA_PREFIX,
  };
  api.progress = progress;
  let pending = false;
  const listeners = [];
  progress.onChange = (listener) => listeners.push(listener);
  progress.refresh = () => {
    const all = states(course);
    markNavigation(course, all);
    for (const listener of listeners) listener(all);
    return all;
  };
  const later = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      progress.refresh();
    }, 50);
  };
  document.addEventListener("quizkit:saved", later);
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith("quizkit:")) later();
  });
  window.addEventListener("pageshow", later);
  progress.refresh();

  const here = course.lessons.find((lesson) => lesson.url === course.page);
  if (here) trackReading(course, here, progress);

  const asset = (name) => new URL(name + version, import.meta.url).href;
  const root = document.querySelector("[data-quizkit-progress]");
  if (root) {
    import(asset("progress-page.js"))
      .then((module) => module.mount(root, progress))
      .catch((error) => console.error("quizkit: the progress page could not start", error));
  }
  if (course.offline && "serviceWorker" in navigator) {
    const register = () => import(asset("offline.js"))
      .then((module) => module.start(course))
      .catch((error) => console.error("quizkit: offline use could not start", error));
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
