"""A case's first rows fill the search index once, after them: the same index as the triggers make, the trigger
back in place after, and nothing changed by an import that stops half-way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import searchfill, writer
from corroborate.store.search import KINDS

_QUERIES = ("Chongjin", "청진", "Hoeryong", "kyohwaso", "guards", "prison")


def _index(path: Path) -> tuple[dict[str, list[tuple[int, str]]], dict[tuple[str, str], list[int]], list[tuple[str]]]:
    with sqlite3.connect(path) as conn:
        bodies = {k: conn.execute(f"SELECT rowid, body FROM {k}_search ORDER BY rowid").fetchall() for k in KINDS}
        found = {
            (k, q): [
                r
                for (r,) in conn.execute(
                    f"SELECT rowid FROM {k}_search WHERE {k}_search MATCH ? ORDER BY rank", (f'"{q}"',)
                )
            ]  # fmt: skip
            for k in KINDS
            for q in _QUERIES
        }
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    return bodies, found, schema


def test_filled_once_it_is_the_index_the_triggers_make(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.import_casefile(str(tmp_path / "by-trigger.db"), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    monkeypatch.setattr(searchfill, "_FROM_ROWS", 1)  # every kind of the reference case filled after its rows
    services.import_casefile(str(tmp_path / "after.db"), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    by_trigger, after = _index(tmp_path / "by-trigger.db"), _index(tmp_path / "after.db")
    assert all(by_trigger[0].values()) and any(by_trigger[1].values())
    assert after == by_trigger  # same rows and bodies, same matches in the same order, same triggers
    with sqlite3.connect(tmp_path / "after.db") as conn:  # a row written later is indexed by its trigger
        conn.execute("UPDATE excerpts SET text = 'a new passage about Musan' WHERE pk = 1")
        assert conn.execute("SELECT rowid FROM excerpt_search WHERE excerpt_search MATCH 'Musan'").fetchall() == [(1,)]
        assert conn.execute("INSERT INTO excerpt_search(excerpt_search) VALUES ('integrity-check')").fetchall() == []


def test_an_import_stopped_after_the_trigger_was_dropped_leaves_the_store_as_it_was(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "case.db"
    services.init_store(str(store))  # a store that was there before: an interrupted import leaves it as it was
    monkeypatch.setattr(searchfill, "_FROM_ROWS", 1)
    real = writer.insert_rows

    def interrupted(session, table, rows, **kwargs):  # type: ignore[no-untyped-def]
        real(session, table, rows, **kwargs)
        if table.name == "excerpts":
            raise KeyboardInterrupt  # Ctrl-C between the rows and the index

    monkeypatch.setattr(writer, "insert_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        services.import_casefile(str(store), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    monkeypatch.setattr(writer, "insert_rows", real)
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT count(*) FROM excerpts").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM excerpt_search").fetchone() == (0,)
        triggers = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {f"{k}_search_{e}" for k in KINDS for e in ("insert", "update", "delete")} <= triggers
    services.import_casefile(str(store), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with sqlite3.connect(store) as conn:
        assert (
            conn.execute("SELECT count(*) FROM excerpt_search").fetchone()
            == conn.execute("SELECT count(*) FROM excerpts").fetchone()
        )
