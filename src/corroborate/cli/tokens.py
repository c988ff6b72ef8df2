"""Commands on personal API tokens: `token create`, `token list` and `token revoke`.

Thin shells over ``corroborate.services.apitokens``. A token acts as the signed-in user
(CORROBORATE_USER, see docs/settings.md) on one case with a role no higher than theirs;
its value is printed once, on standard output, and never stored.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from corroborate import services
from corroborate.services import apitokens

from .context import Format, FormatOpt, StoreArg, actor_for, emit_json, handles_errors, out, table

__all__ = ["register"]

token_app = typer.Typer(
    help="Personal API tokens for scripts (the JSON API, docs/api.md).", no_args_is_help=True, rich_markup_mode=None
)


@token_app.command("create")
@handles_errors
def create(
    store: StoreArg,
    name: Annotated[str, typer.Option("--name", metavar="TEXT", help="what the token is for, e.g. 'intake form'")],
    case: Annotated[str, typer.Option("--case", metavar="ID", help="the one case the token may work on")],
    role: Annotated[services.Role, typer.Option("--role", help="what it may do there (no more than you may)")],
    days: Annotated[
        int, typer.Option("--days", min=1, max=apitokens.MAX_DAYS, help="how many days it lasts")
    ] = apitokens.DEFAULT_DAYS,
) -> None:
    """Make a token for a script; its value is shown this once (keep it like a password)."""
    made = apitokens.create_token(store, actor=actor_for(store), name=name, case=case, role=role, days=days)
    out.print(f"token {made.number}: {made.role.value} on {made.case} until {made.expires_at}", markup=False)
    typer.echo(made.token)


@token_app.command("list")
@handles_errors
def list_(store: StoreArg, format: FormatOpt = Format.table) -> None:
    """List your tokens (never their values), revoked and expired ones too."""
    found = apitokens.list_tokens(store, actor=actor_for(store))
    if format is Format.json:
        emit_json([{k: v for k, v in dataclasses.asdict(t).items() if k not in ("sealed", "user_pk")} for t in found])
        return
    t = table("Number", "Name", "Case", "Role", "Created", "Expires", "Last used", "Revoked")
    for k in found:
        t.add_row(str(k.pk), k.name, k.case, k.role, k.created_at[:16], k.expires_at[:16], (k.used_at or "")[:16],
                  (k.revoked_at or "")[:16])  # fmt: skip
    out.print(t)


@token_app.command("revoke")
@handles_errors
def revoke(
    store: StoreArg, number: Annotated[int, typer.Argument(metavar="NUMBER", help="the token's number (token list)")]
) -> None:
    """Revoke one of your tokens at once."""
    apitokens.revoke_token(store, number, actor=actor_for(store))
    out.print(f"token {number} revoked", markup=False)


def register(app: typer.Typer) -> None:
    """Add the `token` group to the main app."""
    app.add_typer(token_app, name="token")
