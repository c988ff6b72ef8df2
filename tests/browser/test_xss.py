"""Script stored in free text (a case title, a document's title and publisher, excerpts, a witness's role, an
interview's town) is shown as text and never runs: window.__xss stays undefined on every page, and the CSP
sees nothing to refuse (text never became markup in the first place)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from harness import Browsing, Served, crawl, make_store, open_browsing, password, serve

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
CASEFILE = f"""\
version: 1
case: {{id: xss, title: "Case {SCRIPT}"}}
witnesses:
  - id: W-001
    descriptor: {{gender: female, age: 40, origin: Musan, role: "{IMG}"}}
interviews:
  - {{id: I-001, witness: W-001, date: 2006-12-01, country: CN, town: "{IMG}"}}
documents:
  - id: D-001
    kind: news
    title: "Report {IMG} {SCRIPT}"
    publisher: "<b onmouseover=window.__xss=1>Press</b>"
    date: 2008-01-01
excerpts:
  - id: X-001
    source: I-001
    mode: witnessed
    text: "Guards {IMG} said {SCRIPT} and <a href='javascript:window.__xss=1'>this</a> at the border."
  - id: X-002
    source: D-001
    mode: document
    text: "The report says <svg onload=window.__xss=1> and nothing more."
"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("xss")
    casefile = folder / "case.yaml"
    casefile.write_text(CASEFILE, encoding="utf-8")
    yield from serve(make_store(folder, casefile))


@pytest.fixture
def hostile(browser: Any, hostile_server: Served, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    yield from open_browsing(browser, hostile_server, request)


def test_stored_script_is_shown_as_text_and_never_runs(hostile: Browsing) -> None:
    page = hostile.new_page()
    hostile.visit(page, "/login", name="login")
    page.fill("#username", "owner")
    page.fill("#password", password("owner"))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/cases/xss")
    hostile.shoot(page, "dashboard")
    assert page.locator("h1").inner_text() == f"Case {SCRIPT}"  # the title as text, tags and all
    for query in ("onerror", "window", "report"):
        hostile.visit(page, f"/cases/xss/search?q={query}")
        assert page.evaluate("typeof window.__xss") == "undefined"
    hostile.visit(page, "/cases/xss/search?q=onerror", name="search-onerror")
    shown = page.locator("ol.hits").inner_text()
    assert IMG in shown and SCRIPT in shown  # shown as text, not swallowed as markup
    assert page.locator("ol.hits img, ol.hits script, ol.hits svg, ol.hits a[href^=javascript]").count() == 0

    def never_ran(page: Any, sent: str) -> None:
        assert page.evaluate("typeof window.__xss") == "undefined", page.url
        assert IMG not in sent and SCRIPT not in sent, page.url  # escaped before it left the server

    visited = crawl(hostile, page, ["/cases/xss", "/cases/xss/search?q=onerror"], check=never_ran)
    assert [url for url, status in visited.items() if status >= 400] == []


def test_the_payloads_would_run_if_they_were_markup(hostile: Browsing) -> None:
    """The attack itself, in a page of our own origin without our escaping: the CSP stops even that."""
    page = hostile.new_page()
    hostile.visit(page, "/login", name="login")
    page.evaluate("html => { document.querySelector('main').insertAdjacentHTML('beforeend', html); }", IMG + SCRIPT)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"  # the CSP refused the inline handler
    assert any("script-src-attr" in problem for problem in hostile.take_problems())
