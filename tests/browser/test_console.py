"""No console error and no Content-Security-Policy violation on any page; htmx, served by the app itself,
runs under the CSP; and the watchers that fail every browser test on such a problem do catch one.

Every browser test fails on a console error, a CSP violation or a request to another origin (conftest.py),
so the owner's and the analyst's crawls (test_accessibility.py, test_restricted.py) check this on every page
they reach; here the other roles crawl theirs.
"""

from __future__ import annotations

import pytest
from harness import CASE, ROLES, Browsing, crawl, sign_in

SEARCHERS = {"owner", "investigator", "analyst", "editor"}  # search needs `analyse` (docs/security.md)


def test_htmx_is_served_by_the_app_and_runs_under_the_csp(browsing: Browsing) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, "analyst")
    script = browsing.context.request.get(browsing.url("/static/vendor/htmx.min.js"))
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert page.evaluate("typeof htmx") == "object" and page.evaluate("htmx.version").startswith("2.")
    # Its indicator styles would be an inline <style>, which the CSP refuses: configured off in base.html.
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0
    # An htmx request and swap, the way pages will use it: same origin only, and no violation on the way.
    page.evaluate("url => htmx.ajax('GET', url, {target: '#main', select: '#main > *'})", f"/cases/{CASE}/witnesses")
    page.wait_for_selector("#main h1:has-text('Witnesses')")
    browsing.shoot(page, "dashboard-after-htmx-swap")
    assert page.url == browsing.url(f"/cases/{CASE}")  # swapped in place, no navigation


def test_only_allow_listed_vendor_files_are_served(browsing: Browsing) -> None:
    outside = [
        "/static/vendor/axe.min.js",
        "/static/vendor/htmx.js",
        "/static/vendor/..%2fpackage.json",
        "/static/vendor/%2e%2e/htmx.org/package.json",
        "/static/node_modules/htmx.org/dist/htmx.min.js",
    ]
    for path in outside:
        assert browsing.context.request.get(browsing.url(path)).status == 404, path


@pytest.mark.slow
@pytest.mark.parametrize("role", ["investigator", "editor", "viewer"])
def test_no_console_error_or_csp_violation_on_any_page(browsing: Browsing, role: str) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, role)
    starts = [f"/cases/{CASE}"] + ([f"/cases/{CASE}/search?q=Chongjin"] if role in SEARCHERS else [])
    visited = crawl(browsing, page, starts, per_shape=3)  # console errors come from templates: 3 of each kind
    assert [url for url, status in visited.items() if status >= 400] == []
    assert browsing.problems == [] and browsing.blocked == []  # (also checked once the context closes)


@pytest.mark.parametrize(
    "role",
    ROLES,
)
def test_the_search_box_is_shown_only_to_who_may_search(browsing: Browsing, role: str) -> None:
    page = browsing.new_page()
    sign_in(browsing, page, role)
    shown = page.locator("form[role=search]").count() > 0
    answer = browsing.context.request.get(browsing.url(f"/cases/{CASE}/search?q=Chongjin"))
    assert shown == (role in SEARCHERS) and answer.status == (200 if role in SEARCHERS else 403)


def test_a_csp_violation_is_caught(browsing: Browsing) -> None:
    """The attack: markup that slipped through runs inline code. The CSP refuses it and the watcher sees it."""
    page = browsing.new_page()
    browsing.visit(page, "/login", name="login")
    page.evaluate("""() => {
        const style = document.createElement('style'); style.textContent = 'body { background: red }';
        document.head.append(style);
        const script = document.createElement('script'); script.textContent = 'window.__ran = 1';
        document.head.append(script);
        const img = document.createElement('img'); img.src = 'x'; img.setAttribute('onerror', 'window.__ran = 2');
        document.body.append(img);
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__ran") == "undefined"
    caught = "\n".join(browsing.take_problems())
    for directive in ("style-src-elem", "script-src-elem", "script-src-attr"):
        assert f"CSP violation: {directive}" in caught, caught


def test_a_request_to_another_origin_is_blocked_and_caught(browsing: Browsing) -> None:
    """The attack: a page that would reach the internet (a CDN, a tracker). Nothing leaves; the test sees it."""
    from playwright.sync_api import Error  # here: without playwright the test skips, it does not break collection

    page = browsing.new_page()
    browsing.visit(page, "/login", name="login")
    page.evaluate("() => fetch('http://203.0.113.7/beacon').catch(() => null)")  # refused by connect-src first
    page.wait_for_timeout(200)
    assert any("connect-src" in problem for problem in browsing.take_problems())
    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("https://cdn.example.org/library.js")  # a navigation, which no CSP directive stops
    assert browsing.blocked == ["https://cdn.example.org/library.js"]
    browsing.blocked.clear()
    browsing.take_problems()
