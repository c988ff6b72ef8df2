"""Opening case stores: a SQLite file by path, or any SQLAlchemy URL (PostgreSQL).

Never puts a database password into a message: locations are rendered with
the password hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from corroborate.errors import StoreNotFound, StoreOutdated, StoreUnreachable

__all__ = ["Store", "connect", "create_store", "head_revision", "migrate", "open_store", "store_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"


def store_url(location: str) -> str:
    """The SQLAlchemy URL of a store given as a file path or a URL."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


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
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer (backups, listings)
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
