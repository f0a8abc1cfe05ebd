"""A reader searches from the header: words, authors, filters, keyboard (issue 5)."""

from __future__ import annotations

import pytest

from conftest import serve_directory
from sites import build, write_site

SEED_TITLE = "New Smart Note: Supporting Members to Adopt Client Protection at Azerbaijan Microfinance Association"
SEED_URL = "notes/supporting-members-client-protection-amfa/"

pytestmark = pytest.mark.browser

BOX = "[data-sn-search] input[type=search]"
ITEMS = ".sn-search__item"


def search(page, text: str) -> None:
    """Type ``text`` and wait until its results are shown (the box marks them)."""
    page.locator(BOX).fill(text)
    page.wait_for_function("text => document.querySelector('[data-sn-search]').dataset.query === text",
                           arg=text.strip())


def titles(page) -> list[str]:
    return page.locator(f"{ITEMS} .sn-search__title").all_inner_texts()


def kinds(page) -> list[str]:
    return [k.strip() for k in page.locator(f"{ITEMS} .sn-kind").all_text_contents()]


def test_country_finds_the_seed_note_first(page, sample_url):
    page.goto(sample_url + "about/")
    search(page, "Azerbaijan")
    found = titles(page)
    assert found[0] == SEED_TITLE
    first = page.locator(ITEMS).first
    assert first.locator("time").inner_text() == "May 24, 2012"
    assert first.locator(".sn-kind").text_content().strip() == "Smart Note"
    marks = first.locator(".sn-search__excerpt mark").all_inner_texts()
    assert marks and all(m.casefold().startswith("azerbaijan") for m in marks)


@pytest.mark.parametrize("query", ["Maggie Long", "AMFA", "networks and associations"])
def test_author_organisation_and_topic_find_the_seed_note(page, sample_url, query):
    page.goto(sample_url)
    search(page, query)
    assert SEED_TITLE in titles(page)


def test_filters_together_without_words(page, sample_url):
    """All 2012 case studies about Azerbaijan."""
    page.goto(sample_url + "about/")
    page.locator(BOX).focus()
    page.locator("select[data-filter=kind]").focus()
    page.wait_for_function("() => document.querySelectorAll('select[data-filter=country] option').length > 1")
    page.locator("select[data-filter=year]").select_option("2012")
    page.locator("select[data-filter=country]").select_option("Azerbaijan")
    page.locator("select[data-filter=kind]").select_option("Case Study")
    page.wait_for_function("() => document.querySelector('[data-sn-search]').dataset.query === ''"
                           " && document.querySelectorAll('.sn-search__item').length > 0")
    assert set(kinds(page)) == {"Case Study"}
    dates = page.locator(f"{ITEMS} time").all_inner_texts()
    assert dates and all(d.endswith("2012") for d in dates)
    assert SEED_TITLE not in titles(page)


def test_filter_without_words_lists_newest_first(page, sample_url):
    """No words, no relevance: the same order as the collection's listing, newest first."""
    page.goto(sample_url + "notes/")
    listed = page.locator(".sn-list__title").all_inner_texts()
    assert len(listed) > 1
    page.locator(BOX).focus()
    kind = page.locator("select[data-filter=kind]")
    kind.focus()
    page.wait_for_function("() => document.querySelectorAll('select[data-filter=kind] option').length > 1")
    kind.select_option("Smart Note")
    page.wait_for_function("n => document.querySelectorAll('.sn-search__item').length === n", arg=len(listed))
    assert titles(page) == listed


def test_kind_filter_leaves_only_case_studies(page, sample_url):
    page.goto(sample_url + "case-studies/")
    listed = page.locator(".sn-list__item").count()
    assert listed > 0
    page.locator(BOX).focus()
    kind = page.locator("select[data-filter=kind]")
    kind.focus()  # the menus' options load when the reader turns to them
    page.wait_for_function("() => document.querySelectorAll('select[data-filter=kind] option').length > 1")
    kind.select_option("Case Study")
    page.wait_for_function("() => document.querySelectorAll('.sn-search__item').length > 0")
    assert kinds(page) == ["Case Study"] * listed  # without words: every case study
    search(page, "Azerbaijan")  # and together with words
    page.wait_for_function("() => document.querySelectorAll('.sn-search__item').length > 0")
    assert set(kinds(page)) == {"Case Study"}


def test_click_and_enter_open_the_publication(page, sample_url):
    page.goto(sample_url)
    search(page, "Azerbaijan")
    page.get_by_role("link", name=SEED_TITLE).filter(has=page.locator(".sn-search__title")).click()
    page.wait_for_url(f"**/{SEED_URL}")
    assert page.locator("article h1").inner_text() == SEED_TITLE

    page.goto(sample_url + "about/")
    search(page, "Maggie Long")
    page.locator(BOX).press("Enter")
    page.wait_for_url(f"**/{SEED_URL}")


@pytest.mark.parametrize("key", ["/", "s"])
def test_keyboard_shortcut_focuses_the_box(page, sample_url, key):
    page.goto(sample_url + "about/")
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.matches('[data-sn-search] input')")
    assert page.locator(BOX).input_value() == ""  # the key focused the box; it was not typed


def test_arrow_keys_walk_the_results(page, sample_url):
    page.goto(sample_url)
    search(page, "Azerbaijan")
    page.locator(BOX).press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('.sn-search__link')")
    page.keyboard.press("Escape")
    assert page.locator(".sn-search__panel").is_hidden()


def test_dark_palette_panel_uses_materials_colours(browser, sample_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(sample_url)
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        search(page, "Azerbaijan")
        colours = page.evaluate("""() => {
            const panel = getComputedStyle(document.querySelector('.sn-search__panel'));
            const probe = document.createElement('div');
            probe.style.backgroundColor = 'var(--md-default-bg-color)';
            probe.style.color = 'var(--md-default-fg-color)';
            document.body.append(probe);
            const expected = getComputedStyle(probe);
            return [panel.backgroundColor, expected.backgroundColor, panel.color, expected.color];
        }""")
        assert colours[0] == colours[1] and colours[2] == colours[3]
    finally:
        context.close()


# -- bad input -----------------------------------------------------------------

SCRIPT_TITLE = "<script>window.__pwned = 1</script> Crisis <b>response</b>"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("hostile"), {
        "notes/crisis.md": f"""\
            ---
            title: {SCRIPT_TITLE!r}
            date: 2013-01-10
            authors: [ana-perez]
            ---
            A body about a crisis.
            """,
        "content/about.md": "# About\n\nNo listings here.\n",
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    url, server = serve_directory(result.site.parent)
    yield url + "site/"
    server.shutdown()


def test_script_title_is_shown_as_text(page, hostile_url):
    page.goto(hostile_url + "about/")
    search(page, "crisis")
    assert titles(page) == [SCRIPT_TITLE]
    assert page.locator(".sn-search__panel script, .sn-search__panel b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_html_query_is_shown_as_text(page, hostile_url):
    page.goto(hostile_url + "about/")
    query = '<img src=x onerror="window.__pwned = 3"><script>window.__pwned = 4</script>'
    search(page, query)
    assert page.locator(BOX).input_value() == query
    assert query in page.locator(".sn-search__status").inner_text()
    assert page.locator(".sn-search__panel img, .sn-search__panel script").count() == 0
    page.wait_for_timeout(200)  # an injected onerror would have fired by now
    assert page.evaluate("window.__pwned") is None
