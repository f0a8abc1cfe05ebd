"""Listings in pages (issue 16, goal 5): a collection, its years, every term and
author page list their publications a page at a time, newest first, with
links to the pages before and after; page 1 keeps the listing's address."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urljoin

import lxml.html
import pytest

from smartnotes.catalog.listings import Listing
from smartnotes.catalog.pagination import GAP, pages_of, paginate
from sites import NOTE, build, write_site

SIZE = 4
N = 23


def note(title: str, when: date, extra: str = "") -> str:
    return NOTE.format(title=title, date=when.isoformat(), extra=extra, body="Body.")


# --- the pages of a listing, as data -------------------------------------------------

@pytest.mark.parametrize("count, number, expected", [
    (1, 1, [1]),
    (5, 1, [1, 2, 3, 4, 5]),
    (10, 1, [1, 2, 3, GAP, 10]),
    (10, 5, [1, 2, 3, 4, 5, 6, 7, GAP, 10]),  # 2 is shown rather than a gap of one page
    (10, 6, [1, GAP, 4, 5, 6, 7, 8, 9, 10]),
    (150, 75, [1, GAP, 73, 74, 75, 76, 77, GAP, 150]),
    (150, 150, [1, GAP, 148, 149, 150]),
])
def test_page_numbers_shown(count, number, expected):
    listing = Listing("tag:x", "tag", "x", "tags/x/", tuple(range(count)))
    page = list(pages_of(listing, 1))[number - 1]
    assert page.count == count and page.number == number
    assert page.numbers() == expected


def test_every_publication_once_and_taxonomy_indexes_whole():
    members = tuple(range(9))
    term = Listing("tag:x", "tag", "x", "tags/x/", members)
    empty = Listing("collection:c", "collection", "C", "c/", ())
    index = Listing("taxonomy:tag", "taxonomy", "Topics", "tags/", (), (term,))
    pages = paginate({l.url: l for l in (term, empty, index)}, 4)
    assert sorted(pages) == ["c/", "tags/x/", "tags/x/page/2/", "tags/x/page/3/"]
    assert [p for url in ("tags/x/", "tags/x/page/2/", "tags/x/page/3/") for p in pages[url].publications] \
        == list(members)
    assert pages["c/"].publications == () and pages["c/"].count == 1
    third = pages["tags/x/page/3/"]
    assert (third.first, third.last, third.total, third.prev_url, third.next_url) == (9, 9, 9, "tags/x/page/2/", None)


# --- a built site -------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    start = date(2011, 1, 3)
    notes = {}
    for i in range(N):
        tags = ["everything"] + (["even"] if i % 2 == 0 else [])
        authors = "[maggie-long, ana-perez]" if i % 3 == 0 else "[maggie-long]"
        notes[f"notes/n{i:02d}.md"] = note(f"Note {i:02d}", start + timedelta(days=37 * i),
                                           f"tags: {tags}\ncountries: [Peru]\n").replace(
                                               "authors: [maggie-long]", f"authors: {authors}")
    root = write_site(tmp_path_factory.mktemp("paged"), notes, plugin_config=f"listing_page_size: {SIZE}\n")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    dates = {f"Note {i:02d}": start + timedelta(days=37 * i) for i in range(N)}
    return result, dates


def walk(result, url: str) -> list[tuple[str, object]]:
    """Follow rel=next from ``url``: each page's address and parsed HTML."""
    pages, seen = [], set()
    while url is not None:
        assert url not in seen, f"{url} links back into its own chain"
        seen.add(url)
        doc = result.html(url)
        pages.append((url, doc))
        nxt = doc.cssselect('head link[rel=next]')
        url = resolve(url, nxt[0].get("href")) if nxt else None
    return pages


def resolve(page_url: str, href: str) -> str:
    """A relative href of the page at ``page_url`` as a site-relative URL."""
    return urljoin("https://x/" + page_url, href).removeprefix("https://x/")


def expected_titles(result, dates, keep) -> list[str]:
    return [t for t, d in sorted(dates.items(), key=lambda item: (-item[1].toordinal(), item[0])) if keep(t, d)]


CASES = {
    "collection": ("notes/", lambda t, d: True),
    "year": ("notes/2012/", lambda t, d: d.year == 2012),
    "topic": ("tags/even/", lambda t, d: int(t[-2:]) % 2 == 0),
    "topic-all": ("tags/everything/", lambda t, d: True),
    "country": ("countries/peru/", lambda t, d: True),
    "author": ("authors/ana-perez/", lambda t, d: int(t[-2:]) % 3 == 0),
}


@pytest.mark.parametrize("case", CASES)
def test_pages_cover_every_publication_once_in_order(site, case):
    result, dates = site
    start, keep = CASES[case]
    expected = expected_titles(result, dates, keep)
    assert len(expected) > SIZE  # the case needs more than one page
    pages = walk(result, start)
    assert [url for url, _ in pages] == [start] + [f"{start}page/{n}/" for n in range(2, len(pages) + 1)]
    assert len(pages) == -(-len(expected) // SIZE)
    listed = [a.text_content() for _, doc in pages for a in doc.cssselect(".sn-list__title a")]
    assert listed == expected
    assert all(len(doc.cssselect(".sn-list__item")) == SIZE for _, doc in pages[:-1])
    assert not (result.site / start / "page" / "1").exists()  # page 1 is the listing's own address


@pytest.mark.parametrize("case", CASES)
def test_pages_link_to_each_other(site, case):
    result, _ = site
    pages = walk(result, CASES[case][0])
    urls = [url for url, _ in pages]
    titles = set()
    for i, (url, doc) in enumerate(pages):
        prev = doc.cssselect("head link[rel=prev]")
        assert [resolve(url, p.get("href")) for p in prev] == urls[i - 1:i]
        (nav,) = doc.cssselect("nav.sn-pagination")
        assert nav.get("aria-label", "").startswith("Pages of ")
        numbered = {a.text_content(): resolve(url, a.get("href"))
                    for a in nav.cssselect(".sn-pagination__number a")}
        assert all(numbered[n] == urls[int(n) - 1] for n in numbered)
        assert all(a.get("aria-label") == f"Page {a.text_content()}" for a in nav.cssselect(".sn-pagination__number a"))
        assert {"1", str(i + 1), str(len(urls))} <= set(numbered)  # the first, this and the last
        (current,) = nav.cssselect("[aria-current=page]")
        assert resolve(url, current.get("href")) == url
        steps = {a.get("rel"): resolve(url, a.get("href")) for a in nav.cssselect(".sn-pagination__step a")}
        assert steps == {**({"prev": urls[i - 1]} if i else {}), **({"next": urls[i + 1]} if i + 1 < len(urls) else {})}
        titles.add(doc.cssselect("title")[0].text_content())
        canonical = doc.cssselect("link[rel=canonical]")[0].get("href")
        assert canonical == f"https://example.org/sub/{url}"
    assert len(titles) == len(pages)  # every page has its own title


def test_feeds_and_taxonomy_indexes_stay_whole(site):
    result, dates = site
    assert not list(result.site.glob("**/page/*/feed.xml"))
    assert not (result.site / "tags" / "page").exists()
    assert len(result.html("tags/").cssselect(".sn-taxonomy li")) == 2
    sitemap = (result.site / "sitemap.xml").read_text()
    assert "notes/page/2/" in sitemap


def test_a_file_at_a_page_address_is_an_error(tmp_path):
    root = write_site(tmp_path, {
        "notes/a.md": note("A", date(2012, 1, 1)), "notes/b.md": note("B", date(2012, 1, 2)),
        "content/notes/page/2.md": "# Mine\n",
    }, plugin_config="listing_page_size: 1\n")
    result = build(root)
    assert result.returncode != 0
    assert ("content/notes/page/2.md:1: content/notes/page/2.md (a file you wrote) would be written at "
            "/notes/page/2/, which is also page 2 of 'Smart Notes' (generated)") in result.output
