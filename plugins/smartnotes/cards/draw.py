"""A sharing card: 1200×630 PNG drawn with Pillow from plain text (issue 16, goal 6).

1200×630 is the size LinkedIn, X (``summary_large_image``) and Facebook
show a link's picture at (1.91:1). The card says what a reader would see
first on the page: the kind, the title (wrapped, shortened with "…" when
it would not fit), the date and the site's name, in the campaign's colours.

Fonts. Without any configured, the card uses the scalable font bundled in
Pillow's wheel (``ImageFont.load_default(size=…)``, Aileron Regular, FreeType),
so a machine with no system fonts draws the same card as any other. That
font covers basic Latin only: no "é", no dash, no Greek, Cyrillic, Arabic
or CJK. A text is drawn with the first font (``cards_fonts``, then Pillow's)
that has a glyph for every character; failing that, accented Latin letters
are written without their accents (``Côte`` → ``Cote``) and tried again;
a text that still cannot be drawn is left off the card, which then shows
the rest (never a row of empty boxes), and the build says which font to add.
Right-to-left text is shaped and ordered by Raqm when Pillow has it, and
right-aligned.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

# Part of every card's cache key: change it when a change here changes the pictures.
RENDERER_VERSION = "3"
WIDTH, HEIGHT = 1200, 630
MARGIN = 96
BUNDLED = ""  # the font name that means Pillow's bundled font
RAQM = features.check("raqm")

# Letters that Unicode does not decompose into a base letter and a mark.
_PLAIN_LATIN = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i", "ə": "e", "Ə": "E",
    "–": "-", "—": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-", "•": "·", "×": "x",
})


@dataclass(frozen=True)
class CardText:
    title: str
    kind: str  # "Smart Note"
    date: str  # "24 May 2012"
    site_name: str


@dataclass(frozen=True)
class Style:
    background: str = "#00695c"  # the campaign teal (theme/assets/stylesheets/smartnotes.css)
    text: str = "#ffffff"
    muted: str = "#e0f2f1"
    accent: str = "#ff6e40"  # the campaign orange


@dataclass(frozen=True)
class Drawn:
    png: bytes
    missing: tuple[str, ...]  # the texts left off the card: ("title",)
    plain: tuple[str, ...]  # the texts drawn without their accents


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    if path == BUNDLED:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC)


@lru_cache(maxsize=8)
def _notdef(path: str) -> tuple:
    return _signature(_font(path, 40), "\U0010fffd")  # a private-use code point no font draws


def _signature(font: ImageFont.FreeTypeFont, char: str) -> tuple:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=65536)
def has_glyph(path: str, char: str) -> bool:
    """Whether the font draws ``char`` as itself rather than as its "missing" box."""
    if char.isspace() or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return True  # spaces, joiners and marks draw nothing or ride on their letter
    return _signature(_font(path, 40), char) != _notdef(path)


def clean(text: str) -> str:
    """One line of text: control characters out, runs of white space as one space."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")
    return " ".join(unicodedata.normalize("NFC", text).split())


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LATIN))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def drawable(text: str, fonts: tuple[str, ...]) -> tuple[str, str, bool] | None:
    """(font, text to draw, accents dropped) for the first font that draws all of ``text``, or None."""
    for candidate, plain in ((text, False), (without_accents(text), True)):
        for path in fonts:
            if all(has_glyph(path, c) for c in set(candidate)):
                return path, candidate, plain
    return None


def is_rtl(text: str) -> bool:
    """The first strong character is right-to-left (Unicode bidi classes R and AL)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> tuple[list[str], bool]:
    """Lines no wider than ``width``: at spaces, inside a word only when it is wider than a line
    (as CJK text, written without spaces, always is). The second value says the text was cut."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if font.getlength(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than a line is broken where it must be
            if font.getlength(line + char) > width and line:
                lines.append(line)
                line = ""
            line += char
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last.rstrip() + "…") > width:
        last = last[:-1]
    kept[-1] = last.rstrip(" ,;:.-") + "…"
    return kept, True


# Title sizes from the largest, with the lines each may take: a short title is big,
# a long one smaller, a very long one cut at the smallest size.
TITLE_SIZES = ((76, 3), (62, 4), (50, 5))


def render(text: CardText, style: Style, fonts: tuple[str, ...]) -> Drawn:
    """The card as PNG bytes. ``fonts``: font files tried in order ("" is Pillow's own)."""
    image, missing, plain = draw_card(text, style, fonts)
    return Drawn(encode(image, style), missing, plain)


def draw_card(text: CardText, style: Style, fonts: tuple[str, ...]) -> tuple[Image.Image, tuple, tuple]:
    """The card's picture, and what it left out or wrote without accents. Fonts are shared
    objects: draw on one thread (``encode`` may run on several)."""
    fonts = (*fonts, BUNDLED) if BUNDLED not in fonts else fonts
    image = Image.new("RGB", (WIDTH, HEIGHT), style.background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 23, HEIGHT), fill=style.accent)
    missing, plain = [], []
    inner = WIDTH - 2 * MARGIN

    def pick(name: str, value: str, *, say_plain: bool = True) -> tuple[str, str] | None:
        """(font, text) to draw ``value`` with; a text no font draws is noted as left off."""
        value = clean(value)
        found = drawable(value, fonts) if value else None
        if found is None:
            if value:
                missing.append(name)
            return None
        path, value, dropped = found
        if dropped and value and say_plain:
            plain.append(name)
        return path, value

    def line(name: str, value: str, size: int, y: int, fill: str) -> None:
        if (found := pick(name, value)) is None:
            return
        path, value = found
        font = _font(path, size)
        lines, _ = wrap(value, font, inner, 1)
        _draw_line(draw, lines[0] if lines else "", font, y, fill)

    line("kind", text.kind.upper(), 34, 84, style.muted)
    draw.rectangle((MARGIN, 140, MARGIN + 96, 146), fill=style.accent)

    if (found := pick("title", text.title)) is not None:
        path, title = found
        for size, max_lines in TITLE_SIZES:
            font = _font(path, size)
            lines, cut = wrap(title, font, inner, max_lines)
            if not cut:
                break
        leading = round(size * 1.22)
        y = 182
        for row in lines:
            _draw_line(draw, row, font, y, style.text)
            y += leading

    draw.line((MARGIN, HEIGHT - 118, WIDTH - MARGIN, HEIGHT - 118), fill=style.muted, width=2)
    line("date", text.date, 32, HEIGHT - 90, style.muted)
    if (found := pick("site name", text.site_name, say_plain=False)) is not None:
        path, value = found
        font = _font(path, 32)
        room = inner - 48 - (font.getlength(clean(text.date)) if drawable(clean(text.date), fonts) else 0)
        rows, _ = wrap(value, font, int(room), 1)
        value = rows[0] if rows else ""
        draw.text((WIDTH - MARGIN - font.getlength(value, **_direction(value)), HEIGHT - 90), value, font=font,
                  fill=style.text, **_direction(value))
    return image, tuple(missing), tuple(plain)


def encode(image: Image.Image, style: Style) -> bytes:
    """PNG of one byte per pixel: every pixel of a card is the background, one of its colours or a
    blend of the two at a glyph's edge, so a fixed palette of those blends (``palette``) holds it
    with no visible change, 2.5 times smaller than RGB. Mapping to a known palette takes a
    quarter of the time of finding one (``quantize(64)``)."""
    out = io.BytesIO()
    image.quantize(palette=palette(style), dither=Image.Dither.NONE).save(out, "PNG", compress_level=6)
    return out.getvalue()


BLENDS = 21  # steps from the background to each colour, both ends included: at most 7/255 off


@lru_cache(maxsize=8)
def palette(style: Style) -> Image.Image:
    """The background blended into the text, muted and accent colours, ``BLENDS`` steps each."""
    background = ImageColor.getrgb(style.background)
    colours = []
    for name in (style.text, style.muted, style.accent):
        colour = ImageColor.getrgb(name)
        colours += [round(b + (c - b) * step / (BLENDS - 1)) for step in range(BLENDS)
                    for b, c in zip(background, colour)]
    holder = Image.new("P", (1, 1))
    holder.putpalette(colours + [0] * (768 - len(colours)))
    return holder


def _direction(text: str) -> dict:
    return {"direction": "rtl"} if RAQM and is_rtl(text) else {}


def _draw_line(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, y: int, fill: str) -> None:
    x = MARGIN
    if is_rtl(text):  # right-aligned, as the page is
        x = WIDTH - MARGIN - font.getlength(text, **_direction(text))
    draw.text((x, y), text, font=font, fill=fill, **_direction(text))


def font_identity(path: str) -> str:
    """What a cache key needs to know of a font: its bytes' digest (Pillow's own: Pillow's version)."""
    import hashlib
    import PIL

    if path == BUNDLED:
        return f"pillow-{PIL.__version__}"
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def renderer_identity() -> str:
    import PIL

    return f"{RENDERER_VERSION}/pillow-{PIL.__version__}/raqm-{RAQM}"


def readable_font(path: str) -> bool:
    try:
        _font(path, 40)
    except OSError:
        return False
    return True
