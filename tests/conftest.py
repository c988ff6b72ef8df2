"""Fixtures shared by the whole suite: paths, the reference case, and case stores per backend.

Optional backends follow one rule: locally a test skips with a clear reason
when its backend is missing; with CI=true the same condition is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE_CASE = ROOT / "examples" / "border-crossers-2007" / "case.yaml"
POSTGRES_URL = os.environ.get("CORROBORATE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Cheap Argon2 (the parameters are stored per key, so this is safe), a known
    passphrase, sessions kept in the test's own folder, no user from the caller's shell."""
    monkeypatch.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
    monkeypatch.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("CORROBORATE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CORROBORATE_SESSION_DIR", str(tmp_path / "sessions"))
    for name in (
        "CORROBORATE_USER",
        "CORROBORATE_PASSWORD",
        "CORROBORATE_TOTP",
        "CORROBORATE_SESSION",
        "CORROBORATE_KEY_FILE",
        "CORROBORATE_NEW_PASSPHRASE",
        "CORROBORATE_BACKUP_PASSPHRASE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def secrets(tmp_path: Path) -> Any:
    from corroborate.services import Secrets

    return Secrets(passphrase=lambda case: PASSPHRASE, session_dir=tmp_path / "sessions")


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a missing backend must never pass silently there."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        unavailable(f"../shared is missing (looked in {SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def reference_paper(shared_dir: Path) -> str:
    return (shared_dir / "seeds" / "hrw-2007-north-korea-border-crossers.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reference_case_path() -> Path:
    return REFERENCE_CASE


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a reachable PostgreSQL test database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except OperationalError as exc:
        unavailable(f"PostgreSQL is unreachable at {POSTGRES_URL}: {str(exc.orig).strip()[:200]}")
    finally:
        engine.dispose()
    return POSTGRES_URL


def _fresh_postgres(url: str) -> str:
    """A new, empty database on the test server; dropped by the caller."""
    from sqlalchemy import create_engine, text

    name = f"corroborate_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A location where no store exists yet, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "case.db")
        return
    admin = request.getfixturevalue("postgres_server")
    url = _fresh_postgres(admin)
    try:
        yield url
    finally:
        _drop_postgres(admin, url)
