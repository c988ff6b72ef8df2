"""Where an excerpt lies in an evidence file of its source: the attachment, the PDF page and the characters.

An excerpt selected in the workbench's text viewer keeps its position (``anchor``, JSON: attachment, page,
start, end). Existing excerpts have none; their audited rows verify unchanged (``auditcheck.ADDED_COLUMNS``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("excerpts", sa.Column("anchor", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that copies the table, and dropping the old one would cascade to its claims.
    op.drop_column("excerpts", "anchor")
