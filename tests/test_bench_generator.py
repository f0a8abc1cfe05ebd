"""The benchmark corpus generator (issue 7): deterministic, and its output builds."""

from __future__ import annotations

import json
import os
import statistics
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
    assert [ok for _, ok, _ in run.issue_7_bars(results)] == expected


@pytest.mark.parametrize(("wall", "cpu", "expected"), [
    (13.0, 16.0, [True, True]),  # exactly at issue 15's bars: 1.3x wall, 1.6x CPU
    (13.1, 16.1, [False, False]),
    (12.0, 17.0, [True, False]),
])
def test_issue_15_bars_at_5000_and_10000(wall, cpu, expected):
    run = _runner()

    def runs(wall, cpu, mib):
        return [run.Run(wall, cpu, 0.0, mib * 1024, mib * 1024, {}, 0, 0, 1, {}, "") for _ in range(3)]

    for n, mib, memory in ((5000, 200, [True]), (5000, 201, [False]), (10000, 300, [])):  # memory: at 5,000, 2x
        results = {n: {"ours": runs(wall, cpu, mib), "plain": runs(10.0, 10.0, 100)}}
        bars = run.issue_15_bars(results)
        assert [ok for _, ok, _ in bars] == expected + memory
        assert all(f"at {n:,}" in text for text, _, _ in bars)


def _fabricated(run, ours_wall: float, ours_cpu: float, ours_mib: int, n: int):
    """One size of one corpus: three runs of ours and of plain (plain: 10 s, 10 s CPU, 100 MiB)."""
    def runs(wall, cpu, mib, pages):
        return [run.Run(wall + i / 10, cpu + i / 10, 1.0, mib * 1024, mib * 1024, {"python": mib * 1024}, 0, 0,
                        pages, {"pages": wall / 2}, "") for i in range(3)]
    return {"ours": runs(ours_wall, ours_cpu, ours_mib, 2 * n + 2), "plain": runs(10.0, 10.0, 100, n + 2)}


def _table(text: str, heading: str) -> list[dict[str, str]]:
    """The Markdown table under ``heading``, as one dict per row keyed by the header's cells."""
    lines = text.split(heading + "\n", 1)[1].lstrip("\n").splitlines()
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[:lines.index("")]]
    assert set("".join(rows[1])) <= set("-: "), rows[1]  # the separator row
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def test_report_puts_both_corpora_side_by_side_and_checks_issue_15_per_corpus():
    run = _runner()
    measured = {kind: {n: _fabricated(run, wall, cpu, mib, n) for n in (1000, 5000)}
                for kind, wall, cpu, mib in (("narrow", 12.0, 15.0, 150), ("wide", 14.0, 17.0, 250))}
    text = run.report(measured, 3, 1, ["", "feature output"])

    rows = _table(text, "## Ours against plain MkDocs + Material")
    assert [(row["corpus"], row["N"]) for row in rows] == [
        (kind, f"{n:,}") for kind, results in measured.items() for n in results]
    for row in rows:
        by_name = measured[row["corpus"]][int(row["N"].replace(",", ""))]
        ours, plain = by_name["ours"], by_name["plain"]
        assert float(row["ours wall (s)"]) == round(statistics.median(r.wall for r in ours), 2)
        assert row["wall ratio"] == f"{run.median_wall(ours) / run.median_wall(plain):.2f}x"
        assert row["CPU ratio"] == f"{run.median_cpu(ours) / run.median_cpu(plain):.2f}x"
        assert row["memory ratio"] == f"{run.peak_mib(ours) / run.peak_mib(plain):.2f}x"
        assert row["HTML files ours / plain"] == f"{ours[0].pages:,} / {plain[0].pages:,}"

    bars = text.split("## Bars of issue 15\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in bars.splitlines() if line.startswith("- ")]
    # narrow at 5,000: 1.20x wall, 1.50x CPU, 1.5x memory (all met); wide: 1.40x, 1.69x, 2.5x (none met)
    for kind, met in (("narrow", True), ("wide", False)):
        at_5000 = [line for line in lines if line.startswith(f"- {kind} at 5,000: ")]
        assert [line.split(": ")[1].split(" at most")[0] for line in at_5000] == ["wall time", "CPU time",
                                                                                    "peak memory (all processes)"]
        assert [line.split("**")[1] for line in at_5000] == ["met" if met else "not met"] * 3
        ours, plain = measured[kind][5000]["ours"], measured[kind][5000]["plain"]
        assert at_5000[1].endswith(f"= {run.median_cpu(ours) / run.median_cpu(plain):.2f}x")
    assert [line for line in lines if "10,000" in line] == [
        f"- {kind} at 10,000: not run (sizes run: 1,000, 5,000)." for kind in ("narrow", "wide")]
    assert len(lines) == 2 * 3 + 2

    details = [line for line in text.splitlines() if line.startswith("### ")]
    assert [line.split(" corpus")[0] for line in details] == ["### Narrow", "### Wide"]
    for kind in measured:  # each corpus's own build table: one row per N and build
        section = text.split(f"### {kind.capitalize()} corpus", 1)[1]
        assert len(_table(section, section.split("\n", 1)[0])) == 4
    assert text.rstrip().endswith("feature output")


def test_run_rewrites_results_after_every_size_of_both_corpora(tmp_path, monkeypatch):
    run = _runner()
    results_md, runs_json, written = tmp_path / "RESULTS.md", tmp_path / "runs.json", []

    def fake_measure(ns, runs, seed, work, after_size, corpus_kind, builds):  # no builds: made-up runs
        assert work == tmp_path / "work" / corpus_kind and work.is_dir() and builds == ("ours", "plain")
        results = {}
        for n in ns:
            results[n] = _fabricated(run, 12.0 + n, 15.0, 150, n)
            after_size(results)
            written.append((corpus_kind, n, results_md.read_text(encoding="utf-8")))
        return results

    monkeypatch.setattr(run, "measure", fake_measure)
    run.main(["--n", "40", "30", "--runs", "3", "--builds", "ours", "plain", "--skip-features", "--results",
              str(results_md), "--work", str(tmp_path / "work"), "--json", str(runs_json)])

    done = [("narrow", "30"), ("narrow", "40"), ("wide", "30"), ("wide", "40")]
    assert [(kind, str(n)) for kind, n, _ in written] == done
    for i, (_, _, text) in enumerate(written):  # each partial file: the sizes finished so far, and says so
        assert "Partial: corpora narrow, wide at sizes 30, 40 were asked for" in text
        assert [(row["corpus"], row["N"]) for row in _table(text, "## Ours against plain MkDocs + Material")] == \
            done[:i + 1]
    final = results_md.read_text(encoding="utf-8")
    assert "Partial" not in final and "Skipped (--skip-features)." in final
    assert "`python bench/run.py --n 30 40 --runs 3 --seed 1 --corpus narrow wide --builds ours plain`" in final
    assert [(row["corpus"], row["N"]) for row in _table(final, "## Ours against plain MkDocs + Material")] == done
    numbers = json.loads(runs_json.read_text(encoding="utf-8"))
    assert {(kind, n) for kind in numbers for n in numbers[kind]} == set(done)
    assert [r["wall"] for r in numbers["wide"]["40"]["ours"]] == [52.0, 52.1, 52.2]
    assert all(len(numbers[kind][n][build]) == 3 for kind, n in done for build in ("ours", "plain"))


@pytest.mark.parametrize(("largest", "sizes"), [(5000, ["1000", "5000"]), (1000, ["1000"]), (40, ["40", "1000"])])
def test_per_feature_scripts_get_what_they_need(largest, sizes):
    run = _runner()
    corpus = Path("/corpora/narrow/corpus-5000")
    assert run.script_arguments("bench_preview.py", corpus, largest) == ["--sizes", *sizes]  # 1,000 and the largest
    assert run.script_arguments("bench_page_types.py", corpus, largest) == [str(corpus)]
    assert run.script_arguments("bench_search.py", corpus, largest) == []


def test_preview_bench_copies_the_given_corpus_for_its_size_and_generates_the_others(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_preview", REPO / "bench" / "bench_preview.py")
    preview = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(preview)
    given = tmp_path / "given"
    for path in ("notes/a.md", "notes/b.md", "case_studies/c.md", "notes/a.png", "marker.txt"):
        (given / path).parent.mkdir(parents=True, exist_ok=True)
        (given / path).write_text("x")
    monkeypatch.setenv("SMARTNOTES_BENCH_CORPUS", str(given))
    copied = preview.corpus_for(3, tmp_path / "work")
    assert (copied / "marker.txt").exists() and preview.publications(copied) == 3
    generated = preview.corpus_for(2, tmp_path / "work")
    assert not (generated / "marker.txt").exists() and preview.publications(generated) == 2
    assert (generated / "mkdocs.yml").exists()
