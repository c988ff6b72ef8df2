"""The case store, run once against SQLite and once against PostgreSQL."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from corroborate import services
from corroborate.domain import Case
from corroborate.errors import CaseExists, CaseNotFound, StoreNotFound, StoreOutdated
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import create_store, open_store, writer
from corroborate.store.schema import Base
from corroborate.store.search import is_search_object


def test_migrations_create_exactly_the_models(store_location: str) -> None:
    with create_store(store_location) as store, store.engine.connect() as conn:
        # The search index (migration 0005) is SQL of its own, not models; it is checked by its own tests.
        opts = {"include_name": lambda name, type_, parent: not is_search_object(name)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == []


def test_opening_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound):
        open_store(str(tmp_path / "none.db"))


def test_reference_case_round_trip(store_location: str, reference_case_path: Path, secrets: Secrets) -> None:
    original = read_casefile(reference_case_path)
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    exported = services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets)
    assert exported == original
    # import -> export -> import gives an equal case
    services.import_case(store_location, exported, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets) == original


def test_summary_counts(store_location: str, reference_case_path: Path, secrets: Secrets) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    counts = services.summary(store_location, actor=LOCAL_OWNER)
    assert counts.witnesses == 12
    assert counts.nationalities == {"KP": 11, "CN": 1}
    assert len(counts.origins) == 8


def test_importing_the_same_case_twice_needs_replace(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with pytest.raises(CaseExists):
        services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    assert services.case_ids(store_location, actor=LOCAL_OWNER) == ["border-crossers-2007"]


def test_a_failure_mid_import_leaves_the_store_as_it_was(
    store_location: str, reference_case_path: Path, monkeypatch: pytest.MonkeyPatch, secrets: Secrets
) -> None:
    case = read_casefile(reference_case_path)
    services.import_case(store_location, case, actor=LOCAL_OWNER, secrets=secrets)
    before = services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets)

    calls = 0
    real_rows = writer._Inserter.rows

    def failing_rows(self: writer._Inserter, *args: object) -> dict[str, int]:
        nonlocal calls
        calls += 1
        if calls == 4:  # after witnesses, identities, interviews and documents were written
            raise RuntimeError("disk pulled out")
        return real_rows(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(writer._Inserter, "rows", failing_rows)
    second = case.model_copy(update={"case": case.case.model_copy(update={"id": "second-case"})})
    with pytest.raises(RuntimeError):
        services.import_case(store_location, second, actor=LOCAL_OWNER, secrets=secrets)
    calls = 0
    with pytest.raises(RuntimeError):
        services.import_case(
            store_location, case, actor=LOCAL_OWNER, secrets=secrets, replace=True
        )  # deletes first, then fails
    monkeypatch.undo()

    assert services.case_ids(store_location, actor=LOCAL_OWNER) == ["border-crossers-2007"]
    assert services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets) == before


def test_several_cases_in_one_store(store_location: str, reference_case_path: Path, secrets: Secrets) -> None:
    case = read_casefile(reference_case_path)
    services.import_case(store_location, case, actor=LOCAL_OWNER, secrets=secrets)
    other = case.model_copy(update={"case": case.case.model_copy(update={"id": "copy"})})
    services.import_case(store_location, other, actor=LOCAL_OWNER, secrets=secrets)
    assert services.case_ids(store_location, actor=LOCAL_OWNER) == ["border-crossers-2007", "copy"]
    assert services.summary(store_location, case="copy", actor=LOCAL_OWNER).witnesses == 12
    with pytest.raises(CaseNotFound) as info:
        services.summary(store_location, case="nope", actor=LOCAL_OWNER)
    assert "border-crossers-2007" in str(info.value)


def test_listings_never_carry_restricted_identities(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    listed = services.witnesses(store_location, actor=LOCAL_OWNER)
    assert len(listed) == 12
    assert all(item.witness.restricted is None for item in listed)
    assert any(
        w.restricted is not None
        for w in services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets).witnesses
    )


def test_restricted_fields_live_in_their_own_table(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    from sqlalchemy import inspect

    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with open_store(store_location) as store:
        columns = {c["name"] for c in inspect(store.engine).get_columns("witnesses")}
        identity = {c["name"] for c in inspect(store.engine).get_columns("witness_identities")}
    assert not columns & {"name", "name_hangul", "contacts", "birth_date", "current_location", "notes"}
    assert identity == {"witness_pk", "key_version", "sealed", "revision"}  # one sealed value per witness


def test_a_store_at_an_old_revision_is_refused(tmp_path: Path) -> None:
    from sqlalchemy import text

    location = str(tmp_path / "old.db")
    with create_store(location) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ancient'"))
    with pytest.raises(StoreOutdated):
        open_store(location)


def test_replacing_a_case_keeps_who_may_work_on_it(
    store_location: str, reference_case_path: Path, secrets: Secrets
) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(store_location, "olga", "a long enough password", services.Role.owner, actor=LOCAL_OWNER,
                      secrets=secrets)  # fmt: skip
    services.add_user(store_location, "ana", "a long enough password", services.Role.analyst, actor=LOCAL_OWNER,
                      case="border-crossers-2007", secrets=secrets)  # fmt: skip
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets, replace=True)
    analyst = services.authenticate(store_location, "ana", "a long enough password")
    assert analyst.role_for("border-crossers-2007") is services.Role.analyst
    assert services.summary(store_location, actor=analyst).witnesses == 12
    assert services.verify(store_location, actor=LOCAL_OWNER).ok


def test_update_case_is_one_transaction(store_location: str, reference_case_path: Path, secrets: Secrets) -> None:
    services.import_casefile(store_location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    before = services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets)

    def failing(case: object) -> object:
        raise RuntimeError("the merge failed half-way")

    with pytest.raises(RuntimeError):
        services.update_case(store_location, failing, actor=LOCAL_OWNER, secrets=secrets)  # type: ignore[arg-type]
    assert services.export_case(store_location, actor=LOCAL_OWNER, secrets=secrets) == before

    def retitle(case: Case) -> Case:
        return case.model_copy(update={"case": case.case.model_copy(update={"title": "Renamed"})})

    old, new, result = services.update_case(store_location, retitle, actor=LOCAL_OWNER, secrets=secrets)
    assert old == before and new.case.title == "Renamed" and result.counts.witnesses == 12
    assert services.summary(store_location, actor=LOCAL_OWNER).title == "Renamed"
    assert services.verify(store_location, actor=LOCAL_OWNER).ok
