"""User accounts never leave a store, or any case in it, without an owner."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import UserError
from corroborate.services import LOCAL_OWNER, Role, Secrets
from support import PASSPHRASE

CASE = "border-crossers-2007"
PASSWORD = "a long enough password"
SECRETS = Secrets(passphrase=lambda _case: PASSPHRASE)  # user changes are signed with the case key


@pytest.fixture
def store(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> str:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return location


def roles(store: str) -> dict[str, dict[str, str]]:
    """Roles of the accounts in use (a removed account stays, disabled, so its signatures still verify)."""
    return {u.username: u.roles for u in services.list_users(store, actor=LOCAL_OWNER) if not u.disabled}


def test_the_only_owner_cannot_remove_themselves(store: str) -> None:
    """The attack (by mistake or not): the last owner leaves and nobody can manage the store again."""
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    services.add_user(store, "ana", PASSWORD, Role.analyst, actor=LOCAL_OWNER, secrets=SECRETS)
    olga = services.authenticate(store, "olga", PASSWORD)
    before = roles(store)
    with pytest.raises(UserError, match="only owner") as info:
        services.remove_user(store, "olga", actor=olga, secrets=SECRETS)
    assert "add another owner first" in str(info.value)
    assert roles(store) == before
    services.add_user(store, "omar", PASSWORD, Role.owner, actor=olga, secrets=SECRETS)
    services.remove_user(store, "olga", actor=olga, secrets=SECRETS)
    assert set(roles(store)) == {"ana", "omar"}


def test_the_last_account_cannot_be_removed(store: str) -> None:
    """With no account left, whoever reaches the store would act as its owner without signing in."""
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    with pytest.raises(UserError, match="only owner of the whole store"):
        services.remove_user(store, "olga", actor=services.authenticate(store, "olga", PASSWORD), secrets=SECRETS)
    assert roles(store) == {"olga": {"*": "owner"}}


def test_the_first_account_must_own_the_whole_store(store: str) -> None:
    """Once an account exists nobody acts as the local owner; a first analyst would leave no owner."""
    with pytest.raises(UserError, match="first account"):
        services.add_user(store, "ana", PASSWORD, Role.analyst, actor=LOCAL_OWNER, secrets=SECRETS)
    with pytest.raises(UserError, match="first account"):
        services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, case=CASE, secrets=SECRETS)
    assert roles(store) == {}
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    assert roles(store) == {"olga": {"*": "owner"}}


def test_a_case_role_cannot_take_the_last_owner_off_a_case(store: str) -> None:
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    olga = services.authenticate(store, "olga", PASSWORD)
    with pytest.raises(UserError, match=f"only owner of case '{CASE}'"):
        services.add_user(store, "olga", PASSWORD, Role.viewer, actor=olga, case=CASE, secrets=SECRETS)
    assert roles(store) == {"olga": {"*": "owner"}}


def test_a_case_owner_may_leave_while_the_store_has_an_owner(store: str) -> None:
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    services.add_user(store, "carl", PASSWORD, Role.owner, actor=LOCAL_OWNER, case=CASE, secrets=SECRETS)
    services.remove_user(store, "carl", actor=services.authenticate(store, "olga", PASSWORD), secrets=SECRETS)
    assert set(roles(store)) == {"olga"}


def test_the_store_wide_owner_cannot_leave_only_case_owners_behind(store: str) -> None:
    """Case owners cannot back up, add cases or manage accounts: the store needs a store-wide owner."""
    services.add_user(store, "olga", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=SECRETS)
    services.add_user(store, "carl", PASSWORD, Role.owner, actor=LOCAL_OWNER, case=CASE, secrets=SECRETS)
    with pytest.raises(UserError, match="only owner of the whole store"):
        services.remove_user(store, "olga", actor=LOCAL_OWNER, secrets=SECRETS)
