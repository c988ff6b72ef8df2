"""The case's pages as each role sees them: what they show, what they leave out, and never a restricted
value for those who may not see identities."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webclient import password, restricted_strings, sign_in

from corroborate import services
from corroborate.ingest import read_casefile
from corroborate.services import Role, Secrets, grading
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"


def test_the_dashboard_counts_grades_and_activity(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("owner")
    page = client.get(CASE).text
    assert "North Korea" in page and "<dd>12</dd>" in page and "<dd>8</dd>" in page  # witnesses, origins
    assert "Grades of the propositions" in page and "established" in page
    assert "Open conflicts" in page and "Recent activity" in page


def test_the_dashboard_says_when_its_grades_are_from_before_the_latest_change(
    own: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(grading, "PROMPT", 0.0)  # as on a large case: grading again goes to the background
    monkeypatch.setattr(grading, "COOLDOWN", 1e9)  # and does not start during this test
    sign_in(own, "owner")
    page = own.get(CASE).text
    assert "Grades of the propositions" in page and "As graded at" not in page
    location = own.app.state.location  # type: ignore[attr-defined]
    owner = services.authenticate(location, "owner", password("owner"))
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    services.add_user(location, "newcomer", password("newcomer"), Role.viewer, actor=owner, secrets=secrets)
    page = own.get(CASE).text
    assert "Grades of the propositions" in page and "established" in page
    assert re.search(r"As graded at \d\d:\d\d:\d\d UTC: the case has changed since", page)


def test_the_dashboard_says_when_the_case_is_still_being_graded(
    own: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    release = threading.Event()
    real = grading.assess
    monkeypatch.setattr(grading, "assess", lambda *a, **k: release.wait(30) and real(*a, **k))
    monkeypatch.setattr(grading, "WAIT", 0.01)
    with sqlite3.connect(own.app.state.location) as db:  # type: ignore[attr-defined]
        db.execute("DELETE FROM case_grades")  # the copied store's kept grades, from earlier visits
    sign_in(own, "owner")
    page = own.get(CASE).text
    assert "The case is being graded for the first time" in page and "Open conflicts" not in page
    release.set()


def test_what_each_role_sees_on_the_dashboard(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("analyst")
    page = client.get(CASE).text
    assert "Grades of the propositions" in page and "Recent activity" not in page  # the log: owners, investigators
    assert f'href="{CASE}/witnesses"' in page


def test_a_viewer_sees_counts_but_no_witness(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("viewer")
    page = client.get(CASE).text
    assert "<dd>12</dd>" in page and "Grades" not in page and f'href="{CASE}/witnesses"' not in page
    for path in (f"{CASE}/witnesses", f"{CASE}/witnesses/W-001"):
        answer = client.get(path)
        assert answer.status_code == 403 and "may not" in answer.text, path


def test_witnesses_filter_and_page(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("analyst")
    page = client.get(f"{CASE}/witnesses", params={"origin": "청진"}).text
    assert re.findall(r'/witnesses/(W-\d+)"', page) == ["W-007"]
    page = client.get(f"{CASE}/witnesses", params={"from": "2006-11-30"}).text
    assert "W-005" in page and "W-010" not in page
    page = client.get(f"{CASE}/witnesses", params={"age": "not an age"}).text
    assert 'class="error"' in page
    page = client.get(f"{CASE}/witnesses/W-004").text
    assert "I-004" in page and "policy.crossers.imprisoned" in page and "Hoeryong" in page


def test_search_marks_what_it_found(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("editor")
    page = client.get(f"{CASE}/search", params={"q": "Chungjin"}).text
    assert "<mark>" in page and "result" in page


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_no_restricted_value_reaches_a_role_that_may_not_see_it(
    client: TestClient, signed_in: Callable[[str], str], reference_case_path: Path, role: str
) -> None:
    """Every page the role can reach by following links, and a search for every restricted value."""
    case = read_casefile(reference_case_path)
    values = {v for w in case.witnesses if w.restricted for v in restricted_strings(w.restricted.model_dump())}
    assert values
    signed_in(role)
    seen: set[str] = set()
    todo = ["/", CASE] + [f"{CASE}/search?q={v}" for v in values]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        answer = client.get(path, follow_redirects=True)
        shown = answer.text
        if "/search?" in path:  # the search box repeats what the user typed: look at what was found
            shown = shown.split('<ol class="hits">')[-1].split("</ol>")[0] if "hits" in shown else ""
        for value in values:
            assert value not in shown, (path, "a restricted value")
        todo += [link for link in re.findall(r'href="(/[^"]*)"', answer.text) if not link.startswith("/static/")]
    assert len(seen) > 20


def test_the_identity_is_shown_only_to_who_may_see_it_once_unlocked(own: TestClient, reference_case_path: Path) -> None:
    from webclient import sign_in

    from support import PASSPHRASE

    witness = next(w for w in read_casefile(reference_case_path).witnesses if w.restricted and w.restricted.name)
    path = f"{CASE}/witnesses/{witness.id}"
    for role in ("analyst", "editor"):
        sign_in(own, role)
        page = own.get(path).text
        assert "Restricted identity" not in page and witness.restricted.name not in page, role
    csrf = sign_in(own, "investigator")
    locked = own.get(path).text
    assert "Unlock the case to see it" in locked and witness.restricted.name not in locked
    assert own.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    opened = own.get(path).text
    assert "Restricted identity" in opened and witness.restricted.name in opened
