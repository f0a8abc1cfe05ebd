"""Listings in pages: a topic carried by 3,000 publications is not one page of 3,000 entries.

Every listing of publications (a collection, a year, a term, an author) is
cut into pages of ``size``, newest first as the listing holds them. Page 1
keeps the listing's address (``notes/``); the others are ``notes/page/2/``
and on. Taxonomy indexes list terms, not publications, and stay whole; so
do the feeds (one per listing). Plain data: the templates draw the links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from ..content.model import Publication
from .listings import Listing

GAP = None  # an elided run of page numbers ("…") in :meth:`ListingPage.numbers`


def page_url(listing_url: str, number: int) -> str:
    """The address of page ``number`` of the listing at ``listing_url``: page 1 is the listing's own."""
    return listing_url if number == 1 else f"{listing_url}page/{number}/"


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: which publications it shows and where its neighbours are."""

    listing: Listing
    number: int  # 1-based
    count: int  # how many pages the listing has
    publications: tuple[Publication, ...]
    first: int  # 1-based position in the listing of this page's first publication

    @property
    def url(self) -> str:
        return page_url(self.listing.url, self.number)

    @property
    def total(self) -> int:
        return len(self.listing.publications)

    @property
    def last(self) -> int:
        return self.first + len(self.publications) - 1

    @property
    def prev_url(self) -> str | None:
        return page_url(self.listing.url, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return page_url(self.listing.url, self.number + 1) if self.number < self.count else None

    def url_of(self, number: int) -> str:
        return page_url(self.listing.url, number)

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers a navigation shows: the first, the last, ``around`` either side of this
        one; a run left out is one :data:`GAP` (a gap of one page shows the page instead)."""
        shown = {1, self.count, *range(self.number - around, self.number + around + 1)}
        numbers: list[int | None] = []
        for n in range(1, self.count + 1):
            if n in shown:
                numbers.append(n)
            elif numbers and numbers[-1] is not GAP:
                neighbours_shown = n - 1 in shown and n + 1 in shown
                numbers.append(n if neighbours_shown else GAP)
        return numbers


def pages_of(listing: Listing, size: int) -> Iterator[ListingPage]:
    """The pages of one listing (one page, perhaps empty, for a listing of up to ``size``)."""
    publications = listing.publications
    count = max(1, -(-len(publications) // size))
    for index in range(count):
        start = index * size
        yield ListingPage(listing, index + 1, count, publications[start:start + size], start + 1)


def paginate(listings: Mapping[str, Listing], size: int) -> dict[str, ListingPage]:
    """Every page of every listing of publications, by its URL (page 1 at the listing's own)."""
    pages: dict[str, ListingPage] = {}
    for listing in listings.values():
        if listing.kind != "taxonomy":
            for page in pages_of(listing, size):
                pages[page.url] = page
    return pages
