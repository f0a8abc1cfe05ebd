"""Keyboard (issue 16, WCAG 2.2 AA): every control is reached with Tab, the
focused one is visible and marked, and the phone's menu opens from the keyboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SEED = "notes/supporting-members-client-protection-amfa/"

# What has focus, where it is, and whether it is marked: its own outline or
# ring, or for Material's hidden radio buttons (the colour toggle) the label
# that shows them.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const shown = e.matches("input.md-option") ? e.nextElementSibling || e : e;
  const style = getComputedStyle(shown), box = shown.getBoundingClientRect();
  const name = (e.getAttribute("aria-label") || e.innerText || e.value || "").trim().split("\\n")[0];
  return {name, tag: e.tagName.toLowerCase(), x: box.left, right: box.right, width: box.width, height: box.height,
          marked: (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none",
          visible: style.visibility === "visible" && box.width > 0 && box.height > 0};
}"""


def tab_through(page, limit: int = 120) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("url", ["", SEED, "tags/"])
def test_every_stop_is_visible_and_marked(page, sample_url, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(sample_url + url)
    stops = tab_through(page)
    assert len(stops) > 5
    for stop in stops:
        assert stop["visible"] and stop["width"] > 0, f"focus went where it cannot be seen: {stop}"
        assert stop["right"] > 0 and stop["x"] < width, f"focus went off screen: {stop}"
        assert stop["marked"], f"focus is not shown: {stop}"
    names = [s["name"] for s in stops]
    assert "Search publications" in names
    if url == SEED:
        assert {"LinkedIn", "Email", "Embed", "RSS"} <= set(names)
    if width == 1280:
        assert {"Smart Notes", "Case Studies", "Browse"} <= set(names)
    else:
        assert "Navigation" in names


def test_phone_menu_opens_from_the_keyboard(page, sample_url):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(sample_url)
    page.locator("header label[for=__drawer]").focus()
    page.keyboard.press("Enter")
    link = page.locator(".md-sidebar--primary").get_by_role("link", name="Case Studies")
    link.wait_for(state="visible")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Case Studies":
            break
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Case Studies"


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_of_a_listing_are_reached_and_marked(page, paged_sample_url, width):
    """A listing's pagination (two publications a page in the paged sample): each link is a
    stop, visible and marked, and named for a screen reader ("Next page", "Page 1")."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(paged_sample_url + "countries/azerbaijan/page/2/")
    stops = tab_through(page)
    named = {s["name"]: s for s in stops}
    assert {"Previous page", "Page 1", "Page 2"} <= set(named), [s["name"] for s in stops]
    for name in ("Previous page", "Page 1", "Page 2"):
        assert named[name]["visible"] and named[name]["marked"], named[name]
    assert page.locator(".sn-pagination [aria-current=page]").get_attribute("aria-label") == "Page 2"
