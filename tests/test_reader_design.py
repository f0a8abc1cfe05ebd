"""A publication's design, not a manual's (issue 16, goal 5): the home page leads
with the newest publication and shows the rest as cards; the download is a
labelled button near the top; long text is set for reading in the system's
fonts; on paper only the publication and its address are left."""

from __future__ import annotations

import struct
import zlib
from urllib.parse import urljoin

import pytest

from conftest import serve_directory
from smartnotes.catalog.pages import human_size
from sites import NOTE, build, write_site

PDF_SIZE = 150 * 1024
SEED = "notes/supporting-members-client-protection-amfa/"


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour (browsers draw it; content/images.py reads its size)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x00\x79\x6b" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def note(title, date, extra="", body="Body."):
    return NOTE.format(title=title, date=date, extra=extra, body=body)


# Newest first: the lead has an image and a PDF; one card has an image, the others none.
PUBLICATIONS = {
    "notes/lead/index.md": note("The Lead Note", "2014-03-01",
                                "summary: What the lead is about.\nimage: lead.png\ndownload: lead.pdf",
                                "Read [the report](https://reports.example.org/r.pdf) and [a note](../second/)."),
    "notes/lead/lead.png": png(64, 48),
    "notes/lead/lead.pdf": b"%PDF-1.4\n" + b"0" * (PDF_SIZE - 9),
    "case_studies/second.md": note("Second, a Case Study", "2014-02-01",
                                   "summary: The second one.\ndownload: https://files.example.org/second.pdf"),
    "notes/third/index.md": note("Third with a Picture", "2014-01-01", "summary: The third.\nimage: pic.png"),
    "notes/third/pic.png": png(32, 18),
    "notes/fourth.md": note("Fourth", "2013-12-01", "summary: The fourth."),
    "notes/fifth.md": note("Fifth", "2013-11-01", "summary: The fifth."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("design"), PUBLICATIONS, plugin_config="home_limit: 4\n",
                      extra_config="extra_css: [assets/stylesheets/smartnotes.css]\n")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def site_url(site):
    url, server = serve_directory(site.site)
    yield url
    server.shutdown()


def text(element) -> str:
    return " ".join(element.text_content().split())


def resolve(page_url: str, href: str) -> str:
    return urljoin("https://x/" + page_url, href).removeprefix("https://x/")


# --- the home page ---------------------------------------------------------------------

def test_home_leads_with_the_newest_publication(site):
    doc = site.html("")
    (lead,) = doc.cssselect(".sn-lead")
    assert text(lead.cssselect(".sn-lead__title")[0]) == "The Lead Note"
    assert resolve("", lead.cssselect(".sn-lead__title a")[0].get("href")) == "notes/lead/"
    assert text(lead.cssselect(".sn-kind")[0]) == "Smart Note"
    assert lead.cssselect("time.sn-date")[0].get("datetime").startswith("2014-03-01")
    assert text(lead.cssselect(".sn-author")[0]) == "Maggie Long"
    assert text(lead.cssselect(".sn-lead__summary")[0]) == "What the lead is about."
    (image,) = lead.cssselect("img")
    assert (site.site / resolve("", image.get("src"))).read_bytes() == PUBLICATIONS["notes/lead/lead.png"]
    assert (image.get("width"), image.get("height"), image.get("alt")) == ("64", "48", "")


def test_home_shows_the_rest_as_cards(site):
    doc = site.html("")
    cards = doc.cssselect(".sn-cards > .sn-card")
    # home_limit: 4, the lead is the first of them
    assert [text(c.cssselect(".sn-card__title")[0]) for c in cards] == ["Second, a Case Study", "Third with a Picture",
                                                                       "Fourth"]
    assert [text(c.cssselect(".sn-kind")[0]) for c in cards] == ["Case Study", "Smart Note", "Smart Note"]
    assert [text(c.cssselect(".sn-card__summary")[0]) for c in cards] == ["The second one.", "The third.",
                                                                         "The fourth."]
    assert all(c.cssselect("time.sn-date") and c.cssselect(".sn-author") for c in cards)
    assert [len(c.cssselect("img")) for c in cards] == [0, 1, 0]  # an image where there is one
    image = cards[1].cssselect("img")[0]
    assert (image.get("width"), image.get("height")) == ("32", "18")
    assert (site.site / resolve("", image.get("src"))).is_file()
    # headings in order: the lead's title and "More publications" are h2, the cards h3
    assert [h.tag for h in doc.cssselect(".sn-lead h2, .sn-home > h2, .sn-card h3")] == ["h2", "h2", "h3", "h3", "h3"]


@pytest.mark.browser
def test_home_cards_sit_side_by_side_on_a_wide_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url)
    tops = [box["y"] for box in (c.bounding_box() for c in page.locator(".sn-card").all())]
    context.close()
    assert len(tops) == 3 and len(set(tops)) < 3  # side by side, not one under another


# --- the download --------------------------------------------------------------------------

@pytest.mark.parametrize("size, shown", [(820, "820 bytes"), (1024, "1 KB"), (PDF_SIZE, "150 KB"),
                                         (2_516_582, "2.4 MB"), (1024 * 1024 * 1024, "1,024.0 MB")])
def test_file_sizes_as_readers_read_them(size, shown):
    assert human_size(size) == shown


def test_download_is_a_labelled_button_near_the_top(site):
    doc = site.html("notes/lead/")
    (button,) = doc.cssselect(".sn-download a")
    assert text(button) == "Download the Smart Note (PDF, 150 KB)"
    assert "md-button--primary" in button.get("class")
    assert (site.site / resolve("notes/lead/", button.get("href"))).stat().st_size == PDF_SIZE
    assert button.get("type") == "application/pdf"
    # in the header, under the title and byline, before the text
    where = {e: i for i, e in enumerate(doc.iter())}
    (header,) = doc.cssselect(".sn-publication__header")
    assert button in header.iter()
    assert where[header.cssselect("h1")[0]] < where[header.cssselect(".sn-byline")[0]] < where[button] \
        < where[doc.cssselect(".sn-publication__body")[0]]


def test_a_remote_download_says_its_type(site):
    (button,) = site.html("case-studies/second/").cssselect(".sn-download a")
    assert text(button) == "Download the Case Study (PDF)"
    assert button.get("href") == "https://files.example.org/second.pdf"


def test_no_download_no_button(site):
    assert not site.html("notes/fourth/").cssselect(".sn-download")


# --- type for reading ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_long_text_is_set_for_reading(browser, sample_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(sample_url + SEED)
    measure = page.evaluate("""() => {
        const body = document.querySelector('.sn-publication__body');
        const p = body.querySelector('p');
        const style = getComputedStyle(p);
        const probe = document.createElement('span');
        probe.textContent = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
        probe.style.whiteSpace = 'nowrap';
        p.appendChild(probe);
        const perChar = probe.getBoundingClientRect().width / 104;
        probe.remove();
        return {chars: p.getBoundingClientRect().width / perChar,
                leading: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
                fontSize: parseFloat(style.fontSize), family: style.fontFamily,
                webfonts: document.fonts.size};
    }""")
    context.close()
    if width == 1280:
        assert 60 <= measure["chars"] <= 80, measure  # a comfortable line, in average characters
    assert measure["leading"] >= 1.5 and measure["fontSize"] >= 16, measure
    assert measure["family"].startswith("-apple-system, BlinkMacSystemFont"), measure  # the system's fonts
    assert measure["webfonts"] == 0, measure  # nothing declared to download


# --- on paper ----------------------------------------------------------------------------------

SCREEN_ONLY = ["header.md-header", ".md-sidebar--primary", ".sn-search", ".sn-share", ".sn-embed",
               ".sn-download", "footer.md-footer", ".sn-footer-feeds"]


def displayed(page, selector: str) -> list[bool]:
    return page.eval_on_selector_all(
        selector, "els => els.map(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0)")


@pytest.mark.browser
def test_print_leaves_the_publication_and_its_address(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "notes/lead/")
    on_screen = {s: displayed(page, s) for s in SCREEN_ONLY + [".sn-print-address"]}
    page.emulate_media(media="print")
    on_paper = {s: displayed(page, s) for s in SCREEN_ONLY + [".sn-print-address"]}
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    address = page.locator(".sn-print-address").inner_text()
    after = page.eval_on_selector_all(".sn-publication__body a",
                                      "els => els.map(e => getComputedStyle(e, '::after').content)")
    body_shown = displayed(page, ".sn-publication__body")
    context.close()
    for selector in SCREEN_ONLY:
        assert on_screen[selector] and any(on_screen[selector]), f"{selector} is not on the page at all"
        assert not any(on_paper[selector]), f"{selector} is printed"
    assert on_screen[".sn-print-address"] == [False] and on_paper[".sn-print-address"] == [True]
    assert canonical == "https://example.org/sub/notes/lead/" and canonical in address
    assert body_shown == [True]
    # the address of a link out is printed after it; a link within the site is not
    assert after == ['" (https://reports.example.org/r.pdf)"', "none"], after


@pytest.mark.browser
def test_print_of_the_seed_keeps_have_you_read_as_a_plain_list(browser, sample_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(sample_url + SEED)
    tabs_on_screen = displayed(page, ".md-tabs")
    page.emulate_media(media="print")
    assert tabs_on_screen == [True] and displayed(page, ".md-tabs") == [False]
    assert displayed(page, ".sn-print-address") == [True]
    items = page.eval_on_selector_all(".sn-related__item", "els => els.map(e => getComputedStyle(e).display)")
    links = page.locator(".sn-related__item a").all_inner_texts()
    context.close()
    assert items and set(items) == {"list-item"}
    assert len(links) == len(items)
