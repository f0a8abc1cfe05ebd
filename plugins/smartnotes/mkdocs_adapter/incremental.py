"""`serve --dirty` (what `make serve` runs): each rebuild renders only the pages whose inputs changed.

MkDocs's dirty mode reads and renders a page only when ``File.is_modified()``
says so (by file times: wrong for pages that show other pages). Here each
page's ``is_modified`` answers from the page's fingerprint instead
(``preview/state.py``): the digest of its source and of everything its
template is given. The rest of the build runs as always; what it needs of
pages not converted again comes from the last build (their body HTML for the
feeds, their search article for Pagefind), and what the last build made and
this one does not is removed. A change to ``mkdocs.yml``, the theme or a page
of ``docs_dir`` starts again from a clean folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2.meta
from jinja2 import BytecodeCache, nodes
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.utils import clean_directory, get_build_date

from ..build import SiteBuild
from ..preview.state import Digests, PreviewState, link_targets, site_key
from ..runtime.output import remove_outputs
from ..runtime.pagefind import BUNDLE_DIR, DeferredInstall
from .files import Mounted, publication_meta
from .later import Later


# "Have you read?" and "Referenced in": entries whose score no template reads (tests/test_preview.py).
UNSCORED = ("related", "referenced_in")
_NOT_NOW = lambda: False  # noqa: E731 (a pending page: not rendered in this build)
BUNDLE = f"{BUNDLE_DIR}/"  # the search bundle: installed (and replaced) whole, in the background


class Incremental:
    """The preview's side of one `serve --dirty` session: its state lives as long as the server.
    ``build --dirty`` starts from the state the last one left on disk, and leaves its own."""

    def __init__(self, state: PreviewState | None = None) -> None:
        self.state = state if state is not None else PreviewState()  # `build --dirty`: the last one's (preview/state.py: take_state)
        self.body_key: dict[str, str] = {}  # this build's: publication source path -> body key
        self.digests: Digests | None = None
        self.reads: TemplateReads | None = None  # kept while the theme and mkdocs.yml are
        self.bytecode = _Compiled()  # MkDocs makes a new Jinja environment per build: compile once
        self.search = DeferredInstall()  # each build's search bundle, installed when Pagefind is done
        self.theme_files: tuple[list[str], list[str]] | None = None  # (the theme's folders, their files)
        self.theme_filtered: dict = {}  # (filter's code, static templates) -> (theme_files, names it let through)
        self.kept_templates: set[str] = set()  # theme templates (sitemap.xml) this build kept from the last
        self.defer = False  # pages not touched by a save settled after the reload (the server settles on request)
        self.later = Later()  # those pages (later.py)
        self.converting = False  # pages are being read and converted (a touched one is, if left pending)

    def start(self, config) -> None:
        """Before the build: a full one (clean folder, nothing kept) when the site's key changed.
        The last build's search, if not done yet, gives way: this build indexes everything again."""
        self.search.cancel()
        self.later.cancel()
        if self.later.broken:  # the last build's extra outputs failed in the background
            self.state.reset()
            self.later.broken = False
        if self.state.begin(site_key(_site_files(config))):
            clean_directory(config.site_dir)
            self.reads = None
            self.theme_files = None
        self._list_theme_once(config.theme)

    def _list_theme_once(self, theme) -> None:
        """MkDocs lists every file of the theme's folders on each build (Material's: 14,000, most
        of them icons) to copy its assets. They change only with the site's key (our theme
        folder is in it; Material's is installed): listed once while it holds."""
        get_env = theme.get_env

        def listed_once():
            env = get_env()
            loader = env.loader

            def list_templates():
                if self.theme_files is None or self.theme_files[0] != theme.dirs:
                    self.theme_files = (list(theme.dirs), loader.__class__.list_templates(loader))
                return list(self.theme_files[1])

            loader.list_templates = list_templates
            env.list_templates = filtered_once(env.list_templates)
            return env

        def filtered_once(list_templates):
            # MkDocs then keeps its assets by matching each name against a dozen patterns (0.1 s):
            # the same names, the same filter (its code and ``static_templates``), the same answer.
            def listed(extensions=None, filter_func=None):
                if filter_func is None or extensions is not None:
                    return list_templates(extensions, filter_func)
                key = (filter_func.__code__, tuple(sorted(theme.static_templates)))
                kept = self.theme_filtered.get(key)
                if kept is None or kept[0] is not self.theme_files:
                    names = list_templates(filter_func=filter_func)
                    kept = self.theme_filtered[key] = (self.theme_files, names)
                return list(kept[1])

            return listed

        theme.get_env = listed_once

    def prepare(self, env) -> None:
        """``on_env``: the templates as compiled by the last build (Jinja checks their source).
        The pages are converted: from now on, pending pages are left to be rendered later."""
        env.bytecode_cache = self.bytecode
        self.converting = False

    def _converting(self) -> bool:
        return self.converting

    def memo_render(self, render):
        """``render(template, **context)`` of the extra outputs (embed cards), or the last build's
        text for the same template and context."""
        kept, digests = self.state.rendered, self.digests
        made: dict[tuple[str, str], str] = {}

        def memo(name: str, **context) -> str:
            key = (name, digests.of(context))
            text = kept.get(key)
            if text is None:
                text = render(name, **context)
            made[key] = text
            return text

        self.state.rendered = made  # what this build rendered: the next one's memory
        return memo

    def mark(self, files: Files, config, build: SiteBuild, pages: Mounted) -> None:
        """Give each page of this build its fingerprint, and MkDocs the answer to "render it again?".
        With ``defer`` (a server that settles pages on request: later.py), every page is left
        pending: its fingerprint is worked out, and the page rendered, after the reload. A
        publication that changed itself is still read and converted in the build (``_converting``):
        the feeds and the search index are made from its body."""
        self.digests = digests = Digests(build.settings.now)
        build.source_of = digests.publication
        reads = self.reads = self.reads or TemplateReads(config)
        state, self.body_key, self.fingerprints, self.article_key = self.state, {}, {}, {}
        self.published, self.converting = {}, True
        site, site_digest = build.site_data(), {}
        searched = build.search.options.enabled

        def url_of(path: str) -> str | None:
            file = files.get_file_from_path(path)
            return file.url if file is not None else None

        def fingerprint(file, publication, listing, own) -> str:
            # The page's data (SiteBuild.page_data) in three parts: the site's, the same for every
            # page (digested once per template); the page's inputs; and what follows from its
            # publication alone (stood for by the publication's digest).
            template = _template_of(publication, listing, file)
            shown = reads(template)
            data = build.page_inputs(publication, listing, file.url.removesuffix("index.html"))
            if shown is not None:  # what the page's templates never read cannot change it
                data = {key: value for key, value in data.items() if key in shown}
            for key in UNSCORED:  # no template shows a score (which a new publication shifts everywhere)
                if data.get(key):
                    data[key] = [{k: v for k, v in entry.items() if k != "score"} if isinstance(entry, dict)
                                 else entry._replace(score=None) for entry in data[key]]
            # Our templates show of a listing its fields and the publications of the page (paging):
            # a listing stands for those (a person's template may show anything: all of it).
            known = shown is not None
            shared_part = (template if known else "", frozenset(data))
            if shared_part not in site_digest:
                site_digest[shared_part] = digests.of({key: value for key, value in site.items()
                                                     if key not in data and (not known or key in shown)}, shown=known)
            return state.fingerprint(file.src_uri, own, site_digest[shared_part], digests.of(data, shown=known),
                                     digests.publication(publication) if publication is not None else "")

        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            publication, listing = pages.publication_of.get(file.src_uri), pages.listing_of.get(file.src_uri)
            touched = False  # a publication changed itself (its page, converted body or search article)
            if publication is not None:
                targets = state.targets.get(publication.source_path)
                if targets is None or targets[0] != publication.body:
                    targets = state.targets[publication.source_path] = (
                        publication.body, link_targets(file.src_uri, publication.body))
                own = state.body_key(repr(publication_meta(publication)), publication.body, file.url,
                                     [(t, url_of(t)) for t in targets[1]])
                self.body_key[publication.source_path] = own
                kept = state.bodies.get(publication.source_path)
                published = self.published[publication.source_path] = digests.publication(publication)
                article = self.article_key[publication.url] = state.fingerprint(own, published)
                touched = (kept is None or kept[0] != own  # not converted as it is: converted now
                           or state.publications.get(publication.source_path) != published
                           or (searched and state.articles.get(publication.url, ("",))[0] != article))
            elif file.generated_by is not None or file.abs_src_path is None:
                own = digests.of(file.content_string)
            else:
                own = digests.of(Path(file.abs_src_path).read_bytes().decode("utf-8", "replace"))
            if self.defer:  # read and converted now if its body is needed (feeds, search); rendered later
                self.later.add(file, (lambda *args: lambda: fingerprint(*args))(file, publication, listing, own))
                file.is_modified = self._converting if touched else _NOT_NOW
                continue
            made = self.fingerprints[file.dest_uri] = fingerprint(file, publication, listing, own)
            changed = touched or made != state.pages.get(file.dest_uri) or not os.path.isfile(file.abs_dest_path)
            file.is_modified = (lambda changed: lambda: changed)(changed)
        self._keep_sitemap(files, config)

    def _keep_sitemap(self, files: Files, config) -> None:
        """MkDocs renders sitemap.xml (and gzips it) on every build, from the address and the build
        date of every page: the same and the last build's is kept."""
        self.kept_templates = set()
        key = self.state.fingerprint(config.site_url or "", get_build_date(),
                                     *[f.url for f in files.documentation_pages()])
        site_dir = Path(config.site_dir)
        if ("sitemap.xml" in config.theme.static_templates and self.state.sitemap == key
                and (site_dir / "sitemap.xml").is_file() and (site_dir / "sitemap.xml.gz").is_file()):
            config.theme.static_templates.discard("sitemap.xml")
            self.kept_templates.add("sitemap.xml")
        self.state.sitemap = key

    def feeds_memo(self, build: SiteBuild) -> "_FeedsMemo":
        """The feeds of the last build, by their content (FeedsStep.write)."""
        return _FeedsMemo(self.state, self.digests, self.body_key, build.related.feed_extras(build.settings.absolute))

    def keep_body(self, publication, html: str, page) -> None:
        """A body converted in this build (``on_page_content``), and what MkDocs learnt of the page
        in converting it (its table of contents, title, anchors and links to other pages'
        anchors), for :meth:`converted_before`."""
        links = page.links_to_anchors
        self.state.bodies[publication.source_path] = (self.body_key[publication.source_path], html, (
            page.toc, page._title_from_render, set(page.present_anchor_ids or ()),
            None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()}))

    def converted_before(self, page, publication) -> None:
        """A page rendered again whose body is as the last build converted it (the same text,
        address and link targets: ``PreviewState.body_key``; a new author's name, a neighbour's
        title): its conversion is the last one's, not made again (``on_pre_page``). MkDocs would
        convert every page it renders; that was a fifth of the rebuild when an author's name
        changed. ``tests/test_preview.py`` compares each rebuild with a clean build."""
        kept = self.state.bodies.get(publication.source_path)
        if kept is None or kept[0] != self.body_key.get(publication.source_path):
            return
        html, (toc, title, anchors, links) = kept[1], kept[2]

        def render(config, files) -> None:  # what mkdocs.structure.pages.Page.render sets
            page.content, page.toc, page._title_from_render = html, toc, title
            page.present_anchor_ids = set(anchors)
            if links is not None:
                page.links_to_anchors = {file: dict(found) for src, found in links.items()
                                         if (file := files.get_file_from_path(src)) is not None}

        page.render = render

    def fill(self, build: SiteBuild) -> None:
        """Before search and feeds: the body HTML of every publication not converted again."""
        for publication in build.catalog.publications:
            if publication.url not in build.html_of:
                build.html_of[publication.url] = self.state.bodies[publication.source_path][1]

    def articles(self, build: SiteBuild, render):
        """``render`` (a publication's search article), or the last build's for the same inputs."""
        kept = self.state.articles

        def article(publication) -> str:  # its converted body and the publication: all it shows
            key = self.article_key[publication.url]
            hit = kept.get(publication.url)
            if hit is None or hit[0] != key:
                hit = kept[publication.url] = (key, render(publication))
            return hit[1]

        return article

    def finish(self, files: Files, config, written: set[str] | None) -> None:
        """After a good build: remove what is no longer made, keep the fingerprints of what was.
        ``written`` None: the extra outputs are written later (later.py): the last build's are left
        as they are until then (:meth:`outputs_written`)."""
        made = self._engine_made(files, config)
        if written is None:
            made |= self.state.outputs & self.state.extras
        else:
            made |= written
            self.state.extras = set(written)
        remove_outputs(Path(config.site_dir), {r for r in self.state.stale_outputs(made) if not r.startswith(BUNDLE)})
        self.state.outputs = made
        pending, before = self.later.pending, self.state.pages  # pending: as the page on disk is
        self.state.pages = {dest: made for dest, made in (
            (f.dest_uri, self.fingerprints.get(f.dest_uri) or (before.get(f.dest_uri) if f.dest_uri in pending else None))
            for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)) if made is not None}
        self.state.publications = self.published
        for gone in set(self.state.bodies) - set(self.body_key):
            del self.state.bodies[gone]
        for gone in set(self.state.targets) - set(self.body_key):
            del self.state.targets[gone]
        urls = {f.url for f in files}
        for gone in set(self.state.articles) - urls:
            del self.state.articles[gone]

    def outputs_written(self, files: Files, config, written: set[str]) -> None:
        """The extra outputs of a build that left them for later are written: the last build's
        that this one did not make again are removed."""
        made = self._engine_made(files, config) | written
        remove_outputs(Path(config.site_dir), {r for r in self.state.stale_outputs(made) if not r.startswith(BUNDLE)})
        self.state.outputs, self.state.extras = made, set(written)

    def _engine_made(self, files: Files, config) -> set[str]:
        made = {f.dest_uri for f in files}
        for name in {*config.theme.static_templates, *self.kept_templates}:
            made |= {name, f"{name}.gz"} if name == "sitemap.xml" else {name}
        return made

    def fail(self) -> None:
        """A failed build: the next one is full; none of its pages is settled later."""
        self.later.cancel()
        self.state.reset()


def _site_files(config) -> list[Path]:
    """What every page depends on: mkdocs.yml, the theme's own folder, the pages of docs_dir."""
    found = [Path(config.config_file_path)] if config.config_file_path else []
    if config.theme.custom_dir:
        found += [p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file()]
    found += [p for p in Path(config.docs_dir).rglob("*.md") if p.is_file()]
    return found


def _template_of(publication, listing, file) -> str:
    if publication is not None:
        return "publication.html"
    if listing is not None:
        return "listing.html"
    if file.generated_by is not None:
        return "sn-broken.html"
    return ""  # a person's page: its own front matter may name any template


class TemplateReads:
    """Which keys of ``sn`` a page template and everything it extends or includes can read,
    found in their syntax trees (``sn.key``, ``sn['key']``; ``if sn`` reads nothing). None
    (read everything) when unknown: a person's page, a template using ``sn`` as a whole."""

    def __init__(self, config) -> None:
        self.env = config.theme.get_env()
        custom = config.theme.custom_dir
        # A name built at render time ("partials/languages/" ~ lang) is one of the theme's
        # own files, or one of ours under partials/: ours are counted in, whichever it is.
        self.ours = sorted(p.relative_to(custom).as_posix() for p in Path(custom).rglob("partials/*.html")) \
            if custom else []
        self._of: dict[str, set[str] | None] = {}

    def __call__(self, name: str) -> set[str] | None:
        if not name:
            return None
        if name not in self._of:
            self._of[name] = self._reads(name)
        return self._of[name]

    def _reads(self, name: str) -> set[str] | None:
        keys: set[str] = set()
        seen: set[str] = set()
        todo, dynamic = [name], False
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                tree = self.env.parse(self.env.loader.get_source(self.env, current)[0])
            except Exception:  # a template that cannot be read: nothing can be assumed
                return None
            for ref in jinja2.meta.find_referenced_templates(tree):
                if ref is None:
                    dynamic = True
                else:
                    todo.append(ref)
            found = _sn_keys(tree)
            if found is None:
                return None
            keys |= found
            if dynamic:
                todo += [t for t in self.ours if t not in seen]
                dynamic = False
        return keys


def _sn_keys(tree) -> set[str] | None:
    """The keys of ``sn`` a template reads, or None if it uses ``sn`` otherwise."""
    keys, accounted = set(), set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name) and node.node.name == "sn":
            if isinstance(node, nodes.Getattr):
                keys.add(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                keys.add(node.arg.value)
            else:
                return None
            accounted.add(id(node.node))
    for node in tree.find_all((nodes.If, nodes.CondExpr)):  # `if sn`, `if sn and …`: a truth test
        tests = [node.test]
        while tests:
            test = tests.pop()
            if isinstance(test, nodes.Not):
                tests.append(test.node)
            elif isinstance(test, (nodes.And, nodes.Or)):
                tests += [test.left, test.right]
            elif isinstance(test, nodes.Name) and test.name == "sn":
                accounted.add(id(test))
    for node in tree.find_all(nodes.Name):
        if node.name == "sn" and id(node) not in accounted:
            return None
    return keys


class _Compiled(BytecodeCache):
    """Compiled templates in memory, by name and source checksum (Jinja's buckets)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class _FeedsMemo:
    """A feed's files and problems by the digest of what it holds: its fields, and of each item
    its publication, its body HTML (full content: stood for by the key it was converted by, or
    kept under) and its extra JSON Feed members."""

    def __init__(self, state: PreviewState, digests: Digests, body_key: dict[str, str], extra_of) -> None:
        self.kept, self.made = state.feeds, {}
        state.feeds = self.made  # what this build made: the next one's memory
        self.digests, self.body_key, self.extra_of = digests, body_key, extra_of

    def _key(self, feed) -> str:
        members = [(self.body_key.get(p.source_path, "") if feed.full_content else "", self.extra_of.get(p.url))
                   for p in feed.publications]
        return self.digests.of((feed, members))

    def get(self, feed):
        key = self._key(feed)
        found = self.kept.get(key)
        if found is not None:
            self.made[key] = found
        return found

    def put(self, feed, files, problems) -> None:
        self.made[self._key(feed)] = (files, problems)
