"""No answer of the API holds a restricted value (a witness's identity) for a caller who may not see it.

Distinctive identities are planted on two witnesses of a copy of the reference case. Then the role walk of
apiclient.py (every operation the OpenAPI document lists, by every role with a token and with a browser
session, and by nobody), a search for each restricted value by every role, and a schemathesis run as an analyst
and as an owner who unlocked the case are made, and every answer's headers and body are scanned for every
restricted value (planted, and those the reference case already holds). The one answer allowed to hold them
is a witness's identity, read with 200 by an owner or investigator who unlocked the case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from apiclient import API, CASE, bearer, expected, operations, prepared, walking
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.python import asgi
from webclient import password, restricted_strings

from corroborate import services
from corroborate.ingest import read_casefile
from corroborate.services import POLICY, Action, Secrets, apitokens
from support import PASSPHRASE

PLANTED = {
    "W-001": {"name": "Quillon Varteksby", "name_hangul": "퀼론바르텍스비", "aliases": ["Q. Varteks-Oyelaran"],
              "contacts": ["+99 7313 5550 4242", "quillon.v@planted.invalid"], "birth_date": "1961-02-03",
              "current_location": "Zethvale, the flat behind the tannery", "notes": "planted: met him at Zethvale"},
    "W-002": {"name": "Mirabeth Oyelaran-Kwok", "contacts": ["mirabeth@planted.invalid"],
              "current_location": "Ulvenstead, third door past the mill",
              "notes": "planted: her sister is in Ulvenstead"},
}  # fmt: skip
SCANNED = settings(max_examples=4, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])  # fmt: skip


def values(reference_case_path: Path) -> list[str]:
    """Every restricted value: those planted, and those of the reference case's witnesses."""
    found = {v for identity in PLANTED.values() for v in restricted_strings(identity)}
    case = read_casefile(reference_case_path)
    found |= {v for w in case.witnesses if w.restricted for v in restricted_strings(w.restricted.model_dump())}
    return sorted(found)


def may_see(method: str, path: str, status: int, role: str | None) -> bool:
    """Whether an answer may hold an identity: the identity itself, read by a role that sees identities."""
    return (
        (method.upper(), status) == ("GET", 200)
        and path.endswith("/witnesses/{ref}/identity")
        and (role is not None and role in {r.value for r in POLICY[Action.view_identities]})
    )


def held(answer: Any, secrets: list[str], *, body: bool = True) -> list[str]:
    """The restricted values an answer's headers (and body) hold."""
    text = "\n".join(f"{k}: {v}" for k, v in answer.headers.items()) + ("\n" + answer.text if body else "")
    return [v for v in secrets if v in text]


def generated(operation: Any, *, keep: int) -> list[tuple[Any, Any]]:
    """Requests schemathesis makes for an operation, with their answers (never revoking token number ``keep``)."""
    found: list[tuple[Any, Any]] = []

    @given(case=operation.as_strategy())
    @SCANNED
    def call(case: Any) -> None:
        if (case.path_parameters or {}).get("number") == keep:
            return
        try:
            found.append((case, case.call()))
        except Exception:  # a server error: test_api_contract.py reports those; nothing to scan
            return

    call()
    return found


@pytest.fixture(scope="module")
def planted(web_store: str, tokens: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The role walk's prepared store, with identities planted on W-001 (who had none) and W-002."""
    folder = tmp_path_factory.mktemp("leaks")
    template = prepared(web_store, tokens, folder)
    owner = services.authenticate(template[0], "owner", password("owner"))
    secrets = Secrets(passphrase=lambda case: PASSPHRASE, session_dir=folder / "sessions")
    for witness, identity in PLANTED.items():
        services.set_identity(template[0], witness, identity, actor=owner, secrets=secrets, case=CASE)
    return template


def test_no_answer_of_the_role_walk_holds_a_restricted_value(
    planted: Any, tmp_path: Path, reference_case_path: Path
) -> None:
    secrets, leaks, seen = values(reference_case_path), [], set()
    with walking(planted, tmp_path) as walk:
        for op in operations(walk.client):
            for caller in walk.callers:
                answer = walk.walker.send(op, caller)
                allowed = may_see(op.method, op.path, answer.status_code, caller.role)
                if allowed and held(answer, secrets):
                    seen.add(caller.name)
                if found := held(answer, secrets, body=not allowed):
                    leaks.append(f"{caller.name} {op.label} {answer.status_code}: {len(found)} restricted values")
    assert not leaks, "\n".join(leaks)
    # The scan finds the values where they are: each who may see identities read the planted one.
    assert seen == {f"{role} {by}" for role in ("owner", "investigator") for by in ("token", "session")}


def test_searching_for_a_restricted_value_finds_nothing_that_holds_it(
    planted: Any, tmp_path: Path, reference_case_path: Path
) -> None:
    secrets, leaks = values(reference_case_path), []
    with walking(planted, tmp_path) as walk:
        search = next(op for op in operations(walk.client) if op.label == "GET /cases/{case}/search")
        for caller in [c for c in walk.callers if c.role is not None and expected(search, c) is None]:
            for value in secrets:
                walk.client.cookies.clear()
                answer = walk.client.get(f"{API}/cases/{CASE}/search", params={"q": value}, headers=caller.headers)
                assert answer.status_code == 200, answer.text
                if found := held(answer, secrets):
                    leaks.append(f"{caller.name} searching a restricted value: {len(found)} found in the hits")
    assert not leaks, "\n".join(leaks)


def test_a_restricted_value_sent_in_a_wrong_shape_is_not_quoted_back(
    planted: Any, tmp_path: Path, reference_case_path: Path
) -> None:
    secrets, quoted = values(reference_case_path), []
    with walking(planted, tmp_path) as walk:
        for value in secrets:
            identity = {"birth_date": value, "aliases": value, "invented": value}
            witness = {"id": "W-002", "restricted": {"name": [value], "birth_date": value}}
            for path, body in (("/witnesses/W-002/identity", identity), ("/witnesses/W-002", witness)):
                answer = walk.client.put(f"{API}/cases/{CASE}{path}", json=body,
                                         headers={**bearer(planted[1]), "If-Match": '"1"'})  # fmt: skip
                assert answer.status_code == 422, answer.status_code
                if held(answer, [value]):
                    quoted.append(f"PUT {path}: the value sent is quoted in the answer")
    assert not quoted, "\n".join(quoted)


def test_no_answer_of_a_schemathesis_run_holds_a_restricted_value(
    planted: Any, tmp_path: Path, reference_case_path: Path
) -> None:
    secrets, leaks, shown = values(reference_case_path), [], []
    _, reader, everyone = planted
    analyst = next(c for c in everyone if c.name == "analyst token")
    with walking(planted, tmp_path) as walk:
        runs = [(analyst.role, analyst.headers), ("owner", bearer(reader))]  # the reader unlocked the case
        for role, headers in runs:
            token = headers["Authorization"].removeprefix("Bearer ")
            own = apitokens.caller_for(walk.location, token)
            assert own is not None
            config = schemathesis.Config.from_dict({
                "headers": headers,
                "parameters": {"path.case": {"dictionary": "case", "probability": 0.9},
                               "path.ref": {"dictionary": "planted", "probability": 0.7}},
                "dictionaries": {"case": {"values": [CASE]}, "planted": {"values": sorted(PLANTED)}},
            })  # fmt: skip
            schema: Any = schemathesis.openapi.from_asgi(f"{API}/openapi.json", walk.client.app, config=config)
            for result in schema.get_all_operations():
                operation = result.ok()
                if operation.method.upper() != "GET" and operation.path.endswith("/identity"):
                    continue  # replacing or deleting the planted identities would leave nothing to look for
                for case, answer in generated(operation, keep=own.number):
                    allowed = may_see(case.method, operation.path, answer.status_code, role)
                    if allowed and held(answer, secrets):
                        shown.append(role)
                    if found := held(answer, secrets, body=not allowed):
                        leaks.append(f"{role} {case.method} {case.formatted_path} {answer.status_code}: {len(found)}")
    asgi.shutdown_lifespans()  # schemathesis keeps each application it called running until told
    assert not leaks, "\n".join(leaks)
    assert "owner" in shown, "the run never read a planted identity: it scanned nothing worth scanning"
