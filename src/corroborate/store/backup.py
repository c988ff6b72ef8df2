"""Encrypted backups of a whole case store, and restoring them into a new store.

A backup file is one line of plaintext JSON (the header: format, kind, schema revision, content
digest, Argon2id parameters) followed by the payload sealed with AES-256-GCM in 1 MiB chunks under
a key derived from the backup passphrase. Each chunk's nonce and additional data carry its number,
whether it is the last, and the hash of the header, so altering, reordering, truncating or extending
the file is detected. The payload is a snapshot by SQLite's online backup API, or for PostgreSQL a
logical dump read in one REPEATABLE READ transaction: both consistent while the store is in use.

Never writes the store's plaintext anywhere but a temporary snapshot that is deleted when done
(restricted fields are sealed inside it anyway); never puts a passphrase or key into a message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, LargeBinary, MetaData, String, Table, create_engine, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from corroborate.domain import Progress, no_progress
from corroborate.errors import BackupInvalid, RestoreTargetNotEmpty

from .audit import row_hash
from .backupformat import (
    CHUNK_BYTES,
    BackupInfo,
    move_into_place,
    open_chunks,
    read_backup_info,
    read_header,
    temp_file,
    unlock_backup,
    write_file,
)
from .database import Store, connect, head_revision, migrate
from .schema import Base

__all__ = ["BackupInfo", "content_digest", "read_backup_info", "restore_backup", "write_backup"]

_ignore: Progress = no_progress
Rows = Iterator[tuple[Table, list[dict[str, Any]]]]
_PAGES_PER_STEP = 1024
_BATCH = 1000
# Tables of large rows (an attachment's chunks, up to 1 MiB each) are read and restored a few rows at a time.
_SMALL_BATCHES = {"attachment_chunks": 8}
# alembic_version is not a model; the logical dump carries it so a restore knows the schema.
_ALEMBIC = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


def _batch(table: Table) -> int:
    return _SMALL_BATCHES.get(table.name, _BATCH)


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns).execution_options(yield_per=_batch(table))


def content_digest(session: Session | Connection) -> str:
    """SHA-256 over all rows of all tables (by table name, then primary key): equal content, equal digest."""
    digest = hashlib.sha256()
    for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
        digest.update(f"{table.name}\n".encode())
        for row in session.execute(_ordered(table)):
            digest.update(row_hash(row).encode() + b"\n")
    return digest.hexdigest()


@contextmanager
def _read_snapshot(path: Path) -> Iterator[Connection]:
    """A read-only connection to a SQLite snapshot file."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _file_body(path: Path, size: int, progress: Progress) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while data := handle.read(CHUNK_BYTES):
            progress(size + handle.tell(), 2 * size)
            yield data


def _write_sqlite_backup(store: Store, out: Path, passphrase: str, progress: Progress) -> BackupInfo:
    snapshot = temp_file(out.parent, ".corroborate-snapshot-")
    raw = store.engine.raw_connection()
    source: Any = raw.driver_connection
    try:
        # Holding a read transaction pins one state of the WAL: writers carry on, and the copy
        # (page by page) neither restarts when they commit nor picks up half of their work.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        page = source.execute("PRAGMA page_size").fetchone()[0]
        with closing(sqlite3.connect(snapshot)) as target:
            step = lambda _s, left, pages: progress((pages - left) * page, 2 * pages * page)  # noqa: E731
            source.backup(target, pages=_PAGES_PER_STEP, progress=step)
            target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, with no -wal beside it
        source.execute("ROLLBACK")
        with _read_snapshot(snapshot) as conn:  # the digest of what is backed up, not of the live store
            revision = conn.execute(select(_ALEMBIC.c.version_num)).scalar_one()
            digest = content_digest(conn)
        size = snapshot.stat().st_size
        return write_file(out, "sqlite", revision, digest, passphrase, _file_body(snapshot, size, progress))
    finally:
        if source.in_transaction:  # the copy failed half-way
            source.execute("ROLLBACK")
        raw.close()
        _remove_sqlite_file(snapshot)


def _b64(value: bytes) -> str:  # bytes are all JSON cannot hold; restore decodes them by column type
    return base64.b64encode(value).decode()


def _dump_lines(conn: Connection, progress: Progress) -> Iterator[bytes]:
    """The logical dump: per table a line naming it and its columns, then one JSON array per row."""
    tables = [_ALEMBIC, *Base.metadata.sorted_tables]
    total, done = sum(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables), 0
    for table in tables:
        yield json.dumps({"table": table.name, "columns": [c.name for c in table.columns]}).encode() + b"\n"
        for rows in conn.execute(_ordered(table)).partitions():
            lines = [json.dumps(list(r), ensure_ascii=False, separators=(",", ":"), default=_b64) for r in rows]
            done += len(lines)
            progress(done, total)  # rows, not bytes: the size of the dump is not known before it is made
            yield ("\n".join(lines) + "\n").encode()


def _write_logical_backup(store: Store, out: Path, passphrase: str, progress: Progress) -> BackupInfo:
    with store.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():  # one snapshot for the digest and every row dumped
            revision = conn.execute(select(_ALEMBIC.c.version_num)).scalar_one()
            digest = content_digest(conn)
            return write_file(out, "logical", revision, digest, passphrase, _dump_lines(conn, progress))


def write_backup(store: Store, out: Path, passphrase: str, *, progress: Progress | None = None) -> BackupInfo:
    """Write the whole store, as it is at one moment, to one encrypted file (safe while it is in use).

    Progress counts bytes for SQLite (the copy, then the encryption) and rows for a logical dump.
    """
    out = Path(out).expanduser().absolute()
    if store.engine.dialect.name == "sqlite":
        return _write_sqlite_backup(store, out, passphrase, progress or _ignore)
    return _write_logical_backup(store, out, passphrase, progress or _ignore)


def _ensure_empty(target: str) -> None:
    if "://" not in target:
        path = Path(target).expanduser()
        if path.is_dir() or (path.exists() and path.stat().st_size > 0):
            raise RestoreTargetNotEmpty(target)
        return
    store = connect(target)
    try:
        found = set(sa_inspect(store.engine).get_table_names())
    finally:
        store.close()
    if found & {*Base.metadata.tables, _ALEMBIC.name}:
        raise RestoreTargetNotEmpty(store.location)


@contextmanager
def _new_store(location: str) -> Iterator[Connection]:
    """A transaction on a new store whose schema is created inside it: all or nothing, schema included."""
    store = connect(location)
    try:
        with store.engine.connect() as conn:
            conn = conn.execution_options(corroborate_write=True)
            with conn.begin():
                migrate(conn)
                yield conn
    finally:
        store.close()


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        *lines, rest = (rest + chunk).split(b"\n")
        yield from lines
    if rest:
        yield rest


def _logical_rows(chunks: Iterable[bytes], revision: str) -> Rows:
    """Batches of rows from a logical dump, checked against the tables of this schema."""
    tables = {t.name: t for t in [_ALEMBIC, *Base.metadata.sorted_tables]}
    table, binary, batch = _ALEMBIC, set[str](), list[dict[str, Any]]()
    try:
        for line in _lines(chunks):
            item = json.loads(line)
            if isinstance(item, dict):  # the next table begins
                if batch:
                    yield table, batch
                batch, table = [], tables[item["table"]]
                if item["columns"] != [c.name for c in table.columns]:
                    raise ValueError("columns differ from this schema")
                binary = {c.name for c in table.columns if isinstance(c.type, LargeBinary)}
            elif table is _ALEMBIC:
                if item != [revision]:
                    raise ValueError("schema revision differs from the header")
            else:
                batch.append({c.name: base64.b64decode(v, validate=True) if v is not None and c.name in binary
                              else v for c, v in zip(table.columns, item, strict=True)})  # fmt: skip
                if len(batch) >= _batch(table):
                    yield table, batch
                    batch = []
    except (KeyError, TypeError, ValueError) as exc:  # the digest check would catch it; this names it sooner
        raise BackupInvalid("the dump inside the backup is malformed") from exc
    if batch:
        yield table, batch


def _snapshot_rows(conn: Connection) -> Rows:
    for table in Base.metadata.sorted_tables:
        for rows in conn.execute(_ordered(table)).partitions():
            yield table, [dict(r._mapping) for r in rows]


def _reset_sequences(conn: Connection) -> None:
    """Move each PostgreSQL id sequence past the ids restored, so new rows get new ids."""
    for table in Base.metadata.sorted_tables:
        for pk in table.primary_key.columns:
            sequence = conn.scalar(select(func.pg_get_serial_sequence(table.name, pk.name)))
            if sequence is not None:
                top = conn.scalar(select(func.max(pk)))
                conn.execute(select(func.setval(sequence, top or 1, top is not None)))


def _insert_all(location: str, rows: Rows, digest: str) -> None:
    with _new_store(location) as conn:
        for table, batch in rows:
            conn.execute(table.insert(), batch)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
        if content_digest(conn) != digest:
            raise BackupInvalid("the restored content does not match the digest recorded in the backup")


def _check_snapshot(path: Path, info: BackupInfo) -> None:
    try:
        with _read_snapshot(path) as conn:
            if conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() != ["ok"]:
                raise BackupInvalid("the database inside the backup is damaged (integrity check failed)")
            if content_digest(conn) != info.digest:
                raise BackupInvalid("the database inside the backup does not match its recorded digest")
    except DatabaseError as exc:
        raise BackupInvalid("the backup does not hold a readable SQLite database") from exc


def restore_backup(path: Path, target: str, passphrase: str, *, progress: Progress | None = None) -> BackupInfo:
    """Restore a backup into ``target`` (a SQLite path or a database URL holding no store yet).

    Progress counts the bytes of the backup file decrypted; rows are inserted as they are decrypted,
    except when a SQLite snapshot goes into PostgreSQL, which is copied after the last byte.
    """
    path = Path(path)
    header = read_header(path)
    info = header.info
    if info.revision != head_revision():
        raise BackupInvalid(f"the backup was made by {header.made_by} at schema revision {info.revision}; "
                            f"this version needs revision {head_revision()}")  # fmt: skip
    _ensure_empty(target)
    chunks = open_chunks(path, header, unlock_backup(header, passphrase), progress or _ignore)
    file_path = None if "://" in target else Path(target).expanduser().resolve()
    if info.kind == "logical" and file_path is None:
        _insert_all(target, _logical_rows(chunks, info.revision), info.digest)
        return info
    # The decrypted snapshot, or the new SQLite store until it is complete (beside the target).
    tmp = temp_file(file_path and file_path.parent, ".corroborate-restore-")
    try:
        if info.kind == "logical":
            _insert_all(str(tmp), _logical_rows(chunks, info.revision), info.digest)
            with closing(sqlite3.connect(tmp)) as conn:  # fold the write-ahead log into the file itself
                conn.execute("PRAGMA journal_mode=DELETE")
        else:
            with tmp.open("wb") as handle:
                handle.writelines(chunks)
                handle.flush()
                os.fsync(handle.fileno())
            _check_snapshot(tmp, info)
            if file_path is None:
                with _read_snapshot(tmp) as source:
                    _insert_all(target, _snapshot_rows(source), info.digest)
        if file_path is not None:
            if file_path.exists() and file_path.stat().st_size > 0:  # someone got there meanwhile
                raise RestoreTargetNotEmpty(target)
            move_into_place(tmp, file_path)
    finally:
        _remove_sqlite_file(tmp)
    return info
