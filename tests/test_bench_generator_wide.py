"""The second benchmark corpus (issue 15, bench/generate_wide.py): deterministic, unlike the first, and it builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sites import REPO, build
from test_bench_generator import snapshot

GENERATE = REPO / "bench" / "generate_wide.py"
N = 12


def generate(out: Path, seed: int = 1, n: int = N, script: Path = GENERATE) -> Path:
    subprocess.run([sys.executable, str(script), "--n", str(n), "--seed", str(seed), "--out", str(out)],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("wide") / "site")


def publications(corpus: Path) -> dict[Path, tuple[dict, str]]:
    found = {}
    for path in sorted(corpus.glob("notes/*.md")) + sorted(corpus.glob("case_studies/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        found[path] = (yaml.safe_load(front), body)
    return found


def test_same_seed_gives_same_bytes_and_another_seed_other_ones(corpus, tmp_path):
    assert snapshot(generate(tmp_path / "again")) == snapshot(corpus)
    other = snapshot(generate(tmp_path / "other", seed=2))
    assert {k for k in other if k.endswith(".md")} != {k for k in snapshot(corpus) if k.endswith(".md")}


def test_vocabulary_is_far_wider_than_the_first_corpus(corpus, tmp_path):
    def vocabulary(root: Path) -> set[str]:
        return {w for _, body in publications(root).values() for w in re.findall(r"[a-z]{3,}", body.lower())}

    first = generate(tmp_path / "first", script=REPO / "bench" / "generate.py")
    wide, narrow = vocabulary(corpus), vocabulary(first)
    assert len(wide) > 5 * len(narrow), (len(wide), len(narrow))


def test_long_bodies_many_links_and_images(corpus):
    found = publications(corpus)
    assert len(found) == N
    curated = 0
    for path, (front, body) in found.items():
        assert 400 <= len(body.split()) <= 1500, path.name  # 400-1,200 words plus headings, links, figures
        links = re.findall(r"\]\(\.\./(?:notes|case_studies)/[^)]+\.md\)", body)
        assert len(links) >= 3, path.name
        figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
        assert any(f.endswith(".jpg") for f in figures), path.name
        for figure in figures + [front["image"]]:
            data = (path.parent / figure).read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n" if figure.endswith(".png") else b"\xff\xd8\xff"), figure
        curated += len(front.get("related", []))
    assert curated >= N  # most publications name several earlier ones


def test_wide_corpus_builds_in_strict_mode_ours_and_plain(corpus, tmp_path):
    ours = build(corpus, "--strict", site=tmp_path / "ours")
    assert ours.returncode == 0, ours.output
    plain = build(corpus, "--strict", "--config-file", "mkdocs-plain.yml", site=tmp_path / "plain")
    assert plain.returncode == 0, plain.output
    for path, (front, _) in publications(corpus).items():
        if front.get("draft"):
            continue
        prefix = "notes" if path.parent.name == "notes" else "case-studies"
        page = tmp_path / "ours" / prefix / path.stem
        assert (page / "index.html").is_file() and (page.parent / f"{path.stem}.jpg").is_file(), path.stem
    assert len(list((tmp_path / "plain" / "notes").glob("*/index.html"))) == len(list(corpus.glob("notes/*.md")))
