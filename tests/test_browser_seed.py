"""A reader opens the home page, follows the link to the seed note and sees it."""

import pytest

SEED_TITLE = "New Smart Note: Supporting Members to Adopt Client Protection at Azerbaijan Microfinance Association"

pytestmark = pytest.mark.browser


def test_home_to_seed_note(page, sample_url):
    page.goto(sample_url)
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_url("**/notes/supporting-members-client-protection-amfa/")
    assert page.locator("h1").first.inner_text() == SEED_TITLE
    byline = page.locator(".sn-publication__header .sn-byline")
    assert "Posted by Maggie Long" in " ".join(byline.inner_text().split())
    assert page.locator(".sn-publication__header time.sn-date").inner_text() == "May 24, 2012"
    share = page.get_by_role("navigation", name="Share")
    names = [link.inner_text() for link in share.get_by_role("link").all()]
    assert names == ["LinkedIn", "X", "Facebook", "Email"]
