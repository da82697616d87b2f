# A small static server for the built course: `python -m quizkit.serve site --port 8000`.
"""Serve a built site with the headers a real deployment should send.

- right types for what Pyodide loads (`application/wasm`; `text/javascript` for `.mjs`);
- `Cache-Control`: HTML, JSON and the service worker (`sw.js`) revalidate every time
  (`no-cache`), other assets may be kept for a day, and files whose name or `?v=` carries a
  content hash for a year;
- text (HTML, CSS, JavaScript, JSON, SVG) gzipped for browsers that accept it, as any real host
  does: a lesson page then transfers about a third of its bytes; wasm and archives go as they are;
- cross-origin isolation (`Cross-Origin-Opener-Policy: same-origin`,
  `Cross-Origin-Embedder-Policy: require-corp`), which a SharedArrayBuffer needs to
  interrupt runaway Python; `--no-isolation` turns it off.

The browser tests serve the site with this module too (`make_server`).
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import io
import os
import re
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from os import PathLike

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}
"""Content types that must not depend on the machine's mimetypes table."""

COMPRESSED_TYPES = frozenset({"text/html; charset=utf-8", "text/css", "text/javascript", "application/json",
                              "image/svg+xml", "application/xml", "text/plain; charset=utf-8", "application/manifest+json"})
"""Types sent gzipped. Not wasm: a browser's HTTP cache keeps bodies as sent and would unzip the
10 MB module on every visit, on the path to Python being ready."""
MIN_COMPRESSED_BYTES = 1024


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """A file's bytes gzipped, once per version of the file (`mtime_ns`, `size` are the cache key)."""
    del mtime_ns, size
    with open(path, "rb") as file:  # noqa: PTH123 - a path string, as the handler has it
        return gzip.compress(file.read(), compresslevel=6, mtime=0)


REVALIDATE = "no-cache"
"""HTML, JSON, XML and the service worker: always ask the server, so a new build shows at once."""
ASSETS = "public, max-age=86400"
"""Other files: a day."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""Files whose name holds a content hash (`bundle.5f3c9a1b.min.js`): a year."""
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.(min\.)?(js|css|mjs|wasm)$")
_VERSIONED = re.compile(r"(^|&)v=[0-9a-f]{8,}(&|$)")
"""`?v=<hash>`: the site's own scripts and the Python runtime name their build in the URL."""


def cache_control(path: str) -> str:
    """The `Cache-Control` value for a request path.

    >>> cache_control("/lessons/01/")
    'no-cache'
    >>> cache_control("/assets/javascripts/bundle.79ae519e.min.js")
    'public, max-age=31536000, immutable'
    >>> cache_control("/assets/quizkit/pyodide/pyodide.asm.wasm?v=0123456789abcdef")
    'public, max-age=31536000, immutable'
    >>> cache_control("/sw.js")
    'no-cache'
    """
    name, _, query = path.partition("?")
    if name.endswith(("/", ".html", "/sw.js")):
        return REVALIDATE
    if _HASHED.search(name) or _VERSIONED.search(query):
        return IMMUTABLE
    if name.endswith((".json", ".xml")):
        return REVALIDATE
    return ASSETS


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves files of one folder with fixed types, cache and isolation headers, and quiet logs."""

    isolation = True
    quiet = False

    def guess_type(self, path: str | PathLike[str]) -> str:
        """The content type: from `TYPES` first, so it does not depend on the machine."""
        return TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def send_head(self) -> io.BufferedIOBase | None:  # type: ignore[override]
        """Gzip text when the browser accepts it; anything else as the base class serves it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):  # noqa: PTH112
            path = os.path.join(path, "index.html")  # noqa: PTH118
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        kind = self.guess_type(path)
        if not accepts or kind not in COMPRESSED_TYPES or not os.path.isfile(path):  # noqa: PTH113
            return super().send_head()  # type: ignore[return-value]
        stat = os.stat(path)  # noqa: PTH116
        if stat.st_size < MIN_COMPRESSED_BYTES:
            return super().send_head()  # type: ignore[return-value]
        if self._not_modified(stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        body = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def _not_modified(self, mtime: float) -> bool:
        """A conditional request (`If-Modified-Since`) the file has not changed since."""
        since = self.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.headers:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return when.tzinfo is not None and int(mtime) <= when.timestamp()

    def end_headers(self) -> None:
        """Add the deployment headers to every response."""
        self.send_header("Cache-Control", cache_control(self.path))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        """Log like the base class, unless quiet."""
        if not self.quiet:
            super().log_message(format, *args)


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, isolation: bool = True,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server for `site_dir`, not yet serving; port 0 picks a free port (see `server_address`)."""
    handler = type("Handler", (SiteHandler,), {"isolation": isolation, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    """Serve a built site until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m quizkit.serve", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("site_dir", type=Path, help="the built site (mkdocs build's site/)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-isolation", action="store_true",
                        help="leave out the COOP/COEP headers (Python can then not be interrupted, only restarted)")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"{args.site_dir} holds no built site (index.html); run `make site` first", file=sys.stderr)
        return 2
    server = make_server(args.site_dir, args.host, args.port, isolation=not args.no_isolation)
    print(f"Serving {args.site_dir} at http://{args.host}:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
