"""Page rendering by page type: how much of the page phase each kind of page takes (issue 16).

    python bench/bench_page_types.py bench/out/n5000   # a corpus from bench/generate.py

Builds the corpus once in this process with MkDocs's own page step timed
per page, and prints seconds and pages per type as JSON: publications,
term pages (a topic, country, organisation or author, each of their pages),
collection and year listings (each of their pages), taxonomy indexes, the
rest. "pages" is MkDocs's whole page step (Markdown, plugins' page events,
the template, writing the file); the share of a type is of that sum.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from time import perf_counter

TAXONOMIES = ("tags", "countries", "organizations", "authors")
COLLECTIONS = ("notes", "case-studies")


def page_type(url: str) -> str:
    parts = [p for p in url.removesuffix("index.html").split("/") if p]
    if not parts:
        return "home"
    if parts[0] in TAXONOMIES:
        return "taxonomy index" if len(parts) == 1 else "term"
    if parts[0] in COLLECTIONS:
        if len(parts) == 1 or parts[1] == "page" or re.fullmatch(r"\d{4}", parts[1]):
            return "collection/year listing"
        return "publication"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder bench/generate.py wrote")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    seconds: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    original = mkdocs_build._build_page

    def timed(page, *rest, **named):
        start = perf_counter()
        try:
            return original(page, *rest, **named)
        finally:
            kind = page_type(page.file.dest_uri)
            seconds[kind] += perf_counter() - start
            count[kind] += 1

    mkdocs_build._build_page = timed
    os.chdir(args.corpus)
    with tempfile.TemporaryDirectory() as site:
        config = load_config(str(args.corpus / "mkdocs.yml"), site_dir=site)
        start = perf_counter()
        mkdocs_build.build(config)
        wall = perf_counter() - start
    total = sum(seconds.values())
    print(json.dumps({
        "build_seconds": round(wall, 2), "pages_seconds": round(total, 2),
        "by_type": {k: {"pages": count[k], "seconds": round(seconds[k], 2), "share": round(seconds[k] / total, 3)}
                    for k in sorted(seconds, key=seconds.get, reverse=True)},
    }, indent=2))


if __name__ == "__main__":
    sys.exit(main())
