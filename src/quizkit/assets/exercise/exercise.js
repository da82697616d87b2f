// Entry of the exercise widgets: starts Python in a worker (at once on a fast link, else when the
// reader is about to need it: see start-policy.js), then mounts every exercise.
//
// Hooks for tests and integrations: `.quizkit-exercise[data-exercise-id]`, `window.quizkit.ready`,
// `window.quizkit.exercise(id).getCode() / .setCode(source)`, `window.quizkit.runtime.startedBy`
// (null until Python starts), `window.quizkit.pythonBytes`.
import { onEveryPage } from "./every-page.js";
import { pageRuntime } from "./runtime.js";
import { ExerciseWidget } from "./widget.js";

/* global QUIZKIT_BUILD */
const here = import.meta.url;
// QUIZKIT_BUILD is set at site build time (esbuild --define): each build's files get their own URLs.
const BUILD = typeof QUIZKIT_BUILD === "string" ? QUIZKIT_BUILD : null;
const version = BUILD ? `?v=${BUILD}` : "";
const asset = (name) => new URL(name + version, here);

function addStylesheet() {
  const href = asset("exercise.css").href;
  const plain = href.split("?")[0];
  if ([...document.querySelectorAll("link[rel=stylesheet]")].some((link) => link.href.split("?")[0] === plain)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.append(link);
}

const EDITOR_WAIT_MS = 1500;
/** How far outside the screen an exercise gets its editor: one screen's height, so it is there when the reader arrives. */
const EDITOR_MARGIN = "100% 0px";

/**
 * When the page may load the editor (400 KB of CodeMirror to parse): once Python is ready, or the
 * reader reaches for the page, or after EDITOR_WAIT_MS, whichever comes first. On a machine with two
 * cores, loading it at once slows Python down by about 60 ms; on a slow network Python may take seconds,
 * the editor does not wait that long, unless Python is downloading over a real link (a lean start):
 * then its 140 KB would only slow Python down, and it comes with Python or the reader's first touch.
 */
function editorAllowed(runtime) {
  return new Promise((resolve) => {
    runtime.ready.then(resolve, resolve);
    setTimeout(() => { if (!runtime.lean || runtime.waiting) resolve(); }, EDITOR_WAIT_MS);
    for (const type of ["pointerdown", "keydown", "focusin"]) document.addEventListener(type, resolve, { once: true, capture: true });
  });
}

let nearby = null;
const approached = new Map();

/**
 * Resolves when the reader nears the exercise (within a screen of it) or reaches into it (a tap, a
 * click, keyboard focus). An exercise further down the page gets no editor until then: making one
 * (CodeMirror lays it out at once) and parsing the bundle cost the page 50-120 ms each on two cores,
 * tasks that kept it from answering the reader while they read the top of the page.
 */
function approach(root) {
  return new Promise((resolve) => {
    const done = () => {
      approached.delete(root);
      nearby?.unobserve(root);
      resolve();
    };
    for (const type of ["pointerdown", "focusin"]) root.addEventListener(type, done, { once: true, capture: true });
    if (typeof IntersectionObserver !== "function") return done();
    nearby ??= new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) approached.get(entry.target)?.();
    }, { rootMargin: EDITOR_MARGIN });
    approached.set(root, done);
    nearby.observe(root);
  });
}

let editorBundle = null;

/** The editor module for one exercise: loaded once the page allows it and the reader nears the exercise. */
function editorFor(root, allowed) {
  return Promise.all([allowed, approach(root)]).then(() => {
    editorBundle ??= import(asset("editor.js").href);
    return editorBundle;
  });
}

const widgets = new Map();
let runtime = null;
let editorAllowedNow = null;

/** The build the page was made with (the widget's markup says it), or null. */
const pageBuild = () => document.querySelector(".quizkit-exercise[data-quizkit-build]")?.dataset.quizkitBuild ?? null;

/**
 * This copy of the script is the one to run: the plugin's tag asks for the page's own build
 * (`exercise.js?v=<build>`), but a page may load another copy too (an integration, an old cache
 * entry of an unversioned URL). The first copy of the page's build wins.
 */
function isInCharge() {
  if (window.quizkit?.runtime) return window.quizkit.runtime === runtime;
  const expected = pageBuild();
  return !expected || !BUILD || expected === BUILD;
}

function boot() {
  if (runtime || !isInCharge()) return;
  runtime = pageRuntime(asset("worker.js"), (status) => {
    for (const widget of widgets.values()) if (widget.root.isConnected) widget.runtimeChanged(status);
  }, BUILD);
  editorAllowedNow = editorAllowed(runtime);
  const api = (window.quizkit ??= {});
  api.ready = runtime.ready;
  api.runtime = runtime;
  api.pythonBytes = runtime.pythonBytes;
  api.exercise = (id) => {
    const widget = widgets.get(id);
    if (!widget) throw new Error(`no exercise '${id}' on this page`);
    return {
      element: widget.root,
      getCode: () => widget.getCode(),
      setCode: (source) => widget.setCode(String(source)),
      run: () => widget.run(),
      check: () => widget.check(),
    };
  };
}

let inView = null;

/** Whether any part of `element` is inside the viewport now (what IntersectionObserver calls intersecting). */
function inViewport(element) {
  const box = element.getBoundingClientRect();
  return box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
}

/**
 * On a link that is not known to be fast, Python starts when an exercise comes into view (the reader
 * is about to work on it; focus in its editor, Run and Check start it too, see widget.js). Not under
 * Save-Data: there only the reader's own request starts it.
 *
 * The widgets also look themselves as they mount, in a microtask (after anything else that reacts to the
 * mounting, such as a script scrolling to the exercise): an observer's first report, and even the page's
 * first frame, come only after Material's script and the tasks the loading page has queued (0.1-0.15 s
 * on lesson 1). Python's worker then started 0.11-0.13 s sooner at 50 Mbit/s (README).
 */
function startWhenInView(roots) {
  if (runtime.waiting !== "intent" || typeof IntersectionObserver !== "function") return;
  inView ??= new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    if (runtime.waiting === "intent") runtime.start("view");
    inView.disconnect();
  });
  for (const root of roots) inView.observe(root);
  queueMicrotask(() => {
    if (runtime.waiting === "intent" && [...roots].some(inViewport)) runtime.start("view");
  });
}

function mountAll() {
  const roots = document.querySelectorAll(".quizkit-exercise[data-exercise-id]:not([data-mounted])");
  if (!roots.length) return;
  boot();
  if (!runtime || !isInCharge()) return;
  addStylesheet();
  for (const root of roots) {
    try {
      const widget = new ExerciseWidget(root, runtime, editorFor(root, editorAllowedNow));
      widgets.set(widget.id, widget);
      runtime.warm(widget.dataText);
      widget.runtimeChanged(runtime.status);
    } catch (error) {
      console.error("quizkit: cannot mount exercise", root.dataset.exerciseId, error);
    }
  }
  startWhenInView(roots);
}

// Python starts at once on a fast link (this script is only on pages with exercises, and the widget's
// markup may load it before the page has finished parsing); the widgets mount once the page is parsed.
boot();

onEveryPage(mountAll);
