"""A store shared by the services' tests of users' sign-in: the reference case, and a user of each role that
signs in (a module that needs another store defines its own ``store`` fixture, which wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.services import LOCAL_OWNER, Role, Secrets

PASSWORD = "a long enough password"  # every user's (the modules that use ``store`` spell it the same)
# Users added by olga, the owner, and their store-wide roles.
STAFF = {"ana": Role.analyst, "ivan": Role.investigator, "ed": Role.editor}


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> str:
    """The reference case, with olga (owner), ana (analyst), ivan (investigator) and ed (editor)."""
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(location, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    olga = services.authenticate(location, "olga", PASSWORD)
    for name, role in STAFF.items():
        services.add_user(location, name, PASSWORD, role, actor=olga, secrets=secrets)
    return location
