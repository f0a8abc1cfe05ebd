"""Time and peak memory of every "Have you read?" list (issue 3: 10,000 in <= 2 s).

Generates a seeded corpus in memory (nothing is written): skewed tags,
countries, organisations and authors (Zipf-like, one tag on most
publications, as "client protection" is), 400-1,200-word bodies drawn from
a shared Zipfian vocabulary plus a topic vocabulary, some publications
untagged.  Then builds every list with ``build_related`` and prints the
wall and CPU time (without tracemalloc, which slows Python down; CPU time
is steadier on a shared machine; it includes the word-counting helper
process and the second thread) and, in a second run, the peak memory traced
in this process (NumPy's buffers included; not the helper's).

    .venv/bin/python bench/bench_related.py            # 1,000, 5,000, 10,000
    .venv/bin/python bench/bench_related.py 20000
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from smartnotes.content.model import Author, Publication, RelatedRef, Term  # noqa: E402
from smartnotes.related.index import RelatedOptions  # noqa: E402
from smartnotes.related.links import build_related  # noqa: E402
from smartnotes.content.settings import DEFAULT_COLLECTIONS  # noqa: E402

SYLLABLES = "ka lo mi re su ta ne vi do pa ri se mo lu ga fe ni ho be tu ra".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (k ** s) for k in range(1, n + 1)]


def generate(n: int, seed: int = 3) -> list[Publication]:
    rng = random.Random(seed)
    vocabulary = sorted({_word(rng) for _ in range(30000)})
    rng.shuffle(vocabulary)
    vocab_weights = list(itertools.accumulate(_zipf_weights(len(vocabulary), 1.05)))
    topics = [rng.sample(vocabulary[2000:], 40) for _ in range(max(20, n // 40))]
    tags = ["client protection"] + [f"topic {_word(rng)}" for _ in range(400)]
    countries = [f"Country {_word(rng).title()}" for _ in range(120)]
    organizations = [f"Org {_word(rng).title()}" for _ in range(max(50, n // 4))]
    authors = [Author(f"author-{i}", f"Author {i}") for i in range(60)]
    tag_w, country_w, org_w, author_w = (_zipf_weights(len(x)) for x in (tags[1:], countries, organizations, authors))
    start = datetime(2010, 1, 1, tzinfo=timezone.utc)
    publications = []
    for i in range(n):
        topic = topics[rng.randrange(len(topics))]
        words = rng.choices(vocabulary, cum_weights=vocab_weights, k=rng.randint(400, 1200))
        words += rng.choices(topic, k=len(words) // 8)
        rng.shuffle(words)
        body = "\n\n".join(" ".join(words[j:j + 80]) + "." for j in range(0, len(words), 80))
        untagged = rng.random() < 0.15
        pub_tags = set() if untagged else set(rng.choices(tags[1:], tag_w, k=rng.randint(1, 4)))
        if not untagged and rng.random() < 0.7:
            pub_tags.add(tags[0])
        collection = DEFAULT_COLLECTIONS[0 if rng.random() < 0.8 else 1]
        related = ()
        if publications and rng.random() < 0.2:  # editors pick one or two earlier ones for a fifth
            picks = rng.sample(publications, min(len(publications), rng.randint(1, 2)))
            related = tuple(RelatedRef(line=10 + k, target=p.source_path) for k, p in enumerate(picks))
        publications.append(Publication(
            source_path=f"{collection.folder}/p{i:05d}.md", collection=collection, slug=f"p{i:05d}",
            title=" ".join(rng.sample(topic, 3) + rng.choices(vocabulary[:3000], k=3)).capitalize(),
            date=start + timedelta(hours=rng.randrange(15 * 365 * 24)), body=body,
            summary=" ".join(words[:40]),
            authors=tuple(rng.choices(authors, author_w, k=1)),
            terms=(*(Term("tag", t, t.replace(" ", "-")) for t in sorted(pub_tags)), *(() if untagged else (
                Term("country", c, c.lower().replace(" ", "-")) for c in {*rng.choices(countries, country_w, k=1)})),
                *(() if untagged else (Term("organization", o, o.lower().replace(" ", "-"))
                  for o in {*rng.choices(organizations, org_w, k=rng.randint(0, 2))}))),
            related=related,
        ))
    return publications


def measure(n: int) -> None:
    publications = generate(n)
    words = sum(len(p.body.split()) for p in publications)
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    options = RelatedOptions()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time() + children_cpu()
    result = build_related(publications, now, options)
    seconds, cpu = time.perf_counter() - started, time.process_time() + children_cpu() - cpu
    filled = sum(len(v) for v in result.lists.values())
    empty = sum(1 for v in result.lists.values() if not v)
    del result
    gc.collect()
    tracemalloc.start()
    build_related(publications, now, options)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{n:>7,} publications ({words / n:,.0f} words each): {seconds:6.2f} s wall, {cpu:6.2f} s CPU, "
          f"peak {peak / 2**20:6.1f} MiB traced, {filled / n:.2f} entries each, {empty} with none", flush=True)


def children_cpu() -> float:
    """CPU seconds of the ended child processes (the word-counting helper from 4,000 publications)."""
    times = os.times()
    return times.children_user + times.children_system


def machine() -> str:
    """How busy and how fast this machine is right now, to read the numbers against."""
    started = time.process_time()
    counts: dict[int, float] = {}
    for i in range(2_000_000):
        counts[i & 1023] = counts.get(i & 1023, 0.0) + 0.5
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"machine: {os.cpu_count()} CPU(s), load average {load}; "
            f"reference loop (2M dict updates) {time.process_time() - started:.2f} s CPU")


if __name__ == "__main__":
    print(machine(), flush=True)
    for size in [int(a) for a in sys.argv[1:]] or [1000, 5000, 10000]:
        measure(size)
