# When Python may start: the page's module and the head script of exercise pages decide alike.
"""`start-policy.js` is the rule's only copy: `exercise.js` imports it, and `embed.early_start` inlines it
into the head script (which must run before any module loads). Node runs both forms on the same links
and both must answer alike, and as the rule says.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from quizkit.plugin import embed

pytestmark = pytest.mark.node

CASES = [
    ({"saveData": True, "effectiveType": "4g", "downlink": 10}, "127.0.0.1", True, "ask"),
    ({"saveData": True}, "example.org", False, "ask"),
    (None, "localhost", False, "load"),
    (None, "127.0.0.1", False, "load"),
    (None, "[::1]", False, "load"),
    (None, "localhost", True, "now"),
    (None, "127.0.0.1", True, "now"),
    (None, "[::1]", True, "now"),
    ({"effectiveType": "4g", "downlink": 10}, "example.org", False, "now"),
    ({"effectiveType": "4g", "downlink": 10}, "example.org", True, "now"),
    ({"effectiveType": "4g", "downlink": 9.9}, "example.org", True, "intent"),
    ({"effectiveType": "3g", "downlink": 10}, "example.org", False, "intent"),
    (None, "example.org", True, "intent"),
    (None, "127.0.0.1.example.org", False, "intent"),
]
"""(navigator.connection, location.hostname, this browser started this build's Python before, the decision)."""
SNAPSHOT_CASES = [("localhost", True), ("127.0.0.1", True), ("[::1]", True), ("example.org", False),
                  ("quizkit-course.localhost", False), ("127.0.0.1.example.org", False)]
"""(location.hostname, whether Python also downloads its memory snapshot): only where bytes cost nothing."""

SCRIPT = """
const [moduleUrl, inlined, cases, hosts] = process.argv.slice(1);
const { startPolicy, withSnapshot } = await import(moduleUrl);
const head = new Function(`${inlined}; return { startPolicy, withSnapshot };`)();
const out = JSON.parse(cases).map(([connection, host, kept]) => [startPolicy(connection ?? undefined, host, kept),
  head.startPolicy(connection ?? undefined, host, kept)]);
const snapshot = JSON.parse(hosts).map((host) => [withSnapshot(host), head.withSnapshot(host)]);
console.log(JSON.stringify([out, snapshot]));
"""

KEPT_SCRIPT = """
const [moduleUrl, inlined] = process.argv.slice(1);
const { keepHere, keptHere } = await import(moduleUrl);
const head = new Function(`${inlined}; return { keptHere };`)();
const store = new Map();
const asked = (build) => [keptHere(build), head.keptHere(build)];
const out = {};
Object.defineProperty(globalThis, "localStorage", { configurable: true, get() { throw new Error("SecurityError"); } });
out.refused = asked("0123456789abcdef");
keepHere("0123456789abcdef"); // must not throw either
Object.defineProperty(globalThis, "localStorage", { configurable: true,
  value: { getItem: (key) => store.get(key) ?? null, setItem: (key, value) => store.set(key, String(value)) } });
out.before = asked("0123456789abcdef");
keepHere("0123456789abcdef");
out.kept = asked("0123456789abcdef");
out.otherBuild = asked("fedcba9876543210");
out.noBuild = asked("");
out.keys = [...store.keys()];
console.log(JSON.stringify(out));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    return node


def test_the_module_and_the_head_script_decide_alike_and_as_the_rule_says() -> None:
    inlined = embed._start_policy()
    assert "export" not in inlined
    done = subprocess.run([_node(), "--input-type=module", "-e", SCRIPT, embed._POLICY_FILE.as_uri(), inlined,
                           json.dumps([[connection, host, kept] for connection, host, kept, _ in CASES]),
                           json.dumps([host for host, _ in SNAPSHOT_CASES])],
                          capture_output=True, text=True, timeout=60, check=True)
    decisions, snapshot = json.loads(done.stdout)
    assert [module for module, _ in decisions] == [expected for *_, expected in CASES]
    assert [head for _, head in decisions] == [expected for *_, expected in CASES]
    assert [module for module, _ in snapshot] == [expected for _, expected in SNAPSHOT_CASES]
    assert [head for _, head in snapshot] == [expected for _, expected in SNAPSHOT_CASES]


def test_a_build_noted_as_kept_is_found_by_both_and_only_that_build() -> None:
    """`keepHere` notes a build once its Python was ready; `keptHere` (the module's and the head script's) finds
    that build only, and storage that throws reads as "not kept" and is no harm when written."""
    done = subprocess.run([_node(), "--input-type=module", "-e", KEPT_SCRIPT, embed._POLICY_FILE.as_uri(),
                           embed._start_policy()], capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(done.stdout)
    assert out["refused"] == [False, False]
    assert out["before"] == [False, False]
    assert out["kept"] == [True, True]
    assert out["otherBuild"] == [False, False]
    assert out["noBuild"] == [False, False]
    assert out["keys"] == ["quizkit-python-kept"], "outside the reader's own data (quizkit:...), which Progress exports"


def test_the_head_script_holds_the_rule_and_starts_only_when_it_says_now() -> None:
    script = embed.early_start("../assets/quizkit/", "0123456789abcdef")
    assert embed._one_script(embed._start_policy()) in script
    assert 'if (startPolicy(undefined, undefined, keptHere(build)) !== "now") return;' in script
    assert 'const lean = keptHere(build) ? "quizkit-python-lean-keep" : "quizkit-python-lean-choose-keep";' in script, (
        "lean off a loopback host; on the build's first start there, the worker may choose the snapshot")
    assert 'name: withSnapshot() ? "quizkit-python" : lean' in script
    assert "__POLICY__" not in script
