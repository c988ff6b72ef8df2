"""Filling the SQLite full-text index once for a whole case's rows, in the transaction that inserts them.

Migration 0005 keeps each FTS5 table in step with its rows by triggers. For
a case's first rows of a kind (an import), the insert trigger is dropped for
the insert and the index filled after it by one ``INSERT … SELECT`` whose text
is the trigger's own (``NEW.`` read from the table), then the trigger is
created again from its stored SQL — all in the caller's transaction, so a
failure or Ctrl-C rolls the trigger back with the rows, and other connections
never see the store without it. Measured on 119,047 excerpts: 4.4 s with the
trigger (rows many to a statement), 3.3 s filled after. The index holds the
same rows and bodies either way, so searches find and rank the same.

Never touches a trigger whose SQL is not of the shape migration 0005 wrote:
then the trigger does the work, as for every row-level write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Table
from sqlalchemy.orm import Session

__all__ = ["index_filled_after"]

_FROM_ROWS = 5_000  # fewer rows than this: the trigger is as quick
_TRIGGER = re.compile(
    r"CREATE TRIGGER (?P<name>\w+) AFTER INSERT ON (?P<table>\w+) BEGIN "
    r"INSERT INTO (?P<index>\w+) \(rowid, body\) VALUES \(NEW\.pk, (?P<body>[^;]*)\); END",
)


@contextmanager
def index_filled_after(session: Session, table: Table, *, case_pk: int, rows: int) -> Iterator[None]:
    """Insert a case's first rows of ``table`` in the block; its search index is filled once, after them."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or rows < _FROM_ROWS:
        yield
        return
    found = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE '%\\_search\\_insert' "
        "ESCAPE '\\'",
        (table.name,),
    ).all()
    shape = _TRIGGER.fullmatch(found[0][0]) if len(found) == 1 else None
    present = connection.exec_driver_sql(f"SELECT 1 FROM {table.name} WHERE case_pk = ? LIMIT 1", (case_pk,)).first()
    if shape is None or shape["table"] != table.name or present is not None:
        yield
        return
    (trigger,) = found[0]
    connection.exec_driver_sql(f"DROP TRIGGER {shape['name']}")
    try:
        yield
    except BaseException:
        with suppress(Exception):  # the caller rolls back, the trigger with it; this guards one that would not
            connection.exec_driver_sql(trigger)
        raise
    body = re.sub(r"\bNEW\.", f"{table.name}.", shape["body"])
    connection.exec_driver_sql(
        f"INSERT INTO {shape['index']} (rowid, body) SELECT pk, {body} FROM {table.name} WHERE case_pk = ?",
        (case_pk,),
    )
    connection.exec_driver_sql(trigger)
