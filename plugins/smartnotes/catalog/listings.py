"""One catalog per build: every feature reads its publications and indexes.

Listings hold publications newest first (ties: title, then path), so two
builds of the same content list the same things in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Iterable

from ..content.model import Author, Collection, Publication
from ..content.taxonomies import Taxonomies, Taxonomy
from ..content.problems import Problem

if TYPE_CHECKING:
    from .pagination import ListingPage


@dataclass(frozen=True)
class Listing:
    """A page that lists publications: the home page, a collection, a year, a term."""

    key: str  # stable identity, e.g. "tag:transparency"
    kind: str  # "collection" | "year" | "taxonomy" (an index) | a taxonomy's kind ("tag", "author"…)
    title: str
    url: str
    publications: tuple[Publication, ...] = ()
    children: tuple["Listing", ...] = ()  # taxonomy index -> term listings; collection -> years
    description: str = ""
    label: str = ""  # short name among its siblings: the year of a year archive


@dataclass
class Catalog:
    publications: tuple[Publication, ...]  # everything shown, newest first
    collections: tuple[Collection, ...]
    authors: dict[str, Author]
    listings: dict[str, Listing] = field(default_factory=dict)  # by URL
    by_path: dict[str, Publication] = field(default_factory=dict)
    by_url: dict[str, Publication] = field(default_factory=dict)
    pages: dict[str, "ListingPage"] = field(default_factory=dict)  # listings in pages, by URL (pagination.py)

    def listing(self, url: str) -> Listing | None:
        return self.listings.get(url)

    def listings_of(self, publication: Publication) -> list[Listing]:
        """The listings a publication appears on (its collection, year and terms)."""
        urls = [publication.collection.url, publication.collection.year_url(publication.year)]
        urls += [t.url for t in publication.terms] + [a.page_url for a in publication.authors]
        return [self.listings[u] for u in urls if u in self.listings]


def build_catalog(
    publications: Iterable[Publication],
    collections: tuple[Collection, ...],
    authors: dict[str, Author],
    now: datetime,
    include_drafts: bool = False,
    taxonomies: Taxonomies = Taxonomies(),
) -> tuple[Catalog, list[Problem]]:
    shown = sorted(
        (p for p in publications if include_drafts or p.is_visible(now)), key=Publication.sort_key
    )
    catalog = Catalog(tuple(shown), collections, authors)
    catalog.by_path = {p.source_path: p for p in shown}
    catalog.by_url = {p.url: p for p in shown}
    problems: list[Problem] = []

    def add(listing: Listing) -> None:
        catalog.listings[listing.url] = listing

    for collection in collections:
        members = tuple(p for p in shown if p.collection == collection)
        years = sorted({p.year for p in members}, reverse=True)
        year_listings = tuple(
            Listing(f"year:{collection.key}:{y}", "year", f"{collection.title} of {y}", collection.year_url(y),
                    tuple(p for p in members if p.year == y), label=str(y))
            for y in years
        )
        for year_listing in year_listings:
            add(year_listing)
        add(Listing(f"collection:{collection.key}", "collection", collection.title, collection.url, members,
                    year_listings))

    for taxonomy in taxonomies.of_terms:
        kind = taxonomy.kind
        terms: dict[str, list[Publication]] = {}
        names: dict[str, set[str]] = {}
        for publication in shown:
            for term in publication.terms:
                if term.kind == kind:
                    terms.setdefault(term.slug, []).append(publication)
                    names.setdefault(term.slug, set()).add(term.name)
        children = []
        for slug in sorted(terms):
            spellings = sorted(names[slug])
            if len(spellings) > 1:
                problems += _collision(taxonomy, slug, spellings, terms[slug])
            name = spellings[0]
            children.append(Listing(f"{kind}:{slug}", kind, name, taxonomy.term_url(slug), tuple(terms[slug])))
        for child in children:
            add(child)
        add(Listing(f"taxonomy:{kind}", "taxonomy", taxonomy.title, taxonomy.url, (),
                    tuple(sorted(children, key=lambda l: l.title.casefold()))))

    author_children = []
    for author_id in sorted(authors):
        author = authors[author_id]
        members = tuple(p for p in shown if author in p.authors)
        if members:
            author_children.append(Listing(f"author:{author_id}", "author", author.name, author.page_url, members,
                                           description=author.role))
    for child in author_children:
        add(child)
    author_taxonomy = taxonomies.of("author")
    add(Listing("taxonomy:author", "taxonomy", author_taxonomy.title, author_taxonomy.url, (),
                tuple(sorted(author_children, key=lambda l: l.title.casefold()))))
    return catalog, problems


def _collision(taxonomy: Taxonomy, slug: str, spellings: list[str], members: list[Publication]) -> list[Problem]:
    """Two spellings that slugify alike ("C" and "C++") would share one page: an error."""
    problems = []
    kind, field_name = taxonomy.kind, taxonomy.field
    for publication in members:
        mine = next(t.name for t in publication.terms if t.kind == kind and t.slug == slug)
        others = [s for s in spellings if s != mine]
        if others:
            problems.append(Problem(
                publication.source_path, publication.line_of(field_name), field_name,
                f"{mine!r} and {others[0]!r} would share the page /{taxonomy.term_url(slug)}",
                "spell them the same way everywhere, or make them differ in letters, not punctuation",
            ))
    return problems
