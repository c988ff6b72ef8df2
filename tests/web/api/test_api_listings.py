"""Listings through the API: every record once across pages, the last page without a cursor, filters typed
as people type them, and nothing restricted."""

from __future__ import annotations

from apiclient import CASE, bearer
from fastapi.testclient import TestClient
from webclient import restricted_strings

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from support import PASSPHRASE


def _walk(client: TestClient, path: str, token: str, limit: int, **params: str) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        answer = client.get(path, params={"limit": limit, **({"cursor": cursor} if cursor else {}), **params},
                            headers=bearer(token))  # fmt: skip
        assert answer.status_code == 200, answer.text
        body = answer.json()
        pages.append([item.get("id", item.get("key")) for item in body["items"]])
        cursor = body["next"]
        if cursor is None:
            return pages


def test_pages_hold_every_record_once_and_the_last_has_no_cursor(client: TestClient, tokens: dict[str, str]) -> None:
    for kind in ("witnesses", "interviews", "documents", "excerpts", "claims", "propositions"):
        path = f"/api/v1/cases/{CASE}/{kind}"
        whole = _walk(client, path, tokens["analyst"], 500)
        assert len(whole) == 1 and whole[0], kind
        pages = _walk(client, path, tokens["analyst"], 7)
        assert [i for page in pages for i in page] == whole[0], kind
        assert all(len(page) == 7 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 7, kind


def test_a_cursor_from_elsewhere_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    answer = client.get(f"/api/v1/cases/{CASE}/claims", params={"cursor": "!!not ours"},
                        headers=bearer(tokens["analyst"]))  # fmt: skip
    assert answer.status_code == 400 and answer.json()["type"] == "urn:corroborate:problem:invalid"
    unknown = client.get(f"/api/v1/cases/{CASE}/claims", params={"cursor": "Tk9QRQ"},  # "NOPE"
                         headers=bearer(tokens["analyst"]))  # fmt: skip
    assert unknown.status_code == 404


def test_filters_take_places_in_any_spelling(client: TestClient, tokens: dict[str, str]) -> None:
    token = tokens["analyst"]
    path = f"/api/v1/cases/{CASE}/witnesses"
    latin = _walk(client, path, token, 500, origin="Chongjin")[0]
    assert latin and _walk(client, path, token, 500, origin="Chungjin")[0] == latin
    assert _walk(client, path, token, 500, origin="청진")[0] == latin
    bad = client.get(path, params={"origin": "Atlantis-on-Sea"}, headers=bearer(token))
    assert bad.status_code == 400 and "Atlantis-on-Sea" in bad.json()["detail"]  # a place is no secret


def test_no_listing_shows_a_restricted_value(client: TestClient, tokens: dict[str, str], web_store: str) -> None:
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE)
    identities = services.identities(web_store, actor=LOCAL_OWNER, secrets=secrets)
    values = [v for i in identities.values() for v in restricted_strings(i.model_dump(mode="json"))]
    assert values
    for kind in ("witnesses", "interviews", "documents", "excerpts", "claims", "propositions", "recommendations"):
        text = client.get(f"/api/v1/cases/{CASE}/{kind}", params={"limit": 500} if kind != "recommendations" else {},
                          headers=bearer(tokens["owner"])).text  # fmt: skip
        assert not [v for v in values if v in text], kind
