"""Feeds of a tiny site: formats, absolute content, dates, ids, discovery, bad input (issue 4)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import yaml

from feedcheck import check_feed, content_urls, feed_files, site_file_of
from sites import build, write_site

SITE_URL = "https://example.org/sub/"
PDF = b"%PDF-1.4\n% a tiny stand-in PDF for the enclosure test\n%%EOF\n"
MARKDOWN = """\
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
"""
FILES = {
    "notes/links.md": """\
        ---
        title: Links, images and anchors
        date: 2024-03-10T18:30:00+05:30
        updated: 2024-03-12T09:00:00+05:30
        authors: [maggie-long, ana-perez]
        summary: A note whose body links everywhere.
        tags: [transparency, pricing]
        countries: [Azerbaijan]
        download: links.pdf
        ---

        Read [the other note](other.md), [its details](other.md#details), [this page's
        details](#details), [a case study](../case_studies/study.md) and [a site](https://example.com/x).

        ![A chart](chart.png){ srcset="../chart.png 1x, ../chart-2x.png 2x" }

        <p><a href="../">All notes</a> <img src="../chart.png" alt="raw"></p>

        ## Details

        The details.
        """,
    "notes/other.md": """\
        ---
        title: A note dated without a time
        date: 2024-03-09
        authors: [ana-perez]
        tags: [transparency]
        id: https://old.example.org/notes/other/
        ---

        Some text.

        ## Details

        More text.
        """,
    "notes/draft.md": """\
        ---
        title: A draft
        date: 2024-01-01
        authors: [ana-perez]
        tags: [transparency]
        draft: true
        ---

        Not yet.
        """,
    "notes/future.md": """\
        ---
        title: From the future
        date: 2999-01-01
        authors: [ana-perez]
        tags: [transparency]
        ---

        Not yet either.
        """,
    "case_studies/study.md": """\
        ---
        title: A case study
        date: 2023-12-31T23:30:00-08:00
        authors: [maggie-long]
        organizations: [AMFA]
        ---

        A study.
        """,
    "notes/chart.png": b"\x89PNG\r\n\x1a\n",
    "notes/chart-2x.png": b"\x89PNG\r\n\x1a\n",
    "notes/links.pdf": PDF,
}
LISTINGS = ["", "notes/", "notes/2024/", "case-studies/", "case-studies/2023/", "tags/transparency/",
            "tags/pricing/", "countries/azerbaijan/", "organizations/amfa/", "authors/maggie-long/",
            "authors/ana-perez/"]
FORMATS = {"feed.xml": "rss", "atom.xml": "atom", "feed.json": "json"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("feeds"), FILES, MARKDOWN)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result


def test_every_listing_has_each_format_and_nothing_else(tiny):
    expected = {f"{page}{name}": kind for page in LISTINGS for name, kind in FORMATS.items()}
    assert feed_files(tiny.site) == expected


@pytest.mark.parametrize("page", LISTINGS)
def test_feeds_parse_and_follow_the_rules(tiny, page):
    for name, kind in FORMATS.items():
        items = check_feed(tiny.site, page + name, kind)
        assert items, f"{page}{name} is empty"
        for item in items.values():
            assert item["link"].startswith(SITE_URL)
            assert site_file_of(tiny.site, SITE_URL, item["link"]).is_file()


def test_drafts_and_future_publications_never_appear(tiny):
    for rel, kind in feed_files(tiny.site).items():
        text = (tiny.site / rel).read_text(encoding="utf-8")
        assert "A draft" not in text and "From the future" not in text, rel
    items = check_feed(tiny.site, "tags/transparency/feed.xml", "rss")
    assert len(items) == 2


def test_site_feed_lists_newest_first_with_stable_ids(tiny):
    for name, kind in FORMATS.items():
        items = check_feed(tiny.site, name, kind)
        assert list(items) == [f"{SITE_URL}notes/links/", "https://old.example.org/notes/other/",
                               f"{SITE_URL}case-studies/study/"], name


def test_dates_keep_their_day_and_offset(tiny):
    for name, kind in FORMATS.items():
        items = check_feed(tiny.site, name, kind)
        with_offset = items[f"{SITE_URL}notes/links/"]["date"]
        assert (with_offset.day, with_offset.hour, with_offset.utcoffset()) == (10, 18, timedelta(hours=5, minutes=30))
        # A bare date is midnight in the site's time zone (America/New_York, EST then).
        bare = items["https://old.example.org/notes/other/"]["date"]
        assert (bare.date().isoformat(), bare.hour, bare.utcoffset()) == ("2024-03-09", 0, timedelta(hours=-5))
        study = items[f"{SITE_URL}case-studies/study/"]["date"]
        assert (study.day, study.utcoffset()) == (31, timedelta(hours=-8)), name


def test_channel_updated_is_the_newest_item_date(tiny):
    import feedparser

    rss = feedparser.parse((tiny.site / "feed.xml").read_bytes())
    atom = feedparser.parse((tiny.site / "atom.xml").read_bytes())
    assert rss.feed.updated == "Tue, 12 Mar 2024 09:00:00 +0530"
    assert atom.feed.updated == "2024-03-12T09:00:00+05:30"


def test_content_is_full_and_every_url_absolute_and_built(tiny):
    for name, kind in FORMATS.items():
        item = check_feed(tiny.site, f"notes/{name}", kind)[f"{SITE_URL}notes/links/"]
        urls = content_urls(item["content"])
        assert len(urls) >= 9, urls
        for url in urls:
            assert urlsplit(url).scheme == "https", url
            if url.startswith("https://example.com/"):
                continue
            target = site_file_of(tiny.site, SITE_URL, url)
            assert target is not None and target.is_file(), url
        assert f"{SITE_URL}notes/links/#details" in urls
        assert f"{SITE_URL}notes/other/#details" in urls
        assert f"{SITE_URL}notes/chart-2x.png" in urls


def test_enclosure_authors_and_categories(tiny):
    import feedparser

    for name in ("feed.xml", "atom.xml"):
        entry = feedparser.parse((tiny.site / "notes" / name).read_bytes()).entries[0]
        enclosure = entry.enclosures[0]
        assert enclosure.href == f"{SITE_URL}notes/links.pdf"
        assert (int(enclosure.length), enclosure.type) == (len(PDF), "application/pdf")
        assert (tiny.site / "notes" / "links.pdf").read_bytes() == PDF
        assert [t.term for t in entry.tags] == ["transparency", "pricing"]
        assert [a.name for a in entry.authors] == ["Maggie Long", "Ana Perez"]
        assert entry.summary == "A note whose body links everywhere."
    json_item = check_feed(tiny.site, "notes/feed.json", "json")[f"{SITE_URL}notes/links/"]["item"]
    assert json_item["attachments"] == [{"url": f"{SITE_URL}notes/links.pdf", "mime_type": "application/pdf",
                                         "size_in_bytes": len(PDF)}]
    assert json_item["tags"] == ["transparency", "pricing"]
    assert [a["name"] for a in json_item["authors"]] == ["Maggie Long", "Ana Perez"]


def test_id_override_is_not_a_permalink_guid(tiny):
    import lxml.etree as etree

    root = etree.fromstring((tiny.site / "notes" / "feed.xml").read_bytes())
    guids = {g.text: g.get("isPermaLink") for g in root.iter("guid")}
    assert guids == {f"{SITE_URL}notes/links/": "true", "https://old.example.org/notes/other/": "false"}


def test_term_feeds_carry_summaries_and_links(tiny):
    for name, kind in FORMATS.items():
        items = check_feed(tiny.site, f"tags/transparency/{name}", kind)
        assert all(not item["content"] for item in items.values()), name


def test_pages_advertise_site_and_own_feeds(tiny):
    for page in LISTINGS:
        head = tiny.html(page).xpath("//head/link[@rel='alternate']")
        hrefs = {(link.get("type"), link.get("href")) for link in head}
        assert all(link.get("title") for link in head)
        for where in {"", page}:
            for name, kind in FORMATS.items():
                mime = {"rss": "application/rss+xml", "atom": "application/atom+xml",
                        "json": "application/feed+json"}[kind]
                assert (mime, f"{SITE_URL}{where}{name}") in hrefs, (page, where, name)
    feed_types = ("application/rss+xml", "application/atom+xml", "application/feed+json")
    publication = {link.get("href") for link in tiny.html("notes/links/").xpath("//head/link[@rel='alternate']")
                   if link.get("type") in feed_types}
    assert publication == {f"{SITE_URL}{where}{name}" for where in ("", "notes/") for name in FORMATS}


def test_listing_pages_and_footer_show_feed_links(tiny):
    for page in LISTINGS[1:]:
        doc = tiny.html(page)
        own = [a.get("href") for a in doc.xpath("//article//p[contains(@class,'sn-feeds')]//a")]
        assert own == [f"{SITE_URL}{page}{name}" for name in FORMATS], page
    footer = [a.get("href") for a in tiny.html("notes/links/").xpath("//nav[@aria-label='Feeds']//a")]
    assert footer == [f"{SITE_URL}{name}" for name in FORMATS]


def test_rss_stylesheet_is_written_and_referenced(tiny):
    import lxml.etree as etree

    data = (tiny.site / "feed.xml").read_bytes()
    instruction = etree.fromstring(data).getroottree().getroot().getprevious()
    assert instruction.target == "xml-stylesheet"
    href = instruction.get("href")
    assert href == "/sub/assets/feeds/rss.xsl"
    stylesheet = etree.XSLT(etree.parse(str(tiny.site / href[len("/sub/"):])))
    page = stylesheet(etree.fromstring(data))
    assert page.getroot().findtext(".//h1") == "Test site"


def test_two_builds_give_identical_feed_bytes(tiny, tmp_path):
    again = build(tiny.site.parent, "--strict", site=tmp_path / "again")
    assert again.returncode == 0, again.output
    files = feed_files(tiny.site)
    assert feed_files(again.site) == files
    for rel in files:
        assert (again.site / rel).read_bytes() == (tiny.site / rel).read_bytes(), rel


def _without_site_url(root, **plugin_options):
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["site_url"]
    smartnotes = next(p for p in config["plugins"] if isinstance(p, dict) and "smartnotes" in p)
    smartnotes["smartnotes"].update(plugin_options)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_missing_site_url_is_an_error_that_says_how_to_fix_it(tmp_path):
    root = write_site(tmp_path, {"notes/other.md": FILES["notes/other.md"]})
    _without_site_url(root)
    result = build(root)
    assert result.returncode != 0
    assert "site_url is not set" in result.output and "site_url: https://" in result.output


def test_missing_site_url_is_fine_with_feeds_off(tmp_path):
    root = write_site(tmp_path, {"notes/other.md": FILES["notes/other.md"]})
    _without_site_url(root, feeds_formats=[], embeds_enabled=False)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert feed_files(result.site) == {}


def test_malformed_body_html_is_reported_with_its_path(tmp_path):
    broken = """\
        ---
        title: Broken
        date: 2024-01-02
        authors: [ana-perez]
        ---

        Before.

        </body>

        After the end.
        """
    root = write_site(tmp_path, {"notes/broken.md": broken, "notes/other.md": FILES["notes/other.md"]})
    result = build(root)
    assert result.returncode != 0
    line = next(line for line in result.output.splitlines() if "notes/broken.md" in line)
    assert "body: its feed content cannot be made absolute" in line and "end tag" in line.lower()
