"""The one writer of extra files refuses to overwrite (Pelican's Writer._open_w)."""

import pytest

from smartnotes.runtime.output import OutputCollision, SiteWriter


def test_writes_into_the_site_folder(tmp_path):
    writer = SiteWriter(tmp_path)
    writer.write("a/b/feed.xml", "<rss/>", by="feeds")
    writer.write("a/b/other.json", b"{}", by="embeds")
    assert (tmp_path / "a/b/feed.xml").read_text() == "<rss/>"
    assert (tmp_path / "a/b/other.json").read_bytes() == b"{}"


def test_refuses_a_second_write_of_one_path(tmp_path):
    writer = SiteWriter(tmp_path)
    writer.write("feed.xml", "first", by="feeds")
    with pytest.raises(OutputCollision, match="feed.xml was already written by feeds"):
        writer.write("/feed.xml", "second", by="embeds")
    assert (tmp_path / "feed.xml").read_text() == "first"


def test_refuses_to_overwrite_a_page(tmp_path):
    writer = SiteWriter(tmp_path, reserved={"notes/index.html"})
    with pytest.raises(OutputCollision, match="is a page of the site"):
        writer.write("notes/index.html", "x", by="feeds")
    assert not (tmp_path / "notes/index.html").exists()


def test_a_claimed_path_is_refused_to_writers_and_claimed_once(tmp_path):
    writer = SiteWriter(tmp_path, reserved={"notes/index.html"})
    writer.claim("pagefind/pagefind.js", by="search")  # the search step moves its bundle in itself
    with pytest.raises(OutputCollision, match="already written by search"):
        writer.write("pagefind/pagefind.js", "x", by="embeds")
    with pytest.raises(OutputCollision, match="already written by search"):
        writer.claim("/pagefind/pagefind.js", by="other")
    with pytest.raises(OutputCollision, match="is a page of the site"):
        writer.claim("notes/index.html", by="search")
    assert not (tmp_path / "pagefind").exists()


def test_the_preview_keeps_a_file_made_from_the_same_source(tmp_path):
    """``unchanged``: a preview build (``known``/``sources`` kept between builds) does not make a
    file again that the last build made from the same source, as long as it is there; a full
    build (no memory) always makes it."""
    known, sources = {}, {}
    first = SiteWriter(tmp_path, known=known, sources=sources)
    assert not first.unchanged("notes/a/embed/index.html", "digest-1", by="embeds")  # nothing made yet
    first.write("notes/a/embed/index.html", "<p>card</p>", by="embeds", source="digest-1")

    second = SiteWriter(tmp_path, known=known, sources=sources)
    assert second.unchanged("/notes/a/embed/index.html", "digest-1", by="embeds")
    with pytest.raises(OutputCollision, match="already written by embeds"):  # and it is claimed
        second.write("notes/a/embed/index.html", "<p>other</p>", by="feeds")

    third = SiteWriter(tmp_path, known=known, sources=sources)
    assert not third.unchanged("notes/a/embed/index.html", "digest-2", by="embeds")  # another source
    third.write("notes/a/embed/index.html", "<p>card 2</p>", by="embeds")  # written with no source
    assert (tmp_path / "notes/a/embed/index.html").read_text() == "<p>card 2</p>"
    assert not SiteWriter(tmp_path, known=known, sources=sources).unchanged(
        "notes/a/embed/index.html", "digest-2")  # a write without a source forgets the old one

    fourth = SiteWriter(tmp_path, known=known, sources=sources)
    fourth.write("notes/a/embed/index.html", "<p>card 2</p>", by="embeds", source="digest-2")
    (tmp_path / "notes/a/embed/index.html").unlink()  # gone from the folder: made again
    assert not SiteWriter(tmp_path, known=known, sources=sources).unchanged("notes/a/embed/index.html", "digest-2")
    assert not SiteWriter(tmp_path).unchanged("notes/a/embed/index.html", "digest-2")  # a full build
