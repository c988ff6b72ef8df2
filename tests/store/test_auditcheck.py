"""Tampering with a store by someone who can write the database but holds no case key: every kind is caught.

Each attack uses the project's own code to recompute hashes (``forgery``), so
the chain it leaves is internally consistent: hash checks alone, as before
logs were signed, passed every one of these (``chain_is_consistent``). The
user verified the store before the attack, so their trust file pins the
case's key and remembers the head they saw.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, create_engine, delete, func, insert, select, text, update

from corroborate import services
from corroborate.errors import AuditTampered, SealedFieldInvalid, SigningKeyNeeded
from corroborate.services import LOCAL_OWNER, Role, Secrets
from corroborate.store.audit import row_hash
from corroborate.store.schema import (
    AuditRow,
    AuditSignatureRow,
    CaseKeyRow,
    CaseRow,
    ClaimRow,
    MembershipRow,
    UserRow,
    WitnessIdentityRow,
    WitnessRow,
)
from forgery import (
    append_entry,
    audit_row_change,
    chain_is_consistent,
    connection,
    rebuild_log,
    rechain,
    rows_of,
    sign_everything,
    swap_public_key,
)
from support import PASSPHRASE, drop_postgres

CASE = "border-crossers-2007"
ENTITIES = ["case", "witness", "identity", "interview", "document", "excerpt", "proposition", "claim",
            "recommendation", "case_key", "user", "membership", "case_secret"]  # fmt: skip


@dataclass
class Pristine:
    location: str
    old_identity: bytes  # W-002's ciphertext before its identity was changed (revision 1)


def _secrets(trust: Path | None, sessions: Path) -> Secrets:
    return Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=sessions, trust_file=trust)


def _build(location: str, reference_case_path: Path, root: Path) -> Pristine:
    secrets = _secrets(None, root / "sessions")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with connection(location) as conn:
        old = conn.execute(
            select(WitnessIdentityRow.sealed).join(WitnessRow).where(WitnessRow.ref == "W-002")
        ).scalar_one()
    services.set_identity(location, "W-002", {"notes": "second interview planned"}, actor=LOCAL_OWNER,
                          secrets=secrets)  # fmt: skip
    services.add_user(location, "olga", "owner password 1", Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(location, "viewer-v", "viewer password 1", Role.viewer, actor=LOCAL_OWNER, case=CASE,
                      secrets=secrets)  # fmt: skip
    services.add_user(location, "analyst-a", "analyst password 1", Role.analyst, actor=LOCAL_OWNER,
                      secrets=secrets)  # fmt: skip
    return Pristine(location, bytes(old))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def pristine(
    request: pytest.FixtureRequest, reference_case_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pristine]:
    """The reference case, an identity changed and two users added; built once per backend, copied per test."""
    root = tmp_path_factory.mktemp("pristine")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
        patch.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
        if request.param == "sqlite":
            yield _build(str(root / "case.db"), reference_case_path, root)
            return
        admin = request.getfixturevalue("postgres_server")
        from support import fresh_postgres

        url = fresh_postgres(admin)
        try:
            yield _build(url, reference_case_path, root)
        finally:
            drop_postgres(admin, url)


@dataclass
class Target:
    location: str
    trust: Path
    old_identity: bytes
    sessions: Path

    def secrets(self, *, trust: bool = True) -> Secrets:
        return _secrets(self.trust if trust else None, self.sessions)

    def verify(self) -> services.Verification:
        return services.verify(self.location, actor=LOCAL_OWNER, trust_file=self.trust)


@pytest.fixture
def target(pristine: Pristine, tmp_path: Path) -> Iterator[Target]:
    """A copy of the pristine store that its user has verified (key pinned, head seen)."""
    if "://" not in pristine.location:
        location = str(tmp_path / "case.db")
        shutil.copy(pristine.location, location)
        cleanup: Callable[[], None] = lambda: None  # noqa: E731
    else:
        base, _, name = pristine.location.rpartition("/")
        copy = f"corroborate_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"'))
        admin.dispose()
        location = f"{base}/{copy}"
        cleanup = lambda: drop_postgres(f"{base}/postgres", location)  # noqa: E731
    t = Target(location, tmp_path / "trust.json", pristine.old_identity, tmp_path / "sessions")
    first = t.verify()
    assert first.ok and first.newly_pinned == [CASE], first.problems
    try:
        yield t
    finally:
        cleanup()


def _one(conn: Connection, query: object) -> object:
    return conn.execute(query).scalar_one()  # type: ignore[call-overload]


def _claim_ref(conn: Connection) -> str:
    return str(_one(conn, select(ClaimRow.ref).where(ClaimRow.position == 0)))


def forged_claim_edit(conn: Connection) -> None:
    """Change a claim's stance and 'audit' it with a well-chained entry."""
    ref = _claim_ref(conn)
    conn.execute(update(ClaimRow).where(ClaimRow.ref == ref).values(stance="contradicts"))
    audit_row_change(conn, "claim", f"{CASE}/{ref}", CASE)


def rewritten_history(conn: Connection) -> None:
    """Change a claim, rewrite its entry to match and recompute the chain after it."""
    ref = _claim_ref(conn)
    conn.execute(update(ClaimRow).where(ClaimRow.ref == ref).values(stance="contradicts"))
    row = next(r for name, r in rows_of(conn, "claim") if name == f"{CASE}/{ref}")
    seq = _one(conn, select(func.max(AuditRow.seq)).where(AuditRow.entity_id == f"{CASE}/{ref}"))
    conn.execute(update(AuditRow).where(AuditRow.seq == seq).values(after_hash=row_hash(row)))
    rechain(conn)


def rebuilt_log(conn: Connection) -> None:
    """Change a claim, drop the whole log and its signatures, and write a fresh consistent one."""
    conn.execute(update(ClaimRow).where(ClaimRow.position == 0).values(stance="contradicts"))
    rebuild_log(conn, ENTITIES)


def rebuilt_and_resigned(conn: Connection) -> None:
    """Rebuild the log, put the attacker's public key in the store and sign the head with it."""
    attacker = Ed25519PrivateKey.generate()
    conn.execute(update(ClaimRow).where(ClaimRow.position == 0).values(stance="contradicts"))
    swap_public_key(conn, int(_one(conn, select(CaseRow.pk))), attacker)
    rebuild_log(conn, ENTITIES)
    sign_everything(conn, CASE, attacker)


def resigned_without_swapping(conn: Connection) -> None:
    """Forge an entry and sign the head with the attacker's key, leaving the stored public key alone."""
    forged_claim_edit(conn)
    sign_everything(conn, CASE, Ed25519PrivateKey.generate())


def _identity_pk(conn: Connection) -> int:
    return int(_one(conn, select(WitnessRow.pk).where(WitnessRow.ref == "W-002")))


def viewer_raised_to_owner(conn: Connection) -> None:
    user = _one(conn, select(UserRow.pk).where(UserRow.username == "viewer-v"))
    conn.execute(update(MembershipRow).where(MembershipRow.user_pk == user).values(role="owner"))
    audit_row_change(conn, "membership", f"viewer-v@{CASE}", CASE)


def store_wide_owner_granted(conn: Connection) -> None:
    conn.execute(insert(UserRow).values(username="mallory", password_hash=PasswordHasher().hash("mallory pw 123"),
                                        totp_secret=None, disabled=False, created_at="2026-12-02"))  # fmt: skip
    user = _one(conn, select(UserRow.pk).where(UserRow.username == "mallory"))
    conn.execute(insert(MembershipRow).values(user_pk=user, case_pk=None, role="owner"))
    audit_row_change(conn, "user", "mallory", None)
    audit_row_change(conn, "membership", "mallory@*", None)


def password_replaced(conn: Connection) -> None:
    conn.execute(update(UserRow).where(UserRow.username == "analyst-a")
                 .values(password_hash=PasswordHasher().hash("mallory knows this")))  # fmt: skip
    audit_row_change(conn, "user", "analyst-a", None)


def case_key_replaced(conn: Connection) -> None:
    conn.execute(update(CaseKeyRow).values(wrapped=b"\x00" * 60))
    audit_row_change(conn, "case_key", f"{CASE}/v1", CASE)


def public_key_swapped(conn: Connection) -> None:
    swap_public_key(conn, int(_one(conn, select(CaseRow.pk))), Ed25519PrivateKey.generate())
    audit_row_change(conn, "case_secret", f"{CASE}/signing", CASE)


def newest_signature_deleted(conn: Connection) -> None:
    forged_claim_edit(conn)
    conn.execute(delete(AuditSignatureRow).where(AuditSignatureRow.seq == select(func.max(AuditSignatureRow.seq))
                                                 .scalar_subquery()))  # fmt: skip


def signature_moved(conn: Connection) -> None:
    """Move the newest signature onto a forged entry appended after it."""
    forged_claim_edit(conn)
    newest = _one(conn, select(func.max(AuditRow.seq)))
    conn.execute(update(AuditSignatureRow).where(AuditSignatureRow.seq == select(func.max(AuditSignatureRow.seq))
                                                 .scalar_subquery()).values(seq=newest))  # fmt: skip


def entry_filed_under_no_case(conn: Connection) -> None:
    """Audit a claim edit as a store-wide entry, hoping to escape the case's signature."""
    ref = _claim_ref(conn)
    conn.execute(update(ClaimRow).where(ClaimRow.ref == ref).values(stance="contradicts"))
    audit_row_change(conn, "claim", f"{CASE}/{ref}", None)


def entry_times_rewritten(conn: Connection) -> None:
    conn.execute(update(AuditRow).where(AuditRow.seq == 3).values(actor="someone else", at="2001-01-01"))
    rechain(conn)


def unknown_entity_entry(conn: Connection) -> None:
    append_entry(conn, CASE, "memo", f"{CASE}/m1", "create", after="0" * 64)


def truncated(conn: Connection) -> None:
    """Cut the last write (the analyst's account) from the log, with its rows and signatures."""
    first = _one(conn, select(func.min(AuditRow.seq)).where(AuditRow.entity_id.in_(["analyst-a", "analyst-a@*"])))
    conn.execute(delete(MembershipRow).where(MembershipRow.case_pk.is_(None)))
    conn.execute(delete(UserRow).where(UserRow.username == "analyst-a"))
    conn.execute(delete(AuditSignatureRow).where(AuditSignatureRow.seq >= first))
    conn.execute(delete(AuditRow).where(AuditRow.seq >= first))


ATTACKS: dict[str, tuple[Callable[[Connection], None], str]] = {
    "forged claim edit": (forged_claim_edit, "are not signed by"),
    "rewritten history": (rewritten_history, "signature does not verify"),
    "rebuilt log": (rebuilt_log, "are not signed by"),
    "rebuilt log re-signed with a swapped key": (rebuilt_and_resigned, "not the key you pinned"),
    "re-signed with the attacker's key": (resigned_without_swapping, "signature does not verify"),
    "viewer raised to owner": (viewer_raised_to_owner, "are not signed by"),
    "store-wide owner granted": (store_wide_owner_granted, "(users and store-wide roles)"),
    "password hash replaced": (password_replaced, "(users and store-wide roles)"),
    "case key replaced": (case_key_replaced, "are not signed by"),
    "public signing key swapped": (public_key_swapped, "not the key you pinned"),
    "newest signature deleted": (newest_signature_deleted, "are not signed by"),
    "signature moved onto a forgery": (signature_moved, "signature does not verify"),
    "entry filed under no case": (entry_filed_under_no_case, "another case"),
    "entry actor and time rewritten": (entry_times_rewritten, "signature does not verify"),
    "entry about an unknown kind of row": (unknown_entity_entry, "names no kind"),
    "newest entries cut off": (truncated, "the entry you saw last is missing"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_tampering_is_caught(target: Target, attack: str) -> None:
    tamper, fragment = ATTACKS[attack]
    with connection(target.location) as conn:
        tamper(conn)
        assert chain_is_consistent(conn), "the forgery should fool a check of hashes alone"
    result = target.verify()
    assert not result.ok
    assert any(fragment in str(p) for p in result.problems), [str(p) for p in result.problems]


def _roll_back_identity(target: Target, *, revision: int | None) -> None:
    with connection(target.location) as conn:
        values: dict[str, object] = {"sealed": target.old_identity}
        if revision is not None:
            values["revision"] = revision
        conn.execute(update(WitnessIdentityRow).where(WitnessIdentityRow.witness_pk == _identity_pk(conn))
                     .values(**values))  # fmt: skip
        audit_row_change(conn, "identity", f"{CASE}/W-002", CASE)
        assert chain_is_consistent(conn)


def test_an_identity_ciphertext_put_back_fails_to_open_and_is_caught(target: Target) -> None:
    _roll_back_identity(target, revision=None)  # the old ciphertext, in a row at revision 2
    with pytest.raises(SealedFieldInvalid):
        services.identities(target.location, actor=LOCAL_OWNER, secrets=target.secrets())
    assert any("are not signed by" in str(p) for p in target.verify().problems)


def test_an_identity_row_rolled_back_whole_is_caught(target: Target) -> None:
    _roll_back_identity(target, revision=1)  # ciphertext and revision as they were: it opens
    identity = services.identities(target.location, actor=LOCAL_OWNER, secrets=target.secrets())["W-002"]
    assert identity.notes != "second interview planned"
    assert any("are not signed by" in str(p) for p in target.verify().problems)


def test_cutting_entries_then_writing_again_is_caught(target: Target) -> None:
    """Someone else (who never saw the cut entries) writes after the cut; the user who saw them still notices."""
    with connection(target.location) as conn:
        truncated(conn)
    services.set_identity(target.location, "W-003", {"notes": "moved"}, actor=LOCAL_OWNER,
                          secrets=target.secrets(trust=False))  # fmt: skip
    services.set_identity(target.location, "W-004", {"notes": "moved"}, actor=LOCAL_OWNER,
                          secrets=target.secrets(trust=False))  # fmt: skip
    problems = [str(p) for p in target.verify().problems]
    assert any("the entry you saw last" in p for p in problems), problems
    # the user who saw them refuses to add to such a log
    with pytest.raises(AuditTampered):
        services.set_identity(target.location, "W-005", {"notes": "x"}, actor=LOCAL_OWNER, secrets=target.secrets())


def _entries(location: str) -> int:
    with connection(location) as conn:
        return int(_one(conn, select(func.count()).select_from(AuditRow)))


def test_a_key_holder_never_signs_over_a_forgery(target: Target) -> None:
    with connection(target.location) as conn:
        forged_claim_edit(conn)
    before = _entries(target.location)
    with pytest.raises(AuditTampered, match="written without a key"):
        services.set_identity(target.location, "W-003", {"notes": "x"}, actor=LOCAL_OWNER,
                              secrets=target.secrets(trust=False))  # fmt: skip
    assert _entries(target.location) == before


def test_a_swapped_public_key_stops_every_write(target: Target) -> None:
    with connection(target.location) as conn:
        swap_public_key(conn, int(_one(conn, select(CaseRow.pk))), Ed25519PrivateKey.generate())
    with pytest.raises(AuditTampered, match="public signing key"):
        services.set_identity(target.location, "W-003", {"notes": "x"}, actor=LOCAL_OWNER,
                              secrets=target.secrets(trust=False))  # fmt: skip


def test_user_changes_need_the_case_key(target: Target) -> None:
    before = _entries(target.location)
    with pytest.raises(SigningKeyNeeded):
        services.add_user(target.location, "newcomer", "newcomer pass 1", Role.editor, actor=LOCAL_OWNER, case=CASE)
    assert _entries(target.location) == before


def test_an_untampered_store_verifies_after_more_writes(target: Target) -> None:
    services.set_identity(target.location, "W-003", {"notes": "x"}, actor=LOCAL_OWNER, secrets=target.secrets())
    services.remove_user(target.location, "viewer-v", actor=LOCAL_OWNER, secrets=target.secrets())
    services.rekey(target.location, "another good passphrase", actor=LOCAL_OWNER, secrets=target.secrets())
    result = target.verify()
    assert result.ok, result.problems
    assert result.report.signed == result.report.head_seq
