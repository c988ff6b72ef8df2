"""The disclosure check is no identity oracle: an editor learns at most which blocks hold a restricted value.

The attack (issue 9): an editor, holding an investigator's unlock session,
ran `check-disclosure` on an outline full of candidate names, dates and
towns, and read every witness's name, birth date and town off the report's
witness, field and character positions. Now an editor's check runs on the
case's keyed scan index, reports blocks only, writes every hit to the audit
log and stops at the case's daily limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

import planted
from corroborate import services
from corroborate.errors import CaseLocked, DisclosureSuspended, Forbidden, ScanIndexUnusable
from corroborate.services import LOCAL_OWNER, Role, Secrets
from corroborate.services import publish as publishing
from corroborate.store import open_store
from corroborate.store.schema import ScanIndexRow
from support import PASSPHRASE

CASE = "planted"
PASSWORD = "a long enough password"
# One guess per block; the heading itself is a guess too (the report must not repeat it).
GUESSES = ["Pak Sun-ok", "Kim Chol-su", "born 11 Feb 1940", "call +86 130 5550 0147", "Yanji", "Helong, Jilin"]
RESTRICTED_GUESSES = {0, 2, 3, 5}


def probe(tmp: Path) -> Path:
    document: dict[str, Any] = {
        "title": "Guesses",
        "organisation": "Corroborate Watch",
        "disclosure": {"k": 1},
        "sections": [{"heading": "Ri Chol-min", "blocks": [{"p": f"Is it {g}?"} for g in GUESSES]}],
    }
    return planted.write(tmp / "probe.yaml", document)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    location = str(tmp_path / "store.db")
    casefile = planted.write(tmp_path / "case.yaml", planted.casefile({}))
    owner_secrets = Secrets(passphrase=lambda _c: PASSPHRASE, session_dir=tmp_path / "sessions")
    services.import_casefile(location, casefile, actor=LOCAL_OWNER, secrets=owner_secrets)
    for name, role in (("olga", Role.owner), ("ivan", Role.investigator), ("eve", Role.editor)):
        services.add_user(location, name, PASSWORD, role, actor=LOCAL_OWNER, secrets=owner_secrets)
    users = {name: services.authenticate(location, name, PASSWORD) for name in ("olga", "ivan", "eve")}
    return {"location": location, "users": users, "owner_secrets": owner_secrets, "tmp": tmp_path}


def _session(world: dict[str, Any], *, scan_only: bool) -> Secrets:
    """What the investigator hands the editor: the token of their unlock session (the shell shares the folder)."""
    token = services.unlock(world["location"], actor=world["users"]["ivan"], secrets=world["owner_secrets"],
                            minutes=10, scan_only=scan_only)  # fmt: skip
    return Secrets(session_token=token, session_dir=world["tmp"] / "sessions")


def _check(world: dict[str, Any], user: str, secrets: Secrets) -> Any:
    return publishing.check_disclosure(world["location"], probe(world["tmp"]), actor=world["users"][user],
                                       secrets=secrets)  # fmt: skip


def test_an_editor_learns_blocks_only_not_witness_field_or_position(world: dict[str, Any]) -> None:
    editor = _check(world, "eve", _session(world, scan_only=False))  # even with the investigator's full session
    assert not editor.ok
    blocks = [f"section 1, block {n + 1}" for n in sorted(RESTRICTED_GUESSES)]
    html = [p for p in editor.places if not p.startswith("PDF page")]
    assert html == ["contents", "section 1, heading", *blocks]  # the heading is a guess too
    assert len(editor.places) > len(html)  # and the PDF's pages
    assert all(not leak.witness and not leak.field and leak.start == leak.end == 0 for leak in editor.leaks)
    text = "\n".join(editor.summary())
    for telltale in ("W-00", "characters", "name", "birth", "contact", "location", "Ri Chol-min", "Pak"):
        assert telltale not in text, telltale
    # The owner, who may see identities, is told whose value, which field, where: the same blocks.
    owner = _check(world, "olga", world["owner_secrets"])
    assert set(owner.places) == set(editor.places) and all(leak.witness for leak in owner.leaks)


def test_every_hit_is_audited_with_the_user(world: dict[str, Any]) -> None:
    _check(world, "eve", _session(world, scan_only=True))
    entries = services.audit_entries(world["location"], actor=world["users"]["olga"], entity="disclosure")
    hits = len(_check(world, "olga", world["owner_secrets"]).places)
    assert [(e.actor, e.action, e.case) for e in entries] == [("eve", "hit", CASE)] * hits
    assert services.verify(world["location"], actor=LOCAL_OWNER).ok  # unsigned entries of this kind are allowed


def test_the_daily_limit_suspends_an_editor_until_an_owner_lifts_it(world: dict[str, Any]) -> None:
    loc, olga = world["location"], world["users"]["olga"]
    per_check = len(_check(world, "olga", world["owner_secrets"]).places)  # blocks and pages hit by the probe
    services.set_hit_limit(loc, per_check + 1, actor=olga, secrets=world["owner_secrets"])
    scan = _session(world, scan_only=True)
    assert not _check(world, "eve", scan).ok  # under the limit
    assert not _check(world, "eve", scan).ok  # over it: suspended from now on
    with pytest.raises(DisclosureSuspended):
        _check(world, "eve", scan)
    with pytest.raises(DisclosureSuspended):
        publishing.publish(loc, probe(world["tmp"]), world["tmp"] / "out", actor=world["users"]["eve"], secrets=scan)
    alerts = services.disclosure_alerts(loc, actor=olga)
    assert [(a.user, a.hits, a.suspended) for a in alerts] == [("eve", 2 * per_check, True)]
    with pytest.raises(Forbidden):
        services.lift_suspension(loc, "eve", actor=world["users"]["eve"], secrets=scan)
    services.lift_suspension(loc, "eve", actor=olga, secrets=world["owner_secrets"])
    assert not _check(world, "eve", scan).ok  # checks run again, counted afresh
    assert services.disclosure_alerts(loc, actor=olga)[0].hits == per_check
    assert services.verify(loc, actor=LOCAL_OWNER).ok


def test_a_scan_only_session_checks_but_opens_no_identity(world: dict[str, Any]) -> None:
    scan = _session(world, scan_only=True)
    ivan = world["users"]["ivan"]
    with pytest.raises(CaseLocked):
        services.identities(world["location"], actor=ivan, secrets=scan)
    clean = planted.write(world["tmp"] / "clean.yaml", {**yaml_outline(), "title": "Nothing to see"})
    report = publishing.publish(world["location"], clean, world["tmp"] / "out", actor=world["users"]["eve"],
                                secrets=scan).report  # fmt: skip
    assert report.ok and report.scanned_witnesses == 3


def yaml_outline() -> dict[str, Any]:
    return {
        "organisation": "Corroborate Watch",
        "disclosure": {"k": 1},
        "sections": [{"heading": "Overview", "blocks": [{"p": "People crossed the river in winter."}]}],
    }


def test_an_identity_change_rebuilds_the_index_and_a_stale_one_is_refused(world: dict[str, Any]) -> None:
    loc, scan = world["location"], _session(world, scan_only=True)
    services.set_hit_limit(loc, 1000, actor=world["users"]["olga"], secrets=world["owner_secrets"])
    assert "section 1, block 2" not in _check(world, "eve", scan).places
    with open_store(loc) as store, store.transaction() as session:
        old = bytes(session.get(ScanIndexRow, 1).sealed), session.get(ScanIndexRow, 1).digest
    services.set_identity(loc, "W-003", {"aliases": ["Kim Chol-su"]}, actor=world["users"]["ivan"],
                          secrets=world["owner_secrets"])  # fmt: skip
    places = _check(world, "eve", scan).places
    assert "section 1, block 2" in places  # the new alias is found at once
    with open_store(loc) as store, store.engine.begin() as conn:  # an older index put back
        conn.execute(update(ScanIndexRow).values(sealed=old[0], digest=old[1]))
    with pytest.raises(ScanIndexUnusable, match="identities changed"):
        _check(world, "eve", scan)


def test_without_a_scan_key_an_editor_is_told_whom_to_ask(world: dict[str, Any]) -> None:
    with pytest.raises(ScanIndexUnusable, match="unlock --scan-only"):
        _check(world, "eve", Secrets(session_dir=world["tmp"] / "sessions"))
