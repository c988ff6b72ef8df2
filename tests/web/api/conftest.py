"""A token for each role's user on the reference case (the workbench and its users: tests/web/conftest.py)."""

from __future__ import annotations

import pytest
from apiclient import make_token
from webclient import ROLES


@pytest.fixture(scope="module")
def tokens(web_store: str) -> dict[str, str]:
    """A token for each role's user, with that role, on the reference case."""
    return {role: make_token(web_store, role) for role in ROLES}
