"""Plain text out of Markdown, for summaries and the "Have you read?" index."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePath
from html.parser import HTMLParser

import markdown
from slugify import slugify as _slugify

_BLOCK_SKIP = re.compile(r"^\s*(#|!\[|<|\||```|~~~|>|[-*+] |\d+\. |\[.*\]:)")
_MD = markdown.Markdown(extensions=["attr_list"])


@lru_cache(maxsize=65536)  # tags and countries repeat across thousands of files
def slugify(text: str) -> str:
    return _slugify(text, max_length=80, word_boundary=True)


def title_slug(title: str) -> str:
    """The file name (and address) of a new publication from its title, as ``smartnotes new`` and the
    browser editor (Decap's ``{{slug}}`` with ASCII encoding and accents cleaned) both make it:
    apostrophes are dropped ("Client's" -> "clients"), then :func:`slugify`."""
    return slugify(title.replace("'", ""))


def default_slug(path: PurePath) -> str:
    """The slug of a publication without ``slug:``: its file's name (its folder's, for ``index.md``)."""
    return slugify(path.parent.name if path.stem == "index" else path.stem)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def first_paragraph(body: str) -> str:
    """The first prose paragraph of a Markdown body, as plain text.

    A paragraph with no Markdown in it is its own text: it is not converted
    (the page converts it again, and at 1,000 publications without
    ``summary:`` that was 1,000 conversions more than pages, issue 15).
    """
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.strip() and not _BLOCK_SKIP.match(block):
            if is_plain_paragraph(block):
                return " ".join(block.split())
            _MD.reset()
            return html_to_text(_MD.convert(block))
    return ""


# What can make a paragraph more than its text: inline syntax (emphasis, code,
# links, images, HTML, entities, escapes, attr_list's braces) and the marks of
# headings; a line of dashes (a setext heading or a rule) is looked for apart.
_MARKUP_CHARACTERS = frozenset("\\`*_[]!<>&{}#=\t")
_LIST_START = re.compile(r" *(?:[-+*]|\d+\.)(?: |$)")


def is_plain_paragraph(block: str) -> bool:
    """Whether Markdown would give ``block`` back as one paragraph of the same words."""
    if not _MARKUP_CHARACTERS.isdisjoint(block):
        return False
    lines = block.split("\n")
    if _LIST_START.match(lines[0]) or lines[0].startswith("    ") or lines[0].lstrip(" ") != lines[0].lstrip():
        return False  # an indented code block, or other whitespace before the text
    return not any(line.strip() and set(line.strip()) <= {"-", " "} for line in lines)  # a rule, a setext line


_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]+>|https?://\S+|`[^`]*`")


def markdown_words(body: str) -> str:
    """Body text good enough for term statistics (link targets, tags and code dropped)."""
    if "](" not in body and "<" not in body and "://" not in body and "`" not in body:
        return body  # nothing _LINK_TARGET could match: four C searches beat the regex scan
    return _LINK_TARGET.sub(" ", body)


def human_date(value) -> str:
    """``May 24, 2012``, as the seed page shows dates (locale-independent)."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    return f"{months[value.month - 1]} {value.day}, {value.year}"


# What XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): every feed must
# stay well-formed, whatever was pasted into a field or a body (issue 13).
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The same characters but the surrogates, which text read as UTF-8 never holds.
_FORBIDDEN_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF))


def forbidden_character(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 forbids, or None."""
    # Feeds check every string they write, so the common cases are fast: a regex
    # character class costs ~20 ns a character; isprintable and substring search are C loops.
    if text.isprintable():  # no control character, surrogate or noncharacter at all: most fields
        return None
    if len(text) > 200 and not any(char in text for char in _FORBIDDEN_CHARS):
        try:
            text.encode("utf-8")  # fails on a lone surrogate, the last forbidden kind
            return None
        except UnicodeEncodeError:
            pass
    match = XML_FORBIDDEN.search(text)
    return match.group() if match else None


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return text if forbidden_character(text) is None else XML_FORBIDDEN.sub("", text)
