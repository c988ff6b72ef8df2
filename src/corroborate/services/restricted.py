"""Use cases on witnesses' restricted identities: read them, change one (owners and investigators only).

Plaintext identities exist here only between opening and sealing; nothing is
logged, and a validation error names fields, never values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from corroborate.domain import RestrictedIdentity
from corroborate.errors import UserError
from corroborate.store import change_identity, open_store, read_identities, touch_record

from .access import Action, Actor
from .cases import actor_case, case_write
from .scanning import rebuild_scan_index
from .unlocking import Secrets, case_keys

__all__ = ["identities", "remove_identity", "set_identity"]


def identities(
    location: str, *, actor: Actor, secrets: Secrets, case: str | None = None
) -> dict[str, RestrictedIdentity]:
    """The restricted identities of a case by pseudonym (investigators and owners only)."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.view_identities, case)
        return read_identities(session, row, case_keys(session, row, secrets, location=location))


def _merged(
    current: RestrictedIdentity | None, changes: Mapping[str, Any], cleared: Sequence[str] = ()
) -> RestrictedIdentity:
    unknown = sorted(set(cleared) - set(RestrictedIdentity.model_fields) | set(cleared) & {"invented"})
    if unknown:
        raise UserError(f"no restricted field to clear called {', '.join(unknown)}; fields: "
                        f"{', '.join(f for f in RestrictedIdentity.model_fields if f != 'invented')}")  # fmt: skip
    data = current.model_dump() if current is not None else {}
    for name in cleared:
        data.pop(name, None)
    data.update(changes)
    try:
        return RestrictedIdentity.model_validate(data)
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors(include_input=False) if e["loc"]})
        raise UserError(f"invalid restricted field(s): {', '.join(fields)} (values not shown)") from None


def set_identity(
    location: str, witness: str, changes: Mapping[str, Any], *, actor: Actor, secrets: Secrets,
    case: str | None = None, cleared: Sequence[str] = (),
) -> None:  # fmt: skip
    """Change fields of a witness's restricted identity, or clear some (sealed again, audited)."""
    _change(location, witness, lambda old: _merged(old, changes, cleared), actor=actor, secrets=secrets, case=case)


def remove_identity(location: str, witness: str, *, actor: Actor, secrets: Secrets, case: str | None = None) -> bool:
    """Delete a witness's restricted identity (say, at the witness's request); whether there was one.

    The witness stays in the case under its pseudonym, with its descriptor, interviews and claims; the
    sealed identity row is deleted and the deletion audited (the log keeps hashes, never values).
    """
    return _change(location, witness, lambda _old: None, actor=actor, secrets=secrets, case=case)


def _change(
    location: str, witness: str, change: Callable[[RestrictedIdentity | None], RestrictedIdentity | None], *,
    actor: Actor, secrets: Secrets, case: str | None,
) -> bool:  # fmt: skip
    with case_write(location, actor=actor, action=Action.edit_identities, secrets=secrets, case=case) as w:
        changed = change_identity(w.session, w.row, witness, change, keys=w.keys, audit=w.audit)
        if changed:
            touch_record(w.session, w.row, "witness", witness)
        rebuild_scan_index(w.session, w.row, w.keys, w.audit)
    return changed
