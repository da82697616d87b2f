"""`quizkit export scorm`: the SCORM 1.2 manifest, the files of the package, the options.

Built once from the fixture course (`tests/fixtures/course`); the real course in an LMS
runtime is tested in tests/browser/test_scorm.py.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from quizkit.cli import main
from quizkit.export.scorm import (
    ADLCP_NS,
    BRIDGE,
    CP12_NS,
    LAUNCHER,
    ScormError,
    export_scorm,
    scored_quizzes,
    settings,
)
from quizkit.plugin.offline import RETIRED_WORKER

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "course" / "mkdocs.yml"
CP = f"{{{CP12_NS}}}"
ADLCP = f"{{{ADLCP_NS}}}"
COURSE_JSON = re.compile(r'<script type="application/json" id="quizkit-course">(.*?)</script>', re.DOTALL)
SCORM_JSON = re.compile(r'<script type="application/json" id="quizkit-scorm">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    output = tmp_path_factory.mktemp("scorm") / "fixture.zip"
    report = export_scorm(FIXTURE, output, mastery_score=75, score="all")
    return output, report


@pytest.fixture(scope="module")
def files(package: tuple[Path, str]) -> dict[str, bytes]:
    with zipfile.ZipFile(package[0]) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_manifest_is_scorm12_with_one_sco_listing_every_file(files: dict[str, bytes]) -> None:
    assert next(iter(files)) == "imsmanifest.xml"
    root = ET.fromstring(files["imsmanifest.xml"])
    assert root.tag == f"{CP}manifest"
    assert root.findtext(f"{CP}metadata/{CP}schema") == "ADL SCORM"
    assert root.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    organizations = root.find(f"{CP}organizations")
    assert organizations is not None
    organization = organizations.findall(f"{CP}organization")
    assert len(organization) == 1
    assert organizations.get("default") == organization[0].get("identifier")
    items = organization[0].findall(f"{CP}item")
    assert len(items) == 1, "one SCO for the whole course"
    assert items[0].findtext(f"{ADLCP}masteryscore") == "75"
    resources = root.findall(f"{CP}resources/{CP}resource")
    assert len(resources) == 1
    sco = resources[0]
    assert items[0].get("identifierref") == sco.get("identifier")
    assert sco.get(f"{ADLCP}scormtype") == "sco"
    assert sco.get("type") == "webcontent"
    assert sco.get("href") == LAUNCHER
    listed = [f.get("href") for f in sco.findall(f"{CP}file")]
    assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"})
    assert {LAUNCHER, BRIDGE, "index.html"} <= set(listed)


def test_the_launcher_carries_the_scored_quizzes_and_the_mastery_score(files: dict[str, bytes]) -> None:
    html = files[LAUNCHER].decode()
    match = SCORM_JSON.search(html)
    assert match is not None
    config = json.loads(match.group(1))
    assert config["start"] == "index.html"
    assert config["mastery"] == 75
    assert config["suspendLimit"] == 4096
    assert {q["id"] for q in config["quizzes"]} == {"fixture", "fixture-md"}
    assert all(q["questions"] > 0 for q in config["quizzes"])
    assert f'<script src="{BRIDGE}"></script>' in html


def test_pages_link_files_and_register_no_service_worker(files: dict[str, bytes]) -> None:
    pages = [name for name in files if name.endswith(".html") and name not in (LAUNCHER, "404.html")]
    assert pages
    assert not [name for name in pages if name.endswith("/index.html") and name != "index.html"], \
        "page links name files (LMS file servers do not add index.html)"
    for name in pages:
        match = COURSE_JSON.search(files[name].decode())
        assert match is not None, name
        assert json.loads(match.group(1))["offline"] is False, f"{name}: no service worker inside an LMS"
    assert files["sw.js"].decode() == RETIRED_WORKER, "sw.js only retires an earlier worker"


def test_nothing_added_reaches_another_host(files: dict[str, bytes]) -> None:
    for name in (LAUNCHER, BRIDGE):
        assert not re.search(rb"https?://", files[name]), name


def test_the_report_gives_the_size(package: tuple[Path, str]) -> None:
    output, report = package
    assert f"{output.stat().st_size / 1e6:.1f} MB" in report
    assert "SCORM 1.2" in report
    assert "mastery score 75" in report


def test_options_from_the_plugin_and_the_command() -> None:
    assert settings({"mastery_score": 70, "score": "all"}) == settings(None, mastery_score=70, score="all")
    assert settings({"mastery_score": 70}, mastery_score=90).mastery_score == 90
    assert settings(None).score == "final"
    assert settings(None).mastery_score is None
    for bad in (-1, 101, True, "80"):
        with pytest.raises(ScormError, match="mastery score"):
            settings({"mastery_score": bad})
    compiled = {"a": {"questions": [1, 2]}, "b": {"questions": [1]}}
    assert scored_quizzes(compiled, "all") == [{"id": "a", "questions": 2}, {"id": "b", "questions": 1}]  # type: ignore[dict-item]
    with pytest.raises(ScormError, match="no quiz 'final'"):
        scored_quizzes(compiled, "final")  # type: ignore[arg-type]


def test_cli_refuses_a_mastery_score_out_of_range_before_building(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "x.zip"
    assert main(["export", "scorm", "--config", str(FIXTURE), "-o", str(output), "--mastery-score", "150"]) == 1
    assert "mastery score 150" in capsys.readouterr().err
    assert not output.exists()
