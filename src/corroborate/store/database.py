"""Opening case stores: a SQLite file by path, or any SQLAlchemy URL (PostgreSQL).

Never puts a database password into a message: locations are rendered with
the password hidden. Never writes to a file that is not a store: an existing
file is recognised from its header before any connection is made (connecting
switches SQLite to WAL mode, which would rewrite it). The driver's errors are
translated here into ``StoreError`` (``database_errors``), once for every caller.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from corroborate.errors import NotAStore, StoreFailed, StoreNotFound, StoreOutdated, StoreUnreachable

from .backupformat import FORMAT as BACKUP_FORMAT
from .engines import borrow_engine, return_engine

__all__ = [
    "Store",
    "canonical_location",
    "connect",
    "create_store",
    "database_errors",
    "head_revision",
    "held_elsewhere",
    "migrate",
    "open_store",
    "store_url",
    "truncate_wal",
]

_MIGRATIONS = Path(__file__).parent / "migrations"
_BUSY_TIMEOUT_MS = 30000
_SQLITE_HEADER = b"SQLite format 3\x00"
_STORE_TABLES = {"cases", "alembic_version"}


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


@functools.cache
def head_revision() -> str:
    """The newest schema revision this code knows (read once: every open checks it, and reading the
    migration scripts takes tens of milliseconds)."""
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
    """An open case store: an engine and the sessions made from it.

    ``release`` is called once on ``close`` instead of disposing the engine (an engine kept per location).
    """

    def __init__(self, location: str, engine: Engine, *, release: Callable[[], None] | None = None) -> None:
        self.location = _display(location)
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._release = release
        self._closed = False

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        ``write`` takes the database's write lock at the start (SQLite) so that
        concurrent writers wait for each other rather than fail.
        """
        with database_errors(self.location), self._sessions() as session:
            session.connection(execution_options={"corroborate_write": write})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def revision(self) -> str | None:
        """The schema revision the database is at (None when it has none)."""
        with database_errors(self.location), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        """Release every connection (of a kept engine: once no other open store uses it)."""
        if self._closed:
            return
        self._closed = True
        if self._release is None:
            self.engine.dispose()
        else:
            self._release()

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
        # Open stores of one location share a kept engine (``engines``): however many are open at once (a
        # server's requests), each gets a connection, as when each had an engine of its own.
        memory = url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")
        engine = create_engine(url) if memory else create_engine(url, max_overflow=-1)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise StoreUnreachable(_display(location), "not a SQLite path or a database URL") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _reason(exc: DBAPIError, default: str) -> str:
    # The driver's first line only: PostgreSQL puts the offending values in a DETAIL line.
    text = str(exc.orig).strip() if exc.orig is not None else ""
    return text.splitlines()[0] if text else default


@contextmanager
def database_errors(location: str) -> Iterator[None]:
    """Translate the database driver's errors into ``StoreFailed`` (exit code 3 at the command line)."""
    try:
        yield
    except DBAPIError as exc:
        raise StoreFailed(_display(location), _reason(exc, "the database failed")) from exc


def _check_reachable(store: Store) -> None:
    try:
        with store.engine.connect():
            pass
    except OperationalError as exc:
        store.close()
        raise StoreUnreachable(store.location, _reason(exc, "connection failed")) from exc
    except DBAPIError as exc:
        store.close()
        raise StoreFailed(store.location, _reason(exc, "the database failed")) from exc


def _sqlite_file(location: str) -> Path | None:
    """The file of a store given as a path (None for a database URL)."""
    return None if "://" in location else Path(location).expanduser()


def _what_it_is(path: Path, head: bytes) -> str:
    if not head:
        return "an empty file"
    if BACKUP_FORMAT.encode() in head[:200]:
        return "a backup file; restore it with `corroborate restore`"
    if path.suffix.lower() in (".yaml", ".yml", ".json") or b"\ncase:" in head:
        return "it looks like a casefile; import it with `corroborate import CASEFILE --store STORE`"
    return "not a SQLite database"


def _foreign_tables(path: Path) -> bool:
    """Whether a SQLite file holds tables of another program, read without writing anything.

    ``immutable`` reads the main file alone: no lock, no -wal or -shm file. A store whose
    schema is still only in its write-ahead log shows no tables here, never foreign ones.
    """
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        return False  # the real connection will say what is wrong (damaged, being written)
    return bool(tables) and not tables & _STORE_TABLES


def _recognise(location: str, path: Path) -> None:
    """NotAStore unless an existing file is a SQLite database that may be a store; reads the file only."""
    if path.is_dir():
        raise NotAStore(location, "a folder")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise StoreUnreachable(location, exc.strerror or type(exc).__name__) from exc
    if not head.startswith(_SQLITE_HEADER):
        raise NotAStore(location, _what_it_is(path, head))
    if _foreign_tables(path):
        raise NotAStore(location, "a SQLite database of another program")


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


def is_new_store(location: str) -> bool:
    """True when ``location`` is a store file that does not exist yet (creating it makes the file)."""
    path = _sqlite_file(location)
    return path is not None and not path.exists()


def discard_store_file(location: str) -> None:
    """Remove a store file (and its write-ahead log) that an import made and did not finish: a store that did
    not exist before a failed or interrupted import does not exist after it. Closed stores only."""
    path = _sqlite_file(location)
    if path is None:
        return  # a database's schema is made in the import's own transaction, rolled back with it
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def create_store(location: str) -> Store:
    """Open a store, creating it (or upgrading its schema) first; refuse a file that is something else."""
    path = _sqlite_file(location)
    if path is not None and path.exists():
        _recognise(location, path)
    store = connect(location)
    try:
        with database_errors(location), store.engine.begin() as conn:
            migrate(conn)
    except BaseException:
        store.close()
        raise
    return store


def open_store(location: str) -> Store:
    """Open an existing store at the current schema revision.

    Its engine is kept for the next call at the same location (``engines``); its connections are not,
    unless another store at the location is open meanwhile (``services.kept_open``, a server's): then the
    store is the one that one opened and checked, and is not checked again.
    """
    path = _sqlite_file(location)
    if path is not None and not path.exists():
        raise StoreNotFound(location)
    url = store_url(location)
    engine, held = borrow_engine(url, lambda _url: _engine(location))
    store = Store(location, engine, release=lambda: return_engine(url, engine))
    if held:  # another open store holds this engine's connections: it was checked when that store opened
        return store
    try:
        if path is not None:
            _recognise(location, path)
    except BaseException:
        store.close()
        raise
    _check_reachable(store)
    try:
        with database_errors(location), store.engine.connect() as conn:
            if not inspect(conn).has_table("cases"):
                raise StoreNotFound(store.location)
            found, expected = _revision(conn), head_revision()
        if found != expected:
            raise StoreOutdated(store.location, found, expected)
    except BaseException:
        store.close()
        raise
    return store


def _revision(conn: Connection) -> str | None:
    """The schema revision of a store, read as alembic reads it (one row of its version table) but quicker."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    if len(found) == 1:
        return str(found[0])
    return MigrationContext.configure(conn).get_current_revision()  # none, or several heads: alembic says
