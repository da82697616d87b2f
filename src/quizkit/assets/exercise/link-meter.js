// How fast the link is, read from Python's own files as they arrive: whether the memory snapshot is worth
// its download on a first start off a loopback host (worker.js "-choose"). A module of its own so that Node
// can test it (tests/test_link_meter.py).

/**
 * Bytes on the wire for the first bytes of a response's body (the body comes decoded): `wireAt(seen)`.
 * Unless the answer is compressed, as many as were read. Compressed: its Content-Length, in the share the
 * file's `shape` gives for `seen` of its `size` bytes (runtime.py `wire_shape`: the file's gzip stream,
 * sixteenth by sixteenth), or in proportion without one. Files do not compress evenly: Pyodide's wasm
 * sends 0.30 MB for its first 1 MB where a proportion says 0.39, and a 50 Mbit/s link read 62 or more.
 * 0 where the share is unknown (a compressed answer without a Content-Length): such bytes are not counted,
 * and the link reads slower than it is, never faster.
 */
export function wireCounter(headers, size, shape = null) {
  const encoding = headers.get("Content-Encoding");
  if (!encoding || encoding === "identity") return (seen) => seen;
  const length = Number(headers.get("Content-Length"));
  if (!(length > 0 && size > 0)) return () => 0;
  const steps = Array.isArray(shape) && shape.length > 1 ? shape.length - 1 : 0;
  return (seen) => {
    const read = Math.min(1, Math.max(0, seen / size));
    if (!steps) return length * read;
    const at = read * steps;
    const i = Math.min(steps - 1, Math.floor(at));
    return length * (shape[i] + (shape[i + 1] - shape[i]) * (at - i));
  };
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
