"""The sample site's feeds, read as a feed reader would (issue 4, "done when")."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
import yaml

from feedcheck import check_feed, content_urls, feed_files, site_file_of
from sites import REPO

SEED_SLUG = "notes/supporting-members-client-protection-amfa/"
SITE_URL = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


def test_every_feed_of_the_sample_site_passes_every_check(sample_site):
    files = feed_files(sample_site)
    assert {"feed.xml", "atom.xml", "feed.json", "notes/feed.xml", "case-studies/atom.xml"} <= set(files)
    for rel, kind in files.items():
        items = check_feed(sample_site, rel, kind)
        assert items, rel
        for item in items.values():
            assert site_file_of(sample_site, SITE_URL, item["link"]).is_file(), (rel, item["link"])


def test_a_feed_reader_lists_the_seed_note_with_full_text_and_working_links(sample_site):
    reader = feedparser.parse((sample_site / "notes" / "feed.xml").read_bytes())
    assert not reader.bozo
    entry = next(e for e in reader.entries if e.link == SITE_URL + SEED_SLUG)
    page = lxml.html.fromstring((sample_site / SEED_SLUG / "index.html").read_bytes())
    body = page.xpath("//div[contains(@class,'sn-publication__body')]")[0]
    shown = " ".join(lxml.html.fromstring(entry.content[0].value).text_content().split())
    assert shown == " ".join(body.text_content().split())
    assert "Smart Note" in shown and len(shown) > 1000
    for url in content_urls(entry.content[0].value) + [entry.link]:
        assert urlsplit(url).scheme in ("http", "https"), url
        target = site_file_of(sample_site, SITE_URL, url)
        assert target is None or target.is_file(), url


def _listing_pages(site: Path):
    for index in sorted(site.rglob("index.html")):
        doc = lxml.html.fromstring(index.read_bytes())
        if doc.xpath("//ol[contains(@class,'sn-list')]") and not doc.xpath("//section[contains(@class,'sn-home')]"):
            yield index.parent.relative_to(site).as_posix() + "/", doc


def test_each_listing_page_advertises_its_own_feeds(sample_site):
    pages = list(_listing_pages(sample_site))
    assert len(pages) >= 10
    for url, doc in pages:
        advertised = {link.get("href") for link in doc.xpath("//head/link[@rel='alternate']")}
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert SITE_URL + url + name in advertised, url
            assert (sample_site / url / name).is_file(), url


@pytest.mark.browser
def test_a_browser_shows_the_rss_feed_as_a_page(page, sample_url):
    page.goto(sample_url + "notes/feed.xml")
    assert page.locator("h1").inner_text().startswith("Smart Notes")
    titles = page.locator(".sn-feed-item h2 a").all_inner_texts()
    assert any("Azerbaijan Microfinance Association" in t for t in titles)
