// The exercise worker: Pyodide and the quizkit wheel, loaded once; grades and runs on request.
//
// Python starts as soon as this script runs, without waiting for a first message from the page
// (messages sent before the worker is up wait for the page's busy main thread to be passed on),
// unless the worker is named "quizkit-python-spare": a spare waits for the compiled wasm of the first.
//
// Two roles (quizkit/browser.py). The runner (the first worker, and its spares) runs learner code: Run, and the
// observation of a Check. The judge ("quizkit-python-judge", waits for "init" as a spare does) runs none: it plans a
// Check and judges the runner's answer, which it reads as untrusted text; it refuses every other request.
//
// Messages in:  {type: "init", wasmModule?, interrupt?}   from the page: the compiled wasm of an earlier
//                                             worker (a spare starts on it); a SharedArrayBuffer the page
//                                             writes 2 into to interrupt
//               runner: {id, type: "run", source} | {id, type: "observe", plan, source} | {id, type: "warm", exercise}
//               judge:  {id, type: "plan", exercise} | {id, type: "judge", exercise, source, observed}
//                       | {id, type: "warm", exercise} (answers with the exercise's plan)
//               {id, type: "analyse", profile}   the activity page: profile as JSON text
// Messages out: {type: "status", state: "loading"|"ready"|"error", detail, progress, marks, received, total}
//                                             progress: bytes received / bytes expected (null if unknown)
//               {type: "wasm-module", module}  the compiled wasm, for the page to hand to later workers
//               {id, ok: true, result}   result: JSON text from quizkit.browser
//               {id, ok: false, error, fatal}   fatal: this worker can no longer be used
//
// QUIZKIT_CONFIG is replaced at site build time (esbuild --define) with the runtime's
// file names, relative to this file unless absolute, each with `?v=<build>` when the site serves it.
//
// How Python starts fast (see the README): every download starts at once; the wasm compiles while
// a memory snapshot of a Python that already imported quizkit (made at build time) downloads and
// unpacks; the standard library is precompiled to .pyc; later workers reuse the compiled wasm.

import { linkMeter, wireCounter } from "./link-meter.js";
import { expand as expandPages, wellFormed } from "./snapshot-format.mjs";

const TOP = performance.now(); // the worker's script runs: the benchmark reads it (marks.top)
/* global QUIZKIT_CONFIG */
const CONFIG = QUIZKIT_CONFIG;
const queue = [];
const later = []; // work for after "ready"
let pyodideReady = null;
let python = null; // the Pyodide instance, once started
let interrupt = null; // Uint8Array on a SharedArrayBuffer (cross-origin isolated pages only)
let meterZero = null; // when the page asked for Python's files (its message "init"), on the shared absolute clock
const SPARE = self.name.startsWith("quizkit-python-spare");
const JUDGE = self.name.startsWith("quizkit-python-judge");
// "-lean": Python started off a loopback host (start-policy.js withSnapshot): no memory snapshot download
// (4.0 MB), unless "-choose" and the link proves fast; one an earlier visit kept in the origin private file
// system is used all the same.
const LEAN = self.name.includes("-lean");
// "-choose": the first start of this build in this browser, its files from the network. The link is measured
// on the first 1.5 MB of Python's other files; at LINK_FAST_MBPS or more, the snapshot downloads too and Python
// starts from it. It saves 0.45-1 s of work on this machine, by its state (more on a slow phone), and its
// 4 MB cost 0.4 s at 80 Mbit/s, 0.65 s at 50: there, lesson 1 was ready in 1.60 s lean against 1.89 s with it
// (medians of four, alternating). Not on later starts: their files come from the browser's caches.
const CHOOSE = LEAN && self.name.includes("-choose") && !SPARE && !JUDGE;
const LINK_FAST_MBPS = 80;
const LINK_SAMPLE_BYTES = 1_500_000;
// "-keep": a lean start on a link the browser measured fast (start-policy.js "now"): once Python is ready,
// the snapshot downloads in the background and is kept for the next visits, which then start from it
// (about 0.4 s to ready, against about 1 s for a lean start). Never where Python waited for the reader.
const KEEP_FOR_NEXT_VISIT = self.name.endsWith("-keep") && !SPARE && !JUDGE;

// Set before anything is awaited, or the page's first message can be lost.
self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "init") {
    if (Number.isFinite(message.askedAt)) meterZero = message.askedAt;
    if (message.interrupt) interrupt = new Uint8Array(message.interrupt);
    if (python && interrupt) python.setInterruptBuffer(interrupt);
    pyodideReady ??= begin(message);
    return;
  }
  queue.push(message);
  if (queue.length === 1) drain();
};

const url = (name) => new URL(name, import.meta.url).href;

// Milliseconds since this worker started, per step: the benchmark reads them.
const marks = { top: Math.round(TOP) };
const mark = (name) => {
  marks[name] = Math.round(performance.now());
};

let failed = false;
let readyReported = false;
function status(state, detail, progress) {
  // Downloads still arriving must not turn a failed start, or a ready one, back into "loading": from the
  // snapshot, quizkit's package (needed only for files read later) may still be on its way at "ready".
  if (failed || (readyReported && state === "loading")) return;
  failed = state === "error";
  readyReported ||= state === "ready";
  self.postMessage({ type: "status", state, detail, progress, marks, received: download.received, total: download.total });
}

// ------------------------------------------------------------------ progress, by bytes received

// Bytes of each file, measured at site build time (QUIZKIT_CONFIG.sizes, by config key): the bar
// follows the bytes that arrive (decoded bytes: a host that gzips the wasm sends fewer, the browser
// hands over the same), not fixed steps.
const SIZES = CONFIG.sizes ?? {};
// How each large compressed file spreads over its gzip stream (runtime.py `wire_shape`), for the link meter.
const SHAPES = CONFIG.shapes ?? {};
const download = { received: 0, total: 0, shown: -1, done: new Set() };

/** Where the download is: a fraction (null when the sizes are unknown: Pyodide from another host). */
function downloadProgress() {
  return download.total && SIZES.wasm ? Math.min(1, download.received / download.total) : null;
}

/** The step and the fraction; the page words the figures (`received`, `total` go with each status). */
function downloadStatus() {
  const progress = downloadProgress();
  return [progress !== null && progress < 1 ? "Downloading Python" : "Starting Python", progress];
}

/** Tell the page, once per percent. */
function reportDownload() {
  const [detail, progress] = downloadStatus();
  const percent = progress === null ? -1 : Math.floor(progress * 100);
  if (percent === download.shown) return;
  download.shown = percent;
  status("loading", detail, progress);
}

/** Count a file as expected (its build-time size); `counted` then adds what arrives. */
function expect(key) {
  if (SIZES[key]) download.total += SIZES[key];
}

/** A file no longer needed from the network (the snapshot kept on disk): out of the total. */
function unexpect(key) {
  if (SIZES[key] && !download.done.has(key)) download.total -= SIZES[key];
  download.done.add(key);
  ended(key);
}

/** Count a file whose bytes cannot be streamed through here (a module import) once it has arrived. */
function arrived(key, href) {
  if (!SIZES[key] || download.done.has(key)) return;
  download.done.add(key);
  // On the link: what the browser's resource timing says of it (0 from a cache).
  link.crossed(performance.getEntriesByName(href).at(-1)?.encodedBodySize ?? 0);
  download.received += SIZES[key];
  reportDownload();
}

// ------------------------------------------------------------------ the link's speed

// Bytes on the wire while Python's files arrive (link-meter.js): a "-choose" start takes the snapshot too
// if the first LINK_SAMPLE_BYTES came at LINK_FAST_MBPS or more.
// Timed from when the page asked for the wasm and spawned this worker (`meterZero`, absolute: this worker's own
// clock starts only once its script has arrived, and part of the wasm with it: a 50 Mbit/s link read 80 or more).
const sinceAsked = () => (meterZero === null ? performance.now() : performance.timeOrigin + performance.now() - meterZero);
const link = linkMeter({ sampleBytes: LINK_SAMPLE_BYTES, fastMbps: LINK_FAST_MBPS, clock: sinceAsked });
if (!CHOOSE) link.settle(false);

// ------------------------------------------------------------------ one file after another

// Off a loopback host (a lean start), Python's three largest files come one after another: the wasm, then
// the standard library, then quizkit's package. Side by side, the link splits between them, the smaller
// ones end first and the wasm last, and all of Python's start waits for it. In turn, the wasm's compile,
// instantiation and linking (about 0.15 s here) run while the standard library arrives. Each next file is
// asked for a round trip before the one before it ends (at the pace it came), so the link never idles.
const IN_TURN = LEAN && !SPARE && !JUDGE;
const turns = new Map(); // key -> { promise, resolve }: resolved when that file is about to end
let roundTripMs = 100; // until the rules' answer times one

function turn(key) {
  if (!turns.has(key)) {
    let resolve;
    const promise = new Promise((done) => { resolve = done; });
    turns.set(key, { promise, resolve });
  }
  return turns.get(key);
}

/** Resolves when `key`'s download is about to end (or has ended, failed, or is not needed). */
const nearlyDone = (key) => turn(key).promise;
const ended = (key) => turn(key).resolve();

/** A request that waits for `previous` to near its end, where files come in turn. */
const after = (previous, request) => (IN_TURN ? nearlyDone(previous).then(request) : request());

// ------------------------------------------------------------------ counted downloads

/**
 * The response, its body counted as it streams (never more than the file's size: a host may
 * decode a `.gz` for the browser). What comes from the HTTP cache streams too, only faster.
 */
async function counted(key, pending) {
  const began = performance.now();
  let response;
  try {
    response = await pending;
  } catch (error) {
    ended(key);
    throw error;
  }
  const size = SIZES[key];
  if (!size || !response.ok || !response.body || download.done.has(key)) {
    ended(key);
    return response;
  }
  download.done.add(key);
  let seen = 0;
  const wireAt = wireCounter(response.headers, size, SHAPES[key]);
  const counter = new TransformStream({
    transform(chunk, controller) {
      link.crossed(wireAt(seen + chunk.byteLength) - wireAt(seen)); // past `size`, only an answer not compressed counts
      const add = Math.min(chunk.byteLength, size - seen);
      if (add > 0) {
        seen += add;
        download.received += add;
        reportDownload();
      }
      // Near its end: what is left would come within a round trip, at the pace it came since it was asked
      // for (a pace read on its first chunks alone was many times too fast: they come in bursts).
      if (seen >= size / 8 && ((size - seen) * (performance.now() - began)) / seen <= roundTripMs) ended(key);
      controller.enqueue(chunk);
    },
    flush() {
      ended(key);
    },
    cancel() {
      ended(key); // a body that failed: the next file is asked for all the same
    },
  });
  return new Response(response.body.pipeThrough(counter), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The wasm's response itself (its URL is what Chromium keys the compiled code it caches on: a new
 * Response would lose that, and repeat visits would compile again), counted through a clone.
 */
async function countedAside(key, pending) {
  const response = await pending;
  if (!SIZES[key] || !response.ok || !response.body) return response;
  const copy = await counted(key, Promise.resolve(response.clone()));
  copy.body.pipeTo(new WritableStream()).catch(() => {}); // read only to count: the chunks are dropped
  return response;
}

// ------------------------------------------------------------------ downloads

// Requests started before Pyodide asks for them: its own `fetch` of these URLs gets the response
// already on its way, rather than starting late (it only fetches once it has been imported).
const earlyFetch = self.fetch.bind(self);
const preloaded = new Map();
function preload(href, response = earlyFetch(href)) {
  preloaded.set(href, response);
  response.catch(() => {});
}
self.fetch = (input, init) => {
  const href = input instanceof Request ? input.url : String(input); // Pyodide passes URL objects
  const early = preloaded.get(href);
  if (early) {
    preloaded.delete(href);
    return early;
  }
  return earlyFetch(input, init);
};

async function bytes(name, key) {
  const response = await counted(key, fetch(url(name)));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const SNAPSHOT_PREFIX = "quizkit-snapshot-";
/** Where a lean start puts quizkit's package for the page (runtime.py PAGE_PACKAGE) on `sys.path`. */
const PAGE_PACKAGE_PATH = "/lib/quizkit-page.zip";

/** The snapshot's file in the origin private file system: one per runtime build. */
const snapshotFile = (href) => `${SNAPSHOT_PREFIX}${new URL(href).searchParams.get("v") ?? "unversioned"}.bin`;

/**
 * The memory snapshot: on a first visit gunzipped while it downloads (unless the host already
 * decoded it) and kept, unzipped, in the origin private file system for the next visits; then zero
 * pages put back. That file system rather than the Cache Storage: opening a cache and matching a
 * request took 60-150 ms here, on the way to Python being ready; reading the file takes a few.
 */
async function snapshot(name) {
  const href = url(name);
  let data = await keptSnapshot(href);
  if (data) {
    mark("snapshotFromDisk");
    unexpect("snapshot");
  } else {
    const response = await counted("snapshot", fetch(href, { priority: "high" }));
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    data = await gunzipped(response);
    mark("snapshotDecompressed");
    if (!SPARE && !JUDGE) later.push(() => keepSnapshot(href, data)); // one writer: a spare or the judge reads what the first keeps
  }
  return expand(data);
}

/** The snapshot's bytes, gunzipped here unless the browser already did (the host sent it `Content-Encoding: gzip`). */
async function gunzipped(response) {
  const decoded = response.headers.has("Content-Encoding");
  const body = decoded ? response.body : response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function keptSnapshot(href) {
  let handle;
  try {
    const root = await navigator.storage.getDirectory();
    handle = await root.getFileHandle(snapshotFile(href)); // NotFoundError: not kept yet
  } catch (error) {
    marks.snapshotMiss = error?.name ?? "no file system";
    return null; // not kept yet, or no file system here (an insecure origin): download it
  }
  try {
    // Read in place, with no copy through the browser process; "read-only" lets a spare read at the same time.
    const access = await handle.createSyncAccessHandle({ mode: "read-only" });
    let data = new Uint8Array(access.getSize());
    try {
      if (access.read(data, { at: 0 }) !== data.length) data = null;
    } finally {
      access.close();
    }
    if (data) return await checked(data);
    marks.snapshotMiss = "short read";
  } catch (error) {
    // A browser without read-only access handles: read it as a file.
    marks.snapshotMiss = `access handle: ${error?.name}`;
  }
  try {
    return await checked(new Uint8Array(await (await handle.getFile()).arrayBuffer()));
  } catch (error) {
    marks.snapshotMiss = `file: ${error?.name}`;
    return null;
  }
}

/** `intact(data)`, noting in the marks why a kept snapshot was not used (tests and the bench read them). */
async function checked(data) {
  const whole = await intact(data, "snapshotDigestMs");
  if (whole) delete marks.snapshotMiss;
  else marks.snapshotMiss = `not this build's, or damaged (${data.length} bytes)`;
  return whole;
}

/**
 * The snapshot if it is this build's, byte for byte, else null: its size must match its header and its
 * SHA-256 the one the build wrote into CONFIG (a damaged or altered file of the right size is refused
 * too). Digesting the ~11 MB took 20-100 ms here (median 50, the machine busy; marks.snapshotDigestMs), off
 * this thread and while the wasm compiles, which takes longer: Python is not ready any later for it.
 */
async function intact(data, timing = "") {
  if (!wellFormed(data) || !CONFIG.snapshotSha256 || !self.crypto?.subtle) return null;
  const started = performance.now();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  if (timing) marks[timing] = Math.round((performance.now() - started) * 10) / 10;
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex === CONFIG.snapshotSha256 ? data : null;
}

async function keepSnapshot(href, data) {
  try {
    if (!(await intact(data))) return; // not this build's snapshot: never kept
    const root = await navigator.storage.getDirectory();
    const name = snapshotFile(href);
    for await (const old of root.keys()) if (old.startsWith(SNAPSHOT_PREFIX) && old !== name) await root.removeEntry(old);
    // A writable stream writes beside the file and swaps it in when closed: a reader never finds it half
    // written (one that comes before the swap finds the old copy, refuses it by its hash and downloads).
    const writable = await (await root.getFileHandle(name, { create: true })).createWritable();
    await writable.write(data);
    await writable.close();
    await caches.delete("quizkit-snapshot"); // where earlier builds kept it
  } catch {
    // Quota or no file system: the next visit downloads it again.
  }
}

/**
 * Put back the pages the build left out (snapshot-format.mjs). What comes back is still the memory XOR the
 * wasm's initial memory: `unmask` finishes it once the module is instantiated.
 */
function expand(data) {
  const { memory, xorStart, xorLength, indexes, page } = expandPages(data);
  masked.set(memory, { xorStart, xorLength, indexes, page });
  mark("snapshotExpanded");
  return memory;
}

/** Snapshots `expand` gave back that still need the initial memory XORed in, and where. */
const masked = new WeakMap();

/**
 * XOR the module's memory, as instantiating left it (the wasm's data segments: no code of it has run yet),
 * into the snapshot: what the build took out of it. Pages the build left out there were the same as that
 * memory: copied as they are. Pyodide copies the snapshot over the module's memory later.
 */
function unmask(snapshot, instance) {
  const place = masked.get(snapshot);
  if (!place) return;
  masked.delete(snapshot);
  const began = performance.now();
  const { xorStart, xorLength, indexes, page } = place;
  const end = xorStart + xorLength; // all multiples of 4, the pages of 4096
  const initial = new Uint8Array(instance.exports.memory.buffer, 0, xorLength);
  const initialWords = new Uint32Array(instance.exports.memory.buffer, 0, xorLength / 4);
  const words = new Uint32Array(snapshot.buffer, snapshot.byteOffset, snapshot.length >> 2);
  let settled = xorStart;
  for (const index of indexes) {
    const from = Math.max(index * page, xorStart);
    const to = Math.min((index + 1) * page, end);
    if (from >= end) break;
    if (to <= from) continue;
    if (from > settled) snapshot.set(initial.subarray(settled - xorStart, from - xorStart), settled);
    for (let word = from / 4; word < to / 4; word += 1) words[word] ^= initialWords[word - xorStart / 4];
    settled = to;
  }
  if (settled < end) snapshot.set(initial.subarray(settled - xorStart), settled);
  marks.snapshotUnmaskMs = Math.round((performance.now() - began) * 10) / 10;
  mark("snapshotUnmasked");
}

/** Python's files could not be downloaded: no other way to start helps. */
class MissingFiles extends Error {}
let wasmMissing = () => {};
/** Rejects when the wasm cannot be had at all (the connection dropped): Python's start cannot go on. */
const noWasm = new Promise((_, reject) => {
  wasmMissing = (error) => reject(new MissingFiles(
    `its files could not be downloaded (${error?.message ?? error}). Check your connection, then reload the page.`));
});
noWasm.catch(() => {});

/**
 * Compile the wasm now (or take the page's compiled module), in parallel with everything else, and
 * have Pyodide instantiate that module rather than download and compile its own copy later.
 * Returns the compiled module (a promise) and a function that undoes the arrangement.
 */
function compileEarly(given) {
  const wasm = url(`${CONFIG.indexURL}pyodide.asm.wasm`); // what Pyodide asks for
  if (given) unexpect("wasm");
  const compiled = given ? Promise.resolve(given) : WebAssembly.compileStreaming(countedAside("wasm", earlyFetch(url(CONFIG.wasm))));
  compiled.then((module) => given || self.postMessage({ type: "wasm-module", module }), () => ended("wasm"));
  // Pyodide's own request for the wasm gets an empty answer: the module above replaces it.
  preload(wasm, Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } })));
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = original;
    let module;
    try {
      module = await compiled;
    } catch {
      const result = await original(earlyFetch(url(CONFIG.wasm)), imports).catch((error) => {
        wasmMissing(error); // Pyodide only logs this and waits for ever: the start fails here instead
        throw error;
      });
      instantiated(result.instance);
      return result;
    }
    mark("wasmCompiled");
    const instance = await WebAssembly.instantiate(module, imports);
    instantiated(instance);
    return { module, instance };
  };
  const undo = () => {
    WebAssembly.instantiateStreaming = original;
    preloaded.delete(wasm);
  };
  return { undo, compiled };
}

// ------------------------------------------------------------------ start

/** The snapshot Pyodide is about to start from, until the module's initial memory is XORed into it. */
let toUnmask = null;
function instantiated(instance) {
  if (toUnmask) unmask(toUnmask, instance);
  toUnmask = null;
}

async function start(modules, memory) {
  const options = { indexURL: url(CONFIG.indexURL), stdout: () => {}, stderr: () => {} };
  if (CONFIG.stdlib) options.stdLibURL = url(CONFIG.stdlib);
  if (memory) {
    options._loadSnapshot = memory.then((snapshot) => {
      toUnmask = snapshot;
      return snapshot;
    });
  }
  const [{ loadPyodide }, asm] = await modules;
  if (asm) {
    // Pyodide's own module factory, wrapped to time its steps for the benchmark.
    options.createPyodideModule = async (settings) => {
      mark("moduleStart");
      const module = await asm.default(settings);
      mark("moduleCreated");
      const api = module.API;
      for (const step of ["restoreSnapshot", "finalizeBootstrap"]) {
        const original = api[step];
        api[step] = (...args) => {
          if (step === "restoreSnapshot" && masked.has(args[0])) throw new Error("the snapshot was not unmasked");
          const result = original.apply(api, args);
          mark(step);
          return result;
        };
      }
      return module;
    };
  }
  return loadPyodide(options);
}

/** Start Python; a start that fails says so at once, not only when the page next asks for something. */
function begin(init = {}) {
  const started = boot(init);
  started.catch((error) => status("error", `Python could not start: ${error.message ?? error}`, 0));
  return started;
}

async function boot({ wasmModule } = {}) {
  mark("boot");
  // With a snapshot (Pyodide served by the site), everything is requested at once.
  const fast = Boolean(CONFIG.snapshot);
  // A start that may choose the snapshot counts it from the start: if it is not chosen, the bar jumps
  // forward, never back.
  for (const key of ["pyodide", "wheel", "rules", ...(fast ? ["asm", "wasm", "lock", "stdlib"] : []), ...(fast && (!LEAN || CHOOSE) ? ["snapshot"] : [])]) {
    expect(key);
  }
  reportDownload();
  const { undo, compiled } = fast ? compileEarly(wasmModule) : { undo: () => {}, compiled: null };
  if (fast) {
    // Pyodide asks for these by their plain names; the versioned URLs are the ones hosts may cache.
    preload(url(CONFIG.stdlib), after("wasm", () => counted("stdlib", earlyFetch(url(CONFIG.stdlib)))));
    preload(url(`${CONFIG.indexURL}pyodide-lock.json`), counted("lock", earlyFetch(url(CONFIG.lock))));
  }
  let memory = fast && !LEAN ? snapshot(CONFIG.snapshot) : null;
  memory?.catch(() => {});
  const modules = Promise.all([import(url(CONFIG.pyodide)).then((m) => { arrived("pyodide", url(CONFIG.pyodide)); return m; }),
    fast ? import(url(CONFIG.asm)).then((m) => { arrived("asm", url(CONFIG.asm)); return m; }) : null]);
  // quizkit's package: in turn after the standard library for a lean start, which needs it to import quizkit;
  // asked for at once where Python will start from a snapshot, which is ready without it and whose first request
  // waits for it (in turn, it could still be arriving at "ready").
  let asked = null;
  const askWheel = () => (asked ??= bytes(CONFIG.wheel, "wheel"));
  const wheel = fast && !memory ? after("stdlib", askWheel) : askWheel();
  const rulesAsked = performance.now();
  const rules = counted("rules", fetch(url(CONFIG.rules)).then((response) => {
    roundTripMs = performance.now() - rulesAsked;
    return response;
  })).then((r) => r.text());
  wheel.catch(() => {});
  rules.catch(() => {});
  if (fast && LEAN) {
    const kept = await keptSnapshot(url(CONFIG.snapshot)); // every download is on its way meanwhile
    if (kept) {
      mark("snapshotFromDisk");
      if (CHOOSE) unexpect("snapshot");
      memory = Promise.resolve(expand(kept));
      askWheel();
    } else if (CHOOSE) {
      // No verdict by the time Python's other files have all arrived: lean (a failed download fails the start here).
      const others = Promise.all([modules, wheel, rules, compiled?.catch(() => null)]).then(() => false);
      const linkFast = await Promise.race([link.fast, others]);
      if (link.mbps !== null) marks.linkMbps = Math.round(link.mbps * 10) / 10;
      if (linkFast) {
        mark("snapshotChosen"); // the snapshot comes too, after Python's other files
        askWheel();
        memory = snapshot(CONFIG.snapshot);
        memory.catch(() => {});
      } else {
        unexpect("snapshot");
        reportDownload();
      }
    }
  }
  await modules;
  mark("pyodideImported");
  let pyodide;
  let fromSnapshot = Boolean(memory);
  try {
    pyodide = await Promise.race([start(modules, memory), noWasm]);
  } catch (error) {
    if (!memory || error instanceof MissingFiles) throw error;
    // A snapshot is tied to one Pyodide build; start the ordinary way if it does not fit.
    console.warn("quizkit: memory snapshot not usable, starting Python without it:", error);
    undo();
    fromSnapshot = false;
    pyodide = await Promise.race([start(modules, null), noWasm]);
  }
  undo();
  mark("pythonStarted");
  const install = async () => {
    const data = await wheel;
    if (fast) {
      // quizkit-page.zip (Pyodide served by the site; from another host, the wheel): precompiled modules,
      // imported from the zip itself as the standard library is (unpacking it took 20-40 ms on the way to
      // "ready"). A snapshot was made with it there on sys.path (prepare-runtime.mjs): only the file is missing.
      pyodide.FS.writeFile(PAGE_PACKAGE_PATH, data);
      if (!fromSnapshot) pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PAGE_PACKAGE_PATH)})`);
      marks.package = "zip";
    } else {
      const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]"); // as Pyodide finds it
      pyodide.unpackArchive(data, "zip", { extractDir: sitePackages }); // the wheel
      marks.package = "unpacked";
    }
    mark("wheelInstalled");
  };
  // From the snapshot, quizkit is imported already: its zip is written after "ready", before the first
  // request runs. Otherwise it is needed to import quizkit.
  if (!fromSnapshot) {
    status("loading", "Installing the course's Python package", downloadProgress());
    await install();
  }
  // From the page's zip, quizkit's dataclasses take the methods the build compiled (page_dataclasses.py: 40 % of
  // importing quizkit, in Node); from the snapshot, quizkit is imported already.
  let browser;
  if (marks.package === "zip") {
    const compiled = pyodide.pyimport("page_dataclasses");
    browser = compiled.import_compiled("quizkit.browser");
    marks.dataclassesServed = compiled.served; // the tests read it
    compiled.destroy();
  } else {
    browser = pyodide.pyimport("quizkit.browser");
  }
  // The lean standard library holds what programs usually import; the rest is fetched when one needs it.
  if (CONFIG.stdlibFull) browser.use_full_stdlib(url(CONFIG.stdlibFull), JSON.stringify(CONFIG.stdlibFullHolds ?? null));
  browser.load_rules(await rules);
  if (JUDGE) browser.become_judge(); // Python refuses learner code here too, whatever the page asks
  python = pyodide;
  if (interrupt) pyodide.setInterruptBuffer(interrupt); // 2 (SIGINT) raises KeyboardInterrupt in Python
  mark("ready");
  status("ready", "Python is ready", 1);
  if (fromSnapshot) await install();
  else if (KEEP_FOR_NEXT_VISIT && CONFIG.snapshot) later.push(() => keepForNextVisit(url(CONFIG.snapshot)));
  for (const task of later.splice(0)) task();
  return browser;
}

/** Download the snapshot after a lean start and keep it (unzipped, checked by its hash) for the next visit. */
async function keepForNextVisit(href) {
  try {
    const response = await earlyFetch(href);
    if (response.ok && response.body) await keepSnapshot(href, await gunzipped(response));
  } catch {
    // Offline, or the file system refused: the next visit starts lean again.
  }
}

// ------------------------------------------------------------------ requests

/** What each role answers: the judge nothing that runs learner code. */
const REQUESTS = JUDGE ? new Set(["plan", "judge", "warm", "analyse"]) : new Set(["run", "observe", "warm", "analyse"]);

function handle(browser, message) {
  if (!REQUESTS.has(message.type)) throw new Error(`the ${JUDGE ? "judge" : "runner"} does not take ${message.type} requests`);
  switch (message.type) {
    case "plan":
      return browser.plan_json(message.exercise);
    case "observe":
      return browser.observe_json(message.plan, message.source);
    case "judge":
      return browser.judge_json(message.exercise, message.source, message.observed);
    case "run":
      return browser.run_json(message.source);
    case "warm":
      return browser.warm_up(message.exercise);
    case "analyse":
      return browser.analyse_json(message.profile);
    default:
      throw new Error(`unknown request ${message.type}`);
  }
}

async function drain() {
  pyodideReady ??= begin();
  let browser;
  try {
    browser = await pyodideReady;
  } catch {
    // begin() has said why already; each request waiting for Python gets its answer.
    for (const message of queue.splice(0)) self.postMessage({ id: message.id, ok: false, error: "Python could not start", fatal: true });
    return;
  }
  while (queue.length) {
    const message = queue[0];
    if (interrupt) Atomics.store(interrupt, 0, 0);
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

// Last, once every declaration above is initialised: start at once (a spare and the judge wait for "init").
if (!SPARE && !JUDGE) pyodideReady ??= begin();
