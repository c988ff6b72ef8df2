"""Publishing from the browser: the checks run on the finished briefing, a drafted paragraph that names a
witness blocks publication with the reason and writes nothing, and a clean briefing is published."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets, keychanges
from corroborate.web import create_app
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"
OUTLINE = Path(__file__).resolve().parents[2] / "examples" / "border-crossers-2007" / "briefing.yaml"
PAGE = f"{CASE}/publication/briefing"


@pytest.fixture
def publishing(web_store: str, tmp_path: Path) -> Iterator[TestClient]:
    copy = tmp_path / "copy.db"
    shutil.copyfile(web_store, copy)
    app = create_app(str(copy), briefings=[OUTLINE], publish_dir=tmp_path / "published")
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        yield client


def _unlocked_owner(client: TestClient) -> str:
    csrf = sign_in(client, "owner")
    assert client.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    return csrf


def test_a_paragraph_naming_a_witness_is_blocked_and_a_clean_briefing_published(
    publishing: TestClient, tmp_path: Path
) -> None:
    client = publishing
    csrf = _unlocked_owner(client)
    listing = client.get(f"{CASE}/publication").text
    assert f'href="{PAGE}"' in listing and "Nothing has been published" in listing
    page = client.get(PAGE).text
    assert "Harsher punishment of North Korean border crossers" in page and 'name="paragraph"' in page
    location = client.app.state.location  # type: ignore[attr-defined]
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    names = [i.name for i in services.identities(location, actor=LOCAL_OWNER, secrets=secrets).values() if i.name]
    assert names, "the reference case plants invented identities"
    draft = {"csrf": csrf, "section": "0", "paragraph": f"We met {names[0]} in Yanji in 2006.", "do": "publish"}
    blocked = client.post(PAGE, data=draft)
    assert blocked.status_code == 409, blocked.text
    assert "Publication blocked: nothing was written." in blocked.text and "leak" in blocked.text
    alert = blocked.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert names[0] not in alert  # the reason names the witness and the field, never the value
    assert not (tmp_path / "published").exists()
    checked = client.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "", "do": "check"})
    assert checked.status_code == 200 and "Every disclosure check passed." in checked.text
    done = client.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "", "do": "publish"})
    assert done.status_code == 200 and "Published." in done.text
    assert sorted(p.name for p in (tmp_path / "published" / "border-crossers-2007").iterdir()) == [
        "briefing.html", "briefing.pdf"]  # fmt: skip
    pdf = client.get(f"{CASE}/publication/files/briefing.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers[
        "content-disposition"]  # fmt: skip
    assert client.get(f"{CASE}/publication/files/..%2Fcopy.db").status_code in (400, 404)


def test_who_may_publish_and_what_a_locked_case_says(publishing: TestClient) -> None:
    client = publishing
    for role in ("analyst", "viewer", "investigator"):
        sign_in(client, role)
        assert client.get(f"{CASE}/publication").status_code == 403, role
    csrf = sign_in(client, "owner")
    locked = client.post(PAGE, data={"csrf": csrf, "do": "check"})
    assert locked.status_code == 403 and "unlock the case first" in locked.text
    assert client.post(PAGE, data={"csrf": "forged", "do": "check"}).status_code == 400
    assert client.get(f"{CASE}/publication/nonsense").status_code == 400
    csrf = sign_in(client, "editor")  # an editor checks with the case's scan key, which an owner must open
    answer = client.post(PAGE, data={"csrf": csrf, "do": "check"})
    assert answer.status_code == 400 and "scan key" in answer.text


def test_an_owner_opens_the_scan_key_for_editors_who_then_check_blind(publishing: TestClient) -> None:
    client = publishing
    csrf = sign_in(client, "owner")
    opened = client.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE, "editors": "yes"})
    assert opened.status_code == 303
    csrf = sign_in(client, "editor")
    checked = client.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "", "do": "check"})
    assert checked.status_code == 200 and "Every disclosure check passed." in checked.text
    location = client.app.state.location  # type: ignore[attr-defined]
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=Path(location).parent / "s")
    name = next(i.name for i in services.identities(location, actor=LOCAL_OWNER, secrets=secrets).values() if i.name)
    blocked = client.post(PAGE, data={"csrf": csrf, "section": "1", "paragraph": f"{name} told us.", "do": "check"})
    assert blocked.status_code == 200 and "would block publication" in blocked.text
    alert = blocked.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "restricted value" in alert and name not in alert and "W-0" not in alert  # blind: not whose or what


def test_the_editors_scan_key_serves_every_worker_of_one_server_and_no_other(web_store: str, tmp_path: Path) -> None:
    """Two apps with one server key stand for two workers of one `corroborate serve`: an owner's unlock on one
    lets an editor check on the other. A server with another key (another run) finds nothing it can open."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(web_store, copy)
    shared = b"k" * 32

    def app(key: bytes) -> TestClient:
        made = create_app(str(copy), briefings=[OUTLINE], server_key=key)
        return TestClient(made, base_url="http://127.0.0.1", follow_redirects=False)

    with app(shared) as first, app(shared) as second, app(b"o" * 32) as other:
        csrf = sign_in(first, "owner")
        assert first.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE,
                                                  "editors": "yes"}).status_code == 303  # fmt: skip
        csrf = sign_in(second, "editor")
        checked = second.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "", "do": "check"})
        assert checked.status_code == 200 and "Every disclosure check passed." in checked.text
        csrf = sign_in(other, "editor")
        refused = other.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "", "do": "check"})
        assert refused.status_code == 400 and "scan key" in refused.text
    with sqlite3.connect(copy) as db:  # the store holds the scan key sealed, never in the clear
        sealed = db.execute("SELECT sealed FROM editor_scan_keys").fetchone()[0]
    scan = keychanges.open_scan_key(str(copy), actor=LOCAL_OWNER, passphrase=PASSPHRASE, case=CASE.split("/")[-1])
    assert scan not in sealed and len(sealed) == 12 + len(scan) + 16


def test_a_preview_is_handed_out_only_when_every_check_passes(publishing: TestClient, tmp_path: Path) -> None:
    client = publishing
    csrf = _unlocked_owner(client)
    shown = client.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": "A new paragraph.", "do": "preview"})
    assert shown.status_code == 200 and "A new paragraph." in shown.text and "<html" in shown.text
    policy = shown.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script" not in policy  # its own style, and nothing else
    location = client.app.state.location  # type: ignore[attr-defined]
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    name = next(i.name for i in services.identities(location, actor=LOCAL_OWNER, secrets=secrets).values() if i.name)
    refused = client.post(PAGE, data={"csrf": csrf, "section": "0", "paragraph": f"{name}.", "do": "preview"})
    assert "would block publication" in refused.text and "<h1>" in refused.text  # the workbench's page, no preview
    assert refused.headers["content-security-policy"].startswith("default-src 'self'")
