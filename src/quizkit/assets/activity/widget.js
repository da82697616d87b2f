// The activity on the page: the form and its messages, the analysis in the Python worker, saved answers, files.
import { megabytes } from "../exercise/runtime.js";
import { onLeave, readEntry, writeEntry } from "../exercise/store.js";
import { inputProblem, readImport, readSaved, statusChoices } from "./check.js";
import { el, renderResults, summary } from "./results.js";

const SAVE_DELAY_MS = 300;
const ANALYSE_TIMEOUT_MS = 15_000;
const MAX_IMPORT_BYTES = 1_000_000;
/** Why the analysis did not run, in words, with what helps: Python that could not load will not on a second press. */
const NOT_RUN = {
  unavailable: "Python could not load, so the analysis cannot run. Check your connection, then reload the page: your answers are kept.",
  timeout: "The analysis took too long and was stopped. Press Analyse again; if it happens again, reload the page (your answers are kept).",
  stopped: "The analysis was stopped. Press Analyse to run it again.",
  crashed: "Python stopped working during the analysis. Press Analyse again; if it happens again, reload the page (your answers are kept).",
};

/** Today in the reader's time zone, as YYYY-MM-DD: the projection and the next refill start from it. */
function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export class ActivityWidget {
  /**
   * @param {HTMLElement} root `[data-quizkit-activity]`
   * @param {import("../exercise/runtime.js").Runtime} runtime
   */
  constructor(root, runtime) {
    this.root = root;
    this.runtime = runtime;
    this.data = JSON.parse(root.querySelector("script.quizkit-activity-data").textContent);
    this.fields = new Map(this.data.fields.map((f) => [f.name, f]));
    this.find = (selector) => root.querySelector(selector);
    this.form = this.find("[data-role=form]");
    this.results = this.find("[data-role=results]");
    this.resultsBody = this.find("[data-role=results-body]");
    this.notice = this.find("[data-role=notice]");
    this.announcer = this.find("[data-role=announce]");
    this.runtimeStatus = this.find("[data-role=runtime-status]");
    this.storageNotice = this.addStorageNotice();
    this.buttons = Object.fromEntries([...root.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]));
    this.report = "";
    this.busy = false;
    this.touched = new Set();
    this.undoState = null;
    const saved = this.loadSaved();
    if (saved) this.apply(saved);
    this.bind();
    if (saved) this.showSavedProblems(saved);
    // Analysed before, or refused by the analysis (a rule the form cannot check, such as more boosts than
    // proposals): run again, quietly, so the results or the refusal's messages come back with the values.
    if ((saved?.analysed || saved?.refused) && this.problems().length === 0) this.analyse({ quiet: true });
    onLeave(() => { if (this.saveTimer) this.save(); }); // the answers, not only SAVE_DELAY_MS after the last key
  }

  // ------------------------------------------------------------ form values

  controls(name) {
    return [...this.form.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
  }

  /** The form as a profile (numbers as numbers, "" when empty; only the sections chosen). */
  values() {
    const sections = {};
    for (const section of this.data.sections) {
      const chosen = this.controls(`sections.${section.id}`).find((radio) => radio.checked);
      if (chosen) sections[section.id] = chosen.value;
    }
    const profile = { sections, plan: this.controls("plan")[0].value };
    for (const field of this.data.fields) {
      const input = this.controls(field.name)[0];
      profile[field.name] = input.value === "" ? "" : Number(input.value);
    }
    return profile;
  }

  /** Put answers in the form: `{sections, plan, numbers}` (saved) or a full profile (imported). */
  apply({ sections = {}, plan, numbers, ...rest }) {
    for (const section of this.data.sections) {
      for (const radio of this.controls(`sections.${section.id}`)) radio.checked = radio.value === sections[section.id];
    }
    this.controls("plan")[0].value = plan ?? "";
    const source = numbers ?? rest;
    for (const field of this.data.fields) {
      const input = this.controls(field.name)[0];
      if (field.name in source) input.value = source[field.name] === "" ? "" : String(source[field.name]);
      else input.value = field.default === null ? "" : String(field.default);
    }
  }

  /**
   * A value the form refused is kept when saved: after a reload it is back in its field with its
   * message, never silently dropped. Fields left empty are not flagged (the reader has not got there).
   */
  showSavedProblems(saved) {
    const flagged = [];
    for (const name of Object.keys(saved.numbers ?? {})) {
      if (saved.numbers[name] === "") continue;
      const problem = this.problemOf(name);
      if (problem) {
        this.showError(name, problem, "form");
        this.touched.add(name);
        flagged.push(name);
      }
    }
    if (flagged.length) {
      const count = flagged.length === 1 ? "One answer you saved needs" : `${flagged.length} answers you saved need`;
      this.showFormError(`${count} your attention: see the messages next to the fields.`);
    }
  }

  // ------------------------------------------------------------ messages next to fields

  errorElement(name) {
    return [...this.root.querySelectorAll("[data-error-for]")].find((node) => node.dataset.errorFor === name) ?? null;
  }

  showError(name, message, source) {
    const target = this.errorElement(name);
    if (!target || name === "form") {
      this.showFormError(message);
      return;
    }
    target.textContent = message;
    target.dataset.source = source;
    for (const control of this.controls(name)) control.setAttribute("aria-invalid", "true");
    target.closest("[data-field]")?.setAttribute("data-invalid", "true");
  }

  clearError(name) {
    const target = this.errorElement(name);
    if (!target) return;
    target.textContent = "";
    delete target.dataset.source;
    for (const control of this.controls(name)) control.removeAttribute("aria-invalid");
    target.closest("[data-field]")?.removeAttribute("data-invalid");
  }

  clearErrors() {
    for (const node of this.root.querySelectorAll("[data-error-for]")) this.clearError(node.dataset.errorFor);
    this.showFormError("");
  }

  showFormError(message) {
    this.errorElement("form").textContent = message;
  }

  /** What the HTML constraints say about one field ("" when fine). */
  problemOf(name) {
    if (name.startsWith("sections.")) {
      const radios = this.controls(name);
      return radios.some((r) => r.checked) || !radios[0]?.required ? "" : `Choose one: ${statusChoices(this.data)}.`;
    }
    const control = this.controls(name)[0];
    if (!control) return "";
    if (name === "plan") return control.validity.valueMissing ? "Choose your plan." : "";
    return inputProblem(this.fields.get(name), control);
  }

  fieldNames() {
    return [...this.data.sections.map((s) => `sections.${s.id}`), "plan", ...this.data.fields.map((f) => f.name)];
  }

  /** Every field the HTML constraints refuse, each with its message shown; [[name, message]]. */
  problems() {
    return this.fieldNames().map((name) => [name, this.problemOf(name)]).filter(([, problem]) => problem);
  }

  checkField(name) {
    const problem = this.problemOf(name);
    if (problem) this.showError(name, problem, "form");
    else this.clearError(name);
  }

  focusField(name) {
    const controls = this.controls(name);
    (controls.find((c) => c.checked) ?? controls[0])?.focus();
  }

  /** Show each problem next to its field, and say how many there are; focus the first unless `quiet`. */
  refuse(problems, source, quiet = false) {
    for (const [name, message] of problems) this.showError(name, message, source);
    const count = problems.length === 1 ? "One answer needs" : `${problems.length} answers need`;
    this.showFormError(`${count} your attention: see the messages next to the fields.`);
    this.hideResults();
    const first = problems.find(([name]) => this.controls(name).length);
    if (first && !quiet) this.focusField(first[0]);
  }

  // ------------------------------------------------------------ events

  bind() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.analyse();
    });
    const changed = (event) => {
      const name = event.target.name;
      if (!name) return;
      this.touched.add(name);
      // A field showing a message is checked again as the reader types, so the message goes once fixed.
      if (this.errorElement(name)?.textContent || name.startsWith("sections.")) this.checkField(name);
      this.answersChanged();
    };
    this.form.addEventListener("input", changed);
    this.form.addEventListener("change", changed);
    // On a link not known to be fast, Python starts when the reader starts on the form (Analyse starts it
    // too); under Save-Data only Analyse does (start-policy.js).
    this.form.addEventListener("focusin", () => {
      this.runtime.reachedFor("form");
    });
    this.form.addEventListener("focusout", (event) => {
      const name = event.target.name;
      // Leaving for a button (Analyse checks everything anyway): a message appearing now would move
      // the button away under the pointer, and the click would be lost.
      if (event.relatedTarget?.closest?.("button")) return;
      if (name && !name.startsWith("sections.") && this.touched.has(name)) this.checkField(name);
    });
    const actions = {
      clear: () => this.clear(),
      undo: () => this.undo(),
      "export-markdown": () => this.exportMarkdown(),
      "export-json": () => this.exportJson(),
      print: () => window.print(),
    };
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button || button.disabled || !this.root.contains(button)) return;
      actions[button.dataset.action]?.();
    });
    const importInput = this.buttons.import;
    importInput.addEventListener("change", () => this.importFile(importInput));
    for (const name of ["analyse", "clear", "export-json", "import"]) this.buttons[name].disabled = false;
    this.root.dataset.mounted = "true";
  }

  answersChanged() {
    if (!this.results.hidden) this.find("[data-role=stale]").hidden = false;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  // ------------------------------------------------------------ storage

  loadSaved() {
    let raw;
    try {
      raw = JSON.parse(readEntry(this.data.storage_key) ?? "null");
    } catch {
      return null;
    }
    return readSaved(this.data, raw);
  }

  save(analysed = this.results.hidden ? false : this.find("[data-role=stale]").hidden) {
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const record = { version: 1, profile: this.values(), analysed };
    if (this.refusedByAnalysis()) record.refused = true;
    // Storage refused (private mode, full, blocked): the activity works, and says its answers are not kept.
    // Saved, the progress marks (progress.js) follow (`quizkit:saved`).
    this.showStorageProblem(!writeEntry(this.data.storage_key, record));
  }

  /** Where the activity says its answers are not kept: a status region by Analyse, empty (no room) while saves work. */
  addStorageNotice() {
    const notice = el("p", { className: "quizkit-activity__storage-notice", "data-role": "storage-notice", role: "status" });
    this.form.querySelector(".quizkit-activity__actions").after(notice);
    return notice;
  }

  showStorageProblem(failed) {
    const text = failed
      ? "Your answers could not be saved in this browser: its storage for this site is full or turned off. They stay "
        + "in the form until you leave or reload this page; to keep them, use “Save my answers to a file” below."
      : "";
    if (this.storageNotice.textContent !== text) this.storageNotice.textContent = text;
  }

  /** Whether a message from the analysis is showing (it goes when the reader edits its field). */
  refusedByAnalysis() {
    return [...this.root.querySelectorAll("[data-error-for][data-source=analysis]")].some((node) => node.textContent);
  }

  // ------------------------------------------------------------ runtime and analysis

  runtimeChanged({ state, detail, progress }) {
    // Sizes unknown (a site loading Pyodide from elsewhere): a bar that only says "working", no figure.
    const known = Number.isFinite(progress);
    // How much Python costs, as on exercise pages: the reader decides whether to spend it.
    const size = this.runtime.pythonBytes ? ` (up to ${megabytes(this.runtime.pythonBytes)} to download)` : "";
    const waiting = detail === "ask"
      ? `Your browser asks to save data: Python${size} loads only when you press Analyse.`
      : `Python${size} loads when you start on the form (or press Analyse): your analysis runs in this browser.`;
    const loading = `${String(detail)}…${known ? ` ${Math.round(progress * 100)}%` : ""}`;
    const text = { waiting, loading, ready: "Python is ready: your analysis runs in this browser.", error: detail }[state];
    this.runtimeStatus.textContent = text ?? detail;
    this.runtimeStatus.dataset.state = state;
    const bar = this.find("progress[data-role=runtime-progress]");
    if (known) bar.value = progress;
    else bar.removeAttribute("value");
    bar.hidden = state !== "loading";
  }

  setBusy(busy) {
    this.busy = busy;
    this.buttons.analyse.disabled = busy;
    this.buttons.analyse.textContent = busy ? "Analysing…" : "Analyse";
    this.root.setAttribute("aria-busy", String(busy));
    this.root.dataset.state = busy ? "running" : this.results.hidden ? "idle" : "done";
  }

  /** Check the answers, then have Python analyse them; `data-runs` counts the analyses that ended. */
  async analyse({ quiet = false } = {}) {
    if (this.busy) return;
    try {
      await this.runAnalysis(quiet);
    } finally {
      this.root.dataset.runs = String(Number(this.root.dataset.runs ?? 0) + 1);
    }
  }

  async runAnalysis(quiet) {
    this.clearErrors();
    const problems = this.problems();
    if (problems.length) {
      this.refuse(problems, "form");
      this.root.dataset.state = "refused";
      return;
    }
    const profile = this.values();
    this.setBusy(true);
    if (this.runtime.status.state !== "ready") this.announce("The analysis runs as soon as Python is ready.");
    const outcome = await this.runtime.request({ type: "analyse", profile: JSON.stringify({ ...profile, today: localToday() }) }, ANALYSE_TIMEOUT_MS, this, { spare: false });
    this.setBusy(false);
    if (outcome.kind !== "done") {
      this.showFormError(NOT_RUN[outcome.kind] ?? NOT_RUN.crashed);
      this.root.dataset.state = "error";
      return;
    }
    const answer = JSON.parse(outcome.result);
    if (!answer.ok) {
      if (answer.internal) {
        this.showFormError(answer.internal);
        this.root.dataset.state = "error";
      } else {
        // The analysis refuses what the form let through: shown the same way, next to the fields.
        this.refuse(Object.entries(answer.errors), "analysis", quiet);
        this.root.dataset.state = "refused";
        this.save(false);
      }
      return;
    }
    this.report = answer.report;
    this.showResults(answer.result, profile, quiet);
  }

  showResults(result, profile, quiet) {
    renderResults(this.resultsBody, result, profile, this.data);
    this.results.hidden = false;
    this.find("[data-role=stale]").hidden = true;
    this.root.dataset.state = "done";
    this.root.dataset.hasResults = "true";
    this.showFileButtons(true);
    this.save(true);
    this.announce(summary(result, profile, this.data));
    const reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    if (!quiet) this.results.scrollIntoView?.({ block: "start", behavior: reduced ? "instant" : "smooth" });
  }

  hideResults() {
    this.results.hidden = true;
    delete this.root.dataset.hasResults;
    this.report = "";
    this.showFileButtons(false);
  }

  /** The report and the printout exist only with an analysis: until then a sentence says when they come. */
  showFileButtons(shown) {
    this.buttons["export-markdown"].hidden = !shown;
    this.buttons.print.hidden = !shown;
    this.find("[data-role=files-note]").hidden = shown;
  }

  announce(text) {
    // Emptied first, so the same sentence twice is announced twice.
    this.announcer.textContent = "";
    setTimeout(() => {
      this.announcer.textContent = text;
    }, 50);
  }

  setNotice(text, { status = "info", offerUndo = false } = {}) {
    this.notice.dataset.status = status;
    this.notice.replaceChildren(el("span", {}, text));
    if (offerUndo) {
      const undo = el("button", { type: "button", className: "quizkit-activity__button quizkit-activity__button--link", "data-action": "undo" }, "Undo");
      this.notice.append(" ", undo);
    }
  }

  // ------------------------------------------------------------ clear, files

  clear() {
    this.undoState = this.values();
    this.apply({ sections: {}, plan: "", numbers: {} });
    this.clearErrors();
    this.hideResults();
    this.touched.clear();
    this.save(false);
    this.setNotice("Your answers were cleared.", { offerUndo: true });
  }

  undo() {
    if (!this.undoState) return;
    this.apply(this.undoState);
    this.undoState = null;
    this.save(false);
    this.setNotice("Your answers are back.");
  }

  exportMarkdown() {
    if (!this.report) return;
    // A text file: a phone opens it (the report is Markdown, which reads as plain text).
    download("connects-analysis.txt", "text/plain;charset=utf-8", this.report);
    this.setNotice("The report was downloaded as connects-analysis.txt.");
  }

  exportJson() {
    this.clearErrors();
    const problems = this.problems();
    if (problems.length) {
      this.refuse(problems, "form");
      this.setNotice("Complete the marked answers before you save them.", { status: "error" });
      return;
    }
    download("connects-activity.json", "application/json", `${JSON.stringify(this.values(), null, 2)}\n`);
    this.setNotice("Your answers were saved to connects-activity.json, in your downloads. Import that file here to restore them.");
  }

  async importFile(input) {
    const file = input.files?.[0];
    if (!file) return;
    let text = "";
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error("too large");
      text = await file.text();
    } catch {
      text = null;
    }
    input.value = "";
    const read = text === null ? { problems: ["the file could not be read (is it larger than 1 MB?)."] } : readImport(this.data, text);
    if (read.problems) {
      const shown = read.problems.slice(0, 4).join(" ");
      const more = read.problems.length > 4 ? ` And ${read.problems.length - 4} more.` : "";
      this.setNotice(`“${file.name}” was not imported, and your answers are unchanged: ${shown}${more}`, { status: "error" });
      return;
    }
    this.undoState = this.values();
    this.apply(read.profile);
    this.clearErrors();
    this.hideResults();
    this.save(false);
    this.setNotice(`Your answers were imported from “${file.name}”. Select Analyse to see the analysis.`, { offerUndo: true });
  }
}
