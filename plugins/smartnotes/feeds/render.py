"""Feeds: one model, three serialisers (RSS 2.0, Atom 1.0, JSON Feed 1.1).

The site and every listing page (collection, year, tag, country,
organisation, author) get a feed of their newest publications, written
beside the page (``notes/feed.xml``, ``notes/atom.xml``, ``notes/feed.json``).
:data:`FORMATS` is the table of formats; each format is one serialiser of the
same :class:`Feed` and :class:`FeedItem` model (STYLE.md #15; Pelican
``writers.py: _add_item_to_the_feed`` for RSS-vs-Atom content semantics).

Two builds give identical bytes: every date comes from front matter (a
channel's updated date is its newest item's), never from the clock, and
feedgen's ``updated`` default (now) is always overridden.

Speed (issue 4: all feeds of 10,000 publications in 1 s): a publication is
made absolute and turned into an RSS item, an Atom entry and a JSON item
once, however many feeds list it (``feed_items.py`` writes items as feedgen
and ``json`` do, for a fraction of the cost); a feed is feedgen's channel (one
per feed for RSS and Atom) with those cached item bytes placed before its
closing tag. Term, author and year feeds carry
the summary and link by default (``feeds_full_content``): with the full body
in all of them the benchmark's site writes 220 MB of feeds, and
making 6,400 bodies absolute alone takes longer than the bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from itertools import islice
from typing import Callable, Mapping
from urllib.parse import urlsplit

import lxml.etree as etree
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.feed import FeedGenerator

from . import items as feed_items
from .absolute_urls import MalformedHTML, absolute_html
from ..catalog.addresses import Claim
from ..catalog.listings import Catalog, Listing
from ..content.model import Publication
from ..content.problems import Problem
from ..content.options import option
from ..content.settings import SiteSettings
from ..content.taxonomies import Taxonomies
from ..content.text import xml_safe

# Pages with feeds besides each taxonomy's terms (content/taxonomies.py).
PAGE_KINDS = ("site", "collection", "year")
STYLESHEET_PATH = "assets/feeds/rss.xsl"
# A feed without items still needs a fixed updated date (Atom requires one).
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)
_GENERATOR = "Smart Notes (python-feedgen)"


FORMAT_KEYS = ("rss", "atom", "json")


def _page_kinds(done: dict) -> tuple[str, ...]:
    taxonomies = done[""].taxonomies if "" in done else Taxonomies()
    return PAGE_KINDS + taxonomies.kinds


@dataclass(frozen=True)
class FeedOptions:
    """The ``feeds_*`` options, plus what the site says (description, language, icon)."""

    formats: tuple[str, ...] = option(FORMAT_KEYS, "Feed formats written beside each listing page; [] turns feeds off.",
                                      choices=FORMAT_KEYS)
    listing_kinds: tuple[str, ...] | None = option(
        None, "Which pages get feeds: site (the home page), collection, year and each taxonomy's kind "
        "(tag, country, organization, author…); default: all.", key="listings", choices=_page_kinds)
    full_content_kinds: tuple[str, ...] = option(
        ("site", "collection"), "Feeds whose items carry the whole body; the other feeds carry each summary and link.",
        key="full_content", choices=_page_kinds)
    limit: int = option(20, "How many of the newest publications each feed lists (0: all).", at_least=0)
    rss_file: str = option("feed.xml", "File name of the RSS 2.0 feed beside each listing page.")
    atom_file: str = option("atom.xml", "File name of the Atom 1.0 feed beside each listing page.")
    json_file: str = option("feed.json", "File name of the JSON Feed 1.1 beside each listing page.")
    description: str = ""  # the site's description (site_description)
    language: str = "en"
    icon: str = ""  # site-relative or absolute URL of the site's icon
    stylesheet: str = STYLESHEET_PATH  # site-relative path of the RSS stylesheet; "" for none

    @property
    def file_names(self) -> dict[str, str]:
        return {"rss": self.rss_file, "atom": self.atom_file, "json": self.json_file}


@dataclass(frozen=True)
class Feed:
    """The newest publications of the site or of one listing page."""

    key: str  # "site" or the listing's key ("tag:transparency")
    kind: str  # "site" or the listing's kind
    title: str
    description: str
    page_url: str  # site-relative URL of the page it follows: "" for the home page
    publications: tuple[Publication, ...]
    full_content: bool = True  # items carry the whole body, not only the summary

    @property
    def updated(self) -> datetime:
        """The newest item's date: the same content gives the same bytes."""
        dates = [p.updated or p.date for p in self.publications]
        return max(dates) if dates else EMPTY_FEED_DATE

    def path(self, format_key: str, options: FeedOptions) -> str:
        return self.page_url + options.file_names[format_key]


@dataclass(frozen=True)
class FeedItem:
    """One publication as every format shows it: absolute URLs only."""

    id: str
    url: str
    title: str
    published: datetime
    updated: datetime
    authors: tuple[tuple[str, str], ...]  # (name, absolute URL of the author's page)
    tags: tuple[str, ...]
    summary: str
    content_html: str  # "" in a summary-only item
    enclosure: tuple[str, int, str] | None  # (absolute URL, bytes, MIME type)


class FeedsStep:
    """The feeds of one build: chosen once the catalog exists, advertised by every page, written last."""

    def __init__(self, settings: SiteSettings, options: FeedOptions):
        self.settings, self.options = settings, options
        self.feed_of: dict[str, Feed] = {}  # page URL ("" for home) -> its feed

    def select(self, catalog: Catalog) -> None:
        self.feed_of = {f.page_url: f for f in select_feeds(catalog, self.settings, self.options)}

    def links_of_page(self, publication: Publication | None, listing: Listing | None, page_url: str) -> dict:
        """Feeds a page advertises: the site's, and its listing's (a publication's: its collection's).

        A listing page a person wrote (content/notes/index.md) is found by its URL.
        """
        site = self.feed_of.get("")
        url = listing.url if listing is not None else page_url
        own = self.feed_of.get(url) if url else None
        if own is None and publication is not None:
            own = self.feed_of.get(publication.collection.url)
        site_links = feed_links(site, self.settings, self.options) if site else []
        own_links = feed_links(own, self.settings, self.options) if own else []
        return {"alternates": site_links + own_links, "site_feeds": site_links,
                "listing_feeds": own_links if own is not None and own.page_url == url else []}

    def claims(self) -> list[Claim]:
        """The paths the feeds will be written at (catalog/addresses.py)."""
        return [Claim(feed.path(key, self.options), f"the {FORMATS[key].name} feed of {feed.title!r}")
                for feed in self.feed_of.values() for key in self.options.formats]

    def write(self, writer, html_of: Mapping[str, str], extra_of: Mapping[str, dict], memo=None) -> list[Problem]:
        """Every feed into the site (``writer``: runtime's SiteWriter); the problems found on the way.
        ``memo`` (the preview's): ``get(feed)`` gives the files and problems of a feed rendered from
        the same content by an earlier build, or None; ``put(feed, files, problems)`` keeps them."""
        renderer = FeedRenderer(self.settings, self.options, html_of, extra_of)
        for path, data in renderer.render_all(list(self.feed_of.values()), memo).items():
            writer.write(path, data, by="feeds")
        return list(dict.fromkeys(renderer.problems))  # a kept feed may repeat a problem


def select_feeds(catalog: Catalog, settings: SiteSettings, options: FeedOptions) -> list[Feed]:
    """The site feed and one feed per listing page of an enabled kind."""
    if not options.formats:
        return []
    feeds = []
    kinds = listing_kinds(settings) if options.listing_kinds is None else options.listing_kinds
    if "site" in kinds:
        feeds.append(Feed("site", "site", settings.site_name or "Publications", options.description, "",
                          _published(catalog.publications, settings, options.limit),
                          "site" in options.full_content_kinds))
    for listing in catalog.listings.values():
        if listing.kind in kinds:
            feeds.append(_listing_feed(listing, settings, options))
    return sorted(feeds, key=lambda f: (f.page_url, f.key))


def listing_kinds(settings: SiteSettings) -> tuple[str, ...]:
    """Every kind of page that can have feeds, in order."""
    return PAGE_KINDS + settings.taxonomies.kinds


def _listing_feed(listing: Listing, settings: SiteSettings, options: FeedOptions) -> Feed:
    taxonomy = settings.taxonomies.of(listing.kind) if listing.kind in settings.taxonomies.kinds else None
    title = f"{taxonomy.label}: {listing.title}" if taxonomy else listing.title
    if settings.site_name:
        title = f"{title} — {settings.site_name}"
    description = listing.description or f"The newest publications in {listing.title}."
    if taxonomy:
        description = f"The newest publications {taxonomy.about} {listing.title}."
        if listing.description:
            description = f"{description} {listing.description}"
    return Feed(listing.key, listing.kind, title, description, listing.url,
                _published(listing.publications, settings, options.limit),
                listing.kind in options.full_content_kinds)


def _published(publications, settings: SiteSettings, limit: int) -> tuple[Publication, ...]:
    # `serve` puts drafts and future publications in the catalog; feeds never show them.
    shown = (p for p in publications if not p.draft and p.is_visible(settings.now))
    return tuple(islice(shown, limit) if limit > 0 else shown)


def feed_links(feed: Feed, settings: SiteSettings, options: FeedOptions) -> list[dict[str, str]]:
    """``type``/``title``/``href``/``name`` of each format of a feed, for templates."""
    return [
        {"type": FORMATS[key].mime_type, "title": f"{feed.title} ({FORMATS[key].name})",
         "href": settings.absolute(feed.path(key, options)), "name": FORMATS[key].name, "format": key}
        for key in options.formats
    ]


class FeedRenderer:
    """Renders feeds to bytes; each publication's item is built once.

    ``extra_of`` maps a publication URL to extra top-level members of its
    JSON Feed item (JSON Feed extensions start with ``_``, such as
    ``{"_smartnotes": {"related": [...]}}``).
    """

    def __init__(self, settings: SiteSettings, options: FeedOptions, html_of: Mapping[str, str],
                 extra_of: Mapping[str, dict] | None = None):
        self.settings, self.options, self.html_of = settings, options, html_of
        self.extra_of = extra_of or {}
        self.tag_scheme = settings.absolute(settings.taxonomies.of("tag").url)
        self.problems: list[Problem] = []
        # Caches by (publication URL, full content?): each item is built once.
        self._items: dict[tuple[str, bool], FeedItem] = {}
        self._texts: dict[tuple[str, bool], dict[str, bytes]] = {}  # format key -> item bytes
        self._absolute: dict[str, str] = {}  # publication URL -> body HTML, absolute
        # The RSS and Atom of a feed are rendered one after the other and share
        # one feedgen channel (only the self link differs): the last one made.
        self._last_channel: tuple[Feed | None, FeedGenerator | None] = (None, None)
        self._stylesheet = self._stylesheet_instruction()

    def render_all(self, feeds: list[Feed], memo=None) -> dict[str, bytes]:
        """Site-relative path -> bytes of every enabled format of every feed (see FeedsStep.write's memo)."""
        out = {}
        for feed in feeds:
            kept = memo.get(feed) if memo is not None else None
            if kept is not None:
                out.update(kept[0])
                self.problems += kept[1]
                continue
            seen = {p.source_path for p in feed.publications}
            texts = [self.item_texts(p, feed.full_content) for p in feed.publications]
            made = {feed.path(key, self.options): FORMATS[key].render(self, feed, [t[key] for t in texts])
                    for key in self.options.formats}
            out.update(made)
            if memo is not None:
                memo.put(feed, made, [p for p in self.problems if p.path in seen])
        if "rss" in self.options.formats and self.options.stylesheet and out:
            out[self.options.stylesheet] = rss_stylesheet()
        return out

    # -- the model -----------------------------------------------------------
    def item(self, publication: Publication, full: bool = True) -> FeedItem:
        key = (publication.url, full)
        cached = self._items.get(key)
        if cached is None:
            cached = self._items[key] = self._build_item(publication, full)
        return cached

    def content_html(self, publication: Publication) -> str:
        """The body HTML with absolute URLs, made once per publication."""
        cached = self._absolute.get(publication.url)
        if cached is None:
            html = self.html_of.get(publication.url, "")
            try:
                cached = absolute_html(html, self.settings.absolute(publication.url), permalinks=False)
            except MalformedHTML as exc:
                cached = html
                self.problems.append(Problem(
                    publication.source_path, publication.body_line, "body",
                    f"its feed content cannot be made absolute: {exc}",
                    "fix the raw HTML in the Markdown (close every tag; no </body>) or write it as Markdown",
                ))
            self._absolute[publication.url] = cached
        return cached

    def _build_item(self, publication: Publication, full: bool) -> FeedItem:
        absolute = self.settings.absolute
        url = absolute(publication.url)
        content = self.content_html(publication) if full else ""
        download = publication.download
        enclosure = (absolute(download.url), download.size, download.mime_type) if download else None
        return FeedItem(
            id=publication.feed_id or url, url=url, title=publication.title,
            published=publication.date, updated=publication.updated or publication.date,
            authors=tuple((a.name, absolute(a.page_url)) for a in publication.authors),
            tags=tuple(t.name for t in publication.tags), summary=publication.summary,
            content_html=content, enclosure=enclosure,
        )

    # -- item bytes, once per item for every format ----------------------------
    def item_texts(self, publication: Publication, full: bool) -> dict[str, bytes]:
        """Format key -> the serialised RSS item, Atom entry and JSON Feed item of a publication."""
        key = (publication.url, full)
        cached = self._texts.get(key)
        if cached is None:
            extra = _checked_extra(self.extra_of.get(publication.url))
            rss, atom, json = feed_items.item_texts(self.item(publication, full), self.tag_scheme, extra)
            cached = self._texts[key] = {"rss": rss, "atom": atom, "json": json}
        return cached

    # -- RSS and Atom: feedgen's channel, cached items ---------------------------
    def _channel(self, feed: Feed, format_key: str) -> FeedGenerator:
        """feedgen's channel of ``feed`` with the self link of ``format_key``."""
        absolute = self.settings.absolute
        page = absolute(feed.page_url)
        last_feed, generator = self._last_channel
        if last_feed is not feed:
            generator = FeedGenerator()
            # Declares dc: in RSS for the items' dc:creator (register_extension:
            # load_extension imports by name); atom=False leaves Atom without it.
            generator.register_extension("dc", DcExtension, DcEntryExtension, atom=False)
            generator.id(page)
            generator.title(xml_safe(feed.title))
            generator.author({"name": xml_safe(self.settings.site_name or feed.title)})
            generator.language(self.options.language)
            generator.generator(_GENERATOR)
            generator.updated(feed.updated)  # also RSS lastBuildDate; feedgen's default is now
            if self.options.icon:
                icon = absolute(self.options.icon)
                generator.icon(icon)
                generator.logo(icon)
                generator.image(url=icon, title=feed.title, link=page)
            self._last_channel = (feed, generator)
        # Descriptions (a term's, an author's role) are plain text; RSS readers render the
        # channel description as HTML, so it is escaped once more there (issue 13).
        description = xml_safe(feed.description or feed.title)
        generator.description(feed_items.html_text(description) if format_key == "rss" else description)
        generator.link([{"href": absolute(feed.path(format_key, self.options)), "rel": "self",
                         "type": FORMATS[format_key].mime_type},
                        {"href": page, "rel": "alternate"}],  # last: feedgen's RSS <link> is the last link
                       replace=True)
        return generator

    def render_rss(self, feed: Feed, items: list[bytes]) -> bytes:
        head = self._channel(feed, "rss").rss_str(pretty=False)
        return _splice(head, b"</channel>", items, self._stylesheet)

    def render_atom(self, feed: Feed, entries: list[bytes]) -> bytes:
        head = self._channel(feed, "atom").atom_str(pretty=False)
        return _splice(head, b"</feed>", entries, b"")

    def _stylesheet_instruction(self) -> bytes:
        if not self.options.stylesheet:
            return b""
        # Root-relative: browsers apply XSLT only from the feed's own origin.
        href = urlsplit(self.settings.site_url).path.rstrip("/") + "/" + self.options.stylesheet
        return etree.tostring(etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{href}"'))

    # -- JSON Feed -------------------------------------------------------------
    def render_json(self, feed: Feed, items: list[bytes]) -> bytes:
        absolute = self.settings.absolute
        data: dict = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": absolute(feed.page_url),
            "feed_url": absolute(feed.path("json", self.options)),
            "description": feed.description or feed.title,
            "language": self.options.language,
            "authors": [{"name": self.settings.site_name or feed.title, "url": absolute("")}],
        }
        if self.options.icon:
            data["icon"] = data["favicon"] = absolute(self.options.icon)
        data["items"] = []
        head = feed_items.JSON.encode(data).encode("utf-8")
        # The cached item bytes go into the (last, empty) "items" array.
        assert head.endswith(b"[]}")
        return b"".join((head[:-2], b", ".join(items), b"]}"))


def _checked_extra(extra: Mapping[str, object] | None) -> Mapping[str, object] | None:
    if extra:
        bad = [name for name in extra if not name.startswith("_")]
        if bad:
            raise ValueError(f"JSON Feed extension members must start with '_': {bad}")
    return extra


@dataclass(frozen=True)
class FeedFormat:
    key: str
    name: str  # shown to people: "RSS"
    mime_type: str
    render: Callable[[FeedRenderer, Feed, list[bytes]], bytes]  # (renderer, feed, its items' bytes)


FORMATS: dict[str, FeedFormat] = {
    "rss": FeedFormat("rss", "RSS", "application/rss+xml", FeedRenderer.render_rss),
    "atom": FeedFormat("atom", "Atom", "application/atom+xml", FeedRenderer.render_atom),
    "json": FeedFormat("json", "JSON Feed", "application/feed+json", FeedRenderer.render_json),
}


def _splice(document: bytes, closing_tag: bytes, children: list[bytes], instruction: bytes) -> bytes:
    """feedgen's document with ``children`` before its last ``closing_tag``.

    ``document`` is feedgen's own serialisation (an XML declaration line, then
    the root), so the positions are known; the tests parse every result.
    """
    at = document.rindex(closing_tag)
    declaration_end = document.index(b"?>") + 2 if document.startswith(b"<?xml") else 0
    prolog = [document[:declaration_end], b"\n" + instruction] if instruction else [document[:declaration_end]]
    # One join: the items are most of the bytes, copy them once.
    return b"".join([*prolog, document[declaration_end:at], *children, document[at:]])


def rss_stylesheet() -> bytes:
    """The XSL stylesheet that shows an RSS feed as a page in a browser."""
    return resources.files(__package__).joinpath("rss.xsl").read_bytes()
