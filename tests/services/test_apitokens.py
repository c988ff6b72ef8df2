"""Personal API tokens: shown once and kept as hashes, scoped to one case and a role no higher than the user's,
revoked at once, expired, and acting with no role when their user lost the one they name."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from corroborate import services
from corroborate.errors import CaseNotFound, UserError
from corroborate.services import LOCAL_OWNER, Action, Role, Secrets, apitokens, keychanges
from support import PASSPHRASE

PASSWORD = "a long enough password"  # every user's in the `store` of conftest.py
CASE = "border-crossers-2007"


def _row(store: str) -> bytes:
    with sqlite3.connect(store) as db:
        return b"".join(bytes(v) if isinstance(v, bytes) else str(v).encode() for v in
                        db.execute("SELECT * FROM api_tokens ORDER BY pk DESC").fetchone())  # fmt: skip


def test_a_token_is_shown_once_kept_as_a_hash_and_acts_as_its_user(store: str) -> None:
    ivan = services.authenticate(store, "ivan", PASSWORD)
    made = apitokens.create_token(store, actor=ivan, name="intake form", case=CASE, role="analyst")
    assert made.token.startswith(apitokens.PREFIX) and made.role is Role.analyst
    row = _row(store)
    assert made.token.encode() not in row and hashlib.sha256(made.token.encode()).hexdigest().encode() in row
    caller = apitokens.caller_for(store, made.token)
    assert caller is not None and caller.actor.name == "ivan" and caller.case == CASE
    assert caller.actor.roles == {CASE: Role.analyst}
    assert caller.actor.signing_key is not None  # the script's claims are signed as ivan
    listed = apitokens.list_tokens(store, actor=ivan)
    assert [(t.pk, t.name, t.role, t.revoked_at) for t in listed] == [(made.number, "intake form", "analyst", None)]
    assert listed[0].used_at is not None and listed[0].sealed is None
    assert apitokens.caller_for(store, made.token[:-1] + "x") is None
    assert apitokens.caller_for(store, "not a token") is None


def test_a_token_is_no_higher_than_its_user(store: str) -> None:
    ivan = services.authenticate(store, "ivan", PASSWORD)
    with pytest.raises(UserError, match="cannot be owner"):
        apitokens.create_token(store, actor=ivan, name="x", case=CASE, role="owner")
    with pytest.raises(UserError, match="cannot be editor"):  # editors publish; investigators do not
        apitokens.create_token(store, actor=ivan, name="x", case=CASE, role="editor")
    with pytest.raises(CaseNotFound):  # a store-wide role sees every case, so it learns this one is not there
        apitokens.create_token(store, actor=ivan, name="x", case="no-such-case", role="analyst")
    with pytest.raises(UserError, match="user accounts"):
        apitokens.create_token(store, actor=LOCAL_OWNER, name="x", case=CASE, role="analyst")
    with pytest.raises(UserError, match="1 to 366 days"):
        apitokens.create_token(store, actor=ivan, name="x", case=CASE, role="analyst", days=400)
    assert apitokens.role_within(Role.viewer, Role.editor) and not apitokens.role_within(Role.analyst, Role.editor)


def test_revoked_and_expired_tokens_open_nothing(store: str) -> None:
    ivan = services.authenticate(store, "ivan", PASSWORD)
    made = apitokens.create_token(store, actor=ivan, name="once", case=CASE, role="investigator")
    keys = keychanges.open_keys(store, actor=ivan, passphrase=PASSPHRASE, case=CASE)
    apitokens.keep_unlocked(store, made.token, keys, minutes=60)
    caller = apitokens.caller_for(store, made.token)
    assert caller is not None and caller.opened[CASE].keys == keys.keys
    assert all(k.key not in _row(store) for k in keys.keys.values())  # sealed, never in the clear
    apitokens.revoke_token(store, made.number, actor=ivan)
    assert apitokens.caller_for(store, made.token) is None
    assert b"opened" not in _row(store) and apitokens.list_tokens(store, actor=ivan)[0].revoked_at is not None
    with pytest.raises(UserError, match="no live token"):
        apitokens.revoke_token(store, made.number, actor=ivan)
    later = apitokens.create_token(store, actor=ivan, name="short", case=CASE, role="analyst", days=1)
    assert apitokens.caller_for(store, later.token, now=datetime.now(UTC) + timedelta(days=2)) is None


def test_a_token_whose_user_lost_the_role_acts_with_none(store: str, secrets: Secrets) -> None:
    ivan = services.authenticate(store, "ivan", PASSWORD)
    made = apitokens.create_token(store, actor=ivan, name="x", case=CASE, role="investigator")
    olga = services.authenticate(store, "olga", PASSWORD)
    services.remove_user(store, "ivan", actor=olga, secrets=secrets)
    assert apitokens.caller_for(store, made.token) is None  # a removed (disabled) user's tokens open nothing
    ed = services.authenticate(store, "ed", PASSWORD)
    mine = apitokens.create_token(store, actor=ed, name="y", case=CASE, role="viewer")
    caller = apitokens.caller_for(store, mine.token)
    assert caller is not None and services.allowed(caller.actor, Action.list_recommendations, case=CASE)
    assert not services.allowed(caller.actor, Action.publish, case=CASE)  # the token's role, not the user's
