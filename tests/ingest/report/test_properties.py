"""Properties: arbitrary text never crashes the parser, and every note found is accounted for."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.ingest.report import ParsedReport, parse_report_text

# Text made of the pieces reports are made of, so that notes, markers and citations actually occur.
PIECES = st.sampled_from(
    [
        "\n", "\n\n", " ", ".", ",", '"', "“", "”", "[", "]", "(", ")", "\f", "_____", "Notes", "ENDNOTES", "¹", "²",
        "³", "1", "2", "3", "12", "2006", "5,000", "Ibid.", "Id.", "supra note 2", "told us.", "Facilities",
        "Human Rights Watch interview with ", "woman from Musan, age 33, China, November 26, 2006",
        "a man (name withheld), in his thirties, from Hyesan, Seoul, 3 May 2012", "Kim (pseudonym), ",
        '"Title," Reuters, July 29, 2004', "http://example.org/a1", "I saw", "I heard", "pp. 21 – 22",
        "Convention relating to the Status of Refugees, 189 U.N.T.S. 150", "interviewed 16 North Korean ",
        "in late November and early December 2006", "from eight different locations",
    ]
)  # fmt: skip
REPORTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=80).map("".join)


def accounted_for(report: ParsedReport, text: str) -> None:
    numbers = [n.number for n in report.notes]
    assert len(numbers) == len(set(numbers)), "a note number appears twice"
    assert numbers == sorted(numbers)
    assert {m.number for m in report.markers} <= set(numbers)
    assert [m.number for m in report.markers] == sorted({m.number for m in report.markers})
    assert {e.note for e in report.excerpts} <= set(numbers)
    sources = {w.id for w in report.witnesses} | {d.id for d in report.documents}
    for note in report.notes:
        assert set(note.sources) <= sources
        assert note.source == (note.sources[0] if note.sources else None)
    for witness in report.witnesses:
        assert set(witness.notes) <= set(numbers)
    for marker in report.markers:
        assert 0 <= marker.offset < marker.end <= len(text)
    for excerpt in report.excerpts:
        assert excerpt.text and 0 <= excerpt.offset <= excerpt.end <= len(text)
        assert excerpt.source is None or excerpt.source in sources
    report.to_json()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTS)
def test_report_like_text_never_crashes_and_every_note_is_accounted_for(text: str) -> None:
    accounted_for(parse_report_text(text), text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    accounted_for(parse_report_text(text), text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["told us.", 'now."', "Facilities", "1981,", "[x]"]), min_size=1, max_size=30))
def test_every_note_with_a_glued_marker_is_found_in_order(closers: list[str]) -> None:
    body = " ".join(f"Sentence {i} {closer}{i}" for i, closer in enumerate(closers, start=1))
    notes = "\n".join(f"{i} Note number {i}." for i in range(1, len(closers) + 1))
    report = parse_report_text(f"{body}\n\n{notes}\n")
    assert [n.number for n in report.notes] == list(range(1, len(closers) + 1))
    assert [m.number for m in report.markers] == list(range(1, len(closers) + 1))


def test_long_paragraphs_with_unclosed_quotes_stay_fast() -> None:
    """Guards against patterns that backtrack: this took minutes with a nested-repetition pattern."""
    paragraph = '"' + "ab cd, " * 5000 + "told us.1"
    report = parse_report_text(
        f"{paragraph}\n\n1 Human Rights Watch interview with man from Musan, age 30, China, May 1, 2010.\n"
    )
    assert [m.number for m in report.markers] == [1]
    assert report.excerpts[0].quote is False
