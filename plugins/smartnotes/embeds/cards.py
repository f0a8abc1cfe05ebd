"""Partner embeds (issue 6): oEmbed responses, embed cards and widget data.

Everything here is plain data; the adapter renders the cards and the oEmbed
``html`` from the templates in ``theme/embed/`` and writes the files.

- One publication: ``<pub>/oembed.json`` is a static oEmbed 1.0 ``rich``
  response (https://oembed.com/, section 2.3.4) whose ``html`` has the shape
  WordPress keeps from an untrusted provider (``wp_filter_oembed_result``):
  a ``<blockquote>`` with a link, then a sandboxed ``<iframe>`` to the card
  at ``<pub>/embed/``.
- A list: ``embed/<kind>/<slug>.json`` (newest first, at most ``limit``)
  read by ``embed/widget.js``; ``embed/<kind>/<slug>/`` is the same list
  as a card page for partners who allow iframes but no scripts.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from ..catalog.addresses import Claim
from ..catalog.listings import Catalog
from ..content.images import image_size
from ..content.model import Publication
from ..runtime.output import SiteWriter
from ..content.text import human_date
from ..content.options import option
from ..content.settings import SiteSettings
from ..content.taxonomies import Taxonomies

EMBED_PREFIX = "embed"
WIDGET_PATH = f"{EMBED_PREFIX}/widget.js"
INDEX_PATH = f"{EMBED_PREFIX}/index.json"
HEADERS_PATH = "_headers"
COLLECTIONS_FOLDER = "collections"  # embed/collections/<prefix>.json; a taxonomy's lists are under its prefix
_ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True)
class EmbedList:
    """The latest publications of one collection, tag or country (or all)."""

    kind: str  # "all" | "collection" | an embeddable taxonomy's kind ("tag", "country")
    folder: str  # under embed/: "collections" or the taxonomy's prefix; "" for "all"
    slug: str  # "" for "all"
    title: str  # "Smart Notes", "Transparency", "Azerbaijan", "All publications"
    listing_url: str  # site-relative page of the full list on our site
    publications: tuple[Publication, ...]

    @property
    def base(self) -> str:
        if self.kind == "all":
            return f"{EMBED_PREFIX}/all"
        return f"{EMBED_PREFIX}/{self.folder}/{self.slug}"

    @property
    def data_path(self) -> str:
        return f"{self.base}.json"

    @property
    def card_url(self) -> str:
        return f"{self.base}/"


def card_url(publication: Publication) -> str:
    return f"{publication.url}embed/"


def oembed_path(publication: Publication) -> str:
    return f"{publication.url}oembed.json"


def embed_secret(publication: Publication) -> str:
    """Ten letters and digits, as WordPress's host script accepts (``[a-zA-Z0-9]``).

    WordPress consumers replace it with their own random one; it only pairs a
    card's messages with its iframe, so a stable one keeps builds identical.
    """
    digest = hashlib.sha256(publication.url.encode("utf-8")).digest()
    return "".join(_ALNUM[b % len(_ALNUM)] for b in digest[:10])


def oembed_discovery_href(publication: Publication, settings: SiteSettings) -> str:
    """The ``<link rel="alternate">`` href of a publication's oEmbed JSON.

    A static host ignores the query string, so we give one: a consumer that
    appends ``&maxwidth=...`` (or, naively, ``?...``) still requests the same
    path, and ``url``/``format`` read as a dynamic endpoint would expect.
    """
    query = urlencode({"url": settings.absolute(publication.url), "format": "json"})
    return f"{settings.absolute(oembed_path(publication))}?{query}"


def card_data(publication: Publication, settings: SiteSettings) -> dict:
    """What the card template shows; every value is text (escaped there)."""
    return {
        "title": publication.title,
        "kind": publication.kind_label,
        "date": publication.date.isoformat(),
        "date_label": human_date(publication.date),
        "authors": [author.name for author in publication.authors],
        "summary": publication.summary,
        "url": settings.absolute(publication.url),
        "card_url": settings.absolute(card_url(publication)),
        "secret": embed_secret(publication),
        "site_name": settings.site_name,
        "site_url": settings.site_url,
    }


def oembed_response(publication: Publication, settings: SiteSettings, html: str, width: int, height: int) -> dict:
    """An oEmbed 1.0 ``rich`` response; ``html`` is rendered by the adapter from ``card_data``."""
    data: dict = {
        "version": "1.0",
        "type": "rich",
        "title": publication.title,
        "provider_name": settings.site_name,
        "provider_url": settings.site_url,
        "url": settings.absolute(publication.url),
        "width": width,
        "height": height,
        "html": html,
    }
    if publication.authors:
        data["author_name"] = ", ".join(a.name for a in publication.authors)
        data["author_url"] = settings.absolute(publication.authors[0].page_url)
    if publication.image:
        # The spec wants the image's own size: known for an image we ship; for
        # a remote one, the card's size is the size consumers are asked to use.
        thumbnail_width, thumbnail_height = _local_image_size(publication, settings) or (width, height)
        data["thumbnail_url"] = settings.absolute(publication.image)
        data["thumbnail_width"] = thumbnail_width
        data["thumbnail_height"] = thumbnail_height
    return data


def _local_image_size(publication: Publication, settings: SiteSettings) -> tuple[int, int] | None:
    collection = publication.collection
    prefix = f"{collection.prefix}/"
    if not publication.image.startswith(prefix):
        return None  # remote
    return image_size(settings.root / collection.folder / publication.image[len(prefix):])


def widget_entry(publication: Publication, settings: SiteSettings) -> dict:
    """One publication in a widget list: text only, the widget never parses HTML."""
    return {
        "title": publication.title,
        "url": settings.absolute(publication.url),
        "kind": publication.kind_label,
        "collection": publication.collection.prefix,
        "date": publication.date.isoformat(),
        "date_label": human_date(publication.date),
        "summary": publication.summary,
        **{t.field: [term.slug for term in publication.terms_of(t.kind)] for t in settings.taxonomies.embeddable},
    }


def embed_lists(catalog: Catalog, limit: int, taxonomies: Taxonomies) -> list[EmbedList]:
    """All, each collection, each term of each embeddable taxonomy: newest ``limit`` each."""
    lists = [EmbedList("all", "", "", "Latest publications", "", catalog.publications[:limit])]
    for collection in catalog.collections:
        listing = catalog.listing(collection.url)
        members = listing.publications if listing else ()
        lists.append(EmbedList("collection", COLLECTIONS_FOLDER, collection.prefix, collection.title, collection.url,
                               members[:limit]))
    for taxonomy in taxonomies.embeddable:
        for url, listing in sorted(catalog.listings.items()):
            if listing.kind == taxonomy.kind:
                slug = url.rstrip("/").rsplit("/", 1)[-1]
                lists.append(EmbedList(taxonomy.kind, taxonomy.prefix, slug, listing.title, url,
                                       listing.publications[:limit]))
    return lists


def list_data(embed_list: EmbedList, settings: SiteSettings) -> dict:
    return {
        "title": embed_list.title,
        "listing_url": settings.absolute(embed_list.listing_url),
        "site_name": settings.site_name,
        "publications": [widget_entry(p, settings) for p in embed_list.publications],
    }


def widget_index(lists: list[EmbedList], settings: SiteSettings) -> dict:
    """What the widget reads to explain a wrong ``data-`` value (valid values, by kind)."""
    index: dict = {"site_name": settings.site_name, "site_url": settings.site_url}
    folders = {"collection": COLLECTIONS_FOLDER} | {t.kind: t.prefix for t in settings.taxonomies.embeddable}
    for kind, folder in folders.items():
        index[folder] = {e.slug: e.title for e in lists if e.kind == kind}
    return index


def headers_file(collections) -> str:
    """``_headers`` (Netlify, Cloudflare Pages): the widget fetches JSON from other origins."""
    paths = [f"/{EMBED_PREFIX}/*"] + [f"/{c.prefix}/*/oembed.json" for c in collections]
    rules = "".join(f"{path}\n  Access-Control-Allow-Origin: *\n" for path in paths)
    return "# Written by the smartnotes plugin: partner sites read these files (issue 6).\n" + rules


def embed_links(publication: Publication, settings: SiteSettings) -> dict:
    """URLs the page's "Embed" control shows to editors."""
    collection = publication.collection
    return {
        "page_url": settings.absolute(publication.url),
        "oembed_href": oembed_discovery_href(publication, settings),
        "card_url": settings.absolute(card_url(publication)),
        "widget_url": settings.absolute(WIDGET_PATH),
        "collection": collection.prefix,
        "collection_title": collection.title,
        "listing_url": settings.absolute(collection.url),
        "list_card_url": settings.absolute(EmbedList("collection", COLLECTIONS_FOLDER, collection.prefix, "", "", ()).card_url),
        "title": publication.title,
        "site_name": settings.site_name,
    }


def oembed_alternate(publication: Publication, settings: SiteSettings) -> dict:
    """The discovery ``<link>`` of a publication page (oEmbed spec, section 4)."""
    return {"type": "application/json+oembed", "title": "oEmbed (JSON)",
            "href": oembed_discovery_href(publication, settings)}


@dataclass(frozen=True)
class EmbedOptions:
    """The ``embeds_*`` options."""

    enabled: bool = option(True, "Write oEmbed responses, embed cards, the partner widget's data and `_headers` "
                           "(needs site_url).")
    width: int = option(600, "Width in px of the card iframe that oEmbed consumers show.", at_least=1)
    height: int = option(240, "Initial height in px of that iframe; the card then reports its own.", at_least=1)
    list_limit: int = option(20, "How many publications each widget data file and list card holds.", at_least=1)


def write_embeds(
    catalog: Catalog,
    settings: SiteSettings,
    writer: SiteWriter,
    render: Callable[..., str],  # render(template_name, **context) -> str
    options: EmbedOptions,
    lists: list[EmbedList],  # embed_lists(catalog, …)
    source_of: Callable[[Publication], str] | None = None,
) -> None:
    """Every embed output: oEmbed JSON and card per publication, widget data and list cards, ``_headers``.
    ``source_of`` (the preview's): a digest of a publication, which with the settings makes its card
    and oEmbed response: the files of a publication unchanged since the last build are kept."""
    by = "embeds"
    for publication in catalog.publications:
        card_path, response_path = card_url(publication) + "index.html", oembed_path(publication)
        source = source_of(publication) if source_of is not None else None
        if source is not None and writer.unchanged(card_path, source, by) and writer.unchanged(response_path, source, by):
            continue
        card = card_data(publication, settings)
        if card_path not in writer.written:
            writer.write(card_path, render("embed/card.html", card=card), by, source)
        html = render("embed/oembed.html", card=card, width=options.width, height=options.height).strip()
        response = oembed_response(publication, settings, html, options.width, options.height)
        writer.write(response_path, _json(response), by, source)
    for embed_list in lists:
        data = list_data(embed_list, settings)
        writer.write(embed_list.data_path, _json(data), by)
        writer.write(embed_list.card_url + "index.html", render("embed/list.html", list=data), by)
    writer.write(INDEX_PATH, _json(widget_index(lists, settings)), by)
    if HEADERS_PATH not in writer.reserved:  # a `_headers` written by a person wins
        writer.write(HEADERS_PATH, headers_file(catalog.collections), by)


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


class EmbedsStep:
    """The embeds of one build. Embeds are absolute URLs on other sites: without site_url there are none."""

    def __init__(self, settings: SiteSettings, options: EmbedOptions):
        self.settings, self.options = settings, options
        self.on = options.enabled and bool(settings.site_url)
        self._lists: list[EmbedList] | None = None

    def lists(self, catalog: Catalog) -> list[EmbedList]:
        """The build's widget lists, made once: its addresses are claimed before they are written."""
        if self._lists is None:
            self._lists = embed_lists(catalog, self.options.list_limit, self.settings.taxonomies)
        return self._lists

    def links(self, publication: Publication) -> dict:
        return embed_links(publication, self.settings)

    def alternate(self, publication: Publication) -> dict:
        return oembed_alternate(publication, self.settings)

    def claims(self, catalog: Catalog) -> list[Claim]:
        """The paths the embeds will be written at (catalog/addresses.py)."""
        if not self.on:
            return []
        out = []
        for publication in catalog.publications:
            out.append(Claim(card_url(publication) + "index.html", f"the embed card of {publication.source_path}"))
            out.append(Claim(oembed_path(publication), f"the oEmbed response of {publication.source_path}"))
        for embed_list in self.lists(catalog):
            out.append(Claim(embed_list.data_path, f"the widget data of {embed_list.title!r}"))
            out.append(Claim(embed_list.card_url + "index.html", f"the list card of {embed_list.title!r}"))
        out.append(Claim(INDEX_PATH, "the widget's index"))
        out.append(Claim(HEADERS_PATH, "the generated _headers file", yields=True))  # a person's _headers wins
        return out

    def write(self, catalog: Catalog, writer: SiteWriter, render: Callable[..., str],
              source_of: Callable[[Publication], str] | None = None) -> None:
        write_embeds(catalog, self.settings, writer, render, self.options, self.lists(catalog), source_of)
