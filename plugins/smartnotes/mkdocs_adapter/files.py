"""The catalog as MkDocs files: publications, the files beside them, generated listing pages.

Publications live outside ``docs_dir`` (in their collections' folders), so
each becomes a ``File`` with its own source folder and destination; listing
pages are virtual files (``File.generated``) unless a person wrote a page at
that address, which wins (STYLE.md #5).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from markupsafe import escape
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from ..catalog.addresses import Claim, written_by_person
from ..catalog.listings import Catalog, Listing
from ..content.model import Collection, Publication
from ..content.settings import SiteSettings
from ..embeds.cards import WIDGET_PATH


class Mounted:
    """The publication or listing behind each page MkDocs renders (by ``src_uri``)."""

    def __init__(self, publication_of: dict[str, Publication], listing_of: dict[str, Listing]):
        self.publication_of, self.listing_of = publication_of, listing_of

    def publication(self, page) -> Publication | None:
        return self.publication_of.get(page.file.src_uri)

    def listing(self, page) -> Listing | None:
        return self.listing_of.get(page.file.src_uri)

    def set_meta(self, page) -> None:
        """Template, title and description of our pages. Material prints page.meta.title and
        .description unescaped: they are escaped here, so a title full of <script> stays text."""
        publication, listing = self.publication(page), self.listing(page)
        if publication is not None:
            page.meta = publication_meta(publication)
        if listing is not None:
            page.meta["title"] = escape(listing.title)
            page.meta["description"] = escape(listing.description or f"{listing.title}: publications")


def publication_meta(publication: Publication) -> dict[str, str]:
    """A publication page's ``page.meta``: all that MkDocs and other plugins see of it while its
    body is converted (the preview keeps a conversion while this, the body, the page's address
    and its links' targets are the same)."""
    return {"template": "publication.html", "title": escape(publication.title),
            "description": escape(publication.summary)}


def mount(files: Files, config, catalog: Catalog, assets: list[tuple[Collection, str]], settings: SiteSettings,
          embeds_on: bool, broken: dict[str, dict]) -> Mounted:
    """Add the catalog to ``files``: publications, the files beside them, listings."""
    publication_of: dict[str, Publication] = {}
    listing_of: dict[str, Listing] = {}
    root, site_dir, directory_urls = str(settings.root), config.site_dir, config.use_directory_urls
    for publication in catalog.publications:
        visible = publication.is_visible(settings.now)
        file = File(publication.source_path, src_dir=root, dest_dir=site_dir, use_directory_urls=directory_urls,
                    dest_uri=publication.dest_path,
                    inclusion=InclusionLevel.NOT_IN_NAV if visible else InclusionLevel.DRAFT)
        files.append(file)
        publication_of[file.src_uri] = publication
    for collection, rel in assets:
        inside = rel[len(collection.folder) + 1:]
        files.append(File(rel, src_dir=root, dest_dir=site_dir, use_directory_urls=directory_urls,
                          dest_uri=f"{collection.prefix}/{inside}"))
    for url, listing in catalog.listings.items():
        src_uri = f"{url}index.md"
        if src_uri in files.src_uris:
            continue  # a page written by a person wins (never overwritten)
        front = {"template": "listing.html", "title": listing.title}
        files.append(File.generated(config, src_uri, content=f"---\n{json.dumps(front)}\n---\n",
                                    inclusion=InclusionLevel.NOT_IN_NAV))
        listing_of[src_uri] = listing
    for url, page in catalog.pages.items():  # a listing's pages after the first: notes/page/2/
        src_uri = f"{url}index.md"
        if page.number > 1 and src_uri not in files.src_uris:
            front = {"template": "listing.html", "title": page.listing.title}
            files.append(File.generated(config, src_uri, content=f"---\n{json.dumps(front)}\n---\n",
                                        inclusion=InclusionLevel.NOT_IN_NAV))
            listing_of[src_uri] = page.listing
    for url, entry in broken.items():  # `serve`: a publication with errors shows them at its address
        src_uri = f"{url}index.md"
        if src_uri not in files.src_uris:
            front = {"template": "sn-broken.html", "title": f"{entry['path']} has problems"}
            files.append(File.generated(config, src_uri, content=f"---\n{json.dumps(front)}\n---\n",
                                        inclusion=InclusionLevel.NOT_IN_NAV))
    widget = files.get_file_from_path(WIDGET_PATH)
    if widget is not None and not embeds_on:  # the theme ships it; without embeds its data is missing
        files.remove(widget)
    return Mounted(publication_of, listing_of)


def engine_claims(files: Files, config) -> list[Claim]:
    """What MkDocs itself will write: the pages and files of docs_dir (a person's) and the theme's."""
    docs = Path(config.docs_dir).resolve()
    docs_name = os.path.relpath(docs, Path(config.config_file_path).resolve().parent)
    claims = []
    for file in files:
        if Path(file.src_dir or "").resolve() == docs:
            claims.append(written_by_person(file.dest_uri, f"{docs_name}/{file.src_uri}"))
        else:
            claims.append(Claim(file.dest_uri, f"the theme's {file.src_uri}"))
    for name in config.theme.static_templates:  # 404.html, sitemap.xml: a person's page replaces them
        claims += [Claim(path, f"the theme's {path}", yields=True)
                   for path in ([name, f"{name}.gz"] if name == "sitemap.xml" else [name])]
    return claims


_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def render_blank_without_converter(page) -> None:
    """MkDocs makes a Markdown converter for every page it renders (its extensions and their
    processors: 2-3 ms), also for a page with nothing to convert, as a listing page is (its
    source is its front matter). A blank page gets what that converter gives a blank text (Python-Markdown
    returns "" for it: no table of contents, title or anchors) without one being made;
    ``tests/test_frame_parts.py`` compares the two."""
    convert = page.render

    def render(config, files) -> None:
        if page.markdown is None or page.markdown.strip():
            return convert(config, files)
        page.content, page.toc, page._title_from_render, page.present_anchor_ids = "", get_toc([]), None, set()
        if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:  # as Page.render sets it
            page.links_to_anchors = {}

    page.render = render
