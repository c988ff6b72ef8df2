"""Encrypted identities, case keys, users and memberships, the audit log.

Restricted identities become one AES-GCM sealed value per witness. A store whose
identities are still in plaintext (made by revision 0001) cannot be encrypted
without its passphrase, so the upgrade refuses it: export it with the previous
version and import the casefile again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 13:19:26.168801
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _refuse_if_rows(message: str) -> None:
    if op.get_bind().execute(sa.text("SELECT COUNT(*) FROM witness_identities")).scalar():
        raise RuntimeError(message)


def upgrade() -> None:
    _refuse_if_rows(
        "this store holds unencrypted witness identities; export it with Corroborate 0.1 "
        "and import the casefile into a new store"
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("case_ref", sa.String(length=64), nullable=True),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=160), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("before_hash", sa.String(length=64), nullable=True),
        sa.Column("after_hash", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_log_entry_hash")),
    )
    op.create_table(
        "users",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "case_keys",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("kdf", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["case_pk"], ["cases.pk"], name=op.f("fk_case_keys_case_pk_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_case_keys")),
        sa.UniqueConstraint("case_pk", "version", name=op.f("uq_case_keys_case_pk")),
    )
    with op.batch_alter_table("case_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_keys_case_pk"), ["case_pk"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"], ["cases.pk"], name=op.f("fk_memberships_case_pk_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.pk"], name=op.f("fk_memberships_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_memberships")),
        sa.UniqueConstraint("user_pk", "case_pk", name=op.f("uq_memberships_user_pk")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_case_pk"), ["case_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_user_pk"), ["user_pk"], unique=False)

    with op.batch_alter_table("witness_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_version", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=False))
        batch_op.drop_column("name")
        batch_op.drop_column("name_hangul")
        batch_op.drop_column("contacts")
        batch_op.drop_column("notes")
        batch_op.drop_column("invented")
        batch_op.drop_column("birth_date")
        batch_op.drop_column("aliases")
        batch_op.drop_column("current_location")


def downgrade() -> None:
    _refuse_if_rows("encrypted identities cannot be downgraded to plaintext columns")
    with op.batch_alter_table("witness_identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("current_location", sa.TEXT(), nullable=True))
        batch_op.add_column(sa.Column("aliases", sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column("birth_date", sa.TEXT(), nullable=True))
        batch_op.add_column(sa.Column("invented", sa.BOOLEAN(), nullable=False))
        batch_op.add_column(sa.Column("notes", sa.TEXT(), nullable=True))
        batch_op.add_column(sa.Column("contacts", sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column("name_hangul", sa.TEXT(), nullable=True))
        batch_op.add_column(sa.Column("name", sa.TEXT(), nullable=True))
        batch_op.drop_column("sealed")
        batch_op.drop_column("key_version")

    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_pk"))
        batch_op.drop_index(batch_op.f("ix_memberships_case_pk"))

    op.drop_table("memberships")
    with op.batch_alter_table("case_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_keys_case_pk"))

    op.drop_table("case_keys")
    op.drop_table("users")
    op.drop_table("audit_log")
