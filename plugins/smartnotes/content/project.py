"""Site settings read straight from ``mkdocs.yml``, for commands that run without MkDocs.

The file may hold tags for MkDocs's own loader (``!!python/name:...``,
``!ENV``); they are read as plain values, since the commands only need the
``smartnotes`` plugin's settings and a few site keys.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from .model import Collection
from .settings import SiteSettings, site_settings

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
    """The :class:`SiteSettings` a build of ``config_file`` would use, and the plugin's settings."""
    config_file = Path(config_file)
    config = read_config(config_file)
    options = plugin_config(config)
    root = config_file.resolve().parent
    docs_dir = root / str(config.get("docs_dir", "docs"))
    try:
        settings = site_settings(
            root, timezone_name=str(options.get("timezone", "UTC")),
            collections=tuple(Collection(**dict(c)) for c in options.get("collections") or ()),
            site_url=str(config.get("site_url") or ""), site_name=str(config.get("site_name", "")),
            authors_file=docs_dir / str(options.get("authors_file", "authors.yml")),
            now=now or options.get("now") or None,
        )
    except ValueError as exc:
        raise ProjectError(f"{config_file}: plugins.{PLUGIN_NAME}.{exc}") from None
    return settings, options

