"""Evidence files as the services take them in and give them back: verified, role-checked, carried, rotated."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import (
    Forbidden,
    OutputExists,
    RecordNotFound,
    SourceHasAttachments,
    UserError,
)
from corroborate.ingest import parse_casefile
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets
from corroborate.store import attachments as stored

MINI = """\
version: 1
case: {id: mini, title: Evidence files}
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 40, origin: Musan}
    restricted: {name: Pak Mi-ran}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: CN}
  - {id: I-002, witness: W-001, date: 2006-12-03, country: CN}
documents:
  - {id: D-001, kind: news, title: A report, date: 2008-01-01}
"""


@pytest.fixture
def store(store_location: str, secrets: Secrets) -> str:
    services.import_case(store_location, parse_casefile(MINI), actor=LOCAL_OWNER, secrets=secrets)
    return store_location


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(stored, "CHUNK_BYTES", 1024)
    return 1024


def _file(tmp_path: Path, name: str, size: int, seed: bytes = b"") -> tuple[Path, bytes]:
    data = (seed + os.urandom(size))[:size]
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def test_a_multi_chunk_file_round_trips_with_its_hash_and_size_recorded(
    store: str, secrets: Secrets, tmp_path: Path, small_chunks: int
) -> None:
    path, data = _file(tmp_path, "recording.mp3", 10 * small_chunks + 17)
    seen: list[tuple[int, int]] = []
    info = services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets, note="first session",
                           progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert (info.ref, info.source, info.source_kind, info.case) == ("A-001", "I-001", "interview", "mini")
    assert info.sha256 == hashlib.sha256(data).hexdigest() and info.size == len(data)
    assert (info.media_type, info.filename, info.restricted, info.added_by) == (
        "audio/mpeg", "recording.mp3", True, "local")  # fmt: skip
    assert len(seen) == 11 and seen[-1] == (len(data), len(data))
    out = tmp_path / "got.mp3"
    got = services.get_attachment(store, "A-001", out, actor=LOCAL_OWNER, secrets=secrets)
    assert out.read_bytes() == data and got == info
    assert out.stat().st_mode & 0o077 == 0  # evidence is readable by its owner only
    assert services.list_attachments(store, actor=LOCAL_OWNER, secrets=secrets) == [info]
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_default_chunks_a_file_over_one_chunk(store: str, secrets: Secrets, tmp_path: Path) -> None:
    path, data = _file(tmp_path, "scan.pdf", stored.CHUNK_BYTES + 1)
    info = services.attach(store, "D-001", path, actor=LOCAL_OWNER, secrets=secrets, media_type="Application/PDF")
    assert (info.source_kind, info.media_type, info.note) == ("document", "application/pdf", None)
    services.get_attachment(store, info.ref, tmp_path / "back.pdf", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back.pdf").read_bytes() == data


def test_empty_files_and_refs_count_up(store: str, secrets: Secrets, tmp_path: Path) -> None:
    empty, _ = _file(tmp_path, "empty.txt", 0)
    first = services.attach(store, "I-001", empty, actor=LOCAL_OWNER, secrets=secrets)
    second = services.attach(store, "I-002", empty, actor=LOCAL_OWNER, secrets=secrets)
    assert (first.ref, second.ref, first.size, first.sha256) == ("A-001", "A-002", 0, hashlib.sha256().hexdigest())
    services.get_attachment(store, "A-002", tmp_path / "back.txt", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back.txt").read_bytes() == b""
    listed = services.list_attachments(store, actor=LOCAL_OWNER, secrets=secrets, source="I-002")
    assert [a.ref for a in listed] == ["A-002"]


def test_mistakes_are_clear_and_write_nothing(store: str, secrets: Secrets, tmp_path: Path) -> None:
    path, _ = _file(tmp_path, "photo.jpg", 100)
    before = services.audit_entries(store, actor=LOCAL_OWNER)
    with pytest.raises(RecordNotFound, match="no interview or document 'I-999' in case 'mini'"):
        services.attach(store, "I-999", path, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(RecordNotFound) as hidden:  # text of another shape may be a name typed in the wrong place
        services.attach(store, "Pak Mi-ran", path, actor=LOCAL_OWNER, secrets=secrets)
    assert "Pak" not in str(hidden.value)
    with pytest.raises(UserError, match="cannot read"):
        services.attach(store, "I-001", tmp_path / "missing.jpg", actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(UserError, match="not a file"):
        services.attach(store, "I-001", tmp_path, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(UserError, match="media type"):
        services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets, media_type="a photo")
    assert services.audit_entries(store, actor=LOCAL_OWNER) == before
    assert services.list_attachments(store, actor=LOCAL_OWNER, secrets=secrets) == []
    with pytest.raises(RecordNotFound, match="no attachment 'A-001' in case 'mini'"):
        services.get_attachment(store, "A-001", tmp_path / "out.jpg", actor=LOCAL_OWNER, secrets=secrets)
    assert not (tmp_path / "out.jpg").exists()


def test_an_existing_output_is_replaced_only_with_force(store: str, secrets: Secrets, tmp_path: Path) -> None:
    path, data = _file(tmp_path, "photo.jpg", 100)
    services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets)
    out = tmp_path / "out.jpg"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputExists):
        services.get_attachment(store, "A-001", out, actor=LOCAL_OWNER, secrets=secrets)
    assert out.read_bytes() == b"keep me"
    services.get_attachment(store, "A-001", out, actor=LOCAL_OWNER, secrets=secrets, force=True)
    assert out.read_bytes() == data


@pytest.mark.parametrize("role", [Role.analyst, Role.editor, Role.viewer])
def test_roles_that_may_not_see_identities_may_not_attach_or_read(
    store: str, secrets: Secrets, tmp_path: Path, role: Role
) -> None:
    path, _ = _file(tmp_path, "photo.jpg", 100)
    services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets)
    actor = Actor("someone", {"mini": role})
    with pytest.raises(Forbidden):
        services.attach(store, "I-001", path, actor=actor, secrets=secrets)
    with pytest.raises(Forbidden):
        services.list_attachments(store, actor=actor, secrets=secrets)
    with pytest.raises(Forbidden):
        services.get_attachment(store, "A-001", tmp_path / "out.jpg", actor=actor, secrets=secrets)
    assert not (tmp_path / "out.jpg").exists()
    investigator = Actor("ivy", {"mini": Role.investigator})
    assert [a.ref for a in services.list_attachments(store, actor=investigator, secrets=secrets)] == ["A-001"]


def test_replacing_the_case_carries_its_attachments(
    store: str, secrets: Secrets, tmp_path: Path, small_chunks: int
) -> None:
    audio, audio_data = _file(tmp_path, "audio.ogg", 3 * small_chunks)
    scan, scan_data = _file(tmp_path, "scan.png", 10)
    services.attach(store, "I-002", audio, actor=LOCAL_OWNER, secrets=secrets, note="tape 1")
    services.attach(store, "D-001", scan, actor=LOCAL_OWNER, secrets=secrets)
    before = services.list_attachments(store, actor=LOCAL_OWNER, secrets=secrets)
    case = parse_casefile(MINI)
    retitled = case.model_copy(update={"case": case.case.model_copy(update={"title": "Renamed"}),
                                       "interviews": list(reversed(case.interviews))})  # fmt: skip
    services.import_case(store, retitled, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert services.list_attachments(store, actor=LOCAL_OWNER, secrets=secrets) == before
    services.get_attachment(store, "A-001", tmp_path / "a", actor=LOCAL_OWNER, secrets=secrets)
    services.get_attachment(store, "A-002", tmp_path / "b", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "a").read_bytes() == audio_data and (tmp_path / "b").read_bytes() == scan_data
    assert services.verify(store, actor=LOCAL_OWNER).ok
    carried = sorted(services.audit_entries(store, actor=LOCAL_OWNER, entity="attachment"), key=lambda e: e.seq)
    assert [(e.entity_id, e.action) for e in carried][-2:] == [("mini/A-001", "carry"), ("mini/A-002", "carry")]
    assert services.attach(store, "I-001", scan, actor=LOCAL_OWNER, secrets=secrets).ref == "A-003"


def test_a_replacement_that_drops_a_source_with_attachments_is_refused(
    store: str, secrets: Secrets, tmp_path: Path
) -> None:
    scan, data = _file(tmp_path, "scan.png", 10)
    services.attach(store, "I-002", scan, actor=LOCAL_OWNER, secrets=secrets)
    case = parse_casefile(MINI)
    without = case.model_copy(update={"interviews": case.interviews[:1]})
    with pytest.raises(SourceHasAttachments, match=r"I-002: A-001.*nothing was written"):
        services.import_case(store, without, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert services.summary(store, actor=LOCAL_OWNER).interviews == 2
    services.get_attachment(store, "A-001", tmp_path / "back", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back").read_bytes() == data
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_rotating_the_data_key_rewraps_attachment_keys(
    store: str, secrets: Secrets, tmp_path: Path, small_chunks: int
) -> None:
    path, data = _file(tmp_path, "audio.ogg", 2 * small_chunks + 5)
    services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets)
    moved = services.rotate_key(store, actor=LOCAL_OWNER, secrets=secrets, batch=1)
    assert moved == 2  # the identity, then the attachment's key
    services.get_attachment(store, "A-001", tmp_path / "back", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back").read_bytes() == data
    rekeyed = sorted(services.audit_entries(store, actor=LOCAL_OWNER, entity="attachment"), key=lambda e: e.seq)
    assert [e.action for e in rekeyed] == ["create", "rekey"]
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_an_excerpt_cut_from_a_transcript_says_what_the_file_says_there(
    store: str, secrets: Secrets, tmp_path: Path
) -> None:
    from corroborate.errors import PassageInvalid
    from corroborate.services import attachments

    text = "Q: When?\n  The guards said in January 2007 that a second crossing means prison.  \nQ: Who?"
    path = tmp_path / "transcript.txt"
    path.write_text(text, encoding="utf-8")
    ref = services.attach(store, "I-001", path, actor=LOCAL_OWNER, secrets=secrets).ref
    start, end = text.index("  The guards"), text.index("\nQ: Who")  # spaces on both sides are left out
    change, made = attachments.excerpt_from_passage(store, ref, excerpt_id="X-001", page=1, start=start, end=end,
                                                    mode="heard_official", quote=True, actor=LOCAL_OWNER,
                                                    secrets=secrets)  # fmt: skip
    assert made.text == "The guards said in January 2007 that a second crossing means prison."
    assert made.source == "I-001" and made.anchor is not None and made.pages is None and made.quote
    assert text[made.anchor.start : made.anchor.end] == made.text and made.anchor.page is None
    assert change.version == 1
    assert services.records.get_record(store, "excerpt", "X-001", actor=LOCAL_OWNER).item == made
    again = {"excerpt_id": "X-002", "mode": "witnessed", "quote": False, "secrets": secrets}
    for page, first, last in ((1, 3, 3), (1, 8, 11), (2, 0, 5), (1, 0, len(text) + 1)):  # empty, blank, no page
        with pytest.raises(PassageInvalid):
            attachments.excerpt_from_passage(store, ref, page=page, start=first, end=last, actor=LOCAL_OWNER, **again)
    with pytest.raises(Forbidden):
        analyst = Actor("ana", {"mini": Role.analyst})
        attachments.excerpt_from_passage(store, ref, page=1, start=start, end=end, actor=analyst, **again)
    assert [e.id for e in services.excerpts(store, actor=LOCAL_OWNER, case="mini")] == ["X-001"]
