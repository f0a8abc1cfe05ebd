"""Which pages ``smartnotes screenshots`` photographs: one of each page type (issue 16, goal 8).

Plain data from the catalog: the home page, the newest publication of each
collection, each collection's index and newest year, each taxonomy's index
and its first term, the search box open with results, an embed card, the
404 page and the about page. ``runtime/screenshots.py`` takes the pictures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..catalog.listings import Catalog
from ..content.taxonomies import Taxonomies

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}  # CSS pixels: a laptop, a common phone
SCHEMES = ("light", "dark")
# The two the README shows (.github/screenshots/): kept current with `smartnotes screenshots --readme`.
README_SHOTS = (("home", "desktop", "light"), ("publication-notes", "phone", "dark"))
README_FOLDER = ".github/screenshots"


@dataclass(frozen=True)
class Shot:
    name: str  # "home", "publication-notes", "tag", "search"…
    path: str  # site-relative: "", "notes/x/", "404.html"
    search: str = ""  # a word typed into the search box before the picture

    def file_name(self, size: str, scheme: str) -> str:
        return f"{self.name}-{size}-{scheme}.png"


def page_types(catalog: Catalog, taxonomies: Taxonomies, docs_dir: Path | None) -> list[Shot]:
    shots = [Shot("home", "")]
    for collection in catalog.collections:
        members = [p for p in catalog.publications if p.collection == collection]
        if members:
            shots.append(Shot(f"publication-{collection.key}", members[0].url))
        shots.append(Shot(f"collection-{collection.key}", collection.url))
        if members:
            shots.append(Shot(f"year-{collection.key}", collection.year_url(members[0].year)))
    for taxonomy in taxonomies:
        index = catalog.listing(taxonomy.url)
        if index is None:
            continue
        shots.append(Shot(f"{taxonomy.kind}-index", index.url))
        if index.children:
            shots.append(Shot(taxonomy.kind, index.children[0].url))
    if catalog.publications:
        newest = catalog.publications[0]
        shots.append(Shot("search", "", search=search_word(newest.title)))
        shots.append(Shot("embed-card", f"{newest.url}embed/"))
    shots.append(Shot("404", "404.html"))
    if docs_dir is not None and (docs_dir / "about.md").is_file():
        shots.append(Shot("about", "about/"))
    return shots


def search_word(title: str) -> str:
    """The longest word of a title: a query that finds at least that publication."""
    words = re.findall(r"\w+", title)
    return max(words, key=len) if words else "a"
