// Quiz widget: builds an accessible form from the compiled quiz the quizkit plugin embeds in the page.
//
// Contract (see quizkit/plugin/quiz_embed.py): `.quizkit-quiz-host[data-quizkit-quiz]`
// holds `<script type="application/json" class="quizkit-data">` with the output of
// `quizkit.quiz.compile_quiz` (keys included, every variant of a parameterised question
// under `variants`), each question's `section` resolved to `{href, title}`. Grading here
// follows `quizkit.quiz.grade_attempt` rule for rule: single = the option id, multiple =
// exactly the set of correct ids, true_false = the boolean, numeric = within the tolerance
// + 1e-9 (a wrong number that close to a known mistake's answer gets that mistake's feedback),
// match = every line's choice, order = the item ids in order; anything odd counts as unanswered.
// The seeded numbers (option order, variant drawn) follow `quizkit.variants` to the bit.
// No Python runs on a quiz page.
//
// A reader's attempt has a seed (drawn here, kept with the answers): it picks each
// question's variant and the order of its options; reloading keeps it, "Try again" and
// "Review" draw a new one.
//
// Stable hooks: form.quizkit-quiz[data-quiz-id][data-seed], [data-question-id] (with
// [data-variant] when the question has variants, [data-question-type=match|order]),
// [data-action=submit], [data-action=retry], [data-action=review],
// [data-role=score][data-score][data-total], [data-role=feedback][data-correct],
// [data-role=notice] (saved answers that were dropped), [data-role=storage-notice] (answers this browser
// did not save). A page URL with `?quizkit-review=<quiz id>` opens that quiz in Review mode.
//
// Answers are kept in localStorage under quizkit:v1:<site path>:quiz:<id>: the site's path keeps two courses
// on one origin apart (exercise/store.js and progress.js keep the same keys).

const SCHEMA_PREFIX = "quizkit:v1:";
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const UNITS = /^(?:US)?\$\s*|^USD\s*|\s*(?:US\$|USD|\$|dollars?|connects?|%)$/gi; // "$13.50", "USD 13.50", "120 Connects"
const GROUPED = /^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?$/; // commas grouping thousands: "1,200.50"
const DECIMAL_COMMA = /^[+-]?\d+,\d{1,2}$/; // one comma before one or two digits: "13,50" (a phone's decimal key in many languages)
const VARYING = ["text", "explanation", "options", "key", "feedback", "items", "choices", "mistakes"];
const MISSED_TEXT = 160;
let counter = 0;

// ---------------------------------------------------------------- seeded numbers (mirror quizkit.variants)

/** 32-bit FNV-1a of ASCII text: like `quizkit.variants.fnv1a`. */
export function fnv1a(text) {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i) & 0xff;
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value >>> 0;
}

/** Seeded floats in [0, 1): like `quizkit.variants.mulberry32`. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1) >>> 0;
    t = ((t + (Math.imul(t ^ (t >>> 7), t | 61) >>> 0)) >>> 0) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function stream(seed, ...labels) {
  return mulberry32(fnv1a([String(seed >>> 0), ...labels].join("|")));
}

/** Authored indexes in shown order; pinned ones stay: like `quizkit.variants.shuffle_order`. */
export function shuffleOrder(pinned, seed, questionId) {
  const draw = stream(seed, questionId, "order");
  const free = pinned.map((pin, i) => (pin ? -1 : i)).filter((i) => i >= 0);
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [free[i], free[j]] = [free[j], free[i]];
  }
  let next = 0;
  return pinned.map((pin, i) => (pin ? i : free[next++]));
}

export function variantIndex(seed, questionId, count) {
  return count > 1 ? Math.floor(stream(seed, questionId, "variant")() * count) : 0;
}

/** An order question's starting order, never the answer: like `quizkit.quiz.start_order`. */
export function startOrder(count, seed, questionId) {
  const order = shuffleOrder(new Array(count).fill(false), seed, questionId);
  return order.every((value, i) => value === i) ? [...order.slice(1), order[0]] : order;
}

/** [variant index or null, the question with that variant's texts and key]: like `quizkit.quiz.variant`. */
export function variantOf(question, seed) {
  const variants = question.variants;
  if (!Array.isArray(variants) || variants.length === 0) return [null, question];
  const index = seed === null ? 0 : variantIndex(seed, question.id, variants.length);
  const chosen = {};
  for (const name of VARYING) if (Object.hasOwn(variants[index], name)) chosen[name] = variants[index][name];
  return [index, { ...question, ...chosen }];
}

/** The questions as shown to the reader with `seed`: like `quizkit.quiz.presented`. */
export function presented(quiz, seed) {
  return quiz.questions.map((question) => {
    const [index, q] = variantOf(question, seed);
    const shown = { ...q, variant: index };
    const shuffle = q.shuffle !== false;
    if ((q.type === "single" || q.type === "multiple") && shuffle) {
      shown.options = shuffleOrder(q.options.map((o) => Boolean(o.pin)), seed, q.id).map((i) => q.options[i]);
    } else if (q.type === "match" && shuffle) {
      shown.items = shuffleOrder(q.items.map(() => false), seed, q.id).map((i) => q.items[i]);
    } else if (q.type === "order") {
      shown.items = startOrder(q.items.length, seed, q.id).map((i) => q.items[i]);
    }
    return shown;
  });
}

function newSeed() {
  const values = new Uint32Array(1);
  window.crypto.getRandomValues(values);
  return values[0];
}

// ---------------------------------------------------------------- grading (mirrors quizkit.quiz)

const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/i; // "1st", "29th": day questions say days that way

/** The question's own unit typed after the number ("20 days", "1 day", "2 proposals"): like `quizkit.quiz._unit_words`. */
function unitWords(unit) {
  const words = String(unit || "").trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const stem = words[0].endsWith("s") ? words[0].slice(0, -1) : words[0];
  return new RegExp(`\\s*(?:${escape(words.join(" "))}|${escape(stem)}s?)$`, "i");
}

/** A numeric answer as a finite number, or null: like `quizkit.quiz._number`. */
function toNumber(answer, unit = "") {
  if (typeof answer === "number") return Number.isFinite(answer) ? answer : null;
  if (typeof answer !== "string") return null;
  let text = answer.trim().replace(UNITS, "");
  const words = unitWords(unit);
  if (words) text = text.replace(words, "");
  text = text.replace(ORDINAL, "$1");
  if (DECIMAL_COMMA.test(text)) text = text.replace(",", ".");
  else if (text.includes(",")) {
    if (!GROUPED.test(text)) return null;
    text = text.replaceAll(",", "");
  }
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

const notes = (...parts) => parts.filter(Boolean).join(" ");
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** {answered, correct, feedback} for one answer: like `quizkit.quiz._judge`. */
export function judge(question, answer) {
  const none = { answered: false, correct: false, feedback: "" };
  const feedback = question.feedback || {};
  const options = new Map((question.options || []).map((option) => [option.id, option]));
  switch (question.type) {
    case "single":
      if (typeof answer !== "string" || !options.has(answer)) return none;
      return { answered: true, correct: answer === question.key, feedback: options.get(answer).feedback };
    case "multiple": {
      if (!Array.isArray(answer) || answer.length === 0) return none;
      if (!answer.every((id) => typeof id === "string" && options.has(id))) return none;
      const chosen = new Set(answer);
      const key = new Set(question.key);
      const correct = chosen.size === key.size && [...chosen].every((id) => key.has(id));
      const picked = question.options.filter((o) => chosen.has(o.id) && o.feedback).map((o) => o.feedback);
      return { answered: true, correct, feedback: picked.join(" ") };
    }
    case "true_false":
      if (typeof answer !== "boolean") return none;
      return { answered: true, correct: answer === question.key, feedback: feedback[String(answer)] || "" };
    case "match": {
      const choices = new Set(question.choices.map((c) => c.id));
      const entries = isObject(answer) ? Object.entries(answer) : [];
      if (!entries.length || !entries.every(([item, choice]) => Object.hasOwn(question.key, item)
        && typeof choice === "string" && choices.has(choice))) return none;
      const wrong = question.items.filter((item) => answer[item.id] !== question.key[item.id]);
      if (!wrong.length) return { answered: true, correct: true, feedback: feedback.correct || "" };
      const count = `${question.items.length - wrong.length} of ${question.items.length} matched rightly.`;
      return { answered: true, correct: false, feedback: notes(count, ...wrong.map((item) => item.feedback), feedback.incorrect) };
    }
    case "order": {
      const key = question.key;
      if (!Array.isArray(answer) || !answer.every((id) => typeof id === "string")) return none;
      const sorted = (list) => JSON.stringify([...list].sort());
      if (sorted(answer) !== sorted(key)) return none;
      const placed = answer.filter((id, i) => id === key[i]).length;
      if (placed === key.length) return { answered: true, correct: true, feedback: feedback.correct || "" };
      return { answered: true, correct: false, feedback: notes(`${placed} of ${key.length} in the right place.`, feedback.incorrect) };
    }
    case "numeric": {
      const value = toNumber(answer, question.unit);
      if (value === null) return none;
      const near = (question.tolerance || 0) + 1e-9;
      if (Math.abs(value - question.key) <= near) return { answered: true, correct: true, feedback: feedback.correct || "" };
      // A known mistake's answer: its own feedback names the mistake.
      const named = (question.mistakes || []).find((mistake) => Math.abs(value - mistake.value) <= near);
      return { answered: true, correct: false, feedback: named ? named.feedback : feedback.incorrect || "" };
    }
    default:
      return none;
  }
}

/** The score of `answers` (question id -> answer) for the reader with `seed`: like `quizkit.quiz.grade_attempt`. */
export function grade(quiz, answers, seed = null, only = null) {
  const safe = isObject(answers) ? answers : {};
  const asked = only ? quiz.questions.filter((q) => only.includes(q.id)) : quiz.questions;
  const questions = asked.map((question) => {
    const [variant, q] = variantOf(question, seed);
    return { id: q.id, variant, ...judge(q, Object.hasOwn(safe, q.id) ? safe[q.id] : null) };
  });
  return { score: questions.filter((q) => q.correct).length, total: questions.length, questions };
}

// ---------------------------------------------------------------- storage

let scope = null;

/**
 * This course's prefix, `quizkit:v1:<site path>:`, and its name (exercise/store.js `coursePrefix`, progress.js
 * `readCourse`: the same eight lines, kept alike by tests/test_stored_keys.py and test_stored_data.py's two courses
 * on one origin). A copy rather than a shared module: quiz.js and progress.js ship as written (a render-blocking
 * module and the every-page script), so sharing would add a request to every page, an import that must carry this
 * build's `?v=` (a plain URL may come from another build's HTTP cache for a day), and a file to the service
 * worker's versions, the SCORM package and the site's file list; exercise/store.js is bundled into its widgets.
 */
function courseScope() {
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
  return scope;
}

function storageKey(quiz) {
  return `${courseScope().prefix}quiz:${quiz.id}`;
}

/**
 * The stored text of the quiz's answers, or null. An entry kept before keys held the site's path
 * (`quizkit:v1:quiz:<id>`) is read while the meta kept with it names this course (progress.js moves it).
 */
function storedText(quiz) {
  const store = window.localStorage;
  const own = store.getItem(storageKey(quiz));
  if (own !== null) return own;
  const meta = JSON.parse(store.getItem(`${SCHEMA_PREFIX}meta`) || "null");
  const { course } = courseScope();
  return typeof course === "string" && meta?.course === course ? store.getItem(`${SCHEMA_PREFIX}quiz:${quiz.id}`) : null;
}

/** A stored answer if it still fits the question as shown, else undefined. */
function validAnswer(question, answer) {
  const ids = new Set((question.options || []).map((o) => o.id));
  switch (question.type) {
    case "single":
      return typeof answer === "string" && ids.has(answer) ? answer : undefined;
    case "multiple":
      return Array.isArray(answer) && answer.every((id) => typeof id === "string" && ids.has(id)) ? answer : undefined;
    case "true_false":
      return typeof answer === "boolean" ? answer : undefined;
    case "numeric":
      return (typeof answer === "string" || typeof answer === "number") && toNumber(answer, question.unit) !== null ? String(answer) : undefined;
    case "match":
    case "order":
      return judge(question, answer).answered ? answer : undefined;
    default:
      return undefined;
  }
}

const isSeed = (value) => Number.isInteger(value) && value >= 0 && value <= 0xffffffff;

/**
 * A short fingerprint of a question as shown: its type, words, options, items, choices and key. Saved with each
 * answer, so that an answer given to other words is not graded against these: a build that rewrote a true/false
 * statement under the same id (and the same variant) graded the reader's old "false" against the new statement.
 */
export function wordsOf(shown) {
  const named = (list) => (Array.isArray(list) ? list.map((item) => [item?.id, item?.text]) : null);
  const text = JSON.stringify([shown.type, shown.text, named(shown.options), named(shown.items), named(shown.choices), shown.key]);
  let hash = 0x811c9dc5; // FNV-1a, 32 bits: enough to tell one wording from the next
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/**
 * What was stored for this quiz. Malformed data is ignored silently; answers of an earlier version
 * of a question that no longer fit it (an option gone, another variant, other words) are dropped and listed in `dropped`.
 */
function load(quiz) {
  let raw;
  try {
    raw = JSON.parse(storedText(quiz) || "null");
  } catch {
    raw = null;
  }
  if (!isObject(raw)) raw = {};
  const seed = isSeed(raw.seed) ? raw.seed : null;
  const stored = isObject(raw.answers) ? raw.answers : {};
  const storedVariants = isObject(raw.variants) ? raw.variants : {};
  const storedWords = isObject(raw.words) ? raw.words : {}; // none before session 36: then the words are not known
  const answers = {};
  const dropped = [];
  quiz.questions.forEach((question, i) => {
    if (!Object.hasOwn(stored, question.id) || stored[question.id] === null) return;
    const [variant, shown] = variantOf(question, seed ?? 0);
    const sameVariant = variant === null || (seed !== null && storedVariants[question.id] === variant);
    const sameWords = !Object.hasOwn(storedWords, question.id) || storedWords[question.id] === wordsOf(shown);
    const answer = sameVariant && sameWords ? validAnswer(shown, stored[question.id]) : undefined;
    if (answer !== undefined) answers[question.id] = answer;
    else if (seed !== null || variant !== null) dropped.push(i); // a malformed answer of no attempt is not news
  });
  const total = quiz.questions.length;
  const best = Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= total ? raw.best : null;
  const known = new Set(quiz.questions.map((q) => q.id));
  const missed = Array.isArray(raw.missed)
    ? raw.missed.filter((m) => isObject(m) && known.has(m.id) && typeof m.text === "string") : [];
  const review = Array.isArray(raw.review) && raw.review.length && raw.review.every((id) => known.has(id)) ? raw.review : null;
  return {
    answers,
    submitted: raw.submitted === true && dropped.length === 0,
    best,
    seed: seed ?? newSeed(),
    missed,
    review,
    dropped,
  };
}

/** Store the attempt; whether it was stored (false: the storage is full or refused, and the widget says so). */
function save(quiz, state) {
  const variants = {};
  const words = {};
  for (const question of quiz.questions) {
    if (!Object.hasOwn(state.answers, question.id)) continue;
    const [index, shown] = variantOf(question, state.seed);
    if (index !== null) variants[question.id] = index;
    words[question.id] = wordsOf(shown);
  }
  const { answers, submitted, best, seed, missed, review } = state;
  try {
    window.localStorage.setItem(storageKey(quiz), JSON.stringify({ answers, submitted, best, seed, variants, words, missed, review }));
  } catch {
    // Storage full or disabled: the quiz still works, it just forgets on reload (the widget says so).
    return false;
  }
  // The progress marks (progress.js) follow what was saved.
  document.dispatchEvent(new CustomEvent("quizkit:saved", { detail: { key: storageKey(quiz) } }));
  return true;
}

// ---------------------------------------------------------------- rendering

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children);
  return node;
}

/** Reader text: as text, unless the quiz says its texts are Markdown rendered to HTML at build time. */
function fill(node, text, isHtml) {
  if (isHtml) node.innerHTML = text;
  else node.textContent = text;
  return node;
}

/** `text` cut to at most `limit` characters at a word's end, with "…" when cut: the Progress page lists missed questions. */
function shortened(text, limit) {
  const words = text.replace(/\s+/g, " ").trim();
  if (words.length <= limit) return words;
  const cut = words.slice(0, limit - 1);
  const end = cut.lastIndexOf(" ");
  return `${(end > limit / 2 ? cut.slice(0, end) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

function plainText(text, isHtml) {
  if (!isHtml) return text;
  const box = document.createElement("div");
  box.innerHTML = text;
  return box.textContent;
}

/**
 * The compact marker of a figure not from the article or not of high confidence, as the lessons show it:
 * `(Oct 2025 · medium)` linked to the figure's entry on the reference page. Built from the quiz data
 * with DOM calls, as text: nothing in the data is read as HTML.
 */
function figureMark(figure) {
  const link = figure.href ? element("a", { href: figure.href, title: figure.title }, figure.text)
    : element("span", { title: figure.title }, figure.text);
  return element("small", { class: "quizkit-figure-mark", "data-figure-id": figure.id }, "(", link, ")");
}

/** The markers of the figures a question shows in `place` ("question": its stem or options; "answer"). */
function figuresIn(question, place) {
  return (Array.isArray(question.figures) ? question.figures : []).filter((figure) => figure.place === place);
}

function choice(type, name, id, value, labelText, isHtml) {
  const input = element("input", { type, name, id, value });
  const label = fill(element("label", { for: id }), labelText, isHtml);
  return element("div", { class: "quizkit-option" }, input, label);
}

function matchControls(question, base, isHtml) {
  const list = element("div", { class: "quizkit-match" });
  question.items.forEach((item, i) => {
    const id = `${base}-m${i}`;
    const select = element("select", { id, name: `${base}-${item.id}`, "data-item-id": item.id });
    select.append(element("option", { value: "" }, "Choose…"));
    for (const option of question.choices) select.append(element("option", { value: option.id }, plainText(option.text, isHtml)));
    const label = fill(element("label", { for: id, class: "quizkit-match__item" }), item.text, isHtml);
    list.append(element("div", { class: "quizkit-match__row" }, label, select));
  });
  return list;
}

function orderControls(question, base, isHtml) {
  const list = element("ol", { class: "quizkit-order", "aria-describedby": `${base}-order-help` });
  question.items.forEach((item, i) => {
    const text = fill(element("span", { class: "quizkit-order__text" }), item.text, isHtml);
    const plain = plainText(item.text, isHtml);
    const up = element("button", { type: "button", class: "quizkit-order__move", "data-move": "up",
      "aria-label": `Move up: ${plain}` }, element("span", { "aria-hidden": "true" }, "↑"));
    const down = element("button", { type: "button", class: "quizkit-order__move", "data-move": "down",
      "aria-label": `Move down: ${plain}` }, element("span", { "aria-hidden": "true" }, "↓"));
    list.append(element("li", { class: "quizkit-order__item", "data-item-id": item.id }, text,
      element("span", { class: "quizkit-order__buttons" }, up, down)));
  });
  const help = element("p", { class: "quizkit-question__hint", id: `${base}-order-help` },
    "Put the steps in order with the Move up and Move down buttons.");
  const status = element("p", { class: "quizkit-visually-hidden", "data-role": "order-status", "aria-live": "polite" });
  return [help, list, status];
}

function questionFieldset(quiz, question, index, uid, isHtml) {
  const base = `${uid}-q${index}`;
  const number = element("span", { class: "quizkit-question__number" }, `Question ${index + 1} of ${quiz.questions.length}`);
  const legend = element("legend", { class: "quizkit-question__legend" },
    number, fill(element("span", { class: "quizkit-question__text" }), question.text, isHtml));
  for (const figure of figuresIn(question, "question")) legend.append(" ", figureMark(figure));
  const body = element("div", { class: "quizkit-question__answers" });
  if (question.type === "single" || question.type === "multiple") {
    const type = question.type === "single" ? "radio" : "checkbox";
    if (type === "checkbox") body.append(element("p", { class: "quizkit-question__hint" }, "Select all that apply."));
    question.options.forEach((option, i) => {
      body.append(choice(type, base, `${base}-o${i}`, option.id, option.text, isHtml));
    });
  } else if (question.type === "true_false") {
    body.append(choice("radio", base, `${base}-true`, "true", "True", false));
    body.append(choice("radio", base, `${base}-false`, "false", "False", false));
  } else if (question.type === "match") {
    body.append(element("p", { class: "quizkit-question__hint" }, "Choose a match for each line."));
    body.append(matchControls(question, base, isHtml));
  } else if (question.type === "order") {
    body.append(...orderControls(question, base, isHtml));
  } else {
    const id = `${base}-number`;
    const label = element("label", { for: id }, question.unit ? `Your answer (${question.unit})` : "Your answer");
    const input = element("input", { type: "text", inputmode: "decimal", id, name: base, autocomplete: "off",
      spellcheck: "false" });
    body.append(element("div", { class: "quizkit-number" }, label, input));
  }
  const feedback = element("div", { class: "quizkit-feedback", "data-role": "feedback", id: `${base}-feedback`, hidden: true });
  const kind = question.type === "match" || question.type === "order" ? question.type : null;
  return element("fieldset", {
    class: "quizkit-question", id: `quizkit-${quiz.id}-${question.id}`, "data-question-id": question.id,
    "data-type": question.type, "data-question-type": kind, "data-variant": question.variant ?? null,
  }, legend, body, feedback);
}

// ---------------------------------------------------------------- reading and writing the form

function fieldsetOf(form, question) {
  return form.querySelector(`[data-question-id="${CSS.escape(question.id)}"]`);
}

/** Read the answers in the form, in the shape `grade_attempt` takes. */
function readAnswers(form, quiz) {
  const answers = {};
  quiz.questions.forEach((question) => {
    const fieldset = fieldsetOf(form, question);
    const inputs = [...fieldset.querySelectorAll("input")];
    if (question.type === "single") {
      const checked = inputs.find((input) => input.checked);
      if (checked) answers[question.id] = checked.value;
    } else if (question.type === "multiple") {
      const checked = inputs.filter((input) => input.checked).map((input) => input.value);
      if (checked.length) answers[question.id] = checked;
    } else if (question.type === "true_false") {
      const checked = inputs.find((input) => input.checked);
      if (checked) answers[question.id] = checked.value === "true";
    } else if (question.type === "match") {
      const chosen = [...fieldset.querySelectorAll("select")].filter((s) => s.value);
      if (chosen.length) answers[question.id] = Object.fromEntries(chosen.map((s) => [s.dataset.itemId, s.value]));
    } else if (question.type === "order") {
      if (fieldset.dataset.touched === "true") {
        answers[question.id] = [...fieldset.querySelectorAll("li[data-item-id]")].map((li) => li.dataset.itemId);
      }
    } else if (inputs[0].value.trim() !== "") {
      answers[question.id] = inputs[0].value;
    }
  });
  return answers;
}

function writeAnswers(form, quiz, answers) {
  quiz.questions.forEach((question) => {
    const fieldset = fieldsetOf(form, question);
    const answer = answers[question.id];
    if (question.type === "match") {
      for (const select of fieldset.querySelectorAll("select")) {
        select.value = isObject(answer) && Object.hasOwn(answer, select.dataset.itemId) ? answer[select.dataset.itemId] : "";
      }
      return;
    }
    if (question.type === "order") {
      if (Array.isArray(answer)) {
        const list = fieldset.querySelector("ol");
        const byId = new Map([...list.children].map((li) => [li.dataset.itemId, li]));
        for (const id of answer) list.append(byId.get(id));
        fieldset.dataset.touched = "true";
      }
      return;
    }
    for (const input of fieldset.querySelectorAll("input")) {
      if (question.type === "numeric") input.value = answer === undefined ? "" : String(answer);
      else if (question.type === "multiple") input.checked = Array.isArray(answer) && answer.includes(input.value);
      else if (question.type === "true_false") input.checked = answer !== undefined && input.value === String(answer);
      else input.checked = answer === input.value;
    }
  });
}

function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** Up and down buttons of order questions: the item moves, keeps focus, and the move is announced. */
function moveItem(button) {
  const item = button.closest("li[data-item-id]");
  const list = item.parentElement;
  const fieldset = item.closest("[data-question-id]");
  const up = button.dataset.move === "up";
  const sibling = up ? item.previousElementSibling : item.nextElementSibling;
  if (sibling) {
    if (up) sibling.before(item);
    else sibling.after(item);
  }
  fieldset.dataset.touched = "true";
  markEnds(list);
  const items = [...list.children];
  const place = items.indexOf(item) + 1;
  const text = item.querySelector(".quizkit-order__text").textContent;
  fieldset.querySelector("[data-role=order-status]").textContent = `“${text}” is now ${ordinal(place)} of ${items.length}.`;
  button.focus();
}

function markEnds(list) {
  const items = [...list.children];
  items.forEach((li, i) => {
    li.querySelector("[data-move=up]").setAttribute("aria-disabled", String(i === 0));
    li.querySelector("[data-move=down]").setAttribute("aria-disabled", String(i === items.length - 1));
  });
}

// ---------------------------------------------------------------- feedback and score

function showFeedback(form, shown, result, isHtml) {
  const byId = new Map(shown.map((q) => [q.id, q]));
  for (const outcome of result.questions) {
    const question = byId.get(outcome.id);
    const fieldset = fieldsetOf(form, question);
    const box = fieldset.querySelector("[data-role=feedback]");
    // Typed but not read as a number ("13,50", "about 12"): said so, not "Not answered".
    const typed = question.type === "numeric" && !outcome.answered ? fieldset.querySelector("input")?.value.trim() : "";
    const verdict = outcome.correct ? "Correct." : outcome.answered ? "Not quite." : typed ? "Not read as a number." : "Not answered.";
    box.replaceChildren(element("p", { class: "quizkit-feedback__verdict" }, element("strong", {}, verdict)));
    if (typed) {
      box.append(element("p", { class: "quizkit-feedback__note" },
        `“${typed}” is not a number the quiz can read: type digits, with a point or a comma for decimals (for example 13.50 or 13,50).`));
    }
    if (outcome.feedback) box.append(fill(element("p", { class: "quizkit-feedback__note" }), outcome.feedback, isHtml));
    if (question.explanation) {
      box.append(fill(element("div", { class: "quizkit-feedback__explanation" }), question.explanation, isHtml));
    }
    const figures = figuresIn(question, "answer");
    if (figures.length) {
      const list = element("p", { class: "quizkit-feedback__figures" });
      figures.forEach((figure, i) => list.append(i ? "; " : "", `${figure.label} `, figureMark(figure)));
      box.append(list);
    }
    if (question.section && question.section.href) {
      const link = element("a", { href: question.section.href }, `Review: ${question.section.title}`);
      box.append(element("p", { class: "quizkit-feedback__link" }, link));
    }
    box.dataset.correct = String(outcome.correct);
    box.hidden = false;
    fieldset.dataset.state = outcome.correct ? "correct" : "wrong";
    fieldset.setAttribute("aria-describedby", box.id);
  }
}

function clearFeedback(form) {
  for (const box of form.querySelectorAll("[data-role=feedback]")) {
    box.replaceChildren();
    box.hidden = true;
    delete box.dataset.correct;
  }
  for (const fieldset of form.querySelectorAll("[data-question-id]")) {
    delete fieldset.dataset.state;
    fieldset.removeAttribute("aria-describedby");
  }
}

/**
 * Bring `first` to `last` (the buttons and the score under them) into view, as little as needed: not when already
 * on screen, instantly when the reader asks for reduced motion. Grading shows each question's feedback above them,
 * thousands of pixels on a phone, and the browser keeps nothing in place (its scroll anchoring gives up when the
 * nodes in view change size), so a tap on Check answers left the reader mid-quiz, the score far below. The
 * exercise's twin is exercise/widget.js `reveal` (a copy for the reason `courseScope` gives); change both alike.
 */
function reveal(first, last) {
  const top = first.getBoundingClientRect().top;
  const bottom = last.getBoundingClientRect().bottom;
  const margin = 8;
  // Material's header stays on top of the page: what is under it is not in view.
  const header = document.querySelector(".md-header");
  const visibleTop = header && getComputedStyle(header).position !== "static" ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  const visibleBottom = window.innerHeight;
  let delta = 0;
  if (top < visibleTop || bottom - top > visibleBottom - visibleTop) delta = top - visibleTop - margin;
  else if (bottom > visibleBottom) delta = bottom - visibleBottom + margin;
  if (Math.abs(delta) < 1) return;
  const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
  window.scrollBy({ top: delta, behavior: reduced ? "instant" : "smooth" });
}

function showScore(scoreNode, result, best, review) {
  scoreNode.dataset.score = String(result.score);
  scoreNode.dataset.total = String(result.total);
  if (review) {
    delete scoreNode.dataset.best;
    scoreNode.textContent = `Review: ${result.score} of the ${result.total} questions you had missed are now right.`;
    return;
  }
  scoreNode.dataset.best = String(best);
  const bestText = best > result.score ? ` Your best: ${best} out of ${result.total}.` : "";
  scoreNode.textContent = `You scored ${result.score} out of ${result.total}.${bestText}`;
}

// ---------------------------------------------------------------- the widget

/** Build the form for one embedded quiz and wire it up. */
function mount(host) {
  if (host.dataset.quizkitMounted) return;
  const data = host.querySelector("script.quizkit-data");
  let quiz;
  try {
    quiz = JSON.parse(data.textContent);
  } catch {
    return; // Not our data: leave the page as it is.
  }
  host.dataset.quizkitMounted = "true";
  const isHtml = quiz.format === "markdown";
  const uid = `quizkit-${++counter}`;
  const total = quiz.questions.length;
  const title = fill(element("p", { class: "quizkit-quiz__title", id: `${uid}-title` }), quiz.title, isHtml);
  const intro = element("p", { class: "quizkit-quiz__intro" }, `${total} questions. Your answers stay in this browser.`);
  const notice = element("p", { class: "quizkit-quiz__notice", "data-role": "notice", role: "status", hidden: true });
  // A status region that stays in place (empty, it takes no room): filled when this browser does not keep the answers.
  const storageNotice = element("p", { class: "quizkit-quiz__storage-notice", "data-role": "storage-notice", role: "status" });
  const questionsBox = element("div", { class: "quizkit-quiz__questions" });
  const submit = element("button", {
    type: "submit", class: "quizkit-quiz__button quizkit-quiz__button--primary", "data-action": "submit",
  }, "Check answers");
  const retry = element("button", { type: "button", class: "quizkit-quiz__button", "data-action": "retry", hidden: true }, "Try again");
  const review = element("button", { type: "button", class: "quizkit-quiz__button", "data-action": "review", hidden: true }, "Review");
  const actions = element("div", { class: "quizkit-actions" }, submit, retry, review);
  const score = element("p", {
    class: "quizkit-score", "data-role": "score", "data-total": total, role: "status", "aria-live": "polite",
  });
  const form = element("form", {
    class: "quizkit-quiz", id: `quizkit-quiz-${quiz.id}`, "data-quiz-id": quiz.id, "aria-labelledby": `${uid}-title`,
    novalidate: true,
  }, title, intro, notice, questionsBox, storageNotice, actions, score);

  let state = load(quiz);
  let shown = [];

  /** Save the attempt; while this browser refuses to keep it, say so (the answers stay on the page meanwhile). */
  const persist = () => {
    const text = save(quiz, state) ? "" : "Your answers could not be saved in this browser: its storage for this site "
      + "is full or turned off. They stay here until you leave or reload this page, and your score will not be kept.";
    if (storageNotice.textContent !== text) storageNotice.textContent = text;
  };

  /** (Re)build the questions for the current seed; in Review mode only the missed ones are shown. */
  const render = () => {
    shown = presented(quiz, state.seed);
    questionsBox.replaceChildren(...shown.map((q, i) => questionFieldset(quiz, q, i, uid, isHtml)));
    for (const list of questionsBox.querySelectorAll("ol.quizkit-order")) markEnds(list);
    for (const fieldset of questionsBox.querySelectorAll("[data-question-id]")) {
      fieldset.hidden = state.review !== null && !state.review.includes(fieldset.dataset.questionId);
    }
    form.dataset.seed = String(state.seed);
    form.dataset.mode = state.review ? "review" : "quiz";
    writeAnswers(form, quiz, state.answers);
  };

  const showReviewButton = () => {
    const count = state.missed.length;
    review.hidden = !(state.submitted && count > 0);
    review.textContent = count === 1 ? "Review the question you missed" : `Review the ${count} questions you missed`;
  };

  /**
   * A graded attempt stays as it was graded: its answers cannot change under their verdicts (a changed answer
   * kept the old verdict, and a reload graded the edit as if checked) until Try again or Review starts a new one.
   */
  const lock = (locked) => {
    for (const fieldset of questionsBox.querySelectorAll("[data-question-id]")) fieldset.disabled = locked;
    submit.disabled = locked;
  };

  const submitted = () => {
    lock(true);
    const result = grade(quiz, state.answers, state.seed, state.review);
    showFeedback(form, shown, result, isHtml);
    showScore(score, result, state.best ?? result.score, state.review !== null);
    retry.hidden = false;
    retry.textContent = state.review ? "Take the whole quiz again" : "Try again";
    showReviewButton();
    return result;
  };

  const startAttempt = (reviewIds, message) => {
    state = { ...state, answers: {}, submitted: false, seed: newSeed(), review: reviewIds };
    persist();
    render();
    lock(false);
    clearFeedback(form);
    delete score.dataset.score;
    delete score.dataset.best;
    score.dataset.total = String(reviewIds ? reviewIds.length : total);
    score.textContent = message;
    retry.hidden = reviewIds === null;
    retry.textContent = "Take the whole quiz again";
    review.hidden = true;
    notice.hidden = true;
    questionsBox.querySelector("[data-question-id]:not([hidden]) input, [data-question-id]:not([hidden]) select, "
      + "[data-question-id]:not([hidden]) button")?.focus();
  };

  render();
  if (state.dropped.length) {
    const which = state.dropped.map((i) => i + 1).join(", ");
    notice.textContent = `This quiz changed since your last visit: your saved answer${state.dropped.length === 1 ? "" : "s"} `
      + `to question${state.dropped.length === 1 ? "" : "s"} ${which} no longer fit and ${state.dropped.length === 1 ? "was" : "were"} cleared.`;
    notice.hidden = false;
    persist();
  }
  if (state.submitted) submitted();

  const remember = () => {
    state = { ...state, answers: readAnswers(form, quiz) };
    persist();
  };
  form.addEventListener("change", remember);
  form.addEventListener("input", remember);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button || !form.contains(button)) return;
    moveItem(button);
    remember();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (state.submitted) return; // graded already (Enter in a field): Try again starts a new attempt
    const answers = readAnswers(form, quiz);
    const result = grade(quiz, answers, state.seed, state.review);
    const byId = new Map(shown.map((q) => [q.id, q]));
    const wrong = result.questions.filter((q) => !q.correct).map((q) => ({
      id: q.id, text: shortened(plainText(byId.get(q.id).text, isHtml), MISSED_TEXT),
    }));
    let { best, missed } = state;
    if (state.review) {
      const stillWrong = new Set(wrong.map((m) => m.id));
      missed = missed.filter((m) => !state.review.includes(m.id) || stillWrong.has(m.id))
        .map((m) => wrong.find((w) => w.id === m.id) ?? m);
    } else {
      best = Math.max(best ?? 0, result.score);
      missed = wrong;
    }
    state = { ...state, answers, submitted: true, best, missed };
    persist();
    submitted();
    retry.focus({ preventScroll: true }); // the field or button that had it is locked now; the next step is here
    reveal(actions, score); // the score, and the buttons for what comes next, where the reader looks
  });
  retry.addEventListener("click", () => startAttempt(null, "Answers cleared: a new attempt, with new numbers where questions have variants."));
  review.addEventListener("click", () => {
    const ids = state.missed.map((m) => m.id);
    startAttempt(ids, `Review mode: the ${ids.length === 1 ? "question" : `${ids.length} questions`} you missed, with new numbers where they have variants.`);
  });

  host.append(form);

  const wanted = new URLSearchParams(window.location.search).get("quizkit-review");
  if (wanted === quiz.id && state.missed.length && !state.review) {
    review.click();
    form.scrollIntoView();
  }
}

function mountAll() {
  for (const host of document.querySelectorAll(".quizkit-quiz-host[data-quizkit-quiz]")) mount(host);
}

// Material's instant navigation does not re-run page scripts: follow its document$ when present.
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mountAll);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
