"""The line reader gives exactly what yaml.safe_load gives, or refuses the batch (libyaml then reads it)."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.ingest.blockyaml import UNPLAIN, block_items
from corroborate.ingest.yamlfast import _load


def _safe_load(text: str) -> tuple[bool, object]:
    try:
        return True, yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):
        return False, None


def _read(text: str) -> list[object] | None:
    return block_items(text.splitlines(keepends=True), _load)


def _same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (1 is not True, a date is not a string)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    return a == b


READ = [
    "- id: a\n  b: c\n",
    "- id: a\n  b:\n  - x\n  - y\n  c: d\n",  # an indentless sequence as a value
    "- id: a\n  b:\n    - x\n  c:\n- id: b\n",  # an indented one, and a key with no value
    "- a\n- 'it''s'\n- \"q: #\"\n",
    "- id: a # a comment\n  t: 'x' # another\n  u: a#b\n  v: key:value\n",
    "- id: a\n\n  # a comment\n# at the margin\n  b: c   \n",
    "  - id: a\n    b: c\n  - id: d\n",  # items indented under their section
    "-   id: a\n    b: c\n",
    "- {id: a, b: [1, 2]}\n- [a, b]\n- id: {type: category, values: [x, y]} # flow\n",
    "- id: yes\n  n: no\n  x: ~\n  y: null\n  z: 1\n  w: 1.5\n  v: 2006-01-02\n  u: 0x1F\n  t: 1_000\n  s: 12:30\n",
    "- id: .inf\n  a: -3\n  b: +3\n  c: '2006'\n  d: 2006-06\n  e: 2002-12-14t21:59:43.10-05:00\n  f: 017\n",
    "- id: -a\n  b: ?a\n  c: :a\n  d: café 청진\n  e: ''\n  f: \"\"\n  g: ~a\n  h: .a\n",
    "- id: a\n  b:\n    c:\n      d: e\n    f: g\n  h:\n  - c: d\n    e: f\n  - g\n",
]
REFUSED = [
    "- yes: 1\n",  # a key that is not a string
    "- id: a\n  id: b\n",  # a key twice
    "- id: a\n  text: some\n    continued\n",  # a plain scalar over two lines
    "- id: a\n  text: 'some\n    continued'\n",
    "- id: a\n  text: |\n    block\n",
    "- id: a\n  text: >-\n    folded\n",
    "- id: &x a\n  b: *x\n",
    "- id: !!str 1\n",
    "- id: [a,\n    b]\n",
    "- - a\n",
    "-\n  id: a\n",
    '- id: "a\\tb"\n',
    "- <<: {a: b}\n",
    "- id: a: b\n",  # not YAML at all
    "- id: 2006-13-45\n",  # a date that cannot be
    "- id: a\n   b: c\n",
    "- id: a\twith a tab\n",
    "- id: a\r\n",
    "- id: no newline at the end",
]


@pytest.mark.parametrize("text", READ)
def test_reads_the_plain_shapes_as_safe_load_does(text: str) -> None:
    ok, expected = _safe_load(text)
    assert ok
    got = _read(text)
    assert got is not None and _same(got, expected)


@pytest.mark.parametrize("text", REFUSED)
def test_leaves_everything_else_to_libyaml(text: str) -> None:
    assert _read(text) is None


def test_typed_values_are_built_by_pyyaml() -> None:
    got = _read("- d: 2006-01-02\n  n: 7\n  b: on\n")
    assert got == [{"d": date(2006, 1, 2), "n": 7, "b": True}]


def test_line_breaks_python_and_yaml_disagree_on_are_unplain() -> None:
    for odd in ("\x85", "\u2028", "\u2029", "\ufeff", "\x0b", "\x1c"):
        assert UNPLAIN.search(f"- id: a{odd}b\n") is not None
    assert UNPLAIN.search("- id: 청진 café ’\n") is None


_KEYS = st.sampled_from(["id", "text", "b", "yes", "on", "n", "A_1", "1", "'q'", "<<", "-x", "k k"])
_VALUES = st.sampled_from(
    [
        "", "a", "a b", "a#b", "a #c", "a: b", "a:", ":a", "-a", "- a", "-", "?a", "'q'", "'it''s'", "'open",
        '"dq"', '"a\\n"', "yes", "No", "~", "null", "12", "-3", "1.5", "0x1F", "12:30", "2006-01-02",
        "2006-13-01", "2006", "[a, b]", "{a: b}", "[a", "&x a", "*x", "!!str a", "|", ">-", "# c", "청진",
        "a  ", "'a' # c", "'a' b", "@a", "%a", "`a", "{a: b, a: c}",
    ]
)  # fmt: skip


@st.composite
def _lines(draw: st.DrawFn) -> str:
    out = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 1, 3, 6]))
        dash = draw(st.sampled_from(["", "", "- ", "-   ", "-"]))
        kind = draw(st.sampled_from(["key", "key", "key", "scalar", "comment", "blank"]))
        if kind == "comment":
            out.append(f"{indent}# {draw(_VALUES)}")
        elif kind == "blank":
            out.append(indent)
        elif kind == "scalar":
            out.append(f"{indent}{dash}{draw(_VALUES)}")
        else:
            value = draw(_VALUES)
            out.append(f"{indent}{dash}{draw(_KEYS)}:{' ' if value else ''}{value}")
    return "\n".join(out) + "\n"


@settings(max_examples=300, deadline=None)
@given(_lines())
def test_never_reads_anything_other_than_safe_load(text: str) -> None:
    got = _read(text)
    if got is None:
        return
    ok, expected = _safe_load(text)
    assert ok and _same(got, expected), text
