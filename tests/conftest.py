"""Fixtures shared by the whole suite: paths, the reference case, and case stores per backend.

Optional backends follow one rule: locally a test skips with a clear reason
when its backend is missing; with CI=true the same condition is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import PASSPHRASE, POSTGRES_URL, REFERENCE_CASE, SHARED, drop_postgres, fresh_postgres, unavailable


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2() -> Iterator[None]:
    """Cheap Argon2id for every key made or opened in this process, module fixtures included.

    Only a module attribute can lower the cost (no setting or environment variable
    can), so CLI processes that tests start get the real floor and default cost:
    stores they open must have been made under the real policy (tests/store/test_crash.py).
    """
    from corroborate.store import crypto

    cheap = crypto.Argon2Cost(memory_cost=8192, time_cost=1, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(crypto, "argon2_policy", crypto.Argon2Policy(new_keys=cheap, minimums=(cheap,)))
        yield


@pytest.fixture(autouse=True)
def _test_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A known passphrase, sessions and the trust file kept in the test's own folder, no user
    from the caller's shell."""
    monkeypatch.setenv("CORROBORATE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CORROBORATE_SESSION_DIR", str(tmp_path / "sessions"))
    monkeypatch.setenv("CORROBORATE_TRUST_FILE", str(tmp_path / "trust.json"))
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A location where no store exists yet, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "case.db")
        return
    admin = request.getfixturevalue("postgres_server")
    url = fresh_postgres(admin)
    try:
        yield url
    finally:
        drop_postgres(admin, url)


@pytest.fixture
def restore_location(store_location: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A second location without a store, on the same backend as ``store_location``."""
    if "://" not in store_location:
        yield str(tmp_path / "restored" / "case.db")
        return
    admin = request.getfixturevalue("postgres_server")
    url = fresh_postgres(admin)
    try:
        yield url
    finally:
        drop_postgres(admin, url)
