"""Site settings the core needs, read from plain data (no MkDocs types)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import Collection

DEFAULT_COLLECTIONS = (
    Collection(key="notes", folder="notes", prefix="notes", title="Smart Notes", label="Smart Note"),
    Collection(
        key="case_studies",
        folder="case_studies",
        prefix="case-studies",
        title="Case Studies",
        label="Case Study",
    ),
)


@dataclass(frozen=True)
class SiteSettings:
    root: Path  # the project root: collections' folders are relative to it
    collections: tuple[Collection, ...] = DEFAULT_COLLECTIONS
    timezone: tzinfo = timezone.utc
    site_url: str = ""  # absolute, ending in "/", or "" when unknown
    site_name: str = ""
    authors_file: Path | None = None
    docs_dir: Path | None = None  # MkDocs's docs_dir: checked for links out of the project
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    include_drafts: bool = False  # `serve` shows drafts and future publications

    def absolute(self, url: str) -> str:
        """Absolute URL for a site-relative one (which has no leading slash)."""
        if url.startswith(("http://", "https://")):
            return url
        return self.site_url + url.lstrip("/")


def load_timezone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"timezone: {name!r} is not a known time zone — use an IANA name such as 'UTC' or 'America/New_York'"
        ) from exc


def as_aware_datetime(value: str | date | datetime, tz: tzinfo) -> datetime:
    """A date, datetime or ISO text as an aware datetime (naive ones take ``tz``)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    return value if value.tzinfo else value.replace(tzinfo=tz)


def site_settings(
    root: Path,
    *,
    timezone_name: str,
    collections: tuple[Collection, ...] = (),
    site_url: str = "",
    site_name: str = "",
    authors_file: Path | None = None,
    docs_dir: Path | None = None,
    now: str | date | datetime | None = None,
    include_drafts: bool = False,
) -> SiteSettings:
    """The settings of a build, from the plain values of mkdocs.yml.

    One place for the plugin and the commands that run without MkDocs.
    Raises ValueError (naming the option) for an unknown time zone.
    """
    tz = load_timezone(timezone_name)
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return SiteSettings(
        root=root, collections=collections or DEFAULT_COLLECTIONS, timezone=tz, site_url=site_url,
        site_name=site_name, authors_file=authors_file, docs_dir=docs_dir,
        now=as_aware_datetime(now, tz) if now else datetime.now(timezone.utc),
        include_drafts=include_drafts,
    )
