"""What the API tests share: tokens made as each role's user would and the header that presents one, copies of
the store and unlocking through a token, and the role walk: every operation the OpenAPI document lists, sent as
every caller with real ids and bodies of the reference case (test_api_roles.py checks the answers against the
role table, test_api_leaks.py scans them for restricted values). The walk changes a copy of the store, never
``web_store``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from webclient import ROLES, password, sign_in

from corroborate import services
from corroborate.services import POLICY, Action, Role, apitokens
from corroborate.web import create_app
from corroborate.web.api.callers import ACTION_KEY, CSRF_HEADER
from corroborate.web.auth import SESSION_COOKIE
from support import PASSPHRASE

CASE = "border-crossers-2007"
API = "/api/v1"
CHANGES = ("post", "put", "patch", "delete")
ORDER = ("get", *CHANGES)  # reads first, deletions last: what a deletion removes was read and replaced before
WITNESS = "W-002"  # a witness of the reference case with a restricted identity
# A token never makes tokens (web/api/cases.py) nor manages users (web/api/users.py), whatever its role.
TOKENLESS = {("post", "/tokens"), ("get", "/users"), ("post", "/users"), ("delete", "/users/{username}")}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/cases/{case}/unlock"): {"passphrase": PASSPHRASE},
    ("post", "/tokens"): {"name": "walked", "case": CASE, "role": "viewer"},
}
QUERY = {"q": "Hoeryong"}  # required query parameters, by name
EVIDENCE = ("walk-transcript.txt", b"Q: When?\nA: In January 2007 the guards came.\n", "text/plain")  # on I-001


def make_token(location: str, role: str, *, as_role: str | None = None, name: str = "tests") -> str:
    """A new token of the user of ``role`` (with the role ``as_role``, default their own)."""
    actor = services.authenticate(location, role, password(role))
    return apitokens.create_token(location, actor=actor, name=name, case=CASE, role=as_role or role).token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def copy_store(source: str, target: str) -> str:
    """A consistent copy of a SQLite store page by page (its write-ahead log included), even while it is open,
    into a new file or over a store in use; ``target``."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()
    return target


def unlock(client: TestClient, token: str) -> None:
    """Unlock the reference case through ``token`` (an owner's), so that identities can be read and written."""
    answer = client.post(f"{API}/cases/{CASE}/unlock", headers=bearer(token), json={"passphrase": PASSPHRASE})
    assert answer.status_code == 204, answer.text


def unlocked_reader(client: TestClient, location: str) -> str:
    """An owner's token with the case unlocked through it: reads what the walk sends, identities included."""
    reader = make_token(location, "owner", name="reader")
    unlock(client, reader)
    return reader


# ---------------------------------------------------------------------------------------------- the role walk


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
            self.ids[segment] = str(item.get("id") or item.get("key") or item.get("ref"))
        return self.ids[segment]

    def path(self, op: Operation, caller: Caller) -> str:
        parts = op.path.split("/")
        for i, part in enumerate(parts):
            if part == "{case}":
                parts[i] = CASE
            elif part == "{number}":
                parts[i] = str(caller.spare)
            elif part == "{username}":
                parts[i] = "nobody-by-that-name"  # never one of the callers: the walk goes on signed in
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
        self.client.cookies.clear()
        if "multipart/form-data" in op.spec.get("requestBody", {}).get("content", {}):  # an evidence file
            return self.client.request(op.method, f"{API}{path}", headers=headers, params=query,
                                       files={"file": EVIDENCE}, data={"source": "I-001"})  # fmt: skip
        body = self.body(op, path) if "requestBody" in op.spec else None
        return self.client.request(op.method, f"{API}{path}", headers=headers, params=query, json=body)


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
    """A copy of ``web_store`` with an unlocked reader, an evidence file on I-001 (a transcript, so that its text
    can be read) and every caller signed in: (its path, reader, callers)."""
    location = copy_store(web_store, str(folder / "walked.db"))
    with TestClient(create_app(location), base_url="http://127.0.0.1", follow_redirects=False) as client:
        reader = unlocked_reader(client, location)
        added = client.post(f"{API}/cases/{CASE}/attachments", headers=bearer(reader), files={"file": EVIDENCE},
                            data={"source": "I-001"})  # fmt: skip
        assert added.status_code == 201, added.text
        return location, reader, callers(client, location, tokens)


@contextmanager
def walking(template: tuple[str, str, list[Caller]], folder: Path) -> Iterator[Walk]:
    """A walk over a fresh copy of a prepared store (sessions, tokens and unlocks are in the store)."""
    location, reader, everyone = template
    copy = copy_store(location, str(folder / "copy.db"))
    with TestClient(create_app(copy), base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield Walk(client, copy, Walker(client, reader), everyone)
