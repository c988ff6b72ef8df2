"""The audit log (read a page at a time, and verified) and publishing through the API: a paragraph naming a
witness fails the checks and blocks publication with the reason but never the value, and nothing is written;
a clean briefing is published into the server's folder."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from apiclient import CASE, bearer
from fastapi.testclient import TestClient
from webclient import restricted_strings, sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Action, Role
from corroborate.web import create_app
from support import PASSPHRASE

ROOT = f"/api/v1/cases/{CASE}"
OUTLINE = Path(__file__).resolve().parents[3] / "examples" / "border-crossers-2007" / "briefing.yaml"
PROBLEM = "application/problem+json"


@pytest.fixture
def server(web_store: str, tmp_path: Path) -> Iterator[TestClient]:
    """A workbench over a copy of the store, with the reference briefing, a publication folder and a trust file."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(web_store, copy)
    app = create_app(str(copy), briefings=[OUTLINE], publish_dir=tmp_path / "published",
                     trust_file=tmp_path / "trust.json")  # fmt: skip
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def restricted(reference_case_path: Path) -> tuple[str, set[str]]:
    """A witness's restricted name, and every restricted value of the case (what no answer may hold)."""
    case = services.read_casefile(reference_case_path)
    values = {v for w in case.witnesses if w.restricted for v in restricted_strings(w.restricted.model_dump())}
    name = next(w.restricted.name for w in case.witnesses if w.restricted and w.restricted.name)
    assert name and len(values) > 10
    return name, values


def _location(client: TestClient) -> str:
    return str(client.app.state.location)  # type: ignore[attr-defined]


# The audit log -----------------------------------------------------------------------------------------------


def test_the_audit_log_is_read_newest_first_a_page_at_a_time(client: TestClient, tokens: dict[str, str]) -> None:
    expected = services.audit_entries(_location(client), actor=LOCAL_OWNER, case=CASE, entity="recommendation")
    assert len(expected) > 8
    seen: list[dict[str, object]] = []
    query: dict[str, str | int] = {"entity": "recommendation", "limit": 4}
    pages = 0
    while True:
        answer = client.get(f"{ROOT}/audit", params=query, headers=bearer(tokens["investigator"]))
        assert answer.status_code == 200, answer.text
        seen += answer.json()["items"]
        pages += 1
        if answer.json()["next"] is None:
            break
        query["cursor"] = answer.json()["next"]
    assert pages == -(-len(expected) // 4)
    assert [e["seq"] for e in seen] == sorted((e.seq for e in expected), reverse=True)
    assert seen[0] == vars(max(expected, key=lambda e: e.seq))
    bad = client.get(f"{ROOT}/audit", params={"cursor": "bm90LWEtc2Vx"}, headers=bearer(tokens["owner"]))
    assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM


def test_who_may_read_the_audit_log(client: TestClient, tokens: dict[str, str]) -> None:
    for role in Role:
        answer = client.get(f"{ROOT}/audit", params={"limit": 1}, headers=bearer(tokens[role.value]))
        allowed = role in services.POLICY[Action.audit_log]
        assert answer.status_code == (200 if allowed else 403), role
        if not allowed:
            assert answer.headers["content-type"] == PROBLEM
    assert client.get(f"{ROOT}/audit").status_code == 401


def test_verifying_pins_the_keys_then_finds_the_log_intact(server: TestClient, tokens: dict[str, str]) -> None:
    first = server.post(f"{ROOT}/audit/verify", headers=bearer(tokens["analyst"]))
    assert first.status_code == 200, first.text
    assert first.json()["ok"] and first.json()["problems"] == [] and first.json()["newly_pinned"] == [CASE]
    assert first.json()["entries"] >= first.json()["signed"] > 0
    again = server.post(f"{ROOT}/audit/verify", headers=bearer(tokens["editor"])).json()
    assert again["ok"] and again["newly_pinned"] == [] and [k["pinned"] for k in again["keys"]] == ["yes"]
    refused = server.post(f"{ROOT}/audit/verify", headers=bearer(tokens["viewer"]))
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert server.post(f"{ROOT}/audit/verify").status_code == 401
    csrf = sign_in(server, "analyst")  # a browser's session changes nothing without its form token
    assert server.post(f"{ROOT}/audit/verify").status_code == 403
    assert server.post(f"{ROOT}/audit/verify", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_verifying_a_tampered_log_names_the_entry(server: TestClient, tokens: dict[str, str]) -> None:
    location = _location(server)
    entry = services.audit_entries(location, actor=LOCAL_OWNER, case=CASE, entity="recommendation", limit=1)[0]
    with sqlite3.connect(location) as db:  # someone who can write the database, without the case key
        db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = ?", (entry.seq,))
    found = server.post(f"{ROOT}/audit/verify", headers=bearer(tokens["owner"])).json()
    assert found["ok"] is False and any(p["seq"] == entry.seq for p in found["problems"])


# Publishing ----------------------------------------------------------------------------------------------------


def test_the_briefings_offered_and_who_sees_them(server: TestClient, tokens: dict[str, str]) -> None:
    for role in Role:
        answer = server.get(f"{ROOT}/briefings", headers=bearer(tokens[role.value]))
        if role in services.POLICY[Action.publish]:
            assert answer.status_code == 200, answer.text
            (briefing,) = answer.json()
            assert briefing["name"] == "briefing" and "border crossers" in briefing["title"]
            assert [s["number"] for s in briefing["sections"]] == list(range(len(briefing["sections"])))
        else:
            assert answer.status_code == 403 and answer.headers["content-type"] == PROBLEM, role
    assert server.get(f"{ROOT}/briefings").status_code == 401


def test_a_paragraph_naming_a_witness_blocks_publication_and_a_clean_briefing_is_published(
    server: TestClient, tokens: dict[str, str], tmp_path: Path, restricted: tuple[str, set[str]]
) -> None:
    name, values = restricted
    token = bearer(tokens["owner"])
    draft = {"briefing": "briefing", "section": 0, "paragraph": f"We met {name} in Yanji in 2006."}
    locked = server.post(f"{ROOT}/disclosure-check", json={"briefing": "briefing"}, headers=token)
    assert locked.status_code == 423 and locked.json()["type"] == "urn:corroborate:problem:locked"
    assert server.post(f"{ROOT}/unlock", json={"passphrase": PASSPHRASE}, headers=token).status_code == 204

    checked = server.post(f"{ROOT}/disclosure-check", json=draft, headers=token)
    assert checked.status_code == 200, checked.text
    report = checked.json()
    assert report["ok"] is False and report["leaks"] >= 1 and not report["blind"]
    assert any(line.startswith("leak: ") for line in report["problems"]) and "blocked" in report["verdict"]

    blocked = server.post(f"{ROOT}/publish", json=draft, headers=token)
    assert blocked.status_code == 409 and blocked.headers["content-type"] == PROBLEM
    assert blocked.json()["type"] == "urn:corroborate:problem:disclosure"
    assert "nothing was written" in blocked.json()["detail"] and "leak: " in blocked.json()["detail"]
    assert not (tmp_path / "published").exists()

    done = server.post(f"{ROOT}/publish", json={"briefing": "briefing"}, headers=token)
    assert done.status_code == 200, done.text
    assert done.json()["files"] == ["briefing.html", "briefing.pdf"] and done.json()["report"]["ok"]
    assert sorted(p.name for p in (tmp_path / "published" / CASE).iterdir()) == ["briefing.html", "briefing.pdf"]
    for answer in (checked, blocked, done):
        for value in values:
            assert value not in answer.text, "a restricted value"


def test_an_editor_checks_blind_with_the_scan_key_an_owner_opened(
    server: TestClient, tokens: dict[str, str], restricted: tuple[str, set[str]]
) -> None:
    name, values = restricted
    token = bearer(tokens["editor"])
    draft = {"briefing": "briefing", "section": 1, "paragraph": f"{name} told us."}
    without = server.post(f"{ROOT}/disclosure-check", json=draft, headers=token)
    assert without.status_code == 400 and "scan key" in without.json()["detail"]
    csrf = sign_in(server, "owner")  # the workbench's unlock page opens the scan key for the editors
    opened = server.post(f"/cases/{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE, "editors": "yes"})
    assert opened.status_code == 303
    report = server.post(f"{ROOT}/disclosure-check", json=draft, headers=token).json()
    assert report["ok"] is False and report["blind"] and report["leaks"] >= 1
    leaks = [line for line in report["problems"] if line.startswith("leak: ")]
    assert leaks and all("restricted value" in line and "W-0" not in line for line in leaks)  # not whose, nor what
    assert not any(value in str(report) for value in values)


def test_what_publishing_refuses(server: TestClient, own: TestClient, tokens: dict[str, str], tmp_path: Path) -> None:
    clean = {"briefing": "briefing"}
    for role in ("investigator", "analyst", "viewer"):
        for route in ("disclosure-check", "publish"):
            answer = server.post(f"{ROOT}/{route}", json=clean, headers=bearer(tokens[role]))
            assert answer.status_code == 403 and answer.headers["content-type"] == PROBLEM, (role, route)
    for route in ("disclosure-check", "publish"):
        assert server.post(f"{ROOT}/{route}", json=clean).status_code == 401
    unknown = server.post(f"{ROOT}/disclosure-check", json={"briefing": "nonsense"}, headers=bearer(tokens["owner"]))
    assert unknown.status_code == 400 and "no briefing called 'nonsense'" in unknown.json()["detail"]
    nowhere = own.post(f"{ROOT}/publish", json=clean, headers=bearer(tokens["owner"]))  # a server without a folder
    assert nowhere.status_code == 400 and "no publication folder" in nowhere.json()["detail"]
    assert not (tmp_path / "published").exists()


def test_the_routes_are_in_the_openapi_document_with_their_action(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        ("/cases/{case}/audit", "get"): ("audit_log", {"200", "401", "403"}),
        ("/cases/{case}/audit/verify", "post"): ("audit_verify", {"200", "401", "403"}),
        ("/cases/{case}/briefings", "get"): ("publish", {"200", "401", "403"}),
        ("/cases/{case}/disclosure-check", "post"): ("publish", {"200", "400", "401", "403", "423"}),
        ("/cases/{case}/publish", "post"): ("publish", {"200", "400", "401", "403", "409", "423"}),
    }
    for (path, method), (action, statuses) in expected.items():
        operation = paths[path][method]
        assert operation["x-corroborate-action"] == action, path
        assert statuses <= set(operation["responses"]), path
        problem = operation["responses"]["403"]["content"][PROBLEM]["schema"]
        assert problem == {"$ref": "#/components/schemas/ProblemDetails"}
