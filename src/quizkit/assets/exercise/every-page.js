// When the widgets of a page mount: once the page is parsed, and on every page Material's instant navigation shows.

/**
 * Call `mount` once the page is parsed, and again on each page Material's instant navigation swaps in
 * (without reloading scripts). The widgets' scripts come in the page's head, so they run before
 * Material's script, which comes at the end of the body: the widgets mount without waiting for its
 * 0.2 s of main thread (on lesson 1, an exercise was mounted 0.25-0.3 s sooner), and Material's
 * `document$` is followed once that script has run. `mount` must skip what it has mounted.
 */
export function onEveryPage(mount) {
  const follow = () => window.document$?.subscribe?.(mount);
  const start = () => {
    mount();
    if (window.document$) follow();
    else window.addEventListener("load", follow, { once: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
}
