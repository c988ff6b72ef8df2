"""Bulk inserts for whole-case writes (an import, the audit entries it makes), fast on SQLite.

On SQLite each statement of an ``executemany`` is one statement transaction,
and the full-text index of migration 0005 (an FTS5 table filled by a trigger
on every row) writes its pending terms to disk at each one: a new index segment
per row, merged again and again (measured: 14 s for 119,047 excerpts). Several
rows in one ``INSERT … VALUES (…), (…)`` statement fire the same triggers, row
by row in the same transaction, but let FTS5 buffer the terms of the whole
statement (4 s). Values pass through the columns' own bind processors (JSON,
booleans), so the rows stored are the ones SQLAlchemy would store. Other
databases get a plain ``executemany``.

Never commits: everything happens in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

__all__ = ["insert_rows", "insert_values"]

_EXECUTEMANY_BATCH = 500
_ROWS_PER_STATEMENT = 500
_MAX_VARIABLES = 32000  # SQLite allows 32,766 parameters in one statement since 3.32
_ROOMY_FROM = 10_000  # rows
_ROOMY_KIB = 65_536


def insert_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, tick: Callable[[int], None] | None = None
) -> None:
    """Insert rows (dicts with the same keys) into ``table`` in the session's transaction."""
    if rows:
        names = list(rows[0])
        pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)  # a tuple, even of one
        insert_values(session, table, names, [pick(row) for row in rows], tick=tick)


def insert_values(
    session: Session, table: Table, names: Sequence[str], rows: Sequence[tuple[Any, ...]], *,
    tick: Callable[[int], None] | None = None,
) -> None:  # fmt: skip
    """Insert rows given as tuples of the columns ``names`` into ``table`` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        for start in range(0, len(rows), _EXECUTEMANY_BATCH):
            chunk = rows[start : start + _EXECUTEMANY_BATCH]
            session.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in chunk])
            if tick is not None:
                tick(len(chunk))
        return
    with _roomy_cache(connection, len(rows)):
        _insert_sqlite(connection, table, names, rows, tick)


@contextmanager
def _roomy_cache(connection: Connection, rows: int) -> Iterator[None]:
    # SQLite's page cache (2 MB by default) spills to the log again and again while a big transaction
    # fills indexes in random order (the audit log's entry hashes): measured 2.3 s for 252,783 entries,
    # 1.4 s with 64 MB. Only this connection's cache, only for the statement's time: no durability changes.
    if rows < _ROOMY_FROM:
        yield
        return
    (before,) = connection.exec_driver_sql("PRAGMA cache_size").one()
    connection.exec_driver_sql(f"PRAGMA cache_size = {min(int(before), -_ROOMY_KIB)}")
    restore = f"PRAGMA cache_size = {int(before)}"
    try:
        yield
    except BaseException:
        # The insert failed or was interrupted (Ctrl-C): its transaction is invalid until rolled back, so the
        # cache may not be set back here; the error itself, not that one, must reach the caller.
        with suppress(SQLAlchemyError):
            connection.exec_driver_sql(restore)
        raise
    connection.exec_driver_sql(restore)


def _insert_sqlite(
    connection: Connection, table: Table, names: Sequence[str], rows: Sequence[tuple[Any, ...]],
    tick: Callable[[int], None] | None,
) -> None:  # fmt: skip
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    converters = [(i, p) for i, p in enumerate(processors) if p is not None]
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) VALUES "
    one = "(" + ", ".join("?" * len(names)) + ")"
    per_statement = max(1, min(_ROWS_PER_STATEMENT, _MAX_VARIABLES // len(names)))
    statements: dict[int, str] = {}
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        params: list[Any] = []
        if converters:
            for row in chunk:
                values = list(row)
                for i, process in converters:
                    values[i] = process(values[i])
                params += values
        else:
            for row in chunk:
                params += row
        sql = statements.get(len(chunk))
        if sql is None:
            sql = statements[len(chunk)] = head + ", ".join([one] * len(chunk))
        connection.exec_driver_sql(sql, tuple(params))
        if tick is not None:
            tick(len(chunk))
