"""Commands that guard witnesses: unlock/lock, passphrases and keys, identities, users, audit, backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from corroborate import services
from corroborate.errors import UserError

from .context import (
    CaseOpt,
    Format,
    FormatOpt,
    StoreArg,
    actor_for,
    emit_json,
    err,
    handles_errors,
    out,
    progress_bar,
    secrets,
    settings,
    table,
    trust_file,
)

__all__ = ["register"]

user_app = typer.Typer(help="User accounts and roles.", no_args_is_help=True, rich_markup_mode=None)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True, rich_markup_mode=None)
UserArg = Annotated[str, typer.Argument(metavar="USERNAME", help="user name")]


def _new_secret(value: str | None, prompt: str) -> str:
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"{prompt.lower()} needed: set it in the environment or run in a terminal")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True))


@handles_errors
def unlock(
    store: StoreArg,
    case: CaseOpt = None,
    minutes: Annotated[
        int | None,
        typer.Option(
            "--minutes",
            help="how long the session lasts",
            show_default="CORROBORATE_SESSION_MINUTES, else 30",
        ),
    ] = None,
    scan_only: Annotated[
        bool,
        typer.Option(
            "--scan-only", help="hold only the scan key (for an editor's disclosure checks; opens no identity)"
        ),
    ] = False,
) -> None:
    """Check the passphrase and start a session; prints the CORROBORATE_SESSION line to export."""
    minutes = settings().session_minutes if minutes is None else minutes  # 0 is refused, not the default
    token = services.unlock(store, actor=actor_for(store), secrets=secrets(), minutes=minutes, case=case,
                            scan_only=scan_only)  # fmt: skip
    what = "the scan key is available" if scan_only else "unlocked"
    err.print(f"{what} for {minutes} minutes; run `corroborate lock {store}` to end it")
    typer.echo(f"export CORROBORATE_SESSION={token}")


@handles_errors
def lock(store: StoreArg, case: CaseOpt = None) -> None:
    """End the unlock sessions of a store (or of one case)."""
    refs = [case] if case else services.case_ids(store, actor=actor_for(store))
    ended = services.lock(store, secrets=secrets(), cases=refs)
    out.print(f"ended {ended} session{'s' if ended != 1 else ''}", markup=False)


@handles_errors
def rekey(store: StoreArg, case: CaseOpt = None) -> None:
    """Change a case's passphrase (the data is not re-encrypted)."""
    s = settings()
    new = _new_secret(s.new_passphrase.get_secret_value() if s.new_passphrase else None, "New passphrase")
    services.rekey(store, new, actor=actor_for(store), secrets=secrets(), case=case)
    out.print("passphrase changed", markup=False)


@handles_errors
def rotate_key(
    store: StoreArg,
    case: CaseOpt = None,
    batch: Annotated[int, typer.Option("--batch", help="rows re-encrypted per transaction")] = 200,
) -> None:
    """Re-encrypt every restricted field under a new data key; safe to interrupt and run again."""
    with progress_bar("re-encrypting") as progress:
        moved = services.rotate_key(store, actor=actor_for(store), secrets=secrets(), case=case, batch=batch,
                                    progress=lambda n: progress(n, n))  # fmt: skip
    out.print(
        f"rotated the data key; {moved} identities, attachment keys and person list keys re-encrypted or re-wrapped",
        markup=False,
    )


@handles_errors
def identities(
    store: StoreArg,
    case: CaseOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Show witnesses' restricted identities (owners and investigators, with the passphrase)."""
    found = services.identities(store, actor=actor_for(store), secrets=secrets(), case=case)
    if format is Format.json:
        emit_json({ref: identity.model_dump(mode="json") for ref, identity in found.items()})
        return
    t = table("Pseudonym", "Name", "Hangul", "Contacts", "Location", "Invented")
    for ref, i in found.items():
        t.add_row(ref, i.name or "", i.name_hangul or "", ", ".join(i.contacts), i.current_location or "",
                  "yes" if i.invented else "")  # fmt: skip
    out.print(t)


@handles_errors
def set_identity(
    store: StoreArg,
    witness: Annotated[str, typer.Argument(metavar="WITNESS", help="pseudonym of the witness, e.g. W-007")],
    case: CaseOpt = None,
    name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="full name in Latin letters")] = None,
    hangul: Annotated[str | None, typer.Option("--hangul", metavar="TEXT", help="name in Hangul")] = None,
    contact: Annotated[
        list[str] | None, typer.Option("--contact", metavar="TEXT", help="a contact (repeat for several)")
    ] = None,
    location: Annotated[str | None, typer.Option("--location", metavar="TEXT", help="current location")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", metavar="DATE", help="birth date (EDTF)")] = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="interviewer's notes")] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option("--clear", metavar="FIELD", help="empty a field, e.g. contacts or current_location (repeat)"),
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="delete the whole identity; the witness keeps its pseudonym")
    ] = False,
) -> None:
    """Change a witness's restricted identity; fields not given stay as they are."""
    changes = {k: v for k, v in {"name": name, "name_hangul": hangul, "contacts": contact, "current_location": location,
                                 "birth_date": birth_date, "notes": notes}.items() if v}  # fmt: skip
    if remove:
        if changes or clear:
            raise UserError("--remove deletes the whole identity: give it alone, without fields to change")
        found = services.remove_identity(store, witness, actor=actor_for(store), secrets=secrets(), case=case)
        out.print(f"identity of {witness} {'removed' if found else 'was not recorded; nothing to remove'}",
                  markup=False)  # fmt: skip
        return
    if not changes and not clear:
        raise UserError("nothing to change: give at least one of --name, --hangul, --contact, --location, --clear, ...")
    services.set_identity(store, witness, changes, actor=actor_for(store), secrets=secrets(), case=case,
                          cleared=clear or ())  # fmt: skip
    out.print(f"identity of {witness} updated", markup=False)


@user_app.command("add")
@handles_errors
def user_add(
    store: StoreArg,
    username: UserArg,
    role: Annotated[services.Role, typer.Option("--role", help="what the user may do")],
    case: Annotated[
        str | None, typer.Option("--case", metavar="ID", help="the case the role applies to (default: all)")
    ] = None,
) -> None:
    """Add a user (or give an existing user a role on another case)."""
    s = settings()
    password = _new_secret(s.new_password.get_secret_value() if s.new_password else None, "Password")
    services.add_user(store, username, password, role, actor=actor_for(store), case=case, secrets=secrets())
    out.print(f"{username} is {role.value} on {case or 'every case'}", markup=False)


@user_app.command("list")
@handles_errors
def user_list(store: StoreArg) -> None:
    """List users and their roles."""
    t = table("User", "Roles", "Second factor", "Disabled")
    for u in services.list_users(store, actor=actor_for(store)):
        roles = ", ".join(f"{role} on {case}" for case, role in u.roles.items())
        t.add_row(u.username, roles, "yes" if u.totp else "", "yes" if u.disabled else "")
    out.print(t)


@user_app.command("remove")
@handles_errors
def user_remove(store: StoreArg, username: UserArg) -> None:
    """Remove a user and their roles."""
    services.remove_user(store, username, actor=actor_for(store), secrets=secrets())
    out.print(f"removed {username}", markup=False)


@user_app.command("totp")
@handles_errors
def user_totp(store: StoreArg, username: UserArg) -> None:
    """Give a user a one-time-code second factor; prints the URI for an authenticator app."""
    uri = services.enable_totp(store, username, actor=actor_for(store), secrets=secrets())
    out.print("load this into an authenticator app (it is shown once):", markup=False)
    typer.echo(uri)


@audit_app.command("verify")
@handles_errors
def audit_verify(store: StoreArg) -> None:
    """Check the audit chain, its signatures (against your pinned keys), the head you saw last, and every row.

    Exits 1 on any problem. The first verification of a store pins its case
    keys in your trust file: compare the fingerprints printed with the ones
    kept on paper.
    """
    result = services.verify(store, actor=actor_for(store), trust_file=trust_file())
    for case in result.newly_pinned:
        key = next(k for k in result.keys if k.case == case)
        err.print(
            f"pinned the signing key of case {case}: {key.fingerprint} "
            "(compare it with the fingerprint you keep on paper)",
            markup=False,
        )
    report = result.report
    if result.ok:
        signed = f", signed through entry #{report.signed}" if report.signed else ""
        tail = f" ({report.unsigned} newer entries of disclosure checks await a signature)" if report.unsigned else ""
        out.print(f"audit log intact: {report.entries} entries{signed}, head {report.head}{tail}", markup=False)
        return
    if not report.problems:
        err.print(
            f"audit log BROKEN in cases you have no role on ({result.hidden_problems} problem(s)); "
            "ask an owner to verify it",
            markup=False,
        )
        raise typer.Exit(1)
    first = report.problems[0]
    err.print(f"audit log BROKEN at {first}", markup=False)
    for problem in report.problems[1:20]:
        err.print(f"  also: {problem}", markup=False)
    if len(report.problems) > 20:
        err.print(f"  ... and {len(report.problems) - 20} more", markup=False)
    if result.hidden_problems:
        err.print(f"  and {result.hidden_problems} problem(s) in cases you have no role on", markup=False)
    raise typer.Exit(1)


@audit_app.command("fingerprint")
@handles_errors
def audit_fingerprint(store: StoreArg) -> None:
    """Print each case's signing key fingerprint (to keep on paper) and whether your trust file pins it."""
    t = table("Case", "Fingerprint", "Pinned")
    for key in services.case_fingerprints(store, actor=actor_for(store), trust_file=trust_file()):
        t.add_row(key.case, key.fingerprint, key.pinned)
    out.print(t)


@audit_app.command("trust")
@handles_errors
def audit_trust(
    store: StoreArg,
    fingerprint: Annotated[
        str, typer.Option("--fingerprint", metavar="FINGERPRINT", help="the case's fingerprint, as kept on paper")
    ],
    case: CaseOpt = None,
) -> None:
    """Pin a case's signing key from its fingerprint; refused when the store's key is another."""
    key = services.pin_case_key(store, case, fingerprint, actor=actor_for(store), trust_file=trust_file())
    out.print(f"pinned the signing key of case {key.case}: {key.fingerprint}", markup=False)


@audit_app.command("forget")
@handles_errors
def audit_forget(store: StoreArg) -> None:
    """Forget a store's pinned keys and seen head (after restoring it elsewhere or replacing it on purpose)."""
    found = services.forget_store(store, trust_file=trust_file())
    out.print(f"forgot {store}" if found else f"nothing was known about {store}", markup=False)


@audit_app.command("sign")
@handles_errors
def audit_sign(store: StoreArg, case: CaseOpt = None) -> None:
    """Give a case made before signed audit logs its signing key, once the rest of the log verifies."""
    key = services.sign_log(store, actor=actor_for(store), secrets=secrets(), case=case)
    out.print(
        f"case {key.case} now signs its audit log; its fingerprint (keep it on paper): {key.fingerprint}", markup=False
    )


@audit_app.command("log")
@handles_errors
def audit_log(
    store: StoreArg,
    case: CaseOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="newest entries to show")] = 50,
    entity: Annotated[
        str | None, typer.Option("--entity", metavar="KIND", help="only this kind, e.g. identity")
    ] = None,
    format: FormatOpt = Format.table,
) -> None:
    """List audit entries: who, when, what, and hashes (never restricted values)."""
    entries = services.audit_entries(store, actor=actor_for(store), case=case, limit=limit, entity=entity)
    if format is Format.json:
        emit_json([e.__dict__ for e in entries])
        return
    t = table("#", "When", "Who", "Action", "Entity", "Id", "After")
    for e in entries:
        t.add_row(str(e.seq), e.at, e.actor, e.action, e.entity, e.entity_id, (e.after_hash or "-")[:12])
    out.print(t)


def _backup_passphrase() -> str:
    s = settings()
    if s.backup_passphrase is not None:
        return s.backup_passphrase.get_secret_value()
    value = s.passphrase_value()
    if value:
        return value
    return _new_secret(None, "Backup passphrase")


@handles_errors
def backup(
    store: StoreArg,
    output: Annotated[Path, typer.Argument(metavar="OUTPUT", help="backup file to write")],
    force: Annotated[bool, typer.Option("--force", help="replace OUTPUT if it exists")] = False,
) -> None:
    """Write the whole store to one encrypted file (safe while the store is in use)."""
    with progress_bar("backing up") as progress:
        info = services.backup(
            store, output, actor=actor_for(store), passphrase=_backup_passphrase(), progress=progress, force=force
        )
    out.print(f"wrote {output} ({info.bytes} bytes, content {info.digest[:16]})", markup=False)


@handles_errors
def restore(
    backup_file: Annotated[
        Path, typer.Argument(metavar="BACKUP_FILE", help="backup file written by `corroborate backup`")
    ],
    target: Annotated[
        str, typer.Argument(metavar="TARGET", help="new store: a SQLite path or a database URL with no store yet")
    ],
) -> None:
    """Restore a backup into a new store and verify it."""
    with progress_bar("restoring") as progress:
        result = services.restore(backup_file, target, passphrase=_backup_passphrase(), progress=progress)
    state = "intact" if result.audit.ok else f"BROKEN ({result.audit.problems[0]})"
    out.print(f"restored into {target}; audit log {state}; content {result.digest[:16]}", markup=False)
    if not result.audit.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add these commands to the main app."""
    for command in (unlock, lock, rekey, identities, backup, restore):
        app.command()(command)
    app.command("rotate-key")(rotate_key)
    app.command("set-identity")(set_identity)
    app.add_typer(user_app, name="user")
    app.add_typer(audit_app, name="audit")
