"""`corroborate simulate`: the files it says it wrote are there; a second run refuses to overwrite them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app

runner = CliRunner(env={"COLUMNS": "240"})


def test_simulate_writes_the_lists_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "made-up"
    result = runner.invoke(app, ["simulate", str(folder), "--people", "400", "--lists", "3", "--seed", "2"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("400 people made up; the 3 lists hold ") and lines[0].endswith(f"written to {folder}:")
    assert [line.strip() for line in lines[1:]] == ["list-A.csv", "list-B.csv", "list-C.csv", "truth.csv",
                                                   "capture-histories.csv"]  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == sorted(line.strip() for line in lines[1:])
    again = runner.invoke(app, ["simulate", str(folder), "--people", "400"])
    assert again.exit_code == 2 and "already exists; give --force" in again.stderr


def test_link_says_how_many_people_the_lists_hold(tmp_path: Path) -> None:
    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "600", "--lists", "3"]).exit_code == 0
    lists = [str(tmp_path / "lists" / f"list-{name}.csv") for name in "ABC"]
    result = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "linked")])
    assert result.exit_code == 0, result.stderr
    first, *files = result.stdout.splitlines()
    assert " records of lists A, B, C are " in first and "on more than one list" in first
    assert [f.strip() for f in files][:3] == ["clusters.csv", "pairs.csv", "capture-histories.csv"]
    broken = tmp_path / "list-D.csv"
    broken.write_text("name\nSomeone\n", encoding="utf-8")
    refused = runner.invoke(app, ["link", lists[0], str(broken), "--out", str(tmp_path / "again")])
    assert refused.exit_code == 2 and "list-D.csv:1: record_id" in refused.stderr and "Someone" not in refused.stderr


def test_link_scores_the_links_against_a_made_up_truth(tmp_path: Path) -> None:
    import csv
    import re

    from corroborate.stats.linkage.model import pair_scores

    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "600", "--lists", "3"]).exit_code == 0
    lists = [str(tmp_path / "lists" / f"list-{name}.csv") for name in "ABC"]
    truth = tmp_path / "lists" / "truth.csv"
    result = runner.invoke(
        app, ["link", *lists, "--out", str(tmp_path / "linked"), "--no-charts", "--truth", str(truth)]
    )
    assert result.exit_code == 0, result.stderr
    said = re.search(
        r"linked as one person, ([\d.]+)% are \(precision\); of the pairs that are, ([\d.]+)%", result.stdout
    )
    assert said, result.stdout
    with truth.open(encoding="utf-8") as handle:
        known = {(r["list_name"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    with (tmp_path / "linked" / "clusters.csv").open(encoding="utf-8") as handle:
        found = {(r["list"], r["record_id"]): r["person"] for r in csv.DictReader(handle)}
    precision, recall = pair_scores(known, found)
    assert (float(said[1]), float(said[2])) == (round(100 * precision, 1), round(100 * recall, 1))
    assert precision > 0.9 and recall > 0.85
    other = tmp_path / "other-truth.csv"
    other.write_text("record_id,list_name,person_id\nA-000001,A,P1\n", encoding="utf-8")
    refused = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "again"), "--truth", str(other)])
    assert refused.exit_code != 0 and "not in the truth file" in refused.stderr
    assert not (tmp_path / "again").exists()
    wrong = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "again"), "--truth", lists[0]])
    assert wrong.exit_code == 2 and "person_id" in wrong.stderr and not (tmp_path / "again").exists()


def test_commands_start_without_loading_splink() -> None:
    """Splink, DuckDB and pyarrow load only to link (pyspark and its py4j only to link on Spark): every other
    command starts faster, and Ctrl-C while a command starts never lands inside their native modules (which
    turned it into another error)."""
    import subprocess
    import sys

    probe = "import sys, corroborate.cli.commands; print(sorted({m.split('.')[0] for m in sys.modules} & " \
            "{'splink', 'duckdb', 'pyarrow', 'pyspark', 'py4j'}))"  # fmt: skip
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def _as_shelter_workbook(csv_path: Path, folder: Path) -> Path:
    """A simulated list rewritten as an organisation keeps it: an XLSX with a title row, its own column names,
    sex in Korean, numbers and dates as cells, a notes column; and the YAML mapping that reads it."""
    import csv
    from datetime import date

    from openpyxl import Workbook

    with csv_path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    book = Workbook()
    sheet = book.active
    sheet.title = "Registrations"
    sheet.append(["Shelter registrations (made up)"])
    sheet.append(["No.", "Name", "성별", "Year of birth", "Age", "Interviewed", "Home town", "Crossed", "Notes"])
    for r in records:  # a crossing known to the month or year only stays text
        sheet.append([r["record_id"], r["name"], {"M": "남", "F": "여"}[r["sex"]],
                      float(r["birth_year"]) if r["birth_year"] else None, int(r["age"]) if r["age"] else None,
                      date.fromisoformat(r["interview_date"]), r["origin"],
                      date.fromisoformat(r["crossing"]) if len(r["crossing"]) == 10 else r["crossing"] or None,
                      "seen twice"])  # fmt: skip
    book.save(folder / "registrations.xlsx")
    mapping = folder / "shelter.yaml"
    mapping.write_text("list: A\nfile: registrations.xlsx\nheader_row: 2\ncolumns:\n  record_id: No.\n  name: Name\n"
                       "  sex: 성별\n  birth_year: Year of birth\n  age: Age\n  interview_date: Interviewed\n"
                       "  origin: Home town\n  crossing: Crossed\nsex_values: {남: M, 여: F}\nattributes: [Notes]\n",
                       encoding="utf-8")  # fmt: skip
    return mapping


@pytest.mark.slow
def test_link_reads_a_mapped_workbook_as_it_reads_the_csv(tmp_path: Path) -> None:
    """The same list as a CSV and as a YAML-mapped XLSX of other column names and cell types: the same people."""
    lists = tmp_path / "lists"
    assert runner.invoke(app, ["simulate", str(lists), "--people", "400", "--lists", "2", "--seed", "5"]).exit_code == 0
    mapping = _as_shelter_workbook(lists / "list-A.csv", tmp_path)
    from_csv = runner.invoke(app, ["link", str(lists / "list-A.csv"), str(lists / "list-B.csv"), "--out",
                                   str(tmp_path / "from-csv")])  # fmt: skip
    from_xlsx = runner.invoke(app, ["link", str(mapping), str(lists / "list-B.csv"), "--out",
                                    str(tmp_path / "from-xlsx")])  # fmt: skip
    assert from_csv.exit_code == 0 and from_xlsx.exit_code == 0, from_xlsx.stderr
    assert from_xlsx.stdout.splitlines()[0].split(";")[0] == from_csv.stdout.splitlines()[0].split(";")[0]
    assert " records of lists A, B are " in from_xlsx.stdout
    clusters = [(tmp_path / out / "clusters.csv").read_text(encoding="utf-8") for out in ("from-csv", "from-xlsx")]
    assert clusters[0] == clusters[1] and clusters[0].count("\nA,A-") > 50


def test_link_refuses_lists_with_problems_and_lists_them_all(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["No.", "Name"])
    for row in (["s1", "Kim Secret-chol"], ["s2", "Ri Hidden", "stray cell"], ["s3", "???"], ["s4", "Pak Chol"]):
        book.active.append(row)
    book.save(tmp_path / "shelter.xlsx")
    mapping = tmp_path / "shelter.yaml"
    mapping.write_text("file: shelter.xlsx\ncolumns: {record_id: No., name: Name, origin: Hometown}\n",
                       encoding="utf-8")  # fmt: skip
    church = tmp_path / "church.csv"
    church.write_text("id,name\n1,Choe Private\n", encoding="utf-8")
    result = runner.invoke(app, ["link", str(mapping), str(church), "--out", str(tmp_path / "linked")])
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "problem(s) in the person lists; nothing was linked" in message
    for said in ("shelter.yaml:2: columns.origin: the header (row 1 of shelter.xlsx) has no column 'Hometown'",
                 "church.csv:1: record_id: the header has no record_id column"):  # fmt: skip
        assert said in message
    mapping.write_text("file: shelter.xlsx\ncolumns: {record_id: No., name: Name}\n", encoding="utf-8")
    church.write_text("record_id,name\n1,Choe Private\n", encoding="utf-8")
    result = runner.invoke(app, ["link", str(mapping), str(church), "--out", str(tmp_path / "linked")])
    message = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "2 problem(s) in the person lists; nothing was linked" in message
    assert "shelter.xlsx:3: (top): a cell right of the header's last column" in message
    assert "shelter.xlsx:4: Name: a name with no letter" in message
    for value in ("Secret", "Hidden", "stray", "???", "Private"):
        assert value not in result.stderr
    assert not (tmp_path / "linked").exists()


def test_link_writes_overlaps_explanations_and_offline_charts(tmp_path: Path) -> None:
    """`--duplicate-free` keeps one record of each such list in a person; the charts fetch nothing; the
    explanations add up; `--no-charts` leaves the charts out; a duplicate-free list that is not given is refused."""
    import csv
    import re

    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "500", "--lists", "3"]).exit_code == 0
    lists = [str(tmp_path / "lists" / f"list-{name}.csv") for name in "ABC"]
    out = tmp_path / "linked"
    result = runner.invoke(app, ["link", *lists, "--out", str(out), "--duplicate-free", "A", "--duplicate-free", "C"])
    assert result.exit_code == 0, result.stderr
    files = [f.strip() for f in result.stdout.splitlines()[1:]]
    charts = ["overlaps.svg", "match-weights.svg", "model.html", "waterfalls.html"]
    assert files == ["clusters.csv", "pairs.csv", "capture-histories.csv", "clusters.parquet", "explanations.csv",
                     "overlaps.csv", *charts]  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    with (out / "clusters.csv").open(encoding="utf-8", newline="") as handle:
        held: dict[str, list[str]] = {}
        for row in csv.DictReader(handle):
            held.setdefault(row["person"], []).append(row["list"])
    assert all(lists_of.count("A") <= 1 and lists_of.count("C") <= 1 for lists_of in held.values())
    assert any(len(set(lists_of)) == 3 for lists_of in held.values())
    with (out / "explanations.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            weights = (float(row[f"{c}_weight"]) for c in ("name", "born", "origin", "sex", "crossing", "arrest"))
            terms = float(row["prior_weight"]) + sum(weights)
            assert abs(terms - float(row["match_weight"])) < 1e-3
    remote = re.compile(r"<(script|link|img|image)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//|@import"
                        r"|url\(\s*[\"']?\s*(https?:)?//", re.I)  # fmt: skip
    for name in charts:
        text = (out / name).read_text(encoding="utf-8")
        assert remote.search(text) is None, name
        assert "https://cdn" not in text and "fonts.googleapis" not in text
    again = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "plain"), "--no-charts"])
    assert again.exit_code == 0 and not set(charts) & {p.name for p in (tmp_path / "plain").iterdir()}
    refused = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "none"), "--duplicate-free", "Z"])
    assert refused.exit_code == 2 and "--duplicate-free Z: no such list" in " ".join(refused.stderr.split())
    assert not (tmp_path / "none").exists()


def test_link_refuses_an_unknown_engine_and_a_spark_master_without_spark(tmp_path: Path) -> None:
    assert runner.invoke(app, ["simulate", str(tmp_path / "lists"), "--people", "50", "--lists", "2"]).exit_code == 0
    lists = [str(tmp_path / "lists" / f"list-{name}.csv") for name in "AB"]
    unknown = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "linked"), "--engine", "sqlite"])
    assert unknown.exit_code == 2 and "--engine is one of duckdb, spark, not sqlite" in unknown.stderr
    master = runner.invoke(app, ["link", *lists, "--out", str(tmp_path / "linked"), "--spark-master", "local[2]"])
    assert master.exit_code == 2 and "--spark-master is for --engine spark" in master.stderr
    assert not (tmp_path / "linked").exists()


@pytest.mark.slow
def test_ctrl_c_stops_link_while_it_links_and_nothing_is_written(tmp_path: Path) -> None:
    """DuckDB runs Splink's queries in C++ and handled Ctrl-C its own way: `link` went on and wrote its outputs."""
    import os
    import signal
    import subprocess
    import sys
    import time

    lists, out = tmp_path / "lists", tmp_path / "out"
    assert runner.invoke(app, ["simulate", str(lists), "--people", "40000", "--seed", "3"]).exit_code == 0
    command = [sys.executable, "-m", "corroborate", "link", *sorted(str(p) for p in lists.glob("list-*.csv")),
               "--out", str(out), "--no-charts"]  # fmt: skip
    process = subprocess.Popen(command, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120  # until DuckDB's threads have started (the records' features come first)
    while len(os.listdir(f"/proc/{process.pid}/task")) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    time.sleep(2)  # well into Splink's queries (tens of seconds for 55,000 records)
    assert process.poll() is None, "link ended before it could be interrupted: make the population bigger"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    assert time.monotonic() - started < 5, "Ctrl-C was not honoured at once"
    assert process.returncode == 130 and "Traceback" not in err, err
    assert not out.exists() or not any(out.iterdir())
