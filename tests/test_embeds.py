"""Partner embeds (issue 6), checked by parsing what the build writes."""

from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import lxml.html
import pytest

from embed_sites import served_site
from sites import SCHEMAS, build, write_site
from test_images import png

OEMBED_SCHEMA = json.loads((SCHEMAS / "oembed-1.0.schema.json").read_text(encoding="utf-8"))
EVIL = "<img src=x onerror=console.log(8675309)>"
EVIL_SUMMARY = "<script>console.log(8675309)</script> & more"
EVIL_AUTHOR = '<svg onload=console.log(8675309)> "Quote"'

AUTHORS = f"""\
maggie-long:
  name: Maggie Long
evil:
  name: {json.dumps(EVIL_AUTHOR)}
"""

FILES = {
    "notes/alpha.md": """
        ---
        title: Alpha note
        date: 2024-03-01
        authors: [maggie-long]
        summary: Alpha summary.
        tags: [transparency]
        countries: [Peru]
        image: https://images.example.org/alpha.png
        ---
        Alpha body.
        """,
    "notes/beta.md": """
        ---
        title: Beta note
        date: 2024-02-01
        authors: [maggie-long]
        summary: Beta summary.
        tags: [transparency, pricing]
        ---
        Beta body.
        """,
    "case_studies/gamma.md": """
        ---
        title: Gamma case
        date: 2024-01-15
        authors: [maggie-long, evil]
        summary: Gamma summary.
        tags: [pricing]
        countries: [Kenya]
        ---
        Gamma body.
        """,
    "notes/delta.md": """
        ---
        title: Delta note
        date: 2023-06-01
        authors: [maggie-long]
        summary: Delta has a chart.
        image: chart.png
        ---
        Delta body.
        """,
    "notes/chart.png": png(320, 200),
    "notes/evil.md": f"""
        ---
        title: {json.dumps(EVIL)}
        date: 2023-12-01
        authors: [evil]
        summary: {json.dumps(EVIL_SUMMARY)}
        tags: [transparency]
        ---
        Evil body.
        """,
}
SLUGS = {"notes/alpha/": "Alpha note", "notes/beta/": "Beta note", "case-studies/gamma/": "Gamma case",
         "notes/delta/": "Delta note", "notes/evil/": EVIL}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("embeds"), FILES, authors=AUTHORS, plugin_config="embeds_list_limit: 2")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result


def oembed_of(site, url: str) -> dict:
    return json.loads((site.site / url / "oembed.json").read_text(encoding="utf-8"))


def discovery_href(site, url: str) -> str:
    links = site.html(url).xpath('//head/link[@rel="alternate"][@type="application/json+oembed"]')
    assert len(links) == 1
    return links[0].get("href")


@pytest.mark.parametrize("url", sorted(SLUGS))
def test_oembed_validates_and_is_discoverable(site, url):
    data = oembed_of(site, url)
    jsonschema.validate(data, OEMBED_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert data["type"] == "rich" and data["title"] == SLUGS[url]
    assert data["url"] == f"https://example.org/sub/{url}"
    assert data["provider_name"] == "Test site" and data["provider_url"] == "https://example.org/sub/"
    href = urlsplit(discovery_href(site, url))
    # The path alone names the static file: a query that consumers add or extend changes nothing.
    assert href.netloc == "example.org" and href.path == f"/sub/{url}oembed.json"
    assert href.query and "#" not in discovery_href(site, url)


def test_oembed_author_and_thumbnail(site):
    alpha = oembed_of(site, "notes/alpha/")
    assert alpha["author_name"] == "Maggie Long"
    assert alpha["author_url"] == "https://example.org/sub/authors/maggie-long/"
    assert alpha["thumbnail_url"] == "https://images.example.org/alpha.png"
    delta = oembed_of(site, "notes/delta/")  # an image we ship: its own size
    assert delta["thumbnail_url"] == "https://example.org/sub/notes/chart.png"
    assert (delta["thumbnail_width"], delta["thumbnail_height"]) == (320, 200)
    gamma = oembed_of(site, "case-studies/gamma/")
    assert "thumbnail_url" not in gamma and "thumbnail_width" not in gamma
    assert gamma["author_name"] == f"Maggie Long, {EVIL_AUTHOR}"


@pytest.mark.parametrize("url", sorted(SLUGS))
def test_oembed_html_has_the_shape_wordpress_keeps(site, url):
    data = oembed_of(site, url)
    html = data["html"]
    # wp_filter_oembed_result keeps a leading <blockquote> only at the very start.
    assert html.startswith("<blockquote")
    nodes = lxml.html.fragments_fromstring(html)
    assert [n.tag for n in nodes] == ["blockquote", "iframe"]
    quote, iframe = nodes
    (link,) = quote.xpath(".//a")
    assert link.get("href") == data["url"] and link.text_content() == SLUGS[url]
    assert quote.get("class") == iframe.get("class") == "wp-embedded-content"
    secret = iframe.get("data-secret")
    assert secret.isalnum() and secret.isascii() and len(secret) == 10 and quote.get("data-secret") == secret
    assert iframe.get("sandbox") == "allow-scripts" and iframe.get("security") == "restricted"
    assert iframe.get("src") == f"https://example.org/sub/{url}embed/#?secret={secret}"
    assert (int(iframe.get("width")), int(iframe.get("height"))) == (data["width"], data["height"])
    assert not quote.xpath(".//img|.//script|.//svg") and not iframe.getchildren()


def test_card_shows_the_publication_as_text(site):
    card = site.html("notes/evil/embed/")
    assert card.xpath("string(//h1)").strip() == EVIL
    assert card.xpath("string(//*[@class='sn-card__summary'])").strip() == EVIL_SUMMARY
    assert EVIL_AUTHOR in card.xpath("string(//*[@class='sn-card__byline'])")
    assert not card.xpath("//img|//svg|//body//script[not(contains(., 'postMessage'))]")
    more = card.xpath("//a[@class='sn-card__more']")[0]
    assert more.text_content() == "Read the full Smart Note" and more.get("target") == "_top"
    assert more.get("href") == "https://example.org/sub/notes/evil/"
    # Self-contained: no stylesheet, script or image from anywhere.
    assert not card.xpath("//link[@rel='stylesheet']|//script[@src]|//img|//iframe")
    assert "prefers-color-scheme: dark" in card.xpath("string(//style)")


def test_card_of_a_case_study(site):
    card = site.html("case-studies/gamma/embed/")
    assert card.xpath("string(//*[@class='sn-card__kind'])") == "Case Study"
    assert card.xpath("string(//time/@datetime)").startswith("2024-01-15")
    assert card.xpath("string(//a[@class='sn-card__more'])") == "Read the full Case Study"


def widget_json(site, path: str) -> dict:
    return json.loads((site.site / "embed" / path).read_text(encoding="utf-8"))


def test_widget_lists_newest_first_within_the_limit(site):
    assert [e["title"] for e in widget_json(site, "all.json")["publications"]] == ["Alpha note", "Beta note"]
    notes = widget_json(site, "collections/notes.json")
    assert [e["title"] for e in notes["publications"]] == ["Alpha note", "Beta note"]
    assert notes["listing_url"] == "https://example.org/sub/notes/"
    cases = widget_json(site, "collections/case-studies.json")["publications"]
    assert [(e["title"], e["kind"], e["collection"]) for e in cases] == [("Gamma case", "Case Study", "case-studies")]
    pricing = widget_json(site, "tags/pricing.json")["publications"]
    assert [e["title"] for e in pricing] == ["Beta note", "Gamma case"]
    assert all("pricing" in e["tags"] for e in pricing)
    kenya = widget_json(site, "countries/kenya.json")
    assert [e["title"] for e in kenya["publications"]] == ["Gamma case"] and kenya["title"] == "Kenya"


def test_widget_json_keeps_html_as_text(site):
    transparency = widget_json(site, "tags/transparency.json")["publications"]
    assert [e["title"] for e in transparency] == ["Alpha note", "Beta note"]  # limit 2: evil is third
    evil = [e for e in widget_json(site, "all.json")["publications"] if e["url"].endswith("/evil/")]
    assert evil == []  # not among the latest two
    entry = json.loads((site.site / "notes/evil/oembed.json").read_text(encoding="utf-8"))
    assert entry["title"] == EVIL and entry["author_name"] == EVIL_AUTHOR


def test_widget_index_names_every_valid_value(site):
    index = widget_json(site, "index.json")
    assert index["collections"] == {"notes": "Smart Notes", "case-studies": "Case Studies"}
    assert set(index["tags"]) == {"transparency", "pricing"}
    assert index["countries"] == {"kenya": "Kenya", "peru": "Peru"}
    for kind, values in (("collections", index["collections"]), ("tags", index["tags"])):
        for slug in values:
            assert (site.site / "embed" / kind / f"{slug}.json").is_file()
            assert (site.site / "embed" / kind / slug / "index.html").is_file()


def test_list_card_page(site):
    card = site.html("embed/tags/pricing/")
    titles = [a.text_content() for a in card.xpath("//li//h2/a")]
    assert titles == ["Beta note", "Gamma case"]
    assert all(a.get("target") == "_top" for a in card.xpath("//a"))
    assert card.xpath("string(//h1/a/@href)") == "https://example.org/sub/tags/pricing/"


def test_headers_file_opens_the_json_to_other_origins(site):
    text = (site.site / "_headers").read_text(encoding="utf-8")
    rules, path = {}, None
    for line in text.splitlines():
        if line.startswith("/"):
            path = line.strip()
        elif line.strip() and not line.startswith("#"):
            name, value = line.split(":", 1)
            rules.setdefault(path, {})[name.strip()] = value.strip()
    assert rules["/embed/*"] == {"Access-Control-Allow-Origin": "*"}
    assert rules["/notes/*/oembed.json"] == {"Access-Control-Allow-Origin": "*"}
    assert rules["/case-studies/*/oembed.json"] == {"Access-Control-Allow-Origin": "*"}


def test_embed_control_offers_snippets_that_parse(site):
    page = site.html("notes/evil/")
    (control,) = page.xpath("//details[@class='sn-embed']")
    assert control.xpath("string(./summary)").strip() == "Embed"
    fields = {f.get("id"): (f.get("value") if f.tag == "input" else f.text) for f in control.xpath(".//input|.//textarea")}
    assert fields["sn-embed-wordpress"] == "https://example.org/sub/notes/evil/"
    buttons = control.xpath(".//button[@data-sn-copy]")
    assert sorted(b.get("data-sn-copy") for b in buttons) == sorted(fields)
    (iframe,) = lxml.html.fragments_fromstring(fields["sn-embed-iframe"])
    assert iframe.get("src") == "https://example.org/sub/notes/evil/embed/" and "allow-scripts" in iframe.get("sandbox")
    assert iframe.get("title").startswith(EVIL)  # the snippet keeps the title as an attribute value, escaped
    div, script = lxml.html.fragments_fromstring(fields["sn-embed-widget"])
    assert div.get("data-smartnotes-widget") is not None and div.get("data-collection") == "notes"
    assert div.xpath("string(.//a/@href)") == "https://example.org/sub/notes/"
    assert script.get("src") == "https://example.org/sub/embed/widget.js"
    (list_iframe,) = lxml.html.fragments_fromstring(fields["sn-embed-list"])
    assert list_iframe.get("src") == "https://example.org/sub/embed/collections/notes/"


def test_widget_script_is_at_most_5_kb_gzipped(site):
    data = (site.site / "embed" / "widget.js").read_bytes()
    size = len(gzip.compress(data, compresslevel=9))
    assert 0 < size <= 5 * 1024, f"widget.js is {size} bytes gzipped"


def test_two_builds_write_identical_embeds(site, tmp_path):
    again = build(site.site.parent, "--strict", site=tmp_path / "again")
    assert again.returncode == 0, again.output
    for path in sorted((site.site / "embed").rglob("*")) + sorted(site.site.rglob("oembed.json")):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "again" / path.relative_to(site.site)).read_bytes(), path


def test_embeds_can_be_turned_off(tmp_path):
    root = write_site(tmp_path, {"notes/alpha.md": FILES["notes/alpha.md"]}, plugin_config="embeds_enabled: false")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert not (result.site / "embed").exists() and not (result.site / "notes/alpha/oembed.json").exists()
    assert not result.html("notes/alpha/").xpath("//link[@type='application/json+oembed']|//details[@class='sn-embed']")


def test_pyembed_discovers_the_oembed_of_a_served_page(tmp_path):
    from pyembed.core import consumer
    from pyembed.core.discovery import AutoDiscoverer

    url, server, _ = served_site(tmp_path, {"notes/alpha.md": FILES["notes/alpha.md"]})
    try:
        page = url + "notes/alpha/"
        oembed_urls = list(AutoDiscoverer().get_oembed_urls(page))
        assert [urlsplit(u).path for u in oembed_urls] == ["/notes/alpha/oembed.json"]
        # PyEmbed adds maxwidth/maxheight to the query: the static file still answers.
        response = consumer.get_first_oembed_response(oembed_urls, max_width=400, max_height=300)
        assert response.type == "rich" and response.title == "Alpha note"
        assert "wp-embedded-content" in response.html and url + "notes/alpha/embed/" in response.html
        # Consumers that append their parameters carelessly still reach the file.
        for suffix in ("", "&maxwidth=300&dnt=1", "?maxwidth=300&format=json"):
            with urllib.request.urlopen(oembed_urls[0] + suffix, timeout=10) as answer:
                assert json.loads(answer.read())["title"] == "Alpha note"
    finally:
        server.shutdown()


def test_a_headers_file_written_by_a_person_wins(tmp_path):
    own = "/*\n  X-Frame-Options: SAMEORIGIN\n"
    root = write_site(tmp_path, {"notes/alpha.md": FILES["notes/alpha.md"], "content/_headers": own})
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert (result.site / "_headers").read_text(encoding="utf-8") == own
    assert (result.site / "embed" / "all.json").is_file()
