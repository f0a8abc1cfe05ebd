"""MkDocs adapter: each event calls the core in the order of the pipeline.

load content -> catalog -> files (publications, assets, listing pages) ->
page data for templates -> extra outputs after the build.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from ..catalog.listings import Catalog, Listing, build_catalog
from ..embeds.cards import WIDGET_PATH, EmbedOptions, embed_links, oembed_alternate, write_embeds
from ..feeds.render import LISTING_KINDS, Feed, FeedOptions, FeedRenderer, feed_links, select_feeds
from ..content.load import LoadResult, load_site
from ..content.model import Collection, Publication
from ..runtime.output import SiteWriter
from ..catalog.pages import article_jsonld, share_links
from ..content.text import human_date
from ..content.problems import Problem, format_problems
from ..related.index import options_from_config
from ..related.links import RelatedResult, backlinks_not_in, build_related, related_json
from ..runtime import pagefind
from ..search import records as search
from ..content.settings import SiteSettings, site_settings
from ..runtime.timing import StageTimer

log = get_plugin_logger(__name__)


class CollectionConfig(base.Config):
    key = c.Type(str)
    """Identifier used in configuration and data (`notes`)."""
    folder = c.Type(str)
    """Folder of Markdown files, relative to mkdocs.yml (`notes`)."""
    prefix = c.Type(str)
    """URL prefix: publications live at /<prefix>/<slug>/."""
    title = c.Type(str)
    """Plural title of the collection's listing page (`Smart Notes`)."""
    label = c.Type(str)
    """Singular kind label shown on each publication (`Smart Note`)."""


class SmartNotesConfig(base.Config):
    collections = c.ListOfItems(c.SubConfig(CollectionConfig), default=[])
    """Collections of publications; empty means Smart Notes and Case Studies."""
    timezone = c.Type(str, default="UTC")
    """Time zone given to dates written without one (IANA name)."""
    authors_file = c.Type(str, default="authors.yml")
    """The authors registry, relative to docs_dir."""
    home_limit = c.Type(int, default=10)
    """How many publications the home page lists."""
    collection_limit = c.Type(int, default=50)
    """How many publications a collection's index lists (its year archives list all)."""
    now = c.Optional(c.Type((str, date, datetime)))
    """Build as if on this ISO date-time (previews future publications); default: the clock."""
    embeds_enabled = c.Type(bool, default=True)
    """Write oEmbed responses, embed cards, the partner widget's data and `_headers` (needs site_url)."""
    embeds_width = c.Type(int, default=600)
    """Width in px of the card iframe that oEmbed consumers show."""
    embeds_height = c.Type(int, default=240)
    """Initial height in px of that iframe; the card then reports its own."""
    embeds_list_limit = c.Type(int, default=20)
    """How many publications each widget data file and list card holds."""
    feeds_formats = c.ListOfItems(c.Choice(("rss", "atom", "json")), default=["rss", "atom", "json"])
    """Feed formats written beside each listing page; [] turns feeds off."""
    feeds_listings = c.ListOfItems(c.Choice(LISTING_KINDS), default=list(LISTING_KINDS))
    """Which pages get feeds: site (the home page), collection, year, tag, country, organization, author."""
    feeds_full_content = c.ListOfItems(c.Choice(LISTING_KINDS), default=["site", "collection"])
    """Feeds whose items carry the whole body; the other feeds carry each summary and link."""
    feeds_limit = c.Type(int, default=20)
    """How many of the newest publications each feed lists (0: all)."""
    feeds_rss_file = c.Type(str, default="feed.xml")
    """File name of the RSS 2.0 feed beside each listing page."""
    feeds_atom_file = c.Type(str, default="atom.xml")
    """File name of the Atom 1.0 feed beside each listing page."""
    feeds_json_file = c.Type(str, default="feed.json")
    """File name of the JSON Feed 1.1 beside each listing page."""
    related_count = c.Type(int, default=3)
    """Entries under "Have you read?": curated ones first, suggestions fill the rest."""
    related_min_score = c.Type((int, float), default=0.2)
    """Points a suggestion needs; below it a publication gets fewer entries, not noise."""
    related_newer = c.Type(bool, default=True)
    """Suggest publications newer than the one shown (old notes get new neighbours)."""
    related_weights = c.Type(dict, default={})
    """Points per shared signal: tag, country, organization, author, collection, text."""
    related_max_share = c.Type((int, float), default=0.2)
    """A signal or word carried by more than this share of publications counts nothing."""
    related_backlinks = c.Type(bool, default=True)
    """Show "Referenced in": the publications that list this one in their `related:`."""
    search_enabled = c.Type(bool, default=True)
    """Index the publications with Pagefind and show the search box in the header."""


class SmartNotesPlugin(BasePlugin[SmartNotesConfig]):
    serving = False  # `mkdocs serve`: show drafts, report problems without stopping
    indexer: pagefind.PagefindIndexer | None = None  # fed each publication page as it is rendered

    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        self.timer = StageTimer()
        self.settings = self._settings(config)
        self.catalog: Catalog | None = None
        self.problems: list[Problem] = []
        self.publication_of: dict[str, Publication] = {}  # src_uri -> publication
        self.listing_of: dict[str, Listing] = {}  # src_uri -> listing
        self.html_of: dict[str, str] = {}  # publication URL -> rendered body HTML
        self.embeds_on = self._embeds_on()
        self.feed_options = self._feed_options(config)
        self.feed_of: dict[str, Feed] = {}  # page URL ("" for home) -> its feed
        try:
            self.related_options = options_from_config(self.config)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugins.smartnotes.{exc}") from None
        self.related: RelatedResult = RelatedResult()
        self.related_of: dict[str, list[dict]] = {}  # publication URL -> "Have you read?" entries
        self.referenced_in: dict[str, list[dict]] = {}  # publication URL -> who lists it in `related:`
        self._stop_search_index()  # of a `serve` rebuild that failed
        return config

    def on_files(self, files: Files, *, config) -> Files:
        with self.timer.stage("load"):
            loaded = load_site(self.settings)
        with self.timer.stage("catalog"):
            self.catalog, catalog_problems = build_catalog(
                loaded.publications, self.settings.collections, loaded.authors,
                self.settings.now, self.settings.include_drafts,
            )
        with self.timer.stage("related"):
            self._build_related(loaded)
        problems = loaded.problems + catalog_problems + self.related.problems
        self._report(problems)
        for file in [f for f in files if f.abs_src_path and loaded.is_refused(f.abs_src_path)]:
            files.remove(file)  # a link out of the project: never copied, even by `serve` (issue 13)
        with self.timer.stage("files"):
            self._add_publications(files, config)
            self._add_assets(files, config, loaded)
            self._add_listings(files, config)
            self._drop_widget_unless_embeds(files)
        with self.timer.stage("feeds"):
            self.feed_of = {f.page_url: f for f in select_feeds(self.catalog, self.settings, self.feed_options)}
        self.writer = SiteWriter(Path(config.site_dir), {f.dest_uri for f in files})
        return files

    @event_priority(100)  # before every plugin: the page phase starts (issue 7 timings)
    def on_pre_page(self, page, *, config, files):
        self.timer.mark("pages")
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # Material prints page.meta.title and .description unescaped: escape
        # them here so a title full of <script> stays text.
        publication = self.publication_of.get(page.file.src_uri)
        if publication is not None:
            page.meta = {"template": "publication.html", "title": escape(publication.title),
                         "description": escape(publication.summary)}
        listing = self.listing_of.get(page.file.src_uri)
        if listing is not None:
            page.meta["title"] = escape(listing.title)
            page.meta["description"] = escape(listing.description or f"{listing.title}: publications")
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        publication = self.publication_of.get(page.file.src_uri)
        if publication is not None:
            self.html_of[publication.url] = html
        return html

    def on_env(self, env, *, config, files):
        env.autoescape = _autoescape_our_templates(env.autoescape, config.theme.custom_dir)
        env.filters["human_date"] = human_date
        env.filters["absolute_url"] = self.settings.absolute
        self.env = env
        self._start_search_index(config)
        if self.indexer is not None:
            with self.timer.stage("search.feed"):
                self._feed_search_index(config, files)
        return env

    def on_template_context(self, context, *, template_name, config):
        context["sn"] = self._site_data()  # 404.html and other theme pages
        return context

    def on_page_context(self, context, *, page, config, nav):
        context["sn"] = self._page_data(page)
        return context

    @event_priority(-100)  # after every plugin's page work: the "pages" span includes it
    def on_post_page(self, output: str, *, page, config) -> str:
        self.timer.mark("pages")
        return output

    def on_post_build(self, *, config) -> None:
        if self.embeds_on:
            with self.timer.stage("embeds"):
                write_embeds(self.catalog, self.settings, self.writer, self._render, self._embed_options())
        with self.timer.stage("feeds"):
            self._write_feeds()
        if self.indexer is not None:
            with self.timer.stage("search"):
                self._write_search_index(config)
        if os.environ.get("SMARTNOTES_TIMINGS"):
            self.timer.write(os.environ["SMARTNOTES_TIMINGS"])

    def on_build_error(self, *, error) -> None:
        self._stop_search_index()

    def on_serve(self, server, *, config, builder):
        for collection in self.settings.collections:
            server.watch(str(self.settings.root / collection.folder))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    # -- steps ---------------------------------------------------------------
    def _settings(self, config) -> SiteSettings:
        try:
            return site_settings(
                Path(config.config_file_path).resolve().parent, timezone_name=self.config.timezone,
                collections=tuple(Collection(**dict(item)) for item in self.config.collections),
                site_url=config.site_url or "", site_name=config.site_name,
                authors_file=Path(config.docs_dir) / self.config.authors_file, docs_dir=Path(config.docs_dir),
                now=self.config.now, include_drafts=self.serving,
            )
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: plugins.smartnotes.{exc}") from None

    def _render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def _embeds_on(self) -> bool:
        """Embeds are absolute URLs on other sites: without site_url there are none."""
        if self.config.embeds_enabled and not self.settings.site_url:
            log.warning("embeds need site_url in mkdocs.yml: without it no oEmbed, card or widget data is written "
                        "(set site_url, or embeds_enabled: false under smartnotes)")
        return self.config.embeds_enabled and bool(self.settings.site_url)

    def _drop_widget_unless_embeds(self, files: Files) -> None:
        """The theme ships embed/widget.js; without embeds its data is missing, so it goes too."""
        widget = files.get_file_from_path(WIDGET_PATH)
        if widget is not None and not self.embeds_on:
            files.remove(widget)

    def _embed_options(self) -> EmbedOptions:
        return EmbedOptions(self.config.embeds_width, self.config.embeds_height, self.config.embeds_list_limit)

    def _feed_options(self, config) -> FeedOptions:
        formats = tuple(self.config.feeds_formats)
        if formats and not config.site_url:
            raise PluginError(
                "mkdocs.yml: site_url is not set, and feeds need absolute URLs — add a line such as "
                "'site_url: https://smartnotes.example.org/' to mkdocs.yml (or turn feeds off with "
                "'feeds_formats: []' under plugins.smartnotes)")
        return FeedOptions(
            formats=formats, limit=self.config.feeds_limit, listing_kinds=tuple(self.config.feeds_listings),
            full_content_kinds=tuple(self.config.feeds_full_content),
            file_names={"rss": self.config.feeds_rss_file, "atom": self.config.feeds_atom_file,
                        "json": self.config.feeds_json_file},
            description=config.site_description or "", language=config.theme.get("language") or "en",
            icon=config.theme.get("favicon") or "",
        )

    def _write_feeds(self) -> None:
        renderer = FeedRenderer(self.settings, self.feed_options, self.html_of, self._feed_extras())
        for path, data in renderer.render_all(list(self.feed_of.values())).items():
            self.writer.write(path, data, by="feeds")
        self._report_late(renderer.problems)

    def _feed_extras(self) -> dict[str, dict]:
        """JSON Feed items carry their "Have you read?" list (a `_smartnotes` extension)."""
        return {url: {"_smartnotes": {"related": related_json(entries, self.settings.absolute)}}
                for url, entries in self.related.lists.items() if entries}

    def _report_late(self, problems: list[Problem]) -> None:
        """Problems found after pages are rendered: same shape, same rule as :meth:`_report`."""
        for problem in sorted(problems):
            (log.error if problem.is_error else log.warning)(str(problem))
        if any(p.is_error for p in problems) and not self.serving:
            raise PluginError(format_problems(problems))

    def _feeds_of_page(self, publication: Publication | None, listing: Listing | None, page) -> dict:
        """Feeds a page advertises: the site's, and its listing's (a publication's: its collection's)."""
        site = self.feed_of.get("")
        # A listing page a person wrote (content/notes/index.md) is found by its URL.
        url = listing.url if listing is not None else page.url.removesuffix("index.html") if page else ""
        own = self.feed_of.get(url) if url else None
        if own is None and publication is not None:
            own = self.feed_of.get(publication.collection.url)
        site_links = feed_links(site, self.settings, self.feed_options) if site else []
        own_links = feed_links(own, self.settings, self.feed_options) if own else []
        return {"alternates": site_links + own_links, "site_feeds": site_links,
                "listing_feeds": own_links if own is not None and own.page_url == url else []}

    def _report(self, problems: list[Problem]) -> None:
        """Stop `build` on errors, listing every problem; `serve` logs and goes on."""
        self.problems = sorted(problems)
        if any(p.is_error for p in self.problems) and not self.serving:
            raise PluginError(format_problems(self.problems))
        for problem in self.problems:
            (log.error if problem.is_error else log.warning)(str(problem))

    def _build_related(self, loaded: LoadResult) -> None:
        self.related = build_related(loaded.publications, self.settings.now, self.related_options,
                                     shown=self.catalog.publications)
        self.related_of = {url: [e.as_dict() for e in entries] for url, entries in self.related.lists.items()}
        self.referenced_in = {
            url: [e.as_dict() for e in backlinks_not_in(entries, self.related.lists.get(url, ()))]
            for url, entries in self.related.backlinks.items()
        }

    def _add_publications(self, files: Files, config) -> None:
        for publication in self.catalog.publications:
            visible = publication.is_visible(self.settings.now)
            file = File(
                publication.source_path, src_dir=str(self.settings.root), dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls, dest_uri=publication.dest_path,
                inclusion=InclusionLevel.NOT_IN_NAV if visible else InclusionLevel.DRAFT,
            )
            files.append(file)
            self.publication_of[file.src_uri] = publication

    def _add_assets(self, files: Files, config, loaded: LoadResult) -> None:
        for collection, rel in loaded.assets:
            inside = rel[len(collection.folder) + 1:]
            files.append(File(
                rel, src_dir=str(self.settings.root), dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls, dest_uri=f"{collection.prefix}/{inside}",
            ))

    def _add_listings(self, files: Files, config) -> None:
        for url, listing in self.catalog.listings.items():
            src_uri = f"{url}index.md"
            if src_uri in files.src_uris:
                continue  # a page written by a person wins (never overwritten)
            front = {"template": "listing.html", "title": listing.title}
            file = File.generated(config, src_uri, content=f"---\n{json.dumps(front)}\n---\n",
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(file)
            self.listing_of[src_uri] = listing

    def _start_search_index(self, config) -> None:
        """Start Pagefind beside the build (see core/search.py)."""
        self._stop_search_index()  # a rebuild under `serve` starts afresh
        if not (self.config.search_enabled and self.catalog and self.catalog.publications):
            return
        self.search_language = config.theme["language"]
        try:
            self.indexer = pagefind.PagefindIndexer(self.search_language, search.EXCLUDE_SELECTORS)
        except pagefind.SearchIndexError as exc:
            raise PluginError(f"search: {exc}") from None
        # In the site folder, so the finished bundle is moved into place, not copied.
        site_dir = Path(config.site_dir)
        site_dir.mkdir(parents=True, exist_ok=True)
        self.search_output = tempfile.TemporaryDirectory(prefix=".smartnotes-search-", dir=site_dir)

    def _feed_search_index(self, config, files: Files) -> None:
        """Give Pagefind every publication's article, newest first, before any page is rendered.

        MkDocs has converted every page's Markdown by ``on_env``, so the
        article can be rendered now: Pagefind then indexes and writes its
        bundle on the second core during the whole page phase, not after it.
        A page `build --dirty` did not convert again is read back from the site.
        """
        template = self.env.get_template("partials/sn-search-document.html")
        site_dir = Path(config.site_dir)
        for publication in self.catalog.publications:
            page = files.get_file_from_path(publication.source_path).page
            if publication.url in self.html_of:
                html = template.render(page=page, base_url=get_relative_url(".", page.url), config=config,
                                       sn=self._article_data(publication), search_language=self.search_language)
            else:
                built = site_dir / publication.dest_path
                if not built.is_file():
                    raise PluginError(f"search: {publication.dest_path} is missing from {site_dir}: "
                                      "run a full `mkdocs build`")
                html = search.indexed_part(built.read_text(encoding="utf-8"), self.search_language)
            self.indexer.add(publication.url, html)
        self.indexer.write(Path(self.search_output.name) / pagefind.BUNDLE_DIR)

    def _write_search_index(self, config) -> None:
        site_dir = Path(config.site_dir)
        try:
            with self.timer.stage("search.pagefind"):
                bundle = self.indexer.bundle()
            for rel in bundle:
                self.writer.claim(f"{pagefind.BUNDLE_DIR}/{rel}", by="search")
            pagefind.remove_stale_bundle(site_dir)
            os.replace(Path(self.search_output.name) / pagefind.BUNDLE_DIR, site_dir / pagefind.BUNDLE_DIR)
        except pagefind.SearchIndexError as exc:
            raise PluginError(f"search: {exc}") from None
        finally:
            self._stop_search_index()

    def _stop_search_index(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
            self.search_output.cleanup()
        self.indexer = None

    def _site_data(self) -> dict:
        """What every page's frame shows (header search, site feeds, problems)."""
        return {
            "catalog": self.catalog,
            "settings": self.settings,
            "problems": self.problems if self.serving else [],
            "publication": None,
            "listing": None,
            "latest": self.catalog.publications[: self.config.home_limit] if self.catalog else (),
            "collection_limit": self.config.collection_limit,
            "search": {"filters": search.search_filters()} if self.config.search_enabled else None,
            **self._feeds_of_page(None, None, None),
        }

    def _page_data(self, page) -> dict:
        publication = self.publication_of.get(page.file.src_uri)
        listing = self.listing_of.get(page.file.src_uri)
        data = {**self._site_data(), "publication": publication, "listing": listing}
        data.update(self._feeds_of_page(publication, listing, page))
        if publication is not None:
            data.update(self._article_data(publication))
            data["share"] = share_links(publication, self.settings)
            data["jsonld"] = article_jsonld(publication, self.settings)
            data["listings"] = self.catalog.listings_of(publication)
            if self.embeds_on:
                data["embed"] = embed_links(publication, self.settings)
                data.setdefault("alternates", []).append(oembed_alternate(publication, self.settings))
            data["related"] = self.related_of.get(publication.url, [])
            data["referenced_in"] = self.referenced_in.get(publication.url, []) if self.config.related_backlinks else []
        return data

    def _article_data(self, publication: Publication) -> dict:
        """What the indexed parts of the article show (partials/sn-article.html), besides `page`."""
        return {"publication": publication, "draft": not publication.is_visible(self.settings.now),
                "search_record": search.search_record(publication)}


def _autoescape_our_templates(previous, custom_dir: str | None):
    """Escape data in our own templates (MkDocs turns autoescaping off).

    Material's templates print ``page.content`` unescaped, so escaping stays
    off for them; templates under ``theme/`` print it with ``|safe``.
    """
    ours = set()
    if custom_dir:
        root = Path(custom_dir)
        ours = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}

    def autoescape(name: str | None) -> bool:
        if name in ours:
            return True
        return previous(name) if callable(previous) else bool(previous)

    return autoescape

