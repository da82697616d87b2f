# Writes the service worker that keeps the whole course for offline use: Workbox, run at site build time.
"""Writes `sw.js` at the site root, in two steps, after everything else is written.

1. esbuild bundles `assets/offline/sw.js` with Workbox (cached in `.cache/quizkit/`);
2. `assets/offline/build-sw.mjs` runs workbox-build's `injectManifest` over the built site: the
   list of every file with a hash of its content goes into the worker (the Python runtime left
   out: a page without exercises never downloads it), so do the runtime's URLs (kept once a page
   uses Python) and the `?v=` each versioned file of the course is asked for with (the worker
   answers a `?v=` URL from its cache only for that version), and the worker gets a build id (a
   hash of the result), which it reports to pages (`{type: "GET_BUILD"}`).

Pages register it from `assets/quizkit/offline.js` (loaded by `progress.js`). Why Workbox rather
than our own: its precaching is the well-kept implementation of exactly what the course needs
(install all or nothing, per-file revisions so a rebuild downloads only what changed, each
worker serving its own revisions, clean-up of the old ones on activation).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.plugin import build_cache, toolchain

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mkdocs.config.defaults import MkDocsConfig

    from quizkit.plugin.runtime import RuntimeFiles

log = logging.getLogger("mkdocs.plugins.quizkit")

SOURCE_DIR = toolchain.PACKAGE_DIR / "assets" / "offline"
"""The worker's source and the Node script that writes it into a site."""
SERVICE_WORKER = "sw.js"
"""Where the worker goes, at the root of the site (so its scope is the whole site)."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files up to this size are precached (the largest, the workbooks' shared stylesheet, is under 1 MB)."""
ALWAYS_IGNORED = ("**/*.map", "sitemap.xml", "sitemap.xml.gz")
"""Never requested by a reader: source maps and the sitemap."""
UNLISTED = ("sitemap.xml", "sitemap.xml.gz")
"""Files never listed whose content changes between identical builds (the sitemap's dates)."""
LUNR_LANGUAGES = "assets/javascripts/lunr/**"
"""Material's search support for languages other than English: left out when the site is in English only."""


def _bundle(cache: toolchain.Cache, node_modules: Path, *, isolation: bool) -> Path:
    """The worker's source bundled with Workbox (an IIFE, production build of Workbox)."""
    esbuild = node_modules / ".bin" / "esbuild"
    if not esbuild.exists():
        raise toolchain.RuntimeBuildError("esbuild not found in node_modules/.bin: run `npm ci` (`make site` does it)")
    source = SOURCE_DIR / "sw.js"
    lock = node_modules.parent / "package-lock.json"
    defines = [f"--define:QUIZKIT_SW_ISOLATION={json.dumps(isolation)}", '--define:process.env.NODE_ENV="production"']
    key = "sw-" + toolchain.digest(source.read_bytes(), lock.read_bytes() if lock.is_file() else "", *defines)

    def make(out: Path) -> None:
        toolchain.run([str(esbuild), str(source), "--bundle", "--format=iife", "--minify", "--target=es2020",
                       "--legal-comments=none", "--log-level=error", f"--outfile={out / 'sw.js'}", *defines],
                      what="bundling the service worker (esbuild)", env={**os.environ, "NODE_PATH": str(node_modules)})

    return cache.get("sw.js", key, make)


def ignored_files(config: MkDocsConfig | None) -> list[str]:
    """Glob patterns of the site that are not precached."""
    patterns = list(ALWAYS_IGNORED)
    if config is None:
        return [*patterns, LUNR_LANGUAGES]
    search = config.plugins.get("search")
    search_config: Any = getattr(search, "config", {}) if search is not None else {}
    languages = search_config.get("lang") or [config.theme.get("language") or "en"]
    if list(languages) == ["en"]:
        patterns.append(LUNR_LANGUAGES)
    return patterns


def write_service_worker(site_dir: Path, runtime: RuntimeFiles | None = None, *, isolation: bool = True,
                         config: MkDocsConfig | None = None, versioned: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Write `sw.js` into a built site: Workbox precaching of every file of `site_dir` but the runtime's.

    Args:
        site_dir: The built site (everything else already written).
        runtime: The Python runtime's files: left out of the precache, and kept once a page uses them.
        isolation: Whether the worker adds COOP/COEP to responses whose host sent none.
        config: The MkDocs config, to know which search languages the site needs.
        versioned: Site-relative path -> the `v` of the URL this build's pages ask for it with
            (`assets/quizkit/progress.js` -> `d4472ad34a`). The worker answers `?v=` URLs from
            its cache only for these versions: a page of another build is never handed this build's file.

    Returns:
        Workbox's report: `build` (the worker's build id), `count` and `size` of the precached files.

    Raises:
        RuntimeBuildError: Node, esbuild or workbox-build is missing, or failed.
    """
    node_modules = toolchain.find_node_modules()
    if not (node_modules / "workbox-build" / "package.json").is_file():
        raise toolchain.RuntimeBuildError("workbox-build not found in node_modules/: run `npm ci` (`make site` does it)")
    cache = toolchain.Cache.beside(node_modules)
    bundle = _bundle(cache, node_modules, isolation=isolation)
    ignores = [*ignored_files(config), *(runtime.paths if runtime else ())]
    options = json.dumps({"globIgnores": ignores, "maximumFileSizeToCacheInBytes": MAX_FILE_BYTES,
                          "runtime": list(runtime.kept) if runtime else [],
                          "versioned": dict(sorted((versioned or {}).items()))})
    # The same site (every file the worker may list) and the same options make the same worker: kept by their digest.
    lock = node_modules.parent / "package-lock.json"  # workbox-build's version
    key = "sw-" + build_cache.site_digest(site_dir, [SERVICE_WORKER, *UNLISTED, *(runtime.paths if runtime else ())],
                                          bundle.read_bytes(), options, (SOURCE_DIR / "build-sw.mjs").read_bytes(),
                                          lock.read_bytes() if lock.is_file() else b"")

    def make() -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="quizkit-sw-") as work:
            options_file, report = Path(work) / "options.json", Path(work) / "report.json"
            options_file.write_text(options, encoding="utf-8")
            toolchain.run([toolchain.node_executable(), str(SOURCE_DIR / "build-sw.mjs"), str(node_modules), str(bundle),
                           str(site_dir), str(options_file), str(report)], what="writing the service worker (workbox-build)")
            made: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
            return made

    result: dict[str, Any]
    _, result = build_cache.reuse_file(cache.root / "service-workers", key, site_dir / SERVICE_WORKER, make)
    for warning in result.get("warnings", []):
        log.warning("quizkit: service worker: %s", warning)
    log.info("quizkit: service worker %s precaches %d files (%.1f MB)", result["build"], result["count"], result["size"] / 1e6)
    return result


RETIRED_WORKER = """// quizkit: offline use is off for this site. A worker an earlier build installed is replaced by this one,
// which deletes its caches, unregisters itself and reloads the pages it controlled from the network.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name.includes("precache") || name === "quizkit-runtime") await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
})()));
"""
"""What `sw.js` holds when the `offline` option is off: readers who installed the course are not left on an old build."""


def retire_service_worker(site_dir: Path) -> None:
    """Write the worker that removes an earlier build's worker (the `offline` option is off)."""
    (site_dir / SERVICE_WORKER).write_text(RETIRED_WORKER, encoding="utf-8")
