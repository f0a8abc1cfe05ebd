"""Search (issue 5): what Pagefind indexes for each publication, and the index build.

Pagefind reads each publication's article (``theme/partials/sn-article.html``):
title, byline, summary, body, topics, countries, organisations; not "Have
you read?", the share links or the embed controls, and never the site's
header, navigation or footer.  The article marks itself as the page's
searchable body and carries :func:`search_record` as ``data-pagefind-*``
attributes.  Only publications are given to Pagefind, so listings, taxonomy
pages and the about page never crowd the results.

The index itself is built by ``runtime/pagefind.py`` (a Pagefind process
beside the build); this module only says what it is given.
:func:`indexed_part` cuts a rendered page to what Pagefind reads, so that a
test can check that the articles fed before rendering index the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..catalog.addresses import Claim
from ..content.model import Publication
from ..content.options import option
from ..content.taxonomies import Taxonomies
from ..runtime.pagefind import BUNDLE_DIR, SearchBundle, SearchIndexError
from ..content.text import human_date

# Parts of a publication page that are not its own text: other publications'
# titles ("Have you read?") would make it match their words.  A feature that
# adds such a part inside the article leaves it out of the search document
# (``sn-article.html``: ``whole``) and adds its selector here, for pages read
# back from the site.
EXCLUDE_SELECTORS = (".sn-share", ".sn-embed", ".sn-related", ".sn-referenced-in", ".sn-download",
                     ".sn-draft-banner")

# The search box's first filters; each taxonomy with a ``search_filter`` adds
# its menu after them (content/taxonomies.py): (key in the index, label, "any" option).
PAGE_FILTERS: tuple[tuple[str, str, str], ...] = (("kind", "Kind", "All kinds"), ("year", "Year", "All years"))


@dataclass(frozen=True)
class SearchOptions:
    """The ``search_*`` options."""

    enabled: bool = option(True, "Index the publications with Pagefind and show the search box in the header.")


@dataclass(frozen=True)
class SearchRecord:
    """Metadata shown in a result, and filter values, of one publication."""

    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def filters_of(taxonomies: Taxonomies) -> tuple[tuple[str, str, str], ...]:
    """Every filter of the search box, in order: (key in the index, label, "any" option)."""
    return PAGE_FILTERS + tuple((t.kind, t.label, f"All {t.title.lower()}") for t in taxonomies.search_filters)


def search_record(publication: Publication, taxonomies: Taxonomies = Taxonomies()) -> SearchRecord:
    filters = {"kind": (publication.kind_label,), "year": (str(publication.year),)}
    for taxonomy in taxonomies.search_filters:
        values = publication.authors if taxonomy.values == "authors" else publication.terms_of(taxonomy.kind)
        filters[taxonomy.kind] = tuple(v.name for v in values)
    return SearchRecord(
        meta={
            "title": publication.title,
            "kind": publication.kind_label,
            "date": publication.date.isoformat(),
            "date_label": human_date(publication.date),
        },
        filters=filters,
    )


def search_filters(taxonomies: Taxonomies) -> list[dict[str, str]]:
    """The filter menus of the search box, as template data."""
    return [{"key": key, "label": label, "any": any_label} for key, label, any_label in filters_of(taxonomies)]


# ``theme/publication.html`` marks the article, the one part of a publication
# page Pagefind reads (``data-pagefind-body``): parsing the header, navigation
# and footer of every page cost a fifth of Pagefind's time (500 pages: 2.3 s
# whole, 1.8 s cut).
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


class SearchStep:
    """The search index of one build: Pagefind (runtime/pagefind.py) is given every article
    as soon as the Markdown is converted, and its bundle is installed last."""

    def __init__(self, options: SearchOptions, language: str):
        self.options, self.language = options, language
        self.bundle: SearchBundle | None = None

    @property
    def running(self) -> bool:
        return self.bundle is not None

    def page_data(self, taxonomies: Taxonomies) -> dict | None:
        return {"filters": search_filters(taxonomies)} if self.options.enabled else None

    def claims(self) -> list[Claim]:
        return [Claim(f"{BUNDLE_DIR}/", "the search index (Pagefind)")] if self.options.enabled else []

    def start(self, site_dir: Path) -> None:
        self.stop()  # a rebuild under `serve` starts afresh
        if self.options.enabled:
            self.bundle = SearchBundle(site_dir, self.language, EXCLUDE_SELECTORS)

    def feed(self, publications: Iterable[Publication], article_html: Callable[[Publication], str | None]) -> None:
        """Each publication's article, newest first (``article_html``: None if it was not converted),
        given to Pagefind as it is rendered."""
        for url, html in self.records(publications, article_html):
            self.bundle.add(url, html)
        self.bundle.write()

    def finish(self, writer, timer) -> None:
        try:
            with timer.stage("search.pagefind"):
                files = self.bundle.finished()
            self.bundle.install(files, lambda rel: writer.claim(rel, by="search"))
        finally:
            self.stop()

    def records(self, publications: Iterable[Publication], article_html: Callable[[Publication], str | None]
                ) -> Iterator[tuple[str, str]]:
        """(URL, article) of each publication, as :meth:`feed` gives them to Pagefind (the preview
        collects them to index after the build, in the background)."""
        for publication in publications:
            html = article_html(publication)
            if html is None:
                raise SearchIndexError(f"{publication.source_path} was not converted before the pages were rendered")
            yield publication.url, html

    def later(self, site_dir: Path) -> Callable[[], SearchBundle]:
        """How the preview makes this build's bundle, in the background (Pagefind at low priority)."""
        return lambda: SearchBundle(site_dir, self.language, EXCLUDE_SELECTORS, background=True)

    def stop(self) -> None:
        if self.bundle is not None:
            self.bundle.close()
        self.bundle = None
