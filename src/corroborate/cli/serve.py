"""`corroborate serve`: the web workbench over a store, on this machine's loopback by default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from corroborate.errors import UserError
from corroborate.services import publish as publishing
from corroborate.services import websessions

from .context import StoreArg, err, handles_errors, out

__all__ = ["register"]


@handles_errors
def serve(
    store: StoreArg,
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="worker processes")] = 1,
    briefing: Annotated[
        list[Path] | None,
        typer.Option("--briefing", metavar="OUTLINE", help="a briefing outline to check and publish (repeat)"),
    ] = None,
    publish_dir: Annotated[
        Path | None, typer.Option("--publish-dir", metavar="DIR", help="where publishing writes (a folder per case)")
    ] = None,
) -> None:
    """Serve the web workbench for a store until Ctrl-C."""
    outlines = [path.resolve() for path in briefing or []]
    for path in outlines:
        publishing.read_briefing(path)  # a broken outline stops the server now, with every problem listed
    names = [path.stem for path in outlines]
    if len(set(names)) != len(names):
        raise UserError("two briefings have the same file name; the publication page tells them apart by it")
    if not websessions.has_accounts(store):  # also says so when there is no store at all
        err.print(f"note: {store} has no user accounts, so nobody can sign in; add one with `corroborate user add`")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"note: listening on {host}: other machines can reach this workbench; serve it behind HTTPS")
    out.print(f"Corroborate serves {store} at http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/ "
              "(Ctrl-C stops it)")  # fmt: skip
    import uvicorn  # the web application loads only when it is served: every other command starts faster

    from corroborate.web.app import BRIEFINGS_VARIABLE, PUBLISH_DIR_VARIABLE, SERVER_KEY_VARIABLE, STORE_VARIABLE

    os.environ[STORE_VARIABLE] = store
    os.environ[SERVER_KEY_VARIABLE] = os.urandom(32).hex()  # the workers' shared key, for this run only
    os.environ[BRIEFINGS_VARIABLE] = os.pathsep.join(str(path) for path in outlines)
    if publish_dir is not None:
        os.environ[PUBLISH_DIR_VARIABLE] = str(publish_dir.resolve())
    uvicorn.run("corroborate.web.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, server_header=False)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add `serve` to the main app."""
    app.command()(serve)
