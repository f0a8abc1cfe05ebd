"""Load and validate every publication of every collection.

``load_site`` returns the publications it could read and *all* problems it
found; the caller decides whether problems stop the build.

Only what a collection publishes is published (issue 13): a file that is a
link resolving outside the project (``/etc/passwd``, ``/proc/self/environ``)
or into a hidden part of it (``.git``, ``.env``) is refused with a problem
and never becomes an asset, in a collection or in ``docs_dir``; a file with
front matter that is not a publication (``x.md.txt``) is a problem, never a
silent copy; two names that differ only in Unicode normalisation are said to.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .authors import load_authors
from .fields import PUBLICATION_SUFFIXES, FieldReader
from .frontmatter import FrontMatterSyntaxError, split_front_matter
from .model import Author, Collection, Publication
from .problems import Problem
from .settings import SiteSettings
from .text import slugify

__all__ = ["PUBLICATION_SUFFIXES", "LoadResult", "load_site", "load_publication"]


@dataclass
class LoadResult:
    publications: list[Publication]
    problems: list[Problem]
    authors: dict[str, Author]
    assets: list[tuple[Collection, str]]  # (collection, project-relative path)
    # Absolute paths (files or folders) in docs_dir that must never be copied into the site.
    refused: set[str] = field(default_factory=set)

    def is_refused(self, abs_path: str) -> bool:
        """Whether a file MkDocs found (``File.abs_src_path``) is, or is inside, a refused link."""
        if not self.refused:
            return False
        path = os.path.abspath(abs_path)
        return any(path == r or path.startswith(r + os.sep) for r in self.refused)


def load_site(settings: SiteSettings, memo: dict | None = None) -> LoadResult:
    """Every publication and problem of the site. ``memo`` (the preview's, kept between rebuilds)
    holds each file's result by its path and bytes; an entry is reused while the authors registry
    and the files beside the publications (images, downloads: read by the fields) are unchanged."""
    problems: list[Problem] = []
    authors: dict[str, Author] = {}
    unsure_authors: frozenset[str] | None = frozenset()
    if settings.authors_file is not None:
        authors, author_problems, unsure_authors = load_authors(settings.authors_file, settings.root)
        problems += author_problems
    publications: list[Publication] = []
    assets: list[tuple[Collection, str]] = []
    failed: dict[str, str] = {}  # path of a publication with errors -> its likely slug
    refused: set[str] = set()
    if settings.docs_dir is not None and settings.docs_dir.is_dir():
        problems += _refuse_links(settings.docs_dir, settings.root, refused,
                                  [c.folder for c in settings.collections])
    found: list[tuple[Collection, list]] = []
    for collection in settings.collections:
        folder = settings.root / collection.folder
        if not folder.is_dir():
            problems.append(
                Problem(
                    "mkdocs.yml", 1, "collections",
                    f"the folder {collection.folder!r} of collection {collection.key!r} does not exist",
                    f"create {collection.folder}/ or fix the collection's folder",
                )
            )
            continue
        files = [(path, path.relative_to(settings.root).as_posix(), entry)
                 for entry in _walk(folder) for path in (Path(entry.path),)]
        problems += _normalisation_twins([rel for _, rel, _ in files])
        found.append((collection, files))
    context = _memo_context(found, authors, unsure_authors) if memo is not None else None
    for collection, files in found:
        for path, rel, entry in files:
            refusal = _refusal(path, rel, entry, settings.root)
            if refusal is not None:
                problems.append(refusal)
            elif path.suffix.lower() in PUBLICATION_SUFFIXES:
                publication, file_problems, slug = _load_once(memo, context, path, rel, collection, settings,
                                                              authors, unsure_authors)
                problems += file_problems
                if publication is not None:
                    publications.append(publication)
                elif any(p.is_error for p in file_problems):
                    failed[rel] = slug
            elif _starts_with_front_matter(path):
                problems.append(_not_a_publication(path, rel, collection))
            else:
                assets.append((collection, rel))
    problems += _duplicate_urls(publications)
    problems += _duplicate_ids(publications, settings)
    related_problems, publications = _related_to_failed(publications, failed)
    problems += related_problems
    withheld = _draft_files(publications, assets, settings)
    assets = [(collection, rel) for collection, rel in assets if rel not in withheld]
    publications.sort(key=Publication.sort_key)
    return LoadResult(publications, problems, authors, assets, refused)


def _memo_context(found: list[tuple[Collection, list]], authors: dict[str, Author],
                  unsure_authors: frozenset[str] | None) -> str:
    """What a publication's fields read besides its own file: the ids of the authors registry
    (what it says of each author is put in by :func:`_with_authors`: a new name is not every
    file loaded again), and the
    other files of the collections (name, size, time; publications are not among them). As a
    digest: each file compares it with its last build's (the whole of it, once per file, was
    quadratic: 3.8 s of a preview build at 5,000 publications and 2,000 images)."""
    beside = tuple((rel, stat.st_size, stat.st_mtime_ns)
                   for _, files in found for path, rel, entry in files
                   if path.suffix.lower() not in PUBLICATION_SUFFIXES
                   for stat in (entry.stat(follow_symlinks=False),))
    shown = repr((sorted(authors), sorted(unsure_authors) if unsure_authors is not None else None, beside))
    return hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _load_once(memo: dict | None, context: str | None, path: Path, rel: str, collection: Collection,
               settings: SiteSettings, authors: dict[str, Author], unsure_authors: frozenset[str] | None):
    """:func:`_load`, or its result of an earlier build for the same bytes and context."""
    if memo is None:
        return _load(path, rel, collection, settings, authors, unsure_authors)
    try:
        data = path.read_bytes()
    except OSError:
        return _load(path, rel, collection, settings, authors, unsure_authors)
    key = (rel, collection, data)
    kept = memo.get(rel)
    if kept is not None and kept[0] == key and kept[1] == context:
        result = _with_authors(kept[2], authors)
        if result is not kept[2]:
            memo[rel] = (key, context, result)
        return result
    result = _load(path, rel, collection, settings, authors, unsure_authors)
    memo[rel] = (key, context, result)
    return result


def _with_authors(result: tuple, authors: dict[str, Author]) -> tuple:
    """A publication loaded with the same author ids: its authors as the registry says now."""
    publication, problems, slug = result
    if publication is None or all(authors.get(a.id) == a for a in publication.authors):
        return result
    return dataclasses.replace(publication, authors=tuple(authors[a.id] for a in publication.authors)), problems, slug


def _walk(folder: Path):
    """Entries of the files under ``folder`` in a stable order, skipping hidden ones.

    Like ``os.walk`` (links to folders are not entered; each link is a file of
    its own here), but the entries are kept: their file type costs no system call.
    """
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        folders = []
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif not entry.name.endswith("~"):
                yield entry
        stack.extend(reversed(folders))


def _outside(path: Path, root: Path) -> str:
    """Why ``path`` (a link, or inside a linked folder) must not be published, or ""."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a link to nothing, or a loop of links
        return "is a symbolic link to nothing"
    if not target.is_relative_to(root):
        return f"is a symbolic link to {target.as_posix()}, outside the project"
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        return f"is a symbolic link to {target.relative_to(root).as_posix()}, a hidden file of the project"
    return ""


def _refusal(path: Path, rel: str, entry: os.DirEntry, root: Path) -> Problem | None:
    """A problem when a collection's file must never reach the site."""
    why = _outside(path, root.resolve()) if entry.is_symlink() else ""
    if not why and entry.is_symlink() and entry.is_dir():
        return Problem(rel, 1, "", "the folder is a symbolic link, which is not followed, so nothing in it is"
                       " published", "move the folder itself into the collection, or delete the link", "warning")
    if not why and not entry.is_file():
        return Problem(rel, 1, "", "the file is not a regular file (a device, a pipe or a socket), so it is not"
                       " published", "move it out of the collection's folder, or delete it")
    if not why:
        return None
    kind = "folder" if entry.is_dir() else "file"
    return Problem(rel, 1, "", f"the {kind} {why}, so it is not published",
                   "copy the file itself into the project if it is meant to be published, or delete the link")


def _refuse_links(docs_dir: Path, root: Path, refused: set[str], collections: list[str]) -> list[Problem]:
    """Links in docs_dir that MkDocs would copy (and follow) but must not.

    Out of the project, into its hidden files, or into a collection's folder:
    MkDocs would render a collection's Markdown as pages of its own, drafts
    included, outside the catalog.
    """
    problems = []
    root = root.resolve()
    folders = [(folder, (root / folder).resolve()) for folder in collections]
    for dirpath, dirnames, filenames in os.walk(docs_dir):  # not following links: each is checked here
        dirnames.sort()
        for name in [*dirnames, *sorted(filenames)]:
            path = Path(dirpath, name)
            if name.startswith(".") or not path.is_symlink():
                continue
            why = _outside(path, root) or _into_collection(path, folders)
            if why:
                refused.add(os.path.abspath(path))
                kind = "folder" if name in dirnames else "file"
                problems.append(Problem(_rel_to(path, root), 1, "", f"the {kind} {why}, so it is not published",
                                        "copy what is meant to be published into the project, or delete the link"))
        dirnames[:] = [d for d in dirnames if os.path.abspath(Path(dirpath, d)) not in refused]
    return problems


def _into_collection(path: Path, folders: list[tuple[str, Path]]) -> str:
    target = path.resolve()
    for name, folder in folders:
        if target.is_relative_to(folder) or folder.is_relative_to(target):
            return f"is a symbolic link into the collection folder {name}/, whose files the collection publishes"
    return ""


def _draft_files(publications: list[Publication], assets: list[tuple[Collection, str]],
                 settings: SiteSettings) -> set[str]:
    """Files only unpublished publications use: their download, image and own folder (``x/index.md``).

    A draft's PDF is as private as the draft (issue 13); a file a published
    publication also uses stays. ``serve`` shows drafts, so it keeps them all.
    """
    if settings.include_drafts:
        return set()
    hidden = [p for p in publications if not p.is_visible(settings.now)]
    if not hidden:
        return set()

    def files_of(publication: Publication) -> set[str]:
        files = set()
        if publication.download and publication.download.path:
            files.add(publication.download.path)
        prefix = publication.collection.prefix + "/"
        if publication.image.startswith(prefix):
            files.add(publication.collection.folder.strip("/") + "/" + publication.image[len(prefix):])
        return files

    used = set().union(*(files_of(p) for p in publications if p.is_visible(settings.now)))
    withheld = set().union(*(files_of(p) for p in hidden))
    bundles = tuple(posixpath.dirname(p.source_path) + "/" for p in hidden
                    if posixpath.splitext(posixpath.basename(p.source_path))[0] == "index")
    if bundles:
        withheld |= {rel for _, rel in assets if rel.startswith(bundles)}
    return withheld - used


def _rel_to(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# Files that cannot start with a '---' line: not opened to look.
_BINARY_SUFFIXES = frozenset((".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".zip", ".gz",
                              ".docx", ".xlsx", ".pptx", ".odt", ".mp3", ".mp4", ".woff", ".woff2"))


def _starts_with_front_matter(path: Path) -> bool:
    if path.suffix.lower() in _BINARY_SUFFIXES:
        return False
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf")
    return head.startswith((b"---\n", b"---\r\n", b"--- \n"))


def _not_a_publication(path: Path, rel: str, collection: Collection) -> Problem:
    """A draft saved as ``x.md.txt`` or ``x.txt`` would be copied as it is: it is an error instead."""
    stem = path.stem if Path(path.stem).suffix.lower() in PUBLICATION_SUFFIXES else f"{path.stem}.md"
    return Problem(
        rel, 1, "", f"the file starts with front matter, but {path.suffix!r} files are not publications,"
        " so it would be published as it is",
        f"rename it to {stem!r} to publish it, or move it out of {collection.folder}/ if it is private",
    )


def _normalisation_twins(rels: list[str]) -> list[Problem]:
    """Names that look identical but differ in Unicode normalisation (NFC, NFD): two files, one name."""
    by_form: dict[str, list[str]] = {}
    for rel in rels:
        by_form.setdefault(rel if rel.isascii() else unicodedata.normalize("NFC", rel), []).append(rel)
    problems = []
    for same in by_form.values():
        for rel in same if len(same) > 1 else ():
            other = next(r for r in same if r != rel)
            form = "NFC" if unicodedata.is_normalized("NFC", rel) else "NFD"
            other_form = "NFC" if unicodedata.is_normalized("NFC", other) else "NFD"
            problems.append(Problem(
                rel, 1, "", f"the file name looks the same as another file's, {other!r}, but they differ in"
                f" Unicode normalisation (this one is {form}, the other {other_form})",
                "keep one of the two files and delete the other (editors and systems save accents differently)",
            ))
    return problems


def load_publication(
    path: Path, rel: str, collection: Collection, settings: SiteSettings, authors: dict[str, Author]
) -> tuple[Publication | None, list[Problem]]:
    publication, problems, _ = _load(path, rel, collection, settings, authors)
    return publication, problems


def _load(
    path: Path, rel: str, collection: Collection, settings: SiteSettings, authors: dict[str, Author],
    unsure_authors: frozenset[str] | None = frozenset(),
) -> tuple[Publication | None, list[Problem], str]:
    """The publication or its problems, and the slug it would likely have (for references to it)."""
    stem = path.parent.name if path.stem == "index" else path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, "", f"the file cannot be read ({exc.strerror})",
                              "check that the file is readable (its permissions), or delete it")], slugify(stem)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                rel, line, "", f"the file is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
                "save the file as UTF-8 in your editor ('Save with encoding' > UTF-8)",
            )
        ], slugify(stem)
    try:
        raw = split_front_matter(text)
    except FrontMatterSyntaxError as exc:
        return None, [Problem(rel, exc.line, "front matter", exc.message, exc.fix)], slugify(stem)
    reader = FieldReader(rel, path, raw, collection, settings, authors, unsure_authors)
    publication = reader.publication()
    slug = raw.data.get("slug")
    return publication, reader.problems, slug if isinstance(slug, str) and slug else slugify(stem)


def _duplicate_urls(publications: list[Publication]) -> list[Problem]:
    by_url: dict[str, list[Publication]] = {}
    for publication in publications:
        by_url.setdefault(publication.url, []).append(publication)
    problems = []
    for url, same in by_url.items():
        for publication in same if len(same) > 1 else ():
            form = unicodedata.normalize("NFC", publication.source_path)
            # Names that differ only in normalisation are reported as such (_normalisation_twins).
            others = ", ".join(p.source_path for p in same if p is not publication
                               and unicodedata.normalize("NFC", p.source_path) != form)
            if not others:
                continue
            problems.append(
                Problem(
                    publication.source_path, publication.line_of("slug"), "slug",
                    f"the URL /{url} is also used by {others}",
                    "give one of them another 'slug:' or rename its file",
                )
            )
    return problems


def _duplicate_ids(publications: list[Publication], settings: SiteSettings) -> list[Problem]:
    """Feed ids are unique site-wide: readers show one item per id (issue 13)."""
    by_id: dict[str, list[Publication]] = {}
    for publication in publications:
        own = publication.feed_id or (settings.absolute(publication.url) if settings.site_url else "")
        if own:
            by_id.setdefault(own, []).append(publication)
    problems = []
    for feed_id, same in sorted(by_id.items()):
        for publication in same if len(same) > 1 else ():
            if not publication.feed_id:
                continue  # the one whose address it is keeps it
            others = ", ".join(p.source_path for p in same if p is not publication)
            problems.append(Problem(
                publication.source_path, publication.line_of("id"), "id",
                f"the id {feed_id!r} is also the id of {others}",
                "give each publication its own id (a moved publication keeps the id it had)",
            ))
    return problems


def _related_to_failed(publications: list[Publication],
                       failed: dict[str, str]) -> tuple[list[Problem], list[Publication]]:
    """``related:`` entries naming a publication that has its own errors: say so, not "not a publication"."""
    if not failed:
        return [], publications
    good_paths = {p.source_path for p in publications}
    good_slugs = {p.slug for p in publications}
    failed_slugs: dict[str, list[str]] = {}
    for path, slug in failed.items():
        failed_slugs.setdefault(slug, []).append(path)
    problems: list[Problem] = []
    result = []
    for publication in publications:
        kept = []
        for ref in publication.related:
            target = None if ref.is_external else _failed_target(ref.target, publication.source_path, failed,
                                                                  failed_slugs, good_paths, good_slugs)
            if target is None:
                kept.append(ref)
                continue
            problems.append(Problem(
                publication.source_path, ref.line, "related",
                f"{ref.target!r} ({target}) has errors of its own, so it is not published",
                f"fix the errors reported for {target}; this entry then works as it is",
            ))
        result.append(publication if len(kept) == len(publication.related)
                      else dataclasses.replace(publication, related=tuple(kept)))
    return problems, result


def _failed_target(target: str, from_path: str, failed: dict[str, str], failed_slugs: dict[str, list[str]],
                   good_paths: set[str], good_slugs: set[str]) -> str | None:
    """The path of the failed publication ``target`` means, as the related room would find it."""
    target = target.strip()
    candidates = [posixpath.normpath(target.lstrip("/"))]
    if not target.startswith("/"):
        candidates.append(posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target)))
    for path in candidates:
        if path in good_paths:
            return None
        if path in failed:
            return path
    if "/" in target or target.lower().endswith(PUBLICATION_SUFFIXES) or target in good_slugs:
        return None
    paths = failed_slugs.get(target, [])
    return paths[0] if len(paths) == 1 else None
