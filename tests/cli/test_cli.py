"""The command line as a user meets it: outputs, exit codes, one-line errors."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from corroborate import services
from corroborate.cli import app
from corroborate.ingest import parse_casefile, read_casefile
from corroborate.services import LOCAL_OWNER, Secrets

SMALL_CASE = """\
version: 1
case: {id: small, title: Search}
documents:
  - {id: D-001, kind: news, title: A report, date: 2007-01-11}
excerpts:
  - {id: X-003, source: D-001, mode: document, text: Guards were replaced along the border.}
"""

runner = CliRunner(env={"COLUMNS": "240"})


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_then_summary_json(store_location: str, reference_case_path: Path) -> None:
    code, _, err = run("import", str(reference_case_path), "--store", store_location)
    assert code == 0, err
    code, out, _ = run("summary", store_location, "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("witnesses", "origins", "interviews", "documents", "excerpts", "claims", "propositions"):
        assert isinstance(data[key], int), key
    assert data["witnesses"] == 12
    assert data["nationalities"]["KP"] == 11
    assert data["origins"] == 8


def test_summary_table_names_the_counts(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    run("import", str(reference_case_path), "--store", store)
    code, out, _ = run("summary", store)
    assert code == 0
    assert "Interviewees" in out and "12" in out and "11 from North Korea" in out
    assert "Places of origin" in out and "8" in out


def test_export_round_trips_through_the_cli(tmp_path: Path, reference_case_path: Path) -> None:
    store, again = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    exported = tmp_path / "exported.yaml"
    assert run("import", str(reference_case_path), "--store", store)[0] == 0
    assert run("export", store, "--out", str(exported))[0] == 0
    assert run("import", str(exported), "--store", again)[0] == 0
    assert read_casefile(exported) == read_casefile(reference_case_path)
    code, public, _ = run("export", store, "--public")
    assert code == 0 and "restricted:" not in public


def test_an_invalid_casefile_reports_every_problem_and_changes_nothing(
    tmp_path: Path, reference_case_path: Path
) -> None:
    store = str(tmp_path / "s.db")
    run("import", str(reference_case_path), "--store", store)
    before = run("export", store)[1]
    bad = yaml.safe_load(reference_case_path.read_text(encoding="utf-8"))
    bad["case"]["id"] = "another"
    bad["witnesses"][0]["descriptor"]["origin"] = "Atlantis"  # unknown place
    bad["interviews"][0]["date"] = "whenever"  # not a date
    bad["excerpts"][0]["mode"] = "telepathy"  # not a mode
    bad["claims"][0]["excerpt"] = "E-does-not-exist"  # dangling reference
    bad["claims"][1]["stance"] = "perhaps"  # not a stance
    bad["witnesses"][1]["id"] = bad["witnesses"][0]["id"]  # duplicate id
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    code, out, err = run("import", str(path), "--store", store)
    assert code == 2
    assert "Traceback" not in out + err
    problem_lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert len(problem_lines) >= 6, err
    for fragment in ("unknown place", "not a date", "mode", "E-does-not-exist", "stance", "duplicate id"):
        assert fragment in err, fragment
    assert "nothing was imported" in err
    assert run("export", store)[1] == before
    assert run("cases", store)[1].split() == ["border-crossers-2007"]


def test_an_invalid_casefile_does_not_create_a_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: {id: x}\n", encoding="utf-8")
    code, _, err = run("import", str(bad), "--store", str(tmp_path / "new.db"))
    assert code == 2 and "case.title" in err
    assert not (tmp_path / "new.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summary", "missing.db"], "no case store at missing.db"),
        (["import", "nope.yaml", "--store", "x.db"], "file not found"),
        (["place", "Atlantis"], "unknown place"),
        (["summary", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"], "cannot open store"),
    ],
)
def test_user_mistakes_are_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*args)
    assert code != 0
    assert message in err
    assert "Traceback" not in out + err
    assert "secret" not in out + err  # passwords in URLs are never echoed
    assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1


def test_schema_validates_the_reference_case(tmp_path: Path, reference_case_path: Path) -> None:
    out_file = tmp_path / "schema.json"
    assert run("schema", "--out", str(out_file))[0] == 0
    schema = json.loads(out_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = read_casefile(reference_case_path).model_dump(mode="json", exclude_none=True)
    jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"case": {"id": "x"}}, schema)


def test_init_and_validate(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "new.db")
    code, out, _ = run("init", store)
    assert code == 0 and "store ready" in out
    code, out, _ = run("cases", store)
    assert code == 0 and out.strip() == ""
    code, out, _ = run("validate", str(reference_case_path))
    assert code == 0 and "valid" in out


def test_place_lookup() -> None:
    code, out, _ = run("place", "Samsoo")
    assert code == 0 and "Samsu" in out and "삼수" in out


def test_timeline_and_occurrences(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert run("import", str(reference_case_path), "--store", store)[0] == 0
    code, out, err = run("timeline", store, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert not any(e["disagreement"] for e in data["entries"])
    patterns = {p["proposition"]: p for p in data["patterns"]}
    assert patterns["policy.crossers.warnings_repeated"]["start"] == "2004-09-01"
    code, out, _ = run("timeline", store)
    assert "Patterns" in out and "october-2006" in out
    code, out, err = run("occurrences", store, "border_guards.punished_for_aiding", "--format", "json")
    assert code == 0, err
    suggested = {s["claim"]: s["occurrence"] for s in json.loads(out)["suggestions"]}
    assert suggested["C-n18-executions"] != suggested["C-n19-executions"]  # August 2006, February 2007
    code, out, err = run("occurrences", store, "event.rok_airlift_2004")
    assert code == 2 and "describes one event" in err


def test_recommendations_listing(tmp_path: Path, reference_case_path: Path) -> None:
    store = str(tmp_path / "s.db")
    assert run("import", str(reference_case_path), "--store", store)[0] == 0
    code, out, err = run("recommendations", store, "--addressee", "PRC", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert [r["id"] for r in listed] == ["R-prc-1", "R-prc-2", "R-prc-3"]
    assert listed[0]["follow_up"] == [{"date": "2007-03-05", "status": "issued", "sources": ["D-hrw-2007"]}]
    code, out, _ = run("recommendations", store, "--history")
    assert code == 0 and "R-donors-3" in out and "issued" in out
    code, out, _ = run("recommendations", store, "--status", "implemented")
    assert code == 0 and "no recommendation matches" in out


def test_search(tmp_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "small.db")
    services.import_case(location, parse_casefile(SMALL_CASE), actor=LOCAL_OWNER, secrets=secrets)
    code, out, err = run("search", location, "border", "--format", "json")
    assert code == 0, err
    (hit,) = json.loads(out)
    assert (hit["kind"], hit["ref"]) == ("excerpt", "X-003") and hit["highlights"] == [[31, 37]]
    assert run("search", location, "nowhere")[1].strip() == "nothing matches"
