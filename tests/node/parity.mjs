// Grades code with quizkit inside Pyodide (Node, offline) and prints the grades as JSON.
//
//   node tests/node/parity.mjs PYODIDE_DIR WHEEL INPUT_JSON
//
// INPUT_JSON: {"rules": <rules data>, "attempts": [{"exercise": <the exercise's JSON text, as the page embeds it>, "source": "..."}, ...]}
// Output (stdout): {"python": "3.14.x", "grades": [<Grade.to_data()>, ...]} in the order of the attempts.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, input] = process.argv.slice(2);

try {
  const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdout: () => {}, stderr: () => {} });
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
  const browser = pyodide.pyimport("quizkit.browser");
  const data = JSON.parse(readFileSync(input, "utf8"));
  browser.load_rules(JSON.stringify(data.rules));
  const grades = data.attempts.map(({ exercise, source }) => JSON.parse(browser.grade_json(exercise, source)));
  const python = pyodide.runPython("import platform; platform.python_version()");
  process.stdout.write(JSON.stringify({ python, grades }));
} catch (error) {
  console.error(`parity: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
