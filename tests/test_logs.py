"""No restricted value reaches a log line, an error or a non-investigator's screen."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.ingest import read_casefile


def test_logs_and_output_of_import_failed_unlock_and_bad_casefile_hold_no_restricted_value(
    tmp_path: Path,
    reference_case_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, SQL statements and their parameters included
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    runner = CliRunner(env={"COLUMNS": "200"})
    store = str(tmp_path / "store.db")
    seen = []

    def run(*args: str, **env: str) -> int:
        result = runner.invoke(app, list(args), env=env or None)
        seen.append(result.stdout + result.stderr)
        return result.exit_code

    assert run("import", str(reference_case_path), "--store", store) == 0
    assert run("identities", store, "--format", "json") == 0  # an investigator's own screen: values shown
    shown = seen.pop()
    assert run("unlock", store, CORROBORATE_PASSPHRASE="wrong passphrase") == 2
    assert run("identities", store, CORROBORATE_PASSPHRASE="wrong passphrase") == 2
    assert run("set-identity", store, "W-002", "--birth-date", "the 3rd of Smarch") == 2

    bad = yaml.safe_load(reference_case_path.read_text(encoding="utf-8"))
    witness = next(w for w in bad["witnesses"] if w.get("restricted"))
    witness["restricted"]["birth_date"] = f"born when {witness['restricted']['name']} was young"
    witness["restricted"]["phone"] = witness["restricted"]["contacts"][0]  # unknown field
    witness["restricted"]["aliases"] = "not a list " + witness["restricted"]["name_hangul"]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    assert run("import", str(path), "--store", store, "--replace") == 2

    # an analyst (signed in) sees no identity whatever they ask for
    assert run("user", "add", store, "owner", "--role", "owner", CORROBORATE_NEW_PASSWORD="owner password 1") == 0
    as_owner = {"CORROBORATE_USER": "owner", "CORROBORATE_PASSWORD": "owner password 1"}
    assert run("user", "add", store, "ana", "--role", "analyst", CORROBORATE_NEW_PASSWORD="analyst password",
               **as_owner) == 0  # fmt: skip
    as_analyst = {"CORROBORATE_USER": "ana", "CORROBORATE_PASSWORD": "analyst password"}
    assert run("identities", store, **as_analyst) == 2
    assert run("export", store, **as_analyst) == 2
    assert run("export", store, "--public", **as_analyst) == 0
    assert run("witnesses", store, "--format", "json", **as_analyst) == 0
    assert run("claims", store, **as_analyst) == 0
    assert run("audit", "log", store, **as_analyst) == 2

    values = [v for w in read_casefile(reference_case_path).witnesses if w.restricted for v in w.restricted.values()]
    assert sum(v in shown for v in values) >= 5, "the investigator's own listing does show identities"
    logged = caplog.text
    assert "INSERT INTO witness_identities" in logged, "SQL logging was captured"
    everything = logged + "\n".join(seen)
    leaked = [v for v in values if len(v) >= 3 and v in everything]
    assert leaked == []
    assert "Smarch" not in everything
