"""Splitting body and notes: numbered lines, headings, brackets, superscripts, gaps and stray numbers."""

from __future__ import annotations

from corroborate.ingest.report.notes import split_notes


def numbers(text: str) -> list[int]:
    return [n.number for n in split_notes(text).notes]


def test_numbered_lines_at_the_end() -> None:
    text = "Body.1 More body.2\n\n1 First note.\n\n2 Second note.\n"
    split = split_notes(text)
    assert [(n.number, n.text) for n in split.notes] == [(1, "First note."), (2, "Second note.")]
    assert text[split.notes[0].span.start : split.notes[0].span.end] == "1 First note."


def test_body_lines_that_start_with_a_number_are_not_notes() -> None:
    text = "16 North Korean border crossers were interviewed.\n\n1 First note.\n2 Second note.\n3 Third note.\n"
    assert numbers(text) == [1, 2, 3]


def test_numbered_list_in_the_body_before_a_notes_heading() -> None:
    text = "1. Stop.\n2. Release.\n3. Allow.\n4. Resume.\n\nNotes\n\n1. A source, 2001.\n2. Another, 2002.\n"
    split = split_notes(text)
    assert [n.text for n in split.notes] == ["A source, 2001.", "Another, 2002."]


def test_a_table_of_contents_heading_does_not_hide_the_real_notes() -> None:
    text = "Contents\nNotes\n\nBody.1\n\n1. Item one.\n2. Item two.\n\nNotes\n\n1. Real one.\n2. Real two.\n"
    assert [n.text for n in split_notes(text).notes] == ["Real one.", "Real two."]


def test_bracketed_markdown_and_superscript_notes() -> None:
    assert numbers("x\n\n[1] One.\n[2] Two.\n") == [1, 2]
    assert numbers("x\n\n[^1]: One.\n[^2]: Two.\n") == [1, 2]
    assert numbers("x\n\n¹ One.\n² Two.\n³ Three.\n") == [1, 2, 3]
    assert numbers("x\n\n1) One.\n2) Two.\n") == [1, 2]


def test_wrapped_notes_are_joined_and_stop_at_a_blank_line() -> None:
    text = "Body.\n\n1 A long note\n   that goes on.\n2 The last note.\n\nCopyright notice: nobody.\n"
    split = split_notes(text)
    assert [n.text for n in split.notes] == ["A long note that goes on.", "The last note."]


def test_footnotes_at_the_foot_of_each_page() -> None:
    text = "Page one.¹\n_______\n¹ First.\f\nPage two.² Again.³\n_______\n² Second.\n³ Third.\f"
    split = split_notes(text)
    assert [n.text for n in split.notes] == ["First.", "Second.", "Third."]
    assert "Page two" not in " ".join(n.text for n in split.notes)


def test_a_missing_note_is_tolerated_and_reported() -> None:
    split = split_notes("Body.\n\n1 One.\n2 Two.\n4 Four.\n5 Five.\n")
    assert [n.number for n in split.notes] == [1, 2, 4, 5]
    assert split.warnings == ["note 3 not found between notes 2 and 4"]


def test_a_numbered_line_far_out_of_sequence_ends_the_chain() -> None:
    assert numbers("Body.\n\n1 One.\n2 Two.\n\n2006 was a hard year for everyone.\n") == [1, 2]


def test_no_notes() -> None:
    assert split_notes("Just a paragraph with 3 numbers in 2006.").notes == []
    assert split_notes("").notes == []
    assert numbers("7 dwarfs went home.\n") == []


def test_notes_starting_after_one_are_kept_with_a_warning() -> None:
    split = split_notes("Body.\n\n45 One.\n46 Two.\n47 Three.\n")
    assert [n.number for n in split.notes] == [45, 46, 47]
    assert split.warnings == ["the notes start at 45, not 1"]
