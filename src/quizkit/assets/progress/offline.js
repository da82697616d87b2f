// Registers the course's service worker (`sw.js` at the site root; see quizkit/plugin/offline.py) and
// moves the page to a new build of the course without ever mixing two builds in one page.
//
// - First visit: the worker precaches the whole site, Python included; the next visit works offline.
//   On pages that start Python, registration waits until Python is ready, so the two downloads do
//   not compete.
// - A new build (found when a page loads): it installs beside the old one, which keeps serving this
//   page. If the reader has not started working on the page (no key, click or input yet), the page
//   asks the new worker to take over and reloads; otherwise a notice offers "Reload".
//
// Hook: `window.quizkit.offline` = {state: "installing" | "ready" | "error" | "unsupported", registration};
// `quizkit:offline` is dispatched on document when the state changes.

const READY_WAIT_MS = 30_000;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const offline = { state: "installing", registration: null };

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

  // Python first: on a page that starts it, precaching waits until it is ready (or a while).
  if (api.ready && typeof api.ready.then === "function") {
    await Promise.race([api.ready.catch(() => {}), new Promise((resolve) => { setTimeout(resolve, READY_WAIT_MS); })]);
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
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
      if (worker.state === "redundant" && !registration.active) setState("error");
    });
  });
  if (registration.active) setState("ready");
  else workers.ready.then(() => setState("ready"));
}
