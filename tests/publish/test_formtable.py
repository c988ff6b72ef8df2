"""The form table: restricted values as forms, clear or keyed, and a scan that needs no plaintext."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from corroborate.domain import Case, RestrictedIdentity
from corroborate.ingest import read_casefile
from corroborate.publish.formtable import FormTable
from corroborate.publish.leaks import LeakScanner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import planted  # noqa: E402

SECRET = b"a secret only the case key unlocks"


@pytest.fixture(scope="module")
def restricted(reference_case_path: Path) -> dict[str, RestrictedIdentity]:
    case: Case = read_casefile(reference_case_path)
    return {w.id: w.restricted for w in case.witnesses if w.restricted is not None}


@pytest.fixture(scope="module")
def table(restricted: dict[str, RestrictedIdentity]) -> FormTable:
    return FormTable.build(restricted)


def test_a_table_maps_forms_to_needles(table: FormTable) -> None:
    assert table.witnesses == 6 and not table.is_keyed
    prefix, entries = table.get("t:richolmin") or (None, ())
    assert entries and {table.needles[n].witness for n, _ in entries} == {"W-002"}
    assert table.get("t:ri") is not None and table.get("t:ri")[0], "a prefix leads on"  # type: ignore[index]
    assert table.get("c:리철민") is not None and table.get("p:13055500147") is not None
    assert table.get("d:1974-03-15") is not None
    assert table.get("t:kimjongil") is None


def test_a_keyed_table_holds_no_restricted_value(table: FormTable, restricted: dict[str, RestrictedIdentity]) -> None:
    keyed = table.keyed(SECRET)
    assert keyed.is_keyed and len(keyed) == len(table) and keyed.witnesses == table.witnesses
    assert keyed.get("t:richolmin") is not None and keyed.get("t:richolmin") != table.get("t:richolmin")
    assert all(n.witness is None and n.field is None and n.detail is None for n in keyed.needles)
    stored = keyed.to_bytes()
    for witness, identity in restricted.items():
        assert witness.encode() not in stored
        for value in identity.values():
            for piece in [value, *value.split()]:
                if len(piece) >= 4:
                    assert piece.encode("utf-8") not in stored and piece.lower().encode("utf-8") not in stored
    for form in ("richolmin", "리철민", "13055500147", "1974-03-15", "helong"):
        assert form.encode("utf-8") not in stored


def test_a_keyed_table_is_stored_and_read_back_only_with_its_secret(table: FormTable) -> None:
    stored = table.keyed(SECRET).to_bytes()
    again = FormTable.from_bytes(stored, secret=SECRET)
    assert again.is_keyed and len(again) == len(table) and again.get("t:richolmin") is not None
    with pytest.raises(ValueError, match="not the secret"):
        FormTable.from_bytes(stored, secret=b"another secret of sixteen bytes or more")
    with pytest.raises(ValueError, match="needs its secret"):
        FormTable.from_bytes(stored)
    with pytest.raises(ValueError):
        FormTable.from_bytes(stored[:-7], secret=SECRET)
    with pytest.raises(ValueError, match="not a form table"):
        FormTable.from_bytes(b"something else", secret=SECRET)
    with pytest.raises(ValueError, match="at least 16 bytes"):
        table.keyed(b"short")
    with pytest.raises(ValueError, match="keyed already"):
        table.keyed(SECRET).keyed(SECRET)


def test_a_clear_table_round_trips(table: FormTable) -> None:
    again = FormTable.from_bytes(table.to_bytes())
    assert not again.is_keyed and again.needles == table.needles and len(again) == len(table)


def test_keying_shuffles_needles_so_their_order_says_nothing(table: FormTable) -> None:
    orders = {tuple(n.kind for n in table.keyed(SECRET).needles) for _ in range(5)}
    assert len(orders) > 1


def _spans(scanner: LeakScanner, text: str) -> list[tuple[int, int]]:
    return [(leak.start, leak.end) for leak in scanner.scan(text)]


def test_a_keyed_scan_finds_the_same_spans_and_says_only_that_something_is_there(table: FormTable) -> None:
    clear = LeakScanner.from_table(table)
    keyed = LeakScanner.from_table(FormTable.from_bytes(table.keyed(SECRET).to_bytes(), secret=SECRET))
    text = (
        "We met Lee Cheol-min (리 철 민) on 15 March 1974 near Hélóng, Jílín; call +86 130 5550 0147 "
        "or ask for Grandmother Раk in 吉林省珲春市. Kim Jong Il and Jong-il Kim were not there."
    )
    assert _spans(keyed, text) == _spans(clear, text) and len(_spans(clear, text)) >= 6
    for leak in keyed.scan(text, where=lambda offset: "section 1, block 2"):
        assert (leak.witness, leak.field, leak.detail) == ("", "", "restricted value")
        assert str(leak).startswith("a restricted value in section 1, block 2")


def test_every_planted_variant_is_found_by_the_keyed_table() -> None:
    identities = {w: RestrictedIdentity.model_validate(r) for w, r in planted.RESTRICTED.items()}
    table = FormTable.build(identities)
    clear, keyed = LeakScanner.from_table(table), LeakScanner.from_table(table.keyed(SECRET))
    for variant, witness, field in planted.VARIANTS:
        text = f"We were told of {variant} in the autumn."
        found = clear.scan(text)
        assert any((leak.witness, leak.field) == (witness, field) for leak in found), variant
        assert _spans(keyed, text) == [(leak.start, leak.end) for leak in found], variant


def test_the_reference_paper_passes_a_keyed_scan(table: FormTable, reference_paper: str) -> None:
    assert LeakScanner.from_table(table.keyed(SECRET)).scan(reference_paper) == []
