"""Tokens for the API tests, made as each role's user would, and the header that presents one."""

from __future__ import annotations

from webclient import password

from corroborate import services
from corroborate.services import apitokens

CASE = "border-crossers-2007"


def make_token(location: str, role: str, *, as_role: str | None = None, name: str = "tests") -> str:
    """A new token of the user of ``role`` (with the role ``as_role``, default their own)."""
    actor = services.authenticate(location, role, password(role))
    return apitokens.create_token(location, actor=actor, name=name, case=CASE, role=as_role or role).token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
