// Starts Pyodide the way a lean page start does (Node, offline) and prints what it saw, as JSON.
//
//   node tests/node/lean_start.mjs PYODIDE_DIR STDLIB_ZIP PAGE_ZIP RULES_JSON
//
// Output (stdout): {"atStart": <asyncio's module type once Python has started>, "run": <run_json of a program
// using asyncio>, "awaited": <a coroutine awaited from JavaScript>, "loop": <the event loop's type>, "served":
// <dataclasses given the build's code as quizkit was imported>, "dataclassesMade": <dataclasses quizkit's modules
// define>, "dataclassSources": <the classes @dataclass made meanwhile>, "dataclassesHooked": <dataclasses hooked after>,
// "loaderAtStart": [<Pyodide's package loader's module type at start>, <the site-packages Pyodide read of it>],
// "unpacked": <pyodide.unpackArchive worked>, "loaderAfter": <the loader's module type at the end>}.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlibZip, pageZip, rulesJson] = process.argv.slice(2);
const ASYNCIO_TYPE = "import sys; type(sys.modules['asyncio']).__name__";
const LOADER_TYPE = "import sys; type(sys.modules['pyodide._package_loader']).__name__";
const PROGRAM = `import asyncio

async def total():
    await asyncio.sleep(0)
    return 6 * 7

coroutine = total()
print(type(asyncio.get_event_loop()).__name__, type(coroutine).__name__)
coroutine.close()
`;

// Each class @dataclass makes, as it is made: by wrapping its _process_class, which the hook leaves alone.
const COUNT_DATACLASS_SOURCES = `
import dataclasses
SOURCES = []
_process = dataclasses._process_class
def _counting(cls, *args, **kwargs):
    SOURCES.append(cls.__qualname__)
    return _process(cls, *args, **kwargs)
dataclasses._process_class = _counting
`;
// The dataclasses quizkit's modules define.
const DATACLASSES_MADE = `
import sys
dataclasses._process_class = _process
sum("__dataclass_params__" in vars(value) for name, module in list(sys.modules.items()) if name.startswith("quizkit")
    for value in vars(module).values() if isinstance(value, type) and value.__module__ == name)
`;

try {
  const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdLibURL: resolve(stdlibZip),
    stdout: () => {}, stderr: () => {} });
  const atStart = pyodide.runPython(ASYNCIO_TYPE);
  const loaderAtStart = [pyodide.runPython(LOADER_TYPE), pyodide._api.sitepackages];
  pyodide.FS.writeFile("/lib/quizkit-page.zip", new Uint8Array(readFileSync(pageZip)));
  pyodide.runPython("import sys; sys.path.insert(0, '/lib/quizkit-page.zip')");
  // As worker.js imports quizkit from the page's zip; what @dataclass compiled meanwhile is counted aside.
  pyodide.runPython(COUNT_DATACLASS_SOURCES);
  const compiled = pyodide.pyimport("page_dataclasses");
  const browser = compiled.import_compiled("quizkit.browser");
  const served = compiled.served;
  const dataclassesMade = pyodide.runPython(DATACLASSES_MADE);
  const dataclassesHooked = pyodide.runPython("import dataclasses; 'exec' in vars(dataclasses)");
  browser.load_rules(readFileSync(rulesJson, "utf8"));
  const run = JSON.parse(browser.run_json(PROGRAM));
  const awaited = await pyodide.runPythonAsync("import asyncio\nawait asyncio.sleep(0)\n6 * 7");
  const loop = pyodide.runPython("import asyncio; type(asyncio.get_event_loop()).__name__");
  const dataclassSources = pyodide.runPython("import json; json.dumps(SOURCES)");
  pyodide.unpackArchive(new Uint8Array(readFileSync(pageZip)), "zip", { extractDir: "/tmp/unpacked" });
  const unpacked = pyodide.runPython("import os; 'unpacked' if os.path.exists('/tmp/unpacked/quizkit/browser.pyc') else 'missing'");
  process.stdout.write(JSON.stringify({ atStart, run, awaited, loop, after: pyodide.runPython(ASYNCIO_TYPE), served,
    dataclassesMade, dataclassesHooked, dataclassSources: JSON.parse(dataclassSources), loaderAtStart, unpacked,
    loaderAfter: pyodide.runPython(LOADER_TYPE) }));
} catch (error) {
  console.error(`lean_start: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
