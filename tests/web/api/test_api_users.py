"""Users through the API: a signed-in owner's browser session lists, adds and removes them; a token, whatever
its role, never manages users; a password is never answered."""

from __future__ import annotations

from apiclient import bearer
from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate.web.api.callers import CSRF_HEADER
from support import PASSPHRASE

USERS = "/api/v1/users"
PASSWORD = "a new member's long password"


def test_an_owner_session_adds_lists_and_removes_a_user(tokens: dict[str, str], own: TestClient) -> None:
    csrf = {CSRF_HEADER: sign_in(own, "owner")}
    listed = own.get(USERS)
    assert listed.status_code == 200, listed.text
    before = {u["username"]: u for u in listed.json()}
    assert before["owner"]["roles"] == {"*": "owner"} and "password" not in listed.text
    short = own.post(USERS, json={"username": "nadia", "password": "short-pw", "role": "analyst"}, headers=csrf)
    assert short.status_code == 400 and "at least 10 characters" in short.text and "short-pw" not in short.text
    forged = own.post(USERS, json={"username": "nadia", "password": PASSWORD, "role": "analyst"})
    assert forged.status_code == 403  # no CSRF token: nothing written
    nadia = {"username": "nadia", "password": PASSWORD, "role": "analyst", "case": "border-crossers-2007"}
    locked = own.post(USERS, json=nadia, headers=csrf)  # signed with the case's key: unlock it first
    assert locked.status_code == 423 and "/api/v1/cases/border-crossers-2007/unlock" in locked.json()["detail"]
    unlock = own.post("/api/v1/cases/border-crossers-2007/unlock", json={"passphrase": PASSPHRASE}, headers=csrf)
    assert unlock.status_code == 204, unlock.text
    added = own.post(USERS, json=nadia, headers=csrf)
    assert added.status_code == 204, added.text
    after = {u["username"]: u for u in own.get(USERS).json()}
    assert after["nadia"]["roles"] == {"border-crossers-2007": "analyst"} and PASSWORD not in own.get(USERS).text
    assert own.delete(f"{USERS}/nadia", headers=csrf).status_code == 204
    gone = {u["username"]: u for u in own.get(USERS).json()}["nadia"]
    assert gone["disabled"] and gone["roles"] == {}
    assert own.delete(f"{USERS}/nobody", headers=csrf).status_code == 400


def test_tokens_and_other_roles_may_not_manage_users(tokens: dict[str, str], own: TestClient) -> None:
    for role in ("owner", "investigator", "analyst"):
        token = bearer(tokens[role])
        assert own.get(USERS, headers=token).status_code == 403, role
        answer = own.post(USERS, json={"username": "nadia", "password": PASSWORD, "role": "viewer"}, headers=token)
        assert answer.status_code == 403 and PASSWORD not in answer.text
    own.cookies.clear()
    csrf = {CSRF_HEADER: sign_in(own, "investigator")}
    assert own.get(USERS).status_code == 403
    short = own.post(USERS, json={"username": "nadia", "password": "short", "role": "viewer"}, headers=csrf)
    assert short.status_code == 403  # refused before the password is even looked at
