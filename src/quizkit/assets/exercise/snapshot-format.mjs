// The memory snapshot's stored format, "QKS2": written at build time (build/prepare-runtime.mjs, in Node),
// read by the worker (worker.js, bundled in). One copy, so the two cannot drift apart.
//
// What is stored: Pyodide's snapshot with the wasm's initial memory (its data segments, which the page has
// without downloading them again) XORed out, less the pages that are then zero. 5.5 MB gzipped became 3.9 MB;
// the page decompresses 11 MB rather than 14.
// Layout (little-endian u32): "QKS2", total length, page size, page count, where the XOR starts in the
// snapshot (Pyodide's header comes before the memory), its length, the page indexes, then the pages.

export const MAGIC = 0x3253_4b51; // "QKS2"
export const HEADER_WORDS = 6;
const PAGE = 4096;

/** The snapshot `memory` in this format, `initial` (the module's memory as instantiating left it) XORed out. */
export function sparse(memory, initial) {
  const xorStart = new Uint32Array(memory.buffer, memory.byteOffset, 4)[1]; // Pyodide's header, before the memory
  let xorLength = Math.min(initial.length, memory.length - xorStart);
  while (xorLength > 0 && initial[xorLength - 1] === 0) xorLength -= 1;
  xorLength = Math.ceil(xorLength / 4) * 4;
  const xored = memory.slice();
  xorInto(xored, xorStart, initial.subarray(0, xorLength));
  const indexes = [];
  for (let start = 0; start < xored.length; start += PAGE) {
    const page = xored.subarray(start, start + PAGE);
    if (page.some((byte) => byte !== 0)) indexes.push(start / PAGE);
  }
  const header = new Uint32Array([MAGIC, xored.length, PAGE, indexes.length, xorStart, xorLength, ...indexes]);
  const out = new Uint8Array(header.byteLength + indexes.length * PAGE);
  out.set(new Uint8Array(header.buffer), 0);
  indexes.forEach((index, i) => {
    out.set(xored.subarray(index * PAGE, (index + 1) * PAGE), header.byteLength + i * PAGE);
  });
  return out;
}

/** Whether `data` is whole by its header: the magic, and as many bytes as its pages need. */
export function wellFormed(data) {
  if (data.length < HEADER_WORDS * 4) return false;
  const [magic, , page, count] = new Uint32Array(data.buffer, data.byteOffset, 4);
  return magic === MAGIC && data.length === (HEADER_WORDS + count) * 4 + count * page;
}

/**
 * `sparse` undone but for the XOR: the pages put back in place. What comes back is still the memory XOR the
 * initial one, at `xorStart` for `xorLength` bytes; `indexes` and `page` say which pages were stored.
 */
export function expand(data) {
  const [magic, length, page, count, xorStart, xorLength] = new Uint32Array(data.buffer, data.byteOffset, HEADER_WORDS);
  if (magic !== MAGIC) throw new Error("not a QKS2 snapshot");
  const indexes = new Uint32Array(data.buffer, data.byteOffset + HEADER_WORDS * 4, count);
  const memory = new Uint8Array(length);
  let offset = (HEADER_WORDS + count) * 4;
  for (const index of indexes) {
    const start = index * page;
    memory.set(data.subarray(offset, offset + Math.min(page, length - start)), start);
    offset += page;
  }
  return { memory, xorStart, xorLength, indexes, page };
}

/** XOR `bytes` into `target` from `at`. */
export function xorInto(target, at, bytes) {
  for (let i = 0; i < bytes.length; i += 1) target[at + i] ^= bytes[i];
}
