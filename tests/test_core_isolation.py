"""The rooms of the house keep to their rules (plugins/smartnotes/README.md).

- Only the adapter (`mkdocs_adapter/`) imports MkDocs, Material or ProperDocs.
- The foundation (`content/`, `catalog/`) imports no feature.
- No feature imports another feature.
- Processes, threads and writing into the site live in `runtime/`.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "smartnotes"
ENGINES = ("mkdocs", "material", "properdocs")
ADAPTER = "mkdocs_adapter"
FOUNDATION = ("content", "catalog")
FEATURES = ("related", "feeds", "embeds", "search", "schema", "importer", "redirects", "cards", "analytics", "screenshots")
# Standard-library modules that start processes or threads.
CONCURRENCY = ("subprocess", "threading", "multiprocessing", "concurrent")


def room_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else ""


def imports(path: Path) -> list[str]:
    """Every module a file imports, relative imports resolved to ``smartnotes.<room>...``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["smartnotes", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append(node.module or "")
            else:
                base = package[: len(package) - node.level + 1]
                found += (
                    [".".join([*base, node.module])] if node.module
                    else [".".join([*base, alias.name]) for alias in node.names]
                )
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_rooms_exist():
    rooms = {room_of(p) for p in MODULES}
    assert {ADAPTER, *FOUNDATION, "runtime", "related", "feeds", "embeds", "search"} <= rooms
    for room in rooms - {""}:
        assert (PACKAGE / room / "README.md").is_file(), f"{room}/ has no README"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_keep_to_the_rules(path):
    room = room_of(path)
    ours = [name.split(".")[1] for name in imports(path) if name.startswith("smartnotes.") and name.count(".") >= 1]
    others = [name.split(".")[0] for name in imports(path) if not name.startswith("smartnotes")]
    if room != ADAPTER:
        assert not set(others) & set(ENGINES), f"{path.name} imports an engine"
    if room in FOUNDATION:
        assert not set(ours) & set(FEATURES), f"the foundation's {path.name} imports a feature: {ours}"
        assert ADAPTER not in ours
    if room in FEATURES:
        assert not set(ours) & (set(FEATURES) - {room}), f"{room}/{path.name} imports another feature: {ours}"
        assert ADAPTER not in ours
    if room == "runtime":
        assert not set(ours) & {*FEATURES, ADAPTER}, f"runtime/{path.name} imports {ours}"
    if room not in ("runtime", ADAPTER, ""):
        assert not set(others) & set(CONCURRENCY), f"{room}/{path.name} starts processes or threads: {others}"
