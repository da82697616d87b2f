# The workbooks' pages: each exported notebook rendered once per content by mkdocs-jupyter's converter, then kept.
"""Show the exported workbooks (`workbooks/NN-lesson.ipynb`) as pages of the site, with a download link.

The pages are the ones the mkdocs-jupyter plugin makes (its `nb2html` converter, its options as
the course used them: not executed, no RequireJS, no MathJax from a CDN), but the plugin itself
is not in the build: loading it imports nbconvert and jupytext (about 0.6 s, more than the rest of
a warm build of the course), and it reads every Markdown page with jupytext to see whether it is a
notebook. Here the converter is imported only when a notebook has no rendering kept yet: each one is
kept as JSON under the build cache by a digest of the notebook's bytes, the converter's version and
these options.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

from quizkit.plugin import build_cache

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.quizkit")

OPTIONS: dict[str, Any] = {
    "execute": False, "kernel_name": "", "theme": "", "allow_errors": True, "show_input": True, "no_input": False,
    "no_prompt": False, "remove_tag_config": {}, "highlight_extra_classes": "", "include_requirejs": False,
    "custom_mathjax_url": "",
}
"""`nb2html`'s options: no kernel runs at build time, and no page asks another host for anything."""
TOC_DEPTH = 6


class WorkbookFile(File):
    """An exported notebook shown as a page: `workbooks/01-x.ipynb` is the page `workbooks/01-x/`."""

    def is_documentation_page(self) -> bool:
        """A page of the site, rendered by `render`, not a file copied as it is."""
        return True


@dataclass(frozen=True)
class Rendered:
    """A notebook as a page: its HTML, its table of contents and its title (the first level-1 heading)."""

    content: str
    toc_tokens: list[Any]
    """Python-Markdown's `toc_tokens` (dicts), as MkDocs' `get_toc` reads them."""
    title: str | None


def _converter_version() -> str:
    try:
        return f"mkdocs-jupyter {version('mkdocs-jupyter')}, nbconvert {version('nbconvert')}"
    except PackageNotFoundError:  # pragma: no cover - both are dependencies of quizkit
        return ""


def _convert(notebook: Path) -> Rendered:
    """What mkdocs-jupyter makes of a notebook: `nb2html`, and the headings of `nb2md` for the table of contents."""
    import markdown  # type: ignore[import-untyped]  # noqa: PLC0415 - with the converter: only when a notebook changed
    from markdown.extensions.toc import TocExtension  # type: ignore[import-untyped]  # noqa: PLC0415
    from mkdocs_jupyter import convert  # type: ignore[import-untyped]  # noqa: PLC0415 - nbconvert: a heavy import

    content = str(convert.nb2html(str(notebook), **OPTIONS))
    md = markdown.Markdown(extensions=[TocExtension(toc_depth=TOC_DEPTH)])
    md.convert(convert.nb2md(str(notebook)))
    tokens: list[Any] = md.toc_tokens
    title = next((str(token["name"]) for token in tokens if token["level"] == 1), None)
    return Rendered(content=content, toc_tokens=tokens, title=title)


def render(notebook: Path, cache: Path | None) -> Rendered:
    """The page of `notebook`: kept under `cache` (a folder) by the notebook's digest, else converted now."""
    data = notebook.read_bytes()
    key = hashlib.sha256(json.dumps([hashlib.sha256(data).hexdigest(), _converter_version(), OPTIONS, TOC_DEPTH],
                                    sort_keys=True).encode()).hexdigest()[:32]
    entry = cache / f"{notebook.stem}-{key}.json" if cache is not None else None
    if entry is not None:
        try:
            kept = json.loads(entry.read_text(encoding="utf-8"))
            return Rendered(content=str(kept["content"]), toc_tokens=list(kept["toc_tokens"]), title=kept["title"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    log.info("quizkit: rendering the workbook %s", notebook.name)
    rendered = _convert(notebook)
    if entry is not None:
        try:
            build_cache.write_atomic(entry, json.dumps({"content": rendered.content, "toc_tokens": rendered.toc_tokens,
                                                        "title": rendered.title}).encode())
            build_cache.prune(entry.parent, f"{notebook.stem}-", keep=entry)
        except OSError:
            pass  # a read-only cache only costs time
    return rendered


def show(page: Page, notebook: Path, cache: Path | None) -> str:
    """The page's HTML; sets its table of contents, its title and the download link's URL (`page.nb_url`)."""
    rendered = render(notebook, cache)
    page.toc = get_toc(rendered.toc_tokens)
    if rendered.title is not None:
        page.title = rendered.title  # type: ignore[misc]
    page.nb_url = urljoin(page.abs_url or "", notebook.name)  # type: ignore[attr-defined] # read by overrides/main.html
    return rendered.content


def copy_source(page: Page, notebook: Path) -> None:
    """Put the notebook beside its page, where `page.nb_url` points: the reader downloads it from there."""
    if page.file.abs_dest_path is None:  # pragma: no cover - every page of a build has one
        return
    target = Path(page.file.abs_dest_path).parent / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, target)
