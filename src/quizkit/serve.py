# A small static server for the built course: `python -m quizkit.serve site --port 8000`.
"""Serve a built site with the headers a real deployment should send.

- right types for what Pyodide loads (`application/wasm`; `text/javascript` for `.mjs`);
- `Cache-Control`: HTML, JSON and the service worker (`sw.js`) revalidate every time
  (`no-cache`), other assets may be kept for a day, and files whose name or `?v=` carries a
  content hash for a year; any answer but 200 and 304 (errors, redirects) is `no-store`, so a
  passing 404 is never kept for a year;
- `ETag` and `Last-Modified` on every file, answered with 304 when unchanged;
- text (HTML, CSS, JavaScript, JSON, SVG) gzipped for browsers that accept it (`Accept-Encoding`
  read with its q-values), as any real host does: a lesson page then transfers about a third of
  its bytes; wasm and archives go as they are. Large files are compressed in chunks into temporary
  files; the compressed copies are kept within a byte budget;
- cross-origin isolation (`Cross-Origin-Opener-Policy: same-origin`,
  `Cross-Origin-Embedder-Policy: require-corp`), which a SharedArrayBuffer needs to
  interrupt runaway Python; `--no-isolation` turns it off;
- only files inside the site, after following symlinks; no folder listings; a malformed request
  gets a 400 (414, 505) with a body; a silent connection is closed after `SiteHandler.timeout`.

The browser tests serve the site with this module too (`make_server`).
"""

from __future__ import annotations

import argparse
import collections
import email.utils
import functools
import io
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import weakref
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

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

REVALIDATE = "no-cache"
"""HTML, JSON, XML and the service worker: always ask the server, so a new build shows at once."""
ASSETS = "public, max-age=86400"
"""Other files: a day."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""Files whose name holds a content hash (`bundle.5f3c9a1b.min.js`): a year."""
NO_STORE = "no-store"
"""Errors and redirects: a cache must not keep them (a 404 for a `?v=` URL would otherwise last a year)."""
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.(min\.)?(js|css|mjs|wasm)$")
_VERSIONED = re.compile(r"(^|&)v=[0-9a-f]{8,}(&|$)")
"""`?v=<hash>`: the site's own scripts and the Python runtime name their build in the URL."""


def cache_control(path: str) -> str:
    """The `Cache-Control` value for a request path answered with its file (200 or 304).

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


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether a request's `Accept-Encoding` lets us answer gzipped (RFC 9110, section 12.5.3).

    gzip's weight is its own entry's q (or `x-gzip`'s), else that of `*`, else 0; identity's is
    its own, else that of `*`, else 0 (acceptable, but not preferred over a listed coding). We
    gzip when gzip weighs more than 0 and at least as much as identity.

    >>> accepts_gzip("gzip, deflate, br")
    True
    >>> accepts_gzip("gzip;q=0, deflate")
    False
    >>> accepts_gzip("*")
    True
    >>> accepts_gzip("*;q=0.5, gzip;q=0.1")
    False
    >>> accepts_gzip(None)
    False
    """
    if not accept_encoding:
        return False
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                weight = _qvalue(value.strip())
        weights.setdefault(coding.lower(), weight)
    star = weights.get("*", 0.0)
    gzip_weight = weights.get("gzip", weights.get("x-gzip", star))
    identity_weight = weights.get("identity", star)
    return gzip_weight > 0 and gzip_weight >= identity_weight


def _qvalue(text: str) -> float:
    """A q-value (`0` to `1`, at most three decimals); anything else counts as 0, not acceptable."""
    if not re.fullmatch(r"0(\.\d{0,3})?|1(\.0{0,3})?", text):
        return 0.0
    return float(text)


def _compress(source: BinaryIO, target: BinaryIO) -> None:
    """Gzip `source` into `target` in chunks, so a large file is never held whole in memory."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16 +: a gzip wrapper, mtime 0
    while chunk := source.read(1 << 16):
        target.write(compressor.compress(chunk))
    target.write(compressor.flush())


@dataclass(frozen=True)
class _Gzipped:
    """One compressed copy: its bytes in memory, or the temporary file that holds them."""

    size: int
    data: bytes | None = None
    file: str | None = None

    def open(self) -> BinaryIO:
        """A reader of the compressed bytes (the caller closes it)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.file is not None
        return open(self.file, "rb")  # noqa: PTH123 - a path string, as the handler has it


class GzipCache:
    """Gzipped copies of text files, once per version of a file, within a byte budget.

    Files up to `spool_above` bytes are compressed in memory and kept there (at most
    `memory_bytes` of them); larger ones are compressed in chunks into temporary files (at most
    `disk_bytes`). The least recently used copies go first; a copy larger than its budget is
    served once and not kept. A reader already handed out stays valid when its copy is evicted
    (an open file outlives its unlinking).
    """

    memory_bytes = 32 << 20
    """Budget of the copies kept in memory."""
    disk_bytes = 512 << 20
    """Budget of the copies kept in temporary files."""
    spool_above = 1 << 20
    """Files larger than this are compressed in chunks into a temporary file."""

    def __init__(self, *, memory_bytes: int | None = None, disk_bytes: int | None = None, spool_above: int | None = None) -> None:
        if memory_bytes is not None:
            self.memory_bytes = memory_bytes
        if disk_bytes is not None:
            self.disk_bytes = disk_bytes
        if spool_above is not None:
            self.spool_above = spool_above
        self._lock = threading.Lock()
        self._entries: collections.OrderedDict[tuple[str, int, int], _Gzipped] = collections.OrderedDict()
        self._used = {"memory": 0, "disk": 0}
        self._folder: str | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def open(self, path: str, stat: os.stat_result) -> tuple[BinaryIO, int]:
        """A reader of `path` gzipped and its length; `stat` is the file's, taken by the caller."""
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry.open(), entry.size
        entry = self._compress(path, stat.st_size)
        reader = entry.open()
        after = os.stat(path)  # noqa: PTH116
        if (after.st_mtime_ns, after.st_size) == key[1:]:
            self._keep(key, entry)
        else:  # changed while we read it: serve what we read, keep nothing
            self._forget(entry)
        return reader, entry.size

    def close(self) -> None:
        """Drop every copy and the temporary folder."""
        with self._lock:
            self._entries.clear()
            self._used = {"memory": 0, "disk": 0}
            if self._finalizer is not None:
                self._finalizer()
            self._folder = self._finalizer = None

    @property
    def bytes_kept(self) -> dict[str, int]:
        """Bytes of compressed copies kept, in memory and on disk."""
        with self._lock:
            return dict(self._used)

    def _compress(self, path: str, size: int) -> _Gzipped:
        with open(path, "rb") as source:  # noqa: PTH123 - a path string, as the handler has it
            if size <= self.spool_above:
                buffer = io.BytesIO()
                _compress(source, buffer)
                return _Gzipped(len(buffer.getvalue()), data=buffer.getvalue())
            descriptor, name = tempfile.mkstemp(suffix=".gz", dir=self._temporary_folder())
            with os.fdopen(descriptor, "wb") as target:
                _compress(source, target)
                return _Gzipped(target.tell(), file=name)

    def _temporary_folder(self) -> str:
        with self._lock:
            if self._folder is None:
                self._folder = tempfile.mkdtemp(prefix="quizkit-serve-")
                self._finalizer = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
            return self._folder

    def _keep(self, key: tuple[str, int, int], entry: _Gzipped) -> None:
        kind = "memory" if entry.data is not None else "disk"
        budget = self.memory_bytes if kind == "memory" else self.disk_bytes
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._drop(old)
            self._entries[key] = entry
            self._used[kind] += entry.size
            for other_key, other in list(self._entries.items()):
                if self._used[kind] <= budget:
                    break
                if (other.data is not None) == (kind == "memory"):
                    del self._entries[other_key]
                    self._drop(other)

    def _drop(self, entry: _Gzipped) -> None:
        """Forget a kept copy (the lock held)."""
        self._used["memory" if entry.data is not None else "disk"] -= entry.size
        self._forget(entry)

    @staticmethod
    def _forget(entry: _Gzipped) -> None:
        if entry.file is not None:
            Path(entry.file).unlink(missing_ok=True)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves files of one folder with fixed types, cache and isolation headers, and quiet logs."""

    isolation = True
    quiet = False
    timeout = 30.0
    """Seconds a connection may stay silent (reading or writing) before the server closes it."""
    default_request_version = "HTTP/1.0"
    """What a malformed request line is answered in: with a status line (HTTP/0.9 would send none)."""
    gzip_cache = GzipCache()
    """Compressed copies; `make_server` gives each server its own."""
    _status: int | None = None

    def guess_type(self, path: str | PathLike[str]) -> str:
        """The content type: from `TYPES` first, so it does not depend on the machine."""
        return TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def send_response_only(self, code: int, message: str | None = None) -> None:
        """Note the status: `end_headers` chooses `Cache-Control` by it."""
        self._status = code
        super().send_response_only(code, message)

    def list_directory(self, path: str | PathLike[str]) -> io.BytesIO | None:
        """No folder listings, ever: a folder without `index.html` is not found."""
        del path
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        """Answer with a file of the site (gzipped when the client prefers it), a 304, or an error."""
        url_path = urllib.parse.urlsplit(self.path).path
        path = self._site_path(self.translate_path(self.path))
        if path is None:
            return None
        if os.path.isdir(path):  # noqa: PTH112
            index = self._site_path(os.path.join(path, "index.html"))  # noqa: PTH118
            if index is None or not os.path.isfile(index):  # noqa: PTH113
                return self.list_directory(path)
            if not url_path.endswith("/"):
                self._redirect_to_folder()
                return None
            path = index
        elif url_path.endswith("/") or not os.path.isfile(path):  # noqa: PTH113
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            file: BinaryIO = open(path, "rb")  # noqa: PTH123, SIM115 - do_GET closes what we return
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            return self._send_file(file, path)
        except BaseException:
            file.close()
            raise

    def _site_path(self, path: str) -> str | None:
        """`path` with symlinks resolved if it stays inside the site; else None, the error sent."""
        if "\0" in path:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        try:
            root = os.path.realpath(self.directory)
            real = os.path.realpath(path)
            os.fsencode(real)
        except (OSError, ValueError):  # a name the file system cannot hold (UnicodeError is a ValueError)
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return real

    def _redirect_to_folder(self) -> None:
        """`/lessons` -> `/lessons/`, as a static host does."""
        parts = urllib.parse.urlsplit(self.path)
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", urllib.parse.urlunsplit(("", "", parts.path + "/", parts.query, "")))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_file(self, file: BinaryIO, path: str) -> BinaryIO | None:
        """Headers for an open file of the site, then its reader (gzipped or as it is), or a 304."""
        stat = os.fstat(file.fileno())
        kind = self.guess_type(path)
        compressible = kind in COMPRESSED_TYPES and stat.st_size >= MIN_COMPRESSED_BYTES
        gzipped = compressible and accepts_gzip(self.headers.get("Accept-Encoding"))
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gzip" if gzipped else ""}"'
        validators = {"ETag": etag, "Last-Modified": self.date_time_string(int(stat.st_mtime))}
        if compressible:
            validators["Vary"] = "Accept-Encoding"
        if self._not_modified(etag, stat.st_mtime):
            file.close()
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return None
        body, length = file, stat.st_size
        if gzipped:
            file.close()
            try:
                body, length = self.gzip_cache.open(path, stat)
            except OSError:  # removed since we opened it
                self.send_error(HTTPStatus.NOT_FOUND, "File not found")
                return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(length))
        for name, value in validators.items():
            self.send_header(name, value)
        self.end_headers()
        return body

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """A conditional request the file still matches: `If-None-Match` first, else `If-Modified-Since`."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return when.tzinfo is not None and int(mtime) <= when.timestamp()

    def end_headers(self) -> None:
        """Add the deployment headers to every response; only a 200 or 304 may be cached."""
        if self._status is None or self._status >= HTTPStatus.OK:
            ok = self._status in {HTTPStatus.OK, HTTPStatus.NOT_MODIFIED}
            self.send_header("Cache-Control", cache_control(getattr(self, "path", "")) if ok else NO_STORE)
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


class SiteServer(ThreadingHTTPServer):
    """One thread per connection; closes connections gently and its compressed copies with itself."""

    daemon_threads = True
    linger = 1.0
    """Seconds to read what a client still sends after our answer (see `shutdown_request`)."""
    gzip_cache: GzipCache | None = None
    """Set by `make_server` once listening (a port already in use fails before)."""

    def shutdown_request(self, request: Any) -> None:
        """Close a connection without losing our answer.

        Closing a socket with unread input (the rest of a too-long request line, a body we did not
        read) sends a reset, and the client's system may then drop our answer unread. So send our
        end first, then read and discard for a short while (`linger`, at most 1 MiB), as web
        servers do ("lingering close").
        """
        try:
            request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + self.linger
            budget = 1 << 20
            while budget > 0 and (left := deadline - time.monotonic()) > 0:
                request.settimeout(left)
                chunk = request.recv(1 << 16)
                if not chunk:
                    break
                budget -= len(chunk)
        except OSError:
            pass
        self.close_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is not an error of ours; anything else is reported."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        """Stop listening and remove the compressed copies."""
        super().server_close()
        if self.gzip_cache is not None:
            self.gzip_cache.close()


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, isolation: bool = True,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server for `site_dir`, not yet serving; port 0 picks a free port (see `server_address`)."""
    cache = GzipCache()
    handler = type("Handler", (SiteHandler,), {"isolation": isolation, "quiet": quiet, "gzip_cache": cache})
    server = SiteServer((host, port), functools.partial(handler, directory=str(site_dir)))
    server.gzip_cache = cache
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
    try:
        server = make_server(args.site_dir, args.host, args.port, isolation=not args.no_isolation)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
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
