"""Check built feeds the way readers and validators see them (issue 4).

feedparser is the client; the RSS 2.0 and Atom 1.0 rules are checked on the
XML tree; JSON Feed 1.1 is validated against the project's schema (tests/schemas/) with format
checking on.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import lxml.etree as etree
import lxml.html

from sites import SCHEMAS

FEED_NAMES = {"feed.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
JSONFEED_SCHEMA = SCHEMAS / "jsonfeed-1.1.schema.json"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URL_ATTRIBUTES = ("href", "src")


def feed_files(site: Path) -> dict[str, str]:
    """Site-relative path -> format of every feed file in a built site."""
    return {
        path.relative_to(site).as_posix(): FEED_NAMES[path.name]
        for path in sorted(site.rglob("*")) if path.name in FEED_NAMES
    }


def rss_date(text: str) -> datetime:
    assert RFC822.match(text), f"not an RFC 822 date: {text!r}"
    return email.utils.parsedate_to_datetime(text)


def atom_date(text: str) -> datetime:
    assert RFC3339.match(text), f"not an RFC 3339 date: {text!r}"
    return datetime.fromisoformat(text)


def _no_duplicates(element, repeatable: set[str], where: str) -> None:
    counts = Counter(child.tag for child in element if isinstance(child.tag, str))
    twice = {tag: n for tag, n in counts.items() if n > 1 and tag not in repeatable}
    assert not twice, f"{where}: repeated elements {twice}"


def check_rss(data: bytes, where: str) -> dict:
    """RSS 2.0 rules; returns {id: {"date": datetime, "content": html, "link": url}}."""
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0", where
    channel = root.find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert (channel.findtext(name) or "").strip(), f"{where}: channel has no {name}"
    _no_duplicates(channel, {"item", "category", f"{ATOM}link"}, where)
    selves = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(selves) == 1 and selves[0].get("type") == "application/rss+xml", where
    assert channel.find("image/url") is not None, f"{where}: no channel image"
    items = {}
    for item in channel.findall("item"):
        _no_duplicates(item, {"category", "{http://purl.org/dc/elements/1.1/}creator"}, where)
        guid = item.findtext("guid")
        assert item.findtext("title") and item.findtext("link") and guid, f"{where}: incomplete item"
        assert guid not in items, f"{where}: guid {guid} twice"
        items[guid] = {"date": rss_date(item.findtext("pubDate")), "link": item.findtext("link"),
                       "content": item.findtext(f"{CONTENT}encoded"), "summary": item.findtext("description")}
    newest = max((i["date"] for i in items.values()), default=None)
    if newest is not None:
        assert rss_date(channel.findtext("lastBuildDate")) >= newest, where
    return items


def check_atom(data: bytes, where: str) -> dict:
    root = etree.fromstring(data)
    assert root.tag == f"{ATOM}feed", where
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, f"{where}: feed needs one {name}"
    atom_date(root.findtext(f"{ATOM}updated"))
    _no_duplicates(root, {f"{ATOM}entry", f"{ATOM}link", f"{ATOM}author", f"{ATOM}category"}, where)
    rels = Counter(link.get("rel", "alternate") for link in root.findall(f"{ATOM}link"))
    assert rels["self"] == 1 and rels["alternate"] == 1, f"{where}: links {rels}"
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    entries = {}
    for entry in root.findall(f"{ATOM}entry"):
        _no_duplicates(entry, {f"{ATOM}link", f"{ATOM}author", f"{ATOM}category", f"{ATOM}contributor"}, where)
        for name in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{name}"), f"{where}: entry without {name}"
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None, where
        updated = atom_date(entry.findtext(f"{ATOM}updated"))
        published = atom_date(entry.findtext(f"{ATOM}published"))
        assert published <= updated, where
        content = entry.find(f"{ATOM}content")
        assert content is None or content.get("type") == "html", where
        link = next(l.get("href") for l in entry.findall(f"{ATOM}link") if l.get("rel", "alternate") == "alternate")
        entries[entry.findtext(f"{ATOM}id")] = {"date": published, "updated": updated, "link": link,
                                                  "content": None if content is None else content.text}
    if entries:
        assert atom_date(root.findtext(f"{ATOM}updated")) == max(e["updated"] for e in entries.values()), where
    return entries


def check_json(data: bytes, where: str) -> dict:
    feed = json.loads(data)
    schema = json.loads(JSONFEED_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(feed), key=str)
    assert not errors, f"{where}: {errors[0].message} at {list(errors[0].absolute_path)}"
    return {item["id"]: {"date": datetime.fromisoformat(item["date_published"]), "link": item["url"],
                         "content": item.get("content_html"), "item": item} for item in feed["items"]}


def check_with_feedparser(data: bytes, kind: str, where: str):
    """feedparser as the reader: not bozo, the right version, absolute links."""
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{where}: {parsed.get('bozo_exception')}"
    assert parsed.version == {"rss": "rss20", "atom": "atom10"}[kind], where
    for entry in parsed.entries:
        assert urlsplit(entry.link).scheme == "https", f"{where}: {entry.link}"
    return parsed


def check_feed(site: Path, rel: str, kind: str) -> dict:
    """Every check of one feed file; returns its items by id."""
    data = (site / rel).read_bytes()
    if kind == "json":
        return check_json(data, rel)
    parsed = check_with_feedparser(data, kind, rel)
    items = (check_rss if kind == "rss" else check_atom)(data, rel)
    assert [e.id for e in parsed.entries] == list(items), rel
    return items


def content_urls(html: str) -> list[str]:
    """Every URL in a feed item's content (href, src and each srcset candidate)."""
    if not html:
        return []
    urls = []
    for element in lxml.html.fragments_fromstring(html, no_leading_text=False):
        if isinstance(element, str):
            continue
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            urls += [node.get(a) for a in URL_ATTRIBUTES if node.get(a) is not None]
            if node.get("srcset"):
                urls += [candidate.split()[0] for candidate in node.get("srcset").split(",")]
    return urls


def site_file_of(site: Path, site_url: str, url: str) -> Path | None:
    """The built file an absolute URL of the site points to, or None if it is elsewhere."""
    if not url.startswith(site_url):
        return None
    path = urlsplit(url).path[len(urlsplit(site_url).path):]
    target = site / path
    return target / "index.html" if path.endswith("/") or path == "" else target
