"""Builds that fail or stop leave the last good site (issue 13, §4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from sites import NOTE, REPO, build, pagefind_records, write_site


def note(title: str, date: str = "2012-05-24", extra: str = "", body: str = "Body text.") -> str:
    return NOTE.format(title=title, date=date, extra=extra, body=body)


def snapshot(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by path; Pagefind's bundle as its records (its file names vary)."""
    files = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*")
             if p.is_file() and "pagefind" not in p.relative_to(site).parts}
    files["pagefind records"] = repr(sorted(pagefind_records(site).items())).encode()
    return files


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site") or "smartnotes" in p.name)


@pytest.fixture
def built(tmp_path):
    root = write_site(tmp_path, {
        "notes/amfa.md": note("Supporting members", extra="tags: [transparency]"),
        "notes/hotline.md": note("A hotline", "2013-02-01", extra="tags: [transparency]"),
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    return root, result.site, snapshot(result.site)


def test_a_content_error_leaves_the_last_good_site(built):
    root, site, before = built
    (root / "notes" / "hotline.md").write_text(note("A hotline", "2013-02-30"), encoding="utf-8")
    result = build(root)
    assert result.returncode != 0 and "notes/hotline.md:3: date:" in result.output
    assert snapshot(site) == before
    assert leftovers(root) == []


def test_a_strict_build_that_fails_on_warnings_at_the_end_leaves_the_last_good_site(built):
    root, site, before = built
    (root / "notes" / "hotline.md").write_text(note("A hotline", "2013-02-01", body="[gone](missing.md)"),
                                              encoding="utf-8")
    result = build(root, "--strict")
    assert result.returncode != 0 and "Aborted with 1 warnings in strict mode" in result.output
    assert snapshot(site) == before
    assert leftovers(root) == []


def test_a_good_build_replaces_the_site_and_leaves_nothing_beside_it(built):
    root, site, before = built
    (root / "notes" / "hotline.md").write_text(note("A renamed hotline", "2013-02-01"), encoding="utf-8")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    after = snapshot(site)
    assert after != before and b"A renamed hotline" in after["notes/hotline/index.html"]
    assert leftovers(root) == []


def test_a_dirty_build_gives_the_clean_build_after_edits_additions_renames_and_deletions(built, tmp_path):
    root, site, _ = built
    notes = root / "notes"
    (notes / "amfa.md").write_text(note("Supporting members, revised", extra="tags: [pricing]"), encoding="utf-8")
    (notes / "new.md").write_text(note("A new note", "2014-01-01", extra="tags: [transparency]"), encoding="utf-8")
    (notes / "hotline.md").rename(notes / "hotline-desk.md")
    dirty = build(root, "--dirty")
    assert dirty.returncode == 0, dirty.output
    (notes / "new.md").unlink()
    dirty = build(root, "--dirty")
    assert dirty.returncode == 0, dirty.output
    clean = build(root, site=tmp_path / "clean")
    assert clean.returncode == 0, clean.output
    assert snapshot(site) == snapshot(clean.site)


def marked_processes(mark: str) -> list[str]:
    """Command lines of the live processes that carry ``mark`` in their environment."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"SMARTNOTES_TEST_MARK={mark}".encode() in (proc / "environ").read_bytes():
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                pass
    return found


def test_an_interrupted_build_leaves_the_last_good_site_and_nothing_running(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--n", "120", "--seed", "3",
                    "--out", str(corpus)], check=True, capture_output=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    first = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=corpus, env=env, capture_output=True)
    assert first.returncode == 0, first.stderr
    before = snapshot(corpus / "site")
    (corpus / "notes" / sorted(os.listdir(corpus / "notes"))[0]).touch()
    mark = uuid.uuid4().hex
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=corpus,
                            env={**env, "SMARTNOTES_TEST_MARK": mark}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any("pagefind" in p for p in marked_processes(mark)) and proc.poll() is None:
        assert time.monotonic() < deadline, "Pagefind never started"
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)  # Ctrl-C, to the build alone: its children are its business
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err.decode(), err.decode()
    deadline = time.monotonic() + 5
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marked_processes(mark) == []
    assert snapshot(corpus / "site") == before
    assert leftovers(corpus) == []
