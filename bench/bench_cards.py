"""Sharing cards benchmark (issue 16, goal 6): what the og:image cards cost a build.

Generates a seeded corpus (``bench/generate.py``; about a third of its
publications have their own image and get no card), then builds it

- with cards off (``cards_enabled: false``),
- cold: cards on, empty cache (every card rendered),
- warm: cards on again, the same cache (no card rendered, each copied),

and prints the wall time of each build, the cards stage of the build's own
timer (``SMARTNOTES_TIMINGS``), how many cards were rendered, and their size.

    .venv/bin/python bench/bench_cards.py [--n 1000] [--seed 1] [--out /tmp/c1000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def variant(project: Path, name: str, **options) -> Path:
    """A copy of the corpus's mkdocs.yml with more options under the smartnotes plugin."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "smartnotes" in p)
    plugin["smartnotes"].update(options)
    path = project / f"mkdocs-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build(project: Path, config: Path, site: Path) -> dict:
    timings = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "SMARTNOTES_TIMINGS": str(timings), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                          cwd=project, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(proc.stdout + proc.stderr)
    stages = json.loads(timings.read_text())
    timings.unlink()
    return {"wall": wall, "cards": stages.get("cards", 0.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "smartnotes-bench-cards")
    args = parser.parse_args()

    if not (args.out / "mkdocs.yml").exists():
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--n", str(args.n), "--seed",
                        str(args.seed), "--out", str(args.out)], check=True)
    cache = args.out / ".cache-bench-cards"
    shutil.rmtree(cache, ignore_errors=True)
    site = args.out / "site-bench-cards"
    off = build(args.out, variant(args.out, "cards-off", cards_enabled=False), site)
    on = variant(args.out, "cards-on", cards_cache_dir=str(cache))
    cold = build(args.out, on, site)
    warm = build(args.out, on, site)

    cached = sorted(cache.glob("*.png"))
    in_site = [p for p in site.rglob("card-*.png") if re.fullmatch(r"card-[0-9a-f]{16}\.png", p.name)]
    sizes = [p.stat().st_size for p in cached]
    print(f"publications: {args.n} (seed {args.seed}); cards: {len(in_site)} in the site, {len(cached)} in the cache")
    print(f"build, cards off:          {off['wall']:6.1f} s")
    print(f"build, cold (all drawn):   {cold['wall']:6.1f} s   cards stage {cold['cards']:6.2f} s "
          f"({1000 * cold['cards'] / max(len(cached), 1):.1f} ms per card)")
    print(f"build, warm (none drawn):  {warm['wall']:6.1f} s   cards stage {warm['cards']:6.2f} s")
    if sizes:
        print(f"card size: {sum(sizes) / len(sizes) / 1024:.1f} KB mean, {min(sizes) / 1024:.1f}-{max(sizes) / 1024:.1f} KB; "
              f"{sum(sizes) / 1024 / 1024:.1f} MB in all")
    shutil.rmtree(site, ignore_errors=True)
    print(f"one card, drawn here on one thread: {cpu_per_card():.1f} ms CPU (what a shared machine's wall times hide)")


def cpu_per_card(count: int = 50) -> float:
    sys.path.insert(0, str(REPO / "plugins"))
    from smartnotes.cards import draw

    texts = [draw.CardText(f"Client protection in microfinance: what the {i}th association learned about "
                           "transparency and fair prices", "Smart Note", "May 24, 2012", "Smart Notes on Client "
                           "Protection") for i in range(count + 1)]
    draw.render(texts[0], draw.Style(), ())  # fonts loaded once
    start = time.process_time()
    for text in texts[1:]:
        draw.render(text, draw.Style(), ())
    return 1000 * (time.process_time() - start) / count


if __name__ == "__main__":
    main()
