"""Read a WordPress eXtended RSS export (WXR 1.1 and 1.2), streamed: a 50 MB export is fine.

lxml's ``iterparse`` hands over each ``<item>`` and ``<wp:author>`` as it
ends; it is read into plain data and cleared, with the siblings before it,
so memory holds one item at a time. CDATA and entities come out as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
WP_NAMESPACES = ("http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/",
                 "http://wordpress.org/export/1.0/")


@dataclass
class WxrAuthor:
    login: str
    display_name: str


@dataclass
class WxrItem:
    post_id: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    post_date: str  # local time as WordPress wrote it
    post_date_gmt: str  # "0000-00-00 00:00:00" for drafts
    post_name: str
    status: str
    post_type: str
    parent: str
    attachment_url: str = ""
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, nicename, name)


@dataclass
class Export:
    base_url: str = ""  # wp:base_blog_url (or the channel's link)
    authors: dict[str, WxrAuthor] = field(default_factory=dict)
    items: list[WxrItem] = field(default_factory=list)


class ExportError(Exception):
    pass


def _local(tag: str) -> tuple[str, str]:
    namespace, _, name = tag.rpartition("}")
    return namespace.lstrip("{"), name


def read_export(path: Path) -> Export:
    """Every author and item of the export (bodies kept as text; nothing else is held)."""
    export = Export()
    channel_link = ""
    try:
        for _, element in etree.iterparse(str(path), events=("end",), huge_tree=True,
                                          resolve_entities=False, no_network=True):
            namespace, name = _local(element.tag)
            if name == "item" and not namespace:
                export.items.append(_item(element))
            elif name == "author" and namespace in WP_NAMESPACES:
                values = _children(element)
                login = values.get("author_login", "")
                export.authors[login] = WxrAuthor(login, values.get("author_display_name", "").strip())
            elif name in ("base_blog_url", "base_site_url") and namespace in WP_NAMESPACES:
                export.base_url = export.base_url or (element.text or "").strip()
            elif name == "link" and not namespace and element.getparent() is not None \
                    and _local(element.getparent().tag)[1] == "channel":
                channel_link = (element.text or "").strip()
            else:
                continue
            if name in ("item", "author"):
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ExportError(f"{path}: not a readable WordPress export ({exc})") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    export.base_url = (export.base_url or channel_link).rstrip("/")
    return export


def _children(element) -> dict[str, str]:
    return {_local(child.tag)[1]: (child.text or "") for child in element if isinstance(child.tag, str)}


def _item(element) -> WxrItem:
    values: dict[str, str] = {}
    categories = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        namespace, name = _local(child.tag)
        text = child.text or ""
        if name == "category" and not namespace:
            categories.append((child.get("domain", "category"), child.get("nicename", ""), text.strip()))
        elif namespace == CONTENT and name == "encoded":
            values["content"] = text
        elif name == "encoded":
            values["excerpt"] = text
        elif namespace == DC and name == "creator":
            values["creator"] = text.strip()
        else:
            values.setdefault(name, text.strip())
    return WxrItem(
        post_id=values.get("post_id", ""), title=values.get("title", ""), link=values.get("link", ""),
        guid=values.get("guid", ""), creator=values.get("creator", ""), content=values.get("content", ""),
        excerpt=values.get("excerpt", ""), post_date=values.get("post_date", ""),
        post_date_gmt=values.get("post_date_gmt", ""), post_name=values.get("post_name", ""),
        status=values.get("status", ""), post_type=values.get("post_type", "post"), parent=values.get("post_parent", "0"),
        attachment_url=values.get("attachment_url", ""), categories=categories,
    )
