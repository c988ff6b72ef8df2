"""How far a long job has come: the one progress type every layer reports through."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "Tick", "no_progress"]

# Called with (done, total) as work goes on; the CLI draws it as a bar, the web will stream it.
Progress = Callable[[int, int], None]
# Called with how many more items are done (a Progress's total is known to whoever wraps it).
Tick = Callable[[int], None]


def no_progress(_done: int, _total: int) -> None:
    """A Progress that shows nothing."""
