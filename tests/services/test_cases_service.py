"""A case's counts: kept between calls while nothing was written, counted again after any write, and never
handed out in a form a caller could change for the next one."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets, analysis
from corroborate.services import cases as casing


def test_counts_are_kept_until_a_write_and_are_the_stores(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    counted: list[str] = []
    real = casing.case_counts
    monkeypatch.setattr(casing, "case_counts", lambda *a, **k: counted.append("counted") or real(*a, **k))
    first = services.summary(location, actor=LOCAL_OWNER)
    case = read_casefile(reference_case_path)
    assert (first.claims, first.excerpts, first.witnesses) == (
        len(case.claims),
        len(case.excerpts),
        len(case.witnesses),
    )
    first.origins.append("Nowhere")  # a caller changing what it got changes nothing kept
    first.nationalities["XX"] = 1
    again = services.summary(location, actor=LOCAL_OWNER)
    assert counted == ["counted"] and "Nowhere" not in again.origins and "XX" not in again.nationalities
    claim = case.claims[0]
    analysis.add_claim(location, Claim(id="C-one-more", excerpt=claim.excerpt, proposition=claim.proposition,
                                       stance="contradicts"), actor=LOCAL_OWNER, secrets=secrets)  # fmt: skip
    after = services.summary(location, actor=LOCAL_OWNER)
    assert after.claims == first.claims + 1 and counted == ["counted", "counted"]


def test_an_interrupted_import_leaves_no_new_store_and_keeps_an_old_one(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    location = tmp_path / "new.db"
    with monkeypatch.context() as patch:
        patch.setattr(casing, "_write_case", interrupted)
        with pytest.raises(KeyboardInterrupt):
            services.import_casefile(str(location), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    assert sorted(tmp_path.iterdir()) == []  # neither the file nor its write-ahead log
    services.import_casefile(str(location), reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    case = read_casefile(reference_case_path)
    other = case.model_copy(update={"case": case.case.model_copy(update={"id": "other"})})
    with monkeypatch.context() as patch:
        patch.setattr(casing, "_write_case", interrupted)
        with pytest.raises(KeyboardInterrupt):
            services.import_case(str(location), other, actor=LOCAL_OWNER, secrets=secrets)
    assert services.case_ids(str(location), actor=LOCAL_OWNER) == [case.case.id]  # the old store, as it was
