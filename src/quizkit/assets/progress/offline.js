// Registers the course's service worker (`sw.js` at the site root; see quizkit/plugin/offline.py) and
// moves the page to a new build of the course without ever mixing two builds in one page.
//
// - First visit: the worker precaches the course (pages, styles, scripts); the next visit works
//   offline. Python is kept too once a page has started it: on such a page, registration waits
//   until Python is ready (so the downloads do not compete), then asks the worker to keep the files
//   Python was started from (they come from the HTTP cache). A page without Python never fetches them,
//   nor does a page where Python waits for the reader (a link not known to be fast, Save-Data: see
//   exercise/start-policy.js), and Python is kept there only once the reader has started it and it is
//   ready. Under Save-Data registration goes ahead at once; on a slow link it waits a few seconds
//   (INTENT_WAIT_MS) for the reader to reach an exercise, and if they do, for Python to be ready.
// - A new build (found when a page loads): it installs beside the old one, which keeps serving this
//   page. If the reader has not started working on the page (no key, click or input yet), the page
//   asks the new worker to take over and reloads; otherwise a notice offers "Reload".
//
// Hook: `window.quizkit.offline` = {state: "installing" | "ready" | "error" | "unsupported", registration,
// registeredAt (performance.now() of the registration), python: whether Python is kept too}; `quizkit:offline` is dispatched on document when the state changes
// ("ready" on a page with Python: once Python is kept as well).

const READY_WAIT_MS = 30_000;
const INTENT_WAIT_MS = 5_000;
const KEEP_WAIT_MS = 120_000;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const offline = { state: "installing", registration: null, python: false };

/** Ask the active service worker something; its answer, or null if it does not answer in time. */
function ask(worker, message, waitMs) {
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => { channel.port1.onmessage = (event) => resolve(event.data); });
  worker.postMessage(message, [channel.port2]);
  return Promise.race([answer, new Promise((resolve) => { setTimeout(() => resolve(null), waitMs); })]);
}

function setState(state) {
  offline.state = state;
  document.dispatchEvent(new CustomEvent("quizkit:offline", { detail: { state } }));
}

/** The notice that a new build is ready, with a button that applies it. */
export function showUpdate(apply) {
  let box = document.querySelector("[data-quizkit-update]");
  if (!box) {
    const button = element("button", { type: "button", class: "quizkit-action quizkit-action--primary", "data-action": "update" }, "Reload");
    box = element("div", { class: "quizkit-update", "data-quizkit-update": "", role: "status" },
      element("span", {}, "A new version of this course is available. "), button);
    button.addEventListener("click", () => {
      button.disabled = true;
      apply();
    });
    document.body.append(box);
  }
}

export async function start(course) {
  const api = (window.quizkit ??= {});
  api.offline = offline;
  const workers = navigator.serviceWorker;
  if (!workers) {
    setState("unsupported");
    return;
  }
  let touched = false;
  for (const type of ["keydown", "pointerdown", "input"]) {
    window.addEventListener(type, () => { touched = true; }, { capture: true, once: true });
  }
  let controlled = Boolean(workers.controller);
  let requested = false;
  workers.addEventListener("controllerchange", () => {
    if (!controlled) {
      controlled = true; // the first install took control of this page: same build, nothing to do
      return;
    }
    if (requested) window.location.reload();
    else showUpdate(() => window.location.reload()); // another tab moved the course to a new build
  });

  const offer = (worker) => {
    if (!workers.controller) return; // first install: nothing to replace
    const apply = () => {
      requested = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    };
    if (touched) showUpdate(apply);
    else apply();
  };

  // Python first: on a page that starts it (at once, or once the page has loaded), precaching waits until
  // it is ready (or a while). Where Python waits for the reader on a link not known to be fast ("intent"),
  // the course waits INTENT_WAIT_MS for the reader to reach an exercise: one who goes straight to it gets
  // Python's bytes first (about 1 MB less to share the link with), one who only reads gets the offline
  // copy a few seconds later.
  const python = Boolean(api.ready && typeof api.ready.then === "function");
  let started = false;
  if (python && api.runtime?.waiting === "intent" && api.runtime.started) {
    await Promise.race([api.runtime.started, new Promise((resolve) => { setTimeout(resolve, INTENT_WAIT_MS); })]);
  }
  if (python && api.runtime?.waiting === "load") await api.runtime.started; // a task after the page's load
  if (python && !api.runtime?.waiting) {
    started = await Promise.race([api.ready.then(() => true, () => false),
      new Promise((resolve) => { setTimeout(() => resolve(false), READY_WAIT_MS); })]);
  }
  let registration;
  try {
    registration = await workers.register(new URL("sw.js", course.root), { scope: course.root.pathname, updateViaCache: "none" });
  } catch (error) {
    setState("error");
    console.warn("quizkit: the course cannot be kept for offline use:", error?.message ?? error);
    return;
  }
  if (!registration) {
    setState("unsupported"); // service workers turned off (a browser setting, or a test harness)
    return;
  }
  offline.registration = registration;
  offline.registeredAt = performance.now(); // for tests and the benchmark: after Python's readyAt, where it started first
  const watch = (worker) => {
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
      if (worker.state === "redundant" && !registration.active) setState("error");
    });
  };
  if (registration.waiting) offer(registration.waiting);
  // The browser checks for a new build when the page loads: it may be installing already.
  watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  const active = (await workers.ready).active;
  // Python is kept where it ran; elsewhere the page only learns whether an earlier page kept it.
  const answer = started ? await ask(active, { type: "KEEP_RUNTIME" }, KEEP_WAIT_MS) : await ask(active, { type: "GET_BUILD" }, 5_000);
  offline.python = Boolean(answer?.python);
  if (started && answer?.error) console.warn("quizkit: Python could not be kept for offline use:", answer.error);
  setState("ready");
  if (python && !started && !offline.python) {
    // Python started later (the reader asked for it), or took longer than READY_WAIT_MS: kept once ready.
    api.ready.then(async () => {
      const kept = await ask((await workers.ready).active, { type: "KEEP_RUNTIME" }, KEEP_WAIT_MS);
      if (kept?.error) console.warn("quizkit: Python could not be kept for offline use:", kept.error);
      offline.python = Boolean(kept?.python);
      setState("ready");
    }, () => {});
  }
}
