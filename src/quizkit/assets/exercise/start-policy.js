// When an exercise page may start downloading Python: the rule for the page's module and its head script,
// and `askEarly`, which both use to ask for Python's largest files before the worker can.

/**
 * When Python's download (about 5.5 MB; 11 MB from a loopback host) may start on this page, by what the browser says of the link:
 *
 * - "ask": the reader's browser asks to save data (`navigator.connection.saveData`): only when the
 *   reader asks for Python (Run, Check, the "Load Python" button), never on scroll or focus.
 * - "now": the page comes from the reader's own machine (loopback: bytes cost nothing), or the browser
 *   measures a fast link: effectiveType "4g" and a downlink of at least FAST_DOWNLINK_MBPS, the most
 *   Chromium ever reports (it caps the figure at 10 Mbit/s). Python's 5.5 MB then take about 4.5 s at
 *   10 Mbit/s, spent while the reader reads the prompt.
 * - "intent": everything else, browsers that say nothing of the link included (Safari, iPhones on
 *   cellular, Firefox): when an exercise comes into view, the reader clicks in its editor, or asks.
 *
 * Where Python starts, `withSnapshot` says whether it also downloads its memory snapshot (5.3 MB, which
 * saves about 0.6 s of start-up work on this machine): only from a loopback host, where bytes cost nothing.
 * A link Chromium calls fast may be 10 Mbit/s as well as 100 (it caps the figure); the snapshot's download
 * takes 4.2 s at 10 Mbit/s and 0.85 s at 50: a start with the page at 50 Mbit/s was ready in 2.55 s with it,
 * in 2.1 s without (the README, "When Python downloads").
 *
 * `askEarly(urls)`: where Python starts lean, the page asks for its largest files (runtime.py
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
export function startPolicy(connection = globalThis.navigator?.connection, host = globalThis.location?.hostname ?? "") {
  if (connection?.saveData) return "ask";
  if (LOOPBACK.test(host)) return "now";
  if (connection?.effectiveType === "4g" && connection.downlink >= FAST_DOWNLINK_MBPS) return "now";
  return "intent";
}
export function withSnapshot(host = globalThis.location?.hostname ?? "") {
  return LOOPBACK.test(host);
}
export function askEarly(urls) {
  const drop = (response) => response.body && response.body.pipeTo(new WritableStream());
  for (const href of urls) fetch(href).then(drop).catch(() => {});
}
// inline-end
