"""The layer rules of DESIGN.md and CONVENTIONS.md, checked on the source tree."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import Counter
from pathlib import Path

import pytest

import corroborate

SRC = Path(corroborate.__file__).parent
# What each layer may import from Corroborate (besides itself and `corroborate.errors`).
ALLOWED = {
    "errors": set(),
    "domain": set(),
    "ingest": {"domain"},
    "analysis": {"domain"},
    "stats": {"domain"},
    "store": {"domain"},
    "publish": {"domain", "analysis"},
    "services": {"domain", "ingest", "analysis", "stats", "store", "publish"},
    "web": {"services", "domain"},
    "cli": {"services", "web"},  # the web app only to serve it
}
# Third-party packages a layer must never import.
FORBIDDEN_THIRD_PARTY = {
    "domain": {"sqlalchemy", "alembic", "fastapi", "typer", "rich", "psycopg"},
    "analysis": {"sqlalchemy", "fastapi", "typer", "rich"},
    "ingest": {"sqlalchemy", "fastapi", "typer"},
    "services": {"fastapi", "typer", "rich"},
}
LAYERS = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def imports_of(path: Path) -> set[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


def test_every_layer_is_known() -> None:
    assert set(LAYERS) <= set(ALLOWED), f"new package needs a rule in ALLOWED: {set(LAYERS) - set(ALLOWED)}"


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_flow_one_way(layer: str) -> None:
    bad = []
    for path in (SRC / layer).rglob("*.py"):
        for module in imports_of(path):
            parts = module.split(".")
            if parts[0] == "corroborate" and len(parts) > 1:
                target = parts[1]
                if target not in (layer, "errors") and target not in ALLOWED[layer] and target in ALLOWED:
                    bad.append(f"{path.relative_to(SRC)} imports {module}")
            elif parts[0] in FORBIDDEN_THIRD_PARTY.get(layer, set()):
                bad.append(f"{path.relative_to(SRC)} imports {module}")
    assert bad == []


@pytest.mark.parametrize("layer", LAYERS)
def test_all_matches_the_public_face(layer: str) -> None:
    module = importlib.import_module(f"corroborate.{layer}")
    exported = set(module.__all__)
    assert len(exported) == len(module.__all__), "duplicates in __all__"
    for name in exported:
        assert hasattr(module, name), f"{layer}.__all__ names missing {name}"
    submodules = {m.name for m in pkgutil.iter_modules(module.__path__)}
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and name not in submodules and not isinstance(value, type(pytest))
    }
    lazy = {name for name in exported - public if "__getattr__" in vars(module)}  # loaded on first use (cli.app)
    assert public | lazy == exported


def test_modules_stay_small() -> None:
    too_long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert too_long == {}


def test_test_files_have_unique_names() -> None:
    """pytest imports test modules by their file's name (no packages here): two of one name stop the run."""
    names = Counter(p.name for p in Path(__file__).parent.rglob("test_*.py"))
    assert {name: n for name, n in names.items() if n > 1} == {}
