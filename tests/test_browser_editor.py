"""The browser editor for real (issue 14): Decap CMS from npm in headless Chromium, against its local
proxy (decap-server), on a copy of the sample site.

(a) a note created through the form is a file that `smartnotes check` accepts and a build publishes;
(b) editing an existing note's title keeps what the editor does not know and the body's Markdown;
(c) a person added to the authors registry in the editor is read by the loader.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import serve_directory
from sites import REPO, build
from smartnotes.content.text import title_slug
from smartnotes.project import load_settings
from smartnotes.runtime.editing import start_proxy, stop, wait_for_port

pytestmark = pytest.mark.skipif(
    not (REPO / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").is_file()
    or not (REPO / "node_modules" / "decap-server").is_dir(),
    reason="node_modules/decap-cms is not installed: `make test` installs it (npm ci)")

SAMPLE = ("mkdocs.yml", "content", "notes", "case_studies", "theme")
TIMEOUT = 30_000  # ms, for the editor's first load (190 chunks beside its script)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Editor:
    """A copy of the sample site with the self-hosted editor built, served, and its proxy running."""

    def __init__(self, root: Path, site: Path, url: str, timezone: str):
        self.root, self.site, self.url, self.timezone = root, site, url, timezone


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """One copy for both tests: (a) adds a note, (b) rewrites another."""
    tmp_path = tmp_path_factory.mktemp("editor")
    root = tmp_path / "project"
    root.mkdir()
    for name in SAMPLE:
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    port = free_port()
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "  - smartnotes:\n"
    assert marker in config
    (root / "mkdocs.yml").write_text(config.replace(
        marker, f"{marker}      editor_self_host: always\n      editor_local_port: {port}\n"), encoding="utf-8")
    site = tmp_path / "site"
    result = build(root, "--strict", site=site)
    assert result.returncode == 0, result.output
    assert (site / "admin" / "decap-cms.js").is_file()
    proxy = start_proxy(root, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    try:
        wait_for_port(port, proxy)
        url, server = serve_directory(site)
        settings, _ = load_settings(root / "mkdocs.yml")
        yield Editor(root, site, url, settings.timezone.key)
    finally:
        if server is not None:
            server.shutdown()
        stop(proxy)


def open_editor(browser, editor: Editor, route: str, ready: str = ""):
    """A tab in the site's time zone, logged in to the local backend, at ``route`` (after '#/'), once
    the text ``ready`` shows (by default the title's field)."""
    context = browser.new_context(timezone_id=editor.timezone)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    tab.goto(f"{editor.url}admin/")
    tab.get_by_role("button", name="Login").click()
    tab.wait_for_selector("text=Smart Notes")
    tab.goto(f"{editor.url}admin/#/{route}")
    (tab.get_by_text(ready, exact=True) if ready else tab.get_by_label("Title", exact=True)).wait_for()
    return context, tab


def publish(tab) -> None:
    tab.get_by_role("button", name="Publish").first.click()
    tab.get_by_text("Publish now", exact=True).click()


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds:g} s")


def split(text: str) -> tuple[dict, str]:
    """Front matter (parsed) and body (as written) of a publication."""
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smartnotes", "check"], cwd=root, capture_output=True, text=True)


def test_a_note_created_in_the_editor_is_checked_and_published(browser, editor):
    title = "Client's rights: fees & rates in Côte d'Ivoire"
    context, tab = open_editor(browser, editor, "collections/notes/new")
    try:
        tab.get_by_label("Title", exact=True).fill(title)
        tab.get_by_label("Date", exact=True).fill("2024-03-05")
        tab.get_by_label("Authors", exact=True).click()
        tab.keyboard.type("Maggie")
        tab.get_by_text("Maggie Long", exact=True).click()  # from the registry, shown by name
        tab.get_by_label("Countries (optional)", exact=True).click()
        tab.keyboard.type("Kenya")
        tab.get_by_text("Kenya", exact=True).click()
        tab.get_by_label("Tags (optional)", exact=True).fill("client protection")
        draft = tab.get_by_label("Draft (optional)", exact=True)
        assert draft.get_attribute("aria-checked") == "true"  # a new entry starts as a draft
        draft.click()
        tab.locator('[aria-label="markdown field"] [contenteditable=true]').click()
        tab.keyboard.type("Fees are shown **before** signing.")  # the body opens in Markdown mode
        publish(tab)
        path = editor.root / "notes" / f"{title_slug(title)}.md"
        text = wait_for(lambda: path.is_file() and path.read_text(encoding="utf-8"))
    finally:
        context.close()
    assert path.name not in {p.name for p in (REPO / "notes").iterdir()}  # never written into the repository
    front, body = split(text)
    assert front == {"title": title, "date": date(2024, 3, 5), "authors": ["maggie-long"],
                     "tags": ["client protection"], "countries": ["Kenya"], "draft": False}
    assert body.strip() == "Fees are shown **before** signing."

    checked = check(editor.root)
    assert checked.returncode == 0 and checked.stdout.startswith("No problems"), checked.stdout + checked.stderr
    published = build(editor.root, "--strict", site=editor.root.parent / "published")
    assert published.returncode == 0, published.output
    page = published.html(f"notes/{title_slug(title)}/")
    assert page.findtext(".//h1") == title
    assert [s.text for s in page.xpath("//article//p/strong")] == ["before"]
    assert page.xpath("//a[contains(@href, 'countries/kenya/')]")
    assert page.xpath("//a[contains(@href, 'authors/maggie-long/')]")


EDITED = "notes/responding-to-a-crisis-fundeser.md"
KEPT_FRONT = """\
---
title: Responding to a Crisis at FUNDESER
# Sample content: the date is a placeholder.
date: 2012-03-20
authors: [placeholder]
summary: A Smart Note on how FUNDESER responded to a crisis.
tags: [crisis response]
countries: [AZ]
organizations: [FUNDESER]
related:
  - notes/hiring-staff-with-disabilities-accessbank.md
  - {title: A page on another site, url: "https://example.org/page"}
aliases: ["/2012/03/20/crisis/", "/?p=12"]
id: "tag:example.org,2012:crisis"
---
"""
KEPT_BODY = """
A paragraph with __strong__ words, *emphasis* and a [link](https://example.org/ "A title").

!!! note "An admonition"
    Indented text inside it.

| a | b |
|---|---|
| 1 | 2 |

## A heading with attributes {: #kept-id }

<!-- a comment for the next editor -->
"""


def test_editing_a_title_keeps_what_the_editor_does_not_know(browser, editor):
    """Fields whose values the widgets cannot show (a code instead of a country's name, a link to another
    site in `related`), the ones it leaves alone, and a body with Markdown the rich-text mode would rewrite."""
    path = editor.root / EDITED
    path.write_text(KEPT_FRONT + KEPT_BODY, encoding="utf-8")
    before_front, before_body = split(path.read_text(encoding="utf-8"))
    context, tab = open_editor(browser, editor, f"collections/notes/entries/{path.stem}")
    try:
        box = tab.get_by_label("Title", exact=True)
        assert box.input_value() == before_front["title"]
        box.fill("Responding to a Crisis at FUNDESER, Revisited")
        publish(tab)
        text = wait_for(lambda: "Revisited" in path.read_text(encoding="utf-8") and path.read_text(encoding="utf-8"))
    finally:
        context.close()
    after_front, after_body = split(text)
    assert after_front == {**before_front, "title": "Responding to a Crisis at FUNDESER, Revisited"}
    assert after_body == before_body
    checked = check(editor.root)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_person_added_in_the_editor_is_in_the_registry(browser, editor):
    """The authors registry is an editable file: the editor writes the list form, which the loader reads."""
    from smartnotes.content.authors import load_authors

    registry = editor.root / "content" / "authors.yml"
    before, problems, _ = load_authors(registry, editor.root)
    assert not problems
    context, tab = open_editor(browser, editor, "collections/authors_registry/entries/registry", ready="2 authors")
    try:
        tab.get_by_role("button", name="Add author").click()
        # Every record's fields are in the page (collapsed); the new record is the last.
        tab.get_by_label("Id", exact=True).last.fill("ana-perez")
        tab.get_by_label("Name", exact=True).last.fill("Ana Pérez")
        tab.get_by_label("Role (optional)", exact=True).last.fill("Editor")
        publish(tab)
        wait_for(lambda: "ana-perez" in registry.read_text(encoding="utf-8"))
    finally:
        context.close()
    after, problems, unsure = load_authors(registry, editor.root)
    assert not problems and not unsure
    assert list(after) == [*before, "ana-perez"]
    assert (after["ana-perez"].name, after["ana-perez"].role) == ("Ana Pérez", "Editor")
    assert all(after[i] == before[i] for i in before)
