"""Sites for the embed tests, built with ``site_url`` = the address they are served at.

Embeds are absolute URLs (oEmbed needs them), so a browser or an oEmbed
consumer can only follow them when the site is built for where it is served.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import serve_directory
from sites import REPO, build, write_site

CORS = {"Access-Control-Allow-Origin": "*"}


def served_site(tmp_path: Path, files: dict[str, str], extra_config: str = "", headers=CORS, **kwargs):
    """A tiny site built for the static server it is served from: (base_url, server, BuildResult)."""
    site = tmp_path / "site"
    site.mkdir(parents=True)
    url, server = serve_directory(site, headers)
    root = write_site(tmp_path / "project", files, extra_config, **kwargs)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.org/sub/", url), encoding="utf-8")
    result = build(root, "--strict", site=site)
    assert result.returncode == 0, result.output
    return url, server, result


def served_sample(tmp_path: Path):
    """The repository's own content and mkdocs.yml, built for its static server."""
    root = tmp_path / "project"
    for folder in ("content", "notes", "case_studies"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    url, server = serve_directory(site, CORS)
    config = config.replace("site_url: https://smartnotes.example.org/", f"site_url: {url}")
    config = config.replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    assert url in config and str(REPO / "theme") in config, "the sample mkdocs.yml changed: update served_sample"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build(root, "--strict", site=site)
    assert result.returncode == 0, result.output
    return url, server, result

