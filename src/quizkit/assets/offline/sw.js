// The course's service worker: Workbox precaches the whole built site (pages, widgets, Python) at install.
//
// Built by quizkit/plugin/offline.py: esbuild bundles this file with workbox-precaching, then
// workbox-build's injectManifest writes the site's file list (URL + content hash each) in place of
// `self.__WB_MANIFEST`, and "__QUIZKIT_BUILD__" becomes a hash of that list.
//
// - Install fetches every file of the list, bypassing the HTTP cache; one failure fails the install
//   and the previous worker (if any) keeps serving its own, complete, build.
// - Each worker answers from the revisions of its own list, so an open page never mixes builds.
// - A new build waits until the page asks it to take over ({type: "SKIP_WAITING"}: offline.js asks
//   when the reader has not started working on the page, then reloads) or until every tab is closed.
//   On activation, entries no other list needs are deleted.
// - Where the host sent no cross-origin isolation headers, responses get them here (unless built
//   with isolation off), so the runtime can interrupt Python in place from the next page load on.
import { clientsClaim } from "workbox-core";
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";

/* global QUIZKIT_SW_ISOLATION */
const BUILD = "__QUIZKIT_BUILD__";
const ISOLATION = typeof QUIZKIT_SW_ISOLATION === "boolean" ? QUIZKIT_SW_ISOLATION : true;

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

addPlugins([{ handlerWillRespond: async ({ response }) => isolated(response) }]);
precacheAndRoute(self.__WB_MANIFEST, {
  // `?v=<build>` on the runtime's URLs only defeats HTTP caches; the list holds each file's own hash.
  ignoreURLParametersMatching: [/^v$/, /^utm_/, /^fbclid$/],
  directoryIndex: "index.html",
});
cleanupOutdatedCaches();
clientsClaim();

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  else if (type === "GET_BUILD") event.ports[0]?.postMessage({ build: BUILD, isolation: ISOLATION });
});
