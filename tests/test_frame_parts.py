"""The parts of Material's frame rendered once for many pages (``sn_frame``: the navigation, the
tabs, the header but the title, the footer, the script's settings) change no byte of the site:
a build that renders every part on every page gives the same files."""

from __future__ import annotations

import collections
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from smartnotes.mkdocs_adapter import templates
from sites import REPO, SampleProject
from test_preview import _tree


def _build(root: Path, site: Path) -> dict[str, bytes]:
    """`mkdocs build` in this process (MkDocs keeps one plugin per process: told the command)."""
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return _tree(site)


def test_frame_parts_change_no_byte(tmp_path, monkeypatch):
    root = SampleProject(tmp_path / "project").root
    keys = collections.Counter()
    key_of = templates._frame_key

    def counted(context):
        key = key_of(context)
        keys[key] += 1
        return key

    monkeypatch.setattr(templates, "_frame_key", counted)
    shared = _build(root, tmp_path / "shared")
    monkeypatch.setattr(templates, "_frame_key", lambda context: None)
    whole = _build(root, tmp_path / "whole")

    assert sorted(shared) == sorted(whole)
    assert [rel for rel in shared if shared[rel] != whole[rel]] == []
    # The parts were shared: pages in one folder (the notes, a listing's pages) got one copy, and
    # the pages in the navigation (None) were rendered whole.
    reused = {key: n for key, n in keys.items() if key is not None and n > 1}
    assert reused and keys[None] > 0, keys
    assert ("/notes", None) in keys and ("/notes/page", None) in keys, keys


def test_a_page_with_navigation_links_into_its_folder_gets_its_own_parts():
    """Links are relative: from notes/a/ a link to notes/a/more/ reads "more/", from notes/b/
    "../a/more/"; so notes/a/ cannot share notes/b/'s parts, and a page in the navigation
    shares nothing."""
    Item = collections.namedtuple("Item", "url children")
    Nav = collections.namedtuple("Nav", "items pages")
    more, about = Item("notes/a/more/", None), Item("about/", None)
    nav = Nav([Item(None, [more]), about], [more, about])

    def key(url, page=None):
        return templates._frame_key({"page": page or Item(url, None), "nav": nav})

    assert key("notes/b/") == key("notes/c/") == ("/notes", None)
    assert key("notes/a/") == ("/notes", "/notes/a")
    assert key("") == ("/", "/")  # the top folder: links read differently from every other
    assert key("notes/x.html") == key("notes/y.html") == ("/", "/notes")  # use_directory_urls: false
    assert key(None, page=about) is None


def test_a_blank_page_renders_as_markdown_would_without_a_converter():
    """A listing page's source is its front matter alone: MkDocs's converter is not made for it,
    and the page gets what it would have given."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from smartnotes.mkdocs_adapter.files import render_blank_without_converter

    config = load_config(config_file=str(REPO / "mkdocs.yml"))
    config.plugins._current_plugin = "smartnotes"  # as while a plugin's event runs

    def rendered(source: str, shortcut: bool) -> tuple:
        file = File.generated(config, "tags/x/index.md", content=source)
        page = Page(None, file, config)
        page.read_source(config)
        if shortcut:
            render_blank_without_converter(page)
        page.render(config, Files([file]))
        return (page.content, [(t.title, t.id) for t in page.toc], page._title_from_render,
                page.present_anchor_ids,
                {file.src_uri: links for file, links in page.links_to_anchors.items()})

    for source in ('---\n{"template": "listing.html", "title": "X"}\n---\n', "\n  \n", "# A title\n\nText [a](#b).\n"):
        assert rendered(source, shortcut=True) == rendered(source, shortcut=False), source
