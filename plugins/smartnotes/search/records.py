"""Search (issue 5): what Pagefind indexes for each publication, and the index build.

Pagefind reads each publication's article (``theme/partials/sn-article.html``):
title, byline, summary, body, topics, countries, organisations; not "Have
you read?", the share links or the embed controls, and never the site's
header, navigation or footer.  The article marks itself as the page's
searchable body and carries :func:`search_record` as ``data-pagefind-*``
attributes.  Only publications are given to Pagefind, so listings, taxonomy
pages and the about page never crowd the results.

The index itself is built by ``runtime/pagefind.py`` (a Pagefind process
beside the build); this module only says what it is given.  A page
``build --dirty`` did not convert again is read back from the site
(:func:`indexed_part`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Publication
from ..content.text import human_date

# Parts of a publication page that are not its own text: other publications'
# titles ("Have you read?") would make it match their words.  A feature that
# adds such a part inside the article leaves it out of the search document
# (``sn-article.html``: ``whole``) and adds its selector here, for pages read
# back from the site.
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
# page Pagefind reads (``data-pagefind-body``).  A page read back from the
# site is cut to that part: parsing the header, navigation and footer of
# every page cost a fifth of Pagefind's time (500 pages: 2.3 s whole, 1.8 s cut).
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
