"""The case store: tables, migrations, field encryption, keys, the audit chain, whole-case reads and writes."""

from .audit import GENESIS, AuditWriter, entity_rows, row_hash
from .auditcheck import AuditProblem, AuditReport, verify_audit
from .backup import content_digest, restore_backup, write_backup
from .backupfile import BackupInfo, read_backup_info
from .crypto import DataKey, KdfParams, derive_key
from .database import (
    Store,
    canonical_location,
    connect,
    create_store,
    head_revision,
    held_elsewhere,
    migrate,
    open_store,
    store_url,
    truncate_wal,
)
from .identities import change_identity, read_identities
from .keys import (
    CaseKeys,
    begin_rotation,
    case_has_keys,
    finish_rotation,
    rewrap_keys,
    rotate_batch,
    setup_keys,
    unlock_keys,
    utc_now,
)
from .listings import CaseCounts, ClaimListing, Page, case_counts, list_claims, list_witnesses
from .repository import (
    case_refs,
    case_rows,
    find_case,
    load_case,
    load_proposition,
    load_recommendations,
    proposition_keys,
    resolve_case,
)
from .writer import delete_case, insert_case, insert_case_content

__all__ = [
    "GENESIS",
    "AuditProblem",
    "AuditReport",
    "AuditWriter",
    "BackupInfo",
    "CaseCounts",
    "CaseKeys",
    "ClaimListing",
    "Page",
    "DataKey",
    "KdfParams",
    "Store",
    "begin_rotation",
    "canonical_location",
    "case_counts",
    "case_has_keys",
    "case_refs",
    "case_rows",
    "find_case",
    "change_identity",
    "connect",
    "content_digest",
    "create_store",
    "delete_case",
    "derive_key",
    "entity_rows",
    "finish_rotation",
    "head_revision",
    "held_elsewhere",
    "insert_case",
    "insert_case_content",
    "list_claims",
    "migrate",
    "list_witnesses",
    "load_case",
    "load_proposition",
    "load_recommendations",
    "proposition_keys",
    "open_store",
    "read_backup_info",
    "read_identities",
    "restore_backup",
    "resolve_case",
    "rewrap_keys",
    "rotate_batch",
    "row_hash",
    "setup_keys",
    "store_url",
    "truncate_wal",
    "unlock_keys",
    "utc_now",
    "verify_audit",
    "write_backup",
]
