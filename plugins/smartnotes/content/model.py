"""Immutable value objects of the publications domain.

URLs are computed here and nowhere else (Pelican ``urlwrappers.py`` does the
same), so listings, feeds, related links and embeds always agree.  URLs are
site-relative, without a leading slash, and end in ``/`` for pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .fieldtable import OWN_FIELDS  # noqa: F401  (re-exported: settings, fields)
from .taxonomies import AUTHOR, BUILT_IN

# The front-matter fields of every publication are stated in fieldtable.py
# (OWN_FIELDS); each taxonomy adds its own (``tags``, ``countries``…: taxonomies.py).


@dataclass(frozen=True)
class Collection:
    """A folder of publications published under one URL prefix."""

    key: str  # "notes"
    folder: str  # "notes" (relative to the project root)
    prefix: str  # "notes" -> /notes/<slug>/
    title: str  # "Smart Notes"
    label: str  # "Smart Note"

    @property
    def url(self) -> str:
        return f"{self.prefix}/"

    def year_url(self, year: int) -> str:
        return f"{self.prefix}/{year}/"


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    role: str = ""
    url: str = ""  # the author's own site, if any
    avatar: str = ""

    @property
    def page_url(self) -> str:
        return AUTHOR.term_url(self.id)


@dataclass(frozen=True)
class Term:
    """A term of a taxonomy (a topic, country, organisation…): one display name, one slug."""

    kind: str  # its taxonomy's kind (content/taxonomies.py)
    name: str
    slug: str
    prefix: str = ""  # its taxonomy's URL prefix; a built-in taxonomy's when left out

    def __post_init__(self) -> None:
        if not self.prefix:
            object.__setattr__(self, "prefix", next(t.prefix for t in BUILT_IN if t.kind == self.kind))

    @property
    def url(self) -> str:
        return f"{self.prefix}/{self.slug}/"


@dataclass(frozen=True)
class RelatedRef:
    """One entry of a publication's ``related:`` list, as written.

    ``target`` is a path or slug; ``title``/``url`` are set for an external
    link.  Resolution to a publication happens in :mod:`.related`.
    """

    line: int
    target: str = ""
    title: str = ""
    url: str = ""

    @property
    def is_external(self) -> bool:
        return bool(self.url)


@dataclass(frozen=True)
class Download:
    """A PDF (or other file) offered for download with a publication."""

    path: str = ""  # project-relative path of a local file, "" for a URL
    url: str = ""  # site-relative URL of the local file, or an absolute URL
    size: int = 0  # bytes; 0 when unknown (remote)
    mime_type: str = "application/pdf"

    @property
    def is_remote(self) -> bool:
        return not self.path


@dataclass(frozen=True)
class Publication:
    source_path: str  # project-relative POSIX path: "notes/amfa.md"
    collection: Collection
    slug: str
    title: str
    date: datetime  # always timezone-aware
    body: str  # Markdown without front matter
    body_line: int = 1  # line of the file where the body starts
    updated: datetime | None = None
    authors: tuple[Author, ...] = ()
    summary: str = ""
    summary_is_explicit: bool = False
    terms: tuple[Term, ...] = ()  # of every taxonomy but the authors, in the registry's order
    related: tuple[RelatedRef, ...] = ()
    download: Download | None = None
    image: str = ""  # site-relative URL of a local image, or an absolute URL
    draft: bool = False
    feed_id: str = ""  # front-matter `id`: keeps a moved publication's feed id
    aliases: tuple[str, ...] = ()  # old site-relative addresses ("/2012/05/24/x/", "/?p=12") that redirect here
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @cached_property  # asked for tens of thousands of times per build; the fields never change
    def url(self) -> str:
        return f"{self.collection.prefix}/{self.slug}/"

    @property
    def dest_path(self) -> str:
        return f"{self.url}index.html"

    @property
    def kind_label(self) -> str:
        return self.collection.label

    @property
    def year(self) -> int:
        return self.date.year

    def terms_of(self, kind: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind == kind)

    @cached_property
    def tags(self) -> tuple[Term, ...]:
        return self.terms_of("tag")

    @cached_property
    def countries(self) -> tuple[Term, ...]:
        return self.terms_of("country")

    @cached_property
    def organizations(self) -> tuple[Term, ...]:
        return self.terms_of("organization")

    def is_visible(self, now: datetime) -> bool:
        """Published: not a draft and not dated in the future."""
        return not self.draft and self.date <= now

    def line_of(self, field_name: str) -> int:
        return self.field_lines.get(field_name, 1)

    def sort_key(self) -> tuple:
        """Newest first, then title, then path: total and deterministic."""
        return (-self.date.timestamp(), self.title.casefold(), self.source_path)
