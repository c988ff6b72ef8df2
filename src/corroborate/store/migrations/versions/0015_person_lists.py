"""Organisations' person lists of a case, kept for record linkage, their records sealed.

A list row holds its custody record in the clear (name, the source file's SHA-256, how many records, who
added it and when) and a random key of its own sealed under the case's data key; each record holds its id
in the clear and the whole record as given (name, birth year or age, sex, origin, dates …) sealed under
the list's key. Both are audited rows. New tables only (``op.create_table``): nothing existing changes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_lists",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_person_lists_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_person_lists")),
        sa.UniqueConstraint("case_pk", "name", name=op.f("uq_person_lists_case_pk")),
    )
    op.create_index(op.f("ix_person_lists_case_pk"), "person_lists", ["case_pk"], unique=False)
    op.create_table(
        "person_records",
        sa.Column("list_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_pk"], ["person_lists.pk"], name=op.f("fk_person_records_list_pk_person_lists"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("list_pk", "position", name=op.f("pk_person_records")),
        sa.UniqueConstraint("list_pk", "record_id", name=op.f("uq_person_records_list_pk")),
    )


def downgrade() -> None:
    op.drop_table("person_records")
    op.drop_index(op.f("ix_person_lists_case_pk"), table_name="person_lists")
    op.drop_table("person_lists")
