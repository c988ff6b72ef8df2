"""Use cases of publishing: check a briefing's disclosure, and publish it only when every check passes.

Publishing needs the case's keys (the leak scan compares the output with every
restricted value) but never shows a restricted value to the user: reports
name the witness, the field and where, not what.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corroborate.analysis import assess_case
from corroborate.domain import Case
from corroborate.errors import DisclosureBlocked
from corroborate.publish import (
    DisclosureReport,
    RenderedBriefing,
    build_briefing,
    load_outline,
    load_style,
    render_html,
    render_pdf,
    run_disclosure_checks,
)
from corroborate.store import load_case, open_store

from .access import Action, Actor
from .cases import actor_case
from .keyring import Secrets, case_keys

__all__ = ["Publication", "check_disclosure", "publish"]


@dataclass(frozen=True)
class Publication:
    """What was written."""

    files: list[Path]
    notes: int
    report: DisclosureReport


def _prepare(
    location: str, outline_path: str | Path, *, actor: Actor, secrets: Secrets, case: str | None
) -> tuple[RenderedBriefing, DisclosureReport]:
    outline = load_outline(outline_path)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.publish, case)
        full: Case = load_case(session, row.ref, keys=case_keys(session, row, secrets, location=location))
    public = full.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in full.witnesses]})
    style = load_style(outline.style, base=Path(outline_path).parent)
    briefing = build_briefing(public, outline, style, assess_case(public))
    restricted = {w.id: w.restricted for w in full.witnesses if w.restricted is not None}
    report = run_disclosure_checks(
        public,
        cited=briefing.cited,
        quoted=briefing.quoted,
        text=briefing.text,
        policy=outline.disclosure,
        restricted=restricted,
        where=briefing.where,
    )
    return briefing, report


def check_disclosure(
    location: str, outline: str | Path, *, actor: Actor, secrets: Secrets, case: str | None = None
) -> DisclosureReport:
    """Run every disclosure check on the briefing the outline would produce; write nothing."""
    return _prepare(location, outline, actor=actor, secrets=secrets, case=case)[1]


def publish(
    location: str, outline: str | Path, out_dir: str | Path, *, actor: Actor, secrets: Secrets,
    formats: tuple[str, ...] = ("html", "pdf"), case: str | None = None, name: str = "briefing",
) -> Publication:  # fmt: skip
    """Render the briefing and write it, only if every disclosure check passes (there is no override)."""
    briefing, report = _prepare(location, outline, actor=actor, secrets=secrets, case=case)
    if not report.ok:
        raise DisclosureBlocked(report.summary())
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    page = render_html(briefing)
    written = []
    if "html" in formats:
        path = directory / f"{name}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        path = directory / f"{name}.pdf"
        render_pdf(page, path)
        written.append(path)
    return Publication(written, len(briefing.notes), report)
