"""Listings filtered and paged in SQL give what filtering the whole case by hand gives (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.domain import Case, parse_age
from corroborate.errors import UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets


@pytest.fixture
def loaded(store_location: str, reference_case_path: Path, secrets: Secrets) -> tuple[str, Case]:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location, read_casefile(reference_case_path)


def witness_ids(location: str, **filters: Any) -> list[str]:
    return [r.witness.id for r in services.witnesses(location, actor=LOCAL_OWNER, **filters)]


def test_witness_filters(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    every = [w.id for w in case.witnesses]
    assert witness_ids(location) == every
    by_hand = {
        "gender": [w.id for w in case.witnesses if w.descriptor.gender == "female"],
        "origin": [w.id for w in case.witnesses if w.descriptor.origin == "Chongjin"],
        "nationality": [w.id for w in case.witnesses if w.descriptor.nationality == "CN"],
    }
    assert witness_ids(location, gender="female") == by_hand["gender"]
    assert witness_ids(location, origin="Chungjin") == by_hand["origin"] == ["W-007"]  # any spelling
    assert witness_ids(location, origin="청진") == ["W-007"]
    assert witness_ids(location, nationality="China") == by_hand["nationality"] == ["W-001"]
    band = parse_age("30-39")
    in_thirties = [
        w.id for w in case.witnesses
        if (b := w.descriptor.effective_age_band()) is not None and b.low <= (band.high or 200)
        and (b.high is None or b.high >= band.low)
    ]  # fmt: skip
    assert witness_ids(location, age="in her thirties") == in_thirties and "W-003" in in_thirties  # a band, 30-39
    assert witness_ids(location, gender="female", age="30-39") == [w for w in in_thirties
                                                                   if w in by_hand["gender"]]  # fmt: skip


def test_pages(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    every = [w.id for w in case.witnesses]
    assert witness_ids(location, limit=5) == every[:5]
    assert witness_ids(location, limit=5, offset=10) == every[10:15]
    claims = [c.id for c in case.claims]
    listed = [r.id for r in services.claims(location, actor=LOCAL_OWNER, limit=20, offset=20)]
    assert listed == claims[20:40]
    with pytest.raises(UserError, match="a page needs"):
        services.claims(location, actor=LOCAL_OWNER, limit=0)


def test_claim_filters(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    excerpt_mode = {e.id: e.mode for e in case.excerpts}
    for mode in ("unstated", "heard_official", "document", "witnessed"):
        expected = [c.id for c in case.claims if (c.mode or excerpt_mode[c.excerpt]) == mode]
        assert [r.id for r in services.claims(location, actor=LOCAL_OWNER, mode=mode)] == expected, mode
    both = services.claims(location, actor=LOCAL_OWNER, proposition="policy.crossers.imprisoned", mode="unstated")
    assert [r.id for r in both] == [c.id for c in case.claims if c.proposition == "policy.crossers.imprisoned"
                                    and (c.mode or excerpt_mode[c.excerpt]) == "unstated"]  # fmt: skip
    assert services.claims(location, actor=LOCAL_OWNER, stance="contradicts") == [
        r for r in services.claims(location, actor=LOCAL_OWNER) if r.stance == "contradicts"
    ]
