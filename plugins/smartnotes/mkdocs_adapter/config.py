"""The plugin's configuration schema, derived from the options each room states once.

MkDocs validates a plugin's options one by one and stops at the first bad
one. So each option here only carries its documented default; the values
are read by ``build.read_plugin_options``, which reports every problem at
once with "did you mean", as the commands do with the same mkdocs.yml.
"""

from __future__ import annotations

from mkdocs.config import base

from ..build import OPTION_GROUPS
from ..content.options import specs

UNSET = object()  # an option mkdocs.yml leaves out: the room's default applies


class AsWritten(base.BaseConfigOption):
    """Any value, kept as written; its default and its doc are the room's (`smartnotes options`)."""

    def __init__(self) -> None:
        super().__init__()
        self.default = UNSET  # MkDocs's base sets None

    def run_validation(self, value: object) -> object:
        return value


def config_class() -> type[base.Config]:
    schema = {spec.key: AsWritten()
              for prefix, group in OPTION_GROUPS.items() for spec in specs(group, prefix)}
    return type("SmartNotesConfig", (base.Config,), schema)


SmartNotesConfig = config_class()


def as_written(config: base.Config) -> dict:
    """What mkdocs.yml says under the plugin, unknown keys included (they are errors)."""
    return {key: value for key, value in config.items() if value is not UNSET}
