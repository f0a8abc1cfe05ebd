"""Sharing cards of one build: each publication's ``og:image``, rendered once and kept (issue 16, goal 6).

A publication's own ``image:`` is its picture. Every other publication gets
a card (``draw.py``) at ``<page>/card-<key>.png``, where the key is a digest
of everything that goes into the picture: the texts, the colours, the
fonts' bytes and the renderer's version. The same key is the card's file
name in the cache folder (``cards_cache_dir``, outside ``site/``), so a
build with nothing changed renders no card, only copies each from the
cache through the site writer; and a card whose title changed gets a new
address, which networks that keep a picture per address (LinkedIn, X,
Facebook) then fetch again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog.addresses import Claim
from ..catalog.listings import Catalog
from ..content.images import image_size
from ..content.model import Publication
from ..content.options import option
from ..content.settings import SiteSettings
from ..content.text import human_date
from ..runtime.output import SiteWriter
from ..runtime.workers import in_threads, usable_cpus
from . import draw

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Cards are drawn on the build's thread (FreeType faces are shared objects), then encoded on every CPU,
# two per CPU at a time: a drawn card holds 2 MB until it is encoded, and a batch of 32 raised the
# build's peak by 65 MiB at 1,000 publications (issue 15: our process adds nothing to Pagefind's
# peak), for no time saved (44.4 s and 44.7 s; one at a time: 57 s).
PER_CPU = 2


def _colour(value, done) -> tuple[str, list[str]]:
    if isinstance(value, str) and _COLOUR.fullmatch(value):
        return value, []
    return "", [f"{value!r} is not a colour written #rrggbb — e.g. '#00695c' (quote it: # starts a YAML comment)"]


def _fonts(value, done) -> tuple[tuple[str, ...], list[str]]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        return (), [f"{value!r} is not a list of font files — write e.g. [fonts/NotoSans-Regular.ttf]"]
    return tuple(value), []


@dataclass(frozen=True)
class CardOptions:
    """The ``cards_*`` options."""

    enabled: bool = option(True, "Give each publication without its own `image:` a sharing card (1200×630 PNG) "
                           "as its og:image (needs site_url).")
    cache_dir: str = option(".cache/smartnotes/cards", "Where cards are kept between builds (relative to "
                            "mkdocs.yml's folder, or absolute); a build renders only the cards not found there.")
    fonts: tuple[str, ...] = option([], "Font files (TrueType/OpenType, relative to mkdocs.yml's folder) tried "
                                    "before Pillow's bundled font, which has basic Latin only: add one for "
                                    "titles in other scripts.", check=_fonts)
    background: str = option(draw.Style.background, "The card's background colour.", check=_colour)
    text: str = option(draw.Style.text, "The colour of the title and the site's name.", check=_colour)
    muted: str = option(draw.Style.muted, "The colour of the kind, the date and the rule.", check=_colour)
    accent: str = option(draw.Style.accent, "The colour of the bar and the mark under the kind.", check=_colour)


@dataclass
class CardReport:
    rendered: int = 0
    from_cache: int = 0
    notes: list[str] = field(default_factory=list)  # what a card had to leave out, per file


class CardsStep:
    """The og:image of every publication; cards need absolute URLs, so without site_url there are none."""

    def __init__(self, settings: SiteSettings, options: CardOptions):
        self.settings, self.options = settings, options
        self.on = options.enabled and bool(settings.site_url)
        self.style = draw.Style(options.background, options.text, options.muted, options.accent)
        self.fonts = tuple(str(settings.root / path) for path in options.fonts)
        self.cache = settings.root / options.cache_dir
        self.cache_label = options.cache_dir  # as mkdocs.yml says it, for the build's report
        self._keys: dict[str, str] = {}
        self._identity: str | None = None

    def problems(self) -> list[str]:
        """Fonts that are not there or that FreeType cannot read (mkdocs.yml's problems)."""
        out = []
        for index, (path, written) in enumerate(zip(self.fonts, self.options.fonts)):
            if not Path(path).is_file():
                out.append(f"cards_fonts[{index}]: {written!r} is not a file — give the path of a .ttf or .otf "
                           "file, relative to mkdocs.yml")
            elif not draw.readable_font(path):
                out.append(f"cards_fonts[{index}]: {written!r} is not a font FreeType can read — give a .ttf or "
                           ".otf file")
        return out

    def text_of(self, publication: Publication) -> draw.CardText:
        return draw.CardText(publication.title, publication.kind_label, human_date(publication.date),
                             self.settings.site_name)

    def key(self, publication: Publication) -> str:
        """The digest of everything that goes into the card's picture."""
        if publication.url not in self._keys:
            if self._identity is None:
                self._identity = json.dumps([draw.renderer_identity(), [draw.font_identity(f) for f in self.fonts],
                                             list(vars(self.style).values())])
            text = self.text_of(publication)
            data = json.dumps([self._identity, text.title, text.kind, text.date, text.site_name], ensure_ascii=False)
            self._keys[publication.url] = hashlib.sha256(data.encode("utf-8")).hexdigest()
        return self._keys[publication.url]

    def card_path(self, publication: Publication) -> str:
        return f"{publication.url}card-{self.key(publication)[:16]}.png"

    def image_of(self, publication: Publication) -> dict | None:
        """The page's og:image: its own image, else its card (None when cards are off)."""
        if publication.image:
            width_height = _local_size(publication, self.settings)
            return {"url": self.settings.absolute(publication.image), "alt": publication.title,
                    **({"width": width_height[0], "height": width_height[1]} if width_height else {})}
        if not self.on:
            return None
        return {"url": self.settings.absolute(self.card_path(publication)), "width": draw.WIDTH,
                "height": draw.HEIGHT, "type": "image/png",
                "alt": f"{publication.kind_label}: {publication.title}"}

    def claims(self, catalog: Catalog) -> list[Claim]:
        if not self.on:
            return []
        return [Claim(self.card_path(p), f"the sharing card of {p.source_path}")
                for p in catalog.publications if not p.image]

    def write(self, catalog: Catalog, writer: SiteWriter) -> CardReport:
        """Each card into the site, rendered only when the cache does not have it."""
        report = CardReport()
        if not self.on:
            return report
        wanted = [p for p in catalog.publications if not p.image]
        missing = [p for p in wanted if not (self.cache / f"{self.key(p)}.png").is_file()]
        if missing:
            self.cache.mkdir(parents=True, exist_ok=True)
        size = PER_CPU * usable_cpus()
        for start in range(0, len(missing), size):
            batch = missing[start:start + size]
            drawn = [draw.draw_card(self.text_of(p), self.style, self.fonts) for p in batch]
            for publication, (_, left_out, plain), png in zip(batch, drawn, in_threads(
                    lambda image: draw.encode(image, self.style), [image for image, _, _ in drawn], usable_cpus())):
                self._keep(publication, png)
                report.rendered += 1
                report.notes += _notes(publication, left_out, plain)
        for publication in wanted:
            key, path = self.key(publication), self.card_path(publication)
            if not writer.unchanged(path, key, "sharing cards"):  # (the preview: the same card is there)
                writer.write(path, (self.cache / f"{key}.png").read_bytes(), "sharing cards", key)
        report.from_cache = len(wanted) - report.rendered
        return report

    def _keep(self, publication: Publication, png: bytes) -> None:
        target = self.cache / f"{self.key(publication)}.png"
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(png)
        os.replace(temporary, target)  # a build stopped midway leaves no half card in the cache


def _notes(publication: Publication, missing: tuple[str, ...], plain: tuple[str, ...]) -> list[str]:
    notes = []
    if missing:
        notes.append(f"{publication.source_path}: its sharing card leaves out the {' and '.join(missing)}: "
                     "no font has all its characters — add one that has them to cards_fonts in mkdocs.yml "
                     "(a Noto Sans font of the script)")
    if plain:
        notes.append(f"{publication.source_path}: its sharing card writes the {' and '.join(plain)} without "
                     "accents — add a font that has them to cards_fonts in mkdocs.yml")
    return notes


def _local_size(publication: Publication, settings: SiteSettings) -> tuple[int, int] | None:
    prefix = f"{publication.collection.prefix}/"
    if not publication.image.startswith(prefix):
        return None  # remote: its size is not known
    return image_size(settings.root / publication.collection.folder / publication.image[len(prefix):])
