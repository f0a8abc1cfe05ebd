"""Our templates in MkDocs's Jinja environment: escaping on, and the filters they use."""

from __future__ import annotations

from pathlib import Path

from ..content.settings import SiteSettings
from ..content.text import human_date


def prepare(env, custom_dir: str | None, settings: SiteSettings):
    env.autoescape = _autoescape_our_templates(env.autoescape, custom_dir)
    env.filters["human_date"] = human_date
    env.filters["absolute_url"] = settings.absolute
    return env


def _autoescape_our_templates(previous, custom_dir: str | None):
    """Escape data in our own templates (MkDocs turns autoescaping off).

    Material's templates print ``page.content`` unescaped, so escaping stays
    off for them; templates under ``theme/`` print it with ``|safe``.
    """
    ours = set()
    if custom_dir:
        root = Path(custom_dir)
        ours = {p.relative_to(root).as_posix() for p in root.rglob("*.html")}

    def autoescape(name: str | None) -> bool:
        if name in ours:
            return True
        return previous(name) if callable(previous) else bool(previous)

    return autoescape
