"""Site settings the core needs, read from plain data (no MkDocs types).

:class:`SiteOptions` are the site-wide options of the ``smartnotes`` plugin
(each feature states its own next to its code); :func:`site_settings` turns
them and a few keys of ``mkdocs.yml`` into the :class:`SiteSettings` of a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import OWN_FIELDS, Collection
from .options import option
from .problems import did_you_mean
from .taxonomies import Taxonomies, taxonomies_from_config

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
    taxonomies: Taxonomies = Taxonomies()

    def absolute(self, url: str) -> str:
        """Absolute URL for a site-relative one (which has no leading slash)."""
        if url.startswith(("http://", "https://")):
            return url
        return self.site_url + url.lstrip("/")


COLLECTION_KEYS = ("key", "folder", "prefix", "title", "label")


def _collections(value, done) -> tuple[tuple[Collection, ...], list[str]]:
    if not isinstance(value, list):
        return (), [f"{value!r} is not a list — write one '- {{key: notes, folder: notes, prefix: notes, "
                    "title: Smart Notes, label: Smart Note}' line per collection"]
    collections, problems = [], []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            problems.append(f"[{index}]: {item!r} is not a mapping — write {{key: …, folder: …, prefix: …, "
                            "title: …, label: …}")
            continue
        for key in item:
            if key not in COLLECTION_KEYS:
                problems.append(f"[{index}].{key}: unknown key — "
                                + (did_you_mean(str(key), COLLECTION_KEYS) or f"use {', '.join(COLLECTION_KEYS)}"))
        missing = [k for k in COLLECTION_KEYS if not isinstance(item.get(k), str) or not item.get(k)]
        if missing:
            problems.append(f"[{index}]: {', '.join(missing)} missing or not a text — every collection needs "
                            f"{', '.join(COLLECTION_KEYS)}")
        elif all(k in COLLECTION_KEYS for k in item):
            collections.append(Collection(**{k: item[k] for k in COLLECTION_KEYS}))
    return tuple(collections), problems


def _timezone(value, done) -> tuple[str, list[str]]:
    try:
        load_timezone(value if isinstance(value, str) else "")
    except ValueError as exc:
        return "", [str(exc).removeprefix("timezone: ")]
    return value, []


def _now(value, done) -> tuple[str | date | datetime | None, list[str]]:
    if value is None or isinstance(value, (date, datetime)):
        return value, []
    try:
        datetime.fromisoformat(str(value))
    except ValueError:
        return None, [f"{value!r} is not an ISO date-time — write e.g. 2012-05-24 or 2012-05-24T09:00"]
    return str(value), []


def _taxonomies(value, done) -> tuple[Taxonomies, list[str]]:
    if value is not None and not isinstance(value, list):
        return Taxonomies(), [f"{value!r} is not a list — write one '- {{kind: …, field: …, prefix: …, title: …, "
                              "label: …}' line per taxonomy"]
    taxonomies, problems = taxonomies_from_config(value, OWN_FIELDS)
    return taxonomies, [p.removeprefix("taxonomies") for p in problems]  # "[0].kind: …"


@dataclass(frozen=True)
class SiteOptions:
    """The plugin's site-wide options (each feature has its own, with its prefix)."""

    collections: tuple[Collection, ...] = option(
        (), "Collections of publications; empty means Smart Notes and Case Studies.", check=_collections)
    timezone: str = option("UTC", "Time zone given to dates written without one (IANA name).", check=_timezone)
    authors_file: str = option("authors.yml", "The authors registry, relative to docs_dir.")
    home_limit: int = option(
        10, "How many publications the home page shows: the newest leads, the rest as cards.", at_least=0)
    listing_page_size: int = option(
        20, "How many publications a page of a listing shows (a collection, a year, a term, an author); "
        "the rest follow on <listing>/page/2/ and on.", at_least=1)
    now: str | None = option(
        None, "Build as if on this ISO date-time (previews future publications); default: the clock.", check=_now)
    taxonomies: Taxonomies = option(
        Taxonomies(), "A site's own taxonomies, besides topics, countries, organisations and authors "
        "(content/taxonomies.py).", check=_taxonomies)


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
    taxonomies: Taxonomies = Taxonomies(),
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
        include_drafts=include_drafts, taxonomies=taxonomies,
    )
