"""An analyst who follows every link the workbench shows never receives a restricted value of a witness.

The values are those of the reference casefile's `restricted` sections (names, Hangul names, aliases,
contacts, birth dates, current locations, notes). Each page is checked as sent by the server and as the
browser holds it after its scripts ran.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from harness import CASE, Browsing, crawl, sign_in

from corroborate.ingest import read_casefile
from support import REFERENCE_CASE


@pytest.fixture(scope="module")
def restricted_values() -> list[str]:
    case = read_casefile(REFERENCE_CASE)
    found = {str(value) for w in case.witnesses if w.restricted for value in w.restricted.values()}
    assert len(found) >= 30, "the reference case should hold restricted values to look for"
    return sorted(found)


def leaks(text: str, values: list[str]) -> list[str]:
    """The restricted values that ``text`` contains, as they are or HTML-escaped."""
    return [value for value in values if value in text or html.escape(value) in text]


def test_the_leak_check_finds_a_planted_value(restricted_values: list[str]) -> None:
    """The attack the crawl guards against: a page that prints a witness's name or phone number."""
    name, contact = "Ri Chol-min", "+86 130 5550 0147"
    planted = f"<td>{html.escape(name)}</td><td>{contact}</td><p>Kang Yong-su&#39;s notes</p>"
    assert set(leaks(planted, restricted_values)) == {name, contact, "Kang Yong-su"}


@pytest.mark.slow
def test_no_restricted_value_on_any_page_an_analyst_reaches(browsing: Browsing, restricted_values: list[str]) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, "analyst")
    found: list[str] = []

    def check(page: Any, sent: str) -> None:
        for value in sorted(set(leaks(sent, restricted_values) + leaks(page.content(), restricted_values))):
            found.append(f"{page.url}: {value[:12]}…")  # enough to find it; the value itself stays out of logs

    starts = [f"/cases/{CASE}", f"/cases/{CASE}/search?q=Chongjin", f"/cases/{CASE}/search?q=Helong"]
    visited = crawl(browsing, page, starts, check=check)
    assert [url for url, status in visited.items() if status >= 400] == []
    assert len(visited) > 20
    assert found == [], "\n".join(found)
