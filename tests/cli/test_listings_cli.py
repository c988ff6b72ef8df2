"""The listing commands as a user meets them: tables and JSON, filters, sorts, pages, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.ingest import read_casefile

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> str:
    location = str(tmp_path_factory.mktemp("listings") / "case.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CORROBORATE_PASSPHRASE", "correct horse battery staple")
        mp.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
        mp.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
        assert run("import", str(reference_case_path), "--store", location)[0] == 0
    return location


def listed(*args: str) -> list[dict[str, object]]:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_witnesses_and_claims(store: str, reference_case_path: Path) -> None:
    code, out, _ = run("witnesses", store, "--format", "json")
    assert code == 0
    assert [w["id"] for w in json.loads(out)][:2] == ["W-001", "W-002"]
    case = read_casefile(reference_case_path)
    for witness in case.witnesses:
        for value in witness.restricted.values() if witness.restricted else []:
            assert value not in out
    code, out, _ = run("witnesses", store)
    assert code == 0 and "W-001" in out
    claims = listed("claims", store, "--proposition", "policy.crossers.imprisoned")
    assert claims and {c["proposition"] for c in claims} == {"policy.crossers.imprisoned"}
    code, out, _ = run("claims", store)
    assert code == 0 and "detention.food.insufficient" in out


def test_interviews_and_excerpts(store: str, reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    interviews = listed("interviews", store, "--from", "2006-11-30")
    assert [i["id"] for i in interviews] == [v.id for v in case.interviews if v.date >= "2006-11-30"]
    assert set(interviews[0]) == {"id", "witness", "date", "country", "town", "language", "consent", "excerpts"}
    code, out, _ = run("interviews", store, "--origin", "Chungjin")
    assert code == 0 and "I-007" in out and "W-007" in out and "I-001" not in out
    excerpts = listed("excerpts", store, "--source", "I-007")
    assert [e["id"] for e in excerpts] == [e.id for e in case.excerpts if e.source == "I-007"]
    assert excerpts[0]["text"] == next(e.text for e in case.excerpts if e.id == excerpts[0]["id"])
    code, out, _ = run("excerpts", store, "--mode", "document", "--limit", "2")
    assert code == 0 and out.count("document") >= 2


def test_pages_after_the_last_id(store: str, reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    walked: list[object] = []
    while page := listed("claims", store, "--limit", "25", *(["--after", str(walked[-1])] if walked else [])):
        walked += [c["id"] for c in page]
    assert walked == [c.id for c in case.claims]
    by_date = listed("interviews", store, "--sort", "date", "--limit", "3")
    assert [i["date"] for i in by_date] == sorted(v.date for v in case.interviews)[:3]


def test_mistakes_are_one_error_line(store: str) -> None:
    code, _, err = run("excerpts", store, "--after", "X-none")
    assert code == 2 and err.strip() == "error: no excerpt 'X-none' in case 'border-crossers-2007'"
    code, _, err = run("interviews", store, "--from", "2007", "--to", "2006")
    assert code == 2 and "ends before it starts" in err and "Traceback" not in err
    code, _, err = run("claims", store, "--sort", "date")
    assert code == 2 and "--sort" in err and "date" in err
    code, _, err = run("witnesses", store, "--from", "sometime")
    assert code == 2 and err.startswith("error:") and "sometime" in err


def test_documents_in_the_case_order_and_by_page(store: str, reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    code, out, err = run("documents", store, "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert [d["id"] for d in listed] == [d.id for d in case.documents]
    quoting = {d.id: sum(1 for e in case.excerpts if e.source == d.id) for d in case.documents}
    assert {d["id"]: d["excerpts"] for d in listed} == quoting
    code, out, _ = run("documents", store, "--limit", "2", "--after", case.documents[0].id, "--format", "json")
    assert code == 0 and [d["id"] for d in json.loads(out)] == [d.id for d in case.documents[1:3]]
    code, out, _ = run("documents", store)
    assert code == 0 and case.documents[0].id in out
