"""A claim's own mode; event identity: a proposition's kind (one event or a pattern) and a claim's occurrence;
what a faithful citation needs: a witness's origin as the source spells it, a treaty's entry into force, the
article an excerpt rests on; a recommendation's addressee kind and dated follow-up.

Existing propositions become ``event`` (one occurrence that every claim
describes), which is how they were graded before; existing claims keep their
excerpt's mode and name no occurrence.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stores made by the commit that first landed a claim's mode (45f8b79) have it at 0003 already.
    has_mode = "mode" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("claims")}
    with op.batch_alter_table("claims", schema=None) as batch_op:
        if not has_mode:
            batch_op.add_column(sa.Column("mode", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("occurrence", sa.String(length=64), nullable=True))
    with op.batch_alter_table("propositions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=8), nullable=False, server_default="event"))
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_as_written", sa.String(length=100), nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_force", sa.String(length=64), nullable=True))
    with op.batch_alter_table("excerpts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("article", sa.String(length=64), nullable=True))
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("addressee_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("follow_up", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_column("follow_up")
        batch_op.drop_column("addressee_kind")
    with op.batch_alter_table("excerpts", schema=None) as batch_op:
        batch_op.drop_column("article")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("in_force")
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.drop_column("origin_as_written")
    with op.batch_alter_table("propositions", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("occurrence")
        batch_op.drop_column("mode")
