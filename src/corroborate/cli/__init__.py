"""The `corroborate` command line (Typer + Rich).

`main` is light on purpose: loading the commands takes a few seconds on a slow laptop, and Ctrl-C pressed
during that time must end the program as cleanly as Ctrl-C pressed during a command.
"""

import sys
from typing import Any as _Any

INTERRUPTED_MESSAGE = "interrupted: nothing was written (every change is all or nothing)"

__all__ = ["INTERRUPTED_MESSAGE", "app", "main"]


def main() -> None:
    """Entry point of the `corroborate` console script."""
    try:
        from .commands import main as run_commands
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED_MESSAGE + "\n")
        sys.exit(130)
    run_commands()


def __getattr__(name: str) -> _Any:
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(name)
