"""The passage each marker closes, its source and its guessed mode."""

from __future__ import annotations

import pytest

from corroborate.ingest.report import ExcerptPassage, ParsedReport, parse_report_text
from corroborate.ingest.report.modes import guess_mode


def excerpt(report: ParsedReport, note: int) -> ExcerptPassage:
    (found,) = [e for e in report.excerpts if e.note == note]
    return found


def test_one_excerpt_per_marker_and_source(seed: ParsedReport) -> None:
    expected = sum(max(1, len(seed.note(m.number).sources)) for m in seed.markers)
    assert len(seed.excerpts) == expected
    assert [e.source for e in seed.excerpts if e.note == 8] == seed.note(8).sources


def test_excerpts_only_reference_existing_notes(seed: ParsedReport) -> None:
    numbers = {n.number for n in seed.notes}
    assert {e.note for e in seed.excerpts} <= numbers


def test_a_sentence_with_its_quotation(seed: ParsedReport) -> None:
    found = excerpt(seed, 11)
    assert found.text.startswith('"I heard from people that border crossers are sent to regular prison')
    assert found.text.endswith("a 32-year-old man from Samsoo told us.")
    assert (found.mode, found.quote) == ("hearsay", True)


def test_a_bare_quotation_takes_its_speaker_along(seed: ParsedReport) -> None:
    found = excerpt(seed, 12)
    assert found.text.startswith("\"I heard at a People's Committee Meeting")
    assert found.text.endswith('"Even first-time offenders get one to five years of prison term now."')
    assert found.mode == "heard_official"


def test_a_passage_never_reaches_back_past_the_previous_marker(seed: ParsedReport) -> None:
    found = excerpt(seed, 13)
    assert found.text.startswith("Another man, from Hoeryong, said,")
    assert found.mode == "heard_official" and found.mode_cue == "state announcement"


@pytest.mark.parametrize(
    ("note", "start", "end"),
    [
        (14, "I attended two days of People's Committee Meeting", "to kyohwaso [regular prison] for five years."),
        (17, "I heard from intelligence officials", "by a military tribunal or dishonorably discharged."),
        (26, "Except for the time when we ate", 'slapped or kicked inmates for disobedience."'),
    ],
)
def test_a_block_quote_is_taken_whole(seed: ParsedReport, note: int, start: str, end: str) -> None:
    found = excerpt(seed, note)
    assert found.text.startswith(start) and found.text.endswith(end)
    assert found.quote is True


def test_a_marker_after_a_comma_closes_the_clause(seed: ParsedReport) -> None:
    found = excerpt(seed, 7)
    assert found.text.startswith("North Korea, which has been a member of the United Nations")
    assert found.text.endswith("since December 1981")
    assert found.mode == "document"


def test_a_heading_marker_closes_the_heading(seed: ParsedReport) -> None:
    assert excerpt(seed, 25).text == "Mistreatment at Detention Facilities"


def test_a_continued_quotation_takes_the_first_part_along(seed: ParsedReport) -> None:
    found = excerpt(seed, 29)
    assert found.text.startswith('"There were about 5,000 to 10,000 people at the camp. I saw a dead body')
    assert found.text.endswith('buried them in the mountain."')
    assert found.mode == "witnessed"


@pytest.mark.parametrize(
    ("note", "mode"),
    [(11, "hearsay"), (12, "heard_official"), (13, "heard_official"), (14, "heard_official"), (15, "heard_official"),
     (16, "heard_official"), (17, "heard_official"), (23, "heard_official"), (24, "heard_official"),
     (26, "experienced"), (27, "witnessed"), (28, "experienced"), (29, "witnessed"), (30, "experienced"),
     (4, "heard_official")],
)  # fmt: skip
def test_modes_from_cues(seed: ParsedReport, note: int, mode: str) -> None:
    assert excerpt(seed, note).mode == mode


def test_document_notes_give_document_excerpts_with_pages(seed: ParsedReport) -> None:
    for number in (1, 2, 3, 5, 9, 10, 18, 19, 20, 21, 22, 25, 31, 32, 33):
        assert excerpt(seed, number).mode == "document"
    assert excerpt(seed, 10).pages == "21-22"
    assert excerpt(seed, 10).source == seed.note(9).source
    assert excerpt(seed, 22).pages == "152-171"


def test_interview_excerpts_are_linked_to_the_witness_and_interview(seed: ParsedReport) -> None:
    first, second = excerpt(seed, 13), excerpt(seed, 30)
    assert first.source == second.source == seed.note(13).source
    assert first.interview == second.interview is not None
    interview = next(i for i in seed.interviews if i.id == first.interview)
    assert (interview.witness, interview.date, interview.notes) == (first.source, "2006-11-27", [13, 30])


def test_a_note_citing_nothing_still_gets_its_passage(seed: ParsedReport) -> None:
    found = excerpt(seed, 6)
    assert found.source is None and found.mode is None
    assert found.text.endswith('referred to as "border crossers"')


def test_excerpt_offsets_point_into_the_text(seed: ParsedReport, reference_paper: str) -> None:
    for found in seed.excerpts:
        marker = next(m for m in seed.markers if m.number == found.note)
        assert found.offset < found.end == marker.offset


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("I saw a man beaten.", "witnessed"),
        ("I heard from people that they were sent away.", "hearsay"),
        ("I heard at a People's Committee Meeting that all crossers are punished.", "heard_official"),
        ("There was a state announcement in October.", "heard_official"),
        ("I received one bowl of corn a day.", "experienced"),
        ("I was told by a neighbour.", "hearsay"),
        ("I was told by a security official that I would be sent to prison.", "heard_official"),
        ("They beat me every night.", "experienced"),
        ("Nothing here says how she knows.", "unstated"),
    ],
)
def test_guess_mode(text: str, mode: str) -> None:
    assert guess_mode(text)[0] == mode


def test_the_default_mode_has_no_cue() -> None:
    assert guess_mode("The weather was cold.") == ("unstated", None)
    assert guess_mode("Plain.", fallback_text="she got a call from a local official")[0] == "heard_official"


def test_combined_markers_close_the_same_passage() -> None:
    report = parse_report_text(
        "A man from Musan told us that he saw the guards beat a woman.1,2\n\n"
        "1 Human Rights Watch interview with man from Musan, age 30, China, May 1, 2010.\n"
        "2 Human Rights Watch interview with woman from Hyesan, age 40, China, May 2, 2010.\n"
    )
    assert [m.number for m in report.markers] == [1, 2]
    texts = {e.note: e.text for e in report.excerpts}
    assert texts[1] == texts[2] == "A man from Musan told us that he saw the guards beat a woman."
