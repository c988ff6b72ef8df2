"""What a browser session holds besides its token: the user's audit signing key and the keys of the cases it
unlocked, sealed under a key derived from the session's cookie token (which the store never holds).

Any worker of a team's server can then open them for a request that presents the cookie, and a copy of the
store opens nothing. Signing out deletes the row, and with it everything sealed in it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("web_sessions", sa.Column("sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("web_sessions", "sealed")
