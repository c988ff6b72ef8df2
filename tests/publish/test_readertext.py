"""Reader text: what a reader perceives, mapped back to the characters that were typed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.publish.readertext import reader_text, skeleton_char


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("Ri Chol-min", "Ri Chol-min"),
        ("박   순   옥", "박 순 옥"),
        ("a\n\n  b\u00a0\u00a0c\t d", "a b c d"),
        ("  leading and trailing  ", "leading and trailing "),
        ("리\u200b철\u200c민\u2060", "리철민"),
        ("P\u00adak Sun\ufeff-ok", "Pak Sun-ok"),
        ("\u202eRi\u202c Chol\ufe0f-min\U000e0041", "Ri Chol-min"),
        ("Ｐａｋ Ｓｕｎ－ｏｋ", "Pak Sun-ok"),
        ("𝐑𝐢 𝐂𝐡𝐨𝐥-𝐦𝐢𝐧", "Ri Chol-min"),
        ("Раk Sun-оk", "Pak Sun-ok"),
        ("Κim ΙL Ѕung", "Kim IL Sung"),
        ("ᴘᴀᴋ ꜱᴜɴ-ᴏᴋ", "pak sun-ok"),
        ("Раrк", "Park"),
        ("０１０-１２３４", "010-1234"),
        ("٠١٠ ١٢٣٤", "010 1234"),
        ("ﬁne ①", "fine 1"),
        ("Pak\u3164Sun\u2800ok", "Pak Sun ok"),
        (unicodedata.normalize("NFD", "리철민"), "리철민"),
        ("\u1107\u200b\u1161\u11a8", "박"),
        ("ㅂㅏㄱㅅㅜㄴㅇㅗㄱ", "박순옥"),
        ("ㅂㅏㄱ ㅅㅜㄴ", "박 순"),
        ("ㅊㅚㅁㅕㅇㅎㅢ", "최명희"),
        ("ㅎㅘㅇㄱㅡㅁㅅㅣㄹ", "황금실"),
        ("가ㄱㅏ", "가가"),
        ("\uffa9\uffdc\uffb1", "림"),
        ("ㄱ ㄴ", "ㄱ ㄴ"),
        ("ㄳ", "ㄳ"),
        ("中國 和龍", "中國 和龍"),
    ],
)
def test_text_reads_as_a_reader_sees_it(typed: str, seen: str) -> None:
    assert reader_text(typed).text == seen


def test_offsets_lead_back_to_what_was_typed() -> None:
    typed = "Call Ｐａｋ  at ㅂㅏㄱ\u200b or Раk."
    reader = reader_text(typed)
    assert reader.text == "Call Pak at 박 or Pak."
    for word, original in (("Pak", "Ｐａｋ"), ("박", "ㅂㅏㄱ"), ("Pak.", "Раk.")):
        start = reader.text.index(word) if word != "Pak." else reader.text.rindex(word)
        s, e = reader.span(start, start + len(word))
        assert typed[s:e] == original
    s, e = reader.span(reader.text.index(" at"), reader.text.index(" at") + 1)
    assert typed[s:e] == "  ", "a collapsed space stands for the whole run"


def test_look_alikes_come_from_the_unicode_confusables_data() -> None:
    assert skeleton_char("а") == "a"  # CYRILLIC SMALL LETTER A
    assert skeleton_char("Ι") == "I"  # GREEK CAPITAL LETTER IOTA: TR39 says l, a reader says I
    assert skeleton_char("ӏ") == "i"
    assert skeleton_char("٣") == "3"
    assert skeleton_char("中") == "中" and skeleton_char("ㅣ") == "ㅣ", "Han and Hangul are never folded"
    assert skeleton_char("é") == "é", "accents are the scanner's business, not look-alikes"


_ANY = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list("ㅂㅏㄱ박박 \u200b\u00ad\u3000\uffa9\uffdcРаΙ１")),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_ANY)
def test_any_text_maps_back_inside_itself(typed: str) -> None:
    reader = reader_text(typed)
    assert "  " not in reader.text and not reader.text.startswith(" ")
    previous = 0
    for i in range(len(reader.text)):
        start, end = reader.span(i, i + 1)
        assert 0 <= start < end <= len(typed)
        assert start >= previous or reader.span(i - 1, i)[0] == start, "offsets never go backwards"
        previous = start


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60))
def test_printable_ascii_without_spaces_is_left_alone(typed: str) -> None:
    assert reader_text(typed).text == typed
