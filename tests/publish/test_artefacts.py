"""The text of finished artefacts, as a reader gets it, part by part and named by where it is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from corroborate.analysis import assess_case
from corroborate.domain import Case, RestrictedIdentity
from corroborate.ingest import read_casefile
from corroborate.publish.artefacts import html_parts, pdf_parts
from corroborate.publish.formtable import FormTable
from corroborate.publish.leaks import LeakScanner
from corroborate.publish.outline import Outline, load_outline
from corroborate.publish.pdf import pdf_bytes
from corroborate.publish.render import build_briefing, render_html
from corroborate.publish.styles import load_style

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import planted  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PAGE = """<!DOCTYPE html><html><head><title>Report on Kim</title>
<meta name="description" content="About Lee"><style>p { color: red } /* Park */</style>
<script>var x = "Choi";</script></head><body>
<section class="title-page"><p class="organisation">Org</p><h1>Title <em>here</em></h1>
<nav class="contents"><ol><li><a href="#section-1">Overview</a></li></ol></nav></section>
<main><section id="section-1"><h2>Overview</h2>
<div class="block" id="section-1-block-1"><p>First <sup><a href="#note-1">1</a></sup> words.</p></div>
<div class="block" id="section-1-block-2"><p class="intro">Said:</p><blockquote><p>Quoted.</p></blockquote>
<span aria-label="a photo of Han">▣</span></div></section>
<section id="notes"><h2>Notes</h2><ol><li id="note-1">A note. <a title="back" href="#ref-1">↩</a></li></ol></section>
</main><!-- a comment about Yun --></body></html>"""


def test_visible_text_and_spoken_attributes_are_named_by_where_they_are() -> None:
    parts = html_parts(PAGE)
    assert parts == [
        ("page title", "Report on Kim"),
        ("document (attribute)", "About Lee"),
        ("title page", "Org"),
        ("title page", "Title here"),
        ("contents", "Overview"),
        ("section 1, heading", "Overview"),
        ("section 1, block 1", "First 1 words."),
        ("section 1, block 2", "Said:"),
        ("section 1, block 2", "Quoted."),
        ("section 1, block 2", "\n▣"),
        ("section 1, block 2 (attribute)", "a photo of Han"),
        ("notes", "Notes"),
        ("note 1", "A note. ↩"),
        ("note 1 (attribute)", "back"),
    ]


@pytest.fixture(scope="module")
def reference(reference_case_path: Path) -> tuple[Case, str]:
    case = read_casefile(reference_case_path)
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    outline = load_outline(ROOT / "examples" / "border-crossers-2007" / "briefing.yaml")
    briefing = build_briefing(public, outline, load_style(outline.style), assess_case(public))
    return case, render_html(briefing)


def test_the_reference_briefing_is_labelled_without_quoting_its_headings(reference: tuple[Case, str]) -> None:
    _, page = reference
    labels = [label for label, _ in html_parts(page)]
    for expected in ("page title", "title page", "contents", "section 1, heading", "section 2, block 3", "note 30"):
        assert expected in labels
    assert not any("(" in label and "attribute" not in label for label in labels)


def test_the_reference_briefing_leaks_nothing_in_its_html(reference: tuple[Case, str]) -> None:
    case, page = reference
    restricted = {w.id: w.restricted for w in case.witnesses if w.restricted is not None}
    table = FormTable.build(restricted)
    for scanner in (LeakScanner.from_table(table), LeakScanner.from_table(table.keyed(b"0123456789abcdef"))):
        assert [str(leak) for label, text in html_parts(page) for leak in scanner.scan(text)] == []


def test_a_pdf_is_read_page_by_page_as_a_viewer_reads_it(reference: tuple[Case, str]) -> None:
    _, page = reference
    # The reconstruction's label on the title page is set in capitals, letter-spaced.
    label = ">A reconstruction made with Corroborate, not the original publication<"
    assert label in page
    page = page.replace(label, ">Pak Sun-ok Group<").replace("North Korea now", "박순옥 and Ri Chol-min")
    parts = pdf_parts(pdf_bytes(page))
    assert [label for label, _ in parts] == [f"PDF page {n}" for n in range(1, len(parts) + 1)]
    text = "\n".join(t for _, t in parts)
    assert "PAK SUN-OK GROUP" in text, "the title page's capitals, letter-spaced, come out whole"
    assert "박순옥" in text and "Ri Chol-min" in text


# ------------------------------------------- every planted variant, in the HTML, keyed


@pytest.fixture(scope="module")
def small_case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    path = planted.write(tmp_path_factory.mktemp("planted") / "case.yaml", planted.casefile(planted.quotes()))
    return read_casefile(path)


@pytest.fixture(scope="module")
def keyed(small_case: Case) -> LeakScanner:
    restricted = {w.id: w.restricted for w in small_case.witnesses if w.restricted is not None}
    return LeakScanner.from_table(FormTable.build(restricted).keyed(b"the case's scan secret"))


@pytest.mark.parametrize(("place", "variant", "witness", "field"), planted.planting(), ids=repr)
def test_every_planted_variant_is_found_in_the_html_by_the_keyed_table(
    small_case: Case, keyed: LeakScanner, place: str, variant: str, witness: str, field: str
) -> None:
    quote = planted.quote_of(variant) if place == "block quote" else None
    outline = Outline.model_validate(planted.outline(place, variant, quote))
    public = small_case.model_copy(
        update={"witnesses": [w.model_copy(update={"restricted": None}) for w in small_case.witnesses]}
    )
    page = render_html(build_briefing(public, outline, load_style(outline.style), assess_case(public)))
    restricted: dict[str, RestrictedIdentity] = {w.id: w.restricted for w in small_case.witnesses if w.restricted}
    clear = LeakScanner(restricted)
    hits = [(label, leak) for label, text in html_parts(page) for leak in clear.scan(text)]
    assert any((leak.witness, leak.field) == (witness, field) for _, leak in hits), [str(h) for _, h in hits]
    keyed_hits = [(label, leak) for label, text in html_parts(page) for leak in keyed.scan(text)]
    assert [(label, leak.start, leak.end) for label, leak in keyed_hits] == [
        (label, leak.start, leak.end) for label, leak in hits
    ]
    assert all(not leak.witness and not leak.field for _, leak in keyed_hits)
