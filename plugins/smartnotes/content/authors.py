"""The authors registry: ``content/authors.yml`` maps an id to a person.

Two forms, read with the same checks and messages: a mapping of ids
(``maggie-long:`` then indented ``name: Maggie Long``), or a list of records
under ``authors:`` (``- id: maggie-long`` then ``name: Maggie Long``), which
is the form the browser editor can edit (issue 14): Decap CMS edits lists of
records, not mappings whose keys are data.

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
LIST_KEY = "authors"  # the list form: 'authors:' then '- id: maggie-long' records (what the browser editor edits)


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
    listed = _listed(node)
    if listed is None and not isinstance(node, yaml.MappingNode):
        return {}, [Problem(rel, node.start_mark.line + 1, "", "the authors registry is not a mapping of ids",
                            "write 'maggie-long:' then indented 'name: Maggie Long'")], None
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    unsure: set[str] = set()
    id_lines: dict[str, int] = {}
    entries = _mapping_entries(node, rel, problems) if listed is None else _list_entries(node, listed, rel, problems)
    for author_id, line, fields, fix in entries:
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
        if fields is None:
            problems.append(Problem(rel, line, author_id, "the entry has no fields", fix))
            continue
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
            problems.append(Problem(rel, line, f"{author_id}.name", "the author has no name", fix))
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


_MAPPING_FIX = "add an indented 'name:' line under the id"
_LIST_FIX = "add a 'name:' line to the entry, under its 'id:'"


def _listed(node: yaml.Node) -> yaml.SequenceNode | None:
    """The list form's sequence (``authors:`` then ``- id: …`` records, as the browser editor writes the
    registry), or None for the mapping of ids. A mapping form with an author whose id is ``authors``
    has a mapping there, not a list."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == LIST_KEY and isinstance(value_node, yaml.SequenceNode):
                return value_node
    return None


def _mapping_entries(node: yaml.MappingNode, rel: str, problems: list[Problem]):
    """(id, line, fields or None, fix) of each ``id:`` entry of the mapping form."""
    for key_node, value_node in node.value:
        author_id, line = str(key_node.value), key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(rel, line, "", "an author id is not a word",
                                    "write 'maggie-long:' then indented 'name: Maggie Long'"))
            continue
        fields = {str(k.value): v for k, v in value_node.value} if isinstance(value_node, yaml.MappingNode) else None
        yield author_id, line, fields, _MAPPING_FIX


def _list_entries(node: yaml.MappingNode, listed: yaml.SequenceNode, rel: str, problems: list[Problem]):
    """(id, line, fields or None, fix) of each record of the list form; what is not a record with an
    id is a problem here."""
    for key_node, value_node in node.value:
        if value_node is not listed:
            problems.append(Problem(rel, key_node.start_mark.line + 1, str(key_node.value),
                                    f"the registry lists its authors under '{LIST_KEY}:', so this key is not read",
                                    f"move the author into the '{LIST_KEY}:' list as '- id: {key_node.value}'"))
    for item in listed.value:
        line = item.start_mark.line + 1
        fields = {str(k.value): v for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
        id_node = fields.pop("id", None)
        if not isinstance(id_node, yaml.ScalarNode) or not str(id_node.value).strip():
            problems.append(Problem(rel, line, "", "the entry has no id",
                                    "start the entry with '- id: maggie-long', then 'name: Maggie Long'"))
            continue
        yield str(id_node.value).strip(), id_node.start_mark.line + 1, fields, _LIST_FIX


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def registry_is_list(path: Path) -> bool:
    """Whether the registry at ``path`` is in the list form (False when it is missing or unreadable)."""
    try:
        return _listed(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)) is not None
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return False


def appended_entries(existing: str, names: dict[str, str], comment: str) -> str:
    """The text to append to a registry holding ``existing`` so that it also has ``names`` (id -> name),
    in the registry's own form: never a rewrite of what a person wrote. The list form gets records
    indented as its last list's items are; the list must end the file, as the editor writes it."""
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    try:
        listed = _listed(yaml.compose(existing, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        listed = None
    if listed is None:
        body = "".join(yaml.safe_dump({i: {"name": n}}, allow_unicode=True, sort_keys=False) for i, n in names.items())
        return f"{prefix}# {comment}\n{body}"
    indent = " " * listed.start_mark.column  # where its items' '-' stand
    items = yaml.safe_dump([{"id": i, "name": n} for i, n in names.items()], allow_unicode=True, sort_keys=False)
    text = prefix + "".join(f"{indent}{line}\n" for line in [f"# {comment}", *items.splitlines()])
    try:
        after = _listed(yaml.compose(existing + text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        after = None
    if after is None or len(after.value) != len(listed.value) + len(names):
        raise ValueError(f"the '{LIST_KEY}:' list does not end the file as a block list: add "
                         f"{', '.join(names)} to it by hand ('- id: …' then 'name: …')")
    return text
