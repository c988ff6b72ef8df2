"""Placing the case's places with the gazetteer: places of origin counted from public descriptors, places claims
name, what the gazetteer does not know left unplaced, and a role that may not list witnesses refused."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from corroborate import services
from corroborate.domain import Gazetteer
from corroborate.errors import Forbidden
from corroborate.ingest import read_casefile
from corroborate.services import Role, Secrets
from corroborate.services import geography as placing

PASSWORD = "a long enough password"  # every user's in the `store` of conftest.py
CASE = "border-crossers-2007"


def test_places_of_origin_are_counted_placed_and_ordered(store: str, reference_case_path: Path) -> None:
    ana = services.authenticate(store, "ana", PASSWORD)
    origins, without = placing.place_origins(store, actor=ana, case=CASE)
    case = read_casefile(reference_case_path)
    written = Counter(w.descriptor.origin for w in case.witnesses)  # the casefile, read apart from the store
    assert without == written.pop(None) == 1
    assert {o.name: o.count for o in origins} == dict(written)
    assert [o.name for o in origins] == sorted(written, key=lambda name: (-written[name], name))  # most first
    musan = next(o for o in origins if o.name == "Musan")
    assert musan.count == 2 and musan.place is not None and musan.place.province == "North Hamgyong"
    assert all(o.place is not None for o in origins)  # the gazetteer knows every place of origin in the case


def test_a_place_the_gazetteer_does_not_know_is_kept_unplaced(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fewer = Gazetteer([p for p in Gazetteer.default() if p.name not in ("Chongjin", "Hoeryong")])
    monkeypatch.setattr(placing, "Gazetteer", SimpleNamespace(default=lambda: fewer))
    ana = services.authenticate(store, "ana", PASSWORD)
    origins, _ = placing.place_origins(store, actor=ana, case=CASE)
    assert {o.name for o in origins if o.place is None} == {"Chongjin", "Hoeryong"} and len(origins) == 8
    named = placing.place_named(store, actor=ana, case=CASE)
    assert [(n.name, n.place) for n in named if n.name == "Hoeryong"] == [("Hoeryong", None)]


def test_places_the_claims_name_are_counted_by_witness_and_claim(store: str) -> None:
    ivan = services.authenticate(store, "ivan", PASSWORD)
    named = placing.place_named(store, actor=ivan, case=CASE)
    hoeryong = next(n for n in named if n.name == "Hoeryong")
    assert (hoeryong.count, hoeryong.claims) == (1, 3)
    assert hoeryong.place is not None and hoeryong.place.hangul == "회령"
    assert named == sorted(named, key=lambda n: (-n.count, -n.claims, n.name))


def test_a_role_that_may_not_list_witnesses_places_nothing(store: str, secrets: Secrets) -> None:
    olga = services.authenticate(store, "olga", PASSWORD)
    services.add_user(store, "vera", PASSWORD, Role.viewer, actor=olga, secrets=secrets)
    vera = services.authenticate(store, "vera", PASSWORD)
    with pytest.raises(Forbidden):
        placing.place_origins(store, actor=vera, case=CASE)
