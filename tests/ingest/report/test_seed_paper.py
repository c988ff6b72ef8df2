"""Acceptance on the reference paper (Human Rights Watch, 5 March 2007): notes, markers, witnesses, checks."""

from __future__ import annotations

import pytest

from corroborate.ingest.report import ParsedReport

# Where each marker must sit: the text right before it (the offset is just after this text).
MARKER_FOLLOWS = {
    1: "an act of treason.",
    2: "refugees for resettlement.",
    3: "a market economy.",
    6: 'referred to as "border crossers"',
    7: "since December 1981,",
    8: "a party to since 1982.",
    10: "an indefinite term in prison.",
    11: "a 32-year-old man from Samsoo told us.",
    12: 'prison term now."',
    13: 'a nationwide instruction."',
    14: "to kyohwaso [regular prison] for five years.",
    20: "last year [2006].",
    22: '"self-reliance") ideology.',
    25: "Mistreatment at Detention Facilities",
    26: 'inmates for disobedience."',
    27: 'and she came to."',
    30: 'sent home for malnutrition."',
    31: 'to return to his country."',
    33: 'those minimum obligations."',
}
# Numbers in the body that are not markers.
NOT_MARKERS = ["468", "10 months", "2006-07", "16 North Korean", "5,000 to 10,000", "100 times", "13(2)", "12(2)",
               "General Comment 3(10)", "since 2000", "between 2000 and late 2004"]  # fmt: skip


def test_33_notes_numbered_1_to_33(seed: ParsedReport) -> None:
    assert [n.number for n in seed.notes] == list(range(1, 34))


def test_33_markers_in_order(seed: ParsedReport) -> None:
    assert [m.number for m in seed.markers] == list(range(1, 34))
    offsets = [m.offset for m in seed.markers]
    assert offsets == sorted(offsets)


@pytest.mark.parametrize(("number", "before"), sorted(MARKER_FOLLOWS.items()))
def test_each_marker_sits_right_after_the_text_it_closes(
    seed: ParsedReport, reference_paper: str, number: int, before: str
) -> None:
    marker = next(m for m in seed.markers if m.number == number)
    assert reference_paper[: marker.offset].endswith(before)
    assert reference_paper[marker.offset : marker.end] == str(number)


def test_markers_lie_in_the_body_not_in_the_notes(seed: ParsedReport) -> None:
    first_note = min(n.offset for n in seed.notes)
    assert all(m.end <= first_note for m in seed.markers)


@pytest.mark.parametrize("phrase", NOT_MARKERS)
def test_numbers_that_are_not_markers(seed: ParsedReport, reference_paper: str, phrase: str) -> None:
    start = reference_paper.index(phrase)
    inside = [m for m in seed.markers if start <= m.offset < start + len(phrase)]
    assert inside == []


def test_the_bracketed_year_is_not_a_marker(seed: ParsedReport, reference_paper: str) -> None:
    years = [i for i in range(len(reference_paper)) if reference_paper.startswith("[2006]", i)]
    assert years and not any(m.offset - 1 in years or m.offset in years for m in seed.markers)


def test_note_kinds(seed: ParsedReport) -> None:
    kinds = {n.number: n.kind for n in seed.notes}
    assert kinds[7] == kinds[8] == "treaty"
    assert kinds[31] in ("treaty", "un_document")
    assert kinds[32] == kinds[33] == "un_document"
    assert all(kinds[n] == "document" for n in (1, 2, 3, 5, 9, 18, 19, 20, 21, 22, 25))
    assert kinds[6] == "other"
    assert kinds[10] == "ibid"
    interview_notes = [n for n, kind in kinds.items() if kind == "interview"]
    assert interview_notes == [4, 11, 12, 13, 14, 15, 16, 17, 23, 24, 26, 27, 28, 29, 30]


def test_the_explanatory_note_is_kept_with_a_warning(seed: ParsedReport) -> None:
    note = seed.note(6)
    assert note.text.startswith("The North Korean authorities refer to them as")
    assert note.source is None
    assert any(w.startswith("note 6:") for w in seed.warnings)


def test_note_4_cites_an_interview_after_its_explanation(seed: ParsedReport) -> None:
    witness = next(w for w in seed.witnesses if 4 in w.notes)
    assert witness.role == "a resident of a Chinese town bordering North Korea"
    assert witness.nationality == "CN"
    assert witness.origin is None
    assert witness.gender == "female"  # "that she received a phone call"
    assert witness.interview_dates == ["2006-11-28"]


def test_twelve_interviewees_eleven_north_koreans_from_eight_places(seed: ParsedReport) -> None:
    assert len(seed.witnesses) == 12
    north_koreans = [w for w in seed.witnesses if w.nationality == "KP"]
    assert len(north_koreans) == 11
    assert {w.origin for w in north_koreans} == {
        "Samsu", "Musan", "Hoeryong", "Pyongyang", "Chongjin", "Wonsan", "Saebyol", "Haeju",
    }  # fmt: skip


def test_spellings_are_resolved_through_the_gazetteer(seed: ParsedReport) -> None:
    spelled = {w.origin_text: w.origin for w in seed.witnesses if w.origin_text}
    assert spelled["Samsoo"] == "Samsu"
    assert spelled["Chungjin"] == "Chongjin"
    assert spelled["Saebyul"] == "Saebyol"


@pytest.mark.parametrize("pair", [(13, 30), (16, 28), (24, 26)])
def test_repeated_citations_are_one_witness(seed: ParsedReport, pair: tuple[int, int]) -> None:
    first, second = (seed.note(n) for n in pair)
    assert first.source == second.source
    assert first.source is not None and first.source.startswith("W-")
    witness = next(w for w in seed.witnesses if w.id == first.source)
    assert set(pair) <= set(witness.notes)


def test_man_from_hoeryong_is_one_witness_despite_the_capital(seed: ParsedReport) -> None:
    witness = next(w for w in seed.witnesses if w.id == seed.note(30).source)
    assert (witness.gender, witness.origin, witness.age) == ("male", "Hoeryong", 38)
    assert witness.notes == [13, 30]


def test_two_women_from_saebyul_are_two_witnesses(seed: ParsedReport) -> None:
    assert seed.note(23).source != seed.note(27).source
    ages = {w.age for w in seed.witnesses if w.id in (seed.note(23).source, seed.note(27).source)}
    assert ages == {40, 38}


def test_age_bands_are_read(seed: ParsedReport) -> None:
    bands = {w.age_band for w in seed.witnesses if w.age_band}
    assert bands == {"30-39", "50-59"}


def test_ibid_resolves_to_the_previous_document_with_its_pages(seed: ParsedReport) -> None:
    note = seed.note(10)
    assert note.kind == "ibid"
    assert note.source == seed.note(9).source
    assert note.ibid_of == 9
    assert note.pages == "21-22"
    document = next(d for d in seed.documents if d.id == note.source)
    assert document.notes == [1, 9, 10]


def test_interview_dates_span_late_november_to_early_december(seed: ParsedReport) -> None:
    dates = sorted(d for w in seed.witnesses for d in w.interview_dates)
    assert (dates[0], dates[-1]) == ("2006-11-26", "2006-12-02")
    assert {w.interview_country for w in seed.witnesses} == {"CN"}


def test_news_citations(seed: ParsedReport) -> None:
    by_note = {n.number: n for n in seed.notes}
    documents = {d.id: d for d in seed.documents}
    reuters = documents[by_note[2].source or ""]
    assert (reuters.title, reuters.outlet, reuters.date) == (
        "N.Korea accuses South of terror over refugee influx", "Reuters", "2004-07-29",
    )  # fmt: skip
    assert reuters.kind == "news"
    kbs = documents[by_note[3].source or ""]
    assert (kbs.kind, kbs.title, kbs.outlet, kbs.date) == (
        "news", "NK Official Blasts US Human Rights Policy", "KBS Global", "2005-11-05",
    )  # fmt: skip
    assert kbs.url == "http://english.kbs.co.kr/news/newsview_sub.php?menu=8&key=2005110501"
    assert kbs.accessed == "2007-02-13"
    news = [(5, "Globe and Mail (Toronto)", "Geoffrey York"), (18, "The Daily NK", "Ahn Yoon-suk"),
            (19, "The Daily NK", "Han Young-jin"), (21, "The Daily NK", "Shin Ju-hyun")]  # fmt: skip
    for number, outlet, author in news:
        document = documents[by_note[number].source or ""]
        assert document.kind == "news" and document.outlet == outlet and document.authors == [author]
        assert document.title and document.date


def test_note_1_embeds_the_2002_report_with_its_page(seed: ParsedReport) -> None:
    note = seed.note(1)
    document = next(d for d in seed.documents if d.id == note.source)
    assert document.title == "The Invisible Exodus: North Koreans in the People's Republic of China"
    assert document.publisher == "Human Rights Watch"
    assert document.date == "2002-11"
    assert document.volume == "vol. 14, no. 8(C)"
    assert note.pages == "21"


def test_kinu_white_paper_is_cited_twice_with_pages(seed: ParsedReport) -> None:
    assert seed.note(22).source == seed.note(25).source
    document = next(d for d in seed.documents if d.id == seed.note(22).source)
    assert document.publisher == "Korea Institute for National Unification"
    assert document.title == "North Korea Human Rights White Paper 2006"
    assert (seed.note(22).pages, seed.note(25).pages) == ("152-171", "45-57")


def test_good_friends(seed: ParsedReport) -> None:
    document = next(d for d in seed.documents if d.id == seed.note(20).source)
    assert document.publisher == "Good Friends"
    assert document.title == "North Korea Today"
    assert document.date == "2007-01-10"


def test_treaties_and_un_documents(seed: ParsedReport) -> None:
    documents = {d.id: d for d in seed.documents}
    iccpr = documents[seed.note(7).source or ""]
    assert iccpr.title == "International Covenant on Civil and Political Rights"
    assert iccpr.date == "1966-12-16"
    assert seed.note(7).pages == "art. 12(2)"
    assert [documents[s].title for s in seed.note(8).sources] == [
        "Convention relating to the Status of Refugees", "Protocol Relating to the Status of Refugees",
    ]  # fmt: skip
    assert documents[seed.note(31).source or ""].title == "Universal Declaration of Human Rights"
    assert documents[seed.note(32).source or ""].symbol == "E/C.12/1999/5"
    assert documents[seed.note(33).source or ""].date == "1990"


def test_the_check_reports_16_interviewed_11_cited(seed: ParsedReport) -> None:
    check = next(c for c in seed.checks if c.name == "interviewees")
    assert "16 interviewed, 11 cited" in check.message
    assert check.consistent is True


def test_the_check_compares_interview_dates_with_the_stated_period(seed: ParsedReport) -> None:
    check = next(c for c in seed.checks if c.name == "interview_dates")
    assert check.cited == "2006-11-26/2006-12-02"
    assert check.stated == "2006-11-21/2006-12-10"  # "late November and early December 2006"
    assert check.consistent is True


def test_the_check_compares_places_of_origin(seed: ParsedReport) -> None:
    check = next(c for c in seed.checks if c.name == "origins")
    assert (check.stated, check.cited, check.consistent) == ("8", "8", True)


def test_json_has_the_keys_tools_rely_on(seed: ParsedReport) -> None:
    data = seed.to_json()
    assert {"notes", "markers", "witnesses", "documents", "excerpts", "warnings"} <= set(data)
    assert {"number", "kind", "text", "source"} <= set(data["notes"][0])
    assert set(data["markers"][0]) >= {"number", "offset"}
    assert {"id", "gender", "origin", "age", "age_band", "interview_country", "interview_dates", "notes"} <= set(
        data["witnesses"][0]
    )
    assert {"id", "title", "outlet", "date", "url", "notes"} <= set(data["documents"][0])
    assert {"note", "text", "mode"} <= set(data["excerpts"][0])
    assert all(w["gender"] in ("male", "female", None) for w in data["witnesses"])
