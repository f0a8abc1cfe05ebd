"""Search (issue 5): what Pagefind indexes for each publication, and the index build.

Pagefind reads the built publication pages.  ``theme/publication.html`` marks
the article as the page's searchable body (title, byline, summary, body,
topics, countries, organisations; not "Have you read?" or the share links)
and writes :func:`search_record` as ``data-pagefind-*`` attributes.  Pages
without that mark (listings, taxonomy pages, about) are left out, so they
never crowd the results.

Why the CLI over the built pages and not records sent through Pagefind's
Python API (``PagefindIndex.add_custom_record``): the API's service loop
(pagefind 1.5, ``PagefindService._wait_for_responses``) sleeps 100 ms before
reading each response, so 30 records took 3.1 s and 10,000 would take over
1,000 s; the CLI reads the pages in parallel (``bench/bench_search.py``).

Pagefind's filter files and the hash in ``pagefind-entry.json`` differ from
one build to the next (Pagefind/pagefind#638: fragments are stable since
1.3, filter indexes are not); every page of the site stays byte-identical.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path
from typing import Iterable

from .model import Collection, Publication
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
    """Metadata shown in a result, filter values, and sort keys of one publication."""

    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def search_record(publication: Publication) -> SearchRecord:
    date_utc = publication.date.astimezone(timezone.utc)
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
        # UTC with a fixed width, so comparing the strings compares the instants.
        sort={"date": date_utc.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )


def search_filters() -> list[dict[str, str]]:
    """The filter menus of the search box, as template data."""
    return [{"key": key, "label": label, "any": any_label} for key, label, any_label in FILTERS]


def publication_glob(collections: Iterable[Collection]) -> str:
    """The pages Pagefind reads: only under the collections' URL prefixes."""
    prefixes = sorted({c.prefix for c in collections})
    return f"{{{','.join(prefixes)}}}/**/*.html" if prefixes else "**/*.html"


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


def build_search_index(site_dir: Path, output_dir: Path, glob: str, language: str = "") -> dict[str, Path]:
    """Index the publication pages of a built site into ``output_dir``.

    Returns the bundle's files by path relative to ``output_dir`` (POSIX), for
    the caller to copy into the site.
    """
    command = [str(pagefind_executable()), "--site", str(site_dir), "--glob", glob,
               "--output-path", str(output_dir), "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    if language:
        command += ["--force-language", language]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({proc.returncode}): {(proc.stdout + proc.stderr).strip()}")
    return {p.relative_to(output_dir).as_posix(): p for p in sorted(output_dir.rglob("*")) if p.is_file()}


def remove_stale_bundle(site_dir: Path) -> None:
    """`mkdocs build --dirty` and `serve` keep old files: an old index must not survive."""
    shutil.rmtree(site_dir / BUNDLE_DIR, ignore_errors=True)
