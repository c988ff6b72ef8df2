"""The case's recommendations, its audit log (and verifying it), and the users of the store, as each role sees
them: who may open which page, what the forms do, and never a restricted value on any of them."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webclient import ROLES, form_token, password, restricted_strings, sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.web import administration, create_app
from support import PASSPHRASE

CASE_ID = "border-crossers-2007"
CASE = f"/cases/{CASE_ID}"
PAGES = (f"{CASE}/recommendations", f"{CASE}/audit", "/users")


@pytest.fixture
def web(web_store: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client over the shared store (for tests that change nothing in it)."""
    with TestClient(create_app(web_store, trust_file=tmp_path / "trust.json"), base_url="http://127.0.0.1",
                    follow_redirects=False) as c:  # fmt: skip
        yield c


@pytest.fixture
def mine(web_store: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a copy of the store, for tests that change it."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(web_store, copy)
    with TestClient(create_app(str(copy), trust_file=tmp_path / "trust.json"), base_url="http://127.0.0.1",
                    follow_redirects=False) as c:  # fmt: skip
        yield c


def _state(client: TestClient) -> Any:
    """The application's state (where its store and trust file are)."""
    return client.app.state  # type: ignore[attr-defined]


def _unlock(client: TestClient, csrf: str) -> None:
    answer = client.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE, "next": f"{CASE}/users"})
    assert answer.status_code == 303 and answer.headers["location"] == f"{CASE}/users"
    assert client.get(answer.headers["location"]).headers["location"] == "/users"


# Recommendations ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_recommendations_and_their_history(web: TestClient, role: str) -> None:
    sign_in(web, role)
    answer = web.get(f"{CASE}/recommendations")
    assert answer.status_code == 200
    page = answer.text
    assert "DPRK" in page and "PRC" in page and "a state" in page
    assert "Stop arresting North Koreans and sending them back." in page
    assert "2007-03-05</span>: issued" in page and "<code>D-hrw-2007</code>" in page  # the dated step and its source
    assert "11 of 11 recommendations" in page


def test_recommendations_filter_by_addressee_and_status(web: TestClient) -> None:
    sign_in(web, "viewer")
    page = web.get(f"{CASE}/recommendations", params={"addressee": "PRC"}).text
    assert re.findall(r"<code>(R-[\w-]+)</code>", page) == ["R-prc-1", "R-prc-2", "R-prc-3"]
    assert '<option value="PRC" selected>' in page
    page = web.get(f"{CASE}/recommendations", params={"addressee": "dprk", "status": "issued"}).text
    assert len(re.findall(r"<code>R-dprk-\d</code>", page)) == 5 and "R-prc-1" not in page
    page = web.get(f"{CASE}/recommendations", params={"status": "rejected"}).text
    assert "No recommendation matches." in page and "0 of 11" in page
    page = web.get(f"{CASE}/recommendations", params={"status": "forgotten"}).text
    assert 'class="error" role="alert">no status &#39;forgotten&#39;' in page


def test_the_pages_need_a_signed_in_user(web: TestClient) -> None:
    for path in PAGES:
        answer = web.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path


# The audit log -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "investigator"])
def test_owners_and_investigators_read_the_log_newest_first(web: TestClient, role: str) -> None:
    sign_in(web, role)
    page = web.get(f"{CASE}/audit").text
    seqs = [int(s) for s in re.findall(r'<td class="num">(\d+)</td>', page)]
    newest = services.audit_entries(_state(web).location, actor=LOCAL_OWNER, case=CASE_ID, limit=1)[0].seq
    assert len(seqs) == administration.PAGE and seqs[0] == newest and seqs == sorted(seqs, reverse=True)
    assert "Verify the log" in page
    older = re.search(r'rel="next" href="\?before=(\d+)"', page)
    assert older and int(older.group(1)) == seqs[-1]
    older_page = web.get(f"{CASE}/audit", params={"before": seqs[-1]}).text
    following = [int(s) for s in re.findall(r'<td class="num">(\d+)</td>', older_page)]
    assert following and max(following) == seqs[-1] - 1  # the next page starts where this one ended


@pytest.mark.parametrize("role", ["analyst", "editor", "viewer"])
def test_other_roles_may_not_read_the_log(web: TestClient, role: str) -> None:
    sign_in(web, role)
    answer = web.get(f"{CASE}/audit")
    assert answer.status_code == 403 and "may not audit log" in answer.text
    assert f'href="{CASE}/audit"' not in web.get(CASE).text


def test_the_log_filters_by_kind_action_and_actor(web: TestClient) -> None:
    sign_in(web, "investigator")
    page = web.get(f"{CASE}/audit", params={"entity": "recommendation"}).text
    rows = re.findall(r"<td>(\w+)</td>\s*<td>(\w+)</td>\s*<td><code>([^<]+)</code></td>", page)
    assert len(rows) == 11 and {(action, kind) for action, kind, _ in rows} == {("create", "recommendation")}
    assert "R-prc-1" in page and 'rel="next"' not in page
    page = web.get(f"{CASE}/audit", params={"entity": "identity", "action": "create", "actor": "local"}).text
    assert len(re.findall(r'<td class="num">', page)) == 6  # the six witnesses with a restricted identity
    page = web.get(f"{CASE}/audit", params={"actor": "nobody"}).text
    assert "No entry matches." in page


def test_verifying_a_clean_log(web: TestClient, tmp_path: Path) -> None:
    csrf = sign_in(web, "owner")
    answer = web.post(f"{CASE}/audit/verify", data={"csrf": csrf})
    assert answer.status_code == 200
    assert "The audit log is intact." in answer.text and "The audit log is broken" not in answer.text
    assert "pinned now" in answer.text and (tmp_path / "trust.json").exists()  # pinned in the server's trust file
    again = web.post(f"{CASE}/audit/verify", data={"csrf": csrf}).text
    assert "The audit log is intact." in again and "pinned now" not in again


def test_an_analyst_may_verify_but_not_read_the_log(web: TestClient) -> None:
    csrf = sign_in(web, "analyst")
    answer = web.post(f"{CASE}/audit/verify", data={"csrf": csrf})
    assert answer.status_code == 200 and "The audit log is intact." in answer.text
    assert 'id="entries-h"' not in answer.text and '<td class="num">' not in answer.text
    csrf = sign_in(web, "viewer")
    assert web.post(f"{CASE}/audit/verify", data={"csrf": csrf}).status_code == 403


def test_verifying_a_tampered_log_shows_each_problem(mine: TestClient) -> None:
    location = _state(mine).location
    entry = services.audit_entries(location, actor=LOCAL_OWNER, case=CASE_ID, entity="recommendation", limit=1)[0]
    with sqlite3.connect(location) as db:  # someone who can write the database, without the case key
        db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = ?", (entry.seq,))
    csrf = sign_in(mine, "owner")
    page = mine.post(f"{CASE}/audit/verify", data={"csrf": csrf}).text
    assert "The audit log is broken." in page and "The audit log is intact." not in page
    problems = re.findall(r"<li>(entry #\d+[^<]*)</li>", page)
    assert problems and any(f"entry #{entry.seq}" in p for p in problems)


def test_forms_without_the_token_are_refused(mine: TestClient) -> None:
    sign_in(mine, "owner")
    before = services.list_users(_state(mine).location, actor=LOCAL_OWNER)
    add = {"username": "mallory", "password": "a long password", "password_again": "a long password",
           "role": "owner", "scope": ""}  # fmt: skip
    attempts = [
        (f"{CASE}/audit/verify", {}),
        (f"{CASE}/audit/verify", {"csrf": "forged"}),
        ("/users", add),
        ("/users/remove", {"username": "viewer", "csrf": "forged"}),
    ]
    for path, data in attempts:
        answer = mine.post(path, data=data)
        assert answer.status_code == 400 and "did not come from this workbench" in answer.text, path
    assert services.list_users(_state(mine).location, actor=LOCAL_OWNER) == before


# Users and roles -----------------------------------------------------------------------------------------------


def test_the_owner_sees_users_roles_and_second_factors(mine: TestClient, tmp_path: Path) -> None:
    owner = services.authenticate(_state(mine).location, "owner", password("owner"))
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    services.enable_totp(_state(mine).location, "editor", actor=owner, secrets=secrets)
    sign_in(mine, "owner")
    page = mine.get("/users").text
    rows = {name: (roles, totp) for name, roles, totp in re.findall(
        r'<th scope="row">(\w+)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', page, re.S)}  # fmt: skip
    assert set(rows) == set(ROLES) and rows["analyst"][0] == "analyst: every case"
    assert rows["editor"][1] == "enabled" and "not enabled" in rows["analyst"][1]


@pytest.mark.parametrize("role", ROLES[1:])
def test_only_owners_manage_users(web: TestClient, role: str) -> None:
    csrf = sign_in(web, role)
    assert web.get("/users").status_code == 403
    assert 'href="/users"' not in web.get(CASE).text
    add = {"csrf": csrf, "username": "mallory", "password": "a long password", "password_again": "a long password",
           "role": "owner", "scope": ""}  # fmt: skip
    assert web.post("/users", data=add).status_code == 403
    assert web.post("/users/remove", data={"csrf": csrf, "username": "owner"}).status_code == 403


def test_an_owner_adds_a_user_who_can_then_sign_in(mine: TestClient) -> None:
    csrf = sign_in(mine, "owner")
    new = {"csrf": csrf, "username": "nadia", "password": "nadia's long password",
           "password_again": "nadia's long password", "role": "owner", "scope": ""}  # fmt: skip
    locked = mine.post("/users", data=new)
    assert locked.status_code == 403 and "Unlock the case first" in locked.text  # signed with the case's key
    _unlock(mine, csrf)
    differ = mine.post("/users", data={**new, "password_again": "another long password"})
    assert differ.status_code == 400 and "The two passwords differ" in differ.text
    weak = mine.post("/users", data={**new, "password": "short", "password_again": "short"})
    assert weak.status_code == 400 and "at least 10 characters" in weak.text
    taken = mine.post("/users", data={**new, "username": "analyst"})
    assert taken.status_code == 400 and "already a user by that name" in taken.text
    added = mine.post("/users", data=new)
    assert added.status_code == 303 and added.headers["location"] == "/users?added=nadia"
    page = mine.get(added.headers["location"]).text
    assert "User nadia was added" in page and '<th scope="row">nadia</th>' in page
    scoped = {**new, "username": "omar", "password": "omar's long password",
              "password_again": "omar's long password", "role": "analyst", "scope": CASE_ID}  # fmt: skip
    assert mine.post("/users", data=scoped).status_code == 303
    sign_in(mine, "nadia", secret="nadia's long password")
    assert mine.get("/users").status_code == 200  # an owner of the whole store
    sign_in(mine, "omar", secret="omar's long password")
    assert mine.get(f"{CASE}/recommendations").status_code == 200 and mine.get("/users").status_code == 403
    assert services.verify(_state(mine).location, actor=LOCAL_OWNER).ok  # every change signed and audited


def test_the_last_owner_cannot_be_removed(mine: TestClient) -> None:
    csrf = sign_in(mine, "owner")
    _unlock(mine, csrf)
    refused = mine.post("/users/remove", data={"csrf": csrf, "username": "owner"})
    assert refused.status_code == 400 and 'class="error"' in refused.text
    assert "owner is the only owner of the whole store" in refused.text
    assert services.authenticate(_state(mine).location, "owner", password("owner")).name == "owner"
    removed = mine.post("/users/remove", data={"csrf": csrf, "username": "viewer"})
    assert removed.status_code == 303
    page = mine.get(removed.headers["location"]).text
    assert "User viewer was removed" in page and "Remove viewer" not in page
    login = mine.get("/login")
    failed = mine.post("/login", data={"username": "viewer", "password": password("viewer"),
                                       "form_token": form_token(login.text, "form_token")})  # fmt: skip
    assert failed.status_code == 401


def test_a_crafted_link_cannot_make_the_page_announce_a_change(web: TestClient) -> None:
    sign_in(web, "owner")
    page = web.get("/users", params={"added": "nobody", "removed": "analyst"}).text
    assert "was added" not in page and "was removed" not in page


# Restricted values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_restricted_value_on_these_pages(web: TestClient, tmp_path: Path, role: str) -> None:
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    found = services.identities(_state(web).location, actor=LOCAL_OWNER, secrets=secrets, case=CASE_ID)
    values = {v for identity in found.values() for v in restricted_strings(identity.model_dump())}
    assert len(values) > 10
    csrf = sign_in(web, role)
    pages = [web.get(path) for path in (*PAGES, f"{CASE}/audit?entity=identity")]
    pages.append(web.post(f"{CASE}/audit/verify", data={"csrf": csrf}))
    assert any(p.status_code == 200 for p in pages)
    for answer in pages:
        for value in values:
            assert value not in answer.text, (answer.url, "a restricted value")
