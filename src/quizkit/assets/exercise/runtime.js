// The page's side of Python: one worker in use, a spare kept ready once the reader's code may run away,
// requests one at a time.
//
// A request that runs past its time limit (or is stopped) is interrupted: on a cross-origin isolated
// page Python gets a KeyboardInterrupt through a SharedArrayBuffer and keeps going. When that is not
// possible, or the program swallows the interrupt, its worker is terminated and the spare takes over
// at once (a new spare starts). The spare starts when one of the reader's programs has run for
// SPARE_AFTER_MS, or the reader presses Stop, not with the page: a second Python costs about 2 CPU-seconds
// and its memory, which a reader whose programs all end at once never needs. Started half a second into
// a runaway program, it is ready well before the time limit (3 s by default) ends that program.
//
// A Check is three steps in two interpreters, as the CLI's parent and child (quizkit/browser.py): the judge
// worker plans it (arguments only), the runner (the worker above) runs the reader's code with that plan and
// sends back plain data, and the judge reads that data as untrusted text and decides the verdict. The judge
// runs no learner code, so nothing a program does in the runner (Python or JavaScript through `js`) reaches a
// verdict. The judge starts once the runner is ready, on pages with exercises only; the time limit, the
// interrupt, the spare and the pause for a standard-library download apply to the runner's step only.

import { askEarly, keepHere, keptHere, startPolicy, withSnapshot } from "./start-policy.js";

const SPARE_DELAY_MS = 200;
const SPARE_AFTER_MS = 500;
// How long Python has to answer an interrupt before its worker is ended: it answered in 13-21 ms here, but
// a fresh-clone CI run once took more than 150 ms on a busy machine, and a phone is slower still. Ending the
// worker costs the reader a new Python (seconds on a phone); waiting costs only a program that swallows the
// interrupt, which is rare, a quarter of a second more.
const INTERRUPT_GRACE_MS = 400;

/* global QUIZKIT_CONFIG */
/** Python's largest file (runtime.py ASKED_FOR_BY_THE_PAGE, versioned): a lean start asks for it from the page. */
const ASK = (typeof QUIZKIT_CONFIG === "object" && QUIZKIT_CONFIG?.ask) || [];
/** The bytes of each of Python's files, measured at build time (runtime.py `sizes`); {} when unknown. */
const SIZES = (typeof QUIZKIT_CONFIG === "object" && QUIZKIT_CONFIG?.sizes) || {};

/** "6 MB": what Python costs to download, in the words of the exercises and the activity. */
export const megabytes = (bytes) => `${Math.max(1, Math.round(bytes / 1e6))} MB`;

/**
 * What Python downloads at most (files as built; a host that gzips sends less), 0 when unknown (another
 * host's Pyodide). A lean start downloads no memory snapshot.
 */
function downloadBytes(lean) {
  if (!SIZES.wasm) return 0;
  return Object.entries(SIZES).reduce((sum, [key, size]) => (lean && key === "snapshot" ? sum : sum + size), 0);
}

/**
 * A worker's answer (JSON text) read, or null where it is not JSON: the runner's answers are untrusted (a program can
 * rewrite them through `js`), and one that threw here left its Check waiting for good.
 */
function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Whether a worker's answer is a fault of ours (`internal_error`, quizkit/browser.py `_internal`). */
const isInternalError = (text) => parsed(text)?.status === "internal_error";

/**
 * Whether a worker's answer says its interpreter must not run another request: a program changed the grader
 * (`restart: true`, quizkit/browser.py) or a fault of ours left it in doubt (`internal_error`). Read here, before
 * the request ends: a request another widget queued meanwhile would otherwise be sent to it at once.
 */
function asksForFreshPython(text) {
  const result = parsed(text);
  return result?.restart === true || result?.status === "internal_error";
}

/** A one-byte SharedArrayBuffer the page writes 2 (SIGINT) into, where the page may share memory. */
const interruptBuffer = () => (globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(1)) : null);


/**
 * The worker the page's head started (quizkit/plugin/embed.py `early_start`), if it runs this build:
 * handed out once, with the messages it sent so far.
 */
export function takeEarlyWorker(build) {
  const early = window.quizkitEarly;
  if (!early?.worker || !build || early.build !== build || early.taken) return null;
  early.taken = true;
  return early;
}

/**
 * The page's runtime: on the worker the head script started (it applies the same rule), else starting
 * now, once the page has loaded, or when the reader reaches for it, as `startPolicy` says. Exercise pages
 * and the activity share it.
 */
export function pageRuntime(workerUrl, onStatus, build) {
  const early = takeEarlyWorker(build);
  const policy = startPolicy(undefined, undefined, keptHere(build));
  return new Runtime(workerUrl, onStatus, early, { wait: early || policy === "now" ? null : policy, build });
}

/** Call `then` in a task of its own once the page's `load` event has fired (at once if it has). */
function afterLoad(then) {
  if (document.readyState === "complete") setTimeout(then);
  else window.addEventListener("load", () => setTimeout(then), { once: true });
}

/**
 * Material's search builds its index only once the Python that `ready` starts is ready (or failed), unless the
 * reader reaches for search first: both would otherwise share the machine's cores as the page starts
 * (overrides/partials/javascripts/search-later.html defines `quizkitSearch`; without it, nothing waits).
 */
function holdSearch(ready) {
  globalThis.quizkitSearch?.hold(ready);
}

export class Runtime {
  /**
   * @param {URL} workerUrl the module worker
   * @param {(state: {state: string, detail: string, progress: number}) => void} onStatus
   * @param {{worker: Worker, messages: object[], spawnedAt: number} | null} started a worker the page
   *   already started (the widget's markup does, while the page loads), with the messages it sent so far
   * @param {{wait?: "load" | "intent" | "ask" | null, build?: string}} options wait: start Python once the
   *   page has loaded ("load"), or only when `start()` is called (a request starts it too), see startPolicy;
   *   build: the runtime's build, noted (`keepHere`) once Python of it is ready with its snapshot
   */
  constructor(workerUrl, onStatus, started = null, { wait = null, build = "" } = {}) {
    this.workerUrl = workerUrl;
    this.onStatus = onStatus;
    this.nextId = 1;
    this.queue = [];
    this.warmups = []; // exercise JSON texts each new worker grades once, ahead of the reader
    this.current = null; // the request in flight: {id, resolve, timer}
    this.wasmModule = undefined;
    this.primary = null;
    this.spare = null;
    this.judge = null; // the worker that plans and judges a Check: it runs no learner code
    this.judgeWanted = false; // an exercise is on the page: start the judge once the runner is ready
    this.plans = new Map(); // exercise JSON text -> the judge's plan (JSON text), kept from its warm-up
    this.spareAfterMs = SPARE_AFTER_MS; // a test that must not depend on the machine's speed raises it
    this.interruptGraceMs = INTERRUPT_GRACE_MS; // likewise
    this.waiting = wait; // why Python has not started yet: "load" | "intent" | "ask" | null (started)
    this.build = build;
    // Without the memory snapshot where Python waits for the reader, or bytes are not free (start-policy.js
    // withSnapshot; a worker the head script started applied the same rule)...
    this.lean = (wait !== null && wait !== "load") || !withSnapshot();
    // ...unless the link proves fast while Python's other files download (worker.js "-choose"): on the first
    // start of this build in this browser, not under Save-Data. Later starts read the files from the caches.
    this.choose = !withSnapshot() && wait !== "ask" && !keptHere(build);
    // What the page says Python costs, on every page that uses it (exercises, the activity): at most.
    this.pythonBytes = downloadBytes(this.lean && !this.choose);
    // Started at once off a loopback host: the snapshot comes after "ready", for the next visits (worker.js).
    this.keep = wait === null && !withSnapshot();
    this.startedBy = null; // what started it: "page" (at once), "view", "editor", "request", "button"
    this.status = this.waitsForReader ? { state: "waiting", detail: wait, progress: 0 } : { state: "loading", detail: "Starting Python", progress: 0 };
    let first;
    // Python's first start, whenever it comes: `window.quizkit.ready` exists before anything starts.
    this.ready = new Promise((resolve, reject) => { first = { resolve, reject }; });
    this.ready.catch(() => {});
    this.firstStart = first;
    // Resolves when Python starts downloading (the offline copy of the course waits for Python on a slow link).
    this.started = new Promise((resolve) => { this.markStarted = resolve; });
    if (!wait) this.start("page", started);
    else if (wait === "load") {
      holdSearch(this.ready);
      afterLoad(() => this.start("page"));
    }
  }

  /** Python waits for the reader to ask or reach for it (not merely for the page's load). */
  get waitsForReader() {
    return this.waiting === "intent" || this.waiting === "ask";
  }

  /** The reader reaches for Python (an exercise's editor, the activity's form): start it, unless their browser asks to save data. */
  reachedFor(why) {
    if (this.waiting === "intent" || this.waiting === "load") this.start(why);
  }

  /** Start Python now (once; later calls do nothing). `why`: what the reader did, for tests and the benchmark. */
  start(why = "page", started = null) {
    if (this.primary) return;
    this.waiting = null;
    this.startedBy = why;
    this.markStarted(why);
    holdSearch(this.ready);
    this.askedAt = performance.timeOrigin + performance.now(); // the link meter's zero (worker.js)
    if (!started && this.lean) askEarly(ASK.map((name) => new URL(name, this.workerUrl)));
    this.primary = this.spawn(started);
    this.primary.ready.then(this.firstStart.resolve, this.firstStart.reject);
    this.primary.ready.then(() => this.judgeWanted && this.judgeSlot(), () => {});
    if (!started) this.setStatus({ state: "loading", detail: "Starting Python", progress: 0 });
  }

  spawn(started = null, role = "runner") {
    // A spare (the compiled wasm is known by then) waits for it in "init"; a first worker starts at once.
    // A lean start (this.lean) downloads no memory snapshot. The judge waits for "init" too, and is never interrupted.
    const judge = role === "judge";
    const first = judge ? "quizkit-python-judge" : this.wasmModule ? "quizkit-python-spare" : "quizkit-python";
    const name = `${first}${this.lean ? "-lean" : ""}${this.choose && !judge ? "-choose" : ""}${this.keep && !judge ? "-keep" : ""}`;
    const worker = started?.worker ?? new Worker(this.workerUrl, { type: "module", name });
    const slot = { worker, role, state: "loading", pending: new Map(), spawnedAt: started?.spawnedAt ?? performance.now(),
      interrupt: judge ? null : started ? started.interrupt ?? null : interruptBuffer() };
    slot.ready = new Promise((resolve, reject) => {
      slot.settle = { resolve, reject };
    });
    slot.ready.catch(() => {});
    worker.onmessage = (event) => this.receive(slot, event.data);
    if (started) {
      for (const message of started.messages.splice(0)) this.receive(slot, message);
    } else {
      // Python starts on this message; a compiled wasm module from an earlier worker saves a download and a compile.
      worker.postMessage({ type: "init", wasmModule: this.wasmModule, interrupt: slot.interrupt?.buffer, askedAt: this.askedAt });
    }
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.receive(slot, { type: "status", state: "error", detail: `Python could not start: ${event.message || "worker error"}`, progress: 0 });
      for (const id of [...slot.pending.keys()]) this.receive(slot, { id, ok: false, error: "the worker stopped", fatal: true });
    };
    return slot;
  }

  receive(slot, message) {
    if (message.type === "wasm-module") {
      // Only from a runner before it is ready: no learner code has run there yet. Later, a program could send a
      // module of its own (JavaScript through `js`), which the judge and the spares would then run.
      if (slot.role === "runner" && slot.state === "loading") this.wasmModule ??= message.module;
      return;
    }
    if (message.type === "status") {
      slot.state = message.state;
      slot.marks = message.marks;
      if (message.state === "ready") {
        slot.readyAt = performance.now();
        keepHere(this.build); // the next visit's start comes from the caches (loopback: with the page; elsewhere: no -choose)
        // A Run or Check that started Python goes first (its time limit runs from now): warm-ups after it.
        if (slot.role === "judge") {
          // A Check waiting for the judge goes first: its warm-ups (the page's other exercises) after it.
          if (this.checkWaiting()) slot.warmLater = true;
          else this.warmJudge(slot);
        } else if (slot === this.primary && (this.current || this.queue.length)) slot.warmLater = true;
        else this.sendWarmups(slot);
        slot.settle.resolve();
      }
      if (message.state === "error") slot.settle.reject(new Error(message.detail));
      if (slot === this.primary) this.setStatus(message);
      return;
    }
    if (message.type === "stdlib") {
      // The rest of the standard library downloads for the program (stdlib_on_demand.py): its time does not count.
      const item = this.current;
      if (item?.slot === slot && !item.done) this.holdTimeLimit(item, message.state === "downloading");
      return;
    }
    if (message.id === 0 && slot.warming) {
      slot.warming -= 1;
      if (!slot.warming) for (const then of (slot.afterWarm ?? []).splice(0)) then();
      return;
    }
    const done = slot.pending.get(message.id);
    if (!done) return;
    slot.pending.delete(message.id);
    done(message);
  }

  sendWarmups(slot) {
    slot.warmLater = false;
    for (const exercise of this.warmups) this.sendWarmup(slot, exercise);
  }

  /** Warm-ups answer with id 0; the worker runs its messages in order, so a request waits for them. */
  sendWarmup(slot, exercise) {
    slot.warming = (slot.warming ?? 0) + 1;
    slot.worker.postMessage({ id: 0, type: "warm", exercise });
  }

  /** Call `then` once the warm-ups sent to `slot` have answered (at once if none is pending). */
  afterWarmups(slot, then) {
    if (!slot.warming) then();
    else (slot.afterWarm ??= []).push(then);
  }

  setStatus({ state, detail, progress, received, total }) {
    this.status = { state, detail, progress, received, total };
    this.onStatus(this.status);
  }

  /** From now on, keep a spare worker ready to take over from a runaway program. */
  wantSpare() {
    if (this.spareWanted) return;
    this.spareWanted = true;
    this.primary.ready.then(() => this.planSpare(0), () => {});
  }

  /** Start the spare after `delayMs` (after a worker's start, so as not to slow what it does next). */
  planSpare(delayMs = SPARE_DELAY_MS) {
    if (this.spare || !this.spareWanted) return;
    setTimeout(() => {
      if (!this.spare) this.spare = this.spawn();
    }, delayMs);
  }

  /** Replace the primary worker by the spare (or a new one); the old one is killed. */
  replacePrimary() {
    const old = this.primary;
    old.worker.terminate();
    old.pending.clear(); // the caller ends the request that was running there
    old.state = "terminated";
    this.primary = this.spare ?? this.spawn();
    this.spare = null;
    this.ready = this.primary.ready;
    const promoted = this.primary;
    if (promoted.state === "ready") {
      this.setStatus({ state: "ready", detail: "Python is ready", progress: 1 });
      this.planSpare();
    } else {
      this.setStatus({ state: "loading", detail: "Restarting Python", progress: 0.1 });
      promoted.ready.then(() => this.planSpare(), () => {});
    }
  }

  /** Have every worker (this one when ready, and each later one) prepare an exercise's checks; the judge too. */
  warm(exercise) {
    this.warmups.push(exercise);
    for (const slot of [this.primary, this.spare]) {
      if (slot?.state === "ready") this.sendWarmup(slot, exercise);
    }
    if (this.judge?.state === "ready") this.warmJudge(this.judge, [exercise]);
    this.judgeWanted = true;
    if (this.primary?.state === "ready") this.judgeSlot();
  }

  /** The judge's warm-ups answer with each exercise's plan, kept for its Checks (one message fewer each). */
  warmJudge(slot, exercises = this.warmups) {
    for (const exercise of exercises) {
      this.askJudge(slot, { type: "warm", exercise }).then((outcome) => {
        if (outcome.kind === "done" && !isInternalError(outcome.result)) this.plans.set(exercise, outcome.result);
      });
    }
  }

  /**
   * The judge, started now if it is not yet: after the runner is ready (it starts on the runner's compiled wasm,
   * and the page's first start does not share the machine with it). Resolves to the slot, or rejects as the
   * runner's start failed.
   */
  async judgeSlot() {
    if (!this.judge) {
      this.judgeWanted = true;
      await this.primary.ready;
      this.judge ??= this.spawn(null, "judge");
    }
    return this.judge;
  }

  /** Send `message` to the judge; resolves to an outcome as `request` gives ({kind: "done", result} or why not). */
  askJudge(slot, message) {
    return new Promise((resolve) => {
      const id = this.nextId++;
      slot.pending.set(id, (reply) => {
        if (reply.ok) {
          if (isInternalError(reply.result)) this.dropJudge(slot);
          resolve({ kind: "done", result: reply.result });
        } else {
          if (reply.fatal) this.dropJudge(slot);
          resolve({ kind: "crashed", error: reply.error, judge: true });
        }
      });
      slot.worker.postMessage({ ...message, id });
    });
  }

  /** A judge that crashed or failed on our side: ended; the next Check starts a fresh one. */
  dropJudge(slot) {
    if (this.judge !== slot) return;
    slot.worker.terminate();
    this.judge = null;
  }

  /** Whether a Check is running or queued. */
  checkWaiting() {
    return this.current?.message.type === "grade" || this.queue.some((item) => item.message.type === "grade");
  }

  /** Whether a request of `type` can start at once: a Check needs the judge too. */
  readyFor(type) {
    return this.status.state === "ready" && (type !== "grade" || this.judge?.state === "ready");
  }

  /**
   * Send a request; resolves to {kind: "done", result} | {kind: "timeout"} | {kind: "stopped"} |
   * {kind: "crashed", error} | {kind: "unavailable", error}. `spare`: the request runs the reader's
   * code, which may run away: if it runs for SPARE_AFTER_MS, a spare worker is kept ready from then on
   * (the activity's analysis runs only ours, and asks for none).
   */
  request(message, timeoutMs, owner = null, { spare = true } = {}) {
    this.start("request"); // Run or Check: the reader asks for Python
    return new Promise((resolve) => {
      this.queue.push({ message: { ...message, id: this.nextId++ }, timeoutMs, owner, resolve, spare });
      this.pump();
    });
  }

  async pump() {
    if (this.current) return;
    // Retired: no request runs there any more, not even one queued before the result that retired it.
    if (this.primary?.retired) this.replacePrimary();
    if (!this.queue.length) return;
    const item = this.queue.shift();
    this.current = item;
    if (item.message.type === "grade") this.check(item);
    else this.onRunner(item, item.message, (outcome) => this.finish(item, outcome));
  }

  /**
   * A Check: the judge's plan, the runner's observation (the step the time limit covers), the judge's verdict.
   * The runner's answer goes to the judge as text: the page never reads a verdict from the runner.
   */
  async check(item) {
    const { exercise, source } = item.message;
    const judged = await this.judged({ type: "plan", exercise }, this.plans.get(exercise));
    if (item.done || this.current !== item) return;
    if (judged.kind !== "done" || isInternalError(judged.result)) {
      this.finish(item, judged);
      return;
    }
    this.plans.set(exercise, judged.result);
    const observe = { id: this.nextId++, type: "observe", plan: judged.result, source };
    this.onRunner(item, observe, async (observed) => {
      this.endTimeLimit(item);
      // A fault of ours in the runner: the widget says so and tries once in a fresh one. Never a verdict.
      if (isInternalError(observed.result)) {
        this.finish(item, observed);
        return;
      }
      item.judging = true;
      this.finish(item, await this.judged({ type: "judge", exercise, source, observed: observed.result }));
    });
  }

  /**
   * The judge's answer to `message` (`known`: an answer kept from before, given back at once). Waits for the judge
   * to be ready; a judge that cannot start, or crashes, gives an outcome that says so.
   */
  async judged(message, known = undefined) {
    if (known !== undefined) return { kind: "done", result: known };
    let slot;
    try {
      slot = await this.judgeSlot();
      await slot.ready;
    } catch (error) {
      if (slot) this.dropJudge(slot);
      return { kind: "unavailable", error: error.message, judge: Boolean(slot) };
    }
    return this.askJudge(slot, message);
  }

  /** Send `message` for `item` to the runner; `then` gets its outcome, unless the request ended meanwhile. */
  async onRunner(item, message, then) {
    const slot = this.primary;
    try {
      await slot.ready;
    } catch (error) {
      this.finish(item, { kind: "unavailable", error: error.message });
      return;
    }
    if (this.current !== item) return; // stopped while waiting for Python
    if (slot !== this.primary) {
      // The worker was replaced while we waited: go again with the new one.
      this.current = null;
      this.queue.unshift(item);
      this.pump();
      return;
    }
    item.slot = slot;
    item.started ??= performance.now();
    slot.used = true; // the reader's code may run there: `restart` replaces it
    slot.pending.set(message.id, (reply) => {
      if (reply.ok && asksForFreshPython(reply.result)) slot.retired = true; // before the next request is sent
      if (item.interrupted) this.finish(item, { kind: item.interrupted }); // whatever Python said after the interrupt
      else if (reply.ok) then({ kind: "done", result: reply.result });
      else if (reply.fatal) this.crash(item, reply.error);
      else this.finish(item, { kind: "crashed", error: reply.error });
    });
    // The time limit runs from when Python turns to this request: not while it warms up the exercises.
    this.afterWarmups(slot, () => {
      if (item.done || item.judging) return;
      if (item.timeoutMs) this.runTimeLimit(item, item.timeoutMs);
      if (item.spare && !this.spareWanted) item.spareTimer = setTimeout(() => this.wantSpare(), this.spareAfterMs);
    });
    slot.worker.postMessage(message);
  }

  /** The runner's step is over: no time limit, no spare for the judge's step. */
  endTimeLimit(item) {
    clearTimeout(item.timer);
    clearTimeout(item.spareTimer);
    item.left = undefined;
  }

  /** Start (or go on with) the request's time limit: `ms` left. */
  runTimeLimit(item, ms) {
    item.left = ms;
    item.limitFrom = performance.now();
    item.timer = setTimeout(() => this.interrupt(item, "timeout"), ms);
  }

  /** Stop the time limit while Python downloads for the program (`held`), then go on with what was left. */
  holdTimeLimit(item, held) {
    if (!item.timeoutMs || item.left === undefined) return;
    if (held && !item.held) {
      clearTimeout(item.timer);
      item.left -= performance.now() - item.limitFrom;
      item.held = true;
    } else if (!held && item.held) {
      item.held = false;
      this.runTimeLimit(item, Math.max(0, item.left));
    }
  }

  finish(item, outcome) {
    if (item.done) return;
    item.done = true;
    clearTimeout(item.timer);
    clearTimeout(item.fallback);
    clearTimeout(item.spareTimer);
    if (item.interrupted) this.lastRecovery.ready = performance.now();
    if (this.current === item) this.current = null;
    item.resolve({ ...outcome, ms: item.started ? performance.now() - item.started : 0 });
    if (!this.queue.length && this.primary?.warmLater && this.primary.state === "ready") this.sendWarmups(this.primary);
    if (!this.checkWaiting() && this.judge?.warmLater && this.judge.state === "ready") {
      this.judge.warmLater = false;
      this.warmJudge(this.judge);
    }
    this.pump();
  }

  crash(item, error) {
    if (item.slot === this.primary) this.replacePrimary();
    this.finish(item, { kind: "crashed", error, restarted: true });
  }

  /**
   * A fresh interpreter for the next request (the spare takes over at once, or once the request in flight ends).
   * Nothing to do where no request ran since the last replacement: a result that asked for it replaced it already.
   */
  restart() {
    if (!this.primary?.used) return;
    this.primary.retired = true;
    if (!this.current) this.replacePrimary();
  }

  /**
   * End the request in flight ("timeout" or "stopped"): interrupt Python where the page can, and
   * kill its worker if that is not possible or does not answer within `interruptGraceMs`.
   */
  interrupt(item, kind) {
    if (item.done || item.interrupted) return;
    if (item.judging) {
      // Stopped while the judge decides: the runner is idle and is left alone; the verdict is not shown.
      this.finish(item, { kind });
      return;
    }
    this.lastRecovery = { at: performance.now(), kind, how: "terminate" };
    if (item.slot?.interrupt && item.slot === this.primary) {
      item.interrupted = kind;
      this.lastRecovery.how = "interrupt";
      Atomics.store(item.slot.interrupt, 0, 2);
      item.fallback = setTimeout(() => this.kill(item, kind), this.interruptGraceMs);
      return;
    }
    this.kill(item, kind);
  }

  kill(item, kind) {
    if (item.done) return;
    if (item.slot && item.slot === this.primary) this.replacePrimary();
    this.lastRecovery.how = "terminate";
    item.interrupted = null;
    this.lastRecovery.ready = performance.now();
    this.finish(item, { kind });
  }

  /** Stop the request of `owner` (queued or running). */
  stop(owner) {
    const queued = this.queue.findIndex((item) => item.owner === owner);
    if (queued >= 0) {
      const [item] = this.queue.splice(queued, 1);
      item.done = true;
      item.resolve({ kind: "stopped", ms: 0 });
    }
    if (this.current && this.current.owner === owner) {
      if (this.current.spare) this.wantSpare(); // a program the reader had to stop: the next may need a spare too
      this.interrupt(this.current, "stopped");
    }
  }
}
