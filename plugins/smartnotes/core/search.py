"""Search (issue 5): what Pagefind indexes for each publication, and the index build.

Pagefind reads the built publication pages.  ``theme/publication.html`` marks
the article as the page's searchable body (title, byline, summary, body,
topics, countries, organisations; not "Have you read?" or the share links)
and writes :func:`search_record` as ``data-pagefind-*`` attributes.  Only
publication pages are given to Pagefind, so listings, taxonomy pages and
the about page never crowd the results.

The index is built while the site renders (issue 7): :class:`PagefindIndexer`
runs ``pagefind --service`` beside the build and hands it each publication
page as soon as it is rendered, so Pagefind reads and indexes on the second
core while MkDocs renders on the first, and it can write its bundle while
the rest of the site (listings, feeds, embeds) is made.  Pagefind numbers
pages in the order they arrive; publications arrive newest first, so a
search without words (filters only) lists them newest first with no sort
index in the bundle (it cost 23 KB gzipped at 10,000 publications, on
every first search).

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
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .model import Publication
from .pages import human_date

BUNDLE_DIR = "pagefind"  # where the index lands in the site: /pagefind/pagefind.js

# Parts of a publication page that are not its own text: other publications'
# titles ("Have you read?") would make it match their words.  A feature that
# adds such a part inside the article adds its selector here.
EXCLUDE_SELECTORS = (".sn-share", ".sn-embed", ".sn-related", ".sn-referenced-in", ".sn-download",
                     ".sn-draft-banner")

# Filters the search box offers, in order: (key in the index, label, "any" option).
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("kind", "Kind", "All kinds"),
    ("year", "Year", "All years"),
    ("country", "Country", "All countries"),
    ("tag", "Topic", "All topics"),
    ("author", "Author", "All authors"),
)


@dataclass(frozen=True)
class SearchRecord:
    """Metadata shown in a result, and filter values, of one publication."""

    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def search_record(publication: Publication) -> SearchRecord:
    return SearchRecord(
        meta={
            "title": publication.title,
            "kind": publication.kind_label,
            "date": publication.date.isoformat(),
            "date_label": human_date(publication.date),
        },
        filters={
            "kind": (publication.kind_label,),
            "year": (str(publication.year),),
            "country": tuple(t.name for t in publication.countries),
            "tag": tuple(t.name for t in publication.tags),
            "author": tuple(a.name for a in publication.authors),
        },
    )


def search_filters() -> list[dict[str, str]]:
    """The filter menus of the search box, as template data."""
    return [{"key": key, "label": label, "any": any_label} for key, label, any_label in FILTERS]


# ``theme/publication.html`` marks the article, the one part of a publication
# page Pagefind reads (``data-pagefind-body``).  Handing Pagefind just that
# part spares it parsing the header, navigation and footer of every page:
# a fifth of its time (500 pages: 2.3 s whole, 1.8 s cut).
INDEXED_START, INDEXED_END = "<!--sn-search-->", "<!--/sn-search-->"


def indexed_part(page_html: str, language: str = "") -> str:
    """The page as Pagefind needs it: the marked article in a bare document (the whole page if unmarked).

    The outermost marks are the template's: the first opening one comes
    before the article's body and the last closing one after it, whatever
    the body itself contains.
    """
    start, end = page_html.find(INDEXED_START), page_html.rfind(INDEXED_END)
    if start < 0 or end < start:
        return page_html
    lang = f' lang="{language}"' if language else ""
    return f"<!DOCTYPE html><html{lang}><body>{page_html[start + len(INDEXED_START):end]}</body></html>"


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

    ``add`` sends a rendered page and returns at once; a reader thread takes
    Pagefind's replies.  ``write`` asks for the bundle as soon as every page
    sent so far is indexed (Pagefind would otherwise write whatever it has
    by then), and ``bundle`` waits for it.  A page Pagefind refuses, or
    Pagefind stopping, is a :class:`SearchIndexError` naming the pages.
    No lock is held while writing to Pagefind, so the reader always drains
    its replies and neither side can block the other.
    """

    def __init__(self, language: str = "", executable: Path | None = None):
        self._errors = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [str(executable or pagefind_executable()), "--service"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
        )
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._changed = threading.Condition()
        self._replies: dict[int, dict] = {}  # message id -> reply, for messages someone waits on
        self._pages: dict[int, str] = {}  # message id -> URL, of pages not yet answered
        self._refused: list[str] = []  # "URL: Pagefind's message"
        self._writer: threading.Thread | None = None
        self._write: tuple[int, Path] | None = None  # the WriteFiles message, once sent
        self._stopped = False
        threading.Thread(target=self._read, name="pagefind-replies", daemon=True).start()
        config = {"exclude_selectors": list(EXCLUDE_SELECTORS)}
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
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_when_indexed, args=(output_dir,),
                                            name="pagefind-write", daemon=True)
            self._writer.start()

    def bundle(self) -> dict[str, Path]:
        """Wait for the bundle; its files by path relative to the output folder (POSIX)."""
        if self._writer is None:
            raise RuntimeError("write() first")
        self._writer.join()
        if self._write is None:
            self._fail()
        message_id, output_dir = self._write
        self._wait(message_id)
        if self._refused:
            raise SearchIndexError("Pagefind could not index " + "; ".join(sorted(self._refused)))
        return {p.relative_to(output_dir).as_posix(): p for p in sorted(output_dir.rglob("*")) if p.is_file()}

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._errors.close()

    # -- the protocol --------------------------------------------------------

    def _write_when_indexed(self, output_dir: Path) -> None:
        with self._changed:
            self._changed.wait_for(lambda: not self._pages or self._stopped)
            if self._stopped:
                return
        try:
            message_id = self._send({"type": "WriteFiles", "index_id": self._index,
                                     "output_path": str(output_dir)})
        except SearchIndexError:
            return  # bundle() reports it
        self._write = (message_id, output_dir)

    def _send(self, payload: dict, message_id: int | None = None) -> int:
        message_id = next(self._ids) if message_id is None else message_id
        message = base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode())
        try:
            with self._send_lock:
                self._process.stdin.write(message + b",")
                self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            self._fail()
        return message_id

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
