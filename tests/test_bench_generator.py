"""The benchmark corpus generator (issue 7): deterministic, and its output builds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sites import REPO, build

GENERATE = REPO / "bench" / "generate.py"
N = 12


def generate(out: Path, seed: int = 1, n: int = N) -> Path:
    subprocess.run([sys.executable, str(GENERATE), "--n", str(n), "--seed", str(seed), "--out", str(out)],
                   check=True, capture_output=True)
    return out


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes (and every symlink's target) under ``root``."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                files[rel] = b"-> " + os.readlink(path).encode()
            elif path.is_file():
                files[rel] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus") / "site")


def test_same_seed_gives_same_bytes(corpus, tmp_path):
    again = snapshot(generate(tmp_path / "again"))
    assert again == snapshot(corpus)


def test_other_seed_gives_other_publications(corpus, tmp_path):
    other = snapshot(generate(tmp_path / "other", seed=2))
    ours = snapshot(corpus)
    assert {k for k in other if k.startswith("notes/")} != {k for k in ours if k.startswith("notes/")}


def test_corpus_has_the_publications_and_the_three_configurations(corpus):
    notes = list((corpus / "notes").glob("*.md")) + list((corpus / "case_studies").glob("*.md"))
    posts = list((corpus / "blog-docs" / "blog" / "posts").glob("*.md"))
    assert len(notes) == N and len(posts) == N
    authors = yaml.safe_load((corpus / "content" / "authors.yml").read_text())
    assert len(authors) == 30
    for name in ("mkdocs.yml", "mkdocs-plain.yml", "mkdocs-blog.yml"):
        assert (corpus / name).is_file()


def test_bodies_have_the_promised_length_and_links(corpus):
    for path in (corpus / "notes").glob("*.md"):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert 400 <= len(body.split()) <= 1400, path.name  # 400-1,200 words plus headings and link text
        assert "\n## " in body


def test_generated_pdfs_and_pngs_are_real_files(corpus):
    pdfs = list(corpus.glob("*/*.pdf"))
    pngs = list(corpus.glob("*/*.png"))
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        offset = int(data.rsplit(b"startxref\n", 1)[1].split()[0])
        assert data[offset:].startswith(b"xref")
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_corpus_builds_with_our_plugin_in_strict_mode(corpus, tmp_path, monkeypatch):
    env_timings = tmp_path / "timings.json"
    monkeypatch.setenv("SMARTNOTES_TIMINGS", str(env_timings))
    result = build(corpus, "--strict", site=tmp_path / "site")
    assert result.returncode == 0, result.output
    drafts = [p for p in corpus.glob("*/*.md") if "\ndraft: true\n" in p.read_text(encoding="utf-8")]
    pages = list((tmp_path / "site" / "notes").glob("*/index.html"))
    pages += list((tmp_path / "site" / "case-studies").glob("*/index.html"))
    publications = [p for p in pages if not p.parent.name.isdigit()]  # not the year listings
    assert len(publications) == N - len(drafts)
    stages = json.loads(env_timings.read_text())
    assert {"load", "catalog", "files", "pages"} <= set(stages)
    assert all(seconds >= 0 for seconds in stages.values())


def test_plain_configuration_keeps_publications_out_of_the_nav(corpus, tmp_path):
    result = build(corpus, "--strict", "--config-file", "mkdocs-plain.yml", site=tmp_path / "plain")
    assert result.returncode == 0, result.output
    home = result.html("")
    links = home.xpath("//nav[contains(@class, 'md-nav--primary')]//a/@href")
    assert not [href for href in links if "notes/" in href]
    assert len(list((tmp_path / "plain" / "notes").glob("*/index.html"))) == len(list(
        (corpus / "notes").glob("*.md")))


def test_related_entries_point_to_earlier_published_publications(corpus):
    front = {}
    for path in list(corpus.glob("notes/*.md")) + list(corpus.glob("case_studies/*.md")):
        text = path.read_text(encoding="utf-8")
        front[path.relative_to(corpus).as_posix()] = yaml.safe_load(text.split("---\n", 2)[1])
    curated = [(rel, target) for rel, data in front.items() for target in data.get("related", [])]
    assert curated, "the corpus should have some curated related entries"
    for rel, target in curated:
        assert target in front and not front[target].get("draft"), (rel, target)
        assert _moment(front[target]["date"]) <= _moment(front[rel]["date"]), (rel, target)


def _moment(value):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    site = ZoneInfo("America/New_York")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=site)
    return datetime.combine(value, time(0, 0), tzinfo=site)


def _runner():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("ours", "plain", "blog", "ours_mib", "small_ours", "expected"), [
    (15.0, 10.0, 75.0, 200, 3.0, [True, True, True, True]),  # exactly at every bar
    (16.0, 10.0, 79.0, 201, 3.0, [False, False, False, True]),  # 1.6x plain, 4.9x, 2.01x memory
    (15.0, 10.0, 75.0, 100, 2.0, [True, True, True, False]),  # growth 1.5 from 1,000 to 5,000
])
def test_benchmark_bars(ours, plain, blog, ours_mib, small_ours, expected):
    run = _runner()

    def runs(wall, mib=100):
        return [run.Run(wall, wall, 0.0, mib * 1024, mib * 1024, {"python": mib * 1024}, 0, 0, 1, {}, "")
                for _ in range(3)]

    results = {
        1000: {"ours": runs(small_ours), "plain": runs(2.0), "blog": runs(15.0)},
        5000: {"ours": runs(ours, ours_mib), "plain": runs(plain), "blog": runs(blog)},
    }
    assert [ok for text, ok, _ in run.check_bars(results) if "issue 15" not in text] == expected


@pytest.mark.parametrize(("wall", "cpu", "expected"), [
    (13.0, 16.0, [True, True]),  # exactly at issue 15's bars: 1.3x wall, 1.6x CPU
    (13.1, 16.1, [False, False]),
    (12.0, 17.0, [True, False]),
])
def test_issue_15_bars_at_5000_and_10000(wall, cpu, expected):
    run = _runner()

    def runs(wall, cpu):
        return [run.Run(wall, cpu, 0.0, 1024, 1024, {}, 0, 0, 1, {}, "") for _ in range(3)]

    for n in (5000, 10000):
        results = {n: {"ours": runs(wall, cpu), "plain": runs(10.0, 10.0)}}
        bars = [(text, ok) for text, ok, _ in run.check_bars(results) if "issue 15" in text]
        assert [ok for _, ok in bars] == expected
        assert all(f"at {n:,}" in text for text, _ in bars)
