"""An interview's date as the first and last day it may denote, so listings filter by a date range in SQL.

Derived from the interview's fuzzy (EDTF) date, which stays the record; the two columns are left out of
the audit row hash (``store.audit.UNHASHED``), so the log of a store written before verifies unchanged.
An open end (``2004/..``) is NULL. Existing rows are filled from their dates here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from corroborate.domain.fuzzydate import date_interval

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("interviews", sa.Column("date_start", sa.String(length=10), nullable=True))
    op.add_column("interviews", sa.Column("date_end", sa.String(length=10), nullable=True))
    connection = op.get_bind()
    table = sa.table("interviews", sa.column("pk"), sa.column("date"), sa.column("date_start"), sa.column("date_end"))
    updates = []
    for pk, text in connection.execute(sa.select(table.c.pk, table.c.date)):
        span = date_interval(text)
        start = span.start.isoformat() if span.start else None
        end = span.end.isoformat() if span.end else None
        updates.append({"key": pk, "start": start, "end": end})
    if updates:
        connection.execute(
            table.update()
            .where(table.c.pk == sa.bindparam("key"))
            .values(date_start=sa.bindparam("start"), date_end=sa.bindparam("end")),
            updates,
        )
    op.create_index("ix_interviews_case_date", "interviews", ["case_pk", "date_start"])


def downgrade() -> None:
    op.drop_index("ix_interviews_case_date", table_name="interviews")
    op.drop_column("interviews", "date_end")
    op.drop_column("interviews", "date_start")
