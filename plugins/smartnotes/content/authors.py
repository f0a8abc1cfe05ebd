"""The authors registry: ``content/authors.yml`` maps an id to a person.

A registry that cannot be read is one problem at its own line; the ids it
could not vouch for come back as "unsure", so publications naming them do
not each add an "unknown author" (issue 13, one error path).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .frontmatter import character_name
from .model import Author
from .problems import Problem
from .text import forbidden_character

AUTHOR_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AUTHOR_FIELDS = {"name", "role", "url", "avatar"}


def load_authors(path: Path, root: Path) -> tuple[dict[str, Author], list[Problem], frozenset[str] | None]:
    """The authors, the registry's problems, and the ids it has problems with (None: all of them)."""
    rel = _rel(path, root)
    if not path.is_file():
        return {}, [Problem(rel, 1, "", "the authors registry is missing",
                            f"create {rel} with one entry per author")], None
    fix_yaml = "fix the YAML: one 'id:' line per author, then indented 'name:' and 'role:' lines"
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [Problem(rel, data[: exc.start].count(b"\n") + 1, "",
                            f"the authors registry is not UTF-8 (byte {data[exc.start]:#04x})",
                            "save the file as UTF-8 in your editor")], None
    except OSError as exc:
        return {}, [Problem(rel, 1, "", f"the authors registry cannot be read ({exc.strerror})",
                            f"make {rel} a readable file")], None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts; the problem mark is often the end.
        mark = exc.context_mark or exc.problem_mark
        problem = "; ".join(part.strip() for part in (exc.context, exc.problem) if part)
        return {}, [Problem(rel, (mark.line + 1) if mark else 1, "",
                            f"the authors registry is not valid YAML ({problem})", fix_yaml)], None
    except yaml.reader.ReaderError as exc:
        return {}, [Problem(rel, text[: exc.position].count("\n") + 1, "",
                            f"the authors registry holds the control character {character_name(chr(exc.character))}",
                            "delete it")], None
    except (yaml.YAMLError, RecursionError):
        return {}, [Problem(rel, 1, "", "the authors registry is not valid YAML", fix_yaml)], None
    if node is None:
        return {}, [], frozenset()
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(rel, node.start_mark.line + 1, "", "the authors registry is not a mapping of ids",
                            "write 'maggie-long:' then indented 'name: Maggie Long'")], None
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    unsure: set[str] = set()
    id_lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        author_id, line = str(key_node.value), key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(rel, line, "", "an author id is not a word",
                                    "write 'maggie-long:' then indented 'name: Maggie Long'"))
            continue
        if author_id in id_lines:
            problems.append(Problem(rel, line, author_id,
                                    f"the id is written twice, on lines {id_lines[author_id]} and {line}",
                                    "keep one entry per author"))
            unsure.add(author_id)
            authors.pop(author_id, None)
            continue
        id_lines[author_id] = line
        unsure.add(author_id)  # until the entry proves good
        if not AUTHOR_ID.match(author_id):
            problems.append(Problem(rel, line, author_id, f"{author_id!r} is not a valid author id",
                                    "use lowercase letters, digits and hyphens, such as 'maggie-long'"))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problems.append(Problem(rel, line, author_id, "the entry has no fields",
                                    "add an indented 'name:' line under the id"))
            continue
        fields = {str(k.value): v for k, v in value_node.value}
        bad = False
        for name, v in fields.items():
            if name not in AUTHOR_FIELDS:
                problems.append(Problem(rel, v.start_mark.line + 1, f"{author_id}.{name}", f"unknown field {name!r}",
                                        "authors have 'name', 'role', 'url' and 'avatar'", "warning"))
            elif not isinstance(v, yaml.ScalarNode):
                problems.append(Problem(rel, v.start_mark.line + 1, f"{author_id}.{name}", "the value is not a text",
                                        f"write the {name} as text after '{name}: '"))
                bad = True
            elif forbidden_character(v.value) is not None:
                problems.append(Problem(
                    rel, v.start_mark.line + 1, f"{author_id}.{name}",
                    f"the text holds the control character {character_name(forbidden_character(v.value))},"
                    " which feeds cannot carry", "delete it"))
                bad = True
        if bad:
            continue
        name_node = fields.get("name")
        if name_node is None or not str(name_node.value).strip():
            problems.append(Problem(rel, line, f"{author_id}.name", "the author has no name",
                                    "add an indented 'name:' line under the id"))
            continue
        authors[author_id] = Author(
            id=author_id,
            name=str(name_node.value).strip(),
            role=str(getattr(fields.get("role"), "value", "") or "").strip(),
            url=str(getattr(fields.get("url"), "value", "") or "").strip(),
            avatar=str(getattr(fields.get("avatar"), "value", "") or "").strip(),
        )
        unsure.discard(author_id)
    return authors, problems, frozenset(unsure)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
