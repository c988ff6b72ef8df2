"""The `corroborate` command line (Typer + Rich)."""

from .commands import app, main

__all__ = ["app", "main"]
