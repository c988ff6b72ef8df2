"""The issue's acceptance flows in the browser, on a store of their own (they change it): an investigator
adds an interview and an excerpt; an analyst accepts a coding suggestion and sees the proposition's witness
count and grade change on the page; an owner drafts a briefing paragraph that names a witness and sees the
publication blocked with the reason; anyone switches the interface to Korean and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import CASE, Browsing, Served, make_store, open_browsing, serve, sign_in

from corroborate import services
from corroborate.services import LOCAL_OWNER, Secrets
from support import PASSPHRASE, REFERENCE_CASE, ROOT

OUTLINE = ROOT / "examples" / "border-crossers-2007" / "briefing.yaml"
TEXT = "The guards at the holding centre beat us with sticks every day."
BEATINGS = "detention.beatings"  # one witness (W-010, Musan) in the reference case: a single source


TRANSCRIPT = "Q: Where were you held?\r\nA: 온성 집결소 🙏 — the guards beat us there every night.\r\n"


@pytest.fixture(scope="module")
def flow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("flows")
    location = make_store(folder, REFERENCE_CASE)
    (folder / "transcript.txt").write_bytes(TRANSCRIPT.encode("utf-8"))
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=folder / "sessions")
    services.attach(location, "I-002", folder / "transcript.txt", actor=LOCAL_OWNER, secrets=secrets)
    yield from serve(location, briefings=(OUTLINE,), publish_dir=folder / "published")


@pytest.fixture
def flows(browser: Any, flow_server: Served, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    yield from open_browsing(browser, flow_server, request)


def sign_out(page: Any) -> None:
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")


def test_add_code_and_see_the_grade_change(flows: Browsing) -> None:
    page = flows.new_page()
    sign_in(flows, page, "investigator")
    flows.visit(page, f"/cases/{CASE}/witnesses/W-004")
    page.click(f"a[href='/cases/{CASE}/interviews/new?witness=W-004']")
    page.wait_for_url("**/interviews/new?witness=W-004")
    page.fill("#date", "January 2007")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#passphrase").count() == 1  # the change is signed by the case: unlock first
    assert [p for p in flows.take_problems() if "403" not in p] == []  # the unlock form comes as a 403
    flows.shoot(page, "unlock")
    page.fill("#passphrase", PASSPHRASE)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/interviews/new**")
    assert page.input_value("#witness") == "W-004"  # unlocking kept the witness chosen
    page.fill("#date", "January 2007")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/excerpts/new?source=I-013")
    flows.shoot(page, "excerpt-new")
    page.fill("#text", TEXT)
    page.select_option("#mode", "witnessed")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/cases/{CASE}/excerpts/X-*")
    excerpt = page.url
    assert TEXT in page.inner_text("blockquote")
    flows.shoot(page, "excerpt-added")
    sign_out(page)

    sign_in(flows, page, "analyst")
    flows.visit(page, f"/cases/{CASE}/propositions/{BEATINGS}", name="proposition-before")
    grade_before = page.inner_text(".grade").strip()
    page.goto(excerpt)
    suggestion = page.locator("ol.suggestions li", has=page.locator(f"code:text-is('{BEATINGS}')")).first
    suggestion.locator("button[type=submit]").click()  # htmx posts the form and swaps the panel
    page.wait_for_selector("#coding .coded-witnesses")
    flows.shoot(page, "coded")
    assert page.inner_text("#coding .coded-witnesses").strip() == "2"  # W-010 and now W-004
    grade_after = page.inner_text("#coding .grade").strip()
    assert grade_after != grade_before, (grade_before, grade_after)
    flows.visit(page, f"/cases/{CASE}/propositions/{BEATINGS}", name="proposition-after")
    assert page.inner_text(".grade").strip() == grade_after


def test_a_paragraph_naming_a_witness_blocks_publication(flows: Browsing, tmp_path: Path) -> None:
    secrets = Secrets(passphrase=lambda _case: PASSPHRASE, session_dir=tmp_path)
    identities = services.identities(flows.served.location, actor=LOCAL_OWNER, secrets=secrets)
    name = next(i.name for i in identities.values() if i.name)
    page = flows.new_page()
    sign_in(flows, page, "owner")
    flows.visit(page, f"/cases/{CASE}/unlock")
    page.fill("#passphrase", PASSPHRASE)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/cases/{CASE}")
    flows.visit(page, f"/cases/{CASE}/publication")
    page.click(f"a[href='/cases/{CASE}/publication/briefing']")
    page.wait_for_url("**/publication/briefing")
    page.fill("#paragraph", f"We met {name} in Yanji in December 2006.")
    page.click("button[value=publish]")
    page.wait_for_selector("[role=alert]", timeout=60_000)  # the whole briefing is rendered, PDF included
    flows.shoot(page, "publication-blocked")
    assert [p for p in flows.take_problems() if "409" not in p] == []  # the refusal comes as a 409
    alert = page.inner_text("[role=alert]")
    assert "Publication blocked" in alert and "leak" in alert and name not in alert
    assert not (Path(flows.served.location).parent / "published").exists()


def test_switch_to_korean_and_back(flows: Browsing) -> None:
    page = flows.new_page()
    sign_in(flows, page, "analyst")
    page.select_option("#language", "ko")
    page.click("form.language button")
    page.wait_for_load_state("load")
    flows.shoot(page, "dashboard-ko")
    assert page.get_attribute("html", "lang") == "ko"
    nav = page.inner_text("header nav")
    assert "증인" in nav and "Witnesses" not in nav
    flows.visit(page, f"/cases/{CASE}/propositions/{BEATINGS}", name="proposition-ko")
    assert page.get_attribute("html", "lang") == "ko"
    page.select_option("#language", "en")
    page.click("form.language button")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en" and "Witnesses" in page.inner_text("header nav")


def test_select_a_passage_of_a_transcript_and_make_it_an_excerpt(flows: Browsing) -> None:
    page = flows.new_page()
    sign_in(flows, page, "investigator")
    flows.visit(page, f"/cases/{CASE}/unlock?next=/cases/{CASE}/interviews/I-002")
    page.fill("#passphrase", PASSPHRASE)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/interviews/I-002")
    flows.shoot(page, "interview")
    page.click("a[href$='/text']")
    page.wait_for_url("**/attachments/A-*/text")
    passage = "the guards beat us there every night."
    page.evaluate(
        """(words) => {  // select the passage as a mouse would
        const node = document.getElementById('source-text').firstChild;
        const at = node.textContent.indexOf(words);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
    }""",
        passage,
    )
    page.wait_for_function("document.getElementById('end').value !== ''")
    shown = TRANSCRIPT.replace("\r\n", "\n")
    start = shown.index(passage)  # code points: the emoji before it counts once, as the server counts
    assert (page.input_value("#start"), page.input_value("#end")) == (str(start), str(start + len(passage)))
    assert passage in page.inner_text("#selection-preview")
    flows.shoot(page, "viewer-selected")
    page.click("#selection-form button[type=submit]")
    page.wait_for_url(f"**/cases/{CASE}/excerpts/X-*")
    assert page.inner_text("blockquote") == passage
    flows.shoot(page, "excerpt-from-selection")
