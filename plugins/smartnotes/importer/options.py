"""The importer's options (``import_*`` in mkdocs.yml): what goes where, and what is recognised."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.options import option

RULE_KINDS = ("category", "tag", "post_type")


@dataclass(frozen=True)
class ImportRule:
    """Posts with this category, tag or post type go to this collection (the first rule that matches)."""

    kind: str  # "category", "tag" or "post_type"
    value: str  # the category's or tag's name (or its slug), or the post type
    collection: str  # a collection's key

    def matches(self, categories: list[tuple[str, str, str]], post_type: str) -> bool:
        if self.kind == "post_type":
            return post_type == self.value
        domain = "category" if self.kind == "category" else "post_tag"
        wanted = self.value.casefold()
        return any(d == domain and wanted in (name.casefold(), nice.casefold()) for d, nice, name in categories)


def _rules(value, done) -> tuple[tuple[ImportRule, ...], list[str]]:
    example = "'- {category: Smart Notes, collection: notes}'"
    if not isinstance(value, list):
        return (), [f"{value!r} is not a list — write one {example} line per rule"]
    collections = [c.key for c in (done[""].collections if "" in done else ())] or ["notes", "case_studies"]
    rules, problems = [], []
    for index, item in enumerate(value):
        kinds = [k for k in RULE_KINDS if isinstance(item, dict) and k in item]
        if not isinstance(item, dict) or len(kinds) != 1 or set(item) != {kinds[0], "collection"}:
            problems.append(f"[{index}]: {item!r} is not a rule — write {example} (or tag: / post_type: "
                            "instead of category:)")
            continue
        if item["collection"] not in collections:
            problems.append(f"[{index}].collection: {item['collection']!r} is not a collection — one of "
                            f"{', '.join(map(repr, collections))}")
            continue
        rules.append(ImportRule(kinds[0], str(item[kinds[0]]), item["collection"]))
    return tuple(rules), problems


def _names(value, done) -> tuple[tuple[str, ...], list[str]]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return (), [f"{value!r} is not a list of names — write e.g. ['Example Microfinance Association']"]
    return tuple(v.strip() for v in value), []


@dataclass(frozen=True)
class ImportOptions:
    rules: tuple[ImportRule, ...] = option(
        (), "WordPress import: which posts go to which collection, the first matching rule wins "
        "({category: …, collection: …}, or tag: / post_type: instead of category:); other posts are skipped.",
        check=_rules)
    related_heading: str = option(
        "Have you read?", "WordPress import: the heading of a post's closing list of links to other posts, "
        "which becomes its related: entries.")
    organizations: tuple[str, ...] = option(
        (), "WordPress import: categories and tags that name organisations (they go to organizations:).",
        check=_names)
    countries: bool = option(
        True, "WordPress import: categories and tags that name a country go to countries:.")
