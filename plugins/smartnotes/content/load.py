"""Load and validate every publication of every collection.

``load_site`` returns the publications it could read and *all* problems it
found; the caller decides whether problems stop the build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .authors import load_authors
from .fields import FieldReader
from .frontmatter import FrontMatterSyntaxError, split_front_matter
from .model import Author, Collection, Publication
from .problems import Problem
from .settings import SiteSettings

PUBLICATION_SUFFIXES = (".md", ".markdown")


@dataclass
class LoadResult:
    publications: list[Publication]
    problems: list[Problem]
    authors: dict[str, Author]
    assets: list[tuple[Collection, str]]  # (collection, project-relative path)


def load_site(settings: SiteSettings) -> LoadResult:
    problems: list[Problem] = []
    authors: dict[str, Author] = {}
    if settings.authors_file is not None:
        authors, author_problems = load_authors(settings.authors_file, settings.root)
        problems += author_problems
    publications: list[Publication] = []
    assets: list[tuple[Collection, str]] = []
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
        for path in _walk(folder):
            rel = path.relative_to(settings.root).as_posix()
            if path.suffix.lower() in PUBLICATION_SUFFIXES:
                publication, file_problems = load_publication(path, rel, collection, settings, authors)
                problems += file_problems
                if publication is not None:
                    publications.append(publication)
            else:
                assets.append((collection, rel))
    problems += _duplicate_urls(publications)
    publications.sort(key=Publication.sort_key)
    return LoadResult(publications, problems, authors, assets)


def _walk(folder: Path):
    """Files under ``folder`` in a stable order, skipping hidden ones."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if not name.startswith((".", "_")) and not name.endswith("~"):
                yield Path(dirpath, name)


def load_publication(
    path: Path, rel: str, collection: Collection, settings: SiteSettings, authors: dict[str, Author]
) -> tuple[Publication | None, list[Problem]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                rel, line, "", f"the file is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})",
                "save the file as UTF-8 in your editor ('Save with encoding' > UTF-8)",
            )
        ]
    try:
        raw = split_front_matter(text)
    except FrontMatterSyntaxError as exc:
        return None, [Problem(rel, exc.line, "front matter", exc.message, exc.fix)]
    reader = FieldReader(rel, path, raw, collection, settings, authors)
    return reader.publication(), reader.problems


def _duplicate_urls(publications: list[Publication]) -> list[Problem]:
    by_url: dict[str, list[Publication]] = {}
    for publication in publications:
        by_url.setdefault(publication.url, []).append(publication)
    problems = []
    for url, same in by_url.items():
        for publication in same if len(same) > 1 else ():
            others = ", ".join(p.source_path for p in same if p is not publication)
            problems.append(
                Problem(
                    publication.source_path, publication.line_of("slug"), "slug",
                    f"the URL /{url} is also used by {others}",
                    "give one of them another 'slug:' or rename its file",
                )
            )
    return problems
