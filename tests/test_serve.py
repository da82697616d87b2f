# The static server of the built site: types, cache and isolation headers.
from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import os
import socket
import threading
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from quizkit.serve import GzipCache, SiteHandler, SiteServer, accepts_gzip, cache_control, main, make_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import Message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "no-cache"),
        ("/lessons/01-connects-and-plans/", "no-cache"),
        ("/index.html?x=1", "no-cache"),
        ("/search/search_index.json", "no-cache"),
        ("/assets/javascripts/bundle.79ae519e.min.js", "public, max-age=31536000, immutable"),
        ("/assets/stylesheets/main.484c7ddc.min.css", "public, max-age=31536000, immutable"),
        ("/assets/quizkit/quiz.js", "public, max-age=86400"),
        ("/assets/quizkit/pyodide/pyodide.asm.wasm", "public, max-age=86400"),
        ("/assets/quizkit/pyodide/pyodide.asm.wasm?v=0123456789abcdef", "public, max-age=31536000, immutable"),
        ("/assets/quizkit/rules.json?v=0123456789abcdef", "public, max-age=31536000, immutable"),
        ("/assets/quizkit/rules.json?v=latest", "no-cache"),
        ("/lessons/?v=0123456789abcdef", "no-cache"),
        ("/sw.js", "no-cache"),
        ("/course/sw.js?v=1", "no-cache"),
    ],
)
def test_cache_control(path: str, expected: str) -> None:
    assert cache_control(path) == expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name, body in {"index.html": b"<p>hi</p>", "a.wasm": b"\0asm", "b.mjs": b"export {}", "c.js": b"",
                       "d.json": b"{}", "e.css": b"", "f.whl": b"PK"}.items():
        (tmp_path / name).write_bytes(body)
    return tmp_path


@contextlib.contextmanager
def _running(site: Path, *, isolation: bool = True) -> Iterator[tuple[str, SiteServer]]:
    server = make_server(site, port=0, isolation=isolation, quiet=True)
    assert isinstance(server, SiteServer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def _serve(site: Path, *, isolation: bool) -> Iterator[str]:
    with _running(site, isolation=isolation) as (base, _):
        yield base


def _headers(url: str) -> Message:
    with urllib.request.urlopen(url) as response:
        return response.headers


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("a.wasm", "application/wasm"), ("b.mjs", "text/javascript"), ("c.js", "text/javascript"),
     ("d.json", "application/json"), ("e.css", "text/css"), ("f.whl", "application/zip"),
     ("", "text/html; charset=utf-8")],
)
def test_types_and_isolation_headers(site: Path, name: str, content_type: str) -> None:
    with _serve(site, isolation=True) as base:
        headers = _headers(base + name)
    assert headers["Content-Type"] == content_type
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["Cache-Control"] == cache_control("/" + name)


def test_isolation_can_be_turned_off(site: Path) -> None:
    with _serve(site, isolation=False) as base:
        headers = _headers(base)
    assert "Cross-Origin-Opener-Policy" not in headers
    assert "Cross-Origin-Embedder-Policy" not in headers
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_refuses_a_folder_without_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--port", "0"]) == 2
    assert "no built site" in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main([str(tmp_path), "--port", str(port)]) == 1
    assert capsys.readouterr().err == f"cannot serve on 127.0.0.1:{port}: Address already in use\n"


def _get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:  # 304 and errors arrive as an error
        with error:
            return error.code, error.headers, error.read()


@pytest.fixture
def big_site(site: Path) -> Path:
    text = "".join(f"<p>Line {n} of a page that compresses well.</p>\n" for n in range(400))
    (site / "index.html").write_text(text, encoding="utf-8")
    (site / "lessons").mkdir()
    (site / "lessons" / "index.html").write_text(text, encoding="utf-8")
    (site / "big.wasm").write_bytes(b"\0asm" + bytes(8000))
    (site / "small.js").write_text("export {};\n", encoding="utf-8")
    return site


def test_text_is_gzipped_for_browsers_that_accept_it(big_site: Path) -> None:
    original = (big_site / "index.html").read_bytes()
    with _serve(big_site, isolation=True) as base:
        for path in ("", "index.html", "lessons/"):
            status, headers, body = _get(base + path, **{"Accept-Encoding": "gzip, deflate, br"})
            assert status == 200
            assert headers["Content-Encoding"] == "gzip", path
            assert headers["Vary"] == "Accept-Encoding"
            assert int(headers["Content-Length"]) == len(body) < len(original) / 4
            assert gzip.decompress(body) == original
            assert headers["Cross-Origin-Embedder-Policy"] == "require-corp", "the deployment headers still apply"
        status, headers, body = _get(base + "index.html")
    assert "Content-Encoding" not in headers, "a client that did not ask gets the file as it is"
    assert body == original


def test_wasm_and_tiny_files_go_as_they_are(big_site: Path) -> None:
    with _serve(big_site, isolation=True) as base:
        for name in ("big.wasm", "small.js"):
            _, headers, body = _get(base + name, **{"Accept-Encoding": "gzip"})
            assert "Content-Encoding" not in headers, name
            assert body == (big_site / name).read_bytes()


def test_an_unchanged_page_answers_not_modified(big_site: Path) -> None:
    with _serve(big_site, isolation=True) as base:
        _, headers, _ = _get(base + "index.html", **{"Accept-Encoding": "gzip"})
        status, _, body = _get(base + "index.html", **{"Accept-Encoding": "gzip", "If-Modified-Since": headers["Last-Modified"]})
        assert (status, body) == (304, b"")
        (big_site / "index.html").write_text("<p>changed</p>" * 200, encoding="utf-8")
        os.utime(big_site / "index.html", (1e10, 1e10))
        status, _, body = _get(base + "index.html", **{"Accept-Encoding": "gzip", "If-Modified-Since": headers["Last-Modified"]})
        assert status == 200
        assert gzip.decompress(body) == (big_site / "index.html").read_bytes()


# ---------------------------------------------------------------- hardening


def _request(base: str, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One request as written (no redirects followed, no path cleaned up), on its own connection."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _raw(base: str, data: bytes) -> bytes:
    """Send bytes as they are and read the whole answer, until the server closes the connection."""
    parts = urllib.parse.urlsplit(base)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    return b"".join(chunks)


def _assert_not_stored(headers: dict[str, str]) -> None:
    assert headers["Cache-Control"] == "no-store"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp", "the deployment headers still apply"


def test_only_200_and_304_may_be_cached(big_site: Path) -> None:
    version = "?v=0123456789abcdef"
    with _serve(big_site, isolation=True) as base:
        status, headers, body = _request(base, "/missing.js" + version)
        assert status == 404
        assert b"404" in body
        _assert_not_stored(headers)
        status, headers, _ = _request(base, "/lessons" + version)
        assert (status, headers["Location"]) == (301, "/lessons/" + version)
        _assert_not_stored(headers)
        status, headers, _ = _request(base, "/small.js" + version, method="POST")
        assert status == 501
        _assert_not_stored(headers)
        status, headers, _ = _request(base, "/small.js" + version)
        assert (status, headers["Cache-Control"]) == (200, "public, max-age=31536000, immutable")
        status, headers, _ = _request(base, "/small.js" + version, **{"If-None-Match": headers["ETag"]})
        assert (status, headers["Cache-Control"]) == (304, "public, max-age=31536000, immutable")


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GARBAGE", 400),
        (b"\x00\xff\xfe garbage \x01", 400),
        (b"GET / HTTP/x.y", 400),
        (b"GET / HTTP/1.1 extra", 400),
        (b"GET / FTP/1.1", 400),
        (b"GET / HTTP/2.0", 505),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1", 414),
    ],
    ids=["one-word", "binary", "bad-version", "four-words", "not-http", "http2", "too-long"],
)
def test_a_malformed_request_gets_a_proper_error(site: Path, request_line: bytes, status: int) -> None:
    with _serve(site, isolation=True) as base:
        answer = _raw(base, request_line + b"\r\nHost: x\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        assert status_line.startswith(f"HTTP/1.0 {status} "), answer[:200]
        headers = dict(line.split(": ", 1) for line in header_lines)
        _assert_not_stored(headers)
        assert int(headers["Content-Length"]) == len(body) > 0
        assert str(status).encode() in body
        assert _request(base, "/")[0] == 200, "the server goes on serving"


@pytest.mark.parametrize("path", ["/%00", "/%00.html", "/index.html%00", "/a%00b/", "/%ed%a0%80", "/%ff.js"])
def test_a_path_the_file_system_cannot_hold_is_refused(site: Path, path: str) -> None:
    with _serve(site, isolation=True) as base:
        status, headers, body = _request(base, path)
        assert status in {400, 404}
        assert str(status).encode() in body
        _assert_not_stored(headers)
        assert _request(base, "/")[0] == 200


@pytest.fixture
def linked_site(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (outside / "index.html").write_text("<p>outside</p>", encoding="utf-8")
    site = tmp_path / "site"
    (site / "lessons").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "lessons" / "index.html").write_text("<p>lessons</p>", encoding="utf-8")
    (site / "leak.txt").symlink_to(outside / "secret.txt")
    (site / "leak").symlink_to(outside)
    (site / "lessons" / "up").symlink_to(tmp_path)
    (site / "home.html").symlink_to(site / "index.html")
    (site / "again").symlink_to("lessons")
    (site / "relative.html").symlink_to("lessons/index.html")
    return site


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/leak.txt", 404, None),
        ("/leak/", 404, None),
        ("/leak/secret.txt", 404, None),
        ("/leak/index.html", 404, None),
        ("/lessons/up/outside/secret.txt", 404, None),
        ("/../outside/secret.txt", 404, None),
        ("/%2e%2e/outside/secret.txt", 404, None),
        ("/home.html", 200, b"<p>home</p>"),
        ("/again/", 200, b"<p>lessons</p>"),
        ("/again/index.html", 200, b"<p>lessons</p>"),
        ("/relative.html", 200, b"<p>lessons</p>"),
    ],
)
def test_symlinks_are_followed_only_inside_the_site(linked_site: Path, path: str, status: int, body: bytes | None) -> None:
    with _serve(linked_site, isolation=True) as base:
        got_status, headers, got_body = _request(base, path)
    assert got_status == status
    if body is not None:
        assert got_body == body
    else:
        assert b"secret" not in got_body
        assert b"outside" not in got_body
        _assert_not_stored(headers)


def test_no_folder_is_ever_listed(site: Path) -> None:
    (site / "assets" / "quizkit").mkdir(parents=True)
    (site / "assets" / "quizkit" / "quiz.js").write_text("export {};\n", encoding="utf-8")
    with _serve(site, isolation=True) as base:
        for path in ("/assets/", "/assets", "/assets/quizkit/", "/assets/quizkit/?C=M;O=A"):
            status, headers, body = _request(base, path)
            assert status == 404, path
            assert b"quiz.js" not in body
            assert b"Directory listing" not in body
            _assert_not_stored(headers)
        assert _request(base, "/assets/quizkit/quiz.js")[0] == 200


def test_a_silent_connection_is_closed(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert SiteHandler.timeout == 30
    monkeypatch.setattr(SiteHandler, "timeout", 0.2)
    with _serve(site, isolation=True) as base:
        assert _raw(base, b"") == b"", "nothing sent: closed without an answer"
        assert _raw(base, b"GET / HTTP/1.1\r\nHost: x\r\n") == b"", "headers never finished"
        assert _request(base, "/")[0] == 200


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("GZip", True),
        ("x-gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("gzip;q=0, deflate, br", False),
        ("deflate, br", False),
        ("gzip;q=0.5", True),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("*, gzip;q=0", False),
        ("identity;q=1, gzip;q=0.5", False),
        ("identity;q=0.5, gzip", True),
        ("*;q=0.5, gzip;q=0.1", False),
        ("gzip;q=bad", False),
        ("gzip;q=2", False),
        ("gzip;q=0, gzip", False),
        (" , ;q=1, gzip", True),
    ],
)
def test_accept_encoding_is_read_with_its_weights(accept_encoding: str | None, gzipped: bool) -> None:
    assert accepts_gzip(accept_encoding) is gzipped


def test_a_refused_gzip_is_not_sent(big_site: Path) -> None:
    original = (big_site / "index.html").read_bytes()
    with _serve(big_site, isolation=True) as base:
        for accept in ("gzip;q=0", "*;q=0, identity", "identity;q=1, gzip;q=0.5"):
            status, headers, body = _request(base, "/index.html", **{"Accept-Encoding": accept})
            assert (status, body) == (200, original), accept
            assert "Content-Encoding" not in headers
            assert headers["Vary"] == "Accept-Encoding", "the answer depends on the header either way"


def test_validators_and_head_with_gzip(big_site: Path) -> None:
    with _serve(big_site, isolation=True) as base:
        _, plain, _ = _request(base, "/index.html")
        _, zipped, body = _request(base, "/index.html", **{"Accept-Encoding": "gzip"})
        assert zipped["Content-Encoding"] == "gzip"
        assert plain["ETag"] != zipped["ETag"], "two representations, two tags"
        assert plain["Last-Modified"] == zipped["Last-Modified"]
        status, headers, head_body = _request(base, "/index.html", method="HEAD", **{"Accept-Encoding": "gzip"})
        assert (status, head_body, headers["Content-Length"]) == (200, b"", str(len(body)))
        status, headers, empty = _request(base, "/index.html", **{"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]})
        assert (status, empty) == (304, b"")
        assert (headers["ETag"], headers["Vary"], headers["Cache-Control"]) == (zipped["ETag"], "Accept-Encoding", "no-cache")
        status, _, _ = _request(base, "/index.html", **{"If-None-Match": f'W/"x", {zipped["ETag"]}'})
        assert status == 200, "the gzip tag does not match the plain representation"
        status, _, _ = _request(base, "/index.html", **{"If-None-Match": f'"x", {plain["ETag"]}'})
        assert status == 304
        status, _, _ = _request(base, "/index.html", **{"Accept-Encoding": "gzip", "If-None-Match": '"other"',
                                                         "If-Modified-Since": zipped["Last-Modified"]})
        assert status == 200, "If-None-Match decides when present"
        _, wasm, _ = _request(base, "/big.wasm", **{"Accept-Encoding": "gzip"})
        assert "Vary" not in wasm
        assert _request(base, "/big.wasm", **{"If-None-Match": wasm["ETag"]})[0] == 304
        (big_site / "index.html").write_text("<p>changed</p>" * 200, encoding="utf-8")
        os.utime(big_site / "index.html", (1e10, 1e10))
        status, headers, body = _request(base, "/index.html", **{"Accept-Encoding": "gzip", "If-None-Match": zipped["ETag"]})
        assert status == 200
        assert headers["ETag"] != zipped["ETag"]
        assert gzip.decompress(body) == (big_site / "index.html").read_bytes()


def _write_text_file(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as file:
        line = 0
        while file.tell() < size:
            file.write(f"var line{line} = {line * 7919 % 100_003};\n")
            line += 1


def test_a_large_file_is_gzipped_without_holding_it_in_memory(site: Path) -> None:
    size = 8 << 20
    _write_text_file(site / "pyodide.asm.mjs", size)
    digest = hashlib.sha256((site / "pyodide.asm.mjs").read_bytes()).hexdigest()
    with _running(site) as (base, server):
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        tracemalloc.start()
        try:
            connection.request("GET", "/pyodide.asm.mjs", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            unzip, sha, received = zlib.decompressobj(16 + zlib.MAX_WBITS), hashlib.sha256(), 0
            while chunk := response.read(1 << 16):
                received += len(chunk)
                sha.update(unzip.decompress(chunk))
            sha.update(unzip.flush())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
            connection.close()
        assert response.getheader("Content-Encoding") == "gzip"
        assert int(response.getheader("Content-Length") or 0) == received
        assert sha.hexdigest() == digest
        assert peak < size / 4, f"peak {peak} bytes while serving {size}"
        kept = server.gzip_cache.bytes_kept
        assert kept["memory"] == 0
        assert 0 < kept["disk"] < size
        _, headers, body = _request(base, "/pyodide.asm.mjs", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Length"] == str(received) == str(len(body)), "the kept copy, served again"


def test_the_gzip_cache_is_bounded_by_bytes(tmp_path: Path) -> None:
    files = []
    for n in range(6):  # about 11, 22 (in memory), 32, 42, 53 and 63 KB (in files) gzipped
        files.append(tmp_path / f"page{n}.html")
        _write_text_file(files[-1], 40_000 * (n + 1))
    cache = GzipCache(memory_bytes=25_000, disk_bytes=100_000, spool_above=100_000)
    try:
        readers = []
        for path in files:
            reader, length = cache.open(str(path), path.stat())
            readers.append(reader)
            assert 0 < length < path.stat().st_size / 3
            kept = cache.bytes_kept
            assert kept["memory"] <= 25_000
            assert kept["disk"] <= 100_000
        assert cache._folder is not None
        spooled = list(Path(cache._folder).iterdir())
        assert sum(path.stat().st_size for path in spooled) == cache.bytes_kept["disk"]
        assert len(cache._entries) == 2, "the two most recent copies fit: one in memory, one in a file"
        for path, reader in zip(files, readers, strict=True):
            with reader:
                assert gzip.decompress(reader.read()) == path.read_bytes(), "a reader outlives its evicted copy"
        reader, _ = cache.open(str(files[0]), files[0].stat())
        with reader:
            assert gzip.decompress(reader.read()) == files[0].read_bytes(), "compressed again once evicted"
    finally:
        cache.close()
    assert cache.bytes_kept == {"memory": 0, "disk": 0}
    assert not any(path.exists() for path in spooled)
