"""The engine has one front door (#13): code outside ``app/matching`` imports from
``app.matching``, not from its modules, so the engine's internals can move without touching the
services. The exceptions: the income calculator and the region table sit below the engine (it
calls them), and the screening is a second compiler of the same rule AST (#14)."""

from __future__ import annotations

import ast
from pathlib import Path

import app.matching

APP = Path(app.matching.__file__).resolve().parents[1]
BELOW_THE_ENGINE = ("income", "catalog/regions.py", "matching", "screening")


def test_only_the_front_door_is_imported_from_outside_the_engine() -> None:
    offences = []
    for path in sorted(APP.rglob("*.py")):
        where = path.relative_to(APP).as_posix()
        if where.startswith(BELOW_THE_ENGINE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app.matching."):
                offences.append(f"{where}:{node.lineno} from {node.module}")
    assert offences == []


def test_the_front_door_exports_what_it_lists() -> None:
    missing = [name for name in app.matching.__all__ if not hasattr(app.matching, name)]
    assert missing == []
    assert len(app.matching.__all__) == len(set(app.matching.__all__))
