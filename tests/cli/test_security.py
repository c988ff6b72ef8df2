"""Keys and sessions from the command line: bad arguments are one `error:` line and change nothing."""

from __future__ import annotations

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
