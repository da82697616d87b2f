// The Progress page (`{{ progress() }}`): every lesson's state, the overall percentage, what to do next,
// and the reader's data: export to one JSON file, import it (checked, all or nothing), reset (confirmed).
//
// Loaded by progress.js, which passes its API (storage helpers, states, migrate); nothing here runs
// on other pages.
//
// The exported file:
//   {"format": "quizkit-progress", "version": 1, "course": <site name>, "build": <course build>,
//    "exported": <ISO date>, "quizzes": {<id>: <grading hash>}, "data": {<localStorage key>: <value>}}
// `data` holds every entry of this course but the meta record: exercise code and verdicts, quiz answers and
// best scores, activity answers, read marks. Its keys are `quizkit:v1:<name>` (`api.filePrefix`), without the
// site's path that localStorage keys hold (`api.prefix`, progress.js): a file made on user.github.io/a/ imports
// into a copy of the course anywhere, and files of builds before that path was in the keys still import. Each
// entry holds the fields its widget stores and nothing else (`clean`): a field quizkit does not know is dropped
// on export and on import.
//
// Import is all or nothing: the file is checked whole first, then the storage is checked for room
// (what the new entries need beyond what the old ones free), then the entries are replaced; a write
// that fails puts the previous entries back exactly (progress.js `replaceEntries`).

const FORMAT = "quizkit-progress";
const MAX_FILE_BYTES = 5_000_000;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// ---------------------------------------------------------------- the table, the summary, the next step

function cells(state) {
  const exercises = state.exercises.length
    ? `${state.exercises.filter((e) => e.passed).length} of ${state.exercises.length}`
    : "none";
  const quizzes = state.quizzes.length
    ? state.quizzes.map((q) => (q.best === null ? "not taken" : `${q.best} of ${q.questions}`)).join("; ")
    : "none";
  const text = { complete: "Complete", started: `In progress: ${state.done} of ${state.total} steps`, new: "Not started" }[state.state];
  // On a phone the four columns fold into one line under the lesson's title (progress.css).
  const compact = [text, `read: ${state.read ? "yes" : "no"}`];
  if (state.exercises.length) compact.push(`exercises: ${exercises}`);
  if (state.quizzes.length) compact.push(`quiz: ${quizzes}`);
  return { read: state.read ? "yes" : "no", exercises, quizzes, state: text, compact: compact.join(" · ") };
}

/**
 * The first step not done, in course order: [text before the lesson's link, the lesson's state, text after,
 * and for an exercise the id the link goes to in the page]. Exercises are optional: offered once every step is done.
 */
export function nextStep(all) {
  for (const state of all) {
    const quiz = state.quizzes.find((q) => q.best === null);
    // A page of quizzes only (the final quiz) is opened to take them, not read.
    const quizPage = !state.lesson.activity && !state.exercises.length && state.quizzes.length > 0;
    if (!state.read && quizPage) return ["Open ", state, quiz ? " and answer its questions." : " and read it to the end."];
    // A lesson is read first; on the activity's page the analysis comes first.
    if (!state.read && !state.lesson.activity) return ["Read ", state, "."];
    if (quiz) return [`Take the quiz “${quiz.title}” in `, state, "."];
    if (state.lesson.activity && !state.activity) return ["Run the analysis of ", state, "."];
    if (!state.read) return ["Read ", state, "."];
  }
  for (const state of all) {
    const exercise = state.exercises.find((e) => !e.passed);
    if (exercise) return [`If you like, pass the optional exercise “${exercise.title}” in `, state, ".", `exercise-${exercise.id}`];
  }
  return null;
}

/** A progress bar (progress.py `_bar`, role=progressbar) at `done` of `total` steps: its value, its words, its fill. */
function fill(bar, done, total) {
  if (!bar) return;
  bar.setAttribute("aria-valuemax", String(total));
  bar.setAttribute("aria-valuenow", String(done));
  bar.setAttribute("aria-valuetext", `${done} of ${plural(total, "step")}`);
  bar.querySelector(".quizkit-progress__fill").style.width = `${total ? (100 * done) / total : 0}%`;
}

function render(root, api, all) {
  const course = api.course;
  for (const state of all) {
    const row = [...root.querySelectorAll("tr[data-lesson]")].find((r) => r.dataset.lesson === state.lesson.url);
    if (!row) continue;
    row.dataset.state = state.state;
    for (const [name, text] of Object.entries(cells(state))) {
      const cell = row.querySelector(`[data-cell="${name}"]`);
      if (cell) cell.textContent = text;
    }
    fill(row.querySelector("[data-role=bar]"), state.done, state.total);
  }
  const done = all.reduce((n, s) => n + s.done, 0);
  const total = all.reduce((n, s) => n + s.total, 0);
  const percent = total ? Math.floor((100 * done) / total) : 0;
  fill(root.querySelector("[data-role=course-bar]"), done, total);
  const complete = all.filter((s) => s.state === "complete").length;
  const summary = root.querySelector("[data-role=summary]");
  summary.dataset.percent = String(percent);
  summary.replaceChildren(
    element("strong", {}, `${percent}% of the course done`),
    `: ${plural(done, "step")} of ${total}, ${plural(complete, "lesson")} of ${all.length} complete.`,
  );
  const next = root.querySelector("[data-role=next]");
  const step = nextStep(all);
  next.hidden = false;
  if (!step) {
    next.textContent = "You have completed the whole course. Well done!";
    next.dataset.next = "";
    return;
  }
  const [before, state, after, target] = step;
  const link = element("a", { href: new URL(state.lesson.url + (target ? `#${target}` : ""), course.root).href }, state.lesson.title);
  next.replaceChildren(element("strong", {}, "Next: "), before, link, after);
  next.dataset.next = state.lesson.url;
}

// ---------------------------------------------------------------- export, import, reset

/** This course's stored entries (in localStorage), but its meta record. */
function dataKeys(api) {
  return api.keys().filter((key) => key.startsWith(api.prefix) && key !== `${api.prefix}meta`);
}

/** A stored entry's key in a file, and back (see the top of this file). */
const fileKey = (api, key) => api.filePrefix + key.slice(api.prefix.length);
const storedKey = (api, key) => api.prefix + key.slice(api.filePrefix.length);

export function exportData(api) {
  const data = {};
  for (const key of dataKeys(api).sort()) {
    const value = clean(api, fileKey(api, key), api.readJson(key));
    if (value !== null) data[fileKey(api, key)] = value;
  }
  return {
    format: FORMAT,
    version: api.schema,
    course: api.course.course,
    build: api.course.build,
    exported: new Date().toISOString(),
    quizzes: api.course.items.quizzes,
    data,
  };
}

// ---------------------------------------------------------------- what the widgets store

const EXERCISE_STATUSES = new Set(["", "passed", "failed", "error", "timeout", "stopped"]); // exercise/store.js
const STARTER_HASH = /^[0-9a-f]{8}$/;
const PROFILE_FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const isCount = (value) => Number.isInteger(value) && value >= 0;
const isAnswer = (value) => typeof value === "string" || (typeof value === "number" && Number.isFinite(value))
  || typeof value === "boolean" || (Array.isArray(value) && value.every((item) => typeof item === "string"))
  || (isObject(value) && Object.entries(value).every(([k, v]) => ID.test(k) && typeof v === "string")); // a match question

/** Only the own fields of `value` named in `checks`, each kept if its check passes. */
function known(value, checks) {
  const kept = {};
  for (const [name, check] of Object.entries(checks)) if (Object.hasOwn(value, name) && check(value[name])) kept[name] = value[name];
  return kept;
}

/** exercise/store.js: {code, status, hintsShown, failures, solved, starterHash, checkedHash}. */
const cleanExercise = (value) => known(value, {
  code: (v) => typeof v === "string",
  status: (v) => EXERCISE_STATUSES.has(v),
  hintsShown: isCount,
  failures: isCount,
  solved: (v) => typeof v === "boolean",
  starterHash: (v) => typeof v === "string" && STARTER_HASH.test(v),
  checkedHash: (v) => typeof v === "string" && STARTER_HASH.test(v),
});

/** quiz.js: {answers: {<question id>: answer}, submitted, best, seed, variants, words, missed, review}. */
function cleanQuiz(value) {
  const kept = known(value, {
    submitted: (v) => typeof v === "boolean",
    best: (v) => v === null || isCount(v),
    seed: (v) => isCount(v) && v <= 0xffffffff, // the attempt's seed: its variants and option order
    variants: (v) => isObject(v) && Object.entries(v).every(([k, n]) => ID.test(k) && isCount(n)),
    words: (v) => isObject(v) && Object.entries(v).every(([k, w]) => ID.test(k) && typeof w === "string" && /^[0-9a-z]{1,8}$/.test(w)),
    missed: (v) => Array.isArray(v) && v.every((m) => isObject(m) && ID.test(m.id) && typeof m.text === "string"
      && Object.keys(m).length === 2),
    review: (v) => v === null || (Array.isArray(v) && v.every((id) => typeof id === "string" && ID.test(id))),
  });
  if (isObject(value.answers)) {
    kept.answers = Object.fromEntries(Object.entries(value.answers).filter(([id, answer]) => ID.test(id) && isAnswer(answer)));
  }
  return kept;
}

/** progress.js: {version: 1, pages: {<lesson url>: <ISO date>}}. */
function cleanRead(value) {
  const pages = isObject(value.pages) ? Object.entries(value.pages).filter(([, when]) => typeof when === "string") : [];
  return { version: 1, pages: Object.fromEntries(pages) };
}

/**
 * activity/widget.js: {version: 1, profile: {sections: {<id>: <status>}, plan, <number field>: number | ""}, analysed,
 * refused?} (refused: the analysis turned a value down, and says why again after a reload).
 * The number fields come from the rules and are not known on this page: any lower-case name holding
 * a number (or "" for empty) is kept; the activity reads only its own.
 */
function cleanActivity(value) {
  const kept = known(value, { version: (v) => v === 1, analysed: (v) => typeof v === "boolean", refused: (v) => v === true });
  const given = isObject(value.profile) ? value.profile : {};
  const profile = {};
  if (isObject(given.sections)) {
    profile.sections = Object.fromEntries(Object.entries(given.sections).filter(([id, status]) => ID.test(id) && typeof status === "string" && ID.test(status)));
  }
  if (typeof given.plan === "string" && ID.test(given.plan)) profile.plan = given.plan;
  for (const [name, field] of Object.entries(given)) {
    if (name === "sections" || name === "plan" || !PROFILE_FIELD.test(name)) continue;
    if (field === "" || (typeof field === "number" && Number.isFinite(field))) profile[name] = field;
  }
  return { ...kept, profile };
}

/** The entry (its key as in a file) with only the fields its widget stores, or null for an entry quizkit does not know. */
export function clean(api, key, value) {
  if (!key.startsWith(api.filePrefix) || !isObject(value)) return null;
  const rest = key.slice(api.filePrefix.length);
  if (rest === "read") return cleanRead(value);
  if (rest === "activity") return cleanActivity(value);
  const [kind, id] = [rest.slice(0, rest.indexOf(":")), rest.slice(rest.indexOf(":") + 1)];
  if (!ID.test(id)) return null;
  if (kind === "exercise") return cleanExercise(value);
  if (kind === "quiz") return cleanQuiz(value);
  return null;
}

/** What is wrong with one entry of a file, or "". */
function entryProblem(api, key, value) {
  const rest = key.slice(api.filePrefix.length);
  if (!key.startsWith(api.filePrefix)) return `an entry of another kind (${key})`;
  if (!isObject(value)) return `the entry ${key} is not an object`;
  if (rest === "read") {
    if (value.version !== 1 || !isObject(value.pages)) return "the read marks are malformed";
    return Object.values(value.pages).every((v) => typeof v === "string") ? "" : "the read marks are malformed";
  }
  if (rest === "activity") return isObject(value.profile) ? "" : "the activity answers are malformed";
  const [kind, id] = [rest.slice(0, rest.indexOf(":")), rest.slice(rest.indexOf(":") + 1)];
  if (!ID.test(id) || (kind !== "exercise" && kind !== "quiz")) return `an entry quizkit does not know (${key})`;
  if (kind === "exercise") {
    if ("code" in value && typeof value.code !== "string") return `the code of the exercise “${id}” is not text`;
    return "";
  }
  if ("answers" in value && !isObject(value.answers)) return `the answers of the quiz “${id}” are malformed`;
  if ("best" in value && value.best !== null && !Number.isInteger(value.best)) return `the best score of the quiz “${id}” is not a number`;
  return "";
}

/** {file} when `text` is a progress file of this course, else {problems: [...]}; nothing is written. */
export function readFile(api, text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    return { problems: ["it is not a JSON file."] };
  }
  if (!isObject(file) || file.format !== FORMAT) {
    return { problems: ["it is not a progress file (one made with “Export progress”)."] };
  }
  if (!Number.isInteger(file.version) || file.version < 1) return { problems: ["its version is missing or malformed."] };
  if (file.version > api.schema) {
    return { problems: [`it was made by a newer version of the course (format ${file.version}); reload this page to get the newest version, then import again.`] };
  }
  if (file.course !== api.course.course) {
    const other = typeof file.course === "string" ? `“${file.course}”` : "another course";
    return { problems: [`it holds the progress of ${other}, not of “${api.course.course}”.`] };
  }
  if (!isObject(file.data)) return { problems: ["it holds no progress data."] };
  const problems = Object.entries(file.data).map(([key, value]) => entryProblem(api, key, value)).filter(Boolean);
  if (problems.length) return { problems };
  const data = Object.fromEntries(Object.entries(file.data).map(([key, value]) => [key, clean(api, key, value)]));
  return { file: { ...file, data } };
}

/**
 * Replace the stored progress by `data` (keys as in a file), all or nothing (see progress.js `replaceEntries`).
 * Only this course's entries are replaced: another course's on the same origin stay as they are.
 */
function replaceAll(api, data) {
  return api.replaceEntries(dataKeys(api), Object.fromEntries(Object.entries(data).map(([key, value]) => [storedKey(api, key), value])));
}

/** Why a replacement failed, in words that follow "your progress is unchanged: ". */
function failure(result) {
  if (result.reason !== "full") return "this browser refused to store it.";
  if (result.needed) {
    const kb = Math.max(1, Math.ceil(result.needed / 1024)); // characters, a byte each for most text
    return `this browser's storage for this site is full (the file needs about ${kb} KB more than is free).`;
  }
  return "this browser's storage for this site became full while importing.";
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = element("a", { href: url, download: name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "course";
}

// ---------------------------------------------------------------- review of missed questions (quiz.js stores them)
//
// quiz.js keeps, with each quiz's answers, the questions missed in its latest attempt:
// `missed: [{id, text}]` (a Review there updates it). This section lists them under
// [data-role=review], one link per missed question (to its card: #quizkit-<quiz>-<question>),
// and one "Review" link per quiz that opens it in Review mode (?quizkit-review=<quiz id>).

function missedOf(api, quiz) {
  const stored = api.readJson(`${api.prefix}quiz:${quiz.id}`);
  if (!isObject(stored) || !Array.isArray(stored.missed)) return [];
  return stored.missed.filter((m) => isObject(m) && typeof m.id === "string" && ID.test(m.id) && typeof m.text === "string");
}

function renderReview(section, api, all) {
  const list = element("div", { class: "quizkit-progress__review-list" });
  let count = 0;
  for (const state of all) {
    for (const quiz of state.quizzes) {
      const missed = missedOf(api, quiz);
      if (!missed.length) continue;
      count += missed.length;
      const page = new URL(state.lesson.url, api.course.root);
      const review = new URL(page);
      review.searchParams.set("quizkit-review", quiz.id);
      review.hash = `quizkit-quiz-${quiz.id}`;
      const items = missed.map((m) => {
        const link = new URL(page);
        link.hash = `quizkit-${quiz.id}-${m.id}`;
        return element("li", {}, element("a", { href: link.href, "data-question": m.id }, m.text || m.id));
      });
      const title = element("p", { class: "quizkit-progress__review-quiz" }, element("strong", {}, quiz.title), ": ",
        `${plural(missed.length, "question")} missed in your latest attempt. `,
        element("a", { href: review.href, "data-action": "review", "data-quiz": quiz.id },
          missed.length === 1 ? "Review it" : `Review these ${missed.length}`));
      list.append(element("div", { "data-quiz": quiz.id }, title, element("ul", {}, ...items)));
    }
  }
  if (!count) list.append(element("p", {}, "No missed questions to review: the questions you miss in a quiz appear here."));
  section.dataset.count = String(count);
  section.replaceChildren(element("h2", { id: "questions-to-review" }, "Questions to review"), list);
}

function mountReview(root, api) {
  if (root.querySelector("[data-role=review]")) return;
  const section = element("section", { class: "quizkit-progress__review", "data-role": "review",
    "aria-labelledby": "questions-to-review" });
  const before = root.querySelector("#your-data");
  if (before) before.before(section);
  else root.append(section);
  api.onChange((all) => renderReview(section, api, all));
  renderReview(section, api, api.states());
}

// ---------------------------------------------------------------- review of missed questions: end

// ---------------------------------------------------------------- mount

export function mount(root, api) {
  if (root.dataset.mounted) return;
  const find = (selector) => root.querySelector(selector);
  const notice = find("[data-role=notice]");
  const dialog = find("[data-role=confirm-reset]");
  const importInput = find("[data-action=import]");
  let undo = null;

  const say = (text, { status = "info", offerUndo = false } = {}) => {
    notice.dataset.status = status;
    notice.replaceChildren(element("span", {}, text));
    if (offerUndo) {
      const button = element("button", { type: "button", class: "quizkit-progress__link", "data-action": "undo" }, "Undo");
      notice.append(" ", button);
    }
  };
  const changed = () => {
    api.refresh(); // the table and the marks at once, before the notice is read
    document.dispatchEvent(new CustomEvent("quizkit:saved", { detail: { key: api.prefix } }));
  };

  const actions = {
    export: () => {
      const data = exportData(api);
      const day = data.exported.slice(0, 10);
      const name = `${slug(api.course.course)}-progress-${day}.json`;
      download(name, `${JSON.stringify(data, null, 2)}\n`);
      say(`Your progress was downloaded as ${name}. Import that file on the Progress page of another browser to continue there.`);
    },
    reset: () => {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else if (window.confirm("Erase all your progress in this browser? This cannot be undone.")) actions["confirm-reset"]();
    },
    "cancel-reset": () => {
      dialog.close?.();
      say("Nothing was erased.");
    },
    "confirm-reset": () => {
      dialog.close?.();
      for (const key of api.keys()) api.remove(key); // this course's only (progress.js `ownKeys`)
      undo = null;
      api.migrate({ force: true, previous: null });
      changed();
      say("All your progress in this browser was erased.");
    },
    undo: () => {
      if (!undo) return;
      const result = replaceAll(api, undo);
      if (!result.ok) {
        say(`Your previous progress could not be put back, and the imported progress is unchanged: ${failure(result)}`,
          { status: "error", offerUndo: result.restored });
        return;
      }
      undo = null;
      changed();
      say("Your previous progress is back.");
    },
  };

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || button.disabled || !root.contains(button)) return;
    actions[button.dataset.action]?.();
  });
  dialog.addEventListener("cancel", () => say("Nothing was erased."));

  importInput.addEventListener("change", async () => {
    const file = importInput.files?.[0];
    if (!file) return;
    let text = null;
    try {
      if (file.size <= MAX_FILE_BYTES) text = await file.text();
    } catch {
      text = null;
    }
    importInput.value = "";
    const read = text === null ? { problems: ["it could not be read (is it larger than 5 MB?)."] } : readFile(api, text);
    if (read.problems) {
      const shown = read.problems.slice(0, 3).join(" ");
      const more = read.problems.length > 3 ? ` And ${read.problems.length - 3} more.` : "";
      say(`“${file.name}” was not imported, and your progress is unchanged: ${shown}${more}`, { status: "error" });
      return;
    }
    const previous = exportData(api).data;
    const result = replaceAll(api, read.file.data);
    if (!result.ok) {
      say(result.restored
        ? `“${file.name}” was not imported, and your progress is unchanged: ${failure(result)}`
        : `“${file.name}” was not imported, and part of your previous progress could not be put back: ${failure(result)}`,
      { status: "error", offerUndo: !result.restored });
      if (!result.restored) {
        undo = previous;
        changed();
      }
      return;
    }
    undo = previous;
    api.migrate({ force: true, previous: { build: read.file.build, quizzes: isObject(read.file.quizzes) ? read.file.quizzes : {} } });
    changed();
    const when = typeof read.file.exported === "string" ? ` (exported ${read.file.exported.slice(0, 10)})` : "";
    say(`Your progress was imported from “${file.name}”${when}; it replaced the progress in this browser.`, { offerUndo: true });
  });

  api.onChange((all) => render(root, api, all));
  render(root, api, api.states());
  mountReview(root, api); // the review of missed questions (its own section above)

  const offline = find("[data-role=offline]");
  // Python is kept only once a page has started it and it is ready (offline.js): opening an exercise's page
  // is not enough where Python waits for the reader (a link not known to be fast, Save-Data), but Run is.
  const showOffline = () => {
    const { state, python } = window.quizkit?.offline ?? {};
    offline.textContent = {
      ready: python
        ? "Offline use: the whole course, Python included, is kept in this browser; it opens without a network."
        : "Offline use: the course is kept in this browser; it opens without a network. Python, for the exercises, "
          + "is kept once it has run in this browser: press Run on any exercise while online.",
      installing: "Offline use: the course is being saved in this browser…",
      error: "Offline use: the course could not be saved in this browser; it needs the network.",
      unsupported: "Offline use: this browser cannot keep the course for offline use.",
    }[state] ?? "";
  };
  document.addEventListener("quizkit:offline", showOffline);
  showOffline();

  for (const control of root.querySelectorAll("[data-action][disabled]")) control.disabled = false;
  root.dataset.mounted = "true";
}
