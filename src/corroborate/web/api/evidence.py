"""Evidence files through the API: list a case's (or a source's), add one, get one back verified, read a
transcript's text page by page, and cut an excerpt from it that keeps its place.

Owners and investigators only (``attach``, ``read_attachments`` of docs/security.md), and only through a
token or session that unlocked the case: files are sealed under the case's key, and a file's name, note and
content may identify a witness. A file is written to a temporary folder of the server as it arrives and as
it leaves (the services check its SHA-256 before any byte is sent), so neither is ever whole in memory; the
temporary copies are removed once the answer is sent.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from corroborate.domain.entities import ExcerptMode
from corroborate.services import Action, AttachmentInfo, attachments

from .callers import Calling, acts
from .models import RECORD_MODELS, public
from .problems import responses
from .records import ETAG_HEADER, LOCATION_HEADER

__all__ = ["router"]

router = APIRouter()
_READ = responses("invalid", "forbidden", "not-found", "locked")
_UPLOAD_CHUNK = 1 << 20


class AnchoredOut(BaseModel):
    """An excerpt selected in the file: its id and where it lies (characters of the page, end excluded)."""

    id: str
    page: int | None
    start: int
    end: int


class PageOut(BaseModel):
    """One page of an evidence file's text (a plain-text file is one page), with the excerpts cut from it."""

    attachment: AttachmentInfo
    page: int
    pages: int
    text: str
    excerpts: list[AnchoredOut]


class NewAttachment(BaseModel):
    """An evidence file to add (multipart/form-data): the file and what the store records with it."""

    file: UploadFile = Field(description="the file; its name is kept, restricted like the file")
    source: str = Field(description="the interview's or document's id")
    note: str | None = Field(default=None, description="what it is, where it came from")
    media_type: str | None = Field(default=None, description="e.g. audio/mpeg; guessed from the name if not given")
    restricted: bool = Field(default=True, description="false only for a file that identifies nobody")


class Passage(BaseModel):
    """The passage to cut: characters ``start`` to ``end`` (end excluded) of page ``page`` of the file's text,
    counted in Unicode code points; the spaces around it are left out."""

    id: str = Field(description="the new excerpt's id")
    page: int = Field(default=1, ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    mode: ExcerptMode
    quote: bool = False


@router.get("/cases/{case}/attachments", response_model=list[AttachmentInfo], responses=_READ,
            openapi_extra=acts(Action.read_attachments), tags=["evidence"],
            summary="The case's evidence files (or one source's), with their custody records")  # fmt: skip
def attachment_list(
    request: Request, case: str, who: Calling,
    source: Annotated[str | None, Query(description="an interview's or document's id")] = None,
) -> Any:  # fmt: skip
    return attachments.list_attachments(request.app.state.location, actor=who.actor, secrets=who.secrets(case),
                                        case=case, source=source)  # fmt: skip


@router.post("/cases/{case}/attachments", response_model=AttachmentInfo, status_code=201,
             responses={**responses("invalid", "forbidden", "not-found", "locked"),
                        201: {"headers": {"Location": LOCATION_HEADER}}},
             openapi_extra=acts(Action.attach), tags=["evidence"],
             summary="Add an evidence file to an interview or document (sealed; restricted unless said)")  # fmt: skip
def attachment_add(request: Request, case: str, who: Calling, body: Annotated[NewAttachment, File()]) -> Any:
    file = body.file
    name = Path(file.filename or "").name or "file"
    folder = Path(tempfile.mkdtemp(prefix="corroborate-upload-"))
    try:
        target = folder / name
        with target.open("wb") as out:
            shutil.copyfileobj(file.file, out, _UPLOAD_CHUNK)
        info = attachments.attach(request.app.state.location, body.source, target, actor=who.actor,
                                  secrets=who.secrets(case), case=case, media_type=body.media_type, note=body.note,
                                  restricted=body.restricted)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    where = f"{request.scope.get('root_path', '')}/cases/{case}/attachments/{info.ref}"
    return JSONResponse(_json(info), status_code=201, headers={"Location": where})


@router.get("/cases/{case}/attachments/{ref}", response_class=FileResponse,
            responses={**_READ, 200: {"description": "the file as it was added, in its own media type",
                                      "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}},
            openapi_extra=acts(Action.read_attachments), tags=["evidence"],
            summary="An evidence file's content, sent only once its SHA-256 matched its custody record")  # fmt: skip
def attachment_content(request: Request, case: str, ref: str, who: Calling, tasks: BackgroundTasks) -> Response:
    folder = Path(tempfile.mkdtemp(prefix="corroborate-download-"))
    tasks.add_task(shutil.rmtree, folder, True)
    try:
        info = attachments.get_attachment(request.app.state.location, ref, folder / "content", actor=who.actor,
                                          secrets=who.secrets(case), case=case)  # fmt: skip
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(folder / "content", media_type=info.media_type, filename=info.filename,
                        headers={"Digest": f"sha-256={info.sha256}", "Cache-Control": "no-store"},
                        background=tasks)  # fmt: skip


@router.get("/cases/{case}/attachments/{ref}/text", response_model=PageOut, responses=_READ,
            openapi_extra=acts(Action.read_attachments), tags=["evidence"],
            summary="One page of a transcript's or statement's text (plain text or PDF)")  # fmt: skip
def attachment_text(request: Request, case: str, ref: str, who: Calling, page: Annotated[int, Query(ge=1)] = 1) -> Any:
    shown = attachments.attachment_text(request.app.state.location, ref, actor=who.actor, secrets=who.secrets(case),
                                        case=case)  # fmt: skip
    text = attachments.page_text(shown, page)
    cut = [AnchoredOut(id=e.id, page=e.page, start=e.start, end=e.end) for e in shown.excerpts if (e.page or 1) == page]
    return PageOut(attachment=shown.info, page=page, pages=len(shown.pages), text=text, excerpts=cut)


@router.post("/cases/{case}/attachments/{ref}/excerpts", status_code=201, response_model=RECORD_MODELS["excerpt"][1],
             responses={**responses("invalid", "forbidden", "not-found", "exists", "locked"),
                        201: {"headers": {"ETag": ETAG_HEADER, "Location": LOCATION_HEADER}}},
             openapi_extra=acts(Action.read_attachments), tags=["evidence"],
             summary="Cut an excerpt from a page of the file's text; it keeps its place there")  # fmt: skip
def attachment_excerpt(request: Request, case: str, ref: str, who: Calling, body: Annotated[Passage, Body()]) -> Any:
    change, made = attachments.excerpt_from_passage(
        request.app.state.location, ref, excerpt_id=body.id, page=body.page, start=body.start, end=body.end,
        mode=body.mode, quote=body.quote, actor=who.actor, secrets=who.secrets(case), case=case,
    )  # fmt: skip
    where = f"{request.scope.get('root_path', '')}/cases/{case}/excerpts/{made.id}"
    return JSONResponse(public("excerpt", made), status_code=201,
                        headers={"ETag": f'"{change.version}"', "Location": where})  # fmt: skip


def _json(info: AttachmentInfo) -> dict[str, Any]:
    return {name: getattr(info, name) for name in AttachmentInfo.__dataclass_fields__}
