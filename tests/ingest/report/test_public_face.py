"""`corroborate.ingest.report` says what it offers in `__all__`, and says it exactly."""

from __future__ import annotations

import pkgutil
import types

import corroborate.ingest.report as report


def test_all_matches_the_public_face() -> None:
    exported = set(report.__all__)
    assert len(exported) == len(report.__all__)
    submodules = {m.name for m in pkgutil.iter_modules(report.__path__)}
    public = {
        name
        for name, value in vars(report).items()
        if not name.startswith("_") and name not in submodules and not isinstance(value, types.ModuleType)
    }
    assert public == exported
    assert all(hasattr(report, name) for name in exported)


STDLIB_AND_PYDANTIC = {"__future__", "corroborate", "pydantic", "re", "collections", "dataclasses", "bisect",
                       "functools", "pathlib", "typing", "calendar", "datetime"}  # fmt: skip


def test_the_parser_imports_only_the_domain() -> None:
    import ast
    from pathlib import Path

    for path in Path(report.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] in STDLIB_AND_PYDANTIC, (path.name, node.module)
                if node.module.startswith("corroborate."):
                    assert node.module.split(".")[1] in {"domain", "errors"}, (path.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(alias.name in {"re", "functools", "calendar"} for alias in node.names), path.name
