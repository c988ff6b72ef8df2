"""Commands on one record at a time: `record show`, `record add`, `record edit`, `record delete`, and `uncode`.

Thin shells over ``corroborate.services.records``. A record is shown with the
version a change may name (``--version``): a change to a record someone else
changed since is refused, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from corroborate.errors import UserError
from corroborate.services import records

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    RecordKindChoice,
    StoreArg,
    actor_for,
    assignments,
    emit_json,
    handles_errors,
    out,
    secrets,
)

__all__ = ["register"]

record_app = typer.Typer(
    help="Show, add, edit and delete one record of a case at a time.", no_args_is_help=True, rich_markup_mode=None
)
KindArg = Annotated[RecordKindChoice, typer.Argument(metavar="KIND", help="witness, interview, document, excerpt, ...")]
IdArg = Annotated[str, typer.Argument(metavar="ID", help="the record's id (a proposition's key)")]
VersionOpt = Annotated[
    int | None,
    typer.Option("--version", metavar="N", help="the version you read; refused if it changed since",
                 show_default="the version read just now"),
]  # fmt: skip


def _said(change: records.Change) -> str:
    if change.action == "unchanged":
        return f"{change.kind} {change.ref} unchanged (version {change.version})"
    done = {"create": "added", "update": "changed", "delete": "deleted"}[change.action]
    return f"{done} {change.kind} {change.ref}" + (f" (version {change.version})" if change.version else "")


@handles_errors
def show(
    store: StoreArg,
    kind: KindArg,
    ref: IdArg,
    case: CaseOpt = None,
    identity: Annotated[
        bool, typer.Option("--identity", help="a witness's restricted identity too (owners and investigators)")
    ] = False,
    format: FormatOpt = Format.table,
) -> None:
    """Show one record as casefile YAML (or JSON), with the version a change names."""
    found = records.get_record(store, kind.value, ref, actor=actor_for(store), case=case,
                               secrets=secrets() if identity else None, identity=identity)  # fmt: skip
    data = found.item.model_dump(mode="json", exclude_none=True)
    if format is Format.json:
        emit_json({"kind": found.kind, "version": found.version, "record": data})
        return
    out.print(f"# {found.kind} {found.ref}, version {found.version}", markup=False)
    out.print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip(), markup=False)


@handles_errors
def add(
    store: StoreArg,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="YAML or JSON with casefile sections of new records")],
    case: CaseOpt = None,
) -> None:
    """Add new records from a small file (say an interview, its excerpts and claims): all of them or none."""
    done = records.add_records(store, file, actor=actor_for(store), case=case, secrets=secrets())
    for change in done:
        out.print(_said(change), markup=False)
    if not done:
        out.print("the file holds no record", markup=False)


def _value(text: str) -> Any:
    """A value typed after NAME=: YAML, so numbers, true/false, [lists] and {maps} read as such."""
    try:
        return yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        return text


@handles_errors
def edit(
    store: StoreArg,
    kind: KindArg,
    ref: IdArg,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", metavar="FIELD=VALUE", help="set a field, e.g. descriptor.origin=Musan (repeatable)"),
    ] = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", metavar="FIELD", help="clear a field (repeatable)")
    ] = None,
    version: VersionOpt = None,
    case: CaseOpt = None,
) -> None:
    """Change fields of one record (never restricted ones: `set-identity` does that, sealed)."""
    changes = {name: _value(value) for name, value in assignments(set_, what="FIELD").items()}
    if not changes and not unset:
        raise UserError("nothing to change: give --set FIELD=VALUE or --unset FIELD")
    change, _item = records.edit_record(store, kind.value, ref, changes, unset=unset or [], version=version,
                                        actor=actor_for(store), case=case, secrets=secrets())  # fmt: skip
    out.print(_said(change), markup=False)


def _delete(store: str, kind: str, ref: str, version: int | None, case: str | None) -> None:
    actor = actor_for(store)
    if version is None:
        version = records.get_record(store, kind, ref, actor=actor, case=case).version
    change = records.delete_record(store, kind, ref, version=version, actor=actor, case=case, secrets=secrets())
    out.print(_said(change), markup=False)


@handles_errors
def delete(store: StoreArg, kind: KindArg, ref: IdArg, version: VersionOpt = None, case: CaseOpt = None) -> None:
    """Delete one record that nothing points to (what does is named, and nothing is deleted)."""
    _delete(store, kind.value, ref, version, case)


@handles_errors
def uncode(
    store: StoreArg,
    claim: Annotated[str, typer.Argument(metavar="CLAIM", help="id of the claim to remove")],
    version: VersionOpt = None,
    case: CaseOpt = None,
) -> None:
    """Remove a claim (the excerpt and the proposition stay)."""
    _delete(store, "claim", claim, version, case)


def register(app: typer.Typer) -> None:
    """Add the `record` group (`show`, `add`, `edit`, `delete`) and `uncode` to the main app."""
    record_app.command("show")(show)
    record_app.command("add")(add)
    record_app.command("edit")(edit)
    record_app.command("delete")(delete)
    app.add_typer(record_app, name="record")
    app.command("uncode")(uncode)
