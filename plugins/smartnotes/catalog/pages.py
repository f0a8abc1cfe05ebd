"""Data for page templates: share links, JSON-LD and meta tags.

Plain dicts and strings; the templates in ``theme/`` turn them into HTML.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, urlencode, urlsplit

from ..content.images import image_size
from ..content.model import Download, Publication
from ..content.settings import SiteSettings


def share_links(publication: Publication, settings: SiteSettings) -> list[dict[str, str]]:
    """Plain share links: no third-party script, nothing loads until clicked."""
    url = settings.absolute(publication.url)
    title = publication.title
    return [
        {"network": "linkedin", "name": "LinkedIn",
         "href": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})},
        {"network": "x", "name": "X",
         "href": "https://x.com/intent/post?" + urlencode({"url": url, "text": title})},
        {"network": "facebook", "name": "Facebook",
         "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})},
        {"network": "email", "name": "Email",
         "href": f"mailto:?subject={quote(title)}&body={quote(url)}"},
    ]


def article_jsonld(publication: Publication, settings: SiteSettings) -> dict:
    """schema.org ``Article`` for search engines (rendered with ``|tojson``)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": publication.title,
        "description": publication.summary,
        "datePublished": publication.date.isoformat(),
        "dateModified": (publication.updated or publication.date).isoformat(),
        "author": [
            {"@type": "Person", "name": a.name, "url": settings.absolute(a.page_url)} for a in publication.authors
        ],
        "mainEntityOfPage": settings.absolute(publication.url),
        "url": settings.absolute(publication.url),
        "articleSection": publication.kind_label,
        "keywords": [t.name for t in publication.tags],
    }
    if publication.image:
        data["image"] = settings.absolute(publication.image)
    if settings.site_name:
        data["publisher"] = {"@type": "Organization", "name": settings.site_name, "url": settings.site_url}
    return data


def teaser(publication: Publication, settings: SiteSettings) -> dict:
    """A publication as the home page shows it (the lead or a card): the publication, and its
    ``image:`` with the pixel size of a local one (the browser keeps its place before it loads)."""
    image = None
    if publication.image:
        remote = publication.image.startswith(("http://", "https://"))
        image = {"src": publication.image, "remote": remote, "width": None, "height": None}
        prefix = f"{publication.collection.prefix}/"
        if not remote and publication.image.startswith(prefix):
            size = image_size(settings.root / publication.collection.folder / publication.image[len(prefix):])
            if size:
                image["width"], image["height"] = size
    return {"publication": publication, "image": image}


FILE_TYPES = {"application/pdf": "PDF"}  # a download's type as readers know it; else its extension


def download_offer(download: Download) -> dict[str, str]:
    """What the download button says besides the kind: the file's type and, for a file the site
    ships, its size ("PDF", "120 KB"): a reader knows what they get before they click."""
    suffix = PurePosixPath(urlsplit(download.url).path).suffix.lstrip(".").upper()
    file_type = FILE_TYPES.get(download.mime_type) or suffix or "file"
    return {"type": file_type, "size": human_size(download.size) if download.size else ""}


def human_size(size: int) -> str:
    """Bytes as a reader reads them: "820 bytes", "120 KB", "2.4 MB" (1 KB = 1,024 bytes)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024):,} KB"
    return f"{size / (1024 * 1024):,.1f} MB"
