"""SQLAlchemy tables of a case store.

Restricted witness fields live in their own table (``witness_identities``) so
that they can be encrypted, access-controlled and left out of public exports
without touching anything else. The Alembic migrations are the source of
truth for the database; a test checks these models agree with them. Person lists'
tables are in ``listschema``, loaded with the package like every module here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiTokenRow",
    "AttachmentChunkRow",
    "AttachmentRow",
    "AuditRow",
    "AuditSignatureRow",
    "Base",
    "CaseGradesRow",
    "CaseKeyRow",
    "CaseRow",
    "CaseSecretRow",
    "ClaimRow",
    "EditorScanKeyRow",
    "DocumentRow",
    "ExcerptRow",
    "InterviewRow",
    "MembershipRow",
    "PropositionRow",
    "RecommendationRow",
    "ScanIndexRow",
    "UserRow",
    "WitnessIdentityRow",
    "WitnessRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _case_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)


def _version() -> Mapped[int]:
    """Counted up on every change of the row (migration 0006), so a stale update can be refused."""
    return mapped_column(Integer, server_default="1")


class CaseRow(Base):
    __tablename__ = "cases"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35))
    # How many restricted values a user who may not see identities may hit in disclosure
    # checks in a day before their checks are suspended (None: the default).
    hit_limit: Mapped[int | None] = mapped_column(Integer)


class WitnessRow(Base):
    __tablename__ = "witnesses"
    __table_args__ = (UniqueConstraint("case_pk", "ref"), Index("ix_witnesses_case_position", "case_pk", "position"))

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(16))
    age: Mapped[int | None] = mapped_column(Integer)
    age_low: Mapped[int | None] = mapped_column(Integer)
    age_high: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str | None] = mapped_column(String(100), index=True)
    origin_as_written: Mapped[str | None] = mapped_column(String(100))  # the source's spelling, when it differs
    nationality: Mapped[str] = mapped_column(String(2))
    role: Mapped[str | None] = mapped_column(Text)
    independence_group: Mapped[str | None] = mapped_column(String(64))
    independence_note: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = _version()


class WitnessIdentityRow(Base):
    """Restricted identity of a witness, sealed with the case's data key (AES-256-GCM).

    The plaintext is the JSON of ``RestrictedIdentity``; the additional data bound
    to the ciphertext names the case, the witness, the key version and the row's
    revision (counted up on every change), so a sealed value copied onto another
    row, or an older ciphertext put back in place of the newest, fails to open.
    ``revision`` is None only for rows sealed before revisions existed.
    """

    __tablename__ = "witness_identities"

    witness_pk: Mapped[int] = mapped_column(ForeignKey("witnesses.pk", ondelete="CASCADE"), primary_key=True)
    key_version: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    revision: Mapped[int | None] = mapped_column(Integer)


class CaseKeyRow(Base):
    """One version of a case's data key, wrapped under the passphrase key (Argon2id parameters beside it)."""

    __tablename__ = "case_keys"
    __table_args__ = (UniqueConstraint("case_pk", "version"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    kdf: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))  # current | next | old
    created_at: Mapped[str] = mapped_column(String(40))


class CaseSecretRow(Base):
    """A secret of a case other than its data keys, sealed under a data key (AES-256-GCM).

    ``signing``: the Ed25519 private key that signs the audit log's head after
    every write about the case (``public`` holds its public half, pinned by
    users in their trust files). ``scan``: the secret that keys the case's leak
    scan index.
    """

    __tablename__ = "case_secrets"
    __table_args__ = (UniqueConstraint("case_pk", "name"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(16))
    key_version: Mapped[int] = mapped_column(Integer)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    public: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String(40))


class ScanIndexRow(Base):
    """A case's leak scan index: keyed hashes of the forms of every restricted value, sealed under its scan secret.

    ``digest`` fingerprints the identity rows it was built from (pseudonym, key
    version, revision, ciphertext hash); it is bound into the seal, so an index
    that no longer matches the identities, or an older one put back, is refused.
    """

    __tablename__ = "scan_indexes"

    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    built_at: Mapped[str] = mapped_column(String(40))


class UserRow(Base):
    __tablename__ = "users"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    disabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[str] = mapped_column(String(40))
    # The user's own audit signing key: Ed25519, its seed derived from the password with
    # Argon2id under these parameters (never stored); the public half is kept here.
    signing_public: Mapped[bytes | None] = mapped_column(LargeBinary)
    signing_kdf: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class WebSessionRow(Base):
    """A signed-in browser: only the SHA-256 of its cookie's token is kept, so a copy of the store opens no
    session. Any worker of a team's server can answer for it; signing out everywhere deletes a user's rows."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.pk", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(8))
    # The user's signing key and the keys of the cases unlocked in this session, sealed under a key derived
    # from the cookie's token (migration 0012; services.websessions).
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class ApiTokenRow(Base):
    """A personal API token: only its SHA-256 is kept. Scoped to one case and a role no higher than its
    user's; what it carries (the user's signing key, keys of a case unlocked through it) is sealed under a
    key derived from the token (migration 0013; services.apitokens). Revoking clears ``sealed``."""

    __tablename__ = "api_tokens"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.pk", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    case_ref: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[str | None] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class EditorScanKeyRow(Base):
    """A case's scan key opened by an owner or investigator for the editors' disclosure checks, for a while:
    sealed under a key the server's worker processes share and the store never holds (migration 0013)."""

    __tablename__ = "editor_scan_keys"

    case_ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    opened_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[str] = mapped_column(String(40))


class CaseGradesRow(Base):
    """The counted grades of a case's propositions, kept for its dashboard with the audit log's head they were
    computed at, so that every worker of a server shows them and one grades the case at a time (migration
    0014). Derived from public rows and never audited: it is a cache, not evidence."""

    __tablename__ = "case_grades"

    case_pk: Mapped[int] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), primary_key=True)
    head_seq: Mapped[int | None] = mapped_column(Integer)
    head_hash: Mapped[str | None] = mapped_column(String(64))
    computed_at: Mapped[str | None] = mapped_column(String(40))
    took: Mapped[float | None] = mapped_column(Float)
    grades: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # grades, conflicts, propositions: see services.grading
    grading_since: Mapped[str | None] = mapped_column(String(40))  # a worker is grading it since then


class LoginFailureRow(Base):
    """A failed sign-in, counted per name and per address to slow down guessing; kept for a day."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))


class MembershipRow(Base):
    """A user's role on one case, or on every case of the store when ``case_pk`` is null."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_pk", "case_pk"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.pk", ondelete="CASCADE"), index=True)
    case_pk: Mapped[int | None] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))


class AuditRow(Base):
    """An append-only, hash-chained record of one write. Holds hashes, never restricted values."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    case_ref: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(160), index=True)
    action: Mapped[str] = mapped_column(String(16))
    before_hash: Mapped[str | None] = mapped_column(String(64))
    after_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSignatureRow(Base):
    """A signature (Ed25519) on the audit log's head after one write: entry ``seq``, through its hash all before it.

    ``signer`` is a case id (signed with the case's key) or ``@`` and a user name
    (signed with the user's own key, for the few kinds of entries users without
    the case key may write, such as the claims an analyst codes).
    """

    __tablename__ = "audit_signatures"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    signer: Mapped[str] = mapped_column(String(80), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class InterviewRow(Base):
    __tablename__ = "interviews"
    __table_args__ = (
        UniqueConstraint("case_pk", "ref"),
        Index("ix_interviews_case_position", "case_pk", "position"),
        Index("ix_interviews_case_date", "case_pk", "date_start"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    witness_pk: Mapped[int] = mapped_column(ForeignKey("witnesses.pk", ondelete="CASCADE"), index=True)
    date: Mapped[str] = mapped_column(String(64))
    # The first and last day the fuzzy date may denote (ISO dates, NULL for an open end): derived, unhashed.
    date_start: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2))
    town: Mapped[str | None] = mapped_column(Text)
    interviewer: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    consent: Mapped[str] = mapped_column(String(16))
    row_version: Mapped[int] = _version()


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_pk", "ref"), Index("ix_documents_case_position", "case_pk", "position"))

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[list[Any]] = mapped_column(JSON)
    outlet: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    accessed: Mapped[str | None] = mapped_column(String(64))
    volume: Mapped[str | None] = mapped_column(Text)
    symbol: Mapped[str | None] = mapped_column(Text)
    in_force: Mapped[str | None] = mapped_column(String(64))  # treaties: entry into force (EDTF)
    underlying_source: Mapped[str | None] = mapped_column(String(64))
    row_version: Mapped[int] = _version()


class ExcerptRow(Base):
    __tablename__ = "excerpts"
    __table_args__ = (UniqueConstraint("case_pk", "ref"), Index("ix_excerpts_case_position", "case_pk", "position"))

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    interview_pk: Mapped[int | None] = mapped_column(ForeignKey("interviews.pk", ondelete="CASCADE"), index=True)
    document_pk: Mapped[int | None] = mapped_column(ForeignKey("documents.pk", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[bool] = mapped_column(Boolean)
    pages: Mapped[str | None] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(String(64))  # treaties and UN documents: e.g. 12(2)
    note: Mapped[int | None] = mapped_column(Integer)
    # Where the passage lies in an evidence file of its source (migration 0011): {attachment, page, start, end}.
    anchor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    row_version: Mapped[int] = _version()


class PropositionRow(Base):
    __tablename__ = "propositions"
    __table_args__ = (UniqueConstraint("case_pk", "key"), Index("ix_propositions_case_position", "case_pk", "position"))

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    key: Mapped[str] = mapped_column(String(128))
    position: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8), server_default="event")  # event | pattern
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    row_version: Mapped[int] = _version()


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("case_pk", "ref"),
        Index("ix_claims_case_position", "case_pk", "position"),
        Index("ix_claims_proposition_stance_position", "proposition_pk", "stance", "position"),
        Index("ix_claims_case_stance_position", "case_pk", "stance", "position"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    excerpt_pk: Mapped[int] = mapped_column(ForeignKey("excerpts.pk", ondelete="CASCADE"), index=True)
    proposition_pk: Mapped[int] = mapped_column(ForeignKey("propositions.pk", ondelete="CASCADE"), index=True)
    stance: Mapped[str] = mapped_column(String(16))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON)
    mode: Mapped[str | None] = mapped_column(String(16))  # None: the excerpt's mode
    occurrence: Mapped[str | None] = mapped_column(String(64))  # patterns only: the occurrence described
    note: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = _version()


class RecommendationRow(Base):
    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("case_pk", "ref"),
        Index("ix_recommendations_case_position", "case_pk", "position"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = _case_fk()
    ref: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    addressee: Mapped[str] = mapped_column(Text)
    addressee_kind: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # The dated follow-up, oldest first: [{date, status, sources, note}]; in the row, so its hash covers it.
    follow_up: Mapped[list[Any] | None] = mapped_column(JSON)
    row_version: Mapped[int] = _version()


class AttachmentRow(Base):
    """An evidence file (audio, image, scanned statement, PDF) of an interview or a document (migration 0007).

    Its content lives in ``attachment_chunks``, sealed under a random key of
    its own, which is stored here sealed under the case's data key
    (``wrapped_key``, ``key_version``): rotating the data key re-wraps that key
    and re-encrypts no chunk. The file's name and the note about it may name a
    witness, so they are sealed too (``sealed_meta``); the custody record (its
    SHA-256 and size at intake, who added it and when) is plain and bound into
    that seal. ``case_pk`` is null only inside the transaction that replaces
    its case, while the attachment waits to be carried over to the new rows.
    """

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("case_pk", "ref"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int | None] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    # Evidence is never deleted with its source behind the user's back: no cascade from these two.
    interview_pk: Mapped[int | None] = mapped_column(ForeignKey("interviews.pk"), index=True)
    document_pk: Mapped[int | None] = mapped_column(ForeignKey("documents.pk"), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    chunk_bytes: Mapped[int] = mapped_column(Integer)
    key_version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_meta: Mapped[bytes] = mapped_column(LargeBinary)
    restricted: Mapped[bool] = mapped_column(Boolean, server_default=true())
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(40))
    row_version: Mapped[int] = _version()


class AttachmentChunkRow(Base):
    """One sealed chunk of an attachment's content: chunk ``n`` (from 0), AES-256-GCM under the attachment's key."""

    __tablename__ = "attachment_chunks"

    attachment_pk: Mapped[int] = mapped_column(ForeignKey("attachments.pk", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
