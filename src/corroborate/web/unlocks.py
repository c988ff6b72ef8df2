"""The keys a browser session unlocked, and the ``Secrets`` a change needs.

Unlocking (``records.unlock``) checks the passphrase and keeps the case's opened keys in the browser's
session, sealed in the store under a key derived from the session's cookie (``services.websessions``):
any worker of a server opens them for a request that carries the cookie, and they expire with the unlock
(an hour) or the session, whichever comes first. The passphrase is never kept. Two people unlocking one
case each keep their own. The scan key an owner opens for the editors' disclosure checks is kept in the
store for the same hour, sealed under the server's own key (``app.state.server_key``, which every worker of
one `corroborate serve` shares and the store never holds), so any worker finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request

from corroborate.services import Secrets, websessions

from .auth import Viewer

__all__ = ["editors_scan_key", "is_unlocked", "keep_editors_scan_key", "secrets_for", "unlocked_secrets"]


def is_unlocked(who: Viewer, case: str) -> bool:
    """Whether this browser session holds the case's opened keys."""
    return case in who.opened


def keep_editors_scan_key(request: Request, case: str, secret: bytes, *, minutes: int, opened_by: str) -> None:
    """Let editors' checks use the case's scan key for ``minutes`` (on every worker of this server)."""
    websessions.keep_editors_scan_key(request.app.state.location, case, secret, minutes=minutes,
                                      server_key=request.app.state.server_key, opened_by=opened_by)  # fmt: skip


def editors_scan_key(request: Request, case: str) -> bytes | None:
    """The scan key opened for the editors' checks, while it lasts."""
    return websessions.editors_scan_key(request.app.state.location, case, server_key=request.app.state.server_key)


def unlocked_secrets(request: Request, opened: Mapping[str, Any], case: str | None = None, *,
                     scan: bool = False) -> Secrets:  # fmt: skip
    """What a change needs to be signed by the case (or, without ``case``, by any case): the keys a session or
    token unlocked (``opened``).

    With ``scan`` (a disclosure check), a caller who unlocked nothing gets the scan key an owner or
    investigator opened for the editors, if one is open: the scan key alone, no identity.
    """
    mine = dict(opened) if case is None else {case: opened[case]} if case in opened else {}
    scan_keys = {}
    if scan and case is not None and not mine:
        secret = editors_scan_key(request, case)
        if secret is not None:
            scan_keys[case] = secret
    return Secrets(opened=mine, scan_keys=scan_keys)


def secrets_for(request: Request, who: Viewer, case: str | None = None, *, scan: bool = False) -> Secrets:
    """``unlocked_secrets`` of this browser session."""
    return unlocked_secrets(request, who.opened, case, scan=scan)
