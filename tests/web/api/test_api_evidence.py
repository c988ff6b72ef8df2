"""Evidence files through the API: added, listed, read back verified, a transcript's page shown and an excerpt
cut from it; only by owners and investigators, only once the case is unlocked through the token."""

from __future__ import annotations

import hashlib

from apiclient import CASE, bearer
from fastapi.testclient import TestClient

from support import PASSPHRASE

ROOT = f"/api/v1/cases/{CASE}"
TRANSCRIPT = "Q: When?\n  The guards said in January 2007 that a second crossing means prison.  \nQ: Who?\n"


def test_a_transcript_is_added_read_back_and_an_excerpt_cut_from_it(tokens: dict[str, str], own: TestClient) -> None:
    token = bearer(tokens["investigator"])
    upload = {"files": {"file": ("interview-1.txt", TRANSCRIPT.encode(), "text/plain")},
              "data": {"source": "I-001", "note": "typed from the recording"}}  # fmt: skip
    locked = own.post(f"{ROOT}/attachments", headers=token, **upload)  # type: ignore[arg-type]
    assert locked.status_code == 423 and locked.json()["type"] == "urn:corroborate:problem:locked"
    assert own.post(f"{ROOT}/unlock", json={"passphrase": PASSPHRASE}, headers=token).status_code == 204
    added = own.post(f"{ROOT}/attachments", headers=token, **upload)  # type: ignore[arg-type]
    assert added.status_code == 201, added.text
    info = added.json()
    ref = info["ref"]
    assert added.headers["location"] == f"{ROOT}/attachments/{ref}"
    assert (info["source"], info["filename"], info["size"], info["restricted"], info["added_by"]) == (
        "I-001", "interview-1.txt", len(TRANSCRIPT.encode()), True, "investigator")  # fmt: skip
    assert info["sha256"] == hashlib.sha256(TRANSCRIPT.encode()).hexdigest()
    listed = own.get(f"{ROOT}/attachments", params={"source": "I-001"}, headers=token)
    assert [a["ref"] for a in listed.json()] == [ref]
    content = own.get(f"{ROOT}/attachments/{ref}", headers=token)
    assert content.status_code == 200 and content.content == TRANSCRIPT.encode()
    assert content.headers["digest"] == f"sha-256={info['sha256']}" and "no-store" in content.headers["cache-control"]
    page = own.get(f"{ROOT}/attachments/{ref}/text", headers=token).json()
    assert (page["page"], page["pages"], page["text"], page["excerpts"]) == (1, 1, TRANSCRIPT, [])
    start, end = TRANSCRIPT.index("  The guards"), TRANSCRIPT.index("\nQ: Who")
    passage = {"id": "X-api-cut", "start": start, "end": end, "mode": "heard_official", "quote": True}
    cut = own.post(f"{ROOT}/attachments/{ref}/excerpts", headers=token, json=passage)
    assert cut.status_code == 201, cut.text
    assert cut.json()["text"] == "The guards said in January 2007 that a second crossing means prison."
    assert cut.headers["location"] == f"{ROOT}/excerpts/X-api-cut" and cut.headers["etag"] == '"1"'
    anchored = own.get(f"{ROOT}/attachments/{ref}/text", headers=token).json()["excerpts"]
    assert anchored == [{"id": "X-api-cut", "page": None, "start": start + 2, "end": end - 2}]
    blank = own.post(f"{ROOT}/attachments/{ref}/excerpts", headers=token,
                     json={"id": "X-api-blank", "start": 8, "end": 11, "mode": "witnessed"})  # fmt: skip
    assert blank.status_code == 400 and "hold no text" in blank.json()["detail"]
    assert own.get(f"{ROOT}/attachments/{ref}/text", params={"page": 2}, headers=token).status_code == 400


def test_who_may_not_see_evidence_files_is_refused_and_never_told_their_names(
    tokens: dict[str, str], own: TestClient
) -> None:
    owner = bearer(tokens["owner"])
    assert own.post(f"{ROOT}/unlock", json={"passphrase": PASSPHRASE}, headers=owner).status_code == 204
    upload = {"files": {"file": ("Pak Mi-ran statement.txt", b"signed statement", "text/plain")},
              "data": {"source": "I-002"}}  # fmt: skip
    ref = own.post(f"{ROOT}/attachments", headers=owner, **upload).json()["ref"]  # type: ignore[arg-type]
    for role in ("analyst", "editor", "viewer"):
        token = bearer(tokens[role])
        reads = [f"{ROOT}/attachments", f"{ROOT}/attachments/{ref}", f"{ROOT}/attachments/{ref}/text"]
        for answer in (*(own.get(url, headers=token) for url in reads),
                       own.post(f"{ROOT}/attachments", headers=token, **upload)):  # type: ignore[arg-type]  # fmt: skip
            assert answer.status_code == 403, (role, answer.text)
            assert "Pak Mi-ran" not in answer.text and "signed statement" not in answer.text
    assert own.get(f"{ROOT}/attachments/{ref}").status_code == 401


def test_the_upload_form_is_a_named_multipart_schema(own: TestClient) -> None:
    """The upload's form is described by its own schema (not a name FastAPI makes up from the route)."""
    document = own.get("/api/v1/openapi.json").json()
    body = document["paths"]["/cases/{case}/attachments"]["post"]["requestBody"]["content"]
    assert body == {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/NewAttachment"}}}
    form = document["components"]["schemas"]["NewAttachment"]
    assert set(form["required"]) == {"file", "source"} and form["properties"]["restricted"]["default"] is True
    assert not [name for name in document["components"]["schemas"] if name.startswith("Body_")]
