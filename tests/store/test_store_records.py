"""Reading single records: the id a new record is offered (``next_ref``), from the ids a case holds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update

from corroborate import services
from corroborate.services import LOCAL_OWNER
from corroborate.store import next_ref, open_store
from corroborate.store.schema import CaseRow, ExcerptRow


class _Rollback(Exception):
    """Leaves a test's transaction without committing it."""


@pytest.fixture
def reference(store_location: str, secrets: Any, reference_case_path: Any) -> str:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    return store_location


def _offered(location: str, refs: list[str], prefix: str = "X") -> str:
    """The excerpt id offered once the case's first excerpts carry ``refs`` (the change is rolled back)."""
    offered = ""
    with open_store(location) as store, pytest.raises(_Rollback), store.transaction(write=True) as session:
        case = session.scalar(select(CaseRow))
        assert case is not None
        pks = list(session.scalars(select(ExcerptRow.pk).where(ExcerptRow.case_pk == case.pk).order_by(ExcerptRow.pk)))
        session.execute(update(ExcerptRow).where(ExcerptRow.pk.in_(pks)).values(ref=ExcerptRow.ref + "-moved"))
        for pk, ref in zip(pks, refs, strict=False):
            session.execute(update(ExcerptRow).where(ExcerptRow.pk == pk).values(ref=ref))
        offered = next_ref(session, case, "excerpt", prefix)
        raise _Rollback
    return offered


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ([], "X-001"),
        (["X-001", "X-002", "X-017"], "X-018"),
        (["X-9", "X-10", "X-099"], "X-100"),  # numbers, not text: X-9 < X-10 < X-099
        (["X-0009", "X-12"], "X-013"),  # a longer id with leading zeros holds a smaller number
        (["X-12a", "X-7", "X-1_2", "X-"], "X-008"),  # ids that are not PREFIX-<digits> are passed over
        (["x-500", "X-3"], "X-004"),  # another case of the letter is another prefix (SQLite's LIKE ignores case)
        (["XY-40", "X-2"], "X-003"),
        (["X-1000", "X-999", "X-99999a"], "X-1001"),
    ],
)
def test_the_offered_id_follows_the_highest_number_with_that_prefix(
    reference: str, refs: list[str], expected: str
) -> None:
    assert _offered(reference, refs) == expected


def test_an_underscore_or_percent_in_the_prefix_is_taken_literally(reference: str) -> None:
    assert _offered(reference, ["A_B-5", "AxB-9"], prefix="A_B") == "A_B-006"
    assert _offered(reference, ["A%-7", "Az-9"], prefix="A%") == "A%-008"
