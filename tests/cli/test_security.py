"""Keys and sessions from the command line: bad arguments are one `error:` line and change nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or None)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path) -> str:
    location = str(tmp_path / "store.db")
    code, _, err = run("import", str(reference_case_path), "--store", location)
    assert code == 0, err
    return location


@pytest.mark.parametrize("minutes", ["0", "-5", "1441", "5256000"])
def test_unlock_outside_a_day_is_refused(store: str, minutes: str, tmp_path: Path) -> None:
    code, out, err = run("unlock", store, "--minutes", minutes)
    assert code == 2 and err.startswith("error: a session lasts between 1 and 1440 minutes"), err
    assert "CORROBORATE_SESSION" not in out
    assert not (tmp_path / "sessions").exists() or list((tmp_path / "sessions").iterdir()) == []


def test_lock_by_a_relative_path_ends_the_session(store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("unlock", store, "--minutes", "5")
    assert code == 0 and out.startswith("export CORROBORATE_SESSION=")
    assert len(list((tmp_path / "sessions").iterdir())) == 1
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("lock", os.path.relpath(store))
    assert code == 0 and out.strip() == "ended 1 session"
    assert list((tmp_path / "sessions").iterdir()) == []


def test_rotate_key_with_batch_zero_changes_nothing(store: str) -> None:
    _, before, _ = run("audit", "log", store, "--limit", "5", "--format", "json")
    code, _, err = run("rotate-key", store, "--batch", "0")
    assert code == 2 and err.startswith("error: --batch must be at least 1"), err
    _, after, _ = run("audit", "log", store, "--limit", "5", "--format", "json")
    assert after == before


def test_a_weak_new_passphrase_is_refused_without_being_shown(store: str) -> None:
    code, _, err = run("rekey", store, CORROBORATE_NEW_PASSPHRASE="hunter2hunter2")
    assert code == 2 and err.startswith("error: the new passphrase is too easy to guess"), err
    assert "hunter2" not in err


def test_a_name_typed_as_a_pseudonym_is_not_printed_back(store: str) -> None:
    """A user who types a witness's name where the pseudonym goes must not see it echoed (or logged)."""
    code, _, err = run("set-identity", store, "Ri Chol-min", "--notes", "moved")
    assert code == 2 and "Ri Chol-min" not in err and "not a pseudonym" in err
    code, _, err = run("set-identity", store, "W-099", "--notes", "moved")
    assert code == 2 and "'W-099'" in err


def test_a_backup_onto_an_existing_file_needs_force(store: str, tmp_path: Path) -> None:
    earlier = tmp_path / "store.backup"
    earlier.write_bytes(b"an earlier backup")
    code, _, err = run("backup", store, str(earlier))
    assert code == 2 and "--force" in err and earlier.read_bytes() == b"an earlier backup"
    code, _, err = run("backup", store, str(earlier), "--force")
    assert code == 0, err
    assert earlier.read_bytes() != b"an earlier backup"


def test_an_identity_is_cleared_field_by_field_or_removed_whole(store: str) -> None:
    code, out, err = run("identities", store, "--format", "json")
    assert code == 0, err
    before = json.loads(out)
    witness = next(ref for ref, identity in before.items() if identity["contacts"])
    code, _, err = run("set-identity", store, witness, "--clear", "contacts", "--notes", "asked to be forgotten")
    assert code == 0, err
    after = json.loads(run("identities", store, "--format", "json")[1])
    assert after[witness]["contacts"] == [] and after[witness]["notes"] == "asked to be forgotten"
    assert after[witness]["name"] == before[witness]["name"]  # what was not cleared stays
    code, _, err = run("set-identity", store, witness, "--clear", "invented")
    assert code == 2 and "no restricted field to clear called invented" in err
    code, _, err = run("set-identity", store, witness, "--remove", "--notes", "x")
    assert code == 2 and "--remove" in err
    code, out, err = run("set-identity", store, witness, "--remove")
    assert code == 0 and f"identity of {witness} removed" in out, err
    assert witness not in json.loads(run("identities", store, "--format", "json")[1])
    code, out, _ = run("set-identity", store, witness, "--remove")
    assert code == 0 and "nothing to remove" in out
    log = json.loads(run("audit", "log", store, "--limit", "10", "--format", "json")[1])
    assert any(e["entity"] == "identity" and e["action"] == "delete" for e in log)
    for value in [before[witness]["name"], *before[witness]["contacts"]]:
        assert value not in json.dumps(log)
    code, _, err = run("audit", "verify", store)
    assert code == 0, err
