"""A taxonomy added through the registry alone (issue 12): one entry under the
plugin's `taxonomies:` option gives its field, pages, feeds, search filter,
widget lists and "Have you read?" signal; and options are read all at once."""

from __future__ import annotations

import json
import subprocess
import sys

import feedparser
import pytest

from sites import NOTE, build, pagefind_records, write_site

REGIONS = """\
taxonomies:
  - {kind: region, field: regions, prefix: regions, title: Regions, label: Region, about: in,
     embeddable: true, search_filter: 4}
"""


def note(title: str, date: str, extra: str) -> str:
    return NOTE.format(title=title, date=date, extra=extra, body=f"About {title.lower()}.")


@pytest.fixture(scope="module")
def regions_site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("regions"), {
        "notes/baku.md": note("Baku hotline", "2012-05-24", "regions: [South Caucasus]\ntags: [hotlines]"),
        "notes/tbilisi.md": note("Tbilisi audit", "2013-01-10", "regions: [South Caucasus, Black Sea]"),
        "notes/lima.md": note("Lima pricing", "2014-03-02", "tags: [pricing]"),
    }, plugin_config=REGIONS)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result


def test_each_term_has_its_page_and_the_taxonomy_its_index(regions_site):
    term = regions_site.html("regions/south-caucasus/")
    listed = [a.text_content() for a in term.cssselect("main a") if "/notes/" in a.get("href", "")]
    assert listed == ["Tbilisi audit", "Baku hotline"]
    index = regions_site.html("regions/")
    assert index.cssselect("h1")[0].text_content().strip() == "Regions"
    links = {a.get("href") for a in index.cssselect("main a")}
    assert {"south-caucasus/", "black-sea/"} <= links


def test_the_publication_page_lists_its_regions_and_home_links_the_index(regions_site):
    page = regions_site.html("notes/tbilisi/")
    groups = {dt.text_content().strip(): [a.text_content() for a in dt.getparent().cssselect("dd a")]
              for dt in page.cssselect(".sn-terms dt")}
    assert groups == {"Regions": ["South Caucasus", "Black Sea"]}
    home = regions_site.html("")
    assert "Regions" in [a.text_content() for a in home.cssselect(".sn-browse a")]


def test_each_term_has_feeds_worded_by_the_registry(regions_site):
    feed = feedparser.parse((regions_site.site / "regions" / "south-caucasus" / "feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title == "Region: South Caucasus — Test site"
    assert feed.feed.description == "The newest publications in South Caucasus."
    assert [e.title for e in feed.entries] == ["Tbilisi audit", "Baku hotline"]


def test_search_filters_by_region(regions_site):
    page = regions_site.html("notes/baku/")
    assert [s.get("data-filter") for s in page.cssselect("select[data-filter]")][-1] == "region"
    records = pagefind_records(regions_site.site)
    assert records["/notes/tbilisi/"]["filters"]["region"] == ["South Caucasus", "Black Sea"]
    assert records["/notes/baku/"]["filters"]["region"] == ["South Caucasus"]
    assert "region" not in records["/notes/lima/"]["filters"]


def test_partners_can_embed_a_region(regions_site):
    data = json.loads((regions_site.site / "embed" / "regions" / "south-caucasus.json").read_text(encoding="utf-8"))
    assert [p["title"] for p in data["publications"]] == ["Tbilisi audit", "Baku hotline"]
    assert data["publications"][0]["regions"] == ["south-caucasus", "black-sea"]


def test_a_shared_region_relates_two_publications(regions_site):
    page = regions_site.html("notes/baku/")
    related = [a.text_content() for a in page.cssselect(".sn-related a")]
    assert related == ["Tbilisi audit"]


def test_a_misspelt_field_suggests_the_taxonomy(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": note("A", "2012-05-24", "region: [South Caucasus]")},
                      plugin_config=REGIONS)
    result = build(root, "--strict")
    assert "notes/a.md:5: region: unknown field 'region' — did you mean 'regions'?" in result.output


BAD_OPTIONS = """\
timezon: Europe/Paris
related_weights: {tags: 2}
feeds_formats: [rss, atoms]
home_limit: many
taxonomies:
  - {kind: tag, field: topics, prefix: topics, title: Topics, label: Topic}
"""
EXPECTED = [
    "mkdocs.yml: plugins.smartnotes.timezon: unknown option — did you mean 'timezone'?",
    "mkdocs.yml: plugins.smartnotes.home_limit: 'many' is not a whole number — e.g. 10",
    "mkdocs.yml: plugins.smartnotes.taxonomies[0].kind: 'tag' is already a taxonomy — choose another name",
    "mkdocs.yml: plugins.smartnotes.feeds_formats: 'atoms' is not one of 'rss', 'atom', 'json' — did you mean 'atom'?",
    "mkdocs.yml: plugins.smartnotes.related_weights: 'tags' is not one of 'tag', 'country', 'organization', "
    "'author', 'collection', 'text' — did you mean 'tag'?",
]


def test_every_configuration_error_at_once_with_did_you_mean(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": note("A", "2012-05-24", "")}, plugin_config=BAD_OPTIONS)
    result = build(root)
    assert result.returncode != 0
    reported = [line.strip().removeprefix("ERROR   -  ") for line in result.output.splitlines()
                if "plugins.smartnotes." in line]
    assert reported == EXPECTED
    assert "Traceback" not in result.output
    assert not (result.site / "index.html").exists()


def test_the_commands_read_mkdocs_yml_through_the_same_path(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": note("A", "2012-05-24", "")}, plugin_config=BAD_OPTIONS)
    proc = subprocess.run([sys.executable, "-m", "smartnotes", "related", "notes/a.md"], cwd=root,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().removeprefix("error: ").splitlines() == EXPECTED


def test_options_command_lists_every_option_once():
    from smartnotes.build import OPTION_GROUPS
    from smartnotes.content.options import specs

    proc = subprocess.run([sys.executable, "-m", "smartnotes", "options"], capture_output=True, text=True, check=True)
    listed = [line.split(":")[0] for line in proc.stdout.splitlines() if not line.startswith(" ")]
    assert listed == [s.key for prefix, group in OPTION_GROUPS.items() for s in specs(group, prefix)]
    assert {"feeds_listings", "related_weights", "embeds_enabled", "search_enabled", "taxonomies"} <= set(listed)
