"""The publication schema: every front-matter field, stated once (issue 14).

Each entry says a field's name, what kind of value it takes, whether it is
required, one line of help, an example, and the longer text of the writing
guide's field table. Validation (``fields.py``) reads the names and the
patterns from here; the ``schema/`` room turns the same table into the JSON
Schema of ``schema/publication.schema.json``, the writing guide's field
table and the text of ``smartnotes new``.

This table lives in the foundation because validation reads it, and
validation is the foundation: a feature room may import ``content/``, never
the other way round.

The taxonomy fields (``tags``, ``countries``, ``organizations``, ``authors``
and a site's own) are not restated here: :func:`publication_fields` makes
them from the registry (``taxonomies.py``); only the guide's wording of the
built-in ones is kept here, by kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .taxonomies import Taxonomies, Taxonomy

Kind = Literal["text", "date", "terms", "countries", "authors", "related", "file", "boolean", "slug", "uri",
               "aliases"]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A URI as RFC 3986 has it: a scheme, a colon, then no space or character URIs leave out.
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}]+$")
# Years a publication can plausibly carry; outside them a typo is likelier, and
# old local mean times have offsets in seconds, which RFC 3339 cannot write.
PLAUSIBLE_YEARS = range(1900, 3000)
# An old address on this site: from its first "/", a path and maybe a query, no host, fragment or space.
ALIAS = re.compile(r"^/(?!/)[^\s#\\<>\"]*$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    required: bool
    help: str
    """One line: the comment `smartnotes new` writes above an optional field, the editor's hint."""
    example: object
    """A value as the template writes it (YAML-able)."""
    guide: str
    """The writing guide's "what to write" cell (Markdown, one line)."""
    rare: bool = False
    """Rarely needed: listed last, under "Rarely needed" in the template."""


# The model's own fields, in the order validation reads them (model.OWN_FIELDS).
OWN = (
    FieldSpec("title", "text", True, "The title, on one line; in quotes if it holds a colon.",
              "Hiring Staff with Disabilities at AccessBank, Azerbaijan",
              "The title, on one line. Put it in quotes if it contains a colon (`:`)."),
    FieldSpec("date", "date", True, "The publication day, YYYY-MM-DD.", date(2012, 5, 24),
              "The publication day as `YYYY-MM-DD` (`2012-05-24`), a year from 1900 to 2999. A time may follow "
              "(`2012-05-24 14:30`), with an offset if it is not the site's time zone "
              "(`2012-05-24 14:30:00+04:00`)."),
    FieldSpec("updated", "date", False, "The day of a significant revision, on or after date.", date(2012, 6, 1),
              "The day of a significant revision, on or after `date`.", rare=True),
    FieldSpec("summary", "text", False, "One or two sentences for listings, feeds and link previews.",
              "One or two sentences shown in listings, feeds and link previews.",
              "One or two sentences. When missing, the first paragraph of the text is used."),
    FieldSpec("related", "related", False, 'Publications to list first under "Have you read?".',
              ["notes/responding-to-a-crisis-fundeser.md", {"title": "A page on another site",
                                                            "url": "https://example.org/page"}],
              'Publications to list under "Have you read?", in order: the path of another publication\'s file '
              "(`notes/other.md`), its slug, or a link to another site written as `{title: ..., url: https://...}`."),
    FieldSpec("download", "file", False, "The PDF to offer: a file beside this one, or an https:// address.",
              "report.pdf",
              "The PDF to offer for download: a file in the same folder, or a full `https://` address. Not another "
              "publication's `.md` file: link publications in the text or under `related`."),
    FieldSpec("image", "file", False, "The image shown when it is shared: a file beside this one, or https://.",
              "chart.png",
              "An image shown when the publication is shared: a file in the same folder or an `https://` address."),
    FieldSpec("draft", "boolean", False, "true keeps it off the published site; remove the line to publish.", True,
              "`true` keeps the publication off the published site; the preview still shows it, marked as a draft. "
              "Its `download` and `image` files, and everything in its own folder (`case_studies/amfa/index.md`), "
              "stay off the site too unless a published publication uses them. Remove the line (or write `false`) "
              "to publish."),
    FieldSpec("slug", "slug", False, "Another web address than the file's name: lowercase, digits, hyphens.",
              "hiring-staff-accessbank",
              "Changes the web address without renaming the file: lowercase letters, digits and hyphens.", rare=True),
    FieldSpec("id", "uri", False, "Only when it moves: its old address, so feeds do not show it as new.",
              "https://our-site.org/notes/old-address/",
              "Only when a publication moves: its old address, so feed readers do not show it again as new. It must "
              "be a full address or another URI (`https://…`, `tag:our-site.org,2012:amfa`), and no two publications "
              "may share one.", rare=True),
    FieldSpec("aliases", "aliases", False, "Old addresses on this site that lead here (a moved page, an old blog).",
              ["/2012/05/24/old-post/", "/?p=123"],
              "Old addresses of the publication on this site, each starting with `/` (`/2012/05/24/old-post/`, "
              "`/?p=123`): the build writes a redirect at each, so old links keep working. The WordPress import "
              "fills it.", rare=True),
)
OWN_FIELDS = tuple(f.name for f in OWN)

# The guide's wording of the built-in taxonomies' fields, by kind (their names,
# values and pages come from the registry).
_TAXONOMY_TEXT = {
    "author": ("One or more author ids from content/authors.yml.", ["maggie-long"],
               "One or more author ids from `content/authors.yml`, in square brackets: `[maggie-long]`. To add a "
               "person, add an entry to that file (`id`, `name`, and optionally `role`, `url`, `avatar`), or use "
               "*Authors* in the browser editor."),
    "tag": ("Topics; each gets its own page. Spell a topic the same way everywhere.",
            ["client protection", "staff with disabilities"],
            "Topics, in square brackets. Each gets its own page under `/tags/`. Spell a topic the same way "
            "everywhere."),
    "country": ("Countries: English names or ISO codes (AZ, AZE).", ["Azerbaijan"],
                "Country names in English or their two- or three-letter ISO codes (`AZ`, `AZE`). They are shown "
                "with one name each."),
    "organization": ("The organisations it is about.", ["AccessBank"],
                     "The organisations the publication is about."),
}


def taxonomy_field(taxonomy: Taxonomy) -> FieldSpec:
    """A taxonomy's field, from its registry entry."""
    kind = "authors" if taxonomy.values == "authors" else "countries" if taxonomy.values == "countries" else "terms"
    text = _TAXONOMY_TEXT.get(taxonomy.kind)
    if text is None:
        label = taxonomy.title.lower()
        text = (f"{taxonomy.title}; each gets its own page under /{taxonomy.prefix}/.", [f"a {taxonomy.label.lower()}"],
                f"{taxonomy.title}, in square brackets. Each gets its own page under `/{taxonomy.prefix}/`. Spell "
                f"the {label} the same way everywhere.")
    help_line, example, guide = text
    return FieldSpec(taxonomy.field, kind, taxonomy.values == "authors", help_line, example, guide)


def publication_fields(taxonomies: Taxonomies) -> tuple[FieldSpec, ...]:
    """Every field of a publication, in the order the guide and the template list them: the
    required ones, then the others, the rarely needed last."""
    own = {f.name: f for f in OWN}
    authors = taxonomies.of("author")
    ordered = (own["title"], own["date"], taxonomy_field(authors), own["summary"],
               *(taxonomy_field(t) for t in taxonomies if t is not authors),
               *(f for f in OWN if f.name not in ("title", "date", "summary")))
    return (*(f for f in ordered if not f.rare), *(f for f in ordered if f.rare))
