"""Personal API tokens: scripts sign in with one instead of a browser session.

A token row keeps the SHA-256 of the token (shown to its user once), the case it is scoped to and a role no
higher than its user's; what it may carry besides (its user's audit signing key, the keys of a case unlocked
through it) is sealed under a key derived from the token, as a browser session's is (migration 0012).
Revoking it clears the sealed part and keeps the row, so a user sees which tokens existed and when.

Also the scan key an owner or investigator opens for the editors' disclosure checks, which every worker of a
server must find: sealed under a key the server's processes share and the store never holds.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("case_ref", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("expires_at", sa.String(length=40), nullable=False),
        sa.Column("used_at", sa.String(length=40), nullable=True),
        sa.Column("revoked_at", sa.String(length=40), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.pk"], name=op.f("fk_api_tokens_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_pk"), "api_tokens", ["user_pk"])
    op.create_table(
        "editor_scan_keys",
        sa.Column("case_ref", sa.String(length=200), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("case_ref", name=op.f("pk_editor_scan_keys")),
    )


def downgrade() -> None:
    op.drop_table("editor_scan_keys")
    op.drop_index(op.f("ix_api_tokens_user_pk"), table_name="api_tokens")
    op.drop_table("api_tokens")
