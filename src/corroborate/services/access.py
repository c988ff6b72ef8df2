"""Who may do what: roles, service actions, and the one rule set every edge shares.

The CLI, the web app and the API all call services, and every service checks
``authorize`` before it touches data, so there is exactly one place where the
rules live. ``docs/security.md`` documents the same table; a test keeps the
two equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from corroborate.errors import Forbidden

__all__ = ["allowed", "LOCAL_OWNER", "POLICY", "SESSION_ONLY", "Action", "Actor", "Role", "authorize"]


class Role(StrEnum):
    owner = "owner"
    investigator = "investigator"
    analyst = "analyst"
    editor = "editor"
    viewer = "viewer"


class Action(StrEnum):
    list_cases = "list_cases"
    summary = "summary"
    list_witnesses = "list_witnesses"
    list_interviews = "list_interviews"
    list_documents = "list_documents"
    list_excerpts = "list_excerpts"
    list_claims = "list_claims"
    list_recommendations = "list_recommendations"
    analyse = "analyse"
    code_claims = "code_claims"
    publish = "publish"
    export_public = "export_public"
    export_full = "export_full"
    view_identities = "view_identities"
    edit_identities = "edit_identities"
    read_records = "read_records"
    edit_records = "edit_records"
    delete_records = "delete_records"
    unlock = "unlock"
    import_case = "import_case"
    replace_case = "replace_case"
    rekey = "rekey"
    rotate_key = "rotate_key"
    manage_users = "manage_users"
    audit_verify = "audit_verify"
    audit_sign = "audit_sign"
    audit_log = "audit_log"
    backup = "backup"
    attach = "attach"
    read_attachments = "read_attachments"
    add_lists = "add_lists"
    list_lists = "list_lists"
    read_lists = "read_lists"


_O, _I, _A, _E, _V = Role.owner, Role.investigator, Role.analyst, Role.editor, Role.viewer
POLICY: dict[Action, frozenset[Role]] = {
    Action.list_cases: frozenset({_O, _I, _A, _E, _V}),
    Action.summary: frozenset({_O, _I, _A, _E, _V}),
    Action.list_witnesses: frozenset({_O, _I, _A, _E}),
    Action.list_interviews: frozenset({_O, _I, _A, _E}),
    Action.list_documents: frozenset({_O, _I, _A, _E}),
    Action.list_excerpts: frozenset({_O, _I, _A, _E}),
    Action.list_claims: frozenset({_O, _I, _A, _E}),
    Action.list_recommendations: frozenset({_O, _I, _A, _E, _V}),
    Action.analyse: frozenset({_O, _I, _A, _E}),
    Action.code_claims: frozenset({_O, _I, _A}),
    Action.publish: frozenset({_O, _E}),
    Action.export_public: frozenset({_O, _I, _A, _E}),
    Action.export_full: frozenset({_O, _I}),
    Action.view_identities: frozenset({_O, _I}),
    Action.edit_identities: frozenset({_O, _I}),
    Action.read_records: frozenset({_O, _I, _A, _E}),
    Action.edit_records: frozenset({_O, _I}),
    Action.delete_records: frozenset({_O, _I}),
    Action.unlock: frozenset({_O, _I}),
    Action.import_case: frozenset({_O, _I}),
    Action.replace_case: frozenset({_O}),
    Action.rekey: frozenset({_O}),
    Action.rotate_key: frozenset({_O}),
    Action.manage_users: frozenset({_O}),
    Action.audit_verify: frozenset({_O, _I, _A, _E}),
    Action.audit_sign: frozenset({_O, _I}),
    Action.audit_log: frozenset({_O, _I}),
    Action.backup: frozenset({_O}),
    # Evidence files may identify a witness (a face, a voice, a signature): those who see identities only.
    Action.attach: frozenset({_O, _I}),
    Action.read_attachments: frozenset({_O, _I}),
    # Person lists hold names and birth dates: adding them and reading their records (to link them in clear)
    # is for those who see identities; which lists a case holds, and how many records each, is not restricted.
    Action.add_lists: frozenset({_O, _I}),
    Action.list_lists: frozenset({_O, _I, _A, _E}),
    Action.read_lists: frozenset({_O, _I}),
}


# Rights an API token never carries, whatever its role: a token is made for one case, and managing users is
# a store-wide right kept to a person signed in with a browser session (docs/security.md).
SESSION_ONLY: frozenset[Action] = frozenset({Action.manage_users})


@dataclass(frozen=True)
class Actor:
    """A signed-in user and their roles: by case id, or for every case under the key None.

    ``signing_key`` is the user's own audit signing key (Ed25519), derived from
    their password when they signed in; None for the local owner of a store
    without accounts.
    """

    name: str
    roles: dict[str | None, Role] = field(default_factory=dict)
    signing_key: Ed25519PrivateKey | None = field(default=None, repr=False, compare=False)
    by_token: bool = False  # acting through a personal API token: never the rights of SESSION_ONLY

    def role_for(self, case: str | None) -> Role | None:
        """The role on one case (a case-specific role wins over a store-wide one)."""
        if case is not None and case in self.roles:
            return self.roles[case]
        return self.roles.get(None)


# The person at the keyboard of a store that has no user accounts (a single
# investigator's laptop). Stores with accounts always require signing in.
LOCAL_OWNER = Actor("local", {None: Role.owner})


def allowed(actor: Actor, action: Action, *, case: str | None = None) -> bool:
    """True when the actor's role on the case allows the action (what a page shows and which buttons exist)."""
    role = actor.role_for(case)
    return role is not None and role in POLICY[action] and not (actor.by_token and action in SESSION_ONLY)


def authorize(actor: Actor, action: Action, *, case: str | None = None) -> None:
    """Raise Forbidden unless the actor's role on the case allows the action (and, through an API token, the
    action is not one of SESSION_ONLY)."""
    role = actor.role_for(case)
    if actor.by_token and action in SESSION_ONLY:
        raise Forbidden(actor.name, "API token", action.value, case)
    if role is None or role not in POLICY[action]:
        raise Forbidden(actor.name, role.value if role else None, action.value, case)
