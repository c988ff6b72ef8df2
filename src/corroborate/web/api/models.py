"""Shapes of the API's answers that the domain does not already give: pages of a listing, a witness without
its identity, a case, tokens."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, create_model

from corroborate.domain import Document, Excerpt, Interview, Proposition, Recommendation, Witness
from corroborate.domain.entities import Claim
from corroborate.errors import UserError

__all__ = [
    "RECORD_MODELS",
    "CaseOut",
    "Page",
    "PublicWitness",
    "cursor_after",
    "next_cursor",
]

T = TypeVar("T")

# A witness as the API shows and takes it: everything but the restricted identity, which has its own route
# (only owners and investigators, once the case is unlocked, read or write it there).
PublicWitness: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Witness",
    __config__=Witness.model_config,
    __doc__="A person interviewed, known only by a pseudonym; the identity is never part of this record.",
    **{name: (field.annotation, field) for name, field in Witness.model_fields.items() if name != "restricted"},
)

# kind -> (path segment, model of the record in requests and answers)
RECORD_MODELS: dict[str, tuple[str, type[BaseModel]]] = {
    "witness": ("witnesses", PublicWitness),
    "interview": ("interviews", Interview),
    "document": ("documents", Document),
    "excerpt": ("excerpts", Excerpt),
    "proposition": ("propositions", Proposition),
    "claim": ("claims", Claim),
    "recommendation": ("recommendations", Recommendation),
}


class Page(BaseModel, Generic[T]):
    """One page of a listing; ``next`` is the cursor of the page after it (none on the last page)."""

    items: list[T]
    next: str | None = Field(default=None, description="pass as `cursor` to get the next page")


class CaseOut(BaseModel):
    """A case the caller has a role on, with their role there."""

    id: str
    role: str


def next_cursor(ids: list[str], limit: int) -> str | None:
    """The cursor after a full page (the last id, opaque to the caller); none after a short one."""
    if len(ids) < limit or not ids:
        return None
    return base64.urlsafe_b64encode(ids[-1].encode()).decode().rstrip("=")


def cursor_after(cursor: str | None) -> str | None:
    """The id a cursor stands for (None: the first page); a cursor this API did not give is refused."""
    if cursor is None or cursor == "":
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise UserError("this cursor did not come from this API; start again without one") from None


def public(kind: str, item: Any) -> dict[str, Any]:
    """A record as the API answers it (a witness without its identity)."""
    data: dict[str, Any] = item.model_dump(mode="json", exclude={"restricted"} if kind == "witness" else None)
    return data
