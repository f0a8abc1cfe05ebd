"""MkDocs adapter: each event hands the work to the build (``smartnotes/build.py``).

gather content -> mount it as files -> feed search -> page data for templates
-> extra outputs after the build. Nothing here decides what the site holds.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..analytics.providers import analytics_problems
from ..build import ConfigError, SiteBuild, read_plugin_options, settings_of
from ..preview.state import save_state, take_state
from ..runtime.output import SiteWriter
from ..runtime.staging import StagedSite
from .config import SmartNotesConfig, as_written
from .files import engine_claims, mount, render_blank_without_converter
from .incremental import Incremental
from .later import GRACE, page_renderer, settle_before_serving, stop_before_building
from .templates import article_renderer, plugin_errors, prepare


class SmartNotesPlugin(BasePlugin[SmartNotesConfig]):
    serving = False  # `mkdocs serve`: show drafts, report problems without stopping
    dirty = False  # `--dirty`: only what changed (an engine that never calls on_startup builds all)
    build: SiteBuild | None = None

    staged: StagedSite | None = None  # `build`, `gh-deploy`: the site is built beside the last good one

    incremental: Incremental | None = None  # `serve --dirty`, `build --dirty`: only what changed is rendered again
    state_file: Path | None = None  # `build --dirty`: what it leaves the next one (beside the site folder)
    outputs = None  # the extra outputs of this build, when they are written after it (later.py)

    def on_startup(self, *, command, dirty) -> None:
        self.serving, self.dirty = command == "serve", dirty
        self.incremental = Incremental() if self.serving and dirty else None
        self.staged = self.state_file = None  # of an earlier command run by the same plugin (MkDocs keeps it)

    def on_config(self, config):
        if self.incremental is not None:  # the last build's pages still pending: left to this one
            self.incremental.later.cancel()
        self.on_build_error(error=None)  # of a `serve` rebuild that failed
        if not self.serving:
            self._stage(config)
        with plugin_errors():
            if problems := analytics_problems(config.extra):  # cookie-setting analytics only after consent
                raise ConfigError("\n".join(problems))
            options = read_plugin_options(as_written(self.config))
            settings = settings_of(options, Path(config.config_file_path).resolve().parent, Path(config.docs_dir),
                                   site_url=config.site_url or "", site_name=config.site_name,
                                   include_drafts=self.serving)
            self.build = SiteBuild(options, settings, serving=self.serving,
                                   description=config.site_description or "",
                                   language=config.theme.get("language") or "en",
                                   icon=config.theme.get("favicon") or "")
            self.build.stylesheets = [str(css) for css in config.extra_css]
            if self.incremental is not None:
                self.build.load_memo = self.incremental.state.load_memo
                self.build.related_memo = self.incremental.state.related
                self.build.defer_search = self.serving  # a built site's search is in it when it is done
        return config

    def _stage(self, config) -> None:
        """`build`: into a new folder beside the last good site, put in its place once it succeeded.
        `build --dirty`: into the site folder itself, as MkDocs does, rendering only what changed
        since the last `build --dirty` (by the state it left beside the folder, for this site
        folder, address, mode and code: else everything). A clean build removes that state."""
        site_dir = Path(config.site_dir)
        state_file = site_dir.parent / f".{site_dir.name}.smartnotes-state"
        if self.dirty:
            self.state_file, self.state_mode = state_file, _build_mode(config)
            self.incremental = Incremental(take_state(state_file, self.state_mode))
        else:
            state_file.unlink(missing_ok=True)
            self.staged = StagedSite(site_dir)
            config["site_dir"] = str(self.staged.building)

    def on_pre_build(self, *, config) -> None:
        if self.incremental is not None:
            self.incremental.start(config)
            self.build.load_memo = self.incremental.state.load_memo  # emptied by a full build
            self.build.related_memo = self.incremental.state.related

    def on_files(self, files, *, config):
        with plugin_errors():
            self.build.gather()
            for file in [f for f in files if f.abs_src_path and self.build.is_refused(f.abs_src_path)]:
                files.remove(file)  # a link out of the project: never copied, even by `serve` (issue 13)
            self.build.check_addresses(engine_claims(files, config))
        with self.build.timer.stage("files"):
            self.pages = mount(files, config, self.build.catalog, self.build.assets, self.build.settings,
                               self.build.embeds.on, self.build.broken)
        self.files = files
        self.build.writer = SiteWriter(Path(config.site_dir), {f.dest_uri for f in files},
                                       self.incremental.state.written if self.incremental else None,
                                       self.incremental.state.sources if self.incremental else None)
        return files

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        if self.incremental is not None:  # every page is mounted: which ones to render again
            with plugin_errors():
                self.incremental.mark(files, config, self.build, self.pages)
        return nav

    @event_priority(100)  # before every plugin: the page phase starts (issue 7 timings)
    def on_pre_page(self, page, *, config, files):
        self.build.timer.mark("pages")
        render_blank_without_converter(page)
        if self.incremental is not None and (publication := self.pages.publication(page)) is not None:
            self.incremental.converted_before(page, publication)
        return page

    def on_page_read_source(self, *, page, config) -> str | None:
        """A publication was read and its front matter parsed once (content/load.py): MkDocs gets
        its body, not the file to read and parse again (issue 15)."""
        publication = self.pages.publication(page)
        return None if publication is None else "---\n{}\n---\n" + publication.body

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        self.pages.set_meta(page)
        publication = self.pages.publication(page)
        if publication is not None and markdown == publication.body.lstrip("\n"):
            return publication.body  # the same text (but blank lines before it): one copy kept, not two
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        publication = self.pages.publication(page)
        if publication is not None:
            self.build.html_of[publication.url] = html
            if self.incremental is not None:
                self.incremental.keep_body(publication, html, page)
        return html

    def on_env(self, env, *, config, files):
        self.env = prepare(env, config.theme.custom_dir, self.build.settings)
        if self.incremental is not None:
            self.incremental.prepare(env)
        article = article_renderer(env, files, config, self.build)
        if self.incremental is not None:  # the pages not converted again: as the last build made them
            self.incremental.fill(self.build)
            article = self.incremental.articles(self.build, article)
        with plugin_errors():
            self.build.feed_search(Path(config.site_dir), article)
        return env

    def on_template_context(self, context, *, template_name, config):
        context["sn"] = self.build.site_data()  # 404.html and other theme pages
        return context

    def on_page_context(self, context, *, page, config, nav):
        context["sn"] = self.build.page_data(self.pages.publication(page), self.pages.listing(page),
                                             page.url.removesuffix("index.html"))
        return context

    @event_priority(-100)  # after every plugin's page work: the "pages" span includes it
    def on_post_page(self, output: str, *, page, config) -> str:
        self.build.timer.mark("pages")
        return output

    @event_priority(0)
    def _write_outputs(self, *, config) -> None:
        self.outputs = self._outputs_step()
        if self.incremental is None or not self.incremental.defer:
            self.outputs()
            self.outputs = None
        # else: written after the reload, before any page left pending (later.py)

    def _outputs_step(self):
        """Every output besides the pages (SiteBuild.write_outputs), of this build."""
        build, env, incremental = self.build, self.env, self.incremental

        def write() -> None:
            with plugin_errors():
                render = lambda name, **context: env.get_template(name).render(**context)  # noqa: E731
                if incremental is not None:
                    render = incremental.memo_render(render)
                    build.feeds_memo = incremental.feeds_memo(build)
                build.write_outputs(render)
            if os.environ.get("SMARTNOTES_TIMINGS"):
                build.timer.write(os.environ["SMARTNOTES_TIMINGS"])

        return write

    @event_priority(-100)  # after every plugin wrote into the new site
    def _publish(self, *, config) -> None:
        if self.incremental is not None:
            incremental, files, writer = self.incremental, self.files, self.build.writer
            former = incremental.state.outputs  # (finish puts a new set in its place)
            incremental.finish(files, config, None if self.outputs else set(writer.written))
            if incremental.defer:  # the outputs and the pages left pending: from now on (later.py)
                outputs, self.outputs = self.outputs, None  # the thread's now (not kept past it)

                def write_outputs() -> None:
                    outputs()
                    incremental.outputs_written(files, config, set(writer.written))

                incremental.later.begin(page_renderer(config, files, self.nav, self.env), incremental.state.pages,
                                        write_outputs, incremental.state.extras, former, self.build.output_paths)
            if self.build.search_records is not None:  # the pages are served now; search follows
                self.incremental.search.hand_over(self.build.search.later(Path(config.site_dir)),
                                                  self.build.search_records, GRACE if incremental.defer else 0.0)
        if self.staged is not None:
            self.staged.publish()
            config["site_dir"] = str(self.staged.site_dir)  # `gh-deploy` pushes it next
        if self.state_file is not None:
            save_state(self.incremental.state, self.state_file, self.state_mode)

    on_post_build = CombinedEvent(_write_outputs, _publish)

    def on_build_error(self, *, error) -> None:
        if self.incremental is not None and error is not None:
            self.incremental.fail()
            if self.state_file is not None:  # `--strict` fails after the state was left: the next is full
                self.state_file.unlink(missing_ok=True)
        if self.build is not None:
            self.build.stop()
        if self.staged is not None:
            self.staged.restore()  # `--strict` fails after the last event: the old site returns

    def on_shutdown(self) -> None:
        """After every build, finished, failed or interrupted (Ctrl-C): nothing is left running or behind."""
        if self.incremental is not None:
            self.incremental.search.cancel()
            self.incremental.later.cancel()
        if self.build is not None:
            self.build.stop()
        if self.staged is not None:
            self.staged.finish()
            self.staged = None

    def on_serve(self, server, *, config, builder):
        if self.incremental is not None:
            watch_natively(server)
            # each rebuild's pages are put right after the reload, and before one is served (later.py)
            self.incremental.defer = settle_before_serving(server, self.incremental.later)
            stop_before_building(server, self.incremental.later.cancel, self.incremental.search.cancel)
        for collection in self.build.settings.collections:
            server.watch(str(self.build.settings.root / collection.folder))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server


def _build_mode(config) -> str:
    """What a `build --dirty` state was made for: the site folder and address, and the code that
    made it (the engine running, ours, MkDocs's, Material's, Python's): another's pages would
    differ (Material names the engine in every page's head)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        digest.update(path.read_bytes())
    versions = []
    for name in ("mkdocs", "mkdocs-material", "properdocs"):
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} none")
    return "|".join([type(config).__module__.split(".")[0], str(Path(config.site_dir).resolve()),
                     config.site_url or "", digest.hexdigest(),
                     *versions, sys.version])


def watch_natively(server) -> None:
    """`serve --dirty`: the file watcher is told of a save by the system (inotify, FSEvents,
    ReadDirectoryChangesW), not by MkDocs's polling, which looks at every file of the watched
    folders twice a second and, at 5,000 publications, took a third of the rebuild's time (the
    polling thread holds the interpreter while it looks). ``SMARTNOTES_WATCH=poll`` keeps the
    polling: where the system tells nothing, as for a folder mounted into a container. MkDocs
    makes its observer before any plugin runs and schedules its own folders on it: a new one is
    put in its place, not yet started, with those folders (by MkDocs 1.6's bookkeeping; where
    that is not there, as in another engine, the server is left as it is)."""
    watched = getattr(server, "_watched_paths", None)
    observer = getattr(server, "observer", None)
    if (os.environ.get("SMARTNOTES_WATCH", "").lower() == "poll" or not isinstance(watched, dict)
            or not isinstance(observer, BaseObserver) or observer.is_alive()):
        return
    counts = dict(watched)
    for path, times in counts.items():
        for _ in range(times):
            server.unwatch(path)
    server.observer = _FoldersNatively(observer)
    for path, times in counts.items():
        for _ in range(times):
            server.watch(path)


# The events of a save (an editor's, a rename, a deletion): MkDocs rebuilds on any event, and the
# system also tells of files opened and closed unwritten (each build reads every publication).
SAVES = (FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
         DirCreatedEvent, DirDeletedEvent, DirMovedEvent)


class _FoldersNatively:
    """What MkDocs's server asks of its observer, by two: the system's for folders, MkDocs's
    polling one for single files (mkdocs.yml: one look costs nothing, and a file an editor
    saves by replacing it is a new file the system would no longer report)."""

    def __init__(self, polling: BaseObserver) -> None:
        self.native, self.polling = Observer(), polling
        self._by: dict[int, BaseObserver] = {}  # id of a watch -> the observer it was given to

    def schedule(self, handler, path: str, recursive: bool = False):
        if os.path.isdir(path):  # what a save makes: not a file opened or read (as every build reads them)
            observer, told = self.native, {"event_filter": list(SAVES)}
        else:
            observer, told = self.polling, {}
        watch = observer.schedule(handler, path, recursive=recursive, **told)
        self._by[id(watch)] = observer
        return watch

    def unschedule(self, watch) -> None:
        self._by.pop(id(watch)).unschedule(watch)

    def start(self) -> None:
        self.native.start()
        self.polling.start()

    def stop(self) -> None:
        self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        self.native.join(timeout)
        self.polling.join(timeout)

    def is_alive(self) -> bool:
        return self.native.is_alive() or self.polling.is_alive()
