"""What readers get, checked by the tools readers' advocates use (issue 16).

Every page type of the sample site, in the light and the dark scheme, at a
desktop and a phone width: axe-core reports no violation (WCAG 2.2 AA and
axe's best practices), and the page requests nothing from another host and
no sitemap. The Nu Html Checker reads every page of the site in one run.
The checkers are npm packages that `make test` installs (package.json).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sites import REPO

NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

SEED = "notes/supporting-members-client-protection-amfa/"
CASE = "case-studies/improving-sector-transparency-amfa/"

# Every kind of page a reader can land on, by a name for the test ids.
PAGE_TYPES = {
    "home": "",
    "note": SEED,
    "case-study": CASE,
    "collection": "notes/",
    "year": "notes/2012/",
    "topics": "tags/",
    "topic": "tags/transparency/",
    "countries": "countries/",
    "country": "countries/azerbaijan/",
    "organisations": "organizations/",
    "organisation": "organizations/accessbank/",
    "authors": "authors/",
    "author": "authors/maggie-long/",
    "search": "about/",  # opened with results and filters, see open_search
    "embed-card": SEED + "embed/",
    "list-card": "embed/collections/notes/",
    "404": "404.html",
    "about": "about/",
    "writing-guide": "writing-guide/",
    # the sample site with two publications a page (conftest.py: paged_sample_site)
    "listing-page-1": "notes/",
    "listing-page-2": "notes/page/2/",
    "topic-page-2": "countries/azerbaijan/page/2/",
}
PAGED = {"listing-page-1", "listing-page-2", "topic-page-2"}  # pages of the paged sample
SCHEMES = ["light", "dark"]
WIDTHS = {"desktop": 1280, "phone": 390}


def needs(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path.relative_to(REPO)} is missing: run the README's test command (make test)")


def open_search(page) -> None:
    """The search panel open, with results for a word and a filter chosen."""
    box = page.locator("[data-sn-search] input[type=search]")
    box.fill("client")
    page.wait_for_function("() => document.querySelector('[data-sn-search]').dataset.query === 'client'")
    page.wait_for_function("() => document.querySelectorAll('select[data-filter=kind] option').length > 1")
    page.locator("select[data-filter=kind]").select_option("Smart Note")
    page.wait_for_function("() => document.querySelector('.sn-search__item')")
    assert page.locator(".sn-search__panel").is_visible()


class Views:
    """One browser context per (scheme, width), axe-core loaded into every page,
    one tab each that records every request it makes; shared by the tests."""

    def __init__(self, browser, base_url: str, paged_url: str):
        self.browser, self.base_url, self.paged_url, self.tabs = browser, base_url, paged_url, {}

    def url_of(self, name: str) -> str:
        return (self.paged_url if name in PAGED else self.base_url) + PAGE_TYPES[name]

    def open(self, name: str, scheme: str, width: int, *, settle: bool = False):
        """The tab at a page type; returns (page, the URLs this load requested)."""
        key = (scheme, width)
        if key not in self.tabs:
            context = self.browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            context.add_init_script(path=str(AXE))
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            self.tabs[key] = (context, page, requested)
        context, page, requested = self.tabs[key]
        page.goto("about:blank")
        requested.clear()
        page.goto(self.url_of(name), wait_until="networkidle" if settle else "load")
        if name == "search":
            open_search(page)
        if settle:
            page.wait_for_load_state("networkidle")
        if scheme == "dark" and page.locator("body[data-md-color-scheme]").count():
            assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        return page, list(requested)

    def close(self):
        for context, _, _ in self.tabs.values():
            context.close()


@pytest.fixture(scope="module")
def views(browser, sample_url, paged_sample_url):
    needs(AXE)
    views = Views(browser, sample_url, paged_sample_url)
    yield views
    views.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violation(views, name, scheme, width):
    page, _ = views.open(name, scheme, width)
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n").slice(1).join(" "))}));
    }""")
    assert not violations, json.dumps(violations, indent=1)


@pytest.mark.browser
@pytest.mark.parametrize("scheme, width", [("light", 1280), ("dark", 390)])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_nothing_leaves_the_site(views, name, scheme, width):
    """No font service, no analytics, no other host; and no sitemap.xml, which
    Material's script fetches beside every link[rel=alternate] (issue 16)."""
    _, requested = views.open(name, scheme, width, settle=True)
    assert requested, "the page was not recorded"
    site_url = views.paged_url if name in PAGED else views.base_url
    elsewhere = [u for u in requested if not u.startswith(site_url)]
    assert not elsewhere, elsewhere
    assert not [u for u in requested if "sitemap" in u]


def test_every_page_is_valid_html(sample_site, paged_sample_site):
    """The Nu Html Checker on every HTML page of the site, and every listing page of the paged
    sample (its pages 2 on, and the first pages that link to them), in one Java process."""
    needs(VNU)
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run the README's test command (make test)")
    pages = sorted(p for p in sample_site.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 40 and sample_site / "404.html" in pages
    later = sorted(paged_sample_site.glob("**/page/*/index.html"))
    assert paged_sample_site / "notes/page/2/index.html" in later
    pages += later + sorted({p.parents[2] / "index.html" for p in later})
    proc = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(proc.stderr or proc.stdout)["messages"]
    errors = [f"{m['url'].split(str(sample_site))[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert not errors, "\n".join(errors)
    assert proc.returncode == 0, proc.stderr[-2000:]
