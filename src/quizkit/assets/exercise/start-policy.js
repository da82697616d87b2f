// When an exercise page may start downloading Python: the rule for the page's module and its head script.

/**
 * When Python's download (about 14-21 MB) may start on this page, by what the browser says of the link:
 *
 * - "ask": the reader's browser asks to save data (`navigator.connection.saveData`): only when the
 *   reader asks for Python (Run, Check, the "Load Python" button), never on scroll or focus.
 * - "now": the page comes from the reader's own machine (loopback: bytes cost nothing), or the browser
 *   measures a fast link: effectiveType "4g" and a downlink of at least FAST_DOWNLINK_MBPS, the most
 *   Chromium ever reports (it caps the figure at 10 Mbit/s). 14 MB then take at most about 11 s, spent
 *   while the reader reads the prompt.
 * - "intent": everything else, browsers that say nothing of the link included (Safari, iPhones on
 *   cellular, Firefox): when an exercise comes into view, the reader clicks in its editor, or asks.
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
// inline-end
