"""The kept grades' lease: one worker grades a case at a time, a lease left by a dead worker runs out, and
grades already kept at the current head are not computed again (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from corroborate import services
from corroborate.ingest import parse_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import open_store
from corroborate.store.grades import claim_grading, keep_grades, kept_grades, release_grading
from corroborate.store.repository import resolve_case

SMALL = "version: 1\ncase: {id: small, title: Grades}\n"
T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def test_one_lease_at_a_time_and_none_for_grades_kept_at_the_head(store_location: str, secrets: Secrets) -> None:
    services.import_case(store_location, parse_casefile(SMALL), actor=LOCAL_OWNER, secrets=secrets)
    with open_store(store_location) as store:

        def claim(head: tuple[int, str] | None, now: datetime) -> bool:
            with store.transaction(write=True) as session:
                return claim_grading(session, resolve_case(session, "small").pk, head=head, now=now, lease=LEASE)

        with store.transaction() as session:
            pk = resolve_case(session, "small").pk
            assert kept_grades(session, pk) is None
        head = (7, "a" * 64)
        assert claim(head, T0) and not claim(head, T0 + timedelta(seconds=1))  # a second worker waits
        assert claim(head, T0 + LEASE + timedelta(seconds=1))  # the first one died: its lease ran out
        with store.transaction(write=True) as session:
            keep_grades(session, pk, head=head, grades={"grades": [["established", 1]], "conflicts": []},
                        computed_at=T0, took=0.5)  # fmt: skip
        with store.transaction() as session:
            kept = kept_grades(session, pk)
        assert kept is not None and (kept.head, kept.grading_since, kept.took) == (head, None, 0.5)
        assert kept.grades == {"grades": [["established", 1]], "conflicts": []}
        assert not claim(head, T0 + timedelta(minutes=5))  # graded at this head already
        assert claim((8, "b" * 64), T0 + timedelta(minutes=5))  # a write moved the head
        with store.transaction(write=True) as session:
            release_grading(session, pk)  # the grading failed: the grades kept before stay
        with store.transaction() as session:
            after = kept_grades(session, pk)
        assert after is not None and after.grading_since is None and after.grades == kept.grades
