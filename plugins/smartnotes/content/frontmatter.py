"""Reading one publication's front matter with the line of every field.

python-frontmatter detects and splits the front matter; the YAML is then
composed once with PyYAML so each key and list item keeps its line, and each
field is constructed on its own, so one impossible value (``2012-02-30``)
does not hide the other fields' problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

try:  # the C loader is ~10x faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass
class RawFrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    bad_values: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (text, reason)
    body: str = ""
    body_line: int = 1


class FrontMatterSyntaxError(Exception):
    def __init__(self, line: int, message: str, fix: str):
        self.line, self.message, self.fix = line, message, fix
        super().__init__(message)


_HANDLER = frontmatter.YAMLHandler()


def split_front_matter(text: str) -> RawFrontMatter:
    """Parse ``text`` (a whole Markdown file) into fields with their lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not _HANDLER.detect(text):
        raise FrontMatterSyntaxError(
            1,
            "the file has no front matter",
            "start the file with a line '---', the fields (title, date, authors, ...), then another '---'",
        )
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        raise FrontMatterSyntaxError(
            1, "the front matter is not closed", "add a line '---' after the last field"
        ) from None
    # python-frontmatter's split keeps the newline that ends the opening
    # '---', so line 0 of the YAML text is line 1 of the file.
    fm_start = 1
    body_line = fm_text.count("\n") + 2
    loader = _Loader(fm_text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (the '[' that
        # is never closed); the problem mark is often the end of the text.
        mark = exc.context_mark or exc.problem_mark
        line = fm_start + (mark.line if mark else 0)
        problem = "; ".join(part.strip() for part in (exc.context, exc.problem) if part)
        raise FrontMatterSyntaxError(
            line,
            f"the front matter is not valid YAML ({problem})",
            "check the indentation and quote values that contain ': ' or start with '[', '{', '@' or '*'",
        ) from None
    finally:
        loader.dispose()
    raw = RawFrontMatter(body=body, body_line=body_line)
    if node is None:
        return raw
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterSyntaxError(
            fm_start + node.start_mark.line,
            "the front matter is not a list of 'field: value' lines",
            "write one field per line, such as 'title: My title'",
        )
    constructor = _Loader("")
    for key_node, value_node in node.value:
        key = str(key_node.value)
        raw.key_lines[key] = fm_start + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            raw.item_lines[key] = [fm_start + item.start_mark.line for item in value_node.value]
        try:
            raw.data[key] = constructor.construct_object(value_node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            text = value_node.value if isinstance(value_node, yaml.ScalarNode) else "the value"
            raw.bad_values[key] = (str(text), str(exc))
    constructor.dispose()
    return raw
