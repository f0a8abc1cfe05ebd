"""The domain core imports nothing from MkDocs (see plugins/smartnotes/core/README.md)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "plugins" / "smartnotes" / "core"
ENGINES = ("mkdocs", "material", "properdocs")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_core_imports_no_engine():
    files = sorted(CORE.rglob("*.py"))
    assert files, "the core package has no modules"
    offenders = [
        f"{path.name}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in ENGINES
    ]
    assert offenders == []
