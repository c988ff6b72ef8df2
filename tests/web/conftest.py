"""A workbench over the reference case with one user per role, and a browser-like client for each."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webclient import ROLES, password, sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Role, Secrets
from corroborate.web import create_app
from support import PASSPHRASE


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


@pytest.fixture
def own(web_store: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a copy of the store, for tests that change it."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(web_store, copy)
    with TestClient(create_app(str(copy)), base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


@pytest.fixture
def signed_in(client: TestClient) -> Callable[[str], str]:
    return lambda role: sign_in(client, role)
