"""One record at a time through the API: read with its ETag, create, replace with If-Match, delete."""

from __future__ import annotations

from apiclient import CASE, bearer
from fastapi.testclient import TestClient
from webclient import sign_in

from support import PASSPHRASE

CLAIMS = f"/api/v1/cases/{CASE}/claims"


def _uncoded(client: TestClient, token: str) -> tuple[str, str]:
    """An excerpt and a proposition that no claim pairs yet (so a new claim codes something new)."""
    coded = {(c["excerpt"], c["proposition"]) for c in client.get(CLAIMS, params={"limit": 500},
                                                                  headers=bearer(token)).json()["items"]}  # fmt: skip
    excerpts = [e["id"] for e in client.get(f"/api/v1/cases/{CASE}/excerpts", params={"limit": 500},
                                            headers=bearer(token)).json()["items"]]  # fmt: skip
    keys = [p["key"] for p in client.get(f"/api/v1/cases/{CASE}/propositions", headers=bearer(token)).json()["items"]]
    return next((e, k) for e in excerpts for k in keys if (e, k) not in coded)


def test_reading_a_witness_gives_its_version_and_never_its_identity(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get(f"/api/v1/cases/{CASE}/witnesses/W-001", headers=bearer(tokens["analyst"]))
    assert answer.status_code == 200, answer.text
    assert answer.headers["etag"].strip('"').isdigit()
    assert answer.json()["id"] == "W-001"
    assert "restricted" not in answer.json()


def test_a_claim_is_coded_changed_with_its_version_and_uncoded(own: TestClient, tokens: dict[str, str]) -> None:
    token = bearer(tokens["analyst"])
    excerpt, key = _uncoded(own, tokens["analyst"])
    made = own.post(CLAIMS, json={"id": "C-api-1", "excerpt": excerpt, "proposition": key}, headers=token)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"{CLAIMS}/C-api-1"
    first = made.headers["etag"]
    read = own.get(f"{CLAIMS}/C-api-1", headers=token)
    assert read.json() == made.json() and read.headers["etag"] == first

    changed = own.put(f"{CLAIMS}/C-api-1", json={**read.json(), "stance": "contradicts"},
                      headers={**token, "If-Match": first})  # fmt: skip
    assert changed.status_code == 200, changed.text
    assert changed.json()["stance"] == "contradicts" and changed.headers["etag"] != first

    stale = own.put(f"{CLAIMS}/C-api-1", json={**read.json(), "note": "late"}, headers={**token, "If-Match": first})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["type"] == "urn:corroborate:problem:stale"
    assert "analyst" in stale.json()["detail"]  # who changed it
    assert own.get(f"{CLAIMS}/C-api-1", headers=token).json()["stance"] == "contradicts"  # nothing written

    unnamed = own.delete(f"{CLAIMS}/C-api-1", headers=token)
    assert unnamed.status_code == 428 and unnamed.json()["type"] == "urn:corroborate:problem:precondition-required"
    gone = own.delete(f"{CLAIMS}/C-api-1", headers={**token, "If-Match": changed.headers["etag"]})
    assert gone.status_code == 204
    assert own.get(f"{CLAIMS}/C-api-1", headers=token).status_code == 404


def test_a_record_keeps_its_id(own: TestClient, tokens: dict[str, str]) -> None:
    token = bearer(tokens["analyst"])
    read = own.get(f"{CLAIMS}?limit=1", headers=token).json()["items"][0]
    claim = own.get(f"{CLAIMS}/{read['id']}", headers=token)
    answer = own.put(f"{CLAIMS}/{read['id']}", json={**claim.json(), "id": "C-renamed"},
                     headers={**token, "If-Match": claim.headers["etag"]})  # fmt: skip
    assert answer.status_code == 400 and "keeps its id" in answer.json()["detail"]


def test_editing_a_witness_needs_the_case_unlocked_through_the_token(own: TestClient, tokens: dict[str, str]) -> None:
    token = bearer(tokens["investigator"])
    read = own.get(f"/api/v1/cases/{CASE}/witnesses/W-001", headers=token)
    body = {**read.json(), "independence_note": "interviewed alone"}
    locked = own.put(
        f"/api/v1/cases/{CASE}/witnesses/W-001", json=body, headers={**token, "If-Match": read.headers["etag"]}
    )
    assert locked.status_code == 423, locked.text
    assert f"POST its passphrase to /api/v1/cases/{CASE}/unlock first" in locked.json()["detail"]
    assert "corroborate unlock" not in locked.text
    wrong = own.post(f"/api/v1/cases/{CASE}/unlock", json={"passphrase": "not it"}, headers=token)
    assert wrong.status_code == 400 and "not it" not in wrong.text
    assert own.post(f"/api/v1/cases/{CASE}/unlock", json={"passphrase": PASSPHRASE}, headers=token).status_code == 204
    done = own.put(
        f"/api/v1/cases/{CASE}/witnesses/W-001", json=body, headers={**token, "If-Match": read.headers["etag"]}
    )
    assert done.status_code == 200, done.text
    assert done.json()["independence_note"] == "interviewed alone"
    # The identity route shows it only now, and only to who may see identities.
    assert own.get(f"/api/v1/cases/{CASE}/witnesses/W-001/identity", headers=token).status_code in (200, 404)
    assert own.get(f"/api/v1/cases/{CASE}/witnesses/W-001/identity",
                   headers=bearer(tokens["analyst"])).status_code == 403  # fmt: skip


def test_wrong_passphrases_are_limited_per_user_and_case_then_refused_for_a_while(
    own: TestClient, tokens: dict[str, str]
) -> None:
    from corroborate.services import websessions

    token = bearer(tokens["investigator"])
    unlock = f"/api/v1/cases/{CASE}/unlock"
    for _ in range(websessions.MAX_FAILURES):
        assert own.post(unlock, json={"passphrase": "a guess"}, headers=token).status_code == 400
    refused = own.post(unlock, json={"passphrase": PASSPHRASE}, headers=token)  # even the right one, for now
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["type"] == "urn:corroborate:problem:too-many"
    assert "too many failed unlock attempts" in refused.json()["detail"]
    # Guesses from one address hold back every user there, as failed sign-ins do (tests/services has the rest).
    owner = own.post(unlock, json={"passphrase": PASSPHRASE}, headers=bearer(tokens["owner"]))
    assert owner.status_code == 429


def test_an_identity_sent_wrong_is_not_echoed(own: TestClient, tokens: dict[str, str]) -> None:
    token = bearer(tokens["investigator"])
    own.post(f"/api/v1/cases/{CASE}/unlock", json={"passphrase": PASSPHRASE}, headers=token)
    answer = own.put(f"/api/v1/cases/{CASE}/witnesses/W-001/identity",
                     json={"name": "Secret Person", "birth_date": "not-a-date-zq9", "shoe": "Secret Shoe"},
                     headers=token)  # fmt: skip
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    for value in ("Secret Person", "not-a-date-zq9", "Secret Shoe"):
        assert value not in answer.text
    assert {tuple(e["location"]) for e in answer.json()["errors"]} >= {("body", "birth_date"), ("body", "shoe")}


def test_a_viewer_reads_no_records(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get(f"/api/v1/cases/{CASE}/witnesses/W-001", headers=bearer(tokens["viewer"]))
    assert answer.status_code == 403 and answer.json()["type"] == "urn:corroborate:problem:forbidden"


def test_the_browser_session_changes_only_with_its_form_token(own: TestClient) -> None:
    csrf = sign_in(own, "analyst")
    own.cookies.set("corroborate_session", own.cookies.get("corroborate_session") or "")
    excerpt, key = _uncoded_by_session(own)
    body = {"id": "C-api-2", "excerpt": excerpt, "proposition": key}
    refused = own.post(CLAIMS, json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    assert own.get(f"{CLAIMS}/C-api-2").status_code == 404
    assert own.post(CLAIMS, json=body, headers={"X-CSRF-Token": csrf}).status_code == 201


def _uncoded_by_session(client: TestClient) -> tuple[str, str]:
    coded = {(c["excerpt"], c["proposition"]) for c in client.get(CLAIMS, params={"limit": 500}).json()["items"]}
    excerpts = [e["id"] for e in client.get(f"/api/v1/cases/{CASE}/excerpts", params={"limit": 500}).json()["items"]]
    keys = [p["key"] for p in client.get(f"/api/v1/cases/{CASE}/propositions").json()["items"]]
    return next((e, k) for e in excerpts for k in keys if (e, k) not in coded)


def test_the_version_and_location_headers_are_documented_as_answered(own: TestClient, tokens: dict[str, str]) -> None:
    import re

    paths = own.get("/api/v1/openapi.json").json()["paths"]
    for path, operations in paths.items():
        if path.startswith("/cases/{case}/") and path.count("/") in (3, 4) and "identity" not in path:
            kind = path.split("/")[3]
            if kind not in ("witnesses", "interviews", "documents", "excerpts", "propositions", "claims",
                            "recommendations"):  # fmt: skip
                continue
            single = path.endswith("{ref}")
            documented = {verb: set(op["responses"].get("201" if verb == "post" else "200", {}).get("headers", {}))
                          for verb, op in operations.items() if verb in ("get", "put", "post")}  # fmt: skip
            if single:
                assert documented == {"get": {"ETag"}, "put": {"ETag"}}, path
            else:
                assert documented.get("post") == {"ETag", "Location"}, path
    pattern = paths["/cases/{case}/witnesses/{ref}"]["get"]["responses"]["200"]["headers"]["ETag"]["schema"]["pattern"]
    read = own.get(f"/api/v1/cases/{CASE}/witnesses/W-001", headers=bearer(tokens["analyst"]))
    assert read.status_code == 200 and re.fullmatch(pattern, read.headers["etag"])
