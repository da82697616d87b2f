// SCORM 1.2 bridge of the course package: the launcher page (scorm.html) holds the LMS session and shows
// the course in a frame; this script reports what the reader's pages store in localStorage.
//
// Why a launcher: SCORM 1.2 allows one LMSInitialize ... LMSFinish per launch, and each page of the
// site is a new document; the launcher lives as long as the launch. Its frame's pages are the plain
// site's, untouched: they store progress as always (see assets/quizkit/progress.js for the keys), and
// the launcher, on the same origin, hears every change as a `storage` event.
//
// What it reports (SCORM 1.2 RTE):
//   cmi.core.lesson_status  incomplete until the scored quizzes are taken; then passed / failed by the
//                           mastery score (the LMS's cmi.student_data.mastery_score, else the package's),
//                           or completed when there is none
//   cmi.core.score.raw/min/max  the best scores of the scored quizzes, as a percentage (0-100)
//   cmi.suspend_data        the reader's progress (at most 4096 characters: trimmed field by field if
//                           needed); restored on start when this browser holds no progress of the course
//   cmi.core.session_time   from the launch to LMSFinish; cmi.core.exit "suspend" (the reader may return)
// Outside an LMS (no API found) it opens the course itself: the same files behave as the plain site.
(() => {
  "use strict";

  // The pages key the course's entries by the site's path (assets/quizkit/progress.js): this launcher is at the site's root.
  const PREFIX = `quizkit:v1:${new URL(".", window.location.href).pathname}:`;
  const KEPT = /^(exercise:[A-Za-z0-9_.-]+|quiz:[A-Za-z0-9_.-]+|activity|read)$/;
  const config = JSON.parse(document.getElementById("quizkit-scorm").textContent);

  /** SCORM 1.2's API discovery: `API` on this window or a parent (at most 10 up), then on the opener's chain. */
  function findApi() {
    const climb = (start) => {
      let win = start;
      for (let depth = 0; win && depth <= 10; depth++) {
        try {
          if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
        } catch {
          return null; // another origin: no API to reach there
        }
        if (win.parent === win) break;
        win = win.parent;
      }
      return null;
    };
    let opener = null;
    try {
      opener = window.top.opener;
    } catch {
      opener = null;
    }
    return climb(window) ?? (opener ? climb(opener) : null);
  }

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  /** The course's stored progress: {suffix: parsed value} for the keys the widgets write. */
  function progress() {
    const store = storage();
    const entries = {};
    if (!store) return entries;
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (!key?.startsWith(PREFIX) || !KEPT.test(key.slice(PREFIX.length))) continue;
      try {
        entries[key.slice(PREFIX.length)] = JSON.parse(store.getItem(key));
      } catch {
        // unreadable: the widgets ignore it too
      }
    }
    return entries;
  }

  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  const only = (value, fields) => (isObject(value)
    ? Object.fromEntries(Object.entries(value).filter(([field]) => fields.includes(field))) : value);

  /**
   * The progress as suspend data within `limit` characters: everything first, then less and less
   * (missed-question lists, exercise code, activity answers, quiz answers) while it is too long.
   */
  function suspendData(entries, limit) {
    const steps = [
      (key, value) => value,
      (key, value) => (key.startsWith("quiz:") ? only(value, ["answers", "submitted", "best", "seed", "variants"]) : value),
      (key, value) => (key.startsWith("exercise:") ? only(value, ["status", "solved", "hintsShown", "failures"]) : value),
      (key, value) => (key === "activity" ? only(value, ["version", "analysed"]) : value),
      (key, value) => (key.startsWith("quiz:") ? only(value, ["best", "seed"]) : value),
      (key, value) => (key.startsWith("exercise:") ? only(value, ["solved"]) : value),
    ];
    let kept = entries;
    let text = "";
    for (const step of steps) {
      kept = Object.fromEntries(Object.entries(kept).map(([key, value]) => [key, step(key, value)]));
      text = JSON.stringify({ v: 1, course: config.course, p: kept });
      if (text.length <= limit) return text;
    }
    return text; // still too long: the LMS may refuse it (LMSSetValue says so)
  }

  /** Put suspended progress back, only into a browser that holds none of this course. */
  function restore(text) {
    const store = storage();
    if (!store || !text || Object.keys(progress()).length) return false;
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return false;
    }
    if (!isObject(data) || data.v !== 1 || data.course !== config.course || !isObject(data.p)) return false;
    try {
      for (const [key, value] of Object.entries(data.p)) {
        if (KEPT.test(key)) store.setItem(PREFIX + key, JSON.stringify(value));
      }
    } catch {
      return false; // storage refused or full: the reader starts afresh in this browser
    }
    return true;
  }

  /** {raw, taken}: the scored quizzes' best scores as a percentage, and whether each was taken. */
  function score(entries) {
    let points = 0;
    let questions = 0;
    let taken = true;
    let any = false;
    for (const quiz of config.quizzes) {
      const best = entries[`quiz:${quiz.id}`]?.best;
      questions += quiz.questions;
      if (Number.isInteger(best) && best >= 0 && best <= quiz.questions) {
        points += best;
        any = true;
      } else {
        taken = false;
      }
    }
    return { raw: any && questions ? Math.round((100 * points) / questions) : null, taken };
  }

  /** CMITimespan: HHHH:MM:SS.SS. */
  function timespan(ms) {
    const centis = Math.max(0, Math.round(ms / 10));
    const pad = (n, width) => String(n).padStart(width, "0");
    const hours = Math.min(9999, Math.floor(centis / 360000));
    return `${pad(hours, 4)}:${pad(Math.floor(centis / 6000) % 60, 2)}:${pad(Math.floor(centis / 100) % 60, 2)}.${pad(centis % 100, 2)}`;
  }

  function openCourse(frame) {
    frame.src = config.start;
  }

  function start() {
    const frame = document.getElementById("quizkit-scorm-frame");
    const api = findApi();
    if (!api) {
      window.location.replace(config.start); // no LMS: the plain site
      return;
    }
    if (String(api.LMSInitialize("")) !== "true") {
      console.warn(`quizkit: the LMS refused to start the session (error ${api.LMSGetLastError()})`);
      openCourse(frame);
      return;
    }
    const started = Date.now();
    const lmsMastery = Number.parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));
    const mastery = Number.isFinite(lmsMastery) ? lmsMastery : config.mastery;
    const restored = restore(String(api.LMSGetValue("cmi.suspend_data") ?? ""));
    let sent = {};
    let finished = false;

    const set = (element, value) => {
      if (sent[element] === value) return;
      if (String(api.LMSSetValue(element, value)) === "true") sent[element] = value;
      else console.warn(`quizkit: the LMS refused ${element} (error ${api.LMSGetLastError()})`);
    };

    /** Report the progress as it stands; commit if anything changed. */
    const report = () => {
      if (finished) return;
      const before = JSON.stringify(sent);
      const entries = progress();
      const { raw, taken } = score(entries);
      let status = "incomplete";
      if (taken) status = mastery === null || mastery === undefined ? "completed" : raw >= mastery ? "passed" : "failed";
      set("cmi.core.lesson_status", status);
      if (raw !== null) {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", String(raw));
      }
      set("cmi.suspend_data", suspendData(entries, config.suspendLimit));
      if (JSON.stringify(sent) !== before) api.LMSCommit("");
    };

    let pending = null;
    const later = () => {
      clearTimeout(pending);
      pending = setTimeout(report, 200);
    };
    window.addEventListener("storage", (event) => {
      if (event.key === null || event.key.startsWith("quizkit:")) later();
    });
    frame.addEventListener("load", later);

    const finish = () => {
      if (finished) return;
      clearTimeout(pending);
      report();
      finished = true;
      api.LMSSetValue("cmi.core.session_time", timespan(Date.now() - started));
      api.LMSSetValue("cmi.core.exit", "suspend");
      api.LMSCommit("");
      api.LMSFinish("");
    };
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);

    window.quizkitScorm = { report, finish, restored, mastery, timespan, suspendData, score };
    report();
    openCourse(frame);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
