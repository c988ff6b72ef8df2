"""Row versions for teams: every row a user may change carries a version, counted up on every change, so an
update that names the version it read is refused when someone else changed the row meanwhile. The audit log
is indexed by entity, so the conflict can name who changed the row and when; each case's rows are indexed in
their order, so a listing reads its page and a new row finds its place without a scan.

Columns are added in place (``ALTER TABLE ... ADD COLUMN``), never by recreating a table, so the search
triggers of migration 0005 stay as they are. Existing rows start at version 1.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSIONED = ("witnesses", "interviews", "documents", "excerpts", "propositions", "claims", "recommendations")


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"))
        op.create_index(f"ix_{table}_case_position", table, ["case_pk", "position"])
    op.create_index("ix_audit_log_entity_id", "audit_log", ["entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity_id", table_name="audit_log")
    for table in VERSIONED:
        op.drop_index(f"ix_{table}_case_position", table_name=table)
        op.drop_column(table, "row_version")
