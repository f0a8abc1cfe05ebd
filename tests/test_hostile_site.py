"""Nothing unpublished gets out (issue 13): tiny sites built with the real CLI.

Each case is a tiny tree (links need a real file system) and asserts the exact
problem, or that a marker reaches no output at all: pages, feeds, sitemap.xml,
the Pagefind index decompressed, embed cards and widget JSON
(``sites.every_output``). Problems stop `mkdocs build` without --strict, before
anything is written.
"""

from __future__ import annotations

import os
import re
import unicodedata

import feedparser
import lxml.etree as etree
import pytest

from feedcheck import check_feed, feed_files
from sites import AUTHORS, NOTE, build, every_output, write_site

SECRET = "SECRET-MARKER-7f3a"
DRAFT = "DRAFT-MARKER-51c9"
REFUSED_FIX = "copy the file itself into the project if it is meant to be published, or delete the link"
REFUSED_DOCS_FIX = "copy what is meant to be published into the project, or delete the link"


def note(title="A note", extra="", body="Body text.", date="2012-05-24"):
    return NOTE.format(title=title, date=date, extra=extra, body=body)


def problem_lines(output: str) -> list[str]:
    """The `path:line: ...` lines of a build's problem list (the PluginError's indented list)."""
    return [line.strip() for line in output.splitlines() if re.match(r"\s+\S+:\d+: ", line)]


def loaded_problems(root) -> list[str]:
    """Every problem of a project as the build lists them (sorted), without running MkDocs."""
    from smartnotes.content.load import load_site
    from smartnotes.content.settings import site_settings
    from smartnotes.related.links import build_related

    settings = site_settings(root, timezone_name="America/New_York", site_url="https://example.org/sub/",
                             authors_file=root / "content" / "authors.yml", docs_dir=root / "content")
    loaded = load_site(settings)
    related = build_related(loaded.publications, settings.now)
    return [str(p) for p in sorted(loaded.problems + related.problems)]


def assert_nowhere(site, *markers):
    for path, text in every_output(site).items():
        for marker in markers:
            assert marker not in text, f"{marker} in {path}"


@pytest.fixture
def outside(tmp_path):
    """A folder beside the project, with a secret in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"token={SECRET}\n", encoding="utf-8")
    (folder / "page.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    return folder.resolve()


def test_links_out_of_the_project_are_refused_and_never_copied(tmp_path, outside):
    root = write_site(tmp_path / "project", {"notes/a.md": note("A"), ".env": f"TOKEN={SECRET}\n"})
    (root / "notes" / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "notes" / "env.txt").symlink_to(root / ".env")
    (root / "notes" / "gone.pdf").symlink_to(outside / "nothing-here.pdf")
    (root / "content" / "secret.md").symlink_to(outside / "page.md")
    (root / "content" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "notes" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (root / "notes" / "shared").symlink_to(root / "content", target_is_directory=True)
    result = build(root)
    assert result.returncode != 0
    assert problem_lines(result.output) == [
        f"content/elsewhere:1: the folder is a symbolic link to {outside.as_posix()}, outside the project,"
        f" so it is not published — {REFUSED_DOCS_FIX}",
        f"content/secret.md:1: the file is a symbolic link to {outside.as_posix()}/page.md, outside the project,"
        f" so it is not published — {REFUSED_DOCS_FIX}",
        f"notes/elsewhere:1: the folder is a symbolic link to {outside.as_posix()}, outside the project,"
        f" so it is not published — {REFUSED_FIX}",
        "notes/env.txt:1: the file is a symbolic link to .env, a hidden file of the project,"
        f" so it is not published — {REFUSED_FIX}",
        f"notes/gone.pdf:1: the file is a symbolic link to nothing, so it is not published — {REFUSED_FIX}",
        f"notes/secret.txt:1: the file is a symbolic link to {outside.as_posix()}/secret.txt, outside the project,"
        f" so it is not published — {REFUSED_FIX}",
        "notes/shared:1: the folder is a symbolic link, which is not followed, so nothing in it is published"
        " — move the folder itself into the collection, or delete the link",
    ]
    assert "Traceback" not in result.output
    assert_nowhere(result.site, SECRET)


def test_links_from_content_into_a_collection_are_refused(tmp_path):
    """MkDocs would render the collection's Markdown as pages of its own, drafts included."""
    root = write_site(tmp_path, {"notes/a.md": note("A"), "notes/d.md": note(DRAFT, extra="draft: true")})
    (root / "content" / "mirror").symlink_to(root / "notes", target_is_directory=True)
    (root / "content" / "d.md").symlink_to(root / "notes" / "d.md")
    (root / "content" / "everything").symlink_to(root, target_is_directory=True)
    why = "is a symbolic link into the collection folder notes/, whose files the collection publishes"
    assert loaded_problems(root) == [
        f"content/d.md:1: the file {why}, so it is not published — {REFUSED_DOCS_FIX}",
        f"content/everything:1: the folder {why}, so it is not published — {REFUSED_DOCS_FIX}",
        f"content/mirror:1: the folder {why}, so it is not published — {REFUSED_DOCS_FIX}",
    ]


def test_a_link_to_the_build_environment_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTNOTES_TEST_TOKEN", SECRET)
    root = write_site(tmp_path, {"notes/a.md": note("A")})
    (root / "notes" / "environ.txt").symlink_to("/proc/self/environ")
    (root / "notes" / "passwd.txt").symlink_to("/etc/passwd")
    result = build(root)
    assert result.returncode != 0
    lines = problem_lines(result.output)
    assert re.fullmatch(r"notes/environ\.txt:1: the file is a symbolic link to /proc/\d+/environ, outside the"
                        r" project, so it is not published — .*", lines[0]), lines
    assert lines[1] == ("notes/passwd.txt:1: the file is a symbolic link to /etc/passwd, outside the project,"
                        f" so it is not published — {REFUSED_FIX}")
    assert_nowhere(result.site, SECRET, "root:x:0:0")


def test_drafts_in_other_markdown_extensions_stay_unpublished(tmp_path):
    # .markdown, .mdown, .mkdn and .mkd are publications, validated like .md (the writing guide says so).
    files = {f"notes/draft{i}{suffix}": note(f"{DRAFT} {i}", extra="draft: true", body=f"{DRAFT} body.")
             for i, suffix in enumerate((".markdown", ".mdown", ".mkdn", ".mkd"))}
    files["notes/live.md"] = note("Live")
    files["notes/other.mkd"] = note("Other extension", extra="tags: [mkd]")
    result = build(write_site(tmp_path, files), "--strict")
    assert result.returncode == 0, result.output
    assert (result.site / "notes/other-extension/index.html").is_file() is False  # the slug is the file's
    assert (result.site / "notes/other/index.html").is_file()
    assert not list(result.site.rglob("*.mkd")) and not list(result.site.rglob("*.markdown"))
    assert_nowhere(result.site, DRAFT)


def test_files_only_drafts_use_stay_unpublished(tmp_path):
    pdf = f"%PDF-1.4 {DRAFT}\n%%EOF\n".encode()
    root = write_site(tmp_path, {
        "notes/live.md": note("Live", extra="download: shared.pdf"),
        "notes/shared.pdf": b"%PDF-1.4 shared\n%%EOF\n",
        "notes/d.md": note("Draft", extra="draft: true\ndownload: d.pdf\nimage: d.png"),
        "notes/d.pdf": pdf,
        "notes/d.png": DRAFT.encode(),
        "notes/also.md": note("Also draft", extra="draft: true\ndownload: shared.pdf"),
        "notes/later.md": note("Future", date="2999-01-01", extra="download: later.pdf"),
        "notes/later.pdf": pdf,
        "case_studies/secret/index.md": note("Secret bundle", extra="draft: true"),
        "case_studies/secret/plan.pdf": pdf,
        "case_studies/secret/deep/more.txt": DRAFT,
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert (result.site / "notes/shared.pdf").is_file()
    for gone in ("notes/d.pdf", "notes/d.png", "notes/later.pdf", "case-studies/secret"):
        assert not (result.site / gone).exists(), gone
    assert_nowhere(result.site, DRAFT)


def test_other_files_with_front_matter_are_errors_not_copies(tmp_path):
    root = write_site(tmp_path, {
        "notes/a.md": note("A"),
        "notes/x.md.txt": note(DRAFT, extra="draft: true"),
        "notes/notes.txt": note(DRAFT),
        "notes/plain.txt": "Just a text file, published as it is.\n",
    })
    result = build(root)
    assert result.returncode != 0
    assert problem_lines(result.output) == [
        "notes/notes.txt:1: the file starts with front matter, but '.txt' files are not publications, so it would"
        " be published as it is — rename it to 'notes.md' to publish it, or move it out of notes/ if it is private",
        "notes/x.md.txt:1: the file starts with front matter, but '.txt' files are not publications, so it would"
        " be published as it is — rename it to 'x.md' to publish it, or move it out of notes/ if it is private",
    ]
    assert_nowhere(result.site, DRAFT)


def test_a_wrong_case_draft_stops_a_plain_build_before_anything_is_written(tmp_path):
    root = write_site(tmp_path, {
        "notes/a.md": note("A"),
        "notes/secret.md": note(DRAFT, extra="Draft: true", body=DRAFT),
    })
    result = build(root)  # no --strict
    assert result.returncode != 0
    assert problem_lines(result.output) == [
        "notes/secret.md:5: Draft: unknown field 'Draft' — field names are lowercase: write 'draft'"]
    assert not (result.site / "sitemap.xml").exists()
    assert_nowhere(result.site, DRAFT)


def test_field_level_collisions(tmp_path):
    nfc = unicodedata.normalize("NFC", "café")
    nfd = unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    root = write_site(tmp_path, {
        "notes/one.md": note("One", extra="id: tag:example.org,2012:one"),
        "notes/two.md": note("Two", extra="id: tag:example.org,2012:one"),
        "notes/three.md": note("Three", extra="id: https://example.org/sub/notes/four/"),
        "notes/four.md": note("Four"),  # its id is its address
        f"notes/{nfc}.md": note("Café NFC"),
        f"notes/{nfd}.md": note("Café NFD"),
    })
    normalisation = ("but they differ in Unicode normalisation (this one is {0}, the other {1}) — keep one of the"
                     " two files and delete the other (editors and systems save accents differently)")
    assert loaded_problems(root) == sorted([
        f"notes/{nfc}.md:1: the file name looks the same as another file's, 'notes/{nfd}.md', "
        + normalisation.format("NFC", "NFD"),
        f"notes/{nfd}.md:1: the file name looks the same as another file's, 'notes/{nfc}.md', "
        + normalisation.format("NFD", "NFC"),
        "notes/one.md:5: id: the id 'tag:example.org,2012:one' is also the id of notes/two.md"
        " — give each publication its own id (a moved publication keeps the id it had)",
        "notes/three.md:5: id: the id 'https://example.org/sub/notes/four/' is also the id of notes/four.md"
        " — give each publication its own id (a moved publication keeps the id it had)",
        "notes/two.md:5: id: the id 'tag:example.org,2012:one' is also the id of notes/one.md"
        " — give each publication its own id (a moved publication keeps the id it had)",
    ])


def test_a_broken_authors_registry_is_one_problem_at_its_line(tmp_path):
    broken = AUTHORS + "eve:\n  name: [Eve\n  role: x\n"
    root = write_site(tmp_path, {f"notes/n{i}.md": note(f"N{i}") for i in range(3)}, authors=broken)
    result = build(root)  # through the CLI once: the output has no PyYAML dump and no cascade
    assert result.returncode != 0
    assert problem_lines(result.output) == [
        "content/authors.yml:7: the authors registry is not valid YAML (while parsing a flow sequence; expected"
        " ',' or ']', but got ':') — fix the YAML: one 'id:' line per author, then indented 'name:' and"
        " 'role:' lines"]
    assert "unknown author" not in result.output


def test_a_bad_entry_of_the_registry_does_not_cascade(tmp_path):
    registry = AUTHORS + "eve:\n  name: \"Eve\\e\"\n"
    root = write_site(tmp_path, {"notes/a.md": note("A").replace("maggie-long", "eve")}, authors=registry)
    assert loaded_problems(root) == [
        "content/authors.yml:7: eve.name: the text holds the control character U+001B (ESC), which feeds cannot"
        " carry — delete it"]


def test_related_to_a_publication_with_errors_says_so(tmp_path):
    root = write_site(tmp_path, {
        "notes/a.md": note("A", extra="related:\n  - notes/b.md\n  - b"),
        "notes/b.md": note("B", date="2012-13-01"),
    })
    lines = loaded_problems(root)
    assert lines[:2] == [
        "notes/a.md:6: related: 'notes/b.md' (notes/b.md) has errors of its own, so it is not published"
        " — fix the errors reported for notes/b.md; this entry then works as it is",
        "notes/a.md:7: related: 'b' (notes/b.md) has errors of its own, so it is not published"
        " — fix the errors reported for notes/b.md; this entry then works as it is",
    ]
    assert lines[2].startswith("notes/b.md:3: date: '2012-13-01' is not a real date")
    assert len(lines) == 3


def test_hostile_text_that_is_allowed_stays_text_and_feeds_parse(tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    root = write_site(tmp_path, {
        "notes/a.md": note("A <b>title</b>", extra=f"summary: '{hostile} & more'\ntags: ['<i>tag</i>']",
                           body="Body with <em>raw</em> HTML & an ampersand."),
        "notes/b.md": note("B", extra="tags: ['<i>tag</i>']"),
        "notes/d.md": note(DRAFT, extra="draft: true", body=DRAFT),
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    feeds = feed_files(result.site)
    assert "feed.xml" in feeds and "tags/i-tag-i/feed.xml" in feeds
    for rel, kind in feeds.items():
        check_feed(result.site, rel, kind)
        if kind == "rss":
            for entry in feedparser.parse((result.site / rel).read_bytes()).entries:
                assert "<img" not in entry.get("summary", ""), rel
    channel = etree.fromstring((result.site / "tags/i-tag-i/feed.xml").read_bytes()).find("channel")
    assert channel.findtext("description") == "The newest publications on &lt;i&gt;tag&lt;/i&gt;."
    assert_nowhere(result.site, DRAFT)


def test_body_control_characters_are_refused_at_their_line(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": note("A", body="Line one.\n\nPasted \x1b[31m red.")})
    assert loaded_problems(root) == [
        "notes/a.md:10: body: the text holds the control character U+001B (ESC), which feeds cannot carry"
        " — delete it (it often comes with text pasted from a terminal or a PDF)"]


def test_serve_never_serves_a_link_out_of_the_project(tmp_path, outside):
    """`mkdocs serve` goes on despite problems: the refused files are still never copied."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    root = write_site(tmp_path / "project", {"notes/a.md": note("A")})
    (root / "notes" / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "content" / "secret.txt").symlink_to(outside / "secret.txt")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/sub/"

    def status(url: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                code, home = status(base)
                if code == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.5)
        assert b"notes/secret.txt:1: the file is a symbolic link to" in home  # the preview shows the problem
        for url in ("notes/secret.txt", "secret.txt"):
            code, data = status(base + url)
            assert code == 404 and SECRET.encode() not in data, url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_files_that_are_not_files_are_problems_not_crashes(tmp_path):
    from smartnotes.content.load import load_site
    from smartnotes.content.settings import DEFAULT_COLLECTIONS, SiteSettings

    root = write_site(tmp_path, {"notes/a.md": note("A")})
    os.mkfifo(root / "notes" / "pipe.md")  # reading it would wait for ever
    (root / "notes" / "folder.md").mkdir()  # a folder named like a publication is a folder
    (root / "notes" / "folder.md" / "x.txt").write_text("plain", encoding="utf-8")
    loaded = load_site(SiteSettings(root=root, collections=DEFAULT_COLLECTIONS,
                                    authors_file=root / "content" / "authors.yml"))
    assert [str(p) for p in loaded.problems] == [
        "notes/pipe.md:1: the file is not a regular file (a device, a pipe or a socket), so it is not published"
        " — move it out of the collection's folder, or delete it"]
    assert [rel for _, rel in loaded.assets] == ["notes/folder.md/x.txt"]
