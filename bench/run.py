"""Build the same synthetic corpora three ways and compare time and memory (issues 7 and 15).

    python bench/run.py --n 1000 5000          # what `make bench` runs: both corpora
    python bench/run.py --n 10000 --runs 3 --corpus wide
    python bench/run.py --n 1000 5000 --builds ours plain   # without Material's blog

Two corpora (``--corpus``, both by default): narrow, from ``generate.py``, and
wide, from ``generate_wide.py``. Each is measured in turn at every N, and at
every N it is built as

- ours:  our site, every feature on (the repository's mkdocs.yml);
- plain: plain MkDocs + Material, the same Markdown as pages out of the nav;
- blog:  Material's blog plugin + mkdocs-rss-plugin on the same posts;

``--runs`` times each, alternating (ours, plain, blog, ours, plain, blog, ...)
so the machine's drift hits all alike. Each build is its own process started
from a clean site folder; its wall time is measured here, and its peak memory
is that of the build and its child processes together (Pagefind runs beside
MkDocs), sampled from /proc, with the peak of each program (``python``,
``pagefind``) beside it. Our build also writes its
per-stage timings (``SMARTNOTES_TIMINGS``). One ``bench/RESULTS.md`` holds both
corpora: ours against plain side by side, issue 15's bars for each corpus and
N, then each corpus's tables, bars and stages, then the output of the
per-feature scripts. It is rewritten after every size, so a long run leaves
its finished sizes behind.

Per-feature scripts (``bench/bench_related.py``, ``bench_feeds.py``,
``bench_search.py`` and any other ``bench/*.py`` but this runner's own) run
once, from the project root, with ``SMARTNOTES_BENCH_CORPUS`` set to the
largest narrow corpus (a project folder with its ``mkdocs.yml``); what they
print is kept. ``bench_page_types.py`` is given that corpus as its argument,
and ``bench_preview.py`` ``--sizes 1000 N`` (N the largest): it generates
1,000 itself and copies the corpus for N.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from time import perf_counter

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
import generate_wide  # noqa: E402

CORPORA = {  # --corpus: which generator writes the publications
    "narrow": (generate.write_corpus, "`bench/generate.py` (seeded, synthetic, a hundred-odd English words)"),
    "wide": (generate_wide.write_corpus, "`bench/generate_wide.py` (seeded, 40,000 synthetic words, many links "
                                         "and images)"),
}

BUILDS = (  # name, configuration file in the corpus, what it stands for
    ("ours", "mkdocs.yml", "our site, every feature on"),
    ("plain", "mkdocs-plain.yml", "plain MkDocs + Material"),
    ("blog", "mkdocs-blog.yml", "Material blog + rss plugin"),
)
FEATURE_SCRIPTS = ("bench_related.py", "bench_feeds.py", "bench_search.py")  # expected; others found also run
OWN_SCRIPTS = ("generate.py", "generate_wide.py", "run.py", "words.py")
PREVIEW_AT = 1000  # bench_preview.py measures here and at the largest N (issue 15)
BARS_AT = 5000
# The bars of issue 7, at 5,000 publications.
MAX_OURS_OVER_PLAIN = 1.5
MIN_BLOG_OVER_OURS = 5.0
MAX_MEMORY_OVER_PLAIN = 2.0
MAX_GROWTH = 1.2  # time ratio / N ratio; 1.0 is linear
# The bars of issue 15, at 5,000 and 10,000 publications, on either corpus; memory at 5,000.
ISSUE_15_AT = (5000, 10000)
MAX_WALL_OVER_PLAIN_15, MAX_CPU_OVER_PLAIN_15 = 1.3, 1.6
MEMORY_15_AT, MAX_MEMORY_OVER_PLAIN_15 = 5000, 2.0
BUSY_CPU_SHARE = 0.8  # a build that got less CPU than this share of its wall time waited for other work


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the build process (and the processes it waited for)
    load: float  # the machine's 1-minute load average when the build started
    peak_kib: int  # ru_maxrss: the largest single process of the build (KiB on Linux)
    tree_peak_kib: int  # the build and its child processes (Pagefind) together, sampled
    program_peaks_kib: dict[str, int]  # the peak of each program of the build, by name
    returncode: int
    warnings: int
    pages: int  # HTML files written
    stages: dict[str, float]
    log: str


Results = dict[int, dict[str, list[Run]]]  # one corpus: N -> build -> its runs


def build_once(corpus: Path, config_file: str, site: Path, timings: Path | None) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("SMARTNOTES_TIMINGS", None)
    if timings is not None:
        timings.unlink(missing_ok=True)
        env["SMARTNOTES_TIMINGS"] = str(timings)
    log_path = site.with_name(site.name + ".log")
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config_file, "--site-dir",
               str(site)]
    with open(log_path, "w", encoding="utf-8") as log:
        start = perf_counter()
        process = subprocess.Popen(command, cwd=corpus, stdout=log, stderr=subprocess.STDOUT, env=env)
        sampler = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = perf_counter() - start
        tree_peak = sampler.stop()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    stages = json.loads(timings.read_text()) if timings is not None and timings.exists() else {}
    pages = sum(1 for _ in site.rglob("*.html")) if site.exists() else 0
    shutil.rmtree(site, ignore_errors=True)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, load, usage.ru_maxrss, max(tree_peak, usage.ru_maxrss), sampler.by_program,
               process.returncode, text.count("WARNING"), pages, stages, text)


class TreeMemory:
    """Peak resident memory of a process and its descendants together, sampled every 20 ms.

    ``ru_maxrss`` gives the largest single process; our build runs Pagefind
    beside MkDocs, and what the machine needs is both at once.
    """

    PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

    def __init__(self, pid: int):
        self.pid, self.peak, self._done = pid, 0, threading.Event()
        self.by_program: dict[str, int] = {}
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            total = 0
            for pid in self._tree(self.pid):
                rss = self._rss_kib(pid)
                total += rss
                try:
                    name = Path(f"/proc/{pid}/comm").read_text().strip()
                except OSError:
                    continue
                self.by_program[name] = max(self.by_program.get(name, 0), rss)
            self.peak = max(self.peak, total)

    def _tree(self, pid: int) -> list[int]:
        pids, i = [pid], 0
        while i < len(pids):
            try:
                for task in Path(f"/proc/{pids[i]}/task").iterdir():
                    pids.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
            i += 1
        return pids

    def _rss_kib(self, pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.PAGE_KIB
        except (OSError, IndexError, ValueError):
            return 0


def measure(ns: list[int], runs: int, seed: int, work: Path, after_size=None, corpus_kind: str = "narrow",
            builds: tuple[str, ...] = ("ours", "plain", "blog")) -> Results:
    results: Results = {}
    write_corpus = CORPORA[corpus_kind][0]
    for n in ns:
        corpus = work / f"corpus-{n}"
        start = perf_counter()
        write_corpus(n, seed, corpus, REPO)
        print(f"\nN={n}: corpus written to {corpus} in {perf_counter() - start:.1f} s", flush=True)
        results[n] = {name: [] for name, _, _ in BUILDS if name in builds}
        for round_ in range(1, runs + 1):
            for name, config_file, _ in BUILDS:
                if name not in builds:
                    continue
                timings = work / f"timings-{n}-{round_}.json" if name == "ours" else None
                run = build_once(corpus, config_file, work / f"site-{name}", timings)
                results[n][name].append(run)
                print(f"  run {round_}/{runs} {name:5}: {run.wall:7.2f} s  {run.cpu:7.2f} s CPU  "
                      f"{run.tree_peak_kib / 1024:7.0f} MiB ({programs_mib([run])})  load {run.load:.1f}  {run.pages} pages  exit {run.returncode}  {run.warnings} warnings", flush=True)
                if run.returncode != 0:
                    print(run.log[-3000:], file=sys.stderr)
                    raise SystemExit(f"the {name} build failed at N={n}: see the log above")
        if after_size is not None:
            after_size(results)
    return results


def profile(n: int, work: Path) -> Path:
    """Profile our build once with cProfile; returns the text report."""
    corpus = work / f"corpus-{n}"
    stats = work / f"profile-{n}.pstats"
    report = work / f"profile-{n}.txt"
    site = work / "site-profile"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "mkdocs", "build", "--quiet",
                    "--site-dir", str(site)], cwd=corpus, env=env, check=True)
    shutil.rmtree(site, ignore_errors=True)
    code = ("import pstats, sys; s = pstats.Stats(sys.argv[1], stream=sys.stdout); "
            "s.sort_stats('cumulative').print_stats(40); s.sort_stats('tottime').print_stats(25)")
    with open(report, "w", encoding="utf-8") as out:
        subprocess.run([sys.executable, "-c", code, str(stats)], stdout=out, check=True)
    return report


# -- summary ----------------------------------------------------------------------
def median_wall(runs: list[Run]) -> float:
    return statistics.median(r.wall for r in runs)


def median_cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu for r in runs)


def peak_mib(runs: list[Run]) -> float:
    """The build's processes together (MkDocs and Pagefind run at once)."""
    return max(r.tree_peak_kib for r in runs) / 1024


def programs_mib(runs: list[Run]) -> str:
    """The peak of each program (MkDocs runs as ``python``), largest first: "python 450, pagefind 1,100"."""
    peaks: dict[str, int] = {}
    for run in runs:
        for name, kib in run.program_peaks_kib.items():
            peaks[name] = max(peaks.get(name, 0), kib)
    return ", ".join(f"{name} {kib / 1024:,.0f}" for name, kib in sorted(peaks.items(), key=lambda i: -i[1]))


def summary_tables(results: Results) -> list[str]:
    lines = ["| N | build | median wall (s) | min-max (s) | median CPU (s) | peak memory, all processes (MiB) "
             "| peak of each program (MiB) | HTML files | warnings |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, by_name in results.items():
        for name, _, label in BUILDS:
            if name not in by_name:
                continue
            runs = by_name[name]
            lines.append(f"| {n:,} | {label} | {median_wall(runs):.2f} | {min(r.wall for r in runs):.2f}-"
                         f"{max(r.wall for r in runs):.2f} | {median_cpu(runs):.2f} | {peak_mib(runs):.0f} | {programs_mib(runs)} | {runs[0].pages:,} | "
                         f"{runs[0].warnings} |")
    lines += ["", "| N | ours / plain (wall) | blog+rss / ours (wall) | ours / plain (CPU) | blog+rss / ours (CPU) "
              "| ours / plain (memory) |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, by_name in results.items():
        ours, plain = (median_wall(by_name[k]) for k in ("ours", "plain"))
        ours_cpu, plain_cpu = (median_cpu(by_name[k]) for k in ("ours", "plain"))
        blog = f"{median_wall(by_name['blog']) / ours:.2f}x" if "blog" in by_name else "not run"
        blog_cpu = f"{median_cpu(by_name['blog']) / ours_cpu:.2f}x" if "blog" in by_name else "not run"
        lines.append(f"| {n:,} | {ours / plain:.2f}x | {blog} | {ours_cpu / plain_cpu:.2f}x | "
                     f"{blog_cpu} | {peak_mib(by_name['ours']) / peak_mib(by_name['plain']):.2f}x |")
    ns = list(results)
    if len(ns) > 1:
        small, large = ns[0], ns[-1]
        lines += ["", f"Growth from {small:,} to {large:,} (time ratio / N ratio; 1.00 is linear):", ""]
        for name, _, label in BUILDS:
            if name not in results[large] or name not in results[small]:
                continue
            growth = (median_wall(results[large][name]) / median_wall(results[small][name])) / (large / small)
            cpu = (median_cpu(results[large][name]) / median_cpu(results[small][name])) / (large / small)
            lines.append(f"- {label}: {growth:.2f} (CPU time: {cpu:.2f})")
    busy = [(n, name, r) for n, by_name in results.items() for name, runs in by_name.items() for r in runs
            if r.cpu < BUSY_CPU_SHARE * r.wall]
    if busy:
        worst = min(busy, key=lambda item: item[2].cpu / item[2].wall)
        lines += ["", f"The machine was busy: {len(busy)} of the builds got less than {BUSY_CPU_SHARE:.0%} of a core "
                  f"(the worst, {worst[1]} at {worst[0]:,}, {worst[2].cpu / worst[2].wall:.0%} at load "
                  f"{worst[2].load:.1f}), so wall-time ratios are skewed by other work; the CPU-time ratios are "
                  "the steadier comparison."]
    return lines


def stage_table(results: Results) -> list[str]:
    names = sorted({stage for by_name in results.values() for run in by_name["ours"] for stage in run.stages})
    lines = ["| N | " + " | ".join(names) + " | whole build (wall) |",
             "| ---: | " + " | ".join("---:" for _ in names) + " | ---: |"]
    for n, by_name in results.items():
        runs = by_name["ours"]
        cells = [f"{statistics.median(r.stages.get(s, 0.0) for r in runs):.2f}" for s in names]
        lines.append(f"| {n:,} | " + " | ".join(cells) + f" | {median_wall(runs):.2f} |")
    return lines


def issue_7_bars(results: Results) -> list[tuple[str, bool, str]]:
    """Issue 7's bars, at 5,000 (or the largest N): time and memory against plain, blog against ours, growth."""
    at = BARS_AT if BARS_AT in results else max(results)
    ours, plain, blog = (results[at].get(k) for k in ("ours", "plain", "blog"))
    bars = [
        (f"at {at:,}: ours at most {MAX_OURS_OVER_PLAIN}x plain (time)",
         median_wall(ours) <= MAX_OURS_OVER_PLAIN * median_wall(plain),
         f"{median_wall(ours) / median_wall(plain):.2f}x (CPU time: {median_cpu(ours) / median_cpu(plain):.2f}x)"),
    ]
    if blog:
        bars.append((f"at {at:,}: blog+rss at least {MIN_BLOG_OVER_OURS}x slower than ours",
                     median_wall(blog) >= MIN_BLOG_OVER_OURS * median_wall(ours),
                     f"{median_wall(blog) / median_wall(ours):.2f}x (CPU time: {median_cpu(blog) / median_cpu(ours):.2f}x)"))
    bars.append((f"at {at:,}: ours peak memory at most {MAX_MEMORY_OVER_PLAIN}x plain",
                 peak_mib(ours) <= MAX_MEMORY_OVER_PLAIN * peak_mib(plain),
                 f"{peak_mib(ours) / peak_mib(plain):.2f}x"))
    smaller = [n for n in results if n < at]
    if smaller:
        small = min(smaller)
        growth = (median_wall(ours) / median_wall(results[small]["ours"])) / (at / small)
        cpu = (median_cpu(ours) / median_cpu(results[small]["ours"])) / (at / small)
        bars.append((f"ours grows close to linearly from {small:,} to {at:,} (at most {MAX_GROWTH})",
                     growth <= MAX_GROWTH, f"{growth:.2f} (CPU time: {cpu:.2f})"))
    return bars


def issue_15_bars(results: Results) -> list[tuple[str, bool, str]]:
    """Issue 15's bars at the sizes they are set for that were measured: wall, CPU, and memory at 5,000."""
    bars = []
    for n in ISSUE_15_AT:
        if n not in results:
            continue
        ours, plain = results[n]["ours"], results[n]["plain"]
        bars.append((f"at {n:,}: wall time at most {MAX_WALL_OVER_PLAIN_15}x plain",
                     median_wall(ours) <= MAX_WALL_OVER_PLAIN_15 * median_wall(plain),
                     f"ours {median_wall(ours):.2f} s / plain {median_wall(plain):.2f} s = "
                     f"{median_wall(ours) / median_wall(plain):.2f}x"))
        bars.append((f"at {n:,}: CPU time at most {MAX_CPU_OVER_PLAIN_15}x plain",
                     median_cpu(ours) <= MAX_CPU_OVER_PLAIN_15 * median_cpu(plain),
                     f"ours {median_cpu(ours):.2f} s / plain {median_cpu(plain):.2f} s = "
                     f"{median_cpu(ours) / median_cpu(plain):.2f}x"))
        if n == MEMORY_15_AT:
            bars.append((f"at {n:,}: peak memory (all processes) at most {MAX_MEMORY_OVER_PLAIN_15}x plain",
                         peak_mib(ours) <= MAX_MEMORY_OVER_PLAIN_15 * peak_mib(plain),
                         f"ours {peak_mib(ours):,.0f} MiB / plain {peak_mib(plain):,.0f} MiB = "
                         f"{peak_mib(ours) / peak_mib(plain):.2f}x"))
    return bars


def side_by_side(measured: dict[str, Results]) -> list[str]:
    """Ours against plain MkDocs + Material: one row per corpus and N."""
    lines = ["| corpus | N | ours wall (s) | plain wall (s) | wall ratio | ours CPU (s) | plain CPU (s) | CPU ratio "
             "| ours peak, all processes (MiB) | plain peak, all processes (MiB) | memory ratio "
             "| ours, each program (MiB) | plain, each program (MiB) | HTML files ours / plain "
             "| load at start ours / plain |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |"]
    for kind, results in measured.items():
        for n, by_name in results.items():
            ours, plain = by_name["ours"], by_name["plain"]
            load = " / ".join(f"{statistics.median(r.load for r in runs):.1f}" for runs in (ours, plain))
            lines.append(
                f"| {kind} | {n:,} | {median_wall(ours):.2f} | {median_wall(plain):.2f} | "
                f"{median_wall(ours) / median_wall(plain):.2f}x | {median_cpu(ours):.2f} | {median_cpu(plain):.2f} | "
                f"{median_cpu(ours) / median_cpu(plain):.2f}x | {peak_mib(ours):,.0f} | {peak_mib(plain):,.0f} | "
                f"{peak_mib(ours) / peak_mib(plain):.2f}x | {programs_mib(ours)} | {programs_mib(plain)} | "
                f"{ours[0].pages:,} / {plain[0].pages:,} | {load} |")
    return lines


def issue_15_lines(measured: dict[str, Results]) -> list[str]:
    lines = [f"At {' and '.join(f'{n:,}' for n in ISSUE_15_AT)} publications, on each corpus: ours at most "
             f"{MAX_WALL_OVER_PLAIN_15}x plain MkDocs + Material in wall time and {MAX_CPU_OVER_PLAIN_15}x in CPU "
             f"time; at {MEMORY_15_AT:,}, peak memory (all processes) at most {MAX_MEMORY_OVER_PLAIN_15}x.", ""]
    for kind, results in measured.items():
        bars = issue_15_bars(results)
        lines += [f"- {kind} {text}: **{'met' if ok else 'not met'}** — {value}" for text, ok, value in bars]
        missing = [n for n in ISSUE_15_AT if n not in results]
        if missing:
            lines.append(f"- {kind} at {' and '.join(f'{n:,}' for n in missing)}: not run "
                         f"(sizes run: {', '.join(f'{n:,}' for n in results)}).")
    return lines


def feature_scripts(corpus: Path | None, largest: int) -> list[str]:
    """Run the per-feature benchmark scripts that exist, once each; their output goes in the results."""
    lines = []
    found = sorted(p.name for p in BENCH.glob("*.py") if p.name not in OWN_SCRIPTS + FEATURE_SCRIPTS)
    for name in FEATURE_SCRIPTS + tuple(found):
        script = BENCH / name
        arguments = script_arguments(name, corpus, largest)
        shown = [os.path.relpath(a, REPO) if corpus is not None and a == str(corpus) else a for a in arguments]
        lines += ["", f"### `bench/{' '.join([name, *shown])}`", ""]
        if not script.exists():
            lines.append("Not present on this branch: skipped.")
            continue
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        if corpus is not None:
            env["SMARTNOTES_BENCH_CORPUS"] = str(corpus)
        print(f"\nrunning bench/{name} {' '.join(arguments)}", flush=True)
        start = perf_counter()
        try:
            proc = subprocess.run([sys.executable, str(script), *arguments], cwd=REPO, env=env, capture_output=True,
                                  text=True, timeout=3600)
            output, code = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as exc:
            output, code = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or ""), "timeout"
        print(output, flush=True)
        lines += [f"Exit status {code}, {perf_counter() - start:.1f} s.", "", "```text", output.rstrip(), "```"]
    return lines


def script_arguments(name: str, corpus: Path | None, largest: int) -> list[str]:
    """What a script needs beyond SMARTNOTES_BENCH_CORPUS."""
    if name == "bench_page_types.py" and corpus is not None:
        return [str(corpus)]
    if name == "bench_preview.py":  # issue 15: save to served and reloaded at 1,000 and at the largest N
        return ["--sizes", *(str(n) for n in sorted({PREVIEW_AT, largest}))]
    return []


def machine(loads: dict[str, tuple[tuple[float, ...], tuple[float, ...] | None]]) -> list[str]:
    versions = ", ".join(f"{p} {_version(p)}" for p in ("mkdocs", "mkdocs-material", "mkdocs-rss-plugin"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip()
    nproc, cores = len(os.sched_getaffinity(0)), os.cpu_count()
    lines = [f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
             f"- Machine: {nproc} cores (`nproc` {nproc}{'' if nproc == cores else f' of {cores}'}), "
             f"{_memory_gib()} memory, "
             f"{platform.machine()}, {platform.system()} {platform.release()}",
             f"- Python {platform.python_version()}; {versions}; Pagefind {_pagefind_version()}; "
             f"commit {commit}{' with uncommitted changes' if changed else ''}"]
    if loads:
        def three(load):
            return " ".join(f"{x:.2f}" for x in load)
        lines.append("- Load average (1, 5, 15 minutes) before and after each corpus's builds: " + "; ".join(
            f"{kind} {three(before)} before, " + (f"{three(after)} after" if after else "still running")
            for kind, (before, after) in loads.items()))
    return lines


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _pagefind_version() -> str:
    binary = os.environ.get("PAGEFIND_BINARY_PATH")
    if not binary:
        return f"{_version('pagefind')} (`pagefind[bin]`)"
    try:
        said = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError as exc:
        said = f"does not run: {exc}"
    return f"{said or 'unknown'} (PAGEFIND_BINARY_PATH={binary})"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 ** 2:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def report(measured: dict[str, Results], runs: int, seed: int, features: list[str],
           loads: dict | None = None, profiles: dict[str, Path] | None = None) -> str:
    """The whole of RESULTS.md, every corpus measured so far."""
    ns = sorted({n for results in measured.values() for n in results})
    builds = sorted({name for results in measured.values() for by_name in results.values() for name in by_name},
                    key=[b[0] for b in BUILDS].index)
    options = f" --corpus {' '.join(measured)}"
    options += "" if len(builds) == len(BUILDS) else " --builds " + " ".join(builds)
    lines = ["# Benchmark results", "",
             f"Written by `python bench/run.py --n {' '.join(map(str, ns))} --runs {runs} --seed {seed}{options}`; "
             f"do not edit by hand. Every build is a clean `mkdocs build` in its own process, the builds "
             f"({', '.join(builds)}) alternating; each corpus is measured in turn at every N.", "",
             "- Corpora: " + "; ".join(f"**{kind}** is {CORPORA[kind][1]}" for kind in measured) + f". Seed {seed}.",
             *machine(loads or {}),
             "- Wall time is the build's from start to exit; CPU time is user + system of the build and of the "
             "processes it waited for (Pagefind); memory is the peak of all the build's processes together, "
             "sampled every 20 ms, with each program's own peak. Medians over the runs; memory is the largest.", "",
             "## Ours against plain MkDocs + Material", "", *side_by_side(measured), "",
             "## Bars of issue 15", "", *issue_15_lines(measured), "",
             "## Each corpus in detail", "",
             "In the stage tables, `pages` is the span from the first page MkDocs starts to the last page any plugin "
             "finishes (Markdown, templates and every plugin's per-page work, search included); the other stages "
             "run before or after it. Stages of features that nest inside `pages` are counted in both."]
    for kind, results in measured.items():
        lines += ["", f"### {kind.capitalize()} corpus: {CORPORA[kind][1]}", "", *summary_tables(results), "",
                  "Bars of issue 7:", ""]
        lines += [f"- {'PASS' if ok else 'FAIL'}: {text} — measured {value}"
                  for text, ok, value in issue_7_bars(results)]
        lines += ["", f"Stages of our build, {kind} corpus (median seconds):", "", *stage_table(results)]
        if profiles and kind in profiles:
            lines += ["", f"A cProfile report of our largest {kind} build is in `{profiles[kind]}` (not committed)."]
    lines += ["", "## Per-feature benchmarks", *features, ""]
    return "\n".join(lines)


def results_json(measured: dict[str, Results]) -> str:
    """Every run's numbers (but its log), by corpus, N and build."""
    return json.dumps({kind: {n: {name: [{k: v for k, v in vars(r).items() if k != "log"} for r in runs]
                                  for name, runs in by_name.items()} for n, by_name in results.items()}
                       for kind, results in measured.items()}, indent=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000], help="corpus sizes (default 1000 5000)")
    parser.add_argument("--runs", type=int, default=3, help="clean builds of each kind per size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=BENCH / "out", help="scratch folder (corpora, sites)")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--profile", action="store_true", help="also profile our build at the largest N")
    parser.add_argument("--skip-features", action="store_true", help="do not run bench/bench_*.py")
    parser.add_argument("--corpus", nargs="+", choices=list(CORPORA), default=list(CORPORA),
                        help="narrow: bench/generate.py; wide: bench/generate_wide.py (default: both, in turn)")
    parser.add_argument("--builds", nargs="+", choices=[b[0] for b in BUILDS], default=[b[0] for b in BUILDS],
                        help="which builds to time (ours and plain at least)")
    parser.add_argument("--json", type=Path, help="also write every run's numbers here")
    args = parser.parse_args(argv)
    if not {"ours", "plain"} <= set(args.builds):
        parser.error("--builds needs ours and plain (the ratios are ours / plain)")
    ns, corpora = sorted(set(args.n)), list(dict.fromkeys(args.corpus))
    work = args.work.resolve()
    measured: dict[str, Results] = {}
    loads: dict[str, tuple[tuple[float, ...], tuple[float, ...] | None]] = {}
    profiles: dict[str, Path] = {}

    def write(features: list[str]) -> str:
        text = report(measured, args.runs, args.seed, features, loads, profiles)
        args.results.write_text(text, encoding="utf-8")
        if args.json:
            args.json.write_text(results_json(measured), encoding="utf-8")
        return text

    for kind in corpora:
        (work / kind).mkdir(parents=True, exist_ok=True)
        loads[kind] = (os.getloadavg(), None)

        def partial(results: Results, kind: str = kind) -> None:  # a long run leaves its finished sizes behind
            measured[kind] = results
            write(["", f"Partial: corpora {', '.join(corpora)} at sizes {', '.join(map(str, ns))} were asked for; "
                       "this file is rewritten when the run ends."])

        measured[kind] = measure(ns, args.runs, args.seed, work / kind, partial, kind, tuple(args.builds))
        loads[kind] = (loads[kind][0], os.getloadavg())
        if args.profile:
            profiles[kind] = profile(max(ns), work / kind)
    shown = "narrow" if "narrow" in corpora else corpora[0]  # what the per-feature scripts are given
    corpus = work / shown / f"corpus-{max(ns)}"
    features = (["", "Skipped (--skip-features)."] if args.skip_features else
                ["", f"Each run once, after the builds, with `SMARTNOTES_BENCH_CORPUS` set to the {shown} corpus "
                     f"of {max(ns):,} publications.", *feature_scripts(corpus, max(ns))])
    text = write(features)
    print("\n" + text)
    print(f"\nwritten to {args.results}")


if __name__ == "__main__":
    main()
