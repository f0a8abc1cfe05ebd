"""Every address has one owner (issue 13, §3): a collision is a problem found
before anything is written, named at the file a person can change."""

from __future__ import annotations

import re

import pytest

from sites import NOTE, build, write_site

GOOD = {"notes/amfa.md": NOTE.format(title="Supporting members", date="2012-05-24", extra="tags: [transparency]",
                                     body="Body.")}


def problem_lines(output: str) -> list[str]:
    """The `path:line: ...` lines of a failed build's problem list."""
    return [m.group(1) for m in re.finditer(r"^(?:ERROR\s+-\s+)?\s*(\S+:\d+: .*)$", output, re.M)]


def note(title: str, extra: str = "") -> str:
    return NOTE.format(title=title, date="2013-02-01", extra=extra, body="Body.")


CASES = {
    "slug_of_a_year_archive": (
        {"notes/yearly.md": note("Yearly", 'slug: "2012"')},
        ["notes/yearly.md:5: slug: the publication notes/yearly.md would be written at /notes/2012/, "
         "which is also the page 'Smart Notes of 2012' (generated) — give it another slug: 'slug: …'"]),
    "page_written_at_a_publication": (
        {"content/notes/amfa.md": "# A page\n"},
        ["content/notes/amfa.md:1: content/notes/amfa.md (a file you wrote) would be written at /notes/amfa/, "
         "which is also the publication notes/amfa.md — rename or move it",
         "notes/amfa.md:1: the publication notes/amfa.md would be written at /notes/amfa/, which is also "
         "content/notes/amfa.md (a file you wrote) — rename the file, or give it a 'slug:'"]),
    "file_kept_at_a_feed": (
        {"content/notes/feed.xml": "<rss/>"},
        ["content/notes/feed.xml:1: content/notes/feed.xml (a file you wrote) would be written at "
         "/notes/feed.xml, which is also the RSS feed of 'Smart Notes — Test site' — rename or move it"]),
    "file_inside_the_search_index": (
        {"content/pagefind/pagefind.js": "// mine"},
        ["content/pagefind/pagefind.js:1: content/pagefind/pagefind.js (a file you wrote) would be written at "
         "/pagefind/pagefind.js, which is also the search index (Pagefind) — rename or move it"]),
    "file_at_an_oembed_response": (
        {"content/notes/amfa/oembed.json": "{}"},
        ["content/notes/amfa/oembed.json:1: content/notes/amfa/oembed.json (a file you wrote) would be written at "
         "/notes/amfa/oembed.json, which is also the oEmbed response of notes/amfa.md — rename or move it"]),
    "asset_at_a_topic_feed_address": (
        {"notes/tags.md": note("Tags", "slug: tags-note"), "notes/2012/feed.xml": "<rss/>"},
        ["notes/2012/feed.xml:1: notes/2012/feed.xml (beside a publication) would be written at "
         "/notes/2012/feed.xml, which is also the RSS feed of 'Smart Notes of 2012 — Test site' — "
         "rename or move the file"]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_collision_is_found_before_anything_is_written(tmp_path, case):
    files, expected = CASES[case]
    root = write_site(tmp_path, {**GOOD, **files})
    result = build(root)
    assert result.returncode != 0
    assert problem_lines(result.output) == expected
    assert "Traceback" not in result.output
    assert not result.site.exists()  # nothing was written (and no earlier site was touched)


def test_a_page_written_at_a_listing_address_replaces_it(tmp_path):
    root = write_site(tmp_path, {**GOOD, "content/notes/index.md": "# Our notes\n\nWritten by hand.\n"})
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert result.html("notes/").cssselect("h1")[0].text_content().strip() == "Our notes"
