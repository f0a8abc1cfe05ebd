"""`mkdocs build --dirty` renders only what changed since the last `build --dirty`, from the state
that one left beside the site folder (issue 15: `--dirty` and `serve` share the preview's
incremental build), and gives byte for byte what a clean build gives (as tests/test_preview.py
compares: the search index by its records, sitemap.xml.gz decompressed)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sites import SampleProject, pagefind_records
from smartnotes.preview.state import PreviewState, save_state, take_state
from test_preview import EXTRA, NEW_NOTE, _tree


class DirtyBuilds(SampleProject):
    def __init__(self, root: Path):
        super().__init__(root, EXTRA)
        self.site, self.state, self.n = root / "site", root / ".site.smartnotes-state", 0

    def mkdocs(self, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args], cwd=self.root,
                              capture_output=True, text=True, env=env)

    def dirty(self, ok: bool = True) -> set[str]:
        """`mkdocs build --dirty`: the pages it wrote (MkDocs writes 404.html every time)."""
        before = {p: p.stat().st_mtime_ns for p in self.site.rglob("*.html")}
        result = self.mkdocs("--dirty")
        assert (result.returncode == 0) == ok, result.stderr
        return {p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")
                if before.get(p) != p.stat().st_mtime_ns} - {"404.html"}

    def assert_same_as_clean(self) -> None:
        self.n += 1
        clean = self.root / f"clean-{self.n}"
        result = self.mkdocs("--site-dir", str(clean))
        assert result.returncode == 0, result.stderr
        ours, theirs = _tree(self.site), _tree(clean)
        assert sorted(ours) == sorted(theirs), {"only in the dirty build": sorted(set(ours) - set(theirs)),
                                               "only in the clean build": sorted(set(theirs) - set(ours))}
        assert [rel for rel in ours if ours[rel] != theirs[rel]] == []
        assert pagefind_records(self.site) == pagefind_records(clean)
        shutil.rmtree(clean)

    def pages(self) -> int:
        return len(list(self.site.rglob("*.html"))) - 1


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    return DirtyBuilds(tmp_path_factory.mktemp("dirty") / "project")


def test_the_first_dirty_build_is_a_full_one_and_leaves_its_state(builds):
    assert not builds.state.exists()
    assert len(builds.dirty()) == builds.pages()
    assert builds.state.is_file()
    builds.assert_same_as_clean()


def test_nothing_changed_renders_nothing(builds):
    assert builds.dirty() == set()
    builds.assert_same_as_clean()


def test_a_title_change_renders_what_shows_it(builds):
    builds.edit("notes/beta.md", "title: Beta note", "title: Beta note renamed")
    rendered = builds.dirty()
    assert {"notes/alpha/index.html", "notes/beta/index.html", "index.html"} <= rendered
    assert len(rendered) < builds.pages() / 2, rendered
    builds.assert_same_as_clean()


def test_a_new_publication_and_its_deletion(builds):
    builds.write("notes/delta.md", NEW_NOTE)
    rendered = builds.dirty()
    assert {"notes/delta/index.html", "notes/alpha/index.html"} <= rendered
    assert len(rendered) < builds.pages() - 1
    builds.assert_same_as_clean()
    (builds.root / "notes/delta.md").unlink()
    builds.dirty()
    assert not (builds.site / "notes" / "delta").exists()
    builds.assert_same_as_clean()


def test_a_failed_build_leaves_no_state_and_the_next_is_full(builds):
    builds.edit("notes/beta.md", "date: 2013-02-01", "date: 2013-13-01")
    builds.dirty(ok=False)
    assert not builds.state.exists()
    builds.edit("notes/beta.md", "date: 2013-13-01", "date: 2013-02-01")
    assert len(builds.dirty()) == builds.pages()
    builds.assert_same_as_clean()


def test_a_clean_build_of_the_folder_removes_the_state(builds):
    assert builds.state.is_file()
    assert builds.mkdocs().returncode == 0
    assert not builds.state.exists()
    assert len(builds.dirty()) == builds.pages()


def test_a_state_is_taken_only_for_its_mode_and_format(tmp_path):
    path, state = tmp_path / "state", PreviewState()
    state.site_key = "the key"
    save_state(state, path, "mode a")
    assert take_state(path, "mode b").site_key is None  # another folder, address or code: full
    assert not path.exists()  # taken off the disk either way
    save_state(state, path, "mode a")
    assert take_state(path, "mode a").site_key == "the key"
    path.write_bytes(pickle.dumps((0, "mode a", state))[:-5])  # cut short
    assert take_state(path, "mode a").site_key is None
    assert take_state(path, "mode a").site_key is None  # and none there at all


def test_files_removed_from_the_site_folder_are_made_again(builds):
    builds.dirty()
    for rel in ("feed.xml", "notes/feed.json", "sitemap.xml", "notes/alpha/index.html", "notes/alpha/oembed.json"):
        assert (builds.site / rel).is_file(), rel
        (builds.site / rel).unlink()
    builds.dirty()
    builds.assert_same_as_clean()
    shutil.rmtree(builds.site)
    builds.dirty()
    builds.assert_same_as_clean()
