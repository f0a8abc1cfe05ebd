"""Build tiny sample sites for tests: write files, run the real CLI, parse output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[1]
# JSON Schemas written for the project from the specs (see each one's description).
SCHEMAS = REPO / "tests" / "schemas"

BASE_CONFIG = """\
site_name: Test site
site_url: https://example.org/sub/
docs_dir: content
exclude_docs: |
  authors.yml
theme:
  name: material
  custom_dir: {theme}
plugins:
  - smartnotes:
      timezone: America/New_York
{plugin}
{extra}
"""

NOTE = """\
---
title: {title}
date: {date}
authors: [maggie-long]
{extra}
---

{body}
"""

AUTHORS = """\
maggie-long:
  name: Maggie Long
ana-perez:
  name: Ana Perez
  role: Editor
"""


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def html(self, url_path: str):
        """Parsed HTML of a built page (``notes/x/`` -> notes/x/index.html)."""
        target = self.site / url_path
        if url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return lxml.html.fromstring(target.read_bytes())


def write_site(
    root: Path, files: dict[str, str], extra_config: str = "", authors: str = AUTHORS, plugin_config: str = ""
) -> Path:
    """Write a project: mkdocs.yml, content/, notes/, case_studies/ and ``files``.

    ``extra_config`` is top-level YAML; ``plugin_config`` goes under the
    smartnotes plugin's options (both are dedented first).
    """
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "notes").mkdir(exist_ok=True)
    (root / "case_studies").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(
        BASE_CONFIG.format(
            theme=REPO / "theme", extra=textwrap.dedent(extra_config),
            plugin=textwrap.indent(textwrap.dedent(plugin_config), " " * 6),
        ), encoding="utf-8"
    )
    (root / "content" / "authors.yml").write_text(authors, encoding="utf-8")
    (root / "content" / "index.md").write_text("---\ntemplate: home.html\n---\n# Home\n", encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def build(root: Path, *args: str, engine: str = "mkdocs", site: Path | None = None) -> BuildResult:
    """Run ``mkdocs build`` (or ``properdocs build``) as a user would."""
    site = site or root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    proc = subprocess.run(
        [sys.executable, "-m", engine, "build", "--site-dir", str(site), *args],
        cwd=root, capture_output=True, text=True, env=env,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


def pagefind_records(site: Path, bundle: str = "pagefind") -> dict[str, dict]:
    """The search index's record of each page, by URL (Pagefind fragments: gzip, a 12-byte signature, JSON)."""
    import gzip
    import json

    records = {}
    for path in (site / bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data[:12] == b"pagefind_dcd"
        record = json.loads(data[12:])
        records[record["url"]] = record
    return records


def every_output(site: Path) -> dict[str, str]:
    """Site-relative path -> text of every file a build wrote, the Pagefind index decompressed.

    For asserting that a marker reaches no output at all: pages, feeds,
    sitemap.xml (and its .gz), embed cards, widget JSON, search fragments.
    """
    import gzip

    texts = {}
    if not site.exists():
        return texts
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz" or path.suffix.startswith(".pf_"):
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return texts


class SampleProject:
    """A copy of the repository's site to change: its content, its mkdocs.yml with the theme read
    from the repository and two publications a listing page (so a save also moves publications
    between the pages of a listing, and pages sit two folders down: notes/page/2/), and ``extra``
    files."""

    def __init__(self, root: Path, extra: dict[str, str] | None = None):
        self.root = root
        for folder in ("content", "notes", "case_studies"):
            shutil.copytree(REPO / folder, root / folder)
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
        config = config.replace("      timezone: ", "      listing_page_size: 2\n      timezone: ", 1)
        assert "listing_page_size: 2" in config and str(REPO / "theme") in config, \
            "the sample mkdocs.yml changed: update tests/sites.py"
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        for rel, text in (extra or {}).items():
            self.write(rel, text)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        self.write(rel, text.replace(old, new, 1))

