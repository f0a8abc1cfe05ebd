"""Partner pages on another origin embed our publications, in Chromium (issue 6)."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import lxml.html
import pytest
from playwright.sync_api import expect

from conftest import serve_directory
from embed_sites import served_sample, served_site
from test_embeds import AUTHORS, EVIL, EVIL_AUTHOR, EVIL_SUMMARY

pytestmark = pytest.mark.browser

SEED_TITLE = "New Smart Note: Supporting Members to Adopt Client Protection at Azerbaijan Microfinance Association"
SEED_URL = "notes/supporting-members-client-protection-amfa/"
HOST_SCRIPT = (Path(__file__).parent / "fixtures" / "embed-host.js").read_text(encoding="utf-8")
WIDGET = "Smart Notes widget"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Our site (the repository's content) on one origin..."""
    url, server, result = served_sample(tmp_path_factory.mktemp("sample-served"))
    yield url, result
    server.shutdown()


@pytest.fixture(scope="module")
def partner(tmp_path_factory):
    """...and a partner's site on another (another port is another origin)."""
    folder = tmp_path_factory.mktemp("partner")
    url, server = serve_directory(folder)
    yield url, folder
    server.shutdown()


def partner_page(partner, name: str, body: str, title: str = "Partner network") -> str:
    url, folder = partner
    (folder / name).write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>a { color: rgb(255, 0, 0); } li, p { font-size: 40px; }</style></head>"
        f"<body><h1>{title}</h1>{body}</body></html>",
        encoding="utf-8",
    )
    return url + name


def console_log(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return messages


def wait_until(page, check, timeout: float = 5.0):
    """Poll ``check``; Playwright's own wait lets the page's events (console, messages) arrive."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(50)


def snippet_of(result, publication_url: str, field: str) -> str:
    """The snippet an editor copies from the page's "Embed" control."""
    (element,) = result.html(publication_url).xpath(f"//*[@id='{field}']")
    return element.text if element.tag == "textarea" else element.get("value")


def test_widget_on_another_origin_shows_the_latest_smart_notes(page, sample, partner):
    url, result = sample
    latest = [a.text_content() for a in result.html("notes/").xpath("//*[@class='sn-list__title']/a")][:5]
    snippet = snippet_of(result, SEED_URL, "sn-embed-widget")
    log = console_log(page)
    page.goto(partner_page(partner, "widget.html", f"<p>Our members read:</p>{snippet}"))
    assert page.evaluate("location.origin") + "/" != url
    links = page.locator("[data-smartnotes-widget] li a")  # Playwright's CSS pierces the open shadow root
    links.first.wait_for()
    assert links.all_inner_texts() == latest and SEED_TITLE in latest
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert all(h.startswith(url + "notes/") for h in hrefs)
    kinds = page.locator("[data-smartnotes-widget] li .k").all_inner_texts()
    assert {k.casefold() for k in kinds} == {"smart note"}
    # The partner's CSS stays out of the shadow root, and the fallback link is no longer shown.
    assert links.first.evaluate("a => getComputedStyle(a).color") != "rgb(255, 0, 0)"
    assert not page.locator("[data-smartnotes-widget] > a").is_visible()
    assert not [m for m in log if WIDGET in m]


def test_one_script_tag_with_options(page, sample, partner):
    url, result = sample
    body = f'<script src="{url}embed/widget.js" data-country="Azerbaijan" data-limit="1"></script>'
    page.goto(partner_page(partner, "script-only.html", body))
    links = page.locator("li a")
    links.first.wait_for()
    assert links.all_inner_texts() == [SEED_TITLE]


def test_fallback_link_when_the_script_cannot_load(page, sample, partner):
    url, result = sample
    snippet = snippet_of(result, SEED_URL, "sn-embed-widget").replace(f"{url}embed/widget.js", f"{url}gone.js")
    page.goto(partner_page(partner, "fallback.html", snippet))
    fallback = page.locator("[data-smartnotes-widget] > a")
    assert fallback.is_visible() and fallback.get_attribute("href") == url + "notes/"
    assert fallback.inner_text().startswith("Latest Smart Notes")


def test_wrong_values_are_explained_in_the_console(page, sample, partner):
    url, _ = sample
    body = "".join(
        f'<div class="w" data-smartnotes-widget {attribute}><a href="{url}">Fallback {i}</a></div>'
        for i, attribute in enumerate(['data-tag="no-such-tag"', 'data-limit="many"', 'data-colection="notes"'])
    ) + f'<script src="{url}embed/widget.js"></script>'
    log = console_log(page)
    page.goto(partner_page(partner, "wrong.html", body))
    def errors():
        return [m for m in log if m.startswith("error: " + WIDGET)]

    assert wait_until(page, lambda: len(errors()) >= 3), log
    text = "\n".join(errors())
    assert 'there is no tag "no-such-tag"' in text and "Valid data-tag values: client-protection" in text
    assert 'data-limit="many" is not a whole number from 1 to 50' in text
    assert "unknown attribute data-colection" in text
    for i in range(3):
        host = page.locator(".w").nth(i)
        assert host.evaluate("element => element.shadowRoot") is None
        assert host.get_by_role("link").inner_text() == f"Fallback {i}"


def discover_oembed(page_url: str) -> dict:
    """What an oEmbed consumer gets for a URL: discovery on the page, then the JSON."""
    from pyembed.core import consumer
    from pyembed.core.discovery import AutoDiscoverer

    urls = list(AutoDiscoverer().get_oembed_urls(page_url))
    assert len(urls) == 1, urls
    import requests

    response = requests.get(urls[0] + "&maxwidth=600&maxheight=400", timeout=10)
    response.raise_for_status()
    assert consumer.get_first_oembed_response(urls).html == response.json()["html"]
    return response.json()


def as_wordpress_keeps_it(html_text: str) -> str:
    """What wp_filter_oembed_result makes of an untrusted provider's html: a new
    secret appended to the iframe's src and set on both elements, the iframe
    hidden until the card speaks."""
    quote, iframe = lxml.html.fragments_fromstring(html_text)
    secret = "WpSecret42"
    iframe.set("src", iframe.get("src") + "#?secret=" + secret)
    for element in (quote, iframe):
        element.set("data-secret", secret)
    iframe.set("style", "position: absolute; visibility: hidden;")
    return "".join(lxml.html.tostring(e, encoding="unicode") for e in (quote, iframe))


def card_height(page) -> int:
    frame = page.frame_locator("iframe.wp-embedded-content")
    return frame.locator("body").evaluate("body => Math.ceil(body.getBoundingClientRect().height)")


def iframe_height(page) -> int:
    return int(page.locator("iframe.wp-embedded-content").get_attribute("height"))


def clamp(height: int) -> int:
    return min(1000, max(200, height))


@pytest.mark.parametrize("consumer", ["as provided", "as WordPress keeps it"])
def test_seed_note_embeds_as_a_card_through_oembed(page, sample, partner, consumer):
    url, _ = sample
    data = discover_oembed(url + SEED_URL)
    embed = data["html"] if consumer == "as provided" else as_wordpress_keeps_it(data["html"])
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto(partner_page(partner, "oembed.html", f"<p>From our partners:</p>{embed}<script>{HOST_SCRIPT}</script>"))
    card = page.frame_locator("iframe.wp-embedded-content")
    assert card.locator("h1").inner_text() == SEED_TITLE
    assert card.locator(".sn-card__kind").inner_text().casefold() == "smart note"
    more = card.get_by_role("link", name="Read the full Smart Note")
    assert more.get_attribute("target") == "_top" and more.get_attribute("href") == url + SEED_URL
    # The host shows the card in place of the blockquote, as tall as its content.
    assert wait_until(page, lambda: iframe_height(page) == clamp(card_height(page))), (iframe_height(page), card_height(page))
    assert page.locator("blockquote.wp-embedded-content").is_hidden()
    assert page.locator("iframe.wp-embedded-content").is_visible()
    wide = iframe_height(page)
    # Narrower: the text wraps, the card grows, the iframe follows without a scrollbar.
    page.locator("iframe.wp-embedded-content").evaluate("frame => { frame.width = 240; }")
    assert wait_until(page, lambda: iframe_height(page) == clamp(card_height(page)) and iframe_height(page) > wide), (
        iframe_height(page), card_height(page), wide)
    assert card.locator("html").evaluate("root => root.scrollHeight <= window.innerHeight")
    # A click on the card's link opens the publication in the top window.
    more.click()
    page.wait_for_url(url + SEED_URL)
    assert page.locator("h1").first.inner_text() == SEED_TITLE


def test_html_in_titles_shows_as_text_and_never_runs(page, partner, tmp_path):
    from test_embeds import FILES

    url, server, result = served_site(tmp_path, {"notes/evil.md": FILES["notes/evil.md"]}, authors=AUTHORS)
    try:
        data = json.loads((result.site / "notes/evil/oembed.json").read_text(encoding="utf-8"))
        body = (
            f'<div data-smartnotes-widget data-tag="transparency"><a href="{url}">Latest</a></div>'
            f'<script src="{url}embed/widget.js"></script>'
            f"{data['html']}<script>{HOST_SCRIPT}</script>"
            f'<iframe id="list" src="{url}embed/tags/transparency/" width="400" height="400"></iframe>'
        )
        log = console_log(page)
        page.goto(partner_page(partner, "evil.html", body))
        widget_link = page.locator("[data-smartnotes-widget] li a")
        widget_link.wait_for()
        assert widget_link.inner_text() == EVIL
        assert page.locator("[data-smartnotes-widget] li p").inner_text() == EVIL_SUMMARY
        card = page.frame_locator("iframe.wp-embedded-content")
        assert card.locator("h1").inner_text() == EVIL
        assert EVIL_AUTHOR in card.locator(".sn-card__byline").inner_text()
        listing = page.frame_locator("#list")
        assert listing.locator("li h2").inner_text() == EVIL
        assert wait_until(page, lambda: page.evaluate("window.embedMessages || 0") > 0)
        # No element from the data: only the card's own message script.
        assert page.locator("[data-smartnotes-widget]").locator("img, svg, script").count() == 0
        for frame in (card, listing):
            assert frame.locator("img, svg").count() == 0 and frame.locator("script").count() == 1
        assert not [m for m in log if "8675309" in m], log
    finally:
        server.shutdown()


def test_editors_iframe_snippets_show_the_cards(page, sample, partner):
    url, result = sample
    card_snippet = snippet_of(result, SEED_URL, "sn-embed-iframe")
    list_snippet = snippet_of(result, SEED_URL, "sn-embed-list")
    latest = [a.text_content() for a in result.html("notes/").xpath("//*[@class='sn-list__title']/a")]
    page.goto(partner_page(partner, "iframes.html", f'<div id="card">{card_snippet}</div><div id="list">{list_snippet}</div>'))
    listing = page.frame_locator("#list iframe")
    assert listing.locator("li h2 a").all_inner_texts() == latest[:20]
    card = page.frame_locator("#card iframe")
    card.get_by_role("link", name="Read the full Smart Note").click()
    page.wait_for_url(url + SEED_URL)


def test_copy_button_copies_the_snippet(page, sample):
    url, result = sample
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page.goto(url + SEED_URL)
    page.get_by_text("Embed", exact=True).click()
    control = page.locator("details.sn-embed")
    for field in ("sn-embed-wordpress", "sn-embed-widget"):
        button = control.locator(f"button[data-sn-copy='{field}']")
        button.click()
        # The label changes once the clipboard promise resolves: wait for it
        # (a slower machine answers after the click returns; issue 13).
        expect(button).to_have_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == snippet_of(result, SEED_URL, field)


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG 2) of an ``rgb(...)`` colour."""
    channels = [int(float(c)) / 255 for c in css_color[css_color.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_card_is_readable_at_200_px(page, sample, scheme):
    url, _ = sample
    page.set_viewport_size({"width": 200, "height": 600})
    page.emulate_media(color_scheme=scheme)
    page.goto(url + SEED_URL + "embed/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card = page.locator(".sn-card")
    background = luminance(card.evaluate("e => getComputedStyle(e).backgroundColor"))
    for selector in (".sn-card__title", ".sn-card__summary", ".sn-card__byline", ".sn-card__more"):
        text = luminance(page.locator(selector).evaluate("e => getComputedStyle(e).color"))
        ratio = (max(text, background) + 0.05) / (min(text, background) + 0.05)
        assert ratio >= 4.5, (selector, ratio)
    assert (background < 0.2) == (scheme == "dark")
    assert page.locator(".sn-card__title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
