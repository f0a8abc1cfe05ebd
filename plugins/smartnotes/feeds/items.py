"""RSS items, Atom entries and JSON Feed items, written directly, several times faster.

feedgen builds each feed's channel (``feeds.py``). Its entries cost some
200-400 µs each here (setters that validate, an lxml element per field, a
locale switch per date), and the 10,000-publication benchmark site has 6,400
distinct items in its feeds: feedgen's entries alone took 2.4 s of CPU, more
than the 1 s that issue 4 allows for every feed. So items are serialised
here, once per publication, with the same elements in the same order and
the same escaping as ``FeedEntry.rss_entry``/``atom_entry``;
:func:`feedgen_entry` is the same item through feedgen, and
``tests/test_feed_items.py`` checks that both give the same XML for a table
of items. JSON Feed items are written the same way, as ``json`` encodes
:func:`json_dict`: one pass per item escapes every value once for all three
formats.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension

from ..content.text import xml_safe

if TYPE_CHECKING:
    from .render import FeedItem


# One encoder for every feed (json.dumps makes one per call with these options);
# no indent keeps json's C encoder, ensure_ascii=False keeps the text readable.
JSON = json.JSONEncoder(ensure_ascii=False)
# The function JSON uses for every string (the C one when there is one).
_json_string = json.encoder.encode_basestring
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(value: datetime) -> str:
    """``Thu, 24 May 2012 00:00:00 -0400``: feedgen's format, without its locale switch."""
    offset = int(value.utcoffset().total_seconds()) // 60
    sign, offset = ("-", -offset) if offset < 0 else ("+", offset)
    return (f"{_DAYS[value.weekday()]}, {value.day:02d} {_MONTHS[value.month - 1]} {value.year:04d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d} {sign}{offset // 60:02d}{offset % 60:02d}")


def _text(value: str) -> str:
    # Characters XML 1.0 forbids are refused at load; dropping any that get here
    # keeps every feed well-formed whatever the input (issue 13).
    return xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_text(value: str) -> str:
    """Plain text as HTML that shows it as text (for RSS ``<description>``, which readers render as HTML)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


# The same few tags and authors recur in thousands of items: their fragments
# are escaped once (bounded: `serve` rebuilds with one process).
@lru_cache(maxsize=8192)
def _tag_fragments(tag: str, scheme: str) -> tuple[str, str, str]:
    """The tag as an RSS category, an Atom category and a JSON string."""
    scheme = _attr(scheme)
    return (f'<category domain="{scheme}">{_text(tag)}</category>',
            f'<category term="{_attr(tag)}" scheme="{scheme}"/>', _json_string(tag))


@lru_cache(maxsize=8192)
def _author_fragments(name: str, uri: str) -> tuple[str, str, str]:
    """The author as an RSS dc:creator, an Atom author and a JSON author object."""
    return (f"<dc:creator>{_text(name)}</dc:creator>",
            f"<author><name>{_text(name)}</name><uri>{_text(uri)}</uri></author>",
            f'{{"name": {_json_string(name)}, "url": {_json_string(uri)}}}')


def item_texts(item: FeedItem, tag_scheme: str,
               extra: Mapping[str, object] | None = None) -> tuple[bytes, bytes, bytes]:
    """The RSS item, the Atom entry and the JSON Feed item of one item.

    Each value is escaped once for XML and once for JSON; ``extra`` adds
    JSON Feed extension members (``_name``) after the standard ones.
    """
    title, url = _text(item.title), _text(item.url)
    item_id = url if item.id == item.url else _text(item.id)
    summary = _text(item.summary) if item.summary else ""
    # The summary is plain text: escaped once more for RSS's HTML description, so
    # `<img src=x onerror=...>` in a summary is shown, not run (issue 13).
    summary_html = _text(html_text(item.summary)) if item.summary else ""
    content = _text(item.content_html) if item.content_html else ""
    url_attr = url.replace('"', "&quot;")
    published_iso, updated_iso = item.published.isoformat(), item.updated.isoformat()
    tags = [_tag_fragments(tag, tag_scheme) for tag in item.tags]
    authors = [_author_fragments(name, uri) for name, uri in item.authors]
    enclosure = None
    if item.enclosure:
        enclosure_url, size, mime_type = item.enclosure
        enclosure = (_attr(enclosure_url), size, _attr(mime_type))

    rss = [f"<item><title>{title}</title><link>{url}</link>"]
    if summary:
        rss.append(f"<description>{summary_html}</description>")
        if content:
            rss.append(f"<content:encoded>{content}</content:encoded>")
    elif content:
        rss.append(f"<description>{content}</description>")
    permalink = "true" if item.id == item.url else "false"
    rss.append(f'<guid isPermaLink="{permalink}">{item_id}</guid>')
    rss += [tag[0] for tag in tags]
    if enclosure:
        rss.append('<enclosure url="%s" length="%d" type="%s"/>' % enclosure)
    rss.append(f"<pubDate>{rfc822(item.published)}</pubDate>")
    # RSS <author> must be an e-mail address; Dublin Core names people.
    rss += [author[0] for author in authors]
    rss.append("</item>")

    atom = [f"<entry><id>{item_id}</id><title>{title}</title><updated>{updated_iso}</updated>"]
    atom += [author[1] for author in authors]
    if content:
        atom.append(f'<content type="html">{content}</content>')
    atom.append(f'<link href="{url_attr}" rel="alternate"/>')
    if enclosure:
        atom.append('<link href="%s" rel="enclosure" type="%s" length="%d"/>'
                    % (enclosure[0], enclosure[2], enclosure[1]))
    if summary:
        atom.append(f"<summary>{summary}</summary>")
    atom += [tag[1] for tag in tags]
    atom.append(f"<published>{published_iso}</published></entry>")

    json_text = _json_item(item, published_iso, updated_iso, authors, tags, extra)
    return "".join(rss).encode("utf-8"), "".join(atom).encode("utf-8"), json_text.encode("utf-8")


def _json_item(item: FeedItem, published_iso: str, updated_iso: str, authors: list, tags: list,
               extra: Mapping[str, object] | None) -> str:
    """The JSON Feed item as ``json_dict(item)`` encodes with ``JSON``, written directly.

    Encoding a dict per item through ``json.JSONEncoder`` cost more than all
    the XML; the members, their order and the separators are those of
    ``json_dict``, and ``tests/test_feed_items.py`` compares both.
    """
    string = _json_string
    # JSON Feed needs content_html or content_text: the summary stands in.
    content = (f'"content_html": {string(item.content_html)}' if item.content_html
               else f'"content_text": {string(item.summary)}')
    parts = [f'{{"id": {string(item.id)}, "url": {string(item.url)}, "title": {string(item.title)}, {content}, '
             f'"date_published": "{published_iso}", "date_modified": "{updated_iso}", '
             f'"authors": [{", ".join(author[2] for author in authors)}]']
    if item.summary:
        parts.append(f'"summary": {string(item.summary)}')
    if tags:
        parts.append(f'"tags": [{", ".join(tag[2] for tag in tags)}]')
    if item.enclosure:
        url, size, mime_type = item.enclosure
        size_text = str(size) if type(size) is int else JSON.encode(size)
        size_member = f', "size_in_bytes": {size_text}' if size else ""
        parts.append(f'"attachments": [{{"url": {string(url)}, "mime_type": {string(mime_type)}{size_member}}}]')
    if extra:
        parts += [f"{string(name)}: {JSON.encode(value)}" for name, value in extra.items()]
    return ", ".join(parts) + "}"


def json_dict(item: FeedItem, extra: Mapping[str, object] | None = None) -> dict:
    """The JSON Feed 1.1 item as a dict: the reference ``_json_item`` follows."""
    # JSON Feed needs content_html or content_text: the summary stands in.
    content = {"content_html": item.content_html} if item.content_html else {"content_text": item.summary}
    data: dict = {
        "id": item.id, "url": item.url, "title": item.title, **content,
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": name, "url": uri} for name, uri in item.authors],
    }
    if item.summary:
        data["summary"] = item.summary
    if item.tags:
        data["tags"] = list(item.tags)
    if item.enclosure:
        url, size, mime_type = item.enclosure
        attachment: dict = {"url": url, "mime_type": mime_type}
        if size:
            attachment["size_in_bytes"] = size
        data["attachments"] = [attachment]
    if extra:
        data.update(extra)
    return data


def feedgen_entry(item: FeedItem, tag_scheme: str) -> FeedEntry:
    """The same item as a feedgen entry: the reference the fast writers follow."""
    entry = FeedEntry()
    entry.guid(item.id, permalink=item.id == item.url)
    entry.title(item.title)
    entry.link(href=item.url, rel="alternate")
    entry.published(item.published)
    entry.updated(item.updated)
    for name, uri in item.authors:
        entry.author(name=name, uri=uri)
    if item.authors:
        entry.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        entry.dc.dc_creator([name for name, _ in item.authors])
    for tag in item.tags:
        entry.category(term=tag, scheme=tag_scheme)
    if item.summary:
        entry.summary(item.summary)  # Atom's summary is text (RFC 4287 §3.1.1)
        # RSS's description is HTML: feedgen has no setter for it alone that leaves Atom's summary be.
        entry._FeedEntry__rss_description = html_text(item.summary)
    if item.content_html:
        entry.content(item.content_html, type="html")
    if item.enclosure:
        url, size, mime_type = item.enclosure
        entry.enclosure(url, str(size), mime_type)
    return entry
