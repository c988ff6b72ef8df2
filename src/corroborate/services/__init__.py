"""Use cases that combine the layers; the CLI and the web app are thin shells over these."""

from corroborate.ingest import ParsedReport

from .access import LOCAL_OWNER, POLICY, Action, Actor, Role, authorize
from .audit import AuditEntry, audit_entries, verify
from .backups import BackupInfo, RestoreResult, backup, content_digest, restore
from .casefiles import (
    case_redactor,
    casefile_redactor,
    casefile_schema,
    country_name,
    lookup_place,
    read_casefile,
    redact_error,
    write_output,
)
from .cases import (
    ImportResult,
    Progress,
    WitnessListing,
    case_ids,
    claims,
    export_case,
    export_casefile,
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
    "ParsedReport",
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
    "case_redactor",
    "casefile_redactor",
    "casefile_schema",
    "claims",
    "content_digest",
    "country_name",
    "enable_totp",
    "export_case",
    "export_casefile",
    "identities",
    "import_case",
    "import_casefile",
    "import_report",
    "init_store",
    "list_users",
    "lock",
    "lookup_place",
    "parse_report",
    "read_casefile",
    "redact_error",
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
    "write_output",
]
