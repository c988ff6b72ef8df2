"""The case store: SQLAlchemy tables, Alembic migrations, whole-case reads and writes."""

from .database import Store, create_store, head_revision, open_store, store_url
from .repository import (
    CaseCounts,
    ClaimListing,
    case_counts,
    case_refs,
    delete_case,
    list_claims,
    list_witnesses,
    load_case,
    resolve_case,
    save_case,
)

__all__ = [
    "CaseCounts",
    "ClaimListing",
    "Store",
    "case_counts",
    "case_refs",
    "create_store",
    "delete_case",
    "head_revision",
    "list_claims",
    "list_witnesses",
    "load_case",
    "open_store",
    "resolve_case",
    "save_case",
    "store_url",
]
