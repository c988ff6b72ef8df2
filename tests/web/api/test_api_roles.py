"""Every operation the API's OpenAPI document lists, walked by every role (with a token and with a browser
session), anonymously and with dead tokens, against the role table (services.access.POLICY = docs/security.md).

Each operation names the action it needs in ``x-corroborate-action``: a caller without a role allowed it is
answered 403, one with such a role anything but 401 or 403, and a caller who is not signed in 401. Requests are
real ones: path parameters are ids of the reference case, bodies are records as the API answered them, so a
refusal cannot come from a malformed request. The walk (apiclient.py) changes a copy of the store, never
``web_store``; test_api_leaks.py replays it to scan every answer for restricted values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from apiclient import API, CASE, CHANGES, Caller, Walk, bearer, expected, make_token, operations, prepared, walking
from fastapi.testclient import TestClient
from webclient import password

from corroborate import services
from corroborate.services import Action, Role, Secrets, apitokens
from corroborate.web.api.callers import ACTION_KEY, CSRF_HEADER
from support import PASSPHRASE


def told(answer: httpx.Response) -> str:
    """What a problem answer says (never another body: one that should have been refused may hold anything)."""
    problem = answer.headers.get("content-type", "").startswith("application/problem+json")
    return str(answer.json().get("detail")) if problem else "(not a problem answer)"


def refusal(answer: httpx.Response, status: int | None) -> str | None:
    """What is wrong with an answer that should be ``status`` (None: anything but 401/403), or None."""
    if answer.status_code >= 500:
        return f"server error {answer.status_code}"
    if status is None:
        return f"refused {answer.status_code}" if answer.status_code in (401, 403) else None
    if answer.status_code != status:
        return f"{answer.status_code}, not {status}"
    if not answer.headers.get("content-type", "").startswith("application/problem+json"):
        return f"{status} without a problem body"
    return None


@pytest.fixture(scope="module")
def template(web_store: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Any:
    return prepared(web_store, tokens, tmp_path_factory.mktemp("walk"))


@pytest.fixture
def walk(template: Any, tmp_path: Path) -> Iterator[Walk]:
    with walking(template, tmp_path) as found:
        yield found


def test_every_operation_names_an_action_of_the_role_table(client: TestClient) -> None:
    ops = operations(client)
    assert len(ops) > 40
    unknown = [op.label for op in ops if op.action != "signed_in" and op.action not in {a.value for a in Action}]
    assert not unknown, f"operations without a known {ACTION_KEY}: {unknown}"


def test_every_operation_answers_every_role_as_the_role_table_says(walk: Walk) -> None:
    wrong = []
    for op in operations(walk.client):
        for caller in walk.callers:
            answer = walk.walker.send(op, caller)
            if problem := refusal(answer, expected(op, caller)):
                wrong.append(f"{caller.name} {op.label}: {problem}: {told(answer)}")
    assert not wrong, "\n".join(wrong)


def test_a_change_by_session_without_its_csrf_token_is_refused_and_writes_nothing(walk: Walk) -> None:
    owner = next(c for c in walk.callers if c.name == "owner session")
    cookie = {"Cookie": owner.headers["Cookie"]}

    def written() -> Any:  # the audit log's newest entries, and the user's tokens (when each was last used aside)
        mine = walk.client.get(f"{API}/tokens", headers=cookie).json()
        return walk.walker.read(f"/cases/{CASE}/audit").json(), [{**t, "used_at": None} for t in mine]

    before = written()
    wrong = []
    for op in operations(walk.client):
        if op.method in CHANGES:
            for forged in ({}, {CSRF_HEADER: "not-the-session's"}):
                answer = walk.walker.send(op, replace(owner, headers={**cookie, **forged}))
                if problem := refusal(answer, 403):
                    wrong.append(f"{op.label} {forged}: {problem}: {told(answer)}")
    assert not wrong, "\n".join(wrong)
    assert written() == before


def test_an_unknown_revoked_or_expired_token_is_answered_401(walk: Walk) -> None:
    analyst = services.authenticate(walk.location, "analyst", password("analyst"))
    revoked = apitokens.create_token(walk.location, actor=analyst, name="revoked", case=CASE, role="analyst")
    apitokens.revoke_token(walk.location, revoked.number, actor=analyst)
    expired = apitokens.create_token(walk.location, actor=analyst, name="expired", case=CASE, role="analyst",
                                     days=1, now=datetime.now(UTC) - timedelta(days=2)).token  # fmt: skip
    dead = {"unknown": "cbt_" + "A" * 43, "not a token": "hello", "revoked": revoked.token, "expired": expired}
    wrong = []
    for op in operations(walk.client):
        for name, token in dead.items():
            answer = walk.walker.send(op, Caller(name, "analyst", bearer(token)))
            if problem := refusal(answer, 401) or (None if "WWW-Authenticate" in answer.headers else "no challenge"):
                wrong.append(f"{name} token {op.label}: {problem}")
    assert not wrong, "\n".join(wrong)


def test_a_token_whose_user_lost_its_role_acts_with_none(walk: Walk, tmp_path: Path) -> None:
    owner = services.authenticate(walk.location, "owner", password("owner"))
    secrets = Secrets(passphrase=lambda case: PASSPHRASE, session_dir=tmp_path)
    services.add_user(walk.location, "demoted", password("demoted"), Role.investigator, actor=owner, secrets=secrets)
    lapsed = Caller("demoted", "investigator", bearer(make_token(walk.location, "demoted", as_role="investigator")))
    assert walk.walker.send(next(op for op in operations(walk.client) if op.label == "GET /cases"), lapsed).json()
    # A role on the case itself wins over the store-wide one: the user is now a viewer there, below the token.
    services.add_user(walk.location, "demoted", password("demoted"), Role.viewer, actor=owner, case=CASE,
                      secrets=secrets)  # fmt: skip
    wrong = []
    for op in operations(walk.client):
        answer = walk.walker.send(op, lapsed)
        if op.label == "GET /cases":  # listing one's own cases is never refused: with no role, there are none
            problem = None if (answer.status_code, answer.json()) == (200, []) else "not an empty list"
        else:
            problem = refusal(answer, None if expected(op, lapsed) is None and op.action == "signed_in" else 403)
        if problem:
            wrong.append(f"{op.label}: {problem}: {told(answer)}")
    assert not wrong, "\n".join(wrong)
