# The static server of the built site: types, cache and isolation headers.
from __future__ import annotations

import contextlib
import gzip
import os
import threading
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

from quizkit.serve import cache_control, main, make_server

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import Message
    from pathlib import Path


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
def _serve(site: Path, *, isolation: bool) -> Iterator[str]:
    server = make_server(site, port=0, isolation=isolation, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


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


def _get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:  # 304 arrives as an error
        return error.code, error.headers, b""


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
