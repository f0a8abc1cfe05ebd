"""Time the embeds stage on a generated corpus: python bench/embeds.py [N].

Prints the per-stage seconds of one `mkdocs build` of N generated notes and
the size of what embeds write. The corpus lives in a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from sites import write_site  # noqa: E402

TAGS = ["client protection", "transparency", "pricing", "over-indebtedness", "complaints", "privacy"]
COUNTRIES = ["Peru", "Kenya", "India", "Mexico", "Azerbaijan"]


def corpus(n: int) -> dict[str, str]:
    files = {}
    for i in range(n):
        tags = json.dumps([TAGS[i % len(TAGS)], TAGS[(i * 7) % len(TAGS)]])
        files[f"notes/generated-{i:05d}.md"] = (
            f"---\ntitle: Generated note {i}\ndate: {2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"
            f"authors: [maggie-long]\nsummary: Summary of generated note {i}.\ntags: {tags}\n"
            f"countries: [{COUNTRIES[i % len(COUNTRIES)]}]\n---\n\nBody of note {i}.\n"
        )
    return files


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = write_site(Path(tmp), corpus(n))
        timings = Path(tmp) / "timings.json"
        env = {**os.environ, "SMARTNOTES_TIMINGS": str(timings), "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True)
        stages = json.loads(timings.read_text())
        site = root / "site"
        written = [p for p in site.rglob("*") if p.is_file() and (
            "embed" in p.relative_to(site).parts or p.name in ("oembed.json", "_headers"))]
        print(f"publications: {n}")
        for name, seconds in sorted(stages.items()):
            print(f"stage {name}: {seconds:.3f} s")
        print(f"embed files: {len(written)}, {sum(p.stat().st_size for p in written) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
