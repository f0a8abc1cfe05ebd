"""Resolve curated ``related:`` entries, fill each list, and find backlinks.

``build_related`` is what other features call: it returns, for every shown
publication, the entries of its "Have you read?" (curated first, in the
order written, then suggestions from :class:`.related.RelatedIndex`), the
publications that list it in their ``related:`` ("Referenced in"), and the
problems found in the references.  The same lists feed the page template,
feeds and embeds (``RelatedEntry.as_dict``).
"""

from __future__ import annotations

import difflib
import hashlib
import posixpath
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import datetime
from typing import Callable, Iterable, NamedTuple

from ..content.model import Publication, RelatedRef
from ..content.problems import Problem
from ..runtime.workers import collector_paused
from .index import RelatedIndex, RelatedOptions, by_path
from .words import Counting, text_of

PATH_SUFFIXES = (".md", ".markdown")
GENERIC_FIX = "write a path such as 'notes/other.md' (from the project root or this file), a slug, or '{title: ..., url: https://...}'"


class RelatedEntry(NamedTuple):
    title: str
    url: str  # site-relative for a publication, absolute for an external link
    label: str = ""  # the publication's kind ("Smart Note"); "" for an external link
    date: datetime | None = None
    external: bool = False
    curated: bool = False
    score: float | None = None  # None for curated entries
    source_path: str = ""  # the publication's file; "" for an external link

    @classmethod
    def of(cls, publication: Publication, curated: bool = False, score: float | None = None) -> RelatedEntry:
        # Positional: keywords make the constructor ~2x slower, and this runs for every entry.
        return cls(publication.title, publication.url, publication.kind_label, publication.date,
                   False, curated, score, publication.source_path)

    def as_dict(self) -> dict:
        """Plain data for templates, feeds and embeds."""
        return {"title": self.title, "url": self.url, "label": self.label, "date": self.date,
                "external": self.external, "curated": self.curated, "score": self.score}


def related_json(entries: Iterable[RelatedEntry], absolute: Callable[[str], str]) -> list[dict]:
    """Entries as JSON data for feeds and embeds: absolute URLs, ISO dates.

    ``absolute`` turns a site-relative URL into an absolute one
    (``SiteSettings.absolute``).
    """
    return [
        {"title": e.title, "url": e.url if e.external else absolute(e.url), "kind": e.label or None,
         "date_published": e.date.isoformat() if e.date else None, "curated": e.curated}
        for e in entries
    ]


@dataclass
class RelatedResult:
    lists: dict[str, tuple[RelatedEntry, ...]] = field(default_factory=dict)  # publication URL -> entries
    backlinks: dict[str, tuple[RelatedEntry, ...]] = field(default_factory=dict)  # URL -> who lists it
    problems: list[Problem] = field(default_factory=list)
    index: RelatedIndex | None = None


class PublicationLookup:
    """Find a publication by path (from the root or from a file), site URL or slug."""

    def __init__(self, publications: Iterable[Publication]):
        self.all = sorted(publications, key=lambda p: p.source_path)
        self.by_path = {p.source_path: p for p in self.all}
        self.by_url = {p.url: p for p in self.all}
        self.by_slug: dict[str, list[Publication]] = {}
        for p in self.all:
            self.by_slug.setdefault(p.slug, []).append(p)

    def find(self, target: str, from_path: str = "") -> list[Publication]:
        """Every publication ``target`` can mean (one, or several for a shared slug, or none)."""
        target = target.strip()
        path = posixpath.normpath(target.lstrip("/"))
        if path in self.by_path:
            return [self.by_path[path]]
        if from_path and not target.startswith("/"):
            path = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))
            if path in self.by_path:
                return [self.by_path[path]]
        url = target.strip("/") + "/"
        if url in self.by_url:
            return [self.by_url[url]]
        if "/" in target or target.endswith(PATH_SUFFIXES):
            return []
        return list(self.by_slug.get(target, []))

    def nearest(self, target: str, among: Iterable[Publication], n: int = 3) -> list[str]:
        """Paths of the publications closest to ``target`` (did you mean), best first.

        Compares the reference's last part (without ``.md``) with each slug,
        and with the slug's start ("hiring-staff" for a long slug); the folder
        is left out, so a publication in another folder is found too.
        """
        stem = posixpath.splitext(posixpath.basename(target.strip().strip("/").casefold()))[0]
        ranked = []
        for p in among:
            slug = p.slug.casefold()
            score = max(
                difflib.SequenceMatcher(None, stem, slug).ratio(),
                difflib.SequenceMatcher(None, stem, slug[: len(stem)]).ratio() if len(stem) >= 4 else 0.0,
            )
            if score >= 0.6:
                ranked.append((-score, p.source_path))
        return [path for _, path in sorted(ranked)[:n]]


def resolve_curated(
    publication: Publication, lookup: PublicationLookup, now: datetime, check_visibility: bool = True
) -> tuple[list[RelatedEntry], list[Problem]]:
    """Curated entries in the order written, and a problem for each bad one (which is left out)."""
    if not publication.related:
        return [], []
    entries: list[RelatedEntry] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def problem(ref: RelatedRef, message: str, fix: str) -> None:
        problems.append(Problem(publication.source_path, ref.line, "related", message, fix))

    for ref in publication.related:
        if ref.is_external:
            if ref.url in seen:
                problem(ref, f"{ref.url!r} is listed twice", "remove one of the two entries")
                continue
            seen.add(ref.url)
            entries.append(RelatedEntry(ref.title, ref.url, external=True, curated=True))
            continue
        matches = lookup.find(ref.target, publication.source_path)
        if not matches:
            visible = (p for p in lookup.all if p.is_visible(now) and p is not publication)
            near = lookup.nearest(ref.target, visible)
            fix = f"did you mean {' or '.join(repr(p) for p in near)}?" if near else GENERIC_FIX
            problem(ref, f"{ref.target!r} is not a publication", fix)
            continue
        if len(matches) > 1:
            paths = ", ".join(p.source_path for p in matches)
            problem(ref, f"{ref.target!r} is the slug of several publications ({paths})",
                    "write the path of the one you mean, such as 'notes/other.md'")
            continue
        target = matches[0]
        if target.source_path == publication.source_path:
            problem(ref, f"{ref.target!r} is this publication itself",
                    "remove the entry: list other publications")
            continue
        if target.source_path in seen:
            problem(ref, f"{ref.target!r} is listed twice", "remove one of the two entries")
            continue
        seen.add(target.source_path)
        if check_visibility and target.draft:
            problem(ref, f"{ref.target!r} is a draft", "publish it first (remove 'draft: true') or remove the entry")
            continue
        if check_visibility and target.date > now:
            problem(ref, f"{ref.target!r} is not published yet (dated {target.date.date().isoformat()})",
                    "remove the entry until that date, or link something already published")
            continue
        entries.append(RelatedEntry.of(target, curated=True))
    return entries, problems


def build_related(
    publications: Iterable[Publication],
    now: datetime,
    options: RelatedOptions = RelatedOptions(),
    shown: Iterable[Publication] | None = None,
) -> RelatedResult:
    """Lists, backlinks and problems for every shown publication.

    ``publications``: everything loaded, drafts and future ones included, so a
    reference to one of them is explained rather than "not found".
    ``shown``: the publications that get a list (default: the published
    ones; ``mkdocs serve`` adds drafts).  Only published publications are
    ever suggested.  References are fully checked in shown publications; in
    the others (drafts at build time) only what is wrong whenever they are
    published (nothing found, itself, twice).
    """
    with collector_paused():
        return _build_related(list(publications), now, options, shown)


def _build_related(publications: list[Publication], now: datetime, options: RelatedOptions,
                   shown: Iterable[Publication] | None) -> RelatedResult:
    visible = [p for p in publications if p.is_visible(now)]
    shown = visible if shown is None else list(shown)
    shown_paths = {p.source_path for p in shown}
    # A second process may count words meanwhile (from ``HELPER_FROM`` publications): the
    # references are resolved while it does.
    counting = Counting(sorted(visible, key=by_path))  # the helper process (if any) starts now
    try:
        lookup = PublicationLookup(publications)
        all_problems: list[Problem] = []
        referenced: dict[str, list[Publication]] = {}
        queries: list[tuple[Publication, list[RelatedEntry]]] = []
        for publication in sorted(publications, key=by_path):
            curated, problems = resolve_curated(publication, lookup, now, publication.source_path in shown_paths)
            all_problems += problems
            if publication.source_path not in shown_paths:
                continue
            if publication.is_visible(now):
                for entry in curated:
                    if not entry.external:
                        referenced.setdefault(entry.url, []).append(publication)
            queries.append((publication, curated))
        index = RelatedIndex(visible, options, counted=counting)
    except BaseException:
        counting.stop()
        raise
    result = RelatedResult(problems=all_problems, index=index)
    # No duplicates in a list: suggestions skip what is curated. A backlink may
    # be suggested too ("Have you read?" is never empty for want of it); the
    # page then leaves it out of "Referenced in" (see ``backlinks_not_in``).
    excludes = [{e.source_path for e in curated if not e.external} for _, curated in queries]
    suggestions = index.suggest_each(
        [p for p, _ in queries], [max(0, options.count - len(curated)) for _, curated in queries], excludes
    )
    for (publication, curated), found in zip(queries, suggestions):
        result.lists[publication.url] = tuple(curated) + tuple(
            RelatedEntry.of(s.publication, score=s.score) for s in found
        )
    for url, sources in referenced.items():
        sources.sort(key=Publication.sort_key)
        result.backlinks[url] = tuple(RelatedEntry.of(p, curated=True) for p in sources)
    return result


def backlinks_not_in(backlinks: Iterable[RelatedEntry], shown: Iterable[RelatedEntry]) -> list[RelatedEntry]:
    """"Referenced in" entries that "Have you read?" does not already show."""
    urls = {entry.url for entry in shown}
    return [entry for entry in backlinks if entry.url not in urls]


_FIELDS_BUT_BODY = tuple(f.name for f in dataclass_fields(Publication) if f.name != "body")


def inputs_key(publications: Iterable[Publication], now: datetime, shown: Iterable[Publication]) -> str:
    """The digest of everything :func:`build_related` reads: every field of every publication but
    the body (of its authors, their ids: a name is in no list, only in ``explain``), of the body
    only the lead it counts words in (``words.TEXT_CHARS``), what is visible now and what is shown. The same key, the same lists (the preview keeps them between saves:
    an edit further down a body changes no "Have you read?")."""
    digest = hashlib.blake2b(digest_size=16)
    for publication in sorted(publications, key=by_path):
        digest.update(repr([getattr(publication, name) if name != "authors" else [a.id for a in publication.authors]
                            for name in _FIELDS_BUT_BODY]).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f%d\x1f" % publication.is_visible(now))
        digest.update(text_of(publication).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
    digest.update(repr(sorted(p.source_path for p in shown)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class RelatedPages:
    """"Have you read?" and "Referenced in" of one build, as template and feed data."""

    def __init__(self, options: RelatedOptions):
        self.options = options
        self.result = RelatedResult()
        self.lists: dict[str, list[dict]] = {}  # publication URL -> "Have you read?" entries
        self.backlinks: dict[str, list[dict]] = {}  # publication URL -> who lists it in `related:`
        self._extras: tuple[object, dict[str, dict]] = (None, {})  # (what they were made for, feed_extras)

    def build(self, publications: list[Publication], now: datetime, shown: Iterable[Publication]) -> None:
        self.result = build_related(publications, now, self.options, shown=shown)
        self.lists = {url: [e.as_dict() for e in entries] for url, entries in self.result.lists.items()}
        self.backlinks = {
            url: [e.as_dict() for e in backlinks_not_in(entries, self.result.lists.get(url, ()))]
            for url, entries in self.result.backlinks.items()
        }

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems

    def entries_of(self, url: str) -> list[dict]:
        return self.lists.get(url, [])

    def referenced_in_of(self, url: str) -> list[dict]:
        return self.backlinks.get(url, []) if self.options.backlinks else []

    def feed_extras(self, absolute: Callable[[str], str]) -> dict[str, dict]:
        """JSON Feed items carry their "Have you read?" list (a `_smartnotes` extension). Made once
        for the lists and the site's address (a build asks twice; the preview keeps the lists)."""
        key = (id(self.result), absolute(""))
        if self._extras[0] != key:
            self._extras = (key, {url: {"_smartnotes": {"related": related_json(entries, absolute)}}
                                  for url, entries in self.result.lists.items() if entries})
        return self._extras[1]
