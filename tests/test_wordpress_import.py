"""Issue 17: a WordPress export moves in with its files, "Have you read?" lists, old addresses and feed ids.

The fixture (tests/fixtures/wordpress/) is a small WXR 1.2 export written for
the project: stand-in posts that say only what their titles say.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml

from conftest import serve_directory
from sites import AUTHORS, REPO, build, write_site

FIXTURE = REPO / "tests" / "fixtures" / "wordpress"
EXPORT = FIXTURE / "export.xml"
UPLOADS = FIXTURE / "uploads"
RULES = """\
import_rules:
  - {category: Smart Notes, collection: notes}
  - {category: Case Studies, collection: case_studies}
redirects_feeds:
  /feed/: feed.xml
  /category/smart-notes/feed/: notes/feed.xml
"""
PUBLISHED = {"101", "102", "103", "104", "105", "106", "107", "112", "113"}  # in the two categories


def run_import(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    return subprocess.run([sys.executable, "-m", "smartnotes", "import", "wordpress", str(EXPORT), *args],
                          cwd=root, capture_output=True, text=True, env=env)


def project(root: Path) -> Path:
    return write_site(root, {}, plugin_config=RULES)


def needs(output: str) -> list[str]:
    """The report's "Needs a person" lines."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Needs a person:"))
    count = int(lines[start].split(":")[1])
    found = [line.strip() for line in lines[start + 1:] if line.startswith("  ")]
    assert len(found) == count
    return found


def front(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "site" not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("wp"))
    result = run_import(root, "--uploads", str(UPLOADS))
    assert result.returncode == 0, result.stderr
    built = build(root, "--strict")
    return root, result.stdout, built


def test_the_import_builds_with_strict(imported):
    root, _, built = imported
    assert built.returncode == 0, built.output
    page = built.html("notes/pricing-transparency-for-group-loans/")
    assert page.xpath("string(//h1)").strip() == "Pricing transparency for group loans"
    assert built.html("case-studies/credito-responsable-en-peru/").xpath("string(//h1)").strip() == \
        "Crédito responsable en Perú"
    # Files beside the publication, linked by their names.
    assert (built.site / "notes/pricing-transparency-for-group-loans/loan-officer.png").is_file()
    assert page.xpath("//article//img[@src='loan-officer.png']") or page.xpath("//img[contains(@src,'loan-officer.png')]")
    # Drafts, private and future posts are not published; the page and the other category are not imported.
    for slug in ("mobile-money-disclosures", "board-review-notes", "client-protection-week-2030"):
        assert (root / "notes" / slug / "index.md").is_file()
        assert not (built.site / "notes" / slug / "index.html").exists()
    assert not list(root.glob("*/about/index.md")) and not list(root.glob("*/campaign-newsletter*"))


def test_the_report_lists_exactly_the_unknown_shortcode_and_the_missing_file(imported):
    _, output, _ = imported
    found = needs(output)
    assert len(found) == 2, output
    shortcode = next(line for line in found if "shortcode" in line)
    missing = next(line for line in found if "missing" in line or "is not in" in line)
    assert shortcode.startswith("notes/privacy-of-client-data-a-checklist/index.md: ")
    assert '[contact-form-7 id="5" title="Questions"]' in shortcode and " — " in shortcode
    assert missing.startswith("notes/fair-collection-practices/index.md: ")
    assert "wp-content/uploads/2012/05/branch-visit.jpg" in missing and " — " in missing
    assert "Imported: 12 publication(s) (case_studies: 3, notes: 9)" in output
    assert "?p=150 'About the campaign': a page" in output
    assert "?p=108 'Campaign newsletter, June 2012': no import rule" in output


def test_fields_files_related_and_body(imported):
    root, _, _ = imported
    data, body = front(root / "notes/ten-lessons-on-client-protection/index.md")
    assert data["related"] == ["notes/pricing-transparency-for-group-loans/index.md",
                               "notes/fair-collection-practices/index.md",
                               "case_studies/credito-responsable-en-peru/index.md"]
    assert "Have you read" not in body
    assert "](../preventing-over-indebtedness-with-credit-checks/index.md)" in body
    assert data["id"] == "http://blog.smartnotes.example.org/?p=112"
    assert data["aliases"] == ["/2012/10/01/ten-lessons-on-client-protection/", "/?p=112"]
    assert data["countries"] == ["Kenya"] and data["tags"] == ["Transparency"]
    assert data["date"] == "2012-10-01T09:00:00-04:00"  # wp:post_date_gmt in the site's time zone

    data, body = front(root / "notes/pricing-transparency-for-group-loans/index.md")
    assert data["download"] == "pricing-guide.pdf" and data["authors"] == ["alex-sample"]
    assert data["summary"] == "A Smart Note on pricing transparency for group loans."
    assert "![A loan officer](loan-officer.png" in body and "*A loan officer & a client*" in body
    # A link to an attachment's page leads to the file; the page's old address to the publication.
    assert "[its own page](loan-officer.png)" in body
    assert data["aliases"] == ["/2012/05/24/pricing-transparency-for-group-loans/", "/?p=101",
                               "/2012/05/24/pricing-transparency-for-group-loans/loan-officer/"]
    assert (root / "notes/pricing-transparency-for-group-loans/pricing-guide.pdf").read_bytes() == \
        (UPLOADS / "2012/05/pricing-guide.pdf").read_bytes()

    _, body = front(root / "notes/preventing-over-indebtedness-with-credit-checks/index.md")
    assert "<https://www.youtube.com/watch?v=aaaaaaaaaaa>" in body and "<https://vimeo.com/000000001>" in body
    assert "[embed]" not in body
    _, body = front(root / "notes/fair-collection-practices/index.md")
    assert "![A loan officer](loan-officer.png)" in body and "[gallery" not in body
    _, body = front(root / "notes/privacy-of-client-data-a-checklist/index.md")
    assert '[contact-form-7 id="5" title="Questions"]' in body  # left visible
    assert "client data — a checklist & more." in body
    data, body = front(root / "case_studies/ethical-staff-conduct-in-branch-offices/index.md")
    assert data["summary"] == "This case study is about ethical staff conduct in branch offices."
    assert "more" not in body and "The rest of the case study." in body
    data, body = front(root / "notes/ubersicht-grundsatze-des-kundenschutzes/index.md")
    assert data["title"] == "Übersicht: Grundsätze des Kundenschutzes" and '– kurz "CPP".' in body
    data, _ = front(root / "case_studies/credito-responsable-en-peru/index.md")
    assert data["countries"] == ["Peru"]

    assert front(root / "notes/mobile-money-disclosures/index.md")[0]["draft"] is True
    assert front(root / "notes/board-review-notes/index.md")[0]["draft"] is True  # private
    future, _ = front(root / "notes/client-protection-week-2030/index.md")
    assert "draft" not in future and future["date"].startswith("2030-06-01")

    authors = (root / "content/authors.yml").read_text(encoding="utf-8")
    assert authors.startswith(AUTHORS)  # appended, never rewritten
    registry = yaml.safe_load(authors)
    assert registry["alex-sample"] == {"name": "Alex Sample"} and "maggie" not in registry


def test_a_second_run_changes_nothing(imported):
    root, _, _ = imported
    before = snapshot(root)
    again = run_import(root, "--uploads", str(UPLOADS))
    assert again.returncode == 0, again.stderr
    assert "Changed: 0" in again.stdout
    assert snapshot(root) == before
    assert len(needs(again.stdout)) == 2


def test_an_edited_file_is_kept_unless_force(tmp_path):
    root = project(tmp_path)
    assert run_import(root, "--uploads", str(UPLOADS)).returncode == 0
    edited = root / "notes/fair-collection-practices/index.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's sentence.\n", encoding="utf-8")
    again = run_import(root, "--uploads", str(UPLOADS))
    assert "An editor's sentence." in edited.read_text(encoding="utf-8")
    assert any(line.startswith("notes/fair-collection-practices/index.md: changed since the import")
               for line in needs(again.stdout))
    forced = run_import(root, "--uploads", str(UPLOADS), "--force")
    assert forced.returncode == 0
    assert "An editor's sentence." not in edited.read_text(encoding="utf-8")
    assert "update notes/fair-collection-practices/index.md" in forced.stdout


def test_dry_run_writes_nothing_and_prints_the_plan(tmp_path):
    root = project(tmp_path)
    before = snapshot(root)
    result = run_import(root, "--uploads", str(UPLOADS), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert snapshot(root) == before
    assert "create notes/ten-lessons-on-client-protection/index.md" in result.stdout
    assert "append to content/authors.yml: alex-sample" in result.stdout


def test_old_guids_are_the_new_feed_ids(imported):
    _, _, built = imported
    old = feedparser.parse(EXPORT.read_bytes())
    guids = {e.id for e in old.entries if e.get("wp_post_type", "post") == "post"
             and e.id.rsplit("=", 1)[-1] in PUBLISHED}
    assert len(guids) == len(PUBLISHED)
    new = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert not new.bozo, new.get("bozo_exception")
    assert {e.id for e in new.entries} == guids
    by_title = {e.title: e.id for e in old.entries}
    for entry in new.entries:
        assert by_title[entry.title] == entry.id


def test_old_addresses_and_feeds_have_redirects(imported):
    _, _, built = imported
    page = lxml.html.fromstring((built.site / "2012/05/24/pricing-transparency-for-group-loans/index.html").read_bytes())
    assert page.xpath("string(//link[@rel='canonical']/@href)") == \
        "https://example.org/sub/notes/pricing-transparency-for-group-loans/"
    refresh = page.xpath("string(//meta[@http-equiv='refresh']/@content)")
    assert refresh == "0; url=../../../../notes/pricing-transparency-for-group-loans/"
    assert page.xpath("//body//a/@href") == ["../../../../notes/pricing-transparency-for-group-loans/"]
    feed = lxml.html.fromstring((built.site / "feed/index.html").read_bytes())
    assert feed.xpath("string(//meta[@http-equiv='refresh']/@content)") == "0; url=../feed.xml"
    rules = [line.split() for line in (built.site / "_redirects").read_text().splitlines()
             if line and not line.startswith("#")]
    assert ["/sub/:year/:month/:day/:slug/", "/sub/notes/:slug/", "301"] in rules
    assert ["/sub/2012/07/15/credito-responsable-en-peru/", "/sub/case-studies/credito-responsable-en-peru/",
            "301"] in rules
    assert ["/sub/feed/", "/sub/feed.xml", "301"] in rules
    assert ["/sub/2012/05/24/pricing-transparency-for-group-loans/loan-officer/",
            "/sub/notes/pricing-transparency-for-group-loans/", "301"] in rules  # an old attachment page
    # Every published post's short link `/?p=ID` has a path that answers for it, `/p/ID/`.
    short = {(f"/sub/p/{post_id}/", f"/sub/{new}") for post_id, new in short_links(built.site).items()}
    assert {post_id for post_id in short_links(built.site)} == PUBLISHED
    assert short <= {(rule[0], rule[1]) for rule in rules if rule[2] == "301"}
    # Case studies (static), the attachment page, the short links, the placeholder for the notes, two feeds.
    assert len(rules) == 3 + 1 + len(PUBLISHED) + 1 + 2
    assert all(cloudflare_reads(rule) for rule in rules)
    nginx = (built.site / "redirects.nginx.conf").read_text()
    assert '"/sub/?p=101" "/sub/notes/pricing-transparency-for-group-loans/";' in nginx


def short_links(site: Path) -> dict[str, str]:
    """The stand-in pages of the short links: post id -> the new address their refresh leads to."""
    found = {}
    for page in (site / "p").glob("*/index.html"):
        refresh = lxml.html.fromstring(page.read_bytes()).xpath("string(//meta[@http-equiv='refresh']/@content)")
        target = refresh.split("url=", 1)[1]
        found[page.parent.name] = os.path.normpath(f"p/{page.parent.name}/{target}") + "/"
    return found


def cloudflare_reads(rule: list[str]) -> bool:
    """A `_redirects` line as Cloudflare Pages documents it: 2 or 3 tokens, no query in the source,
    a plain status among 301, 302, 303, 307, 308 and 200 (a forced `301!` or a query is ignored)."""
    return (len(rule) in (2, 3) and "?" not in rule[0] and "=" not in rule[1]
            and (len(rule) == 2 or rule[2] in {"200", "301", "302", "303", "307", "308"}))


def test_netlify_rules_are_forced_and_match_short_links(tmp_path):
    """Netlify serves our redirect page at an old path before a rule unless the rule is forced, and
    it can match a query: `redirects_host: netlify` gives real 301s for every old address."""
    root = write_site(tmp_path, {}, plugin_config=RULES + "redirects_host: netlify\n")
    assert run_import(root, "--uploads", str(UPLOADS)).returncode == 0
    built = build(root, "--strict")
    assert built.returncode == 0, built.output
    rules = [line.split() for line in (built.site / "_redirects").read_text().splitlines()
             if line and not line.startswith("#")]
    assert rules and all(rule[-1] == "301!" for rule in rules)
    assert ["/sub/", "p=:value", "/sub/p/:value/", "301!"] in rules
    assert ["/sub/2012/07/15/credito-responsable-en-peru/", "/sub/case-studies/credito-responsable-en-peru/",
            "301!"] in rules
    assert ["/sub/p/101/", "/sub/notes/pricing-transparency-for-group-loans/", "301!"] in rules


def test_a_short_link_that_is_also_a_page_is_an_error(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": NOTE.format(title="A", aliases='["/?p=7"]'),
                                 "notes/b.md": NOTE.format(title="B", aliases='["/p/7/"]')})
    result = build(root)
    assert result.returncode != 0
    assert "would be written at /p/7/" in result.output, result.output


NOTE = """\
---
title: {title}
date: 2012-05-24
authors: [maggie-long]
aliases: {aliases}
---

Text.
"""


@pytest.mark.parametrize("aliases, message", [
    ('["/old/x/"]', "/old/x/ of notes/a.md would be written at /old/x/, which is also the old address /old/x/"),
    ('["/notes/b/"]', "would be written at /notes/b/, which is also the publication notes/b.md"),
    ('["https://old.example.org/x/"]', "is not an address on this site"),
    ('["/../x/"]', "is not an address on this site"),
])
def test_aliases_that_collide_or_leave_the_site_are_errors(tmp_path, aliases, message):
    root = write_site(tmp_path, {"notes/a.md": NOTE.format(title="A", aliases=aliases),
                                 "notes/b.md": NOTE.format(title="B", aliases='["/old/x/"]')})
    result = build(root)
    assert result.returncode != 0
    assert message in result.output
    assert "notes/a.md:" in result.output and "aliases" in result.output


@pytest.mark.browser
def test_an_old_permalink_lands_on_the_new_page(imported, page):
    _, _, built = imported
    base, server = serve_directory(built.site)
    try:
        page.goto(base + "2012/05/24/pricing-transparency-for-group-loans/")
        page.wait_for_url(base + "notes/pricing-transparency-for-group-loans/", timeout=10_000)
        assert page.locator("h1").first.inner_text().strip() == "Pricing transparency for group loans"
        # The short link `/?p=ID` of a host that matches no query (here, a plain file server): the home page
        # sends it on to its stand-in page, which leads to the post.
        page.goto(base + "?p=112")
        page.wait_for_url(base + "notes/ten-lessons-on-client-protection/", timeout=10_000)
        assert page.locator("h1").first.inner_text().strip() == "Ten lessons on client protection"
        page.goto(base + "?s=client")  # any other query stays on the home page
        page.wait_for_load_state("load")
        assert page.url == base + "?s=client"
    finally:
        server.shutdown()


def test_rules_route_tags_to_organizations_and_countries(tmp_path):
    from smartnotes.importer.options import ImportOptions, ImportRule
    from smartnotes.importer.run import plan_import
    from smartnotes.importer.wxr import read_export
    from smartnotes.project import load_settings

    settings, _ = load_settings(project(tmp_path) / "mkdocs.yml")
    rules = (ImportRule("category", "smart-notes", "notes"), ImportRule("tag", "Peru", "notes"))
    plan = plan_import(read_export(EXPORT), settings, ImportOptions(rules=rules, organizations=("Privacy",),
                                                                    countries=False), UPLOADS)
    data = yaml.safe_load(plan.files["notes/privacy-of-client-data-a-checklist/index.md"].decode().split("---\n")[1])
    assert data["organizations"] == ["Privacy"] and "tags" not in data
    data = yaml.safe_load(plan.files["notes/ten-lessons-on-client-protection/index.md"].decode().split("---\n")[1])
    assert data["tags"] == ["Transparency", "Kenya"] and "countries" not in data  # countries: false
    assert "notes/credito-responsable-en-peru/index.md" in plan.files  # by its tag
    assert plan.imported == {"notes": 10}


def test_import_rules_are_checked_with_the_other_options(tmp_path):
    root = write_site(tmp_path, {}, plugin_config="import_rules:\n  - {category: News, collection: news}\n"
                                                  "  - {categry: News, collection: notes}\n")
    result = run_import(root)
    assert result.returncode == 1
    assert "import_rules[0].collection: 'news' is not a collection — one of 'notes', 'case_studies'" in result.stderr
    assert "import_rules[1]: " in result.stderr and "is not a rule" in result.stderr
