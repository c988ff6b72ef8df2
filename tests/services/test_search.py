"""Full-text search: public text only, substrings in any script, place names in every spelling (SQLite and
PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import UserError
from corroborate.ingest import parse_casefile, read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.search import search

SMALL = """\
version: 1
case: {id: small, title: Search}
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 40, origin: Hoeryong}
    restricted: {name: Pak Sun-hui, name_hangul: 박순희, contacts: ["+86 139 5550 0001"], notes: Lives near Yanji}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: CN}
documents:
  - {id: D-001, kind: news, title: 국경 경비대 소식, outlet: Daily NK, date: 2007-01-11}
excerpts:
  - {id: X-001, source: I-001, mode: witnessed, text: 청진에서 온 사람들이 교화소에 갔다.}
  - {id: X-002, source: I-001, mode: witnessed, text: We walked to the river at night.}
  - {id: X-003, source: D-001, mode: document, text: Guards were replaced along the border.}
"""


@pytest.fixture
def reference(store_location: str, reference_case_path: Path, secrets: Secrets) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


@pytest.fixture
def small(store_location: str, secrets: Secrets) -> str:
    services.import_case(store_location, parse_casefile(SMALL), actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def test_a_place_is_found_in_every_spelling_and_through_its_witnesses(
    reference: str, reference_case_path: Path
) -> None:
    hits = search(reference, "Chungjin", actor=LOCAL_OWNER, limit=50)
    found = {(h.kind, h.ref): h for h in hits}
    assert ("witness", "W-007") in found  # "woman, Chungjin" (the paper's spelling, kept)
    chongjin = {e.id for e in read_casefile(reference_case_path).excerpts if e.source == "I-007"}
    assert chongjin and chongjin <= {ref for kind, ref in found if kind == "excerpt"}
    assert all(found[("excerpt", ref)].because == "the witness is from Chongjin" for ref in chongjin)
    assert search(reference, "청진", actor=LOCAL_OWNER, limit=50) == search(reference, "Chongjin", actor=LOCAL_OWNER,
                                                                            limit=50) != []  # fmt: skip


def test_words_and_phrases_match_substrings_in_every_row_that_has_them_all(
    reference: str, reference_case_path: Path
) -> None:
    case = read_casefile(reference_case_path)
    for query, words in (('"regular prison"', ["regular prison"]), ("kyohwaso years", ["kyohwaso", "years"]),
                         ("CORN", ["corn"])):  # fmt: skip
        expected = {e.id for e in case.excerpts if all(w in e.text.casefold() for w in words)}
        hits = search(reference, query, actor=LOCAL_OWNER, kinds=["excerpt"], limit=100)
        assert {h.ref for h in hits} == expected and expected, query
        for h in hits:  # every match is marked in the snippet
            assert h.highlights and all(h.snippet[s:e].casefold() in words for s, e in h.highlights)
    assert [h.ref for h in search(reference, "imprisoned", actor=LOCAL_OWNER, kinds=["proposition"])] == [
        "policy.crossers.imprisoned"
    ]


def test_hangul_is_found_by_two_syllables_or_more(small: str) -> None:
    assert [(h.kind, h.ref) for h in search(small, "청진", actor=LOCAL_OWNER)] == [("excerpt", "X-001")]
    assert [h.ref for h in search(small, "교화소", actor=LOCAL_OWNER)] == ["X-001"]
    assert [(h.kind, h.ref) for h in search(small, "경비대", actor=LOCAL_OWNER)] == [("document", "D-001")]


def test_no_restricted_value_is_ever_found(small: str) -> None:
    identity = parse_casefile(SMALL).witnesses[0].restricted
    assert identity is not None
    for value in (identity.name, identity.name_hangul, identity.contacts[0], identity.notes, "Pak", "순희", "Yanji"):
        assert search(small, str(value), actor=LOCAL_OWNER) == [], value


def test_the_index_follows_every_write(small: str, secrets: Secrets) -> None:
    case = parse_casefile(SMALL)
    changed = case.model_copy(update={"excerpts": [
        e.model_copy(update={"text": "We crossed the Tumen on the ice."}) if e.id == "X-002" else e
        for e in case.excerpts]})  # fmt: skip
    services.import_case(small, changed, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert [h.ref for h in search(small, "Tumen", actor=LOCAL_OWNER)] == ["X-002"]
    assert search(small, "river at night", actor=LOCAL_OWNER) == []


def test_mistakes_are_clear(small: str) -> None:
    with pytest.raises(UserError, match="query is empty"):
        search(small, "  ", actor=LOCAL_OWNER)
    with pytest.raises(UserError, match="no kind 'claim'"):
        search(small, "river", actor=LOCAL_OWNER, kinds=["claim"])
    assert search(small, "100%_done", actor=LOCAL_OWNER) == []  # LIKE's wildcards are plain characters


def test_a_restored_store_is_searchable(tmp_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "small.db")
    services.import_case(location, parse_casefile(SMALL), actor=LOCAL_OWNER, secrets=secrets)
    services.backup(location, tmp_path / "small.backup", actor=LOCAL_OWNER, passphrase="a backup passphrase for tests")
    restored = str(tmp_path / "restored.db")
    services.restore(tmp_path / "small.backup", restored, passphrase="a backup passphrase for tests")
    assert [h.ref for h in search(restored, "교화소", actor=LOCAL_OWNER)] == ["X-001"]


RIVERS = """\
version: 1
case: {id: rivers, title: Search}
witnesses:
  - {id: W-001, descriptor: {gender: female, age: 40, origin: Hoeryong}}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: CN}
excerpts:
  - {id: X-001, source: I-001, mode: witnessed, text: We came to the river.}
  - {id: X-002, source: I-001, mode: witnessed, text: The river was frozen.}
  - {id: X-003, source: I-001, mode: witnessed, text: "River after river: we crossed the river at night."}
"""


def test_a_common_word_is_ranked_among_its_first_matches(
    store_location: str, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking reads the first RANKED matches of each kind (in the order rows were added), not all of them."""
    from corroborate.services import search as search_module

    services.import_case(store_location, parse_casefile(RIVERS), actor=LOCAL_OWNER, secrets=secrets)
    assert [(h.ref, h.score) for h in search(store_location, "river", actor=LOCAL_OWNER)] == [
        ("X-003", 3), ("X-001", 1), ("X-002", 1)
    ]  # fmt: skip
    monkeypatch.setattr(search_module, "RANKED", 2)
    assert [h.ref for h in search(store_location, "river", actor=LOCAL_OWNER, limit=1)] == ["X-001"]
    assert [h.ref for h in search(store_location, "river", actor=LOCAL_OWNER, limit=3)] == ["X-003", "X-001", "X-002"]
