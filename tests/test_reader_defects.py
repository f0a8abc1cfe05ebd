"""Visible defects of issue 16, each with a test that would catch it again."""

from __future__ import annotations

import lxml.html
import pytest


def html(site, url: str):
    path = site / url
    return lxml.html.fromstring((path / "index.html" if path.is_dir() else path).read_bytes())


def test_not_found_page_prints_no_markup_as_text(sample_site):
    """404.html printed Material's footer as escaped HTML text."""
    doc = html(sample_site, "404.html")
    assert "<footer" not in doc.text_content() and "md-footer" not in doc.text_content()
    assert doc.cssselect("footer.md-footer .md-copyright")
    assert doc.cssselect("article h1")[0].text_content() == "Page not found"


@pytest.mark.parametrize("url", ["", "notes/", "tags/transparency/", "404.html",
                                 "notes/supporting-members-client-protection-amfa/"])
def test_no_empty_announcement_bar(sample_site, url):
    """An empty announcement bar drew a black strip above the header."""
    assert not html(sample_site, url).cssselect(".md-banner")


@pytest.mark.browser
def test_header_is_the_top_of_the_page(page, sample_url):
    page.goto(sample_url)
    assert page.locator("header.md-header").bounding_box()["y"] == 0


@pytest.mark.parametrize("url, hidden", [
    ("", True), ("notes/", True), ("case-studies/", True), ("about/", True),
    ("tags/", False),  # Browse: Topics, Countries, Organisations, Authors
])
def test_sidebar_only_when_it_has_somewhere_to_go(sample_site, url, hidden):
    """Home and listing pages had a left sidebar with one "Home" link."""
    (sidebar,) = html(sample_site, url).cssselect(".md-sidebar--primary")
    assert (sidebar.get("hidden") is not None) == hidden


@pytest.mark.browser
def test_phone_drawer_still_lists_the_site(page, sample_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(sample_url)
    page.locator("header label[for=__drawer]").click()
    drawer = page.locator(".md-sidebar--primary")
    assert drawer.get_by_role("link", name="Case Studies").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390, 700, 1280])
def test_site_name_is_whole_on_phones(page, sample_url, width):
    """At 390 px the site name was cut to "Sma…" by the search box."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(sample_url + "notes/supporting-members-client-protection-amfa/")
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().split() == "Smart Notes on Client Protection".split()
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    box, search = name.bounding_box(), page.locator("#sn-search-input").bounding_box()
    assert box["x"] + box["width"] <= search["x"], "the search box covers the site name"


@pytest.mark.browser
def test_phone_search_box_opens_over_the_header(page, sample_url):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(sample_url)
    box = page.locator("#sn-search-input")
    box.click()
    assert box.bounding_box()["width"] > 300
    box.fill("Azerbaijan")
    page.wait_for_function("() => document.querySelector('[data-sn-search]').dataset.query === 'Azerbaijan'")
    assert page.locator(".sn-search__item").first.is_visible()


@pytest.mark.browser
def test_embed_cards_fit_the_height_their_oembed_declares(page, sample_site, sample_url):
    """The seed's card was 258 px tall at 600 px wide; its oEmbed response said 240."""
    import json

    responses = sorted(sample_site.glob("**/oembed.json"))
    assert len(responses) >= 4
    for response in responses:
        data = json.loads(response.read_text(encoding="utf-8"))
        page.set_viewport_size({"width": data["width"], "height": 900})
        page.goto(sample_url + response.parent.relative_to(sample_site).as_posix() + "/embed/")
        height = page.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
        assert height <= data["height"], (response, height, data["height"])


@pytest.mark.browser
def test_embed_control_is_not_an_admonition(page, sample_url):
    """The Embed control looked like an editorial note (Material's admonition)."""
    page.goto(sample_url + "notes/supporting-members-client-protection-amfa/")
    control = page.locator("details.sn-embed")
    style = control.evaluate("""e => { const s = getComputedStyle(e), m = getComputedStyle(e.querySelector('summary'), '::before');
        return {shadow: s.boxShadow, border: s.borderLeftWidth, background: s.backgroundColor, icon: m.display}; }""")
    assert style == {"shadow": "none", "border": "0px", "background": "rgba(0, 0, 0, 0)", "icon": "none"}, style
    summary = control.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert control.get_attribute("open") is not None
    assert page.locator("#sn-embed-wordpress").is_visible()


@pytest.mark.parametrize("url, title", [
    ("tags/transparency/", "Topic: transparency"),
    ("countries/azerbaijan/", "Country: Azerbaijan"),
    ("organizations/accessbank/", "Organisation: AccessBank"),
    ("authors/maggie-long/", "Author: Maggie Long"),
    ("tags/", "Topics"),
    ("notes/", "Smart Notes"),
])
def test_term_pages_say_what_they_list(sample_site, url, title):
    """Topic pages were titled with the bare lowercase topic."""
    doc = html(sample_site, url)
    assert doc.cssselect("article h1")[0].text_content() == title
    assert doc.findtext(".//title") == f"{title} - Smart Notes on Client Protection"
    topic = doc.cssselect("[data-md-component=header-topic]")[0].text_content()
    assert " ".join(topic.split()) == title
    assert doc.cssselect("meta[property='og:title']")[0].get("content") == title


def test_feed_items_carry_no_heading_permalinks(tmp_path):
    """Feed items carried a "¶" after each heading (the toc extension's permalink)."""
    import json

    from sites import NOTE, build, write_site

    note = NOTE.format(title="With headings", date="2024-03-01", extra="", body="Intro.\n\n## Findings\n\nText.\n")
    write_site(tmp_path, {"notes/headings.md": note},
               extra_config="markdown_extensions:\n  - toc:\n      permalink: true\n")
    result = build(tmp_path)
    assert result.returncode == 0, result.output
    assert result.html("notes/headings/").cssselect("h2 a.headerlink"), "the page keeps its permalinks"
    (item,) = json.loads((result.site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert "Findings" in item["content_html"]
    assert "¶" not in item["content_html"] and "headerlink" not in item["content_html"]
    for name in ("feed.xml", "atom.xml"):
        assert "headerlink" not in (result.site / name).read_text(encoding="utf-8")


def test_search_excerpts_are_the_publications_words(sample_site):
    """Search excerpts started with the title and byline, which results show anyway."""
    from sites import pagefind_records

    records = pagefind_records(sample_site)
    seed = records["/notes/supporting-members-client-protection-amfa/"]
    assert seed["content"].startswith("The unique role of microfinance networks")
    assert "Posted by Maggie Long" in seed["content"], "title and byline stay searchable"
    for record in records.values():
        assert not record["content"].startswith(record["meta"]["title"])


@pytest.mark.browser
def test_search_excerpt_does_not_repeat_the_title(page, sample_url):
    page.goto(sample_url + "about/")
    page.locator("[data-sn-search] input[type=search]").fill("client protection")
    page.wait_for_function("() => document.querySelector('[data-sn-search]').dataset.query === 'client protection'")
    for item in page.locator(".sn-search__item").all():
        title = item.locator(".sn-search__title").inner_text()
        excerpt = item.locator(".sn-search__excerpt").inner_text()
        assert not excerpt.startswith(title[:20]) and not excerpt.startswith("Smart Note"), (title, excerpt)
