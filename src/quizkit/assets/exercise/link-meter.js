// How fast the link is, read from Python's own files as they arrive: whether the memory snapshot is worth
// its download on a first start off a loopback host (worker.js "-choose"). A module of its own so that Node
// can test it (tests/test_link_meter.py).

/**
 * Bytes on the wire per byte of a response's body (the body comes decoded): 1 unless the answer is
 * compressed, then its Content-Length over `size`, the file's bytes as built. 0 where that is unknown (a
 * compressed answer without a Content-Length): such bytes are not counted, and the link reads slower than
 * it is, never faster.
 */
export function wirePerByte(headers, size) {
  const encoding = headers.get("Content-Encoding");
  if (!encoding || encoding === "identity") return 1;
  const length = Number(headers.get("Content-Length"));
  return length > 0 && size > 0 ? length / size : 0;
}

/**
 * A meter of the link: `crossed(bytes)` counts bytes as they arrive. Once `sampleBytes` have come,
 * `fast` resolves to whether they came at `fastMbps` or more (`mbps` holds the figure), timed from `clock`'s
 * zero: in a worker, when the page asked for Python's largest file (runtime.js askEarly) and spawned it.
 * Timed from the first bytes instead, a 50 Mbit/s link read 82 Mbit/s: the page's requests had been filling
 * the HTTP cache before the worker's joined them; timed from the worker's own clock, which starts once its
 * script has arrived, one read 80 or more. This way the round trip counts against the link too, which then
 * reads slower than it is, never faster. `settle(false)` gives the verdict early (everything
 * arrived before the sample was full).
 */
export function linkMeter({ sampleBytes, fastMbps, clock = () => performance.now() }) {
  let verdict = null;
  const meter = { wire: 0, mbps: null, fast: new Promise((resolve) => { verdict = resolve; }) };
  meter.settle = (fast) => {
    verdict?.(fast);
    verdict = null;
  };
  meter.crossed = (bytes) => {
    if (!verdict || !(bytes > 0)) return;
    meter.wire += bytes;
    const elapsed = clock();
    if (meter.wire < sampleBytes || !(elapsed > 0)) return;
    meter.mbps = (meter.wire * 8) / (elapsed * 1000);
    meter.settle(meter.mbps >= fastMbps);
  };
  return meter;
}
