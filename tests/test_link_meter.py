# How the worker reads the link's speed from Python's own files (link-meter.js), run in Node on a clock of the test's.
"""A first start off loopback takes the memory snapshot too only where the link proves fast (worker.js
"-choose"). The meter must never read a link faster than it is: bytes it cannot size on the wire are left
out, and the time runs from the worker's start."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from quizkit.plugin.toolchain import ASSETS_DIR

pytestmark = pytest.mark.node

METER = ASSETS_DIR / "link-meter.js"

SCRIPT = """
const { linkMeter, wireCounter } = await import(process.argv[1]);
const headers = (entries) => new Map(Object.entries(entries));
const run = (chunks) => {
  // chunks: [ms since the worker started, bytes]; the verdict, the figure and when it came (or null).
  let now = 0;
  const meter = linkMeter({ sampleBytes: 1_500_000, fastMbps: 20, clock: () => now });
  let verdict = null;
  meter.fast.then((fast) => { verdict = fast; });
  const out = [];
  for (const [at, bytes] of chunks) {
    now = at;
    meter.crossed(bytes);
    out.push(meter.mbps);
  }
  return new Promise((resolve) => setTimeout(() => resolve({ verdict, mbps: meter.mbps, seen: out }), 0));
};
const spread = (mbps, bytes, chunk = 16384) => {
  const out = [];
  for (let sent = chunk; sent <= bytes; sent += chunk) out.push([(sent * 8) / (mbps * 1000), chunk]);
  return out;
};
const uneven = (shape) => {
  // Decoded chunks of 48 KB; the wire time of each comes from the real stream: 0.75 MB for the first 4.5 MB.
  const wireAt = (seen) => (seen <= 4_500_000 ? seen / 4_500_000 * 750_000 : 750_000 + (seen - 4_500_000) / 4_500_000 * 2_250_000);
  const count = wireCounter(headers({ "Content-Encoding": "gzip", "Content-Length": "3000000" }), 9_000_000, shape);
  const out = [];
  for (let seen = 49152; seen <= 9_000_000; seen += 49152) out.push([(wireAt(seen) * 8) / (50 * 1000), count(seen) - count(seen - 49152)]);
  return out;
};
const settled = linkMeter({ sampleBytes: 10, fastMbps: 20, clock: () => 5 });
settled.settle(false);
settled.crossed(100);
console.log(JSON.stringify({
  fifty: await run(spread(50, 2_000_000)),
  ten: await run(spread(10, 2_000_000)),
  short: await run(spread(50, 1_000_000)),
  late: await run(spread(50, 2_000_000).map(([at, bytes]) => [at + 400, bytes])),
  zero: await run([[0, 1_600_000]]),
  settledEarly: [await settled.fast, settled.mbps],
  wire: [
    wireCounter(headers({}), 9_000_000)(1_000_000),
    wireCounter(headers({ "Content-Encoding": "identity", "Content-Length": "5" }), 9_000_000)(1_000_000),
    wireCounter(headers({ "Content-Encoding": "gzip", "Content-Length": "3000000" }), 9_000_000)(900_000),
    wireCounter(headers({ "Content-Encoding": "br" }), 9_000_000)(900_000),
    wireCounter(headers({ "Content-Encoding": "gzip", "Content-Length": "3000000" }), 0)(900_000),
    // A file whose first half sends a quarter of its stream: half of the first half sends an eighth.
    wireCounter(headers({ "Content-Encoding": "gzip", "Content-Length": "3000000" }), 9_000_000, [0, 0.25, 1])(2_250_000),
    wireCounter(headers({ "Content-Encoding": "gzip", "Content-Length": "3000000" }), 9_000_000, [0, 0.25, 1])(9_500_000),
  ],
  // A 9 MB file sent as 3 MB of gzip at 50 Mbit/s, whose first half takes only a quarter of the stream: read
  // decoded (what the worker sees) and counted in proportion, then by its shape.
  unevenProportion: await run(uneven(null)),
  unevenShape: await run(uneven([0, 0.25, 1])),
}));
"""


def _run() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, METER.as_uri()], capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def measured() -> dict:
    return _run()


def test_a_50_mbit_link_is_fast_and_a_10_mbit_one_is_not(measured: dict) -> None:
    assert measured["fifty"]["verdict"] is True
    assert measured["fifty"]["mbps"] == pytest.approx(50, rel=0.02)
    assert measured["ten"]["verdict"] is False
    assert measured["ten"]["mbps"] == pytest.approx(10, rel=0.02)


def test_no_verdict_before_the_sample_is_full_and_none_after_it(measured: dict) -> None:
    assert measured["short"]["verdict"] is None, "1 MB is not enough to judge by"
    seen = measured["fifty"]["seen"]
    figures = [mbps for mbps in seen if mbps is not None]
    assert len(set(figures)) == 1, "the figure is taken once, when the sample is full"
    assert seen.index(figures[0]) == 1_500_000 // 16384, "on the chunk that fills the sample"


def test_the_time_runs_from_the_workers_start_so_a_late_first_byte_reads_slower(measured: dict) -> None:
    """The page asked for the largest file when the worker started: a first byte 400 ms late is the link's time (1.5 MB in 0.64 s)."""
    assert measured["late"]["mbps"] < 20
    assert measured["late"]["verdict"] is False


def test_bytes_at_time_zero_and_an_early_verdict_give_no_figure(measured: dict) -> None:
    assert measured["zero"]["verdict"] is None, "no time has passed: no speed to read (never infinite)"
    assert measured["settledEarly"] == [False, None], "settled before the sample: later bytes change nothing"


def test_only_bytes_that_can_be_sized_on_the_wire_count(measured: dict) -> None:
    plain, identity, gzipped, unknown, no_size, early, past_the_end = measured["wire"]
    assert plain == 1_000_000
    assert identity == 1_000_000
    assert gzipped == pytest.approx(300_000), "without a shape: the Content-Length in proportion"
    assert unknown == 0, "compressed without a Content-Length: left out (the link reads slower, never faster)"
    assert no_size == 0
    assert early == pytest.approx(375_000), "a quarter of the first half: an eighth of the stream"
    assert past_the_end == 3_000_000, "a host that decoded a .gz sends more than the file: never more than its stream"


def test_a_file_that_compresses_unevenly_is_read_at_the_link_s_speed_by_its_shape(measured: dict) -> None:
    """Pyodide's wasm: its first part (the code) compresses better than the whole. Counted in proportion, a
    50 Mbit/s link read 62 or more, and now and then 80, the snapshot's threshold; by the file's shape, 50."""
    assert measured["unevenProportion"]["mbps"] == pytest.approx(100, rel=0.03), "in proportion: twice too fast"
    assert measured["unevenShape"]["mbps"] == pytest.approx(50, rel=0.03)
