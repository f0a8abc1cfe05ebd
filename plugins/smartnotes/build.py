"""One build of the site, without the engine: the pipeline's state, step by step.

The MkDocs adapter (``mkdocs_adapter/plugin.py``) creates a :class:`SiteBuild`
per build and calls it from its events, in this order:

1. :meth:`SiteBuild.gather`: load and validate every publication, build the
   catalog, "Have you read?", and choose the feeds; problems are reported once;
2. the engine converts the Markdown; :meth:`feed_search` gives Pagefind every
   article before any page is rendered;
3. the engine renders each page with :meth:`page_data`;
4. :meth:`write_outputs`: embeds, sharing cards, feeds and the search bundle.

Each feature owns its step (``FeedsStep``, ``EmbedsStep``, ``RelatedPages``,
``SearchStep``); this module only puts them in order and keeps what one
step hands the next (the feeds' "Have you read?" lists, the bodies' HTML).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping

from .cards.step import CardOptions, CardsStep
from .catalog.addresses import Claim, collisions
from .catalog.listings import Catalog, Listing, build_catalog
from .catalog.pagination import paginate
from .catalog.pages import article_jsonld, download_offer, share_links, teaser
from .content.load import load_site
from .content.model import Publication
from .content.options import read_options
from .content.problems import Problem, format_problems
from .content.settings import SiteOptions, SiteSettings, site_settings
from .content.text import default_slug
from .embeds.cards import EmbedOptions, EmbedsStep
from .feeds.render import FeedOptions, FeedsStep
from .importer.options import ImportOptions
from .redirects.pages import RedirectOptions, RedirectsStep
from .related.index import RelatedOptions, default_weights
from .related.links import RelatedPages, inputs_key
from .runtime.output import SiteWriter
from .runtime.timing import StageTimer
from .schema.editor import EditorOptions, EditorStep
from .search.records import SearchOptions, SearchStep, search_record

# Every option of the `smartnotes` plugin, by the prefix it has in mkdocs.yml.
OPTION_GROUPS: Mapping[str, type] = {
    "": SiteOptions, "feeds_": FeedOptions, "related_": RelatedOptions, "embeds_": EmbedOptions,
    "search_": SearchOptions, "import_": ImportOptions,
    "redirects_": RedirectOptions, "editor_": EditorOptions, "cards_": CardOptions,
}
WHERE = "mkdocs.yml: plugins.smartnotes."

log = logging.getLogger("mkdocs.plugins.smartnotes")


class ConfigError(Exception):
    """mkdocs.yml asks for something impossible; the message lists every problem."""


class ContentError(Exception):
    """The content has errors; the message lists every problem, once."""


def read_plugin_options(raw: Mapping) -> dict:
    """Every group of :data:`OPTION_GROUPS` from the plugin's mapping, or :class:`ConfigError`
    listing every problem (the build and the commands read mkdocs.yml through here)."""
    options, problems = read_options(raw, OPTION_GROUPS, WHERE)
    if problems:
        raise ConfigError("\n".join(problems))
    taxonomies = options[""].taxonomies
    options["related_"] = replace(options["related_"], default_weights=default_weights(taxonomies))
    return options


def settings_of(options: Mapping, root: Path, docs_dir: Path, *, site_url: str = "", site_name: str = "",
                include_drafts: bool = False, now=None) -> SiteSettings:
    site: SiteOptions = options[""]
    try:
        return site_settings(
            root, timezone_name=site.timezone, collections=site.collections, site_url=site_url,
            site_name=site_name, authors_file=docs_dir / site.authors_file, docs_dir=docs_dir, now=now or site.now,
            include_drafts=include_drafts, taxonomies=site.taxonomies,
        )
    except ValueError as exc:
        raise ConfigError(f"{WHERE}{exc}") from None


class SiteBuild:
    def __init__(self, options: Mapping, settings: SiteSettings, *, serving: bool, description: str = "",
                 language: str = "en", icon: str = ""):
        self.options, self.settings, self.serving = options, settings, serving
        self.site: SiteOptions = options[""]
        self.timer = StageTimer()
        self.catalog: Catalog | None = None
        self.home: list[dict] = []  # the home page's newest publications: the lead, then the cards
        self.problems: list[Problem] = []
        self.html_of: dict[str, str] = {}  # publication URL -> rendered body HTML
        self.load_memo: dict | None = None  # the preview's, kept between rebuilds (content/load.py)
        self.related_memo: dict | None = None  # the preview's: the last "Have you read?" and its inputs' key
        self.defer_search = False  # the preview's: the engine indexes search after the build
        self.search_records: list[tuple[str, str]] | None = None  # and these are what it indexes
        # The preview's: a digest of a publication (all it is but its body), by which an extra output
        # made from the publication alone is kept from the last build (runtime/output.py: unchanged).
        self.source_of: Callable[[Publication], str] | None = None
        self.feeds_memo = None  # the preview's: feeds rendered by an earlier build (FeedsStep.write)
        self.writer: SiteWriter | None = None  # the one way into the site (runtime/output.py)
        self.output_paths: set[str] = set()  # what write_outputs may write (check_addresses)
        # The problems the pages show: those found before the extra outputs are written (the pages
        # are rendered before them; the preview's, after them, shows the same).
        self.shown_problems: list[Problem] | None = None
        self.feeds = FeedsStep(settings, replace(options["feeds_"], description=description, language=language,
                                                 icon=icon))
        if self.feeds.options.formats and not settings.site_url:
            raise ConfigError(
                "mkdocs.yml: site_url is not set, and feeds need absolute URLs — add a line such as "
                "'site_url: https://smartnotes.example.org/' to mkdocs.yml (or turn feeds off with "
                "'feeds_formats: []' under plugins.smartnotes)")
        self.embeds = EmbedsStep(settings, options["embeds_"])
        if options["embeds_"].enabled and not self.embeds.on:
            log.warning("embeds need site_url in mkdocs.yml: without it no oEmbed, card or widget data is written "
                        "(set site_url, or embeds_enabled: false under smartnotes)")
        self.related = RelatedPages(options["related_"])
        self.search = SearchStep(options["search_"], language)
        self.redirects = RedirectsStep(settings, options["redirects_"])
        self.short_links: list[str] = []  # query keys of old short links (`/?p=12`) the home page sends on
        self.editor = EditorStep(settings, options["editor_"], serving)
        self.stylesheets: list[str] = []  # the site's own (extra_css): the editor's preview uses them
        self.cards = CardsStep(settings, options["cards_"])
        if self.cards.problems():
            raise ConfigError("\n".join(WHERE + p for p in self.cards.problems()))

    # -- 1. gather ----------------------------------------------------------------
    def gather(self) -> None:
        self.report(self._gather_content())
        self.home = [teaser(p, self.settings) for p in self.catalog.publications[: self.site.home_limit]]
        self.broken = self._broken_publications() if self.serving else {}
        with self.timer.stage("feeds"):
            self.feeds.select(self.catalog)
        self.short_links = self.redirects.short_link_keys(self.catalog)

    def _gather_content(self) -> list[Problem]:
        """Load, catalog and "Have you read?": the problems of step 1, not yet reported."""
        with self.timer.stage("load"):
            loaded = load_site(self.settings, self.load_memo)
        with self.timer.stage("catalog"):
            self.catalog, catalog_problems = build_catalog(
                loaded.publications, self.settings.collections, loaded.authors, self.settings.now,
                self.settings.include_drafts, self.settings.taxonomies,
            )
            self.catalog.pages = paginate(self.catalog.listings, self.site.listing_page_size)
        with self.timer.stage("related"):
            memo = self.related_memo
            key = inputs_key(loaded.publications, self.settings.now, self.catalog.publications) \
                if memo is not None else None
            if key is not None and memo.get("key") == key:
                self.related = memo["pages"]  # the last build's lists: nothing they are made from changed
            else:
                self.related.build(loaded.publications, self.settings.now, self.catalog.publications)
                if memo is not None:
                    memo.update(key=key, pages=self.related)
        self.assets, self.is_refused = loaded.assets, loaded.is_refused
        self.author_ids = list(loaded.authors)
        return loaded.problems + catalog_problems + self.related.problems + self.editor.problems()

    def check(self, engine_files: Callable[[Callable[[str], bool]], Iterable[Claim]] = lambda is_refused: ()
              ) -> list[Problem]:
        """Every problem :meth:`gather` and :meth:`check_addresses` would report, collected without
        raising or logging and without writing anything (``smartnotes check``). ``engine_files`` gives
        the engine's claims once the content is read, from the test of a refused link. As in a build,
        addresses are checked once the content has no error (a publication with errors has no address,
        and two at one URL are already said)."""
        problems = sorted(self._gather_content())
        if any(p.is_error for p in problems):
            return problems
        self.feeds.select(self.catalog)
        return sorted(set(problems + collisions(self._claims(engine_files(self.is_refused)))))

    def _broken_publications(self) -> dict[str, dict]:
        """`serve`: a publication that has errors is not in the catalog; its address shows its problems
        instead of a 404 (by the file's name: its ``slug:`` may be what is wrong)."""
        shown = {p.source_path for p in self.catalog.publications}
        broken: dict[str, dict] = {}
        for problem in self.problems:
            collection = next((c for c in self.settings.collections if problem.path.startswith(f"{c.folder}/")), None)
            if not problem.is_error or collection is None or problem.path in shown:
                continue
            url = f"{collection.prefix}/{default_slug(PurePosixPath(problem.path))}/"
            entry = broken.setdefault(url, {"path": problem.path, "problems": []})
            if entry["path"] == problem.path:
                entry["problems"].append(problem)
        return broken

    def check_addresses(self, engine_files: Iterable[Claim]) -> None:
        """Every path the build will write has one owner (catalog/addresses.py); ``engine_files``
        are the engine's: the pages and files in docs_dir, the theme's."""
        self.report(collisions(self._claims(engine_files)))

    def _claims(self, engine_files: Iterable[Claim]) -> list[Claim]:
        claims = [*engine_files]
        for publication in self.catalog.publications:
            explicit = "slug" in publication.field_lines
            claims.append(Claim(
                publication.dest_path, f"the publication {publication.source_path}", source=publication.source_path,
                line=publication.line_of("slug") if explicit else 1, field="slug" if explicit else "",
                fix="give it another slug: 'slug: …'" if explicit else "rename the file, or give it a 'slug:'"))
        for collection, rel in self.assets:
            claims.append(Claim(f"{collection.prefix}/{rel[len(collection.folder) + 1:]}", f"{rel} (beside a publication)",
                                source=rel, fix="rename or move the file"))
        for url, listing in self.catalog.listings.items():
            claims.append(Claim(f"{url}index.html", f"the page {listing.title!r} (generated)", yields=True))
        for url, page in self.catalog.pages.items():
            if page.number > 1:  # a listing's own address is claimed above
                claims.append(Claim(f"{url}index.html", f"page {page.number} of {page.listing.title!r} (generated)"))
        outputs = (self.feeds.claims() + self.embeds.claims(self.catalog) + self.redirects.claims(self.catalog)
                   + self.editor.claims() + self.cards.claims(self.catalog))
        self.output_paths = {c.path for c in outputs}  # what write_outputs may write (a folder ends in "/")
        return claims + outputs + self.search.claims()

    def report(self, problems: list[Problem]) -> None:
        """Every problem once, in one format: `build` stops on errors, `serve` shows them on every page."""
        self.problems = sorted([*self.problems, *problems])
        if any(p.is_error for p in problems) and not self.serving:
            raise ContentError(format_problems(self.problems))
        for problem in sorted(problems):
            (log.error if problem.is_error else log.warning)(str(problem))

    # -- 2. search, before the pages ----------------------------------------------
    def feed_search(self, site_dir: Path, render_article: Callable[[Publication], str]) -> None:
        """Give Pagefind every publication's article, newest first (see search/records.py)."""
        if not self.catalog or not self.catalog.publications:
            return
        converted = lambda p: render_article(p) if p.url in self.html_of else None  # noqa: E731
        if self.defer_search:  # the preview: indexed after the build, in the background
            if self.search.options.enabled:
                self.search_records = list(self.search.records(self.catalog.publications, converted))
            return
        self.search.start(site_dir)
        if self.search.running:
            with self.timer.stage("search.feed"):
                self.search.feed(self.catalog.publications, converted)

    # -- 3. each page -------------------------------------------------------------
    def site_data(self) -> dict:
        """What every page's frame shows (header search, site feeds, problems)."""
        return {
            "collections": self.settings.collections,
            "taxonomies": self.settings.taxonomies,
            "problems": (self.problems if self.shown_problems is None else self.shown_problems) if self.serving else [],
            "publication": None,
            "listing": None,
            "home": self.home,
            "search": self.search.page_data(self.settings.taxonomies),
            "short_links": self.short_links,
            **self.feeds.links_of_page(None, None, ""),
        }

    def page_data(self, publication: Publication | None, listing: Listing | None, page_url: str) -> dict:
        data = {**self.site_data(), **self.page_inputs(publication, listing, page_url)}
        if publication is not None:
            data.update(self.publication_data(publication))
            if self.embeds.on:
                data.setdefault("alternates", []).append(self.embeds.alternate(publication))
        return data

    def page_inputs(self, publication: Publication | None, listing: Listing | None, page_url: str) -> dict:
        """What a page shows besides :meth:`site_data` that depends on more than its own publication:
        the listings it is in, "Have you read?", "Referenced in", its feeds (the preview's fingerprint
        of a page, ``mkdocs_adapter/incremental.py``, digests this and the publication)."""
        data = {"publication": publication, "listing": listing,
                "broken": self.broken.get(page_url) if publication is None and listing is None else None,
                "paging": self.catalog.pages.get(page_url) if listing is not None else None}
        data.update(self.feeds.links_of_page(publication, listing, page_url))
        if publication is not None:
            data["listings"] = self.catalog.listings_of(publication)
            data["related"] = self.related.entries_of(publication.url)
            data["referenced_in"] = self.related.referenced_in_of(publication.url)
        return data

    def publication_data(self, publication: Publication) -> dict:
        """What a publication's page shows that follows from the publication and the settings alone
        (so a page whose publication is unchanged shows the same): sharing, card, download, JSON-LD,
        embed links, the indexed article's data."""
        data = self.article_data(publication)
        data["share"] = share_links(publication, self.settings)
        data["og_image"] = self.cards.image_of(publication)
        data["download"] = download_offer(publication.download) if publication.download else None
        data["jsonld"] = article_jsonld(publication, self.settings)
        if self.embeds.on:
            data["embed"] = self.embeds.links(publication)
        return data

    def article_data(self, publication: Publication) -> dict:
        """What the indexed parts of the article show (partials/sn-article.html), besides `page`."""
        return {"publication": publication, "draft": not publication.is_visible(self.settings.now),
                "taxonomies": self.settings.taxonomies,
                "search_record": search_record(publication, self.settings.taxonomies)}

    # -- 4. after the pages -------------------------------------------------------
    def write_outputs(self, render: Callable[..., str]) -> None:
        """Every output besides the pages, through ``self.writer`` (set by the engine, which knows
        the pages it wrote)."""
        writer = self.writer
        self.shown_problems = self.problems  # (report() makes a new list: this one stays as it is)
        if self.embeds.on:
            with self.timer.stage("embeds"):
                self.embeds.write(self.catalog, writer, render, self.source_of)
        with self.timer.stage("cards"):  # og:image: rendered when the cache has no card
            cards = self.cards.write(self.catalog, writer)
        if self.cards.on:
            log.info(f"sharing cards: {cards.rendered} rendered, {cards.from_cache} from the cache ({self.cards.cache_label})")
            for note in cards.notes:
                log.info(note)
        with self.timer.stage("feeds"):
            problems = self.feeds.write(writer, self.html_of, self.related.feed_extras(self.settings.absolute),
                                        self.feeds_memo)
        self.report(problems)
        with self.timer.stage("redirects"):  # old addresses (`aliases:`, old feeds) to the new ones
            self.report(self.redirects.write(self.catalog, writer))
        with self.timer.stage("editor"):  # /admin/: the browser editor (issue 14)
            self.editor.write(writer, self.author_ids, self.stylesheets)
        if self.search.running and not self.defer_search:
            with self.timer.stage("search"):
                self.search.finish(writer, self.timer)

    def stop(self) -> None:
        """A failed or interrupted build: end what runs beside it."""
        self.search.stop()
