// Writes the site's service worker with workbox-build's injectManifest (called by quizkit/plugin/offline.py).
//
// node build-sw.mjs <node_modules> <bundled sw.js> <site dir> <options.json> <report.json>
// options.json: {"globIgnores": [...], "maximumFileSizeToCacheInBytes": n, "runtime": [site-relative URLs],
//                "versioned": {site-relative path: the `v` of its URL in this build's pages}}
// report.json (written): {"build", "count", "size", "warnings"}
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [nodeModules, swSrc, siteDir, optionsFile, reportFile] = process.argv.slice(2);
const require = createRequire(join(nodeModules, "noop.js"));
const { injectManifest } = require("workbox-build");
const options = JSON.parse(readFileSync(optionsFile, "utf8"));
const swDest = join(siteDir, "sw.js");

try {
  const { count, size, warnings } = await injectManifest({
    swSrc,
    swDest,
    globDirectory: siteDir,
    globPatterns: ["**/*"],
    globIgnores: ["sw.js", ...options.globIgnores],
    maximumFileSizeToCacheInBytes: options.maximumFileSizeToCacheInBytes,
    // Material's files carry a content hash in their name: their URL is their revision.
    dontCacheBustURLsMatching: /\.[0-9a-f]{8,}\.min\.(js|css)$/,
  });
  // The runtime's URLs (kept once a page uses Python), in place of the string that stands for them.
  const placeholder = /(["'`])__QUIZKIT_RUNTIME__\1/g;
  let code = readFileSync(swDest, "utf8");
  if (!placeholder.test(code)) throw new Error("the service worker has no __QUIZKIT_RUNTIME__ placeholder");
  code = code.replace(placeholder, JSON.stringify(options.runtime ?? []));
  // The versions (`?v=`) the pages of this build ask for, in place of the string that stands for them.
  const versions = /(["'`])__QUIZKIT_VERSIONED__\1/g;
  if (!versions.test(code)) throw new Error("the service worker has no __QUIZKIT_VERSIONED__ placeholder");
  code = code.replace(versions, JSON.stringify(options.versioned ?? {}));
  // The build: a hash of the worker with its file lists (every file's URL and content hash).
  const build = createHash("sha256").update(code).digest("hex").slice(0, 16);
  if (!code.includes("__QUIZKIT_BUILD__")) throw new Error("the service worker has no __QUIZKIT_BUILD__ placeholder");
  writeFileSync(swDest, code.replaceAll("__QUIZKIT_BUILD__", build));
  writeFileSync(reportFile, JSON.stringify({ build, count, size, warnings }));
} catch (error) {
  console.error(error?.message ?? String(error));
  process.exit(1);
}
