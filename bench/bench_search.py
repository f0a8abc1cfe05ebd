"""Search benchmark (issue 5): Pagefind over generated corpora of publications.

For each size (1,000 and 10,000 by default) it generates a seeded corpus of
Smart Notes and case studies (400-1,200-word bodies, skewed tags, countries,
authors), builds the site with ``mkdocs build`` and reports:

- what the index adds to the build: the same site built with search and
  with ``search_enabled: false`` (wall, CPU, peak memory), against an
  ordinary Material build of the same pages (no smartnotes plugin); the bar
  is: the index adds at most half of the plain build's time.  Pagefind runs
  beside the build (``core/search.py``), so what it adds is less than the
  CPU it takes;
- the index size: files, bytes, bytes gzipped;
- per typical query, the bytes Chromium fetches from ``pagefind/`` from the
  first keystroke until the first results are on screen, gzipped as a static
  host serves them (Pagefind's index files are gzip already); the bar is
  <= 300 KB at 10,000.

    .venv/bin/python bench/bench_search.py [--sizes 1000 10000] [--keep DIR] [--no-browser]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pycountry


REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))
from run import TreeMemory  # noqa: E402  (the same memory measure as make bench)


SEED = 20120524
KB = 1024

DOMAIN_WORDS = """client protection microfinance borrower loan repayment transparency pricing
over-indebtedness complaint mechanism staff training collection practices privacy data fair
respectful treatment responsible finance assessment certification network association member
institution savings credit insurance rural women entrepreneurs interest rate disclosure
consumer regulator policy principles campaign social performance management board governance
mission outreach poverty household income portfolio risk crisis response recovery
restructuring default arrears incentives product design appropriate delivery channels mobile
banking agents digital literacy financial education survey interviews study findings results
practice example lessons learned implementation toolkit guidance standards audit evaluation
benchmark indicators reporting investors funders donors partners cooperative bank nonbank
village groups solidarity lending individual micro small medium enterprise agriculture
livelihood health emergency fund reserve capital liquidity growth market competition""".split()
COMMON_WORDS = """the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their has would when
if so no will more can out up who about what some time only new other its also into than
them could these two may first then do any like my now over such our most even made after
many must before years where much through back should well people because very between
while each during those both being under same last another""".split()
TOPICS = """client protection|transparency|responsible pricing|over-indebtedness|complaint
handling|data privacy|fair treatment|collection practices|staff incentives|social performance
management|networks and associations|crisis response|financial education|digital finance|
mobile money|women's economic empowerment|rural finance|agricultural lending|staff with
disabilities|product design|consumer protection regulation|certification|investor due
diligence|governance|savings|microinsurance|housing finance|youth finance|refugee
finance|climate resilience|green microfinance|credit bureaus|interest rate caps|market
saturation|multiple borrowing|loan officer training|client feedback|impact measurement|
graduation programmes|group lending""".replace("\n", " ").split("|")


@functools.lru_cache(maxsize=None)
def _zipf_cum_weights(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(n)))


def zipf_pick(rng: random.Random, items: list, s: float = 1.1):
    return rng.choices(items, cum_weights=_zipf_cum_weights(len(items), s), k=1)[0]


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "ba", "zo", "pe", "ti", "gu", "an",
                 "or", "el", "is", "um", "ex"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Corpus:
    def __init__(self, size: int, seed: int = SEED):
        rng = random.Random(seed)
        self.size = size
        self.rng = rng
        self.vocabulary = DOMAIN_WORDS + COMMON_WORDS + pseudo_words(rng, 20000)
        rng.shuffle(self.vocabulary)
        # Common words and domain words first: Zipf gives them the head.
        self.vocabulary = COMMON_WORDS + DOMAIN_WORDS + [w for w in self.vocabulary
                                                         if w not in set(COMMON_WORDS + DOMAIN_WORDS)]
        self.cum_weights = list(itertools.accumulate(1 / (r + 1) ** 1.05 for r in range(len(self.vocabulary))))
        self.countries = [c.alpha_2 for c in sorted(pycountry.countries, key=lambda c: c.alpha_2)]
        rng.shuffle(self.countries)
        self.countries = self.countries[:120]
        first = pseudo_words(random.Random(seed + 1), 80)
        last = pseudo_words(random.Random(seed + 2), 80)
        self.authors = {f"author-{i:03d}": f"{first[i].title()} {last[i].title()}" for i in range(80)}
        self.organizations = [f"Synthetic MFI {i:04d}" for i in range(400)]

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=n)

    def body(self) -> str:
        total = self.rng.randint(400, 1200)
        paragraphs, done = [], 0
        while done < total:
            n = min(self.rng.randint(40, 120), total - done)
            words = self.words(n)
            paragraphs.append(" ".join(words).capitalize() + ".")
            done += n
        return "\n\n".join(paragraphs)

    def publications(self):
        rng = self.rng
        for i in range(self.size):
            collection = "case_studies" if rng.random() < 0.3 else "notes"
            year = rng.randint(2005, 2025)
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            title_words = " ".join(self.words(rng.randint(4, 9))).capitalize()
            country = zipf_pick(rng, self.countries)
            title = f"{title_words} in {pycountry.countries.get(alpha_2=country).name} ({i})"
            front = {
                "title": title,
                "date": date,
                "authors": sorted({zipf_pick(rng, list(self.authors)) for _ in range(rng.randint(1, 2))}),
                "summary": " ".join(self.words(30)).capitalize() + ".",
                "tags": sorted({zipf_pick(rng, TOPICS, 1.2) for _ in range(rng.randint(1, 4))}),
                "countries": sorted({country} | {zipf_pick(rng, self.countries) for _ in range(rng.randint(0, 1))}),
                "organizations": [zipf_pick(rng, self.organizations, 0.9)],
            }
            yield collection, f"pub-{i:05d}", front, self.body()


def write_project(root: Path, corpus: Corpus, search: bool = True) -> None:
    for folder in ("content", "notes", "case_studies"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "content" / "index.md").write_text("---\ntemplate: home.html\n---\n# Home\n", encoding="utf-8")
    (root / "content" / "about.md").write_text("# About\n\nA generated corpus.\n", encoding="utf-8")
    (root / "content" / "authors.yml").write_text(
        "".join(f"{key}:\n  name: {name}\n" for key, name in corpus.authors.items()), encoding="utf-8")
    for collection, slug, front, body in corpus.publications():
        (root / collection / f"{slug}.md").write_text(
            f"---\n{json.dumps(front, ensure_ascii=False)}\n---\n\n{body}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Search benchmark
        site_url: https://example.org/
        docs_dir: content
        exclude_docs: |
          authors.yml
        theme:
          name: material
          custom_dir: {REPO / 'theme'}
        plugins:
          - smartnotes:
              search_enabled: {'true' if search else 'false'}
        """), encoding="utf-8")


def write_plain_material_project(root: Path, corpus: Corpus) -> None:
    """The same publications as ordinary Markdown pages out of the nav, Material with its default
    plugins (its own search) and nothing of ours, as in ``run.py``.

    In the nav, every page would list all 10,000 and the build would grow with N squared.
    """
    (root / "docs").mkdir(parents=True, exist_ok=True)  # --keep DIR may hold a previous run
    for collection, slug, front, body in corpus.publications():
        (root / "docs" / f"{slug}.md").write_text(f"# {front['title']}\n\n{body}\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Plain\nsite_url: https://example.org/\ntheme:\n  name: material\n"
                                     "nav: [index.md]\nnot_in_nav: /pub-*.md\n", encoding="utf-8")


@dataclass
class Build:
    wall: float  # seconds
    cpu: float  # seconds, the build and Pagefind under it
    peak_mib: float  # MkDocs and Pagefind together (run.TreeMemory)
    stages: dict


def run_build(root: Path, site: Path) -> Build:
    timings = root / "timings.json"
    timings.unlink(missing_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SMARTNOTES_TIMINGS": str(timings)}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
                                cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
        memory = TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        peak_kib = max(memory.stop(), usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) != 0:
            output.seek(0)
            raise SystemExit(output.read().decode())
    return Build(elapsed, usage.ru_utime + usage.ru_stime, peak_kib / KB,
                 json.loads(timings.read_text()) if timings.exists() else {})


def gzipped_size(data: bytes) -> int:
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def bundle_size(folder: Path) -> tuple[int, int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), sum(gzipped_size(p.read_bytes()) for p in files)


def bytes_to_first_result(site: Path, queries: list[str]) -> dict[str, tuple[int, int, int, float]]:
    """Per query: requests, bytes as stored, bytes gzipped, and seconds to the first result.

    Counts what Chromium requested from pagefind/ (the page and Pagefind's web
    worker) from typing the query on a fresh page until the search box showed
    its first result (performance mark "sn-search:first-result"; request
    start times and the mark compared in epoch milliseconds), each sized from
    the file served and gzipped as a static host would (Pagefind's index
    files are gzip already).
    """
    from conftest import CHROMIUM, CHROMIUM_ARGS, serve_directory
    from playwright.sync_api import sync_playwright

    url, server = serve_directory(site)
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for query in queries:
                context = browser.new_context()  # cold cache for each query
                page = context.new_page()
                page.goto(url + "about/")
                requests = []
                context.on("request", lambda r: requests.append(r) if "/pagefind/" in r.url else None)
                typed = page.evaluate("performance.timeOrigin + performance.now()")
                page.locator("[data-sn-search] input").fill(query)
                page.wait_for_function(
                    "q => document.querySelector('[data-sn-search]').dataset.query === q"
                    " && document.querySelector('.sn-search__item')", arg=query, timeout=300000)
                page.wait_for_timeout(500)  # let the events of requests in flight arrive
                shown = page.evaluate("performance.timeOrigin"
                                      " + performance.getEntriesByName('sn-search:first-result')[0].startTime")
                names = [urlsplit(r.url).path for r in requests if r.timing["startTime"] <= shown]
                files = [(site / name.lstrip("/")).read_bytes() for name in names]
                results[query] = (len(files), sum(map(len, files)), sum(map(gzipped_size, files)),
                                  (shown - typed) / 1000)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def bench(size: int, work: Path, browser: bool) -> None:
    corpus = Corpus(size)
    print(f"\n== {size:,} publications ==")
    root, bare_root, plain_root = (work / f"{name}-{size}" for name in ("site", "no-search", "plain-material"))
    write_project(root, corpus)
    write_project(bare_root, Corpus(size), search=False)
    write_plain_material_project(plain_root, Corpus(size))
    site = root / "site"
    # Alternating, so the machine's drift hits all three alike.
    ours, bare, plain = (run_build(r, r / "site") for r in (root, bare_root, plain_root))
    for name, b in (("with search", ours), ("search_enabled: false", bare),
                    ("plain MkDocs + Material", plain)):
        print(f"build, {name:34} {b.wall:6.1f} s wall, {b.cpu:6.1f} s CPU, peak {b.peak_mib:5.0f} MiB (all processes)")
    print("stages with search: " + ", ".join(f"{k} {v:.1f}s" for k, v in sorted(ours.stages.items())))
    added, added_cpu = ours.wall - bare.wall, ours.cpu - bare.cpu
    verdict = "OK" if added <= plain.wall / 2 else "OVER"
    print(f"the index adds {added:5.1f} s wall = {added / plain.wall:.0%} of the plain build (bar <= 50%: {verdict}); "
          f"CPU {added_cpu:.1f} s = {added_cpu / plain.cpu:.0%} of the plain build's; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    pages = sum(language["page_count"] for language in entry["languages"].values())
    files, raw, packed = bundle_size(bundle)
    print(f"index: {pages:,} pages, {files:,} files, {raw / KB / KB:.1f} MB, {packed / KB / KB:.1f} MB gzipped "
          f"(index chunks: {len(list((bundle / 'index').iterdir()))}, "
          f"filter files: {len(list((bundle / 'filter').iterdir()))}, "
          f"fragments: {len(list((bundle / 'fragment').iterdir()))})")

    if browser:
        country = pycountry.countries.get(alpha_2=corpus.countries[10]).name
        queries = [country, "client protection", list(corpus.authors.values())[5], corpus.vocabulary[3000],
                   "transparency pricing disclosure"]
        worst = 0
        for query, (requests, stored, packed, seconds) in bytes_to_first_result(site, queries).items():
            worst = max(worst, packed)
            print(f"query {query!r:33} {requests:3d} requests, {stored / KB:6.1f} KB as stored, "
                  f"{packed / KB:6.1f} KB gzipped to the first result, shown after {seconds:4.1f} s")
        if size >= 10000:
            print(f"worst query: {worst / KB:.1f} KB gzipped (bar <= 300 KB: {'OK' if worst <= 300 * KB else 'OVER'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--no-browser", action="store_true", help="skip the bytes-per-query measurement")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for size in args.sizes:
            bench(size, work, not args.no_browser)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
