"""Use cases of publishing: check a briefing's disclosure, and publish it only when every check passes.

The checks run on the finished artefacts, exactly as a reader gets them: the
HTML page and the PDF are rendered in memory, their text is scanned against
every restricted value of the case, and files are written only when every
check passes, so a blocked publication leaves nothing behind. Reports never
show a restricted value. Owners and investigators (who may see identities)
scan against the decrypted identities and are told the witness, field and
place; editors scan the case's keyed index with its scan secret alone and
are told only which blocks hold a restricted value, each hit audited under
their name and limited per day (``services.disclosure``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from corroborate.analysis import assess_case
from corroborate.domain import Case
from corroborate.errors import DisclosureBlocked, UserError
from corroborate.publish import (
    Block,
    DisclosureReport,
    LeakScanner,
    Outline,
    build_briefing,
    glyph_problems,
    html_parts,
    load_outline,
    load_style,
    pdf_bytes,
    pdf_parts,
    render_html,
    run_disclosure_checks,
)
from corroborate.store import load_case, open_store
from corroborate.store.schema import CaseRow

from .access import POLICY, Action, Actor
from .cases import actor_case
from .disclosure import record_hits, refuse_if_suspended
from .scanning import keyed_scanner, scan_secret
from .unlocking import Secrets, case_keys

__all__ = [
    "Briefing",
    "Publication",
    "check_disclosure",
    "preview",
    "publish",
    "read_briefing",
    "read_briefings",
    "with_paragraph",
]

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Publication:
    """What was written."""

    files: list[Path]
    notes: int
    report: DisclosureReport


@dataclass(frozen=True)
class Briefing:
    """A briefing outline as read from its file, or as drafted on top of it (``path``: where it came from,
    which is also where its style file and other relative names are found)."""

    path: Path
    outline: Outline


def read_briefing(path: str | Path) -> Briefing:
    """Read a briefing outline file (every problem reported with its field path)."""
    return Briefing(Path(path), load_outline(path))


def read_briefings(
    location: str, paths: Iterable[str | Path], *, actor: Actor, case: str | None = None
) -> list[Briefing]:
    """The briefing outlines at ``paths``, read only once the actor may publish the case."""
    with open_store(location) as store, store.transaction() as session:
        actor_case(session, actor, Action.publish, case)
    return [read_briefing(path) for path in paths]


def with_paragraph(briefing: Briefing, section: int, text: str) -> Briefing:
    """The briefing with one more paragraph at the end of section ``section`` (counted from 0): a draft.

    The draft is checked and published like the file (the file itself is not changed).
    """
    sections = list(briefing.outline.sections)
    if not 0 <= section < len(sections):
        raise UserError(f"the briefing has sections 1 to {len(sections)}, not {section + 1}")
    if not text.strip():
        raise UserError("the paragraph is empty")
    grown = sections[section].model_copy(update={"blocks": [*sections[section].blocks, Block(p=text.strip())]})
    sections[section] = grown
    return Briefing(briefing.path, briefing.outline.model_copy(update={"sections": sections}))


@dataclass(frozen=True)
class _Rendered:
    """A briefing's artefacts in memory, and the disclosure report on exactly them."""

    files: dict[str, bytes]  # format -> content
    notes: int
    report: DisclosureReport


def _scanner(session: Session, row: CaseRow, actor: Actor, secrets: Secrets, location: str) -> tuple[Case, LeakScanner]:
    """The public case and a leak scanner fit for the actor.

    Who may see identities scans against the decrypted identities and is told
    which witness, field and place; anyone else scans the case's keyed index
    with its scan secret only, never decrypting an identity.
    """
    if actor.role_for(row.ref) not in POLICY[Action.view_identities]:
        refuse_if_suspended(session, row, actor)
        scanner = keyed_scanner(session, row, scan_secret(session, row, secrets, location=location))
        return load_case(session, row.ref), scanner
    full: Case = load_case(session, row.ref, keys=case_keys(session, row, secrets, location=location))
    restricted = {w.id: w.restricted for w in full.witnesses if w.restricted is not None}
    public = full.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in full.witnesses]})
    return public, LeakScanner(restricted)


def _render(
    location: str, outline_path: str | Path | Briefing, *, actor: Actor, secrets: Secrets, case: str | None,
    formats: tuple[str, ...],
) -> _Rendered:  # fmt: skip
    briefing_in = outline_path if isinstance(outline_path, Briefing) else read_briefing(outline_path)
    outline, outline_path = briefing_in.outline, briefing_in.path
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.publish, case)
        public, scanner = _scanner(session, row, actor, secrets, location)
        blind = scanner.table.is_keyed
    style = load_style(outline.style, base=Path(outline_path).parent)
    briefing = build_briefing(public, outline, style, assess_case(public))
    page = render_html(briefing)
    files: dict[str, bytes] = {}
    parts: list[tuple[str, str]] = []
    if "html" in formats:
        files["html"] = page.encode("utf-8")
        parts += html_parts(page)
    wording = list(briefing.wording)
    if "pdf" in formats:
        files["pdf"] = pdf_bytes(page)
        pages = pdf_parts(files["pdf"])
        parts += pages
        wording += glyph_problems(pages)
    report = run_disclosure_checks(
        public,
        cited=briefing.cited,
        quoted=briefing.quoted,
        parts=parts,
        policy=outline.disclosure,
        scanner=scanner,
        wording=wording,
    )
    if blind:
        report = report.blinded()
        if report.places:
            with open_store(location) as store, store.transaction(write=True) as session:
                row = actor_case(session, actor, Action.publish, public.case.id)
                record_hits(session, row, actor, report.places)
    return _Rendered(files, len(briefing.notes), report)


def check_disclosure(
    location: str, outline: str | Path | Briefing, *, actor: Actor, secrets: Secrets, case: str | None = None
) -> DisclosureReport:
    """Run every disclosure check on the HTML and PDF the outline would produce; write nothing."""
    return preview(location, outline, actor=actor, secrets=secrets, case=case)[0]


def preview(
    location: str, outline: str | Path | Briefing, *, actor: Actor, secrets: Secrets, case: str | None = None
) -> tuple[DisclosureReport, bytes | None]:
    """The disclosure report on the HTML and PDF the outline would produce, and the HTML page itself only when
    every check passed (a page that fails a check is never handed out, not even for a look)."""
    rendered = _render(location, outline, actor=actor, secrets=secrets, case=case, formats=FORMATS)
    return rendered.report, rendered.files["html"] if rendered.report.ok else None


def publish(
    location: str, outline: str | Path | Briefing, out_dir: str | Path, *, actor: Actor, secrets: Secrets,
    formats: tuple[str, ...] = FORMATS, case: str | None = None, name: str = "briefing",
) -> Publication:  # fmt: skip
    """Render the briefing and write it, only if every disclosure check passes (there is no override)."""
    rendered = _render(location, outline, actor=actor, secrets=secrets, case=case, formats=formats)
    if not rendered.report.ok:
        raise DisclosureBlocked(rendered.report.summary())
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        if fmt in rendered.files:
            path = directory / f"{name}.{fmt}"
            _write(path, rendered.files[fmt])
            written.append(path)
    return Publication(written, rendered.notes, rendered.report)


def _write(path: Path, content: bytes) -> None:
    """Write a file whole or not at all (a temporary file beside it, then renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
