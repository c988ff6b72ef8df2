"""User accounts and roles: the queries and writes behind sign-in and user management (every write audited).

Holds password hashes and TOTP secrets of the rows it reads; never logs them
or puts them into a message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .audit import AuditWriter
from .keys import utc_now
from .schema import CaseRow, MembershipRow, UserRow

__all__ = [
    "all_users",
    "case_members",
    "count_users",
    "create_user",
    "disable_user",
    "find_user",
    "grant_role",
    "restore_members",
    "revoke_roles",
    "set_totp_secret",
    "user_roles",
]


def count_users(session: Session) -> int:
    """How many accounts the store has (disabled ones included)."""
    return session.scalar(select(func.count()).select_from(UserRow)) or 0


def find_user(session: Session, username: str) -> UserRow | None:
    """The account with this name, if any."""
    return session.scalar(select(UserRow).where(UserRow.username == username))


def all_users(session: Session, *, active_only: bool = False) -> list[UserRow]:
    """Every account, by name (only those not disabled with ``active_only``)."""
    query = select(UserRow).order_by(UserRow.username)
    if active_only:
        query = query.where(UserRow.disabled.is_(False))
    return list(session.scalars(query))


def user_roles(session: Session, user_pk: int) -> dict[str | None, str]:
    """A user's role by case id (None: every case)."""
    rows = session.execute(
        select(MembershipRow.role, CaseRow.ref)
        .outerjoin(CaseRow, MembershipRow.case_pk == CaseRow.pk)
        .where(MembershipRow.user_pk == user_pk)
    ).all()
    return {ref: role for role, ref in rows}


def create_user(
    session: Session, username: str, *, password_hash: str, signing_public: bytes, signing_kdf: dict[str, Any],
    audit: AuditWriter,
) -> UserRow:  # fmt: skip
    """A new account, audited."""
    user = UserRow(username=username, password_hash=password_hash, totp_secret=None, disabled=False,
                   created_at=utc_now(), signing_public=signing_public, signing_kdf=signing_kdf)  # fmt: skip
    session.add(user)
    session.flush()
    audit.record_row(None, "user", username, "create", None, user)
    return user


def grant_role(session: Session, user: UserRow, case: CaseRow | None, role: str, *, audit: AuditWriter) -> None:
    """Give a user a role on one case (or on every case when ``case`` is None), audited."""
    membership = MembershipRow(user_pk=user.pk, case_pk=case.pk if case else None, role=role)
    session.add(membership)
    session.flush()
    where = case.ref if case else "*"
    audit.record_row(case.ref if case else None, "membership", f"{user.username}@{where}", "create", None, membership)


def revoke_roles(session: Session, user: UserRow, *, audit: AuditWriter) -> None:
    """Take every role a user has, audited."""
    for membership in session.scalars(select(MembershipRow).where(MembershipRow.user_pk == user.pk)):
        case_ref = session.scalar(select(CaseRow.ref).where(CaseRow.pk == membership.case_pk))
        entity_id = f"{user.username}@{case_ref or '*'}"
        audit.record(case_ref, "membership", entity_id, "delete", audit.row_hash(membership), None)
        session.delete(membership)
    session.flush()


def disable_user(session: Session, user: UserRow, *, audit: AuditWriter) -> None:
    """Disable an account for good: no usable password or second factor; the row (and its key) stays."""
    before = audit.row_hash(user)
    user.disabled, user.password_hash, user.totp_secret = True, "!removed", None
    session.flush()
    audit.record_row(None, "user", user.username, "disable", before, user)


def set_totp_secret(session: Session, user: UserRow, secret: str, *, audit: AuditWriter) -> None:
    """Give a user a TOTP second factor, audited."""
    before = audit.row_hash(user)
    user.totp_secret = secret
    session.flush()
    audit.record_row(None, "user", user.username, "enable_totp", before, user)


def case_members(session: Session, case_pk: int) -> list[tuple[int, str]]:
    """(user pk, role) of every role on one case."""
    return [(m.user_pk, m.role) for m in session.scalars(select(MembershipRow).where(MembershipRow.case_pk == case_pk))]


def restore_members(session: Session, case: CaseRow, members: list[tuple[int, str]], *, audit: AuditWriter) -> None:
    """Give users their roles on a case row again (a replaced case keeps who may do what), audited."""
    for user_pk, role in members:
        user = session.get(UserRow, user_pk)
        assert user is not None
        grant_role(session, user, case, role, audit=audit)
