"""Use cases that combine the layers; the CLI and the web app are thin shells over these."""

from .access import LOCAL_OWNER, POLICY, Action, Actor, Role, authorize
from .audit import AuditEntry, audit_entries, verify
from .backups import BackupInfo, RestoreResult, backup, content_digest, restore
from .cases import (
    ImportResult,
    Progress,
    WitnessListing,
    case_ids,
    claims,
    export_case,
    identities,
    import_case,
    import_casefile,
    init_store,
    set_identity,
    summary,
    update_case,
    witnesses,
)
from .keyring import Secrets
from .keys import lock, rekey, rotate_key, unlock
from .reports import ReportImport, import_report, parse_report
from .users import UserListing, add_user, authenticate, enable_totp, list_users, remove_user, sign_in

__all__ = [
    "LOCAL_OWNER",
    "POLICY",
    "Action",
    "Actor",
    "AuditEntry",
    "BackupInfo",
    "ImportResult",
    "Progress",
    "ReportImport",
    "RestoreResult",
    "Role",
    "Secrets",
    "UserListing",
    "WitnessListing",
    "add_user",
    "audit_entries",
    "authenticate",
    "authorize",
    "backup",
    "case_ids",
    "claims",
    "content_digest",
    "enable_totp",
    "export_case",
    "identities",
    "import_case",
    "import_casefile",
    "import_report",
    "init_store",
    "list_users",
    "lock",
    "parse_report",
    "rekey",
    "remove_user",
    "restore",
    "rotate_key",
    "set_identity",
    "sign_in",
    "summary",
    "unlock",
    "update_case",
    "verify",
    "witnesses",
]
