"""Constants and helpers shared by the tests (imported as `support`; conftest fixtures wrap them)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE_CASE = ROOT / "examples" / "border-crossers-2007" / "case.yaml"
POSTGRES_URL = os.environ.get("CORROBORATE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSPHRASE = "correct horse battery staple"


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a missing backend must never pass silently there."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def fresh_postgres(url: str) -> str:
    """A new, empty database on the test server; dropped by the caller."""
    from sqlalchemy import create_engine, text

    name = f"corroborate_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def cli_commands() -> dict[str, Any]:
    """Every command of the CLI by its full name ("import", "audit verify"), groups flattened."""
    import typer.core
    import typer.main

    from corroborate.cli import app

    found: dict[str, typer.core.TyperCommand] = {}

    def walk(group: typer.core.TyperGroup, prefix: str) -> None:
        for name, command in group.commands.items():
            if isinstance(command, typer.core.TyperGroup):
                walk(command, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = command

    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    walk(root, "")
    return found


# A small case with one interview and one document to attach evidence files to.
EVIDENCE_CASEFILE = """\
version: 1
case: {id: mini, title: Evidence files}
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 40, origin: Musan}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: CN}
documents:
  - {id: D-001, kind: news, title: A report, date: 2008-01-01}
"""
