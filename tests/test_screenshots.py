"""`smartnotes screenshots` (issue 16, goal 8): one picture per page type, size and scheme.

The fast test photographs one page type at one size from the sample site
already built for the session; the page types come from the catalog.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

from sites import REPO
from smartnotes.build import SiteBuild
from smartnotes.project import load_project
from smartnotes.screenshots.pages import README_FOLDER, README_SHOTS, SIZES, page_types


def screenshots(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "plugins")}
    return subprocess.run([sys.executable, "-m", "smartnotes", "screenshots", *args], cwd=REPO,
                          capture_output=True, text=True, env=env, timeout=300)


def test_every_page_type_of_the_sample_site_is_listed():
    _, settings, options = load_project(REPO / "mkdocs.yml")
    build = SiteBuild(options, settings, serving=False)
    build.check()
    shots = {shot.name: shot for shot in page_types(build.catalog, settings.taxonomies, settings.docs_dir)}
    assert {"home", "publication-notes", "publication-case_studies", "collection-notes", "collection-case_studies",
            "year-notes", "tag-index", "tag", "country-index", "country", "organization-index", "organization",
            "author-index", "author", "search", "embed-card", "404", "about"} <= set(shots)
    newest = build.catalog.publications[0]
    assert shots["embed-card"].path == f"{newest.url}embed/"
    assert shots["search"].search.lower() in newest.title.lower()
    for shot in shots.values():  # each is a page of the site (the 404 page is a file)
        assert shot.path == "404.html" or shot.path == "" or shot.path.endswith("/")


@pytest.mark.browser
def test_the_command_writes_pictures_of_the_size_asked(sample_site, tmp_path):
    result = screenshots("--site", str(sample_site), "--out", str(tmp_path), "--only", "publication-notes",
                         "--sizes", "phone", "--schemes", "dark")
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted(tmp_path.iterdir())
    assert [p.name for p in written] == ["publication-notes-phone-dark.png"]
    with Image.open(written[0]) as image:
        assert image.format == "PNG" and image.size == SIZES["phone"]
        assert image.convert("L").resize((1, 1)).getpixel((0, 0)) < 100  # the dark scheme: dark on average


def test_an_unknown_page_type_is_a_usage_error(tmp_path):
    result = screenshots("--site", str(tmp_path), "--out", str(tmp_path), "--only", "hom")
    assert result.returncode == 2
    assert "Error: No page type 'hom': did you mean 'home'?" in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_readme_shows_the_committed_pictures():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, size, scheme in README_SHOTS:
        path = f"{README_FOLDER}/{name}-{size}-{scheme}.png"
        assert f"]({path})" in readme
        with Image.open(REPO / path) as image:
            assert image.size == SIZES[size]
