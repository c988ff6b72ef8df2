"""The audit log detects edits, deletions and reordering, of its entries and of the rows they cover."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from corroborate import services
from corroborate.cli import app
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import open_store


@pytest.fixture
def store(store_location: str, reference_case_path: Path, secrets: Secrets) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.set_identity(store_location, "W-002", {"notes": "second interview planned"}, actor=LOCAL_OWNER,
                          secrets=secrets)  # fmt: skip
    assert services.verify(store_location, actor=LOCAL_OWNER).ok
    return store_location


def tamper(location: str, *statements: str) -> None:
    with open_store(location) as s, s.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def first_problem(location: str) -> str:
    report = services.verify(location, actor=LOCAL_OWNER)
    assert not report.ok
    return str(report.problems[0])


def test_every_write_is_logged_without_restricted_values(store: str, reference_case_path: Path) -> None:
    entries = services.audit_entries(store, actor=LOCAL_OWNER, limit=10_000)
    actions = {(e.entity, e.action) for e in entries}
    assert {("case", "create"), ("witness", "create"), ("identity", "create"), ("identity", "update"),
            ("claim", "create"), ("case_key", "create")} <= actions  # fmt: skip
    from corroborate.ingest import read_casefile

    dumped = repr(entries)
    for w in read_casefile(reference_case_path).witnesses:
        for value in w.restricted.values() if w.restricted else []:
            assert value not in dumped


@pytest.mark.parametrize(
    ("statement", "fragment"),
    [
        ("UPDATE audit_log SET actor = 'someone else' WHERE seq = 7", "entry #7"),
        ("UPDATE audit_log SET after_hash = before_hash WHERE seq = 20", "entry #20"),
        ("DELETE FROM audit_log WHERE seq = 11", "entry #12"),
        ("UPDATE audit_log SET seq = seq + 1000 WHERE seq = 5", "entry #6"),
    ],
)
def test_tampering_with_entries_breaks_the_chain(store: str, statement: str, fragment: str) -> None:
    tamper(store, statement)
    assert fragment in first_problem(store)


def test_swapping_two_entries_is_found(store: str) -> None:
    tamper(
        store,
        "UPDATE audit_log SET seq = -1 WHERE seq = 30",
        "UPDATE audit_log SET seq = 30 WHERE seq = 31",
        "UPDATE audit_log SET seq = 31 WHERE seq = -1",
    )
    assert "entry #30" in first_problem(store)


@pytest.mark.parametrize(
    ("statement", "entity"),
    [
        ("UPDATE witnesses SET origin = 'Hyesan' WHERE ref = 'W-003'", "witness border-crossers-2007/W-003"),
        ("UPDATE claims SET stance = 'contradicts' WHERE position = 0", "claim border-crossers-2007/"),
        ("DELETE FROM recommendations WHERE position = 0", "recommendation border-crossers-2007/"),
        ("UPDATE witness_identities SET key_version = 7", "identity border-crossers-2007/"),
        ("UPDATE excerpts SET text = 'something else' WHERE position = 3", "excerpt border-crossers-2007/"),
        ("UPDATE case_keys SET state = 'old'", "case_key border-crossers-2007/v1"),
    ],
)
def test_editing_audited_rows_names_the_entry(store: str, statement: str, entity: str) -> None:
    tamper(store, statement)
    problem = first_problem(store)
    assert entity in problem and "entry #" in problem


def test_rows_added_behind_its_back_are_found(store: str) -> None:
    tamper(
        store,
        "INSERT INTO users (username, password_hash, disabled, created_at) VALUES ('mallory', 'x', false, 'now')",
    )
    assert "user mallory" in first_problem(store) and "never audited" in first_problem(store)


def test_cutting_the_end_is_found_against_the_head_seen(store: str, tmp_path: Path) -> None:
    trust = tmp_path / "trust.json"
    assert services.verify(store, actor=LOCAL_OWNER, trust_file=trust).ok  # pins the key, remembers the head
    tamper(store, "DELETE FROM audit_signatures WHERE seq = (SELECT MAX(seq) FROM audit_log)",
           "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")  # fmt: skip
    report = services.verify(store, actor=LOCAL_OWNER, trust_file=trust)
    assert not report.ok
    assert any("the entry you saw last is missing" in str(p) for p in report.problems)


def test_cli_verify_exits_non_zero_and_names_the_entry(store: str) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(app, ["audit", "verify", store])
    assert result.exit_code == 0 and "intact" in result.stdout
    tamper(store, "UPDATE witnesses SET age = 99 WHERE ref = 'W-004'")
    result = runner.invoke(app, ["audit", "verify", store])
    assert result.exit_code == 1
    assert "BROKEN" in result.stderr and "W-004" in result.stderr and "entry #" in result.stderr
    result = runner.invoke(app, ["audit", "log", store, "--limit", "5"])
    assert result.exit_code == 0 and "identity" in result.stdout
