"""The law check on the reference case, the law book against ../shared/data/treaties.csv, and dates at the edges."""

from __future__ import annotations

import csv
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from corroborate.analysis.law import LawFinding, check_law, conduct_period, format_period
from corroborate.analysis.lawbook import LawBook
from corroborate.analysis.lawfile import DateFact
from corroborate.domain import (
    AttributeSpec,
    Case,
    CaseInfo,
    Claim,
    DateInterval,
    Document,
    Excerpt,
    Proposition,
    date_interval,
)
from corroborate.errors import UserError
from corroborate.ingest import read_casefile

COLUMNS = {"signature": ("sig", "signature"), "ratification_or_accession": ("rat", "deposit")}
COLUMNS["entry_into_force"] = ("eif", "entry_into_force")
EVENT_ROWS = {"ICCPR-WITHDRAWAL", "HRC-GC26", "UDHR"}


@pytest.fixture(scope="module")
def book() -> LawBook:
    return LawBook.default()


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture(scope="module")
def findings(case: Case) -> list[LawFinding]:
    return check_law(case)


@pytest.fixture(scope="module")
def treaty_csv(shared_dir: Path) -> list[dict[str, str]]:
    with (shared_dir / "data" / "treaties.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def find(findings: list[LawFinding], proposition: str, instrument: str, article: str) -> LawFinding:
    matches = [f for f in findings if (f.proposition, f.instrument, f.article) == (proposition, instrument, article)]
    assert len(matches) == 1, f"{proposition} {instrument} {article}: {len(matches)} findings"
    return matches[0]


def csv_statuses(notes: str) -> dict[str, str]:
    """The `status: sig=…; rat=…; eif=…` words of a treaties.csv note (first word only)."""
    return dict(re.findall(r"\b(sig|rat|eif)=([a-z/]+)", notes))


# --- the acceptance lines ------------------------------------------------------------------


def test_dprk_was_bound_by_iccpr_12_2_throughout_2004_to_2006(case: Case, findings: list[LawFinding]) -> None:
    f = find(findings, "policy.crossers.imprisoned", "ICCPR", "12(2)")
    assert f.duty_bearer == "DPRK" and f.binding == "treaty" and f.party is True
    assert f.bound_throughout is True
    assert f.bound_since == date(1981, 12, 14) and f.date_status == "verified" and f.verified
    assert "https://www.austlii.edu.au/au/journals/AJHR/1999/8.html" in f.source
    # The period really is the span of the 2004-2006 announcement dates of the supporting claims.
    assert f.period is not None and f.period.start is not None and f.period.end is not None
    assert date(2004, 1, 1) <= f.period.start <= date(2004, 12, 31)
    assert date(2006, 1, 1) <= f.period.end <= date(2006, 12, 31)
    claims = [c for c in case.claims if c.proposition == f.proposition and c.stance == "supports"]
    intervals = [date_interval(str(c.attributes["announced"])) for c in claims if "announced" in c.attributes]
    assert len(intervals) == len(f.dated_claims) >= 7
    assert f.period.start == min(i.start for i in intervals if i.start is not None) == date(2004, 9, 1)
    assert f.period.end == max(i.end for i in intervals if i.end is not None) == date(2006, 10, 31)
    assert all(i.overlaps(f.period) for i in intervals)
    assert set(f.open_ended_claims) == {"C-n16-imprisoned-2006", "C-n24-imprisoned"}  # "by April 2006", "by 2005"
    assert "since 1981-12-14" in f.explanation and "accession 1981-09-14" in f.explanation
    assert "no legal effect (HRC General Comment No. 26)" in f.explanation
    assert "the conduct (2004-09 … 2006-10) falls entirely after that date" in f.explanation


def test_prc_bound_by_refugee_convention_art_33_since_1982_and_by_the_protocol(
    findings: list[LawFinding], book: LawBook
) -> None:
    convention = find(findings, "prc.repatriation", "REFUGEE-1951", "33")
    assert convention.duty_bearer == "PRC" and convention.bound_since == date(1982, 12, 23)
    assert convention.date_status == "verified"
    protocol = find(findings, "prc.repatriation", "REFUGEE-1967", "I")
    assert protocol.bound_since == date(1982, 9, 24) and protocol.date_status == "derived"
    assert find(findings, "prc.repatriation", "CAT", "3").bound_since == date(1988, 11, 3)
    # "../2002-11" gives the returns no start: whether any predate 1982 cannot be told from the claims.
    assert convention.bound_throughout is None
    assert "predates 1982-12-23 cannot be told" in convention.explanation
    assert book.bound_since("REFUGEE-1951", "PRC").since == date(1982, 12, 23)


def test_dprk_is_not_bound_by_cat(book: LawBook, tmp_path: Path) -> None:
    status = book.bound_since("CAT", "DPRK")
    assert status.party is False and status.since is None and status.status == "verified"  # 38 North
    assert book.bound_since("REFUGEE-1951", "DPRK").status == "unverified"  # no source found
    law = tmp_path / "law.yaml"
    law.write_text(
        yaml.safe_dump({"instruments": {"CAT": {"articles": {"16": {"title": "Ill-treatment", "summary": "x"}}}}})
    )
    violations = tmp_path / "violations.yaml"
    mapping = {"instrument": "CAT", "article": "16", "duty_bearer": "DPRK", "why": "beatings in custody"}
    violations.write_text(yaml.safe_dump({"violations": {"detention.beatings": [mapping]}}))
    extended = LawBook.from_files(law, violations)
    assert set(extended.instrument("CAT").articles) == {"3", "16"}  # merged, not replaced
    assert extended.bound_since("CAT", "PRC").since == date(1988, 11, 3)
    f = find(check_law(_case(["2006"]), extended), "detention.beatings", "CAT", "16")
    assert f.bound_throughout is False and f.party is False
    assert "the DPRK is not a party to CAT" in f.explanation


def test_udhr_is_flagged_as_a_declaration(findings: list[LawFinding], book: LawBook) -> None:
    f = find(findings, "policy.crossers.imprisoned", "UDHR", "13(2)")
    assert f.binding == "declaration" and f.bound_throughout is None and f.bound_since is None
    assert f.party is None and f.date_status == "n/a"
    assert "declaration" in f.explanation and "not a treaty" in f.explanation
    assert "1948-12-10" in f.explanation
    assert book.instrument("UDHR").states == {}
    assert book.bound_since("UDHR", "PRC").binding == "declaration"


# --- the law book against treaties.csv -----------------------------------------------------


def test_every_treaty_row_of_the_csv_is_in_law_yaml_with_the_same_dates(
    book: LawBook, treaty_csv: list[dict[str, str]]
) -> None:
    rows = [r for r in treaty_csv if r["short_name"] not in EVENT_ROWS]
    in_csv = {(r["short_name"], r["state"]) for r in rows}
    in_yaml = {(i, s) for i, inst in book.instruments.items() for s in inst.states}
    assert in_yaml == in_csv
    for row in rows:
        where = f"{row['short_name']} {row['state']}"
        record = book.instruments[row["short_name"]].states[row["state"]]
        assert record.notes == row["notes"], where
        sources = [] if row["source"] == "unverified" else row["source"].split(" ; ")
        assert list(record.source) == sources, where
        assert record.party == bool(row["entry_into_force"]), where
        statuses = csv_statuses(row["notes"])
        for column, (abbr, field) in COLUMNS.items():
            cell, fact = row[column], getattr(record, field)
            if not cell:
                assert fact is None, f"{where} {field}: not in treaties.csv"
                continue
            assert isinstance(fact, DateFact) and fact.date is not None, f"{where} {field}"
            assert fact.status == statuses[abbr], f"{where} {field}"
            if cell == "unverified":
                best = row["notes"].split("BEST KNOWLEDGE", 1)[1]
                assert fact.date.isoformat() in best, f"{where} {field}: not the CSV's best-knowledge date"
            else:
                assert fact.date == date.fromisoformat(cell), f"{where} {field}"


def test_event_rows_are_recorded(book: LawBook, treaty_csv: list[dict[str, str]]) -> None:
    rows = {r["short_name"]: r for r in treaty_csv if r["short_name"] in EVENT_ROWS}
    events = {e.id: e for e in book.instruments["ICCPR"].states["DPRK"].events}
    assert set(events) == {"ICCPR-WITHDRAWAL", "HRC-GC26"}
    for key, event in events.items():
        row = rows[key]
        assert event.notes == row["notes"]
        assert list(event.source) == row["source"].split(" ; ")
        event_date = re.search(r"event_date=(\d{4}-\d{2}-\d{2})", row["notes"])
        assert event_date and event.date.date == date.fromisoformat(event_date.group(1))
        assert not event.ends_binding  # the withdrawal has no legal effect
    udhr = book.instrument("UDHR")
    assert udhr.binding == "declaration" and udhr.notes == rows["UDHR"]["notes"]
    assert udhr.adopted.date == date(1948, 12, 10) and "event_date=1948-12-10" in rows["UDHR"]["notes"]
    assert set(rows["UDHR"]["source"].split(" ; ")) <= set(udhr.source)


def test_every_unverified_mark_of_the_csv_stays_unverified(book: LawBook, treaty_csv: list[dict[str, str]]) -> None:
    checked = 0
    for row in treaty_csv:
        key = row["short_name"]
        if key in ("ICCPR-WITHDRAWAL", "HRC-GC26"):
            event = next(e for e in book.instruments["ICCPR"].states["DPRK"].events if e.id == key)
            unverified_date = re.search(r"\(unverified\): event_date=", row["notes"]) is not None
            assert (event.date.status == "unverified") == unverified_date, key
            checked += unverified_date
            continue
        if key == "UDHR":
            continue
        record = book.instruments[key].states[row["state"]]
        if row["source"] == "unverified":
            assert record.party_status == "unverified", f"{key} {row['state']}"
            checked += 1
        statuses = csv_statuses(row["notes"])
        for column, (abbr, field) in COLUMNS.items():
            if row[column] == "unverified" or statuses.get(abbr) == "unverified":
                fact = getattr(record, field)
                assert fact is not None and fact.status == "unverified", f"{key} {row['state']} {field}"
                checked += 1
    assert checked >= 15


def test_instrument_dates_and_rules_match_treaties_md(book: LawBook, shared_dir: Path) -> None:
    text = (shared_dir / "data" / "treaties.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z0-9-]+) \| (\d{4}-\d{2}-\d{2})[^|]* \| (\d{4}-\d{2}-\d{2}) \| ([^|]+) \|$", text, re.M)
    assert len(rows) == 9
    for key, adopted, in_force, rule_text in rows:
        inst = book.instrument(key)
        assert inst.adopted.date == date.fromisoformat(adopted), key
        assert inst.in_force is not None and inst.in_force.date == date.fromisoformat(in_force), key
        rule = inst.entry_into_force_rule
        assert rule is not None and rule_text.startswith(f"art. {rule.article}:"), key
        if rule.months_after_deposit is not None:
            assert f"{rule.months_after_deposit} months after deposit" in rule_text, key
        elif rule.days_after_deposit == 0:
            assert "on the date of deposit" in rule_text, key
        else:
            assert f"{rule.days_after_deposit}th day after deposit" in rule_text, key


def test_every_entry_into_force_follows_the_treaty_rule(book: LawBook) -> None:
    for key, inst in book.instruments.items():
        for state, record in inst.states.items():
            if record.deposit is None or record.entry_into_force is None:
                continue
            assert inst.entry_into_force_rule is not None and inst.in_force is not None
            assert record.deposit.date is not None and record.entry_into_force.date is not None
            expected = inst.entry_into_force_rule.entry_into_force(record.deposit.date, inst.in_force.date)
            assert record.entry_into_force.date == expected, f"{key} {state}"


def test_every_article_named_in_violations_yaml_exists_in_law_yaml() -> None:
    data = resources.files("corroborate.analysis.data")
    law = yaml.safe_load(data.joinpath("law.yaml").read_text("utf-8"))
    violations = yaml.safe_load(data.joinpath("violations.yaml").read_text("utf-8"))["violations"]
    assert violations
    for pattern, mappings in violations.items():
        for m in mappings:
            instrument = law["instruments"][m["instrument"]]
            assert str(m["article"]) in instrument["articles"], f"{pattern}: {m['instrument']} {m['article']}"
            assert m["duty_bearer"] in law["states"], pattern
            assert m["why"].strip() and "\n" not in m["why"].strip(), pattern
            if instrument["binding"] == "treaty":
                assert m["duty_bearer"] in instrument["states"], pattern


def test_violations_cover_the_reference_case(case: Case, book: LawBook) -> None:
    keys = {p.key for p in case.propositions}
    patterns = set(book.violations)
    for pattern in patterns:
        prefix = pattern[:-1] if pattern.endswith(".*") else None
        assert (pattern in keys) or (prefix and any(k.startswith(prefix) for k in keys)), f"{pattern} matches nothing"
    for key in (
        "policy.crossers.imprisoned",
        "policy.crossers.christian_contact.harsher",
        "detention.beatings",
        "detention.stress_positions",
        "detention.food.insufficient",
        "detention.deaths",
        "border_guards.punished_for_aiding",
        "prc.repatriation",
    ):
        assert book.mappings_for(key), key


# --- findings and dates at the edges --------------------------------------------------------


def _case(dates: list[str | None], *, key: str = "detention.beatings") -> Case:
    """A one-document case whose claims on ``key`` carry the given dates (None: undated)."""
    return Case(
        case=CaseInfo(id="law-test", title="Law test"),
        documents=[Document(id="D1", kind="news", title="A report")],
        excerpts=[Excerpt(id="X1", source="D1", mode="document", text="Guards beat detainees.")],
        propositions=[
            Proposition(key=key, statement="Guards beat detainees.", attributes={"date": AttributeSpec(type="date")})
        ],
        claims=[
            Claim(id=f"C{i}", excerpt="X1", proposition=key, attributes={} if d is None else {"date": d})
            for i, d in enumerate(dates)
        ],
    )


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["1980-05"], False),  # before the DPRK became bound (1981-12-14)
        (["1981-06/1982-03"], False),  # straddles the date: not bound on every day
        (["1981-12-13"], False),
        (["1981-12-14"], True),
        (["1982", "2006"], True),
        (["../1980"], False),  # no start, but ends before the date
        (["../2006"], None),  # no start: cannot tell
        (["2006/.."], True),
        (["2005", "../2006"], True),  # "by 2006" read as within 2005-2006
        ([None], None),  # undated
    ],
)
def test_conduct_before_binding_is_not_bound_throughout(dates: list[str | None], expected: bool | None) -> None:
    f = find(check_law(_case(dates)), "detention.beatings", "ICCPR", "7")
    assert f.bound_throughout is expected
    assert f.bound_since == date(1981, 12, 14)


def test_conduct_entirely_before_binding_is_explained(findings: list[LawFinding]) -> None:
    f = find(findings, "dprk.religion.persecuted", "ICCPR", "18")  # 1945-1979, before 1981
    assert f.bound_throughout is False
    assert "falls entirely before that date, when ICCPR did not yet bind the DPRK" in f.explanation
    f = find(check_law(_case(["1981-06/1982-03"])), "detention.beatings", "ICCPR", "7")
    assert "may begin before that date" in f.explanation


def test_an_unverified_binding_date_is_flagged(findings: list[LawFinding]) -> None:
    f = find(findings, "detention.food.insufficient", "ICESCR", "11")
    assert f.date_status == "unverified" and not f.verified
    assert f.bound_since == date(1981, 12, 14) and f.bound_throughout is True
    assert "UNVERIFIED" in f.explanation and "within 1981-12" in f.explanation


def test_findings_only_for_supported_mapped_propositions(case: Case, findings: list[LawFinding]) -> None:
    supported = {c.proposition for c in case.claims if c.stance == "supports"}
    assert {f.proposition for f in findings} <= supported
    assert not [f for f in findings if f.proposition.startswith("event.")]
    undated = find(findings, "detention.deaths", "ICCPR", "6")
    assert undated.period is None and undated.bound_throughout is None
    assert "no supporting claim is dated" in undated.explanation
    assert all(f.explanation and "\n" not in f.explanation for f in findings)
    assert check_law(case, LawBook.default()) == findings  # deterministic


def test_conduct_period_reads_open_ends() -> None:
    prop = _case([]).propositions[0]

    def period(*dates: str) -> DateInterval | None:
        claims = [
            Claim(id=f"C{i}", excerpt="X1", proposition=prop.key, attributes={"date": d}) for i, d in enumerate(dates)
        ]
        return conduct_period(prop, claims).interval

    assert period("2004-09/2004-12", "../2005-12") == DateInterval(date(2004, 9, 1), date(2005, 12, 31))
    assert period("2005", "../2004-06") == DateInterval(None, date(2005, 12, 31))  # ends before any known start
    assert period("../2002-11", "2006-12-21/..") == DateInterval(None, None)
    assert period("2006-12-21/..", "2005") == DateInterval(date(2005, 1, 1), None)
    assert period("2006-01/..", "2006-10") == DateInterval(date(2006, 1, 1), date(2006, 10, 31))
    assert format_period(DateInterval(date(2004, 9, 1), date(2006, 10, 31))) == "2004-09 … 2006-10"
    assert format_period(DateInterval(date(2006, 1, 1), date(2006, 12, 31))) == "2006"
    assert format_period(DateInterval(None, date(2002, 11, 30))) == ".. … 2002-11"
    assert format_period(DateInterval(date(2007, 2, 17), date(2007, 2, 28))) == "2007-02-17 … 2007-02"


def test_mappings_put_the_exact_key_before_globs(book: LawBook) -> None:
    beatings = book.mappings_for("detention.beatings")
    assert [(m.instrument, m.article) for m in beatings] == [("ICCPR", "7"), ("ICCPR", "10")]
    assert beatings[1].why.startswith("beating")  # the exact entry's reason, not the glob's
    assert [(m.instrument, m.article) for m in book.mappings_for("detention.medical.denied")] == [("ICCPR", "10")]
    assert book.mappings_for("event.rok_airlift_2004") == ()


def _write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_bad_extension_is_refused_with_every_problem(tmp_path: Path) -> None:
    bad = [
        {"instrument": "ICCPR", "article": "99", "duty_bearer": "DPRK", "why": "x"},
        {"instrument": "NOPE", "article": "1", "duty_bearer": "DPRK", "why": "x"},
        {"instrument": "ICCPR", "article": "7", "duty_bearer": "USA", "why": "x"},
    ]
    violations = _write(tmp_path / "v.yaml", {"violations": {"detention.beatings": bad}})
    with pytest.raises(UserError) as info:
        LawBook.from_files(violations=violations)
    message = str(info.value)
    assert "3 problem(s)" in message and "'99'" in message and "'NOPE'" in message and "'USA'" in message
    with pytest.raises(UserError, match="glob"):
        LawBook.from_files(violations=_write(tmp_path / "g.yaml", {"violations": {"detention*": []}}))
    with pytest.raises(UserError, match="entry_into_force"):
        LawBook.from_files(_write(tmp_path / "l.yaml", {"instruments": {"CAT": {"states": {"DPRK": {"party": True}}}}}))
    with pytest.raises(UserError, match="cannot read"):
        LawBook.from_files(tmp_path / "missing.yaml")
    with pytest.raises(UserError, match="no instrument 'ECHR'"):
        LawBook.default().bound_since("ECHR", "DPRK")
    with pytest.raises(UserError, match="no treaty status of USA"):
        LawBook.default().bound_since("ICCPR", "USA")


def test_a_case_can_replace_a_mapping(tmp_path: Path) -> None:
    mapping = {"instrument": "ICCPR", "article": "9", "duty_bearer": "DPRK", "why": "detention for leaving"}
    book = LawBook.from_files(violations=_write(tmp_path / "v.yaml", {"violations": {"detention.beatings": [mapping]}}))
    assert [(m.instrument, m.article) for m in book.mappings_for("detention.beatings")] == [
        ("ICCPR", "9"),
        ("ICCPR", "10"),
    ]
    alone = LawBook.from_files(
        _write(tmp_path / "law.yaml", {"states": {}, "instruments": {}}),
        _write(tmp_path / "none.yaml", {"violations": {}}),
        extend_default=False,
    )
    assert alone.instruments == {} and check_law(_case(["2006"]), alone) == []
