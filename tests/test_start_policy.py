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
    ({"saveData": True, "effectiveType": "4g", "downlink": 10}, "127.0.0.1", "ask"),
    ({"saveData": True}, "example.org", "ask"),
    (None, "localhost", "now"),
    (None, "127.0.0.1", "now"),
    (None, "[::1]", "now"),
    ({"effectiveType": "4g", "downlink": 10}, "example.org", "now"),
    ({"effectiveType": "4g", "downlink": 9.9}, "example.org", "intent"),
    ({"effectiveType": "3g", "downlink": 10}, "example.org", "intent"),
    (None, "example.org", "intent"),
    (None, "127.0.0.1.example.org", "intent"),
]
"""(navigator.connection, location.hostname, the decision)."""
SNAPSHOT_CASES = [("localhost", True), ("127.0.0.1", True), ("[::1]", True), ("example.org", False),
                  ("quizkit-course.localhost", False), ("127.0.0.1.example.org", False)]
"""(location.hostname, whether Python also downloads its memory snapshot): only where bytes cost nothing."""

SCRIPT = """
const [moduleUrl, inlined, cases, hosts] = process.argv.slice(1);
const { startPolicy, withSnapshot } = await import(moduleUrl);
const head = new Function(`${inlined}; return { startPolicy, withSnapshot };`)();
const out = JSON.parse(cases).map(([connection, host]) => [startPolicy(connection ?? undefined, host), head.startPolicy(connection ?? undefined, host)]);
const snapshot = JSON.parse(hosts).map((host) => [withSnapshot(host), head.withSnapshot(host)]);
console.log(JSON.stringify([out, snapshot]));
"""


def test_the_module_and_the_head_script_decide_alike_and_as_the_rule_says() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    inlined = embed._start_policy()
    assert "export" not in inlined
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, embed._POLICY_FILE.as_uri(), inlined,
                           json.dumps([[connection, host] for connection, host, _ in CASES]),
                           json.dumps([host for host, _ in SNAPSHOT_CASES])],
                          capture_output=True, text=True, timeout=60, check=True)
    decisions, snapshot = json.loads(done.stdout)
    assert [module for module, _ in decisions] == [expected for _, _, expected in CASES]
    assert [head for _, head in decisions] == [expected for _, _, expected in CASES]
    assert [module for module, _ in snapshot] == [expected for _, expected in SNAPSHOT_CASES]
    assert [head for _, head in snapshot] == [expected for _, expected in SNAPSHOT_CASES]


def test_the_head_script_holds_the_rule_and_starts_only_when_it_says_now() -> None:
    script = embed.early_start("../assets/quizkit/", "0123456789abcdef")
    assert embed._one_script(embed._start_policy()) in script
    assert 'if (startPolicy() !== "now") return;' in script
    assert 'name: withSnapshot() ? "quizkit-python" : "quizkit-python-lean-keep"' in script, "lean off a loopback host"
    assert "__POLICY__" not in script
