"""The dashboard's grades, kept between visits: the same counts as grading the case, computed again only
after a write, in the background when grading is slow, and never for a role that may not analyse."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.errors import Forbidden
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets, analysis, grading
from support import REFERENCE_CASE


@pytest.fixture
def graded(tmp_path: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A store of the reference case, and a list that holds its location then one entry per grading."""
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    calls = [location]
    real = grading.assess

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("graded")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(grading, "assess", counted)
    return calls


def _write(location: str, secrets: Secrets, n: int) -> None:
    """Code claim n (deleting claim n - 1): a write, whatever it does to the grades."""
    first = read_casefile(REFERENCE_CASE).claims[0]
    claim = Claim(id=f"C-new-{n}", excerpt=first.excerpt, proposition=first.proposition, stance="contradicts",
                  note=f"write {n}")  # fmt: skip
    if n > 0:
        services.records.delete_record(location, "claim", f"C-new-{n - 1}", actor=LOCAL_OWNER, secrets=secrets,
                                       version=1)  # fmt: skip
    analysis.add_claim(location, claim, actor=LOCAL_OWNER, secrets=secrets)


def _until_current(location: str) -> grading.CaseGrades:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = grading.case_grades(location, actor=LOCAL_OWNER)
        if found.current:
            return found
        time.sleep(0.05)
    raise AssertionError("the grades were not computed again in the background")


def test_the_counts_are_those_of_grading_the_case_and_are_kept_until_a_write(
    graded: list[str], secrets: Secrets
) -> None:
    location = graded[0]
    assessed = analysis.assess(location, actor=LOCAL_OWNER)
    counted = Counter(a.grade for a in assessed.assessments)
    first = grading.case_grades(location, actor=LOCAL_OWNER)
    assert first.current and first.grades == [(g, counted[g]) for g in assessed.standard.ranking]
    assert sum(n for _, n in first.grades) == len(read_casefile(REFERENCE_CASE).propositions)
    assert first.conflicts == [(a.proposition.key, f.name) for a in assessed.assessments for f in a.conflicts]
    rows = [(a.proposition.key, a.proposition.statement, a.grade, j["support"]["groups"], j["support"]["witnesses"],
             j["support"]["documents"], j["against"]["groups"], tuple(c["attribute"] for c in j["conflicts"]))
            for a in assessed.assessments for j in [a.to_json()]]  # fmt: skip
    assert [(p.key, p.statement, p.grade, p.groups, p.witnesses, p.documents, p.against, p.conflicts)
            for p in first.propositions] == rows  # fmt: skip
    assert grading.case_grades(location, actor=LOCAL_OWNER) == first and graded.count("graded") == 1
    _write(location, secrets, 0)  # a fast case: graded again during the visit
    again = grading.case_grades(location, actor=LOCAL_OWNER)
    assert again.current and again.computed != first.computed and graded.count("graded") == 2


def test_a_case_graded_for_the_first_time_is_graded_once_however_many_ask(
    graded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    location = graded[0]
    release = threading.Event()
    real = grading.assess

    def held(*args: object, **kwargs: object) -> object:
        graded.append("held")
        release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(grading, "assess", held)
    monkeypatch.setattr(grading, "WAIT", 0.05)
    answers = [grading.case_grades(location, actor=LOCAL_OWNER) for _ in range(3)]
    assert [(a.ready, a.current, a.grades, a.computed) for a in answers] == [(False, False, [], None)] * 3
    release.set()
    assert _until_current(location).ready
    assert graded.count("held") == 1  # one grading for every visit that asked


def test_a_slow_case_shows_the_grades_kept_and_grades_again_in_the_background(
    graded: list[str], secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = graded[0]
    monkeypatch.setattr(grading, "PROMPT", 0.0)  # every grading counts as slow
    monkeypatch.setattr(grading, "COOLDOWN", 0.0)
    first = grading.case_grades(location, actor=LOCAL_OWNER)
    _write(location, secrets, 0)
    stale = grading.case_grades(location, actor=LOCAL_OWNER)
    assert not stale.current and (stale.grades, stale.computed) == (first.grades, first.computed)
    fresh = _until_current(location)
    assert fresh.computed is not None and first.computed is not None and fresh.computed > first.computed
    assert graded.count("graded") == 2


def test_re_grading_waits_for_its_cooldown(
    graded: list[str], secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = graded[0]
    monkeypatch.setattr(grading, "PROMPT", 0.0)
    monkeypatch.setattr(grading, "COOLDOWN", 1e9)  # never soon enough
    grading.case_grades(location, actor=LOCAL_OWNER)
    _write(location, secrets, 0)
    for _ in range(3):
        assert not grading.case_grades(location, actor=LOCAL_OWNER).current
    time.sleep(0.2)
    assert graded.count("graded") == 1


def test_a_role_that_may_not_analyse_gets_no_grades_even_kept_ones(graded: list[str]) -> None:
    location = graded[0]
    case = grading.case_grades(location, actor=LOCAL_OWNER).case
    with pytest.raises(Forbidden):
        grading.case_grades(location, actor=Actor("vera", {case: Role.viewer}))


def test_grades_kept_without_the_propositions_rows_are_graded_again(graded: list[str]) -> None:
    """Grades kept by a version that kept only the counts are not shown as they are: the case is graded again."""
    from corroborate.store import open_store
    from corroborate.store.schema import CaseGradesRow

    location = graded[0]
    first = grading.case_grades(location, actor=LOCAL_OWNER)
    assert first.propositions and graded.count("graded") == 1
    with open_store(location) as store, store.transaction(write=True) as session:
        row = session.query(CaseGradesRow).one()
        row.grades = {key: value for key, value in row.grades.items() if key != "propositions"}
    again = grading.case_grades(location, actor=LOCAL_OWNER)
    assert again.current and again.propositions == first.propositions and graded.count("graded") == 2
