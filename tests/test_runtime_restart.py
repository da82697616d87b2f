# The page's runtime (runtime.js) under Node with fake workers: no request runs in an interpreter a verdict retired.
"""After a result that asks for a fresh interpreter (a `tamper` error, `restart: true`; an `internal_error`),
no request runs in the old one: not even one another widget queued meanwhile.

Before session 36 the runtime took the next queued request as soon as it finished the current one, and
sent it to the same worker; the widget's `restart()` came a moment later, found a request in flight and did
nothing, so the queued request and every later one ran in the interpreter the program had changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.node

RUNTIME = Path(__file__).resolve().parent.parent / "src" / "quizkit" / "assets" / "exercise" / "runtime.js"

SCRIPT = r"""
const workers = [];
globalThis.Worker = class {
  constructor(url, options) { this.name = options.name; this.posted = []; this.terminated = false; workers.push(this); }
  postMessage(message) { this.posted.push(message); }
  terminate() { this.terminated = true; }
};
const { Runtime } = await import(process.argv[1]);
const [first, how] = JSON.parse(process.argv[2]);
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));  // every pending promise job has run
const ready = (worker) => worker.onmessage({ data: { type: "status", state: "ready", detail: "", progress: 1 } });
const sent = (worker) => worker.posted.filter((message) => message.type !== "init").map((message) => message.source);

const runtime = new Runtime(new URL("file:///worker.js"), () => {}, null, { wait: null });
ready(workers[0]);
// Two widgets: the first does what widget.js does with a result that asks for a fresh interpreter.
const a = runtime.request({ type: "run", source: "a" }, 0, "A").then((outcome) => {
  const result = JSON.parse(outcome.result);
  if (how === "widget" && (result.restart || result.status === "internal_error")) runtime.restart();
});
const b = runtime.request({ type: "run", source: "b" }, 0, "B");
await settled();
const sentA = workers[0].posted.find((message) => message.source === "a");
workers[0].onmessage({ data: { id: sentA.id, ok: true, result: JSON.stringify(first) } });
await a;
await settled();
if (workers[1]) ready(workers[1]);
await settled();
const sentB = workers.find((worker) => sent(worker).includes("b"));
sentB.onmessage({ data: { id: sentB.posted.find((message) => message.source === "b").id, ok: true,
                          result: JSON.stringify({ status: "failed", restart: false }) } });
await b;
// A later request, after the widget's restart() (if any) has had its say.
runtime.restart();
const c = runtime.request({ type: "run", source: "c" }, 0, "A");
await settled();
for (const worker of workers.slice(1)) if (!worker.onmessageReady) { worker.onmessageReady = true; ready(worker); }
await settled();
console.log(JSON.stringify({ sent: workers.map(sent), terminated: workers.map((worker) => worker.terminated) }));
process.exit(0);
"""


def _run(first: dict[str, object], how: str) -> dict[str, list[object]]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, RUNTIME.as_uri(), json.dumps([first, how])],
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


TAMPER = {"status": "error", "error": {"kind": "tamper"}, "restart": True}
INTERNAL = {"status": "internal_error", "internal": "a fault of ours", "restart": False}


@pytest.mark.parametrize("how", ["widget", "runtime alone"])
@pytest.mark.parametrize("first", [TAMPER, INTERNAL], ids=["tamper", "internal_error"])
def test_a_request_queued_behind_a_retired_interpreter_runs_in_a_fresh_one(first: dict[str, object], how: str) -> None:
    out = _run(first, how)
    assert out["sent"][0] == ["a"], "only the request whose result retired it ran in the first interpreter"
    assert out["terminated"][0] is True
    assert "b" in out["sent"][1], "the queued request ran in a fresh interpreter, not lost"


def test_one_result_that_asks_for_a_fresh_interpreter_replaces_it_once() -> None:
    """The widget's own restart() after such a result does not throw away the fresh one too (a second start)."""
    out = _run(TAMPER, "widget")
    assert out["sent"][1] == ["b"]
    assert len(out["sent"]) == 3, "b's worker was used: the restart() before c replaced it"
    assert out["sent"][2] == ["c"]
