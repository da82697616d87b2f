// Quiz widget: builds an accessible form from the compiled quiz the quizkit plugin embeds in the page.
//
// Contract (see quizkit/plugin/quiz_embed.py): `.quizkit-quiz-host[data-quizkit-quiz]`
// holds `<script type="application/json" class="quizkit-data">` with the output of
// `quizkit.quiz.compile_quiz` (keys included), each question's `section` resolved to
// `{href, title}`. Grading here follows `quizkit.quiz.grade_attempt` rule for rule:
// single = the option id, multiple = exactly the set of correct ids, true_false = the
// boolean, numeric = within the tolerance + 1e-9; anything odd counts as unanswered.
// No Python runs on a quiz page.
//
// Stable hooks: form.quizkit-quiz[data-quiz-id], [data-question-id], [data-action=submit],
// [data-action=retry], [data-role=score][data-score][data-total], [data-role=feedback][data-correct].

const STORAGE_PREFIX = "quizkit:v1:quiz:";
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
let counter = 0;

// ---------------------------------------------------------------- grading (mirrors quizkit.quiz)

/** A numeric answer as a finite number, or null: like `quizkit.quiz._number`. */
function toNumber(answer) {
  if (typeof answer === "number") return Number.isFinite(answer) ? answer : null;
  if (typeof answer !== "string") return null;
  const text = answer.trim().replaceAll(",", "");
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

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
      const notes = question.options.filter((o) => chosen.has(o.id) && o.feedback).map((o) => o.feedback);
      return { answered: true, correct, feedback: notes.join(" ") };
    }
    case "true_false":
      if (typeof answer !== "boolean") return none;
      return { answered: true, correct: answer === question.key, feedback: feedback[String(answer)] || "" };
    case "numeric": {
      const value = toNumber(answer);
      if (value === null) return none;
      const correct = Math.abs(value - question.key) <= (question.tolerance || 0) + 1e-9;
      return { answered: true, correct, feedback: feedback[correct ? "correct" : "incorrect"] || "" };
    }
    default:
      return none;
  }
}

/** The score of `answers` (question id -> answer): like `quizkit.quiz.grade_attempt`. */
export function grade(quiz, answers) {
  const safe = answers && typeof answers === "object" && !Array.isArray(answers) ? answers : {};
  const questions = quiz.questions.map((q) => ({ id: q.id, ...judge(q, Object.hasOwn(safe, q.id) ? safe[q.id] : null) }));
  return { score: questions.filter((q) => q.correct).length, total: questions.length, questions };
}

// ---------------------------------------------------------------- storage

function storageKey(quiz) {
  return STORAGE_PREFIX + quiz.id;
}

/** A stored answer if it still fits the question, else undefined. */
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
      return (typeof answer === "string" || typeof answer === "number") && toNumber(answer) !== null ? String(answer) : undefined;
    default:
      return undefined;
  }
}

/** What was stored for this quiz; anything malformed is ignored, silently. */
function load(quiz) {
  const empty = { answers: {}, submitted: false, best: null };
  let raw;
  try {
    raw = JSON.parse(window.localStorage.getItem(storageKey(quiz)) || "null");
  } catch {
    return empty;
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return empty;
  const answers = {};
  const stored = raw.answers && typeof raw.answers === "object" && !Array.isArray(raw.answers) ? raw.answers : {};
  for (const question of quiz.questions) {
    const answer = Object.hasOwn(stored, question.id) ? validAnswer(question, stored[question.id]) : undefined;
    if (answer !== undefined) answers[question.id] = answer;
  }
  const total = quiz.questions.length;
  const best = Number.isInteger(raw.best) && raw.best >= 0 && raw.best <= total ? raw.best : null;
  return { answers, submitted: raw.submitted === true, best };
}

function save(quiz, state) {
  try {
    window.localStorage.setItem(storageKey(quiz), JSON.stringify(state));
  } catch {
    // Storage full or disabled: the quiz still works, it just forgets on reload.
    return;
  }
  // The progress marks (progress.js) follow what was saved.
  document.dispatchEvent(new CustomEvent("quizkit:saved", { detail: { key: storageKey(quiz) } }));
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

function choice(type, name, id, value, labelText, isHtml) {
  const input = element("input", { type, name, id, value });
  const label = fill(element("label", { for: id }), labelText, isHtml);
  return element("div", { class: "quizkit-option" }, input, label);
}

function questionFieldset(quiz, question, index, uid, isHtml) {
  const base = `${uid}-q${index}`;
  const legend = element("legend", {},
    element("span", { class: "quizkit-question__number" }, `Question ${index + 1} of ${quiz.questions.length}`),
    fill(element("span", { class: "quizkit-question__text" }), question.text, isHtml));
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
  } else {
    const id = `${base}-number`;
    const label = element("label", { for: id }, question.unit ? `Your answer (${question.unit})` : "Your answer");
    const input = element("input", { type: "number", step: "any", inputmode: "decimal", id, name: base, autocomplete: "off" });
    body.append(element("div", { class: "quizkit-number" }, label, input));
  }
  const feedback = element("div", { class: "quizkit-feedback", "data-role": "feedback", id: `${base}-feedback`, hidden: true });
  return element("fieldset", { class: "quizkit-question", "data-question-id": question.id, "data-type": question.type },
    legend, body, feedback);
}

// ---------------------------------------------------------------- the widget

/** Read the answers in the form, in the shape `grade_attempt` takes. */
function readAnswers(form, quiz) {
  const answers = {};
  quiz.questions.forEach((question) => {
    const fieldset = form.querySelector(`[data-question-id="${CSS.escape(question.id)}"]`);
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
    } else if (inputs[0].value.trim() !== "") {
      answers[question.id] = inputs[0].value;
    }
  });
  return answers;
}

function writeAnswers(form, quiz, answers) {
  quiz.questions.forEach((question) => {
    const fieldset = form.querySelector(`[data-question-id="${CSS.escape(question.id)}"]`);
    const answer = answers[question.id];
    for (const input of fieldset.querySelectorAll("input")) {
      if (question.type === "numeric") input.value = answer === undefined ? "" : String(answer);
      else if (question.type === "multiple") input.checked = Array.isArray(answer) && answer.includes(input.value);
      else if (question.type === "true_false") input.checked = answer !== undefined && input.value === String(answer);
      else input.checked = answer === input.value;
    }
  });
}

function showFeedback(form, quiz, result, isHtml) {
  quiz.questions.forEach((question, i) => {
    const outcome = result.questions[i];
    const fieldset = form.querySelector(`[data-question-id="${CSS.escape(question.id)}"]`);
    const box = fieldset.querySelector("[data-role=feedback]");
    const verdict = outcome.correct ? "Correct." : outcome.answered ? "Not quite." : "Not answered.";
    box.replaceChildren(element("p", { class: "quizkit-feedback__verdict" }, element("strong", {}, verdict)));
    if (outcome.feedback) box.append(fill(element("p", { class: "quizkit-feedback__note" }), outcome.feedback, isHtml));
    if (question.explanation) {
      box.append(fill(element("div", { class: "quizkit-feedback__explanation" }), question.explanation, isHtml));
    }
    if (question.section && question.section.href) {
      const link = element("a", { href: question.section.href }, `Review: ${question.section.title}`);
      box.append(element("p", { class: "quizkit-feedback__link" }, link));
    }
    box.dataset.correct = String(outcome.correct);
    box.hidden = false;
    fieldset.dataset.state = outcome.correct ? "correct" : "wrong";
    fieldset.setAttribute("aria-describedby", box.id);
  });
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

function showScore(scoreNode, result, best) {
  scoreNode.dataset.score = String(result.score);
  scoreNode.dataset.best = String(best);
  const bestText = best > result.score ? ` Your best: ${best} out of ${result.total}.` : "";
  scoreNode.textContent = `You scored ${result.score} out of ${result.total}.${bestText}`;
}

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
  const title = fill(element("p", { class: "quizkit-quiz__title", id: `${uid}-title` }), quiz.title, isHtml);
  const intro = element("p", { class: "quizkit-quiz__intro" },
    `${quiz.questions.length} questions. Your answers stay in this browser.`);
  const submit = element("button", {
    type: "submit", class: "quizkit-quiz__button quizkit-quiz__button--primary", "data-action": "submit",
  }, "Check answers");
  const retry = element("button", { type: "button", class: "quizkit-quiz__button", "data-action": "retry", hidden: true }, "Try again");
  const score = element("p", {
    class: "quizkit-score", "data-role": "score", "data-total": quiz.questions.length, role: "status", "aria-live": "polite",
  });
  const form = element("form", { class: "quizkit-quiz", "data-quiz-id": quiz.id, "aria-labelledby": `${uid}-title`, novalidate: true },
    title, intro, ...quiz.questions.map((q, i) => questionFieldset(quiz, q, i, uid, isHtml)),
    element("div", { class: "quizkit-actions" }, submit, retry), score);

  let state = load(quiz);
  writeAnswers(form, quiz, state.answers);

  const submitted = () => {
    const result = grade(quiz, state.answers);
    showFeedback(form, quiz, result, isHtml);
    showScore(score, result, state.best ?? result.score);
    retry.hidden = false;
    return result;
  };

  if (state.submitted) submitted();

  const remember = () => {
    state = { ...state, answers: readAnswers(form, quiz) };
    save(quiz, state);
  };
  form.addEventListener("change", remember);
  form.addEventListener("input", remember);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const answers = readAnswers(form, quiz);
    const result = grade(quiz, answers);
    state = { answers, submitted: true, best: Math.max(state.best ?? 0, result.score) };
    save(quiz, state);
    submitted();
  });
  retry.addEventListener("click", () => {
    state = { answers: {}, submitted: false, best: state.best };
    save(quiz, state);
    form.reset();
    writeAnswers(form, quiz, {});
    clearFeedback(form);
    delete score.dataset.score;
    delete score.dataset.best;
    score.textContent = "Answers cleared.";
    retry.hidden = true;
    form.querySelector("input")?.focus();
  });

  host.append(form);
}

function mountAll() {
  for (const host of document.querySelectorAll(".quizkit-quiz-host[data-quizkit-quiz]")) mount(host);
}

// Material's instant navigation does not re-run page scripts: follow its document$ when present.
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mountAll);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
