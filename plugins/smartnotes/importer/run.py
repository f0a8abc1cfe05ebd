"""``python -m smartnotes import wordpress EXPORT.xml``: plan the import, write it, report it.

:func:`plan_import` turns an export into a :class:`Plan` (files to write,
authors to add, what was skipped and why, what needs a person) without
touching the disk; :func:`import_wordpress` writes the plan, never over a
file someone edited since the last import (unless ``force``), and prints the
report. Running it twice changes nothing: each file is compared with what
would be written, and ``.smartnotes-import.json`` keeps the hash of what the
import wrote last.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TextIO
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from ..content.authors import appended_entries, load_authors
from ..content.countries import normalise_country
from ..content.fields import URI
from ..content.model import Collection
from ..content.settings import SiteSettings
from ..content.text import slugify
from .body import convert
from .options import ImportOptions
from .wxr import Export, WxrItem, read_export

STATE_FILE = ".smartnotes-import.json"
NO_DATE = "0000-00-00 00:00:00"
DRAFT_STATUSES = ("draft", "pending", "private")
IMPORTED_STATUSES = ("publish", "future", *DRAFT_STATUSES)
UPLOADS = "/wp-content/uploads/"
UNSORTED = ("uncategorized",)


@dataclass
class Need:
    """Something a person must do: ``path: problem — what to do``."""

    path: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem} — {self.fix}"


@dataclass
class Plan:
    files: dict[str, bytes] = field(default_factory=dict)  # project-relative path -> content
    copies: dict[str, Path] = field(default_factory=dict)  # project-relative path -> file in --uploads
    new_authors: dict[str, str] = field(default_factory=dict)  # id -> display name
    imported: dict[str, int] = field(default_factory=dict)  # collection key -> publications
    skipped: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)


@dataclass
class _Post:
    item: WxrItem
    collection: Collection
    slug: str

    @property
    def folder(self) -> str:
        return f"{self.collection.folder}/{self.slug}"

    @property
    def path(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def url(self) -> str:
        return f"/{self.collection.prefix}/{self.slug}/"


def address_key(url: str) -> str:
    """One spelling of an old address: host without www., path with its slash, only ``?p=``/``?page_id=``."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path or "/")
    if not path.endswith("/") and "." not in posixpath.basename(path):
        path += "/"
    query = parse_qs(parts.query)
    kept = next((f"?{k}={query[k][0]}" for k in ("p", "page_id") if k in query), "")
    return f"{host}{path}{kept}"


def site_path(url: str, base: str) -> str:
    """The old address as a path on the old site (``/2012/05/24/x/``, ``/?p=12``)."""
    parts, base_path = urlsplit(url), urlsplit(base).path.rstrip("/")
    path = parts.path or "/"
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path):]
    query = parse_qs(parts.query)
    kept = next((f"?{k}={query[k][0]}" for k in ("p", "page_id") if k in query), "")
    return path + kept


def _date(item: WxrItem, settings: SiteSettings) -> datetime | None:
    try:
        if item.post_date_gmt and item.post_date_gmt != NO_DATE:
            return datetime.fromisoformat(item.post_date_gmt).replace(tzinfo=timezone.utc).astimezone(settings.timezone)
        return datetime.fromisoformat(item.post_date).replace(tzinfo=settings.timezone)
    except ValueError:
        return None


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>|\[/?[A-Za-z][^\]]*\]", " ", text or "")).split())


def plan_import(export: Export, settings: SiteSettings, options: ImportOptions,
                uploads: Path | None) -> Plan:
    plan = Plan()
    collections = {c.key: c for c in settings.collections}
    known_authors, _, _ = load_authors(settings.authors_file, settings.root) if settings.authors_file else ({}, [], None)
    by_name = {a.name.casefold(): a.id for a in known_authors.values()}
    author_of: dict[str, str] = {}
    for login, author in export.authors.items():
        name = author.display_name or login
        author_id = by_name.get(name.casefold()) or slugify(name)
        author_of[login] = author_id
        if author_id not in known_authors and author_id not in plan.new_authors:
            plan.new_authors[author_id] = name
        if not author.display_name:
            plan.needs.append(Need(str(settings.authors_file.relative_to(settings.root)) if settings.authors_file
                                   else "authors.yml", f"the WordPress author {login!r} has no display name",
                                   f"give {author_id!r} the person's name"))

    attachments = {i.post_id: i for i in export.items if i.post_type == "attachment"}
    children: dict[str, list[WxrItem]] = {}
    for attachment in attachments.values():
        children.setdefault(attachment.parent, []).append(attachment)

    posts: list[_Post] = []
    taken: set[str] = set()
    rule_values = {r.value.casefold() for r in options.rules if r.kind != "post_type"}
    for item in export.items:
        label = f"?p={item.post_id} {item.title!r}"
        if item.post_type == "attachment":
            continue
        if item.post_type != "post" and not any(r.kind == "post_type" and r.value == item.post_type
                                                for r in options.rules):
            plan.skipped.append(f"{label}: a {item.post_type}, not a publication")
            continue
        if item.status not in IMPORTED_STATUSES:
            plan.skipped.append(f"{label}: its status is {item.status!r}")
            continue
        rule = next((r for r in options.rules if r.matches(item.categories, item.post_type)), None)
        if rule is None:
            names = ", ".join(n for d, _, n in item.categories if d == "category") or "none"
            plan.skipped.append(f"{label}: no import rule for its categories ({names})")
            continue
        collection = collections[rule.collection]
        slug = slugify(unquote(item.post_name)) or slugify(item.title) or f"post-{item.post_id}"
        base, number = slug, 2
        while f"{collection.key}/{slug}" in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(f"{collection.key}/{slug}")
        posts.append(_Post(item, collection, slug))

    pages = {address_key(a.link): a for a in attachments.values() if a.link}
    addresses: dict[str, _Post] = {}
    for post in posts:
        for url in (post.item.link, post.item.guid, f"{export.base_url}/?p={post.item.post_id}"):
            if url:
                addresses.setdefault(address_key(url), post)

    for post in posts:
        _plan_post(post, export, settings, options, uploads, plan, addresses, attachments, children, author_of,
                   rule_values, pages)
        plan.imported[post.collection.key] = plan.imported.get(post.collection.key, 0) + 1
    attachment_count = len(attachments)
    if attachment_count:
        plan.skipped.append(f"{attachment_count} attachment(s): files, not publications (copied where a post uses them)")
    return plan


def _plan_post(post: _Post, export: Export, settings: SiteSettings, options: ImportOptions, uploads: Path | None,
               plan: Plan, addresses: dict[str, _Post], attachments: dict[str, WxrItem],
               children: dict[str, list[WxrItem]], author_of: dict[str, str], rule_values: set[str],
               pages: dict[str, WxrItem]) -> None:
    item = post.item
    old_pages: list[str] = []  # attachment pages this post links to: they become its aliases
    uploads_prefix = address_key(export.base_url + UPLOADS)
    copied: list[str] = []
    missing: set[str] = set()

    def upload_of(url: str) -> str | None:
        key = address_key(url)
        return key[len(uploads_prefix):] if key.startswith(uploads_prefix) and url.startswith("http") else None

    def rewrite(url: str) -> str:
        relative = upload_of(url)
        if relative is not None:
            source = (uploads / relative) if uploads else None
            name = PurePosixPath(relative).name
            if source is not None and source.is_file():
                plan.copies[f"{post.folder}/{name}"] = source
                copied.append(name)
                return name
            if relative not in missing:
                missing.add(relative)
                where = f"is not in {uploads}" if uploads else "was not copied (no --uploads folder given)"
                plan.needs.append(Need(post.path, f"the file wp-content/uploads/{relative} {where}",
                                       f"put it beside the publication as {post.folder}/{name} and link it by its "
                                       "name, or remove the link"))
            return url
        attachment = pages.get(address_key(url)) if url.startswith("http") else None
        if attachment is not None and attachment.attachment_url:
            old_pages.append(site_path(attachment.link, export.base_url))
            return rewrite(attachment.attachment_url)  # the file itself, beside the publication
        target = addresses.get(address_key(url)) if url.startswith("http") else None
        if target is not None:
            fragment = urlsplit(url).fragment
            # The other file's path: MkDocs checks the link and writes the page's address.
            return posixpath.relpath(target.path, post.folder) + (f"#{fragment}" if fragment else "")
        return url

    def gallery(attrs: dict[str, str]) -> list[tuple[str, str]]:
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        found = [attachments[i] for i in ids if i in attachments] if ids else children.get(item.post_id, [])
        return [(a.attachment_url, a.title) for a in found if a.attachment_url]

    def resolve(url: str) -> str | None:
        target = addresses.get(address_key(url))
        return target.path if target is not None and target is not post else None

    converted = convert(item.content, rewrite, gallery, options.related_heading, resolve)
    for shortcode in converted.unknown_shortcodes:
        plan.needs.append(Need(post.path, f"the shortcode {shortcode} is not known and was left in the text",
                               "write what it showed in Markdown, or delete it"))

    data: dict = {"title": " ".join(html.unescape(item.title).split()) or f"Post {item.post_id}"}
    published = _date(item, settings)
    if published is None:
        plan.needs.append(Need(post.path, f"the post has no readable date ({item.post_date!r})",
                               "write its 'date:' as YYYY-MM-DD"))
        published = datetime(2000, 1, 1, tzinfo=settings.timezone)
    data["date"] = published.isoformat()
    data["authors"] = [author_of.get(item.creator) or slugify(item.creator) or "unknown"]
    summary = _plain(item.excerpt) or converted.summary
    if summary:
        data["summary"] = summary
    tags, countries, organizations = [], [], []
    organisation_names = {o.casefold(): o for o in options.organizations}
    for domain, nicename, name in item.categories:
        if domain not in ("category", "post_tag") or not name:
            continue
        if domain == "category" and (name.casefold() in rule_values or nicename.casefold() in rule_values
                                     or nicename in UNSORTED):
            continue
        if name.casefold() in organisation_names:
            organizations.append(organisation_names[name.casefold()])
        elif options.countries and len(name) > 3 and normalise_country(name):
            countries.append(normalise_country(name))
        else:
            tags.append(name)
    for key, values in (("tags", tags), ("countries", countries), ("organizations", organizations)):
        if values:
            data[key] = list(dict.fromkeys(values))
    if converted.related:
        data["related"] = converted.related
    pdf = next((name for name in copied if name.lower().endswith(".pdf")), "")
    if pdf:
        data["download"] = pdf
    if item.status in DRAFT_STATUSES:
        data["draft"] = True
    data["slug"] = post.slug
    if item.guid and URI.match(item.guid):
        data["id"] = item.guid
    else:
        host = urlsplit(export.base_url).hostname or "wordpress.invalid"
        data["id"] = f"tag:{host},{published.year}:post-{item.post_id}"
    aliases = []
    if item.link and item.status == "publish":
        aliases.append(site_path(item.link, export.base_url))
    aliases.append(f"/?p={item.post_id}")
    aliases += old_pages
    data["aliases"] = list(dict.fromkeys(a for a in aliases if a != post.url))
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    plan.files[post.path] = f"---\n{front}---\n\n{converted.markdown}".encode("utf-8")


# -- writing ---------------------------------------------------------------------------------------

def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_wordpress(settings: SiteSettings, options: ImportOptions, export_file: Path, uploads: Path | None = None,
                     *, dry_run: bool = False, force: bool = False, out: TextIO = sys.stdout) -> int:
    """The command's entry point: import ``export_file`` into the project of ``settings``."""
    if uploads is not None and not uploads.is_dir():
        print(f"error: --uploads {uploads} is not a folder — give a copy of the old site's wp-content/uploads",
              file=sys.stderr)
        return 2
    if not options.rules:
        print("error: mkdocs.yml has no import_rules under plugins.smartnotes, so no post has a collection — add "
              "e.g. '- {category: Smart Notes, collection: notes}' under 'import_rules:'", file=sys.stderr)
        return 2
    plan = plan_import(read_export(export_file), settings, options, uploads)
    root = settings.root
    state_path = root / STATE_FILE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        state = {}
    addition = ""  # to the authors registry, in its own form (a mapping of ids, or the editor's list)
    if plan.new_authors and settings.authors_file is not None:
        existing = settings.authors_file.read_bytes() if settings.authors_file.is_file() else b""
        try:  # before anything is written: append only, never a rewrite of what a person wrote
            addition = appended_entries(existing.decode("utf-8", "replace"), plan.new_authors,
                                        "Added by the WordPress import")
        except ValueError as exc:
            rel = settings.authors_file.relative_to(root).as_posix()
            print(f"error: {rel}: {exc}, then run the import again", file=sys.stderr)
            return 1
    actions: list[str] = []
    kept: list[Need] = []
    new_state = dict(state)
    wanted = {**plan.files, **{rel: source.read_bytes() for rel, source in plan.copies.items()}}
    for rel, data in sorted(wanted.items()):
        target = root / rel
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            new_state[rel] = _hash(data)
            continue
        if current is not None and not force and state.get(rel) != _hash(current):
            kept.append(Need(rel, "changed since the import (or not written by it), so it was left as it is",
                             "run again with --force to replace it with the export's version"))
            continue
        actions.append(f"{'update' if current is not None else 'create'} {rel}")
        if not dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            new_state[rel] = _hash(data)
    if addition:
        rel = settings.authors_file.relative_to(root).as_posix()
        actions.append(f"append to {rel}: {', '.join(plan.new_authors)}")
        if not dry_run:
            with open(settings.authors_file, "ab") as stream:
                stream.write(addition.encode("utf-8"))
    if not dry_run and new_state != state:
        state_path.write_text(json.dumps({"files": new_state}, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    total = sum(plan.imported.values())
    print(f"{'Plan (--dry-run, nothing written)' if dry_run else 'WordPress import'}: {export_file}", file=out)
    print(f"Imported: {total} publication(s) ("
          + ", ".join(f"{key}: {n}" for key, n in sorted(plan.imported.items())) + f"), {len(plan.copies)} file(s)",
          file=out)
    print(f"{'Would change' if dry_run else 'Changed'}: {len(actions)}" + ("" if actions else " (nothing to do)"),
          file=out)
    for action in actions:
        print(f"  {action}", file=out)
    print(f"Skipped: {len(plan.skipped)}", file=out)
    for line in plan.skipped:
        print(f"  {line}", file=out)
    needs = plan.needs + kept
    print(f"Needs a person: {len(needs)}", file=out)
    for need in needs:
        print(f"  {need}", file=out)
    return 0
