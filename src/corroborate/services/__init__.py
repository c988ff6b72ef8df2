"""Use cases that combine the layers; the CLI and the web app are thin shells over these."""

from corroborate.ingest import ParsedReport

from .access import LOCAL_OWNER, POLICY, Action, Actor, Role, allowed, authorize
from .attachments import AttachmentInfo, attach, get_attachment, list_attachments
from .audit import (
    AuditEntry,
    CaseKey,
    Verification,
    audit_entries,
    case_fingerprints,
    forget_store,
    pin_case_key,
    sign_log,
    verify,
)
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
    case_ids,
    export_case,
    export_casefile,
    import_case,
    import_casefile,
    init_store,
    summary,
)
from .disclosure import DEFAULT_HIT_LIMIT, DisclosureAlert, disclosure_alerts, lift_suspension, set_hit_limit
from .keychanges import lock, rebuild_index, rekey, rotate_key, unlock
from .listings import Listed, WitnessListing, claims, excerpts, interviews, witnesses
from .merging import MergeResult, merge_casefile, update_case
from .reports import ReportImport, import_report, parse_report
from .restricted import identities, set_identity
from .trust import TrustFile, default_trust_file
from .unlocking import Secrets
from .users import UserListing, add_user, authenticate, enable_totp, list_users, remove_user, sign_in

__all__ = [
    "DEFAULT_HIT_LIMIT",
    "DisclosureAlert",
    "disclosure_alerts",
    "lift_suspension",
    "rebuild_index",
    "set_hit_limit",
    "LOCAL_OWNER",
    "POLICY",
    "Action",
    "Actor",
    "AttachmentInfo",
    "AuditEntry",
    "BackupInfo",
    "CaseKey",
    "ImportResult",
    "ParsedReport",
    "Progress",
    "ReportImport",
    "TrustFile",
    "RestoreResult",
    "Role",
    "Secrets",
    "UserListing",
    "Verification",
    "Listed",
    "WitnessListing",
    "add_user",
    "attach",
    "audit_entries",
    "authenticate",
    "allowed",
    "authorize",
    "backup",
    "case_fingerprints",
    "default_trust_file",
    "case_ids",
    "case_redactor",
    "casefile_redactor",
    "casefile_schema",
    "claims",
    "excerpts",
    "interviews",
    "content_digest",
    "country_name",
    "enable_totp",
    "export_case",
    "forget_store",
    "get_attachment",
    "export_casefile",
    "identities",
    "import_case",
    "import_casefile",
    "import_report",
    "init_store",
    "list_attachments",
    "list_users",
    "lock",
    "lookup_place",
    "parse_report",
    "pin_case_key",
    "read_casefile",
    "redact_error",
    "rekey",
    "remove_user",
    "restore",
    "rotate_key",
    "set_identity",
    "sign_log",
    "sign_in",
    "summary",
    "unlock",
    "MergeResult",
    "merge_casefile",
    "update_case",
    "verify",
    "witnesses",
    "write_output",
]
