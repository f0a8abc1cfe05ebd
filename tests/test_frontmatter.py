"""Front matter: one fixture file per case, the exact error or parsed value.

Fixtures live in tests/fixtures/frontmatter/, named for the case.
"""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smartnotes.content.load import load_publication
from smartnotes.content.model import Author, Collection
from smartnotes.content.settings import SiteSettings

ROOT = Path(__file__).parent / "fixtures"
COLLECTION = Collection("notes", "frontmatter", "notes", "Smart Notes", "Smart Note")
SETTINGS = SiteSettings(root=ROOT, collections=(COLLECTION,), timezone=ZoneInfo("America/New_York"))
AUTHORS = {"maggie-long": Author("maggie-long", "Maggie Long"), "ana-perez": Author("ana-perez", "Ana Perez")}
NEW_YORK = ZoneInfo("America/New_York")


def load(case: str):
    path = ROOT / "frontmatter" / f"{case}.md"
    return load_publication(path, f"frontmatter/{case}.md", COLLECTION, SETTINGS, AUTHORS)


ERRORS = {
    "date_day_month_year": [
        "3: date: '24/05/2012' is not a date — write it as 2012-05-24 (YYYY-MM-DD)"],
    "date_impossible": [
        "3: date: '2012-02-30' is not a real date (day is out of range for month)"
        " — check the day and the month; write dates as YYYY-MM-DD"],
    "date_missing": ["1: date: the date is missing — add a line 'date: 2012-05-24' (the publication day)"],
    "title_missing": ["1: title: the title is missing — add a line 'title: Your title' to the front matter"],
    "title_wrong_type": ["2: title: ['a', 'list'] is not a text — write the title on one line after 'title: '"],
    "yaml_broken": [
        "4: front matter: the front matter is not valid YAML (while parsing a flow sequence; did not find"
        " expected ',' or ']') — check the indentation and quote values that contain ': ' or start with"
        " '[', '{', '@' or '*'"],
    "front_matter_missing": [
        "1: front matter: the file has no front matter — start the file with a line '---', the fields"
        " (title, date, authors, ...), then another '---'"],
    "author_unknown": ["6: authors: unknown author 'magie-long' — did you mean 'maggie-long'?"],
    "author_missing": [
        "1: authors: no author is given — add 'authors: [maggie-long]' with ids from content/authors.yml"],
    "country_unknown": ["5: countries: unknown country 'Azerbaijn' — did you mean 'Azerbaijan'?"],
    "draft_not_boolean": ["5: draft: 'maybe' is not true or false — write 'draft: true' or 'draft: false'"],
    "download_missing_file": ["5: download: the file 'reprot.pdf' does not exist — did you mean 'report.pdf'?"],
    "updated_before_date": [
        "4: updated: 2012-05-01T00:00:00-04:00 is before the date 2012-05-24T00:00:00-04:00"
        " — 'updated' must be on or after 'date'"],
    "slug_invalid": [
        "5: slug: 'Bad Slug!' is not a valid slug — use lowercase letters, digits and hyphens, such as 'bad-slug'"],
    "tags_not_list": [
        "5: tags: {'a': 'b'} is not a list — write 'tags: [first, second]' or one '- item' per line"],
    "related_bad_item": [
        "7: related: item 2 ({'name': 'x'}) is neither a publication nor a link — write a path such as"
        " 'notes/other.md', a slug, or '{title: ..., url: https://...}'",
        "8: related: external link 'ftp://example.org' is not an http(s) URL"
        " — write the full address, starting with https://"],
    "not_utf8": [
        "6: the file is not UTF-8 (byte 0xe9 at offset 66) — save the file as UTF-8 in your editor"
        " ('Save with encoding' > UTF-8)"],
}
# Hostile and hurried front matter (issue 13): each is one line, `path:line: field: problem — fix`.
PASTED = "delete it (it often comes with text pasted from a terminal or a PDF)"
ERRORS |= {
    "field_case_differs": ["5: Draft: unknown field 'Draft' — field names are lowercase: write 'draft'"],
    "field_twice": ["7: draft: the field is written twice, on lines 5 and 7 — keep one 'draft:' line"],
    "yaml_nested_300": [
        "5: tags: the value is nested more than 20 levels deep — write the field as text or as a simple list"],
    "yaml_nested_900": [
        "26: tags: the value is nested more than 20 levels deep — write the field as text or as a simple list"],
    "yaml_alias_to_itself": [
        "5: tags: the value refers to itself through YAML aliases ('*name')"
        " — write the value out in full, without '&' anchors and '*' aliases"],
    "tags_too_many": ["5: tags: the value has more than 10,000 items — keep the few values a publication needs"],
    "yaml_python_object": [
        "5: summary: the YAML tag '!!python/object/apply:os.system' is not allowed"
        " — remove the tag and write the value as plain text"],
    "yaml_local_tag": [
        "5: summary: the YAML tag '!secret' is not allowed — remove the tag and write the value as plain text"],
    "title_control_character": [
        f"2: title: the text holds the control character U+0007 (BEL), which feeds cannot carry — {PASTED}"],
    "tag_control_character": [
        f"7: tags: the text holds the control character U+001B (ESC), which feeds cannot carry — {PASTED}"],
    "front_matter_raw_escape": [
        f"4: front matter: the front matter holds the control character U+001B (ESC) — {PASTED}"],
    "body_control_character": [
        f"9: body: the text holds the control character U+0000 (NUL), which feeds cannot carry — {PASTED}"],
    "date_year_one": [
        "3: date: 0001-05-24 is not a plausible publication date — write the day as YYYY-MM-DD with a year"
        " from 1900 to 2999, such as 2012-05-24"],
    "date_offset_too_large": [
        "3: date: '2012-05-24T10:00:00+25:00' is not a real date (its offset is not between -23:59 and +23:59)"
        " — check the day and the month; write dates as YYYY-MM-DD"],
    "date_offset_in_seconds": [
        "3: date: 1950-01-01 has the offset -00:44:30 (an old local time), which feeds cannot write"
        " — give the time with a whole-minute offset, such as 1950-01-01T00:00:00+00:00"],
    "id_not_a_uri": [
        "5: id: 'my old note' is not a URI, so it cannot be a feed id — write an id that never changes as a URI,"
        " such as 'tag:example.org,2012:my-old-note'"],
    "download_publication_source": [
        "5: download: 'valid_full.md' is a publication's Markdown, not a file the site publishes"
        " — give the download a PDF or another file beside download_publication_source.md; link publications"
        " in the text or under 'related:'"],
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_cases(case):
    publication, problems = load(case)
    assert publication is None
    assert [str(p) for p in sorted(problems)] == [f"frontmatter/{case}.md:{e}" for e in ERRORS[case]]
    assert all(p.is_error for p in problems)


def test_five_mistakes_in_one_file_are_all_reported():
    publication, problems = load("five_mistakes")
    assert publication is None
    by_line = {p.line: (p.field, p.severity) for p in problems}
    assert by_line == {
        3: ("date", "error"), 4: ("authors", "error"), 5: ("countries", "error"),
        6: ("tgas", "error"), 7: ("draft", "error"),
    }


def test_misspelt_field_is_an_error_with_a_suggestion():
    # An error in every mode (issue 13): a misspelt `draft` must never publish a draft.
    publication, problems = load("field_misspelt")
    assert publication is None
    assert [str(p) for p in problems] == [
        "frontmatter/field_misspelt.md:5: tgas: unknown field 'tgas' — did you mean 'tags'?"]
    assert problems[0].severity == "error"


def test_full_front_matter_is_parsed():
    publication, problems = load("valid_full")
    assert problems == []
    assert publication.title == "A full note"
    assert publication.date == datetime(2012, 5, 24, 10, 30, tzinfo=timezone(timedelta(hours=4)))
    assert publication.date.utcoffset() == timedelta(hours=4)
    assert publication.updated == datetime(2012, 6, 1, tzinfo=NEW_YORK)
    assert [a.id for a in publication.authors] == ["maggie-long", "ana-perez"]
    assert publication.summary == "Given summary." and publication.summary_is_explicit
    assert [(t.name, t.slug) for t in publication.tags] == [
        ("client protection", "client-protection"), ("Transparency", "transparency")]
    assert [t.name for t in publication.countries] == ["Azerbaijan", "Bolivia"]
    assert [t.name for t in publication.organizations] == ["AMFA"]
    assert [(r.target, r.title, r.url, r.line) for r in publication.related] == [
        ("notes/other.md", "", "", 11), ("", "Elsewhere", "https://example.org/x", 12)]
    assert publication.download.url == "notes/report.pdf"
    assert publication.download.size == (ROOT / "frontmatter" / "report.pdf").stat().st_size
    assert publication.download.mime_type == "application/pdf"
    assert publication.image == "notes/chart.png"
    assert publication.slug == "a-full-note" and publication.url == "notes/a-full-note/"
    assert publication.feed_id == "tag:example.org,2012:a-full-note"
    assert publication.draft is False


@pytest.mark.parametrize("case, expected", [
    ("date_only_gets_site_timezone", datetime(2012, 5, 24, 0, 0, tzinfo=NEW_YORK)),
    ("date_naive_time_gets_site_timezone", datetime(2012, 5, 24, 23, 30, tzinfo=NEW_YORK)),
])
def test_dates_without_zone_take_the_site_timezone(case, expected):
    publication, problems = load(case)
    assert problems == []
    assert publication.date == expected
    assert publication.date.utcoffset() == timedelta(hours=-4)  # EDT in May


@pytest.mark.parametrize("case, summary", [
    ("date_only_gets_site_timezone", "The first paragraph, with a link."),
    ("summary_skips_headings", "Real first paragraph."),
])
def test_summary_defaults_to_first_paragraph(case, summary):
    publication, _ = load(case)
    assert publication.summary == summary
    assert not publication.summary_is_explicit


def test_slug_defaults_to_file_name():
    publication, _ = load("summary_skips_headings")
    assert publication.slug == "summary-skips-headings"


def test_billion_laughs_are_bounded_and_never_quoted():
    # Nine lines of aliases would expand to 9**9 strings: each field stops at 10,000
    # values, is never constructed, and no message quotes it (issue 13).
    publication, problems = load("yaml_billion_laughs")
    assert publication is None
    expands = ("the value expands to more than 10,000 items through YAML aliases ('*name')"
               " — write the value out in full, without '&' anchors and '*' aliases")
    assert "frontmatter/yaml_billion_laughs.md:12: tags: " + expands in [str(p) for p in problems]
    assert [p.field for p in sorted(problems) if p.message.startswith("the value expands")] == [
        "e", "f", "g", "h", "tags"]
    assert all(len(str(p)) < 300 and "\n" not in str(p) for p in problems)


def test_a_huge_value_is_quoted_short():
    from smartnotes.content.fields import _shown

    assert len(_shown(["lol"] * 10_000)) < 100
    assert len(_shown("x" * 100_000)) < 100
