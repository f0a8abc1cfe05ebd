"""Making body HTML absolute for feeds: table tests (issue 4)."""

import lxml.html
import pytest

from smartnotes.feeds.absolute_urls import MalformedHTML, absolute_html, absolute_srcset, absolute_url

PAGE = "https://example.org/sub/notes/x/"


@pytest.mark.parametrize("value, expected", [
    ("../y/", "https://example.org/sub/notes/y/"),
    ("../y/#part", "https://example.org/sub/notes/y/#part"),
    ("#part", "https://example.org/sub/notes/x/#part"),
    ("img.png", "https://example.org/sub/notes/x/img.png"),
    ("/root.css", "https://example.org/root.css"),
    ("//cdn.example.com/a.js", "https://cdn.example.com/a.js"),
    ("https://other.example/p", "https://other.example/p"),
    ("mailto:a@example.org", "mailto:a@example.org"),
    ("", PAGE),
    ("?page=2", "https://example.org/sub/notes/x/?page=2"),
])
def test_absolute_url(value, expected):
    assert absolute_url(value, PAGE) == expected


@pytest.mark.parametrize("value, expected", [
    ("a.png 1x, b.png 2x", f"{PAGE}a.png 1x, {PAGE}b.png 2x"),
    ("a.png 480w,b.png 800w", f"{PAGE}a.png 480w, {PAGE}b.png 800w"),
    ("../a,1.png 1x", "https://example.org/sub/notes/a,1.png 1x"),
    ("a.png", f"{PAGE}a.png"),
    ("  a.png  ,  b.png 2x  ", f"{PAGE}a.png, {PAGE}b.png 2x"),
])
def test_absolute_srcset(value, expected):
    assert absolute_srcset(value, PAGE) == expected


def test_absolute_html_rewrites_every_url_and_keeps_the_rest():
    html = ('<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>\n'
            '<p>Text &amp; <a href="../y/" title="t">link</a> <img alt="i" src="i.png" srcset="i.png 1x, j.png 2x">'
            ' <video poster="p.jpg" src="v.mp4"></video> <q cite="../q/">q</q></p>')
    out = lxml.html.fragment_fromstring(absolute_html(html, PAGE), create_parent="div")
    assert [a.get("href") for a in out.iter("a")] == [f"{PAGE}#a", "https://example.org/sub/notes/y/"]
    image = out.find(".//img")
    assert (image.get("src"), image.get("srcset")) == (f"{PAGE}i.png", f"{PAGE}i.png 1x, {PAGE}j.png 2x")
    video = out.find(".//video")
    assert (video.get("poster"), video.get("src")) == (f"{PAGE}p.jpg", f"{PAGE}v.mp4")
    assert out.find(".//q").get("cite") == "https://example.org/sub/notes/q/"
    assert out.text_content() == lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def test_absolute_html_keeps_empty_input():
    assert absolute_html("", PAGE) == ""


@pytest.mark.parametrize("html, reason", [
    ("<p>a</p></body><p>lost</p>", "end tag"),
    ('<a href="http://[::1">x</a>', "cannot be parsed"),
    ('<img srcset="a.png 1x, http://[::1 2x">', "cannot be parsed"),
    ("<p>\ud800</p>", "cannot be parsed|malformed"),
])
def test_malformed_html_is_an_error_not_a_loss(html, reason):
    with pytest.raises(MalformedHTML, match=reason):
        absolute_html(html, PAGE)


def test_absolute_html_can_drop_the_headings_permalinks():
    """Feed items carried a "¶" after each heading (issue 16)."""
    html = ('<h2 id="a">A<a class="headerlink" href="#a" title="Permanent link">¶</a></h2>\n'
            '<p>See <a class="headerlink" href="#a">¶</a> here</p>')
    out = lxml.html.fragment_fromstring(absolute_html(html, PAGE, permalinks=False), create_parent="div")
    assert out.find("h2").text_content() == "A"
    assert out.find("p").text_content() == "See ¶ here", "only headings' permalinks go"
