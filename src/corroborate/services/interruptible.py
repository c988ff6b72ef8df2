"""Long computations in native code that Ctrl-C must still stop.

DuckDB (under Splink) runs a query in C++ and handles the interrupt signal its own way: a Ctrl-C pressed while
`corroborate link` runs was lost, and the command went on to write its outputs. ``interruptible`` runs such a
computation in a worker thread while the main thread, which Python's signal handler always runs in, only waits:
Ctrl-C then raises KeyboardInterrupt at once in the caller, which writes nothing; the worker, a daemon thread,
is abandoned and ends with the process. Python's shutdown would end it as it comes back from native code, which
aborts a thread inside DuckDB's C++ (the process dies with SIGABRT): so once a worker is abandoned, the process
ends at exit without that shutdown (stdout and stderr flushed, exit status 130, the status of an interrupt).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["interruptible"]

_T = TypeVar("_T")


def _end_at_once() -> None:
    """End the process now, without the interpreter's shutdown that would abort an abandoned worker."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(130)


def interruptible(work: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
    """``work(*args, **kwargs)``, computed in a daemon thread; its result, or its exception raised here."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["result"] = work(*args, **kwargs)
        except BaseException as exc:  # handed to the caller, whatever it is
            done["error"] = exc

    worker = threading.Thread(target=run, name=f"interruptible {getattr(work, '__name__', 'work')}", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)  # a KeyboardInterrupt is raised here, in the main thread, as soon as Ctrl-C is pressed
    except KeyboardInterrupt:
        atexit.register(_end_at_once)
        raise
    if "error" in done:
        raise done["error"]
    return done["result"]  # type: ignore[no-any-return]
