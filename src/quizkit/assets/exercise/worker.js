// The exercise worker: Pyodide and the quizkit wheel, loaded once; grades and runs on request.
//
// Messages in:  {id, type: "grade", exercise, source} | {id, type: "run", source} | {id, type: "warm", exercise}
// Messages out: {type: "status", state: "loading"|"ready"|"error", detail, progress}
//               {id, ok: true, result}   result: JSON text from quizkit.browser
//               {id, ok: false, error, fatal}   fatal: this worker can no longer be used
//
// QUIZKIT_CONFIG is replaced at site build time (esbuild --define) with the runtime's
// file names, relative to this file unless absolute.

/* global QUIZKIT_CONFIG */
const CONFIG = QUIZKIT_CONFIG;
const queue = [];
let pyodideReady = null;

// Set before anything is awaited, or the page's first message can be lost.
self.onmessage = (event) => {
  queue.push(event.data);
  if (queue.length === 1) drain();
};

const url = (name) => new URL(name, import.meta.url).href;

function status(state, detail, progress) {
  self.postMessage({ type: "status", state, detail, progress });
}

async function bytes(name) {
  const response = await fetch(url(name));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function gunzip(name) {
  const response = await fetch(url(name));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function start(loadPyodide, snapshot) {
  const options = { indexURL: url(CONFIG.indexURL), checkAPIVersion: true, stdout: () => {}, stderr: () => {} };
  if (CONFIG.stdlib) options.stdLibURL = url(CONFIG.stdlib);
  if (snapshot) options._loadSnapshot = snapshot;
  return loadPyodide(options);
}

async function boot() {
  status("loading", "Downloading Python", 0.05);
  // Everything is requested at once; Pyodide compiles while the rest arrives.
  const wheel = bytes(CONFIG.wheel);
  const rules = fetch(url(CONFIG.rules)).then((r) => r.text());
  const snapshot = CONFIG.snapshot ? gunzip(CONFIG.snapshot) : null;
  snapshot?.catch(() => {});
  const { loadPyodide } = await import(url(CONFIG.pyodide));
  status("loading", "Starting Python", 0.3);
  let pyodide;
  try {
    pyodide = await start(loadPyodide, snapshot);
  } catch (error) {
    if (!snapshot) throw error;
    // A snapshot is tied to one Pyodide build; start the ordinary way if it does not fit.
    console.warn("quizkit: memory snapshot not usable, starting Python without it:", error);
    pyodide = await start(loadPyodide, null);
  }
  status("loading", "Installing the course's Python package", 0.8);
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  const browser = pyodide.pyimport("quizkit.browser");
  browser.load_rules(await rules);
  status("ready", "Python is ready", 1);
  return browser;
}

function handle(browser, message) {
  switch (message.type) {
    case "grade":
      return browser.grade_json(message.exercise, message.source);
    case "run":
      return browser.run_json(message.source);
    case "warm":
      browser.warm_up(message.exercise);
      return "null";
    default:
      throw new Error(`unknown request ${message.type}`);
  }
}

async function drain() {
  pyodideReady ??= boot();
  let browser;
  try {
    browser = await pyodideReady;
  } catch (error) {
    status("error", `Python could not start: ${error.message ?? error}`, 0);
    for (const message of queue.splice(0)) self.postMessage({ id: message.id, ok: false, error: "Python could not start", fatal: true });
    return;
  }
  while (queue.length) {
    const message = queue[0];
    try {
      self.postMessage({ id: message.id, ok: true, result: handle(browser, message) });
    } catch (error) {
      // quizkit turns learner faults into results: an exception here means Python itself broke
      // (a stack overflow in the interpreter, for example).
      const fatal = Boolean(error?.pyodide_fatal_error) || /fatal|call stack/i.test(String(error?.message));
      self.postMessage({ id: message.id, ok: false, error: String(error?.message ?? error).slice(0, 2000), fatal });
    }
    queue.shift();
  }
}

drain();
