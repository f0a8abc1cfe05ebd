"""The feed model without MkDocs: which items, in which order, and the JSON extension hook."""

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.etree as etree
import lxml.html
import pytest

from feedcheck import check_atom, check_json, check_rss
from smartnotes.catalog.listings import build_catalog
from smartnotes.feeds.render import EMPTY_FEED_DATE, FeedOptions, FeedRenderer, select_feeds
from smartnotes.content.model import Author, Publication, Term
from smartnotes.content.settings import DEFAULT_COLLECTIONS, SiteSettings

NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)
AUTHOR = Author("ana", "Ana")
NOTES = DEFAULT_COLLECTIONS[0]
TAG = Term("tag", "Pricing", "pricing")


def publication(slug, day, **fields):
    return Publication(source_path=f"notes/{slug}.md", collection=NOTES, slug=slug, title=slug.title(),
                       date=datetime(2024, 5, day, tzinfo=timezone(timedelta(hours=-4))), body="",
                       authors=(AUTHOR,), summary=f"About {slug}.", terms=(TAG,), **fields)


PUBLICATIONS = [
    publication("a", 1), publication("b", 3), publication("c", 2, updated=datetime(2024, 5, 20, tzinfo=timezone.utc)),
    publication("draft", 4, draft=True),
    replace(publication("future", 4), date=datetime(2099, 1, 1, tzinfo=timezone.utc)),
]


def settings(**changes):
    return SiteSettings(root=Path("."), site_url="https://example.org/", site_name="Site", now=NOW, **changes)


@pytest.mark.parametrize("include_drafts", [False, True])
def test_feeds_never_show_drafts_or_future_even_when_the_catalog_does(include_drafts):
    catalog, _ = build_catalog(PUBLICATIONS, DEFAULT_COLLECTIONS, {"ana": AUTHOR}, NOW, include_drafts)
    feeds = select_feeds(catalog, settings(include_drafts=include_drafts), FeedOptions(limit=2))
    by_key = {f.key: f for f in feeds}
    assert [p.slug for p in by_key["site"].publications] == ["b", "c"]
    assert [p.slug for p in by_key["tag:pricing"].publications] == ["b", "c"]
    assert by_key["site"].updated == datetime(2024, 5, 20, tzinfo=timezone.utc)
    assert "taxonomy:tag" not in by_key


def test_a_feed_without_items_has_a_fixed_date():
    catalog, _ = build_catalog([], DEFAULT_COLLECTIONS, {}, NOW)
    site = next(f for f in select_feeds(catalog, settings(), FeedOptions()) if f.key == "site")
    assert site.publications == () and site.updated == EMPTY_FEED_DATE
    out = FeedRenderer(settings(), FeedOptions(icon="favicon.png"), {}).render_all([site])
    assert check_rss(out["feed.xml"], "feed.xml") == check_atom(out["atom.xml"], "atom.xml") == {}
    assert check_json(out["feed.json"], "feed.json") == {}


def test_json_items_take_extension_members():
    catalog, _ = build_catalog(PUBLICATIONS, DEFAULT_COLLECTIONS, {"ana": AUTHOR}, NOW)
    related = {"_smartnotes": {"related": [{"url": "https://example.org/notes/a/", "title": "A"}]}}
    renderer = FeedRenderer(settings(), FeedOptions(), {}, extra_of={"notes/b/": related})
    feeds = select_feeds(catalog, settings(), FeedOptions())
    data = renderer.render_all(feeds)["feed.json"]
    items = check_json(data, "feed.json")
    assert items["https://example.org/notes/b/"]["item"]["_smartnotes"] == related["_smartnotes"]
    assert "_smartnotes" not in items["https://example.org/notes/a/"]["item"]
    unprefixed = FeedRenderer(settings(), FeedOptions(), {}, extra_of={"notes/a/": {"related": []}})
    with pytest.raises(ValueError, match="must start with '_'"):
        unprefixed.render_all(feeds)


def test_formats_and_file_names_follow_the_options():
    catalog, _ = build_catalog(PUBLICATIONS, DEFAULT_COLLECTIONS, {"ana": AUTHOR}, NOW)
    options = FeedOptions(formats=("json",), json_file="index.json", listing_kinds=("site", "tag"))
    out = FeedRenderer(settings(), options, {}).render_all(select_feeds(catalog, settings(), options))
    assert sorted(out) == ["index.json", "tags/pricing/index.json"]
    assert json.loads(out["index.json"])["feed_url"] == "https://example.org/index.json"


HOSTILE = "<img src=x onerror=alert(1)> & <b>bold</b>"


def test_plain_text_reaches_html_feed_fields_as_text():
    """Summaries and term descriptions are text: readers must show the markup, not run it (issue 13)."""
    import feedparser

    hostile_author = Author("eve", "Eve", role=HOSTILE)
    pubs = [replace(publication("a", 1), summary=HOSTILE, authors=(hostile_author,))]
    catalog, _ = build_catalog(pubs, DEFAULT_COLLECTIONS, {"eve": hostile_author}, NOW)
    out = FeedRenderer(settings(), FeedOptions(), {}).render_all(select_feeds(catalog, settings(), FeedOptions()))
    for path in ("feed.xml", "atom.xml", "authors/eve/feed.xml", "authors/eve/atom.xml"):
        parsed = feedparser.parse(out[path])
        assert not parsed.bozo, path
        texts = [(parsed.feed.subtitle_detail, parsed.feed.subtitle)] if path.startswith("authors") else []
        texts += [(e.summary_detail, e.summary) for e in parsed.entries]
        for detail, value in texts:
            # As HTML the markup is escaped; as text it is the text itself.
            shown = value if detail.type == "text/plain" else lxml.html.fromstring(f"<div>{value}</div>").text_content()
            assert HOSTILE in shown, (path, detail.type, value)
    rss = etree.fromstring(out["feed.xml"])
    assert rss.findtext("channel/item/description") == "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    atom = etree.fromstring(out["atom.xml"])
    summary = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") is None and summary.text == HOSTILE  # Atom's default type is text
    item = json.loads(out["feed.json"])["items"][0]
    assert item["summary"] == item["content_text"] == HOSTILE  # JSON Feed's summary is plain text


def test_feeds_stay_well_formed_whatever_gets_through():
    """Fields with control characters are refused at load; a feed never breaks even if one gets here."""
    pubs = [replace(publication("a", 1), title="Bell\x07 and escape\x1b", summary="NUL\x00 here")]
    catalog, _ = build_catalog(pubs, DEFAULT_COLLECTIONS, {"ana": AUTHOR}, NOW)
    html = {"notes/a/": "<p>Body \x1b[31m red \x0c</p>"}
    options = FeedOptions(icon="favicon.png")
    out = FeedRenderer(settings(), options, html).render_all(select_feeds(catalog, settings(), options))
    for path, data in out.items():
        if path.endswith(".xml") and not path.endswith(".xsl"):
            etree.fromstring(data)  # raises if not well-formed
    items = check_rss(out["feed.xml"], "feed.xml")
    assert items["https://example.org/notes/a/"]["content"] == "<p>Body [31m red </p>"
