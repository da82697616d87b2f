# The static server of the built site: types, cache and isolation headers.
from __future__ import annotations

import contextlib
import threading
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
