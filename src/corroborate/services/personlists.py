"""Use cases on organisations' person lists kept in a case: add them (sealed, audited), list them, read them back.

Names and birth dates are restricted, so only owners and investigators add lists and read their records back
(``add_lists``, ``read_lists``, with the case's keys); which lists a case holds, how many records each, who
added it and when is open to analysts and editors too (``list_lists``). Adding is all or nothing: every file
is read and checked first (every problem of every file at once), then every list is written in one
transaction. Never prints, and never puts a record's value into a message.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from corroborate.domain import Progress
from corroborate.errors import UserError
from corroborate.ingest import PERSON_FIELDS, PersonList, read_person_lists
from corroborate.store import open_store
from corroborate.store.personlists import ListInfo, add_person_list, list_person_lists, open_person_lists

from .access import Action, Actor
from .cases import actor_case, case_write, ticker
from .unlocking import Secrets, case_keys

__all__ = ["ListInfo", "add_lists", "list_lists", "stored_lists"]

_NAME_CHARS = 100
_RECORD_ID_CHARS = 200
_NOT_IN_A_NAME = re.compile(r"[/\x00-\x1f\x7f]")  # a list's name is part of its records' audit entity ids


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    return digest.hexdigest()


def _check_storable(found: PersonList) -> None:
    """UserError for a list whose name or record ids the store cannot keep (named, never a record's value)."""
    if not found.name or len(found.name) > _NAME_CHARS or _NOT_IN_A_NAME.search(found.name):
        raise UserError(f"a list's name has 1 to {_NAME_CHARS} characters, no '/' and no control characters; "
                        "rename the file; nothing was stored")  # fmt: skip
    long = sum(len(str(record["record_id"])) > _RECORD_ID_CHARS for record in found.records)
    if long:
        raise UserError(f"list {found.name}: {long} record_id(s) longer than {_RECORD_ID_CHARS} characters; "
                        "nothing was stored")  # fmt: skip


def add_lists(
    location: str, paths: Sequence[str | Path], *, actor: Actor, secrets: Secrets, case: str | None = None,
    replace: bool = False, progress: Progress | None = None,
) -> list[ListInfo]:  # fmt: skip
    """Read the lists at ``paths`` and store them in a case, sealed, in one transaction (all or nothing).

    DataFileInvalid with every problem of every file when any has one, RecordExists for a list whose name
    the case already has (unless ``replace``, which deletes the old one's records first): nothing is stored.
    """
    if not paths:
        raise UserError("give one list or more")
    with open_store(location) as store, store.transaction() as session:
        actor_case(session, actor, Action.add_lists, case)  # refused before a large file is read
    lists = read_person_lists([Path(path).expanduser() for path in paths], action="stored")
    for found in lists:
        _check_storable(found)
    digests = [_sha256(found.files[0]) for found in lists]  # the data file (a mapping file names it)
    tick = ticker(sum(len(found.records) for found in lists), progress)
    added = []
    with case_write(location, actor=actor, action=Action.add_lists, secrets=secrets, case=case) as w:
        for found, digest in zip(lists, digests, strict=True):
            added.append(add_person_list(w.session, w.row, w.keys, found.name, found.records, sha256=digest,
                                         added_by=actor.name, audit=w.audit, replace=replace, tick=tick))  # fmt: skip
    return added


def list_lists(location: str, *, actor: Actor, case: str | None = None) -> list[ListInfo]:
    """The person lists of a case by name: how many records each holds, its file's SHA-256, who added it, when."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.list_lists, case)
        return list_person_lists(session, row)


def stored_lists(
    location: str, *, actor: Actor, secrets: Secrets, case: str | None = None, names: Sequence[str] | None = None
) -> list[PersonList]:
    """The lists of a case (those ``names``, in that order; default: all, by name) with their records opened,
    as ``read_person_lists`` gives lists read from files: for linkage only, by whoever may see identities."""
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.read_lists, case)
        keys = case_keys(session, row, secrets, location=location)
        opened = open_person_lists(session, row, keys, names=names)
    return [PersonList(info.name, tuple(records), attributes=_attributes(records)) for info, records in opened]


def _attributes(records: Sequence[dict[str, str]]) -> tuple[str, ...]:
    """A list's free attributes: the columns its records hold besides the fields every list has."""
    return tuple(column for column in (records[0] if records else {}) if column not in PERSON_FIELDS)
