import json
from pathlib import Path

import pytest

from corroborate.errors import CasefileInvalid
from corroborate.ingest import dump_case, parse_casefile, read_casefile

GOOD = """\
version: 1
case:
  id: mini
  title: A small case
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 40, origin: Saebyul}
    restricted:
      name: Ri Sun-ok
      contacts: ["+86 139 0000 1111"]
  - id: W-002
    descriptor: {gender: male, age_band: in his thirties, origin: Musan}
interviews:
  - {id: I-001, witness: W-001, date: 2006-12-01, country: China, consent: quote}
  - {id: I-002, witness: W-002, date: 2006-11-28, country: CN}
documents:
  - {id: D-001, kind: news, title: Border guards executed, outlet: The Daily NK, date: 2006-08-29}
excerpts:
  - {id: E-001, source: I-001, mode: heard_official, text: One year in regular prison., quote: true, note: 23}
  - {id: E-002, source: D-001, mode: document, text: Three soldiers were executed.}
propositions:
  - key: policy.crossers.imprisoned
    statement: Border crossers are sent to prison.
    attributes:
      sentence_years: {type: range, unit: years}
      announced: {type: date}
      facility: {type: category, values: [jipkyolso, kyohwaso]}
      place: {type: place}
claims:
  - id: C-001
    excerpt: E-001
    proposition: policy.crossers.imprisoned
    attributes: {sentence_years: 1-3, announced: late 2004, facility: kyohwaso, place: Hoeryung}
  - {id: C-002, excerpt: E-001, proposition: policy.crossers.imprisoned, attributes: {announced: 2004-11-27}}
"""


def test_reads_a_valid_casefile_and_normalises_values() -> None:
    case = parse_casefile(GOOD, filename="mini.yaml")
    assert case.case.id == "mini"
    assert case.witnesses[0].descriptor.origin == "Saebyol"
    assert case.witnesses[1].descriptor.age_band is not None
    assert case.interviews[0].date == "2006-12-01"
    assert case.interviews[0].country == "CN"
    assert case.claims[0].attributes == {
        "sentence_years": "1..3",
        "announced": "2004-09/2004-12",
        "facility": "kyohwaso",
        "place": "Hoeryong",
    }
    assert case.claims[1].attributes == {"announced": "2004-11-27"}  # unquoted YAML date


def test_json_casefiles_are_read_too() -> None:
    case = parse_casefile(GOOD)
    text = json.dumps(case.model_dump(mode="json"))
    assert parse_casefile(text, filename="mini.json") == case


def test_dump_then_parse_gives_an_equal_case() -> None:
    case = parse_casefile(GOOD)
    assert parse_casefile(dump_case(case)) == case


def test_public_dump_leaves_out_restricted_sections() -> None:
    text = dump_case(parse_casefile(GOOD), public=True)
    assert "restricted" not in text
    assert "Ri Sun-ok" not in text and "1111" not in text


BAD = """\
version: 1
case:
  id: mini
  title: A small case
witnesess: []
witnesses:
  - id: W-001
    descriptor: {gender: femail, age: 40, origin: Atlantis}
    restricted:
      name: Ri Sun-ok
      birth_date: the night of the storm Ri Sun-ok
  - id: W-001
    descriptor: {gender: male}
interviews:
  - {id: I-001, witness: W-009, date: 2006-12-01, country: CN}
  - {id: I-002, witness: W-001, date: sometime, country: CN}
excerpts:
  - {id: E-001, source: I-001, mode: overheard, text: something}
  - {id: E-002, source: I-404, mode: witnessed, text: something}
propositions:
  - key: policy.crossers.imprisoned
    statement: Border crossers are sent to prison.
    attributes:
      sentence_years: {type: range}
claims:
  - {id: C-001, excerpt: E-002, proposition: policy.crossers.imprisoned, attributes: {sentence_years: many}}
  - {id: C-002, excerpt: E-404, proposition: no.such, stance: maybe}
  - {id: C-003, excerpt: E-002, proposition: policy.crossers.imprisoned, attributes: {colour: red}}
"""


def test_every_problem_is_reported_at_once_with_line_and_path() -> None:
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(BAD, filename="bad.yaml")
    problems = {(p.line, p.path): p.message for p in info.value.problems}
    rendered = "\n".join(str(p) for p in info.value.problems)
    expected = {
        (5, "witnesess"): "unknown section",
        (8, "witnesses[0].descriptor.gender"): "male",
        (8, "witnesses[0].descriptor.origin"): "unknown place 'Atlantis'",
        (11, "witnesses[0].restricted.birth_date"): "restricted field",
        (12, "witnesses[1].id"): "duplicate id 'W-001'",
        (15, "interviews[0].witness"): "no witness 'W-009'",
        (16, "interviews[1].date"): "not a date",
        (18, "excerpts[0].mode"): "witnessed",
        (19, "excerpts[1].source"): "no interview or document 'I-404'",
        (26, "claims[0].attributes.sentence_years"): "not a number or range",
        (27, "claims[1].stance"): "supports",
        (28, "claims[2].attributes.colour"): "has no attribute 'colour'",
    }
    for (line, path), fragment in expected.items():
        assert (line, path) in problems, f"missing {path} at line {line}:\n{rendered}"
        assert fragment in problems[(line, path)], rendered
    # C-002's dangling references are not reported: the claim itself is invalid (bad stance).
    assert len(info.value.problems) == len(expected), rendered
    assert all(str(p).startswith("bad.yaml:") for p in info.value.problems)


def test_problems_never_echo_restricted_values() -> None:
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(BAD, filename="bad.yaml")
    rendered = "\n".join(str(p) for p in info.value.problems) + str(info.value)
    assert "Ri Sun-ok" not in rendered
    assert "storm" not in rendered


def test_yaml_syntax_errors_name_the_line() -> None:
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile("case:\n  id: x\n  title: [unclosed\n", filename="broken.yaml")
    (problem,) = info.value.problems
    assert problem.line is not None and problem.line >= 3
    assert "not valid YAML" in problem.message


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text"])
def test_a_casefile_must_be_a_mapping(text: str) -> None:
    with pytest.raises(CasefileInvalid):
        parse_casefile(text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CasefileInvalid) as info:
        read_casefile(tmp_path / "nope.yaml")
    assert "file not found" in str(info.value.problems[0])


def test_unknown_keys_under_restricted_are_named_by_position() -> None:
    text = GOOD.replace(
        "      name: Ri Sun-ok\n", "      name: Ri Sun-ok\n      Ri Sun-ok lives in Yanji: yes\n      nick: x\n"
    )
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(text, filename="c.yaml")
    rendered = "\n".join(str(p) for p in info.value.problems)
    assert "c.yaml:10: witnesses[0].restricted: unknown key #2" in rendered
    assert "c.yaml:11: witnesses[0].restricted: unknown key #3" in rendered
    assert "Yanji" not in rendered and "nick" not in rendered


def test_an_unknown_key_that_is_no_field_name_is_named_by_position() -> None:
    text = GOOD.replace("  - id: W-002\n", "  - id: W-002\n    Ri Sun-ok, Yanji: x\n    orign: Musan\n")
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(text, filename="c.yaml")
    rendered = "\n".join(str(p) for p in info.value.problems)
    assert "witnesses[1]: unknown key #2" in rendered and "Yanji" not in rendered
    assert "witnesses[1].orign: unknown field 'orign'" in rendered  # a typo of a field is still quoted


@pytest.mark.parametrize("line", ["      name: *RiSunok\n", "      name: !RiSunok x\n", "      name: &a [\n"])
def test_yaml_errors_quote_nothing_from_the_source(line: str) -> None:
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(GOOD.replace("      name: Ri Sun-ok\n", line), filename="c.yaml")
    (problem,) = info.value.problems
    assert problem.line is not None and "not valid YAML" in problem.message
    assert "RiSunok" not in str(problem) and "Sun" not in str(problem)


def test_a_casefile_that_is_not_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("case: {id: x, title: caf\u00e9}\n".encode("latin-1"))
    with pytest.raises(CasefileInvalid) as info:
        read_casefile(path)
    (problem,) = info.value.problems
    assert problem.message.startswith("not UTF-8 text (byte 25 ")


QUESTIONABLE = """\
case: {id: t, title: t}
witnesses:
  - id: W-001
    descriptor: {origin: Musan}
    restricted:
      name: Kim Chol
      birth_date: 2007-05-01
      name: Kim Chol-su
interviews:
  - {id: I-1, witness: W-001, date: 2006-11-26, country: CN}
  - {id: I-2, witness: W-001, date: 2031-01-02, country: CN}
"""


def test_dates_that_cannot_be_true_and_keys_written_twice_are_refused() -> None:
    """An interview in the future, a witness born after it, a key whose first value YAML would drop (issue 10)."""
    from datetime import date

    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(QUESTIONABLE, filename="q.yaml", today=date(2026, 12, 2))
    problems = [str(p) for p in info.value.problems]
    assert problems == [
        "q.yaml:7: witnesses[0].restricted.birth_date: is after the witness's interview I-1 (the date is not shown)",
        "q.yaml:8: witnesses[0].restricted.name: key 'name' is written twice (lines 6 and 8): "
        "only the last would count",
        "q.yaml:11: interviews[1].date: is after today (2026-12-02)",
    ]
    assert not any(value in " ".join(problems) for value in ("Kim", "2007-05"))


def test_a_key_that_is_no_field_name_written_twice_is_not_quoted() -> None:
    text = QUESTIONABLE.replace("      name: Kim Chol-su\n", "      Pak Sun-ok: 1\n      Pak Sun-ok: 2\n")
    with pytest.raises(CasefileInvalid) as info:
        parse_casefile(text)
    assert "Pak" not in " ".join(str(p) for p in info.value.problems)
