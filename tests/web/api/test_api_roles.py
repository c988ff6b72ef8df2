"""Every operation the API's OpenAPI document lists, walked by every role (with a token and with a browser
session), anonymously and with dead tokens, against the role table (services.access.POLICY = docs/security.md).

Each operation names the action it needs in ``x-corroborate-action``: a caller without a role allowed it is
answered 403, one with such a role anything but 401 or 403, and a caller who is not signed in 401. Requests are
real ones: path parameters are ids of the reference case, bodies are records as the API answered them, so a
refusal cannot come from a malformed request. The walk changes a copy of the store, never ``web_store``.
test_api_leaks.py replays this walk to scan every answer for restricted values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from apiclient import CASE, bearer, make_token
from fastapi.testclient import TestClient
from webclient import ROLES, password, sign_in

from corroborate import services
from corroborate.services import POLICY, Action, Role, Secrets, apitokens
from corroborate.web import create_app
from corroborate.web.api.callers import ACTION_KEY, CSRF_HEADER
from corroborate.web.auth import SESSION_COOKIE
from support import PASSPHRASE

API = "/api/v1"
CHANGES = ("post", "put", "patch", "delete")
ORDER = ("get", *CHANGES)  # reads first, deletions last: what a deletion removes was read and replaced before
WITNESS = "W-002"  # a witness of the reference case with a restricted identity
TOKENLESS = {("post", "/tokens")}  # a token never makes tokens (web/api/cases.py), whatever its role
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/cases/{case}/unlock"): {"passphrase": PASSPHRASE},
    ("post", "/tokens"): {"name": "walked", "case": CASE, "role": "viewer"},
}
QUERY = {"q": "Hoeryong"}  # required query parameters, by name


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any] = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def action(self) -> str:
        return str(self.spec.get(ACTION_KEY))


@dataclass(frozen=True)
class Caller:
    """Who sends a request: ``role`` None is nobody signed in; ``spare`` a token number of theirs to revoke."""

    name: str
    role: str | None
    headers: dict[str, str] = field(default_factory=dict)
    by_token: bool = True
    spare: int = 0


def operations(client: TestClient) -> list[Operation]:
    """Every operation of the live OpenAPI document: unlocking first (so identities can be read), then reads,
    deletions last."""
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    found = [Operation(m, p, spec) for p, item in paths.items() for m, spec in item.items() if m in ORDER]
    return sorted(found, key=lambda op: (not op.path.endswith("/unlock"), ORDER.index(op.method)))


def expected(op: Operation, caller: Caller) -> int | None:
    """401 or 403 when the caller must be refused, None when any other answer is right."""
    if caller.role is None:
        return 401
    if caller.by_token and (op.method, op.path) in TOKENLESS:
        return 403
    if op.action == "signed_in":
        return None
    return None if Role(caller.role) in POLICY[Action(op.action)] else 403


def _minimal(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest value a JSON schema accepts (required properties only)."""
    if "$ref" in schema:
        return _minimal(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _minimal(schema[key][0], components)
    if "enum" in schema or "default" in schema:
        return schema["enum"][0] if "enum" in schema else schema["default"]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {name: _minimal(schema["properties"][name], components) for name in required}
    return {"string": "x" * max(1, schema.get("minLength", 1)), "integer": schema.get("minimum", 0),
            "number": schema.get("minimum", 0), "boolean": False, "array": []}.get(str(kind))  # fmt: skip


class Walker:
    """Makes each operation's request from the reference case, read as ``reader`` (an owner who unlocked it)."""

    def __init__(self, client: TestClient, reader: str) -> None:
        document = client.get(f"{API}/openapi.json").json()
        self.client, self.reader = client, bearer(reader)
        self.ids: dict[str, str] = {}
        self.components, self.templates = document["components"]["schemas"], set(document["paths"])

    def read(self, path: str) -> httpx.Response:
        self.client.cookies.clear()
        return self.client.get(f"{API}{path}", headers=self.reader)

    def first_id(self, segment: str) -> str:
        """The first record a listing of the case gives (its id, or its key)."""
        if segment not in self.ids:
            listed = self.read(f"/cases/{CASE}/{segment}").json()
            item = (listed["items"] if isinstance(listed, dict) else listed)[0]
            self.ids[segment] = str(item.get("id") or item.get("key"))
        return self.ids[segment]

    def path(self, op: Operation, caller: Caller) -> str:
        parts = op.path.split("/")
        for i, part in enumerate(parts):
            if part == "{case}":
                parts[i] = CASE
            elif part == "{number}":
                parts[i] = str(caller.spare)
            elif part in ("{ref}", "{key}"):
                parts[i] = WITNESS if parts[i - 1] == "witnesses" else self.first_id(parts[i - 1])
            elif part.startswith("{"):
                pytest.fail(f"the role walk has no value for {part} of {op.label}: teach Walker.path about it")
        return "/".join(parts)

    def body(self, op: Operation, path: str) -> Any:
        if (op.method, op.path) in BODIES:
            return BODIES[op.method, op.path]
        if op.method == "put":  # a replacement: the record as the API answers it, sent back unchanged
            return self.read(path).json()
        if op.method == "post" and f"{op.path}/{{ref}}" in self.templates:  # a new record: an existing one
            return self.read(f"{path}/{self.first_id(path.rsplit('/', 1)[-1])}").json()
        return _minimal(op.spec["requestBody"]["content"]["application/json"]["schema"], self.components)

    def send(self, op: Operation, caller: Caller) -> httpx.Response:
        """The operation's request as ``caller`` (with an If-Match and a body read just before)."""
        path, headers, parameters = self.path(op, caller), dict(caller.headers), op.spec.get("parameters", [])
        if any(p["name"] == "if-match" for p in parameters):
            headers["If-Match"] = self.read(path).headers.get("etag", '"0"')
        query = {p["name"]: QUERY.get(p["name"]) or _minimal(p["schema"], self.components)
                 for p in parameters if p["in"] == "query" and p.get("required")}  # fmt: skip
        body = self.body(op, path) if "requestBody" in op.spec else None
        self.client.cookies.clear()
        return self.client.request(op.method, f"{API}{path}", headers=headers, params=query, json=body)


def copy_store(source: str, target: str) -> str:
    """A consistent copy of a SQLite store (its write-ahead log included), even while it is open."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()
    return target


def unlocked_reader(client: TestClient, location: str) -> str:
    """An owner's token with the case unlocked through it: reads what the walk sends, identities included."""
    reader = make_token(location, "owner", name="reader")
    answer = client.post(f"{API}/cases/{CASE}/unlock", headers=bearer(reader), json={"passphrase": PASSPHRASE})
    assert answer.status_code == 204, answer.text
    return reader


def callers(client: TestClient, location: str, tokens: dict[str, str]) -> list[Caller]:
    """Nobody, then each role's token, then each role's browser session (with its CSRF token)."""
    spare = {role: apitokens.caller_for(location, make_token(location, role, name="spare")) for role in ROLES}
    numbers = {role: found.number for role, found in spare.items() if found is not None}
    found = [Caller("anonymous", None)]
    found += [Caller(f"{role} token", role, bearer(tokens[role]), spare=numbers[role]) for role in ROLES]
    for role in ROLES:
        client.cookies.clear()
        csrf = sign_in(client, role)
        cookie = client.cookies[SESSION_COOKIE]
        found.append(Caller(f"{role} session", role, {"Cookie": f"{SESSION_COOKIE}={cookie}", CSRF_HEADER: csrf},
                            by_token=False, spare=numbers[role]))  # fmt: skip
    client.cookies.clear()
    return found


@dataclass
class Walk:
    """A client over a store of its own, the walker that makes its requests, and every caller."""

    client: TestClient
    location: str
    walker: Walker
    callers: list[Caller]


def prepared(web_store: str, tokens: dict[str, str], folder: Path) -> tuple[str, str, list[Caller]]:
    """A copy of ``web_store`` with an unlocked reader and every caller signed in: (its path, reader, callers)."""
    location = copy_store(web_store, str(folder / "walked.db"))
    with TestClient(create_app(location), base_url="http://127.0.0.1", follow_redirects=False) as client:
        return location, unlocked_reader(client, location), callers(client, location, tokens)


@contextmanager
def walking(template: tuple[str, str, list[Caller]], folder: Path) -> Iterator[Walk]:
    """A walk over a fresh copy of a prepared store (sessions, tokens and unlocks are in the store)."""
    location, reader, everyone = template
    copy = copy_store(location, str(folder / "copy.db"))
    with TestClient(create_app(copy), base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield Walk(client, copy, Walker(client, reader), everyone)


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
