"""Robustness on reports in other common styles (test documents written for these tests, all fictional)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.ingest.report import ParsedReport, WitnessRecord, read_report


def witness_of(report: ParsedReport, note: int, index: int = 0) -> WitnessRecord:
    source = report.note(note).sources[index]
    return next(w for w in report.witnesses if w.id == source)


def through_marker(path: Path, report: ParsedReport, number: int) -> str:
    """The report's text up to the end of a marker."""
    text = path.read_text(encoding="utf-8")
    marker = next(m for m in report.markers if m.number == number)
    return text[: marker.end]


# --------------------------------------------------------- Amnesty style, "ENDNOTES" with "1." numbering


def test_endnotes_heading_with_numbered_notes_and_a_numbered_list_in_the_body(amnesty_style: ParsedReport) -> None:
    assert [n.number for n in amnesty_style.notes] == list(range(1, 14))
    assert [m.number for m in amnesty_style.markers] == list(range(1, 14))
    assert amnesty_style.note(1).text.startswith("Amnesty International, North Korea: Political prison camps")
    assert amnesty_style.title == "North Korea: Sent Back, Locked Up"


def test_hard_wrapped_notes_are_joined(amnesty_style: ParsedReport) -> None:
    assert (
        amnesty_style.note(2).text == "Korean Central News Agency, “Border security to be tightened,” 14 January 2012."
    )


def test_markers_after_curly_quotes_and_in_hard_wrapped_lines(amnesty_style: ParsedReport, data_dir: Path) -> None:
    path = data_dir / "amnesty-style-endnotes.txt"
    assert through_marker(path, amnesty_style, 2).endswith("to border crossers.2")
    assert through_marker(path, amnesty_style, 9).endswith("he was taken.”9")


def test_amnesty_interview_citation(amnesty_style: ParsedReport) -> None:
    witness = witness_of(amnesty_style, 3)
    assert (witness.gender, witness.age, witness.origin) == ("female", 41, "Hyesan")
    assert (witness.organisation, witness.interview_country) == ("Amnesty International", "KR")
    interview = next(i for i in amnesty_style.interviews if i.witness == witness.id)
    assert (interview.town, interview.date) == ("Seoul", "2012-05-03")
    assert witness.notes == [3, 11]


def test_in_his_thirties_and_a_pseudonym_with_a_role(amnesty_style: ParsedReport) -> None:
    assert witness_of(amnesty_style, 4).age_band == "30-39"
    kim = witness_of(amnesty_style, 6)
    assert (kim.label, kim.role, kim.age, kim.origin) == ("Kim", "a former trader", 52, "Hoeryong")
    assert kim.interview_country == "CN"
    assert amnesty_style.note(7).source == kim.id  # Ibid.


def test_diacritics_and_an_unknown_place(amnesty_style: ParsedReport) -> None:
    caller = witness_of(amnesty_style, 9)
    assert (caller.origin, caller.origin_text, caller.age_band) == ("Chongjin", "Ch’ŏngjin", "20-23")
    assert caller.interview_country is None
    assert "note 9: no place of interview given" in amnesty_style.warnings
    unknown = witness_of(amnesty_style, 13)
    assert (unknown.origin, unknown.origin_text) == (None, "Tongsin-ri")
    assert any("'Tongsin-ri' is not in the gazetteer" in w for w in amnesty_style.warnings)


def test_same_day_same_place_different_age_is_another_witness(amnesty_style: ParsedReport) -> None:
    assert amnesty_style.note(11).source == amnesty_style.note(3).source
    assert amnesty_style.note(12).source != amnesty_style.note(3).source


def test_amnesty_documents(amnesty_style: ParsedReport) -> None:
    documents = {d.id: d for d in amnesty_style.documents}
    report = documents[amnesty_style.note(1).source or ""]
    assert (report.publisher, report.date, report.symbol) == (
        "Amnesty International",
        "2011-05-04",
        "Index: ASA 24/001/2011",
    )
    kcna = documents[amnesty_style.note(2).source or ""]
    assert (kcna.kind, kcna.outlet, kcna.title) == (
        "news",
        "Korean Central News Agency",
        "Border security to be tightened",
    )
    un = documents[amnesty_style.note(5).source or ""]
    assert (un.kind, un.symbol, amnesty_style.note(5).pages) == ("un_document", "A/66/322", "para. 41")
    cat = documents[amnesty_style.note(8).source or ""]
    assert cat.title == "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
    assert (cat.kind, cat.date) == ("treaty", "1984-12-10")


def test_amnesty_checks(amnesty_style: ParsedReport) -> None:
    checks = {c.name: c for c in amnesty_style.checks}
    assert checks["interviewees"].message.startswith("17 interviewed, 6 cited")
    assert checks["interview_dates"].consistent is True
    assert checks["interview_dates"].stated == "2012-04/2012-05"


# ---------------------------------------------------------------- bracketed markers "[12]", "Notes" heading


def test_bracketed_markers_and_notes(bracketed: ParsedReport, data_dir: Path) -> None:
    assert [n.number for n in bracketed.notes] == list(range(1, 13))
    assert [m.number for m in bracketed.markers] == list(range(1, 13))
    path = data_dir / "bracketed-notes.md"
    assert through_marker(path, bracketed, 3).endswith('crime" [3]')
    assert bracketed.title == "Testimony Brief No. 4: Families of Returnees"


def test_bracketed_years_and_sic_are_not_markers(bracketed: ParsedReport, data_dir: Path) -> None:
    text = (data_dir / "bracketed-notes.md").read_text(encoding="utf-8")
    assert all(text[m.offset : m.end] == f"[{m.number}]" for m in bracketed.markers)


def test_a_pseudonym_identifies_a_witness_across_interviews(bracketed: ParsedReport) -> None:
    kim = witness_of(bracketed, 5)
    assert kim.label == "Kim" and kim.age == 45 and kim.origin == "Chongjin"
    assert kim.notes == [5, 6, 9]  # note 6 is "Id."
    assert kim.interview_dates == ["2013-06", "2013-07-02"]
    assert len([i for i in bracketed.interviews if i.witness == kim.id]) == 2


def test_one_note_citing_two_interviewees(bracketed: ParsedReport) -> None:
    first, second = witness_of(bracketed, 8, 0), witness_of(bracketed, 8, 1)
    assert (first.origin, first.age, second.origin, second.age) == ("Onsong", 35, "Onsong", 37)
    assert len([e for e in bracketed.excerpts if e.note == 8]) == 2


def test_supra_note_and_a_book(bracketed: ParsedReport) -> None:
    note = bracketed.note(12)
    assert note.kind == "ibid" and note.ibid_of == 2
    assert note.source == bracketed.note(2).source
    book = next(d for d in bracketed.documents if d.id == note.sources[1])
    assert (book.kind, book.title, book.authors, book.publisher, book.date) == (
        "book", "Walls Without Borders", ["Han Dong-ho"], "Hanul Books", "2011",
    )  # fmt: skip
    assert [e.pages for e in bracketed.excerpts if e.note == 12] == [None, "45-48"]


def test_markdown_emphasis_and_block_quotes(bracketed: ParsedReport) -> None:
    assert next(d for d in bracketed.documents if d.id == bracketed.note(1).source).title == (
        "Methodology of the Testimony Briefs"
    )
    quote = next(e for e in bracketed.excerpts if e.note == 5)
    assert quote.text.startswith('"Two men from the security bureau') and quote.mode == "experienced"


def test_number_words_in_the_check(bracketed: ParsedReport) -> None:
    check = next(c for c in bracketed.checks if c.name == "interviewees")
    assert check.message.startswith("12 interviewed, 6 cited")


# ------------------------------------------------------ footnotes at the foot of each page, superscripts


def test_page_footnotes_with_superscript_markers(page_footnotes: ParsedReport) -> None:
    assert [n.number for n in page_footnotes.notes] == list(range(1, 11))
    assert [m.number for m in page_footnotes.markers] == list(range(1, 11))
    assert page_footnotes.title == "Rivers Closed: Testimony on Punishment after Forced Return, 2014–2015"


def test_page_footnotes_leave_the_next_page_as_body(page_footnotes: ParsedReport, data_dir: Path) -> None:
    text = (data_dir / "page-footnotes.txt").read_text(encoding="utf-8")
    page_two = text.index("A man from Cheongjin")
    assert all(not (n.offset < page_two < n.offset + len(n.text) + 10) for n in page_footnotes.notes)
    assert page_footnotes.note(3).text == "Ibid."
    assert through_marker(data_dir / "page-footnotes.txt", page_footnotes, 10).endswith("to 1,200.¹⁰")


def test_author_interviews_with_ages_before_and_after(page_footnotes: ParsedReport) -> None:
    guard = witness_of(page_footnotes, 1)
    assert (guard.gender, guard.role, guard.age_band, guard.origin) == (
        "male",
        "a former border guard",
        "37-39",
        "Hyesan",
    )
    assert guard.interview_country == "TH" and guard.notes == [1, 6]
    woman = witness_of(page_footnotes, 2)
    assert (woman.age, woman.origin, woman.interview_country) == (29, "Hoeryong", "KR")
    assert witness_of(page_footnotes, 4).origin == "Chongjin"  # spelled Cheongjin
    sisters = page_footnotes.note(5).sources
    assert len(sisters) == 2 and sisters[0] != sisters[1]


def test_page_footnotes_modes(page_footnotes: ParsedReport) -> None:
    modes = {e.note: e.mode for e in page_footnotes.excerpts}
    assert modes[4] == "heard_official" and modes[6] == "witnessed" and modes[2] == "experienced"
    assert modes[10] is None  # an explanatory note


def test_an_inconsistent_period_is_reported(page_footnotes: ParsedReport) -> None:
    check = next(c for c in page_footnotes.checks if c.name == "interview_dates")
    assert check.consistent is False
    assert "fall outside" in check.message


def test_reading_a_missing_or_binary_file_is_a_user_error(tmp_path: Path) -> None:
    from corroborate.errors import CasefileInvalid

    with pytest.raises(CasefileInvalid, match="1 problem"):
        read_report(tmp_path / "missing.txt")
    binary = tmp_path / "report.pdf"
    binary.write_bytes(b"%PDF-1.4 \xff\xfe\x00 binary")
    with pytest.raises(CasefileInvalid) as caught:
        read_report(binary)
    assert "not UTF-8 text" in str(caught.value.problems[0])
