// One exercise on the page: editor, buttons, verdict, hints, solution, saved state.
import { hangingStyle } from "./code-lines.js";
import { megabytes } from "./runtime.js";
import { load, onLeave, save, textHash } from "./store.js";

const MAX_OUTPUT_CHARS = 200_000;
const SAVE_DELAY_MS = 300;

/** Text with `code` spans turned into <code> elements, built without innerHTML. */
function richText(parent, text) {
  text.split("`").forEach((part, i) => {
    if (!part) return;
    if (i % 2) {
      const code = document.createElement("code");
      code.textContent = part;
      parent.append(code);
    } else {
      parent.append(document.createTextNode(part));
    }
  });
  return parent;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) richText(node, text);
  return node;
}

function capped(text) {
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  return `${text.slice(0, MAX_OUTPUT_CHARS)}\n[output cut: more than ${MAX_OUTPUT_CHARS.toLocaleString("en")} characters]\n`;
}

const TAB_SIZE = 4;

/**
 * The code as the editor will lay it out (line numbers, wrapped rows hanging under their line), shown
 * until the editor arrives: it arrives after the page, and a button that jumped as it did took a
 * click meant for another.
 */
function plainCode(code, label) {
  const lines = code.split("\n");
  const view = element("div", "quizkit-plain-code");
  view.setAttribute("role", "textbox");
  view.setAttribute("aria-readonly", "true");
  view.setAttribute("aria-multiline", "true");
  view.setAttribute("aria-label", label);
  view.tabIndex = 0; // a keyboard reader can reach the code before the editor comes (focus brings it: exercise.js)
  view.style.setProperty("--quizkit-digits", String(Math.max(String(lines.length).length, 1)));
  const gutter = element("div", "quizkit-plain-code__gutter");
  gutter.setAttribute("aria-hidden", "true");
  const content = element("div", "quizkit-plain-code__content");
  for (const text of lines) {
    const line = element("div", "quizkit-plain-code__line");
    line.setAttribute("style", hangingStyle(text, TAB_SIZE).style);
    if (text) line.textContent = text;
    else line.append(document.createElement("br"));
    content.append(line);
  }
  view.append(gutter, content);
  return view;
}

/**
 * A new task: each editor is made in its own (CodeMirror lays it out at once, tens of milliseconds on a
 * phone), where all the page's editors made in one task kept it from answering the reader for up to 430 ms.
 */
const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/**
 * Whether a grade that says "passed" holds together: every check of the exercise, in its order, ran and passed.
 * The worker's Python also ran the reader's code, which can reach the grader there (quizkit.integrity guards
 * it, but is no boundary): the page itself says "passed" only when the rows agree (notebook.py `vouched`).
 */
function holdsTogether(grade, exercise) {
  const ran = grade.checks.map((check) => check.id);
  const wanted = exercise.checks.map((check) => check.id);
  return ran.length === wanted.length && ran.every((id, i) => id === wanted[i]) && grade.checks.every((check) => check.passed === true);
}

const seconds = (s) => `${Number(s).toLocaleString("en", { maximumFractionDigits: 1 })} s`;

/** Apple keyboards: the editor's Mod key is Cmd there (CodeMirror's own test), so the buttons' titles say Cmd. */
const APPLE_KEYS = /Mac/.test(globalThis.navigator?.platform ?? "");

export class ExerciseWidget {
  /**
   * @param {HTMLElement} root `.quizkit-exercise[data-exercise-id]`
   * @param {import("./runtime.js").Runtime} runtime
   * @param {Promise<{createEditor: Function}>} editorModule resolves when this exercise is to get its editor (exercise.js `editorFor`)
   */
  constructor(root, runtime, editorModule) {
    this.root = root;
    this.runtime = runtime;
    this.dataText = root.querySelector("script.quizkit-data").textContent;
    this.data = JSON.parse(this.dataText);
    this.id = this.data.id;
    this.state = load(this.id, this.data.starter);
    this.editor = null;
    this.busy = false;
    this.undoCode = null;
    this.find = (selector) => root.querySelector(selector);
    this.buttons = Object.fromEntries([...root.querySelectorAll("button[data-action]")].map((b) => [b.dataset.action, b]));
    if (APPLE_KEYS) for (const button of Object.values(this.buttons)) button.title = button.title.replace("Ctrl+", "Cmd+");
    this.verdict = this.find("[data-role=verdict]");
    this.output = this.find("[data-role=output]");
    this.runtimeStatus = this.find("[data-role=runtime-status]");
    this.notice = this.find("[data-role=notice]");
    this.storageNotice = this.addStorageNotice();
    this.hints = [...root.querySelectorAll("[data-role=hints] > li")];
    // What Run and Check answer sits right under the buttons, before the notice and the hints,
    // so the answer to a tap is next to the finger that tapped (the markup keeps them after).
    this.find(".quizkit-exercise__status")?.after(this.verdict, this.output);
    this.addLoadButton();
    this.mountEditor(editorModule);
    this.bind();
    this.restore();
    onLeave(() => { if (this.saveTimer) this.persist(); }); // the last edits, not only SAVE_DELAY_MS after the last key
  }

  // ------------------------------------------------------------ editor

  mountEditor(editorModule) {
    const host = this.find("[data-role=editor]");
    host.replaceChildren(plainCode(this.state.code, this.editorLabel()));
    editorModule
      .then(async ({ createEditor }) => {
        await nextTask();
        const focused = host.contains(document.activeElement);
        host.replaceChildren();
        this.editor = createEditor(host, {
          doc: this.state.code,
          label: this.editorLabel(),
          describedBy: this.find(".quizkit-exercise__keys")?.id,
          onRun: () => this.run(),
          onCheck: () => this.check(),
          onChange: (code) => this.codeChanged(code),
        });
        this.root.dataset.editor = "ready";
        if (focused) this.editor.focus(); // the reader was on the plain code: they stay on the code
      })
      .catch((error) => {
        // Without the editor bundle, a plain text area still lets the reader work.
        console.error("quizkit: editor not available", error);
        const focused = host.contains(document.activeElement);
        const area = element("textarea", "quizkit-exercise__textarea");
        area.value = this.state.code;
        area.spellcheck = false;
        area.setAttribute("aria-label", `Python code for the exercise: ${this.data.title}`);
        area.addEventListener("input", () => this.codeChanged(area.value));
        host.replaceChildren(area);
        this.editor = { getCode: () => area.value, setCode: (code) => { area.value = code; this.codeChanged(code); }, focus: () => area.focus() };
        this.root.dataset.editor = "plain";
        if (focused) area.focus(); // as with the editor: the reader on the plain code stays on the code
      });
  }

  editorLabel() {
    return `Python code for the exercise: ${this.data.title}`;
  }

  getCode() {
    return this.editor ? this.editor.getCode() : this.state.code;
  }

  setCode(code) {
    if (this.editor) this.editor.setCode(code);
    else {
      this.find("[data-role=editor]").replaceChildren(plainCode(code, this.editorLabel()));
      this.codeChanged(code);
    }
  }

  codeChanged(code) {
    this.state.code = code;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.persist(), SAVE_DELAY_MS);
  }

  persist() {
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const { code, status, hintsShown, failures, solved, starterHash, checkedHash } = this.state;
    this.showStorageProblem(!save(this.id, { code, status, hintsShown, failures, solved, starterHash, checkedHash }));
  }

  /** Where the widget says its code is not kept: a status region, empty (and taking no room) while saves work. */
  addStorageNotice() {
    const notice = element("p", "quizkit-storage-notice");
    notice.dataset.role = "storage-notice";
    notice.setAttribute("role", "status");
    this.find("[data-role=editor]").after(notice);
    return notice;
  }

  /** Said once the storage refuses a save, gone once a save works again; the code stays in the editor either way. */
  showStorageProblem(failed) {
    const text = failed
      ? "Your code could not be saved in this browser: its storage for this site is full or turned off. It stays in "
        + "the editor until you leave or reload this page; copy it somewhere to keep it."
      : "";
    if (this.storageNotice.textContent !== text) this.storageNotice.textContent = text;
  }

  // ------------------------------------------------------------ starting Python

  /** Under Save-Data Python waits for the reader: a button says what it costs and starts it. */
  addLoadButton() {
    if (this.runtime.waiting !== "ask") return;
    const size = this.runtime.pythonBytes ? ` (${megabytes(this.runtime.pythonBytes)})` : "";
    const button = element("button", "quizkit-button", `Load Python${size}`);
    button.type = "button";
    button.dataset.action = "load-python";
    this.find(".quizkit-exercise__status")?.append(button);
    this.buttons["load-python"] = button;
  }

  /** What the page waits for before it downloads Python, and how much that is. */
  waitingText(why) {
    const size = this.runtime.pythonBytes ? ` (up to ${megabytes(this.runtime.pythonBytes)} to download)` : "";
    if (why === "ask") return `Your browser asks to save data: Python${size} loads only when you press Run, Check or Load Python.`;
    return `Python${size} loads when you start on this exercise: click in the editor, or press Run or Check.`;
  }

  /** The reader reaches for the editor: where Python waits for the reader or the page's load, it starts now (not under Save-Data). */
  editorTouched() {
    this.runtime.reachedFor("editor");
  }

  // ------------------------------------------------------------ buttons

  bind() {
    const actions = {
      "load-python": () => this.runtime.start("button"),
      run: () => this.run(),
      check: () => this.check(),
      stop: () => this.runtime.stop(this),
      hint: () => this.hint(),
      reset: () => this.reset(),
      undo: () => this.undo(),
      solution: () => this.toggleSolution(),
    };
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button || !this.root.contains(button) || button.disabled) return;
      actions[button.dataset.action]?.();
    });
    const editorHost = this.find("[data-role=editor]");
    for (const type of ["focusin", "pointerdown"]) editorHost.addEventListener(type, () => this.editorTouched());
    for (const button of Object.values(this.buttons)) if (button.dataset.action !== "stop") button.disabled = false;
    this.root.dataset.mounted = "true";
  }

  restore() {
    this.hints.forEach((li, i) => { li.hidden = i >= this.state.hintsShown; });
    this.updateHintButton();
    this.updateSolutionButton();
    // A verdict is said only of the code it graded: code changed since (edited, Reset) gets none of it.
    const { status, code, checkedHash } = this.state;
    const changed = Boolean(status && checkedHash && textHash(code) !== checkedHash);
    const restored = changed ? null : {
      passed: "Passed on your last visit. Your code is restored.",
      failed: "Your last Check did not pass. Your code is restored: Check again to see the details.",
      error: "Your last attempt stopped with an error. Your code is restored.",
      timeout: "Your last attempt ran out of time. Your code is restored.",
      stopped: "You stopped your last Check. Your code is restored.",
    }[status];
    if (restored) this.setVerdict(status === "stopped" ? "timeout" : status, restored);
    else if (changed && status === "passed") this.setVerdict("changed", "You passed this exercise before. Your code has changed since: Check it again.");
    else if (this.runtime.waitsForReader) this.setVerdict("loading", "You can edit your code now; Python starts when you run or check it.");
    else this.setVerdict("loading", "Python is loading; you can already edit your code.");
    if (this.state.starterChanged) {
      this.root.dataset.starterChanged = "true";
      this.showNotice("The starter code of this exercise has changed since you saved your code. Your code is kept: Reset shows the new starter code (you can undo).");
    }
  }

  runtimeChanged({ state, detail, progress, total }) {
    // The bar follows every percent of the bytes received; the text (a live region) only every tenth.
    const known = typeof progress === "number";
    const tens = known ? Math.floor(progress * 10) * 10 : null;
    const loading = total && known && progress < 1
      ? `Downloading Python (${megabytes(total)}): ${tens}%`
      : `${detail}…`;
    const text = { waiting: this.waitingText(detail), loading, ready: "Python is ready.", error: detail }[state];
    if (this.runtimeStatus.textContent !== (text ?? detail)) this.runtimeStatus.textContent = text ?? detail;
    this.runtimeStatus.dataset.state = state;
    const bar = this.find("progress[data-role=runtime-progress]");
    if (bar) {
      if (known) bar.value = progress;
      else bar.removeAttribute("value"); // unknown sizes: a bar that only says "working"
      bar.hidden = state !== "loading";
    }
    const load = this.buttons["load-python"];
    if (load && state !== "waiting") {
      if (document.activeElement === load) this.buttons.run.focus(); // keyboard users keep their place
      load.remove();
      delete this.buttons["load-python"];
    }
    if (state === "ready" && this.verdict.dataset.status === "loading") this.setVerdict("ready", "Ready: Run your code or Check it.");
    if (state === "error" && !this.busy) this.setVerdict("error", detail);
  }

  setBusy(busy) {
    // Keyboard users keep their place: Run or Check hands focus to Stop while the code runs
    // (a disabled button would drop it to the page), and Stop gives it back afterwards.
    const focused = document.activeElement;
    if (busy) this.focusAfter = focused === this.buttons.run || focused === this.buttons.check ? focused : null;
    this.busy = busy;
    this.buttons.stop.disabled = !busy;
    if (busy && this.focusAfter) this.buttons.stop.focus();
    this.buttons.run.disabled = busy;
    this.buttons.check.disabled = busy;
    this.root.setAttribute("aria-busy", String(busy));
    if (!busy && this.focusAfter) {
      if (focused === this.buttons.stop || focused === document.body || !focused) this.focusAfter.focus();
      this.focusAfter = null;
    }
  }

  setVerdict(status, text, details = []) {
    this.verdict.dataset.status = status;
    const summary = element("p", "quizkit-verdict__summary", text);
    this.verdict.replaceChildren(summary, ...details);
  }

  /**
   * Bring the verdict (and the output under it) into view once Run or Check has answered, or a hint just shown
   * (`nodes`): not when it is already on screen, instantly when the reader asks for reduced motion. The verdict
   * and the hints are live regions, so they are announced wherever they are; this is for the eyes.
   */
  reveal(nodes = [this.verdict, this.output]) {
    const parts = nodes.filter((node) => !node.hidden && node.getClientRects().length);
    if (!parts.length) return;
    const margin = 8;
    const top = Math.min(...parts.map((node) => node.getBoundingClientRect().top));
    const bottom = Math.max(...parts.map((node) => node.getBoundingClientRect().bottom));
    // Material's header stays on top of the page: what is under it is not in view.
    const header = document.querySelector(".md-header");
    const visibleTop = header && getComputedStyle(header).position !== "static" ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
    const visibleBottom = window.innerHeight;
    let delta = 0;
    if (top < visibleTop || bottom - top > visibleBottom - visibleTop) delta = top - visibleTop - margin; // its start, with the summary
    else if (bottom > visibleBottom) delta = Math.min(bottom - visibleBottom + margin, top - visibleTop - margin); // all of it
    if (Math.abs(delta) < 1) return;
    const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    window.scrollBy({ top: delta, behavior: reduced ? "instant" : "smooth" });
  }

  showOutput(text) {
    this.output.textContent = capped(text);
    this.output.hidden = !text;
  }

  async send(type, label) {
    if (this.busy) return null;
    this.setBusy(true);
    this.setVerdict("running", this.runtime.readyFor(type) ? `${label}…` : `${label} as soon as Python is ready…`);
    const message = { type, source: this.getCode() };
    this.sentSource = message.source; // what a Check's verdict is about (recordCheck)
    if (type === "grade") message.exercise = this.dataText;
    const timeout = this.data.timeout_s * 1000;
    let outcome = await this.runtime.request(message, timeout, this);
    if (outcome.kind === "done" && JSON.parse(outcome.result).status === "internal_error") {
      // Something left the interpreter broken (learner code can reach far): once, in a fresh one.
      this.runtime.restart();
      outcome = await this.runtime.request(message, timeout, this);
    }
    // The program changed the grader (quizkit.integrity): no later request runs in that interpreter.
    if (outcome.kind === "done" && JSON.parse(outcome.result).restart) this.runtime.restart();
    this.setBusy(false);
    return outcome;
  }

  async run() {
    const outcome = await this.send("run", "Running");
    if (!outcome || this.handleAbnormal(outcome, false)) return;
    const report = JSON.parse(outcome.result);
    if (report.status === "internal_error") {
      this.showOutput("");
      this.setVerdict("error", report.internal);
      this.reveal();
      return;
    }
    const error = report.error;
    this.showOutput(error ? `${report.output}${error.traceback || error.message}\n` : report.output);
    if (error) this.setVerdict("error", error.message);
    else this.setVerdict("ready", report.note || (report.output ? "Your program ran. Its output is below; Check it when you are ready." : "Your program ran and printed nothing. Check it when you are ready."));
    this.reveal();
  }

  async check() {
    const outcome = await this.send("grade", "Checking");
    if (!outcome || this.handleAbnormal(outcome, true)) return;
    const grade = JSON.parse(outcome.result);
    const error = grade.error;
    this.showOutput(error ? `${grade.output}${error.traceback || error.message}\n` : grade.output);
    if (grade.status === "passed" && !holdsTogether(grade, this.data)) {
      this.runtime.restart();  // as after a `tamper` error: no later request runs in that interpreter
      grade.status = "error";
      this.setVerdict("error", "Your code could not be checked: the grader said it passed, but not every check of this "
        + "exercise ran and passed. Did your code change the grader? Python has been restarted; your code is kept.");
    } else if (grade.status === "passed") {
      const n = grade.checks.length;
      this.setVerdict("passed", `Passed: ${n === 1 ? "the check passes" : `all ${n} checks pass`}. Well done!`, [this.checkList(grade.checks)]);
      this.state.solved = true;
    } else if (grade.status === "failed") {
      const failed = grade.checks.filter((c) => !c.passed).length;
      this.setVerdict("failed", `Not yet: ${failed} of ${grade.checks.length} checks failed.`, [this.checkList(grade.checks)]);
    } else if (grade.status === "internal_error") {
      this.setVerdict("error", grade.internal);
    } else {
      this.setVerdict("error", error ? error.message : "Your code could not be checked.");
    }
    this.recordCheck(grade.status === "internal_error" ? "error" : grade.status);
    this.reveal();
  }

  recordCheck(status) {
    const checked = textHash(this.sentSource ?? this.state.code);
    // The solution is offered after failed attempts, not failed clicks: the starter as given, or the code the Check
    // before already graded, is no new attempt.
    const attempt = checked !== this.state.checkedHash && checked !== this.state.starterHash;
    this.state.status = status;
    this.state.checkedHash = checked;
    if (status !== "passed" && attempt) this.state.failures += 1;
    this.persist();
    this.updateSolutionButton();
  }

  checkList(checks) {
    const list = element("ul", "quizkit-checks");
    for (const check of checks) {
      const item = element("li", `quizkit-check quizkit-check--${check.passed ? "passed" : "failed"}`);
      item.dataset.check = check.id;
      item.dataset.passed = String(check.passed);
      const mark = element("span", "quizkit-check__mark", check.passed ? "✓" : "✗");
      mark.setAttribute("aria-hidden", "true");
      item.append(mark, element("span", "quizkit-sr-only", check.passed ? "Passed: " : "Failed: "), element("span", "quizkit-check__message", check.message));
      if (check.misconception) {
        const why = element("p", "quizkit-check__misconception");
        why.append(element("strong", "", "Common mistake: "));
        richText(why, check.misconception);
        item.append(why);
      }
      list.append(item);
    }
    return list;
  }

  /** Timeouts, Stop, crashes: a clear verdict, the code kept. True when handled. */
  handleAbnormal(outcome, isCheck) {
    const limit = seconds(this.data.timeout_s);
    if (outcome.kind === "done") return false;
    this.showOutput("");
    if (outcome.kind === "timeout") {
      this.setVerdict("timeout", `Stopped after ${limit}: your code was still running. Look for a loop that never ends or very slow code. Your code is kept.`);
    } else if (outcome.kind === "stopped") {
      this.setVerdict("timeout", "Stopped: you pressed Stop. Your code is kept.");
    } else if (outcome.judge && outcome.kind === "crashed") {
      this.setVerdict("error", `The grader's Python stopped working, so your code was not checked. Your code is kept: press Check again. Details: ${outcome.error}`);
    } else if (outcome.judge) {
      this.setVerdict("error", `The grader's Python could not start, so your code was not checked. Your code is kept: press Check again, or reload the page. (${outcome.error})`);
    } else if (outcome.kind === "crashed") {
      this.setVerdict("error", `Python stopped working while running your code (very deep recursion or too much memory?). Your code is kept and Python starts again. Details: ${outcome.error}`);
    } else {
      this.setVerdict("error", `Python could not load, so your code cannot run. Check your connection, then reload the page: your code is kept. (${outcome.error})`);
    }
    if (isCheck && outcome.kind !== "unavailable" && !outcome.judge) this.recordCheck({ crashed: "error", stopped: "stopped" }[outcome.kind] ?? "timeout");
    this.reveal();
    return true;
  }

  // ------------------------------------------------------------ hints, reset, solution

  hint() {
    if (this.state.hintsShown >= this.hints.length) return;
    const li = this.hints[this.state.hintsShown];
    const focused = document.activeElement === this.buttons.hint;
    li.hidden = false;
    this.state.hintsShown += 1;
    this.persist();
    this.updateHintButton();
    this.notice.textContent = `Hint ${this.state.hintsShown} of ${this.hints.length} shown.`;
    // The last hint disables its button, and a disabled button loses focus to the page's start: the hint takes it.
    if (focused && this.buttons.hint.disabled) {
      li.tabIndex = -1;
      li.focus({ preventScroll: true });
    }
    // The hints come after the verdict and the output: on a phone, below the screen that holds the button.
    this.reveal([li]);
  }

  updateHintButton() {
    const left = this.hints.length - this.state.hintsShown;
    const button = this.buttons.hint;
    button.disabled = left <= 0;
    button.textContent = left > 0 ? `Hint ${this.state.hintsShown + 1} of ${this.hints.length}` : "No more hints";
    this.find("[data-role=hints]").hidden = this.state.hintsShown === 0;
  }

  reset() {
    const code = this.getCode();
    if (code === this.data.starter) {
      this.showNotice("Your code is already the starter code.");
      return;
    }
    this.undoCode = code;
    this.setCode(this.data.starter);
    this.codeChanged(this.data.starter);
    this.persist();
    this.showNotice("Your code was replaced by the starter code.", true);
  }

  undo() {
    if (this.undoCode === null) return;
    this.setCode(this.undoCode);
    this.codeChanged(this.undoCode);
    this.undoCode = null;
    this.persist();
    this.showNotice("Your code is back.");
  }

  showNotice(text, offerUndo = false) {
    this.notice.replaceChildren(element("span", "", text));
    if (offerUndo) {
      const undo = element("button", "quizkit-button quizkit-button--link", "Undo");
      undo.type = "button";
      undo.dataset.action = "undo";
      this.notice.append(" ", undo);
    }
  }

  solutionOffered() {
    return this.state.solved || this.state.failures >= this.data.solution_after_failures;
  }

  updateSolutionButton() {
    const offered = this.solutionOffered();
    const button = this.buttons.solution;
    if (button.hidden && offered && this.state.failures >= this.data.solution_after_failures && !this.state.solved) {
      this.showNotice(`After ${this.state.failures} tries, the reference solution is available.`);
    }
    button.hidden = !offered;
  }

  toggleSolution() {
    if (!this.solutionOffered()) return;
    const panel = this.find("[data-role=solution]");
    if (!panel.querySelector("code").textContent) panel.querySelector("code").textContent = this.data.solution;
    panel.hidden = !panel.hidden;
    this.buttons.solution.setAttribute("aria-expanded", String(!panel.hidden));
    this.buttons.solution.textContent = panel.hidden ? "Show solution" : "Hide solution";
  }
}
