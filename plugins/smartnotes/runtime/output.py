"""The one way extra files get into the site folder.

It refuses to write a path twice in a build or over a page the engine
renders (Pelican ``writers.py: Writer._open_w`` does the same), so two
features can never silently overwrite each other's output.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# What open(path, "wb") asks of the system, without the buffered file object
# (and its fstat and isatty calls) that Path.write_bytes builds around it.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class OutputCollision(Exception):
    pass


class SiteWriter:
    def __init__(self, site_dir: Path, reserved: set[str] = frozenset(), known: dict[str, str] | None = None,
                 sources: dict[str, str] | None = None):
        self.site_dir = Path(site_dir)
        self._root = str(self.site_dir)
        # The preview's (preview/state.py): path -> digest of the bytes the last build wrote there;
        # a file whose bytes did not change is not written again.
        self.known = known
        # The preview's too: path -> digest of what the last build made the file from (given by
        # the feature that wrote it); the same again and the file is not even made (`unchanged`).
        self.sources = sources
        self.reserved = set(reserved)  # site-relative paths the engine writes
        self.written: dict[str, str] = {}  # path -> who wrote it
        self._folders: set[Path] = set()  # made already: one mkdir per folder, not per file

    def write(self, rel: str, data: bytes | str, by: str = "", source: str | None = None) -> None:
        """Put ``data`` at ``rel``; ``source``: the digest of what it was made from (see `unchanged`)."""
        rel = self.claim(rel, by)
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self.sources is not None:
            self.sources.pop(rel, None)  # set again once the file is there
        if self.known is not None:
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            if not (self.known.get(rel) == digest and os.path.isfile(os.path.join(self._root, rel))):
                self.known[rel] = digest
                self._put(rel, data)
        else:
            self._put(rel, data)
        if source is not None and self.sources is not None:
            self.sources[rel] = source

    def unchanged(self, rel: str, source: str, by: str = "") -> bool:
        """The preview's shortcut: True when the last build wrote ``rel`` from the same ``source``
        (a digest of everything the file is made from) and it is still there: ``rel`` is then
        claimed as written, and the caller makes nothing. Always False in a full build."""
        rel = rel.lstrip("/")
        if self.sources is None or self.sources.get(rel) != source or rel in self.written \
                or not os.path.isfile(os.path.join(self._root, rel)):
            return False
        self.claim(rel, by)
        return True

    def _put(self, rel: str, data: bytes) -> None:
        target = self.site_dir / rel
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        _write_file(target, data)

    def claim(self, rel: str, by: str = "") -> str:
        """Reserve ``rel`` for ``by`` (who then puts the file there itself), or refuse as ``write`` does."""
        rel = rel.lstrip("/")
        if rel in self.written:
            raise OutputCollision(f"{rel} was already written by {self.written[rel] or 'another feature'}")
        if rel in self.reserved:
            raise OutputCollision(f"{rel} is a page of the site; {by or 'a feature'} must not overwrite it")
        self.written[rel] = by
        return rel


def _write_file(path: Path, data: bytes) -> None:
    """``path.write_bytes(data)`` in three system calls (a build writes thousands of feeds)."""
    descriptor = os.open(path, _CREATE, 0o666)  # 0o666 less the umask, as open() gives
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def remove_outputs(site_dir: Path, rels: set[str]) -> None:
    """Delete what an earlier build made and this one no longer does, and the folders left empty
    (the preview's stale outputs: a deleted publication's page, feeds and embeds)."""
    site_dir = Path(site_dir)
    folders = set()
    for rel in rels:
        target = site_dir / rel
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        folders.update(p for p in target.parents if p != site_dir and site_dir in p.parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()  # only if empty
        except OSError:
            pass
