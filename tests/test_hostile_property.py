"""Property (issue 13): whatever front matter and body people save, no traceback, every feed
parses, and nothing marked draft appears anywhere.

Each example is a small project of a few generated files: hostile YAML (tags,
aliases, nesting, duplicate and wrong-case keys), text with markup and control
characters, other extensions. A file meant as a draft carries a marker in its
title, summary and body; the marker must reach no output of the build, whether
the build succeeds or stops on the problems it finds. The first property runs
the rooms in-process (many examples, fast); the second the real CLI (few).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import feedparser
import lxml.etree as etree
import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sites import AUTHORS, build, every_output, write_site

MARKER = "DRAFTMARK"

# Text people paste: markup, YAML punctuation, control characters, odd Unicode.
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(list("<>&\"'`*&!:[]{}#|>-%@\\/ \t\nxyz\x00\x07\x0b\x1b\x7f\x85\u2028\ufeff\ufffe\ud7ff")),
        st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "&amp;", "---",
                         "*a", "&a [1]", "!!python/object:os.system", "!x", "[[[[", "é", "e\u0301"]),
    ),
    max_size=12,
).map("".join)

draft_lines = st.sampled_from([
    "draft: true", "Draft: true", "DRAFT: True", "draft: true\ndraft: true", "draft: false\ndraft: true",
    "draft: yes", "draft: 'true'", "draft: !!bool true",
])
field_names = st.sampled_from(["title", "summary", "tags", "countries", "organizations", "related", "id", "slug",
                               "download", "image", "updated", "Title", "tgas", "x"])
field_values = st.one_of(
    hostile_text.map(json.dumps),  # a valid double-quoted scalar (JSON strings are YAML)
    hostile_text,  # as typed, often not valid YAML
    st.lists(hostile_text.map(json.dumps), max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.sampled_from(["&a [x, y]", "*a", "[" * 40 + "]" * 40, "!!binary aGk=", "!!python/object:os.system x",
                     "0001-01-01", "1950-01-01T00:00:00+00:44:30", "notes/f0.md"]),
)
extensions = st.sampled_from([".md", ".md", ".md", ".markdown", ".mkd", ".md.txt", ".txt"])
# File names: plain, with a space, accented (NFC and NFD), hidden ('.', '_'), in a folder of their own.
names = st.sampled_from(["f{}", "f {}", "caf\u00e9{}", "cafe\u0301{}", ".f{}", "_f{}", "F{}", "b{}/index"])


@st.composite
def documents(draw, index: int):
    """(file name, text, is a draft) of one generated publication."""
    is_draft = draw(st.booleans())
    title = json.dumps(f"{MARKER}{index} {draw(hostile_text)}" if is_draft else draw(hostile_text) or "t")
    lines = [f"title: {title}", f"date: {draw(st.sampled_from(['2012-05-24', '2999-01-01', '24/05/2012']))}",
             "authors: [maggie-long]"]
    lines += [f"{draw(field_names)}: {draw(field_values)}" for _ in range(draw(st.integers(0, 3)))]
    if is_draft:
        lines.insert(draw(st.integers(0, len(lines))), draw(draft_lines))
        lines.append(f"summary: {json.dumps(MARKER + str(index))}")
        body = f"{draw(hostile_text)}\n\n{MARKER}{index} in the body.\n"
    else:
        body = draw(hostile_text)
    name = draw(names).format(index)
    return f"notes/{name}{draw(extensions)}", "---\n" + "\n".join(lines) + "\n---\n" + body, is_draft


projects = st.tuples(documents(0), documents(1), documents(2))


def write_project(root: Path, docs) -> None:
    write_site(root, {})
    for name, text, _ in docs:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "notes" / "f-good.md").write_text(
        "---\ntitle: Good\ndate: 2012-05-24\nauthors: [maggie-long]\ntags: [t]\n---\nGood body.\n", encoding="utf-8")


def assert_feeds_parse(files: dict[str, bytes]) -> None:
    for path, data in files.items():
        if path.endswith("feed.json"):
            json.loads(data)
        elif path.endswith((".xml",)) and path.rsplit("/", 1)[-1] in ("feed.xml", "atom.xml"):
            etree.fromstring(data)
            assert not feedparser.parse(data).bozo, path


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(projects)
def test_hostile_content_in_process_never_raises_and_drafts_stay_out(docs):
    from datetime import datetime, timezone

    from smartnotes.catalog.listings import build_catalog
    from smartnotes.content.load import load_site
    from smartnotes.content.settings import DEFAULT_COLLECTIONS, SiteSettings
    from smartnotes.feeds.render import FeedOptions, FeedRenderer, select_feeds

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, docs)
        now = datetime(2024, 1, 1, tzinfo=timezone.utc)
        site = SiteSettings(root=root, collections=DEFAULT_COLLECTIONS, site_url="https://example.org/",
                            site_name="S", authors_file=root / "content" / "authors.yml",
                            docs_dir=root / "content", now=now)
        loaded = load_site(site)
        for problem in loaded.problems:
            assert "\n" not in str(problem) and len(str(problem)) < 2000, str(problem)
        catalog, _ = build_catalog(loaded.publications, site.collections, loaded.authors, now)
        html = {p.url: markdown.markdown(p.body) for p in catalog.publications}
        options = FeedOptions(icon="favicon.png")
        out = FeedRenderer(site, options, html).render_all(select_feeds(catalog, site, options))
        assert_feeds_parse(out)
        for path, data in out.items():
            assert MARKER.encode() not in data, path
        assert [rel for _, rel in loaded.assets if rel.endswith((".md.txt", ".txt", ".mkd", ".markdown"))] == []


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(projects)
def test_hostile_content_builds_without_traceback_and_drafts_stay_out(docs):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root, docs)
        result = build(root)
        assert "Traceback" not in result.output, result.output
        assert result.returncode in (0, 1), result.output
        outputs = every_output(result.site)
        for path, text in outputs.items():
            assert MARKER not in text, path
        feeds = {path: (result.site / path).read_bytes() for path in outputs
                 if path.rsplit("/", 1)[-1] in ("feed.xml", "atom.xml", "feed.json")}
        assert_feeds_parse(feeds)
        if result.returncode == 0:
            assert "feed.xml" in feeds
