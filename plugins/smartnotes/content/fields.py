"""Validate each front-matter field and build a :class:`Publication`.

Every check adds a :class:`Problem` naming the line, the field, the bad value
and the fix; reading goes on so that one run reports everything.
"""

from __future__ import annotations

import mimetypes
import re
import reprlib
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .fieldtable import ALIAS, PLAUSIBLE_YEARS, SLUG, URI
from .countries import all_country_names, normalise_country
from .frontmatter import RawFrontMatter, character_name
from .model import OWN_FIELDS, Author, Collection, Download, Publication, RelatedRef, Term
from .problems import Problem, did_you_mean
from .settings import SiteSettings
from .taxonomies import Taxonomy
from .text import default_slug, first_paragraph, forbidden_character, slugify

# Markdown files of a collection that are publications: the extensions MkDocs
# reads as Markdown, so none of them is ever rendered outside the catalog
# (issue 13; the writing guide lists them).
PUBLICATION_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


# The patterns of slugs, ids, aliases and plausible years are the schema's (fieldtable.py).
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_NAMES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y")


class FieldReader:
    def __init__(
        self,
        rel: str,
        path: Path,
        raw: RawFrontMatter,
        collection: Collection,
        settings: SiteSettings,
        authors: dict[str, Author],
        unsure_authors: frozenset[str] | None = frozenset(),
    ):
        self.rel, self.path, self.raw = rel, path, raw
        self.collection, self.settings, self.authors = collection, settings, authors
        # Ids the registry has problems with (None: it could not be read at all):
        # its own problems are reported, not one "unknown author" per publication.
        self.unsure_authors = unsure_authors
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------
    def line(self, name: str, index: int | None = None) -> int:
        if index is not None:
            items = self.raw.item_lines.get(name, [])
            if index < len(items):
                return items[index]
        return self.raw.key_lines.get(name, 1)

    def error(self, name: str, message: str, fix: str, index: int | None = None) -> None:
        self.problems.append(Problem(self.rel, self.line(name, index), name, message, fix))

    def warning(self, name: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.rel, self.line(name), name, message, fix, "warning"))

    # -- the publication -----------------------------------------------------
    def publication(self) -> Publication | None:
        data = self.raw.data
        for name, (line, message, fix) in self.raw.invalid.items():
            self.problems.append(Problem(self.rel, line, name, message, fix))
        for name, (text, reason) in self.raw.bad_values.items():
            if name in ("date", "updated"):
                if reason.startswith("offset must be a timedelta"):  # Python's words, not a person's
                    reason = "its offset is not between -23:59 and +23:59"
                self.error(name, f"{_shown(text)} is not a real date ({reason})",
                           "check the day and the month; write dates as YYYY-MM-DD")
            else:
                self.error(name, f"{_shown(text)} cannot be read ({reason})", "quote the value: 'like this'")
        known = self.known_fields()
        for name in data:
            if name not in known:
                # An error in every mode: `Draft: true` must never publish a draft (issue 13).
                same = [k for k in known if k.casefold() == name.casefold()]
                hint = (f"field names are lowercase: write {same[0]!r}" if same
                        else did_you_mean(name, known) or f"known fields: {', '.join(known)}")
                self.error(name, f"unknown field {_shown(name)}", hint)
        title = self.title()
        published = self.date("date", required=True)
        updated = self.date("updated")
        if published and updated and updated < published:
            self.error("updated", f"{updated.isoformat()} is before the date {published.isoformat()}",
                       "'updated' must be on or after 'date'")
        authors = self.author_list()
        summary = self.text("summary")
        terms = tuple(term for taxonomy in self.settings.taxonomies.of_terms for term in self.terms(taxonomy))
        related = self.related()
        download = self.download()
        image = self.image()
        draft = self.boolean("draft")
        slug = self.slug()
        feed_id = self.feed_id(published, slug)
        aliases = self.aliases()
        self.check_body()
        if title is None or published is None or slug is None or any(p.is_error for p in self.problems):
            return None
        return Publication(
            source_path=self.rel,
            collection=self.collection,
            slug=slug,
            title=title,
            date=published,
            body=self.raw.body,
            body_line=self.raw.body_line,
            updated=updated,
            authors=authors,
            summary=summary or first_paragraph(self.raw.body),
            summary_is_explicit=bool(summary),
            terms=terms,
            related=related,
            download=download,
            image=image,
            draft=draft,
            feed_id=feed_id,
            aliases=aliases,
            field_lines=dict(self.raw.key_lines),
        )

    # -- fields ---------------------------------------------------------------
    def _present(self, name: str) -> bool:
        return name in self.raw.data and name not in self.raw.bad_values

    def _reported(self, name: str) -> bool:
        """The field's value could not be used and its problem is already said."""
        return name in self.raw.bad_values or name in self.raw.invalid

    def title(self) -> str | None:
        value = self.raw.data.get("title")
        if self._reported("title"):
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problems.append(Problem(self.rel, self.line("title"), "title", "the title is missing",
                                         "add a line 'title: Your title' to the front matter"))
            return None
        if not isinstance(value, (str, int, float)):
            self.error("title", f"{_shown(value)} is not a text", "write the title on one line after 'title: '")
            return None
        return " ".join(str(value).split())

    def text(self, name: str) -> str:
        if not self._present(name) or self.raw.data[name] is None:
            return ""
        value = self.raw.data[name]
        if not isinstance(value, (str, int, float)):
            self.error(name, f"{_shown(value)} is not a text", f"write the {name} as text after '{name}: '")
            return ""
        return " ".join(str(value).split())

    def boolean(self, name: str) -> bool:
        if not self._present(name):
            return False
        value = self.raw.data[name]
        if not isinstance(value, bool):
            self.error(name, f"{_shown(value)} is not true or false", f"write '{name}: true' or '{name}: false'")
            return False
        return value

    def date(self, name: str, required: bool = False) -> datetime | None:
        if self._reported(name):
            return None
        value = self._date(name, required)
        if value is None:
            return None
        if value.year not in PLAUSIBLE_YEARS:
            self.error(name, f"{value.date().isoformat()} is not a plausible publication date",
                       f"write the day as YYYY-MM-DD with a year from {PLAUSIBLE_YEARS[0]} to {PLAUSIBLE_YEARS[-1]},"
                       " such as 2012-05-24")
            return None
        offset = value.utcoffset()
        if offset % timedelta(minutes=1):
            self.error(name, f"{value.date().isoformat()} has the offset {_offset_text(offset)} (an old local time),"
                       " which feeds cannot write",
                       f"give the time with a whole-minute offset, such as {value.date().isoformat()}T00:00:00+00:00")
            return None
        return value

    def _date(self, name: str, required: bool) -> datetime | None:
        if name not in self.raw.data or self.raw.data[name] is None:
            if required:
                self.error(name, "the date is missing", f"add a line '{name}: 2012-05-24' (the publication day)")
            return None
        value = self.raw.data[name]
        tz = self.settings.timezone
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        if isinstance(value, date):
            return datetime.combine(value, time(0, 0), tzinfo=tz)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                self.error(name, f"{value!r} is not a date", _date_fix(value.strip()))
                return None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        self.error(name, f"{_shown(value)} is not a date", "write the date as YYYY-MM-DD, such as 2012-05-24")
        return None

    def string_list(self, name: str) -> list[tuple[int, str]]:
        """A list of strings (a single string counts as a list of one)."""
        if not self._present(name) or self.raw.data[name] is None:
            return []
        value = self.raw.data[name]
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [(0, str(value))]
        if not isinstance(value, list):
            self.error(name, f"{_shown(value)} is not a list", f"write '{name}: [first, second]' or one '- item' per line")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                items.append((index, " ".join(str(item).split())))
            else:
                self.error(name, f"item {index + 1} ({_shown(item)}) is not a text", f"write each of the {name} as text",
                           index)
        return items

    def author_list(self) -> tuple[Author, ...]:
        if self._reported("authors"):
            return ()
        if "authors" not in self.raw.data:
            hint = did_you_mean("author", self.raw.data) if "author" in self.raw.data else ""
            self.error("authors", "no author is given",
                       "add 'authors: [maggie-long]' with ids from content/authors.yml" + (f" ({hint})" if hint else ""))
            return ()
        if self.raw.data["authors"] in (None, [], ""):  # `authors:` or `authors: []`: nobody is named
            self.error("authors", "no author is given",
                       "write at least one id from content/authors.yml: 'authors: [maggie-long]'")
            return ()
        found = []
        for index, author_id in self.string_list("authors"):
            author = self.authors.get(author_id)
            if author is None and (self.unsure_authors is None or author_id in self.unsure_authors):
                continue  # the registry's own problem says why
            if author is None:
                hint = did_you_mean(author_id, self.authors) or "add the author to content/authors.yml"
                self.error("authors", f"unknown author {author_id!r}", hint, index)
            elif author not in found:
                found.append(author)
        return tuple(found)

    def known_fields(self) -> tuple[str, ...]:
        authors = self.settings.taxonomies.of("author").field
        return (*OWN_FIELDS[:3], authors, *OWN_FIELDS[3:4],
                *(t.field for t in self.settings.taxonomies if t.field != authors), *OWN_FIELDS[4:])

    def terms(self, taxonomy: Taxonomy) -> tuple[Term, ...]:
        if taxonomy.values == "countries":
            return self.countries(taxonomy)
        name, kind = taxonomy.field, taxonomy.kind
        terms: list[Term] = []
        for index, text in self.string_list(name):
            slug = slugify(text)
            if not slug:
                self.error(name, f"{text!r} has no letters or digits", f"write the {kind} as words", index)
            elif all(t.slug != slug for t in terms):
                terms.append(Term(kind, text, slug, taxonomy.prefix))
        return tuple(terms)

    def countries(self, taxonomy: Taxonomy) -> tuple[Term, ...]:
        name = taxonomy.field
        terms: list[Term] = []
        for index, text in self.string_list(name):
            display = normalise_country(text)
            if display is None:
                hint = did_you_mean(text, all_country_names())
                self.error(name, f"unknown country {text!r}",
                           hint or "write the country's English name or its ISO 3166 code, such as 'AZ'", index)
            elif all(t.name != display for t in terms):
                terms.append(Term(taxonomy.kind, display, slugify(display), taxonomy.prefix))
        return tuple(terms)

    def related(self) -> tuple[RelatedRef, ...]:
        if not self._present("related") or self.raw.data["related"] is None:
            return ()
        value = self.raw.data["related"]
        if not isinstance(value, list):
            self.error("related", f"{_shown(value)} is not a list",
                       "write one '- notes/other-note.md' line per related publication")
            return ()
        refs = []
        for index, item in enumerate(value):
            line = self.line("related", index)
            if isinstance(item, str) and item.strip():
                refs.append(RelatedRef(line=line, target=item.strip()))
            elif isinstance(item, dict) and set(item) <= {"title", "url"} and item.get("title") and item.get("url"):
                url = str(item["url"]).strip()
                if not url.startswith(("http://", "https://")):
                    self.error("related", f"external link {url!r} is not an http(s) URL",
                               "write the full address, starting with https://", index)
                    continue
                refs.append(RelatedRef(line=line, title=" ".join(str(item["title"]).split()), url=url))
            else:
                self.error("related", f"item {index + 1} ({_shown(item)}) is neither a publication nor a link",
                           "write a path such as 'notes/other.md', a slug, or '{title: ..., url: https://...}'",
                           index)
        return tuple(refs)

    def _local_file(self, name: str, value: str) -> Path | None:
        candidate = (self.path.parent / value).resolve()
        root = (self.settings.root / self.collection.folder).resolve()
        if not candidate.is_relative_to(root):
            self.error(name, f"{value!r} is outside the folder {self.collection.folder}/",
                       f"put the file beside the publication in {self.collection.folder}/")
            return None
        if not candidate.is_file():
            nearby = [p.name for p in self.path.parent.iterdir() if p.is_file() and p.suffix.lower() != ".md"]
            hint = did_you_mean(PurePosixPath(value).name, nearby)
            self.error(name, f"the file {value!r} does not exist",
                       hint or f"put the file beside {self.path.name} or give its https:// address")
            return None
        if candidate.suffix.lower() in PUBLICATION_SUFFIXES:
            # The site publishes it as a page, never as this file: the link would be a 404 (issue 13).
            self.error(name, f"{value!r} is a publication's Markdown, not a file the site publishes",
                       f"give the {name} a PDF or another file beside {self.path.name}; link publications in"
                       " the text or under 'related:'")
            return None
        inside = candidate.relative_to(root).parts
        if any(part.startswith((".", "_")) for part in inside):
            self.error(name, f"{value!r} is a hidden file, which the site does not publish",
                       "rename it (and its folders) without a leading '.' or '_'")
            return None
        return candidate

    def _site_url_of(self, candidate: Path) -> str:
        inside = candidate.relative_to((self.settings.root / self.collection.folder).resolve()).as_posix()
        return f"{self.collection.prefix}/{inside}"

    def download(self) -> Download | None:
        value = self.text("download")
        if not value:
            return None
        if value.startswith(("http://", "https://")):
            mime = mimetypes.guess_type(value)[0] or "application/pdf"
            return Download(url=value, mime_type=mime)
        candidate = self._local_file("download", value)
        if candidate is None:
            return None
        mime = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        rel = candidate.relative_to(self.settings.root.resolve()).as_posix()
        return Download(path=rel, url=self._site_url_of(candidate), size=candidate.stat().st_size, mime_type=mime)

    def image(self) -> str:
        value = self.text("image")
        if not value or value.startswith(("http://", "https://")):
            return value
        candidate = self._local_file("image", value)
        return self._site_url_of(candidate) if candidate else ""

    def feed_id(self, published: datetime | None, slug: str | None) -> str:
        """The front-matter ``id``: a URI, since Atom ids are IRIs (RFC 4287 §4.2.6)."""
        value = self.text("id")
        if value and not URI.match(value):
            host = urlsplit(self.settings.site_url).hostname or "example.org"
            year = published.year if published else 2012
            example = f"tag:{host},{year}:{slugify(value) or slug or 'name'}"
            self.error("id", f"{_shown(value)} is not a URI, so it cannot be a feed id",
                       f"write an id that never changes as a URI, such as {example!r}")
            return ""
        return value

    def aliases(self) -> tuple[str, ...]:
        """Old addresses of the publication, site-relative (``/2012/05/24/x/``, ``/?p=12``): each gets a
        redirect (redirects/); the importer fills them from WordPress permalinks, a person adds one on
        renaming a slug."""
        found: list[str] = []
        for index, text in self.string_list("aliases"):
            path = urlsplit(text).path if ALIAS.match(text) else ""
            if not ALIAS.match(text) or ".." in path.split("/") or "//" in path:
                self.error("aliases", f"{_shown(text)} is not an address on this site",
                           "write the old address from its first '/', such as '/2012/05/24/old-slug/'", index)
            elif text not in found:
                found.append(text)
        return tuple(found)

    def check_body(self) -> None:
        """Text XML 1.0 forbids (ESC, NUL, BEL) would break every feed: refused where it is."""
        char = forbidden_character(self.raw.body)
        if char is not None:
            line = self.raw.body_line + self.raw.body[: self.raw.body.index(char)].count("\n")
            self.problems.append(Problem(
                self.rel, line, "body", f"the text holds the control character {character_name(char)},"
                " which feeds cannot carry", "delete it (it often comes with text pasted from a terminal or a PDF)"))

    def slug(self) -> str | None:
        value = self.text("slug")
        if value:
            if not SLUG.match(value):
                self.error("slug", f"{value!r} is not a valid slug",
                           f"use lowercase letters, digits and hyphens, such as {slugify(value)!r}")
                return None
            return value
        slug = default_slug(self.path)
        if not slug:
            self.problems.append(Problem(self.rel, 1, "slug", f"the file name {self.path.name!r} gives no URL",
                                         "rename the file with letters or digits, or add a 'slug:' field"))
            return None
        return slug


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = 80, 80, 6, 6, 3


def _shown(value: object) -> str:
    """A value as a message quotes it, bounded (a pasted page or a huge list stays one short line)."""
    return _REPR.repr(value)


def _offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("+", seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _date_fix(value: str) -> str:
    match = _DMY.match(value)
    if match:
        first, second, year = (int(g) for g in match.groups())
        readings = []
        for d, m in ((first, second), (second, first)):  # day first (most of the world), then month first
            try:
                reading = date(year, m, d).isoformat()
            except ValueError:
                continue
            if reading not in readings:
                readings.append(reading)
        if len(readings) == 2:  # 03/04/2013: never guess which
            return (f"ambiguous: {readings[0]} (day first) or {readings[1]} (month first)? Write the one you mean "
                    "as YYYY-MM-DD")
        if readings:
            return f"write it as {readings[0]} (YYYY-MM-DD)"
    for fmt in _MONTH_NAMES:
        try:
            return f"write it as {datetime.strptime(value, fmt).date().isoformat()} (YYYY-MM-DD)"
        except ValueError:
            continue
    return "write the date as YYYY-MM-DD, such as 2012-05-24"

