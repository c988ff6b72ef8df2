"""Evidence files: attachments of interviews and documents, their content sealed in chunks.

New tables only (``op.create_table``): no existing table is recreated, so the
search triggers of migration 0005 stay as they are.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("interview_pk", sa.Integer(), nullable=True),
        sa.Column("document_pk", sa.Integer(), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("chunk_bytes", sa.Integer(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_meta", sa.LargeBinary(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.String(length=40), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_attachments_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interview_pk"], ["interviews.pk"], name=op.f("fk_attachments_interview_pk_interviews")
        ),
        sa.ForeignKeyConstraint(["document_pk"], ["documents.pk"], name=op.f("fk_attachments_document_pk_documents")),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_attachments")),
        sa.UniqueConstraint("case_pk", "ref", name=op.f("uq_attachments_case_pk")),
    )
    op.create_index(op.f("ix_attachments_case_pk"), "attachments", ["case_pk"], unique=False)
    op.create_index(op.f("ix_attachments_interview_pk"), "attachments", ["interview_pk"], unique=False)
    op.create_index(op.f("ix_attachments_document_pk"), "attachments", ["document_pk"], unique=False)
    op.create_table(
        "attachment_chunks",
        sa.Column("attachment_pk", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_pk"],
            ["attachments.pk"],
            name=op.f("fk_attachment_chunks_attachment_pk_attachments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attachment_pk", "n", name=op.f("pk_attachment_chunks")),
    )


def downgrade() -> None:
    op.drop_table("attachment_chunks")
    op.drop_index(op.f("ix_attachments_document_pk"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_interview_pk"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_case_pk"), table_name="attachments")
    op.drop_table("attachments")
