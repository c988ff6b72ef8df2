"""An editor's disclosure checks from the command line: a scan-only session, blocks only, alerts for owners."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import planted
from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})
PASSWORD = "a long enough password"


def run(*args: str, user: str | None = None, **env: str) -> tuple[int, str, str]:
    if user is not None:
        env |= {"CORROBORATE_USER": user, "CORROBORATE_PASSWORD": PASSWORD}
    result = runner.invoke(app, list(args), env=env or None)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path) -> str:
    location = str(tmp_path / "store.db")
    casefile = planted.write(tmp_path / "case.yaml", planted.casefile({}))
    assert run("import", str(casefile), "--store", location)[0] == 0
    for name, role in (("olga", "owner"), ("ivan", "investigator"), ("eve", "editor")):
        signed_in = None if name == "olga" else "olga"  # the first account is made by the store's local owner
        code, _, err = run("user", "add", location, name, "--role", role, user=signed_in,
                           CORROBORATE_NEW_PASSWORD=PASSWORD)  # fmt: skip
        assert code == 0, err
    return location


def test_an_editor_checks_with_a_scan_only_session_and_owners_are_alerted(store: str, tmp_path: Path) -> None:
    code, out, err = run("unlock", store, "--scan-only", user="ivan")
    assert code == 0 and "scan key" in err
    token = out.strip().removeprefix("export CORROBORATE_SESSION=")
    outline = planted.write(tmp_path / "probe.yaml", {
        "title": "Guesses", "organisation": "Corroborate Watch", "disclosure": {"k": 1},
        "sections": [{"heading": "Overview", "blocks": [{"p": "Was it Pak Sun-ok?"}, {"p": "Or Kim Chol-su?"}]}],
    })  # fmt: skip
    code, _, err = run("check-disclosure", store, str(outline), user="eve", CORROBORATE_SESSION=token)
    assert code == 2
    assert "leak: a restricted value is in section 1, block 1" in err and "block 2" not in err
    assert "W-00" not in err and "characters" not in err and "Pak" not in err
    code, out, err = run("disclosure", "alerts", store, user="olga")
    assert code == 0 and "eve" in out
    assert "alert: eve's disclosure checks on case planted found" in run("summary", store, user="olga")[2]
    assert "alert" not in run("summary", store, user="eve")[2]
    assert run("disclosure", "limit", store, "1", user="olga")[0] == 0
    code, _, err = run("check-disclosure", store, str(outline), user="eve", CORROBORATE_SESSION=token)
    assert code == 2 and "suspended" in err
    assert run("disclosure", "lift", store, "eve", user="olga")[0] == 0
    assert run("scan-index", store, user="ivan")[0] == 0
    code, _, err = run("disclosure", "lift", store, "eve", user="eve")
    assert code == 2 and err.startswith("error: eve (editor) may not manage users")
