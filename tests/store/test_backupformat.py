"""Backup files obey the Argon2id floor: none is written below it, none is opened below it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import BackupInvalid
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.backups import backup, restore
from corroborate.store import crypto
from corroborate.store.crypto import SAFE_ARGON2

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> str:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return location


def header(path: Path) -> dict[str, object]:
    return json.loads(path.read_bytes().split(b"\n", 1)[0])


def test_a_backup_below_the_floor_is_not_opened(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "weak.backup"
    backup(store, out, actor=LOCAL_OWNER, passphrase=PASSPHRASE)  # under the tests' cheap policy
    assert header(out)["kdf"]["memory_cost"] < 47104  # type: ignore[index]
    monkeypatch.setattr(crypto, "argon2_policy", SAFE_ARGON2)
    with pytest.raises(BackupInvalid, match="below the safe minimum") as info:
        restore(out, str(tmp_path / "restored.db"), passphrase=PASSPHRASE)
    assert PASSPHRASE not in str(info.value)
    assert not (tmp_path / "restored.db").exists()


def test_an_environment_variable_cannot_weaken_a_backup(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crypto, "argon2_policy", SAFE_ARGON2)
    monkeypatch.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "16")
    monkeypatch.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
    out = tmp_path / "store.backup"
    backup(store, out, actor=LOCAL_OWNER, passphrase=PASSPHRASE)
    kdf = header(out)["kdf"]
    assert (kdf["memory_cost"], kdf["time_cost"]) == (65536, 3)  # type: ignore[index]
    result = restore(out, str(tmp_path / "restored.db"), passphrase=PASSPHRASE)
    assert result.audit.ok
