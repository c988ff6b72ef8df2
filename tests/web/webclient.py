"""Signing a test client in as a browser would: the sign-in form's token, the session's form token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

ROLES = ("owner", "investigator", "analyst", "editor", "viewer")


def password(role: str) -> str:
    return f"the {role}'s long password"


def form_token(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found.group(1)


def sign_in(client: TestClient, role: str, *, secret: str | None = None) -> str:
    """Sign in as the user of a role; the session's CSRF token (from a page)."""
    page = client.get("/login")
    answer = client.post("/login", data={"username": role, "password": secret or password(role),
                                         "form_token": form_token(page.text, "form_token"), "next": "/"})  # fmt: skip
    assert answer.status_code == 303, answer.text
    return form_token(client.get("/cases/border-crossers-2007").text, "csrf")


def restricted_strings(value: object) -> list[str]:
    """Every text longer than three characters in a restricted identity's fields (what must never be shown)."""
    if isinstance(value, str):
        return [value] if len(value) > 3 else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in restricted_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in restricted_strings(v)]
    return []
