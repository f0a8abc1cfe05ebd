"""How the WordPress import scales with the export's size (issue 17: "a 50 MB export is fine").

    python bench/bench_import.py [--mb 5 50]

Builds a synthetic WXR export of about N MB from the test fixture's posts
(each copied with its own id, slug, link and guid, its body lengthened with
generated paragraphs), then runs `python -m smartnotes import wordpress
--dry-run` on it in a throwaway copy of this project's configuration, and
prints the wall time, CPU time and peak memory of that process, per size.
"""

from __future__ import annotations

import argparse
import copy
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.etree as etree

import words

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "wordpress" / "export.xml"
WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


def synthetic_export(target: Path, megabytes: float, seed: int = 1) -> int:
    """Write an export of about ``megabytes``; the number of posts in it."""
    rng = random.Random(seed)
    tree = etree.parse(str(FIXTURE))
    channel = tree.getroot().find("channel")
    posts = [i for i in channel.findall("item") if i.findtext(f"{WP}post_type") == "post"]
    for item in channel.findall("item"):
        channel.remove(item)
    vocabulary = [*words.NOUNS, *words.VERBS, *words.ADJECTIVES, *words.ADVERBS]
    count, size, base = 0, len(etree.tostring(tree)), 900_000
    while size < megabytes * 1_000_000:
        item = copy.deepcopy(posts[count % len(posts)])
        number = base + count
        slug = f"{item.findtext(f'{WP}post_name')}-{number}"
        item.find(f"{WP}post_id").text = str(number)
        item.find(f"{WP}post_name").text = etree.CDATA(slug)
        item.find("link").text = f"http://blog.smartnotes.example.org/2012/05/24/{slug}/"
        item.find("guid").text = f"http://blog.smartnotes.example.org/?p={number}"
        body = item.find(f"{CONTENT}encoded")
        extra = "\n\n".join(" ".join(rng.choices(vocabulary, k=rng.randint(40, 120))) for _ in range(rng.randint(3, 12)))
        body.text = etree.CDATA((body.text or "") + "\n\n" + extra)
        channel.append(item)
        size += len(etree.tostring(item))
        count += 1
    tree.write(str(target), encoding="UTF-8", xml_declaration=True)
    return count


def project(folder: Path) -> Path:
    for name in ("mkdocs.yml",):
        shutil.copy(REPO / name, folder / name)
    (folder / "content").mkdir()
    shutil.copy(REPO / "content" / "authors.yml", folder / "content" / "authors.yml")
    (folder / "notes").mkdir()
    (folder / "case_studies").mkdir()
    return folder


def run(megabytes: float) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(Path(tmp))
        export = root / "export.xml"
        posts = synthetic_export(export, megabytes)
        real_size = export.stat().st_size / 1_000_000
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "smartnotes", "import", "wordpress", str(export), "--dry-run"],
                              cwd=root, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"import failed ({proc.returncode}): {proc.stderr[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = after.ru_maxrss / 1024  # KiB on Linux: the largest child so far
        return f"| {real_size:.1f} MB | {posts:,} | {wall:.1f} s | {cpu:.1f} s | {peak:.0f} MiB |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5, 50])
    args = parser.parse_args()
    print("| export | posts | wall | CPU | peak memory (largest so far) |")
    print("|---|---|---|---|---|")
    for megabytes in sorted(args.mb):
        print(run(megabytes), flush=True)


if __name__ == "__main__":
    main()
