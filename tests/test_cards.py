"""Sharing cards (issue 16, goal 6): every publication's og:image is a picture a network can show.

Built pages are parsed; the og:image they name is opened with Pillow from
the built site. Tiny sites show the cache (a second build renders nothing),
an author's own image winning, and hostile titles.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from sites import NOTE, build, write_site
from smartnotes.cards import draw

SITE_URL = "https://example.org/sub/"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def meta(tree, name: str) -> str | None:
    found = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
    return found[0] if found else None


def publication_pages(site: Path) -> list[Path]:
    import lxml.html

    pages = []
    for path in sorted(site.rglob("index.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        if meta(tree, "og:type") == "article":
            pages.append(path)
    return pages


def card_file(site: Path, url: str, site_url: str) -> Path:
    assert url.startswith(site_url), url
    return site / url[len(site_url):]


def note(title: str, extra: str = "", date: str = "2024-03-01") -> str:
    return NOTE.format(title=title, date=date, extra=extra, body="Text.")


def quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def rendered_count(output: str) -> tuple[int, int]:
    found = re.search(r"sharing cards: (\d+) rendered, (\d+) from the cache", output)
    assert found, output
    return int(found[1]), int(found[2])


def test_every_publication_of_the_sample_site_has_a_picture(sample_site):
    import lxml.html

    pages = publication_pages(sample_site)
    assert len(pages) >= 4 and any("supporting-members-client-protection-amfa" in str(p) for p in pages)
    for path in pages:
        tree = lxml.html.fromstring(path.read_bytes())
        url = meta(tree, "og:image")
        assert url and url.startswith("https://smartnotes.example.org/"), path
        assert meta(tree, "twitter:card") == "summary_large_image"
        assert meta(tree, "twitter:image") == url
        assert meta(tree, "og:image:alt")
        with Image.open(card_file(sample_site, url, "https://smartnotes.example.org/")) as image:
            if meta(tree, "og:image:width"):
                assert image.size == (int(meta(tree, "og:image:width")), int(meta(tree, "og:image:height")))
            if "/card-" in url:
                assert image.format == "PNG" and image.size == (1200, 630)


def test_a_card_is_made_once_and_an_own_image_wins(tmp_path):
    photo = io.BytesIO()
    Image.new("RGB", (800, 420), "#884400").save(photo, "PNG")
    root = write_site(tmp_path, {
        "notes/alpha.md": note("Alpha on client protection"),
        "notes/beta.md": note("Beta with a photo", extra="image: photo.png"),
        "notes/photo.png": photo.getvalue(),
    })
    first = build(root, "--strict")
    assert first.returncode == 0, first.output
    assert rendered_count(first.output) == (1, 0)

    alpha = first.html("notes/alpha/")
    card = meta(alpha, "og:image")
    assert re.fullmatch(re.escape(SITE_URL) + r"notes/alpha/card-[0-9a-f]{16}\.png", card)
    assert (meta(alpha, "og:image:width"), meta(alpha, "og:image:height")) == ("1200", "630")
    assert meta(alpha, "og:image:alt") == "Smart Note: Alpha on client protection"
    with Image.open(card_file(first.site, card, SITE_URL)) as image:
        assert image.size == (1200, 630)

    beta = first.html("notes/beta/")
    assert meta(beta, "og:image") == SITE_URL + "notes/photo.png"
    assert (meta(beta, "og:image:width"), meta(beta, "og:image:height")) == ("800", "420")
    assert not list((first.site / "notes" / "beta").glob("card-*.png"))

    cached = sorted((root / ".cache" / "smartnotes" / "cards").glob("*.png"))
    assert len(cached) == 1
    stamps = [p.stat().st_mtime_ns for p in cached]
    second = build(root, "--strict")
    assert second.returncode == 0, second.output
    assert rendered_count(second.output) == (0, 1)
    assert [p.stat().st_mtime_ns for p in cached] == stamps
    assert meta(second.html("notes/alpha/"), "og:image") == card
    assert card_file(second.site, card, SITE_URL).read_bytes() == card_file(first.site, card, SITE_URL).read_bytes()

    # A new title is a new picture at a new address (networks keep a picture per address).
    (root / "notes" / "alpha.md").write_text(note("Alpha, retitled"), encoding="utf-8")
    third = build(root, "--strict")
    assert rendered_count(third.output) == (1, 0)
    assert meta(third.html("notes/alpha/"), "og:image") != card


HOSTILE = {
    "script": "<script>alert('card')</script> & \"quotes\"",
    "long": "A very long title about client protection " * 12,
    "cjk": "客户保护与小额信贷的透明度：阿塞拜疆小额信贷协会的经验",
    "rtl": "حماية العملاء في التمويل الأصغر",
    "accents": "Côte d’Ivoire — São Tomé, Łódź and Azərbaycan",
}


def test_hostile_titles_make_cards(tmp_path):
    files = {f"notes/{name}.md": note(quoted(title)) for name, title in HOSTILE.items()}
    elsewhere = tmp_path / "elsewhere"  # cards_cache_dir moves the cache
    result = build(write_site(tmp_path / "project", files, plugin_config=f"cards_cache_dir: {elsewhere}"), "--strict")
    assert result.returncode == 0, result.output
    assert len(list(elsewhere.glob("*.png"))) == len(HOSTILE)
    assert not (tmp_path / "project" / ".cache").exists()
    for name, title in HOSTILE.items():
        tree = result.html(f"notes/{name}/")
        assert meta(tree, "og:image:alt") == f"Smart Note: {' '.join(title.split())}"
        with Image.open(card_file(result.site, meta(tree, "og:image"), SITE_URL)) as image:
            assert image.size == (1200, 630)
    assert not result.html("notes/script/").xpath("//script[normalize-space(.) = \"alert('card')\"]")
    # Pillow's font has no CJK or Arabic: those cards leave the title out, and the build says why.
    assert "notes/cjk.md: its sharing card leaves out the title" in result.output
    assert "notes/rtl.md: its sharing card leaves out the title" in result.output
    assert "notes/accents.md: its sharing card writes the title without accents" in result.output
    assert "notes/long.md" not in result.output


def title_area(png: bytes) -> set:
    """The colours in the title's place, the background's (read at the top right corner) left out."""
    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGB")
        background = image.getpixel((draw.WIDTH - 4, 4))
        area = image.crop((draw.MARGIN, 175, draw.WIDTH - draw.MARGIN, 495))
        return {colour for _, colour in area.getcolors(1 << 20)} - {background}


TEXT = dict(kind="Smart Note", date="May 24, 2012", site_name="Smart Notes")


def test_a_title_no_font_has_is_left_out_not_drawn_as_boxes():
    card = draw.render(draw.CardText(HOSTILE["cjk"], **TEXT), draw.Style(), ())
    assert card.missing == ("title",)
    assert title_area(card.png) == set()  # the background only: no row of "missing" boxes
    latin = draw.render(draw.CardText("Client protection", **TEXT), draw.Style(), ())
    assert latin.missing == () and title_area(latin.png)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs a font with Arabic and CJK-free coverage (fonts-dejavu-core)")
def test_a_configured_font_draws_what_pillows_cannot(tmp_path):
    card = draw.render(draw.CardText(HOSTILE["rtl"], **TEXT), draw.Style(), (str(DEJAVU),))
    assert card.missing == () and card.plain == ()
    assert title_area(card.png)
    accents = draw.render(draw.CardText(HOSTILE["accents"], **TEXT), draw.Style(), (str(DEJAVU),))
    assert accents.plain == ()


@pytest.mark.parametrize("option, message", [
    ("cards_fonts: [fonts/missing.ttf]", "cards_fonts[0]: 'fonts/missing.ttf' is not a file"),
    ("cards_fonts: [mkdocs.yml]", "cards_fonts[0]: 'mkdocs.yml' is not a font FreeType can read"),
    ("cards_background: teal", "cards_background: 'teal' is not a colour written #rrggbb"),
])
def test_bad_card_options_are_named(tmp_path, option, message):
    result = build(write_site(tmp_path, {"notes/a.md": note("A")}, plugin_config=option), "--strict")
    assert result.returncode != 0
    assert message in result.output
