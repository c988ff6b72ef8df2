"""Signing in and out of the workbench: cookies, form tokens, guessing slowed down, headers on every answer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from webclient import form_token, password, sign_in

from corroborate.services import websessions
from corroborate.web import create_app

CASE = "/cases/border-crossers-2007"


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    for path in ("/", CASE, f"{CASE}/witnesses", f"{CASE}/witnesses/W-001", f"{CASE}/search?q=guards"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path


def test_signing_in_sets_a_strict_http_only_cookie(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200 and "Sign in" in page.text
    answer = client.post("/login", data={"username": "analyst", "password": password("analyst"),
                                         "form_token": form_token(page.text, "form_token"), "next": CASE})  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == CASE
    cookie = next(h for k, h in answer.headers.multi_items() if k == "set-cookie" and "corroborate_session" in h)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert client.get(CASE).status_code == 200


def test_sign_in_goes_only_to_this_site(client: TestClient) -> None:
    page = client.get("/login")
    answer = client.post("/login", data={"username": "analyst", "password": password("analyst"),
                                         "form_token": form_token(page.text, "form_token"),
                                         "next": "//evil.example/steal"})  # fmt: skip
    assert answer.headers["location"] == "/"


def test_a_sign_in_form_from_elsewhere_is_refused(client: TestClient) -> None:
    client.get("/login")
    forged = {"username": "analyst", "password": password("analyst"), "form_token": "forged"}
    answer = client.post("/login", data=forged)
    assert answer.status_code == 400 and "expired" in answer.text and "corroborate_session" not in str(answer.headers)


def test_a_wrong_password_says_nothing_about_which_part_was_wrong(client: TestClient) -> None:
    page = client.get("/login")
    answer = client.post("/login", data={"username": "analyst", "password": "not the password",
                                         "form_token": form_token(page.text, "form_token")})  # fmt: skip
    assert answer.status_code == 401 and "unknown user or wrong password" in answer.text.lower()


def test_guessing_is_slowed_down(own: TestClient) -> None:
    client = own  # a copy: failures are counted per address, and every test client has the same one
    for _ in range(websessions.MAX_FAILURES):
        page = client.get("/login")
        client.post("/login", data={"username": "editor", "password": "guess",
                                    "form_token": form_token(page.text, "form_token")})  # fmt: skip
    page = client.get("/login")
    answer = client.post("/login", data={"username": "editor", "password": password("editor"),
                                         "form_token": form_token(page.text, "form_token")})  # fmt: skip
    assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0
    assert "Too many failed sign-ins; try again in 15 minutes." in answer.text


def test_signing_out_needs_the_form_token_and_ends_the_session(client: TestClient) -> None:
    csrf = sign_in(client, "investigator")
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 400
    assert client.get(CASE).status_code == 200  # a forged form changed nothing
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    assert client.get(CASE).status_code == 303


def test_signing_out_everywhere(web_store: str, client: TestClient, signed_in: Callable[[str], str]) -> None:
    with TestClient(create_app(web_store), base_url="http://127.0.0.1", follow_redirects=False) as other:
        sign_in(other, "owner")
        csrf = signed_in("owner")
        assert client.post("/logout/everywhere", data={"csrf": csrf}).status_code == 303
        assert other.get(CASE).status_code == 303 and client.get(CASE).status_code == 303


def test_every_answer_carries_the_security_headers(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("owner")
    for path in ("/login", CASE, f"{CASE}/witnesses", "/static/app.css", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, path
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    assert client.get(CASE).headers["cache-control"] == "no-store"
