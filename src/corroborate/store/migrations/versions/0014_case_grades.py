"""The counted grades of a case's propositions, kept for its dashboard.

Grading every proposition reads every claim of a case; a server's workers share the result (with the audit
log's head it was computed at) and a lease (``grading_since``) so that one of them grades a case at a time.
The table is a cache derived from public rows: nothing in it is audited or restricted.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_grades",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=True),
        sa.Column("head_hash", sa.String(length=64), nullable=True),
        sa.Column("computed_at", sa.String(length=40), nullable=True),
        sa.Column("took", sa.Float(), nullable=True),
        sa.Column("grades", sa.JSON(), nullable=True),
        sa.Column("grading_since", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_case_grades_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_pk", name=op.f("pk_case_grades")),
    )


def downgrade() -> None:
    op.drop_table("case_grades")
