"""`ui/` reaches storage only through services. import-linter keeps `feltkonsulent.storage` out
of its imports, but cannot see attribute access: a workspace's `.store` or `.repos` (or a
connection's `.conn`) used in `ui/` would pass it. This test sees it."""

from __future__ import annotations

import ast
from pathlib import Path

import feltkonsulent.ui

HANDLES = {"store", "repos", "conn"}
UI = Path(feltkonsulent.ui.__file__).parent


def handles_used(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.name}:{node.lineno} .{node.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in HANDLES]


def test_no_storage_handle_is_used_in_the_ui() -> None:
    found = [use for path in sorted(UI.glob("*.py")) for use in handles_used(path)]
    assert found == []


def test_the_check_sees_a_handle(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(ws):\n    return ws.store.clock(), ws.repos.companies\n", encoding="utf-8")
    assert sorted(handles_used(sample)) == ["sample.py:2 .repos", "sample.py:2 .store"]
