"""`corroborate token`: a token printed once, listed without its value, refused once revoked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.services import apitokens

runner = CliRunner(env={"COLUMNS": "240"})
PASSWORD = "a long enough password"
OLGA = {"CORROBORATE_USER": "olga", "CORROBORATE_PASSWORD": PASSWORD}


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or None)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path) -> str:
    location = str(tmp_path / "store.db")
    assert run("import", str(reference_case_path), "--store", location)[0] == 0
    code, _, err = run("user", "add", location, "olga", "--role", "owner", CORROBORATE_NEW_PASSWORD=PASSWORD)
    assert code == 0, err
    return location


def test_a_token_is_printed_once_listed_without_it_and_revoked(store: str) -> None:
    code, out, err = run("token", "create", store, "--name", "intake form", "--case", "border-crossers-2007",
                         "--role", "analyst", "--days", "30", **OLGA)  # fmt: skip
    assert code == 0, err
    first, token = out.strip().splitlines()
    assert first.startswith("token 1: analyst on border-crossers-2007 until ") and token.startswith("cbt_")
    caller = apitokens.caller_for(store, token)
    assert caller is not None and caller.actor.name == "olga"
    code, out, _ = run("token", "list", store, "--format", "json", **OLGA)
    listed = json.loads(out)
    assert code == 0 and [(t["pk"], t["name"], t["role"]) for t in listed] == [(1, "intake form", "analyst")]
    assert token not in out and "sealed" not in listed[0]
    assert run("token", "revoke", store, "1", **OLGA)[:2] == (0, "token 1 revoked\n")
    assert apitokens.caller_for(store, token) is None
    code, _, err = run("token", "revoke", store, "1", **OLGA)
    assert code == 2 and err.startswith("error: olga has no live token number 1")


def test_a_token_above_its_user_or_on_a_store_without_users_is_refused(store: str, tmp_path: Path,
                                                                       reference_case_path: Path) -> None:  # fmt: skip
    code, _, err = run("user", "add", store, "ana", "--role", "analyst", CORROBORATE_NEW_PASSWORD=PASSWORD, **OLGA)
    assert code == 0, err
    code, out, err = run("token", "create", store, "--name", "x", "--case", "border-crossers-2007", "--role", "owner",
                         CORROBORATE_USER="ana", CORROBORATE_PASSWORD=PASSWORD)  # fmt: skip
    assert code == 2 and "cannot be owner" in err and "cbt_" not in out
    bare = str(tmp_path / "bare.db")
    assert run("import", str(reference_case_path), "--store", bare)[0] == 0
    code, _, err = run("token", "create", bare, "--name", "x", "--case", "border-crossers-2007", "--role", "viewer")
    assert code == 2 and "user accounts" in err
