"""The authors registry: ``content/authors.yml`` maps an id to a person."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .model import Author
from .problems import Problem

AUTHOR_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AUTHOR_FIELDS = {"name", "role", "url", "avatar"}


def load_authors(path: Path, root: Path) -> tuple[dict[str, Author], list[Problem]]:
    rel = _rel(path, root)
    if not path.is_file():
        return {}, [Problem(rel, 1, "", "the authors registry is missing", f"create {rel} with one entry per author")]
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [
            Problem(rel, (mark.line + 1) if mark else 1, "", f"the authors registry cannot be read ({exc})",
                    "fix the YAML: one 'id:' line per author, then indented 'name:' and 'role:' lines")
        ]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(rel, node.start_mark.line + 1, "", "the authors registry is not a mapping of ids",
                            "write 'maggie-long:' then indented 'name: Maggie Long'")]
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        author_id, line = str(key_node.value), key_node.start_mark.line + 1
        if not AUTHOR_ID.match(author_id):
            problems.append(Problem(rel, line, author_id, f"{author_id!r} is not a valid author id",
                                    "use lowercase letters, digits and hyphens, such as 'maggie-long'"))
            continue
        if not isinstance(value_node, yaml.MappingNode):
            problems.append(Problem(rel, line, author_id, "the entry has no fields",
                                    "add an indented 'name:' line under the id"))
            continue
        fields = {str(k.value): v for k, v in value_node.value}
        for name, v in fields.items():
            if name not in AUTHOR_FIELDS:
                problems.append(Problem(rel, v.start_mark.line + 1, f"{author_id}.{name}", f"unknown field {name!r}",
                                        "authors have 'name', 'role', 'url' and 'avatar'", "warning"))
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
    return authors, problems


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
