// Starts Pyodide the way a lean page start does (Node, offline) and prints what it saw, as JSON.
//
//   node tests/node/lean_start.mjs PYODIDE_DIR STDLIB_ZIP PAGE_ZIP RULES_JSON
//
// Output (stdout): {"atStart": <asyncio's module type once Python has started>, "run": <run_json of a program
// using asyncio>, "awaited": <a coroutine awaited from JavaScript>, "loop": <the event loop's type>}.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlibZip, pageZip, rulesJson] = process.argv.slice(2);
const ASYNCIO_TYPE = "import sys; type(sys.modules['asyncio']).__name__";
const PROGRAM = `import asyncio

async def total():
    await asyncio.sleep(0)
    return 6 * 7

coroutine = total()
print(type(asyncio.get_event_loop()).__name__, type(coroutine).__name__)
coroutine.close()
`;

try {
  const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdLibURL: resolve(stdlibZip),
    stdout: () => {}, stderr: () => {} });
  const atStart = pyodide.runPython(ASYNCIO_TYPE);
  pyodide.FS.writeFile("/lib/quizkit-page.zip", new Uint8Array(readFileSync(pageZip)));
  pyodide.runPython("import sys; sys.path.insert(0, '/lib/quizkit-page.zip')");
  const browser = pyodide.pyimport("quizkit.browser");
  browser.load_rules(readFileSync(rulesJson, "utf8"));
  const run = JSON.parse(browser.run_json(PROGRAM));
  const awaited = await pyodide.runPythonAsync("import asyncio\nawait asyncio.sleep(0)\n6 * 7");
  const loop = pyodide.runPython("import asyncio; type(asyncio.get_event_loop()).__name__");
  process.stdout.write(JSON.stringify({ atStart, run, awaited, loop, after: pyodide.runPython(ASYNCIO_TYPE) }));
} catch (error) {
  console.error(`lean_start: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
