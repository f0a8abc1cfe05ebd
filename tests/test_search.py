"""Search records and the Pagefind index, without a browser (issue 5)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from sites import build, pagefind_records as fragments, write_site
from smartnotes.content.model import Author, Publication, Term
from smartnotes.runtime.pagefind import PagefindIndexer, SearchIndexError
from smartnotes.content.taxonomies import Taxonomies
from smartnotes.search.records import EXCLUDE_SELECTORS, filters_of, indexed_part, search_record

FILTERS = filters_of(Taxonomies())
from smartnotes.content.settings import DEFAULT_COLLECTIONS

NOTES, CASES = DEFAULT_COLLECTIONS
NEW_YORK = ZoneInfo("America/New_York")


def publication(**fields) -> Publication:
    values = dict(source_path="notes/x.md", collection=NOTES, slug="x", title="A title",
                  date=datetime(2012, 5, 24, tzinfo=NEW_YORK), body="")
    return Publication(**{**values, **fields})


def test_record_of_a_publication():
    record = search_record(publication(
        title="<script>alert(1)</script> Case", collection=CASES,
        date=datetime(2012, 5, 24, 21, 30, tzinfo=NEW_YORK),
        authors=(Author("maggie-long", "Maggie Long"), Author("ana-perez", "Ana Perez")),
        terms=(Term("tag", "client protection", "client-protection"), Term("tag", "transparency", "transparency"),
               Term("country", "Azerbaijan", "azerbaijan"), Term("organization", "AMFA", "amfa")),
    ))
    assert record.meta == {
        "title": "<script>alert(1)</script> Case",  # data, escaped by the template and shown as text
        "kind": "Case Study",
        "date": "2012-05-24T21:30:00-04:00",
        "date_label": "May 24, 2012",
    }
    assert record.filters == {
        "kind": ("Case Study",), "year": ("2012",), "country": ("Azerbaijan",),
        "tag": ("client protection", "transparency"), "author": ("Maggie Long", "Ana Perez"),
    }


def test_every_filter_the_box_offers_is_in_the_record():
    assert [key for key, _, _ in FILTERS] == list(search_record(publication()).filters)


def test_record_without_terms_has_empty_filters():
    filters = search_record(publication()).filters
    assert (filters["country"], filters["tag"], filters["author"]) == ((), (), ())


# -- the index of a tiny site ------------------------------------------------

FILES = {
    "notes/amfa.md": """\
        ---
        title: "Members adopt client protection at AMFA"
        date: 2012-05-24
        authors: [maggie-long]
        summary: Quokka is a word only the summary has.
        tags: [client protection, transparency]
        countries: [Azerbaijan]
        organizations: [AMFA]
        related: [case_studies/transparency.md]
        ---
        The body talks about networks and associations.
        """,
    "notes/crisis.md": """\
        ---
        title: "<script>window.__pwned = 1</script> Crisis response"
        date: 2013-01-10
        authors: [ana-perez]
        tags: [crisis response]
        countries: [Nicaragua]
        ---
        A body about a crisis.
        """,
    "case_studies/transparency.md": """\
        ---
        title: Sector transparency
        date: 2011-02-03
        authors: [maggie-long]
        tags: [transparency]
        countries: [Azerbaijan]
        ---
        A case study body.
        """,
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("search"), FILES)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result


def test_only_publications_are_indexed(tiny):
    entry = json.loads((tiny.site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == 3
    urls = {url.lstrip("/") for url in fragments(tiny.site)}
    assert urls == {"notes/amfa/", "notes/crisis/", "case-studies/transparency/"}


def test_records_carry_meta_and_filters(tiny):
    records = {url.split("/")[-2]: record for url, record in fragments(tiny.site).items()}
    amfa = records["amfa"]
    assert amfa["meta"]["title"] == "Members adopt client protection at AMFA"
    assert amfa["meta"]["kind"] == "Smart Note"
    assert amfa["meta"]["date_label"] == "May 24, 2012"
    assert amfa["filters"] == {"kind": ["Smart Note"], "year": ["2012"], "country": ["Azerbaijan"],
                               "tag": ["client protection", "transparency"], "author": ["Maggie Long"]}
    assert records["transparency"]["filters"]["kind"] == ["Case Study"]
    assert records["crisis"]["meta"]["title"] == FILES["notes/crisis.md"].split('"')[1]


def test_indexed_text_is_the_publications_own(tiny):
    records = {url.split("/")[-2]: r for url, r in fragments(tiny.site).items()}
    amfa = records["amfa"]
    words = amfa["content"].split()
    for expected in ("Quokka", "networks", "Maggie", "Azerbaijan.", "AMFA"):
        assert any(w.startswith(expected.rstrip(".")) for w in words), expected
    assert "transparency" in words  # each topic a word of its own, not "protectiontransparency"
    # "Have you read?" lists another publication's title; share and embed controls are chrome.
    assert "Sector transparency" not in amfa["content"]
    assert "LinkedIn" not in amfa["content"]
    assert "WordPress" not in amfa["content"]
    # The case study lists the note that names it ("Have you read?" or "Referenced in"): not its own words.
    lists = tiny.html("case-studies/transparency/").xpath(
        "//*[contains(@class, 'sn-related') or contains(@class, 'sn-referenced-in')]")
    assert any("Members adopt" in element.text_content() for element in lists)
    assert "Members adopt" not in records["transparency"]["content"]


def test_script_title_is_text_on_the_page(tiny):
    page = tiny.html("notes/crisis/")
    title = FILES["notes/crisis.md"].split('"')[1]
    assert page.xpath("//article//h1")[0].text_content() == title
    scripts = page.xpath("//script[not(@type='application/ld+json')]")  # JSON-LD holds it as data
    assert not [script for script in scripts if "__pwned" in (script.text or "")]
    # Our header.html (Material's, with our search box) escapes it once, not twice.
    topic = page.xpath("//*[@data-md-component='header-topic']")[0]
    assert topic.text_content().strip() == title


def test_search_box_is_in_the_header_of_every_page(tiny):
    for url in ("", "notes/amfa/", "tags/", "countries/azerbaijan/"):
        header = tiny.html(url).xpath("//header[@data-md-component='header']")[0]
        boxes = header.xpath(".//*[@data-sn-search]//input[@type='search']")
        assert len(boxes) == 1, url
        selects = header.xpath(".//*[@data-sn-search]//select/@data-filter")
        assert selects == [key for key, _, _ in FILTERS]


def test_search_can_be_turned_off(tmp_path):
    root = write_site(tmp_path, FILES)
    config = root / "mkdocs.yml"
    options = "      timezone: America/New_York\n"
    config.write_text(config.read_text().replace(options, options + "      search_enabled: false\n"))
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert not (result.site / "pagefind").exists()
    assert not result.html("").xpath("//*[@data-sn-search]")


def test_dirty_build_indexes_every_publication(tmp_path):
    """`build --dirty` renders only changed pages; the others are read from the site."""
    root = write_site(tmp_path, FILES)
    assert build(root, "--strict").returncode == 0
    note = root / "notes" / "crisis.md"
    note.write_text(note.read_text().replace("A body about a crisis.", "A body about a crisis and wombats."))
    result = build(root, "--dirty")
    assert result.returncode == 0, result.output
    records = {url.split("/")[-2]: r for url, r in fragments(result.site).items()}
    assert set(records) == {"amfa", "crisis", "transparency"}
    assert "wombats." in records["crisis"]["content"].split()


def test_records_fed_before_rendering_are_those_of_the_rendered_pages(tiny, tmp_path):
    """The build feeds Pagefind each article before the pages exist (sn-search-document.html);
    Pagefind fed the finished pages (the marked article, as `build --dirty` reads them) agrees."""
    indexer = PagefindIndexer("en", EXCLUDE_SELECTORS)
    try:
        for url in ("notes/crisis/", "notes/amfa/", "case-studies/transparency/"):  # newest first
            page = tiny.site / url / "index.html"
            indexer.add(url, indexed_part(page.read_text(encoding="utf-8"), "en"))
        indexer.write(tmp_path / "bundle")
        indexer.bundle()
    finally:
        indexer.close()
    from_pages = fragments(tmp_path, "bundle")
    assert len(from_pages) == 3
    assert from_pages == fragments(tiny.site)


def test_pagefind_that_stops_is_an_error_that_says_why(tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'cannot start: out of cheese' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(SearchIndexError) as caught:
        PagefindIndexer("en", executable=fake)
    assert "exit code 3" in str(caught.value) and "out of cheese" in str(caught.value)


def test_indexer_writes_the_pages_it_was_given(tmp_path):
    indexer = PagefindIndexer("en")
    try:
        urls = [f"notes/n{i}/" for i in (3, 1, 2)]
        for url in urls:
            indexer.add(url, f"<html lang='en'><head><title>{url}</title></head>"
                             f"<body><main data-pagefind-body><h1>Page {url}</h1><p>Words.</p></main></body></html>")
        indexer.write(tmp_path / "bundle")
        files = indexer.bundle()
    finally:
        indexer.close()
    entry = json.loads(files["pagefind-entry.json"].read_text())
    assert entry["languages"]["en"]["page_count"] == 3
    assert set(fragments(tmp_path, "bundle")) == {f"/{url}" for url in urls}


def test_pagefind_gets_the_marked_article_only(tiny):
    page = (tiny.site / "notes" / "amfa" / "index.html").read_text(encoding="utf-8")
    part = lxml.html.document_fromstring(indexed_part(page, "en"))
    assert part.get("lang") == "en"
    assert [a.get("class") for a in part.xpath("//article")] == ["sn-publication"]
    assert not part.xpath("//header[@data-md-component='header'] | //footer | //*[@data-md-component='sidebar']")
    assert part.xpath("//article//h1")[0].text_content() == "Members adopt client protection at AMFA"
    # A body that writes the marks itself does not cut the article short.
    body = "<p>before <!--/sn-search--> after</p>"
    marked = f"<html><body><!--sn-search--><article>{body}<p>end</p></article><!--/sn-search--></body></html>"
    assert lxml.html.document_fromstring(indexed_part(marked)).xpath("//article/p")[-1].text == "end"
    assert indexed_part("<html><body><p>unmarked</p></body></html>") == "<html><body><p>unmarked</p></body></html>"
