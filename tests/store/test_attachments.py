"""Attacks on stored attachments (the attacker can write the database, not unlock the case), and what they cost.

Each test first does what an attacker or a failing disk would do to the rows,
then shows that `attachment get` refuses with a clear error and leaves no
file, and that `audit verify` names what it can see without the case key.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from corroborate import services
from corroborate.errors import AttachmentDamaged
from corroborate.ingest import parse_casefile
from corroborate.services import LOCAL_OWNER, Action, Secrets
from corroborate.services.backups import backup, restore
from corroborate.services.cases import case_write
from corroborate.store import AuditWriter, open_store, truncate_wal
from corroborate.store import attachments as stored
from corroborate.store import backup as store_backup
from corroborate.store.schema import AttachmentChunkRow, AttachmentRow
from corroborate.store.writer import delete_case
from support import EVIDENCE_CASEFILE

CHUNK = 1024


@pytest.fixture
def store(store_location: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(stored, "CHUNK_BYTES", CHUNK)
    services.import_case(store_location, parse_casefile(EVIDENCE_CASEFILE), actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def _attach(store: str, secrets: Secrets, tmp_path: Path, size: int, name: str = "photo.jpg") -> bytes:
    data = os.urandom(size)
    (tmp_path / name).write_bytes(data)
    services.attach(store, "I-001", tmp_path / name, actor=LOCAL_OWNER, secrets=secrets)
    return data


def _sql(store: str, statement: str, **params: object) -> None:
    """What someone who can write the database does: change rows, no key needed."""
    with open_store(store) as s, s.transaction(write=True) as session:
        session.execute(text(statement), params)


def _chunk(store: str, ref: str, n: int) -> bytes:
    with open_store(store) as s, s.transaction() as session:
        pk = select(AttachmentRow.pk).where(AttachmentRow.ref == ref).scalar_subquery()
        sealed = session.scalar(
            select(AttachmentChunkRow.sealed).where(AttachmentChunkRow.attachment_pk == pk, AttachmentChunkRow.n == n)
        )
        assert sealed is not None
        return bytes(sealed)


def _set_chunk(store: str, ref: str, n: int, sealed: bytes) -> None:
    _sql(store, "UPDATE attachment_chunks SET sealed = :sealed WHERE n = :n AND attachment_pk = "
                "(SELECT pk FROM attachments WHERE ref = :ref)", sealed=sealed, n=n, ref=ref)  # fmt: skip


def _refused(store: str, secrets: Secrets, tmp_path: Path, ref: str, reason: str) -> None:
    """`attachment get` fails with AttachmentDamaged naming the attachment, and leaves nothing behind."""
    out = tmp_path / "out" / "evidence.jpg"
    out.parent.mkdir(exist_ok=True)
    with pytest.raises(AttachmentDamaged, match=reason) as caught:
        services.get_attachment(store, ref, out, actor=LOCAL_OWNER, secrets=secrets)
    assert caught.value.ref == ref and f"attachment {ref} of case 'mini' is damaged" in str(caught.value)
    assert list(out.parent.iterdir()) == []  # no output, no partial file


def _problems(store: str) -> list[str]:
    return [str(p) for p in services.verify(store, actor=LOCAL_OWNER).problems]


def test_a_tampered_chunk_fails(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 3 * CHUNK + 10)
    sealed = bytearray(_chunk(store, "A-001", 1))
    sealed[40] ^= 1
    _set_chunk(store, "A-001", 1, bytes(sealed))
    _refused(store, secrets, tmp_path, "A-001", r"part 2 of 4 failed authentication")


def test_a_truncated_attachment_fails_and_audit_verify_sees_it(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 3 * CHUNK + 10)
    assert _problems(store) == []
    _sql(store, "DELETE FROM attachment_chunks WHERE n = 3")
    _refused(store, secrets, tmp_path, "A-001", r"truncated \(3 of its 4 parts are there\)")
    assert any("attachment mini/A-001" in p and "parts were removed" in p for p in _problems(store))


def test_chunks_swapped_between_attachments_fail(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 2 * CHUNK, "a.jpg")
    _attach(store, secrets, tmp_path, 2 * CHUNK, "b.jpg")
    first, second = _chunk(store, "A-001", 0), _chunk(store, "A-002", 0)
    _set_chunk(store, "A-001", 0, second)
    _set_chunk(store, "A-002", 0, first)
    assert _problems(store) == []  # same lengths: only the key can tell, when the attachment is read
    _refused(store, secrets, tmp_path, "A-001", r"part 1 of 2 failed authentication \(altered, or moved")
    _refused(store, secrets, tmp_path, "A-002", r"part 1 of 2 failed authentication")


def test_chunks_reordered_or_appended_fail(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 2 * CHUNK, "a.jpg")
    _attach(store, secrets, tmp_path, CHUNK, "b.jpg")
    first, second = _chunk(store, "A-001", 0), _chunk(store, "A-001", 1)
    _set_chunk(store, "A-001", 0, second)
    _set_chunk(store, "A-001", 1, first)
    _refused(store, secrets, tmp_path, "A-001", r"part 1 of 2 failed authentication")
    second = "(SELECT pk FROM attachments WHERE ref = 'A-002')"
    _sql(store, f"INSERT INTO attachment_chunks (attachment_pk, n, sealed) "
                f"SELECT attachment_pk, 1, sealed FROM attachment_chunks WHERE attachment_pk = {second}")  # fmt: skip
    _refused(store, secrets, tmp_path, "A-002", r"added to or renumbered \(2 parts, 1 expected\)")
    assert any("attachment mini/A-002" in p for p in _problems(store))


def test_an_edited_custody_record_is_caught(store: str, secrets: Secrets, tmp_path: Path) -> None:
    data = _attach(store, secrets, tmp_path, 100)
    forged = hashlib.sha256(data + b"x").hexdigest()
    _sql(store, "UPDATE attachments SET sha256 = :h, added_by = 'someone else'", h=forged)
    _refused(store, secrets, tmp_path, "A-001", r"its custody record \(SHA-256, size, type, who added it or when\)")
    assert any("attachment mini/A-001" in p and "row differs from its newest entry" in p for p in _problems(store))


def test_a_key_copied_from_another_attachment_does_not_open(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 100, "a.jpg")
    _attach(store, secrets, tmp_path, 100, "b.jpg")
    _sql(store, "UPDATE attachments SET wrapped_key = (SELECT wrapped_key FROM attachments WHERE ref = 'A-001') "
                "WHERE ref = 'A-002'")  # fmt: skip
    _refused(store, secrets, tmp_path, "A-002", r"its key does not open")


def _db_files(location: str) -> Iterator[Path]:
    for suffix in ("", "-wal", "-shm"):
        path = Path(location + suffix)
        if path.exists():
            yield path


def test_no_attachment_is_ever_on_disk_unencrypted(
    tmp_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored, "CHUNK_BYTES", CHUNK)
    location = str(tmp_path / "store.db")
    services.import_case(location, parse_casefile(EVIDENCE_CASEFILE), actor=LOCAL_OWNER, secrets=secrets)
    marker = f"PLANTED-MARKER-{uuid.uuid4().hex}".encode()
    # The marker at the start, across a chunk boundary and at the end; the rest is text, as a statement would be.
    body = bytearray(b"testimony\n" * (3 * CHUNK // 10))
    for at in (0, CHUNK - len(marker) // 2, len(body) - len(marker)):
        body[at : at + len(marker)] = marker
    name, note = f"witness-{uuid.uuid4().hex}.txt", f"note-{uuid.uuid4().hex}"
    # Fragments: every 16-byte window of the marker, and the name and the note (sealed too).
    needles = [marker[i : i + 16] for i in range(len(marker) - 15)]
    needles += [name.encode(), note.encode(), b"testimony\ntestimony"]

    def scan() -> list[str]:
        found = []
        for path in _db_files(location):
            content = path.read_bytes()
            found += [f"{path.name}: {needle!r}" for needle in needles if needle in content]
        return found

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(bytes(body))
    # A reader holding a snapshot from before keeps the new pages in the write-ahead log (and keeps the log).
    with closing(sqlite3.connect(location)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM cases").fetchone()
        info = services.attach(location, "I-001", tmp_path / "in" / name, actor=LOCAL_OWNER, secrets=secrets,
                               note=note)  # fmt: skip
        assert Path(location + "-wal").stat().st_size > 3 * CHUNK  # the chunks are in the log
        assert scan() == []
        reader.execute("ROLLBACK")
    assert info.sha256 == hashlib.sha256(body).hexdigest()

    with open_store(location) as s:
        assert truncate_wal(s, wait_ms=1000)
    assert scan() == []
    services.get_attachment(location, info.ref, tmp_path / "back.txt", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back.txt").read_bytes() == body


class _Generated:
    """A stream of ``size`` bytes made as it is read, never whole; it records the largest read asked for."""

    def __init__(self, size: int) -> None:
        self.left, self.largest, self.digest = size, 0, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        assert n > 0, "the whole stream was asked for"
        self.largest = max(self.largest, n)
        data = os.urandom(min(n, self.left))
        self.left -= len(data)
        self.digest.update(data)
        return data


def test_intake_reads_and_stores_one_chunk_at_a_time(store: str, secrets: Secrets) -> None:
    stream = _Generated(5 * CHUNK + 100)
    with case_write(store, actor=LOCAL_OWNER, action=Action.attach, secrets=secrets, case=None) as w:
        info = stored.add_attachment(w.session, w.row, w.keys, "I-001", stream, filename="big.bin",  # type: ignore[arg-type]
                                     media_type="application/octet-stream", note=None, restricted=True,
                                     added_by=LOCAL_OWNER.name, audit=w.audit)  # fmt: skip
    assert stream.largest == CHUNK and info.sha256 == stream.digest.hexdigest() and info.size == 5 * CHUNK + 100
    with open_store(store) as s, s.transaction() as session:
        sizes = session.execute(
            select(AttachmentChunkRow.n, func.length(AttachmentChunkRow.sealed)).order_by(AttachmentChunkRow.n)
        ).all()
    assert sizes == [(n, CHUNK + 28) for n in range(5)] + [(5, 100 + 28)]


def test_deleting_a_case_removes_its_attachments_audited(store: str, secrets: Secrets, tmp_path: Path) -> None:
    _attach(store, secrets, tmp_path, 2 * CHUNK)

    class Undo(Exception):
        """A case is deleted only to be replaced (signed with its key): look, then roll back."""

    with pytest.raises(Undo), open_store(store) as s, s.transaction(write=True) as session:
        row = services.cases.actor_case(session, LOCAL_OWNER, Action.replace_case, None)
        audit = AuditWriter(session, "tester")
        delete_case(session, row, audit=audit)
        assert session.scalar(select(func.count()).select_from(AttachmentRow)) == 0
        assert session.scalar(select(func.count()).select_from(AttachmentChunkRow)) == 0
        assert ("attachment", "mini/A-001", "delete") in {(e["entity"], e["entity_id"], e["action"])
                                                         for e in audit._pending}  # fmt: skip
        raise Undo


def test_backup_and_restore_bring_attachments_back(
    store: str, secrets: Secrets, tmp_path: Path, restore_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_backup, "_SMALL_BATCHES", {"attachment_chunks": 2})  # several batches of chunks
    data = _attach(store, secrets, tmp_path, 7 * CHUNK + 3)
    out = tmp_path / "store.backup"
    backup(store, out, actor=LOCAL_OWNER, passphrase="a backup passphrase for tests")
    result = restore(out, restore_location, passphrase="a backup passphrase for tests")
    assert result.audit.ok and result.digest == result.info.digest
    services.get_attachment(restore_location, "A-001", tmp_path / "back.jpg", actor=LOCAL_OWNER, secrets=secrets)
    assert (tmp_path / "back.jpg").read_bytes() == data
