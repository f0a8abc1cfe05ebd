"""The incremental preview (`serve --dirty`, what `make serve` runs): after every kind of save,
what it built is byte for byte what a clean build of the same content gives (issue 15).

The preview runs in this process, as `mkdocs serve` runs it: one plugin for the whole session,
one site folder, ``build(dirty=True)`` on each save. The reference is a clean serve build (drafts
shown) of the same files into a fresh folder. Outputs allowed to differ, and why:

- ``sitemap.xml.gz``: gzip stores the time it was written; compared decompressed;
- ``pagefind/``: the preview installs the search index after the pages (in the background: the
  page is served first); once it is in, its search records (one per page) are compared with the
  clean build's (``sites.pagefind_records``), not its bytes (its metadata carries a build id).
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import feedparser
import lxml.html
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from sites import REPO, SampleProject, pagefind_records
from smartnotes.mkdocs_adapter.later import settle_before_serving

SERVE_URL = "http://127.0.0.1:8000/"

EXTRA = {  # a few more notes that share terms and point at each other
    "notes/alpha.md": """---
title: Alpha note
date: 2013-03-01
authors: [maggie-long]
summary: The alpha note.
tags: [client protection, pricing]
countries: [Peru]
related:
  - notes/beta.md
  - notes/gamma.md
---

Alpha body. See [the beta note](beta.md) and [delta](delta.md).
""",
    "notes/beta.md": """---
title: Beta note
date: 2013-02-01
authors: [placeholder]
summary: The beta note.
tags: [pricing]
countries: [Peru, Kenya]
---

Beta body.
""",
    "notes/gamma.md": """---
title: Gamma note
date: 2013-01-15
authors: [maggie-long]
summary: The gamma note.
tags: [client protection]
countries: [Kenya]
related:
  - notes/alpha.md
---

Gamma body.
""",
    "notes/future.md": """---
title: Future note
date: 2099-01-01
authors: [maggie-long]
summary: Scheduled, so a draft in the preview.
tags: [pricing]
---

Future body.
""",
}

NEW_NOTE = """---
title: Delta note
date: 2013-04-01
authors: [maggie-long]
summary: A new note.
tags: [pricing, transparency]
countries: [Peru]
related:
  - notes/alpha.md
---

Delta body.
"""


class Preview(SampleProject):
    """One `serve --dirty` session in this process, and clean builds to compare it with."""

    def __init__(self, tmp_path: Path):
        # Listings of two per page: every save below also moves publications between the pages of
        # a listing (and the pages it does not touch must stay as they are: Digests.shown_listing).
        super().__init__(tmp_path / "project", EXTRA)
        self.site, self.tmp, self.n = tmp_path / "preview", tmp_path, 0
        self.site.mkdir()
        config = self.config(self.site)
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["smartnotes"]
        self.plugin.incremental.defer = True  # as the server has it: pages a save touches through others settle later
        self.rebuild()

    def config(self, site: Path):
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> set[str]:
        """A preview rebuild: the pages it rendered (site-relative paths; MkDocs writes the theme's
        404.html on every build)."""
        before = {p: p.stat().st_mtime_ns for p in self.site.rglob("*.html")}
        build(self.config(self.site), serve_url=SERVE_URL, dirty=True)
        self.plugin.incremental.later.wait()  # the pages left pending, settled in the background
        assert not self.plugin.incremental.later.failed
        self.plugin.incremental.search.wait()  # the search index follows the pages (deferred)
        assert not self.plugin.incremental.search.error
        return {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")
                if before.get(p) != p.stat().st_mtime_ns} - {"404.html"}

    def clean_build(self) -> Path:
        """The same files built from scratch as `serve` builds them (the plugin is the session's:
        its preview state is set aside meanwhile)."""
        self.n += 1
        site = self.tmp / f"clean-{self.n}"
        kept = self.plugin.incremental
        self.plugin.incremental, self.plugin.dirty = None, False
        try:
            build(self.config(site), serve_url=SERVE_URL, dirty=False)
        finally:
            self.plugin.incremental, self.plugin.dirty = kept, True
        return site

    def assert_same_as_clean(self) -> None:
        clean = self.clean_build()
        ours, theirs = _tree(self.site), _tree(clean)
        assert sorted(ours) == sorted(theirs), {"only in the preview": sorted(set(ours) - set(theirs)),
                                               "only in the clean build": sorted(set(theirs) - set(ours))}
        differ = [rel for rel in ours if ours[rel] != theirs[rel]]
        assert not differ, differ
        assert pagefind_records(self.site) == pagefind_records(clean)

    def page(self, url: str):
        return lxml.html.fromstring((self.site / url / "index.html").read_bytes())


def _tree(site: Path) -> dict[str, bytes]:
    out = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith("pagefind/"):
            continue
        data = path.read_bytes()
        out[rel] = gzip.decompress(data) if rel.endswith(".gz") else data
    return out


def _titles(page, css: str) -> list[str]:
    return [a.text_content().strip() for a in page.cssselect(f"{css} a")]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return Preview(tmp_path_factory.mktemp("preview"))


def test_first_build_is_the_clean_build(preview):
    preview.assert_same_as_clean()


def test_nothing_changed_renders_nothing(preview):
    assert preview.rebuild() == set()
    preview.assert_same_as_clean()


def test_body_edit_renders_the_page_not_the_site(preview):
    preview.edit("notes/beta.md", "Beta body.", "Beta body, edited.")
    rendered = preview.rebuild()
    assert "notes/beta/index.html" in rendered
    assert len(rendered) < len(list(preview.site.rglob("*.html"))) / 2, rendered
    assert "edited" in preview.page("notes/beta").cssselect("article")[0].text_content()
    preview.assert_same_as_clean()


def test_title_change_reaches_other_publications_have_you_read(preview):
    assert "Beta note" in _titles(preview.page("notes/alpha"), ".sn-related")
    paged = [p.relative_to(preview.site).as_posix() for p in (preview.site / "notes" / "page").rglob("index.html")]
    shown_on = [rel for rel in paged if "Beta note" in _titles(preview.page(rel.removesuffix("/index.html")), ".sn-list")]
    assert len(paged) >= 3 and len(shown_on) == 1, (paged, shown_on)  # the collection's pages: one shows it
    preview.edit("notes/beta.md", "title: Beta note", "title: Beta note renamed")
    rendered = preview.rebuild()
    assert {"notes/alpha/index.html", "notes/beta/index.html", "index.html", *shown_on} <= rendered
    assert set(paged) & rendered == set(shown_on), "a page of the collection that does not show it was rendered"
    assert "Beta note renamed" in _titles(preview.page("notes/alpha"), ".sn-related")
    preview.assert_same_as_clean()


def test_tag_change(preview):
    preview.edit("notes/gamma.md", "tags: [client protection]", "tags: [client protection, savings]")
    preview.rebuild()
    assert (preview.site / "tags" / "savings" / "index.html").is_file()
    preview.assert_same_as_clean()


def test_country_change(preview):
    preview.edit("notes/beta.md", "countries: [Peru, Kenya]", "countries: [Peru]")
    preview.rebuild()
    preview.assert_same_as_clean()


def test_new_publication_fills_a_dangling_link_and_the_listings(preview):
    preview.write("notes/delta.md", NEW_NOTE)
    rendered = preview.rebuild()
    assert {"notes/delta/index.html", "notes/alpha/index.html"} <= rendered  # alpha links to delta.md
    assert len(rendered) < len(list(preview.site.rglob("*.html"))) - 1, "every page was rendered again"
    assert "Delta note" in _titles(preview.page("tags/pricing"), ".sn-list")
    preview.assert_same_as_clean()


def test_rename(preview):
    os.replace(preview.root / "notes/gamma.md", preview.root / "notes/gamma-two.md")
    preview.rebuild()
    assert not (preview.site / "notes" / "gamma").exists()
    preview.assert_same_as_clean()


def test_rename_of_a_note_others_name_with_their_links_fixed(preview):
    """As a writer renames: the file, and the `related:` entry and body link that named it."""
    os.replace(preview.root / "notes/beta.md", preview.root / "notes/beta-two.md")
    preview.edit("notes/alpha.md", "notes/beta.md", "notes/beta-two.md")
    preview.edit("notes/alpha.md", "(beta.md)", "(beta-two.md)")
    preview.rebuild()
    assert not (preview.site / "notes" / "beta").exists()
    assert any(title.startswith("Beta note") for title in _titles(preview.page("notes/alpha"), ".sn-related"))
    preview.assert_same_as_clean()
    # ... and back, for the tests that follow (the preview is the module's)
    os.replace(preview.root / "notes/beta-two.md", preview.root / "notes/beta.md")
    preview.edit("notes/alpha.md", "notes/beta-two.md", "notes/beta.md")
    preview.edit("notes/alpha.md", "(beta-two.md)", "(beta.md)")
    preview.rebuild()
    assert not (preview.site / "notes" / "beta-two").exists()
    preview.assert_same_as_clean()


def test_deletion_leaves_nothing_behind(preview):
    (preview.root / "notes/delta.md").unlink()
    preview.rebuild()
    assert not (preview.site / "notes" / "delta").exists()
    assert "Delta note" not in _titles(preview.page("tags/pricing"), ".sn-list")
    preview.assert_same_as_clean()


def test_author_registry_edit(preview):
    preview.edit("content/authors.yml", "name: Maggie Long", "name: Maggie Long-Smith")
    preview.rebuild()
    assert (preview.site / "authors" / "maggie-long" / "index.html").read_text(encoding="utf-8").count("Long-Smith")
    preview.assert_same_as_clean()


def test_a_page_asked_for_is_put_right_before_it_is_served(preview):
    """A rebuild converts the retitled note; the pages are pending until they are asked for (the
    server settles one before it reads the file) or the background thread reaches them; the feeds
    and other extra outputs are written when one of them is asked for, or by that thread first."""
    later = preview.plugin.incremental.later
    later.autostart = False  # no background thread: only what is asked for is settled
    try:
        related = lambda: _titles(preview.page("notes/alpha"), ".sn-related")  # noqa: E731
        assert not [title for title in related() if "again" in title]
        preview.edit("notes/beta.md", "title: Beta note", "title: Beta note again,")
        rendered = preview.rebuild()
        assert "notes/alpha/index.html" not in rendered
        assert "notes/alpha/index.html" in later.pending and "index.html" in later.pending
        assert not [title for title in related() if "again" in title]  # not yet asked for
        feed_titles = lambda: [e.title for e in feedparser.parse((preview.site / "feed.xml").read_bytes()).entries]  # noqa: E731
        assert not [t for t in feed_titles() if "again" in t]  # the feeds: written after the pages' build
        # MkDocs's own server, its request handler wrapped (not started: its handler is called as
        # its threads call it)
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(preview.site))
        assert settle_before_serving(server, later)

        def served(path: str) -> bytes:
            return b"".join(server._serve_request({"PATH_INFO": path}, lambda status, headers: None) or [])

        assert served("/assets/stylesheets/smartnotes.css")  # a file the build made: served as it is,
        assert not [t for t in feed_titles() if "again" in t]  # the extra outputs not written for it
        feed = feedparser.parse(served("/feed.xml"))  # asked for: the extra outputs are written first
        assert [e.title for e in feed.entries if e.title.startswith("Beta note again,")]
        alpha = served("/notes/alpha/")
        assert "notes/alpha/index.html" not in later.pending
        assert [t for t in _titles(lxml.html.fromstring(alpha), ".sn-related") if t.startswith("Beta note again,")]
        assert [title for title in related() if title.startswith("Beta note again,")]
        clean = preview.clean_build()
        assert (preview.site / "notes/alpha/index.html").read_bytes() == (clean / "notes/alpha/index.html").read_bytes()
        # A save lands while a page is being put right: the server serves the page after that
        # build, which may have left it pending again. The page says it is of the version it was
        # put right for, so the browser's script (livereload(epoch, ...)) reloads it once more.
        server._watched_paths = {str(preview.root): 1}  # livereload on: the script goes into each page
        server._visible_epoch = server._wanted_epoch = 100
        settle = later.settle

        def settle_during_a_save(dest: str) -> None:
            settle(dest)
            server._visible_epoch = server._wanted_epoch = 200  # the save's build, done meanwhile

        later.settle = settle_during_a_save
        assert "notes/beta/index.html" in later.pending  # (put right by the request below)
        try:
            beta = served("/notes/beta/")
        finally:
            del later.settle
        assert re.findall(rb"livereload\((\d+),", beta) == [b"100"]
        server._visible_epoch = server._wanted_epoch = 300
        assert re.findall(rb"livereload\((\d+),", served("/notes/beta/")) == [b"300"]  # no save meanwhile
        later.run()  # the rest, as the thread would
        assert not later.pending and not later.failed
        preview.assert_same_as_clean()
    finally:
        later.autostart = True


def test_an_error_and_its_fix(preview):
    preview.edit("notes/beta.md", "date: 2013-02-01", "date: 2013-13-01")
    preview.rebuild()  # serve shows the problem on every page
    preview.assert_same_as_clean()
    preview.edit("notes/beta.md", "date: 2013-13-01", "date: 2013-02-01")
    preview.rebuild()
    preview.assert_same_as_clean()


def test_a_page_of_docs_dir_and_mkdocs_yml_rebuild_everything(preview):
    preview.edit("content/about.md", "\n", "\nEdited about page.\n")
    assert len(preview.rebuild()) == len(list(preview.site.rglob("*.html"))) - 1  # all but 404.html
    preview.assert_same_as_clean()
    preview.edit("mkdocs.yml", "site_name: ", "site_name: Renamed ")
    preview.rebuild()
    preview.assert_same_as_clean()


def test_no_template_reads_a_publication_body():
    """The preview's digest of a publication leaves its Markdown body out (preview/state.py): a
    page shows a body through its converted HTML (``page.content``), never ``….body``."""
    import re

    readers = [p.name for p in (REPO / "theme").rglob("*.html")
               for code in re.findall(r"\{[{%](.*?)[%}]\}", p.read_text(encoding="utf-8"), re.DOTALL)
               if re.search(r"\.body\b|\[\s*['\"]body['\"]\s*\]|attribute\(\s*['\"]body", code)]
    assert readers == []
    assert re.search(r"\.body\b", "{{ publication.body }}")  # the test can see one


def test_no_template_reads_a_related_score():
    """The preview's fingerprints leave the scores of "Have you read?" out
    (mkdocs_adapter/incremental.py: UNSCORED): a new publication shifts every score."""
    import re

    readers = [p.name for p in (REPO / "theme").rglob("*.html")
               for code in re.findall(r"\{[{%](.*?)[%}]\}", p.read_text(encoding="utf-8"), re.DOTALL)
               if re.search(r"\bscore\b", code)]
    assert readers == []


def _publications_read(source: str) -> list[str]:
    """Each ``….publications`` a template reads, as "paging" (of ``paging`` or ``sn.paging``),
    "length" (only counted: ``… | length``) or "all" (its members, whichever listing it is)."""
    from jinja2 import Environment, nodes

    tree = Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"]).parse(source)
    counted = {id(f.node) for f in tree.find_all(nodes.Filter) if f.name in ("length", "count")}
    found = []
    for node in tree.find_all(nodes.Getattr):
        if node.attr != "publications":
            continue
        owner = node.node
        if (isinstance(owner, nodes.Name) and owner.name == "paging") or (
                isinstance(owner, nodes.Getattr) and owner.attr == "paging"):
            found.append("paging")
        else:
            found.append("length" if id(node) in counted else "all")
    return found


def test_listing_pages_show_only_their_page_of_a_listing():
    """The preview's fingerprint of a page stands a listing for its fields, its size and its
    children so (preview/state.py: ``Digests.shown_listing``), and each publication the page's
    ``paging`` holds for itself: a title change renders the listing pages it is on, not all 50
    pages of a collection. So a template reads a listing's members only through ``paging``."""
    readers = {p.relative_to(REPO / "theme").as_posix(): _publications_read(p.read_text(encoding="utf-8"))
               for p in (REPO / "theme").rglob("*.html")}
    # embed/: the extra outputs' templates, given their own data (not ``sn``), memoised by all of it
    assert {name for name, found in readers.items() if "all" in found and not name.startswith("embed/")} == set()
    assert "paging" in readers["listing.html"] and "length" in readers["listing.html"]
    # the check can see one
    assert _publications_read("{% for p in sn.listing.publications %}{% endfor %}") == ["all"]
    assert _publications_read("{{ listing.publications | length }}{{ sn.paging.publications }}") == ["length", "paging"]


def test_serve_dirty_shows_a_title_change_on_the_pages_that_list_it(tmp_path):
    """The real `mkdocs serve --dirty` (`make serve`): once the browser is told to reload (the
    livereload endpoint the script in every page polls), a retitled note shows up in another note's
    "Have you read?", on the home page and in the feed, whether or not the pages were rendered
    yet (the server renders a pending page when it is asked for; the search index: the in-process
    tests)."""
    import subprocess
    import sys
    import time
    import urllib.request

    from test_serve import fetch, free_port

    preview = SampleProject(tmp_path / "project", EXTRA)  # the files only: the server builds them
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--livereload",
                             "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=preview.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"

    def epoch(after: int) -> int:  # as the page's script asks: answered once the site is newer
        with urllib.request.urlopen(f"{url}livereload/{after}/1", timeout=90) as response:
            return int(response.read())

    try:
        assert "Beta note" in _titles(fetch(url + "notes/alpha/", timeout=120), ".sn-related")
        seen = epoch(0)
        preview.edit("notes/beta.md", "title: Beta note", "title: Beta note retitled")
        deadline = time.monotonic() + 60
        while True:  # each new version of the site (an editor's save may be seen half-written first)
            seen = epoch(seen)
            alpha, home, beta = fetch(url + "notes/alpha/"), fetch(url), fetch(url + "notes/beta/")
            if "Beta note retitled" in beta.findtext(".//h1", ""):
                break
            assert time.monotonic() < deadline, "the note never showed its new title"
        # in the same version of the site, every page that shows the note (asked for at once)
        assert "Beta note retitled" in _titles(alpha, ".sn-related")
        assert "Beta note retitled" in _titles(home, ".sn-lead__title") + _titles(home, ".sn-card__title")
        feed = feedparser.parse(urllib.request.urlopen(url + "feed.xml", timeout=30).read())
        assert "Beta note retitled" in [entry.title for entry in feed.entries]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_request_waits_for_the_extra_outputs_only_where_it_may_be_one():
    """Before the extra outputs of a build are written (later.py), a request waits for them only
    for one of the last build's, one this build may write (claimed: a renamed note's redirect at
    its old address, which was a page), or a file not there that the last build did not make
    either: not for a page's asset, nor for a deleted publication's page (a 404 at once)."""
    from smartnotes.mkdocs_adapter.later import Later

    def pending() -> tuple[Later, list]:
        later, written = Later(), []
        later.autostart = False
        later.begin(lambda file: None, {}, lambda: written.append("outputs"), {"feed.xml"},
                    {"feed.xml", "notes/gone/index.html", "notes/renamed/index.html", "assets/site.css"},
                    {"feed.xml", "notes/renamed/index.html", "embed/"})
        return later, written

    later, written = pending()
    later.settle_output("assets/site.css", True)  # made by the engine, as it is
    later.settle_output("notes/gone/index.html", False)  # made last time, removed now
    assert written == []
    later.settle_output("embed/new-note.json", False)  # may be a new publication's
    later.settle_output("feed.xml", True)
    assert written == ["outputs"]  # once
    for path, there in (("feed.xml", True), ("notes/renamed/index.html", False), ("embed/a/index.html", True),
                        ("tags/new/feed.xml", False)):
        later, written = pending()
        later.settle_output(path, there)
        assert written == ["outputs"], path


def test_a_page_that_fails_to_render_later_is_left_to_the_next_build(caplog):
    """A pending page whose rendering fails (on request or in the thread) is logged, not raised
    into the server; it is no longer pending and has no fingerprint on record, so the next build
    renders it again."""
    from types import SimpleNamespace

    from smartnotes.mkdocs_adapter.later import Later

    def broken(file):
        raise RuntimeError("template error")

    for by_request in (True, False):
        later, rendered = Later(), {"notes/a/index.html": "old"}
        later.autostart = False
        later.add(SimpleNamespace(dest_uri="notes/a/index.html", abs_dest_path="/nonexistent"), lambda: "new")
        later.begin(broken, rendered)
        later.settle("notes/a/index.html") if by_request else later.run()
        assert later.failed == ["notes/a/index.html"] and not later.pending
        assert "notes/a/index.html" not in rendered
        assert "could not render notes/a/index.html: template error" in caplog.text


def test_pages_show_the_problems_found_before_the_extra_outputs(tmp_path):
    """A build renders its pages before its extra outputs, so no page shows a problem the feeds or
    redirects find; the preview renders pages after them (later.py) and must show the same."""
    from smartnotes.build import SiteBuild
    from smartnotes.content.problems import Problem
    from smartnotes.project import load_project
    from smartnotes.runtime.output import SiteWriter

    _, settings, options = load_project(REPO / "mkdocs.yml")
    build = SiteBuild(options, settings, serving=True)
    build.gather()
    before = build.site_data()["problems"]
    late = Problem("notes/x.md", 1, "title", "a problem only the feeds find", "fix it", "warning")
    found = build.feeds.write
    build.feeds.write = lambda *args, **kwargs: found(*args, **kwargs) + [late]
    build.writer = SiteWriter(tmp_path / "site")
    build.write_outputs(lambda name, **context: "")
    assert late in build.problems  # reported (logged)
    assert build.site_data()["problems"] == before  # not shown by the pages rendered after
