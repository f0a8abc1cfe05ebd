"""Our templates in MkDocs's Jinja environment (escaping on, our filters), the search
document of each article, and the build's errors as MkDocs's."""

from __future__ import annotations

import posixpath
from contextlib import contextmanager
from pathlib import Path

from jinja2 import pass_context

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
    env.globals["sn_frame"] = frame_parts()
    return env


def frame_parts():
    """``{% call sn_frame("nav") %}…{% endcall %}``: a part of Material's frame rendered once
    for all the pages it is the same on, and copied into the rest.

    The navigation, the tabs, most of the header, the footer and the script's settings are
    the same on every page that is not in the navigation (the publications and the listing
    pages: nearly every page of the site) but for their links, which are relative. A link
    from ``notes/a/`` reads as it does from ``notes/b/`` unless it leads into one of them, so
    the parts are kept per folder above the page's own. A page in the navigation (its item is
    marked active, its neighbours are in the footer) is rendered whole. One store per build:
    MkDocs makes a new environment for each, so a changed navigation is never copied from an
    older one. ``tests/test_frame_parts.py`` builds a site with and without the store and compares
    every file."""
    parts: dict = {}
    last: list = [None, None]  # (the page, its key): a page asks for five parts in a row

    @pass_context
    def frame(context, name: str, *, caller):
        page = context.get("page")
        if last[0] is not page or page is None:
            last[:] = [page, _frame_key(context)]
        key = last[1]
        if key is None:
            return caller()
        key = (name, key)
        if key not in parts:
            parts[key] = caller()
        return parts[key]

    return frame


def _frame_key(context):
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or getattr(page, "url", None) is None:
        return None
    in_nav, targets = _nav_facts(nav)
    if id(page) in in_nav:
        return None
    folder = _folder(page.url)  # what MkDocs's `url` filter makes links relative to
    inside = folder == "/" or any(_under(target, folder) for target in targets)
    return posixpath.dirname(folder), folder if inside else None


_NAV_FACTS: list = [None, None]  # (the navigation, its facts): one navigation per build


def _nav_facts(nav) -> tuple[set[int], list[str]]:
    """The pages in the navigation (by identity: the navigation keeps them alive) and the folders
    its links lead to."""
    if _NAV_FACTS[0] is not nav:
        _NAV_FACTS[:] = [nav, ({id(p) for p in nav.pages},
                               sorted({_folder_of_target(item.url) for item in _targets(nav)}))]
    return _NAV_FACTS[1]


def _folder(url: str) -> str:
    head, tail = posixpath.split(url)
    return posixpath.normpath("/" + (head if "." in tail else url))


def _folder_of_target(url: str) -> str:
    return posixpath.normpath("/" + url)


def _under(target: str, folder: str) -> bool:
    return target == folder or target.startswith(folder.rstrip("/") + "/")


def _targets(nav):
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if getattr(item, "url", None) is not None:
            yield item
        stack.extend(getattr(item, "children", None) or ())


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
