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

import functools
import hashlib
import json
import logging
import re
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


FORMAT = 2
"""Of a kept rendering: 2 keeps the converter's stylesheet apart from the page's HTML."""
STYLESHEET_DIR = "assets/stylesheets"
"""Where the workbooks' shared stylesheet goes in the site: `workbook-<digest>.css`."""

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)
_INERT_SCRIPTS = re.compile(
    r'<script src="">\s*</script>'  # MathJax's loader, with no URL: the course asks no other host for it
    r'|<script type="text/x-mathjax-config">.*?</script>'  # its settings, for a MathJax that never loads
    r'|<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*?</script>',  # Mermaid, from a CDN
    re.DOTALL)
_MERMAID = re.compile(r'class="[^"]*\bjp-Mermaid\b')


@dataclass(frozen=True)
class Rendered:
    """A notebook as a page: its HTML, its table of contents, its title (the first level-1 heading) and its CSS."""

    content: str
    toc_tokens: list[Any]
    """Python-Markdown's `toc_tokens` (dicts), as MkDocs' `get_toc` reads them."""
    title: str | None
    css: str
    """The converter's stylesheets (JupyterLab's theme and Pygments', 0.6 MB), taken out of `content`: the same for
    every workbook, the site serves them once (`stylesheet`) rather than inline in each page (90 KB gzipped
    each, 0.36 MB of the course's offline copy for four workbooks)."""

    @property
    def digest(self) -> str:
        """Of the stylesheet: in its file name, so that another converter's CSS is another file, and its `?v=`."""
        return hashlib.sha256(self.css.encode()).hexdigest()[:16]

    @property
    def stylesheet(self) -> str:
        """The shared stylesheet's path in the site."""
        return f"{STYLESHEET_DIR}/workbook-{self.digest}.css"


def split_styles(html: str) -> tuple[str, str]:
    """`html` without its `<style>` blocks and inert scripts, and the stylesheet the blocks make together.

    mkdocs-jupyter also writes a block whose text is a Python list's repr (`['pre { ...`): not CSS, dropped. Its
    scripts for MathJax (never loaded: no URL) and for Mermaid (imported from a CDN when a notebook has a diagram)
    go too: no page of the course asks another host for anything, and the build fails on a Mermaid diagram.
    """
    if _MERMAID.search(html):
        raise ValueError("a workbook has a Mermaid diagram, which would need a script from a CDN")
    blocks = [body.strip() for body in _STYLE.findall(html)]
    css = "\n".join(body for body in blocks if body and not body.startswith(("[", "(")))
    return _INERT_SCRIPTS.sub("", _STYLE.sub("", html)), css + "\n"


@functools.cache
def _converter_version() -> str:
    """The converter's versions (part of each workbook's digest): read once per process (2 ms a call)."""
    try:
        return f"mkdocs-jupyter {version('mkdocs-jupyter')}, nbconvert {version('nbconvert')}"
    except PackageNotFoundError:  # pragma: no cover - both are dependencies of quizkit
        return ""


def _convert(notebook: Path) -> Rendered:
    """What mkdocs-jupyter makes of a notebook: `nb2html`, and the headings of `nb2md` for the table of contents."""
    import markdown  # type: ignore[import-untyped]  # noqa: PLC0415 - with the converter: only when a notebook changed
    from markdown.extensions.toc import TocExtension  # type: ignore[import-untyped]  # noqa: PLC0415
    from mkdocs_jupyter import convert  # type: ignore[import-untyped]  # noqa: PLC0415 - nbconvert: a heavy import

    content, css = split_styles(str(convert.nb2html(str(notebook), **OPTIONS)))
    md = markdown.Markdown(extensions=[TocExtension(toc_depth=TOC_DEPTH)])
    md.convert(convert.nb2md(str(notebook)))
    tokens: list[Any] = md.toc_tokens
    title = next((str(token["name"]) for token in tokens if token["level"] == 1), None)
    return Rendered(content=content, toc_tokens=tokens, title=title, css=css)


def render(notebook: Path, cache: Path | None) -> Rendered:
    """The page of `notebook`: kept under `cache` (a folder) by the notebook's digest, else converted now."""
    data = notebook.read_bytes()
    key = hashlib.sha256(json.dumps([hashlib.sha256(data).hexdigest(), _converter_version(), OPTIONS, TOC_DEPTH, FORMAT],
                                    sort_keys=True).encode()).hexdigest()[:32]
    entry = cache / f"{notebook.stem}-{key}.json" if cache is not None else None
    if entry is not None:
        try:
            kept = json.loads(entry.read_text(encoding="utf-8"))
            return Rendered(content=str(kept["content"]), toc_tokens=list(kept["toc_tokens"]), title=kept["title"],
                            css=str(kept["css"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    log.info("quizkit: rendering the workbook %s", notebook.name)
    rendered = _convert(notebook)
    if entry is not None:
        try:
            build_cache.write_atomic(entry, json.dumps({"content": rendered.content, "toc_tokens": rendered.toc_tokens,
                                                        "title": rendered.title, "css": rendered.css}).encode())
            build_cache.prune(entry.parent, f"{notebook.stem}-", keep=entry)
        except OSError:
            pass  # a read-only cache only costs time
    return rendered


def show(page: Page, notebook: Path, cache: Path | None) -> Rendered:
    """The page's rendering; sets its table of contents, its title and the download link's URL (`page.nb_url`).

    Its HTML is the page's content; its stylesheet is for the plugin to link and to write (`write_stylesheet`).
    """
    rendered = render(notebook, cache)
    page.toc = get_toc(rendered.toc_tokens)
    if rendered.title is not None:
        page.title = rendered.title  # type: ignore[misc]
    page.nb_url = urljoin(page.abs_url or "", notebook.name)  # type: ignore[attr-defined] # read by overrides/main.html
    return rendered


def write_stylesheet(site_dir: Path, rendered: Rendered) -> None:
    """Write a workbook's stylesheet into the site, at `rendered.stylesheet`."""
    target = site_dir / rendered.stylesheet
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(rendered.css, encoding="utf-8")


def copy_source(page: Page, notebook: Path) -> None:
    """Put the notebook beside its page, where `page.nb_url` points: the reader downloads it from there."""
    if page.file.abs_dest_path is None:  # pragma: no cover - every page of a build has one
        return
    target = Path(page.file.abs_dest_path).parent / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, target)
