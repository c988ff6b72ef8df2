"""Interviews, documents and their evidence files in the browser; the text viewer, where a passage selected
in a transcript becomes an excerpt that keeps its place in the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets, records
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"
# A transcript with Windows line ends, Hangul and a character outside the BMP (one code point, two UTF-16 units).
TRANSCRIPT = (
    "Q: Where were you held?\r\nA: 온성 집결소. 🙏 The guards beat us there every night.\r\nQ: For how long?\r\n"
)


@pytest.fixture
def transcript(own: TestClient, tmp_path: Path) -> str:
    """The copy's interview I-001 with a transcript attached; the attachment's id."""
    path = tmp_path / "I-001 transcript.txt"
    path.write_bytes(TRANSCRIPT.encode("utf-8"))
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "sessions")
    info = services.attach(own.app.state.location, "I-001", path, actor=LOCAL_OWNER, secrets=secrets)  # type: ignore[attr-defined]
    return info.ref


def _unlock(client: TestClient, role: str) -> str:
    csrf = sign_in(client, role)
    assert client.post(f"{CASE}/unlock", data={"csrf": csrf, "passphrase": PASSPHRASE}).status_code == 303
    return csrf


def test_a_passage_selected_in_a_transcript_becomes_an_anchored_excerpt(own: TestClient, transcript: str) -> None:
    csrf = sign_in(own, "investigator")
    page = own.get(f"{CASE}/interviews/I-001").text
    assert "Unlock the case to see them" in page and "transcript.txt" not in page  # sealed until unlocked
    csrf = _unlock(own, "investigator")
    page = own.get(f"{CASE}/interviews/I-001").text
    assert "I-001 transcript.txt" in page and f"{CASE}/attachments/{transcript}/text" in page
    viewer = own.get(f"{CASE}/attachments/{transcript}/text")
    assert viewer.status_code == 200 and "온성 집결소" in viewer.text and "\r" not in viewer.text
    shown = TRANSCRIPT.replace("\r\n", "\n")
    start = shown.index("The guards")
    end = shown.index("night.") + len("night.")
    made = own.post(f"{CASE}/attachments/{transcript}/excerpts",
                    data={"csrf": csrf, "start": str(start - 1), "end": str(end + 1), "mode": "witnessed"})  # fmt: skip
    assert made.status_code == 303, made.text
    ref = made.headers["location"].rsplit("/", 1)[1]
    stored = records.get_record(own.app.state.location, "excerpt", ref, actor=LOCAL_OWNER)  # type: ignore[attr-defined]
    assert stored.item.text == "The guards beat us there every night."  # cut by the server, spaces around dropped
    assert stored.item.source == "I-001" and stored.item.mode == "witnessed"
    assert (stored.item.anchor.attachment, stored.item.anchor.start, stored.item.anchor.end) == (transcript, start, end)
    assert stored.item.anchor.page is None
    marked = own.get(f"{CASE}/attachments/{transcript}/text").text
    assert re.search(rf'<mark data-excerpt="{ref}"[^>]*>The guards beat us there every night\.</mark>', marked)
    empty = own.post(f"{CASE}/attachments/{transcript}/excerpts",
                     data={"csrf": csrf, "start": "3", "end": "3", "mode": "witnessed"})  # fmt: skip
    assert empty.status_code == 400 and "Select a passage" in empty.text
    outside = own.post(f"{CASE}/attachments/{transcript}/excerpts",
                       data={"csrf": csrf, "start": "0", "end": "100000", "mode": "witnessed"})  # fmt: skip
    assert outside.status_code == 400
    forged = own.post(f"{CASE}/attachments/{transcript}/excerpts",
                      data={"csrf": "forged", "start": "0", "end": "5", "mode": "witnessed"})  # fmt: skip
    assert forged.status_code == 400


def test_an_analyst_sees_sources_but_never_their_files(own: TestClient, transcript: str) -> None:
    sign_in(own, "analyst")
    listing = own.get(f"{CASE}/interviews").text
    assert f'href="{CASE}/interviews/I-001"' in listing and "W-0" in listing
    page = own.get(f"{CASE}/interviews/I-001").text
    assert "only owners and investigators see them" in page and "transcript" not in page
    assert own.get(f"{CASE}/attachments/{transcript}/text").status_code == 403
    documents = own.get(f"{CASE}/documents").text
    first = re.search(rf'href="{CASE}/documents/([^"]+)"', documents)
    assert first, "the reference case has documents"
    assert own.get(f"{CASE}/documents/{first.group(1)}").status_code == 200
    sign_in(own, "viewer")
    assert own.get(f"{CASE}/interviews").status_code == 403 and own.get(f"{CASE}/documents").status_code == 403


def test_an_anchor_must_name_a_file_of_the_excerpts_own_source(
    own: TestClient, transcript: str, tmp_path: Path
) -> None:
    from corroborate.domain import Anchor, Excerpt
    from corroborate.errors import RecordInvalid

    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path / "s")
    location = own.app.state.location  # type: ignore[attr-defined]
    for source, anchor, message in (
        ("I-002", Anchor(attachment=transcript, start=0, end=4), "belongs to I-001, not to I-002"),
        ("I-001", Anchor(attachment="A-999", start=0, end=4), "attachment A-999 is not in the case"),
    ):
        excerpt = Excerpt(id="X-anchor", source=source, mode="witnessed", text="Q: W", anchor=anchor)
        with pytest.raises(RecordInvalid, match=message):
            records.create_record(location, "excerpt", excerpt, actor=LOCAL_OWNER, secrets=secrets)
