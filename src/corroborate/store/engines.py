"""Engines kept per store location for the life of the process, so that opening a store is cheap.

An engine holds what is costly to make again on every call: the dialect,
set up on its first connection, and the statements compiled so far (a
search or the coding of a claim spent a third of its time compiling SQL on a
new engine). Connections are another matter: they are closed as soon as no
open ``Store`` uses the engine, exactly as when each call made and disposed
its own engine. So a SQLite file deleted, replaced or restored at the same
path is opened afresh by the next call (no connection holds the old file),
its write-ahead log is folded in when the last connection closes, and a
PostgreSQL database can be dropped or copied as a template between calls. A
process that wants its connections kept (the web server) holds a store open.

Never keeps more than ``_LIMIT`` engines (tests open stores at many temporary
paths); all are disposed at exit.
"""

from __future__ import annotations

import atexit
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

__all__ = ["borrow_engine", "dispose_engines", "return_engine"]

_LIMIT = 16


@dataclass
class _Kept:
    engine: Engine
    users: int = 0  # open stores using it; its connections are closed when this comes back to 0


_lock = threading.Lock()
_kept: OrderedDict[str, _Kept] = OrderedDict()  # by database URL, least recently used first


def borrow_engine(url: str, make: Callable[[str], Engine]) -> tuple[Engine, bool]:
    """The engine kept for ``url`` (made with ``make`` the first time), counted as used until returned, and
    whether another open store was using it already (its connections kept: the same database, opened and
    checked by that store, so a server holding its store open need not check it again on every call)."""
    with _lock:
        kept = _kept.get(url)
        if kept is None:
            kept = _kept[url] = _Kept(make(url))
        _kept.move_to_end(url)
        held = kept.users > 0
        kept.users += 1
        _evict()
        return kept.engine, held


def return_engine(url: str, engine: Engine) -> None:
    """One user fewer; with none left, every connection of the engine is closed (the engine is kept)."""
    with _lock:
        kept = _kept.get(url)
        if kept is None or kept.engine is not engine:  # disposed at exit meanwhile: close what it has
            engine.dispose()
            return
        kept.users -= 1
        if kept.users <= 0:
            kept.users = 0
            engine.dispose()  # closes the pooled connections; the dialect and compiled statements stay


def _evict() -> None:
    """Forget the least recently used engines nobody uses, beyond the limit (called under the lock)."""
    idle = [url for url, k in _kept.items() if k.users == 0]
    for url in idle[: max(0, len(_kept) - _LIMIT)]:
        _kept.pop(url).engine.dispose()


def dispose_engines() -> None:
    """Close and forget every kept engine (at exit; a store still open then loses its connections)."""
    with _lock:
        while _kept:
            _kept.popitem()[1].engine.dispose()


atexit.register(dispose_engines)
