"""What the build writes so that stored copies can be trusted (no browser): the `?v=` of each versioned file in
the service worker, and the memory snapshot's SHA-256 in the Python worker's config.

Builds `tests/fixtures/course` once (see `test_plugin.py`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from typing import TYPE_CHECKING

import pytest

from quizkit.plugin.runtime import snapshot_sha256
from tests.test_plugin import build_course, copy_course

if TYPE_CHECKING:
    from pathlib import Path

VERSIONED = re.compile(r'(\{"assets/quizkit/[^}]*\})')
PAGE_ASSET = re.compile(r'(?:src|href)="(?:\.\./)*(assets/quizkit/[^"?]+)\?v=([0-9a-f]+)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("stored-data")
    return build_course(copy_course(tmp), tmp / "site")


@pytest.mark.node
def test_the_service_worker_knows_the_version_every_page_asks_for(built: Path) -> None:
    worker = (built / "sw.js").read_text(encoding="utf-8")
    assert "__QUIZKIT_VERSIONED__" not in worker
    match = VERSIONED.search(worker)
    assert match, "sw.js names the versioned files of the course"
    versioned: dict[str, str] = json.loads(match.group(1))
    asked = {(path, version) for page in built.rglob("*.html")
             for path, version in PAGE_ASSET.findall(page.read_text(encoding="utf-8")) if path in versioned}
    assert asked, "pages ask for the course's widgets with ?v="
    assert asked <= set(versioned.items()), "every ?v= a page asks for is the one the worker answers from its cache"
    assert {"assets/quizkit/progress.js", "assets/quizkit/progress-page.js", "assets/quizkit/offline.js",
            "assets/quizkit/quiz.js"} <= set(versioned), "the scripts progress.js loads itself too (same ?v=)"
    for path in versioned:
        assert (built / path).is_file(), path


@pytest.mark.node
def test_the_python_worker_holds_the_hash_of_the_unzipped_snapshot(built: Path) -> None:
    snapshot = built / "assets" / "quizkit" / "pyodide" / "snapshot.bin.gz"
    expected = hashlib.sha256(gzip.decompress(snapshot.read_bytes())).hexdigest()
    worker = (built / "assets" / "quizkit" / "worker.js").read_text(encoding="utf-8")
    assert re.findall(r'\bsnapshotSha256"?:"([0-9a-f]{64})"', worker) == [expected]


def test_snapshot_sha256_is_of_the_unzipped_bytes(tmp_path: Path) -> None:
    data = b"QKS1" + bytes(range(256)) * 64
    path = tmp_path / "snapshot.bin.gz"
    path.write_bytes(gzip.compress(data))
    assert snapshot_sha256(path) == hashlib.sha256(data).hexdigest()
    other = tmp_path / "other.bin.gz"
    other.write_bytes(gzip.compress(data[:-1] + b"\x00"))
    assert snapshot_sha256(other) == hashlib.sha256(data[:-1] + b"\x00").hexdigest()
