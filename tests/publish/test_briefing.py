"""The reference briefing (examples/border-crossers-2007/briefing.yaml) against the reference paper.

The briefing is built straight from the casefile, without a store, the way
the publishing service builds it: restricted identities are stripped first.
Its endnotes must cite the same sources as the paper's, in the same places,
and the interview notes must say what the paper's say (descriptor, country,
date), with "Ibid." wherever one source is cited twice in a row.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from corroborate.analysis import assess_case
from corroborate.domain import AgeBand, Case, Gazetteer, parse_age
from corroborate.ingest import read_casefile
from corroborate.publish.outline import Outline, load_outline
from corroborate.publish.render import Endnote, RenderedBriefing, build_briefing, render_html
from corroborate.publish.styles import load_style

SECTIONS = [
    "Overview",
    "Harsher punishment for crossing the border",
    "Heavier punishment for contact with missionaries",
    "Detention conditions",
    "International law",
    "Recommendations",
]
ADDRESSEES = ["DPRK", "PRC", "donors"]
# The paper's notes on interviews with border crossers; note 25 (in the middle)
# cites a document and is left out by the pattern below.
PAPER_RANGE = [*range(11, 18), *range(23, 31)]
# Documents whose first citation in the briefing must read as the paper's (its
# note may start with an explanation, so the paper's note ends with ours).
SAME_AS_PAPER = [
    "D-hrw-2002",
    "D-reuters-2004-07-29",
    "D-kbs-2005-11-05",
    "D-globeandmail-2006-12-09",
    "D-dailynk-2006-08-29",
    "D-dailynk-2007-02-01",
    "D-dailynk-2007-01-11",
    "D-kinu-2006",
]

_PAPER_NOTE = re.compile(r"^(\d{1,2}) (\S.*?)\s*$", re.M)
_INTERVIEW_NOTE = re.compile(
    r"^Human Rights Watch interview with (?P<gender>man|woman) from (?P<origin>[^,]+), "
    r"(?P<age>age \d+|in (?:his|her) [a-z]+), (?P<country>[A-Z][A-Za-z ]+), "
    r"(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\.$",
    re.I,
)
_IBID = "Ibid."


@dataclass(frozen=True)
class InterviewCitation:
    """What an interview endnote says about its source, compared by meaning, not spelling."""

    gender: str
    origin: str  # gazetteer id: Samsoo and Samsu are one place
    age: AgeBand
    country: str
    date: date


def interview_citation(text: str) -> InterviewCitation:
    m = _INTERVIEW_NOTE.match(text.strip())
    assert m, f"not an interview note in the house style: {text!r}"
    return InterviewCitation(
        gender=m["gender"].lower(),
        origin=Gazetteer.default().lookup(m["origin"]).id,
        age=parse_age(m["age"]),
        country=m["country"],
        date=datetime.strptime(m["date"], "%B %d, %Y").date(),
    )


def _dashes(text: str) -> str:
    """The paper spaces its page-range dashes ("pp. 152 – 171"); compare without."""
    return re.sub(r"\s*[-–]\s*", "–", text)


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def paper_notes(reference_paper: str) -> dict[int, str]:
    """The reference paper's endnotes by number (they follow the recommendations)."""
    tail = reference_paper[reference_paper.rindex("Recommendations") :]
    notes = {int(n): text for n, text in _PAPER_NOTE.findall(tail)}
    assert sorted(notes) == list(range(1, 34)), "the paper's 33 endnotes were not all found"
    return notes


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture(scope="module")
def outline(reference_case_path: Path) -> Outline:
    return load_outline(reference_case_path.parent / "briefing.yaml")


@pytest.fixture(scope="module")
def briefing(case: Case, outline: Outline, reference_case_path: Path) -> RenderedBriefing:
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    style = load_style(outline.style, base=reference_case_path.parent)
    return build_briefing(public, outline, style, assess_case(public))


@pytest.fixture(scope="module")
def page(briefing: RenderedBriefing) -> str:
    return render_html(briefing)


@pytest.fixture(scope="module")
def witness_of_interview(case: Case) -> dict[str, str]:
    return {i.id: i.witness for i in case.interviews}


@pytest.fixture(scope="module")
def paper_interview_notes(paper_notes: dict[int, str], case: Case) -> dict[int, tuple[str, InterviewCitation]]:
    """Paper note number -> (the witness the case codes it as citing, what the note says)."""
    interviews = {i.id: i.witness for i in case.interviews}
    result = {}
    for number in PAPER_RANGE:
        if not _INTERVIEW_NOTE.match(paper_notes[number]):
            continue
        witnesses = {interviews[e.source] for e in case.excerpts if e.note == number and e.source in interviews}
        assert len(witnesses) == 1, f"the case codes paper note {number} as citing {sorted(witnesses)}"
        result[number] = (witnesses.pop(), interview_citation(paper_notes[number]))
    assert sorted(result) == [n for n in PAPER_RANGE if n != 25]
    return result


def _full(notes: list[Endnote]) -> list[Endnote]:
    return [n for n in notes if not n.text.startswith(_IBID)]


# ------------------------------------------------------------- interview notes


def test_interview_notes_say_what_the_papers_say(
    briefing: RenderedBriefing,
    paper_interview_notes: dict[int, tuple[str, InterviewCitation]],
    witness_of_interview: dict[str, str],
) -> None:
    for number, (witness, expected) in paper_interview_notes.items():
        cited = [n for n in briefing.notes if witness_of_interview.get(n.source or "") == witness]
        assert cited, f"paper note {number}: the briefing never cites {witness}"
        full = _full(cited)
        assert full, f"paper note {number}: every citation of {witness} is an Ibid."
        for note in full:
            assert interview_citation(note.text) == expected, (
                f"briefing note {note.number} ({note.text!r}) differs from paper note {number}"
            )


def test_interviews_are_cited_where_the_paper_cites_them(
    briefing: RenderedBriefing,
    paper_interview_notes: dict[int, tuple[str, InterviewCitation]],
    witness_of_interview: dict[str, str],
) -> None:
    """The same witnesses in the same order: first citations and returns (notes 13/30, 16/28, 24/26)."""
    in_paper = [witness for _, (witness, _) in sorted(paper_interview_notes.items())]
    in_briefing = [
        witness_of_interview[n.source]
        for n in _full(briefing.notes)
        if n.source in witness_of_interview and witness_of_interview[n.source] in set(in_paper)
    ]
    assert in_briefing == in_paper


def test_a_repeated_source_is_ibid_with_pages_when_they_differ(briefing: RenderedBriefing) -> None:
    notes = briefing.notes
    repeats = 0
    for previous, note in zip(notes, notes[1:], strict=False):
        if note.source is None or note.source != previous.source:
            assert not note.text.startswith(_IBID), f"note {note.number} is Ibid. after a different source"
            continue
        repeats += 1
        if note.pages and note.pages != previous.pages:
            assert note.text.startswith(f"{_IBID} "), f"note {note.number}: {note.text!r}"
            assert re.findall(r"\d+", note.text) == re.findall(r"\d+", note.pages), f"note {note.number}"
        else:
            assert note.text == _IBID, f"note {note.number}: {note.text!r}"
    assert repeats >= 2, "the briefing should exercise Ibid. for a document and for an interview"


def test_ibid_with_pages_reads_as_the_papers_note_10(briefing: RenderedBriefing, paper_notes: dict[int, str]) -> None:
    """Note 9 cites the HRW 2002 report whole; the next note cites its pages 21-22: 'Ibid. Pp. 21 – 22.'"""
    hrw = [n for n in briefing.notes if n.source == "D-hrw-2002"]
    ibid = [n for n in hrw if n.pages == "21-22"]
    assert len(ibid) == 1
    previous = briefing.notes[ibid[0].number - 2]
    assert previous.source == "D-hrw-2002" and previous.pages is None
    assert ibid[0].text == paper_notes[10]


def test_interview_ibid_follows_the_same_interview(
    briefing: RenderedBriefing, witness_of_interview: dict[str, str]
) -> None:
    interview_ibids = [
        n for n in briefing.notes if n.text == _IBID and n.source in witness_of_interview and n.number > 1
    ]
    assert interview_ibids, "no interview is cited twice in a row"
    for n in interview_ibids:
        assert briefing.notes[n.number - 2].source == n.source


@pytest.mark.parametrize("document", SAME_AS_PAPER)
def test_document_notes_read_as_the_papers(
    document: str, briefing: RenderedBriefing, case: Case, paper_notes: dict[int, str]
) -> None:
    first_in_paper = min(e.note for e in case.excerpts if e.source == document and e.note is not None)
    ours = next((n for n in _full(briefing.notes) if n.source == document), None)
    assert ours is not None, f"the briefing never cites {document}"
    assert _dashes(paper_notes[first_in_paper]).endswith(_dashes(ours.text)), (
        f"briefing note {ours.number} {ours.text!r} vs paper note {first_in_paper} {paper_notes[first_in_paper]!r}"
    )


def test_the_explanatory_note_is_the_authors_own(briefing: RenderedBriefing, paper_notes: dict[int, str]) -> None:
    explanatory = [n for n in briefing.notes if n.source is None]
    assert any("Tumen" in n.text and "Yalu" in n.text for n in explanatory), "note 6 of the paper has no counterpart"
    for n in explanatory:
        assert n.text not in paper_notes.values()
    # The glossary of facility names is the reconstruction's own addition, and says so.
    (glossary,) = [n for n in explanatory if "교화소" in n.text]
    assert "added in this reconstruction" in glossary.text


# ------------------------------------------------------------------ numbering


def test_at_least_30_endnotes_numbered_in_order_with_anchors_and_back_links(
    briefing: RenderedBriefing, page: str
) -> None:
    count = len(briefing.notes)
    assert count >= 30
    assert [n.number for n in briefing.notes] == list(range(1, count + 1))
    markers = [int(n) for n in re.findall(r'href="#note-(\d+)"', page)]
    assert markers == list(range(1, count + 1)), "markers must appear once each, in ascending order"
    for n in markers:
        assert page.count(f'id="note-{n}"') == 1, f"note {n} has no anchor"
        assert page.count(f'id="ref-{n}"') == 1, f"marker {n} has no anchor to come back to"
        assert f'href="#ref-{n}"' in page, f"note {n} has no back-link"
    assert page.index('id="note-1"') > page.index(f'id="ref-{count}"'), "notes come after the text"


def test_every_reference_and_value_is_resolved(page: str, briefing: RenderedBriefing) -> None:
    for leftover in ("[[", "]]", "{{", "}}"):
        assert leftover not in page
        assert leftover not in briefing.text


# ------------------------------------------------------------- structure


def test_sections_follow_the_paper(briefing: RenderedBriefing, page: str) -> None:
    assert [s.heading for s in briefing.sections] == SECTIONS
    positions = [page.index(f"<h2>{html.escape(h)}</h2>") for h in SECTIONS]
    assert positions == sorted(positions)


def test_title_page(outline: Outline, page: str) -> None:
    # A reconstruction, and says so before anything else: it does not speak for the paper's authors.
    assert outline.organisation == "Human Rights Watch"  # who interviewed: the notes say "Human Rights Watch interview"
    assert outline.date is None and outline.style == "hrw" and outline.summary
    assert outline.reconstruction is not None
    assert "North Korea: Harsher Policies against Border-Crossers" in outline.reconstruction.source
    assert "March 5, 2007" in outline.reconstruction.source
    assert "not a Human Rights Watch publication" in outline.reconstruction.statement
    assert outline.title != "North Korea: Harsher Policies against Border-Crossers"
    title_page = page[page.index('<section class="title-page') : page.index("<main>")]
    assert title_page.index("A reconstruction made with Corroborate") < title_page.index("<h1>")
    assert html.escape(outline.title) in title_page


def test_recommendations_list_the_cases_recommendations_to_each_addressee(
    case: Case, outline: Outline, briefing: RenderedBriefing
) -> None:
    section = outline.sections[SECTIONS.index("Recommendations")]
    rendered = briefing.sections[SECTIONS.index("Recommendations")]
    listed = {}
    for block, block_html in zip(section.blocks, rendered.blocks, strict=True):
        if block.recommendations is None:
            continue
        items = re.findall(r"<li>(.*?)</li>", block_html, re.S)
        listed[block.recommendations] = [html.unescape(i) for i in items]
    assert list(listed) == ADDRESSEES
    for addressee in ADDRESSEES:
        expected = [r.text for r in case.recommendations if r.addressee == addressee]
        assert expected, f"the case has no recommendations to {addressee}"
        assert listed[addressee] == expected


def test_computed_counts_come_from_the_case(case: Case, briefing: RenderedBriefing) -> None:
    """The paper interviewed sixteen crossers and cites eleven, plus one Chinese resident; the briefing says so."""
    text = briefing.text
    crossers = sum(1 for w in case.witnesses if w.descriptor.nationality == "KP")
    residents = sum(1 for w in case.witnesses if w.descriptor.nationality == "CN")
    assert (crossers, residents) == (11, 1)  # every witness of the case is cited
    assert f"cites {crossers} of the sixteen border crossers interviewed and {residents} resident" in text
    assessment = assess_case(case).get("policy.crossers.imprisoned")
    witnesses, origins = len(assessment.support.witnesses), len(assessment.support.origins)
    assert f"{witnesses} interviewees from {origins} places of origin" in text


def test_only_consenting_witnesses_words_are_quoted(case: Case, briefing: RenderedBriefing) -> None:
    excerpts = {e.id: e for e in case.excerpts}
    consent = {i.id: i.consent for i in case.interviews}
    direct = {excerpt for excerpt, as_quote in briefing.quoted if as_quote}
    assert len(direct) >= 20
    body = "\n".join(block for s in briefing.sections for block in s.blocks)
    for excerpt_id in direct:
        excerpt = excerpts[excerpt_id]
        assert excerpt.quote, f"{excerpt_id} is a paraphrase, not the witness's words"
        assert consent.get(excerpt.source) == "quote", f"{excerpt_id}: the witness did not consent to quotes"
        assert html.escape(excerpt.text.strip()) in body


# ------------------------------------------------------------------- safety


def test_html_is_self_contained(page: str) -> None:
    """Nothing is fetched when the page is opened: no remote stylesheet, script, font or image."""
    remote = r"""["'(]?\s*(?:https?:)?//"""
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*" + remote, page, re.I)
    assert not re.search(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=\s*" + remote, page, re.I)
    assert not re.search(r"url\(\s*" + remote, page, re.I), "CSS url() to a remote resource (font, image)"
    assert not re.search(r"@import\b", page, re.I)


def test_no_restricted_value_is_rendered(case: Case, briefing: RenderedBriefing, page: str) -> None:
    values = [v for w in case.witnesses if w.restricted is not None for v in w.restricted.values()]
    assert len(values) >= 20, "the reference case should carry invented restricted values to check against"
    folded_page, folded_text = page.casefold(), briefing.text.casefold()
    for value in values:
        v = value.casefold()
        assert v not in folded_text and v not in folded_page and html.escape(v) not in folded_page


# ------------------------------------------------- a reconstruction, faithful to its source


def test_interview_notes_spell_places_as_the_paper_does(briefing: RenderedBriefing) -> None:
    """The paper's spellings (Samsoo, Chungjin, Saebyul) in the notes; the gazetteer knows them as one place."""
    origins = {m["origin"] for n in briefing.notes if (m := _INTERVIEW_NOTE.match(n.text))}
    assert {"Samsoo", "Chungjin", "Saebyul"} <= origins
    assert not {"Samsu", "Chongjin", "Saebyol"} & origins
    assert Gazetteer.default().lookup("Samsoo").id == Gazetteer.default().lookup("Samsu").id


def test_the_gazetteer_spelling_is_the_default(case: Case, outline: Outline, reference_case_path: Path) -> None:
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    plain = outline.model_copy(
        update={"disclosure": outline.disclosure.model_copy(update={"place_spelling": "gazetteer"})}
    )
    notes = build_briefing(public, plain, load_style(plain.style), assess_case(public)).notes
    origins = {m["origin"] for n in notes if (m := _INTERVIEW_NOTE.match(n.text))}
    assert {"Samsu", "Chongjin", "Saebyol"} <= origins and "Samsoo" not in origins


def test_treaty_notes_give_entry_into_force_and_article(briefing: RenderedBriefing) -> None:
    iccpr = next(n for n in briefing.notes if n.source == "D-iccpr art. 12(2)")
    assert iccpr.text.endswith("999 U.N.T.S. 171, entered into force March 23, 1976, art. 12(2).")  # paper note 7
    convention = next(n for n in briefing.notes if n.source == "D-refugee-convention-1951")
    assert "189 U.N.T.S. 150, entered into force April 22, 1954" in convention.text  # paper note 8
    udhr = next(n for n in briefing.notes if n.source == "D-udhr art. 13(2)")
    assert udhr.text.endswith("art. 13(2).")  # paper note 31


def test_computed_values_are_labelled_as_the_tools(briefing: RenderedBriefing, page: str) -> None:
    assert briefing.wording == []
    boxes = re.findall(r'<aside class="tool">(.*?)</aside>', page, re.S)
    assert len(boxes) == 3
    for box in boxes:
        assert "Computed by Corroborate from the coded case, not the source" in html.unescape(box)
    # Every computed value sits in a box; none is left in the paper's voice.
    outside = re.sub(r'<aside class="tool">.*?</aside>', "", page, flags=re.S)
    assert '<span class="computed">' not in outside
    assert "graded established" not in re.sub(r"<[^>]+>", "", outside)


def test_a_reconstruction_refuses_a_computed_value_in_the_sources_voice(
    case: Case, outline: Outline, reference_case_path: Path
) -> None:
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    first = outline.sections[0]
    blocks = [first.blocks[0].model_copy(update={"p": "The finding is {{grade:policy.crossers.imprisoned}}."}),
              *first.blocks[1:]]  # fmt: skip
    changed = outline.model_copy(update={"sections": [first.model_copy(update={"blocks": blocks}),
                                                      *outline.sections[1:]]})  # fmt: skip
    wording = build_briefing(public, changed, load_style(changed.style), assess_case(public)).wording
    assert [(w.where, "tool:" in w.message) for w in wording] == [("section 1, block 1", True)]
    # Without `reconstruction`, the author may write computed values in their own voice.
    own = changed.model_copy(update={"reconstruction": None})
    assert build_briefing(public, own, load_style(own.style), assess_case(public)).wording == []
