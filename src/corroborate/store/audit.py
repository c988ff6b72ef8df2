"""The audit log: an append-only, hash-chained, signed record of every write.

Each entry says who did what to which entity and when, with the SHA-256 of the
row before and after; it never holds a restricted value (an identity's hash
is the hash of its ciphertext). Each entry's hash covers the previous
entry's hash, so editing, deleting or reordering entries breaks the chain.
Hashes alone can be recomputed by anyone who can write the database, so every
write is also signed: when a transaction commits, each case it touched signs
the new head with its Ed25519 key (sealed under the case key), and a change
to entries of every case (users, store-wide roles) is signed by every case.
A user who cannot unlock a case signs the few kinds of entries users may
write themselves (claims) with their own key. Before writing, the writer
checks that the newest signature holds and that nothing needing a signature
was appended after it, so nobody adds to a log that was forged.

Verification lives in ``auditcheck``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Result, Row, Table, event, func, select, text
from sqlalchemy.orm import Session

from corroborate.domain.collector import paused_collector
from corroborate.errors import AuditTampered, SigningKeyNeeded

from .bulk import insert_values
from .listschema import PersonListRow, PersonRecordRow
from .schema import (
    AttachmentRow,
    AuditRow,
    AuditSignatureRow,
    CaseKeyRow,
    CaseRow,
    CaseSecretRow,
    ClaimRow,
    DocumentRow,
    ExcerptRow,
    InterviewRow,
    MembershipRow,
    PropositionRow,
    RecommendationRow,
    ScanIndexRow,
    UserRow,
    WitnessIdentityRow,
    WitnessRow,
)

__all__ = [
    "ENTITIES",
    "EVENT_ENTITIES",
    "GENESIS",
    "UNSIGNED_ENTITIES",
    "USER_SIGNED_ENTITIES",
    "USER_SIGNER",
    "AuditWriter",
    "case_signing_keys",
    "check_log_tail",
    "entity_case",
    "entity_rows",
    "entry_hash",
    "head_message",
    "is_new_account",
    "public_bytes",
    "row_hash",
    "row_hashes",
    "row_values",
    "values_hash",
    "user_signing_keys",
    "verify_head",
]

GENESIS = "0" * 64
# Entries that change no row and may be written by users who cannot unlock the case
# (an editor's disclosure check that found a restricted value). They are chained
# like every other entry and covered by the next signature.
UNSIGNED_ENTITIES = frozenset({"disclosure"})
# Entries a user who cannot unlock the case may write and sign with their own key
# (claims an analyst codes). Any other change is signed by the case it belongs to.
USER_SIGNED_ENTITIES = frozenset({"claim"})
# Entries that record an event about a case rather than a row (an owner lifting a
# user's suspended disclosure checks): signed by the case like any change to it.
EVENT_ENTITIES = frozenset({"disclosure_lift"})
USER_SIGNER = "@"  # a signer named "@ana" is the user ana; case ids cannot contain "@"


def _plain(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    return value


def row_values(row: Any) -> dict[str, Any]:
    """Column values of an ORM object or a Core row."""
    if isinstance(row, Row):  # first: asking a Row for a missing attribute is slow
        return dict(row._mapping)
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


# Left out of a row's hash: a row's version (migration 0006) only orders concurrent changes, each of which
# is audited by the hash of what it changed; leaving it out keeps the hashes of rows written before it.
# An interview's date bounds (migration 0009) are derived from its date, which is hashed.
UNHASHED = frozenset({"row_version", "date_start", "date_end"})


# The canonical JSON of rows and entries, made once: ``json.dumps`` with these arguments builds the same
# encoder on every call, which was a fifth of hashing a row. The text (and so every hash) is unchanged.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_ENTRY = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_BINARY = frozenset({bytes, bytearray, memoryview})
_AUDIT_TABLE = cast(Table, AuditRow.__table__)
_ENTRY_COLUMNS = ("seq", "at", "actor", "case_ref", "entity", "entity_id", "action", "before_hash", "after_hash",
                  "prev_hash", "entry_hash")  # fmt: skip


def _digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(_CANONICAL.encode(values).encode()).hexdigest()


def row_hash(row: Any) -> str:
    """SHA-256 of a row's canonical JSON (all columns but ``UNHASHED``, bytes as base64)."""
    return values_hash(row_values(row))


def values_hash(values: Mapping[str, Any]) -> str:
    """``row_hash`` of a row given as its column values."""
    return _digest({k: _plain(v) for k, v in values.items() if k not in UNHASHED})


def row_hashes(result: Result[Any]) -> Iterator[tuple[Row[Any], str]]:
    """Each row of a query's result with its ``row_hash`` (the same value, computed faster for many rows)."""
    hashed = sorted((k, i) for i, k in enumerate(result.keys()) if k not in UNHASHED)  # sorted: less to sort
    names = [k for k, _ in hashed]
    at = [i for _, i in hashed]
    pick = itemgetter(*at) if len(at) > 1 else lambda row: (row[at[0]],)  # a tuple, even of one
    encode, sha256 = _CANONICAL.encode, hashlib.sha256
    for rows in result.partitions(2000):  # fetched in batches, not a driver call a row
        for row in rows:
            values = pick(row)
            if not _BINARY.isdisjoint(map(type, values)):
                values = tuple(map(_plain, values))
            yield row, sha256(encode(dict(zip(names, values, strict=True))).encode()).hexdigest()


def head_message(signer: str, seq: int, head_hash: str) -> bytes:
    """What a signer signs: its name and the sequence number and hash of the newest entry."""
    return f"corroborate/audit-head/1|{signer}|{seq}|{head_hash}".encode()


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte public half of a signing key."""
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def verify_head(public: bytes, signer: str, seq: int, head_hash: str, signature: bytes) -> bool:
    """True when ``signature`` is the signer's signature on that head."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(bytes(signature), head_message(signer, seq, head_hash))
    except (InvalidSignature, ValueError):
        return False
    return True


def entry_hash(e: Mapping[str, Any]) -> str:
    """The hash of an entry (all its fields but its own hash), which the next entry's ``prev_hash`` repeats."""
    fields = [e["seq"], e["at"], e["actor"], e["case_ref"], e["entity"], e["entity_id"], e["action"],
              e["before_hash"], e["after_hash"], e["prev_hash"]]  # fmt: skip
    return hashlib.sha256(_ENTRY.encode(fields).encode()).hexdigest()


class AuditWriter:
    """Appends entries for one session's writes; they are chained, written and signed just before it commits.

    A service that writes about a case gives the writer that case's signing key
    (``sign_as``); a user without the case key who writes a kind of entry users
    may sign themselves (``USER_SIGNED_ENTITIES``) gives their own key
    (``sign_as_user``). A write the keys given cannot sign is refused at commit
    (``SigningKeyNeeded``), so nothing unsigned reaches the log by mistake.
    """

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self._pending: list[dict[str, Any]] = []
        self._signers: dict[str, Ed25519PrivateKey] = {}
        self.head: tuple[int, str] | None = None  # (seq, hash) of the newest entry written, once flushed
        event.listen(session, "before_commit", self._before_commit)

    row_hash = staticmethod(row_hash)

    def sign_as(self, case_ref: str, key: Ed25519PrivateKey) -> None:
        """Sign this session's head with a case's key."""
        self._signers[case_ref] = key

    def sign_as_user(self, key: Ed25519PrivateKey) -> None:
        """Sign this session's head with the acting user's own key."""
        self._signers[USER_SIGNER + self.actor] = key

    def record(
        self,
        case_ref: str | None,
        entity: str,
        entity_id: str,
        action: str,
        before: str | None,
        after: str | None,
    ) -> None:
        """Note one write; ``before``/``after`` are row hashes (None when the row did not/does not exist)."""
        self._pending.append(
            {
                "case_ref": case_ref,
                "entity": entity,
                "entity_id": entity_id,
                "action": action,
                "before_hash": before,
                "after_hash": after,
            }  # fmt: skip
        )

    def record_row(
        self, case_ref: str | None, entity: str, entity_id: str, action: str, before: str | None, row: Any
    ) -> None:
        """Note a write whose resulting row is ``row`` (None for a deletion)."""
        self.record(case_ref, entity, entity_id, action, before, None if row is None else row_hash(row))

    def _before_commit(self, session: Session) -> None:
        self.flush()

    def flush(self) -> None:
        """Check, chain, insert and sign the pending entries (under a table lock on PostgreSQL)."""
        if not self._pending:
            return
        session = self.session
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
        keyed = case_signing_keys(session)
        self._check_signers(keyed)
        check_log_tail(session, case_keys=keyed)
        last = session.execute(select(AuditRow.seq, AuditRow.entry_hash).order_by(AuditRow.seq.desc()).limit(1)).first()
        seq, prev = (last[0], last[1]) if last else (0, GENESIS)
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        rows = []
        with paused_collector():  # an import chains hundreds of thousands of entries
            actor, encode, sha256 = self.actor, _ENTRY.encode, hashlib.sha256
            for e in self._pending:
                seq += 1
                fields = [seq, at, actor, e["case_ref"], e["entity"], e["entity_id"], e["action"],
                          e["before_hash"], e["after_hash"], prev]  # fmt: skip
                prev = sha256(encode(fields).encode()).hexdigest()  # entry_hash, inline: the same text
                fields.append(prev)
                rows.append(tuple(fields))
            insert_values(session, _AUDIT_TABLE, _ENTRY_COLUMNS, rows)
        for signer, key in sorted(self._signers.items()):
            session.add(AuditSignatureRow(seq=seq, signer=signer, signature=key.sign(head_message(signer, seq, prev))))
        session.flush()
        self.head = (seq, prev)
        self._pending.clear()

    def _check_signers(self, case_keys: Mapping[str, bytes]) -> None:
        """Refuse a write the given keys cannot sign: each entry needs its case, or the user for their own kinds."""
        keyed = set(case_keys)
        needed: set[str] = set()
        user_signs = USER_SIGNER + self.actor in self._signers
        for e in self._pending:
            if e["entity"] in UNSIGNED_ENTITIES or (e["entity"] in USER_SIGNED_ENTITIES and user_signs):
                continue
            if is_new_account(e):
                if keyed and not keyed & set(self._signers):
                    raise SigningKeyNeeded(sorted(keyed))
                continue
            needed |= keyed if e["case_ref"] is None else {e["case_ref"]}
        unkeyed = sorted(c for c in needed if c not in keyed)
        if unkeyed:
            raise SigningKeyNeeded(unkeyed, legacy=True)
        missing = sorted(needed - set(self._signers))
        if missing:
            raise SigningKeyNeeded(missing)


def is_new_account(entry: Mapping[str, Any]) -> bool:
    """A new user account: harmless until given a role, so any one case may sign it (its role's case does)."""
    return bool(entry["entity"] == "user" and entry["action"] == "create")


def case_signing_keys(session: Session, *, case_pk: int | None = None) -> dict[str, bytes]:
    """The stored public signing key of every case (or of one) that has one, by case id."""
    query = (
        select(CaseRow.ref, CaseSecretRow.public)
        .join(CaseSecretRow, CaseSecretRow.case_pk == CaseRow.pk)
        .where(CaseSecretRow.name == "signing")
    )
    if case_pk is not None:
        query = query.where(CaseRow.pk == case_pk)
    return {ref: bytes(public) for ref, public in session.execute(query) if public is not None}


def user_signing_keys(session: Session) -> dict[str, bytes]:
    """The public signing key of every user who has one, by signer name (``@`` and the user name)."""
    query = select(UserRow.username, UserRow.signing_public).where(UserRow.signing_public.is_not(None))
    return {USER_SIGNER + name: bytes(public) for name, public in session.execute(query) if public is not None}


def check_log_tail(session: Session, *, case_keys: Mapping[str, bytes] | None = None) -> None:
    """Refuse to add to a log whose newest signature fails or that holds entries after it that need one.

    Every write ends with a signature, so an entry after the newest signature
    (other than the kinds that need none) was written without a key: a forgery.
    ``case_keys``: the cases' public signing keys, when the caller read them already.
    """
    newest = select(func.max(AuditSignatureRow.seq)).scalar_subquery()
    signed = session.execute(  # the newest signatures with the entry they sign, in one round trip
        select(AuditSignatureRow.seq, AuditSignatureRow.signer, AuditSignatureRow.signature, AuditRow.entry_hash)
        .outerjoin(AuditRow, AuditRow.seq == AuditSignatureRow.seq)
        .where(AuditSignatureRow.seq == newest)
    ).all()
    if not signed:
        return  # nothing was ever signed: the first signature will cover everything before it
    last = signed[0][0]
    keys = dict(case_signing_keys(session) if case_keys is None else case_keys)
    users = sorted(
        {signer[len(USER_SIGNER) :] for _seq, signer, _sig, _head in signed if signer.startswith(USER_SIGNER)}
    )
    if users:
        query = select(UserRow.username, UserRow.signing_public).where(UserRow.username.in_(users))
        keys |= {USER_SIGNER + name: bytes(public) for name, public in session.execute(query) if public is not None}
    for _seq, signer, signature, head in signed:
        public = keys.get(signer)
        if head is None or public is None or not verify_head(public, signer, last, head, signature):
            raise AuditTampered(f"the newest signature (entry #{last}, by {signer}) does not verify; nothing was "
                                "written (run `corroborate audit verify`)")  # fmt: skip
    unsigned = session.scalar(
        select(func.min(AuditRow.seq)).where(AuditRow.seq > last, AuditRow.entity.not_in(sorted(UNSIGNED_ENTITIES)))
    )
    if unsigned is not None:
        raise AuditTampered(
            f"entry #{unsigned} and after were written without a key; nothing was written "
            "(run `corroborate audit verify`)"
        )


def _lookup(session: Session) -> dict[str, dict[int, str]]:
    cases = dict(session.execute(select(CaseRow.pk, CaseRow.ref)).all())
    witness_case = dict(session.execute(select(WitnessRow.pk, WitnessRow.case_pk)).all())
    witness_ref = dict(session.execute(select(WitnessRow.pk, WitnessRow.ref)).all())
    users = dict(session.execute(select(UserRow.pk, UserRow.username)).all())
    lists = session.execute(select(PersonListRow.pk, PersonListRow.case_pk, PersonListRow.name)).all()
    return {
        "case": {k: str(v) for k, v in cases.items()},
        "identity": {pk: f"{cases[witness_case[pk]]}/{ref}" for pk, ref in witness_ref.items()},
        "user": {k: str(v) for k, v in users.items()},
        # A list has no case only inside the transaction that replaces its case (no row has pk 0).
        "person_list": {pk: f"{cases.get(case_pk or 0, '?')}/{name}" for pk, case_pk, name in lists},
    }


# Every audited table: entity name -> (table, how to name a row).
ENTITIES: dict[str, tuple[Any, Any]] = {
    "case": (CaseRow, lambda r, m: r.ref),
    "witness": (WitnessRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "identity": (WitnessIdentityRow, lambda r, m: m["identity"][r.witness_pk]),
    "interview": (InterviewRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "document": (DocumentRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "excerpt": (ExcerptRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "proposition": (PropositionRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.key}"),
    "claim": (ClaimRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "recommendation": (RecommendationRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    "case_key": (CaseKeyRow, lambda r, m: f"{m['case'][r.case_pk]}/v{r.version}"),
    "user": (UserRow, lambda r, m: r.username),
    "membership": (MembershipRow, lambda r, m: f"{m['user'][r.user_pk]}@{m['case'].get(r.case_pk, '*')}"),
    "case_secret": (CaseSecretRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.name}"),
    "scan_index": (ScanIndexRow, lambda r, m: f"{m['case'][r.case_pk]}/index"),
    # Its row holds the custody record (SHA-256, size, who added it, when); its chunks are covered by their
    # seals, by the SHA-256 checked on every read, and by ``attachments.chunk_problems``.
    "attachment": (AttachmentRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.ref}"),
    # A person list's custody record (its records' key is bound to it), then each of its records (sealed).
    "person_list": (PersonListRow, lambda r, m: f"{m['case'][r.case_pk]}/{r.name}"),
    "person_record": (PersonRecordRow, lambda r, m: f"{m['person_list'][r.list_pk]}/{r.record_id}"),
}


def entity_case(entity: str, entity_id: str) -> str | None:
    """The case an entity id belongs to (None for users and store-wide roles)."""
    if entity == "case":
        return entity_id
    if entity == "user":
        return None
    if entity == "membership":
        where = entity_id.rpartition("@")[2]
        return None if where == "*" else where
    return entity_id.partition("/")[0]


def entity_rows(session: Session, entity: str, *, case_pk: int | None = None) -> Iterable[tuple[str, Any]]:
    """(entity id, row) for every row of an audited entity, optionally of one case only."""
    table, name = ENTITIES[entity]
    names = _lookup(session)
    query = select(table.__table__)
    if case_pk is not None:
        if entity == "identity":
            query = query.join(WitnessRow.__table__).where(WitnessRow.case_pk == case_pk)
        elif entity == "person_record":
            query = query.join(PersonListRow.__table__).where(PersonListRow.case_pk == case_pk)
        elif "case_pk" in table.__table__.c:  # a case's roles only, not store-wide ones
            query = query.where(table.__table__.c.case_pk == case_pk)
        elif entity == "case":
            query = query.where(table.__table__.c.pk == case_pk)
    for row in session.execute(query):
        yield name(row, names), row
