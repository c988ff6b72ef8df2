"""Opening stores: a file that is not a store is recognised before any connection and never written to;
the database's own errors come out as StoreError."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from corroborate import services
from corroborate.errors import NotAStore, StoreFailed, StoreNotFound
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import create_store, open_store
from corroborate.store.database import database_errors


def _files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "text": ("notes.txt", b"Ri Chol-min, Helong\n"),
        "casefile": ("case.yaml", b"version: 1\ncase: {id: x, title: y}\n"),
        "backup": ("store.backup", b'{"format": "corroborate-backup", "version": 1}\n\x00\x01'),
        "empty": ("empty.db", b""),
        "sqlite header only": ("half.db", b"SQLite format 3\x00" + b"\x00" * 84),
    }
    files = {}
    for what, (name, content) in made.items():
        files[what] = tmp_path / name
        files[what].write_bytes(content)
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    files["another program's database"] = foreign
    return files


@pytest.mark.parametrize("opener", [open_store, create_store])
def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path: Path, opener: object) -> None:
    for what, path in _files(tmp_path).items():
        if what == "sqlite header only":
            continue  # a damaged database: see below
        before = sorted(p.name for p in tmp_path.iterdir()), path.read_bytes(), path.stat().st_mtime_ns
        with pytest.raises(NotAStore) as info:
            opener(str(path))  # type: ignore[operator]
        assert str(path) in str(info.value), what
        assert (sorted(p.name for p in tmp_path.iterdir()), path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(NotAStore):
        open_store(str(tmp_path))


def test_a_damaged_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreFailed):
        open_store(str(_files(tmp_path)["sqlite header only"]))


def test_an_empty_sqlite_database_may_become_a_store(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 7")  # a database with a header but no tables yet
    assert path.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(StoreNotFound):
        open_store(str(path))
    with create_store(str(path)) as store:
        assert store.revision() is not None
    open_store(str(path)).close()


def test_database_errors_become_store_errors(tmp_path: Path) -> None:
    with create_store(str(tmp_path / "s.db")) as store:
        with pytest.raises(StoreFailed) as info, store.transaction() as session:
            session.execute(text("SELECT * FROM no_such_table"))
        assert "no such table" in str(info.value) and info.value.exit_code == 3
        with pytest.raises(StoreFailed), database_errors("s.db"), store.engine.connect() as conn:
            conn.execute(text("INSERT INTO no_such_table VALUES (1)"))


def test_a_store_made_at_0003_upgrades_to_claim_modes_and_occurrences(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from corroborate.store.database import _alembic_config, head_revision

    location = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(location)
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(text("INSERT INTO cases (pk, ref, title, language) VALUES (1, 'c', 't', 'en')"))
        connection.execute(text("INSERT INTO propositions (case_pk, key, position, statement, attributes) "
                                "VALUES (1, 'a.b', 0, 'A statement.', '{}')"))  # fmt: skip
    before = {c["name"] for c in inspect(engine).get_columns("claims")}
    assert "mode" not in before and "occurrence" not in before  # 0003 as it landed
    engine.dispose()
    with create_store(location) as store:
        assert store.revision() == head_revision()
        with store.engine.connect() as connection:
            assert {"mode", "occurrence"} <= {c["name"] for c in inspect(connection).get_columns("claims")}
            assert connection.execute(text("SELECT kind FROM propositions")).scalars().all() == ["event"]


def test_interview_dates_are_filled_when_a_store_upgrades_to_0009(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    from alembic import command

    from corroborate.store.database import _alembic_config, head_revision

    location = str(tmp_path / "s.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with open_store(location) as store, store.engine.begin() as connection:
        dates = dict(connection.execute(text("SELECT ref, date FROM interviews")).all())
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")  # as a store written before 0009 is
    with create_store(location) as store, store.engine.connect() as connection:
        assert store.revision() == head_revision()
        bounds = {r: (s, e) for r, s, e in connection.execute(text("SELECT ref, date_start, date_end FROM interviews"))}
    assert bounds == {ref: (day, day) for ref, day in dates.items()}  # the reference case's dates are days
    assert services.verify(location, actor=LOCAL_OWNER).report.ok  # derived columns leave the row hashes alone
