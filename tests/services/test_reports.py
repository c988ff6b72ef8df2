"""Importing a published report: as a new case, or added to an existing case all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.errors import CaseExists, CasefileInvalid, Forbidden, UserError, WrongPassphrase
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets
from corroborate.services.reports import import_report, parse_report

REFERENCE_CASE = "border-crossers-2007"


@pytest.fixture
def paper(shared_dir: Path) -> Path:
    return shared_dir / "seeds" / "hrw-2007-north-korea-border-crossers.txt"


def test_parse_report(paper: Path) -> None:
    report = parse_report(paper)
    assert len(report.notes) == 33 and len(report.witnesses) == 12


def test_import_as_a_new_case(store_location: str, paper: Path, secrets: Secrets) -> None:
    ticks: list[tuple[int, int]] = []
    result = import_report(store_location, paper, actor=LOCAL_OWNER, secrets=secrets,
                           progress=lambda done, total: ticks.append((done, total)))  # fmt: skip
    assert not result.merged and result.case == "north-korea-harsher-policies-against-border-crossers"
    counts = services.summary(store_location, actor=LOCAL_OWNER)
    assert counts.witnesses == 12
    assert counts.nationalities == {"KP": 11, "CN": 1}
    assert len(counts.origins) == 8
    assert (counts.interviews, counts.documents, counts.excerpts) == (12, 15, 33)
    assert ticks and ticks[-1][0] == ticks[-1][1]
    assert services.verify(store_location, actor=LOCAL_OWNER).ok


def test_imported_excerpts_are_linked_to_the_right_witnesses(tmp_path: Path, paper: Path, secrets: Secrets) -> None:
    store = str(tmp_path / "s.db")
    import_report(store, paper, actor=LOCAL_OWNER, secrets=secrets, case_id="paper", title="The paper")
    case = services.export_case(store, actor=LOCAL_OWNER, secrets=secrets)
    assert (case.case.id, case.case.title) == ("paper", "The paper")
    interviews = {i.id: i for i in case.interviews}
    witnesses = {w.id: w for w in case.witnesses}
    by_note: dict[int, Any] = {}
    for excerpt in case.excerpts:
        by_note.setdefault(excerpt.note, []).append(excerpt)
    hoeryong = {interviews[e.source].witness for n in (13, 30) for e in by_note[n]}
    assert len(hoeryong) == 1
    descriptor = witnesses[hoeryong.pop()].descriptor
    assert (descriptor.origin, descriptor.age, descriptor.gender) == ("Hoeryong", 38, "male")
    for a, b in ((16, 28), (24, 26)):
        assert {interviews[e.source].witness for n in (a, b) for e in by_note[n]}.__len__() == 1
    assert {interviews[e.source].witness for n in (23, 27) for e in by_note[n]}.__len__() == 2
    resident = witnesses[interviews[by_note[4][0].source].witness].descriptor
    assert (resident.nationality, resident.origin) == ("CN", None)


def test_a_case_id_already_in_the_store_is_refused(tmp_path: Path, paper: Path, secrets: Secrets) -> None:
    store = str(tmp_path / "s.db")
    import_report(store, paper, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(CaseExists):
        import_report(store, paper, actor=LOCAL_OWNER, secrets=secrets)


def test_add_to_an_existing_case(store_location: str, paper: Path, reference_case_path: Path, secrets: Secrets) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    before = services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets)
    result = import_report(store_location, paper, actor=LOCAL_OWNER, secrets=secrets, case=REFERENCE_CASE)
    assert result.merged and result.case == REFERENCE_CASE
    # The paper's interviewees are the case's own: matched, not doubled (12 stay 12); its sentences are new
    # excerpts of the same interviews and documents.
    assert result.added["witnesses"] == 0 and result.added["interviews"] == 0
    assert result.matched["witnesses"] == 12 and result.matched["interviews"] == 12
    assert result.added["excerpts"] == 33 and result.matched["excerpts"] == 0
    after = services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets)
    assert after.witnesses == before.witnesses  # restricted identities kept
    assert after.claims == before.claims and after.propositions == before.propositions
    assert result.counts.witnesses == 12
    assert services.verify(store_location, actor=LOCAL_OWNER).ok
    # The same report again adds nothing at all.
    again = import_report(store_location, paper, actor=LOCAL_OWNER, secrets=secrets, case=REFERENCE_CASE)
    assert sum(again.added.values()) == 0 and again.matched["excerpts"] == 33
    assert services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets) == after


def test_a_failed_merge_leaves_the_case_as_it_was(
    tmp_path: Path, paper: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "s.db")
    services.import_casefile(store, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    before = services.export_case(store, actor=LOCAL_OWNER, secrets=secrets)
    from corroborate.services import merging

    real = merging.apply_case

    def crash(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(merging, "apply_case", crash)
    with pytest.raises(RuntimeError):
        import_report(store, paper, actor=LOCAL_OWNER, secrets=secrets, case=REFERENCE_CASE)
    monkeypatch.undo()
    assert services.export_case(store, actor=LOCAL_OWNER, secrets=secrets) == before
    assert services.verify(store, actor=LOCAL_OWNER).ok


def test_a_wrong_passphrase_changes_nothing(
    tmp_path: Path, paper: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    store = str(tmp_path / "s.db")
    services.import_casefile(store, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    wrong = Secrets(passphrase=lambda case: "not the passphrase", session_dir=tmp_path / "sessions")
    with pytest.raises(WrongPassphrase):
        import_report(store, paper, actor=LOCAL_OWNER, secrets=wrong, case=REFERENCE_CASE)
    assert services.summary(store, actor=LOCAL_OWNER).witnesses == 12


def test_roles_are_checked_by_the_case_services(
    tmp_path: Path, paper: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    store = str(tmp_path / "s.db")
    services.import_casefile(store, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    analyst = Actor("ana", {None: Role.analyst})
    investigator = Actor("ivy", {None: Role.investigator})
    with pytest.raises(Forbidden):
        import_report(store, paper, actor=analyst, secrets=secrets)
    with pytest.raises(Forbidden):
        import_report(store, paper, actor=analyst, secrets=secrets, case=REFERENCE_CASE)
    viewer = Actor("vic", {None: Role.viewer})
    with pytest.raises(Forbidden):
        import_report(store, paper, actor=viewer, secrets=secrets, case=REFERENCE_CASE)
    assert services.summary(store, actor=LOCAL_OWNER, case=REFERENCE_CASE).witnesses == 12
    # Adding merges: it writes only the records added, which investigators (who record interviews) may do.
    import_report(store, paper, actor=investigator, secrets=secrets, case=REFERENCE_CASE)
    import_report(store, paper, actor=investigator, secrets=secrets, case_id="from-the-paper")


def test_new_case_options_are_refused_when_adding(tmp_path: Path, paper: Path, secrets: Secrets) -> None:
    with pytest.raises(UserError, match="cannot be given"):
        import_report(str(tmp_path / "s.db"), paper, actor=LOCAL_OWNER, secrets=secrets, case="x", title="T")


def test_an_unreadable_report_imports_nothing(tmp_path: Path, secrets: Secrets) -> None:
    store = tmp_path / "s.db"
    with pytest.raises(CasefileInvalid):
        import_report(str(store), tmp_path / "missing.txt", actor=LOCAL_OWNER, secrets=secrets)
    assert not store.exists()
