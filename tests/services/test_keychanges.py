"""Changing a case's passphrase and data key leaves nothing old behind; bad arguments change nothing.

The attacker here has a copy of the store's files (a seized laptop, a copied
server disk), an old passphrase (a co-worker who left, a passphrase that was
written down), and Corroborate's own code. Changing the passphrase or rotating
the key must leave them nothing to open.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from corroborate import services
from corroborate.errors import UserError, WrongPassphrase
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import CaseKeys, DataKey, KdfParams, derive_key, open_store
from corroborate.store.crypto import unwrap_key
from corroborate.store.keys import _key_aad
from corroborate.store.schema import CaseKeyRow, WitnessIdentityRow, WitnessRow
from support import PASSPHRASE

CASE = "border-crossers-2007"
NEW_PASSPHRASE = "an entirely new passphrase for the case"
_KDF_JSON = re.compile(rb'\{"algorithm": "argon2id", [^{}]{20,200}\}')
_WRAPPED_BYTES = 12 + 32 + 16  # nonce, data key, tag


@pytest.fixture(autouse=True)
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection's transaction is waited for (3 s in use); a quarter of a second is enough here."""
    import corroborate.services.keychanges as service_keys

    monkeypatch.setattr(service_keys, "CHECKPOINT_WAIT_MS", 250)


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> str:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return location


def store_bytes(location: str) -> bytes:
    """What a copy of the store's files holds: the database file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in sorted(Path(location).parent.glob(Path(location).name + "*")))


def recover_data_keys(raw: bytes, passphrase: str, *, case: str = CASE) -> set[bytes]:
    """The attack: every data key that ``passphrase`` unwraps from anything in the files' bytes.

    A key row holds the wrapped key beside its Argon2id parameters (JSON), so
    look around every such JSON text for a 60-byte window that unwraps.
    """
    found: set[bytes] = set()
    for match in _KDF_JSON.finditer(raw):
        try:
            params = KdfParams.from_json(__import__("json").loads(match.group()))
            kek = derive_key(passphrase, params)
        except Exception:  # a torn or foreign JSON text in a free page
            continue
        lo, hi = max(0, match.start() - 400), min(len(raw), match.end() + 400)
        for start in range(lo, hi - _WRAPPED_BYTES + 1):
            window = raw[start : start + _WRAPPED_BYTES]
            for version in (1, 2, 3):
                try:
                    found.add(unwrap_key(kek, window, aad=_key_aad(case, version)))
                except WrongPassphrase:
                    pass
    return found


def identities_opened_by(location: str, data_key: bytes) -> int:
    """How many witnesses' identities in the live store a recovered data key opens."""
    with open_store(location) as s, s.transaction() as session:
        rows = session.execute(select(WitnessIdentityRow, WitnessRow.ref).join(WitnessRow)).all()
    opened = 0
    for row, ref in rows:
        keys = CaseKeys(CASE, row.key_version, {row.key_version: DataKey(row.key_version, data_key)})
        try:
            keys.open_identity(ref, row.key_version, row.sealed, revision=row.revision)
            opened += 1
        except Exception:
            pass
    return opened


@pytest.fixture
def reader(store: str) -> Iterator[sqlite3.Connection]:
    """Another program holding the store: an open read transaction (a listing, a backup, a web worker)."""
    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM case_keys").fetchone()
    yield conn
    conn.close()


def test_the_attack_works_on_the_files_before_a_rekey(store: str) -> None:
    """The attacker's tool finds the key: without this the tests below would prove nothing."""
    keys = recover_data_keys(store_bytes(store), PASSPHRASE)
    assert len(keys) == 1
    assert identities_opened_by(store, keys.pop()) > 1


def test_rekey_refuses_while_another_connection_holds_the_store(
    store: str, reader: sqlite3.Connection, secrets: Secrets
) -> None:
    with pytest.raises(UserError, match="another program") as info:
        services.rekey(store, NEW_PASSPHRASE, actor=LOCAL_OWNER, secrets=secrets)
    assert NEW_PASSPHRASE not in str(info.value) and PASSPHRASE not in str(info.value)
    reader.close()
    assert services.identities(store, actor=LOCAL_OWNER, secrets=secrets), "nothing was changed"


def test_after_rekey_the_old_passphrase_opens_nothing_in_the_files(store: str, secrets: Secrets) -> None:
    with open_store(store) as s, s.transaction() as session:
        old_wrapped = session.scalars(select(CaseKeyRow.wrapped)).one()
    services.rekey(store, NEW_PASSPHRASE, actor=LOCAL_OWNER, secrets=secrets)
    raw = store_bytes(store)
    assert old_wrapped not in raw
    assert recover_data_keys(raw, PASSPHRASE) == set()
    assert len(recover_data_keys(raw, NEW_PASSPHRASE)) == 1


def test_a_reader_that_arrives_during_rekey_is_reported_and_cleared_when_it_closes(
    store: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corroborate.services.keychanges as service_keys

    late: list[sqlite3.Connection] = []
    real = service_keys.rewrap_keys

    def rewrap_then_a_reader_arrives(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        conn = sqlite3.connect(store, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM audit_log").fetchone()  # reads the state before the rekey
        late.append(conn)

    monkeypatch.setattr(service_keys, "rewrap_keys", rewrap_then_a_reader_arrives)
    with pytest.raises(UserError, match="passphrase was changed") as info:
        services.rekey(store, NEW_PASSPHRASE, actor=LOCAL_OWNER, secrets=secrets)
    assert "close" in str(info.value)
    late[0].close()  # the last connection to close folds the log into the file and deletes it
    raw = store_bytes(store)
    assert recover_data_keys(raw, PASSPHRASE) == set()
    assert services.identities(store, actor=LOCAL_OWNER, secrets=Secrets(passphrase=lambda c: NEW_PASSPHRASE))


def test_after_rotation_no_old_key_or_old_ciphertext_is_in_the_files(store: str, secrets: Secrets) -> None:
    with open_store(store) as s, s.transaction() as session:
        old_wrapped = session.scalars(select(CaseKeyRow.wrapped)).one()
        old_sealed = list(session.scalars(select(WitnessIdentityRow.sealed)))
    old_key = recover_data_keys(store_bytes(store), PASSPHRASE)
    services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets, batch=3)
    raw = store_bytes(store)
    assert old_wrapped not in raw
    assert [s for s in old_sealed if s in raw] == []
    recovered = recover_data_keys(raw, PASSPHRASE)
    assert len(recovered) == 1 and recovered.isdisjoint(old_key), "only the new data key is left"


def test_rotation_refuses_while_another_connection_holds_the_store(
    store: str, reader: sqlite3.Connection, secrets: Secrets
) -> None:
    before = services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000)
    with pytest.raises(UserError, match="another program"):
        services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets)
    reader.close()
    assert services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000) == before


@pytest.mark.parametrize("batch", [0, -1])
def test_rotation_with_a_batch_below_one_changes_nothing(store: str, secrets: Secrets, batch: int) -> None:
    before = services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000)
    with pytest.raises(UserError, match="--batch"):
        services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets, batch=batch)
    assert services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000) == before
    with open_store(store) as s, s.transaction() as session:
        assert list(session.scalars(select(CaseKeyRow.state))) == ["current"]


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1, 5_256_000])
def test_unlock_refuses_sessions_outside_one_minute_to_a_day(store: str, secrets: Secrets, minutes: int) -> None:
    with pytest.raises(UserError, match="minutes"):
        services.unlock(store, actor=LOCAL_OWNER, secrets=secrets, minutes=minutes)
    assert not (secrets.session_dir and secrets.session_dir.exists() and any(secrets.session_dir.iterdir()))


@pytest.mark.parametrize("minutes", [1, 24 * 60])
def test_unlock_accepts_one_minute_to_a_day(store: str, secrets: Secrets, minutes: int) -> None:
    assert services.unlock(store, actor=LOCAL_OWNER, secrets=secrets, minutes=minutes)


@pytest.mark.parametrize("weak", ["x", "password1234", "passwordpassword", "border-crossers-2007"])
def test_rekey_refuses_a_weak_passphrase_and_changes_nothing(store: str, secrets: Secrets, weak: str) -> None:
    before = services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000)
    with pytest.raises(UserError, match="passphrase") as info:
        services.rekey(store, weak, actor=LOCAL_OWNER, secrets=secrets)
    assert weak not in str(info.value)
    assert services.audit_entries(store, actor=LOCAL_OWNER, limit=100_000) == before
