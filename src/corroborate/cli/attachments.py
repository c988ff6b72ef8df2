"""Commands on evidence files: `attach`, and `attachment get` and `attachment list`.

Thin shells over ``corroborate.services.attachments``. A file's name and note
are shown only to whoever may read attachments (owners and investigators, with
the case passphrase), on standard output, never in an error.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from corroborate import services

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    StoreArg,
    actor_for,
    emit_json,
    handles_errors,
    out,
    progress_bar,
    secrets,
    table,
)

__all__ = ["register"]

attachment_app = typer.Typer(
    help="Evidence files attached to interviews and documents.", no_args_is_help=True, rich_markup_mode=None
)


@handles_errors
def attach(
    store: StoreArg,
    owner: Annotated[str, typer.Argument(metavar="OWNER", help="id of the interview or document the file belongs to")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="the file: audio, image, scanned statement, PDF …")],
    case: CaseOpt = None,
    media_type: Annotated[
        str | None,
        typer.Option("--media-type", metavar="TYPE", help="e.g. audio/mpeg", show_default="guessed from the name"),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="a note about the file (sealed)")] = None,
) -> None:
    """Attach a file to an interview or document: sealed, its SHA-256 and size recorded in the audit log."""
    with progress_bar("attaching") as progress:
        info = services.attach(store, owner, file, actor=actor_for(store), secrets=secrets(), case=case,
                               media_type=media_type, note=note, progress=progress)  # fmt: skip
    out.print(f"attached {info.ref} to {info.source_kind} {info.source} of case {info.case}: {info.size} bytes, "
              f"{info.media_type}, SHA-256 {info.sha256}", markup=False)  # fmt: skip


@handles_errors
def get(
    store: StoreArg,
    ref: Annotated[str, typer.Argument(metavar="REF", help="the attachment's id, e.g. A-001")],
    output: Annotated[Path, typer.Option("--out", metavar="PATH", help="file to write the attachment to")],
    case: CaseOpt = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite the --out file if it exists")] = False,
) -> None:
    """Write an attachment to a file once every part, its size and its SHA-256 are verified."""
    with progress_bar("verifying") as progress:
        info = services.get_attachment(store, ref, output, actor=actor_for(store), secrets=secrets(), case=case,
                                       force=force, progress=progress)  # fmt: skip
    out.print(f"wrote {output}: {info.ref}, {info.size} bytes, SHA-256 {info.sha256} verified", markup=False)


@handles_errors
def list_(
    store: StoreArg,
    case: CaseOpt = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="ID", help="only the attachments of this interview or document")
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """List a case's attachments with their custody records (who added each, when, its SHA-256)."""
    found = services.list_attachments(store, actor=actor_for(store), secrets=secrets(), case=case, source=source)
    if format is Format.json:
        emit_json([dataclasses.asdict(a) for a in found])
        return
    t = table("Id", "Source", "File", "Type", "Bytes", "Added", "SHA-256", "Note", wrap=("File", "SHA-256", "Note"))
    for a in found:
        added = f"{a.added_at[:16].replace('T', ' ')} by {a.added_by}"  # to the minute, UTC; JSON has it all
        t.add_row(a.ref, a.source, a.filename, a.media_type, str(a.size), added, a.sha256, a.note or "")
    out.print(t)


def register(app: typer.Typer) -> None:
    """Add `attach` and the `attachment` group (`get`, `list`) to the main app."""
    app.command("attach")(attach)
    attachment_app.command("get")(get)
    attachment_app.command("list")(list_)
    app.add_typer(attachment_app, name="attachment")
