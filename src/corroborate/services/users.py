"""User accounts: Argon2id password hashes, roles per case, optional TOTP second factor.

A store without accounts is a single investigator's store: the person at the
keyboard is its owner (``LOCAL_OWNER``). Once the first account exists,
every action needs a signed-in user, so no change to accounts may leave the
store without an owner of the whole store, or a case without an owner: the
first account is an owner of every case, and the last owner cannot leave.
Error messages never say whether the user name or the password was wrong.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from corroborate.errors import AuditTampered, NotAuthenticated, UserError
from corroborate.store import AuditWriter, KdfParams, case_refs, derive_key, open_store
from corroborate.store.accounts import (
    all_users,
    count_users,
    create_user,
    disable_user,
    find_user,
    grant_role,
    revoke_roles,
    set_totp_secret,
    user_roles,
)
from corroborate.store.audit import public_bytes
from corroborate.store.schema import CaseRow, UserRow

from .access import LOCAL_OWNER, Action, Actor, Role, authorize
from .cases import actor_case
from .signing import check_seen_head, remember_head, sign_every_case
from .unlocking import Secrets

__all__ = ["UserListing", "add_user", "authenticate", "enable_totp", "list_users", "remove_user", "sign_in"]

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the user does not exist, so timing does not reveal which names exist."""
    return _hasher.hash("not a real password")


@dataclass(frozen=True)
class UserListing:
    username: str
    roles: dict[str, str]
    totp: bool
    disabled: bool


def _roles(session: Session, user_pk: int) -> dict[str | None, Role]:
    return {ref: Role(role) for ref, role in user_roles(session, user_pk).items()}


def sign_in(location: str, *, username: str | None, password: str | None, totp: str | None = None) -> Actor:
    """The actor for a command: the local owner on a store without accounts, else a signed-in user."""
    with open_store(location) as store, store.transaction() as session:
        if not count_users(session):
            return LOCAL_OWNER
        if username is None or password is None:
            raise NotAuthenticated("this store has user accounts; give a user name and password")
        return _authenticate(session, username, password, totp)


def authenticate(location: str, username: str, password: str, totp: str | None = None) -> Actor:
    """Check a user's password (and one-time code when they have a second factor)."""
    with open_store(location) as store, store.transaction() as session:
        return _authenticate(session, username, password, totp)


def _authenticate(session: Session, username: str, password: str, totp: str | None) -> Actor:
    user = find_user(session, username)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated() from None
    if user is None or user.disabled:
        raise NotAuthenticated()
    if user.totp_secret:
        if not totp:
            raise NotAuthenticated("a one-time code is required (CORROBORATE_TOTP or --totp)")
        if not pyotp.TOTP(user.totp_secret).verify(totp, valid_window=1):
            raise NotAuthenticated("wrong one-time code")
    return Actor(user.username, _roles(session, user.pk), signing_key=_user_signing_key(user, password))


def _user_signing_key(user: UserRow, password: str) -> Ed25519PrivateKey | None:
    """The user's own audit signing key, derived from their password (None for accounts made before)."""
    if user.signing_kdf is None:
        return None
    key = Ed25519PrivateKey.from_private_bytes(derive_key(password, KdfParams.from_json(user.signing_kdf)))
    if user.signing_public is not None and bytes(user.signing_public) != public_bytes(key):
        raise AuditTampered(f"the signing key stored for user {user.username} is not theirs")
    return key


def _new_user_key(password: str) -> tuple[bytes, dict[str, object]]:
    """A new user's public signing key and the Argon2id parameters that derive its private half."""
    params = KdfParams.fresh()
    key = Ed25519PrivateKey.from_private_bytes(derive_key(password, params))
    return public_bytes(key), params.to_json()


def add_user(
    location: str, username: str, password: str, role: Role, *, actor: Actor, case: str | None = None,
    secrets: Secrets | None = None,
) -> None:  # fmt: skip
    """Create a user with a role on one case (or on every case when ``case`` is None).

    Users and roles are covered by the signed audit log: a role on one case is
    signed with that case's key, a store-wide role with every case's key, so
    ``secrets`` must unlock them. A new user gets their own signing key (for
    the claims they code), derived from the password.
    """
    with open_store(location) as store, store.transaction(write=True) as session:
        if case is None:
            authorize(actor, Action.manage_users)
        case_row = actor_case(session, actor, Action.manage_users, case) if case is not None else None
        if len(password) < 10:  # said only to who may add users
            raise UserError("a password needs at least 10 characters")
        first = not count_users(session)
        audit = _signed_writer(session, actor, secrets, location, only=case_row)
        user = find_user(session, username)
        if user is not None and user.disabled:
            raise UserError(f"user {username!r} was removed; choose another name")
        if user is None:
            public, kdf = _new_user_key(password)
            user = create_user(session, username, password_hash=_hasher.hash(password), signing_public=public,
                               signing_kdf=kdf, audit=audit)  # fmt: skip
        grant_role(session, user, case_row, role.value, audit=audit)
        if first and (role is not Role.owner or case_row is not None):
            raise UserError(
                "the first account must be an owner of every case (--role owner, no --case): once an account "
                "exists nobody acts as the local owner, and nobody could manage the store"
            )
        _keep_an_owner(session, actor, username)
    _remember(secrets, audit, location)


def enable_totp(location: str, username: str, *, actor: Actor, secrets: Secrets | None = None) -> str:
    """Give a user a TOTP second factor; return the provisioning URI to load into an authenticator app.

    Like every change to a user, it is signed with every case's key: users who
    cannot unlock the cases ask an owner to run it for them.
    """
    with open_store(location) as store, store.transaction(write=True) as session:
        if actor.name != username:  # users may add a second factor to their own account
            authorize(actor, Action.manage_users)
        user = find_user(session, username)
        if user is None:
            raise UserError(f"no user {username!r}")
        audit = _signed_writer(session, actor, secrets, location)
        secret = pyotp.random_base32()
        set_totp_secret(session, user, secret, audit=audit)
        uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="Corroborate")
    _remember(secrets, audit, location)
    return uri


def remove_user(location: str, username: str, *, actor: Actor, secrets: Secrets | None = None) -> None:
    """Remove a user: their roles are deleted and their account disabled (signed with every case's key).

    The account row stays, disabled and without a usable password, so the
    claims the user signed can still be verified; the name is not reused.
    """
    with open_store(location) as store, store.transaction(write=True) as session:
        authorize(actor, Action.manage_users)
        user = find_user(session, username)
        if user is None:
            raise UserError(f"no user {username!r}")
        audit = _signed_writer(session, actor, secrets, location)
        revoke_roles(session, user, audit=audit)
        disable_user(session, user, audit=audit)
        _keep_an_owner(session, actor, username)
    _remember(secrets, audit, location)


def _signed_writer(
    session: Session, actor: Actor, secrets: Secrets | None, location: str, *, only: CaseRow | None = None
) -> AuditWriter:
    """A writer whose entries every case signs (or ``only`` one, for a role on that case)."""
    secrets = secrets or Secrets()
    check_seen_head(session, secrets, location=location)
    audit = AuditWriter(session, actor.name)
    sign_every_case(session, audit, secrets, location=location, only=only)
    return audit


def _remember(secrets: Secrets | None, audit: AuditWriter, location: str) -> None:
    if secrets is not None:
        remember_head(secrets, audit, location=location)


def _keep_an_owner(session: Session, actor: Actor, username: str) -> None:
    """Refuse a change that leaves the store, or a case, without an owner (checked after the change).

    Removing the last account is refused too: it would not give the store back to
    a local owner but to anyone who can reach it, without signing in.
    """
    owners = {u.username: _roles(session, u.pk) for u in all_users(session, active_only=True)}
    advice = "add another owner first (`corroborate user add STORE NAME --role owner`)"
    if not any(roles.get(None) is Role.owner for roles in owners.values()):
        raise UserError(f"{username} is the only owner of the whole store: without one nobody could add cases, "
                        f"manage users or make backups; {advice}")  # fmt: skip
    for ref in case_refs(session):
        if not any(Actor(name, roles).role_for(ref) is Role.owner for name, roles in owners.items()):
            shown = f"case {ref!r}" if actor.role_for(ref) is not None else "a case"
            raise UserError(f"{username} is the only owner of {shown}; {advice}")


def list_users(location: str, *, actor: Actor) -> list[UserListing]:
    """Every user with their roles (never their hashes or secrets)."""
    with open_store(location) as store, store.transaction() as session:
        authorize(actor, Action.manage_users)
        return [
            UserListing(
                u.username,
                {ref or "*": role.value for ref, role in _roles(session, u.pk).items()},
                bool(u.totp_secret),
                u.disabled,
            )  # fmt: skip
            for u in all_users(session)
        ]
