"""Write a deterministic synthetic corpus of N publications for benchmarks (issue 7).

    python bench/generate.py --n 1000 --seed 1 --out bench/out/n1000

writes a throwaway project: ``notes/`` and ``case_studies/`` in our front-matter
format (with PNG images and PDF downloads beside some publications),
``content/`` (home page and the 30 authors), and three configurations of the
same Markdown:

- ``mkdocs.yml``: our site, every feature on (the repository's mkdocs.yml with
  its theme folder, plugins and extensions, pointed at the corpus);
- ``mkdocs-plain.yml``: plain MkDocs + Material, the same files as ordinary
  pages kept out of the nav (``plain/`` links to the same folders);
- ``mkdocs-blog.yml``: Material's blog plugin + mkdocs-rss-plugin, the same
  posts converted to the blog's front matter in ``blog-docs/blog/posts/``.

The same seed gives the same bytes. All text comes from the word lists in
``words.py``; organisations and authors are made up.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

import words

REPO = Path(__file__).resolve().parents[1]
FIRST_DAY = date(2009, 1, 1)
DAYS = (date(2023, 12, 31) - FIRST_DAY).days  # fifteen years
AUTHOR_COUNT = 30
ORGANIZATION_COUNT = 300
SITE_TZ = ZoneInfo("America/New_York")  # dates without an offset are in the site's zone


@dataclass
class Item:
    index: int
    folder: str  # "notes" | "case_studies"
    slug: str
    title: str
    published: datetime  # aware
    date_text: str  # as written in our front matter
    authors: list[str]
    summary: str
    tags: list[str]
    countries: list[str]
    organizations: list[str]
    draft: bool
    has_image: bool
    has_pdf: bool
    related: list["Item"] = field(default_factory=list)
    blocks: list = field(default_factory=list)  # body, rendered per layout

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.slug}.md"


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


class Corpus:
    def __init__(self, n: int, seed: int):
        self.rng = random.Random(seed)
        self.n = n
        self.authors = self._authors()
        self.organizations = self._organizations()
        self.items = self._items()
        self._link()

    # -- people and organisations ------------------------------------------
    def _authors(self) -> dict[str, str]:
        pairs = [(f, l) for f in words.FIRST_NAMES for l in words.LAST_NAMES]
        chosen = self.rng.sample(pairs, AUTHOR_COUNT)
        return {f"{f}-{l}".lower(): f"{f} {l}" for f, l in chosen}

    def _organizations(self) -> list[str]:
        names: dict[str, str] = {}
        while len(names) < ORGANIZATION_COUNT:
            stem = "".join(self.rng.choices(words.SYLLABLES, k=self.rng.randint(2, 3))).capitalize()
            name = f"{stem} {self.rng.choice(words.ORGANIZATION_KINDS)} (synthetic)"
            names.setdefault(slug_of(name), name)
        return list(names.values())

    # -- text --------------------------------------------------------------
    def sentence(self) -> str:
        r = self.rng
        parts = [r.choice(words.DETERMINERS), r.choice(words.ADJECTIVES), r.choice(words.NOUNS),
                 r.choice(words.VERBS), r.choice(words.DETERMINERS), r.choice(words.NOUNS)]
        if r.random() < 0.6:
            parts += [r.choice(words.PREPOSITIONS), r.choice(words.DETERMINERS), r.choice(words.ADJECTIVES),
                      r.choice(words.NOUNS)]
        if r.random() < 0.3:
            parts.insert(3, r.choice(words.ADVERBS))
        text = " ".join("an" if word == "a" and parts[i + 1][0] in "aeiou" else word
                        for i, word in enumerate(parts))
        if r.random() < 0.2:
            return f"{r.choice(words.CONNECTORS)} {text}."
        return text[0].upper() + text[1:] + "."

    def paragraph(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def phrase(self, count: int) -> str:
        return " ".join(self.rng.choice(words.ADJECTIVES + words.NOUNS) for _ in range(count))

    def title(self, countries: list[str], organizations: list[str]) -> str:
        r = self.rng
        head = f"{r.choice(words.ADJECTIVES).capitalize()} {r.choice(words.NOUNS)} {r.choice(words.NOUNS)}"
        form = r.random()
        if form < 0.35 and organizations:
            return f"{head} at {organizations[0]}"
        if form < 0.6 and countries and len(countries[0]) > 2:
            return f"{head} in {countries[0]}"
        if form < 0.75:
            return f"Case in point: {head.lower()}"
        return f"{head} {r.choice(words.PREPOSITIONS)} {r.choice(words.NOUNS)}s"

    # -- publications ------------------------------------------------------
    def _items(self) -> list[Item]:
        r = self.rng
        author_ids = list(self.authors)
        author_weights = zipf_weights(len(author_ids), 0.8)
        tag_weights = zipf_weights(len(words.TAGS))
        country_weights = zipf_weights(len(words.COUNTRIES))
        organization_weights = zipf_weights(len(self.organizations), 0.9)
        items = []
        for index in range(self.n):
            folder = "case_studies" if r.random() < 0.2 else "notes"
            day = FIRST_DAY + timedelta(days=r.randrange(DAYS))
            published, date_text = self._date(day)
            countries = unique(r.choices(words.COUNTRIES, country_weights, k=r.choice((0, 1, 1, 1, 2, 3))))
            countries = [c for i, c in enumerate(countries) if slug_of(c) not in map(slug_of, countries[:i])]
            organizations = unique(r.choices(self.organizations, organization_weights, k=r.choice((0, 1, 1, 2))))
            title = self.title(countries, organizations)
            items.append(Item(
                index=index, folder=folder, slug=f"{slug_of(title)[:60].strip('-')}-{index:05d}", title=title,
                published=published, date_text=date_text,
                authors=unique(r.choices(author_ids, author_weights, k=r.choice((1, 1, 1, 2, 3)))),
                summary=self.paragraph(2) if r.random() < 0.8 else "",
                tags=unique(r.choices(words.TAGS, tag_weights, k=r.randint(1, 4))),
                countries=countries, organizations=organizations,
                draft=r.random() < 0.01, has_image=r.random() < 0.3, has_pdf=r.random() < 0.25,
            ))
        return items

    def _date(self, day: date) -> tuple[datetime, str]:
        form = self.rng.random()
        if form < 0.6:
            return datetime(day.year, day.month, day.day, tzinfo=SITE_TZ), day.isoformat()
        moment = datetime(day.year, day.month, day.day, self.rng.randrange(7, 20), self.rng.randrange(0, 60))
        if form < 0.85:  # a time in the site's time zone
            return moment.replace(tzinfo=SITE_TZ), moment.strftime("%Y-%m-%d %H:%M:%S")
        offset = timezone(timedelta(hours=self.rng.choice((-5, -3, 1, 2, 3, 5, 6))))
        aware = moment.replace(tzinfo=offset)
        return aware, aware.isoformat()

    def _link(self) -> None:
        r = self.rng
        by_date = sorted(self.items, key=lambda item: (item.published.astimezone(timezone.utc), item.index))
        published = [item for item in self.items if not item.draft]
        earlier: list[Item] = []
        for item in by_date:
            if earlier and len(earlier) % 4 == 1:  # a quarter of them, at any N
                item.related = unique(r.sample(earlier, min(len(earlier), r.randint(1, 3))))
            if not item.draft:
                earlier.append(item)
        for item in self.items:
            item.blocks = self._body(item, published)

    def item_files(self, item: Item) -> dict[str, bytes]:
        """The files beside a publication, by name (the same in every layout)."""
        files = {}
        if item.has_image:
            files[f"{item.slug}.png"] = png_bytes(item.index)
        if item.has_pdf:
            files[f"{item.slug}.pdf"] = pdf_bytes(item.title)
        return files

    def _body(self, item: Item, published: list[Item]) -> list:
        """The body as blocks; links are ("link", text, Item) so each layout writes its own paths."""
        r = self.rng
        target_words = r.randint(400, 1200)
        blocks: list = [("p", [self.paragraph(r.randint(3, 5))])]
        count = _words(blocks)
        links = [r.choice(published) for _ in range(r.randint(0, 3))] if published else []
        while count < target_words:
            blocks.append(("h2", self.phrase(r.randint(2, 4)).capitalize()))
            for _ in range(r.randint(1, 3)):
                parts: list = [self.paragraph(r.randint(2, 5))]
                if links and r.random() < 0.5:
                    other = links.pop()
                    parts += [" See ", ("link", other.title, other), " for more."]
                blocks.append(("p", parts))
            if r.random() < 0.4:
                blocks.append(("ul" if r.random() < 0.6 else "ol",
                               [self.sentence() for _ in range(r.randint(3, 6))]))
            if r.random() < 0.2:
                blocks.append(("h3", self.phrase(2).capitalize()))
                blocks.append(("p", [self.paragraph(r.randint(2, 4))]))
            count = _words(blocks)
        if item.has_image:
            blocks.insert(2, ("img", f"Figure: {self.phrase(3)}", f"{item.slug}.png"))
        for other in links:
            blocks.append(("p", ["Read also ", ("link", other.title, other), "."]))
        return blocks


def _words(blocks: list) -> int:
    total = 0
    for block in blocks:
        values = block[1] if isinstance(block[1], list) else [block[1]]
        total += sum(len(v.split()) for v in values if isinstance(v, str))
    return total


def unique(values: list) -> list:
    seen, result = set(), []
    for value in values:
        key = id(value) if isinstance(value, Item) else value
        if key not in seen:
            seen.add(key)
            result.append(value)
    return result


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


# -- Markdown ----------------------------------------------------------------
def render_body(blocks: list, link_path) -> str:
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            out.append("".join(part if isinstance(part, str) else f"[{part[1]}]({link_path(part[2])})"
                               for part in block[1]))
        elif kind in ("h2", "h3"):
            out.append(f"{'#' * int(kind[1])} {block[1]}")
        elif kind == "ul":
            out.append("\n".join(f"- {line}" for line in block[1]))
        elif kind == "ol":
            out.append("\n".join(f"{i}. {line}" for i, line in enumerate(block[1], 1)))
        elif kind == "img":
            out.append(f"![{block[1]}]({block[2]})")
    return "\n\n".join(out) + "\n"


def our_markdown(item: Item) -> str:
    lines = ["---", f"title: {q(item.title)}", f"date: {item.date_text}", f"authors: {flow(item.authors)}"]
    if item.summary:
        lines.append(f"summary: {q(item.summary)}")
    lines.append(f"tags: {flow(item.tags)}")
    if item.countries:
        lines.append(f"countries: {flow(item.countries)}")
    if item.organizations:
        lines.append("organizations:")
        lines += [f"  - {q(name)}" for name in item.organizations]
    if item.related:
        lines.append("related:")
        lines += [f"  - {other.path}" for other in item.related]
    if item.has_pdf:
        lines.append(f"download: {item.slug}.pdf")
    if item.has_image:
        lines.append(f"image: {item.slug}.png")
    if item.draft:
        lines.append("draft: true")
    lines.append("---")
    body = render_body(item.blocks, lambda other: f"../{other.path}")
    return "\n".join(lines) + "\n\n" + body


def blog_markdown(item: Item) -> str:
    """The same post in Material's blog format: naive UTC date, categories, slug."""
    moment = item.published.astimezone(timezone.utc).replace(tzinfo=None)
    lines = ["---", f"title: {q(item.title)}", f"date: {moment.strftime('%Y-%m-%d %H:%M:%S')}",
             f"slug: {item.slug}", "authors:"]
    lines += [f"  - {author}" for author in item.authors]
    lines.append("categories:")
    lines += [f"  - {q(tag)}" for tag in item.tags]
    if item.summary:
        lines.append(f"description: {q(item.summary)}")
    if item.has_image:
        lines.append(f"image: {item.slug}.png")
    if item.draft:
        lines.append("draft: true")
    lines.append("---")
    blocks = item.blocks[:1] + [("p", ["<!-- more -->"])] + item.blocks[1:]
    body = render_body(blocks, lambda other: f"{other.slug}.md")
    return "\n".join(lines) + "\n\n" + body


# -- binary files ----------------------------------------------------------------
def png_bytes(seed: int) -> bytes:
    """A 16x16 two-colour PNG, different for each seed."""
    width = height = 16
    colour = bytes(((seed * 53) % 256, (seed * 97) % 256, (seed * 31) % 256))
    rows = b"".join(b"\x00" + b"".join(colour if (x // 4 + y // 4) % 2 else b"\xff\xff\xff"
                                         for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def pdf_bytes(title: str) -> bytes:
    """A one-page PDF with the title, with a correct cross-reference table."""
    text = re.sub(r"[^A-Za-z0-9 ,.:-]", "", title)[:80]
    stream = f"BT /F1 14 Tf 72 720 Td (Synthetic benchmark document) Tj 0 -24 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- configurations --------------------------------------------------------------
class Tagged:
    """A YAML value with a tag we do not interpret (``!ENV``, ``!!python/name:``)."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader, suffix, node):
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    return Tagged(tag, loader.construct_mapping(node, deep=True))


def _represent_tagged(dumper, data: Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def dump(config: dict) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def plugin_name(entry) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def repo_config(repo: Path) -> dict:
    return yaml.load((repo / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def our_config(repo: Path, base: dict) -> dict:
    """The repository's site, every feature on, pointed at the corpus."""
    config = dict(base)
    config["docs_dir"] = "content"
    theme = dict(config.get("theme") or {"name": "material"})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((repo / theme["custom_dir"]).resolve())
    config["theme"] = theme
    for key in ("hooks",):
        if key in config:
            config[key] = [str((repo / p).resolve()) for p in config[key]]
    config.pop("watch", None)
    config.pop("site_dir", None)
    repo_docs = repo / base.get("docs_dir", "docs")
    if "nav" in config:
        config["nav"] = _prune_nav(config["nav"], lambda target: not (repo_docs / target).is_file()
                                   or target == "index.md")
    return config


def _prune_nav(nav, keep):
    """Drop the repository's own pages (about, writing guide) that the corpus has not."""
    result = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            children = _prune_nav(value, keep)
            if children:
                result.append({next(iter(entry)): children})
        elif not isinstance(value, str) or value.startswith(("http://", "https://")) or keep(value):
            result.append(entry)
    return result


def _material_base(base: dict) -> dict:
    theme = {k: v for k, v in (base.get("theme") or {}).items() if k != "custom_dir"}
    theme["name"] = "material"
    config = {key: base[key] for key in ("site_name", "site_description", "site_url", "copyright",
                                         "markdown_extensions") if key in base}
    config["theme"] = theme
    return config


def plain_config(base: dict) -> dict:
    config = _material_base(base)
    config["docs_dir"] = "plain"
    config["plugins"] = ["search"]
    config["nav"] = [{"Home": "index.md"}]
    config["not_in_nav"] = "/notes/\n/case_studies/\n"
    return config


def blog_config(base: dict) -> dict:
    config = _material_base(base)
    config["docs_dir"] = "blog-docs"
    config["plugins"] = [
        "search",
        {"blog": {"blog_dir": "blog", "authors_profiles": True, "post_readtime": True}},
        {"rss": {"match_path": "blog/posts/.*", "use_git": False,
                 "date_from_meta": {"as_creation": "date", "as_update": "date"},
                 "categories": ["categories"]}},
    ]
    config["nav"] = [{"Home": "index.md"}, {"Blog": ["blog/index.md"]}]
    return config


# -- writing ----------------------------------------------------------------------
def write_corpus(n: int, seed: int, out: Path, repo: Path = REPO, corpus: Corpus | None = None) -> None:
    """Write ``corpus`` (by default ``Corpus(n, seed)``) as a project into ``out``."""
    corpus = corpus or Corpus(n, seed)
    if out.exists():
        shutil.rmtree(out)
    files: dict[str, bytes] = {}
    for item in corpus.items:
        files[item.path] = our_markdown(item).encode()
        files[f"blog-docs/blog/posts/{item.slug}.md"] = blog_markdown(item).encode()
        for name, data in corpus.item_files(item).items():
            for folder in (item.folder, "blog-docs/blog/posts"):
                files[f"{folder}/{name}"] = data
    files["content/authors.yml"] = "".join(
        f"{author_id}:\n  name: {name}\n  role: Synthetic author (benchmark corpus)\n"
        for author_id, name in corpus.authors.items()).encode()
    files["content/index.md"] = (f"---\ntemplate: home.html\n---\n\n# Benchmark corpus\n\n"
                                 f"{n} synthetic publications (seed {seed}).\n").encode()
    files["plain/index.md"] = f"# Benchmark corpus\n\n{n} synthetic publications (seed {seed}).\n".encode()
    files["blog-docs/index.md"] = files["plain/index.md"]
    files["blog-docs/blog/index.md"] = b"# Blog\n"
    files["blog-docs/blog/.authors.yml"] = ("authors:\n" + "".join(
        f"  {author_id}:\n    name: {name}\n    description: Synthetic author\n"
        f"    avatar: https://example.org/avatars/{author_id}.png\n"
        for author_id, name in corpus.authors.items())).encode()
    base = repo_config(repo)
    repo_docs = repo / base.get("docs_dir", "docs")
    for path in sorted(repo_docs.rglob("*")):  # stylesheets, scripts, images the configuration may name
        if path.is_file() and path.suffix.lower() not in (".md", ".markdown") and path.name != "authors.yml":
            files.setdefault(f"content/{path.relative_to(repo_docs).as_posix()}", path.read_bytes())
    files["mkdocs.yml"] = dump(our_config(repo, base)).encode()
    files["mkdocs-plain.yml"] = dump(plain_config(base)).encode()
    files["mkdocs-blog.yml"] = dump(blog_config(base)).encode()
    for rel, data in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for folder in ("notes", "case_studies"):
        (out / folder).mkdir(exist_ok=True)
        (out / "plain" / folder).symlink_to(Path("..") / folder, target_is_directory=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of publications")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--repo", type=Path, default=REPO, help="project whose mkdocs.yml and theme to use")
    args = parser.parse_args(argv)
    write_corpus(args.n, args.seed, args.out, args.repo.resolve())
    print(f"wrote {args.n} publications (seed {args.seed}) to {args.out}")


if __name__ == "__main__":
    main()
