"""What every command needs from its surroundings: settings, the acting user, secrets, output.

This is the edge: it reads the environment (through ``Settings``), asks for
passwords and passphrases at the terminal when nothing else supplies them,
and renders errors as one line each, ``error: …``, with the error's exit code
(2 for a mistake the user can fix, 3 when the database fails). A mistake on
the command line itself (an unknown option, a value that is not one of the
choices) is rendered the same way by ``Commands``.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from corroborate import services
from corroborate.errors import CasefileInvalid, CorroborateError, DisclosureBlocked, StoreNotFound, UserError
from corroborate.services import recommendations, records, search, vocabulary
from corroborate.settings import Settings

from . import INTERRUPTED_MESSAGE

__all__ = [
    "CaseOpt",
    "Commands",
    "Format",
    "FormatOpt",
    "StoreArg",
    "actor_for",
    "assignments",
    "emit_json",
    "err",
    "handles_errors",
    "out",
    "progress_bar",
    "secrets",
    "settings",
    "table",
    "trust_file",
]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

StoreArg = Annotated[str, typer.Argument(metavar="STORE", help="case store: a SQLite file path or a database URL")]
CaseOpt = Annotated[
    str | None, typer.Option("--case", metavar="ID", help="case id, when the store holds more than one case")
]


class Format(StrEnum):
    """How a listing is printed."""

    table = "table"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", help="output format")]

# The choices of options, from the lists services takes from the domain (mypy cannot see members made
# from a variable, hence the ignores).
GenderChoice = StrEnum("GenderChoice", {g: g for g in vocabulary.GENDERS})  # type: ignore[misc]
StanceChoice = StrEnum("StanceChoice", {s: s for s in vocabulary.STANCES})  # type: ignore[misc]
ModeChoice = StrEnum("ModeChoice", {m: m for m in vocabulary.EXCERPT_MODES})  # type: ignore[misc]
StatusChoice = StrEnum("StatusChoice", {s: s for s in recommendations.STATUSES})  # type: ignore[misc]
RecordKindChoice = StrEnum("RecordKindChoice", {k: k for k in records.RECORD_KINDS})  # type: ignore[misc]
SearchKindChoice = StrEnum("SearchKindChoice", {k: k for k in search.KINDS})  # type: ignore[misc]
LimitOpt = Annotated[int | None, typer.Option("--limit", metavar="N", help="show at most N rows")]
OffsetOpt = Annotated[int, typer.Option("--offset", metavar="N", help="skip the first N rows")]


INTERRUPTED = 130  # the exit code of a command stopped by Ctrl-C (128 + SIGINT)


class Commands(typer.core.TyperGroup):
    """The command group. A mistake on the command line (an unknown option, a value not among the
    choices, a missing argument) ends in one `error:` line and exit code 2, like every other mistake."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = functools.partial(super().main, args, prog_name, complete_var, windows_expand_args=windows_expand_args)
        if not standalone_mode:
            return run(standalone_mode=False, **extra)
        try:
            result = run(standalone_mode=False, **extra)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a group run alone: its help (as Typer itself tests it)
                err.print(exc.format_message(), markup=False)
                sys.exit(exc.exit_code)
            message = exc.format_message().replace("Value error, ", "")
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            err.print(f"error: {message}{hint}", markup=False)
            sys.exit(exc.exit_code)
        except typer.Abort:
            err.print("error: aborted", markup=False)
            sys.exit(1)
        if result == INTERRUPTED:  # Typer's answer to Ctrl-C; no command returns it on its own
            err.print(INTERRUPTED_MESSAGE, markup=False)
        sys.exit(result if isinstance(result, int) else 0)


def settings() -> Settings:
    """The settings, read from the environment and `.env`."""
    return Settings()


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(prompt: str, *, confirm: bool = False) -> str | None:
    if not _interactive():
        return None
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True))


def secrets(*, new_case: bool = False) -> services.Secrets:
    """How services obtain case keys: a session, CORROBORATE_PASSPHRASE, a key file, or a prompt."""
    s = settings()

    def passphrase(case: str) -> str | None:
        try:
            value = s.passphrase_value()
        except OSError as exc:
            raise UserError(f"cannot read CORROBORATE_KEY_FILE: {exc.strerror or type(exc).__name__}") from None
        except UnicodeDecodeError:
            raise UserError("CORROBORATE_KEY_FILE is not UTF-8 text") from None
        return value if value is not None else _ask(f"Passphrase for case {case}", confirm=new_case)

    token = s.session.get_secret_value() if s.session else None
    return services.Secrets(passphrase=passphrase, session_token=token, session_dir=s.session_dir,
                            trust_file=trust_file())  # fmt: skip


def trust_file() -> Path:
    """The user's trust file (pinned signing keys, the audit head they saw)."""
    return settings().trust_file or services.default_trust_file()


def actor_for(store: str) -> services.Actor:
    """The acting user: the local owner on a store without accounts, else the signed-in user."""
    s = settings()
    password = s.password.get_secret_value() if s.password else None
    if s.user is not None and password is None:
        password = _ask(f"Password for {s.user}")
    try:
        return services.sign_in(store, username=s.user, password=password, totp=s.totp)
    except StoreNotFound:
        return services.LOCAL_OWNER  # no store yet: the command creates it, or reports it missing


def handles_errors(command: F) -> F:
    """Render Corroborate's errors as one line each and exit with the error's code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CasefileInvalid as exc:
            for problem in exc.problems:
                err.print(str(problem), markup=False)
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except DisclosureBlocked as exc:
            for line in exc.problems:
                err.print(line, markup=False)
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except CorroborateError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            # Last resorts for a file the user named that a lower layer did not translate:
            # the path and the system's reason, never the file's content.
            where = f"{exc.filename}: " if exc.filename else ""
            err.print(f"error: {where}{exc.strerror or type(exc).__name__}", markup=False)
            raise typer.Exit(2) from None
        except UnicodeDecodeError:
            err.print("error: a file given is not UTF-8 text; save it as UTF-8", markup=False)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr (terminals only), fed by ``progress(done, total)``."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def assignments(items: list[str] | None, *, what: str = "NAME") -> dict[str, str]:
    """``--set NAME=VALUE`` options as a mapping (values as typed; a malformed one is named, its value never shown)."""
    found: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--set {name.strip() or '?'}: write {what}=VALUE")
        found[name.strip()] = value.strip()
    return found


def table(*headers: str, wrap: tuple[str, ...] | None = None, title: str | None = None) -> Table:
    """A listing table. Columns in ``wrap`` (default: all) wrap their text in narrow terminals;
    the others keep each value on one line, so ids and dates are never broken apart."""
    if not out.is_terminal:
        # To a file or a pipe (make demo, scripts) Rich would assume 80 columns and squeeze
        # tables; use COLUMNS when set, else a wide page.
        out.width = int(os.environ.get("COLUMNS") or 140)
    t = Table(title=title)
    for header in headers:
        if wrap is None or header in wrap:
            t.add_column(header, overflow="fold")
        else:
            t.add_column(header, no_wrap=True, min_width=min(len(header), 12))
    return t


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
