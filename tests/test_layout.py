"""What the layout promises that import-linter cannot check. Its contract "Pages reach data
only through the library" (pyproject.toml) covers pages/; dashboard.py is a module, not a
package, and import-linter reads only packages, so this test holds it to the same rule."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
DATA_MODULES = {"duckdb", "cjb_tracker.store"}


def imported_modules(path: Path) -> set[str]:
    """Every module a script imports, and each name imported from a package as a module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_dashboard_reaches_data_only_through_the_library() -> None:
    assert imported_modules(ROOT / "dashboard.py") & DATA_MODULES == set()
