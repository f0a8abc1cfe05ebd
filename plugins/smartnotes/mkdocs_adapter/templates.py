"""Our templates in MkDocs's Jinja environment (escaping on, our filters), the search
document of each article, and the build's errors as MkDocs's."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from ..build import ConfigError, ContentError
from ..runtime.pagefind import SearchIndexError

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


def article_renderer(env, files, config, build):
    """Each publication's article as Pagefind reads it (``sn-search-document.html``), from its
    converted page, before any page is rendered."""
    template = env.get_template("partials/sn-search-document.html")

    def article(publication) -> str:
        page = files.get_file_from_path(publication.source_path).page
        return template.render(page=page, base_url=get_relative_url(".", page.url), config=config,
                               sn=build.article_data(publication), search_language=build.search.language)

    return article


@contextmanager
def plugin_errors():
    """The build's errors as MkDocs's: one message, no traceback."""
    try:
        yield
    except (ConfigError, ContentError) as exc:
        raise PluginError(str(exc)) from None
    except SearchIndexError as exc:
        raise PluginError(f"search: {exc}") from None
