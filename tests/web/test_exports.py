"""Listings as CSV: every row (all pages), the same filters, public fields only, no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.web.exports import cell
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"


def rows(client: TestClient, path: str) -> list[dict[str, str]]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv") and "attachment" in answer.headers[
        "content-disposition"]  # fmt: skip
    return list(csv.DictReader(io.StringIO(answer.text.removeprefix("\ufeff"))))


def test_witnesses_excerpts_and_propositions_export_as_listed(
    client: TestClient, signed_in: Callable[[str], str], web_store: str, tmp_path: Path
) -> None:
    signed_in("analyst")
    witnesses = rows(client, f"{CASE}/witnesses.csv")
    assert len(witnesses) == 12 and witnesses[0]["pseudonym"] == "W-001"
    assert [w["pseudonym"] for w in rows(client, f"{CASE}/witnesses.csv?gender=female")] == [
        w.witness.id for w in services.witnesses(web_store, actor=LOCAL_OWNER, listed=services.Listed(gender="female"))
    ]  # fmt: skip
    excerpts = rows(client, f"{CASE}/excerpts.csv")
    assert len(excerpts) == len(services.excerpts(web_store, actor=LOCAL_OWNER)) > 25  # more than one page
    listed = services.excerpts(web_store, actor=LOCAL_OWNER)
    assert [(e["id"], e["text"]) for e in excerpts] == [(e.id, cell(e.text)) for e in listed]  # the text whole
    propositions = rows(client, f"{CASE}/propositions.csv")
    assert {p["grade"] for p in propositions} and all(p["key"] for p in propositions)
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path)
    text = client.get(f"{CASE}/witnesses.csv").text + client.get(f"{CASE}/excerpts.csv").text
    for identity in services.identities(web_store, actor=LOCAL_OWNER, secrets=secrets).values():
        for value in identity.values():
            assert value not in text


def test_exports_follow_the_role_table(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("viewer")
    for path in ("witnesses.csv", "excerpts.csv", "propositions.csv"):
        assert client.get(f"{CASE}/{path}").status_code == 403, path


def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text() -> None:
    assert [cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "plain", None, 3)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "plain", "", "3"]  # fmt: skip


def test_interviews_documents_and_recommendations_export(
    client: TestClient, signed_in: Callable[[str], str], web_store: str
) -> None:
    signed_in("editor")
    interviews = rows(client, f"{CASE}/interviews.csv")
    assert [i["id"] for i in interviews] == [v.id for v in services.interviews(web_store, actor=LOCAL_OWNER)]
    assert [i["id"] for i in rows(client, f"{CASE}/interviews.csv?witness=W-004")] == [
        v.id for v in services.interviews(web_store, actor=LOCAL_OWNER, listed=services.Listed(witness="W-004"))
    ]  # fmt: skip
    documents = rows(client, f"{CASE}/documents.csv")
    assert [d["id"] for d in documents] == [d.id for d in services.documents(web_store, actor=LOCAL_OWNER)]
    signed_in("viewer")  # recommendations are for every role
    recommendations = rows(client, f"{CASE}/recommendations.csv")
    assert recommendations and {r["addressee"] for r in recommendations} >= {"DPRK", "PRC"}
    assert client.get(f"{CASE}/interviews.csv").status_code == 403


def test_identities_go_into_a_witness_export_only_when_an_unlocked_investigator_asks(
    own: TestClient, web_store: str, tmp_path: Path
) -> None:
    from webclient import sign_in

    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path)
    names = [i.name for i in services.identities(web_store, actor=LOCAL_OWNER, secrets=secrets).values() if i.name]
    sign_in(own, "analyst")
    assert own.get(f"{CASE}/witnesses.csv?identities=yes").status_code == 403
    assert "restricted identities" not in own.get(f"{CASE}/witnesses").text
    csrf = sign_in(own, "investigator")
    assert own.get(f"{CASE}/witnesses.csv?identities=yes").status_code == 400  # locked: nothing sent
    assert "restricted identities" not in own.get(f"{CASE}/witnesses").text
    assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    assert "Download with the restricted identities" in own.get(f"{CASE}/witnesses").text
    answer = own.get(f"{CASE}/witnesses.csv?identities=yes")
    assert "RESTRICTED" in answer.headers["content-disposition"]
    exported = list(csv.DictReader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    assert {e["name"] for e in exported if e["name"]} == set(names)
    assert all(name not in own.get(f"{CASE}/witnesses.csv").text for name in names)  # not asked: not sent
