"""Unlock sessions: they end when they expire (their files are deleted), an edited expiry opens
nothing, and a store named in another way (relative path, URL with a password) is the same store."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from corroborate import services
from corroborate.errors import CaseLocked, UserError
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.unlocking import SESSION_MINUTES_MAX
from corroborate.settings import Settings
from corroborate.store import canonical_location
from support import PASSPHRASE

CASE = "border-crossers-2007"


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> str:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return location


@pytest.fixture
def session_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def unlock(store: str, session_dir: Path, minutes: int = 5) -> str:
    return services.unlock(store, actor=LOCAL_OWNER, minutes=minutes,
                           secrets=Secrets(passphrase=lambda c: PASSPHRASE, session_dir=session_dir))  # fmt: skip


def identities(store: str, *, token: str | None, session_dir: Path) -> dict[str, object]:
    secrets = Secrets(session_token=token, session_dir=session_dir)
    return dict(services.identities(store, actor=LOCAL_OWNER, secrets=secrets))


def offline_open(path: Path, token: str, location: str) -> bytes | None:
    """The attack: open a session file with its token and the (public) code, ignoring its expiry."""
    from corroborate.services.unlocking import _aad

    data = json.loads(path.read_text(encoding="utf-8"))
    secret = base64.urlsafe_b64decode(token)
    try:
        return AESGCM(secret).decrypt(base64.b64decode(data["nonce"]), base64.b64decode(data["sealed"]),
                                      _aad(location, CASE, data["expires"]))  # fmt: skip
    except Exception:
        return None


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


def test_an_expired_session_file_is_deleted_the_next_time_sessions_are_used(
    store: str, session_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference_case_path: Path
) -> None:
    token = unlock(store, session_dir, minutes=1)
    (path,) = session_dir.iterdir()
    assert offline_open(path, token, store) is not None, "the attacker's tool works on a live session"
    later(monkeypatch, 120)
    # Any use of the session folder sweeps it: here an unlock of another store.
    other = str(tmp_path / "other.db")
    services.import_casefile(other, reference_case_path, actor=LOCAL_OWNER,
                             secrets=Secrets(passphrase=lambda c: PASSPHRASE))  # fmt: skip
    unlock(other, session_dir, minutes=5)
    assert not path.exists(), "the expired session is still on disk"
    assert len(list(session_dir.iterdir())) == 1


def test_lock_sweeps_expired_sessions_of_every_store(
    store: str, session_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(store, session_dir, minutes=1)
    later(monkeypatch, 120)
    assert services.lock("/nowhere/else.db", secrets=Secrets(session_dir=session_dir), cases=[]) == 0
    assert list(session_dir.iterdir()) == []


def test_using_an_expired_session_deletes_it_and_opens_nothing(
    store: str, session_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = unlock(store, session_dir, minutes=1)
    later(monkeypatch, 61)
    with pytest.raises(CaseLocked):
        identities(store, token=token, session_dir=session_dir)
    assert list(session_dir.iterdir()) == []


def test_an_edited_expiry_opens_nothing(store: str, session_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = unlock(store, session_dir, minutes=1)
    (path,) = session_dir.iterdir()
    data = json.loads(path.read_text(encoding="utf-8"))
    data["expires"] = data["expires"] + 10 * 365 * 24 * 3600
    path.write_text(json.dumps(data), encoding="utf-8")
    later(monkeypatch, 120)
    with pytest.raises(CaseLocked):
        identities(store, token=token, session_dir=session_dir)


def test_a_session_is_found_whatever_the_path_it_is_named_by(
    store: str, session_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = unlock(store, session_dir)
    monkeypatch.chdir(tmp_path)
    relative = os.path.relpath(store)
    assert identities(f"./{relative}", token=token, session_dir=session_dir)
    assert services.lock(relative, secrets=Secrets(session_dir=session_dir), cases=[CASE]) == 1
    assert list(session_dir.iterdir()) == []
    with pytest.raises(CaseLocked):
        identities(store, token=token, session_dir=session_dir)


def test_store_locations_are_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    absolute = canonical_location(str(tmp_path / "case.db"))
    assert canonical_location("case.db") == absolute == canonical_location("sub/../case.db")
    assert canonical_location("sqlite:///case.db") == absolute == canonical_location(f"sqlite:///{absolute}")
    with_password = canonical_location("postgresql+psycopg://ana:s3cret@db.example:5432/cases")
    assert "s3cret" not in with_password
    assert with_password == canonical_location("postgresql://ana@db.example:5432/cases")
    assert with_password != canonical_location("postgresql://ana@db.example:5432/other")


def test_the_session_cap_is_the_settings_bound() -> None:
    bound = next(m for m in Settings.model_fields["session_minutes"].metadata if hasattr(m, "le"))
    assert bound.le == SESSION_MINUTES_MAX == 24 * 60
    with pytest.raises(ValueError):
        Settings(session_minutes=SESSION_MINUTES_MAX + 1)


def test_session_minutes_are_checked_before_the_store_is_opened(tmp_path: Path, session_dir: Path) -> None:
    with pytest.raises(UserError, match="between 1 and 1440 minutes"):
        services.unlock(str(tmp_path / "missing.db"), actor=LOCAL_OWNER, minutes=-5,
                        secrets=Secrets(passphrase=lambda c: PASSPHRASE, session_dir=session_dir))  # fmt: skip


def test_sweeping_leaves_other_files_alone(store: str, session_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CORROBORATE_SESSION_DIR may name a shared folder: only expired sessions and abandoned halves go."""
    unlock(store, session_dir, minutes=1)
    (ours,) = session_dir.iterdir()
    foreign = [session_dir / "notes.tmp", session_dir / "backup.session", session_dir / "draft.txt"]
    for path in foreign:
        path.write_text("not a session", encoding="utf-8")
    half = session_dir / f".{ours.stem}.abc123.tmp"
    half.write_text("{", encoding="utf-8")
    old = time.time() - 3600
    for path in [*foreign, half]:
        os.utime(path, (old, old))
    later(monkeypatch, 120)
    services.lock(store, secrets=Secrets(session_dir=session_dir), cases=[])
    assert sorted(p.name for p in session_dir.iterdir()) == sorted(p.name for p in foreign)
