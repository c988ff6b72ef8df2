"""Evidence files attached to interviews and documents: taken in, listed and read back chunk by chunk, sealed.

Each attachment has a random key of its own, stored sealed under the case's
data key (so rotating or replacing the data key re-wraps one small key, never
the content). The content is sealed with AES-256-GCM in chunks of
``CHUNK_BYTES``, each with a fresh nonce; a chunk's additional data names the
case, the attachment, the chunk's number and whether it is the last, so
chunks reordered, dropped from the end, appended or moved from another
attachment fail to open. The file's name and the note about it are sealed
under the attachment's key, bound to the custody record (SHA-256 and size at
intake, who added it, when), which the audit log covers as the attachment
row's hash.

Nothing here holds a file whole: intake reads, hashes, seals and inserts one
chunk at a time; reading back yields one authenticated chunk at a time and
checks size and SHA-256 after the last. Chunk rows are not audited one by
one: their seals, and the SHA-256 checked on every read, cover them, and
``chunk_problems`` lets ``audit verify`` find chunks removed or added
without reading any. Never puts a file's content, name or note into a
message or a log line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from corroborate.domain import Tick
from corroborate.errors import AttachmentDamaged, RecordNotFound, SealedFieldInvalid, SourceHasAttachments

from .audit import AuditWriter, row_hash
from .crypto import NONCE_BYTES, DataKey, new_data_key
from .keys import CaseKeys, utc_now
from .schema import AttachmentChunkRow, AttachmentRow, CaseRow, DocumentRow, InterviewRow

__all__ = [
    "CHUNK_BYTES",
    "AttachmentInfo",
    "CarriedAttachment",
    "add_attachment",
    "attachment_source",
    "chunk_problems",
    "detach_attachments",
    "list_attachments",
    "open_attachment",
    "reattach_attachments",
]

CHUNK_BYTES = 1 << 20  # plaintext bytes per chunk (the last may be shorter)
_OVERHEAD = NONCE_BYTES + 16  # nonce and GCM tag added to every chunk
_REF = re.compile(r"A-(\d{1,9})")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # the shape of every id a casefile may hold
_CHUNK_CHECK = "(altered, or moved from another attachment)"


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as its owners and investigators see it: its custody record, name and note."""

    ref: str
    case: str
    source: str  # the interview or document it belongs to
    source_kind: str  # "interview" or "document"
    filename: str
    media_type: str
    size: int
    sha256: str
    restricted: bool
    added_by: str
    added_at: str
    note: str | None = None


@dataclass(frozen=True)
class CarriedAttachment:
    """An attachment lifted off a case being replaced, to be put back on the new rows of its source."""

    pk: int
    ref: str
    source: str
    before: str  # its row hash before the replacement, for the audit entry that carries it
    file_key: bytes = field(repr=False)


def _chunk_aad(case_ref: str, ref: str, n: int, final: bool) -> bytes:
    return f"corroborate/attachment-chunk/1|{case_ref}|{ref}|{n}|{int(final)}".encode()


def _meta_aad(case_ref: str, row: AttachmentRow) -> bytes:
    """The custody record, bound into the seal of the name and note: none of it can change unnoticed."""
    custody = [case_ref, row.ref, row.sha256, row.size, row.chunk_bytes, row.media_type, bool(row.restricted),
               row.added_by, row.added_at]  # fmt: skip
    return b"corroborate/attachment-meta/1|" + json.dumps(custody, separators=(",", ":")).encode()


def _expected_chunks(size: int, chunk_bytes: int) -> int:
    return max(1, -(-size // chunk_bytes))


def _as_typed(text: str, shape: re.Pattern[str]) -> str:
    """An id as typed when it has the shape of one; other text may be a name typed in the wrong place."""
    return text if shape.fullmatch(text) else "(text that is no id)"


def _source(session: Session, case: CaseRow, ref: str) -> tuple[str, int]:
    """("interview" or "document", primary key) of a source of the case; RecordNotFound otherwise."""
    for kind, table in (("interview", InterviewRow), ("document", DocumentRow)):
        pk = session.scalar(select(table.pk).where(table.case_pk == case.pk, table.ref == ref))
        if pk is not None:
            return kind, pk
    raise RecordNotFound("interview or document", _as_typed(ref, _ID), case.ref)


def _next_ref(session: Session, case: CaseRow) -> str:
    refs = session.scalars(select(AttachmentRow.ref).where(AttachmentRow.case_pk == case.pk))
    numbers = [int(m.group(1)) for r in refs if (m := _REF.fullmatch(r))]
    return f"A-{max(numbers, default=0) + 1:03d}"


def _read_full(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the stream (pipes may return less per read)."""
    parts, left = [], size
    while left:
        data = stream.read(left)
        if not data:
            break
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def add_attachment(
    session: Session, case: CaseRow, keys: CaseKeys, source: str, stream: BinaryIO, *, filename: str,
    media_type: str, note: str | None, restricted: bool, added_by: str, audit: AuditWriter,
    chunk_bytes: int | None = None, progress: Tick | None = None,
) -> AttachmentInfo:  # fmt: skip
    """Seal a file's content chunk by chunk into the store as an attachment of ``source``; audit its custody record."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    kind, source_pk = _source(session, case, source)
    # Two writers on PostgreSQL would pick the same next id: the second waits here for the first.
    session.execute(select(CaseRow.pk).where(CaseRow.pk == case.pk).with_for_update())
    ref = _next_ref(session, case)
    file_key = new_data_key()
    sealer = DataKey(0, file_key)
    row = AttachmentRow(
        case_pk=case.pk, ref=ref, interview_pk=source_pk if kind == "interview" else None,
        document_pk=source_pk if kind == "document" else None, media_type=media_type, size=0, sha256="",
        chunk_bytes=chunk_bytes, key_version=keys.current, wrapped_key=keys.wrap_attachment_key(ref, file_key),
        sealed_meta=b"", restricted=restricted, added_by=added_by, added_at=utc_now(), row_version=1,
    )  # fmt: skip
    session.add(row)
    session.flush()
    digest, size, n = hashlib.sha256(), 0, 0
    add_chunk = insert(AttachmentChunkRow)
    data = _read_full(stream, chunk_bytes)
    while True:
        following = _read_full(stream, chunk_bytes) if len(data) == chunk_bytes else b""
        final = not following
        digest.update(data)
        size += len(data)
        sealed = sealer.seal(data, aad=_chunk_aad(case.ref, ref, n, final))
        session.execute(add_chunk, {"attachment_pk": row.pk, "n": n, "sealed": sealed})
        if progress is not None:
            progress(len(data))
        if final:
            break
        data, n = following, n + 1
    row.sha256, row.size = digest.hexdigest(), size
    meta = json.dumps({"filename": filename, "note": note}, ensure_ascii=False).encode()
    row.sealed_meta = sealer.seal(meta, aad=_meta_aad(case.ref, row))
    session.flush()
    audit.record_row(case.ref, "attachment", f"{case.ref}/{ref}", "create", None, row)
    return _info(case, row, source, kind, filename, note)


def _info(case: CaseRow, row: AttachmentRow, source: str, kind: str, filename: str, note: str | None) -> AttachmentInfo:
    return AttachmentInfo(ref=row.ref, case=case.ref, source=source, source_kind=kind, filename=filename,
                          media_type=row.media_type, size=row.size, sha256=row.sha256, restricted=bool(row.restricted),
                          added_by=row.added_by, added_at=row.added_at, note=note)  # fmt: skip


def _opened(case: CaseRow, keys: CaseKeys, row: AttachmentRow) -> tuple[DataKey, dict[str, str | None]]:
    """The attachment's key and its sealed name and note; AttachmentDamaged when either fails to open."""
    try:
        file_key = keys.unwrap_attachment_key(row.ref, row.key_version, row.wrapped_key)
    except SealedFieldInvalid:
        raise AttachmentDamaged(row.ref, case.ref, f"its key does not open {_CHUNK_CHECK}") from None
    sealer = DataKey(0, file_key)
    try:
        meta = json.loads(sealer.open(row.sealed_meta, aad=_meta_aad(case.ref, row)))
    except SealedFieldInvalid:
        reason = "its custody record (SHA-256, size, type, who added it or when) was altered"
        raise AttachmentDamaged(row.ref, case.ref, reason) from None
    return sealer, meta


def _source_refs(session: Session, case: CaseRow) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    for kind, table in (("interview", InterviewRow), ("document", DocumentRow)):
        for pk, ref in session.execute(select(table.pk, table.ref).where(table.case_pk == case.pk)):
            found[(kind, pk)] = ref
    return found


def _source_of(row: AttachmentRow, refs: dict[tuple[str, int], str]) -> tuple[str, str]:
    kind, pk = ("interview", row.interview_pk) if row.interview_pk is not None else ("document", row.document_pk)
    return refs.get((kind, pk or 0), "?"), kind


def attachment_source(session: Session, case: CaseRow, ref: str) -> str | None:
    """The interview or document an attachment belongs to (its id), or None when the case has no such attachment.

    Reads the custody columns only: no key is needed.
    """
    row = session.scalar(select(AttachmentRow).where(AttachmentRow.case_pk == case.pk, AttachmentRow.ref == ref))
    if row is None:
        return None
    table = InterviewRow if row.interview_pk is not None else DocumentRow
    return session.scalar(select(table.ref).where(table.pk == (row.interview_pk or row.document_pk)))


def list_attachments(
    session: Session, case: CaseRow, keys: CaseKeys, *, source: str | None = None
) -> list[AttachmentInfo]:
    """The attachments of a case (or of one of its sources), oldest first, names and notes opened."""
    query = select(AttachmentRow).where(AttachmentRow.case_pk == case.pk).order_by(AttachmentRow.pk)
    if source is not None:
        kind, pk = _source(session, case, source)
        query = query.where((AttachmentRow.interview_pk if kind == "interview" else AttachmentRow.document_pk) == pk)
    refs = _source_refs(session, case)
    found = []
    for row in session.scalars(query):
        _sealer, meta = _opened(case, keys, row)
        found.append(_info(case, row, *_source_of(row, refs), str(meta["filename"]), meta.get("note")))
    return found


def open_attachment(
    session: Session, case: CaseRow, keys: CaseKeys, ref: str
) -> tuple[AttachmentInfo, Iterator[bytes]]:
    """An attachment's record and its content, one authenticated chunk at a time.

    The content iterator raises AttachmentDamaged at the first chunk that
    fails, and after the last when size or SHA-256 differ from the custody
    record: whoever writes it out keeps nothing until the iterator is done.
    """
    row = session.scalar(select(AttachmentRow).where(AttachmentRow.case_pk == case.pk, AttachmentRow.ref == ref))
    if row is None:
        raise RecordNotFound("attachment", _as_typed(ref, _REF), case.ref)
    sealer, meta = _opened(case, keys, row)
    info = _info(case, row, *_source_of(row, _source_refs(session, case)), str(meta["filename"]), meta.get("note"))
    return info, _content(session, case, row, sealer)


def _content(session: Session, case: CaseRow, row: AttachmentRow, sealer: DataKey) -> Iterator[bytes]:
    def damaged(reason: str) -> AttachmentDamaged:
        return AttachmentDamaged(row.ref, case.ref, reason)

    of_row = AttachmentChunkRow.attachment_pk == row.pk
    count, last = session.execute(select(func.count(), func.max(AttachmentChunkRow.n)).where(of_row)).one()
    expected = _expected_chunks(row.size, row.chunk_bytes)
    if count < expected:
        raise damaged(f"it was truncated ({count} of its {expected} parts are there)")
    if count > expected or last != count - 1:
        raise damaged(f"its parts were added to or renumbered ({count} parts, {expected} expected)")
    digest, size = hashlib.sha256(), 0
    for n in range(count):
        sealed = session.scalar(select(AttachmentChunkRow.sealed).where(of_row, AttachmentChunkRow.n == n))
        if sealed is None:
            raise damaged(f"part {n + 1} of {count} is missing")
        try:
            data = sealer.open(sealed, aad=_chunk_aad(case.ref, row.ref, n, n == last))
        except SealedFieldInvalid:
            raise damaged(f"part {n + 1} of {count} failed authentication {_CHUNK_CHECK}") from None
        digest.update(data)
        size += len(data)
        yield data
    if size != row.size or digest.hexdigest() != row.sha256:
        raise damaged("its content does not match the size and SHA-256 recorded when it was added")


def chunk_problems(session: Session) -> Iterator[tuple[str, str, str]]:
    """(case id, attachment entity id, problem) for each attachment whose chunks were removed or added.

    Reads lengths and counts only (no content, no key): what ``audit verify``
    can check of chunks without the case key. Altered chunks show when read.
    """
    stats = (
        select(
            AttachmentChunkRow.attachment_pk.label("pk"),
            func.count().label("count"),
            func.max(AttachmentChunkRow.n).label("last"),
            func.sum(func.length(AttachmentChunkRow.sealed)).label("sealed"),
        )  # fmt: skip
        .group_by(AttachmentChunkRow.attachment_pk)
        .subquery()
    )
    query = (
        select(
            CaseRow.ref,
            AttachmentRow.ref,
            AttachmentRow.size,
            AttachmentRow.chunk_bytes,
            stats.c.count,
            stats.c.last,
            stats.c.sealed,
        )  # fmt: skip
        .join(CaseRow, CaseRow.pk == AttachmentRow.case_pk)
        .outerjoin(stats, stats.c.pk == AttachmentRow.pk)
        .order_by(AttachmentRow.pk)
    )
    for case_ref, ref, size, chunk_bytes, count, last, sealed in session.execute(query):
        expected = _expected_chunks(size, chunk_bytes)
        count = count or 0
        if count != expected or last != count - 1 or sealed != size + count * _OVERHEAD:
            yield (
                case_ref,
                f"{case_ref}/{ref}",
                (
                    f"its content is not what was added ({count} of {expected} parts, of other sizes or numbers: "
                    "parts were removed, added or replaced outside Corroborate)"
                ),
            )


def detach_attachments(
    session: Session, case: CaseRow, keys: CaseKeys, *, sources: Collection[str]
) -> list[CarriedAttachment]:
    """Lift a case's attachments off it before it is replaced; SourceHasAttachments if a source goes away.

    Each stays in the store, its chunks untouched, with no case and no source
    until ``reattach_attachments`` puts it on the new rows (same transaction).
    """
    rows = list(session.scalars(select(AttachmentRow).where(AttachmentRow.case_pk == case.pk)))
    refs = _source_refs(session, case)
    named = {row.pk: _source_of(row, refs)[0] for row in rows}
    left_out: dict[str, list[str]] = {}
    for row in rows:
        if named[row.pk] not in sources:
            left_out.setdefault(named[row.pk], []).append(row.ref)
    if left_out:
        raise SourceHasAttachments(case.ref, left_out)
    carried = []
    for row in rows:
        before = row_hash(row)
        file_key = keys.unwrap_attachment_key(row.ref, row.key_version, row.wrapped_key)
        carried.append(CarriedAttachment(row.pk, row.ref, named[row.pk], before, file_key))
        row.case_pk = row.interview_pk = row.document_pk = None
    session.flush()
    return carried


def reattach_attachments(
    session: Session, case: CaseRow, keys: CaseKeys, carried: Collection[CarriedAttachment], *, audit: AuditWriter
) -> None:
    """Put carried attachments on the new case's rows of their sources, their keys wrapped under its data key."""
    for item in carried:
        row = session.get_one(AttachmentRow, item.pk)
        kind, pk = _source(session, case, item.source)
        row.case_pk = case.pk
        row.interview_pk, row.document_pk = (pk, None) if kind == "interview" else (None, pk)
        row.wrapped_key = keys.wrap_attachment_key(row.ref, item.file_key)
        row.key_version, row.row_version = keys.current, row.row_version + 1
        session.flush()
        audit.record_row(case.ref, "attachment", f"{case.ref}/{row.ref}", "carry", item.before, row)
