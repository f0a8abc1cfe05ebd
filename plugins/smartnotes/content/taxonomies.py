"""The registry of taxonomies: every fact about a kind of term, stated once.

A taxonomy groups publications by a front-matter field: topics (``tags:``),
countries, organisations, authors. Its entry says which field it reads, where
its pages live, what they are called, how feeds word it, whether partners can
embed its lists, whether the search box filters by it, and how much sharing
one of its terms counts towards "Have you read?". Front-matter validation,
the catalog's listings, feeds, embeds, search and the templates all read this
table, so a site adds a taxonomy with one entry under the plugin's
``taxonomies:`` option (``regions:`` with pages at ``/regions/<slug>/``):

    taxonomies:
      - {kind: region, field: regions, prefix: regions, title: Regions, label: Region}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Iterator, Literal

from .problems import did_you_mean

Values = Literal["terms", "countries", "authors"]
KIND = re.compile(r"^[a-z][a-z_]*$")
PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$")


@dataclass(frozen=True)
class Taxonomy:
    kind: str
    """Singular key in listings, feeds, search filters and related signals: `tag`."""
    field: str
    """The front-matter field that lists a publication's terms: `tags`."""
    prefix: str
    """URL prefix: the index at /<prefix>/, a term at /<prefix>/<slug>/."""
    title: str
    """Title of the index page (plural): `Topics`."""
    label: str
    """One term's kind (singular), as term pages and feeds name it: `Topic`."""
    about: str = "about"
    """Feed wording between a collection and a term: `Smart Notes on transparency`."""
    values: Values = "terms"
    """What a value is: free `terms`, `countries` (ISO 3166 names) or `authors` (ids of the authors registry)."""
    embeddable: bool = False
    """Partners can embed the latest publications of each term (`embed/<prefix>/<slug>.json`)."""
    search_filter: int = 0
    """Position of its menu among the search box's filters; 0: no menu."""
    related_weight: float = 1.0
    """Points for sharing one rare term of it, in "Have you read?" (option `related_weights`)."""

    def term_url(self, slug: str) -> str:
        return f"{self.prefix}/{slug}/"

    @property
    def url(self) -> str:
        return f"{self.prefix}/"


TAG = Taxonomy("tag", "tags", "tags", "Topics", "Topic", about="on", embeddable=True, search_filter=2)
COUNTRY = Taxonomy("country", "countries", "countries", "Countries", "Country", values="countries",
                   embeddable=True, search_filter=1, related_weight=0.5)
ORGANIZATION = Taxonomy("organization", "organizations", "organizations", "Organisations", "Organisation")
AUTHOR = Taxonomy("author", "authors", "authors", "Authors", "Author", about="by", values="authors",
                  search_filter=3, related_weight=0.5)
BUILT_IN = (TAG, COUNTRY, ORGANIZATION, AUTHOR)


@dataclass(frozen=True)
class Taxonomies:
    """The taxonomies of a site, in the order pages, feeds and signals list them."""

    all: tuple[Taxonomy, ...] = BUILT_IN

    def __iter__(self) -> Iterator[Taxonomy]:
        return iter(self.all)

    def of(self, kind: str) -> Taxonomy:
        return next(t for t in self.all if t.kind == kind)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(t.kind for t in self.all)

    @property
    def of_terms(self) -> tuple[Taxonomy, ...]:
        """Those whose values are terms (every one but the authors)."""
        return tuple(t for t in self.all if t.values != "authors")

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(t.field for t in self.all)

    @property
    def embeddable(self) -> tuple[Taxonomy, ...]:
        return tuple(t for t in self.all if t.embeddable)

    @property
    def search_filters(self) -> tuple[Taxonomy, ...]:
        return tuple(sorted((t for t in self.all if t.search_filter), key=lambda t: t.search_filter))


TAXONOMY_KEYS = tuple(f.name for f in fields(Taxonomy))


def taxonomies_from_config(entries: list | None, reserved_fields: tuple[str, ...]) -> tuple[Taxonomies, list[str]]:
    """The built-in taxonomies plus a site's own (``taxonomies:`` in mkdocs.yml), and every
    problem with them as ``where: what — fix`` lines."""
    extra: list[Taxonomy] = []
    problems: list[str] = []
    taken = {t.kind: "kind" for t in BUILT_IN} | {t.field: "field" for t in BUILT_IN}
    prefixes = {t.prefix for t in BUILT_IN}
    for index, entry in enumerate(entries or ()):
        where = f"taxonomies[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: {entry!r} is not a mapping — write "
                            "'- {kind: region, field: regions, prefix: regions, title: Regions, label: Region}'")
            continue
        unknown = [k for k in entry if k not in TAXONOMY_KEYS]
        missing = [k for k in ("kind", "field", "prefix", "title", "label") if k not in entry]
        for key in unknown:
            problems.append(f"{where}: unknown key {key!r} — "
                            + (did_you_mean(key, TAXONOMY_KEYS) or f"known keys: {', '.join(TAXONOMY_KEYS)}"))
        if missing:
            problems.append(f"{where}: {', '.join(missing)} missing — every taxonomy needs kind, field, prefix, "
                            "title and label")
        if unknown or missing:
            continue
        values = {k: entry[k] for k in TAXONOMY_KEYS if k in entry}
        values.setdefault("values", "terms")
        bad = []
        if not isinstance(values["kind"], str) or not KIND.match(values["kind"]):
            bad.append(f"kind: {values['kind']!r} is not a lowercase word — e.g. 'region'")
        if not isinstance(values["field"], str) or not KIND.match(values["field"]):
            bad.append(f"field: {values['field']!r} is not a lowercase word — e.g. 'regions'")
        elif values["field"] in reserved_fields or values["field"] in taken:
            bad.append(f"field: {values['field']!r} is already a front-matter field — choose another name")
        if values.get("kind") in taken:
            bad.append(f"kind: {values['kind']!r} is already a taxonomy — choose another name")
        if not isinstance(values["prefix"], str) or not PREFIX.match(values["prefix"]):
            bad.append(f"prefix: {values['prefix']!r} is not a URL path — e.g. 'regions'")
        elif values["prefix"] in prefixes:
            bad.append(f"prefix: {values['prefix']!r} is another taxonomy's — choose another")
        if values["values"] != "terms":
            bad.append(f"values: {values['values']!r} — a site's own taxonomy lists free terms: leave 'values' out")
        for key in ("title", "label", "about"):
            if key in values and not (isinstance(values[key], str) and values[key].strip()):
                bad.append(f"{key}: {values[key]!r} is not a text")
        for key in ("embeddable",):
            if key in values and not isinstance(values[key], bool):
                bad.append(f"{key}: {values[key]!r} is not true or false")
        for key in ("search_filter", "related_weight"):
            value = values.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                bad.append(f"{key}: {value!r} is not a number >= 0")
        if bad:
            problems += [f"{where}.{message}" for message in bad]
            continue
        taxonomy = Taxonomy(**values)
        extra.append(taxonomy)
        taken |= {taxonomy.kind: "kind", taxonomy.field: "field"}
        prefixes.add(taxonomy.prefix)
    return Taxonomies(BUILT_IN + tuple(extra)), problems
