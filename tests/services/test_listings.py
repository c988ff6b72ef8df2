"""Listings filtered, sorted and paged in SQL give what filtering the whole case by hand gives (SQLite and
PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.domain import Case, parse_age
from corroborate.errors import Forbidden, RecordNotFound, UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Actor, Listed, Role, Secrets


@pytest.fixture
def loaded(store_location: str, reference_case_path: Path, secrets: Secrets) -> tuple[str, Case]:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location, read_casefile(reference_case_path)


def witness_ids(location: str, **filters: Any) -> list[str]:
    return [r.witness.id for r in services.witnesses(location, actor=LOCAL_OWNER, listed=Listed(**filters))]


def interview_ids(location: str, **filters: Any) -> list[str]:
    return [r.id for r in services.interviews(location, actor=LOCAL_OWNER, listed=Listed(**filters))]


def excerpt_ids(location: str, **filters: Any) -> list[str]:
    own = {k: filters.pop(k) for k in ("source", "proposition", "mode") if k in filters}
    return [r.id for r in services.excerpts(location, actor=LOCAL_OWNER, listed=Listed(**filters), **own)]


def claim_ids(location: str, **filters: Any) -> list[str]:
    own = {k: filters.pop(k) for k in ("stance", "proposition", "mode") if k in filters}
    return [r.id for r in services.claims(location, actor=LOCAL_OWNER, listed=Listed(**filters), **own)]


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


def test_interview_date_ranges(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    dates = {v.id: v.date for v in case.interviews}
    assert interview_ids(location) == list(dates)
    # a day, a month and a year as either end; an interview is kept when its date may lie in the range
    late = [i for i, d in dates.items() if d >= "2006-11-29"]
    assert interview_ids(location, start="2006-11-29") == late and 0 < len(late) < len(dates)
    assert interview_ids(location, end="2006-11-28") == [i for i, d in dates.items() if d <= "2006-11-28"]
    assert interview_ids(location, start="2006-11-28", end="2006-11-28") == [
        i for i, d in dates.items() if d == "2006-11-28"
    ]
    assert interview_ids(location, start="2006-12") == [i for i, d in dates.items() if d >= "2006-12-01"]
    assert interview_ids(location, start="2006", end="2006") == list(dates)
    assert interview_ids(location, end="2005") == []
    assert interview_ids(location, start="December 2006") == interview_ids(location, start="2006-12")  # words too
    with pytest.raises(UserError, match="ends before it starts"):
        interview_ids(location, start="2007", end="2006")
    # the same range keeps witnesses, excerpts and claims of those interviews
    kept = set(interview_ids(location, start="2006-11-30"))
    witness_of = {v.id: v.witness for v in case.interviews}
    assert witness_ids(location, start="2006-11-30") == [w.id for w in case.witnesses
                                                         if any(witness_of[i] == w.id for i in kept)]  # fmt: skip
    told = [e.id for e in case.excerpts if e.source in kept]
    assert excerpt_ids(location, start="2006-11-30") == told and told
    assert claim_ids(location, start="2006-11-30") == [c.id for c in case.claims if c.excerpt in told]


def test_interviews_by_witness(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    listed = services.interviews(location, actor=LOCAL_OWNER, listed=Listed(witness="W-007"))
    assert [(r.id, r.witness, r.date) for r in listed] == [
        (v.id, v.witness, v.date) for v in case.interviews if v.witness == "W-007"
    ]
    assert listed[0].excerpts == sum(1 for e in case.excerpts if e.source == listed[0].id) > 0
    from_chongjin = interview_ids(location, origin="Chongjin")
    assert from_chongjin == [v.id for v in case.interviews if v.witness == "W-007"]
    told = {e.id for e in case.excerpts if e.source in from_chongjin}
    assert excerpt_ids(location, witness="W-007") == [e.id for e in case.excerpts if e.id in told]
    assert claim_ids(location, witness="W-007") == [c.id for c in case.claims if c.excerpt in told]
    assert claim_ids(location, witness="W-none") == []


def test_excerpt_filters(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    assert excerpt_ids(location) == [e.id for e in case.excerpts]
    document = case.documents[0].id
    assert excerpt_ids(location, source=document) == [e.id for e in case.excerpts if e.source == document]
    assert excerpt_ids(location, source="I-007") == [e.id for e in case.excerpts if e.source == "I-007"]
    coded = {c.excerpt for c in case.claims if c.proposition == "policy.crossers.imprisoned"}
    assert excerpt_ids(location, proposition="policy.crossers.imprisoned") == [
        e.id for e in case.excerpts if e.id in coded
    ]
    assert excerpt_ids(location, proposition="no.such.key") == []
    assert excerpt_ids(location, mode="document") == [e.id for e in case.excerpts if e.mode == "document"]
    interviewed = {v.id for v in case.interviews}
    women = {w.id for w in case.witnesses if w.descriptor.gender == "female"}
    by_woman = {v.id for v in case.interviews if v.witness in women}
    assert excerpt_ids(location, gender="female") == [e.id for e in case.excerpts if e.source in by_woman]
    listed = services.excerpts(location, actor=LOCAL_OWNER, source="I-007")
    excerpt = next(e for e in case.excerpts if e.id == listed[0].id)
    assert (listed[0].text, listed[0].witness, listed[0].claims) == (
        excerpt.text,
        "W-007",
        sum(1 for c in case.claims if c.excerpt == excerpt.id),
    )
    assert all(e.source in interviewed for e in case.excerpts if e.id in excerpt_ids(location, end="2007"))


def test_pages_by_offset_and_after_the_last_seen(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    every = [w.id for w in case.witnesses]
    assert witness_ids(location, limit=5) == every[:5]
    assert witness_ids(location, limit=5, offset=10) == every[10:15]
    claims = [c.id for c in case.claims]
    assert claim_ids(location, limit=20, offset=20) == claims[20:40]
    with pytest.raises(UserError, match="a page needs"):
        claim_ids(location, limit=0)
    # walking pages by the last id seen gives every claim once, in order, whatever the page size
    for size in (7, 50):
        walked: list[str] = []
        while page := claim_ids(location, limit=size, after=walked[-1] if walked else None):
            walked += page
        assert walked == claims
    excerpts = [e.id for e in case.excerpts]
    assert excerpt_ids(location, limit=3, after=excerpts[4]) == excerpts[5:8]
    with pytest.raises(RecordNotFound, match="no excerpt 'X-missing'"):
        excerpt_ids(location, after="X-missing")


def test_sorts(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    by_origin = sorted(case.witnesses, key=lambda w: (w.descriptor.origin or "", case.witnesses.index(w)))
    assert witness_ids(location, sort="origin") == [w.id for w in by_origin]
    by_date = sorted(case.interviews, key=lambda v: (v.date, case.interviews.index(v)))
    assert interview_ids(location, sort="date") == [v.id for v in by_date]
    walked: list[str] = []
    while page := interview_ids(location, sort="date", limit=5, after=walked[-1] if walked else None):
        walked += page
    assert walked == [v.id for v in by_date]  # the last seen works in any order
    assert claim_ids(location, sort="id") == sorted(c.id for c in case.claims)
    with pytest.raises(UserError, match="claims sort by case, id, not 'date'"):
        claim_ids(location, sort="date")


def test_claim_filters(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    excerpt_mode = {e.id: e.mode for e in case.excerpts}
    for mode in ("unstated", "heard_official", "document", "witnessed"):
        expected = [c.id for c in case.claims if (c.mode or excerpt_mode[c.excerpt]) == mode]
        assert claim_ids(location, mode=mode) == expected, mode
    both = claim_ids(location, proposition="policy.crossers.imprisoned", mode="unstated")
    assert both == [c.id for c in case.claims if c.proposition == "policy.crossers.imprisoned"
                    and (c.mode or excerpt_mode[c.excerpt]) == "unstated"]  # fmt: skip
    assert services.claims(location, actor=LOCAL_OWNER, stance="contradicts") == [
        r for r in services.claims(location, actor=LOCAL_OWNER) if r.stance == "contradicts"
    ]
    from_chongjin = {e.id for e in case.excerpts if e.source in {v.id for v in case.interviews if v.witness == "W-007"}}
    assert claim_ids(location, origin="Chongjin") == [c.id for c in case.claims if c.excerpt in from_chongjin]


def test_the_places_claims_name_are_counted_as_the_case_says(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    place_attributes = {
        p.key: [n for n, spec in p.attributes.items() if spec.type == "place"] for p in case.propositions
    }
    witness_of = {v.id: v.witness for v in case.interviews}
    source_of = {e.id: e.source for e in case.excerpts}
    expected: dict[str, tuple[set[str], int]] = {}
    for claim in case.claims:
        for name in place_attributes[claim.proposition]:
            value = claim.attributes.get(name)
            if isinstance(value, str):
                witnesses, count = expected.get(value, (set(), 0))
                if source_of[claim.excerpt] in witness_of:
                    witnesses.add(witness_of[source_of[claim.excerpt]])
                expected[value] = (witnesses, count + 1)
    assert expected  # the reference case names Hoeryong
    assert services.named(location, actor=LOCAL_OWNER) == {k: (len(w), n) for k, (w, n) in expected.items()}


def test_the_offered_id_of_a_new_record_follows_the_case_ids(loaded: tuple[str, Case]) -> None:
    location, case = loaded
    interviews = [int(i.id.split("-")[1]) for i in case.interviews if i.id.startswith("I-")]
    assert services.next_id(location, "interview", "I", actor=LOCAL_OWNER) == f"I-{max(interviews) + 1:03d}"
    assert services.next_id(location, "excerpt", "ZZ", actor=LOCAL_OWNER) == "ZZ-001"
    with pytest.raises(UserError, match="no suggested ids"):
        services.next_id(location, "proposition", "P", actor=LOCAL_OWNER)
    with pytest.raises(Forbidden):
        services.next_id(
            location, "excerpt", "X", actor=Actor("stranger", {"another-case": Role.owner}), case=case.case.id
        )
