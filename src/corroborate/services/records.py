"""Use cases on one record at a time: read it with its version, create, update or delete it.

Each change is one transaction that checks the actor's role, checks the record
against the rows around it (never the whole case), writes one audit entry per
changed row, and is refused when the version it names is stale. Roles (see
docs/security.md): claims are coded, changed and uncoded by ``code_claims``
(analysts too, signing with their own key); other records need
``edit_records`` or ``delete_records``; writing a witness's restricted
identity also needs ``edit_identities``, and reading it ``view_identities``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from corroborate.domain import Case, Claim, case_problems, normalise_case
from corroborate.errors import (
    CasefileInvalid,
    CorroborateError,
    Problem,
    RecordExists,
    RecordInvalid,
    RecordNotFound,
    UserError,
)
from corroborate.ingest import parse_merge_casefile
from corroborate.ingest.casefile import read_casefile_text
from corroborate.store import (
    KINDS,
    SECTION_KINDS,
    AuditWriter,
    CaseKeys,
    Change,
    Stored,
    neighbourhood,
    open_store,
    read_record,
    record_ref,
    write_record,
)
from corroborate.store import delete_record as store_delete
from corroborate.store.attachments import attachment_source
from corroborate.store.schema import CaseRow

from .access import Action, Actor, authorize
from .casefiles import casefile_redactor, redact_error
from .cases import actor_case, case_write
from .scanning import rebuild_scan_index
from .signing import check_seen_head, remember_head, sign_claim
from .unlocking import Secrets, case_keys

__all__ = [
    "RECORD_KINDS",
    "Change",
    "Stored",
    "add_records",
    "create_record",
    "delete_record",
    "edit_record",
    "edited",
    "get_record",
    "record_model",
    "update_record",
    "write",
]

RECORD_KINDS = tuple(KINDS)


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise UserError(f"no kind of record {kind!r} (known: {', '.join(KINDS)})")
    return kind


def record_model(kind: str) -> type[BaseModel]:
    """The domain model of a kind of record (``Witness`` for "witness"): what its casefile section holds."""
    model: type[BaseModel] = get_args(Case.model_fields[KINDS[_kind(kind)][2]].annotation)[0]
    return model


def get_record(
    location: str, kind: str, ref: str, *, actor: Actor, case: str | None = None, secrets: Secrets | None = None,
    identity: bool = False,
) -> Stored:  # fmt: skip
    """One record and the version to name when changing it; a witness's identity only with ``identity``."""
    _kind(kind)
    with open_store(location) as store, store.transaction() as session:
        row = actor_case(session, actor, Action.read_records, case)
        keys = None
        if identity and kind == "witness":
            authorize(actor, Action.view_identities, case=row.ref)
            keys = case_keys(session, row, secrets or Secrets(), location=location)
        return read_record(session, row, kind, ref, keys=keys)


@dataclass(frozen=True)
class _Write:
    session: Session
    row: CaseRow
    keys: CaseKeys | None
    audit: AuditWriter


@contextmanager
def _writing(
    location: str, kind: str, action: Action, *, actor: Actor, secrets: Secrets, case: str | None
) -> Iterator[_Write]:
    """A write transaction: a claim signed as ``add_claim`` signs it (the coder's own key); others by the case."""
    if kind != "claim":
        with case_write(location, actor=actor, action=action, secrets=secrets, case=case) as w:
            yield _Write(w.session, w.row, w.keys, w.audit)
        return
    with open_store(location) as store, store.transaction(write=True) as session:
        row = actor_case(session, actor, action, case)
        check_seen_head(session, secrets, location=location)
        audit = AuditWriter(session, actor.name)
        sign_claim(session, row, audit, actor=actor, secrets=secrets, location=location)
        yield _Write(session, row, None, audit)
    remember_head(secrets, audit, location=location)


def _coding(claim: Claim) -> tuple[object, ...]:
    """What a claim says, apart from its id and note: two claims alike in this code an excerpt twice."""
    return claim.excerpt, claim.proposition, claim.stance, claim.attributes, claim.mode, claim.occurrence


def _checked(w: _Write, kind: str, item: Any) -> Any:
    """The record in canonical form once it agrees with the rows around it (RecordInvalid names every problem)."""
    small = neighbourhood(w.session, w.row, kind, item, keys=w.keys)
    ref = record_ref(kind, item)
    section = KINDS[kind][2]
    own = (section, len(getattr(small, section)) - 1)
    problems = []
    for problem in case_problems(small, check_duplicates=False, today=date.today()):
        if problem.path[:2] == own:
            problems.append(f"{'.'.join(str(p) for p in problem.path[2:]) or kind}: {problem.message}")
        elif problem.missing is None:  # a row around it that the change breaks (a dangling id is just not loaded)
            which = SECTION_KINDS[str(problem.path[0])]
            other = record_ref(which, getattr(small, str(problem.path[0]))[int(problem.path[1])])
            problems.append(f"{which} {other}: {'.'.join(str(p) for p in problem.path[2:])}: {problem.message}")
    if kind == "excerpt" and item.anchor is not None:
        owner = attachment_source(w.session, w.row, item.anchor.attachment)
        if owner != item.source:
            where = "is not in the case" if owner is None else f"belongs to {owner}, not to {item.source}"
            problems.append(f"anchor.attachment: attachment {item.anchor.attachment} {where}")
    if problems:
        raise RecordInvalid(kind, ref, problems)
    normal = normalise_case(small)
    checked = getattr(normal, section)[-1]
    if kind == "claim":
        same = [c.id for c in normal.claims[:-1] if _coding(c) == _coding(checked)]
        if same:
            raise RecordInvalid(kind, ref, [f"claim {same[0]} already codes {checked.excerpt} the same way"])
    return checked


def write(
    location: str, kind: str, item: Any, *, actor: Actor, case: str | None, secrets: Secrets | None,
    version: int | None, mode: Any,
) -> tuple[Change, Any]:  # fmt: skip
    """Check and write one record; the change and the record as written (in canonical form)."""
    action = Action.code_claims if kind == "claim" else Action.edit_records
    with _writing(location, kind, action, actor=actor, secrets=secrets or Secrets(), case=case) as w:
        if kind == "witness" and item.restricted is not None:
            authorize(actor, Action.edit_identities, case=w.row.ref)
        checked = _checked(w, kind, item)
        change = write_record(w.session, w.row, kind, checked, audit=w.audit, keys=w.keys, expected=version,
                              mode=mode)  # fmt: skip
        if change.identity:
            assert w.keys is not None
            rebuild_scan_index(w.session, w.row, w.keys, w.audit)
    return change, checked


def create_record(
    location: str, kind: str, item: Any, *, actor: Actor, case: str | None = None, secrets: Secrets | None = None
) -> Change:
    """Add one record (its id must be new to the case); what it points to must exist."""
    return write(location, _kind(kind), item, actor=actor, case=case, secrets=secrets, version=None, mode="create")[0]


def update_record(
    location: str, kind: str, item: Any, *, version: int, actor: Actor, case: str | None = None,
    secrets: Secrets | None = None,
) -> Change:  # fmt: skip
    """Replace one record by ``item`` (same id), refused when it changed since ``version`` was read.

    A witness whose ``restricted`` is None keeps its stored identity.
    """
    return write(location, _kind(kind), item, actor=actor, case=case, secrets=secrets, version=version,
                 mode="update")[0]  # fmt: skip


def delete_record(
    location: str, kind: str, ref: str, *, version: int, actor: Actor, case: str | None = None,
    secrets: Secrets | None = None,
) -> Change:  # fmt: skip
    """Delete one record nothing points to, refused when it changed since ``version`` was read."""
    action = Action.code_claims if _kind(kind) == "claim" else Action.delete_records
    with _writing(location, kind, action, actor=actor, secrets=secrets or Secrets(), case=case) as w:
        change = store_delete(w.session, w.row, kind, ref, audit=w.audit, expected=version)
        if change.identity:
            assert w.keys is not None
            rebuild_scan_index(w.session, w.row, w.keys, w.audit)
    return change


def _without(data: dict[str, Any], path: list[str]) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data.pop(path[-1], None)


def _with(data: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        inner = data.get(part)
        data = data.setdefault(part, {}) if inner is None else inner
        if not isinstance(data, dict):
            raise UserError(f"{'.'.join(path)}: {part} holds no fields")
    data[path[-1]] = value


# Fields that describe another: changing that one drops them unless they are changed too.
_FOLLOWERS = {
    "descriptor.origin": ("descriptor.origin_as_written",),  # the spelling typed becomes the one as written
    "descriptor.age": ("descriptor.age_band",),
    "descriptor.age_band": ("descriptor.age",),
}


def edited(kind: str, item: Any, changes: Mapping[str, Any], *, unset: Sequence[str] = ()) -> Any:
    """A record with fields changed (dotted names, e.g. descriptor.origin) or unset; checked as a casefile's.

    Restricted fields are never changed here (they would travel on a command
    line): `set-identity` changes them, sealed.
    """
    for name in [*changes, *unset]:
        if name.split(".")[0] == "restricted":
            raise UserError("restricted fields are changed with `corroborate set-identity`, never as record fields")
        if name in ("id", "key"):
            raise UserError(f"a record keeps its {name}; add a new one and delete this one to rename it")
    data = item.model_dump(mode="json", exclude={"restricted"} if kind == "witness" else None)
    followers = [f for name in changes for f in _FOLLOWERS.get(name, ()) if f not in changes]
    for name in [*unset, *followers]:
        _without(data, name.split("."))
    for name, value in changes.items():
        _with(data, name.split("."), value)
    model = type(item)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                    for e in exc.errors(include_input=False, include_url=False)]  # fmt: skip
        raise RecordInvalid(kind, record_ref(kind, item), problems) from None


def edit_record(
    location: str, kind: str, ref: str, changes: Mapping[str, Any], *, actor: Actor, unset: Sequence[str] = (),
    version: int | None = None, case: str | None = None, secrets: Secrets | None = None,
) -> tuple[Change, Any]:  # fmt: skip
    """Change some fields of a record; ``version`` (default: the one read just now) guards against lost updates."""
    read = get_record(location, _kind(kind), ref, actor=actor, case=case)
    item = edited(kind, read.item, changes, unset=unset)
    return write(location, kind, item, actor=actor, case=case, secrets=secrets,
                 version=read.version if version is None else version, mode="update")  # fmt: skip


def add_records(
    location: str, path: str | Path, *, actor: Actor, case: str | None = None, secrets: Secrets | None = None
) -> list[Change]:
    """Add the records of a small casefile (say an interview, its excerpts and claims) to a stored case.

    Only new ids are taken (`import --merge` also updates). Each record is
    checked against the rows around it, not the whole case, and every problem
    is listed with its line; nothing is written when there is one. A file of
    claims alone is coded as `code_claims` codes (analysts too).
    """
    with open_store(location) as store, store.transaction() as session:  # the case: --case, or the actor's only one
        case = actor_case(session, actor, Action.read_records, case).ref
    text = read_casefile_text(path)
    failure: CorroborateError | None = None
    try:
        file = parse_merge_casefile(text, filename=str(path), case_id=case)
    except CasefileInvalid as exc:
        failure = exc
    if failure is not None:
        raise redact_error(failure, casefile_redactor(text))
    if any(file.deletions.values()):
        raise UserError("`record add` adds records only: delete with `corroborate record delete` or `import --merge`")
    items = [(kind, i, item) for kind in KINDS for i, item in enumerate(getattr(file.case, KINDS[kind][2]))]
    only_claims = all(kind == "claim" for kind, _i, _item in items)
    action = Action.code_claims if only_claims else Action.edit_records
    problems: list[Problem] = []
    changes: list[Change] = []
    identities = False
    with _writing(location, "claim" if only_claims else "any", action, actor=actor, secrets=secrets or Secrets(),
                  case=case) as w:  # fmt: skip
        for kind, i, item in items:
            section = KINDS[kind][2]
            try:
                if kind == "witness" and item.restricted is not None:
                    authorize(actor, Action.edit_identities, case=w.row.ref)
                checked = _checked(w, kind, item)
                change = write_record(w.session, w.row, kind, checked, audit=w.audit, keys=w.keys, mode="create")
            except RecordInvalid as exc:
                problems += [Problem(file.filename, file.line(section, i), f"{section}[{i}]", p) for p in exc.problems]
                continue
            except RecordExists:
                message = f"the case already has {kind} {record_ref(kind, item)} (`record edit` or `import --merge` "
                problems.append(
                    Problem(file.filename, file.line(section, i), f"{section}[{i}]", message + "change it)")
                )
                continue
            except RecordNotFound as exc:
                problems.append(Problem(file.filename, file.line(section, i), f"{section}[{i}]", str(exc)))
                continue
            changes.append(change)
            identities = identities or change.identity
        if problems:
            failure = redact_error(CasefileInvalid(problems, outcome="nothing was added"), casefile_redactor(text))
        if failure is not None:
            raise failure
        if identities:
            assert w.keys is not None
            rebuild_scan_index(w.session, w.row, w.keys, w.audit)
    return changes
