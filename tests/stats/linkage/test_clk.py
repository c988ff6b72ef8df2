"""Keyed Bloom-filter encodings (CLK): alike spellings stay alike, another secret or salt makes them
unrelated, and the filters travel as base64 text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corroborate.stats.linkage.clk import BITS, ClkField, ClkSchema, decode_clk, dice, encode_clk, encoded_text

SECRET = b"shared among the organisations only, 32B"
SCHEMA = ClkSchema((ClkField("family", k=20), ClkField("given", k=20), ClkField("sex", k=10, bigrams=False),
                    ClkField("born", k=15, bigrams=False)))  # fmt: skip


def clk(family: str, given: str, sex: str = "m", born: str = "1971", *, secret: bytes = SECRET) -> bytes:
    return encode_clk({"family": family, "given": given, "sex": sex, "born": born}, SCHEMA, secret)


def test_one_record_one_filter_the_same_every_time() -> None:
    first = clk("kim", "youngchol")
    assert len(first) * 8 == BITS and first == clk("Kim", " Young chol ")  # case and spaces do not count
    assert dice(first, first) == 1.0
    ones = int.from_bytes(first, "big").bit_count()
    assert 0 < ones <= 20 * (4 + 10) + 10 + 15  # bigrams of "_kim_" and "_youngchol_", sex, year


def test_spellings_of_one_name_stay_closer_than_other_names() -> None:
    same = dice(clk("kim", "youngchol"), clk("kim", "yeongcheol"))
    other = dice(clk("kim", "youngchol"), clk("pak", "myongsu"))
    assert same > 0.7 > 0.5 > other
    assert dice(clk("kim", "youngchol", born="1971"), clk("kim", "youngchol", born="1972")) > 0.85  # one field off


def test_without_the_secret_the_bits_mean_nothing() -> None:
    mine, theirs = clk("kim", "youngchol"), clk("kim", "youngchol", secret=b"another linkage's own secret, 32B")
    assert dice(mine, theirs) < 0.35  # what two unrelated filters of that many bits share by chance
    with pytest.raises(ValueError, match="at least 16 bytes"):
        clk("kim", "youngchol", secret=b"short")


def test_a_salt_field_makes_the_same_name_unrelated_across_its_values() -> None:
    salted = ClkSchema((ClkField("family"), ClkField("given")), salt="born")
    same_year = [encode_clk({"family": "kim", "given": "youngchol", "born": "1971"}, salted, SECRET) for _ in "ab"]
    next_year = encode_clk({"family": "kim", "given": "youngchol", "born": "1972"}, salted, SECRET)
    assert dice(*same_year) == 1.0 and dice(same_year[0], next_year) < 0.35
    with pytest.raises(ValueError, match="salt field"):
        ClkSchema((ClkField("born"),), salt="born")


def test_missing_fields_set_no_bit_and_filters_travel_as_base64() -> None:
    empty = encode_clk({}, SCHEMA, SECRET)
    assert empty == bytes(BITS // 8) and dice(empty, empty) == 0.0
    one = clk("kim", "youngchol")
    assert decode_clk(encoded_text(one)) == one
    for bad in ("not base64!", encoded_text(one[:-1])):
        with pytest.raises(ValueError):
            decode_clk(bad)
    with pytest.raises(ValueError, match="different lengths"):
        dice(one, one[:-1])


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_dice_is_symmetric_and_between_0_and_1(a: str, b: str) -> None:
    x, y = clk(a, a), clk(b, b)
    assert dice(x, y) == dice(y, x) and 0.0 <= dice(x, y) <= 1.0
