# The built course as a SCORM 1.2 package: one SCO, a launcher page that reports the reader's progress to the LMS.
"""SCORM 1.2 export: `quizkit export scorm` / `make scorm`.

The site is built with MkDocs into a temporary folder, as `make site` builds it, with two
differences an LMS needs: page links name files (`use_directory_urls: false`; LMS file
servers do not turn `lesson/` into `lesson/index.html`) and the service worker is off (an
LMS frames the course on its own origin and path, where a worker would keep a second copy of
the course and add isolation headers to the LMS's pages). Everything else, Python included,
is the plain site's.

The package adds two files to it: `scorm.html`, the SCO the manifest launches, and
`assets/quizkit/scorm/bridge.js`, which it loads. SCORM 1.2 allows one LMSInitialize ...
LMSFinish session per launch, and every page of a multi-page site would end it; so the
launcher holds the session and shows the course in a frame, following what the pages store
in localStorage (storage events) and reporting it. Outside an LMS, `scorm.html` just opens
`index.html`: the same files behave as the plain site.

Options (`scorm:` under the quizkit plugin in mkdocs.yml, or the command's options):
`mastery_score` (0-100; none: the course is "completed", never "passed") and `score`
(a quiz id, default `final`, or `all`: every quiz's questions together).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizkit.errors import QuizkitError

if TYPE_CHECKING:
    from collections.abc import Iterable

LAUNCHER = "scorm.html"
BRIDGE = "assets/quizkit/scorm/bridge.js"
"""Where the package holds the bridge (site-relative)."""
BRIDGE_SOURCE = Path(__file__).resolve().parents[1] / "assets" / "scorm" / "bridge.js"
CP12_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_NS = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SUSPEND_LIMIT = 4096
"""cmi.suspend_data holds at most this many characters in SCORM 1.2 (CMIString4096)."""


class ScormError(QuizkitError):
    """A SCORM option that cannot be honoured (unknown quiz, score out of range) or a failed build."""


@dataclass(frozen=True, kw_only=True)
class ScormSettings:
    """What the package reports: which quizzes make the score, and the score that passes."""

    mastery_score: int | None = None
    """0-100; None: the status is `completed` once the scored quizzes are taken, never `passed`."""
    score: str = "final"
    """A quiz id, or `all`."""


def settings(options: dict[str, Any] | None, *, mastery_score: int | None = None, score: str | None = None) -> ScormSettings:
    """Settings from the plugin's `scorm:` options, overridden by the command's; checked."""
    options = options or {}
    mastery = mastery_score if mastery_score is not None else options.get("mastery_score")
    if mastery is not None and (isinstance(mastery, bool) or not isinstance(mastery, int) or not 0 <= mastery <= 100):  # noqa: PLR2004
        raise ScormError(f"mastery score {mastery!r}: give a whole number from 0 to 100")
    chosen = score or options.get("score") or "final"
    if not isinstance(chosen, str):
        raise ScormError(f"score {chosen!r}: give a quiz id or `all`")
    return ScormSettings(mastery_score=mastery, score=chosen)


def scored_quizzes(compiled: dict[str, dict[str, Any]], chosen: str) -> list[dict[str, Any]]:
    """The quizzes that make the score, with their number of questions (a quiz's best score is out of that)."""
    ids = sorted(compiled) if chosen == "all" else [chosen]
    unknown = [quiz_id for quiz_id in ids if quiz_id not in compiled]
    if unknown:
        raise ScormError(f"score: no quiz '{unknown[0]}' in the course (quizzes: {', '.join(sorted(compiled))}; or `all`)")
    return [{"id": quiz_id, "questions": len(compiled[quiz_id]["questions"])} for quiz_id in ids]


def launcher_html(title: str, config: dict[str, Any]) -> str:
    """`scorm.html`: the SCO. The bridge runs before the frame has a page, so progress is restored first."""
    data = json.dumps(config, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{safe_title}</title>
<style>html, body {{ margin: 0; height: 100%; overflow: hidden; }}
iframe {{ display: block; border: 0; width: 100%; height: 100%; }}</style>
<script type="application/json" id="quizkit-scorm">{data}</script>
<script src="{BRIDGE}"></script>
</head>
<body>
<iframe id="quizkit-scorm-frame" title="{safe_title}" allow="fullscreen"></iframe>
<noscript><p><a href="{config["start"]}">Open the course</a></p></noscript>
</body>
</html>
"""


def manifest(title: str, files: Iterable[str], ident: str, mastery_score: int | None) -> bytes:
    """`imsmanifest.xml` (SCORM 1.2): one organization, one item, one SCO listing every file of the package."""
    root = ET.Element("manifest", {"xmlns": CP12_NS, "xmlns:adlcp": ADLCP_NS, "identifier": ident, "version": "1.0"})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "ADL SCORM"
    ET.SubElement(metadata, "schemaversion").text = "1.2"
    organizations = ET.SubElement(root, "organizations", default="org")
    organization = ET.SubElement(organizations, "organization", identifier="org")
    ET.SubElement(organization, "title").text = title
    item = ET.SubElement(organization, "item", identifier="item-course", identifierref="sco-course", isvisible="true")
    ET.SubElement(item, "title").text = title
    if mastery_score is not None:
        ET.SubElement(item, "adlcp:masteryscore").text = str(mastery_score)
    resources = ET.SubElement(root, "resources")
    resource = ET.SubElement(resources, "resource", {"identifier": "sco-course", "type": "webcontent",
                                                     "adlcp:scormtype": "sco", "href": LAUNCHER})
    for name in files:
        ET.SubElement(resource, "file", href=name)
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def build_site(config_file: Path, site_dir: Path) -> tuple[Any, Any]:
    """Build the course for the package: file links, no service worker. (config, the quizkit plugin)."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - build time only
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), use_directory_urls=False, strict=True)
        plugin = config.plugins["quizkit"]
        plugin.config["offline"] = False
        build(config)
    except (MkDocsException, OSError) as exc:
        raise ScormError(f"building the site failed: {exc}") from exc
    return config, plugin


def package_files(site_dir: Path) -> list[str]:
    """Every file of the built site, `/`-separated, sorted."""
    return sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())


def write_package(site_dir: Path, output: Path, *, title: str, ident: str, course: str, quizzes: list[dict[str, Any]],
                  scorm: ScormSettings) -> int:
    """Add the launcher and the bridge to the built site and zip it with its manifest; the package's size in bytes."""
    config = {"start": "index.html", "course": course, "quizzes": quizzes, "mastery": scorm.mastery_score,
              "suspendLimit": SUSPEND_LIMIT}
    (site_dir / LAUNCHER).write_text(launcher_html(title, config), encoding="utf-8")
    (site_dir / BRIDGE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BRIDGE_SOURCE, site_dir / BRIDGE)
    files = package_files(site_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("imsmanifest.xml", ZIP_DATE), manifest(title, files, ident, scorm.mastery_score),
                         zipfile.ZIP_DEFLATED)
        for name in files:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, (site_dir / name).read_bytes(), zipfile.ZIP_DEFLATED)
    return output.stat().st_size


def export_scorm(config_file: Path, output: Path, *, mastery_score: int | None = None, score: str | None = None) -> str:
    """Build the course from `config_file` and write the SCORM 1.2 package to `output`; a one-line report.

    Raises:
        ScormError: an option the course cannot honour, or a build that failed.
    """
    settings({}, mastery_score=mastery_score, score=score)  # the command's own options fail before the build
    with tempfile.TemporaryDirectory(prefix="quizkit-scorm-") as folder:
        site_dir = Path(folder) / "site"
        config, plugin = build_site(config_file, site_dir)
        chosen = settings(plugin.config.get("scorm"), mastery_score=mastery_score, score=score)
        quizzes = scored_quizzes(plugin.course.compiled_quizzes, chosen.score)
        title = str(config["site_name"])
        ident = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-") or "course"
        size = write_package(site_dir, output, title=title, ident=ident, course=plugin.structure.course,
                             quizzes=quizzes, scorm=chosen)
    mastery = "no mastery score (completed, not passed)" if chosen.mastery_score is None else \
        f"mastery score {chosen.mastery_score}"
    scored = "all quizzes" if chosen.score == "all" else f"quiz '{chosen.score}'"
    return f"{output}: SCORM 1.2, {size / 1e6:.1f} MB, score from {scored}, {mastery}"
