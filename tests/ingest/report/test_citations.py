"""Reading single notes: interview citations, document citations, ibid and supra, and notes citing nothing."""

from __future__ import annotations

import pytest

from corroborate.ingest.report.citations import NoteReading, read_note
from corroborate.ingest.report.documents import parse_document_citation
from corroborate.ingest.report.interviews import InterviewCitation, find_interview_citations
from corroborate.ingest.report.notes import RawNote
from corroborate.ingest.report.text import Span


def interviews(text: str) -> list[InterviewCitation]:
    return [c for _, c in find_interview_citations(text)]


def read(text: str, number: int = 1) -> NoteReading:
    return read_note(RawNote(number, Span(0, len(text)), text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Human Rights Watch interview with man from Samsoo, age 32, China, November 28, 2006.",
            {"organisation": "Human Rights Watch", "gender": "male", "origin": "Samsu", "age": 32, "country": "CN",
             "date": "2006-11-28", "nationality": "KP"},
        ),
        (
            "Amnesty International interview with a woman (name withheld), aged 41, from Hyesan, Seoul, 3 May 2012",
            {"organisation": "Amnesty International", "gender": "female", "origin": "Hyesan", "age": 41,
             "country": "KR", "town": "Seoul", "date": "2012-05-03"},
        ),
        (
            "Interview with Kim (pseudonym), 45, from Chongjin, Yanji, China, June 2013.",
            {"organisation": None, "label": "Kim", "age": 45, "origin": "Chongjin", "country": "CN", "town": "Yanji",
             "date": "2013-06"},
        ),
        (
            "NKDB telephone interview with a 29-year-old woman from a village near Hoeryong, Seoul, South Korea, "
            "12 June 2014.",
            {"organisation": "NKDB", "gender": "female", "age": 29, "origin": "Hoeryong", "country": "KR"},
        ),
        (
            "Human Rights Watch interview with man from Musan, in his thirties, China, November 28, 2006.",
            {"age": None, "age_band": "30-39"},
        ),
        (
            "Author's interview with a former soldier from Hyesan, in her late 30s, Bangkok, 2 February 2015.",
            {"organisation": "Author", "role": "a former soldier", "gender": None, "age_band": "37-39",
             "country": "TH"},
        ),
        (
            "Human Rights Watch interview with a resident of a Chinese town bordering North Korea, November 28, 2006.",
            {"role": "a resident of a Chinese town bordering North Korea", "origin": None, "nationality": "CN",
             "country": None},
        ),
        (
            "Interview with a North Korean woman from North Korea, Seoul, 1 March 2015.",
            {"gender": "female", "origin": None, "nationality": "KP"},
        ),
    ],
)  # fmt: skip
def test_interview_citations(text: str, expected: dict[str, object]) -> None:
    (citation,) = interviews(text)
    for field, value in expected.items():
        assert getattr(citation, field) == value, field


def test_several_interviewees_in_one_citation() -> None:
    found = interviews(
        "Human Rights Watch interviews with woman from Musan, age 33, China, November 26, 2006, and man from "
        "Hoeryong, age 38, China, November 27, 2006."
    )
    assert [(c.gender, c.origin, c.age, c.date) for c in found] == [
        ("female", "Musan", 33, "2006-11-26"), ("male", "Hoeryong", 38, "2006-11-27"),
    ]  # fmt: skip


def test_an_unknown_place_of_origin_is_kept_as_written_with_a_problem() -> None:
    (citation,) = interviews("Interview with a woman from Atlantis, 30, Seoul, 1 May 2012.")
    assert (citation.origin, citation.origin_text) == (None, "Atlantis")
    assert citation.problems == ["place of origin 'Atlantis' is not in the gazetteer"]


def test_no_interview_in_prose() -> None:
    assert interviews("The interviews took place in Seoul.") == []
    assert interviews("") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"N.Korea accuses South of terror over refugee influx," Reuters, July 29, 2004.',
            {"kind": "news", "title": "N.Korea accuses South of terror over refugee influx", "outlet": "Reuters",
             "date": "2004-07-29", "authors": []},
        ),
        (
            'Daily NK, "Crackdown on border crossers intensifies", 5 March 2013, '
            "http://www.dailynk.example/read.php?num=1234 (accessed 10 March 2013).",
            {"kind": "news", "outlet": "Daily NK", "url": "http://www.dailynk.example/read.php?num=1234",
             "accessed": "2013-03-10"},
        ),
        (
            "Barbara Smith and Lee Jun, Nothing but Rivers (New York: Example Press, 2009), p. 87.",
            {"kind": "book", "title": "Nothing but Rivers", "authors": ["Barbara Smith", "Lee Jun"],
             "publisher": "Example Press", "date": "2009", "pages": "87"},
        ),
        (
            "UN Human Rights Council, Report of the detailed findings of the commission of inquiry, "
            "A/HRC/25/CRP.1, 7 February 2014, para. 712.",
            {"kind": "un_document", "symbol": "A/HRC/25/CRP.1", "date": "2014-02-07", "pages": "para. 712",
             "authors": ["UN Human Rights Council"]},
        ),
        (
            "Convention relating to the Status of Refugees, 189 U.N.T.S. 150, entered into force April 22, 1954.",
            {"kind": "treaty", "title": "Convention relating to the Status of Refugees", "date": None,
             "symbol": "189 U.N.T.S. 150"},
        ),
    ],
)  # fmt: skip
def test_document_citations(text: str, expected: dict[str, object]) -> None:
    citation = parse_document_citation(text)
    assert citation is not None
    for field, value in expected.items():
        assert getattr(citation, field) == value, field


@pytest.mark.parametrize(
    "text",
    [
        "By a decree of Kim Jong Il promising leniency for people who left for food, penalties were lessened, "
        "effective February 16, 2000.",
        "The report also said that, starting in late December 2006, the authorities increased inspections.",
        "In the winter the rivers' surface freezes and people walk over the ice.",
        "",
    ],
)
def test_prose_is_not_a_document(text: str) -> None:
    assert parse_document_citation(text) is None


def test_a_note_with_explanation_then_citation() -> None:
    reading = read(
        "A Chinese resident told us that she was called by an official. Human Rights Watch interview with a "
        "resident of a Chinese town bordering North Korea, November 28, 2006."
    )
    assert reading.kind == "interview"
    (citation,) = reading.interviews
    assert (citation.gender, citation.nationality) == ("female", "CN")


def test_ibid_with_pages_and_id() -> None:
    assert (read("Ibid. Pp. 21 – 22.").kind, read("Ibid. Pp. 21 – 22.").pages) == ("ibid", "21-22")
    assert read("Ibid., p. 5.").pages == "5"
    assert read("Id.").kind == "ibid"
    assert read("ibid").kind == "ibid"


def test_ibid_followed_by_another_citation() -> None:
    reading = read("Ibid.; Human Rights Watch interview with woman from Musan, age 33, China, November 26, 2006.")
    assert reading.kind == "ibid" and reading.ibid and len(reading.interviews) == 1


def test_supra_note() -> None:
    reading = read("See supra note 2, p. 7.")
    assert (reading.kind, reading.ibid_of, reading.pages) == ("ibid", 2, "7")


def test_a_note_citing_nothing_is_other_with_a_warning() -> None:
    reading = read("The word means river crosser.", number=6)
    assert reading.kind == "other"
    assert reading.warnings() == ["note 6: no citation recognised; kept as 'other'"]


def test_two_treaties_in_one_note() -> None:
    reading = read(
        "Convention relating to the Status of Refugees, 189 U.N.T.S. 150, entered into force April 22, 1954. "
        "Protocol Relating to the Status of Refugees, 606 U.N.T.S. 267, entered into force October 4, 1967."
    )
    assert reading.kind == "treaty"
    assert [d.title for d in reading.documents] == [
        "Convention relating to the Status of Refugees", "Protocol Relating to the Status of Refugees",
    ]  # fmt: skip
