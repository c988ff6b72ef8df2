"""Use cases for backups: write one encrypted file of a store, restore it, and fingerprint a store's content.

Restoring needs no user account: whoever holds the file and its passphrase
can restore it (the restored cases stay locked under their own passphrases).
Never prints; long work reports ``progress(done, total)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import BackupFailed, OutputExists
from corroborate.store import AuditReport, BackupInfo, open_store, restore_backup, verify_audit, write_backup
from corroborate.store import content_digest as store_digest

from .access import Action, Actor, authorize
from .cases import Progress
from .passphrases import check_passphrase

__all__ = ["BackupInfo", "RestoreResult", "backup", "content_digest", "restore"]


@dataclass(frozen=True)
class RestoreResult:
    """What a restore brought back, and whether the restored store verifies."""

    info: BackupInfo
    audit: AuditReport
    digest: str  # content digest of the restored store; equals info.digest


def backup(
    location: str, out: str | Path, *, actor: Actor, passphrase: str, progress: Progress | None = None,
    force: bool = False,
) -> BackupInfo:  # fmt: skip
    """Write the whole store to one encrypted file; safe while others keep writing to it.

    An existing file (an earlier backup, perhaps the only good one) is replaced
    only with ``force``.
    """
    authorize(actor, Action.backup)
    if Path(out).exists() and not force:
        raise OutputExists(str(out))
    check_passphrase(passphrase, what="backup passphrase")
    with open_store(location) as store:
        try:
            return write_backup(store, Path(out), passphrase, progress=progress)
        except OSError as exc:
            raise BackupFailed(str(out), exc.strerror or type(exc).__name__) from exc


def restore(
    backup_path: str | Path, target: str, *, passphrase: str, progress: Progress | None = None
) -> RestoreResult:
    """Restore a backup into a location that holds no store yet, then verify the audit chain and content."""
    info = restore_backup(Path(backup_path), target, passphrase, progress=progress)
    with open_store(target) as store, store.transaction() as session:
        return RestoreResult(info=info, audit=verify_audit(session), digest=store_digest(session))


def content_digest(location: str, *, actor: Actor) -> str:
    """SHA-256 over the store's whole content; a restored store has the digest of the store backed up."""
    authorize(actor, Action.audit_verify)
    with open_store(location) as store, store.transaction() as session:
        return store_digest(session)
