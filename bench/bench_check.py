"""`smartnotes check` against a full build (issue 14: under 10% of the build's time at 1,000 publications).

Generates the seeded corpus of ``bench/generate.py``, then times, as a person runs them (each a fresh
process, imports included), ``mkdocs build`` of the corpus and ``smartnotes check`` of the same
project, and prints both times (the best of ``--runs``) and their ratio.

    .venv/bin/python bench/bench_check.py [--n 1000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from generate import write_corpus  # noqa: E402

TARGET = 0.10


def timed(args: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc


def measure(n: int, runs: int, out: Path) -> tuple[float, float]:
    write_corpus(n, 1, out)
    builds, checks = [], []
    for _ in range(runs):
        shutil.rmtree(out / "site", ignore_errors=True)
        seconds, proc = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], out)
        if proc.returncode:
            raise SystemExit(f"the build failed:\n{proc.stdout}{proc.stderr}")
        builds.append(seconds)
        seconds, proc = timed([sys.executable, "-m", "smartnotes", "check"], out)
        if proc.returncode:
            raise SystemExit(f"check failed:\n{proc.stdout}{proc.stderr}")
        checks.append(seconds)
    return min(builds), min(checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="publications in the corpus (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the best counts (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-check-"))
    try:
        build, check = measure(args.n, args.runs, out)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    ratio = check / build
    print(f"publications: {args.n}, best of {args.runs} run(s)")
    print(f"mkdocs build:     {build:7.2f} s")
    print(f"smartnotes check: {check:7.2f} s")
    print(f"ratio:            {ratio:7.1%} (target < {TARGET:.0%}: {'met' if ratio < TARGET else 'NOT met'})")
    return 0 if ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
