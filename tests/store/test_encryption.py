"""Restricted fields are encrypted at rest, and only the passphrase (or a live session) opens them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from corroborate import services
from corroborate.errors import CaseLocked, SealedFieldInvalid, WrongPassphrase
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import open_store
from corroborate.store.schema import CaseKeyRow, WitnessIdentityRow
from support import PASSPHRASE, unavailable


def restricted_values(reference_case_path: Path) -> list[str]:
    values = []
    for w in read_casefile(reference_case_path).witnesses:
        values += w.restricted.values() if w.restricted else []
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in v) for v in values), "expected Hangul names"
    return values


def test_sqlite_file_holds_no_plaintext(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.set_identity(location, "W-004", {"notes": "moved to a safe house"}, actor=LOCAL_OWNER, secrets=secrets)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("store.db*"))
    assert len(raw) > 10_000
    for value in [*restricted_values(reference_case_path), "moved to a safe house"]:
        assert value.encode("utf-8") not in raw, f"a restricted value of {len(value)} characters is in the file"
    # the public side is stored in the clear, as documented
    assert b"Musan" in raw


@pytest.mark.postgres
def test_postgres_dump_holds_no_plaintext(
    postgres_server: str, reference_case_path: Path, secrets: Secrets, tmp_path: Path
) -> None:
    from support import drop_postgres as _drop_postgres
    from support import fresh_postgres as _fresh_postgres

    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        unavailable("pg_dump is not installed")
    location = _fresh_postgres(postgres_server)
    try:
        services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
        url = make_url(location)
        dump = subprocess.run(
            [
                pg_dump,
                "-h",
                url.host or "127.0.0.1",
                "-p",
                str(url.port or 5432),
                "-U",
                url.username or "postgres",
                "--no-password",
                url.database or "",
            ],  # fmt: skip
            check=True,
            capture_output=True,
        ).stdout
    finally:
        _drop_postgres(postgres_server, location)
    assert b"witness_identities" in dump and len(dump) > 10_000
    for value in restricted_values(reference_case_path):
        assert value.encode("utf-8") not in dump


@pytest.fixture
def store(store_location: str, reference_case_path: Path, secrets: Secrets) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def identities(location: str, passphrase: str | None, **kwargs: object) -> dict[str, object]:
    secrets = Secrets(passphrase=lambda case: passphrase, **kwargs)  # type: ignore[arg-type]
    return dict(services.identities(location, actor=LOCAL_OWNER, secrets=secrets))


def test_wrong_passphrase_is_clear_and_changes_nothing(store: str) -> None:
    before = services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000)
    with pytest.raises(WrongPassphrase) as info:
        identities(store, "not the passphrase")
    assert "wrong passphrase" in str(info.value) and "nothing was changed" in str(info.value)
    with pytest.raises(WrongPassphrase):
        services.rekey(store, "a brand new passphrase for the case", actor=LOCAL_OWNER,
                       secrets=Secrets(passphrase=lambda case: "not the passphrase"))  # fmt: skip
    with pytest.raises(CaseLocked):
        identities(store, None)
    assert services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000) == before
    assert identities(store, PASSPHRASE)


def test_rekey_changes_the_passphrase_without_re_encrypting(store: str, secrets: Secrets) -> None:
    original = identities(store, PASSPHRASE)
    with open_store(store) as s, s.transaction() as session:
        sealed_before = list(session.scalars(select(WitnessIdentityRow.sealed)))
    services.rekey(store, "an entirely new passphrase", actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(WrongPassphrase):
        identities(store, PASSPHRASE)
    assert identities(store, "an entirely new passphrase") == original
    with open_store(store) as s, s.transaction() as session:
        assert list(session.scalars(select(WitnessIdentityRow.sealed))) == sealed_before
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_rotation_re_encrypts_everything_and_survives_interruption(
    store: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corroborate.services.keychanges as service_keys

    original = identities(store, PASSPHRASE)
    real = service_keys.rotate_batch
    calls = 0

    def interrupted(*args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(service_keys, "rotate_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets, batch=2)
    monkeypatch.undo()
    with open_store(store) as s, s.transaction() as session:
        versions = sorted(session.scalars(select(WitnessIdentityRow.key_version)))
        states = sorted(session.scalars(select(CaseKeyRow.state)))
    assert versions[0] == 1 and versions[-1] == 2, "half of the rows moved"
    assert states == ["current", "next"]
    assert identities(store, PASSPHRASE) == original  # every row readable mid-rotation
    assert services.verify(store, actor=LOCAL_OWNER).ok

    services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets, batch=2)
    with open_store(store) as s, s.transaction() as session:
        assert set(session.scalars(select(WitnessIdentityRow.key_version))) == {2}
        assert list(session.execute(select(CaseKeyRow.version, CaseKeyRow.state))) == [(2, "current")]
    assert identities(store, PASSPHRASE) == original
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_unlock_session_opens_the_case_until_locked(store: str, tmp_path: Path) -> None:
    session_dir = tmp_path / "sessions"
    token = services.unlock(store, actor=LOCAL_OWNER, minutes=5,
                            secrets=Secrets(passphrase=lambda c: PASSPHRASE, session_dir=session_dir))  # fmt: skip
    assert identities(store, None, session_token=token, session_dir=session_dir)
    files = list(session_dir.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0
    for value in ("Musan", *[v for i in identities(store, PASSPHRASE).values() for v in i.values()]):  # type: ignore[attr-defined]
        assert value.encode() not in files[0].read_bytes()
    with pytest.raises(CaseLocked):  # a wrong token is no session
        identities(store, None, session_token="A" * 43 + "=", session_dir=session_dir)
    services.lock(store, secrets=Secrets(session_dir=session_dir), cases=["border-crossers-2007"])
    with pytest.raises(CaseLocked):
        identities(store, None, session_token=token, session_dir=session_dir)


def test_expired_sessions_are_ignored(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    session_dir = tmp_path / "sessions"
    token = services.unlock(store, actor=LOCAL_OWNER, minutes=1,
                            secrets=Secrets(passphrase=lambda c: PASSPHRASE, session_dir=session_dir))  # fmt: skip
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(CaseLocked):
        identities(store, None, session_token=token, session_dir=session_dir)


def test_a_sealed_identity_moved_to_another_witness_does_not_open(store: str) -> None:
    with open_store(store) as s, s.engine.begin() as conn:
        rows = conn.execute(text("SELECT witness_pk, sealed FROM witness_identities ORDER BY witness_pk")).all()
        conn.execute(text("UPDATE witness_identities SET sealed = :s WHERE witness_pk = :w"),
                     {"s": rows[0][1], "w": rows[1][0]})  # fmt: skip
    with pytest.raises(SealedFieldInvalid, match="failed authentication"):
        identities(store, PASSPHRASE)


def test_totp_second_factor(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    import pyotp

    from corroborate.errors import NotAuthenticated
    from corroborate.services import Role

    location = str(tmp_path / "s.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(location, "olga", "a long enough password", Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(location, "ana", "a long enough password", Role.analyst, actor=LOCAL_OWNER, secrets=secrets)
    uri = services.enable_totp(location, "ana", actor=LOCAL_OWNER, secrets=secrets)
    secret = pyotp.parse_uri(uri).secret
    with pytest.raises(NotAuthenticated, match="one-time code"):
        services.authenticate(location, "ana", "a long enough password")
    with pytest.raises(NotAuthenticated):
        services.authenticate(location, "ana", "a long enough password", "000000")
    actor = services.authenticate(location, "ana", "a long enough password", pyotp.TOTP(secret).now())
    assert actor.name == "ana"
    with pytest.raises(NotAuthenticated) as info:
        services.authenticate(location, "ana", "wrong password")
    assert "unknown user or wrong password" in str(info.value)
    with pytest.raises(NotAuthenticated) as info2:
        services.authenticate(location, "nobody", "wrong password")
    assert str(info.value) == str(info2.value)
    with pytest.raises(NotAuthenticated):
        services.sign_in(location, username=None, password=None)
