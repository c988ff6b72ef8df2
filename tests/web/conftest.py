"""A workbench over the reference case with one user per role, and a browser-like client for each."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corroborate import services
from corroborate.services import LOCAL_OWNER, Role, Secrets
from corroborate.web import create_app
from support import PASSPHRASE

ROLES = ("owner", "investigator", "analyst", "editor", "viewer")


def password(role: str) -> str:
    return f"the {role}'s long password"


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> str:
    location = str(tmp_path_factory.mktemp("web") / "case.db")
    secrets = Secrets(passphrase=lambda case: PASSPHRASE, session_dir=tmp_path_factory.mktemp("sessions"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORROBORATE_TRUST_FILE", str(tmp_path_factory.mktemp("trust") / "trust.json"))
        services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
        services.add_user(location, "owner", password("owner"), Role.owner, actor=LOCAL_OWNER, secrets=secrets)
        owner = services.authenticate(location, "owner", password("owner"))
        for role in ROLES[1:]:
            services.add_user(location, role, password(role), Role(role), actor=owner, secrets=secrets)
    return location


@pytest.fixture
def client(web_store: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_store), base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


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


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], str]:
    return lambda role: sign_in(client, role)
