"""Propositions, excerpts and the coding panel: grades with their working, and an accepted suggestion that
changes a proposition's grade on the page (with htmx and without it)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER

CASE = "/cases/border-crossers-2007"
EXCERPT = "X-n12-one-to-five-years"  # W-003's: the assistant proposes propositions W-003 does not support yet


def _witnesses(page: str) -> int:
    found = re.search(r'id="witness-count">(\d+)<', page)
    assert found, "no witness count on the page"
    return int(found.group(1))


def test_propositions_and_their_working(client: TestClient) -> None:
    sign_in(client, "editor")
    page = client.get(f"{CASE}/propositions").text
    assert "policy.crossers.imprisoned" in page and "established" in page
    page = client.get(f"{CASE}/propositions/policy.crossers.imprisoned").text
    assert _witnesses(page) == 9 and "Who says what" in page and "kyohwaso" in page and "The working" in page
    page = client.get(f"{CASE}/propositions/policy.crossers.lenient_before_2004").text
    assert "Where sources disagree" in page and "sentence months" in page


def test_who_may_see_and_code(client: TestClient) -> None:
    sign_in(client, "editor")
    page = client.get(f"{CASE}/excerpts/{EXCERPT}").text
    assert "Claims coding this excerpt" in page and "Accept" not in page  # editors do not code
    sign_in(client, "viewer")
    assert client.get(f"{CASE}/propositions").status_code == 403
    assert client.get(f"{CASE}/excerpts/{EXCERPT}").status_code == 403


def _accept(client: TestClient, key: str, *, htmx: bool) -> tuple[int, str]:
    page = client.get(f"{CASE}/excerpts/{EXCERPT}").text
    form = page.split(f"<code>{key}</code>")[0].rsplit("<form", 1)[1]
    number = re.search(r'name="suggestion" value="(\d+)"', form)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert number and csrf
    headers = {"HX-Request": "true"} if htmx else {}
    answer = client.post(f"{CASE}/excerpts/{EXCERPT}/claims", headers=headers,
                         data={"csrf": csrf.group(1), "suggestion": number.group(1), "stance": "supports"})  # fmt: skip
    return answer.status_code, answer.text


@pytest.mark.parametrize("htmx", [True, False])
def test_accepting_a_suggestion_codes_it_and_regrades(own: TestClient, htmx: bool) -> None:
    key = "policy.crossers.warnings_repeated"
    sign_in(own, "analyst")
    before = _witnesses(own.get(f"{CASE}/propositions/{key}").text)
    status, body = _accept(own, key, htmx=htmx)
    if htmx:  # the panel alone comes back, saying what the proposition is now
        assert status == 200 and body.startswith('<section id="coding"') and "Coded." in body
        assert f'<span class="coded-witnesses">{before + 1}</span>' in body
    else:
        assert status == 303
    after = own.get(f"{CASE}/propositions/{key}").text
    assert _witnesses(after) == before + 1
    listed = services.claims(own.app.state.location, actor=LOCAL_OWNER, excerpt=EXCERPT)
    coded = [c for c in listed if c.proposition == key]
    assert len(coded) == 1 and coded[0].id.startswith(f"C-{EXCERPT}-")
    assert services.verify(own.app.state.location, actor=LOCAL_OWNER).report.ok


def test_a_forged_form_codes_nothing(own: TestClient) -> None:
    sign_in(own, "analyst")
    answer = own.post(f"{CASE}/excerpts/{EXCERPT}/claims", data={"csrf": "forged", "suggestion": "1",
                                                                 "stance": "supports"})  # fmt: skip
    assert answer.status_code == 400
    listed = services.claims(own.app.state.location, actor=LOCAL_OWNER, excerpt=EXCERPT)
    assert len(listed) == 2
    set_aside = own.get(f"{CASE}/excerpts/{EXCERPT}/suggestions/1/set-aside")
    assert set_aside.status_code == 200 and set_aside.text == ""  # nothing stored: it only leaves the panel
