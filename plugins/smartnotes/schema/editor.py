"""The browser editor's configuration (Decap CMS, which Sveltia CMS also reads), from the publication
schema and the site's collections (issue 14, first step).

One folder collection per collection of ``mkdocs.yml`` (a third appears with no other change), each
field of :func:`~smartnotes.content.fieldtable.publication_fields` with a fitting widget, media kept
beside the publication, new entries as drafts. It is written at ``schema/admin/config.yml``; no page
serves it yet (the ``/admin/`` page, the local backend and the browser tests are still to come).
"""

from __future__ import annotations

from typing import Iterable

from ..content.countries import all_country_names
from ..content.fieldtable import FieldSpec, publication_fields
from ..content.settings import SiteSettings

EDITOR_PATH = "schema/admin/config.yml"


def _widget(spec: FieldSpec, author_ids: list[str]) -> dict:
    if spec.kind == "text":
        return {"widget": "text" if spec.name == "summary" else "string"}
    if spec.kind == "date":  # a day: no time, so no time zone to get wrong
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if spec.kind == "authors":  # the registry is a mapping of ids, which a relation widget cannot read
        return {"widget": "select", "multiple": True, "min": 1, "options": list(author_ids)}
    if spec.kind == "countries":
        return {"widget": "select", "multiple": True, "options": [*all_country_names()]}
    if spec.kind == "terms":
        return {"widget": "list", "allow_add": True}
    if spec.kind == "aliases":
        return {"widget": "list", "allow_add": True}
    if spec.kind == "related":  # paths or slugs; links to other sites are kept but not editable yet
        return {"widget": "list", "allow_add": True}
    if spec.kind == "file":
        return {"widget": "image" if spec.name == "image" else "file", "choose_url": True}
    if spec.kind == "boolean":
        return {"widget": "boolean", "default": True}
    return {"widget": "string"}


def editor_config(settings: SiteSettings, author_ids: Iterable[str]) -> dict:
    ids = sorted(author_ids)

    def fields() -> list[dict]:  # a fresh list per collection: the YAML has no anchors
        return [*({"name": spec.name, "label": spec.name.capitalize(), "required": spec.required,
                   "hint": spec.help, **_widget(spec, ids)} for spec in publication_fields(settings.taxonomies)),
                {"name": "body", "label": "Text", "widget": "markdown"}]
    return {
        "backend": {"name": "git-gateway", "branch": "main"},
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "site_url": settings.site_url or None,
        "media_folder": "content/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            "name": c.key, "label": c.title, "label_singular": c.label, "folder": c.folder, "create": True,
            "extension": "md", "format": "frontmatter", "slug": "{{slug}}",
            "media_folder": "", "public_folder": "",  # beside the publication: relative links keep working
            "preview_path": f"{c.prefix}/{{{{slug}}}}/",
            "fields": fields(),
        } for c in settings.collections],
    }
