"""Shared fixtures: the built sample site, a static server, one browser."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from sites import REPO, build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own site, built once per test session with --strict."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build(REPO, "--strict", site=site)
    assert result.returncode == 0, result.output
    return site


@pytest.fixture(scope="session")
def paged_sample_site(tmp_path_factory) -> Path:
    """The sample site with two publications a listing page, so its listings have a page 2
    (notes/page/2/): the pagination's pages go through the same checks as every page type."""
    root = tmp_path_factory.mktemp("paged-sample")
    for folder in ("content", "notes", "case_studies"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "theme").symlink_to(REPO / "theme")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    marker = "  - smartnotes:\n"
    assert marker in config
    (root / "mkdocs.yml").write_text(config.replace(marker, marker + "      listing_page_size: 2\n"), encoding="utf-8")
    result = build(root, "--strict", site=root / "site")
    assert result.returncode == 0, result.output
    return result.site


@pytest.fixture(scope="session")
def paged_sample_url(paged_sample_site):
    url, server = serve_directory(paged_sample_site)
    yield url
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: dict[str, str] = {}

    def end_headers(self):
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


def serve_directory(directory: Path, headers: dict[str, str] | None = None):
    """Serve ``directory`` on 127.0.0.1 (random port); returns (base_url, server)."""
    handler = type("Handler", (_QuietHandler,), {"extra_headers": headers or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def sample_url(sample_site):
    url, server = serve_directory(sample_site, {"Access-Control-Allow-Origin": "*"})
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for every browser test."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed: run the README's test command (make test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()
