// Entry of the profile-analysis activity: starts Python in a worker (the exercise pages' machinery: same
// worker, same spare, same rule of when: at once on a fast link, else when the reader starts on the form,
// see start-policy.js), then mounts the activity.
//
// Hooks for tests and integrations: `[data-quizkit-activity][data-mounted]`, `window.quizkit.ready`,
// `window.quizkit.activity.values() / .analyse()`.
import { onEveryPage } from "../exercise/every-page.js";
import { pageRuntime } from "../exercise/runtime.js";
import { ActivityWidget } from "./widget.js";

/* global QUIZKIT_BUILD */
const here = import.meta.url;
// QUIZKIT_BUILD is set at site build time (esbuild --define), as for the exercise pages.
const BUILD = typeof QUIZKIT_BUILD === "string" ? QUIZKIT_BUILD : null;
const version = BUILD ? `?v=${BUILD}` : "";
const asset = (name) => new URL(name + version, here);

/**
 * The page names the build it was made with. A copy of this script from another build (a browser
 * may keep one in its cache) loads the page's own build instead, which then runs; it does nothing else.
 */
function handedOver() {
  const pageBuild = document.querySelector("[data-quizkit-activity][data-quizkit-build]")?.dataset.quizkitBuild;
  if (!BUILD || !pageBuild || pageBuild === BUILD || new URL(here).searchParams.get("v") === pageBuild) return false;
  import(new URL(`activity.js?v=${pageBuild}`, here).href).catch((error) => console.error("quizkit: cannot load the activity", error));
  return true;
}

let runtime = null;
let widget = null;

function boot() {
  const api = (window.quizkit ??= {});
  // A page with exercises too has started Python already: one runtime serves both.
  runtime ??= api.runtime ?? pageRuntime(asset("worker.js"), (status) => widget?.root.isConnected && widget.runtimeChanged(status),
    BUILD);
  if (api.runtime && api.runtime === runtime && !runtime.activityHooked) {
    const previous = runtime.onStatus;
    runtime.onStatus = (status) => {
      previous(status);
      if (widget?.root.isConnected) widget.runtimeChanged(status);
    };
    runtime.activityHooked = true;
  }
  api.runtime = runtime;
  api.ready = runtime.ready;
}

function mount() {
  const root = document.querySelector("[data-quizkit-activity]:not([data-mounted])");
  if (!root) return;
  boot();
  try {
    widget = new ActivityWidget(root, runtime);
    widget.runtimeChanged(runtime.status);
    window.quizkit.activity = {
      element: root,
      values: () => widget.values(),
      analyse: () => widget.analyse(),
    };
  } catch (error) {
    console.error("quizkit: cannot mount the activity", error);
  }
}

if (!handedOver()) {
  // Python starts now if the link allows it; the activity mounts when the page is parsed.
  if (document.querySelector("[data-quizkit-activity]")) boot();
  onEveryPage(mount);
}
