// Site build step, run with Node: what makes Python start fast in the page, made with Pyodide itself.
//
//   node prepare-runtime.mjs stdlib   PYODIDE_DIR OUT_ZIP
//     the standard library zip precompiled to .pyc (compileall, legacy layout, sources dropped,
//     hash-based .pyc files so the zip is the same on every build)
//   node prepare-runtime.mjs snapshot PYODIDE_DIR STDLIB_ZIP WHEEL RULES_JSON OUT_GZ
//     a memory snapshot of Python with quizkit imported and warmed up, without its zero pages, gzip-compressed
//
// Errors are printed as one line (an uncaught Pyodide error prints its whole 1 MB module).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [command, pyodideDir, ...args] = process.argv.slice(2);

async function pyodideModule() {
  return import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
}

function writeAtomically(path, data) {
  writeFileSync(`${path}.part`, data);
  renameSync(`${path}.part`, path);
}

async function stdlib(outZip) {
  const { loadPyodide } = await pyodideModule();
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdout: () => {}, stderr: console.error });
  pyodide.FS.writeFile("/tmp/stdlib.zip", new Uint8Array(readFileSync(join(pyodideDir, "python_stdlib.zip"))));
  pyodide.runPython(`
import compileall, os, py_compile, zipfile
src, out = "/tmp/stdlib", "/tmp/stdlib-pyc.zip"
with zipfile.ZipFile("/tmp/stdlib.zip") as original:
    original.extractall(src)
compileall.compile_dir(src, quiet=1, legacy=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith(".py") and os.path.exists(path + "c"):
                continue  # the .pyc replaces it
            info = zipfile.ZipInfo(os.path.relpath(path, src), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
`);
  writeAtomically(outZip, pyodide.FS.readFile("/tmp/stdlib-pyc.zip"));
}

// Imports and one-off work done here are in the snapshot, so the page does not redo them.
const WARM_UP = `
import json, sysconfig
import quizkit.browser as browser
browser.load_rules(RULES_JSON)
for source in ("print(1)", "1/0", "def f(:\\n    pass", "input()", "import sys; sys.exit(2)"):
    json.loads(browser.run_json(source))
del source
`;

async function snapshot(stdlibZip, wheel, rulesJson, outGz) {
  const { loadPyodide } = await pyodideModule();
  const pyodide = await loadPyodide({
    indexURL: `${resolve(pyodideDir)}/`,
    stdLibURL: resolve(stdlibZip),
    _makeSnapshot: true,
    stdout: () => {},
    stderr: console.error,
  });
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
  pyodide.globals.set("RULES_JSON", readFileSync(rulesJson, "utf8"));
  pyodide.runPython(WARM_UP);
  pyodide.runPython("del RULES_JSON");
  const memory = pyodide.makeMemorySnapshot();
  writeAtomically(outGz, gzipSync(sparse(memory), { level: 9 }));
}

// Most of the snapshot is zero pages; leaving them out makes the page decompress 2-3x less.
// Layout (little-endian u32): "QKS1", total length, page size, page count, page indexes, then the pages.
const PAGE = 4096;
function sparse(memory) {
  const indexes = [];
  for (let start = 0; start < memory.length; start += PAGE) {
    const page = memory.subarray(start, start + PAGE);
    if (page.some((byte) => byte !== 0)) indexes.push(start / PAGE);
  }
  const header = new Uint32Array([0x3153_4b51, memory.length, PAGE, indexes.length, ...indexes]);
  const out = new Uint8Array(header.byteLength + indexes.length * PAGE);
  out.set(new Uint8Array(header.buffer), 0);
  indexes.forEach((index, i) => {
    out.set(memory.subarray(index * PAGE, (index + 1) * PAGE), header.byteLength + i * PAGE);
  });
  return out;
}

try {
  if (command === "stdlib") await stdlib(...args);
  else if (command === "snapshot") await snapshot(...args);
  else throw new Error(`unknown command ${command}: use stdlib or snapshot`);
} catch (error) {
  console.error(`prepare-runtime ${command}: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
