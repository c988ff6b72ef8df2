"""axe-core on every page an owner reaches from the dashboard: no violation of impact serious or critical."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from harness import CASE, Browsing, crawl, sign_in

SERIOUS = ("serious", "critical")
# Pages a form (not a link) leads to, and their variants: a search with hits, the witnesses filtered.
FORM_PAGES = [f"/cases/{CASE}/search?q=Chongjin", f"/cases/{CASE}/witnesses?gender=female&origin=Musan",
              f"/cases/{CASE}/witnesses?age=not-an-age"]  # fmt: skip
# Rules that Swagger UI's own markup and styles break on the API's docs page (swagger-ui-dist, drawn by its script:
# not our templates), by path; every other rule is checked there too. Restyling Swagger UI (web/api/docs.py)
# would let them go.
THIRD_PARTY = {"/api/v1/docs": {"color-contrast", "nested-interactive", "select-name"}}


def axe_violations(page: Any, axe_script: Path) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each (rule, impact, where, help), but
    those of the page's third-party markup (``THIRD_PARTY``)."""
    if page.evaluate("typeof axe") == "undefined":
        # Evaluated by the driver, so the page's CSP (no inline script) stays in force and is tested too.
        page.evaluate(axe_script.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    known = THIRD_PARTY.get(urlsplit(page.url).path, set())
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'])}"
            for v in found if v["impact"] in SERIOUS and v["id"] not in known]  # fmt: skip


def test_the_login_page_has_no_serious_accessibility_violation(browsing: Browsing, axe_script: Path) -> None:
    page = browsing.new_page()
    browsing.visit(page, "/login", name="login")
    assert axe_violations(page, axe_script) == []


@pytest.mark.slow
def test_every_page_has_no_serious_accessibility_violation(browsing: Browsing, axe_script: Path) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, "owner")
    violations: list[str] = []
    visited = crawl(browsing, page, [f"/cases/{CASE}", *FORM_PAGES], per_shape=3,
                    check=lambda page, html: violations.extend(axe_violations(page, axe_script)))  # fmt: skip
    assert [url for url, status in visited.items() if status >= 400] == []
    assert len(visited) > len(FORM_PAGES) + 16  # every kind of page, up to three of each
    assert violations == [], "\n".join(violations)
