"""`serve --dirty`: the pages of a rebuild rendered after the browser is told to reload.

A save changes a publication; the pages that show it (listings, other publications' "Have you
read?", an author's page: up to every page that author signed) follow from it. Working out every
page's fingerprint and rendering those that changed took most of a rebuild. So the preview's
rebuild only reads the site and converts the publications that changed (their bodies make the
feeds and the search index), and the browser is told to reload then. Every page is *pending*: its
fingerprint is worked out, and the page rendered if it changed, by whichever comes first:

- a request for it (the server calls :meth:`Later.settle` before it reads the file: a pending
  page is never served as it was), or
- a thread that goes through every pending page once the build is done.

The feeds, embeds and other extra outputs are written by that thread first (a request for one of
them waits for them). Hugo's server does the like ("fast render mode": the pages being viewed
first). A new build cancels what is left (:meth:`Later.cancel`): it works out its own pending
pages from the fingerprints of what is on disk, so a page cancelled before it was settled is
pending again. ``build --dirty``, and a server whose requests cannot be seen, leave nothing for
later: every changed page is rendered in the build.
"""

from __future__ import annotations

import importlib
import logging
import os
import posixpath
import threading
import time
from typing import Callable

from mkdocs.structure.files import InclusionLevel

log = logging.getLogger("mkdocs.plugins.smartnotes")

# The thread starts this long after the reload: the browser's own request for the page it shows
# comes within tens of milliseconds, and has the interpreter to itself meanwhile.
GRACE = 0.25


class Later:
    """The pending pages of the last build, and the thread that settles them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one page is settled at a time; a new build waits for it
        self.outputs_lock = threading.Lock()  # the extra outputs: written beside the pages, not between them
        self.asking: list[object] = []  # requests waiting for a page: the thread lets them go first
        self.pending: dict[str, tuple[object, Callable[[], str]]] = {}  # dest path -> (file, its fingerprint)
        self.rendered: dict[str, str] = {}  # dest path -> fingerprint of the page on disk (PreviewState.pages)
        self._render: Callable[[object], None] | None = None
        self._thread: threading.Thread | None = None
        self._outputs: Callable[[], None] | None = None  # the build's extra outputs, not yet written
        self.extras: set[str] = set()  # what they may write over: the last build's extra outputs
        self.former: set[str] = set()  # everything the last build made
        self.claimed: set[str] = set()  # what this build's extra outputs may write (SiteBuild.output_paths)
        self.claimed_folders: tuple[str, ...] = ()
        self.autostart = True  # tests settle by hand (settle, run) to see a request's own path
        self.failed: list[str] = []  # pages whose rendering failed in the background (also logged)
        self.broken = False  # the extra outputs failed (logged): the next build is a full one
        self._stopped = threading.Event()  # set by cancel: the thread's grace is cut short

    def add(self, file, fingerprint: Callable[[], str]) -> None:
        self.pending[file.dest_uri] = (file, fingerprint)

    def begin(self, render: Callable[[object], None], rendered: dict[str, str],
              outputs: Callable[[], None] | None = None, extras: set[str] = frozenset(),
              former: set[str] = frozenset(), claimed: set[str] = frozenset()) -> None:
        """The build is done: in the background, write its extra outputs (``outputs()``: feeds,
        embeds; ``extras`` are the files the last build's wrote, ``former`` all it made,
        ``claimed`` what this build's may write: a folder ends in "/"), then settle its pending pages,
        by ``render(file)`` (the engine's own page rendering), keeping ``rendered`` (the state's
        fingerprints: for a pending page, of the page on disk) true."""
        with self.outputs_lock, self.lock:  # a request already waiting sees all of it, or none
            self.rendered, self.failed, self.extras, self.former = rendered, [], extras, former
            self.claimed = {p for p in claimed if not p.endswith("/")}
            self.claimed_folders = tuple(p for p in claimed if p.endswith("/"))
            self._render, self._outputs = render, outputs
        self._stopped.clear()
        if (self.pending or outputs is not None) and self.autostart:
            self._thread = threading.Thread(target=self.run, name="smartnotes-pages", daemon=True)
            self._thread.start()

    def settle(self, dest: str) -> None:
        """A request for ``dest`` (a site-relative path): if it is pending, it is put right first."""
        if dest not in self.pending:  # a dict lookup: no lock for the many requests that need none
            return
        token = object()
        self.asking.append(token)  # (appending to and removing from a list: atomic, without a lock)
        try:
            with self.lock:
                item = self.pending.get(dest) if self._render is not None else None
                if item is not None:
                    self._settle(dest, *item)
        finally:
            self.asking.remove(token)

    def settle_output(self, rel: str, exists: bool) -> None:
        """A request for ``rel``, not a page: if the extra outputs are not written yet and it may be
        one of them (one of the last build's, one this build's may write, as a renamed note's
        redirect at its old address, or not there and not made by the last build either), they are
        written first. A deleted publication's page gives its 404 at once."""
        if self._outputs is not None and (rel in self.extras or rel in self.claimed
                                          or rel.startswith(self.claimed_folders)
                                          or not (exists or rel in self.former)):
            with self.outputs_lock:
                self._write_outputs()

    def _write_outputs(self) -> None:
        """(Holding ``outputs_lock``.) ``_outputs`` is cleared once they are written: a request that
        sees it set waits for the lock, while they are being written."""
        if self._outputs is None:
            return
        try:
            self._outputs()
        except Exception as exc:  # noqa: BLE001 (logged; the next build is a full one)
            self.broken = True
            log.error("the preview could not write its feeds, embeds and other outputs: %s", exc)
        finally:
            self._outputs = None

    def run(self) -> None:
        """Write the extra outputs, then settle every pending page, one at a time (a request or a
        new build waits one page at most)."""
        if self.autostart and self._stopped.wait(GRACE):
            return
        with self.outputs_lock:
            self._write_outputs()
        while True:
            if self.asking:  # a request is waiting for its page (a lock is not fair: it goes first)
                time.sleep(0.001)
                continue
            with self.lock:
                if not self.pending or self._render is None:
                    return
                dest = next(iter(self.pending))
                self._settle(dest, *self.pending[dest])

    def _settle(self, dest: str, file, fingerprint: Callable[[], str]) -> None:
        """(Holding ``lock``.) The page stays pending until it is written: a request for it meanwhile
        waits for the lock. A failure is logged: the file on disk is served, and with no fingerprint
        on record the next build renders it again."""
        try:
            before = self.rendered.pop(dest, None)
            made = fingerprint()
            if made != before or not os.path.isfile(file.abs_dest_path):
                self._render(file)
            self.rendered[dest] = made
        except Exception as exc:  # noqa: BLE001 (a template error, a disk full: the preview goes on)
            self.failed.append(dest)
            log.error("the preview could not render %s: %s", dest, exc)
        finally:
            self.pending.pop(dest, None)

    def cancel(self) -> None:
        """A new build starts: what is still pending is left (its fingerprint on record is the one of
        the page on disk, so the new build finds it again); the page being settled is finished."""
        self._stopped.set()
        with self.outputs_lock, self.lock:
            self.pending.clear()
            self._render = self._outputs = None
        self.wait()

    def wait(self, timeout: float | None = 600) -> None:
        """Until the background thread has settled every page (or was cancelled)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)


def page_renderer(config, files, nav, env) -> Callable[[object], None]:
    """Render one page of this build as the engine's build does (read, convert, template, write),
    with the engine's own functions (MkDocs's or ProperDocs's: the module of its config)."""
    engine = importlib.import_module(f"{type(config).__module__.split('.')[0]}.commands.build")
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)  # as `serve` builds them

    def render(file) -> None:
        engine._populate_page(file.page, config, files)
        engine._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())

    return render


def settle_before_serving(server, later: Later) -> bool:
    """Make the server put a pending page right before it serves it: its request handler is wrapped
    (MkDocs 1.6's and ProperDocs's ``LiveReloadServer``). False, and nothing changed, where the server
    is not that one: then nothing may be left pending (every page is rendered in the build)."""
    serve = getattr(server, "_serve_request", None)
    cond = getattr(server, "_epoch_cond", None)
    mount = getattr(server, "mount_path", None)
    if (serve is None or cond is None or not isinstance(mount, str) or not isinstance(getattr(server, "root", None), str)
            or not callable(getattr(server, "_inject_js_into_html", None))
            or not all(hasattr(server, name) for name in ("_visible_epoch", "_wanted_epoch"))):
        return False

    settled = threading.local()  # the version of the site a request's page was put right for
    inject = server._inject_js_into_html

    def inject_settled(content, epoch):
        # A save after the page was put right: the page may be as it was before that save. It says
        # it is of the version it was put right for, so the browser reloads once the newer is built.
        return inject(content, min(epoch, getattr(settled, "epoch", epoch)))

    def serve_request(environ, start_response):
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
        if (path + "/").startswith(mount) and not path.startswith("/livereload/"):
            with cond:  # a build under way: what it leaves pending, not what the last one did
                cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
                settled.epoch = server._visible_epoch
            if later.pending or later._outputs is not None:
                rel = path[len(mount):] + ("index.html" if path.endswith("/") else "")  # as the server finds it
                rel = posixpath.normpath("/" + rel).lstrip("/")
                page = rel if rel in later.pending else f"{rel}/index.html" if f"{rel}/index.html" in later.pending else None
                if page is not None:
                    later.settle(page)
                else:
                    later.settle_output(rel, os.path.exists(os.path.join(server.root, rel)))
        try:
            return serve(environ, start_response)
        finally:
            settled.__dict__.pop("epoch", None)

    server._serve_request = serve_request
    server._inject_js_into_html = inject_settled
    return True


def stop_before_building(server, *stops: Callable[[], None]) -> None:
    """Each rebuild first stops what the last one left running (its pending pages, its search
    index): before the server reads the configuration again, not after (the threads would hold
    the interpreter meanwhile). Each stop is called again by the build itself: this is earlier."""
    builder = getattr(server, "builder", None)
    if not callable(builder):
        return

    def build() -> None:
        for stop in stops:
            stop()
        builder()

    server.builder = build
