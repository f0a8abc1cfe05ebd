"""Make every URL inside rendered body HTML absolute, for feeds and embeds.

Relative links inside feed content are the most reported feed bug of static
generators (mkdocs-rss-plugin #263, jekyll-feed #395, Pelican #3286): a feed
reader or an RSS-to-email tool has no page to resolve them against.

The HTML is parsed with lxml (libxml2's HTML parser, already a dependency
through feedgen). It is C all the way and about ten times faster than
html5lib, which matters at 10,000 publications (bench/bench_feeds.py); the
body HTML comes from Python-Markdown, so libxml2's HTML 4 error recovery is
never needed for well-formed input. Whatever it would have to recover from
(an end tag that closes the document early, bytes that are not text, a URL
that cannot be parsed) is reported, never dropped silently.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.etree as etree

# Attributes that hold one URL, and the one that holds a list of them.
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data", "action", "formaction", "longdesc", "background",
                  "xlink:href")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")

_WITH_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ATTRIBUTES = etree.XPath("|".join(f"//@{name}" for name in URL_ATTRIBUTES if ":" not in name)
                          + "|//@*[name()='xlink:href']|"
                          + "|".join(f"//@{name}" for name in SRCSET_ATTRIBUTES))
_OPEN, _CLOSE = "<body>", "</body>"
_PERMALINKS = etree.XPath("//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
                          "/a[@class='headerlink']")


def _remove(element) -> None:
    """Take ``element`` out of the tree, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


class MalformedHTML(ValueError):
    """The HTML could not be processed without losing or guessing content."""


def absolute_html(html: str, page_url: str, *, permalinks: bool = True) -> str:
    """``html`` (a body fragment) with every URL resolved against ``page_url``.

    ``permalinks=False`` also drops the headings' "¶" links that the toc
    extension adds (``a.headerlink``): on the page they are anchors to copy,
    in a feed reader a stray character after every heading (issue 16).

    ``page_url`` is the absolute URL of the page the fragment belongs to, so a
    same-page anchor ``#x`` becomes ``<page_url>#x``. Raises
    :class:`MalformedHTML` with the reason when the fragment cannot be
    processed faithfully.
    """
    if not html.strip():
        return html
    # A fresh parser per call: its error_log then belongs to this fragment.
    parser = etree.HTMLParser(no_network=True, remove_comments=False, remove_pis=False)
    try:
        root = etree.fromstring(f"<html>{_OPEN}{html}{_CLOSE}</html>", parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise MalformedHTML(f"the HTML cannot be parsed ({exc})") from None
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if root is None or errors:
        detail = f"{errors[0].message.strip()}, line {errors[0].line}" if errors else "nothing could be parsed"
        raise MalformedHTML(f"the HTML is malformed ({detail})")
    body = root.find("body")
    if not permalinks:
        for link in _PERMALINKS(body):
            _remove(link)
    for attribute in _ATTRIBUTES(root):
        element, name, value = attribute.getparent(), attribute.attrname, str(attribute)
        if name in SRCSET_ATTRIBUTES:
            new = absolute_srcset(value, page_url)
        else:
            new = absolute_url(value, page_url)
        if new != value:
            element.set(name, new)
    text = etree.tostring(body, method="html", encoding="unicode")
    if not (text.startswith(_OPEN) and text.endswith(_CLOSE)):
        # Only reachable if the parser re-nested the document unexpectedly.
        raise MalformedHTML("the HTML does not fit in a page body")
    return text[len(_OPEN):-len(_CLOSE)]


def absolute_url(value: str, page_url: str) -> str:
    """One URL resolved against the absolute ``page_url``; absolute ones are kept."""
    url = value.strip()
    if _WITH_SCHEME.match(url):
        _check(url)
        return value
    if url.startswith("#"):
        return page_url.split("#", 1)[0] + url
    _check(url)
    return urljoin(page_url, url)


def _check(url: str) -> None:
    try:
        urlsplit(url)
    except ValueError as exc:
        raise MalformedHTML(f"the URL {url!r} cannot be parsed ({exc})") from None


def absolute_srcset(value: str, page_url: str) -> str:
    """Each image candidate of a ``srcset`` resolved, descriptors kept.

    Follows the candidate grammar of the HTML standard ("parse a srcset
    attribute"): a URL is a run without whitespace, a trailing comma ends
    it, descriptors run to the next comma.
    """
    candidates = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position].isspace() or value[position] == ","):
            position += 1
        if position >= end:
            break
        start = position
        while position < end and not value[position].isspace():
            position += 1
        url = value[start:position]
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = value.find(",", position)
            comma = end if comma < 0 else comma
            descriptors = " ".join(value[position:comma].split())
            position = comma
        resolved = absolute_url(url, page_url)
        candidates.append(f"{resolved} {descriptors}" if descriptors else resolved)
    return ", ".join(candidates)
