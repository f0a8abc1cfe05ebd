"""What a preview rebuild may skip: digests of every page's inputs, kept between rebuilds.

See README.md. Plain data only: the engine's side is ``mkdocs_adapter/incremental.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import posixpath
import re
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

from ..catalog.listings import Listing
from ..content.model import Publication

_PLAIN = (str, int, float, bool, type(None), datetime, date)
_CARD_FIELDS = tuple(f.name for f in dataclasses.fields(Publication) if f.name != "body")


def _hash(*parts: str | bytes) -> str:
    if all(isinstance(part, str) for part in parts):  # one encoding, one update: the common case
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


class Digests:
    """One build's digests of template data. A publication stands for its fields and whether it
    is visible now; a listing for its own fields, its members' digests and its children's; other
    data for its value (dataclasses by their fields, mappings and sequences in their order). An
    object whose value cannot be seen (a default ``repr``) gets a digest of its own each build:
    the page showing it is always rendered again, never stale."""

    def __init__(self, now: datetime):
        self.now = now
        self._of_id: dict[int, tuple[object, str]] = {}  # id -> (the object, kept alive; its digest)

    def publication(self, publication: Publication) -> str:
        """Every field but the body (which no template reads: the page shows its converted HTML,
        digested by ``PreviewState.body_key``), and whether it is visible now."""
        return self._memo(publication, lambda: _hash(
            repr([getattr(publication, name) for name in _CARD_FIELDS]), str(publication.is_visible(self.now))))

    def listing(self, listing: Listing) -> str:
        return self._memo(listing, lambda: _hash(
            repr((listing.key, listing.kind, listing.title, listing.url, listing.description, listing.label)),
            *[self.publication(p) for p in listing.publications], "children",
            *[self.listing(c) for c in listing.children]))

    def shown_listing(self, listing: Listing) -> str:
        """A listing as a page shows it: its fields, how many it holds, its children so, but not
        its members (a page shows those of its page of the listing: ``ListingPage.publications``,
        digested each; tests/test_preview.py holds the templates to that)."""
        return self._memo(listing, lambda: _hash(
            repr((listing.key, listing.kind, listing.title, listing.url, listing.description, listing.label,
                  len(listing.publications))),
            "children", *[self.shown_listing(c) for c in listing.children]), "shown")

    def of(self, value: object, shown: bool = False) -> str:
        """The digest of any template data: pickled (fast, in C), each publication and listing
        standing for its digest (``shown``: a listing for :meth:`shown_listing`, as the data of a
        page); by a walk if it cannot be pickled."""
        buffer = io.BytesIO()
        pickler = _Pickler(buffer, self, shown)
        try:
            pickler.dump(value)
        except Exception:  # noqa: BLE001 (something pickle refuses: walked instead)
            out: list[str] = []
            self._walk(value, out, shown)
            return _hash(*out)
        return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()

    @staticmethod
    def _plain_repr(value: object) -> str | None:
        """The repr of a sequence of plain values (or of tuples of them, such as "Have you read?"
        entries), else None: walked instead (its repr could be a publication's whole body)."""
        if not isinstance(value, (list, tuple)) or not all(
                isinstance(item, _PLAIN) or (isinstance(item, tuple) and all(isinstance(x, _PLAIN) for x in item))
                for item in value):
            return None
        text = repr(value)
        return None if " at 0x" in text else f"{type(value).__name__}:{text}"

    def of_parts(self, value: dict | list | tuple, shown: bool = False) -> str:
        """:meth:`of` a container, walked item by item (not memoised itself)."""
        text = self._plain_repr(value)
        if text is not None:
            return _hash(text)
        out: list[str] = [type(value).__name__]
        for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
            out.append(repr(key))
            self._walk(item, out, shown)
        return _hash(*out)

    def _memo(self, value: object, make: Callable[[], str], kind: str = "") -> str:
        key = (kind, id(value))
        kept = self._of_id.get(key)
        if kept is None:
            kept = self._of_id[key] = (value, make())
        return kept[1]

    def _walk(self, value: object, out: list[str], shown: bool = False) -> None:
        if isinstance(value, _PLAIN):
            out.append(f"{type(value).__name__}:{value!r}")
        elif isinstance(value, Publication):
            out.append("P" + self.publication(value))
        elif isinstance(value, Listing):
            out.append("S" + self.shown_listing(value) if shown else "L" + self.listing(value))
        elif isinstance(value, (dict, list, tuple)) and len(value) > 8:  # shared by many pages
            out.append("M" + self._memo(value, lambda: self.of_parts(value, shown), "shown" if shown else "parts"))
        elif (text := self._plain_repr(value)) is not None:
            out.append(text)
        elif isinstance(value, dict):
            out.append("{")
            for key, item in value.items():
                out.append(repr(key))
                self._walk(item, out, shown)
            out.append("}")
        elif isinstance(value, (list, tuple, set, frozenset)):
            out.append(f"{type(value).__name__}(")
            for item in (sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value):
                self._walk(item, out, shown)
            out.append(")")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out.append(type(value).__name__ + "(")
            for f in dataclasses.fields(value):
                out.append(f.name)
                self._walk(getattr(value, f.name), out, shown)
            out.append(")")
        else:
            text = repr(value)
            out.append(text if " at 0x" not in text else f"unseen:{id(value)}:{id(self)}")


def _stand_in(digest: str) -> str:
    """What a pickled publication or listing stands for: its digest (never unpickled)."""
    return digest


class _Pickler(pickle.Pickler):
    """Pickles without its memo (equal values give equal bytes, however they share objects),
    a publication or a listing as its digest (by the dispatch table, which the C pickler reads
    without calling back into Python for every other object, as ``persistent_id`` would)."""

    def __init__(self, buffer, digests: Digests, shown: bool = False):
        super().__init__(buffer, protocol=5)
        self.fast = True
        self.dispatch_table = {
            Publication: lambda value: (_stand_in, ("P" + digests.publication(value),)),
            Listing: (lambda value: (_stand_in, ("S" + digests.shown_listing(value),))) if shown
            else (lambda value: (_stand_in, ("L" + digests.listing(value),))),
        }


# Where a body's links may point: the target of a Markdown link or image, of a reference
# definition, of an HTML href/src, or an autolink. More is found than is a link (harmless).
_TARGET = re.compile(r"""(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|(?:href|src)\s*=\s*["']?|<)([^\s()<>"'\]]+)""",
                     re.MULTILINE | re.IGNORECASE)


def link_targets(source_path: str, markdown: str) -> list[str]:
    """The project-relative paths a body's relative links may resolve to (each once, in order)."""
    base = posixpath.dirname(source_path)
    found: dict[str, None] = {}
    for match in _TARGET.finditer(markdown):
        target = match.group(1)
        if "://" in target or target.startswith(("#", "mailto:", "tel:", "data:", "//")):
            continue
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if path:
            found[posixpath.normpath(posixpath.join(base, path.lstrip("/")))] = None
    return list(found)


def site_key(files: Iterable[Path]) -> str:
    """The digest of the files every page depends on (``mkdocs.yml``, the theme, a person's pages)."""
    parts: list[str | bytes] = []
    for path in sorted(files):
        try:
            parts += [str(path), path.read_bytes()]
        except OSError:
            parts += [str(path), "unreadable"]
    return _hash(*parts)


class PreviewState:
    """What one preview build leaves the next (kept by the plugin for the whole `serve`)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything: the next build is a full one, into a clean folder."""
        self.site_key: str | None = None
        self.load_memo: dict = {}  # content/load.py: each publication file as loaded
        self.related: dict = {}  # build.py: the last "Have you read?" lists and the key of their inputs
        self.pages: dict[str, str] = {}  # page's site-relative path -> fingerprint of its last rendering
        self.bodies: dict[str, tuple] = {}  # publication source path -> (body key, converted HTML, what MkDocs read in it)
        self.targets: dict[str, tuple[str, list[str]]] = {}  # source path -> (body, link_targets of it)
        self.articles: dict[str, tuple[str, str]] = {}  # publication URL -> (article key, search article)
        self.publications: dict[str, str] = {}  # publication source path -> its digest (Digests.publication)
        self.outputs: set[str] = set()  # every site-relative path the last build made
        self.extras: set[str] = set()  # of those, the extra outputs (feeds, embeds, cards...: SiteBuild.write_outputs)
        self.written: dict[str, str] = {}  # extra output's path -> digest of its bytes
        self.sources: dict[str, str] = {}  # extra output's path -> digest of what it was made from
        self.sitemap: str | None = None  # the digest of what the last sitemap.xml was made from
        self.rendered: dict[tuple[str, str], str] = {}  # (template, digest of its context) -> text
        self.feeds: dict[str, tuple[dict, list]] = {}  # digest of a feed -> (its files, its problems)

    def begin(self, key: str) -> bool:
        """A build starts with the site's key: True if it must be a full build."""
        if key != self.site_key:
            self.reset()
            self.site_key = key
            return True
        return False

    @staticmethod
    def body_key(meta: str, body: str, url: str, targets: list[tuple[str, str | None]]) -> str:
        """What a converted body depends on: its page's meta (what a plugin may read while it is
        converted), its text, its address, where its links point."""
        return _hash(meta, body, url, repr(targets))

    @staticmethod
    def fingerprint(*parts: str) -> str:
        return _hash(*parts)

    def stale_outputs(self, made: set[str]) -> set[str]:
        """What the last build made and this one did not (a deleted or renamed publication's)."""
        return self.outputs - made


STATE_FORMAT = 2  # what save_state writes: a state of another format is not read


def save_state(state: PreviewState, path: Path, mode: str) -> None:
    """Leave ``state`` for the next ``build --dirty`` of the same ``mode`` (written whole, then
    renamed into place: never half a state)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        pickle.dump((STATE_FORMAT, mode, state), out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def take_state(path: Path, mode: str) -> PreviewState:
    """The state the last ``build --dirty`` of this ``mode`` left, taken off the disk: a build
    that then fails or is stopped leaves none, and the next one is full. A fresh state (a full
    build) when there is none, or it is of another format or mode, or it cannot be read."""
    kept = None
    try:
        with path.open("rb") as source:
            kept = pickle.load(source)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 (cut short, or of an older version: a full build instead)
        kept = None
    path.unlink(missing_ok=True)
    if (isinstance(kept, tuple) and len(kept) == 3 and kept[:2] == (STATE_FORMAT, mode)
            and isinstance(kept[2], PreviewState)):
        return kept[2]
    return PreviewState()
