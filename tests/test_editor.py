"""The browser editor at /admin/ (issue 14): its page and its configuration in the built site.

The browser tests (tests/test_browser_editor.py) drive it; these check what the build writes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml

from sites import REPO, build, write_site
from smartnotes.content.fieldtable import publication_fields
from smartnotes.content.taxonomies import Taxonomies
from smartnotes.schema.editor import DECAP_DIST, DECAP_SCRIPT, DECAP_SHA384, DECAP_VERSION, EDITOR_PATH

DECAP_JS = REPO / DECAP_DIST / "decap-cms.js"

LISTED_AUTHORS = """\
authors:
  - id: maggie-long
    name: Maggie Long
  - id: ana-perez
    name: Ana Perez
"""


def test_the_pinned_script_is_the_npm_package_s_file():
    """package.json, the script URL and the integrity hash name the same bytes (those of npm's package)."""
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]["decap-cms"]
    assert pinned == DECAP_VERSION and f"decap-cms@{DECAP_VERSION}/dist/decap-cms.js" in DECAP_SCRIPT
    if not DECAP_JS.is_file():
        pytest.skip("node_modules/decap-cms is not installed: run `make test` (npm ci)")
    installed = json.loads((REPO / "node_modules" / "decap-cms" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == DECAP_VERSION
    digest = base64.b64encode(hashlib.sha384(DECAP_JS.read_bytes()).digest()).decode()
    assert DECAP_SHA384 == f"sha384-{digest}"


def test_the_built_site_has_the_editor_page_and_the_generated_config(sample_site):
    page = lxml.html.fromstring((sample_site / "admin" / "index.html").read_bytes())
    assert page.findtext(".//title").startswith("Editor")
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    script = page.xpath("//script[@src]")
    assert [(s.get("src"), s.get("integrity"), s.get("crossorigin")) for s in script] == [
        (DECAP_SCRIPT, DECAP_SHA384, "anonymous")]  # a build loads the pinned public script
    inline = " ".join(s.text or "" for s in page.xpath("//script[not(@src)]"))
    styles = re.findall(r'CMS\.registerPreviewStyle\("([^"]+)"\)', inline)
    assert styles == ["../assets/stylesheets/smartnotes.css"]
    assert (sample_site / "admin" / styles[0]).resolve().is_file()  # the site's own stylesheet
    assert not (sample_site / "admin" / "decap-cms.js").exists()
    # The served configuration is the generator's text, the one checked in at schema/admin/config.yml.
    served = (sample_site / "admin" / "config.yml").read_text(encoding="utf-8")
    assert served == (REPO / EDITOR_PATH).read_text(encoding="utf-8")


def test_the_editor_is_no_reader_page(sample_site):
    """Not in the sitemap, the feeds or the search index."""
    sitemap = lxml.etree.parse(str(sample_site / "sitemap.xml"))
    locs = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert locs and not [u for u in locs if "/admin" in u]
    feed = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"] and not [i for i in feed["items"] if "/admin" in i["url"]]
    from sites import pagefind_records
    records = pagefind_records(sample_site)
    assert records and not [url for url in records if "admin" in url]


def test_one_folder_collection_per_collection_and_the_registry_as_a_file(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": "---\ntitle: A\ndate: 2012-01-01\nauthors: [maggie-long]\n---\nA.\n",
                                 "briefs/b.md": "---\ntitle: B\ndate: 2012-01-02\nauthors: [ana-perez]\n---\nB.\n"},
                      authors=LISTED_AUTHORS, plugin_config="""
        collections:
          - {key: notes, folder: notes, prefix: notes, title: Smart Notes, label: Smart Note}
          - {key: case_studies, folder: case_studies, prefix: case-studies, title: Case Studies, label: Case Study}
          - {key: briefs, folder: briefs, prefix: briefs, title: Policy Briefs, label: Policy Brief}
        """)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    config = yaml.safe_load((result.site / "admin" / "config.yml").read_text(encoding="utf-8"))
    folders = [c for c in config["collections"] if "folder" in c]
    assert [(c["name"], c["folder"], c["slug"], c["media_folder"], c["public_folder"]) for c in folders] == [
        ("notes", "notes", "{{slug}}", "", ""), ("case_studies", "case_studies", "{{slug}}", "", ""),
        ("briefs", "briefs", "{{slug}}", "", "")]
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    fields = {f["name"]: f for f in folders[2]["fields"]}
    assert list(fields) == [f.name for f in publication_fields(Taxonomies())] + ["body"]
    registry = next(c for c in config["collections"] if "files" in c)
    (entry,) = registry["files"]
    assert entry["file"] == "content/authors.yml"
    assert [f["name"] for f in entry["fields"][0]["fields"]] == ["id", "name", "role", "url", "avatar"]
    authors = fields["authors"]
    assert (authors["widget"], authors["collection"], authors["file"], authors["value_field"]) == (
        "relation", registry["name"], entry["name"], "authors.*.id")
    assert fields["countries"]["widget"] == "select" and "Kenya" in fields["countries"]["options"]
    assert fields["date"]["widget"] == "datetime" and fields["date"]["format"] == "YYYY-MM-DD"
    assert (fields["draft"]["widget"], fields["draft"]["default"]) == ("boolean", True)
    assert (fields["image"]["widget"], fields["download"]["widget"]) == ("image", "file")
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert config["publish_mode"] == "editorial_workflow"


def test_a_registry_kept_as_a_mapping_gets_a_select_of_its_ids(tmp_path):
    root = write_site(tmp_path, {})
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    config = yaml.safe_load((result.site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert not [c for c in config["collections"] if "files" in c]
    authors = next(f for f in config["collections"][0]["fields"] if f["name"] == "authors")
    assert (authors["widget"], authors["options"]) == ("select", ["ana-perez", "maggie-long"])


def test_self_hosting_without_the_npm_package_stops_the_build_with_the_fix(tmp_path):
    root = write_site(tmp_path, {}, plugin_config="editor_self_host: always\n")
    result = build(root)
    assert result.returncode != 0
    assert ("mkdocs.yml:1: plugins.smartnotes.editor_self_host: the editor is to be served from the site, but "
            "node_modules/decap-cms/dist/decap-cms.js is missing — run `npm ci --ignore-scripts`") in result.output
    assert not (result.site / "admin").exists()


def test_the_editor_s_folder_is_its_own_and_can_be_turned_off(tmp_path):
    root = write_site(tmp_path, {"content/admin/index.md": "# Mine\n"})
    result = build(root)
    assert result.returncode != 0
    assert "content/admin/index.md" in result.output and "the browser editor (/admin/, generated)" in result.output
    root = write_site(tmp_path / "off", {"content/admin/index.md": "# Mine\n"}, plugin_config="editor_enabled: false\n")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert result.html("admin/").findtext(".//h1").startswith("Mine")
    assert not (result.site / "admin" / "config.yml").exists()


def test_a_wrong_backend_is_named_with_the_choices(tmp_path):
    root = write_site(tmp_path, {}, plugin_config="editor_backend: {name: githb, repo: a/b}\n")
    result = build(root)
    assert result.returncode != 0
    assert "editor_backend.name: 'githb' is not one of github, gitlab, gitea, forgejo" in result.output
    assert "did you mean 'github'" in result.output
