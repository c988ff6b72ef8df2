"""Full-text search over what anyone who may analyse a case may read: excerpts, documents, propositions and
witnesses' public descriptors (never a restricted field).

SQLite: one FTS5 table per kind with the trigram tokenizer (substrings of three
characters or more, in any script, are found through the index; shorter ones
by a scan), its rowid the row's primary key, kept in step by triggers in the
same transaction as the row. PostgreSQL: pg_trgm GIN indexes on the rows
themselves, so the index is the table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# kind: (table, SQL of the indexed text from a row called NEW or OLD)
_SOURCES = {
    "excerpt": ("excerpts", "{r}.text"),
    "document": (
        "documents",
        "{r}.title || ' ' || COALESCE({r}.outlet, '') || ' ' || COALESCE({r}.publisher, '') || ' ' || "
        "COALESCE({r}.symbol, '')",
    ),
    "proposition": ("propositions", "{r}.key || ' ' || {r}.statement"),
    "witness": (
        "witnesses",
        "COALESCE({r}.origin, '') || ' ' || COALESCE({r}.origin_as_written, '') || ' ' || COALESCE({r}.role, '')",
    ),
}
# PostgreSQL: the columns searched, each with a trigram index.
_PG_COLUMNS = {
    "excerpts": ["text"],
    "documents": ["title"],
    "propositions": ["statement"],
    "witnesses": ["role"],
}


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, columns in _PG_COLUMNS.items():
            for column in columns:
                op.execute(f"CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)")
        return
    for kind, (table, body) in _SOURCES.items():
        fts = f"{kind}_search"
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(body, tokenize = 'trigram')")
        op.execute(f"INSERT INTO {fts} (rowid, body) SELECT pk, {body.format(r=table)} FROM {table}")
        op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts} (rowid, body) VALUES (NEW.pk, {body.format(r='NEW')}); END")  # fmt: skip
        op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = OLD.pk; END")  # fmt: skip
        op.execute(f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = OLD.pk; "
                   f"INSERT INTO {fts} (rowid, body) VALUES (NEW.pk, {body.format(r='NEW')}); END")  # fmt: skip


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        for table, columns in _PG_COLUMNS.items():
            for column in columns:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
        return
    for kind in _SOURCES:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {kind}_search_{event}")
        op.execute(f"DROP TABLE IF EXISTS {kind}_search")
