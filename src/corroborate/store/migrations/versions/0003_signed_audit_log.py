"""Signed audit log and keyed scan index: case secrets (signing and scan keys), head signatures, user signing
keys, identity revisions, the leak scan index, the daily limit on disclosure-check hits.

Existing identities keep ``revision`` NULL (sealed before revisions were bound
into their additional data); they get a revision the next time they change or
are re-encrypted. Existing cases have no signing key until a user with the case
key runs `corroborate audit sign` (or writes to the case).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_secrets",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("public", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_case_secrets_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_case_secrets")),
        sa.UniqueConstraint("case_pk", "name", name=op.f("uq_case_secrets_case_pk")),
    )
    with op.batch_alter_table("case_secrets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_secrets_case_pk"), ["case_pk"], unique=False)
    op.create_table(
        "audit_signatures",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("signer", sa.String(length=80), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", "signer", name=op.f("pk_audit_signatures")),
    )
    op.create_table(
        "scan_indexes",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("built_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_scan_indexes_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_pk", name=op.f("pk_scan_indexes")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hit_limit", sa.Integer(), nullable=True))
    with op.batch_alter_table("witness_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_public", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("signing_kdf", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("signing_kdf")
        batch_op.drop_column("signing_public")
    with op.batch_alter_table("witness_identities", schema=None) as batch_op:
        batch_op.drop_column("revision")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("hit_limit")
    op.drop_table("scan_indexes")
    op.drop_table("audit_signatures")
    with op.batch_alter_table("case_secrets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_secrets_case_pk"))
    op.drop_table("case_secrets")
