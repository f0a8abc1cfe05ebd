"""Analytics with consent (issue 16, goal 7), in a real browser with every request intercepted.

Off by default (tests/test_reader_checks.py: nothing leaves the sample
site). Google Analytics and Tag Manager load only after the reader accepts
them in Material's consent banner, and again after a reload; after a
rejection, never. A cookieless provider loads without a banner and sets no
cookie. Requests to other hosts are answered here with an empty script:
the tests never need the internet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap

import pytest

from conftest import serve_directory
from sites import NOTE, REPO, build, write_site
from test_reader_checks import AXE, SEED, VNU, needs

CONSENT = """\
  consent:
    title: Cookie consent
    description: We would like to count visits with Google's tools, if you agree.
    actions: [accept, reject, manage]
"""
PROVIDERS = {
    "google": ("provider: google\n    property: G-TEST123", "www.googletagmanager.com/gtag/js"),
    "tagmanager": ("provider: tagmanager\n    container: GTM-TEST123", "www.googletagmanager.com/gtm.js"),
    "plausible": ("provider: plausible\n    domain: example.org", "plausible.io/js/script.js"),
    "goatcounter": ("provider: goatcounter\n    code: smartnotes-test", "gc.zgo.at/count.js"),
}


def analytics_site(tmp_path, provider: str, consent: bool):
    """The repository's own site (its theme, palettes and pages) with analytics set in ``extra``."""
    root = tmp_path / "project"
    for folder in ("content", "notes", "case_studies"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "theme").symlink_to(REPO / "theme")
    extra = "extra:\n  analytics:\n    " + PROVIDERS[provider][0] + "\n" + (CONSENT if consent else "")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8") + "\n" + extra,
                                     encoding="utf-8")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return result.site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """serve(provider, consent) -> the base URL of that site, built once per module."""
    servers, urls = [], {}

    def serve(provider: str, consent: bool):
        if (provider, consent) not in urls:
            site = analytics_site(tmp_path_factory.mktemp(provider), provider, consent)
            url, server = serve_directory(site)
            servers.append(server)
            urls[provider, consent] = url
            sites[url] = site
        return urls[provider, consent]

    sites: dict[str, object] = {}
    serve.sites = sites
    yield serve
    for server in servers:
        server.shutdown()


class Recorder:
    """Every request of a tab: the site's go through, any other host gets an empty script."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url, self.elsewhere = page, base_url, []
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.fulfill(status=200, content_type="text/javascript", body="")

    def to(self, host_path: str) -> list[str]:
        return [u for u in self.elsewhere if host_path in u]


def open_page(page, url: str):
    page.goto(url, wait_until="networkidle")


def banner(page):
    return page.locator("[data-md-component=consent] .md-consent__inner")


@pytest.mark.browser
@pytest.mark.parametrize("provider", ["google", "tagmanager"])
def test_cookie_analytics_wait_for_consent(browser, served, provider):
    base = served(provider, consent=True)
    analytics_host = PROVIDERS[provider][1]
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page, base)
    open_page(page, base + SEED)
    banner(page).wait_for(state="visible")
    assert recorder.to(analytics_host) == [] and recorder.elsewhere == []

    with page.expect_navigation():
        banner(page).get_by_role("button", name="Accept").click()
    page.wait_for_load_state("networkidle")
    assert len(recorder.to(analytics_host)) == 1, recorder.elsewhere
    assert not banner(page).is_visible()

    open_page(page, base)  # another page: consent is remembered
    assert len(recorder.to(analytics_host)) == 2
    page.reload(wait_until="networkidle")
    assert len(recorder.to(analytics_host)) == 3
    assert {u.split("?")[0] for u in recorder.elsewhere} == {"https://" + analytics_host}
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("provider", ["google", "tagmanager"])
def test_rejected_analytics_never_load(browser, served, provider):
    base = served(provider, consent=True)
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page, base)
    open_page(page, base + SEED)
    banner(page).wait_for(state="visible")
    with page.expect_navigation():
        banner(page).get_by_role("button", name="Reject").click()
    page.wait_for_load_state("networkidle")
    page.reload(wait_until="networkidle")
    open_page(page, base)
    page.wait_for_timeout(400)  # the banner would show after 250 ms
    assert recorder.elsewhere == []
    assert not banner(page).is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("provider", ["plausible", "goatcounter"])
def test_cookieless_analytics_need_no_banner(browser, served, provider):
    base = served(provider, consent=False)
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page, base)
    open_page(page, base + SEED)
    assert len(recorder.to(PROVIDERS[provider][1])) == 1, recorder.elsewhere
    assert page.locator("[data-md-component=consent]").count() == 0
    assert context.cookies() == [] and page.evaluate("document.cookie") == ""
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('consent'))") == []
    context.close()


@pytest.mark.browser
def test_the_consent_banner_is_accessible_and_valid(browser, served):
    needs(AXE)
    base = served("google", consent=True)
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    Recorder(page, base)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_page(page, base + SEED)
        banner(page).wait_for(state="visible")
        banner(page).get_by_text("Manage settings").click()  # the checkboxes shown too
        # The banner itself: the page behind its overlay is checked without it (test_reader_checks.py).
        violations = page.evaluate("""async () => (await axe.run({include: [["[data-md-component=consent]"]]},
                {resultTypes: ["violations"]}))
            .violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}))""")
        assert not violations, json.dumps(violations, indent=1)
    context.close()

    needs(VNU)
    site = served.sites[base]  # the banner is in every page's frame: a publication, a listing, the 404 page
    pages = [str(site / SEED / "index.html"), str(site / "index.html"), str(site / "404.html")]
    proc = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json",
                           *pages], capture_output=True, text=True, timeout=300)
    errors = [m for m in json.loads(proc.stderr or proc.stdout)["messages"] if m["type"] == "error"]
    assert not errors, textwrap.shorten(json.dumps(errors), 3000)


@pytest.mark.parametrize("analytics, message", [
    ("{provider: google, property: G-TEST123}", "'google' sets cookies and loads only after the reader's consent"),
    ("{provider: tagmanager, container: GTM-X}", "'tagmanager' sets cookies and loads only after the reader's consent"),
    ("{provider: plausable, domain: example.org}", "'plausable' is not a provider this site knows — did you mean 'plausible'?"),
    ("{provider: plausible}", "extra.analytics.domain: missing — write e.g. {provider: plausible, domain:"),
])
def test_analytics_settings_are_checked(tmp_path, analytics, message):
    files = {"notes/alpha.md": NOTE.format(title="Alpha", date="2024-03-01", extra="", body="Text.")}
    result = build(write_site(tmp_path, files, extra_config=f"extra:\n  analytics: {analytics}\n"), "--strict")
    assert result.returncode != 0
    assert message in result.output, result.output
