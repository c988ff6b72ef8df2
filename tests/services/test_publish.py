"""Publishing end to end: the demo briefing, blocked publications, the PDF as a reader gets it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

import planted
from corroborate import services
from corroborate.cli import app
from corroborate.errors import DisclosureBlocked, Forbidden
from corroborate.ingest import read_casefile
from corroborate.publish.leaks import FIELD_LABELS as LABELS
from corroborate.services import LOCAL_OWNER, Actor, Role, Secrets
from corroborate.services import publish as publishing

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "border-crossers-2007" / "briefing.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> str:
    location = str(tmp_path_factory.mktemp("publish") / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=SECRETS)
    return location


SECRETS = Secrets(passphrase=lambda case: "the passphrase of the case")


@pytest.fixture(scope="module")
def published(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = publishing.publish(store, OUTLINE, out, actor=LOCAL_OWNER, secrets=SECRETS)
    assert result.report.ok and result.notes >= 30
    assert sorted(p.name for p in result.files) == ["briefing.html", "briefing.pdf"]
    return out


def test_the_pdf_has_a_title_page_page_numbers_and_working_note_links(published: Path) -> None:
    reader = PdfReader(published / "briefing.pdf")
    assert len(reader.pages) >= 5
    first = reader.pages[0].extract_text()
    # A reader can tell from the first page that this is a reconstruction, not the paper.
    assert "A RECONSTRUCTION MADE WITH CORROBORATE, NOT THE" in first and "Contents" in first
    assert not first.strip().endswith("1"), "the title page carries no page number"
    for number in (2, 3, len(reader.pages)):
        lines = [line.strip() for line in reader.pages[number - 1].extract_text().splitlines() if line.strip()]
        assert str(number) in lines, f"page {number} shows its number"
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            a = annotation.get_object()
            if a.get("/Subtype") == "/Link" and ("/Dest" in a or ("/A" in a and a["/A"].get("/S") == "/GoTo")):
                internal += 1
    assert internal >= 30 + 6, "every note marker links to its note, every contents line to its section"


def test_the_html_is_self_contained(published: Path) -> None:
    page = (published / "briefing.html").read_text(encoding="utf-8")
    assert "<link" not in page and "<script" not in page and "@import" not in page and "url(" not in page
    assert page.count('href="#note-') >= 30


def planted_outline(tmp_path: Path, paragraph: str, **disclosure: object) -> Path:
    outline = yaml.safe_load(OUTLINE.read_text(encoding="utf-8"))
    outline["sections"][0]["blocks"].append({"p": paragraph})
    outline["disclosure"].update(disclosure)
    path = tmp_path / "outline.yaml"
    path.write_text(yaml.safe_dump(outline, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("field", ["name", "name_hangul", "contacts"])
def test_a_planted_restricted_value_blocks_publication(
    store: str, tmp_path: Path, reference_case_path: Path, field: str
) -> None:
    witness = next(w for w in read_casefile(reference_case_path).witnesses if w.restricted)
    assert witness.restricted is not None
    value = getattr(witness.restricted, field)
    value = value[0] if isinstance(value, list) else value
    outline = planted_outline(tmp_path, f"One of them, {value}, agreed to speak.")
    with pytest.raises(DisclosureBlocked) as info:
        publishing.publish(store, outline, tmp_path / "out", actor=LOCAL_OWNER, secrets=SECRETS)
    report = "\n".join(info.value.problems)
    assert witness.id in report and value not in report
    assert not (tmp_path / "out").exists(), "nothing was written"


def test_k_two_blocks_the_demo_and_names_the_fix(store: str, tmp_path: Path) -> None:
    outline = planted_outline(tmp_path, "Nothing to add.", k=2)
    report = publishing.check_disclosure(store, outline, actor=LOCAL_OWNER, secrets=SECRETS)
    assert not report.ok
    text = "\n".join(report.summary())
    assert re.search(r"W-\d{3}", text), "the report names the witnesses by pseudonym"
    assert "decade" in text or "forties" in text or "month" in text or "province" in text


def test_cli_check_disclosure_and_publish(store: str, tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "CORROBORATE_PASSPHRASE": "the passphrase of the case"})
    result = runner.invoke(app, ["check-disclosure", store, str(OUTLINE)])
    assert result.exit_code == 0, result.stderr
    bad = planted_outline(tmp_path, "Call +86 139 0000 0000.", k=2)
    result = runner.invoke(app, ["check-disclosure", store, str(bad)])
    assert result.exit_code == 2 and "may not be published" in result.stderr
    result = runner.invoke(app, ["publish", store, str(bad), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "nothing was written" in result.stderr and not (tmp_path / "x").exists()
    result = runner.invoke(app, ["publish", store, str(OUTLINE), "--out", str(tmp_path / "y"), "--format", "html"])
    assert result.exit_code == 0 and (tmp_path / "y" / "briefing.html").exists()
    assert not (tmp_path / "y" / "briefing.pdf").exists()


def test_a_role_that_may_not_publish_is_refused_by_the_services_themselves(store: str, tmp_path: Path) -> None:
    """No edge's check in front: an analyst calling the publishing services directly is refused by them, before
    an outline is read (a missing file is not even looked for) and with nothing written."""
    case = "border-crossers-2007"
    analyst = Actor("ana", {case: Role.analyst})
    attempts = {
        "read": lambda: publishing.read_briefings(store, [tmp_path / "missing.yaml"], actor=analyst, case=case),
        "check": lambda: publishing.check_disclosure(store, OUTLINE, actor=analyst, secrets=SECRETS, case=case),
        "publish": lambda: publishing.publish(
            store, OUTLINE, tmp_path / "out", actor=analyst, secrets=SECRETS, case=case
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(Forbidden) as refused:
            attempt()
        assert (refused.value.action, refused.value.case_id) == ("publish", case), name
    assert not (tmp_path / "out").exists()
    (offered,) = publishing.read_briefings(store, [OUTLINE], actor=Actor("eve", {case: Role.editor}), case=case)
    assert offered.path == OUTLINE and "border crossers" in offered.outline.title


# ------------------------------------------------ planted variants, end to end


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The small case of ``planted``, with excerpts quoting the variants planted in block quotes."""
    folder = tmp_path_factory.mktemp("planted")
    path = planted.write(folder / "case.yaml", planted.casefile(planted.quotes()))
    mp = pytest.MonkeyPatch()
    mp.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
    mp.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
    location = str(folder / "store.db")
    services.import_casefile(location, path, actor=LOCAL_OWNER, secrets=SECRETS)
    mp.undo()
    return location


def test_the_small_case_publishes_when_nothing_is_planted(small_store: str, tmp_path: Path) -> None:
    outline = planted.write(tmp_path / "outline.yaml", planted.outline("paragraph", "the Tumen river"))
    result = publishing.publish(small_store, outline, tmp_path / "out", actor=LOCAL_OWNER, secrets=SECRETS)
    assert result.report.ok and result.report.scanned_witnesses == 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["briefing.html", "briefing.pdf"]


@pytest.mark.parametrize(("place", "variant", "witness", "field"), planted.planting(), ids=repr)
def test_every_planted_variant_blocks_publication_and_nothing_is_written(
    small_store: str, tmp_path: Path, place: str, variant: str, witness: str, field: str
) -> None:
    quote = planted.quote_of(variant) if place == "block quote" else None
    outline = planted.write(tmp_path / "outline.yaml", planted.outline(place, variant, quote))
    out = tmp_path / "out"
    with pytest.raises(DisclosureBlocked) as info:
        publishing.publish(small_store, outline, out, actor=LOCAL_OWNER, secrets=SECRETS)
    assert not out.exists(), "nothing was written"
    shown = "\n".join(info.value.problems)
    assert variant not in shown
    found = [line for line in info.value.problems if line.startswith(f"leak: {witness}: restricted {LABELS[field]} (")]
    assert any(" in PDF page " not in line for line in found), f"the HTML scan missed it: {shown}"
    assert any(" in PDF page " in line for line in found), f"the PDF scan missed it: {shown}"


def test_a_blocked_publication_leaves_the_output_folder_as_it_was(small_store: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.html").write_text("an earlier, approved briefing", encoding="utf-8")
    outline = planted.write(tmp_path / "outline.yaml", planted.outline("organisation", "Раk Sun-оk"))
    with pytest.raises(DisclosureBlocked):
        publishing.publish(small_store, outline, out, actor=LOCAL_OWNER, secrets=SECRETS)
    assert [p.name for p in out.iterdir()] == ["briefing.html"]
    assert (out / "briefing.html").read_text(encoding="utf-8") == "an earlier, approved briefing"


def test_broken_wording_blocks_publication_with_its_place(tmp_path: Path) -> None:
    """Issue 10: "One of them, , told us", "interview with, …", a quote with no note, notes run together."""
    location = str(tmp_path / "small.db")
    services.import_casefile(location, planted.write(tmp_path / "case.yaml", planted.casefile({})),
                             actor=LOCAL_OWNER, secrets=SECRETS)  # fmt: skip
    outline = planted.write(tmp_path / "broken.yaml", {
        "title": "Broken", "organisation": "Corroborate Watch",
        "disclosure": {"k": 1, "descriptor_template": "{origin}", "generalise": {"origin": "drop"}},
        "sections": [{"heading": "Overview", "blocks": [
            {"p": "One of them, {{descriptor:W-001}}, told us so.[[X-account]]"},
            {"p": "She said: {{quote:X-account}} Nothing more."},
            {"p": "It happened twice.[[X-account]] [[note: and again later]]"},
        ]}],
    })  # fmt: skip
    out = tmp_path / "out"
    with pytest.raises(DisclosureBlocked) as info:
        publishing.publish(location, outline, out, actor=LOCAL_OWNER, secrets=SECRETS)
    wording = [line for line in info.value.problems if line.startswith("wording:")]
    assert any("section 1, block 1: the description of W-001 is empty" in line for line in wording)
    assert any("section 1, block 1: the endnote citing W-001 describes no one" in line for line in wording)
    assert any("section 1, block 2: the quotation of X-account has no endnote" in line for line in wording)
    assert any("section 1, block 3: two endnote markers" in line for line in wording)
    assert not out.exists()


def test_a_character_no_font_covers_blocks_the_pdf_and_is_named(tmp_path: Path) -> None:
    location = str(tmp_path / "small.db")
    services.import_casefile(location, planted.write(tmp_path / "case.yaml", planted.casefile({})),
                             actor=LOCAL_OWNER, secrets=SECRETS)  # fmt: skip
    outline = planted.write(tmp_path / "glyphs.yaml", {
        "title": "Glyphs", "organisation": "Corroborate Watch", "disclosure": {"k": 1},
        "sections": [{"heading": "Overview", "blocks": [{"p": "A sign: \U00013000, and 교화소."}]}],
    })  # fmt: skip
    out = tmp_path / "out"
    with pytest.raises(DisclosureBlocked) as info:
        publishing.publish(location, outline, out, actor=LOCAL_OWNER, secrets=SECRETS)
    (line,) = [line for line in info.value.problems if "empty boxes" in line]
    assert "PDF page" in line and "U+13000" in line and "AC00" not in line  # the Hangul is covered
    assert not out.exists()
    # HTML alone is not refused for it: the reader's browser picks its own fonts.
    publishing.publish(location, outline, out, actor=LOCAL_OWNER, secrets=SECRETS, formats=("html",))


def test_the_demo_pdf_prints_hangul_with_an_embedded_korean_font(published: Path) -> None:
    reader = PdfReader(published / "briefing.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "교화소" in text and "집결소" in text
    embedded = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            embedded.add(str(font.get_object().get("/BaseFont")))
    assert any("Nanum" in name or "CJK" in name for name in embedded), embedded
