// The page's Check with two interpreters, as its two workers have: a runner that runs learner code and a judge that
// runs none (quizkit/browser.py). Pyodide under Node, offline; prints each step's answer as JSON.
//
//   node tests/node/two_realms.mjs PYODIDE_DIR WHEEL INPUT_JSON
//
// INPUT_JSON: {"rules": <rules data>, "steps": [{"type": "run", "source"} | {"type": "check", "exercise", "source"}, ...]}
// Output (stdout): {"results": [<RunReport or Grade data>, ...]} in the order of the steps. A result that asks for a
// fresh interpreter (`restart`) replaces the runner, as the page does; the judge is never replaced.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, input] = process.argv.slice(2);

async function python(rules, role) {
  const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: `${resolve(pyodideDir)}/`, stdout: () => {}, stderr: () => {} });
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
  const browser = pyodide.pyimport("quizkit.browser");
  browser.load_rules(rules);
  if (role === "judge") browser.become_judge();
  return browser;
}

try {
  const data = JSON.parse(readFileSync(input, "utf8"));
  const rules = JSON.stringify(data.rules);
  const judge = await python(rules, "judge");
  let runner = await python(rules, "runner");
  const results = [];
  for (const step of data.steps) {
    let text;
    if (step.type === "run") text = runner.run_json(step.source);
    else {
      const observed = runner.observe_json(judge.plan_json(step.exercise), step.source);
      text = judge.judge_json(step.exercise, step.source, observed);
      if (JSON.parse(observed).restart) text = JSON.stringify({ ...JSON.parse(text), restart: true });
    }
    const result = JSON.parse(text);
    results.push(result);
    if (result.restart || result.status === "internal_error") runner = await python(rules, "runner");
  }
  process.stdout.write(JSON.stringify({ results }));
} catch (error) {
  console.error(`two_realms: ${String(error?.message ?? error).slice(0, 4000)}`);
  process.exit(1);
}
