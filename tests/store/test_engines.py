"""Engines kept per store location: reused by the next open at the same place, but no connection outlives the
last open store, so a store deleted, replaced or restored at the same path is read afresh."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from corroborate.store import create_store, open_store
from corroborate.store import engines as kept


def _store(path: Path, title: str) -> str:
    location = str(path)
    with create_store(location) as store, store.transaction(write=True) as session:
        session.execute(text("INSERT INTO cases (ref, title, language) VALUES ('c', :t, 'en')"), {"t": title})
    return location


def _title(location: str) -> str:
    with open_store(location) as store, store.transaction() as session:
        return str(session.execute(text("SELECT title FROM cases")).scalar_one())


def test_the_engine_is_kept_and_its_connections_are_not(tmp_path: Path) -> None:
    location = _store(tmp_path / "case.db", "first")
    with open_store(location) as one, open_store(location) as two:
        assert one.engine is two.engine  # one engine: what it compiled is compiled once
        with one.transaction(write=True) as session:
            session.execute(text("UPDATE cases SET title = 'changed'"))
        with two.transaction() as session:
            session.execute(text("SELECT 1"))
    assert one.engine.pool.checkedin() == 0  # type: ignore[attr-defined]
    # the last connection closed folded the write-ahead log into the file, as a store made per call did
    assert not Path(location + "-wal").exists()
    with open_store(location) as again:
        assert again.engine is one.engine


def test_a_store_replaced_at_the_same_path_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "case.db"
    location = _store(path, "first")
    assert _title(location) == "first"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    _store(path, "second")
    assert _title(location) == "second"
    other = _store(tmp_path / "other.db", "third")
    path.unlink()
    Path(other).rename(path)  # a restore moves a new file into place
    assert _title(location) == "third"


def test_an_open_store_keeps_its_connections_while_another_closes(tmp_path: Path) -> None:
    location = _store(tmp_path / "case.db", "first")
    with open_store(location) as outer:
        with outer.transaction() as session:
            session.execute(text("SELECT 1"))
        assert outer.engine.pool.checkedin() == 1  # type: ignore[attr-defined]
        with open_store(location) as inner, inner.transaction() as session:
            session.execute(text("SELECT 1"))
        assert outer.engine.pool.checkedin() == 1  # type: ignore[attr-defined]
    assert outer.engine.pool.checkedin() == 0  # type: ignore[attr-defined]


def test_only_so_many_engines_are_kept(tmp_path: Path) -> None:
    locations = [_store(tmp_path / f"case{i}.db", str(i)) for i in range(kept._LIMIT + 4)]
    for location in locations:
        assert _title(location) == location.rsplit("case", 1)[1].removesuffix(".db")
    assert len(kept._kept) <= kept._LIMIT
    kept.dispose_engines()
    assert not kept._kept
    assert _title(locations[0]) == "0"  # made again when next asked for


def test_closing_twice_gives_back_once(tmp_path: Path) -> None:
    location = _store(tmp_path / "case.db", "first")
    with open_store(location) as outer:
        inner = open_store(location)
        inner.close()
        inner.close()
        with outer.transaction() as session:
            session.execute(text("SELECT 1"))
        assert outer.engine.pool.checkedin() == 1  # type: ignore[attr-defined]


def test_as_many_stores_may_be_open_at_once_as_before(tmp_path: Path) -> None:
    location = _store(tmp_path / "case.db", "first")
    stores = [open_store(location) for _ in range(24)]  # more than a pool's default size and overflow
    sessions = [store.transaction() for store in stores]
    try:
        assert all(s.__enter__().execute(text("SELECT title FROM cases")).scalar_one() == "first" for s in sessions)
    finally:
        for session in sessions:
            session.__exit__(None, None, None)
        for store in stores:
            store.close()
    assert stores[0].engine.pool.checkedin() == 0  # type: ignore[attr-defined]
