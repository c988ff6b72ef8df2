"""Alembic environment: runs on the connection Corroborate hands it (or alembic.ini's URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from corroborate.store.schema import Base
from corroborate.store.search import is_search_object

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
        # The search index is made by migration 0005 in SQL, not by models: autogenerate leaves it alone.
        include_name=lambda name, type_, parent: not is_search_object(name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.db")
    with engine.begin() as conn:
        _run(conn)
