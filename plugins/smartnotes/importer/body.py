"""A WordPress post's body as Markdown: paragraphs, shortcodes, links, then markdownify.

WordPress stores paragraphs as blank-line-separated text and adds ``<p>``
only on display (``wpautop``); :func:`autop` applies the same rules first.
Shortcodes WordPress itself ships become Markdown (``[caption]`` an image
with its caption, ``[embed]`` and a URL alone on a line a link, ``[gallery]``
its images); any other is left visible and reported. Links are rewritten by
the caller's ``rewrite(url) -> url`` (files and other posts); HTML becomes
Markdown with `markdownify <https://pypi.org/project/markdownify/>`_.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from markdownify import MarkdownConverter

MORE = re.compile(r"<!--more(.*?)?-->", re.I)
BLOCK = re.compile(r"^\s*<(?:/?)(?:p|div|ul|ol|li|h[1-6]|blockquote|table|thead|tbody|tr|td|th|pre|hr|figure|"
                   r"dl|dd|dt|address|section|form|iframe|object|hr)\b", re.I)
SHORTCODE = re.compile(r"\[(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\](?:(?P<inner>.*?)\[/(?P=name)\])?", re.S)
ATTR = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.M)
IMG = re.compile(r"<img\b[^>]*>", re.I)
# A body's last block: a heading (or a bold line) then one list.
CLOSING = re.compile(r"(?:<h[1-6][^>]*>|<p>\s*<(?:strong|b)>)(?P<heading>[^<]{1,200})(?:</h[1-6]>|</(?:strong|b)>"
                     r"\s*(?:</p>)?)\s*<(ul|ol)\b[^>]*>(?P<items>(?:(?!<(?:ul|ol)\b).)*?)</\2>\s*$", re.S | re.I)
TOKEN = "SNSHORTCODE{}END"


@dataclass
class Converted:
    markdown: str
    summary: str = ""  # the text before <!--more-->, when there was one
    unknown_shortcodes: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # the closing "Have you read?" list's links, resolved
    links: list[str] = field(default_factory=list)  # every href and src, as written in the export


def attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in ATTR.finditer(text or "")}


def autop(text: str) -> str:
    """WordPress's paragraph rules: blank-line-separated text becomes ``<p>``; a single newline
    inside a paragraph a ``<br />``; blocks that already are HTML blocks are left as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        if BLOCK.match(block):
            out.append(block.strip())
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", block.strip()) + "</p>")
    return "\n\n".join(out)


class _Converter(MarkdownConverter):
    def __init__(self, rewrite: Callable[[str], str], seen: list[str], **options):
        super().__init__(**options)
        self.rewrite, self.seen = rewrite, seen

    def convert_a(self, el, text, *args, **kwargs):
        if el.get("href"):
            self.seen.append(el["href"])
            el["href"] = self.rewrite(el["href"])
        return super().convert_a(el, text, *args, **kwargs)

    def convert_img(self, el, text, *args, **kwargs):
        if el.get("src"):
            self.seen.append(el["src"])
            el["src"] = self.rewrite(el["src"])
        return super().convert_img(el, text, *args, **kwargs)


def to_markdown(html_text: str, rewrite: Callable[[str], str], seen: list[str]) -> str:
    converter = _Converter(rewrite, seen, heading_style="ATX", bullets="-", strip=["script", "style"],
                           escape_underscores=False, escape_asterisks=True)
    markdown = converter.convert(html_text)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def closing_list(html_text: str, heading: str, resolve: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """The body without its closing "Have you read?" list, and that list's targets, when the body ends
    with ``heading`` (a heading or a bold line) then a list whose every link ``resolve`` knows."""
    match = CLOSING.search(html_text)
    if match is None or not heading.strip():
        return html_text, []
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group("heading"))).split())
    if said.casefold().rstrip(":") != " ".join(heading.split()).casefold().rstrip(":"):
        return html_text, []
    hrefs = [html.unescape(h) for h in re.findall(r"<a\s[^>]*href=[\"']([^\"']+)", match.group("items"), re.I)]
    targets = [resolve(h) for h in hrefs]
    if not hrefs or any(t is None for t in targets):
        return html_text, []
    start = match.start()
    return html_text[:start].rstrip() + "\n", list(dict.fromkeys(targets))


def convert(content: str, rewrite: Callable[[str], str],
            gallery_images: Callable[[dict[str, str]], list[tuple[str, str]]],
            related_heading: str = "", resolve: Callable[[str], str | None] = lambda url: None) -> Converted:
    """``content`` (the export's ``content:encoded``) as Markdown.

    ``gallery_images(attrs)`` gives a gallery's images as (url, caption); ``resolve(url)`` the
    new file of another post of the export (for the closing "Have you read?" list).
    """
    seen: list[str] = []
    unknown: list[str] = []
    parts = MORE.split(content, maxsplit=1)
    summary_html = parts[0] if len(parts) > 1 else ""
    content = MORE.sub("", content)
    blocks: list[str] = []  # Markdown for each known shortcode, put back after markdownify

    def keep(markdown: str) -> str:
        blocks.append(markdown)
        return "\n\n" + TOKEN.format(len(blocks) - 1) + "\n\n"

    def shortcode(match: re.Match) -> str:
        name, attrs, inner = match.group("name").lower(), attributes(match.group("attrs")), match.group("inner")
        if name in ("caption", "wp_caption") and inner is not None:
            image = IMG.search(inner)
            caption = attrs.get("caption") or re.sub(r"<[^>]+>", "", inner).strip()
            if image is None:
                return match.group(0)
            picture = to_markdown(image.group(0), rewrite, seen).strip()
            return keep(picture + ("\n" + "*" + html.unescape(caption).replace("*", r"\*") + "*" if caption else ""))
        if name == "embed" and inner is not None:
            url = inner.strip()
            seen.append(url)
            return keep(f"<{rewrite(url)}>")
        if name == "gallery":
            pictures = []
            for url, caption in gallery_images(attrs):
                seen.append(url)
                pictures.append(f"![{caption}]({rewrite(url)})")
            return keep("\n".join(pictures))
        unknown.append(match.group(0) if inner is None else f"[{match.group('name')}{match.group('attrs')}]")
        return match.group(0)

    def bare_url(match: re.Match) -> str:  # WordPress embeds a URL alone on its line: here, a link
        seen.append(match.group(1))
        return keep(f"<{rewrite(match.group(1))}>")

    text = SHORTCODE.sub(shortcode, content)
    text = URL_LINE.sub(bare_url, text)
    body, related = closing_list(autop(text), related_heading, resolve)
    markdown = to_markdown(body, rewrite, seen)
    markdown = re.sub(r"SNSHORTCODE(\d+)END", lambda m: blocks[int(m.group(1))], markdown)
    summary = ""
    if summary_html.strip():
        summary = " ".join(html.unescape(re.sub(r"<[^>]+>|\[[^\]]*\]", " ", summary_html)).split())
    return Converted(markdown, summary, unknown, related, seen)
