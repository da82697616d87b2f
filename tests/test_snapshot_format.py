# The memory snapshot's stored format (snapshot-format.mjs), run in Node: the build writes it, the worker reads it.
"""One module holds the format for both sides. What the build stores must give back, once the worker has put the
pages back and XORed the module's initial memory in, the memory it was made from, byte for byte; a file cut
short or of another format must be refused before the worker trusts it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from quizkit.plugin.toolchain import SNAPSHOT_FORMAT

pytestmark = pytest.mark.node

SCRIPT = """
const { MAGIC, expand, sparse, wellFormed, xorInto } = await import(process.argv[1]);
const PAGE = 4096;
// Pyodide's snapshot: a header whose second word says where the memory starts, then the memory.
const memoryStart = 16;
const memory = new Uint8Array(memoryStart + 9 * PAGE + 100); // a last page cut short
new Uint32Array(memory.buffer, 0, 4).set([1, memoryStart, 7, 7]);
// The module's initial memory: its first two pages, the same in the snapshot but for one byte.
const initial = new Uint8Array(2 * PAGE + 8);
for (let i = 0; i < 2 * PAGE; i += 1) initial[i] = (i * 7) % 251 + 1;
memory.set(initial.subarray(0, 2 * PAGE), memoryStart);
memory[memoryStart + 100] ^= 0x5a;
memory.fill(3, memoryStart + 5 * PAGE, memoryStart + 5 * PAGE + 10); // live data further on
memory[memory.length - 1] = 9;
const stored = sparse(memory, initial);
const back = expand(stored);
xorInto(back.memory, back.xorStart, initial.subarray(0, back.xorLength));
const words = new Uint32Array(stored.buffer, 0, 6);
let badMagic = null;
const other = stored.slice();
other[0] ^= 1;
try { expand(other); } catch (error) { badMagic = error.message; }
console.log(JSON.stringify({
  same: back.memory.length === memory.length && back.memory.every((byte, i) => byte === memory[i]),
  header: Array.from(words),
  magic: MAGIC,
  storedBytes: stored.length,
  indexes: Array.from(back.indexes),
  wellFormed: wellFormed(stored),
  cutShort: wellFormed(stored.subarray(0, stored.length - 1)),
  tooShortForAHeader: wellFormed(new Uint8Array(8)),
  otherMagic: wellFormed(other),
  badMagic,
}));
"""


@pytest.fixture(scope="module")
def result() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    done = subprocess.run([node, "--input-type=module", "-e", SCRIPT, SNAPSHOT_FORMAT.as_uri()], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_what_the_build_stores_gives_back_the_memory_byte_for_byte(result: dict) -> None:
    assert result["same"] is True


def test_pages_that_the_xor_makes_zero_are_left_out(result: dict) -> None:
    # Page 0 holds Pyodide's header and the one changed byte. Page 1 and the start of page 2 equal the initial
    # memory, so they XOR to zero and are left out, as are the zero pages 2-4 and 6-8. Pages 5 (live data) and
    # 9 (the short last page) stay.
    assert result["indexes"] == [0, 5, 9]
    magic, length, page, count, xor_start, xor_length = result["header"]
    assert (magic, page, count, xor_start) == (result["magic"], 4096, 3, 16)
    assert length == 16 + 9 * 4096 + 100
    assert xor_length == 2 * 4096  # the initial memory's trailing zeros are not XORed
    assert result["storedBytes"] == (6 + 3) * 4 + 3 * 4096


def test_a_file_cut_short_or_of_another_format_is_refused(result: dict) -> None:
    assert result["wellFormed"] is True
    assert result["cutShort"] is False
    assert result["tooShortForAHeader"] is False
    assert result["otherMagic"] is False
    assert result["badMagic"] == "not a QKS2 snapshot"
