# The quizkit MkDocs plugin: rule values in pages, quizzes and exercises by id, build-time checks.
"""How a build goes with the plugin on.

1. `on_config` loads the rules and the content once and runs every content check;
   any problem stops the build with `file:line: message` lines.
2. `on_files` adds the generated reference page of the rules.
3. `on_page_markdown` fills in `{{ rule expressions }}` and turns embed markers
   into tokens; `on_page_content` turns the tokens into empty slots.
4. `on_env` (every page rendered) checks the quizzes' links to lesson sections,
   raises the problems met in pages, all at once, and works out the course
   structure (lessons in navigation order, with their exercises and quizzes).
5. `on_post_page` fills the slots with the widgets' HTML and adds the widgets'
   stylesheet and scripts, only to the pages that embed something; every page
   gets the course structure as JSON and the small progress script.
6. `on_post_build` copies the widgets' assets, writes the Python runtime and,
   last, the service worker that precaches the whole site.

What did not change since an earlier build is reused, not redone (`build_cache`): the loaded
course, its check, the exported and rendered workbooks, the widgets' markup, the service worker
and the theme's compiled templates; the plugin object itself lives across `mkdocs serve` rebuilds.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown as markdown_lib  # type: ignore[import-untyped]
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from quizkit.check_cache import cached_problems
from quizkit.course import Course, check_course, lesson_pages
from quizkit.errors import ContentError, ContentProblem
from quizkit.load import read_yaml
from quizkit.page_markdown import REFERENCE_PAGE, Embed, process
from quizkit.plugin import (
    activity,
    build_cache,
    embed,
    file_digests,
    offline,
    progress,
    runtime,
    tables,
    toolchain,
    workbook_pages,
)
from quizkit.plugin.config import QuizkitConfig
from quizkit.plugin.quiz_embed import ASSETS, QUIZ_SCRIPTS, STYLESHEETS, SectionLink, quiz_html, quiz_payload, render_texts
from quizkit.plugin.reference_page import reference_markdown

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

WORKBOOK_DIR = "workbooks"
"""Where the exported workbooks appear in the site."""

log = logging.getLogger("mkdocs.plugins.quizkit")

ASSET_DIR = Path(__file__).resolve().parent.parent / "assets"
"""The widgets' sources shipped inside the package."""
SITE_ASSET_DIR = "assets/quizkit"
"""Where they go in the built site."""
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class _PageEmbeds:
    """The embeds of one page, from its Markdown to its HTML."""

    embeds: list[Embed]
    file: str
    """The page's Markdown file, as problems name it."""
    line_offset: int
    slots: dict[str, Embed] = field(default_factory=dict)


def _format_problems(problems: Iterable[ContentProblem], intro: str) -> str:
    lines = [str(problem) for problem in problems]
    return f"{intro} ({len(lines)}):\n" + "\n".join(lines)


def _cache_root() -> Path | None:
    """The project's build cache (`.cache/quizkit/`), if there is one: what builds keep for later builds."""
    try:
        return toolchain.Cache.beside(toolchain.find_node_modules()).root
    except toolchain.RuntimeBuildError:
        return None


def _check_cache() -> Path | None:
    """Where content-check results are kept between builds."""
    root = _cache_root()
    return root / "checks" if root is not None else None


def _front_matter_lines(page: Page, markdown: str) -> int:
    """Lines MkDocs removed above `markdown` (the front matter), to report lines of the file."""
    try:
        source = page.file.content_string
    except (OSError, UnicodeDecodeError):  # pragma: no cover - MkDocs has read it already
        return 0
    if not markdown or not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def _anchor_title(items: Iterable[AnchorLink], anchor: str) -> str | None:
    for item in items:
        if item.id == anchor:
            return html.unescape(_TAGS.sub("", item.title)).strip()
        found = _anchor_title(item.children, anchor)
        if found:
            return found
    return None


class QuizkitPlugin(BasePlugin[QuizkitConfig]):  # type: ignore[no-untyped-call]
    """Rule values, quizzes and exercises in MkDocs pages, checked at build time."""

    def __init__(self) -> None:
        self.course: Course | None = None
        self.root = Path()
        self.files: Files | None = None
        self.quiz_data: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, _PageEmbeds] = {}
        self.problems: list[ContentProblem] = []
        self.nav: Navigation | None = None
        self.structure: progress.Structure | None = None
        self.progress_page: str | None = None
        """src_uri of the page holding `{{ progress() }}`."""
        self.assets_version = ""
        self.build = ""
        """The runtime's build id (`runtime.build_id`), worked out once per build in `on_env`."""
        self.course_key = ""
        """`build_cache.course_key` of the loaded course: what the exported workbooks were made from."""
        self.workbooks: dict[str, Path] = {}
        """The workbooks' pages: src_uri -> the exported notebook."""
        self.workbook_pages: dict[str, workbook_pages.Rendered] = {}
        """The workbooks' pages as rendered in this build: src_uri -> rendering (its stylesheet, shared)."""
        self.widgets: dict[str, str] = {}
        """Exercise and activity markup by `kind:id`, for `widgets_for` (the course key and the runtime's
        build): the same on every page, and in every build of the same course and runtime (kept on disk)."""
        self.widgets_for = ""
        self.widgets_added = False
        self.live = False
        """Under `mkdocs serve` (see `on_startup`)."""

    # ---------------------------------------------------------------- helpers

    def _display(self, path: str | Path) -> str:
        """A path relative to mkdocs.yml's folder when it is inside it: what authors type."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def _problem(self, message: str, file: str | Path, line: int) -> ContentProblem:
        return ContentProblem(message, self._display(file), line)

    def _course(self) -> Course:
        if self.course is None:  # pragma: no cover - on_config always runs first
            raise PluginError("quizkit: the course was not loaded (on_config did not run)")
        return self.course

    def _quiz_location(self, quiz_id: str, *where: str | int) -> tuple[str, int]:
        path = self._course().files[f"quiz:{quiz_id}"]
        return str(path), read_yaml(path).line(where)

    def _add_workbooks(self, files: Files, config: MkDocsConfig) -> None:
        """Export the jupytext workbooks of the content folder as notebooks under `workbooks/`, each a page.

        `workbook_pages` renders them (mkdocs-jupyter's converter, only for a notebook not rendered
        before) and copies each `.ipynb` beside its page for download.
        """
        def export() -> list[Path]:
            from quizkit import workbooks  # noqa: PLC0415 - jupytext, a heavy import: only when a workbook is redone

            return workbooks.export(Path(self.config.content), out / WORKBOOK_DIR, self._course())

        out = self.root / ".cache" / "quizkit"
        exported = build_cache.export_workbooks(out / WORKBOOK_DIR, self.course_key, export)
        self.workbooks = {}
        self.workbook_pages = {}
        for path in exported:
            file = workbook_pages.WorkbookFile(f"{WORKBOOK_DIR}/{path.name}", src_dir=str(out), dest_dir=config.site_dir,
                                               use_directory_urls=config.use_directory_urls)
            files.append(file)
            self.workbooks[file.src_uri] = path

    # ---------------------------------------------------------------- events

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is `mkdocs serve`: its pages change under the reader, so no offline copy is kept."""
        del dirty
        self.live = command == "serve"

    def on_shutdown(self) -> None:
        """`mkdocs serve` ends: MkDocs may reuse this plugin instance for a later build in the same process."""
        self.live = False

    @property
    def offline(self) -> bool:
        """Whether this build writes the service worker (the `offline` option, and not under `mkdocs serve`)."""
        return bool(self.config.offline) and not self.live

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load the rules and the content once; any content problem stops the build."""
        if not self.config.enabled:
            return None
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.pages, self.problems, self.files = {}, [], None
        self.nav, self.structure, self.progress_page = None, None, None
        content, rules = Path(self.config.content), Path(self.config.rules)
        cache = _cache_root()
        file_digests.use_store(cache)
        self.course_key = build_cache.course_key(content, rules)
        try:
            course = build_cache.load_course(cache / "course" if cache is not None else None, self.course_key,
                                             lambda: Course.load(content, rules))
        except ContentError as exc:
            problem = exc.problem()
            raise PluginError(_format_problems([self._problem(problem.message, problem.file, problem.line)],
                                               "quizkit: the rules file is invalid")) from None
        checks = _check_cache()
        # The whole check depends on the course and the lesson pages it scans for typed figures: kept by both.
        lessons = [[str(page), page.read_text(encoding="utf-8")] for page in lesson_pages(course)]
        problems = cached_problems(checks, ["course", self.course_key, lessons],
                                   lambda: check_course(course, cache=checks))
        if problems:
            located = [self._problem(p.message, p.file, p.line) for p in problems]
            raise PluginError(_format_problems(located, "quizkit: content problems"))
        self.course = course
        self.quiz_data = dict(course.compiled_quizzes)
        markdown_quizzes = [qid for qid, quiz in course.quizzes.items() if quiz.format == "markdown"]
        if markdown_quizzes:
            md = markdown_lib.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

            def convert(text: str) -> str:
                return str(md.reset().convert(text))

            for quiz_id in markdown_quizzes:
                self.quiz_data[quiz_id] = render_texts(course.compiled_quizzes[quiz_id], convert)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        """Rebuild when the rules or the content change under `mkdocs serve`."""
        del config, builder
        if self.config.enabled:
            server.watch(self.config.content)
            server.watch(self.config.rules)
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        """Add the reference page of the rules, and check that quiz sections name pages of the site."""
        if not self.config.enabled:
            return None
        course = self._course()
        existing = files.get_file_from_path(REFERENCE_PAGE)
        if existing is not None:
            log.info("quizkit: %s is generated from the rules; the file in docs/ is ignored", REFERENCE_PAGE)
            files.remove(existing)
        extensions = {str(ext) for ext in config.markdown_extensions}
        content = reference_markdown(course.rules, admonition="admonition" in extensions, attr_list="attr_list" in extensions)
        files.append(File.generated(config, REFERENCE_PAGE, content=content))
        self._add_workbooks(files, config)
        self.files = files
        for quiz_id, compiled in course.compiled_quizzes.items():
            for i, question in enumerate(compiled["questions"]):
                path = question["section"].partition("#")[0]
                target = files.get_file_from_path(path)
                if target is None or not target.is_documentation_page():
                    file, line = self._quiz_location(quiz_id, "questions", i, "section")
                    self.problems.append(self._problem(f"section '{question['section']}' is not a page of the site "
                                                       "(write it relative to docs/, like lessons/x.md#anchor)", file, line))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Keep the navigation: its page order is the order of the lessons."""
        del config, files
        if self.config.enabled:
            self.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Fill in rule values and turn embed markers into tokens; problems are kept for `on_env`."""
        del config, files
        if not self.config.enabled:
            return None
        if page.file.src_uri in self.workbooks:
            return ""  # a notebook (JSON), not Markdown: `on_page_content` gives its HTML
        offset = _front_matter_lines(page, markdown)
        nonce = hashlib.sha256(page.file.src_uri.encode()).hexdigest()[:8]
        course = self._course()
        processed = process(markdown, course.rules, find=course.embed_error, nonce=nonce, page=page.file.src_uri)
        file = page.file.abs_src_path or f"{page.file.src_uri} (generated by {page.file.generated_by})"
        shown = self._display(file)
        self.problems.extend(ContentProblem(p.message, shown, p.line + offset) for p in processed.problems)
        if processed.embeds:
            self.pages[page.file.src_uri] = _PageEmbeds(processed.embeds, shown, offset)
        return processed.markdown

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Swap each token for an empty slot, so no token text reaches the search index; wrap the tables (tables.py)."""
        del config, files
        if not self.config.enabled:
            return None
        notebook = self.workbooks.get(page.file.src_uri)
        if notebook is not None:
            page.present_anchor_ids = None  # not checked, as Markdown pages are
            cache = _cache_root()
            try:
                rendered = workbook_pages.show(page, notebook, cache / "workbook-pages" if cache is not None else None)
            except ValueError as exc:
                self.problems.append(ContentProblem(str(exc), self._display(str(notebook)), 1))
                return ""
            self.workbook_pages[page.file.src_uri] = rendered
            return rendered.content
        html_text = tables.wrap_tables(html_text)
        state = self.pages.get(page.file.src_uri)
        if state is None:
            return html_text
        for item in state.embeds:
            slot = f'<div class="quizkit-slot" data-quizkit-slot="{item.token}"></div>'
            paragraph = re.compile(rf"<p>\s*{item.token}\s*</p>")
            html_text, count = paragraph.subn(slot, html_text, count=1)
            if not count:
                html_text, count = re.subn(rf"\b{item.token}\b", slot, html_text, count=1)
            if count:
                state.slots[item.token] = item
            else:
                self.problems.append(ContentProblem(f"{item.kind}('{item.id}') could not be placed; put it on a line "
                                                    "of its own between blank lines", state.file, item.line + state.line_offset))
        return html_text

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        """Every page is read: check section anchors, report unused content, raise page problems, find the lessons."""
        if not self.config.enabled:
            return None
        if env.bytecode_cache is None:  # before any page is rendered: the theme's templates compile once, not every build
            cache = _cache_root()
            env.bytecode_cache = build_cache.TemplateCache(cache / "templates" if cache is not None else None)
        course = self._course()
        for quiz_id, compiled in course.compiled_quizzes.items():
            for i, question in enumerate(compiled["questions"]):
                path, _, anchor = question["section"].partition("#")
                target = files.get_file_from_path(path)
                page = target.page if target is not None else None
                anchors = page.present_anchor_ids if page is not None else None
                if anchor and anchors is not None and anchor not in anchors:
                    file, line = self._quiz_location(quiz_id, "questions", i, "section")
                    self.problems.append(self._problem(f"section '{question['section']}': {path} has no heading "
                                                       f"or anchor '#{anchor}'", file, line))
        embedded = {(item.kind, item.id) for state in self.pages.values() for item in state.embeds}
        for kind, table in (("quiz", course.quizzes), ("exercise", course.exercises)):
            for item_id in table:
                if (kind, item_id) not in embedded:
                    source = self._display(course.files[f"{kind}:{item_id}"])
                    log.warning("quizkit: %s '%s' (%s) is not embedded in any page", kind, item_id, source)
        if self.problems:
            problems = sorted(set(self.problems), key=lambda p: (p.file, p.line, p.message))
            raise PluginError(_format_problems(problems, "quizkit: problems in pages"))
        self.structure = self._structure(config)
        self.assets_version = progress.assets_version(ASSET_DIR / "progress", *(ASSET_DIR / name for name in ASSETS))
        self.build = runtime.build_id(course.rules, pyodide_url=self.config.pyodide_url)
        if self.widgets_for != f"{self.course_key}-{self.build}":
            self.widgets_for, self.widgets_added = f"{self.course_key}-{self.build}", False
            cache = _cache_root()
            self.widgets = build_cache.read_json(cache / "widgets" / f"{self.widgets_for}.json") if cache else {}
        return env

    def _structure(self, config: MkDocsConfig) -> progress.Structure:
        """The lessons in navigation order: nav pages that embed something (front matter `progress` decides too)."""
        course = self._course()
        lessons = []
        progress_url = None
        pages = self.nav.pages if self.nav is not None else []
        for page in pages:
            state = self.pages.get(page.file.src_uri)
            embeds = state.embeds if state else []
            if any(item.kind == "progress" for item in embeds):
                self.progress_page, progress_url = page.file.src_uri, page.url
                continue
            tracked = page.meta.get("progress", bool(embeds))
            if not isinstance(tracked, bool):
                self.problems.append(self._problem("front matter 'progress' must be true or false",
                                                   page.file.abs_src_path or page.file.src_uri, 1))
                continue
            if not tracked:
                continue
            lessons.append(progress.Lesson(
                url=page.url, title=progress.plain_text(page.title or page.file.name),
                exercises=tuple(progress.Item(id=item.id, title=course.exercise(item.id).title)
                                for item in embeds if item.kind == "exercise"),
                quizzes=tuple(progress.quiz_item(item.id, course.compiled_quizzes[item.id])
                              for item in embeds if item.kind == "quiz"),
                activity=any(item.kind == "activity" for item in embeds),
            ))
        if self.problems:
            raise PluginError(_format_problems(self.problems, "quizkit: problems in pages"))
        quiz_keys = tuple((quiz_id, progress.quiz_item(quiz_id, compiled).key)
                          for quiz_id, compiled in sorted(course.compiled_quizzes.items()))
        return progress.Structure(course=config.site_name, lessons=tuple(lessons), exercise_ids=tuple(sorted(course.exercises)),
                                  quiz_keys=quiz_keys, progress_url=progress_url, read_seconds=self.config.read_seconds,
                                  offline=self.offline)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put the widgets in their slots and load their stylesheet and scripts, on this page only.

        Every page also gets the course structure and the progress script (with its stylesheet).
        """
        del config
        if not self.config.enabled or self.structure is None:
            return None
        if page.file.src_uri in self.workbooks:
            workbook_pages.copy_source(page, self.workbooks[page.file.src_uri])
        state = self.pages.get(page.file.src_uri)
        course = self._course()
        kinds = set()
        build = self.build
        for token, item in (state.slots if state else {}).items():
            kinds.add(item.kind)
            if item.kind == "quiz":
                widget = quiz_html(quiz_payload(self.quiz_data[item.id], lambda section: self._section_link(section, page)))
            elif item.kind == "activity":
                links = self._activity_links(page)
                widget = self._widget(item, partial(activity.activity_html, course.rules, build, links),
                                      " ".join(links.values()))
            elif item.kind == "progress":
                links = {lesson.url: get_relative_url(lesson.url or ".", page.url) for lesson in self.structure.lessons}
                widget = progress.progress_html(self.structure, link=links)
            else:
                exercise = course.exercise(item.id)
                reference = self._section_link(REFERENCE_PAGE, page).href
                widget = self._widget(item, partial(embed.exercise_html, exercise, rules=course.rules, build=build,
                                                    reference=reference), reference)
            output = output.replace(f'<div class="quizkit-slot" data-quizkit-slot="{token}"></div>', widget, 1)
        styles = list(STYLESHEETS) if kinds - {"progress"} else []
        scripts = list(QUIZ_SCRIPTS) if "quiz" in kinds else []
        runtime_styles: list[str] = []
        runtime_scripts: list[str] = []
        render_blocking = set(scripts)
        if "exercise" in kinds:
            runtime_styles += embed.EXERCISE_STYLES
            runtime_scripts += embed.EXERCISE_SCRIPTS
            render_blocking.update(embed.EXERCISE_SCRIPTS)
        if "activity" in kinds:
            runtime_styles += activity.ACTIVITY_STYLES
            runtime_scripts += activity.ACTIVITY_SCRIPTS
        head = "".join(f'<link rel="stylesheet" href="{self._versioned(url, page)}">'
                       for url in (*styles, *progress.PROGRESS_STYLES)) + self._workbook_style(page)
        head += "".join(f'<link rel="stylesheet" href="{self._versioned(url, page, build)}">' for url in runtime_styles)
        # The quiz is built by its script: in the head and render-blocking, it runs before the first paint
        # (a module runs once the page is parsed), so nothing below a quiz in view jumps (Lighthouse: CLS).
        # The widgets' scripts in the head too: modules run in document order once the page is parsed, so these
        # mount the widgets before Material's script (at the end of the body) takes its 0.2 s of main thread.
        # The exercises' script is render-blocking as well, so they mount before the first layout rather than
        # after a first paint without them: one in view (a link not known to be fast) starts Python once that
        # layout says so. At 50 Mbit/s lesson 1 was ready 43-114 ms sooner with the link unknown, the same with
        # it measured, and first painted at the same time (README "What each choice saves"). Not the activity's:
        # its Python waits for the form, not for the view, and its blocking time rose from 4 to 56 ms.
        def script(url: str, src: str) -> str:
            blocking = ' blocking="render"' if url in render_blocking else ""
            return f'<script type="module"{blocking} src="{src}"></script>'

        head += "".join(script(url, self._versioned(url, page)) for url in scripts)
        head += "".join(script(url, self._versioned(url, page, build)) for url in runtime_scripts)
        body = progress.course_json(self.structure, page_url=page.url, base=get_relative_url(".", page.url))
        body += "".join(f'<script type="module" src="{self._versioned(url, page)}"></script>'
                        for url in progress.PROGRESS_SCRIPTS)
        before_head, _, after_head = output.partition("</head>")
        if runtime_scripts:  # Python starts first, before the page's stylesheets and scripts load
            start = embed.early_start(get_relative_url(SITE_ASSET_DIR, page.url) + "/", build,
                                      () if self.config.pyodide_url else runtime.ASKED_FOR_BY_THE_PAGE)
            opening, charset, rest = before_head.partition('<meta charset="utf-8">')
            before_head = f"{opening}{charset}{start}{rest}" if charset else before_head.replace("<head>", f"<head>{start}", 1)
        before_body, _, after_body = after_head.rpartition("</body>")
        return f"{before_head}{head}</head>{before_body}{body}</body>{after_body}"

    @event_priority(-100)  # after every other plugin has written its files: the service worker lists them all
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Copy the widgets' assets, write the Python runtime and, last, the service worker."""
        if not self.config.enabled:
            return
        cache = _cache_root()
        if self.widgets_added and cache is not None:
            build_cache.write_json(cache / "widgets" / f"{self.widgets_for}.json", self.widgets)
            self.widgets_added = False
        site = Path(config.site_dir)
        target = site / SITE_ASSET_DIR
        target.mkdir(parents=True, exist_ok=True)
        for name in ASSETS:
            shutil.copy2(ASSET_DIR / name, target / name)
        for name in progress.ASSETS:
            shutil.copy2(ASSET_DIR / "progress" / name, target / name)
        runtime_files = runtime.write_runtime(site, self._course().rules, pyodide_url=self.config.pyodide_url)
        workbook_styles = {rendered.stylesheet: rendered for rendered in self.workbook_pages.values()}  # one for all
        for rendered in workbook_styles.values():
            workbook_pages.write_stylesheet(site, rendered)
        if self.offline:
            offline.write_service_worker(site, runtime_files, isolation=self.config.offline_isolation, config=config,
                                         versioned={**{f"{SITE_ASSET_DIR}/{name}": self.assets_version
                                                       for name in (*ASSETS, *progress.ASSETS)}, **runtime_files.widgets,
                                                    **{path: rendered.digest for path, rendered in workbook_styles.items()}})
        else:
            offline.retire_service_worker(site)
        file_digests.save()

    def _workbook_style(self, page: Page) -> str:
        """The link to the converter's CSS on a workbook's page (one file for every workbook: `Rendered.css`), else ""."""
        workbook = self.workbook_pages.get(page.file.src_uri)
        if workbook is None:
            return ""
        return f'<link rel="stylesheet" href="{self._versioned(workbook.stylesheet, page, workbook.digest)}">'

    def _widget(self, item: Embed, make: Callable[[], str], where: str = "") -> str:
        """The markup of an exercise or the activity: made once per course, runtime build and `where` its links lead."""
        key = f"{item.kind}:{item.id}:{where}"
        if not isinstance(self.widgets.get(key), str):
            self.widgets[key], self.widgets_added = make(), True
        return self.widgets[key]

    def _activity_links(self, page: Page) -> dict[str, str]:
        """The lesson sections the activity's results link to, relative to `page`: those the site has."""
        path = activity.BOOST_SECTION.partition("#")[0]
        if self.files is None or self.files.get_file_from_path(path) is None:
            return {}
        return {"boost_worth_it": self._section_link(activity.BOOST_SECTION, page).href}

    def _versioned(self, url: str, page: Page, version: str | None = None) -> str:
        """`url` relative to `page`, with `?v=` and a hash of what it is made from: never an old copy from a cache.

        The runtime's files (exercise, activity) carry the runtime's build id; the others a hash of the
        quiz and progress assets.
        """
        return f"{get_relative_url(url, page.url)}?v={version or self.assets_version}"

    # ---------------------------------------------------------------- quiz links

    def _section_link(self, section: str, page: Page) -> SectionLink:
        """A question's `lessons/x.md#anchor` as a URL relative to `page`, with the heading's text."""
        path, _, anchor = section.partition("#")
        target = self.files.get_file_from_path(path) if self.files is not None else None
        if target is None:  # pragma: no cover - on_files reported it and on_env stopped the build
            return SectionLink(href=section, title=section)
        href = get_relative_url(target.url, page.url) + (f"#{anchor}" if anchor else "")
        target_page = target.page
        title = None
        if target_page is not None:
            title = (_anchor_title(target_page.toc, anchor) if anchor else None) or target_page.title
        return SectionLink(href=href, title=title or path)
