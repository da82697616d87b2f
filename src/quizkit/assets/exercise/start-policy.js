// When an exercise page may start downloading Python: the rule for the page's module and its head script,
// and `askEarly`, which both use to ask for Python's largest file before the worker can.

/**
 * When Python's download (about 5.5 MB; 11 MB from a loopback host) may start on this page, by what the browser says of the link:
 *
 * - "ask": the reader's browser asks to save data (`navigator.connection.saveData`): only when the
 *   reader asks for Python (Run, Check, the "Load Python" button), never on scroll or focus.
 * - "now": the page comes from the reader's own machine (loopback: bytes cost nothing) and this browser
 *   started this build's Python before (`kept`, see `keptHere`), or the browser measures a fast link:
 *   effectiveType "4g" and a downlink of at least FAST_DOWNLINK_MBPS, the most Chromium ever reports (it
 *   caps the figure at 10 Mbit/s). Python's 5.5 MB then take about 4.5 s at 10 Mbit/s, spent while the
 *   reader reads the prompt.
 * - "load": a loopback host, on the first visit of this build: once the page has loaded (or at once
 *   when the reader reaches for an exercise). A first start compiles the 9.6 MB wasm and unpacks the
 *   snapshot, about a second of work on two threads, which on a two-core machine slowed the page's own
 *   first layout and scripts (lesson 1 on a phone: first paint 541 ms against 392, main-thread tasks
 *   over 50 ms 283 ms against 138, medians of five; Python ready 86 ms later). Later starts come from
 *   the browser's caches (the compiled wasm, the kept snapshot), cost far less, and go with the page.
 * - "intent": everything else, browsers that say nothing of the link included (Safari, iPhones on
 *   cellular, Firefox): when an exercise comes into view, the reader clicks in its editor, or asks.
 *
 * Where Python starts, `withSnapshot` says whether it downloads its memory snapshot (4.0 MB, which saves about
 * 1 s of start-up work on this machine) in any case: from a loopback host, where bytes cost nothing. Elsewhere
 * the worker decides on the build's first start in this browser, by the link's speed it measures (worker.js
 * "-choose", link-meter.js): a link Chromium calls fast may be 10 Mbit/s as well as 100 (it caps the figure),
 * and the snapshot's download takes 3.2 s at 10 Mbit/s, 0.6 s at 50.
 *
 * `keptHere(build)`: this browser has started this build's Python before (`keepHere` notes it when Python
 * is ready): its files are in the browser's caches. A note in localStorage under a key outside "quizkit:",
 * so the reader's exports and resets of their progress leave it alone: it says what the browser's caches
 * hold, not what the reader did.
 *
 * `askEarly(urls)`: where Python starts lean, the page asks for its largest file, the wasm (runtime.py
 * ASKED_FOR_BY_THE_PAGE) itself: the worker's own requests went out 0.1-0.25 s later, with the link idle
 * meanwhile. The bodies are read and dropped; the worker's requests share the HTTP cache's copy as it
 * arrives, so nothing comes twice.
 *
 * This file is the rule's only copy: the head script of exercise pages inlines the code between the
 * markers below (quizkit/plugin/embed.py `early_start`), so Python may start before any module loads.
 */
// inline-start
const FAST_DOWNLINK_MBPS = 10;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
const KEPT_KEY = "quizkit-python-kept";
export function startPolicy(connection = globalThis.navigator?.connection, host = globalThis.location?.hostname ?? "", kept = false) {
  if (connection?.saveData) return "ask";
  if (LOOPBACK.test(host)) return kept ? "now" : "load";
  if (connection?.effectiveType === "4g" && connection.downlink >= FAST_DOWNLINK_MBPS) return "now";
  return "intent";
}
export function withSnapshot(host = globalThis.location?.hostname ?? "") {
  return LOOPBACK.test(host);
}
export function keptHere(build) {
  try {
    return Boolean(build) && globalThis.localStorage.getItem(KEPT_KEY) === build;
  } catch {
    return false;
  }
}
export function askEarly(urls) {
  const drop = (response) => response.body && response.body.pipeTo(new WritableStream());
  for (const href of urls) fetch(href).then(drop).catch(() => {});
}
// inline-end

/** Note that this browser has started `build`'s Python (see `keptHere`); storage that refuses is no harm. */
export function keepHere(build) {
  try {
    if (build) globalThis.localStorage.setItem(KEPT_KEY, build);
  } catch {
    // Storage off or full: the next visit starts Python once the page has loaded, as a first one does.
  }
}
