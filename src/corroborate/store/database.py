"""Opening case stores: a SQLite file by path, or any SQLAlchemy URL (PostgreSQL).

Never puts a database password into a message: locations are rendered with
the password hidden.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from corroborate.errors import StoreNotFound, StoreOutdated, StoreUnreachable

__all__ = [
    "Store",
    "canonical_location",
    "connect",
    "create_store",
    "head_revision",
    "held_elsewhere",
    "migrate",
    "open_store",
    "store_url",
    "truncate_wal",
]

_MIGRATIONS = Path(__file__).parent / "migrations"
_BUSY_TIMEOUT_MS = 30000


def store_url(location: str) -> str:
    """The SQLAlchemy URL of a store given as a file path or a URL."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def canonical_location(location: str) -> str:
    """One name per store, however it was given: the absolute resolved path of a SQLite file, or
    the URL of a server with its driver and password left out (what names an unlock session)."""
    if "://" not in location:
        return str(Path(location).expanduser().resolve())
    try:
        url = make_url(location)
    except ArgumentError:
        return location
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return str(Path(url.database).expanduser().resolve())
    plain = URL.create(url.get_backend_name(), username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query)  # fmt: skip
    return plain.render_as_string(hide_password=False)


def _display(location: str) -> str:
    if "://" not in location:
        return location
    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the pysqlite driver, decide when transactions begin, so
    # that DDL (migrations) is transactional too: a killed `init` leaves nothing half-made.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer (backups, listings)
    # Overwrite deleted content with zeros, so a freed page or cell keeps no old wrapped key or ciphertext.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock up front (BEGIN IMMEDIATE) so that two writers
    # queue on busy_timeout instead of failing when a read lock cannot be upgraded.
    immediate = conn.get_execution_options().get("corroborate_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """An open case store: an engine and the sessions made from it."""

    def __init__(self, location: str, engine: Engine) -> None:
        self.location = _display(location)
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        ``write`` takes the database's write lock at the start (SQLite) so that
        concurrent writers wait for each other rather than fail.
        """
        with self._sessions() as session:
            session.connection(execution_options={"corroborate_write": write})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> str | None:
        """The schema revision the database is at (None when it has none)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sqlite_pragmas(store: Store, wait_ms: int, *statements: str) -> list[Any]:
    """Run PRAGMAs on one pooled SQLite connection (outside any transaction), waiting up to ``wait_ms``."""
    raw = store.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            return [conn.execute(statement).fetchone() for statement in statements]
        finally:
            conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    finally:
        raw.close()


def truncate_wal(store: Store, *, wait_ms: int) -> bool:
    """Copy a SQLite store's write-ahead log into the database file and empty the log.

    Old page versions (an old wrapped key, an old ciphertext) live on in the log
    and in the file until then. Waits up to ``wait_ms`` for other connections'
    transactions to end; False when one still holds the store (other databases: True).
    """
    if store.engine.dialect.name != "sqlite":
        return True
    try:
        ((busy, _log, _copied),) = _sqlite_pragmas(store, wait_ms, "PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:  # locked by a writer for longer than the wait
        return False
    return not busy


def held_elsewhere(store: Store, *, wait_ms: int) -> bool:
    """True when another connection keeps a transaction open on a SQLite store (waiting up to ``wait_ms``).

    A reader that began while the log was empty reads the database file alone,
    and an empty log checkpoints at once whoever reads: so write one frame that
    changes nothing (the header's unused user_version, set to itself) and then
    check that the log can be folded in and emptied.
    """
    if store.engine.dialect.name != "sqlite":
        return False
    try:
        ((version,),) = _sqlite_pragmas(store, wait_ms, "PRAGMA user_version")
        _sqlite_pragmas(store, wait_ms, f"PRAGMA user_version={int(version)}")
    except sqlite3.OperationalError:
        return True
    return not truncate_wal(store, wait_ms=wait_ms)


def _engine(location: str) -> Engine:
    url = store_url(location)
    try:
        engine = create_engine(url)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise StoreUnreachable(_display(location), "not a SQLite path or a database URL") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _check_reachable(store: Store) -> None:
    try:
        with store.engine.connect():
            pass
    except OperationalError as exc:
        store.close()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise StoreUnreachable(store.location, reason) from exc


def connect(location: str) -> Store:
    """A reachable store location, whatever its schema (or none); StoreUnreachable otherwise."""
    if "://" not in location:
        Path(location).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    store = Store(location, _engine(location))
    _check_reachable(store)
    return store


def migrate(connection: Connection) -> None:
    """Bring the schema up to the newest revision inside the caller's transaction."""
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def create_store(location: str) -> Store:
    """Open a store, creating it (or upgrading its schema) first."""
    store = connect(location)
    with store.engine.begin() as conn:
        migrate(conn)
    return store


def open_store(location: str) -> Store:
    """Open an existing store at the current schema revision."""
    if "://" not in location and not Path(location).expanduser().is_file():
        raise StoreNotFound(location)
    store = Store(location, _engine(location))
    _check_reachable(store)
    if not inspect(store.engine).has_table("cases"):
        store.close()
        raise StoreNotFound(store.location)
    found, expected = store.revision(), head_revision()
    if found != expected:
        store.close()
        raise StoreOutdated(store.location, found, expected)
    return store
