"""Use case of placing the case's places: the places of origin witnesses give and the places claims name, each
found in the gazetteer (its province, coordinates and Hangul), or left unplaced when the gazetteer does not know it.

Only public descriptors and claims' place attributes are read, counted by the listings, which check the
role first (one that may not list witnesses or claims is refused before anything is placed); never a
restricted field.
"""

from __future__ import annotations

from dataclasses import dataclass

from corroborate.domain import Gazetteer, Place

from .access import Actor
from .listings import named, origins

__all__ = ["Named", "Origin", "place_named", "place_origins"]


@dataclass(frozen=True)
class Origin:
    """A place of origin and how many of the case's witnesses come from it; ``place`` None when unplaced."""

    name: str
    count: int
    place: Place | None


@dataclass(frozen=True)
class Named:
    """A place the case's claims name (where something happened, or where a source heard of it)."""

    name: str
    count: int  # witnesses whose claims name it
    claims: int
    place: Place | None


def place_origins(location: str, *, actor: Actor, case: str) -> tuple[list[Origin], int]:
    """Each place of origin with its witnesses (most first), and how many witnesses name none."""
    counted = origins(location, actor=actor, case=case)  # counted in SQL, public descriptors only
    none = counted.pop(None, 0)
    gazetteer = Gazetteer.default()
    found = [Origin(name, n, gazetteer.find(name)) for name, n in counted.items() if name is not None]
    return sorted(found, key=lambda o: (-o.count, o.name)), none


def place_named(location: str, *, actor: Actor, case: str) -> list[Named]:
    """Each place the case's claims name, with how many witnesses and claims name it (most first)."""
    gazetteer = Gazetteer.default()
    found = named(location, actor=actor, case=case)
    return sorted((Named(name, w, c, gazetteer.find(name)) for name, (w, c) in found.items()),
                  key=lambda n: (-n.count, -n.claims, n.name))  # fmt: skip
