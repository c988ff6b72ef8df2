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
