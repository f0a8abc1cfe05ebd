"""A site's settings read straight from ``mkdocs.yml``, for commands that run without MkDocs.

The plugin's options go through ``build.read_plugin_options``, the path the
build takes, so a command and a build accept and refuse the same file.

The file may hold tags for MkDocs's own loader (``!!python/name:...``,
``!ENV``); they are read as plain values, since the commands only need the
``smartnotes`` plugin's settings and a few site keys.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from .build import ConfigError, read_plugin_options, settings_of
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
    config_file = Path(config_file)
    config = read_config(config_file)
    root = config_file.resolve().parent
    try:
        options = read_plugin_options(plugin_config(config))
        settings = settings_of(options, root, root / str(config.get("docs_dir", "docs")),
                               site_url=str(config.get("site_url") or ""), site_name=str(config.get("site_name", "")),
                               now=now)
    except ConfigError as exc:
        raise ProjectError(str(exc).replace("mkdocs.yml: ", f"{config_file}: ")) from None
    return settings, options
