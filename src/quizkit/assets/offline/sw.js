// The course's service worker: Workbox precaches the course at install; Python is kept once a page uses it.
//
// Built by quizkit/plugin/offline.py: esbuild bundles this file with Workbox, then workbox-build's
// injectManifest writes the site's file list (URL + content hash each) in place of
// `self.__WB_MANIFEST`, the runtime's URLs in place of "__QUIZKIT_RUNTIME__", the `?v=` of each
// versioned file of the course in place of "__QUIZKIT_VERSIONED__", and "__QUIZKIT_BUILD__" becomes
// a hash of the result.
//
// - Install fetches every file of the course (pages, styles, scripts; not Python), each revalidated
//   with the server (a page at its folder's address, a widget file at this build's `?v=` URL: what the
//   reader's browser holds answers, see askAsPagesDo); one failure fails the install and the previous
//   worker (if any) keeps serving its own, complete, build.
// - Python (Pyodide, the lean and the full standard library, quizkit's page modules, the exercise
//   scripts: about 15 MB unzipped) is never fetched for a page that does not use it. A page that starts
//   Python asks for it to be kept ({type: "KEEP_RUNTIME"}), once it is ready: the files come from the
//   HTTP cache the page's worker just filled (their URLs carry `?v=<runtime build>`; the full standard
//   library from the network, unless a program needed it), into the "quizkit-runtime" cache. Requests
//   for those URLs are answered from there first. A rebuilt runtime has new URLs: on activation,
//   entries the new list does not name are deleted.
// - Each worker answers from the revisions of its own list, so an open page never mixes builds.
// - A URL with `?v=` is answered from a cache only if its `v` is this build's for that file: the
//   course's widgets by the versions the pages of this build ask for, the runtime by its exact
//   URLs. Any other `?v=` (a page of another build) goes to the network; offline it fails, rather
//   than hand a page the file of another build.
// - A new build waits until the page asks it to take over ({type: "SKIP_WAITING"}: offline.js asks
//   when the reader has not started working on the page, then reloads) or until every tab is closed.
//   On activation, entries no other list needs are deleted.
// - Offline, an address the course does not have gets its 404 page.
// - Where the host sent no cross-origin isolation headers, responses get them here (unless built
//   with isolation off), so the runtime can interrupt Python in place from the next page load on.
import { clientsClaim } from "workbox-core";
import { addPlugins, cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { CacheFirst, NetworkOnly } from "workbox-strategies";

/* global QUIZKIT_SW_ISOLATION */
const BUILD = "__QUIZKIT_BUILD__";
const ISOLATION = typeof QUIZKIT_SW_ISOLATION === "boolean" ? QUIZKIT_SW_ISOLATION : true;
const RUNTIME_FILES = "__QUIZKIT_RUNTIME__"; // site-relative URLs, each with ?v=
const RUNTIME_CACHE = "quizkit-runtime";
const VERSIONED_FILES = "__QUIZKIT_VERSIONED__"; // {site-relative path: the `v` this build's pages ask for}
const versioned = new Map(Object.entries(typeof VERSIONED_FILES === "object" && VERSIONED_FILES ? VERSIONED_FILES : {})
  .map(([path, version]) => [new URL(path, self.location.href).href, version]));
const runtimeUrls = new Set((Array.isArray(RUNTIME_FILES) ? RUNTIME_FILES : []).map((path) => new URL(path, self.location.href).href));

/** The response, with COOP/COEP (and CORP) added when the host sent none. */
function isolated(response) {
  if (!ISOLATION || !response || response.type === "opaque" || response.status === 0) return response;
  if (response.headers.has("Cross-Origin-Embedder-Policy")) return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation = { handlerWillRespond: async ({ response }) => isolated(response) };

/**
 * Install asks for each file as the pages do, so that the copy the reader's browser already holds answers rather
 * than the network: a page at its folder's address ("lessons/x/", the address readers open, not
 * "lessons/x/index.html": the same file), a widget file at this build's `?v=` URL (the one its pages ask for, a
 * content hash: kept a year in the HTTP cache), and the rest revalidated (`no-cache`: a 304 when unchanged) rather
 * than downloaded again (Workbox's `reload`). A first visit fetched the page it installs from twice before (lesson 1:
 * 36 KB), the search index (28 KB) and the widgets' scripts and styles (40 KB). What is kept is the same bytes under
 * the same keys: the server answers for each file, as with `reload`.
 */
const askAsPagesDo = {
  requestWillFetch: async ({ request, event }) => {
    if (event?.type !== "install") return request;
    const url = new URL(request.url);
    const version = versioned.get(url.href);
    if (version !== undefined) url.searchParams.set("v", version);
    else if (url.pathname.endsWith("/index.html")) url.pathname = url.pathname.slice(0, -"index.html".length);
    const cache = version !== undefined ? "default" : request.cache === "reload" ? "no-cache" : request.cache;
    return new Request(url.href, { cache, credentials: request.credentials, integrity: request.integrity });
  },
};
addPlugins([isolation, askAsPagesDo]);
/**
 * The precached URL that answers a request with `?v=`: the file without it, only if `v` is the one
 * this build's pages ask for. Workbox tries the request's own URL first (the list holds none with
 * `?v=`, so that never matches), then these.
 */
function sameBuild({ url }) {
  const version = url.searchParams.get("v");
  const plain = new URL(url.pathname, url.origin);
  return version !== null && versioned.get(plain.href) === version ? [plain] : [];
}

precacheAndRoute(self.__WB_MANIFEST, {
  // `v` is not ignored: a `?v=` URL is matched exactly (see sameBuild), never by its path alone.
  ignoreURLParametersMatching: [/^utm_/, /^fbclid$/],
  directoryIndex: "index.html",
  urlManipulation: sameBuild,
});
registerRoute(({ url }) => runtimeUrls.has(url.href), new CacheFirst({ cacheName: RUNTIME_CACHE, plugins: [isolation] }));
// Offline, a page the course does not have (a mistyped address) shows the course's own "not found"
// page rather than the browser's network error.
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly({ plugins: [isolation] }));
setCatchHandler(async ({ request }) => (request.mode === "navigate" && (await matchPrecache("404.html"))) || Response.error());
cleanupOutdatedCaches();
clientsClaim();

/** Whether every file of this build's runtime is kept. */
async function runtimeKept() {
  const cache = await caches.open(RUNTIME_CACHE);
  const held = new Set((await cache.keys()).map((request) => request.url));
  return [...runtimeUrls].every((url) => held.has(url));
}

/** Keep this build's runtime: what is missing is fetched (from the HTTP cache, as a rule) and stored. */
async function keepRuntime() {
  const cache = await caches.open(RUNTIME_CACHE);
  const held = new Set((await cache.keys()).map((request) => request.url));
  await Promise.all([...runtimeUrls].filter((url) => !held.has(url)).map(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    await cache.put(url, response);
  }));
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(RUNTIME_CACHE);
    for (const request of await cache.keys()) if (!runtimeUrls.has(request.url)) await cache.delete(request);
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  const reply = event.ports[0];
  if (type === "SKIP_WAITING") self.skipWaiting();
  else if (type === "GET_BUILD") {
    event.waitUntil(runtimeKept().then((python) => reply?.postMessage({ build: BUILD, isolation: ISOLATION, python })));
  } else if (type === "KEEP_RUNTIME") {
    event.waitUntil(keepRuntime().then(() => reply?.postMessage({ python: true }),
      (error) => reply?.postMessage({ python: false, error: String(error?.message ?? error) })));
  }
});
