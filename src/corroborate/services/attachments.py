"""Use cases on evidence files: attach one to an interview or document, list them, get one back verified.

Owners and investigators only (``attach``, ``read_attachments``): a photo, a
recording or a signed statement can identify a witness. Files stream through
in chunks, never whole in memory. A file got back is written beside its
target and moved into place only once its SHA-256 matches the one recorded
at intake, so a damaged attachment leaves no file, partial or unverified.
Never prints, and never puts a file's content, name or note in a message.
"""

from __future__ import annotations

import mimetypes
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corroborate.domain import Anchor, Excerpt, Progress, Tick
from corroborate.errors import OutputFailed, PassageInvalid, UserError
from corroborate.ingest.texts import check_showable, text_pages
from corroborate.store import Anchored, anchored_excerpts, open_store
from corroborate.store.attachments import AttachmentInfo, add_attachment, open_attachment
from corroborate.store.attachments import list_attachments as stored_attachments

from . import records
from .access import Action, Actor
from .casefiles import check_output
from .cases import actor_case, case_write
from .unlocking import Secrets, case_keys

__all__ = [
    "AttachmentInfo",
    "AttachmentText",
    "attach",
    "attachment_text",
    "excerpt_from_passage",
    "get_attachment",
    "list_attachments",
    "page_text",
]

_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,48}/[a-z0-9][a-z0-9!#$&^_.+-]{0,48}")
_NOTE_CHARS = 10_000


def _media_type(given: str | None, filename: str) -> str:
    if given is None:
        return mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"
    media = given.strip().lower()
    if not _MEDIA_TYPE.fullmatch(media):
        raise UserError("--media-type must be a media type such as image/jpeg, audio/mpeg or application/pdf")
    return media


def _counter(total: int, progress: Progress | None) -> Tick | None:
    if progress is None:
        return None
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(done, total)

    return tick


def attach(
    location: str, owner_ref: str, path: str | Path, *, actor: Actor, secrets: Secrets, case: str | None = None,
    media_type: str | None = None, note: str | None = None, restricted: bool = True, progress: Progress | None = None,
) -> AttachmentInfo:  # fmt: skip
    """Add a file to an interview or document of a case, sealed, its SHA-256 and size recorded and audited.

    ``owner_ref`` is the interview's or document's id; the attachment gets the
    next id of the case (``A-001``, ``A-002`` …). All or nothing: a failure
    half-way leaves no part of it in the store.
    """
    source = Path(path).expanduser()
    media = _media_type(media_type, source.name)
    if note is not None and len(note) > _NOTE_CHARS:
        raise UserError(f"a note has at most {_NOTE_CHARS} characters")
    if source.exists() and not source.is_file():  # a folder, a pipe (whose opening could wait forever), a device
        raise UserError(f"cannot attach {path}: it is not a file")
    try:
        handle = source.open("rb")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    with handle:
        total = os.fstat(handle.fileno()).st_size
        with case_write(location, actor=actor, action=Action.attach, secrets=secrets, case=case) as w:
            info = add_attachment(w.session, w.row, w.keys, owner_ref, handle, filename=source.name, media_type=media,
                                  note=note, restricted=restricted, added_by=actor.name, audit=w.audit,
                                  progress=_counter(total, progress))  # fmt: skip
    return info


def list_attachments(
    location: str, *, actor: Actor, secrets: Secrets, case: str | None = None, source: str | None = None
) -> list[AttachmentInfo]:
    """The attachments of a case (or of one interview or document), oldest first, with their custody records."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.read_attachments, case)
        keys = case_keys(session, row, secrets, location=location)
        return stored_attachments(session, row, keys, source=source)


def _write_verified(target: Path, chunks: Iterable[bytes], shown: str) -> None:
    """Write chunks to a file beside ``target`` (owner-only) and move it into place once all of them passed."""
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:  # raises AttachmentDamaged at the first bad chunk, or after the last
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise OutputFailed(shown, exc.strerror or type(exc).__name__) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def get_attachment(
    location: str, ref: str, out_path: str | Path, *, actor: Actor, secrets: Secrets, case: str | None = None,
    force: bool = False, progress: Progress | None = None,
) -> AttachmentInfo:  # fmt: skip
    """Write an attachment's content to ``out_path`` after checking every chunk, its size and its SHA-256.

    AttachmentDamaged (and no file) when it was altered, truncated or moved; an
    existing file is replaced only with ``force``, and only by verified content.
    """
    target = check_output(out_path, force=force)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.read_attachments, case)
        keys = case_keys(session, row, secrets, location=location)
        info, content = open_attachment(session, row, keys, ref)
        tick = _counter(info.size, progress)

        def counted() -> Iterable[bytes]:
            for chunk in content:
                if tick is not None:
                    tick(len(chunk))
                yield chunk

        _write_verified(target, counted(), str(out_path))
    return info


@dataclass(frozen=True)
class AttachmentText:
    """An evidence file's text as the viewer shows it, page by page, and the excerpts selected in it."""

    info: AttachmentInfo
    pages: list[str]
    excerpts: list[Anchored]


def attachment_text(
    location: str, ref: str, *, actor: Actor, secrets: Secrets, case: str | None = None
) -> AttachmentText:
    """The text of a transcript or statement (plain text or PDF), verified against its custody record.

    AttachmentDamaged when it was altered or truncated (nothing is shown); UserError for a file with no
    text (audio, images) or too large to show.
    """
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.read_attachments, case)
        keys = case_keys(session, row, secrets, location=location)
        info, content = open_attachment(session, row, keys, ref)
        check_showable(info.media_type, info.size)  # before a byte is decrypted
        data = b"".join(content)  # every chunk authenticated, then size and SHA-256 checked, before any is shown
        pages = text_pages(data, info.media_type)
        excerpts = anchored_excerpts(session, row, info.source, ref)
    return AttachmentText(info, pages, excerpts)


def page_text(shown: AttachmentText, page: int) -> str:
    """The text of page ``page`` (from 1) of the file; PassageInvalid for a page it does not have."""
    if not 1 <= page <= len(shown.pages):
        raise PassageInvalid(f"this file has pages 1 to {len(shown.pages)}, not {page}")
    return shown.pages[page - 1]


def excerpt_from_passage(
    location: str, ref: str, *, excerpt_id: str, page: int, start: int, end: int, mode: str, quote: bool,
    actor: Actor, secrets: Secrets, case: str | None = None,
) -> tuple[records.Change, Excerpt]:  # fmt: skip
    """Add an excerpt of the characters ``start`` to ``end`` of page ``page`` of an evidence file's text
    (the whole text of a plain-text file is its page 1), anchored there; the spaces around the passage are
    left out. The text is cut from the file, never taken from the caller, so the excerpt says exactly what
    the file says there. PassageInvalid when the page or the passage is not in the file. Returns the change
    (with the new excerpt's version) and the excerpt as written."""
    shown = attachment_text(location, ref, actor=actor, secrets=secrets, case=case)
    text = page_text(shown, page)
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        raise PassageInvalid(f"characters {start} to {end} of page {page} hold no text (the page has {len(text)})")
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    pdf = shown.info.media_type == "application/pdf"
    excerpt = Excerpt(
        id=excerpt_id,
        source=shown.info.source,
        mode=mode,
        text=text[start:end],
        quote=quote,
        pages=str(page) if pdf else None,
        anchor=Anchor(attachment=ref, page=page if pdf else None, start=start, end=end),
    )
    change, written = records.write(location, "excerpt", excerpt, actor=actor, case=case, secrets=secrets,
                                    version=None, mode="create")  # fmt: skip
    return change, written
