"""Time every feed of a generated site of 10,000 publications (issue 4: <= 1 s).

Generates publications and their rendered ~5 KB body HTML in memory (headings
with permalinks, relative links to other publications, an image with srcset,
a same-page anchor, an external link), builds the catalog, then times what
the build does for feeds: choosing the feeds, making content absolute,
rendering RSS, Atom and JSON Feed, and writing the files.

    python bench/bench_feeds.py [--publications 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from time import perf_counter, process_time

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from smartnotes.catalog.listings import build_catalog  # noqa: E402
from smartnotes.feeds.render import FeedOptions, FeedRenderer, select_feeds  # noqa: E402
from smartnotes.content.model import Author, Download, Publication, Term  # noqa: E402
from smartnotes.runtime.output import SiteWriter  # noqa: E402
from smartnotes.content.settings import DEFAULT_COLLECTIONS, SiteSettings  # noqa: E402
from smartnotes.content.text import slugify  # noqa: E402

WORDS = ("client protection microfinance institution borrowers transparency pricing over-indebtedness "
         "complaints staff training assessment association members principles responsible finance "
         "fair treatment privacy data collection practices loans savings rural women").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body_html(rng: random.Random, slug: str, others: list[str]) -> str:
    parts = []
    for section in range(3):
        anchor = f"section-{section}"
        parts.append(f'<h2 id="{anchor}">Section {section}<a class="headerlink" href="#{anchor}" '
                     f'title="Permanent link">&para;</a></h2>')
        for _ in range(4):
            parts.append(f"<p>{' '.join(sentence(rng, 14) for _ in range(3))}</p>")
    parts.insert(2, f'<p>See also <a href="../{rng.choice(others)}/">a related note</a> and '
                    f'<a href="../../case-studies/{rng.choice(others)}/">a case study</a>, '
                    f'<a href="https://www.smartcampaign.org/">the campaign</a>, '
                    f'and <a href="#section-2">the last section</a>.</p>')
    parts.insert(6, f'<p><img alt="Chart" src="chart.png" srcset="chart.png 1x, chart@2x.png 2x"></p>')
    parts.insert(8, "<ul><li>Trainings</li><li>Materials</li><li>Assessments</li></ul>")
    return "\n".join(parts)


def corpus(count: int, seed: int = 4):
    rng = random.Random(seed)
    tz = timezone(timedelta(hours=-5))
    authors = {f"author-{i:02d}": Author(f"author-{i:02d}", f"Author {i:02d}") for i in range(60)}
    tags = [Term("tag", f"Topic {i:02d}", slugify(f"Topic {i:02d}")) for i in range(40)]
    countries = [Term("country", f"Country {i:02d}", slugify(f"Country {i:02d}")) for i in range(60)]
    orgs = [Term("organization", f"Organisation {i:03d}", slugify(f"Organisation {i:03d}")) for i in range(300)]
    start = datetime(2000, 1, 1, 9, 0, tzinfo=tz)
    publications, html_of = [], {}
    slugs = [f"publication-{i:05d}" for i in range(count)]
    for i, slug in enumerate(slugs):
        collection = DEFAULT_COLLECTIONS[0] if rng.random() < 0.7 else DEFAULT_COLLECTIONS[1]
        publication = Publication(
            source_path=f"{collection.folder}/{slug}.md", collection=collection, slug=slug,
            title=f"Publication {i}: {sentence(rng, 6)}", date=start + timedelta(hours=23 * i),
            body="", authors=tuple(rng.sample(list(authors.values()), rng.choice((1, 1, 2)))),
            summary=sentence(rng, 25),
            terms=(*rng.sample(tags, rng.choice((1, 2, 3))), rng.choice(countries), rng.choice(orgs)),
            download=Download(path=f"{collection.folder}/{slug}.pdf", url=f"{collection.prefix}/{slug}.pdf",
                              size=rng.randrange(50_000, 900_000)) if rng.random() < 0.5 else None,
        )
        publications.append(publication)
        html_of[publication.url] = body_html(rng, slug, slugs)
    return publications, authors, html_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publications", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=None, help="folder for the temporary site (default: the system's temp)")
    parser.add_argument("--full-content", default="site,collection",
                        help="kinds of feed whose items carry the whole body (the plugin's feeds_full_content)")
    args = parser.parse_args()
    publications, authors, html_of = corpus(args.publications)
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    settings = SiteSettings(root=Path("."), site_url="https://example.org/", site_name="Bench", now=now)
    catalog, _ = build_catalog(publications, DEFAULT_COLLECTIONS, authors, now)
    options = FeedOptions(description="Bench site", icon="assets/images/favicon.png",
                          full_content_kinds=tuple(args.full_content.split(",")))
    body_bytes = sum(len(h.encode()) for h in html_of.values()) / len(html_of)
    print(f"{len(publications)} publications, {len(catalog.listings)} listings, "
          f"body HTML {body_bytes / 1024:.1f} KB on average")
    runs = []  # (render wall, render CPU, write wall, write CPU)
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(dir=args.out) as site:
            wall, cpu = perf_counter(), process_time()
            feeds = select_feeds(catalog, settings, options)
            renderer = FeedRenderer(settings, options, html_of)
            outputs = renderer.render_all(feeds)
            rendered_wall, rendered_cpu = perf_counter(), process_time()
            writer = SiteWriter(Path(site))
            for path, data in outputs.items():
                writer.write(path, data, by="feeds")
            runs.append((rendered_wall - wall, rendered_cpu - cpu,
                         perf_counter() - rendered_wall, process_time() - rendered_cpu))
            size = sum(len(d) for d in outputs.values())
    feed_files = len(outputs) - (1 if options.stylesheet in outputs else 0)
    print(f"{len(feeds)} feeds x {len(options.formats)} formats = {feed_files} feed files, "
          f"{len(renderer._items)} distinct items, {size / 1e6:.1f} MB written")
    calibration = process_time()
    sum(range(10**7))  # a fixed amount of pure-Python work: compare machines and moments by it
    calibration = process_time() - calibration
    best = min(runs, key=lambda r: r[0] + r[2])
    print(f"render: {best[0]:.3f} s (CPU {best[1]:.3f} s); write: {best[2]:.3f} s (CPU {best[3]:.3f} s)")
    print(f"feeds: {best[0] + best[2]:.3f} s total, best of {args.repeat} (bar: 1.000 s); "
          f"worst {max(r[0] + r[2] for r in runs):.3f} s; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs; calibration sum(range(10**7)): CPU {calibration:.3f} s")
    if renderer.problems:
        print(f"{len(renderer.problems)} problem(s), first: {renderer.problems[0]}")


if __name__ == "__main__":
    main()
