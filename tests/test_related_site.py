""""Have you read?" on built sites (parsed HTML) and the `related` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin


from sites import NOTE, REPO, SCHEMAS, build, pagefind_records, write_site

SEED = "notes/supporting-members-client-protection-amfa/"
# The seed page's "Have you read?", in its order (the 2012 WordPress post the project started from).
SEED_LIST = [
    ("Improving Sector Transparency: A Case Study on the Azerbaijan Microfinance Association",
     "case-studies/improving-sector-transparency-amfa/"),
    ("Hiring Staff with Disabilities at AccessBank, Azerbaijan", "notes/hiring-staff-with-disabilities-accessbank/"),
    ("Responding to a Crisis at FUNDESER", "notes/responding-to-a-crisis-fundeser/"),
]


def section(tree, heading: str):
    found = [s for s in tree.xpath("//section") if [h.text_content().strip() for h in s.xpath("./h2")] == [heading]]
    return found[0] if found else None


def entries(tree, heading: str, page_url: str) -> list[tuple[str, str]]:
    """(title, site-relative URL) of each linked entry under ``heading``."""
    found = section(tree, heading)
    if found is None:
        return []
    base = "https://x.test/" + page_url
    return [(a.text_content().strip(), urljoin(base, a.get("href")).removeprefix("https://x.test/"))
            for a in found.xpath(".//li/a")]


def test_seed_note_shows_its_three_curated_entries(sample_site):
    import lxml.html

    tree = lxml.html.fromstring((sample_site / SEED / "index.html").read_bytes())
    assert entries(tree, "Have you read?", SEED) == SEED_LIST
    labels = [" ".join(li.xpath("string(.//span[@class='sn-kind'])").split())
              for li in section(tree, "Have you read?").xpath(".//li")]
    assert labels == ["Case Study", "Smart Note", "Smart Note"]
    for _, url in SEED_LIST:  # every link leads to a built page
        assert (sample_site / url / "index.html").is_file()


def test_targets_show_referenced_in_and_search_does_not_index_the_lists(sample_site):
    import lxml.html

    target = "notes/responding-to-a-crisis-fundeser/"
    tree = lxml.html.fromstring((sample_site / target / "index.html").read_bytes())
    assert entries(tree, "Referenced in", target) == [
        ("New Smart Note: Supporting Members to Adopt Client Protection at Azerbaijan Microfinance Association", SEED)]
    seed_docs = [r for url, r in pagefind_records(sample_site).items() if url.lstrip("/").startswith(SEED)]
    assert seed_docs and not any("Hiring Staff with Disabilities" in d["content"] for d in seed_docs)




def note(title: str, date: str = "2020-01-01", body: str = "Text.", **fields: str) -> str:
    extra = "\n".join(f"{k}: {v}" for k, v in fields.items())
    return NOTE.format(title=title, date=date, extra=extra, body=body)


FILES = {
    "notes/grievance-desks.md": note("Grievance desks in Lusaka", "2020-01-02", "Borrowers queue beside kiosks.",
                                     tags="[grievance redress]"),
    "notes/hotline-audits.md": note("Hotline audits for Quito", "2020-01-03", "Volunteers phone anonymously.",
                                    tags="[grievance redress]"),
    "notes/harvest-loans.md": note("Harvest loans around Cusco", "2020-01-04", "Farmers repay once potatoes ripen."),
    "notes/sheep-shearing.md": note("Sheep shearing cooperatives", "2020-01-05", "Woolly fleeces dry outdoors."),
    "notes/solar-lanterns.md": note("Solar lanterns leasing", "2020-01-06", "Villagers rent lamps monthly."),
    "notes/dairy-goats.md": note("Dairy goats insurance", "2020-01-07", "Herders insure milking animals."),
}


def test_broken_self_and_draft_references_stop_the_build(tmp_path):
    files = dict(FILES)
    files["notes/unfinished.md"] = note("Unfinished", draft="true")
    files["notes/sheep-shearing.md"] = note(
        "Sheep shearing cooperatives", related="\n  - notes/grievance-desk.md\n  - sheep-shearing\n  - unfinished")
    result = build(write_site(tmp_path, files), "--strict")
    assert result.returncode != 0
    lines = [line.strip() for line in result.output.splitlines()]
    for expected in [
        "notes/sheep-shearing.md:6: related: 'notes/grievance-desk.md' is not a publication"
        " — did you mean 'notes/grievance-desks.md'?",
        "notes/sheep-shearing.md:7: related: 'sheep-shearing' is this publication itself"
        " — remove the entry: list other publications",
        "notes/sheep-shearing.md:8: related: 'unfinished' is a draft"
        " — publish it first (remove 'draft: true') or remove the entry",
    ]:
        assert expected in lines


def _project(tmp_path: Path, plugin_options: str = "") -> Path:
    root = write_site(tmp_path, FILES)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      timezone: America/New_York\n",
                            "      timezone: America/New_York\n" + plugin_options)
    # MkDocs's own tags must not stop the command (it reads mkdocs.yml without MkDocs).
    config += ("markdown_extensions:\n  - pymdownx.emoji:\n"
               "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    return subprocess.run([sys.executable, "-m", "smartnotes", *args], cwd=root, capture_output=True, text=True,
                          env=env)


def test_related_command_explains_each_suggestion(tmp_path):
    root = _project(tmp_path)
    proc = run_cli(root, "related", "notes/grievance-desks.md")
    assert proc.returncode == 0, proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    assert lines[0] == "notes/grievance-desks.md: Grievance desks in Lusaka"
    start = lines.index("Have you read? 1 of related_count 3: 0 curated, 1 suggested (related_min_score 0.2)")
    assert lines[start + 1] == "1. Hotline audits for Quito"
    assert lines[start + 2].startswith("score 1.000 · Smart Note, 2020-01-03 · notes/hotline-audits.md")
    assert lines[start + 3] == "signals: tag 'grievance redress' +1.000"


def test_related_command_reads_the_plugin_settings(tmp_path):
    root = _project(tmp_path, "      related_count: 0\n")
    proc = run_cli(root, "related", "grievance-desks")
    assert proc.returncode == 0, proc.stderr
    assert "Have you read? 0 of related_count 0: 0 curated, 0 suggested (related_min_score 0.2)" in proc.stdout


def test_related_command_names_the_nearest_publication(tmp_path):
    root = _project(tmp_path)
    proc = run_cli(root, "related", "notes/hotline-audit.md")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: 'notes/hotline-audit.md' is not a publication"
                                   " — did you mean 'notes/hotline-audits.md'?")


def test_json_feed_items_carry_the_lists(sample_site):
    import jsonschema

    feed = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(feed, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    item = next(i for i in feed["items"] if i["url"].endswith(SEED))
    related = item["_smartnotes"]["related"]
    site_url = "https://smartnotes.example.org/"
    assert [(r["title"], r["url"]) for r in related] == [(t, site_url + u) for t, u in SEED_LIST]
    assert [r["kind"] for r in related] == ["Case Study", "Smart Note", "Smart Note"]


def test_related_command_shows_referenced_in(tmp_path):
    root = _project(tmp_path)
    (root / "notes" / "sheep-shearing.md").write_text(
        note("Sheep shearing cooperatives", related="[notes/grievance-desks.md]"), encoding="utf-8")
    proc = run_cli(root, "related", "notes/grievance-desks.md")
    assert proc.returncode == 0, proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    start = lines.index("Referenced in (shown unless suggested above):")
    assert lines[start + 1] == ("- Sheep shearing cooperatives (notes/sheep-shearing.md;"
                                " as a suggestion it would score 0.000)")
