"""The fast reader gives exactly what yaml.safe_load gives, or leaves the text to the careful reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from corroborate.errors import CasefileInvalid
from corroborate.ingest import yamlfast
from corroborate.ingest.casefile import parse_casefile
from corroborate.ingest.yamlfast import fast_data

ROOT = Path(__file__).resolve().parents[2]
SHAPES = {
    "indented items, block text, comments": """\
# a casefile
version: 1
case:
  id: c1   # trailing comment
  title: "Quoted: with colon"
witnesses:
  - id: W-001
    descriptor: {gender: female, age: 34}
# a comment at the margin, between items
  - id: W-002
    descriptor:
      age: 51
      origin: Musan
excerpts:
  - id: E-1
    source: I-1
    text: |
      First line.

      After a blank line, with: a colon.
    quote: true
    note: 3
""",
    "items at the margin, numbers, dates, nulls": """\
case: {id: c2, title: T}
interviews:
- id: I-1
  date: 2006-05-02
  country: CN
  town: ~
- id: I-2
  date: '2006-06'
  country: no
claims:
- {id: C-1, excerpt: E-1, proposition: a.b, attributes: {years: 1.5, n: 0x1F, seen: yes, when: 2004-11-27}}
""",
    "anchors inside one item": """\
case: {id: c3, title: T}
propositions:
  - key: a.b
    statement: S
    attributes:
      x: &spec {type: number}
      y: *spec
""",
    "empty and missing sections": "case: {id: c4, title: T}\nwitnesses: []\nclaims:\ndocuments:\n",
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_same_data_as_safe_load(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SHAPES[name]
    assert fast_data(text) == yaml.safe_load(text)
    monkeypatch.setattr(yamlfast, "_BATCH", 1)  # one item a batch: the cuts fall between every item
    assert fast_data(text) == yaml.safe_load(text)


def test_the_reference_case_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "examples/border-crossers-2007/case.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(yamlfast, "_BATCH", 7)
    data = fast_data(text)
    assert data == yaml.safe_load(text)
    assert fast_data(json.dumps(data, default=str)) == json.loads(json.dumps(data, default=str))


@pytest.mark.parametrize(
    "text",
    [
        "{case: {id: c, title: T}}",  # flow style at the top
        "---\ncase: {id: c, title: T}\n",  # document markers
        "case: {id: c, title: T}\ncase: {id: d, title: T}\n",  # a section twice
        "case: {id: c, id: d, title: T}\n",  # a key twice
        '{"case": {"id": "c", "id": "d"}}',  # a key twice, in JSON
        "case: {id: c, title: T}\nwitnesses:\n  - &w {id: W-001}\n  - *w\n",  # an anchor used in another batch
        "  indented: at the top\n",
        "case: [unclosed\n",
    ],
)
def test_what_the_careful_reader_must_read(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfast, "_BATCH", 1)
    assert fast_data(text) is None


def test_progress_follows_the_text_to_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "examples/border-crossers-2007/case.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(yamlfast, "_BATCH", 50)
    seen: list[tuple[int, int]] = []
    parse_casefile(text, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 5 and seen[0] == (0, len(text)) and seen[-1] == (len(text), len(text))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_problems_found_fast_are_reported_with_their_lines() -> None:
    text = "case: {id: c, title: T}\nwitnesses:\n  - id: W-001\n  - id: W-001\n    descriptor: {age: old}\n"
    with pytest.raises(CasefileInvalid) as caught:
        parse_casefile(text)
    lines = {(p.line, p.path) for p in caught.value.problems}
    assert (4, "witnesses[1].id") in lines and (5, "witnesses[1].descriptor.age") in lines


def test_an_exported_case_reads_the_same_line_by_line_and_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from corroborate.ingest import dump_case, read_casefile

    text = dump_case(read_casefile(ROOT / "examples/border-crossers-2007/case.yaml"))
    monkeypatch.setattr(yamlfast, "_BATCH", 5)
    quick = fast_data(text)
    assert quick == yaml.safe_load(text)
    monkeypatch.setattr(yamlfast, "block_items", lambda *_args: None)  # every batch to libyaml
    assert fast_data(text) == quick


def test_a_batch_the_line_reader_refuses_is_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "case: {id: c, title: T}\nexcerpts:\n- id: E-1\n  text: plain\n- id: E-2\n  text: |\n    a block\n"
    monkeypatch.setattr(yamlfast, "_BATCH", 1)
    seen: list[tuple[int, int]] = []
    assert fast_data(text, progress=lambda done, total: seen.append((done, total))) == yaml.safe_load(text)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1] == (len(text), len(text))
