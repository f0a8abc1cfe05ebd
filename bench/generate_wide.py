"""A second benchmark corpus, unlike ``generate.py``'s (issue 15): wide vocabulary, many links and images.

    python bench/generate_wide.py --n 1000 --seed 1 --out bench/out/wide-1000

``generate.py`` draws every sentence from a hundred-odd English words, so
Pagefind's index, the related index's vocabulary and the feeds stay small
whatever N is. This corpus is the opposite on the axes that cost a build:

- a vocabulary of ``VOCABULARY`` synthetic words (syllables joined), drawn
  with a Zipf distribution, so every new page brings words no page had;
- bodies of 400-1,200 words, in longer paragraphs;
- many links: most publications name 2-6 earlier ones under ``related:``
  and link 3-10 others from the body;
- images: every publication has a PNG (its ``image:``) and 1-3 figures in
  the body, a JPEG of its own and the PNG again;
- 200 tags (the 48 of ``words.py`` and synthetic ones) instead of 48.

Everything else (authors, organisations, dates, drafts, the three
configurations, the folders) is ``generate.py``'s, so ``bench/run.py
--corpus wide`` builds it the same way. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import io
import random
from itertools import accumulate
from pathlib import Path

import generate
import words
from generate import Item, unique

VOCABULARY = 40_000
TAG_COUNT = 200
ONSETS = ("b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kl", "st", "tr")
VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "y")
CODAS = ("", "", "", "n", "r", "l", "s", "k", "m", "nd", "rt")


def synthetic_words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct lower-case words of 2-4 syllables (about 10^4 syllables to draw from)."""
    syllables = [o + v + c for o in ONSETS for v in VOWELS for c in CODAS]
    found: dict[str, None] = {}
    while len(found) < count:
        found.setdefault("".join(rng.choices(syllables, k=rng.choice((2, 2, 3, 3, 3, 4)))), None)
    return list(found)


class WideCorpus(generate.Corpus):
    def __init__(self, n: int, seed: int):
        rng = random.Random(f"wide-{seed}")
        self.vocabulary = synthetic_words(rng, VOCABULARY)
        self.cumulative = list(accumulate(generate.zipf_weights(VOCABULARY, 1.0)))
        self.tags = list(words.TAGS) + [f"{w} {v}" for w, v in zip(self.vocabulary[:TAG_COUNT - len(words.TAGS)],
                                                                    self.vocabulary[1000:])]
        super().__init__(n, seed)

    def draw(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    # -- text: synthetic words, with a few English ones to hold them together --
    def sentence(self) -> str:
        r = self.rng
        parts = self.draw(r.randint(6, 18))
        for _ in range(len(parts) // 5):
            parts.insert(r.randrange(1, len(parts)), r.choice(words.DETERMINERS + words.PREPOSITIONS))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def phrase(self, count: int) -> str:
        return " ".join(self.draw(count))

    def title(self, countries: list[str], organizations: list[str]) -> str:
        head = " ".join(self.draw(self.rng.randint(3, 6))).capitalize()
        if countries and len(countries[0]) > 2 and self.rng.random() < 0.3:
            return f"{head} in {countries[0]}"
        return head

    # -- publications: more tags, an image each, many links -----------------
    def _items(self) -> list[Item]:
        items = super()._items()
        tag_weights = generate.zipf_weights(len(self.tags), 0.9)
        for item in items:
            item.tags = unique(self.rng.choices(self.tags, tag_weights, k=self.rng.randint(2, 6)))
            item.has_image = True
        return items

    def _link(self) -> None:
        r = self.rng
        by_date = sorted(self.items, key=lambda item: (item.published.astimezone(generate.timezone.utc), item.index))
        published = [item for item in self.items if not item.draft]
        earlier: list[Item] = []
        for item in by_date:
            if earlier and r.random() < 0.7:
                item.related = unique(r.sample(earlier, min(len(earlier), r.randint(2, 6))))
            if not item.draft:
                earlier.append(item)
        for item in self.items:
            item.blocks = self._body(item, published)

    def _body(self, item: Item, published: list[Item]) -> list:
        r = self.rng
        target_words = r.randint(400, 1200)
        links = [r.choice(published) for _ in range(r.randint(3, 10))] if published else []
        blocks: list = [("p", [self.paragraph(r.randint(2, 4))])]
        count = generate._words(blocks)
        while count < target_words:
            blocks.append(("h2", self.phrase(r.randint(2, 4)).capitalize()))
            for _ in range(r.randint(1, 3)):
                parts: list = [self.paragraph(r.randint(2, 6))]
                if links and r.random() < 0.6:
                    other = links.pop()
                    parts += [" See ", ("link", other.title, other), "."]
                blocks.append(("p", parts))
            if r.random() < 0.3:
                blocks.append(("ul", [self.sentence() for _ in range(r.randint(3, 6))]))
            count = generate._words(blocks)
        figures = [f"{item.slug}.jpg"] + [f"{item.slug}.png"] * r.randint(0, 2)
        for number, name in enumerate(figures):
            at = min(len(blocks), 2 + number * max(1, len(blocks) // len(figures)))
            blocks.insert(at, ("img", f"Figure {number + 1}: {self.phrase(3)}", name))
        for other in links:
            blocks.append(("p", ["Read also ", ("link", other.title, other), "."]))
        return blocks

    def item_files(self, item: Item) -> dict[str, bytes]:
        return {**super().item_files(item), f"{item.slug}.jpg": jpeg_bytes(item.index)}


def jpeg_bytes(seed: int) -> bytes:
    """A 32x24 JPEG in one colour, different for each seed (Pillow, which Material's imaging uses)."""
    from PIL import Image

    colour = ((seed * 53) % 256, (seed * 97) % 256, (seed * 31) % 256)
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, "JPEG", quality=75)
    return out.getvalue()


def write_corpus(n: int, seed: int, out: Path, repo: Path = generate.REPO) -> None:
    generate.write_corpus(n, seed, out, repo, WideCorpus(n, seed))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of publications")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--repo", type=Path, default=generate.REPO, help="project whose mkdocs.yml and theme to use")
    args = parser.parse_args(argv)
    write_corpus(args.n, args.seed, args.out, args.repo.resolve())
    print(f"wrote {args.n} publications (seed {args.seed}, wide vocabulary) to {args.out}")


if __name__ == "__main__":
    main()
