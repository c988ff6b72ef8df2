"""Adding an interview and an excerpt from the browser, then coding the excerpt: what an investigator and an
analyst do together, each change audited and signed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from webclient import form_token, sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"
TEXT = "In January 2007 the guards told us that anyone caught crossing twice would be sent to a kyohwaso."


def test_an_investigator_adds_an_interview_and_an_excerpt_an_analyst_codes_it(own: TestClient) -> None:
    location = own.app.state.location
    sign_in(own, "investigator")
    form = own.get(f"{CASE}/interviews/new?witness=W-004").text
    assert 'value="I-013"' in form and '<option value="W-004" selected>' in form
    csrf = form_token(form, "csrf")
    interview = {"csrf": csrf, "id": "I-013", "witness": "W-004", "date": "January 2007", "country": "China",
                 "language": "ko", "consent": "quote"}  # fmt: skip
    locked = own.post(f"{CASE}/interviews", data=interview)
    assert locked.status_code == 403 and "Unlock the case first" in locked.text  # signed by the case's key
    assert f'name="next" value="{CASE}/interviews/new?witness=W-004"' in locked.text  # back to the same witness
    wrong = own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": "not it", "next": ""})
    assert wrong.status_code == 400
    assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    added = own.post(f"{CASE}/interviews", data=interview)
    assert added.status_code == 303 and added.headers["location"] == f"{CASE}/excerpts/new?source=I-013"
    bad = own.post(f"{CASE}/interviews", data={**interview, "id": "I-014", "date": "someday"})
    assert bad.status_code == 400 and "date" in bad.text
    page = own.get(added.headers["location"]).text
    excerpt = {"csrf": csrf, "id": form_token(page, "id"), "source": "I-013", "mode": "heard_official",
               "text": TEXT, "quote": "yes"}  # fmt: skip
    made = own.post(f"{CASE}/excerpts", data=excerpt)
    assert made.status_code == 303, made.text
    ref = made.headers["location"].rsplit("/", 1)[1]
    sign_in(own, "analyst")
    page = own.get(f"{CASE}/excerpts/{ref}").text
    assert TEXT in page and "Not coded yet" in page and "Accept" in page
    number = re.search(r'name="suggestion" value="(\d+)"', page)
    assert number
    accept = {"csrf": form_token(page, "csrf"), "suggestion": number.group(1), "stance": "supports"}
    coded = own.post(f"{CASE}/excerpts/{ref}/claims", headers={"HX-Request": "true"}, data=accept)
    assert coded.status_code == 200 and "Coded." in coded.text
    assert [c.excerpt for c in services.claims(location, actor=LOCAL_OWNER, excerpt=ref)] == [ref]
    log = services.audit_entries(location, actor=LOCAL_OWNER, limit=3)
    assert [(e.entity, e.actor) for e in log] == [("interview", "investigator"), ("excerpt", "investigator"),
                                                   ("claim", "analyst")]  # fmt: skip
    assert services.verify(location, actor=LOCAL_OWNER).report.ok


def test_an_analyst_may_not_add_records(own: TestClient) -> None:
    sign_in(own, "analyst")
    page = own.get(f"{CASE}/witnesses/W-004").text
    assert "Add an interview" not in page
    csrf = form_token(own.get(CASE).text, "csrf")
    answer = own.post(f"{CASE}/interviews", data={"csrf": csrf, "id": "I-099", "witness": "W-004",
                                                  "date": "2007", "country": "CN"})  # fmt: skip
    assert answer.status_code == 403
    assert own.get(f"{CASE}/unlock").status_code == 403


def test_two_people_unlocking_one_case_keep_their_own_sessions(own: TestClient, web_store: str) -> None:
    from fastapi.testclient import TestClient as Client

    other = Client(own.app, base_url="http://127.0.0.1", follow_redirects=False)  # a second browser, same server
    first = sign_in(own, "owner")
    second = sign_in(other, "investigator")
    for client, csrf in ((own, first), (other, second)):
        assert client.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    for client, csrf, ref in ((own, first, "I-020"), (other, second, "I-021")):  # the first still unlocked
        made = client.post(
            f"{CASE}/interviews",
            data={
                "csrf": csrf,
                "id": ref,
                "witness": "W-004",
                "date": "2007-01",
                "country": "China",
                "consent": "quote",
            },
        )
        assert made.status_code == 303, made.text
    assert {"I-020", "I-021"} <= {v.id for v in services.interviews(own.app.state.location, actor=LOCAL_OWNER)}  # type: ignore[attr-defined]


def test_signing_out_forgets_what_the_session_unlocked(own: TestClient) -> None:
    csrf = sign_in(own, "owner")
    assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    assert "Unlock the case to see it" not in own.get(f"{CASE}/witnesses/W-002").text
    assert own.post("/logout", data={"csrf": csrf}).status_code == 303
    sign_in(own, "owner")  # a new session: nothing unlocked in it
    assert "Unlock the case to see it" in own.get(f"{CASE}/witnesses/W-002").text


def test_any_worker_answers_for_a_session_it_did_not_see_start(own: TestClient) -> None:
    """Two apps over one store stand for two server workers: unlocking on one serves the other."""
    from fastapi.testclient import TestClient as Client

    from corroborate.web import create_app

    csrf = sign_in(own, "investigator")
    assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    location = own.app.state.location  # type: ignore[attr-defined]
    with Client(create_app(location), base_url="http://127.0.0.1", follow_redirects=False) as other:
        other.cookies.update(own.cookies)
        made = other.post(
            f"{CASE}/interviews",
            data={
                "csrf": csrf,
                "id": "I-030",
                "witness": "W-004",
                "date": "2007-01",
                "country": "China",
                "consent": "quote",
            },
        )
        assert made.status_code == 303, made.text
        csrf = sign_in(own, "analyst")  # an analyst's claims are signed with their own key, opened at sign-in
        other.cookies.update(own.cookies)
        page = other.get(f"{CASE}/excerpts/X-n25-facility-types").text
        number = re.search(r'name="suggestion" value="(\d+)"', page)
        assert number, "the coding assistant offers a suggestion"
        stance = re.search(r'<option value="(\w+)" selected', page)
        coded = other.post(f"{CASE}/excerpts/X-n25-facility-types/claims",
                           data={"csrf": csrf, "suggestion": number.group(1), "stance": stance.group(1) if stance
                                 else "supports"}, headers={"HX-Request": "true"})  # fmt: skip
        assert coded.status_code == 200 and 'class="error"' not in coded.text, coded.text
    assert services.verify(location, actor=LOCAL_OWNER).ok  # every claim signed, by a key the log trusts


def test_the_unlock_page_holds_back_a_guesser(own: TestClient) -> None:
    from corroborate.services import websessions

    csrf = sign_in(own, "investigator")
    for _ in range(websessions.MAX_FAILURES):
        assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": "a guess"}).status_code == 400
    held = own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE})
    assert held.status_code == 429 and int(held.headers["retry-after"]) > 0
    assert "too many failed unlock attempts" in held.text and "a guess" not in held.text
