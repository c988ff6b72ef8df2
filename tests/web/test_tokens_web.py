"""The API tokens page: a token shown once, listed without its value, revoked; no role above the user's."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate.services import apitokens


def test_a_token_made_in_the_browser_is_shown_once_and_revoked(own: TestClient) -> None:
    csrf = sign_in(own, "investigator")
    page = own.get("/tokens")
    assert page.status_code == 200 and "You have no tokens yet." in page.text
    options = re.findall(r'<option value="(\w+)"', page.text.split('id="token-role"', 1)[1].split("</select>")[0])
    assert options == ["investigator", "analyst", "viewer"]  # no owner's or editor's token for an investigator
    made = own.post("/tokens", data={"csrf": csrf, "name": "intake form", "case": "border-crossers-2007",
                                     "role": "analyst", "days": "30"})  # fmt: skip
    assert made.status_code == 200 and "shown this once" in made.text
    token = re.search(r'value="(cbt_[^"]+)"', made.text)
    assert token is not None
    caller = apitokens.caller_for(own.app.state.location, token.group(1))  # type: ignore[attr-defined]
    assert caller is not None and caller.actor.name == "investigator"
    again = own.get("/tokens")
    assert "intake form" in again.text and token.group(1) not in again.text
    answer = own.get("/api/v1/cases", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert answer.status_code == 200 and answer.json() == [{"id": "border-crossers-2007", "role": "analyst"}]
    number = re.search(r'action="/tokens/(\d+)/revoke"', again.text)
    assert number is not None
    assert own.post(f"/tokens/{number.group(1)}/revoke", data={"csrf": "forged"}).status_code == 400
    assert own.post(f"/tokens/{number.group(1)}/revoke", data={"csrf": csrf}).status_code == 303
    assert own.get("/api/v1/cases", headers={"Authorization": f"Bearer {token.group(1)}"}).status_code == 401
    assert "revoked" in own.get("/tokens").text


def test_a_token_above_the_users_role_is_refused_with_the_reason(own: TestClient) -> None:
    csrf = sign_in(own, "analyst")
    refused = own.post("/tokens", data={"csrf": csrf, "name": "x", "case": "border-crossers-2007", "role": "owner"})
    assert refused.status_code == 400 and "cannot be owner" in refused.text and "cbt_" not in refused.text


def test_the_tokens_page_needs_signing_in(client: TestClient) -> None:
    assert client.get("/tokens").status_code == 303
