"""Pictures of built pages in Chromium (``smartnotes screenshots``, issue 16 goal 8).

The built site is served on 127.0.0.1 by a thread, and Playwright drives
Debian's Chromium (both come with the test tools: ``make test`` installs
them). Nothing is fetched from elsewhere: the pages request nothing from
another host (tests/test_reader_checks.py).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SEARCH_BOX = "[data-sn-search] input[type=search]"
SEARCH_RESULT = ".sn-search__item"


class ScreenshotError(Exception):
    """Something a person must install or fix; the message says what."""


@dataclass(frozen=True)
class Job:
    path: str  # site-relative
    width: int
    height: int
    scheme: str  # "light" | "dark"
    out: Path
    search: str = ""


def build_site(config_file: Path, site_dir: Path) -> None:
    """``mkdocs build --strict`` of the project into ``site_dir``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file),
                           "-d", str(site_dir)], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise ScreenshotError(f"the site does not build:\n{(proc.stdout + proc.stderr)[-3000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def capture(site_dir: Path, jobs: list[Job], chromium: str = CHROMIUM) -> list[Path]:
    """Each job's picture, in order; returns the files written."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ScreenshotError("Playwright is not installed: pip install -e '.[test]' (make test does it)") from None
    if not Path(chromium).exists():
        raise ScreenshotError(f"no Chromium at {chromium}: apt-get install chromium (make chromium), or --chromium PATH")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            contexts = {}
            for job in jobs:
                key = (job.width, job.height, job.scheme)
                if key not in contexts:
                    context = browser.new_context(viewport={"width": job.width, "height": job.height},
                                                  color_scheme=job.scheme, device_scale_factor=1)
                    contexts[key] = context.new_page()
                page = contexts[key]
                page.goto(base + job.path, wait_until="networkidle")
                if job.search:
                    page.locator(SEARCH_BOX).fill(job.search)
                    page.wait_for_selector(SEARCH_RESULT, timeout=15000)
                job.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(job.out), animations="disabled", caret="hide")
                written.append(job.out)
            browser.close()
    finally:
        server.shutdown()
    return written
