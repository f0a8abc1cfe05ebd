"""A site's settings read straight from ``mkdocs.yml``, for commands that run without MkDocs.

The plugin's options go through ``build.read_plugin_options``, the path the
build takes, so a command and a build accept and refuse the same file.

The file may hold tags for MkDocs's own loader (``!!python/name:...``,
``!ENV``); they are read as plain values, since the commands only need the
``smartnotes`` plugin's settings and a few site keys.
"""

from __future__ import annotations

import os
import posixpath
from datetime import datetime
from pathlib import Path

import yaml

from .build import ConfigError, read_plugin_options, settings_of
from .catalog.addresses import Claim, written_by_person
from .content.fields import PUBLICATION_SUFFIXES
from .content.settings import SiteSettings

PLUGIN_NAME = "smartnotes"


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that reads any tag it does not know as the plain value under it."""


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_TolerantLoader.add_multi_constructor("", _plain)


class ProjectError(Exception):
    pass


def read_config(config_file: Path) -> dict:
    try:
        data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as exc:
        raise ProjectError(f"{config_file}: cannot be read ({exc.strerror}) — run the command from the "
                           "project folder or pass --config-file") from None
    except yaml.YAMLError as exc:
        raise ProjectError(f"{config_file}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{config_file}: not a mapping of settings")
    return data


def plugin_config(config: dict, name: str = PLUGIN_NAME) -> dict:
    """The settings under ``plugins: - smartnotes: {...}`` (a list or a mapping of plugins)."""
    plugins = config.get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        (p, {}) if isinstance(p, str) else next(iter(p.items()), ("", {})) for p in plugins if p
    )
    for key, value in items:
        if key == name:
            return dict(value or {})
    return {}


def load_settings(config_file: Path, now: datetime | None = None) -> tuple[SiteSettings, dict]:
    """The :class:`SiteSettings` a build of ``config_file`` would use, and the plugin's options by prefix."""
    _, settings, options = load_project(config_file, now)
    return settings, options


def load_project(config_file: Path, now: datetime | None = None) -> tuple[dict, SiteSettings, dict]:
    """``mkdocs.yml`` as read, the settings of a build (``mkdocs build``: drafts left out) and the options."""
    config_file = Path(config_file)
    config = read_config(config_file)
    root = config_file.resolve().parent
    try:
        options = read_plugin_options(plugin_config(config))
        settings = settings_of(options, root, root / str(config.get("docs_dir", "docs")),
                               site_url=str(config.get("site_url") or ""), site_name=str(config.get("site_name", "")),
                               now=now)
    except ConfigError as exc:
        raise ProjectError(config_error(exc, config_file)) from None
    return config, settings, options


def config_error(exc: ConfigError, config_file: Path) -> str:
    return str(exc).replace("mkdocs.yml: ", f"{config_file}: ")


def docs_claims(config: dict, settings: SiteSettings, is_refused=lambda path: False) -> list[Claim]:
    """What MkDocs would write for the pages and files a person keeps in docs_dir, without MkDocs
    (``smartnotes check``): a Markdown page at its directory URL, any other file at its path. Hidden
    files and those ``exclude_docs`` names line by line are left out, as MkDocs leaves them; the
    theme's files are not known without the engine (a build still checks them)."""
    docs = settings.docs_dir
    if docs is None or not docs.is_dir():
        return []
    excluded = {line.strip().strip("/") for line in str(config.get("exclude_docs") or "").splitlines()
                if line.strip() and not line.strip().startswith("#")}
    directory_urls = config.get("use_directory_urls", True) is not False
    docs_name = os.path.relpath(docs.resolve(), settings.root.resolve()).replace(os.sep, "/")
    claims = []
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(docs).as_posix()
            if name.startswith(".") or rel in excluded or name in excluded or is_refused(str(path)):
                continue
            stem, suffix = posixpath.splitext(rel)
            if suffix.lower() in PUBLICATION_SUFFIXES:
                base = posixpath.basename(stem)
                parent = posixpath.dirname(stem)
                if base in ("index", "README") or not directory_urls:
                    dest = posixpath.join(parent, "index.html") if base in ("index", "README") else f"{stem}.html"
                else:
                    dest = f"{stem}/index.html"
            else:
                dest = rel
            claims.append(written_by_person(dest, f"{docs_name}/{rel}"))
    return claims
