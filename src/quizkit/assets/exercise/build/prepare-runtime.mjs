// Site build step, run with Node: what makes Python start fast in the page, made with Pyodide itself.
//
//   node prepare-runtime.mjs stdlib   PYODIDE_DIR STDLIB_ZIP WHEEL RULES_JSON OUT_DIR
//     The lean standard library, from STDLIB_ZIP (Pyodide's, with asyncio deferred: quizkit/plugin/
//     lazy_asyncio.py), precompiled to .pyc (legacy layout, sources dropped, hash-based .pyc files so the
//     zips are the same on every build), holding only what Pyodide and quizkit import to start and warm up
//     (found by doing it) and what a learner's program usually imports (LEARNER), in two zips:
//     OUT_DIR/stdlib.zip, what Python's start imports; OUT_DIR/quizkit-page.zip, the rest, with the
//     quizkit modules the page imports (the CLI, the plugin and the exporters stay out: they never run
//     there). It arrives while Python starts. The page fetches the rest of the standard library, Pyodide's
//     own zip, the first time a program needs it (quizkit/stdlib_on_demand.py). quizkit-page.zip also holds
//     the code quizkit's dataclasses compile as it is imported, compiled here (page_dataclasses.py).
//   node prepare-runtime.mjs snapshot PYODIDE_DIR STDLIB_ZIP PACKAGE_ZIP RULES_JSON OUT_GZ
//     a memory snapshot of Python with quizkit imported (from PACKAGE_ZIP on sys.path) and warmed up, less what the wasm file itself puts
//     in memory and without its zero pages, gzip-compressed (the format: ../snapshot-format.mjs)
//
// Errors are printed as one line (an uncaught Pyodide error prints its whole 1 MB module).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { expand, sparse, xorInto } from "../snapshot-format.mjs";

const [command, pyodideDir, ...args] = process.argv.slice(2);

async function pyodideModule() {
  return import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
}

function writeAtomically(path, data) {
  writeFileSync(`${path}.part`, data);
  renameSync(`${path}.part`, path);
}

// Standard-library modules a learner's program in this course is likely to import, besides what quizkit
// imports itself: each is in the lean zip. Anything else in the standard library still imports, after a
// one-off download of the full zip (2.5 MB): cheap to add a name here when a lesson starts using a module.
const LEARNER = [
  "calendar", "collections", "copy", "csv", "dataclasses", "datetime", "decimal", "enum", "fractions",
  "functools", "heapq", "bisect", "itertools", "json", "math", "numbers", "operator", "pprint", "random", "re",
  "statistics", "string", "textwrap", "time", "timeit", "typing", "zoneinfo", "graphlib", "shlex",
];
// The encodings a program may name (the rest come with the full zip).
const ENCODINGS = ["aliases", "ascii", "cp1252", "cp437", "idna", "latin_1", "raw_unicode_escape", "unicode_escape",
  "utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_8", "utf_8_sig"];

async function stdlib(stdlibZip, wheel, rulesJson, outDir) {
  const { loadPyodide } = await pyodideModule();
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdLibURL: resolve(stdlibZip),
    stdout: () => {}, stderr: console.error });
  pyodide.runPython(IMPORTED_FROM);
  // What Python's start imports (asyncio only stands in: sitecustomize.py) goes in the page's stdlib.zip.
  pyodide.runPython("AT_START = imported_from(STDLIB_ZIP)");
  pyodide.runPython(CHECK_PACKAGE_LOADER);
  const sitePackages = pyodide.runPython(SITE_PACKAGES);
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "zip", { extractDir: sitePackages });
  pyodide.globals.set("RULES_JSON", readFileSync(rulesJson, "utf8"));
  pyodide.globals.set("LEARNER", JSON.stringify([...LEARNER, ...ENCODINGS.map((name) => `encodings.${name}`)]));
  // quizkit's first import: what its dataclasses compile, compiled, for the page (page_dataclasses.py).
  pyodide.runPython(`import page_dataclasses; DATACLASS_CODE = page_dataclasses.record("quizkit.browser")`);
  pyodide.runPython(WARM_UP); // its first program loads asyncio (quizkit.integrity.capture)
  pyodide.runPython(`
import importlib, json, os, site, sys, zipfile  # all imported by Pyodide or the warm-up already
for name in json.loads(LEARNER):
    importlib.import_module(name)
with zipfile.ZipFile(STDLIB_ZIP) as original:  # the sources, to precompile
    original.extractall("/tmp/stdlib")

def write_pyc_zip(out, entries):
    """entries: (root, path below it) of each source file, written as path + "c"."""
    import py_compile  # after the lists are made: the page never imports it
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for root, rel in sorted(entries, key=lambda entry: entry[1]):
            path = os.path.join(root, rel)
            if not os.path.exists(path):
                continue
            # Without docstrings (-OO: 15 % fewer bytes), but Pyodide's own modules, which read theirs, and
            # quizkit's: a dataclass without one gets a __doc__ made from its signature (inspect.signature)
            # as it is defined, which took longer than the docstrings' 21 KB take to download at 10 Mbit/s.
            optimize = 0 if rel.startswith(("_pyodide/", "pyodide/")) else 1 if rel.startswith("quizkit/") else 2
            py_compile.compile(path, cfile="/tmp/module.pyc", dfile=rel, optimize=optimize,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            info = zipfile.ZipInfo(rel + "c", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open("/tmp/module.pyc", "rb") as f:
                z.writestr(info, f.read())

lean = imported_from(STDLIB_ZIP)
# A package's modules stay in one zip: Python looks for them where the package was found.
packages_at_start = {path.split("/")[0] for path in AT_START if "/" in path}
at_start = {path for path in lean if path in AT_START or path.split("/")[0] in packages_at_start}
if "sitecustomize.py" not in at_start or any(path.startswith("asyncio/") for path in at_start):
    raise RuntimeError("sitecustomize.py did not defer asyncio while Python started")
site_packages = site.getsitepackages()[0]
write_pyc_zip("/tmp/stdlib-pyc.zip", [("/tmp/stdlib", path) for path in at_start])
write_pyc_zip("/tmp/quizkit-page.zip", [("/tmp/stdlib", path) for path in lean - at_start]
              + [(site_packages, path) for path in imported_from(site_packages) if path.startswith("quizkit/")])
if "page_dataclasses.py" not in lean - at_start or not DATACLASS_CODE:
    raise RuntimeError("page_dataclasses recorded no dataclass of quizkit's, or is not in quizkit-page.zip")
import marshal
with zipfile.ZipFile("/tmp/quizkit-page.zip", "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr(zipfile.ZipInfo(page_dataclasses.CODE_FILE, date_time=(1980, 1, 1, 0, 0, 0)), marshal.dumps(DATACLASS_CODE),
               zipfile.ZIP_DEFLATED, 9)
`);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(join(outDir, "stdlib.zip"), pyodide.FS.readFile("/tmp/stdlib-pyc.zip"));
  writeAtomically(join(outDir, "quizkit-page.zip"), pyodide.FS.readFile("/tmp/quizkit-page.zip"));
}

// Python started without Pyodide's package loader (sitecustomize.py), and what the stand-in answered for it is
// what the loader itself says.
const CHECK_PACKAGE_LOADER = `
import sys
import sitecustomize

def check_package_loader():
    where = "pyodide/_package_loader.py:1:"
    loader = sys.modules["pyodide._package_loader"]
    answers = dict(sitecustomize._answers.get("pyodide._package_loader", {}))
    if type(loader) is not sitecustomize.Deferred or not answers:
        raise RuntimeError(f"{where} imported as Python started: sitecustomize.py no longer defers it")
    sitecustomize.load(loader)
    for name in ("SITE_PACKAGES", "DSO_DIR"):
        if str(getattr(loader, name)) != str(answers[name]):
            raise RuntimeError(f"{where} {name} is {getattr(loader, name)}, where sitecustomize.py answers {answers[name]}")
    if not callable(getattr(loader, "init_loaded_packages", None)):
        raise RuntimeError(f"{where} no init_loaded_packages, which sitecustomize.py answers for")

check_package_loader()
del check_package_loader
`;

/** Where the page's Python finds quizkit-page.zip (worker.js has the same constant). */
const PAGE_PACKAGE_PATH = "/lib/quizkit-page.zip";

// Where Pyodide installs packages (as its _package_loader finds it): \`site\` is always imported.
const SITE_PACKAGES = "import site; site.getsitepackages()[0]";

const IMPORTED_FROM = `
import sys

STDLIB_ZIP = next(path for path in sys.path if path.endswith(".zip"))  # where Pyodide put the stdlib zip

def imported_from(root):
    """Every module now imported from below root (relative paths), and the packages above each."""
    found = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""  # a stand-in has none
        if origin.startswith(root + "/") and origin.endswith(".py"):
            found.add(origin[len(root) + 1:])
    for path in list(found):
        parts = path.split("/")[:-1]
        found.update("/".join(parts[:i]) + "/__init__.py" for i in range(1, len(parts) + 1))
    return found
`;

// Imports and one-off work done here are in the snapshot, so the page does not redo them.
// quizkit.analysis is imported on the activity's first analysis: here, so that the page's zip holds it.
const WARM_UP = `
import json
import quizkit.browser as browser
import quizkit.analysis
browser.load_rules(RULES_JSON)
for source in ("print(1)", "1/0", "def f(:\\n    pass", "input()", "import sys; sys.exit(2)"):
    json.loads(browser.run_json(source))
del source
`;

async function snapshot(stdlibZip, wheel, rulesJson, outGz) {
  const { loadPyodide } = await pyodideModule();
  const initial = initialMemory();
  const pyodide = await loadPyodide({
    indexURL: `${resolve(pyodideDir)}/`,
    stdLibURL: resolve(stdlibZip),
    _makeSnapshot: true,
    stdout: () => {},
    stderr: console.error,
  });
  // quizkit-page.zip on sys.path, where a lean start puts it (worker.js PAGE_PACKAGE_PATH): the page writes the
  // file there after a start from the snapshot, whose zip importer has read its directory already. (Unpacking it
  // would need Pyodide's package loader, which waits for first use, and shutil, which is in that zip.)
  pyodide.FS.writeFile(PAGE_PACKAGE_PATH, new Uint8Array(readFileSync(wheel)));
  pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PAGE_PACKAGE_PATH)})`);
  pyodide.globals.set("RULES_JSON", readFileSync(rulesJson, "utf8"));
  pyodide.runPython(WARM_UP);
  pyodide.runPython("del RULES_JSON");
  const memory = pyodide.makeMemorySnapshot();
  const stored = sparse(memory, initial());
  const { memory: restored, xorStart, xorLength } = expand(stored);
  xorInto(restored, xorStart, initial().subarray(0, xorLength));
  if (Buffer.compare(restored, memory) !== 0) throw new Error("the stored snapshot does not give back the memory it was made from");
  writeAtomically(outGz, gzipSync(stored, { level: 9 }));
}

/**
 * A function that returns the wasm memory as it was right after Pyodide's module was instantiated: the wasm
 * file's data segments (3.3 MB) and zeros. The page has the same bytes at the same moment (worker.js
 * `compileEarly`), since instantiating runs no code of the module.
 */
function initialMemory() {
  let copy = null;
  const original = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const result = await original.apply(WebAssembly, args);
    const memory = (result.instance ?? result).exports?.memory;
    if (!copy && memory) {
      copy = new Uint8Array(memory.buffer).slice();
      WebAssembly.instantiate = original;
    }
    return result;
  };
  return () => {
    if (!copy) throw new Error("Pyodide's module was not instantiated through WebAssembly.instantiate");
    return copy;
  };
}

try {
  if (command === "stdlib") await stdlib(...args);
  else if (command === "snapshot") await snapshot(...args);
  else throw new Error(`unknown command ${command}: use stdlib or snapshot`);
} catch (error) {
  console.error(`prepare-runtime ${command}: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
