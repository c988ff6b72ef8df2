"""Audit use cases: pinning keys, per-case verification, users' own signatures, signing an old case's log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update
from typer.testing import CliRunner

from corroborate import services
from corroborate.cli import app
from corroborate.domain import Case, Claim
from corroborate.errors import CaseNotFound, Forbidden, SigningKeyNeeded, TrustMismatch
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets, analysis
from corroborate.store import AuditWriter, open_store
from corroborate.store.audit import head_message
from corroborate.store.schema import AuditRow, AuditSignatureRow, MembershipRow, UserRow
from forgery import audit_row_change, connection
from support import PASSPHRASE

CASE = "border-crossers-2007"
OTHER = "second-case"


@pytest.fixture
def reference(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture
def two_cases(store_location: str, reference: Case, secrets: Secrets) -> str:
    services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    other = reference.model_copy(update={"case": reference.case.model_copy(update={"id": OTHER})})
    services.import_case(store_location, other, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def test_the_first_verification_pins_each_key_once(two_cases: str, tmp_path: Path) -> None:
    trust = tmp_path / "mine.json"
    first = services.verify(two_cases, actor=LOCAL_OWNER, trust_file=trust)
    assert first.ok and first.newly_pinned == [CASE, OTHER]
    assert {k.pinned for k in first.keys} == {"yes"}
    again = services.verify(two_cases, actor=LOCAL_OWNER, trust_file=trust)
    assert again.ok and again.newly_pinned == []
    fingerprints = {k.case: k.fingerprint for k in services.case_fingerprints(two_cases, actor=LOCAL_OWNER)}
    assert fingerprints[CASE] != fingerprints[OTHER] and len(fingerprints[CASE].split()) == 10


def test_creating_a_case_pins_its_key(store_location: str, reference: Case, tmp_path: Path) -> None:
    trust = tmp_path / "creator.json"
    secrets = Secrets(passphrase=lambda _c: PASSPHRASE, session_dir=tmp_path / "s", trust_file=trust)
    services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    keys = services.case_fingerprints(store_location, actor=LOCAL_OWNER, trust_file=trust)
    assert [(k.case, k.pinned) for k in keys] == [(CASE, "yes")]
    assert services.verify(store_location, actor=LOCAL_OWNER, trust_file=trust).newly_pinned == []


def test_a_key_is_pinned_only_from_its_own_fingerprint(two_cases: str, tmp_path: Path) -> None:
    trust = tmp_path / "paper.json"
    keys = {k.case: k.fingerprint for k in services.case_fingerprints(two_cases, actor=LOCAL_OWNER)}
    with pytest.raises(TrustMismatch):
        services.pin_case_key(two_cases, CASE, keys[OTHER], actor=LOCAL_OWNER, trust_file=trust)
    assert not trust.exists()
    pinned = services.pin_case_key(two_cases, CASE, keys[CASE].lower().replace(" ", ""), actor=LOCAL_OWNER,
                                   trust_file=trust)  # fmt: skip
    assert pinned.pinned == "yes"
    assert services.verify(two_cases, actor=LOCAL_OWNER, trust_file=trust).newly_pinned == [OTHER]


def test_a_one_case_user_verifies_and_sees_only_their_case(two_cases: str, secrets: Secrets) -> None:
    services.add_user(two_cases, "olga", "olga's password 1", Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(two_cases, "ana", "ana's password 1", Role.analyst, actor=LOCAL_OWNER, case=CASE,
                      secrets=secrets)  # fmt: skip
    services.add_user(two_cases, "vic", "vic's password 1", Role.viewer, actor=LOCAL_OWNER, case=CASE,
                      secrets=secrets)  # fmt: skip
    ana = services.authenticate(two_cases, "ana", "ana's password 1")
    assert services.verify(two_cases, actor=ana).ok
    with open_store(two_cases) as store, store.engine.begin() as conn:
        conn.execute(text(f"UPDATE witnesses SET age = 99 WHERE ref = 'W-004' AND case_pk = "
                          f"(SELECT pk FROM cases WHERE ref = '{OTHER}')"))  # fmt: skip
    result = services.verify(two_cases, actor=ana)
    assert not result.ok and result.problems == [] and result.hidden_problems == 1
    with pytest.raises(Forbidden):
        services.verify(two_cases, actor=services.authenticate(two_cases, "vic", "vic's password 1"))


def test_verifying_from_a_case_is_refused_by_the_service_to_a_role_that_may_not_there(
    two_cases: str, tmp_path: Path
) -> None:
    """A user who may verify one case asks from the other's page, where they are only a viewer: the service
    itself refuses, before it reads the log or pins a key (on its own it would verify the case they may)."""
    mixed = Actor("mia", {CASE: Role.analyst, OTHER: Role.viewer})
    trust = tmp_path / "mia.json"
    with pytest.raises(Forbidden) as refused:
        services.verify(two_cases, actor=mixed, trust_file=trust, case=OTHER)
    assert (refused.value.role, refused.value.action, refused.value.case_id) == ("viewer", "audit_verify", OTHER)
    with pytest.raises(CaseNotFound):
        services.verify(two_cases, actor=LOCAL_OWNER, trust_file=trust, case="no-such-case")
    assert not trust.exists(), "nothing was pinned"
    allowed = services.verify(two_cases, actor=mixed, trust_file=trust, case=CASE)
    assert allowed.ok and CASE in allowed.newly_pinned and trust.exists()


def test_an_analyst_signs_the_claims_they_code(store_location: str, reference: Case, secrets: Secrets) -> None:
    services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(store_location, "olga", "olga's password 1", Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(store_location, "ana", "ana's password 1", Role.analyst, actor=LOCAL_OWNER, case=CASE,
                      secrets=secrets)  # fmt: skip
    ana = services.authenticate(store_location, "ana", "ana's password 1")
    claim = Claim(id="C-by-ana", excerpt=reference.excerpts[0].id, proposition=reference.propositions[0].key)
    analysis.add_claim(store_location, claim, actor=ana)  # no case key: signed by ana herself
    report = services.verify(store_location, actor=LOCAL_OWNER).report
    assert report.ok and report.signed == report.head_seq
    # ana, who can write the database, signs her own way to owner: her key covers claims only
    assert ana.signing_key is not None
    with connection(store_location) as conn:
        conn.execute(update(MembershipRow).values(role="owner"))
        seq = audit_row_change(conn, "membership", f"ana@{CASE}", CASE)
        head = conn.execute(select(AuditRow.entry_hash).where(AuditRow.seq == seq)).scalar_one()
        signature = ana.signing_key.sign(head_message("@ana", seq, head))
        conn.execute(insert(AuditSignatureRow).values(seq=seq, signer="@ana", signature=signature))
    problems = [str(p) for p in services.verify(store_location, actor=LOCAL_OWNER).problems]
    assert any(f"are not signed by case {CASE}" in p for p in problems), problems


def test_without_an_account_a_claim_is_signed_with_the_case_key(
    store_location: str, reference: Case, secrets: Secrets
) -> None:
    services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    claim = Claim(id="C-local", excerpt=reference.excerpts[0].id, proposition=reference.propositions[0].key)
    with pytest.raises(SigningKeyNeeded):
        analysis.add_claim(store_location, claim, actor=LOCAL_OWNER)
    analysis.add_claim(store_location, claim, actor=LOCAL_OWNER, secrets=secrets)
    assert services.verify(store_location, actor=LOCAL_OWNER).ok


def test_a_removed_users_signatures_still_verify(store_location: str, reference: Case, secrets: Secrets) -> None:
    services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(store_location, "olga", "olga's password 1", Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(store_location, "ana", "ana's password 1", Role.analyst, actor=LOCAL_OWNER, case=CASE,
                      secrets=secrets)  # fmt: skip
    ana = services.authenticate(store_location, "ana", "ana's password 1")
    claim = Claim(id="C-by-ana", excerpt=reference.excerpts[0].id, proposition=reference.propositions[0].key)
    analysis.add_claim(store_location, claim, actor=ana)
    services.remove_user(store_location, "ana", actor=LOCAL_OWNER, secrets=secrets)
    assert services.verify(store_location, actor=LOCAL_OWNER).ok
    with open_store(store_location) as store, store.transaction() as session:
        assert session.query(UserRow).filter_by(username="ana").one().disabled


def test_a_case_from_before_signed_logs_is_signed_once_checked(
    store_location: str, reference: Case, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    import corroborate.services.cases as cases_module

    with monkeypatch.context() as patch:  # what a store made by the previous version holds: no signing key
        patch.setattr(cases_module, "new_case_signing_key", lambda *a, **k: None)
        patch.setattr(AuditWriter, "_check_signers", lambda self, _keys: None)
        services.import_case(store_location, reference, actor=LOCAL_OWNER, secrets=secrets)
    problems = [str(p) for p in services.verify(store_location, actor=LOCAL_OWNER).problems]
    assert any("has no signing key" in p for p in problems)
    with pytest.raises(SigningKeyNeeded, match="audit sign"):
        services.set_identity(store_location, "W-002", {"notes": "x"}, actor=LOCAL_OWNER, secrets=secrets)
    key = services.sign_log(store_location, actor=LOCAL_OWNER, secrets=secrets)
    assert key.case == CASE
    assert services.verify(store_location, actor=LOCAL_OWNER).ok
    services.set_identity(store_location, "W-002", {"notes": "x"}, actor=LOCAL_OWNER, secrets=secrets)
    assert services.verify(store_location, actor=LOCAL_OWNER).ok


def test_cli_fingerprint_trust_and_forget(two_cases: str, tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "CORROBORATE_TRUST_FILE": str(tmp_path / "cli.json")})
    shown = runner.invoke(app, ["audit", "fingerprint", two_cases])
    assert shown.exit_code == 0 and CASE in shown.stdout and " no" in shown.stdout
    keys = {k.case: k.fingerprint for k in services.case_fingerprints(two_cases, actor=LOCAL_OWNER)}
    wrong = runner.invoke(app, ["audit", "trust", two_cases, "--case", CASE, "--fingerprint", keys[OTHER]])
    assert wrong.exit_code == 2 and "nothing was pinned" in wrong.stderr
    right = runner.invoke(app, ["audit", "trust", two_cases, "--case", CASE, "--fingerprint", keys[CASE]])
    assert right.exit_code == 0 and keys[CASE] in right.stdout
    verified = runner.invoke(app, ["audit", "verify", two_cases])
    assert verified.exit_code == 0 and f"pinned the signing key of case {OTHER}" in verified.stderr
    assert runner.invoke(app, ["audit", "forget", two_cases]).stdout.startswith("forgot")
