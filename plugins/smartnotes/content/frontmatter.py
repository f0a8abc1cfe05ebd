"""Reading one publication's front matter with the line of every field.

python-frontmatter detects and splits the front matter; the YAML is then
composed once with PyYAML so each key and list item keeps its line, and each
field is constructed on its own, so one impossible value (``2012-02-30``)
does not hide the other fields' problems.

Front matter is written by people in a hurry and, sometimes, by someone who
means harm (issue 13). Before a value is constructed, its composed nodes are
walked once: a YAML tag other than the plain ones (``!!python/object``), a
value nested deeper than :data:`MAX_DEPTH` or one that aliases (``*a``)
expand to more than :data:`MAX_NODES` values ("billion laughs") is a problem
of that field, and is never constructed or quoted. A key written twice is a
problem naming both lines (YAML would keep the last one silently), and text
holding a character XML 1.0 forbids is a problem at its line, since every
feed must stay well-formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

from .text import forbidden_character

try:  # the C loader is ~10x faster and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Front matter needs two levels (`related:` is a list of small mappings).
MAX_DEPTH = 20
# Values of one field, counted with every alias expanded.
MAX_NODES = 10_000
_CORE = "tag:yaml.org,2002:"
# The tags plain YAML gives; anything else was written on purpose (`!!python/object`, `!!binary`).
PLAIN_TAGS = frozenset(_CORE + name for name in
                       ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge"))


@dataclass
class RawFrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    bad_values: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (text, reason)
    # key -> (line, message, fix): values that were not constructed, or are unusable as written
    invalid: dict[str, tuple[int, str, str]] = field(default_factory=dict)
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
    node = _compose(fm_text, fm_start)
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
        line = fm_start + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise FrontMatterSyntaxError(line, "a field name is not a word",
                                         "write one field per line, such as 'title: My title'")
        key = str(key_node.value)
        if key in raw.key_lines:
            first = raw.key_lines[key]
            raw.invalid[key] = (line, f"the field is written twice, on lines {first} and {line}",
                                f"keep one '{key}:' line")
            raw.data.pop(key, None)
            continue
        raw.key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            raw.item_lines[key] = [fm_start + item.start_mark.line for item in value_node.value]
        trouble = _unsafe(value_node, fm_start)
        if trouble is not None:
            raw.invalid[key] = trouble
            continue
        try:
            value = constructor.construct_object(value_node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            text = value_node.value if isinstance(value_node, yaml.ScalarNode) else "the value"
            reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
            raw.bad_values[key] = (str(text), " ".join(str(reason).split()))
            continue
        found = _forbidden_in(value)
        if found is not None:
            index, char = found
            raw.invalid[key] = (raw.item_lines[key][index] if index is not None else line,
                                f"the text holds the control character {char}, which feeds cannot carry",
                                "delete it (it often comes with text pasted from a terminal or a PDF)")
            continue
        raw.data[key] = value
    constructor.dispose()
    return raw


def _compose(fm_text: str, fm_start: int) -> yaml.Node | None:
    loader = _Loader(fm_text)
    try:
        return loader.get_single_node()
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
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, such as ESC or NUL
        line = fm_start + fm_text[: exc.position].count("\n")
        raise FrontMatterSyntaxError(
            line, f"the front matter holds the control character {character_name(chr(exc.character))}",
            "delete it (it often comes with text pasted from a terminal or a PDF)",
        ) from None
    except RecursionError:  # PyYAML composes recursively: hundreds of nested lists
        raise FrontMatterSyntaxError(
            fm_start + _too_deep_line(fm_text), f"a value is nested more than {MAX_DEPTH} levels deep",
            "write each field as text or as a simple list",
        ) from None
    finally:
        loader.dispose()


def _too_deep_line(fm_text: str) -> int:
    """Line (from 0) where nesting passes MAX_DEPTH, found without recursion."""
    loader = _Loader(fm_text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return 0


def _unsafe(value_node: yaml.Node, fm_start: int) -> tuple[int, str, str] | None:
    """(line, message, fix) when a value must not be constructed: a tag, too deep, too many aliases."""
    if type(value_node) is yaml.ScalarNode and value_node.tag in PLAIN_TAGS:
        return None  # most fields: one plain value
    stack = [(value_node, 1)]
    seen = 0
    collections: set[int] = set()  # ids of the lists and mappings met: one met twice is an alias
    aliased = False
    while stack:
        node, depth = stack.pop()
        seen += 1
        line = fm_start + node.start_mark.line
        if seen > MAX_NODES:
            if aliased:
                return (fm_start + value_node.start_mark.line,
                        f"the value expands to more than {MAX_NODES:,} items through YAML aliases ('*name')",
                        "write the value out in full, without '&' anchors and '*' aliases")
            return (fm_start + value_node.start_mark.line, f"the value has more than {MAX_NODES:,} items",
                    "keep the few values a publication needs")
        if node.tag not in PLAIN_TAGS:
            return (line, f"the YAML tag {_written_tag(node.tag)!r} is not allowed",
                    "remove the tag and write the value as plain text")
        if depth > MAX_DEPTH:
            if aliased:  # a list that holds itself (`&a [*a]`) is endlessly deep
                return (line, "the value refers to itself through YAML aliases ('*name')",
                        "write the value out in full, without '&' anchors and '*' aliases")
            return (line, f"the value is nested more than {MAX_DEPTH} levels deep",
                    "write the field as text or as a simple list")
        if type(node) is not yaml.ScalarNode:
            aliased = aliased or id(node) in collections
            collections.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                stack.append((key, depth + 1))
                stack.append((child, depth + 1))
    return None


def _written_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _forbidden_in(value: Any) -> tuple[int | None, str] | None:
    """(list index or None, the character's name) of the first character XML 1.0 forbids in a value."""
    if type(value) is not str and type(value) is not list and type(value) is not dict:
        return None  # dates, numbers, booleans
    stack = [(value, None)]
    while stack:
        item, index = stack.pop()
        if isinstance(item, str):
            char = forbidden_character(item)
            if char is not None:
                return index, character_name(char)
        elif isinstance(item, list):
            stack.extend((child, i if index is None else index) for i, child in enumerate(item))
        elif isinstance(item, dict):
            stack.extend((child, index) for pair in item.items() for child in pair)
    return None


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}


def character_name(char: str) -> str:
    """``U+001B (ESC)``: how a message names an invisible character."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"
