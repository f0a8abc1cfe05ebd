"""The repository's own sample site, built with --strict and parsed as HTML."""

import json
from pathlib import Path

import lxml.html
import pytest

SEED = "notes/supporting-members-client-protection-amfa/"
SEED_TITLE = "New Smart Note: Supporting Members to Adopt Client Protection at Azerbaijan Microfinance Association"


def page(site: Path, url: str):
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def texts(elements):
    return [" ".join(e.text_content().split()) for e in elements]


def test_seed_page_shows_what_the_seed_shows(sample_site):
    doc = page(sample_site, SEED)
    article = doc.cssselect("article.sn-publication")[0]
    assert texts(article.cssselect("h1")) == [SEED_TITLE]
    byline = article.cssselect(".sn-publication__header .sn-byline")[0]
    assert texts(byline.cssselect(".sn-kind")) == ["Smart Note"]
    assert texts(byline.cssselect(".sn-posted-by")) == ["Posted by Maggie Long"]
    author_link = byline.cssselect("a.sn-author")[0]
    assert author_link.get("href") == "../../authors/maggie-long/"
    time = byline.cssselect("time.sn-date")[0]
    assert (time.text, time.get("datetime")) == ("May 24, 2012", "2012-05-24T00:00:00-04:00")
    share = {a.text_content(): a.get("href") for a in article.cssselect("nav.sn-share a")}
    assert list(share) == ["LinkedIn", "X", "Facebook", "Email"]
    assert all("smartnotes.example.org%2Fnotes%2Fsupporting-members" in h or "smartnotes.example.org/notes/" in h
               for h in share.values())
    assert not doc.cssselect("script[src*='facebook'], script[src*='linkedin'], script[src*='twitter']")
    paragraphs = texts(article.cssselect(".sn-publication__body p"))
    assert paragraphs[0].startswith("The unique role of microfinance networks and associations")
    assert paragraphs[-1] == "To learn more about how AMFA supports its members, be sure to check out the new Smart Note."
    terms = {a.text_content(): a.get("href") for a in article.cssselect(".sn-terms a")}
    assert terms["Azerbaijan"] == "../../countries/azerbaijan/"
    assert terms["client protection"] == "../../tags/client-protection/"


def test_seed_page_head(sample_site):
    doc = page(sample_site, SEED)
    head = doc.find("head")
    canonical = head.cssselect("link[rel=canonical]")[0].get("href")
    assert canonical == "https://smartnotes.example.org/" + SEED
    meta = {m.get("property") or m.get("name"): m.get("content") for m in head.cssselect("meta")}
    assert meta["description"].startswith("The Azerbaijan Microfinance Association (AMFA) supports")
    assert meta["og:title"] == SEED_TITLE
    assert meta["og:type"] == "article"
    assert meta["og:url"] == canonical
    assert meta["twitter:card"] == "summary_large_image"  # its sharing card (tests/test_cards.py)
    assert meta["og:image"].startswith("https://smartnotes.example.org/" + SEED + "card-")
    assert meta["article:published_time"] == "2012-05-24T00:00:00-04:00"
    [ld] = [json.loads(s.text) for s in head.cssselect("script[type='application/ld+json']")]
    assert ld["@type"] == "Article"
    assert ld["headline"] == SEED_TITLE
    assert ld["author"][0]["name"] == "Maggie Long"
    assert ld["datePublished"] == ld["dateModified"] == "2012-05-24T00:00:00-04:00"


def test_publications_stay_out_of_the_navigation(sample_site):
    doc = page(sample_site, "about/")
    nav_links = [a.get("href") for a in doc.cssselect("nav.md-nav a")]
    assert not any("supporting-members" in (h or "") for h in nav_links)


def test_home_lists_latest_publications_newest_first(sample_site):
    doc = page(sample_site, "")
    items = doc.cssselect(".sn-lead, .sn-card")  # the newest leads, the rest are cards
    titles = texts(item.cssselect(".sn-lead__title, .sn-card__title")[0] for item in items)
    assert titles[0] == SEED_TITLE
    dates = [item.cssselect("time.sn-date")[0].get("datetime") for item in items]
    assert dates == sorted(dates, reverse=True)
    assert texts(items[1].cssselect(".sn-kind")) == ["Case Study"]


@pytest.mark.parametrize("url, expected", [
    ("notes/", {SEED_TITLE, "Hiring Staff with Disabilities at AccessBank, Azerbaijan",
                "Responding to a Crisis at FUNDESER"}),
    ("notes/2012/", {SEED_TITLE, "Hiring Staff with Disabilities at AccessBank, Azerbaijan",
                     "Responding to a Crisis at FUNDESER"}),
    ("case-studies/", {"Improving Sector Transparency: A Case Study on the Azerbaijan Microfinance Association"}),
    ("countries/azerbaijan/", {SEED_TITLE, "Hiring Staff with Disabilities at AccessBank, Azerbaijan",
                               "Improving Sector Transparency: A Case Study on the Azerbaijan Microfinance Association"}),
    ("tags/crisis-response/", {"Responding to a Crisis at FUNDESER"}),
    ("organizations/accessbank/", {"Hiring Staff with Disabilities at AccessBank, Azerbaijan"}),
    ("authors/maggie-long/", {SEED_TITLE}),
])
def test_listing_pages(sample_site, url, expected):
    doc = page(sample_site, url)
    assert set(texts(doc.cssselect(".sn-list__title"))) == expected


def test_collection_index_links_its_year_archives(sample_site):
    doc = page(sample_site, "notes/")
    assert [a.get("href") for a in doc.cssselect("nav.sn-years a")] == ["2012/"]


@pytest.mark.parametrize("url, term", [
    ("tags/", "client protection"), ("countries/", "Azerbaijan"),
    ("organizations/", "FUNDESER"), ("authors/", "Maggie Long"),
])
def test_taxonomy_indexes(sample_site, url, term):
    doc = page(sample_site, url)
    names = [a.text_content() for a in doc.cssselect("ul.sn-taxonomy a")]
    assert term in names
    assert names == sorted(names, key=str.casefold)


def test_not_found_page_has_the_site_frame(sample_site):
    doc = lxml.html.fromstring((sample_site / "404.html").read_bytes())
    feeds = [link.get("type") for link in doc.cssselect("head link[rel=alternate]")]
    assert {"application/rss+xml", "application/atom+xml", "application/feed+json"} <= set(feeds)
    assert doc.cssselect("header input[type=search]"), "the header search box is missing"
