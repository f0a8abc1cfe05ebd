"""Pagefind beside the build (issue 5): one ``pagefind --service`` process.

The index is built beside the site (issues 5 and 7).  MkDocs converts every
page's Markdown before it renders any template, so the plugin renders each
article on its own (``sn-search-document.html``, a small template) as soon
as the pages are converted and hands them all to :class:`PagefindIndexer`,
which runs ``pagefind --service``.  Pagefind then indexes and writes its
bundle on the second core while MkDocs renders the pages on the first; the
bundle is written into a folder inside the site and moved into place.
Pagefind numbers pages in the order they arrive; publications arrive
newest first, so a search without words (filters only)
lists them newest first with no sort index in the bundle (it cost 23 KB
gzipped at 10,000 publications, on every first search).

The messages are Pagefind's service protocol, the one its own Python and
Node wrappers speak (base64 JSON, each followed by a comma).  The wrapper
itself is not used: its reader sleeps 100 ms before each response
(pagefind 1.5, ``PagefindService._wait_for_responses``), so 30 pages took
3.1 s and 10,000 would take over 1,000 s.

Pagefind's filter files and the hash in ``pagefind-entry.json`` differ from
one build to the next (Pagefind/pagefind#638: fragments are stable since
1.3, filter indexes are not); every page of the site stays byte-identical.
"""

from __future__ import annotations

import base64
import itertools
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Callable

BUNDLE_DIR = "pagefind"  # where the index lands in the site: /pagefind/pagefind.js


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the ``pagefind[bin]`` wheel (or $PAGEFIND_BINARY_PATH)."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError(
            "the Pagefind binary was not found — install it with `pip install 'pagefind[bin]'` "
            "or set PAGEFIND_BINARY_PATH"
        )
    return Path(executable)


class PagefindIndexer:
    """One ``pagefind --service`` process, fed page by page, that writes one bundle.

    ``add`` queues a page and returns at once: a sender thread writes the
    queue to Pagefind, which reads pages faster than we send them only some
    of the time (a full pipe must not stop the build), and a reader thread
    takes Pagefind's replies.  ``write`` queues the request for the bundle;
    the sender makes it once every page before it is indexed (Pagefind would
    otherwise write whatever it has by then), and ``bundle`` waits for it.
    A page Pagefind refuses, or Pagefind stopping, is a
    :class:`SearchIndexError` naming the pages.  No lock is held while
    writing to Pagefind, so the reader always drains its replies and neither
    side can block the other.
    """

    def __init__(self, language: str = "", exclude_selectors: tuple[str, ...] = (), executable: Path | None = None,
                 background: bool = False):
        self._errors = tempfile.TemporaryFile()
        command = [str(executable or pagefind_executable()), "--service"]
        if background and shutil.which("nice"):  # the preview's: the next rebuild comes first
            command = [shutil.which("nice"), "-n", "10", *command]
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
        )
        self._ids = itertools.count(1)
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()  # (message id, payload); the output folder (write); None (stop)
        self._changed = threading.Condition()
        self._replies: dict[int, dict] = {}  # message id -> reply, for messages someone waits on
        self._pages: dict[int, str] = {}  # message id -> URL, of pages not yet answered
        self._refused: list[str] = []  # "URL: Pagefind's message"
        self._write: tuple[int, Path] | None = None  # the WriteFiles message, once sent
        self._write_asked = False
        self._written = threading.Event()  # set once WriteFiles is sent, or can no longer be
        self._stopped = False
        threading.Thread(target=self._read, name="pagefind-replies", daemon=True).start()
        self._sender = threading.Thread(target=self._send_queued, name="pagefind-pages", daemon=True)
        self._sender.start()
        config = {"exclude_selectors": list(exclude_selectors)}
        if language:
            config["force_language"] = language
        self._index = self._wait(self._send({"type": "NewIndex", "config": config}))["index_id"]

    def add(self, url: str, html: str) -> None:
        """Index one page; ``url`` is site-relative (``notes/slug/``)."""
        message_id = next(self._ids)
        with self._changed:
            self._pages[message_id] = url
        self._send({"type": "AddFile", "index_id": self._index, "url": f"/{url}", "file_contents": html},
                   message_id)

    def write(self, output_dir: Path) -> None:
        """Have Pagefind write the bundle into ``output_dir`` once every page sent is indexed."""
        if not self._write_asked:
            self._write_asked = True
            self._outbox.put(output_dir)

    def bundle(self) -> dict[str, Path]:
        """Wait for the bundle; its files by path relative to the output folder (POSIX)."""
        if not self._write_asked:
            raise RuntimeError("write() first")
        self._written.wait()
        if self._write is None:
            self._fail()
        message_id, output_dir = self._write
        self._wait(message_id)
        if self._refused:
            raise SearchIndexError("Pagefind could not index " + "; ".join(sorted(self._refused)))
        return {p.relative_to(output_dir).as_posix(): p for p in sorted(output_dir.rglob("*")) if p.is_file()}

    def close(self) -> None:
        with self._changed:  # a sender waiting for pages gives up
            self._stopped = True
            self._changed.notify_all()
        self._outbox.put(None)
        self._sender.join(timeout=5)
        if self._sender.is_alive():  # stuck writing to a Pagefind that no longer reads
            self._process.kill()
            self._sender.join()
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except OSError:
                pass  # Pagefind stopped reading: it is killed below if still running
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._errors.close()

    # -- the protocol --------------------------------------------------------

    def _send(self, payload: dict, message_id: int | None = None) -> int:
        message_id = next(self._ids) if message_id is None else message_id
        self._outbox.put((message_id, payload))
        return message_id

    def _send_queued(self) -> None:
        """The sender thread: write each queued message; a write request waits for the pages before it."""
        try:
            while (item := self._outbox.get()) is not None:
                if isinstance(item, Path):
                    with self._changed:
                        self._changed.wait_for(lambda: not self._pages or self._stopped)
                        if self._stopped:
                            return
                    message_id = next(self._ids)
                    self._put(message_id, {"type": "WriteFiles", "index_id": self._index, "output_path": str(item)})
                    self._write = (message_id, item)
                    self._written.set()
                else:
                    self._put(*item)
        except (BrokenPipeError, OSError, ValueError):
            pass  # Pagefind stopped: the reader sees it, and whoever waits reports it
        finally:
            self._written.set()

    def _put(self, message_id: int, payload: dict) -> None:
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode())
        self._process.stdin.write(message + b",")
        self._process.stdin.flush()

    def _read(self) -> None:
        pending = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                self._take(json.loads(base64.b64decode(message)))
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def _take(self, reply: dict) -> None:
        payload = reply["payload"]
        message_id = reply.get("message_id")
        if message_id is None:  # Pagefind could not read the message: it quotes it back
            message_id = json.loads(payload.get("original_message") or "{}").get("message_id")
        with self._changed:
            url = self._pages.pop(message_id, None)
            if url is None:
                self._replies[message_id] = payload
            elif payload["type"] == "Error":
                self._refused.append(f"{url}: {payload.get('message')}")
            self._changed.notify_all()

    def _wait(self, message_id: int) -> dict:
        with self._changed:
            self._changed.wait_for(lambda: message_id in self._replies or self._stopped)
            reply = self._replies.pop(message_id, None)
        if reply is None:
            self._fail()
        if reply["type"] == "Error":
            raise SearchIndexError(f"Pagefind: {reply.get('message')}")
        return reply

    def _fail(self):
        """Pagefind stopped: say how, with what it printed."""
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        raise SearchIndexError(f"Pagefind stopped (exit code {code})" + (f": {said}" if said else ""))


def remove_stale_bundle(site_dir: Path) -> None:
    """`mkdocs build --dirty` and `serve` keep old files: an old index must not survive."""
    shutil.rmtree(site_dir / BUNDLE_DIR, ignore_errors=True)


class SearchBundle:
    """A Pagefind index built beside the build: written into a hidden folder inside the
    site (so that the finished bundle is moved into place, not copied) and installed at
    ``site/pagefind/`` once the site's other files are written."""

    def __init__(self, site_dir: Path, language: str, exclude_selectors: tuple[str, ...], background: bool = False):
        self.site_dir = Path(site_dir)
        self.indexer = PagefindIndexer(language, exclude_selectors, background=background)
        self.site_dir.mkdir(parents=True, exist_ok=True)
        self._folder = tempfile.TemporaryDirectory(prefix=".smartnotes-search-", dir=self.site_dir)

    def add(self, url: str, html: str) -> None:
        self.indexer.add(url, html)

    def write(self) -> None:
        """Every page is in: Pagefind writes its bundle meanwhile."""
        self.indexer.write(Path(self._folder.name) / BUNDLE_DIR)

    def finished(self) -> dict[str, Path]:
        """Wait for the bundle: its files, by path inside it."""
        return self.indexer.bundle()

    def install(self, files: dict[str, Path], claim) -> None:
        """``claim(path)`` each file in the site, then move the bundle into place."""
        for rel in files:
            claim(f"{BUNDLE_DIR}/{rel}")
        remove_stale_bundle(self.site_dir)
        os.replace(Path(self._folder.name) / BUNDLE_DIR, self.site_dir / BUNDLE_DIR)

    def close(self) -> None:
        self.indexer.close()
        self._folder.cleanup()


log = logging.getLogger("mkdocs.plugins.smartnotes")


class DeferredInstall:
    """The preview's search (`serve --dirty`): a rebuild serves its pages at once; then, in a
    thread of its own, a Pagefind at low priority is given the build's articles and its bundle
    installed, beside the next edits (so neither Pagefind nor the sending of a thousand
    articles to it slows the rebuild). A newer build cancels an older one's, so an older index
    never replaces a newer one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: object | None = None  # the token of the search under way
        self._bundle: SearchBundle | None = None
        self._thread: threading.Thread | None = None
        self.error: str = ""  # the last bundle's failure, if any (it is also logged)
        self._cancelled = threading.Event()  # cuts a grace short

    def hand_over(self, make_bundle: Callable[[], SearchBundle], records: list[tuple[str, str]],
                  grace: float = 0.0) -> None:
        """Index ``records`` ((URL, article HTML), newest first) in a bundle ``make_bundle()`` gives,
        and install it; ``grace`` seconds from now (the reloaded page is asked for first)."""
        self.cancel()
        token = self._current = object()
        self._cancelled.clear()

        def finish() -> None:
            if self._cancelled.wait(grace):
                return
            try:
                with self._lock:
                    if self._current is not token:
                        return
                    bundle = self._bundle = make_bundle()
                for url, html in records:
                    bundle.add(url, html)
                bundle.write()
                files = bundle.finished()
            except Exception as exc:  # noqa: BLE001 (a cancelled bundle fails in any way: its files are closed)
                with self._lock:
                    if self._current is token:
                        self.error = str(exc)
                        log.error("search (in the background): %s", exc)
                return
            with self._lock:
                if self._current is not token:
                    return  # cancelled: a newer build has its own
                bundle.install(files, lambda rel: None)
                self._current, self._bundle, self.error = None, None, ""
            bundle.close()

        self._thread = threading.Thread(target=finish, name="smartnotes-search", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled.set()
        with self._lock:
            bundle, self._current, self._bundle = self._bundle, None, None
        if bundle is not None:
            bundle.close()
        self.wait()

    def wait(self, timeout: float | None = 60) -> None:
        """Until the search handed over last is installed (or has failed)."""
        if self._thread is not None:
            self._thread.join(timeout)
