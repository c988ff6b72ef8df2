"""Merging into a stored case: only what the casefile adds, changes or deletes is written and audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.errors import CasefileInvalid
from corroborate.services import LOCAL_OWNER, merge_casefile
from corroborate.services.reports import import_report

CASE = "border-crossers-2007"
NEW_INTERVIEW = f"""\
case: {{id: {CASE}}}
interviews:
  - {{id: I-merge-1, witness: W-002, date: 2006-12-01, country: CN, language: ko}}
excerpts:
  - {{id: X-merge-1, source: I-merge-1, mode: experienced, text: She was held for three months at the holding centre.}}
  - {{id: X-merge-2, source: I-merge-1, mode: hearsay, text: Others told her the sentences had become longer.}}
  - {{id: X-merge-3, source: I-merge-1, mode: heard_official, text: A guard said crossers would now go to prison.}}
claims:
  - {{id: C-merge-1, excerpt: X-merge-1, proposition: policy.crossers.lenient_before_2004}}
  - {{id: C-merge-2, excerpt: X-merge-2, proposition: policy.crossers.imprisoned}}
  - {{id: C-merge-3, excerpt: X-merge-3, proposition: policy.crossers.imprisoned}}
"""


@pytest.fixture
def reference(store_location: str, secrets: Any, reference_case_path: Path) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def _entries(location: str) -> list[Any]:
    return services.audit_entries(location, actor=LOCAL_OWNER, limit=100_000)


def test_one_interview_with_three_excerpts_and_claims_writes_seven_audit_entries(
    reference: str, secrets: Any, tmp_path: Path
) -> None:
    before = services.summary(reference, actor=LOCAL_OWNER)
    start = len(_entries(reference))
    (tmp_path / "new.yaml").write_text(NEW_INTERVIEW, encoding="utf-8")
    result = merge_casefile(reference, tmp_path / "new.yaml", actor=LOCAL_OWNER, secrets=secrets)
    assert (result.added, result.changed, result.deleted) == ({"interviews": 1, "excerpts": 3, "claims": 3}, {}, {})
    new = _entries(reference)[start:]
    assert [(e.entity, e.action) for e in new] == [("interview", "create")] + [("excerpt", "create")] * 3 + [
        ("claim", "create")
    ] * 3
    after = services.summary(reference, actor=LOCAL_OWNER)
    assert (after.interviews, after.excerpts, after.claims) == (
        before.interviews + 1, before.excerpts + 3, before.claims + 3)  # fmt: skip
    assert services.verify(reference, actor=LOCAL_OWNER).ok
    # The same file again changes nothing and writes nothing.
    again = merge_casefile(reference, tmp_path / "new.yaml", actor=LOCAL_OWNER, secrets=secrets)
    assert (again.added, again.changed, again.deleted) == ({}, {}, {})
    assert len(_entries(reference)) == start + 7


def test_updates_and_listed_deletions(reference: str, secrets: Any, tmp_path: Path) -> None:
    (tmp_path / "new.yaml").write_text(NEW_INTERVIEW, encoding="utf-8")
    merge_casefile(reference, tmp_path / "new.yaml", actor=LOCAL_OWNER, secrets=secrets)
    start = len(_entries(reference))
    change = f"""\
case: {{id: {CASE}}}
excerpts:
  - {{id: X-merge-1, source: I-merge-1, mode: experienced, text: She was held for three months.}}
delete:
  claims: [C-merge-2, C-merge-3]
  excerpts: [X-merge-2]
"""
    (tmp_path / "change.yaml").write_text(change, encoding="utf-8")
    result = merge_casefile(reference, tmp_path / "change.yaml", actor=LOCAL_OWNER, secrets=secrets)
    assert (result.added, result.changed, result.deleted) == ({}, {"excerpts": 1}, {"excerpts": 1, "claims": 2})
    assert [(e.entity, e.entity_id.split("/")[1], e.action) for e in _entries(reference)[start:]] == [
        ("excerpt", "X-merge-1", "update"),
        ("claim", "C-merge-2", "delete"),
        ("claim", "C-merge-3", "delete"),
        ("excerpt", "X-merge-2", "delete"),
    ]
    assert services.verify(reference, actor=LOCAL_OWNER).ok


def test_every_problem_is_listed_with_its_line_and_nothing_is_written(
    reference: str, secrets: Any, tmp_path: Path
) -> None:
    start = len(_entries(reference))
    bad = f"""\
case: {{id: {CASE}}}
claims:
  - {{id: C-bad-1, excerpt: X-nowhere, proposition: policy.crossers.imprisoned}}
  - {{id: C-bad-2, excerpt: X-n01-leniency-decree, proposition: policy.crossers.nowhere}}
delete:
  excerpts: [X-n01-leniency-decree]
  witnesses: [W-999]
"""
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(CasefileInvalid) as caught:
        merge_casefile(reference, tmp_path / "bad.yaml", actor=LOCAL_OWNER, secrets=secrets)
    found = {(p.line, p.path, p.message) for p in caught.value.problems}
    assert (7, "delete.witnesses", "no witness 'W-999' to delete") in found
    assert (3, "claims[0].excerpt", "no excerpt 'X-nowhere'") in found
    assert (4, "claims[1].excerpt", "no excerpt 'X-n01-leniency-decree' (this file deletes it)") in found
    assert (4, "claims[1].proposition", "no proposition 'policy.crossers.nowhere'") in found
    assert (None, "claim C-n01-decree (in the store).excerpt",
            "no excerpt 'X-n01-leniency-decree' (this file deletes it)") in found  # fmt: skip
    assert len(_entries(reference)) == start


def test_a_restricted_value_typed_in_the_wrong_place_is_never_repeated(
    reference: str, secrets: Any, tmp_path: Path
) -> None:
    text = f"""\
case: {{id: {CASE}}}
witnesses:
  - id: W-050
    descriptor: {{gender: female, age: 40, origin: Hoeryong, role: Planted Secret Name}}
    restricted: {{name: Planted Secret Name}}
interviews:
  - {{id: I-050, witness: W-050, date: 2006-12-01, country: Planted Secret Name}}
"""
    (tmp_path / "leak.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CasefileInvalid) as caught:
        merge_casefile(reference, tmp_path / "leak.yaml", actor=LOCAL_OWNER, secrets=secrets)
    shown = str(caught.value) + " ".join(str(p) for p in caught.value.problems)
    assert "Planted" not in shown and "interviews[0].country" in shown


def test_a_case_new_to_the_store_is_imported_whole(tmp_path: Path, secrets: Any, reference_case_path: Path) -> None:
    result = merge_casefile(str(tmp_path / "s.db"), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    assert result.created and result.added["claims"] == 65 and result.counts is not None


def test_adding_a_report_to_a_case_audits_only_what_it_adds(reference: str, secrets: Any, shared_dir: Path) -> None:
    start = len(_entries(reference))
    paper = shared_dir / "seeds" / "hrw-2007-north-korea-border-crossers.txt"
    added = import_report(reference, paper, actor=LOCAL_OWNER, secrets=secrets, case=CASE)
    new = _entries(reference)[start:]
    rows = [e for e in new if e.entity not in ("scan_index",)]
    assert {e.action for e in rows} == {"create"}
    assert len([e for e in rows if e.entity != "identity"]) == sum(added.added.values())
    assert services.verify(reference, actor=LOCAL_OWNER).ok
