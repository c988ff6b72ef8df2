"""The keys a browser session unlocked, and the ``Secrets`` a change needs.

Unlocking (``records.unlock``) checks the passphrase and keeps the case's opened keys in the browser's
session, sealed in the store under a key derived from the session's cookie (``services.websessions``):
any worker of a server opens them for a request that carries the cookie, and they expire with the unlock
(an hour) or the session, whichever comes first. The passphrase is never kept. Two people unlocking one
case each keep their own. The scan key an owner opens for the editors' disclosure checks is kept in this
process only (one worker), for the same hour.
"""

from __future__ import annotations

import time

from fastapi import Request

from corroborate.services import Secrets

from .auth import Viewer

__all__ = ["editors_scan_key", "is_unlocked", "keep_editors_scan_key", "secrets_for"]


def is_unlocked(who: Viewer, case: str) -> bool:
    """Whether this browser session holds the case's opened keys."""
    return case in who.opened


def keep_editors_scan_key(request: Request, case: str, secret: bytes, *, minutes: int) -> None:
    """Let editors' checks use the case's scan key for ``minutes`` (in this process)."""
    request.app.state.scan_unlocked[case] = (secret, time.time() + minutes * 60)


def editors_scan_key(request: Request, case: str) -> bytes | None:
    """The scan key opened for the editors' checks, while it lasts."""
    kept = request.app.state.scan_unlocked.get(case)
    if kept is None or kept[1] <= time.time():
        request.app.state.scan_unlocked.pop(case, None)
        return None
    secret: bytes = kept[0]
    return secret


def secrets_for(request: Request, who: Viewer, case: str | None = None, *, scan: bool = False) -> Secrets:
    """What a change needs to be signed by the case (or, without ``case``, by any case): the keys this
    browser session unlocked.

    With ``scan`` (a disclosure check), a user who unlocked nothing gets the scan key an owner or
    investigator opened for the editors, if one is open: the scan key alone, no identity.
    """
    opened = dict(who.opened) if case is None else {case: who.opened[case]} if case in who.opened else {}
    scan_keys = {}
    if scan and case is not None and not opened:
        secret = editors_scan_key(request, case)
        if secret is not None:
            scan_keys[case] = secret
    return Secrets(opened=opened, scan_keys=scan_keys)
